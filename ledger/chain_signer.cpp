// The signing thread of a bulk append (see chain_signer.h).
#include "ledger/chain_signer.h"

#include <utility>

#include "ledger/merkle/merkle.h"
#include "ledger/store/entry.h"

namespace agtrace::detail {

namespace {
// Entries queued ahead of the signer before submit() waits: bounds the memory a fast
// appending thread can pile up.
constexpr std::uint64_t kMaxInFlight = 4096;
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
  lock.unlock();
  work_cv_.notify_one();
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
  for (;;) {
    work_cv_.wait(lock, [&] { return stop_ || !queued_.empty(); });
    if (stop_) return;
    Entry e;
    e.index = signing_index_;
    e.prev = prev_;
    e.key_id = key_id_;
    e.event_canonical = std::move(queued_.front());
    queued_.pop_front();
    lock.unlock();
    Signed s;
    std::exception_ptr error;
    try {
      e.sig = key_.sign(as_bytes(entry_signing_bytes(e)));
      s = {e.index, encode_entry(e), {}};
      s.leaf_hash = merkle::leaf_hash(as_bytes(s.leaf));
    } catch (...) {
      error = std::current_exception();
    }
    lock.lock();
    if (error) {
      error_ = error;
      done_cv_.notify_all();
      return;
    }
    prev_ = s.leaf_hash;
    ++signing_index_;
    signed_.push_back(std::move(s));
    done_cv_.notify_all();
  }
}

}  // namespace agtrace::detail
