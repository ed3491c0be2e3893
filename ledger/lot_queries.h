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

}  // namespace agtrace
