// What a Chinese-only clerk's and a market inspector's trials still met in English (issue 16,
// item 1, branch zh16g), through the real binary.
//
// Claims checked:
//   Issue 16, item 1: "Every message a clerk, operator or regulator reads — refusals, summaries,
//   reports, `--help` where practical — exists in Chinese and English; Chinese is chosen by
//   `--lang zh`, by `LANG=zh_CN.*`, and by default when the input's headers are Chinese …
//   Regulator reports (recall, trace, export summaries, verify) show times in the event's own
//   offset or Beijing time, labelled": an unreadable 时间 cell; trace and recall (console, report
//   files, refusals); the option texts of --help; audit verify-bundle's verdicts; checkpoint's
//   rollback refusal; the file-level import errors (GB18030, a quote in an unquoted cell); the
//   import's note on checkpoints and the doc sections it names; show N in the sheet's column order.
//   zh16i: trace and recall show a packing's quantities (input 公斤 → output 件 × 每件规格) in words;
//   recall.csv says each row's kind in Chinese too, in its last column.
//   zh16j (the clerk + regulator trial): audit consistency's verdicts and refusals, backup, the
//   audit's findings after 核验失败, export's --from without --tz — one language each, roots in
//   base64; trace and recall name parties by id and name; recall.csv has each shipment's time; a
//   date-only harvest is shown as its date.
// Every refusal exits 2 (a failed check 1) and leaves the ledger byte for byte the same (DESIGN §8).
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "tests/support/trial.h"

namespace at = agtrace::testing;
namespace fs = std::filesystem;
using at::has;
using at::run;
using at::read_file;
using at::HarvestSeason;

TEST_CASE("an unreadable 时间 cell is refused in Chinese with the forms that are read, and the date-only note") {
  HarvestSeason s;
  const auto before = s.L.file_bytes();
  for (const std::string cell : {"9/25/2026", "20261009", "2026年10月9号", "2026年10月9日 下午3点", "10月9日"}) {
    CAPTURE(cell);
    const auto harvest = s.L.write_file("采收.csv", "事件类型,事件编号,时间,主体编号,地点编号,采收批次,种植批次,数量,单位\r\n"
                                                   "采收,H-2," + cell + "," + at::kParty + "," + at::kPlot +
                                                   ",H-2,PL-1,10,千克\r\n");
    for (const bool tz : {true, false}) {
      auto r = s.L.import_csv(harvest, tz ? std::vector<std::string>{"--tz", "+08:00"} : std::vector<std::string>{});
      INFO(r.describe());
      CHECK(r.exited_with(2));
      CHECK(has(r.err, "采收.csv 第 2 行 C 列「时间」：「" + cell + "」不是能读懂的时间；请写成 2026年9月25日 8:30、"));
      CHECK(has(r.err, "下午3点写 15:00"));
      CHECK(has(r.err, "采收事件也可以只填日期（如 2026年9月25日"));
      CHECK_FALSE(has(r.err, "is not a date-time"));
    }
    auto en = s.L.import_csv(harvest, {"--lang", "en", "--tz", "+08:00"});
    CHECK(en.exited_with(2));
    CHECK(has(en.err, "\"" + cell + "\" is not a date-time this import understands; write 2026-09-25 08:30"));
    CHECK(has(en.err, "a harvest event may also give just its date"));
    // Storage needs its time of day: the note says which events may give a date alone.
    const auto storage = s.L.write_file("贮藏.csv", "事件类型,事件编号,时间,主体编号,地点编号,批次,开始时间\r\n贮藏,S-1," + cell +
                                                    "," + at::kParty + "," + at::kColdStore + ",H-1,2026-09-26 08:00\r\n");
    auto st = s.L.import_csv(storage, {"--tz", "+08:00"});
    INFO(st.describe());
    CHECK(st.exited_with(2));
    CHECK(has(st.err, "不是能读懂的时间"));
    CHECK(has(st.err, "只有种植、采收、包装可以只填日期（如 2026年9月25日）"));
  }
  CHECK(s.L.file_bytes() == before);
}

