// TSPL BITMAP and QRCODE drawn for tests; ZXing-C++ encodes the QR symbols.
#include "labeler/testing/tspl_render.h"

#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>

#include <regex>
#include <stdexcept>

namespace agtrace::labeler::testing {
namespace {

void draw_qr(GrayImage& img, int x0, int y0, int cell, const std::string& data) {
  ZXing::BitMatrix m = ZXing::MultiFormatWriter(ZXing::BarcodeFormat::QRCode)
                           .setEncoding(ZXing::CharacterSet::BINARY)
                           .setMargin(0)
                           .encode(data, 0, 0);
  for (int my = 0; my < m.height(); ++my)
    for (int mx = 0; mx < m.width(); ++mx)
      if (m.get(mx, my))
        for (int dy = 0; dy < cell; ++dy)
          for (int dx = 0; dx < cell; ++dx) {
            int x = x0 + mx * cell + dx, y = y0 + my * cell + dy;
            if (x >= 0 && y >= 0 && x < img.width && y < img.height)
              img.pixels[static_cast<std::size_t>(y) * img.width + x] = 0;
          }
}

}  // namespace

TsplLabel render_tspl(const std::string& tspl, int width, int height) {
  TsplLabel out;
  out.image.width = width;
  out.image.height = height;
  out.image.pixels.assign(static_cast<std::size_t>(width) * height, 255);
  static const std::regex bitmap_re(R"(^BITMAP (\d+),(\d+),(\d+),(\d+),0,)");
  static const std::regex qr_re(R"re(^QRCODE (\d+),(\d+),([LMQH]),(\d+),M,0,M2,S7,"B(\d{4}))re");
  std::size_t pos = 0;
  while (pos < tspl.size() && out.prints == 0) {
    std::smatch m;
    std::string head = tspl.substr(pos, 64);
    if (std::regex_search(head, m, bitmap_re)) {
      int x = std::stoi(m[1]), y = std::stoi(m[2]), row_bytes = std::stoi(m[3]), rows = std::stoi(m[4]);
      std::size_t data = pos + static_cast<std::size_t>(m.length(0));
      std::size_t end = data + static_cast<std::size_t>(row_bytes) * rows;
      if (end + 2 > tspl.size() || tspl.compare(end, 2, "\r\n") != 0)
        throw std::runtime_error("TSPL BITMAP data does not end where its size says");
      for (int r = 0; r < rows; ++r)
        for (int c = 0; c < row_bytes * 8; ++c) {
          auto byte = static_cast<unsigned char>(tspl[data + static_cast<std::size_t>(r) * row_bytes + c / 8]);
          bool white = (byte >> (7 - c % 8)) & 1;
          int px = x + c, py = y + r;
          if (px < width && py < height)
            out.image.pixels[static_cast<std::size_t>(py) * width + px] = white ? 255 : 0;
        }
      pos = end + 2;
      continue;
    }
    std::size_t eol = tspl.find("\r\n", pos);
    if (eol == std::string::npos) throw std::runtime_error("TSPL command without CR LF");
    std::string line = tspl.substr(pos, eol - pos);
    if (std::regex_search(line, m, qr_re)) {
      std::size_t len = std::stoul(m[5]);
      std::size_t start = static_cast<std::size_t>(m.length(0));
      if (line.size() != start + len + 1 || line.back() != '"')
        throw std::runtime_error("TSPL QRCODE length prefix does not match its data");
      std::string data = line.substr(start, len);
      out.qr_data.push_back(data);
      draw_qr(out.image, std::stoi(m[1]), std::stoi(m[2]), std::stoi(m[4]), data);
    } else if (line.rfind("PRINT ", 0) == 0) {  // PRINT m[,n]
      ++out.prints;
    }
    pos = eol + 2;
  }
  return out;
}

}  // namespace agtrace::labeler::testing
