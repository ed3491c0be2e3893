// The hostile-HTTP suite through the shipped nginx config (DESIGN §5: "memory safety
// against hostile peers comes from nginx in front ... and tests the hostile-HTTP suite
// through it"). The test starts Debian's nginx itself, on a free loopback port, with
// deploy/nginx/agtrace-verifier.conf (its listen and upstream ports rewritten) inside a
// minimal nginx.conf under a temporary prefix. Nothing is skipped: without nginx the test
// fails and says how to install it.
#include <doctest/doctest.h>
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include "tests/verifier/fixture.h"

using namespace agtrace;
using namespace agtrace::test;
using Clock = std::chrono::steady_clock;


TEST_CASE("through nginx: a normal scan works and the verifier sees the client's address") {
  TempDir dir("verifier-nginx-ok");
  auto l = build_lucheng_ledger(dir.path, 3);
  VerifierProcess verifier(l, dir.path / "scans.db", {"--trusted-proxy", "127.0.0.1", "--rate-limit", "100/s"});
  Nginx nginx(dir.path / "nginx", verifier.port());
  auto page = http_request(nginx.port(), "/t/" + l.codes[0]);
  CHECK(page.status == 200);
  CHECK(page.body.find("潞城大葱") != std::string::npos);
  CHECK(page.header("content-security-policy").find("default-src 'none'") != std::string::npos);
  RequestOptions post;
  post.method = "POST";
  post.headers["Content-Length"] = "0";
  CHECK(http_request(nginx.port(), "/t/" + l.codes[0], post).status == 405);
  CHECK(http_request(nginx.port(), fmt::format("/01/{}/10/LC22-K-0001/21/{}", kGtin, l.codes[0])).status == 200);
}

TEST_CASE("through nginx: the scan cookie says Secure only when nginx served https; a client cannot claim it") {
  TempDir dir("verifier-nginx-cookie");
  auto l = build_lucheng_ledger(dir.path, 3);
  VerifierProcess verifier(l, dir.path / "scans.db", {"--trusted-proxy", "127.0.0.1"});
  Nginx nginx(dir.path / "nginx", verifier.port());
  // This nginx listens on plain http: its X-Forwarded-Proto replaces the client's.
  RequestOptions liar;
  liar.headers["X-Forwarded-Proto"] = "https";
  auto page = http_request(nginx.port(), "/t/" + l.codes[1], liar);
  REQUIRE(page.status == 200);
  CHECK(page.header("set-cookie").find("agtrace_client=") == 0);
  CHECK(page.header("set-cookie").find("Secure") == std::string::npos);
}

TEST_CASE("through nginx: a 100 MB POST and a 100 MB request line are refused without the verifier growing") {
  TempDir dir("verifier-nginx-huge");
  auto l = build_lucheng_ledger(dir.path, 3);
  VerifierProcess verifier(l, dir.path / "scans.db", {"--trusted-proxy", "127.0.0.1"});
  Nginx nginx(dir.path / "nginx", verifier.port());
  // Warm up the verifier (page rendering, ledger pages cached), then measure.
  for (int i = 0; i < 20; ++i) REQUIRE(http_request(nginx.port(), "/t/" + l.codes[0]).status == 200);
  long rss_before = verifier.rss_kib();
  REQUIRE(rss_before > 0);
  const std::size_t k100MB = 100u << 20;

  auto post = send_huge(nginx.port(),
                        fmt::format("POST /t/{} HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n\r\n", l.codes[0], k100MB),
                        k100MB, 'x');
  INFO("POST response: " << post.substr(0, 200));
  CHECK((post.rfind("HTTP/1.1 405", 0) == 0 || post.rfind("HTTP/1.1 413", 0) == 0 || post.empty()));

  auto get_body = send_huge(nginx.port(),
                            fmt::format("GET /t/{} HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n\r\n", l.codes[0], k100MB),
                            k100MB, 'x');
  CHECK((get_body.rfind("HTTP/1.1 413", 0) == 0 || get_body.empty()));

  auto line = send_huge(nginx.port(), "GET /t/", k100MB, 'A');
  INFO("long line response: " << line.substr(0, 200));
  CHECK((line.rfind("HTTP/1.1 414", 0) == 0 || line.rfind("HTTP/1.1 400", 0) == 0 || line.empty()));

  long rss_after = verifier.rss_kib();
  MESSAGE("verifier RSS before " << rss_before << " KiB, after " << rss_after << " KiB");
  CHECK(rss_after - rss_before < 4096);
  // Still serving.
  CHECK(http_request(nginx.port(), "/t/" + l.codes[0]).status == 200);
}

TEST_CASE("through nginx: eight clients that send half a request and stall do not delay a normal scan") {
  TempDir dir("verifier-nginx-stall");
  auto l = build_lucheng_ledger(dir.path, 3);
  VerifierProcess verifier(l, dir.path / "scans.db", {"--trusted-proxy", "127.0.0.1", "--threads", "4"});
  Nginx nginx(dir.path / "nginx", verifier.port());
  std::vector<int> stalled;
  for (int i = 0; i < 8; ++i) {
    int fd = connect_to(nginx.port());
    std::string half = fmt::format("GET /t/{} HTTP/1.1\r\nHost: x\r\nUser-Agent: slow", l.codes[1]);
    send(fd, half.data(), half.size(), MSG_NOSIGNAL);
    stalled.push_back(fd);
  }
  auto start = Clock::now();
  auto page = http_request(nginx.port(), "/t/" + l.codes[0]);
  double secs = std::chrono::duration<double>(Clock::now() - start).count();
  CHECK(page.status == 200);
  MESSAGE("normal scan beside 8 stalled clients: " << secs << " s");
  CHECK(secs < 2.0);
  // nginx drops the stalled clients after client_header_timeout (5 s in the shipped config).
  auto limit = Clock::now() + std::chrono::seconds(15);
  for (int fd : stalled) {
    pollfd p{fd, POLLIN, 0};
    int ms = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(limit - Clock::now()).count());
    CHECK(poll(&p, 1, std::max(ms, 0)) == 1);
    char buf[512];
    ssize_t n = recv(fd, buf, sizeof buf, 0);  // EOF or reset (reset_timedout_connection), not a hang
    CHECK((n <= 0 || std::string(buf, static_cast<std::size_t>(n)).find(" 408 ") != std::string::npos));
    close(fd);
  }
  // The same eight stalled clients straight at the verifier (4 workers): its read timeout
  // frees the workers; a normal scan still completes within that timeout.
  for (int i = 0; i < 8; ++i) {
    int fd = connect_to(verifier.port());
    send(fd, "GET /t/", 7, MSG_NOSIGNAL);
    stalled[static_cast<std::size_t>(i)] = fd;
  }
  start = Clock::now();
  RequestOptions direct;
  direct.timeout_ms = 20000;
  CHECK(http_request(verifier.port(), "/t/" + l.codes[0], direct).status == 200);
  secs = std::chrono::duration<double>(Clock::now() - start).count();
  MESSAGE("direct scan beside 8 stalled clients and 4 workers: " << secs << " s");
  CHECK(secs < 12.0);
  for (int fd : stalled) close(fd);
}
