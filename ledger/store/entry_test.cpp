// Tests for decode_entry (docs/ledger-format.md §2): a stored entry is taken only in its RFC 8785
// form, whichever path reads it (the one-pass canonical reader, or the strict parse and JCS
// comparison that names what is wrong), and the event's canonical bytes are the entry's own.
#include "ledger/store/entry.h"

#include <doctest/doctest.h>

#include <cctype>
#include <string>

#include "ledger/json/jcs.h"
#include "ledger/util/bytes.h"
#include "ledger/util/error.h"

using namespace agtrace;

namespace {

const note::SigningKey& clerk() {
  static const note::SigningKey key = note::SigningKey::generate("clerk");
  return key;
}

Entry signed_entry(const nlohmann::json& event, std::uint64_t index = 7) {
  Hash prev{};
  for (std::size_t i = 0; i < prev.size(); ++i) prev[i] = static_cast<std::uint8_t>(0xa0 + i);
  return sign_entry(index, prev, event, json::canonicalize(event), clerk());
}

const nlohmann::json& harvest() {
  static const nlohmann::json event = {
      {"type", "harvest"},
      {"event_id", "6f1c2a3e-0b7d-4f5e-9a21-3c4d5e6f7a8b"},
      {"event_time", "2026-06-01T08:30:00+08:00"},
      {"from_lot", "PL-2"},
      {"quantity", {{"value", "1000"}, {"unit", "公斤"}}},
      {"note", "鲁城大葱 \"一等\" a/b"},
      {"items", nlohmann::json::array({{{"index", 1}}, {{"index", 2}}})},
  };
  return event;
}

// The message of the Error(verification) decode_entry throws for `bytes`; fails the test if it
// decodes them.
std::string refusal(const std::string& bytes) {
  try {
    decode_entry(bytes, 7);
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::verification);
    return e.what();
  }
  FAIL_CHECK("decode_entry took: " << bytes);
  return "";
}

bool contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

// `text` with the first occurrence of `from` replaced by `to` (which must occur).
std::string replaced(std::string text, std::string_view from, std::string_view to) {
  const auto at = text.find(from);
  REQUIRE_MESSAGE(at != std::string::npos, from);
  return text.replace(at, from.size(), to);
}

constexpr std::string_view kNotCanonical = "entry 7: stored bytes are not in RFC 8785 canonical form";

}  // namespace

TEST_CASE("an entry decodes to what was signed, its event's bytes cut from its own") {
  // Members named index inside the event do not confuse where the event ends.
  const Entry signed_one = signed_entry(harvest());
  const std::string bytes = encode_entry(signed_one);
  const Entry e = decode_entry(bytes, 7);
  CHECK(e.index == 7);
  CHECK(e.prev == signed_one.prev);
  CHECK(e.key_id == signed_one.key_id);
  CHECK(e.sig == signed_one.sig);
  CHECK(e.event == harvest());
  CHECK(e.event_canonical == json::canonicalize(harvest()));
  CHECK(encode_entry(e) == bytes);
  CHECK(entry_signature_valid(e, clerk().public_key()));
}

TEST_CASE("a canonical entry with a number written with a fraction still decodes (the full path)") {
  nlohmann::json event = harvest();
  event["temperature"] = 12.5;
  event["big"] = 1e21;
  const std::string bytes = encode_entry(signed_entry(event));
  REQUIRE(contains(bytes, "\"temperature\":12.5"));
  const Entry e = decode_entry(bytes, 7);
  CHECK(e.event == event);
  CHECK(e.event_canonical == json::canonicalize(event));
}

TEST_CASE("every form of the same entry other than its RFC 8785 bytes is refused") {
  const std::string bytes = encode_entry(signed_entry(harvest()));
  // Whitespace, anywhere.
  CHECK(contains(refusal(replaced(bytes, "\"index\":7", "\"index\": 7")), kNotCanonical));
  CHECK(contains(refusal(bytes + "\n"), kNotCanonical));
  CHECK(contains(refusal(replaced(bytes, "{\"index\":1}", "{ \"index\":1}")), kNotCanonical));
  // Members out of order, in the entry and in the event.
  {
    const Entry e = decode_entry(bytes, 7);
    const std::string sig = "\"sig\":\"" + base64_encode(e.sig) + "\"";
    const std::string prev = "\"prev\":\"" + hex_encode(e.prev) + "\"";
    std::string swapped = replaced(replaced(bytes, sig, "SIG"), prev, sig);
    CHECK(contains(refusal(replaced(swapped, "SIG", prev)), kNotCanonical));
  }
  CHECK(contains(refusal(replaced(bytes, R"("event_id":"6f1c2a3e-0b7d-4f5e-9a21-3c4d5e6f7a8b","event_time":"2026-06-01T08:30:00+08:00")",
                                  R"("event_time":"2026-06-01T08:30:00+08:00","event_id":"6f1c2a3e-0b7d-4f5e-9a21-3c4d5e6f7a8b")")),
                 kNotCanonical));
  // Escapes RFC 8785 does not write, for characters it writes as they are.
  CHECK(contains(refusal(replaced(bytes, "a/b", "a\\/b")), kNotCanonical));
  CHECK(contains(refusal(replaced(bytes, "PL-2", "\\u0050L-2")), kNotCanonical));
  // prev in upper-case hex; a number in the event with an exponent; an index with a fraction.
  {
    const Entry e = decode_entry(bytes, 7);
    std::string upper = hex_encode(e.prev);
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    CHECK(contains(refusal(replaced(bytes, hex_encode(e.prev), upper)), kNotCanonical));
  }
  CHECK(contains(refusal(replaced(bytes, "\"index\":7", "\"index\":7.0")), "entry 7: index is not an integer"));
  CHECK(contains(refusal(replaced(bytes, "\"index\":1}", "\"index\":1e0}")), kNotCanonical));
  // Not JSON, a member twice, a member too many or missing.
  CHECK(contains(refusal(replaced(bytes, "\"index\":7", "\"index\":07")), "entry 7: stored bytes are not valid JSON"));
  CHECK(contains(refusal(replaced(bytes, "\"index\":7", "\"index\":7,\"index\":7")),
                 "entry 7: stored bytes are not valid JSON"));
  CHECK(contains(refusal(replaced(bytes, "\"index\":7", "\"index\":7,\"j\":1")),
                 "entry 7: stored entry does not have exactly the members index, prev, key, event, sig"));
  CHECK(contains(refusal(replaced(bytes, "\"index\":7,", "")),
                 "entry 7: stored entry does not have exactly the members index, prev, key, event, sig"));
  // A negative index is an integer, but not this entry's canonical index.
  CHECK(contains(refusal(replaced(bytes, "\"index\":7", "\"index\":-7")), "entry 7:"));
  CHECK(contains(refusal(replaced(bytes, "\"index\":7", "\"index\":\"7\"")), "entry 7: index is not an integer"));
}
