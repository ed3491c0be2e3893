// Templates for every product (issue 16 item 6, docs/templates.md): the example season's
// four products — 潞城大葱 (fresh, a geographical indication), dryland tomato (fresh), red
// millet and scallion oil (processed foods) — each printed with its shipped template by
// agtrace-labeler: every QR code decodes (zbar and ZXing) to the lot's Digital Link, and the
// text the template renders holds the product's own words from its record and no word of
// another product; a processed food's label shows 生产日期 (the packing day at the event's
// offset), 保质期, 生产许可证编号 and 配料. Refusals, each with exit status 2 and nothing
// recorded: a fresh-produce template for a processed food, the geographical-indication
// template for a product without one, a product record that lacks a field the template
// prints (the message names the record, the field and the CSV column, Chinese first), a
// processed food's 净含量 in figures lower than GB 7718-2011 4.1.5.4 表 3 requires;
// and a ledger below rules version 5 refuses the new product fields until upgraded.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "labeler/render/painter.h"
#include "labeler/template/content.h"
#include "labeler/tests/station.h"
#include "labeler/testing/qr_decode.h"

using namespace agtrace;
using namespace agtrace::labeler;
using namespace agtrace::labeler::testing;
namespace fs = std::filesystem;

namespace {

const std::string kSeason = std::string(AGTRACE_SOURCE_DIR) + "/examples/lucheng-2022";
const std::string kTemplates = std::string(AGTRACE_SOURCE_DIR) + "/examples/templates/";

// The season's CSV files up to the certificates (before the market check that recalls the
// scallion oil's raw scallions), imported as the clerk does.
void import_season(Station& st) {
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(kSeason)) {
    std::string name = e.path().filename().string();
    if (e.path().extension() == ".csv" && name < "13") files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    auto r = st.ledger_cli({"import", "--key", st.clerk_key, "--format", "csv", "--tz", "+08:00", "--encoding",
                            f.find("gb18030") != std::string::npos ? "gb18030" : "utf-8", f});
    REQUIRE_MESSAGE(r.status == 0, f, "\n", r.out);
  }
}

// A station key acting for `holder` (rules version 3), registered by the log key.
std::string station_key_for(Station& st, const std::string& holder) {
  std::string key = st.dir + "/station-" + holder + ".key";
  REQUIRE(st.ledger_cli({"key", "gen", "--name", "station-" + holder, "--out", key}).status == 0);
  auto added = st.ledger_cli(
      {"key", "add", "--log-key", st.log_key, "--pub", key + ".pub", "--role", "station", "--holder", holder});
  REQUIRE_MESSAGE(added.status == 0, added.out);
  return key;
}

// Every text the template renders for `lot` that is the same on each label, joined by
// newlines: what the painter draws, from the ledger's facts.
std::string rendered_text(Station& st, const std::string& lot, const std::string& template_file) {
  Ledger l = st.open();
  LabelFacts facts = gather_label_facts(l, lot);
  LabelTemplate t = load_template(template_file);
  LabelPainter painter(t, facts, t.dpi);
  std::string out;
  for (const auto& p : painter.static_texts()) out += p.text + "\n";
  return out;
}

// The words of product `id`'s record that could only belong to it.
std::vector<std::string> record_words(Ledger& l, const std::string& id) {
  auto p = l.store().master("product", id);
  REQUIRE(p);
  std::vector<std::string> words;
  for (const char* f : {"name", "slogan", "variety", "standard", "production_license_no", "ingredients",
                        "storage_condition"})
    if (p->contains(f)) words.push_back((*p)[f].get<std::string>());
  if (p->contains("geographical_indication")) words.push_back("地理标志");
  return words;
}

struct ProductCase {
  std::string lot, product, holder, template_name;
  std::vector<std::string> expected;  // exact pieces of rendered text
};

}  // namespace

