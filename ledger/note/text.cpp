// UTF-8 scanning, key-name rules and strict decimals for the C2SP text formats.
#include "ledger/note/text.h"

#include <fmt/format.h>

#include <limits>

#include "ledger/util/error.h"

namespace agtrace::note {

namespace {

// Decodes the UTF-8 sequence at s[i]. Returns the code point and stores its length in `len`,
// or returns -1 if the bytes there are not a valid sequence (RFC 3629 §4).
long decode_utf8(std::string_view s, std::size_t i, std::size_t& len) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
  unsigned char b0 = byte(0);
  if (b0 < 0x80) {
    len = 1;
    return b0;
  }
  // The sequence length, the lead byte's payload bits and the smallest code point that
  // needs this length (anything smaller is an overlong form).
  struct Form {
    std::size_t n;
    long payload_mask;
    long min;
  };
  Form form;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    form = {2, 0x1F, 0x80};
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    form = {3, 0x0F, 0x800};
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    form = {4, 0x07, 0x10000};
  } else {
    return -1;
  }
  const std::size_t n = form.n;
  long cp = b0 & form.payload_mask;
  if (i + n > s.size()) return -1;
  for (std::size_t k = 1; k < n; ++k) {
    if ((byte(k) & 0xC0) != 0x80) return -1;
    cp = cp << 6 | (byte(k) & 0x3F);
  }
  if (cp < form.min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return -1;
  len = n;
  return cp;
}

// Unicode White_Space (PropList.txt), the set Go's unicode.IsSpace reports.
bool is_unicode_space(long cp) {
  return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680 ||
         (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F ||
         cp == 0x205F || cp == 0x3000;
}

}  // namespace

void check_note_chars(std::string_view text, std::string_view what) {
  for (std::size_t i = 0, len = 0; i < text.size(); i += len) {
    long cp = decode_utf8(text, i, len);
    if (cp < 0) throw_bad_input(fmt::format("{}: invalid UTF-8 at byte offset {}", what, i));
    if (cp < 0x20 && cp != '\n')
      throw_bad_input(
          fmt::format("{}: control character U+{:04X} at byte offset {} (only newline "
                      "is allowed)",
                      what, cp, i));
  }
}

std::string key_name_problem(std::string_view name) {
  if (name.empty()) return "it is empty";
  for (std::size_t i = 0, len = 0; i < name.size(); i += len) {
    long cp = decode_utf8(name, i, len);
    if (cp < 0) return fmt::format("invalid UTF-8 at byte offset {}", i);
    if (is_unicode_space(cp))
      return fmt::format("it contains the space character U+{:04X} at byte offset {}", cp, i);
    if (cp < 0x20 || cp == 0x7F)
      return fmt::format("it contains the control character U+{:04X} at byte offset {}", cp, i);
    if (cp == '+') return fmt::format("it contains '+' at byte offset {}", i);
  }
  return {};
}

std::string printable(std::string_view s, std::size_t max_bytes) {
  std::string out;
  for (std::size_t i = 0, len = 0; i < s.size(); i += len) {
    if (i >= max_bytes) {
      out += "…";
      break;
    }
    long cp = decode_utf8(s, i, len);
    if (cp < 0) {
      len = 1;
      out += fmt::format("\\x{:02x}", static_cast<unsigned char>(s[i]));
    } else if (cp < 0x20 || cp == 0x7F) {
      out += fmt::format("\\x{:02x}", cp);
    } else if (cp == '\\') {
      out += "\\\\";
    } else {
      out += s.substr(i, len);
    }
  }
  return out;
}

std::uint64_t parse_decimal_u64(std::string_view digits, std::string_view what) {
  if (digits.empty())
    throw_bad_input(fmt::format("{}: expected a decimal number, got nothing", what));
  if (digits.size() > 20)
    throw_bad_input(fmt::format("{}: {} characters is too long for a 64-bit decimal number", what,
                                digits.size()));
  for (char c : digits)
    if (c < '0' || c > '9')
      throw_bad_input(
          fmt::format("{}: '{}' is not an ASCII decimal number", what, printable(digits)));
  if (digits.size() > 1 && digits[0] == '0')
    throw_bad_input(fmt::format("{}: '{}' has a leading zero", what, digits));
  std::uint64_t value = 0;
  constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
  for (char c : digits) {
    auto d = static_cast<std::uint64_t>(c - '0');
    if (value > (kMax - d) / 10)
      throw_bad_input(fmt::format("{}: '{}' does not fit in 64 bits", what, digits));
    value = value * 10 + d;
  }
  return value;
}

}  // namespace agtrace::note
