// PNG output: static layer once per job, per label a copy, the QR filled straight into
// the pixels, per-label text by pango, and libpng with fast settings.
#include <png.h>
#include <zlib.h>

#include <cmath>
#include <cstring>
#include <stdexcept>

#include "labeler/render/writer.h"

namespace agtrace::labeler {
namespace {

void append_bytes(png_structp png, png_bytep data, png_size_t n) {
  auto* out = static_cast<std::string*>(png_get_io_ptr(png));
  out->append(reinterpret_cast<const char*>(data), n);
}

void png_error_fn(png_structp, png_const_charp msg) { throw std::runtime_error(std::string("libpng: ") + msg); }
void png_warning_fn(png_structp, png_const_charp) {}

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
  }
  ~PngWriter() override {
    cairo_destroy(cr_);
    cairo_surface_destroy(work_);
    cairo_surface_destroy(static_);
  }
  std::string_view extension() const override { return "png"; }
  bool file_per_label() const override { return true; }

  std::string label(const std::string& serial, const std::string& uri) override {
    cairo_surface_flush(work_);
    std::size_t bytes = static_cast<std::size_t>(cairo_image_surface_get_stride(static_)) * p_.height();
    std::memcpy(cairo_image_surface_get_data(work_), cairo_image_surface_get_data(static_), bytes);
    fill_qr(encode_qr(uri, p_.ec()));
    cairo_surface_mark_dirty(work_);
    p_.paint_per_label_text(cr_, serial, uri);
    return encode_png(work_, p_.dpi());
  }

 private:
  const LabelPainter& p_;
  cairo_surface_t* static_ = nullptr;
  cairo_surface_t* work_ = nullptr;
  cairo_t* cr_ = nullptr;

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
    png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE);
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
