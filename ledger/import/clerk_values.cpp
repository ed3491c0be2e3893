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

// Refuses the cell of `field` with `why` (from the catalogue).
[[noreturn]] void refuse(const std::string& field, const std::string& why) {
  throw_bad_input(fmt::format("field {}: {}", field, why));
}

// ASCII lower case, for unit symbols (kg, KG, Kg).
std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return s;
}

struct UnitWord {
  std::string_view word;  // as written (ASCII ones compared in lower case)
  std::string_view code;  // UN/ECE Rec 20
};

// Every way of writing a unit that unit_code accepts, the everyday Chinese word first.
constexpr UnitWord kUnits[] = {
    {"千克", "KGM"}, {"公斤", "KGM"}, {"kg", "KGM"}, {"kgm", "KGM"}, {"克", "GRM"},  {"g", "GRM"},
    {"grm", "GRM"},  {"吨", "TNE"},   {"t", "TNE"},  {"tne", "TNE"}, {"升", "LTR"},  {"l", "LTR"},
    {"ltr", "LTR"},  {"毫升", "MLT"}, {"ml", "MLT"}, {"mlt", "MLT"}, {"件", "H87"},  {"个", "H87"},
    {"箱", "H87"},   {"h87", "H87"},
};

// Words that count pieces rather than weigh them.
bool is_piece_word(std::string_view w) { return w == "件" || w == "个" || w == "箱"; }

}  // namespace

std::string excel_column(std::size_t index) {
  std::string out;
  for (std::size_t n = index + 1; n > 0; n = (n - 1) / 26) out.insert(out.begin(), static_cast<char>('A' + (n - 1) % 26));
  return out;
}

std::string ascii_digits(const std::string& cell, bool& changed, bool letters) {
  std::string out;
  for (std::size_t i = 0; i < cell.size(); ++i) {
    // U+FF01..U+FF5E are U+0021..U+007E in full width: EF BC 81..BF (! to _), then EF BD 80..9E (` to ~).
    if (i + 2 < cell.size() && cell[i] == '\xEF' && (cell[i + 1] == '\xBC' || cell[i + 1] == '\xBD')) {
      const auto c = static_cast<unsigned char>(cell[i + 2]);
      const bool second = cell[i + 1] == '\xBD';
      const bool in_range = second ? c >= 0x80 && c <= 0x9E : c >= 0x81 && c <= 0xBF;
      const char ascii = static_cast<char>(second ? c - 0x20 : c - 0x60);
      const bool digit_like = (ascii >= '0' && ascii <= '9') || ascii == '.' || ascii == '-' || ascii == ',';
      const bool letter = (ascii >= 'A' && ascii <= 'Z') || (ascii >= 'a' && ascii <= 'z');
      if (in_range && (digit_like || (letters && letter))) {
        out += ascii;
        i += 2;
        changed = true;
        continue;
      }
    }
    out += cell[i];
  }
  return out;
}

std::optional<std::string> half_of(const std::string& amount) {
  const auto dot = amount.find('.');
  std::string digits = amount.substr(0, dot) + (dot == std::string::npos ? "" : amount.substr(dot + 1));
  if (!all_digits(digits) || digits.size() > 40 || (dot != std::string::npos && amount.find('.', dot + 1) != std::string::npos))
    return std::nullopt;
  const std::size_t fraction = dot == std::string::npos ? 0 : amount.size() - dot - 1;
  // x / 2 = x * 5 / 10: times five digit by digit, then one more fraction digit.
  std::string times5;
  int carry = 0;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    const int v = (*it - '0') * 5 + carry;
    times5.insert(times5.begin(), static_cast<char>('0' + v % 10));
    carry = v / 10;
  }
  if (carry) times5.insert(times5.begin(), static_cast<char>('0' + carry));
  const std::size_t places = fraction + 1;
  while (times5.size() <= places) times5.insert(times5.begin(), '0');
  std::string whole = times5.substr(0, times5.size() - places), frac = times5.substr(times5.size() - places);
  whole.erase(0, std::min(whole.find_first_not_of('0'), whole.size() - 1));
  while (!frac.empty() && frac.back() == '0') frac.pop_back();
  return frac.empty() ? whole : whole + "." + frac;
}

