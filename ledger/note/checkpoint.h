// C2SP tlog-checkpoint v1.0.0 (c2sp.org/tlog-checkpoint): a log's signed tree head.
//
// The body (the note text, §Note text) is at least three non-empty lines:
//
//     example.com/behind-the-sofa                      origin: the log's identity
//     20852163                                         tree size: decimal, no leading zero
//     CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=     root hash: base64 of 32 bytes (RFC 6962)
//     [extension lines]                                optional, opaque, non-empty
//
// and it is signed as a C2SP signed note (signed_note.h). In agtrace the log key's name IS
// the origin (DESIGN §3), so signing and opening both require name == origin; the spec only
// says the name SHOULD match (§Signatures).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/note/ed25519_key.h"
#include "ledger/note/verifier_key.h"
#include "ledger/util/bytes.h"

namespace agtrace::note {

struct Checkpoint {
  std::string origin;
  std::uint64_t size = 0;               // number of leaves
  Hash root{};                          // RFC 6962 Merkle tree hash at `size`
  std::vector<std::string> extensions;  // extension lines, without their newlines

  bool operator==(const Checkpoint&) const = default;
};

// The checkpoint body: "origin\nsize\nbase64(root)\n" then each extension line and "\n".
// Throws Error(bad_input) if the origin or an extension line is empty or contains a newline,
// invalid UTF-8 or another ASCII control character.
std::string format_checkpoint_body(const Checkpoint& checkpoint);

// Parses a checkpoint body strictly (§Note text): ends in newline; at least three lines, none
// empty; size ASCII decimal without sign or leading zero and within 64 bits; root canonical
// base64 of exactly 32 bytes; valid UTF-8 and no control character other than newline.
// Throws Error(bad_input) naming the line at fault.
Checkpoint parse_checkpoint_body(std::string_view body);

// Formats and signs `checkpoint` with the log key: returns the signed note. Throws
// Error(bad_input) if the key's name is not the checkpoint's origin, or as
// format_checkpoint_body does.
std::string sign_checkpoint(const Checkpoint& checkpoint, const SigningKey& log_key);

// Verifies a signed checkpoint against the log's verifier key, then parses it. Throws
// Error(verification) if verify_note fails, if the signed body is not a valid checkpoint, or
// if its origin is not the key's name (a checkpoint of another log).
Checkpoint open_checkpoint(std::string_view signed_note, const VerifierKey& log_key);

}  // namespace agtrace::note
