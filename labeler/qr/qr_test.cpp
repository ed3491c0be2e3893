// QR symbols: 8-bit mode, exact bytes, versions (ISO/IEC 18004 Table 7), decoded by
// zbar and ZXing-C++ in raw-bytes mode.
#include <doctest/doctest.h>

#include <cairo.h>

#include "labeler/qr/qr.h"
#include "labeler/testing/qr_decode.h"
#include "ledger/util/error.h"

using namespace agtrace;
using namespace agtrace::labeler;

namespace {

testing::GrayImage draw(const QrMatrix& m, int module) {
  int side = (m.size + 8) * module;
  testing::GrayImage g;
  g.width = g.height = side;
  g.pixels.assign(static_cast<std::size_t>(side) * side, 255);
  for (int y = 0; y < m.size; ++y)
    for (int x = 0; x < m.size; ++x)
      if (m.at(x, y))
        for (int dy = 0; dy < module; ++dy)
          for (int dx = 0; dx < module; ++dx)
            g.pixels[static_cast<std::size_t>((y + 4) * module + dy) * side + (x + 4) * module + dx] = 0;
  return g;
}

}  // namespace

TEST_CASE("payloads are encoded byte for byte: lower case, %-escapes and non-ASCII survive") {
  for (std::string payload : {std::string("https://trace.lucheng.example/01/06901234567892/10/LC%2F2022/21/ABCDEFGH12340"),
                              std::string("https://t.example/t/0123456789ABC"), std::string("潞城大葱 \x01\xff")}) {
    QrMatrix m = encode_qr(payload, EcLevel::M);
    CHECK(m.size == 17 + 4 * m.version);
    CHECK(m.version == qr_version_for(payload.size(), EcLevel::M));
    auto img = draw(m, 4);
    CHECK(testing::zbar_decode(img) == std::vector<std::string>{payload});
    CHECK(testing::zxing_decode(img) == std::vector<std::string>{payload});
  }
}

TEST_CASE("the version is the smallest that holds the bytes at the level") {
  for (EcLevel ec : {EcLevel::L, EcLevel::M, EcLevel::Q, EcLevel::H})
    for (std::size_t n : {1u, 14u, 26u, 27u, 62u, 63u, 84u, 85u, 100u, 200u, 500u})
      CHECK(encode_qr(std::string(n, 'a'), ec).version == qr_version_for(n, ec));
  CHECK_THROWS_AS(encode_qr(std::string(3000, 'a'), EcLevel::M), Error);
}

TEST_CASE("error-correction levels parse from letters") {
  CHECK(parse_ec_level("H", "ec") == EcLevel::H);
  CHECK(ec_letter(EcLevel::Q) == 'Q');
  CHECK_THROWS_AS(parse_ec_level("m", "ec"), Error);
}
