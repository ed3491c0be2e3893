// Scan page rendering from a hand-built view: escaping, size, CSP, recall banner, the
// anti-counterfeit block and the proof block. Pure.
#include <doctest/doctest.h>

#include "ledger/util/bytes.h"
#include "ledger/util/sha256.h"
#include "verifier/pages/html.h"
#include "verifier/pages/json_views.h"
#include "verifier/pages/scan_page.h"

using namespace agtrace;
using namespace agtrace::verifier;

namespace {

TimelineItem item(std::uint64_t entry, const std::string& type, nlohmann::json e) {
  TimelineItem t;
  t.entry = entry;
  t.type = type;
  e["type"] = type;
  t.time = e.value("event_time", "2022-10-08T07:00:00+08:00");
  t.event = e;
  t.party_name = "潞城区山丹丹种植专业合作社";
  t.location_name = "熬脑村1号地块";
  t.checkpointed = true;
  return t;
}

CodeView sample() {
  CodeView v;
  v.serial = "0123456789ABC";
  v.lot = "LC22-K-0001";
  v.gs1_lot_code = "LC22-K-0001";
  v.issued_entry = 40;
  v.product = ProductInfo{};
  v.product->name = "潞城大葱";
  v.product->brand_regional = "潞城大葱";
  v.product->variety = "长白";
  v.producer = "<b>Evil & Co</b>";
  v.origin = "熬脑村1号地块";
  v.harvest_date = "2022-10-08";
  v.timeline.push_back(item(10, "planting", {{"variety", "长白"}, {"area_mu", "40"}}));
  auto h = item(12, "harvest", {{"quantity", {{"value", "120000"}, {"unit", "KGM"}}}});
  h.pesticide_safe_date = "2022-09-03";
  v.timeline.push_back(h);
  v.timeline.push_back(item(20, "shipping",
                            {{"target", {{"min", "0"}, {"max", "4"}}},
                             {"readings", {{{"time", "2022-10-10T14:00:00+08:00"}, {"value", "6.9"}}}}}));
  v.checkpoint = CheckpointInfo{};
  v.checkpoint->size = 50;
  v.all_checkpointed = true;
  return v;
}

}  // namespace

TEST_CASE("html_escape makes every markup character inert") {
  CHECK(html_escape("<script>alert('x')</script> & \"q\"") ==
        "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;");
  CHECK(html_escape("潞城大葱") == "潞城大葱");
}

TEST_CASE("the scan page: escaped values, small, self-contained, CSP matches its only style") {
  auto page = render_scan_page(sample(), {1, 1653000000000, 1653000000000}, {});
  CHECK(page.find("&lt;b&gt;Evil &amp; Co&lt;/b&gt;") != std::string::npos);
  CHECK(page.find("<b>Evil") == std::string::npos);
  CHECK(page.size() < 30 * 1024);
  CHECK(page.find("<script") == std::string::npos);
  CHECK(page.find("src=") == std::string::npos);
  CHECK(page.find("width=device-width") != std::string::npos);
  CHECK(page.find("已遵守农药安全间隔期（安全采收日 2022-09-03）") != std::string::npos);
  CHECK(page.find("1 次读数超出目标范围") != std::string::npos);
  CHECK(page.find("以上记录均已签名存证，任何人可公开核验（检查点 #50）") != std::string::npos);
  CHECK(page.find("/api/v1/proof/inclusion?index=40") != std::string::npos);
  CHECK(page.find("这是该码的首次查询（2022-05-20 06:40:00，北京时间）。") != std::string::npos);
  CHECK(page.find("已被查询") == std::string::npos);  // one line, not two saying the same
  // The CSP allows exactly the page's one <style> element, by hash.
  auto a = page.find("<style>") + 7, b = page.find("</style>");
  std::string css = page.substr(a, b - a);
  CHECK(page_csp().find("'sha256-" + base64_encode(sha256(as_bytes(css))) + "'") != std::string::npos);
  CHECK(page_csp().find("default-src 'none'") != std::string::npos);
  CHECK(page_csp().find("unsafe") == std::string::npos);
}

