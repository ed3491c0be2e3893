// CBV 2.0 §8.9 EPCIS Event Hash ID: the pre-hash string and its digest.
#include "ledger/epcis/epcis_hash.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <set>
#include <string_view>
#include <vector>

#include "ledger/json/jcs.h"
#include "ledger/time/timestamp.h"
#include "ledger/util/error.h"
#include "ledger/util/sha256.h"

namespace agtrace::epcis {

namespace {

using json = nlohmann::json;
using Prefixes = std::map<std::string, std::string>;

std::string trim(std::string_view s) {
  auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return "";
  auto e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// GS1 mod-10 check digit of `digits` (General Specifications §7.9).
char check_digit(std::string_view digits) {
  int sum = 0;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    int weight = ((digits.size() - i) % 2 == 1) ? 3 : 1;  // rightmost digit weighs 3
    sum += (digits[i] - '0') * weight;
  }
  return static_cast<char>('0' + (10 - sum % 10) % 10);
}

std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> out;
  std::size_t at = 0;
  for (;;) {
    auto next = s.find(sep, at);
    out.emplace_back(s.substr(at, next == std::string_view::npos ? std::string_view::npos : next - at));
    if (next == std::string_view::npos) return out;
    at = next + 1;
  }
}

// EPC URIs (TDS 2.0 §6) as canonical Digital Links, for the schemes that carry a GS1 key.
std::optional<std::string> epc_to_digital_link(std::string_view uri) {
  auto scheme_rest = [&](std::string_view prefix) -> std::optional<std::vector<std::string>> {
    if (uri.substr(0, prefix.size()) != prefix) return std::nullopt;
    return split(uri.substr(prefix.size()), '.');
  };
  const std::string dl = "https://id.gs1.org/";
  if (auto p = scheme_rest("urn:epc:id:sgtin:"); p && p->size() == 3 && all_digits((*p)[0]) && all_digits((*p)[1]) &&
                                                  (*p)[0].size() + (*p)[1].size() == 13) {
    std::string g = (*p)[1].substr(0, 1) + (*p)[0] + (*p)[1].substr(1);
    return dl + "01/" + g + check_digit(g) + "/21/" + (*p)[2];
  }
  if (auto p = scheme_rest("urn:epc:class:lgtin:"); p && p->size() == 3 && all_digits((*p)[0]) &&
                                                    all_digits((*p)[1]) && (*p)[0].size() + (*p)[1].size() == 13) {
    std::string g = (*p)[1].substr(0, 1) + (*p)[0] + (*p)[1].substr(1);
    return dl + "01/" + g + check_digit(g) + "/10/" + (*p)[2];
  }
  if (auto p = scheme_rest("urn:epc:id:sscc:"); p && p->size() == 2 && all_digits((*p)[0]) && all_digits((*p)[1]) &&
                                                 (*p)[0].size() + (*p)[1].size() == 17) {
    std::string s = (*p)[1].substr(0, 1) + (*p)[0] + (*p)[1].substr(1);
    return dl + "00/" + s + check_digit(s);
  }
  if (auto p = scheme_rest("urn:epc:id:sgln:"); p && p->size() == 3 && all_digits((*p)[0]) &&
                                                 (*p)[0].size() + (*p)[1].size() == 12 &&
                                                 ((*p)[1].empty() || all_digits((*p)[1]))) {
    std::string g = (*p)[0] + (*p)[1];
    std::string out = dl + "414/" + g + check_digit(g);
    if ((*p)[2] != "0") out += "/254/" + (*p)[2];
    return out;
  }
  if (auto p = scheme_rest("urn:epc:id:grai:"); p && p->size() == 3 && all_digits((*p)[0]) &&
                                                 (*p)[0].size() + (*p)[1].size() == 12 &&
                                                 ((*p)[1].empty() || all_digits((*p)[1]))) {
    std::string g = "0" + (*p)[0] + (*p)[1];
    return dl + "8003/" + g + check_digit(g) + (*p)[2];
  }
  if (auto p = scheme_rest("urn:epc:id:giai:"); p && p->size() == 2 && all_digits((*p)[0]))
    return dl + "8004/" + (*p)[0] + (*p)[1];
  return std::nullopt;
}

// A Digital Link on any host as a constrained canonical one: host id.gs1.org, no query or
// fragment, only the primary key and its finest qualifier (CBV 2.0 §8.9 rule 18).
std::optional<std::string> constrain_digital_link(std::string_view uri) {
  if (uri.substr(0, 8) != "https://" && uri.substr(0, 7) != "http://") return std::nullopt;
  auto cut = uri.find_first_of("?#");
  std::string_view base = uri.substr(0, cut);
  auto path = base.find('/', base.find("//") + 2);
  if (path == std::string_view::npos) return std::nullopt;
  auto seg = split(base.substr(path + 1), '/');
  static const std::set<std::string> keys = {"00",  "01",   "253",  "255",  "401",  "402",  "414",
                                             "417", "8003", "8004", "8006", "8010", "8017", "8018"};
  for (std::size_t i = 0; i + 1 < seg.size(); ++i) {
    if (!keys.count(seg[i]) || seg[i + 1].empty()) continue;
    if ((seg[i] == "01" || seg[i] == "00" || seg[i] == "414") && !all_digits(seg[i + 1])) return std::nullopt;
    std::string key = seg[i], value = seg[i + 1];
    if (key == "01") value = std::string(14 - std::min<std::size_t>(14, value.size()), '0') + value;
    std::map<std::string, std::string> q;
    for (std::size_t k = i + 2; k + 1 < seg.size(); k += 2) q[seg[k]] = seg[k + 1];
    std::string out = "https://id.gs1.org/" + key + "/" + value;
    auto take = [&](std::initializer_list<const char*> finest) {
      for (const char* f : finest)
        if (q.count(f)) {
          out += fmt::format("/{}/{}", f, q[f]);
          return;
        }
    };
    if (key == "01") take({"21", "10", "235"});
    else if (key == "414") take({"254"});
    else if (key == "8006") take({"21", "10"});
    else if (key == "8010") take({"8011"});
    return out;
  }
  return std::nullopt;
}

// A decimal number without trailing zeros ("10.50" → "10.5", "1.0" → "1"); other text as is.
std::string numeric(const std::string& s) {
  if (s.empty()) return s;
  std::size_t i = (s[0] == '-' || s[0] == '+') ? 1 : 0;
  bool digits = false, ok = i < s.size();
  for (std::size_t k = i; k < s.size() && ok; ++k) {
    char c = s[k];
    if (c >= '0' && c <= '9') digits = true;
    else if (c != '.' && c != 'e' && c != 'E' && !((c == '-' || c == '+') && (s[k - 1] == 'e' || s[k - 1] == 'E')))
      ok = false;
  }
  if (!ok || !digits) return s;
  char* end = nullptr;
  double d = std::strtod(s.c_str(), &end);
  if (*end != '\0') return s;
  if (s.find_first_of(".eE") == std::string::npos && s.size() <= 15) return std::to_string(std::strtoll(s.c_str(), nullptr, 10));
  return agtrace::json::shortest_decimal(d);
}

// CBV vocabularies: their urn:epcglobal:cbv URNs and Web URI stems.
struct Vocabulary {
  const char* urn;
  const char* web;
};
constexpr Vocabulary kBizStep{"bizstep", "BizStep"}, kDisp{"disp", "Disp"}, kBtt{"btt", "BTT"}, kSdt{"sdt", "SDT"},
    kEr{"er", "ER"};

// urn:epcglobal:cbv:{urn}:x and https://ns.gs1.org/cbv/{web}-x → https://ref.gs1.org/cbv/{web}-x.
std::string cbv_web_uri(const std::string& s) {
  for (const auto& v : {kBizStep, kDisp, kBtt, kSdt, kEr}) {
    const std::string urn = fmt::format("urn:epcglobal:cbv:{}:", v.urn);
    if (s.rfind(urn, 0) == 0) return fmt::format("https://ref.gs1.org/cbv/{}-{}", v.web, s.substr(urn.size()));
  }
  if (s.rfind("https://ns.gs1.org/cbv/", 0) == 0) return "https://ref.gs1.org/cbv/" + s.substr(23);
  return s;
}

struct Hasher {
  const Prefixes& prefixes;

