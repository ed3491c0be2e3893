// The SQLite layer's errors for the person who must act (sqlite.h): a full disk says that
// nothing of the write was recorded and which filesystem to free (docs/deploy.md "Logs,
// monitoring, alerts"). SQLite reports a database that reaches PRAGMA max_page_count exactly
// as a full disk (SQLITE_FULL, "database or disk is full"), which lets the test fill one.
#include "ledger/store/sqlite.h"

#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <string>

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
