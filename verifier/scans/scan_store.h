// Anti-counterfeit scan counts (DESIGN §5), in their own SQLite file — never in the ledger.
//
// Each genuine code has a count and the times of its first and last scan. record() counts
// one scan in memory at once (so the page shows it) and a background thread commits the
// pending counts in one transaction at most every `flush_interval` (50 ms by default): a
// crash may lose the last batch of counts, never a ledger entry. Counts are written as
// increments (count = count + n), so no concurrent scan is lost. Clean entries are dropped
// from memory when more than `max_cached` codes are held; a later scan reads them back.
//
// Thread-safe. The file is created on first use and marked with its own application_id;
// a file that holds something else (a ledger passed by mistake) is refused.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "ledger/store/sqlite.h"
#include "verifier/pages/scan_page.h"

namespace agtrace::verifier {

class ScanStore {
 public:
  // Opens or creates the scans file at `path` and starts the committing thread. Throws
  // Error(bad_input) if the file is not a scans file, Error(environment) if it cannot be
  // opened.
  explicit ScanStore(const std::string& path,
                     std::chrono::milliseconds flush_interval = std::chrono::milliseconds(50),
                     std::size_t max_cached = 100000);
  // Commits what is pending and stops the thread.
  ~ScanStore();
  ScanStore(const ScanStore&) = delete;
  ScanStore& operator=(const ScanStore&) = delete;

  // Counts one scan of `serial` at `now_unix_ms`; returns the counts including it.
  ScanCount record(const std::string& serial, std::int64_t now_unix_ms);
  // The counts of `serial` without counting.
  ScanCount peek(const std::string& serial);
  // Commits every pending count now (also done on shutdown). Throws on a database error;
  // the counts stay pending then.
  void flush();

  std::uint64_t scans_recorded() const { return recorded_.load(); }
  std::uint64_t flush_failures() const { return flush_failures_.load(); }

 private:
  struct Entry {
    ScanCount total;                // as shown: committed + pending
    std::uint64_t pending = 0;      // scans not yet handed to a commit
    std::int64_t pending_first = 0; // earliest pending scan time
    std::uint64_t in_flight = 0;    // scans being committed right now
  };

  Entry& load_locked(const std::string& serial);
  void run();

  std::unique_ptr<sql::Database> reader_;  // used under mu_
  std::unique_ptr<sql::Database> writer_;  // used by flush() under flush_mu_
  std::mutex mu_;
  std::mutex flush_mu_;
  std::unordered_map<std::string, Entry> entries_;
  std::vector<std::string> dirty_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::chrono::milliseconds interval_;
  std::size_t max_cached_;
  std::atomic<std::uint64_t> recorded_{0};
  std::atomic<std::uint64_t> flush_failures_{0};
  std::thread thread_;
};

}  // namespace agtrace::verifier
