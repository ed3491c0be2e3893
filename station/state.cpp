// The station's state file: accounts, sessions, jobs (state.h).
#include "station/state.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <regex>

#include "ledger/store/sqlite.h"
#include "ledger/util/bytes.h"
#include "ledger/util/error.h"
#include "ledger/util/sha256.h"
#include "station/pin.h"

namespace agtrace::station {
namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS station_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT OR IGNORE INTO station_meta VALUES ('format', 'agtrace-station-state-1');
CREATE TABLE IF NOT EXISTS accounts (
  id TEXT PRIMARY KEY, role TEXT NOT NULL, enterprise TEXT NOT NULL,
  salt BLOB NOT NULL, iterations INTEGER NOT NULL, pin_hash BLOB NOT NULL,
  failed INTEGER NOT NULL DEFAULT 0, disabled INTEGER NOT NULL DEFAULT 0,
  locked_until_ms INTEGER NOT NULL DEFAULT 0, lockouts INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS sessions (
  token_hash TEXT PRIMARY KEY, account TEXT NOT NULL, csrf TEXT NOT NULL,
  created_ms INTEGER NOT NULL, last_ms INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS jobs (
  id INTEGER PRIMARY KEY AUTOINCREMENT, printer TEXT NOT NULL, lot TEXT NOT NULL, product TEXT NOT NULL,
  count INTEGER NOT NULL, account TEXT NOT NULL, enterprise TEXT NOT NULL, state TEXT NOT NULL,
  created_ms INTEGER NOT NULL, started_ms INTEGER NOT NULL DEFAULT 0, finished_ms INTEGER NOT NULL DEFAULT 0,
  entry INTEGER, confirmed INTEGER NOT NULL DEFAULT 0, message TEXT NOT NULL DEFAULT '');
CREATE INDEX IF NOT EXISTS jobs_by_printer ON jobs (printer, state, id);
CREATE TABLE IF NOT EXISTS approval_tries (
  account TEXT PRIMARY KEY, failed INTEGER NOT NULL DEFAULT 0, locked INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS unlocks (
  id INTEGER PRIMARY KEY AUTOINCREMENT, account TEXT NOT NULL, by TEXT NOT NULL, at_ms INTEGER NOT NULL,
  pin_reset INTEGER NOT NULL DEFAULT 0);
)sql";

// A state file from before lockouts ended by themselves has a `locked` flag instead (kept, no
// longer read: its permanent locks end; its count of wrong tries still stands).
constexpr const char* kLockoutColumns[] = {"locked_until_ms", "lockouts"};

std::string token_hash(const std::string& token) {
  return hex_encode(sha256(std::span(reinterpret_cast<const std::uint8_t*>(token.data()), token.size())));
}

std::vector<std::uint8_t> blob(const sql::Statement& s, int col) {
  auto b = s.column_blob(col);
  return {b.begin(), b.end()};
}

// Reads kAccountColumns (prefixed or not) from column 0 on; `now_ms` decides whether the lock holds.
Account read_account(const sql::Statement& s, std::int64_t now_ms) {
  Account a;
  a.id = s.column_text(0);
  a.role = s.column_text(1);
  a.enterprise = s.column_text(2);
  a.failed = static_cast<int>(s.column_int(3));
  a.locked_until_ms = s.column_int(4);
  a.locked = a.locked_until_ms > now_ms;
  a.disabled = s.column_int(5) != 0;
  a.lockouts = static_cast<int>(s.column_int(6));
  return a;
}

constexpr const char* kAccountColumns = "id, role, enterprise, failed, locked_until_ms, disabled, lockouts";
constexpr int kAccountColumnCount = 7;
constexpr const char* kJobColumns =
    "id, printer, lot, product, count, account, enterprise, state, created_ms, started_ms, finished_ms, entry, "
    "confirmed, message";

Job read_job(const sql::Statement& s) {
  Job j;
  j.id = s.column_int(0);
  j.printer = s.column_text(1);
  j.lot = s.column_text(2);
  j.product = s.column_text(3);
  j.count = static_cast<std::size_t>(s.column_int(4));
  j.account = s.column_text(5);
  j.enterprise = s.column_text(6);
  j.state = s.column_text(7);
  j.created_ms = s.column_int(8);
  j.started_ms = s.column_int(9);
  j.finished_ms = s.column_int(10);
  if (!s.is_null(11)) j.entry = static_cast<std::uint64_t>(s.column_int(11));
  j.confirmed = static_cast<std::size_t>(s.column_int(12));
  j.message = s.column_text(13);
  return j;
}

}  // namespace

std::int64_t LockoutPolicy::length_ms(int n) const {
  std::int64_t length = first_ms;
  for (int i = 1; i < n && length < max_ms; ++i) length *= 2;
  return std::min(length, max_ms);
}

std::int64_t wall_clock_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void check_role(const std::string& role) {
  if (role != "operator" && role != "supervisor" && role != "clerk")
    throw_bad_input(fmt::format("--role {}：角色只能是 operator（操作员）、supervisor（主管）或 clerk（文员）/ --role {}: "
                                "give operator, supervisor or clerk",
                                role, role));
}


void check_account_id(const std::string& id) {
  static const std::regex pattern("^[a-z0-9]+(-[a-z0-9]+)*$");
  if (id.size() < 2 || id.size() > 32 || !std::regex_match(id, pattern))
    throw_bad_input(fmt::format("--id {}：账号是化名，如 op-07（小写字母和数字，用 - 连接，2 到 32 个字符），不要用真实姓名 / "
                                "--id {}: an account id is a pseudonym such as op-07 (lower-case letters and digits "
                                "joined by '-', 2 to 32 characters), never a person's name: it is written into signed "
                                "ledger entries that cannot be erased",
                                id.substr(0, 64), id.substr(0, 64)));
}

StationState::StationState(const std::string& path) {
  bool fresh = !std::filesystem::exists(path);
  db_ = std::make_unique<sql::Database>(path, fresh ? sql::OpenMode::create : sql::OpenMode::read_write, 10000,
                                        "station state file");
  db_->exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;");
  if (!fresh) {
    auto s = db_->prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'station_meta'");
    if (!s.step())
      throw_bad_input(fmt::format("--state {}：这不是工作站的状态文件（是账本吗？），请给出另一个文件名 / --state {}: not a "
                                  "station state file (the ledger?); give the station its own file, e.g. station.db",
                                  path, path));
  }
  if (!fresh) {
    for (const char* column : kLockoutColumns) {
      auto q = db_->prepare("SELECT 1 FROM pragma_table_info('accounts') WHERE name = ?");
      q.bind(1, column);
      if (!q.step()) db_->exec(fmt::format("ALTER TABLE accounts ADD COLUMN {} INTEGER NOT NULL DEFAULT 0", column));
    }
  }
  db_->exec(kSchema);
}

StationState::~StationState() = default;

void StationState::add_account(const std::string& id, const std::string& role, const std::string& enterprise,
                               const std::string& pin) {
  check_account_id(id);
  check_role(role);
  if (enterprise.empty()) throw_bad_input("--enterprise：请给出该账号所属企业的主体编号 / --enterprise: give the party id of the account's enterprise");
  PinHash h = hash_pin(pin);
  std::lock_guard lock(mu_);
  if (db_->prepare("SELECT 1 FROM accounts WHERE id = ?").bind(1, id).step())
    throw_bad_input(fmt::format("--id {}：账号已存在；忘记 PIN 请用 user reset-pin / --id {}: the account exists; use "
                                "`user reset-pin` for a forgotten PIN",
                                id, id));
  auto s = db_->prepare(
      "INSERT INTO accounts (id, role, enterprise, salt, iterations, pin_hash) VALUES (?, ?, ?, ?, ?, ?)");
  s.bind(1, id).bind(2, role).bind(3, enterprise).bind_blob(4, h.salt).bind(5, std::int64_t{h.iterations});
  s.bind_blob(6, h.hash).run();
}

void StationState::disable_account(const std::string& id) {
  std::lock_guard lock(mu_);
  auto s = db_->prepare("UPDATE accounts SET disabled = 1 WHERE id = ?");
  s.bind(1, id).run();
  if (db_->changes() == 0)
    throw_bad_input(fmt::format("--id {}：没有这个账号 / --id {}: no such account", id, id));
  db_->prepare("DELETE FROM sessions WHERE account = ?").bind(1, id).run();
}

void StationState::enable_account(const std::string& id) {
  std::lock_guard lock(mu_);
  db_->prepare("UPDATE accounts SET disabled = 0 WHERE id = ?").bind(1, id).run();
  if (db_->changes() == 0)
    throw_bad_input(fmt::format("--id {}：没有这个账号 / --id {}: no such account", id, id));
}

void StationState::reset_pin(const std::string& id, const std::string& pin) {
  PinHash h = hash_pin(pin);
  std::lock_guard lock(mu_);
  auto s = db_->prepare(
      "UPDATE accounts SET salt = ?, iterations = ?, pin_hash = ?, failed = 0, locked_until_ms = 0, lockouts = 0 "
      "WHERE id = ?");
  s.bind_blob(1, h.salt).bind(2, std::int64_t{h.iterations}).bind_blob(3, h.hash).bind(4, id).run();
  if (db_->changes() == 0)
    throw_bad_input(fmt::format("--id {}：没有这个账号 / --id {}: no such account", id, id));
  db_->prepare("DELETE FROM sessions WHERE account = ?").bind(1, id).run();
  db_->prepare("DELETE FROM approval_tries WHERE account = ?").bind(1, id).run();
}

std::optional<Account> StationState::account(const std::string& id, std::int64_t now_ms) {
  std::lock_guard lock(mu_);
  auto s = db_->prepare(fmt::format(
      "SELECT {}, EXISTS (SELECT 1 FROM approval_tries t WHERE t.account = accounts.id AND t.locked = 1) FROM accounts "
      "WHERE id = ?",
      kAccountColumns));
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  Account a = read_account(s, now_ms);
  a.approvals_locked = s.column_int(kAccountColumnCount) != 0;
  return a;
}

std::vector<Account> StationState::accounts(const std::string& enterprise, std::int64_t now_ms) {
  std::lock_guard lock(mu_);
  auto s = db_->prepare(fmt::format(
      "SELECT {}, EXISTS (SELECT 1 FROM approval_tries t WHERE t.account = accounts.id AND t.locked = 1) FROM accounts "
      "WHERE enterprise = ? ORDER BY id",
      kAccountColumns));
  s.bind(1, enterprise);
  std::vector<Account> out;
  while (s.step()) {
    out.push_back(read_account(s, now_ms));
    out.back().approvals_locked = s.column_int(kAccountColumnCount) != 0;
  }
  return out;
}

void StationState::unlock(const std::string& id, const std::string& by, std::int64_t now_ms,
                          const std::string& new_pin) {
  std::optional<PinHash> h;
  if (!new_pin.empty()) h = hash_pin(new_pin);
  std::lock_guard lock(mu_);
  db_->prepare("UPDATE accounts SET failed = 0, locked_until_ms = 0, lockouts = 0 WHERE id = ?").bind(1, id).run();
  if (db_->changes() == 0)
    throw_bad_input(fmt::format("--id {}：没有这个账号 / --id {}: no such account", id, id));
  if (h) {
    auto s = db_->prepare("UPDATE accounts SET salt = ?, iterations = ?, pin_hash = ? WHERE id = ?");
    s.bind_blob(1, h->salt).bind(2, std::int64_t{h->iterations}).bind_blob(3, h->hash).bind(4, id).run();
    db_->prepare("DELETE FROM sessions WHERE account = ?").bind(1, id).run();
  }
  db_->prepare("DELETE FROM approval_tries WHERE account = ?").bind(1, id).run();
  db_->prepare("INSERT INTO unlocks (account, by, at_ms, pin_reset) VALUES (?, ?, ?, ?)")
      .bind(1, id)
      .bind(2, by)
      .bind(3, now_ms)
      .bind(4, std::int64_t{h ? 1 : 0})
      .run();
}

std::optional<std::pair<std::string, std::int64_t>> StationState::last_unlock(const std::string& id) {
  std::lock_guard lock(mu_);
  auto s = db_->prepare("SELECT by, at_ms FROM unlocks WHERE account = ? ORDER BY id DESC LIMIT 1");
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  return std::pair{s.column_text(0), s.column_int(1)};
}

SignInResult StationState::sign_in(const std::string& id, const std::string& pin, std::int64_t now_ms,
                                   const LockoutPolicy& policy) {
  std::optional<Account> a;
  PinHash stored;
  {
    std::lock_guard lock(mu_);
    // A lock that has run out ends here: the count of wrong tries starts again (the row of
    // lockouts stands until a right PIN).
    db_->prepare("UPDATE accounts SET failed = 0, locked_until_ms = 0 WHERE id = ? AND locked_until_ms > 0 AND "
                 "locked_until_ms <= ?")
        .bind(1, id)
        .bind(2, now_ms)
        .run();
    auto s = db_->prepare(fmt::format("SELECT {}, salt, iterations, pin_hash FROM accounts WHERE id = ?", kAccountColumns));
    s.bind(1, id);
    if (s.step()) {
      a = read_account(s, now_ms);
      stored.salt = blob(s, kAccountColumnCount);
      stored.iterations = static_cast<std::uint32_t>(s.column_int(kAccountColumnCount + 1));
      stored.hash = blob(s, kAccountColumnCount + 2);
    }
  }
  SignInResult r;
  if (!a) {
    // The same work as for a real account: no timing difference tells which ids exist.
    static const PinHash dummy = hash_pin("0000");
    (void)pin_matches(pin, dummy);
    r.tries_left = kMaxWrongPins;
    return r;
  }
  if (a->disabled) return {SignInOutcome::disabled, {}, 0, 0};
  if (a->locked) return {SignInOutcome::locked, *a, 0, a->locked_until_ms};
  bool ok = pin_matches(pin, stored);
  std::lock_guard lock(mu_);
  auto until = [&] {
    auto q = db_->prepare("SELECT locked_until_ms FROM accounts WHERE id = ?");
    q.bind(1, id).step();
    return q.column_int(0);
  };
  if (ok) {
    db_->prepare("UPDATE accounts SET failed = 0, lockouts = 0 WHERE id = ? AND locked_until_ms <= ?")
        .bind(1, id)
        .bind(2, now_ms)
        .run();
    if (db_->changes() == 0) return {SignInOutcome::locked, *a, 0, until()};  // locked meanwhile by parallel tries
    a->failed = 0;
    a->lockouts = 0;
    return {SignInOutcome::ok, *a, 0, 0};
  }
  db_->prepare("UPDATE accounts SET failed = failed + 1 WHERE id = ? AND locked_until_ms <= ?").bind(1, id).bind(2, now_ms).run();
  if (db_->changes() == 0) return {SignInOutcome::locked, *a, 0, until()};
  auto s = db_->prepare("SELECT failed, lockouts FROM accounts WHERE id = ?");
  s.bind(1, id).step();
  const int failed = static_cast<int>(s.column_int(0)), lockouts = static_cast<int>(s.column_int(1));
  if (failed >= kMaxWrongPins) {
    std::int64_t end = now_ms + policy.length_ms(lockouts + 1);
    db_->prepare("UPDATE accounts SET lockouts = lockouts + 1, locked_until_ms = ? WHERE id = ?").bind(1, end).bind(2, id).run();
    db_->prepare("DELETE FROM sessions WHERE account = ?").bind(1, id).run();
    return {SignInOutcome::locked, *a, 0, end};
  }
  r.tries_left = kMaxWrongPins - failed;
  return r;
}

ApprovalResult StationState::approve(const std::string& requester, const std::string& id, const std::string& pin,
                                     std::int64_t now_ms) {
  std::optional<Account> a;
  PinHash stored;
  {
    std::lock_guard lock(mu_);
    auto q = db_->prepare("SELECT locked FROM approval_tries WHERE account = ?");
    q.bind(1, requester);
    if (q.step() && q.column_int(0)) return {ApprovalOutcome::requester_locked, {}, 0};
    auto s = db_->prepare(fmt::format("SELECT {}, salt, iterations, pin_hash FROM accounts WHERE id = ?", kAccountColumns));
    s.bind(1, id);
    if (s.step()) {
      a = read_account(s, now_ms);
      stored.salt = blob(s, kAccountColumnCount);
      stored.iterations = static_cast<std::uint32_t>(s.column_int(kAccountColumnCount + 1));
      stored.hash = blob(s, kAccountColumnCount + 2);
    }
  }
  if (a && a->disabled) return {ApprovalOutcome::disabled, {}, 0};
  bool ok = false;
  if (!a) {
    static const PinHash dummy = hash_pin("0000");  // the same work: no timing tells which ids exist
    (void)pin_matches(pin, dummy);
  } else {
    ok = pin_matches(pin, stored);
  }
  std::lock_guard lock(mu_);
  if (ok) {
    db_->prepare("DELETE FROM approval_tries WHERE account = ? AND locked = 0").bind(1, requester).run();
    if (db_->changes() == 0 &&
        db_->prepare("SELECT 1 FROM approval_tries WHERE account = ? AND locked = 1").bind(1, requester).step())
      return {ApprovalOutcome::requester_locked, {}, 0};  // locked meanwhile by parallel tries
    return {ApprovalOutcome::ok, *a, 0};
  }
  db_->prepare(
         "INSERT INTO approval_tries (account, failed, locked) VALUES (?1, 1, 1 >= ?2) ON CONFLICT (account) DO UPDATE "
         "SET failed = failed + 1, locked = (failed + 1 >= ?2)")
      .bind(1, requester)
      .bind(2, std::int64_t{kMaxWrongPins})
      .run();
  auto s = db_->prepare("SELECT failed, locked FROM approval_tries WHERE account = ?");
  s.bind(1, requester).step();
  if (s.column_int(1)) return {ApprovalOutcome::requester_locked, {}, 0};
  return {ApprovalOutcome::wrong, {}, kMaxWrongPins - static_cast<int>(s.column_int(0))};
}

Session StationState::create_session(const Account& account, std::int64_t now_ms) {
  Session out;
  out.token = hex_encode(random_bytes(32));
  out.csrf = hex_encode(random_bytes(32));
  out.account = account;
  std::lock_guard lock(mu_);
  auto s = db_->prepare("INSERT INTO sessions (token_hash, account, csrf, created_ms, last_ms) VALUES (?, ?, ?, ?, ?)");
  s.bind(1, token_hash(out.token)).bind(2, account.id).bind(3, out.csrf).bind(4, now_ms).bind(5, now_ms).run();
  return out;
}

std::optional<Session> StationState::session(const std::string& token, std::int64_t now_ms, std::int64_t idle_ms,
                                             bool touch) {
  if (token.size() != 64) return std::nullopt;
  std::string h = token_hash(token);
  std::lock_guard lock(mu_);
  auto s = db_->prepare(fmt::format(
      "SELECT a.id, a.role, a.enterprise, a.failed, a.locked_until_ms, a.disabled, a.lockouts, s.csrf, s.last_ms "
      "FROM sessions s JOIN accounts a ON a.id = s.account WHERE s.token_hash = ?"));
  s.bind(1, h);
  if (!s.step()) return std::nullopt;
  Session out;
  out.account = read_account(s, now_ms);
  out.csrf = s.column_text(kAccountColumnCount);
  std::int64_t last = s.column_int(kAccountColumnCount + 1);
  if (now_ms - last > idle_ms || out.account.locked || out.account.disabled) {
    db_->prepare("DELETE FROM sessions WHERE token_hash = ?").bind(1, h).run();
    return std::nullopt;
  }
  if (touch) db_->prepare("UPDATE sessions SET last_ms = ? WHERE token_hash = ?").bind(1, now_ms).bind(2, h).run();
  out.token = token;
  return out;
}

void StationState::end_session(const std::string& token) {
  std::lock_guard lock(mu_);
  db_->prepare("DELETE FROM sessions WHERE token_hash = ?").bind(1, token_hash(token)).run();
}

std::int64_t StationState::queue_job(const Job& j, std::int64_t now_ms) {
  std::lock_guard lock(mu_);
  auto s = db_->prepare(
      "INSERT INTO jobs (printer, lot, product, count, account, enterprise, state, created_ms) "
      "VALUES (?, ?, ?, ?, ?, ?, 'queued', ?) RETURNING id");
  s.bind(1, j.printer).bind(2, j.lot).bind(3, j.product).bind(4, static_cast<std::int64_t>(j.count));
  s.bind(5, j.account).bind(6, j.enterprise).bind(7, now_ms);
  s.step();
  return s.column_int(0);
}

std::optional<Job> StationState::start_next(const std::string& printer, std::int64_t now_ms) {
  std::lock_guard lock(mu_);
  auto s = db_->prepare(fmt::format(
      "UPDATE jobs SET state = 'sending', started_ms = ? WHERE id = (SELECT id FROM jobs WHERE printer = ? AND "
      "state = 'queued' ORDER BY id LIMIT 1) RETURNING {}",
      kJobColumns));
  s.bind(1, now_ms).bind(2, printer);
  if (!s.step()) return std::nullopt;
  Job j = read_job(s);
  while (s.step()) {
  }
  return j;
}

void StationState::finish_job(std::int64_t id, const std::string& state, std::optional<std::uint64_t> entry,
                              std::size_t confirmed, const std::string& message, std::int64_t now_ms) {
  std::lock_guard lock(mu_);
  auto s = db_->prepare(
      "UPDATE jobs SET state = ?, entry = ?, confirmed = ?, message = ?, finished_ms = ? WHERE id = ?");
  s.bind(1, state);
  if (entry) s.bind(2, static_cast<std::int64_t>(*entry));
  else s.bind_null(2);
  s.bind(3, static_cast<std::int64_t>(confirmed)).bind(4, message).bind(5, now_ms).bind(6, id).run();
}

void StationState::record_entry(std::int64_t id, std::uint64_t entry) {
  std::lock_guard lock(mu_);
  db_->prepare("UPDATE jobs SET entry = ? WHERE id = ?").bind(1, static_cast<std::int64_t>(entry)).bind(2, id).run();
}

bool StationState::cancel_job(std::int64_t id, const std::string& enterprise, std::int64_t now_ms) {
  std::lock_guard lock(mu_);
  db_->prepare("UPDATE jobs SET state = 'cancelled', finished_ms = ? WHERE id = ? AND enterprise = ? AND state = 'queued'")
      .bind(1, now_ms)
      .bind(2, id)
      .bind(3, enterprise)
      .run();
  return db_->changes() == 1;
}

std::optional<Job> StationState::job(std::int64_t id) {
  std::lock_guard lock(mu_);
  auto s = db_->prepare(fmt::format("SELECT {} FROM jobs WHERE id = ?", kJobColumns));
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  return read_job(s);
}

std::vector<Job> StationState::recent_jobs(const std::string& enterprise, std::size_t limit) {
  std::lock_guard lock(mu_);
  auto s = db_->prepare(fmt::format("SELECT {} FROM jobs WHERE enterprise = ? ORDER BY id DESC LIMIT ?", kJobColumns));
  s.bind(1, enterprise).bind(2, static_cast<std::int64_t>(limit));
  std::vector<Job> out;
  while (s.step()) out.push_back(read_job(s));
  return out;
}

std::vector<Job> StationState::find_jobs(const std::string& enterprise, const JobQuery& q, std::size_t limit) {
  std::lock_guard lock(mu_);
  auto s = db_->prepare(fmt::format(
      "SELECT {} FROM jobs WHERE enterprise = ?1 AND (?2 = '' OR lot = ?2) AND (?3 = '' OR account = ?3) "
      "AND (?4 IS NULL OR entry = ?4) AND (?6 <= 0 OR (created_ms >= ?5 AND created_ms < ?6)) ORDER BY id DESC LIMIT ?7",
      kJobColumns));
  s.bind(1, enterprise).bind(2, q.lot).bind(3, q.account);
  if (q.entry) s.bind(4, static_cast<std::int64_t>(*q.entry));
  s.bind(5, q.from_ms).bind(6, q.to_ms).bind(7, static_cast<std::int64_t>(limit));
  std::vector<Job> out;
  while (s.step()) out.push_back(read_job(s));
  return out;
}

std::size_t StationState::recover(std::int64_t now_ms) {
  std::lock_guard lock(mu_);
  db_->prepare(
         "UPDATE jobs SET state = 'failed', finished_ms = ?, message = '工作站在发送途中停止：已记录的标签中未确认的，"
         "请用 agtrace-labeler jobs --unfinished 查看后重印或作废 / the station stopped while sending this job: its "
         "unconfirmed labels are listed by agtrace-labeler jobs --unfinished (reprint or void them)' "
         "WHERE state = 'sending'")
      .bind(1, now_ms)
      .run();
  return static_cast<std::size_t>(db_->changes());
}

}  // namespace agtrace::station
