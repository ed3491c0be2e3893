// The audit replays every entry under the rules append enforced (DESIGN §3 "Audit"): an
// entry that is correctly chained and signed by a registered key, but that append would
// have refused, is a verification failure naming its index — never a bad-input error.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include "ledger/json/jcs.h"
#include "ledger/ledger.h"
#include "ledger/merkle/merkle.h"
#include "ledger/replay.h"
#include "ledger/store/schema.h"
#include "ledger/store/entry.h"
#include "ledger/store/sqlite.h"
#include "ledger/testing/small_ledger.h"
#include "ledger/util/error.h"

using namespace agtrace;

namespace {

struct Fixture : testing::SmallLedger {
  Fixture() : SmallLedger("audit") {}

  // Signs `event_json` as the next entry with the clerk's key and stores it the way an
  // insider with the key and write access to the file could: past every append check.
  std::uint64_t forge(const std::string& event_json) {
    std::uint64_t index;
    Hash prev;
    {
      Ledger l(path, false);
      index = l.size();
      prev = merkle::leaf_hash(as_bytes(encode_entry(l.entry(index - 1))));
    }
    auto event = nlohmann::json::parse(event_json);
    Entry entry = sign_entry(index, prev, event, json::canonicalize(event), clerk);
    std::string leaf = encode_entry(entry);
    sql::Database db(path, sql::OpenMode::read_write);
    db.prepare("INSERT INTO entries (idx, entry, leaf_hash) VALUES (?, ?, ?)")
        .bind(1, static_cast<std::int64_t>(index))
        .bind_blob(2, as_bytes(leaf))
        .bind_blob(3, merkle::leaf_hash(as_bytes(leaf)))
        .run();
    return index;
  }

  // The verification failure `verify` raises; fails the test if it passes or raises another kind.
  std::string verify_failure() {
    Ledger l(path, false);
    try {
      l.verify(std::nullopt);
    } catch (const Error& e) {
      CHECK_MESSAGE(e.kind() == ErrorKind::verification, std::string(e.what()));
      return e.what();
    }
    FAIL("verify passed");
    return "";
  }
};

}  // namespace

TEST_CASE("the untouched ledger verifies") {
  Fixture f;
  Ledger l(f.path, false);
  CHECK(l.verify(std::nullopt).entries == 6);
}

TEST_CASE("a signed harvest from a lot nobody planted is refused by the replay, naming its entry") {
  Fixture f;
  auto index = f.forge(R"({"type":"harvest","event_id":"h","event_time":"2022-10-01T00:00:00+08:00","party":"SDD","location":"B1","lot":"H1","from_lot":"P9","quantity":{"value":"100","unit":"KGM"}})");
  auto why = f.verify_failure();
  CHECK(why.find(fmt::format("entry {}", index)) != std::string::npos);
  CHECK_MESSAGE(why.find("P9") != std::string::npos, why);
}

TEST_CASE("a signed harvest before its planting is refused by the replay") {
  Fixture f;
  auto index = f.forge(R"({"type":"harvest","event_id":"h","event_time":"2022-03-01T00:00:00+08:00","party":"SDD","location":"B1","lot":"H1","from_lot":"P1","quantity":{"value":"100","unit":"KGM"}})");
  CHECK(f.verify_failure().find(fmt::format("entry {}", index)) != std::string::npos);
}

TEST_CASE("a signed event with an impossible date is refused by the replay, naming its entry") {
  Fixture f;
  auto index = f.forge(R"({"type":"harvest","event_id":"h","event_time":"2022-02-30T00:00:00+08:00","party":"SDD","location":"B1","lot":"H1","from_lot":"P1","quantity":{"value":"100","unit":"KGM"}})");
  CHECK(f.verify_failure().find(fmt::format("entry {}", index)) != std::string::npos);
}

TEST_CASE("a second entry with a recorded event id is refused by the replay") {
  Fixture f;
  auto index = f.forge(R"({"type":"planting","event_id":"e1","event_time":"2022-04-02T00:00:00+08:00","party":"SDD","location":"B1","lot":"P2","product":"LCDC","area_mu":"2"})");
  auto why = f.verify_failure();
  CHECK(why.find(fmt::format("entry {}", index)) != std::string::npos);
  CHECK(why.find("event_id") != std::string::npos);
}

