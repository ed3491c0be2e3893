// What a Chinese-only clerk's trial and a co-op/buyer's trial still met in English or wrong
// (issue 16, items 1, 2 and 3), through the real binaries.
//
// Claims checked:
//   Issue 16, item 1: "Every message a clerk, operator or regulator reads — refusals, summaries,
//   reports, `--help` where practical — exists in Chinese and English; Chinese is chosen by
//   `--lang zh`, by `LANG=zh_CN.*` …; the JSON outputs keep stable English keys": init, key,
//   export and the verifier's start-up say what they did in Chinese; --help's own frame words
//   (用法、选项、必填、子命令) too, in every program; `show N` shows the entry as labelled lines.
//   Item 2: "Full-width digits are normalised (and said so once)" — the full-width comma and ｋｇ
//   too; "斤 refused with the hint" — with the cell's own number; date cells that are no day say so.
//   Item 3: a correction that would break a rule downstream is refused naming the column of the
//   quantity; the same correction twice writes nothing and says where it already is.
//   zh16j (the clerk + regulator trial): an empty file, a GB18030 sheet read without --encoding
//   (Chinese too when no language is known), `error:` before a Chinese message; re-importing the
//   old sheet after a correction names the correction in force; show lot marks entries awaiting a
//   checkpoint; the GTIN hint is the clerk's own value with its 0; a single correction said once.
// Every refusal exits 2 and leaves the ledger byte for byte the same (DESIGN §8).
#include <doctest/doctest.h>

#include <filesystem>

#include "tests/support/trial.h"

namespace at = agtrace::testing;
namespace fs = std::filesystem;
using at::has;
using at::run;
using at::index_of;
using at::HarvestSeason;
using at::csv_refused;

namespace {

constexpr const char* kHarvestHeader = "事件类型,事件编号,时间,主体编号,地点编号,采收批次,种植批次,数量,单位\r\n";

std::string harvest_row(const std::string& id, const std::string& time, const std::string& lot,
                        const std::string& quantity, const std::string& unit) {
  return "采收," + id + "," + time + "," + at::kParty + "," + at::kPlot + "," + lot + ",PL-1," + quantity + "," + unit +
         "\r\n";
}

}  // namespace

