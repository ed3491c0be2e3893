// Reading the events a clerk gives the CLI: one JSON document, or JSON lines.
#pragma once

#include <string>

#include "ledger/ledger.h"

namespace agtrace::cli {

// Reads all of `path` ("-" for standard input; a file through read_file). Throws
// Error(bad_input) if it is a folder, cannot be opened, or is larger than `max_bytes`; a file that
// does not exist is an i18n::Refusal (file_missing), in the reader's language.
std::string read_input(const std::string& path, std::size_t max_bytes);

// The text of a JSON input (`record`, `import --format jsonl|epcis`), named `name` in
// messages: `bytes` decoded from `encoding` by csv::decode_to_utf8, which refuses text that
// would be garbled (a UTF-8 file named as GB18030, GB18030 bytes read as UTF-8, U+FFFD),
// naming the line and the fix. Also refuses a string escape of U+FFFD ("\uFFFD", any case):
// the same lost text, written as JSON. Throws Error(bad_input); nothing is written then.
std::string decode_json_input(std::string_view bytes, std::string_view encoding, std::string_view name);

// Events from `text`: one JSON document (possibly pretty-printed over many lines), or
// JSON lines (one event per line; blank lines skipped). `name` prefixes locations
// ("events.jsonl line 4"). Parsing and schema validation run on every core in the
// background; the source yields events in file order as they become ready, bad ones
// with `error` set, each in `lang` (its place and its refusal: i18n, "FILE 第 4 行"). The
// source owns `text` and its worker threads.
EventSource json_event_source(std::string text, std::string name, i18n::Lang lang = i18n::Lang::en);

}  // namespace agtrace::cli
