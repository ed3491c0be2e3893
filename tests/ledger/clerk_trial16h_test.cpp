// What the last Chinese-only clerk's trial met (issue 16, zh16h), through the real binary.
//
// Claims checked (docs/clerk-import.md, README):
//   - a lot harvested in 箱 and packed with 投入数量 40, 箱 (its product has no 包装规格) is told, in
//     the sheets' columns and Chinese words only, that the lot was counted and what to do; packing by
//     count once the product has its 包装规格 then records;
//   - key add --holder with a party's name (王芳) answers with the party's id; a clerk key added
//     without a holder is told that a holder can never be added later; key list says 持有主体;
//   - recall with a key without holder and no --party says exactly which --party to add; a key held
//     by another party is refused once, in Chinese; the report's folder is recall-LOT-…, not
//     recall-recall-…; --help names the lot 批次号;
//   - verify's finding (a derived table changed behind the program's back) is in Chinese;
//   - a refusal before the sheet is read (--log-key) is said once, in the sheet's language;
//   - every cell's problem of a row is reported (a bad date beside a control character);
//   - audit verify-bundle without --pubkey says what the key is; the top-level --help is a sentence.
// Every refusal exits 2 and leaves the ledger byte for byte the same (DESIGN §8).
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>

#include "tests/support/ledger_fixture.h"

namespace at = agtrace::testing;
namespace ev = agtrace::testing::events;
namespace fs = std::filesystem;

namespace {

bool has(const std::string& haystack, const std::string& needle) { return haystack.find(needle) != std::string::npos; }

const at::RunOptions kZh = at::in_locale("zh_CN.UTF-8");

// The ASCII words of `text` longer than 3 letters that are not in `allowed` (a Chinese message
// names options, ids and files, never English words).
std::vector<std::string> english_words(const std::string& text, const std::vector<std::string>& allowed) {
  std::vector<std::string> out;
  std::string word;
  auto flush = [&] {
    if (word.size() > 3 && std::find(allowed.begin(), allowed.end(), word) == allowed.end()) out.push_back(word);
    word.clear();
  };
  for (char c : text) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
      word += c;
    else
      flush();
  }
  flush();
  return out;
}

// A ledger with product MILLET (no pack size), planting PL-M and harvest H-M of 40 boxes (H87).
struct BoxedHarvest {
  at::TestLedger L;
  BoxedHarvest() {
    auto planting = ev::planting("plant-m", "PL-M", "2026-05-10T08:00:00+08:00");
    planting["product"] = "MILLET";
    auto harvest = ev::harvest("H-M", "H-M", "PL-M", "2026-09-25T08:00:00+08:00", "40");
    harvest["quantity"]["unit"] = "H87";
    REQUIRE(L.record({{{"type", "product"}, {"event_id", "md-millet"}, {"event_time", "2026-01-02T08:00:00+08:00"},
                       {"product_id", "MILLET"}, {"name", "神头红小米"}, {"brand", {{"regional", "神头红小米"}}}},
                      planting, harvest})
                .exited_with(0));
  }
};

constexpr const char* kPackingHeader = "事件类型,事件编号,时间,主体编号,地点编号,投入批次,投入数量,投入单位,包装批次,件数,每件规格,规格单位\r\n";

}  // namespace

