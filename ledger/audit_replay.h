// The heart of the full audit (DESIGN §3 "Audit"), shared by `verify` and by every writer
// before it signs (docs/security.md "Writers check the file before they sign"). Internal to
// the ledger library.
#pragma once

#include <memory>

#include "ledger/replay.h"
#include "ledger/store/sqlite.h"

namespace agtrace::detail {

// Replays every entry of `ledger` into a scratch database of its own with the shared Replay
// (chain, signatures, keys, schemas, rules, label jobs), then compares every derived table of
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
// honest key sign what the rules refuse. Throws Error(verification) "账本文件未通过校验，未写入任何内容
// / the ledger file does not verify, nothing was written: WHY" with the fix.
void audit_before_write(sql::Database& ledger);

}  // namespace agtrace::detail
