// The verifier's own state (DESIGN §5 "Trust", docs/security.md): the ledger file's
// entries replayed and checked by the shared Replay (ledger/replay.h) into a state file
// of the verifier's own, which is the only thing requests read.
//
// At start() a follower thread creates the state file afresh (ledger schema, WAL), and
// replays every entry of the ledger file into it, then every checkpoint that verifies
// under the pinned log keys and whose root the replayed tree reproduces. It then checks the
// result against the checkpoint it remembers (TrustStore): a ledger smaller than it or
// with another root at its size is refused until an operator re-pins. From then on it
// polls the ledger file every `poll_interval_ms`: new entries and checkpoints are
// replayed in; the last verified entry is compared with the file's on every poll, and
// every entry every `recheck_interval_s` (and on every change of the file with
// `recheck_on_change`); a replaced file (another inode) is verified from
// scratch.
//
// Fail closed: any failure (a bad entry, serials that do not reproduce their root, a
// checkpoint that does not verify, a rollback or fork, a changed verified entry, a
// ledger that cannot be read) makes status() `failed` with the reason, logged once on
// standard error; readers() is then null and stays so until the file is replaced or
// re-pinned and verifies again. Never a partial history. "Replaced" includes a file copied
// over in place (same inode, as `cp` does): while failed, the follower compares the ledger
// file's and its -wal's stat (inode, size, modification and change times) with what they were
// when the verification failed, and a change starts a verification from scratch — after 1 s,
// backing off to 60 s while the changed file keeps failing. The new file passes only every
// check a restart would make, against the remembered checkpoint and tree.
//
// Shared: the printer station keeps a replica of its own with this class too (docs/station.md
// "账本副本"): its screens read only the verified state, never the ledger file's derived tables.
//
// Thread-safe: status(), readers() and poll_now() may be called from any thread.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "ledger/ledger.h"
#include "ledger/note/checkpoint.h"
#include "ledger/note/verifier_key.h"
#include "verifier/state/trust_store.h"
#include "verifier/view/trace_view.h"

namespace agtrace {
class Replay;
}

namespace agtrace::verifier {

struct StateConfig {
  std::string ledger_path;
  std::string state_path;  // the verifier's own state file (SCANS.verified), recreated at start
  std::string trust_path;  // TrustStore file (SCANS.trust)
  std::vector<note::VerifierKey> pinned_log_keys;  // required, non-empty
  int poll_interval_ms = 100;
  int recheck_interval_s = 300;
  // Also compare every verified entry with the file's whenever the ledger file changed (its
  // data_version, or the stat of it and its -wal): an edit of an old signed entry fails closed
  // at the next poll rather than within `recheck_interval_s`. The station's replica sets it
  // (docs/station.md "账本副本"); costs one read of the entries of the file and of the state per
  // change, no signature checked again: about 0.07 s of CPU per 100,000 entries
  // (bench/replica_recheck_bench.cpp).
  bool recheck_on_change = false;
  int readers = 4;  // read-only connections on the state file
  // Who logs (standard error prefix) and what it withholds while failed, in the one line
  // logged per failure reason.
  std::string program = "agtrace-verifier";
  std::string while_failed = "refusing to answer code, lot, proof and checkpoint requests (503)";
  // The command, less --size and --reason, that records a re-pin in `trust_path`.
  std::string repin_command = "agtrace-verifier repin --scans SCANS";
};

enum class StateStatus { replaying, verified, failed };

struct StateHealth {
  StateStatus status = StateStatus::replaying;
  std::string reason;              // why it failed (empty otherwise)
  std::uint64_t entries = 0;       // entries verified (while replaying: so far)
  std::uint64_t checkpoint = 0;    // size of the latest verified checkpoint
};

// Read-only Ledger connections on the state file, lent one per request, and the view cache
// over them. One set per verification from scratch (`epoch`).
class StateReaders {
 public:
  StateReaders(const std::string& state_path, int n, std::uint64_t epoch);

