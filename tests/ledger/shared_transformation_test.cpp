// Issue 12 item 2, "Lineage as EPCIS defines it": GS1 EPCIS 2.0 TransformationEvents that
// share a transformationID are one transformation — any input of any of them may be in any
// output (DESIGN §2). The derived lineage follows that, so trace (both ways), the recall
// report (lots, trace codes, shipments, recipients), the verifier's code view (the recall
// banner) and export bundles reach every output of the shared transformation; a link that
// would make a lot its own ancestor is refused naming both events; scopes keep one party's
// (one partner key's) transformations apart; and a ledger of rules version 1 derives exactly
// the lineage it always did.
#include <doctest/doctest.h>

#include <fmt/format.h>

#include <set>

#include "ledger/append.h"
#include "ledger/event/event_facts.h"
#include "ledger/epcis/epcis_import.h"
#include "ledger/note/verifier_key.h"
#include "ledger/regulator/bundle.h"
#include "ledger/regulator/lineage.h"
#include "ledger/regulator/recall.h"
#include "ledger/store/schema.h"
#include "ledger/util/error.h"
#include "tests/support/ledger_fixture.h"
#include "tests/support/process.h"
#include "verifier/view/trace_view.h"

using namespace agtrace;
using namespace agtrace::regulator;
using json = nlohmann::json;
using Lots = std::set<std::string>;

