// 承诺达标合格证 rendering, judged by outside oracles (DESIGN §7): every rendered
// certificate's QR decodes with zbar (and ZXing-C++) to exactly the certificate's URL —
// PNG directly, PDF through pdftoppm, ZPL through zpl-renderer-js, TSPL through an
// independent drawing of its BITMAP and QRCODE commands (labeler/testing/tspl_render.h).
// The Chinese text is checked in the PDF with pdftotext, and every raster output is
// compared with poppler's rasterisation of that PDF, so the title and fields are on the
// PNG, the ZPL and the TSPL too. Bad facts and bad templates are refused naming the field.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <cmath>
#include <fstream>
#include <regex>

#include "labeler/certificate/certificate_facts.h"
#include "labeler/certificate/certificate_render.h"
#include "labeler/certificate/certificate_template.h"
#include "labeler/render/layout.h"
#include "labeler/testing/qr_decode.h"
#include "labeler/testing/tspl_render.h"
#include "ledger/json/strict_parse.h"
#include "ledger/util/error.h"

using namespace agtrace;
using namespace agtrace::labeler;

namespace {

const std::string kSource = AGTRACE_SOURCE_DIR;

CertificateFacts producer() { return load_certificate_facts(kSource + "/tests/labeler/certificate-producer.json"); }
CertificateFacts buyer() { return load_certificate_facts(kSource + "/tests/labeler/certificate-buyer.json"); }
CertificateTemplate thermal() {
  return load_certificate_template(kSource + "/examples/templates/lucheng-certificate-100x70.json");
}
CertificateTemplate a5() { return load_certificate_template(kSource + "/examples/templates/lucheng-certificate-a5.json"); }

nlohmann::json json_file(const std::string& path) { return json::parse_strict(testing::read_file(path)); }

void write_file(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

// The message of the bad_input error `f` throws ("" if it throws none).
template <class F>
std::string refusal(F f) {
  try {
    f();
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::bad_input);
    return e.what();
  }
  return "";
}

std::string oracles() {
  static const bool installed = testing::run(kSource + "/tests/oracles/install.sh") == 0;
  REQUIRE(installed);
  return kSource + "/tests/oracles";
}

void check_decodes(const testing::GrayImage& img, const std::string& url) {
  CHECK(testing::zbar_decode(img) == std::vector<std::string>{url});
  CHECK(testing::zxing_decode(img) == std::vector<std::string>{url});
}

// Rasterises page 1 of `pdf` at `dpi` with pdftoppm (poppler) into a grey image.
testing::GrayImage rasterise_pdf(const std::string& pdf, int dpi) {
  std::string stem = pdf.substr(0, pdf.size() - 4) + "-page";
  REQUIRE(testing::run(fmt::format("pdftoppm -r {} -png -singlefile {} {}", dpi, pdf, stem)) == 0);
  return testing::load_png(stem + ".png");
}

// Of the dots dark in `want` (a rasterised PDF: the reference whose text pdftotext
// read), the share also dark in `got`, and of the dots dark in `got`, the share dark in
// `want` — each within a one-dot neighbourhood, for anti-aliasing and rounding.
struct Overlap {
  double recall = 0, precision = 0;
};
// The QR symbol is left out when `skip` (a box in dots) is given: another encoder (the
// printer's, zebrash's, ZXing's) may choose another mask pattern; decoding judges it.
struct Box {
  int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  bool contains(int x, int y) const { return x >= x0 && x < x1 && y >= y0 && y < y1; }
};
Overlap dark_overlap(const testing::GrayImage& want, const testing::GrayImage& got, Box skip = {}) {
  REQUIRE(std::abs(want.width - got.width) <= 1);
  REQUIRE(std::abs(want.height - got.height) <= 1);
  int w = std::min(want.width, got.width), h = std::min(want.height, got.height);
  auto dark = [](const testing::GrayImage& g, int x, int y) {
    return g.pixels[static_cast<std::size_t>(y) * g.width + x] < 128;
  };
  auto near_dark = [&](const testing::GrayImage& g, int x, int y) {
    for (int dy = -1; dy <= 1; ++dy)
      for (int dx = -1; dx <= 1; ++dx) {
        int xx = x + dx, yy = y + dy;
        if (xx >= 0 && yy >= 0 && xx < w && yy < h && dark(g, xx, yy)) return true;
      }
    return false;
  };
  long want_dark = 0, want_hit = 0, got_dark = 0, got_hit = 0;
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      if (skip.contains(x, y)) continue;
      if (dark(want, x, y)) {
        ++want_dark;
        want_hit += near_dark(got, x, y);
      }
      if (dark(got, x, y)) {
        ++got_dark;
        got_hit += near_dark(want, x, y);
      }
    }
  REQUIRE(want_dark > 0);
  REQUIRE(got_dark > 0);
  return {static_cast<double>(want_hit) / want_dark, static_cast<double>(got_hit) / got_dark};
}

