// Bad input to `agtrace-ledger record` and `import`: refused cleanly, ledger untouched.
//
// Claims checked:
//   DESIGN §2: "Rules checked on every append (clear error naming the field; nothing written
//   on failure)"; "an id seen before with different content is refused; an identical
//   re-capture is a no-op"; event_time "RFC 3339 with an explicit UTC offset; a time without
//   offset is rejected".
//   DESIGN §3: "The parser refuses duplicate object keys, nesting deeper than 64, … strings
//   and documents over stated size limits"; "A key's validity is judged by entry index, never
//   by event time (a revoked key cannot backdate)"; private keys "refused if group- or
//   world-readable".
//   DESIGN §8: exit status "2 bad usage or bad input".
//   Issue 2, "What it must show": "A test for each bad input above (missing offset, harvest
//   inside the pre-harvest interval, harvest before planting, float quantity, unknown lot, a
//   reused event id with other content, duplicate JSON keys, nesting 10,000 deep, a 1 MB
//   string, malformed JSON, a bad CSV row): exit 2, an error naming the field (and row or
//   line), no crash, and the ledger unchanged."
//   Issue 2, "Storage": "an import is all-or-nothing unless `--continue-on-error` is given,
//   which records the good rows and reports each bad one".
#include <doctest/doctest.h>

#include <sys/stat.h>

#include <filesystem>
#include <optional>

#include "tests/support/ledger_fixture.h"

namespace at = agtrace::testing;
namespace ev = agtrace::testing::events;

namespace {

const char* kPlanted = "2024-03-01T08:00:00+08:00";

// The fixture plus a planting lot PL-1 sprayed on 2024-04-01 with a 14-day interval: harvest
// is allowed from 2024-04-15 on.
struct Fixture {
  at::TestLedger ledger;
  Fixture() {
    auto r = ledger.record({ev::planting("plant-1", "PL-1", kPlanted),
                            ev::pesticide("spray-1", "PL-1", "2024-04-01T08:00:00+08:00", 14)});
    if (!r.exited_with(0)) throw std::runtime_error(r.describe());
  }
};

// A Fixture shared by the tests that only expect refusals: a refused command writes
// nothing (each refusal checks that), so they may all use one ledger and compare with one
// baseline snapshot.
struct Shared {
  Fixture f;
  at::TestLedger::Snapshot baseline = f.ledger.snapshot();
};

Shared& shared() {
  static Shared s;
  return s;
}

// Runs `refuse` (a command expected to be refused as bad input) and checks: exit 2 and no
// signal, no "internal error", every string of `named` in its standard error, and the
// ledger as in `before` (taken now when not given), still verifying.
template <class Command>
void expect_refused(const at::TestLedger& ledger, Command refuse, const std::vector<std::string>& named,
                    std::optional<at::TestLedger::Snapshot> before = std::nullopt) {
  if (!before) before = ledger.snapshot();
  at::ProcessResult r = refuse();
  INFO(r.describe());
  CHECK(r.term_signal == 0);
  CHECK(r.exited_with(2));
  CHECK(r.err.find("internal error") == std::string::npos);
  for (const auto& n : named) {
    CAPTURE(n);
    CHECK(r.err.find(n) != std::string::npos);
  }
  auto after = ledger.snapshot();
  CHECK(after.log == before->log);
  CHECK(after.verify == before->verify);
  CHECK(after.verify.rfind("0 ", 0) == 0);  // and it still verifies
}

// The same on the shared ledger.
template <class Command>
void expect_refused(Command refuse, const std::vector<std::string>& named) {
  expect_refused(shared().f.ledger, refuse, named, shared().baseline);
}

// `agtrace-ledger import --format csv` of `csv` with the clerk's key and `extra` options.
at::ProcessResult import_csv(const at::TestLedger& L, const std::filesystem::path& csv,
                             const std::vector<std::string>& extra) {
  std::vector<std::string> args = {"import", "--key", L.clerk_key().string(), "--format", "csv"};
  args.insert(args.end(), extra.begin(), extra.end());
  args.push_back(csv.string());
  return L.cli(args);
}

void expect_record_refused(const nlohmann::json& event, const std::vector<std::string>& named) {
  const auto& L = shared().f.ledger;
  expect_refused([&] { return L.record({event}); }, named);
}

// `record --key KEY -` with `e` on standard input.
at::ProcessResult record_with(const at::TestLedger& ledger, const std::filesystem::path& key,
                              const nlohmann::json& e) {
  at::RunOptions o;
  o.stdin_data = e.dump();
  return ledger.cli({"record", "--key", key.string(), "-"}, o);
}

}  // namespace

