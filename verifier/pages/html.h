// HTML escaping for every value the pages show (DESIGN §5: all data HTML-escaped).
#pragma once

#include <string>
#include <string_view>

namespace agtrace::verifier {

// Appends `s` to `out` with & < > " ' replaced by character references, so that the text
// is inert both in element content and in quoted attribute values.
void append_escaped(std::string& out, std::string_view s);

// `s` escaped as above.
std::string html_escape(std::string_view s);

}  // namespace agtrace::verifier
