// `show`, the key and signer refusals, the correct verb's EVENT-ID and --help in the reader's
// language (issue 16, item 1), through the real binary.
//
// Claims checked:
//   Issue 16, item 1: "Every message a clerk, operator or regulator reads — refusals, summaries,
//   reports, `--help` where practical — exists in Chinese and English; Chinese is chosen by
//   `--lang zh`, by `LANG=zh_CN.*` …; the JSON outputs keep stable English keys and machine codes.
//   … show times in the event's own offset or Beijing time, labelled".
//   Units in words (公斤, not KGM). Refusals say what happened and what to do, exit 2, and write
//   nothing (DESIGN §8); a refusal of a correction names what the clerk typed (the column, or the
//   EVENT-ID argument), not the schema's field.
#include <doctest/doctest.h>

#include <filesystem>

#include "tests/support/trial.h"

namespace at = agtrace::testing;
namespace fs = std::filesystem;
using at::has;
using at::run;
using at::index_of;

namespace {

// `args` is refused (exit 2) with each of `zh` under --lang zh and each of `en` under --lang en,
// and the ledger stays byte for byte the same.
void refused_in_both(const at::TestLedger& L, const std::vector<std::string>& args, const std::vector<std::string>& zh,
                     const std::vector<std::string>& en) {
  const auto before = L.file_bytes();
  for (const auto& [lang, wants] : {std::pair{"zh", zh}, std::pair{"en", en}}) {
    std::vector<std::string> a = {"--lang", lang};
    a.insert(a.end(), args.begin(), args.end());
    auto r = run(L, a);
    INFO(r.describe());
    CHECK(r.exited_with(2));
    CHECK(r.err.starts_with(std::string(lang) == "zh" ? "错误：" : "error: "));
    for (const auto& w : wants) CHECK_MESSAGE(has(r.err, w), w);
    if (std::string(lang) == "zh") CHECK_FALSE(has(r.err, " / "));  // one language, not both
  }
  CHECK(L.file_bytes() == before);
}

// The harvest season (planting PL-1, harvest H-1 of 1500 kg at 08:00 Beijing time) with a storage of
// H-1 written at +09:00.
struct Season : at::HarvestSeason {
  Season()
      : HarvestSeason(std::vector<nlohmann::json>{at::events::storage("store-1", "H-1", "2026-09-25T12:30:15+09:00")}) {}
};

}  // namespace

