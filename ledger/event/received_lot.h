// Lots received with a grower's paper 承诺达标合格证 (rules version 5, docs/rules-versions.md
// "Version 5", docs/certificate.md "A buyer receiving from growers outside the system").
//
// A buyer (收购者) who buys from a grower outside the system records the grower's paper
// certificate with `certificate_received`. Under versions 3 and 4 the lot it names had to be in
// the ledger already, so the buyer invented a plot, a planting and a harvest for it. From
// version 5 a `certificate_received` whose lot the ledger does not know introduces that lot:
//
// - an external lot (LotRecord::external, as a partner's EPCIS event introduces one) whose
//   creating event is the certificate_received, whose product is the certificate's `product`
//   (then required) and whose quantity is the certificate's: what later leaves it (a merge,
//   packing) is bounded by that quantity;
// - one lot per collected certificate: a second certificate_received naming a lot a
//   certificate_received introduced is refused (`field lot`) — name a new lot;
// - such a lot has no records of its own (no plot, no inputs, no tests), so the absence of
//   records proves nothing: a producer's certificate (style producer, 样式一) of a lot whose
//   ancestry holds an external lot may not tick 质量安全控制符合要求 (quality_control); a test
//   of the lot (自行检测合格 / 委托检测合格) may support it. A buyer's re-issue (style buyer,
//   样式二) rests on the collected certificates, which its parents name, as before.
//
// From version 6 (docs/rules-versions.md "Version 6"):
//
// - the 产地 written on the paper (`origin`, a recorded location) may be recorded, and must be
//   when the event brings in its lot; a certificate issued for a lot made from it names that
//   origin or a location above it (certificate_lineage.h check_origin);
// - its 开具日期 (`issued_on`) is not after the day it was received (the event time's calendar
//   date at its own offset; the event time itself is never in the future);
// - a paper certificate without a number is recorded as 无编号-YYYYMMDD-N with `issued_on`
//   that date;
// - no records are no evidence for a buyer's re-issue (样式二) either: a certificate of either
//   style over a lot whose ancestry holds an external lot may not tick 质量安全控制符合要求, and a
//   test basis must name inspections that, between them, tested every such external lot (an
//   inspection of the mixed or repacked lot tests everything in it).
//
// Under versions 1 to 4 nothing here applies: an unknown lot is refused as it always was.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ledger/event/event_facts.h"
#include "ledger/event/ledger_state.h"
#include "ledger/time/timestamp.h"

namespace agtrace {

struct RuleOptions;  // rules.h: how a refusal names an earlier entry (entry_words)

// Whether `event` (schema-valid) is a certificate_received that introduces its lot: rules
// version 5 or later and `state` does not know the lot. Asked before the event is applied.
bool introduces_received_lot(const nlohmann::json& event, LedgerState& state);

// `facts` (facts_of(event)) as the ledger applies them: when introduces_received_lot, the lot
// moves from `uses` to `creates` (external, with the certificate's product and quantity).
// Append's rules and the store's derived rows both take the facts from here, so they agree.
EventFacts with_received_lot(EventFacts facts, const nlohmann::json& event, LedgerState& state);

// The version 5 rules of a certificate_received (above): an introduced lot needs `product`; a
// lot introduced by another certificate_received is not named again. Throws Error(bad_input)
// naming the field, Chinese first. Does nothing under earlier versions or for other events.
void check_received_lot(const nlohmann::json& event, LedgerState& state, const RuleOptions& options);

// The version 6 rules of a certificate_received (above): `origin` before version 6; from
// version 6 `issued_on` after the day received, a 无编号 number not of the documented form or
// not agreeing with `issued_on`, and a lot brought in without `origin`. Throws Error(bad_input)
// naming the field (`origin`, `issued_on`, `number`), Chinese and English through the
// catalogue. `t` is the event's time. Does nothing for other events.
void check_received_paper(const nlohmann::json& event, const time::Timestamp& t, LedgerState& state);

// The rule for a certificate that ticks quality_control: no external lot in `ancestry`
// (certificate_rules.h lot_ancestry) — for a producer's certificate (style producer) from
// version 5, for a buyer's re-issue (style buyer) too from version 6. Throws Error(bad_input)
// naming `bases[i].basis`. Does nothing under earlier versions.
void check_quality_control_records(const nlohmann::json& event, const std::vector<std::string>& ancestry,
                                   LedgerState& state, const RuleOptions& options);

// Version 6: each test basis (self_tested, commissioned_test) of a certificate names
// inspections that between them tested every external lot in `ancestry` — an inspection of lot
// X tested X and every lot X was made from. Throws Error(bad_input) naming `bases[i].evidence`
// and the untested lot. Does nothing under earlier versions.
void check_tests_cover_external(const nlohmann::json& event, const std::vector<std::string>& ancestry,
                                LedgerState& state);

}  // namespace agtrace
