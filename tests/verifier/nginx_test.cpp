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

namespace {

int free_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  close(fd);
  return ntohs(a.sin_port);
}

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// nginx with the shipped site config, in front of the verifier at `upstream_port`.
class Nginx {
 public:
  Nginx(const std::filesystem::path& prefix, int upstream_port) : prefix_(prefix) {
    const char* binary = "/usr/sbin/nginx";
    REQUIRE_MESSAGE(access(binary, X_OK) == 0, "nginx is not installed: run scripts/install-deps.sh (Debian nginx)");
    std::string site = read_file(std::filesystem::path(AGTRACE_SOURCE_DIR) / "deploy/nginx/agtrace-verifier.conf");
    REQUIRE(site.find("listen 80;") != std::string::npos);
    REQUIRE(site.find("server 127.0.0.1:8080;") != std::string::npos);
    port_ = free_port();
    site = std::regex_replace(site, std::regex(R"(\n\s*listen \[::\]:80;)"), "");
    site = std::regex_replace(site, std::regex(R"(listen 80;)"), fmt::format("listen 127.0.0.1:{};", port_));
    site = std::regex_replace(site, std::regex(R"(server 127\.0\.0\.1:8080;)"),
                              fmt::format("server 127.0.0.1:{};", upstream_port));
    std::filesystem::create_directories(prefix_ / "tmp");
    std::string p = prefix_.string();
    std::ofstream(prefix_ / "nginx.conf") << fmt::format(
        "{}worker_processes 1;\ndaemon off;\npid {}/nginx.pid;\nerror_log {}/error.log info;\n"
        "events {{ worker_connections 256; }}\n"
        "http {{\n  access_log {}/access.log;\n  client_body_temp_path {}/tmp/body;\n"
        "  proxy_temp_path {}/tmp/proxy;\n  fastcgi_temp_path {}/tmp/fastcgi;\n  uwsgi_temp_path {}/tmp/uwsgi;\n"
        "  scgi_temp_path {}/tmp/scgi;\n  types {{ text/plain txt; }}\n{}\n"
        "  server {{ listen 127.0.0.1:{}; location / {{ root {}/static; }} }}\n}}\n",
        geteuid() == 0 ? "user root;\n" : "", p, p, p, p, p, p, p, p, site, static_port_ = free_port(), p);
    std::filesystem::create_directories(prefix_ / "static");
    pid_ = fork();
    if (pid_ == 0) {
      int devnull = open("/dev/null", O_WRONLY);
      dup2(devnull, 1);
      dup2(devnull, 2);
      execl(binary, binary, "-p", p.c_str(), "-c", (p + "/nginx.conf").c_str(), "-e", (p + "/error.log").c_str(),
            static_cast<char*>(nullptr));
      _exit(127);
    }
    for (int i = 0; i < 100; ++i) {
      try {
        close(connect_to(port_));
        return;
      } catch (...) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
    }
    FAIL("nginx did not start: " << read_file(prefix_ / "error.log"));
  }
  ~Nginx() {
    kill(pid_, SIGTERM);
    int status;
    waitpid(pid_, &status, 0);
  }
  int port() const { return port_; }

 private:
  std::filesystem::path prefix_;
  pid_t pid_ = -1;
  int port_ = 0, static_port_ = 0;
};

// Sends up to `total` bytes (the head, then filler) until the peer stops taking them;
// returns the response head read afterwards ("" if the connection was just closed).
std::string send_huge(int port, const std::string& head, std::size_t total, char filler) {
  int fd = connect_to(port);
  timeval tv{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  send(fd, head.data(), head.size(), MSG_NOSIGNAL);
  std::string chunk(1 << 16, filler);
  std::size_t sent = head.size();
  auto deadline = Clock::now() + std::chrono::seconds(30);
  while (sent < total && Clock::now() < deadline) {
    ssize_t n = send(fd, chunk.data(), std::min(chunk.size(), total - sent), MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<std::size_t>(n);
  }
  std::string response;
  char buf[4096];
  for (;;) {
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    response.append(buf, static_cast<std::size_t>(n));
    if (response.size() > 65536) break;
  }
  close(fd);
  return response;
}

}  // namespace

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
