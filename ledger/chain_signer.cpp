// The signing thread of a bulk append (see chain_signer.h).
#include "ledger/chain_signer.h"

#include <algorithm>
#include <iterator>
#include <utility>

#include "ledger/merkle/merkle.h"
#include "ledger/store/entry.h"

namespace agtrace::detail {

namespace {
// Entries queued ahead of the signer before submit() waits: bounds the memory a fast
// appending thread can pile up.
constexpr std::uint64_t kMaxInFlight = 4096;
// Entries the signing thread takes from the queue at a time.
constexpr std::size_t kBatch = 64;
}  // namespace

ChainSigner::ChainSigner(const note::SigningKey& key, std::string key_id, std::uint64_t next_index,
                         Hash prev)
    : key_(key),
      key_id_(std::move(key_id)),
      next_index_(next_index),
      prev_(prev),
      signing_index_(next_index),
      thread_([this] { run(); }) {}

ChainSigner::~ChainSigner() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  work_cv_.notify_all();
  thread_.join();
}

std::uint64_t ChainSigner::submit(std::string event_canonical) {
  std::unique_lock lock(mutex_);
  done_cv_.wait(lock, [&] { return error_ || next_index_ - signing_index_ < kMaxInFlight; });
  if (error_) std::rethrow_exception(error_);
  queued_.push_back(std::move(event_canonical));
  // Wake the signer only when it waits for work: a wake-up is a futex call on both sides,
  // which per entry cost more than the queue itself (issue 17).
  const bool wake = idle_;
  lock.unlock();
  if (wake) work_cv_.notify_one();
  return next_index_++;
}

std::vector<ChainSigner::Signed> ChainSigner::take(bool all) {
  std::vector<Signed> out;
  std::unique_lock lock(mutex_);
  if (all) done_cv_.wait(lock, [&] { return error_ || signing_index_ == next_index_; });
  if (error_) std::rethrow_exception(error_);
  out.swap(signed_);
  return out;
}

void ChainSigner::run() {
  std::unique_lock lock(mutex_);
  std::deque<std::string> batch;
  std::vector<Signed> done;
  for (;;) {
    idle_ = true;
    work_cv_.wait(lock, [&] { return stop_ || !queued_.empty(); });
    idle_ = false;
    if (stop_) return;
    // Up to kBatch queued entries, signed in one go outside the lock; small enough that the
    // appending thread never waits long for a batch to be published (kMaxInFlight).
    const std::size_t n = std::min<std::size_t>(queued_.size(), kBatch);
    std::move(queued_.begin(), queued_.begin() + static_cast<std::ptrdiff_t>(n), std::back_inserter(batch));
    queued_.erase(queued_.begin(), queued_.begin() + static_cast<std::ptrdiff_t>(n));
    std::uint64_t index = signing_index_;
    Hash prev = prev_;
    lock.unlock();
    std::exception_ptr error;
    done.clear();
    try {
      for (auto& canonical : batch) {
        Entry e;
        e.index = index++;
        e.prev = prev;
        e.key_id = key_id_;
        e.event_canonical = std::move(canonical);
        e.sig = key_.sign(as_bytes(entry_signing_bytes(e)));
        Signed s{e.index, encode_entry(e), {}};
        s.leaf_hash = merkle::leaf_hash(as_bytes(s.leaf));
        prev = s.leaf_hash;
        done.push_back(std::move(s));
      }
    } catch (...) {
      error = std::current_exception();
    }
    batch.clear();
    lock.lock();
    if (error) {
      error_ = error;
      done_cv_.notify_all();
      return;
    }
    prev_ = prev;
    signing_index_ = index;
    for (auto& s : done) signed_.push_back(std::move(s));
    done_cv_.notify_all();
  }
}

}  // namespace agtrace::detail
