// What a Chinese-only clerk's trial still found open (issue 16, zh16f), through the real binary.
//
// Claims checked (docs/clerk-import.md, docs/regulator.md):
//   - a harvest far beyond any crop's yield per planted mu (kMaxHarvestKgPerMu) is refused at
//     import, naming the quantity cell, the yield per mu and the fix; --allow-high-yield records it;
//   - a lot id with a full-width space, a no-break space or two spaces in a row is refused,
//     naming the cell and the id as it should be written; one plain space is a name (DESIGN §4);
//   - `export --lot X` holds X, its ancestors and descendants, not a sibling lot's events;
//   - rows are named by the row number Excel shows (a cell typed with Alt+Enter is one row), with
//     the column letter; a row with more cells than the header says why (1,500), in Chinese too;
//   - a control character in a cell is refused, named as \u001b; stored ones are printed escaped;
//   - `correct --help` says that a sheet's row is corrected by import with a 更正原因 column;
//   - verify's failure says in Chinese what kind of damage it found.
// Every refusal exits 2 and leaves the ledger byte for byte the same (DESIGN §8).
#include <doctest/doctest.h>

#include <filesystem>

#include "tests/support/trial.h"

namespace at = agtrace::testing;
namespace fs = std::filesystem;
using at::has;
using at::HarvestSeason;
using at::csv_refused;
using at::read_file;

namespace {

constexpr const char* kHeader = "事件类型,事件编号,时间,主体编号,地点编号,采收批次,种植批次,数量,单位,备注\r\n";

std::string row(const std::string& id, const std::string& lot, const std::string& quantity, const std::string& unit,
                const std::string& note = "", const std::string& from = "PL-1") {
  return "采收," + id + ",2026-09-26T08:00:00+08:00," + at::kParty + "," + at::kPlot + "," + lot + "," + from + "," +
         quantity + "," + unit + "," + note + "\r\n";
}

}  // namespace

TEST_CASE("a harvest far beyond any crop's yield per mu is refused at import; --allow-high-yield records it") {
  HarvestSeason s;
  // 500 吨 from the 2.5 mu of PL-1: 200000 kg per mu.
  auto tons = s.L.write_file("tons.csv", std::string(kHeader) + row("H-2", "H-2", "500", "吨"));
  csv_refused(s.L, tons,
          {"tons.csv 第 2 行 H 列「数量」", "采收 500 吨", "种植批次「PL-1」只种了 2.5 亩", "合每亩 200000 千克",
           "每亩 30000 千克", "--allow-high-yield"},
          {"tons.csv line 2", "200000 kg per mu", "--allow-high-yield"});
  // The same quantity in kg is a harvest (200 kg per mu).
  auto kg = s.L.write_file("kg.csv", std::string(kHeader) + row("H-3", "H-3", "500", "千克"));
  auto ok = s.L.import_csv(kg);
  INFO(ok.describe());
  CHECK(ok.exited_with(0));
  // A clerk who is sure records it.
  auto sure = s.L.import_csv(tons, {"--allow-high-yield"});
  INFO(sure.describe());
  CHECK(sure.exited_with(0));
  CHECK(has(sure.out, "已记录 H-2"));
  // Its signed entry says the flag vouched for it (a regulator reads it there); the plausible
  // harvest's entry says nothing; `show lot` says it under the harvest, in the reader's language.
  auto event = [&](const std::string& id) {
    return nlohmann::json::parse(s.L.must({"show", std::to_string(at::index_of(s.L, id)), "--json"}))["entry"]["event"];
  };
  CHECK(event("H-2")["yield_override"] == nlohmann::json{{"confirmed_by", "import_flag"}});
  CHECK_FALSE(event("H-3").contains("yield_override"));
  auto shown = at::run(s.L, {"show", "lot", "H-2", "--lang", "zh"});
  INFO(shown.describe());
  CHECK(has(shown.out, "采收量超过每亩 30000 千克的核对上限，由导入人加 --allow-high-yield 确认后记录"));
  CHECK_FALSE(has(at::run(s.L, {"show", "lot", "H-3", "--lang", "zh"}).out, "核对上限"));
  auto json = nlohmann::json::parse(at::run(s.L, {"show", "lot", "H-2", "--json"}).out);
  CHECK(json["events"][0]["yield_override"]["confirmed_by"] == "import_flag");
  CHECK(has(at::run(s.L, {"show", "lot", "H-2", "--lang", "en"}).out,
            "recorded because the importer passed --allow-high-yield"));
  // A backward trace shows it beside the harvest's quantity.
  auto traced = at::run(s.L, {"trace", "H-2", "--backward", "--lang", "zh"});
  INFO(traced.describe());
  CHECK(has(traced.out, "500 吨，采收量超过每亩 30000 千克的核对上限，由导入人加 --allow-high-yield 确认后记录"));
}

