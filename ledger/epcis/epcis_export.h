// GS1 EPCIS 2.0 JSON-LD from agtrace events (DESIGN §2 "EPCIS mapping", §6), and the
// normalised form on which EPCIS events are compared (DESIGN §3).
//
// Mapping (EPCIS 2.0 §7, CBV 2.0 §7 vocabularies):
//   planting            ObjectEvent ADD, bizStep urn:agtrace:bizstep:planting
//   input_application   ObjectEvent OBSERVE, bizStep urn:agtrace:bizstep:input_application; one
//                       applied to a plot before sowing (no lot, rules version 7) has an empty
//                       epcList and the plot as readPoint and bizLocation
//   harvest             ObjectEvent ADD, bizStep commissioning (CBV: covers harvesting)
//   inspection          ObjectEvent OBSERVE, bizStep inspecting
//   transformation      TransformationEvent, inputQuantityList → outputQuantityList; its
//                       transformation_id as transformationID (transformation_uri)
//   packing             ObjectEvent ADD, bizStep packing
//   labels_issued       ObjectEvent ADD, bizStep commissioning
//   labels_reprinted    ObjectEvent OBSERVE, bizStep urn:agtrace:bizstep:labels_reprinted
//   labels_voided       ObjectEvent DELETE, bizStep decommissioning
//   storage/precooling  ObjectEvent OBSERVE, bizStep storing / urn:agtrace:bizstep:precooling,
//                       readings as a sensorElementList of Temperature reports in CEL
//   shipping/receiving  ObjectEvent OBSERVE, bizStep shipping / receiving, source and
//                       destination lists of owning parties and locations
//   recall              ObjectEvent OBSERVE, disposition and persistentDisposition recalled
//   correction          the corrected event again, with an errorDeclaration (reason
//                       incorrect_data, our reason text as agtrace:reason, correctiveEventIDs
//                       the partner's as recorded, else the replacement); a correction that
//                       carries its replacement (rules version 5) also gives the corrective
//                       event: the replacement mapped as its type is, under the correction's
//                       own eventID, which correctiveEventIDs names (EPCIS 2.0 §7.4.1.2: a
//                       corrective event has an eventID of its own) — see to_epcis_events;
//                       a correction of an event corrected before declares the earlier
//                       correction's corrective event erroneous when the context says which
//                       one it replaced (ExportContext::superseded_correction)
//   external            the partner's event as received, numbers restored (where the partner
//                       wrote numbers: epcis_numbers), its @context prefixes declared again
//   master data, keys   not events: left out of the eventList
// Identifiers: a lot is a GS1 Digital Link {base_url}/01/{GTIN}/10/{lot code} when its
// product has a GTIN, else {base_url}/lot/{lot code}; a location with a GLN is
// https://id.gs1.org/414/{GLN}, else {base_url}/location/{id}; a party {base_url}/party/{id};
// an event {base_url}/event/{event_id} (path segments percent-encoded, RFC 3986). Quantities
// become numbers with their Rec 20 uom. eventTimeZoneOffset is the event_time's own offset,
// "-00:00" kept; "Z" gives "+00:00". Every mapped event also carries our whole event as the
// extension member "agtrace:event", in the namespace the document's @context declares
// (kAgtraceNamespace).
//
// Pure functions, thread-safe.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace agtrace::epcis {

inline constexpr const char* kEpcisContext = "https://ref.gs1.org/standards/epcis/epcis-context.jsonld";
inline constexpr const char* kAgtraceNamespace = "urn:agtrace:epcis:";

// What the mapping needs to know beyond the event itself.
struct ExportContext {
  std::string base_url;  // the ledger's public base URL, no trailing slash
  // The latest master data (party, location, product) with this id, or nullptr if unknown. The
  // object must outlive the to_epcis_event call that asked (it is read, never copied: copying
  // master data for every lot and location of every event was a sixth of the EPCIS export).
  std::function<const nlohmann::json*(const std::string& kind, const std::string& id)> master;
  // The product id and GS1-safe lot code (DESIGN §4) of a lot.
  std::function<std::pair<std::optional<std::string>, std::string>(const std::string& lot)> lot;
  // The recorded event with this id (for corrections), if known.
  std::function<std::optional<nlohmann::json>(const std::string& event_id)> event;
  // For a correction carrying its replacement (rules version 5): the earlier such correction of
  // the same event that it replaces, or nullptr for the first. When it gives one, the
  // errorDeclaration goes on that correction's corrective event (its replacement under its own
  // eventID, as to_epcis_events gave it) instead of on the corrected event again: a superseded
  // correction is itself erroneous data (EPCIS 2.0 §7.4.1.2). Unset: always the corrected event
  // (bundle formats 1 to 4, regulator/derived.h). The object must outlive the call that asked.
  std::function<const nlohmann::json*(const nlohmann::json& correction)> superseded_correction;
  // Whether a transformation's transformation_id goes out as transformationID: it does where
  // it makes the event part of one transformation (rules version 2 on at its entry), and in
  // the bundle formats that write it (regulator/derived.h).
  bool transformation_ids = true;
};

