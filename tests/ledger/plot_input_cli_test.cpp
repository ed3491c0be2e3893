// 底肥 before sowing, as a clerk records it (rules version 7; docs/clerk-import.md "播种前施在
// 地块上的底肥、土壤处理"; docs/rules-versions.md "Version 7").
//
// Claims checked: "the clerk's sheet for 投入品 leaves 批次 empty and fills 地块 — the Chinese
// column names and messages must follow …; an empty 批次 with a plot that has no later planting
// is fine; an empty 批次 AND a location that is not a plot is refused with a Chinese message
// naming the column and saying what to do." "Every planting lot later sown on that plot carries
// it in its ancestry: `show lot` … and the pre-harvest-interval check at harvest all see it."
#include <doctest/doctest.h>

#include "tests/support/ledger_fixture.h"

namespace at = agtrace::testing;

namespace {

constexpr const char* kInputHeader =
    "事件类型,事件编号,时间,主体编号,地点编号,种植批次,投入品类型,投入品名称,登记证号,用量,用量单位,安全间隔期（天）,防治对象\r\n";

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

namespace fs = std::filesystem;

// `agtrace-ledger --ledger DB ARGS…` in a neutral locale.
at::ProcessResult ledger_cli(const fs::path& db, std::vector<std::string> args, std::string stdin_data = {}) {
  args.insert(args.begin(), {at::ledger_binary(), "--ledger", db.string()});
  at::RunOptions o;
  o.env = {{"LANG", "C.UTF-8"}};
  o.unset_env = {"LC_ALL", "LC_MESSAGES", "AGTRACE_LEDGER"};
  if (!stdin_data.empty()) o.stdin_data = std::move(stdin_data);
  return at::run(std::move(args), std::move(o));
}

}  // namespace

TEST_CASE("a plot's 底肥 and soil treatment imported with 种植批次 empty; the lot sown there carries them") {
  at::TestLedger L;
  auto inputs = L.dir() / "投入品.csv";
  at::write_file(inputs, std::string(kInputHeader) +
                             "施肥,base-1,2026-04-10T08:00:00+08:00," + at::kParty + "," + at::kPlot +
                             ",,肥料,腐熟农家肥（底肥）,,2000,千克/亩,,\r\n" +
                             "用药,soil-1,2026-04-10T09:00:00+08:00," + at::kParty + "," + at::kPlot +
                             ",,农药,辛硫磷颗粒剂（土壤处理）,PD20080001,4,千克/亩,60,地下害虫\r\n");
  // Nothing is sown on the plot yet: recorded all the same.
  auto r = L.import_csv(inputs);
  INFO(r.describe());
  REQUIRE(r.exited_with(0));

  // Not a plot: refused in Chinese, naming the column and what to do; in English with --lang en.
  auto wrong = L.dir() / "冷库.csv";
  at::write_file(wrong, std::string(kInputHeader) + "施肥,base-x,2026-04-10T08:00:00+08:00," + at::kParty + "," +
                            at::kColdStore + ",,肥料,腐熟农家肥,,2000,千克/亩,,\r\n");
  const auto before = L.file_bytes();
  auto zh = L.import_csv(wrong);
  INFO(zh.describe());
  CHECK(zh.exited_with(2));
  CHECK(has(zh.err, std::string("冷库.csv 第 2 行 F 列「种植批次」：没有填写，而地点「") + at::kColdStore +
                        "」是冷库，不是地块；施在已播种作物上的，请填写种植批次；播种前施在地块上的（底肥、土壤处理、除草剂），"
                        "批次空着，地点填写该地块的编号"));
  auto en = L.import_csv(wrong, {"--lang", "en"});
  CHECK(en.exited_with(2));
  CHECK(has(en.err, std::string("冷库.csv line 2: column F \"种植批次\" (field lot): missing, and location \"") +
                        at::kColdStore + "\" is a cold_store, not a plot"));
  CHECK(L.file_bytes() == before);

  // The lot sown ten days later carries both; its harvest inside soil-1's 60 days is refused.
  REQUIRE(L.record({at::events::planting("sow-1", "ST26-PL01", "2026-04-20T08:00:00+08:00")}).exited_with(0));
  auto harvest = L.dir() / "采收.csv";
  at::write_file(harvest, std::string("事件类型,事件编号,时间,主体编号,地点编号,采收批次,种植批次,数量,单位\r\n") +
                              "采收,h-1,2026-06-08T08:00:00+08:00," + at::kParty + "," + at::kPlot +
                              ",ST26-H01,ST26-PL01,1500,千克\r\n");
  auto early = L.import_csv(harvest);
  INFO(early.describe());
  CHECK(early.exited_with(2));
  CHECK(has(early.err, "采收.csv 第 2 行 C 列「时间」：2026-06-08 采收还在安全间隔期内：批次「ST26-PL01」2026-04-10 施药（soil-1），"
                       "安全间隔期 60 天，2026-06-09 起才能采收"));
  at::write_file(harvest, std::string("事件类型,事件编号,时间,主体编号,地点编号,采收批次,种植批次,数量,单位\r\n") +
                              "采收,h-1,2026-06-09T08:00:00+08:00," + at::kParty + "," + at::kPlot +
                              ",ST26-H01,ST26-PL01,1500,千克\r\n");
  REQUIRE(L.import_csv(harvest).exited_with(0));

  // show lot names both, with the plot, in Chinese and in JSON.
  at::RunOptions zh_env;
  zh_env.env = {{"LANG", "zh_CN.UTF-8"}};
  const std::string shown = L.must({"show", "lot", "ST26-PL01"}, zh_env);
  CHECK(has(shown, std::string("base-1 （施于地块「") + at::kPlot + "」，未填种植批次）"));
  CHECK(has(shown, std::string("soil-1 （施于地块「") + at::kPlot + "」，未填种植批次）"));
  const auto j = nlohmann::json::parse(L.must({"show", "lot", "ST26-PL01", "--json"}));
  int plot_inputs = 0;
  for (const auto& e : j["events"])
    if (e["role"] == "plot_input") {
      ++plot_inputs;
      CHECK(e["plot"] == at::kPlot);
    }
  CHECK(plot_inputs == 2);
  // The trace from the harvest lot back reaches them too.
  const auto trace = nlohmann::json::parse(L.must({"trace", "ST26-H01", "--backward", "--json"}));
  CHECK(trace["pesticide_applications"].size() == 1);
  CHECK(trace["pesticide_applications"][0]["event_id"] == "soil-1");
  CHECK(trace["pesticide_applications"][0]["applied_to_plot"] == true);
  CHECK(L.cli({"verify"}).exited_with(0));
}