TEST_CASE("a harvest's yield_override: a supervisor's account pseudonym, never a name; bad ones refused, nothing written") {
  HarvestSeason s;
  auto h = [](const std::string& id, nlohmann::json override_) {
    auto e = at::events::harvest(id, id, "PL-1", "2026-09-26T08:00:00+08:00", "500000");
    e["yield_override"] = std::move(override_);
    return e;
  };
  const auto before = s.L.file_bytes();
  for (const auto& bad : {nlohmann::json{{"confirmed_by", "station_supervisor"}},                          // who?
                          nlohmann::json{{"confirmed_by", "station_supervisor"}, {"supervisor", "张三"}},   // a name
                          nlohmann::json{{"confirmed_by", "import_flag"}, {"supervisor", "sup-01"}},        // not a station's
                          nlohmann::json{{"confirmed_by", "clerk"}}, nlohmann::json{}}) {
    auto r = s.L.record({h("H-9", bad)});
    INFO(bad.dump() << "\n" << r.describe());
    CHECK(r.exited_with(2));
    CHECK(has(r.err, "yield_override"));
  }
  CHECK(s.L.file_bytes() == before);
  auto ok = s.L.record({h("H-9", {{"confirmed_by", "station_supervisor"}, {"supervisor", "sup-01"}})});
  INFO(ok.describe());
  CHECK(ok.exited_with(0));
  CHECK(has(at::run(s.L, {"show", "lot", "H-9", "--lang", "zh"}).out,
            "采收量超过每亩 30000 千克的核对上限，由主管 sup-01 在打印工作站确认无误后记录"));
  CHECK(s.L.cli({"verify"}).exited_with(0));
}

TEST_CASE("the yield check reads a planting of the same file and judges a correction row's quantity") {
  HarvestSeason s;
  auto both = s.L.write_file(
      "season.csv",
      "事件类型,事件编号,时间,主体编号,地点编号,种植批次,采收批次,产品编号,面积（亩）,数量,单位\r\n"
      "种植,P-9,2026-04-20T08:00:00+08:00," + std::string(at::kParty) + "," + at::kPlot + ",PL-9,," + at::kProduct +
          ",5,,\r\n"
          "采收,H-9,2026-09-26T08:00:00+08:00," + at::kParty + "," + at::kPlot + ",PL-9,H-9,,,500,吨\r\n");
  csv_refused(s.L, both, {"season.csv 第 3 行", "只种了 5 亩", "合每亩 100000 千克"}, {"100000 kg per mu"});

  auto fix = s.L.write_file("fix.csv", "事件类型,事件编号,时间,主体编号,地点编号,采收批次,种植批次,数量,单位,更正原因\r\n"
                                       "采收,H-1,2026-09-25T08:00:00+08:00," + std::string(at::kParty) + "," + at::kPlot +
                                           ",H-1,PL-1,1500,吨,单位写错\r\n");
  csv_refused(s.L, fix, {"fix.csv 第 2 行", "采收 1500 吨", "合每亩 600000 千克"}, {"600000 kg per mu"});
}

TEST_CASE("a lot id with a full-width or no-break space or two spaces in a row is refused; one space is a name") {
  HarvestSeason s;
  auto wide = s.L.write_file("wide.csv", std::string(kHeader) + row("H-2", "H\xE3\x80\x80" "2", "100", "千克"));
  csv_refused(s.L, wide, {"wide.csv 第 2 行 F 列「采收批次」", "批次编号里有全角空格", "请写成「H 2」"},
          {"a full-width space (U+3000)", "write \"H 2\""});
  auto nbsp = s.L.write_file("nbsp.csv", std::string(kHeader) + row("H-2", "H\xC2\xA0" "2", "100", "千克"));
  csv_refused(s.L, nbsp, {"F 列「采收批次」", "不间断空格", "请写成「H 2」"}, {"no-break space"});
  auto twice = s.L.write_file("twice.csv", std::string(kHeader) + row("H-2", "张家河钢葱  第1批", "100", "千克"));
  csv_refused(s.L, twice, {"连续的两个空格", "请写成「张家河钢葱 第1批」"}, {"two spaces in a row"});
  // The planting lot column is a lot column too.
  auto from = s.L.write_file("from.csv", std::string(kHeader) + row("H-2", "H-2", "100", "千克", "", "PL\xE3\x80\x80" "1"));
  csv_refused(s.L, from, {"G 列「种植批次」", "全角空格", "请写成「PL 1」"}, {"full-width space"});

  auto named = s.L.write_file("named.csv", std::string(kHeader) + row("H-2", "张家河钢葱 第1批", "100", "千克"));
  auto ok = s.L.import_csv(named);
  INFO(ok.describe());
  CHECK(ok.exited_with(0));
}

