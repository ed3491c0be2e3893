// The follower behind the verifier's own state (verified_state.h).
#include "verifier/state/verified_state.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <iostream>

#include "ledger/i18n/messages.h"
#include "ledger/merkle/merkle.h"
#include "ledger/replay.h"
#include "ledger/store/schema.h"
#include "ledger/util/error.h"
#include "verifier/state/serial_trees.h"

namespace agtrace::verifier {

namespace {

// Seconds before a verifier that could not read the ledger (busy, missing) tries again,
// doubled after each failed try up to the maximum.
constexpr int kRetryAfterEnvironmentS = 5;
constexpr int kRetryAfterEnvironmentMaxS = 60;
// Page cache of the connection that writes the state, KiB.
constexpr int kStateCacheKib = 16 * 1024;

std::string blob_text(const sql::Statement& s, int col) {
  auto b = s.column_blob(col);
  return std::string(reinterpret_cast<const char*>(b.data()), b.size());
}

}  // namespace

StateReaders::StateReaders(const std::string& state_path, int n, std::uint64_t epoch) : epoch_(epoch) {
  for (int i = 0; i < n; ++i) {
    auto l = std::make_unique<Ledger>(state_path, false);
    l->database().exec("PRAGMA cache_size = -2048");  // 2 MiB per connection
    l->info();
    free_.push_back(l.get());
    all_.push_back(std::move(l));
  }
}

StateReaders::Lease StateReaders::get() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return !free_.empty(); });
  Ledger* l = free_.back();
  free_.pop_back();
  return Lease(*this, l);
}

void StateReaders::put(Ledger* l) {
  {
    std::lock_guard lock(mu_);
    free_.push_back(l);
  }
  cv_.notify_one();
}

VerifiedState::VerifiedState(StateConfig config) : config_(std::move(config)), trust_(config_.trust_path) {
  if (config_.pinned_log_keys.empty())
    throw_bad_input("--log-pubkey: give the log's public key (the LOGKEY.pub file `agtrace-ledger init` wrote); "
                    "the verifier never takes it from the ledger it checks");
}

VerifiedState::~VerifiedState() {
  {
    std::lock_guard lock(stop_mu_);
    stop_ = true;
  }
  cancel_ = true;
  stop_cv_.notify_all();
  if (follower_.joinable()) follower_.join();
}

void VerifiedState::start() {
  follower_ = std::thread([this] { follow(); });
}

StateHealth VerifiedState::health() const {
  std::lock_guard lock(mu_);
  StateHealth h = health_;
  if (h.status == StateStatus::replaying) h.entries = progress_.load(std::memory_order_relaxed);
  return h;
}

std::shared_ptr<StateReaders> VerifiedState::readers() const {
  std::lock_guard lock(mu_);
  return health_.status == StateStatus::verified ? readers_ : nullptr;
}

bool VerifiedState::wait_stop(int ms) {
  std::unique_lock lock(stop_mu_);
  stop_cv_.wait_for(lock, std::chrono::milliseconds(ms), [&] { return stop_ || poll_now_; });
  poll_now_ = false;
  return stop_;
}

void VerifiedState::poll_now() {
  {
    std::lock_guard lock(stop_mu_);
    poll_now_ = true;
  }
  stop_cv_.notify_all();
}

void VerifiedState::set_status(StateStatus s, const std::string& reason) {
  std::lock_guard lock(mu_);
  health_.status = s;
  health_.reason = reason;
  if (replay_) health_.entries = replay_->size();
  health_.checkpoint = checkpoint_size_;
}

void VerifiedState::fail(const std::string& reason) {
  if (cancel_) return;  // shutting down: a replay stopped on purpose is no failure
  {
    std::lock_guard lock(mu_);
    health_.status = StateStatus::failed;
    health_.reason = reason;
  }
  // Each reason once: a retry that fails the same way is not logged again.
  const bool log = reason != logged_reason_;
  logged_reason_ = reason;
  if (log)
    std::cerr << config_.program << ": " << config_.while_failed << " until the ledger verifies again: " << reason
              << std::endl;
}

void VerifiedState::close_state() {
  std::shared_ptr<StateReaders> old;
  {
    std::lock_guard lock(mu_);
    old = std::move(readers_);
  }
  // Requests in progress hold the readers for a moment; the state file goes once they let go.
  while (old && old.use_count() > 1) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  old.reset();
  replay_.reset();
  target_.reset();
  source_.reset();
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(config_.state_path + suffix);
}

