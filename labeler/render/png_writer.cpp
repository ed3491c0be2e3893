// PNG output: static layer drawn (and mapped to a palette) once per job; per label only
// the region with per-label content is restored, filled with the QR (straight into the
// pixels) and the per-label text (pango), and re-indexed; libpng writes 8-bit palette
// rows with fast zlib settings.
#include <png.h>
#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <unordered_map>
#include <cstring>
#include <stdexcept>

#include "labeler/render/layout.h"
#include "labeler/render/writer.h"

namespace agtrace::labeler {
namespace {

void append_bytes(png_structp png, png_bytep data, png_size_t n) {
  auto* out = static_cast<std::string*>(png_get_io_ptr(png));
  out->append(reinterpret_cast<const char*>(data), n);
}

void png_error_fn(png_structp, png_const_charp msg) { throw std::runtime_error(std::string("libpng: ") + msg); }
void png_warning_fn(png_structp, png_const_charp) {}

// An 8-bit palette image: the static layer's most frequent colours plus a grey ramp for
// the per-label black-on-white parts, so each label is one byte per pixel to compress.
struct Palette {
  std::vector<std::uint32_t> colors;  // 0xRRGGBB, at most 256
  // Direct-mapped cache colour → index in front of the nearest-colour search.
  std::vector<std::uint32_t> cache_key;
  std::vector<std::uint8_t> cache_index;

  Palette() : cache_key(1 << 14, 0xFFFFFFFFu), cache_index(1 << 14, 0) {}

  std::uint8_t nearest(std::uint32_t c) const {
    int best = 0;
    long best_d = -1;
    for (std::size_t i = 0; i < colors.size(); ++i) {
      long dr = static_cast<long>((c >> 16) & 255) - ((colors[i] >> 16) & 255);
      long dg = static_cast<long>((c >> 8) & 255) - ((colors[i] >> 8) & 255);
      long db = static_cast<long>(c & 255) - (colors[i] & 255);
      long d = dr * dr * 3 + dg * dg * 4 + db * db * 2;
      if (best_d < 0 || d < best_d) {
        best_d = d;
        best = static_cast<int>(i);
      }
    }
    return static_cast<std::uint8_t>(best);
  }
  std::uint8_t index(std::uint32_t c) {
    c &= 0xFFFFFF;
    std::size_t h = (c * 2654435761u) >> 18 & ((1 << 14) - 1);
    if (cache_key[h] != c) {
      cache_key[h] = c;
      cache_index[h] = nearest(c);
    }
    return cache_index[h];
  }
};

class PngWriter final : public LabelWriter {
 public:
  explicit PngWriter(const LabelPainter& p) : p_(p) {
    static_ = cairo_image_surface_create(CAIRO_FORMAT_RGB24, p.width(), p.height());
    cairo_t* cr = cairo_create(static_);
    p.paint_static(cr);
    cairo_destroy(cr);
    cairo_surface_flush(static_);
    work_ = cairo_image_surface_create(CAIRO_FORMAT_RGB24, p.width(), p.height());
    cr_ = cairo_create(work_);
    build_palette();
    dynamic_region();
  }
  ~PngWriter() override {
    cairo_destroy(cr_);
    cairo_surface_destroy(work_);
    cairo_surface_destroy(static_);
  }
  std::string_view extension() const override { return "png"; }
  bool file_per_label() const override { return true; }