TEST_CASE("trace answers in Chinese, times labelled; its refusals too") {
  HarvestSeason s;
  auto zh = run(s.L, {"trace", "H-1", "--backward"}, "zh_CN.UTF-8");
  INFO(zh.describe());
  CHECK(zh.exited_with(0));
  CHECK(zh.out.starts_with("来源追溯：从批次 H-1 起（全部来龙去脉）\n"));
  CHECK(has(zh.out, "2026-09-25 08:00（北京时间 +08:00）  采收"));
  CHECK(has(zh.out, "1500 公斤"));
  CHECK(has(zh.out, "地块：1 个\n  PLOT-1（种植批次 PL-1，主体 P-COOP（章丘大葱专业合作社），第 "));
  CHECK(has(zh.out, "农药使用：0 次"));
  CHECK_FALSE(has(zh.out, "trace"));
  CHECK_FALSE(has(zh.out, "created by"));
  auto en = run(s.L, {"trace", "H-1", "--forward", "--lang", "en"}, "zh_CN.UTF-8");
  CHECK(en.exited_with(0));
  CHECK(en.out.starts_with("Forward trace from lot H-1 (whole lineage)\n"));
  CHECK(has(en.out, "2026-09-25 08:00 (Beijing time, +08:00)"));
  CHECK(has(en.out, "shipments: 0"));

  auto neither = run(s.L, {"trace", "H-1", "--lang", "zh"});
  CHECK(neither.exited_with(2));
  CHECK(has(neither.err, "trace：请在 --forward（去向"));
  auto unknown = run(s.L, {"trace", "H-9", "--backward"}, "zh_CN.UTF-8");
  CHECK(unknown.exited_with(2));
  CHECK(has(unknown.err, "账本里没有批次、GS1 批次码或追溯码「H-9」"));
  auto unknown_en = run(s.L, {"trace", "H-9", "--backward"});
  CHECK(unknown_en.exited_with(2));
  CHECK(has(unknown_en.err, "LOT|SERIAL \"H-9\": no lot, GS1 lot code or trace code of that name is recorded"));
}

TEST_CASE("recall reports in Chinese (console, recall.txt, recall.csv), and refuses a second recall in Chinese") {
  HarvestSeason s;
  const fs::path out = s.L.dir() / "召回报告";
  auto r = run(s.L, {"recall", "--key", s.L.clerk_key().string(), "H-1", "--reason", "农残超标", "--party", at::kParty,
                    "--out", out.string()},
               "zh_CN.UTF-8");
  INFO(r.describe());
  REQUIRE(r.exited_with(0));
  CHECK(has(r.out, "召回 "));
  CHECK(has(r.out, "原因：农残超标\n召回批次：H-1\n"));
  CHECK(has(r.out, "（北京时间 +08:00）"));
  CHECK(has(r.out, "受影响的批次：1 个\n  H-1 ["));
  CHECK(has(r.out, "产量 1500 公斤；已发出 -"));
  CHECK(has(r.out, "报告：" + out.string() + "（recall.txt 文字报告"));
  CHECK_FALSE(has(r.out, "affected lots"));
  // No --log-key: who signs the checkpoint, where no checkpoint service runs.
  CHECK(has(r.err, "没有部署的，请日志密钥持有人运行 agtrace-ledger checkpoint --log-key 日志密钥文件"));
  CHECK(read_file(out / "recall.txt") == r.out.substr(0, r.out.find("报告：")));
  const std::string csv = read_file(out / "recall.csv");
  CHECK(has(csv, "\r\nlot,"));                     // the kind column keeps its stable code
  CHECK(has(csv, ",产量 1500 公斤；已发出 -,"));
  CHECK_FALSE(has(csv, "made "));
  // The kind in Chinese, last, for a regulator reading it in Excel (zh16i); in English mode too.
  CHECK(has(csv, ",kind (Chinese) 类别（中文）,time 时间\r\nrecall,"));
  CHECK(has(csv, ",召回,"));
  CHECK(has(csv, ",批次,\r\n"));

  const auto before = s.L.file_bytes();
  auto again = run(s.L, {"recall", "--key", s.L.clerk_key().string(), "H-1", "--reason", "再次", "--party", at::kParty}, "zh_CN.UTF-8");
  CHECK(again.exited_with(2));
  CHECK(has(again.err, "LOT H-1：已在召回中（"));
  CHECK(has(again.err, "北京时间"));
  CHECK(has(again.err, "原因：农残超标），这次没有记录；要改那次召回，请记录对它的更正"));
  auto again_en = run(s.L, {"recall", "--key", s.L.clerk_key().string(), "H-1", "--reason", "again", "--party", at::kParty});
  CHECK(again_en.exited_with(2));
  CHECK(has(again_en.err, "LOT H-1: already under recall by "));
  CHECK(s.L.file_bytes() == before);
}