void VerifiedState::verify_from_scratch() {
  set_status(StateStatus::replaying, "");
  close_state();
  checkpoint_size_ = 0;
  tree_remembered_ = 0;
  trust_checked_ = false;
  source_data_version_ = -1;
  for (SideFile& f : side_files_) f.dev = 0, f.ino = 0;
  repins_seen_ = trust_.repin_count();
  stat_source();
  const dev_t dev = source_dev_;
  const ino_t ino = source_ino_;
  source_ = std::make_unique<sql::Database>(config_.ledger_path, sql::OpenMode::read_only);
  stat_source();
  if (source_dev_ != dev || source_ino_ != ino)
    throw_environment(fmt::format("ledger {} was replaced while it was opened; trying again", config_.ledger_path));
  {
    auto version = source_->prepare("PRAGMA user_version");
    version.step();
    if (version.column_int(0) != store::kSchemaVersion)
      throw_environment(fmt::format("{} is not an agtrace ledger (an empty file or another program's database: "
                                    "schema version {}, expected {}); check --ledger; trying again",
                                    config_.ledger_path, version.column_int(0), store::kSchemaVersion));
  }
  target_ = std::make_unique<sql::Database>(config_.state_path, sql::OpenMode::create, 30000, "verifier state file");
  // Nobody reads the state until the start-up replay is done, and a failed replay discards
  // it: no journal until then (each page is written once, not once to a WAL and again to
  // the file); WAL afterwards, so that requests read while the follower writes.
  target_->exec("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;");
  target_->exec(store::kPrimarySchema);
  target_->exec(kSerialTreeSchema);
  target_->exec(fmt::format("PRAGMA user_version = {}", store::kSchemaVersion));
  ReplayOptions options;
  options.keep_all_entries = true;
  options.pinned_log_keys = config_.pinned_log_keys;
  options.target_cache_kib = kStateCacheKib;
  options.cancel = &cancel_;
  progress_ = 0;
  options.progress = &progress_;
  // Each issued job's serial tree, so that a code's proof reads O(log n) stored nodes.
  options.on_label_job = [db = target_.get()](std::uint64_t index, const std::string& type,
                                              const std::vector<std::string>& sorted) {
    if (type == "labels_issued") record_serial_tree(*db, index, sorted);
  };
  replay_ = std::make_unique<Replay>(*target_, options);
  auto started = std::chrono::steady_clock::now();
  catch_up();
  if (replay_->size() == 0) throw_verification("the ledger has no entries (entry 0 is missing)");
  target_->exec("PRAGMA journal_mode=WAL");
  auto readers = std::make_shared<StateReaders>(config_.state_path, config_.readers, epoch_ + 1);
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  {
    std::lock_guard lock(mu_);
    ++epoch_;
    readers_ = std::move(readers);
    health_ = {StateStatus::verified, "", replay_->size(), checkpoint_size_};
  }
  logged_reason_.clear();
  // The console has no language option: both, as the verifier's other console lines (server.cpp).
  const std::string seconds = fmt::format("{:.1f}", secs);
  std::cerr << fmt::format("{}: {} / {}\n", config_.program,
                           i18n::text(i18n::Lang::zh, i18n::Msg::verifier_serving, replay_->size(), checkpoint_size_,
                                      seconds),
                           i18n::text(i18n::Lang::en, i18n::Msg::verifier_serving, replay_->size(), checkpoint_size_,
                                      seconds));
}

void VerifiedState::catch_up() {
  auto version = source_->prepare("PRAGMA data_version");
  version.step();
  source_data_version_ = version.column_int(0);
  for (SideFile& f : side_files_) {  // our connection has opened them by now, if there are any
    struct stat st {};
    if (f.ino == 0 && ::stat((config_.ledger_path + f.suffix).c_str(), &st) == 0) {
      f.dev = st.st_dev;
      f.ino = st.st_ino;
    }
  }
  auto snapshot = sql::Transaction::read(*source_);
  replay_->run(*source_);
  auto rows = source_->prepare("SELECT size, note FROM checkpoints WHERE size > ? ORDER BY size");
  rows.bind(1, static_cast<std::int64_t>(checkpoint_size_));
  std::vector<VerifiedCheckpoint> fresh;
  while (rows.step()) {
    VerifiedCheckpoint cp;
    cp.size = static_cast<std::uint64_t>(rows.column_int(0));
    cp.note = rows.column_text(1);
    cp.parsed = replay_->check_checkpoint(cp.size, cp.note);
    fresh.push_back(std::move(cp));
  }
  if (!fresh.empty() || !trust_checked_ || replay_->size() > tree_remembered_) {
    check_trust(fresh);
    if (!fresh.empty()) {
      sql::Transaction tx(*target_);
      auto insert = target_->prepare("INSERT INTO checkpoints (size, note) VALUES (?, ?)");
      for (const auto& cp : fresh) insert.bind(1, static_cast<std::int64_t>(cp.size)).bind(2, cp.note).run();
      tx.commit();
      checkpoint_size_ = fresh.back().size;
    }
  }
  std::lock_guard lock(mu_);
  health_.entries = replay_->size();
  health_.checkpoint = checkpoint_size_;
}

