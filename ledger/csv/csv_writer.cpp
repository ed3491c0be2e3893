// Spreadsheet-safe CSV writer: quoting per RFC 4180 §2, CRLF, optional BOM and
// OWASP formula-injection defusing.
#include "ledger/csv/csv_writer.h"

#include <stdexcept>

namespace agtrace::csv {

namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// [+-]?[0-9]+(\.[0-9]+)?
bool is_plain_decimal(std::string_view s) {
  if (!s.empty() && (s.front() == '+' || s.front() == '-')) s.remove_prefix(1);
  std::size_t i = 0;
  while (i < s.size() && is_digit(s[i])) ++i;
  if (i == 0) return false;
  if (i == s.size()) return true;
  if (s[i] != '.' || i + 1 == s.size()) return false;
  for (++i; i < s.size(); ++i) {
    if (!is_digit(s[i])) return false;
  }
  return true;
}

bool starts_formula(std::string_view s) {
  if (s.empty()) return false;
  switch (s.front()) {
    case '=':
    case '+':
    case '-':
    case '@':
    case '\t':
    case '\r':
      return !is_plain_decimal(s);
    default:
      return false;
  }
}

bool is_blank(char c) { return c == ' ' || c == '\t'; }

bool needs_quotes(std::string_view s) {
  if (s.find_first_of(",\"\r\n") != std::string_view::npos) return true;
  return !s.empty() && (is_blank(s.front()) || is_blank(s.back()));
}

}  // namespace

std::string format_field(std::string_view field) {
  std::string value;
  if (starts_formula(field)) value.push_back('\'');
  value.append(field);
  if (!needs_quotes(value)) return value;
  std::string quoted = "\"";
  for (char c : value) {
    if (c == '"') quoted.push_back('"');
    quoted.push_back(c);
  }
  quoted.push_back('"');
  return quoted;
}

CsvWriter::CsvWriter(bool byte_order_mark) {
  if (byte_order_mark) out_.append(kUtf8Bom);
}

template <typename Fields>
void CsvWriter::append_row(const Fields& fields) {
  if (fields.size() == 0) {
    throw std::invalid_argument("CsvWriter::write_row: a CSV record needs at least one field");
  }
  if (fields.size() == 1 && std::string_view(*fields.begin()).empty()) {
    out_.append("\"\"\r\n");
    return;
  }
  bool first = true;
  for (const auto& field : fields) {
    if (!first) out_.push_back(',');
    first = false;
    out_.append(format_field(field));
  }
  out_.append("\r\n");
}

void CsvWriter::write_row(std::span<const std::string> fields) { append_row(fields); }

void CsvWriter::write_row(std::initializer_list<std::string_view> fields) { append_row(fields); }

}  // namespace agtrace::csv
