// Messages in the clerk's words: rewrites the "field PATH" references of an error
// message (the convention of every schema and rule message, DESIGN §3) to name the
// column the value came from, as the source names it: in English "field quantity.value: …"
// becomes "column H "数量" (field quantity.value): …", in Chinese "H 列「数量」：…" (the
// catalogue's column_field, ledger/i18n/messages.h). Used for CSV imports, whose users know
// the headers and Excel letters of their sheets, not the schema's English field names.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ledger/i18n/messages.h"

namespace agtrace {

// Field path → the column's name in messages, e.g. {"quantity.value", "column H \"数量\""}
// (i18n column_ref, in the message's language).
using ColumnNames = std::vector<std::pair<std::string, std::string>>;

// Returns `message` with each "field PATH" whose PATH is a listed field, or lies inside
// one ("inputs[0].lot" inside "inputs"), rewritten as column_field in `lang` ("COLUMN
// (field PATH)"; in Chinese "COLUMN", and a ": " right after it becomes "："); the longest
// listed field wins. A PATH that holds listed fields ("quantity", holding
// "quantity.value") takes PATH.value's, else the first of them. Other text is unchanged; an empty list changes nothing.
std::string name_columns(std::string_view message, const ColumnNames& columns,
                         i18n::Lang lang = i18n::Lang::en);

}  // namespace agtrace
