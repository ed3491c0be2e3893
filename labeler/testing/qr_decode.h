// Test oracles outside the project (DESIGN §7): zbar and ZXing-C++ decode the QR codes
// we render, in raw-bytes mode, so that the bytes can be compared with the payload.
// For tests only.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <cairo.h>

namespace agtrace::labeler::testing {

// An 8-bit grey image (0 black .. 255 white).
struct GrayImage {
  int width = 0, height = 0;
  std::vector<std::uint8_t> pixels;
};

GrayImage gray_from_surface(cairo_surface_t* surface);
// Reads a PNG file (any colour type cairo reads). Throws std::runtime_error.
GrayImage load_png(const std::string& path);

// Every QR symbol found, as raw bytes (zbar with ZBAR_CFG_BINARY; ZXing's bytes()).
std::vector<std::string> zbar_decode(const GrayImage& image);
std::vector<std::string> zxing_decode(const GrayImage& image);

// Runs a shell command, returns its exit status and (if `out`) its standard output.
int run(const std::string& command, std::string* out = nullptr);
std::string read_file(const std::string& path);
// A fresh empty directory under the build tree for one test.
std::string scratch_dir(const std::string& name);

}  // namespace agtrace::labeler::testing
