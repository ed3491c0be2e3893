// GTIN check digits (GS1 General Specifications §7.9.1, "standard check digit
// calculation for GS1 data structures"): GTIN-8, -12, -13 and -14, normalised to the
// 14 digits that AI (01) carries in a GS1 Digital Link URI.
#pragma once

#include <string>
#include <string_view>

namespace agtrace {

// The check digit ('0'..'9') for `digits`, all of a GTIN but its last digit (7, 11, 12
// or 13 digits). Precondition: `digits` holds only ASCII digits.
char gtin_check_digit(std::string_view digits);

// `gtin` (8, 12, 13 or 14 digits) as GTIN-14, left-padded with zeros. Throws
// Error(bad_input) naming `field` when it is not digits of such a length or its check
// digit is wrong (the message gives the expected digit, so a typo can be fixed).
std::string normalize_gtin14(std::string_view gtin, std::string_view field);

}  // namespace agtrace
