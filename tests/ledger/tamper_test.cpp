// Corruption tests of `agtrace-ledger verify`.
//
// Claims checked (DESIGN §3 "Storage" and "Audit"; issue 2, "What it must show"):
//   "Triggers are guard rails, not security: `verify` recomputes everything from the rows,
//    including every derived table (indexes by lot, by code): a mismatch is a verification
//    failure (exit 1), not something to repair silently."
//   "Audit (`agtrace-ledger verify`): recomputes the chain, every signature and key validity,
//    the Merkle root of every stored checkpoint, every derived table, and checks a
//    regulator's saved checkpoint against the current log with a consistency proof. It names
//    the first bad entry and exits 1."
//   "A test that builds a ledger, then — with the sqlite3 CLI, triggers dropped — changes one
//    byte in each stored column of one entry in turn, and also deletes the last entries:
//    `agtrace-ledger verify` (with the earlier saved checkpoint for the deletion) exits 1
//    each time and names the first bad entry index."
//
// One ledger of 30 entries is built once; every case tampers with its own copy through the
// sqlite3 shell, as an attacker with write access to the file would.
#include <doctest/doctest.h>

#include <map>
#include <regex>

#include <fmt/format.h>

#include "ledger/json/jcs.h"
#include "ledger/merkle/merkle.h"
#include "ledger/note/ed25519_key.h"
#include "ledger/store/entry.h"
#include "ledger/util/bytes.h"
#include "tests/support/ledger_fixture.h"

namespace at = agtrace::testing;
namespace fs = std::filesystem;

namespace {

constexpr std::uint64_t kTotal = 30;   // entries in the base ledger
constexpr std::uint64_t kTarget = 14;  // the entry tampered with: harvest H-2

const char* kDropTriggers =
    "DROP TRIGGER entries_no_update; DROP TRIGGER entries_no_delete;"
    "DROP TRIGGER checkpoints_no_update; DROP TRIGGER checkpoints_no_delete;";

// The base ledger: setup (entries 0..5), then four lots of six events each — planting,
// pesticide, harvest, inspection, packing, storage — recorded two lots per command, so
// that checkpoints of sizes 1, 2, 6, 18 and 30 are stored. Lot k's events are entries
// 6k..6k+5; entry 14 is the harvest of lot 2.
struct Base {
  at::TestLedger ledger;
  at::TempDir copies{"agtrace-tamper"};
  fs::path saved_checkpoint;  // the checkpoint of size 30, as a regulator saved it
  int copy_count = 0;

  Base() {
    for (int pair = 0; pair < 2; ++pair) {
      std::vector<nlohmann::json> evs;
      for (int k = 2 * pair + 1; k <= 2 * pair + 2; ++k) {
        std::string n = std::to_string(k);
        std::string day = "2024-04-1" + n;
        evs.push_back(at::events::planting("plant-" + n, "PL-" + n, "2024-03-0" + n + "T08:00:00+08:00"));
        evs.push_back(at::events::pesticide("spray-" + n, "PL-" + n, "2024-04-01T08:00:00+08:00", 7));
        evs.push_back(at::events::harvest("harvest-" + n, "H-" + n, "PL-" + n, day + "T06:00:00+08:00", "1000"));
        evs.push_back(at::events::inspection("inspect-" + n, "H-" + n, day + "T09:00:00+08:00"));
        evs.push_back(at::events::packing("pack-" + n, "H-" + n, "PK-" + n, day + "T10:00:00+08:00", 100));
        evs.push_back(at::events::storage("store-" + n, "PK-" + n, day + "T11:00:00+08:00"));
      }
      auto r = ledger.record(evs);
      if (!r.exited_with(0)) throw std::runtime_error(r.describe());
    }
    saved_checkpoint = ledger.dir() / "saved.checkpoint";
    at::write_file(saved_checkpoint, ledger.checkpoint());
  }

