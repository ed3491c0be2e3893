// Thresholding and ZPL's hex run-length compression.
#include "labeler/render/mono_bitmap.h"

#include <algorithm>

namespace agtrace::labeler {
namespace {

void append_count(std::string& out, int n) {
  // Repeat characters add up: g..z count 20..400, G..Y count 1..19.
  while (n >= 20) {
    int twenties = std::min(n / 20, 20);
    out.push_back(static_cast<char>('g' + twenties - 1));
    n -= twenties * 20;
  }
  if (n > 0) out.push_back(static_cast<char>('G' + n - 1));
}

}  // namespace

MonoBitmap threshold(cairo_surface_t* surface) {
  cairo_surface_flush(surface);
  MonoBitmap b;
  b.width = cairo_image_surface_get_width(surface);
  b.height = cairo_image_surface_get_height(surface);
  b.row_bytes = (b.width + 7) / 8;
  b.bits.assign(static_cast<std::size_t>(b.row_bytes) * b.height, 0);
  const unsigned char* data = cairo_image_surface_get_data(surface);
  int stride = cairo_image_surface_get_stride(surface);
  for (int y = 0; y < b.height; ++y) {
    const auto* row = reinterpret_cast<const std::uint32_t*>(data + static_cast<std::size_t>(y) * stride);
    std::uint8_t* out = b.bits.data() + static_cast<std::size_t>(y) * b.row_bytes;
    for (int x = 0; x < b.width; ++x) {
      std::uint32_t p = row[x];
      unsigned lum = (((p >> 16) & 255) * 299 + ((p >> 8) & 255) * 587 + (p & 255) * 114) / 1000;
      if (lum < 128) out[x / 8] = static_cast<std::uint8_t>(out[x / 8] | (0x80 >> (x % 8)));
    }
  }
  return b;
}

std::string zpl_compressed_hex(const MonoBitmap& b) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  std::string row, prev;
  for (int y = 0; y < b.height; ++y) {
    row.clear();
    const std::uint8_t* r = b.bits.data() + static_cast<std::size_t>(y) * b.row_bytes;
    for (int i = 0; i < b.row_bytes; ++i) {
      row.push_back(kHex[r[i] >> 4]);
      row.push_back(kHex[r[i] & 15]);
    }
    if (y > 0 && row == prev) {
      out.push_back(':');
      continue;
    }
    prev = row;
    std::size_t end = row.size();
    char fill = 0;
    if (row.back() == '0' || row.back() == 'F') {
      char c = row.back();
      std::size_t s = end;
      while (s > 0 && row[s - 1] == c) --s;
      if (end - s >= 2 || s == 0) {
        fill = c == '0' ? ',' : '!';
        end = s;
      }
    }
    for (std::size_t i = 0; i < end;) {
      std::size_t j = i;
      while (j < end && row[j] == row[i]) ++j;
      int n = static_cast<int>(j - i);
      if (n > 1) append_count(out, n);
      out.push_back(row[i]);
      i = j;
    }
    if (fill) out.push_back(fill);
  }
  return out;
}

std::string tspl_bitmap_bytes(const MonoBitmap& b) {
  std::string out(b.bits.size(), '\0');
  for (std::size_t i = 0; i < b.bits.size(); ++i) out[i] = static_cast<char>(~b.bits[i]);
  return out;
}

}  // namespace agtrace::labeler
