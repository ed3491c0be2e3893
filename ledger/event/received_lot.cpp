// Lots received with a grower's paper certificate (received_lot.h; rules version 5).
#include "ledger/event/received_lot.h"

#include <fmt/format.h>

#include <algorithm>

#include "ledger/event/rules_version.h"
#include "ledger/util/error.h"

namespace agtrace {

namespace {

bool is_received(const nlohmann::json& e) { return e["type"] == "certificate_received"; }

}  // namespace

bool introduces_received_lot(const nlohmann::json& e, LedgerState& state) {
  return is_received(e) && state.rules_version() >= kRulesV5 && !state.lot(e["lot"].get<std::string>());
}

EventFacts with_received_lot(EventFacts facts, const nlohmann::json& e, LedgerState& state) {
  if (!introduces_received_lot(e, state)) return facts;
  const std::string lot = e["lot"];
  std::erase_if(facts.uses, [&](const LotMention& m) { return m.lot == lot; });
  std::optional<std::string> product;
  if (e.contains("product")) product = e["product"].get<std::string>();
  LotCreation made{lot, "lot", product, e["quantity"]};
  made.external = true;
  facts.creates.push_back(std::move(made));
  return facts;
}

void check_received_lot(const nlohmann::json& e, LedgerState& state) {
  if (!is_received(e) || state.rules_version() < kRulesV5) return;
  const std::string lot_id = e["lot"], number = e["number"];
  auto lot = state.lot(lot_id);
  if (!lot) {
    if (!e.contains("product"))
      throw_bad_input(fmt::format(
          "field product: 批次「{}」不在账本中，收取合格证 {} 将它登记为外来批次，须填写合格证上的产品（产品编号）/ lot "
          "\"{}\" is not in the ledger, so certificate {} brings it in as an external lot, whose product is the "
          "certificate's: give product (产品编号, recorded as a product first)",
          lot_id, number, lot_id, number));
    return;
  }
  if (lot->external && lot->created_by == "certificate_received")
    throw_bad_input(fmt::format(
        "field lot: 批次「{}」已由条目 {} 收取的另一张合格证登记；每张收取的合格证登记自己的批次，请为这张合格证的货物用"
        "新的批次编号（例如「{}-2」）/ lot \"{}\" was brought in by another collected certificate at entry {}; each "
        "collected certificate brings in its own lot — name a new lot for this one's produce (e.g. \"{}-2\")",
        lot_id, lot->created_entry, lot_id, lot_id, lot->created_entry, lot_id));
}

void check_quality_control_records(const nlohmann::json& e, const std::vector<std::string>& ancestry,
                                   LedgerState& state) {
  if (state.rules_version() < kRulesV5 || e.value("style", "") != "producer") return;
  const auto& bases = e["bases"];
  for (std::size_t b = 0; b < bases.size(); ++b) {
    if (bases[b]["basis"] != "quality_control") continue;
    for (const auto& a : ancestry) {
      auto lot = state.lot(a);
      if (!lot || !lot->external) continue;
      const std::string lot_id = e["lot"];
      const std::string via_zh = a == lot_id ? std::string() : fmt::format("的来源批次「{}」", a);
      const std::string via_en = a == lot_id ? std::string() : fmt::format(" is made from lot \"{}\", which", a);
      throw_bad_input(fmt::format(
          "field bases[{}].basis: 批次「{}」{}是外来批次（条目 {} 的 {}），账本中没有它的种植、用药和检测记录；没有记录不能证明"
          "质量安全控制符合要求。请改依据检测结果（自行检测合格 / 委托检测合格，先记录该批次的检测），或以收购者身份"
          "（样式二）凭收取的合格证开具 / lot \"{}\"{} is an external lot (brought in by the {} at entry {}): the "
          "ledger holds no planting, inputs or tests of it, and no records are no proof of 质量安全控制符合要求 "
          "(quality_control); tick a test basis (self_tested / commissioned_test, with the lot's inspection), or "
          "issue as the buyer (style buyer, 样式二) on the collected certificates",
          b, lot_id, via_zh, lot->created_entry, lot->created_by, lot_id, via_en, lot->created_by,
          lot->created_entry));
    }
  }
}

}  // namespace agtrace
