// Hex and base64 (RFC 4648 §4) encoders and strict decoders.
#include "ledger/util/bytes.h"

#include <fmt/format.h>

#include "ledger/util/error.h"

namespace agtrace {

namespace {
constexpr char kHexDigits[] = "0123456789abcdef";
constexpr char kBase64Alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

int base64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}
}  // namespace

std::span<const std::uint8_t> as_bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

std::string to_string(std::span<const std::uint8_t> b) {
  return std::string(reinterpret_cast<const char*>(b.data()), b.size());
}

std::string hex_encode(std::span<const std::uint8_t> b) {
  std::string out;
  out.reserve(b.size() * 2);
  for (std::uint8_t x : b) {
    out.push_back(kHexDigits[x >> 4]);
    out.push_back(kHexDigits[x & 15]);
  }
  return out;
}

Bytes hex_decode(std::string_view hex, std::string_view what) {
  if (hex.size() % 2 != 0)
    throw_bad_input(fmt::format("{}: hex string has odd length {}", what, hex.size()));
  Bytes out;
  out.reserve(hex.size() / 2);
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    int hi = hex_value(hex[i]), lo = hex_value(hex[i + 1]);
    if (hi < 0 || lo < 0)
      throw_bad_input(fmt::format("{}: not a hex digit at offset {}", what, hi < 0 ? i : i + 1));
    out.push_back(static_cast<std::uint8_t>(hi << 4 | lo));
  }
  return out;
}

Hash hash_from_hex(std::string_view hex, std::string_view what) {
  if (hex.size() != 64)
    throw_bad_input(fmt::format("{}: expected 64 hex digits (a SHA-256 hash), got {}", what,
                                hex.size()));
  Bytes b = hex_decode(hex, what);
  Hash h;
  std::copy(b.begin(), b.end(), h.begin());
  return h;
}

std::string base64_encode(std::span<const std::uint8_t> b) {
  std::string out;
  out.reserve((b.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= b.size(); i += 3) {
    std::uint32_t v = b[i] << 16 | b[i + 1] << 8 | b[i + 2];
    out.push_back(kBase64Alphabet[v >> 18 & 63]);
    out.push_back(kBase64Alphabet[v >> 12 & 63]);
    out.push_back(kBase64Alphabet[v >> 6 & 63]);
    out.push_back(kBase64Alphabet[v & 63]);
  }
  std::size_t rest = b.size() - i;
  if (rest == 1) {
    std::uint32_t v = b[i] << 16;
    out.push_back(kBase64Alphabet[v >> 18 & 63]);
    out.push_back(kBase64Alphabet[v >> 12 & 63]);
    out += "==";
  } else if (rest == 2) {
    std::uint32_t v = b[i] << 16 | b[i + 1] << 8;
    out.push_back(kBase64Alphabet[v >> 18 & 63]);
    out.push_back(kBase64Alphabet[v >> 12 & 63]);
    out.push_back(kBase64Alphabet[v >> 6 & 63]);
    out.push_back('=');
  }
  return out;
}

Bytes base64_decode(std::string_view text, std::string_view what) {
  if (text.size() % 4 != 0)
    throw_bad_input(fmt::format("{}: base64 length {} is not a multiple of 4", what, text.size()));
  Bytes out;
  out.reserve(text.size() / 4 * 3);
  for (std::size_t i = 0; i < text.size(); i += 4) {
    bool last = i + 4 == text.size();
    int pad = 0;
    if (last && text[i + 3] == '=') pad = text[i + 2] == '=' ? 2 : 1;
    std::uint32_t v = 0;
    for (int j = 0; j < 4; ++j) {
      char c = text[i + j];
      int d = 0;
      if (j >= 4 - pad) {
        if (c != '=') throw_bad_input(fmt::format("{}: bad base64 padding", what));
      } else {
        d = base64_value(c);
        if (d < 0)
          throw_bad_input(fmt::format("{}: invalid base64 character at offset {}", what, i + j));
      }
      v = v << 6 | static_cast<std::uint32_t>(d);
    }
    if ((pad == 1 && (v & 0xff)) || (pad == 2 && (v & 0xffff)))
      throw_bad_input(fmt::format("{}: non-canonical base64 (trailing bits set)", what));
    out.push_back(static_cast<std::uint8_t>(v >> 16));
    if (pad < 2) out.push_back(static_cast<std::uint8_t>(v >> 8));
    if (pad < 1) out.push_back(static_cast<std::uint8_t>(v));
  }
  return out;
}

}  // namespace agtrace