namespace {

json ev(const std::string& type, const std::string& id, const std::string& time) {
  return {{"type", type}, {"event_id", id}, {"event_time", time}};
}
json kg(const std::string& v) { return {{"value", v}, {"unit", "KGM"}}; }

std::vector<PreparedEvent> prepared(const std::vector<json>& events) {
  std::vector<PreparedEvent> out;
  for (const auto& e : events) out.push_back(prepare_event(e, e["event_id"].get<std::string>()));
  return out;
}

// The lot id a partner's LGTIN class names (https://id.gs1.org/01/{GTIN}/10/{LOT}).
std::string partner_lot(const std::string& lot) { return *epcis_lot_id("urn:epc:class:lgtin:0614141.012345." + lot); }

// A partner's EPCIS document of TransformationEvents: each (id, time, inputs, outputs,
// transformationID or "" for none), lots as LGTIN classes of partner_lot().
struct PartnerEvent {
  std::string id, time;
  std::vector<std::string> in, out;
  std::string transformation_id;
};
std::string epcis_document(const std::vector<PartnerEvent>& events) {
  json list = json::array();
  for (const auto& p : events) {
    json x = {{"type", "TransformationEvent"}, {"eventID", p.id}, {"eventTime", p.time},
              {"eventTimeZoneOffset", "+08:00"}};
    for (const auto& [key, lots] : {std::pair{"inputQuantityList", &p.in}, std::pair{"outputQuantityList", &p.out}}) {
      x[key] = json::array();
      for (const auto& l : *lots)
        x[key].push_back({{"epcClass", "urn:epc:class:lgtin:0614141.012345." + l}, {"quantity", 100}, {"uom", "KGM"}});
    }
    if (!p.transformation_id.empty()) x["transformationID"] = p.transformation_id;
    list.push_back(x);
  }
  return json{{"@context", json::array({"https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"})},
              {"type", "EPCISDocument"},
              {"schemaVersion", "2.0"},
              {"creationDate", "2022-10-01T00:00:00+08:00"},
              {"epcisBody", {{"eventList", list}}}}
      .dump();
}

// A co-op's season with shared transformation ids, in a fresh ledger (rules version 2):
//
//   harvest PA → HA 1000 kg, PB → HB 800 kg, PC → HC 600 kg (PC/HC unrelated)
//   wash-in   (ZH-7)  HA 600 → W1 590          wash-out (ZH-7)  HB 400 → W2 400
//   oil       (none)  HC 500 → C1 500          split   W2 → W2a 200, W2b 200
//   packing W1 → K1 (100 boxes), W2a → K2 (40 boxes), C1 → K3 (100 boxes); labels on each
//   shipping K2 → BUYER-1 (SH-1)
//
// By its own inputs W2 comes from HB alone; as one transformation ZH-7 it comes from HA too.
// Partner P (key partner-p) sends TransformationEvents R1 → R2 and R3 → R4 sharing
// transformationID urn:epc:id:gdti:0614141.00001.7; we process R4 → G1 (→ K9, labels,
// shipped to BUYER-1). Partner Q (key partner-q) sends R5 → R6 with the same transformationID,
// and our own oil event above carries no id: neither joins P's.
class SharedSeason {
 public:
  SharedSeason()
      : log_key_(note::SigningKey::generate("trace.example/log")),
        clerk_(note::SigningKey::generate("clerk-li")),
        partner_p_(note::SigningKey::generate("partner-p")),
        partner_q_(note::SigningKey::generate("partner-q")) {
    log_key_.save((dir_ / "log.key").string());
    clerk_.save((dir_ / "clerk.key").string());
    Ledger::create(path(), "https://trace.example", log_key_);
    Ledger l(path(), true);
    for (const auto* k : {&clerk_, &partner_p_, &partner_q_}) {
      auto key = ev("key_added", "key-" + k->name(), "2022-01-01T00:00:00Z");
      key["name"] = k->name();
      key["vkey"] = note::verifier_key_of(*k).to_string();
      key["role"] = "clerk";
      l.append({prepare_event(key, "key")}, log_key_, {});
    }
    std::vector<json> e;
    auto party = [&](const std::string& id, const std::string& name) {
      auto p = ev("party", "party-" + id, "2022-01-01T00:00:00+08:00");
      p["party_id"] = id;
      p["name"] = name;
      p["role"] = id == "COOP" ? "cooperative" : "buyer";
      return p;
    };
    e.push_back(party("COOP", "山丹丹合作社"));
    auto buyer = party("BUYER-1", "太原鲜菜批发");
    buyer["contact"] = "王经理";
    buyer["phone"] = "+86 351 5550101";
    e.push_back(buyer);
    for (const char* id : {"PLOT-A", "PLOT-B", "PLOT-C", "BASE"}) {
      auto loc = ev("location", std::string("location-") + id, "2022-01-01T00:00:00+08:00");
      loc["location_id"] = id;
      loc["name"] = id;
      loc["kind"] = std::string(id) == "BASE" ? "packing_house" : "plot";
      loc["owner"] = "COOP";
      e.push_back(loc);
    }
    auto product = ev("product", "product-SCALLION", "2022-01-01T00:00:00+08:00");
    product["product_id"] = "SCALLION";
    product["name"] = "潞城大葱";
    product["brand"] = {{"regional", "潞城大葱"}};
    product["pack_size"] = kg("5");
    product["certificate_required"] = false;  // labels without a 承诺达标合格证 (rules version 4)
    e.push_back(product);
    l.append(prepared(e), clerk_, {});
    e.clear();

    auto at = [](json x, const std::string& location) {
      x["party"] = "COOP";
      x["location"] = location;
      return x;
    };
    for (auto [lot, harvest, plot, q] : {std::tuple{"PA", "HA", "PLOT-A", "1000"}, std::tuple{"PB", "HB", "PLOT-B", "800"},
                                         std::tuple{"PC", "HC", "PLOT-C", "600"}}) {
      auto p = at(ev("planting", std::string("plant-") + lot, "2022-04-01T08:00:00+08:00"), plot);
      p["lot"] = lot;
      p["product"] = "SCALLION";
      p["area_mu"] = "3.5";
      e.push_back(p);
      auto h = at(ev("harvest", std::string("harvest-") + harvest, "2022-10-01T09:00:00+08:00"), plot);
      h["lot"] = harvest;
      h["from_lot"] = lot;
      h["quantity"] = kg(q);
      e.push_back(h);
    }
    e.push_back(transformation("wash-in", "2022-10-02T08:00:00+08:00", {{"HA", "600"}}, {{"W1", "590"}}, "ZH-7"));
    e.push_back(transformation("wash-out", "2022-10-02T09:00:00+08:00", {{"HB", "400"}}, {{"W2", "400"}}, "ZH-7"));
    e.push_back(transformation("oil", "2022-10-02T10:00:00+08:00", {{"HC", "500"}}, {{"C1", "500"}}, ""));
    auto split = transformation("split-W2", "2022-10-03T08:00:00+08:00", {{"W2", "400"}}, {{"W2a", "200"}, {"W2b", "200"}}, "");
    split["kind"] = "split";
    e.push_back(split);
    for (auto [lot, from, boxes] : {std::tuple{"K1", "W1", 100}, std::tuple{"K2", "W2a", 40}, std::tuple{"K3", "C1", 100}})
      e.push_back(packing(lot, from, boxes));
    e.push_back(shipping("ship-SH-1", "K2", "SH-1"));
    l.append(prepared(e), clerk_, {});
    e.clear();

    // The partners' documents, through the EPCIS import, each signed by the partner's key.
    auto import = [&](const std::vector<PartnerEvent>& events, const note::SigningKey& key) {
      l.append(epcis::events_from_epcis(epcis_document(events), "partner.jsonld", l, key, std::nullopt), key, {});
    };
    import({{"p-1", "2022-10-02T08:00:00+08:00", {"R1"}, {"R2"}, kPartnerTransformation},
            {"p-2", "2022-10-02T09:00:00+08:00", {"R3"}, {"R4"}, kPartnerTransformation}},
           partner_p_);
    import({{"q-1", "2022-10-02T09:30:00+08:00", {"R5"}, {"R6"}, kPartnerTransformation}}, partner_q_);
    auto ours = transformation("process-R4", "2022-10-03T09:00:00+08:00", {{partner_lot("R4"), "100"}}, {{"G1", "100"}}, "");
    ours["outputs"][0]["product"] = "SCALLION";
    e.push_back(ours);
    e.push_back(packing("K9", "G1", 20));
    e.push_back(shipping("ship-SH-9", "K9", "SH-9"));
    l.append(prepared(e), clerk_, {});

    for (const char* lot : {"K1", "K2", "K3", "K9"}) {
      for (int i = 0; i < 2; ++i) codes_[lot].push_back(fmt::format("{}{:0>11}", lot, i + 1));
      l.record_label_job({"labels_issued", lot, codes_[lot], "COOP", "BASE", "box", "file", ""}, clerk_);
    }
    l.sign_checkpoint(log_key_);
  }

