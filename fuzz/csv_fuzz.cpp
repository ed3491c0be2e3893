// Reading CSV files (ledger/csv): decode_to_utf8() as UTF-8 and as GB18030, parse_csv() and
// parse_table() on the text.
//
// Properties: decoded UTF-8 starts with a byte-order mark only if the file started with two
// (exactly one is stripped); every record parse_csv() returns survives a round trip through
// RFC 4180 quoting (each field quoted, '"' doubled) with the same fields; parse_table()
// gives every row as many fields as the header.
#include <string>
#include <vector>

#include "fuzz/fuzz_check.h"
#include "ledger/csv/csv_reader.h"
#include "ledger/csv/text_decoding.h"
#include "ledger/util/error.h"

using namespace agtrace;

namespace {

std::string quote_all(const std::vector<csv::Row>& rows) {
  std::string out;
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.fields.size(); ++i) {
      if (i > 0) out += ',';
      out += '"';
      for (char c : row.fields[i]) {
        if (c == '"') out += '"';
        out += c;
      }
      out += '"';
    }
    out += "\r\n";
  }
  return out;
}

void check_text(std::string_view text) {
  std::vector<csv::Row> rows;
  try {
    rows = csv::parse_csv(text, "fuzz.csv");
  } catch (const Error& e) {
    FUZZ_CHECK(e.kind() == ErrorKind::bad_input);
    return;
  }
  std::size_t last_line = 0;
  for (const auto& row : rows) {
    FUZZ_CHECK(!row.fields.empty());
    FUZZ_CHECK(row.line > last_line);
    last_line = row.line;
  }
  const auto again = csv::parse_csv(quote_all(rows), "fuzz.csv (quoted)");
  FUZZ_CHECK(again.size() == rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) FUZZ_CHECK(again[i].fields == rows[i].fields);

  try {
    const csv::Table table = csv::parse_table(text, "fuzz.csv");
    FUZZ_CHECK(!table.header.empty());
    for (const auto& row : table.rows) FUZZ_CHECK(row.fields.size() == table.header.size());
  } catch (const Error& e) {
    FUZZ_CHECK(e.kind() == ErrorKind::bad_input);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes = fuzz::as_text(data, size);
  for (const char* encoding : {"utf-8", "gb18030"}) {
    std::string text;
    try {
      text = csv::decode_to_utf8(bytes, encoding, "fuzz.csv");
    } catch (const Error& e) {
      FUZZ_CHECK(e.kind() == ErrorKind::bad_input);
      continue;
    }
    // One byte-order mark is stripped, and only one (ledger/csv/text_decoding.h).
    FUZZ_CHECK(!text.starts_with("\xEF\xBB\xBF") || bytes.starts_with("\xEF\xBB\xBF\xEF\xBB\xBF") ||
               std::string_view(encoding) == "gb18030");
    check_text(text);
  }
  return 0;
}
