// What a Chinese-only clerk's trial (LANG=zh_CN.UTF-8) still met in English, through the real binary:
// CLI11's parse errors, option values typed as people type them (--format CSV, --role 记录员, --tz 8),
// an import without --format, file and key operations, verify's verdict and the verbs' --help.
//
// Claims checked (issue 16, item 1; DESIGN §8): every message a clerk reads exists in Chinese and
// English, Chinese chosen by LANG=zh_CN.* (or --lang zh); each says which option, what is allowed and
// what to do; a refusal exits 2 and writes nothing; English keeps CLI11's and the ledger's words.
#include <doctest/doctest.h>

#include <filesystem>
#include <map>

#include "tests/support/ledger_fixture.h"

namespace at = agtrace::testing;
namespace fs = std::filesystem;

namespace {

constexpr const char* kZh = "zh_CN.UTF-8";
constexpr const char* kEn = "C.UTF-8";

bool has(const std::string& haystack, const std::string& needle) { return haystack.find(needle) != std::string::npos; }

// `args` is refused (exit 2) with `zh` in the message under LANG=zh_CN.UTF-8 (one language: no
// English CLI11 words) and with `en` under C.UTF-8; the ledger stays byte for byte the same.
void refused_in_both(const at::TestLedger& L, const std::vector<std::string>& args, const std::string& zh,
                     const std::string& en) {
  const auto before = L.file_bytes();
  auto z = L.cli(args, at::in_locale(kZh));
  INFO(z.describe());
  CHECK(z.exited_with(2));
  CHECK(z.err.starts_with("错误："));
  CHECK_MESSAGE(has(z.err, zh), zh);
  for (const char* english : {"is required", "not expected", "Run with --help", " not in {", "error:"})
    CHECK_FALSE(has(z.err, english));
  auto e = L.cli(args, at::in_locale(kEn));
  INFO(e.describe());
  CHECK(e.exited_with(2));
  CHECK_MESSAGE(has(e.err, en), en);
  CHECK_FALSE(has(e.err, "错误"));
  CHECK(L.file_bytes() == before);
}

std::string jsonl_planting(const std::string& id, const std::string& lot) {
  return at::events::jsonl({at::events::planting(id, lot, "2026-04-20T08:00:00+08:00")});
}

}  // namespace

TEST_CASE("CLI11's parse errors are said in Chinese under a Chinese locale, in CLI11's English otherwise") {
  at::TestLedger L;
  const auto file = L.write_file("p.jsonl", jsonl_planting("plant-1", "PL-1"));
  const std::string key = L.clerk_key().string();

  SUBCASE("a required option") {
    refused_in_both(L, {"init", "--base-url", "https://x.example", "--log-key-out", (L.dir() / "n.key").string()},
                    "缺少 --origin：这个选项必须写", "--origin is required");
  }
  SUBCASE("a required subcommand") { refused_in_both(L, {"key"}, "缺少子命令", "A subcommand is required"); }
  SUBCASE("a value outside its set") {
    refused_in_both(L, {"import", "--key", key, "--format", "xml", file.string()},
                    "--format 不能是「xml」，只能是 csv、jsonl 或 epcis", "--format: xml is not csv, jsonl or epcis");
    refused_in_both(L, {"--lang", "fr", "log"}, "--lang 不能是「fr」，只能是 zh 或 en", "--lang: fr not in {zh,en}");
  }
  SUBCASE("an unknown option") {
    refused_in_both(L, {"log", "--frm", "2026-04-20"}, "没有选项 --frm：请检查拼写", "not expected");
  }
  SUBCASE("an extra argument: a name with a space not quoted") {
    refused_in_both(L, {"key", "gen", "--name", "clerk", "wang", "--out", (L.dir() / "w.key").string()},
                    "多出来的参数：wang", "The following argument was not expected: wang");
    CHECK_FALSE(fs::exists(L.dir() / "w.key"));
  }
  SUBCASE("an option without its value") {
    refused_in_both(L, {"import", "--key", key, file.string(), "--tz"}, "--tz 后面要写一个值", "--tz: 1 required");
  }
}