// `img` moved by the shift (within ±24 dots) that best lays its dark dots on those of
// `reference`, cropped or padded with white to the reference's size.
testing::GrayImage align_to(const testing::GrayImage& reference, const testing::GrayImage& img) {
  auto dark = [](const testing::GrayImage& g, int x, int y) {
    return x >= 0 && y >= 0 && x < g.width && y < g.height && g.pixels[static_cast<std::size_t>(y) * g.width + x] < 128;
  };
  int best_dx = 0, best_dy = 0;
  long best = -1;
  for (int dy = -24; dy <= 24; ++dy)
    for (int dx = -24; dx <= 24; ++dx) {
      long score = 0;
      for (int y = 0; y < reference.height; y += 3)
        for (int x = 0; x < reference.width; x += 3) score += dark(reference, x, y) && dark(img, x + dx, y + dy);
      if (score > best) {
        best = score;
        best_dx = dx;
        best_dy = dy;
      }
    }
  testing::GrayImage out;
  out.width = reference.width;
  out.height = reference.height;
  out.pixels.assign(static_cast<std::size_t>(out.width) * out.height, 255);
  for (int y = 0; y < out.height; ++y)
    for (int x = 0; x < out.width; ++x)
      if (dark(img, x + best_dx, y + best_dy)) out.pixels[static_cast<std::size_t>(y) * out.width + x] = 0;
  return out;
}

// The dots of the QR element's box of `t` at `dpi`.
Box qr_box(const CertificateTemplate& t, int dpi) {
  for (const auto& el : t.elements)
    if (const auto* q = std::get_if<QrElement>(&el))
      return {static_cast<int>(mm_to_dots(q->x_mm, dpi)), static_cast<int>(mm_to_dots(q->y_mm, dpi)),
              static_cast<int>(std::ceil(mm_to_dots(q->x_mm + q->size_mm, dpi))),
              static_cast<int>(std::ceil(mm_to_dots(q->y_mm + q->size_mm, dpi)))};
  FAIL("no QR element");
  return {};
}

// The dark share of the square inside a checkbox of `t` for `basis` (its outline excluded).
double box_ink(const testing::GrayImage& img, const CertificateTemplate& t, Basis basis, int dpi) {
  for (const auto& el : t.elements) {
    const auto* c = std::get_if<CheckboxElement>(&el);
    if (!c || c->basis != basis) continue;
    double inset = c->stroke_mm + 0.25;
    int x0 = static_cast<int>(std::ceil(mm_to_dots(c->x_mm + inset, dpi)));
    int y0 = static_cast<int>(std::ceil(mm_to_dots(c->y_mm + inset, dpi)));
    int x1 = static_cast<int>(std::floor(mm_to_dots(c->x_mm + c->size_mm - inset, dpi)));
    int y1 = static_cast<int>(std::floor(mm_to_dots(c->y_mm + c->size_mm - inset, dpi)));
    long dark = 0, all = 0;
    for (int y = y0; y < y1; ++y)
      for (int x = x0; x < x1; ++x, ++all) dark += img.pixels[static_cast<std::size_t>(y) * img.width + x] < 128;
    return static_cast<double>(dark) / static_cast<double>(all);
  }
  FAIL("no checkbox for the basis");
  return 0;
}

void check_ticks(const testing::GrayImage& img, const CertificateTemplate& t, const CertificateFacts& f, int dpi) {
  CHECK((box_ink(img, t, Basis::quality_control, dpi) > 0.08) == f.bases.quality_control);
  CHECK((box_ink(img, t, Basis::self_test, dpi) > 0.08) == f.bases.self_test);
  CHECK((box_ink(img, t, Basis::commissioned_test, dpi) > 0.08) == f.bases.commissioned_test);
  for (Basis b : {Basis::quality_control, Basis::self_test, Basis::commissioned_test}) {
    double ink = box_ink(img, t, b, dpi);
    CHECK((ink < 0.01 || ink > 0.08));  // an empty box is empty
  }
}

