// A fresh agtrace ledger for integration tests, driven through the real `agtrace-ledger`
// binary (DESIGN §8), plus builders of valid events and the sqlite3 shell for tamper tests.
//
// A TestLedger is what a co-op has after its first morning with agtrace: a ledger file, the
// log key, one registered clerk key and the master data that events name. Tests add events
// with record(), run any verb with cli(), and compare snapshot()s to show that a refused
// command changed nothing.
//
// Everything here runs child processes (tests/support/process.h) and throws
// std::runtime_error, with the failing command's ProcessResult::describe(), when a step that
// must succeed does not; a test's own checks judge everything else. One TestLedger per
// thread; concurrent cli() calls on one ledger are fine (that is what the ledger promises).
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/support/process.h"

namespace agtrace::testing {

// The agtrace-ledger binary of this build.
const std::string& ledger_binary();

// The master data every TestLedger records (entries 2..5).
inline constexpr const char* kParty = "P-COOP";        // party, a cooperative
inline constexpr const char* kPlot = "PLOT-1";         // location: a plot of kParty
inline constexpr const char* kColdStore = "COLD-1";    // location: a cold store of kParty
inline constexpr const char* kProduct = "SCALLION";    // product 大葱, pack size 5 KGM
inline constexpr std::size_t kSetupEntries = 6;        // log_init, key_added, 4 master data

// RunOptions for a command run as a user whose locale is LANG=lang_env (LC_ALL and
// LC_MESSAGES removed, so only LANG chooses the language of its messages; AGTRACE_LEDGER
// removed, so only a ledger named on the command line is touched).
RunOptions in_locale(const std::string& lang_env = "C.UTF-8");

class TestLedger {
 public:
  // Creates, in a fresh TempDir: `ledger.db` with its log key (`log.key`), a clerk key
  // (`clerk.key`, registered), and entries 0..5 — log_init, key_added for the clerk, the
  // party, the plot, the cold store and the product — covered by a signed checkpoint.
  TestLedger();

  const TempDir& dir() const { return dir_; }
  std::filesystem::path path() const { return dir_ / "ledger.db"; }
  std::filesystem::path log_key() const { return dir_ / "log.key"; }
  std::filesystem::path clerk_key() const { return dir_ / "clerk.key"; }

  // Runs `agtrace-ledger --ledger FILE args...` (AGTRACE_LEDGER is removed from its
  // environment, so only this ledger is ever touched).
  ProcessResult cli(std::vector<std::string> args, RunOptions options = {}) const;
  // As cli(), but throws unless the command exits 0; returns its standard output.
  std::string must(std::vector<std::string> args, RunOptions options = {}) const;

  // Writes `text` byte for byte to `name` in the ledger's directory; returns its path.
  std::filesystem::path write_file(const std::string& name, const std::string& text) const;
  // `import --key clerk.key --format csv EXTRA... FILE`, run with `options` (by default in the
  // neutral locale C.UTF-8, so the headers' language chooses the messages').
  ProcessResult import_csv(const std::filesystem::path& file, std::vector<std::string> extra = {},
                           RunOptions options = in_locale()) const;

  // `record --key clerk.key [--log-key log.key] -`, the events as JSON lines on stdin.
  ProcessResult record(const std::vector<nlohmann::json>& events, bool sign_checkpoint = true) const;
  // Same, with the text given verbatim (for malformed input).
  ProcessResult record_text(const std::string& text, bool sign_checkpoint = false) const;

  // `log --json`, parsed: one object per entry, in index order.
  nlohmann::json log() const;
  // The number of entries.
  std::size_t size() const { return log().size(); }
  // `checkpoint --log-key log.key`: signs (if the tree grew) and returns the latest checkpoint.
  std::string checkpoint() const;

  // Generates key `name` into the ledger's directory and registers it (`key gen`, `key add
  // --role role`); returns the key file. Its .pub is beside it.
  std::filesystem::path add_key(const std::string& name, const std::string& role = "clerk") const;

  // What must not change when a command is refused: `log --json` and `verify --json`.
  struct Snapshot {
    std::string log;
    std::string verify;
    bool operator==(const Snapshot&) const = default;
  };
  Snapshot snapshot() const;
  // The bytes of the ledger file followed by those of its write-ahead log, if any (no
  // process may be writing): a refused command leaves them byte for byte the same. A
  // missing and an empty -wal count alike (a reader may create an empty one), and the -shm
  // file is left out (SQLite's shared-memory index, which readers update; not content).
  std::string file_bytes() const;

 private:
  TempDir dir_{"agtrace-ledger-test"};
};

// The key id ("name+hash") of the key whose verifier-key line is in `pub_file`.
std::string key_id_of(const std::filesystem::path& pub_file);

// Copies a ledger file and its write-ahead log (if any) to `to` (no process may be writing).
void copy_ledger(const std::filesystem::path& from, const std::filesystem::path& to);

// Runs the sqlite3 shell (Debian package sqlite3) on `db` with `sql`; returns its output.
// Throws if it fails, e.g. when a trigger refuses the change.
std::string sqlite3(const std::filesystem::path& db, const std::string& sql);

// Builders of events that the rules accept when recorded in a sensible order, all by the
// TestLedger's party at its plot or cold store. Times are RFC 3339 with offset.
namespace events {
nlohmann::json planting(const std::string& id, const std::string& lot, const std::string& time);
// A pesticide application on planting lot `lot` with a pre-harvest interval of `days`.
nlohmann::json pesticide(const std::string& id, const std::string& lot, const std::string& time,
                         int days);
// Harvest of `kg` kilograms (a decimal string) from planting lot `from_lot` into new lot `lot`.
nlohmann::json harvest(const std::string& id, const std::string& lot, const std::string& from_lot,
                       const std::string& time, const std::string& kg);
nlohmann::json inspection(const std::string& id, const std::string& lot, const std::string& time);
// Packs `boxes` boxes of 5 kg from `input_lot` into new lot `lot` (input = boxes × 5 kg).
nlohmann::json packing(const std::string& id, const std::string& input_lot, const std::string& lot,
                       const std::string& time, int boxes);
nlohmann::json storage(const std::string& id, const std::string& lot, const std::string& time);
// One line per event.
std::string jsonl(const std::vector<nlohmann::json>& events);
}  // namespace events

}  // namespace agtrace::testing
