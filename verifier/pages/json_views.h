// JSON bodies of the API (and of the scan URL when the client asks for JSON). Pure.
//
// A code's JSON carries everything an offline verifier needs besides the checkpoint: the
// label-job entry's exact leaf bytes, the code's path in the job's serial tree, and where
// to fetch the job entry's inclusion proof (/api/v1/proof/inclusion?index=N), which
// includes the signed checkpoint.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "ledger/ledger.h"
#include "verifier/pages/scan_page.h"
#include "verifier/view/trace_view.h"

namespace agtrace::verifier {

// A timeline item: entry index, type, id, time, names, checkpoint status, the event.
nlohmann::json item_json(const TimelineItem& item);

// The code: status ("genuine" or "voided"), lot, product, journey, recalls, checkpoint
// coverage, serial proof and job entry bytes; `scans` is reported, never changed.
// Origins: "origins" (every plot: location, name, address, producer), "producers" and
// "harvest_dates" ({first, last}, null without a harvest) cover a lot made from several
// harvests; the older single fields stay for compatibility: "origin" and "producer" (the
// first plot's) and "harvest_date" (the first harvest's).
nlohmann::json code_json(const CodeView& view, const SerialProof& proof, const std::string& job_entry_bytes,
                         const std::optional<ScanCount>& scans);

// The lot: record, product, one step up and down, all ancestors, its events, recalls.
nlohmann::json lot_json(const LotView& view);

// The part of a code's JSON shared by every code of its label job (lot, product, journey,
// recalls, checkpoint coverage, the job entry's bytes): cacheable.
nlohmann::json code_json_shared(const CodeView& view, const std::string& job_entry_bytes);
// The code's JSON text: its own fields (serial, status, reprints, serial proof, scans)
// merged with `shared_dump` (a dumped code_json_shared object).
std::string code_json_body(const std::string& shared_dump, const std::string& serial, bool voided,
                           std::uint64_t reprints, const SerialProof& proof, const std::optional<ScanCount>& scans);

// A certificate (/c/{number} with Accept: application/json): number, style, status
// ({"status", "reason", "entry", "event_id", "time"}), issuer, lot, quantity, product, origin,
// bases with their evidence, inputs with their pre-harvest intervals, parents, the issuing
// entry's index and exact bytes, checkpoint coverage and the inclusion proof URL.
nlohmann::json certificate_json(const CertificateView& view, const std::optional<CheckpointInfo>& checkpoint,
                                const std::string& entry_bytes);

// The certificates recorded as received under one number (/c/{number} with Accept:
// application/json, when no certificate issued in this ledger has it): {"number", "kind":
// "received", "note", "received": [{issuer, issuer_name, issued_on, product, product_name,
// quantity, quantity_unit_zh, origin, origin_text, party, party_name, recorded_at, lot, entry,
// entry_bytes, photo_sha256}], "checkpoint"}. `entry_bytes(i)` gives entry i's exact bytes.
nlohmann::json received_certificate_json(const std::vector<ReceivedCertificateView>& received,
                                         const std::optional<CheckpointInfo>& checkpoint,
                                         const std::function<std::string(std::uint64_t)>& entry_bytes);

// {"error": message, "status": code}
std::string error_json(int status, const std::string& message);

}  // namespace agtrace::verifier
