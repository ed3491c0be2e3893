// The QR payload of a trace code (DESIGN §4): a GS1 Digital Link URI
//   {base}/01/{GTIN-14}/10/{lot code}/21/{serial}
// (GS1 Digital Link Standard 1.x, §4 URI syntax, AIs (01) GTIN, (10) batch/lot, (21)
// serial) when the product has a GTIN, else {base}/t/{serial}. {base} is the ledger's
// public base URL (https://host[:port][/path], lower case, no trailing slash).
//
// AI values use GS1's 82-character set (General Specifications §7.11, Figure 7.11-1).
// Characters of that set that RFC 3986 does not leave unreserved are percent-encoded
// with upper-case hex, as GS1 Digital Link §5.3 ("URI-safe encoding of AI values")
// requires: ! " % & ' ( ) * + , / : ; < = > ?  — letters, digits, '-', '.' and '_'
// stay as they are. The payload is never upper-cased.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace agtrace {

// `value` with every character outside A-Z a-z 0-9 - . _ percent-encoded (%XX, upper
// case). Precondition: `value` is in GS1's 82-character set.
std::string gs1_percent_encode(std::string_view value);

// Decodes %XX escapes. Throws Error(bad_input) naming `field` on a malformed escape.
std::string percent_decode(std::string_view value, std::string_view field);

// The Digital Link URI for a serial. `gtin14` must be a valid GTIN-14
// (normalize_gtin14), `lot_code` 1..20 characters of GS1's set (the lot's GS1-safe code,
// not its name). Throws Error(bad_input) naming the bad part otherwise.
std::string digital_link_uri(std::string_view base_url, std::string_view gtin14,
                             std::string_view lot_code, std::string_view serial);

// The short form {base}/t/{serial} for products without a GTIN.
std::string short_trace_uri(std::string_view base_url, std::string_view serial);

// A trace-code URI taken apart again: what the verifier does with a scanned payload.
struct ParsedTraceUri {
  std::string base_url;
  std::optional<std::string> gtin14;     // absent for the /t/ form
  std::optional<std::string> lot_code;   // percent-decoded
  std::string serial;                    // percent-decoded
};

// Parses the raw URI (not a decoded path: an encoded '/' inside the lot stays in the
// lot). Throws Error(bad_input) if it is neither form.
ParsedTraceUri parse_trace_uri(std::string_view uri);

}  // namespace agtrace
