// The hostile-HTTP suite (issue 7, "Hostile HTTP"): the same hostile requests straight at
// agtrace-verifier and through the shipped nginx config (deploy/nginx/agtrace-verifier.conf,
// DESIGN §5): path traversal, encoded traversal, NUL bytes, overlong targets and headers,
// many headers, slow clients holding connections, a flood from one client, malformed
// Digital Links, SQL metacharacters in every parameter. Afterwards the verifier still
// answers a normal scan, and the scans file holds exactly the scans it served: no count
// lost, none invented.
//
// "A genuine counted scan" (DESIGN §5 "Scans"): a GET (not HEAD) of a scan route that was
// answered 200 with the HTML scan page, by a client that is not a link-preview bot. The
// test tallies those as it makes them (including the ones among the flood that got
// through) and, once the verifier stopped with SIGTERM (which commits the last batch),
// compares the tally with the scans file serial by serial.
//
// Every hostile request comes from its own 127.0.x.y address, so the per-client rate
// limit (on in both set-ups, as in production) judges only the flood.
#include <doctest/doctest.h>
#include <fmt/format.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <set>
#include <thread>

#include "tests/verifier/fixture.h"

using namespace agtrace;
using namespace agtrace::test;
using Clock = std::chrono::steady_clock;

namespace {

struct World {
  TempDir dir{"verifier-hostile"};
  LuchengLedger ledger = build_lucheng_ledger(dir.path, 12);
};

World& world() {
  static World w;
  return w;
}

std::string dl(const std::string& lot_code, const std::string& serial) {
  return fmt::format("/01/{}/10/{}/21/{}", kGtin, lot_code, serial);
}

// Runs the suite against `port` (the verifier, or nginx in front of it) and keeps the
// tally of genuine counted scans.
class Suite {
 public:
  Suite(int port, bool via_nginx) : port_(port), nginx_(via_nginx) {}

  // A request from a fresh client address.
  HttpResponse send(const std::string& target, RequestOptions o = {}) {
    o.bind_addr = fresh_addr();
    auto r = http_request(port_, target, o);
    tally(target, o, r);
    return r;
  }

