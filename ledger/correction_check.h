// The ledger's checks of a correction that carries its replacement (rules version 5;
// ledger/event/correction.h, docs/rules-versions.md). Internal to the ledger library: append
// and the replay (ledger/replay.h) call them, so both judge a correction alike.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ledger/event/rules.h"
#include "ledger/store/store.h"

namespace agtrace::detail {

// A correction that the append records nothing for, and why.
struct RecordedCorrection {
  std::uint64_t index;  // the entry that holds it: the correction recorded before, or the corrected entry
  std::string note;     // when non-empty, what the clerk must know (in the append's language): the
                        // correction recorded before was superseded since, or its reason differs
};

// For a correction with a replacement (is_replacing_correction), rules version 5 on: whether it
// records nothing (docs/clerk-import.md "更正"). A correction's identity is the corrected event_id,
// the replacement (RFC 8785 bytes) and the reason — not its time, nor the ledger's current state:
// - an earlier correction of the same event with the same replacement and reason: nothing new
//   (importing a correction file again is a no-op), with a note naming the correction in force
//   and what it says when that earlier one was superseded since;
// - a replacement equal to the event as it stands now (its correction in force, or the entry
//   itself when never corrected): nothing to change, with a note when the reason differs from the
//   in-force correction's (the new reason is not recorded).
// A correction back to an earlier value with a new reason is none of these: it is recorded.
// Nullopt when the correction is to be checked and recorded.
std::optional<RecordedCorrection> correction_already_recorded(store::Store& store, const nlohmann::json& event,
                                                              i18n::Lang lang);

// Where the events `versions` (of one event_id) differ, said for each: the differing value alone
// when one leaf field differs ("1020"), else "PATH VALUE" pairs joined (PATH dotted, e.g.
// "quantity.value 1020"); a field a version lacks is "（无）" / "(none)".
std::vector<std::string> differing_values(const std::vector<nlohmann::json>& versions, i18n::Lang lang);

// Checks a correction with a replacement against the ledger before it, in rules.lang; nothing
// for any other event. Refused (Error(bad_input) naming the field — "replacement.…" for the
// replacement's — and the fix): before rules version 5; an unknown corrected_event_id or one of
// a type correctable_type refuses; a replacement of another type or event_id; a replacement
// that creates, uses or consumes other lots, names another product for a lot it creates, or
// another transformation_id; a replacement the append rules refuse when it stands in place of
// the corrected event (its quantities, time, pre-harvest interval, conservation, balances); and
// one that would break a later event: a lot it makes or takes from left with less than later
// events took from it, a lot it creates created after a later event of that lot, a packed lot
// with fewer packs than live labels — each naming that later event. Leaves the derived rows as
// it found them (its look-ahead puts back what it changed, without a savepoint: the verifier's
// start-up replay writes without a journal); it uses temporary tables of the connection.
void check_correction(store::Store& store, const nlohmann::json& event, const RuleOptions& rules);

}  // namespace agtrace::detail
