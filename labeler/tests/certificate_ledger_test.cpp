// `agtrace-labeler certificate --number N --ledger FILE`: a 承诺达标合格证 printed from its signed
// certificate_issued entry and the ledger's master data (docs/certificate.md "Printing one").
// The printed words are read back with pdftotext and the QR code with zbar; a voided (已作废),
// invalidated (已失效) or unknown certificate is refused with exit 2, Chinese first, no file.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <filesystem>
#include <fstream>

#include "labeler/testing/qr_decode.h"
#include "ledger/store/sqlite.h"
#include "labeler/tests/station.h"

using namespace agtrace::labeler::testing;
namespace fs = std::filesystem;

namespace {

const std::string kThermal = std::string(AGTRACE_SOURCE_DIR) + "/examples/templates/lucheng-certificate-100x70.json";

// Records one JSON event with the station's clerk key.
CommandResult record(const Station& st, const std::string& name, const nlohmann::json& event) {
  const std::string file = st.dir + "/" + name + ".json";
  std::ofstream(file) << event.dump();
  return st.ledger_cli({"record", "--key", st.clerk_key, file});
}

nlohmann::json certificate(const std::string& number, const std::string& lot, const std::string& time,
                           const nlohmann::json& quantity, const nlohmann::json& bases) {
  return {{"type", "certificate_issued"}, {"event_id", "cert-" + number}, {"event_time", time},
          {"number", number},             {"style", "producer"},          {"issuer", "COOP"},
          {"lot", lot},                   {"quantity", quantity},         {"product", "SCALLION-06901234567892"},
          {"origin", "PLOT-1"},           {"bases", bases}};
}

CommandResult print(const Station& st, const std::string& number, const std::string& format, const std::string& out) {
  return st.labeler({"certificate", "--number", number, "--template", kThermal, "--format", format, "--out", out});
}

// pdftotext's reading of a PDF with every space and line break taken out (text may wrap).
std::string pdf_text(const std::string& pdf) {
  std::string text;
  REQUIRE(run(fmt::format("pdftotext {} -", pdf), &text) == 0);
  std::erase_if(text, [](char c) { return c == ' ' || c == '\n'; });
  return text;
}

}  // namespace

TEST_CASE("certificate --number: the issued entry and master data printed, the QR code to the certificate's page") {
  Station st("certificate-ledger");
  st.add_packed_lot("LC-CERT-1", "06901234567892", 2000, false);
  // Issued at 20:00 UTC: in Beijing time that is 04:00 the next day, the date the certificate shows.
  const std::string day_before = now_minus_days(6).substr(0, 10), beijing_day = now_minus_days(5).substr(0, 10);
  auto r = record(st, "cert-1",
                  certificate("HGZ-T-0001", "LC-CERT-1", day_before + "T20:00:00Z",
                              {{"value", "2000"}, {"unit", "H87"}},
                              {{{"basis", "self_tested"}, {"evidence", {"inspection-1"}}}}));
  REQUIRE_MESSAGE(r.status == 0, r.out);
  const std::string url = "https://trace.lucheng.example/c/HGZ-T-0001";

  const std::string png = st.dir + "/certificate-HGZ-T-0001.png";
  r = print(st, "HGZ-T-0001", "png", png);
  CHECK_MESSAGE(r.status == 0, r.out);
  CHECK(r.out.find("已输出承诺达标合格证 HGZ-T-0001") != std::string::npos);
  CHECK(zbar_decode(load_png(png)) == std::vector<std::string>{url});
  // trust14h: who vouched for the test it rests on — the key that recorded it, and its holder (none here).
  CHECK(r.out.find("  依据「自行检测合格」的检测：报告 ") != std::string::npos);
  CHECK(r.out.find("，记录签名 ") != std::string::npos);
  CHECK(r.out.find("（未登记持有主体） / basis 自行检测合格: inspection report ") != std::string::npos);
  CHECK(r.out.find(" (no holder)") != std::string::npos);

  const std::string pdf = st.dir + "/certificate-HGZ-T-0001.pdf";
  REQUIRE(print(st, "HGZ-T-0001", "pdf", pdf).status == 0);
  std::string text = pdf_text(pdf);
  int y = std::stoi(beijing_day.substr(0, 4)), m = std::stoi(beijing_day.substr(5, 2)),
      d = std::stoi(beijing_day.substr(8, 2));
  for (const std::string& want :
       {std::string("承诺达标合格证"), std::string("潞城大葱（鲜葱）"), std::string("2000箱（共10000公斤）"),
        std::string("山西省长治市潞城区店上镇东邑村（东邑村3号地块）"), std::string("潞城区绿源大葱种植专业合作社"),
        std::string("0355-6012345"), fmt::format("{}年{}月{}日", y, m, d), std::string("HGZ-T-0001")}) {
    INFO(want);
    CHECK(text.find(want) != std::string::npos);
  }
  // The facts file path still works beside it, and exactly one of the two is taken.
  r = st.labeler({"certificate", "--number", "HGZ-T-0001", "--facts",
                  std::string(AGTRACE_SOURCE_DIR) + "/tests/labeler/certificate-producer.json", "--template", kThermal,
                  "--format", "png", "--out", st.dir + "/both.png"});
  CHECK(r.status == 2);
  CHECK(r.out.find("二者选一") != std::string::npos);
  CHECK_FALSE(fs::exists(st.dir + "/both.png"));
  // The verb's help says where the ledger comes from.
  auto help = st.labeler({"certificate", "--help"});
  CHECK(help.status == 0);
  CHECK(help.out.find("--ledger FILE") != std::string::npos);
}