  static constexpr const char* kPartnerTransformation = "urn:epc:id:gdti:0614141.00001.7";

  std::string path() const { return (dir_ / "ledger.db").string(); }
  const testing::TempDir& dir() const { return dir_; }
  const note::SigningKey& clerk() const { return clerk_; }
  const note::SigningKey& log_key() const { return log_key_; }
  const note::SigningKey& partner_p() const { return partner_p_; }
  const note::SigningKey& partner_q() const { return partner_q_; }
  const std::vector<std::string>& codes(const std::string& lot) const { return codes_.at(lot); }

  static json transformation(const std::string& id, const std::string& time,
                             std::vector<std::pair<std::string, std::string>> in,
                             std::vector<std::pair<std::string, std::string>> out, const std::string& tid) {
    json t = {{"type", "transformation"}, {"event_id", id},  {"event_time", time},
              {"party", "COOP"},          {"location", "BASE"}, {"kind", "processing"}};
    t["inputs"] = json::array();
    for (auto& [lot, q] : in) t["inputs"].push_back({{"lot", lot}, {"quantity", kg(q)}});
    t["outputs"] = json::array();
    for (auto& [lot, q] : out) t["outputs"].push_back({{"lot", lot}, {"quantity", kg(q)}});
    if (!tid.empty()) t["transformation_id"] = tid;
    return t;
  }
  static json packing(const std::string& lot, const std::string& from, int boxes) {
    json p = {{"type", "packing"}, {"event_id", "pack-" + lot}, {"event_time", "2022-10-04T08:00:00+08:00"},
              {"party", "COOP"},   {"location", "BASE"},        {"input_lot", from},
              {"input_quantity", kg(std::to_string(boxes * 5))}, {"lot", lot}, {"count", boxes},
              {"pack_size", kg("5")}};
    return p;
  }
  static json shipping(const std::string& id, const std::string& lot, const std::string& no) {
    return {{"type", "shipping"},
            {"event_id", id},
            {"event_time", "2022-10-05T06:00:00+08:00"},
            {"party", "COOP"},
            {"location", "BASE"},
            {"lots", json::array({{{"lot", lot}, {"quantity", {{"value", "10"}, {"unit", "H87"}}}}})},
            {"to_party", "BUYER-1"},
            {"shipment_no", no}};
  }

