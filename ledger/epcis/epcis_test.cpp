// GS1 EPCIS 2.0 import (DESIGN §2 `external`, §3): the published vectors in
// tests/vectors/epcis (valid/ imports, invalid/ is refused with exit 2 naming the field),
// numbers kept as shortest decimal strings, identical re-capture a no-op, errorDeclaration on
// a known event a correction, unseen lots introduced as external lots with their lineage,
// and lineage cycles refused.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "ledger/epcis/epcis_export.h"
#include "ledger/epcis/epcis_import.h"
#include "ledger/event/event_facts.h"
#include "ledger/regulator/testing/season.h"
#include "ledger/util/error.h"

using namespace agtrace;
namespace fs = std::filesystem;

namespace {

const fs::path kVectors = fs::path(AGTRACE_TEST_DATA) / "vectors" / "epcis";

std::string slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

std::vector<fs::path> files_in(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".json") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<AppendOutcome> import_text(Ledger& l, const testing::Season& s, const std::string& text,
                                       const std::string& name = "doc.json") {
  auto events = epcis::events_from_epcis(text, name, l, s.clerk(), std::nullopt);
  return l.append(events, s.clerk(), {});
}

std::string doc(const std::string& events) {
  return R"({"@context":["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"],"type":"EPCISDocument",)"
         R"("schemaVersion":"2.0","creationDate":"2022-10-06T00:00:00Z","epcisBody":{"eventList":[)" +
         events + "]}}";
}

}  // namespace

TEST_CASE("lot identifiers: LGTIN classes and Digital Links name lots; instances do not") {
  CHECK(epcis_lot_id("urn:epc:class:lgtin:4012345.012345.998877") == "https://id.gs1.org/01/04012345123456/10/998877");
  CHECK(epcis_lot_id("https://example.com/01/04012345123456/10/998877") == "https://id.gs1.org/01/04012345123456/10/998877");
  CHECK(epcis_lot_id("https://trace.example/lot/Z3K9") == "https://trace.example/lot/Z3K9");
  CHECK_FALSE(epcis_lot_id("urn:epc:id:sgtin:0614141.107346.2017"));
  CHECK_FALSE(epcis_lot_id("https://id.gs1.org/01/09521141012345/21/2017"));
  CHECK_FALSE(epcis_lot_id("https://id.gs1.org/01/04012345666663"));
  CHECK_FALSE(epcis_lot_id("urn:epc:idpat:sgtin:4012345.066666.*"));
}

TEST_CASE("every valid vector imports through the CLI; a second import changes nothing") {
  auto files = files_in(kVectors / "valid");
  REQUIRE(files.size() >= 11);
  testing::Season s;
  std::string out, err;
  const std::string cmd = testing::ledger_binary() + " --ledger " + s.path() + " import --format epcis --key " +
                          s.clerk_key_file() + " ";
  for (const auto& f : files) {
    CAPTURE(f.filename().string());
    CHECK(testing::run(cmd + f.string(), out, err) == 0);
    CAPTURE(err);
    Ledger l(s.path(), false);
    auto size = l.size();
    CHECK(testing::run(cmd + f.string(), out, err) == 0);
    CHECK(out.find(": recorded ") == std::string::npos);  // all "already recorded (no change)"
    CHECK(Ledger(s.path(), false).size() == size);
  }
  Ledger l(s.path(), false);
  CHECK_NOTHROW(l.verify(std::nullopt));
}

