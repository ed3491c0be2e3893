// A buyer receiving from growers outside the system (rules version 5, ledger/event/received_lot.h,
// docs/certificate.md "Buying from growers outside the system"): "From version 5,
// certificate_received may introduce the lot it names when the ledger does not know it: an
// external lot whose product and quantity are the certificate's; the buyer can then mix it and
// re-issue (样式二) as today. … 'no records' must never count as 质量安全控制符合要求 for a
// certificate of that lot or of lots made from it by a producer (样式一)." Under version 4 the
// unknown lot is refused as before; every refusal leaves the ledger as it was; verify, an EPCIS
// export and a bundle of the lot keep verifying.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "ledger/append.h"
#include "ledger/epcis/epcis_check.h"
#include "ledger/event/rules_version.h"
#include "ledger/i18n/messages.h"
#include "ledger/i18n/refusal.h"
#include "ledger/ledger.h"
#include "ledger/regulator/bundle.h"
#include "ledger/store/schema.h"
#include "ledger/store/store.h"
#include "ledger/testing/expect_error.h"
#include "ledger/testing/ledger_at_version.h"

using namespace agtrace;
using agtrace::testing::bad_input_message;
using agtrace::testing::contains;
using agtrace::testing::LedgerAtVersion;
using Json = nlohmann::json;
namespace fs = std::filesystem;

namespace {

// The grower XAX's paper certificate 纸-001 for 2000 kg, collected by BUY with lot `lot`.
Json paper(const std::string& lot, const std::string& id = "recv-1", const std::string& number = "纸-001") {
  return {{"type", "certificate_received"}, {"event_id", id}, {"event_time", "2022-10-06T07:00:00+08:00"},
          {"party", "BUY"}, {"number", number}, {"issuer", "XAX"}, {"issued_on", "2022-10-05"},
          {"lot", lot}, {"quantity", {{"value", "2000"}, {"unit", "KGM"}}}, {"product", "LCDC"}};
}

Json mix(const std::string& kg_from_paper) {
  return {{"type", "transformation"}, {"event_id", "mix"}, {"event_time", "2022-10-06T09:00:00+08:00"},
          {"party", "BUY"}, {"location", "B1"}, {"kind", "merge"},
          {"inputs", {{{"lot", "H1"}, {"quantity", {{"value", "100"}, {"unit", "KGM"}}}},
                      {{"lot", "XAX-1006"}, {"quantity", {{"value", kg_from_paper}, {"unit", "KGM"}}}}}},
          {"outputs", {{{"lot", "MIX-1"}, {"quantity", {{"value", "2100"}, {"unit", "KGM"}}}}}}};
}

Json certificate(const std::string& number, const std::string& style, const std::string& lot, const Json& bases) {
  Json c = {{"type", "certificate_issued"}, {"event_id", "c-" + number}, {"event_time", "2022-10-07T08:00:00+08:00"},
            {"number", number}, {"style", style}, {"issuer", "BUY"}, {"lot", lot},
            {"quantity", {{"value", "2100"}, {"unit", "KGM"}}}, {"product", "LCDC"}, {"origin", "B1"},
            {"bases", bases}};
  if (style == "buyer") c["parents"] = {{{"issuer", "SDD"}, {"number", "SDD-0001"}}, {{"issuer", "XAX"}, {"number", "纸-001"}}};
  return c;
}

std::string slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

}  // namespace

TEST_CASE("version 4: a collected certificate names only a lot the ledger knows, refused with the old message") {
  LedgerAtVersion L("v4", kRulesV4);
  // The message append always gave for an unknown lot (the catalogue's, ledger/i18n/messages.h).
  CHECK(contains(L.refused(paper("XAX-1006")),
                 "field lot: " + i18n::text(i18n::Lang::en, i18n::Msg::unknown_lot, "XAX-1006")));
  Ledger l(L.path, false);
  CHECK_FALSE(l.store().lot("XAX-1006"));
  CHECK_NOTHROW(l.verify(std::nullopt));
}

