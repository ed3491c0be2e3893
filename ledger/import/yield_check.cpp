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
  return [&ledger](const std::string& lot) -> std::optional<std::string> {
    auto record = ledger.store().lot(lot);
    if (!record || record->created_by != "planting") return std::nullopt;
    const auto planting = ledger.store().event_at(record->created_entry);
    if (!planting.contains("area_mu") || !planting["area_mu"].is_string()) return std::nullopt;
    return planting["area_mu"].get<std::string>();
  };
}

namespace {

// Calls `beyond(p, correction, value, unit, from_lot, area, kg per mu)` for each harvest of
// `events` (or correction replacing one) beyond kMaxHarvestKgPerMu, as yield_check.h judges it.
template <typename Beyond>
void each_high_yield(std::vector<PreparedEvent>& events, const PlantingArea& area_of, Beyond&& beyond) {
  std::map<std::string, std::string> planted;  // plantings of this import: lot → area_mu
  for (auto& p : events) {
    if (!p.error.empty() || !p.event.is_object()) continue;
    const bool correction = str(p.event, "type") == "correction" && p.event.contains("replacement");
    const nlohmann::json& e = correction ? p.event["replacement"] : p.event;
    if (!e.is_object()) continue;
    const std::string type = str(e, "type");
    if (type == "planting" && !str(e, "area_mu").empty()) planted[str(e, "lot")] = str(e, "area_mu");
    if (type != "harvest" || !e.contains("quantity") || !e["quantity"].is_object()) continue;
    const std::string from = str(e, "from_lot"), value = str(e["quantity"], "value"), unit = str(e["quantity"], "unit");
    std::optional<std::string> area;
    if (auto it = planted.find(from); it != planted.end()) area = it->second;
    else area = area_of(from);
    const auto kg = kg_per(unit);
    const auto amount = number(value);
    const auto mu = area ? number(*area) : std::nullopt;
    if (!kg || !amount || !mu || *mu <= 0) continue;
    const double per_mu = *amount * *kg / *mu;
    if (per_mu <= kMaxHarvestKgPerMu) continue;
    beyond(p, correction, value, unit, from, *area, per_mu);
  }
}

}  // namespace

void check_harvest_yields(std::vector<PreparedEvent>& events, const PlantingArea& area_of, HighYieldOverride override) {
  const i18n::Msg words = override == HighYieldOverride::station_supervisor ? i18n::Msg::harvest_yield_implausible_supervisor
                                                                            : i18n::Msg::harvest_yield_implausible;
  each_high_yield(events, area_of,
                  [&](PreparedEvent& p, bool correction, const std::string& value, const std::string& unit,
                      const std::string& from, const std::string& area, double per_mu) {
                    const i18n::Lang lang = p.lang.value_or(i18n::Lang::en);
                    const std::string quantity = fmt::format("{} {}", value, i18n::pick(lang, unit_code_words(unit)));
                    p.error = fmt::format("{}: field {}quantity.value: {}", p.where, correction ? "replacement." : "",
                                          i18n::text(lang, words, quantity, from, area,
                                                     static_cast<long long>(std::llround(per_mu)), kMaxHarvestKgPerMu));
                  });
}

std::size_t confirm_harvest_yields(std::vector<PreparedEvent>& events, const PlantingArea& area_of,
                                   const HighYieldConfirmation& confirmed) {
  nlohmann::json mark = {{"confirmed_by", confirmed.by == HighYieldOverride::station_supervisor ? "station_supervisor"
                                                                                                : "import_flag"}};
  if (confirmed.by == HighYieldOverride::station_supervisor) mark["supervisor"] = confirmed.supervisor;
  std::size_t n = 0;
  each_high_yield(events, area_of,
                  [&](PreparedEvent& p, bool correction, const std::string&, const std::string&, const std::string&,
                      const std::string&, double) {
                    nlohmann::json event = p.event;
                    (correction ? event["replacement"] : event)["yield_override"] = mark;
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
