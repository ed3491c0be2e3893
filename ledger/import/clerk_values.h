// The words a clerk writes in a cell, and the habits of Excel, turned into the values
// events hold.
//
// schemas/csv-columns.json declares, per enum column, the Chinese words a clerk may write
// ("values": {"合格": "pass", …}; "type_values" for the event-type column). These functions
// translate a cell through such a mapping, read units and numbers as people write them
// (公斤, kg, 吨; full-width digits; 1500千克 in one cell), read dates as Chinese sheets write
// them (2026年9月25日), and recognise what Excel does to numbers, GTINs and dates, so a
// refusal names the fix rather than a schema pattern. Each refusal throws Error(bad_input)
// "field FIELD: …" in `lang`, from the catalogue (ledger/i18n/messages.h); the importer adds
// the file, line and column. Events keep UN/ECE Rec 20 unit codes (KGM, TNE, H87, …).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "ledger/i18n/messages.h"

namespace agtrace {

// The cell with its leading and trailing spaces, tabs, U+00A0 and U+3000 removed (spaces
// inside are kept): Excel users never mean them.
std::string trim_cell(const std::string& cell);

// The Excel letter of 0-based column `index`: A, …, Z, AA, AB, ….
std::string excel_column(std::size_t index);

// `cell` with full-width digits (０–９), the full-width full stop, minus and comma (．, －, ，) as
// their ASCII forms (１，５００ → 1,500, which check_plain_number then answers as it answers
// 1,500); with `letters`, also the full-width Latin letters (ｋｇ, ＫＧ → kg, KG, for unit cells).
// `changed` is set when anything was replaced.
std::string ascii_digits(const std::string& cell, bool& changed, bool letters = false);

// The schema value `cell` stands for under `values` (Chinese word → schema value): the
// mapped value for a Chinese word, the cell itself when it is one of the schema values.
// Otherwise refuses, listing the accepted values in both languages.
std::string translate_value(const std::string& cell, const nlohmann::ordered_json& values,
                            const std::string& field, i18n::Lang lang = i18n::Lang::en);

// The accepted values of `values` for a clerk, e.g. "合格 (pass), 不合格 (fail)": each schema
// value once, after the first Chinese word for it.
std::string accepted_values(const nlohmann::ordered_json& values);

// The UN/ECE Rec 20 code of a unit as people write it: 千克, 公斤, kg, KG → KGM; 克, g → GRM;
// 吨, t → TNE; 升, L → LTR; 毫升, mL → MLT; 件, 个, 箱 → H87; the codes themselves too. Refuses
// 斤 (1 斤 = 0.5 千克: convert), any other word (listing the accepted ones), and — when
// `pack_size` (the unit of what one piece holds: 包装单位, 规格单位) — 件, 个 and 箱, since a
// box is not a weight. `amount`: the number the unit goes with (the row's 数量 cell, the lot list's
// quantity), which the 斤 refusal converts ("1500 斤 = 750 千克，请填 750，单位 千克") when it is a
// plain decimal.
std::string unit_code(const std::string& cell, bool pack_size, const std::string& field, i18n::Lang lang,
                      const std::optional<std::string>& amount = std::nullopt);

// Half of the plain decimal `amount` (斤 → 千克: 1500 → 750, 1500.5 → 750.25); nullopt when
// `amount` is not digits with at most one point.
std::optional<std::string> half_of(const std::string& amount);

// The units unit_code accepts, for a clerk: "千克 (公斤, kg), 克 (g), …"; with `pack_size`, those it
// accepts for the unit of what one piece holds (the pieces 件, 个, 箱 left out).
std::string accepted_units(i18n::Lang lang, bool pack_size = false);

// A decimal cell as the event holds it: refuses a thousands separator or spaces (naming the
// plain form), a number with its unit in the same cell (1500千克: "数量 1500，单位 千克"; for a
// column with no unit column beside it, `unitless_header` — its header, e.g. 面积（亩） — 60亩:
// "面积（亩）列只填数字：60"), and anything that is not a plain number. Leading zeros and digit
// counts are left to the schema.
void check_number(const std::string& cell, const std::string& field, i18n::Lang lang,
                  const std::optional<std::string>& unitless_header = std::nullopt);

// Refuses a number as Excel may format it: a thousands separator or spaces ("1,000",
// "1 000"), naming the plain form. Other malformed numbers are left to the caller.
void check_plain_number(const std::string& cell, const std::string& field, i18n::Lang lang = i18n::Lang::en);

// Refuses a GTIN that Excel turned into a number: 13 digits (the leading 0 dropped) or
// scientific notation (6.90123E+12). Other malformed GTINs are left to the schema.
void check_gtin_as_text(const std::string& cell, const std::string& field, i18n::Lang lang = i18n::Lang::en);

// Refuses an Excel serial date (45208, 45208.3541): the cell was formatted as a number.
void check_not_excel_date(const std::string& cell, const std::string& field, i18n::Lang lang = i18n::Lang::en);

// A date alone, as Chinese sheets write it: 2026-09-25, 2026-9-25, 2026/9/25, 2026.9.25 or
// 2026年9月25日 → "2026-09-25". nullopt when `cell` does not have that shape (a date-time, say);
// refuses a cell of that shape that is no calendar date: date_not_exist for a day past the month's
// end (2026-02-30, naming how many days the month has), date_invalid for month 13 or day 0.
std::optional<std::string> clerk_date(const std::string& cell, const std::string& field, i18n::Lang lang);

// A Chinese date with a time of day, as Chinese sheets write it: 2026年4月10日 08:00,
// 2026年4月10日8:30, 2026年4月10日8时30分, 2026年4月10日 8点, 8点半 → "2026-04-10 08:30" (local time,
// no offset: the caller applies --tz). nullopt when `cell` does not start with a Chinese date
// (年 月 日) followed by a time; refuses, in `lang`, a date that does not exist (as clerk_date) and
// a time that does not (25:00, 8:75: time_invalid, with the cell's own date in the hint).
std::optional<std::string> clerk_date_time(const std::string& cell, const std::string& field, i18n::Lang lang);

}  // namespace agtrace
