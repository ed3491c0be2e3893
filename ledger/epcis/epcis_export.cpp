// The DESIGN §2 mapping of agtrace events to EPCIS 2.0 events.
#include "ledger/epcis/epcis_export.h"

#include <fmt/format.h>

#include <cctype>
#include <cstdlib>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "ledger/json/jcs.h"

namespace agtrace::epcis {

namespace {

using json = nlohmann::json;

std::string str(const json& e, const char* field) {
  auto it = e.find(field);
  return it != e.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// "+08:00" for "…+08:00", "-00:00" kept, "+00:00" for "Z".
std::string offset_of(const std::string& time) {
  if (!time.empty() && (time.back() == 'Z' || time.back() == 'z')) return "+00:00";
  return time.size() >= 6 ? time.substr(time.size() - 6) : "+00:00";
}

// A decimal string as a JSON number: an integer when it has no fraction or exponent and
// fits, else the nearest binary64.
json number_of(const std::string& text) {
  if (text.find_first_of(".eE") == std::string::npos && text.size() <= 15) {
    try {
      return std::stoll(text);
    } catch (const std::exception&) {
    }
  }
  char* end = nullptr;
  double d = std::strtod(text.c_str(), &end);
  if (end == text.c_str() || *end != '\0') return text;  // not a number: leave it be
  return d;
}

struct Mapper {
  const ExportContext& ctx;

  std::string lot_uri(const std::string& lot) const {
    auto [product, code] = ctx.lot(lot);
    if (product)
      if (const json* p = ctx.master("product", *product); p && p->contains("gtin"))
        return fmt::format("{}/01/{}/10/{}", ctx.base_url, (*p)["gtin"].get<std::string>(), percent_encode(code));
    return fmt::format("{}/lot/{}", ctx.base_url, percent_encode(code));
  }
  std::string location_uri(const std::string& id) const {
    if (const json* l = ctx.master("location", id); l && l->contains("gln"))
      return "https://id.gs1.org/414/" + (*l)["gln"].get<std::string>();
    return fmt::format("{}/location/{}", ctx.base_url, percent_encode(id));
  }
  std::string party_uri(const std::string& id) const {
    return fmt::format("{}/party/{}", ctx.base_url, percent_encode(id));
  }
  std::string event_uri(const std::string& id) const {
    return fmt::format("{}/event/{}", ctx.base_url, percent_encode(id));
  }

  json quantity_element(const std::string& lot, const json* quantity) const {
    json q = {{"epcClass", lot_uri(lot)}};
    if (quantity && quantity->is_object()) {
      q["quantity"] = number_of(str(*quantity, "value"));
      q["uom"] = str(*quantity, "unit");
    }
    return q;
  }

  // quantityList of an event's `lots` (strings, or objects with lot and quantity).
  json lot_list(const json& lots) const {
    json out = json::array();
    for (const auto& item : lots) {
      if (item.is_string()) out.push_back(quantity_element(item.get<std::string>(), nullptr));
      else out.push_back(quantity_element(item["lot"], item.contains("quantity") ? &item["quantity"] : nullptr));
    }
    return out;
  }

  json base(const json& e, const char* type, const char* action) const {
    json x = {{"type", type},
              {"eventID", event_uri(str(e, "event_id"))},
              {"eventTime", str(e, "event_time")},
              {"eventTimeZoneOffset", offset_of(str(e, "event_time"))}};
    if (action) x["action"] = action;
    if (e.contains("location")) {
      x["readPoint"] = {{"id", location_uri(e["location"])}};
      x["bizLocation"] = {{"id", location_uri(e["location"])}};
    }
    x["agtrace:event"] = e;
    return x;
  }

  json object_event(const json& e, const char* action, const std::string& biz_step, json quantities) const {
    json x = base(e, "ObjectEvent", action);
    x["bizStep"] = biz_step;
    x["quantityList"] = std::move(quantities);
    return x;
  }

  json sensors(const json& e) const {
    if (!e.contains("readings") || e["readings"].empty()) return nullptr;
    json reports = json::array();
    for (const auto& r : e["readings"])
      reports.push_back({{"type", "Temperature"}, {"time", r["time"]}, {"value", number_of(r["value"])}, {"uom", "CEL"}});
    json meta = {{"startTime", e["start"]}};
    if (e.contains("end")) meta["endTime"] = e["end"];
    return json::array({{{"sensorMetadata", meta}, {"sensorReport", reports}}});
  }

  std::optional<json> map(const json& e) const {
    const std::string type = str(e, "type");
    const std::string custom = "urn:agtrace:bizstep:";
    if (type == "planting")
      return object_event(e, "ADD", custom + "planting", json::array({quantity_element(e["lot"], nullptr)}));
    if (type == "input_application" && !e.contains("lot")) {
      // Rules version 7: applied to a plot before sowing. What was treated is the place
      // (readPoint and bizLocation: the plot), not an object: an empty epcList, which EPCIS 2.0
      // allows for an ObjectEvent (GS1's JSON Schema: epcList minItems 0).
      auto x = object_event(e, "OBSERVE", custom + "input_application", json::array());
      x.erase("quantityList");
      x["epcList"] = json::array();
      return x;
    }
    if (type == "input_application")
      return object_event(e, "OBSERVE", custom + "input_application", json::array({quantity_element(e["lot"], nullptr)}));
    if (type == "harvest") {
      auto x = object_event(e, "ADD", "commissioning", json::array({quantity_element(e["lot"], &e["quantity"])}));
      x["disposition"] = "active";
      return x;
    }
    if (type == "inspection") return object_event(e, "OBSERVE", "inspecting", lot_list(e["lots"]));
    if (type == "transformation") {
      json x = base(e, "TransformationEvent", nullptr);
      if (ctx.transformation_ids && e.contains("transformation_id"))
        x["transformationID"] = transformation_uri(str(e, "transformation_id"), str(e, "party"), ctx.base_url);
      x["bizStep"] = custom + str(e, "kind");
      x["inputQuantityList"] = json::array();
      for (const auto& in : e["inputs"]) x["inputQuantityList"].push_back(quantity_element(in["lot"], &in["quantity"]));
      x["outputQuantityList"] = json::array();
      for (const auto& out : e["outputs"]) x["outputQuantityList"].push_back(quantity_element(out["lot"], &out["quantity"]));
      return x;
    }
    if (type == "packing") {
      json count = {{"value", std::to_string(e["count"].get<long long>())}, {"unit", "H87"}};
      return object_event(e, "ADD", "packing", json::array({quantity_element(e["lot"], &count)}));
    }
    if (type == "labels_issued" || type == "labels_reprinted" || type == "labels_voided") {
      json count = {{"value", std::to_string(e["count"].get<long long>())}, {"unit", "H87"}};
      json q = json::array({quantity_element(e["lot"], &count)});
      if (type == "labels_issued") return object_event(e, "ADD", "commissioning", q);
      if (type == "labels_reprinted") return object_event(e, "OBSERVE", custom + "labels_reprinted", q);
      auto x = object_event(e, "DELETE", "decommissioning", q);
      x["disposition"] = "inactive";
      return x;
    }
    if (type == "storage" || type == "precooling") {
      auto x = object_event(e, "OBSERVE", type == "storage" ? "storing" : custom + "precooling", lot_list(e["lots"]));
      if (auto s = sensors(e); !s.is_null()) x["sensorElementList"] = s;
      return x;
    }
    if (type == "shipping") {
      auto x = object_event(e, "OBSERVE", "shipping", lot_list(e["lots"]));
      // Recalled goods (rules version 9, shipping_rules.h): CBV 2.0 returned when sent back, and
      // still recalled on the way to destruction.
      const std::string recalled_goods = e.value("recalled_goods", "");
      x["disposition"] = recalled_goods == "return"        ? "returned"
                         : recalled_goods == "destruction" ? "recalled"
                                                           : "in_transit";
      x["sourceList"] = json::array({{{"type", "owning_party"}, {"source", party_uri(e["party"])}},
                                     {{"type", "location"}, {"source", location_uri(e["location"])}}});
      x["destinationList"] = json::array({{{"type", "owning_party"}, {"destination", party_uri(e["to_party"])}}});
      if (e.contains("to_location"))
        x["destinationList"].push_back({{"type", "location"}, {"destination", location_uri(e["to_location"])}});
      return x;
    }
    if (type == "receiving") {
      auto x = object_event(e, "OBSERVE", "receiving", lot_list(e["lots"]));
      x["disposition"] = "in_progress";
      x["sourceList"] = json::array({{{"type", "owning_party"}, {"source", party_uri(e["from_party"])}}});
      x["destinationList"] = json::array({{{"type", "owning_party"}, {"destination", party_uri(e["party"])}},
                                          {{"type", "location"}, {"destination", location_uri(e["location"])}}});
      return x;
    }
    if (type == "recall") {
      auto x = object_event(e, "OBSERVE", custom + "recall", lot_list(e["lots"]));
      x["disposition"] = "recalled";
      x["persistentDisposition"] = {{"set", json::array({"recalled"})}};
      return x;
    }
    // 承诺达标合格证 (docs/certificate.md "EPCIS"): an ObjectEvent OBSERVE of the lot whose
    // certificationInfo (EPCIS 2.0, a URI) is the certificate's page; the fields travel in the
    // agtrace:event extension like every event's, plus agtrace:certificate for the number.
    if (type == "certificate_issued" || type == "certificate_received") {
      auto x = object_event(e, "OBSERVE", custom + type,
                            json::array({quantity_element(e["lot"], &e["quantity"])}));
      if (type == "certificate_issued")
        x["certificationInfo"] = fmt::format("{}/c/{}", ctx.base_url, percent_encode(str(e, "number")));
      x["agtrace:certificate"] = {{"number", e["number"]}, {"issuer", e["issuer"]}};
      // 产地 as written on a collected paper certificate (rules version 6). (An issued one's origin
      // travels in agtrace:event only, as it always did, so bundles exported before stay equal.)
      if (type == "certificate_received" && e.contains("origin"))
        x["agtrace:certificate"]["origin"] = location_uri(e["origin"]);
      return x;
    }
    if (type == "certificate_voided") {
      auto x = base(e, "ObjectEvent", "OBSERVE");
      x["bizStep"] = custom + type;
      x["epcList"] = json::array();
      x["certificationInfo"] = fmt::format("{}/c/{}", ctx.base_url, percent_encode(str(e, "number")));
      x["agtrace:certificate"] = {{"number", e["number"]}, {"voided", true}};
      return x;
    }
    if (type == "correction") {
      std::optional<json> x;
      const json* superseded = e.contains("replacement") && ctx.superseded_correction ? ctx.superseded_correction(e) : nullptr;
      if (superseded) {
        // The corrective event of the correction this one replaces, as to_epcis_events gave it.
        x = map((*superseded)["replacement"]);
        if (!x) return std::nullopt;
        (*x)["eventID"] = event_uri(str(*superseded, "event_id"));
      } else {
        auto corrected = ctx.event(str(e, "corrected_event_id"));
        if (!corrected) return std::nullopt;
        x = map(*corrected);
        if (!x) return std::nullopt;
      }
      json declaration = {{"declarationTime", e["event_time"]}, {"reason", "incorrect_data"}, {"agtrace:reason", e["reason"]}};
      if (e.contains("replacement")) {
        // Rules version 5: the corrective event is the replacement under the correction's own id
        // (corrective_event below), as EPCIS gives every corrective event a new eventID.
        declaration["correctiveEventIDs"] = json::array({event_uri(str(e, "event_id"))});
      } else if (e.contains("corrective_event_ids")) {
        declaration["correctiveEventIDs"] = e["corrective_event_ids"];
      } else if (e.contains("replacement_event_id")) {
        auto replacement = ctx.event(str(e, "replacement_event_id"));
        std::string id = str(e, "replacement_event_id");
        declaration["correctiveEventIDs"] = json::array(
            {replacement && str(*replacement, "type") == "external" && (*replacement)["epcis"].contains("eventID")
                 ? (*replacement)["epcis"]["eventID"].get<std::string>()
                 : event_uri(id)});
      }
      (*x)["errorDeclaration"] = declaration;
      return x;
    }
    if (type == "external")
      return e.contains("epcis_numbers") ? restore_numbers(e["epcis"], e["epcis_numbers"]) : restore_numbers(e["epcis"]);
    return std::nullopt;
  }
};

bool is_quantity_list(const std::string& name) {
  return name == "quantityList" || name == "childQuantityList" || name == "inputQuantityList" ||
         name == "outputQuantityList";
}

bool is_sensor_number(const std::string& name) {
  return name == "value" || name == "minValue" || name == "maxValue" || name == "meanValue" ||
         name == "sDev" || name == "percRank" || name == "percValue";
}

}  // namespace

std::string percent_encode(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
        c == '_' || c == '~')
      out += static_cast<char>(c);
    else
      out += fmt::format("%{:02X}", c);
  }
  return out;
}

