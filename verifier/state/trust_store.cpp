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
CREATE TABLE IF NOT EXISTS verified_tree (
  id          INTEGER PRIMARY KEY CHECK (id = 1),
  size        INTEGER NOT NULL,
  root        BLOB NOT NULL,
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

// Columns added after the first trust files were written (ALTER TABLE on older files).
constexpr std::pair<const char*, const char*> kRepinColumnsAdded[] = {
    {"previous_tree_size", "INTEGER"},  // the verified tree remembered when recorded
    {"previous_tree_root", "BLOB"},
    {"expired_at", "TEXT"},  // when a verification accepted the ledger without it
};

Hash hash_of(const sql::Statement& s, int col, const std::string& path, const char* what) {
  auto b = s.column_blob(col);
  Hash h{};
  if (b.size() != h.size())
    throw_verification(fmt::format("{}: {} is damaged; restore the file or re-pin", path, what));
  std::copy(b.begin(), b.end(), h.begin());
  return h;
}

}  // namespace

TrustStore::TrustStore(const std::string& path) : db_(path, mode_for(path), 30000, "verifier trust file") {
  db_.exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;");
  db_.exec(kSchema);
  for (const auto& [name, type] : kRepinColumnsAdded) {
    auto has = db_.prepare("SELECT 1 FROM pragma_table_info('repins') WHERE name = ?");
    has.bind(1, name);
    if (!has.step()) db_.exec(fmt::format("ALTER TABLE repins ADD COLUMN {} {}", name, type));
  }
}

std::optional<RememberedCheckpoint> TrustStore::remembered() {
  std::lock_guard lock(mu_);
  auto s = db_.prepare("SELECT origin, size, root, note, verified_at FROM verified_checkpoint WHERE id = 1");
  if (!s.step()) return std::nullopt;
  RememberedCheckpoint r;
  r.origin = s.column_text(0);
  r.size = static_cast<std::uint64_t>(s.column_int(1));
  r.root = hash_of(s, 2, db_.path(), "the remembered checkpoint's root");
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

std::optional<RememberedTree> TrustStore::remembered_tree() {
  std::lock_guard lock(mu_);
  auto s = db_.prepare("SELECT size, root FROM verified_tree WHERE id = 1");
  if (!s.step()) return std::nullopt;
  return RememberedTree{static_cast<std::uint64_t>(s.column_int(0)),
                        hash_of(s, 1, db_.path(), "the remembered tree's root")};
}

void TrustStore::remember_tree(const RememberedTree& tree) {
  std::lock_guard lock(mu_);
  db_.prepare("INSERT OR REPLACE INTO verified_tree (id, size, root, verified_at) VALUES (1, ?, ?, ?)")
      .bind(1, static_cast<std::int64_t>(tree.size)).bind_blob(2, tree.root).bind(3, now_text()).run();
}

std::optional<Repin> TrustStore::pending_repin() {
  std::lock_guard lock(mu_);
  auto s = db_.prepare(
      "SELECT id, size, reason, at, previous_size, previous_root, previous_tree_size, previous_tree_root FROM repins "
      "WHERE used_at IS NULL AND expired_at IS NULL ORDER BY id DESC LIMIT 1");
  if (!s.step()) return std::nullopt;
  Repin r{s.column_int(0), static_cast<std::uint64_t>(s.column_int(1)), s.column_text(2), s.column_text(3), {}, {}};
  if (!s.is_null(4))
    r.previous_checkpoint.emplace(static_cast<std::uint64_t>(s.column_int(4)),
                                  hash_of(s, 5, db_.path(), "a re-pin's previous root"));
  if (!s.is_null(6))
    r.previous_tree = RememberedTree{static_cast<std::uint64_t>(s.column_int(6)),
                                     hash_of(s, 7, db_.path(), "a re-pin's previous tree root")};
  return r;
}

int TrustStore::expire_repins() {
  std::lock_guard lock(mu_);
  db_.prepare("UPDATE repins SET expired_at = ? WHERE used_at IS NULL AND expired_at IS NULL")
      .bind(1, now_text()).run();
  auto n = db_.prepare("SELECT changes()");
  n.step();
  return static_cast<int>(n.column_int(0));
}

void TrustStore::use_repin(std::int64_t id, const RememberedCheckpoint& cp, const RememberedTree& tree) {
  std::lock_guard lock(mu_);
  sql::Transaction tx(db_);
  db_.prepare("INSERT OR REPLACE INTO verified_tree (id, size, root, verified_at) VALUES (1, ?, ?, ?)")
      .bind(1, static_cast<std::int64_t>(tree.size)).bind_blob(2, tree.root).bind(3, now_text()).run();
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
  auto tree = store.remembered_tree();
  Repin r{0, size, reason, now_text(), {}, tree};
  if (before) r.previous_checkpoint.emplace(before->size, before->root);
  std::lock_guard lock(store.mu_);
  auto insert = store.db_.prepare(
      "INSERT INTO repins (at, size, reason, previous_size, previous_root, previous_tree_size, previous_tree_root) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)");
  insert.bind(1, r.at).bind(2, static_cast<std::int64_t>(size)).bind(3, reason);
  if (before) {
    insert.bind(4, static_cast<std::int64_t>(before->size)).bind_blob(5, before->root);
  } else {
    insert.bind_null(4).bind_null(5);
  }
  if (tree) {
    insert.bind(6, static_cast<std::int64_t>(tree->size)).bind_blob(7, tree->root);
  } else {
    insert.bind_null(6).bind_null(7);
  }
  insert.run();
  auto id = store.db_.prepare("SELECT last_insert_rowid()");
  id.step();
  r.id = id.column_int(0);
  return r;
}

}  // namespace agtrace::verifier
