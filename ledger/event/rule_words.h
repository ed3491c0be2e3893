// The words the rule and schema refusals put into catalogue messages (ledger/i18n/refusal.h),
// in the clerk's language: units as people say them (公斤, not kg or KGM), event types as a
// clerk types them in the 事件类型 column (采收, not harvest), the certificate bases as printed
// on the certificate, lists joined as each language joins them. Pure functions; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "ledger/event/quantity.h"
#include "ledger/i18n/refusal.h"

namespace agtrace {

// The base unit of `d`: 公斤 / kg, 升 / L, 件 / pieces.
i18n::Words unit_words(Dimension d);

// Event type `type` as a clerk writes it: the first Chinese word of csv-columns.json's
// type_values for it (采收 / harvest); the type itself in both when it has none.
i18n::Words type_words(const std::string& type);

// A master-data kind ("party", "location", "product"): 主体 / party, 地点 / location, 产品 / product.
i18n::Words kind_words(const std::string& kind);

// A certificate basis as printed: 自行检测合格 / 自行检测合格 (self_tested).
i18n::Words basis_words(const std::string& basis);

// `items` quoted and joined: 「A」、「B」 / "A", "B"; `none` when there are none.
i18n::Words quoted_list(const std::vector<std::string>& items, const i18n::Words& none = {"无", "none"});

// `items` joined unquoted: A、B / A, B; `none` when there are none.
i18n::Words plain_list(const std::vector<std::string>& items, const i18n::Words& none = {"无", "none"});

}  // namespace agtrace
