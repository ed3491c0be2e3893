// The EPCIS Event Hash ID of GS1 CBV 2.0 §8.9 ("ni:///sha-256;{hex}?ver=CBV2.0"): an id that
// depends on what an event says, not on how it is written, so that one event written with
// "+08:00" or "Z", with or without recordTime, in any member order, is one event (DESIGN §2,
// docs/regulator.md "GS1 EPCIS 2.0"; used for partner events from rules version 2 on).
//
// The pre-hash string follows the canonical property order (eventType, eventTime,
// eventTimeZoneOffset, epcList, parentID, inputEPCList, childEPCs, quantityList,
// childQuantityList, inputQuantityList, outputEPCList, outputQuantityList, action,
// transformationID, bizStep, disposition, persistentDisposition, readPoint, bizLocation,
// bizTransactionList, sourceList, destinationList, sensorElementList, ilmd, then user
// extensions and errorDeclaration), `key=value` pairs concatenated without separators, list
// members and extension members sorted by code point; eventID, recordTime and
// certificationInfo are left out. Values: times in UTC with milliseconds ("…T02:33:31.116Z",
// the 4th fraction digit rounding), numbers without trailing zeros, CBV terms and
// urn:epcglobal:cbv URNs as https://ref.gs1.org/cbv/ Web URIs, CURIEs expanded with the
// document's @context, EPC URIs (sgtin, sscc, sgln, grai, giai, lgtin) and Digital Links as
// constrained canonical Digital Links on https://id.gs1.org; extension names as
// "{namespace}local". Limits: other EPC schemes are hashed as written, and plain members
// nested inside an extension keep their plain names.
//
// Checked against GS1's reference implementation's published example
// (tests/vectors/epcis-hash). Pure functions, thread-safe.
#pragma once

#include <map>
#include <string>

#include <nlohmann/json.hpp>

namespace agtrace::epcis {

// The pre-hash string of `event` (an EPCIS 2.0 event as JSON; numbers may be JSON numbers or
// decimal strings), CURIE prefixes from `prefixes` (context_prefixes of its document).
std::string event_prehash(const nlohmann::json& event, const std::map<std::string, std::string>& prefixes);

// "ni:///sha-256;" + hex SHA-256 of event_prehash + "?ver=CBV2.0" (RFC 6920 form).
std::string event_hash_id(const nlohmann::json& event, const std::map<std::string, std::string>& prefixes);

}  // namespace agtrace::epcis
