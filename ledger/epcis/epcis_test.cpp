// GS1 EPCIS 2.0 import (DESIGN §2 `external`, §3): the published vectors in
// tests/vectors/epcis (valid/ imports, invalid/ is refused with exit 2 naming the field),
// numbers kept as shortest decimal strings, identical re-capture a no-op, errorDeclaration on
// a known event a correction, unseen lots introduced as external lots with their lineage,
// and lineage cycles refused; documents breaking GS1's EPCIS 2.0 JSON Schema or the CBV rules
// refused naming the field with nothing written (epcis_check.h); the CBV 2.0 Event Hash ID on
// GS1's published example (tests/vectors/epcis-hash) and, from rules version 2, one event
// however it is written (epcis_hash.h), with version-1 imports still recognised.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "ledger/epcis/epcis_check.h"
#include "ledger/epcis/epcis_export.h"
#include "ledger/epcis/epcis_hash.h"
#include "ledger/epcis/epcis_import.h"
#include "ledger/event/event_facts.h"
#include "ledger/json/jcs.h"
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
  ctx.master = [](const std::string&, const std::string&) -> const nlohmann::json* { return nullptr; };
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

TEST_CASE("transformation_id as transformationID: a URN or http(s) URL as written, else under the party") {
  const std::string base = "https://trace.example";
  CHECK(epcis::transformation_uri("ZH-2022-0007", "CH", base) == "https://trace.example/party/CH/transformation/ZH-2022-0007");
  CHECK(epcis::transformation_uri("ZH/7#a", "合作社 1", base) ==
        "https://trace.example/party/%E5%90%88%E4%BD%9C%E7%A4%BE%201/transformation/ZH%2F7%23a");
  CHECK(epcis::transformation_uri("urn:epc:id:gdti:0614141.00001.1618034", "CH", base) ==
        "urn:epc:id:gdti:0614141.00001.1618034");
  CHECK(epcis::transformation_uri("URN:uuid:7f000000-0000-4000-8000-000000000003", "CH", base) ==
        "URN:uuid:7f000000-0000-4000-8000-000000000003");
  CHECK(epcis::transformation_uri("https://partner.example/t/7?x=%41", "CH", base) == "https://partner.example/t/7?x=%41");
  // Not URIs as written: characters RFC 3986 does not allow, a bad escape, a bare prefix, or
  // another scheme (a plain id such as "ZH:7" must not pass for a URI of scheme "zh").
  CHECK(epcis::transformation_uri("urn:x:{1}", "CH", base) == "https://trace.example/party/CH/transformation/urn%3Ax%3A%7B1%7D");
  CHECK(epcis::transformation_uri("urn:x:%4", "CH", base) == "https://trace.example/party/CH/transformation/urn%3Ax%3A%254");
  CHECK(epcis::transformation_uri("urn:", "CH", base) == "https://trace.example/party/CH/transformation/urn%3A");
  CHECK(epcis::transformation_uri("ZH:7", "CH", base) == "https://trace.example/party/CH/transformation/ZH%3A7");

  epcis::ExportContext ctx;
  ctx.base_url = base;
  ctx.master = [](const std::string&, const std::string&) -> const nlohmann::json* { return nullptr; };
  ctx.lot = [](const std::string& lot) { return std::pair<std::optional<std::string>, std::string>{std::nullopt, lot}; };
  ctx.event = [](const std::string&) { return std::optional<nlohmann::json>(); };
  nlohmann::json t = {{"type", "transformation"}, {"event_id", "t1"}, {"event_time", "2022-10-05T08:30:00+08:00"},
                      {"party", "CH"}, {"location", "L"}, {"kind", "grading"}, {"transformation_id", "ZH-1"},
                      {"inputs", {{{"lot", "A"}, {"quantity", {{"value", "10"}, {"unit", "KGM"}}}}}},
                      {"outputs", {{{"lot", "B"}, {"quantity", {{"value", "9"}, {"unit", "KGM"}}}}}}};
  CHECK((*epcis::to_epcis_event(t, ctx))["transformationID"] == "https://trace.example/party/CH/transformation/ZH-1");
  ctx.transformation_ids = false;  // a bundle of format 1, or an entry under rules version 1
  CHECK_FALSE(epcis::to_epcis_event(t, ctx)->contains("transformationID"));
  ctx.transformation_ids = true;
  t.erase("transformation_id");
  CHECK_FALSE(epcis::to_epcis_event(t, ctx)->contains("transformationID"));
}

