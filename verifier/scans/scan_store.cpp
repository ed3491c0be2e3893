// The scans file: an in-memory count per code, committed in batches by one thread.
#include "verifier/scans/scan_store.h"

#include <fmt/format.h>

#include <openssl/rand.h>

#include <array>
#include <filesystem>
#include <iostream>
#include <unordered_set>

#include "ledger/util/bytes.h"
#include "ledger/util/error.h"
#include "ledger/util/sha256.h"

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
CREATE TABLE IF NOT EXISTS scan_clients (
  serial    TEXT NOT NULL,      -- trace code
  client    BLOB NOT NULL,      -- keyed hash of a cookie id, or of address and user agent
  grp       BLOB NOT NULL,      -- the key that first named this client: one group, one client
  first_ms  INTEGER NOT NULL,   -- when this key was first seen, Unix ms
  PRIMARY KEY (serial, client)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS scan_meta (
  name      TEXT PRIMARY KEY,   -- 'client_secret': 32 random bytes keying scan_clients.client
  value     BLOB NOT NULL
) WITHOUT ROWID;
)sql";

// The tables a scans file may hold: anything else means it is some other file.
constexpr std::string_view kTables = "'scans', 'scan_clients', 'scan_meta'";

std::unique_ptr<sql::Database> open_scans(const std::string& path) {
  bool exists = std::filesystem::exists(path);
  auto db = std::make_unique<sql::Database>(path, exists ? sql::OpenMode::read_write : sql::OpenMode::create, 5000,
                                            "scans file");
  auto app = db->prepare("PRAGMA application_id");
  app.step();
  std::int64_t id = app.column_int(0);
  auto tables =
      db->prepare(fmt::format("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT IN ({})", kTables));
  tables.step();
  if ((id != 0 && id != kApplicationId) || tables.column_int(0) != 0)
    throw_bad_input(fmt::format("--scans {}: this file is not an agtrace scans file (is it the ledger?); "
                                "give a separate file for scan counts",
                                path));
  return db;
}

// The file's client-key secret, made on first open.
std::string load_secret(sql::Database& db) {
  std::array<std::uint8_t, 32> fresh{};
  if (RAND_bytes(fresh.data(), static_cast<int>(fresh.size())) != 1)
    throw_environment("RAND_bytes failed: cannot make the scans file's client-key secret");
  db.prepare("INSERT OR IGNORE INTO scan_meta (name, value) VALUES ('client_secret', ?)").bind_blob(1, fresh).run();
  auto s = db.prepare("SELECT value FROM scan_meta WHERE name = 'client_secret'");
  s.step();
  auto blob = s.column_blob(0);
  if (blob.size() != fresh.size())
    throw_bad_input("the scans file's client_secret is not 32 bytes; give a fresh --scans file");
  return std::string(blob.begin(), blob.end());
}

}  // namespace

std::string ScanStore::client_key(std::string_view kind, std::string_view value) const {
  const std::uint8_t zero = 0;
  Hash h = sha256({as_bytes(secret_), as_bytes(kind), std::span<const std::uint8_t>(&zero, 1), as_bytes(value)});
  return std::string(h.begin(), h.begin() + 16);
}

ScanStore::ScanStore(const std::string& path, std::chrono::milliseconds flush_interval, std::size_t max_cached)
    : interval_(flush_interval), max_cached_(max_cached) {
  writer_ = open_scans(path);
  writer_->exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;");
  writer_->exec(kSchema);
  writer_->exec(fmt::format("PRAGMA application_id = {}", kApplicationId));
  secret_ = load_secret(*writer_);
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
  auto c = reader_->prepare("SELECT client, grp FROM scan_clients WHERE serial = ?");
  c.bind(1, serial);
  std::unordered_set<std::string> groups;
  while (c.step()) {
    auto key = c.column_blob(0);
    auto grp = c.column_blob(1);
    std::string g(grp.begin(), grp.end());
    e.groups.emplace(std::string(key.begin(), key.end()), g);
    groups.insert(std::move(g));
  }
  e.total.clients = groups.size();
  return entries_.emplace(serial, std::move(e)).first->second;
}

