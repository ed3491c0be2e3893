// The derived tables of a ledger file, and the LedgerState the append rules read.
//
// A Store writes, for each accepted entry, the rows every query relies on (events by
// id and time, keys and their validity, master data, lots and their GS1 codes, lot
// events, lineage, quantity flows, pesticide applications, harvests, Merkle nodes).
// The same code fills the real file on append and a scratch temporary database when
// `verify` replays the log, so that the two can be compared row by row.
// One thread at a time.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ledger/event/event_facts.h"
#include "ledger/event/ledger_state.h"
#include "ledger/event/transformation_links.h"
#include "ledger/merkle/merkle.h"
#include "ledger/store/entry.h"
#include "ledger/store/sqlite.h"
#include "ledger/time/timestamp.h"

namespace agtrace::store {

struct KeyRecord {
  std::string key_id;
  std::string name;
  std::string vkey;  // C2SP verifier-key line
  std::string role;  // "log", "clerk" or "station"
  std::uint64_t added_entry = 0;
  std::optional<std::uint64_t> revoked_entry;
};

struct EventRecord {
  std::uint64_t entry_idx = 0;
  std::string type;
  Hash event_hash{};
};

class Store final : public LedgerState {
 public:
  // Uses `db` (which must outlive the Store); creates the derived tables if `create`.
  Store(sql::Database& db, bool create);
  ~Store() override;

  // Writes the derived rows of `entry` (whose leaf hash is `leaf_hash`), and the Merkle
  // nodes its leaf completes: apply_event, then append_leaf. The caller has checked the
  // entry; constraint failures throw.
  void apply(const Entry& entry, const Hash& leaf_hash);
  // The rows derived from the event of entry `index`, signed by `key_id`, whose RFC 8785
  // bytes hash to `event_hash`: all but the Merkle nodes. A bulk append writes them
  // before the entry is signed; size() does not change.
  void apply_event(std::uint64_t index, const std::string& key_id, const nlohmann::json& event,
                   const Hash& event_hash);
  // Appends leaf `leaf_hash` as leaf size(): writes the Merkle nodes it completes.
  void append_leaf(const Hash& leaf_hash);
  // Rules version 5 (docs/rules-versions.md): makes `replacement` (the `replacement` of the
  // correction at entry `correction`) the event of entry `corrected` in the derived rows — its
  // time, content hash, the creation time of the lots it creates, its quantity flows, harvest and
  // pesticide rows — and records the pair in `corrections`. The entry's lots, lineage and
  // lot_events stay, as a correction keeps every lot id (ledger/correction.h checks that first).
  // apply_event calls it for such a correction; the correction check calls it to look ahead.
  void apply_replacement(std::uint64_t corrected, std::uint64_t correction, const nlohmann::json& replacement);

  // Number of entries applied so far, and the leaf hash of the last (zeros if none).
  std::uint64_t size() const { return range_.size(); }
  Hash last_leaf_hash() const { return last_leaf_; }
  const merkle::CompactRange& range() const { return range_; }
  // Reads perfect-subtree hashes from merkle_nodes (for proofs).
  merkle::NodeReader node_reader();

  std::optional<KeyRecord> key(const std::string& key_id);
  // The log key in force for a checkpoint of `size` entries, which is also the key that
  // may sign a log-key entry at index `size` (docs/ledger-format.md §2, "Rotating the log
  // key"): the log_init key until a log_key_rotated entry at index r, the key it names
  // for sizes above r. Nullopt for size 0 or a keys table without one.
  std::optional<KeyRecord> log_key_at(std::uint64_t size);
  std::optional<EventRecord> event_by_id(const std::string& event_id);

