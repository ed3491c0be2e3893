// DESIGN §5 "Trust" (issue 12): the verifier answers only from a state it replayed and
// checked itself, pins the log's key, remembers the checkpoint it verified, and fails
// closed. Each case drives the real agtrace-verifier against copies of a season's ledger
// that an attacker with write access (and no key) has changed. Slow: labelled `tamper`.
#include <doctest/doctest.h>
#include <fmt/format.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <thread>

#include <nlohmann/json.hpp>

#include "ledger/ledger.h"
#include "ledger/note/checkpoint.h"
#include "ledger/store/sqlite.h"
#include "tests/verifier/fixture.h"

using namespace agtrace;
using namespace agtrace::test;
namespace fs = std::filesystem;

namespace {

// One request whose answer a consumer or a shop relies on.
struct Probe {
  std::string name, target;
  RequestOptions options;
};

// Scan pages (zh) and JSON answers for a genuine, a recalled and a voided code, and the
// lot API for their lots. The page is fetched as a link-preview bot so that it is not
// counted (scan counts are not what these tests are about).
std::vector<Probe> probes(const LuchengLedger& l) {
  std::vector<Probe> out;
  const std::pair<const char*, std::string> codes[] = {
      {"genuine", l.codes[0]}, {"recalled", l.recalled_code}, {"voided", l.voided_code}};
  for (const auto& [kind, code] : codes) {
    RequestOptions page;
    page.headers = {{"Accept-Language", "zh-CN,zh"}, {"User-Agent", "facebookexternalhit/1.1 (trust test)"}};
    out.push_back({fmt::format("{} code, scan page", kind), "/t/" + code, page});
    RequestOptions json;
    json.headers = {{"Accept", "application/json"}};
    out.push_back({fmt::format("{} code, JSON", kind), "/t/" + code, json});
    out.push_back({fmt::format("{} code, API", kind), "/api/v1/codes/" + code, {}});
  }
  out.push_back({"packed lot, API", "/api/v1/lots/LC22-K-0001", {}});
  out.push_back({"recalled packed lot, API", "/api/v1/lots/LC22-K-R1", {}});
  out.push_back({"recalled harvest lot, API", "/api/v1/lots/LC22-AN01-H2", {}});
  return out;
}

bool is_json(const HttpResponse& r) { return r.header("content-type").find("json") != std::string::npos; }

// The answer without its scan counts.
std::string normalised(const HttpResponse& r) {
  std::string body = r.body;
  if (is_json(r)) {
    auto j = nlohmann::json::parse(body, nullptr, false);
    if (j.is_object()) j.erase("scans");
    body = j.dump();
  } else if (auto a = body.find("<section id=\"scan\""); a != std::string::npos) {
    auto b = body.find("</section>", a);
    if (b != std::string::npos) body.replace(a, b - a, "<scan-count/>");
  }
  return fmt::format("{}\n{}", r.status, body);
}

// The documented refusal (docs/scan-page.md): 503, and no fact of any code.
bool refused(const HttpResponse& r) {
  if (r.status != 503 || r.header("retry-after").empty()) return false;
  if (is_json(r)) {
    auto j = nlohmann::json::parse(r.body, nullptr, false);
    return j.is_object() && j.value("error", "") == "unverifiable";
  }
  return r.body.find("暂时无法核验，请稍后再试") != std::string::npos && r.body.find("LC22") == std::string::npos;
}

std::map<std::string, std::string> answers(const VerifierProcess& v, const std::vector<Probe>& ps) {
  std::map<std::string, std::string> out;
  for (const auto& p : ps) out[p.name] = normalised(http_request(v.port(), p.target, p.options));
  return out;
}

// Waits until the start-up replay has finished, verified or refused.
void wait_settled(const VerifierProcess& v) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    auto h = http_request(v.port(), "/healthz");
    if (h.status == 200 || h.body.rfind("unverifiable", 0) == 0) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  FAIL("the verifier neither verified nor refused the ledger within 60 s");
}

void copy_ledger(const fs::path& from, const fs::path& to) {
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(to.string() + suffix);
  fs::copy_file(from, to);
  if (fs::exists(from.string() + "-wal")) fs::copy_file(from.string() + "-wal", to.string() + "-wal");
}

