// What every agtrace command-line program does around its verbs (DESIGN §8): parse the
// command line, run the chosen verb, and turn the outcome into an exit status and one
// message on standard error.
//
// Exit statuses: 0 success (and --help); 1 verification failed ("FAILED: …"); 2 bad usage
// or input ("error: …", CLI11's parse errors included); 3 environment (database busy,
// printer unreachable, disk full); 70 an internal error, which is a bug.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <optional>
#include <string>

#include "ledger/i18n/messages.h"

namespace agtrace::cli {

// Parses `argv` into `app`, then calls `run` and returns its status, mapping exceptions
// as above. Never throws. `lang`, when given, is asked after parsing for the reader's language:
// an i18n::Refusal is then shown in it alone ("错误：…" in Chinese); without it, what() (English, or
// "中文 / English" for what an operator also meets).
int run_program(CLI::App& app, int argc, char** argv, const std::function<int()>& run,
                const std::function<std::optional<i18n::Lang>()>& lang = {});

// CLI11's parse error `e` as one line in `lang` (without "error: "): the option or argument it is about
// and what to write instead — a required option, a value outside its set, an unknown option, an extra
// argument, an option without its value; in English CLI11's own words (unchanged for scripts).
std::string parse_error_text(const CLI::ParseError& e, i18n::Lang lang);

// Validators (CLI::Option::transform) of the option values a clerk types, refusing in `lang`:
// --format csv|jsonl|epcis in either case (CSV → csv); --role clerk|station or the Chinese words
// 文员/记录员 (clerk) and 打印站/打码工作站 (station); --tz as ±HH:MM, ±HHMM, a whole hour (8, +8, -5 → +08:00,
// -05:00) or Z, rewritten as ±HH:MM (RFC 3339 §5.6 time-offset).
CLI::Validator format_option(i18n::Lang lang);
CLI::Validator role_option(i18n::Lang lang);
CLI::Validator tz_option(i18n::Lang lang);

// Checks a --log-key file against the ledger before anything is written, so that a wrong
// or unreadable log key does not surface after an append. Throws Error (its own kind)
// naming --log-key and the file; does nothing when either path is empty.
void check_log_key_option(const std::string& ledger_path, const std::string& log_key_file);

}  // namespace agtrace::cli
