// EPCIS 2.0 structural checks and the conversion of partner events to ledger entries.
#include "ledger/epcis/epcis_import.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <map>
#include <regex>
#include <set>

#include "ledger/epcis/epcis_check.h"
#include "ledger/epcis/epcis_export.h"
#include "ledger/epcis/epcis_hash.h"
#include "ledger/event/event_facts.h"
#include "ledger/event/rules_version.h"
#include "ledger/json/jcs.h"
#include "ledger/json/strict_parse.h"
#include "ledger/note/verifier_key.h"
#include "ledger/time/timestamp.h"
#include "ledger/util/error.h"
#include "ledger/util/sha256.h"

namespace agtrace::epcis {

namespace {

using json = nlohmann::json;

// A refusal naming the field by its path in the document.
[[noreturn]] void bad(const std::string& path, const std::string& why) {
  throw_bad_input(fmt::format("field {}: {}", path, why));
}

const char* type_name(const json& v) {
  switch (v.type()) {
    case json::value_t::object: return "an object";
    case json::value_t::array: return "an array";
    case json::value_t::string: return "a string";
    case json::value_t::boolean: return "a boolean";
    case json::value_t::null: return "null";
    default: return "a number";
  }
}

void need_string(const json& v, const std::string& path) {
  if (!v.is_string()) bad(path, fmt::format("must be a string, not {}", type_name(v)));
}
void need_object(const json& v, const std::string& path) {
  if (!v.is_object()) bad(path, fmt::format("must be an object, not {}", type_name(v)));
}
void need_array(const json& v, const std::string& path) {
  if (!v.is_array()) bad(path, fmt::format("must be an array, not {}", type_name(v)));
}
void need_time(const json& v, const std::string& path) {
  need_string(v, path);
  std::string s = v.get<std::string>();
  // RFC 3339 as the EPCIS JSON schema's "date-time" format; the offset is required.
  static const std::regex shape(R"(^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$)");
  if (s.size() > 40 || !std::regex_match(s, shape))
    bad(path, fmt::format("\"{}\" is not an RFC 3339 date-time with a UTC offset, e.g. 2022-10-05T08:30:00+08:00", s));
  time::parse_rfc3339(s, path);
}
void string_list(const json& e, const char* name, const std::string& at) {
  if (!e.contains(name)) return;
  const std::string path = at + "." + name;
  need_array(e[name], path);
  for (std::size_t i = 0; i < e[name].size(); ++i) need_string(e[name][i], fmt::format("{}[{}]", path, i));
}
void quantity_list(const json& e, const char* name, const std::string& at) {
  if (!e.contains(name)) return;
  const std::string path = at + "." + name;
  need_array(e[name], path);
  for (std::size_t i = 0; i < e[name].size(); ++i) {
    const json& q = e[name][i];
    std::string p = fmt::format("{}[{}]", path, i);
    need_object(q, p);
    if (!q.contains("epcClass")) bad(p + ".epcClass", "missing: a quantity element names its class");
    need_string(q["epcClass"], p + ".epcClass");
    if (q.contains("quantity") && !q["quantity"].is_number())
      bad(p + ".quantity", fmt::format("must be a number, not {}", type_name(q["quantity"])));
    if (q.contains("uom")) {
      need_string(q["uom"], p + ".uom");
      static const std::regex uom("^[A-Z0-9]{2,3}$");
      if (!std::regex_match(q["uom"].get<std::string>(), uom))
        bad(p + ".uom", fmt::format("\"{}\" is not a UN/ECE Rec 20 unit code", q["uom"].get<std::string>()));
    }
  }
}
void object_list(const json& e, const char* name, const char* member, const std::string& at) {
  if (!e.contains(name)) return;
  const std::string path = at + "." + name;
  need_array(e[name], path);
  for (std::size_t i = 0; i < e[name].size(); ++i) {
    std::string p = fmt::format("{}[{}]", path, i);
    need_object(e[name][i], p);
    if (!e[name][i].contains(member)) bad(p + "." + member, "missing");
    need_string(e[name][i][member], p + "." + member);
    if (e[name][i].contains("type")) need_string(e[name][i]["type"], p + ".type");
  }
}

// The EPCIS 2.0 checks for one event at `at` (e.g. "epcisBody.eventList[3]").
void check_event(const json& e, const std::string& at) {
  need_object(e, at);
  static const std::set<std::string> types = {"ObjectEvent", "AggregationEvent", "TransformationEvent",
                                              "AssociationEvent", "TransactionEvent"};
  if (!e.contains("type")) bad(at + ".type", "missing: one of ObjectEvent, AggregationEvent, TransformationEvent, AssociationEvent, TransactionEvent");
  need_string(e["type"], at + ".type");
  const std::string type = e["type"];
  if (!types.count(type))
    bad(at + ".type", fmt::format("\"{}\" is not an EPCIS 2.0 event type (ObjectEvent, AggregationEvent, "
                                  "TransformationEvent, AssociationEvent, TransactionEvent)", type));
  if (!e.contains("eventTime")) bad(at + ".eventTime", "missing: every EPCIS event has an eventTime");
  need_time(e["eventTime"], at + ".eventTime");
  if (!e.contains("eventTimeZoneOffset")) bad(at + ".eventTimeZoneOffset", "missing: e.g. \"+08:00\"");
  need_string(e["eventTimeZoneOffset"], at + ".eventTimeZoneOffset");
  static const std::regex offset(R"(^[+-]((0\d|1[0-3]):[0-5]\d|14:00)$)");
  if (!std::regex_match(e["eventTimeZoneOffset"].get<std::string>(), offset))
    bad(at + ".eventTimeZoneOffset",
        fmt::format("\"{}\" is not an offset of the form ±hh:mm", e["eventTimeZoneOffset"].get<std::string>()));
  if (type == "TransformationEvent") {
    if (e.contains("action")) bad(at + ".action", "a TransformationEvent has no action");
  } else {
    if (!e.contains("action")) bad(at + ".action", "missing: one of ADD, OBSERVE, DELETE");
    need_string(e["action"], at + ".action");
    const std::string action = e["action"];
    if (action != "ADD" && action != "OBSERVE" && action != "DELETE")
      bad(at + ".action", fmt::format("\"{}\" is not one of ADD, OBSERVE, DELETE", action));
  }
  for (const char* f : {"eventID", "parentID", "bizStep", "disposition", "transformationID"})
    if (e.contains(f)) need_string(e[f], at + "." + f);
  if (e.contains("recordTime")) need_time(e["recordTime"], at + ".recordTime");
  for (const char* f : {"epcList", "childEPCs", "inputEPCList", "outputEPCList"}) string_list(e, f, at);
  for (const char* f : {"quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList"})
    quantity_list(e, f, at);
  for (const char* f : {"readPoint", "bizLocation"})
    if (e.contains(f)) {
      need_object(e[f], at + "." + f);
      if (!e[f].contains("id")) bad(at + "." + f + ".id", "missing");
      need_string(e[f]["id"], at + "." + f + ".id");
    }
  object_list(e, "bizTransactionList", "bizTransaction", at);
  object_list(e, "sourceList", "source", at);
  object_list(e, "destinationList", "destination", at);
  if (e.contains("ilmd")) need_object(e["ilmd"], at + ".ilmd");
  if (e.contains("persistentDisposition")) {
    const std::string p = at + ".persistentDisposition";
    need_object(e["persistentDisposition"], p);
    string_list(e["persistentDisposition"], "set", p);
    string_list(e["persistentDisposition"], "unset", p);
  }
  if (e.contains("errorDeclaration")) {
    const std::string p = at + ".errorDeclaration";
    need_object(e["errorDeclaration"], p);
    if (!e["errorDeclaration"].contains("declarationTime")) bad(p + ".declarationTime", "missing");
    need_time(e["errorDeclaration"]["declarationTime"], p + ".declarationTime");
    if (e["errorDeclaration"].contains("reason")) need_string(e["errorDeclaration"]["reason"], p + ".reason");
    string_list(e["errorDeclaration"], "correctiveEventIDs", p);
  }
  if (e.contains("sensorElementList")) {
    const std::string p = at + ".sensorElementList";
    need_array(e["sensorElementList"], p);
    for (std::size_t i = 0; i < e["sensorElementList"].size(); ++i) {
      const json& s = e["sensorElementList"][i];
      std::string sp = fmt::format("{}[{}]", p, i);
      need_object(s, sp);
      if (!s.contains("sensorReport")) bad(sp + ".sensorReport", "missing");
      need_array(s["sensorReport"], sp + ".sensorReport");
      for (std::size_t k = 0; k < s["sensorReport"].size(); ++k) {
        const json& r = s["sensorReport"][k];
        std::string rp = fmt::format("{}.sensorReport[{}]", sp, k);
        need_object(r, rp);
        for (const char* f : {"value", "minValue", "maxValue", "meanValue", "sDev", "percRank", "percValue"})
          if (r.contains(f) && !r[f].is_number())
            bad(rp + "." + f, fmt::format("must be a number, not {}", type_name(r[f])));
        if (r.contains("time")) need_time(r["time"], rp + ".time");
      }
      if (s.contains("sensorMetadata")) {
        need_object(s["sensorMetadata"], sp + ".sensorMetadata");
        for (const char* f : {"time", "startTime", "endTime"})
          if (s["sensorMetadata"].contains(f)) need_time(s["sensorMetadata"][f], sp + ".sensorMetadata." + f);
      }
    }
  }
}

bool usable_id(const std::string& id) {
  if (id.empty() || id.size() > 200) return false;
  for (unsigned char c : id)
    if (c < 0x21 || c > 0x7e) return false;
  return true;
}

std::string digest_id(const char* prefix, const json& normalised) {
  return prefix + hex_encode(sha256(as_bytes(agtrace::json::canonicalize(normalised))));
}

// RFC 6901 pointer token.
std::string pointer_token(const std::string& key) {
  std::string out;
  for (char c : key) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

// The JSON pointers of every number in `v` (below `at`), in document order.
void number_pointers(const json& v, const std::string& at, json& out) {
  if (v.is_number()) {
    out.push_back(at);
  } else if (v.is_object()) {
    for (auto it = v.begin(); it != v.end(); ++it) number_pointers(it.value(), at + "/" + pointer_token(it.key()), out);
  } else if (v.is_array()) {
    for (std::size_t i = 0; i < v.size(); ++i) number_pointers(v[i], fmt::format("{}/{}", at, i), out);
  }
}

// The prefixes of `declared` that `v` uses: in member names ("ex:field") and in string
// values that are CURIEs ("ex:sorting").
void used_prefixes(const json& v, const std::map<std::string, std::string>& declared, json& out) {
  auto note = [&](const std::string& s) {
    auto colon = s.find(':');
    if (colon == std::string::npos || s.compare(colon, 3, "://") == 0) return;
    if (auto it = declared.find(s.substr(0, colon)); it != declared.end()) out[it->first] = it->second;
  };
  if (v.is_string()) note(v.get<std::string>());
  else if (v.is_object())
    for (auto it = v.begin(); it != v.end(); ++it) {
      note(it.key());
      used_prefixes(it.value(), declared, out);
    }
  else if (v.is_array())
    for (const auto& x : v) used_prefixes(x, declared, out);
}

}  // namespace

std::vector<PreparedEvent> events_from_epcis(std::string_view text, std::string_view file,
                                             const ImportOptions& options) {
  agtrace::json::Limits limits;
  limits.max_document_bytes = 512u << 20;
  limits.max_string_bytes = kMaxEventStringBytes;
  const std::string name(file);
  json doc;
  try {
    doc = agtrace::json::parse_strict(text, limits, "document");
    if (!doc.is_object()) bad("document", "an EPCIS document is a JSON object");
    if (!doc.contains("@context"))
      bad("@context", "missing: an EPCIS 2.0 JSON-LD document declares its @context (" + std::string(kEpcisContext) + ")");
    if (!doc["@context"].is_string() && !doc["@context"].is_array() && !doc["@context"].is_object())
      bad("@context", fmt::format("must be a string, an object or an array, not {}", type_name(doc["@context"])));
    if (!doc.contains("type")) bad("type", "missing: \"EPCISDocument\"");
    if (doc["type"] != "EPCISDocument") bad("type", "must be \"EPCISDocument\"");
    if (!doc.contains("schemaVersion")) bad("schemaVersion", "missing: \"2.0\"");
    need_string(doc["schemaVersion"], "schemaVersion");
    if (!doc.contains("creationDate")) bad("creationDate", "missing");
    need_time(doc["creationDate"], "creationDate");
    if (!doc.contains("epcisBody")) bad("epcisBody", "missing");
    need_object(doc["epcisBody"], "epcisBody");
    if (!doc["epcisBody"].contains("eventList")) bad("epcisBody.eventList", "missing");
    need_array(doc["epcisBody"]["eventList"], "epcisBody.eventList");
    check_document(doc);
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::bad_input) throw;
    throw_bad_input(fmt::format("{}: {}", name, e.what()));
  }

