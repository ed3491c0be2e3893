// Headless Chromium (Debian `chromium`, flags of DESIGN §7) loads the scan page at a
// 360×740 viewport: the product name, the lot and the timeline must be in the rendered
// DOM, and the screenshot is kept as a test artifact:
//   <build>/test-artifacts/scan-page-360x740.png (and -en, -recall, -two-plots, the whole
//   page at 360 px wide: scan-page-360-full.png, after one person's refreshes:
//   scan-page-360-full-refreshed.png, and the proof page: proof-page-360x740.png)
// Nothing is skipped: without chromium the test fails and says how to install it.
#include <doctest/doctest.h>
#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/support/chromium.h"
#include "tests/verifier/fixture.h"

using namespace agtrace::test;

namespace {

// Headless Chromium on `url` with `extra` flags (DESIGN §7 flags, 360×740); its standard output.
std::string chromium(const std::filesystem::path& profile, const std::vector<std::string>& extra,
                     const std::string& url) {
  REQUIRE_MESSAGE(access(agtrace::testing::kChromium, X_OK) == 0,
                  "chromium is not installed: run scripts/install-deps.sh (Debian chromium)");
  auto r = agtrace::testing::headless_chromium(profile, extra, url);
  INFO(r.describe());
  CHECK_MESSAGE(r.exited_with(0), "chromium crashed or failed");
  return r.out;
}

}  // namespace

TEST_CASE("headless Chromium at 360x740 renders the product name, lot and timeline; screenshots kept") {
  TempDir dir("verifier-chromium");
  auto l = build_lucheng_ledger(dir.path, 3);
  VerifierProcess server(l, dir.path / "scans.db");
  auto artifacts = std::filesystem::path(AGTRACE_BINARY_DIR) / "test-artifacts";
  std::filesystem::create_directories(artifacts);
  std::string url = fmt::format("http://127.0.0.1:{}/01/{}/10/LC22-K-0001/21/{}", server.port(), kGtin, l.codes[0]);

  std::string dom = chromium(dir.path / "profile-dom", {"--dump-dom"}, url);
  CHECK(dom.find("潞城大葱") != std::string::npos);
  CHECK(dom.find("LC22-K-0001") != std::string::npos);
  CHECK(dom.find("<ol>") != std::string::npos);
  for (const char* step : {"种植", "用药", "采收", "检测", "分级", "预冷", "包装", "发货运输", "收货"}) {
    INFO(step);
    CHECK(dom.find(step) != std::string::npos);
  }
  CHECK(dom.find("已遵守农药安全间隔期") != std::string::npos);
  CHECK(dom.find("首次查询") != std::string::npos);  // the anti-counterfeit check

  auto shot = artifacts / "scan-page-360x740.png";
  std::filesystem::remove(shot);
  chromium(dir.path / "profile-shot", {"--screenshot=" + shot.string()}, url);
  REQUIRE(std::filesystem::exists(shot));
  CHECK(std::filesystem::file_size(shot) > 10000);
  std::ifstream png(shot, std::ios::binary);
  char sig[8];
  png.read(sig, 8);
  CHECK(std::string(sig + 1, 3) == "PNG");

  // The whole page, for a person to read through (window as tall as the page).
  auto full = artifacts / "scan-page-360-full.png";
  std::filesystem::remove(full);
  chromium(dir.path / "profile-full", {"--screenshot=" + full.string(), "--window-size=360,3000"}, url);
  CHECK(std::filesystem::exists(full));

  auto en = artifacts / "scan-page-360x740-en.png";
  std::filesystem::remove(en);
  chromium(dir.path / "profile-en", {"--screenshot=" + en.string()}, url + "?lang=en");
  CHECK(std::filesystem::exists(en));

  // The recall banner and the copy warning, as a consumer would see them.
  append_events(l,
                R"({"type":"recall","event_id":"RC-2022-01","event_time":"2022-10-12T10:00:00+08:00","party":"CH","lots":["LC22-K-0001"],"reason":"抽检发现农药残留超标，请停止食用并退货"})",
                true);
  REQUIRE(server.wait_synced(l));
  // Six different people (cookies of their own) have checked it: past the default 5.
  for (int i = 0; i < 6; ++i) {
    RequestOptions person;
    person.headers["Cookie"] = fmt::format("agtrace_client={:032x}", i + 1);
    http_request(server.port(), "/t/" + l.codes[0], person);
  }
  auto recall = artifacts / "scan-page-360x740-recall.png";
  std::filesystem::remove(recall);
  chromium(dir.path / "profile-recall", {"--screenshot=" + recall.string()}, url);
  CHECK(std::filesystem::exists(recall));
  std::string recalled_dom = chromium(dir.path / "profile-recall-dom", {"--dump-dom"}, url);
  CHECK(recalled_dom.find("本批次产品已召回") != std::string::npos);
  CHECK(recalled_dom.find("可能被复制") != std::string::npos);
}

