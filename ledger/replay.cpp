// The replay (ledger/replay.h): entries in, checked; derived rows out.
//
// The calling thread reads the entries and replays them in order (index, chain, leaf hash,
// signer and key validity, rules, derived rows, label jobs): that part depends on every
// entry before. Worker threads take the rest, which does not: decoding each entry and
// checking its schema ahead of the replay, and verifying its Ed25519 signature once the
// replay has named the signer's key. The calling thread runs queued work itself whenever
// it would otherwise wait, so with C cores there are C busy threads, not C + 1.
//
// The error is the one the sequential replay would give: a failure found by a worker is
// only reported in entry order, and before any error the replay meets it settles every
// signature that comes earlier in that order (an entry's signature is checked after its
// signer and before its schema).
#include "ledger/replay.h"

#include <fmt/format.h>
#include <openssl/err.h>
#include <openssl/evp.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <system_error>
#include <thread>

#include "ledger/append.h"
#include "ledger/event/event_facts.h"
#include "ledger/event/schema_validator.h"
#include "ledger/ledger.h"
#include "ledger/merkle/merkle.h"
#include "ledger/note/signed_note.h"
#include "ledger/store/schema.h"
#include "ledger/i18n/refusal.h"
#include "ledger/util/error.h"

namespace agtrace {

namespace {

[[noreturn]] void bad_entry(std::uint64_t index, const std::string& why) {
  throw_verification(fmt::format("entry {}: {}", index, why));
}

// Entry `index` is signed but a rule refuses it (`err`): the finding, in both languages
// (audit_rules_refuse; what() as before, "entry N: signed, but the ledger's rules refuse it: …").
[[noreturn]] void refused_by_rules(std::uint64_t index, const Error& err) {
  using i18n::Lang;
  throw i18n::Refusal(i18n::text(Lang::zh, i18n::Msg::audit_rules_refuse, index, i18n::message_in(err, Lang::zh)),
                      i18n::text(Lang::en, i18n::Msg::audit_rules_refuse, index, i18n::message_in(err, Lang::en)),
                      fmt::format("entry {}: signed, but the ledger's rules refuse it: {}", index, err.what()),
                      ErrorKind::verification);
}

// Entries per unit of work handed to a worker.
constexpr std::size_t kChunkEntries = 32;
// Chunks read and handed out for decoding ahead of the replay.
constexpr std::size_t kReadAheadChunks = 8;
// Replayed chunks whose signatures may still be in flight before the replay waits.
constexpr std::size_t kPendingSignatureChunks = 8;

// A fixed set of worker threads and the calling thread, sharing one FIFO of tasks. A task
// is told which thread runs it (0 for the calling thread, 1..n for the workers) so that it
// can use that thread's own state. Tasks must not throw. The destructor drops queued
// tasks and waits for running ones.
class Workers {
 public:
  using Task = std::function<void(std::size_t thread)>;

  explicit Workers(std::size_t workers) {
    try {
      for (std::size_t i = 1; i <= workers; ++i) threads_.emplace_back([this, i] { work(i); });
    } catch (const std::system_error&) {
      // Fewer threads than asked for: the calling thread does the rest.
    }
  }
  ~Workers() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
      queue_.clear();
    }
    work_cv_.notify_all();
    for (auto& t : threads_) t.join();
  }
  Workers(const Workers&) = delete;
  Workers& operator=(const Workers&) = delete;

  // Threads that may run tasks, the calling thread included.
  std::size_t threads() const { return threads_.size() + 1; }

  void submit(Task task) {
    {
      std::lock_guard lock(mutex_);
      queue_.push_back(std::move(task));
    }
    work_cv_.notify_one();
  }

  // Called by a task when it has published its results.
  void finished() {
    { std::lock_guard lock(mutex_); }
    done_cv_.notify_all();
  }

