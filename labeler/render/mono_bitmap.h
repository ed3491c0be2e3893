// 1-bit images for thermal printers, and ZPL II's ASCII hex compression.
//
// Bits are packed most significant first, rows padded to whole bytes. In a MonoBitmap a
// set bit means a black dot, as in ZPL ^GF/~DG (ZPL II Programming Guide, ^GF); TSPL's
// BITMAP uses the opposite meaning (a set bit is white: TSPL/TSPL2 Programming Manual,
// BITMAP), see tspl_bitmap_bytes().
#pragma once

#include <cairo.h>

#include <cstdint>
#include <string>
#include <vector>

namespace agtrace::labeler {

struct MonoBitmap {
  int width = 0, height = 0;  // dots
  int row_bytes = 0;          // ceil(width / 8)
  std::vector<std::uint8_t> bits;

  bool black(int x, int y) const {
    return (bits[static_cast<std::size_t>(y) * row_bytes + x / 8] >> (7 - x % 8)) & 1;
  }
};

// Thresholds an image surface (CAIRO_FORMAT_RGB24 or ARGB32) at half luminance
// (ITU-R BT.601 weights): darker dots become black.
MonoBitmap threshold(cairo_surface_t* surface);

// ZPL II compressed ASCII hex of `b` (ZPL II Programming Guide, "Alternative Data
// Compression Scheme for ~DG and ~DB Commands"): per row, runs of a hex digit as a count
// (G–Y = 1–19, g–z = 20–400) and the digit; ',' fills the rest of a row with 0, '!' with
// F, ':' repeats the previous row.
std::string zpl_compressed_hex(const MonoBitmap& b);

// The bytes of a TSPL BITMAP command's data: rows of `b` with every bit inverted (a set
// bit is white).
std::string tspl_bitmap_bytes(const MonoBitmap& b);

}  // namespace agtrace::labeler
