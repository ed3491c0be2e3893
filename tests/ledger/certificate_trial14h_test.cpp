// What issue 14's last user trial (co-op, buyer, market inspector, attacker) found confusing, through
// the real binary (cert14h):
//   "`import --log-key KEY` into a ledger file rolled back to an older copy writes the row, then
//   refuses to sign (English message, and 'the log now has 72' counts the new row)" — the file is
//   checked against the checkpoint the log key signed last before anything is written, and refused
//   in Chinese naming 回滚; nothing is written. A file rolled back and then written to (a fork) is
//   refused the same way, naming 分叉.
//   "`export --certificates --checkpoint SAVED` on a rolled-back file says 'does not verify (edited or
//   damaged)' in English" — tests/ledger/certificate_trial_test.cpp "the register is written only …".
//   "An issued certificate number with U+2010 (‐) or U+200B is refused as 格式不对 without naming the
//   character" — the refusal names it, where it is, and what to type.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "tests/support/ledger_fixture.h"

namespace at = agtrace::testing;
namespace fs = std::filesystem;

namespace {

bool has(const std::string& haystack, const std::string& needle) { return haystack.find(needle) != std::string::npos; }

const std::string kCertHeader = "事件类型,事件编号,时间,合格证编号,样式,承诺主体,批次,数量,单位,产品编号,产地,开具依据";

// A 开具合格证 row of `kg` of H-1 under `number`, on the co-op's own test insp-1.
std::string cert_row(const std::string& id, const std::string& number, const std::string& kg) {
  return "开具合格证," + id + ",2024-05-02T08:00:00+08:00," + number + ",生产者," + at::kParty + ",H-1," + kg + ",千克," +
         at::kProduct + "," + at::kPlot + ",自行检测合格=insp-1\n";
}

// The co-op's harvest H-1 (1000 kg) and its own passed test, with a checkpoint the log key remembers.
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

}  // namespace

TEST_CASE("import --log-key into a file rolled back to an older copy is refused as 回滚 before anything is written") {
  at::TestLedger L;
  harvest_and_test(L);
  const fs::path old_copy = L.dir() / "old.db";
  at::copy_ledger(L.path(), old_copy);
  const auto log_key = L.log_key().string();
  auto first = L.import_csv(L.write_file("c1.csv", kCertHeader + "\n" + cert_row("c-1", "LC-2024-0001", "300")),
                            {"--log-key", log_key});
  INFO(first.describe());
  REQUIRE(first.exited_with(0));
  const std::size_t signed_size = L.size();

  // Someone puts the older copy in place of the ledger; the clerk imports the next row.
  at::copy_ledger(old_copy, L.path());
  const std::size_t old_size = L.size();
  const auto before = L.file_bytes();
  auto r = L.import_csv(L.write_file("c2.csv", kCertHeader + "\n" + cert_row("c-2", "LC-2024-0002", "200")),
                        {"--log-key", log_key});
  INFO(r.describe());
  CHECK(r.exited_with(1));
  CHECK(has(r.err, "账本被回滚：日志密钥上次签署的检查点（保存在「" + log_key + ".last-checkpoint」）已经覆盖 " +
                       std::to_string(signed_size) + " 条记录，账本文件却只有 " + std::to_string(old_size) + " 条"));
  CHECK(has(r.err, "什么也没有写入；请从最新的备份恢复账本（docs/deploy.md）后再操作"));
  CHECK_FALSE(has(r.err, "the log now has"));
  CHECK_FALSE(has(r.err, "rolled back"));  // the clerk's sheet is Chinese: Chinese only
  CHECK(L.file_bytes() == before);

  // record --log-key (JSON, an English reader) is refused the same way, in English, nothing written.
  auto json = L.record({at::events::inspection("insp-2", "H-1", "2024-05-01T10:00:00+08:00")});
  INFO(json.describe());
  CHECK(json.exited_with(1));
  CHECK(has(json.err, "the ledger was rolled back: the checkpoint this log key signed last"));
  CHECK(has(json.err, "nothing was written; restore the ledger from the latest backup"));
  CHECK(L.file_bytes() == before);

  // Written to without the log key meanwhile (a fork of the signed log): refused as not its continuation.
  REQUIRE(L.import_csv(L.write_file("c3.csv", kCertHeader + "\n" + cert_row("c-3", "LC-2024-0003", "100"))).exited_with(0));
  REQUIRE(L.import_csv(L.write_file("c4.csv", kCertHeader + "\n" + cert_row("c-4", "LC-2024-0004", "100"))).exited_with(0));
  REQUIRE(L.size() >= signed_size);
  const auto forked = L.file_bytes();
  auto fork = L.import_csv(L.write_file("c5.csv", kCertHeader + "\n" + cert_row("c-5", "LC-2024-0005", "100")),
                           {"--log-key", log_key});
  INFO(fork.describe());
  CHECK(fork.exited_with(1));
  CHECK(has(fork.err, "账本不是日志密钥上次签署的检查点（保存在「" + log_key + ".last-checkpoint」）的延续：前 " +
                          std::to_string(signed_size) + " 条记录和检查点签署的不同"));
  CHECK(has(fork.err, "分叉"));
  CHECK(L.file_bytes() == forked);
}

