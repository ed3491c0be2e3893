// PINs of station accounts (docs/station.md "Accounts", docs/security.md "The printer
// station"): PBKDF2-HMAC-SHA256 (RFC 8018 §5.2, through OpenSSL's PKCS5_PBKDF2_HMAC) with a
// random 16-byte salt and kPinIterations iterations (OWASP Password Storage Cheat Sheet:
// 600,000 for PBKDF2-HMAC-SHA256), compared in constant time (CRYPTO_memcmp).
//
// A PIN is 4 to 12 ASCII digits. Its few possibilities are guarded by the lockout (5 wrong
// tries, state.h), not by the KDF: the KDF only makes a stolen state file slower to use.
// Pure; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace agtrace::station {

inline constexpr std::uint32_t kPinIterations = 600000;

struct PinHash {
  std::vector<std::uint8_t> salt;  // 16 random bytes
  std::uint32_t iterations = kPinIterations;
  std::vector<std::uint8_t> hash;  // 32 bytes
};

// Throws Error(bad_input) unless `pin` is 4 to 12 ASCII digits; the message says so, Chinese first.
void check_pin_format(std::string_view pin);

// Hashes `pin` (checked first) with a fresh random salt and `iterations` iterations.
PinHash hash_pin(std::string_view pin, std::uint32_t iterations = kPinIterations);

// Whether `pin` hashes to `stored.hash` under `stored`'s salt and iterations; constant time
// in the comparison of the digests.
bool pin_matches(std::string_view pin, const PinHash& stored);

// `n` bytes from OpenSSL's CSPRNG (RAND_bytes); std::logic_error if it fails.
std::vector<std::uint8_t> random_bytes(std::size_t n);

}  // namespace agtrace::station
