// Harvests inside a pre-harvest interval on a lot's ancestry (interval_breach.h).
#include "ledger/event/interval_breach.h"

#include "ledger/time/timestamp.h"

namespace agtrace {

std::vector<IntervalBreach> interval_breaches(const std::vector<std::string>& ancestry, LedgerState& state) {
  std::vector<IntervalBreach> out;
  for (const auto& a : ancestry) {
    auto lot = state.lot(a);
    if (!lot || lot->created_by != "harvest") continue;
    const nlohmann::json harvest = state.event_at(lot->created_entry);  // as corrected
    const std::string from = harvest.value("from_lot", "");
    const std::string date = time::local_date(time::parse_rfc3339(harvest["event_time"].get<std::string>(), "event_time"));
    for (auto& p : state.pesticide_applications(from)) {
      if (time::compare_dates(p.application_date, date) > 0 || time::compare_dates(date, p.safe_date) >= 0) continue;
      IntervalBreach b;
      b.harvest_lot = a;
      b.planting_lot = from;
      b.harvest_event_id = harvest.value("event_id", "");
      b.harvest_date = date;
      b.harvest_entry = lot->created_entry;
      if (auto found = state.event_entry(p.event_id)) b.application_entry = found->first;
      b.application = std::move(p);
      out.push_back(std::move(b));
    }
  }
  return out;
}

bool ticks_quality_control(const nlohmann::json& certificate) {
  for (const auto& b : certificate.value("bases", nlohmann::json::array()))
    if (b.value("basis", "") == "quality_control") return true;
  return false;
}

}  // namespace agtrace