TEST_CASE("an issued certificate number with a look-alike dash or an invisible character is refused naming it") {
  at::TestLedger L;
  harvest_and_test(L);
  const auto before = L.snapshot();
  // U+2010 HYPHEN, as Word or a Chinese input method types it, in place of '-'.
  auto dash = L.import_csv(L.write_file("dash.csv", kCertHeader + "\n" + cert_row("c-1", "LC\u20102024-0001", "300")));
  INFO(dash.describe());
  CHECK(dash.exited_with(2));
  CHECK(has(dash.err, "合格证编号"));
  CHECK(has(dash.err, "第 3 个字符「\u2010」（U+2010 连字符）看起来像「-」，其实不是；请改用「-」"));
  // U+200B ZERO WIDTH SPACE, pasted with the number from a web page.
  auto hidden = L.import_csv(L.write_file("hidden.csv", kCertHeader + "\n" + cert_row("c-1", "LC-2\u200B024-0001", "300")));
  INFO(hidden.describe());
  CHECK(hidden.exited_with(2));
  CHECK(has(hidden.err, "第 5 个字符是看不见的字符 U+200B（零宽空格）"));
  CHECK(has(hidden.err, "请删去"));
  // JSON, in English.
  auto en = L.record({nlohmann::json{{"type", "certificate_issued"}, {"event_id", "c-1"},
                                     {"event_time", "2024-05-02T08:00:00+08:00"}, {"number", "LC\u20102024-0001"},
                                     {"style", "producer"}, {"issuer", at::kParty}, {"lot", "H-1"},
                                     {"quantity", {{"value", "300"}, {"unit", "KGM"}}}, {"product", at::kProduct},
                                     {"origin", at::kPlot},
                                     {"bases", {{{"basis", "self_tested"}, {"evidence", {"insp-1"}}}}}}});
  INFO(en.describe());
  CHECK(en.exited_with(2));
  CHECK(has(en.err, "character 3 \"\u2010\" (U+2010 HYPHEN) looks like \"-\" but is not; type \"-\" instead"));
  CHECK(L.snapshot() == before);
}

// "A certificate invalidated by a late spray shows the spray's date as its 已失效 time — a time before
// the certificate existed": `show lot` and the register give the spray as 用药时间 and the entry that
// recorded it (the log signs no time of recording); the page: tests/verifier/http_test.cpp.
TEST_CASE("show lot and the register: a certificate invalidated by a spray recorded late names 用药时间 and the entry") {
  at::TestLedger L;
  harvest_and_test(L);
  std::ofstream(L.dir() / "qc.csv") << kCertHeader << "\n开具合格证,c-qc,2024-05-02T08:00:00+08:00,LC-2024-0009,生产者,"
                                    << at::kParty << ",H-1,300,千克," << at::kProduct << "," << at::kPlot
                                    << ",质量安全控制符合要求\n";
  auto issued = L.import_csv(L.dir() / "qc.csv");
  INFO(issued.describe());
  REQUIRE(issued.exited_with(0));
  // The grower's notebook comes in late: a spray on 2024-04-28 with 7 days, so H-1 (2024-05-01) was inside it.
  REQUIRE(L.record({at::events::pesticide("spray-late", "PL-1", "2024-04-28T08:00:00+08:00", 7)}).exited_with(0));
  const std::size_t spray = L.size() - 1;
  auto shown = L.cli({"show", "lot", "H-1", "--lang", "zh"});
  INFO(shown.describe());
  REQUIRE(shown.exited_with(0));
  // trust14h: the entry is said once, in the reason.
  CHECK(has(shown.out, "承诺达标合格证 LC-2024-0009（批次「H-1」）：已失效（用药时间 2024-04-28T08:00:00+08:00，在本证之后登记："
                       "安全间隔期内用药（第 " + std::to_string(spray) + " 条 spray-late"));
  CHECK(shown.out.find("条记录登记") == std::string::npos);
  auto json = nlohmann::json::parse(L.must({"show", "lot", "H-1", "--json"}));
  REQUIRE(json["certificates"].size() == 1);
  CHECK(json["certificates"][0]["status"] == "invalidated");
  CHECK(json["certificates"][0]["applied_at"] == "2024-04-28T08:00:00+08:00");
  CHECK(json["certificates"][0]["time"] == "");
  CHECK(json["certificates"][0]["entry"] == spray);

  REQUIRE(L.cli({"export", "--certificates", "--out", (L.dir() / "reg").string()}).exited_with(0));
  std::ifstream in(L.dir() / "reg" / "certificates.csv");
  const std::string reg((std::istreambuf_iterator<char>(in)), {});
  CHECK(has(reg, ",用药时间 2024-04-28T08:00:00+08:00，在本证之后登记,"));
}