TEST_CASE("a lot harvested in 箱 and packed with 40,箱 hears what happened and what to do, in the sheets' columns") {
  BoxedHarvest h;
  const auto& L = h.L;
  auto csv = L.write_file("包装.csv", std::string(kPackingHeader) +
                                          "包装,K-1,2026-09-27T08:00:00+08:00,P-COOP,COLD-1,H-M,40,箱,K-M,40,5,千克\r\n");
  const auto before = L.file_bytes();
  auto zh = L.import_csv(csv);
  INFO(zh.describe());
  CHECK(zh.exited_with(2));
  for (const char* w :
       {"包装.csv 第 2 行 G 列「投入数量」：投入批次「H-M」是按件数记的", "第 8 条采收记录的单位是 箱、件 这样的件数，不是重量",
        "把第 8 条采收更正为称得的重量", "「单位」填 千克，加一列「更正原因」", "「投入数量」「投入单位」按公斤填",
        "在产品表里给产品「MILLET」填上「包装规格」「包装单位」（每件多少千克）", "「件数」和箱数一样"})
    CHECK_MESSAGE(has(zh.err, w), w);
  CHECK_FALSE(has(zh.err, "pack_size"));
  CHECK_FALSE(has(zh.err, "每件规格（"));
  CHECK(english_words(zh.err.substr(zh.err.find("包装.csv")), {"MILLET"}).empty());
  auto en = L.import_csv(csv, {"--lang", "en"});
  CHECK(en.exited_with(2));
  CHECK(has(en.err, "input lot \"H-M\" is counted in pieces"));
  CHECK(has(en.err, "pack by count: give product \"MILLET\" a pack_size"));
  CHECK(L.file_bytes() == before);

  // The second way out: the product gets its 包装规格 (recorded again, the latest counts), and the
  // same row records: 40 boxes in, 40 pieces of 5 kg out.
  REQUIRE(L.record({{{"type", "product"}, {"event_id", "md-millet-2"}, {"event_time", "2026-09-26T08:00:00+08:00"},
                     {"product_id", "MILLET"}, {"name", "神头红小米"}, {"brand", {{"regional", "神头红小米"}}},
                     {"pack_size", {{"value", "5"}, {"unit", "KGM"}}}}})
              .exited_with(0));
  auto fixed = L.import_csv(csv);
  INFO(fixed.describe());
  CHECK(fixed.exited_with(0));
}

TEST_CASE("key add --holder with a party's name gives its id; a key without holder hears it can never get one") {
  at::TestLedger L;
  REQUIRE(L.record({{{"type", "party"}, {"event_id", "md-wangf"}, {"event_time", "2024-01-02T08:00:00+08:00"},
                     {"party_id", "WANGF"}, {"name", "王芳"}, {"role", "producer"}}})
              .exited_with(0));
  const auto key = L.dir() / "clerk-wf.key";
  REQUIRE(L.cli({"key", "gen", "--name", "clerk-wf", "--out", key.string()}).exited_with(0));
  const std::string pub = key.string() + ".pub";
  const auto before = L.file_bytes();
  auto named = L.cli({"key", "add", "--log-key", L.log_key().string(), "--pub", pub, "--role", "clerk", "--holder", "王芳"},
                     kZh);
  INFO(named.describe());
  CHECK(named.exited_with(2));
  CHECK(has(named.err, "错误：--holder 王芳：--holder 要写主体编号，不是名称；账本里名称为「王芳」的主体编号是 WANGF：请写 "
                       "--holder WANGF"));
  CHECK(has(named.err, "持有主体只能在登记时写，以后不能补登或更改"));
  CHECK_FALSE(has(named.err, "takes a party id"));
  CHECK(L.file_bytes() == before);
  // A holder typed in Chinese is answered in Chinese alone, whatever the locale.
  auto neutral = L.cli({"key", "add", "--log-key", L.log_key().string(), "--pub", pub, "--holder", "王芳"}, at::in_locale());
  CHECK(neutral.exited_with(2));
  CHECK(neutral.err.starts_with("错误：--holder 王芳：--holder 要写主体编号"));
  CHECK_FALSE(has(neutral.err, "takes a party id"));
  auto en = L.cli({"key", "add", "--log-key", L.log_key().string(), "--pub", pub, "--holder", "王芳", "--lang", "en"});
  CHECK(has(en.err, "--holder 王芳: --holder takes a party id, not a name; the party named \"王芳\" has id WANGF"));

  L.must({"key", "add", "--log-key", L.log_key().string(), "--pub", pub, "--role", "clerk", "--holder", "WANGF"});
  auto list = L.must({"key", "list"}, kZh);
  CHECK(has(list, "，持有主体 WANGF"));
  CHECK_FALSE(has(list, "持有企业"));

  // A clerk key registered without a holder: said at once that a holder cannot be added later.
  const auto free_key = L.dir() / "clerk-free.key";
  REQUIRE(L.cli({"key", "gen", "--name", "clerk-free", "--out", free_key.string()}).exited_with(0));
  auto added = L.cli({"key", "add", "--log-key", L.log_key().string(), "--pub", free_key.string() + ".pub"}, kZh);
  INFO(added.describe());
  CHECK(added.exited_with(0));
  CHECK(has(added.err, "注意：这把记录员密钥没有登记持有主体，可以为任何主体签名（召回时要写 --party 主体编号）；持有主体以后不能补登"));
  CHECK(has(added.err, "key add --holder 主体编号"));
}

