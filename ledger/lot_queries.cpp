// Lot ancestry and the recalls covering a lot (lot_queries.h).
#include "ledger/lot_queries.h"

#include <deque>
#include <set>

#include "ledger/time/timestamp.h"

namespace agtrace {

std::vector<std::string> lot_and_ancestors(Ledger& ledger, const std::string& lot, std::size_t max_lots) {
  std::vector<std::string> out{lot};
  std::set<std::string> seen{lot};
  std::deque<std::string> queue{lot};
  auto parents = ledger.database().prepare("SELECT DISTINCT parent FROM lineage WHERE child = ? ORDER BY parent");
  while (!queue.empty() && out.size() < max_lots) {
    std::string child = queue.front();
    queue.pop_front();
    parents.reset();
    parents.bind(1, child);
    while (parents.step()) {
      std::string p = parents.column_text(0);
      if (seen.insert(p).second) {
        out.push_back(p);
        queue.push_back(p);
      }
    }
  }
  return out;
}

std::string time_at_lot(Ledger& ledger, const std::string& lot, std::int64_t unix_ms) {
  int offset = 0;
  if (auto l = ledger.store().lot(lot)) {
    auto created = ledger.store().event_at(l->created_entry);
    if (created.contains("event_time") && created["event_time"].is_string())
      offset = time::parse_rfc3339(created["event_time"].get<std::string>(), "event_time").offset_minutes;
  }
  return time::format_at_offset(unix_ms, offset);
}

std::vector<nlohmann::json> recalls_covering(Ledger& ledger, const std::string& lot) {
  std::set<std::string> withdrawn;
  auto corrections = ledger.database().prepare("SELECT entry_idx FROM events WHERE type = 'correction'");
  while (corrections.step()) {
    auto e = ledger.store().event_at(static_cast<std::uint64_t>(corrections.column_int(0)));
    withdrawn.insert(e.value("corrected_event_id", ""));
  }
  std::set<std::uint64_t> recall_entries;
  auto recalls = ledger.database().prepare(
      "SELECT DISTINCT le.entry_idx FROM lot_events le JOIN events e ON e.entry_idx = le.entry_idx "
      "WHERE le.lot_id = ? AND e.type = 'recall'");
  for (const auto& on : lot_and_ancestors(ledger, lot)) {
    recalls.reset();
    recalls.bind(1, on);
    while (recalls.step()) {
      auto idx = static_cast<std::uint64_t>(recalls.column_int(0));
      auto e = ledger.store().event_at(idx);
      if (withdrawn.count(e.value("event_id", ""))) continue;
      for (const auto& named : e.value("lots", nlohmann::json::array()))
        if (named == lot || (named == on && e.value("descendants", false))) recall_entries.insert(idx);
    }
  }
  std::vector<nlohmann::json> out;
  for (auto idx : recall_entries) out.push_back(ledger.store().event_at(idx));
  return out;
}

}  // namespace agtrace
