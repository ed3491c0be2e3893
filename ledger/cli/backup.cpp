// agtrace-ledger backup --out FILE (issue 13, docs/deploy.md "Backup and restore"): a
// consistent copy of a live ledger, WAL tail included, verified before it is reported.
//
// SQLite's online backup API (https://www.sqlite.org/backup.html) copies every page of the
// source as one read transaction sees it — the database file together with the committed
// frames still in its -wal — so a writer may keep appending meanwhile. `cp ledger.db` would
// miss the frames in the -wal and still pass `verify`. The copy is switched to rollback
// journal mode, so that it is one self-contained file (no -wal of its own), then audited in
// full (Ledger::verify) and moved to FILE only if the audit passed; FILE is never replaced.
// FILE is made 0640 less the umask (it holds names and phone numbers); a FILE this user
// cannot write is refused first, as bad input naming --out, with nothing written.
#include <fmt/format.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fcntl.h>
#include <pwd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>

#include "ledger/cli/command.h"
#include "ledger/i18n/refusal.h"
#include "ledger/ledger.h"
#include "ledger/store/sqlite.h"
#include "ledger/util/error.h"
#include "ledger/util/plural.h"

namespace agtrace::cli {

namespace {

// Copies `source` (a ledger opened read-only) into the new file `dest` page by page. `dest`
// is created first with mode 0640 less the umask: a backup holds names and phone numbers, and
// SQLite alone would make it 0644 less the umask (0644 under the usual 0022).
void copy_pages(sql::Database& source, const std::string& dest) {
  int fd = ::open(dest.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
  if (fd < 0) {
    int err = errno;
    throw Error(ErrorKind::environment, fmt::format("backup {}: cannot create it: {}", dest, std::strerror(err)));
  }
  ::close(fd);
  sql::Database out(dest, sql::OpenMode::read_write, 30000, "backup file");
  sqlite3_backup* b = sqlite3_backup_init(out.handle(), "main", source.handle(), "main");
  if (!b) sql::throw_sqlite(out.handle(), sqlite3_errcode(out.handle()), fmt::format("backup into {}", dest));
  // -1: every page in one step, under one read transaction of the source (a consistent
  // snapshot; writers in WAL mode are not held up by it).
  int rc = sqlite3_backup_step(b, -1);
  int finished = sqlite3_backup_finish(b);
  if (rc != SQLITE_DONE) sql::throw_sqlite(out.handle(), rc, fmt::format("backup of {} into {}", source.path(), dest));
  if (finished != SQLITE_OK) sql::throw_sqlite(out.handle(), finished, fmt::format("backup into {}", dest));
  out.exec("PRAGMA journal_mode=DELETE");
}

void sync_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 || ::fsync(fd) != 0) {
    int err = errno;
    if (fd >= 0) ::close(fd);
    throw Error(ErrorKind::environment, fmt::format("backup {}: cannot write it to disk: {}", path, std::strerror(err)));
  }
  ::close(fd);
}

int run_backup(const std::string& ledger_file, const std::string& out) {
  const i18n::Lang lang = reader_lang();
  if (ledger_file.empty())
    throw_bad_input("no ledger given: set --ledger FILE or AGTRACE_LEDGER");
  namespace fs = std::filesystem;
  fs::path folder = fs::path(out).parent_path();
  const std::string dir = folder.empty() ? "." : folder.string();
  auto cannot_write = [&](const std::string& why) {
    const ::passwd* pw = ::getpwuid(::geteuid());
    throw_bad_input(fmt::format(
        "--out {}: this user ({}) cannot write there ({}); nothing was written: give --out a new file in a folder "
        "this user can write, e.g. run the backup as agtrace-signer into /var/backups/agtrace "
        "(docs/deploy.md \"Backup and restore\")",
        out, pw ? pw->pw_name : std::to_string(::geteuid()), why));
  };
  std::error_code ec;
  auto status = fs::symlink_status(out, ec);
  if (status.type() != fs::file_type::not_found) {
    if (ec) cannot_write(fmt::format("{}: {}", out, ec.message()));
    throw_bad_input(fmt::format("--out {}: the file exists; a backup never replaces a file: give a new name, "
                                "e.g. ledger-$(date +%F-%H%M).db",
                                out));
  }
  auto folder_status = fs::status(dir, ec);
  if (folder_status.type() == fs::file_type::not_found)
    throw_bad_input(fmt::format("--out {}: the folder {} does not exist; create it first (mkdir -p {})", out, dir,
                                dir));
  if (ec) cannot_write(fmt::format("{}: {}", dir, ec.message()));
  if (folder_status.type() != fs::file_type::directory)
    throw_bad_input(fmt::format("--out {}: {} is not a folder; give a file in a folder", out, dir));
  if (::access(dir.c_str(), W_OK | X_OK) != 0) cannot_write(fmt::format("{}: {}", dir, std::strerror(errno)));
  std::string tmp = fmt::format("{}.partial-{}", out, ::getpid());
  auto remove_tmp = [&] {
    std::error_code ec;
    for (const char* suffix : {"", "-journal", "-wal", "-shm"}) fs::remove(tmp + suffix, ec);
  };
  remove_tmp();
  AuditReport report;
  try {
    {
      Ledger source(ledger_file, false);
      copy_pages(source.database(), tmp);
    }
    try {
      report = Ledger(tmp, false).verify(std::nullopt);
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::verification) throw;
      remove_tmp();
      std::cerr << i18n::text(lang, i18n::Msg::backup_failed, ledger_file, i18n::message_in(e, lang)) << "\n";
      return 1;
    }
    sync_file(tmp);
    // link() fails if `out` appeared meanwhile: never replace a file.
    if (::link(tmp.c_str(), out.c_str()) != 0) {
      int err = errno;
      if (err == EEXIST) throw_bad_input(fmt::format("--out {}: the file appeared meanwhile; give a new name", out));
      throw Error(ErrorKind::environment, fmt::format("backup {}: cannot create it: {}", out, std::strerror(err)));
    }
    remove_tmp();
    if (!folder.empty()) sync_file(folder.string());
  } catch (...) {
    remove_tmp();
    throw;
  }
  std::uint64_t awaiting = report.entries - report.latest_checkpoint_size;
  // Counts: the number alone in Chinese (the text says 条), counted in English ("26 entries").
  const bool zh = lang == i18n::Lang::zh;
  auto count = [zh](std::uint64_t n, const char* one, const char* many) {
    return zh ? std::to_string(n) : counted(n, one, many);
  };
  std::cout << i18n::text(lang, i18n::Msg::backup_done, out, count(report.entries, "entry", "entries"),
                          count(report.latest_checkpoint_size, "entry", "entries"),
                          awaiting ? i18n::text(lang, i18n::Msg::backup_awaiting_count, awaiting) : std::string())
            << "\n";
  if (awaiting)
    std::cerr << i18n::text(lang, i18n::Msg::backup_awaiting, count(awaiting, "entry is", "entries are")) << "\n";
  return 0;
}

}  // namespace

Command add_backup_command(CLI::App& app, i18n::Lang help_lang) {
  static std::string out;
  auto* backup = app.add_subcommand("backup", i18n::text(help_lang, i18n::Msg::help_backup));
  backup->add_option("--out", out, i18n::text(help_lang, i18n::Msg::help_backup_out))->required();
  return {backup, [] { return run_backup(ledger_path(), out); }};
}

}  // namespace agtrace::cli
