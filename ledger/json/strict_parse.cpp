// The strict JSON front door: a SAX handler over nlohmann::json's parser that builds the
// document and throws at the first thing DESIGN §3 forbids.
//
// nlohmann's SAX parser is iterative (it keeps its own std::vector of open brackets), and this
// handler keeps one frame per open object or array, refusing the first bracket beyond
// Limits::max_depth; so hostile nesting costs neither C stack nor memory.
#include "ledger/json/strict_parse.h"

#include <algorithm>
#include <stdexcept>
#include <utility>

#include <fmt/format.h>

#include "ledger/util/error.h"
#include "ledger/util/read_file.h"

namespace agtrace::json {
namespace {

// Longest piece of a hostile member name, literal or token quoted in a message, in bytes.
constexpr std::size_t max_quote_bytes = 64;

// `s` cut to at most max_quote_bytes at a UTF-8 character boundary, "..." marking a cut.
std::string shorten(std::string_view s) {
  if (s.size() <= max_quote_bytes) return std::string(s);
  std::size_t n = max_quote_bytes;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return std::string(s.substr(0, n)) + "...";
}

bool is_identifier(std::string_view s) {
  auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  return !s.empty() && letter(s.front()) &&
         std::all_of(s.begin() + 1, s.end(), [&](char c) { return letter(c) || digit(c); });
}

// Appends `.name`, or `["name"]` (JSON-quoted, shortened) when the name is not an identifier.
void append_member(std::string& path, std::string_view name) {
  if (is_identifier(name)) {
    path += '.';
    path += name;
    return;
  }
  path += '[';
  path +=
      nlohmann::json(shorten(name)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  path += ']';
}

void append_index(std::string& path, std::size_t index) { path += fmt::format("[{}]", index); }

// True for a JSON number token without fraction or exponent: -?[0-9]+.
bool is_integer_literal(std::string_view token) {
  if (!token.empty() && token.front() == '-') token.remove_prefix(1);
  return !token.empty() &&
         std::all_of(token.begin(), token.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// `s` in printable ASCII, other bytes written as \xHH: parser diagnostics quote the input,
// which may hold anything.
std::string printable(std::string_view s) {
  std::string out;
  for (char c : s) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte < 0x7F) {
      out += c;
    } else {
      out += fmt::format("\\x{:02x}", byte);
    }
  }
  return out;
}

// nlohmann's diagnostic without its "[json.exception.parse_error.101] parse error at line 1,
// column 2: " prefix (the location is reported separately), the input it quotes after
// "last read:" shortened, in printable ASCII.
std::string diagnostic(std::string_view what) {
  if (const auto end_of_id = what.find("] "); end_of_id != std::string_view::npos) {
    what.remove_prefix(end_of_id + 2);
  }
  if (what.starts_with("parse error")) {
    if (const auto colon = what.find(": "); colon != std::string_view::npos) {
      what.remove_prefix(colon + 2);
    }
  }
  constexpr std::string_view last_read = "; last read: '";
  const auto quote = what.find(last_read);
  if (quote == std::string_view::npos) return printable(what);
  std::string_view token = what.substr(quote + last_read.size());
  if (token.ends_with('\'')) token.remove_suffix(1);
  return printable(what.substr(0, quote + last_read.size())) + printable(shorten(token)) + "'";
}

class strict_handler {
 public:
  strict_handler(const Limits& limits, std::string_view text, std::string_view what)
      : limits_(limits), text_(text), what_(what) {}

  nlohmann::json take_result() { return std::move(root_); }

  // The nlohmann::json SAX interface. Each callback stores what it is given or throws
  // Error(bad_input); none returns false.
  bool null() { return put(nullptr); }
  bool boolean(bool value) { return put(value); }
  bool number_integer(std::int64_t value) {
    if (value < -max_safe_integer || value > max_safe_integer) {
      refuse_integer(std::to_string(value));
    }
    return put(value);
  }
  bool number_unsigned(std::uint64_t value) {
    if (value > static_cast<std::uint64_t>(max_safe_integer)) refuse_integer(std::to_string(value));
    return put(value);
  }
  // nlohmann hands integer literals beyond 64 bits over as floats, with the token text.
  bool number_float(double value, const std::string& token) {
    if (is_integer_literal(token)) refuse_integer(token);
    return put(value);
  }
  bool string(std::string& value) {
    if (value.size() > limits_.max_string_bytes) {
      throw_bad_input(
          fmt::format("{}: the string is {} bytes long, over the limit of {} bytes; shorten it",
                      path(), value.size(), limits_.max_string_bytes));
    }
    return put(std::move(value));
  }
  // The JSON parser never reports binary values; the interface requires the callback.
  bool binary(nlohmann::json::binary_t&) {
    throw std::logic_error("nlohmann's JSON parser reported a binary value");
  }
  bool start_object(std::size_t) { return open(nlohmann::json::object()); }
  bool key(std::string& name) {
    if (name.size() > limits_.max_string_bytes) {
      throw_bad_input(
          fmt::format("{}: a member name is {} bytes long, over the limit of {} bytes; shorten it",
                      container_path(), name.size(), limits_.max_string_bytes));
    }
    frame& top = frames_.back();
    top.key = std::move(name);
    if (top.node->contains(top.key)) {
      throw_bad_input(fmt::format(
          "{}: the member name appears twice in one object; remove one of the two", path()));
    }
    return true;
  }
  bool end_object() { return close(); }
  bool start_array(std::size_t) { return open(nlohmann::json::array()); }
  bool end_array() { return close(); }
  bool parse_error(std::size_t position, const std::string& last_token,
                   const nlohmann::json::exception& error) {
    // Integer literals too long even for a double overflow to infinity before number_float().
    // (nlohmann reports that as out_of_range 406, "number overflow".)
    if (error.id == 406 && is_integer_literal(last_token)) refuse_integer(last_token);
    // `position` counts the bytes read, the offending one included.
    const std::size_t at = std::min(position == 0 ? 0 : position - 1, text_.size());
    const std::string_view before = text_.substr(0, at);
    const auto line = 1 + std::count(before.begin(), before.end(), '\n');
    const auto last_newline = before.rfind('\n');
    const auto column = at - (last_newline == std::string_view::npos ? 0 : last_newline + 1) + 1;
    const std::string inside = frames_.size() > 1 ? " (inside " + container_path() + ")" : "";
    throw_bad_input(
        fmt::format("{}: not valid JSON at line {}, column {}{}: {}; correct the text there", what_,
                    line, column, inside, diagnostic(error.what())));
  }

 private:
  struct frame {
    nlohmann::json* node;  // the object or array being filled
    std::string key;       // objects: the name of the member being read
  };

  // Stores `value` where the parser is: as the root, as the next array element, or as the
  // member named by the last key. Returns true for the SAX callbacks.
  bool put(nlohmann::json value) {
    place(std::move(value));
    return true;
  }

  nlohmann::json& place(nlohmann::json value) {
    if (frames_.empty()) {
      root_ = std::move(value);
      return root_;
    }
    frame& top = frames_.back();
    if (top.node->is_array()) {
      auto& elements = top.node->get_ref<nlohmann::json::array_t&>();
      elements.push_back(std::move(value));
      return elements.back();
    }
    auto& members = top.node->get_ref<nlohmann::json::object_t&>();
    return members.emplace(top.key, std::move(value)).first->second;
  }

  bool open(nlohmann::json empty) {
    if (std::cmp_greater_equal(frames_.size(), limits_.max_depth)) {
      throw_bad_input(
          fmt::format("{}: objects and arrays nest deeper than {} levels; flatten the document",
                      path(), limits_.max_depth));
    }
    frames_.push_back({&place(std::move(empty)), {}});
    return true;
  }

  bool close() {
    frames_.pop_back();
    return true;
  }

  [[noreturn]] void refuse_integer(const std::string& literal) const {
    throw_bad_input(fmt::format(
        "{}: the integer {} is outside ±{} (2^53-1), beyond which JSON readers lose digits; "
        "send it as a string",
        path(), shorten(literal), max_safe_integer));
  }

  // The path of the value being read.
  std::string path() const { return path_of(frames_.size()); }
  // The path of the innermost open object or array.
  std::string container_path() const { return path_of(frames_.size() - 1); }

  // The path through the first `depth` open containers: each contributes the position of the
  // child being read, which is its last element (arrays) or last key (objects), except that the
  // innermost array's child is not stored yet.
  std::string path_of(std::size_t depth) const {
    std::string path(what_);
    for (std::size_t i = 0; i < depth; ++i) {
      const frame& f = frames_[i];
      if (f.node->is_array()) {
        const bool innermost = i + 1 == frames_.size();
        append_index(path, f.node->size() - (innermost ? 0 : 1));
      } else {
        append_member(path, f.key);
      }
    }
    return path;
  }

  const Limits& limits_;
  std::string_view text_;
  std::string_view what_;
  nlohmann::json root_;
  std::vector<frame> frames_;
};

}  // namespace

nlohmann::json parse_strict(std::string_view text, const Limits& limits, std::string_view what) {
  if (text.size() > limits.max_document_bytes) {
    throw_bad_input(
        fmt::format("{} is {} bytes long, over the limit of {} bytes; send a smaller document",
                    what, text.size(), limits.max_document_bytes));
  }
  strict_handler handler(limits, text, what);
  // Always true when it returns: the handler throws instead of returning false.
  nlohmann::json::sax_parse(text.begin(), text.end(), &handler);
  return handler.take_result();
}

std::vector<std::string> float_paths(const nlohmann::json& value, std::string_view what) {
  std::vector<std::string> found;
  // Depth first without recursion: `value` may come from anywhere, nested arbitrarily deep.
  std::vector<std::pair<const nlohmann::json*, std::string>> pending;
  pending.emplace_back(&value, std::string(what));
  while (!pending.empty()) {
    auto [node, path] = std::move(pending.back());
    pending.pop_back();
    if (node->is_number_float()) {
      found.push_back(std::move(path));
    } else if (node->is_object()) {
      const auto& members = node->get_ref<const nlohmann::json::object_t&>();
      for (auto it = members.rbegin(); it != members.rend(); ++it) {
        std::string child = path;
        append_member(child, it->first);
        pending.emplace_back(&it->second, std::move(child));
      }
    } else if (node->is_array()) {
      const auto& elements = node->get_ref<const nlohmann::json::array_t&>();
      for (std::size_t i = elements.size(); i-- > 0;) {
        std::string child = path;
        append_index(child, i);
        pending.emplace_back(&elements[i], std::move(child));
      }
    }
  }
  return found;
}

void reject_floats(const nlohmann::json& value, std::string_view what) {
  const auto paths = float_paths(value, what);
  if (paths.empty()) return;
  const std::string others =
      paths.size() > 1 ? fmt::format(" (and {} more)", paths.size() - 1) : std::string();
  throw_bad_input(fmt::format(
      "{}{}: numbers with a fraction or exponent are not accepted here; use a decimal string "
      "such as \"12.5\"",
      paths.front(), others));
}

nlohmann::json parse_strict_file(const std::string& path, const Limits& limits, std::string_view option) {
  return parse_strict(read_file(path, limits.max_document_bytes, option), limits, path);
}

}  // namespace agtrace::json
