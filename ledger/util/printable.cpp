// Control characters in stored text, found and escaped for printing (printable.h).
#include "ledger/util/printable.h"

#include <fmt/format.h>

namespace agtrace {

namespace {

// The length of the control character at `i` of `s` (1 for C0 and DEL, 2 for a C1 control
// encoded as C2 80..C2 9F), 0 when there is none; sets `code` to its code point.
std::size_t control_at(std::string_view s, std::size_t i, unsigned& code) {
  const auto b = static_cast<unsigned char>(s[i]);
  if (b < 0x20 || b == 0x7F) {
    code = b;
    return 1;
  }
  if (b == 0xC2 && i + 1 < s.size()) {
    const auto c = static_cast<unsigned char>(s[i + 1]);
    if (c >= 0x80 && c <= 0x9F) {
      code = c;
      return 2;
    }
  }
  return 0;
}

}  // namespace

bool has_control_chars(std::string_view text) {
  unsigned code = 0;
  for (std::size_t i = 0; i < text.size(); ++i)
    if (control_at(text, i, code)) return true;
  return false;
}

std::string escape_controls(std::string_view text, bool keep_line_feeds) {
  std::string out;
  out.reserve(text.size());
  unsigned code = 0;
  for (std::size_t i = 0; i < text.size();) {
    if (keep_line_feeds && text[i] == '\n') {
      out += text[i++];
    } else if (const std::size_t n = control_at(text, i, code)) {
      out += fmt::format("\\u{:04x}", code);
      i += n;
    } else {
      out += text[i++];
    }
  }
  return out;
}

}  // namespace agtrace
