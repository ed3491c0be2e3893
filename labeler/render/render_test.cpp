// Renderers judged by real decoders (DESIGN §7): 20 labels per format, every QR decoded
// by zbar and ZXing-C++ in raw-bytes mode to exactly the expected URI bytes — PNG
// directly, SVG through rsvg-convert, PDF through pdftoppm, ZPL through zpl-renderer-js.
// TSPL, which no open renderer draws, is parsed. Plus ZPL injection, text fitting, QR
// module sizes and ZPL compression.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>

#include "labeler/code/serial.h"
#include "labeler/render/layout.h"
#include "labeler/render/mono_bitmap.h"
#include "labeler/render/painter.h"
#include "labeler/render/writer.h"
#include "labeler/testing/fixtures.h"
#include "labeler/testing/qr_decode.h"
#include "ledger/util/error.h"

using namespace agtrace;
using namespace agtrace::labeler;
namespace fs = std::filesystem;

namespace {

constexpr std::size_t kLabels = 20;
const char* const kTemplates[] = {"lucheng-box-100x70", "lucheng-bag-60x40"};

void write_file(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

// Every PNG in `dir` (sorted by name) must hold exactly one QR whose bytes are uris[i].
void check_decodes(const std::string& dir, const std::vector<std::string>& uris) {
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".png") files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() == uris.size());
  for (std::size_t i = 0; i < files.size(); ++i) {
    auto img = testing::load_png(files[i]);
    CAPTURE(files[i]);
    CHECK(testing::zbar_decode(img) == std::vector<std::string>{uris[i]});
    CHECK(testing::zxing_decode(img) == std::vector<std::string>{uris[i]});
  }
}

struct Job {
  std::vector<std::string> serials, uris;
};

Job make_job(const LabelFacts& f) {
  Job j;
  j.serials = allocate_serials(kLabels);
  for (const auto& s : j.serials) j.uris.push_back(trace_uri(f, s));
  CHECK(std::set<std::string>(j.serials.begin(), j.serials.end()).size() == kLabels);
  return j;
}

std::string render_stream(LabelWriter& w, const Job& j) {
  std::string out = w.begin();
  for (std::size_t i = 0; i < j.serials.size(); ++i) out += w.label(j.serials[i], j.uris[i]);
  return out + w.end();
}

std::string oracles() {
  static const bool installed = testing::run(std::string(AGTRACE_SOURCE_DIR) + "/tests/oracles/install.sh") == 0;
  REQUIRE(installed);
  return std::string(AGTRACE_SOURCE_DIR) + "/tests/oracles";
}

}  // namespace

TEST_CASE("PNG: 20 labels per shipped template decode to exactly their URIs (zbar, ZXing)") {
  for (const char* name : kTemplates) {
    LabelFacts f = testing::sample_facts();
    LabelPainter painter(testing::shipped_template(name), f, testing::shipped_template(name).dpi);
    auto w = make_writer("png", painter);
    CHECK(w->file_per_label());
    Job j = make_job(f);
    std::string dir = testing::scratch_dir(std::string("png-") + name);
    for (std::size_t i = 0; i < kLabels; ++i)
      write_file(fmt::format("{}/{:05}.png", dir, i), w->label(j.serials[i], j.uris[i]));
    check_decodes(dir, j.uris);
  }
}

TEST_CASE("SVG rasterised by rsvg-convert decodes to exactly the URIs") {
  for (const char* name : kTemplates) {
    LabelFacts f = testing::sample_facts();
    LabelPainter painter(testing::shipped_template(name), f, 300);
    auto w = make_writer("svg", painter);
    Job j = make_job(f);
    std::string dir = testing::scratch_dir(std::string("svg-") + name);
    for (std::size_t i = 0; i < kLabels; ++i) {
      std::string svg = fmt::format("{}/{:05}.svg", dir, i);
      write_file(svg, w->label(j.serials[i], j.uris[i]));
      REQUIRE(testing::run(fmt::format("rsvg-convert --dpi-x 300 --dpi-y 300 -b white -f png -o {}/{:05}.png {}",
                                       dir, i, svg)) == 0);
    }
    check_decodes(dir, j.uris);
  }
}