  // Runs queued tasks on the calling thread until `done()` holds.
  template <class Pred>
  void help_until(Pred done) {
    std::unique_lock lock(mutex_);
    while (!done()) {
      if (queue_.empty()) {
        done_cv_.wait(lock);
        continue;
      }
      Task task = std::move(queue_.front());
      queue_.pop_front();
      lock.unlock();
      task(0);
      lock.lock();
    }
  }

 private:
  void work(std::size_t thread) {
    std::unique_lock lock(mutex_);
    for (;;) {
      work_cv_.wait(lock, [&] { return stop_ || !queue_.empty(); });
      if (stop_) return;
      Task task = std::move(queue_.front());
      queue_.pop_front();
      lock.unlock();
      task(thread);
      lock.lock();
    }
  }

  std::mutex mutex_;
  std::condition_variable work_cv_, done_cv_;
  std::deque<Task> queue_;
  bool stop_ = false;
  std::vector<std::thread> threads_;
};

struct EvpPkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct EvpMdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};

// What one thread keeps between tasks: its schema validators (valijson's validator is not
// shared between threads) and its OpenSSL objects for Ed25519 verification.
class ThreadState {
 public:
  EventSchemaValidator& schemas() { return schemas_; }

  // entry_signature_valid(), with one verification context per public key, initialised
  // once per thread rather than once per signature: true if `sig` is a 64-byte Ed25519
  // signature of `msg` by `key`. A one-shot EVP_DigestVerify may be called again on the
  // same context (OpenSSL 3.0); should a release refuse that, a context that says no is
  // asked again freshly initialised, whose verdict is the answer, and from then on every
  // signature gets a fresh context.
  bool signature_valid(const note::PublicKey& key, std::string_view msg, const Bytes& sig) {
    if (sig.size() != 64) return false;
    EVP_MD_CTX* ctx = context(key, !reuse_contexts_);
    if (verify(ctx, msg, sig)) return true;
    if (!reuse_contexts_) return false;
    const bool fresh = verify(context(key, true), msg, sig);
    if (fresh) reuse_contexts_ = false;
    return fresh;
  }

 private:
  struct Verifier {
    std::unique_ptr<EVP_PKEY, EvpPkeyFree> pkey;
    std::unique_ptr<EVP_MD_CTX, EvpMdCtxFree> ctx;
  };

  static bool verify(EVP_MD_CTX* ctx, std::string_view msg, const Bytes& sig) {
    int ok = EVP_DigestVerify(ctx, sig.data(), sig.size(), reinterpret_cast<const unsigned char*>(msg.data()),
                              msg.size());
    ERR_clear_error();
    return ok == 1;
  }

  // The context for `key`, initialised for Ed25519 verification (again if `reinit`).
  EVP_MD_CTX* context(const note::PublicKey& key, bool reinit) {
    auto it = verifiers_.find(key);
    if (it == verifiers_.end()) {
      Verifier v;
      v.pkey.reset(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, key.data(), key.size()));
      v.ctx.reset(EVP_MD_CTX_new());
      if (!v.pkey || !v.ctx) {
        ERR_clear_error();
        throw std::logic_error("OpenSSL: EVP_PKEY_new_raw_public_key(ED25519) or EVP_MD_CTX_new failed");
      }
      it = verifiers_.emplace(key, std::move(v)).first;
      reinit = true;
    }
    Verifier& v = it->second;
    if (reinit && (EVP_MD_CTX_reset(v.ctx.get()) != 1 ||
                   EVP_DigestVerifyInit(v.ctx.get(), nullptr, nullptr, nullptr, v.pkey.get()) != 1)) {
      ERR_clear_error();
      throw std::logic_error("OpenSSL: EVP_DigestVerifyInit(ED25519) failed");
    }
    return v.ctx.get();
  }

  EventSchemaValidator schemas_;
  std::map<note::PublicKey, Verifier> verifiers_;
  bool reuse_contexts_ = true;
};

