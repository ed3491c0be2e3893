// The station's 承诺达标合格证 screen (docs/station.md "合格证"; docs/certificate.md; issue 15
// item 6): what the ledger holds as evidence for a lot, which bases (开具依据) it supports, and
// issuing and voiding a certificate with the enterprise's station key, the operator's account
// id in the signed entry.
//
// The ledger's own rules (ledger/event/certificate_rules.h) judge every certificate when it is
// appended, exactly as for `agtrace-ledger import` / `record`; what this file computes for the
// screen (the bases ticked and those disabled with a reason, the uncertified quantity, the 产地)
// only helps the operator pick what the rules will accept, and never replaces them.
//
// Pure but for the ledger reads and the append; thread-safe as far as each call opens its own
// Ledger (the station does).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ledger/ledger.h"
#include "ledger/note/ed25519_key.h"

namespace agtrace::station {

// The evidence and the offer for a certificate of `lot`, issued by `enterprise` at `now_ms`
// (Unix ms), as the screen shows it (JSON; every text is data, the UI writes it with textContent):
//   lot, product, product_name, origin (a location id, "" when the lot's ancestry grew in places
//   with no common location above them) and origin_name, origin_problem ("" or why none);
//   blocked: "" or why no certificate can be issued at all (a recall or a failed inspection in
//   the lot's ancestry, a pre-harvest interval still running), Chinese first;
//   inspections: each inspection of the lot or a lot it was made from: event_id, time, lot,
//     party, party_name, by ("self" the enterprise, "lab" a party whose role is laboratory,
//     "other"), result, report_no, date (YYYY-MM-DD of its event time);
//   inputs: each pesticide application in the ancestry: event_id, lot, input_name,
//     application_date, pre_harvest_interval_days, safe_date, running (its interval has not
//     passed today, on a harvested or later lot);
//   certificates: the lot's and its source lots' certificates with their status now, each with
//     quantity_text as the certificate prints it ("2000 箱（共 10000 公斤）" or "4000 公斤");
//   stock: {known, unit (the lot's base unit in Chinese: 公斤, 升 or 件), made, certified, uncertified,
//     uncertified_kg ("" when the lot's pieces have no pack size), made_text and uncertified_text
//     as a certificate prints a quantity ("2000 箱（共 10000 公斤）")}: the certified-stock model
//     (ledger/event/certificate_lineage.h);
//   shipments: the lot's shipping events (event_id, time, to_party) for 一车一证;
//   bases: the three bases in printed order, each {basis, name, supported, evidence [event ids],
//     evidence_detail [the inspections row of each, as above: report_no, party_name, date,
//     result], reason ("" or why not supported)}.
// Throws Error(bad_input), Chinese first, when `lot` is not a packed lot of `enterprise` (another
// enterprise's lot is answered as an unknown one).
nlohmann::json certificate_offer(Ledger& ledger, const std::string& enterprise, const std::string& lot,
                                 std::int64_t now_ms);

// What the operator asked for on the screen.
struct CertificateRequest {
  std::string lot;
  std::string quantity_kg;           // 数量（公斤）: a plain decimal, e.g. "500" or "12.5"
  std::string shipment;              // optional: a shipping event of the lot (一车一证)
  std::vector<std::string> bases;    // quality_control, self_tested, commissioned_test (at least one)
  std::string operator_id;           // the signed-in account (op-07)
};

struct IssuedCertificate {
  std::string number;
  std::uint64_t entry = 0;
};

// A number no certificate in `ledger` has: ENTERPRISE-YYYYMMDD-NNN (the enterprise's party id
// reduced to ASCII letters, digits and '-', at most 20 of them; the day in Beijing time of
// `now_ms`; NNN from 001). Throws Error(bad_input) when the party id keeps no such character.
std::string next_certificate_number(Ledger& ledger, const std::string& enterprise, std::int64_t now_ms);

// Builds the certificate_issued event of `r` (style producer, issuer `enterprise`, the lot's
// product, the 产地 of certificate_offer, the evidence of each basis as certificate_offer lists
// it, `operator`, event time `now_ms` in Beijing time) and appends it signed by `key`.
// Throws Error(bad_input), Chinese first, naming what to fix: no basis, an unknown basis, a basis
// the evidence does not support, a quantity that is not a positive decimal of at most 6 decimal
// places, no 产地; and every refusal of the ledger's rules (AppendRefused), in Chinese.
IssuedCertificate issue_certificate(Ledger& ledger, const note::SigningKey& key, const std::string& enterprise,
                                    const CertificateRequest& r, std::int64_t now_ms);

// Appends certificate_voided for certificate `number` of `enterprise`, with `reason` (1 to 1000
// bytes) and `operator_id`, signed by `key`; returns the entry. Throws Error(bad_input),
// Chinese first: no such certificate of the enterprise, voided already, an empty reason.
std::uint64_t void_certificate(Ledger& ledger, const note::SigningKey& key, const std::string& enterprise,
                               const std::string& number, const std::string& reason, const std::string& operator_id,
                               std::int64_t now_ms);

}  // namespace agtrace::station
