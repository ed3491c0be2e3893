// Tests for RFC 3339 event times, --tz normalisation and date arithmetic
// (DESIGN §2: explicit offsets, "-00:00" kept, local dates for pre-harvest
// intervals).
#include "ledger/time/timestamp.h"

#include <doctest/doctest.h>

#include <functional>
#include <string>

#include "ledger/testing/expect_error.h"
#include "ledger/util/error.h"

using namespace agtrace;
using namespace agtrace::time;

namespace {

using testing::bad_input_message;
using testing::contains;

// 2022-10-05T00:30:00Z
constexpr std::int64_t kOct5 = 1'664'929'800'000;

}  // namespace

TEST_CASE("offsets +, - and Z give the same instant and keep the text") {
  const Timestamp east = parse_rfc3339("2022-10-05T08:30:00+08:00", "event_time");
  CHECK(east.unix_ms == kOct5);
  CHECK(east.offset_minutes == 480);
  CHECK(!east.unknown_local_offset);
  CHECK(east.text == "2022-10-05T08:30:00+08:00");

  const Timestamp west = parse_rfc3339("2022-10-04T19:00:00-05:30", "event_time");
  CHECK(west.unix_ms == kOct5);
  CHECK(west.offset_minutes == -330);

  const Timestamp utc = parse_rfc3339("2022-10-05T00:30:00Z", "event_time");
  CHECK(utc.unix_ms == kOct5);
  CHECK(utc.offset_minutes == 0);
  CHECK(!utc.unknown_local_offset);

  // RFC 3339 §5.6 NOTE: 't' and 'z' may be lower case; the text stays as written.
  const Timestamp lower = parse_rfc3339("2022-10-05t00:30:00z", "event_time");
  CHECK(lower.unix_ms == kOct5);
  CHECK(lower.text == "2022-10-05t00:30:00z");

  CHECK(parse_rfc3339("1970-01-01T00:00:00Z", "t").unix_ms == 0);
  CHECK(parse_rfc3339("1969-12-31T23:59:59.999Z", "t").unix_ms == -1);
  CHECK(parse_rfc3339("0000-01-01T00:00:00Z", "t").unix_ms == -62'167'219'200'000);
  CHECK(parse_rfc3339("9999-12-31T23:59:59+23:59", "t").offset_minutes == 23 * 60 + 59);
}

TEST_CASE("-00:00 is accepted and kept as written (RFC 3339 §4.3)") {
  const Timestamp t = parse_rfc3339("2022-10-05T00:30:00-00:00", "event_time");
  CHECK(t.unix_ms == kOct5);
  CHECK(t.offset_minutes == 0);
  CHECK(t.unknown_local_offset);
  CHECK(t.text == "2022-10-05T00:30:00-00:00");
  CHECK(!parse_rfc3339("2022-10-05T00:30:00+00:00", "event_time").unknown_local_offset);
}

TEST_CASE("fractions of 1 to 9 digits; unix_ms keeps milliseconds, truncated") {
  CHECK(parse_rfc3339("2022-10-05T00:30:00.5Z", "t").unix_ms == kOct5 + 500);
  CHECK(parse_rfc3339("2022-10-05T00:30:00.25Z", "t").unix_ms == kOct5 + 250);
  CHECK(parse_rfc3339("2022-10-05T00:30:00.123Z", "t").unix_ms == kOct5 + 123);
  CHECK(parse_rfc3339("2022-10-05T00:30:00.123999999Z", "t").unix_ms == kOct5 + 123);
  CHECK(parse_rfc3339("2022-10-05T00:30:00.123999999Z", "t").text ==
        "2022-10-05T00:30:00.123999999Z");
  CHECK_THROWS_AS(parse_rfc3339("2022-10-05T00:30:00.1234567890Z", "t"), Error);
  CHECK_THROWS_AS(parse_rfc3339("2022-10-05T00:30:00.Z", "t"), Error);
}