TEST_CASE("rows are named by the row number Excel shows, after a cell typed with Alt+Enter") {
  HarvestSeason s;
  // Row 2's note spans two lines of the file; row 3 is on line 4.
  auto f = s.L.write_file("multi.csv", std::string(kHeader) + row("H-2", "H-2", "100", "千克", "\"第一行\r\n第二行\"") +
                                           row("H-3", "H-3", "300", "斤") + row("H-3", "H-3", "300", "斤"));
  csv_refused(s.L, f,
          {"multi.csv 第 2 行 J 列「备注」：格子里有看不见的控制字符（「第一行\\u000d\\u000a第二行」",
           "multi.csv 第 3 行 I 列「单位」：300 斤 = 150 千克", "multi.csv 第 4 行 与第 3 行完全相同"},
          {"multi.csv line 2", "control characters", "multi.csv line 3", "repeats line 3"});
  auto r = s.L.import_csv(f);
  CHECK_FALSE(has(r.err, "第 5 行"));
}

TEST_CASE("a row with more cells than the header is named by its Excel row and why, in Chinese and English") {
  HarvestSeason s;
  auto f = s.L.write_file("split.csv", std::string(kHeader) + row("H-2", "H-2", "\"a\r\nb\"", "千克") +
                                           row("H-3", "H-3", "1,500", "千克") + row("H-4", "H-4", "100", "千克,,"));
  csv_refused(s.L, f,
          {"split.csv 有 2 行的格子数和表头不一样，整个文件都没有记录",
           "split.csv 第 3 行：有 11 个格子，表头只有 10 个：多半是数字带了千位分隔符（1,500）",
           "split.csv 第 4 行：有 12 个格子，表头有 10 个；请在 Excel 里打开这个文件检查这一行"},
          {"split.csv line 3: 11 cells, but the header has 10: a number with a thousands separator (1,500)",
           "split.csv line 4: 12 cells"});
}

TEST_CASE("a control character in a cell is refused; one stored before is printed escaped by show") {
  HarvestSeason s;
  auto esc = s.L.write_file("esc.csv", std::string(kHeader) + row("H-2", "H-2", "100", "千克", "好\x1b[2J"));
  csv_refused(s.L, esc, {"esc.csv 第 2 行 J 列「备注」：格子里有看不见的控制字符（「好\\u001b[2J」"},
          {"column J \"备注\"", "control characters (\"好\\u001b[2J\""});

  // JSON input stores such text (its schema allows it); show and show lot print it escaped.
  auto e = at::events::harvest("H-5", "H-5", "PL-1", "2026-09-27T08:00:00+08:00", "100");
  e["note"] = "clear\x1b[2Jscreen";
  REQUIRE(s.L.record({e}).exited_with(0));
  std::uint64_t index = 0;
  for (const auto& r : s.L.log())
    if (r["event_id"] == "H-5") index = r["index"];
  auto zh = s.L.cli({"show", std::to_string(index), "--lang", "zh"});
  INFO(zh.describe());
  CHECK(zh.exited_with(0));
  CHECK(has(zh.out, "clear\\u001b[2Jscreen"));
  CHECK_FALSE(has(zh.out, "\x1b"));
  auto en = s.L.cli({"show", std::to_string(index), "--lang", "en"});
  CHECK_FALSE(has(en.out, "\x1b"));
  auto recall = s.L.cli({"recall", "--key", s.L.clerk_key().string(), "--party", at::kParty, "H-5", "--reason",
                          "抽检\x1b[31m不合格", "--out", (s.L.dir() / "recall").string()});
  INFO(recall.describe());
  REQUIRE(recall.exited_with(0));
  for (const char* lang : {"zh", "en"}) {
    auto lot = s.L.cli({"show", "lot", "H-5", "--lang", lang});
    INFO(lot.describe());
    CHECK(lot.exited_with(0));
    CHECK(has(lot.out, "抽检\\u001b[31m不合格"));
    CHECK_FALSE(has(lot.out, "\x1b"));
  }
}

