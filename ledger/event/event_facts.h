// What an event says about lots and master data, read off a schema-valid event
// (DESIGN §2): which lots it creates, uses and consumes, the lineage edges it adds, and
// which parties, locations and products it names. The rules and the derived tables are
// computed from these facts, never from the raw JSON, so that append and audit agree.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace agtrace {

// A lot, with the JSON path of the field that names it (for error messages).
struct LotMention {
  std::string lot;
  std::string field;
};

struct LotCreation {
  std::string lot;
  std::string field;
  std::optional<std::string> product;       // product id when the event names one
  std::optional<nlohmann::json> quantity;   // the quantity made, a schema quantity
  // A lot from outside the ledger (LotRecord::external): set only by with_received_lot
  // (received_lot.h, rules version 5), never by facts_of.
  bool external = false;
};

struct LotConsumption {
  std::string lot;
  std::string field;
  nlohmann::json quantity;  // a schema quantity
};

// A master-data id the event names, which must already be recorded.
struct MasterMention {
  std::string kind;  // "party", "location" or "product"
  std::string id;
  std::string field;
};

struct EventFacts {
  std::vector<LotCreation> creates;      // new lots; each must not exist yet
  std::vector<LotMention> uses;          // existing lots the event is about (inputs too)
  std::vector<LotConsumption> consumes;  // quantities taken out of existing lots
  std::vector<std::pair<std::string, std::string>> lineage;  // (parent lot, child lot)
  // Lots a partner's `external` EPCIS event names that its `own_lots` does not map to one
  // of our lots: used when the ledger knows them, introduced as external lots
  // (LotRecord::external) when it does not. Unique. (The lots `own_lots` maps are in `uses`,
  // under our lot ids.)
  std::vector<LotMention> introduces;
  std::vector<MasterMention> mentions;
  // For master-data events: the (kind, id) this entry defines or replaces.
  std::optional<std::pair<std::string, std::string>> defines;
};

// Reads the facts of a schema-valid event (DESIGN §2 table). Never throws for a
// schema-valid event; throws nlohmann::json exceptions (bugs) otherwise.
EventFacts facts_of(const nlohmann::json& event);

// The lot a GS1 EPCIS 2.0 identifier names, in the canonical form the ledger keys external lots
// by, or nullopt when `uri` names no lot (an SGTIN instance, an SSCC, a pattern, …):
//   urn:epc:class:lgtin:CP.IR.LOT (TDS 2.x LGTIN class)    → https://id.gs1.org/01/{GTIN}/10/{LOT}
//   https://host[/path]/01/{GTIN-14}/10/{LOT} (Digital Link, no /21/) → the same form
//   https://host[/path]/lot/{CODE} (agtrace's own lots without a GTIN) → as written
// Results longer than 64 characters, or not valid lot ids, give nullopt.
std::optional<std::string> epcis_lot_id(std::string_view uri);

// Every lot a partner's EPCIS event (the `epcis` member of an `external` event) names, in the
// epcis_lot_id form, each once, in document order, with the field that names it first: the
// inputs (epcList, parentID, childEPCs, inputEPCList and the matching quantity lists), then a
// TransformationEvent's outputs.
std::vector<LotMention> epcis_lots_named(const nlohmann::json& epcis);

// The inputs and the outputs of a transformation, as the ledger keys the lots, each list
// without repeats, in event order: for our `transformation` its inputs[] and outputs[]; for a
// partner's `external` TransformationEvent its inputEPCList / inputQuantityList and
// outputEPCList / outputQuantityList lots (event_facts.h epcis_lot_id), those that own_lots
// maps under our lot ids. Nullopt for any other event.
struct TransformationSides {
  std::vector<LotMention> inputs;
  std::vector<LotMention> outputs;
};
std::optional<TransformationSides> transformation_sides(const nlohmann::json& event);

// The GTIN and the lot code (AI 10, percent-decoded: RFC 3986 escapes as in a Digital Link or
// TDS URN) of a lot id of the form https://id.gs1.org/01/{GTIN-14}/10/{LOT}, or nullopt for
// any other id or a malformed escape.
struct Gs1Lot {
  std::string gtin;
  std::string lot_code;
};
std::optional<Gs1Lot> gs1_lot_of(std::string_view lot_id);

// Event types whose entries only the log key may sign (DESIGN §3): the key entries and
// rules_upgraded (DESIGN §3 "Rules versions").
bool is_log_key_event(const std::string& type);

// Event types that define master data (party, location, product): those whose facts_of
// has `defines` set, and whose entries the rules read back (LedgerState::master).
bool defines_master_data(const std::string& type);

// Whether a key of `role` ("log", "clerk" or "station") may sign a `type` event
// (docs/ledger-format.md §2 "Keys"): the log key signs the key events above and nothing
// else; a station key only label jobs (labels_issued, labels_reprinted, labels_voided) and
// certificates (certificate_issued, certificate_voided: from rules version 3, and only for
// its holder — detail::check_station_holder in ledger/append.h), so that a key taken from
// the printer station cannot forge a harvest or an inspection; a clerk key any other event,
// label jobs and certificates included.
bool role_may_sign(const std::string& role, const std::string& type);

// The 承诺达标合格证 event types (rules version 3): certificate_issued, certificate_voided,
// certificate_received.
bool is_certificate_event(const std::string& type);

// Event types whose entries the rules read back by index (LedgerState::event_at): master
// data, key_added (a station key's holder), packing (who packed a lot), inspection (a
// certificate's evidence), planting and harvest (where a certificate's lot grew, rules version
// 5), and correction (rules version 5: the replacement stands in for the corrected entry's
// event, Store::event_at), and certificate_received (the 产地 written on a collected certificate,
// rules version 6; and the buyer who collected it, rules version 7), transformation (who took
// produce out of a lot that a collected certificate covers, rules version 7), and
// input_application (a plot's inputs copied to the lots sown there, rules version 7),
// certificate_issued (whether a label job's certificate ticks 质量安全控制符合要求, rules
// version 8), and the other correctable types (precooling, storage, shipping, receiving: the party
// a correction signed by a key with a holder replaces, rules version 8, trust14g; and what was
// shipped and received of a lot, rules version 9, ship16), and recall (when a lot was recalled,
// rules version 9, ship16). A replay
// for verify keeps these entries' bytes in its scratch
// database; the ledger file and the verifier's state keep every entry.
bool read_back_by_rules(const std::string& type);

}  // namespace agtrace
