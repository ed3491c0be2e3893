// Byte strings and their text encodings: lower-case hex and standard base64
// (RFC 4648 §4, with padding). Decoders are strict: they reject any character
// outside the alphabet, wrong padding and non-canonical trailing bits, and
// throw agtrace::Error(bad_input) naming `what` (the field being decoded).
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace agtrace {

using Bytes = std::vector<std::uint8_t>;
// A SHA-256 output: 32 bytes.
using Hash = std::array<std::uint8_t, 32>;

std::span<const std::uint8_t> as_bytes(std::string_view s);
std::string to_string(std::span<const std::uint8_t> b);

std::string hex_encode(std::span<const std::uint8_t> b);
Bytes hex_decode(std::string_view hex, std::string_view what);
// Decodes exactly 64 hex digits into a Hash.
Hash hash_from_hex(std::string_view hex, std::string_view what);

std::string base64_encode(std::span<const std::uint8_t> b);
Bytes base64_decode(std::string_view text, std::string_view what);

}  // namespace agtrace
