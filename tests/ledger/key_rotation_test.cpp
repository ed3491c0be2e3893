// Key rotation, for a clerk's key and for the log key itself, through the real binary.
//
// Claims checked:
//   Issue 7, "Keys": "key rotation (a new key registered, the old revoked from an entry index
//   on) keeps old entries verifiable and refuses new entries under the revoked key, whatever
//   event time they claim; rotating the log key itself is documented and tested."
//   DESIGN §3 "Keys and trust root": "A key's validity is judged by entry index, never by
//   event time (a revoked key cannot backdate)."
//   docs/ledger-format.md §2 "Rotating the log key": a log_key_rotated entry at index r,
//   signed by the old log key, names the new one; the old key signs nothing after r; every
//   checkpoint of size > r is signed by the new key; checkpoints up to r stay valid under the
//   old key; an auditor holding only entry 0's key follows the rotation.
#include <doctest/doctest.h>

#include <functional>

#include "ledger/merkle/merkle.h"
#include "ledger/note/checkpoint.h"
#include "ledger/note/tlog_proof.h"
#include "ledger/note/verifier_key.h"
#include "ledger/json/jcs.h"
#include "ledger/util/bytes.h"
#include "tests/support/ledger_fixture.h"

namespace at = agtrace::testing;
namespace ev = agtrace::testing::events;
namespace note = agtrace::note;
namespace fs = std::filesystem;

namespace {

constexpr const char* kOrigin = "test.agtrace.example/log";  // TestLedger's origin

note::VerifierKey vkey_of(const fs::path& key_file) {
  std::string line = at::read_file(key_file.string() + ".pub");
  while (!line.empty() && line.back() == '\n') line.pop_back();
  return note::parse_verifier_key(line);
}

at::ProcessResult record_with(const at::TestLedger& L, const fs::path& key, const nlohmann::json& event) {
  at::RunOptions o;
  o.stdin_data = event.dump() + "\n";
  return L.cli({"record", "--key", key.string(), "-"}, o);
}

// Refused with exit 2, naming each of `needles`, and nothing written.
void expect_refused(const at::TestLedger& L, const std::function<at::ProcessResult()>& attempt,
                    const std::vector<std::string>& needles) {
  auto before = L.snapshot();
  auto r = attempt();
  INFO(r.describe());
  CHECK(r.exited_with(2));
  for (const auto& n : needles) CHECK_MESSAGE(r.err.find(n) != std::string::npos, "missing: " << n);
  CHECK(L.snapshot() == before);
}

std::string gen_key(const at::TestLedger& L, const std::string& name, const std::string& file) {
  auto path = L.dir() / file;
  L.must({"key", "gen", "--name", name, "--out", path.string()});
  return path.string();
}

// Verifies `proof_text` (a C2SP tlog-proof) for entry `index` with `key`, as an auditor would.
void check_inclusion(const at::TestLedger& L, const std::string& proof_text, std::uint64_t index,
                     const note::VerifierKey& key) {
  auto proof = note::parse_tlog_proof(proof_text);
  auto cp = note::open_checkpoint(proof.checkpoint_note, key);
  auto shown = nlohmann::json::parse(L.must({"show", std::to_string(index), "--json"}));
  auto leaf = agtrace::merkle::leaf_hash(agtrace::as_bytes(agtrace::json::canonicalize(shown["entry"])));
  CHECK_NOTHROW(agtrace::merkle::verify_inclusion(leaf, index, cp.size, proof.hashes, cp.root));
}

}  // namespace

