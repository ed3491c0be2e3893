// Trace-code serials (追溯码, DESIGN §2 and §4): 64 bits from OpenSSL's CSPRNG, written as
// 13 Crockford base32 characters without check symbols (ledger/util/crockford.h). At 64
// random bits a forger guessing a code hits one of a million issued codes with
// probability about 2^-44 per try; uniqueness across jobs is enforced by the ledger.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace agtrace::labeler {

inline constexpr std::size_t kSerialChars = 13;

// `count` distinct fresh serials. Throws Error(environment) if the CSPRNG fails (an
// unseeded or broken RNG must never yield codes).
std::vector<std::string> allocate_serials(std::size_t count);

// True if `s` has the shape of a serial: 13 characters of Crockford's alphabet (upper
// case, no I, L, O, U), the last carrying 4 bits and a zero pad bit.
bool is_serial(std::string_view s);

// `s` normalised as Crockford allows when read by a person: upper case, O→0, I/L→1,
// hyphens and spaces dropped. Throws Error(bad_input) naming `field` if the result is not
// a serial.
std::string normalize_serial(std::string_view s, std::string_view field);

}  // namespace agtrace::labeler