TEST_CASE("show lot and show N in Chinese: labels, times at their own offset labelled, 公斤; English as before") {
  Season s;
  const auto& L = s.L;
  const auto harvest = std::to_string(index_of(L, "H-1"));

  auto zh = run(L, {"show", "lot", "H-1", "--lang", "zh"});
  INFO(zh.describe());
  REQUIRE(zh.exited_with(0));
  for (const std::string& want : std::vector<std::string>{"批次 H-1（GS1 批次码 H-1）", "产品：SCALLION（大葱）", ("由采收事件创建（第 " + harvest + " 条）").c_str(),
                           "数量：产出 1500 公斤，后续事件已用去 0 公斤", "事件：",
                           "2026-09-25 08:00（北京时间 +08:00）  采收", "2026-09-25 12:30:15（当地时间 UTC+09:00）  贮藏"})
    CHECK_MESSAGE(has(zh.out, want), want);
  CHECK_FALSE(has(zh.out, "KGM"));
  CHECK_FALSE(has(zh.out, "2026-09-25T08:00:00+08:00"));

  // A Chinese locale chooses Chinese without --lang; a neutral one English, as scripts read it.
  CHECK(has(run(L, {"show", "lot", "H-1"}, "zh_CN.UTF-8").out, "数量：产出 1500 公斤"));
  auto en = run(L, {"show", "lot", "H-1"});
  REQUIRE(en.exited_with(0));
  for (const std::string& want : std::vector<std::string>{"lot H-1 (GS1 lot code H-1)", "product: SCALLION (大葱)", ("created by harvest at entry " + harvest).c_str(),
                           "quantity: 1500 kg made, 0 kg taken by later events", "events:",
                           "2026-09-25T08:00:00+08:00  harvest"})
    CHECK_MESSAGE(has(en.out, want), want);

  // The JSON keeps its English keys and values in either language.
  auto j = nlohmann::json::parse(run(L, {"show", "lot", "H-1", "--json", "--lang", "zh"}).out);
  CHECK(j["quantity"][0]["unit"] == "kg");
  CHECK(j["events"][0]["type"] == "harvest");
  auto entry = nlohmann::json::parse(run(L, {"show", harvest, "--json", "--lang", "zh"}).out);
  CHECK(entry["status"].get<std::string>().starts_with("in checkpoint of size "));

  // show N: its type as a clerk writes it, its time labelled, its quantity in words.
  auto n = run(L, {"--lang", "zh", "show", harvest});
  INFO(n.describe());
  REQUIRE(n.exited_with(0));
  for (const std::string& want : std::vector<std::string>{("第 " + harvest + " 条 — 采收 — 已纳入检查点（账本共 ").c_str(), "签名密钥 ",
                           "时间：2026-09-25 08:00（北京时间 +08:00）", "数量：1500 公斤", "记录内容：", "  采收批次：H-1"})
    CHECK_MESSAGE(has(n.out, want), want);
  auto n_en = run(L, {"show", harvest});
  CHECK(has(n_en.out, "entry " + harvest + " — harvest — in checkpoint of size "));
  CHECK(has(n_en.out, "time: 2026-09-25 08:00 (Beijing time, +08:00)"));
  CHECK(has(n_en.out, "quantity: 1500 kg"));

  // A correction is named under the event it corrected, in Chinese too.
  auto fixed = at::events::harvest("H-1", "H-1", "PL-1", "2026-09-25T08:00:00+08:00", "1400");
  auto file = L.write_file("fixed.json", fixed.dump());
  auto c = run(L, {"correct", "H-1", "--file", file.string(), "--reason", "数量录错", "--key", L.clerk_key().string(),
                   "--lang", "zh"});
  INFO(c.describe());
  REQUIRE(c.exited_with(0));
  const auto correction = std::to_string(L.log().back()["index"].get<std::uint64_t>());
  auto after = run(L, {"show", "lot", "H-1", "--lang", "zh"});
  CHECK(has(after.out, "数量：产出 1400 公斤"));
  CHECK(has(after.out, "已被第 " + correction + " 条更正（H-1.corr-"));
  CHECK(has(after.out, "：数量录错 — `agtrace-ledger show " + correction + "` 显示更正后的内容，`show " + harvest +
                           "` 显示原记录"));
  CHECK(has(run(L, {"show", harvest, "--lang", "zh"}).out, "已被第 " + correction + " 条更正（以那里的替代记录为准）"));

  // Bad input: exit 2 in the reader's language, naming what to do.
  // An unknown lot: no English word in Chinese, and the nearest known lot id (l read for 1) suggested.
  refused_in_both(L, {"show", "lot", "H-l"}, {"错误：账本里没有批次「H-l」；是不是「H-1」？请核对批次编号"},
                  {"LOT: unknown lot \"H-l\"; did you mean \"H-1\"?"});
  auto far = run(L, {"show", "lot", "ZZ-99", "--lang", "zh"});
  CHECK(has(far.err, "错误：账本里没有批次「ZZ-99」；请核对批次编号"));
  CHECK_FALSE(has(far.err, "是不是"));
  CHECK_FALSE(has(far.err, "LOT"));
  refused_in_both(L, {"show", "abc"}, {"ENTRY「abc」：请写条目序号（整数）"}, {"ENTRY \"abc\": give an entry index"});
}

