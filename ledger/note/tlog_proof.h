// C2SP tlog-proof (c2sp.org/tlog-proof, "c2sp.org/tlog-proof@v1"): an offline-verifiable
// inclusion proof — entry index, RFC 6962 §2.1.1 audit path and the signed checkpoint in one
// text, stored with extension `.tlog-proof` (DESIGN §3 "Proofs"):
//
//     c2sp.org/tlog-proof@v1
//     extra <base64 opaque data>            optional, unauthenticated
//     index 73894                           decimal, no leading zero
//     gSKyXoYZUgZ6jduWYrkDOARinOMGJveXjgMkBTcdPlQ=     0..64 hashes, leaf's sibling first
//     B95lDa8R83lS8n0eG+o0buTxRKQTYFi//1U8anccXmA=
//                                           empty line
//     example.com/fancylog                  the signed checkpoint, verbatim
//     109482
//     sFodV/vSp5O8n9a8QpW6PRY97tfOSW5bsc2Xl/EQi08=
//
//     — example.com/fancylog hI2DJw…
//
// This module reads and writes the format only: checking the audit path against the
// checkpoint's root is the Merkle module's job, and the checkpoint's signature is checked
// with open_checkpoint().
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/note/signed_note.h"
#include "ledger/util/bytes.h"

namespace agtrace::note {

inline constexpr std::string_view kTlogProofHeader = "c2sp.org/tlog-proof@v1";
// The checkpoint note's limit plus room for the header, index, hashes and extra data.
inline constexpr std::size_t kMaxTlogProofBytes = kMaxNoteBytes + 64 * 1024;
// An audit path in a tree of at most 2^64 leaves has at most 64 hashes.
inline constexpr std::size_t kMaxTlogProofHashes = 64;

struct TlogProof {
  std::optional<Bytes> extra;   // opaque, unauthenticated; never empty when present
  std::uint64_t index = 0;      // zero-based leaf index
  std::vector<Hash> hashes;     // the inclusion proof, leaf's sibling first, up to the root's child
  std::string checkpoint_note;  // the signed checkpoint, verbatim

  bool operator==(const TlogProof&) const = default;
};

// The proof text. Throws Error(bad_input) if `extra` is present but empty (omit it instead),
// if there are more than kMaxTlogProofHashes hashes, or if checkpoint_note is not a well-formed
// signed note whose text is a well-formed checkpoint (signatures are not verified).
std::string format_tlog_proof(const TlogProof& proof);

// Parses a proof strictly: at most kMaxTlogProofBytes; the exact header line; an optional "extra "
// line with canonical, non-empty base64; "index " and a decimal without sign or leading zero within
// 64 bits; at most kMaxTlogProofHashes lines of canonical base64 of exactly 32 bytes; an empty
// line; then a well-formed signed note whose text is a well-formed checkpoint (not verified here).
// Throws Error(bad_input) naming the line at fault.
TlogProof parse_tlog_proof(std::string_view text);

}  // namespace agtrace::note