 private:
  testing::TempDir dir_{"agtrace-shared-transformation"};
  note::SigningKey log_key_, clerk_, partner_p_, partner_q_;
  std::map<std::string, std::vector<std::string>> codes_;
};

Lots lots_of(const TraceResult& r) {
  Lots out;
  for (const auto& l : r.lots) out.insert(l.lot);
  return out;
}
Lots codes_of(const TraceResult& r) {
  Lots out;
  for (const auto& c : r.codes) out.insert(c.serial);
  return out;
}
Lots codes_of(const RecallReport& r) {
  Lots out;
  for (const auto& c : r.codes) out.insert(c.serial);
  return out;
}
Lots both(const SharedSeason& s, std::initializer_list<const char*> lots) {
  Lots out;
  for (const char* lot : lots)
    for (const auto& c : s.codes(lot)) out.insert(c);
  return out;
}

// Records a recall of `lot` and its descendants; returns its report.
RecallReport recall(Ledger& l, const SharedSeason& s, const std::string& lot, const std::string& id) {
  auto event = recall_event(l, {lot, "pesticide residue above the MRL", true, "COOP", id, "2022-10-06T08:00:00+08:00"});
  auto out = l.append({event}, s.clerk(), {});
  return recall_report(l, event.event, out.at(0).index);
}

// Whether the verifier's view of trace code `serial` shows a recall.
bool code_view_recalled(Ledger& l, const std::string& serial) {
  verifier::LedgerCache cache;
  auto v = verifier::load_code_view(l, cache, serial);
  REQUIRE(v);
  return !v->recalls.empty();
}

std::string refusal(Ledger& l, const json& event, const note::SigningKey& key) {
  try {
    l.append({prepare_event(event, event["event_id"].get<std::string>())}, key, {});
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::bad_input);
    return e.what();
  }
  FAIL("the event was accepted");
  return "";
}

}  // namespace