std::string VerifiedState::trust_problem(const std::vector<VerifiedCheckpoint>& fresh) {
  auto remembered = trust_.remembered();
  const VerifiedCheckpoint* latest = fresh.empty() ? nullptr : &fresh.back();
  const std::uint64_t latest_size = latest ? latest->size : checkpoint_size_;
  const auto& nodes = replay_->store().node_reader();
  if (remembered) {
    if (latest && latest->parsed.origin != remembered->origin)
      return fmt::format("the ledger is another log (origin {}) than the one this verifier verified ({})",
                         latest->parsed.origin, remembered->origin);
    if (latest_size < remembered->size)
      return fmt::format(
          "the ledger was rolled back: its latest checkpoint has size {}, but this verifier already verified a "
          "checkpoint of size {} (at {})",
          latest_size, remembered->size, remembered->verified_at);
    if (merkle::root(remembered->size, nodes) != remembered->root)
      return fmt::format(
          "the ledger forked: its entries give another root at size {} than the checkpoint of that size this "
          "verifier verified (at {})",
          remembered->size, remembered->verified_at);
  }
  // Entries not yet under a checkpoint (a void, a recall) were served too: once per
  // verification, the ledger must still hold every entry this verifier ever verified.
  if (auto tree = trust_.remembered_tree(); tree && !trust_checked_) {
    if (replay_->size() < tree->size)
      return fmt::format(
          "the ledger was rolled back: it has {} entries, but this verifier already verified and served {} (entries "
          "after the latest checkpoint included)",
          replay_->size(), tree->size);
    if (merkle::root(tree->size, nodes) != tree->root)
      return fmt::format(
          "the ledger forked: its first {} entries give another root than the {} entries this verifier already "
          "verified and served",
          tree->size, tree->size);
  }
  return {};
}

void VerifiedState::check_trust(const std::vector<VerifiedCheckpoint>& fresh) {
  const std::string problem = trust_problem(fresh);
  const VerifiedCheckpoint* latest = fresh.empty() ? nullptr : &fresh.back();
  const std::uint64_t latest_size = latest ? latest->size : checkpoint_size_;
  const RememberedTree now{replay_->size(), merkle::root(replay_->size(), replay_->store().node_reader())};
  auto as_remembered = [](const VerifiedCheckpoint& cp) {
    return RememberedCheckpoint{cp.parsed.origin, cp.size, cp.parsed.root, cp.note, ""};
  };
  auto remembered = trust_.remembered();
  if (!problem.empty()) {
    auto repin = trust_.pending_repin();
    if (!repin)
      throw_verification(fmt::format("{}; if this ledger is the right one (a restored backup, say), accept it with "
                                     "`{} --size N --reason TEXT`",
                                     problem, config_.repin_command));
    // A re-pin covers only a refusal against exactly the state remembered when it was
    // recorded: one recorded before this verifier verified more does not cover a later cut.
    auto tree = trust_.remembered_tree();
    const bool same_checkpoint =
        remembered ? repin->previous_checkpoint && repin->previous_checkpoint->first == remembered->size &&
                         repin->previous_checkpoint->second == remembered->root
                   : !repin->previous_checkpoint;
    const bool same_tree = tree ? repin->previous_tree && repin->previous_tree->size == tree->size &&
                                      repin->previous_tree->root == tree->root
                                : !repin->previous_tree;
    if (!same_checkpoint || !same_tree)
      throw_verification(fmt::format("{}; re-pin {} (recorded {}) does not cover this: this verifier has verified "
                                     "more since it was recorded. If this ledger is the right one, re-pin again "
                                     "with `{} --size N --reason TEXT`",
                                     problem, repin->id, repin->at, config_.repin_command));
    bool has = std::any_of(fresh.begin(), fresh.end(), [&](const auto& cp) { return cp.size == repin->size; });
    if (!has) {
      auto stored = target_->prepare("SELECT 1 FROM checkpoints WHERE size = ?");
      stored.bind(1, static_cast<std::int64_t>(repin->size));
      has = stored.step();
    }
    if (!has || !latest)
      throw_verification(fmt::format("{}; re-pin {} accepts a checkpoint of size {}, which this ledger does not "
                                     "have (its latest is {}): re-pin with the size of its checkpoint",
                                     problem, repin->id, repin->size, latest_size));
    trust_.use_repin(repin->id, as_remembered(*latest), now);
    tree_remembered_ = now.size;
    trust_checked_ = true;
    std::cerr << fmt::format("{}: accepted by re-pin {} ({}, \"{}\"): {}; now pinned to the "
                             "checkpoint of size {} and {} entries\n",
                             config_.program, repin->id, repin->at, repin->reason, problem, latest->size, now.size);
    return;
  }
  if (!trust_checked_) {
    // The ledger verified without a re-pin: a pending one is not needed and never will be.
    if (int n = trust_.expire_repins(); n > 0)
      std::cerr << fmt::format("{}: {} pending re-pin(s) expired unused: the ledger verified without "
                               "one\n",
                               config_.program, n);
    trust_checked_ = true;
  }
  if (latest && (!remembered || latest->size > remembered->size)) trust_.remember(as_remembered(*latest));
  if (now.size > tree_remembered_) {
    trust_.remember_tree(now);
    tree_remembered_ = now.size;
  }
}