std::string transformation_uri(const std::string& id, const std::string& party, const std::string& base_url) {
  auto starts = [&](std::string_view prefix) {
    if (id.size() <= prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i)
      if (std::tolower(static_cast<unsigned char>(id[i])) != prefix[i]) return false;
    return true;
  };
  auto hex = [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; };
  bool uri_chars = true;  // RFC 3986 §2: unreserved, reserved, and %HH
  for (std::size_t i = 0; i < id.size() && uri_chars; ++i) {
    const char c = id[i];
    if (c == '%') uri_chars = i + 2 < id.size() && hex(id[i + 1]) && hex(id[i + 2]);
    else uri_chars = std::isalnum(static_cast<unsigned char>(c)) || std::string_view("-._~:/?#[]@!$&'()*+,;=").find(c) != std::string_view::npos;
  }
  if (uri_chars && (starts("urn:") || starts("http://") || starts("https://"))) return id;
  return fmt::format("{}/party/{}/transformation/{}", base_url, percent_encode(party), percent_encode(id));
}

std::optional<nlohmann::json> to_epcis_event(const nlohmann::json& event, const ExportContext& context) {
  return Mapper{context}.map(event);
}

std::vector<nlohmann::json> to_epcis_events(const nlohmann::json& event, const ExportContext& context) {
  std::vector<nlohmann::json> out;
  auto declared = to_epcis_event(event, context);
  if (!declared) return out;
  out.push_back(std::move(*declared));
  if (str(event, "type") == "correction" && event.contains("replacement"))
    if (auto corrective = Mapper{context}.map(event["replacement"])) {
      (*corrective)["eventID"] = Mapper{context}.event_uri(str(event, "event_id"));
      out.push_back(std::move(*corrective));
    }
  return out;
}