// zh16i: a packing turns kilograms into pieces; trace and recall show both sides of it.
TEST_CASE("trace and recall show a packing's quantities in words: input 公斤 → output 件 × 每件规格") {
  HarvestSeason s;
  REQUIRE(s.L.record({at::events::packing("pack-1", "H-1", "K-1", "2026-09-26T09:00:00+08:00", 40)}).exited_with(0));

  auto zh = run(s.L, {"trace", "H-1", "--forward"}, "zh_CN.UTF-8");
  INFO(zh.describe());
  REQUIRE(zh.exited_with(0));
  CHECK(has(zh.out, "包装"));
  CHECK(has(zh.out, " pack-1 投入 200 公斤 → 产出 40 件 × 每件 5 公斤\n"));
  auto en = run(s.L, {"trace", "K-1", "--backward", "--lang", "en"});
  REQUIRE(en.exited_with(0));
  CHECK(has(en.out, "packing            pack-1 input 200 kg → 40 pieces × 5 kg each\n"));  // as the other lines

  const fs::path out = s.L.dir() / "召回报告";
  auto r = run(s.L, {"recall", "--key", s.L.clerk_key().string(), "H-1", "--descendants", "--reason", "农残超标",
                    "--party", at::kParty, "--out", out.string()},
               "zh_CN.UTF-8");
  INFO(r.describe());
  REQUIRE(r.exited_with(0));
  CHECK(has(r.out, "  K-1 [K-1] 产品 SCALLION，包装；产量 40 件；已发出 -\n    包装自批次 H-1：投入 200 公斤 → 产出 40 件 × 每件 5 公斤\n"));
  CHECK(has(read_file(out / "recall.txt"), "包装自批次 H-1：投入 200 公斤 → 产出 40 件 × 每件 5 公斤"));
  CHECK(has(read_file(out / "recall.csv"), "\r\nlot,K-1,K-1,包装 SCALLION,产量 40 件；已发出 -；包装：投入 200 公斤 → 产出 40 件 × 每件 5 公斤,,,,,批次,\r\n"));
  // The harvested lot, made otherwise, says no packing.
  CHECK(has(r.out, "  H-1 [H-1] 产品 SCALLION，采收；产量 1500 公斤；已发出 -\n  K-1"));
  const auto report = nlohmann::json::parse(read_file(out / "recall.json"));
  for (const auto& lot : report["lots"])
    if (lot["lot"] == "K-1") {
      CHECK(lot["packing"] == nlohmann::json{{"input_lot", "H-1"}, {"input_quantity", {{"value", "200"}, {"unit", "KGM"}}},
                                             {"count", 40}, {"pack_size", {{"value", "5"}, {"unit", "KGM"}}}});
    } else {
      CHECK_FALSE(lot.contains("packing"));
    }
}

TEST_CASE("--help of trace, recall, verify, checkpoint, proof, audit, record, upgrade and backup describes each option in Chinese") {
  at::TestLedger L;
  const std::vector<std::pair<std::vector<std::string>, std::vector<std::string>>> verbs = {
      {{"trace"}, {"批次编号、GS1 批次码或追溯码", "查去向", "查来源", "最多查 N 步", "以 JSON 输出"}},
      {{"recall"}, {"召回原因", "同时召回用它做成的所有批次", "放报告文件的文件夹", "以 CSV 表格输出报告"}},
      {{"verify"}, {"以前保存的检查点"}},
      {{"checkpoint"}, {"签署程序在它旁边记住上次签的检查点"}},
      {{"proof", "inclusion"}, {"记录的序号", "用账本大小为这个数的已存检查点"}},
      {{"proof", "consistency"}, {"先前的账本大小", "后来的账本大小"}},
      {{"audit", "verify-bundle"}, {"数据包所在的文件夹", "日志公钥文件"}},
      {{"audit", "consistency"}, {"先保存的检查点", "换过日志密钥的，每把都给一次"}},
      {{"record"}, {"事件文件（JSON）", "记录正确的事件"}},
      {{"upgrade"}, {"原因，写进这条记录"}},
      {{"backup"}, {"要新建的备份文件"}},
  };
  for (const auto& [verb, words] : verbs) {
    auto args = verb;
    args.push_back("--help");
    auto zh = run(L, args, "zh_CN.UTF-8");
    INFO(zh.describe());
    CHECK(zh.exited_with(0));
    for (const auto& w : words) CHECK_MESSAGE(has(zh.out, w), w);
    for (const char* english : {"where it went", "the bundle's directory", "entry index", "old tree size",
                                "the log key file", "event file", "JSON output", "the backup file"})
      CHECK_MESSAGE(!has(zh.out, english), english);
  }
  auto en = run(L, {"trace", "--help"});
  CHECK(has(en.out, "where it came from: source lots, plots, inputs applied"));
}

