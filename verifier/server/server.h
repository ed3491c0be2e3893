// agtrace-verifier's HTTP service on cpp-httplib 0.11.4 (Debian 12), and the traps of
// that version it works around (DESIGN §5):
//   - TCP_NODELAY is set on the listening socket (accepted sockets inherit it on Linux);
//   - the compiled-in listen backlog of 5 is raised: set_socket_options captures the
//     listening socket, and listen(fd, backlog) is called again after bind_to_port,
//     before listen_after_bind;
//   - the thread pool's size is set at run time through new_task_queue (the
//     CPPHTTPLIB_THREAD_POOL_COUNT macro is compiled into the library already). Each
//     keep-alive connection holds a worker while it is open, so the pool is sized for
//     the connections expected, not the cores;
//   - one pre-routing handler answers every request from the RAW target (no regex
//     routes, no /:param, which this version lacks): anything but GET/HEAD gets 405
//     before a body is read, targets past kMaxTargetBytes get 414;
//   - the payload cap is set, but this version buffers a whole request line, header
//     block or unread body before any limit applies and ignores a handler's
//     "Connection: close": production runs behind the shipped nginx config, which bounds
//     those (docs/security.md).
// Trust (DESIGN §5, docs/security.md): requests are answered only from the verifier's own
// state (verifier/state/verified_state.h), replayed and checked from the ledger file under
// the pinned log keys; the ledger file itself is opened read-only and only by that replay.
// No private key is ever opened.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ledger/note/verifier_key.h"

namespace agtrace::verifier {

struct ServerConfig {
  std::string ledger_path;
  std::string scans_path;                    // also names SCANS.verified and SCANS.trust
  std::vector<note::VerifierKey> log_keys;   // pinned log keys (--log-pubkey); required
  int recheck_interval_s = 300;              // full re-comparison of verified entries
  std::string host = "127.0.0.1";
  int port = 8080;                           // 0: any free port (printed on start)
  double rate_limit = 0;                     // requests/s per client; 0 = off
  double rate_burst = 0;                     // 0: same as rate_limit
  std::vector<std::string> trusted_proxies;  // forwarded headers honoured only from these
  int threads = 64;                          // worker threads (= concurrent connections)
  int ledger_connections = 4;                // read-only connections on the verified state
  std::uint64_t warn_after = 5;              // distinct clients before the "may be copied" warning
  int read_timeout_s = 5;
  int write_timeout_s = 5;
  int keep_alive_timeout_s = 5;
  int keep_alive_max = 1000;                 // requests per connection
  int listen_backlog = 1024;
  bool access_log = false;
};

// Opens the scans and trust files, binds, prints "开始服务 http://HOST:PORT / listening on http://HOST:PORT" on
// standard output, starts the replay of the ledger into the verifier's state (requests
// that need it get 503 with Retry-After until it is verified), and serves until SIGTERM
// or SIGINT; then stops accepting, lets the
// requests in progress finish, commits pending scan counts and returns 0. Throws
// agtrace::Error for a ledger or scans file that cannot be opened (exit 2 or 3), and
// Error(environment) when the address cannot be bound.
int serve(const ServerConfig& config);

}  // namespace agtrace::verifier