TEST_CASE("each product of the example season prints with its template: its own words, no other product's") {
  Station st("products");
  import_season(st);
  const std::string ch = station_key_for(st, "CH"), xax = station_key_for(st, "XAX");
  const std::vector<ProductCase> cases = {
      {"LC22-K-0001", "LCDC-CB", "CH", "lucheng-scallion-box-100x70",
       {"潞城大葱", "地理标志农产品 · 潞城大葱", "辣香脆甜 · 一根葱一张身份证", "品种：长白", "等级：特级",
        "包装日期：2022-10-10", "执行标准：NY/T 1835-2010"}},
      {"LC22-K-0101", "LCTOM-HD", "CH", "lucheng-tomato-box-100x70",
       {"潞城旱地西红柿", "潞城优品", "旱地沙瓤 · 自然红熟", "品种：粉果", "执行标准：NY/T 940-2006",
        "包装日期：2022-08-26"}},
      {"LC22-XM-K01", "LCXM-HG", "XAX", "lucheng-millet-bag-80x70",
       {"潞城红谷小米", "净含量\n2.5 kg\n", "配料：红谷小米", "生产日期：2022-10-16　保质期：365天",
        "食品生产许可证编号：SC10114040600123", "生产者：潞城区鑫熬兴农业专业合作社",
        "地址：潞城区店上镇张家河村", "产品标准代号：GB/T 11766-2008", "质量检测：合格", "太行红谷 · 米香浓郁",
        "电话 0355-5550104"}},
      {"LC22-OIL-K01", "LCDC-OIL", "CH", "lucheng-scallion-oil-80x60",
       {"潞城葱油", "净含量\n0.5 kg\n", "配料：大豆油、潞城大葱", "生产日期：2022-10-14　保质期：180天",
        "食品生产许可证编号：SC10214040600456", "生产者：山西聪和农业科技有限公司",
        "产品标准代号：Q/CHNY 0001S-2022", "原料葱产地：潞城区", "潞城大葱慢火熬制 · 葱香浓郁", "电话 0355-5550103"}},
  };
  std::vector<std::string> all_products;
  for (const auto& c : cases) all_products.push_back(c.product);

  for (const auto& c : cases) {
    CAPTURE(c.template_name);
    const std::string tpl = kTemplates + c.template_name + ".json";
    const std::string out = st.dir + "/" + c.template_name + "/";
    auto r = st.labeler({"print", "--key", c.holder == "CH" ? ch : xax, "--lot", c.lot, "--count", "2", "--template",
                         tpl, "--format", "png", "--out", out});
    REQUIRE_MESSAGE(r.status == 0, r.out);

    // The QR codes: the lot's Digital Link, one serial per label, as the file names say.
    Ledger l = st.open();
    LabelFacts facts = gather_label_facts(l, c.lot);
    REQUIRE(facts.gtin14);
    std::size_t pngs = 0;
    for (const auto& e : fs::directory_iterator(out)) {
      auto img = load_png(e.path().string());
      auto a = zbar_decode(img);
      REQUIRE(a.size() == 1);
      CHECK(a == zxing_decode(img));
      std::string stem = e.path().stem().string();
      std::string serial = stem.substr(stem.find('-') + 1);
      CHECK(a[0] == trace_uri(facts, serial));
      CHECK(a[0].find("/01/" + *facts.gtin14 + "/10/" + facts.lot_code + "/21/") != std::string::npos);
      ++pngs;
    }
    CHECK(pngs == 2);

    // The text: the product's own words, and none of the other products'.
    const std::string text = rendered_text(st, c.lot, tpl);
    CAPTURE(text);
    for (const auto& want : c.expected) CHECK_MESSAGE(text.find(want) != std::string::npos, want);
    std::vector<std::string> own = record_words(l, c.product);
    for (const auto& other : all_products) {
      if (other == c.product) continue;
      for (const auto& word : record_words(l, other)) {
        // A word this product's record holds too (the scallion's name 潞城大葱 is the oil's
        // regional brand and in its ingredients) belongs to this product as well.
        bool shared = std::any_of(own.begin(), own.end(),
                                  [&](const std::string& w) { return w.find(word) != std::string::npos; });
        auto p = l.store().master("product", c.product);
        shared = shared || (*p)["brand"].dump().find(word) != std::string::npos;
        if (!shared) CHECK_MESSAGE(text.find(word) == std::string::npos, other, ": ", word);
      }
    }
  }
  // The trial's red-millet bag: no scallion, no 地理标志.
  const std::string millet = rendered_text(st, "LC22-XM-K01", kTemplates + "lucheng-millet-bag-80x70.json");
  CHECK(millet.find("大葱") == std::string::npos);
  CHECK(millet.find("地理标志") == std::string::npos);
  // The generic fresh-produce box prints the tomato without a 地理标志 line or a scallion slogan.
  const std::string tomato = rendered_text(st, "LC22-K-0101", kTemplates + "lucheng-box-100x70.json");
  CHECK(tomato.find("地理标志") == std::string::npos);
  CHECK(tomato.find("辣香脆甜") == std::string::npos);
  CHECK(tomato.find("旱地沙瓤 · 自然红熟") != std::string::npos);
}