// The EPCIS 2.0 transformationID (§7.4.4; GS1's JSON Schema types it "uri", RFC 3986) of our
// transformation_id `id`, recorded by party `party`: the id as written when it is a URN or an
// http(s) URL made only of URI characters (a partner that shares the URI means the same
// transformation); otherwise {base_url}/party/{party}/transformation/{id}, path segments
// percent-encoded — under the recording party, as the id's scope is (docs/regulator.md).
std::string transformation_uri(const std::string& id, const std::string& party, const std::string& base_url);

// `s` with every byte outside A-Z a-z 0-9 - . _ ~ percent-encoded (RFC 3986 §2.1, upper case).
std::string percent_encode(std::string_view s);

// The EPCIS event of one agtrace event, or nullopt for events that are not EPCIS events
// (master data, keys, log_init) and for corrections of events the context does not know.
std::optional<nlohmann::json> to_epcis_event(const nlohmann::json& event, const ExportContext& context);

// The EPCIS events of one agtrace event: to_epcis_event's, and for a correction that carries its
// replacement (rules version 5) the corrective event after the declaration. Empty where
// to_epcis_event gives nullopt.
std::vector<nlohmann::json> to_epcis_events(const nlohmann::json& event, const ExportContext& context);

// An EPCISDocument (schemaVersion 2.0) holding `events` (already mapped), created at
// `creation_date` (RFC 3339).
nlohmann::json epcis_document(std::vector<nlohmann::json> events, const std::string& creation_date);

// The same, with the @context prefix declarations each event needs (prefixes[i] for
// events[i], e.g. context_prefixes_of its agtrace event) declared in the document's @context
// next to agtrace's; a declaration that conflicts with one made already (the same prefix for
// another IRI) goes on that event as its own @context (EPCIS 2.0 JSON-LD allows one per event).
nlohmann::json epcis_document(std::vector<nlohmann::json> events,
                              const std::vector<std::map<std::string, std::string>>& prefixes,
                              const std::string& creation_date);

// The RFC 8785 bytes of that document (json::canonicalize of the epcis_document above), made
// one event at a time: each event is canonicalised and freed in turn and the bytes spliced
// into the document's, so that no tree of the whole document is built and freed (issue 17:
// freeing it was a sixth of the EPCIS export). Throws as json::canonicalize.
std::string canonical_epcis_document(std::vector<nlohmann::json> events,
                                     const std::vector<std::map<std::string, std::string>>& prefixes,
                                     const std::string& creation_date);

// The same bytes, where agtrace_events[i], when set, is the RFC 8785 text of
// events[i]["agtrace:event"] (e.g. the entry's Entry::event_canonical, when that member is the
// entry's event): it is spliced in instead of canonicalising the member again, about half of
// each event's bytes. The caller vouches for it; an event without that member, or an
// agtrace_events shorter than events, is canonicalised in full.
std::string canonical_epcis_document(std::vector<nlohmann::json> events,
                                     const std::vector<std::map<std::string, std::string>>& prefixes,
                                     const std::string& creation_date,
                                     const std::vector<const std::string*>& agtrace_events);

// The prefix declarations an agtrace event's EPCIS form uses beyond agtrace's own: an
// external event's `epcis_context` (the partner's declarations it uses); empty otherwise.
std::map<std::string, std::string> context_prefixes_of(const nlohmann::json& event);

// `value` with every JSON number replaced by its decimal string: integers exactly, other
// numbers by json::shortest_decimal (DESIGN §3). The form partner events are stored and
// compared in.
nlohmann::json normalise_numbers(const nlohmann::json& value);

// The inverse for the members EPCIS 2.0 types as numbers — quantity in quantity elements,
// and value, minValue, maxValue, meanValue, sDev, percRank, percValue in sensor reports —
// when they hold decimal strings: the form a stored partner event is exported in.
nlohmann::json restore_numbers(const nlohmann::json& epcis_event);

// The inverse for exactly the members at `pointers` (RFC 6901, an external event's
// `epcis_numbers`: what the partner wrote as JSON numbers), whatever their names.
nlohmann::json restore_numbers(const nlohmann::json& epcis_event, const nlohmann::json& pointers);

}  // namespace agtrace::epcis
