// RAII wrappers over the SQLite C API, with result codes mapped to agtrace::Error kinds.
#include "ledger/store/sqlite.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>

#include <filesystem>
#include <stdexcept>
#include <unordered_map>
#include <utility>
#include <vector>

#include "ledger/util/error.h"

namespace agtrace::sql {

// The idle prepared statements of one connection, by SQL text. Owned by the Database; a
// Statement lent from it holds a weak reference, so that one outliving its Database is
// simply finalized.
struct StatementCache {
  std::unordered_map<std::string, std::vector<sqlite3_stmt*>> idle;
  std::size_t count = 0;

  ~StatementCache() {
    for (auto& [sql, stmts] : idle)
      for (sqlite3_stmt* s : stmts) sqlite3_finalize(s);
  }
};

namespace {

// "ledger.db 0640 agtrace:agtrace, ledger.db-shm 0640 agtrace-verifier:agtrace": the
// files a write needs, for a "readonly database" that retrying will not cure.
std::string file_modes(const std::string& path) {
  std::string out;
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::string f = path + suffix;
    struct stat st {};
    if (::stat(f.c_str(), &st) != 0) continue;
    const ::passwd* pw = ::getpwuid(st.st_uid);
    std::string owner = pw ? pw->pw_name : std::to_string(st.st_uid);
    const ::group* gr = ::getgrgid(st.st_gid);
    std::string group = gr ? gr->gr_name : std::to_string(st.st_gid);
    out += fmt::format("{}{} {:04o} {}:{}", out.empty() ? "" : ", ", f, st.st_mode & 07777, owner, group);
  }
  return out;
}

// The mount point of the filesystem holding `file` ("/var" for /var/lib/agtrace/ledger.db
// on a separate /var): the folder to free space on, for a full disk.
std::string mount_point(const std::string& file) {
  std::error_code ec;
  std::filesystem::path dir = std::filesystem::absolute(file, ec).parent_path();
  struct stat st {};
  if (ec || ::stat(dir.c_str(), &st) != 0) return dir.string();
  while (dir.has_relative_path()) {
    struct stat up {};
    if (::stat(dir.parent_path().c_str(), &up) != 0 || up.st_dev != st.st_dev) break;
    dir = dir.parent_path();
  }
  return dir.string();
}

}  // namespace

void throw_sqlite(sqlite3* db, int rc, std::string_view context) {
  std::string detail = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  std::string msg = fmt::format("{}: {}", context, detail);
  const char* file = db ? sqlite3_db_filename(db, "main") : nullptr;
  if ((rc & 0xff) == SQLITE_READONLY && file && *file)
    msg += fmt::format(
        " — this user cannot write {} or its -wal/-shm files ({}); retrying will not help: the ledger "
        "(and the labeler's print journal) and their -wal/-shm must be group-writable (0660) in a setgid "
        "folder of the writers' group; see docs/deploy.md \"Users, groups and file modes\"",
        file, file_modes(file));
  if ((rc & 0xff) == SQLITE_FULL && file && *file)
    msg += fmt::format(
        " — nothing of this write was recorded (SQLite rolled it back); free space on the filesystem mounted "
        "at {} (`df -h {}`) and try again",
        mount_point(file), file);
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      throw Error(ErrorKind::environment, msg + " (the ledger is busy; try again)");
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_NOMEM:
      throw Error(ErrorKind::environment, msg);
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      throw Error(ErrorKind::verification, msg + " (the ledger file is damaged)");
    case SQLITE_CONSTRAINT:
      throw Error(ErrorKind::bad_input, msg);
    default:
      throw std::logic_error(msg);
  }
}

namespace {
// With memory statistics on (SQLite's default build), every sqlite3_malloc and sqlite3_free
// takes one process-wide mutex to count the bytes (SQLITE_CONFIG_MEMSTATUS,
// https://www.sqlite.org/c3ref/c_config_covering_index_scan.html): 7 % of a bulk append's
// writing thread (bench/README.md, issue 17). agtrace never reads those counters
// (sqlite3_status, sqlite3_memory_used). The setting only takes before SQLite initialises;
// later it returns SQLITE_MISUSE and nothing changes, which is harmless.
void configure_sqlite_once() {
  static const bool configured = [] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return true;
  }();
  (void)configured;
}
}  // namespace

Database::Database(const std::string& path, OpenMode mode, int busy_timeout_ms, std::string_view what)
    : path_(path) {
  configure_sqlite_once();
  bool memory = path == ":memory:";
  if (!memory) {
    bool exists = std::filesystem::exists(path);
    if (mode == OpenMode::create && exists)
      throw_bad_input(fmt::format("ledger {} already exists; choose another path", path));
    if (mode != OpenMode::create && !exists)
      throw_bad_input(fmt::format(
          "ledger {} does not exist; create it with `agtrace-ledger init` or set --ledger / "
          "AGTRACE_LEDGER",
          path));
  }
  int flags = SQLITE_OPEN_NOMUTEX;
  if (mode == OpenMode::read_only)
    flags |= SQLITE_OPEN_READONLY;
  else
    flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = fmt::format("cannot open {} {}", what, path);
    sqlite3* db = db_;
    db_ = nullptr;
    try {
      throw_sqlite(db, rc, msg);
    } catch (...) {
      sqlite3_close(db);
      throw;
    }
  }
  sqlite3_busy_timeout(db_, busy_timeout_ms);
  sqlite3_extended_result_codes(db_, 1);
  cache_ = std::make_shared<StatementCache>();
}

