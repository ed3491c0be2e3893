// Reading the events a clerk gives the CLI: one JSON document, or JSON lines.
#pragma once

#include <string>
#include <vector>

#include "ledger/ledger.h"

namespace agtrace::cli {

// Reads all of `path` ("-" for standard input). Throws Error(bad_input) if it cannot be
// read or is larger than `max_bytes`.
std::string read_input(const std::string& path, std::size_t max_bytes);

// Events from `text`: one JSON document (possibly pretty-printed over many lines), or
// JSON lines (one event per line; blank lines skipped). `name` prefixes locations
// ("events.jsonl line 4"). Bad events are collected in `errors`, not thrown.
std::vector<PreparedEvent> events_from_json_text(const std::string& text, const std::string& name,
                                                 std::vector<std::string>& errors);

}  // namespace agtrace::cli
