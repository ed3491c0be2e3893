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
  // Quantities added to / taken out of a lot so far, each in its base unit.
  virtual std::vector<BaseQuantity> produced(const std::string& lot_id) = 0;
  virtual std::vector<BaseQuantity> consumed(const std::string& lot_id) = 0;
  // The rules version (ledger/event/rules_version.h) in force for the next entry: a rule
  // added in version V applies only when this is >= V.
  virtual int rules_version() = 0;
};

}  // namespace agtrace