TEST_CASE("--format in either case, and inferred from the file name when not given") {
  at::TestLedger L;
  const std::string key = L.clerk_key().string();
  auto upper = L.cli({"import", "--key", key, "--format", "JSONL", L.write_file("a.jsonl", jsonl_planting("p-a", "PL-A")).string()});
  INFO(upper.describe());
  CHECK(upper.exited_with(0));
  auto inferred = L.cli({"import", "--key", key, L.write_file("b.JSONL", jsonl_planting("p-b", "PL-B")).string()});
  INFO(inferred.describe());
  CHECK(inferred.exited_with(0));
  CHECK(L.size() == at::kSetupEntries + 2);

  // A name that does not tell: refused, saying what to add.
  refused_in_both(L, {"import", "--key", key, L.write_file("c.txt", jsonl_planting("p-c", "PL-C")).string()},
                  "没有写 --format，从文件名", "no --format, and the file name");
  CHECK(L.size() == at::kSetupEntries + 2);
}

TEST_CASE("key add --role takes the Chinese words for clerk and station") {
  at::TestLedger L;
  const std::string log_key = L.log_key().string();
  auto gen_add = [&](const std::string& name, std::vector<std::string> role) {
    const auto file = L.dir() / (name + ".key");
    L.must({"key", "gen", "--name", name, "--out", file.string()});
    std::vector<std::string> args = {"key", "add", "--log-key", log_key, "--pub", file.string() + ".pub", "--role"};
    args.insert(args.end(), role.begin(), role.end());
    return L.cli(args, at::in_locale(kZh));
  };
  auto clerk = gen_add("clerk-wang", {"记录员"});
  INFO(clerk.describe());
  CHECK(clerk.exited_with(0));
  CHECK(has(clerk.out, "（记录员）"));
  auto clerk2 = gen_add("clerk-li", {"文员"});
  CHECK(clerk2.exited_with(0));
  auto station = gen_add("station-1", {"打印站", "--holder", at::kParty});
  INFO(station.describe());
  CHECK(station.exited_with(0));
  const auto keys = nlohmann::json::parse(L.must({"key", "list", "--json"}));
  std::map<std::string, std::string> roles;
  for (const auto& k : keys) roles[k["key_id"].get<std::string>().substr(0, k["key_id"].get<std::string>().find('+'))] = k["role"];
  CHECK(roles["clerk-wang"] == "clerk");
  CHECK(roles["clerk-li"] == "clerk");
  CHECK(roles["station-1"] == "station");

  L.must({"key", "gen", "--name", "boss", "--out", (L.dir() / "boss.key").string()});
  refused_in_both(L, {"key", "add", "--log-key", log_key, "--pub", (L.dir() / "boss.key.pub").string(), "--role", "老板"},
                  "--role 不能是「老板」，只能是 clerk（文员、记录员）或 station（打印站",
                  "--role: 老板 is not clerk (文员, 记录员) or station (打印站)");
}

TEST_CASE("--tz as a whole hour is +HH:00; what is no offset is refused saying how to write one") {
  at::TestLedger L;
  const auto wanted = L.must({"log", "--from", "2026-04-20", "--tz", "+08:00", "--json"});
  for (const std::string tz : {"8", "+8", "+0800", "08:00"}) {
    CAPTURE(tz);
    CHECK(L.must({"log", "--from", "2026-04-20", "--tz", tz, "--json"}) == wanted);
  }
  CHECK(L.must({"log", "--from", "2026-04-20", "--tz", "-5", "--json"}) ==
        L.must({"log", "--from", "2026-04-20", "--tz", "-05:00", "--json"}));
  refused_in_both(L, {"log", "--from", "2026-04-20", "--tz", "北京"}, "--tz 不能是「北京」：请写成 +08:00（北京时间），或只写整点 +8",
                  "--tz: '北京' is not a UTC offset; write ±HH:MM such as +08:00");
  refused_in_both(L, {"log", "--from", "2026-04-20", "--tz", "+15"}, "--tz 不能是「+15」", "'+15' is not a UTC offset");
}

