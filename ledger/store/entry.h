// Ledger entries: the signed, hash-chained records of the log (DESIGN §3,
// docs/ledger-format.md §2).
//
// Entry n is the RFC 8785 (JCS) object {index, prev, key, event, sig}:
//   index  n, a JSON integer
//   prev   lower-case hex of the RFC 6962 leaf hash of entry n−1 (64 zeros for n = 0)
//   key    the signer's key id, "name+keyhash" (C2SP signed-note key name and hash)
//   event  the event object, itself canonical
//   sig    base64 Ed25519 signature over "agtrace-entry-v1\n" || JCS(entry without sig)
// The entry's JCS bytes are leaf n of the RFC 6962 / RFC 9162 §2.1 Merkle tree.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "ledger/note/ed25519_key.h"
#include "ledger/util/bytes.h"

namespace agtrace {

inline constexpr std::string_view kEntrySignatureContext = "agtrace-entry-v1\n";

struct Entry {
  std::uint64_t index = 0;
  Hash prev{};
  std::string key_id;
  nlohmann::json event;
  std::string event_canonical;  // RFC 8785 bytes of `event`
  Bytes sig;                    // 64 bytes
};

// The bytes the signature covers: the context line, then JCS of the entry without sig.
std::string entry_signing_bytes(const Entry& entry);

// The entry's leaf bytes: JCS of {index, prev, key, event, sig}.
std::string encode_entry(const Entry& entry);

// Builds and signs entry `index` over `event` (whose RFC 8785 bytes are
// `event_canonical`) with `key` (key id from its name and public key).
Entry sign_entry(std::uint64_t index, const Hash& prev, const nlohmann::json& event,
                 std::string event_canonical, const note::SigningKey& key);

// Parses stored leaf bytes. Throws agtrace::Error(verification) naming `index` if they
// are not JSON, lack a member, or are not in canonical (RFC 8785) form.
Entry decode_entry(std::string_view bytes, std::uint64_t index);

// True if entry.sig is a valid Ed25519 signature by `public_key`.
bool entry_signature_valid(const Entry& entry, const note::PublicKey& public_key);

}  // namespace agtrace