TEST_CASE("audit verify-bundle gives its verdict in Chinese: OK, a changed file, an unreadable manifest") {
  HarvestSeason s;
  const fs::path bundle = s.L.dir() / "bundle";
  REQUIRE(run(s.L, {"export", "--format", "csv", "--out", bundle.string()}).exited_with(0));
  const std::string pub = s.L.log_key().string() + ".pub";
  auto ok = run(s.L, {"audit", "verify-bundle", bundle.string(), "--pubkey", pub}, "zh_CN.UTF-8");
  INFO(ok.describe());
  CHECK(ok.exited_with(0));
  CHECK(ok.out.starts_with("通过："));
  CHECK(has(ok.out, " 个文件；"));
  CHECK(has(ok.out, "派生文件和清单重新生成后完全一致"));
  auto ok_en = run(s.L, {"audit", "verify-bundle", bundle.string(), "--pubkey", pub});
  CHECK(ok_en.out.starts_with("OK: "));
  CHECK(has(ok_en.out, " files; "));

  std::ofstream(bundle / "events.csv", std::ios::app) << "x";
  auto changed = run(s.L, {"audit", "verify-bundle", bundle.string(), "--pubkey", pub, "--lang", "zh"});
  INFO(changed.describe());
  CHECK(changed.exited_with(1));
  CHECK(has(changed.err, "核验失败：events.csv：SHA-256 和 manifest.json 里记的不同（文件被改过）"));
  CHECK(has(changed.err, "这个数据包不可信"));
  auto changed_en = run(s.L, {"audit", "verify-bundle", bundle.string(), "--pubkey", pub});
  CHECK(changed_en.exited_with(1));
  CHECK(has(changed_en.err, "FAILED: events.csv: its SHA-256 differs from the one in manifest.json"));
  // --json keeps the stable English text.
  auto changed_json = run(s.L, {"audit", "verify-bundle", bundle.string(), "--pubkey", pub, "--json"}, "zh_CN.UTF-8");
  CHECK(has(changed_json.out, "its SHA-256 differs"));

  fs::remove(bundle / "manifest.json");
  auto unreadable = run(s.L, {"audit", "verify-bundle", bundle.string(), "--pubkey", pub}, "zh_CN.UTF-8");
  INFO(unreadable.describe());
  CHECK(unreadable.exited_with(1));
  CHECK(has(unreadable.err, "核验失败：manifest.json：读不出来"));
}

TEST_CASE("checkpoint refuses a rolled-back ledger in Chinese, naming the Chinese doc section") {
  HarvestSeason s;
  const fs::path old_copy = s.L.dir() / "old.db";
  at::copy_ledger(s.L.path(), old_copy);
  REQUIRE(s.L.record({at::events::storage("store-1", "H-1", "2026-09-26T08:00:00+08:00")}).exited_with(0));
  at::copy_ledger(old_copy, s.L.path());
  const auto before = s.L.file_bytes();
  auto r = run(s.L, {"checkpoint", "--log-key", s.L.log_key().string()}, "zh_CN.UTF-8");
  INFO(r.describe());
  CHECK(r.exited_with(1));
  CHECK(has(r.err, "核验失败："));
  CHECK(has(r.err, "账本被回退或分叉过"));
  CHECK(has(r.err, "docs/clerk-import.md「核验不通过时」"));
  CHECK(s.L.file_bytes() == before);
  auto en = run(s.L, {"checkpoint", "--log-key", s.L.log_key().string()});
  CHECK(en.exited_with(1));
  CHECK(has(en.err, "the ledger was rolled back or forked since"));
}