  // LedgerState
  std::optional<LotRecord> lot(const std::string& lot_id) override;
  bool has_event(const std::string& event_id) override { return event_by_id(event_id).has_value(); }
  bool has_master(const std::string& kind, const std::string& id) override;
  std::optional<nlohmann::json> master(const std::string& kind, const std::string& id) override;
  std::optional<std::string> product_with_gtin(const std::string& gtin) override;
  std::vector<PesticideRecord> pesticide_applications(const std::string& lot_id) override;
  std::vector<HarvestRecord> harvests_from(const std::string& planting_lot) override;
  std::vector<std::string> plot_lots_reached(const std::string& location, std::int64_t unix_ms,
                                             const std::string& local_date) override;
  std::vector<BaseQuantity> produced(const std::string& lot_id) override;
  std::vector<BaseQuantity> consumed(const std::string& lot_id) override;
  int rules_version() override { return rules_version_; }
  // The event of entry `index` as it stands: the replacement of its latest correction (rules
  // version 5) if it has one, else as recorded (read from the entries table).
  nlohmann::json event_at(std::uint64_t index) override;
  // The event of entry `index` exactly as that entry recorded it, corrected or not.
  nlohmann::json recorded_event_at(std::uint64_t index);
  // The correction entries (with a replacement) of entry `index`, oldest first; empty when it
  // was never corrected (or the file predates the corrections table).
  std::vector<std::uint64_t> corrections_of(std::uint64_t index);
  // For correction entry `index` (one with a replacement): the later corrections of the same
  // event, which replaced it, oldest first (the last is the one in force) — empty for the
  // correction in force; nullopt for any other entry, and in a file without the corrections table.
  std::optional<std::vector<std::uint64_t>> later_corrections(std::uint64_t index);
  std::optional<std::pair<std::uint64_t, std::string>> event_entry(const std::string& event_id) override;
  std::vector<std::string> parent_lots(const std::string& lot_id) override;
  std::vector<LineageEdge> parent_edges(const std::string& lot_id) override;
  std::vector<LotFlow> lot_flows(const std::string& lot_id) override;
  std::vector<LotEventRecord> lot_events(const std::string& lot_id, const std::string& type) override;
  std::optional<CertificateRecord> issued_certificate(const std::string& number) override;
  std::optional<CertificateRecord> received_certificate(const std::string& issuer, const std::string& number) override;
  std::vector<CertificateRecord> lot_certificates(const std::string& lot_id, bool received) override;
  std::vector<CertificateRecord> certificates_ignoring_case(const std::string& number) override;
  std::optional<CertificateRecord> first_issued_by(const std::string& issuer) override;

  // The database the Store reads and writes.
  sql::Database& database() { return db_; }

  // The party a key's key_added entry names as its holder, if any (none for a log key).
  // Remembered per key and entry: a holder never changes (key_added is not correctable), and
  // from rules version 9 the holder rule asks it for nearly every entry a clerk key signs.
  std::optional<std::string> key_holder(const KeyRecord& key);

 private:
  struct Statements;
  sql::Database& db_;
  std::unique_ptr<Statements> st_;
  merkle::CompactRange range_;
  Hash last_leaf_{};
  int rules_version_ = 1;

  bool has_corrections_table_ = false;
  // key_holder's answers, by key id and its key_added entry.
  std::map<std::pair<std::string, std::uint64_t>, std::optional<std::string>> holders_;
  // Prepared once the corrections table is known to exist (an older file may lack it).
  std::optional<sql::Statement> select_correction_;

  std::vector<BaseQuantity> flows(const std::string& lot_id, std::string_view direction);
  // The rows of entry `idx` that depend on its quantities and time: lot_flows (made and
  // consumed, numbered in that order), harvests and pesticide_applications.
  void write_amounts(std::int64_t idx, const nlohmann::json& e, const EventFacts& facts, const time::Timestamp& t);
  std::string assign_lot_code(const std::string& lot_id);
  // Rules version 7 (ledger/store/plot_inputs.cpp): records a plot-level input_application or a
  // planting of entry `idx` in plot_events and links it to the plantings / plot inputs it meets.
  void link_plot_inputs(std::int64_t idx, const nlohmann::json& e, const time::Timestamp& t);
  // The planting lots linked to the plot-level input_application of entry `idx`.
  std::vector<std::string> plot_input_lots(std::int64_t idx);
  // The pesticide_applications row of `lot` for the pesticide application `e` of entry `idx`.
  void insert_pesticide_row(const std::string& lot, std::int64_t idx, const nlohmann::json& e, const time::Timestamp& t);
  // Entry `index` joins the transformation `m` (transformation_links.h): the lineage links its
  // shared id adds, and its lots as a member. Throws Error(bad_input) naming m.field and the
  // other member when a link would make a lot its own ancestor.
  void join_transformation(std::uint64_t index, const TransformationMembership& m);
};

}  // namespace agtrace::store