// A clerk's trial: a pesticide imported on the plot with 种植批次 left empty on 2026-09-20 while
// a crop sown 2026-04-20 stands there (picked from 2026-09-18). "No pesticide can escape the PHI
// check by leaving the lot empty": the standing crop carries it, a pick on 2026-10-01 is refused,
// one on 2026-10-20 (day 30) is accepted, and show lot and trace word the link truthfully.
TEST_CASE("a spray imported on the plot with 种植批次 empty reaches the crop standing there") {
  at::TestLedger L;
  REQUIRE(L.record({at::events::planting("sow-t", "TOM26-PL01", "2026-04-20T08:00:00+08:00"),
                    at::events::harvest("pick-1", "TOM26-H01", "TOM26-PL01", "2026-09-18T08:00:00+08:00", "300")})
              .exited_with(0));
  auto spray = L.write_file("用药.csv", std::string(kInputHeader) + "用药,spray-1,2026-09-20T08:00:00+08:00," +
                                          at::kParty + "," + at::kPlot + ",,农药,吡虫啉,PD20050160,10,克/亩,30,蚜虫\r\n");
  auto r = L.import_csv(spray);
  INFO(r.describe());
  REQUIRE(r.exited_with(0));
  const std::string header = "事件类型,事件编号,时间,主体编号,地点编号,采收批次,种植批次,数量,单位\r\n";
  auto pick = [&](const std::string& day) {
    return L.write_file("采收.csv", header + "采收,pick-2," + day + "T08:00:00+08:00," + at::kParty + "," +
                                          at::kPlot + ",TOM26-H02,TOM26-PL01,200,千克\r\n");
  };
  const auto before = L.file_bytes();
  auto early = L.import_csv(pick("2026-10-01"));
  INFO(early.describe());
  CHECK(early.exited_with(2));
  CHECK(has(early.err, "采收.csv 第 2 行 C 列「时间」：2026-10-01 采收还在安全间隔期内：批次「TOM26-PL01」2026-09-20 施药（spray-1），"
                       "安全间隔期 30 天，2026-10-20 起才能采收"));
  CHECK(L.file_bytes() == before);
  REQUIRE(L.import_csv(pick("2026-10-20")).exited_with(0));

  const std::string shown = L.must({"show", "lot", "TOM26-PL01"}, at::in_locale("zh_CN.UTF-8"));
  CHECK(has(shown, std::string("spray-1 （施于地块「") + at::kPlot + "」，未填种植批次）"));
  CHECK_FALSE(has(shown, "播种前"));
  // The lot picked after it carries it in its ancestry, marked as applied to the plot.
  const auto trace = nlohmann::json::parse(L.must({"trace", "TOM26-H02", "--backward", "--json"}));
  REQUIRE(trace["pesticide_applications"].size() == 1);
  CHECK(trace["pesticide_applications"][0]["event_id"] == "spray-1");
  CHECK(trace["pesticide_applications"][0]["applied_to_plot"] == true);
  CHECK(L.cli({"verify"}).exited_with(0));
}

