// What session 9's new-user trial of 承诺达标合格证 found, through the real binary (issue 14;
// docs/certificate.md):
//   "A correction row (更正原因 column filled) aimed at a certificate entry gives an unhelpful
//   'field party' error. Certificates are never corrected: say so in Chinese (and English)" —
//   the import names the row, the 更正原因 column and the event, exit 2, nothing written.
//   "The register (export --certificates) calls paper certificates (certificate_received) 有效
//   while their /c/ page gives them no badge" — the register marks them 纸质（收购者登记）, never
//   有效 (the page: tests/verifier/http_test.cpp "a buyer's re-issue shows …").
//   "`correct` on a certificate gives an English-only 'error: field replacement: …'" — a clerk who
//   writes the reason in Chinese reads the refusal in Chinese only, in the clerk's words (请作废这张
//   合格证（作废合格证））; "a duplicate-lot refusal for a received paper certificate prints a whole
//   English copy inline" and "已签署检查点 … / checkpoint signed printed bilingually after every
//   import in zh mode" — Chinese only when the clerk's file is Chinese.
//   A ledger of rules version 5 (tests/fixtures/ledger-v5) upgrades to version 7, and a buyer's
//   样式一 over the lot it collected with the grower's paper certificate is then refused.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "ledger/event/rules_version.h"
#include "tests/support/ledger_fixture.h"

namespace at = agtrace::testing;
namespace fs = std::filesystem;

namespace {

bool has(const std::string& haystack, const std::string& needle) { return haystack.find(needle) != std::string::npos; }

at::ProcessResult import(const at::TestLedger& L, const fs::path& file, const std::string& lang) {
  return L.cli({"import", "--lang", lang, "--key", L.clerk_key().string(), "--format", "csv", "--tz", "+08:00",
                file.string()});
}

// The co-op's harvest H-1 (1000 kg) and the laboratory's passed test of it.
void harvest_and_test(const at::TestLedger& L) {
  REQUIRE(L.record({at::events::planting("plant-1", "PL-1", "2024-03-01T08:00:00+08:00"),
                    nlohmann::json{{"type", "harvest"}, {"event_id", "h-1"}, {"event_time", "2024-05-01T06:00:00+08:00"},
                                   {"party", at::kParty}, {"location", at::kPlot}, {"lot", "H-1"}, {"from_lot", "PL-1"},
                                   {"quantity", {{"value", "1000"}, {"unit", "KGM"}}}},
                    nlohmann::json{{"type", "inspection"}, {"event_id", "insp-1"}, {"event_time", "2024-05-01T09:00:00+08:00"},
                                   {"party", at::kParty}, {"location", at::kPlot}, {"lots", {"H-1"}},
                                   {"report_no", "ZJ-001"}, {"result", "pass"},
                                   {"items", {{{"name", "毒死蜱"}, {"measured", "0"}, {"limit", "0.02"}, {"result", "pass"}}}}}})
              .exited_with(0));
}

// The grower GROWER outside the system and its village HS-V.
void grower(const at::TestLedger& L) {
  REQUIRE(L.record({nlohmann::json{{"type", "party"}, {"event_id", "p-g"}, {"event_time", "2024-01-01T00:00:00+08:00"},
                                   {"party_id", "GROWER"}, {"name", "合室村王某"}, {"role", "producer"}},
                    nlohmann::json{{"type", "location"}, {"event_id", "l-v"}, {"event_time", "2024-01-01T00:00:00+08:00"},
                                   {"location_id", "HS-V"}, {"name", "合室村"}, {"kind", "base"}, {"owner", "GROWER"}}})
              .exited_with(0));
}

const std::string kCertHeader = "事件类型,事件编号,时间,合格证编号,样式,承诺主体,批次,数量,单位,产品编号,产地,开具依据";

}  // namespace

