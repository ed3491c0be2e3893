// Transformations that share a transformation id are one transformation (GS1 EPCIS 2.0
// TransformationEvent, transformationID; DESIGN §2): every input of any of them may be
// in every output of any of them, so each input is a lineage parent of each output. This is
// the one place that decides which events join which transformation and which lineage links a
// joining event adds; the SQLite store (store.cpp, on append and in `verify`) and the bundle
// check (regulator/bundle.cpp, offline) both call it, each keeping the earlier members in its
// own way.
//
// Scope: an id joins only events recorded by the same party (docs/regulator.md, "Shared
// transformation ids"): our own `transformation` events by their `party` ("party:{id}"), a
// partner's `external` TransformationEvent by the key that signed its entry ("key:{key id}"),
// so a partner never joins our transformations and one partner, imported with its own key,
// never joins another's. Rules version 2 and later only (docs/rules-versions.md): an entry
// judged under version 1 joins nothing, so older ledgers derive the lineage they always did.
//
// Pure: no storage, no I/O. Thread-compatible.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "ledger/event/rules_version.h"

namespace agtrace {

// An event's part in a shared transformation.
struct TransformationMembership {
  std::string scope;  // "party:{party id}" for ours, "key:{key id}" for a partner's
  std::string id;     // the transformation id as written
  std::string field;  // where the event names it: "transformation_id" or "epcis.transformationID"
  std::vector<std::string> inputs;   // lots as the ledger keys them, without repeats
  std::vector<std::string> outputs;
};

// The membership of `event` (schema-valid), signed by `key_id`, judged under rules version
// `rules_version`; nullopt when it joins none: not a transformation or a partner's
// TransformationEvent, no id (an empty or non-string transformationID counts as none), or a
// rules version below 2.
std::optional<TransformationMembership> transformation_membership(const nlohmann::json& event,
                                                                  const std::string& key_id, int rules_version);

// A lot an earlier member of the same transformation took in or gave out.
struct MemberLot {
  std::string lot;
  std::uint64_t entry = 0;  // the earlier member's entry
  std::string event_id;     // and its event id
};

// A lineage link a joining event adds beyond its own inputs × outputs, and the earlier member
// that brings the other end.
struct SharedLink {
  std::string parent;
  std::string child;
  std::uint64_t other_entry = 0;
  std::string other_event_id;
};

// The links `member` adds given the earlier members' inputs and outputs (in entry order):
// every earlier input → each of its outputs, and each of its inputs → every earlier output.
// A lot is never linked to itself (an intermediate lot that one member gives out and another
// takes in is part of the one transformation, as a partner's event that lists one lot as
// both input and output is); each (parent, child) once, with the first member that brings it.
// The member's own inputs × outputs are not repeated (event_facts.h gives those).
std::vector<SharedLink> shared_links(const TransformationMembership& member,
                                     const std::vector<MemberLot>& earlier_inputs,
                                     const std::vector<MemberLot>& earlier_outputs);

// The lineage of a run of entries in index order, kept in memory — for readers that hold
// entries but no store (an export bundle): each entry's edges as the derived `lineage` table
// holds them, its own (facts_of) followed by the shared links, with the rules version tracked
// from log_init and rules_upgraded entries. Entries must be added in increasing index order;
// a reader that lacks some entries of the log sees only the links its entries make.
class LineageReplay {
 public:
  // Adds entry `index` with `event`, signed by `key_id`; returns its (parent, child) edges.
  std::vector<std::pair<std::string, std::string>> add(std::uint64_t index, const std::string& key_id,
                                                       const nlohmann::json& event);

 private:
  struct Members {
    std::vector<MemberLot> inputs, outputs;
  };
  int rules_version_ = kRulesV1;
  std::map<std::pair<std::string, std::string>, Members> transformations_;  // (scope, id) →
};

}  // namespace agtrace