namespace {

// The entries that lot_events links to `lot`.
std::set<std::uint64_t> entries_of_lot(Ledger& l, const std::string& lot) {
  auto s = l.database().prepare("SELECT entry_idx FROM lot_events WHERE lot_id = ?");
  s.bind(1, lot);
  std::set<std::uint64_t> out;
  while (s.step()) out.insert(static_cast<std::uint64_t>(s.column_int(0)));
  return out;
}

std::string object_event(const std::string& id, const std::string& epc_class) {
  return R"({"type":"ObjectEvent","eventID":")" + id +
         R"(","eventTime":"2022-10-06T08:00:00+08:00","eventTimeZoneOffset":"+08:00","action":"OBSERVE",)"
         R"("bizStep":"receiving","epcList":[],"quantityList":[{"epcClass":")" +
         epc_class + R"(","quantity":3000,"uom":"KGM"}]})";
}

}  // namespace

TEST_CASE("a partner's event naming our lot by its GTIN and GS1 lot code joins our lot") {
  testing::Season s;  // SCALLION has GTIN 06901234000023; K1, K2, K3 are packed lots of it
  const std::string gs1 = "https://id.gs1.org/01/06901234000023/10/";
  const std::string events = object_event("urn:buyer:rcv-1", gs1 + "K1") + "," +
                             object_event("urn:buyer:rcv-2", "urn:epc:class:lgtin:6901234.000002.K2") + "," +
                             object_event("urn:buyer:rcv-3", "https://buyer.example/dl/01/06901234000023/10/K3") +
                             "," +
                             // Another GTIN, another lot code, and our lot code percent-encoded.
                             object_event("urn:buyer:rcv-4", "https://id.gs1.org/01/06901234000030/10/K1") + "," +
                             object_event("urn:buyer:rcv-5", gs1 + "K9") + "," +
                             object_event("urn:buyer:rcv-6", "https://buyer.example/01/06901234000023/10/%4B2");
  std::vector<PreparedEvent> prepared;
  {
    Ledger l(s.path(), false);
    prepared = epcis::events_from_epcis(doc(events), "buyer.jsonld", l, s.clerk(), std::nullopt);
  }
  REQUIRE(prepared.size() == 6);
  CHECK(prepared[0].event["own_lots"] == nlohmann::json{{gs1 + "K1", "K1"}});
  CHECK(prepared[1].event["own_lots"] == nlohmann::json{{gs1 + "K2", "K2"}});
  CHECK(prepared[2].event["own_lots"] == nlohmann::json{{gs1 + "K3", "K3"}});
  CHECK_FALSE(prepared[3].event.contains("own_lots"));
  CHECK_FALSE(prepared[4].event.contains("own_lots"));
  CHECK(prepared[5].event["own_lots"] == nlohmann::json{{gs1 + "%4B2", "K2"}});
  // The partner's EPCIS is kept intact.
  CHECK(prepared[2].event["epcis"]["quantityList"][0]["epcClass"] ==
        "https://buyer.example/dl/01/06901234000023/10/K3");

  // Through the CLI, as the clerk imports a buyer's document.
  const fs::path file = s.dir() / "buyer.jsonld";
  std::ofstream(file) << doc(events);
  std::string out, err;
  const std::string cli = testing::ledger_binary() + " --ledger " + s.path() + " ";
  REQUIRE(testing::run(cli + "import --format epcis --key " + s.clerk_key_file() + " " + file.string(), out, err) == 0);
  Ledger l(s.path(), false);
  std::map<std::string, std::uint64_t> at;
  for (int i = 1; i <= 6; ++i) {
    auto e = l.store().event_by_id("urn:buyer:rcv-" + std::to_string(i));
    REQUIRE(e);
    at[std::to_string(i)] = e->entry_idx;
  }
  CHECK(entries_of_lot(l, "K1").count(at["1"]));
  CHECK(entries_of_lot(l, "K2").count(at["2"]));
  CHECK(entries_of_lot(l, "K3").count(at["3"]));
  CHECK(entries_of_lot(l, "K2").count(at["6"]));
  CHECK_FALSE(entries_of_lot(l, "K1").count(at["4"]));
  // Our lots are not introduced again as external lots; the others are.
  CHECK_FALSE(l.store().lot(gs1 + "K1"));
  CHECK_FALSE(l.store().lot(gs1 + "K2"));
  CHECK_FALSE(l.store().lot(gs1 + "%4B2"));
  REQUIRE(l.store().lot("https://id.gs1.org/01/06901234000030/10/K1"));
  CHECK(l.store().lot("https://id.gs1.org/01/06901234000030/10/K1")->external);
  REQUIRE(l.store().lot(gs1 + "K9"));
  CHECK(l.store().lot(gs1 + "K9")->external);

  // show lot and trace list the partner's event under our lot.
  REQUIRE(testing::run(cli + "show lot K3", out, err) == 0);
  CHECK_MESSAGE(out.find("urn:buyer:rcv-3") != std::string::npos, out);
  CHECK(out.find("external") != std::string::npos);
  REQUIRE(testing::run(cli + "trace K1 --forward", out, err) == 0);
  CHECK_MESSAGE(out.find("urn:buyer:rcv-1") != std::string::npos, out);
  CHECK(out.find("urn:buyer:rcv-4") == std::string::npos);

  // A second import changes nothing; the ledger verifies.
  const auto size = l.size();
  REQUIRE(testing::run(cli + "import --format epcis --key " + s.clerk_key_file() + " " + file.string(), out, err) == 0);
  CHECK(out.find(": recorded ") == std::string::npos);
  CHECK(Ledger(s.path(), false).size() == size);
  CHECK_NOTHROW(Ledger(s.path(), false).verify(std::nullopt));
  CHECK(testing::run(cli + "verify", out, err) == 0);
}

