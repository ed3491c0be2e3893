// agtrace-verifier: the HTTP service behind the QR code (DESIGN §5, §8). A thin
// dispatcher: argv → ServerConfig → serve() → exit status (0 ok, 2 bad usage or input,
// 3 environment; 70 an internal bug). `repin` records an operator's re-pin in the trust
// file (docs/security.md).
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <fstream>
#include <iostream>
#include <sstream>

#include "ledger/cli/help_format.h"
#include "ledger/cli/version.h"
#include "ledger/i18n/refusal.h"
#include "ledger/note/verifier_key.h"
#include "ledger/util/error.h"
#include "ledger/util/listen_address.h"
#include "verifier/state/trust_store.h"
#include "verifier/server/rate_limit.h"
#include "verifier/server/server.h"

namespace {

// Reads a pinned log key: a C2SP verifier-key line, as in the LOGKEY.pub file that
// `agtrace-ledger init` or `key gen` wrote.
agtrace::note::VerifierKey read_log_pubkey(const std::string& path) {
  using agtrace::i18n::Msg;
  std::ifstream in(path);
  if (!in) agtrace::i18n::refuse_zh_en("", Msg::verifier_pubkey_unreadable, path);
  std::ostringstream text;
  text << in.rdbuf();
  std::string line = text.str();
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r' || line.back() == ' ')) line.pop_back();
  try {
    return agtrace::note::parse_verifier_key(line);
  } catch (const agtrace::Error& e) {
    agtrace::i18n::refuse_zh_en("", Msg::verifier_pubkey_bad, path, std::string(e.what()));
  }
}

}  // namespace

int main(int argc, char** argv) {
  using namespace agtrace::verifier;
  CLI::App app{"agtrace-verifier: answers QR-code scans and API lookups from a read-only agtrace ledger"};
  // The frame of --help (用法、选项、子命令) in Chinese under a zh_* locale; before the subcommands.
  agtrace::cli::use_help_language(app, agtrace::cli::help_language(argc, argv, false));
  app.require_subcommand(1);
  app.set_version_flag("--version", agtrace::cli::version_text("agtrace-verifier"),
                       "print the version, revision and ledger formats");
  ServerConfig c;
  std::string listen = "127.0.0.1:8080", rate = "0";
  std::vector<std::string> pubkey_files;
  // The global --ledger, as in every agtrace program, before or after the verb (DESIGN §8):
  // `agtrace-verifier --ledger FILE serve …` and `agtrace-verifier serve --ledger FILE …`.
  app.fallthrough();
  const char* ledger_help = "ledger file (opened read-only and replayed into SCANS.verified, which requests read)";
  app.add_option("--ledger", c.ledger_path, ledger_help)->envname("AGTRACE_LEDGER");
  auto* serve_cmd = app.add_subcommand("serve", "serve scan pages, the JSON API, proofs and metrics over HTTP");
  serve_cmd->add_option("--ledger", c.ledger_path, std::string(ledger_help) + "; required, before or after `serve`")
      ->envname("AGTRACE_LEDGER");
  serve_cmd->add_option("--scans", c.scans_path, "scan-count database (SQLite; created if missing; never the ledger)")
      ->required();
  serve_cmd->add_option("--log-pubkey", pubkey_files,
                        "the log's public key, LOGKEY.pub (repeatable: pin a rotated log key's too); never read "
                        "from the ledger")
      ->required();
  serve_cmd->add_option("--recheck-interval", c.recheck_interval_s,
                        "seconds between full re-comparisons of the ledger's entries with the verified copies")
      ->check(CLI::Range(1, 86400))->capture_default_str();
  serve_cmd->add_option("--listen", listen, "HOST:PORT to listen on (port 0: any free port)")->capture_default_str();
  serve_cmd->add_option("--rate-limit", rate, "requests per second per client, e.g. 20/s (0 = off)")->capture_default_str();
  serve_cmd->add_option("--rate-burst", c.rate_burst, "burst size of the rate limit (default: one second's worth)");
  serve_cmd->add_option("--trusted-proxy", c.trusted_proxies,
                        "address of a reverse proxy whose X-Forwarded-For / X-Real-IP is believed (repeatable)");
  serve_cmd->add_option("--threads", c.threads, "worker threads: the number of connections served at once")
      ->check(CLI::Range(1, 4096))->capture_default_str();
  serve_cmd->add_option("--ledger-connections", c.ledger_connections,
                        "read-only connections on the verified state (SCANS.verified)")
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
  std::string repin_scans, repin_reason;
  std::uint64_t repin_size = 0;
  auto* repin_cmd = app.add_subcommand(
      "repin", "accept a ledger that is not consistent with the checkpoint this verifier remembers (a restored "
               "backup): recorded with its reason in SCANS.trust");
  repin_cmd->add_option("--scans", repin_scans, "the scans file the verifier serves with (its SCANS.trust is written)")
      ->required();
  repin_cmd->add_option("--size", repin_size, "the size of the ledger's checkpoint to accept")->required();
  repin_cmd->add_option("--reason", repin_reason, "why (kept in the re-pin log)")->required();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  try {
    if (*repin_cmd) {
      auto r = agtrace::verifier::TrustStore::record_repin(repin_scans + ".trust", repin_size, repin_reason);
      std::cout << fmt::format("re-pin {} recorded in {}.trust: a verifier refusing the ledger as rolled back or "
                               "forked accepts it if it holds a verified checkpoint of size {} (a running verifier "
                               "tries again within a second); a verifier that verifies the ledger without it lets "
                               "it expire\n",
                               r.id, repin_scans, r.size);
      return 0;
    }
    if (c.ledger_path.empty())
      agtrace::i18n::refuse_zh_en("", agtrace::i18n::Msg::verifier_no_ledger);
    for (const auto& f : pubkey_files) c.log_keys.push_back(read_log_pubkey(f));
    auto at = agtrace::parse_listen(listen, "127.0.0.1:8080");
    c.host = at.host;
    c.port = at.port;
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
