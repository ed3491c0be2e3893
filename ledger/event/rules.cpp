// DESIGN §2 append rules over the facts of one event and the ledger so far.
#include "ledger/event/rules.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <set>

#include "ledger/event/certificate_rules.h"
#include "ledger/event/measured_value.h"
#include "ledger/event/product_rules.h"
#include "ledger/event/rule_words.h"
#include "ledger/event/rules_version.h"
#include "ledger/event/shipping_rules.h"
#include "ledger/time/timestamp.h"
#include "ledger/i18n/refusal.h"
#include "ledger/util/error.h"

namespace agtrace {

namespace {

constexpr std::int64_t kFutureToleranceMs = 5 * 60 * 1000;

// Sums `items` in `target` dimension, bridging pieces through `pack`. Throws naming
// `field` when a quantity cannot be expressed in that dimension.
Decimal sum_in(const std::vector<std::pair<BaseQuantity, std::string>>& items, Dimension target,
               const std::optional<BaseQuantity>& pack) {
  Decimal total;
  for (const auto& [q, field] : items) {
    auto v = convert(q, target, pack);
    if (!v) i18n::refuse(field, i18n::Msg::rule_units_incomparable, unit_words(q.dimension), unit_words(target));
    total = total + *v;
  }
  return total;
}

void check_clock(const time::Timestamp& t, const RuleOptions& options) {
  if (options.check_clock && t.unix_ms > options.now_unix_ms + kFutureToleranceMs)
    i18n::refuse("event_time", i18n::Msg::rule_future_time, t.text,
                 time::format_at_offset(options.now_unix_ms, t.offset_minutes));
}

void check_mentions(const EventFacts& facts, LedgerState& state) {
  for (const auto& m : facts.mentions)
    if (!state.has_master(m.kind, m.id)) i18n::refuse(m.field, i18n::Msg::rule_unknown_master, kind_words(m.kind), m.id);
}

void check_references(const nlohmann::json& e, LedgerState& state) {
  if (e["type"] != "correction") return;
  for (const char* field : {"corrected_event_id", "replacement_event_id"})
    if (e.contains(field) && !state.has_event(e[field].get<std::string>()))
      i18n::refuse(field, i18n::Msg::rule_no_such_event, e[field].get<std::string>());
}

// `text` with full-width ASCII forms (U+FF01–U+FF5E: ＬＣ２６) and the ideographic space as
// their half-width characters; nullopt when it holds none.
std::optional<std::string> half_width(const std::string& text) {
  std::string out;
  bool changed = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto b0 = static_cast<unsigned char>(text[i]);
    if (b0 == 0xEF && i + 2 < text.size()) {
      const auto b1 = static_cast<unsigned char>(text[i + 1]), b2 = static_cast<unsigned char>(text[i + 2]);
      const char32_t c = ((b0 & 0x0Fu) << 12) | ((b1 & 0x3Fu) << 6) | (b2 & 0x3Fu);
      if (c >= 0xFF01 && c <= 0xFF5E) {
        out += static_cast<char>(c - 0xFF01 + 0x21);
        i += 2;
        changed = true;
        continue;
      }
    }
    out += text[i];
  }
  return changed ? std::optional(out) : std::nullopt;
}

void check_lots(const EventFacts& facts, const time::Timestamp& t, LedgerState& state, const RuleOptions& options) {
  std::set<std::string> seen;
  for (const auto& c : facts.creates) {
    if (!seen.insert(c.lot).second) i18n::refuse(c.field, i18n::Msg::rule_lot_created_twice, c.lot);
    if (auto existing = state.lot(c.lot))
      i18n::refuse(c.field, i18n::Msg::rule_lot_exists, c.lot, type_words(existing->created_by),
                   entry_words(existing->created_entry, options));
  }
  for (const auto& u : facts.uses) {
    auto lot = state.lot(u.lot);
    if (!lot) {
      // ＬＣ26-FQ01 typed with a Chinese input method: say it is the full-width letters.
      if (const auto half = half_width(u.lot); half && state.lot(*half))
        i18n::refuse(u.field, i18n::Msg::unknown_lot_full_width, u.lot, *half);
      auto near = options.similar_lots ? options.similar_lots(u.lot) : std::vector<std::string>{};
      if (near.empty()) i18n::refuse(u.field, i18n::Msg::unknown_lot, u.lot);
      i18n::refuse(u.field, i18n::Msg::unknown_lot_did_you_mean, u.lot, quoted_list(near));
    }
    if (seen.count(u.lot)) i18n::refuse(u.field, i18n::Msg::rule_lot_in_and_out, u.lot);
    if (t.unix_ms < lot->created_unix_ms)
      // The creating event's time as it wrote it (its own offset), never bare UTC.
      i18n::refuse("event_time", i18n::Msg::rule_before_lot, t.text, u.lot, type_words(lot->created_by),
                   state.event_at(lot->created_entry).value("event_time", time::format_utc(lot->created_unix_ms)),
                   entry_words(lot->created_entry, options));
  }
}

// An `external` event's own_lots (DESIGN §2): each key a lot the EPCIS event names, each
// value one of our lots whose product has the key's GTIN and whose GS1 lot code is the key's
// AI (10) — so that a partner's event joins only the lot it names.
void check_own_lots(const nlohmann::json& e, LedgerState& state) {
  if (e["type"] != "external" || !e.contains("own_lots")) return;
  std::set<std::string> named;
  for (const auto& m : epcis_lots_named(e["epcis"])) named.insert(m.lot);
  const auto& own = e["own_lots"];
  for (auto it = own.begin(); it != own.end(); ++it) {
    const std::string& key = it.key();
    const std::string ours = it->get<std::string>();
    if (!named.count(key))
      throw_bad_input(fmt::format(
          "field own_lots: \"{}\" is not a lot the EPCIS event names (in its EPC or quantity lists, as "
          "https://id.gs1.org/01/{{GTIN}}/10/{{LOT}}); map only lots the event names, or leave the entry out",
          key));
    auto gs1 = gs1_lot_of(key);
    if (!gs1)
      throw_bad_input(fmt::format("field own_lots: \"{}\" has no GTIN and lot code (https://id.gs1.org/01/{{GTIN}}/10/{{LOT}}); "
                                  "only such lots can be mapped to ours: leave the entry out",
                                  key));
    auto lot = state.lot(ours);
    if (!lot)
      throw_bad_input(fmt::format("field own_lots: \"{}\" is mapped to lot \"{}\", which is not recorded; map it to "
                                  "the lot with GTIN {} and GS1 lot code {}, or leave the entry out",
                                  key, ours, gs1->gtin, gs1->lot_code));
    std::string gtin;
    if (lot->product)
      if (auto p = state.master("product", *lot->product); p && p->contains("gtin")) gtin = (*p)["gtin"].get<std::string>();
    if (gtin != gs1->gtin)
      throw_bad_input(fmt::format(
          "field own_lots: \"{}\" names GTIN {}, but lot \"{}\" is {}; map it to the lot with GTIN {} and GS1 "
          "lot code {}, or leave the entry out",
          key, gs1->gtin, ours,
          lot->external ? std::string("an external lot, not one of ours")
          : lot->product ? (gtin.empty() ? fmt::format("of product \"{}\", which has no GTIN", *lot->product)
                                       : fmt::format("of product \"{}\" with GTIN {}", *lot->product, gtin))
                       : std::string("of no product"),
          gs1->gtin, gs1->lot_code));
    if (lot->gs1_code != gs1->lot_code)
      throw_bad_input(fmt::format(
          "field own_lots: \"{}\" names lot code {}, but lot \"{}\" has GS1 lot code {}; map it to the lot with "
          "GS1 lot code {}, or leave the entry out",
          key, gs1->lot_code, ours, lot->gs1_code, gs1->lot_code));
  }
}

void check_harvest_interval(const nlohmann::json& e, const time::Timestamp& t, LedgerState& state) {
  const std::string type = e["type"];
  const std::string date = time::local_date(t);
  if (type == "harvest") {
    const std::string from = e["from_lot"];
    for (const auto& p : state.pesticide_applications(from))
      // Inside [applied, safe): a harvest before the spray is not affected by it.
      if (time::compare_dates(p.application_date, date) <= 0 && time::compare_dates(date, p.safe_date) < 0)
        i18n::refuse("event_time", i18n::Msg::rule_harvest_in_interval, date, p.event_id, from, p.application_date,
                     p.pre_harvest_interval_days, p.safe_date);
  } else if (type == "input_application" && e["input_kind"] == "pesticide") {
    // Rules version 8: an application recorded after a harvest inside its interval is a true
    // fact recorded late; it is recorded, and the harvest becomes a breach that invalidates the
    // 质量安全控制符合要求 certificates over it (interval_breach.h). Versions 1 to 7 refuse it.
    if (state.rules_version() >= kRulesV8) return;
    int days = e["pre_harvest_interval_days"];
    std::string safe = time::add_days(date, days);
    // A plot-level application (rules version 7) counts for the plantings it reaches.
    const auto lots = e.contains("lot") ? std::vector<std::string>{e["lot"].get<std::string>()}
                                        : state.plot_lots_reached(e["location"], t.unix_ms, date);
    for (const auto& lot : lots)
      for (const auto& h : state.harvests_from(lot))
        if (time::compare_dates(date, h.harvest_date) <= 0 && time::compare_dates(h.harvest_date, safe) < 0)
          i18n::refuse("event_time", i18n::Msg::rule_spray_after_harvest, lot, h.harvest_date, h.event_id, days, date);
  }
}

// Rules version 7: an input application without `lot` is applied to a plot (底肥, soil treatment
// before sowing, or a spray on the standing crop whose lot was left empty; Store::link_plot_inputs
// finds the plantings it reaches); `location` is then a location of kind plot. Before version 7
// the lot is required, as the schema once required it.
void check_plot_input(const nlohmann::json& e, LedgerState& state) {
  if (e["type"] != "input_application" || e.contains("lot")) return;
  if (state.rules_version() < kRulesV7)
    i18n::refuse("lot", i18n::Msg::plot_input_needs_version, state.rules_version(), kRulesV7);
  const std::string location = e["location"];
  auto record = state.master("location", location);  // check_mentions: it is recorded
  const std::string kind = record ? record->value("kind", "") : "";
  if (kind != "plot") i18n::refuse("lot", i18n::Msg::plot_input_not_plot, location, location_kind_words(kind));
}

// GS1 General Specifications §7.9.1: the last digit of a GTIN-14 is the mod-10 check digit
// of the 13 before it, weighted 3, 1, 3, … from the left.
void check_product_gtin(const nlohmann::json& e, LedgerState& state) {
  if (e["type"] != "product" || !e.contains("gtin")) return;
  const std::string gtin = e["gtin"];  // 14 digits (schema)
  int sum = 0;
  for (std::size_t i = 0; i < 13; ++i) sum += (gtin[i] - '0') * (i % 2 == 0 ? 3 : 1);
  const char check = static_cast<char>('0' + (10 - sum % 10) % 10);
  if (gtin[13] != check) i18n::refuse("gtin", i18n::Msg::rule_gtin_check_digit, gtin, check, gtin[13]);
  // Rules version 2: a GTIN-14 is a GTIN-8, -12 or -13 padded with leading zeros, so a GTIN-8
  // (the shortest) has six, and no GTIN-8 starts with 0 (GS1 General Specifications, the
  // GTIN-8 data structure: GS1-8 Prefixes 100-139 and 300-969). Seven or more zeros is no
  // GTIN at all — usually a number typed short or an internal code.
  if (state.rules_version() >= kRulesV2 && gtin.compare(0, 7, "0000000") == 0)
    i18n::refuse("gtin", i18n::Msg::rule_gtin_zeros, gtin,
                 gtin.find_first_not_of('0') == std::string::npos ? 14 : gtin.find_first_not_of('0'));
  // One GTIN, one trade item (GS1 General Specifications §4): two products under one GTIN
  // would put one product's name on the other's scans.
  if (auto holder = state.product_with_gtin(gtin); holder && *holder != e["product_id"])
    i18n::refuse("gtin", i18n::Msg::rule_gtin_taken, gtin, *holder);
}

// A test item measured over its limit cannot pass, and a failed item fails the inspection.
void check_inspection_items(const nlohmann::json& e) {
  if (e["type"] != "inspection" || !e.contains("items")) return;
  bool any_failed = false;
  for (std::size_t i = 0; i < e["items"].size(); ++i) {
    const auto& item = e["items"][i];
    if (item["result"] == "fail") any_failed = true;
    // Not detected (rules version 5, measured_value.h) is within any limit.
    if (item["result"] != "pass" || !item.contains("limit") || !item.contains("measured")) continue;
    const std::string field = fmt::format("items[{}]", i);
    Decimal measured = Decimal::parse(item["measured"].get<std::string>(), field + ".measured");
    Decimal limit = Decimal::parse(item["limit"].get<std::string>(), field + ".limit");
    if (measured > limit)
      i18n::refuse(field, i18n::Msg::rule_item_over_limit, item["name"].get<std::string>(),
                   item["measured"].get<std::string>(), item["limit"].get<std::string>());
  }
  if (any_failed && e["result"] == "pass")
    i18n::refuse("result", i18n::Msg::rule_failed_item_passes);
}

// A harvest yields the product that was planted: naming another one would put another
// brand's name and GTIN on the labels.
void check_harvest_product(const nlohmann::json& e, LedgerState& state) {
  if (e["type"] != "harvest" || !e.contains("product")) return;
  auto planting = state.lot(e["from_lot"]);
  if (!planting || !planting->product) return;
  if (e["product"] != *planting->product)
    i18n::refuse("product", i18n::Msg::rule_harvest_product, e["product"].get<std::string>(), planting->lot,
                 *planting->product);
}

// Shared transformation ids link lineage from rules version 2 on (transformation_links.h); a
// version-1 ledger refuses the field as its schema did, rather than keep an id it would not
// follow.
void check_transformation_id(const nlohmann::json& e, LedgerState& state) {
  if (e["type"] != "transformation" || !e.contains("transformation_id") || state.rules_version() >= kRulesV2) return;
  i18n::refuse("transformation_id", i18n::Msg::rule_transformation_id_version, state.rules_version(), kRulesV2);
}

void check_conservation(const nlohmann::json& e, const EventFacts& facts, LedgerState& state) {
  const std::string type = e["type"];
  if (type != "transformation" && type != "packing") return;
  std::vector<std::pair<BaseQuantity, std::string>> in, out;
  std::optional<std::string> product;
  if (type == "transformation") {
    for (std::size_t i = 0; i < e["inputs"].size(); ++i) {
      auto field = fmt::format("inputs[{}].quantity", i);
      in.emplace_back(to_base(e["inputs"][i]["quantity"], field), field);
    }
    for (std::size_t i = 0; i < e["outputs"].size(); ++i) {
      auto field = fmt::format("outputs[{}].quantity", i);
      out.emplace_back(to_base(e["outputs"][i]["quantity"], field), field);
    }
    if (auto lot = state.lot(facts.uses.front().lot)) product = lot->product;
  } else {
    in.emplace_back(to_base(e["input_quantity"], "input_quantity"), "input_quantity");
    BaseQuantity pack = to_base(e["pack_size"], "pack_size");
    Decimal count = Decimal::parse(std::to_string(e["count"].get<long long>()), "count");
    out.push_back({{pack.dimension, Decimal{count.micros * pack.amount.micros / 1'000'000}},
                   "count × field pack_size"});
    if (auto lot = state.lot(e["input_lot"])) product = lot->product;
  }
  Dimension dim = in.front().first.dimension;
  auto pack = pack_size_of(state, product);
  // A packing whose input is counted (a lot harvested in 箱) while its pieces are weighed, and no
  // product pack_size bridges the two: refused below as incomparable units all the same; this says
  // what happened to the lot and the two ways out, in the clerk's columns.
  if (type == "packing" && dim == Dimension::count && !convert(out.front().first, dim, pack)) {
    const auto lot = state.lot(e["input_lot"]);
    i18n::refuse("input_quantity", i18n::Msg::rule_packing_counted_input, e["input_lot"].get<std::string>(),
                 type_words(lot ? lot->created_by : "harvest"), lot ? lot->created_entry : 0,
                 product ? i18n::Words{fmt::format("产品「{}」", *product), fmt::format("product \"{}\"", *product)}
                         : i18n::Words{"这个批次的产品", "the lot's product"});
  }
  Decimal total_in = sum_in(in, dim, pack);
  Decimal loss;
  if (e.contains("loss")) loss = sum_in({{to_base(e["loss"], "loss"), "loss"}}, dim, pack);
  Decimal total_out = sum_in(out, dim, pack);
  // A packing's output is its count times its pack size: both columns are named (a CSV import
  // rewrites each "field PATH" as the clerk's column, name_columns), not an "outputs" the packing
  // sheet does not have.
  if (total_out > total_in - loss)
    i18n::refuse(type == "packing" ? "count × field pack_size" : "outputs", i18n::Msg::rule_not_conserved, total_out.to_string(), total_in.to_string(),
                 loss.to_string(), unit_words(dim));
}

void check_balances(const EventFacts& facts, LedgerState& state) {
  for (const auto& c : facts.consumes) {
    auto lot = state.lot(c.lot);
    // A partner's lot states no quantity; one a collected certificate brought in (rules version
    // 5, received_lot.h) holds the certificate's, and gives out no more.
    if (!lot || (lot->external && lot->created_by != "certificate_received")) continue;
    auto produced = state.produced(c.lot);
    if (produced.empty()) continue;  // a lot with no stated quantity (e.g. a planting)
    Dimension dim = produced.front().dimension;
    // Rules version 8: a lot is taken from only in the kind of unit it was made in, unless it was
    // packed (its pieces have a stated size: 3000 kg of 5 kg boxes). A harvest of 40 箱 packed "by
    // the kilo" was bridged through the product's pack_size, which is the size of a packed piece,
    // not of a harvest box: 100 kg of it became 10 of the 40 boxes.
    if (state.rules_version() >= kRulesV8 && lot->created_by != "packing") {
      const Dimension given = to_base(c.quantity, c.field).dimension;
      if (std::none_of(produced.begin(), produced.end(), [&](const BaseQuantity& q) { return q.dimension == given; }))
        i18n::refuse(c.field, i18n::Msg::rule_lot_unit_never, c.lot, unit_words(dim), unit_words(given));
    }
    auto pack = pack_size_of(state, lot->product);
    std::vector<std::pair<BaseQuantity, std::string>> made, used;
    for (const auto& q : produced) made.emplace_back(q, c.field);
    for (const auto& q : state.consumed(c.lot)) used.emplace_back(q, c.field);
    Decimal have = sum_in(made, dim, pack) - sum_in(used, dim, pack);
    Decimal want = sum_in({{to_base(c.quantity, c.field), c.field}}, dim, pack);
    if (want > have)
      i18n::refuse(c.field, i18n::Msg::rule_lot_short, c.lot, have.to_string(), sum_in(made, dim, pack).to_string(),
                   want.to_string(), unit_words(dim));
  }
}

}  // namespace

