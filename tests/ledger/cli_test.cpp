// The agtrace-ledger command line: help on every verb, and proofs that verify offline.
//
// Claims checked:
//   DESIGN §8: "Every program takes `--help`"; issue 2: "`--help` on every verb".
//   DESIGN §3 "Proofs": "An inclusion proof travels as a C2SP `tlog-proof` (index, hashes and
//   the signed checkpoint in one offline-verifiable text …). C2SP defines no consistency-proof
//   file: serve and store those as JSON (`old_size`, `new_size`, base64 `hashes`)."
//   DESIGN §3 "Entries": "The entry's JCS bytes are leaf n of an RFC 6962/9162 Merkle tree".
//
// The proofs are checked the way an auditor with only the log's public key would: the
// checkpoint's signature against log.key.pub, the entry's leaf from its canonical bytes, the
// path and the consistency proof with RFC 9162's algorithms (ledger/merkle, ledger/note).
#include <doctest/doctest.h>

#include <regex>
#include <set>

#include "ledger/json/jcs.h"
#include "ledger/merkle/merkle.h"
#include "ledger/note/checkpoint.h"
#include "ledger/note/tlog_proof.h"
#include "ledger/note/verifier_key.h"
#include "ledger/util/bytes.h"
#include "ledger/util/error.h"
#include "tests/support/ledger_fixture.h"

namespace at = agtrace::testing;
namespace note = agtrace::note;
namespace merkle = agtrace::merkle;

