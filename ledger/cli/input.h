// Reading the events a clerk gives the CLI: one JSON document, or JSON lines.
#pragma once

#include <string>

#include "ledger/ledger.h"

namespace agtrace::cli {

// Reads all of `path` ("-" for standard input; a file through read_file). Throws
// Error(bad_input) if it is a folder, cannot be opened, or is larger than `max_bytes`.
std::string read_input(const std::string& path, std::size_t max_bytes);

// Events from `text`: one JSON document (possibly pretty-printed over many lines), or
// JSON lines (one event per line; blank lines skipped). `name` prefixes locations
// ("events.jsonl line 4"). Parsing and schema validation run on every core in the
// background; the source yields events in file order as they become ready, bad ones
// with `error` set. The source owns `text` and its worker threads.
EventSource json_event_source(std::string text, std::string name);

}  // namespace agtrace::cli