  // A fresh copy of the base ledger.
  fs::path copy() {
    fs::path p = copies / ("case-" + std::to_string(++copy_count) + ".db");
    at::copy_ledger(ledger.path(), p);
    return p;
  }
};

Base& base() {
  static Base b;
  return b;
}

// A copy of the base's log key (and its .pub) in a folder of its own, with its memory (LOGKEY.last-checkpoint)
// holding the base's checkpoint of size 30: a signer whose memory no other test touches.
std::pair<fs::path, fs::path> signer_copy(Base& b, const std::string& name) {
  const fs::path dir = b.copies / name;
  fs::create_directories(dir);
  const fs::path key = dir / "log.key";
  at::write_file(key, at::read_file(b.ledger.log_key()), 0600);
  at::write_file(dir / "log.key.pub", at::read_file(b.ledger.log_key().string() + ".pub"));
  const fs::path state = dir / "log.key.last-checkpoint";
  at::write_file(state, b.ledger.checkpoint(), 0600);
  return {key, state};
}

at::ProcessResult verify(const fs::path& db, const std::vector<std::string>& extra = {}) {
  std::vector<std::string> args = {at::ledger_binary(), "--ledger", db.string(), "verify"};
  args.insert(args.end(), extra.begin(), extra.end());
  return at::run(args);
}

std::string hex_of(const std::string& bytes) { return agtrace::hex_encode(agtrace::as_bytes(bytes)); }

// The stored bytes of a BLOB or TEXT column, read through the sqlite3 shell.
std::string column_bytes(const fs::path& db, const std::string& select_hex) {
  std::string hex = at::sqlite3(db, select_hex);
  while (!hex.empty() && (hex.back() == '\n' || hex.back() == '\r')) hex.pop_back();
  return agtrace::to_string(agtrace::hex_decode(hex, "sqlite3 output"));
}

std::string sql_blob(const std::string& bytes) { return "X'" + hex_of(bytes) + "'"; }

// Expects a verification failure (exit 1, no crash) whose message names `what`
// (e.g. "entry 14"), as a whole word.
void expect_failure_naming(const at::ProcessResult& r, const std::string& what) {
  INFO(r.describe());
  CHECK(r.exited_with(1));
  CHECK(r.out.find("OK:") == std::string::npos);
  CHECK(std::regex_search(r.err, std::regex("\\b" + what + "\\b")));
}

// Replaces the byte at `pos` with `to`; the result must differ.
std::string with_byte(std::string bytes, std::size_t pos, char to) {
  REQUIRE(pos < bytes.size());
  REQUIRE(bytes[pos] != to);
  bytes[pos] = to;
  return bytes;
}

// A different character of the same kind (digit, hex digit, letter), so the result stays
// well-formed where the original was and only the meaning changes.
char sibling(char c) {
  if (c >= '0' && c <= '8') return static_cast<char>(c + 1);
  if (c == '9') return '0';
  if (c >= 'a' && c <= 'e') return static_cast<char>(c + 1);
  if (c == 'f') return 'a';
  if (c >= 'A' && c <= 'Y') return static_cast<char>(c + 1);
  if (c == 'Z') return 'A';
  return static_cast<char>(c ^ 0x01);
}

std::string leaf_hash_of(const std::string& entry) {
  auto h = agtrace::merkle::leaf_hash(agtrace::as_bytes(entry));
  return std::string(reinterpret_cast<const char*>(h.data()), h.size());
}

}  // namespace

TEST_CASE("the untampered ledger verifies, also against the saved checkpoint") {
  auto& b = base();
  auto db = b.copy();
  auto r = verify(db);
  INFO(r.describe());
  CHECK(r.exited_with(0));
  auto with_saved = verify(db, {"--checkpoint", b.saved_checkpoint.string()});
  INFO(with_saved.describe());
  CHECK(with_saved.exited_with(0));
  CHECK(at::sqlite3(db, "SELECT count(*) FROM entries;") == std::to_string(kTotal) + "\n");
  CHECK(at::sqlite3(db, "SELECT group_concat(size) FROM (SELECT size FROM checkpoints ORDER BY size);") ==
        "1,2,6,18,30\n");
}

TEST_CASE("the triggers refuse UPDATE and DELETE while they are in place") {
  auto db = base().copy();
  for (const char* sql : {"UPDATE entries SET leaf_hash = X'00' WHERE idx = 14;",
                          "DELETE FROM entries WHERE idx = 29;",
                          "UPDATE checkpoints SET note = 'x' WHERE size = 18;",
                          "DELETE FROM checkpoints WHERE size = 30;"}) {
    CAPTURE(sql);
    at::RunOptions o;
    o.stdin_data = sql;
    auto r = at::run({"sqlite3", "-bail", db.string()}, o);
    CHECK_FALSE(r.exited_with(0));
    CHECK(r.err.find("append-only") != std::string::npos);
  }
  CHECK(verify(db).exited_with(0));
}

