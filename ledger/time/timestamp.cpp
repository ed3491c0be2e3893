// RFC 3339 date-times and dates: parsing, --tz normalisation for CSV import,
// local calendar dates and day arithmetic (proleptic Gregorian via
// std::chrono's calendar types).
#include "ledger/time/timestamp.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <stdexcept>

#include "ledger/util/error.h"

namespace agtrace::time {

namespace {

namespace chrono = std::chrono;

constexpr std::int64_t kMsPerDay = 86'400'000;
constexpr std::string_view kRfc3339Shape =
    "expected YYYY-MM-DDTHH:MM:SS[.fraction] followed by Z or ±HH:MM, e.g. "
    "2022-10-05T08:30:00+08:00";

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Reads exactly `count` digits at `pos`.
std::optional<int> digits_at(std::string_view s, std::size_t pos, std::size_t count) {
  if (pos + count > s.size()) return std::nullopt;
  int value = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (!is_digit(s[i])) return std::nullopt;
    value = value * 10 + (s[i] - '0');
  }
  return value;
}

// Reads one or two digits at `pos`, advancing it.
std::optional<int> one_or_two_digits(std::string_view s, std::size_t& pos) {
  std::size_t n = 0;
  while (n < 2 && pos + n < s.size() && is_digit(s[pos + n])) ++n;
  if (n == 0) return std::nullopt;
  const std::optional<int> value = digits_at(s, pos, n);
  pos += n;
  return value;
}

// Reads '.' and 1 to 9 digits at `pos` if present, advancing it. Returns
// false when a '.' is not followed by 1 to 9 digits.
bool read_fraction(std::string_view s, std::size_t& pos, std::string_view& fraction) {
  if (pos >= s.size() || s[pos] != '.') return true;
  std::size_t end = pos + 1;
  while (end < s.size() && is_digit(s[end])) ++end;
  fraction = s.substr(pos + 1, end - pos - 1);
  pos = end;
  return !fraction.empty() && fraction.size() <= 9;
}

struct CivilTime {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  std::string_view fraction;  // the digits after '.', possibly empty
};

struct Offset {
  int minutes = 0;
  bool unknown_local = false;
};

enum class Shape { ok, missing_offset, malformed };

struct Scanned {
  Shape shape = Shape::malformed;
  CivilTime civil;
  std::string_view offset;  // "Z", "z" or ±DD:DD, ranges unchecked
};

// True for "Z", "z" and ±DD:DD.
bool has_offset_shape(std::string_view s) {
  if (s == "Z" || s == "z") return true;
  return s.size() == 6 && (s[0] == '+' || s[0] == '-') && digits_at(s, 1, 2) && s[3] == ':' &&
         digits_at(s, 4, 2);
}

// Parses "Z"/"z" or ±HH:MM with hours 00-23 and minutes 00-59.
std::optional<Offset> parse_offset(std::string_view s) {
  if (!has_offset_shape(s)) return std::nullopt;
  if (s == "Z" || s == "z") return Offset{};
  const int hour = *digits_at(s, 1, 2), minute = *digits_at(s, 4, 2);
  if (hour > 23 || minute > 59) return std::nullopt;
  return Offset{(s[0] == '-' ? -1 : 1) * (hour * 60 + minute), s == "-00:00"};
}

// Matches the RFC 3339 §5.6 date-time grammar without checking ranges.
Scanned scan_rfc3339(std::string_view s) {
  Scanned r;
  CivilTime& c = r.civil;
  const auto year = digits_at(s, 0, 4), month = digits_at(s, 5, 2), day = digits_at(s, 8, 2),
             hour = digits_at(s, 11, 2), minute = digits_at(s, 14, 2), second = digits_at(s, 17, 2);
  if (!year || !month || !day || !hour || !minute || !second || s[4] != '-' || s[7] != '-' ||
      (s[10] != 'T' && s[10] != 't') || s[13] != ':' || s[16] != ':') {
    return r;
  }
  c = CivilTime{*year, *month, *day, *hour, *minute, *second, {}};
  std::size_t pos = 19;
  if (!read_fraction(s, pos, c.fraction)) return r;
  r.offset = s.substr(pos);
  if (r.offset.empty()) {
    r.shape = Shape::missing_offset;
  } else if (has_offset_shape(r.offset)) {
    r.shape = Shape::ok;
  }
  return r;
}

// Matches the forms apply_default_offset accepts without an offset (see
// timestamp.h) and returns them as YYYY-MM-DDTHH:MM:SS[.fraction], ranges
// unchecked.
std::optional<std::string> normalise_local(std::string_view s) {
  const auto year = digits_at(s, 0, 4);
  std::size_t pos = 4;
  if (!year || pos >= s.size() || (s[pos] != '-' && s[pos] != '/')) return std::nullopt;
  const char date_separator = s[pos++];
  const auto month = one_or_two_digits(s, pos);
  if (!month || pos >= s.size() || s[pos++] != date_separator) return std::nullopt;
  const auto day = one_or_two_digits(s, pos);
  if (!day || pos >= s.size() || (s[pos] != 'T' && s[pos] != 't' && s[pos] != ' ')) {
    return std::nullopt;
  }
  ++pos;
  const auto hour = one_or_two_digits(s, pos);
  if (!hour || pos >= s.size() || s[pos++] != ':') return std::nullopt;
  const auto minute = digits_at(s, pos, 2);
  if (!minute) return std::nullopt;
  pos += 2;
  int second = 0;
  std::string_view fraction;
  if (pos < s.size() && s[pos] == ':') {
    const auto sec = digits_at(s, pos + 1, 2);
    if (!sec) return std::nullopt;
    second = *sec;
    pos += 3;
    if (!read_fraction(s, pos, fraction)) return std::nullopt;
  }
  if (pos != s.size()) return std::nullopt;
  std::string out = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", *year, *month, *day, *hour,
                                *minute, second);
  if (!fraction.empty()) out += fmt::format(".{}", fraction);
  return out;
}

