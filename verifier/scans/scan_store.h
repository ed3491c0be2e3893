// Anti-counterfeit scan counts (DESIGN §5), in their own SQLite file — never in the ledger.
//
// Each genuine code has a count and the times of its first and last scan. record() counts
// one scan in memory at once (so the page shows it) and a background thread commits the
// pending counts in one transaction at most every `flush_interval` (50 ms by default): a
// crash may lose the last batch of counts, never a ledger entry. Counts are written as
// increments (count = count + n), so no concurrent scan is lost. Clean entries are dropped
// from memory when more than `max_cached` codes are held; a later scan reads them back.
//
// Distinct clients (client_id.h): with each scan the store learns who made it, as keys —
// the first 16 bytes of SHA-256(secret || kind || 0 || value) of the client's cookie id, or
// of its address and user agent when no cookie came back — never the values themselves.
// The secret is 32 random bytes made once per scans file and kept in it, so the keys of
// one installation cannot be matched against another's or reversed by trying addresses
// without the file. Keys that name the same client (the address key of a first scan and
// the cookie id issued with it) share a group; a code's distinct clients are its groups.
// A cookie makes a client the same across addresses; a client without one is the same
// while its address and user agent are.
//
// Thread-safe. The file is created on first use and marked with its own application_id;
// a file that holds something else (a ledger passed by mistake) is refused. A scans file
// written before clients were told apart is upgraded on open (new tables only): its
// earlier scans stay counted and are not attributed to any client.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "ledger/store/sqlite.h"
#include "verifier/pages/scan_page.h"
#include "verifier/scans/client_id.h"

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

  // Counts one scan of `serial` by `client` at `now_unix_ms`; returns the counts
  // including it (clients grows when this client had not scanned the code before).
  ScanCount record(const std::string& serial, const ScanClient& client, std::int64_t now_unix_ms);
  // The counts of `serial` without counting.
  ScanCount peek(const std::string& serial);
  // Commits every pending count now (also done on shutdown). Throws on a database error;
  // the counts stay pending then.
  void flush();

  std::uint64_t scans_recorded() const { return recorded_.load(); }
  std::uint64_t flush_failures() const { return flush_failures_.load(); }
  // True from a failed commit by the background thread until the next one succeeds (the
  // counts stay pending meanwhile: a full disk, a read-only or damaged scans file);
  // commit_error() says why. /healthz answers 503 then.
  bool commit_failing() const { return failing_.load(); }
  std::string commit_error() const;

 private:
  struct ClientKey {
    std::string key, group;  // 16 raw bytes each
    std::int64_t first_ms = 0;
  };
  struct Entry {
    ScanCount total;                // as shown: committed + pending
    std::uint64_t pending = 0;      // scans not yet handed to a commit
    std::int64_t pending_first = 0; // earliest pending scan time
    std::uint64_t in_flight = 0;    // scans being committed right now
    std::unordered_map<std::string, std::string> groups;  // client key → its group
    std::vector<ClientKey> pending_keys;                  // keys not yet handed to a commit
  };

  Entry& load_locked(const std::string& serial);
  std::string client_key(std::string_view kind, std::string_view value) const;
  void run();
  // Logs a failed background commit: the first at once, then at most one line a minute
  // (with the number of failures since the last line), and one line when commits work again.
  void note_failure(const std::string& what);
  void note_success();

  std::atomic<bool> failing_{false};
  mutable std::mutex failure_mu_;  // guards the three below
  std::string failure_;            // the last failure's message
  std::chrono::steady_clock::time_point failure_logged_{};
  std::uint64_t failures_unlogged_ = 0, failures_in_run_ = 0;
  std::string secret_;                     // the file's client-key secret (32 bytes)
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
