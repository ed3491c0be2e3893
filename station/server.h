// agtrace-station's HTTP service (docs/station.md, docs/security.md "The printer station"):
// the embedded touch UI and its JSON API, on cpp-httplib 0.11.4 with the traps of that
// version handled as in the verifier (DESIGN §5: TCP_NODELAY, the listen backlog raised
// after bind, the thread pool sized at run time, exact-path routes only).
//
// Every request: GET, HEAD or POST only (else 405). Every POST: Content-Type
// application/json and a body of at most kMaxBodyBytes — the clerk's upload: text/csv and at
// most kMaxUploadBytes — (else 415 / 413 with a message saying so), refused before its body
// is read; every POST but the sign-in needs a live
// session (cookie `agtrace_station`, HttpOnly, SameSite=Strict, Secure unless station.json
// says secure_cookies false) and that session's CSRF token in the X-CSRF-Token header
// (else 401 / 403). Responses carry a strict Content-Security-Policy (scripts and styles
// only from the station itself: no inline code), X-Frame-Options DENY and nosniff; the UI
// writes every value with textContent, never as HTML.
//
// Routes (JSON unless noted; errors are {"error": "中文 / English"}):
//   GET  /  /app.js  /app.css         the UI (embedded, assets.h)
//   POST /api/signin {user, pin}       → {user, role, enterprise, csrf}; sets the cookie
//   POST /api/signout
//   GET  /api/me                       → the session's account and csrf, and the ledger's state
//                                        ({status: verified|verifying|failed, message}), or 401
//   GET  /api/products                 → the enterprise's approved products
//   GET  /api/lots?product=P           → its packed lots: packed units, live codes
//   GET  /api/lot?q=TEXT               → a typed lot id or a scanned label URL resolved, with
//                                        the 承诺达标合格证 of it and its source lots and their status
//   GET  /api/preview.png?lot=L        → the label as the labeler renders it (sample code)
//   GET  /api/printers                 → live status of every printer
//   GET  /api/jobs                     → the enterprise's latest jobs
//   POST /api/jobs {lot, count, printer, confirmed}   → queues a job (checked first)
//   POST /api/jobs/cancel {id}         → cancels a queued job
//   GET  /api/uncertain                → print journal jobs of the enterprise's lots with labels
//                                        still unconfirmed (failed midway or cut short by a crash),
//                                        with how many were confirmed and voided, and the station job
//   GET  /api/certificate.pdf?number=N → the enterprise's 承诺达标合格证 N as a PDF (its certificate
//                                        template in station.json; voided or invalidated refused)
//   GET  /api/job/codes?id=N           → a station job's codes: serial, voided, reprints
//   GET  /api/code?q=TEXT              → a typed or scanned code checked for reprint/void as
//                                        POST /api/reprint and /api/void check it: serial, lot,
//                                        product, or 400/404 saying why it cannot be used
//   GET  /api/history?lot=&serial=&operator=&date=YYYY-MM-DD   → the enterprise's matching jobs
//   GET  /api/shift?date=YYYY-MM-DD    → end of shift: per operator jobs, labels, reprints, voids,
//                                        certificates (signed ledger entries of that day, UTC+8),
//                                        and each lot labelled that day against its packed units
//   POST /api/reprint {codes | journal_job, reason, printer, supervisor?, supervisor_pin?}
//        → reprints live codes of the enterprise (labeler::reprint_labels, as `agtrace-labeler
//          reprint`); more than supervisor_reprint_above codes need the supervisor's PIN
//   POST /api/void {codes | journal_job, reason, supervisor, supervisor_pin}
//        → voids them (labeler::void_labels); always needs the supervisor's PIN
//   POST /api/lot-tag {lot, printer, copies?}
//        → prints the lot's tag (批次标签: its id as Code 128, labeler/lot_tag/lot_tag.h) on the
//          printer at once, 1–99 copies; not recorded in the ledger
//   GET  /api/cert/offer?q=LOT         → the lot's evidence and the bases it supports (certificates.h),
//                                        the certificate's size and the printers that hold labels of it
//   POST /api/cert/issue {lot, quantity, shipment?, bases}  → certificate_issued, station key, operator
//   POST /api/cert/print {number, printer}  → the certificate in the printer's language (ZPL/TSPL)
//   POST /api/cert/void {number, reason, supervisor, supervisor_pin}  → certificate_voided
//   POST /api/upload?name=F&step=check | &encoding=E[&continue_on_error=1]  (text/csv, at most
//        kMaxUploadBytes, clerk accounts only)  → the encoding and a preview | the import (upload.h);
//        harvests beyond kMaxHarvestKgPerMu are refused as `agtrace-ledger import` refuses them
//        (high_yield: how many) unless a supervisor of the enterprise confirms them with headers
//        X-Supervisor and X-Supervisor-PIN (checked as a void's approval; logged)
//   GET  /api/upload/types, /api/upload/template.csv?type=T  → the Excel header templates
//   GET  /api/accounts                 → (supervisors only) the enterprise's accounts: role,
//                                        sign-in lock and until when, approvals lock, disabled
//   POST /api/accounts/unlock {id, new_pin?}  → (supervisors only) unlocks an account of the
//        enterprise (sign-in and approvals), with a new PIN if given; recorded in the state file
// Sign-in: 5 wrong PINs lock the account for signin_lockout_minutes (doubling on each lockout
// in a row); the 403 says until when in Beijing time and that a supervisor can unlock it.
// Every route that shows ledger facts (products, lots, lot, preview, jobs' codes, history,
// shift, certificate, uncertain, the lot tag's facts) and every check before a print, reprint or void reads the
// verified replica (replica.h), never the ledger file; while the replica is not verified they
// answer 503 {"error": "账本文件未通过校验……请联系管理员 / …", "ledger": "failed"} (or
// "verifying", with Retry-After) and nothing prints: a queued job is failed with that message.
// A reprint or void answers once the replica holds its entry (at most 3 s).
// Reprint and void: `codes` are serials or label URLs as a scanner types them; the reason is
// required and recorded as the entry's reason, with the authorising supervisor named in it;
// the entry's `operator` is the signed-in account. The supervisor's PIN is checked with
// PBKDF2 (StationState::approve); a wrong one counts against the signed-in account's
// supervisor approvals, never toward the supervisor's own lockout; it must be a supervisor
// of the same enterprise. Refusals 400/403/409, Chinese first; nothing done.
// Another enterprise's lot, job or code answers exactly as an unknown one (404, the same
// words), so an operator learns nothing of other enterprises' work.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "ledger/note/verifier_key.h"
#include "station/config.h"
#include "verifier/state/verified_state.h"