TEST_CASE("our transformations sharing a transformation_id: trace, recall report and every label's view") {
  SharedSeason s;
  Ledger l(s.path(), true);

  // Forward from HA reaches W2 (made under ZH-7 by its own inputs from HB alone) and all
  // that was made from it; backward from a K2 code reaches both plots' harvests.
  auto forward = trace(l, resolve_trace_start(l, "HA"), Direction::forward, std::nullopt);
  CHECK(lots_of(forward) == Lots{"HA", "W1", "W2", "W2a", "W2b", "K1", "K2"});
  CHECK(codes_of(forward) == both(s, {"K1", "K2"}));
  auto shipped = trace_json(forward)["shipments"];
  REQUIRE(shipped.size() == 1);
  CHECK(shipped[0]["to_party"] == "BUYER-1");
  auto one_step = trace(l, resolve_trace_start(l, "HA"), Direction::forward, 1);
  CHECK(lots_of(one_step) == Lots{"HA", "W1", "W2"});

  auto backward = trace(l, resolve_trace_start(l, s.codes("K2")[0]), Direction::backward, std::nullopt);
  CHECK(lots_of(backward) == Lots{"K2", "W2a", "W2", "HB", "HA", "PB", "PA"});
  Lots plots;
  const json backward_json = trace_json(backward);
  for (const auto& p : backward_json["plots"]) plots.insert(p["location"].get<std::string>());
  CHECK(plots == Lots{"PLOT-A", "PLOT-B"});
  // The oil lot, made without an id, stays apart.
  CHECK(lots_of(trace(l, resolve_trace_start(l, "HC"), Direction::forward, std::nullopt)) == Lots{"HC", "C1", "K3"});

  // Before the recall no label shows one.
  for (const char* lot : {"K1", "K2", "K3"})
    for (const auto& c : s.codes(lot)) CHECK_FALSE(code_view_recalled(l, c));

  auto report = recall(l, s, "HA", "recall-HA");
  Lots affected;
  for (const auto& a : report.lots) affected.insert(a.lot);
  CHECK(affected == Lots{"HA", "W1", "W2", "W2a", "W2b", "K1", "K2"});
  CHECK(codes_of(report) == both(s, {"K1", "K2"}));
  REQUIRE(report.shipments.size() == 1);
  CHECK(report.shipments[0].event_id == "ship-SH-1");
  CHECK(report.shipments[0].lots == json::array({{{"lot", "K2"}, {"quantity", {{"value", "10"}, {"unit", "H87"}}}}}));
  REQUIRE(report.recipients.size() == 1);
  CHECK(report.recipients[0].party == "BUYER-1");
  CHECK(report.recipients[0].contact == "王经理");
  CHECK(report.recipients[0].shipments == std::vector<std::string>{"ship-SH-1"});

  // The scan page's recall banner: every label made through ZH-7 from HA, none of K3's.
  for (const char* lot : {"K1", "K2"})
    for (const auto& c : s.codes(lot)) CHECK(code_view_recalled(l, c));
  for (const auto& c : s.codes("K3")) CHECK_FALSE(code_view_recalled(l, c));
  CHECK(recall_status(l.database(), "W2b"));
  CHECK_FALSE(recall_status(l.database(), "C1"));

  // A later member of ZH-7 joins too: its inputs reach every earlier output, and the
  // earlier inputs its outputs; mass balance stays per event.
  auto late = SharedSeason::transformation("wash-late", "2022-10-03T10:00:00+08:00", {{"HB", "300"}}, {{"W3", "300"}}, "ZH-7");
  l.append(prepared({late}), s.clerk(), {});
  CHECK(lots_of(trace(l, resolve_trace_start(l, "HA"), Direction::forward, 1)) == Lots{"HA", "W1", "W2", "W3"});
  CHECK(lots_of(trace(l, resolve_trace_start(l, "W1"), Direction::backward, 1)) == Lots{"W1", "HA", "HB"});
  CHECK(recall_status(l.database(), "W3"));
  auto over = SharedSeason::transformation("wash-over", "2022-10-03T11:00:00+08:00", {{"HB", "200"}}, {{"W4", "200"}}, "ZH-7");
  CHECK(refusal(l, over, s.clerk()).find("lot \"HB\" has only 100 kg left") != std::string::npos);

  // The audit recomputes the same lineage from the entries.
  CHECK_NOTHROW(Ledger(s.path(), false).verify(std::nullopt));
}

TEST_CASE("partner TransformationEvents sharing a transformationID, scoped by the signing key") {
  SharedSeason s;
  Ledger l(s.path(), true);
  const std::string r1 = partner_lot("R1"), r2 = partner_lot("R2"), r4 = partner_lot("R4"), r5 = partner_lot("R5"),
                    r6 = partner_lot("R6");

  auto forward = trace(l, resolve_trace_start(l, r1), Direction::forward, std::nullopt);
  CHECK(lots_of(forward) == Lots{r1, r2, r4, "G1", "K9"});  // not partner Q's R6
  CHECK(codes_of(forward) == both(s, {"K9"}));
  auto backward = trace(l, resolve_trace_start(l, s.codes("K9")[1]), Direction::backward, std::nullopt);
  CHECK(lots_of(backward) == Lots{"K9", "G1", r4, partner_lot("R3"), r1});
  CHECK(lots_of(trace(l, resolve_trace_start(l, r5), Direction::forward, std::nullopt)) == Lots{r5, r6});

  auto report = recall(l, s, r1, "recall-R1");
  Lots affected;
  for (const auto& a : report.lots) affected.insert(a.lot);
  CHECK(affected == Lots{r1, r2, r4, "G1", "K9"});
  CHECK(codes_of(report) == both(s, {"K9"}));
  REQUIRE(report.shipments.size() == 1);
  CHECK(report.shipments[0].event_id == "ship-SH-9");
  REQUIRE(report.recipients.size() == 1);
  CHECK(report.recipients[0].party == "BUYER-1");
  for (const auto& c : s.codes("K9")) CHECK(code_view_recalled(l, c));
  for (const char* lot : {"K1", "K2", "K3"})
    for (const auto& c : s.codes(lot)) CHECK_FALSE(code_view_recalled(l, c));

  // Our own transformation_id equal to the partner's joins ours only (scope party:COOP).
  auto same_id = SharedSeason::transformation("ours-same-id", "2022-10-03T12:00:00+08:00", {{"HC", "50"}}, {{"Z1", "50"}},
                                              SharedSeason::kPartnerTransformation);
  l.append(prepared({same_id}), s.clerk(), {});
  CHECK(lots_of(trace(l, resolve_trace_start(l, "Z1"), Direction::backward, std::nullopt)) == Lots{"Z1", "HC", "PC"});
  CHECK_NOTHROW(Ledger(s.path(), false).verify(std::nullopt));
}