TEST_CASE("version 5: a collected certificate brings in its lot; the buyer mixes it and re-issues (样式二)") {
  LedgerAtVersion L("v5", kRulesV5);
  // Without a product the lot's product would be unknown.
  Json no_product = paper("XAX-1006");
  no_product.erase("product");
  CHECK(contains(L.refused(no_product), "field product: lot \"XAX-1006\" is not in the ledger"));
  L.ok(paper("XAX-1006"));
  {
    Ledger l(L.path, false);
    auto lot = l.store().lot("XAX-1006");
    REQUIRE(lot);
    CHECK(lot->external);
    CHECK(lot->created_by == "certificate_received");
    CHECK(lot->product == "LCDC");
    auto made = l.store().produced("XAX-1006");
    REQUIRE(made.size() == 1);
    CHECK(made[0].amount == Decimal::parse("2000", "q"));
    auto c = l.store().received_certificate("XAX", "纸-001");
    REQUIRE(c);
    CHECK(c->lot == "XAX-1006");
  }
  // One lot per collected certificate.
  CHECK(contains(L.refused(paper("XAX-1006", "recv-2", "纸-002")),
                 "field lot: lot \"XAX-1006\" was brought in by another collected certificate"));
  // 样式一 on 质量安全控制符合要求 would rest on no records: refused for the lot itself, and below
  // for the lots made from it.
  const Json qc = {{{"basis", "quality_control"}}};
  Json own = certificate("BUY-0001", "producer", "XAX-1006", qc);
  own["quantity"]["value"] = "10";
  CHECK(contains(L.refused(own), "lot \"XAX-1006\" is an external lot (brought in by the certificate_received"));
  // The lot gives out no more than the certificate says.
  CHECK(contains(L.refused(mix("2001")), "field inputs[1].quantity: lot \"XAX-1006\" has only 2000 kg left"));
  L.ok(mix("2000"));
  // (A producer's certificate of the mix covers only its 2000 kg that no certificate covers yet.)
  Json mixed = certificate("BUY-0001", "producer", "MIX-1", qc);
  mixed["quantity"]["value"] = "2000";
  CHECK(contains(L.refused(mixed), "field bases[0].basis: 批次「MIX-1」的来源批次「XAX-1006」是外来批次"));
  // 样式二 rests on the collected certificates.
  Json reissue = certificate("BUY-0001", "buyer", "MIX-1", qc);
  reissue["parents"].erase(1);
  CHECK(contains(L.refused(reissue), "field parents: no certificate is named for input lot \"XAX-1006\""));
  L.ok(certificate("BUY-0001", "buyer", "MIX-1", qc));
  // A test of the lot supports a producer's certificate as before.
  L.ok(Json{{"type", "inspection"}, {"event_id", "I-LAB"}, {"event_time", "2022-10-07T09:00:00+08:00"},
            {"party", "LAB"}, {"location", "B1"}, {"lots", {"XAX-1006"}}, {"report_no", "R-1"}, {"result", "pass"},
            {"items", {{{"name", "毒死蜱"}, {"measured", "0.01"}, {"limit", "0.02"}, {"result", "pass"}}}}});
  Json tested = certificate("BUY-0002", "producer", "MIX-1",
                            {{{"basis", "commissioned_test"}, {"evidence", {"I-LAB"}}}});
  tested["event_time"] = "2022-10-07T10:00:00+08:00";
  tested["quantity"]["value"] = "2000";
  CHECK(contains(L.refused(tested), "field quantity"));  // the buyer's re-issue covers the whole mix already
  L.ok(Json{{"type", "certificate_voided"}, {"event_id", "v1"}, {"event_time", "2022-10-07T09:30:00+08:00"},
            {"number", "BUY-0001"}, {"reason", "改为委托检测"}});
  L.ok(tested);

  Ledger l(L.path, true);
  l.sign_checkpoint(L.log_key);
  CHECK_NOTHROW(l.verify(std::nullopt));
  // A bundle of the mix (with its lineage: the received lot) and an EPCIS export verify offline.
  for (auto format : {regulator::ExportFormat::epcis, regulator::ExportFormat::csv}) {
    fs::path out = L.dir / fmt::format("bundle-{}", static_cast<int>(format));
    regulator::Selection sel;
    sel.lot = "MIX-1";
    regulator::export_bundle(l, sel, format, out);
    CHECK_NOTHROW(regulator::verify_bundle(out, l.info().log_key));
    if (format != regulator::ExportFormat::epcis) continue;
    const Json doc = Json::parse(slurp(out / "epcis.jsonld"));
    CHECK_NOTHROW(epcis::check_document(doc));
    bool received = false;
    for (const auto& e : doc["epcisBody"]["eventList"])
      received = received || e.value("bizStep", "") == "urn:agtrace:bizstep:certificate_received";
    CHECK(received);
  }
}