TEST_CASE("the file-level import refusals are Chinese: bytes that are no GB18030, a quote inside an unquoted cell") {
  HarvestSeason s;
  const auto before = s.L.file_bytes();
  const auto gb = s.L.write_file("gb.csv", std::string("type,event_id\r\nharvest,\xFF\xFF\r\n"));
  auto r = s.L.import_csv(gb, {"--encoding", "gb18030", "--lang", "zh"});
  INFO(r.describe());
  CHECK(r.exited_with(2));
  CHECK(has(r.err, "第 2 行有 GB18030 里没有的字节（字节位置 23：0xFF），整个文件都没有记录"));
  auto gb_en = s.L.import_csv(gb, {"--encoding", "gb18030"});
  CHECK(has(gb_en.err, "line 2: invalid GB18030 at byte offset 23: byte 0xFF does not start a valid character"));

  const auto quote = s.L.write_file("采收.csv", "事件类型,事件编号,时间\r\n采收,H\"2,2026-09-25 08:00\r\n");
  auto q = s.L.import_csv(quote);
  INFO(q.describe());
  CHECK(q.exited_with(2));
  CHECK(has(q.err, "第 2 行第 2 格：格里有英文双引号 \"，但整格没有用双引号括起来"));
  auto q_en = s.L.import_csv(quote, {"--lang", "en"});
  CHECK(has(q_en.err, "line 2: field 2: '\"' inside an unquoted field"));
  CHECK(s.L.file_bytes() == before);
}

TEST_CASE("an import without --log-key says who signs the checkpoint where no checkpoint service runs") {
  HarvestSeason s;
  const auto csv = s.L.write_file("采收.csv", std::string("事件类型,事件编号,时间,主体编号,地点编号,采收批次,种植批次,数量,单位\r\n") +
                                                "采收,H-2,2026-09-26 08:00," + at::kParty + "," + at::kPlot +
                                                ",H-2,PL-1,10,千克\r\n");
  auto r = s.L.import_csv(csv, {"--tz", "+08:00"});
  INFO(r.describe());
  CHECK(r.exited_with(0));
  CHECK(has(r.err, "部署了检查点服务的（docs/deploy.md），几分钟内会自动签署"));
  CHECK(has(r.err, "请日志密钥持有人运行 agtrace-ledger checkpoint --log-key 日志密钥文件 签署（见 docs/clerk-import.md「检查点」）"));
  CHECK_FALSE(has(r.err, "无需日志密钥"));
  // The Chinese sections the messages name exist in the guide.
  const std::string guide = read_file(fs::path(AGTRACE_SOURCE_DIR) / "docs" / "clerk-import.md");
  for (const char* section : {"### 检查点\n", "### 核验不通过时\n", "### 账本和密钥\n"}) CHECK_MESSAGE(has(guide, section), section);
}

TEST_CASE("show N lists a clerk's fields in the order of the sheet's header; columns 加工 names the units once") {
  HarvestSeason s;
  std::uint64_t index = 0;
  for (const auto& row : s.L.log())
    if (row["event_id"] == "H-1") index = row["index"];
  auto r = run(s.L, {"show", std::to_string(index)}, "zh_CN.UTF-8");
  INFO(r.describe());
  REQUIRE(r.exited_with(0));
  std::size_t at = 0;
  for (const char* label : {"  事件类型：", "  事件编号：", "  时间：", "  主体编号：", "  地点编号：", "  采收批次：", "  种植批次：",
                            "  数量：", "  单位："}) {
    const std::size_t found = r.out.find(label, at);
    CHECK_MESSAGE(found != std::string::npos, label);
    if (found != std::string::npos) at = found;
  }

  auto columns = run(s.L, {"columns", "加工"}, "zh_CN.UTF-8");
  const std::size_t unit_line = columns.out.find("单位 / unit");
  REQUIRE(unit_line != std::string::npos);
  const std::string line = columns.out.substr(unit_line, columns.out.find('\n', unit_line) - unit_line);
  CHECK(line.find("毫升") == line.rfind("毫升"));  // the accepted units once
  CHECK(has(line, "列的单位：千克"));
  CHECK(has(line, "斤要换算"));
}

