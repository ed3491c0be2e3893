// GS1-safe lot codes (DESIGN §4): what the Digital Link's AI (10) carries for a lot.
//
// GS1 General Specifications §7.11 (AI encodable character set 82) limits AI (10) to at
// most 20 characters of ! " % & ' ( ) * + , - . / 0-9 : ; < = > ? A-Z _ a-z. A lot id in
// that set is its own code, except "." and ".."; any other lot (a space, Chinese, too
// long) gets a derived code "Z" + 12 Crockford base32 characters of SHA-256(lot id),
// lengthened one character at a time while it collides with a code already in the ledger.
#pragma once

#include <string>
#include <string_view>

namespace agtrace {

// True if `s` is 1..20 characters of GS1's 82-character set and can stand alone as a
// Digital Link path segment: not "." or "..", which URI resolution (RFC 3986 §5.2.4) and
// every phone's browser remove from a path, so that a scan would open another address
// (and the verifier refuses such segments). Lots with those ids get a derived code.
bool is_gs1_safe(std::string_view s);

// The derived code for `lot_id` with `extra` characters beyond the first 12.
std::string derived_lot_code(std::string_view lot_id, int extra);

}  // namespace agtrace