TEST_CASE("rotating a clerk key: old entries stay verifiable, the old key is refused at any event time") {
  at::TestLedger L;
  auto old_key = L.add_key("clerk-2023");
  REQUIRE(record_with(L, old_key, ev::planting("plant-old", "PL-OLD", "2024-03-01T08:00:00+08:00")).exited_with(0));
  const std::uint64_t old_entry = L.size() - 1;
  auto saved = L.dir() / "before.checkpoint";
  at::write_file(saved, L.checkpoint());

  // Rotation: the new key is registered first, then the old one revoked.
  auto new_key = L.add_key("clerk-2024");
  L.must({"key", "revoke", "--log-key", L.log_key().string(), "--key-id", at::key_id_of(old_key.string() + ".pub"),
          "--reason", "yearly rotation"});
  const std::uint64_t revoked_at = L.size() - 1;
  CHECK(L.log()[revoked_at]["type"] == "key_revoked");

  // The old key: refused whether the event claims a time long before the revocation, just
  // before it, or now — validity is by entry index.
  for (const char* t : {"2024-03-02T08:00:00+08:00", "2020-01-01T00:00:00Z", "2024-06-01T08:00:00-00:00"}) {
    CAPTURE(t);
    expect_refused(L, [&] { return record_with(L, old_key, ev::planting(std::string("plant-late-") + t, "PL-LATE", t)); },
                   {at::key_id_of(old_key.string() + ".pub"), "revoked at entry " + std::to_string(revoked_at)});
  }
  // The new key works; the old entry still verifies, with an inclusion proof, and the log
  // extends the checkpoint saved before the rotation.
  CHECK(record_with(L, new_key, ev::pesticide("spray-new", "PL-OLD", "2024-03-05T08:00:00+08:00", 3)).exited_with(0));
  L.checkpoint();
  auto v = L.cli({"verify", "--checkpoint", saved.string()});
  INFO(v.describe());
  CHECK(v.exited_with(0));
  check_inclusion(L, L.must({"proof", "inclusion", std::to_string(old_entry)}), old_entry, vkey_of(L.log_key()));
  CHECK(L.log()[old_entry]["key"] == at::key_id_of(old_key.string() + ".pub"));
}

