// zbar and ZXing-C++ as QR oracles. zbar.h comes before ZXing's headers (DESIGN §7).
#include "labeler/testing/qr_decode.h"

#include <zbar.h>

#define ZX_USE_UTF8 1
#include <ZXing/ReadBarcode.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <sys/wait.h>

namespace agtrace::labeler::testing {

GrayImage gray_from_surface(cairo_surface_t* s) {
  cairo_surface_flush(s);
  GrayImage g;
  g.width = cairo_image_surface_get_width(s);
  g.height = cairo_image_surface_get_height(s);
  g.pixels.resize(static_cast<std::size_t>(g.width) * g.height);
  const unsigned char* data = cairo_image_surface_get_data(s);
  int stride = cairo_image_surface_get_stride(s);
  cairo_format_t fmt = cairo_image_surface_get_format(s);
  for (int y = 0; y < g.height; ++y) {
    const unsigned char* row = data + static_cast<std::size_t>(y) * stride;
    for (int x = 0; x < g.width; ++x) {
      unsigned v;
      if (fmt == CAIRO_FORMAT_A8) {
        v = 255 - row[x];
      } else {
        std::uint32_t p = reinterpret_cast<const std::uint32_t*>(row)[x];
        unsigned a = fmt == CAIRO_FORMAT_ARGB32 ? p >> 24 : 255;
        unsigned lum = (((p >> 16) & 255) * 299 + ((p >> 8) & 255) * 587 + (p & 255) * 114) / 1000;
        v = lum + (255 - a);  // premultiplied over white
      }
      g.pixels[static_cast<std::size_t>(y) * g.width + x] = static_cast<std::uint8_t>(std::min(v, 255u));
    }
  }
  return g;
}

GrayImage load_png(const std::string& path) {
  cairo_surface_t* s = cairo_image_surface_create_from_png(path.c_str());
  if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
    cairo_surface_destroy(s);
    throw std::runtime_error("cannot read PNG " + path);
  }
  GrayImage g = gray_from_surface(s);
  cairo_surface_destroy(s);
  return g;
}

std::vector<std::string> zbar_decode(const GrayImage& image) {
  zbar::zbar_image_scanner_t* scanner = zbar::zbar_image_scanner_create();
  zbar::zbar_image_scanner_set_config(scanner, zbar::ZBAR_NONE, zbar::ZBAR_CFG_ENABLE, 0);
  zbar::zbar_image_scanner_set_config(scanner, zbar::ZBAR_QRCODE, zbar::ZBAR_CFG_ENABLE, 1);
  zbar::zbar_image_scanner_set_config(scanner, zbar::ZBAR_QRCODE, zbar::ZBAR_CFG_BINARY, 1);
  zbar::zbar_image_t* img = zbar::zbar_image_create();
  zbar::zbar_image_set_format(img, zbar_fourcc('Y', '8', '0', '0'));
  zbar::zbar_image_set_size(img, static_cast<unsigned>(image.width), static_cast<unsigned>(image.height));
  zbar::zbar_image_set_data(img, image.pixels.data(), image.pixels.size(), nullptr);
  std::vector<std::string> out;
  if (zbar::zbar_scan_image(scanner, img) > 0) {
    for (const zbar::zbar_symbol_t* sym = zbar::zbar_image_first_symbol(img); sym;
         sym = zbar::zbar_symbol_next(sym))
      out.emplace_back(zbar::zbar_symbol_get_data(sym), zbar::zbar_symbol_get_data_length(sym));
  }
  zbar::zbar_image_destroy(img);
  zbar::zbar_image_scanner_destroy(scanner);
  return out;
}

std::vector<std::string> zxing_decode(const GrayImage& image) {
  ZXing::DecodeHints hints;
  hints.setFormats(ZXing::BarcodeFormat::QRCode);
  hints.setTryHarder(true);
  ZXing::ImageView view(image.pixels.data(), image.width, image.height, ZXing::ImageFormat::Lum);
  std::vector<std::string> out;
  for (const auto& r : ZXing::ReadBarcodes(view, hints)) {
    if (!r.isValid()) continue;
    const auto& b = r.bytes();
    out.emplace_back(b.begin(), b.end());
  }
  return out;
}

int run(const std::string& command, std::string* out) {
  FILE* p = ::popen(command.c_str(), "r");
  if (!p) return -1;
  std::array<char, 65536> buf;
  std::size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0)
    if (out) out->append(buf.data(), n);
  int status = ::pclose(p);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string scratch_dir(const std::string& name) {
  std::filesystem::path p = std::filesystem::path(AGTRACE_TEST_SCRATCH) / name;
  std::filesystem::remove_all(p);
  std::filesystem::create_directories(p);
  return p.string();
}

}  // namespace agtrace::labeler::testing