nlohmann::json epcis_document(std::vector<nlohmann::json> events, const std::string& creation_date) {
  json list = json::array();
  for (auto& e : events) list.push_back(std::move(e));
  return {{"@context", json::array({kEpcisContext, {{"agtrace", kAgtraceNamespace}}})},
          {"type", "EPCISDocument"},
          {"schemaVersion", "2.0"},
          {"creationDate", creation_date},
          {"epcisBody", {{"eventList", std::move(list)}}}};
}

namespace {
// The document's own prefix declarations (agtrace's and the first of each other prefix); a
// conflicting one goes on its event as that event's @context.
json declare_prefixes(std::vector<nlohmann::json>& events,
                      const std::vector<std::map<std::string, std::string>>& prefixes) {
  json declared = {{"agtrace", kAgtraceNamespace}};
  for (std::size_t i = 0; i < events.size() && i < prefixes.size(); ++i) {
    json own = json::object();
    for (const auto& [prefix, iri] : prefixes[i]) {
      if (!declared.contains(prefix)) declared[prefix] = iri;
      else if (declared[prefix] != iri) own[prefix] = iri;  // another IRI under a prefix declared already
    }
    if (!own.empty()) events[i]["@context"] = std::move(own);
  }
  return declared;
}
}  // namespace

nlohmann::json epcis_document(std::vector<nlohmann::json> events,
                              const std::vector<std::map<std::string, std::string>>& prefixes,
                              const std::string& creation_date) {
  json declared = declare_prefixes(events, prefixes);
  json doc = epcis_document(std::move(events), creation_date);
  doc["@context"][1] = std::move(declared);
  return doc;
}