TEST_CASE("PDF: one page per label; pages rasterised by pdftoppm decode to exactly the URIs") {
  for (const char* name : kTemplates) {
    LabelFacts f = testing::sample_facts();
    LabelTemplate t = testing::shipped_template(name);
    LabelPainter painter(t, f, t.dpi);
    auto w = make_writer("pdf", painter);
    Job j = make_job(f);
    std::string dir = testing::scratch_dir(std::string("pdf-") + name);
    write_file(dir + "/labels.pdf", render_stream(*w, j));
    std::string info;
    REQUIRE(testing::run("pdfinfo " + dir + "/labels.pdf", &info) == 0);
    CHECK(std::regex_search(info, std::regex(fmt::format("Pages: +{}\\n", kLabels))));
    REQUIRE(testing::run(fmt::format("pdftoppm -r 300 -png {0}/labels.pdf {0}/page", dir)) == 0);
    check_decodes(dir, j.uris);
  }
}

TEST_CASE("ZPL: one ^XA…^XZ per label, static layer once; zpl-renderer-js output decodes to the URIs") {
  for (const char* name : kTemplates) {
    LabelFacts f = testing::sample_facts();
    LabelTemplate t = testing::shipped_template(name);
    LabelPainter painter(t, f, t.dpi);
    auto w = make_writer("zpl", painter);
    Job j = make_job(f);
    std::string zpl = render_stream(*w, j);
    auto count = [&](const std::string& s) {
      std::size_t n = 0;
      for (std::size_t p = zpl.find(s); p != std::string::npos; p = zpl.find(s, p + 1)) ++n;
      return n;
    };
    CHECK(count("^XA") == kLabels);
    CHECK(count("^XZ") == kLabels);
    CHECK(count("~DG") == 1);
    CHECK(count("^XGR:AGTLABEL.GRF") == kLabels);
    for (unsigned char c : zpl) CHECK_MESSAGE(c < 0x80, "ZPL output is ASCII");
    std::string dir = testing::scratch_dir(std::string("zpl-") + name);
    write_file(dir + "/labels.zpl", zpl);
    long dpmm = std::lround(t.dpi / 25.4);  // zebrash takes whole dots per mm: 8 or 12
    std::string out;
    REQUIRE(testing::run(fmt::format("node {}/zpl_render.js {}/labels.zpl {} {} {} {}", oracles(), dir,
                                     t.width_mm, t.height_mm, dpmm, dir),
                         &out) == 0);
    check_decodes(dir, j.uris);
  }
}

TEST_CASE("TSPL: one PRINT per label, QRCODE model 2 in byte mode carrying the exact URI, BITMAP of the label") {
  LabelFacts f = testing::sample_facts();
  LabelTemplate t = testing::shipped_template("lucheng-bag-60x40");
  LabelPainter painter(t, f, t.dpi);
  auto w = make_writer("tspl", painter);
  Job j = make_job(f);
  std::string tspl = render_stream(*w, j);
  CHECK(tspl.rfind("SIZE 60 mm,40 mm\r\n", 0) == 0);
  // Walk the commands; BITMAP carries binary data of a known length.
  std::size_t pos = 0, prints = 0, bitmaps = 0;
  std::vector<std::string> qr_uris;
  std::regex qr_re(R"re(^QRCODE (\d+),(\d+),M,(\d+),M,0,M2,S7,"B(\d{4})(.*)"$)re");
  while (pos < tspl.size()) {
    if (tspl.compare(pos, 7, "BITMAP ") == 0) {
      std::size_t comma = pos;
      int fields[4];
      for (int& fld : fields) {
        std::size_t next = tspl.find(',', comma + 1);
        fld = std::stoi(tspl.substr(comma == pos ? pos + 7 : comma + 1, next - (comma == pos ? pos + 7 : comma + 1)));
        comma = next;
      }
      std::size_t data = tspl.find(',', comma + 1) + 1;
      CHECK(fields[2] == (painter.width() + 7) / 8);
      CHECK(fields[3] == painter.height());
      pos = data + static_cast<std::size_t>(fields[2]) * fields[3];
      REQUIRE(tspl.compare(pos, 2, "\r\n") == 0);
      pos += 2;
      ++bitmaps;
      continue;
    }
    std::size_t eol = tspl.find("\r\n", pos);
    REQUIRE(eol != std::string::npos);
    std::string line = tspl.substr(pos, eol - pos);
    std::smatch m;
    if (line == "PRINT 1,1") ++prints;
    if (std::regex_match(line, m, qr_re)) {
      CHECK(std::stoul(m[4].str()) == m[5].str().size());
      CHECK(std::stoi(m[3].str()) == painter.qr().module);
      qr_uris.push_back(m[5].str());
    }
    pos = eol + 2;
  }
  CHECK(prints == kLabels);
  CHECK(bitmaps == kLabels);
  CHECK(qr_uris == j.uris);
}