// One stored entry on its way through the audit.
struct Slot {
  // Read by the calling thread.
  std::uint64_t index = 0;       // its position in the log
  std::int64_t stored_idx = 0;   // the row's idx
  std::string leaf;              // the row's entry bytes
  Bytes stored_hash;             // the row's leaf_hash
  // Worker, ahead of the replay.
  std::exception_ptr decode_error;
  Entry entry;
  Hash leaf_hash{};
  std::exception_ptr schema_error;
  // The replay names the signer's key; then a worker checks the signature.
  note::PublicKey public_key{};
  bool signature_ok = false;
  std::exception_ptr signature_error;
};

struct Chunk {
  std::vector<Slot> slots;
  std::atomic<bool> decoded{false};
  std::atomic<bool> signatures_checked{false};
  bool replayed = false;  // calling thread only
};

// Decodes each entry of `chunk`, hashes its leaf and checks its event's schema.
void decode_chunk(Chunk& chunk, ThreadState& state) {
  for (Slot& s : chunk.slots) {
    try {
      s.entry = decode_entry(s.leaf, s.index);
      s.leaf_hash = merkle::leaf_hash(as_bytes(s.leaf));
    } catch (...) {
      s.decode_error = std::current_exception();
      continue;
    }
    try {
      state.schemas().validate(s.entry.event, fmt::format("entry {} event", s.index));
    } catch (...) {
      s.schema_error = std::current_exception();
    }
  }
}

// entry_signing_bytes(s.entry), cut from the stored bytes of a decoded slot instead of composed
// again: decode_entry checked that they are the entry's RFC 8785 form, whose last member is
// sig (members sorted: event, index, key, prev, sig; base64 holds no '"'), so JCS of the entry
// without sig is those bytes up to the last `,"sig":"`, closed by `}`.
std::string signing_bytes(const Slot& s) {
  const std::size_t cut = s.leaf.rfind(",\"sig\":\"");
  if (cut == std::string::npos) return entry_signing_bytes(s.entry);
  std::string out;
  out.reserve(kEntrySignatureContext.size() + cut + 1);
  out += kEntrySignatureContext;
  out.append(s.leaf, 0, cut);
  out += '}';
  return out;
}

// Checks the signature of a decoded slot whose signer the replay has named.
void check_signature(Slot& s, ThreadState& state) {
  try {
    s.signature_ok = state.signature_valid(s.public_key, signing_bytes(s), s.entry.sig);
  } catch (...) {
    s.signature_error = std::current_exception();
  }
}

// Frees what a replayed slot no longer needs once its signature is checked (its event is
// a tree of many small allocations): done by the worker that checked it, not the replay.
void release_checked(Slot& s) {
  Entry& e = s.entry;
  nlohmann::json().swap(e.event);
  std::string().swap(e.event_canonical);
  std::string().swap(s.leaf);
}

// Throws the failure of slot `s`'s signature check, if any.
void throw_if_bad_signature(const Slot& s) {
  if (s.signature_error) std::rethrow_exception(s.signature_error);
  if (!s.signature_ok)
    i18n::fail_check(i18n::Msg::audit_signature, s.index, s.entry.key_id);
}

// The keys table of the replay, remembered between key entries (which change it).
class SignerKeys {
 public:
  struct Known {
    store::KeyRecord record;
    std::optional<note::PublicKey> public_key;  // parsed from record.vkey on first use
  };

  explicit SignerKeys(store::Store& replay) : replay_(replay) {}

  // The key registered as `key_id`, or null if there is none.
  Known* find(const std::string& key_id) {
    auto it = known_.find(key_id);
    if (it == known_.end()) {
      std::optional<Known> found;
      if (auto k = replay_.key(key_id)) found = Known{std::move(*k), std::nullopt};
      it = known_.emplace(key_id, std::move(found)).first;
    }
    return it->second ? &*it->second : nullptr;
  }

  // Called after each entry is applied.
  void applied(const std::string& type) {
    if (is_log_key_event(type)) known_.clear();
  }

 private:
  store::Store& replay_;
  std::map<std::string, std::optional<Known>> known_;
};