TEST_CASE("events that break a rule are refused with exit 2, the field named, nothing written") {

  SUBCASE("event_time without a UTC offset") {
    expect_record_refused(ev::planting("plant-2", "PL-2", "2024-03-01T08:00:00"),
                          {"event_time", "UTC offset"});
  }
  SUBCASE("harvest inside the pre-harvest interval") {
    expect_record_refused(ev::harvest("harvest-1", "H-1", "PL-1", "2024-04-14T23:00:00+08:00", "100"),
                          {"event_time", "pre-harvest interval", "spray-1"});
  }
  SUBCASE("harvest inside the interval by the local date at the event's offset") {
    // 2024-04-14T17:00Z is already the 15th in UTC+8 (allowed), but still the 14th in UTC-05:00.
    expect_record_refused(ev::harvest("harvest-1", "H-1", "PL-1", "2024-04-14T12:00:00-05:00", "100"),
                          {"event_time", "pre-harvest interval"});
  }
  SUBCASE("harvest before planting") {
    expect_record_refused(ev::harvest("harvest-1", "H-1", "PL-1", "2024-02-01T08:00:00+08:00", "100"),
                          {"event_time", "PL-1"});
  }
  SUBCASE("float quantity") {
    auto e = ev::harvest("harvest-1", "H-1", "PL-1", "2024-04-20T08:00:00+08:00", "100");
    e["quantity"]["value"] = 100.5;
    expect_record_refused(e, {"quantity.value", "decimal string"});
  }
  SUBCASE("float where an integer belongs") {
    auto e = ev::pesticide("spray-2", "PL-1", "2024-04-02T08:00:00+08:00", 7);
    e["pre_harvest_interval_days"] = 7.5;
    expect_record_refused(e, {"pre_harvest_interval_days"});
  }
  SUBCASE("unknown lot") {
    expect_record_refused(ev::harvest("harvest-1", "H-1", "PL-404", "2024-04-20T08:00:00+08:00", "100"),
                          {"from_lot", "PL-404"});
  }
  SUBCASE("unknown party") {
    auto e = ev::planting("plant-2", "PL-2", kPlanted);
    e["party"] = "P-NOBODY";
    expect_record_refused(e, {"party", "P-NOBODY"});
  }
  SUBCASE("a reused event_id with other content") {
    auto e = ev::planting("plant-1", "PL-1", kPlanted);
    e["area_mu"] = "3";
    expect_record_refused(e, {"event_id", "plant-1"});
  }
  SUBCASE("more than 5 minutes in the future") {
    expect_record_refused(ev::planting("plant-2", "PL-2", "2999-01-01T08:00:00+08:00"), {"event_time", "future"});
  }
  SUBCASE("a lot created twice") {
    expect_record_refused(ev::planting("plant-2", "PL-1", kPlanted), {"lot", "PL-1"});
  }
  SUBCASE("a schema violation: a missing required field") {
    auto e = ev::planting("plant-2", "PL-2", kPlanted);
    e.erase("area_mu");
    expect_record_refused(e, {"area_mu"});
  }
}

TEST_CASE("malformed and hostile JSON is refused with exit 2 and no crash, nothing written") {
  const auto& L = shared().f.ledger;
  auto record_text = [&](const std::string& text) { return [&L, text] { return L.record_text(text); }; };
  const std::string good = ev::planting("plant-2", "PL-2", kPlanted).dump();

  SUBCASE("duplicate JSON keys") {
    std::string text = good;
    text.insert(text.size() - 1, R"(,"lot":"PL-3")");
    expect_refused(record_text(text), {"stdin", "lot", "twice"});
  }
  SUBCASE("nesting 10,000 deep") {
    std::string deep = std::string(10000, '[') + std::string(10000, ']');
    std::string text = good;
    text.insert(text.size() - 1, ",\"note\":" + deep);
    expect_refused(record_text(text), {"stdin", "note", "nest deeper than 64"});
    expect_refused(record_text(deep), {"stdin", "nest deeper than 64"});
    expect_refused(record_text(std::string(10000, '{')), {});
  }
  SUBCASE("a 1 MB string") {
    auto e = ev::planting("plant-2", "PL-2", kPlanted);
    e["note"] = std::string(1 << 20, 'x');
    expect_refused(record_text(e.dump()), {"stdin", "bytes"});
    e["note"] = std::string(100 * 1024, 'x');  // under the document limit, over the string limit
    expect_refused(record_text(e.dump()), {"stdin", "note", "bytes"});
  }
  SUBCASE("long strings in fields with a pattern do not reach the schema's regex") {
    for (const char* field : {"event_id", "lot", "party"}) {
      CAPTURE(field);
      auto e = ev::planting("plant-2", "PL-2", kPlanted);
      e[field] = std::string(16 * 1024, 'A');
      expect_refused(record_text(e.dump()), {field});
    }
  }
  SUBCASE("long strings in a bulk JSON-lines import, whose lines are checked on worker threads") {
    std::string text;
    for (int i = 0; i < 40; ++i) {
      auto e = ev::planting("bulk-" + std::to_string(i), "PL-B" + std::to_string(i), kPlanted);
      if (i % 7 == 3) e["event_id"] = std::string(16 * 1024, 'A');
      if (i % 5 == 2) e["lot"] = std::string(16 * 1024, 'B');
      text += e.dump() + "\n";
    }
    auto file = L.dir() / "long.jsonl";
    at::write_file(file, text);
    expect_refused([&] { return L.cli({"import", "--key", L.clerk_key().string(), "--format", "jsonl", file.string()}); },
                   {"long.jsonl line 3: field lot", "long.jsonl line 4: field event_id"});
  }
  SUBCASE("malformed JSON") {
    expect_refused(record_text(good.substr(0, good.size() / 2)), {"stdin", "not valid JSON"});
    expect_refused(record_text("{\"type\":\"planting\",}"), {"not valid JSON"});
    expect_refused(record_text("\xff\xfe{}"), {});
    expect_refused(record_text("[]"), {"object"});
  }
  SUBCASE("a bad line among JSON lines: all-or-nothing") {
    std::string text = ev::planting("plant-2", "PL-2", kPlanted).dump() + "\n" +
                       ev::planting("plant-3", "PL-3", "2024-03-01T08:00:00").dump() + "\n" +
                       ev::planting("plant-4", "PL-4", kPlanted).dump() + "\n";
    expect_refused(record_text(text), {"stdin line 2", "event_time"});
  }
}

