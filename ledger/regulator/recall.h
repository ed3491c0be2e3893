// Recall (DESIGN §2 `recall`, §6): a ledger event that puts the persistent disposition
// "recalled" (GS1 CBV 2.0) on a lot and, when asked, on every lot made from it; and the recall
// report a regulator sends out within hours — every affected lot, trace code, shipment and
// recipient (with contact), and the quantities made and shipped.
//
// A lot is under recall from the recall entry on when a recall names it, or names one of its
// ancestors with `descendants: true` — so a lot made from a recalled lot later is recalled too.
// recall_status() answers that for the verifier's banner.
//
// Reads take one snapshot; recording goes through Ledger::append. One thread at a time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ledger/i18n/messages.h"
#include "ledger/ledger.h"

namespace agtrace::regulator {

struct RecallRequest {
  std::string lot;          // the lot to recall (a lot id, GS1 lot code or a trace code's lot)
  std::string reason;       // why, for the report and the verifier's banner
  bool descendants = false; // also every lot made from it
  std::string party;        // who recalls (a recorded party id)
  std::string event_id;     // empty: "recall-{lot}-{unix ms}"
  std::string event_time;   // empty: now, UTC
};

// The recall event for `request` (schemas/events/recall.schema.json), prepared for append.
// Throws Error(bad_input) naming the field when the lot or party is unknown or the reason
// is empty.
PreparedEvent recall_event(Ledger& ledger, const RecallRequest& request);

// The party a signing key acts for: the `holder` its key_added entry names, if any.
std::optional<std::string> key_holder(Ledger& ledger, const note::SigningKey& key);

struct AffectedLot {
  std::string lot;
  std::string gs1_code;
  std::optional<std::string> product;
  std::string created_by;
  std::vector<std::pair<std::string, std::string>> produced;  // (amount, base unit) made
  std::vector<std::pair<std::string, std::string>> shipped;   // (amount, base unit) shipped
  // A lot made by packing: that packing event (its facts as corrected), whose quantities the
  // report shows (input lot and quantity, count, pack size, loss); null for a lot made otherwise.
  nlohmann::json packing;
};

struct RecalledCode {
  std::string serial;
  std::string lot;
  bool voided = false;
};

struct Shipment {
  std::uint64_t entry = 0;
  std::string event_id;
  std::string event_time;
  std::string shipment_no;
  std::string from_party;
  std::string to_party;
  std::string to_location;
  std::string carrier;
  nlohmann::json lots;  // the affected lots of the shipment, with their quantities
};

struct Recipient {
  std::string party;
  std::string name;
  std::string contact;
  std::string phone;
  std::string address;
  std::vector<std::string> shipments;  // event ids
};

struct RecallReport {
  std::string event_id;
  std::optional<std::uint64_t> entry;  // the recall entry, once recorded
  std::string event_time;
  std::string reason;
  std::string party;
  std::string party_name;                  // the party's name from its record; empty when it has none
  std::vector<std::string> recalled_lots;  // as the event names them
  bool descendants = false;
  std::vector<AffectedLot> lots;           // sorted by lot
  std::vector<RecalledCode> codes;         // sorted by serial
  std::vector<Shipment> shipments;         // by entry
  std::vector<Recipient> recipients;       // sorted by party
};

// The report for a recall event (recorded or not): affected lots (the named ones, and all
// their descendants when the event says so), their trace codes, the shipments that carried
// any of them and the recipients' master data.
RecallReport recall_report(Ledger& ledger, const nlohmann::json& recall_event,
                           std::optional<std::uint64_t> entry);

nlohmann::json recall_report_json(const RecallReport& report);
// For a person, in `lang`: the codes are counted, and listed in `codes_file` when one is named;
// times at the event's own offset, labelled (time_words); units and event types in words; a
// packed lot's packing quantities (packing_words).
std::string recall_report_text(const RecallReport& report, const std::string& codes_file,
                               i18n::Lang lang = i18n::Lang::en);
// One CSV (csv_writer.h: UTF-8 BOM, CRLF) with a row per affected item: lot, trace code,
// shipment and recipient rows, each with its kind (a stable English code) in the first column
// and in Chinese in the last ("类别（中文）": 召回, 批次, 追溯码, 发货, 收货方); the detail and quantity
// columns' words (made / shipped and a packed lot's packing quantities, a code's status, the
// creating event) in `lang`.
std::string recall_report_csv(const RecallReport& report, i18n::Lang lang = i18n::Lang::en);
// The trace codes, one per line (LF), sorted.
std::string recall_codes_list(const RecallReport& report);

// Why a lot is under recall, if it is (see the header comment).
struct RecallStatus {
  std::string recalled_lot;  // the lot the recall named: `lot` itself or an ancestor
  std::uint64_t entry = 0;
  std::string event_id;
  std::string event_time;
  std::string reason;
};
std::optional<RecallStatus> recall_status(sql::Database& db, const std::string& lot);

}  // namespace agtrace::regulator
