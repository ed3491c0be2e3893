// Test-only helpers for the note tests: the example keys and note of
// golang.org/x/mod/sumdb/note (note.go's package comment and note_test.go), deterministic
// test keys, and a scratch directory.
#pragma once

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <string_view>

#include "ledger/note/ed25519_key.h"
#include "ledger/note/verifier_key.h"
#include "ledger/util/sha256.h"

namespace agtrace::note::testing {

// x/mod/sumdb/note's example signer key (Go's private format, not what agtrace stores) and
// the verifier keys and signature lines its tests use.
inline constexpr std::string_view kPeterSignerKey =
    "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
inline constexpr std::string_view kPeterVerifierKey =
    "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
inline constexpr std::string_view kEnochVerifierKey =
    "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
inline constexpr std::string_view kPeterText =
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n";
inline constexpr std::string_view kPeterSig =
    "— PeterNeumann "
    "x08go/ZJkuBS9UG/"
    "SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
inline constexpr std::string_view kEnochSig =
    "— EnochRoot "
    "rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/"
    "5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";

// A key from a Go signer key "PRIVATE+KEY+<name>+<hash8>+base64(0x01 || 32-byte seed)",
// checked against its stated key hash.
inline SigningKey signing_key_from_go(std::string_view skey) {
  std::string_view fields[4];
  for (auto& field : fields) {
    auto plus = skey.find('+');
    REQUIRE(plus != std::string_view::npos);
    field = skey.substr(0, plus);
    skey.remove_prefix(plus + 1);
  }
  REQUIRE(fields[0] == "PRIVATE");
  REQUIRE(fields[1] == "KEY");
  Bytes typed = base64_decode(skey, "Go signer key");
  REQUIRE(typed.size() == 33);
  REQUIRE(typed[0] == 0x01);
  std::array<std::uint8_t, 32> seed;
  std::copy(typed.begin() + 1, typed.end(), seed.begin());
  SigningKey key = SigningKey::from_seed(std::string(fields[2]), seed);
  REQUIRE(verifier_key_of(key).key_id() == fmt::format("{}+{}", fields[2], fields[3]));
  return key;
}

// A deterministic key named `name`, with seed SHA-256(name).
inline SigningKey test_key(const std::string& name) {
  return SigningKey::from_seed(name, sha256(as_bytes(name)));
}

// A fresh directory under the system temp directory, removed with its contents at scope exit.
class ScratchDir {
 public:
  ScratchDir() {
    std::string templ = (std::filesystem::temp_directory_path() / "agtrace-note-XXXXXX").string();
    REQUIRE(::mkdtemp(templ.data()) != nullptr);
    path_ = templ;
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  ~ScratchDir() { std::filesystem::remove_all(path_); }
  std::string file(std::string_view name) const { return (path_ / name).string(); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace agtrace::note::testing