TEST_CASE("a 更正原因 row for a certificate says that certificates are never corrected: void and issue a new number") {
  at::TestLedger L;
  harvest_and_test(L);
  auto csv = L.dir() / "合格证.csv";
  std::ofstream(csv) << kCertHeader << "\n开具合格证,c-1,2024-05-02 08:00,LC-2024-0001,生产者," << at::kParty
                     << ",H-1,500,千克," << at::kProduct << "," << at::kPlot << ",自行检测合格=insp-1\n";
  auto r = import(L, csv, "zh");
  INFO(r.describe());
  REQUIRE(r.exited_with(0));

  // The clerk fixes the quantity on the row and fills in 更正原因, as for any other record.
  auto fix = L.dir() / "更正.csv";
  std::ofstream(fix) << kCertHeader << ",更正原因\n开具合格证,c-1,2024-05-02 08:00,LC-2024-0001,生产者," << at::kParty
                     << ",H-1,400,千克," << at::kProduct << "," << at::kPlot << ",自行检测合格=insp-1,数量写错\n";
  const auto before = L.snapshot();
  auto zh = import(L, fix, "zh");
  INFO(zh.describe());
  CHECK(zh.exited_with(2));
  CHECK(has(zh.err, "第 2 行"));
  CHECK(has(zh.err, "「更正原因」"));
  CHECK(has(zh.err, "事件「c-1」（开具合格证，合格证 LC-2024-0001）：合格证不能更正：请作废这张合格证（作废合格证）后重新开具新编号的合格证"));
  CHECK_FALSE(has(zh.err, "party"));
  auto en = import(L, fix, "en");
  INFO(en.describe());
  CHECK(en.exited_with(2));
  CHECK(has(en.err, "a certificate is never corrected: void it (certificate_voided) and issue a new certificate under a new number"));
  CHECK(L.snapshot() == before);

  // A void row corrected the same way gets the same answer.
  auto void_fix = L.dir() / "作废更正.csv";
  std::ofstream(void_fix) << "事件类型,事件编号,时间,合格证编号,作废原因,更正原因\n"
                          << "作废合格证,v-1,2024-05-02 09:00,LC-2024-0001,数量写错,原因写错\n";
  auto v = import(L, void_fix, "zh");
  INFO(v.describe());
  CHECK(v.exited_with(2));
  CHECK(has(v.err, "事件「v-1」（作废合格证，合格证 LC-2024-0001）：合格证不能更正"));
  CHECK(L.snapshot() == before);
}

TEST_CASE("the register marks a collected paper certificate 纸质（收购者登记）, never 有效, as its page does") {
  at::TestLedger L;
  harvest_and_test(L);
  grower(L);
  auto csv = L.dir() / "收取.csv";
  std::ofstream(csv) << "事件类型,事件编号,时间,主体编号,合格证编号,开具主体,开具日期,批次,数量,单位,产品编号,产地\n"
                     << "收取合格证,r-1,2024-05-02T06:00:00+08:00," << at::kParty << ",合室-2024-118,GROWER,2024-05-01,"
                     << "G-0501,300,千克," << at::kProduct << ",HS-V\n";
  std::ofstream(L.dir() / "开具.csv") << kCertHeader << "\n开具合格证,c-1,2024-05-02 08:00,LC-2024-0001,生产者,"
                                      << at::kParty << ",H-1,500,千克," << at::kProduct << "," << at::kPlot
                                      << ",自行检测合格=insp-1\n";
  for (const auto& f : {csv, L.dir() / "开具.csv"}) {
    auto r = import(L, f, "zh");
    INFO(r.describe());
    REQUIRE(r.exited_with(0));
  }
  auto reg = L.cli({"export", "--certificates", "--out", (L.dir() / "reg").string()});
  INFO(reg.describe());
  REQUIRE(reg.exited_with(0));
  std::ifstream in(L.dir() / "reg" / "certificates.csv");
  std::string row, paper, issued;
  while (std::getline(in, row)) {
    if (has(row, "合室-2024-118")) paper = row;
    if (has(row, "LC-2024-0001")) issued = row;
  }
  INFO(paper);
  CHECK(has(paper, ",收取,"));
  CHECK(has(paper, ",纸质（收购者登记）,非本系统开具，以纸质原件为准,,"));
  CHECK_FALSE(has(paper, "有效"));
  CHECK(has(issued, ",有效,"));
}