TEST_CASE("certificate --number: voided, invalidated and unknown certificates are refused, exit 2, no file") {
  Station st("certificate-refused");
  st.add_packed_lot("LC-VOID", "06901234567892", 2000, false);
  st.add_packed_lot("LC-BAD", "06901234567892", 2000, false);
  const std::string t = now_minus_days(7);
  REQUIRE(record(st, "c1", certificate("HGZ-V-0001", "LC-VOID", t, {{"value", "5000"}, {"unit", "KGM"}},
                                       {{{"basis", "quality_control"}}}))
              .status == 0);
  REQUIRE(record(st, "c2", certificate("HGZ-X-0001", "LC-BAD", t, {{"value", "5000"}, {"unit", "KGM"}},
                                       {{{"basis", "quality_control"}}}))
              .status == 0);
  // Both print while valid.
  CHECK(print(st, "HGZ-V-0001", "zpl", st.dir + "/ok-v.zpl").status == 0);
  CHECK(print(st, "HGZ-X-0001", "zpl", st.dir + "/ok-x.zpl").status == 0);

  auto r = record(st, "void", {{"type", "certificate_voided"}, {"event_id", "void-1"}, {"event_time", now_minus_days(6)},
                               {"number", "HGZ-V-0001"}, {"reason", "数量写错，重开"}});
  REQUIRE_MESSAGE(r.status == 0, r.out);
  r = print(st, "HGZ-V-0001", "png", st.dir + "/voided.png");
  CHECK(r.status == 2);
  CHECK(r.out.rfind("错误：合格证 HGZ-V-0001 已作废", 0) == 0);
  CHECK(r.out.find("数量写错，重开") != std::string::npos);
  CHECK_FALSE(fs::exists(st.dir + "/voided.png"));
  // Someone with write access to the file deletes the void's derived row: the certificate's
  // facts would read as valid, but the file is audited first (docs/security.md "Writers check
  // the file before they sign"), so nothing is printed.
  {
    agtrace::sql::Database db(st.ledger_path, agtrace::sql::OpenMode::read_write);
    db.exec("DELETE FROM certificate_voids");
  }
  r = print(st, "HGZ-V-0001", "png", st.dir + "/voided.png");
  CHECK(r.status == 1);
  CHECK(r.out.find("账本文件未通过校验，合格证未打印") != std::string::npos);
  CHECK(r.out.find("derived table certificate_voids disagrees") != std::string::npos);
  CHECK_FALSE(fs::exists(st.dir + "/voided.png"));
  // trust14h: the audit's finding in each language (it was English in both halves); under a Chinese
  // locale the prefix is Chinese too.
  CHECK(r.out.find("账本文件未通过校验，合格证未打印：第 ") != std::string::npos);
  CHECK(r.out.find("账本文件里的索引表 certificate_voids 和签名的记录对不上") != std::string::npos);
  CommandResult zh_failed;
  zh_failed.status = run(fmt::format("env -u LC_ALL -u LC_MESSAGES LANG=zh_CN.UTF-8 {} --ledger {} certificate --number "
                                     "HGZ-V-0001 --template {} --format png --out {}/voided.png 2>&1",
                                     AGTRACE_LABELER_BIN, st.ledger_path, kThermal, st.dir),
                         &zh_failed.out);
  CHECK(zh_failed.status == 1);
  CHECK_MESSAGE(zh_failed.out.rfind("核验失败：账本文件未通过校验", 0) == 0, zh_failed.out);
  CHECK(zh_failed.out.find("FAILED") == std::string::npos);
  {  // the row back, as the entries say
    agtrace::sql::Database db(st.ledger_path, agtrace::sql::OpenMode::read_write);
    db.exec("INSERT INTO certificate_voids SELECT entry_idx, 'HGZ-V-0001' FROM events WHERE event_id = 'void-1'");
  }
  REQUIRE(st.open().verify(std::nullopt).entries > 0);

  // A market check fails on the lot after the certificate: it is invalidated.
  r = record(st, "fail", {{"type", "inspection"}, {"event_id", "market-fail"}, {"event_time", now_minus_days(5)},
                          {"party", "COOP"}, {"location", "PACK-1"}, {"lots", {"LC-BAD"}}, {"report_no", "SC-0001"},
                          {"result", "fail"},
                          {"items", {{{"name", "毒死蜱"}, {"measured", "0.09"}, {"limit", "0.02"}, {"unit", "mg/kg"},
                                      {"result", "fail"}}}}});
  REQUIRE_MESSAGE(r.status == 0, r.out);
  r = print(st, "HGZ-X-0001", "pdf", st.dir + "/invalidated.pdf");
  CHECK(r.status == 2);
  CHECK(r.out.rfind("错误：合格证 HGZ-X-0001 已失效", 0) == 0);
  CHECK(r.out.find("SC-0001") != std::string::npos);
  CHECK_FALSE(fs::exists(st.dir + "/invalidated.pdf"));

  r = print(st, "HGZ-NONE-01", "png", st.dir + "/unknown.png");
  CHECK(r.status == 2);
  CHECK(r.out.rfind("error: --number HGZ-NONE-01：账本中没有", 0) == 0);
  // Both halves name the register that lists the numbers; no number is suggested when none is near.
  const auto halves = r.out.find(" / --number ");
  REQUIRE(halves != std::string::npos);
  CHECK(r.out.substr(0, halves).find("`agtrace-ledger export --certificates` 列出所有合格证") != std::string::npos);
  CHECK(r.out.substr(halves).find("`agtrace-ledger export --certificates` lists them") != std::string::npos);
  CHECK(r.out.find("是不是") == std::string::npos);
  CHECK_FALSE(fs::exists(st.dir + "/unknown.png"));
  // A number typed in the wrong case: the one it may mean, as the verifier's page suggests it.
  r = print(st, "hgz-x-0001", "png", st.dir + "/case.png");
  CHECK(r.status == 2);
  CHECK(r.out.find("--number hgz-x-0001：账本中没有开具编号为 hgz-x-0001 的承诺达标合格证，是不是 HGZ-X-0001？") !=
        std::string::npos);
  CHECK(r.out.find("did you mean HGZ-X-0001? check the number (letter case counts;") != std::string::npos);
  CHECK_FALSE(fs::exists(st.dir + "/case.png"));
  // trust14h: a number pasted with a look-alike dash or an invisible character names it (as the ledger's
  // rules do) and the number it means.
  r = print(st, "HGZ\u2010X-0001", "png", st.dir + "/dash.png");
  CHECK(r.status == 2);
  CHECK(r.out.find("第 4 个字符「\u2010」（U+2010 连字符）看起来像「-」，其实不是；请改用「-」；是不是 HGZ-X-0001？") !=
        std::string::npos);
  CHECK(r.out.find("character 4 \"\u2010\" (U+2010 HYPHEN) looks like \"-\"") != std::string::npos);
  CHECK(r.out.find("did you mean HGZ-X-0001?") != std::string::npos);
  r = print(st, "HGZ-X-0001\u200b", "png", st.dir + "/zwsp.png");
  CHECK(r.status == 2);
  CHECK(r.out.find("第 11 个字符是看不见的字符 U+200B（零宽空格）") != std::string::npos);
  CHECK(r.out.find("是不是 HGZ-X-0001？") != std::string::npos);
  CHECK_FALSE(fs::exists(st.dir + "/dash.png"));
  CHECK_FALSE(fs::exists(st.dir + "/zwsp.png"));
  // Under a Chinese locale the prefix is 错误： (it was "error: " before a Chinese message).
  CommandResult zh;
  zh.status = run(fmt::format("env -u LC_ALL -u LC_MESSAGES LANG=zh_CN.UTF-8 {} --ledger {} certificate --number "
                              "HGZ-V-0001 --template {} --format png --out {}/voided.png 2>&1",
                              AGTRACE_LABELER_BIN, st.ledger_path, kThermal, st.dir),
                  &zh.out);
  CHECK(zh.status == 2);
  CHECK_MESSAGE(zh.out.rfind("错误：合格证 HGZ-V-0001 已作废", 0) == 0, zh.out);

  // Without a ledger, --number has nothing to read.
  CommandResult no_ledger;
  no_ledger.status = run(fmt::format("env -u AGTRACE_LEDGER {} certificate --number HGZ-V-0001 --template {} --format png "
                                     "--out {}/x.png 2>&1",
                                     AGTRACE_LABELER_BIN, kThermal, st.dir),
                         &no_ledger.out);
  CHECK(no_ledger.status == 2);
  CHECK(no_ledger.out.find("--number 需要账本") != std::string::npos);
}

