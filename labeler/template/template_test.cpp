// Label templates: the shipped ones load; the schema and the seven-unified checks refuse
// broken ones with a message naming the element; a template carries no product's words
// (docs/templates.md): no values.slogan, 地理标志 only with the record's {gi_…}; a processed
// food's label shows 生产日期, 保质期, the SC licence number and 配料.
#include <doctest/doctest.h>

#include "labeler/template/area.h"
#include "labeler/template/content.h"
#include "labeler/template/template.h"
#include "labeler/testing/fixtures.h"
#include "ledger/util/error.h"

using namespace agtrace;
using namespace agtrace::labeler;

namespace {

std::string minimal(const std::string& extra_elements, const std::string& top = "") {
  std::string parts;
  for (const char* p : {"brand", "packaging", "standard", "quality", "distribution", "marketing", "after_sales"})
    parts += std::string(R"({"type":"text","part":")") + p +
             R"(","x_mm":1,"y_mm":1,"w_mm":10,"h_mm":3,"text":"x","size_pt":6},)";
  return R"({"name":"t","width_mm":60,"height_mm":40,"dpi":203,)" + top + R"("elements":[)" + parts +
         R"({"type":"qr","x_mm":30,"y_mm":5,"size_mm":25},)" +
         R"({"type":"text","part":"trace","x_mm":30,"y_mm":31,"w_mm":25,"h_mm":4,"text":"{serial}","size_pt":7})" +
         extra_elements + "]}";
}

