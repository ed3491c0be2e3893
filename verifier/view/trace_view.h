// What the verifier shows about a trace code or a lot, read from the ledger.
//
// The ledger is opened read-only; every query here runs inside one read transaction of
// the caller's Ledger, so a view is one consistent snapshot even while a writer appends.
// The functions take a Ledger that the calling thread owns (a Ledger is single-threaded)
// and a LedgerCache shared by all threads (it is internally locked).
//
// A code's journey is every event about its packed lot and the lots it came from
// (lineage, walked upward), in event-time order, each tagged with whether the entry is
// covered by the latest checkpoint. A lot is recalled when a recall event names it, or
// names one of its ancestors with descendants:true. A correction event marks the event
// it corrects.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ledger/event/interval_breach.h"
#include "ledger/ledger.h"
#include "ledger/note/checkpoint.h"

namespace agtrace::verifier {

// The latest signed checkpoint, its signature verified with the log key.
struct CheckpointInfo {
  std::uint64_t size = 0;
  std::string note;  // the signed note, verbatim
  note::Checkpoint parsed;
};

struct Recall {
  std::uint64_t entry = 0;
  std::string lot;     // the lot the recall event names
  std::string reason;
  std::string time;    // event_time as written
  bool via_ancestor = false;
};

struct Correction {
  std::uint64_t entry = 0;
  std::string reason;
  std::string replacement_event_id;
  // Rules version 5: the correction carries the event's replacement, which the item shows (the
  // event still counts, with the corrected facts); otherwise the event is withdrawn.
  bool replaced = false;
};

struct TimelineItem {
  std::uint64_t entry = 0;
  std::string type;
  std::string event_id;
  std::string time;            // event_time as written
  std::int64_t unix_ms = 0;
  std::string lot;             // the lot of this view the event is about
  std::string party_name;      // resolved from master data ("" when none)
  std::string location_name;
  std::string counterpart_name;  // shipping: to_party (and to_location); receiving: from_party
  std::string carrier_name;      // shipping: carrier
  nlohmann::json event;        // the event as recorded
  bool checkpointed = false;   // entry < latest checkpoint size
  std::optional<Correction> corrected;
  // For harvests: the latest pesticide safe date on the planting lot, and whether the
  // harvest date is on or after it (the pre-harvest interval was respected).
  std::optional<std::string> pesticide_safe_date;
  bool interval_respected = true;
};

// One place the produce grew: a plot that a planting on the code's lineage names.
struct Origin {
  std::string location_id;
  std::string name;      // the location's name (its id when it has no master data)
  std::string address;   // the location's address, "" when none
  std::string producer;  // the planting's party name
  std::string display() const;  // "name（address）", or the name alone
};

struct ProductInfo {
  std::string id, name, variety, gtin, brand_regional, brand_enterprise, grade_standard,
      standard, storage_condition, owner_name;
  std::optional<nlohmann::json> pack_size;
  std::optional<int> shelf_life_days;
  // The label fields of rules version 5 (ledger/event/product_rules.cpp, docs/templates.md): the
  // marketing line, the 地理标志农产品 registration (only when the record says so), and for a processed
  // food (GB 7718-2011) its SC licence number and ingredients. Empty when the record has none.
  std::string slogan, gi_name, gi_registration_no, production_license_no, ingredients;
  bool processed = false;
};

// A 承诺达标合格证 issued for the code's lot or a lot it was made from (ledger/certificates.h).
struct CertificateSummary {
  std::string number, lot, issuer_name;
  std::vector<std::string> bases;  // "quality_control", "self_tested", "commissioned_test"
  std::string status;              // "valid", "voided", "invalidated"
};

// Everything the scan page and the code API show.
struct CodeView {
  std::string serial;
  std::string lot;           // the packed lot
  std::string gs1_lot_code;
  std::uint64_t issued_entry = 0;
  std::optional<std::uint64_t> voided_entry;
  std::uint64_t reprints = 0;
  std::optional<ProductInfo> product;
  std::string producer;      // the first planting's (or earliest event's) party name
  std::string origin;        // the first planting's location: Origin::display()
  std::string harvest_date;  // local date of the earliest harvest (YYYY-MM-DD), "" when unknown
  // Every origin of the lot: a lot made from several harvests has several. Plots in the
  // order they were first planted, each once; producers distinct, in the same order; the
  // harvest dates as the range of local dates over every harvest on the lineage.
  std::vector<Origin> origins;
  std::vector<std::string> producers;
  std::string harvest_first, harvest_last;  // YYYY-MM-DD, both "" when no harvest
  std::string pack_date;
  std::optional<TimelineItem> inspection;  // the latest inspection on the lineage
  // Harvests on the lineage inside a pre-harvest interval: a spray recorded late (rules version 8,
  // ledger/event/interval_breach.h), shown beside the inspection result.
  std::vector<IntervalBreach> interval_breaches;
  std::vector<std::string> lineage;        // the packed lot first, then ancestors
  std::vector<TimelineItem> timeline;
  std::vector<Recall> recalls;
  // Certificates of the lineage (the packed lot's first), voided ones left out.
  std::vector<CertificateSummary> certificates;
  std::optional<CheckpointInfo> checkpoint;
  bool all_checkpointed = false;  // the label job and every timeline entry are covered
  std::uint64_t log_size = 0;
};

struct LotView {
  LotRecord record;
  std::optional<ProductInfo> product;
  std::vector<std::string> parents, children, ancestors;
  std::vector<TimelineItem> events;  // events about this lot only
  std::vector<Recall> recalls;
  std::optional<CheckpointInfo> checkpoint;
};

// State shared by all request threads, refreshed incrementally as the log grows:
// the verified latest checkpoint and the corrections seen so far. Thread-safe.
class LedgerCache {
 public:
  // The latest checkpoint (signature checked once per size), or nullopt if none.
  // Throws Error(verification) if the stored checkpoint does not verify.
  std::optional<CheckpointInfo> checkpoint(Ledger& ledger);
  // corrected event_id → its correction, covering every entry below the log size.
  std::map<std::string, Correction> corrections(Ledger& ledger, std::uint64_t log_size);

 private:
  std::mutex mu_;
  std::optional<CheckpointInfo> checkpoint_;
  std::uint64_t corrections_scanned_ = 0;
  std::map<std::string, Correction> corrections_;
};

// The number of entries in the log (cheap: the largest index plus one).
std::uint64_t log_size(Ledger& ledger);

// The view of `serial`, or nullopt if no label job issued it. Voided codes are returned
// (with voided_entry set); the caller decides to show them as not found.
std::optional<CodeView> load_code_view(Ledger& ledger, LedgerCache& cache, const std::string& serial);

// The view of a lot named by its id or its GS1 lot code, or nullopt if unknown.
std::optional<LotView> load_lot_view(Ledger& ledger, LedgerCache& cache, const std::string& lot_or_code);

}  // namespace agtrace::verifier
