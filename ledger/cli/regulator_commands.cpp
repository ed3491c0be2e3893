// The regulator's verbs of agtrace-ledger (DESIGN §6, §8): trace, recall, export and
// audit verify-bundle. Each is a thin layer over the library.
#include "ledger/cli/command.h"

namespace agtrace::cli {

std::vector<Command> add_regulator_commands(CLI::App& app) {
  (void)app;
  return {};
}

}  // namespace agtrace::cli