TEST_CASE("one changed byte in entries.entry is found and named, wherever it is") {
  auto& b = base();
  const std::string original =
      column_bytes(b.ledger.path(), "SELECT hex(entry) FROM entries WHERE idx = 14;");
  REQUIRE(original.find("\"harvest-2\"") != std::string::npos);

  // Where to change a byte: the first character of each member's value, and a byte in the
  // middle of the event.
  auto value_of = [&](const std::string& member) {
    auto p = original.find("\"" + member + "\":");
    REQUIRE(p != std::string::npos);
    p += member.size() + 3;
    return original[p] == '"' ? p + 1 : p;
  };
  std::map<std::string, std::string> cases = {
      {"index digit", with_byte(original, value_of("index") + 1, sibling(original[value_of("index") + 1]))},
      {"prev", with_byte(original, value_of("prev"), sibling(original[value_of("prev")]))},
      {"key", with_byte(original, value_of("key"), sibling(original[value_of("key")]))},
      {"sig", with_byte(original, value_of("sig") + 10, sibling(original[value_of("sig") + 10]))},
      {"event.from_lot", with_byte(original, original.find("\"PL-2\"") + 4, '3')},
      {"event.quantity", with_byte(original, original.find("\"1000\"") + 1, '2')},
      {"raw byte flipped", with_byte(original, original.size() / 2,
                                     static_cast<char>(original[original.size() / 2] ^ 0x80))},
      {"last byte", with_byte(original, original.size() - 1, ' ')},
  };
  for (const auto& [name, changed] : cases) {
    CAPTURE(name);
    auto db = b.copy();
    at::sqlite3(db, std::string(kDropTriggers) + "UPDATE entries SET entry = " + sql_blob(changed) +
                        " WHERE idx = 14;");
    expect_failure_naming(verify(db), "entry 14");

    // An attacker who also recomputes leaf_hash gets no further: the signature (or the
    // chain, or the canonical form) still fails at entry 14.
    auto db2 = b.copy();
    at::sqlite3(db2, std::string(kDropTriggers) + "UPDATE entries SET entry = " + sql_blob(changed) +
                         ", leaf_hash = " + sql_blob(leaf_hash_of(changed)) + " WHERE idx = 14;");
    expect_failure_naming(verify(db2), "entry 14");
  }
}

TEST_CASE("one changed byte in entries.leaf_hash is found and named") {
  auto& b = base();
  const std::string original =
      column_bytes(b.ledger.path(), "SELECT hex(leaf_hash) FROM entries WHERE idx = 14;");
  REQUIRE(original.size() == 32);
  for (std::size_t pos : {std::size_t{0}, std::size_t{17}, std::size_t{31}}) {
    CAPTURE(pos);
    auto db = b.copy();
    std::string changed = with_byte(original, pos, static_cast<char>(original[pos] ^ 0x01));
    at::sqlite3(db, std::string(kDropTriggers) + "UPDATE entries SET leaf_hash = " + sql_blob(changed) +
                        " WHERE idx = 14;");
    expect_failure_naming(verify(db), "entry 14");
  }
}

TEST_CASE("one changed byte in entries.idx is found and named") {
  auto& b = base();
  // 14 ^ 0x40 = 78: one byte of the stored integer changes; entry 14 is gone from its place.
  auto db = b.copy();
  at::sqlite3(db, std::string(kDropTriggers) + "UPDATE entries SET idx = 78 WHERE idx = 14;");
  expect_failure_naming(verify(db), "entry 14");

  // Two entries swapping places is two changed rows, and still entry 14 is named first.
  auto db2 = b.copy();
  at::sqlite3(db2, std::string(kDropTriggers) +
                       "UPDATE entries SET idx = 1000 WHERE idx = 14;"
                       "UPDATE entries SET idx = 14 WHERE idx = 15;"
                       "UPDATE entries SET idx = 15 WHERE idx = 1000;");
  expect_failure_naming(verify(db2), "entry 14");
}