TEST_CASE("at 360 px: a lot from two plots lists both with the date range; the proof reads as a page") {
  TempDir dir("verifier-chromium-origins");
  auto l = build_lucheng_ledger(dir.path, 1);
  VerifierProcess server(l, dir.path / "scans.db");
  auto artifacts = std::filesystem::path(AGTRACE_BINARY_DIR) / "test-artifacts";
  std::filesystem::create_directories(artifacts);
  std::string url = fmt::format("http://127.0.0.1:{}/01/{}/10/LC22-K-0005/21/{}", server.port(), kGtin, l.mixed_code);

  std::string dom = chromium(dir.path / "profile-dom", {"--dump-dom"}, url);
  CHECK(dom.find("产地（2 个地块）") != std::string::npos);
  CHECK(dom.find("熬脑村2号地块（潞城区店上镇熬脑村西沟）") != std::string::npos);
  CHECK(dom.find("张家河村1号地块（潞城区店上镇张家河村南）") != std::string::npos);
  CHECK(dom.find("2022-10-03 至 2022-10-05") != std::string::npos);
  auto shot = artifacts / "scan-page-360x740-two-plots.png";
  std::filesystem::remove(shot);
  chromium(dir.path / "profile-shot", {"--screenshot=" + shot.string()}, url);
  CHECK(std::filesystem::exists(shot));

  // The same phone again and again: counted, but one person, so no warning.
  for (int i = 0; i < 8; ++i) http_request(server.port(), "/t/" + l.mixed_code);
  auto refreshed = artifacts / "scan-page-360-full-refreshed.png";
  std::filesystem::remove(refreshed);
  chromium(dir.path / "profile-refreshed", {"--screenshot=" + refreshed.string(), "--window-size=360,1400"}, url);
  CHECK(std::filesystem::exists(refreshed));

  auto j = nlohmann::json::parse(http_request(server.port(), "/api/v1/codes/" + l.mixed_code).body);
  std::string proof_url = fmt::format("http://127.0.0.1:{}{}", server.port(), j["inclusion_proof_url"].get<std::string>());
  std::string proof_dom = chromium(dir.path / "profile-proof-dom", {"--dump-dom"}, proof_url);
  CHECK(proof_dom.find("核验证明") != std::string::npos);
  CHECK(proof_dom.find("<pre>") != std::string::npos);
  auto proof_shot = artifacts / "proof-page-360x740.png";
  std::filesystem::remove(proof_shot);
  chromium(dir.path / "profile-proof", {"--screenshot=" + proof_shot.string()}, proof_url);
  CHECK(std::filesystem::exists(proof_shot));
}

// Issue 14, session 10's trial: the certificate page at a phone's 390 px, for a reader whose phone
// asks for Chinese and for one whose phone asks for English (Chromium's Accept-Language, from
// --accept-lang): both show the form in Chinese, the second with English glosses. Kept as
// certificate-page-390-zh.png and certificate-page-390-en.png, the whole page.
TEST_CASE("at 390 px: the certificate page is Chinese for a zh-CN and an en-US phone, the second with glosses") {
  TempDir dir("verifier-chromium-certificate");
  auto l = build_lucheng_ledger(dir.path, 3);  // LC22-K-0001 holds LC-2022-0001 (委托检测合格)
  VerifierProcess server(l, dir.path / "scans.db");
  auto artifacts = std::filesystem::path(AGTRACE_BINARY_DIR) / "test-artifacts";
  std::filesystem::create_directories(artifacts);
  const std::string url = fmt::format("http://127.0.0.1:{}/c/LC-2022-0001", server.port());
  for (const char* lang : {"zh-CN,zh", "en-US,en"}) {
    CAPTURE(lang);
    const std::string accept = std::string("--accept-lang=") + lang;
    const bool en = std::string(lang).starts_with("en");
    std::string dom = chromium(dir.path / (std::string("profile-dom-") + (en ? "en" : "zh")),
                               {"--dump-dom", accept, "--window-size=390,844"}, url);
    for (const char* want : {"承诺达标合格证", "我承诺销售的农产品未使用禁用农药", "开具依据", "☑ 委托检测合格", "产品名称",
                             "数量（重量）", "承诺主体", "开具日期"}) {
      CAPTURE(want);
      CHECK(dom.find(want) != std::string::npos);
    }
    CHECK((dom.find("I promise that the farm produce I sell") != std::string::npos) == en);
    CHECK((dom.find(">Product</span>") != std::string::npos) == en);
    auto shot = artifacts / (std::string("certificate-page-390-") + (en ? "en" : "zh") + ".png");
    std::filesystem::remove(shot);
    chromium(dir.path / (std::string("profile-shot-") + (en ? "en" : "zh")),
             {"--screenshot=" + shot.string(), accept, "--window-size=390,1700"}, url);
    CHECK(std::filesystem::exists(shot));
  }
}