TEST_CASE("recall: the --party to add, a holder's refusal once in Chinese, the folder's name, 批次号 in --help") {
  at::TestLedger L;
  REQUIRE(L.record({ev::planting("plant-1", "PL-1", "2026-04-20T08:00:00+08:00"),
                    ev::harvest("H-1", "H-1", "PL-1", "2026-09-25T08:00:00+08:00", "1500"),
                    {{"type", "party"}, {"event_id", "md-wangf"}, {"event_time", "2024-01-02T08:00:00+08:00"},
                     {"party_id", "WANGF"}, {"name", "王芳"}, {"role", "producer"}}})
              .exited_with(0));
  const auto before = L.file_bytes();
  // The fixture's clerk key names no holder: the party that recorded the lot is the one to add.
  auto no_party = L.cli({"recall", "H-1", "--key", L.clerk_key().string(), "--reason", "抽检不合格"}, kZh);
  INFO(no_party.describe());
  CHECK(no_party.exited_with(2));
  CHECK(has(no_party.err, "错误：这把记录员密钥没有登记持有主体，召回要写明是哪个主体召回：在命令里加上 --party P-COOP"
                          "（批次「H-1」是主体 P-COOP 记录的"));
  CHECK_FALSE(has(no_party.err, "name the party"));
  CHECK(L.file_bytes() == before);

  // A key held by WANGF recalls only for WANGF: refused once, in Chinese, naming --party.
  const auto held = L.dir() / "clerk-wf.key";
  REQUIRE(L.cli({"key", "gen", "--name", "clerk-wf", "--out", held.string()}).exited_with(0));
  L.must({"key", "add", "--log-key", L.log_key().string(), "--pub", held.string() + ".pub", "--holder", "WANGF"});
  const auto with_holder = L.file_bytes();
  auto other = L.cli({"recall", "H-1", "--key", held.string(), "--reason", "抽检不合格", "--party", at::kParty}, kZh);
  INFO(other.describe());
  CHECK(other.exited_with(2));
  CHECK(has(other.err, "--party：记录员密钥 clerk-wf+"));
  CHECK(has(other.err, "的持有主体是「WANGF」"));
  CHECK_FALSE(has(other.err, "is held by"));
  CHECK_FALSE(has(other.err, "field party"));
  CHECK(L.file_bytes() == with_holder);

  // Recorded: the report's folder is recall-H-1-…, once "recall-".
  at::RunOptions in_dir = kZh;
  in_dir.cwd = L.dir().path();
  auto recalled = L.cli({"recall", "H-1", "--key", L.clerk_key().string(), "--reason", "抽检不合格",
                         "--party", at::kParty},
                        in_dir);
  INFO(recalled.describe());
  CHECK(recalled.exited_with(0));
  bool named_once = false, doubled = false;
  for (const auto& entry : fs::directory_iterator(L.dir().path())) {
    const std::string name = entry.path().filename().string();
    named_once = named_once || name.starts_with("recall-H-1-");
    doubled = doubled || name.starts_with("recall-recall-");
  }
  CHECK(named_once);
  CHECK_FALSE(doubled);

  auto help = L.cli({"recall", "--help"}, kZh);
  CHECK(has(help.out, "批次号"));
  CHECK_FALSE(has(help.out, "LOT"));
  auto missing = L.cli({"recall", "--key", L.clerk_key().string(), "--reason", "x"}, kZh);
  CHECK(missing.exited_with(2));
  CHECK(has(missing.err, "批次号"));
}

TEST_CASE("verify: a derived table changed behind the program's back is named in Chinese") {
  at::TestLedger L;
  REQUIRE(L.record({ev::planting("plant-1", "PL-1", "2026-04-20T08:00:00+08:00")}).exited_with(0));
  at::sqlite3(L.path(), "UPDATE lots SET product_id = 'OTHER' WHERE lot_id = 'PL-1';");
  auto zh = L.cli({"verify"}, kZh);
  INFO(zh.describe());
  CHECK(zh.exited_with(1));
  CHECK(has(zh.err, "（查到的问题：第 6 条记录：账本文件里的索引表 lots 和签名的记录对不上（有一行被加上、删掉或改过），"
                    "按它查询会得到错误的结果）"));
  CHECK_FALSE(has(zh.err, "derived table"));
  auto en = L.cli({"verify", "--lang", "en"});
  CHECK(has(en.err, "FAILED: entry 6: derived table lots disagrees with the entries"));
}