TEST_CASE("a link through a shared id that would make a lot its own ancestor is refused naming both events") {
  SharedSeason s;
  Ledger l(s.path(), true);
  // W1 (wash-in, ZH-7) is packed into K1; a ZH-7 member taking K1 in would put K1 into W1.
  auto loop = SharedSeason::transformation("rewash", "2022-10-05T08:00:00+08:00", {{"K1", "50"}}, {{"W5", "50"}}, "ZH-7");
  const auto before = l.size();
  auto why = refusal(l, loop, s.clerk());
  CHECK(why.find("field transformation_id") != std::string::npos);
  CHECK(why.find("\"ZH-7\"") != std::string::npos);
  CHECK(why.find("event \"wash-in\"") != std::string::npos);
  CHECK(why.find("own ancestor") != std::string::npos);
  CHECK(l.size() == before);
  CHECK_FALSE(l.store().lot("W5"));

  // The same through the CLI: exit 2, the message, nothing written.
  testing::RunOptions options;
  options.stdin_data = loop.dump() + "\n";
  options.unset_env = {"AGTRACE_LEDGER"};
  auto r = testing::run({testing::ledger_binary(), "--ledger", s.path(), "record", "--key",
                         (s.dir() / "clerk.key").string(), "-"},
                        options);
  CHECK(r.exited_with(2));
  CHECK(r.err.find("field transformation_id") != std::string::npos);
  CHECK(r.err.find("wash-in") != std::string::npos);
  CHECK(Ledger(s.path(), false).size() == before);

  // A partner's: R4 (p-2) → R7 (no id); a member of P's transformation taking R7 in would put
  // R7 into R4.
  auto doc = epcis_document({{"p-3", "2022-10-04T08:00:00+08:00", {"R4"}, {"R7"}, ""},
                             {"p-4", "2022-10-04T09:00:00+08:00", {"R7"}, {"R8"}, SharedSeason::kPartnerTransformation}});
  try {
    l.append(epcis::events_from_epcis(doc, "partner.jsonld", l, s.partner_p(), std::nullopt), s.partner_p(), {});
    FAIL("a partner's lineage cycle was accepted");
  } catch (const Error& e) {
    std::string m = e.what();
    CHECK(m.find("field epcis.transformationID") != std::string::npos);
    CHECK(m.find("event \"p-2\"") != std::string::npos);
    CHECK(m.find("ask the partner") != std::string::npos);
  }
  CHECK(l.size() == before);
}