// The PDF of `f` in `t` laid out at `dpi` (0: the template's), written to `dir`; its text (pdftotext) must hold the title, the
// style's promise and every field.
std::string pdf_with_text(const CertificateTemplate& t, const CertificateFacts& f, const std::string& dir,
                          std::string_view format, int dpi = 0) {
  auto r = render_certificate(t, f, format, dpi);
  CHECK(r.extension == "pdf");
  std::string pdf = dir + "/certificate.pdf";
  write_file(pdf, r.bytes);
  std::string text;
  REQUIRE(testing::run(fmt::format("pdftotext -raw {} -", pdf), &text) == 0);
  // pdftotext breaks lines where the layout wraps: compare without line breaks.
  text = std::regex_replace(text, std::regex("[\\n\\f ]"), "");
  auto has = [&](std::string s) {
    s = std::regex_replace(s, std::regex(" "), "");
    CHECK_MESSAGE(text.find(s) != std::string::npos, s);
  };
  has("承诺达标合格证");
  has(f.style == CertificateStyle::producer ? t.promise_producer : t.promise_buyer_reissue);
  has("质量安全控制符合要求");
  has("自行检测合格");
  has("委托检测合格");
  has(f.product);
  has(certificate_quantity_text(f));
  has(f.origin);
  has(f.issuer);
  has(f.issuer_contact);
  has(certificate_date_text(f));
  has(f.number);
  has("扫码查看");
  if (f.shipment) has(*f.shipment);
  return pdf;
}

}  // namespace

TEST_CASE("facts: the fixtures load; quantity and date read as printed; units from the ledger's Rec 20 codes") {
  CertificateFacts p = producer();
  CHECK(p.number == "HGZ-2026-000123");
  CHECK(p.style == CertificateStyle::producer);
  CHECK(certificate_quantity_text(p) == "1200 公斤");
  CHECK(certificate_date_text(p) == "2026年3月12日");
  CHECK(p.bases.quality_control);
  CHECK_FALSE(p.bases.self_test);
  CHECK_FALSE(p.shipment);
  CertificateFacts b = buyer();
  CHECK(b.style == CertificateStyle::buyer_reissue);
  CHECK(b.shipment == "晋D·5K217 冷藏车");
  CHECK(certificate_unit_for_rec20("KGM") == "公斤");
  CHECK(certificate_unit_for_rec20("H87") == "件");
  CHECK_FALSE(certificate_unit_for_rec20("XBX"));
  for (const char* code : {"KGM", "GRM", "TNE", "LTR", "MLT", "H87"})
    CHECK(is_certificate_unit(*certificate_unit_for_rec20(code)));
  CHECK_FALSE(is_certificate_unit("kg"));
}

