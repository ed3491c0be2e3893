// agtrace-station: the printer station's touch-screen web app (docs/station.md, DESIGN §8).
// A thin dispatcher: argv → station library → exit status (0 ok, 2 bad usage or input, 3
// environment: address in use, database busy; 70 an internal bug).
//
//   agtrace-station serve --ledger FILE --log-pubkey LOG.pub --config station.json --state station.db --listen HOST:PORT
//   agtrace-station user add --state station.db --id op-07 --role operator --enterprise PARTY [--config station.json]
//   agtrace-station user disable --state station.db --id op-07
//   agtrace-station user reset-pin --state station.db --id op-07
//   agtrace-station user unlock --state station.db --id op-07
//   agtrace-station user enable --state station.db --id op-07
//   agtrace-station template approve --template FILE
// A PIN is read from standard input (one line), never from the command line (ps shows argv).
#include <fmt/format.h>
#include <fmt/ranges.h>
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
#include "labeler/template/template.h"
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
  // --help in Chinese under a zh_* locale: the frame and the account and template verbs.
  const bool zh = agtrace::cli::help_language(argc, argv, false) == agtrace::i18n::Lang::zh;
  auto help = [zh](const char* zh_text, const char* en_text) { return std::string(zh ? zh_text : en_text); };
  CLI::App app{"agtrace-station: the printer station's touch-screen web app (sign-in, pick a lot, preview, print; "
               "docs/station.md) and its accounts"};
  agtrace::cli::use_help_language(app, zh ? agtrace::i18n::Lang::zh : agtrace::i18n::Lang::en);
  app.require_subcommand(1);
  app.set_version_flag("--version", agtrace::cli::version_text("agtrace-station"),
                       "print the version, revision and ledger formats");
  std::string ledger, config_path, state_path, listen = "127.0.0.1:8090", id, role, enterprise, template_path;
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

  auto* user = app.add_subcommand("user", help("工作站账号：用 op-07 这样的代号（不写姓名），每个账号属于一个企业，用 PIN 登录",
                                               "station accounts: pseudonyms such as op-07 (never names), each of one "
                                               "enterprise, signing in with a PIN"));
  user->require_subcommand(1);
  auto state_option = [&](CLI::App* c) {
    c->add_option("--state", state_path, help("工作站的状态文件（没有就新建）", "the station's state file (created if missing)"))
        ->required();
    c->add_option("--id", id, help("账号：op-07 这样的代号", "the account: a pseudonym such as op-07"))->required();
  };
  auto* add = user->add_subcommand("add", help("添加账号；PIN（4 到 12 位数字）从标准输入读",
                                               "add an account; its PIN (4 to 12 digits) is read from standard input"));
  state_option(add);
  add->add_option("--role", role, help("operator（操作员）、supervisor（主管）或 clerk（文员）",
                                       "operator (操作员), supervisor (主管) or clerk (文员)"))
      ->required();
  add->add_option("--enterprise", enterprise,
                  help("账号所属企业的主体编号（用它的工作站密钥打印）",
                       "the party id of the enterprise whose station key the account prints with"))
      ->required();
  add->add_option("--config", config_path, help("station.json：企业必须是其中的一个", "station.json: the enterprise must be one of its enterprises"));
  auto* disable = user->add_subcommand("disable", help("停用账号并结束它的登录（user enable 可以重新启用）",
                                                       "disable an account and end its sessions (user enable enables it again)"));
  state_option(disable);
  auto* enable = user->add_subcommand("enable", help("重新启用停用的账号（PIN 不变）",
                                                     "enable a disabled account again (its PIN is unchanged)"));
  state_option(enable);
  auto* reset = user->add_subcommand("reset-pin", help("给账号设新 PIN（从标准输入读）；也解除输错 5 次的锁定；停用的账号仍是停用",
                                                       "give an account a new PIN (read from standard input); unlocks an "
                                                       "account locked by 5 wrong PINs; a disabled one stays disabled"));
  state_option(reset);
  auto* unlock = user->add_subcommand("unlock", help("马上解除账号的登录和主管批准锁定，PIN 不变（锁定到 signin_lockout_minutes 后也会自己解除）",
                                                     "unlock an account's sign-in and supervisor approvals now, keeping its "
                                                     "PIN (a lockout also ends by itself after signin_lockout_minutes)"));
  state_option(unlock);

  auto* templ = app.add_subcommand("template", help("标签模板的批准", "label templates: approval"));
  templ->require_subcommand(1);
  auto* approve = templ->add_subcommand(
      "approve", help("检查模板文件并给出它的 SHA-256，写进 station.json 这个模板那一项的 \"sha256\"（docs/station.md“批准模板”）",
                      "check a template file and print its SHA-256 for the template's \"sha256\" in station.json "
                      "(docs/station.md \"批准模板\")"));
  approve->add_option("--template", template_path, help("标签模板文件", "the label template file"))->required();

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
      if (auto loose = unpinned_templates(config); !loose.empty())
        std::cerr << fmt::format(
            "注意：{0} 没有用 sha256 锁定这些标签模板：{1}。模板文件被改了，工作站重启后会直接用改过的文件打印。请主管看过打印"
            "样张后对每个模板运行 agtrace-station template approve --template 模板文件，把它给出的 \"sha256\" 写进 {0} "
            "那个模板的一项（docs/station.md“批准模板”）/ warning: {0} pins none of these templates by sha256: {1}; a "
            "changed file would print after a restart: run `agtrace-station template approve --template FILE` and "
            "write its \"sha256\" beside the template\n",
            config_path, fmt::join(loose, "、"));
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
    if (*approve) {
      labeler::LabelTemplate t = labeler::load_template(template_path);
      std::cout << fmt::format("\"sha256\": \"{}\"\n", t.file_sha256);
      std::cerr << fmt::format(
          "模板 {0}（{1}，{2}×{3} 毫米）检查通过，SHA-256 是 {4}。主管看过它的打印样张、批准后，把上面这一行写进 station.json "
          "里这个模板的一项（\"template\" 旁边），再重启工作站；以后这个文件一改，工作站就不启动 / template {0} ({1}, "
          "{2}×{3} mm) loads; SHA-256 {4}: once approved, write the line above beside its \"template\" in station.json "
          "and restart the station\n",
          template_path, t.name, t.width_mm, t.height_mm, t.file_sha256);
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
    if (*enable) {
      StationState(state_path).enable_account(id);
      std::cerr << fmt::format("已重新启用账号 {}，可以用原来的 PIN 登录 / enabled account {} again: it signs in with its "
                               "PIN\n",
                               id, id);
      return 0;
    }
    if (*unlock) {
      StationState(state_path).unlock(id, "user unlock");
      std::cerr << fmt::format("已解锁账号 {}（PIN 不变）/ unlocked account {} (its PIN is unchanged)\n", id, id);
      return 0;
    }
    std::string pin = read_pin("新 PIN / new PIN: ");
    StationState state(state_path);
    state.reset_pin(id, pin);
    if (auto a = state.account(id); a && a->disabled)
      std::cerr << fmt::format("已重置账号 {0} 的 PIN，但它仍是停用的，还不能登录；要让它重新使用，请运行 agtrace-station user "
                               "enable --state {1} --id {0} / reset the PIN of {0}; it stays disabled: run "
                               "`agtrace-station user enable --state {1} --id {0}` to let it sign in\n",
                               id, state_path);
    else
      std::cerr << fmt::format("已重置账号 {} 的 PIN 并解锁 / reset the PIN of {} and unlocked it\n", id, id);
    return 0;
  });
}
