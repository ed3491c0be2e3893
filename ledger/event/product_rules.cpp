// Rules version 5: the product fields label templates print (see product_rules.h).
#include "ledger/event/product_rules.h"

#include <fmt/format.h>

#include "ledger/event/rules_version.h"
#include "ledger/util/error.h"

namespace agtrace {

namespace {

// The product fields added by rules version 5, in schema order.
constexpr const char* kLabelFieldsV5[] = {"slogan", "geographical_indication", "processed", "production_license_no",
                                          "ingredients"};

}  // namespace

void check_product_label_fields(const nlohmann::json& e, LedgerState& state) {
  if (e["type"] != "product") return;
  auto refuse_before = [&](const char* f, int version) {
    if (state.rules_version() >= version || !e.contains(f)) return;
    throw_bad_input(fmt::format(
        "field {0}: 本账本的规则版本是 {1}，产品资料还没有 {0} 字段；请删去该列，或先用 `agtrace-ledger upgrade "
        "--log-key LOGKEY` 把账本升到规则版本 {2}（docs/rules-versions.md）/ this ledger's rules version is {1}, "
        "whose product records have no {0}; leave the field out, or move the ledger to rules version {2} with "
        "`agtrace-ledger upgrade --log-key LOGKEY` (docs/rules-versions.md)",
        f, state.rules_version(), version));
  };
  for (const char* f : kLabelFieldsV5) refuse_before(f, kRulesV5);
  // Version 9 (ship16): the product's own yield bound for the import's over-yield check.
  refuse_before("max_yield_kg_per_mu", kRulesV9);
}

}  // namespace agtrace