TEST_CASE("facts: bad facts are refused, Chinese first, naming the field") {
  auto base = json_file(kSource + "/tests/labeler/certificate-producer.json");
  struct Case {
    const char* name;
    std::function<void(nlohmann::json&)> edit;
    const char* field;
  };
  const Case cases[] = {
      {"product missing", [](auto& j) { j.erase("product"); }, "product"},
      {"origin blank", [](auto& j) { j["origin"] = "　　"; }, "origin"},
      {"issuer with a line break", [](auto& j) { j["issuer"] = "潞城区\n合作社"; }, "issuer"},
      {"unit not Chinese", [](auto& j) { j["quantity"]["unit"] = "kg"; }, "quantity"},
      {"quantity zero", [](auto& j) { j["quantity"]["value"] = "0.0"; }, "quantity"},
      {"quantity a number", [](auto& j) { j["quantity"]["value"] = 1200; }, "quantity"},
      {"date not a date", [](auto& j) { j["issue_date"] = "2026-02-30"; }, "issue_date"},
      {"date in another form", [](auto& j) { j["issue_date"] = "2026/3/12"; }, "issue_date"},
      {"no basis ticked",
       [](auto& j) { j["bases"] = {{"quality_control", false}, {"self_test", false}, {"commissioned_test", false}}; },
       "bases"},
      {"URL of another certificate", [](auto& j) { j["url"] = "https://trace.lucheng.example/c/HGZ-2026-000124"; },
       "url"},
      {"URL not https", [](auto& j) { j["url"] = "http://trace.lucheng.example/c/HGZ-2026-000123"; }, "url"},
      {"number with a slash", [](auto& j) { j["number"] = "HGZ/1"; }, "number"},
      {"style unknown", [](auto& j) { j["style"] = "trader"; }, "style"},
      {"unknown field", [](auto& j) { j["phone_private"] = "13800000000"; }, "phone_private"},
  };
  for (const auto& c : cases) {
    std::string name = c.name;
    CAPTURE(name);
    auto j = base;
    c.edit(j);
    std::string msg = refusal([&] { parse_certificate_facts(j, "cert.json"); });
    REQUIRE(!msg.empty());
    CHECK(msg.rfind("合格证信息 cert.json：", 0) == 0);  // Chinese first, naming the file
    CHECK(msg.find(c.field) != std::string::npos);
  }
  CHECK(refusal([&] { parse_certificate_facts(base, "cert.json"); }).empty());
  // The Chinese part names the field too, and tells issuer from issuer_contact.
  auto j = base;
  j.erase("issuer_contact");
  CHECK(refusal([&] { parse_certificate_facts(j, "cert.json"); }).find("缺少字段 issuer_contact（联系方式）") !=
        std::string::npos);
  j = base;
  j["product"] = "";
  CHECK(refusal([&] { parse_certificate_facts(j, "cert.json"); }).find("字段 product（产品名称）不符合要求") !=
        std::string::npos);
  // Several missing or blank fields are named at once, not one per attempt.
  j = base;
  j.erase("issuer_contact");
  j.erase("origin");
  j["product"] = "";
  const std::string all = refusal([&] { parse_certificate_facts(j, "cert.json"); });
  CHECK(all.rfind("合格证信息 cert.json：缺少字段 issuer_contact（联系方式）、product（产品名称）、origin（产地），请一并补上", 0) == 0);
  CHECK(all.find("fields missing or empty: issuer_contact, product, origin") != std::string::npos);
}

TEST_CASE("templates: the shipped ones load; a template that breaks a rule is refused naming it") {
  CertificateTemplate t = thermal();
  CHECK(t.width_mm == 100);
  CHECK(t.height_mm == 70);
  CHECK(a5().width_mm == 148);
  auto base = json_file(kSource + "/examples/templates/lucheng-certificate-100x70.json");
  auto find = [&](const nlohmann::json& j, const std::string& text) -> std::size_t {
    for (std::size_t i = 0; i < j["elements"].size(); ++i)
      if (j["elements"][i].value("text", "").find(text) != std::string::npos) return i;
    FAIL("no element with ", text);
    return 0;
  };
  struct Case {
    const char* name;
    std::function<void(nlohmann::json&)> edit;
    const char* expect;
  };
  const Case cases[] = {
      {"title smaller than a field", [&](auto& j) { j["elements"][find(j, "{product}")]["size_pt"] = 20; }, "醒目"},
      {"no title", [&](auto& j) { j["elements"][find(j, "承诺达标合格证")]["text"] = "合格证"; }, "承诺达标合格证"},
      {"no origin", [&](auto& j) { j["elements"].erase(find(j, "{origin}")); }, "{origin}"},
      {"contact only optional", [&](auto& j) { j["elements"][find(j, "{contact}")]["optional"] = true; }, "{contact}"},
      {"no promise", [&](auto& j) { j["elements"].erase(find(j, "{promise}")); }, "{promise}"},
      {"no scan hint", [&](auto& j) { j["elements"][find(j, "扫码查看")]["text"] = "二维码"; }, "扫码查看"},
      {"shipment not optional", [&](auto& j) { j["elements"][find(j, "{shipment}")].erase("optional"); },
       "{shipment}"},
      {"a label placeholder", [&](auto& j) { j["elements"][find(j, "{number}")]["text"] = "{serial}"; }, "{serial}"},
      {"two boxes for self_test",
       [&](auto& j) {
         for (auto& e : j["elements"])
           if (e.value("basis", "") == "commissioned_test") e["basis"] = "self_test";
       },
       "self_test（自行检测合格） 须有且只有一个勾选框（checkbox），现有 2 个"},
      {"a second QR", [&](auto& j) { j["elements"].push_back({{"type", "qr"}, {"x_mm", 1}, {"y_mm", 1}, {"size_mm", 20}}); },
       "QR"},
      {"a box outside the label", [&](auto& j) { j["elements"].push_back({{"type", "checkbox"}, {"basis", "self_test"},
                                                                          {"x_mm", 99}, {"y_mm", 1}, {"size_mm", 3}}); },
       "elements["},
      {"no buyer's promise", [&](auto& j) { j["promise"].erase("buyer_reissue"); }, "buyer_reissue"},
      {"unknown basis",
       [&](auto& j) {
         for (auto& e : j["elements"])
           if (e.value("basis", "") == "self_test") e["basis"] = "lab_test";
       },
       "elements[8]"},
  };
  for (const auto& c : cases) {
    std::string name = c.name;
    CAPTURE(name);
    auto j = base;
    c.edit(j);
    std::string msg = refusal([&] { parse_certificate_template(j, "cert-template.json"); });
    REQUIRE(!msg.empty());
    CHECK(msg.rfind("合格证模板", 0) == 0);
    CHECK(msg.find("cert-template.json") != std::string::npos);
    CHECK(msg.find(c.expect) != std::string::npos);
  }
}

