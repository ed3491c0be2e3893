// Measured values as laboratories write them (rules version 5, ledger/event/measured_value.h):
// "未检出 / ND / <0.01 (and 抑制率 percentages for quick tests) are refused as inspection measured
// values … accept these forms with their meaning kept (ND = below the limit of detection; '<0.01'
// = below 0.01 of the unit)". Version 4 refuses the new field, naming it; the ledger is unchanged
// on refusal; verify and the EPCIS export keep the meaning.
#include <doctest/doctest.h>

#include "ledger/epcis/epcis_check.h"
#include "ledger/epcis/epcis_export.h"
#include "ledger/event/measured_value.h"
#include "ledger/event/rules_version.h"
#include "ledger/ledger.h"
#include "ledger/testing/expect_error.h"
#include "ledger/testing/ledger_at_version.h"

using namespace agtrace;
using agtrace::testing::contains;
using agtrace::testing::LedgerAtVersion;
using Json = nlohmann::json;

namespace {

// A residue test of H1 by LAB with `items`.
Json inspection(const std::string& id, const Json& items, const std::string& result = "pass") {
  return {{"type", "inspection"}, {"event_id", id}, {"event_time", "2022-10-03T09:00:00+08:00"}, {"party", "LAB"},
          {"location", "B1"}, {"lots", {"H1"}}, {"report_no", "R-" + id}, {"result", result}, {"items", items}};
}

}  // namespace

TEST_CASE("parse_lab_value reads what labs write; measured_text shows it back with its meaning") {
  for (const char* nd : {"未检出", "ND", "nd", "N.D.", " ND "}) {
    CAPTURE(nd);
    auto v = parse_lab_value(nd);
    REQUIRE(v);
    CHECK_FALSE(v->measured);
    CHECK(v->qualifier == "not_detected");
  }
  for (const char* below : {"<0.01", "＜0.01", "< 0.01"}) {
    CAPTURE(below);
    auto v = parse_lab_value(below);
    REQUIRE(v);
    CHECK(v->measured == "0.01");
    CHECK(v->qualifier == "below");
    CHECK_FALSE(v->percent);
  }
  auto rate = parse_lab_value("35％");
  REQUIRE(rate);
  CHECK(rate->measured == "35");
  CHECK_FALSE(rate->qualifier);
  CHECK(rate->percent);
  auto plain = parse_lab_value("0.02");
  REQUIRE(plain);
  CHECK(plain->measured == "0.02");
  CHECK_FALSE(plain->qualifier);
  for (const char* bad : {"", "检出", "<", "0.01.2", "-0.1", "1e-3", "≤0.01", "<ND"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_lab_value(bad));
  }
  CHECK(measured_text({{"measured_qualifier", "not_detected"}, {"unit", "mg/kg"}}, true) == "未检出");
  CHECK(measured_text({{"measured_qualifier", "not_detected"}}, false) == "not detected (ND)");
  CHECK(measured_text({{"measured", "0.01"}, {"measured_qualifier", "below"}, {"unit", "mg/kg"}}, true) ==
        "<0.01 mg/kg");
  CHECK(measured_text({{"measured", "35"}, {"unit", "%"}}, true) == "35%");
  CHECK(measured_text({{"measured", "0.02"}, {"unit", "mg/kg"}}, false) == "0.02 mg/kg");
}

TEST_CASE("version 5 records 未检出 and <0.01 with their meaning; version 4 refuses the field, naming it") {
  const Json items = {
      {{"name", "毒死蜱"}, {"measured_qualifier", "not_detected"}, {"limit", "0.02"}, {"unit", "mg/kg"}, {"result", "pass"}},
      {{"name", "吡虫啉"}, {"measured", "0.01"}, {"measured_qualifier", "below"}, {"limit", "2"}, {"unit", "mg/kg"},
       {"result", "pass"}},
      {{"name", "有机磷和氨基甲酸酯类（酶抑制率）"}, {"measured", "35"}, {"limit", "50"}, {"unit", "%"}, {"result", "pass"}}};

  LedgerAtVersion old("measured", kRulesV4);
  const std::string why = old.refused(inspection("I-1", items));
  CHECK(contains(why, "field items[0].measured_qualifier: 该账本的规则版本为 4"));
  CHECK(contains(why, "agtrace-ledger upgrade --log-key LOGKEY"));
  old.ok(inspection("I-2", Json::array({items[2]})));  // a percentage is a number: every version takes it
  CHECK_NOTHROW(Ledger(old.path, false).verify(std::nullopt));

  LedgerAtVersion L("measured", kRulesV5);
  L.ok(inspection("I-1", items));
  // A bound above the limit cannot show the residue within it; a not-detected item has no value.
  Json over = items;
  over[1]["measured"] = "3";
  CHECK(contains(L.refused(inspection("I-3", over)), "field items[1]: 吡虫啉 measured 3 is over its limit 2"));
  Json both = items;
  both[0]["measured"] = "0";
  CHECK(contains(L.refused(inspection("I-4", both)), "field items[0].measured: 毒死蜱 为未检出（not_detected），没有测定值"));
  Json none = items;
  none[1].erase("measured");
  CHECK(contains(L.refused(inspection("I-5", none)), "field items[1].measured: missing"));
  Json unknown = items;
  unknown[0]["measured_qualifier"] = "trace";
  CHECK(contains(L.refused(inspection("I-6", unknown)), "items[0].measured_qualifier"));

  Ledger l(L.path, true);
  l.sign_checkpoint(L.log_key);
  CHECK_NOTHROW(l.verify(std::nullopt));
  // The EPCIS export carries the item as recorded (the whole event in agtrace:event), valid EPCIS 2.0.
  epcis::ExportContext ctx;
  ctx.base_url = "https://trace.example";
  ctx.master = [](const std::string&, const std::string&) -> const nlohmann::json* { return nullptr; };
  ctx.lot = [](const std::string& lot) { return std::pair<std::optional<std::string>, std::string>{std::nullopt, lot}; };
  ctx.event = [](const std::string&) { return std::optional<Json>{}; };
  auto x = epcis::to_epcis_event(inspection("I-1", items), ctx);
  REQUIRE(x);
  CHECK((*x)["agtrace:event"]["items"][0]["measured_qualifier"] == "not_detected");
  CHECK_FALSE((*x)["agtrace:event"]["items"][0].contains("measured"));
  CHECK((*x)["agtrace:event"]["items"][1]["measured_qualifier"] == "below");
  CHECK_NOTHROW(epcis::check_document(epcis::epcis_document({*x}, "2022-10-07T00:00:00Z")));
}
