// agtrace-station: the printer station's touch-screen web app (docs/station.md, DESIGN §8).
// A thin dispatcher: argv → station library → exit status (0 ok, 2 bad usage or input, 3
// environment: address in use, database busy; 70 an internal bug).
//
//   agtrace-station serve --ledger FILE --log-pubkey LOG.pub --config station.json --state station.db --listen HOST:PORT
//   agtrace-station user add --state station.db --id op-07 --role operator --enterprise PARTY [--config station.json]
//   agtrace-station user disable --state station.db --id op-07
//   agtrace-station user reset-pin --state station.db --id op-07
//   agtrace-station user unlock --state station.db --id op-07
// A PIN is read from standard input (one line), never from the command line (ps shows argv).
#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

#include "ledger/cli/help_format.h"
#include "ledger/cli/program.h"
#include "ledger/cli/version.h"
#include "ledger/note/verifier_key.h"
#include "ledger/util/error.h"
#include "ledger/util/listen_address.h"
#include "station/config.h"
#include "station/pin.h"
#include "station/server.h"
#include "station/state.h"

namespace {

using namespace agtrace;
using namespace agtrace::station;

// One line of standard input: the PIN (prompted for on a terminal).
std::string read_pin(const char* prompt) {
  if (::isatty(STDIN_FILENO)) std::cerr << prompt << std::flush;
  std::string pin;
  if (!std::getline(std::cin, pin))
    throw_bad_input("没有读到 PIN：请从标准输入给出新 PIN（一行，4 到 12 位数字）/ no PIN on standard input: give the new "
                    "PIN as one line of 4 to 12 digits");
  if (!pin.empty() && pin.back() == '\r') pin.pop_back();
  check_pin_format(pin);
  return pin;
}

// A pinned log key: the C2SP verifier-key line of the LOGKEY.pub file `agtrace-ledger init` wrote.
note::VerifierKey read_log_pubkey(const std::string& path) {
  std::ifstream in(path);
  if (!in)
    throw_bad_input(fmt::format("--log-pubkey {0}：读不到这个文件，请给出 `agtrace-ledger init --log-key-out LOGKEY` 写的 "
                                "LOGKEY.pub / --log-pubkey {0}: cannot read it; give the LOGKEY.pub file that "
                                "`agtrace-ledger init --log-key-out LOGKEY` wrote",
                                path));
  std::ostringstream text;
  text << in.rdbuf();
  std::string line = text.str();
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r' || line.back() == ' ')) line.pop_back();
  try {
    return note::parse_verifier_key(line);
  } catch (const Error& e) {
    throw_bad_input(fmt::format("--log-pubkey {0}：不是公钥行（名称+keyid+base64）/ --log-pubkey {0}: not a verifier key "
                                "line (name+keyid+base64): {1}",
                                path, e.what()));
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"agtrace-station: the printer station's touch-screen web app (sign-in, pick a lot, preview, print; "
               "docs/station.md) and its accounts"};
  agtrace::cli::use_help_language(app, agtrace::cli::help_language(argc, argv, false));
  app.require_subcommand(1);
  app.set_version_flag("--version", agtrace::cli::version_text("agtrace-station"),
                       "print the version, revision and ledger formats");
  std::string ledger, config_path, state_path, listen = "127.0.0.1:8090", id, role, enterprise;
  std::vector<std::string> pubkey_files;
  ServeOptions options;

  // The global --ledger, as in every agtrace program, before or after the verb (DESIGN §8).
  app.fallthrough();
  app.add_option("--ledger", ledger, "ledger file (SQLite) of `serve`; before or after the verb")->envname("AGTRACE_LEDGER");
  auto* serve_cmd = app.add_subcommand("serve", "serve the station's web UI and its print queue over HTTP (behind nginx "
                                                "with TLS on the LAN; deploy/nginx, docs/station.md)");
  serve_cmd->add_option("--ledger", ledger, "ledger file (SQLite); label jobs are appended to it (required)")
      ->envname("AGTRACE_LEDGER");
  serve_cmd->add_option("--config", config_path, "station.json (schemas/station-config.schema.json)")->required();
  serve_cmd->add_option("--log-pubkey", pubkey_files,
                        "the log's public key, LOGKEY.pub (required; repeatable: pin a rotated log key's too): the "
                        "screens show only what verifies under it (STATE.verified); never read from the ledger");
  serve_cmd->add_option("--state", state_path, "the station's own state file (accounts, sessions, jobs; SQLite; "
                                               "created if missing; never the ledger)")
      ->required();
  serve_cmd->add_option("--listen", listen, "HOST:PORT to listen on (port 0: any free port)")->capture_default_str();
  serve_cmd->add_option("--threads", options.threads, "worker threads (concurrent connections)")
      ->check(CLI::Range(2, 256))
      ->capture_default_str();
  serve_cmd->add_flag("--access-log", options.access_log, "one line per request on standard error");

  auto* user = app.add_subcommand("user", "station accounts: pseudonyms such as op-07 (never names), each of one "
                                          "enterprise, signing in with a PIN");
  user->require_subcommand(1);
  auto state_option = [&](CLI::App* c) {
    c->add_option("--state", state_path, "the station's state file (created if missing)")->required();
    c->add_option("--id", id, "the account: a pseudonym such as op-07")->required();
  };
  auto* add = user->add_subcommand("add", "add an account; its PIN (4 to 12 digits) is read from standard input");
  state_option(add);
  add->add_option("--role", role, "operator (操作员), supervisor (主管) or clerk (文员)")->required();
  add->add_option("--enterprise", enterprise, "the party id of the enterprise whose station key the account prints with")
      ->required();
  add->add_option("--config", config_path, "station.json: the enterprise must be one of its enterprises");
  auto* disable = user->add_subcommand("disable", "disable an account and end its sessions");
  state_option(disable);
  auto* reset = user->add_subcommand("reset-pin", "give an account a new PIN (read from standard input); unlocks an "
                                                  "account locked by 5 wrong PINs");
  state_option(reset);
  auto* unlock = user->add_subcommand("unlock", "unlock an account's sign-in and supervisor approvals now, keeping its "
                                                "PIN (a lockout also ends by itself after signin_lockout_minutes)");
  state_option(unlock);

  return agtrace::cli::run_program(app, argc, argv, [&]() -> int {
    if (*serve_cmd) {
      if (ledger.empty())
        throw_bad_input("serve：没有账本文件，请加 --ledger 账本文件（在 serve 前后都可以）或设置 AGTRACE_LEDGER / serve: no "
                        "ledger file: pass --ledger FILE (before or after `serve`) or set AGTRACE_LEDGER");
      auto at = parse_listen(listen, "127.0.0.1:8090");
      options.host = at.host;
      options.port = at.port;
      options.ledger_path = ledger;
      options.state_path = state_path;
      StationConfig config = load_config(config_path);
      if (pubkey_files.empty())
        throw_bad_input("serve：缺少 --log-pubkey LOGKEY.pub（账本的日志公钥）；工作站只显示用它校验过的账本内容 / serve: "
                        "pass --log-pubkey LOGKEY.pub, the log's public key: the station shows only what verifies "
                        "under it, and never takes it from the ledger");
      for (const auto& f : pubkey_files) options.log_pubkeys.push_back(read_log_pubkey(f));
      return serve(std::move(config), options);
    }
    if (*add) {
      std::optional<StationConfig> config;
      if (!config_path.empty()) config = load_config(config_path);
      if (config && !config->enterprise(enterprise))
        throw_bad_input(fmt::format("--enterprise {}：{} 中没有这个企业，请写 enterprises[].party 中的一个 / --enterprise {}: "
                                    "not an enterprise of {}; give one of its enterprises[].party",
                                    enterprise, config_path, enterprise, config_path));
      check_account_id(id);
      check_role(role);
      std::string pin = read_pin("新 PIN / new PIN: ");
      StationState(state_path).add_account(id, role, enterprise, pin);
      std::cerr << fmt::format("已添加账号 {}（{}，{}）/ added account {} ({}, {})\n", id, role, enterprise, id, role,
                               enterprise);
      // A clerk uploads with the enterprise's clerk key: without one every upload is refused.
      if (role == "clerk" && config && !config->enterprise(enterprise)->clerk_key)
        std::cerr << fmt::format(
            "注意：{0} 里 {1} 没有文员密钥（clerk_key），文员 {2} 的上传都会被拒绝。请用 agtrace-ledger key gen 生成密钥、"
            "key add --role clerk 登记，再在 {0} 的 {1} 一项里写上 \"clerk_key\": \"密钥文件\" 并重启工作站 / warning: "
            "{1} has no clerk_key in {0}, so every upload by clerk {2} will be refused: generate a key (`agtrace-ledger "
            "key gen`), register it (`key add --role clerk`), add \"clerk_key\": \"KEYFILE\" to {1}'s entry in {0} "
            "and restart the station\n",
            config_path, enterprise, id);
      return 0;
    }
    check_account_id(id);
    if (!std::filesystem::exists(state_path))
      throw_bad_input(fmt::format("--state {}：没有这个文件；账号由 user add 创建 / --state {}: no such file; `user add` "
                                  "creates it",
                                  state_path, state_path));
    if (*disable) {
      StationState(state_path).disable_account(id);
      std::cerr << fmt::format("已停用账号 {} / disabled account {}\n", id, id);
      return 0;
    }
    if (*unlock) {
      StationState(state_path).unlock(id, "user unlock");
      std::cerr << fmt::format("已解锁账号 {}（PIN 不变）/ unlocked account {} (its PIN is unchanged)\n", id, id);
      return 0;
    }
    std::string pin = read_pin("新 PIN / new PIN: ");
    StationState(state_path).reset_pin(id, pin);
    std::cerr << fmt::format("已重置账号 {} 的 PIN 并解锁 / reset the PIN of {} and unlocked it\n", id, id);
    return 0;
  });
}