// Checks entry `i`'s signer against the keys the replay has seen so far, and returns the
// public key its signature must verify under.
note::PublicKey signer_key(const Entry& e, std::uint64_t i, SignerKeys& keys) {
  const std::string type = e.event.value("type", "");
  if (i == 0) {
    if (type != "log_init") bad_entry(0, "entry 0 is not a log_init event");
    auto vkey = note::parse_verifier_key(e.event.at("log_key").get<std::string>());
    if (vkey.key_id() != e.key_id) bad_entry(0, "log_init is not signed by the key it names");
    return vkey.public_key;
  }
  SignerKeys::Known* k = keys.find(e.key_id);
  if (!k) bad_entry(i, fmt::format("signed by {}, which no earlier entry registered", e.key_id));
  if (k->record.revoked_entry && i > *k->record.revoked_entry)
    bad_entry(i, fmt::format("signed by {}, revoked at entry {}", e.key_id, *k->record.revoked_entry));
  if (!role_may_sign(k->record.role, type))
    bad_entry(i, fmt::format("{} event signed by a {} key ({})", type, k->record.role, e.key_id));
  if (type == "log_init") bad_entry(i, "log_init after entry 0");
  if (!k->public_key) k->public_key = note::parse_verifier_key(k->record.vkey).public_key;
  return *k->public_key;
}

bool pinned(const std::vector<note::VerifierKey>& keys, const note::VerifierKey& k) {
  return std::find(keys.begin(), keys.end(), k) != keys.end();
}

}  // namespace

struct Replay::Kept {
  explicit Kept(store::Store& s) : signers(s) {}
  SignerKeys signers;
  std::vector<std::unique_ptr<ThreadState>> states;  // by thread: 0 the caller's, 1.. the workers'
};

Replay::Replay(sql::Database& target, ReplayOptions options) : target_(target), options_(std::move(options)) {
  if (options_.target_cache_kib > 0) target_.exec(fmt::format("PRAGMA cache_size = -{}", options_.target_cache_kib));
  store_ = std::make_unique<store::Store>(target_, true);
  target_.exec(store::kReplayIndexSchema);
  kept_ = std::make_unique<Kept>(*store_);
}

Replay::~Replay() = default;

std::uint64_t Replay::size() const { return store_->size(); }