  // Raw bytes on a fresh connection from a fresh address; the status of the answer (0 if
  // the peer closed without one).
  int send_raw(const std::string& bytes) {
    int fd = connect_to(port_, fresh_addr());
    timeval tv{10, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    std::string raw;
    char buf[4096];
    for (;;) {
      ssize_t n = recv(fd, buf, sizeof buf, 0);
      if (n <= 0) break;
      raw.append(buf, static_cast<std::size_t>(n));
    }
    close(fd);
    return raw.rfind("HTTP/1.", 0) == 0 && raw.size() >= 12 ? std::stoi(raw.substr(9, 3)) : 0;
  }

  // Records a request that the verifier may have counted.
  void tally(const std::string& target, const RequestOptions& o, const HttpResponse& r) {
    if (o.method != "GET" || r.status != 200) return;
    if (r.header("content-type").rfind("text/html", 0) != 0) return;
    if (o.headers.count("User-Agent") || o.headers.count("Accept")) return;  // bots and JSON: never scans
    std::size_t at = target.rfind("/t/", 0) == 0 ? 3 : target.find("/21/");
    if (at == std::string::npos) return;
    if (at != 3) at += 4;
    ++counted_[target.substr(at, target.find_first_of("/?", at) - at)];
  }

  const std::map<std::string, long>& counted() const { return counted_; }
  int port() const { return port_; }
  bool via_nginx() const { return nginx_; }

  std::string fresh_addr() {
    ++next_;
    return fmt::format("127.0.{}.{}", 10 + next_ / 250, 1 + next_ % 250);
  }

 private:
  int port_;
  bool nginx_;
  int next_ = 0;
  std::map<std::string, long> counted_;
};

bool refused(int status) { return status == 400 || status == 404 || status == 414; }

void traversal(Suite& s, const LuchengLedger& l) {
  for (const std::string& target : std::vector<std::string>{
           "/../../../etc/passwd", "/t/../../etc/passwd", "/t/..", "/..", "/./t/" + l.codes[0] + "/../../etc/passwd",
        "/api/v1/lots/../../../etc/passwd", "/api/v1/codes/..", "/t/..%2F..%2Fetc%2Fpasswd",
        "/%2e%2e/%2e%2e/etc/passwd", "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd", "/api/v1/lots/..%2f..%2fetc%2fpasswd",
        "/api/v1/lots/%2E%2E", "/t/%252e%252e%252fetc%252fpasswd", "/t/%c0%ae%c0%ae/etc/passwd",
        "/t/..%5c..%5cetc%5cpasswd", "/t/..\\..\\etc\\passwd", "/etc/passwd", "/proc/self/environ",
        "/" + world().dir.path.string() + "/ledger.db", "/api/v1/lots/%2e%2e%2f%2e%2e%2fledger.db"}) {
    auto r = s.send(target);
    CAPTURE(target);
    CHECK(refused(r.status));
    CHECK(r.body.find("root:") == std::string::npos);
    CHECK(r.body.find("SQLite format") == std::string::npos);
    CHECK(r.body.find("PATH=") == std::string::npos);
  }
}

void nul_bytes(Suite& s, const LuchengLedger& l) {
  // Encoded NULs reach the router, which refuses them.
  for (const std::string& target : std::vector<std::string>{"/t/%00", "/t/" + l.codes[0] + "%00", "/api/v1/lots/LC22-K-0001%00.txt",
                             dl("LC22-K-0001%00", l.codes[0]), "/t/" + l.codes[0] + "?lang=%00en"}) {
    auto r = s.send(target);
    CAPTURE(target);
    CHECK(r.status == 400);
  }
  // Raw NULs in the request line or a header: 400 (the verifier checks every header field).
  using namespace std::string_literals;  // "\0"s keeps the NUL
  for (const std::string& raw : std::vector<std::string>{
           "GET /t/\0"s + l.codes[0] + " HTTP/1.1\r\nHost: x\r\n\r\n",
           "GET /t/"s + l.codes[0] + "\0 HTTP/1.1\r\nHost: x\r\n\r\n"s,
           "GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: a\0b\r\n\r\n"s}) {
    REQUIRE(raw.find('\0') != std::string::npos);
    CAPTURE(raw);
    int status = s.send_raw(raw);
    CHECK(status == 400);
  }
}

void overlong(Suite& s, const LuchengLedger& l) {
  // Targets: past the verifier's 2048 bytes (414), and past nginx's 4 KiB buffers.
  for (std::size_t n : {2100u, 3000u, 9000u, 64u * 1024u}) {
    auto r = s.send("/t/" + l.codes[0] + "?x=" + std::string(n, 'A'));
    CAPTURE(n);
    CHECK((r.status == 414 || (s.via_nginx() && r.status == 400)));
  }
  CHECK(s.send("/t/" + std::string(5000, '0')).status == 414);
  // One huge header, and many headers, on an uncounted route.
  RequestOptions big;
  big.headers["X-Big"] = std::string(16 * 1024, 'b');
  auto r = s.send("/healthz", big);
  if (s.via_nginx()) CHECK(r.status == 400);  // large_client_header_buffers 2 4k
  else CHECK((r.status == 200 || r.status == 400 || r.status == 431));
  RequestOptions many;
  for (int i = 0; i < 2000; ++i) many.headers[fmt::format("X-H-{}", i)] = "v";
  r = s.send("/healthz", many);
  if (s.via_nginx()) CHECK(r.status == 400);
  else CHECK((r.status == 200 || r.status == 400 || r.status == 431));
}

void malformed_digital_links(Suite& s, const LuchengLedger& l) {
  const std::string& c = l.codes[1];
  for (const std::string& target : std::vector<std::string>{
           "/01/", "/01//21/" + c, "/01/0690123456789/21/" + c, "/01/069012345678921/21/" + c,
        "/01/06901234567893/21/" + c /* check digit */, "/01/ABCDEFGHIJKLMN/21/" + c,
        fmt::format("/01/{}/21/", kGtin), fmt::format("/01/{}/10//21/{}", kGtin, c),
        fmt::format("/01/{}/21/{}/10/LC22-K-0001", kGtin, c) /* qualifiers out of order */,
        fmt::format("/01/{}/10/LC22-K-0001", kGtin), fmt::format("/01/{}/10/{}/21/{}", kGtin, std::string(21, 'L'), c),
        fmt::format("/01/{}/10/LC22-K-0001/21/{}/22/x/23/y", kGtin, c), fmt::format("/01/{}/10/%zz/21/{}", kGtin, c),
        fmt::format("/01/{}/10/%/21/{}", kGtin, c), fmt::format("/01/{}/10/%2/21/{}", kGtin, c),
        fmt::format("/01/{}/21/{}", kGtin, std::string(14, 'Z')), fmt::format("/01/{}/21/{}", kGtin, "UUUUUUUUUUUUU"),
        fmt::format("/01/{}/10/LC22-K-0001/21/{}%ff", kGtin, c), "/t/", "/t/" + c + "/extra", "/t/" + c + "/",
        "/01/" + std::string(kGtin) + "/21/" + c + "?linkType=all&" + std::string(100, '&')}) {
    auto r = s.send(target);
    CAPTURE(target);
    // A malformed link is refused; a well-formed one naming no code is 404. None is
    // served as a scan of c unless the link really is c's (the tally counts those).
    CHECK((refused(r.status) || r.status == 200));
  }
}

void sql_metacharacters(Suite& s, const LuchengLedger& l) {
  const std::vector<std::string> hostile = {
      "'", "\"", "' OR '1'='1", "1' OR 1=1--", "'; DROP TABLE scans;--", "\"; DELETE FROM entries;--",
      "%", "_", "*", "1;SELECT*FROM keys", "x' UNION SELECT serial,count,1,1 FROM scans--", "\\", "0x27",
      "'||(SELECT count(*) FROM scans)||'", "LC22-K-0001' --", "%25", "1 AND 1=1"};
  auto enc = [](const std::string& v) {
    std::string out;
    for (unsigned char ch : v) {
      if (std::isalnum(ch) || ch == '-' || ch == '.' || ch == '~') out.push_back(static_cast<char>(ch));
      else out += fmt::format("%{:02X}", ch);
    }
    return out;
  };
  const std::string& c = l.codes[2];
  for (const auto& v : hostile) {
    CAPTURE(v);
    std::string e = enc(v);
    // Every parameter of every route: GTIN, lot, serial, lot id, query values and names.
    for (std::string target :
         {"/01/" + e + "/21/" + c, dl(e, c), dl("LC22-K-0001", e), "/t/" + e, "/api/v1/codes/" + e,
          "/api/v1/lots/" + e, "/api/v1/proof/inclusion?index=" + e, "/api/v1/proof/consistency?old=" + e + "&new=2",
          "/api/v1/proof/consistency?old=1&new=" + e, "/t/" + c + "?lang=" + e, "/t/" + c + "?" + e + "=1",
          "/checkpoint?" + e}) {
      CAPTURE(target);
      auto r = s.send(target);
      CHECK((refused(r.status) || r.status == 200));
      CHECK(r.status != 500);
      CHECK(r.body.find("SQLITE") == std::string::npos);
      CHECK(r.body.find("syntax error") == std::string::npos);
    }
    // The lot lookup by id must not match by pattern: '%' and '_' are not wildcards.
    if (v == "%" || v == "_") CHECK(s.send("/api/v1/lots/" + e).status == 404);
    RequestOptions h;
    h.headers["Accept-Language"] = v;
    h.headers["Cookie"] = "id=" + e;
    h.headers["Referer"] = "https://x/" + e;
    CHECK(s.send("/t/" + c, h).status == 200);
  }
}

// Clients that send half a request and stall; returns their sockets.
std::vector<int> stall(Suite& s, int n) {
  std::vector<int> fds;
  for (int i = 0; i < n; ++i) {
    int fd = connect_to(s.port(), s.fresh_addr());
    std::string half = "GET /t/" + world().ledger.codes[3] + " HTTP/1.1\r\nHost: x\r\nUser-Agent: slo";
    ::send(fd, half.data(), half.size(), MSG_NOSIGNAL);
    fds.push_back(fd);
  }
  return fds;
}

// A flood of scans from one client: the rate limit answers 429 with Retry-After, lets no
// more through than the bucket allows, and another client is served meanwhile. The scans
// that got through count (the tally takes them).
void flood(Suite& s, const LuchengLedger& l, double rate, double burst) {
  const std::string code = l.codes[4];
  RequestOptions o;
  o.bind_addr = "127.0.9.9";
  int ok = 0, limited = 0;
  const auto start = Clock::now();
  for (int i = 0; i < 150; ++i) {
    auto r = http_request(s.port(), "/t/" + code, o);
    s.tally("/t/" + code, o, r);
    if (r.status == 200) ++ok;
    if (r.status == 429) {
      ++limited;
      if (!s.via_nginx()) CHECK(r.header("retry-after") == "1");
    }
  }
  const double secs = std::chrono::duration<double>(Clock::now() - start).count();
  MESSAGE(fmt::format("flood{}: {} served, {} answered 429 in {:.2f} s", s.via_nginx() ? " via nginx" : "", ok,
                      limited, secs));
  CHECK(ok + limited == 150);
  CHECK(limited >= 1);
  CHECK(ok <= burst + rate * secs + 2);
  CHECK(s.send("/t/" + l.codes[5]).status == 200);
}

// Runs everything, then a normal scan; stops the verifier and compares the scans file.
void run_suite(VerifierProcess& verifier, Suite& s, const std::filesystem::path& scans, double rate,
               double burst) {
  const auto& l = world().ledger;
  CHECK(s.send("/t/" + l.codes[0]).status == 200);
  auto stalled = stall(s, s.via_nginx() ? 40 : 8);
  traversal(s, l);
  nul_bytes(s, l);
  overlong(s, l);
  malformed_digital_links(s, l);
  sql_metacharacters(s, l);
  flood(s, l, rate, burst);
  // Still answering, beside the stalled clients.
  RequestOptions normal;
  normal.timeout_ms = 20000;
  auto page = s.send(dl("LC22-K-0001", l.codes[0]), normal);
  CHECK(page.status == 200);
  CHECK(page.body.find("潞城大葱") != std::string::npos);
  for (int fd : stalled) close(fd);
  // A HEAD, a JSON call and a link preview of a code are not scans.
  RequestOptions head, json, bot;
  head.method = "HEAD";
  json.headers["Accept"] = "application/json";
  bot.headers["User-Agent"] = "facebookexternalhit/1.1";
  CHECK(s.send("/t/" + l.codes[6], head).status == 200);
  CHECK(s.send("/t/" + l.codes[6], json).status == 200);
  CHECK(s.send("/t/" + l.codes[6], bot).status == 200);

  REQUIRE(verifier.stop() == 0);
  auto stored = scan_counts(scans);
  std::map<std::string, long> expected = s.counted();
  long total = 0;
  for (const auto& [serial, n] : expected) total += n;
  MESSAGE(fmt::format("{} genuine counted scans of {} codes", total, expected.size()));
  CHECK(stored == expected);
  CHECK(stored.count(l.codes[6]) == 0);
}

}  // namespace

TEST_CASE("hostile requests straight at the verifier: refused, still scanning, scan counts exact") {
  auto& w = world();
  auto scans = w.dir.path / "direct.scans";
  VerifierProcess verifier(w.ledger, scans, {"--rate-limit", "20/s", "--threads", "16"});
  Suite s(verifier.port(), false);
  run_suite(verifier, s, scans, 20, 20);
}

TEST_CASE("hostile requests through the shipped nginx config: refused, still scanning, scan counts exact") {
  auto& w = world();
  auto scans = w.dir.path / "nginx.scans";
  VerifierProcess verifier(w.ledger, scans,
                           {"--rate-limit", "20/s", "--rate-burst", "40", "--trusted-proxy", "127.0.0.1", "--threads", "8"});
  Nginx nginx(w.dir.path / "nginx", verifier.port());
  Suite s(nginx.port(), true);
  // nginx: 20 r/s, burst 40 (limit_req in the shipped config).
  run_suite(verifier, s, scans, 20, 40);
}
