// Harvests inside a pre-harvest interval (安全间隔期内采收) on a lot's ancestry: rules version 8
// (docs/rules-versions.md "Version 8", docs/certificate.md "A spray recorded late").
//
// The append rules refuse a harvest inside the interval of a pesticide application already
// recorded on its planting lot (rules.cpp). Up to version 7 they also refused the application
// recorded after the harvest; from version 8 such an application is recorded — the fact is true,
// and refusing it hid exactly what should invalidate the lot's certificates — and the harvest
// it overlaps is a breach. One breach, read by:
// - the certificate rules: from version 8 a certificate ticking 质量安全控制符合要求 over a lot
//   whose ancestry holds a breach is refused, and a label job does not count such a certificate
//   as valid (certificate_rules.cpp);
// - the views: such a certificate issued before the breach was recorded is 已失效, on its page,
//   in the exports and the register (ledger/certificates.h certificate_state); the scan page and
//   `show lot` list the breach as they list a failed inspection.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ledger/event/ledger_state.h"

namespace agtrace {

struct IntervalBreach {
  std::string harvest_lot;   // the lot the harvest made (on the ancestry)
  std::string planting_lot;  // the lot it was harvested from, which the pesticide was applied to
  std::string harvest_event_id;
  std::string harvest_date;  // local calendar date at the harvest's offset, YYYY-MM-DD
  std::uint64_t harvest_entry = 0;
  PesticideRecord application;  // its application_date <= harvest_date < safe_date
  std::uint64_t application_entry = 0;
};

// The breaches on `ancestry` (a lot and every lot it was made from, certificate_rules.h
// lot_ancestry): for each harvest lot on it, every pesticide application on the lot it was
// harvested from (a plot's application included, rules version 7) whose interval
// [application date, safe date) holds the harvest date — the predicate the harvest rule refuses
// on. In ancestry order, then application order; empty when none. Reads harvest entries back
// (read_back_by_rules).
std::vector<IntervalBreach> interval_breaches(const std::vector<std::string>& ancestry, LedgerState& state);

// True when the certificate_issued event `certificate` ticks 质量安全控制符合要求 (quality_control)
// among its bases.
bool ticks_quality_control(const nlohmann::json& certificate);

}  // namespace agtrace
