// Chinese cell values → schema values, and Excel's number, GTIN and date habits.
#include "ledger/import/clerk_values.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <string_view>
#include <vector>

#include "ledger/util/error.h"

namespace agtrace {

namespace {

// Whether `s` is one or more ASCII digits.
bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::string trim_cell(const std::string& cell) {
  constexpr std::string_view kBlanks[] = {" ", "\t", "\xC2\xA0", "\xE3\x80\x80"};  // U+00A0, U+3000
  std::string_view s = cell;
  for (bool changed = true; changed;) {
    changed = false;
    for (std::string_view blank : kBlanks) {
      if (s.starts_with(blank)) s.remove_prefix(blank.size()), changed = true;
      if (s.ends_with(blank)) s.remove_suffix(blank.size()), changed = true;
    }
  }
  return std::string(s);
}

std::string translate_value(const std::string& cell, const nlohmann::ordered_json& values,
                            const std::string& field) {
  if (auto it = values.find(cell); it != values.end()) return it->get<std::string>();
  for (const auto& [word, value] : values.items())
    if (value == cell) return cell;
  throw_bad_input(fmt::format("field {}: \"{}\" is not an accepted value; use one of {}", field, cell,
                              accepted_values(values)));
}

std::string accepted_values(const nlohmann::ordered_json& values) {
  std::vector<std::string> seen;
  std::vector<std::string> out;
  for (const auto& [word, value] : values.items()) {
    std::string v = value;
    if (std::find(seen.begin(), seen.end(), v) != seen.end()) continue;
    seen.push_back(v);
    out.push_back(fmt::format("{} ({})", word, v));
  }
  return fmt::format("{}", fmt::join(out, ", "));
}

void check_plain_number(const std::string& cell, const std::string& field) {
  // Groups of digits between separators: 1 to 3 digits, then groups of exactly 3, the last
  // one with an optional fraction (1,250.5). No regex: std::regex recurses per character.
  std::string_view rest = cell;
  if (rest.starts_with('-')) rest.remove_prefix(1);
  if (auto dot = rest.find('.'); dot != std::string_view::npos) {
    if (!all_digits(rest.substr(dot + 1))) return;
    rest = rest.substr(0, dot);
  }
  std::vector<std::string_view> groups;
  for (std::size_t at = 0;;) {
    std::size_t sep = rest.find_first_of(", ", at);
    std::size_t nbsp = rest.find("\xC2\xA0", at);
    std::size_t end = std::min(sep, nbsp);
    groups.push_back(rest.substr(at, end - at));
    if (end == std::string_view::npos) break;
    at = end + (end == nbsp ? 2 : 1);
  }
  if (groups.size() < 2 || groups[0].empty() || groups[0].size() > 3) return;
  for (std::size_t i = 0; i < groups.size(); ++i)
    if (!all_digits(groups[i]) || (i > 0 && groups[i].size() != 3)) return;
  std::string plain;
  std::copy_if(cell.begin(), cell.end(), std::back_inserter(plain),
               [](char c) { return c == '-' || c == '.' || (c >= '0' && c <= '9'); });
  throw_bad_input(fmt::format(
      "field {}: \"{}\" has a thousands separator or spaces; remove them: write {}", field, cell, plain));
}

void check_gtin_as_text(const std::string& cell, const std::string& field) {
  // 6.90123E+12: a digit, an optional fraction, E, an optional +, the exponent.
  auto scientific = [](std::string_view s) {
    auto e = s.find_first_of("eE");
    if (e == std::string_view::npos || e == 0 || !all_digits(s.substr(0, 1))) return false;
    std::string_view mantissa = s.substr(1, e - 1), exponent = s.substr(e + 1);
    if (!mantissa.empty() && (mantissa[0] != '.' || !all_digits(mantissa.substr(1)))) return false;
    if (exponent.starts_with('+')) exponent.remove_prefix(1);
    return all_digits(exponent);
  };
  const char* what = cell.size() == 13 && all_digits(cell) && cell[0] != '0' ? "Excel dropped the leading 0"
                     : scientific(cell) ? "Excel wrote it in scientific notation"
                                        : nullptr;
  if (!what) return;
  throw_bad_input(fmt::format(
      "field {}: \"{}\" is not a 14-digit GTIN; {}: format the GTIN column as text and type the "
      "14 digits (e.g. 06901234567892)",
      field, cell, what));
}

void check_not_excel_date(const std::string& cell, const std::string& field) {
  std::string_view day = cell, fraction;
  if (auto dot = day.find('.'); dot != std::string_view::npos) {
    fraction = day.substr(dot + 1);
    day = day.substr(0, dot);
    if (fraction.empty()) return;
  }
  if (day.size() < 4 || day.size() > 6 || !all_digits(day) || (!fraction.empty() && !all_digits(fraction))) return;
  throw_bad_input(fmt::format(
      "field {}: \"{}\" is an Excel date number, not a time; format the column as a date-time "
      "(yyyy-mm-dd hh:mm)",
      field, cell));
}

}  // namespace agtrace