TEST_CASE("a signed partner event whose own_lots joins a lot it does not name is refused by the replay") {
  Fixture f;
  // LCDC has no GTIN, so no EPCIS lot id can stand for P1: the map is forged.
  auto index = f.forge(
      R"({"type":"external","event_id":"x1","event_time":"2022-10-01T00:00:00+08:00",)"
      R"("epcis":{"type":"ObjectEvent","eventTime":"2022-10-01T00:00:00+08:00","eventTimeZoneOffset":"+08:00",)"
      R"("action":"OBSERVE","epcList":["https://id.gs1.org/01/06901234567892/10/P1"]},)"
      R"("own_lots":{"https://id.gs1.org/01/06901234567892/10/P1":"P1"}})");
  auto why = f.verify_failure();
  CHECK(why.find(fmt::format("entry {}", index)) != std::string::npos);
  CHECK_MESSAGE(why.find("own_lots") != std::string::npos, why);
}

TEST_CASE("a replay reports how many entries it has checked, for the verifier's /healthz") {
  Fixture f;
  sql::Database source(f.path, sql::OpenMode::read_only);
  sql::Database scratch(":memory:", sql::OpenMode::create);
  scratch.exec(store::kPrimarySchema);
  std::atomic<std::uint64_t> progress{0};
  ReplayOptions options;
  options.progress = &progress;
  Replay replay(scratch, options);
  replay.run(source);
  CHECK(replay.size() == 6);
  CHECK(progress.load() == 6);
}

// The replay checks signatures on worker threads, ahead of and behind the thread that replays
// the entries in order (ledger/replay.cpp). Its report must still be the sequential audit's:
// the first bad entry, with the message a one-thread replay gives — whichever thread happens
// to reach a later bad entry first.
namespace {

// Appends `n` plantings (lots P100, P101, …) to `f`'s ledger: enough entries for the replay to
// hand out many chunks of entries to its workers.
void grow(Fixture& f, int n) {
  std::vector<PreparedEvent> events;
  for (int i = 0; i < n; ++i)
    events.push_back(parse_event(
        fmt::format(R"({{"type":"planting","event_id":"g{0}","event_time":"2022-04-02T00:00:00+08:00","party":"SDD",)"
                    R"("location":"B1","lot":"P{1}","product":"LCDC","area_mu":"2"}})",
                    i, 100 + i),
        "test"));
  Ledger l(f.path, true);
  l.append(events, f.clerk, {});
}

// Stores entry `index` again with one bit of its signature flipped, still in canonical form and
// with its leaf_hash recomputed (an attacker who rewrites the row): its signature fails, and the
// next entry's prev no longer matches it (the chain breaks there).
void break_signature(const std::string& path, std::uint64_t index) {
  Entry e;
  {
    Ledger l(path, false);
    e = l.entry(index);
  }
  e.sig.at(17) ^= 0x01;
  std::string leaf = encode_entry(e);
  sql::Database db(path, sql::OpenMode::read_write);
  db.exec("DROP TRIGGER IF EXISTS entries_no_update");
  db.prepare("UPDATE entries SET entry = ?, leaf_hash = ? WHERE idx = ?")
      .bind_blob(1, as_bytes(leaf))
      .bind_blob(2, merkle::leaf_hash(as_bytes(leaf)))
      .bind(3, static_cast<std::int64_t>(index))
      .run();
}

}  // namespace

TEST_CASE("a bad signature is reported at the first bad entry, with the sequential message, whatever the threads do") {
  // The first entry of a chunk, one in the middle, the last of one, and the last entry of the log.
  for (std::uint64_t first : {std::uint64_t{32}, std::uint64_t{200}, std::uint64_t{415}, std::uint64_t{605}}) {
    CAPTURE(first);
    Fixture f;
    grow(f, 600);  // entries 0..605: about 19 chunks of 32
    break_signature(f.path, first);
    // The message for one bad signature, as the sequential audit words it.
    const std::string expected =
        fmt::format("entry {}: signature by {} does not verify", first, note::verifier_key_of(f.clerk).key_id());
    REQUIRE(f.verify_failure() == expected);
    // Later bad signatures (in the same chunk, the next, and many chunks on), and the chain
    // breaks after each, are found by the replay thread or a worker before `first`'s signature
    // may be: the report stays `first`'s. Several runs, as the threads' timing differs.
    for (std::uint64_t later : {first + 1, first + 33, first + 300})
      if (later < 606) break_signature(f.path, later);
    for (int run = 0; run < 3; ++run) CHECK(f.verify_failure() == expected);
  }
}

TEST_CASE("in the replay's database the rules' per-entry lookups search an index, never scan a table") {
  // A scan per entry makes the audit grow with the square of the ledger (issue 17). These are
  // the queries of store.cpp (certificates_ignoring_case) and plot_inputs.cpp (a planting's
  // plot inputs, with the harvest check), which the ledger file's own indexes do not serve.
  sql::Database scratch("", sql::OpenMode::create);
  scratch.exec(store::kPrimarySchema);
  Replay replay(scratch, {});
  auto plan = [&](const std::string& query) {
    auto s = scratch.prepare("EXPLAIN QUERY PLAN " + query);
    std::string out;
    while (s.step()) out += s.column_text(3) + "\n";
    return out;
  };
  const std::string certificates = plan(
      "SELECT c.number, c.issuer, c.kind, c.lot_id, coalesce(c.style, ''), c.dimension, c.amount, c.entry_idx, "
      "v.entry_idx FROM certificates c LEFT JOIN certificate_voids v ON v.number = c.number AND c.kind = 'issued' "
      "WHERE c.number = 'C-1' COLLATE NOCASE ORDER BY c.entry_idx");
  CHECK_MESSAGE(certificates.find("SCAN") == std::string::npos, certificates);
  const std::string plot_inputs = plan(
      "SELECT p.entry_idx, ae.event_time, NOT EXISTS (SELECT 1 FROM plot_events hp JOIN lots hl ON "
      "hl.created_entry = hp.entry_idx JOIN harvests h ON h.from_lot = hl.lot_id JOIN events he ON he.entry_idx = "
      "h.entry_idx WHERE hp.location_id = ?1 AND hp.kind = 'planting' AND he.unix_ms > ae.unix_ms AND he.unix_ms "
      "<= ?2) FROM plot_events p JOIN events ae ON ae.entry_idx = p.entry_idx WHERE p.location_id = ?1 AND p.kind "
      "= 'input' ORDER BY p.entry_idx");
  CHECK_MESSAGE(plot_inputs.find("SCAN") == std::string::npos, plot_inputs);
  CHECK_MESSAGE(plot_inputs.find("AUTOMATIC") == std::string::npos, plot_inputs);
}
