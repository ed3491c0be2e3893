// Harvest quantities against the planted area (yield_check.h).
#include "ledger/import/yield_check.h"

#include <fmt/format.h>

#include <cmath>
#include <map>

#include "ledger/event/rule_words.h"
#include "ledger/i18n/refusal.h"
#include "ledger/util/error.h"

namespace agtrace {

namespace {

// Kilograms per unit for the mass units a harvest may be weighed in; nullopt for others.
std::optional<double> kg_per(const std::string& unit) {
  if (unit == "KGM") return 1.0;
  if (unit == "TNE") return 1000.0;
  if (unit == "GRM") return 0.001;
  return std::nullopt;
}

// A decimal string as a number; nullopt for anything else (the schema refuses it later).
std::optional<double> number(const std::string& text) {
  if (text.empty() || text.find_first_not_of("0123456789.") != std::string::npos) return std::nullopt;
  try {
    return std::stod(text);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::string str(const nlohmann::json& j, const char* key) {
  return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : "";
}

}  // namespace

PlantingArea planting_areas(Ledger& ledger) {
  return [&ledger](const std::string& lot) -> std::optional<Planted> {
    auto record = ledger.store().lot(lot);
    if (!record || record->created_by != "planting") return std::nullopt;
    const auto planting = ledger.store().event_at(record->created_entry);
    if (!planting.contains("area_mu") || !planting["area_mu"].is_string()) return std::nullopt;
    Planted out{planting["area_mu"].get<std::string>(), str(planting, "product"), std::nullopt};
    if (auto product = ledger.store().master("product", out.product); product && product->contains("max_yield_kg_per_mu"))
      out.max_yield_kg_per_mu = (*product)["max_yield_kg_per_mu"].get<std::string>();
    return out;
  };
}

namespace {

// One harvest beyond its bound, as each_high_yield finds it.
struct HighYield {
  bool correction;  // the harvest is a correction's replacement
  std::string value, unit, from_lot;
  Planted planting;
  double per_mu;                     // kg per mu
  std::optional<std::string> bound;  // the product's own max_yield_kg_per_mu, when it is the bound
};

// Calls `beyond(p, high)` for each harvest of `events` (or correction replacing one) beyond its
// bound — the planting's product's max_yield_kg_per_mu, else kMaxHarvestKgPerMu — as
// yield_check.h judges it.
template <typename Beyond>
void each_high_yield(std::vector<PreparedEvent>& events, const PlantingArea& area_of, Beyond&& beyond) {
  std::map<std::string, Planted> planted;  // plantings of this import by lot
  std::map<std::string, std::optional<std::string>> bounds;  // product rows of this import: max_yield_kg_per_mu
  for (auto& p : events) {
    if (!p.error.empty() || !p.event.is_object()) continue;
    const bool correction = str(p.event, "type") == "correction" && p.event.contains("replacement");
    const nlohmann::json& e = correction ? p.event["replacement"] : p.event;
    if (!e.is_object()) continue;
    const std::string type = str(e, "type");
    if (type == "product")
      bounds[str(e, "product_id")] =
          str(e, "max_yield_kg_per_mu").empty() ? std::nullopt : std::optional(str(e, "max_yield_kg_per_mu"));
    if (type == "planting" && !str(e, "area_mu").empty())
      planted[str(e, "lot")] = Planted{str(e, "area_mu"), str(e, "product"), std::nullopt};
    if (type != "harvest" || !e.contains("quantity") || !e["quantity"].is_object()) continue;
    const std::string from = str(e, "from_lot"), value = str(e["quantity"], "value"), unit = str(e["quantity"], "unit");
    std::optional<Planted> lot;
    if (auto it = planted.find(from); it != planted.end()) lot = it->second;
    else lot = area_of(from);
    if (!lot) continue;
    // The product's own bound: its latest record in this file, else in the ledger.
    std::optional<std::string> bound = lot->max_yield_kg_per_mu;
    if (auto it = bounds.find(lot->product); it != bounds.end()) bound = it->second;
    const auto own = bound ? number(*bound) : std::nullopt;
    const double limit = own ? *own : static_cast<double>(kMaxHarvestKgPerMu);
    const auto kg = kg_per(unit);
    const auto amount = number(value);
    const auto mu = number(lot->area_mu);
    if (!kg || !amount || !mu || *mu <= 0) continue;
    const double per_mu = *amount * *kg / *mu;
    if (per_mu <= limit) continue;
    beyond(p, HighYield{correction, value, unit, from, *lot, per_mu, own ? bound : std::nullopt});
  }
}

}  // namespace

void check_harvest_yields(std::vector<PreparedEvent>& events, const PlantingArea& area_of, HighYieldOverride override) {
  const bool supervisor = override == HighYieldOverride::station_supervisor;
  const i18n::Msg any_crop = supervisor ? i18n::Msg::harvest_yield_implausible_supervisor
                                        : i18n::Msg::harvest_yield_implausible;
  const i18n::Msg own_bound = supervisor ? i18n::Msg::harvest_yield_over_product_supervisor
                                         : i18n::Msg::harvest_yield_over_product;
  each_high_yield(events, area_of, [&](PreparedEvent& p, const HighYield& h) {
    const i18n::Lang lang = p.lang.value_or(i18n::Lang::en);
    const std::string quantity = fmt::format("{} {}", h.value, i18n::pick(lang, unit_code_words(h.unit)));
    const auto rounded = static_cast<long long>(std::llround(h.per_mu));
    p.error = fmt::format("{}: field {}quantity.value: {}", p.where, h.correction ? "replacement." : "",
                          h.bound ? i18n::text(lang, own_bound, quantity, h.from_lot, h.planting.area_mu, rounded,
                                               *h.bound, h.planting.product)
                                  : i18n::text(lang, any_crop, quantity, h.from_lot, h.planting.area_mu, rounded,
                                               kMaxHarvestKgPerMu));
  });
}

std::size_t confirm_harvest_yields(std::vector<PreparedEvent>& events, const PlantingArea& area_of,
                                   const HighYieldConfirmation& confirmed) {
  nlohmann::json mark = {{"confirmed_by", confirmed.by == HighYieldOverride::station_supervisor ? "station_supervisor"
                                                                                                : "import_flag"}};
  if (confirmed.by == HighYieldOverride::station_supervisor) mark["supervisor"] = confirmed.supervisor;
  std::size_t n = 0;
  each_high_yield(events, area_of, [&](PreparedEvent& p, const HighYield& h) {
    nlohmann::json event = p.event;
    (h.correction ? event["replacement"] : event)["yield_override"] = mark;
    try {
      PreparedEvent again = prepare_event(std::move(event), p.where);
      p.event = std::move(again.event);
      p.canonical = std::move(again.canonical);
    } catch (const Error& e) {
      p.error = e.what();
    }
    ++n;
  });
  return n;
}

}  // namespace agtrace
