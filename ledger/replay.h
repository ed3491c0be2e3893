// The replay: the one place where stored entries become trusted state (DESIGN §3 "Audit",
// §5 "Trust"). `agtrace-ledger verify` replays a ledger file into a scratch database and
// compares; `agtrace-verifier serve` replays it into a state file of its own and answers
// only from that. Both use this class, so both check exactly the same things.
//
// For each entry, in index order, a Replay checks: the row's index, the entry's index
// field, the hash chain (prev), the stored leaf hash, the signer's key (registered by an
// earlier entry, not revoked before this index, of a role that may sign this event type;
// judged by entry index, never by event time), the Ed25519 signature, the event's JSON
// Schema, every append rule (detail::check_event, without the clock), and for label jobs
// the serial set (count and serial_root, DESIGN §4) and the label-job rules
// (detail::check_label_job_rules). It then writes the entry's derived rows to the target
// with store::Store — the same code that writes them on append — and copies the job's
// serials into the target's codes / code_events tables. With pinned log keys, every log
// key that entry 0 or a log_key_rotated entry names must be one of them.
//
// Work is shared by the machine's cores: worker threads decode entries and check schemas
// ahead of the replay, and verify signatures once the replay has named the key; the error
// reported is the one a sequential replay would report (the first bad entry, and for one
// entry its signature before its schema and rules).
//
// Incremental: run() may be called again later and continues where the last run stopped
// (keys, chain and Merkle range are kept). After run() throws, the Replay (and its target)
// must be discarded. One thread at a time.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/note/checkpoint.h"
#include "ledger/note/verifier_key.h"
#include "ledger/store/sqlite.h"
#include "ledger/store/store.h"

namespace agtrace {

struct ReplayOptions {
  // Copy every entry's bytes into the target's entries table (the verifier's state, which
  // serves them); otherwise only master-data entries, which the rules read back (verify).
  bool keep_all_entries = false;
  // The trust root (DESIGN §5): when non-empty, every log key the ledger names (entry 0's
  // log_init key, every log_key_rotated key) must be one of these, or the entry is bad.
  std::vector<note::VerifierKey> pinned_log_keys;
  // Page cache of the target connection, in KiB (SQLite's negative cache_size); 0 keeps
  // the connection's setting.
  int target_cache_kib = 0;
  // When set and true, run() stops at the next chunk of entries and throws
  // Error(environment) "stopped" (a verifier shutting down during a long start-up replay).
  const std::atomic<bool>* cancel = nullptr;
  // When set, run() keeps here how many entries are fully checked so far (rules and
  // signatures), chunk by chunk, and size() when it returns: a start-up replay's progress
  // for /healthz.
  std::atomic<std::uint64_t>* progress = nullptr;
  // When set, called for each label job (entry index, event type, its serials sorted
  // bytewise) once the serials are checked against the entry and copied into the target,
  // inside run()'s transaction on the target: the verifier keeps each job's serial tree
  // this way (verifier/state/serial_trees.h). What it throws fails run() as a bad entry would.
  std::function<void(std::uint64_t index, const std::string& type, const std::vector<std::string>& sorted_serials)>
      on_label_job;
};

class Replay {
 public:
  // Replays into `target`, which must be empty but for store::kPrimarySchema (entries,
  // checkpoints, codes, code_events); the Replay creates the derived tables, and beside the
  // file's indexes store::kReplayIndexSchema's for the rules' queries. `target` must outlive
  // the Replay.
  Replay(sql::Database& target, ReplayOptions options);
  ~Replay();
  Replay(const Replay&) = delete;
  Replay& operator=(const Replay&) = delete;

  // Replays the entries of `source` (a ledger file) from index size() to the last one
  // it holds, reading them and the label jobs' serials inside the caller's read
  // transaction on `source`, and commits them to the target in one transaction.
  // `alongside`, if given, runs on a worker meanwhile and has finished when run()
  // returns. Throws Error(verification) "entry N: why" naming the first bad entry;
  // nothing of this run is committed then.
  void run(sql::Database& source, const std::function<void()>& alongside = {});

  // Checks a stored checkpoint (the checkpoints row `row_size` holding `signed_note`)
  // against the replayed log: signed by the log key in force at its size as the
  // replayed key entries say, of the size its row says, within the replayed entries, and
  // with the root the replayed tree has at that size. Throws Error(verification) with
  // the audit's message; returns the parsed checkpoint.
  note::Checkpoint check_checkpoint(std::uint64_t row_size, std::string_view signed_note);

  // The log key in force for a checkpoint of `size` entries, as the replayed key entries
  // say (entry 0's key for size 0). Throws Error(verification) before entry 0 is replayed.
  note::VerifierKey log_key_at(std::uint64_t size);

  // Entries replayed so far, and serials of label jobs copied so far.
  std::uint64_t size() const;
  std::uint64_t serials_seen() const { return serials_seen_; }
  store::Store& store() { return *store_; }

 private:
  // What runs keep between them: the signers' keys, and each thread's compiled schemas
  // and verification contexts (compiled once per Replay, not once per run).
  struct Kept;
  sql::Database& target_;
  ReplayOptions options_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Kept> kept_;
  std::uint64_t serials_seen_ = 0;
  bool broken_ = false;
};

}  // namespace agtrace
