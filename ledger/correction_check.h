// The ledger's checks of a correction that carries its replacement (rules version 5;
// ledger/event/correction.h, docs/rules-versions.md). Internal to the ledger library: append
// and the replay (ledger/replay.h) call them, so both judge a correction alike.
#pragma once

#include <cstdint>
#include <optional>

#include <nlohmann/json.hpp>

#include "ledger/event/rules.h"
#include "ledger/store/store.h"

namespace agtrace::detail {

// For a correction with a replacement (is_replacing_correction): the entry whose content the
// ledger already holds as that replacement — the corrected entry's latest correction, or the
// corrected entry itself when the replacement repeats it — so that importing the same
// correction again is a no-op, as an identical re-capture is. Nullopt otherwise.
std::optional<std::uint64_t> correction_already_recorded(store::Store& store, const nlohmann::json& event);

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