TEST_CASE("a template that does not fit the product is refused, naming what to fill in or which template to use") {
  Station st("products-refused");
  import_season(st);
  const std::string ch = station_key_for(st, "CH"), xax = station_key_for(st, "XAX");
  auto print = [&](const std::string& key, const std::string& lot, const std::string& name) {
    return st.labeler({"print", "--key", key, "--lot", lot, "--count", "1", "--template", kTemplates + name + ".json",
                       "--format", "png", "--out", st.dir + "/" + name + "-" + lot + "/"});
  };
  const auto size = st.open().size();

  // A fresh-produce template for the scallion oil: no 生产日期, 保质期, SC number or 配料.
  auto oil = print(ch, "LC22-OIL-K01", "lucheng-box-100x70");
  CHECK(oil.status == 2);
  CHECK(oil.out.find("加工食品") != std::string::npos);
  CHECK(oil.out.find("{production_date}") != std::string::npos);
  CHECK(oil.out.find("{production_license_no}") != std::string::npos);
  CHECK(oil.out.find("lucheng-scallion-oil-80x60.json") != std::string::npos);

  // The 地理标志 template for the tomato, whose record has no geographical indication.
  auto tomato = print(ch, "LC22-K-0101", "lucheng-scallion-box-100x70");
  CHECK(tomato.status == 2);
  CHECK(tomato.out.find("产品「LCTOM-HD」资料的「地理标志名称」列（geographical_indication.name）") !=
        std::string::npos);
  CHECK(tomato.out.find("product \"LCTOM-HD\": field geographical_indication.name (column 地理标志名称)") !=
        std::string::npos);

  // The processed-food template for a fresh product: it has no 生产日期.
  auto scallion = print(ch, "LC22-K-0001", "lucheng-scallion-oil-80x60");
  CHECK(scallion.status == 2);
  CHECK(scallion.out.find("{production_date}") != std::string::npos);
  CHECK(scallion.out.find("「加工食品」") != std::string::npos);

  // 净含量 in figures lower than GB 7718-2011 表 3 asks for 2.5 kg (6 mm): 12 pt figures are about 3 mm.
  {
    std::ifstream in(kTemplates + "lucheng-millet-bag-80x70.json");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::string big = R"("size_pt": 24, "min_size_pt": 24)";
    REQUIRE(text.find(big) != std::string::npos);
    text.replace(text.find(big), big.size(), R"("size_pt": 12, "min_size_pt": 12)");
    std::ofstream(st.dir + "/small-net-content.json") << text;
    auto small = st.labeler({"print", "--key", xax, "--lot", "LC22-XM-K01", "--count", "1", "--template",
                             st.dir + "/small-net-content.json", "--format", "png", "--out", st.dir + "/small/"});
    CHECK(small.status == 2);
    CHECK(small.out.find("GB 7718-2011 4.1.5.4") != std::string::npos);
    CHECK(small.out.find("要求的 6 mm") != std::string::npos);
    CHECK(small.out.find("净含量 2.5 kg") != std::string::npos);
    CHECK(small.out.find("min_size_pt") != std::string::npos);
  }

  // The millet recorded again without its SC number (master data: the latest record counts).
  const std::string csv = st.dir + "/millet-again.csv";
  std::ofstream(csv) << "事件类型,事件编号,时间,产品编号,产品名称,GTIN,区域公用品牌,企业品牌,执行标准,包装规格,包装单位,"
                        "保质期（天）,贮存条件,所属主体,需开具合格证,宣传语,加工食品,配料\n"
                        "product,MD-G-104,2022-10-01T09:00:00+08:00,LCXM-HG,潞城红谷小米,06901234567922,潞城优品,鑫熬兴,"
                        "GB/T 11766-2008,2.5,KGM,365,常温干燥贮存，防潮防虫,XAX,否,太行红谷 · 米香浓郁,是,红谷小米\n";
  auto again = st.ledger_cli({"import", "--key", st.clerk_key, "--format", "csv", csv});
  REQUIRE_MESSAGE(again.status == 0, again.out);
  const auto size_after_record = st.open().size();
  auto millet = print(xax, "LC22-XM-K01", "lucheng-millet-bag-80x70");
  CHECK(millet.status == 2);
  CHECK(millet.out.find("产品「LCXM-HG」资料的「生产许可证编号」列（production_license_no）") != std::string::npos);
  CHECK(millet.out.find("product \"LCXM-HG\": field production_license_no (column 生产许可证编号)") !=
        std::string::npos);
  CHECK(millet.out.find("请填写") < millet.out.find("fill in"));  // Chinese first

  // Nothing was recorded by any refused job.
  CHECK(st.open().size() == size_after_record);
  CHECK(size_after_record == size + 1);
  for (const auto& e : fs::directory_iterator(st.dir))
    if (e.is_directory()) CHECK_MESSAGE(fs::is_empty(e.path()), e.path());
}

