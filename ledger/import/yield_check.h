// A plausibility check of the clerk's harvest quantities against the planted area, at import
// (issue 16): a harvest of 500 吨 from a 5 亩 planting is a typing mistake (吨 for 千克, an extra
// zero, the wrong planting lot), not a harvest.
//
// A product may state its own bound, max_yield_kg_per_mu (最高亩产, rules version 9: millet 600 kg
// per mu where it yields 300–500); a harvest of a product with none is judged by one generous
// figure for every crop, kMaxHarvestKgPerMu (30 t per mu, i.e. 450 t per hectare): about twice
// the best season-long yields of greenhouse tomatoes and cucumbers in China (15–20 t per mu), six times those of scallions (3–5 t per mu), and over fifty times a
// grain's (谷子 about 0.3–0.5 t per mu). It judges one harvest at a time — a crop picked many
// times brings in less each time. It is a check of what the clerk typed, not a ledger rule: it
// runs on CSV import (rows and correction rows), a clerk who is sure passes --allow-high-yield
// (or a supervisor confirms it at the printer station), which the harvest's signed entry then
// says (yield_override, confirm_harvest_yields); the rules, verify and every ledger ever written
// are unchanged (docs/clerk-import.md).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "ledger/ledger.h"

namespace agtrace {

// Kilograms per mu (亩, 1/15 hectare) above which one harvest is refused.
inline constexpr int kMaxHarvestKgPerMu = 30000;

// What the yield check needs of a planting lot: its area in mu (a decimal string, as
// planting.area_mu holds it), its product and that product's max_yield_kg_per_mu (a decimal
// string, kg per mu) as its latest product record gives it, if any.
struct Planted {
  std::string area_mu;
  std::string product;
  std::optional<std::string> max_yield_kg_per_mu;
};

// The Planted of planting lot `lot`, or nullopt when the lot is no planting or names no area.
using PlantingArea = std::function<std::optional<Planted>(const std::string& lot)>;

// The planted area and product of each planting lot as `ledger` records it: the area_mu and
// product of the planting that made the lot, and the product's latest record.
PlantingArea planting_areas(Ledger& ledger);

// Who may record an implausible harvest anyway, as the refusal tells the clerk: the importer
// who passes `agtrace-ledger import --allow-high-yield`, or a supervisor who confirms it with
// their account and PIN on the printer station's upload screen (station/upload.h).
enum class HighYieldOverride { cli_flag, station_supervisor };

// Marks each harvest in `events` (or correction carrying a harvest as its replacement) whose
// quantity in kg (KGM, TNE or GRM; other units are not judged) divided by the area of its
// from_lot exceeds the bound as refused — the planting's product's max_yield_kg_per_mu when it
// has one, else kMaxHarvestKgPerMu: sets its `error` to "WHERE: field quantity.value: …"
// (replacement.quantity.value for a correction) in the event's language, naming the quantity,
// the planting lot, its area, the yield per mu, the bound (and the product whose bound it is) and
// how to record it if it is right after all (`override`). The area and product come from a
// planting earlier in `events`, else from `area_of` (the ledger: planting_areas); the product's
// bound from its latest product record earlier in `events`, else from `area_of`. Events already
// refused are left as they are.
void check_harvest_yields(std::vector<PreparedEvent>& events, const PlantingArea& area_of,
                          HighYieldOverride override = HighYieldOverride::cli_flag);

// Who vouched for the harvests beyond the bound, as the signed entry says it: the harvest's
// optional `yield_override` (schemas/events/harvest.schema.json), {"confirmed_by":
// "station_supervisor", "supervisor": ACCOUNT} or {"confirmed_by": "import_flag"}. Informational:
// no rule reads it (docs/clerk-import.md "采收量核对").
struct HighYieldConfirmation {
  HighYieldOverride by = HighYieldOverride::cli_flag;
  std::string supervisor;  // by station_supervisor: the supervisor's account pseudonym (sup-01), never a name
};

// The harvests check_harvest_yields would refuse are recorded instead, each carrying
// `confirmed` as its yield_override (a correction's replacement carries it); the event's
// canonical bytes are prepared again. Returns how many harvests it marked. A harvest whose
// marked event no longer validates (a supervisor id that is not an account pseudonym) gets
// that refusal as its `error`.
std::size_t confirm_harvest_yields(std::vector<PreparedEvent>& events, const PlantingArea& area_of,
                                   const HighYieldConfirmation& confirmed);

}  // namespace agtrace
