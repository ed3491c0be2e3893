// One-pass reading of canonical JSON (canonical_parse.h): a recursive-descent parser that
// accepts only the bytes RFC 8785 writes, and gives up (std::nullopt) at anything else.
//
// Each accepted form is one that canonicalize() (jcs.cpp) writes and nlohmann's parser reads
// back as the same value, within the limits parse_strict() enforces:
//   - objects: `{`, members `"name":value` joined by `,`, `}`; each name after the first sorts
//     strictly after the one before it by UTF-16 code units (so no name appears twice);
//   - arrays: `[`, values joined by `,`, `]`;
//   - strings: bytes 0x20..0x7F other than `"` and `\` as they are, well-formed UTF-8 (RFC 3629)
//     as it is, and the escapes \" \\ \b \f \n \r \t and \u00xx (lower-case hex) for the other
//     control characters only; at most Limits::max_string_bytes after unescaping;
//   - integers: `0`, or an optional `-` and digits without a leading zero, at most 2^53-1 in
//     magnitude (no `-0`);
//   - true, false, null.
// Numbers with a fraction or exponent, nesting as deep as Limits::max_depth (or beyond 64), and
// texts over Limits::max_document_bytes are left to the full path.
#include "ledger/json/canonical_parse.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>

#include "ledger/json/jcs.h"

namespace agtrace::json {
namespace {

// Deepest nesting this parser recurses to; deeper canonical texts take the full path.
constexpr int kMaxRecursion = 64;

class CanonicalParser {
 public:
  CanonicalParser(std::string_view text, const Limits& limits)
      : p_(text.data()), end_(text.data() + text.size()), limits_(limits),
        max_depth_(std::min(limits.max_depth - 1, kMaxRecursion)) {}

  // The whole text as one value, or false.
  bool document(nlohmann::json& out) { return value(out, 0) && p_ == end_; }

 private:
  // One value at `p_`, inside `depth` open containers.
  bool value(nlohmann::json& out, int depth) {
    if (p_ == end_) return false;
    switch (*p_) {
      case '{': return object(out, depth + 1);
      case '[': return array(out, depth + 1);
      case '"': {
        std::string s;
        if (!string(s)) return false;
        out = std::move(s);
        return true;
      }
      case 't': return literal("true", out, true);
      case 'f': return literal("false", out, false);
      case 'n': return literal("null", out, nullptr);
      default: return integer(out);
    }
  }

  bool object(nlohmann::json& out, int depth) {
    if (depth > max_depth_) return false;
    ++p_;
    out = nlohmann::json::object();
    auto& members = out.get_ref<nlohmann::json::object_t&>();
    if (p_ != end_ && *p_ == '}') {
      ++p_;
      return true;
    }
    for (;;) {
      std::string name;
      if (p_ == end_ || *p_ != '"' || !string(name)) return false;
      if (!members.empty() && !utf16_less(std::prev(members.end())->first, name)) return false;
      if (p_ == end_ || *p_ != ':') return false;
      ++p_;
      // Names come in UTF-16 order, which is the map's byte order but for names with characters
      // above U+FFFF next to U+E000..U+FFFF: there the hint is wrong and merely costs a search.
      auto it = members.emplace_hint(members.end(), std::move(name), nullptr);
      if (!value(it->second, depth)) return false;
      if (p_ == end_) return false;
      if (*p_ == '}') {
        ++p_;
        return true;
      }
      if (*p_ != ',') return false;
      ++p_;
    }
  }

  bool array(nlohmann::json& out, int depth) {
    if (depth > max_depth_) return false;
    ++p_;
    out = nlohmann::json::array();
    auto& elements = out.get_ref<nlohmann::json::array_t&>();
    if (p_ != end_ && *p_ == ']') {
      ++p_;
      return true;
    }
    for (;;) {
      if (!value(elements.emplace_back(), depth)) return false;
      if (p_ == end_) return false;
      if (*p_ == ']') {
        ++p_;
        return true;
      }
      if (*p_ != ',') return false;
      ++p_;
    }
  }

  // A string at `p_` (its opening quote) into `out`.
  bool string(std::string& out) {
    ++p_;
    for (;;) {
      // The longest run of bytes written as they are.
      const char* run = p_;
      while (p_ != end_) {
        const auto c = static_cast<unsigned char>(*p_);
        if (c < 0x20 || c == '"' || c == '\\') break;
        ++p_;
      }
      if (p_ != run) {
        const std::string_view raw(run, static_cast<std::size_t>(p_ - run));
        if (!is_valid_utf8(raw)) return false;
        out.append(raw);
      }
      if (p_ == end_) return false;
      const char c = *p_++;
      if (c == '"') return out.size() <= limits_.max_string_bytes;
      if (c != '\\' || p_ == end_) return false;  // a raw control character, or a cut escape
      switch (*p_++) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          // Only \u0000..\u001f in lower-case hex, and not the five with short escapes.
          if (end_ - p_ < 4 || p_[0] != '0' || p_[1] != '0' || (p_[2] != '0' && p_[2] != '1')) return false;
          const char low = p_[3];
          int digit;
          if (low >= '0' && low <= '9') {
            digit = low - '0';
          } else if (low >= 'a' && low <= 'f') {
            digit = low - 'a' + 10;
          } else {
            return false;
          }
          const char control = static_cast<char>((p_[2] - '0') * 16 + digit);
          if (control == '\b' || control == '\f' || control == '\n' || control == '\r' || control == '\t')
            return false;
          out += control;
          p_ += 4;
          break;
        }
        default: return false;
      }
    }
  }

  bool literal(std::string_view word, nlohmann::json& out, nlohmann::json v) {
    if (static_cast<std::size_t>(end_ - p_) < word.size() || std::string_view(p_, word.size()) != word) return false;
    p_ += word.size();
    out = std::move(v);
    return true;
  }

  bool integer(nlohmann::json& out) {
    const bool negative = *p_ == '-';
    if (negative) ++p_;
    const char* digits = p_;
    std::uint64_t magnitude = 0;
    while (p_ != end_ && *p_ >= '0' && *p_ <= '9') {
      if (p_ - digits >= 16) return false;  // beyond 2^53-1 (16 digits) whatever the digits
      magnitude = magnitude * 10 + static_cast<std::uint64_t>(*p_ - '0');
      ++p_;
    }
    const auto count = p_ - digits;
    if (count == 0 || (digits[0] == '0' && (count > 1 || negative))) return false;  // no digit, 01, -0
    if (p_ != end_ && (*p_ == '.' || *p_ == 'e' || *p_ == 'E')) return false;     // a fraction or exponent
    if (magnitude > static_cast<std::uint64_t>(max_safe_integer)) return false;
    if (negative) {
      out = -static_cast<std::int64_t>(magnitude);
    } else {
      out = magnitude;
    }
    return true;
  }

  const char* p_;
  const char* end_;
  const Limits& limits_;
  int max_depth_;  // deepest nesting accepted: containers inside containers, the outermost 1
};

}  // namespace

std::optional<nlohmann::json> parse_canonical(std::string_view text, const Limits& limits) {
  if (text.size() > limits.max_document_bytes) return std::nullopt;
  nlohmann::json out;
  if (!CanonicalParser(text, limits).document(out)) return std::nullopt;
  return out;
}

}  // namespace agtrace::json
