// GS1's EPCIS 2.0 JSON Schema and the CBV 2.0 rules it leaves unchecked.
#include "ledger/epcis/epcis_check.h"

#include <fmt/format.h>

#include <set>
#include <string_view>

#include "ledger/event/schema_validator.h"
#include "ledger/util/error.h"

namespace agtrace::epcis {

namespace {

using json = nlohmann::json;

constexpr const char* kSchema = "epcis/EPCIS-JSON-Schema.json";

[[noreturn]] void bad(const std::string& path, const std::string& why) {
  throw_bad_input(fmt::format("field {}: {}", path, why));
}

const json& definitions() { return embedded_schema_json(kSchema)["definitions"]; }

// `node` (a schema) rewritten around two faults of valijson 1.0 (Debian 12), meaning the same:
//   - every "format" keyword moves under {"if": {"type": "string"}, "then": …}: valijson applies
//     "format" to values of any type and aborts on a non-string (JSON Schema applies it to
//     strings only), and GS1's schema puts "format" beside other types in an anyOf (@context:
//     a URI string, an object or an array);
//   - "propertyNames" goes: under the root's if/then valijson refuses every name of a valid
//     document. In GS1's schema each propertyNames admits the standard names or any string of
//     format "uri", which valijson does not check, so it admits every name there anyway;
//     check_event_rules checks what it stands for (extension names are namespaced).
json for_valijson(const json& node) {
  if (node.is_array()) {
    json out = json::array();
    for (const auto& x : node) out.push_back(for_valijson(x));
    return out;
  }
  if (!node.is_object()) return node;
  json out = json::object();
  for (auto it = node.begin(); it != node.end(); ++it) {
    const std::string& k = it.key();
    if (k == "enum" || k == "const" || k == "required" || k == "examples" || k == "default") {
      out[k] = it.value();
    } else if (k == "properties" || k == "definitions" || k == "patternProperties") {
      out[k] = json::object();
      for (auto m = it->begin(); m != it->end(); ++m) out[k][m.key()] = for_valijson(m.value());
    } else if (k == "propertyNames") {
      continue;
    } else if (k == "format" && it->is_string()) {
      out["allOf"].push_back({{"if", {{"type", "string"}}}, {"then", {{"format", it.value()}}}});
    } else {
      json v = for_valijson(it.value());
      if (k == "allOf" && out.contains("allOf"))
        for (auto& x : v) out["allOf"].push_back(std::move(x));
      else
        out[k] = std::move(v);
    }
  }
  return out;
}

const SchemaValidator& validator() {
  static const SchemaValidator v(kSchema, for_valijson(embedded_schema_json(kSchema)));
  return v;
}

// The string enum of definitions[name] (directly, or in one of its anyOf branches).
std::set<std::string> enum_of(const json& node) {
  std::set<std::string> out;
  if (node.contains("enum"))
    for (const auto& v : node["enum"]) out.insert(v.get<std::string>());
  if (node.contains("anyOf"))
    for (const auto& branch : node["anyOf"]) out.merge(enum_of(branch));
  return out;
}

const std::set<std::string>& biz_steps() {
  static const auto s = enum_of(definitions()["bizStep"]);
  return s;
}
const std::set<std::string>& dispositions() {
  static const auto s = enum_of(definitions()["disposition"]);
  return s;
}

// The standard fields of an event type: the schema's common-event-properties and the type's
// own propertyNames enum.
std::set<std::string> standard_fields(const std::string& type) {
  std::set<std::string> out = enum_of(definitions()["common-event-properties"]);
  if (definitions().contains(type))
    for (const auto& part : definitions()[type].value("allOf", json::array()))
      if (part.contains("propertyNames")) out.merge(enum_of(part["propertyNames"]));
  return out;
}

// The prefixes of the standard EPCIS 2.0 context, with their IRIs (epcis-context.jsonld).
const std::map<std::string, std::string>& standard_prefixes() {
  static const std::map<std::string, std::string> m = {
      {"epcis", "https://ref.gs1.org/epcis/"},
      {"cbv", "https://ref.gs1.org/cbv/"},
      {"cbvmda", "urn:epcglobal:cbv:mda:"},
      {"gs1", "https://gs1.org/voc/"},
      {"rdfs", "http://www.w3.org/2000/01/rdf-schema#"},
      {"owl", "http://www.w3.org/2002/07/owl#"},
      {"xsd", "http://www.w3.org/2001/XMLSchema#"},
      {"dcterms", "http://purl.org/dc/terms/"}};
  return m;
}

bool has_space(std::string_view s) {
  for (unsigned char c : s)
    if (c <= 0x20 || c == 0x7f) return true;
  return false;
}

// RFC 3986 §3.1: scheme ":" then something, and no white space.
bool is_uri(std::string_view s) {
  auto colon = s.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == s.size() || has_space(s)) return false;
  auto alpha = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); };
  if (!alpha(s[0])) return false;
  for (std::size_t i = 1; i < colon; ++i) {
    char c = s[i];
    if (!alpha(c) && !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.') return false;
  }
  return true;
}

