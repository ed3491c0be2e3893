// Appending events inside a write transaction: the one path every writer (record,
// import, key entries, label jobs) goes through. Internal to the ledger library.
#pragma once

#include <vector>

#include "ledger/event/rules.h"
#include "ledger/ledger.h"

namespace agtrace::detail {

// The signer's key record, checked usable for the next entry: registered, not revoked.
// Throws Error(bad_input) with the fix.
store::KeyRecord usable_key(store::Store& store, const note::SigningKey& signer);

// The checks an event must pass against the ledger before it: event-id rules (an event id
// names one content: throws if `event_id` is recorded already), key-entry checks, and the
// domain rules (DESIGN §2). Used by append and again by the audit's replay (with the clock
// check off). Throws Error(bad_input) naming the field and the fix.
void check_event(store::Store& store, const nlohmann::json& event, const RuleOptions& rules);

// Appends one prepared event inside the caller's transaction: event-id rules (an
// identical re-capture is a no-op), the signer's role, key-entry checks, the domain
// rules, then the signed entry, its row and its derived rows. Throws Error(bad_input)
// if the event is refused; the caller rolls back.
AppendOutcome append_one(store::Store& store, sql::Statement& insert_entry, const PreparedEvent& p,
                         const note::SigningKey& signer, const store::KeyRecord* key,
                         const RuleOptions& rules);

// Appends `events` in one BEGIN IMMEDIATE transaction (see Ledger::append). `genesis`
// skips the key lookup for entry 0, which registers the log key itself.
std::vector<AppendOutcome> append_events(sql::Database& db, const EventSource& events,
                                         const note::SigningKey& signer,
                                         const AppendOptions& options, bool genesis);

}  // namespace agtrace::detail
