// Partner GS1 EPCIS 2.0 JSON-LD documents → ledger events (DESIGN §2 `external`, §3).
//
// The document passes json::parse_strict (duplicate names, nesting, integer range, sizes)
// and the structural rules of EPCIS 2.0 (the JSON schema's §9 shapes that matter for keeping
// an event): an EPCISDocument with @context, schemaVersion, creationDate and
// epcisBody.eventList; each event one of ObjectEvent, AggregationEvent, TransformationEvent,
// AssociationEvent, TransactionEvent with an RFC 3339 eventTime, an eventTimeZoneOffset
// ±hh:mm, an action ADD/OBSERVE/DELETE (not on TransformationEvent), EPC lists of strings,
// quantity elements with a string epcClass and a numeric quantity, and the other members
// with their EPCIS types.
//
// Then GS1's EPCIS 2.0 JSON Schema and the CBV rules of epcis_check.h, before anything is
// written.
//
// Each event becomes one `external` entry holding the event intact except that every JSON
// number is its decimal string in shortest round-trip form (epcis_export.h
// normalise_numbers): equality, and so "an identical re-capture is a no-op", is judged on that
// form. `epcis_numbers` lists the JSON pointers of the members written as numbers and
// `epcis_context` the document's prefix declarations the event uses (both omitted when
// empty), so that export gives the event back as written. Its event_id is the eventID when
// that is printable ASCII of at most 200 characters, else (rules version 1) "epcis:sha-256:" +
// hex SHA-256 of the normalised event's RFC 8785 bytes or (from version 2) its CBV 2.0 Event
// Hash ID (epcis_hash.h); event_time is eventTime as written. A lot it names as https://id.gs1.org/01/{GTIN}/10/{LOT} (after
// event_facts.h epcis_lot_id) that is ours — its product has that GTIN, its GS1 lot code is
// LOT, and it was created no later than the event — is mapped to our lot id in the entry's
// `own_lots` (omitted when none maps), so the event is about our lot; the other lots it names
// are introduced as external lots when new. When the event_id is recorded already as an
// external entry with the same EPCIS event, its own_lots is kept as recorded, so that a
// re-import stays a no-op whatever lots were recorded since. An event carrying an errorDeclaration whose eventID the ledger
// (or an earlier event of the document) knows becomes a `correction` of that event instead,
// recorded after the document's other events — unless the recorded event is this very event
// (a re-capture of a partner event that arrived with its errorDeclaration: a no-op).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/event/rules_version.h"
#include "ledger/ledger.h"

namespace agtrace::epcis {

struct ImportOptions {
  // The recorded event with this event_id, if any.
  std::function<std::optional<nlohmann::json>(const std::string&)> recorded_event;
  // Our lot that `lot` (a lot id the EPCIS event names, in event_facts.h epcis_lot_id form)
  // stands for in an event at `event_time` (RFC 3339), if any: the external entry maps it in
  // `own_lots`. Unset: nothing maps.
  std::function<std::optional<std::string>(const std::string& lot, const std::string& event_time)> own_lot;
  // The party that records corrections (a recorded party id); required only when the
  // document declares an error on a known event.
  std::optional<std::string> correction_party;
  // The rules version in force for the entries (DESIGN §3 "Rules versions"): from 2 on, an
  // event without a usable eventID is identified by its CBV 2.0 Event Hash ID (epcis_hash.h)
  // instead of "epcis:sha-256:" + digest, and an event with the same Event Hash ID as the one
  // recorded under its id (or under version 1's digest id) is a re-capture (a no-op).
  int rules_version = kRulesV1;
};

// Converts the EPCIS document `text` named `file`: the externals in document order, then the
// corrections. Problems with the document as a whole (not JSON, no @context, no eventList, …)
// throw Error(bad_input) naming the file and field; a bad event becomes a PreparedEvent
// whose `error` names it and its field ("file event 3: field epcisBody.eventList[3].action:
// …"), and the others still convert (Ledger::append counts it as refused).
std::vector<PreparedEvent> events_from_epcis(std::string_view text, std::string_view file,
                                             const ImportOptions& options);

// The same for a ledger: recorded events, our lots, the correction party (the signing
// key's holder, unless `party` is given) and the rules version in force come from it.
std::vector<PreparedEvent> events_from_epcis(std::string_view text, std::string_view file, Ledger& ledger,
                                             const note::SigningKey& signer,
                                             const std::optional<std::string>& party);

}  // namespace agtrace::epcis