// tests/fixtures/ledger-v5 (its README): the Taiyuan buyer TY-BUYER collected 鑫熬兴's paper
// certificate XAX-2022-012 with lot LC22-ZJH01-H1 (entry 83). Under version 7 the buyer may not
// certify that produce as its own (样式一); the fixture itself keeps verifying after the upgrade.
TEST_CASE("a ledger of rules version 5 upgrades to 7, keeps verifying, and a 样式一 over its collected lot is refused") {
  at::TempDir dir{"agtrace-v5-to-v7"};
  const fs::path fixture = fs::path(AGTRACE_SOURCE_DIR) / "tests" / "fixtures" / "ledger-v5";
  for (const char* f : {"ledger.db", "log.key", "log.key.pub", "log.key.last-checkpoint", "clerk.key", "clerk.key.pub",
                        "checkpoint.txt"})
    fs::copy_file(fixture / f, dir / f);
  for (const char* key : {"log.key", "log.key.last-checkpoint", "clerk.key"})
    fs::permissions(dir / key, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace);
  auto cli = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {at::ledger_binary(), "--ledger", (dir / "ledger.db").string()});
    at::RunOptions o;
    o.unset_env.push_back("AGTRACE_LEDGER");
    return at::run(std::move(args), o);
  };
  auto received = cli({"show", "83", "--json"});
  REQUIRE(received.exited_with(0));
  const auto paper = nlohmann::json::parse(received.out)["entry"]["event"];
  REQUIRE(paper["type"] == "certificate_received");
  const std::string lot = paper["lot"], issuer = paper["issuer"], number = paper["number"], buyer = paper["party"];

  auto up = cli({"upgrade", "--log-key", (dir / "log.key").string(), "--reason", "rules version 7"});
  INFO(up.describe());
  REQUIRE(up.exited_with(0));
  CHECK(has(up.out, "from rules version 5 to " + std::to_string(agtrace::kCurrentRulesVersion)));
  auto verified = cli({"verify", "--checkpoint", (dir / "checkpoint.txt").string()});
  INFO(verified.describe());
  CHECK(verified.exited_with(0));

  // The buyer voids its 样式二 TY-2022-0001 to certify the mix TY22-MIX-01 (entry 84: 3000 kg of
  // 聪和's certified LC22-K-0001 and the 2000 kg it bought with the paper) as its own produce.
  at::RunOptions v;
  v.unset_env.push_back("AGTRACE_LEDGER");
  v.stdin_data = R"({"type":"certificate_voided","event_id":"TY-VOID-1","event_time":"2022-10-20T07:00:00+08:00",)"
                 R"("number":"TY-2022-0001","reason":"改开样式一"})"
                 "\n";
  auto voided = at::run({at::ledger_binary(), "--ledger", (dir / "ledger.db").string(), "record", "--key",
                         (dir / "clerk.key").string(), "-"},
                        v);
  INFO(voided.describe());
  REQUIRE(voided.exited_with(0));
  const auto log_before = cli({"log", "--json"}).out;
  const nlohmann::json own = {{"type", "certificate_issued"}, {"event_id", "TY-OWN-1"},
                              {"event_time", "2022-10-20T08:00:00+08:00"}, {"number", "TY-2022-0099"},
                              {"style", "producer"}, {"issuer", buyer}, {"lot", "TY22-MIX-01"},
                              {"quantity", {{"value", "1"}, {"unit", "KGM"}}}, {"product", "LCDC-CB"},
                              {"origin", "140406-DS-A01"}, {"bases", {{{"basis", "quality_control"}}}}};
  at::RunOptions o;
  o.unset_env.push_back("AGTRACE_LEDGER");
  o.stdin_data = own.dump() + "\n";
  auto refused = at::run({at::ledger_binary(), "--ledger", (dir / "ledger.db").string(), "record", "--lang", "zh", "--key",
                          (dir / "clerk.key").string(), "-"},
                         o);
  INFO(refused.describe());
  CHECK(refused.exited_with(2));
  CHECK(has(refused.err, "field style: 批次「TY22-MIX-01」里有随「" + issuer + "」的纸质合格证 " + number + " 收取的产品"));
  CHECK(has(refused.err, "请按样式二开具，列出 CH*LC-2022-0002;" + issuer + "*" + number));
  CHECK(cli({"log", "--json"}).out == log_before);
}