  std::string label(const std::string& serial, const std::string& uri) override {
    // Only the rows that per-label content touches are restored and re-indexed.
    cairo_surface_flush(work_);
    int stride = cairo_image_surface_get_stride(static_);
    std::size_t offset = static_cast<std::size_t>(y0_) * stride;
    std::memcpy(cairo_image_surface_get_data(work_) + offset, cairo_image_surface_get_data(static_) + offset,
                static_cast<std::size_t>(y1_ - y0_) * stride);
    fill_qr(encode_qr(uri, p_.ec()));
    cairo_surface_mark_dirty(work_);
    cairo_save(cr_);
    cairo_rectangle(cr_, x0_, y0_, x1_ - x0_, y1_ - y0_);
    cairo_clip(cr_);
    p_.paint_per_label_text(cr_, serial, uri);
    cairo_restore(cr_);
    cairo_surface_flush(work_);
    indices_ = static_indices_;
    const unsigned char* data = cairo_image_surface_get_data(work_);
    int w = p_.width();
    for (int y = y0_; y < y1_; ++y) {
      const auto* row = reinterpret_cast<const std::uint32_t*>(data + static_cast<std::size_t>(y) * stride);
      std::uint8_t* out = indices_.data() + static_cast<std::size_t>(y) * w;
      for (int x = x0_; x < x1_; ++x) out[x] = palette_.index(row[x]);
    }
    return encode_indexed();
  }

 private:
  const LabelPainter& p_;
  cairo_surface_t* static_ = nullptr;
  cairo_surface_t* work_ = nullptr;
  cairo_t* cr_ = nullptr;
  Palette palette_;
  std::vector<std::uint8_t> static_indices_, indices_;
  int x0_ = 0, y0_ = 0, x1_ = 0, y1_ = 0;  // the per-label region, in dots

  void build_palette() {
    int w = p_.width(), h = p_.height(), stride = cairo_image_surface_get_stride(static_);
    const unsigned char* data = cairo_image_surface_get_data(static_);
    std::unordered_map<std::uint32_t, std::size_t> counts;
    for (int y = 0; y < h; ++y) {
      const auto* row = reinterpret_cast<const std::uint32_t*>(data + static_cast<std::size_t>(y) * stride);
      for (int x = 0; x < w; ++x) ++counts[row[x] & 0xFFFFFF];
    }
    // A grey ramp (black and white included) for the per-label black-on-white parts.
    for (std::uint32_t g = 0; g < 256; g += 17) palette_.colors.push_back(g << 16 | g << 8 | g);
    std::vector<std::pair<std::size_t, std::uint32_t>> by_count;
    for (const auto& [c, n] : counts) by_count.push_back({n, c});
    std::sort(by_count.rbegin(), by_count.rend());
    for (const auto& [n, c] : by_count) {
      if (palette_.colors.size() == 256) break;
      if (std::find(palette_.colors.begin(), palette_.colors.end(), c) == palette_.colors.end())
        palette_.colors.push_back(c);
    }
    static_indices_.resize(static_cast<std::size_t>(w) * h);
    for (int y = 0; y < h; ++y) {
      const auto* row = reinterpret_cast<const std::uint32_t*>(data + static_cast<std::size_t>(y) * stride);
      for (int x = 0; x < w; ++x) static_indices_[static_cast<std::size_t>(y) * w + x] = palette_.index(row[x]);
    }
  }

  void dynamic_region() {
    const QrPlacement& q = p_.qr();
    int quiet = kQuietZoneModules * q.module;
    x0_ = q.x - quiet;
    y0_ = q.y - quiet;
    x1_ = q.x + q.side() + quiet;
    y1_ = q.y + q.side() + quiet;
    for (const auto& t : p_.per_label_texts()) {
      x0_ = std::min(x0_, t.x);
      y0_ = std::min(y0_, t.y);
      x1_ = std::max(x1_, t.x + t.w);
      y1_ = std::max(y1_, t.y + t.h);
    }
    x0_ = std::clamp(x0_, 0, p_.width());
    x1_ = std::clamp(x1_, 0, p_.width());
    y0_ = std::clamp(y0_, 0, p_.height());
    y1_ = std::clamp(y1_, 0, p_.height());
  }

