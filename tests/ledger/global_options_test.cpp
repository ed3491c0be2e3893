// The global options where people type them (issue 16, item 7): "the global options
// (`--ledger`, the language option) are accepted before or after the verb in every program —
// `agtrace-ledger verify --ledger x.db` today answers "The following arguments were not
// expected"." Each program is run both ways and must answer alike, never with a parse error.
#include <doctest/doctest.h>

#include "tests/support/ledger_fixture.h"

namespace at = agtrace::testing;

namespace {

constexpr const char* kNotExpected = "arguments were not expected";

at::RunOptions neutral() {
  at::RunOptions o;
  o.env = {{"LANG", "C.UTF-8"}};
  o.unset_env = {"LC_ALL", "LC_MESSAGES", "AGTRACE_LEDGER"};
  return o;
}

// The same command with `global` options before the verb and after it.
std::pair<at::ProcessResult, at::ProcessResult> both_ways(const std::string& program, const std::vector<std::string>& verb,
                                                         const std::vector<std::string>& global,
                                                         const std::vector<std::string>& rest = {}) {
  std::vector<std::string> before = {program}, after = {program};
  before.insert(before.end(), global.begin(), global.end());
  before.insert(before.end(), verb.begin(), verb.end());
  before.insert(before.end(), rest.begin(), rest.end());
  after.insert(after.end(), verb.begin(), verb.end());
  after.insert(after.end(), rest.begin(), rest.end());
  after.insert(after.end(), global.begin(), global.end());
  return {at::run(before, neutral()), at::run(after, neutral())};
}

}  // namespace

TEST_CASE("agtrace-ledger: --ledger and --lang before or after the verb, nested verbs included") {
  at::TestLedger L;
  const std::string db = L.path().string();
  for (const std::vector<std::string>& verb : std::vector<std::vector<std::string>>{
           {"verify"}, {"log", "--json"}, {"show", "lot", "NO-SUCH-LOT"}, {"proof", "inclusion", "0"}}) {
    auto [before, after] = both_ways(at::ledger_binary(), verb, {"--ledger", db});
    INFO(before.describe());
    INFO(after.describe());
    CHECK(before.err.find(kNotExpected) == std::string::npos);
    CHECK(after.err.find(kNotExpected) == std::string::npos);
    CHECK(before.exit_code == after.exit_code);
    CHECK(before.out == after.out);
  }
  auto [verified, verified_after] = both_ways(at::ledger_binary(), {"verify"}, {"--ledger", db});
  CHECK(verified.exited_with(0));
  CHECK(verified_after.exited_with(0));
  CHECK(verified_after.out.starts_with("OK: "));

  auto [zh_before, zh_after] = both_ways(at::ledger_binary(), {"columns", "harvest"}, {"--lang", "zh"});
  CHECK(zh_before.exited_with(0));
  CHECK(zh_before.out.starts_with("采收事件的 CSV 列"));
  CHECK(zh_after.out == zh_before.out);
  auto [both_before, both_after] = both_ways(at::ledger_binary(), {"show", "lot", "NO-SUCH-LOT"}, {"--lang", "en", "--ledger", db});
  CHECK(both_before.exited_with(2));
  CHECK(both_after.err == both_before.err);
  CHECK(both_after.err.find("unknown lot \"NO-SUCH-LOT\"") != std::string::npos);
}

TEST_CASE("agtrace-labeler: --ledger before or after the verb") {
  at::TestLedger L;
  auto [before, after] = both_ways(AGTRACE_LABELER_BIN, {"jobs", "--unfinished"}, {"--ledger", L.path().string()});
  INFO(before.describe());
  INFO(after.describe());
  CHECK(before.exited_with(0));
  CHECK(after.exited_with(0));
  CHECK(before.out == after.out);
}

TEST_CASE("agtrace-verifier: --ledger before or after `serve`; without it, a message naming the option") {
  at::TempDir dir("agtrace-global-options");
  const std::string missing = (dir / "missing.db").string();
  at::write_file(dir / "log.key.pub", "not a key\n");
  const std::vector<std::string> rest = {"--scans", (dir / "scans.db").string(), "--log-pubkey",
                                         (dir / "log.key.pub").string(), "--listen", "127.0.0.1:0"};
  auto [before, after] = both_ways(AGTRACE_VERIFIER_BIN, {"serve"}, {"--ledger", missing}, rest);
  INFO(before.describe());
  INFO(after.describe());
  // Both get past the command line to the first real check (the public key file), alike.
  CHECK(before.exited_with(2));
  CHECK(after.exited_with(2));
  CHECK(before.err.find(kNotExpected) == std::string::npos);
  CHECK(before.err.find("--log-pubkey") != std::string::npos);
  CHECK(after.err == before.err);
  std::vector<std::string> none = {AGTRACE_VERIFIER_BIN, "serve"};
  none.insert(none.end(), rest.begin(), rest.end());
  auto without = at::run(none, neutral());
  CHECK(without.exited_with(2));
  CHECK(without.err.find("no ledger file: pass --ledger FILE (before or after `serve`)") != std::string::npos);
}

TEST_CASE("agtrace-station: --ledger before or after `serve`; without it, a message naming the option") {
  at::TempDir dir("agtrace-global-options");
  const std::vector<std::string> rest = {"--config", (dir / "missing.json").string(), "--state",
                                         (dir / "state.db").string(), "--listen", "127.0.0.1:0"};
  auto [before, after] = both_ways(AGTRACE_STATION_BIN, {"serve"}, {"--ledger", (dir / "ledger.db").string()}, rest);
  INFO(before.describe());
  INFO(after.describe());
  CHECK(before.exited_with(2));
  CHECK(after.exited_with(2));
  CHECK(before.err.find(kNotExpected) == std::string::npos);
  CHECK(before.err.find("missing.json") != std::string::npos);  // past the options, to the config file
  CHECK(after.err == before.err);
  std::vector<std::string> none = {AGTRACE_STATION_BIN, "serve"};
  none.insert(none.end(), rest.begin(), rest.end());
  auto without = at::run(none, neutral());
  CHECK(without.exited_with(2));
  CHECK(without.err.find("--ledger") != std::string::npos);
  CHECK(without.err.find("missing.json") == std::string::npos);
}