namespace {

// The subcommands listed in the "Subcommands:" section of a help text.
std::vector<std::string> subcommands_in(const std::string& help) {
  std::vector<std::string> out;
  auto p = help.find("Subcommands:\n");
  if (p == std::string::npos) return out;
  std::string rest = help.substr(p + 13);
  std::regex item(R"(^  ([a-z][a-z0-9-]*)\s)");
  std::size_t start = 0;
  while (start < rest.size()) {
    auto end = rest.find('\n', start);
    std::string l = rest.substr(start, end - start);
    if (l.empty()) break;
    std::smatch m;
    if (std::regex_search(l, m, item)) out.push_back(m[1]);
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return out;
}

note::VerifierKey log_public_key(const at::TestLedger& L) {
  std::string line = at::read_file(L.log_key().string() + ".pub");
  while (!line.empty() && line.back() == '\n') line.pop_back();
  return note::parse_verifier_key(line);
}

// The leaf bytes of entry `index`, from `show INDEX --json`: RFC 8785 of the entry object.
std::string leaf_bytes(const at::TestLedger& L, std::uint64_t index) {
  auto shown = nlohmann::json::parse(L.must({"show", std::to_string(index), "--json"}));
  return agtrace::json::canonicalize(shown["entry"]);
}

agtrace::Hash hash_from_base64(const nlohmann::json& s) {
  auto b = agtrace::base64_decode(s.get<std::string>(), "hash");
  REQUIRE(b.size() == 32);
  agtrace::Hash h{};
  std::copy(b.begin(), b.end(), h.begin());
  return h;
}

// A ledger of 6 + 3 × 6 = 24 entries with checkpoints at 1, 2, 6, 12, 18 and 24.
struct Fixture {
  at::TestLedger L;
  Fixture() {
    for (int k = 1; k <= 3; ++k) {
      std::string n = std::to_string(k);
      std::vector<nlohmann::json> evs = {
          at::events::planting("plant-" + n, "PL-" + n, "2024-03-0" + n + "T08:00:00+08:00"),
          at::events::pesticide("spray-" + n, "PL-" + n, "2024-04-01T08:00:00+08:00", 7),
          at::events::harvest("harvest-" + n, "H-" + n, "PL-" + n, "2024-04-20T06:00:00+08:00", "800"),
          at::events::inspection("inspect-" + n, "H-" + n, "2024-04-20T09:00:00+08:00"),
          at::events::packing("pack-" + n, "H-" + n, "PK-" + n, "2024-04-20T10:00:00+08:00", 160),
          at::events::storage("store-" + n, "PK-" + n, "2024-04-20T11:00:00+08:00")};
      auto r = L.record(evs);
      if (!r.exited_with(0)) throw std::runtime_error(r.describe());
    }
  }
};

}  // namespace

TEST_CASE("--help on every verb exits 0 and says what it does") {
  const std::vector<std::string> documented = {"init", "key", "record", "import", "columns", "show", "log",
                                               "verify", "checkpoint", "proof"};
  auto top = at::run({at::ledger_binary(), "--help"});
  INFO(top.describe());
  REQUIRE(top.exited_with(0));
  auto verbs = subcommands_in(top.out);
  for (const auto& v : documented) CHECK_MESSAGE(std::find(verbs.begin(), verbs.end(), v) != verbs.end(), v);

  // Every verb, and every verb of a verb, that the help lists.
  std::vector<std::vector<std::string>> todo;
  for (const auto& v : verbs) todo.push_back({v});
  std::set<std::string> seen;
  while (!todo.empty()) {
    auto path = todo.back();
    todo.pop_back();
    std::vector<std::string> args = {at::ledger_binary()};
    args.insert(args.end(), path.begin(), path.end());
    args.push_back("--help");
    auto r = at::run(args);
    std::string name;
    for (const auto& p : path) name += (name.empty() ? "" : " ") + p;
    seen.insert(name);
    CAPTURE(name);
    INFO(r.describe());
    CHECK(r.exited_with(0));
    CHECK(r.out.find("Usage:") != std::string::npos);
    CHECK(r.err.empty());
    for (const auto& sub : subcommands_in(r.out)) {
      auto next = path;
      next.push_back(sub);
      todo.push_back(next);
    }
  }
  for (const char* v : {"key gen", "key add", "key revoke", "proof inclusion", "proof consistency"})
    CHECK_MESSAGE(seen.count(v), v);
}

TEST_CASE("proof inclusion prints a C2SP tlog-proof that verifies against the log's public key") {
  Fixture f;
  const auto& L = f.L;
  const auto log_key = log_public_key(L);
  const std::uint64_t size = L.size();
  REQUIRE(size == 24);

  for (std::uint64_t index : {std::uint64_t{0}, std::uint64_t{1}, std::uint64_t{7}, std::uint64_t{14},
                              std::uint64_t{16}, std::uint64_t{23}}) {
    CAPTURE(index);
    auto out = L.must({"proof", "inclusion", std::to_string(index)});
    auto proof = note::parse_tlog_proof(out);
    CHECK(proof.index == index);
    auto cp = note::open_checkpoint(proof.checkpoint_note, log_key);
    CHECK(cp.size == size);
    auto leaf = merkle::leaf_hash(agtrace::as_bytes(leaf_bytes(L, index)));
    CHECK_NOTHROW(merkle::verify_inclusion(leaf, index, cp.size, proof.hashes, cp.root));
    // Not vacuous: the same path does not prove the neighbouring entry.
    auto other = merkle::leaf_hash(agtrace::as_bytes(leaf_bytes(L, index ^ 1)));
    CHECK_THROWS_AS(merkle::verify_inclusion(other, index, cp.size, proof.hashes, cp.root), agtrace::Error);
  }

  // Against an older stored checkpoint.
  auto out = L.must({"proof", "inclusion", "3", "--size", "12"});
  auto proof = note::parse_tlog_proof(out);
  auto cp = note::open_checkpoint(proof.checkpoint_note, log_key);
  CHECK(cp.size == 12);
  CHECK_NOTHROW(merkle::verify_inclusion(merkle::leaf_hash(agtrace::as_bytes(leaf_bytes(L, 3))), 3, 12,
                                         proof.hashes, cp.root));
  // An entry not yet in that checkpoint, and a size with no checkpoint, are bad input.
  CHECK(L.cli({"proof", "inclusion", "12", "--size", "12"}).exited_with(2));
  CHECK(L.cli({"proof", "inclusion", "3", "--size", "13"}).exited_with(2));
}

TEST_CASE("entries awaiting a checkpoint have no inclusion proof until one is signed") {
  Fixture f;
  const auto& L = f.L;
  REQUIRE(L.record({at::events::storage("late", "PK-1", "2024-04-21T08:00:00+08:00")}, false).exited_with(0));
  auto log = L.log();
  CHECK(log.back()["checkpointed"] == false);
  auto r = L.cli({"proof", "inclusion", "24"});
  CHECK(r.exited_with(2));
  CHECK(r.err.find("awaiting checkpoint") != std::string::npos);
  L.checkpoint();
  CHECK(L.log().back()["checkpointed"] == true);
  auto proof = note::parse_tlog_proof(L.must({"proof", "inclusion", "24"}));
  auto cp = note::open_checkpoint(proof.checkpoint_note, log_public_key(L));
  CHECK(cp.size == 25);
  CHECK_NOTHROW(merkle::verify_inclusion(merkle::leaf_hash(agtrace::as_bytes(leaf_bytes(L, 24))), 24, 25,
                                         proof.hashes, cp.root));
}

TEST_CASE("proof consistency prints JSON that verifies between signed checkpoints") {
  Fixture f;
  const auto& L = f.L;
  const auto log_key = log_public_key(L);
  // The signed root of each stored checkpoint size, as an auditor would have kept them.
  auto signed_root = [&](std::uint64_t size) {
    auto proof = note::parse_tlog_proof(L.must({"proof", "inclusion", "0", "--size", std::to_string(size)}));
    auto cp = note::open_checkpoint(proof.checkpoint_note, log_key);
    REQUIRE(cp.size == size);
    return cp.root;
  };
  const std::vector<std::uint64_t> sizes = {1, 2, 6, 12, 18, 24};
  for (std::size_t i = 0; i < sizes.size(); ++i)
    for (std::size_t j = i; j < sizes.size(); ++j) {
      auto old_size = sizes[i], new_size = sizes[j];
      CAPTURE(old_size);
      CAPTURE(new_size);
      auto j_out = nlohmann::json::parse(
          L.must({"proof", "consistency", std::to_string(old_size), std::to_string(new_size)}));
      CHECK(j_out["old_size"] == old_size);
      CHECK(j_out["new_size"] == new_size);
      std::vector<agtrace::Hash> hashes;
      for (const auto& h : j_out["hashes"]) hashes.push_back(hash_from_base64(h));
      auto old_root = signed_root(old_size), new_root = signed_root(new_size);
      if (j_out.contains("old_root")) CHECK(hash_from_base64(j_out["old_root"]) == old_root);
      if (j_out.contains("new_root")) CHECK(hash_from_base64(j_out["new_root"]) == new_root);
      CHECK_NOTHROW(merkle::verify_consistency(old_size, new_size, hashes, old_root, new_root));
      if (old_size < new_size && !hashes.empty()) {
        hashes.front()[0] ^= 1;
        CHECK_THROWS_AS(merkle::verify_consistency(old_size, new_size, hashes, old_root, new_root),
                        agtrace::Error);
      }
    }
  // Sizes between checkpoints are fine too (the proof is about the tree, not a checkpoint).
  CHECK(L.cli({"proof", "consistency", "5", "23"}).exited_with(0));
  CHECK(L.cli({"proof", "consistency", "5", "25"}).exited_with(2));
}

TEST_CASE("the ledger file comes from --ledger or AGTRACE_LEDGER") {
  Fixture f;
  const auto& L = f.L;
  at::RunOptions o;
  o.env = {{"AGTRACE_LEDGER", L.path().string()}};
  auto r = at::run({at::ledger_binary(), "verify"}, o);
  INFO(r.describe());
  CHECK(r.exited_with(0));
  at::RunOptions none;
  none.unset_env = {"AGTRACE_LEDGER"};
  auto missing = at::run({at::ledger_binary(), "verify"}, none);
  CHECK(missing.exited_with(2));
  CHECK(missing.err.find("AGTRACE_LEDGER") != std::string::npos);
  // After the verb as well as before it, as people type it.
  auto after = at::run({at::ledger_binary(), "verify", "--ledger", L.path().string()}, none);
  INFO(after.describe());
  CHECK(after.exited_with(0));
}

TEST_CASE("queries answer in JSON with --json") {
  Fixture f;
  const auto& L = f.L;
  for (std::vector<std::string> args : {std::vector<std::string>{"log", "--json"}, {"show", "8", "--json"},
                                        {"show", "lot", "H-1", "--json"}, {"verify", "--json"},
                                        {"log", "--lot", "PK-2", "--json"},
                                        {"log", "--from", "2024-04-20T00:00:00+08:00", "--to",
                                         "2024-04-20T09:30:00+08:00", "--json"}}) {
    CAPTURE(args);
    auto out = L.must(args);
    CHECK_FALSE(nlohmann::json::parse(out).is_null());
  }
  auto by_lot = nlohmann::json::parse(L.must({"log", "--lot", "PK-2", "--json"}));
  REQUIRE(by_lot.size() == 2);  // packed, stored
  CHECK(by_lot[0]["event_id"] == "pack-2");
  CHECK(by_lot[1]["event_id"] == "store-2");
}

TEST_CASE("init into a folder that does not exist exits 2 naming the folder, and leaves no log key behind") {
  at::TestLedger L;
  auto missing = L.dir() / "no-such-folder";
  auto log_key = L.dir() / "new-log.key";
  auto r = at::run({at::ledger_binary(), "--ledger", (missing / "ledger.db").string(), "init", "--origin",
                    "trace.example/log", "--base-url", "https://trace.example", "--log-key-out", log_key.string()});
  INFO(r.describe());
  CHECK(r.exited_with(2));
  CHECK(r.err.find(missing.string() + " does not exist") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(log_key));
  CHECK_FALSE(std::filesystem::exists(missing));
}

TEST_CASE("verify --checkpoint: a signed size-0 checkpoint must carry the empty tree's root (RFC 9162 §2.1.1)") {
  at::TestLedger L;
  auto log_key = note::SigningKey::load(L.log_key().string());
  auto saved = [&](const agtrace::Hash& root) {
    auto file = L.dir() / "size0.checkpoint";
    at::write_file(file, note::sign_checkpoint({log_key.name(), 0, root, {}}, log_key));
    return L.cli({"verify", "--checkpoint", file.string()});
  };
  // SHA-256 of the empty string: the empty tree every log extends.
  auto empty = saved(merkle::empty_root());
  INFO(empty.describe());
  CHECK(empty.exited_with(0));
  CHECK(empty.out.find("saved checkpoint of size 0") != std::string::npos);
  // Any other root, even signed by the log key, is not a tree this log ever had.
  agtrace::Hash other = merkle::leaf_hash(agtrace::as_bytes(std::string("not empty")));
  auto bad = saved(other);
  INFO(bad.describe());
  CHECK(bad.exited_with(1));
  CHECK(bad.err.find("size 0 has root " + agtrace::base64_encode(other)) != std::string::npos);
  CHECK(bad.out.find("OK:") == std::string::npos);
}

TEST_CASE("export --from/--to take a date with --tz (the day included); without --tz the refusal names the form") {
  at::TestLedger L;
  // Plantings at 23:30 Beijing time on 12-05, 00:30 and 23:30 on 12-06, 00:30 on 12-07.
  REQUIRE(L.record({at::events::planting("d1", "D1", "2026-12-05T23:30:00+08:00"),
                    at::events::planting("d2", "D2", "2026-12-06T00:30:00+08:00"),
                    at::events::planting("d3", "D3", "2026-12-06T23:30:00+08:00"),
                    at::events::planting("d4", "D4", "2026-12-07T00:30:00+08:00")})
              .exited_with(0));
  auto selected = [&](std::vector<std::string> args, const std::string& out) {
    args.insert(args.begin(), {"export", "--format", "jsonl", "--json", "--out", (L.dir() / out).string()});
    auto j = nlohmann::json::parse(L.must(args));
    L.must({"audit", "verify-bundle", (L.dir() / out).string(), "--pubkey", L.log_key().string() + ".pub"});
    return j["selected"].get<int>();
  };
  CHECK(selected({"--from", "2026-12-06", "--to", "2026-12-06", "--tz", "+08:00"}, "day") == 2);
  CHECK(selected({"--from", "2026-12-06", "--tz", "+08:00"}, "from") == 3);
  CHECK(selected({"--from", "2026-12-06 00:00", "--to", "2026-12-06T23:00:00+08:00", "--tz", "+08:00"}, "mixed") == 1);
  CHECK(selected({"--from", "2026-12-06", "--to", "2026-12-06", "--tz", "Z"}, "utc") == 2);  // d3, d4 in UTC

  const auto before = L.snapshot();
  auto no_tz = L.cli({"export", "--format", "jsonl", "--from", "2026-12-06", "--out", (L.dir() / "no-tz").string()});
  CHECK(no_tz.exited_with(2));
  // One language (zh16j): English here, where no language is chosen.
  CHECK(no_tz.err.find("--from: \"2026-12-06\" has no UTC offset; add --tz +08:00") != std::string::npos);
  CHECK(no_tz.err.find("没有时区") == std::string::npos);
  CHECK(no_tz.err.find("2026-12-06T00:00:00+08:00") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(L.dir() / "no-tz"));
  auto bad = L.cli({"export", "--certificates", "--to", "12/06/2026", "--tz", "+08:00", "--out", (L.dir() / "bad").string()});
  CHECK(bad.exited_with(2));
  CHECK(bad.err.find("--to: cannot read \"12/06/2026\"") != std::string::npos);
  auto no_day = L.cli({"export", "--format", "csv", "--from", "2026-02-30", "--tz", "+08:00", "--out", (L.dir() / "x").string()});
  CHECK(no_day.exited_with(2));
  CHECK(no_day.err.find("--from") != std::string::npos);
  CHECK(L.snapshot() == before);
}
