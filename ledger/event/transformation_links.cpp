// Shared transformation ids: membership, the links a member adds, and an in-memory replay.
#include "ledger/event/transformation_links.h"

#include <set>

#include "ledger/event/event_facts.h"

namespace agtrace {

std::optional<TransformationMembership> transformation_membership(const nlohmann::json& e, const std::string& key_id,
                                                                  int rules_version) {
  if (rules_version < kRulesV2) return std::nullopt;
  const std::string type = e["type"].get<std::string>();
  TransformationMembership m;
  if (type == "transformation") {
    if (!e.contains("transformation_id")) return std::nullopt;
    m.scope = "party:" + e["party"].get<std::string>();
    m.id = e["transformation_id"].get<std::string>();
    m.field = "transformation_id";
  } else if (type == "external") {
    const auto& x = e["epcis"];
    auto id = x.find("transformationID");
    if (x.value("type", "") != "TransformationEvent" || id == x.end() || !id->is_string() ||
        id->get_ref<const std::string&>().empty())
      return std::nullopt;
    m.scope = "key:" + key_id;
    m.id = id->get<std::string>();
    m.field = "epcis.transformationID";
  } else {
    return std::nullopt;
  }
  auto sides = transformation_sides(e);
  if (!sides) return std::nullopt;
  for (auto& l : sides->inputs) m.inputs.push_back(std::move(l.lot));
  for (auto& l : sides->outputs) m.outputs.push_back(std::move(l.lot));
  return m;
}

std::vector<SharedLink> shared_links(const TransformationMembership& member,
                                     const std::vector<MemberLot>& earlier_inputs,
                                     const std::vector<MemberLot>& earlier_outputs) {
  std::set<std::pair<std::string, std::string>> seen;
  for (const auto& in : member.inputs)
    for (const auto& out : member.outputs) seen.emplace(in, out);  // the event's own edges
  std::vector<SharedLink> links;
  auto link = [&](const std::string& parent, const std::string& child, const MemberLot& other) {
    if (parent != child && seen.emplace(parent, child).second)
      links.push_back({parent, child, other.entry, other.event_id});
  };
  for (const auto& in : earlier_inputs)
    for (const auto& out : member.outputs) link(in.lot, out, in);
  for (const auto& in : member.inputs)
    for (const auto& out : earlier_outputs) link(in, out.lot, out);
  return links;
}

std::vector<std::pair<std::string, std::string>> LineageReplay::add(std::uint64_t index, const std::string& key_id,
                                                                   const nlohmann::json& event) {
  const std::string type = event.value("type", "");
  std::vector<std::pair<std::string, std::string>> edges = facts_of(event).lineage;
  if (type == "log_init" || type == "rules_upgraded") rules_version_ = event.value("rules_version", kRulesV1);
  auto m = transformation_membership(event, key_id, rules_version_);
  if (!m) return edges;
  Members& members = transformations_[{m->scope, m->id}];
  for (auto& l : shared_links(*m, members.inputs, members.outputs)) edges.emplace_back(l.parent, l.child);
  const std::string event_id = event.value("event_id", "");
  for (const auto& lot : m->inputs) members.inputs.push_back({lot, index, event_id});
  for (const auto& lot : m->outputs) members.outputs.push_back({lot, index, event_id});
  return edges;
}

}  // namespace agtrace
