// SHA-256 (FIPS 180-4) through OpenSSL 3's EVP interface.
#pragma once

#include <initializer_list>
#include <span>

#include "ledger/util/bytes.h"

namespace agtrace {

// SHA-256 of the concatenation of `parts`. Never fails (an OpenSSL failure is a bug
// and throws std::logic_error).
Hash sha256(std::initializer_list<std::span<const std::uint8_t>> parts);
inline Hash sha256(std::span<const std::uint8_t> data) { return sha256({data}); }

}  // namespace agtrace
