// `agtrace-labeler certificate` as an operator runs it: every format written to --out (or
// standard output) and judged by the oracles; bad facts, a bad template or a wrong format
// refused with exit status 2, the message Chinese first naming the field, and no file left.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <filesystem>
#include <fstream>

#include "labeler/testing/qr_decode.h"

using namespace agtrace::labeler;
namespace fs = std::filesystem;

namespace {

const std::string kSource = AGTRACE_SOURCE_DIR;
const std::string kProducer = kSource + "/tests/labeler/certificate-producer.json";
const std::string kThermal = kSource + "/examples/templates/lucheng-certificate-100x70.json";
const std::string kA5 = kSource + "/examples/templates/lucheng-certificate-a5.json";
const std::string kUrl = "https://trace.lucheng.example/c/HGZ-2026-000123";

struct Result {
  int status = 0;
  std::string out;  // standard output and standard error
};

Result labeler(const std::string& args) {
  Result r;
  r.status = testing::run(fmt::format("{} {} 2>&1", AGTRACE_LABELER_BIN, args), &r.out);
  return r;
}

std::string certificate(const std::string& facts, const std::string& tmpl, const std::string& format,
                        const std::string& out) {
  return fmt::format("certificate --facts {} --template {} --format {} --out {}", facts, tmpl, format, out);
}

std::size_t files_in(const std::string& dir) {
  return static_cast<std::size_t>(std::distance(fs::directory_iterator(dir), fs::directory_iterator()));
}

}  // namespace

TEST_CASE("certificate: png, pdf, a5, zpl and tspl written; the PNG and the PDFs decode to the certificate's URL") {
  std::string dir = testing::scratch_dir("certificate-cli");
  for (const char* format : {"png", "pdf", "zpl", "tspl"}) {
    CAPTURE(format);
    std::string out = fmt::format("{}/certificate.{}", dir, format);
    auto r = labeler(certificate(kProducer, kThermal, format, out) + " --dpi 300");
    CHECK(r.status == 0);
    CHECK(r.out.find("已输出承诺达标合格证 HGZ-2026-000123") != std::string::npos);
    REQUIRE(fs::exists(out));
  }
  CHECK(testing::zbar_decode(testing::load_png(dir + "/certificate.png")) == std::vector<std::string>{kUrl});
  auto r = labeler(certificate(kProducer, kA5, "a5", dir + "/certificate-a5.pdf"));
  CHECK(r.status == 0);
  std::string info;
  REQUIRE(testing::run(fmt::format("pdfinfo {}/certificate-a5.pdf", dir), &info) == 0);
  CHECK(info.find("Page size:       419.528 x 595.276 pts") != std::string::npos);
  for (const char* pdf : {"certificate", "certificate-a5"}) {
    REQUIRE(testing::run(fmt::format("pdftoppm -r 300 -png -singlefile {0}/{1}.pdf {0}/{1}-page", dir, pdf)) == 0);
    CHECK(testing::zbar_decode(testing::load_png(fmt::format("{}/{}-page.png", dir, pdf))) ==
          std::vector<std::string>{kUrl});
  }
  std::string zpl = testing::read_file(dir + "/certificate.zpl");
  CHECK(zpl.find(fmt::format("^FH^FDMM,B{:04}{}^FS", kUrl.size(), kUrl)) != std::string::npos);
  std::string tspl = testing::read_file(dir + "/certificate.tspl");
  CHECK(tspl.find(fmt::format(",M,0,M2,S7,\"B{:04}{}\"\r\n", kUrl.size(), kUrl)) != std::string::npos);
}

TEST_CASE("certificate: --out - writes to standard output; a folder gets a file named after the certificate") {
  std::string dir = testing::scratch_dir("certificate-cli-out");
  std::string zpl;
  CHECK(testing::run(fmt::format("{} {} 2>/dev/null", AGTRACE_LABELER_BIN,
                                 certificate(kProducer, kThermal, "zpl", "-")),
                     &zpl) == 0);
  CHECK(zpl.rfind("~DG", 0) == 0);
  CHECK(zpl.find("^XZ") != std::string::npos);
  CHECK(labeler(certificate(kProducer, kThermal, "pdf", dir + "/")).status == 0);
  CHECK(fs::exists(dir + "/certificate-HGZ-2026-000123.pdf"));
}

TEST_CASE("certificate: bad facts, a bad template or a wrong format: exit 2, Chinese first naming the field, no file") {
  std::string dir = testing::scratch_dir("certificate-cli-bad");
  auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(dir + "/" + name) << text;
    return dir + "/" + name;
  };
  std::string facts = testing::read_file(kProducer);
  auto with = [&](const std::string& from, const std::string& to) {
    std::string s = facts;
    s.replace(s.find(from), from.size(), to);
    return s;
  };
  struct Case {
    std::string name, args, expect_zh, expect_field;
  };
  std::string bad_date = write("bad-date.json", with("2026-03-12", "2026-13-12"));
  std::string other_url = write("other-url.json", with("/c/HGZ-2026-000123", "/c/HGZ-2026-000999"));
  std::string no_origin = write("no-origin.json", with("\"origin\"", "\"origin_x\""));
  std::string tmpl = testing::read_file(kThermal);
  tmpl.replace(tmpl.find("\"扫码查看\""), std::string("\"扫码查看\"").size(), "\"二维码\"");
  std::string bad_template = write("bad-template.json", tmpl);
  const Case cases[] = {
      {"bad date", certificate(bad_date, kThermal, "png", dir + "/c.png"), "合格证信息", "issue_date"},
      {"another certificate's URL", certificate(other_url, kThermal, "pdf", dir + "/c.pdf"), "合格证信息", "url"},
      {"unknown field", certificate(no_origin, kThermal, "zpl", dir + "/c.zpl"), "合格证信息", "origin"},
      {"template without 扫码查看", certificate(kProducer, bad_template, "tspl", dir + "/c.tspl"), "合格证模板",
       "扫码查看"},
      {"a5 with the thermal template", certificate(kProducer, kThermal, "a5", dir + "/c.pdf"), "--format a5 需要 A5",
       "148"},
      {"facts file missing", certificate(dir + "/none.json", kThermal, "png", dir + "/c.png"), "--facts", "none.json"},
      {"unknown format", certificate(kProducer, kThermal, "svg", dir + "/c.svg"), "--format", "svg"},
  };
  std::size_t before = files_in(dir);
  for (const auto& c : cases) {
    CAPTURE(c.name);
    auto r = labeler(c.args);
    CHECK(r.status == 2);
    if (c.name != "unknown format") CHECK((r.out.rfind("错误：", 0) == 0 || r.out.rfind("error: ", 0) == 0));  // 错误： before a Chinese message; CLI11 words its own
    CHECK(r.out.find(c.expect_zh) != std::string::npos);
    CHECK(r.out.find(c.expect_field) != std::string::npos);
    CHECK(files_in(dir) == before);
  }
}