TEST_CASE("key and signer refusals in Chinese and English: what happened and what to do, nothing written") {
  Season s;
  const auto& L = s.L;
  const std::string log_key = L.log_key().string();
  auto record_with = [&](const fs::path& key) {
    return std::vector<std::string>{"record", "--key", key.string(), L.write_file("e.json",
        at::events::storage("store-2", "H-1", "2026-09-26T08:00:00+08:00").dump()).string()};
  };

  // A key generated but never registered.
  REQUIRE(run(L, {"key", "gen", "--name", "clerk-new", "--out", (L.dir() / "new.key").string()}).exited_with(0));
  refused_in_both(L, record_with(L.dir() / "new.key"), {"没有在这个账本登记；请管理员用日志密钥登记它的公钥"},
                  {"is not registered in this ledger; register its .pub with `agtrace-ledger key add`"});

  // Registered, then revoked: it signs nothing more, and cannot be registered again.
  auto added = run(L, {"--lang", "zh", "key", "add", "--log-key", log_key, "--pub", (L.dir() / "new.key.pub").string()});
  INFO(added.describe());
  REQUIRE(added.exited_with(0));
  CHECK(has(added.out, "已登记 clerk-new+"));
  CHECK(has(added.out, "（记录员），第 "));
  const std::string id = at::key_id_of(L.dir() / "new.key.pub");
  auto revoked = run(L, {"key", "revoke", "--log-key", log_key, "--key-id", id, "--reason", "离职", "--lang", "zh"});
  REQUIRE(revoked.exited_with(0));
  CHECK(has(revoked.out, "已吊销 " + id + "，第 "));
  // key list says which keys sign and which were revoked.
  auto list = run(L, {"key", "list", "--lang", "zh"});
  INFO(list.describe());
  REQUIRE(list.exited_with(0));
  CHECK(has(list.out, "  日志密钥，第 0 条登记"));
  CHECK(has(list.out, id + "  记录员密钥，第 "));
  CHECK(has(list.out, "条已吊销（不能再签名）"));
  CHECK(has(run(L, {"key", "list"}).out, id + "  clerk key, added at entry "));
  auto listed = nlohmann::json::parse(run(L, {"key", "list", "--json", "--lang", "zh"}).out);
  CHECK(listed.back()["key_id"] == id);
  CHECK(listed.back()["role"] == "clerk");
  CHECK(listed.back()["revoked_entry"].is_number());
  refused_in_both(L, record_with(L.dir() / "new.key"), {"已在第 ", "条吊销，不能再签名；请用现行的密钥"},
                  {"was revoked at entry ", "; sign with a current key"});
  refused_in_both(L, {"key", "add", "--log-key", log_key, "--pub", (L.dir() / "new.key.pub").string()},
                  {"条吊销，吊销的密钥不能恢复；请生成新密钥"}, {"and a revoked key stays revoked; generate a new key"});
  refused_in_both(L, {"key", "revoke", "--log-key", log_key, "--key-id", id, "--reason", "再次"},
                  {"已在第 ", "条吊销过了，不需要再吊销"}, {"was already revoked at entry "});
  refused_in_both(L, {"key", "revoke", "--log-key", log_key, "--key-id", "nobody+00000000", "--reason", "x"},
                  {"账本里没有密钥 nobody+00000000；请核对密钥编号", "agtrace-ledger key list 列出已登记的密钥"}, {"unknown key nobody+00000000"});

  // A station key records label jobs and certificates, not a storage.
  REQUIRE(run(L, {"key", "gen", "--name", "station-1", "--out", (L.dir() / "station.key").string()}).exited_with(0));
  refused_in_both(L, {"key", "add", "--log-key", log_key, "--pub", (L.dir() / "station.key.pub").string(), "--role",
                      "station"},
                  {"--holder：工作站密钥要写明持有主体"}, {"--holder: a station key acts only for its holder's lots"});
  REQUIRE(run(L, {"key", "add", "--log-key", log_key, "--pub", (L.dir() / "station.key.pub").string(), "--role",
                  "station", "--holder", at::kParty})
              .exited_with(0));
  refused_in_both(L, record_with(L.dir() / "station.key"),
                  {"是工作站密钥，只能签名标签作业（打印、补打、作废）", "贮藏事件请用记录员密钥记录"},
                  {"is a station key, which signs only label jobs", "record storage events with a clerk key"});

  // The wrong file as the log key.
  refused_in_both(L, {"checkpoint", "--log-key", L.clerk_key().string()},
                  {"--log-key " + L.clerk_key().string() + ": ", "不是这个账本的日志密钥"},
                  {"is not this ledger's log key"});

  // Key files: missing, readable by others, protected by a passphrase (agtrace reads none), a .pub of another key.
  refused_in_both(L, record_with(L.dir() / "missing.key"), {"打不开密钥文件 ", "请检查路径"}, {"cannot open key file "});
  fs::permissions(L.clerk_key(), fs::perms::group_read | fs::perms::others_read, fs::perm_options::add);
  refused_in_both(L, record_with(L.clerk_key()), {"的权限是 0644", "请运行 `chmod 600 "}, {"has mode 0644"});
  fs::permissions(L.clerk_key(), fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace);
  auto encrypted = L.write_file("enc.key", "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n");
  fs::permissions(encrypted, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace);
  refused_in_both(L, record_with(encrypted), {"设有密码（已加密）；agtrace 不读口令", "openssl pkey -in "},
                  {"is encrypted; agtrace reads unencrypted PKCS#8 keys"});
  fs::copy_file(L.dir() / "station.key.pub", L.dir() / "new.key.pub", fs::copy_options::overwrite_existing);
  refused_in_both(L, record_with(L.dir() / "new.key"), {"不配对：它是另一把密钥", "请放回与这把私钥一起生成的 .pub 文件"},
                  {"does not match", "Put back the .pub file that was made with this key"});
}