// Issue 14, session 10's trial: "`agtrace-labeler certificate` prints from a rolled-back ledger
// file." A copy of the file taken before the certificate's void still holds it as valid, and on its
// own the copy verifies; the checkpoint the log key signed last (LOGKEY.last-checkpoint, as print's
// checkpoint uses it) or a saved checkpoint tells the copy from the ledger.
TEST_CASE("certificate --number --log-key / --checkpoint: a ledger file rolled back before the last certificate entry is refused") {
  Station st("certificate-rollback");
  st.add_packed_lot("LC-ROLL", "06901234567892", 2000, false);
  REQUIRE(record(st, "c1", certificate("HGZ-R-0001", "LC-ROLL", now_minus_days(7), {{"value", "5000"}, {"unit", "KGM"}},
                                       {{{"basis", "quality_control"}}}))
              .status == 0);
  // The copy, taken while HGZ-R-0001 was valid (the backup command copies the -wal too).
  const std::string copy = st.dir + "/before-void.db";
  REQUIRE(st.ledger_cli({"backup", "--out", copy}).status == 0);
  auto r = record(st, "void", {{"type", "certificate_voided"}, {"event_id", "void-r"}, {"event_time", now_minus_days(6)},
                               {"number", "HGZ-R-0001"}, {"reason", "发现施药记录漏记，作废"}});
  REQUIRE_MESSAGE(r.status == 0, r.out);
  // The checkpoint service signs the ledger with the void (and remembers it beside the key); an
  // auditor keeps that checkpoint too.
  r = st.ledger_cli({"checkpoint", "--log-key", st.log_key});
  REQUIRE_MESSAGE(r.status == 0, r.out);
  REQUIRE(fs::exists(st.log_key + ".last-checkpoint"));
  const std::string saved = st.dir + "/saved-checkpoint.txt";
  fs::copy_file(st.log_key + ".last-checkpoint", saved);
  // On the real ledger the guard passes and the voided certificate is refused as voided (exit 2).
  r = st.labeler({"certificate", "--number", "HGZ-R-0001", "--log-key", st.log_key, "--template", kThermal, "--format",
                  "png", "--out", st.dir + "/real.png"});
  CHECK(r.status == 2);
  CHECK(r.out.rfind("错误：合格证 HGZ-R-0001 已作废", 0) == 0);

  // Someone puts the old copy in place of the ledger.
  for (const char* tail : {"", "-wal", "-shm"}) fs::remove(st.ledger_path + tail);
  fs::copy_file(copy, st.ledger_path);
  // Unguarded, the copy prints the voided certificate as valid — the hole the guard closes.
  CHECK(print(st, "HGZ-R-0001", "png", st.dir + "/unguarded.png").status == 0);

  const std::string png = st.dir + "/rolled-back.png";
  r = st.labeler({"certificate", "--number", "HGZ-R-0001", "--log-key", st.log_key, "--template", kThermal, "--format",
                  "png", "--out", png});
  CHECK(r.status == 1);
  // cert14h: the rollback guard every writer uses names 回滚, the file kept beside the key in 「」, the counts.
  CHECK(r.out.rfind("核验失败：账本被回滚：日志密钥上次签署的检查点（保存在「" + st.log_key + ".last-checkpoint」）已经覆盖 ", 0) == 0);
  CHECK(r.out.find("合格证未打印；请从最新的备份恢复账本") != std::string::npos);
  CHECK(r.out.find("the ledger was rolled back: the checkpoint this log key signed last") != std::string::npos);
  CHECK_FALSE(fs::exists(png));

  r = st.labeler({"certificate", "--number", "HGZ-R-0001", "--checkpoint", saved, "--template", kThermal, "--format",
                  "png", "--out", png});
  CHECK(r.status == 1);
  CHECK(r.out.rfind("核验失败：账本被回滚：保存的检查点「" + saved + "」已经覆盖 ", 0) == 0);
  CHECK_FALSE(fs::exists(png));

  // cert14h, issue 14's last trial: `print --log-key` on the rolled-back copy (where HGZ-R-0001 is still
  // valid) used to record the label job and only then refuse to sign. Now nothing is printed or recorded.
  const std::uint64_t entries_before = st.open().size();
  const std::string labels = st.dir + "/labels.zpl";
  r = st.labeler({"print", "--key", st.station_key, "--log-key", st.log_key, "--lot", "LC-ROLL", "--count", "1",
                  "--template", std::string(AGTRACE_SOURCE_DIR) + "/examples/templates/lucheng-bag-60x40.json",
                  "--format", "zpl", "--out", labels});
  CHECK(r.status == 1);
  CHECK(r.out.find("账本被回滚") != std::string::npos);
  CHECK(r.out.find("没有打印标签，也没有记录") != std::string::npos);
  CHECK_FALSE(fs::exists(labels));
  CHECK(st.open().size() == entries_before);

  // A log key without a memory says that the guard cannot work, and prints as before.
  fs::remove(st.log_key + ".last-checkpoint");
  r = st.labeler({"certificate", "--number", "HGZ-R-0001", "--log-key", st.log_key, "--template", kThermal, "--format",
                  "png", "--out", png});
  CHECK(r.status == 0);
  CHECK(r.out.find("注意：日志密钥旁没有它上次签署的检查点") != std::string::npos);
}
