// Crockford base32 encoding of a bit string.
#include "ledger/util/crockford.h"

namespace agtrace {

std::string crockford_encode(std::span<const std::uint8_t> bytes, std::size_t chars) {
  static constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  std::string out;
  out.reserve(chars);
  for (std::size_t c = 0; c < chars; ++c) {
    unsigned v = 0;
    for (std::size_t b = 0; b < 5; ++b) {
      std::size_t bit = c * 5 + b;
      std::size_t byte = bit / 8;
      unsigned x = byte < bytes.size() ? bytes[byte] >> (7 - bit % 8) & 1 : 0;
      v = v << 1 | x;
    }
    out.push_back(kAlphabet[v]);
  }
  return out;
}

}  // namespace agtrace