TEST_CASE("one changed byte in a stored checkpoint is found and the checkpoint named") {
  auto& b = base();
  const std::string note = column_bytes(b.ledger.path(), "SELECT hex(note) FROM checkpoints WHERE size = 18;");
  auto lines_at = [&](int line) {  // offset of the start of line `line` (0-based)
    std::size_t p = 0;
    for (int i = 0; i < line; ++i) p = note.find('\n', p) + 1;
    return p;
  };
  std::map<std::string, std::string> cases = {
      {"origin", with_byte(note, lines_at(0) + 2, sibling(note[lines_at(0) + 2]))},
      {"size", with_byte(note, lines_at(1) + 1, sibling(note[lines_at(1) + 1]))},
      {"root", with_byte(note, lines_at(2) + 5, sibling(note[lines_at(2) + 5]))},
      {"signature", with_byte(note, note.size() - 20, sibling(note[note.size() - 20]))},
  };
  REQUIRE(note.substr(lines_at(1), 3) == "18\n");
  for (const auto& [name, changed] : cases) {
    CAPTURE(name);
    auto db = b.copy();
    at::sqlite3(db, std::string(kDropTriggers) + "UPDATE checkpoints SET note = CAST(" + sql_blob(changed) +
                        " AS TEXT) WHERE size = 18;");
    expect_failure_naming(verify(db), "checkpoint of size 18");
  }

  // The other stored column: the row's size no longer matches the note it holds.
  auto db = b.copy();
  at::sqlite3(db, std::string(kDropTriggers) + "UPDATE checkpoints SET size = 19 WHERE size = 18;");
  auto r = verify(db);
  INFO(r.describe());
  CHECK(r.exited_with(1));
  CHECK(r.err.find("18") != std::string::npos);
}

TEST_CASE("a changed, added or removed row of a derived table is found and its entry named") {
  auto& b = base();
  std::map<std::string, std::string> cases = {
      {"lots.product_id", "UPDATE lots SET product_id = 'SCALLIOM' WHERE lot_id = 'H-2';"},
      {"lots.gs1_code", "UPDATE lots SET gs1_code = 'H-9' WHERE lot_id = 'H-2';"},
      {"lot_events.role", "UPDATE lot_events SET role = 'subjecT' WHERE lot_id = 'PL-2' AND entry_idx = 14;"},
      {"lot_events forged row", "INSERT INTO lot_events VALUES ('PK-4', 14, 'subject');"},
      {"lot_events removed row", "DELETE FROM lot_events WHERE lot_id = 'PL-2' AND entry_idx = 14;"},
      {"events.event_time",
       "UPDATE events SET event_time = replace(event_time, 'T06:', 'T07:') WHERE entry_idx = 14;"},
      {"events.event_id", "UPDATE events SET event_id = 'harvest-9' WHERE entry_idx = 14;"},
      {"harvests.harvest_date", "UPDATE harvests SET harvest_date = '2024-04-13' WHERE entry_idx = 14;"},
      {"lot_flows.amount", "UPDATE lot_flows SET amount = amount || '0' WHERE entry_idx = 14;"},
      {"lineage removed row", "DELETE FROM lineage WHERE entry_idx = 14;"},
      {"merkle_nodes leaf",
       "UPDATE merkle_nodes SET hash = zeroblob(32) WHERE level = 0 AND idx = 14;"},
  };
  for (const auto& [name, sql] : cases) {
    CAPTURE(name);
    auto db = b.copy();
    CHECK(at::sqlite3(db, sql + std::string(" SELECT changes();")) == "1\n");
    expect_failure_naming(verify(db), "entry 14");
  }
}

// A derived row moved elsewhere in its table's sort order (here: its lot renamed to sort
// first) must still be blamed on its own entry: the audit compares rows ordered by entry.
TEST_CASE("a derived row whose change moves it in sort order is blamed on its own entry") {
  auto db = base().copy();
  at::sqlite3(db, "UPDATE lot_events SET lot_id = 'A-FORGED' WHERE lot_id = 'PL-2' AND entry_idx = 14;");
  expect_failure_naming(verify(db), "entry 14");
}

