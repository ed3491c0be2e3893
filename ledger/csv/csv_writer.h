// Writing CSV that Excel and WPS open correctly, for regulator exports (DESIGN §6).
//
// Output format (RFC 4180 §2 plus what spreadsheets need):
//   - optionally a UTF-8 byte-order mark (EF BB BF) first: without it Excel on
//     Chinese Windows reads UTF-8 as GBK and garbles every Chinese name;
//   - every record, the last included, ends with CRLF (RFC 4180 §2.1);
//   - a field is enclosed in '"' (each '"' inside written '""', RFC 4180 §2.7)
//     when it contains ',', '"', CR or LF, or begins or ends with a space or
//     tab (spreadsheets would trim those); a record of one empty field is
//     written '""' so that it does not become a blank line, which readers skip;
//   - formula injection is defused (OWASP "CSV Injection"): a field that begins
//     with '=', '+', '-', '@', TAB or CR gets a single quote ' prepended, so
//     the spreadsheet shows it as text instead of evaluating it. Plain decimal
//     numbers — an optional '+' or '-', digits, optionally '.' and more digits,
//     such as "-3.5" or "+12" — are left alone: they cannot hold a formula and
//     quantities must stay numeric. Anything else ("-1e5", "-.5", "+86 351 …",
//     "=SUM(A1)") is prefixed, so such fields read back with the leading '.
// The writer accumulates text in memory; the output is a pure function of the
// rows written, so exports can be regenerated and compared byte for byte.
#pragma once

#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

namespace agtrace::csv {

// Returns `field` as it appears in a record: defused, then quoted if needed,
// per the rules above.
std::string format_field(std::string_view field);

class CsvWriter {
 public:
  // Starts the output, with a UTF-8 byte-order mark if `byte_order_mark`.
  explicit CsvWriter(bool byte_order_mark = true);

  // Appends one record followed by CRLF. `fields` must not be empty
  // (throws std::invalid_argument: a bug in the caller).
  void write_row(std::span<const std::string> fields);
  void write_row(std::initializer_list<std::string_view> fields);

  // The CSV written so far.
  const std::string& text() const { return out_; }

 private:
  template <typename Fields>
  void append_row(const Fields& fields);

  std::string out_;
};

}  // namespace agtrace::csv