Database::~Database() {
  cache_.reset();  // finalizes the idle statements before the connection closes
  sqlite3_close_v2(db_);
}

void Database::exec(std::string_view sql) {
  std::string s(sql);
  char* err = nullptr;
  int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err ? err : "";
    sqlite3_free(err);
    throw_sqlite(db_, rc, fmt::format("{} ({})", path_, msg));
  }
}

Statement Database::prepare(std::string_view sql) {
  std::string text(sql);
  auto it = cache_->idle.find(text);
  if (it != cache_->idle.end() && !it->second.empty()) {
    sqlite3_stmt* stmt = it->second.back();
    it->second.pop_back();
    --cache_->count;
    return Statement(*this, stmt, std::move(text));
  }
  Statement fresh(*this, sql);
  fresh.cache_ = cache_;
  fresh.sql_ = std::move(text);
  return fresh;
}

std::int64_t Database::changes() const { return sqlite3_changes64(db_); }

bool Database::in_transaction() const { return sqlite3_get_autocommit(db_) == 0; }

Statement::Statement(Database& db, std::string_view sql) : db_(&db) {
  int rc = sqlite3_prepare_v3(db.handle(), sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr);
  if (rc != SQLITE_OK) throw_sqlite(db.handle(), rc, fmt::format("prepare `{}`", sql));
}

Statement::Statement(Database& db, sqlite3_stmt* stmt, std::string sql)
    : db_(&db), stmt_(stmt), cache_(db.cache_), sql_(std::move(sql)) {}

Statement::~Statement() {
  if (!stmt_) return;
  if (auto cache = cache_.lock(); cache && cache->count < Database::kCachedStatements) {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    try {
      cache->idle[std::move(sql_)].push_back(stmt_);
      ++cache->count;
      return;
    } catch (const std::bad_alloc&) {
      // Not kept: finalized below.
    }
  }
  sqlite3_finalize(stmt_);
}

Statement::Statement(Statement&& o) noexcept
    : db_(o.db_), stmt_(o.stmt_), cache_(std::move(o.cache_)), sql_(std::move(o.sql_)) {
  o.stmt_ = nullptr;
}

Statement& Statement::bind(int i, std::int64_t v) {
  sqlite3_bind_int64(stmt_, i, v);
  return *this;
}
Statement& Statement::bind(int i, std::string_view v) {
  sqlite3_bind_text64(stmt_, i, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  return *this;
}
Statement& Statement::bind_blob(int i, std::span<const std::uint8_t> v) {
  sqlite3_bind_blob64(stmt_, i, v.data(), v.size(), SQLITE_TRANSIENT);
  return *this;
}
Statement& Statement::bind_null(int i) {
  sqlite3_bind_null(stmt_, i);
  return *this;
}
Statement& Statement::bind(int i, const std::optional<std::string>& v) {
  return v ? bind(i, std::string_view(*v)) : bind_null(i);
}

bool Statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  sqlite3_reset(stmt_);
  throw_sqlite(db_->handle(), rc, db_->path());
}

void Statement::run() {
  while (step()) {
  }
  reset();
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

bool Statement::is_null(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
std::int64_t Statement::column_int(int col) const { return sqlite3_column_int64(stmt_, col); }
std::string Statement::column_text(int col) const {
  auto* p = sqlite3_column_text(stmt_, col);
  return p ? std::string(reinterpret_cast<const char*>(p), sqlite3_column_bytes(stmt_, col)) : "";
}
std::optional<std::string> Statement::column_optional_text(int col) const {
  if (is_null(col)) return std::nullopt;
  return column_text(col);
}
std::span<const std::uint8_t> Statement::column_blob(int col) const {
  auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt_, col));
  return {p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col))};
}

Transaction::Transaction(Database& db, bool write) : db_(db) {
  db_.exec(write ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED");
}

std::string Statement::row_bytes() const {
  std::string row;
  for (int c = 0; c < sqlite3_column_count(stmt_); ++c) {
    int type = sqlite3_column_type(stmt_, c);
    const void* p = type == SQLITE_BLOB ? sqlite3_column_blob(stmt_, c)
                                        : static_cast<const void*>(sqlite3_column_text(stmt_, c));
    int n = sqlite3_column_bytes(stmt_, c);
    row += std::to_string(type) + ":" + std::to_string(n) + ":";
    if (p) row.append(static_cast<const char*>(p), static_cast<std::size_t>(n));
  }
  return row;
}

Transaction::~Transaction() {
  if (!done_) {
    try {
      db_.exec("ROLLBACK");
    } catch (...) {
      // The transaction is gone either way; SQLite rolls back on close.
    }
  }
}

void Transaction::commit() {
  db_.exec("COMMIT");
  done_ = true;
}

}  // namespace agtrace::sql
