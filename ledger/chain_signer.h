// Signing a run of entries on a thread of its own, so that a bulk append checks and
// stores event n+1 while event n is being signed. Internal to the ledger library.
//
// The signatures are sequential by nature: entry n+1's `prev` is the leaf hash of entry n,
// whose bytes include n's signature. So the signer keeps the chain itself: it is handed the
// canonical events in log order and hands back each entry's leaf bytes and leaf hash in
// the same order. The appending thread does everything that touches the database.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "ledger/note/ed25519_key.h"
#include "ledger/util/bytes.h"

namespace agtrace::detail {

class ChainSigner {
 public:
  // An entry signed and encoded: leaf `index` of the log.
  struct Signed {
    std::uint64_t index = 0;
    std::string leaf;  // the entry's RFC 8785 bytes
    Hash leaf_hash{};  // RFC 6962 leaf hash of `leaf`
  };

  // Signs with `key` (registered as `key_id`) from entry `next_index` on, chained to
  // `prev` (the leaf hash of the entry before, zeros for entry 0). `key` must outlive this.
  ChainSigner(const note::SigningKey& key, std::string key_id, std::uint64_t next_index, Hash prev);
  // Stops the thread; entries still queued are dropped.
  ~ChainSigner();
  ChainSigner(const ChainSigner&) = delete;
  ChainSigner& operator=(const ChainSigner&) = delete;

  // Queues the event whose RFC 8785 bytes are `event_canonical` as the next entry, and
  // returns its index. Waits while many entries are still unsigned.
  std::uint64_t submit(std::string event_canonical);
  // The index the next submitted entry gets.
  std::uint64_t next_index() const { return next_index_; }
  // The signed entries not taken yet, in log order: those ready now, or (with `all`)
  // every one queued, waiting for them. Rethrows a failure of the signing thread.
  std::vector<Signed> take(bool all);

 private:
  void run();

  const note::SigningKey& key_;
  const std::string key_id_;
  std::uint64_t next_index_;  // index of the next submitted entry (appending thread)

  std::mutex mutex_;
  std::condition_variable work_cv_, done_cv_;
  std::deque<std::string> queued_;  // canonical events, in order, not yet signed
  std::vector<Signed> signed_;      // signed, not yet taken
  Hash prev_;                       // leaf hash of the last signed entry (signing thread)
  std::uint64_t signing_index_;     // index of the next entry to sign (signing thread)
  std::exception_ptr error_;
  bool stop_ = false;
  bool idle_ = false;               // the signing thread waits for work
  std::thread thread_;
};

}  // namespace agtrace::detail