TEST_CASE("a partner's event listing one lot as input and output is accepted without a self-link") {
  SharedSeason s;
  Ledger l(s.path(), true);
  auto doc = epcis_document({{"p-self", "2022-10-04T08:00:00+08:00", {"S1"}, {"S1", "S2"}, "urn:epc:id:gdti:0614141.00001.9"},
                             {"p-self-2", "2022-10-04T09:00:00+08:00", {"S4"}, {"S5"}, "urn:epc:id:gdti:0614141.00001.9"}});
  l.append(epcis::events_from_epcis(doc, "partner.jsonld", l, s.partner_p(), std::nullopt), s.partner_p(), {});
  auto self = l.database().prepare("SELECT count(*) FROM lineage WHERE parent = child");
  self.step();
  CHECK(self.column_int(0) == 0);
  CHECK(lots_of(trace(l, resolve_trace_start(l, partner_lot("S1")), Direction::forward, std::nullopt)) ==
        Lots{partner_lot("S1"), partner_lot("S2"), partner_lot("S5")});
  CHECK(lots_of(trace(l, resolve_trace_start(l, partner_lot("S1")), Direction::backward, std::nullopt)) ==
        Lots{partner_lot("S1"), partner_lot("S4")});
  CHECK_NOTHROW(Ledger(s.path(), false).verify(std::nullopt));
}

TEST_CASE("an export bundle of a lot reached through a shared id verifies offline") {
  SharedSeason s;
  Ledger l(s.path(), true);
  testing::TempDir out{"agtrace-shared-bundle"};
  Selection sel;
  sel.lot = "HA";
  auto report = export_bundle(l, sel, ExportFormat::csv, out.path() / "b");
  CHECK(report.selected > 0);
  auto csv = testing::read_file(out.path() / "b" / "events.csv");
  CHECK(csv.find("wash-out") != std::string::npos);  // reached only through ZH-7
  CHECK(csv.find("ship-SH-1") != std::string::npos);
  CHECK(csv.find(",oil,") == std::string::npos);
  auto check = verify_bundle(out.path() / "b", note::verifier_key_of(s.log_key()));
  CHECK(check.selected == report.selected);
}

TEST_CASE("rules version 1: shared ids link nothing, the lineage is as before, and the file keeps verifying") {
  // A ledger as the code before rules versions wrote it: log_init without rules_version,
  // and no transformation_lots table.
  testing::TempDir dir{"agtrace-shared-v1"};
  const std::string path = (dir / "ledger.db").string();
  auto log_key = note::SigningKey::generate("trace.example/log");
  auto clerk = note::SigningKey::generate("clerk-li");
  {
    sql::Database db(path, sql::OpenMode::create);
    db.exec("PRAGMA journal_mode=WAL");
    db.exec(store::kPrimarySchema);
    db.exec(store::kDerivedSchema);
    db.exec(fmt::format("PRAGMA user_version = {}", store::kSchemaVersion));
    auto vkey = note::verifier_key_of(log_key);
    json init = {{"type", "log_init"},          {"event_id", "log-init"},
                 {"event_time", "2022-01-01T00:00:00Z"}, {"origin", log_key.name()},
                 {"base_url", "https://trace.example"},  {"log_key", vkey.to_string()}};
    auto key = ev("key_added", "key-clerk", "2022-01-01T00:00:00Z");
    key["name"] = clerk.name();
    key["vkey"] = note::verifier_key_of(clerk).to_string();
    key["role"] = "clerk";
    for (auto& [event, signer] : {std::pair{init, &log_key}, std::pair{key, &log_key}}) {
      std::vector<PreparedEvent> one = prepared({event});
      std::size_t next = 0;
      detail::append_events(db, [&]() -> std::optional<PreparedEvent> {
        if (next == one.size()) return std::nullopt;
        return std::move(one[next++]);
      }, *signer, {}, event["type"] == "log_init");
    }
    auto doc = epcis_document({{"v1-1", "2022-10-02T08:00:00+08:00", {"R1"}, {"R2"}, "urn:epc:id:gdti:0614141.00001.7"},
                               {"v1-2", "2022-10-02T09:00:00+08:00", {"R3"}, {"R4"}, "urn:epc:id:gdti:0614141.00001.7"}});
    epcis::ImportOptions none;
    auto events = epcis::events_from_epcis(doc, "partner.jsonld", none);
    std::size_t next = 0;
    detail::append_events(db, [&]() -> std::optional<PreparedEvent> {
      if (next == events.size()) return std::nullopt;
      return std::move(events[next++]);
    }, clerk, {}, false);
  }
  auto table_exists = [&] {
    sql::Database db(path, sql::OpenMode::read_only);
    auto s = db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'transformation_lots'");
    s.step();
    return s.column_int(0) == 1;
  };
  REQUIRE_FALSE(table_exists());
  {
    Ledger ro(path, false);
    CHECK(ro.store().rules_version() == 1);
    CHECK_NOTHROW(ro.verify(std::nullopt));  // the missing table reads as empty
    CHECK(lots_of(trace(ro, resolve_trace_start(ro, partner_lot("R1")), Direction::forward, std::nullopt)) ==
          Lots{partner_lot("R1"), partner_lot("R2")});
  }
  Ledger rw(path, true);  // a writer adds the table, empty
  CHECK(table_exists());
  CHECK_NOTHROW(rw.verify(std::nullopt));
  CHECK(lots_of(trace(rw, resolve_trace_start(rw, partner_lot("R1")), Direction::forward, std::nullopt)) ==
        Lots{partner_lot("R1"), partner_lot("R2")});
}