TEST_CASE("a big journey stays under 30 KB") {
  auto v = sample();
  for (int i = 0; i < 40; ++i)
    v.timeline.push_back(item(100 + i, "storage", {{"start", "2022-10-11T08:00:00+08:00"},
                                                   {"target", {{"min", "0"}, {"max", "2"}}}}));
  CHECK(render_scan_page(v, {}, {}).size() < 30 * 1024);
}

TEST_CASE("recall banner, copy warning past the threshold, awaiting checkpoint, English") {
  auto v = sample();
  v.recalls.push_back({77, "LC22-AN01-H1", "农药残留<超标>", "2022-10-12T10:00:00+08:00", true});
  v.all_checkpointed = false;
  v.timeline.back().checkpointed = false;
  PageOptions o;
  o.warn_after = 5;
  auto page = render_scan_page(v, {6, 1653000000000, 1653000001000, 6}, o);
  CHECK(page.find("class=\"banner\"") != std::string::npos);
  CHECK(page.find("本批次产品已召回") != std::string::npos);
  CHECK(page.find("农药残留&lt;超标&gt;") != std::string::npos);
  CHECK(page.find("警告：查询此码的消费者已超过 5 位，可能被复制") != std::string::npos);
  CHECK(page.find("⚠ 此码已被 6 位不同的消费者查询，可能被复制") < page.find("潞城大葱</h1>"));  // above the fold
  CHECK(page.find("部分记录刚刚录入，尚待签名存证") != std::string::npos);
  CHECK(page.find("待签名存证") != std::string::npos);
  CHECK(page.find("awaiting checkpoint") == std::string::npos);  // no English jargon on the Chinese page
  CHECK(page.find("/api/v1/proof/inclusion?index=40") != std::string::npos);  // the job itself is covered
  o.lang = Lang::en;
  auto en = render_scan_page(v, {5, 1653000000000, 1653000001000, 5}, o);
  CHECK(en.find("RECALLED") != std::string::npos);
  CHECK(en.find("may have been") == std::string::npos);  // 5 is not past 5
  CHECK(en.find("lang=\"en\"") != std::string::npos);
}

TEST_CASE("not-found and bad-request pages") {
  auto nf = render_not_found_page({});
  CHECK(nf.find("<h1 class=\"bad\">未找到该追溯码</h1>") != std::string::npos);
  CHECK(nf.find("not found") == std::string::npos);  // one language per page
  auto nf_en = render_not_found_page({.lang = Lang::en});
  CHECK(nf_en.find("<h1 class=\"bad\">Code not found</h1>") != std::string::npos);
  auto bad = render_bad_request_page("<x>", {});
  CHECK(bad.find("&lt;x&gt;") != std::string::npos);
  CHECK(display_time("2022-10-08T07:00:00+08:00") == "2022-10-08 07:00");
  // Times written at another offset are shown in Beijing time, like the rest of the page.
  CHECK(display_time("2022-10-07T23:00:00Z") == "2022-10-08 07:00");
  CHECK(display_time("2022-10-08T01:00:00+02:00") == "2022-10-08 07:00");
  CHECK(display_time("not a time") == "not a time");
  CHECK(display_cst(0) == "1970-01-01 08:00:00");
}

TEST_CASE("code JSON carries the proof material and the scan counts without changing them") {
  auto v = sample();
  SerialProof proof{40, 3, 21, {}};
  auto j = code_json(v, proof, "{\"index\":40}", ScanCount{2, 1000, 2000});
  CHECK(j["status"] == "genuine");
  CHECK(j["inclusion_proof_url"] == "/api/v1/proof/inclusion?index=40");
  CHECK(j["serial_proof"]["count"] == 21);
  CHECK(j["scans"]["count"] == 2);
  CHECK(j["scans"]["first"] == "1970-01-01T00:00:01Z");
  CHECK(j["timeline"].size() == 3);
  CHECK(j["timeline"][1]["pre_harvest_interval_respected"] == true);
}

