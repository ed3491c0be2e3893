// Stored text made safe to print on a terminal: control characters shown as JSON-style escapes.
//
// A cell of a clerk's sheet may carry a control character — a line break typed with Alt+Enter,
// a tab, or an ESC that starts a terminal escape sequence able to rewrite the screen of whoever
// shows the entry. CSV import refuses them (docs/clerk-import.md); entries written before that
// (or by JSON input) are printed through escape_controls by `show` and `log`. Pure, thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace agtrace {

// True when UTF-8 `text` holds a C0 control (U+0000–U+001F, line breaks and tabs included),
// DEL (U+007F) or a C1 control (U+0080–U+009F).
bool has_control_chars(std::string_view text);

// `text` with each such character written as \u00XX (lower-case hex, as JSON writes it:
// ESC → \u001b, a line feed → \u000a) and every other byte as it is; a backslash stays a
// backslash. Nothing else changes, so text without controls comes back byte for byte. With
// `keep_line_feeds`, LF stays as it is (for a whole report whose lines the program made).
std::string escape_controls(std::string_view text, bool keep_line_feeds = false);

}  // namespace agtrace
