// The DESIGN §2 table of event types, as facts about lots and master data.
#include "ledger/event/event_facts.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

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

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The lots an external event's EPCIS identifiers name, from `lists` (arrays of URIs) and
// `quantity_lists` (arrays of quantity elements with epcClass), with their field paths.
std::vector<LotMention> epcis_lots(const nlohmann::json& epcis, std::initializer_list<const char*> lists,
                                   std::initializer_list<const char*> quantity_lists) {
  std::vector<LotMention> out;
  auto add = [&](const nlohmann::json& v, std::string field) {
    if (!v.is_string()) return;
    if (auto lot = epcis_lot_id(v.get<std::string>())) out.push_back({*lot, std::move(field)});
  };
  for (const char* list : lists) {
    auto it = epcis.find(list);
    if (it == epcis.end()) continue;
    if (it->is_string()) add(*it, fmt::format("epcis.{}", list));
    if (!it->is_array()) continue;
    for (std::size_t i = 0; i < it->size(); ++i) add((*it)[i], fmt::format("epcis.{}[{}]", list, i));
  }
  for (const char* list : quantity_lists) {
    auto it = epcis.find(list);
    if (it == epcis.end() || !it->is_array()) continue;
    for (std::size_t i = 0; i < it->size(); ++i)
      if ((*it)[i].is_object() && (*it)[i].contains("epcClass"))
        add((*it)[i]["epcClass"], fmt::format("epcis.{}[{}].epcClass", list, i));
  }
  return out;
}

// The inputs and outputs a partner's EPCIS event names (outputs only for a TransformationEvent).
std::pair<std::vector<LotMention>, std::vector<LotMention>> epcis_inputs_outputs(const nlohmann::json& epcis) {
  const std::string type = epcis.value("type", "");
  if (type == "TransformationEvent")
    return {epcis_lots(epcis, {"inputEPCList"}, {"inputQuantityList"}),
            epcis_lots(epcis, {"outputEPCList"}, {"outputQuantityList"})};
  if (type == "AggregationEvent" || type == "AssociationEvent")
    return {epcis_lots(epcis, {"parentID", "childEPCs"}, {"childQuantityList"}), {}};
  return {epcis_lots(epcis, {"parentID", "epcList"}, {"quantityList"}), {}};
}

