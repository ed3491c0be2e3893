// What the trials of issue 16 through the real binary share (tests/ledger/clerk_trial16f_test,
// clerk_trial_zh_test, regulator_zh_test, show_keys_zh_test): a small harvested season to start
// from, a command run as a user of a given locale, an entry found by its event id, and the check
// that a CSV import is refused in Chinese and in English without a byte of the ledger changing.
//
// These helpers judge with doctest's checks (REQUIRE, CHECK, FAIL), so they are for doctest test
// executables only; each failure is reported at the line of the helper, with the command's
// ProcessResult::describe() as context.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/support/ledger_fixture.h"

namespace agtrace::testing {

// True when `needle` occurs in `haystack`.
bool has(const std::string& haystack, const std::string& needle);

// `agtrace-ledger --ledger FILE args...` on `L`, run as a user whose locale is LANG=lang_env
// (in_locale): L.cli(args, in_locale(lang_env)).
ProcessResult run(const TestLedger& L, std::vector<std::string> args, const std::string& lang_env = "C.UTF-8");

// The entry index of the event `event_id` in `L` (`log --json`); FAILs the test when none has it.
std::uint64_t index_of(const TestLedger& L, const std::string& event_id);

// A TestLedger with planting PL-1 (2.5 mu, at kPlot) and harvest H-1 of 1500 kg from it at
// 2026-09-25 08:00 Beijing time, then `more` events, recorded in one `record` with the checkpoint
// signed; REQUIREs that it succeeds.
struct HarvestSeason {
  explicit HarvestSeason(const std::vector<nlohmann::json>& more = {});
  TestLedger L;
};

// Importing `csv` (with `extra` options) is refused, exit 2, with each of `zh` in its message (the
// headers are Chinese, so the message is too) and, with --lang en added, with each of `en` and no
// "错误：" (one language); the ledger file stays byte for byte the same.
void csv_refused(const TestLedger& L, const std::filesystem::path& csv, const std::vector<std::string>& zh,
                 const std::vector<std::string>& en, const std::vector<std::string>& extra = {});

}  // namespace agtrace::testing