TEST_CASE("calendar and clock ranges are checked, leap years included") {
  CHECK(parse_rfc3339("2024-02-29T12:00:00+08:00", "t").unix_ms ==
        parse_rfc3339("2024-02-29T04:00:00Z", "t").unix_ms);
  CHECK(parse_rfc3339("2000-02-29T00:00:00Z", "t").unix_ms == 951'782'400'000);
  std::string msg =
      bad_input_message([] { parse_rfc3339("2023-02-29T12:00:00+08:00", "harvest.event_time"); });
  CHECK(contains(msg,
                 "harvest.event_time: '2023-02-29T12:00:00+08:00': day 29 does not exist; "
                 "2023-02 has 28 days"));
  CHECK_THROWS_AS(parse_rfc3339("1900-02-29T00:00:00Z", "t"), Error);
  CHECK_THROWS_AS(parse_rfc3339("2022-04-31T00:00:00Z", "t"), Error);
  CHECK_THROWS_AS(parse_rfc3339("2022-00-10T00:00:00Z", "t"), Error);
  CHECK_THROWS_AS(parse_rfc3339("2022-13-10T00:00:00Z", "t"), Error);
  CHECK_THROWS_AS(parse_rfc3339("2022-10-00T00:00:00Z", "t"), Error);
  CHECK_THROWS_AS(parse_rfc3339("2022-10-05T24:00:00Z", "t"), Error);
  CHECK_THROWS_AS(parse_rfc3339("2022-10-05T23:60:00Z", "t"), Error);
  CHECK_THROWS_AS(parse_rfc3339("2022-10-05T23:59:61Z", "t"), Error);
  msg = bad_input_message([] { parse_rfc3339("2022-10-05T08:30:00+24:00", "t"); });
  CHECK(contains(msg, "UTC offset +24:00 is out of range"));
  CHECK_THROWS_AS(parse_rfc3339("2022-10-05T08:30:00+05:60", "t"), Error);
}

TEST_CASE("leap seconds only at 23:59:60 UTC on a month's last day (RFC 3339 §5.7)") {
  const std::int64_t midnight = parse_rfc3339("2017-01-01T00:00:00Z", "t").unix_ms;
  CHECK(parse_rfc3339("2016-12-31T23:59:60Z", "t").unix_ms == midnight - 1);
  CHECK(parse_rfc3339("2016-12-31T23:59:60.5Z", "t").unix_ms == midnight - 1);
  CHECK(parse_rfc3339("2017-01-01T07:59:60+08:00", "t").unix_ms == midnight - 1);
  CHECK(parse_rfc3339("1990-12-31T15:59:60-08:00", "t").text == "1990-12-31T15:59:60-08:00");
  const std::string msg =
      bad_input_message([] { parse_rfc3339("2016-12-31T23:59:60+08:00", "t"); });
  CHECK(contains(msg, "leap second"));
  CHECK_THROWS_AS(parse_rfc3339("2016-12-30T23:59:60Z", "t"), Error);
  CHECK_THROWS_AS(parse_rfc3339("2016-12-31T23:58:60Z", "t"), Error);
}

TEST_CASE("a time without an offset is refused with the fix in the message") {
  const std::string msg =
      bad_input_message([] { parse_rfc3339("2022-10-05T08:30:00", "harvest.event_time"); });
  CHECK(msg ==
        "harvest.event_time: '2022-10-05T08:30:00' has no UTC offset; add an explicit UTC "
        "offset such as +08:00, or pass --tz +08:00");
  CHECK(contains(bad_input_message([] { parse_rfc3339("2022-10-05T08:30:00.5", "t"); }),
                 "add an explicit UTC offset such as +08:00, or pass --tz +08:00"));
}

TEST_CASE("text that is not RFC 3339 is refused naming the field") {
  const char* bad[] = {"",
                       "2022-10-05",
                       "2022-10-05 08:30:00+08:00",
                       "2022-10-05T08:30+08:00",
                       "2022-10-05T08:30:00+0800",
                       "2022-10-05T08:30:00+08",
                       "2022-10-05T08:30:00 +08:00",
                       "2022-10-05T08:30:00+08:00 ",
                       "22-10-05T08:30:00Z",
                       "2022-1-05T08:30:00Z",
                       "2022-10-05T08:30:00UTC",
                       "２０２２-10-05T08:30:00Z"};
  for (const char* text : bad) {
    CAPTURE(text);
    const std::string msg = bad_input_message([&] { parse_rfc3339(text, "shipping.event_time"); });
    CHECK(contains(msg, "shipping.event_time: '"));
  }
  CHECK(contains(bad_input_message([] { parse_rfc3339("2022-10-05 08:30:00+08:00", "t"); }),
                 "put 'T', not a space, between the date and the time"));
}

TEST_CASE("local_date is the calendar date at the event's own offset") {
  const Timestamp evening_utc = parse_rfc3339("2022-10-04T20:00:00Z", "t");
  CHECK(local_date(evening_utc) == "2022-10-04");
  const Timestamp same_instant_cst = parse_rfc3339("2022-10-05T04:00:00+08:00", "t");
  CHECK(same_instant_cst.unix_ms == evening_utc.unix_ms);
  CHECK(local_date(same_instant_cst) == "2022-10-05");
  CHECK(local_date(parse_rfc3339("2022-10-05T23:59:59.999+08:00", "t")) == "2022-10-05");
  CHECK(local_date(parse_rfc3339("2022-10-05T00:00:00+08:00", "t")) == "2022-10-05");
  CHECK(local_date(parse_rfc3339("2022-10-05T02:00:00-05:00", "t")) == "2022-10-05");
  CHECK(local_date(parse_rfc3339("2022-10-05T02:00:00-00:00", "t")) == "2022-10-05");
  CHECK(local_date(parse_rfc3339("1969-12-31T23:00:00-02:00", "t")) == "1969-12-31");
  CHECK(local_date(parse_rfc3339("1990-12-31T15:59:60-08:00", "t")) == "1990-12-31");
}

TEST_CASE("--tz appends an offset to local times and normalises Excel forms") {
  CHECK(apply_default_offset("2022-10-05T08:30:00", "+08:00", "t") == "2022-10-05T08:30:00+08:00");
  CHECK(apply_default_offset("2022-10-05T08:30:00.25", "+08:00", "t") ==
        "2022-10-05T08:30:00.25+08:00");
  CHECK(apply_default_offset("2022-10-05 08:30", "+08:00", "t") == "2022-10-05T08:30:00+08:00");
  CHECK(apply_default_offset("2022-10-05 08:30:15", "+08:00", "t") == "2022-10-05T08:30:15+08:00");
  CHECK(apply_default_offset("2022/10/05 08:30", "+08:00", "t") == "2022-10-05T08:30:00+08:00");
  CHECK(apply_default_offset("2022/10/5 8:30", "+08:00", "t") == "2022-10-05T08:30:00+08:00");
  CHECK(apply_default_offset("2022-10-05 08:30", "-00:00", "t") == "2022-10-05T08:30:00-00:00");
  CHECK(apply_default_offset("2022-10-05 08:30", "Z", "t") == "2022-10-05T08:30:00Z");
  const Timestamp t = parse_rfc3339(apply_default_offset("2022/10/5 8:30", "+08:00", "t"), "t");
  CHECK(t.unix_ms == kOct5);
}

TEST_CASE("--tz leaves times that already have an offset unchanged") {
  CHECK(apply_default_offset("2022-10-05T08:30:00+09:00", "+08:00", "t") ==
        "2022-10-05T08:30:00+09:00");
  CHECK(apply_default_offset("2022-10-05t00:30:00z", "+08:00", "t") == "2022-10-05t00:30:00z");
  CHECK(apply_default_offset("2022-10-05T00:30:00-00:00", "+08:00", "t") ==
        "2022-10-05T00:30:00-00:00");
}

TEST_CASE("--tz refuses bad zones, unknown forms and impossible dates") {
  for (const char* tz : {"+8", "+08", "+0800", "UTC", "CST", "+24:00", "+08:60", ""}) {
    CAPTURE(tz);
    CHECK(contains(bad_input_message([&] { apply_default_offset("2022-10-05 08:30", tz, "t"); }),
                   "--tz: '"));
  }
  // The zone is checked even when the text does not need it.
  CHECK_THROWS_AS(apply_default_offset("2022-10-05T08:30:00Z", "CST", "t"), Error);
  for (const char* text :
       {"2022-10-05", "2022-10-05 8:3", "2022.10.05 08:30", "2022/10-05 08:30", " 2022-10-05 08:30",
        "2022-10-05 08:30 ", "2022-10-05  08:30", "2022-10-05 8:30 PM", "44839.35",
        "2022-10-05 08:30+08:00", "2022-10-05 08:30:00."}) {
    CAPTURE(text);
    CHECK(contains(bad_input_message([&] { apply_default_offset(text, "+08:00", "row 7 时间"); }),
                   "row 7 时间: '"));
  }
  CHECK(contains(bad_input_message([] { apply_default_offset("2023/2/29 8:00", "+08:00", "t"); }),
                 "day 29 does not exist"));
  CHECK_THROWS_AS(apply_default_offset("2022-10-05 25:00", "+08:00", "t"), Error);
  CHECK_THROWS_AS(apply_default_offset("2023-02-29T08:00:00+08:00", "+08:00", "t"), Error);
}

TEST_CASE("plain dates and day arithmetic for pre-harvest intervals") {
  CHECK(days_from_civil(1970, 1, 1) == 0);
  CHECK(days_from_civil(1969, 12, 31) == -1);
  CHECK(days_from_civil(2000, 3, 1) == 11'017);
  CHECK_THROWS_AS(days_from_civil(2023, 2, 29), std::invalid_argument);

  CHECK(parse_date("2024-02-29", "application_date") == days_from_civil(2024, 2, 29));
  CHECK(contains(bad_input_message([] { parse_date("2023-02-29", "application_date"); }),
                 "application_date: '2023-02-29': day 29 does not exist"));
  for (const char* text : {"2022-10-5", "2022/10/05", "2022-10-05T00:00:00Z", "", "20221005"}) {
    CAPTURE(text);
    CHECK(contains(bad_input_message([&] { parse_date(text, "application_date"); }),
                   "expected YYYY-MM-DD"));
  }

  CHECK(add_days("2024-02-28", 1) == "2024-02-29");
  CHECK(add_days("2023-02-28", 1) == "2023-03-01");
  CHECK(add_days("2022-09-28", 7) == "2022-10-05");
  CHECK(add_days("2022-12-25", 14) == "2023-01-08");
  CHECK(add_days("2022-03-01", -1) == "2022-02-28");
  CHECK(add_days("2022-10-05", 0) == "2022-10-05");
  CHECK_THROWS_AS(add_days("9999-12-31", 1), Error);
  CHECK_THROWS_AS(add_days("2022-13-01", 1), Error);

  CHECK(compare_dates("2022-10-05", "2022-10-05") == 0);
  CHECK(compare_dates("2022-10-04", "2022-10-05") < 0);
  CHECK(compare_dates("2023-01-01", "2022-12-31") > 0);
  CHECK_THROWS_AS(compare_dates("2022-10-05", "2022-02-30"), Error);

  // DESIGN §2: harvest on or after application date + PHI, at local dates.
  const Timestamp sprayed = parse_rfc3339("2022-09-28T07:00:00+08:00", "t");
  const Timestamp harvested = parse_rfc3339("2022-10-04T20:00:00Z", "t");  // 10-05 04:00 +08:00
  CHECK(compare_dates(local_date(parse_rfc3339("2022-10-05T04:00:00+08:00", "t")),
                      add_days(local_date(sprayed), 7)) == 0);
  CHECK(compare_dates(local_date(harvested), add_days(local_date(sprayed), 7)) < 0);
}

TEST_CASE("format_utc writes RFC 3339 in UTC with milliseconds only when present") {
  CHECK(format_utc(kOct5) == "2022-10-05T00:30:00Z");
  CHECK(format_utc(kOct5 + 250) == "2022-10-05T00:30:00.250Z");
  CHECK(format_utc(kOct5 + 7) == "2022-10-05T00:30:00.007Z");
  CHECK(format_utc(0) == "1970-01-01T00:00:00Z");
  CHECK(format_utc(-1) == "1969-12-31T23:59:59.999Z");
  CHECK(format_utc(-62'167'219'200'000) == "0000-01-01T00:00:00Z");
  CHECK_THROWS_AS(format_utc(-62'167'219'200'001), std::out_of_range);
  CHECK(parse_rfc3339(format_utc(kOct5 + 999), "t").unix_ms == kOct5 + 999);
}

TEST_CASE("format_at_offset writes the instant at an event's own offset") {
  CHECK(format_at_offset(kOct5, 480) == "2022-10-05T08:30:00+08:00");
  CHECK(format_at_offset(kOct5, -330) == "2022-10-04T19:00:00-05:30");
  CHECK(format_at_offset(kOct5 + 250, 480) == "2022-10-05T08:30:00.250+08:00");
  CHECK(format_at_offset(kOct5, 0) == "2022-10-05T00:30:00Z");
  for (int offset : {480, -330, 0, 23 * 60 + 59})
    CHECK(parse_rfc3339(format_at_offset(kOct5 + 7, offset), "t").unix_ms == kOct5 + 7);
  CHECK_THROWS_AS(format_at_offset(kOct5, 24 * 60), std::out_of_range);
}

TEST_CASE("now_unix_ms reads the system clock") {
  const std::int64_t now = now_unix_ms();
  CHECK(now > parse_rfc3339("2024-01-01T00:00:00Z", "t").unix_ms);
  CHECK(parse_rfc3339(format_utc(now), "t").unix_ms == now);
}
