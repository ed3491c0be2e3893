// Reading bytes that should already be canonical (RFC 8785) in one pass: the audit's fast path
// for stored entries (DESIGN §3 "Canonical bytes", issue 17).
//
// parse_strict() followed by canonicalize() and a comparison reads a canonical text three times
// and builds two strings besides the tree. parse_canonical() reads it once, building the same
// tree while it checks that every byte is where RFC 8785 puts it: no whitespace, members in
// UTF-16 order (RFC 8785 §3.2.3), strings with exactly the escapes §3.2.2.2 writes, integers as
// their plain decimal digits. It is only a fast path: a text it does not take may still be
// canonical (it leaves numbers with a fraction or exponent, and nesting at the depth limit, to the
// full path), so the caller then parses with parse_strict() and compares with canonicalize(),
// whose verdict and message are the ones given.
//
// Pure and thread-safe.
#pragma once

#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

#include "ledger/json/strict_parse.h"

namespace agtrace::json {

// The value of `text` when `text` is in the subset described above: then parse_strict(text,
// limits) accepts `text` and returns a value equal to this one, with the same number types
// (number_unsigned for non-negative integers, number_integer for negative ones), and
// canonicalize() of it is `text` byte for byte. std::nullopt otherwise (not JSON, not canonical,
// beyond a limit, or outside the subset). Throws only std::bad_alloc.
std::optional<nlohmann::json> parse_canonical(std::string_view text, const Limits& limits = {});

}  // namespace agtrace::json