TEST_CASE("a TransformationEvent from our lot to a partner's lot is lineage from our lot") {
  testing::Season s;
  Ledger l(s.path(), true);
  auto t = R"({"type":"TransformationEvent","eventTime":"2022-10-06T08:00:00+08:00","eventTimeZoneOffset":"+08:00",)"
           R"("inputQuantityList":[{"epcClass":"urn:epc:class:lgtin:6901234.000002.K2","quantity":50,"uom":"KGM"}],)"
           R"("outputQuantityList":[{"epcClass":"https://partner.example/01/04012345123456/10/OIL-7","quantity":9.5,"uom":"KGM"}]})";
  auto out = import_text(l, s, doc(t));
  REQUIRE(out.size() == 1);
  REQUIRE(out[0].index);
  CHECK(entries_of_lot(l, "K2").count(*out[0].index));
  auto lineage = l.database().prepare("SELECT parent FROM lineage WHERE child = ?");
  lineage.bind(1, "https://id.gs1.org/01/04012345123456/10/OIL-7");
  REQUIRE(lineage.step());
  CHECK(lineage.column_text(0) == "K2");

  // OIL-7 → K2 would close a cycle through our lot: refused.
  auto back = R"({"type":"TransformationEvent","eventTime":"2022-10-07T08:00:00+08:00","eventTimeZoneOffset":"+08:00",)"
              R"("inputQuantityList":[{"epcClass":"https://id.gs1.org/01/04012345123456/10/OIL-7"}],)"
              R"("outputQuantityList":[{"epcClass":"https://id.gs1.org/01/06901234000023/10/K2"}]})";
  const auto size = l.size();
  CHECK_THROWS_AS(import_text(l, s, doc(back)), Error);
  CHECK(l.size() == size);
  CHECK_NOTHROW(l.verify(std::nullopt));
}

TEST_CASE("a partner's event before our lot existed stays external") {
  testing::Season s;
  Ledger l(s.path(), true);
  auto e = R"({"type":"ObjectEvent","eventTime":"2022-09-01T08:00:00+08:00","eventTimeZoneOffset":"+08:00",)"
           R"("action":"OBSERVE","epcList":["https://id.gs1.org/01/06901234000023/10/K1"]})";
  auto prepared = epcis::events_from_epcis(doc(e), "early.json", l, s.clerk(), std::nullopt);
  REQUIRE(prepared.size() == 1);
  CHECK_FALSE(prepared[0].event.contains("own_lots"));
}

