// `key add` with a holder, as issue 14's trust trial met it (trust14g):
//   "key add for an already registered key with a new --holder says 已在第 1 条登记过，没有变化, exits
//   0 and silently drops the holder" — refused (exit 2, nothing recorded), saying a holder never
//   changes and how to get a key for that party;
//   "the guide's order (key add before parties are imported) cannot give a holder at all (没有主体)" —
//   the refusal says to import the parties first, and after that the holder is recorded;
//   "recall with a clerk key without holder fails in English --party: name the party…" — Chinese,
//   saying to pass --party.
#include <doctest/doctest.h>

#include <filesystem>

#include "tests/support/ledger_fixture.h"

namespace at = agtrace::testing;
namespace ev = agtrace::testing::events;

namespace {

bool has(const std::string& haystack, const std::string& needle) { return haystack.find(needle) != std::string::npos; }

// `args` refused in a Chinese locale: exit 2, each of `named` in stderr, the ledger as it was.
void refused_zh(const at::TestLedger& L, const std::vector<std::string>& args, const std::vector<std::string>& named) {
  const auto before = L.snapshot();
  auto r = L.cli(args, at::in_locale("zh_CN.UTF-8"));
  INFO(r.describe());
  CHECK(r.exited_with(2));
  for (const auto& n : named) {
    CAPTURE(n);
    CHECK(has(r.err, n));
  }
  CHECK(L.snapshot().log == before.log);
}

}  // namespace

TEST_CASE("key add: a holder is recorded once, never changed or dropped; a holder not yet recorded says to import "
          "the parties first") {
  at::TestLedger L;
  const auto key = L.dir() / "clerk-b.key";
  REQUIRE(L.cli({"key", "gen", "--name", "clerk-b", "--out", key.string()}).exited_with(0));
  const std::string pub = key.string() + ".pub";
  // The party is not recorded yet.
  refused_zh(L, {"key", "add", "--log-key", L.log_key().string(), "--pub", pub, "--role", "clerk", "--holder", "LQHZ"},
             {"--holder LQHZ：账本里还没有主体「LQHZ」", "请先用不带 --holder 的记录员密钥导入主体"});
  // Registered without a holder; adding it again with one is refused, not dropped.
  L.must({"key", "add", "--log-key", L.log_key().string(), "--pub", pub, "--role", "clerk"});
  refused_zh(L, {"key", "add", "--log-key", L.log_key().string(), "--pub", pub, "--role", "clerk", "--holder", at::kParty},
             {"持有主体未登记", "持有主体登记后不能更改或补登（没有写入任何记录）", "key add --holder P-COOP"});
  // A key with a holder: the same holder again changes nothing; another is refused.
  const auto held = L.dir() / "clerk-c.key";
  REQUIRE(L.cli({"key", "gen", "--name", "clerk-c", "--out", held.string()}).exited_with(0));
  L.must({"key", "add", "--log-key", L.log_key().string(), "--pub", held.string() + ".pub", "--role", "clerk",
          "--holder", at::kParty});
  auto again = L.cli({"key", "add", "--log-key", L.log_key().string(), "--pub", held.string() + ".pub", "--role",
                      "clerk", "--holder", at::kParty});
  CHECK(again.exited_with(0));
  auto en = L.cli({"key", "add", "--log-key", L.log_key().string(), "--pub", held.string() + ".pub", "--role", "clerk",
                   "--holder", "OTHER", "--lang", "en"});
  INFO(en.describe());
  CHECK(en.exited_with(2));
  CHECK(has(en.err, "with holder \"P-COOP\"; a key's holder is set when it is registered and never changes"));
  CHECK(has(L.must({"key", "list"}, at::in_locale("zh_CN.UTF-8")), "P-COOP"));
}

TEST_CASE("recall with a clerk key that names no holder and no --party: Chinese, saying to pass --party") {
  at::TestLedger L;
  REQUIRE(L.record({ev::planting("plant-1", "PL-1", "2024-03-01T08:00:00+08:00")}).exited_with(0));
  refused_zh(L, {"recall", "PL-1", "--key", L.clerk_key().string(), "--reason", "残留超标"},
             {"这把记录员密钥没有登记持有主体", "在命令里加上 --party P-COOP（批次「PL-1」是主体 P-COOP 记录的"});
}
