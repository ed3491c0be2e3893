// Appending events inside a write transaction: the one path every writer (record,
// import, key entries, label jobs) goes through. Internal to the ledger library.
#pragma once

#include <functional>
#include <vector>

#include "ledger/event/rules.h"
#include "ledger/ledger.h"

namespace agtrace::detail {

// The signer's key record, checked usable for the next entry: registered, not revoked.
// Throws Error(bad_input) with the fix.
store::KeyRecord usable_key(store::Store& store, const note::SigningKey& signer);

// The station key's holder rule (rules version 3; docs/security.md): an event signed by a
// station key `key` is refused unless its holder (the key_added entry's holder) is the
// certificate's issuer (certificate_issued; for certificate_voided, the voided certificate's
// issuer) or, for a label job, the party that packed the job's lot. Nothing for other keys or
// before version 3. From rules version 8 (trust14g) the same for a clerk key registered with a
// holder: certificates it issues, voids or collects, recalls and corrections only for that holder
// (append.cpp check_clerk_holder). Used by append and by the replay. Throws Error(bad_input)
// naming the field and the fix.
void check_station_holder(store::Store& store, const store::KeyRecord& key, const nlohmann::json& event);

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
// skips the key lookup for entry 0, which registers the log key itself. `audit_first` runs
// audit_before_write (ledger/audit_replay.h) inside the transaction before anything else.
std::vector<AppendOutcome> append_events(sql::Database& db, const EventSource& events,
                                         const note::SigningKey& signer, const AppendOptions& options,
                                         bool genesis, bool audit_first = false);

// The events of one append by reference, for a caller that holds them already (Ledger::append
// of a vector): the next event, or nullptr at the end; it stays valid until the next call.
// Saves a deep copy of every event on the appending thread (bench/README.md, issue 17).
using EventRefSource = std::function<const PreparedEvent*()>;
// append_events over events by reference; the same checks, writes and errors.
std::vector<AppendOutcome> append_event_refs(sql::Database& db, const EventRefSource& events,
                                             const note::SigningKey& signer, const AppendOptions& options,
                                             bool genesis, bool audit_first = false);

// The serials that label job `index` (whose event is `event`) has in `db`'s codes tables
// (codes for labels_issued, code_events for reprinted/voided), sorted, after checking
// them against the count and serial_root the signed event commits to, and that issued
// codes are bound to the event's lot (DESIGN §4). Throws Error(verification) "entry N:
// why".
std::vector<std::string> stored_job_serials(sql::Database& db, std::uint64_t index, const nlohmann::json& event);

// The label-job rules (DESIGN §4), judged against the state in `db` (codes, code_events,
// events) and `store` before the job: serials are 13 Crockford base32 characters, none
// twice; labels_issued is for a packed lot, never reissues a serial, and keeps the lot's
// live (unvoided) codes within its packed count; labels_reprinted / labels_voided name
// only issued, unvoided codes of the same lot. `sorted` is the job's serials sorted. The
// writer (Ledger::record_label_job) and the replay (ledger/replay.h) both call it.
// Throws Error(bad_input) naming the serial or field and the fix.
void check_label_job_rules(sql::Database& db, store::Store& store, const std::string& type, const std::string& lot,
                           const std::vector<std::string>& sorted);

// Writes the serials of label job `index` into `db`'s codes (labels_issued) or code_events
// (reprinted, voided) table.
void insert_job_serials(sql::Database& db, const std::string& type, const std::string& lot, std::uint64_t index,
                        const std::vector<std::string>& sorted);

}  // namespace agtrace::detail
