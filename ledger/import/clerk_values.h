// The words a clerk writes in a cell, and the habits of Excel, turned into the values
// events hold.
//
// schemas/csv-columns.json declares, per enum column, the Chinese words a clerk may write
// ("values": {"合格": "pass", …}; "type_values" for the event-type column). These functions
// translate a cell through such a mapping and recognise what Excel does to numbers, GTINs
// and dates, so a refusal names the fix rather than a schema pattern. Each throws
// Error(bad_input) "field FIELD: …" (the importer adds the file, line and column).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace agtrace {

// The cell with its leading and trailing spaces, tabs, U+00A0 and U+3000 removed (spaces
// inside are kept): Excel users never mean them.
std::string trim_cell(const std::string& cell);

// The schema value `cell` stands for under `values` (Chinese word → schema value): the
// mapped value for a Chinese word, the cell itself when it is one of the schema values.
// Otherwise refuses, listing the accepted values in both languages.
std::string translate_value(const std::string& cell, const nlohmann::ordered_json& values,
                            const std::string& field);

// The accepted values of `values` for a clerk, e.g. "合格 (pass), 不合格 (fail)": each schema
// value once, after the first Chinese word for it.
std::string accepted_values(const nlohmann::ordered_json& values);

// Refuses a number as Excel may format it: a thousands separator or spaces ("1,000",
// "1 000"), naming the plain form. Other malformed numbers are left to the schema.
void check_plain_number(const std::string& cell, const std::string& field);

// Refuses a GTIN that Excel turned into a number: 13 digits (the leading 0 dropped) or
// scientific notation (6.90123E+12). Other malformed GTINs are left to the schema.
void check_gtin_as_text(const std::string& cell, const std::string& field);

// Refuses an Excel serial date (45208, 45208.3541): the cell was formatted as a number.
void check_not_excel_date(const std::string& cell, const std::string& field);

}  // namespace agtrace