// tests/fixtures/ledger-v5 (see its README): a ledger written at rules version 5. "Below v7 an
// input application without `lot` is refused as before (naming the field, saying the ledger
// needs `upgrade`); an old ledger keeps verifying."
TEST_CASE("a ledger of rules version 5 refuses a plot's 底肥 until upgraded, then its next season carries it") {
  at::TempDir dir("agtrace-plot-v5");
  const fs::path fixture = fs::path(AGTRACE_SOURCE_DIR) / "tests" / "fixtures" / "ledger-v5";
  for (const char* f : {"ledger.db", "log.key", "log.key.pub", "log.key.last-checkpoint", "clerk.key", "clerk.key.pub",
                        "checkpoint.txt"})
    fs::copy_file(fixture / f, dir / f);
  for (const char* key : {"log.key", "log.key.last-checkpoint", "clerk.key"})
    fs::permissions(dir / key, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace);
  const fs::path db = dir / "ledger.db";
  auto record = [&](const nlohmann::json& e) {
    return ledger_cli(db, {"record", "--key", (dir / "clerk.key").string(), "--log-key", (dir / "log.key").string(), "-"},
                      e.dump() + "\n");
  };
  const nlohmann::json base = {{"type", "input_application"}, {"event_id", "LC23-F01"},
                               {"event_time", "2023-03-20T08:00:00+08:00"}, {"party", "SDD"},
                               {"location", "140406-AN-P01"}, {"input_kind", "fertilizer"},
                               {"input_name", "腐熟羊粪（底肥）"}};
  const auto log_before = ledger_cli(db, {"log", "--json"}).out;
  auto refused = record(base);
  INFO(refused.describe());
  CHECK(refused.exited_with(2));
  CHECK(has(refused.err, "field lot: missing: this ledger's rules version is 5"));
  CHECK(has(refused.err, "agtrace-ledger upgrade --log-key LOGKEY"));
  CHECK(ledger_cli(db, {"log", "--json"}).out == log_before);

  auto up = ledger_cli(db, {"upgrade", "--log-key", (dir / "log.key").string()});
  INFO(up.describe());
  REQUIRE(up.exited_with(0));
  REQUIRE(record(base).exited_with(0));
  REQUIRE(record({{"type", "planting"}, {"event_id", "LC23-0001"}, {"event_time", "2023-04-12T08:00:00+08:00"},
                  {"party", "SDD"}, {"location", "140406-AN-P01"}, {"lot", "LC23-AN01"}, {"product", "LCDC-CB"},
                  {"area_mu", "40"}})
              .exited_with(0));
  const auto lot = nlohmann::json::parse(ledger_cli(db, {"show", "lot", "LC23-AN01", "--json"}).out);
  std::vector<std::string> plot_inputs;
  for (const auto& e : lot["events"])
    if (e["role"] == "plot_input") plot_inputs.push_back(e["event_id"].get<std::string>());
  CHECK(plot_inputs == std::vector<std::string>{"LC23-F01"});
  // The 2022 season's lot was sown before the application: it does not carry it.
  const auto old_lot = nlohmann::json::parse(ledger_cli(db, {"show", "lot", "LC22-AN01", "--json"}).out);
  for (const auto& e : old_lot["events"]) CHECK(e["event_id"] != "LC23-F01");
  auto verified = ledger_cli(db, {"verify", "--checkpoint", (dir / "checkpoint.txt").string()});
  INFO(verified.describe());
  CHECK(verified.exited_with(0));
  CHECK(has(verified.out, "OK: the log extends the saved checkpoint of size 98"));
}