bool VerifiedState::source_replaced() {
  struct stat st {};
  // Gone since it was last seen (a file still missing is no news: retried after a while).
  if (::stat(config_.ledger_path.c_str(), &st) != 0) return source_ino_ != 0;
  if (st.st_dev != source_dev_ || st.st_ino != source_ino_) return true;
  // The write-ahead log and wal-index our connection reads, once seen, must still be the
  // ones at their paths.
  for (const SideFile& f : side_files_) {
    if (f.ino == 0) continue;
    struct stat side {};
    if (::stat((config_.ledger_path + f.suffix).c_str(), &side) != 0 || side.st_dev != f.dev || side.st_ino != f.ino)
      return true;
  }
  return false;
}

std::string VerifiedState::ledger_stamp() const {
  std::string out;
  for (const char* suffix : {"", "-wal"}) {
    struct stat st {};
    if (::stat((config_.ledger_path + suffix).c_str(), &st) != 0) {
      out += "-;";
      continue;
    }
    out += fmt::format("{}:{}:{}:{}.{}:{}.{};", st.st_dev, st.st_ino, st.st_size, st.st_mtim.tv_sec,
                       st.st_mtim.tv_nsec, st.st_ctim.tv_sec, st.st_ctim.tv_nsec);
  }
  return out;
}

void VerifiedState::stat_source() {
  struct stat st {};
  if (::stat(config_.ledger_path.c_str(), &st) != 0) {
    const int err = errno;
    source_dev_ = 0;
    source_ino_ = 0;
    throw_environment(fmt::format("ledger {}: cannot read it ({}); put the ledger file there or fix --ledger",
                                  config_.ledger_path, std::strerror(err)));
  }
  source_dev_ = st.st_dev;
  source_ino_ = st.st_ino;
  // A FIFO or device would block the open (and shutdown) forever: never opened.
  if (!S_ISREG(st.st_mode))
    throw_environment(fmt::format("ledger {} is not a regular file (a FIFO, device or directory); put the ledger "
                                  "file there (by rename) or fix --ledger",
                                  config_.ledger_path));
}

void VerifiedState::check_last_entry() {
  const std::uint64_t n = replay_->size();
  if (n == 0) return;
  auto theirs = source_->prepare("SELECT entry FROM entries WHERE idx = ?");
  theirs.bind(1, static_cast<std::int64_t>(n - 1));
  auto ours = target_->prepare("SELECT entry FROM entries WHERE idx = ?");
  ours.bind(1, static_cast<std::int64_t>(n - 1));
  if (!ours.step()) throw std::logic_error("the state lost a verified entry");
  if (!theirs.step())
    throw_verification(fmt::format("entry {}: verified, but now missing from the ledger file (rolled back or cut)",
                                   n - 1));
  if (blob_text(theirs, 0) != blob_text(ours, 0))
    throw_verification(fmt::format("entry {}: its bytes in the ledger file changed after it was verified", n - 1));
}

