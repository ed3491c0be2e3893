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
// lot). The scheme is https or http (Ledger::create allows both for the base URL), in
// any case (RFC 3986 §3.1: schemes are case-insensitive); `base_url` keeps it as given.
// Throws Error(bad_input) if it is neither form.
ParsedTraceUri parse_trace_uri(std::string_view uri);

// The serial that `given` names, for commands that take a SERIAL (`agtrace-ledger show code`
// and `trace`, `agtrace-labeler reprint` and `void`): `given` itself unless it is a URL
// (it holds "://"); a URL — what a handheld scanner types from a label's QR code, the
// Digital Link or the /t/ form — is taken apart by parse_trace_uri and its percent-decoded
// serial returned. The URL's base must be the ledger's `base_url` (LedgerInfo::base_url):
// scheme and host compared case-insensitively (RFC 3986 §3.1, §3.2.2), port and path
// prefix exactly. Throws Error(bad_input) naming `field`: for a URL of another base (the
// message names its scheme and host and the expected ones: a label of another site), or
// one that is not a trace-code URL.
std::string serial_from_scan(std::string_view given, std::string_view base_url, std::string_view field);

}  // namespace agtrace