  std::optional<std::string> expand_curie(const std::string& s) const {
    auto colon = s.find(':');
    if (colon == std::string::npos || s.compare(colon, 3, "://") == 0) return std::nullopt;
    const std::string prefix = s.substr(0, colon);
    static const Prefixes standard = {{"gs1", "https://gs1.org/voc/"},
                                      {"cbv", "https://ref.gs1.org/cbv/"},
                                      {"epcis", "https://ref.gs1.org/epcis/"}};
    if (auto it = prefixes.find(prefix); it != prefixes.end()) return it->second + s.substr(colon + 1);
    if (auto it = standard.find(prefix); it != standard.end()) return it->second + s.substr(colon + 1);
    return std::nullopt;
  }

  // Any value: trimmed, CBV URNs as Web URIs, CURIEs expanded, numbers without trailing
  // zeros, EPC URIs and Digital Links canonical.
  std::string value(const json& v) const {
    std::string s = v.is_string() ? trim(v.get<std::string>()) : v.is_boolean() ? (v.get<bool>() ? "true" : "false")
                                                                                 : v.dump();
    if (v.is_number()) s = v.is_number_float() ? agtrace::json::shortest_decimal(v.get<double>()) : v.dump();
    s = cbv_web_uri(s);
    if (auto d = epc_to_digital_link(s)) return *d;
    if (auto d = constrain_digital_link(s)) return *d;
    if (auto c = expand_curie(s)) return *c;
    return numeric(s);
  }
  // A CBV vocabulary value: a bare term becomes its Web URI.
  std::string vocabulary(const json& v, const Vocabulary& voc) const {
    std::string s = trim(v.is_string() ? v.get<std::string>() : v.dump());
    if (!s.empty() && s.find(':') == std::string::npos) return fmt::format("https://ref.gs1.org/cbv/{}-{}", voc.web, s);
    return value(json(s));
  }
  // A time value in UTC with milliseconds; a value that is no RFC 3339 date-time (an
  // extension named "…time…" may hold anything) as any other value.
  std::string time(const json& v) const {
    const std::string text = trim(v.is_string() ? v.get<std::string>() : v.dump());
    agtrace::time::Timestamp ts;
    try {
      ts = agtrace::time::parse_rfc3339(text, "time");
    } catch (const Error&) {
      return value(v);
    }
    std::int64_t ms = ts.unix_ms;
    // The 4th fraction digit rounds the 3rd (unix_ms truncates).
    if (auto dot = text.find('.'); dot != std::string::npos && dot + 4 < text.size() && text[dot + 4] >= '5' &&
                                   text[dot + 4] <= '9')
      ms += ts.unix_ms >= 0 ? 1 : -1;
    std::string out = agtrace::time::format_utc(ms);
    if (out.find('.') == std::string::npos) out.insert(out.size() - 1, ".000");
    return out;
  }
  std::string name(const std::string& key) const {
    auto colon = key.find(':');
    if (colon != std::string::npos && key.compare(colon, 3, "://") != 0)
      if (auto full = expand_curie(key)) {
        // "{namespace}local": the namespace IRI as declared, the local name after the colon.
        std::string ns = full->substr(0, full->size() - (key.size() - colon - 1));
        return "{" + ns + "}" + key.substr(colon + 1);
      }
    return key;
  }
  static bool is_time_key(const std::string& key) {
    std::string lower = key;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    return lower.find("time") != std::string::npos && lower.find("offset") == std::string::npos;
  }

