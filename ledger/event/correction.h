// Corrections that carry their replacement (rules version 5; docs/clerk-import.md "更正",
// docs/rules-versions.md): a clerk fixes a wrong quantity, time or text of a recorded event by
// recording one `correction` entry whose `replacement` is the whole event as it should have
// been — the same type, event_id and lot ids. The replacement supersedes the corrected event in
// every view; the corrected entry stays in the log. EPCIS 2.0 maps it to an errorDeclaration on
// the corrected event with the replacement as its corrective event (ledger/epcis/epcis_export.h).
//
// Pure functions, thread-safe. The ledger's checks are in ledger/correction_check.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace agtrace {

// Whether a correction may replace an event of `type`: the events a clerk records about lots
// (planting, input_application, harvest, inspection, transformation, packing, precooling,
// storage, shipping, receiving). Not master data (recorded again, it is simply replaced), key
// and log entries, label jobs (printed), certificates (printed; void and issue again), recalls
// (withdrawn by a correction without a replacement), partners' external events (corrected by
// the partner's EPCIS errorDeclaration) or corrections.
bool correctable_type(const std::string& type);

// Whether `event` is a correction carrying a replacement (rules version 5).
bool is_replacing_correction(const nlohmann::json& event);

// The correction event that replaces the recorded event `replacement["event_id"]` by
// `replacement`: recorded at `now_unix_ms` (whole seconds) at the UTC offset of the
// replacement's event_time, by `party` (default: the replacement's party), with `reason`.
// Its own event_id is `event_id` when given, else "{corrected id}.corr-{8 hex digits of the
// SHA-256 of the RFC 8785 bytes of [replacement, reason]}" — the correction's identity, independent
// of the time and of the ledger's state (docs/clerk-import.md "更正") ("corr-{16 hex digits}"
// when that would be longer than an event id may be). Does not validate: the append does (a replacement without
// event_id, say, is refused there naming the field) — except that a certificate is never corrected
// (docs/certificate.md "Status"): a replacement of type certificate_issued or certificate_voided
// throws i18n::Refusal naming field replacement, with the fix (void it and issue a new number),
// and one of type certificate_received says that a collected certificate is recorded as the paper
// says and is never corrected.
nlohmann::json correction_event(const nlohmann::json& replacement, const std::string& reason,
                                 std::int64_t now_unix_ms, const std::optional<std::string>& party = std::nullopt,
                                 const std::optional<std::string>& event_id = std::nullopt);

}  // namespace agtrace
