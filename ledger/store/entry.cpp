// Entry encoding, signing and strict decoding (docs/ledger-format.md §2).
#include "ledger/store/entry.h"

#include <fmt/format.h>

#include <optional>
#include <utility>

#include "ledger/json/canonical_parse.h"
#include "ledger/json/jcs.h"
#include "ledger/json/strict_parse.h"
#include "ledger/note/verifier_key.h"
#include "ledger/util/error.h"

namespace agtrace {

namespace {

// JCS of the entry, composed from the canonical event: members in RFC 8785 order
// (event < index < key < prev < sig), `sig` only when `with_sig`.
std::string compose(const Entry& e, bool with_sig) {
  std::string out;
  out.reserve(e.event_canonical.size() + 256);
  out += "{\"event\":";
  out += e.event_canonical;
  out += ",\"index\":";
  out += std::to_string(e.index);
  out += ",\"key\":";
  out += json::canonicalize(e.key_id);
  out += ",\"prev\":\"";
  out += hex_encode(e.prev);
  out += '"';
  if (with_sig) {
    out += ",\"sig\":\"";
    out += base64_encode(e.sig);
    out += '"';
  }
  out += '}';
  return out;
}

}  // namespace

std::string entry_signing_bytes(const Entry& entry) {
  return std::string(kEntrySignatureContext) + compose(entry, false);
}

std::string encode_entry(const Entry& entry) { return compose(entry, true); }

Entry sign_entry(std::uint64_t index, const Hash& prev, const nlohmann::json& event,
                 std::string event_canonical, const note::SigningKey& key) {
  Entry e{index, prev, note::verifier_key_of(key).key_id(), event, std::move(event_canonical), {}};
  e.sig = key.sign(as_bytes(entry_signing_bytes(e)));
  return e;
}

Entry decode_entry(std::string_view bytes, std::uint64_t index) {
  auto fail = [&](const std::string& why) {
    throw_verification(fmt::format("entry {}: {}", index, why));
  };
  constexpr std::string_view before_event = "{\"event\":";
  json::Limits limits;
  limits.max_document_bytes = 4 << 20;
  // Stored entries are canonical: read in one pass when they are in parse_canonical()'s subset,
  // else parsed strictly (which names what is wrong) and compared below with their JCS.
  std::optional<nlohmann::json> canonical = json::parse_canonical(bytes, limits);
  nlohmann::json o;
  if (canonical) {
    o = std::move(*canonical);
  } else {
    try {
      o = json::parse_strict(bytes, limits, "entry");
    } catch (const Error& e) {
      fail(fmt::format("stored bytes are not valid JSON ({})", e.what()));
    }
  }
  if (!o.is_object() || o.size() != 5 || !o.contains("index") || !o.contains("prev") ||
      !o.contains("key") || !o.contains("event") || !o.contains("sig"))
    fail("stored entry does not have exactly the members index, prev, key, event, sig");
  if (!o["index"].is_number_unsigned() && !o["index"].is_number_integer())
    fail("index is not an integer");
  if (!o["prev"].is_string() || !o["key"].is_string() || !o["sig"].is_string() ||
      !o["event"].is_object())
    fail("a member has the wrong JSON type");
  Entry e;
  try {
    e.index = o["index"].get<std::uint64_t>();
    e.prev = hash_from_hex(o["prev"].get_ref<const std::string&>(), "prev");
    e.key_id = std::move(o["key"].get_ref<std::string&>());
    e.event = std::move(o["event"]);  // o is dropped: no deep copy of the event's tree
    if (!canonical) e.event_canonical = json::canonicalize(e.event);
    e.sig = base64_decode(o["sig"].get_ref<const std::string&>(), "sig");
  } catch (const Error& err) {
    fail(err.what());
  }
  if (canonical) {
    // `bytes` are the JCS of o, {"event":…,"index":…,"key":"…","prev":"…","sig":"…"}: the
    // event's JCS runs from after `{"event":` to the last `,"index":` (the event may hold
    // members named index, but no JCS string holds `,"`: its quotes are escaped).
    const std::size_t end = bytes.rfind(",\"index\":");
    if (end != std::string_view::npos && end >= before_event.size())
      e.event_canonical = bytes.substr(before_event.size(), end - before_event.size());
  }
  if (encode_entry(e) != bytes) fail("stored bytes are not in RFC 8785 canonical form");
  return e;
}

bool entry_signature_valid(const Entry& entry, const note::PublicKey& public_key) {
  return entry.sig.size() == 64 &&
         note::ed25519_verify(public_key, as_bytes(entry_signing_bytes(entry)), entry.sig);
}

}  // namespace agtrace
