// Clerk CSV files (exported from Excel) → events, by the column layout of
// schemas/csv-columns.json (Chinese or English headers per event type).
//
// Accepts UTF-8 (with or without BOM) or GB18030 (`encoding`), CRLF or LF, quoted
// fields with commas and newlines (RFC 4180). Every cell is trimmed of surrounding spaces.
// Each row's event type comes from the 事件类型/type column, else from `default_type`, in
// English or as a Chinese word of the layout's type_values (采收); enum columns take the
// Chinese words of their "values" (合格) as well as the schema's values. Times without a UTC
// offset take `default_tz` (e.g. "+08:00") when given, and are refused otherwise.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/ledger.h"

namespace agtrace {

// Converts every row of the CSV `bytes` named `file`, in order. A file-level problem
// throws Error(bad_input): the encoding (csv::decode_to_utf8: a UTF-8 file read as GB18030
// is named as UTF-8, U+FFFD is refused; each with its line),
// malformed CSV, no type, a header the layout does not know (naming the nearest known one),
// two columns for one field, no data rows. A bad row becomes a
// PreparedEvent whose `error` names its line and field, and the other rows still convert;
// a filled cell in a column the row's event type has no field for is such an error.
// Each event's `columns` names the headers its fields came from, for messages.
std::vector<PreparedEvent> events_from_csv(std::string_view bytes, std::string_view file,
                            std::string_view encoding,
                            const std::optional<std::string>& default_tz,
                            const std::optional<std::string>& default_type);

// One column of an event type's CSV layout, for the clerk's reference and templates.
struct CsvColumn {
  std::string header;   // the Chinese header, e.g. "采收批次"
  std::string english;  // the English header, e.g. "lot"
  std::string field;    // the event field it fills, e.g. "lot" or "quantity.value"
  std::string format;   // how to write the cell, e.g. "LOT*QUANTITY[*GRADE]; …"
  bool required = false;
};

// The event types CSV import knows, in layout order.
std::vector<std::string> csv_event_types();

// The columns of `type` in the layout's order: the event-type column, the columns every
// event shares (those the type's schema allows), the type's own, 备注 (note) last. A header
// that serves two fields (单位) is one column. Throws Error(bad_input) listing the known
// types for an unknown one.
std::vector<CsvColumn> csv_columns(const std::string& type);

}  // namespace agtrace