TEST_CASE("init, key gen and export say what they did in Chinese (--lang zh, LANG=zh_CN) and in English") {
  at::TestLedger L;
  const fs::path fresh = L.dir() / "new.db";
  auto init = [&](const std::vector<std::string>& extra, const std::string& lang_env, const std::string& key) {
    std::vector<std::string> args = {at::ledger_binary(), "--ledger", fresh.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    for (const char* a : {"init", "--origin", "trace.example/log", "--base-url", "https://trace.example", "--log-key-out"})
      args.push_back(a);
    args.push_back((L.dir() / key).string());
    return at::run(args, at::in_locale(lang_env));
  };
  auto zh = init({"--lang", "zh"}, "C.UTF-8", "new.key");
  INFO(zh.describe());
  REQUIRE(zh.exited_with(0));
  CHECK(has(zh.out, "已新建账本 " + fresh.string() + "（日志来源 trace.example/log）"));
  CHECK(has(zh.out, "日志密钥：" + (L.dir() / "new.key").string() + "（只让检查点签署程序读取"));
  // Again on the same path: refused in the reader's language, nothing changed.
  const auto again = init({}, "zh_CN.UTF-8", "other.key");
  CHECK(again.exited_with(2));
  CHECK(has(again.err, "错误：账本 " + fresh.string() + " 已经存在，没有改动它；请换一个路径"));
  CHECK_FALSE(fs::exists(L.dir() / "other.key"));
  const auto again_en = init({"--lang", "en"}, "zh_CN.UTF-8", "other.key");
  CHECK(has(again_en.err, "ledger " + fresh.string() + " already exists; choose another path"));
  fs::remove(fresh);
  auto en = init({}, "C.UTF-8", "en.key");
  REQUIRE(en.exited_with(0));
  CHECK(has(en.out, "created ledger " + fresh.string() + " (origin trace.example/log)"));

  // key gen: standard output stays the .pub line scripts read; what was done goes to standard error.
  auto gen = run(L, {"--lang", "zh", "key", "gen", "--name", "clerk-2", "--out", (L.dir() / "clerk-2.key").string()});
  REQUIRE(gen.exited_with(0));
  CHECK(gen.out.starts_with("clerk-2+"));
  CHECK(has(gen.err, "已生成密钥 clerk-2+"));
  CHECK(has(gen.err, "`agtrace-ledger key add --pub " + (L.dir() / "clerk-2.key").string() + ".pub`"));
  auto gen_en = run(L, {"key", "gen", "--name", "clerk-3", "--out", (L.dir() / "clerk-3.key").string()});
  CHECK(has(gen_en.err, "wrote key clerk-3+"));

  // export: the summary, the certificate register and a missing --format.
  auto exported = run(L, {"export", "--format", "csv", "--out", (L.dir() / "bundle-zh").string()}, "zh_CN.UTF-8");
  INFO(exported.describe());
  REQUIRE(exported.exited_with(0));
  CHECK(has(exported.out, "已导出 "));
  CHECK(has(exported.out, "到 " + (L.dir() / "bundle-zh").string() + "，以账本共 "));
  auto exported_en = run(L, {"export", "--format", "csv", "--out", (L.dir() / "bundle-en").string()});
  CHECK(has(exported_en.out, "exported "));
  CHECK(has(exported_en.out, " with what checks them) to " + (L.dir() / "bundle-en").string()));
  auto register_zh = run(L, {"--lang", "zh", "export", "--certificates", "--out", (L.dir() / "reg").string()});
  REQUIRE(register_zh.exited_with(0));
  CHECK(has(register_zh.out, "合格证开具记录已写入 " + (L.dir() / "reg" / "certificates.csv").string()));
  auto register_en = run(L, {"export", "--certificates", "--out", (L.dir() / "reg").string()});
  CHECK(has(register_en.out, "certificate register written to "));
  auto no_format = run(L, {"--lang", "zh", "export", "--out", (L.dir() / "x").string()});
  CHECK(no_format.exited_with(2));
  CHECK(has(no_format.err, "错误：--format：请写 csv、jsonl 或 epcis"));
  auto no_format_en = run(L, {"export", "--out", (L.dir() / "x").string()});
  CHECK(has(no_format_en.err, "error: --format: give csv, jsonl or epcis"));
}

TEST_CASE("--help in Chinese: the verbs' descriptions and CLI11's frame words, in every program") {
  at::TestLedger L;
  const std::vector<std::string> english_frame = {"Usage:", "REQUIRED", "Options:", "Subcommands:", "Positionals:",
                                                  "Print this help message"};
  auto chinese_help = [&](const at::ProcessResult& r, const std::vector<std::string>& wants) {
    INFO(r.describe());
    CHECK(r.exited_with(0));
    CHECK(has(r.out, "用法:"));
    CHECK(has(r.out, "显示这份帮助并退出"));
    for (const auto& w : wants) CHECK_MESSAGE(has(r.out, w), w);
    for (const auto& w : english_frame) CHECK_MESSAGE(!has(r.out, w), w);
  };
  chinese_help(run(L, {"--lang", "zh", "init", "--help"}),
               {"新建账本和它的日志密钥", "选项:", "必填", "文本", "印在二维码里的公开网址"});
  chinese_help(run(L, {"key", "--help"}, "zh_CN.UTF-8"), {"生成、登记和吊销签名密钥", "子命令:", "登记一个公钥"});
  chinese_help(run(L, {"key", "add", "--help", "--lang", "zh"}), {"要登记的 密钥文件.pub", "clerk（也可写 文员、记录员）"});
  chinese_help(run(L, {"log", "--help"}, "zh_CN.UTF-8"), {"按顺序列出记录", "只列这个批次的记录"});
  chinese_help(run(L, {"export", "--help"}, "zh_CN.UTF-8"), {"导出数据包", "数据包的文件夹（新的或空的）"});
  chinese_help(run(L, {"correct", "--help"}, "zh_CN.UTF-8"), {"位置参数:"});
  chinese_help(run(L, {"--help"}, "zh_CN.UTF-8"), {"农产品追溯账本。种植、用药、采收", "子命令:"});
  // English: CLI11's own words and the English descriptions.
  auto en = run(L, {"init", "--help"});
  CHECK(has(en.out, "Usage:"));
  CHECK(has(en.out, "REQUIRED"));
  CHECK(has(en.out, "create a ledger and its log key"));
  CHECK_FALSE(has(en.out, "用法"));

  // agtrace-labeler and agtrace-verifier take the locale (they have no --lang): the frame in Chinese.
  chinese_help(at::run({AGTRACE_LABELER_BIN, "print", "--help"}, at::in_locale("zh_CN.UTF-8")), {"选项:", "必填"});
  chinese_help(at::run({AGTRACE_VERIFIER_BIN, "--help"}, at::in_locale("zh_CN.UTF-8")), {"子命令:"});
  chinese_help(at::run({AGTRACE_VERIFIER_BIN, "serve", "--help"}, at::in_locale("zh_CN.UTF-8")), {"选项:", "必填"});
  auto verifier_en = at::run({AGTRACE_VERIFIER_BIN, "serve", "--help"}, at::in_locale());
  CHECK(has(verifier_en.out, "Usage:"));
  CHECK(has(verifier_en.out, "REQUIRED"));
}

TEST_CASE("the verifier's start-up: refusals and the listening line in Chinese, then English") {
  at::TestLedger L;
  const std::string scans = (L.dir() / "scans.db").string();
  auto missing = at::run({AGTRACE_VERIFIER_BIN, "serve", "--ledger", L.path().string(), "--scans", scans, "--log-pubkey",
                          (L.dir() / "nope.pub").string()},
                         at::in_locale());
  INFO(missing.describe());
  CHECK(missing.exited_with(2));
  CHECK(has(missing.err, "--log-pubkey " + (L.dir() / "nope.pub").string() + "：读不到这个文件；请给出"));
  CHECK(has(missing.err, " / --log-pubkey " + (L.dir() / "nope.pub").string() + ": cannot read it"));
  auto no_ledger = at::run({AGTRACE_VERIFIER_BIN, "serve", "--scans", scans, "--log-pubkey", L.log_key().string() + ".pub"},
                           at::in_locale());
  CHECK(no_ledger.exited_with(2));
  CHECK(has(no_ledger.err, "serve：没有账本文件；请加 --ledger 文件"));
  CHECK(has(no_ledger.err, "/ serve: no ledger file"));

  // Serving: "开始服务 URL / listening on URL" on standard output (scripts look for "listening on http://").
  at::RunOptions o = at::in_locale();
  o.timeout = std::chrono::seconds(4);
  auto served = at::run({AGTRACE_VERIFIER_BIN, "serve", "--ledger", L.path().string(), "--scans", scans, "--log-pubkey",
                         L.log_key().string() + ".pub", "--listen", "127.0.0.1:0"},
                        o);
  INFO(served.describe());
  CHECK(has(served.out, "agtrace-verifier: 开始服务 http://127.0.0.1:"));
  CHECK(has(served.out, " / listening on http://127.0.0.1:"));
}

TEST_CASE("show N in Chinese: one labelled line per field, named as the CSV columns; --json and English keep the JSON") {
  HarvestSeason s;
  const auto& L = s.L;
  const auto harvest = std::to_string(index_of(L, "H-1"));
  auto zh = run(L, {"--lang", "zh", "show", harvest});
  INFO(zh.describe());
  REQUIRE(zh.exited_with(0));
  for (const char* want : {"记录内容：", "  事件类型：采收", "  事件编号：H-1", "  时间：2026-09-25 08:00（北京时间 +08:00）",
                                  "  采收批次：H-1", "  种植批次：PL-1", "  数量：1500", "  单位：公斤",
                                  "（原始记录：agtrace-ledger show "})
    CHECK_MESSAGE(has(zh.out, want), want);
  CHECK_FALSE(has(zh.out, "\"event_id\""));
  CHECK_FALSE(has(zh.out, "KGM"));
  // A Chinese locale chooses it too; --json keeps the raw entry with English keys.
  CHECK(has(run(L, {"show", harvest}, "zh_CN.UTF-8").out, "  采收批次：H-1"));
  auto j = nlohmann::json::parse(run(L, {"--lang", "zh", "show", harvest, "--json"}).out);
  CHECK(j["entry"]["event"]["quantity"]["unit"] == "KGM");
  auto en = run(L, {"show", harvest});
  CHECK(has(en.out, "\"event_id\": \"H-1\""));
  // An entry past the end: said in the reader's language.
  const auto size = std::to_string(L.size());
  auto past = run(L, {"--lang", "zh", "show", "999"});
  CHECK(past.exited_with(2));
  CHECK(has(past.err, "错误：没有第 999 条记录：账本共 " + size + " 条，序号从 0 起"));
  CHECK(has(run(L, {"show", "999"}).err, "error: entry 999 does not exist (the log has " + size + " entries)"));
}

TEST_CASE("a day that does not exist and a lost character (U+FFFD) are refused saying what to do, in both languages") {
  HarvestSeason s;
  const auto& L = s.L;
  // A time whose day does not exist, and a date alone (harvest's grain is a day).
  auto csv = L.write_file("采收.csv",
                   std::string(kHarvestHeader) + harvest_row("h-1", "2026-02-30 08:00", "ST-1", "10", "千克") +
                       harvest_row("h-2", "2026/2/29", "ST-2", "10", "千克") +
                       harvest_row("h-3", "2026-13-01 08:00", "ST-3", "10", "千克"));
  csv_refused(L, csv,
              {"第 2 行 C 列「时间」：「2026-02-30」这一天不存在：2026 年 2 月只有 28 天；请对照原始记录改正日期",
               "第 3 行 C 列「时间」：「2026/2/29」这一天不存在：2026 年 2 月只有 28 天",
               "第 4 行 C 列「时间」：「2026-13-01」不是有效的日期"},
              {"line 2: column C \"时间\" (field event_time): \"2026-02-30\": that day does not exist (2026-02 has 28 days); "
               "check the date against the paper record",
               "line 3: column C \"时间\" (field event_time): \"2026/2/29\": that day does not exist"},
              {"--tz", "+08:00"});

  // U+FFFD in a cell: an earlier conversion lost text there; the line and the text around it are named.
  auto lost = L.write_file("丢字.csv", std::string(kHarvestHeader) + harvest_row("h-4", "2026-09-26T08:00:00+08:00", "ST-4", "10", "千克") +
                                       harvest_row("h-5", "2026-09-26T08:00:00+08:00", "神头\xEF\xBF\xBD谷", "10", "千克"));
  const auto before = L.file_bytes();
  auto zh = L.import_csv(lost, {"--lang", "zh"});
  INFO(zh.describe());
  CHECK(zh.exited_with(2));
  CHECK(has(zh.err, "错误：文件 " + lost.string() + " 第 3 行有乱码「\xEF\xBF\xBD」（"));
  CHECK(has(zh.err, "神头\xEF\xBF\xBD谷"));
  CHECK(has(zh.err, "请从原始表格重新另存为「CSV UTF-8（逗号分隔）」"));
  CHECK_FALSE(has(zh.err, "U+FFFD"));
  auto en = L.import_csv(lost, {"--lang", "en"});
  CHECK(en.exited_with(2));
  CHECK(has(en.err, lost.string() + " line 3: holds U+FFFD"));
  CHECK_FALSE(has(en.err, "乱码"));
  // No language chosen (C locale): both, Chinese first.
  auto neutral = L.import_csv(lost);
  CHECK(has(neutral.err, "乱码"));
  CHECK(has(neutral.err, "holds U+FFFD"));
  CHECK(L.file_bytes() == before);
}

TEST_CASE("full-width commas and ｋｇ are read like the half-width forms; 斤 is converted with the cell's own number") {
  HarvestSeason s;
  const auto& L = s.L;
  // ｋｇ and ＫＧ are kg, said once per cell.
  auto csv = L.write_file("采收.csv", std::string(kHarvestHeader) + harvest_row("h-1", "2026-09-25T09:00:00+08:00", "ST-1", "10", "ｋｇ") +
                                      harvest_row("h-2", "2026-09-25T09:00:00+08:00", "ST-2", "10", "ＫＧ"));
  auto r = L.import_csv(csv);
  INFO(r.describe());
  REQUIRE(r.exited_with(0));
  CHECK(has(r.err, "I 列「单位」「ｋｇ」、"));
  CHECK(has(r.err, "I 列「单位」「ＫＧ」中的全角数字和字母已按半角读入"));
  auto shown = nlohmann::json::parse(run(L, {"show", std::to_string(index_of(L, "h-2")), "--json"}).out);
  CHECK(shown["entry"]["event"]["quantity"]["unit"] == "KGM");

  // A full-width comma is a thousands separator as "1,500" is: the plain number is asked for.
  auto commas = L.write_file("逗号.csv", std::string(kHarvestHeader) + harvest_row("h-3", "2026-09-25T09:00:00+08:00", "ST-3", "１，５００", "千克") +
                                         harvest_row("h-4", "2026-09-25T09:00:00+08:00", "ST-4", "1，500", "千克"));
  csv_refused(L, commas,
              {"第 2 行 H 列「数量」：「1,500」带有千位分隔符或空格；请去掉，写成 1500",
               "第 3 行 H 列「数量」：「1,500」带有千位分隔符或空格", "H 列「数量」「１，５００」"},
              {"line 2: column H \"数量\" (field quantity.value): \"1,500\" has a thousands separator or spaces; remove "
               "them: write 1500",
               "line 3: column H \"数量\" (field quantity.value): \"1,500\""});

  // 斤: the row's own number converted, decimals included.
  auto jin = L.write_file("斤.csv", std::string(kHarvestHeader) + harvest_row("h-5", "2026-09-25T09:00:00+08:00", "ST-5", "1500", "斤") +
                                    harvest_row("h-6", "2026-09-25T09:00:00+08:00", "ST-6", "1500.5", "市斤") +
                                    harvest_row("h-7", "2026-09-25T09:00:00+08:00", "ST-7", "３", "斤"));
  csv_refused(L, jin,
              {"第 2 行 I 列「单位」：1500 斤 = 750 千克，请填 750，单位 千克（1 斤 = 0.5 千克）",
               "第 3 行 I 列「单位」：1500.5 市斤 = 750.25 千克，请填 750.25，单位 千克",
               "第 4 行 I 列「单位」：3 斤 = 1.5 千克，请填 1.5，单位 千克"},
              {"line 2: column I \"单位\" (field quantity.unit): 1500 斤 = 750 kg: write 750 with the unit 千克 (kg)",
               "1500.5 市斤 = 750.25 kg"});
}

TEST_CASE("a correction below what later events took names the quantity's column; the same correction twice writes nothing") {
  at::TestLedger L;
  REQUIRE(L.record({at::events::planting("plant-1", "PL-1", "2026-04-20T08:00:00+08:00"),
                    at::events::harvest("H-1", "H-1", "PL-1", "2026-09-25T08:00:00+08:00", "1500"),
                    at::events::packing("pack-1", "H-1", "PK-1", "2026-09-26T08:00:00+08:00", 100)})
              .exited_with(0));
  // 500 kg were packed: a correction row down to 400 kg is refused at H 列「数量」, not at 更正原因.
  auto lower = L.write_file("更正.csv", std::string("事件类型,事件编号,时间,主体编号,地点编号,采收批次,种植批次,数量,单位,更正原因\r\n") +
                                        "采收,H-1,2026-09-25T08:00:00+08:00," + at::kParty + "," + at::kPlot +
                                        ",H-1,PL-1,400,千克,称错了\r\n");
  csv_refused(L, lower, {"第 2 行 H 列「数量」：更正后批次「H-1」只有 400 千克", "先更正事件「pack-1」，或核对这里的数量"},
              {"line 2: column H \"数量\" (field replacement.quantity): after this correction lot \"H-1\" would hold only "
               "400 kg"});
  {
    auto zh = L.import_csv(lower);
    CHECK_FALSE(has(zh.err, "J 列「更正原因」："));
  }

  // agtrace-ledger correct, twice: the second time nothing is appended and the first correction is named.
  auto fixed = nlohmann::json::parse(run(L, {"show", std::to_string(index_of(L, "H-1")), "--json"}).out)["entry"]["event"];
  fixed["quantity"]["value"] = "1600";
  const auto file = L.write_file("fixed.json", fixed.dump());
  auto correct = [&](const std::string& lang) {
    return run(L, {"--lang", lang, "correct", "H-1", "--file", file.string(), "--reason", "称错了", "--key",
                   L.clerk_key().string()});
  };
  auto first = correct("zh");
  INFO(first.describe());
  REQUIRE(first.exited_with(0));
  const auto size = L.size();
  const auto row = L.log().back();
  const std::string id = row["event_id"], index = std::to_string(row["index"].get<int>());
  const auto before = L.file_bytes();
  auto again = correct("zh");
  INFO(again.describe());
  CHECK(again.exited_with(0));
  CHECK(has(again.out, "对 H-1 的这项更正以前已记录（第 " + index + " 条，更正编号 " + id + "），这次没有写入任何内容"));
  auto again_en = correct("en");
  CHECK(again_en.exited_with(0));
  CHECK(has(again_en.out, "this correction of H-1 is already recorded (entry " + index + ", correction " + id +
                              "); nothing was written"));
  CHECK(L.size() == size);
  CHECK(L.file_bytes() == before);
}

TEST_CASE("an all-or-nothing import refused for a cell also runs the rules on the other rows: every problem at once") {
  HarvestSeason s;
  const auto& L = s.L;
  // Line 2: a cell error (一千 is no number); line 3: cells fine, but harvested before PL-1 was planted (a rule);
  // line 4: good. Nothing is written, and both problems are named with their rows.
  auto csv = L.write_file("采收.csv", std::string(kHarvestHeader) + harvest_row("h-1", "2026-09-25T09:00:00+08:00", "ST-1", "一千", "千克") +
                                      harvest_row("h-2", "2026-04-01T09:00:00+08:00", "ST-2", "10", "千克") +
                                      harvest_row("h-3", "2026-09-25T09:00:00+08:00", "ST-3", "10", "千克"));
  csv_refused(L, csv, {"3 条中有 2 条没有通过，整个文件都没有记录", "第 2 行 H 列「数量」：「一千」不是数字", "第 3 行 C 列「时间」："},
              {"2 of 3 events refused; nothing was recorded", "line 2: column H \"数量\" (field quantity.value): \"一千\" is "
               "not a number", "line 3: column C \"时间\" (field event_time): "});
}

// zh16j: the file-level refusals a clerk met in English, and the prefix of a Chinese message.
TEST_CASE("an empty file, a GB18030 sheet without --encoding and an unknown lot: Chinese where the clerk reads it") {
  at::TestLedger L;
  const auto before = L.file_bytes();
  const auto empty = L.write_file("空.csv", "");
  auto zh = L.import_csv(empty, {}, at::in_locale("zh_CN.UTF-8"));
  INFO(zh.describe());
  CHECK(zh.exited_with(2));
  CHECK(has(zh.err, "错误：" + empty.string() + "：文件是空的，连表头都没有"));
  CHECK_FALSE(has(zh.err, "the file is empty"));
  auto en = L.import_csv(empty, {"--lang", "en"}, at::in_locale("zh_CN.UTF-8"));
  CHECK(en.exited_with(2));
  CHECK(has(en.err, "error: " + empty.string() + ": the file is empty; expected a header row"));

  // GB18030 bytes (事件类型 … as Excel's plain CSV saves them), no --encoding, no LANG: both languages.
  const std::string gb_header = "\xca\xc2\xbc\xfe\xc0\xe0\xd0\xcd,\xca\xc2\xbc\xfe\xb1\xe0\xba\xc5\r\n";  // 事件类型,事件编号
  const auto gb = L.write_file("采收.csv", gb_header + "\xb2\xc9\xca\xd5,H-9\r\n");                     // 采收,H-9
  at::RunOptions no_lang;
  no_lang.unset_env = {"LANG", "LC_ALL", "LC_MESSAGES", "AGTRACE_LEDGER"};
  auto unknown = L.import_csv(gb, {}, no_lang);
  INFO(unknown.describe());
  CHECK(unknown.exited_with(2));
  CHECK(has(unknown.err, "错误：文件 " + gb.string() + " 第 1 行不是 UTF-8 编码"));
  CHECK(has(unknown.err, "请加 --encoding gb18030 后重新导入"));
  CHECK(has(unknown.err, " / " + gb.string() + " line 1: invalid UTF-8"));
  CHECK(has(unknown.err, "add --encoding gb18030"));
  auto gb_zh = L.import_csv(gb, {}, at::in_locale("zh_CN.UTF-8"));
  CHECK(has(gb_zh.err, "请加 --encoding gb18030 后重新导入"));
  CHECK_FALSE(has(gb_zh.err, "add --encoding"));
  auto gb_en = L.import_csv(gb, {"--lang", "en"}, no_lang);
  CHECK(has(gb_en.err, "add --encoding gb18030"));
  CHECK_FALSE(has(gb_en.err, "请加"));

  // show lot 不存在 without LANG answers in Chinese (the lot is named in Chinese): 错误：, not error:.
  auto lot = L.cli({"show", "lot", "不存在"}, no_lang);
  CHECK(lot.exited_with(2));
  CHECK(lot.err.starts_with("错误：账本里没有批次「不存在」"));
  CHECK(L.file_bytes() == before);
}

// zh16j: the old sheet imported again after a correction is a duplicate of the original, and says
// which correction now counts, with its quantity.
TEST_CASE("re-importing the old sheet after a correction names the correction in force and its quantity") {
  at::TestLedger L;
  REQUIRE(L.record({at::events::planting("plant-1", "PL-1", "2026-04-20T08:00:00+08:00")}).exited_with(0));
  const std::string header = "事件类型,事件编号,时间,主体编号,地点编号,采收批次,种植批次,数量,单位";
  const std::string row = std::string("采收,H-1,2026-09-25T08:00:00+08:00,") + at::kParty + "," + at::kPlot + ",H-1,PL-1,";
  const auto sheet = L.write_file("采收.csv", header + "\r\n" + row + "1500,千克\r\n");
  REQUIRE(L.import_csv(sheet).exited_with(0));
  const auto original = std::to_string(index_of(L, "H-1"));
  // Before any correction: the plain duplicate line.
  auto plain = L.import_csv(sheet);
  CHECK(has(plain.out, "H-1 以前已记录（第 " + original + " 条），没有变化\n"));
  const auto fix = L.write_file("更正.csv", header + ",更正原因\r\n" + row + "1400,千克,称错了\r\n");
  REQUIRE(L.import_csv(fix).exited_with(0));
  const auto correction = std::to_string(L.log().back()["index"].get<std::uint64_t>());
  const auto before = L.file_bytes();
  auto again = L.import_csv(sheet);
  INFO(again.describe());
  CHECK(again.exited_with(0));
  CHECK(has(again.out, "H-1 以前已记录（第 " + original + " 条），没有变化；现行以第 " + correction + " 条更正为准：1400 公斤"));
  auto again_en = L.import_csv(sheet, {"--lang", "en"});
  CHECK(has(again_en.out, "H-1 already recorded at entry " + original + " (no change); the correction at entry " +
                              correction + " is in force: 1400 kg"));
  CHECK(L.file_bytes() == before);

  // show N of the original says the one correction once.
  auto shown = run(L, {"show", original, "--lang", "zh"});
  CHECK(has(shown.out, "已被第 " + correction + " 条更正（以那里的替代记录为准）"));
  CHECK_FALSE(has(shown.out, "现行："));
}

// zh16j: show lot marks what is not yet under a signed checkpoint, as log --lot does.
TEST_CASE("show lot marks entries awaiting a checkpoint (等待检查点), in Chinese and English") {
  HarvestSeason s;
  REQUIRE(s.L.record({at::events::storage("S-1", "H-1", "2026-09-26T08:00:00+08:00")}, false).exited_with(0));
  auto zh = run(s.L, {"show", "lot", "H-1"}, "zh_CN.UTF-8");
  INFO(zh.describe());
  CHECK(has(zh.out, "S-1  （等待检查点）\n"));
  CHECK_FALSE(has(zh.out, "H-1  （等待检查点）"));  // the harvest is under the checkpoint
  auto en = run(s.L, {"show", "lot", "H-1", "--lang", "en"});
  CHECK(has(en.out, "S-1  (awaiting checkpoint)\n"));
  REQUIRE(s.L.cli({"checkpoint", "--log-key", s.L.log_key().string()}).exited_with(0));
  CHECK_FALSE(has(run(s.L, {"show", "lot", "H-1"}, "zh_CN.UTF-8").out, "等待检查点"));
}

// zh16j: the GTIN hint gives the clerk's own value with the 0 Excel dropped; key gen names 管理员.
TEST_CASE("a GTIN without its leading 0 is answered with the clerk's own value; key gen says 管理员") {
  at::TestLedger L;
  const auto products = L.write_file("产品.csv", std::string("事件类型,事件编号,时间,产品编号,产品名称,GTIN,所属主体,区域公用品牌\r\n") +
                                                "产品,pr-1,2024-03-01T09:00:00+08:00,PR-1,小米,6901234567915," +
                                                at::kParty + ",神头红\r\n");
  csv_refused(L, products, {"「6901234567915」不是 14 位的 GTIN：Excel 去掉了开头的 0；请把这一列设成「文本」格式，再填 06901234567915"},
              {"type 06901234567915"});
  {
    auto zh = L.import_csv(products);
    CHECK_FALSE(has(zh.err, "06901234567892"));
  }
  auto gen = run(L, {"key", "gen", "--name", "clerk-x", "--out", (L.dir() / "x.key").string()}, "zh_CN.UTF-8");
  INFO(gen.describe());
  CHECK(gen.exited_with(0));
  CHECK(has(gen.err, "交给管理员"));
  CHECK_FALSE(has(gen.err, "日志密钥持有人"));
}
