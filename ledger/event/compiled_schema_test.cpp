// CompiledSchema (the fast path of the event schema check) against valijson, the check it
// stands in for: the same verdict on every valid event of the fixtures and on thousands of
// mutations of them (members dropped, added, retyped, strings edited at the edges of the
// schemas' patterns and lengths, arrays emptied or with duplicates).
#include "ledger/event/compiled_schema.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "ledger/event/schema_validator.h"

using namespace agtrace;
using nlohmann::json;

namespace {

// Valid events, at least one of each type in schemas/events/.
std::vector<json> sample_events() {
  std::vector<json> out;
  std::ifstream in(std::filesystem::path(AGTRACE_TEST_DATA) / "fixtures" / "bundle-v1" / "jsonl" / "entries.jsonl");
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.push_back(json::parse(line).at("event"));
  for (const char* text : {
           R"({"type":"certificate_issued","event_id":"CERT-T","event_time":"2022-10-10T11:00:00+08:00","number":"LC-2022-0101","style":"producer","issuer":"CH","lot":"LC22-AN01-T","quantity":{"value":"1000","unit":"KGM"},"product":"LCDC-CB","origin":"140406-AN-P01","bases":[{"basis":"commissioned_test","evidence":["LC22-0301"]}]})",
           R"({"type":"certificate_issued","event_id":"c0","event_time":"2022-10-02T01:00:00+08:00","number":"LC-0000","style":"producer","issuer":"SDD","lot":"K1","quantity":{"value":"4","unit":"H87"},"product":"LCDC","origin":"B1","bases":[{"basis":"quality_control"}],"operator":"op-07"})",
           R"({"type":"certificate_voided","event_id":"v1","event_time":"2022-10-02T02:00:00+08:00","number":"LC-0001","reason":"数量写错"})",
           R"({"type":"certificate_received","event_id":"R-1","event_time":"2022-10-12T09:00:00+08:00","party":"TY-BUYER","number":"LC-2022-0101","issuer":"CH","issued_on":"2022-10-10","lot":"LC22-AN01-T","quantity":{"value":"1000","unit":"KGM"},"photo_sha256":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"})",
           R"({"type":"storage","event_id":"LC22-0901","event_time":"2022-10-11T08:00:00+08:00","party":"TY-BUYER","location":"140105-TY-DC01","lots":["LC22-K-0001"],"start":"2022-10-11T08:00:00+08:00","target":{"min":"0","max":"2"},"readings":[{"time":"2022-10-11T08:00:00+08:00","value":"1.0"}]})",
           R"({"type":"correction","event_id":"C-1","event_time":"2022-10-13T09:00:00+08:00","corrected_event_id":"MD-P-001","reason":"电话写错","party":"LCBRAND","replacement_event_id":"MD-P-001b","corrective_event_ids":["urn:uuid:1"]})",
           R"({"type":"key_revoked","event_id":"KR-1","event_time":"2022-10-13T10:00:00+08:00","key_id":"clerk-lucheng+471f9f4a","reason":"离职"})",
           R"({"type":"log_key_rotated","event_id":"LK-1","event_time":"2022-10-13T11:00:00+08:00","log_key":"clerk-lucheng+471f9f4a+AQ2AQhyhbGdl3iYW2kZ/r8wipdxcKpK8P2w6TA1ngO2/","reason":"轮换"})",
           R"({"type":"rules_upgraded","event_id":"RU-1","event_time":"2022-10-13T12:00:00+08:00","rules_version":7,"reason":"升级"})",
       })
    out.push_back(json::parse(text));
  return out;
}

// Values that sit at the edges of the schemas' keywords.
std::vector<json> probe_values() {
  return {"", " ", "a", "A", "0", "-", ".", "..", "LC22-K-0001", std::string(200, 'x'), std::string(4000, 'y'),
          "2022-10-05T08:30:00+08:00", "2022-10-05T08:30:00", "2022-10-05T08:30:00.123456789Z", "2022-10-05",
          "12.5", "1200.5", "12,5", "0.1234567", "1200.5 千克", "3 吨", "KGM", "H87", "中文", "a b", " a", "a ",
          "a\tb", "a\x7f", std::string("a\0b", 3), "é", "https://id.gs1.org/01/06901234567892/10/LC22",
          "https://trace.lucheng.example/c/abc", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
          "clerk-lucheng+471f9f4a", "clerk-lucheng+471f9f4a+AQ2AQhyhbGdl3iYW2kZ/r8wipdxcKpK8P2w6TA1ngO2/",
          "140406", "91140406MA0K1A2B3C", "06901234567892", "pesticide", "农药", "producer", "harvest", "party",
          0, 1, 2, -1, 14, 999, 1000, 1001, 1.5, 1e20, 18446744073709551615ULL, -9223372036854775807LL - 1, true,
          false, nullptr, json::array(), json::array({"a"}), json::array({"a", "a"}), json::object(),
          json::object({{"value", "1"}, {"unit", "KGM"}})};
}

