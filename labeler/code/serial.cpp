// Serial allocation from OpenSSL's RAND_bytes (a CSPRNG seeded by the OS).
#include "labeler/code/serial.h"

#include <fmt/format.h>
#include <openssl/rand.h>

#include <array>
#include <unordered_set>

#include "ledger/util/crockford.h"
#include "ledger/util/error.h"

namespace agtrace::labeler {
namespace {

constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

}  // namespace

std::vector<std::string> allocate_serials(std::size_t count) {
  std::vector<std::string> out;
  out.reserve(count);
  std::unordered_set<std::string> seen;
  seen.reserve(count);
  constexpr std::size_t kChunk = 4096;
  std::vector<std::uint8_t> buf(kChunk * 8);
  while (out.size() < count) {
    std::size_t n = std::min(kChunk, count - out.size());
    if (RAND_bytes(buf.data(), static_cast<int>(n * 8)) != 1)
      throw_environment("OpenSSL's random generator failed; no serials were allocated");
    for (std::size_t i = 0; i < n; ++i) {
      std::string s = crockford_encode(std::span<const std::uint8_t>(buf.data() + i * 8, 8), kSerialChars);
      if (seen.insert(s).second) out.push_back(std::move(s));
    }
  }
  return out;
}

bool is_serial(std::string_view s) {
  if (s.size() != kSerialChars) return false;
  for (char c : s)
    if (kAlphabet.find(c) == std::string_view::npos) return false;
  // 13 × 5 = 65 bits: the last bit is padding and always zero.
  return (kAlphabet.find(s.back()) & 1) == 0;
}

std::string normalize_serial(std::string_view s, std::string_view field) {
  std::string out;
  for (char c : s) {
    if (c == '-' || c == ' ') continue;
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c == 'O') c = '0';
    if (c == 'I' || c == 'L') c = '1';
    out.push_back(c);
  }
  if (!is_serial(out))
    throw_bad_input(fmt::format("{} \"{}\": not a trace code (13 characters of 0-9 and A-Z without I, L, O, U)",
                                field, s));
  return out;
}

}  // namespace agtrace::labeler