// SQLite's own indexes are storage that queries trust as much as the derived tables: a byte
// changed in the events_by_time index makes `log --from --to` silently leave out entry 14.
// PRAGMA integrity_check finds it; verify must too.
TEST_CASE("a changed byte in an SQLite index page is caught by verify") {
  auto db = base().copy();
  at::sqlite3(db, "PRAGMA wal_checkpoint(TRUNCATE);");
  const auto page = std::stoul(at::sqlite3(db, "SELECT pageno FROM dbstat WHERE name = 'events_by_time';"));
  const auto page_size = std::stoul(at::sqlite3(db, "PRAGMA page_size;"));
  const auto unix_ms = std::stoull(at::sqlite3(db, "SELECT unix_ms FROM events WHERE entry_idx = 14;"));
  REQUIRE(unix_ms < (std::uint64_t{1} << 47));  // stored in 6 bytes, big-endian
  std::string needle;
  for (int shift = 40; shift >= 0; shift -= 8) needle += static_cast<char>((unix_ms >> shift) & 0xff);

  std::string file = at::read_file(db);
  const std::size_t start = (page - 1) * page_size;
  REQUIRE(file.size() >= start + page_size);
  auto at_ = file.find(needle, start);
  REQUIRE(at_ != std::string::npos);
  REQUIRE(at_ < start + page_size);
  file[at_ + 2] = static_cast<char>(file[at_ + 2] + 1);  // + 2^24 ms: about 4.7 hours later
  at::write_file(db, file);

  // The query now lies: harvest-2 (06:00) is missing from 05:30–06:30 …
  auto log = at::run({at::ledger_binary(), "--ledger", db.string(), "log", "--from", "2024-04-12T05:30:00+08:00",
                      "--to", "2024-04-12T06:30:00+08:00"});
  CHECK(log.out.find("harvest-2") == std::string::npos);
  CHECK(at::sqlite3(db, "PRAGMA integrity_check;") != "ok\n");  // … SQLite can tell …
  auto r = verify(db);                                            // … and so must verify.
  INFO(r.describe());
  CHECK(r.exited_with(1));
}

// The SQL an attacker runs to remove entries `first_missing`.. (triggers dropped first);
// `thorough` also removes their derived rows and the checkpoints that cover them.
std::string truncation(std::uint64_t first_missing, bool thorough) {
  const std::string k = std::to_string(first_missing);
  std::string sql = std::string(kDropTriggers) + "DELETE FROM entries WHERE idx >= " + k + ";";
  if (thorough)
    sql += "DELETE FROM checkpoints WHERE size > " + k + ";"
           "DELETE FROM merkle_nodes WHERE ((idx + 1) << level) > " + k + ";"
           "DELETE FROM events WHERE entry_idx >= " + k + ";"
           "DELETE FROM lots WHERE created_entry >= " + k + ";"
           "DELETE FROM lot_events WHERE entry_idx >= " + k + ";"
           "DELETE FROM lineage WHERE entry_idx >= " + k + ";"
           "DELETE FROM lot_flows WHERE entry_idx >= " + k + ";"
           "DELETE FROM pesticide_applications WHERE entry_idx >= " + k + ";"
           "DELETE FROM harvests WHERE entry_idx >= " + k + ";";
  return sql;
}

TEST_CASE("deleted last entries: verify with the saved checkpoint exits 1") {
  auto& b = base();
  const std::string saved = b.saved_checkpoint.string();
  for (std::uint64_t first_missing : {std::uint64_t{27}, std::uint64_t{29}}) {
    CAPTURE(first_missing);
    {  // entries deleted, the rest left as it was
      auto db = b.copy();
      at::sqlite3(db, truncation(first_missing, false));
      auto r = verify(db, {"--checkpoint", saved});
      INFO(r.describe());
      CHECK(r.exited_with(1));
      // Without the saved checkpoint the stored checkpoints and derived tables still betray it.
      CHECK(verify(db).exited_with(1));
    }
    {  // entries, their derived rows and the checkpoints covering them all deleted
      auto db = b.copy();
      const std::string triggers =
          at::sqlite3(db, "SELECT group_concat(sql, ';') || ';' FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ('entries', 'checkpoints');");
      at::sqlite3(db, truncation(first_missing, true));
      at::sqlite3(db, triggers);  // and puts the guard triggers back
      // A careful truncation leaves a file that is consistent in itself: only a checkpoint
      // saved outside the file can reveal it (that is why regulators keep one).
      auto plain = verify(db);
      INFO(plain.describe());
      CHECK(plain.exited_with(0));
      expect_failure_naming(verify(db, {"--checkpoint", saved}), "entry " + std::to_string(first_missing));
    }
  }
}

