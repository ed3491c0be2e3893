// Rules version 9 (ship16; issue 16's clerk trial; docs/rules-versions.md "Shipping from a lot"):
// what may leave a lot by a `shipping` event, checked by check_rules on append and in every replay
// (verify, the verifier).
//
// - A recalled lot is not shipped: a shipping is refused (`field lots[i].lot`) when the lot or a
//   lot of its ancestry (the lots it was made from) holds a `recall` recorded earlier in the log
//   whose event_time is not after the shipping's — as a label job is refused (version 4). A
//   shipping dated before the recall and recorded late is accepted: the goods left before the
//   recall, and the recall report must show where they went. Recalled goods returned, or taken to
//   destruction, are shipped with `recalled_goods` (`return` or `destruction`), which is refused
//   for a lot that is not recalled, and before version 9.
// - Shipments stay within what the lot holds (`field lots[i].quantity`, the packing balance's
//   words, rule_lot_short): the quantities shipped out of a lot by parties that did not receive
//   it (its maker, or the co-op shipping for a member) never exceed its quantity less what
//   packing and processing took (lot_flows) and what was shipped before (a correction's
//   replacement stands in the place of the shipping it corrects); a party that received the lot
//   (a buyer shipping on what it bought) ships no more than its receivings of the lot hold. Not judged: a lot with no
//   stated quantity (a planting, a partner's external lot), a shipped line without a quantity, a
//   receiver whose receivings state no quantity. Units as check_balances: a quantity in a kind of
//   unit the lot was never made in is refused (version 8's words); pieces and weight bridge only
//   for a packed lot, through its packing's pack_size.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ledger/event/ledger_state.h"
#include "ledger/time/timestamp.h"

namespace agtrace {

struct RuleOptions;  // rules.h

// One shipped line of a lot: the shipping entry, its party, the quantity (nullopt: none stated)
// and whether the party had received the lot before (a receiver shipping on, not the lot's own
// stock leaving).
struct LotShipment {
  std::uint64_t entry = 0;
  std::string event_id;
  std::string party;
  std::optional<BaseQuantity> quantity;
  bool onward = false;
};

// Every shipped line of `lot` recorded so far, in entry order (a shipping naming the lot twice
// gives two lines). Reads shipping and receiving entries back (read_back_by_rules).
std::vector<LotShipment> lot_shipments(const std::string& lot, LedgerState& state);

// The rules above for a `shipping` event at time `t`; does nothing for other events or before
// rules version 9, except that `recalled_goods` is refused before version 9.
void check_shipping_rules(const nlohmann::json& event, const time::Timestamp& t, LedgerState& state,
                          const RuleOptions& options);

}  // namespace agtrace