std::string canonical_epcis_document(std::vector<nlohmann::json> events,
                                     const std::vector<std::map<std::string, std::string>>& prefixes,
                                     const std::string& creation_date) {
  return canonical_epcis_document(std::move(events), prefixes, creation_date, {});
}

std::string canonical_epcis_document(std::vector<nlohmann::json> events,
                                     const std::vector<std::map<std::string, std::string>>& prefixes,
                                     const std::string& creation_date,
                                     const std::vector<const std::string*>& agtrace_events) {
  json declared = declare_prefixes(events, prefixes);
  json empty = epcis_document({}, creation_date);
  empty["@context"][1] = std::move(declared);
  // RFC 8785 sorts the members: "@context", "creationDate", "epcisBody", "schemaVersion",
  // "type"; the empty event list is the only "[]" followed by this tail.
  const std::string shell = agtrace::json::canonicalize(empty);
  static constexpr std::string_view tail = R"(]},"schemaVersion":"2.0","type":"EPCISDocument"})";
  static constexpr std::string_view list = R"("epcisBody":{"eventList":[)";
  if (shell.size() < list.size() + tail.size() || !shell.ends_with(tail) ||
      shell.compare(shell.size() - tail.size() - list.size(), list.size(), list) != 0)
    throw std::logic_error("the canonical EPCIS document does not end as RFC 8785 orders it");
  std::string out(shell, 0, shell.size() - tail.size());
  // The member "agtrace:event" with a null value, canonicalised: its text appears once in an
  // event's bytes exactly when it is that member (a quote inside a string is escaped).
  static constexpr std::string_view placeholder = R"("agtrace:event":null)";
  // Each event is written straight into the document's one buffer, not into a string of its own.
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (i) out += ',';
    const std::size_t start = out.size();
    const std::string* spliced = i < agtrace_events.size() ? agtrace_events[i] : nullptr;
    auto member = spliced && events[i].is_object() ? events[i].find("agtrace:event") : events[i].end();
    if (member != events[i].end()) {
      json saved = std::move(*member);
      *member = nullptr;
      agtrace::json::canonicalize_append(events[i], out);
      const auto at = out.find(placeholder, start);
      if (at != std::string::npos && out.find(placeholder, at + 1) == std::string::npos) {
        out.replace(at + placeholder.size() - 4, 4, *spliced);
      } else {
        out.resize(start);
        *member = std::move(saved);
        agtrace::json::canonicalize_append(events[i], out);
      }
    } else {
      agtrace::json::canonicalize_append(events[i], out);
    }
    events[i] = nullptr;  // freed as it goes
    // Room for the rest at this event's size, once: growing a document of tens of megabytes by
    // doubling copied and faulted in every page again.
    if (i == 0) out.reserve(out.size() + (out.size() - start + 1) * events.size() * 5 / 4 + tail.size());
  }
  out += tail;
  return out;
}