ScanCount ScanStore::record(const std::string& serial, const ScanClient& client, std::int64_t now) {
  // Keys first, outside the lock: a cookie id is "the same client" wherever it comes from.
  std::string cookie = client.cookie ? client_key("cookie", *client.cookie) : std::string();
  std::string address = client.cookie ? std::string()
                                       : client_key("address+user-agent", client.address + '\0' + client.user_agent);
  std::string issued = client.issued.empty() ? std::string() : client_key("cookie", client.issued);
  std::lock_guard lock(mu_);
  Entry& e = load_locked(serial);
  if (e.total.count == 0) e.total.first_unix_ms = now;
  ++e.total.count;
  e.total.last_unix_ms = std::max(e.total.last_unix_ms, now);
  auto remember = [&](const std::string& key, const std::string& group) {
    if (key.empty() || !e.groups.emplace(key, group).second) return;
    e.pending_keys.push_back({key, group, now});
  };
  // The cookie when one came back, else the address and user agent; a cookie issued now
  // names the same client, so its next scan (with the cookie) is not a new one.
  const std::string& known_by = client.cookie ? cookie : address;
  auto it = e.groups.find(known_by);
  std::string group = it != e.groups.end() ? it->second : known_by;
  if (it == e.groups.end()) ++e.total.clients;
  remember(known_by, group);
  remember(issued, group);
  if (e.pending == 0) {  // pending_keys are only ever added with a pending scan
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
  auto g = reader_->prepare("SELECT count(DISTINCT grp) FROM scan_clients WHERE serial = ?");
  g.bind(1, serial);
  if (g.step()) c.clients = static_cast<std::uint64_t>(g.column_int(0));
  return c;
}

void ScanStore::flush() {
  std::lock_guard flush_lock(flush_mu_);
  struct Delta {
    std::string serial;
    std::uint64_t n;
    std::int64_t first, last;
    std::vector<ClientKey> keys;
  };
  std::vector<Delta> batch;
  {
    std::lock_guard lock(mu_);
    for (auto& serial : dirty_) {
      Entry& e = entries_.at(serial);
      batch.push_back({serial, e.pending, e.pending_first, e.total.last_unix_ms, std::move(e.pending_keys)});
      e.pending_keys.clear();
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
    // A key another process recorded first keeps its group there: both name one client.
    auto key = writer_->prepare("INSERT OR IGNORE INTO scan_clients (serial, client, grp, first_ms) VALUES (?, ?, ?, ?)");
    for (const auto& d : batch) {
      up.bind(1, d.serial).bind(2, static_cast<std::int64_t>(d.n)).bind(3, d.first).bind(4, d.last).run();
      for (const auto& k : d.keys)
        key.bind(1, d.serial).bind_blob(2, as_bytes(k.key)).bind_blob(3, as_bytes(k.group)).bind(4, k.first_ms).run();
    }
    tx.commit();
  } catch (...) {
    // Hand the counts back: the next flush tries again.
    std::lock_guard lock(mu_);
    for (auto& d : batch) {
      Entry& e = entries_.at(d.serial);
      d.keys.insert(d.keys.end(), std::make_move_iterator(e.pending_keys.begin()),
                    std::make_move_iterator(e.pending_keys.end()));
      e.pending_keys = std::move(d.keys);
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

std::string ScanStore::commit_error() const {
  std::lock_guard lock(failure_mu_);
  return failing_.load() ? failure_ : std::string();
}

void ScanStore::note_failure(const std::string& what) {
  constexpr auto kEvery = std::chrono::seconds(60);
  auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(failure_mu_);
  failure_ = what;
  ++failures_in_run_;
  bool first = !failing_.exchange(true);
  if (first || now - failure_logged_ >= kEvery) {
    if (first)
      std::cerr << "agtrace-verifier: committing scan counts failed (counts stay pending; retried every "
                << interval_.count() << " ms, logged at most once a minute; /healthz answers 503): " << what << "\n";
    else
      std::cerr << "agtrace-verifier: committing scan counts still fails (" << failures_unlogged_ + 1
                << " failures in the last minute): " << what << "\n";
    failure_logged_ = now;
    failures_unlogged_ = 0;
  } else {
    ++failures_unlogged_;
  }
}

void ScanStore::note_success() {
  if (!failing_.load()) return;
  std::lock_guard lock(failure_mu_);
  std::cerr << "agtrace-verifier: committing scan counts works again, after " << failures_in_run_
            << " failed attempts; the pending counts are committed\n";
  failing_ = false;
  failures_in_run_ = 0;
  failures_unlogged_ = 0;
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
      note_success();
    } catch (const std::exception& e) {
      note_failure(e.what());
    }
    lock.lock();
  }
}

}  // namespace agtrace::verifier
