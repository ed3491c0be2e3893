#include "ledger/util/bytes.h"

#include <doctest/doctest.h>

#include "ledger/util/error.h"
#include "ledger/util/sha256.h"

using namespace agtrace;

TEST_CASE("base64 round-trips the RFC 4648 §10 test vectors") {
  const char* plain[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
  const char* coded[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
  for (int i = 0; i < 7; ++i) {
    CHECK(base64_encode(as_bytes(plain[i])) == coded[i]);
    CHECK(to_string(base64_decode(coded[i], "t")) == plain[i]);
  }
}

TEST_CASE("base64 decoding is strict") {
  CHECK_THROWS_AS(base64_decode("Zg=", "t"), Error);
  CHECK_THROWS_AS(base64_decode("Zh==", "t"), Error);  // trailing bits set
  CHECK_THROWS_AS(base64_decode("Z*==", "t"), Error);
  CHECK_THROWS_AS(base64_decode("Zg==Zg==", "t"), Error);  // padding mid-string
}

TEST_CASE("hex round-trips and rejects junk") {
  Bytes b{0x00, 0xab, 0xff};
  CHECK(hex_encode(b) == "00abff");
  CHECK(hex_decode("00ABff", "t") == b);
  CHECK_THROWS_AS(hex_decode("0", "t"), Error);
  CHECK_THROWS_AS(hex_decode("zz", "t"), Error);
}

TEST_CASE("sha256 matches FIPS 180-2 'abc'") {
  CHECK(hex_encode(sha256(as_bytes("abc"))) ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256({as_bytes("a"), as_bytes("bc")}) == sha256(as_bytes("abc")));
}

#include "ledger/util/crockford.h"

TEST_CASE("Crockford base32 packs 5 bits per character, no I L O U") {
  std::uint8_t ff[8] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
  CHECK(crockford_encode(ff, 13) == "ZZZZZZZZZZZZY");  // 64 ones, then one zero pad bit
  std::uint8_t x[2] = {0x08, 0x42};                    // 00001 00001 00001 0(0000)
  CHECK(crockford_encode(x, 4) == "1110");
}