std::string entry_name(std::uint64_t index, const RuleOptions& options) { return entry_words(index, options).en; }

i18n::Words entry_words(std::uint64_t index, const RuleOptions& options) {
  if (options.this_append)
    if (auto it = options.this_append->find(index); it != options.this_append->end()) {
      if (options.all_or_nothing)
        return {fmt::format("{}（本文件中，尚未记录）", it->second),
                fmt::format("{} (earlier in this file, not recorded)", it->second)};
      return {fmt::format("本次导入前面的 {}", it->second), fmt::format("{}, earlier in this import", it->second)};
    }
  return {fmt::format("第 {} 条记录", index), fmt::format("entry {}", index)};
}

std::optional<std::string> product_of_new_lot(const LotCreation& creation,
                                              const EventFacts& facts, LedgerState& state) {
  if (creation.product) return creation.product;
  std::optional<std::string> shared;
  for (const auto& [parent, child] : facts.lineage) {
    if (child != creation.lot) continue;
    auto lot = state.lot(parent);
    if (!lot || !lot->product) return std::nullopt;
    if (shared && *shared != *lot->product) return std::nullopt;
    shared = lot->product;
  }
  return shared;
}

void check_rules(const nlohmann::json& event, const EventFacts& facts, LedgerState& state,
                 const RuleOptions& options) {
  time::Timestamp t = time::parse_rfc3339(event["event_time"].get<std::string>(), "event_time");
  check_clock(t, options);
  check_mentions(facts, state);
  check_references(event, state);
  check_own_lots(event, state);
  check_lots(facts, t, state, options);
  check_plot_input(event, state);
  check_harvest_interval(event, t, state);
  check_harvest_product(event, state);
  check_product_gtin(event, state);
  check_product_label_fields(event, state);
  check_inspection_items(event);
  check_measured_values(event, state);
  check_transformation_id(event, state);
  check_conservation(event, facts, state);
  check_balances(facts, state);
  check_certificate_rules(event, t, state, options);
  check_shipping_rules(event, t, state, options);  // version 9
}

}  // namespace agtrace