void VerifiedState::recheck_all() {
  const std::uint64_t n = replay_->size();
  auto snapshot = sql::Transaction::read(*source_);
  auto theirs = source_->prepare("SELECT idx, entry FROM entries WHERE idx < ? ORDER BY idx");
  theirs.bind(1, static_cast<std::int64_t>(n));
  auto ours = target_->prepare("SELECT idx, entry FROM entries ORDER BY idx");
  for (std::uint64_t i = 0; i < n; ++i) {
    if (!ours.step()) throw std::logic_error("the state lost a verified entry");
    if (!theirs.step() || theirs.column_int(0) != static_cast<std::int64_t>(i))
      throw_verification(fmt::format("entry {}: verified, but now missing from the ledger file", i));
    // Compared in place: no copy of either entry (one read of each file is the whole cost).
    const auto file = theirs.column_blob(1), verified = ours.column_blob(1);
    if (!std::equal(file.begin(), file.end(), verified.begin(), verified.end()))
      throw_verification(fmt::format("entry {}: its bytes in the ledger file changed after it was verified", i));
  }
}

void VerifiedState::follow() {
  using Clock = std::chrono::steady_clock;
  Clock::time_point retry_at = Clock::time_point::max(), last_recheck = Clock::now();
  int retry_s = kRetryAfterEnvironmentS;
  // The file as it was when the last verification failed, and when a change of it may next
  // start one (a file copied back in place keeps its inode: verified_state.h).
  std::string failed_stamp;
  Clock::time_point changed_retry_at = Clock::time_point::min();
  int changed_retry_s = 1;
  std::string rechecked_stamp;  // the file's stat at the last full comparison (recheck_on_change)
  auto attempt = [&](auto&& work) {
    try {
      work();
      retry_at = Clock::time_point::max();
      retry_s = kRetryAfterEnvironmentS;
      changed_retry_s = 1;
    } catch (const Error& e) {
      failed_stamp = ledger_stamp();
      fail(e.what());
      // Could not read (busy, missing file): try again in a while, backing off. A bad
      // ledger: wait for a new file or a re-pin.
      if (e.kind() == ErrorKind::environment) {
        retry_at = Clock::now() + std::chrono::seconds(retry_s);
        retry_s = std::min(retry_s * 2, kRetryAfterEnvironmentMaxS);
      } else {
        retry_at = Clock::time_point::max();
      }
    } catch (const std::exception& e) {
      failed_stamp = ledger_stamp();
      fail(fmt::format("internal error: {}", e.what()));
      retry_at = Clock::time_point::max();
    }
  };
  attempt([&] { verify_from_scratch(); });
  last_recheck = Clock::now();
  while (!wait_stop(config_.poll_interval_ms)) {
    if (health().status == StateStatus::failed) {
      bool again = Clock::now() >= retry_at || source_replaced() || trust_.repin_count() != repins_seen_;
      if (!again && Clock::now() >= changed_retry_at && ledger_stamp() != failed_stamp) {
        std::cerr << config_.program << ": the ledger file changed in place since it failed to verify; verifying it from "
                     "scratch\n";
        changed_retry_at = Clock::now() + std::chrono::seconds(changed_retry_s);
        changed_retry_s = std::min(changed_retry_s * 2, kRetryAfterEnvironmentMaxS);
        again = true;
      }
      if (again) {
        attempt([&] { verify_from_scratch(); });
        last_recheck = Clock::now();
      }
      continue;
    }
    attempt([&] {
      if (const auto repins = trust_.repin_count(); repins != repins_seen_) {
        // Recorded while the ledger verifies: not needed, so it covers no later refusal.
        repins_seen_ = repins;
        if (int n = trust_.expire_repins(); n > 0)
          std::cerr << fmt::format("{}: {} re-pin(s) expired unused: the ledger verifies without one\n",
                                   config_.program, n);
      }
      if (source_replaced()) {
        std::cerr << config_.program << ": the ledger file or its write-ahead log (-wal) was replaced or removed "
                     "(another inode); verifying it from scratch\n";
        verify_from_scratch();
        last_recheck = Clock::now();
        return;
      }
      check_last_entry();
      auto version = source_->prepare("PRAGMA data_version");
      version.step();
      const bool changed = version.column_int(0) != source_data_version_;
      if (changed) catch_up();
      const std::string stamp = config_.recheck_on_change ? ledger_stamp() : std::string();
      if (Clock::now() - last_recheck >= std::chrono::seconds(config_.recheck_interval_s) ||
          (config_.recheck_on_change && (changed || stamp != rechecked_stamp))) {
        recheck_all();
        last_recheck = Clock::now();
        rechecked_stamp = stamp;
      }
    });
  }
}

}  // namespace agtrace::verifier