TEST_CASE("a hand-made own_lots that does not match is refused with exit 2 naming own_lots") {
  testing::Season s;
  const std::string gs1 = "https://id.gs1.org/01/06901234000023/10/";
  auto external = [&](const std::string& epc_class, const nlohmann::json& own) {
    nlohmann::json e = {{"type", "external"},
                        {"event_id", "urn:buyer:forged"},
                        {"event_time", "2022-10-06T08:00:00+08:00"},
                        {"epcis", nlohmann::json::parse(object_event("urn:buyer:forged", epc_class))},
                        {"own_lots", own}};
    e["epcis"]["quantityList"][0]["quantity"] = "3000";
    return e.dump();
  };
  const std::map<std::string, std::pair<std::string, std::string>> forged = {
      // case → (event, what the refusal says)
      {"wrong GTIN",
       {external("https://id.gs1.org/01/06901234000030/10/K2",
                 {{"https://id.gs1.org/01/06901234000030/10/K2", "K2"}}),
        "names GTIN 06901234000030"}},
      {"wrong lot code", {external(gs1 + "K2", {{gs1 + "K2", "K1"}}), "has GS1 lot code K1"}},
      {"unknown lot", {external(gs1 + "K2", {{gs1 + "K2", "K7"}}), "\"K7\", which is not recorded"}},
      {"key not named", {external(gs1 + "K2", {{gs1 + "K1", "K1"}}), "is not a lot the EPCIS event names"}},
      {"a lot with no GTIN", {external("https://trace.example/lot/K2", {{gs1 + "K2", "K2"}}),
                              "is not a lot the EPCIS event names"}},
  };
  const auto before = Ledger(s.path(), false).size();
  for (const auto& [name, c] : forged) {
    CAPTURE(name);
    const fs::path file = s.dir() / "forged.json";
    std::ofstream(file, std::ios::trunc) << c.first;
    std::string out, err;
    CHECK(testing::run(testing::ledger_binary() + " --ledger " + s.path() + " record --key " + s.clerk_key_file() +
                           " " + file.string(),
                       out, err) == 2);
    CAPTURE(err);
    CHECK(err.find("field own_lots: ") != std::string::npos);
    CHECK(err.find(c.second) != std::string::npos);
  }
  CHECK(Ledger(s.path(), false).size() == before);

  // The schema bounds the map: keys are id.gs1.org lot ids, values lot ids.
  std::string out, err;
  const fs::path file = s.dir() / "forged.json";
  std::ofstream(file, std::ios::trunc) << external(gs1 + "K2", {{"K2", "K2"}});
  CHECK(testing::run(testing::ledger_binary() + " --ledger " + s.path() + " record --key " + s.clerk_key_file() + " " +
                         file.string(),
                     out, err) == 2);
  CHECK(err.find("own_lots") != std::string::npos);

  // The matching map is accepted.
  std::ofstream(file, std::ios::trunc) << external(gs1 + "K2", {{gs1 + "K2", "K2"}});
  CHECK(testing::run(testing::ledger_binary() + " --ledger " + s.path() + " record --key " + s.clerk_key_file() + " " +
                         file.string(),
                     out, err) == 0);
  CAPTURE(err);
  Ledger l(s.path(), false);
  CHECK(entries_of_lot(l, "K2").count(before));
  CHECK_NOTHROW(l.verify(std::nullopt));
}

namespace {

// A document with `events` and @context entries `context` after the standard context.
std::string doc_with(const std::string& context, const std::string& events) {
  return R"({"@context":["https://ref.gs1.org/standards/epcis/epcis-context.jsonld")" +
         (context.empty() ? "" : "," + context) +
         R"(],"type":"EPCISDocument","schemaVersion":"2.0","creationDate":"2022-10-06T00:00:00Z",)"
         R"("epcisBody":{"eventList":[)" + events + "]}}";
}

// An ObjectEvent, with the members of `extra` (",\"name\":value…") added or replacing its own.
std::string observe(const std::string& extra) {
  auto e = nlohmann::json::parse(
      R"({"type":"ObjectEvent","eventTime":"2022-10-06T08:00:00+08:00","eventTimeZoneOffset":"+08:00",)"
      R"("action":"OBSERVE","bizStep":"receiving","epcList":["urn:epc:id:sgtin:0614141.107346.2017"]})");
  if (!extra.empty()) e.update(nlohmann::json::parse("{" + extra.substr(1) + "}"));
  return e.dump();
}

}  // namespace