TEST_CASE("file and key operations refuse in the reader's language") {
  at::TestLedger L;
  const std::string key = L.clerk_key().string();
  SUBCASE("a file that is not there") {
    const auto missing = (L.dir() / "不存在.csv").string();
    refused_in_both(L, {"import", "--key", key, "--format", "csv", missing}, "找不到文件「" + missing + "」：请检查文件名",
                    missing + ": cannot open the file: no such file");
  }
  SUBCASE("key gen over an existing key") {
    const auto before = fs::last_write_time(L.clerk_key());
    refused_in_both(L, {"key", "gen", "--name", "clerk-new", "--out", key}, "「" + key + "」已经存在：agtrace 从不覆盖密钥文件",
                    key + " already exists; agtrace never overwrites a key file");
    CHECK(fs::last_write_time(L.clerk_key()) == before);
  }
  SUBCASE("key gen --name with a space or +") {
    const auto out = (L.dir() / "wang.key").string();
    refused_in_both(L, {"key", "gen", "--name", "clerk wang", "--out", out},
                    "--name「clerk wang」不能用作密钥名：密钥名里不能有空格；可以写成 clerk-wang",
                    "--name 'clerk wang' is not a valid key name: key names have no spaces; write e.g. clerk-wang");
    refused_in_both(L, {"key", "gen", "--name", "clerk+wang", "--out", out}, "密钥名里不能有 +；可以写成 clerk-wang",
                    "key names have no '+'; write e.g. clerk-wang");
    CHECK_FALSE(fs::exists(out));
  }
  SUBCASE("export --out a folder that is not empty") {
    const auto out = L.dir() / "导出";
    fs::create_directories(out);
    L.write_file("导出/旧.txt", "old");
    refused_in_both(L, {"export", "--format", "csv", "--out", out.string()},
                    "--out " + out.string() + " 已经存在，而且不是空文件夹",
                    "--out " + out.string() + ": exists and is not an empty directory");
    CHECK(L.cli({"export", "--format", "CSV", "--out", (L.dir() / "新").string()}).exited_with(0));
  }
}

TEST_CASE("verify's verdict in the reader's language") {
  at::TestLedger L;
  auto z = L.cli({"verify"}, at::in_locale(kZh));
  INFO(z.describe());
  CHECK(z.exited_with(0));
  CHECK(has(z.out, "通过：共 6 条记录——哈希链、签名"));
  CHECK_FALSE(has(z.out, "OK"));
  auto e = L.cli({"verify"}, at::in_locale(kEn));
  CHECK(has(e.out, "OK: 6 entries — hash chain"));

  at::sqlite3(L.path(),
              "DROP TRIGGER entries_no_update; UPDATE entries SET leaf_hash = zeroblob(32) WHERE idx = 3;");
  auto zf = L.cli({"verify"}, at::in_locale(kZh));
  INFO(zf.describe());
  CHECK(zf.exited_with(1));
  CHECK(zf.err.starts_with("核验失败："));  // what kind of damage in Chinese (zh16f), then the finding
  CHECK(has(zf.err, "查到的问题：第 3 条记录"));
  CHECK(has(zf.err, "下一步：见 docs/clerk-import.md「核验不通过时」"));
  CHECK_FALSE(has(zf.err, "FAILED"));
  auto ef = L.cli({"verify"}, at::in_locale(kEn));
  CHECK(ef.exited_with(1));
  CHECK(ef.err.starts_with("FAILED: entry 3"));
  CHECK(has(ef.err, "what to do next"));
}

TEST_CASE("the top-level --help describes every verb in Chinese under a Chinese locale") {
  at::TestLedger L;
  auto z = L.cli({"--help"}, at::in_locale(kZh));
  INFO(z.describe());
  CHECK(z.exited_with(0));
  for (const char* words : {"升级到这个 agtrace 知道的最新规则版本", "记录一个事件", "全面核验账本", "签署并打印一个检查点",
                            "RFC 9162 证明", "追溯一个批次", "召回一个批次", "监管部门的离线核查", "一致的备份"})
    CHECK_MESSAGE(has(z.out, words), words);
  for (const char* english : {"move the ledger", "full audit", "walk a lot", "record a recall", "offline checks",
                              "a consistent copy", "RFC 9162 proofs\n"})
    CHECK_MESSAGE(!has(z.out, english), english);
  auto e = L.cli({"--help"}, at::in_locale(kEn));
  CHECK(has(e.out, "full audit; names the first bad entry"));
  CHECK(has(e.out, "offline checks for regulators"));
  auto audit = L.cli({"audit", "--help"}, at::in_locale(kZh));
  CHECK(has(audit.out, "不用账本核查一个导出的数据包"));
}