TEST_CASE("export --lot holds the lot's ancestors and descendants, not a sibling lot's events") {
  HarvestSeason s;
  // H-2 is H-1's sibling (same planting), packed into K-2; H-1 is packed into K-1.
  REQUIRE(s.L.record({at::events::harvest("H-2", "H-2", "PL-1", "2026-09-25T09:00:00+08:00", "500"),
                      at::events::packing("pack-1", "H-1", "K-1", "2026-09-26T08:00:00+08:00", 10),
                      at::events::packing("pack-2", "H-2", "K-2", "2026-09-26T09:00:00+08:00", 10)})
              .exited_with(0));
  auto out = s.L.dir() / "bundle";
  auto r = s.L.cli({"export", "--format", "jsonl", "--lot", "H-1", "--out", out.string()});
  INFO(r.describe());
  REQUIRE(r.exited_with(0));
  const std::string events = read_file(out / "events.jsonl");
  CHECK(has(events, "\"plant-1\""));  // ancestor
  CHECK(has(events, "\"H-1\""));
  CHECK(has(events, "\"pack-1\""));  // descendant
  CHECK_FALSE(has(events, "\"H-2\""));
  CHECK_FALSE(has(events, "\"pack-2\""));
  auto v = s.L.cli({"audit", "verify-bundle", out.string(), "--pubkey", (s.L.dir() / "log.key.pub").string()});
  INFO(v.describe());
  CHECK(v.exited_with(0));

  // From the planting, both harvests are its descendants.
  auto all = s.L.dir() / "bundle-all";
  REQUIRE(s.L.cli({"export", "--format", "jsonl", "--lot", "PL-1", "--out", all.string()}).exited_with(0));
  const std::string every = read_file(all / "events.jsonl");
  CHECK(has(every, "\"pack-1\""));
  CHECK(has(every, "\"pack-2\""));
}

TEST_CASE("correct --help says in Chinese that a sheet's row is corrected by import with 更正原因") {
  at::TestLedger L;
  auto h = L.cli({"correct", "--help", "--lang", "zh"});
  INFO(h.describe());
  CHECK(h.exited_with(0));
  CHECK(has(h.out, "在表格最后加一列「更正原因」"));
  CHECK(has(h.out, "agtrace-ledger import"));
  auto e = L.cli({"correct", "--help", "--lang", "en"});
  CHECK(has(e.out, "import the fixed row again with a 更正原因 (reason) column"));
}

TEST_CASE("verify's failure says in Chinese what kind of damage it found, with the audit's own finding") {
  at::TestLedger L;
  at::sqlite3(L.path(), "DROP TRIGGER entries_no_update; UPDATE entries SET leaf_hash = zeroblob(32) WHERE idx = 3;");
  auto z = L.cli({"verify", "--lang", "zh"});
  INFO(z.describe());
  CHECK(z.exited_with(1));
  CHECK(z.err.starts_with("核验失败："));
  CHECK(has(z.err, "（查到的问题：第 3 条记录：存放的哈希值和记录的内容对不上）"));
  CHECK_FALSE(has(z.err, "核验失败：entry"));
  auto e = L.cli({"verify", "--lang", "en"});
  CHECK(e.exited_with(1));
  CHECK(e.err.starts_with("FAILED: entry 3"));
}

TEST_CASE("export --lot and trace name an unknown lot in the reader's language, with the nearest lot ids") {
  HarvestSeason s;
  const auto before = s.L.file_bytes();
  auto zh = s.L.cli({"export", "--format", "csv", "--lot", "H-l", "--out", (s.L.dir() / "x").string(), "--lang", "zh"});
  INFO(zh.describe());
  CHECK(zh.exited_with(2));
  CHECK(has(zh.err, "错误：账本里没有批次、GS1 批次码或追溯码「H-l」；是不是「H-1」？"));
  CHECK_FALSE(fs::exists(s.L.dir() / "x"));
  auto en = s.L.cli({"trace", "H-l", "--forward", "--lang", "en"});
  CHECK(en.exited_with(2));
  CHECK(has(en.err, "LOT|SERIAL \"H-l\": no lot, GS1 lot code or trace code of that name is recorded (did you mean \"H-1\""));
  CHECK(s.L.file_bytes() == before);
}

TEST_CASE("import --help names --allow-high-yield in Chinese and English") {
  at::TestLedger L;
  auto zh = L.cli({"import", "--help", "--lang", "zh"});
  CHECK(has(zh.out, "--allow-high-yield"));
  CHECK(has(zh.out, "采收数量超过产品的最高亩产（没有填写的按每亩 30000 千克）时也记录"));
  auto en = L.cli({"import", "--help", "--lang", "en"});
  CHECK(has(en.out, "record harvests of more than the product's max_yield_kg_per_mu (without one, 30000 kg per mu) too"));
}
