// Test fixtures for the verifier: a small Lucheng scallion ledger built through the Ledger
// API, the agtrace-verifier process on a free loopback port, and a raw HTTP/1.1 client
// that can bind to a chosen 127.0.0.x address and send hostile bytes.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ledger/ledger.h"
#include "ledger/note/ed25519_key.h"

namespace agtrace::test {

// A fresh directory under the build tree, removed on destruction.
struct TempDir {
  explicit TempDir(const std::string& name);
  ~TempDir();
  std::filesystem::path path;
};

inline constexpr const char* kGtin = "06901234567892";
inline constexpr const char* kXssName = "<script>alert(1)</script>";

// A ledger of one season: master data, planting, fertiliser and pesticide, harvest,
// inspection, grading, pre-cooling, packing into lot LC22-K-0001 (also "LC/22-K-9" with a
// '/' in its name, "张家河 第1批" outside GS1's set, EVIL-K whose producer is named
// kXssName, and LC22-K-0005 merged from two harvests of two plots), shipping, receiving;
// a 承诺达标合格证 for each packed lot (LC22-K-0001's is LC-2022-0001, 委托检测合格 on the
// laboratory's report JC2022-10-0815); label jobs issuing codes for each packed lot, one
// code voided; a signed checkpoint covering everything.
struct LuchengLedger {
  std::filesystem::path ledger_path, log_key_path, clerk_key_path;
  std::vector<std::string> codes;        // genuine codes of LC22-K-0001
  std::string slash_code;                // a code of lot "LC/22-K-9"
  std::string chinese_code;              // a code of lot "张家河 第1批"
  std::string xss_code;                  // a code of lot EVIL-K
  std::string mixed_code;                // a code of lot LC22-K-0005, packed from two harvests of two
                                         // plots in two villages (熬脑村 2022-10-03, 张家河村 2022-10-05)
  std::string voided_code;               // a voided code of LC22-K-0001
  std::string chinese_lot_gs1;           // the derived GS1 lot code of "张家河 第1批"
  std::string recalled_code;             // a code of lot LC22-K-R1 (after add_recalled_lot)
  std::filesystem::path log_pub_path() const { return log_key_path.string() + ".pub"; }
};

LuchengLedger build_lucheng_ledger(const std::filesystem::path& dir, int codes = 20);

// Adds a second harvest of the season (lot LC22-AN01-H2), packed into LC22-K-R1 with its
// codes, and a recall of the harvest lot with descendants:true, so that the packed lot is
// recalled only through its lineage; signs a checkpoint. Sets l.recalled_code.
void add_recalled_lot(LuchengLedger& l);

// Appends events (JSON lines text) signed by the clerk key; optionally signs a checkpoint.
void append_events(const LuchengLedger& l, const std::string& jsonl, bool checkpoint);

// A random 13-character serial.
std::string random_serial();

// agtrace-verifier serve, started on 127.0.0.1 port 0 with the ledger's log key pinned
// (--log-pubkey LOGKEY.pub); stopped (SIGTERM) on destruction. Unless `wait_verified` is
// false, the constructor waits (at most 60 s) until /healthz says the start-up replay is
// done, and throws if it never is.
class VerifierProcess {
 public:
  VerifierProcess(const LuchengLedger& l, const std::filesystem::path& scans,
                  std::vector<std::string> extra_args = {}, bool wait_verified = true);
  // Polls /healthz until its status is `status` (at most `timeout_ms`); returns whether it was.
  bool wait_health(int status, int timeout_ms = 20000) const;
  // Waits (at most `timeout_ms`) until the verifier has replayed every entry and checkpoint
  // of `l`'s ledger file (its follower polls the file); returns whether it did.
  bool wait_synced(const LuchengLedger& l, int timeout_ms = 20000) const;
  ~VerifierProcess();
  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  // Sends SIGTERM and waits (at most 15 s); returns the exit status (-1 on timeout).
  int stop();
  // Resident set size in KiB, from /proc.
  long rss_kib() const;

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  int out_fd_ = -1;
};

struct HttpResponse {
  int status = 0;  // 0: no response (connection closed or timed out)
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::string header(const std::string& name) const;
};

struct RequestOptions {
  std::string method = "GET";
  std::map<std::string, std::string> headers;
  std::string bind_addr = "127.0.0.1";  // client source address
  int timeout_ms = 10000;
};

// One request on a new connection ("Connection: close"), response read to the end.
HttpResponse http_request(int port, const std::string& target, const RequestOptions& options = {});

// A connected TCP socket from `bind_addr` to 127.0.0.1:port (caller closes it).
int connect_to(int port, const std::string& bind_addr = "127.0.0.1");

// The first run of decimal digits after `prefix` in `text`, or -1.
long number_after(const std::string& text, const std::string& prefix);

// A loopback TCP port that was free a moment ago.
int free_port();

// Debian's nginx (/usr/sbin/nginx) with the shipped site config
// deploy/nginx/agtrace-verifier.conf — its listen and upstream ports rewritten — inside a
// minimal nginx.conf under `prefix`, in front of a verifier on 127.0.0.1:`upstream_port`.
// Throws std::runtime_error (saying how to install nginx, or quoting its error log) when
// it cannot start; SIGTERM on destruction.
class Nginx {
 public:
  Nginx(const std::filesystem::path& prefix, int upstream_port);
  ~Nginx();
  Nginx(const Nginx&) = delete;
  Nginx& operator=(const Nginx&) = delete;
  int port() const { return port_; }

 private:
  std::filesystem::path prefix_;
  pid_t pid_ = -1;
  int port_ = 0;
};

// Sends up to `total` bytes (the head, then `filler`) until the peer stops taking them;
// returns the response read afterwards ("" if the connection was just closed).
std::string send_huge(int port, const std::string& head, std::size_t total, char filler);

// The scan counts in a scans file (verifier/scans/scan_store.h) by serial; read after the
// verifier stopped (SIGTERM commits its last batch).
std::map<std::string, long> scan_counts(const std::filesystem::path& scans);

}  // namespace agtrace::test