  std::vector<PreparedEvent> batch;
  std::vector<PreparedEvent> corrections;
  std::map<std::string, json> in_document;  // eventID → normalised event
  const auto declared = context_prefixes(doc["@context"]);
  const json& list = doc["epcisBody"]["eventList"];
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string at = fmt::format("epcisBody.eventList[{}]", i);
    const std::string where = fmt::format("{} event {}", name, i);
    try {
      check_event(list[i], at);
      check_event_rules(doc, list[i], at);
      json normalised = normalise_numbers(list[i]);
      std::string id = list[i].value("eventID", "");
      // An errorDeclaration on a recorded event is a correction — unless this is the very
      // event recorded (an identical re-capture of a partner's declared event: a no-op).
      std::optional<json> recorded;
      if (list[i].contains("errorDeclaration") && !id.empty()) {
        if (auto it = in_document.find(id); it != in_document.end())
          recorded = json{{"type", "external"}, {"epcis", it->second}};
        else if (options.recorded_event)
          recorded = options.recorded_event(id);
      }
      const bool recaptured = recorded && recorded->value("type", "") == "external" && (*recorded)["epcis"] == normalised;
      if (recorded && !recaptured) {
        if (!options.correction_party)
          bad(at + ".errorDeclaration",
              "declares an error on a recorded event, which becomes a correction: that needs a party; "
              "register the signing key with --holder PARTY");
        const json& d = list[i]["errorDeclaration"];
        json c = {{"type", "correction"},
                  {"event_id", digest_id("epcis-correction:sha-256:", normalised)},
                  {"event_time", d["declarationTime"]},
                  {"corrected_event_id", id},
                  {"reason", d.contains("agtrace:reason") && d["agtrace:reason"].is_string()
                                 ? d["agtrace:reason"].get<std::string>()
                                 : d.value("reason", "incorrect_data")},
                  {"party", *options.correction_party}};
        if (c["reason"].get<std::string>().empty()) c["reason"] = "incorrect_data";
        std::vector<std::string> corrective;
        if (d.contains("correctiveEventIDs"))
          for (const auto& x : d["correctiveEventIDs"]) corrective.push_back(x.get<std::string>());
        for (const auto& x : corrective)
          if (usable_id(x) && (in_document.count(x) || (options.recorded_event && options.recorded_event(x)))) {
            c["replacement_event_id"] = x;
            break;
          }
        if (!corrective.empty()) c["corrective_event_ids"] = corrective;
        std::string note = fmt::format("EPCIS errorDeclaration on {}", id);
        if (!corrective.empty()) note += fmt::format("; correctiveEventIDs: {}", fmt::join(corrective, " "));
        c["note"] = note.substr(0, 1000);
        corrections.push_back(prepare_event(std::move(c), where));
        continue;
      }
      // The id: the eventID; without one, rules version 1 took the digest of the normalised
      // event, version 2 takes CBV 2.0's Event Hash ID (epcis_hash.h).
      const bool v2 = options.rules_version >= kRulesV2;
      const std::string legacy_id = usable_id(id) ? id : digest_id("epcis:sha-256:", normalised);
      if (!usable_id(id)) id = v2 ? event_hash_id(normalised, declared) : legacy_id;
      json ev = {{"type", "external"}, {"event_id", id}, {"event_time", list[i]["eventTime"]}, {"epcis", normalised}};
      json numbers = json::array();
      number_pointers(list[i], "", numbers);
      if (!numbers.empty()) ev["epcis_numbers"] = std::move(numbers);
      json prefixes = json::object();
      used_prefixes(list[i], declared, prefixes);
      if (!prefixes.empty()) ev["epcis_context"] = std::move(prefixes);
      // A re-capture of a recorded event is a no-op: the entry is the recorded one (its
      // own_lots as recorded, also when lots were recorded since, and its fields as recorded,
      // also when it was recorded before a field existed). The same event is the same
      // normalised EPCIS event under the same id; from rules version 2 also the same Event
      // Hash ID (another offset, another recordTime), and under version 1's digest id.
      const std::string hash = v2 ? event_hash_id(normalised, declared) : std::string();
      auto recorded_same = [&](const std::string& rid) -> std::optional<json> {
        auto r = options.recorded_event ? options.recorded_event(rid) : std::nullopt;
        if (!r || !r->is_object() || r->value("type", "") != "external" || !r->contains("epcis")) return std::nullopt;
        if ((*r)["epcis"] == normalised) return r;
        if (v2 && event_hash_id((*r)["epcis"], context_prefixes(r->value("epcis_context", json::object()))) == hash)
          return r;
        return std::nullopt;
      };
      std::optional<json> same = recorded_same(id);
      if (!same && legacy_id != id) same = recorded_same(legacy_id);
      if (same) {
        ev = *same;
        id = ev["event_id"].get<std::string>();
      } else if (options.own_lot) {
        json own = json::object();
        for (const auto& m : epcis_lots_named(normalised))
          if (auto ours = options.own_lot(m.lot, list[i]["eventTime"].get<std::string>())) own[m.lot] = *ours;
        if (!own.empty()) ev["own_lots"] = std::move(own);
      }
      auto canonical_size = agtrace::json::canonicalize(ev).size();
      if (canonical_size > kMaxEventBytes)
        bad(at, fmt::format("the event is {} bytes; one event may have at most {}", canonical_size, kMaxEventBytes));
      batch.push_back(prepare_event(std::move(ev), where));
      in_document.emplace(id, normalised);
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::bad_input) throw;
      batch.push_back({where, nullptr, "", fmt::format("{}: {}", where, e.what()), {}});
    }
  }
  for (auto& c : corrections) batch.push_back(std::move(c));
  return batch;
}