std::string error_of(const std::string& text) {
  try {
    testing::template_from_text(text);
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::bad_input);
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("the shipped templates load and cover the seven unified parts") {
  for (const char* name : {"lucheng-box-100x70", "lucheng-bag-60x40", "lucheng-scallion-box-100x70",
                           "lucheng-tomato-box-100x70", "lucheng-millet-bag-80x70", "lucheng-scallion-oil-80x60"}) {
    CAPTURE(name);
    LabelTemplate t = testing::shipped_template(name);
    CHECK(t.name == name);
    CHECK((t.dpi == 203 || t.dpi == 300));
    CHECK(t.qr.ec == EcLevel::M);
  }
  CHECK(testing::shipped_template("lucheng-box-100x70").width_mm == 100);
  CHECK(testing::shipped_template("lucheng-bag-60x40").height_mm == 40);
}

TEST_CASE("a minimal template is accepted") {
  CHECK(testing::template_from_text(minimal("")).elements.size() == 9);
}

TEST_CASE("schema violations name the field") {
  std::string doc = minimal("");
  doc.replace(doc.find("\"dpi\":203"), 9, "\"dpi\":150");
  CHECK(error_of(doc).find("dpi") != std::string::npos);
  CHECK(error_of(minimal(R"(,{"type":"circle"})")) != "");
}

TEST_CASE("unknown placeholders, missing parts, two QR codes and Chinese per-label text are refused") {
  CHECK(error_of(minimal(R"(,{"type":"text","x_mm":1,"y_mm":1,"w_mm":10,"h_mm":3,"text":"{nope}","size_pt":6})"))
            .find("{nope}") != std::string::npos);
  std::string no_quality = minimal("");
  no_quality.replace(no_quality.find("\"quality\""), 9, "\"other\"");
  CHECK(error_of(no_quality).find("missing part quality") != std::string::npos);
  CHECK(error_of(minimal(R"(,{"type":"qr","x_mm":1,"y_mm":1,"size_mm":10})")).find("exactly one QR") !=
        std::string::npos);
  CHECK(error_of(minimal(R"(,{"type":"text","x_mm":1,"y_mm":1,"w_mm":10,"h_mm":3,"text":"码{serial}","size_pt":6})"))
            .find("ASCII") != std::string::npos);
  CHECK(error_of(minimal(R"(,{"type":"rect","x_mm":55,"y_mm":1,"w_mm":10,"h_mm":3,"fill":"#000000"})"))
            .find("outside") != std::string::npos);
  CHECK(error_of(minimal(R"(,{"type":"text","x_mm":1,"y_mm":1,"w_mm":10,"h_mm":3,"text":"{x_shop}","size_pt":6})"))
            .find("values") != std::string::npos);
}

TEST_CASE("placeholders expand from facts, then template values; missing ones yield nullopt") {
  LabelFacts f = testing::sample_facts();
  std::map<std::string, std::string> values{{"slogan", "好葱"}, {"hotline", "123"}};
  CHECK(*expand_text("{brand_regional}·{slogan} {{x}}", f, values, "S", "U") == "潞城大葱·好葱 {x}");
  CHECK(*expand_text("{serial}|{uri}", f, values, "ABC", "https://u") == "ABC|https://u");
  CHECK_FALSE(expand_text("{shop}", f, values, "", ""));
  CHECK(placeholders_in("a{b}c{{d}}{e}", "w") == std::vector<std::string>{"b", "e"});
  CHECK_THROWS_AS(placeholders_in("a{b", "w"), Error);
}

TEST_CASE("trace URIs: Digital Link with a GTIN, /t/ without") {
  LabelFacts f = testing::sample_facts();
  CHECK(trace_uri(f, "ABCDEFGH12340") ==
        "https://trace.lucheng.example/01/06901234567892/10/LC-2026-1120-01/21/ABCDEFGH12340");
  f.gtin14.reset();
  CHECK(trace_uri(f, "ABCDEFGH12340") == "https://trace.lucheng.example/t/ABCDEFGH12340");
  CHECK(display_quantity("5", "KGM") == "5 kg");
  CHECK(display_quantity("12", "H87") == "12件");
}

TEST_CASE("--template naming a folder or a missing file is bad input, not a crash") {
  const std::string dir = std::string(AGTRACE_SOURCE_DIR) + "/examples/templates";
  try {
    load_template(dir);
    FAIL("loaded");
  } catch (const agtrace::Error& e) {
    CHECK(e.kind() == agtrace::ErrorKind::bad_input);
    CHECK(std::string(e.what()) == "--template " + dir + ": is a folder, not a file");
  }
  CHECK_THROWS_AS(load_template(dir + "/no-such.json"), agtrace::Error);
}

TEST_CASE("addresses split into their administrative parts, largest first") {
  using V = std::vector<std::string>;
  CHECK(admin_parts("潞城区店上镇熬脑村东坡") == V{"潞城区", "店上镇", "熬脑村"});
  CHECK(admin_parts("潞城区合室乡合室村北坡") == V{"潞城区", "合室乡", "合室村"});
  CHECK(admin_parts("山西省长治市潞城区店上镇东邑村") == V{"山西省", "长治市", "潞城区", "店上镇", "东邑村"});
  CHECK(admin_parts("内蒙古自治区呼和浩特市新城区海拉尔东路街道") ==
        V{"内蒙古自治区", "呼和浩特市", "新城区", "海拉尔东路街道"});
  CHECK(admin_parts("杭州市西湖区") == V{"杭州市", "西湖区"});  // 州 inside a name ends nothing
  CHECK(admin_parts("长治市潞城市店上镇") == V{"长治市", "潞城市", "店上镇"});  // a county-level city
  CHECK(admin_parts("潞城区店上镇产业园区") == V{"潞城区", "店上镇"});  // 区 after a township is no county
  CHECK(admin_parts("产业园").empty());
  CHECK(admin_parts("").empty());
}

TEST_CASE("several plots: their common township or village, else the first plot, and the number of plots") {
  CHECK(common_area({"潞城区店上镇熬脑村东坡", "潞城区店上镇张家河村南"}) == "潞城区店上镇");
  CHECK(common_area({"潞城区店上镇熬脑村东坡", "潞城区店上镇熬脑村西沟"}) == "潞城区店上镇熬脑村");
  CHECK(common_area({"潞城区店上镇熬脑村西沟", "潞城区合室乡合室村北坡"}) == "潞城区");
  CHECK(!common_area({"潞城区店上镇熬脑村", "太原市小店区"}).has_value());
  CHECK(!common_area({"潞城区店上镇熬脑村", ""}).has_value());
  CHECK(!common_area({}).has_value());

  CHECK(origin_summary({"潞城区店上镇熬脑村东坡"}, "熬脑村1号地块") == "潞城区店上镇熬脑村东坡");  // one plot: as before
  CHECK(origin_summary({""}, "熬脑村1号地块") == "熬脑村1号地块");
  CHECK(origin_summary({"潞城区店上镇熬脑村东坡", "潞城区店上镇张家河村南"}, "熬脑村1号地块") ==
        "潞城区店上镇等 2 个地块");
  CHECK(origin_summary({"潞城区店上镇熬脑村东坡", "潞城区店上镇熬脑村西沟", "潞城区店上镇熬脑村北"}, "x") ==
        "潞城区店上镇熬脑村等 3 个地块");
  CHECK(origin_summary({"", "潞城区店上镇张家河村南"}, "熬脑村1号地块") == "熬脑村1号地块等 2 个地块");
  // Plots of two townships of one county: the townships, not "潞城区等 2 个地块".
  CHECK(origin_summary({"潞城区店上镇熬脑村东坡", "潞城区合室乡合室村北坡"}, "x") == "潞城区店上镇、合室乡 2 个地块");
  CHECK(origin_summary({"潞城区店上镇熬脑村东坡", "潞城区合室乡合室村北坡", "潞城区店上镇熬脑村西沟"}, "x") ==
        "潞城区店上镇、合室乡 3 个地块");
  CHECK(origin_summary({"潞城区店上镇熬脑村东坡", "潞城区产业园"}, "x") == "潞城区等 2 个地块");  // no township
  CHECK(origin_summary({}, "x").empty());
}

TEST_CASE("a template carries no product's words: values.slogan is refused, naming where the slogan goes") {
  std::string with_slogan = minimal("", R"("values":{"slogan":"辣香脆甜 潞城大葱"},)");
  std::string e = error_of(with_slogan);
  CHECK(e.find("values.slogan") != std::string::npos);
  CHECK(e.find("宣传语") != std::string::npos);  // the product CSV's column
  CHECK(e.find("{slogan}") != std::string::npos);
  CHECK(e.find("宣传语属于产品") < e.find("a slogan belongs"));  // Chinese first
  // hotline and shop stay template values (the station's own).
  CHECK_NOTHROW(testing::template_from_text(minimal("", R"("values":{"hotline":"0355-1","shop":"x"},)")));
}

TEST_CASE("地理标志 is printed only with the product record's {gi_name} or {gi_registration_no}") {
  std::string fixed = error_of(minimal(
      R"(,{"type":"text","x_mm":1,"y_mm":1,"w_mm":10,"h_mm":3,"text":"地理标志农产品 · 区域公用品牌","size_pt":6})"));
  CHECK(fixed.find("elements[9]") != std::string::npos);
  CHECK(fixed.find("{gi_name}") != std::string::npos);
  CHECK(fixed.find("geographical_indication") != std::string::npos);
  CHECK(error_of(minimal(R"(,{"type":"text","x_mm":1,"y_mm":1,"w_mm":10,"h_mm":3,"text":"地理标志：{brand_regional}",)"
                         R"("size_pt":6})")) != "");
  for (const char* ok : {"地理标志农产品 · {gi_name}", "地理标志登记证书：{gi_registration_no}"})
    CHECK_NOTHROW(testing::template_from_text(minimal(std::string(R"(,{"type":"text","x_mm":1,"y_mm":1,"w_mm":10,)") +
                                                      R"("h_mm":3,"optional":true,"size_pt":6,"text":")" + ok + "\"}")));
}

TEST_CASE("a processed food's label must show 生产日期, 保质期, 生产许可证编号 and 配料") {
  LabelFacts f = testing::sample_facts();
  f.product_id = "LCDC-OIL";
  // A fresh product: any template but a processed food's, which prints a production date.
  CHECK_NOTHROW(check_template_for_product(testing::shipped_template("lucheng-box-100x70"), f));
  try {
    check_template_for_product(testing::shipped_template("lucheng-millet-bag-80x70"), f);
    FAIL("a processed-food template labelled fresh produce");
  } catch (const Error& e) {
    std::string m = e.what();
    CHECK(m.find("「加工食品」列") != std::string::npos);
    CHECK(m.find("field processed") != std::string::npos);
    CHECK(m.find("lucheng-box-100x70.json") != std::string::npos);
  }
  f.processed = true;
  try {
    check_template_for_product(testing::shipped_template("lucheng-box-100x70"), f);
    FAIL("a fresh-produce template labelled a processed food");
  } catch (const Error& e) {
    std::string m = e.what();
    CHECK(e.kind() == ErrorKind::bad_input);
    CHECK(m.find("lucheng-box-100x70") != std::string::npos);
    CHECK(m.find("LCDC-OIL") != std::string::npos);
    for (const char* p : {"{production_date}", "{shelf_life}", "{production_license_no}", "{ingredients}"})
      CHECK(m.find(p) != std::string::npos);
    CHECK(m.find("GB 7718") != std::string::npos);
    CHECK(m.find("加工食品") < m.find("processed"));
  }
  for (const char* name : {"lucheng-millet-bag-80x70", "lucheng-scallion-oil-80x60"})
    CHECK_NOTHROW(check_template_for_product(testing::shipped_template(name), f));
  // Shown only in an optional element does not count: it could vanish from the label.
  std::string optional_date = minimal(
      R"(,{"type":"text","x_mm":1,"y_mm":1,"w_mm":10,"h_mm":3,"size_pt":6,"optional":true,"text":"{production_date}"},)"
      R"({"type":"text","x_mm":1,"y_mm":1,"w_mm":10,"h_mm":3,"size_pt":6,"text":"{shelf_life}{production_license_no}"},)"
      R"({"type":"text","x_mm":1,"y_mm":1,"w_mm":10,"h_mm":3,"size_pt":6,"text":"{ingredients}"})");
  try {
    check_template_for_product(testing::template_from_text(optional_date), f);
    FAIL("an optional production date was accepted");
  } catch (const Error& e) {
    std::string m = e.what();
    CHECK(m.find("{production_date}") != std::string::npos);
    CHECK(m.find("{shelf_life}") == std::string::npos);
  }
}

TEST_CASE("a field without a value names the record and field to fill in, with the clerk's column") {
  LabelFacts f = testing::sample_facts();
  f.lot = "LC22-XM-K01";
  f.product_id = "LCXM-HG";
  f.product_owner = "XAX";
  f.packing_party = "XAX";
  auto slogan = field_source("slogan", f);
  CHECK(slogan.zh == "产品「LCXM-HG」资料的「宣传语」列（slogan）");
  CHECK(slogan.en == "product \"LCXM-HG\": field slogan (column 宣传语)");
  CHECK(field_source("production_license_no", f).zh.find("「生产许可证编号」") != std::string::npos);
  CHECK(field_source("ingredients", f).zh.find("「配料」") != std::string::npos);
  CHECK(field_source("shelf_life", f).en.find("shelf_life_days") != std::string::npos);
  CHECK(field_source("gi_name", f).zh.find("geographical_indication.name") != std::string::npos);
  CHECK(field_source("gi_name", f).zh.find("地理标志名称") != std::string::npos);
  CHECK(field_source("production_date", f).zh.find("加工食品") != std::string::npos);
  CHECK(field_source("production_date", f).en.find("{pack_date}") != std::string::npos);
  CHECK(field_source("hotline", f).zh.find("「XAX」") != std::string::npos);
  CHECK(field_source("hotline", f).en.find("values.hotline") != std::string::npos);
  CHECK(field_source("packer_address", f).en.find("the packer \"XAX\": party field address (column 地址)") !=
        std::string::npos);
  CHECK(field_source("certificate_no", f).zh.find("LC22-XM-K01") != std::string::npos);
  CHECK(field_source("x_note", f).en == "the template's values.x_note");
}

TEST_CASE("GB 7718-2011 表 3: the least height of a prepackaged food's 净含量 figures, by its net content") {
  CHECK(net_content_min_height_mm(50) == 2);
  CHECK(net_content_min_height_mm(50.5) == 3);
  CHECK(net_content_min_height_mm(200) == 3);
  CHECK(net_content_min_height_mm(500) == 4);  // the 0.5 kg scallion oil
  CHECK(net_content_min_height_mm(1000) == 4);
  CHECK(net_content_min_height_mm(2500) == 6);  // the 2.5 kg red millet
}
