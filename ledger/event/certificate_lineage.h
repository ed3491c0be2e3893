// The rules of certificate_issued that look along the lot's lineage, from rules version 5
// (docs/rules-versions.md "Version 5", docs/certificate.md "One certificate per kilogram" and
// "产地"). Both are called by check_certificate_rules, on append and in every replay.
//
// Certified produce follows the transformations that move it (the derived lineage and
// lot_flows tables, and the certificates of each lot): each lot is a stock of produce, part of
// it covered by a 承诺达标合格证 and part not. In entry order, what is made into a lot arrives
// certified in the share its inputs' taken quantities were (the inputs' certified part over
// all they gave, when they share one kind of unit; otherwise the largest input's share, which
// counts more, never less); a certificate for the lot (producer or buyer style, not voided)
// covers that much more of its uncertified stock; and what is taken out of a lot leaves
// uncertified first. A link with no quantity taken at its own entry (a partner's EPCIS event,
// a member of a shared transformation id that did not take that input itself) carries nothing.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ledger/event/ledger_state.h"

namespace agtrace {

// A kilogram is certified once along its lineage: a new producer's certificate (样式一) of lot
// L covers no more than L's uncertified stock now (above), so produce that arrived covered by
// an earlier lot's certificate is not certified again. A buyer's re-issue (样式二) restates the
// certificates it collected and is not limited this way (check_parents and the lot's own
// quantity rule judge it). Nothing before rules version 5. Throws Error(bad_input) naming
// field quantity, what is already covered and by which certificates, and the fix (样式二
// naming the earlier certificate as collected, or void the certificate issued too early).
//
// From rules version 7 a collected certificate (certificate_received) covers its lot's stock too
// (docs/certificate.md "Paper certificates cover their produce"): what its buyer (the event's
// party) takes out of that lot leaves the paper-covered part first — it is the produce the buyer
// bought —, and a producer's certificate of a lot that holds paper-covered produce of a paper
// another issuer wrote is refused naming field style, with the parents a 样式二 lists
// ("请按样式二开具，列出 ISSUER*NUMBER;…"). The paper's own issuer is held to the quantity only.
void check_certified_once(const nlohmann::json& event, LedgerState& state);

// A certificate of a lot that, in the certified-stock model above, covered more of the lot than
// was uncovered at its entry, and by how much (in the lot's unit). A correction (rules version 5)
// that lowers what a lot made or raises what was taken from it must not leave one
// (detail::check_correction).
struct OverCertified {
  std::string number;
  Decimal over;
  Dimension dim = Dimension::mass;
};
// The first such certificate of `lot_id` (voided ones not counted), or nullopt.
std::optional<OverCertified> over_certified(LedgerState& state, const std::string& lot_id);

// A lot's stock now in the certified-stock model above, for a screen that offers a new
// certificate (the printer station's 合格证 screen): what the lot made, how much of what it
// holds is covered and not covered by a certificate, in the lot's own kind of unit, and the
// certificates whose produce is in it. `known` is false for a lot with no quantity of its own.
struct CertifiedStockView {
  bool known = false;
  Dimension dim = Dimension::mass;
  Decimal made, certified, uncertified;
  std::vector<std::string> numbers;
};
CertifiedStockView certified_stock(LedgerState& state, const std::string& lot_id);

// The 产地 is where the lot grew: every planting and harvest location in the lot's ancestry is
// the certificate's `origin` or lies under it (the location records' `parent` chain, e.g. a
// plot under its base, a base under its production area). From rules version 6 also every
// 产地 written on a certificate collected with a lot of the ancestry (certificate_received's
// `origin`): the certificate's origin is it or lies above it. A lot bought in from outside the
// ledger whose collected certificate gives no origin (recorded before version 6) is not
// checked. Nothing before rules version 5. Throws
// Error(bad_input) naming field origin, the location where the lot grew (or the paper
// certificate and its 产地), and the fix.
void check_origin(const nlohmann::json& event, const std::vector<std::string>& ancestry, LedgerState& state);

}  // namespace agtrace
