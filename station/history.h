// What the station reads from the ledger for its history, reprint/void and end-of-shift
// screens (docs/station.md "历史", "重印和作废", "交班"): the codes of a label job with
// their state, and one day's signed label and certificate entries summed per operator.
// Read-only, like lots.h: every function takes a Ledger opened by the caller.
//
// Days are calendar days in China Standard Time (UTC+08:00, no daylight saving): the
// station serves the packing floors of Lucheng, and a shift that ends after midnight UTC
// still belongs to the day the operator sees on the wall clock.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace agtrace {
class Ledger;
}

namespace agtrace::station {

// [from, to) in Unix ms of calendar day `date` ("YYYY-MM-DD") in UTC+08:00. Throws
// Error(bad_input), Chinese first and naming `field`, when `date` is not such a day.
std::pair<std::int64_t, std::int64_t> china_day_ms(const std::string& date, const std::string& field);

// "YYYY-MM-DD": the calendar day in UTC+08:00 of Unix ms `ms`.
std::string china_date(std::int64_t ms);

// One trace code of a label job as the ledger knows it now.
struct JobCode {
  std::string serial;
  bool voided = false;
  std::uint64_t reprints = 0;
};

// The codes the labels_issued entry `entry` issued, in serial order (empty when it issued
// none, e.g. an entry of another type).
std::vector<JobCode> job_codes(Ledger& ledger, std::uint64_t entry);

// How many of the codes the labels_issued entry `entry` issued are voided now (one query:
// the uncertain-labels panel asks every 2 s).
std::uint64_t voided_codes(Ledger& ledger, std::uint64_t entry);

// One operator's day (ledger entries signed that day for the enterprise's lots).
struct ShiftRow {
  std::string account;          // the entries' `operator`; "" for entries that carry none (the CLI)
  std::uint64_t jobs = 0;       // labels_issued entries
  std::uint64_t labels = 0;     // codes those entries issued
  std::uint64_t reprints = 0;   // labels reprinted (labels_reprinted counts)
  std::uint64_t voids = 0;      // codes voided (labels_voided counts)
  std::uint64_t certificates = 0;  // certificate_issued entries
};

// A lot labelled that day: its labels against its packed units.
struct ShiftLot {
  std::string lot, product;
  std::uint64_t labelled_today = 0;  // codes issued that day
  std::uint64_t packed_units = 0, live_codes = 0;  // the lot's totals now
};

struct ShiftReport {
  std::vector<ShiftRow> operators;  // by account id ("" last)
  std::vector<ShiftLot> lots;       // by lot id
};

// The entries of [from_ms, to_ms) (their event_time) of type labels_issued,
// labels_reprinted, labels_voided and certificate_issued whose lot `enterprise` packed (for
// certificates: whose issuer is `enterprise`), summed per operator and per lot.
ShiftReport shift_report(Ledger& ledger, const std::string& enterprise, std::int64_t from_ms, std::int64_t to_ms);

}  // namespace agtrace::station
