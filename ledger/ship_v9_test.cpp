// Rules version 9, "Shipping from a lot" (ship16; docs/rules-versions.md): issue 16's clerk trial
// shipped a lot three minutes after a recall that covered it, and shipped 1000, 500 and 9000 kg
// (a typo for 900) of a 3000 kg lot, all recorded. Version 9 refuses both, on append and in
// verify; version 8 keeps recording them, and a ledger that holds them keeps verifying.
#include <doctest/doctest.h>

#include "ledger/event/rules_version.h"
#include "ledger/event/shipping_rules.h"
#include "ledger/i18n/messages.h"
#include "ledger/testing/ledger_at_version.h"

using namespace agtrace;
using agtrace::testing::contains;
using agtrace::testing::LedgerAtVersion;
using Json = nlohmann::json;

namespace {

Json kg(const std::string& value) { return {{"value", value}, {"unit", "KGM"}}; }

// A shipping by `party` of `value` kg of `lot` (no quantity when `value` is empty) to `to`.
Json shipping(const std::string& id, const std::string& time, const std::string& lot, const std::string& value,
              const std::string& party = "SDD", const std::string& to = "BUY") {
  Json line = {{"lot", lot}};
  if (!value.empty()) line["quantity"] = kg(value);
  return {{"type", "shipping"}, {"event_id", id}, {"event_time", time}, {"party", party}, {"location", "B1"},
          {"lots", Json::array({line})}, {"to_party", to}};
}

Json recall(const std::string& id, const std::string& time, const std::string& lot) {
  return {{"type", "recall"}, {"event_id", id}, {"event_time", time}, {"lots", {lot}}, {"reason", "农残超标"},
          {"party", "SDD"}};
}

Json receiving(const std::string& id, const std::string& time, const std::string& lot, const std::string& value) {
  Json line = {{"lot", lot}};
  if (!value.empty()) line["quantity"] = kg(value);
  return {{"type", "receiving"}, {"event_id", id}, {"event_time", time}, {"party", "BUY"}, {"location", "B1"},
          {"lots", Json::array({line})}, {"from_party", "SDD"}};
}

Json packing(const std::string& id, const std::string& lot, int count) {
  return {{"type", "packing"}, {"event_id", id}, {"event_time", "2022-10-02T08:00:00+08:00"}, {"party", "SDD"},
          {"location", "B1"}, {"input_lot", "H1"}, {"input_quantity", kg(std::to_string(count * 5))}, {"lot", lot},
          {"product", "LCDC"}, {"count", count}, {"pack_size", kg("5")}};
}

std::string verify_failure(const std::string& path) {
  try {
    Ledger(path, false).verify(std::nullopt);
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::verification);
    return e.what();
  }
  FAIL("verify passed");
  return "";
}

}  // namespace

TEST_CASE("version 9: a recalled lot, or a lot made from one, is not shipped after the recall; recalled goods go back or to destruction") {
  LedgerAtVersion L("ship-recalled", kRulesV9);
  L.ok(packing("pk-1", "K1", 4));  // K1: 4 boxes of 5 kg from H1
  L.ok(shipping("s-early", "2022-10-03T06:00:00+08:00", "K1", ""));
  L.ok(recall("r-1", "2022-10-03T06:09:00+08:00", "H1"));
  const auto recall_entry = Ledger(L.path, false).size() - 1;
  // Three minutes later: refused, naming the lot list, the recall's time and entry (the Chinese
  // text: tests/ledger/ship16_test.cpp).
  const std::string why = L.refused(shipping("s-1", "2022-10-03T06:12:00+08:00", "K1", ""));
  CHECK(contains(why, "field lots[0].lot: lot \"K1\" is made from lot \"H1\", which was recalled at 2022-10-03 06:09"));
  CHECK(contains(why, "(entry " + std::to_string(recall_entry) + ", event r-1) and cannot be shipped"));
  CHECK(contains(L.refused(shipping("s-2", "2022-10-03T06:12:00+08:00", "H1", "10")), "field lots[0].lot: lot \"H1\" was recalled at 2022-10-03 06:09"));
  // Shipped before the recall, recorded after it: the fact stands (the recall report lists it).
  L.ok(shipping("s-late", "2022-10-03T06:05:00+08:00", "H1", "10"));
  // Back to the co-op, or to destruction, with recalled_goods.
  Json back = shipping("s-back", "2022-10-03T09:00:00+08:00", "K1", "", "SDD", "XAX");
  back["recalled_goods"] = "return";
  L.ok(back);
  // recalled_goods on a lot that is not recalled is refused.
  L.ok(Json{{"type", "harvest"}, {"event_id", "e-h2"}, {"event_time", "2022-10-04T00:00:00+08:00"}, {"party", "SDD"},
            {"location", "B1"}, {"lot", "H2"}, {"from_lot", "P1"}, {"quantity", kg("50")}});
  Json wrong = shipping("s-3", "2022-10-04T09:00:00+08:00", "H2", "10");
  wrong["recalled_goods"] = "destruction";
  CHECK(contains(L.refused(wrong), "field recalled_goods: " + i18n::text(i18n::Lang::en,
                                                                            i18n::Msg::ship_recalled_goods_not_recalled, "H2")));
  CHECK_NOTHROW(Ledger(L.path, false).verify(std::nullopt));

  // A v9 ledger forged past append: verify fails at the shipping, naming the finding.
  agtrace::testing::forge(L.path, shipping("s-forged", "2022-10-03T07:00:00+08:00", "K1", ""), L.clerk);
  const std::string failure = verify_failure(L.path);
  CHECK(contains(failure, "the ledger's rules refuse it"));
  CHECK(contains(failure, "field lots[0].lot: lot \"K1\" is made from lot \"H1\", which was recalled"));
}

