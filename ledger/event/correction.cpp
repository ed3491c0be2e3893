// Corrections that carry their replacement (correction.h).
#include "ledger/event/correction.h"

#include <fmt/format.h>

#include "ledger/event/rule_words.h"
#include "ledger/i18n/refusal.h"
#include "ledger/json/jcs.h"
#include "ledger/time/timestamp.h"
#include "ledger/util/bytes.h"
#include "ledger/util/sha256.h"

namespace agtrace {

namespace {

constexpr std::size_t kMaxEventIdLength = 200;  // common.schema.json#/definitions/event_id

// `unix_ms` (whole seconds) as RFC 3339 at `offset_minutes` east of UTC.
std::string time_at_offset(std::int64_t unix_ms, int offset_minutes) {
  const std::int64_t seconds_ms = unix_ms - ((unix_ms % 1000) + 1000) % 1000;
  std::string t = time::format_utc(seconds_ms + std::int64_t{offset_minutes} * 60'000);
  if (offset_minutes == 0) return t;
  t.pop_back();  // "Z"
  const int m = offset_minutes < 0 ? -offset_minutes : offset_minutes;
  return t + fmt::format("{}{:02}:{:02}", offset_minutes < 0 ? '-' : '+', m / 60, m % 60);
}

std::string string_or_empty(const nlohmann::json& e, const char* key) {
  auto it = e.find(key);
  return it != e.end() && it->is_string() ? it->get<std::string>() : "";
}

}  // namespace

bool correctable_type(const std::string& type) {
  return type == "planting" || type == "input_application" || type == "harvest" || type == "inspection" ||
         type == "transformation" || type == "packing" || type == "precooling" || type == "storage" ||
         type == "shipping" || type == "receiving";
}

bool is_replacing_correction(const nlohmann::json& event) {
  return event.is_object() && event.value("type", "") == "correction" && event.contains("replacement");
}

nlohmann::json correction_event(const nlohmann::json& replacement, const std::string& reason,
                                 std::int64_t now_unix_ms, const std::optional<std::string>& party,
                                 const std::optional<std::string>& event_id) {
  const std::string corrected = string_or_empty(replacement, "event_id");
  const std::string type = string_or_empty(replacement, "type");
  if (type == "certificate_issued" || type == "certificate_voided")
    i18n::refuse("replacement", i18n::Msg::correction_of_certificate, corrected, type_words(type),
                 string_or_empty(replacement, "number"));
  if (type == "certificate_received")
    i18n::refuse("replacement", i18n::Msg::correction_of_received, corrected, string_or_empty(replacement, "number"));
  int offset = 0;
  try {
    offset = time::parse_rfc3339(string_or_empty(replacement, "event_time"), "event_time").offset_minutes;
  } catch (const std::exception&) {
    offset = 8 * 60;  // the replacement's own time is refused by the append; Beijing time meanwhile
  }
  const std::string when = time_at_offset(now_unix_ms, offset);
  std::string id;
  if (event_id) {
    id = *event_id;
  } else {
    // The correction's identity (docs/clerk-import.md "更正"): what it replaces and why, never the
    // time nor the ledger's state, so the same correction imported again has the same id; a
    // correction back to an earlier content gives a new reason, hence an id of its own.
    const std::string digest =
        hex_encode(sha256(as_bytes(json::canonicalize(nlohmann::json::array({replacement, reason})))));
    id = fmt::format("{}.corr-{}", corrected, digest.substr(0, 8));
    if (corrected.empty() || id.size() > kMaxEventIdLength) id = "corr-" + digest.substr(0, 16);
  }
  nlohmann::json c = {{"type", "correction"},
                      {"event_id", id},
                      {"event_time", when},
                      {"corrected_event_id", corrected},
                      {"reason", reason},
                      {"replacement", replacement}};
  std::string who = party.value_or(string_or_empty(replacement, "party"));
  if (!who.empty()) c["party"] = who;
  return c;
}

}  // namespace agtrace
