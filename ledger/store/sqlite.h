// A thin RAII layer over the SQLite C API: the only header that includes sqlite3.h.
//
// Errors map to agtrace::Error kinds by what the caller does next: SQLITE_BUSY,
// SQLITE_LOCKED, SQLITE_FULL, SQLITE_IOERR, SQLITE_CANTOPEN, SQLITE_READONLY →
// environment (exit 3, try again); SQLITE_CORRUPT, SQLITE_NOTADB → verification
// (exit 1, alert a human); SQLITE_CONSTRAINT → bad_input; anything else is a bug
// (std::logic_error). A Database is used by one thread at a time. A "readonly database"
// message names the files' modes and owners; a full disk (SQLITE_FULL) says nothing of the
// write was recorded and names the filesystem to free.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace agtrace::sql {

enum class OpenMode { read_only, read_write, create };

class Statement;
struct StatementCache;

class Database {
 public:
  // Opens `path` (":memory:" for a private in-memory database). `create` fails with
  // bad_input if the file exists; the others fail with bad_input if it does not.
  // Sets a busy timeout of `busy_timeout_ms` milliseconds. `what` names the file in a
  // failure to open it ("cannot open ledger FILE", "cannot open scans file FILE").
  Database(const std::string& path, OpenMode mode, int busy_timeout_ms = 30000, std::string_view what = "ledger");
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Runs one or more statements without results.
  void exec(std::string_view sql);
  // A statement for `sql`. Prepared statements are kept per connection: when a Statement
  // is destroyed it is reset (bindings cleared, read lock released) and kept for the next
  // prepare() of the same text, so a query run once per request or per entry is compiled
  // once per connection, not each time. Statements of the same text in use at once are
  // distinct. At most kCachedStatements idle statements are kept; the rest are finalized.
  Statement prepare(std::string_view sql);
  static constexpr std::size_t kCachedStatements = 256;
  std::int64_t changes() const;
  // True while a transaction (BEGIN … COMMIT) is open on this connection.
  bool in_transaction() const;
  sqlite3* handle() { return db_; }
  const std::string& path() const { return path_; }

 private:
  friend class Statement;
  sqlite3* db_ = nullptr;
  std::string path_;
  std::shared_ptr<StatementCache> cache_;  // shared with the Statements it lent
};

// A prepared statement. bind() indices are 1-based; column() indices are 0-based.
class Statement {
 public:
  Statement(Database& db, std::string_view sql);
  ~Statement();
  Statement(Statement&& o) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int i, std::int64_t v);
  Statement& bind(int i, std::string_view v);                // as TEXT
  Statement& bind(int i, const std::string& v) { return bind(i, std::string_view(v)); }
  Statement& bind(int i, const char* v) { return bind(i, std::string_view(v)); }
  Statement& bind_blob(int i, std::span<const std::uint8_t> v);
  Statement& bind_null(int i);
  Statement& bind(int i, const std::optional<std::string>& v);
  // Steps once: true if a row is available, false when done.
  bool step();
  // Steps until done (for INSERT/UPDATE), then resets for reuse.
  void run();
  void reset();

  bool is_null(int col) const;
  std::int64_t column_int(int col) const;
  std::string column_text(int col) const;
  std::optional<std::string> column_optional_text(int col) const;
  std::span<const std::uint8_t> column_blob(int col) const;
  // The current row as comparable bytes: each column's storage class and raw value.
  std::string row_bytes() const;

 private:
  friend class Database;
  Statement(Database& db, sqlite3_stmt* stmt, std::string sql);

  Database* db_;
  sqlite3_stmt* stmt_ = nullptr;
  // Where the statement goes back when destroyed (empty: finalized), and its text.
  std::weak_ptr<StatementCache> cache_;
  std::string sql_;
};

// BEGIN IMMEDIATE … COMMIT (a write transaction: one writer at a time), rolled back on
// destruction unless committed. Transaction::read() begins a deferred (read) transaction
// instead: one consistent snapshot, usable on a read-only connection.
class Transaction {
 public:
  explicit Transaction(Database& db, bool write = true);
  static Transaction read(Database& db) { return Transaction(db, false); }
  // A read transaction for one consistent snapshot (and one file lock instead of one per
  // statement), unless a transaction is open on `db` already: then that one gives it, and
  // this returns nothing.
  static std::optional<Transaction> snapshot(Database& db) {
    if (db.in_transaction()) return std::nullopt;
    return Transaction(db, false);
  }
  Transaction(Transaction&& o) noexcept : db_(o.db_), done_(o.done_) { o.done_ = true; }
  ~Transaction();
  void commit();

 private:
  Database& db_;
  bool done_ = false;
};

// Throws the agtrace::Error for SQLite result `rc` (see the header comment).
[[noreturn]] void throw_sqlite(sqlite3* db, int rc, std::string_view context);

}  // namespace agtrace::sql
