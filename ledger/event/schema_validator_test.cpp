#include "ledger/event/schema_validator.h"

#include <doctest/doctest.h>

#include "ledger/event/embedded_schemas.h"
#include "ledger/event/lot_code.h"
#include "ledger/util/error.h"

using namespace agtrace;
using nlohmann::json;

namespace {
std::string failure(const SchemaValidator& v, const json& doc) {
  try {
    v.validate(doc, "line 1");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::bad_input);
    return e.what();
  }
  return "";
}

json harvest() {
  return json::parse(R"({"type":"harvest","event_id":"H-1","event_time":"2022-10-05T08:30:00+08:00",
    "party":"P1","location":"L1","lot":"LC-H-1","from_lot":"LC-P-1",
    "quantity":{"value":"1200.5","unit":"KGM"}})");
}
}  // namespace

TEST_CASE("every schemas/ file is embedded and parses") {
  CHECK(embedded_schemas().size() >= 24);
  for (const auto& f : embedded_schemas()) CHECK_NOTHROW(embedded_schema_json(f.path));
}

TEST_CASE("a valid harvest passes; each broken field is named") {
  SchemaValidator v("event.schema.json");
  CHECK(failure(v, harvest()) == "");

  json e = harvest();
  e["quantity"]["value"] = "12,5";
  CHECK(failure(v, e).find("quantity.value") != std::string::npos);

  e = harvest();
  e["event_time"] = "2022-10-05T08:30:00";
  CHECK(failure(v, e).find("event_time") != std::string::npos);

  e = harvest();
  e.erase("from_lot");
  CHECK(failure(v, e).find("from_lot") != std::string::npos);

  e = harvest();
  e["colour"] = "green";
  CHECK(failure(v, e).find("colour") != std::string::npos);

  e = harvest();
  e["type"] = "harvesting";
  CHECK(failure(v, e).find("type") != std::string::npos);
}

TEST_CASE("a pesticide application must carry its pre-harvest interval") {
  SchemaValidator v("event.schema.json");
  json e = json::parse(R"({"type":"input_application","event_id":"A-1",
    "event_time":"2022-07-01T09:00:00+08:00","party":"P1","location":"L1","lot":"LC-P-1",
    "input_kind":"pesticide","input_name":"吡虫啉","registration_no":"PD20121234"})");
  CHECK(failure(v, e).find("pre_harvest_interval_days") != std::string::npos);
  e["pre_harvest_interval_days"] = 14;
  CHECK(failure(v, e) == "");
}

// Found by fuzz/router_fuzz.cpp: a lot whose id is "." or ".." was its own code, so its
// Digital Link held a dot segment, which a phone's browser removes (the scan opened another
// address) and the verifier refuses with 400.
TEST_CASE("lot ids \".\" and \"..\" are not their own GS1 code: they would be dot segments") {
  CHECK_FALSE(is_gs1_safe("."));
  CHECK_FALSE(is_gs1_safe(".."));
  CHECK(is_gs1_safe("..."));
  CHECK(is_gs1_safe(".A"));
  CHECK(is_gs1_safe("LC22-K-0001"));
  CHECK(derived_lot_code("..", 0).starts_with("Z"));
}

TEST_CASE("EventSchemaValidator gives SchemaValidator's verdict and message, and accepts() its verdict") {
  SchemaValidator root("event.schema.json");
  EventSchemaValidator fast;
  auto fast_failure = [&](const json& doc) {
    try {
      fast.validate(doc, "line 1");
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::bad_input);
      return std::string(e.what());
    }
    return std::string();
  };
  std::vector<json> docs;
  docs.push_back(harvest());                                   // valid, a delegated type
  docs.push_back(harvest());
  docs.back()["quantity"]["value"] = "12,5";                   // its own schema fails
  docs.push_back(harvest());
  docs.back().erase("lot");                                    // a required field missing
  docs.push_back(harvest());
  docs.back()["type"] = "harvested";                           // no such type
  docs.push_back(harvest());
  docs.back()["type"] = 7;                                     // not a string
  docs.push_back(harvest());
  docs.back().erase("type");
  docs.push_back(json::array());                               // not an object
  for (const auto& d : docs) {
    CAPTURE(d.dump());
    const std::string want = failure(root, d);
    CHECK(fast_failure(d) == want);
    CHECK(root.accepts(d) == want.empty());
  }
  CHECK(failure(root, docs[0]) == "");
  for (std::size_t i = 1; i < docs.size(); ++i) CHECK(failure(root, docs[i]) != "");
}
