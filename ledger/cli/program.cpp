// The shared frame of agtrace-ledger and agtrace-labeler: parse, run, exit status.
#include "ledger/cli/program.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <iostream>
#include <regex>
#include <string_view>
#include <vector>

#include "ledger/cli/help_format.h"

#include "ledger/i18n/refusal.h"
#include "ledger/ledger.h"
#include "ledger/note/ed25519_key.h"
#include "ledger/util/error.h"

namespace agtrace::cli {
namespace {

// "a、b 或 c" / "a, b or c".
std::string alternatives(const std::vector<std::string>& values, i18n::Lang lang) {
  if (values.size() < 2) return values.empty() ? "" : values.front();
  std::vector<std::string> head(values.begin(), values.end() - 1);
  return lang == i18n::Lang::zh ? fmt::format("{} 或 {}", fmt::join(head, "、"), values.back())
                                : fmt::format("{} or {}", fmt::join(head, ", "), values.back());
}

std::string lower_ascii(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

}  // namespace

std::string parse_error_text(const CLI::ParseError& e, i18n::Lang lang) {
  using i18n::Msg;
  const std::string what = e.what();
  const std::string name = e.get_name();
  std::smatch m;
  if (name == "ValidationError") {
    // "NAME: MESSAGE": a validator of ours already says it in `lang`, naming the option; IsMember says
    // "VALUE not in {a,b}".
    const auto colon = what.find(": ");
    const std::string option = colon == std::string::npos ? "" : what.substr(0, colon);
    const std::string rest = colon == std::string::npos ? what : what.substr(colon + 2);
    if (!option.empty() && rest.starts_with(option)) return rest;
    static const std::regex not_in(R"((.*) not in \{(.*)\})");
    if (lang == i18n::Lang::zh && std::regex_match(rest, m, not_in)) {
      std::vector<std::string> values;
      for (const auto& v : CLI::detail::split(m[2].str(), ',')) values.push_back(v);
      return i18n::text(lang, Msg::cli_not_in_set, option, m[1].str(), alternatives(values, lang));
    }
  }
  if (lang != i18n::Lang::zh) return what + "\nRun with --help for more information.";
  static const std::regex required(R"((\S+) is required)");
  static const std::regex extras(R"(The following arguments? (?:was|were) not expected: (.*))");
  static const std::regex needs_value(R"((\S+): \d+ required \S+ missing)");
  if (name == "RequiredError" && what == "A subcommand is required") return i18n::text(lang, Msg::cli_subcommand_required);
  if (name == "RequiredError" && std::regex_match(what, m, required)) return i18n::text(lang, Msg::cli_required, m[1].str());
  if (std::regex_match(what, m, extras)) {  // ExtrasError; its name may be the subcommand's
    const std::string args = m[1].str();
    for (const auto& arg : CLI::detail::split(args, ' '))
      if (arg.size() > 1 && arg.starts_with("-")) return i18n::text(lang, Msg::cli_unknown_option, arg);
    return i18n::text(lang, Msg::cli_extra_argument, args);
  }
  if (name == "ArgumentMismatch" && std::regex_match(what, m, needs_value))
    return i18n::text(lang, Msg::cli_needs_value, m[1].str());
  return i18n::text(lang, Msg::cli_other, what);
}

CLI::Validator format_option(i18n::Lang lang) {
  return CLI::Validator(
      [lang](std::string& value) -> std::string {
        const std::string lower = lower_ascii(value);
        if (lower != "csv" && lower != "jsonl" && lower != "epcis") return i18n::text(lang, i18n::Msg::cli_format_values, value);
        value = lower;
        return {};
      },
      "csv|jsonl|epcis");
}

CLI::Validator role_option(i18n::Lang lang) {
  return CLI::Validator(
      [lang](std::string& value) -> std::string {
        const std::string lower = lower_ascii(value);
        if (lower == "clerk" || value == "文员" || value == "记录员") {
          value = "clerk";
        } else if (lower == "station" || value == "打印站" || value == "打码工作站") {
          value = "station";
        } else {
          return i18n::text(lang, i18n::Msg::cli_role_values, value);
        }
        return {};
      },
      "clerk|station");
}

CLI::Validator tz_option(i18n::Lang lang) {
  return CLI::Validator(
      [lang](std::string& value) -> std::string {
        static const std::regex offset(R"(([+-]?)(\d{1,2})(?::?(\d{2}))?)");
        std::smatch m;
        if (value == "Z" || value == "z") {
          value = "Z";
          return {};
        }
        if (!std::regex_match(value, m, offset)) return i18n::text(lang, i18n::Msg::cli_tz_values, value);
        const int hours = std::stoi(m[2].str());
        const int minutes = m[3].matched ? std::stoi(m[3].str()) : 0;
        // RFC 3339 allows any ±HH:MM; the offsets in use on Earth run from -12:00 to +14:00.
        if (hours > 14 || minutes > 59 || (!m[3].matched && m[2].length() > 2))
          return i18n::text(lang, i18n::Msg::cli_tz_values, value);
        value = fmt::format("{}{:02}:{:02}", m[1].str() == "-" ? "-" : "+", hours, minutes);
        return {};
      },
      "±HH:MM");
}

int run_program(CLI::App& app, int argc, char** argv, const std::function<int()>& run,
                const std::function<std::optional<i18n::Lang>()>& lang) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    const i18n::Lang l = help_language(argc, argv);
    std::cerr << (l == i18n::Lang::zh ? i18n::text(l, i18n::Msg::error_prefix) : "") << parse_error_text(e, l) << "\n";
    return 2;
  }
  try {
    return run();
  } catch (const Error& e) {
    const std::optional<i18n::Lang> l = lang ? lang() : std::nullopt;
    const std::string message = i18n::message_in(e, l);
    // No language chosen, but a message a verb wrote in Chinese (show lot 不存在 answers in Chinese):
    // its prefix is Chinese too, as for "中文 / English" messages. Chinese punctuation tells it from
    // an English message that begins with a Chinese file name ("空.csv: the file is empty").
    const bool chinese = i18n::starts_chinese(message) &&
                         std::ranges::any_of(std::array<std::string_view, 5>{"，", "；", "：", "。", "「"},
                                             [&](std::string_view p) { return message.find(p) != std::string::npos; });
    const i18n::Lang prefix = l.value_or(chinese ? i18n::Lang::zh : i18n::Lang::en);
    std::cerr << i18n::text(prefix, e.kind() == ErrorKind::verification ? i18n::Msg::failed_prefix
                                                                         : i18n::Msg::error_prefix)
              << message << "\n";
    return e.exit_status();
  } catch (const std::exception& e) {
    std::cerr << "internal error (a bug; please report it): " << e.what() << "\n";
    return 70;
  }
}

void check_log_key_option(const std::string& ledger_path, const std::string& log_key_file) {
  if (ledger_path.empty() || log_key_file.empty()) return;
  try {
    Ledger(ledger_path, false).check_log_key(note::SigningKey::load(log_key_file));
  } catch (const i18n::Refusal& r) {
    throw r.placed("--log-key " + log_key_file);
  } catch (const Error& e) {
    throw Error(e.kind(), "--log-key " + log_key_file + ": " + e.what());
  }
}

}  // namespace agtrace::cli