TEST_CASE("the copy warning counts distinct clients: one person's many checks never set it off") {
  PageOptions o;
  o.warn_after = 5;
  auto one = render_scan_block({40, 1653000000000, 1653000001000, 1}, o);
  CHECK(one.find("该码已被查询 40 次，都来自同一部手机，首次查询时间 2022-05-20 06:40:00（北京时间）。") !=
        std::string::npos);
  CHECK(one.find("可能被复制") == std::string::npos);
  CHECK(one.find("同一部手机反复打开只算一位消费者。") != std::string::npos);
  auto five = render_scan_block({9, 1653000000000, 1653000001000, 5}, o);
  CHECK(five.find("该码已被 5 位不同的消费者查询（共 9 次）") != std::string::npos);
  CHECK(five.find("可能被复制") == std::string::npos);
  auto six = render_scan_block({7, 1653000000000, 1653000001000, 6}, o);
  CHECK(six.find("class=\"alert\"") != std::string::npos);
  CHECK(six.find("警告：查询此码的消费者已超过 5 位，可能被复制") != std::string::npos);
  // Scans from before clients were told apart (an upgraded scans file): the count alone.
  auto legacy = render_scan_block({12, 1653000000000, 1653000001000, 0}, o);
  CHECK(legacy.find("该码已被查询 12 次，首次查询时间") != std::string::npos);
  CHECK(legacy.find("可能被复制") == std::string::npos);
  o.lang = Lang::en;
  CHECK(render_scan_block({40, 1653000000000, 1653000001000, 1}, o).find("40 times, all from one phone") !=
        std::string::npos);
}

TEST_CASE("several origins: every plot with its address, every producer, the harvest date range; escaped") {
  auto v = sample();
  v.origins = {{"140406-AN-P02", "熬脑村2号地块", "潞城区店上镇熬脑村西沟", "潞城区山丹丹种植专业合作社"},
               {"140406-ZJH-P01", "<i>张家河</i>", "", "<b>Evil & Co</b>"}};
  v.producers = {"潞城区山丹丹种植专业合作社", "<b>Evil & Co</b>"};
  v.harvest_first = "2022-10-03";
  v.harvest_last = "2022-10-05";
  auto page = render_scan_page(v, {}, {});
  CHECK(page.find("<dt>产地（2 个地块）</dt><dd>熬脑村2号地块（潞城区店上镇熬脑村西沟）<br>&lt;i&gt;张家河&lt;/i&gt;</dd>") !=
        std::string::npos);
  CHECK(page.find("<dd>潞城区山丹丹种植专业合作社、&lt;b&gt;Evil &amp; Co&lt;/b&gt;</dd>") != std::string::npos);
  CHECK(page.find("<dt>采收日期</dt><dd>2022-10-03 至 2022-10-05</dd>") != std::string::npos);
  auto en = render_scan_page(v, {}, {.lang = Lang::en});
  CHECK(en.find("<dt>Origin (2 plots)</dt>") != std::string::npos);
  CHECK(en.find("<dt>Producers</dt><dd>潞城区山丹丹种植专业合作社; &lt;b&gt;Evil &amp; Co&lt;/b&gt;</dd>") !=
        std::string::npos);
  CHECK(en.find("<dd>2022-10-03 to 2022-10-05</dd>") != std::string::npos);
  // One harvest day: the date alone.
  v.harvest_last = "2022-10-03";
  CHECK(render_scan_page(v, {}, {}).find("<dt>采收日期</dt><dd>2022-10-03</dd>") != std::string::npos);
  auto j = code_json(v, SerialProof{40, 3, 21, {}}, "{}", std::nullopt);
  CHECK(j["origins"][1]["name"] == "<i>张家河</i>");
  CHECK(j["producers"].size() == 2);
}

TEST_CASE("the proof page: the proof text escaped in a <pre>, a link to the plain text, the page's CSP") {
  auto page = render_proof_page(40, "agtrace <proof>\nindex 40\n", {});
  CHECK(page.find("<pre>agtrace &lt;proof&gt;\nindex 40\n</pre>") != std::string::npos);
  CHECK(page.find("第 40 条记录") != std::string::npos);
  CHECK(page.find("href=\"/api/v1/proof/inclusion?index=40&amp;format=text\"") != std::string::npos);
  auto a = page.find("<style>") + 7, b = page.find("</style>");
  CHECK(page_csp().find("'sha256-" + base64_encode(sha256(as_bytes(page.substr(a, b - a)))) + "'") !=
        std::string::npos);
}