namespace {

// Locations for version 6: the grower's village HS (合室村) written on the paper, under the area
// AREA, and the co-op's base B1 recorded again under AREA (master data: the latest record counts).
std::vector<Json> villages() {
  auto loc = [](const std::string& id, const std::string& name, const std::string& kind, const std::string& parent) {
    Json l = {{"type", "location"}, {"event_id", "l-" + id}, {"event_time", "2022-01-02T00:00:00Z"},
              {"location_id", id}, {"name", name}, {"kind", kind}, {"owner", "SDD"}};
    if (!parent.empty()) l["parent"] = parent;
    return l;
  };
  return {loc("AREA", "店上镇大葱产区", "base", ""), loc("HS", "合室村", "base", "AREA"),
          loc("B1", "基地", "base", "AREA")};
}

Json inspection(const std::string& id, const std::string& party, const std::string& lot, const std::string& time) {
  return {{"type", "inspection"}, {"event_id", id}, {"event_time", time}, {"party", party}, {"location", "B1"},
          {"lots", {lot}}, {"report_no", "R-" + id}, {"result", "pass"},
          {"items", {{{"name", "毒死蜱"}, {"measured", "0.01"}, {"limit", "0.02"}, {"result", "pass"}}}}};
}

// The refusal of `e` in Chinese and in English (a catalogue Refusal's two texts; what() of any
// other error); checks that nothing was written.
std::string both(LedgerAtVersion& L, const Json& e) {
  const auto before = L.size();
  std::string out;
  for (auto lang : {i18n::Lang::zh, i18n::Lang::en}) {
    try {
      PreparedEvent p = prepare_event(e, "test");  // a schema refusal: an i18n::Refusal
      p.lang = lang;                               // the rules': in this language
      Ledger l(L.path, true);
      l.append({p}, L.clerk, {});
      FAIL("accepted: " << e.dump());
    } catch (const i18n::Refusal& r) {
      out += r.text(lang) + "\n";
    } catch (const Error& err) {
      CHECK(err.kind() == ErrorKind::bad_input);
      out += std::string(err.what()) + "\n";
    }
  }
  CHECK(L.size() == before);
  return out;
}

}  // namespace

TEST_CASE("version 5: a collected certificate has no 产地 yet, and a buyer's re-issue over a bought-in lot may still "
          "tick 质量安全控制符合要求 (as version 5 accepted it)") {
  LedgerAtVersion L("v5-origin", kRulesV5);
  L.ok_all(villages());
  Json with_origin = paper("XAX-1006");
  with_origin["origin"] = "HS";
  const std::string why = both(L, with_origin);
  CHECK(contains(why, "field origin: "));
  CHECK(contains(why, "账本的规则版本是 5，收取合格证还没有「产地」这一项"));
  L.ok(paper("XAX-1006"));
  L.ok(mix("2000"));
  L.ok(certificate("BUY-0001", "buyer", "MIX-1", {{{"basis", "quality_control"}}}));
  CHECK_NOTHROW(Ledger(L.path, false).verify(std::nullopt));
}

TEST_CASE("version 6: the 产地 on a paper certificate is recorded, and the buyer's re-issue (样式二) is checked "
          "against it") {
  LedgerAtVersion L("v6-origin", kRulesV6);
  L.ok_all(villages());
  // Bringing in a lot needs the paper's 产地.
  CHECK(contains(both(L, paper("XAX-1006")), "field origin: 批次「XAX-1006」不在账本中"));
  Json unknown_place = paper("XAX-1006");
  unknown_place["origin"] = "NOWHERE";
  CHECK(contains(both(L, unknown_place), "NOWHERE"));
  Json received = paper("XAX-1006");
  received["origin"] = "HS";
  L.ok(received);
  L.ok(mix("2000"));
  // B1 is where H1 grew, but the paper says 合室村: refused naming the paper and its 产地.
  Json at_base = certificate("BUY-0001", "buyer", "MIX-1",
                             {{{"basis", "self_tested"}, {"evidence", {"I-BUY-MIX"}}}});
  L.ok(inspection("I-BUY-MIX", "BUY", "MIX-1", "2022-10-07T07:00:00+08:00"));
  const std::string why = both(L, at_base);
  CHECK(contains(why, "field origin: 产地「B1」不是批次「MIX-1」的产地：它的来源批次「XAX-1006」随开具主体「XAX」的纸质合格证 纸-001 收取，纸上的产地是「HS」"));
  CHECK(contains(why, "the nearest location above all of them is \"AREA\" (店上镇大葱产区): name \"AREA\""));
  // The area above both the base and the village is accepted.
  Json in_area = at_base;
  in_area["origin"] = "AREA";
  L.ok(in_area);
  Ledger l(L.path, true);
  CHECK_NOTHROW(l.verify(std::nullopt));
}

