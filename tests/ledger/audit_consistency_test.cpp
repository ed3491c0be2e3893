// `agtrace-ledger audit consistency` (issue 16, item 5), through the real binary: a regulator who
// has only two saved checkpoints, the consistency proof the verifier's public API serves, and the
// log's public key(s) checks that the log was not rewritten between them — no database.
//
// Claims checked: two checkpoints of one log, the later extending the earlier, pass (exit 0) with
// no --ledger and no AGTRACE_LEDGER; a forged proof (a hash changed, a hash left out) and
// checkpoints signed by another key fail (exit 1); the keys of a rotation chain are accepted when all
// are given; a proof for other sizes or the checkpoints swapped are bad input (exit 2).
#include <doctest/doctest.h>

#include <filesystem>

#include "tests/support/ledger_fixture.h"

namespace at = agtrace::testing;
namespace fs = std::filesystem;

namespace {

bool has(const std::string& haystack, const std::string& needle) { return haystack.find(needle) != std::string::npos; }

// agtrace-ledger without any ledger file.
at::ProcessResult offline(std::vector<std::string> args) {
  args.insert(args.begin(), at::ledger_binary());
  at::RunOptions o;
  o.unset_env = {"AGTRACE_LEDGER"};
  return at::run(std::move(args), o);
}

struct Saved {
  at::TempDir dir{"agtrace-audit-consistency"};
  fs::path file(const std::string& name, const std::string& text) const {
    at::write_file(dir / name, text);
    return dir / name;
  }
};

at::ProcessResult audit(const fs::path& old_cp, const fs::path& new_cp, const fs::path& proof,
                        const std::vector<std::string>& pubkeys) {
  std::vector<std::string> args = {"audit", "consistency", "--old", old_cp.string(), "--new", new_cp.string(),
                                   "--proof", proof.string()};
  for (const auto& k : pubkeys) args.insert(args.end(), {"--pubkey", k});
  return offline(args);
}

}  // namespace

TEST_CASE("audit consistency checks two saved checkpoints and a proof with only the log's public keys") {
  at::TestLedger L;
  Saved s;
  const std::string pub = L.log_key().string() + ".pub";
  REQUIRE(L.record({at::events::planting("plant-1", "PL-1", "2026-04-20T08:00:00+08:00")}).exited_with(0));
  const auto old_cp = s.file("old.checkpoint", L.checkpoint());
  const auto old_size = L.size();
  REQUIRE(L.record({at::events::planting("plant-2", "PL-2", "2026-04-21T08:00:00+08:00")}).exited_with(0));
  const auto new_cp = s.file("new.checkpoint", L.checkpoint());
  const auto new_size = L.size();
  const std::string proof_text =
      L.must({"proof", "consistency", std::to_string(old_size), std::to_string(new_size)});
  const auto proof = s.file("proof.json", proof_text);

  auto ok = audit(old_cp, new_cp, proof, {pub});
  INFO(ok.describe());
  CHECK(ok.exited_with(0));
  CHECK(has(ok.out, "OK"));
  CHECK(has(ok.out, "size " + std::to_string(new_size)));

  // A forged proof: one hash changed.
  auto forged = nlohmann::json::parse(proof_text);
  REQUIRE(!forged["hashes"].empty());
  std::string h = forged["hashes"][0];
  h[0] = h[0] == 'A' ? 'B' : 'A';
  forged["hashes"][0] = h;
  auto bad = audit(old_cp, new_cp, s.file("forged.json", forged.dump()), {pub});
  CHECK(bad.exited_with(1));
  CHECK(has(bad.err, "FAILED"));
  // A proof with a hash left out.
  auto shorter = nlohmann::json::parse(proof_text);
  shorter["hashes"].erase(shorter["hashes"].size() - 1);
  CHECK(audit(old_cp, new_cp, s.file("short.json", shorter.dump()), {pub}).exited_with(1));

  // Checkpoints signed by another key (another log of the same origin) fail.
  at::TestLedger other;
  REQUIRE(other.record({at::events::planting("plant-1", "PL-1", "2026-04-20T08:00:00+08:00")}).exited_with(0));
  auto foreign = audit(old_cp, new_cp, proof, {other.log_key().string() + ".pub"});
  CHECK(foreign.exited_with(1));
  CHECK(has(foreign.err, "--old"));

  // Bad input: the proof is for other sizes; the checkpoints are swapped.
  auto other_sizes = nlohmann::json::parse(proof_text);
  other_sizes["old_size"] = old_size - 1;
  auto wrong = audit(old_cp, new_cp, s.file("sizes.json", other_sizes.dump()), {pub});
  CHECK(wrong.exited_with(2));
  CHECK(has(wrong.err, "old=" + std::to_string(old_size)));
  CHECK(audit(new_cp, old_cp, proof, {pub}).exited_with(2));

  // A rotation chain: the later checkpoint is signed by the new log key; both keys are given.
  auto new_key = L.dir() / "log-2.key";
  L.must({"key", "gen", "--name", "test.agtrace.example/log", "--out", new_key.string()});
  L.must({"key", "rotate-log", "--log-key", L.log_key().string(), "--new-log-key", new_key.string(), "--reason",
          "yearly"});
  const auto rotated_cp = s.file("rotated.checkpoint", L.must({"checkpoint", "--log-key", new_key.string()}));
  const auto rotated_size = L.size();
  const auto rotated_proof = s.file(
      "rotated.json", L.must({"proof", "consistency", std::to_string(old_size), std::to_string(rotated_size)}));
  auto chain = audit(old_cp, rotated_cp, rotated_proof, {pub, new_key.string() + ".pub"});
  INFO(chain.describe());
  CHECK(chain.exited_with(0));
  CHECK(audit(old_cp, rotated_cp, rotated_proof, {pub}).exited_with(1));
}