std::string unit_code(const std::string& cell, bool pack_size, const std::string& field, i18n::Lang lang,
                      const std::optional<std::string>& amount) {
  if (cell == "斤" || cell == "市斤") {
    if (const auto half = amount ? half_of(*amount) : std::nullopt)
      refuse(field, i18n::text(lang, i18n::Msg::unit_jin_amount, *amount, cell, *half));
    refuse(field, i18n::text(lang, i18n::Msg::unit_jin, cell));
  }
  for (const auto& u : kUnits) {
    if (u.word != cell && u.word != lower(cell)) continue;
    if (pack_size && is_piece_word(u.word)) refuse(field, i18n::text(lang, i18n::Msg::unit_box_in_pack_size, cell));
    return std::string(u.code);
  }
  refuse(field, i18n::text(lang, i18n::Msg::unit_unknown, cell, accepted_units(lang)));
}

std::string accepted_units(i18n::Lang lang, bool pack_size) {
  // Per code: the Chinese word, then the other spellings in brackets.
  std::vector<std::pair<std::string_view, std::vector<std::string_view>>> by_code;
  for (const auto& u : kUnits) {
    if (pack_size && u.code == "H87") continue;  // what one piece holds is weighed or measured
    auto it = std::find_if(by_code.begin(), by_code.end(), [&](const auto& e) { return e.first == u.code; });
    if (it == by_code.end()) it = by_code.insert(by_code.end(), {u.code, {}});
    if (lower(std::string(u.code)) != u.word) it->second.push_back(u.word);
  }
  std::vector<std::string> out;
  for (const auto& [code, words] : by_code) {
    std::vector<std::string_view> others(words.begin() + 1, words.end());
    std::string also = fmt::format("{}", fmt::join(others, lang == i18n::Lang::zh ? "、" : ", "));
    if (lang == i18n::Lang::zh)
      out.push_back(also.empty() ? std::string(words[0]) : fmt::format("{}（{}）", words[0], also));
    else
      out.push_back(fmt::format("{} ({}{}{})", words[0], code, also.empty() ? "" : ", ", also));
  }
  return fmt::format("{}", fmt::join(out, lang == i18n::Lang::zh ? "、" : ", "));
}