// Issue 16 (item 6 of its "What to build"; rules version 5's product label fields, docs/templates.md):
// the consumer sees on the scan page what the label prints — slogan, 地理标志农产品, and for a processed
// food 生产日期, 保质期, SC licence and ingredients — in Chinese, escaped, and only where the record has them.
TEST_CASE("the product's label fields of rules version 5 on the scan page, escaped, only where set") {
  CodeView v = sample();
  v.pack_date = "2022-10-12";
  v.product->name = "潞城葱油";
  v.product->slogan = "辣香脆甜 <i>一根葱</i>";
  v.product->gi_name = "潞城大葱";
  v.product->gi_registration_no = "AGI0<1234>";
  v.product->processed = true;
  v.product->shelf_life_days = 180;
  v.product->production_license_no = "SC12314040600012";
  v.product->ingredients = "大豆油、潞城大葱 & 盐";
  auto page = render_scan_page(v, {1, 1653000000000, 1653000000000}, {});
  CHECK(page.find("<dt>宣传语</dt><dd>辣香脆甜 &lt;i&gt;一根葱&lt;/i&gt;</dd>") != std::string::npos);
  CHECK(page.find("<dt>地理标志农产品</dt><dd>潞城大葱（登记证书编号 AGI0&lt;1234&gt;）</dd>") != std::string::npos);
  CHECK(page.find("<dt>生产日期</dt><dd>2022-10-12</dd>") != std::string::npos);
  CHECK(page.find("<dt>包装日期</dt>") == std::string::npos);  // a processed food's date is its 生产日期
  CHECK(page.find("<dt>保质期</dt><dd>180 天</dd>") != std::string::npos);
  CHECK(page.find("<dt>生产许可证编号</dt><dd>SC12314040600012</dd>") != std::string::npos);
  CHECK(page.find("<dt>配料表</dt><dd>大豆油、潞城大葱 &amp; 盐</dd>") != std::string::npos);
  CHECK(page.find("<i>一根葱") == std::string::npos);
  CHECK(page.size() < 30 * 1024);

  PageOptions en;
  en.lang = Lang::en;
  auto english = render_scan_page(v, {1, 1653000000000, 1653000000000}, en);
  CHECK(english.find("<dt>Shelf life</dt><dd>180 days</dd>") != std::string::npos);
  CHECK(english.find("<dt>Production licence (SC)</dt><dd>SC12314040600012</dd>") != std::string::npos);

  // The JSON view carries the same fields, additively.
  auto j = code_json_shared(v, "")["product"];
  CHECK(j["slogan"] == "辣香脆甜 <i>一根葱</i>");
  CHECK(j["geographical_indication"]["registration_no"] == "AGI0<1234>");
  CHECK(j["processed"] == true);
  CHECK(j["production_license_no"] == "SC12314040600012");

  // A fresh product without these fields: no such rows, the packing date as 包装日期, no GI claim.
  auto plain = render_scan_page(sample(), {1, 1653000000000, 1653000000000}, {});
  for (const char* absent : {"宣传语", "地理标志农产品", "生产日期", "保质期", "生产许可证编号", "配料表"})
    CHECK_MESSAGE(plain.find(absent) == std::string::npos, absent);
  CHECK_FALSE(code_json_shared(sample(), "")["product"].contains("geographical_indication"));
}

TEST_CASE("an input applied to the plot before sowing (rules version 7) says so and names the plot") {
  auto v = sample();
  v.timeline.insert(v.timeline.begin() + 1,
                    item(11, "input_application",
                         {{"input_kind", "fertilizer"}, {"input_name", "腐熟羊粪（底肥）"}, {"location", "140406-AN-P01"}}));
  v.timeline.insert(v.timeline.begin() + 2,
                    item(12, "input_application",
                         {{"input_kind", "fertilizer"}, {"input_name", "尿素"}, {"lot", "LC22-AN01"},
                          {"location", "140406-AN-P01"}}));
  auto page = render_scan_page(v, {}, {});
  CHECK(page.find("<p>施于地块（未填种植批次）：熬脑村1号地块</p>") != std::string::npos);
  // Only the plot-level one: an input applied to the lot after sowing says nothing of the kind.
  CHECK(page.find("施于地块（未填种植批次）") == page.rfind("施于地块（未填种植批次）"));
  auto en = render_scan_page(v, {}, {.lang = Lang::en});
  CHECK(en.find("<p>Applied to the plot (no planting lot given): 熬脑村1号地块</p>") != std::string::npos);
}
