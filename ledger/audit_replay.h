// The heart of the full audit (DESIGN §3 "Audit"), shared by `verify` and by every writer
// before it signs (docs/security.md "Writers check the file before they sign"). Internal to
// the ledger library.
#pragma once

#include <cstdint>
#include <memory>

#include "ledger/replay.h"
#include "ledger/store/sqlite.h"

namespace agtrace::detail {

// Replays every entry of `ledger` into a scratch database of its own (a private temporary
// database: at most 32 MiB of it in memory, the rest in a deleted file in SQLite's temporary
// directory, about 0.6 KB per entry) with the shared Replay (chain, signatures, keys, schemas, rules, label jobs), then compares every derived table of
// the file with the replay's, the codes tables with the serials the label jobs commit to, and
// (on a worker meanwhile) runs PRAGMA integrity_check. Reads inside the caller's transaction
// on `ledger` when one is open (a writer's BEGIN IMMEDIATE: nothing can change between this
// audit and the writer's own rules), else in a read snapshot of its own. Throws
// Error(verification) naming the first bad entry or table. The checkpoints are not checked
// here (Ledger::verify does).
class ReplayAudit {
 public:
  explicit ReplayAudit(sql::Database& ledger);
  ~ReplayAudit();
  ReplayAudit(const ReplayAudit&) = delete;
  ReplayAudit& operator=(const ReplayAudit&) = delete;

  // The replay, with every entry of the file replayed.
  Replay& replay() { return *replay_; }

 private:
  sql::Database scratch_;
  std::unique_ptr<Replay> replay_;
};

// The audit above, run by a writer inside its write transaction before it checks any rule or
// signs: the rules then read derived tables proven equal to the replay of the signed entries,
// so an edited derived row (a forged certificate, a deleted void or recall) can never make an
// honest key sign what the rules refuse.
//
// Incremental within a process (a station writing all day): the scratch replay of the last
// write audit of the same file is kept, with the leaf hash of every entry it verified. The
// next write audit first checks that the file's entries 0..n-1 are byte for byte those (each
// entry's bytes hashed again and its stored leaf_hash compared; if not, it is the full audit
// from scratch, which names the first bad entry), replays only the entries after them (chain, signatures, keys, schemas, rules, label jobs), and then compares every
// derived table in full, runs PRAGMA integrity_check and counts the serials, as the full
// audit does. Every check of the full audit is kept; only the signatures and rules of entries
// verified before, whose bytes are unchanged, are not checked again. Any failure discards the
// kept replay. One file at a time per process (another file starts afresh); the kept replay
// holds the derived tables in a scratch database as above (32 MiB of page cache). Thread-safe. Throws Error(verification) "账本文件未通过校验，未写入任何内容
// / the ledger file does not verify, nothing was written: WHY" with the fix.
void audit_before_write(sql::Database& ledger);

// What the last audit_before_write in this process did: whether it continued a kept replay,
// and how many entries it replayed (for tests and the benchmark).
struct WriteAuditStats {
  bool incremental = false;
  std::uint64_t replayed = 0;
};
WriteAuditStats last_write_audit();

}  // namespace agtrace::detail
