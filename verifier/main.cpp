// agtrace-verifier: the HTTP service behind the QR code (DESIGN §5, §8). A thin
// dispatcher: argv → ServerConfig → serve() → exit status (0 ok, 2 bad usage or input,
// 3 environment; 70 an internal bug).
#include <CLI/CLI.hpp>
#include <iostream>

#include "ledger/util/error.h"
#include "verifier/server/rate_limit.h"
#include "verifier/server/server.h"

namespace {

// Splits "HOST:PORT" or "[V6]:PORT".
void parse_listen(const std::string& text, agtrace::verifier::ServerConfig& c) {
  std::size_t colon = text.rfind(':');
  std::string host = colon == std::string::npos ? "" : text.substr(0, colon);
  std::string port = colon == std::string::npos ? "" : text.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  bool digits = !port.empty() && port.size() <= 5 && port.find_first_not_of("0123456789") == std::string::npos;
  if (host.empty() || !digits || std::stoi(port) > 65535)
    agtrace::throw_bad_input("--listen \"" + text + "\": give HOST:PORT, e.g. 127.0.0.1:8080");
  c.host = host;
  c.port = std::stoi(port);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace agtrace::verifier;
  CLI::App app{"agtrace-verifier: answers QR-code scans and API lookups from a read-only agtrace ledger"};
  app.require_subcommand(1);
  ServerConfig c;
  std::string listen = "127.0.0.1:8080", rate = "0";
  auto* serve_cmd = app.add_subcommand("serve", "serve scan pages, the JSON API, proofs and metrics over HTTP");
  serve_cmd->add_option("--ledger", c.ledger_path, "ledger file (opened read-only)")->envname("AGTRACE_LEDGER")->required();
  serve_cmd->add_option("--scans", c.scans_path, "scan-count database (SQLite; created if missing; never the ledger)")
      ->required();
  serve_cmd->add_option("--listen", listen, "HOST:PORT to listen on (port 0: any free port)")->capture_default_str();
  serve_cmd->add_option("--rate-limit", rate, "requests per second per client, e.g. 20/s (0 = off)")->capture_default_str();
  serve_cmd->add_option("--rate-burst", c.rate_burst, "burst size of the rate limit (default: one second's worth)");
  serve_cmd->add_option("--trusted-proxy", c.trusted_proxies,
                        "address of a reverse proxy whose X-Forwarded-For / X-Real-IP is believed (repeatable)");
  serve_cmd->add_option("--threads", c.threads, "worker threads: the number of connections served at once")
      ->check(CLI::Range(1, 4096))->capture_default_str();
  serve_cmd->add_option("--ledger-connections", c.ledger_connections, "read-only ledger connections")
      ->check(CLI::Range(1, 256))->capture_default_str();
  serve_cmd
      ->add_option("--warn-after", c.warn_after,
                   "distinct clients (phones) after which the page warns that the code may be copied")
      ->capture_default_str();
  serve_cmd->add_option("--read-timeout", c.read_timeout_s, "seconds")->check(CLI::Range(1, 300))->capture_default_str();
  serve_cmd->add_option("--write-timeout", c.write_timeout_s, "seconds")->check(CLI::Range(1, 300))->capture_default_str();
  serve_cmd->add_option("--keep-alive-timeout", c.keep_alive_timeout_s, "seconds")
      ->check(CLI::Range(1, 300))->capture_default_str();
  serve_cmd->add_option("--keep-alive-max", c.keep_alive_max, "requests per connection")
      ->check(CLI::Range(1, 1000000))->capture_default_str();
  serve_cmd->add_option("--backlog", c.listen_backlog, "listen backlog")->check(CLI::Range(1, 65535))->capture_default_str();
  serve_cmd->add_flag("--access-log", c.access_log, "log each request to standard error");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  try {
    parse_listen(listen, c);
    c.rate_limit = parse_rate(rate);
    return serve(c);
  } catch (const agtrace::Error& e) {
    std::cerr << "agtrace-verifier: " << e.what() << "\n";
    return e.exit_status();
  } catch (const std::exception& e) {
    std::cerr << "agtrace-verifier: internal error: " << e.what() << "\n";
    return 70;
  }
}