namespace agtrace::station {

inline constexpr std::size_t kMaxBodyBytes = 16 * 1024;

struct ServeOptions {
  std::string ledger_path, state_path;
  // The log's public key(s) (--log-pubkey LOGKEY.pub, never read from the ledger): the trust
  // root of the verified replica every screen reads (replica.h). Required.
  std::vector<note::VerifierKey> log_pubkeys;
  int replica_poll_ms = 100;  // how often the replica polls the ledger file for new entries
  std::string host = "127.0.0.1";
  int port = 8090;           // 0: any free port
  int threads = 16;
  bool access_log = false;
  // The clock sign-in lockouts are timed by (Unix ms); empty: the wall clock. Tests inject one
  // to wait a lockout out.
  std::function<std::int64_t()> lockout_clock{};
  // The clock session idle timeouts are timed by (Unix ms); empty: the wall clock. Tests inject
  // one to let a session go idle.
  std::function<std::int64_t()> session_clock{};
};

// The running service. Opens the state file (marks jobs left sending as failed), starts the
// printer monitor and the print queue. Throws agtrace::Error when the ledger or the state
// file cannot be opened.
class StationServer {
 public:
  StationServer(StationConfig config, ServeOptions options);
  ~StationServer();
  StationServer(const StationServer&) = delete;
  StationServer& operator=(const StationServer&) = delete;

  // Binds HOST:PORT and returns the port (the free one chosen for port 0). Throws
  // Error(environment) when the address cannot be bound.
  int bind();
  // Serves until stop(); returns once the requests in progress ended.
  void listen();
  // The verified replica's state: replaying (at start-up), verified, or failed with the reason.
  verifier::StateHealth ledger_health() const;
  // Waits up to `timeout` for the replica's start-up replay to end: true if it did.
  bool wait_ledger(std::chrono::milliseconds timeout) const;
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Binds, prints "agtrace-station: listening on http://HOST:PORT", serves until SIGTERM or
// SIGINT, then stops taking jobs, lets the job being sent end, and returns 0.
int serve(StationConfig config, ServeOptions options);

}  // namespace agtrace::station
