// The print journal: the labeler's own record of its print jobs while they run, so that a
// job cut short by a crash or a power cut is found on the next run (`agtrace-labeler jobs
// --unfinished`). Operational state, not evidence: the ledger holds what was issued and
// voided; the journal holds how far the printer had confirmed.
//
// A small SQLite file of its own next to the ledger (default LEDGER.print-journal, never
// inside the ledger file: the verifier and auditors never read it, and losing it loses no
// evidence). WAL with synchronous=FULL: "started" is on disk before the job is recorded in
// the ledger, each "confirmed up to label k" before the next batch is sent.
//
// A job's life: begin() (lot, printer, serials in label order) → recorded(entry) →
// confirmed(k)… → finish(). A job never finished was interrupted. A finished job that
// stopped on an error keeps its uncertain labels (written, not confirmed). unfinished()
// lists both kinds while any of their unconfirmed labels is still neither voided nor
// reprinted in the ledger. Used by one process at a time per job; several stations may
// share a journal (SQLite locking).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace agtrace {
class Ledger;
namespace sql {
class Database;
}
}  // namespace agtrace

namespace agtrace::labeler {

struct UnfinishedJob {
  std::int64_t id = 0;
  std::optional<std::uint64_t> entry;  // the labels_issued entry
  std::string lot, printer, started;   // started: UTC, RFC 3339
  bool interrupted = false;            // true: never finished (crash); false: stopped on an error
  std::size_t count = 0, confirmed = 0;
  std::vector<std::string> unconfirmed;  // still genuine and never reprinted, in label order
};

class PrintJournal {
 public:
  // The default journal of a ledger file: LEDGER.print-journal.
  static std::string default_path(const std::string& ledger_path);

  // Opens the journal at `path`, creating it when missing (its folder must exist). Throws
  // Error(environment) when it cannot be opened or written.
  explicit PrintJournal(const std::string& path);
  ~PrintJournal();

  // A job about to be recorded; returns its id.
  std::int64_t begin(const std::string& lot, const std::string& printer, const std::vector<std::string>& serials);
  void recorded(std::int64_t id, std::uint64_t entry);
  // Labels 1..k are confirmed by the printer.
  void confirmed(std::int64_t id, std::size_t k);
  // The run is over: every label confirmed (`written` == count), or stopped with labels
  // confirmed, written (the rest were voided, or — when the job was never recorded — not
  // issued at all).
  void finish(std::int64_t id, std::size_t confirmed, std::size_t written);

  // Jobs with unconfirmed labels still to deal with (see above), oldest first. A job
  // interrupted before its ledger entry was written is looked up by its first serial; if
  // the ledger never issued it, it has nothing to deal with.
  std::vector<UnfinishedJob> unfinished(Ledger& ledger);

 private:
  std::unique_ptr<sql::Database> db_;
};

// Reads the journal at `path` without creating it: no file, no jobs.
std::vector<UnfinishedJob> unfinished_jobs(const std::string& path, Ledger& ledger);

}  // namespace agtrace::labeler