std::vector<PreparedEvent> events_from_epcis(std::string_view text, std::string_view file, Ledger& ledger,
                                             const note::SigningKey& signer,
                                             const std::optional<std::string>& party) {
  ImportOptions options;
  options.recorded_event = [&ledger](const std::string& id) -> std::optional<nlohmann::json> {
    auto e = ledger.store().event_by_id(id);
    if (!e) return std::nullopt;
    return ledger.store().event_at(e->entry_idx);
  };
  options.own_lot = [&ledger](const std::string& lot, const std::string& event_time) -> std::optional<std::string> {
    auto gs1 = gs1_lot_of(lot);
    if (!gs1) return std::nullopt;
    auto by_code = ledger.database().prepare("SELECT lot_id FROM lots WHERE gs1_code = ? AND external = 0");
    by_code.bind(1, gs1->lot_code);
    if (!by_code.step()) return std::nullopt;
    auto ours = ledger.store().lot(by_code.column_text(0));
    if (!ours || !ours->product || ours->created_unix_ms > time::parse_rfc3339(event_time, "eventTime").unix_ms)
      return std::nullopt;
    auto product = ledger.store().master("product", *ours->product);
    if (!product || !product->contains("gtin") || (*product)["gtin"] != gs1->gtin) return std::nullopt;
    return ours->lot;
  };
  options.correction_party = party;
  options.rules_version = ledger.rules_version();
  if (!options.correction_party) {
    auto k = ledger.store().key(note::verifier_key_of(signer).key_id());
    if (k && k->role != "log") {
      auto e = ledger.store().event_at(k->added_entry);
      if (e.contains("holder")) options.correction_party = e["holder"].get<std::string>();
    }
  }
  return events_from_epcis(text, file, options);
}

}  // namespace agtrace::epcis
