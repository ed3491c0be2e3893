// RFC 8785 JSON Canonicalization Scheme (JCS): the canonical bytes that agtrace hashes, signs
// and compares (DESIGN §3).
//
// The canonical form of a JSON value (RFC 8785 §3.2) has no whitespace; object members are
// sorted by the UTF-16 code units of their names (§3.2.3), which differs from UTF-8 byte order
// for names holding characters above U+FFFF next to characters in U+E000..U+FFFF; strings carry
// only the escapes ECMAScript's JSON.stringify() writes (§3.2.2.2); numbers are written as
// ECMAScript's Number.prototype.toString() writes them (§3.2.2.3); null, true and false as such.
//
// Integers held as number_integer or number_unsigned are written as their exact decimal value.
// For magnitudes up to 2^53 - 1 (all that parse_strict() accepts) this is what RFC 8785
// prescribes; beyond it RFC 8785 would round through binary64, so values built in code should
// stay within that range too.
//
// All functions are pure and thread-safe.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace agtrace::json {

// The RFC 8785 canonical UTF-8 bytes of `value`, at any nesting depth (no recursion).
// Throws Error(bad_input) if `value` holds a NaN or infinite number, a string or member name
// that is not valid UTF-8, or a binary or discarded value (none of which JSON can express).
std::string canonicalize(const nlohmann::json& value);

// The same bytes appended to `out`, for a caller that builds a larger text (one buffer, no
// string per value). Throws as canonicalize; `out` then holds part of the value's bytes.
void canonicalize_append(const nlohmann::json& value, std::string& out);

// `value` as ECMAScript's Number.prototype.toString() writes it (ECMA-262 Number::toString,
// RFC 8785 §3.2.2.3): the shortest digits that read back as `value`, in plain decimal for
// 1e-6 <= |value| < 1e21 ("12.5", "0.000001", "123456789012345680000") and exponent form
// otherwise ("1e+21", "1e-7", "5e-324"); both zeros give "0". This is the decimal string that
// partner numbers are converted to on import (DESIGN §3). Throws Error(bad_input) for NaN and
// infinities.
std::string shortest_decimal(double value);

// True if `s` is well-formed UTF-8 (RFC 3629): no overlong forms, surrogates or code points
// beyond U+10FFFF. The text canonicalize() accepts in strings and member names.
bool is_valid_utf8(std::string_view s);

// True if member name `a` sorts before `b` in RFC 8785 §3.2.3 order (by UTF-16 code units),
// for valid UTF-8 names; on malformed names the order is still total.
bool utf16_less(std::string_view a, std::string_view b);

}  // namespace agtrace::json