// A lot `own_lots` maps to one of ours is a use of that lot (DESIGN §2 `external`); the
// others are introduced. Lineage joins the lots as the ledger keys them.
// The lot of ours that an external event's own_lots maps `lot` to, if any.
std::optional<std::string> own_lot_of(const nlohmann::json& e, const std::string& lot) {
  auto own = e.find("own_lots");
  if (own == e.end() || !own->is_object()) return std::nullopt;
  auto it = own->find(lot);
  if (it == own->end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

void external_facts(EventFacts& f, const nlohmann::json& e) {
  auto [inputs, outputs] = epcis_inputs_outputs(e["epcis"]);
  auto ours = [&e](const std::string& lot) { return own_lot_of(e, lot); };
  std::set<std::string> seen;
  for (auto* list : {&inputs, &outputs})
    for (auto& m : *list) {
      auto mapped = ours(m.lot);
      if (mapped) m.lot = *mapped;
      if (!seen.insert(m.lot).second) continue;
      (mapped ? f.uses : f.introduces).push_back(m);
    }
  std::set<std::pair<std::string, std::string>> edges;
  for (const auto& in : inputs)
    for (const auto& out : outputs)
      if (in.lot != out.lot && edges.emplace(in.lot, out.lot).second) f.lineage.emplace_back(in.lot, out.lot);
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

std::optional<std::string> epcis_lot_id(std::string_view uri) {
  std::string lot;
  constexpr std::string_view lgtin = "urn:epc:class:lgtin:";
  if (uri.substr(0, lgtin.size()) == lgtin) {
    std::string_view rest = uri.substr(lgtin.size());
    auto dot1 = rest.find('.');
    auto dot2 = dot1 == std::string_view::npos ? dot1 : rest.find('.', dot1 + 1);
    if (dot2 == std::string_view::npos) return std::nullopt;
    std::string_view cp = rest.substr(0, dot1), ir = rest.substr(dot1 + 1, dot2 - dot1 - 1), l = rest.substr(dot2 + 1);
    if (!all_digits(cp) || !all_digits(ir) || cp.size() + ir.size() != 13 || l.empty()) return std::nullopt;
    std::string gtin = std::string(ir.substr(0, 1)) + std::string(cp) + std::string(ir.substr(1));
    int sum = 0;
    for (std::size_t i = 0; i < 13; ++i) sum += (gtin[i] - '0') * (i % 2 == 0 ? 3 : 1);
    gtin += static_cast<char>('0' + (10 - sum % 10) % 10);
    lot = fmt::format("https://id.gs1.org/01/{}/10/{}", gtin, l);
  } else if (uri.substr(0, 8) == "https://" || uri.substr(0, 7) == "http://") {
    if (uri.find_first_of("?#") != std::string_view::npos) return std::nullopt;
    auto path = uri.find('/', uri.find("//") + 2);
    if (path == std::string_view::npos) return std::nullopt;
    std::vector<std::string_view> seg;
    for (std::size_t at = path + 1; at <= uri.size();) {
      auto next = uri.find('/', at);
      if (next == std::string_view::npos) next = uri.size();
      seg.push_back(uri.substr(at, next - at));
      at = next + 1;
    }
    const std::size_t n = seg.size();
    if (n >= 4 && seg[n - 4] == "01" && seg[n - 3].size() == 14 && all_digits(seg[n - 3]) && seg[n - 2] == "10" &&
        !seg[n - 1].empty())
      lot = fmt::format("https://id.gs1.org/01/{}/10/{}", seg[n - 3], seg[n - 1]);
    else if (n >= 2 && seg[n - 2] == "lot" && !seg[n - 1].empty())
      lot = std::string(uri);
    else
      return std::nullopt;
  } else {
    return std::nullopt;
  }
  if (lot.size() > 64) return std::nullopt;
  for (unsigned char c : lot)
    if (c <= 0x20 || c == 0x7f) return std::nullopt;
  return lot;
}

std::vector<LotMention> epcis_lots_named(const nlohmann::json& epcis) {
  auto [inputs, outputs] = epcis_inputs_outputs(epcis);
  std::vector<LotMention> out;
  std::set<std::string> seen;
  for (auto* list : {&inputs, &outputs})
    for (auto& m : *list)
      if (seen.insert(m.lot).second) out.push_back(std::move(m));
  return out;
}

std::optional<Gs1Lot> gs1_lot_of(std::string_view lot_id) {
  constexpr std::string_view prefix = "https://id.gs1.org/01/";
  if (lot_id.substr(0, prefix.size()) != prefix) return std::nullopt;
  std::string_view rest = lot_id.substr(prefix.size());
  if (rest.size() < 19 || !all_digits(rest.substr(0, 14)) || rest.substr(14, 4) != "/10/") return std::nullopt;
  std::string_view raw = rest.substr(18);
  Gs1Lot out{std::string(rest.substr(0, 14)), ""};
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '/') return std::nullopt;
    if (raw[i] != '%') {
      out.lot_code += raw[i];
      continue;
    }
    if (i + 2 >= raw.size()) return std::nullopt;
    int hi = hex_digit(raw[i + 1]), lo = hex_digit(raw[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.lot_code += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  if (out.lot_code.empty()) return std::nullopt;
  return out;
}

std::optional<TransformationSides> transformation_sides(const nlohmann::json& e) {
  const std::string type = e["type"].get<std::string>();
  TransformationSides out;
  auto add = [](std::vector<LotMention>& list, LotMention m) {
    for (const auto& x : list)
      if (x.lot == m.lot) return;
    list.push_back(std::move(m));
  };
  if (type == "transformation") {
    for (std::size_t i = 0; i < e["inputs"].size(); ++i)
      add(out.inputs, {e["inputs"][i]["lot"].get<std::string>(), fmt::format("inputs[{}].lot", i)});
    for (std::size_t i = 0; i < e["outputs"].size(); ++i)
      add(out.outputs, {e["outputs"][i]["lot"].get<std::string>(), fmt::format("outputs[{}].lot", i)});
    return out;
  }
  if (type != "external" || e["epcis"].value("type", "") != "TransformationEvent") return std::nullopt;
  auto [inputs, outputs] = epcis_inputs_outputs(e["epcis"]);
  for (auto* side : {&inputs, &outputs})
    for (auto& m : *side) {
      if (auto mapped = own_lot_of(e, m.lot)) m.lot = *mapped;
      add(side == &inputs ? out.inputs : out.outputs, std::move(m));
    }
  return out;
}

bool is_log_key_event(const std::string& type) {
  return type == "log_init" || type == "key_added" || type == "key_revoked" || type == "log_key_rotated" ||
         type == "rules_upgraded";
}

bool defines_master_data(const std::string& type) {
  return type == "party" || type == "location" || type == "product";
}

bool role_may_sign(const std::string& role, const std::string& type) {
  if (is_log_key_event(type)) return role == "log";
  if (role == "station")
    return type == "labels_issued" || type == "labels_reprinted" || type == "labels_voided" ||
           type == "certificate_issued" || type == "certificate_voided";
  return role == "clerk";
}

bool is_certificate_event(const std::string& type) {
  return type == "certificate_issued" || type == "certificate_voided" || type == "certificate_received";
}

bool read_back_by_rules(const std::string& type) {
  return defines_master_data(type) || type == "key_added" || type == "packing" || type == "inspection" ||
         type == "planting" || type == "harvest" || type == "correction" || type == "certificate_received" ||
         type == "transformation" || type == "input_application" || type == "certificate_issued" ||
         // trust14g, rules version 8: whose party a correction by a key with a holder may replace
         type == "precooling" || type == "storage" || type == "shipping" || type == "receiving" ||
         // ship16, rules version 9: when a lot was recalled, before a shipping of it
         type == "recall" ||
         // a correction by a key with a holder of a partner's EPCIS event kept as it came
         type == "external";
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
    // Without `lot` (rules version 7) the application is to the plot `location`: it names no
    // lot (ledger/store/plot_inputs.cpp links it to the plot's plantings it reaches).
    if (e.contains("lot")) f.uses.push_back({e["lot"], "lot"});
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
  } else if (type == "external") {
    external_facts(f, e);
  } else if (type == "certificate_issued") {
    f.uses.push_back({e["lot"], "lot"});
    mention(f, e, "party", "issuer");
    mention(f, e, "product", "product");
    mention(f, e, "location", "origin");
  } else if (type == "certificate_received") {
    f.uses.push_back({e["lot"], "lot"});
    mention(f, e, "party", "issuer");
    mention(f, e, "product", "product");
    mention(f, e, "location", "origin");
  }
  return f;
}

}  // namespace agtrace