// A CBV vocabulary value: a bare term of `terms`, its URN (`urn:epcglobal:cbv:{urn}:term`) or
// its Web URI (`https://ref.gs1.org/cbv/{web}-term`, also under ns.gs1.org), or another URI.
void check_vocabulary(const json& v, const std::string& path, const std::set<std::string>& terms,
                      const char* urn, const char* web, const char* what, const char* example) {
  const std::string s = v.get<std::string>();
  for (const std::string& prefix : {fmt::format("urn:epcglobal:cbv:{}:", urn),
                                    fmt::format("https://ref.gs1.org/cbv/{}-", web),
                                    fmt::format("https://ns.gs1.org/cbv/{}-", web)}) {
    if (s.rfind(prefix, 0) == 0) {
      const std::string term = s.substr(prefix.size());
      if (!terms.count(term))
        bad(path, fmt::format("\"{}\" is not a CBV 2.0 {}: \"{}\" is not in the CBV list; use a CBV term "
                              "(e.g. \"{}\") or the partner's own URI",
                              s, what, term, example));
      // GS1's EPCIS 2.0 JSON schema (vocab-other-uri) refuses the URN and ns.gs1.org forms:
      // in JSON a CBV term is written bare.
      if (prefix[0] != 'h' || prefix.find("ns.gs1.org") != std::string::npos)
        bad(path, fmt::format("\"{}\" is the CBV {} \"{}\" in a form EPCIS 2.0 JSON does not allow (GS1's "
                              "schema refuses urn:epcglobal:cbv and https://ns.gs1.org/cbv/ values); write the "
                              "bare term \"{}\"",
                              s, what, term, term));
      return;
    }
  }
  if (terms.count(s) || is_uri(s)) return;
  bad(path, fmt::format("\"{}\" is neither a CBV 2.0 {} nor a URI; use a CBV term (e.g. \"{}\") or a URI "
                        "for the partner's own term (e.g. \"https://partner.example/{}/{}\")",
                        s.size() > 60 ? s.substr(0, 57) + "..." : s, what, example, urn,
                        s.find_first_of(" \t") == std::string::npos && !s.empty() ? s : "my_term"));
}

// A member name that is namespaced: a CURIE with a declared (or standard) prefix, or an
// absolute IRI.
void check_namespaced(const std::string& name, const std::string& path,
                      const std::map<std::string, std::string>& prefixes) {
  if (name.rfind("http://", 0) == 0 || name.rfind("https://", 0) == 0 || name.rfind("urn:", 0) == 0) return;
  auto colon = name.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == name.size())
    bad(path, fmt::format("\"{}\" is not an EPCIS 2.0 field here, and an extension field must be namespaced: "
                          "name it \"prefix:{}\" and declare the prefix in the document's @context "
                          "(e.g. {{\"prefix\": \"https://partner.example/epcis/\"}}), or fix its spelling",
                          name, name));
  const std::string prefix = name.substr(0, colon);
  if (!prefixes.count(prefix) && !standard_prefixes().count(prefix))
    bad(path, fmt::format("the prefix \"{}\" of extension field \"{}\" is not declared in the document's "
                          "@context; add {{\"{}\": \"https://…/\"}} (the partner's namespace IRI) to @context",
                          prefix, name, prefix));
}

}  // namespace

std::map<std::string, std::string> context_prefixes(const nlohmann::json& context) {
  std::map<std::string, std::string> out;
  auto add = [&out](const json& entry) {
    if (!entry.is_object()) return;
    for (auto it = entry.begin(); it != entry.end(); ++it)
      if (it->is_string() && !it.key().empty() && it.key()[0] != '@') out[it.key()] = it->get<std::string>();
  };
  if (context.is_array())
    for (const auto& e : context) add(e);
  else
    add(context);
  return out;
}