TEST_CASE("correct on a certificate: a clerk writing the reason in Chinese reads the refusal in Chinese only") {
  at::TestLedger L;
  harvest_and_test(L);
  REQUIRE(L.import_csv(L.write_file("合格证.csv", kCertHeader + "\n开具合格证,c-1,2024-05-02 08:00,LC-2024-0001,生产者," +
                                                    at::kParty + ",H-1,500,千克," + at::kProduct + "," + at::kPlot +
                                                    ",自行检测合格=insp-1\n"),
                       {"--tz", "+08:00"})
              .exited_with(0));
  const nlohmann::json fixed = {{"type", "certificate_issued"}, {"event_id", "c-1"}, {"event_time", "2024-05-02T08:00:00+08:00"},
                                {"number", "LC-2024-0001"}, {"style", "producer"}, {"issuer", at::kParty},
                                {"lot", "H-1"}, {"quantity", {{"value", "400"}, {"unit", "KGM"}}},
                                {"product", at::kProduct}, {"origin", at::kPlot},
                                {"bases", {{{"basis", "self_tested"}, {"evidence", {"insp-1"}}}}}};
  const auto file = L.write_file("c-1.json", fixed.dump());
  const auto before = L.snapshot();
  const std::vector<std::string> args = {"correct", "c-1", "--file", file.string(), "--reason", "数量写错",
                                         "--key", L.clerk_key().string()};
  auto zh = L.cli(args, at::in_locale());
  INFO(zh.describe());
  CHECK(zh.exited_with(2));
  CHECK(has(zh.err, "错误：field replacement: 事件「c-1」（开具合格证，合格证 LC-2024-0001）：合格证不能更正：请作废这张合格证"
                    "（作废合格证）后重新开具新编号的合格证"));
  CHECK_FALSE(has(zh.err, "never corrected"));
  CHECK_FALSE(has(zh.err, "certificate_voided"));
  // An English reason (or --lang en) gets the English message.
  auto en_args = args;
  en_args[5] = "wrong quantity";
  auto en = L.cli(en_args, at::in_locale());
  INFO(en.describe());
  CHECK(en.exited_with(2));
  CHECK(has(en.err, "error: field replacement: event \"c-1\""));
  CHECK(has(en.err, "a certificate is never corrected: void it (certificate_voided)"));
  CHECK(L.snapshot() == before);
}

TEST_CASE("a Chinese import says in Chinese only that a received paper's lot is taken, and that it signed a checkpoint") {
  at::TestLedger L;
  grower(L);
  const std::string header = "事件类型,事件编号,时间,主体编号,合格证编号,开具主体,开具日期,批次,数量,单位,产品编号,产地\n";
  auto row = [&](const std::string& id, const std::string& number, const std::string& lot = "HS-WANG-1206") {
    return "收取合格证," + id + ",2024-05-02T06:00:00+08:00," + at::kParty + "," + number + ",GROWER,2024-05-01," + lot +
           ",300,千克," + at::kProduct + ",HS-V\n";
  };
  auto first = L.import_csv(L.write_file("收取1.csv", header + row("r-1", "合室-2024-118")),
                            {"--log-key", L.log_key().string()});
  INFO(first.describe());
  REQUIRE(first.exited_with(0));
  CHECK(has(first.err, "已签署检查点：账本共 " + std::to_string(L.size()) + " 条"));
  CHECK_FALSE(has(first.err, "checkpoint signed"));
  const auto before = L.snapshot();
  auto again = L.import_csv(L.write_file("收取2.csv", header + row("r-2", "合室-2024-119")));
  INFO(again.describe());
  CHECK(again.exited_with(2));
  CHECK(has(again.err, "批次「HS-WANG-1206」已由第 "));
  CHECK(has(again.err, "请为这张合格证的货物用新的批次编号（例如「HS-WANG-1206-2」）"));
  CHECK_FALSE(has(again.err, "was brought in"));
  CHECK(L.snapshot() == before);
  // Without the log key, the note that a checkpoint is awaited is Chinese only too.
  auto later = L.import_csv(L.write_file("收取3.csv", header + row("r-3", "合室-2024-120", "HS-WANG-1207")));
  INFO(later.describe());
  REQUIRE(later.exited_with(0));
  CHECK(has(later.err, "注意：新记录还在等待检查点"));
  CHECK_FALSE(has(later.err, "note: the new entries"));
}