TEST_CASE("a refused correction names what the clerk typed: the 事件编号 column, or the EVENT-ID argument") {
  Season s;
  const auto& L = s.L;
  // A correction row (更正原因 filled) for an event that was never recorded.
  auto csv = L.write_file("更正.csv",
                   std::string("事件类型,事件编号,时间,主体编号,地点编号,采收批次,种植批次,数量,单位,更正原因\r\n") +
                       "采收,H-9,2026-09-25T08:00:00+08:00," + at::kParty + "," + at::kPlot + ",H-9,PL-1,1500,千克,数量录错\r\n");
  const auto before = L.file_bytes();
  auto zh = run(L, {"import", "--key", L.clerk_key().string(), "--format", "csv", csv.string()});
  INFO(zh.describe());
  CHECK(zh.exited_with(2));
  CHECK(has(zh.err, "更正.csv 第 2 行 B 列「事件编号」：没有记录过事件编号「H-9」，无从更正"));
  CHECK_FALSE(has(zh.err, "field corrected_event_id"));
  auto en = run(L, {"import", "--key", L.clerk_key().string(), "--format", "csv", "--lang", "en", csv.string()});
  CHECK(en.exited_with(2));
  CHECK(has(en.err, "column B \"事件编号\" (field corrected_event_id): no event \"H-9\" is recorded"));

  // The correct verb names its EVENT-ID argument.
  auto file = L.write_file("fixed.json", at::events::harvest("H-9", "H-9", "PL-1", "2026-09-25T08:00:00+08:00", "1").dump());
  refused_in_both(L, {"correct", "H-9", "--file", file.string(), "--reason", "x", "--key", L.clerk_key().string()},
                  {"要更正的事件编号（EVENT-ID）「H-9」：没有记录过事件编号「H-9」"},
                  {"argument EVENT-ID \"H-9\" (field corrected_event_id): no event \"H-9\" is recorded"});
  CHECK(L.file_bytes() == before);
}

TEST_CASE("--help of the clerk's verbs in Chinese for --lang zh or a Chinese locale, English otherwise") {
  at::TestLedger L;
  auto zh = run(L, {"import", "--help", "--lang", "zh"});
  INFO(zh.describe());
  CHECK(zh.exited_with(0));
  CHECK(has(zh.out, "批量导入事件"));
  CHECK(has(zh.out, "时间里没写时区时用的 UTC 偏移"));
  for (const auto& [verb, want] : {std::pair{"correct", "更正已记录的事件"}, std::pair{"columns", "某种事件的 CSV 列"},
                                   std::pair{"show", "查看一条记录"}}) {
    auto r = run(L, {verb, "--help"}, "zh_CN.UTF-8");
    CHECK(r.exited_with(0));
    CHECK_MESSAGE(has(r.out, want), verb);
  }
  auto en = run(L, {"import", "--help"});
  CHECK(has(en.out, "import events in bulk (one transaction)"));
  CHECK_FALSE(has(en.out, "批量导入事件"));
  CHECK(has(run(L, {"--lang=en", "show", "--help"}, "zh_CN.UTF-8").out, "show an entry (show N)"));
}

