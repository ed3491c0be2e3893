// Character and number rules shared by the C2SP text formats of this module.
//
// C2SP signed-note v1.0.0 §Format: a note is valid UTF-8 with no ASCII control character
// (U+0000–U+001F) other than newline (U+000A); key names are non-empty, with no Unicode
// space and no plus (U+002B). tlog-checkpoint v1.0.0 §Note text and tlog-proof §Format:
// numbers are ASCII decimal with no leading zero (except the number 0 itself).
// These are module-internal helpers; the public API is in the other headers.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace agtrace::note {

// Checks that `text` is valid UTF-8 (RFC 3629: no overlong form, no surrogate, nothing above
// U+10FFFF) and contains no ASCII control character other than newline. Throws
// agtrace::Error(bad_input) naming `what` and the byte offset of the first offending byte.
void check_note_chars(std::string_view text, std::string_view what);

// The reason `name` is not a valid C2SP key name (signed-note v1.0.0 §Format), or an empty
// string if it is valid. Valid: non-empty UTF-8, no Unicode White_Space character (the set
// Go's unicode.IsSpace reports, as golang.org/x/mod/sumdb/note does), no '+', and — stricter
// than the spec, since a note may not contain them anyway — no ASCII control character.
std::string key_name_problem(std::string_view name);

// Parses an ASCII decimal with no sign, no leading zero (except "0") and a value that fits
// in 64 bits. Throws agtrace::Error(bad_input) naming `what` and the offending text.
std::uint64_t parse_decimal_u64(std::string_view digits, std::string_view what);

// `s` made safe to quote in an error message: at most `max_bytes` bytes of it (cut at a
// character boundary, then "…"), with each byte that is an ASCII control character, DEL or
// part of invalid UTF-8 written as \xNN and each backslash as \\.
std::string printable(std::string_view s, std::size_t max_bytes = 80);

}  // namespace agtrace::note