std::map<std::string, std::string> context_prefixes_of(const nlohmann::json& event) {
  std::map<std::string, std::string> out;
  if (event.value("type", "") == "external" && event.contains("epcis_context"))
    for (auto it = event["epcis_context"].begin(); it != event["epcis_context"].end(); ++it)
      out[it.key()] = it->get<std::string>();
  return out;
}

nlohmann::json restore_numbers(const nlohmann::json& epcis_event, const nlohmann::json& pointers) {
  json out = epcis_event;
  for (const auto& p : pointers) {
    // A pointer that is malformed or names no string (possible only in an entry recorded by
    // hand) is passed over: the member stays as recorded.
    try {
      json::json_pointer at(p.get<std::string>());
      if (out.contains(at) && out[at].is_string()) out[at] = number_of(out[at].get<std::string>());
    } catch (const json::exception&) {
    }
  }
  return out;
}

nlohmann::json normalise_numbers(const nlohmann::json& value) {
  switch (value.type()) {
    case json::value_t::number_integer: return std::to_string(value.get<std::int64_t>());
    case json::value_t::number_unsigned: return std::to_string(value.get<std::uint64_t>());
    case json::value_t::number_float: return agtrace::json::shortest_decimal(value.get<double>());
    case json::value_t::object: {
      json out = json::object();
      for (auto it = value.begin(); it != value.end(); ++it) out[it.key()] = normalise_numbers(it.value());
      return out;
    }
    case json::value_t::array: {
      json out = json::array();
      for (const auto& v : value) out.push_back(normalise_numbers(v));
      return out;
    }
    default: return value;
  }
}

nlohmann::json restore_numbers(const nlohmann::json& e) {
  json out = e;
  for (auto it = out.begin(); it != out.end(); ++it) {
    if (is_quantity_list(it.key()) && it->is_array()) {
      for (auto& q : *it)
        if (q.is_object() && q.contains("quantity") && q["quantity"].is_string()) q["quantity"] = number_of(q["quantity"]);
    } else if (it.key() == "sensorElementList" && it->is_array()) {
      for (auto& element : *it) {
        if (!element.is_object() || !element.contains("sensorReport") || !element["sensorReport"].is_array()) continue;
        for (auto& report : element["sensorReport"]) {
          if (!report.is_object()) continue;
          for (auto r = report.begin(); r != report.end(); ++r)
            if (is_sensor_number(r.key()) && r->is_string()) *r = number_of(r->get<std::string>());
        }
      }
    }
  }
  return out;
}

}  // namespace agtrace::epcis
