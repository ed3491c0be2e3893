// Rules version 8 (docs/rules-versions.md "Version 8", "A lot is taken from in the unit it was
// made in"), from issue 16's clerk trial: "A lot harvested in 箱 (count, H87) can be packed by the
// kilo … an input in a unit the lot never had must be refused, naming the column and saying the lot
// is counted in 件 (or kg)." A packed lot, whose pieces have a stated size, is still taken from by
// weight or by the piece. Version 7 bridged pieces and kilograms through the product's pack_size
// (the size of a packed piece, not of a harvest box) and keeps doing so for its entries.
#include <doctest/doctest.h>

#include "ledger/event/rules_version.h"
#include "ledger/i18n/messages.h"
#include "ledger/testing/ledger_at_version.h"

using namespace agtrace;
using agtrace::testing::contains;
using agtrace::testing::LedgerAtVersion;
using Json = nlohmann::json;

namespace {

// The product LCDC again with a pack size of 10 kg (master data: the latest record counts), and the
// harvest H2 of 40 boxes (箱, H87) from P1.
void boxes_harvested(LedgerAtVersion& L) {
  L.ok_all({Json{{"type", "product"}, {"event_id", "pr-2"}, {"event_time", "2022-01-02T00:00:00Z"},
                 {"product_id", "LCDC"}, {"name", "潞城大葱"}, {"brand", {{"regional", "潞城大葱"}}},
                 {"pack_size", {{"value", "10"}, {"unit", "KGM"}}}},
            Json{{"type", "harvest"}, {"event_id", "e-h2"}, {"event_time", "2022-10-02T00:00:00+08:00"},
                 {"party", "SDD"}, {"location", "B1"}, {"lot", "H2"}, {"from_lot", "P1"},
                 {"quantity", {{"value", "40"}, {"unit", "H87"}}}}});
}

// A packing of `count` pieces of 10 kg from `input_lot`, taking `value` `unit` of it.
Json packing(const std::string& id, const std::string& input_lot, const std::string& value, const std::string& unit,
             const std::string& lot, int count) {
  return {{"type", "packing"}, {"event_id", id}, {"event_time", "2022-10-03T00:00:00+08:00"},
          {"party", "SDD"}, {"location", "B1"}, {"input_lot", input_lot},
          {"input_quantity", {{"value", value}, {"unit", unit}}}, {"lot", lot}, {"product", "LCDC"},
          {"count", count}, {"pack_size", {{"value", "10"}, {"unit", "KGM"}}}};
}

}  // namespace

TEST_CASE("version 8: a lot counted in pieces is not taken from by the kilo (unless packed), nor a lot in kilograms by the piece") {
  LedgerAtVersion L("lot-unit-v8", kRulesV8);
  boxes_harvested(L);
  // 100 kg of a lot of 40 boxes: refused naming the field, the lot and both units; nothing written.
  const Json by_kilo = packing("pk-1", "H2", "100", "KGM", "K1", 10);
  const std::string why = L.refused(by_kilo);
  CHECK(contains(why, "field input_quantity: " +
                          i18n::text(i18n::Lang::en, i18n::Msg::rule_lot_unit_never, "H2", "pieces", "kg")));
  const std::string zh = agtrace::testing::bad_input_message([&] {
    PreparedEvent p = prepare_event(by_kilo, "test");
    p.lang = i18n::Lang::zh;  // a clerk writing Chinese
    Ledger l(L.path, true);
    l.append({p}, L.clerk, {});
  });
  CHECK(contains(zh, "批次「H2」是按件记的，这里写的是公斤"));
  // The same packing counted in boxes is accepted: 10 of the 40.
  L.ok(packing("pk-2", "H2", "10", "H87", "K2", 10));
  // A packed lot's pieces have a stated size: 30 kg of K2's 10 kg pieces may be taken by weight
  // (a buyer's mix of packed lots, examples/lucheng-2022/12-taiyuan-mix.csv).
  L.ok(packing("pk-5", "K2", "30", "KGM", "K5", 3));
  // And the harvest H1 of 100 kg is not taken from by the piece.
  CHECK(contains(L.refused(packing("pk-3", "H1", "2", "H87", "K3", 2)),
                 "field input_quantity: " +
                     i18n::text(i18n::Lang::en, i18n::Msg::rule_lot_unit_never, "H1", "kg", "pieces")));
  L.ok(packing("pk-4", "H1", "20", "KGM", "K4", 2));
}

TEST_CASE("version 7 keeps bridging pieces and kilograms through the product's pack size") {
  LedgerAtVersion L("lot-unit-v7", kRulesV7);
  boxes_harvested(L);
  const auto before = L.size();
  L.ok(packing("pk-1", "H2", "100", "KGM", "K1", 10));  // 100 kg = 10 boxes of the 10 kg pack size
  CHECK(L.size() == before + 1);
  // 40 boxes − 10 left 30: 310 kg (31 boxes) is more than that, counted the old way.
  CHECK(contains(L.refused(packing("pk-2", "H2", "310", "KGM", "K2", 31)),
                 i18n::text(i18n::Lang::en, i18n::Msg::rule_lot_short, "H2", "30", "40", "31", "pieces")));
}