void check_document(const nlohmann::json& doc) {
  // Protected terms of the standard context: its prefixes (an identical redefinition is allowed
  // in JSON-LD 1.1) and the standard field names.
  static const std::set<std::string> fields = [] {
    std::set<std::string> all;
    for (const char* t : {"ObjectEvent", "AggregationEvent", "TransformationEvent", "AssociationEvent",
                          "TransactionEvent"})
      all.merge(standard_fields(t));
    for (const char* f : {"id", "type", "epcisBody", "eventList", "epcisHeader", "schemaVersion", "creationDate",
                          "quantity", "uom", "epcClass", "set", "unset", "declarationTime", "reason",
                          "correctiveEventIDs", "sensorMetadata", "sensorReport", "value"})
      all.insert(f);
    return all;
  }();
  const json& context = doc["@context"];
  auto entries = context.is_array() ? context : json::array({context});
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (!entries[i].is_object()) continue;
    const std::string at = context.is_array() ? fmt::format("@context[{}]", i) : "@context";
    for (auto it = entries[i].begin(); it != entries[i].end(); ++it) {
      const std::string path = at + "." + it.key();
      if (auto std = standard_prefixes().find(it.key()); std != standard_prefixes().end()) {
        if (!(it->is_string() && it->get<std::string>() == std->second))
          bad(path, fmt::format("redefines \"{}\", a protected term of the standard EPCIS 2.0 context (\"{}\"); "
                                "remove this entry, or declare the partner's namespace under another prefix",
                                it.key(), std->second));
      } else if (fields.count(it.key())) {
        bad(path, fmt::format("redefines \"{}\", a protected term of the standard EPCIS 2.0 context; remove this "
                              "entry (an extension needs a prefix of its own, e.g. \"ex:{}\")",
                              it.key(), it.key()));
      }
    }
  }
  json shell = json::object();
  for (auto it = doc.begin(); it != doc.end(); ++it)
    if (it.key() != "epcisBody") shell[it.key()] = it.value();
  shell["epcisBody"] = json::object();
  for (auto it = doc["epcisBody"].begin(); it != doc["epcisBody"].end(); ++it)
    shell["epcisBody"][it.key()] = it.key() == "eventList" ? json::array() : it.value();
  validator().validate(shell, "EPCIS 2.0 JSON Schema");
}

void check_event_rules(const nlohmann::json& doc, const nlohmann::json& e, const std::string& at) {
  const std::string type = e["type"];
  const auto prefixes = context_prefixes(doc["@context"]);
  if (type == "ObjectEvent" && !e.contains("epcList") && !e.contains("quantityList"))
    bad(at + ".epcList", "missing: an ObjectEvent names what it is about in epcList (instances) or quantityList "
                         "(classes with quantities); add one of them");
  for (const char* list : {"quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList"}) {
    if (!e.contains(list)) continue;
    for (std::size_t i = 0; i < e[list].size(); ++i)
      for (auto it = e[list][i].begin(); it != e[list][i].end(); ++it)
        if (it.key() != "epcClass" && it.key() != "quantity" && it.key() != "uom")
          bad(fmt::format("{}.{}[{}].{}", at, list, i, it.key()),
              "not allowed: a quantity element holds only epcClass, quantity and uom (EPCIS 2.0 §7.3.3); "
              "remove it or fix its spelling");
  }
  if (e.contains("bizStep"))
    check_vocabulary(e["bizStep"], at + ".bizStep", biz_steps(), "bizstep", "BizStep", "business step", "shipping");
  if (e.contains("disposition"))
    check_vocabulary(e["disposition"], at + ".disposition", dispositions(), "disp", "Disp", "disposition",
                     "in_transit");
  if (e.contains("persistentDisposition"))
    for (const char* part : {"set", "unset"})
      if (e["persistentDisposition"].contains(part))
        for (std::size_t i = 0; i < e["persistentDisposition"][part].size(); ++i)
          check_vocabulary(e["persistentDisposition"][part][i],
                           fmt::format("{}.persistentDisposition.{}[{}]", at, part, i), dispositions(), "disp",
                           "Disp", "disposition", "recalled");
  const auto fields = standard_fields(type);
  for (auto it = e.begin(); it != e.end(); ++it)
    if (!fields.count(it.key())) check_namespaced(it.key(), at + "." + it.key(), prefixes);
  if (e.contains("ilmd"))
    for (auto it = e["ilmd"].begin(); it != e["ilmd"].end(); ++it)
      check_namespaced(it.key(), at + ".ilmd." + it.key(), prefixes);

  // GS1's schema on the event alone in a copy of its document (so its paths name this event).
  json one = json::object();
  for (auto it = doc.begin(); it != doc.end(); ++it)
    if (it.key() != "epcisBody") one[it.key()] = it.value();
  one["epcisBody"] = {{"eventList", json::array({e})}};
  try {
    validator().validate(one, "EPCIS 2.0 JSON Schema");
  } catch (const Error& error) {
    std::string message = error.what();
    const std::string first = "epcisBody.eventList[0]";
    if (auto p = message.find(first); p != std::string::npos) message.replace(p, first.size(), at);
    throw_bad_input(message);
  }
}

}  // namespace agtrace::epcis