// Puts a copy of `from` in place of `to` by rename (a new inode), as a restore would.
void replace_ledger(const fs::path& from, const fs::path& to) {
  fs::path tmp = to.string() + ".incoming";
  fs::copy_file(from, tmp, fs::copy_options::overwrite_existing);
  fs::rename(tmp, to);
}

void exec_sql(const fs::path& ledger, const std::string& sql) {
  sql::Database db(ledger.string(), sql::OpenMode::read_write);
  db.exec(sql);
}

std::string quoted_list(const std::vector<std::string>& names, const std::function<std::string(const std::string&)>& f,
                        const char* sep) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : sep) + f(n);
  return out;
}

// SQL that changes a value whatever its type.
std::string changed(const std::string& c) {
  return fmt::format(
      "CASE typeof(\"{0}\") WHEN 'integer' THEN \"{0}\" + 1000003 WHEN 'text' THEN \"{0}\" || '~' WHEN 'blob' THEN "
      "randomblob(length(\"{0}\")) ELSE 'tampered' END",
      c);
}

struct Tamper {
  std::string table, name, sql;
};

// For every table of the ledger file but entries and checkpoints (from sqlite_master, so
// that a new table is covered): change the first and the last column of its middle row,
// delete that row, insert a copy of it with every value changed — its triggers dropped
// first. Plus the attack that found issue 12: the lineage row between the recalled harvest
// lot and its packed lot deleted.
std::vector<Tamper> tampers(const fs::path& ledger) {
  sql::Database db(ledger.string(), sql::OpenMode::read_only);
  std::vector<Tamper> out;
  auto tables = db.prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('entries', 'checkpoints') "
      "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name");
  while (tables.step()) {
    std::string t = tables.column_text(0);
    std::string drop;
    auto triggers = db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?");
    triggers.bind(1, t);
    while (triggers.step()) drop += fmt::format("DROP TRIGGER \"{}\";", triggers.column_text(0));
    std::vector<std::string> cols, types;
    auto info = db.prepare(fmt::format("PRAGMA table_info(\"{}\")", t));
    while (info.step()) {
      cols.push_back(info.column_text(1));
      types.push_back(info.column_text(2));
    }
    auto count = db.prepare(fmt::format("SELECT count(*) FROM \"{}\"", t));
    count.step();
    const std::int64_t rows = count.column_int(0);
    std::string order = quoted_list(cols, [](const std::string& c) { return "\"" + c + "\""; }, ", ");
    if (rows == 0) {  // nothing to change or delete: insert a made-up row
      std::string values;
      for (const auto& type : types)
        values += (values.empty() ? "" : ", ") + std::string(type == "INTEGER" ? "1" : "'LC22-K-R1'");
      out.push_back({t, fmt::format("{}: insert one row (the table was empty)", t),
                     fmt::format("{} INSERT INTO \"{}\" ({}) VALUES ({})", drop, t, order, values)});
      continue;
    }
    // The middle row, named by its values (quote() gives SQL literals; IS matches NULLs).
    auto row = db.prepare(fmt::format("SELECT {} FROM \"{}\" ORDER BY {} LIMIT 1 OFFSET {}",
                                      quoted_list(cols, [](const std::string& c) { return "quote(\"" + c + "\")"; }, ", "),
                                      t, order, rows / 2));
    REQUIRE(row.step());
    std::string where;
    for (std::size_t i = 0; i < cols.size(); ++i)
      where += fmt::format("{}\"{}\" IS {}", i ? " AND " : "", cols[i], row.column_text(static_cast<int>(i)));
    for (const std::string& c : {cols.front(), cols.back()})
      out.push_back({t, fmt::format("{}: change {} of one row", t, c),
                     fmt::format("{} UPDATE \"{}\" SET \"{}\" = {} WHERE {}", drop, t, c, changed(c), where)});
    out.push_back({t, fmt::format("{}: delete one row", t), fmt::format("{} DELETE FROM \"{}\" WHERE {}", drop, t, where)});
    out.push_back({t, fmt::format("{}: insert one row", t),
                   fmt::format("{} INSERT INTO \"{}\" ({}) SELECT {} FROM \"{}\" WHERE {}", drop, t, order,
                               quoted_list(cols, changed, ", "), t, where)});
  }
  out.push_back({"lineage", "lineage: delete the row from the recalled harvest lot to its packed lot",
                 "DELETE FROM lineage WHERE parent = 'LC22-AN01-H2' AND child = 'LC22-K-R1'"});
  return out;
}

