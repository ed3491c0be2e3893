// The station's own state (docs/station.md "The state file"): accounts, sessions and the
// print queue, in one SQLite file of its own (--state station.db), never in the ledger.
// Operational, not evidence: the ledger holds every label job that started sending; this
// file holds who may sign in and what waits to be sent.
//
// Accounts are pseudonyms (op-07), never names: the id goes into signed ledger entries that
// cannot be forgotten. A PIN is kept as a PBKDF2 hash (pin.h); 5 wrong PINs in a row lock
// the account's sign-in for a while (LockoutPolicy: 15 minutes, doubling on each lockout in a
// row) — a lockout anyone on the LAN can cause must end by itself — or until a supervisor of
// its enterprise unlocks it (the 账号 screen) or the administrator runs `agtrace-station user
// unlock` or `user reset-pin`; who unlocked whom is kept in this file (table unlocks). Sessions are kept by the SHA-256 of
// their cookie token (a stolen state file gives no usable cookie), with a CSRF token each,
// and end after an idle timeout.
//
// Jobs: queued → sending → printed | failed, or queued → cancelled. A job left `sending` by a
// stop or a crash is marked failed at the next start (recover()); its unconfirmed labels are
// in the print journal (`agtrace-labeler jobs --unfinished`).
//
// Thread-safe: one connection behind a mutex; PBKDF2 runs outside it.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace agtrace::sql {
class Database;
}

namespace agtrace::station {

struct Account {
  std::string id;          // pseudonym, e.g. op-07
  std::string role;        // operator, supervisor or clerk
  std::string enterprise;  // party id of the enterprise whose station key the account prints with
  bool disabled = false;
  bool locked = false;     // sign-in locked at the time asked (locked_until_ms is later)
  int failed = 0;          // wrong PINs in a row
  std::int64_t locked_until_ms = 0;  // Unix ms; the lock ends then (0 or past: not locked)
  int lockouts = 0;        // lockouts in a row (cleared by a right PIN or an unlock)
  bool approvals_locked = false;  // its supervisor approvals are locked (ApprovalResult below)
};

inline constexpr int kMaxWrongPins = 5;

// How long the 5th wrong PIN locks an account's sign-in: `first_ms`, doubled for each further
// lockout in a row (a right PIN or an unlock ends the row), never more than `max_ms`.
struct LockoutPolicy {
  std::int64_t first_ms = 15 * 60 * 1000;
  std::int64_t max_ms = 24 * 60 * 60 * 1000;
  // The length of the `n`th lockout in a row (n ≥ 1).
  std::int64_t length_ms(int n) const;
};

// The wall clock in Unix ms (the default `now` of the methods below).
std::int64_t wall_clock_ms();

enum class SignInOutcome { ok, wrong, locked, disabled };

struct SignInResult {
  SignInOutcome outcome = SignInOutcome::wrong;
  Account account;        // when ok; when locked: the account (its role says who can unlock it)
  int tries_left = 0;     // when wrong: before the account locks
  std::int64_t locked_until_ms = 0;  // when locked: Unix ms the lock ends
};

// A supervisor's approval typed on someone else's screen (docs/station.md "主管批准的锁定").
// Wrong PINs count against the account whose session asked (the requester), never against
// the supervisor: an operator cannot lock a supervisor out. The requester's 5th wrong
// supervisor PIN in a row locks that requester's approvals (not their sign-in) until
// a supervisor's unlock or `user unlock` / `user reset-pin` of the requester; a right one
// clears the count. A disabled supervisor approves nothing; a supervisor whose sign-in is
// locked still approves: anyone on the LAN can lock a sign-in with five wrong PINs, so a
// sign-in lock must not stop the enterprise's only supervisor from approving voids.
enum class ApprovalOutcome { ok, wrong, requester_locked, disabled };

struct ApprovalResult {
  ApprovalOutcome outcome = ApprovalOutcome::wrong;
  Account account;        // when ok: the approving account (its role and enterprise still to check)
  int tries_left = 0;     // when wrong: before the requester's approvals lock
};

struct Session {
  std::string token;      // the cookie's value (only known when created)
  std::string csrf;       // to be sent back in X-CSRF-Token on every state-changing request
  Account account;
};

// What the history screen searches by; empty / absent fields match every job.
struct JobQuery {
  std::string lot{};                    // exact lot id
  std::string account{};                // exact account id (op-07)
  std::optional<std::uint64_t> entry{}; // the job whose labels_issued entry this is (a serial's job)
  std::int64_t from_ms = 0, to_ms = 0;  // created in [from_ms, to_ms) when to_ms > 0 (Unix ms)
};

struct Job {
  std::int64_t id = 0;
  std::string printer, lot, product, account, enterprise;
  std::size_t count = 0;
  std::string state = "queued";  // queued, sending, printed, failed, cancelled
  std::int64_t created_ms = 0, started_ms = 0, finished_ms = 0;
  std::optional<std::uint64_t> entry;  // the labels_issued entry
  std::size_t confirmed = 0;
  std::string message;            // why it failed, Chinese first
};

class StationState {
 public:
  // Opens the state file at `path`, creating it (and its tables) when missing; its folder
  // must exist. Throws Error(environment) when it cannot be opened, Error(bad_input) when
  // it is not a station state file.
  explicit StationState(const std::string& path);
  ~StationState();