// A clerk must be told which line of a file is bad (parse_event once lost the location
// when the argument it was moved into was built first).
TEST_CASE("a malformed line among JSON lines is named by its line" ) {
  const auto& L = shared().f.ledger;
  auto file = L.dir() / "events.jsonl";
  at::write_file(file, ev::planting("plant-2", "PL-2", kPlanted).dump() + "\n{\"type\":\"planting\",\n" +
                           ev::planting("plant-4", "PL-4", kPlanted).dump() + "\n");
  expect_refused([&] {
    return L.cli({"import", "--key", L.clerk_key().string(), "--format", "jsonl", file.string()});
  }, {"events.jsonl line 2", "not valid JSON"});
  at::write_file(file, ev::planting("plant-2", "PL-2", kPlanted).dump() + "\n" +
                           R"({"type":"planting","type":"planting"})" + "\n");
  expect_refused([&] {
    return L.cli({"import", "--key", L.clerk_key().string(), "--format", "jsonl", file.string()});
  }, {"events.jsonl line 2", "type"});
}

TEST_CASE("an identical re-capture of an event is a no-op") {
  Fixture f;
  const auto& L = f.ledger;
  auto before = L.snapshot();
  auto again = L.record({ev::planting("plant-1", "PL-1", kPlanted)}, false);
  INFO(again.describe());
  CHECK(again.exited_with(0));
  CHECK(again.out.find("already recorded") != std::string::npos);
  CHECK(L.snapshot() == before);

  // The same event written with other white space and member order is the same event.
  std::string reordered = std::string("{ \"lot\" : \"PL-1\", \"type\" : \"planting\", \"area_mu\" : \"2.5\",\n") +
                          "  \"event_time\": \"" + kPlanted + "\", \"event_id\": \"plant-1\", \"party\": \"" +
                          at::kParty + "\",\n  \"location\": \"" + at::kPlot + "\", \"product\": \"" +
                          at::kProduct + "\" }\n";
  REQUIRE(nlohmann::json::parse(reordered) == ev::planting("plant-1", "PL-1", kPlanted));
  auto again2 = L.record_text(reordered);
  INFO(again2.describe());
  CHECK(again2.exited_with(0));
  CHECK(L.snapshot() == before);
}

TEST_CASE("CSV: a bad row is refused naming its line and field; --continue-on-error records the rest") {
  Fixture f;
  const auto& L = f.ledger;
  auto csv = L.dir() / "plantings.csv";
  std::string text = "type,event_id,event_time,party,location,lot,product,area_mu\r\n";
  for (int i = 2; i <= 6; ++i) {
    std::string n = std::to_string(i);
    std::string area = i == 4 ? "两亩" : "1.5";  // line 4 is bad
    text += "planting,plant-" + n + "," + kPlanted + "," + at::kParty + "," + at::kPlot + ",PL-" + n + "," +
            at::kProduct + "," + area + "\r\n";
  }
  at::write_file(csv, text);
  auto import = [&](const std::vector<std::string>& extra) { return import_csv(L, csv, extra); };

  expect_refused(L, [&] { return import({}); }, {"plantings.csv line 4", "area_mu"});

  auto before = L.size();
  auto r = import({"--continue-on-error"});
  INFO(r.describe());
  CHECK(r.exited_with(2));  // some rows were refused
  CHECK(r.err.find("plantings.csv line 4") != std::string::npos);
  CHECK(L.size() == before + 4);
  auto log = L.log();
  for (const char* id : {"plant-2", "plant-3", "plant-5", "plant-6"}) {
    bool found = false;
    for (const auto& row : log) found = found || row["event_id"] == id;
    CHECK_MESSAGE(found, id);
  }
  CHECK(L.cli({"verify"}).exited_with(0));
}

TEST_CASE("JSON lines: a bad line is all-or-nothing; record --continue-on-error records the rest") {
  Fixture f;
  const auto& L = f.ledger;
  auto file = L.dir() / "events.jsonl";
  at::write_file(file, ev::planting("plant-2", "PL-2", kPlanted).dump() + "\n" +
                           ev::planting("plant-3", "PL-3", "2024-03-01T08:00:00").dump() + "\n" +
                           ev::planting("plant-4", "PL-4", kPlanted).dump() + "\n");
  expect_refused(L, [&] { return L.cli({"record", "--key", L.clerk_key().string(), file.string()}); },
                 {"events.jsonl line 2", "event_time"});
  auto before = L.size();
  auto r = L.cli({"record", "--key", L.clerk_key().string(), "--continue-on-error", file.string()});
  INFO(r.describe());
  CHECK(r.exited_with(2));  // one line was refused
  CHECK(r.err.find("events.jsonl line 2") != std::string::npos);
  CHECK(L.size() == before + 2);
  CHECK(L.cli({"verify"}).exited_with(0));
}

