// RFC 4180 record parser and the header-checking table reader built on it.
#include "ledger/csv/csv_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <utility>

#include "ledger/i18n/refusal.h"
#include "ledger/util/error.h"

namespace agtrace::csv {

namespace {

// How a byte is named in messages: 'x' for printable ASCII, a phrase for a
// lone CR, "byte 0xNN" otherwise.
std::string describe_byte(char c) {
  const auto b = static_cast<std::uint8_t>(c);
  if (c == '\r') return "a carriage return not followed by a line feed";
  if (b >= 0x20 && b < 0x7F) return fmt::format("'{}'", c);
  return fmt::format("byte 0x{:02X}", b);
}

class Parser {
 public:
  Parser(std::string_view text, std::string_view what, const Limits& limits)
      : text_(text), what_(what), limits_(limits) {}

  std::vector<Row> run() {
    std::vector<Row> rows;
    while (pos_ < text_.size()) {
      if (at_line_end()) {
        consume_line_end();
        continue;
      }
      rows.push_back(read_record());
    }
    return rows;
  }

 private:
  bool at_line_end() const {
    return text_[pos_] == '\n' ||
           (text_[pos_] == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n');
  }

  void consume_line_end() {
    pos_ += text_[pos_] == '\r' ? 2 : 1;
    ++line_;
    ++row_;
  }

  // Reads one record starting at pos_ and consumes its line end, if any.
  Row read_record() {
    Row row{line_, {}, row_};
    while (true) {
      if (row.fields.size() == limits_.max_columns) {
        fail(row.line, fmt::format("more than {} fields in one record", limits_.max_columns));
      }
      const std::size_t field_number = row.fields.size() + 1;
      row.fields.push_back(pos_ < text_.size() && text_[pos_] == '"' ? read_quoted(field_number)
                                                                     : read_unquoted(field_number));
      if (pos_ == text_.size()) return row;
      if (text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      consume_line_end();
      return row;
    }
  }

  // Reads an unquoted field; stops at ',', a line end or the end of text.
  std::string read_unquoted(std::size_t field_number) {
    const std::size_t start = pos_;
    while (pos_ < text_.size() && text_[pos_] != ',' && !at_line_end()) {
      const char c = text_[pos_];
      if (c == '"') {
        i18n::refuse("", i18n::Msg::csv_quote_unquoted, what_, line_, field_number);
      }
      if (c == '\r') {
        fail(line_, fmt::format("field {}: {} (old Mac line ends?); save the file as "
                                "\"CSV UTF-8\" with Windows or Unix line ends",
                                field_number, describe_byte(c)));
      }
      ++pos_;
    }
    check_size(pos_ - start, line_, field_number);
    return std::string(text_.substr(start, pos_ - start));
  }

  // Reads a quoted field from its opening '"' up to and including its closing
  // '"', then checks that a separator, a line end or the end of text follows.
  std::string read_quoted(std::size_t field_number) {
    const std::size_t open_line = line_;
    ++pos_;
    std::string field;
    while (true) {
      const std::size_t quote = text_.find('"', pos_);
      if (quote == std::string_view::npos) {
        fail(open_line, fmt::format("field {}: the quoted field opened here is never closed "
                                    "(a closing '\"' is missing)",
                                    field_number));
      }
      const std::string_view chunk = text_.substr(pos_, quote - pos_);
      line_ += static_cast<std::size_t>(std::count(chunk.begin(), chunk.end(), '\n'));
      field.append(chunk);
      pos_ = quote + 1;
      if (pos_ < text_.size() && text_[pos_] == '"') {
        field.push_back('"');
        ++pos_;
      } else {
        break;
      }
    }
    check_size(field.size(), open_line, field_number);
    if (pos_ < text_.size() && text_[pos_] != ',' && !at_line_end()) {
      fail(line_, fmt::format("field {}: unexpected {} after the closing quote; a quoted field "
                              "must be followed by ',' or the end of the line (a '\"' inside "
                              "quotes is written '\"\"')",
                              field_number, describe_byte(text_[pos_])));
    }
    return field;
  }

  void check_size(std::size_t size, std::size_t line, std::size_t field_number) const {
    if (size > limits_.max_field_bytes) {
      fail(line,
           fmt::format("field {} is longer than {} bytes", field_number, limits_.max_field_bytes));
    }
  }

  [[noreturn]] void fail(std::size_t line, const std::string& message) const {
    throw_bad_input(fmt::format("{}: line {}: {}", what_, line, message));
  }

  std::string_view text_;
  std::string_view what_;
  const Limits& limits_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
  std::size_t row_ = 1;  // line ends outside quoted fields, plus one (Row::row)
};

// Removes leading and trailing ASCII space, tab, U+00A0 and U+3000.
std::string trim_header_name(std::string_view s) {
  constexpr std::string_view kNbsp = "\xC2\xA0";
  constexpr std::string_view kIdeographicSpace = "\xE3\x80\x80";
  bool changed = true;
  while (changed) {
    changed = false;
    for (std::string_view blank :
         {std::string_view(" "), std::string_view("\t"), kNbsp, kIdeographicSpace}) {
      if (s.starts_with(blank)) {
        s.remove_prefix(blank.size());
        changed = true;
      }
      if (s.ends_with(blank)) {
        s.remove_suffix(blank.size());
        changed = true;
      }
    }
  }
  return std::string(s);
}

}  // namespace

bool has_split_number(const Row& row) {
  auto digits = [](std::string_view f) {
    return !f.empty() && std::all_of(f.begin(), f.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  for (std::size_t i = 1; i < row.fields.size(); ++i) {
    std::string_view tail = row.fields[i];
    tail = tail.substr(0, tail.find('.'));
    if (digits(row.fields[i - 1]) && row.fields[i - 1].size() <= 3 && tail.size() == 3 && digits(tail))
      return true;
  }
  return false;
}

namespace {

bool all_empty(const Row& row) {
  return std::all_of(row.fields.begin(), row.fields.end(),
                     [](const std::string& f) { return f.empty(); });
}

}  // namespace

std::vector<Row> parse_csv(std::string_view text, std::string_view what, const Limits& limits) {
  return Parser(text, what, limits).run();
}

Table parse_table(std::string_view text, std::string_view what, const Limits& limits) {
  std::vector<Row> records = parse_csv(text, what, limits);
  if (records.empty()) {
    i18n::refuse("", i18n::Msg::csv_empty_file, std::string(what));
  }
  Table table;
  table.header_line = records.front().line;
  table.header_row = records.front().row;
  for (const std::string& cell : records.front().fields) {
    std::string name = trim_header_name(cell);
    const std::size_t column = table.header.size() + 1;
    if (name.empty()) {
      throw_bad_input(fmt::format("{}: line {}: header column {} has no name", what,
                                  table.header_line, column));
    }
    const auto earlier = std::find(table.header.begin(), table.header.end(), name);
    if (earlier != table.header.end()) {
      throw_bad_input(fmt::format("{}: line {}: header columns {} and {} are both named '{}'", what,
                                  table.header_line, earlier - table.header.begin() + 1, column,
                                  name));
    }
    table.header.push_back(std::move(name));
  }
  for (std::size_t i = 1; i < records.size(); ++i) {
    Row& row = records[i];
    if (all_empty(row)) continue;
    if (row.fields.size() != table.header.size()) {
      const bool split_number = row.fields.size() > table.header.size() && has_split_number(row);
      throw_bad_input(fmt::format("{}: line {}: {} fields, but the header on line {} has {}{}", what,
                                  row.line, row.fields.size(), table.header_line,
                                  table.header.size(),
                                  split_number ? "; a number with a thousands separator (1,000) "
                                                 "splits a cell: format the column without separators"
                                               : ""));
    }
    table.rows.push_back(std::move(row));
  }
  return table;
}

}  // namespace agtrace::csv
