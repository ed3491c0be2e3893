// The print journal (journal.h): one SQLite table, print_jobs.
#include "labeler/job/journal.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "ledger/ledger.h"
#include "ledger/store/sqlite.h"
#include "ledger/time/timestamp.h"
#include "ledger/util/error.h"

namespace agtrace::labeler {
namespace {

constexpr std::string_view kSchema = R"(
CREATE TABLE IF NOT EXISTS print_jobs (
  id        INTEGER PRIMARY KEY,
  started   TEXT NOT NULL,     -- UTC, RFC 3339
  lot       TEXT NOT NULL,
  printer   TEXT NOT NULL,     -- tcp://…, file:…, folder:…, stdout
  serials   TEXT NOT NULL,     -- in label order, one per line
  count     INTEGER NOT NULL,
  entry     INTEGER,           -- the labels_issued entry, once recorded
  confirmed INTEGER NOT NULL DEFAULT 0,  -- labels 1..confirmed confirmed by the printer
  written   INTEGER,           -- when finished: labels handed to the printer
  finished  TEXT               -- NULL while running, and forever after a crash
);
)";

std::string join_lines(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += s + "\n";
  return out;
}

std::vector<std::string> split_lines(const std::string& s) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos < s.size()) {
    auto nl = s.find('\n', pos);
    if (nl == std::string::npos) nl = s.size();
    out.push_back(s.substr(pos, nl - pos));
    pos = nl + 1;
  }
  return out;
}

std::vector<UnfinishedJob> read_unfinished(sql::Database& db, Ledger& ledger) {
  auto s = db.prepare(
      "SELECT id, started, lot, printer, serials, count, entry, confirmed, written, finished FROM print_jobs "
      "WHERE finished IS NULL OR confirmed < written ORDER BY id");
  std::vector<UnfinishedJob> out;
  while (s.step()) {
    UnfinishedJob j;
    j.id = s.column_int(0);
    j.started = s.column_text(1);
    j.lot = s.column_text(2);
    j.printer = s.column_text(3);
    auto serials = split_lines(s.column_text(4));
    j.count = static_cast<std::size_t>(s.column_int(5));
    if (!s.is_null(6)) j.entry = static_cast<std::uint64_t>(s.column_int(6));
    j.confirmed = std::min(static_cast<std::size_t>(s.column_int(7)), serials.size());
    j.interrupted = s.is_null(9);
    std::size_t end = j.interrupted ? serials.size()
                                    : std::min(static_cast<std::size_t>(s.column_int(8)), serials.size());
    if (serials.empty()) continue;
    auto first = ledger.code(serials.front());
    if (!first) continue;  // never recorded: nothing was issued, nothing sent
    if (!j.entry) j.entry = first->issued_entry;
    for (std::size_t i = j.confirmed; i < end; ++i) {
      auto c = ledger.code(serials[i]);
      if (c && !c->voided_entry && c->reprints == 0) j.unconfirmed.push_back(serials[i]);
    }
    if (!j.unconfirmed.empty()) out.push_back(std::move(j));
  }
  return out;
}

}  // namespace

std::string PrintJournal::default_path(const std::string& ledger_path) { return ledger_path + ".print-journal"; }

PrintJournal::PrintJournal(const std::string& path) {
  // Created here, empty (SQLite takes an empty file for a new database), with mode 0666 less
  // the umask, as the ledger: SQLite alone would make it 0644 less the umask (0640 under
  // umask 0007), and it gives the journal's -wal and -shm the journal's own mode whoever
  // creates them — another user of the writers' group (a clerk's `jobs --unfinished`) would
  // leave -wal/-shm the station cannot write. In the ledger's setgid folder the file gets
  // the writers' group (docs/deploy.md "Users, groups and file modes").
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd >= 0) {
    ::close(fd);
  } else if (errno != EEXIST) {
    int err = errno;
    throw Error(ErrorKind::environment,
                fmt::format("cannot create the print journal {}: {}; the labeler needs to write the ledger's folder "
                            "(docs/deploy.md \"Users, groups and file modes\")",
                            path, std::strerror(err)));
  }
  db_ = std::make_unique<sql::Database>(path, sql::OpenMode::read_write, 30000, "print journal");
  db_->exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;");
  db_->exec(kSchema);
}

PrintJournal::~PrintJournal() = default;

std::int64_t PrintJournal::begin(const std::string& lot, const std::string& printer,
                                 const std::vector<std::string>& serials) {
  auto s = db_->prepare("INSERT INTO print_jobs (started, lot, printer, serials, count) VALUES (?, ?, ?, ?, ?) "
                        "RETURNING id");
  s.bind(1, time::format_utc(time::now_unix_ms()))
      .bind(2, lot)
      .bind(3, printer)
      .bind(4, join_lines(serials))
      .bind(5, static_cast<std::int64_t>(serials.size()));
  if (!s.step()) throw std::logic_error("INSERT … RETURNING gave no row");
  std::int64_t id = s.column_int(0);
  s.reset();
  return id;
}

void PrintJournal::recorded(std::int64_t id, std::uint64_t entry) {
  db_->prepare("UPDATE print_jobs SET entry = ? WHERE id = ?").bind(1, static_cast<std::int64_t>(entry)).bind(2, id).run();
}

void PrintJournal::confirmed(std::int64_t id, std::size_t k) {
  db_->prepare("UPDATE print_jobs SET confirmed = ? WHERE id = ?").bind(1, static_cast<std::int64_t>(k)).bind(2, id).run();
}

void PrintJournal::finish(std::int64_t id, std::size_t confirmed, std::size_t written) {
  db_->prepare("UPDATE print_jobs SET confirmed = ?, written = ?, finished = ? WHERE id = ?")
      .bind(1, static_cast<std::int64_t>(confirmed))
      .bind(2, static_cast<std::int64_t>(written))
      .bind(3, time::format_utc(time::now_unix_ms()))
      .bind(4, id)
      .run();
}

std::vector<UnfinishedJob> PrintJournal::unfinished(Ledger& ledger) { return read_unfinished(*db_, ledger); }

std::vector<UnfinishedJob> unfinished_jobs(const std::string& path, Ledger& ledger) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return {};
  sql::Database db(path, sql::OpenMode::read_only, 30000, "print journal");
  return read_unfinished(db, ledger);
}

}  // namespace agtrace::labeler