TEST_CASE("CSV: a row that breaks a ledger rule, in the middle of good rows, is all-or-nothing") {
  Fixture f;
  const auto& L = f.ledger;
  auto csv = L.dir() / "harvests.csv";
  // Line 3 harvests inside the pre-harvest interval.
  std::string text = std::string("type,event_id,event_time,party,location,lot,from_lot,quantity,unit\n") +
                     "harvest,harvest-1,2024-04-20T08:00:00+08:00,P-COOP,PLOT-1,H-1,PL-1,100,KGM\n" +
                     "harvest,harvest-2,2024-04-10T08:00:00+08:00,P-COOP,PLOT-1,H-2,PL-1,100,KGM\n" +
                     "harvest,harvest-3,2024-04-21T08:00:00+08:00,P-COOP,PLOT-1,H-3,PL-1,100,KGM\n";
  at::write_file(csv, text);
  auto import = [&](bool continue_on_error) {
    std::vector<std::string> args = {"import", "--key", L.clerk_key().string(), "--format", "csv"};
    if (continue_on_error) args.push_back("--continue-on-error");
    args.push_back(csv.string());
    return L.cli(args);
  };
  expect_refused(L, [&] { return import(false); }, {"harvests.csv line 3", "event_time", "pre-harvest"});
  auto before = L.size();
  auto r = import(true);
  INFO(r.describe());
  CHECK(r.exited_with(2));
  CHECK(L.size() == before + 2);
  CHECK(L.cli({"verify"}).exited_with(0));
}

TEST_CASE("CSV: hostile cells are refused with exit 2, no crash") {
  const auto& L = shared().f.ledger;
  auto csv = L.dir() / "hostile.csv";
  auto import = [&] { return L.cli({"import", "--key", L.clerk_key().string(), "--format", "csv", csv.string()}); };
  const std::string header = "type,event_id,event_time,party,location,lot,product,area_mu,note\n";
  auto row = [&](const std::string& id, const std::string& lot, const std::string& note) {
    return "planting," + id + "," + kPlanted + ",P-COOP,PLOT-1," + lot + ",SCALLION,1.5," + note + "\n";
  };

  SUBCASE("a 1 MB cell") {
    at::write_file(csv, header + row("plant-2", "PL-2", std::string(1 << 20, 'x')));
    expect_refused(import, {"hostile.csv", "line 2"});
  }
  SUBCASE("a 60 KB cell in a field with a pattern") {
    // The CSV reader allows 64 KiB cells; the schema's pattern would run std::regex over them.
    at::write_file(csv, header + row(std::string(60000, 'A'), "PL-2", "x"));
    expect_refused(import, {"hostile.csv line 2", "event_id"});
    at::write_file(csv, header + row("plant-2", std::string(60000, 'A'), "x"));
    expect_refused(import, {"hostile.csv line 2", "lot"});
  }
  SUBCASE("an unterminated quote") {
    at::write_file(csv, header + row("plant-2", "PL-2", "\"never closed"));
    expect_refused(import, {"hostile.csv"});
  }
  SUBCASE("a row with too many fields") {
    at::write_file(csv, header + row("plant-2", "PL-2", "x,extra"));
    expect_refused(import, {"hostile.csv", "line 2"});
  }
}