  // Extension member(s) `key` holding `v`: "{ns}local=value", or "{ns}local" + its members;
  // an array gives one entry per element. Appended to `out` (sorted by the caller).
  void extension(const std::string& key, const json& v, std::vector<std::string>& out) const {
    if (v.is_array()) {
      for (const auto& item : v) extension(key, item, out);
      return;
    }
    const std::string n = name(key);
    if (v.is_object()) {
      std::vector<std::string> inner;
      for (auto it = v.begin(); it != v.end(); ++it) {
        if (it.key() == "#text") {
          inner.push_back("=" + value(it.value()));
          continue;
        }
        if (!it.key().empty() && it.key()[0] == '@') continue;
        extension(it.key(), it.value(), inner);
      }
      std::sort(inner.begin(), inner.end());
      std::string joined;
      for (const auto& s : inner) joined += s;
      out.push_back(n + joined);
      return;
    }
    if (v.is_null()) return;
    std::string text = is_time_key(key) && v.is_string() ? time(v) : value(v);
    out.push_back(text.empty() ? n : n + "=" + text);
  }

  static std::string sorted_join(std::vector<std::string> parts) {
    std::sort(parts.begin(), parts.end());
    std::string out;
    for (const auto& p : parts) out += p;
    return out;
  }

  // The extension members of a standard structure (members not in `known`), sorted.
  std::string extensions_of(const json& o, const std::set<std::string>& known) const {
    std::vector<std::string> parts;
    for (auto it = o.begin(); it != o.end(); ++it)
      if (!known.count(it.key())) extension(it.key(), it.value(), parts);
    return sorted_join(parts);
  }