// Entries deleted with their derived rows left behind: the first missing index is named
// (a Merkle node is blamed on the last leaf it covers).
TEST_CASE("deleted last entries alone: the failure names the first missing index") {
  auto& b = base();
  for (std::uint64_t first_missing : {std::uint64_t{27}, std::uint64_t{29}}) {
    CAPTURE(first_missing);
    auto db = b.copy();
    at::sqlite3(db, truncation(first_missing, false));
    const std::string named = "entry " + std::to_string(first_missing);
    expect_failure_naming(verify(db, {"--checkpoint", b.saved_checkpoint.string()}), named);
    expect_failure_naming(verify(db), named);
  }
}

// The checkpoint signer is the log key's only use after setup, so it must sign only what it
// has audited: an entry that someone with write access to the file but no registered key
// appended (signed by a key of their own, with its Merkle leaf row so the file's tree
// agrees) must never be covered by a signed checkpoint.
TEST_CASE("an entry forged without a registered key is never signed into a checkpoint") {
  auto& b = base();
  auto db = b.copy();
  const std::string last = column_bytes(db, "SELECT hex(entry) FROM entries WHERE idx = 29;");
  auto prev = agtrace::merkle::leaf_hash(agtrace::as_bytes(last));
  nlohmann::json event = at::events::storage("forged-store", "PK-4", "2024-04-20T11:00:00+08:00");
  auto intruder = agtrace::note::SigningKey::generate("intruder");
  std::string forged = agtrace::encode_entry(
      agtrace::sign_entry(kTotal, prev, event, agtrace::json::canonicalize(event), intruder));
  const std::string leaf = sql_blob(leaf_hash_of(forged));
  at::sqlite3(db, fmt::format("INSERT INTO entries (idx, entry, leaf_hash) VALUES ({}, {}, {});"
                              "INSERT INTO merkle_nodes (level, idx, hash) VALUES (0, {}, {});",
                              kTotal, sql_blob(forged), leaf, kTotal, leaf));
  const std::string before = at::sqlite3(db, "SELECT size FROM checkpoints ORDER BY size;");

  auto r = at::run({at::ledger_binary(), "--ledger", db.string(), "checkpoint", "--log-key",
                    b.ledger.log_key().string()});
  expect_failure_naming(r, "entry 30");
  CHECK(at::sqlite3(db, "SELECT size FROM checkpoints ORDER BY size;") == before);
}

// A trigger runs inside the writer's own transaction: one planted in the file could delete a
// recall (or a void, or a label job) as it is recorded while the writer reports success. No
// writer writes to a file whose schema is not exactly agtrace's, and verify names the object.
TEST_CASE("a trigger planted in the file: writers refuse to write, verify names it") {
  // Plainly named, and named like an index (SQLite keeps triggers in a namespace of their
  // own, so a comparison keyed by name alone would let the recreated index hide it).
  bool like_an_index = false;
  SUBCASE("named plainly") {}
  SUBCASE("named like an index") { like_an_index = true; }
  auto& b = base();
  auto db = b.copy();
  const std::string name = like_an_index ? "codes_by_lot" : "sink";
  at::sqlite3(db, std::string(kDropTriggers) + "CREATE TRIGGER " + name +
                      " AFTER INSERT ON entries BEGIN DELETE FROM entries WHERE idx = NEW.idx; END;" +
                      (like_an_index ? "DROP INDEX codes_by_lot; CREATE INDEX codes_by_lot ON codes (lot_id);" : ""));
  const std::string before = at::sqlite3(db, "SELECT count(*), max(idx) FROM entries;");

  at::RunOptions o;
  o.stdin_data = at::events::storage("store-after", "PK-1", "2024-04-20T11:00:00+08:00").dump() + "\n";
  auto r = at::run({at::ledger_binary(), "--ledger", db.string(), "record", "--key", b.ledger.clerk_key().string(), "-"},
                   o);
  INFO(r.describe());
  CHECK(r.exited_with(1));
  CHECK(r.err.find("\"" + name + "\"") != std::string::npos);
  CHECK(at::sqlite3(db, "SELECT count(*), max(idx) FROM entries;") == before);

  auto audit = verify(db);
  INFO(audit.describe());
  CHECK(audit.exited_with(1));
  CHECK(audit.err.find("\"" + name + "\"") != std::string::npos);
}