TEST_CASE("keys: a readable key file, an unregistered key and the log key are refused") {
  const auto& L = shared().f.ledger;

  SUBCASE("a key file of mode 0644 or 0640") {
    for (int mode : {0644, 0640, 0604}) {
      CAPTURE(mode);
      auto key = L.dir() / "open.key";
      at::write_file(key, at::read_file(L.clerk_key()), mode);
      expect_refused([&] { return record_with(L, key, ev::planting("plant-2", "PL-2", kPlanted)); },
                     {"open.key", "chmod 600"});
    }
  }
  SUBCASE("a log key of mode 0644 for a checkpoint") {
    auto key = L.dir() / "open-log.key";
    at::write_file(key, at::read_file(L.log_key()), 0644);
    expect_refused([&] { return L.cli({"checkpoint", "--log-key", key.string()}); }, {"open-log.key"});
  }
  SUBCASE("key gen writes mode 0600") {
    auto key = L.dir() / "fresh.key";
    REQUIRE(at::run({at::ledger_binary(), "key", "gen", "--name", "fresh", "--out", key.string()}).exited_with(0));
    struct stat st {};
    REQUIRE(::stat(key.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
  }
  SUBCASE("a key that was never registered") {
    auto key = L.dir() / "stranger.key";
    REQUIRE(at::run({at::ledger_binary(), "key", "gen", "--name", "stranger", "--out", key.string()}).exited_with(0));
    expect_refused([&] { return record_with(L, key, ev::planting("plant-2", "PL-2", kPlanted)); },
                   {at::key_id_of(key.string() + ".pub"), "not registered"});
  }
  SUBCASE("the log key signing an ordinary event") {
    expect_refused([&] { return record_with(L, L.log_key(), ev::planting("plant-2", "PL-2", kPlanted)); },
                   {"log key"});
  }
}

TEST_CASE("keys: a revoked key is refused whatever event_time it claims; its old entries still verify") {
  Fixture f;
  const auto& L = f.ledger;
  auto key = L.add_key("clerk-b");
  REQUIRE(record_with(L, key, ev::planting("plant-b1", "PL-B1", kPlanted)).exited_with(0));
  REQUIRE(record_with(L, key, ev::pesticide("spray-b1", "PL-B1", "2024-03-05T08:00:00+08:00", 3)).exited_with(0));
  std::string id = at::key_id_of(key.string() + ".pub");
  L.must({"key", "revoke", "--log-key", L.log_key().string(), "--key-id", id, "--reason", "lost phone"});
  CHECK(L.cli({"verify"}).exited_with(0));

  // Backdated to long before the revocation, and dated now: both refused.
  expect_refused(L, [&] { return record_with(L, key, ev::planting("plant-b2", "PL-B2", "2024-03-01T09:00:00+08:00")); },
                 {id, "revoked"});
  expect_refused(L, [&] { return record_with(L, key, ev::storage("store-b", "PL-B1", "2024-06-01T08:00:00+08:00")); },
                 {id, "revoked"});
  // Revoking twice, or revoking the log key, is refused too.
  expect_refused(L, [&] {
    return L.cli({"key", "revoke", "--log-key", L.log_key().string(), "--key-id", id, "--reason", "again"});
  }, {"already revoked"});
  std::string log_id = at::key_id_of(L.log_key().string() + ".pub");
  expect_refused(L, [&] {
    return L.cli({"key", "revoke", "--log-key", L.log_key().string(), "--key-id", log_id, "--reason", "x"});
  }, {"log key"});
  // The clerk key still works.
  CHECK(L.record({ev::planting("plant-2", "PL-2", kPlanted)}).exited_with(0));
  CHECK(L.cli({"verify"}).exited_with(0));
  // Adding the revoked key again says it stays revoked (not a clash of event ids).
  expect_refused(L, [&] {
    return L.cli({"key", "add", "--log-key", L.log_key().string(), "--pub", key.string() + ".pub"});
  }, {"was revoked at entry", "a revoked key stays revoked", "key gen"});
}

TEST_CASE("keys: a station key signs only label jobs; adding a registered key again changes nothing") {
  Fixture f;
  const auto& L = f.ledger;
  auto station = L.add_key("station-b", "station");
  expect_refused(L, [&] { return record_with(L, station, ev::planting("plant-s", "PL-S", kPlanted)); },
                 {"station key", "signs only label jobs", "clerk key"});
  // The same public key again, same role: nothing to do, exit 0, nothing recorded.
  auto before = L.snapshot();
  auto again = L.cli({"key", "add", "--log-key", L.log_key().string(), "--pub", station.string() + ".pub",
                      "--role", "station", "--holder", agtrace::testing::kParty});
  INFO(again.describe());
  CHECK(again.exited_with(0));
  CHECK(again.out.find("already registered") != std::string::npos);
  CHECK(L.snapshot() == before);
  // A station key without its holder is of no use from rules version 3: refused at key add.
  auto gen = L.cli({"key", "gen", "--name", "station-c", "--out", (L.dir() / "station-c.key").string()});
  REQUIRE(gen.exited_with(0));
  expect_refused(L, [&] {
    return L.cli({"key", "add", "--log-key", L.log_key().string(), "--pub", (L.dir() / "station-c.key.pub").string(),
                  "--role", "station"});
  }, {"--holder", "工作站密钥要写明持有主体"});
  // Another role for it: refused.
  expect_refused(L, [&] {
    return L.cli({"key", "add", "--log-key", L.log_key().string(), "--pub", station.string() + ".pub", "--role",
                  "clerk"});
  }, {"already registered as a station key"});
}

TEST_CASE("bad usage exits 2") {
  const auto& L = shared().f.ledger;
  for (std::vector<std::string> args :
       {std::vector<std::string>{"no-such-verb"}, {"record"}, {"show", "-1"}, {"show", "abc"}, {"show", "999"},
        {"show", "lot", "NO-SUCH-LOT"}, {"proof", "inclusion", "999"}, {"proof", "consistency", "5", "3"},
        {"proof", "consistency", "0", "3"}, {"import", "--key", "k", "--format", "xml", "f"},
        {"log", "--from", "2024-01-01"}, {"verify", "--checkpoint", "/nonexistent/cp"}}) {
    CAPTURE(args);
    auto r = L.cli(args);
    INFO(r.describe());
    CHECK(r.exited_with(2));
  }
  // No ledger at all.
  auto r = at::run({at::ledger_binary(), "--ledger", (L.dir() / "missing.db").string(), "verify"});
  CHECK(r.exited_with(2));
  CHECK(r.err.find("does not exist") != std::string::npos);
}

TEST_CASE("a wrong or missing --log-key is refused before anything is recorded") {
  const auto& L = shared().f.ledger;
  auto event = ev::planting("plant-logkey", "PL-LK", kPlanted);
  for (const auto& log_key : {L.clerk_key().string(), std::string("/nonexistent/log.key")}) {
    CAPTURE(log_key);
    expect_refused(
        L,
        [&] {
          at::RunOptions o;
          o.stdin_data = event.dump();
          return L.cli({"record", "--key", L.clerk_key().string(), "--log-key", log_key, "-"}, o);
        },
        std::vector<std::string>{"--log-key"}, shared().baseline);
  }
}

TEST_CASE("a spray after a harvest does not reach back: only harvests inside [applied, applied + interval) are refused") {
  Fixture f;  // PL-1 sprayed on 2024-04-01, 14 days
  auto ok = f.ledger.record({ev::harvest("harvest-a", "H-A", "PL-1", "2024-04-20T08:00:00+08:00", "100"),
                             ev::pesticide("spray-2", "PL-1", "2024-04-25T08:00:00+08:00", 14)});
  INFO(ok.describe());
  CHECK(ok.exited_with(0));
  expect_refused(
      f.ledger,
      [&] { return f.ledger.record({ev::harvest("harvest-b", "H-B", "PL-1", "2024-04-30T08:00:00+08:00", "100")}); },
      {"pre-harvest interval", "spray-2"});
  auto later = f.ledger.record({ev::harvest("harvest-c", "H-C", "PL-1", "2024-05-09T08:00:00+08:00", "100")});
  INFO(later.describe());
  CHECK(later.exited_with(0));
}

TEST_CASE("a harvest naming another product than the one planted is refused") {
  Fixture f;
  auto other = f.ledger.record({{{"type", "product"}, {"event_id", "md-product-2"}, {"event_time", "2024-01-01T08:00:00+08:00"},
                                 {"product_id", "TOMATO"}, {"name", "旱地番茄"}, {"brand", {{"regional", "潞城"}}}}});
  INFO(other.describe());
  REQUIRE(other.exited_with(0));
  auto h = ev::harvest("harvest-x", "H-X", "PL-1", "2024-05-01T08:00:00+08:00", "100");
  h["product"] = "TOMATO";
  expect_refused(f.ledger, [&] { return f.ledger.record({h}); }, {"field product", "TOMATO", "PL-1"});
}

TEST_CASE("a product GTIN with a wrong check digit is refused") {
  expect_record_refused({{"type", "product"}, {"event_id", "md-product-gtin"}, {"event_time", "2024-01-01T08:00:00+08:00"},
                         {"product_id", "BAD-GTIN"}, {"name", "大葱"}, {"brand", {{"regional", "潞城大葱"}}},
                         {"gtin", "06901234567893"}},
                        {"field gtin", "06901234567893", "check digit"});
}

TEST_CASE("an inspection item over its limit cannot pass, and a failed item fails the inspection") {
  auto over = ev::inspection("insp-over", "PL-1", "2024-03-02T08:00:00+08:00");
  over["items"] = {{{"name", "吡虫啉"}, {"measured", "3"}, {"limit", "2"}, {"unit", "mg/kg"}, {"result", "pass"}}};
  expect_record_refused(over, {"items[0]", "吡虫啉", "over its limit", "mark it fail"});
  auto mixed = ev::inspection("insp-mixed", "PL-1", "2024-03-02T08:00:00+08:00");
  mixed["result"] = "pass";
  mixed["items"] = {{{"name", "毒死蜱"}, {"measured", "0.09"}, {"limit", "0.02"}, {"unit", "mg/kg"}, {"result", "fail"}}};
  expect_record_refused(mixed, {"field result", "an item failed"});
}

TEST_CASE("two products cannot share one GTIN") {
  Fixture f;
  const auto& L = f.ledger;
  auto first = nlohmann::json{{"type", "product"}, {"event_id", "prod-gtin-a"}, {"event_time", kPlanted},
                              {"product_id", "GTIN-A"}, {"name", "潞城大葱"}, {"brand", {{"regional", "潞城大葱"}}},
                              {"gtin", "06901234567908"}};
  REQUIRE(L.record({first}).exited_with(0));
  auto second = first;
  second["event_id"] = "prod-gtin-b";
  second["product_id"] = "GTIN-B";
  expect_refused(L, [&] { return L.record({second}); }, {"field gtin", "already the GTIN of product \"GTIN-A\""});
  // The same product recorded again (new master data) keeps its GTIN.
  auto update = first;
  update["event_id"] = "prod-gtin-a2";
  update["name"] = "潞城大葱（长白）";
  CHECK(L.record({update}).exited_with(0));
}

TEST_CASE("refused rows are reported with their file, line and column, in text and in --json, both modes") {
  Fixture f;
  const auto& L = f.ledger;
  auto csv = L.dir() / "nope.csv";
  std::string text = "type,event_id,event_time,party,location,lot,from_lot,quantity,unit\n";
  for (int i = 1; i <= 3; ++i)
    text += "harvest,h-" + std::to_string(i) + ",2024-04-20T08:00:00+08:00,P-COOP,PLOT-1,H-" + std::to_string(i) +
            ",NOPE,100,KGM\n";
  at::write_file(csv, text);
  auto import = [&](const std::vector<std::string>& extra) { return import_csv(L, csv, extra); };
  auto before = L.snapshot();
  SUBCASE("--continue-on-error: each refusal named by its place; the summary says nothing was recorded") {
    auto r = import({"--continue-on-error"});
    INFO(r.describe());
    CHECK(r.exited_with(2));
    for (int line = 2; line <= 4; ++line)
      CHECK(r.err.find("nope.csv line " + std::to_string(line) + ": column G \"from_lot\" (field from_lot)") !=
            std::string::npos);
    CHECK(r.err.find("unknown lot \"NOPE\"") != std::string::npos);
    CHECK(r.err.find("3 of 3 events refused; nothing was recorded") != std::string::npos);
    CHECK(r.err.find("the others were recorded") == std::string::npos);
    CHECK(r.err.find("checkpoint") == std::string::npos);
  }
  SUBCASE("--continue-on-error --json: the refused rows are in the JSON") {
    auto r = import({"--continue-on-error", "--json"});
    INFO(r.describe());
    CHECK(r.exited_with(2));
    auto rows = nlohmann::json::parse(r.out);
    REQUIRE(rows.size() == 3);
    CHECK(rows[0]["where"].get<std::string>().ends_with("nope.csv line 2"));
    CHECK(rows[0]["event_id"] == "h-1");
    CHECK(rows[0]["outcome"] == "refused");
    CHECK(rows[0]["error"].get<std::string>().find("unknown lot \"NOPE\"") != std::string::npos);
  }
  SUBCASE("all or nothing --json: every row with its outcome, then exit 2") {
    text += "harvest,h-ok,2024-04-20T08:00:00+08:00,P-COOP,PLOT-1,H-OK,PL-1,100,KGM\n";
    at::write_file(csv, text);
    auto r = import({"--json"});
    INFO(r.describe());
    CHECK(r.exited_with(2));
    auto rows = nlohmann::json::parse(r.out);
    REQUIRE(rows.size() == 4);
    CHECK(rows[2]["outcome"] == "refused");
    CHECK(rows[3]["where"].get<std::string>().ends_with("nope.csv line 5"));
    CHECK(rows[3]["outcome"] == "not recorded");
    CHECK_FALSE(rows[3].contains("index"));
    CHECK(r.err.find("3 of 4 events refused; nothing was recorded") != std::string::npos);
    CHECK(r.err.find("--continue-on-error") != std::string::npos);
  }
  CHECK(L.snapshot() == before);
}

TEST_CASE("a refusal of one event is the refusal itself, without the batch boilerplate") {
  Fixture f;
  const auto& L = f.ledger;
  auto r = L.record({ev::planting("plant-x", "PL-X", "2024-03-01T08:00:00")}, false);
  INFO(r.describe());
  CHECK(r.exited_with(2));
  CHECK(r.err.find("error: stdin") != std::string::npos);
  CHECK(r.err.find("field event_time") != std::string::npos);
  CHECK(r.err.find("1 of 1") == std::string::npos);
  CHECK(r.err.find("--continue-on-error") == std::string::npos);
  auto revoke = L.cli({"key", "revoke", "--log-key", L.log_key().string(), "--key-id", "nobody+00000000",
                       "--reason", "x"});
  INFO(revoke.describe());
  CHECK(revoke.exited_with(2));
  CHECK(revoke.err.find("1 of 1") == std::string::npos);
  CHECK(revoke.err.find("--continue-on-error") == std::string::npos);
}

TEST_CASE("all or nothing: a refusal names an entry of the rolled-back import by its line, not an entry number") {
  Fixture f;
  const auto& L = f.ledger;
  auto csv = L.dir() / "mixed.csv";
  at::write_file(csv, std::string("type,event_id,event_time,party,location,lot,from_lot,quantity,unit\n") +
                          "harvest,h-1,2024-04-20T08:00:00+08:00,P-COOP,PLOT-1,H-1,PL-1,100,KGM\n" +
                          "harvest,h-2,2024-04-21T08:00:00+08:00,P-COOP,PLOT-1,H-1,PL-1,100,KGM\n");
  expect_refused(L, [&] { return L.cli({"import", "--key", L.clerk_key().string(), "--format", "csv", csv.string()}); },
                 {"mixed.csv line 3", "lot \"H-1\" already exists (created by the harvest at ",
                  "mixed.csv line 2 (earlier in this file, not recorded))"});
}

TEST_CASE("import of a folder, and a bad --tz, are refused once, before reading any row") {
  const auto& L = shared().f.ledger;
  expect_refused([&] { return L.cli({"import", "--key", L.clerk_key().string(), "--format", "csv", L.dir().path().string()}); },
                 {L.dir().path().string() + ": is a folder, not a file"});
  auto csv = L.dir() / "tz.csv";
  at::write_file(csv, "type,event_id,event_time,party,location,lot,product,area_mu\n"
                      "planting,p-a,2024-03-01 08:00,P-COOP,PLOT-1,PL-A,SCALLION,1\n"
                      "planting,p-b,2024-03-01 08:00,P-COOP,PLOT-1,PL-B,SCALLION,1\n");
  expect_refused([&] {
    return L.cli({"import", "--key", L.clerk_key().string(), "--format", "csv", "--tz", "UTC+8", csv.string()});
  }, {"--tz: 'UTC+8' is not a UTC offset"});
  auto r = L.cli({"import", "--key", L.clerk_key().string(), "--format", "csv", "--tz", "UTC+8", csv.string()});
  CHECK(r.err.find("line") == std::string::npos);
  auto missing = L.cli({"import", "--key", L.clerk_key().string(), "--format", "csv", "--tz", "UTC+8",
                        (L.dir() / "missing.csv").string()});
  CHECK(missing.err.find("--tz") != std::string::npos);
}

// Issue 12, "Nothing garbled is ever appended": every text input — JSON lines (`record`,
// `import --format jsonl`), EPCIS documents and key names — is refused before anything is
// written when it would be stored garbled, naming the file, the line and the fix.
namespace {

// `utf8` in GB18030, by iconv.
std::string to_gb18030(const std::string& utf8) {
  at::RunOptions o;
  o.stdin_data = utf8;
  auto r = at::run({"iconv", "-f", "UTF-8", "-t", "GB18030"}, o);
  REQUIRE_MESSAGE(r.exited_with(0), r.describe());
  return r.out;
}

// A planting on a village whose name, 潞城区店上镇, is also valid GB18030 when in UTF-8.
nlohmann::json village_planting(const std::string& id, const std::string& lot) {
  auto e = ev::planting(id, lot, kPlanted);
  e["note"] = "潞城区店上镇";
  return e;
}

// As expect_refused on the shared ledger, and the ledger's files byte for byte the same.
template <class Command>
void expect_refused_untouched(Command refuse, const std::vector<std::string>& named) {
  const auto& L = shared().f.ledger;
  auto bytes = L.file_bytes();
  expect_refused(
      [&] {
        auto r = refuse();
        CHECK(L.file_bytes() == bytes);  // before anything else opens the ledger
        return r;
      },
      named);
}

}  // namespace

TEST_CASE("garbled JSON lines, EPCIS documents and key names are refused naming file, line and fix") {
  const auto& L = shared().f.ledger;
  const std::string utf8_lines =
      ev::jsonl({ev::planting("g-1", "PL-G1", kPlanted), village_planting("g-2", "PL-G2")});
  auto record_stdin = [&](const std::string& bytes, std::vector<std::string> extra) {
    at::RunOptions o;
    o.stdin_data = bytes;
    std::vector<std::string> args = {"record", "--key", L.clerk_key().string()};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back("-");
    return L.cli(args, o);
  };
  auto import_file = [&](const std::string& name, const std::string& bytes, const std::string& format,
                         std::vector<std::string> extra) {
    auto file = L.dir() / name;
    at::write_file(file, bytes);
    std::vector<std::string> args = {"import", "--key", L.clerk_key().string(), "--format", format};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back(file.string());
    return L.cli(args);
  };

  SUBCASE("UTF-8 named as GB18030") {
    expect_refused_untouched([&] { return record_stdin(utf8_lines, {"--encoding", "gb18030"}); },
                             {"stdin line 2: the file is UTF-8, not GB18030", "娼炲煄鍖哄簵涓婇晣",
                              "drop --encoding gb18030"});
    expect_refused_untouched(
        [&] { return import_file("u.jsonl", utf8_lines, "jsonl", {"--encoding", "gb18030"}); },
        {"u.jsonl line 2: the file is UTF-8", "drop --encoding gb18030"});
    const std::string epcis = "{\n  \"@context\": [\"https://ref.gs1.org/standards/epcis/epcis-context.jsonld\"],\n"
                              "  \"type\": \"EPCISDocument\",\n  \"sender\": \"潞城区店上镇\"\n}\n";
    expect_refused_untouched([&] { return import_file("u.epcis.json", epcis, "epcis", {"--encoding", "gbk"}); },
                             {"u.epcis.json line 4: the file is UTF-8", "drop --encoding gb18030"});
  }
  SUBCASE("GB18030 read as UTF-8") {
    const std::string gb = to_gb18030(utf8_lines);
    expect_refused_untouched([&] { return record_stdin(gb, {}); },
                             {"stdin line 2: invalid UTF-8", "add --encoding gb18030"});
    expect_refused_untouched([&] { return import_file("gb.jsonl", gb, "jsonl", {}); },
                             {"gb.jsonl line 2: invalid UTF-8", "add --encoding gb18030"});
  }
  SUBCASE("U+FFFD, raw or escaped") {
    const std::string lost =
        ev::jsonl({ev::planting("g-1", "PL-G1", kPlanted), ev::planting("g-3", "PL-G3", kPlanted)}) +
        R"({"type":"planting","event_id":"g-4","note":"店\uFFFD镇"})" + "\n";
    expect_refused_untouched([&] { return import_file("lost.jsonl", lost, "jsonl", {}); },
                             {"lost.jsonl line 3: holds \"\\uFFFD\"", "escaped U+FFFD"});
    std::string raw = lost;
    raw.replace(raw.find("\\uFFFD"), 6, "\xEF\xBF\xBD");
    expect_refused_untouched([&] { return record_stdin(raw, {}); }, {"stdin line 3: holds U+FFFD"});
    // An escaped backslash followed by "uFFFD" is text, not an escape: only the bad event is refused.
    std::string text = R"({"type":"planting","event_id":"g-5","note":"a\\uFFFD"})";
    auto r = record_stdin(text, {});
    INFO(r.describe());
    CHECK(r.exited_with(2));
    CHECK(r.err.find("U+FFFD") == std::string::npos);
  }
  SUBCASE("key names") {
    auto out = L.dir() / "gbname.key";
    // 张三 as a GB18030 terminal types it.
    auto gb_name = at::run({at::ledger_binary(), "key", "gen", "--name", "clerk-\xD5\xC5\xC8\xFD", "--out", out.string()});
    INFO(gb_name.describe());
    CHECK(gb_name.exited_with(2));
    CHECK(gb_name.err.find("--name: invalid UTF-8") != std::string::npos);
    CHECK(gb_name.err.find("UTF-8 locale") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(out));
    auto lost_name = at::run({at::ledger_binary(), "key", "gen", "--name", "clerk-\xEF\xBF\xBD", "--out", out.string()});
    INFO(lost_name.describe());
    CHECK(lost_name.exited_with(2));
    CHECK(lost_name.err.find("--name: holds U+FFFD") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(out));

    // A .pub file whose name an editor saved in GB18030.
    auto good = L.dir() / "utf8name.key";
    REQUIRE(at::run({at::ledger_binary(), "key", "gen", "--name", "clerk-张三", "--out", good.string()}).exited_with(0));
    std::string line = at::read_file(good.string() + ".pub");
    auto pub = L.dir() / "gbname.key.pub";
    at::write_file(pub, to_gb18030(line));
    expect_refused_untouched(
        [&] { return L.cli({"key", "add", "--log-key", L.log_key().string(), "--pub", pub.string()}); },
        {"gbname.key.pub: invalid UTF-8", "GB18030"});
  }
}

TEST_CASE("record --encoding gb18030 records GB18030 JSON lines as the text they hold") {
  at::TestLedger L;
  at::RunOptions o;
  o.stdin_data = to_gb18030(ev::jsonl({village_planting("gbj-1", "PL-GB1")}));
  auto r = L.cli({"record", "--key", L.clerk_key().string(), "--encoding", "gb18030", "-"}, o);
  INFO(r.describe());
  REQUIRE(r.exited_with(0));
  auto shown = nlohmann::json::parse(L.must({"show", std::to_string(L.size() - 1), "--json"}));
  CHECK(shown["entry"]["event"]["note"] == "潞城区店上镇");
}
