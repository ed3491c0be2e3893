// The scans file: counts in memory at once, committed in batches, none lost under
// concurrency, kept across reopen, never mixed with a ledger.
#include <doctest/doctest.h>

#include <atomic>
#include <fstream>
#include <iterator>
#include <set>
#include <thread>

#include "ledger/store/sqlite.h"
#include "ledger/util/error.h"
#include "tests/verifier/fixture.h"
#include "verifier/scans/client_id.h"
#include "verifier/scans/scan_store.h"

using namespace agtrace;
using namespace agtrace::verifier;

namespace {

const ScanClient kClient = {std::nullopt, "", "127.0.0.1", "test"};

ScanClient with_cookie(const std::string& id) { return {id, "", "127.0.0.1", "test"}; }
ScanClient without_cookie(const std::string& address, const std::string& ua, const std::string& issued) {
  return {std::nullopt, issued, address, ua};
}

}  // namespace

TEST_CASE("counts, first and last scan; kept across reopen") {
  test::TempDir dir("scan-store");
  auto path = (dir.path / "scans.db").string();
  {
    ScanStore s(path);
    CHECK(s.peek("A").count == 0);
    auto one = s.record("A", kClient, 1000);
    CHECK(one.count == 1);
    CHECK(one.first_unix_ms == 1000);
    auto two = s.record("A", kClient, 2000);
    CHECK(two.count == 2);
    CHECK(two.first_unix_ms == 1000);
    CHECK(two.last_unix_ms == 2000);
    s.record("B", kClient, 1500);
  }
  ScanStore again(path);
  auto a = again.peek("A");
  CHECK(a.count == 2);
  CHECK(a.first_unix_ms == 1000);
  CHECK(a.last_unix_ms == 2000);
  CHECK(again.record("B", kClient, 3000).count == 2);
}

