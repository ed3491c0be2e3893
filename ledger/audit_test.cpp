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
