// The clerk's upload (docs/station.md "文员上传"; issue 15 item 7): a CSV file exported from
// Excel, its encoding detected, imported through the same path as `agtrace-ledger import
// --format csv` (ledger/import/csv_import.h: the same checks and the same Chinese messages,
// naming line, Excel column letter, header and fix), signed with the co-op's clerk key
// (station.json `clerk_key`), all rows or nothing (or, when the clerk chooses it, the good rows
// and a list of the refused ones, as --continue-on-error). And the Excel header templates per
// event type (`agtrace-ledger columns TYPE --csv`).
//
// Encoding: strict UTF-8 (with or without BOM; csv::decode_to_utf8) is taken as is. Bytes that
// are not UTF-8 but decode in full as GB18030 (Excel's plain "CSV" on a Chinese Windows) are
// shown to the clerk decoded (the first rows) and imported only once the clerk confirms that
// the preview reads right. Bytes that are neither are refused before any parsing of rows.
//
// Pure but for the ledger append; thread-safe per Ledger.
#pragma once

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/ledger.h"
#include "ledger/note/ed25519_key.h"

namespace agtrace::station {

// The largest upload the station reads (bytes); a larger one is refused (HTTP 413) before its
// body is read.
inline constexpr std::size_t kMaxUploadBytes = 10 * 1024 * 1024;

// Rows the encoding preview shows.
inline constexpr std::size_t kPreviewRows = 6;

struct UploadEncoding {
  std::string encoding;                            // "utf-8" or "gb18030"
  bool needs_confirmation = false;                 // gb18030: the clerk confirms the preview first
  std::vector<std::vector<std::string>> preview;   // the first kPreviewRows records, decoded
};

// Detects the encoding of `bytes` (file `file`) as described above. Throws Error(bad_input),
// Chinese first, when the bytes are empty, or neither UTF-8 nor GB18030 (the UTF-8 problem with
// its line), or not CSV (csv::parse_csv's message).
UploadEncoding detect_upload_encoding(std::string_view bytes, std::string_view file);

// One refused row: where ("FILE 第 N 行") and why (header, Excel column letter, fix).
struct UploadRefusal {
  std::string where, error;
};

struct UploadResult {
  std::size_t rows = 0;          // events in the file
  std::size_t recorded = 0;      // entries appended now
  std::size_t duplicates = 0;    // rows identical to events recorded before (no-op)
  std::vector<UploadRefusal> refused;
  // Refused rows whose fault is a harvest beyond kMaxHarvestKgPerMu (a supervisor's
  // confirmation, UploadOptions::high_yield_confirmed_by, lets them through), and rows with
  // such a harvest let through by that confirmation.
  std::size_t high_yield = 0, high_yield_confirmed = 0;
  std::string summary;           // one Chinese sentence: what was recorded, what to do
  std::string note;              // full-width digits read as plain ones, or ""
};

struct UploadOptions {
  // The clerk's enterprise (party id; the holder of the clerk key, station.json
  // enterprises[].clerk_key): every row must be its own record (clerk_scope_refusal below).
  std::string enterprise;
  std::vector<std::string> station_enterprises;  // every enterprise of station.json (their master data)
  std::string encoding = "utf-8";          // as detect_upload_encoding found and the clerk confirmed
  std::string tz = "+08:00";               // times written without an offset (Lucheng: Beijing time)
  bool continue_on_error = false;          // record the good rows and list the refused ones
  // The supervisor of the enterprise (account id, their PIN checked by the caller) who confirmed
  // that the file's harvests beyond kMaxHarvestKgPerMu are right, as `agtrace-ledger import
  // --allow-high-yield` would record them, each such harvest's signed entry naming this account
  // (yield_override, ledger/import/yield_check.h); empty: nobody did, and such rows are refused.
  std::string high_yield_confirmed_by;
  std::int64_t now_unix_ms = 0;            // the "not in the future" clock; 0 = system clock
};

// Why the row `event` is not a record of `enterprise` (whose name, from its party master data,
// is `enterprise_name`), Chinese, naming the column by `columns` (a CSV row's headers); "" when
// it is one (docs/station.md "文员只能上传本单位的记录"). A row is another's when:
//   - its `party` (主体编号), or a certificate's `issuer`, is not `enterprise`;
//   - it is master data of another enterprise of this station (`station_enterprises`): a party
//     row of one, a location or product row it owns;
//   - it names a lot (lot, lots, from_lot, input_lot, inputs) that the ledger has and that
//     `enterprise` neither made (the lot's creating event's party) nor received — except the
//     lots of a certificate_received row, and those of a receiving row that were shipped to
//     `enterprise` (a shipping event with to_party = enterprise in the ledger, or one of
//     `shipped_in_file`: the lots the rows above it in the same file ship to it).
// The refusal never says whose another party's lot is. Reads the ledger; throws only as the
// ledger's reads do.
std::string clerk_scope_refusal(Ledger& ledger, const nlohmann::json& event, const ColumnNames& columns,
                                const std::string& enterprise, const std::string& enterprise_name,
                                const std::vector<std::string>& station_enterprises,
                                const std::set<std::string>& shipped_in_file);

// Imports `bytes` (file `file`) into `ledger` signed by `clerk_key`, all rows or none (unless
// continue_on_error). Each harvest is judged against its planted area as `agtrace-ledger import`
// judges it (ledger/import/yield_check.h, the same check); its refusal names the row and column
// and says a supervisor may confirm it (options.high_yield_confirmed_by). A file-level refusal (encoding, header, no rows) throws Error(bad_input),
// Chinese first, and records nothing; refused rows are returned in `refused` (nothing recorded
// unless continue_on_error). A row that is not a record of options.enterprise
// (clerk_scope_refusal) refuses the whole file, continue_on_error or not: those rows are
// returned, each with its line and column, and nothing is recorded.
UploadResult import_upload(Ledger& ledger, const note::SigningKey& clerk_key, std::string_view bytes,
                           std::string_view file, const UploadOptions& options);

// The Excel header template of event type `type` (harvest, or the word a clerk types: 采收): one
// header row of its Chinese column names, UTF-8 with BOM and CRLF, as `agtrace-ledger columns
// TYPE --csv` prints it. Throws Error(bad_input), Chinese first, listing the known types.
std::string header_template_csv(const std::string& type);

// The event types a template exists for: {type, Chinese word}, in layout order.
std::vector<std::pair<std::string, std::string>> template_types();

}  // namespace agtrace::station