TEST_CASE("every invalid vector is refused with exit 2 naming the field") {
  const std::map<std::string, std::string> field = {
      {"EPCISDocument_without_context.json", "field @context"},
      {"ObjectEvent_with_invalid_action.json", "field epcisBody.eventList[0].action"},
      {"ObjectEvent_with_invalid_eventTime_format.json", "field epcisBody.eventList[0].eventTime"},
      {"ObjectEvent_with_quantity_as_text.json", "field epcisBody.eventList[0].quantityList[0].quantity"},
      {"ObjectEvent_without_action_and_eventTime.json", "field epcisBody.eventList[0].eventTime"},
  };
  auto files = files_in(kVectors / "invalid");
  REQUIRE(files.size() == field.size());
  testing::Season s;
  auto before = Ledger(s.path(), false).size();
  std::string out, err;
  for (const auto& f : files) {
    CAPTURE(f.filename().string());
    REQUIRE(field.count(f.filename().string()));
    CHECK(testing::run(testing::ledger_binary() + " --ledger " + s.path() + " import --format epcis --key " +
                           s.clerk_key_file() + " " + f.string(),
                       out, err) == 2);
    CAPTURE(err);
    CHECK(err.find(field.at(f.filename().string())) != std::string::npos);
  }
  CHECK(Ledger(s.path(), false).size() == before);
}

TEST_CASE("partner numbers are kept as shortest decimal strings") {
  testing::Season s;
  Ledger l(s.path(), true);
  auto events = epcis::events_from_epcis(slurp(kVectors / "valid" / "AggregationEvent.json"), "agg.json", l,
                                         s.clerk(), std::nullopt);
  REQUIRE(events.size() == 1);
  const auto& q = events[0].event["epcis"]["childQuantityList"];
  CHECK(q[0]["quantity"] == "10");
  CHECK(q[1]["quantity"] == "200.5");
  auto sensor = epcis::events_from_epcis(slurp(kVectors / "valid" / "ObjectEvent_with_sensorData.json"), "s.json", l,
                                         s.clerk(), std::nullopt);
  CHECK(sensor[0].event["epcis"]["sensorElementList"][0]["sensorReport"][0]["value"] == "26");
  // Restored for export: numbers again where EPCIS types them as numbers.
  auto restored = epcis::restore_numbers(events[0].event["epcis"]);
  CHECK(restored["childQuantityList"][1]["quantity"] == 200.5);
  CHECK(epcis::normalise_numbers(restored) == events[0].event["epcis"]);
}

TEST_CASE("unseen lots are introduced as external lots, with lineage; cycles are refused") {
  testing::Season s;
  Ledger l(s.path(), true);
  auto t = R"({"type":"TransformationEvent","eventTime":"2022-10-06T08:00:00+08:00","eventTimeZoneOffset":"+08:00",)"
           R"("inputQuantityList":[{"epcClass":"urn:epc:class:lgtin:4012345.012345.A1","quantity":10,"uom":"KGM"}],)"
           R"("outputQuantityList":[{"epcClass":"https://partner.example/01/04012345123456/10/B2","quantity":9.5,"uom":"KGM"}]})";
  auto out = import_text(l, s, doc(t));
  REQUIRE(out.size() == 1);
  CHECK(out[0].error.empty());
  auto a = l.store().lot("https://id.gs1.org/01/04012345123456/10/A1");
  auto b = l.store().lot("https://id.gs1.org/01/04012345123456/10/B2");
  REQUIRE(a);
  REQUIRE(b);
  CHECK(a->external);
  CHECK(a->created_by == "external");
  auto lineage = l.database().prepare("SELECT parent, child FROM lineage WHERE child = ?");
  lineage.bind(1, b->lot);
  REQUIRE(lineage.step());
  CHECK(lineage.column_text(0) == a->lot);

  // B2 → A1 would close a cycle: refused, nothing written.
  auto back = R"({"type":"TransformationEvent","eventTime":"2022-10-07T08:00:00+08:00","eventTimeZoneOffset":"+08:00",)"
              R"("inputQuantityList":[{"epcClass":"urn:epc:class:lgtin:4012345.012345.B2"}],)"
              R"("outputQuantityList":[{"epcClass":"urn:epc:class:lgtin:4012345.012345.A1"}]})";
  auto size = l.size();
  CHECK_THROWS_AS(import_text(l, s, doc(back)), Error);
  CHECK(l.size() == size);
  CHECK_NOTHROW(l.verify(std::nullopt));
}