TEST_CASE("import: a refusal before the sheet is read is said once, in the sheet's language") {
  at::TestLedger L;
  auto csv = L.write_file("采收.csv", "事件类型,事件编号,时间,主体编号,地点编号,种植批次,采收批次,数量,单位\r\n"
                                      "采收,H-9,2026-09-25T08:00:00+08:00,P-COOP,PLOT-1,PL-1,H-9,100,千克\r\n");
  // The clerk's own key where the log key belongs, in a neutral locale: the headers choose Chinese.
  auto r = L.import_csv(csv, {"--log-key", L.clerk_key().string()});
  INFO(r.describe());
  CHECK(r.exited_with(2));
  CHECK(r.err.starts_with("错误：--log-key "));
  CHECK(has(r.err, "不是这个账本的日志密钥"));
  CHECK_FALSE(has(r.err, "is not this ledger's log key"));
  CHECK_FALSE(has(r.err, "error:"));
  // A ledger path typed wrong: said in the sheet's language too.
  auto missing = at::run({at::ledger_binary(), "--ledger", (L.dir() / "nol.db").string(), "import", "--key",
                          L.clerk_key().string(), csv.string()},
                         at::in_locale());
  INFO(missing.describe());
  CHECK(missing.exited_with(2));
  CHECK(has(missing.err, "错误：账本文件 "));
  CHECK(has(missing.err, "nol.db 不存在：请检查 --ledger 或 AGTRACE_LEDGER 写的路径和文件名"));
  CHECK_FALSE(has(missing.err, "does not exist"));
}

TEST_CASE("import reports every cell's problem of a row: a bad date is not hidden by a control character") {
  at::TestLedger L;
  REQUIRE(L.record({ev::planting("plant-1", "PL-1", "2026-04-20T08:00:00+08:00")}).exited_with(0));
  auto csv = L.write_file("采收.csv", std::string("事件类型,事件编号,时间,主体编号,地点编号,采收批次,种植批次,数量,单位,备注\r\n") +
                                          "采收,H-2,2026-02-30 08:00,P-COOP,PLOT-1,H-2,PL-1,1500千克,千克,第一行\x1b第二行\r\n");
  const auto before = L.file_bytes();
  auto zh = L.import_csv(csv, {"--tz", "+08:00"});
  INFO(zh.describe());
  CHECK(zh.exited_with(2));
  CHECK(has(zh.err, "J 列「备注」：格子里有看不见的控制字符"));
  CHECK(has(zh.err, "C 列「时间」：「2026-02-30」这一天不存在"));
  CHECK(has(zh.err, "H 列「数量」：数量和单位请分开填写：数量 1500，单位 千克"));
  auto en = L.import_csv(csv, {"--tz", "+08:00", "--lang", "en"});
  CHECK(en.exited_with(2));
  CHECK(has(en.err, "column J \"备注\""));
  CHECK(has(en.err, "column C \"时间\""));
  CHECK(L.file_bytes() == before);
}

TEST_CASE("audit verify-bundle without --pubkey says what the key is; the top-level --help is a sentence") {
  at::TestLedger L;
  auto zh = L.cli({"audit", "verify-bundle", (L.dir() / "导出").string()}, kZh);
  INFO(zh.describe());
  CHECK(zh.exited_with(2));
  CHECK(has(zh.err, "错误：缺少 --pubkey：核验数据包要用账本日志密钥的公钥文件（建账本时和 log.key 一起生成的 log.key.pub"));
  auto en = L.cli({"audit", "verify-bundle", (L.dir() / "out").string(), "--lang", "en"});
  CHECK(en.exited_with(2));
  CHECK(has(en.err, "--pubkey is required: a bundle is checked against the log's public key"));
  auto help = L.cli({"--help"}, kZh);
  CHECK(has(help.out, "农产品追溯账本。种植、用药、采收、检测、包装、发货等记录从表格导入"));
  CHECK_FALSE(has(help.out, "哈希链接"));
}
