// Event times and calendar dates (DESIGN §2).
//
// An event_time is an RFC 3339 §5.6 date-time with an explicit UTC offset:
//     YYYY-MM-DDTHH:MM:SS[.fraction](Z | +HH:MM | -HH:MM)
// 'T' and 'Z' may be lower case (RFC 3339 §5.6 NOTE). A time without an offset
// is refused: the ledger never guesses a zone. "-00:00" (RFC 3339 §4.3: UTC
// known, local offset unknown) is accepted and kept as written. The text is
// stored verbatim; the parsed instant (milliseconds since 1970-01-01T00:00:00Z,
// leap seconds not counted, as in POSIX) is used for ordering and the local
// calendar date for the pre-harvest-interval rule.
//
// Leap seconds: second 60 is accepted only where RFC 3339 §5.7 allows it, i.e.
// when the time converted to UTC is 23:59:60 on the last day of a month (the
// IERS table is not consulted). Such an instant counts as 23:59:59.999 UTC, so
// it sorts after every earlier millisecond of that second and before midnight.
//
// Years run from 0000 to 9999 (four digits, RFC 3339 §5.6). Pure functions
// except now_unix_ms; all are thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace agtrace::time {

struct Timestamp {
  std::int64_t unix_ms = 0;           // the instant, ms since the Unix epoch (fraction truncated)
  int offset_minutes = 0;             // the written offset: +480 for "+08:00", 0 for Z and "-00:00"
  bool unknown_local_offset = false;  // written as "-00:00" (RFC 3339 §4.3)
  std::string text;                   // the original text, verbatim
};

// Parses an RFC 3339 §5.6 date-time with its offset. The fraction may have 1
// to 9 digits; unix_ms keeps the first 3. Month lengths follow the Gregorian
// calendar (2024-02-29 exists, 2023-02-29 does not); hours 00-23, minutes
// 00-59, seconds 00-59 or 60 as above; offset hours 00-23, minutes 00-59.
// Throws agtrace::Error(bad_input) naming `field` and quoting the text when it
// is malformed or out of range; when only the offset is missing the message
// says "add an explicit UTC offset such as +08:00, or pass --tz +08:00".
Timestamp parse_rfc3339(std::string_view text, std::string_view field);

// Throws agtrace::Error(bad_input) naming "--tz" unless `tz` is "Z" or ±HH:MM (hours
// 00-23, minutes 00-59): the import checks its --tz once, before reading any row.
void check_tz(std::string_view tz);

// For CSV import with `--tz`: returns `text` unchanged when it is already an
// RFC 3339 date-time with an offset (after checking it with parse_rfc3339).
// Otherwise `text` must be exactly
//     date:  YYYY-M-D or YYYY/M/D (month and day of one or two digits)
//     then:  'T', 't' or one space
//     time:  H:MM, H:MM:SS or H:MM:SS.fraction (hour of one or two digits,
//            fraction of 1 to 9 digits)
// — which covers RFC 3339 without an offset ("2022-10-05T08:30:00") and what
// Excel writes ("2022-10-05 08:30", "2022-10-05 08:30:00", "2022/10/05 08:30",
// and "2022/10/5 8:30" on Chinese Windows). It is rewritten as
// YYYY-MM-DDTHH:MM:SS[.fraction] (seconds 00 when absent) followed by `tz`:
// "2022/10/5 8:30" with "+08:00" becomes "2022-10-05T08:30:00+08:00".
// Nothing else is accepted: no surrounding spaces, no date alone, no AM/PM or
// 上午/下午, no Excel serial numbers, no offset after a space-separated time.
// `tz` must be "Z" or ±HH:MM (hours 00-23, minutes 00-59); it is checked even
// when the text already has an offset.
// Throws agtrace::Error(bad_input): naming "--tz" for a malformed tz; naming
// `field` when the text is none of the forms above or its result fails
// parse_rfc3339.
std::string apply_default_offset(std::string_view text, std::string_view tz,
                                 std::string_view field);

// True when `text` is one of the offset-less forms above ("2022-10-05 08:30",
// "2022-10-05T08:30:00" …): a time an import can read only with --tz.
bool is_local_date_time(std::string_view text);

// True when `text` has the shape of an RFC 3339 date-time, with or without its offset
// ("2022-10-05T08:30:00+08:00", "2022-10-05T08:30:00"), whether or not its numbers are in
// range (parse_rfc3339 says which is not): what an import can hand to parse_rfc3339 for a
// precise refusal rather than refusing it as unreadable.
bool has_rfc3339_shape(std::string_view text);

// The calendar date YYYY-MM-DD at the event's own offset (for "-00:00", UTC):
// the instant 2022-10-04T20:00:00Z, written "2022-10-05T04:00:00+08:00", falls
// on 2022-10-05.
std::string local_date(const Timestamp& ts);

// Days from 1970-01-01 to the given proleptic Gregorian date (negative before
// it). Precondition: the date exists (throws std::invalid_argument otherwise,
// a bug in the caller).
std::int64_t days_from_civil(int year, unsigned month, unsigned day);

// Parses a plain date YYYY-MM-DD (RFC 3339 §5.6 full-date, year 0000-9999) and
// returns days_from_civil of it. Throws agtrace::Error(bad_input) naming
// `field` when the text is malformed or the date does not exist.
std::int64_t parse_date(std::string_view text, std::string_view field);

// The date `days` days after (before, if negative) `yyyy_mm_dd`, as
// YYYY-MM-DD: add_days("2024-02-28", 1) == "2024-02-29". Throws
// agtrace::Error(bad_input) quoting the text when it is not a valid date or
// the result leaves years 0000-9999.
std::string add_days(std::string_view yyyy_mm_dd, int days);

// Compares two YYYY-MM-DD dates: negative if a is earlier, 0 if equal,
// positive if later. Throws agtrace::Error(bad_input) quoting a date that is
// not valid.
int compare_dates(std::string_view a, std::string_view b);

// The instant `unix_ms` as RFC 3339 in UTC: "2022-10-05T00:30:00Z", with
// ".mmm" milliseconds only when they are not zero ("2022-10-05T00:30:00.250Z").
// Precondition: the instant lies in years 0000-9999 (throws std::out_of_range
// otherwise, a bug in the caller).
std::string format_utc(std::int64_t unix_ms);

// The instant `unix_ms` as RFC 3339 at UTC offset `offset_minutes` (+480 for Beijing time):
// format_at_offset(…, 480) gives "2022-10-05T08:30:00+08:00" for 2022-10-05T00:30:00Z; offset
// 0 gives format_utc's "Z" form. For showing a time beside an event's own, in its offset.
// Preconditions: |offset| under 24 h and the local time in years 0000-9999 (throws
// std::out_of_range otherwise, a bug in the caller).
std::string format_at_offset(std::int64_t unix_ms, int offset_minutes);

// The current time from the system clock, ms since the Unix epoch.
std::int64_t now_unix_ms();

}  // namespace agtrace::time