TEST_CASE("correct --file: a refused field is named by its column's Chinese header; a correction's type in words") {
  HarvestSeason s;
  auto fixed = at::events::harvest("H-1", "H-1", "PL-1", "2026-09-25T08:00:00+08:00", "1500");
  fixed["quantity"] = {{"value", "-5"}, {"unit", "KGM"}};
  const auto file = s.L.write_file("fixed.json", fixed.dump());
  const auto before = s.L.file_bytes();
  auto r = run(s.L, {"correct", "H-1", "--file", file.string(), "--reason", "数量写错", "--key", s.L.clerk_key().string()});
  INFO(r.describe());
  CHECK(r.exited_with(2));
  CHECK(has(r.err, "「数量」："));
  CHECK_FALSE(has(r.err, "field replacement."));
  auto en = run(s.L, {"correct", "H-1", "--file", file.string(), "--reason", "typo", "--key", s.L.clerk_key().string()});
  CHECK(en.exited_with(2));
  CHECK(has(en.err, "\"quantity\" (field replacement.quantity"));
  CHECK(s.L.file_bytes() == before);
}

TEST_CASE("agtrace-labeler --help describes every verb and option in Chinese under a Chinese locale") {
  const std::vector<std::pair<std::string, std::vector<std::string>>> verbs = {
      {"print", {"为一个包装批次新分配 N 个追溯码", "工作站签名密钥（已在账本登记）", "标签张数", "网络打印机", "不显示进度条",
                 "全局选项：--ledger 账本文件"}},
      {"reprint", {"重新打印已有的追溯码", "扫码枪输入的样子"}},
      {"void", {"登记打坏的标签", "在产线上撕坏了"}},
      {"jobs", {"标签没有全部确认的打印任务", "逐个列出这些任务"}},
      {"preview", {"按一个事实文件打印样张", "样张张数"}},
      {"certificate", {"承诺达标合格证", "合格证编号", "合格证模板"}},
  };
  for (const auto& [verb, words] : verbs) {
    auto zh = at::run({AGTRACE_LABELER_BIN, verb, "--help"}, at::in_locale("zh_CN.UTF-8"));
    INFO(zh.describe());
    CHECK(zh.exited_with(0));
    for (const auto& w : words) CHECK_MESSAGE(has(zh.out, w), w);
    for (const char* english : {"station signing key", "trace codes, or", "a file (an existing", "Global:", "no progress bar"})
      CHECK_MESSAGE(!has(zh.out, english), english);
  }
  auto en = at::run({AGTRACE_LABELER_BIN, "print", "--help"}, at::in_locale("C.UTF-8"));
  CHECK(has(en.out, "station signing key (registered in the ledger)"));
  CHECK(has(en.out, "Global: --ledger FILE"));
}

