// The Chinese descriptions of the schemas (schema_words.h; issue 16, item 4: "where a JSON
// schema's description can reach a user, make sure the user sees Chinese").
#include "ledger/event/schema_words.h"

#include <doctest/doctest.h>

#include <functional>

#include "ledger/event/embedded_schemas.h"
#include "ledger/event/schema_validator.h"
#include "ledger/i18n/refusal.h"

using namespace agtrace;
using nlohmann::json;

TEST_CASE("every description of the event schemas has a Chinese row") {
  int described = 0;
  for (const auto& f : embedded_schemas()) {
    const std::string file(f.path);
    // The schemas a recorded event is validated against: event.schema.json, what it refers to.
    if (file != "event.schema.json" && file != "common.schema.json" && !file.starts_with("events/")) continue;
    std::function<void(const json&, const std::string&)> walk = [&](const json& node, const std::string& pointer) {
      if (node.is_object()) {
        if (node.contains("description") && !pointer.empty()) {
          INFO(file << "#" << pointer << ": " << node["description"]);
          ++described;
          auto zh = description_zh(file, pointer);
          REQUIRE(zh.has_value());
          CHECK(i18n::has_chinese(*zh));
          CHECK(description_zh(node) == zh);  // found from the node itself, as the validator finds it
        }
        for (const auto& [key, child] : node.items()) walk(child, pointer + "/" + key);
      } else if (node.is_array()) {
        for (std::size_t i = 0; i < node.size(); ++i) walk(node[i], pointer + "/" + std::to_string(i));
      }
    };
    walk(embedded_schema_json(file), "");
  }
  CHECK(described > 40);
  CHECK_FALSE(description_zh("common.schema.json", "/definitions/no_such_thing").has_value());
  CHECK_FALSE(description_zh(json::object({{"description", "not a schema node"}})).has_value());
}

TEST_CASE("a schema refusal in Chinese carries the field's Chinese description, in English the schema's") {
  SchemaValidator v("event.schema.json");
  json e = json::parse(R"({"type":"harvest","event_id":"H-1","event_time":"2022-10-05T08:30:00+08:00",
    "party":"P1","location":"L1","lot":"LC-H-1","from_lot":"LC-P-1",
    "quantity":{"value":"12,5","unit":"KGM"}})");
  try {
    v.validate(e, "line 2");
    FAIL("a quantity of 12,5 passed");
  } catch (const i18n::Refusal& r) {
    const std::string zh = r.text(i18n::Lang::zh);
    CHECK(zh.find("quantity.value") != std::string::npos);
    CHECK(zh.find("说明：不带负号的数字，最多 15 位整数、6 位小数") != std::string::npos);
    CHECK(zh.find("A non-negative decimal string") == std::string::npos);
    CHECK(r.text(i18n::Lang::en).find("A non-negative decimal string") != std::string::npos);
  }
}
