// The strict JSON front door for hostile input (DESIGN §3, "Canonical bytes").
//
// Every JSON text that enters agtrace from outside — a CLI argument, an HTTP body, a partner's
// EPCIS document — goes through parse_strict() before anything else looks at it (in particular
// before schema validation: valijson runs `pattern` through std::regex, which overflows the stack
// on long strings). On top of RFC 8259 it refuses what would make canonical bytes ambiguous or
// the process fragile: duplicate member names, deep nesting, integers a binary64 cannot hold
// exactly, and oversized strings and documents.
//
// Refusals are agtrace::Error(ErrorKind::bad_input). Their messages name the place in the
// document as a path such as `event.items[2].value` (the root is the caller's `what`; members
// whose names are not identifiers appear as `["name"]`) and say what to do about it.
//
// All functions are pure and thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace agtrace::json {

// Size limits for parse_strict(). Defaults suit one agtrace event or request body.
struct Limits {
  // Longest accepted document, in bytes, checked before parsing starts.
  std::size_t max_document_bytes = 1 << 20;
  // Longest accepted string or member name, in bytes of UTF-8 after unescaping.
  std::size_t max_string_bytes = 16 * 1024;
  // Deepest accepted nesting of objects and arrays; a top-level object is depth 1.
  int max_depth = 64;
};

// The largest integer magnitude a JSON integer literal may have: 2^53 - 1, the largest n such
// that every integer in [-n, n] is exactly a binary64 (RFC 8785 §3.2.2.3, RFC 7493 §2.2).
inline constexpr std::int64_t max_safe_integer = (std::int64_t{1} << 53) - 1;

// Parses `text` as one RFC 8259 JSON text and returns its value. `what` names the document in
// messages and is the root of every path in them (e.g. "event").
//
// Integer literals (no fraction, no exponent) come back as number_integer (negative) or
// number_unsigned; numbers with a fraction or exponent come back as number_float, kept for the
// caller to judge (see float_paths()). A leading UTF-8 byte order mark is ignored (RFC 8259
// §8.1 allows either choice; it has no effect on canonical bytes).
//
// Throws Error(bad_input), with the fix in the message, when
//   - `text` is longer than limits.max_document_bytes (checked before parsing);
//   - the text is not JSON, including invalid UTF-8 and escapes of lone surrogates (the message
//     gives line and column, both counted from 1, the column in bytes);
//   - an object has two members with the same name;
//   - objects and arrays nest deeper than limits.max_depth (refused when the first too-deep
//     bracket is read: parsing uses no C stack per level, so any depth is refused cheaply);
//   - an integer literal lies outside ±max_safe_integer;
//   - a string or member name is longer than limits.max_string_bytes.
nlohmann::json parse_strict(std::string_view text, const Limits& limits = {},
                            std::string_view what = "JSON");

// Reads the file at `path` — at most limits.max_document_bytes, refused as read_file()
// refuses (ledger/util/read_file.h; `option` names where the path came from, e.g.
// "--template ") — and parses it as parse_strict() does, naming the file in its messages.
nlohmann::json parse_strict_file(const std::string& path, const Limits& limits, std::string_view option);

// The paths of every number_float inside `value` (numbers written with a fraction or exponent),
// rooted at `what` as in parse_strict() messages, depth first: object members in name order,
// array elements in index order. Empty when there are none. Throws only std::bad_alloc.
std::vector<std::string> float_paths(const nlohmann::json& value, std::string_view what = "JSON");

// Throws Error(bad_input) naming the first path float_paths() finds (and how many others there
// are) and telling the sender to use a decimal string such as "12.5" instead. For documents
// whose schema carries quantities as decimal strings (DESIGN §3).
void reject_floats(const nlohmann::json& value, std::string_view what = "JSON");

}  // namespace agtrace::json