TEST_CASE("version 9: shipments stay within what the lot holds; a buyer ships on what it received") {
  LedgerAtVersion L("ship-balance", kRulesV9);
  L.ok(packing("pk-1", "K1", 4));  // 20 of H1's 100 kg packed: 80 left
  L.ok(shipping("s-1", "2022-10-03T08:00:00+08:00", "H1", "50"));
  L.ok(shipping("s-2", "2022-10-03T09:00:00+08:00", "H1", ""));  // no quantity: not counted
  // 50 + 90 > 80: the packing balance's words, naming the quantity.
  CHECK(contains(L.refused(shipping("s-3", "2022-10-03T10:00:00+08:00", "H1", "90")),
                 "field lots[0].quantity: " +
                     i18n::text(i18n::Lang::en, i18n::Msg::rule_lot_short, "H1", "30", "100", "90", "kg")));
  // A quantity in a kind of unit the lot was never made in is refused as for a packing.
  Json boxes = shipping("s-4", "2022-10-03T10:00:00+08:00", "H1", "");
  boxes["lots"][0]["quantity"] = {{"value", "3"}, {"unit", "H87"}};
  CHECK(contains(L.refused(boxes), "field lots[0].quantity: " + i18n::text(i18n::Lang::en, i18n::Msg::rule_lot_unit_never,
                                                                             "H1", "kg", "pieces")));
  L.ok(shipping("s-5", "2022-10-03T10:00:00+08:00", "H1", "30"));
  // The buyer received 50 kg of H1 and ships on at most that; the co-op's count is not the buyer's.
  L.ok(receiving("rc-1", "2022-10-03T12:00:00+08:00", "H1", "50"));
  L.ok(shipping("s-6", "2022-10-04T08:00:00+08:00", "H1", "40", "BUY", "XAX"));
  CHECK(contains(L.refused(shipping("s-7", "2022-10-04T09:00:00+08:00", "H1", "20", "BUY", "XAX")),
                 i18n::text(i18n::Lang::en, i18n::Msg::rule_lot_short, "H1", "10", "50", "20", "kg")));
  // What show lot counts as shipped: the lot's own stock leaving, not the buyer's onward shipment.
  Decimal shipped;
  for (const auto& s : lot_shipments("H1", Ledger(L.path, false).store()))
    if (s.quantity && !s.onward) shipped = shipped + s.quantity->amount;
  CHECK(shipped.to_string() == "80");
  // A correction of a shipping stands in its place: 30 kg corrected to 25 is not counted twice.
  L.ok(Json{{"type", "correction"}, {"event_id", "c-s5"}, {"event_time", "2022-10-05T08:00:00+08:00"},
            {"corrected_event_id", "s-5"}, {"reason", "过磅有误"}, {"party", "SDD"},
            {"replacement", shipping("s-5", "2022-10-03T10:00:00+08:00", "H1", "25")}});
  CHECK_NOTHROW(Ledger(L.path, false).verify(std::nullopt));

  agtrace::testing::forge(L.path, shipping("s-forged", "2022-10-05T08:00:00+08:00", "H1", "9000"), L.clerk);
  const std::string failure = verify_failure(L.path);
  CHECK(contains(failure, "field lots[0].quantity: lot \"H1\" has only 5 kg left (of 100 kg made)"));
}

TEST_CASE("version 8: the same shipments are recorded and verify; recalled_goods and max_yield_kg_per_mu wait for version 9") {
  LedgerAtVersion L("ship-v8", kRulesV8);
  L.ok(recall("r-1", "2022-10-03T06:09:00+08:00", "H1"));
  L.ok(shipping("s-1", "2022-10-03T06:12:00+08:00", "H1", "1000"));
  L.ok(shipping("s-2", "2022-10-03T06:13:00+08:00", "H1", "9000"));
  Json back = shipping("s-back", "2022-10-03T09:00:00+08:00", "H1", "", "SDD", "XAX");
  back["recalled_goods"] = "return";
  CHECK(contains(L.refused(back), "field recalled_goods: " +
                                      i18n::text(i18n::Lang::en, i18n::Msg::ship_recalled_goods_needs_version, 8, 9)));
  CHECK(contains(L.refused(Json{{"type", "product"}, {"event_id", "pr-9"}, {"event_time", "2022-01-02T00:00:00Z"},
                                {"product_id", "MILLET"}, {"name", "小米"}, {"brand", {{"regional", "沁州黄"}}},
                                {"max_yield_kg_per_mu", "600"}}),
                 "field max_yield_kg_per_mu: 本账本的规则版本是 8"));
  CHECK_NOTHROW(Ledger(L.path, false).verify(std::nullopt));
  // Upgraded, the old entries keep their judgement; a new shipping of the recalled lot is refused.
  CHECK(Ledger(L.path, true).upgrade_rules(L.log_key, "version 9").to == kRulesV9);
  CHECK_NOTHROW(Ledger(L.path, false).verify(std::nullopt));
  CHECK(contains(L.refused(shipping("s-3", "2022-10-03T10:00:00+08:00", "H1", "")), "召回"));
}