TEST_CASE("PNG at 203 and 300 dpi: the QR decodes to the certificate's URL, the boxes show the facts' bases, the "
          "picture is the PDF's") {
  for (const auto& f : {producer(), buyer()}) {
    for (int dpi : {203, 300}) {
      CAPTURE(f.number);
      CAPTURE(dpi);
      CertificateTemplate t = thermal();
      std::string dir = testing::scratch_dir(fmt::format("certificate-png-{}-{}", f.number, dpi));
      auto r = render_certificate(t, f, "png", dpi);
      CHECK(r.extension == "png");
      write_file(dir + "/certificate.png", r.bytes);
      auto img = testing::load_png(dir + "/certificate.png");
      CHECK(img.width == static_cast<int>(std::lround(mm_to_dots(100, dpi))));
      CHECK(img.height == static_cast<int>(std::lround(mm_to_dots(70, dpi))));
      check_decodes(img, f.url);
      check_ticks(img, t, f, dpi);
      auto reference = rasterise_pdf(pdf_with_text(t, f, dir, "pdf", dpi), dpi);
      Overlap o = dark_overlap(reference, img);
      CHECK(o.recall > 0.99);
      CHECK(o.precision > 0.99);
      // The comparison tells certificates apart: without the title the PNG is not the PDF's.
      CertificateTemplate untitled = t;
      for (auto& el : untitled.elements)
        if (auto* x = std::get_if<TextElement>(&el); x && x->text == kCertificateTitle) x->color = 0xFFFFFF;
      write_file(dir + "/untitled.png", render_certificate(untitled, f, "png", dpi).bytes);
      Overlap u = dark_overlap(reference, testing::load_png(dir + "/untitled.png"));
      CHECK(u.recall < 0.95);
    }
  }
}

TEST_CASE("PDF (100 × 70 mm) and A5: one page of the right size, the text, the QR decodes to the URL") {
  for (const auto& f : {producer(), buyer()}) {
    CAPTURE(f.number);
    struct Kind {
      CertificateTemplate t;
      const char* format;
      const char* page;
    };
    for (const auto& k : {Kind{thermal(), "pdf", "283.465 x 198.425 pts"}, Kind{a5(), "a5", "419.528 x 595.276 pts"}}) {
      std::string format = k.format;
      CAPTURE(format);
      std::string dir = testing::scratch_dir(fmt::format("certificate-{}-{}", k.format, f.number));
      std::string pdf = pdf_with_text(k.t, f, dir, k.format);
      std::string info;
      REQUIRE(testing::run("pdfinfo " + pdf, &info) == 0);
      CHECK(info.find("Pages:           1\n") != std::string::npos);
      CHECK(info.find(std::string("Page size:       ") + k.page) != std::string::npos);
      auto img = rasterise_pdf(pdf, 300);
      check_decodes(img, f.url);
      check_ticks(img, k.t, f, 300);
    }
  }
  // A5 is a sheet format: the thermal template is not one.
  std::string msg = refusal([] { render_certificate(thermal(), producer(), "a5"); });
  CHECK(msg.find("--format a5") == 0);
  CHECK(msg.find("148") != std::string::npos);
}

