// The station's verified replica of the ledger (docs/station.md "账本副本", docs/security.md
// "The station's screens read a verified replica"). What an operator sees as the ledger's
// word — lots, packed and unlabelled units, the preview's facts, certificates, history, the
// shift report — must come from signed entries that verified, never from the ledger file's
// derived tables, which anybody with write access to the file can edit.
//
// A Replica is the verifier's own verified state (verifier/state/verified_state.h) kept by
// the station: a follower thread replays every entry of the ledger file with the shared
// Replay into STATE.verified (STATE: the station's --state file), checks the checkpoints
// under the pinned log key and what STATE.trust remembers, then follows the file. Readers
// get a Ledger on that replica, in one read transaction per request. It fails closed: while
// the start-up replay runs, or after any failure (a bad entry, a changed verified entry, a
// rollback), read() throws ReplicaUnavailable and nothing is shown from the ledger. Every
// verified entry is compared with the file's whenever the file changes (StateConfig::
// recheck_on_change), so an old signed entry edited under a running station fails it within
// one poll interval, not only at a restart.
//
// Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "ledger/ledger.h"
#include "ledger/note/verifier_key.h"
#include "ledger/store/sqlite.h"
#include "verifier/state/verified_state.h"

namespace agtrace::station {

struct ReplicaOptions {
  std::string ledger_path;
  std::string state_path;  // the station's --state file; the replica is STATE.verified, its trust STATE.trust
  std::vector<note::VerifierKey> pinned_log_keys;  // the log's public key(s): required, never from the ledger
  int poll_interval_ms = 100;
  int readers = 4;  // connections on the replica lent to requests at once
};

// The replica cannot be read: still replaying at start-up (`failed` false), or failed.
// what() is the operator's message, Chinese first (unavailable_message).
class ReplicaUnavailable : public std::runtime_error {
 public:
  ReplicaUnavailable(const std::string& message, bool failed) : std::runtime_error(message), failed_(failed) {}
  bool failed() const { return failed_; }

 private:
  bool failed_;
};

// One request's read of the verified state: a Ledger on the replica inside a read
// transaction (one consistent snapshot), returned to the pool when destroyed.
class ReplicaRead {
 public:
  explicit ReplicaRead(std::shared_ptr<verifier::StateReaders> readers);
  ReplicaRead(const ReplicaRead&) = delete;
  ReplicaRead& operator=(const ReplicaRead&) = delete;
  Ledger& operator*() { return *lease_; }
  Ledger* operator->() { return &*lease_; }

 private:
  std::shared_ptr<verifier::StateReaders> readers_;
  verifier::StateReaders::Lease lease_;
  sql::Transaction snapshot_;
};

class Replica {
 public:
  // Starts the follower (the start-up replay first). Throws Error(bad_input) without a
  // pinned log key.
  explicit Replica(ReplicaOptions options);
  Replica(const Replica&) = delete;
  Replica& operator=(const Replica&) = delete;

  // The verified state's health, or `failed` (reason kWriterAuditReason) after
  // writer_audit_failed() until a replaced file verified from scratch.
  verifier::StateHealth health() const;

  // A write of the station's (a print job, a reprint, a certificate) was refused by the ledger
  // writer's audit before signing (ledger/audit.cpp audit_before_write: the file's derived
  // tables disagree with its signed entries). The station then fails closed as for a failed
  // replica — every read() throws, the banner shows, Print is refused — until the replica
  // verifies a replaced ledger file from scratch (restored from a backup by rename or copy to
  // a new inode) or the station restarts; the next write audits the file again. `detail` (the audit's English detail) goes to standard error only.
  void writer_audit_failed(const std::string& detail);

  // health().reason after writer_audit_failed(); unavailable_message() words it in Chinese.
  static constexpr const char* kWriterAuditReason =
      "the ledger writer's audit before writing found the file's derived tables disagreeing with its signed "
      "entries (details in the station's log)";

  // A read of the verified state. When the ledger file holds more entries than the replica
  // (another program appended: a clerk's import, the other station), it first polls and waits
  // up to kReadCatchUp for them, so a screen is at most that stale; the file's entry count
  // is only a hint to wait, nothing read from the file is shown. Throws ReplicaUnavailable
  // unless the replica is verified.
  ReplicaRead read();

  // After the station appended entry `entry` itself: the follower polls now, and this waits
  // up to `timeout` until the replica holds that entry (true) — so the screen the operator
  // sees next counts it. False on timeout or when the replica failed.
  bool catch_up_to(std::uint64_t entry, std::chrono::milliseconds timeout);

  // Polls the ledger file now (a write the station did not wait for, e.g. a print job's).
  void poll_now() { state_.poll_now(); }

  // Waits up to `timeout` for the start-up replay to end (verified or failed): true if it did.
  bool wait_started(std::chrono::milliseconds timeout) const;

  static constexpr std::chrono::milliseconds kReadCatchUp{1000};

 private:
  ReplicaOptions options_;
  verifier::VerifiedState state_;
  std::mutex file_mu_;
  std::unique_ptr<sql::Database> file_;  // read-only, for the entry count alone

  // Entries in the ledger file, or 0 when it cannot be read now.
  std::uint64_t file_entries();

  mutable std::mutex audit_mu_;
  mutable bool audit_failed_ = false;          // a write's audit failed (writer_audit_failed)
  std::uint64_t audit_failed_epoch_ = 0;       // the verification from scratch it failed under
};

// The operator's words for `h` when it is not verified (Chinese first): verifying, or
// "账本文件未通过校验……请联系管理员" with the reason.
std::string unavailable_message(const verifier::StateHealth& h);

}  // namespace agtrace::station