TEST_CASE("version 6: what a buyer's re-issue over bought-in lots may rest on (docs/certificate.md \"What a "
          "buyer's 样式二 may tick\")") {
  LedgerAtVersion L("v6-basis", kRulesV6);
  L.ok_all(villages());
  Json received = paper("XAX-1006");
  received["origin"] = "HS";
  L.ok(received);
  L.ok(mix("2000"));
  auto reissue = [](const Json& bases) {
    Json c = certificate("BUY-0001", "buyer", "MIX-1", bases);
    c["origin"] = "AREA";
    return c;
  };
  // No records are no 质量安全控制符合要求, for the buyer too.
  CHECK(contains(both(L, reissue({{{"basis", "quality_control"}}})),
                 "field bases[0].basis: 批次「MIX-1」的来源批次「XAX-1006」是收购来的外来批次"));
  // A test of the co-op's own lot says nothing of the grower's.
  L.ok(inspection("I-BUY-H1", "BUY", "H1", "2022-10-06T10:00:00+08:00"));
  CHECK(contains(both(L, reissue({{{"basis", "self_tested"}, {"evidence", {"I-BUY-H1"}}}})),
                 "field bases[0].evidence: 作为自行检测合格依据的检测都没有检测批次「MIX-1」中的外来批次「XAX-1006」"));
  // The buyer's own test of the mixed lot supports 自行检测合格; another party's laboratory's,
  // 委托检测合格 (and not the other way round).
  L.ok(inspection("I-BUY-MIX", "BUY", "MIX-1", "2022-10-07T07:00:00+08:00"));
  L.ok(inspection("I-LAB-MIX", "LAB", "MIX-1", "2022-10-07T07:30:00+08:00"));
  CHECK(contains(both(L, reissue({{{"basis", "commissioned_test"}, {"evidence", {"I-BUY-MIX"}}}})),
                 "field bases[0].evidence[0]"));
  CHECK(contains(both(L, reissue({{{"basis", "self_tested"}, {"evidence", {"I-LAB-MIX"}}}})),
                 "field bases[0].evidence[0]"));
  // A test of the bought-in lot itself, with one of the co-op's lot, covers the mix too.
  L.ok(inspection("I-BUY-XAX", "BUY", "XAX-1006", "2022-10-06T10:30:00+08:00"));
  L.ok(reissue({{{"basis", "self_tested"}, {"evidence", {"I-BUY-H1", "I-BUY-XAX"}}},
                {{"basis", "commissioned_test"}, {"evidence", {"I-LAB-MIX"}}}}));
  CHECK_NOTHROW(Ledger(L.path, false).verify(std::nullopt));
}

TEST_CASE("version 6: a paper certificate's 开具日期 is not after it was received, and one without a number is "
          "recorded as 无编号-YYYYMMDD-N") {
  LedgerAtVersion L("v6-dates", kRulesV6);
  L.ok_all(villages());
  int n = 0;
  auto with = [&n](const std::string& number, const std::string& issued_on) {
    Json p = paper("XAX-1006", "recv-" + std::to_string(++n), number);
    p["origin"] = "HS";
    if (issued_on.empty())
      p.erase("issued_on");
    else
      p["issued_on"] = issued_on;
    return p;
  };
  // Received on 2022-10-06 (+08:00): issued the day after is refused, naming the field.
  const std::string later = both(L, with("纸-001", "2022-10-07"));
  CHECK(contains(later, "field issued_on: 开具日期 2022-10-07 晚于收取合格证的日期 2022-10-06"));
  // The day of receipt is at the event's own offset: 23:30 UTC on the 5th is the 6th in Beijing.
  Json utc = with("纸-001", "2022-10-06");
  utc["event_time"] = "2022-10-05T23:30:00Z";
  CHECK(contains(both(L, utc), "field issued_on: 开具日期 2022-10-06 晚于收取合格证的日期 2022-10-05"));
  // No number on the paper: the documented placeholder, its date the 开具日期.
  Json none = with("x", "2022-10-05");
  none.erase("number");
  CHECK(contains(both(L, none), "无编号-开具日期-序号"));
  CHECK(contains(both(L, with("无编号", "2022-10-05")), "field number: 「无编号」：没有编号的纸质合格证请登记为"));
  CHECK(contains(both(L, with("无编号-2022105-1", "2022-10-05")), "field number: "));
  CHECK(contains(both(L, with("无编号-20221004-1", "2022-10-05")),
                 "field number: 「无编号-20221004-1」中的日期 2022-10-04 与开具日期（2022-10-05）不一致"));
  CHECK(contains(both(L, with("无编号-20221005-1", "")), "field issued_on: "));
  L.ok(with("无编号-20221005-1", "2022-10-05"));
  CHECK_NOTHROW(Ledger(L.path, false).verify(std::nullopt));
}