  // Accounts. Throw Error(bad_input), Chinese first, naming --id, --role, --enterprise or
  // the PIN: an id that is not a pseudonym (lower-case letters and digits joined by '-',
  // 2–32 characters), a role other than operator/supervisor/clerk, an id that exists
  // (add) or does not (disable, reset_pin).
  void add_account(const std::string& id, const std::string& role, const std::string& enterprise,
                   const std::string& pin);
  void disable_account(const std::string& id);
  // Lets a disabled account sign in again with its PIN (a no-op on an enabled one).
  void enable_account(const std::string& id);
  // A new PIN; unlocks the account and clears its wrong tries, those of its sign-in and
  // those of the supervisor approvals it asked for (it stays disabled if it was).
  void reset_pin(const std::string& id, const std::string& pin);
  // The account as of `now_ms` (whether its lock still holds), nullopt when unknown.
  std::optional<Account> account(const std::string& id, std::int64_t now_ms = wall_clock_ms());
  // The accounts of `enterprise` as of `now_ms`, by id.
  std::vector<Account> accounts(const std::string& enterprise, std::int64_t now_ms = wall_clock_ms());
  // Unlocks account `id`'s sign-in and its supervisor approvals and clears their wrong tries
  // (a disabled account stays disabled); with a `new_pin` (checked first) it also gets that
  // PIN and its sessions end. `by` (the supervisor's account, or "user unlock" for the
  // command line), the time and whether the PIN was reset are recorded in table unlocks.
  // Throws Error(bad_input) for a malformed PIN, or naming --id when there is no such account.
  void unlock(const std::string& id, const std::string& by, std::int64_t now_ms = wall_clock_ms(),
              const std::string& new_pin = "");
  // Who unlocked `id` last and when (Unix ms); nullopt when never.
  std::optional<std::pair<std::string, std::int64_t>> last_unlock(const std::string& id);

  // Checks `pin` for account `id` at `now_ms`. An unknown id costs the same PBKDF2 time and
  // answers `wrong`. The 5th wrong PIN in a row locks the account's sign-in until
  // `policy`'s length later; a right one clears the count and the row of lockouts. A
  // lock that has run out ends by itself at the next try.
  SignInResult sign_in(const std::string& id, const std::string& pin, std::int64_t now_ms = wall_clock_ms(),
                       const LockoutPolicy& policy = {});
  // Checks approver `id`'s `pin` typed on `requester`'s screen (ApprovalResult above). An
  // unknown id costs the same PBKDF2 time and answers `wrong`. The supervisor's own sign-in
  // count and lock are read (as of `now_ms`), never changed.
  ApprovalResult approve(const std::string& requester, const std::string& id, const std::string& pin,
                         std::int64_t now_ms = wall_clock_ms());

  // Sessions (times in Unix ms).
  Session create_session(const Account& account, std::int64_t now_ms);
  // The session of cookie `token` if it exists, its account is still usable and it was
  // used within `idle_ms`; touches it (its idle time starts again at `now_ms`) when `touch` (a
  // user's action, not a screen's poll). An idle one is deleted.
  std::optional<Session> session(const std::string& token, std::int64_t now_ms, std::int64_t idle_ms, bool touch);
  void end_session(const std::string& token);

  // Jobs.
  std::int64_t queue_job(const Job& job, std::int64_t now_ms);
  // The oldest queued job of `printer`, now marked sending; nullopt when none.
  std::optional<Job> start_next(const std::string& printer, std::int64_t now_ms);
  void finish_job(std::int64_t id, const std::string& state, std::optional<std::uint64_t> entry,
                  std::size_t confirmed, const std::string& message, std::int64_t now_ms);
  // Keeps the labels_issued entry of a job still sending, as soon as it is recorded: a job cut
  // short by a crash is then shown after restart with its uncertain labels (/api/uncertain).
  void record_entry(std::int64_t id, std::uint64_t entry);
  // Cancels a queued job of `enterprise`; false when it is not queued (any more) or not theirs.
  bool cancel_job(std::int64_t id, const std::string& enterprise, std::int64_t now_ms);
  std::optional<Job> job(std::int64_t id);
  // The latest `limit` jobs of `enterprise`, newest first.
  std::vector<Job> recent_jobs(const std::string& enterprise, std::size_t limit);
  // The jobs of `enterprise` that match `q`, newest first, at most `limit`.
  std::vector<Job> find_jobs(const std::string& enterprise, const JobQuery& q, std::size_t limit);
  // Marks jobs left `sending` (a stop or crash) failed; returns how many.
  std::size_t recover(std::int64_t now_ms);

 private:
  std::mutex mu_;
  std::unique_ptr<sql::Database> db_;
};

// Throw Error(bad_input), Chinese first, unless `id` is an account pseudonym / `role` is
// operator, supervisor or clerk (see above): the CLI checks both before it opens the file.
void check_account_id(const std::string& id);
void check_role(const std::string& role);

}  // namespace agtrace::station
