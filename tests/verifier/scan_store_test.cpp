// The scans file: counts in memory at once, committed in batches, none lost under
// concurrency, kept across reopen, never mixed with a ledger.
#include <doctest/doctest.h>

#include <atomic>
#include <set>
#include <thread>

#include "ledger/store/sqlite.h"
#include "ledger/util/error.h"
#include "tests/verifier/fixture.h"
#include "verifier/scans/scan_store.h"

using namespace agtrace;
using namespace agtrace::verifier;

TEST_CASE("counts, first and last scan; kept across reopen") {
  test::TempDir dir("scan-store");
  auto path = (dir.path / "scans.db").string();
  {
    ScanStore s(path);
    CHECK(s.peek("A").count == 0);
    auto one = s.record("A", 1000);
    CHECK(one.count == 1);
    CHECK(one.first_unix_ms == 1000);
    auto two = s.record("A", 2000);
    CHECK(two.count == 2);
    CHECK(two.first_unix_ms == 1000);
    CHECK(two.last_unix_ms == 2000);
    s.record("B", 1500);
  }
  ScanStore again(path);
  auto a = again.peek("A");
  CHECK(a.count == 2);
  CHECK(a.first_unix_ms == 1000);
  CHECK(a.last_unix_ms == 2000);
  CHECK(again.record("B", 3000).count == 2);
}

TEST_CASE("commits in batches at most every interval, without a shutdown") {
  test::TempDir dir("scan-batch");
  auto path = (dir.path / "scans.db").string();
  ScanStore s(path, std::chrono::milliseconds(50));
  for (int i = 0; i < 10; ++i) s.record("C", 1000 + i);
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  sql::Database db(path, sql::OpenMode::read_only);
  auto q = db.prepare("SELECT count FROM scans WHERE serial = 'C'");
  REQUIRE(q.step());
  CHECK(q.column_int(0) == 10);
}

TEST_CASE("concurrent scans of one code: each sees its own number, none lost, even while evicting") {
  test::TempDir dir("scan-concurrent");
  auto path = (dir.path / "scans.db").string();
  {
    ScanStore s(path, std::chrono::milliseconds(1), 4);  // tiny cache: eviction runs all the time
    std::vector<std::thread> threads;
    std::mutex mu;
    std::set<std::uint64_t> seen;
    for (int t = 0; t < 8; ++t)
      threads.emplace_back([&, t] {
        for (int i = 0; i < 250; ++i) {
          auto c = s.record("HOT", 1000 + i);
          s.record("COLD-" + std::to_string(t * 1000 + i), 1000);
          std::lock_guard lock(mu);
          seen.insert(c.count);
        }
      });
    for (auto& th : threads) th.join();
    CHECK(seen.size() == 2000);
    CHECK(*seen.rbegin() == 2000);
    CHECK(s.peek("HOT").count == 2000);
  }
  ScanStore again(path);
  CHECK(again.peek("HOT").count == 2000);
  CHECK(again.peek("COLD-7249").count == 1);
}

TEST_CASE("a file that is not a scans file (the ledger) is refused and left alone") {
  test::TempDir dir("scan-refuse");
  auto path = (dir.path / "other.db").string();
  {
    sql::Database db(path, sql::OpenMode::create);
    db.exec("CREATE TABLE entries (idx INTEGER PRIMARY KEY)");
  }
  CHECK_THROWS_AS(ScanStore s(path), agtrace::Error);
}

TEST_CASE("a scans file that cannot be opened is named as the scans file, not the ledger") {
  test::TempDir dir("scan-missing");
  auto path = (dir.path / "no-such-folder" / "s.db").string();
  try {
    ScanStore s(path);
    FAIL("opened");
  } catch (const agtrace::Error& e) {
    CHECK(std::string(e.what()).find("cannot open scans file " + path) != std::string::npos);
    CHECK(std::string(e.what()).find("ledger") == std::string::npos);
  }
}
