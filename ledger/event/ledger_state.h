// The questions the append rules ask of the ledger so far (DESIGN §2). The SQLite store
// answers them from its derived tables; tests can answer them from memory. Keeping the
// rules behind this interface keeps them pure: same state, same verdict.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ledger/event/quantity.h"

namespace agtrace {

struct LotRecord {
  std::string lot;
  std::string gs1_code;              // GS1-safe lot code (DESIGN §4)
  std::optional<std::string> product;
  std::uint64_t created_entry = 0;
  std::int64_t created_unix_ms = 0;  // event time of the creating event, UTC ms
  std::string created_by;            // type of the creating event ("planting", ...)
  bool external = false;             // introduced by a partner's EPCIS event
};

struct PesticideRecord {
  std::string event_id;
  std::string application_date;  // local calendar date at the event's offset, YYYY-MM-DD
  int pre_harvest_interval_days = 0;
  std::string safe_date;         // application_date + interval: first permitted harvest day
};

struct HarvestRecord {
  std::string event_id;
  std::string harvest_date;  // local calendar date at the event's offset
};

// A 承诺达标合格证 in the derived `certificates` table (rules version 3): one issued in this
// ledger (certificate_issued) or one a buyer collected (certificate_received).
struct CertificateRecord {
  std::string number;
  std::string issuer;                      // party id
  bool received = false;                   // certificate_received rather than certificate_issued
  std::string lot;
  std::string style;                       // "producer" or "buyer"; empty for a received one
  BaseQuantity quantity;                   // in its base unit
  std::uint64_t entry = 0;                 // the issuing or receiving entry
  std::optional<std::uint64_t> voided_entry;  // the certificate_voided entry, if any
};

// One end of a lineage link (the derived lineage table), and the entry that made it.
struct LineageEdge {
  std::string lot;
  std::uint64_t entry = 0;
};

// A quantity that went into (made) or out of (consumed) a lot at one entry (the derived
// lot_flows table), in its base unit.
struct LotFlow {
  std::uint64_t entry = 0;
  bool made = false;  // true: into the lot; false: taken out of it
  BaseQuantity quantity;
};

// An event recorded about a lot (the derived lot_events table joined with events).
struct LotEventRecord {
  std::uint64_t entry = 0;
  std::string event_id;
};

class LedgerState {
 public:
  virtual ~LedgerState() = default;
  virtual std::optional<LotRecord> lot(const std::string& lot_id) = 0;
  // Whether an event with this event_id was recorded.
  virtual bool has_event(const std::string& event_id) = 0;
  // Whether master data (kind, id) was ever recorded.
  virtual bool has_master(const std::string& kind, const std::string& id) = 0;
  // The latest master-data event for (kind, id), or nullopt if never recorded.
  virtual std::optional<nlohmann::json> master(const std::string& kind, const std::string& id) = 0;
  // The product (id) whose latest master data carries `gtin`, if any.
  virtual std::optional<std::string> product_with_gtin(const std::string& gtin) = 0;
  virtual std::vector<PesticideRecord> pesticide_applications(const std::string& lot_id) = 0;
  virtual std::vector<HarvestRecord> harvests_from(const std::string& planting_lot) = 0;
  // Rules version 7 (docs/rules-versions.md): the planting lots on plot `location` that an input
  // application to that plot at instant `unix_ms` (UTC ms), local calendar date `local_date`
  // (YYYY-MM-DD), reaches — sown on or after that date, with no harvest of a lot sown on that plot
  // after the application and at or before the sowing; or sown in the 365 days before that date
  // (a crop that may still be standing, harvests or not); empty under older versions.
  virtual std::vector<std::string> plot_lots_reached(const std::string& location, std::int64_t unix_ms,
                                                     const std::string& local_date) = 0;
  // Quantities added to / taken out of a lot so far, each in its base unit.
  virtual std::vector<BaseQuantity> produced(const std::string& lot_id) = 0;
  virtual std::vector<BaseQuantity> consumed(const std::string& lot_id) = 0;
  // The rules version (ledger/event/rules_version.h) in force for the next entry: a rule
  // added in version V applies only when this is >= V.
  virtual int rules_version() = 0;

  // The event of entry `index`. Only entries of the types read_back_by_rules (event_facts.h)
  // names are guaranteed readable (a replay for verify keeps no others); throws
  // Error(verification) for a missing one.
  virtual nlohmann::json event_at(std::uint64_t index) = 0;
  // The entry index and type of the event recorded under `event_id`, if any.
  virtual std::optional<std::pair<std::uint64_t, std::string>> event_entry(const std::string& event_id) = 0;
  // The lots `lot_id` was made from directly (lineage parents), each once.
  virtual std::vector<std::string> parent_lots(const std::string& lot_id) = 0;
  // The lineage links from the lots `lot_id` was made from (parents) to it, with the entry of
  // each link, in entry order.
  virtual std::vector<LineageEdge> parent_edges(const std::string& lot_id) = 0;
  // Every quantity made into or taken out of `lot_id`, in entry order.
  virtual std::vector<LotFlow> lot_flows(const std::string& lot_id) = 0;
  // Events of `type` that name `lot_id` as their subject (inspection, recall, shipping, …), in
  // entry order.
  virtual std::vector<LotEventRecord> lot_events(const std::string& lot_id, const std::string& type) = 0;
  // The certificate issued in this ledger under `number` (any issuer), if any.
  virtual std::optional<CertificateRecord> issued_certificate(const std::string& number) = 0;
  // The certificate recorded by certificate_received from `issuer` under `number`, if any.
  virtual std::optional<CertificateRecord> received_certificate(const std::string& issuer,
                                                                const std::string& number) = 0;
  // Every certificate issued (received = false) or received (true) for `lot_id`, voided ones
  // included, in entry order.
  virtual std::vector<CertificateRecord> lot_certificates(const std::string& lot_id, bool received) = 0;
  // Every certificate, issued or received, whose number equals `number` when ASCII letter case
  // is ignored (the number itself included), in entry order (rules version 7's check).
  virtual std::vector<CertificateRecord> certificates_ignoring_case(const std::string& number) = 0;
  // Rules version 7: the first certificate issued in this ledger (certificate_issued, voided ones
  // included) by party `issuer`, if any — a party that issues here has all its certificates here.
  virtual std::optional<CertificateRecord> first_issued_by(const std::string& issuer) = 0;
};

// The pack size of `product` (the base quantity of one piece, bridging pieces and weight) as its
// latest product record gives it; nullopt for no product or a record without pack_size.
inline std::optional<BaseQuantity> pack_size_of(LedgerState& state, const std::optional<std::string>& product) {
  if (!product) return std::nullopt;
  auto p = state.master("product", *product);
  if (!p || !p->contains("pack_size")) return std::nullopt;
  return to_base((*p)["pack_size"], "pack_size");
}

}  // namespace agtrace
