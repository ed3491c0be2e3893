// Clerk CSV files (exported from Excel) → events, by the column layout of
// schemas/csv-columns.json (Chinese or English headers per event type).
//
// Accepts UTF-8 (with or without BOM) or GB18030 (`encoding`), CRLF or LF, quoted
// fields with commas and newlines (RFC 4180). Each row's event type comes from the
// 事件类型/type column, else from `default_type`. Times without a UTC offset take
// `default_tz` (e.g. "+08:00") when given, and are refused otherwise.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/ledger.h"

namespace agtrace {

// Converts every row of the CSV `bytes` named `file`, in order. A file-level problem
// throws Error(bad_input): the encoding, malformed CSV, no type, a header the layout does
// not know (naming the nearest known one), two columns for one field. A bad row becomes a
// PreparedEvent whose `error` names its line and field, and the other rows still convert;
// a filled cell in a column the row's event type has no field for is such an error.
// Each event's `columns` names the headers its fields came from, for messages.
std::vector<PreparedEvent> events_from_csv(std::string_view bytes, std::string_view file,
                            std::string_view encoding,
                            const std::optional<std::string>& default_tz,
                            const std::optional<std::string>& default_type);

}  // namespace agtrace