// Cut back without a key (entries, derived rows and the checkpoints covering them, triggers
// put back), then an honest clerk appends: the file is consistent in itself, and a signer
// that trusted it would sign a second tree of a size it signed before. With its own memory
// (beside the log key) the signer refuses: a shorter log, and a same-size fork.
TEST_CASE("checkpoint: a ledger cut back and appended to is not signed again") {
  auto& b = base();
  const auto [log_key, state] = signer_copy(b, "signer-1");  // it signed size 30 last
  auto sign = [&, log_key = log_key](const fs::path& db) {
    return at::run({at::ledger_binary(), "--ledger", db.string(), "checkpoint", "--log-key", log_key.string()});
  };
  auto record = [&](const fs::path& db, const std::vector<nlohmann::json>& events) {
    at::RunOptions o;
    o.stdin_data = "";
    for (const auto& e : events) *o.stdin_data += e.dump() + "\n";
    auto r = at::run({at::ledger_binary(), "--ledger", db.string(), "record", "--key", b.ledger.clerk_key().string(), "-"},
                     o);
    REQUIRE_MESSAGE(r.exited_with(0), r.describe());
  };
  for (int appended : {1, 3}) {  // 28 entries (shorter), 30 entries (a fork)
    CAPTURE(appended);
    auto db = b.copy();
    const std::string triggers = at::sqlite3(
        db, "SELECT group_concat(sql, ';') || ';' FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN "
            "('entries', 'checkpoints');");
    at::sqlite3(db, truncation(27, true));
    at::sqlite3(db, triggers);
    std::vector<nlohmann::json> events = {
        at::events::inspection("inspect-again", "H-4", "2024-04-15T09:00:00+08:00"),
        at::events::packing("pack-again", "H-4", "PK-AGAIN", "2024-04-15T10:00:00+08:00", 10),
        at::events::storage("store-again", "PK-AGAIN", "2024-04-15T11:00:00+08:00")};
    events.resize(appended);
    record(db, events);
    const std::string before = at::sqlite3(db, "SELECT size FROM checkpoints ORDER BY size;");
    auto r = sign(db);
    INFO(r.describe());
    CHECK(r.exited_with(1));
    CHECK(r.err.find(state.string()) != std::string::npos);
    CHECK(at::sqlite3(db, "SELECT size FROM checkpoints ORDER BY size;") == before);
  }
  // The real ledger, grown, is signed and remembered.
  auto db = b.copy();
  record(db, {at::events::inspection("inspect-later", "H-4", "2024-04-16T09:00:00+08:00")});
  auto ok = sign(db);
  INFO(ok.describe());
  CHECK(ok.exited_with(0));
  CHECK(at::read_file(state) == ok.out);
}

// The attacker's deleted lineage row would leave packed lot PK-1 out of a recall of H-1 (and
// its codes and shipments out of the report) and out of a regulator's bundle.
TEST_CASE("recall, export and trace refuse a ledger whose derived tables were edited, writing nothing") {
  auto& b = base();
  auto db = b.copy();
  at::sqlite3(db, "DELETE FROM lineage WHERE entry_idx = 10;");
  const std::string before = at::sqlite3(db, "SELECT count(*) FROM entries;");
  auto cli = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {at::ledger_binary(), "--ledger", db.string()});
    return at::run(args);
  };
  const fs::path recall_out = b.copies / "recall-edited", bundle_out = b.copies / "bundle-edited";
  for (auto r : {cli({"recall", "--key", b.ledger.clerk_key().string(), "--reason", "残留超标", "--descendants", "--out",
                      recall_out.string(), "H-1"}),
                 cli({"export", "--format", "csv", "--lot", "H-1", "--out", bundle_out.string()}),
                 cli({"trace", "--forward", "H-1"})}) {
    INFO(r.describe());
    CHECK(r.exited_with(1));
    CHECK(r.err.find("does not verify") != std::string::npos);
    CHECK(r.err.find("entry 10") != std::string::npos);
  }
  CHECK(at::sqlite3(db, "SELECT count(*) FROM entries;") == before);
  CHECK_FALSE(fs::exists(recall_out));
  CHECK_FALSE(fs::exists(bundle_out));
}

