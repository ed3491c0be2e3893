// The scans file: an in-memory count per code, committed in batches by one thread.
#include "verifier/scans/scan_store.h"

#include <fmt/format.h>

#include <filesystem>
#include <iostream>

#include "ledger/util/error.h"

namespace agtrace::verifier {

namespace {

// 'agsc': marks a file as an agtrace scans file.
constexpr std::int64_t kApplicationId = 0x61677363;

constexpr std::string_view kSchema = R"sql(
CREATE TABLE IF NOT EXISTS scans (
  serial    TEXT PRIMARY KEY,   -- trace code
  count     INTEGER NOT NULL,   -- scans counted so far
  first_ms  INTEGER NOT NULL,   -- first scan, Unix ms
  last_ms   INTEGER NOT NULL    -- last scan, Unix ms
) WITHOUT ROWID;
)sql";

std::unique_ptr<sql::Database> open_scans(const std::string& path) {
  bool exists = std::filesystem::exists(path);
  auto db = std::make_unique<sql::Database>(path, exists ? sql::OpenMode::read_write : sql::OpenMode::create, 5000,
                                            "scans file");
  auto app = db->prepare("PRAGMA application_id");
  app.step();
  std::int64_t id = app.column_int(0);
  auto tables = db->prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name <> 'scans'");
  tables.step();
  if ((id != 0 && id != kApplicationId) || tables.column_int(0) != 0)
    throw_bad_input(fmt::format("--scans {}: this file is not an agtrace scans file (is it the ledger?); "
                                "give a separate file for scan counts",
                                path));
  return db;
}

}  // namespace

ScanStore::ScanStore(const std::string& path, std::chrono::milliseconds flush_interval, std::size_t max_cached)
    : interval_(flush_interval), max_cached_(max_cached) {
  writer_ = open_scans(path);
  writer_->exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;");
  writer_->exec(kSchema);
  writer_->exec(fmt::format("PRAGMA application_id = {}", kApplicationId));
  reader_ = open_scans(path);
  thread_ = std::thread([this] { run(); });
}

ScanStore::~ScanStore() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
  try {
    flush();
  } catch (const std::exception& e) {
    std::cerr << "agtrace-verifier: could not commit the last scan counts: " << e.what() << "\n";
  }
}

ScanStore::Entry& ScanStore::load_locked(const std::string& serial) {
  auto it = entries_.find(serial);
  if (it != entries_.end()) return it->second;
  Entry e;
  auto s = reader_->prepare("SELECT count, first_ms, last_ms FROM scans WHERE serial = ?");
  s.bind(1, serial);
  if (s.step())
    e.total = {static_cast<std::uint64_t>(s.column_int(0)), s.column_int(1), s.column_int(2)};
  return entries_.emplace(serial, e).first->second;
}

ScanCount ScanStore::record(const std::string& serial, std::int64_t now) {
  std::lock_guard lock(mu_);
  Entry& e = load_locked(serial);
  if (e.total.count == 0) e.total.first_unix_ms = now;
  ++e.total.count;
  e.total.last_unix_ms = std::max(e.total.last_unix_ms, now);
  if (e.pending == 0) {
    e.pending_first = now;
    dirty_.push_back(serial);
  }
  ++e.pending;
  ++recorded_;
  return e.total;
}

ScanCount ScanStore::peek(const std::string& serial) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(serial);
  if (it != entries_.end()) return it->second.total;
  ScanCount c;
  auto s = reader_->prepare("SELECT count, first_ms, last_ms FROM scans WHERE serial = ?");
  s.bind(1, serial);
  if (s.step()) c = {static_cast<std::uint64_t>(s.column_int(0)), s.column_int(1), s.column_int(2)};
  return c;
}

void ScanStore::flush() {
  std::lock_guard flush_lock(flush_mu_);
  struct Delta {
    std::string serial;
    std::uint64_t n;
    std::int64_t first, last;
  };
  std::vector<Delta> batch;
  {
    std::lock_guard lock(mu_);
    for (auto& serial : dirty_) {
      Entry& e = entries_.at(serial);
      batch.push_back({serial, e.pending, e.pending_first, e.total.last_unix_ms});
      e.in_flight += e.pending;
      e.pending = 0;
    }
    dirty_.clear();
  }
  if (batch.empty()) return;
  try {
    sql::Transaction tx(*writer_);
    auto up = writer_->prepare(
        "INSERT INTO scans (serial, count, first_ms, last_ms) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (serial) DO UPDATE SET count = count + excluded.count, "
        "first_ms = min(first_ms, excluded.first_ms), last_ms = max(last_ms, excluded.last_ms)");
    for (const auto& d : batch)
      up.bind(1, d.serial).bind(2, static_cast<std::int64_t>(d.n)).bind(3, d.first).bind(4, d.last).run();
    tx.commit();
  } catch (...) {
    // Hand the counts back: the next flush tries again.
    std::lock_guard lock(mu_);
    for (const auto& d : batch) {
      Entry& e = entries_.at(d.serial);
      e.in_flight -= d.n;
      if (e.pending == 0) {
        e.pending_first = d.first;
        dirty_.push_back(d.serial);
      } else {
        e.pending_first = std::min(e.pending_first, d.first);
      }
      e.pending += d.n;
    }
    ++flush_failures_;
    throw;
  }
  std::lock_guard lock(mu_);
  for (const auto& d : batch) entries_.at(d.serial).in_flight -= d.n;
  if (entries_.size() > max_cached_) {
    for (auto it = entries_.begin(); it != entries_.end();)
      it = it->second.pending == 0 && it->second.in_flight == 0 ? entries_.erase(it) : std::next(it);
  }
}

void ScanStore::run() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    cv_.wait_for(lock, interval_, [this] { return stop_; });
    if (stop_) break;
    if (dirty_.empty()) continue;
    lock.unlock();
    try {
      flush();
    } catch (const std::exception& e) {
      std::cerr << "agtrace-verifier: committing scan counts failed (will retry): " << e.what() << "\n";
    }
    lock.lock();
  }
}

}  // namespace agtrace::verifier