TEST_CASE("ZPL field data is escaped with ^FH: ^, ~ and _ cannot inject commands") {
  CHECK(zpl_escape("a^XZ~JR_b") == "a_5EXZ_7EJR_5Fb");
  CHECK(zpl_escape("\n\x7f") == "_0A_7F");
  LabelFacts f = testing::sample_facts();
  f.lot_code = "A_B^C";  // not GS1-safe: refused before it could reach the printer
  LabelTemplate t = testing::shipped_template("lucheng-bag-60x40");
  CHECK_THROWS_AS(LabelPainter(t, f, 203), Error);
  f.lot_code = "LOT_1";  // '_' is in GS1's set and unreserved: it reaches the ZPL, escaped
  f.fields["x_note"] = "^XZ^XA~JA_";
  t.values["x_code"] = "^XZ~JA_";
  // A per-label text with ZPL specials in its literal part.
  t.elements.push_back(TextElement{"other", 1, 1, 55, 3, "^XZ~JA_{serial}^XA", "", 6, 4, false, 0, Align::left,
                                   VAlign::top, 1, 0, false, true});
  LabelPainter painter(t, f, 203);
  auto w = make_writer("zpl", painter);
  Job j = make_job(f);
  std::string zpl = render_stream(*w, j);
  std::size_t xa = 0, xz = 0;
  for (std::size_t p = zpl.find("^XA"); p != std::string::npos; p = zpl.find("^XA", p + 1)) ++xa;
  for (std::size_t p = zpl.find("^XZ"); p != std::string::npos; p = zpl.find("^XZ", p + 1)) ++xz;
  CHECK(xa == kLabels);
  CHECK(xz == kLabels);
  CHECK(zpl.find("~JA") == std::string::npos);
  CHECK(zpl.find("_5EXZ_7EJA_5F") != std::string::npos);
  CHECK(zpl.find("/10/LOT_5F1/") != std::string::npos);
  // Each label is ^XA … ^XZ with no ^XA or ^XZ inside.
  std::regex label_re(R"(\^XA((?!\^X[AZ])[\s\S])*\^XZ)");
  CHECK(std::distance(std::sregex_iterator(zpl.begin(), zpl.end(), label_re), std::sregex_iterator()) ==
        static_cast<long>(kLabels));
}