// Writers take the next index and the previous entry's hash from the Merkle leaves, a
// derived table: a forged leaf row made an honest void land where it can never verify.
TEST_CASE("a forged Merkle leaf row: writers refuse to write, nothing lands at a wrong index") {
  auto& b = base();
  auto db = b.copy();
  at::sqlite3(db, "INSERT INTO merkle_nodes (level, idx, hash) VALUES (0, 30, randomblob(32));");
  const std::string before = at::sqlite3(db, "SELECT count(*), max(idx) FROM entries;");
  at::RunOptions o;
  o.stdin_data = at::events::storage("store-tip", "PK-1", "2024-04-20T11:00:00+08:00").dump() + "\n";
  auto r = at::run({at::ledger_binary(), "--ledger", db.string(), "record", "--key", b.ledger.clerk_key().string(), "-"},
                   o);
  INFO(r.describe());
  CHECK(r.exited_with(1));
  CHECK(r.err.find("does not agree with itself") != std::string::npos);
  CHECK(at::sqlite3(db, "SELECT count(*), max(idx) FROM entries;") == before);
}

// The signer's "nothing new" answer counts the entries, not the derived Merkle leaves, and
// the note it remembers is the one it checked against the audited tree, whatever row the
// file holds for that size.
TEST_CASE("checkpoint: an edited leaf table or a stored note of another tree is not taken on trust") {
  auto& b = base();
  const auto [log_key, state] = signer_copy(b, "signer-2");  // size 30
  auto sign = [&, log_key = log_key](const fs::path& db) {
    return at::run({at::ledger_binary(), "--ledger", db.string(), "checkpoint", "--log-key", log_key.string()});
  };
  auto db = b.copy();
  at::RunOptions o;
  o.stdin_data = at::events::inspection("inspect-more", "H-4", "2024-04-16T09:00:00+08:00").dump() + "\n";
  REQUIRE(at::run({at::ledger_binary(), "--ledger", db.string(), "record", "--key", b.ledger.clerk_key().string(), "-"},
                  o)
              .exited_with(0));
  {  // entry 30 hidden from size(): the signer must not answer "nothing new" with checkpoint 30
    auto hidden = b.copies / "hidden-leaf.db";
    at::copy_ledger(db, hidden);
    at::sqlite3(hidden, "DELETE FROM merkle_nodes WHERE ((idx + 1) << level) - 1 = 30;");
    auto r = sign(hidden);
    INFO(r.describe());
    CHECK(r.exited_with(1));
    CHECK(r.out.empty());
  }
  {  // a note of size 31 stored meanwhile that commits to another tree (here: a size-30 note relabelled)
    auto planted = b.copies / "planted-note.db";
    at::copy_ledger(db, planted);
    const std::string old_note = at::sqlite3(planted, "SELECT hex(note) FROM checkpoints WHERE size = 30;");
    at::sqlite3(planted, std::string(kDropTriggers) + "INSERT INTO checkpoints (size, note) VALUES (31, CAST(X'" +
                             old_note.substr(0, old_note.find_first_of("\r\n")) + "' AS TEXT));");
    auto r = sign(planted);
    INFO(r.describe());
    CHECK(r.exited_with(1));
    CHECK(at::read_file(state) == b.ledger.checkpoint());  // still size 30
  }
  auto ok = sign(db);
  INFO(ok.describe());
  CHECK(ok.exited_with(0));
  CHECK(at::read_file(state) == ok.out);
  CHECK(ok.out.find("\n31\n") != std::string::npos);
}

// A lost memory cannot be told from a first run by the file alone: the signer says so when
// the ledger already holds checkpoints, and starts again from the audited ledger.
TEST_CASE("checkpoint: a lost memory is reported, then rebuilt from the audited ledger") {
  auto& b = base();
  const auto [log_key, state] = signer_copy(b, "signer-3");
  fs::remove(state);
  auto db = b.copy();
  at::RunOptions o;
  o.stdin_data = at::events::inspection("inspect-lost", "H-4", "2024-04-16T09:00:00+08:00").dump() + "\n";
  REQUIRE(at::run({at::ledger_binary(), "--ledger", db.string(), "record", "--key", b.ledger.clerk_key().string(), "-"},
                  o)
              .exited_with(0));
  auto r = at::run({at::ledger_binary(), "--ledger", db.string(), "checkpoint", "--log-key", log_key.string()});
  INFO(r.describe());
  CHECK(r.exited_with(0));
  CHECK(r.err.find("memory " + state.string() + " is missing") != std::string::npos);
  CHECK(at::read_file(state) == r.out);
}
