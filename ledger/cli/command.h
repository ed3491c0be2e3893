// How verbs of agtrace-ledger defined outside main.cpp plug in: each adds its CLI11
// subcommands and returns what to run when one of them was chosen.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

namespace agtrace::cli {

// A verb's subcommand and the action to run when the user chose it. The action
// returns the exit status; it may throw agtrace::Error (mapped to 1/2/3 by main).
struct Command {
  CLI::App* subcommand;
  std::function<int()> run;
};

// The ledger file from --ledger / AGTRACE_LEDGER; set before any action runs.
const std::string& ledger_path();

// Regulator verbs (trace, recall, export, audit): ledger/cli/regulator_commands.cpp.
std::vector<Command> add_regulator_commands(CLI::App& app);

// backup --out FILE: ledger/cli/backup.cpp.
Command add_backup_command(CLI::App& app);

}  // namespace agtrace::cli