  // Members of `o` in `order` as key=value (times normalised), then its extensions.
  std::string ordered(const json& o, const std::vector<std::string>& order, const std::map<std::string, Vocabulary>& vocab = {}) const {
    std::string out;
    for (const auto& k : order) {
      if (!o.contains(k) || o[k].is_null()) continue;
      const json& v = o[k];
      std::string text;
      if (auto voc = vocab.find(k); voc != vocab.end()) text = vocabulary(v, voc->second);
      else if (is_time_key(k) && v.is_string()) text = time(v);
      else if (v.is_object() || v.is_array()) {
        std::vector<std::string> parts;
        extension(k, v, parts);
        out += sorted_join(parts);
        continue;
      } else text = value(v);
      if (!text.empty()) out += k + "=" + text;
    }
    return out + extensions_of(o, std::set<std::string>(order.begin(), order.end()));
  }

  std::string prehash(const json& e) const {
    std::string out = "eventType=" + e.value("type", "");
    if (e.contains("eventTime")) out += "eventTime=" + time(e["eventTime"]);
    if (e.contains("eventTimeZoneOffset")) out += "eventTimeZoneOffset=" + trim(e["eventTimeZoneOffset"].get<std::string>());
    auto epc_list = [&](const char* list) {
      if (!e.contains(list) || !e[list].is_array() || e[list].empty()) return;
      std::vector<std::string> parts;
      for (const auto& x : e[list]) parts.push_back("epc=" + value(x));
      out += list + sorted_join(parts);
    };
    auto quantity_list = [&](const char* list) {
      if (!e.contains(list) || !e[list].is_array() || e[list].empty()) return;
      std::vector<std::string> parts;
      for (const auto& q : e[list]) parts.push_back("quantityElement" + ordered(q, {"epcClass", "quantity", "uom"}));
      out += list + sorted_join(parts);
    };
    epc_list("epcList");
    if (e.contains("parentID")) out += "parentID=" + value(e["parentID"]);
    epc_list("inputEPCList");
    epc_list("childEPCs");
    quantity_list("quantityList");
    quantity_list("childQuantityList");
    quantity_list("inputQuantityList");
    epc_list("outputEPCList");
    quantity_list("outputQuantityList");
    for (const char* f : {"action", "transformationID"})
      if (e.contains(f)) out += std::string(f) + "=" + value(e[f]);
    if (e.contains("bizStep")) out += "bizStep=" + vocabulary(e["bizStep"], kBizStep);
    if (e.contains("disposition")) out += "disposition=" + vocabulary(e["disposition"], kDisp);
    if (e.contains("persistentDisposition")) {
      std::string pd;
      for (const char* part : {"set", "unset"}) {
        std::vector<std::string> parts;
        for (const auto& d : e["persistentDisposition"].value(part, json::array()))
          parts.push_back(std::string(part) + "=" + vocabulary(d, kDisp));
        pd += sorted_join(parts);
      }
      if (!pd.empty()) out += "persistentDisposition" + pd;
    }
    for (const char* f : {"readPoint", "bizLocation"})
      if (e.contains(f) && e[f].is_object()) out += f + ordered(e[f], {"id"});
    auto typed_list = [&](const char* list, const char* member, const Vocabulary& voc) {
      if (!e.contains(list) || !e[list].is_array() || e[list].empty()) return;
      std::vector<std::string> parts;
      for (const auto& x : e[list]) {
        // The identifier, then its type (rule 13).
        std::string p = std::string(member) + "=" + value(x.value(member, json("")));
        if (x.contains("type")) p += "type=" + vocabulary(x["type"], voc);
        parts.push_back(p + extensions_of(x, {member, "type"}));
      }
      out += list + sorted_join(parts);
    };
    typed_list("bizTransactionList", "bizTransaction", kBtt);
    typed_list("sourceList", "source", kSdt);
    typed_list("destinationList", "destination", kSdt);
    if (e.contains("sensorElementList") && e["sensorElementList"].is_array() && !e["sensorElementList"].empty()) {
      static const std::vector<std::string> metadata = {"time",          "startTime", "endTime",
                                                        "deviceID",      "deviceMetadata", "rawData",
                                                        "dataProcessingMethod", "bizRules"};
      static const std::vector<std::string> report = {
          "type",      "exception",      "deviceID",     "deviceMetadata", "rawData", "dataProcessingMethod",
          "time",      "microorganism",  "chemicalSubstance", "value",      "component", "stringValue",
          "booleanValue", "hexBinaryValue", "uriValue", "minValue",     "maxValue", "meanValue",
          "sDev",      "percRank",       "percValue",    "uom",            "coordinateReferenceSystem"};
      std::vector<std::string> elements;
      for (const auto& s : e["sensorElementList"]) {
        std::string el = "sensorElement";
        if (s.contains("sensorMetadata")) el += "sensorMetadata" + ordered(s["sensorMetadata"], metadata);
        std::vector<std::string> reports;
        for (const auto& r : s.value("sensorReport", json::array())) {
          json typed = r;
          // A bare sensor type is a GS1 Web Vocabulary term (the EPCIS context's @vocab for it).
          if (typed.contains("type") && typed["type"].is_string() &&
              typed["type"].get<std::string>().find(':') == std::string::npos)
            typed["type"] = "https://gs1.org/voc/" + typed["type"].get<std::string>();
          reports.push_back("sensorReport" + ordered(typed, report));
        }
        el += sorted_join(reports) + extensions_of(s, {"sensorMetadata", "sensorReport"});
        elements.push_back(el);
      }
      out += "sensorElementList" + sorted_join(elements);
    }
    if (e.contains("ilmd") && e["ilmd"].is_object() && !e["ilmd"].empty()) out += "ilmd" + extensions_of(e["ilmd"], {});
    static const std::set<std::string> standard = {
        "@context",         "type",           "eventTime",          "eventTimeZoneOffset", "recordTime",
        "eventID",          "certificationInfo", "epcList",         "parentID",            "inputEPCList",
        "childEPCs",        "quantityList",   "childQuantityList",  "inputQuantityList",   "outputEPCList",
        "outputQuantityList", "action",       "transformationID",   "bizStep",             "disposition",
        "persistentDisposition", "readPoint", "bizLocation",        "bizTransactionList",  "sourceList",
        "destinationList",  "sensorElementList", "ilmd",            "errorDeclaration"};
    out += extensions_of(e, standard);
    if (e.contains("errorDeclaration") && e["errorDeclaration"].is_object()) {
      const json& d = e["errorDeclaration"];
      std::string ed = "errorDeclaration";
      if (d.contains("declarationTime")) ed += "declarationTime=" + time(d["declarationTime"]);
      if (d.contains("reason")) ed += "reason=" + vocabulary(d["reason"], kEr);
      if (d.contains("correctiveEventIDs")) {
        std::vector<std::string> ids;
        for (const auto& id : d["correctiveEventIDs"]) ids.push_back("correctiveEventID=" + value(id));
        ed += "correctiveEventIDs" + sorted_join(ids);
      }
      out += ed + extensions_of(d, {"declarationTime", "reason", "correctiveEventIDs"});
    }
    return out;
  }
};

}  // namespace

std::string event_prehash(const nlohmann::json& event, const std::map<std::string, std::string>& prefixes) {
  return Hasher{prefixes}.prehash(event);
}

std::string event_hash_id(const nlohmann::json& event, const std::map<std::string, std::string>& prefixes) {
  return "ni:///sha-256;" + hex_encode(sha256(as_bytes(event_prehash(event, prefixes)))) + "?ver=CBV2.0";
}

}  // namespace agtrace::epcis