// zh16j: `audit consistency` in one language — Chinese under zh, English under en — for every
// verdict and refusal; a forged proof names the checkpoints' roots in base64, as they show them.
TEST_CASE("audit consistency answers in the reader's language; a forged proof names base64 roots") {
  at::TestLedger L;
  const std::string pub = L.log_key().string() + ".pub";
  REQUIRE(L.record({at::events::planting("plant-1", "PL-1", "2026-04-20T08:00:00+08:00")}).exited_with(0));
  const std::string old_text = L.checkpoint();
  const auto old_cp = L.write_file("旧.txt", old_text);
  const auto old_size = std::to_string(L.size());
  REQUIRE(L.record({at::events::planting("plant-2", "PL-2", "2026-04-21T08:00:00+08:00")}).exited_with(0));
  const std::string new_text = L.checkpoint();
  const auto new_cp = L.write_file("新.txt", new_text);
  const auto new_size = std::to_string(L.size());
  const std::string proof_text = L.must({"proof", "consistency", old_size, new_size});
  const auto proof = L.write_file("p.json", proof_text);
  // A checkpoint's body: origin, size, root (base64) — the root is its third line.
  auto root_of = [](const std::string& cp) {
    auto first = cp.find('\n'), second = cp.find('\n', first + 1);
    return cp.substr(second + 1, cp.find('\n', second + 1) - second - 1);
  };
  auto audit = [&](const fs::path& o, const fs::path& n, const fs::path& p, const std::string& lang_env,
                   const std::string& key) {
    return at::run({at::ledger_binary(), "audit", "consistency", "--old", o.string(), "--new", n.string(), "--proof",
                    p.string(), "--pubkey", key},
                   at::in_locale(lang_env));
  };

  auto ok = audit(old_cp, new_cp, proof, "zh_CN.UTF-8", pub);
  INFO(ok.describe());
  CHECK(ok.exited_with(0));
  CHECK(ok.out.starts_with("一致："));
  CHECK(has(ok.out, " 大小为 " + new_size + " 的检查点延续了大小为 " + old_size + " 的检查点"));
  CHECK_FALSE(has(ok.out, "OK"));
  auto ok_en = audit(old_cp, new_cp, proof, "C.UTF-8", pub);
  CHECK(ok_en.exited_with(0));
  CHECK(has(ok_en.out, "OK: the checkpoint of size " + new_size));
  CHECK_FALSE(has(ok_en.out, "一致"));

  auto forged = nlohmann::json::parse(proof_text);
  std::string h = forged["hashes"][0];
  h[0] = h[0] == 'A' ? 'B' : 'A';
  forged["hashes"][0] = h;
  const auto forged_file = L.write_file("forged.json", forged.dump());
  auto bad = audit(old_cp, new_cp, forged_file, "zh_CN.UTF-8", pub);
  INFO(bad.describe());
  CHECK(bad.exited_with(1));
  CHECK(has(bad.err, "不一致：这份一致性证明"));
  CHECK(has(bad.err, "（根 " + root_of(old_text) + "）"));
  CHECK(has(bad.err, "（根 " + root_of(new_text) + "）"));
  CHECK_FALSE(has(bad.err, "leads to root"));
  auto bad_en = audit(old_cp, new_cp, forged_file, "C.UTF-8", pub);
  CHECK(bad_en.exited_with(1));
  CHECK(has(bad_en.err, "FAILED: the consistency proof"));
  CHECK(has(bad_en.err, "(root " + root_of(new_text) + ")"));
  CHECK_FALSE(has(bad_en.err, "不一致"));

  auto sizes = nlohmann::json::parse(proof_text);
  sizes["old_size"] = std::stoi(old_size) - 1;
  const auto sizes_file = L.write_file("sizes.json", sizes.dump());
  auto wrong = audit(old_cp, new_cp, sizes_file, "zh_CN.UTF-8", pub);
  CHECK(wrong.exited_with(2));
  CHECK(has(wrong.err, "错误：--proof " + sizes_file.string() + " 是大小 "));
  CHECK_FALSE(has(wrong.err, "is between"));
  CHECK(has(audit(old_cp, new_cp, sizes_file, "C.UTF-8", pub).err, "error: --proof " + sizes_file.string() + " is between sizes"));

  auto swapped = audit(new_cp, old_cp, proof, "zh_CN.UTF-8", pub);
  CHECK(swapped.exited_with(2));
  CHECK(has(swapped.err, "错误：--old 的大小是 " + new_size + "，--new 的大小是 " + old_size));
  CHECK(has(audit(new_cp, old_cp, proof, "C.UTF-8", pub).err, "error: --old has size " + new_size));

  at::TestLedger other;
  const std::string other_pub = other.log_key().string() + ".pub";
  auto foreign = audit(old_cp, new_cp, proof, "zh_CN.UTF-8", other_pub);
  CHECK(foreign.exited_with(1));
  CHECK(has(foreign.err, "不一致：--old " + old_cp.string() + "：给出的日志公钥都没有签过这个检查点"));
  CHECK_FALSE(has(foreign.err, "signed by none"));
  CHECK(has(audit(old_cp, new_cp, proof, "C.UTF-8", other_pub).err, "FAILED: --old " + old_cp.string() +
                                                                          ": signed by none of the given log keys"));
}