// Every value in `doc`, by JSON pointer (the document itself included).
void paths(const json& doc, const json::json_pointer& at, std::vector<json::json_pointer>& out) {
  out.push_back(at);
  if (doc.is_object())
    for (const auto& [k, v] : doc.items()) paths(v, at / k, out);
  else if (doc.is_array())
    for (std::size_t i = 0; i < doc.size(); ++i) paths(doc[i], at / i, out);
}

// One random change of `doc`.
void mutate(json& doc, std::mt19937& rng, const std::vector<json>& values, const std::vector<json>& events) {
  std::vector<json::json_pointer> all;
  paths(doc, json::json_pointer(), all);
  const json::json_pointer at = all[rng() % all.size()];
  json& v = doc[at];
  switch (rng() % 9) {
    case 0:  // drop it
      if (!at.empty()) {
        json& parent = doc[at.parent_pointer()];
        if (parent.is_object()) parent.erase(at.back());
        else parent.erase(static_cast<std::size_t>(std::stoul(at.back())));
      }
      break;
    case 1:  // a member the schema may not allow
      if (v.is_object()) v[rng() % 2 ? "colour" : "note"] = values[rng() % values.size()];
      break;
    case 2:
    case 3:  // another value
      v = values[rng() % values.size()];
      break;
    case 4: {  // the same member of another event
      const json& other = events[rng() % events.size()];
      if (!at.empty() && other.contains(at)) v = other[at];
      break;
    }
    case 5:  // a string edited at one end
      if (v.is_string()) {
        static const std::vector<std::string> bits = {" ", "\x7f", "\t", "é", "0", "-", ".", "/", "+", "中", "a", "Z", ":"};
        auto s = v.get<std::string>();
        if (rng() % 2) s += bits[rng() % bits.size()];
        else s = bits[rng() % bits.size()] + s;
        v = s;
      }
      break;
    case 6:  // a string cut short
      if (v.is_string() && !v.get<std::string>().empty()) {
        auto s = v.get<std::string>();
        v = s.substr(0, rng() % s.size());
      }
      break;
    case 7:  // an array's element twice, or an array emptied
      if (v.is_array() && !v.empty()) {
        if (rng() % 2) v.push_back(v[rng() % v.size()]);
        else v = json::array();
      }
      break;
    default:  // a number moved
      if (v.is_number_integer()) v = v.get<std::int64_t>() + static_cast<std::int64_t>(rng() % 3) - 1;
      break;
  }
}

}  // namespace

TEST_CASE("CompiledSchema gives valijson's verdict on valid events and thousands of broken ones") {
  const std::vector<json> events = sample_events();
  const std::vector<json> values = probe_values();
  std::map<std::string, std::pair<CompiledSchema, SchemaValidator>> by_type;
  for (const auto& e : events) {
    const std::string type = e.at("type");
    const std::string file = "events/" + type + ".schema.json";
    if (!by_type.contains(type))
      by_type.emplace(std::piecewise_construct, std::forward_as_tuple(type), std::forward_as_tuple(file, file));
  }
  CHECK(by_type.size() == 27);  // every event type of schemas/events/

  std::mt19937 rng(20261207);
  std::size_t accepted = 0, refused = 0;
  for (const auto& e : events) {
    auto& [compiled, valijson] = by_type.at(e.at("type").get<std::string>());
    CAPTURE(e.dump());
    REQUIRE(valijson.accepts(e));
    CHECK(compiled.accepts(e));
    for (int round = 0; round < 400; ++round) {
      json d = e;
      for (unsigned m = 0, n = 1 + rng() % 3; m < n; ++m) mutate(d, rng, values, events);
      const bool want = valijson.accepts(d);
      (want ? accepted : refused) += 1;
      if (compiled.accepts(d) != want) {
        CAPTURE(d.dump());
        CHECK(compiled.accepts(d) == want);
      }
    }
  }
  // Both verdicts were exercised many times.
  CHECK(accepted > 2000);
  CHECK(refused > 10000);
}

TEST_CASE("CompiledSchema refuses to compile a schema with a keyword it does not implement") {
  // The EPCIS schema uses oneOf, anyOf and format, which the event schemas do not.
  CHECK_THROWS_AS(CompiledSchema("epcis/EPCIS-JSON-Schema.json"), std::logic_error);
  CHECK_NOTHROW(CompiledSchema("event.schema.json"));
  CHECK_THROWS_AS(CompiledSchema("no-such.schema.json"), std::logic_error);
}

TEST_CASE("CompiledSchema of the root event schema agrees with valijson across types") {
  CompiledSchema compiled("event.schema.json");
  SchemaValidator valijson("event.schema.json");
  std::mt19937 rng(17);
  const std::vector<json> events = sample_events();
  const std::vector<json> values = probe_values();
  for (const auto& e : events) {
    CHECK(compiled.accepts(e));
    for (int round = 0; round < 40; ++round) {
      json d = e;
      mutate(d, rng, values, events);
      if (compiled.accepts(d) != valijson.accepts(d)) {
        CAPTURE(d.dump());
        CHECK(compiled.accepts(d) == valijson.accepts(d));
      }
    }
  }
}
