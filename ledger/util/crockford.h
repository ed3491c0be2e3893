// Crockford base32 (https://www.crockford.com/base32.html) without check symbols:
// digits 0-9 and A-Z less I, L, O, U; 5 bits per character, most significant first.
// Used for trace-code serials (13 characters carry 64 bits, DESIGN §4) and derived
// GS1-safe lot codes.
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace agtrace {

// Encodes the first `chars` * 5 bits of `bytes` (zero-padded past the end).
std::string crockford_encode(std::span<const std::uint8_t> bytes, std::size_t chars);

}  // namespace agtrace
