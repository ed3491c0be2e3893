// RFC 8785 JSON Canonicalization Scheme: serialization of nlohmann::json values, with an
// explicit stack instead of recursion, and ECMAScript number formatting from std::to_chars's
// shortest round-trip digits.
#include "ledger/json/jcs.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "ledger/util/error.h"

namespace agtrace::json {

bool is_valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto lead = static_cast<unsigned char>(s[i]);
    if (lead < 0x80) {
      ++i;
      continue;
    }
    std::size_t trail;
    std::uint32_t code_point;
    std::uint32_t smallest;
    if ((lead & 0xE0) == 0xC0) {
      trail = 1, code_point = lead & 0x1F, smallest = 0x80;
    } else if ((lead & 0xF0) == 0xE0) {
      trail = 2, code_point = lead & 0x0F, smallest = 0x800;
    } else if ((lead & 0xF8) == 0xF0) {
      trail = 3, code_point = lead & 0x07, smallest = 0x10000;
    } else {
      return false;
    }
    if (s.size() - i - 1 < trail) return false;
    for (std::size_t k = 1; k <= trail; ++k) {
      const auto next = static_cast<unsigned char>(s[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      code_point = (code_point << 6) | (next & 0x3F);
    }
    if (code_point < smallest || code_point > 0x10FFFF ||
        (code_point >= 0xD800 && code_point <= 0xDFFF)) {
      return false;
    }
    i += trail + 1;
  }
  return true;
}

namespace {

// RFC 8785 §3.2.2.2: quote `s`, escaping `"` and `\`, the five control characters that have
// short escapes, and other control characters as \u00xx in lower-case hex; nothing else.
void write_string(std::string_view s, std::string& out) {
  if (!is_valid_utf8(s)) {
    throw_bad_input(fmt::format(
        "the string beginning {} is not valid UTF-8 (RFC 8785 §3.2.2.2 needs Unicode text); "
        "correct the encoding of the input",
        nlohmann::json(std::string(s.substr(0, 40)))
            .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)));
  }
  static constexpr char hex_digits[] = "0123456789abcdef";
  out += '"';
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += "\\u00";
          out += hex_digits[c >> 4];
          out += hex_digits[c & 0xF];
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

// The rank of a byte at the first difference between two UTF-8 strings, chosen so that ranks
// order the strings by UTF-16 code units (RFC 8785 §3.2.3). Lead bytes 0xEE and 0xEF begin
// U+E000..U+FFFF, which UTF-16 puts after the surrogate pairs of U+10000 and above (lead bytes
// 0xF0..0xF4); every other UTF-8 byte keeps its place. Where two valid strings first differ,
// both bytes are lead bytes or both are continuation bytes of the same kind of sequence, so only
// lead bytes need moving. 0xFE and 0xFF never occur in UTF-8 and swap places with 0xEE and 0xEF
// so that the ranking stays a permutation, and the order total, on malformed names (which
// write_string() then refuses).
constexpr unsigned utf16_rank(unsigned char byte) {
  switch (byte) {
    case 0xEE: return 0xFE;
    case 0xEF: return 0xFF;
    case 0xFE: return 0xEE;
    case 0xFF: return 0xEF;
    default: return byte;
  }
}

}  // namespace

bool utf16_less(std::string_view a, std::string_view b) {
  const auto [in_a, in_b] = std::mismatch(a.begin(), a.end(), b.begin(), b.end());
  if (in_b == b.end()) return false;  // b is a prefix of a, or equal to it
  if (in_a == a.end()) return true;   // a is a proper prefix of b
  return utf16_rank(static_cast<unsigned char>(*in_a)) <
         utf16_rank(static_cast<unsigned char>(*in_b));
}

namespace {

using member = nlohmann::json::object_t::value_type;

// Writes values depth first, keeping one frame per open object or array.
class canonical_writer {
 public:
  explicit canonical_writer(std::string& out) : out_(out) {}

  void write(const nlohmann::json& value) {
    begin(value);
    while (!open_.empty()) {
      frame& top = open_.back();
      const bool is_object = top.container->is_object();
      const std::size_t count = is_object ? top.members.size() : top.container->size();
      if (top.next == count) {
        out_ += is_object ? '}' : ']';
        open_.pop_back();
        continue;
      }
      if (top.next > 0) out_ += ',';
      const nlohmann::json* child;
      if (is_object) {
        const member* m = top.members[top.next];
        write_string(m->first, out_);
        out_ += ':';
        child = &m->second;
      } else {
        child = &(*top.container)[top.next];
      }
      ++top.next;
      begin(*child);  // may push a frame: `top` is not used after this
    }
  }