TEST_CASE("CSV import with the 转化编号 column") {
  testing::TestLedger t;
  using namespace testing::events;
  REQUIRE(t.record({planting("plant-A", "PA", "2022-04-01T08:00:00+08:00"),
                    planting("plant-B", "PB", "2022-04-01T08:00:00+08:00"),
                    harvest("harvest-A", "HA", "PA", "2022-10-01T09:00:00+08:00", "1000"),
                    harvest("harvest-B", "HB", "PB", "2022-10-01T09:00:00+08:00", "800")})
            .exited_with(0));
  auto csv = t.dir() / "wash.csv";
  testing::write_file(csv,
                      "事件类型,事件编号,时间,主体编号,地点编号,加工类型,投入批次,产出批次,单位,转化编号\n"
                      "加工,wash-in,2022-10-02T08:00:00+08:00,P-COOP,COLD-1,加工,HA*600,W1*590,千克,ZH-7\n"
                      "加工,wash-out,2022-10-02T09:00:00+08:00,P-COOP,COLD-1,加工,HB*400,W2*400,千克,ZH-7\n"
                      "加工,plain,2022-10-02T10:00:00+08:00,P-COOP,COLD-1,加工,HB*100,W3*100,千克,\n");
  REQUIRE(t.cli({"import", "--key", t.clerk_key().string(), "--format", "csv", csv.string()}).exited_with(0));
  {
    Ledger ro(t.path().string(), false);
    auto recorded = [&](const std::string& id) { return ro.store().event_at(ro.store().event_by_id(id)->entry_idx); };
    CHECK(recorded("wash-in")["transformation_id"] == "ZH-7");
    CHECK(recorded("wash-out")["transformation_id"] == "ZH-7");
    CHECK_FALSE(recorded("plain").contains("transformation_id"));
  }
  auto j = json::parse(t.must({"trace", "HA", "--forward", "--json"}));
  Lots lots;
  for (const auto& x : j["lots"]) lots.insert(x["lot"].get<std::string>());
  CHECK(lots == Lots{"HA", "W1", "W2"});
  CHECK(t.must({"columns", "transformation"}).find("转化编号") != std::string::npos);

  // A bad id: the row, the column and the field, exit 2, nothing written.
  auto before = t.snapshot();
  testing::write_file(csv,
                      "事件类型,事件编号,时间,主体编号,地点编号,加工类型,投入批次,产出批次,单位,转化编号\n"
                      "加工,wash-bad,2022-10-02T11:00:00+08:00,P-COOP,COLD-1,加工,HB*10,W9*10,千克,ZH 7\n");
  auto bad = t.cli({"import", "--key", t.clerk_key().string(), "--format", "csv", csv.string()});
  CHECK(bad.exited_with(2));
  CHECK(bad.err.find("第 2 行 J 列「转化编号」") != std::string::npos);  // Chinese headers: Chinese messages
  CHECK(t.snapshot() == before);
}
