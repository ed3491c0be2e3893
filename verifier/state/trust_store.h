// What the verifier remembers between runs about the log it serves (DESIGN §5 "Trust",
// docs/security.md): the latest checkpoint it verified, the largest tree it verified and
// served (checkpointed or not), and the operator's re-pins.
//
// Kept in a small SQLite file of its own next to the scans file (`SCANS.trust`), never in
// the ledger. Two tables:
//   verified_checkpoint  one row: origin, size, root and signed note of the latest
//                        checkpoint this verifier verified; a ledger must stay consistent
//                        with it (not smaller: rolled back; not another root at that size:
//                        forked);
//   verified_tree        one row: size and root (RFC 9162 MTH) of the largest tree this
//                        verifier verified and served, updated as the follower verifies new
//                        entries; a ledger must hold it as its prefix, so a void or recall not
//                        yet under a checkpoint cannot be erased;
//   repins               append-only log of `agtrace-verifier repin`: when, the size the
//                        operator accepts, why, what was remembered when it was recorded
//                        (checkpoint and tree), and when a verification used it or found it
//                        not needed (expired). A re-pin applies only to a refusal against
//                        exactly the state it recorded.
// Thread-safe: each call opens its own short transaction on its own connection.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>

#include "ledger/store/sqlite.h"
#include "ledger/util/bytes.h"

namespace agtrace::verifier {

struct RememberedCheckpoint {
  std::string origin;
  std::uint64_t size = 0;
  Hash root{};
  std::string note;         // the signed note, verbatim
  std::string verified_at;  // UTC, RFC 3339
};

// The largest tree (entries 0 … size-1) the verifier verified and served.
struct RememberedTree {
  std::uint64_t size = 0;
  Hash root{};  // MTH of the first `size` entries (RFC 9162 §2.1.1)
};

struct Repin {
  std::int64_t id = 0;
  std::uint64_t size = 0;  // the checkpoint size the operator accepts
  std::string reason;
  std::string at;          // UTC, RFC 3339
  // What was remembered when it was recorded (nullopt: nothing); it applies only while the
  // verifier still remembers exactly this.
  std::optional<std::pair<std::uint64_t, Hash>> previous_checkpoint;
  std::optional<RememberedTree> previous_tree;
};

class TrustStore {
 public:
  // Opens `path`, creating it (and its tables) if missing. Throws Error(environment) if it
  // cannot be opened or created.
  explicit TrustStore(const std::string& path);

  std::optional<RememberedCheckpoint> remembered();
  // Remembers `cp` as the latest verified checkpoint (replacing the row).
  void remember(const RememberedCheckpoint& cp);
  std::optional<RememberedTree> remembered_tree();
  // Remembers `tree` as the largest verified tree (replacing the row).
  void remember_tree(const RememberedTree& tree);
  // The latest re-pin no verification has used or expired yet, if any.
  std::optional<Repin> pending_repin();
  // Records that re-pin `id` was used: `cp` (the ledger's latest checkpoint) and `tree` (its
  // verified entries) become the remembered state.
  void use_repin(std::int64_t id, const RememberedCheckpoint& cp, const RememberedTree& tree);
  // Marks every pending re-pin expired: a verification accepted the ledger without one.
  // Returns how many.
  int expire_repins();
  // Number of re-pins ever recorded: the follower notices a new one by it.
  std::int64_t repin_count();

  // `agtrace-verifier repin`: appends a re-pin of `size` for `reason` (non-empty) to the
  // log at `path` and returns it. Throws Error(bad_input) naming --size or --reason.
  static Repin record_repin(const std::string& path, std::uint64_t size, const std::string& reason);

 private:
  std::mutex mu_;
  sql::Database db_;
};

}  // namespace agtrace::verifier
