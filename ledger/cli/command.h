// How verbs of agtrace-ledger defined outside main.cpp plug in: each adds its CLI11
// subcommands and returns what to run when one of them was chosen.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

#include "ledger/i18n/messages.h"

namespace agtrace::cli {

// A verb's subcommand and the action to run when the user chose it. The action
// returns the exit status; it may throw agtrace::Error (mapped to 1/2/3 by main).
struct Command {
  CLI::App* subcommand;
  std::function<int()> run;
};

// The ledger file from --ledger / AGTRACE_LEDGER; set before any action runs.
const std::string& ledger_path();

// The language of what the verbs print: --lang, else a zh_* locale, else English; set before any
// action runs.
i18n::Lang reader_lang();

// Regulator verbs (trace, recall, export, audit): ledger/cli/regulator_commands.cpp. `help_lang`:
// the language of the verbs' descriptions and export's options in --help.
std::vector<Command> add_regulator_commands(CLI::App& app, i18n::Lang help_lang = i18n::Lang::en);

// A --from / --to bound (export, log) as RFC 3339 with an offset: as given when it has one; a
// date alone (2026-09-26, or as clerk_date reads it: 2026/9/26, 2026年9月26日) is that day's 00:00
// at `tz` (`to`: the next day's, so the day is included); a date and time without offset (also
// 2026年9月26日 8时30分, as clerk_date_time reads it) is read at `tz`. Throws Error(bad_input)
// naming `flag` and the forms it takes, Chinese first: ledger/cli/regulator_commands.cpp.
std::string export_bound(const std::string& text, const std::string& tz, const char* flag, bool to);

// backup --out FILE: ledger/cli/backup.cpp. `help_lang`: the language of its description in --help.
Command add_backup_command(CLI::App& app, i18n::Lang help_lang = i18n::Lang::en);

}  // namespace agtrace::cli