namespace {

constexpr const char* kHarvestHeader = "事件类型,事件编号,时间,主体编号,地点编号,采收批次,种植批次,数量,单位\r\n";

std::string harvest_row(const std::string& id, const std::string& time, const std::string& lot) {
  return "采收," + id + "," + time + "," + at::kParty + "," + at::kPlot + "," + lot + ",PL-1,100,千克\r\n";
}

std::string event_time_of(const at::TestLedger& L, const std::string& event_id) {
  for (const auto& row : L.log())
    if (row["event_id"] == event_id) return row["event_time"];
  FAIL("no entry " << event_id);
  return "";
}

}  // namespace

TEST_CASE("a Chinese date with a time is read at --tz; without --tz, or with no such time, refused in both languages") {
  at::TestLedger L;
  REQUIRE(L.record({at::events::planting("plant-1", "PL-1", "2026-04-01T08:00:00+08:00")}).exited_with(0));
  const auto size = L.size();

  const auto no_tz = L.write_file("无时区.csv", std::string(kHarvestHeader) + harvest_row("h-1", "2026年4月10日 08:00", "ST-1"));
  auto z = L.import_csv(no_tz);
  INFO(z.describe());
  CHECK(z.exited_with(2));
  CHECK(has(z.err, "「2026年4月10日 08:00」没有时区；导入时加 --tz +08:00（北京时间），或写成 2026-04-10T08:00:00+08:00"));
  auto e = L.import_csv(no_tz, {"--lang", "en"});
  CHECK(e.exited_with(2));
  CHECK(has(e.err, "\"2026年4月10日 08:00\" has no UTC offset; import with --tz +08:00 (Beijing time), or write the offset "
                   "in the cell (2026-04-10T08:00:00+08:00)"));

  const auto no_hour = L.write_file("25时.csv", std::string(kHarvestHeader) + harvest_row("h-1", "2026年4月10日25时", "ST-1"));
  auto zh = L.import_csv(no_hour, {"--tz", "+08:00"});
  CHECK(zh.exited_with(2));
  CHECK(has(zh.err, "「2026年4月10日25时」里的时间不存在（小时 0–23，分钟 0–59）；请写成 2026-04-10 08:30 这样"));
  auto en = L.import_csv(no_hour, {"--tz", "+08:00", "--lang", "en"});
  CHECK(has(en.err, "\"2026年4月10日25时\" holds no real time of day"));
  CHECK(L.size() == size);

  const auto good = L.write_file("采收.csv", std::string(kHarvestHeader) + harvest_row("h-1", "2026年4月10日 08:00", "ST-1") +
                                                 harvest_row("h-2", "2026年4月10日8时30分", "ST-2") +
                                                 harvest_row("h-3", "2026年4月11日 7点半", "ST-3"));
  auto ok = L.import_csv(good, {"--tz", "8"});
  INFO(ok.describe());
  REQUIRE(ok.exited_with(0));
  CHECK(event_time_of(L, "h-1") == "2026-04-10T08:00:00+08:00");
  CHECK(event_time_of(L, "h-2") == "2026-04-10T08:30:00+08:00");
  CHECK(event_time_of(L, "h-3") == "2026-04-11T07:30:00+08:00");

  // log --from a Chinese date (and date with time) at --tz.
  auto from_day = L.must({"log", "--from", "2026年4月11日", "--tz", "+08:00", "--json"});
  CHECK(has(from_day, "\"h-3\""));
  CHECK_FALSE(has(from_day, "\"h-2\""));
  auto from_time = L.must({"log", "--from", "2026年4月10日 8时15分", "--tz", "+08:00", "--json"});
  CHECK(has(from_time, "\"h-2\""));
  CHECK_FALSE(has(from_time, "\"h-1\""));
}

