// Ed25519 signing keys (RFC 8032) through OpenSSL 3's EVP one-shot API, and their files.
//
// A key lives in two files (DESIGN §3 "Keys and trust root", §8 `key gen`):
//   KEYFILE      the private key as PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----"), unencrypted,
//                mode 0600; refused when group or others may read or write it.
//   KEYFILE.pub  the C2SP verifier key line `name+hex8+base64(0x01||public key)` and a
//                newline (see verifier_key.h). The key's name lives here: PKCS#8 has no
//                place for it.
// A SigningKey is immutable once built; sign() and the accessors may be called from several
// threads at once (OpenSSL 3 allows concurrent use of one EVP_PKEY for signing).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "ledger/util/bytes.h"

struct evp_pkey_st;  // OpenSSL's EVP_PKEY

namespace agtrace::note {

namespace detail {
struct EvpPkeyFree {
  void operator()(evp_pkey_st* p) const;
};
// An owned OpenSSL key.
using EvpPkeyPtr = std::unique_ptr<evp_pkey_st, EvpPkeyFree>;
}  // namespace detail

// An Ed25519 public key: 32 bytes (RFC 8032 §5.1.5).
using PublicKey = std::array<std::uint8_t, 32>;

class SigningKey {
 public:
  // A fresh key from OpenSSL's CSPRNG, named `name`. Throws Error(bad_input) if `name` breaks
  // the C2SP key-name rules (verifier_key.h); std::logic_error if OpenSSL fails.
  static SigningKey generate(std::string name);

  // The key whose RFC 8032 private seed is `seed` (32 bytes), named `name`. For importing keys
  // from other tools (e.g. the seed inside a golang.org/x/mod/sumdb/note "PRIVATE+KEY+..."
  // string). Throws Error(bad_input) on a bad name.
  static SigningKey from_seed(std::string name, std::span<const std::uint8_t, 32> seed);

  // Reads KEYFILE `path` and its public half `path + ".pub"`, and checks that they match.
  // Throws Error(bad_input), with a message naming the file and the fix, when: KEYFILE cannot
  // be opened or is not a regular file; its mode lets group or others read or write it (the
  // message gives the mode and says `chmod 600 KEYFILE`; the check is fstat on the opened
  // descriptor); it is not one unencrypted PKCS#8 PEM Ed25519 private key; KEYFILE.pub is
  // missing or is not exactly one verifier-key line; or KEYFILE.pub names another public key.
  static SigningKey load(const std::string& path);

  // Writes this key as KEYFILE `path` (PKCS#8 PEM, mode 0600) and `path + ".pub"` (its
  // verifier-key line, mode 0644). Each file is written in full to a temporary file in the
  // same directory, fsync'd, then given its name with link(2), which never replaces an
  // existing file; the directory is fsync'd last. KEYFILE.pub is published first, so a
  // KEYFILE that exists is always complete and has its .pub. On any failure nothing new is
  // left under either name. Throws Error(bad_input) if either name exists already (keys are
  // never overwritten) or cannot be created there (missing directory, permissions, a
  // filesystem without hard links); Error(environment) on disk full or I/O error.
  void save(const std::string& path) const;

  // The Ed25519 signature of `msg` (pure Ed25519, RFC 8032 §5.1.6): 64 bytes. Deterministic.
  // Throws std::logic_error only if OpenSSL fails.
  Bytes sign(std::span<const std::uint8_t> msg) const;

  // The public key (32 bytes).
  const PublicKey& public_key() const { return public_key_; }
  // The key's name: a valid C2SP key name (for the log key, the log's origin).
  const std::string& name() const { return name_; }

 private:
  // Takes an Ed25519 key; throws Error(bad_input) on a bad name.
  SigningKey(std::string name, detail::EvpPkeyPtr pkey);

  std::string name_;
  detail::EvpPkeyPtr pkey_;
  PublicKey public_key_{};
};

// True if `sig` is a valid Ed25519 signature of `msg` by `public_key` (RFC 8032 §5.1.7, as
// OpenSSL 3 checks it: canonical S, 64-byte signature). False for a signature of any other
// length. Never throws except std::logic_error if OpenSSL fails to allocate.
bool ed25519_verify(const PublicKey& public_key, std::span<const std::uint8_t> msg,
                    std::span<const std::uint8_t> sig);

}  // namespace agtrace::note
