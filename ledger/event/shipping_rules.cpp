// Rules version 9: what may leave a lot by a shipping (shipping_rules.h).
#include "ledger/event/shipping_rules.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "ledger/event/certificate_rules.h"
#include "ledger/event/rule_words.h"
#include "ledger/event/rules.h"
#include "ledger/event/rules_version.h"
#include "ledger/i18n/refusal.h"

namespace agtrace {

namespace {

using json = nlohmann::json;

// The lines of `e` (a shipping or receiving) naming `lot`: their quantities (nullopt: none).
std::vector<std::optional<BaseQuantity>> lines_of(const json& e, const std::string& lot) {
  std::vector<std::optional<BaseQuantity>> out;
  for (const auto& item : e["lots"]) {
    if (!item.is_object() || item["lot"] != lot) continue;
    if (item.contains("quantity")) out.emplace_back(to_base(item["quantity"], "quantity"));
    else out.emplace_back(std::nullopt);
  }
  return out;
}

// The parties that recorded a receiving of `lot` before entry `before`.
std::set<std::string> receivers(const std::string& lot, std::uint64_t before, LedgerState& state) {
  std::set<std::string> out;
  for (const auto& r : state.lot_events(lot, "receiving"))
    if (r.entry < before) out.insert(state.event_at(r.entry)["party"].get<std::string>());
  return out;
}

// The first recall on `lot`'s ancestry recorded before now whose time is not after `t`: the
// recall entry and event, and the ancestor it names; nullopt when none.
struct RecallFound {
  std::uint64_t entry;
  json event;
  std::string lot;
};
std::optional<RecallFound> recalled_at(const std::string& lot, const time::Timestamp& t, LedgerState& state) {
  for (const auto& a : lot_ancestry(lot, state))
    for (const auto& r : state.lot_events(a, "recall")) {
      json recall = state.event_at(r.entry);
      const auto when = time::parse_rfc3339(recall["event_time"].get<std::string>(), "event_time");
      if (when.unix_ms <= t.unix_ms) return RecallFound{r.entry, std::move(recall), a};
    }
  return std::nullopt;
}

// `q` in dimension `dim` (pieces and weight bridged by `pack`), or nullopt when it does not convert.
std::optional<Decimal> in_dim(const std::optional<BaseQuantity>& q, Dimension dim, const std::optional<BaseQuantity>& pack) {
  if (!q) return std::nullopt;
  return convert(*q, dim, pack);
}

// The size of one piece of `lot`: a packed lot's own pack_size (its packing says it), else its
// product's (pack_size_of).
std::optional<BaseQuantity> piece_size(const LotRecord& lot, LedgerState& state) {
  if (lot.created_by == "packing")
    if (const json packing = state.event_at(lot.created_entry); packing.contains("pack_size"))
      return to_base(packing["pack_size"], "pack_size");
  return pack_size_of(state, lot.product);
}

void check_recalled(const json& e, const time::Timestamp& t, LedgerState& state, const RuleOptions& options) {
  const bool moving_recalled = e.contains("recalled_goods");
  for (std::size_t i = 0; i < e["lots"].size(); ++i) {
    const std::string lot = e["lots"][i]["lot"];
    const std::string field = fmt::format("lots[{}].lot", i);
    const auto recall = recalled_at(lot, t, state);
    if (recall && !moving_recalled) {
      const std::string when = recall->event["event_time"];
      i18n::refuse(field, i18n::Msg::ship_lot_recalled, lot, made_from(lot, recall->lot),
                   i18n::Words{time_words(when, i18n::Lang::zh), time_words(when, i18n::Lang::en)},
                   entry_words(recall->entry, options), recall->event["event_id"].get<std::string>());
    }
    if (!recall && moving_recalled) i18n::refuse("recalled_goods", i18n::Msg::ship_recalled_goods_not_recalled, lot);
  }
}

void check_quantities(const json& e, LedgerState& state) {
  const std::string party = e["party"];
  std::set<std::string> done;
  for (std::size_t i = 0; i < e["lots"].size(); ++i) {
    const std::string lot_id = e["lots"][i]["lot"];
    if (!done.insert(lot_id).second) continue;  // a lot named twice: all its lines at its first
    const std::string field = fmt::format("lots[{}].quantity", i);
    auto lot = state.lot(lot_id);
    if (!lot || (lot->external && lot->created_by != "certificate_received")) continue;
    const auto produced = state.produced(lot_id);
    if (produced.empty()) continue;  // no stated quantity: a planting
    const Dimension dim = produced.front().dimension;
    const auto pack = piece_size(*lot, state);
    // This shipping's lines of the lot, in the lot's unit (version 8's unit rule first).
    Decimal want;
    bool stated = false;
    for (const auto& q : lines_of(e, lot_id)) {
      if (!q) continue;
      if (lot->created_by != "packing" &&
          std::none_of(produced.begin(), produced.end(), [&](const BaseQuantity& p) { return p.dimension == q->dimension; }))
        i18n::refuse(field, i18n::Msg::rule_lot_unit_never, lot_id, unit_words(dim), unit_words(q->dimension));
      auto v = convert(*q, dim, pack);
      if (!v) i18n::refuse(field, i18n::Msg::rule_units_incomparable, unit_words(q->dimension), unit_words(dim));
      want = want + *v;
      stated = true;
    }
    if (!stated) continue;
    const bool onward = receivers(lot_id, UINT64_MAX, state).count(party) > 0;
    Decimal total, have;
    if (!onward) {
      // The lot's own stock: what it made, less what packing and processing took and what was
      // shipped out of it before.
      for (const auto& q : produced)
        if (auto v = convert(q, dim, pack)) total = total + *v;
      have = total;
      for (const auto& q : state.consumed(lot_id))
        if (auto v = convert(q, dim, pack)) have = have - *v;
    } else {
      // What this party received of the lot; unknown when a receiving states no quantity.
      bool known = true;
      for (const auto& r : state.lot_events(lot_id, "receiving")) {
        const json rec = state.event_at(r.entry);
        if (rec["party"] != party) continue;
        for (const auto& q : lines_of(rec, lot_id)) {
          auto v = in_dim(q, dim, pack);
          if (!v) known = false;
          else total = total + *v;
        }
      }
      if (!known) continue;
      have = total;
    }
    // Earlier shipments of the same stock; a correction's replacement (same event_id) stands in
    // the place of the shipping it corrects, so that one is not counted.
    for (const auto& s : lot_shipments(lot_id, state))
      if (s.onward == onward && (!onward || s.party == party) && s.event_id != e["event_id"])
        if (auto v = in_dim(s.quantity, dim, pack)) have = have - *v;
    if (want > have)
      i18n::refuse(field, i18n::Msg::rule_lot_short, lot_id, have.to_string(), total.to_string(), want.to_string(),
                   unit_words(dim));
  }
}

}  // namespace

std::vector<LotShipment> lot_shipments(const std::string& lot, LedgerState& state) {
  std::vector<LotShipment> out;
  for (const auto& s : state.lot_events(lot, "shipping")) {
    const json e = state.event_at(s.entry);
    const std::string party = e["party"];
    const bool onward = receivers(lot, s.entry, state).count(party) > 0;
    for (auto& q : lines_of(e, lot)) out.push_back({s.entry, s.event_id, party, std::move(q), onward});
  }
  return out;
}

void check_shipping_rules(const json& e, const time::Timestamp& t, LedgerState& state, const RuleOptions& options) {
  if (e["type"] != "shipping") return;
  if (state.rules_version() < kRulesV9) {
    if (e.contains("recalled_goods"))
      i18n::refuse("recalled_goods", i18n::Msg::ship_recalled_goods_needs_version, state.rules_version(), kRulesV9);
    return;
  }
  check_recalled(e, t, state, options);
  check_quantities(e, state);
}

}  // namespace agtrace
