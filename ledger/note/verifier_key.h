// C2SP verifier keys: the one-line text form of a named Ed25519 public key.
//
// Format (golang.org/x/mod/sumdb/note NewVerifier / NewEd25519VerifierKey; the key ID rule is
// C2SP signed-note v1.0.0 §Signatures and §Ed25519 signatures):
//
//     <name> "+" <key hash: 8 lower-case hex digits> "+" base64(0x01 || 32-byte public key)
//     PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW
//
//     key hash = big-endian uint32 of SHA-256(name || 0x0A || 0x01 || public key)[:4]
//
// 0x01 is the signed-note signature type of Ed25519, the only type agtrace accepts. Key names
// follow signed-note §Format: non-empty UTF-8 with no Unicode space and no '+'. The "key id"
// `name+hex8` is how ledger entries name their signer (DESIGN §3).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "ledger/note/ed25519_key.h"

namespace agtrace::note {

// The signed-note signature type byte of Ed25519 (signed-note v1.0.0 §Signature types).
inline constexpr std::uint8_t kEd25519SignatureType = 0x01;

struct VerifierKey {
  std::string name;
  std::uint32_t key_hash = 0;
  PublicKey public_key{};

  // The verifier-key line, e.g. "PeterNeumann+c74f20a3+ARpc2Qc…10TW" (no newline).
  std::string to_string() const;
  // "name+hex8", e.g. "PeterNeumann+c74f20a3": names the key in entries and messages.
  std::string key_id() const;

  bool operator==(const VerifierKey&) const = default;
};

// True if `name` is a valid key name: non-empty UTF-8, no Unicode White_Space, no '+', and no
// ASCII control character (which no note may contain).
bool is_valid_key_name(std::string_view name);

// Throws Error(bad_input) "`what` '<name>' is not a valid key name: <reason>" unless
// is_valid_key_name(name).
void check_key_name(std::string_view name, std::string_view what);

// The C2SP key hash of an Ed25519 key: SHA-256(name || 0x0A || 0x01 || public_key)[:4],
// big-endian. Does not check the name.
std::uint32_t ed25519_key_hash(std::string_view name, const PublicKey& public_key);

// The verifier key of `public_key` named `name`, with its key hash computed. Throws
// Error(bad_input) if the name is invalid.
VerifierKey make_verifier_key(std::string name, const PublicKey& public_key);

// The verifier key of a signing key (its name and public key).
VerifierKey verifier_key_of(const SigningKey& key);

// Parses one verifier-key line (no newline, no surrounding white space). Strict: the name must
// be valid, the hash exactly 8 lower-case hex digits, the key canonical base64 of exactly 33
// bytes whose first byte is 0x01, and the hash must equal the one computed from name and key.
// Throws Error(bad_input) saying which of these failed.
VerifierKey parse_verifier_key(std::string_view line);

}  // namespace agtrace::note
