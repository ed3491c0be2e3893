// The full audit (DESIGN §3 "Audit"): replay every entry into a scratch database with the
// shared Replay (ledger/replay.h: chain, signatures, key validity, schemas, rules, label
// jobs), then compare every derived table and check every checkpoint.
#include <fmt/format.h>

#include <algorithm>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "ledger/audit_replay.h"
#include "ledger/ledger.h"
#include "ledger/merkle/merkle.h"
#include "ledger/note/signed_note.h"
#include "ledger/replay.h"
#include "ledger/store/schema.h"
#include "ledger/store/schema_check.h"
#include "ledger/i18n/refusal.h"
#include "ledger/util/error.h"

namespace agtrace {

namespace {

// Page cache of a scratch database, in KiB: what an audit holds of its replay in memory.
constexpr int kScratchCacheKib = 32 * 1024;

// The database an audit replays into: a private temporary database (SQLite's empty file
// name), not ":memory:". Its pages live in its page cache, at most kScratchCacheKib, and spill
// to a deleted file in SQLite's temporary directory (SQLITE_TMPDIR, TMPDIR, /var/tmp or /tmp)
// beyond that, so the audit's memory no longer grows with the ledger (about 0.6 KB of derived
// rows per entry: 600 MB at a million entries, issue 17). No rollback journal beyond memory
// and no fsync: a Replay that fails is discarded with its scratch (replay.h).
void open_scratch(sql::Database& scratch) {
  scratch.exec("PRAGMA journal_mode=MEMORY; PRAGMA synchronous=OFF;");
  scratch.exec(store::kPrimarySchema);
}

ReplayOptions scratch_replay_options() {
  ReplayOptions o;
  o.target_cache_kib = kScratchCacheKib;
  return o;
}

// Compares derived table `t` row by row between the ledger and the replay; names the
// entry of the first differing row.
void compare_table(sql::Database& ledger, sql::Database& replay, const store::DerivedTable& t) {
  std::string q = fmt::format("SELECT {}, * FROM {} ORDER BY {}", t.entry_expr, t.name, t.order_by);
  // A table added after schema 1 that an older file lacks reads as empty (schema.h).
  auto exists = ledger.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
  exists.bind(1, t.name);
  const bool in_file = exists.step() || !store::is_added_derived_table(t.name);
  auto a = ledger.prepare(in_file ? q : "SELECT 0 WHERE 0");
  auto b = replay.prepare(q);
  for (;;) {
    bool ra = a.step(), rb = b.step();
    if (!ra && !rb) return;
    if (ra && rb && a.row_bytes() == b.row_bytes()) continue;
    std::int64_t ea = ra ? a.column_int(0) : INT64_MAX;
    std::int64_t eb = rb ? b.column_int(0) : INT64_MAX;
    i18n::fail_check(i18n::Msg::audit_derived_table, std::min(ea, eb), t.name);
  }
}

// PRAGMA integrity_check of the ledger file at `path`, on a read-only connection of its
// own (so that it can run on a worker while the replay goes on): what it reports
// damaged, empty if nothing.
std::string integrity_damage(const std::string& path) {
  sql::Database db(path, sql::OpenMode::read_only);
  auto integrity = db.prepare("PRAGMA integrity_check(5)");
  std::string damage;
  while (integrity.step()) {
    std::string line = integrity.column_text(0);
    if (line != "ok") damage += (damage.empty() ? "" : "; ") + line;
  }
  return damage;
}

// Replays the entries of `ledger` that `replay` has not seen yet into `scratch` (every entry,
// for a fresh Replay), then checks everything but the entries before: every derived table of
// the file equals the replay's, SQLite's integrity check (on a worker meanwhile), and the codes
// tables hold exactly the serials the label jobs commit to. Inside the caller's snapshot.
void replay_and_compare(sql::Database& ledger, sql::Database& scratch, Replay& replay) {
  // Queries trust SQLite's own indexes as much as the derived tables: a changed index page
  // would make `log --from --to` or a code lookup silently miss rows. Checked on a worker
  // meanwhile, reported after the derived tables.
  std::string damage;
  std::exception_ptr integrity_error;
  replay.run(ledger, [&, path = ledger.path()] {
    try {
      damage = integrity_damage(path);
    } catch (...) {
      integrity_error = std::current_exception();
    }
  });
  if (replay.size() == 0) i18n::fail_check(i18n::Msg::audit_no_entries);
  for (const auto& t : store::derived_tables()) compare_table(ledger, scratch, t);
  if (integrity_error) std::rethrow_exception(integrity_error);
  if (!damage.empty())
    i18n::fail_check(i18n::Msg::audit_sqlite_damaged, damage);
  auto stored = ledger.prepare("SELECT (SELECT count(*) FROM codes) + (SELECT count(*) FROM code_events)");
  stored.step();
  if (static_cast<std::uint64_t>(stored.column_int(0)) != replay.serials_seen())
    i18n::fail_check(i18n::Msg::audit_codes_count, stored.column_int(0), replay.serials_seen());
}

// What the last write audit in this process replayed (audit_replay.h "incremental"): the
// scratch database and Replay, kept for the next write to the same file, and the leaf hash of
// every entry it verified.
struct WriteAuditCache {
  std::string path;
  sql::Database scratch{"", sql::OpenMode::create, 30000, "the audit's scratch database"};
  std::unique_ptr<Replay> replay;
  std::vector<Hash> leaves;
};
std::mutex write_audit_mu;
std::unique_ptr<WriteAuditCache> write_audit_cache;
detail::WriteAuditStats write_audit_stats;

// Whether the file's entries 0..n-1 are byte for byte the ones `c` verified: each row's leaf
// hash recomputed from its bytes, and its stored leaf_hash, equal the verified leaf hash.
// Then nothing the replay derived from them can have changed, so they need no new signature
// or rule check; everything derived from them is still compared in full.
bool verified_prefix_unchanged(sql::Database& ledger, const WriteAuditCache& c) {
  auto rows = ledger.prepare("SELECT idx, entry, leaf_hash FROM entries WHERE idx < ? ORDER BY idx");
  rows.bind(1, static_cast<std::int64_t>(c.leaves.size()));
  for (std::uint64_t i = 0; i < c.leaves.size(); ++i) {
    if (!rows.step() || rows.column_int(0) != static_cast<std::int64_t>(i)) return false;
    auto entry = rows.column_blob(1);
    auto stored = rows.column_blob(2);
    const Hash& verified = c.leaves[i];
    if (merkle::leaf_hash(entry) != verified) return false;
    if (stored.size() != verified.size() || !std::equal(stored.begin(), stored.end(), verified.begin())) return false;
  }
  return true;
}

// The write audit, incremental when this process audited a prefix of this file before.
void audit_incrementally(sql::Database& ledger) {
  std::lock_guard lock(write_audit_mu);
  auto snapshot = sql::Transaction::snapshot(ledger);
  auto& c = write_audit_cache;
  // Another file, or this one no longer beginning with the entries verified (edited, cut, or
  // replaced by another ledger): the full audit, which names what is wrong, if anything.
  if (c && (c->path != ledger.path() || !verified_prefix_unchanged(ledger, *c))) c.reset();
  try {
    const bool incremental = c != nullptr;
    if (!c) {
      c = std::make_unique<WriteAuditCache>();
      c->path = ledger.path();
      open_scratch(c->scratch);
      c->replay = std::make_unique<Replay>(c->scratch, scratch_replay_options());
    }
    const std::uint64_t before = c->replay->size();
    replay_and_compare(ledger, c->scratch, *c->replay);
    // The new entries' leaf hashes, as the replay just checked them against their bytes (same snapshot).
    auto fresh = ledger.prepare("SELECT leaf_hash FROM entries WHERE idx >= ? ORDER BY idx");
    fresh.bind(1, static_cast<std::int64_t>(before));
    while (fresh.step()) {
      auto b = fresh.column_blob(0);
      Hash h{};
      if (b.size() != h.size()) throw std::logic_error("a replayed entry's leaf_hash has the wrong size");
      std::copy(b.begin(), b.end(), h.begin());
      c->leaves.push_back(h);
    }
    if (c->leaves.size() != c->replay->size()) throw std::logic_error("write audit: leaf hashes and replay disagree");
    write_audit_stats = {incremental, c->replay->size() - before};
  } catch (...) {
    c.reset();  // a Replay that threw is discarded (replay.h); the next write audits from scratch
    throw;
  }
}

}  // namespace

namespace detail {

ReplayAudit::ReplayAudit(sql::Database& ledger)
    : scratch_("", sql::OpenMode::create, 30000, "the audit's scratch database") {
  open_scratch(scratch_);
  replay_ = std::make_unique<Replay>(scratch_, scratch_replay_options());
  // Read in one snapshot (the caller's transaction, if one is open): a concurrent writer's new
  // entries are simply not seen.
  auto snapshot = sql::Transaction::snapshot(ledger);
  replay_and_compare(ledger, scratch_, *replay_);
}

ReplayAudit::~ReplayAudit() = default;

WriteAuditStats last_write_audit() {
  std::lock_guard lock(write_audit_mu);
  return write_audit_stats;
}

void audit_before_write(sql::Database& ledger) {
  try {
    audit_incrementally(ledger);
  } catch (const Error& err) {
    if (err.kind() != ErrorKind::verification) throw;
    throw_verification(fmt::format(
        "账本文件未通过校验，未写入任何内容：{0}；请运行 `agtrace-ledger verify` 查明，并从备份恢复账本文件"
        "（docs/deploy.md） / the ledger file does not verify, so nothing was written: {0}; run `agtrace-ledger "
        "verify` and restore the file from a backup (docs/deploy.md)",
        err.what()));
  }
}

}  // namespace detail

AuditReport Ledger::verify(const std::optional<std::string>& saved_checkpoint) {
  AuditReport report;
  auto snapshot = sql::Transaction::snapshot(*db_);
  detail::ReplayAudit audit(*db_);
  Replay& replay = audit.replay();
  report.entries = replay.size();
  report.root = merkle::root(report.entries, replay.store().node_reader());
  report.log_key = replay.log_key_at(report.entries);

  // Each checkpoint must be signed by the log key in force at its size, as the replayed
  // key entries (log_init, log_key_rotated) say — not as the file's keys table says.
  auto checkpoints = db_->prepare("SELECT size, note FROM checkpoints ORDER BY size");
  while (checkpoints.step()) {
    auto size = static_cast<std::uint64_t>(checkpoints.column_int(0));
    replay.check_checkpoint(size, checkpoints.column_text(1));
    ++report.checkpoints;
    report.latest_checkpoint_size = size;
  }

  if (saved_checkpoint) {
    note::Checkpoint saved;
    note::VerifierKey log_key = info().log_key;
    try {
      // The size decides which log key must have signed it; read it before verifying.
      auto body = note::parse_checkpoint_body(note::parse_note(*saved_checkpoint).text);
      log_key = replay.log_key_at(body.size);
      saved = note::open_checkpoint(*saved_checkpoint, log_key);
    } catch (const Error& err) {
      i18n::fail_check(i18n::Msg::audit_saved_unsigned, std::string(err.what()), log_key.key_id());
    }
    if (saved.size > report.entries)
      i18n::fail_check(i18n::Msg::audit_saved_covers_more, report.entries, saved.size);
    if (saved.size > 0) {
      auto proof = merkle::consistency_proof(saved.size, report.entries, replay.store().node_reader());
      try {
        merkle::verify_consistency(saved.size, report.entries, proof, saved.root, report.root);
      } catch (const Error&) {
        // The library's finding names hex roots; the saved checkpoint shows base64.
        i18n::fail_check(i18n::Msg::audit_saved_inconsistent, saved.size, base64_encode(saved.root));
      }
    } else if (saved.root != merkle::empty_root()) {
      // Every log extends the empty tree, but only the empty tree's root (RFC 9162 §2.1.1:
      // SHA-256 of the empty string) is that tree: any other root was never this log's.
      i18n::fail_check(i18n::Msg::audit_saved_empty_root, base64_encode(saved.root),
                       base64_encode(merkle::empty_root()));
    }
    report.saved_checkpoint_size = saved.size;
  }
  // Last, so that a changed entry or row is named first (tampering drops the guard triggers).
  store::check_schema(*db_);
  return report;
}

}  // namespace agtrace
