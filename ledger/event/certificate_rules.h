// The append rules of the 承诺达标合格证 events (rules version 3, docs/rules-versions.md;
// 农业农村部令2025年第4号, docs/certificate.md), checked by check_rules after the
// generic rules, on append and in every replay (verify, the verifier):
//
// - before version 3, every certificate event and the product field certificate_required are
//   refused, naming `agtrace-ledger upgrade`;
// - certificate_issued: number never issued before (a voided number stays taken); product as
//   the lot's; the lot has a stated quantity and its certificates (voided ones not counted)
//   sum to no more than it; no recall and no failed inspection on the lot or any lot it was
//   made from (its ancestry); each basis supported (self_tested: a passed inspection by the
//   issuer on the ancestry; commissioned_test: one by another party whose role is laboratory;
//   quality_control: no pesticide application on a harvested or later lot of the ancestry
//   whose pre-harvest interval has not passed on the issue date — a planting lot's
//   applications are judged at harvest by the pre-harvest-interval rule); shipment a shipping
//   event of the lot; style buyer names parents covering every input (every path up the
//   ancestry meets a lot with a named parent certificate), style producer names none;
// - certificate_voided: an issued certificate, not voided before;
// - certificate_received: number not recorded before for that issuer; quantities within a lot
//   that has a stated quantity; from version 7, its number is no certificate issued in this
//   ledger (letter case ignored) and its issuer has issued none here (its certificates all are);
// - from version 7, certificate_issued: its number is no paper certificate of the same issuer a
//   buyer recorded first (letter case ignored);
// - label jobs carry `operator` and `template_sha256` only from version 4;
// - from version 4, labels_issued and labels_reprinted: no recall on the lot or any lot it was
//   made from; and when the lot's product requires a certificate (certificate_required, default
//   yes), the lot itself holds a valid one: issued in this ledger for the lot, not voided, and
//   no failed inspection in the lot's ancestry (which would make it 已失效). labels_voided stays
//   allowed: a spoiled or recalled label's code may always be voided;
// - from version 8 (interval_breach.h): certificate_issued ticking quality_control is refused
//   when a harvest of the lot's ancestry lies inside a pre-harvest interval (a spray recorded
//   late), and a label job does not count such a certificate as the lot's valid one.
//
// Each refusal throws Error(bad_input) naming the field, the value and the fix.
#pragma once

#include <nlohmann/json.hpp>

#include "ledger/event/ledger_state.h"
#include "ledger/i18n/refusal.h"
#include "ledger/time/timestamp.h"

namespace agtrace {

struct RuleOptions;  // rules.h

// The rules above for `event` (schema-valid) at time `t`; `options` names earlier entries of
// the current append by their place (rules.h entry_words). Does nothing for other events.
void check_certificate_rules(const nlohmann::json& event, const time::Timestamp& t, LedgerState& state,
                             const RuleOptions& options);

// The certificate that a re-issue's parent (issuer, number) names, as it resolved when the
// re-issue was appended: of the certificates recorded before entry `before`, the one issued in
// this ledger under `number` by `issuer`, else the one collected from `issuer` under `number`;
// nullopt when neither. (Before rules version 7 the issuer could issue a received paper's number
// after the re-issue; that later certificate is not the parent.) Pass the next entry's index, or
// UINT64_MAX, when appending.
std::optional<CertificateRecord> parent_certificate(LedgerState& state, const std::string& issuer,
                                                    const std::string& number, std::uint64_t before);

// How a refusal about `lot` says that the trouble is in `ancestor`, a lot it was made from
// (批次「K1」的来源批次「H1」… / lot "K1" is made from lot "H1", which …): nothing when it is the
// lot itself.
i18n::Words made_from(const std::string& lot, const std::string& ancestor);

// The lot and every lot it was made from (lineage ancestors), the lot first, each once.
std::vector<std::string> lot_ancestry(const std::string& lot, LedgerState& state);

}  // namespace agtrace
