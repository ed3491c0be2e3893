// The lot tag (lot_tag.h): its Code 128 read back by zbar from the PNG, from the ZPL as the
// independent zpl-renderer-js draws it and from the TSPL as the tests' TSPL drawing does;
// whole-dot bars; refusals in Chinese first, nothing rendered.
#include "labeler/lot_tag/lot_tag.h"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <cmath>
#include <algorithm>
#include <fstream>
#include <functional>

#include "labeler/testing/qr_decode.h"
#include "labeler/testing/tspl_render.h"
#include "ledger/util/error.h"

using namespace agtrace;
using namespace agtrace::labeler;

namespace {

const std::string kSource = AGTRACE_SOURCE_DIR;

LotTag scallions() { return {"LC22-K-0001", "潞城大葱", "山西聪和农业科技有限公司", "2022-10-10", "2000 件"}; }

void write_file(const std::string& path, const std::string& bytes) {
  std::ofstream f(path, std::ios::binary);
  f << bytes;
}

// What zbarimg reads from a PNG file: "CODE-128:DATA" lines.
std::string zbar_read(const std::string& png) {
  std::string out;
  testing::run(fmt::format("zbarimg -q {} 2>/dev/null", png), &out);
  return out;
}

std::string refusal(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::bad_input);
    return e.what();
  }
  FAIL("not refused");
  return "";
}

}  // namespace

TEST_CASE("PNG: zbar reads the lot id from the Code 128, at every resolution and on the smallest tag") {
  for (int dpi : {203, 300, 600}) {
    for (auto [w, h] : {std::pair{100.0, 70.0}, std::pair{60.0, 40.0}}) {
      CAPTURE(dpi);
      CAPTURE(w);
      std::string dir = testing::scratch_dir(fmt::format("lot-tag-png-{}-{}", dpi, w));
      write_file(dir + "/tag.png", render_lot_tag(scallions(), "png", dpi, w, h));
      CHECK(zbar_read(dir + "/tag.png") == "CODE-128:LC22-K-0001\n");
      auto img = testing::load_png(dir + "/tag.png");
      CHECK(img.width == std::lround(w * dpi / 25.4));
      CHECK(img.height == std::lround(h * dpi / 25.4));
    }
  }
}

TEST_CASE("ZPL drawn by zpl-renderer-js and TSPL drawn independently: the same lot id; copies") {
  static const bool installed = testing::run(kSource + "/tests/oracles/install.sh") == 0;
  REQUIRE(installed);
  for (int dpi : {203, 300}) {
    CAPTURE(dpi);
    std::string dir = testing::scratch_dir(fmt::format("lot-tag-zpl-{}", dpi));
    std::string zpl = render_lot_tag(scallions(), "zpl", dpi, 100, 70, 3);
    for (unsigned char c : zpl) REQUIRE_MESSAGE(c < 0x80, "ZPL output is ASCII: Chinese goes as a graphic");
    CHECK(zpl.find("^PQ3\n") != std::string::npos);
    write_file(dir + "/tag.zpl", zpl);
    REQUIRE(testing::run(fmt::format("node {}/tests/oracles/zpl_render.js {}/tag.zpl 100 70 {} {}", kSource, dir,
                                     std::lround(dpi / 25.4), dir)) == 0);
    CHECK(zbar_read(dir + "/label-00001.png") == "CODE-128:LC22-K-0001\n");

    std::string tspl = render_lot_tag(scallions(), "tspl", dpi, 100, 70, 2);
    CHECK(tspl.find("SIZE 100 mm,70 mm\r\n") == 0);
    auto drawn = testing::render_tspl(tspl, static_cast<int>(std::lround(100 * dpi / 25.4)),
                                      static_cast<int>(std::lround(70 * dpi / 25.4)));
    CHECK(drawn.prints == 1);
    CHECK(tspl.find("PRINT 1,2\r\n") != std::string::npos);
    cairo_surface_t* s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, drawn.image.width, drawn.image.height);
    unsigned char* data = cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s);
    for (int y = 0; y < drawn.image.height; ++y)
      for (int x = 0; x < drawn.image.width; ++x) {
        std::uint8_t g = drawn.image.pixels[static_cast<std::size_t>(y) * drawn.image.width + x];
        reinterpret_cast<std::uint32_t*>(data + y * stride)[x] = 0xFF000000u | g << 16 | g << 8 | g;
      }
    cairo_surface_mark_dirty(s);
    cairo_surface_write_to_png(s, (dir + "/tspl.png").c_str());
    cairo_surface_destroy(s);
    CHECK(zbar_read(dir + "/tspl.png") == "CODE-128:LC22-K-0001\n");
  }
}

TEST_CASE("bars fall on whole dots: every bar and space of the PNG is a multiple of one module") {
  std::string dir = testing::scratch_dir("lot-tag-modules");
  write_file(dir + "/tag.png", render_lot_tag(scallions(), "png", 203, 100, 70));
  auto img = testing::load_png(dir + "/tag.png");
  // A row through the bars: the first with many black/white changes that the next 5 mm of
  // rows repeat exactly (text is never that tall and uniform).
  auto row = [&](int y) { return std::vector<std::uint8_t>(img.pixels.begin() + y * img.width, img.pixels.begin() + (y + 1) * img.width); };
  int best_row = -1;
  for (int y = 0; y + 40 < img.height && best_row < 0; ++y) {
    int changes = 0;
    for (int x = 1; x < img.width; ++x)
      changes += (img.pixels[y * img.width + x] < 128) != (img.pixels[y * img.width + x - 1] < 128);
    bool uniform = changes > 40;
    for (int d = 1; d <= 40 && uniform; ++d) uniform = row(y + d) == row(y);
    if (uniform) best_row = y;
  }
  REQUIRE(best_row >= 0);
  std::vector<int> runs;
  int run = 0;
  bool black = false, started = false;
  for (int x = 0; x < img.width; ++x) {
    bool b = img.pixels[best_row * img.width + x] < 128;
    if (!started) {
      if (!b) continue;
      started = true, black = true, run = 0;
    }
    if (b == black) {
      ++run;
    } else {
      runs.push_back(run);
      black = b, run = 1;
    }
  }
  if (black) runs.push_back(run);
  REQUIRE(runs.size() > 20);
  int module = *std::min_element(runs.begin(), runs.end());
  CHECK(module == 3);  // 0.375 mm at 203 dpi: the widest whole-dot module under 0.5 mm
  for (int r : runs) CHECK(r % module == 0);
}

TEST_CASE("refusals: Chinese first, naming what to change") {
  LotTag t = scallions();
  CHECK(refusal([&] { render_lot_tag(t, "pdf", 203, 100, 70); }).rfind("批次标签的格式", 0) == 0);
  CHECK(refusal([&] { render_lot_tag(t, "zpl", 250, 100, 70); }).rfind("分辨率", 0) == 0);
  CHECK(refusal([&] { render_lot_tag(t, "zpl", 203, 100, 70, 0); }).rfind("份数", 0) == 0);
  CHECK(refusal([&] { render_lot_tag(t, "zpl", 203, 40, 30); }).rfind("批次标签至少", 0) == 0);
  t.lot = "潞城-0001";
  CHECK(refusal([&] { render_lot_tag(t, "png", 203, 100, 70); }).rfind("批次号“潞城-0001”须为", 0) == 0);
  t.lot = std::string(40, 'A');
  std::string msg = refusal([&] { render_lot_tag(t, "png", 203, 50, 30); });
  CHECK(msg.rfind("批次号", 0) == 0);
  CHECK(msg.find("mm 宽的标签") != std::string::npos);
}