TEST_CASE("text that does not fit is shrunk to its minimum, then refused naming the element") {
  LabelFacts f = testing::sample_facts();
  LabelTemplate t = testing::shipped_template("lucheng-bag-60x40");
  f.fields["origin"] = "山西省长治市潞城区店上镇东邑村东邑村东邑村";  // longer: shrinks, still fits
  CHECK_NOTHROW(LabelPainter(t, f, t.dpi));
  f.fields["origin"] = std::string(20, 'X') + "山西省长治市潞城区店上镇东邑村山西省长治市潞城区店上镇东邑村山西省长治市";
  try {
    LabelPainter p(t, f, t.dpi);
    FAIL("accepted text that cannot fit");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::bad_input);
    CHECK(std::string(e.what()).find("does not fit") != std::string::npos);
    CHECK(std::string(e.what()).find("elements[") != std::string::npos);
  }
  f = testing::sample_facts();
  f.fields.erase("certificate_no");
  try {
    LabelPainter p(t, f, t.dpi);
    FAIL("accepted a missing field");
  } catch (const Error& e) {
    CHECK(std::string(e.what()).find("{certificate_no}") != std::string::npos);
  }
  // Every element without its value is named in one refusal, not one per attempt.
  f = testing::sample_facts();
  f.fields.erase("certificate_no");
  f.fields.erase("origin");
  f.fields.erase("storage");
  try {
    LabelPainter p(t, f, t.dpi);
    FAIL("accepted missing fields");
  } catch (const Error& e) {
    const std::string what = e.what();
    for (const char* name : {"{certificate_no}", "{origin}", "{storage}"}) {
      CAPTURE(name);
      CHECK(what.find(name) != std::string::npos);
    }
    CHECK(std::count(what.begin(), what.end(), '\n') == 2);  // one line per element
  }
  f = testing::sample_facts();
  f.fields.erase("variety");  // optional in the box template
  CHECK_NOTHROW(LabelPainter(testing::shipped_template("lucheng-box-100x70"), f, 300));
}

TEST_CASE("QR modules fall on whole dots within GS1's 0.396–0.990 mm, with a 4-module quiet zone") {
  CHECK(min_module_dots(203) == 4);
  CHECK(max_module_dots(203) == 7);
  CHECK(min_module_dots(300) == 5);
  CHECK(max_module_dots(300) == 11);
  CHECK(min_module_dots(600) == 10);
  for (int dpi : {203, 300, 600}) {
    for (int version : {3, 5, 7}) {
      int modules = 17 + 4 * version;
      QrPlacement q = place_qr(10, 10, 35, modules, dpi);
      double module_mm = q.module * kMmPerInch / dpi;
      CHECK(module_mm >= kMinModuleMm);
      CHECK(module_mm <= kMaxModuleMm);
      double box = mm_to_dots(35, dpi);
      CHECK(q.x - mm_to_dots(10, dpi) >= 4 * q.module - 1);
      CHECK(q.x + q.side() + 4 * q.module <= mm_to_dots(10, dpi) + box + 1);
    }
  }
  CHECK_THROWS_AS(place_qr(0, 0, 15, 37, 203), Error);
}

TEST_CASE("ZPL hex compression decodes back to the bitmap") {
  MonoBitmap b;
  b.width = 100;
  b.height = 40;
  b.row_bytes = 13;
  b.bits.assign(13 * 40, 0);
  for (int y = 10; y < 30; ++y)
    for (int x = 0; x < 13; ++x) b.bits[static_cast<std::size_t>(y) * 13 + x] = static_cast<std::uint8_t>(y * 7 + x * (y % 3));
  for (int x = 0; x < 13; ++x) b.bits[35 * 13 + x] = 0xFF;
  std::string z = zpl_compressed_hex(b);
  // Decoder after the ZPL II Programming Guide's description.
  std::string hex, prev;
  std::string row;
  int count = 0;
  auto end_row = [&] {
    hex += row;
    prev = row;
    row.clear();
  };
  for (char c : z) {
    if (c >= 'G' && c <= 'Y') count += c - 'G' + 1;
    else if (c >= 'g' && c <= 'z') count += (c - 'g' + 1) * 20;
    else if (c == ',') { row.append(26 - row.size(), '0'); end_row(); }
    else if (c == '!') { row.append(26 - row.size(), 'F'); end_row(); }
    else if (c == ':') { row = prev; end_row(); }
    else {
      row.append(static_cast<std::size_t>(count ? count : 1), c);
      count = 0;
      if (row.size() == 26) end_row();
    }
  }
  std::string want;
  for (auto byte : b.bits) want += fmt::format("{:02X}", byte);
  CHECK(hex == want);
}
