// Ledger reads for the history, reprint/void and end-of-shift screens (history.h).
#include "station/history.h"

#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <optional>

#include "ledger/ledger.h"
#include "ledger/util/error.h"
#include "station/lots.h"

namespace agtrace::station {
namespace {

constexpr std::int64_t kChinaOffsetMs = 8 * 3600 * 1000;
constexpr std::int64_t kDayMs = 24 * 3600 * 1000;

std::uint64_t count_of(const nlohmann::json& e) {
  auto c = e.find("count");
  return c != e.end() && c->is_number_unsigned() ? c->get<std::uint64_t>() : 0;
}

}  // namespace

std::pair<std::int64_t, std::int64_t> china_day_ms(const std::string& date, const std::string& field) {
  int y = 0, m = 0, d = 0;
  char tail = 0;
  bool shaped = date.size() == 10 && date[4] == '-' && date[7] == '-' &&
                std::sscanf(date.c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3;
  std::chrono::year_month_day ymd{std::chrono::year(y), std::chrono::month(static_cast<unsigned>(m)),
                                  std::chrono::day(static_cast<unsigned>(d))};
  if (!shaped || !ymd.ok() || y < 2000 || y > 2999)
    throw_bad_input(fmt::format("{}：“{}”不是日期，请写成 2026-12-07 这样的年-月-日 / {}: \"{}\" is not a date: write "
                                "YYYY-MM-DD, e.g. 2026-12-07",
                                field, date, field, date));
  std::int64_t from =
      std::int64_t{std::chrono::sys_days(ymd).time_since_epoch().count()} * kDayMs - kChinaOffsetMs;
  return {from, from + kDayMs};
}

std::string china_date(std::int64_t ms) {
  std::int64_t days = (ms + kChinaOffsetMs) / kDayMs - ((ms + kChinaOffsetMs) % kDayMs < 0 ? 1 : 0);
  std::chrono::year_month_day ymd{std::chrono::sys_days(std::chrono::days(days))};
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                     static_cast<unsigned>(ymd.day()));
}

std::vector<JobCode> job_codes(Ledger& ledger, std::uint64_t entry) {
  auto s = ledger.database().prepare("SELECT serial FROM codes WHERE job_entry = ? ORDER BY serial");
  s.bind(1, static_cast<std::int64_t>(entry));
  std::vector<std::string> serials;
  while (s.step()) serials.push_back(s.column_text(0));
  std::vector<JobCode> out;
  out.reserve(serials.size());
  for (const auto& serial : serials) {
    auto c = ledger.code(serial);
    if (!c) continue;
    out.push_back({serial, c->voided_entry.has_value(), c->reprints});
  }
  return out;
}

std::uint64_t voided_codes(Ledger& ledger, std::uint64_t entry) {
  auto s = ledger.database().prepare(
      "SELECT count(*) FROM codes c WHERE c.job_entry = ? AND EXISTS (SELECT 1 FROM code_events ce JOIN events e "
      "ON e.entry_idx = ce.entry_idx AND e.type = 'labels_voided' WHERE ce.serial = c.serial)");
  s.bind(1, static_cast<std::int64_t>(entry));
  s.step();
  return static_cast<std::uint64_t>(s.column_int(0));
}

ShiftReport shift_report(Ledger& ledger, const std::string& enterprise, std::int64_t from_ms, std::int64_t to_ms) {
  auto s = ledger.database().prepare(
      "SELECT entry_idx FROM events WHERE unix_ms >= ? AND unix_ms < ? AND type IN ('labels_issued', "
      "'labels_reprinted', 'labels_voided', 'certificate_issued') ORDER BY entry_idx");
  s.bind(1, from_ms).bind(2, to_ms);
  std::vector<std::uint64_t> entries;
  while (s.step()) entries.push_back(static_cast<std::uint64_t>(s.column_int(0)));

  std::map<std::string, std::optional<LotSummary>> lots;  // each lot read once
  auto own = [&](const std::string& lot) -> const LotSummary* {
    auto it = lots.find(lot);
    if (it == lots.end()) it = lots.emplace(lot, lot_summary(ledger, lot)).first;
    return it->second && it->second->packer == enterprise ? &*it->second : nullptr;
  };
  std::map<std::string, ShiftRow> rows;
  std::map<std::string, ShiftLot> labelled;
  for (auto idx : entries) {
    nlohmann::json e = ledger.store().event_at(idx);
    std::string type = e.value("type", ""), lot = e.value("lot", "");
    if (type == "certificate_issued" ? e.value("issuer", "") != enterprise : !own(lot)) continue;
    std::string account = e.value("operator", "");
    ShiftRow& row = rows[account];
    row.account = account;
    if (type == "labels_issued") {
      ++row.jobs;
      row.labels += count_of(e);
      const LotSummary* l = own(lot);
      ShiftLot& sl = labelled[lot];
      sl.lot = lot;
      sl.product = l->product;
      sl.packed_units = l->packed_units;
      sl.live_codes = l->live_codes;
      sl.labelled_today += count_of(e);
    } else if (type == "labels_reprinted") {
      row.reprints += count_of(e);
    } else if (type == "labels_voided") {
      row.voids += count_of(e);
    } else {
      ++row.certificates;
    }
  }
  ShiftReport out;
  for (auto& [account, row] : rows)
    if (!account.empty()) out.operators.push_back(row);
  if (rows.count("")) out.operators.push_back(rows[""]);
  for (auto& [lot, l] : labelled) out.lots.push_back(l);
  return out;
}

}  // namespace agtrace::station
