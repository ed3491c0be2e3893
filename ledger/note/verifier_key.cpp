// C2SP verifier keys: `name+hex8+base64(0x01 || public key)`, and key-name rules.
#include "ledger/note/verifier_key.h"

#include <fmt/format.h>

#include "ledger/note/text.h"
#include "ledger/util/error.h"
#include "ledger/util/sha256.h"

namespace agtrace::note {

namespace {

std::uint32_t parse_key_hash(std::string_view hex8) {
  if (hex8.size() != 8)
    throw_bad_input(fmt::format("verifier key: key hash '{}' must be 8 hex digits, has {}",
                                printable(hex8, 16), hex8.size()));
  std::uint32_t v = 0;
  for (char c : hex8) {
    int d;
    if (c >= '0' && c <= '9') {
      d = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      d = c - 'a' + 10;
    } else {
      throw_bad_input(fmt::format(
          "verifier key: key hash '{}' must be lower-case hex digits (0-9, a-f)", printable(hex8)));
    }
    v = v << 4 | static_cast<std::uint32_t>(d);
  }
  return v;
}

}  // namespace

std::string VerifierKey::to_string() const {
  Bytes typed{kEd25519SignatureType};
  typed.insert(typed.end(), public_key.begin(), public_key.end());
  return fmt::format("{}+{:08x}+{}", name, key_hash, base64_encode(typed));
}

std::string VerifierKey::key_id() const { return fmt::format("{}+{:08x}", name, key_hash); }

bool is_valid_key_name(std::string_view name) { return key_name_problem(name).empty(); }

void check_key_name(std::string_view name, std::string_view what) {
  std::string problem = key_name_problem(name);
  if (!problem.empty())
    throw_bad_input(
        fmt::format("{} '{}' is not a valid key name: {} (key names are non-empty, "
                    "with no spaces and no '+', e.g. example.com/log)",
                    what, printable(name), problem));
}

std::uint32_t ed25519_key_hash(std::string_view name, const PublicKey& public_key) {
  const std::uint8_t separator[] = {'\n', kEd25519SignatureType};
  Hash h = sha256({as_bytes(name), separator, public_key});
  return std::uint32_t{h[0]} << 24 | std::uint32_t{h[1]} << 16 | std::uint32_t{h[2]} << 8 | h[3];
}

VerifierKey make_verifier_key(std::string name, const PublicKey& public_key) {
  check_key_name(name, "key name");
  std::uint32_t hash = ed25519_key_hash(name, public_key);
  return VerifierKey{std::move(name), hash, public_key};
}

VerifierKey verifier_key_of(const SigningKey& key) {
  return make_verifier_key(key.name(), key.public_key());
}

VerifierKey parse_verifier_key(std::string_view line) {
  auto plus1 = line.find('+');
  auto plus2 = plus1 == std::string_view::npos ? plus1 : line.find('+', plus1 + 1);
  if (plus2 == std::string_view::npos)
    throw_bad_input(
        "verifier key: expected NAME+KEYHASH+KEY (e.g. "
        "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW)");
  std::string_view name = line.substr(0, plus1);
  check_key_name(name, "verifier key: name");
  std::uint32_t stated = parse_key_hash(line.substr(plus1 + 1, plus2 - plus1 - 1));
  Bytes typed = base64_decode(line.substr(plus2 + 1), "verifier key: public key");
  if (typed.empty()) throw_bad_input("verifier key: the public key is empty");
  if (typed[0] != kEd25519SignatureType)
    throw_bad_input(fmt::format(
        "verifier key: signature type 0x{:02x} is not supported (agtrace uses Ed25519, 0x01)",
        typed[0]));
  if (typed.size() != 1 + PublicKey{}.size())
    throw_bad_input(fmt::format(
        "verifier key: an Ed25519 key is 0x01 and 32 bytes, but the key decodes to {} bytes",
        typed.size()));
  PublicKey public_key;
  std::copy(typed.begin() + 1, typed.end(), public_key.begin());
  std::uint32_t computed = ed25519_key_hash(name, public_key);
  if (computed != stated)
    throw_bad_input(fmt::format(
        "verifier key: key hash {:08x} does not match name and key (they hash to {:08x}); the "
        "line was altered or mistyped",
        stated, computed));
  return VerifierKey{std::string(name), stated, public_key};
}

}  // namespace agtrace::note