TEST_CASE("documents that break GS1's EPCIS 2.0 schema or the CBV rules are refused naming the field; nothing is written") {
  const std::string ex = R"({"ex":"https://partner.example/epcis/"})";
  struct Case {
    std::string name, document, field, fix;
  };
  const std::vector<Case> cases = {
      {"bizStep neither a CBV term nor a URI", doc_with("", observe(R"(,"bizStep":"ship it")")),
       "field epcisBody.eventList[0].bizStep: ", "use a CBV term"},
      {"bizStep as a CBV URN, which EPCIS 2.0 JSON does not allow",
       doc_with("", observe(R"(,"bizStep":"urn:epcglobal:cbv:bizstep:shipping")")),
       "field epcisBody.eventList[0].bizStep: ", "write the bare term \"shipping\""},
      {"disposition as an ns.gs1.org URI, which EPCIS 2.0 JSON does not allow",
       doc_with("", observe(R"(,"disposition":"https://ns.gs1.org/cbv/Disp-in_transit")")),
       "field epcisBody.eventList[0].disposition: ", "write the bare term \"in_transit\""},
      {"bizStep URN with a term CBV does not have",
       doc_with("", observe(R"(,"bizStep":"urn:epcglobal:cbv:bizstep:teleporting")")),
       "field epcisBody.eventList[0].bizStep: ", "not in the CBV list"},
      {"bizStep Web URI with a term CBV does not have",
       doc_with("", observe(R"(,"bizStep":"https://ref.gs1.org/cbv/BizStep-teleporting")")),
       "field epcisBody.eventList[0].bizStep: ", "not in the CBV list"},
      {"disposition neither", doc_with("", observe(R"(,"disposition":"lost")")),
       "field epcisBody.eventList[0].disposition: ", "use a CBV term"},
      {"persistentDisposition neither", doc_with("", observe(R"(,"persistentDisposition":{"set":["gone missing"]})")),
       "field epcisBody.eventList[0].persistentDisposition.set[0]: ", "use a CBV term"},
      {"unknown member in a quantity element",
       doc_with("", R"({"type":"ObjectEvent","eventTime":"2022-10-06T08:00:00+08:00","eventTimeZoneOffset":"+08:00",)"
                    R"("action":"OBSERVE","quantityList":[{"epcClass":"urn:epc:class:lgtin:4012345.012345.A1",)"
                    R"("quantity":10,"uom":"KGM","weight":3}]})"),
       "field epcisBody.eventList[0].quantityList[0].weight: ", "only epcClass, quantity and uom"},
      {"ObjectEvent without an identifier list",
       doc_with("", R"({"type":"ObjectEvent","eventTime":"2022-10-06T08:00:00+08:00","eventTimeZoneOffset":"+08:00",)"
                    R"("action":"OBSERVE","bizStep":"receiving"})"),
       "field epcisBody.eventList[0].epcList: ", "add one of them"},
      {"unnamespaced extension", doc_with(ex, observe(R"(,"temperature":4)")),
       "field epcisBody.eventList[0].temperature: ", "must be namespaced"},
      {"extension with an undeclared prefix", doc_with(ex, observe(R"(,"zz:temperature":4)")),
       "field epcisBody.eventList[0].zz:temperature: ", "not declared in the document's @context"},
      {"unnamespaced ilmd member", doc_with(ex, observe(R"(,"action":"ADD","ilmd":{"bestBefore":"2022-12-01"})")),
       "field epcisBody.eventList[0].ilmd.bestBefore: ", "must be namespaced"},
      {"@context redefines cbvmda", doc_with(R"({"cbvmda":"https://evil.example/"})", observe("")),
       "field @context[1].cbvmda: ", "protected term"},
      {"@context redefines a standard field", doc_with(R"({"bizStep":"https://evil.example/step"})", observe("")),
       "field @context[1].bizStep: ", "protected term"},
      {"a member AggregationEvent does not have",
       doc_with(ex, R"({"type":"AggregationEvent","eventTime":"2022-10-06T08:00:00+08:00",)"
                    R"("eventTimeZoneOffset":"+08:00","action":"ADD","parentID":"urn:epc:id:sscc:0614141.1234567890",)"
                    R"("childEPCs":[],"epcList":[]})"),
       "field epcisBody.eventList[0].epcList: ", "namespaced"},
      {"GS1's schema: a member a bizTransaction does not have",
       doc_with("", observe(R"(,"bizTransactionList":[{"type":"po","bizTransaction":"urn:x:1","note":"x"}])")),
       "EPCIS 2.0 JSON Schema: field epcisBody.eventList[0].bizTransactionList[0].note: ", "check its spelling"},
  };
  testing::Season s;
  const auto before = Ledger(s.path(), false).size();
  for (const auto& c : cases) {
    CAPTURE(c.name);
    const fs::path file = s.dir() / "partner.jsonld";
    std::ofstream(file, std::ios::trunc) << c.document;
    std::string out, err;
    CHECK(testing::run(testing::ledger_binary() + " --ledger " + s.path() + " import --format epcis --key " +
                           s.clerk_key_file() + " " + file.string(),
                       out, err) == 2);
    CAPTURE(err);
    CHECK(err.find(c.field) != std::string::npos);
    CHECK(err.find(c.fix) != std::string::npos);
  }
  CHECK(Ledger(s.path(), false).size() == before);

  // What the rules allow: CBV terms in each of their forms, other URIs, namespaced extensions
  // with plain members inside, an identical redefinition of a standard prefix.
  Ledger l(s.path(), true);
  const std::string fine = doc_with(
      ex + R"(,{"gs1":"https://gs1.org/voc/"})",
      observe(R"(,"eventID":"urn:x:ok-1","ex:reading":{"plain":1})") + "," +
          observe(R"(,"eventID":"urn:x:ok-2","bizStep":"shipping","disposition":"https://ref.gs1.org/cbv/Disp-in_transit")") +
          "," + observe(R"(,"eventID":"urn:x:ok-3","bizStep":"https://partner.example/bizstep/sorting","action":"ADD","ilmd":{"ex:bestBefore":"2022-12-01"})"));
  auto outcomes = import_text(l, s, fine);
  REQUIRE(outcomes.size() == 3);
  for (const auto& o : outcomes) CHECK_MESSAGE(o.error.empty(), o.error);
}

TEST_CASE("a long string does not overflow the schema's regular expressions") {
  testing::Season s;
  Ledger l(s.path(), true);
  const std::string epc = "urn:epc:id:sgtin:0614141.107346." + std::string(kMaxEventStringBytes - 40, '7');
  auto out = import_text(l, s, doc_with("", R"({"type":"ObjectEvent","eventTime":"2022-10-06T08:00:00+08:00",)"
                                            R"("eventTimeZoneOffset":"+08:00","action":"OBSERVE","epcList":[")" +
                                                epc + "\"]}"));
  REQUIRE(out.size() == 1);
  CHECK(out[0].error.empty());
}

TEST_CASE("CBV 2.0 Event Hash ID: GS1's reference implementation's published example") {
  const fs::path dir = fs::path(AGTRACE_TEST_DATA) / "vectors" / "epcis-hash";
  auto d = nlohmann::json::parse(slurp(dir / "epcisDocWithSingleEvent.jsonld"));
  auto trim = [](std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
    return s;
  };
  const auto prefixes = epcis::context_prefixes(d["@context"]);
  const auto& e = d["epcisBody"]["eventList"][0];
  CHECK(epcis::event_prehash(e, prefixes) == trim(slurp(dir / "epcisDocWithSingleEvent.prehashes")));
  CHECK(epcis::event_hash_id(e, prefixes) == trim(slurp(dir / "epcisDocWithSingleEvent.hashes")));
  // Normalised numbers hash as the numbers did.
  CHECK(epcis::event_hash_id(epcis::normalise_numbers(e), prefixes) == epcis::event_hash_id(e, prefixes));
}

TEST_CASE("the Event Hash ID is the same for one event however it is written, and differs when it says something else") {
  const std::map<std::string, std::string> ex = {{"ex", "https://partner.example/epcis/"}};
  auto e = nlohmann::json::parse(
      R"({"type":"ObjectEvent","eventTime":"2024-05-03T01:30:00+08:00","eventTimeZoneOffset":"+08:00",)"
      R"("action":"OBSERVE","bizStep":"shipping","epcList":["urn:epc:id:sgtin:0614141.107346.2","urn:epc:id:sgtin:0614141.107346.1"],)"
      R"("quantityList":[{"epcClass":"urn:epc:class:lgtin:4012345.012345.A1","quantity":10.50,"uom":"KGM"}],)"
      R"("ex:temp":{"ex:max":4.5,"ex:min":0}})");
  const auto id = epcis::event_hash_id(e, ex);
  CHECK(id.rfind("ni:///sha-256;", 0) == 0);
  auto same = e;
  same["eventTime"] = "2024-05-02T17:30:00.000Z";
  same["recordTime"] = "2024-05-02T18:00:00Z";
  same["eventID"] = "urn:uuid:whatever";
  same["bizStep"] = "urn:epcglobal:cbv:bizstep:shipping";
  same["epcList"] = {"https://id.gs1.org/01/10614141073464/21/1", "urn:epc:id:sgtin:0614141.107346.2"};
  same["quantityList"][0]["quantity"] = "10.5";
  CHECK(epcis::event_hash_id(same, ex) == id);
  auto later = e;
  later["eventTime"] = "2024-05-03T01:30:01+08:00";
  CHECK(epcis::event_hash_id(later, ex) != id);
  auto other = e;
  other["ex:temp"]["ex:max"] = 5;
  CHECK(epcis::event_hash_id(other, ex) != id);
  // An extension named like a time that holds no time is hashed as it is, not refused.
  auto zone = e;
  zone["ex:timeZone"] = "Asia/Shanghai";
  CHECK(epcis::event_prehash(zone, ex).find("{https://partner.example/epcis/}timeZone=Asia/Shanghai") != std::string::npos);
}

namespace {

// The import options of a ledger at `rules_version` (as the ledger overload builds them).
epcis::ImportOptions options_of(Ledger& l, int rules_version) {
  epcis::ImportOptions o;
  o.recorded_event = [&l](const std::string& id) -> std::optional<nlohmann::json> {
    auto e = l.store().event_by_id(id);
    if (!e) return std::nullopt;
    return l.store().event_at(e->entry_idx);
  };
  o.correction_party = "COOP";
  o.rules_version = rules_version;
  return o;
}

}  // namespace

TEST_CASE("rules version 2: one event written with +08:00 or Z, with or without recordTime, is one event; version 1 imports are still recognised") {
  const std::string plus8 = observe("");
  std::string z = plus8;
  z.replace(z.find("2022-10-06T08:00:00+08:00"), 25, "2022-10-06T00:00:00.000Z");
  const std::string with_record = observe(R"(,"recordTime":"2022-10-06T09:00:00+08:00")");

  testing::Season s;
  Ledger l(s.path(), true);
  auto first = epcis::events_from_epcis(doc_with("", plus8), "a.json", options_of(l, 2));
  REQUIRE(first.size() == 1);
  CHECK(first[0].event["event_id"].get<std::string>().rfind("ni:///sha-256;", 0) == 0);
  auto recorded = l.append(first, s.clerk(), {});
  REQUIRE(recorded.at(0).index);
  const auto size = l.size();
  for (const auto& text : {z, with_record}) {
    auto again = epcis::events_from_epcis(doc_with("", text), "b.json", options_of(l, 2));
    REQUIRE(again.size() == 1);
    CHECK(again[0].event["event_id"] == first[0].event["event_id"]);
    auto o = l.append(again, s.clerk(), {});
    CHECK(o.at(0).duplicate);
  }
  CHECK(l.size() == size);
  // Under version 1 the two spellings were two events (the digest of the event as written).
  auto v1_plus8 = epcis::events_from_epcis(doc_with("", plus8), "a.json", options_of(l, 1));
  auto v1_z = epcis::events_from_epcis(doc_with("", z), "b.json", options_of(l, 1));
  CHECK(v1_plus8[0].event["event_id"] != v1_z[0].event["event_id"]);
  CHECK(v1_plus8[0].event["event_id"].get<std::string>().rfind("epcis:sha-256:", 0) == 0);

  // A document imported under version 1 is recognised under version 2: a no-op.
  testing::Season s2;
  Ledger l2(s2.path(), true);
  auto old = l2.append(epcis::events_from_epcis(doc_with("", plus8), "a.json", options_of(l2, 1)), s2.clerk(), {});
  REQUIRE(old.at(0).index);
  const auto size2 = l2.size();
  for (int round = 0; round < 2; ++round) {
    auto now = epcis::events_from_epcis(doc_with("", plus8), "a.json", options_of(l2, 2));
    CHECK(now.at(0).event["event_id"].get<std::string>().rfind("epcis:sha-256:", 0) == 0);
    CHECK(l2.append(now, s2.clerk(), {}).at(0).duplicate);
  }
  CHECK(l2.size() == size2);
  CHECK_NOTHROW(l2.verify(std::nullopt));
}

TEST_CASE("through the CLI: a document imported under rules version 1 is still already imported after `upgrade`; "
          "under version 2 +08:00 and Z are one event") {
  // A copy of the ledger written before rules versions existed (tests/fixtures/ledger-v1).
  const fs::path fixture = fs::path(AGTRACE_TEST_DATA) / "fixtures" / "ledger-v1";
  testing::Season scratch;  // for its folder
  const fs::path dir = scratch.dir() / "v1";
  fs::create_directories(dir);
  for (const char* f : {"ledger.db", "log.key", "log.key.pub", "clerk.key", "clerk.key.pub"})
    fs::copy_file(fixture / f, dir / f);
  for (const char* key : {"log.key", "clerk.key"})
    fs::permissions(dir / key, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace);
  const std::string cli = testing::ledger_binary() + " --ledger " + (dir / "ledger.db").string() + " ";
  const std::string import = cli + "import --format epcis --key " + (dir / "clerk.key").string() + " ";
  auto size = [&] { return Ledger((dir / "ledger.db").string(), false).size(); };
  auto write = [&](const char* name, const std::string& text) {
    std::ofstream(dir / name, std::ios::trunc) << text;
    return (dir / name).string();
  };
  REQUIRE(Ledger((dir / "ledger.db").string(), false).rules_version() == kRulesV1);

  const std::string plus8 = observe("");
  std::string z = plus8;
  z.replace(z.find("2022-10-06T08:00:00+08:00"), 25, "2022-10-06T00:00:00Z");
  std::string out, err;
  REQUIRE_MESSAGE(testing::run(import + write("old.jsonld", doc_with("", plus8)), out, err) == 0, err);
  const auto after_v1 = size();
  CHECK(Ledger((dir / "ledger.db").string(), false).entry(after_v1 - 1).event["event_id"].get<std::string>().rfind(
            "epcis:sha-256:", 0) == 0);

  REQUIRE(testing::run(cli + "upgrade --log-key " + (dir / "log.key").string(), out, err) == 0);
  REQUIRE(Ledger((dir / "ledger.db").string(), false).rules_version() >= kRulesV2);
  const auto upgraded = size();
  REQUIRE(testing::run(import + (dir / "old.jsonld").string(), out, err) == 0);
  CAPTURE(out);
  CHECK(out.find(": recorded ") == std::string::npos);
  CHECK(size() == upgraded);

  // A new event, written at +08:00 and then in UTC with a recordTime: one entry, its id the
  // Event Hash ID.
  const std::string other = observe(R"(,"bizStep":"shipping")");
  std::string other_z = observe(R"(,"bizStep":"shipping","eventTime":"2022-10-06T00:00:00.000Z","recordTime":"2022-10-06T01:00:00Z")");
  REQUIRE(testing::run(import + write("new.jsonld", doc_with("", other)), out, err) == 0);
  CHECK(size() == upgraded + 1);
  CHECK(Ledger((dir / "ledger.db").string(), false).entry(upgraded).event["event_id"].get<std::string>().rfind(
            "ni:///sha-256;", 0) == 0);
  REQUIRE(testing::run(import + write("new-z.jsonld", doc_with("", other_z)), out, err) == 0);
  CHECK(out.find(": recorded ") == std::string::npos);
  CHECK(size() == upgraded + 1);
  CHECK(testing::run(cli + "verify", out, err) == 0);
}

TEST_CASE("canonical_epcis_document gives the RFC 8785 bytes of epcis_document, one event at a time") {
  const nlohmann::json a = {{"type", "ObjectEvent"}, {"eventTime", "2022-10-05T08:30:00+08:00"}, {"action", "OBSERVE"},
                            {"bizStep", "inspecting"}, {"agtrace:note", "抽检 合格 \u00e9"}};
  const nlohmann::json b = {{"type", "TransformationEvent"}, {"eventTime", "2022-10-06T08:30:00+08:00"},
                            {"inputEPCList", nlohmann::json::array()}, {"x:y", 1}};
  const std::vector<std::map<std::string, std::string>> prefixes = {
      {{"x", "https://partner.example/x#"}}, {{"x", "https://other.example/x#"}}, {}};  // b's "x" conflicts
  for (const auto& events : std::vector<std::vector<nlohmann::json>>{{}, {a}, {a, b}, {b, a, a}}) {
    CAPTURE(events.size());
    const std::string want =
        agtrace::json::canonicalize(epcis::epcis_document(events, prefixes, "2022-10-07T00:00:00Z"));
    CHECK(epcis::canonical_epcis_document(events, prefixes, "2022-10-07T00:00:00Z") == want);
  }
  // The conflicting declaration went on the event, as epcis_document puts it.
  CHECK(epcis::canonical_epcis_document({a, b}, prefixes, "2022-10-07T00:00:00Z").find(
            R"("@context":{"x":"https://other.example/x#"})") != std::string::npos);
}

TEST_CASE("canonical_epcis_document splices in the agtrace:event bytes it is given, and gives the same bytes") {
  const nlohmann::json ours = {{"type", "harvest"}, {"event_id", "H-1"}, {"lot", "批次 1"}, {"quantity", {{"value", "10"}}}};
  auto mapped = [&](nlohmann::json extra) {
    nlohmann::json x = {{"type", "ObjectEvent"}, {"eventTime", "2022-10-05T08:30:00+08:00"}, {"agtrace:event", ours}};
    if (extra.is_object()) x.update(extra);
    return x;
  };
  const std::string canonical = agtrace::json::canonicalize(ours);
  // An event with the placeholder's text inside a string, and one with a second member of
  // that name (null) deeper in, in a member that sorts first: both must come out as without
  // the splice.
  const std::vector<nlohmann::json> events = {
      mapped({}), mapped({{"agtrace:note", R"(a "agtrace:event":null b)"}}),
      mapped({{"agtrace:a", {{"agtrace:event", nullptr}}}}), {{"type", "ObjectEvent"}}};
  const std::vector<std::map<std::string, std::string>> prefixes(events.size());
  const std::string want = agtrace::json::canonicalize(epcis::epcis_document(events, prefixes, "2022-10-07T00:00:00Z"));
  CHECK(epcis::canonical_epcis_document(events, prefixes, "2022-10-07T00:00:00Z",
                                        {&canonical, &canonical, &canonical, &canonical}) == want);
  CHECK(epcis::canonical_epcis_document(events, prefixes, "2022-10-07T00:00:00Z", {&canonical, nullptr}) == want);
  // What is given is what goes in (the caller vouches for it): other bytes show up in the output.
  const std::string other = R"({"spliced":true})";
  const std::string with_other = epcis::canonical_epcis_document({mapped({})}, {{}}, "2022-10-07T00:00:00Z", {&other});
  CHECK(with_other.find(R"("agtrace:event":{"spliced":true})") != std::string::npos);
}
