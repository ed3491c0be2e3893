// The SQLite layer's errors for the person who must act (sqlite.h): a full disk says that
// nothing of the write was recorded and which filesystem to free (docs/deploy.md "Logs,
// monitoring, alerts"). SQLite reports a database that reaches PRAGMA max_page_count exactly
// as a full disk (SQLITE_FULL, "database or disk is full"), which lets the test fill one.
#include "ledger/store/sqlite.h"

#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <optional>
#include <string>
#include <utility>

#include "ledger/util/error.h"

using namespace agtrace;

TEST_CASE("a full disk: environment error, nothing recorded, the filesystem to free") {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("agtrace-sqlite-full-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::string path = (dir / "full.db").string();
  std::string message;
  {
    sql::Database db(path, sql::OpenMode::create, 1000, "test file");
    db.exec("PRAGMA journal_mode=WAL; CREATE TABLE t (b BLOB); INSERT INTO t VALUES (x'01');");
    db.exec("PRAGMA max_page_count = 8");
    try {
      sql::Transaction tx(db);
      db.prepare("INSERT INTO t VALUES (zeroblob(1000000))").run();
      tx.commit();
      FAIL("an insert past max_page_count succeeded: the test proves nothing");
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::environment);
      message = e.what();
    }
    auto count = db.prepare("SELECT count(*) FROM t");
    REQUIRE(count.step());
    CHECK(count.column_int(0) == 1);  // the failed write left nothing behind
  }
  INFO(message);
  CHECK(message.find("database or disk is full") != std::string::npos);
  CHECK(message.find("nothing of this write was recorded") != std::string::npos);
  CHECK(message.find("`df -h " + path + "`") != std::string::npos);
  // The folder named is where the file's filesystem is mounted: a folder above the file on
  // its device, whose own parent is on another device (or it is "/").
  auto at = message.find("mounted at ");
  REQUIRE(at != std::string::npos);
  std::string mount = message.substr(at + 11, message.find(' ', at + 11) - (at + 11));
  CHECK(path.rfind(mount, 0) == 0);
  struct stat file_st {}, mount_st {}, above_st {};
  REQUIRE(::stat(path.c_str(), &file_st) == 0);
  REQUIRE(::stat(mount.c_str(), &mount_st) == 0);
  CHECK(mount_st.st_dev == file_st.st_dev);
  if (mount != "/") {
    REQUIRE(::stat(fs::path(mount).parent_path().c_str(), &above_st) == 0);
    CHECK(above_st.st_dev != mount_st.st_dev);
  }
  fs::remove_all(dir);
}

// Database::prepare keeps prepared statements per connection (sqlite.h): what a reused one
// does must be exactly what a fresh one does.
TEST_CASE("a kept statement: fresh bindings, from the first row, its read lock released") {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("agtrace-sqlite-cache-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::string path = (dir / "cache.db").string();
  {
    sql::Database db(path, sql::OpenMode::create, 0, "test file");
    // A rollback journal, not WAL: a reader's SHARED lock then blocks another connection's commit.
    db.exec("CREATE TABLE t (k INTEGER, v TEXT); INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, 'c');");
    const char* select = "SELECT v FROM t WHERE k >= ? ORDER BY k";
    {
      auto s = db.prepare(select);
      s.bind(1, std::int64_t{2});
      REQUIRE(s.step());
      CHECK(s.column_text(0) == "b");  // left in the middle of its rows, holding a read lock
    }
    {
      sql::Database writer(path, sql::OpenMode::read_write, 0, "test file");
      writer.exec("INSERT INTO t VALUES (0, 'z')");  // SQLITE_BUSY if the kept statement still read
    }
    auto again = db.prepare(select);
    again.bind(1, std::int64_t{0});
    REQUIRE(again.step());
    CHECK(again.column_text(0) == "z");  // the first row of the new snapshot, not the old position
    // The same text in use twice at once: two statements, each with its own bindings and rows.
    auto other = db.prepare(select);
    other.bind(1, std::int64_t{3});
    REQUIRE(other.step());
    CHECK(other.column_text(0) == "c");
    REQUIRE(again.step());
    CHECK(again.column_text(0) == "a");
    // Unbound parameters are NULL in a kept statement, as in a fresh one: nothing matches.
    { auto done = std::move(other); }
    auto unbound = db.prepare(select);
    CHECK_FALSE(unbound.step());
  }
  // A statement may outlive its connection's Database object: it is finalized, not kept.
  std::optional<sql::Statement> outliving;
  {
    sql::Database db(path, sql::OpenMode::read_only, 0, "test file");
    outliving.emplace(db.prepare("SELECT count(*) FROM t"));
    REQUIRE(outliving->step());
    CHECK(outliving->column_int(0) == 4);
  }
  outliving.reset();
  fs::remove_all(dir);
}
