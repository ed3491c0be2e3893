// The verifier's remembered checkpoint and re-pin log (trust_store.h).
#include "verifier/state/trust_store.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "ledger/time/timestamp.h"
#include "ledger/util/error.h"

namespace agtrace::verifier {

namespace {

constexpr std::string_view kSchema = R"sql(
CREATE TABLE IF NOT EXISTS verified_checkpoint (
  id          INTEGER PRIMARY KEY CHECK (id = 1),
  origin      TEXT NOT NULL,
  size        INTEGER NOT NULL,
  root        BLOB NOT NULL,
  note        TEXT NOT NULL,
  verified_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS repins (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  at            TEXT NOT NULL,      -- when the operator re-pinned (UTC)
  size          INTEGER NOT NULL,   -- the checkpoint size accepted
  reason        TEXT NOT NULL,
  previous_size INTEGER,            -- what was remembered before (NULL: nothing)
  previous_root BLOB,
  used_at       TEXT);              -- when a verification accepted a ledger by it
CREATE TRIGGER IF NOT EXISTS repins_no_delete BEFORE DELETE ON repins
  BEGIN SELECT RAISE(ABORT, 'the re-pin log is append-only'); END;
)sql";

sql::OpenMode mode_for(const std::string& path) {
  return std::filesystem::exists(path) ? sql::OpenMode::read_write : sql::OpenMode::create;
}

std::string now_text() { return time::format_utc(time::now_unix_ms()); }

}  // namespace

TrustStore::TrustStore(const std::string& path) : db_(path, mode_for(path), 30000, "verifier trust file") {
  db_.exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;");
  db_.exec(kSchema);
}

std::optional<RememberedCheckpoint> TrustStore::remembered() {
  std::lock_guard lock(mu_);
  auto s = db_.prepare("SELECT origin, size, root, note, verified_at FROM verified_checkpoint WHERE id = 1");
  if (!s.step()) return std::nullopt;
  RememberedCheckpoint r;
  r.origin = s.column_text(0);
  r.size = static_cast<std::uint64_t>(s.column_int(1));
  auto root = s.column_blob(2);
  if (root.size() != r.root.size())
    throw_verification(fmt::format("{}: the remembered checkpoint's root is damaged; restore the file or re-pin",
                                   db_.path()));
  std::copy(root.begin(), root.end(), r.root.begin());
  r.note = s.column_text(3);
  r.verified_at = s.column_text(4);
  return r;
}

void TrustStore::remember(const RememberedCheckpoint& cp) {
  std::lock_guard lock(mu_);
  db_.prepare("INSERT OR REPLACE INTO verified_checkpoint (id, origin, size, root, note, verified_at) "
              "VALUES (1, ?, ?, ?, ?, ?)")
      .bind(1, cp.origin).bind(2, static_cast<std::int64_t>(cp.size)).bind_blob(3, cp.root).bind(4, cp.note)
      .bind(5, now_text()).run();
}

std::optional<Repin> TrustStore::pending_repin() {
  std::lock_guard lock(mu_);
  auto s = db_.prepare("SELECT id, size, reason, at FROM repins WHERE used_at IS NULL ORDER BY id DESC LIMIT 1");
  if (!s.step()) return std::nullopt;
  return Repin{s.column_int(0), static_cast<std::uint64_t>(s.column_int(1)), s.column_text(2), s.column_text(3)};
}

void TrustStore::use_repin(std::int64_t id, const RememberedCheckpoint& cp) {
  std::lock_guard lock(mu_);
  sql::Transaction tx(db_);
  // Older unused re-pins are superseded by this one.
  db_.prepare("UPDATE repins SET used_at = ? WHERE id <= ? AND used_at IS NULL").bind(1, now_text()).bind(2, id).run();
  db_.prepare("INSERT OR REPLACE INTO verified_checkpoint (id, origin, size, root, note, verified_at) "
              "VALUES (1, ?, ?, ?, ?, ?)")
      .bind(1, cp.origin).bind(2, static_cast<std::int64_t>(cp.size)).bind_blob(3, cp.root).bind(4, cp.note)
      .bind(5, now_text()).run();
  tx.commit();
}

std::int64_t TrustStore::repin_count() {
  std::lock_guard lock(mu_);
  auto s = db_.prepare("SELECT count(*) FROM repins");
  s.step();
  return s.column_int(0);
}

Repin TrustStore::record_repin(const std::string& path, std::uint64_t size, const std::string& reason) {
  if (size == 0) throw_bad_input("--size 0: give the size of the ledger's checkpoint to accept (at least 1)");
  if (std::all_of(reason.begin(), reason.end(), [](unsigned char c) { return c == ' ' || c == '\t'; }))
    throw_bad_input("--reason: say why the ledger is re-pinned (e.g. \"restored from the 2024-05-01 backup\")");
  TrustStore store(path);
  auto before = store.remembered();
  Repin r{0, size, reason, now_text()};
  std::lock_guard lock(store.mu_);
  auto insert = store.db_.prepare(
      "INSERT INTO repins (at, size, reason, previous_size, previous_root) VALUES (?, ?, ?, ?, ?)");
  insert.bind(1, r.at).bind(2, static_cast<std::int64_t>(size)).bind(3, reason);
  if (before) {
    insert.bind(4, static_cast<std::int64_t>(before->size)).bind_blob(5, before->root);
  } else {
    insert.bind_null(4).bind_null(5);
  }
  insert.run();
  auto id = store.db_.prepare("SELECT last_insert_rowid()");
  id.step();
  r.id = id.column_int(0);
  return r;
}

}  // namespace agtrace::verifier
