// C2SP signed-note v1.0.0 (c2sp.org/signed-note), Ed25519 signatures only.
//
// A signed note is a text ending in newline, a blank line, then one or more signature lines:
//
//     If you think cryptography is the answer to your problem,
//     then you don't know what your problem is.
//
//     — PeterNeumann
//     x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=
//
// Signature line: em dash (U+2014), space, key name, space,
// base64(4-byte big-endian key hash || signature), newline. The text is everything up to and
// including the newline before the *last* blank line (it may itself contain blank lines).
// The whole note is valid UTF-8 with no ASCII control character other than newline
// (§Format). Ed25519 signatures sign exactly the text bytes (§Ed25519 signatures). Limits
// (§Format: at least 16 signatures must be accepted): at most kMaxNoteSignatures signature
// lines (golang.org/x/mod/sumdb/note's limit) and kMaxNoteBytes bytes in all.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/note/ed25519_key.h"
#include "ledger/note/verifier_key.h"
#include "ledger/util/bytes.h"

namespace agtrace::note {

inline constexpr std::size_t kMaxNoteSignatures = 100;
inline constexpr std::size_t kMaxNoteBytes = 1 << 20;

// One signature line, decoded but not verified.
struct NoteSignature {
  std::string name;            // key name
  std::uint32_t key_hash = 0;  // the first 4 bytes of the base64 data, big-endian
  Bytes sig;                   // the remaining bytes (64 for Ed25519; at least 1 in any note)

  bool operator==(const NoteSignature&) const = default;
};

struct Note {
  std::string text;                       // ends in newline
  std::vector<NoteSignature> signatures;  // in note order, duplicates kept

  bool operator==(const Note&) const = default;
};

// Signs `text` with `key` and returns the signed note: text, blank line, one signature line.
// Throws Error(bad_input) if `text` is empty or does not end in newline, is not valid UTF-8,
// contains an ASCII control character other than newline, or would make a note longer than
// kMaxNoteBytes.
std::string sign_note(std::string_view text, const SigningKey& key);

// Parses a signed note without verifying any signature. Strict: the size limit, UTF-8 and
// control characters over the whole note, a blank line before the signatures, every
// signature line as described above with a valid key name, canonical base64 of at least 5
// bytes, and at most kMaxNoteSignatures lines. Throws Error(bad_input) naming the first
// problem (for signature lines, their 1-based number).
Note parse_note(std::string_view note);

// Verifies `note` against `key` and returns its text. Signatures by other keys (another name
// or another key hash) are ignored, as §Signatures requires; every signature by `key` must
// verify (a note carrying a bad one is rejected whole, as §Signatures recommends). Throws
// Error(verification) when the note is malformed (the parse_note message, prefixed), has no
// signature by `key` (the message lists the key ids it does have), or has a signature by
// `key` that does not verify.
std::string verify_note(std::string_view note, const VerifierKey& key);

}  // namespace agtrace::note