 private:
  struct frame {
    const nlohmann::json* container;
    std::vector<const member*> members;  // objects: in RFC 8785 §3.2.3 order
    std::size_t next = 0;                // index of the next member or element
  };

  // Writes a scalar whole, or the opening bracket of an object or array and pushes its frame.
  void begin(const nlohmann::json& value) {
    switch (value.type()) {
      case nlohmann::json::value_t::object: {
        out_ += '{';
        frame f{&value, {}};
        const auto& members = value.get_ref<const nlohmann::json::object_t&>();
        f.members.reserve(members.size());
        for (const member& m : members) f.members.push_back(&m);
        std::sort(f.members.begin(), f.members.end(),
                  [](const member* x, const member* y) { return utf16_less(x->first, y->first); });
        open_.push_back(std::move(f));
        return;
      }
      case nlohmann::json::value_t::array:
        out_ += '[';
        open_.push_back({&value, {}});
        return;
      case nlohmann::json::value_t::null: out_ += "null"; return;
      case nlohmann::json::value_t::boolean: out_ += value.get<bool>() ? "true" : "false"; return;
      case nlohmann::json::value_t::string:
        write_string(value.get_ref<const std::string&>(), out_);
        return;
      case nlohmann::json::value_t::number_integer:
        out_ += std::to_string(value.get<std::int64_t>());
        return;
      case nlohmann::json::value_t::number_unsigned:
        out_ += std::to_string(value.get<std::uint64_t>());
        return;
      case nlohmann::json::value_t::number_float:
        out_ += shortest_decimal(value.get<double>());
        return;
      case nlohmann::json::value_t::binary:
      case nlohmann::json::value_t::discarded: break;
    }
    throw_bad_input(
        fmt::format("a {} value has no JSON form and cannot be canonicalized", value.type_name()));
  }

  std::string& out_;
  std::vector<frame> open_;
};

}  // namespace

std::string canonicalize(const nlohmann::json& value) {
  std::string out;
  canonical_writer(out).write(value);
  return out;
}

void canonicalize_append(const nlohmann::json& value, std::string& out) { canonical_writer(out).write(value); }

std::string shortest_decimal(double value) {
  if (!std::isfinite(value)) {
    throw_bad_input(fmt::format(
        "the number {} has no JSON form (RFC 8785 §3.2.2.3); send a finite number", value));
  }
  if (value == 0) return "0";  // ECMAScript writes -0 as "0" too
  // Shortest round-trip digits, ties to the closer decimal (as ECMAScript requires), laid out
  // as d[.ddd]e±XX.
  char scientific[32];
  const char* end = std::to_chars(std::begin(scientific), std::end(scientific), std::abs(value),
                                  std::chars_format::scientific)
                        .ptr;
  const std::string_view text(scientific, static_cast<std::size_t>(end - scientific));
  const std::size_t e = text.find('e');
  std::string digits(1, text.front());
  if (e > 1) digits.append(text.substr(2, e - 2));
  int exponent = 0;
  std::from_chars(text.data() + e + 2, end, exponent);
  if (text[e + 1] == '-') exponent = -exponent;

  // ECMA-262 Number::toString with value = 0.d1d2...dk × 10^n.
  const int k = static_cast<int>(digits.size());
  const int n = exponent + 1;
  std::string out = value < 0 ? "-" : "";
  if (k <= n && n <= 21) {
    out += digits;
    out.append(static_cast<std::size_t>(n - k), '0');
  } else if (0 < n && n <= 21) {
    out.append(digits, 0, static_cast<std::size_t>(n));
    out += '.';
    out.append(digits, static_cast<std::size_t>(n));
  } else if (-6 < n && n <= 0) {
    out += "0.";
    out.append(static_cast<std::size_t>(-n), '0');
    out += digits;
  } else {
    out += digits.front();
    if (k > 1) {
      out += '.';
      out.append(digits, 1);
    }
    out += n - 1 < 0 ? "e-" : "e+";
    out += std::to_string(std::abs(n - 1));
  }
  return out;
}

}  // namespace agtrace::json
