// QR Code symbols (ISO/IEC 18004:2015) through libqrencode, always in 8-bit byte mode
// (§7.4.5): the payload's bytes are encoded as they are — never Kanji mode, never
// upper-cased as libqrencode's case-insensitive string mode would (DESIGN §4).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace agtrace::labeler {

// Error-correction level (ISO/IEC 18004 §7.5.1): recovers about 7, 15, 25, 30 % of
// codewords.
enum class EcLevel { L, M, Q, H };

// Parses "L", "M", "Q" or "H". Throws Error(bad_input) naming `field` otherwise.
EcLevel parse_ec_level(std::string_view s, std::string_view field);
char ec_letter(EcLevel ec);

// A QR symbol without its quiet zone: `size` × `size` modules, row-major, 1 = dark.
struct QrMatrix {
  int version = 0;  // 1..40
  int size = 0;     // 17 + 4 × version modules
  std::vector<std::uint8_t> dark;

  bool at(int x, int y) const { return dark[static_cast<std::size_t>(y) * size + x] != 0; }
};

// Encodes `payload` as one 8-bit segment at the smallest version that holds it.
// Throws Error(bad_input) if it is too long for any version at `ec`.
QrMatrix encode_qr(std::string_view payload, EcLevel ec);

// The version `encode_qr` chooses for a payload of `bytes` bytes (8-bit mode), without
// encoding: the symbol size is the same for every label of a job.
int qr_version_for(std::size_t bytes, EcLevel ec);

}  // namespace agtrace::labeler