TEST_CASE("ZPL drawn by zpl-renderer-js: the QR decodes to the URL; the picture is the PDF's") {
  for (const auto& f : {producer(), buyer()}) {
    for (int dpi : {203, 300}) {
      CAPTURE(f.number);
      CAPTURE(dpi);
      CertificateTemplate t = thermal();
      auto r = render_certificate(t, f, "zpl", dpi);
      CHECK(r.extension == "zpl");
      for (unsigned char c : r.bytes) REQUIRE_MESSAGE(c < 0x80, "ZPL output is ASCII: Chinese goes as a graphic");
      CHECK(r.bytes.find("^XA") != std::string::npos);
      CHECK(r.bytes.find("^BQN,2,") != std::string::npos);
      std::string dir = testing::scratch_dir(fmt::format("certificate-zpl-{}-{}", f.number, dpi));
      write_file(dir + "/certificate.zpl", r.bytes);
      long dpmm = std::lround(dpi / 25.4);
      REQUIRE(testing::run(fmt::format("node {}/zpl_render.js {}/certificate.zpl 100 70 {} {}", oracles(), dir, dpmm,
                                       dir)) == 0);
      // zebrash draws our dots one to one on a canvas of whole dots per mm (8 or 12),
      // shifted by a few dots: align it with poppler's drawing of the PDF first.
      auto reference = rasterise_pdf(pdf_with_text(t, f, dir, "pdf", dpi), dpi);
      auto img = align_to(reference, testing::load_png(dir + "/label-00001.png"));
      check_decodes(img, f.url);
      check_ticks(img, t, f, dpi);
      Overlap o = dark_overlap(reference, img, qr_box(t, dpi));
      CHECK(o.recall > 0.99);
      CHECK(o.precision > 0.99);
    }
  }
}

TEST_CASE("TSPL: BITMAP of the certificate and QRCODE with the URL; drawn independently, zbar decodes it") {
  for (const auto& f : {producer(), buyer()}) {
    for (int dpi : {203, 300}) {
      CAPTURE(f.number);
      CAPTURE(dpi);
      CertificateTemplate t = thermal();
      auto r = render_certificate(t, f, "tspl", dpi);
      CHECK(r.extension == "tspl");
      CHECK(r.bytes.rfind("SIZE 100 mm,70 mm\r\n", 0) == 0);
      int w = static_cast<int>(std::lround(mm_to_dots(100, dpi))), h = static_cast<int>(std::lround(mm_to_dots(70, dpi)));
      auto label = testing::render_tspl(r.bytes, w, h);
      CHECK(label.prints == 1);
      CHECK(label.qr_data == std::vector<std::string>{f.url});
      CHECK(testing::zbar_decode(label.image) == std::vector<std::string>{f.url});
      check_ticks(label.image, t, f, dpi);
      std::string dir = testing::scratch_dir(fmt::format("certificate-tspl-{}-{}", f.number, dpi));
      auto reference = rasterise_pdf(pdf_with_text(t, f, dir, "pdf", dpi), dpi);
      Overlap o = dark_overlap(reference, label.image, qr_box(t, dpi));
      CHECK(o.recall > 0.99);
      CHECK(o.precision > 0.99);
    }
  }
}

TEST_CASE("render: text that cannot fit and bad formats are refused naming what to fix") {
  CertificateFacts f = producer();
  f.origin = std::string(60, 'X') + "山西省长治市潞城区店上镇东邑村东坡基地山西省长治市潞城区店上镇东邑村";
  std::string msg = refusal([&] { render_certificate(thermal(), f, "png"); });
  CHECK(msg.rfind("合格证 HGZ-2026-000123 按模板 lucheng-certificate-100x70 排版时有文字放不下", 0) == 0);
  CHECK(msg.find("does not fit") != std::string::npos);
  CHECK(msg.find("产地") != std::string::npos);
  // A QR box too small for the URL.
  CertificateTemplate small = thermal();
  for (auto& el : small.elements)
    if (auto* q = std::get_if<QrElement>(&el)) q->size_mm = 12;
  msg = refusal([&] { render_certificate(small, producer(), "png", 203); });
  CHECK(msg.find("二维码放不下") != std::string::npos);
  CHECK(refusal([] { render_certificate(thermal(), producer(), "svg"); }).find("--format svg") == 0);
  CHECK(refusal([] { render_certificate(thermal(), producer(), "png", 150); }).find("--dpi 150") == 0);
}