struct World {
  TempDir dir{"verifier-trust"};
  LuchengLedger ledger;
  World() {
    fs::create_directories(dir.path / "pristine");
    ledger = build_lucheng_ledger(dir.path / "pristine", 4);
    add_recalled_lot(ledger);
  }
};

int run_verifier_command(const std::vector<std::string>& args) {
  pid_t pid = fork();
  if (pid == 0) {
    std::vector<std::string> a = {std::string(AGTRACE_BINARY_DIR) + "/verifier/agtrace-verifier"};
    a.insert(a.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& s : a) argv.push_back(s.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Flips the case of one ASCII letter in the middle of entry `idx`'s bytes.
void change_one_byte(const fs::path& ledger, int idx) {
  sql::Database db(ledger.string(), sql::OpenMode::read_write);
  auto s = db.prepare("SELECT entry FROM entries WHERE idx = ?");
  s.bind(1, idx);
  REQUIRE(s.step());
  auto blob = s.column_blob(0);
  std::string bytes(reinterpret_cast<const char*>(blob.data()), blob.size());
  std::size_t i = bytes.size() / 2;
  while (i < bytes.size() && !std::isalpha(static_cast<unsigned char>(bytes[i]))) ++i;
  REQUIRE(i < bytes.size());
  bytes[i] ^= 0x20;
  db.exec("DROP TRIGGER entries_no_update");
  db.prepare("UPDATE entries SET entry = ? WHERE idx = ?").bind_blob(1, as_bytes(bytes)).bind(2, idx).run();
}

// Waits (at most 10 s) until /healthz refuses with a reason that holds `why`.
bool wait_refusal(const VerifierProcess& v, const std::string& why) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    auto h = http_request(v.port(), "/healthz");
    if (h.status == 503 && h.body.find(why) != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

// A single-file copy of `ledger` as it is now (no -wal beside it), for replace_ledger.
void snapshot(const fs::path& ledger, const fs::path& to) {
  fs::remove(to);
  sql::Database db(ledger.string(), sql::OpenMode::read_only);
  db.prepare("VACUUM INTO ?").bind(1, to.string()).run();
}

// As an attacker does: the stale -wal and -shm removed, then `from` renamed into place.
void swap_in(const fs::path& from, const fs::path& to) {
  for (const char* suffix : {"-wal", "-shm"}) fs::remove(to.string() + suffix);
  replace_ledger(from, to);
}

std::int64_t latest_checkpoint(const fs::path& ledger) {
  sql::Database db(ledger.string(), sql::OpenMode::read_only);
  auto s = db.prepare("SELECT max(size) FROM checkpoints");
  REQUIRE(s.step());
  return s.column_int(0);
}

// A folder `name` of w's directory holding a copy of w's ledger file, and the ledger
// description pointing at that copy (same keys).
std::pair<fs::path, LuchengLedger> work_copy(const World& w, const std::string& name) {
  fs::path dir = w.dir.path / name;
  fs::create_directories(dir);
  LuchengLedger work = w.ledger;
  work.ledger_path = dir / "ledger.db";
  copy_ledger(w.ledger.ledger_path, work.ledger_path);
  return {dir, work};
}

// The clerk voids `serial` of LC22-K-0001 in `l`'s ledger file; no checkpoint is signed.
void void_code(const LuchengLedger& l, const std::string& serial, const std::string& reason) {
  Ledger ledger(l.ledger_path.string(), true);
  LabelJob job;
  job.type = "labels_voided";
  job.lot = "LC22-K-0001";
  job.serials = {serial};
  job.party = "CH";
  job.location = "140406-CH-PH01";
  job.reason = reason;
  ledger.record_label_job(job, note::SigningKey::load(l.clerk_key_path));
}

void check_refuses(const VerifierProcess& v, const LuchengLedger& l, const std::string& why) {
  auto h = http_request(v.port(), "/healthz");
  CHECK(h.status != 200);
  CHECK_MESSAGE(h.body.find(why) != std::string::npos, h.body);
  for (const auto& p : probes(l)) {
    auto r = http_request(v.port(), p.target, p.options);
    CHECK_MESSAGE(refused(r), p.name, ": ", r.status, " ", r.body.substr(0, 300));
  }
  auto m = http_request(v.port(), "/metrics");
  CHECK(m.body.find("agtrace_verifier_verified 0") != std::string::npos);
  CHECK(refused(http_request(v.port(), "/checkpoint")));
}

// A verifier started on `work`, whose ledger path holds something that is not a ledger:
// it refuses (/healthz naming `why`, every probe naming `probe_why`), and once the real
// ledger is put there it serves it.
void refused_then_served(const World& w, const LuchengLedger& work, const fs::path& work_dir, const std::string& why,
                         const std::string& probe_why) {
  VerifierProcess v(work, work_dir / "scans.db", {}, false);
  REQUIRE(wait_refusal(v, why));
  check_refuses(v, w.ledger, probe_why);
  snapshot(w.ledger.ledger_path, work_dir / "real.db");
  swap_in(work_dir / "real.db", work.ledger_path);
  REQUIRE(v.wait_health(200, 10000));
  CHECK(http_request(v.port(), "/t/" + w.ledger.codes[0]).status == 200);
}

}  // namespace

TEST_CASE("no change to a table of the ledger file but entries and checkpoints changes what a consumer sees") {
  World w;
  const auto ps = probes(w.ledger);
  fs::path work_dir = w.dir.path / "work";
  fs::create_directories(work_dir);
  LuchengLedger work = w.ledger;
  work.ledger_path = work_dir / "ledger.db";

  std::map<std::string, std::string> baseline;
  {
    copy_ledger(w.ledger.ledger_path, work.ledger_path);
    VerifierProcess v(work, work_dir / "baseline.scans");
    baseline = answers(v, ps);
  }
  // The baseline says what the tampering must not change: a genuine code with its origin,
  // a recalled code with its banner, a voided code not found.
  REQUIRE(baseline.at("genuine code, scan page").rfind("200\n", 0) == 0);
  CHECK(baseline.at("genuine code, scan page").find("熬脑村1号地块") != std::string::npos);
  REQUIRE(baseline.at("recalled code, scan page").rfind("200\n", 0) == 0);
  CHECK(baseline.at("recalled code, scan page").find("召回") != std::string::npos);
  CHECK(baseline.at("voided code, scan page").rfind("404\n", 0) == 0);

  int n = 0, identical = 0, refusals = 0;
  for (const auto& t : tampers(w.ledger.ledger_path)) {
    CAPTURE(t.name);
    copy_ledger(w.ledger.ledger_path, work.ledger_path);
    fs::path scans = work_dir / fmt::format("scans-{}", n++);
    // The codes tables hold serials that signed job entries commit to; every other table is
    // derived from the entries, and the verifier never reads it.
    const bool primary = t.table == "codes" || t.table == "code_events";
    auto judge = [&](const VerifierProcess& v, const char* when) {
      for (const auto& p : ps) {
        auto r = http_request(v.port(), p.target, p.options);
        bool same = normalised(r) == baseline.at(p.name);
        CHECK_MESSAGE((same || refused(r)), when, ", ", p.name, ": ", r.status, " ", r.body.substr(0, 400));
        if (!primary) CHECK_MESSAGE(same, when, ", ", p.name, ": ", r.status, " ", r.body.substr(0, 400));
        same ? ++identical : ++refusals;
      }
    };
    {
      VerifierProcess v(work, scans);
      exec_sql(work.ledger_path, t.sql);
      std::this_thread::sleep_for(std::chrono::milliseconds(300));  // a few polls of the follower
      judge(v, "while running");
    }
    {
      VerifierProcess v(work, scans, {}, false);
      wait_settled(v);
      judge(v, "after a restart");
    }
  }
  MESSAGE(n, " tampers: ", identical, " identical answers, ", refusals, " refusals (503)");
  CHECK(n >= 4 * 12);
}

TEST_CASE("a changed byte in an entry is refused, before start and while running") {
  World w;
  auto [work_dir, work] = work_copy(w, "byte");

  SUBCASE("before the verifier starts") {
    change_one_byte(work.ledger_path, 5);
    VerifierProcess v(work, work_dir / "before.scans", {}, false);
    wait_settled(v);
    check_refuses(v, w.ledger, "entry 5");
  }
  SUBCASE("the last entry, while it runs") {
    VerifierProcess v(work, work_dir / "last.scans");
    sql::Database db(work.ledger_path.string(), sql::OpenMode::read_only);
    auto last = db.prepare("SELECT max(idx) FROM entries");
    REQUIRE(last.step());
    const int idx = static_cast<int>(last.column_int(0));
    change_one_byte(work.ledger_path, idx);
    REQUIRE(wait_refusal(v, fmt::format("entry {}", idx)));
    check_refuses(v, w.ledger, fmt::format("entry {}", idx));
  }
  SUBCASE("an old entry, found by the periodic re-comparison") {
    VerifierProcess v(work, work_dir / "old.scans", {"--recheck-interval", "1"});
    change_one_byte(work.ledger_path, 3);
    REQUIRE(wait_refusal(v, "entry 3"));
    check_refuses(v, w.ledger, "entry 3");
  }
}

TEST_CASE("a ledger signed by another log key, or rolled back, is refused until re-pinned") {
  World w;
  auto [work_dir, work] = work_copy(w, "pin");
  // An older copy of the real ledger, then more entries and a checkpoint.
  fs::path older = work_dir / "older.db";
  copy_ledger(w.ledger.ledger_path, older);
  append_events(work,
                R"({"type":"party","event_id":"MD-P-008","event_time":"2022-10-11T09:00:00+08:00","party_id":"SHOP2","name":"潞城示例水果店","role":"buyer"})",
                true);
  // The same season, signed by a log key of its own.
  fs::create_directories(w.dir.path / "rebuilt");
  LuchengLedger rebuilt = build_lucheng_ledger(w.dir.path / "rebuilt", 4);
  const fs::path scans = work_dir / "scans.db";

  VerifierProcess v(work, scans);
  const std::string genuine = "/t/" + w.ledger.codes[0];
  REQUIRE(http_request(v.port(), genuine).status == 200);

  replace_ledger(rebuilt.ledger_path, work.ledger_path);
  REQUIRE(wait_refusal(v, "not one of the pinned log keys"));
  check_refuses(v, w.ledger, "not one of the pinned log keys");

  replace_ledger(older, work.ledger_path);
  REQUIRE(wait_refusal(v, "rolled back"));
  check_refuses(v, w.ledger, "rolled back");

  // Bad re-pins: exit 2, nothing recorded.
  CHECK(run_verifier_command({"repin", "--scans", scans.string(), "--size", "0", "--reason", "restore"}) == 2);
  CHECK(run_verifier_command({"repin", "--scans", scans.string(), "--size", "7", "--reason", " "}) == 2);
  check_refuses(v, w.ledger, "rolled back");
  // A re-pin to a size the ledger has no checkpoint of: still refused.
  CHECK(run_verifier_command({"repin", "--scans", scans.string(), "--size", "999", "--reason", "wrong size"}) == 0);
  REQUIRE(wait_refusal(v, "999"));
  check_refuses(v, w.ledger, "999");

  sql::Database old_db(older.string(), sql::OpenMode::read_only);
  auto size = old_db.prepare("SELECT max(size) FROM checkpoints");
  REQUIRE(size.step());
  const std::string older_size = std::to_string(size.column_int(0));
  CHECK(run_verifier_command({"repin", "--scans", scans.string(), "--size", older_size, "--reason",
                              "restored from the backup of 10 October"}) == 0);
  REQUIRE(v.wait_health(200, 10000));
  CHECK(http_request(v.port(), genuine).status == 200);

  // The re-pin log keeps both re-pins, the used one marked.
  sql::Database trust((scans.string() + ".trust"), sql::OpenMode::read_only);
  auto log = trust.prepare("SELECT size, reason, used_at IS NOT NULL FROM repins ORDER BY id");
  REQUIRE(log.step());
  CHECK(log.column_text(0) == "999");
  REQUIRE(log.step());
  CHECK(log.column_text(0) == older_size);
  CHECK(log.column_text(1) == "restored from the backup of 10 October");
  CHECK(log.column_int(2) == 1);

  // A restart accepts the re-pinned ledger without another re-pin.
  v.stop();
  VerifierProcess again(work, scans);
  CHECK(http_request(again.port(), genuine).status == 200);
}

TEST_CASE("a rolled-back file refused, then the right file copied back in place (same inode): served again, no re-pin") {
  World w;
  auto [work_dir, work] = work_copy(w, "copied-back");
  const fs::path older = work_dir / "older.db";
  snapshot(work.ledger_path, older);
  append_events(work,
                R"({"type":"party","event_id":"MD-P-009","event_time":"2022-10-11T09:00:00+08:00","party_id":"SHOP3","name":"潞城示例菜店","role":"buyer"})",
                true);
  const fs::path right = work_dir / "right.db";
  snapshot(work.ledger_path, right);

  VerifierProcess v(work, work_dir / "scans.db");
  const std::string genuine = "/t/" + w.ledger.codes[0];
  REQUIRE(http_request(v.port(), genuine).status == 200);
  swap_in(older, work.ledger_path);
  REQUIRE(wait_refusal(v, "rolled back"));
  check_refuses(v, w.ledger, "rolled back");
  struct stat rolled_back {};
  REQUIRE(::stat(work.ledger_path.c_str(), &rolled_back) == 0);
  // The older file copied over itself in place (as `cp` does): the change is noticed, the file
  // judged again from scratch, and still refused.
  fs::copy_file(older, work.ledger_path, fs::copy_options::overwrite_existing);
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  check_refuses(v, w.ledger, "rolled back");
  // The right file copied back in place: the same inode, verified from scratch and served.
  fs::copy_file(right, work.ledger_path, fs::copy_options::overwrite_existing);
  struct stat copied {};
  REQUIRE(::stat(work.ledger_path.c_str(), &copied) == 0);
  CHECK(copied.st_ino == rolled_back.st_ino);
  REQUIRE(v.wait_health(200, 10000));
  CHECK(http_request(v.port(), genuine).status == 200);
  sql::Database trust((work_dir / "scans.db").string() + ".trust", sql::OpenMode::read_only);
  CHECK_FALSE(trust.prepare("SELECT 1 FROM repins").step());  // no re-pin was needed
}

TEST_CASE("a rotated log key must be pinned too; pinned in advance, the rotation is served") {
  World w;
  auto [work_dir, work] = work_copy(w, "rotate");
  // The new log key, named after the origin, and its .pub pinned beside the old one.
  const fs::path new_key_path = work_dir / "log2.key";
  auto new_key = note::SigningKey::generate("trace.lucheng.example/log");
  new_key.save(new_key_path);
  {
    Ledger ledger(work.ledger_path.string(), true);
    auto old_key = note::SigningKey::load(w.ledger.log_key_path);
    nlohmann::json rotated = {{"type", "log_key_rotated"},
                              {"event_id", "rotate-2022"},
                              {"event_time", "2022-11-01T08:00:00+08:00"},
                              {"log_key", note::verifier_key_of(new_key).to_string()},
                              {"reason", "年度更换日志密钥"}};
    ledger.append({prepare_event(rotated, "rotation")}, old_key, {});
    ledger.sign_checkpoint(new_key);
  }
  const std::string genuine = "/t/" + w.ledger.codes[0];
  {
    VerifierProcess v(work, work_dir / "old-pin.scans", {}, false);
    REQUIRE(wait_refusal(v, "not one of the pinned log keys"));
    CHECK(refused(http_request(v.port(), genuine)));
  }
  VerifierProcess v(work, work_dir / "both-pins.scans", {"--log-pubkey", new_key_path.string() + ".pub"});
  CHECK(http_request(v.port(), genuine).status == 200);
  auto cp = http_request(v.port(), "/checkpoint");
  CHECK(cp.status == 200);
  // The checkpoint served is the one that covers the rotation, signed by the new key.
  sql::Database db(work.ledger_path.string(), sql::OpenMode::read_only);
  auto latest = db.prepare("SELECT max(size) FROM checkpoints");
  REQUIRE(latest.step());
  note::Checkpoint served;
  REQUIRE_NOTHROW(served = note::open_checkpoint(cp.body, note::verifier_key_of(new_key)));
  CHECK(served.size == static_cast<std::uint64_t>(latest.column_int(0)));
}

TEST_CASE("serve without a pinned log key, or with a file that is not one, exits 2 before it listens") {
  World w;
  const std::string ledger = w.ledger.ledger_path.string(), scans = (w.dir.path / "scans.db").string();
  CHECK(run_verifier_command({"serve", "--ledger", ledger, "--scans", scans, "--listen", "127.0.0.1:0"}) == 2);
  CHECK(run_verifier_command({"serve", "--ledger", ledger, "--scans", scans, "--log-pubkey",
                              (w.dir.path / "missing.pub").string(), "--listen", "127.0.0.1:0"}) == 2);
  // The private key is not a verifier-key line.
  CHECK(run_verifier_command({"serve", "--ledger", ledger, "--scans", scans, "--log-pubkey",
                              w.ledger.log_key_path.string(), "--listen", "127.0.0.1:0"}) == 2);
  CHECK_FALSE(fs::exists(scans + ".verified"));
}

TEST_CASE("a void not yet under a checkpoint cannot be erased: a copy without it is refused until re-pinned") {
  World w;
  auto [work_dir, work] = work_copy(w, "erase");
  const fs::path before_void = work_dir / "before-void.db", scans = work_dir / "scans.db";
  snapshot(work.ledger_path, before_void);
  const std::string code = "/t/" + w.ledger.codes[1];

  auto v = std::make_unique<VerifierProcess>(work, scans);
  REQUIRE(http_request(v->port(), code).status == 200);
  // The clerk voids the code; no checkpoint is signed after it.
  void_code(work, w.ledger.codes[1], "标签贴错箱");
  REQUIRE(v->wait_synced(work));
  REQUIRE(http_request(v->port(), code).status == 404);
  const std::string why = "already verified and served";

  SUBCASE("the file replaced under the running verifier") {
    swap_in(before_void, work.ledger_path);
    REQUIRE(wait_refusal(*v, why));
    check_refuses(*v, w.ledger, why);
    CHECK(refused(http_request(v->port(), code)));
  }
  SUBCASE("the file replaced while the verifier is stopped") {
    CHECK(v->stop() == 0);
    swap_in(before_void, work.ledger_path);
    v = std::make_unique<VerifierProcess>(work, scans, std::vector<std::string>{}, false);
    wait_settled(*v);
    check_refuses(*v, w.ledger, why);
  }
  SUBCASE("another entry in its place: same size, another root") {
    LuchengLedger evil = work;
    evil.ledger_path = work_dir / "evil.db";
    copy_ledger(w.ledger.ledger_path, evil.ledger_path);
    append_events(evil,
                  R"({"type":"party","event_id":"MD-P-010","event_time":"2022-10-11T09:00:00+08:00","party_id":"SHOP4","name":"潞城三号水果店","role":"buyer"})",
                  false);
    snapshot(evil.ledger_path, work_dir / "evil-snapshot.db");
    swap_in(work_dir / "evil-snapshot.db", work.ledger_path);
    REQUIRE(wait_refusal(*v, "forked"));
    check_refuses(*v, w.ledger, why);
  }
  // A restart does not forget it either.
  CHECK(v->stop() == 0);
  v = std::make_unique<VerifierProcess>(work, scans, std::vector<std::string>{}, false);
  wait_settled(*v);
  check_refuses(*v, w.ledger, why);
  // The operator accepts the older file by re-pinning its checkpoint.
  const std::string size = std::to_string(latest_checkpoint(before_void));
  CHECK(run_verifier_command({"repin", "--scans", scans.string(), "--size", size, "--reason", "restored backup"}) == 0);
  REQUIRE(v->wait_health(200, 10000));
  CHECK(http_request(v->port(), code).status == 200);
}

TEST_CASE("a write-ahead log or wal-index deleted under the running verifier does not blind it to later commits") {
  // The attacker deletes -wal and -shm, or -shm alone: the verifier's connection keeps the
  // unlinked file and would never see a writer's next commit (data_version stays put). It
  // must notice and verify again, so a void committed afterwards is served.
  for (bool wal_too : {true, false}) {
    CAPTURE(wal_too);
    World w;
    auto [work_dir, work] = work_copy(w, wal_too ? "wal" : "shm");
    const std::string code = "/t/" + w.ledger.codes[2];
    VerifierProcess v(work, work_dir / "scans.db");
    REQUIRE(http_request(v.port(), code).status == 200);
    const fs::path wal = work.ledger_path.string() + "-wal";
    REQUIRE(fs::exists(wal));
    if (wal_too) fs::remove(wal);
    fs::remove(work.ledger_path.string() + "-shm");
    void_code(work, w.ledger.codes[2], "标签撕破");
    // Served as voided (404) once the verifier has caught up; never genuine for long.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    int status = 0;
    while (std::chrono::steady_clock::now() < deadline) {
      status = http_request(v.port(), code).status;
      if (status == 404) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    CHECK(status == 404);
    CHECK(http_request(v.port(), "/healthz").status == 200);
  }
}

TEST_CASE("a re-pin recorded while the ledger verifies expires, and covers no later rollback") {
  World w;
  auto [work_dir, work] = work_copy(w, "stale-repin");
  const fs::path older = work_dir / "older.db", scans = work_dir / "scans.db";
  snapshot(work.ledger_path, older);
  const std::string older_size = std::to_string(latest_checkpoint(older));
  auto expired = [&] {
    sql::Database trust(scans.string() + ".trust", sql::OpenMode::read_only);
    auto s = trust.prepare("SELECT count(*) FROM repins WHERE expired_at IS NOT NULL AND used_at IS NULL");
    s.step();
    return s.column_int(0);
  };

  SUBCASE("recorded while the verifier runs") {
    VerifierProcess v(work, scans);
    CHECK(run_verifier_command({"repin", "--scans", scans.string(), "--size", older_size, "--reason", "just in case"}) ==
          0);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (expired() == 0 && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    CHECK(expired() == 1);
    append_events(work,
                  R"({"type":"party","event_id":"MD-P-009","event_time":"2022-10-11T09:00:00+08:00","party_id":"SHOP3","name":"潞城二号水果店","role":"buyer"})",
                  true);
    REQUIRE(v.wait_synced(work));
    swap_in(older, work.ledger_path);
    REQUIRE(wait_refusal(v, "rolled back"));
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    check_refuses(v, w.ledger, "rolled back");
  }
  SUBCASE("recorded while the verifier is stopped, before the ledger grows") {
    { VerifierProcess first(work, scans); }
    CHECK(run_verifier_command({"repin", "--scans", scans.string(), "--size", older_size, "--reason", "just in case"}) ==
          0);
    VerifierProcess v(work, scans);
    CHECK(expired() == 1);
    append_events(work,
                  R"({"type":"party","event_id":"MD-P-009","event_time":"2022-10-11T09:00:00+08:00","party_id":"SHOP3","name":"潞城二号水果店","role":"buyer"})",
                  false);
    REQUIRE(v.wait_synced(work));
    swap_in(older, work.ledger_path);
    REQUIRE(wait_refusal(v, "rolled back"));
    check_refuses(v, w.ledger, "rolled back");
  }
}

TEST_CASE("a ledger path that is a FIFO is refused, not opened: shutdown does not hang, a real file is then served") {
  World w;
  fs::path work_dir = w.dir.path / "fifo";
  fs::create_directories(work_dir);
  LuchengLedger work = w.ledger;
  work.ledger_path = work_dir / "ledger.db";
  REQUIRE(::mkfifo(work.ledger_path.c_str(), 0600) == 0);
  {
    VerifierProcess v(work, work_dir / "stop.scans", {}, false);
    REQUIRE(wait_refusal(v, "not a regular file"));
    CHECK(v.stop() == 0);
  }
  refused_then_served(w, work, work_dir, "not a regular file", "not a regular file");
}

TEST_CASE("an empty ledger file is refused as not a ledger, naming --ledger; the real ledger put there is then served") {
  World w;
  fs::path work_dir = w.dir.path / "empty";
  fs::create_directories(work_dir);
  LuchengLedger work = w.ledger;
  work.ledger_path = work_dir / "ledger.db";
  std::ofstream(work.ledger_path).close();
  refused_then_served(w, work, work_dir, "is not an agtrace ledger", "check --ledger");
}

TEST_CASE("a missing ledger file is logged once, not on every poll, and the verifier still stops at once") {
  World w;
  fs::path work_dir = w.dir.path / "missing";
  fs::create_directories(work_dir);
  const fs::path log = work_dir / "stderr.log";
  pid_t pid = fork();
  if (pid == 0) {
    int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(fd, 2);
    std::vector<std::string> a = {std::string(AGTRACE_BINARY_DIR) + "/verifier/agtrace-verifier", "serve",
                                  "--ledger", (work_dir / "ledger.db").string(), "--scans",
                                  (work_dir / "scans.db").string(), "--log-pubkey", w.ledger.log_pub_path().string(),
                                  "--listen", "127.0.0.1:0"};
    std::vector<char*> argv;
    for (auto& s : a) argv.push_back(s.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // 15 polls
  kill(pid, SIGTERM);
  int status = 0;
  waitpid(pid, &status, 0);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  std::ifstream in(log);
  std::string line;
  int refusals = 0;
  while (std::getline(in, line))
    if (line.find("refusing to answer") != std::string::npos) {
      ++refusals;
      CHECK_MESSAGE(line.find("cannot read it") != std::string::npos, line);
    }
  CHECK(refusals == 1);
}