void Replay::run(sql::Database& source, const std::function<void()>& alongside) {
  if (broken_) throw std::logic_error("Replay::run after a failed run");
  broken_ = true;  // until this run commits
  store::Store& replay = *store_;
  SignerKeys& keys = kept_->signers;
  // One transaction for the whole run, not one per derived row.
  sql::Transaction replay_tx(target_);

  auto rows = source.prepare("SELECT idx, entry, leaf_hash FROM entries WHERE idx >= ? ORDER BY idx");
  rows.bind(1, static_cast<std::int64_t>(replay.size()));

  // Declared in this order so that the workers stop before what they work on is freed.
  std::deque<std::unique_ptr<Chunk>> chunks;  // in log order: replayed ones first
  std::size_t replayed_chunks = 0;            // how many of `chunks` are replayed
  std::vector<std::unique_ptr<ThreadState>>& states = kept_->states;
  std::atomic<bool> alongside_done{!alongside};
  const std::size_t cores = std::max(1u, std::thread::hardware_concurrency());
  while (states.size() < std::min<std::size_t>(cores, 16)) states.push_back(std::make_unique<ThreadState>());
  Workers workers(std::min<std::size_t>(cores, 16) - 1);
  if (alongside)
    workers.submit([&](std::size_t) {
      alongside();  // must not throw
      alongside_done = true;
      workers.finished();
    });

  // Reading ahead of the replay; a read error is raised when the replay gets there.
  bool more_rows = true;
  std::exception_ptr read_error;
  std::uint64_t read_position = replay.size();
  auto read_chunk = [&] {
    auto chunk = std::make_unique<Chunk>();
    try {
      while (chunk->slots.size() < kChunkEntries && (more_rows = rows.step())) {
        Slot& s = chunk->slots.emplace_back();
        s.index = read_position++;
        s.stored_idx = rows.column_int(0);
        auto blob = rows.column_blob(1);
        s.leaf.assign(reinterpret_cast<const char*>(blob.data()), blob.size());
        auto hash = rows.column_blob(2);
        s.stored_hash.assign(hash.begin(), hash.end());
      }
    } catch (...) {
      read_error = std::current_exception();
      more_rows = false;
    }
    if (chunk->slots.empty()) return;
    Chunk* c = chunk.get();
    workers.submit([c, &states, &workers](std::size_t thread) {
      decode_chunk(*c, *states[thread]);
      c->decoded = true;
      workers.finished();
    });
    chunks.push_back(std::move(chunk));
  };

  // Entries before `signed_before` have had their signer checked: their signatures
  // precede, in the sequential order, whatever the replay finds next.
  std::uint64_t signed_before = replay.size();
  // Throws the first bad signature among entries before `limit`, if any.
  auto settle = [&](std::uint64_t limit) {
    for (std::size_t n = 0; n < chunks.size(); ++n) {
      Chunk& c = *chunks[n];
      if (c.replayed) {
        workers.help_until([&c] { return c.signatures_checked.load(); });
      } else if (!c.decoded.load()) {
        return;
      }
      for (Slot& s : c.slots) {
        if (s.index >= limit) return;
        if (!c.replayed) check_signature(s, *states[0]);
        throw_if_bad_signature(s);
      }
    }
  };

  auto insert_entry = target_.prepare("INSERT INTO entries (idx, entry, leaf_hash) VALUES (?, ?, ?)");
  // Every rule append enforced, but the clock: entries are judged as of their append.
  const RuleOptions replay_rules{0, false, nullptr};
  // The sequential part of the replay for one entry.
  auto replay_one = [&](Slot& s) {
    signed_before = s.index;
    if (s.stored_idx != static_cast<std::int64_t>(s.index))
      i18n::fail_check(i18n::Msg::audit_entry_missing, s.index, s.stored_idx);
    if (s.decode_error) std::rethrow_exception(s.decode_error);
    const Entry& e = s.entry;
    if (e.index != s.index) bad_entry(s.index, fmt::format("its index field says {}", e.index));
    if (e.prev != replay.last_leaf_hash())
      i18n::fail_check(i18n::Msg::audit_chain_broken, s.index);
    if (s.stored_hash.size() != 32 || !std::equal(s.leaf_hash.begin(), s.leaf_hash.end(), s.stored_hash.begin()))
      i18n::fail_check(i18n::Msg::audit_leaf_hash, s.index);
    s.public_key = signer_key(e, s.index, keys);
    signed_before = s.index + 1;
    if (s.schema_error) {
      try {
        std::rethrow_exception(s.schema_error);
      } catch (const Error& err) {
        bad_entry(s.index, err.what());
      }
    }
    const std::string type = e.event["type"];
    if (!options_.pinned_log_keys.empty() && (type == "log_init" || type == "log_key_rotated")) {
      auto named = note::parse_verifier_key(e.event.at("log_key").get<std::string>());
      if (!pinned(options_.pinned_log_keys, named))
        bad_entry(s.index, fmt::format("names log key {}, which is not one of the pinned log keys (--log-pubkey); "
                                       "if the log key was really rotated, pin the new key's .pub file",
                                       named.key_id()));
    }
    try {
      if (s.index > 0) detail::check_station_holder(replay, keys.find(e.key_id)->record, e.event);
      detail::check_event(replay, e.event, replay_rules);
      replay.apply(e, s.leaf_hash);
    } catch (const Error& err) {
      if (err.kind() != ErrorKind::bad_input) throw;
      refused_by_rules(s.index, err);
    }
    // The rules read master data, key, packing and inspection entries back (read_back_by_rules).
    if (options_.keep_all_entries || read_back_by_rules(type))
      insert_entry.bind(1, static_cast<std::int64_t>(s.index)).bind_blob(2, as_bytes(s.leaf))
          .bind_blob(3, s.leaf_hash).run();
    if (type == "labels_issued" || type == "labels_reprinted" || type == "labels_voided") {
      auto serials = detail::stored_job_serials(source, s.index, e.event);
      const std::string lot = e.event["lot"];
      try {
        detail::check_label_job_rules(target_, replay, type, lot, serials);
      } catch (const Error& err) {
        if (err.kind() != ErrorKind::bad_input) throw;
        refused_by_rules(s.index, err);
      }
      detail::insert_job_serials(target_, type, lot, s.index, serials);
      if (options_.on_label_job) options_.on_label_job(s.index, type, serials);
      serials_seen_ += serials.size();
    }
    keys.applied(type);
  };

  try {
    for (;;) {
      while (more_rows && chunks.size() - replayed_chunks < kReadAheadChunks) read_chunk();
      if (replayed_chunks == chunks.size()) break;
      if (options_.cancel && options_.cancel->load()) throw_environment("the replay was stopped");
      Chunk& c = *chunks[replayed_chunks];
      workers.help_until([&c] { return c.decoded.load(); });
      for (Slot& s : c.slots) replay_one(s);
      workers.submit([&c, &states, &workers](std::size_t thread) {
        for (Slot& s : c.slots) {
          check_signature(s, *states[thread]);
          release_checked(s);
        }
        c.signatures_checked = true;
        workers.finished();
      });
      c.replayed = true;
      ++replayed_chunks;
      // Report and let go of the oldest chunks once their signatures are in.
      while (replayed_chunks > 0 &&
             (chunks.front()->signatures_checked.load() || replayed_chunks > kPendingSignatureChunks)) {
        Chunk& oldest = *chunks.front();
        workers.help_until([&oldest] { return oldest.signatures_checked.load(); });
        for (const Slot& s : oldest.slots) throw_if_bad_signature(s);
        if (options_.progress) options_.progress->fetch_add(oldest.slots.size(), std::memory_order_relaxed);
        chunks.pop_front();
        --replayed_chunks;
      }
    }
    if (read_error) std::rethrow_exception(read_error);
  } catch (...) {
    std::exception_ptr error = std::current_exception();
    settle(signed_before);
    std::rethrow_exception(error);
  }
  settle(signed_before);
  workers.help_until([&] { return alongside_done.load(); });
  replay_tx.commit();
  broken_ = false;
  if (options_.progress) options_.progress->store(size(), std::memory_order_relaxed);
}

note::VerifierKey Replay::log_key_at(std::uint64_t size) {
  if (store_->size() == 0) i18n::fail_check(i18n::Msg::audit_no_entries);
  auto k = store_->log_key_at(std::clamp<std::uint64_t>(size, 1, store_->size()));
  if (!k) throw_verification("entry 0: the replay found no log key");
  return note::parse_verifier_key(k->vkey);
}

note::Checkpoint Replay::check_checkpoint(std::uint64_t size, std::string_view signed_note) {
  const std::uint64_t entries = store_->size();
  note::Checkpoint cp;
  try {
    cp = note::open_checkpoint(signed_note, log_key_at(size));
  } catch (const Error& err) {
    throw_verification(fmt::format("stored checkpoint of size {}: {}", size, err.what()));
  }
  if (cp.size != size)
    throw_verification(fmt::format("stored checkpoint row {} holds a checkpoint of size {}", size, cp.size));
  if (size > entries)
    bad_entry(entries, fmt::format("missing: checkpoint of size {} covers entries up to {}", size, size - 1));
  if (merkle::root(size, store_->node_reader()) != cp.root)
    i18n::fail_check(i18n::Msg::audit_checkpoint_root, size - 1, size);
  return cp;
}

}  // namespace agtrace