TEST_CASE("rotating the log key: the new key signs from the rotation on, the old is refused, everything still verifies") {
  at::TestLedger L;
  REQUIRE(L.record({ev::planting("plant-1", "PL-1", "2024-03-01T08:00:00+08:00")}).exited_with(0));
  const auto old_vkey = vkey_of(L.log_key());
  auto saved_old = L.dir() / "old.checkpoint";
  at::write_file(saved_old, L.checkpoint());

  // Refused: a new key not named after the origin, the current key itself, no reason.
  auto wrong_name = gen_key(L, "someone-else", "wrong.key");
  expect_refused(L, [&] {
    return L.cli({"key", "rotate-log", "--log-key", L.log_key().string(), "--new-log-key", wrong_name, "--reason", "x"});
  }, {"field log_key", "key gen --name " + std::string(kOrigin)});
  expect_refused(L, [&] {
    return L.cli({"key", "rotate-log", "--log-key", L.log_key().string(), "--new-log-key", L.log_key().string(),
                  "--reason", "x"});
  }, {"already registered"});
  // Only the log key may rotate the log key.
  expect_refused(L, [&] {
    return L.cli({"key", "rotate-log", "--log-key", L.clerk_key().string(), "--new-log-key", wrong_name,
                  "--reason", "x"});
  }, {"log key"});
  // The log key cannot simply be revoked (that would leave no key to sign checkpoints).
  expect_refused(L, [&] {
    return L.cli({"key", "revoke", "--log-key", L.log_key().string(), "--key-id", old_vkey.key_id(), "--reason", "x"});
  }, {"rotate-log"});

  auto new_key = gen_key(L, kOrigin, "log-2.key");
  const auto new_vkey = vkey_of(new_key);
  auto rotated = L.cli({"key", "rotate-log", "--log-key", L.log_key().string(), "--new-log-key", new_key, "--reason",
                        "scheduled rotation"});
  INFO(rotated.describe());
  REQUIRE(rotated.exited_with(0));
  const std::uint64_t r = L.size() - 1;
  auto log = L.log();
  CHECK(log[r]["type"] == "log_key_rotated");
  CHECK(log[r]["key"] == old_vkey.key_id());

  // The checkpoint that covers the rotation is signed by the new key, not the old.
  std::string latest = L.must({"proof", "inclusion", "0"});
  auto cp_note = note::parse_tlog_proof(latest).checkpoint_note;
  CHECK(note::open_checkpoint(cp_note, new_vkey).size == r + 1);
  CHECK_THROWS(note::open_checkpoint(cp_note, old_vkey));

  // The old log key is refused for checkpoints and key entries, backdated or not.
  expect_refused(L, [&] { return L.cli({"checkpoint", "--log-key", L.log_key().string()}); },
                 {old_vkey.key_id(), "revoked at entry " + std::to_string(r)});
  auto extra = gen_key(L, "clerk-x", "x.key");
  expect_refused(L, [&] { return L.cli({"key", "add", "--log-key", L.log_key().string(), "--pub", extra + ".pub"}); },
                 {old_vkey.key_id(), "revoked at entry " + std::to_string(r)});
  nlohmann::json backdated = {{"type", "key_added"}, {"event_id", "key-backdated"},
                              {"event_time", "2020-01-01T00:00:00+08:00"}, {"name", "clerk-x"},
                              {"vkey", vkey_of(extra).to_string()}, {"role", "clerk"}};
  expect_refused(L, [&] { return record_with(L, L.log_key(), backdated); }, {"revoked at entry " + std::to_string(r)});
  // Nor can the old key rotate the log again (e.g. a thief of the old key).
  auto thief = gen_key(L, kOrigin, "thief.key");
  expect_refused(L, [&] {
    return L.cli({"key", "rotate-log", "--log-key", L.log_key().string(), "--new-log-key", thief, "--reason", "x"});
  }, {"revoked at entry " + std::to_string(r)});

  // The new log key registers keys and signs checkpoints; clerks carry on.
  L.must({"key", "add", "--log-key", new_key, "--pub", extra + ".pub"});
  REQUIRE(record_with(L, extra, ev::planting("plant-2", "PL-2", "2024-03-02T08:00:00+08:00")).exited_with(0));
  auto saved_new = L.dir() / "new.checkpoint";
  at::write_file(saved_new, L.must({"checkpoint", "--log-key", new_key}));

  // Everything verifies: the whole log, against the checkpoint saved before the rotation
  // (old key) and the one after (new key).
  for (const auto& saved : {saved_old, saved_new}) {
    auto v = L.cli({"verify", "--checkpoint", saved.string()});
    INFO(v.describe());
    CHECK(v.exited_with(0));
  }
  // An entry from before the rotation is proven under the new checkpoint; one proof per key.
  check_inclusion(L, L.must({"proof", "inclusion", "2"}), 2, new_vkey);
  check_inclusion(L, L.must({"proof", "inclusion", "2", "--size", std::to_string(r)}), 2, old_vkey);

  // A regulator who holds only entry 0's key follows the rotation in a bundle.
  auto bundle = L.dir() / "bundle";
  L.must({"export", "--format", "jsonl", "--out", bundle.string()});
  auto check = L.cli({"audit", "verify-bundle", bundle.string(), "--pubkey", L.log_key().string() + ".pub"});
  INFO(check.describe());
  CHECK(check.exited_with(0));
  CHECK(at::read_file(bundle / "entries.jsonl").find("log_key_rotated") != std::string::npos);

  // A second rotation works the same way, from the new key.
  auto third = gen_key(L, kOrigin, "log-3.key");
  L.must({"key", "rotate-log", "--log-key", new_key, "--new-log-key", third, "--reason", "second"});
  CHECK(L.cli({"checkpoint", "--log-key", new_key}).exited_with(2));
  CHECK(L.cli({"checkpoint", "--log-key", third}).exited_with(0));
  auto v = L.cli({"verify", "--checkpoint", saved_old.string()});
  INFO(v.describe());
  CHECK(v.exited_with(0));
}
