// Messages in the clerk's words: rewrites the "field PATH" references of an error
// message (the convention of every schema and rule message, DESIGN §3) to name the
// column the value came from, e.g. "field quantity.value: …" becomes
// "column 数量 (field quantity.value): …". Used for CSV imports, whose users know the
// Chinese headers of their Excel sheets, not the schema's English field names.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace agtrace {

// Field path → column header, e.g. {"quantity.value", "数量"}.
using ColumnNames = std::vector<std::pair<std::string, std::string>>;

// Returns `message` with each "field PATH" whose PATH is a listed field, or lies inside
// one ("inputs[0].lot" inside "inputs"), rewritten as "column HEADER (field PATH)"; the
// longest listed field wins. A PATH that holds listed fields ("quantity", holding
// "quantity.value") takes PATH.value's, else the first of them. Other text is unchanged; an empty list changes nothing.
std::string name_columns(std::string_view message, const ColumnNames& columns);

}  // namespace agtrace