  void fill_qr(const QrMatrix& m) {
    const QrPlacement& q = p_.qr();
    unsigned char* data = cairo_image_surface_get_data(work_);
    int stride = cairo_image_surface_get_stride(work_);
    for (int my = 0; my < m.size; ++my) {
      auto* row0 = reinterpret_cast<std::uint32_t*>(data + static_cast<std::size_t>(q.y + my * q.module) * stride);
      for (int mx = 0; mx < m.size; ++mx) {
        if (!m.at(mx, my)) continue;
        std::uint32_t* px = row0 + q.x + mx * q.module;
        for (int i = 0; i < q.module; ++i) px[i] = 0;
      }
      for (int r = 1; r < q.module; ++r)
        std::memcpy(data + static_cast<std::size_t>(q.y + my * q.module + r) * stride + q.x * 4,
                    reinterpret_cast<unsigned char*>(row0 + q.x), static_cast<std::size_t>(q.side()) * 4);
    }
  }

  std::string encode_indexed() {
    int w = p_.width(), h = p_.height();
    std::string out;
    out.reserve(static_cast<std::size_t>(w) * h / 16);
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, png_error_fn, png_warning_fn);
    png_infop info = png_create_info_struct(png);
    try {
      png_set_write_fn(png, &out, append_bytes, nullptr);
      png_set_compression_level(png, 1);
      png_set_compression_strategy(png, Z_RLE);
      png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE);
      png_set_IHDR(png, info, static_cast<png_uint_32>(w), static_cast<png_uint_32>(h), 8, PNG_COLOR_TYPE_PALETTE,
                   PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_BASE, PNG_FILTER_TYPE_BASE);
      std::vector<png_color> plte;
      for (auto c : palette_.colors)
        plte.push_back({static_cast<png_byte>(c >> 16), static_cast<png_byte>(c >> 8), static_cast<png_byte>(c)});
      png_set_PLTE(png, info, plte.data(), static_cast<int>(plte.size()));
      auto ppm = static_cast<png_uint_32>(std::lround(p_.dpi() / 0.0254));
      png_set_pHYs(png, info, ppm, ppm, PNG_RESOLUTION_METER);
      png_write_info(png, info);
      for (int y = 0; y < h; ++y) png_write_row(png, indices_.data() + static_cast<std::size_t>(y) * w);
      png_write_end(png, info);
    } catch (...) {
      png_destroy_write_struct(&png, &info);
      throw;
    }
    png_destroy_write_struct(&png, &info);
    return out;
  }
};

}  // namespace

std::string encode_png(cairo_surface_t* surface, int dpi) {
  cairo_surface_flush(surface);
  int w = cairo_image_surface_get_width(surface);
  int h = cairo_image_surface_get_height(surface);
  int stride = cairo_image_surface_get_stride(surface);
  unsigned char* data = cairo_image_surface_get_data(surface);
  std::string out;
  out.reserve(static_cast<std::size_t>(w) * h / 8);
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, png_error_fn, png_warning_fn);
  png_infop info = png_create_info_struct(png);
  try {
    png_set_write_fn(png, &out, append_bytes, nullptr);
    png_set_compression_level(png, 1);
    png_set_compression_strategy(png, Z_RLE);
    // SUB turns flat colour runs into zero runs, which Z_RLE (no match search) packs well.
    png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_SUB);
    png_set_IHDR(png, info, static_cast<png_uint_32>(w), static_cast<png_uint_32>(h), 8, PNG_COLOR_TYPE_RGB,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_BASE, PNG_FILTER_TYPE_BASE);
    auto ppm = static_cast<png_uint_32>(std::lround(dpi / 0.0254));
    png_set_pHYs(png, info, ppm, ppm, PNG_RESOLUTION_METER);
    png_write_info(png, info);
    // cairo's RGB24 is a native-endian 32-bit xRGB word: B, G, R, x in memory here.
    png_set_bgr(png);
    png_set_filler(png, 0, PNG_FILLER_AFTER);
    for (int y = 0; y < h; ++y) png_write_row(png, data + static_cast<std::size_t>(y) * stride);
    png_write_end(png, info);
  } catch (...) {
    png_destroy_write_struct(&png, &info);
    throw;
  }
  png_destroy_write_struct(&png, &info);
  return out;
}

std::unique_ptr<LabelWriter> make_png_writer(const LabelPainter& p) { return std::make_unique<PngWriter>(p); }

}  // namespace agtrace::labeler
