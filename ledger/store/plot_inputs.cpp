// Rules version 7: input applications to a plot named without a planting lot (底肥, soil treatment,
// a pre-emergence herbicide, and any spray whose 种植批次 was left empty), and the planting lots
// that carry them (docs/rules-versions.md, "Version 7"; docs/ledger-format.md §4, plot_events).
//
// An input_application without `lot` names a plot as its `location`. It reaches
// - every planting on that plot sown on or after the day it was applied (local calendar dates,
//   each at its own offset: a sowing recorded by date alone is 00:00, and the 底肥 of that morning
//   or the herbicide right after sowing still belong to it), in the same season: no harvest of a
//   lot sown on that plot falls after the application and at or before the sowing; and
// - every planting on that plot sown in the kStandingDays days before the day it was applied
//   (a crop that may still be standing: the ledger never learns that a field was cleared, and a
//   crop picked many times, as tomatoes are, is still standing after its first harvest; if it was
//   cleared, no harvest of it follows and the link costs nothing). So no pesticide escapes the
//   pre-harvest interval by leaving the lot empty.
// Both sides are found in plot_events, so the link is made by whichever entry comes second: a
// planting links the applications that reach it, an application recorded late links the
// plantings already recorded. Each link is a lot_events row (the planting lot, the application's
// entry, role 'plot_input') and, for a pesticide, a pesticide_applications row of the planting lot,
// so every view of a lot (show, trace, the scan page, certificates, the pre-harvest interval at
// harvest) reads the plot's inputs as the lot's own. Links are never undone by a later entry.
#include <fmt/format.h>

#include "ledger/event/rules_version.h"
#include "ledger/store/store.h"
#include "ledger/time/timestamp.h"

namespace agtrace::store {

namespace {

// "No harvest of a lot sown on plot ?1 after instant ?2 and at or before instant {until}."
constexpr const char* kNoHarvestBetween =
    "NOT EXISTS (SELECT 1 FROM plot_events hp JOIN lots hl ON hl.created_entry = hp.entry_idx "
    "JOIN harvests h ON h.from_lot = hl.lot_id JOIN events he ON he.entry_idx = h.entry_idx "
    "WHERE hp.location_id = ?1 AND hp.kind = 'planting' AND he.unix_ms > {from} AND he.unix_ms <= {until})";

// How long a crop sown on a plot may still be standing there (days): a lot-less application this
// many days after a sowing, or fewer, reaches that planting lot whatever was harvested between.
constexpr int kStandingDays = 365;

// Whether an application on local date `applied` reaches a planting sown on local date `sown`
// on the same plot, not counting harvests: sown on or after that day (the season rule then also
// asks that no harvest fell between), or sown before it and at most kStandingDays days earlier.
enum class Reach { none, season, standing };
Reach reach_by_date(const std::string& applied, const std::string& sown) {
  if (time::compare_dates(applied, sown) <= 0) return Reach::season;
  if (time::compare_dates(time::add_days(applied, -kStandingDays), sown) <= 0) return Reach::standing;
  return Reach::none;
}

}  // namespace

std::vector<std::string> Store::plot_lots_reached(const std::string& location, std::int64_t unix_ms,
                                                  const std::string& local_date) {
  if (rules_version_ < kRulesV7) return {};
  auto s = db_.prepare(fmt::format(
      "SELECT l.lot_id, pe.event_time, {} FROM plot_events p JOIN events pe ON pe.entry_idx = p.entry_idx "
      "JOIN lots l ON l.created_entry = p.entry_idx AND l.created_by = 'planting' "
      "WHERE p.location_id = ?1 AND p.kind = 'planting' ORDER BY p.entry_idx, l.lot_id",
      fmt::format(fmt::runtime(kNoHarvestBetween), fmt::arg("from", "?2"), fmt::arg("until", "pe.unix_ms"))));
  s.bind(1, location).bind(2, unix_ms);
  std::vector<std::string> out;
  while (s.step()) {
    const auto reach =
        reach_by_date(local_date, time::local_date(time::parse_rfc3339(s.column_text(1), "event_time")));
    if (reach == Reach::standing || (reach == Reach::season && s.column_int(2) != 0)) out.push_back(s.column_text(0));
  }
  return out;
}

std::vector<std::string> Store::plot_input_lots(std::int64_t idx) {
  auto s = db_.prepare("SELECT lot_id FROM lot_events WHERE entry_idx = ? AND role = 'plot_input' ORDER BY lot_id");
  s.bind(1, idx);
  std::vector<std::string> out;
  while (s.step()) out.push_back(s.column_text(0));
  return out;
}

void Store::link_plot_inputs(std::int64_t idx, const nlohmann::json& e, const time::Timestamp& t) {
  const std::string& type = e["type"].get_ref<const std::string&>();
  const bool plot_input = type == "input_application" && !e.contains("lot");
  if (!plot_input && type != "planting") return;
  const std::string location = e["location"];
  auto link = db_.prepare("INSERT OR IGNORE INTO lot_events (lot_id, entry_idx, role) VALUES (?, ?, 'plot_input')");
  db_.prepare("INSERT INTO plot_events (location_id, entry_idx, kind) VALUES (?, ?, ?)")
      .bind(1, location).bind(2, idx).bind(3, plot_input ? "input" : "planting").run();
  if (plot_input) {
    // The application's pesticide rows follow from these links (write_amounts).
    for (const auto& lot : plot_lots_reached(location, t.unix_ms, time::local_date(t)))
      link.bind(1, lot).bind(2, idx).run();
    return;
  }
  auto s = db_.prepare(fmt::format(
      "SELECT p.entry_idx, ae.event_time, {} FROM plot_events p JOIN events ae ON ae.entry_idx = p.entry_idx "
      "WHERE p.location_id = ?1 AND p.kind = 'input' ORDER BY p.entry_idx",
      fmt::format(fmt::runtime(kNoHarvestBetween), fmt::arg("from", "ae.unix_ms"), fmt::arg("until", "?2"))));
  s.bind(1, location).bind(2, t.unix_ms);
  const std::string sown = time::local_date(t);
  std::vector<std::int64_t> inputs;
  while (s.step()) {
    const auto reach = reach_by_date(time::local_date(time::parse_rfc3339(s.column_text(1), "event_time")), sown);
    if (reach == Reach::standing || (reach == Reach::season && s.column_int(2) != 0)) inputs.push_back(s.column_int(0));
  }
  const std::string lot = e["lot"];
  for (auto input : inputs) {
    link.bind(1, lot).bind(2, input).run();
    const auto applied = event_at(static_cast<std::uint64_t>(input));
    if (applied["input_kind"] == "pesticide")
      insert_pesticide_row(lot, input, applied,
                           time::parse_rfc3339(applied["event_time"].get_ref<const std::string&>(), "event_time"));
  }
}

}  // namespace agtrace::store