void check_number(const std::string& cell, const std::string& field, i18n::Lang lang,
                  const std::optional<std::string>& unitless_header) {
  check_plain_number(cell, field, lang);
  auto numeric = [](char c) { return c == '-' || c == '.' || (c >= '0' && c <= '9'); };
  std::size_t n = 0;
  while (n < cell.size() && numeric(cell[n])) ++n;
  if (n == cell.size()) return;  // digits and points only: the schema judges the rest
  std::string number = cell.substr(0, n);
  std::string unit = trim_cell(cell.substr(n));
  bool number_first = std::any_of(number.begin(), number.end(), [](char c) { return c >= '0' && c <= '9'; });
  bool unit_has_digit = std::any_of(unit.begin(), unit.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (number_first && !unit.empty() && !unit_has_digit) {
    if (unitless_header) refuse(field, i18n::text(lang, i18n::Msg::cell_number_only, *unitless_header, number));
    refuse(field, i18n::text(lang, i18n::Msg::cell_number_and_unit, number, unit));
  }
  refuse(field, i18n::text(lang, i18n::Msg::cell_not_number, cell));
}

std::optional<std::string> clerk_date(const std::string& cell, const std::string& field, i18n::Lang lang) {
  // Three runs of digits (4, 1–2, 1–2) joined by one separator kind: - / . or 年 月 (日 after).
  std::string_view s = cell;
  auto digits = [&](std::size_t min, std::size_t max) -> std::optional<int> {
    std::size_t n = 0;
    while (n < s.size() && s[n] >= '0' && s[n] <= '9') ++n;
    if (n < min || n > max) return std::nullopt;
    int v = std::stoi(std::string(s.substr(0, n)));
    s.remove_prefix(n);
    return v;
  };
  auto take = [&](std::string_view sep) {
    while (s.starts_with(' ')) s.remove_prefix(1);
    if (!s.starts_with(sep)) return false;
    s.remove_prefix(sep.size());
    while (s.starts_with(' ')) s.remove_prefix(1);
    return true;
  };
  auto year = digits(4, 4);
  if (!year || s.empty()) return std::nullopt;
  std::string_view sep1, sep2, end;
  if (s[0] == '-' || s[0] == '/' || s[0] == '.') {
    sep1 = sep2 = s.substr(0, 1);
  } else {
    sep1 = "年", sep2 = "月", end = "日";
  }
  if (!take(sep1)) return std::nullopt;
  auto month = digits(1, 2);
  if (!month || !take(sep2)) return std::nullopt;
  auto day = digits(1, 2);
  if (!day || (!end.empty() && !take(end)) || !s.empty()) return std::nullopt;
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (*year % 4 == 0 && *year % 100 != 0) || *year % 400 == 0;
  if (*month < 1 || *month > 12 || *day < 1) refuse(field, i18n::text(lang, i18n::Msg::date_invalid, cell));
  const int days = *month == 2 && !leap ? 28 : kDays[*month - 1];
  if (*day > days) refuse(field, i18n::text(lang, i18n::Msg::date_not_exist, cell, *year, *month, days));
  return fmt::format("{:04d}-{:02d}-{:02d}", *year, *month, *day);
}

std::optional<std::string> clerk_date_time(const std::string& cell, const std::string& field, i18n::Lang lang) {
  const auto day_end = cell.find("日");
  if (day_end == std::string::npos || cell.find("年") == std::string::npos) return std::nullopt;
  std::string_view s = std::string_view(cell).substr(day_end + std::string_view("日").size());
  while (s.starts_with(' ')) s.remove_prefix(1);
  if (s.empty()) return std::nullopt;  // a date alone: clerk_date's
  auto date = clerk_date(cell.substr(0, day_end + std::string_view("日").size()), field, lang);
  if (!date) return std::nullopt;
  auto number = [&]() -> std::optional<int> {
    std::size_t n = 0;
    while (n < s.size() && s[n] >= '0' && s[n] <= '9') ++n;
    if (n < 1 || n > 2) return std::nullopt;
    const int v = std::stoi(std::string(s.substr(0, n)));
    s.remove_prefix(n);
    return v;
  };
  auto take = [&](std::string_view word) {
    if (!s.starts_with(word)) return false;
    s.remove_prefix(word.size());
    return true;
  };
  const auto hour = number();
  if (!hour) return std::nullopt;
  int minute = 0;
  if (take(":")) {  // 08:00
    const auto m = number();
    if (!m) return std::nullopt;
    minute = *m;
  } else if (take("时") || take("点")) {  // 8时30分, 8点30, 8点半, 8点
    if (take("半")) {
      minute = 30;
    } else if (const auto m = number()) {
      minute = *m;
      take("分");
    }
  } else {
    return std::nullopt;
  }
  if (!s.empty()) return std::nullopt;
  if (*hour > 23 || minute > 59) refuse(field, i18n::text(lang, i18n::Msg::time_invalid, cell, *date));
  return fmt::format("{} {:02d}:{:02d}", *date, *hour, minute);
}

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
                            const std::string& field, i18n::Lang lang) {
  if (auto it = values.find(cell); it != values.end()) return it->get<std::string>();
  for (const auto& [word, value] : values.items())
    if (value == cell) return cell;
  refuse(field, i18n::text(lang, i18n::Msg::cell_not_accepted, cell, accepted_values(values)));
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

void check_plain_number(const std::string& cell, const std::string& field, i18n::Lang lang) {
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
  refuse(field, i18n::text(lang, i18n::Msg::cell_thousands, cell, plain));
}

void check_gtin_as_text(const std::string& cell, const std::string& field, i18n::Lang lang) {
  // 6.90123E+12: a digit, an optional fraction, E, an optional +, the exponent.
  auto scientific = [](std::string_view s) {
    auto e = s.find_first_of("eE");
    if (e == std::string_view::npos || e == 0 || !all_digits(s.substr(0, 1))) return false;
    std::string_view mantissa = s.substr(1, e - 1), exponent = s.substr(e + 1);
    if (!mantissa.empty() && (mantissa[0] != '.' || !all_digits(mantissa.substr(1)))) return false;
    if (exponent.starts_with('+')) exponent.remove_prefix(1);
    return all_digits(exponent);
  };
  if (cell.size() == 13 && all_digits(cell) && cell[0] != '0')
    refuse(field, i18n::text(lang, i18n::Msg::gtin_leading_zero, cell));
  if (scientific(cell)) refuse(field, i18n::text(lang, i18n::Msg::gtin_scientific, cell));
}

void check_not_excel_date(const std::string& cell, const std::string& field, i18n::Lang lang) {
  std::string_view day = cell, fraction;
  if (auto dot = day.find('.'); dot != std::string_view::npos) {
    fraction = day.substr(dot + 1);
    day = day.substr(0, dot);
    if (fraction.empty()) return;
  }
  if (day.size() < 4 || day.size() > 6 || !all_digits(day) || (!fraction.empty() && !all_digits(fraction))) return;
  refuse(field, i18n::text(lang, i18n::Msg::excel_date_number, cell));
}

}  // namespace agtrace