chrono::year_month_day to_ymd(int year, int month, int day) {
  return chrono::year{year} / chrono::month{static_cast<unsigned>(month)} /
         chrono::day{static_cast<unsigned>(day)};
}

unsigned days_in_month(int year, int month) {
  return static_cast<unsigned>(
      (chrono::year{year} / chrono::month{static_cast<unsigned>(month)} / chrono::last).day());
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
}

std::string format_days(std::int64_t days) {
  const chrono::year_month_day ymd{chrono::sys_days{chrono::days{days}}};
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
}

// Checks month and day; throws naming `field` and quoting `text`.
void check_date(int year, int month, int day, std::string_view text, std::string_view field) {
  if (month < 1 || month > 12) {
    throw_bad_input(fmt::format("{}: '{}': month {:02} is out of range 01-12", field, text, month));
  }
  if (day < 1 || !to_ymd(year, month, day).ok()) {
    throw_bad_input(fmt::format("{}: '{}': day {:02} does not exist; {:04}-{:02} has {} days",
                                field, text, day, year, month, days_in_month(year, month)));
  }
}

}  // namespace

Timestamp parse_rfc3339(std::string_view text, std::string_view field) {
  const Scanned scanned = scan_rfc3339(text);
  if (scanned.shape == Shape::missing_offset) {
    throw_bad_input(
        fmt::format("{}: '{}' has no UTC offset; add an explicit UTC offset such as "
                    "+08:00, or pass --tz +08:00",
                    field, text));
  }
  if (scanned.shape == Shape::malformed) {
    const bool space_separator = text.size() > 10 && text[10] == ' ';
    throw_bad_input(fmt::format("{}: '{}' is not an RFC 3339 date-time; {}{}", field, text,
                                kRfc3339Shape,
                                space_separator ? "; put 'T', not a space, between the date and "
                                                  "the time"
                                                : ""));
  }
  const CivilTime& c = scanned.civil;
  check_date(c.year, c.month, c.day, text, field);
  if (c.hour > 23 || c.minute > 59 || c.second > 60) {
    throw_bad_input(
        fmt::format("{}: '{}': time {:02}:{:02}:{:02} is out of range (hours 00-23, "
                    "minutes 00-59, seconds 00-59 or 60 for a leap second)",
                    field, text, c.hour, c.minute, c.second));
  }
  const std::optional<Offset> offset = parse_offset(scanned.offset);
  if (!offset) {
    throw_bad_input(
        fmt::format("{}: '{}': UTC offset {} is out of range (hours 00-23, minutes "
                    "00-59)",
                    field, text, scanned.offset));
  }

  const std::int64_t local_seconds =
      days_from_civil(c.year, static_cast<unsigned>(c.month), static_cast<unsigned>(c.day)) *
          86'400 +
      c.hour * 3'600 + c.minute * 60 + std::min(c.second, 59);
  const std::int64_t utc_seconds = local_seconds - std::int64_t{offset->minutes} * 60;
  std::int64_t unix_ms = utc_seconds * 1'000;
  if (c.second == 60) {
    const std::int64_t utc_day = floor_div(utc_seconds, 86'400);
    const chrono::year_month_day utc_date{chrono::sys_days{chrono::days{utc_day}}};
    const bool at_end_of_day = utc_seconds - utc_day * 86'400 == 86'399;
    const bool last_day =
        utc_date.day() == (utc_date.year() / utc_date.month() / chrono::last).day();
    if (!at_end_of_day || !last_day) {
      throw_bad_input(
          fmt::format("{}: '{}': second 60 (a leap second) is only valid at 23:59:60 "
                      "UTC on the last day of a month (RFC 3339 §5.7)",
                      field, text));
    }
    unix_ms += 999;
  } else {
    int milliseconds = 0;
    for (std::size_t i = 0; i < 3; ++i) {
      milliseconds = milliseconds * 10 + (i < c.fraction.size() ? c.fraction[i] - '0' : 0);
    }
    unix_ms += milliseconds;
  }
  return Timestamp{unix_ms, offset->minutes, offset->unknown_local, std::string(text)};
}

bool is_local_date_time(std::string_view text) {
  return scan_rfc3339(text).shape != Shape::ok && normalise_local(text).has_value();
}

bool has_rfc3339_shape(std::string_view text) { return scan_rfc3339(text).shape != Shape::malformed; }

void check_tz(std::string_view tz) {
  if (!parse_offset(tz)) {
    throw_bad_input(
        fmt::format("--tz: '{}' is not a UTC offset; write ±HH:MM such as +08:00 "
                    "(China Standard Time), or Z",
                    tz));
  }
}

std::string apply_default_offset(std::string_view text, std::string_view tz,
                                 std::string_view field) {
  check_tz(tz);
  if (scan_rfc3339(text).shape == Shape::ok) {
    parse_rfc3339(text, field);
    return std::string(text);
  }
  const std::optional<std::string> local = normalise_local(text);
  if (!local) {
    throw_bad_input(fmt::format(
        "{}: '{}' is not a date-time this import understands; write 2022-10-05T08:30:00+08:00, "
        "or, since --tz is given, 2022-10-05T08:30:00, 2022-10-05 08:30, 2022-10-05 08:30:00 or "
        "2022/10/5 8:30",
        field, text));
  }
  std::string result = *local + std::string(tz);
  parse_rfc3339(result, field);
  return result;
}

std::string local_date(const Timestamp& ts) {
  return format_days(floor_div(ts.unix_ms + std::int64_t{ts.offset_minutes} * 60'000, kMsPerDay));
}

std::int64_t days_from_civil(int year, unsigned month, unsigned day) {
  const chrono::year_month_day ymd = to_ymd(year, static_cast<int>(month), static_cast<int>(day));
  if (!ymd.ok()) {
    throw std::invalid_argument(
        fmt::format("days_from_civil: {:04}-{:02}-{:02} is not a date", year, month, day));
  }
  return chrono::sys_days{ymd}.time_since_epoch().count();
}

std::int64_t parse_date(std::string_view text, std::string_view field) {
  const auto year = digits_at(text, 0, 4), month = digits_at(text, 5, 2),
             day = digits_at(text, 8, 2);
  if (text.size() != 10 || !year || !month || !day || text[4] != '-' || text[7] != '-') {
    throw_bad_input(
        fmt::format("{}: '{}' is not a date; expected YYYY-MM-DD, e.g. 2022-10-05", field, text));
  }
  check_date(*year, *month, *day, text, field);
  return days_from_civil(*year, static_cast<unsigned>(*month), static_cast<unsigned>(*day));
}

std::string add_days(std::string_view yyyy_mm_dd, int days) {
  const std::int64_t result = parse_date(yyyy_mm_dd, "date") + days;
  if (result < days_from_civil(0, 1, 1) || result > days_from_civil(9999, 12, 31)) {
    throw_bad_input(
        fmt::format("date: '{}' plus {} days falls outside years 0000-9999", yyyy_mm_dd, days));
  }
  return format_days(result);
}

int compare_dates(std::string_view a, std::string_view b) {
  const std::int64_t da = parse_date(a, "date"), db = parse_date(b, "date");
  return da < db ? -1 : da > db ? 1 : 0;
}

std::string format_utc(std::int64_t unix_ms) {
  const std::int64_t days = floor_div(unix_ms, kMsPerDay);
  if (days < days_from_civil(0, 1, 1) || days > days_from_civil(9999, 12, 31)) {
    throw std::out_of_range(
        fmt::format("format_utc: {} ms since the epoch is outside years 0000-9999", unix_ms));
  }
  const std::int64_t ms_of_day = unix_ms - days * kMsPerDay;
  const std::int64_t seconds_of_day = ms_of_day / 1'000, ms = ms_of_day % 1'000;
  std::string out = fmt::format("{}T{:02}:{:02}:{:02}", format_days(days), seconds_of_day / 3'600,
                                seconds_of_day / 60 % 60, seconds_of_day % 60);
  if (ms != 0) out += fmt::format(".{:03}", ms);
  out += 'Z';
  return out;
}

std::string format_at_offset(std::int64_t unix_ms, int offset_minutes) {
  if (offset_minutes == 0) return format_utc(unix_ms);
  if (offset_minutes <= -24 * 60 || offset_minutes >= 24 * 60)
    throw std::out_of_range(fmt::format("format_at_offset: offset {} minutes is not below a day", offset_minutes));
  std::string out = format_utc(unix_ms + std::int64_t{offset_minutes} * 60'000);
  out.pop_back();  // the Z
  const int a = offset_minutes < 0 ? -offset_minutes : offset_minutes;
  return out + fmt::format("{}{:02}:{:02}", offset_minutes < 0 ? '-' : '+', a / 60, a % 60);
}

std::int64_t now_unix_ms() {
  return chrono::duration_cast<chrono::milliseconds>(chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace agtrace::time
