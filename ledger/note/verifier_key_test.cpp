#include "ledger/note/verifier_key.h"

#include <doctest/doctest.h>

#include "ledger/note/note_testing.h"
#include "ledger/util/error.h"

using namespace agtrace;
using namespace agtrace::note;
using namespace agtrace::note::testing;

TEST_CASE("x/mod/sumdb/note's example verifier keys parse and round-trip") {
  VerifierKey peter = parse_verifier_key(kPeterVerifierKey);
  CHECK(peter.name == "PeterNeumann");
  CHECK(peter.key_hash == 0xc74f20a3);
  CHECK(peter.key_id() == "PeterNeumann+c74f20a3");
  CHECK(peter.to_string() == kPeterVerifierKey);
  CHECK(ed25519_key_hash(peter.name, peter.public_key) == 0xc74f20a3);
  CHECK(make_verifier_key("PeterNeumann", peter.public_key) == peter);

  VerifierKey enoch = parse_verifier_key(kEnochVerifierKey);
  CHECK(enoch.key_id() == "EnochRoot+af0cfe78");
  CHECK(enoch.to_string() == kEnochVerifierKey);
}

TEST_CASE("the verifier key of the Go example signer key is the Go example verifier key") {
  SigningKey key = signing_key_from_go(kPeterSignerKey);
  CHECK(verifier_key_of(key).to_string() == kPeterVerifierKey);
  CHECK(verifier_key_of(key).public_key == key.public_key());
}

// x/mod/sumdb/note TestNewVerifier: every proper substring and every one-byte change of a
// valid key is rejected.
TEST_CASE("every substring and every one-byte change of a verifier key is refused") {
  std::string key(kPeterVerifierKey);
  for (std::size_t i = 0; i <= key.size(); ++i)
    for (std::size_t j = i + 1; j <= key.size(); ++j) {
      if (i == 0 && j == key.size()) continue;
      std::string part = key.substr(i, j - i);
      CAPTURE(part);
      CHECK_THROWS_AS(parse_verifier_key(part), Error);
    }
  for (std::size_t i = 0; i < key.size(); ++i) {
    std::string changed = key;
    ++changed[i];
    CAPTURE(changed);
    CHECK_THROWS_AS(parse_verifier_key(changed), Error);
  }
}

TEST_CASE("verifier key refusals say what is wrong") {
  struct Case {
    std::string what;
    std::string line;
    const char* message;
  };
  Bytes short_key(32, 0x07);
  short_key[0] = 0x01;
  const Case bad[] = {
      {"no separators", "PeterNeumann", "expected NAME+KEYHASH+KEY"},
      {"empty name", "+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "it is empty"},
      {"space in name", "Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
       "U+0020"},
      {"upper-case hash", "PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
       "lower-case hex"},
      {"7-digit hash", "PeterNeumann+c74f20a+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
       "must be 8 hex digits"},
      {"wrong hash", "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
       "key hash c74f20a4 does not match name and key (they hash to c74f20a3)"},
      {"x/mod's unknown-algorithm key",
       "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
       "signature type 0x65 is not supported"},
      {"32-byte key", "PeterNeumann+c74f20a3+" + base64_encode(short_key), "decodes to 32 bytes"},
      {"empty key", "PeterNeumann+c74f20a3+", "the public key is empty"},
      {"trailing newline", std::string(kPeterVerifierKey) + "\n", "base64"},
      {"trailing space", std::string(kPeterVerifierKey) + " ", "base64"},
  };
  for (const Case& c : bad) {
    CAPTURE(c.what);
    CHECK_THROWS_WITH_AS(parse_verifier_key(c.line), doctest::Contains(c.message), Error);
  }
}

TEST_CASE("check_key_name throws bad_input naming the field") {
  CHECK_NOTHROW(check_key_name("example.com/log", "origin"));
  try {
    check_key_name("my log", "origin");
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::bad_input);
    CHECK(std::string(e.what()).starts_with("origin 'my log' is not a valid key name"));
  }
  CHECK(is_valid_key_name("example.com/log"));
  CHECK_FALSE(is_valid_key_name("a+b"));
  CHECK_THROWS_AS(make_verifier_key("a+b", PublicKey{}), Error);
}