TEST_CASE("an errorDeclaration on a known event becomes a correction") {
  testing::Season s;
  Ledger l(s.path(), true);
  auto event = R"({"type":"ObjectEvent","eventID":"urn:uuid:6f1f2d36-1111-4c4b-9c1e-000000000001",)"
               R"("eventTime":"2022-10-06T08:00:00+08:00","eventTimeZoneOffset":"+08:00","action":"OBSERVE",)"
               R"("bizStep":"receiving","epcList":["urn:epc:id:sgtin:0614141.107346.2017"])";
  auto first = import_text(l, s, doc(std::string(event) + "}"));
  REQUIRE(first.at(0).error.empty());
  auto declared = std::string(event) +
                  R"(,"errorDeclaration":{"declarationTime":"2022-10-08T10:00:00+08:00","reason":"incorrect_data"}})";
  auto second = import_text(l, s, doc(declared));
  REQUIRE(second.size() == 1);
  REQUIRE(second[0].index);
  auto c = l.entry(*second[0].index).event;
  CHECK(c["type"] == "correction");
  CHECK(c["corrected_event_id"] == "urn:uuid:6f1f2d36-1111-4c4b-9c1e-000000000001");
  CHECK(c["party"] == "COOP");
  CHECK(c["event_time"] == "2022-10-08T10:00:00+08:00");
  // The same declaration again: a no-op.
  auto again = import_text(l, s, doc(declared));
  CHECK(again.at(0).duplicate);

  // A declared event the ledger has not seen is kept intact as an external event, and its
  // re-capture is a no-op too.
  auto unseen = epcis::events_from_epcis(slurp(kVectors / "valid" / "ObjectEvent_with_error_declaration.json"),
                                         "e.json", l, s.clerk(), std::nullopt);
  CHECK(unseen.at(0).event["type"] == "external");
  CHECK(unseen.at(0).event["epcis"].contains("errorDeclaration"));
  l.append(unseen, s.clerk(), {});
  auto recaptured = import_text(l, s, slurp(kVectors / "valid" / "ObjectEvent_with_error_declaration.json"));
  for (const auto& o : recaptured) CHECK(o.duplicate);
}

TEST_CASE("eventTimeZoneOffset is the event_time's own offset, -00:00 kept") {
  epcis::ExportContext ctx;
  ctx.base_url = "https://trace.example";
  ctx.master = [](const std::string&, const std::string&) { return std::optional<nlohmann::json>(); };
  ctx.lot = [](const std::string& lot) { return std::pair<std::optional<std::string>, std::string>{std::nullopt, lot}; };
  ctx.event = [](const std::string&) { return std::optional<nlohmann::json>(); };
  nlohmann::json e = {{"type", "inspection"}, {"event_id", "i/1 x"}, {"event_time", "2022-10-05T08:30:00-00:00"},
                      {"party", "P"}, {"location", "L"}, {"lots", {"K 1"}}, {"report_no", "R"},
                      {"result", "pass"}, {"items", nlohmann::json::array()}};
  auto x = epcis::to_epcis_event(e, ctx);
  REQUIRE(x);
  CHECK((*x)["eventTimeZoneOffset"] == "-00:00");
  CHECK((*x)["eventTime"] == "2022-10-05T08:30:00-00:00");
  CHECK((*x)["eventID"] == "https://trace.example/event/i%2F1%20x");
  CHECK((*x)["quantityList"][0]["epcClass"] == "https://trace.example/lot/K%201");
  e["event_time"] = "2022-10-05T08:30:00Z";
  CHECK((*epcis::to_epcis_event(e, ctx))["eventTimeZoneOffset"] == "+00:00");
  e["event_time"] = "2022-10-05T08:30:00+08:00";
  CHECK((*epcis::to_epcis_event(e, ctx))["eventTimeZoneOffset"] == "+08:00");
}
