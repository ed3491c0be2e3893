// Questions about one lot that several programs ask of a ledger: its ancestry, and the
// recalls that cover it (DESIGN §3; the lineage and lot_events tables of
// docs/ledger-format.md).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ledger/ledger.h"

namespace agtrace {

// `lot` and its ancestors by the lineage table, nearest first, at most `max_lots` of them.
std::vector<std::string> lot_and_ancestors(Ledger& ledger, const std::string& lot, std::size_t max_lots = 10000);

// The recall events in force for `lot`, oldest first: those naming the lot, or naming an
// ancestor of it with "descendants": true, and not withdrawn by a correction.
std::vector<nlohmann::json> recalls_covering(Ledger& ledger, const std::string& lot);

// The time `unix_ms` as RFC 3339 at the UTC offset of `lot`'s creating event (its own local
// time: "2026-09-25T10:00:00+08:00" for a lot harvested in Beijing time), for an event the
// program writes about the lot (a label job, a recall), so that it reads beside the lot's other
// events in one time zone, never as bare UTC beside local times (issue 16, item 1). UTC ("Z")
// for an unknown lot or one created at "Z" or "-00:00".
std::string time_at_lot(Ledger& ledger, const std::string& lot, std::int64_t unix_ms);

}  // namespace agtrace