TEST_CASE("log in Chinese: event types in the clerk's words, corrected entries marked, --lot takes the correction, "
          "--from a date with --tz; English and JSON as before") {
  Season s;
  const auto& L = s.L;
  auto fixed = at::events::harvest("H-1", "H-1", "PL-1", "2026-09-25T08:00:00+08:00", "1400");
  auto file = L.write_file("fixed.json", fixed.dump());
  REQUIRE(run(L, {"correct", "H-1", "--file", file.string(), "--reason", "数量录错", "--key", L.clerk_key().string()})
              .exited_with(0));
  const auto correction = L.log().back();
  const std::string correction_index = std::to_string(correction["index"].get<std::uint64_t>());
  const std::string correction_id = correction["event_id"];

  auto zh = run(L, {"log", "--lang", "zh"});
  INFO(zh.describe());
  REQUIRE(zh.exited_with(0));
  CHECK(has(zh.out, "2026-09-25 08:00（北京时间 +08:00）  采收  H-1  已被第 " + correction_index + " 条更正"));
  CHECK(has(zh.out, "种植  plant-1"));
  CHECK(has(zh.out, "建立账本"));
  CHECK(has(zh.out, "更正  " + correction_id));
  for (const char* english : {"harvest", "planting", "log_init", "key_added", "correction", "awaiting"})
    CHECK_MESSAGE(!has(zh.out, english), english);
  // A Chinese locale chooses Chinese without --lang.
  CHECK(has(run(L, {"log"}, "zh_CN.UTF-8").out, "  采收  H-1"));

  // --lot: the lot's events and the correction of one of them.
  auto lot = run(L, {"log", "--lot", "H-1", "--lang", "zh"});
  REQUIRE(lot.exited_with(0));
  CHECK(has(lot.out, "采收  H-1"));
  CHECK(has(lot.out, "更正  " + correction_id));
  CHECK_FALSE(has(lot.out, "plant-1"));
  auto lot_json = nlohmann::json::parse(run(L, {"log", "--lot", "H-1", "--json"}).out);
  CHECK(lot_json.back()["event_id"] == correction_id);
  CHECK(lot_json.back()["type"] == "correction");  // English machine values

  // --from a date: that day's 00:00 at --tz, as export reads it; refused without --tz, naming it.
  auto from = run(L, {"log", "--from", "2026-09-01", "--tz", "+08:00", "--lang", "zh"});
  INFO(from.describe());
  REQUIRE(from.exited_with(0));
  CHECK(has(from.out, "采收  H-1"));
  CHECK_FALSE(has(from.out, "plant-1"));
  auto to = run(L, {"log", "--to", "2026-04-20", "--tz", "+08:00", "--json"});
  REQUIRE(to.exited_with(0));
  bool planting_listed = false;
  for (const auto& row : nlohmann::json::parse(to.out)) planting_listed = planting_listed || row["event_id"] == "plant-1";
  CHECK(planting_listed);  // --to a date includes that day
  auto no_tz = run(L, {"log", "--from", "2026-09-01", "--lang", "zh"});
  CHECK(no_tz.exited_with(2));
  CHECK(has(no_tz.err, "--from：「2026-09-01」没有时区；加 --tz +08:00"));
  CHECK_FALSE(has(no_tz.err, "UTC offset"));

  // English: the RFC 3339 times and type codes as before, the correction marked in English.
  auto en = run(L, {"log"});
  REQUIRE(en.exited_with(0));
  CHECK(has(en.out, "2026-09-25T08:00:00+08:00  harvest"));
  CHECK(has(en.out, "corrected by entry " + correction_index));
  auto j = nlohmann::json::parse(run(L, {"log", "--json", "--lang", "zh"}).out);
  CHECK(j[0].contains("event_time"));
  CHECK_FALSE(j[0].contains("corrected_by"));  // the JSON rows keep their keys
}

TEST_CASE("show and log run the full audit first: an edited derived row or entry is never shown") {
  Season s;
  const auto& L = s.L;
  const auto harvest = std::to_string(index_of(L, "H-1"));
  REQUIRE(has(run(L, {"show", "lot", "H-1", "--lang", "zh"}).out, "产出 1500 公斤"));

  // Someone with write access to the file, no key: the harvest now "made" 5 kg.
  at::sqlite3(L.path(), "UPDATE lot_flows SET amount = '5' WHERE lot_id = 'H-1' AND direction = 'in';");
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"show", "lot", "H-1", "--lang", "zh"}, {"show", harvest, "--lang", "zh"},
        {"log", "--lang", "zh"}, {"log", "--lot", "H-1", "--lang", "zh"}}) {
    auto r = run(L, args);
    INFO(r.describe());
    CHECK(r.exited_with(1));
    CHECK(r.out.empty());
    CHECK(has(r.err, args[0] + "：账本核验没有通过"));
    CHECK(has(r.err, "什么也没有显示"));
  }
  auto en = run(L, {"show", "lot", "H-1"});
  CHECK(en.exited_with(1));
  CHECK(has(en.err, "show: the ledger does not verify"));
  CHECK_FALSE(has(en.out, "5 kg made"));
}
