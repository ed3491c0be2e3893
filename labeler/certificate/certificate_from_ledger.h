// A printed 承诺达标合格证 from its signed ledger entry (docs/certificate.md "Printing one"): the
// certificate_issued entry and the ledger's master data give every field the certificate
// prints, in the words it prints them. Reads only.
#pragma once

#include <optional>
#include <string>

#include "labeler/certificate/certificate_facts.h"
#include "ledger/checkpoint_guard.h"
#include "ledger/ledger.h"

namespace agtrace::labeler {

// The facts of certificate `number` as issued in `ledger` (certificate_issued):
// - issuer: the issuer party's name; issuer_contact: its public phone (master data);
// - product: the product's name; quantity: the certificate's quantity, KGM as 公斤, H87 as
//   箱 for a packed lot (a packing event's count of packages) and 件 otherwise;
// - origin: the origin location's address, then its name in brackets ("潞城区店上镇熬脑村东坡
//   （熬脑村1号地块）"), down to the village or base (certificate_origin_zh);
// - issue_date: the event time's calendar date in Beijing time (UTC+8), whatever offset the
//   entry was written with;
// - bases as the entry ticks them; url: the ledger's base URL + "/c/" + number;
// - shipment (一车一证): the shipping event's vehicle and waybill ("晋D·L2345（运单 YD2022101001）").
// The ledger file is audited first (Ledger::verify), in the read snapshot the facts are then read
// in: the facts come from derived tables, and a deleted void would otherwise print a voided
// certificate as valid (docs/security.md "Writers check the file before they sign"); a file that
// does not verify throws Error(verification), Chinese first, and nothing is printed.
// Throws Error(bad_input), Chinese first: no certificate_issued with this number (a received
// paper certificate is not ours to print); a voided (已作废) or invalidated (已失效)
// certificate, with the reason, the entry and what to do; master data that lacks what the
// certificate must show (the issuer's phone), naming the party and the field to record.
//
// `trusted` guards against a rolled-back or forked file (a copy from before the certificate was
// voided or invalidated would print it as valid): the file must extend that checkpoint
// (check_extends, ledger/checkpoint_guard.h), which throws Error(verification), Chinese first,
// naming 回滚 and the checkpoint's file, and nothing is printed.
CertificateFacts certificate_facts_from_ledger(Ledger& ledger, const std::string& number,
                                               const std::optional<TrustedCheckpoint>& trusted = std::nullopt);

// The same facts, read without the audit from a state that is verified already: a verified
// replica built by the shared Replay (the station's, station/replica.h; the verifier's), whose
// derived rows come from verified entries only. Throws Error(bad_input) as above.
CertificateFacts certificate_facts_from_verified_state(Ledger& verified_state, const std::string& number);

}  // namespace agtrace::labeler