TEST_CASE("a date alone where a time is needed: the hint uses the cell's own date") {
  at::TestLedger L;
  REQUIRE(L.record({at::events::planting("plant-1", "PL-1", "2026-04-01T08:00:00+08:00")}).exited_with(0));
  const auto csv = L.write_file(
      "用药.csv", std::string("事件类型,事件编号,时间,主体编号,地点编号,种植批次,投入品类型,投入品名称,登记证号,安全间隔期（天）\r\n") +
                     "用药,in-1,2026年4月12日," + at::kParty + "," + at::kPlot + ",PL-1,农药,吡虫啉,PD20080001,7\r\n");
  auto z = L.import_csv(csv, {"--tz", "+08:00"});
  INFO(z.describe());
  CHECK(z.exited_with(2));
  CHECK(has(z.err, "「2026年4月12日」只有日期，但投入品使用事件要记到几点几分"));
  CHECK(has(z.err, "请写成 2026-04-12 08:00（改成实际的时间）"));
  auto e = L.import_csv(csv, {"--tz", "+08:00", "--lang", "en"});
  CHECK(has(e.err, "write it as 2026-04-12 08:00 (with the real time)"));
}

TEST_CASE("a column required for one value is named by its header and word; show N gives enum values in words") {
  at::TestLedger L;
  REQUIRE(L.record({at::events::planting("plant-1", "PL-1", "2026-04-01T08:00:00+08:00")}).exited_with(0));
  const auto csv = L.write_file(
      "用药.csv", std::string("事件类型,事件编号,时间,主体编号,地点编号,种植批次,投入品类型,投入品名称,登记证号\r\n") +
                     "用药,in-1,2026-04-12 08:00," + at::kParty + "," + at::kPlot + ",PL-1,农药,吡虫啉,PD20080001\r\n");
  auto z = L.import_csv(csv, {"--tz", "+08:00"});
  INFO(z.describe());
  CHECK(z.exited_with(2));
  CHECK(has(z.err, "（投入品类型为「农药」时）"));
  CHECK_FALSE(has(z.err, "input_kind 为"));
  auto e = L.import_csv(csv, {"--tz", "+08:00", "--lang", "en"});
  CHECK(has(e.err, "when input_kind is \"pesticide\""));

  REQUIRE(L.record({at::events::pesticide("in-2", "PL-1", "2026-04-12T08:00:00+08:00", 7)}).exited_with(0));
  const auto index = std::to_string(L.size() - 1);
  auto shown = L.cli({"show", index}, at::in_locale(kZh));
  INFO(shown.describe());
  CHECK(has(shown.out, "投入品类型：农药"));
  CHECK_FALSE(has(shown.out, "pesticide"));
  CHECK(has(L.must({"show", index, "--json"}), "\"input_kind\": \"pesticide\""));
}

TEST_CASE("a lot id typed with full-width letters is said to be full-width") {
  at::TestLedger L;
  REQUIRE(L.record({at::events::planting("plant-1", "PL-1", "2026-04-01T08:00:00+08:00")}).exited_with(0));
  const auto before = L.file_bytes();
  const std::string event =
      at::events::jsonl({at::events::harvest("h-1", "ST-1", "ＰＬ-1", "2026-04-10T08:00:00+08:00", "100")});
  for (const auto& [lang, want] :
       {std::pair<std::string, std::string>{"zh", "没有批次「ＰＬ-1」：批次编号里有全角字母或数字，请改成半角 PL-1"},
        {"en", "unknown lot \"ＰＬ-1\": it holds full-width characters; write it in half-width: PL-1"}}) {
    at::RunOptions options = at::in_locale();
    options.stdin_data = event;
    auto r = L.cli({"--lang", lang, "record", "--key", L.clerk_key().string(), "-"}, options);
    INFO(r.describe());
    CHECK(r.exited_with(2));
    CHECK(has(r.err, want));
  }
  CHECK(L.file_bytes() == before);
}
