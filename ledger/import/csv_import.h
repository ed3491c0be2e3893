// Clerk CSV files (exported from Excel) → events, by the column layout of
// schemas/csv-columns.json (Chinese or English headers per event type).
//
// Accepts UTF-8 (with or without BOM) or GB18030 (`encoding`), CRLF or LF, quoted
// fields with commas and newlines (RFC 4180; a line break inside a cell is then refused as a
// control character, and rows are numbered as Excel shows them). Every cell is trimmed of
// surrounding spaces.
// Each row's event type comes from the 事件类型/type column, else from `default_type`, in
// English or as a Chinese word of the layout's type_values (采收); enum columns take the
// Chinese words of their "values" (合格) as well as the schema's values. Times without a UTC
// offset take `default_tz` (e.g. "+08:00") when given, and are refused otherwise.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/i18n/messages.h"
#include "ledger/ledger.h"

namespace agtrace {

// How import_csv reads a file.
struct CsvImportOptions {
  std::string encoding = "utf-8";              // or "gb18030" (csv::decode_to_utf8)
  std::optional<std::string> default_tz;       // --tz, e.g. "+08:00"
  std::optional<std::string> default_type;     // --type, e.g. "harvest" or "采收"
  std::optional<i18n::Lang> lang;              // --lang; otherwise i18n::choose_lang by the headers
};

// What import_csv read: the events in file order, the language of its messages, and the
// lines whose full-width digits (１５００) were read as plain ones (to say so once), with each
// such cell named in `lang` (file, row, Excel letter, header, the value as typed: 采收.csv 第 2 行
// H 列「数量」「１５００」) for the note_full_width message.
struct CsvImport {
  i18n::Lang lang = i18n::Lang::en;
  std::vector<PreparedEvent> events;
  std::vector<std::size_t> full_width_lines;
  std::vector<std::string> full_width_cells;
};

// A refusal of a whole file (its header, its type column, no data rows), written in `lang`.
class CsvRefused : public Error {
 public:
  CsvRefused(const std::string& message, i18n::Lang lang) : Error(ErrorKind::bad_input, message), lang_(lang) {}
  i18n::Lang lang() const { return lang_; }

 private:
  i18n::Lang lang_;
};

// Converts every row of the CSV `bytes` named `file`, in order, with the messages in the
// clerk's language (options.lang, else Chinese for Chinese headers or a Chinese locale).
// A file-level problem throws: Error(bad_input) for the encoding (csv::decode_to_utf8: a
// UTF-8 file read as GB18030 is named as UTF-8, U+FFFD is refused; each with its line) and
// malformed CSV; CsvRefused for a title row above the header ("第 1 行像是表格标题"), every
// problem of the header at once (an unknown header with the header it most likely means —
// csv-columns.json's header_synonyms first, then spelling — or "not needed" for a row-number
// column; an empty or repeated name; two columns for one field), no type, no data rows.
// A bad row becomes a PreparedEvent whose `error` names its line and field (the append
// names the column by header and Excel letter), and the other rows still convert: a filled
// cell in a column the row's event type has no field for, a row that repeats an earlier
// one, an event_id used by an earlier row, a cell holding a control character (a line break,
// a tab, ESC; named escaped as \u001b), a lot id with a full-width, no-break or double space,
// and each cell a clerk_values function refuses. A file whose rows differ from the header in
// their number of cells is refused whole (CsvRefused), every such row named, a thousands
// separator (1,500) said to be the likely cause where it reads so.
// Units are read as people write them (unit_code), numbers must be plain (check_number),
// and a date alone is the event time of a planting, harvest or packing (csv-columns.json's
// date_grain_types) at 00:00 of --tz, refused elsewhere.
CsvImport import_csv(std::string_view bytes, std::string_view file, const CsvImportOptions& options);

// Whether the CSV `bytes` (in `encoding`, as import_csv reads them) has Chinese in its header (or
// the title row above it): the language import_csv answers in, for a refusal that comes before the
// file is read (a key, --log-key, the ledger). False for bytes that cannot be decoded.
bool csv_headers_chinese(std::string_view bytes, std::string_view encoding);

// import_csv's events with English messages (unless the locale is Chinese or the headers are).
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

// The event type `word` names: an event type CSV import knows (harvest), or a Chinese word a
// clerk types in the 事件类型 column for one (采收, 开具合格证). Throws i18n::Refusal listing the
// known types for any other word.
std::string csv_event_type(const std::string& word);

// Event type `type` (harvest) as a clerk writes it in `lang`: 采收 (csv-columns.json's first
// word for it) in Chinese, the type itself in English.
std::string csv_type_word(const std::string& type, i18n::Lang lang);

// The columns of event type `type` (as csv_event_type reads it: harvest or 采收) in the
// layout's order: the event-type column, the columns every event shares (those the type's
// schema allows), the type's own, 备注 (note) last; each column's format in `lang`. A header
// that serves two fields (单位) is one column. Throws i18n::Refusal listing the known types for
// an unknown one.
std::vector<CsvColumn> csv_columns(const std::string& type, i18n::Lang lang = i18n::Lang::en);

}  // namespace agtrace
