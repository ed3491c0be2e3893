// PBKDF2-HMAC-SHA256 PIN hashes and the station's random tokens.
#include "station/pin.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <stdexcept>

#include "ledger/util/error.h"

namespace agtrace::station {
namespace {

std::vector<std::uint8_t> derive(std::string_view pin, const std::vector<std::uint8_t>& salt, std::uint32_t iterations) {
  std::vector<std::uint8_t> out(32);
  if (PKCS5_PBKDF2_HMAC(pin.data(), static_cast<int>(pin.size()), salt.data(), static_cast<int>(salt.size()),
                        static_cast<int>(iterations), EVP_sha256(), static_cast<int>(out.size()), out.data()) != 1)
    throw std::logic_error("PKCS5_PBKDF2_HMAC failed");
  return out;
}

}  // namespace

void check_pin_format(std::string_view pin) {
  bool digits = std::all_of(pin.begin(), pin.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (pin.size() < 4 || pin.size() > 12 || !digits)
    throw_bad_input("PIN 须为 4 到 12 位数字 / the PIN must be 4 to 12 digits");
}

std::vector<std::uint8_t> random_bytes(std::size_t n) {
  std::vector<std::uint8_t> out(n);
  if (RAND_bytes(out.data(), static_cast<int>(n)) != 1) throw std::logic_error("RAND_bytes failed");
  return out;
}

PinHash hash_pin(std::string_view pin, std::uint32_t iterations) {
  check_pin_format(pin);
  PinHash h;
  h.salt = random_bytes(16);
  h.iterations = iterations;
  h.hash = derive(pin, h.salt, iterations);
  return h;
}

bool pin_matches(std::string_view pin, const PinHash& stored) {
  if (stored.hash.size() != 32 || stored.iterations == 0) return false;
  auto got = derive(pin, stored.salt, stored.iterations);
  return CRYPTO_memcmp(got.data(), stored.hash.data(), got.size()) == 0;
}

}  // namespace agtrace::station