// zh16j: backup's summary, the audit's findings after 核验失败 (a saved checkpoint the file no
// longer reaches), export's --from without --tz: one language each.
TEST_CASE("backup, a verify against a later saved checkpoint and export --from without --tz: Chinese or English") {
  HarvestSeason s;
  const fs::path zh_out = s.L.dir() / "备份.db";
  auto b = run(s.L, {"backup", "--out", zh_out.string()}, "zh_CN.UTF-8");
  INFO(b.describe());
  CHECK(b.exited_with(0));
  const auto entries = std::to_string(s.L.size());
  CHECK(has(b.out, "已备份到 " + zh_out.string() + "：" + entries + " 条记录全部核验通过；最新的检查点包括 " + entries + " 条"));
  CHECK_FALSE(has(b.out, "verified"));
  auto b_en = run(s.L, {"backup", "--out", (s.L.dir() / "b.db").string()});
  CHECK(b_en.exited_with(0));
  CHECK(has(b_en.out, "backup " + (s.L.dir() / "b.db").string() + ": " + entries + " entries verified"));

  // The file before the last entries, checked against the checkpoint saved after them.
  const fs::path old_copy = s.L.dir() / "旧副本.db";
  at::copy_ledger(s.L.path(), old_copy);
  REQUIRE(s.L.record({at::events::storage("S-1", "H-1", "2026-09-26T08:00:00+08:00")}).exited_with(0));
  const auto saved = s.L.write_file("saved.txt", s.L.checkpoint());
  auto verify = [&](const std::string& lang_env) {
    return at::run({at::ledger_binary(), "--ledger", old_copy.string(), "verify", "--checkpoint", saved.string()},
                   at::in_locale(lang_env));
  };
  auto v = verify("zh_CN.UTF-8");
  INFO(v.describe());
  CHECK(v.exited_with(1));
  CHECK(has(v.err, "核验失败"));
  CHECK(has(v.err, "第 " + entries + " 条缺失：保存的检查点包括 " + std::to_string(s.L.size()) + " 条，而账本现在只有 " +
                       entries + " 条；有记录被删除了"));
  CHECK_FALSE(has(v.err, "entries were removed"));
  auto v_en = verify("C.UTF-8");
  CHECK(v_en.exited_with(1));
  CHECK(has(v_en.err, "the saved checkpoint covers " + std::to_string(s.L.size()) + " entries but the log now has " +
                          entries + "; entries were removed"));
  CHECK_FALSE(has(v_en.err, "有记录被删除了"));

  auto e = run(s.L, {"export", "--format", "csv", "--from", "2026-09-01", "--out", (s.L.dir() / "导出").string()},
               "zh_CN.UTF-8");
  CHECK(e.exited_with(2));
  CHECK(has(e.err, "错误：--from：「2026-09-01」没有时区；加 --tz +08:00 按北京时间（当天 0 点起）"));
  CHECK_FALSE(has(e.err, "UTC offset"));
  auto e_en = run(s.L, {"export", "--format", "csv", "--from", "2026-09-01", "--out", (s.L.dir() / "x").string()});
  CHECK(e_en.exited_with(2));
  CHECK(has(e_en.err, "error: --from: \"2026-09-01\" has no UTC offset; add --tz +08:00 to read it as local time (from "
                      "that day's 00:00)"));
  CHECK_FALSE(has(e_en.err, "没有时区"));
}

// zh16j: a harvest entered as a date alone (recorded 00:00 at its offset) is shown as its date in
// show, show lot and trace; a harvest with a time keeps it. recall names the recalling party and
// recall.csv gives each row's time.
TEST_CASE("a date-only harvest is shown as its date; recall names its party by id and name") {
  HarvestSeason s(std::vector<nlohmann::json>{at::events::harvest("H-2", "H-2", "PL-1", "2026-09-26T00:00:00+08:00", "300")});
  auto lot = run(s.L, {"show", "lot", "H-2"}, "zh_CN.UTF-8");
  INFO(lot.describe());
  CHECK(has(lot.out, "2026-09-26（只记了日期）  采收"));
  CHECK_FALSE(has(lot.out, "2026-09-26 00:00"));
  CHECK(has(run(s.L, {"show", std::to_string(at::index_of(s.L, "H-2"))}, "zh_CN.UTF-8").out, "2026-09-26（只记了日期）"));
  CHECK(has(run(s.L, {"show", "lot", "H-1"}, "zh_CN.UTF-8").out, "2026-09-25 08:00（北京时间 +08:00）  采收"));
  auto trace = run(s.L, {"trace", "H-2", "--backward"}, "zh_CN.UTF-8");
  CHECK(has(trace.out, "2026-09-26（只记了日期）  采收"));
  CHECK(has(run(s.L, {"trace", "H-2", "--backward", "--lang", "en"}).out, "2026-09-26 (date only)"));
  // The planting at 08:00 keeps its time.
  CHECK(has(trace.out, "2026-04-20 08:00（北京时间 +08:00）  种植"));

  const fs::path out = s.L.dir() / "召回";
  auto r = run(s.L, {"recall", "--key", s.L.clerk_key().string(), "H-2", "--reason", "农残超标", "--party", at::kParty,
                    "--out", out.string()},
               "zh_CN.UTF-8");
  INFO(r.describe());
  REQUIRE(r.exited_with(0));
  CHECK(has(r.out, "召回方：P-COOP（章丘大葱专业合作社）\n"));
  const std::string csv = read_file(out / "recall.csv");
  CHECK(has(csv, ",召回,20"));  // the recall's time after its kind
}
