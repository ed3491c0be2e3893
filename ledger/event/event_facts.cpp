// The DESIGN §2 table of event types, as facts about lots and master data.
#include "ledger/event/event_facts.h"

#include <fmt/format.h>

namespace agtrace {

namespace {

void mention(EventFacts& f, const nlohmann::json& e, const char* kind, const char* field) {
  if (e.contains(field)) f.mentions.push_back({kind, e[field].get<std::string>(), field});
}

void use_lot_list(EventFacts& f, const nlohmann::json& e) {
  const auto& lots = e["lots"];
  for (std::size_t i = 0; i < lots.size(); ++i) {
    const auto& item = lots[i];
    std::string lot = item.is_object() ? item["lot"].get<std::string>() : item.get<std::string>();
    std::string field = item.is_object() ? fmt::format("lots[{}].lot", i) : fmt::format("lots[{}]", i);
    f.uses.push_back({lot, field});
  }
}

std::optional<std::string> optional_string(const nlohmann::json& e, const char* field) {
  if (!e.contains(field)) return std::nullopt;
  return e[field].get<std::string>();
}

}  // namespace

bool is_log_key_event(const std::string& type) {
  return type == "log_init" || type == "key_added" || type == "key_revoked";
}

EventFacts facts_of(const nlohmann::json& e) {
  EventFacts f;
  const std::string type = e["type"].get<std::string>();
  mention(f, e, "party", "party");
  mention(f, e, "location", "location");

  if (type == "party") {
    f.defines = {"party", e["party_id"].get<std::string>()};
  } else if (type == "location") {
    f.defines = {"location", e["location_id"].get<std::string>()};
    mention(f, e, "party", "owner");
    mention(f, e, "location", "parent");
  } else if (type == "product") {
    f.defines = {"product", e["product_id"].get<std::string>()};
    mention(f, e, "party", "owner");
  } else if (type == "key_added") {
    mention(f, e, "party", "holder");
  } else if (type == "planting") {
    f.creates.push_back({e["lot"], "lot", e["product"].get<std::string>(), std::nullopt});
    mention(f, e, "product", "product");
  } else if (type == "input_application") {
    f.uses.push_back({e["lot"], "lot"});
  } else if (type == "harvest") {
    f.uses.push_back({e["from_lot"], "from_lot"});
    f.creates.push_back({e["lot"], "lot", optional_string(e, "product"), e["quantity"]});
    f.lineage.emplace_back(e["from_lot"], e["lot"]);
    mention(f, e, "product", "product");
  } else if (type == "transformation") {
    const auto& in = e["inputs"];
    const auto& out = e["outputs"];
    for (std::size_t i = 0; i < in.size(); ++i) {
      std::string field = fmt::format("inputs[{}].lot", i);
      f.uses.push_back({in[i]["lot"], field});
      f.consumes.push_back({in[i]["lot"], fmt::format("inputs[{}].quantity", i), in[i]["quantity"]});
    }
    for (std::size_t i = 0; i < out.size(); ++i) {
      std::string field = fmt::format("outputs[{}].lot", i);
      f.creates.push_back({out[i]["lot"], field, optional_string(out[i], "product"), out[i]["quantity"]});
      if (out[i].contains("product"))
        f.mentions.push_back({"product", out[i]["product"], fmt::format("outputs[{}].product", i)});
      for (const auto& input : in) f.lineage.emplace_back(input["lot"], out[i]["lot"]);
    }
  } else if (type == "packing") {
    f.uses.push_back({e["input_lot"], "input_lot"});
    f.consumes.push_back({e["input_lot"], "input_quantity", e["input_quantity"]});
    nlohmann::json made = {{"value", std::to_string(e["count"].get<long long>())}, {"unit", "H87"}};
    f.creates.push_back({e["lot"], "lot", optional_string(e, "product"), made});
    f.lineage.emplace_back(e["input_lot"], e["lot"]);
    mention(f, e, "product", "product");
  } else if (type == "labels_issued" || type == "labels_reprinted" || type == "labels_voided") {
    f.uses.push_back({e["lot"], "lot"});
  } else if (type == "inspection" || type == "precooling" || type == "storage" ||
             type == "recall") {
    use_lot_list(f, e);
  } else if (type == "shipping") {
    use_lot_list(f, e);
    mention(f, e, "party", "to_party");
    mention(f, e, "location", "to_location");
    mention(f, e, "party", "carrier");
  } else if (type == "receiving") {
    use_lot_list(f, e);
    mention(f, e, "party", "from_party");
  }
  return f;
}

}  // namespace agtrace