TEST_CASE("commits in batches at most every interval, without a shutdown") {
  test::TempDir dir("scan-batch");
  auto path = (dir.path / "scans.db").string();
  ScanStore s(path, std::chrono::milliseconds(50));
  for (int i = 0; i < 10; ++i) s.record("C", kClient, 1000 + i);
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
          auto c = s.record("HOT", kClient, 1000 + i);
          s.record("COLD-" + std::to_string(t * 1000 + i), kClient, 1000);
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

TEST_CASE("distinct clients: one cookie is one client wherever it scans from; no cookie: address and user agent") {
  test::TempDir dir("scan-clients");
  auto path = (dir.path / "scans.db").string();
  const std::string alice = new_client_id(), bob = new_client_id(), issued = new_client_id();
  CHECK(alice.size() == 32);
  CHECK(alice != bob);
  {
    ScanStore s(path);
    for (int i = 0; i < 10; ++i) {
      ScanClient c = with_cookie(alice);
      c.address = "10.0.0." + std::to_string(i);  // the same phone on other networks
      CHECK(s.record("A", c, 1000 + i).clients == 1);
    }
    CHECK(s.record("A", with_cookie(bob), 2000).clients == 2);
    // No cookie: known by address and user agent; the cookie issued then names the same client.
    CHECK(s.record("A", without_cookie("10.1.1.1", "WeChat", issued), 3000).clients == 3);
    CHECK(s.record("A", without_cookie("10.1.1.1", "WeChat", new_client_id()), 3001).clients == 3);
    CHECK(s.record("A", with_cookie(issued), 3002).clients == 3);
    CHECK(s.record("A", without_cookie("10.1.1.1", "Safari", new_client_id()), 3003).clients == 4);
    CHECK(s.record("A", without_cookie("10.1.1.2", "WeChat", new_client_id()), 3004).clients == 5);
    // Clients are per code.
    CHECK(s.record("B", with_cookie(alice), 4000).clients == 1);
    CHECK(s.peek("A").count == 16);
  }
  ScanStore again(path);
  CHECK(again.peek("A").clients == 5);
  CHECK(again.record("A", with_cookie(issued), 5000).clients == 5);
  CHECK(again.record("A", without_cookie("10.1.1.1", "WeChat", new_client_id()), 5001).clients == 5);
  CHECK(again.record("B", with_cookie(bob), 5002).clients == 2);
}

TEST_CASE("the scans file keeps keyed hashes of clients, never a cookie id, address or user agent") {
  test::TempDir dir("scan-private");
  auto path = (dir.path / "scans.db").string();
  const std::string id = new_client_id();
  {
    ScanStore s(path);
    s.record("A", with_cookie(id), 1000);
    s.record("A", without_cookie("203.0.113.77", "MicroMessenger/8.0", new_client_id()), 1001);
  }
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(bytes.find(id) == std::string::npos);
  CHECK(bytes.find("203.0.113.77") == std::string::npos);
  CHECK(bytes.find("MicroMessenger") == std::string::npos);
  sql::Database db(path, sql::OpenMode::read_only);
  auto q = db.prepare("SELECT count(*), min(length(client)), count(DISTINCT grp) FROM scan_clients WHERE serial = 'A'");
  REQUIRE(q.step());
  CHECK(q.column_int(0) == 3);  // the cookie, the address + user agent, and the cookie issued with it
  CHECK(q.column_int(1) == 16);
  CHECK(q.column_int(2) == 2);
  // The secret is the installation's own: another scans file keys the same cookie differently.
  auto other = (dir.path / "other.db").string();
  { ScanStore s(other); s.record("A", with_cookie(id), 1000); }
  sql::Database db2(other, sql::OpenMode::read_only);
  auto k1 = db.prepare("SELECT client FROM scan_clients WHERE serial = 'A' ORDER BY first_ms LIMIT 1");
  auto k2 = db2.prepare("SELECT client FROM scan_clients WHERE serial = 'A'");
  REQUIRE(k1.step());
  REQUIRE(k2.step());
  auto a = k1.column_blob(0), b = k2.column_blob(0);
  CHECK(std::string(a.begin(), a.end()) != std::string(b.begin(), b.end()));
}

TEST_CASE("a scans file from before distinct clients opens, keeps its counts and starts telling clients apart") {
  test::TempDir dir("scan-upgrade");
  auto path = (dir.path / "scans.db").string();
  {
    // The file as earlier versions wrote it.
    sql::Database db(path, sql::OpenMode::create);
    db.exec("PRAGMA application_id = 1634169699;"
            "CREATE TABLE scans (serial TEXT PRIMARY KEY, count INTEGER NOT NULL, first_ms INTEGER NOT NULL,"
            " last_ms INTEGER NOT NULL) WITHOUT ROWID;"
            "INSERT INTO scans VALUES ('OLD', 7, 1000, 2000);");
  }
  {
    ScanStore s(path);
    auto old = s.peek("OLD");
    CHECK(old.count == 7);
    CHECK(old.clients == 0);  // not attributed to anyone
    auto next = s.record("OLD", with_cookie(new_client_id()), 3000);
    CHECK(next.count == 8);
    CHECK(next.clients == 1);
    CHECK(next.first_unix_ms == 1000);
  }
  ScanStore again(path);
  CHECK(again.peek("OLD").count == 8);
  CHECK(again.peek("OLD").clients == 1);
}

TEST_CASE("the client cookie: parsed only when well-formed; set HttpOnly, SameSite=Lax, Secure over https") {
  const std::string id = "0123456789abcdef0123456789abcdef";
  CHECK(client_cookie("agtrace_client=" + id) == id);
  CHECK(client_cookie("a=1; agtrace_client=" + id + "; b=2") == id);
  CHECK(client_cookie("agtrace_client=\"" + id + "\"") == id);
  CHECK(!client_cookie("").has_value());
  CHECK(!client_cookie("xagtrace_client=" + id).has_value());
  CHECK(!client_cookie("agtrace_client=" + id.substr(1)).has_value());
  CHECK(!client_cookie("agtrace_client=0123456789ABCDEF0123456789ABCDEF").has_value());
  CHECK(!client_cookie("agtrace_client=<script>alert(1)</script>").has_value());
  // A bad one first, a good one later: the good one counts.
  CHECK(client_cookie("agtrace_client=bad; agtrace_client=" + id) == id);
  CHECK(client_cookie_header(id, false) ==
        "agtrace_client=" + id + "; Path=/; Max-Age=63072000; HttpOnly; SameSite=Lax");
  CHECK(client_cookie_header(id, true).ends_with("; SameSite=Lax; Secure"));
  auto fresh = scan_client("", "10.0.0.1", "ua");
  CHECK(!fresh.cookie);
  CHECK(client_cookie("agtrace_client=" + fresh.issued) == fresh.issued);
  auto back = scan_client("agtrace_client=" + id, "10.0.0.1", "ua");
  CHECK(back.cookie == id);
  CHECK(back.issued.empty());
}