TEST_CASE("rules version 5: a ledger at version 3 refuses the product's label fields until upgraded") {
  const std::string fixture = std::string(AGTRACE_SOURCE_DIR) + "/tests/fixtures/ledger-v3";
  const std::string dir = scratch_dir("products-rules-v3");
  for (const char* f : {"ledger.db", "log.key", "log.key.pub", "log.key.last-checkpoint", "clerk.key", "clerk.key.pub"})
    fs::copy_file(fixture + "/" + f, dir + "/" + f);
  for (const char* f : {"log.key", "clerk.key"}) fs::permissions(dir + "/" + f, fs::perms::owner_read | fs::perms::owner_write);
  auto cli = [&](const std::string& args) {
    CommandResult r;
    r.status = run(std::string(AGTRACE_LEDGER_BIN) + " --ledger " + dir + "/ledger.db " + args + " 2>&1", &r.out);
    return r;
  };
  const std::string csv = dir + "/product.csv";
  std::ofstream(csv) << "事件类型,事件编号,时间,产品编号,产品名称,区域公用品牌,宣传语,加工食品,生产许可证编号,配料\n"
                        "product,MD-G-201,2022-10-01T09:00:00+08:00,LCVIN-01,潞城老陈醋,潞城优品,醇香绵酸,是,"
                        "SC10314040600789,高粱、麸皮、水\n";
  const std::string import = "import --key " + dir + "/clerk.key --format csv " + csv;
  auto before = cli("log --json");
  auto refused = cli(import);
  CHECK(refused.status == 2);
  CHECK(refused.out.find("宣传语") != std::string::npos);  // the column of the first new field
  CHECK(refused.out.find("agtrace-ledger upgrade") != std::string::npos);
  CHECK(refused.out.find("规则版本 5") != std::string::npos);
  CHECK(cli("log --json").out == before.out);  // nothing written

  auto up = cli("upgrade --log-key " + dir + "/log.key");
  REQUIRE_MESSAGE(up.status == 0, up.out);
  auto accepted = cli(import);
  CHECK_MESSAGE(accepted.status == 0, accepted.out);
  auto verified = cli("verify");
  CHECK_MESSAGE(verified.status == 0, verified.out);
}

TEST_CASE("preview: a facts file says the product and its kind, and a processed food's template needs it") {
  Station st("products-preview");
  nlohmann::json facts = {{"base_url", "https://trace.lucheng.example"},
                          {"lot", "LC22-OIL-K01"},
                          {"lot_code", "LC22-OIL-K01"},
                          {"gtin14", "06901234567939"},
                          {"product_id", "LCDC-OIL"},
                          {"processed", true},
                          {"fields",
                           {{"product", "潞城葱油"}, {"brand_regional", "潞城大葱"}, {"brand_enterprise", "聪和"},
                            {"net_content", "0.5 kg"}, {"ingredients", "大豆油、潞城大葱"},
                            {"production_date", "2022-10-14"}, {"shelf_life", "180天"},
                            {"storage", "阴凉避光保存"}, {"standard", "Q/CHNY 0001S-2022"},
                            {"production_license_no", "SC10214040600456"}, {"packer", "山西聪和农业科技有限公司"},
                            {"packer_address", "潞城区店上镇"}, {"origin", "潞城区"}, {"inspection_result", "合格"},
                            {"lot", "LC22-OIL-K01"}, {"slogan", "葱香浓郁"}, {"hotline", "0355-5550103"}}}};
  const std::string file = st.dir + "/oil-facts.json";
  std::ofstream(file) << facts.dump();
  auto preview = [&](const std::string& name) {
    return st.labeler({"preview", "--facts", file, "--template", kTemplates + name + ".json", "--format", "png",
                       "--out", st.dir + "/" + name + ".png"});
  };
  auto oil = preview("lucheng-scallion-oil-80x60");
  CHECK_MESSAGE(oil.status == 0, oil.out);
  CHECK(fs::exists(st.dir + "/lucheng-scallion-oil-80x60.png"));
  auto bag = preview("lucheng-bag-60x40");
  CHECK(bag.status == 2);
  CHECK(bag.out.find("该产品是加工食品") != std::string::npos);
  CHECK_FALSE(fs::exists(st.dir + "/lucheng-bag-60x40.png"));
}