  class Lease {
   public:
    Lease(StateReaders& pool, Ledger* l) : pool_(pool), l_(l) {}
    ~Lease() { pool_.put(l_); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Ledger& operator*() { return *l_; }
    Ledger* operator->() { return l_; }

   private:
    StateReaders& pool_;
    Ledger* l_;
  };

  Lease get();
  LedgerCache& cache() { return cache_; }
  std::uint64_t epoch() const { return epoch_; }

 private:
  void put(Ledger* l);
  std::vector<std::unique_ptr<Ledger>> all_;
  std::vector<Ledger*> free_;
  std::mutex mu_;
  std::condition_variable cv_;
  LedgerCache cache_;
  std::uint64_t epoch_;
};

class VerifiedState {
 public:
  // Checks the configuration; opens nothing yet. Throws Error(bad_input) without pinned keys.
  explicit VerifiedState(StateConfig config);
  // Stops the follower.
  ~VerifiedState();
  VerifiedState(const VerifiedState&) = delete;
  VerifiedState& operator=(const VerifiedState&) = delete;

  // Starts the follower thread, which begins with the start-up replay.
  void start();

  StateHealth health() const;
  // The readers of the verified state, or null unless status is `verified`.
  std::shared_ptr<StateReaders> readers() const;

  // Ends the follower's current wait: it polls the ledger file now rather than after up to
  // `poll_interval_ms` (a writer that just appended wants its entry seen promptly).
  void poll_now();

 private:
  StateConfig config_;
  TrustStore trust_;

  mutable std::mutex mu_;
  StateHealth health_;
  std::shared_ptr<StateReaders> readers_;
  std::uint64_t epoch_ = 0;

  std::mutex stop_mu_;
  std::condition_variable stop_cv_;
  bool stop_ = false;
  bool poll_now_ = false;  // under stop_mu_
  std::atomic<bool> cancel_{false};  // stops a replay in progress at shutdown
  std::atomic<std::uint64_t> progress_{0};  // entries checked by the replay from scratch so far
  std::thread follower_;

  // Follower-thread state.
  std::unique_ptr<sql::Database> source_;
  dev_t source_dev_ = 0;
  ino_t source_ino_ = 0;
  // The ledger's write-ahead log and its wal-index (the -wal and -shm files' device and
  // inode, as our connection opened them; 0 before seen). Either deleted or replaced under
  // a running verifier, our connection keeps the old one and never sees a writer's later
  // commits (data_version stays put): the follower treats that like a replaced ledger file.
  struct SideFile {
    const char* suffix;
    dev_t dev = 0;
    ino_t ino = 0;
  };
  SideFile side_files_[2] = {{"-wal"}, {"-shm"}};
  std::int64_t source_data_version_ = -1;
  std::unique_ptr<sql::Database> target_;
  std::unique_ptr<Replay> replay_;
  std::uint64_t checkpoint_size_ = 0;  // latest checkpoint copied into the state (0: none)
  std::uint64_t tree_remembered_ = 0;  // size of the tree TrustStore remembers, once checked
  bool trust_checked_ = false;         // this verification checked the remembered state
  std::int64_t repins_seen_ = 0;
  std::string logged_reason_;          // the refusal last logged (each reason once)

  void follow();
  bool wait_stop(int ms);
  void verify_from_scratch();
  void catch_up();
  struct VerifiedCheckpoint {
    std::uint64_t size = 0;
    std::string note;
    note::Checkpoint parsed;
  };
  void check_trust(const std::vector<VerifiedCheckpoint>& fresh);
  std::string trust_problem(const std::vector<VerifiedCheckpoint>& fresh);
  void check_last_entry();
  void recheck_all();
  bool source_replaced();
  // The ledger file's and its -wal's stat (device, inode, size, mtime, ctime; "-" for a
  // missing one) as one string, to tell whether the file changed since a failure. (Not the
  // -shm: readers, our own included, write the wal-index.)
  std::string ledger_stamp() const;
  void stat_source();
  void set_status(StateStatus s, const std::string& reason);
  void fail(const std::string& reason);
  void close_state();
};

}  // namespace agtrace::verifier
