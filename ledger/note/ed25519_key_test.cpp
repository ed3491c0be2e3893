#include "ledger/note/ed25519_key.h"

#include <doctest/doctest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "ledger/note/note_testing.h"
#include "ledger/note/verifier_key.h"
#include "ledger/util/error.h"

using namespace agtrace;
using namespace agtrace::note;
using namespace agtrace::note::testing;

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_file(const std::string& path, std::string_view data, mode_t mode) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << data;
  REQUIRE(::chmod(path.c_str(), mode) == 0);
}

mode_t mode_of(const std::string& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

std::size_t entries_in(const std::filesystem::path& dir) {
  return static_cast<std::size_t>(std::distance(std::filesystem::directory_iterator(dir),
                                                std::filesystem::directory_iterator()));
}

// The error `f` throws, which must be an agtrace::Error.
template <typename F>
Error error_of(F f) {
  try {
    f();
  } catch (const Error& e) {
    return e;
  }
  FAIL("expected an agtrace::Error");
  return Error(ErrorKind::bad_input, "unreachable");
}

std::array<std::uint8_t, 32> seed_from_hex(std::string_view hex) {
  Hash h = hash_from_hex(hex, "seed");
  return h;
}

}  // namespace

// RFC 8032 §7.1, TEST 1 and TEST 2: Ed25519 is deterministic, so OpenSSL must give exactly
// these public keys and signatures.
TEST_CASE("RFC 8032 §7.1 test vectors") {
  struct Vector {
    std::string seed;
    const char* public_key;
    const char* message;
    const char* signature;
  };
  const Vector vectors[] = {
      {"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
       "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
       "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e3970"
       "1cf9b46bd25bf5f0595bbe24655141438e7a100b"},
      {"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
       "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
       "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613"
       "d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
  };
  for (const Vector& v : vectors) {
    CAPTURE(v.seed);
    SigningKey key = SigningKey::from_seed("rfc8032", seed_from_hex(v.seed));
    CHECK(hex_encode(key.public_key()) == v.public_key);
    Bytes msg = hex_decode(v.message, "message");
    Bytes sig = key.sign(msg);
    CHECK(hex_encode(sig) == v.signature);
    CHECK(ed25519_verify(key.public_key(), msg, sig));
  }
}

TEST_CASE("ed25519_verify rejects altered signatures, messages and keys") {
  SigningKey key = test_key("example.com/verify");
  Bytes msg = {'h', 'i'};
  Bytes sig = key.sign(msg);
  REQUIRE(sig.size() == 64);
  CHECK(ed25519_verify(key.public_key(), msg, sig));
  for (std::size_t i = 0; i < sig.size(); i += 7) {
    Bytes bad = sig;
    bad[i] ^= 0x01;
    CHECK_FALSE(ed25519_verify(key.public_key(), msg, bad));
  }
  CHECK_FALSE(ed25519_verify(key.public_key(), Bytes{'h', 'j'}, sig));
  CHECK_FALSE(ed25519_verify(test_key("other").public_key(), msg, sig));
  CHECK_FALSE(ed25519_verify(key.public_key(), msg, std::span(sig).first(63)));
  Bytes longer = sig;
  longer.push_back(0);
  CHECK_FALSE(ed25519_verify(key.public_key(), msg, longer));
  CHECK_FALSE(ed25519_verify(key.public_key(), msg, Bytes{}));
}

TEST_CASE("ed25519_verify answers false, never throws, for public keys that are not curve points") {
  // About half of all 32-byte strings do not decode to a point (RFC 8032 §5.1.3); a verifier
  // key line may carry any of them.
  Bytes msg = {'m'};
  Bytes sig = test_key("k").sign(msg);
  for (std::uint8_t first = 0; first < 32; ++first) {
    PublicKey junk;
    junk.fill(0xff);
    junk[0] = first;
    CHECK_FALSE(ed25519_verify(junk, msg, sig));
  }
}

TEST_CASE("generate makes distinct working keys and checks the name") {
  SigningKey a = SigningKey::generate("example.com/a");
  SigningKey b = SigningKey::generate("example.com/a");
  CHECK(a.name() == "example.com/a");
  CHECK(a.public_key() != b.public_key());
  Bytes msg = {1, 2, 3};
  CHECK(ed25519_verify(a.public_key(), msg, a.sign(msg)));
  CHECK_FALSE(ed25519_verify(b.public_key(), msg, a.sign(msg)));
  CHECK_THROWS_WITH_AS(SigningKey::generate("my log"), doctest::Contains("not a valid key name"),
                       Error);
  CHECK_THROWS_AS(SigningKey::generate(""), Error);
  CHECK_THROWS_AS(SigningKey::from_seed("a+b", Hash{}), Error);
}

TEST_CASE("save writes KEYFILE (PKCS#8 PEM, 0600) and KEYFILE.pub (vkey line); load reads both") {
  ScratchDir dir;
  const std::string path = dir.file("log.key");
  SigningKey key = test_key("example.com/log");
  key.save(path);

  CHECK(mode_of(path) == 0600);
  CHECK(mode_of(path + ".pub") == 0644);
  CHECK(read_file(path).starts_with("-----BEGIN PRIVATE KEY-----\n"));
  CHECK(read_file(path).ends_with("-----END PRIVATE KEY-----\n"));
  CHECK(read_file(path + ".pub") == verifier_key_of(key).to_string() + "\n");
  CHECK(entries_in(dir.path()) == 2);  // no temporary file left behind

  SigningKey loaded = SigningKey::load(path);
  CHECK(loaded.name() == "example.com/log");
  CHECK(loaded.public_key() == key.public_key());
  Bytes msg = {'x'};
  CHECK(loaded.sign(msg) == key.sign(msg));  // same private key: Ed25519 is deterministic
}

TEST_CASE("save never overwrites: an existing KEYFILE or KEYFILE.pub is refused") {
  ScratchDir dir;
  const std::string path = dir.file("k");
  test_key("first").save(path);
  const std::string before = read_file(path);

  Error e = error_of([&] { test_key("second").save(path); });
  CHECK(e.kind() == ErrorKind::bad_input);
  CHECK(std::string(e.what()).find(path + " already exists") != std::string::npos);
  CHECK(read_file(path) == before);

  const std::string other = dir.file("other");
  write_file(other + ".pub", "stale\n", 0644);
  CHECK_THROWS_WITH_AS(test_key("second").save(other), doctest::Contains(".pub already exists"),
                       Error);
  CHECK_FALSE(std::filesystem::exists(other));
  CHECK(read_file(other + ".pub") == "stale\n");
  CHECK(entries_in(dir.path()) == 3);
}

TEST_CASE("save into a missing directory is bad input and leaves nothing") {
  ScratchDir dir;
  Error e = error_of([&] { test_key("k").save(dir.file("missing/k")); });
  CHECK(e.kind() == ErrorKind::bad_input);
  CHECK(entries_in(dir.path()) == 0);
}

TEST_CASE("load refuses a key file that group or others may read or write") {
  ScratchDir dir;
  const std::string path = dir.file("k");
  test_key("k").save(path);
  for (mode_t mode : {0644, 0640, 0604, 0620, 0602, 0660, 0666}) {
    CAPTURE(mode);
    REQUIRE(::chmod(path.c_str(), mode) == 0);
    Error e = error_of([&] { SigningKey::load(path); });
    CHECK(e.kind() == ErrorKind::bad_input);
    std::string message = e.what();
    CHECK(message.find(path) != std::string::npos);
    CHECK(message.find(fmt::format("mode {:04o}", mode)) != std::string::npos);
    CHECK(message.find("chmod 600 " + path) != std::string::npos);
  }
  for (mode_t mode : {0600, 0400, 0700}) {
    CAPTURE(mode);
    REQUIRE(::chmod(path.c_str(), mode) == 0);
    CHECK(SigningKey::load(path).name() == "k");
  }
}

TEST_CASE("load refuses a missing, foreign or malformed KEYFILE.pub") {
  ScratchDir dir;
  const std::string path = dir.file("k");
  test_key("station-1").save(path);
  const std::string pub = path + ".pub";
  const std::string good = read_file(pub);

  struct Case {
    std::string what;
    std::string content;
    const char* message;
  };
  const Case bad[] = {
      {"another key's line", verifier_key_of(test_key("station-2")).to_string() + "\n",
       "does not match"},
      {"another key's line, same name",
       make_verifier_key("station-1", test_key("x").public_key()).to_string() + "\n",
       "does not match"},
      {"two lines", good + good, "exactly one verifier-key line"},
      {"garbage", "not a key\n", "expected NAME+KEYHASH+KEY"},
      {"CRLF", good.substr(0, good.size() - 1) + "\r\n", "base64"},
      {"empty", "", "expected NAME+KEYHASH+KEY"},
  };
  for (const Case& c : bad) {
    CAPTURE(c.what);
    write_file(pub, c.content, 0644);
    CHECK_THROWS_WITH_AS(SigningKey::load(path), doctest::Contains(c.message), Error);
  }

  write_file(pub, good.substr(0, good.size() - 1), 0644);  // no final newline: accepted
  CHECK(SigningKey::load(path).name() == "station-1");

  // The name comes from KEYFILE.pub; the key must match.
  write_file(pub, make_verifier_key("renamed", test_key("station-1").public_key()).to_string(),
             0644);
  CHECK(SigningKey::load(path).name() == "renamed");

  std::filesystem::remove(pub);
  CHECK_THROWS_WITH_AS(SigningKey::load(path), doctest::Contains((pub + " is missing").c_str()),
                       Error);
}

TEST_CASE("load refuses what is not one unencrypted PKCS#8 PEM Ed25519 key") {
  ScratchDir dir;
  const std::string path = dir.file("k");
  test_key("k").save(path);
  const std::string good = read_file(path);

  auto pem_of = [](EVP_PKEY* pkey) {
    BIO* bio = BIO_new(BIO_s_mem());
    REQUIRE(PEM_write_bio_PrivateKey(bio, pkey, nullptr, nullptr, 0, nullptr, nullptr) == 1);
    char* data = nullptr;
    long len = BIO_get_mem_data(bio, &data);
    std::string pem(data, static_cast<std::size_t>(len));
    BIO_free(bio);
    EVP_PKEY_free(pkey);
    return pem;
  };

  struct Case {
    std::string what;
    std::string content;
    const char* message;
  };
  const Case bad[] = {
      {"empty", "", "must begin with -----BEGIN PRIVATE KEY-----"},
      {"the .pub line", read_file(path + ".pub"), "must begin with"},
      {"text before the block", "comment\n" + good, "must begin with"},
      {"text after the block", good + "junk\n", "unexpected text after the PEM block"},
      {"two keys", good + good, "unexpected text after the PEM block"},
      {"truncated", good.substr(0, good.size() / 2), "damaged or incomplete"},
      {"damaged base64", good.substr(0, 28) + "!!!!" + good.substr(32), "damaged or incomplete"},
      {"encrypted",
       "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIGb\n-----END ENCRYPTED PRIVATE KEY-----\n",
       "is encrypted"},
      {"an X25519 key", pem_of(EVP_PKEY_Q_keygen(nullptr, nullptr, "X25519")),
       "holds a X25519 key"},
      {"an EC key", pem_of(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256")), "holds a EC key"},
  };
  for (const Case& c : bad) {
    CAPTURE(c.what);
    write_file(path, c.content, 0600);
    Error e = error_of([&] { SigningKey::load(path); });
    CHECK(e.kind() == ErrorKind::bad_input);
    CHECK(std::string(e.what()).find(c.message) != std::string::npos);
    CHECK(std::string(e.what()).find(path) != std::string::npos);
  }

  CHECK_THROWS_WITH_AS(SigningKey::load(dir.file("absent")),
                       doctest::Contains(("cannot open key file " + dir.file("absent")).c_str()),
                       Error);
  CHECK_THROWS_WITH_AS(SigningKey::load(dir.path().string()),
                       doctest::Contains("is not a regular file"), Error);
}