TEST_CASE("the register is written only from a ledger that verifies, and with --checkpoint only from one that extends it") {
  at::TestLedger L;
  harvest_and_test(L);
  const fs::path before_issue = L.dir() / "before-issue.db";
  fs::copy_file(L.path(), before_issue);
  std::ofstream(L.dir() / "开具.csv") << kCertHeader << "\n开具合格证,c-1,2024-05-02 08:00,LC-2024-0001,生产者,"
                                      << at::kParty << ",H-1,500,千克," << at::kProduct << "," << at::kPlot
                                      << ",自行检测合格=insp-1\n";
  REQUIRE(import(L, L.dir() / "开具.csv", "zh").exited_with(0));
  const std::string saved = L.checkpoint();
  at::write_file(L.dir() / "saved.checkpoint", saved);
  auto reg = [&](const std::string& out, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"export", "--certificates", "--lang", "zh", "--out", (L.dir() / out).string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return L.cli(args);
  };
  const std::vector<std::string> pinned = {"--checkpoint", (L.dir() / "saved.checkpoint").string()};
  REQUIRE(reg("ok", pinned).exited_with(0));
  CHECK(fs::exists(L.dir() / "ok" / "certificates.csv"));

  // Write access to the file, no key: the certificate's derived row now covers 5 kg.
  const fs::path good = L.dir() / "good.db";
  fs::copy_file(L.path(), good);
  at::sqlite3(L.path(), "UPDATE certificates SET amount = '5' WHERE number = 'LC-2024-0001';");
  auto r = reg("from-edited");
  fs::copy_file(good, L.path(), fs::copy_options::overwrite_existing);
  INFO(r.describe());
  CHECK(r.exited_with(1));
  CHECK(has(r.err, "export --certificates：账本核验没有通过"));
  CHECK_FALSE(fs::exists(L.dir() / "from-edited" / "certificates.csv"));

  // The file rolled back to a copy from before the certificate: it verifies on its own, but not
  // against the checkpoint the inspector saved.
  fs::copy_file(before_issue, L.path(), fs::copy_options::overwrite_existing);
  REQUIRE(reg("rolled-back-unpinned").exited_with(0));
  auto rolled = reg("rolled-back", pinned);
  INFO(rolled.describe());
  CHECK(rolled.exited_with(1));
  // cert14h: said as the labeler says it — 回滚, in Chinese — not "does not verify (edited or damaged)".
  CHECK(has(rolled.err, "账本被回滚：保存的检查点「" + (L.dir() / "saved.checkpoint").string() + "」已经覆盖 "));
  CHECK(has(rolled.err, "什么也没有导出；请从最新的备份恢复账本"));
  CHECK_FALSE(has(rolled.err, "账本核验没有通过"));
  CHECK_FALSE(has(rolled.err, "rolled back"));
  CHECK_FALSE(fs::exists(L.dir() / "rolled-back" / "certificates.csv"));
  // The bundle export takes the same pin.
  auto bundle = L.cli({"export", "--format", "csv", "--out", (L.dir() / "bundle").string(), "--checkpoint",
                       (L.dir() / "saved.checkpoint").string()});
  CHECK(bundle.exited_with(1));
}
