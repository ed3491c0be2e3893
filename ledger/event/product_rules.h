// The append rules of a product's label fields (rules version 5, docs/rules-versions.md and
// docs/templates.md), checked by check_rules on append and in every replay (verify, the
// verifier): the product fields a label template prints — slogan, geographical_indication,
// processed, production_license_no, ingredients — are refused before version 5, naming the
// field and `agtrace-ledger upgrade`, so an older agtrace never meets a product field its
// schema does not know in a ledger of a version it knows. Likewise max_yield_kg_per_mu (最高亩产,
// the import's over-yield bound for the product, ledger/import/yield_check.h) before version 9.
#pragma once

#include <nlohmann/json.hpp>

#include "ledger/event/ledger_state.h"

namespace agtrace {

// The rule above for `event` (schema-valid). Does nothing for other events. Throws
// Error(bad_input) naming the first new field ("field slogan: …"), in Chinese then English.
void check_product_label_fields(const nlohmann::json& event, LedgerState& state);

}  // namespace agtrace
