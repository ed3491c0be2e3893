// Reading CSV text (RFC 4180) into records, and records into a header-keyed table.
//
// The format, as accepted here (RFC 4180 §2, with the usual relaxations):
//   - records end with CRLF or LF; the last record may lack a line end;
//   - fields are separated by ','; a field is either unquoted (no '"', CR or
//     LF in it) or enclosed in '"', in which case it may hold ',', CR, LF and
//     '""' (one literal quote). Line ends inside quotes are kept verbatim;
//   - spaces are part of a field (RFC 4180 §2.4): nothing is trimmed except
//     header names in parse_table;
//   - lines with no characters at all are skipped (a line holding only ','
//     separators is a record of empty fields).
// The text must already be UTF-8 without a byte-order mark; decode_to_utf8 in
// text_decoding.h produces it. Pure functions, no shared state.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace agtrace::csv {

// Bounds that stop a malformed or hostile file from exhausting memory.
struct Limits {
  std::size_t max_field_bytes = 64 * 1024;  // bytes of one field after unquoting
  std::size_t max_columns = 256;            // fields in one record
};

// One record: `line` is the 1-based physical line (count of LFs before it,
// plus one) on which the record starts; a quoted field with line ends makes
// the record span further lines. `row` is the row number Excel shows for it:
// one plus the line ends before it that end a record or an empty line (those
// inside quoted fields — a cell typed with Alt+Enter — do not start a row).
struct Row {
  std::size_t line;
  std::vector<std::string> fields;
  std::size_t row = 0;
};

// Splits `text` into records per RFC 4180 §2 as described above.
// Throws agtrace::Error(bad_input) naming `what` (the file), the line and the
// 1-based field number when:
//   - a quoted field is never closed (the line where its quote opened);
//   - a '"' appears inside an unquoted field;
//   - anything but ',' or a line end follows a closing quote;
//   - a CR is not followed by LF outside quotes (old Mac line ends);
//   - a field exceeds limits.max_field_bytes or a record limits.max_columns.
std::vector<Row> parse_csv(std::string_view text, std::string_view what, const Limits& limits = {});

// A CSV file whose first record names the columns.
struct Table {
  std::vector<std::string> header;
  std::size_t header_line = 0;  // the line of the header record
  std::size_t header_row = 0;   // its Excel row number (Row::row)
  std::vector<Row> rows;        // the records after the header
};

// Parses `text` with parse_csv, then takes the first record as the header:
// each name is trimmed of spaces, tabs, U+00A0 and U+3000 (the ideographic
// space of Chinese input methods). Records whose fields are all empty (the
// ",,,," rows Excel writes for formatted but blank rows) are dropped.
// Throws agtrace::Error(bad_input) naming `what`, besides parse_csv's errors,
// when the text holds no record, a header name is empty or repeated (naming
// both columns), or a record's field count differs from the header's (naming
// the line and both counts; when the record has too many and two neighbouring
// fields read like 1 and 000, saying a thousands separator split a number).
Table parse_table(std::string_view text, std::string_view what, const Limits& limits = {});

// Whether two neighbouring fields of `row` read like a number split at its thousands
// separator: digits, then exactly three digits (an unquoted 1,000 or 1,250.5).
bool has_split_number(const Row& row);

}  // namespace agtrace::csv
