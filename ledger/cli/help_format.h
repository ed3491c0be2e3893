// The frame of a program's --help in the reader's language (issue 16, item 1): CLI11 prints its
// own words around the descriptions — "Usage", "OPTIONS", "Options", "Positionals", "Subcommands",
// "REQUIRED", "TEXT", "Env" — which stay English under Chinese descriptions unless the app is
// given a formatter that says them in Chinese (用法、选项、位置参数、子命令、必填、文本、环境变量).
//
// Used by every agtrace program (agtrace-ledger, agtrace-labeler, agtrace-verifier). CLI11 2.1
// (Debian 12's libcli11-dev): a subcommand copies its parent's formatter and help flag when it is
// added, so use_help_language runs before the first add_subcommand.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>

#include "ledger/i18n/messages.h"

namespace agtrace::cli {

// The language of --help: `--lang zh|en` (or --lang=…) found anywhere in argv — the help text is
// built before the command line is parsed — else i18n::choose_lang (a zh_* locale). Programs
// without a --lang option pass `look_for_lang = false`: the locale alone decides.
i18n::Lang help_language(int argc, char** argv, bool look_for_lang = true);

// Gives `app` CLI11's frame words and its -h/--help flag's description in `lang` (for English,
// CLI11's own). Call before adding subcommands (they copy both). Never throws.
void use_help_language(CLI::App& app, i18n::Lang lang);

}  // namespace agtrace::cli
