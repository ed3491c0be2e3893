// Derived rows for each entry, and the queries the append rules ask.
#include "ledger/store/store.h"

#include <fmt/format.h>

#include <map>

#include "ledger/event/event_facts.h"
#include "ledger/event/lot_code.h"
#include "ledger/event/received_lot.h"
#include "ledger/event/rules.h"
#include "ledger/event/rules_version.h"
#include "ledger/event/transformation_links.h"
#include "ledger/json/jcs.h"
#include "ledger/note/verifier_key.h"
#include "ledger/store/schema.h"
#include "ledger/time/timestamp.h"
#include "ledger/util/error.h"
#include "ledger/util/sha256.h"

namespace agtrace::store {

namespace {

std::string dimension_name(Dimension d) {
  switch (d) {
    case Dimension::mass: return "mass";
    case Dimension::volume: return "volume";
    case Dimension::count: return "count";
  }
  return "";
}

// The rules version a log_init or rules_upgraded event sets (log_init without one: 1).
int rules_version_set_by(const nlohmann::json& e) {
  auto v = e.find("rules_version");
  return v != e.end() && v->is_number_integer() ? v->get<int>() : kRulesV1;
}

Dimension dimension_from(const std::string& s) {
  if (s == "volume") return Dimension::volume;
  if (s == "count") return Dimension::count;
  return Dimension::mass;
}

}  // namespace

struct Store::Statements {
  explicit Statements(sql::Database& db)
      : insert_node(db, "INSERT INTO merkle_nodes (level, idx, hash) VALUES (?, ?, ?)"),
        insert_event(db,
                     "INSERT INTO events (entry_idx, event_id, type, event_time, unix_ms, key_id, "
                     "event_hash) VALUES (?, ?, ?, ?, ?, ?, ?)"),
        insert_key(db,
                   "INSERT INTO keys (key_id, name, vkey, role, added_entry) VALUES (?, ?, ?, ?, ?)"),
        revoke_key(db, "UPDATE keys SET revoked_entry = ? WHERE key_id = ?"),
        upsert_master(db, "INSERT OR REPLACE INTO master (kind, id, entry_idx) VALUES (?, ?, ?)"),
        insert_lot(db,
                   "INSERT INTO lots (lot_id, gs1_code, product_id, created_entry, created_unix_ms, "
                   "created_by, external) VALUES (?, ?, ?, ?, ?, ?, ?)"),
        insert_lot_event(db,
                         "INSERT OR IGNORE INTO lot_events (lot_id, entry_idx, role) VALUES (?, ?, ?)"),
        insert_lineage(db, "INSERT OR IGNORE INTO lineage (parent, child, entry_idx) VALUES (?, ?, ?)"),
        insert_flow(db,
                    "INSERT INTO lot_flows (lot_id, entry_idx, seq, direction, dimension, amount) "
                    "VALUES (?, ?, ?, ?, ?, ?)"),
        insert_pesticide(db,
                         "INSERT INTO pesticide_applications (lot_id, entry_idx, event_id, "
                         "application_date, interval_days, safe_date) VALUES (?, ?, ?, ?, ?, ?)"),
        insert_harvest(db,
                       "INSERT INTO harvests (from_lot, entry_idx, event_id, harvest_date) "
                       "VALUES (?, ?, ?, ?)"),
        select_node(db, "SELECT hash FROM merkle_nodes WHERE level = ? AND idx = ?"),
        select_key(db,
                   "SELECT key_id, name, vkey, role, added_entry, revoked_entry FROM keys "
                   "WHERE key_id = ?"),
        select_event(db, "SELECT entry_idx, type, event_hash FROM events WHERE event_id = ?"),
        select_lot(db,
                   "SELECT lot_id, gs1_code, product_id, created_entry, created_unix_ms, "
                   "created_by, external FROM lots WHERE lot_id = ?"),
        select_code(db, "SELECT 1 FROM lots WHERE gs1_code = ?"),
        select_master(db, "SELECT entry_idx FROM master WHERE kind = ? AND id = ?"),
        select_pesticides(db,
                          "SELECT event_id, application_date, interval_days, safe_date FROM "
                          "pesticide_applications WHERE lot_id = ? ORDER BY entry_idx"),
        select_harvests(db,
                        "SELECT event_id, harvest_date FROM harvests WHERE from_lot = ? "
                        "ORDER BY entry_idx"),
        select_flows(db,
                     "SELECT dimension, amount FROM lot_flows WHERE lot_id = ? AND direction = ? "
                     "ORDER BY entry_idx, seq"),
        select_entry(db, "SELECT entry FROM entries WHERE idx = ?") {}

  sql::Statement insert_node, insert_event, insert_key, revoke_key, upsert_master, insert_lot,
      insert_lot_event, insert_lineage, insert_flow, insert_pesticide, insert_harvest;
  sql::Statement select_node, select_key, select_event, select_lot, select_code, select_master,
      select_pesticides, select_harvests, select_flows, select_entry;

  // Beside select_entry, the last entries recorded_event_at() decoded (the rules read the same
  // master data, key and lot entries back for entry after entry), each with the bytes it was
  // decoded from: an entry is answered from here only while its stored bytes are still exactly
  // these, so a rolled-back append or another writer never leaves a stale event. At most
  // kDecodedEntries, then emptied.
  struct Decoded {
    std::string bytes;
    nlohmann::json event;
  };
  static constexpr std::size_t kDecodedEntries = 256;
  std::map<std::uint64_t, Decoded> decoded;
};

Store::Store(sql::Database& db, bool create) : db_(db) {
  if (create) {
    db_.exec(kDerivedSchema);
    db_.exec(kAddedDerivedSchema);
  }
  st_ = std::make_unique<Statements>(db_);
  auto corrections = db_.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'corrections'");
  has_corrections_table_ = corrections.step();
  auto count = db_.prepare("SELECT coalesce(max(idx) + 1, 0) FROM merkle_nodes WHERE level = 0");
  count.step();
  auto size = static_cast<std::uint64_t>(count.column_int(0));
  range_ = merkle::CompactRange(size, node_reader());
  if (size > 0) last_leaf_ = node_reader()(merkle::NodeId{0, size - 1});
  auto versioned = db_.prepare(
      "SELECT entry_idx FROM events WHERE type IN ('log_init', 'rules_upgraded') ORDER BY entry_idx DESC LIMIT 1");
  if (versioned.step()) rules_version_ = rules_version_set_by(event_at(static_cast<std::uint64_t>(versioned.column_int(0))));
}

Store::~Store() = default;

merkle::NodeReader Store::node_reader() {
  return [this](merkle::NodeId id) {
    auto& s = st_->select_node;
    s.bind(1, static_cast<std::int64_t>(id.level)).bind(2, static_cast<std::int64_t>(id.index));
    if (!s.step()) {
      s.reset();
      throw_verification(fmt::format(
          "Merkle node (level {}, index {}) is missing from merkle_nodes; run verify", id.level,
          id.index));
    }
    Hash h{};
    auto blob = s.column_blob(0);
    if (blob.size() == h.size()) std::copy(blob.begin(), blob.end(), h.begin());
    s.reset();
    return h;
  };
}

std::string Store::assign_lot_code(const std::string& lot_id) {
  auto taken = [&](const std::string& code) {
    auto& s = st_->select_code;
    s.bind(1, code);
    bool found = s.step();
    s.reset();
    return found;
  };
  if (is_gs1_safe(lot_id) && !taken(lot_id)) return lot_id;
  for (int extra = 0;; ++extra) {
    std::string code = derived_lot_code(lot_id, extra);
    if (!taken(code)) return code;
  }
}

void Store::apply(const Entry& entry, const Hash& leaf_hash) {
  apply_event(entry.index, entry.key_id, entry.event, sha256(as_bytes(entry.event_canonical)));
  append_leaf(leaf_hash);
}

void Store::apply_event(std::uint64_t index, const std::string& key_id, const nlohmann::json& e,
                        const Hash& event_hash) {
  const auto idx = static_cast<std::int64_t>(index);
  const std::string& type = e["type"].get_ref<const std::string&>();
  const std::string& event_id = e["event_id"].get_ref<const std::string&>();
  const auto t = time::parse_rfc3339(e["event_time"].get_ref<const std::string&>(), "event_time");

  st_->insert_event.bind(1, idx).bind(2, event_id).bind(3, type).bind(4, t.text)
      .bind(5, t.unix_ms).bind(6, key_id).bind_blob(7, event_hash).run();
  if (type == "log_init" || type == "rules_upgraded") rules_version_ = rules_version_set_by(e);

  if (type == "log_init" || type == "key_added") {
    auto vkey = note::parse_verifier_key(e[type == "log_init" ? "log_key" : "vkey"].get<std::string>());
    std::string role = type == "log_init" ? "log" : e["role"].get<std::string>();
    st_->insert_key.bind(1, vkey.key_id()).bind(2, vkey.name).bind(3, vkey.to_string())
        .bind(4, role).bind(5, idx).run();
  } else if (type == "key_revoked") {
    st_->revoke_key.bind(1, idx).bind(2, e["key_id"].get<std::string>()).run();
  } else if (type == "log_key_rotated") {
    // The signing (old) log key is valid up to this entry; the new one from the next.
    auto vkey = note::parse_verifier_key(e["log_key"].get<std::string>());
    st_->revoke_key.bind(1, idx).bind(2, key_id).run();
    st_->insert_key.bind(1, vkey.key_id()).bind(2, vkey.name).bind(3, vkey.to_string())
        .bind(4, "log").bind(5, idx).run();
  }

  EventFacts facts = with_received_lot(facts_of(e), e, *this);  // rules version 5: received_lot.h
  if (facts.defines)
    st_->upsert_master.bind(1, facts.defines->first).bind(2, facts.defines->second).bind(3, idx).run();

  for (const auto& c : facts.creates) {
    auto product = product_of_new_lot(c, facts, *this);
    st_->insert_lot.bind(1, c.lot).bind(2, assign_lot_code(c.lot)).bind(3, product).bind(4, idx)
        .bind(5, t.unix_ms).bind(6, type).bind(7, std::int64_t{c.external ? 1 : 0}).run();
    st_->insert_lot_event.bind(1, c.lot).bind(2, idx).bind(3, "created").run();
  }
  for (const auto& u : facts.uses) st_->insert_lot_event.bind(1, u.lot).bind(2, idx).bind(3, "subject").run();
  // A partner's event introduces the lots the ledger has not seen (DESIGN §2), and its
  // lineage may join lots that exist already (its own_lots map names of ours): an edge that
  // would close a cycle is refused.
  for (const auto& m : facts.introduces) {
    if (lot(m.lot)) {
      st_->insert_lot_event.bind(1, m.lot).bind(2, idx).bind(3, "subject").run();
      continue;
    }
    st_->insert_lot.bind(1, m.lot).bind(2, assign_lot_code(m.lot)).bind_null(3).bind(4, idx)
        .bind(5, t.unix_ms).bind(6, type).bind(7, std::int64_t{1}).run();
    st_->insert_lot_event.bind(1, m.lot).bind(2, idx).bind(3, "created").run();
  }
  for (const auto& [parent, child] : facts.lineage) {
    if (type == "external") {
      auto reaches = db_.prepare(
          "WITH RECURSIVE below(lot) AS (SELECT ?1 UNION SELECT l.child FROM lineage l JOIN below b "
          "ON l.parent = b.lot) SELECT 1 FROM below WHERE lot = ?2 LIMIT 1");
      reaches.bind(1, child).bind(2, parent);
      if (reaches.step())
        throw_bad_input(fmt::format("field epcis: lot \"{}\" is made from lot \"{}\" already; this "
                                    "TransformationEvent would make a lineage cycle",
                                    parent, child));
    }
    st_->insert_lineage.bind(1, parent).bind(2, child).bind(3, idx).run();
  }
  if (auto m = transformation_membership(e, key_id, rules_version_)) join_transformation(index, *m);

  if (type == "certificate_issued" || type == "certificate_received") {
    BaseQuantity q = to_base(e["quantity"], "quantity");
    auto insert = db_.prepare(
        "INSERT INTO certificates (entry_idx, kind, number, issuer, lot_id, style, dimension, amount) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    insert.bind(1, idx).bind(2, type == "certificate_issued" ? "issued" : "received")
        .bind(3, e["number"].get<std::string>()).bind(4, e["issuer"].get<std::string>())
        .bind(5, e["lot"].get<std::string>());
    if (e.contains("style")) insert.bind(6, e["style"].get<std::string>());
    else insert.bind_null(6);
    insert.bind(7, dimension_name(q.dimension)).bind(8, q.amount.to_string()).run();
  } else if (type == "certificate_voided") {
    db_.prepare("INSERT INTO certificate_voids (entry_idx, number) VALUES (?, ?)")
        .bind(1, idx).bind(2, e["number"].get<std::string>()).run();
  }

  if (rules_version_ >= kRulesV7) link_plot_inputs(idx, e, t);
  write_amounts(idx, e, facts, t);
  if (type == "correction" && e.contains("replacement") && rules_version_ >= kRulesV5)
    if (auto corrected = event_by_id(e["corrected_event_id"].get<std::string>()))
      apply_replacement(corrected->entry_idx, index, e["replacement"]);
}

void Store::write_amounts(std::int64_t idx, const nlohmann::json& e, const EventFacts& facts, const time::Timestamp& t) {
  const std::string& type = e["type"].get_ref<const std::string&>();
  const std::string& event_id = e["event_id"].get_ref<const std::string&>();
  std::int64_t seq = 0;
  for (const auto& c : facts.creates) {
    if (!c.quantity) continue;
    BaseQuantity q = to_base(*c.quantity, c.field);
    st_->insert_flow.bind(1, c.lot).bind(2, idx).bind(3, seq++).bind(4, "in")
        .bind(5, dimension_name(q.dimension)).bind(6, q.amount.to_string()).run();
  }
  for (const auto& c : facts.consumes) {
    BaseQuantity q = to_base(c.quantity, c.field);
    st_->insert_flow.bind(1, c.lot).bind(2, idx).bind(3, seq++).bind(4, "out")
        .bind(5, dimension_name(q.dimension)).bind(6, q.amount.to_string()).run();
  }
  if (type == "input_application" && e["input_kind"] == "pesticide") {
    // A plot-level application (rules version 7) counts for the planting lots linked to it.
    for (const auto& lot : e.contains("lot") ? std::vector<std::string>{e["lot"].get<std::string>()} : plot_input_lots(idx))
      insert_pesticide_row(lot, idx, e, t);
  } else if (type == "harvest") {
    st_->insert_harvest.bind(1, e["from_lot"].get<std::string>()).bind(2, idx).bind(3, event_id)
        .bind(4, time::local_date(t)).run();
  }
}

void Store::insert_pesticide_row(const std::string& lot, std::int64_t idx, const nlohmann::json& e,
                                 const time::Timestamp& t) {
  const std::string date = time::local_date(t);
  const int days = e["pre_harvest_interval_days"];
  st_->insert_pesticide.bind(1, lot).bind(2, idx).bind(3, e["event_id"].get<std::string>()).bind(4, date)
      .bind(5, std::int64_t{days}).bind(6, time::add_days(date, days)).run();
}

void Store::apply_replacement(std::uint64_t corrected, std::uint64_t correction, const nlohmann::json& replacement) {
  const auto idx = static_cast<std::int64_t>(corrected);
  const auto t = time::parse_rfc3339(replacement["event_time"].get_ref<const std::string&>(), "event_time");
  const Hash hash = sha256(as_bytes(json::canonicalize(replacement)));
  db_.prepare("UPDATE events SET event_time = ?, unix_ms = ?, event_hash = ? WHERE entry_idx = ?")
      .bind(1, t.text).bind(2, t.unix_ms).bind_blob(3, hash).bind(4, idx).run();
  db_.prepare("UPDATE lots SET created_unix_ms = ? WHERE created_entry = ? AND external = 0")
      .bind(1, t.unix_ms).bind(2, idx).run();
  for (const char* table : {"lot_flows", "harvests", "pesticide_applications"})
    db_.prepare(fmt::format("DELETE FROM {} WHERE entry_idx = ?", table)).bind(1, idx).run();
  write_amounts(idx, replacement, facts_of(replacement), t);
  db_.prepare("INSERT INTO corrections (entry_idx, corrected_entry) VALUES (?, ?)")
      .bind(1, static_cast<std::int64_t>(correction)).bind(2, idx).run();
  has_corrections_table_ = true;
}

void Store::join_transformation(std::uint64_t index, const TransformationMembership& m) {
  const auto idx = static_cast<std::int64_t>(index);
  auto earlier = db_.prepare(
      "SELECT t.side, t.lot_id, t.entry_idx, e.event_id FROM transformation_lots t JOIN events e "
      "ON e.entry_idx = t.entry_idx WHERE t.scope = ? AND t.transformation_id = ? ORDER BY t.entry_idx, t.side, t.lot_id");
  earlier.bind(1, m.scope).bind(2, m.id);
  std::vector<MemberLot> inputs, outputs;
  while (earlier.step())
    (earlier.column_text(0) == "input" ? inputs : outputs)
        .push_back({earlier.column_text(1), static_cast<std::uint64_t>(earlier.column_int(2)), earlier.column_text(3)});
  // The graph is acyclic before this event (its own edges could not close a cycle), so any
  // cycle runs through a shared link: refuse the link whose child is already an ancestor of
  // its parent, naming the member that brings the other end.
  auto reaches = db_.prepare(
      "WITH RECURSIVE below(lot) AS (SELECT ?1 UNION SELECT l.child FROM lineage l JOIN below b "
      "ON l.parent = b.lot) SELECT 1 FROM below WHERE lot = ?2 LIMIT 1");
  for (const auto& link : shared_links(m, inputs, outputs)) {
    reaches.bind(1, link.child).bind(2, link.parent);
    const bool cycle = reaches.step();
    reaches.reset();
    if (cycle)
      throw_bad_input(fmt::format(
          "field {}: \"{}\" makes this event one transformation with event \"{}\", so lot \"{}\" would be "
          "made from lot \"{}\" — but lot \"{}\" is already made from lot \"{}\", and a lot cannot be its own "
          "ancestor; {}",
          m.field, m.id, link.other_event_id, link.child, link.parent, link.parent, link.child,
          m.field == "transformation_id"
              ? "give the two transformations different transformation_ids (or leave the field out)"
              : "ask the partner to correct the event: these cannot be one transformation"));
    st_->insert_lineage.bind(1, link.parent).bind(2, link.child).bind(3, idx).run();
  }
  auto insert = db_.prepare(
      "INSERT OR IGNORE INTO transformation_lots (scope, transformation_id, side, lot_id, entry_idx) "
      "VALUES (?, ?, ?, ?, ?)");
  for (const auto* side : {&m.inputs, &m.outputs})
    for (const auto& lot : *side)
      insert.bind(1, m.scope).bind(2, m.id).bind(3, side == &m.inputs ? "input" : "output").bind(4, lot)
          .bind(5, idx).run();
}

void Store::append_leaf(const Hash& leaf_hash) {
  for (const auto& [id, hash] : range_.append(leaf_hash))
    st_->insert_node.bind(1, static_cast<std::int64_t>(id.level))
        .bind(2, static_cast<std::int64_t>(id.index)).bind_blob(3, hash).run();
  last_leaf_ = leaf_hash;
}

std::optional<KeyRecord> Store::key(const std::string& key_id) {
  auto& s = st_->select_key;
  s.bind(1, key_id);
  std::optional<KeyRecord> r;
  if (s.step()) {
    r = KeyRecord{s.column_text(0), s.column_text(1), s.column_text(2), s.column_text(3),
                  static_cast<std::uint64_t>(s.column_int(4)), std::nullopt};
    if (!s.is_null(5)) r->revoked_entry = static_cast<std::uint64_t>(s.column_int(5));
  }
  s.reset();
  return r;
}

std::optional<KeyRecord> Store::log_key_at(std::uint64_t size) {
  if (size == 0) return std::nullopt;
  auto s = db_.prepare(
      "SELECT key_id FROM keys WHERE role = 'log' AND added_entry < ?1 "
      "AND (revoked_entry IS NULL OR revoked_entry >= ?1) ORDER BY added_entry DESC LIMIT 1");
  s.bind(1, static_cast<std::int64_t>(size));
  if (!s.step()) return std::nullopt;
  return key(s.column_text(0));
}

std::optional<EventRecord> Store::event_by_id(const std::string& event_id) {
  auto& s = st_->select_event;
  s.bind(1, event_id);
  std::optional<EventRecord> r;
  if (s.step()) {
    r = EventRecord{static_cast<std::uint64_t>(s.column_int(0)), s.column_text(1), {}};
    auto blob = s.column_blob(2);
    if (blob.size() == 32) std::copy(blob.begin(), blob.end(), r->event_hash.begin());
  }
  s.reset();
  return r;
}

std::optional<LotRecord> Store::lot(const std::string& lot_id) {
  auto& s = st_->select_lot;
  s.bind(1, lot_id);
  std::optional<LotRecord> r;
  if (s.step())
    r = LotRecord{s.column_text(0), s.column_text(1), s.column_optional_text(2),
                  static_cast<std::uint64_t>(s.column_int(3)), s.column_int(4), s.column_text(5),
                  s.column_int(6) != 0};
  s.reset();
  return r;
}

std::vector<std::uint64_t> Store::corrections_of(std::uint64_t index) {
  std::vector<std::uint64_t> out;
  if (!has_corrections_table_) return out;
  auto s = db_.prepare("SELECT entry_idx FROM corrections WHERE corrected_entry = ? ORDER BY entry_idx");
  s.bind(1, static_cast<std::int64_t>(index));
  while (s.step()) out.push_back(static_cast<std::uint64_t>(s.column_int(0)));
  return out;
}

std::optional<std::vector<std::uint64_t>> Store::later_corrections(std::uint64_t index) {
  if (!has_corrections_table_) return std::nullopt;
  auto s = db_.prepare(
      "SELECT later.entry_idx FROM corrections c JOIN corrections later ON later.corrected_entry = c.corrected_entry "
      "AND later.entry_idx >= c.entry_idx WHERE c.entry_idx = ? ORDER BY later.entry_idx");
  s.bind(1, static_cast<std::int64_t>(index));
  if (!s.step()) return std::nullopt;  // the first row is the correction itself
  std::vector<std::uint64_t> out;
  while (s.step()) out.push_back(static_cast<std::uint64_t>(s.column_int(0)));
  return out;
}

nlohmann::json Store::event_at(std::uint64_t index) {
  if (has_corrections_table_) {
    if (!select_correction_)
      select_correction_.emplace(
          db_, "SELECT entry_idx FROM corrections WHERE corrected_entry = ? ORDER BY entry_idx DESC LIMIT 1");
    auto& s = *select_correction_;
    s.bind(1, static_cast<std::int64_t>(index));
    std::optional<std::uint64_t> latest;
    if (s.step()) latest = static_cast<std::uint64_t>(s.column_int(0));
    s.reset();
    if (latest) return recorded_event_at(*latest)["replacement"];
  }
  return recorded_event_at(index);
}

nlohmann::json Store::recorded_event_at(std::uint64_t index) {
  auto& s = st_->select_entry;
  s.bind(1, static_cast<std::int64_t>(index));
  if (!s.step()) {
    s.reset();
    throw_verification(fmt::format("entry {} is missing", index));
  }
  auto blob = s.column_blob(0);
  const std::string_view stored(reinterpret_cast<const char*>(blob.data()), blob.size());
  if (auto it = st_->decoded.find(index); it != st_->decoded.end() && it->second.bytes == stored) {
    s.reset();
    return it->second.event;
  }
  std::string bytes(stored);
  s.reset();
  nlohmann::json event = decode_entry(bytes, index).event;
  if (st_->decoded.size() >= Statements::kDecodedEntries) st_->decoded.clear();
  st_->decoded.insert_or_assign(index, Statements::Decoded{std::move(bytes), event});
  return event;
}

bool Store::has_master(const std::string& kind, const std::string& id) {
  auto& s = st_->select_master;
  s.bind(1, kind).bind(2, id);
  bool found = s.step();
  s.reset();
  return found;
}

std::optional<nlohmann::json> Store::master(const std::string& kind, const std::string& id) {
  auto& s = st_->select_master;
  s.bind(1, kind).bind(2, id);
  std::optional<std::uint64_t> idx;
  if (s.step()) idx = static_cast<std::uint64_t>(s.column_int(0));
  s.reset();
  if (!idx) return std::nullopt;
  return event_at(*idx);
}

std::optional<std::string> Store::product_with_gtin(const std::string& gtin) {
  // Products are few (tens per brand): a scan of their master data is cheap enough.
  auto s = db_.prepare("SELECT id, entry_idx FROM master WHERE kind = 'product'");
  while (s.step()) {
    auto e = event_at(static_cast<std::uint64_t>(s.column_int(1)));
    if (e.value("gtin", "") == gtin) return s.column_text(0);
  }
  return std::nullopt;
}

std::vector<PesticideRecord> Store::pesticide_applications(const std::string& lot_id) {
  auto& s = st_->select_pesticides;
  s.bind(1, lot_id);
  std::vector<PesticideRecord> out;
  while (s.step())
    out.push_back({s.column_text(0), s.column_text(1), static_cast<int>(s.column_int(2)),
                   s.column_text(3)});
  s.reset();
  return out;
}

std::vector<HarvestRecord> Store::harvests_from(const std::string& planting_lot) {
  auto& s = st_->select_harvests;
  s.bind(1, planting_lot);
  std::vector<HarvestRecord> out;
  while (s.step()) out.push_back({s.column_text(0), s.column_text(1)});
  s.reset();
  return out;
}

std::vector<BaseQuantity> Store::flows(const std::string& lot_id, std::string_view direction) {
  auto& s = st_->select_flows;
  s.bind(1, lot_id).bind(2, direction);
  std::vector<BaseQuantity> out;
  while (s.step())
    out.push_back({dimension_from(s.column_text(0)), Decimal::parse(s.column_text(1), "amount")});
  s.reset();
  return out;
}

std::vector<BaseQuantity> Store::produced(const std::string& lot_id) { return flows(lot_id, "in"); }

std::optional<std::pair<std::uint64_t, std::string>> Store::event_entry(const std::string& event_id) {
  auto r = event_by_id(event_id);
  if (!r) return std::nullopt;
  return std::pair{r->entry_idx, r->type};
}

std::vector<std::string> Store::parent_lots(const std::string& lot_id) {
  auto s = db_.prepare("SELECT DISTINCT parent FROM lineage WHERE child = ? ORDER BY parent");
  s.bind(1, lot_id);
  std::vector<std::string> out;
  while (s.step()) out.push_back(s.column_text(0));
  return out;
}

std::vector<LineageEdge> Store::parent_edges(const std::string& lot_id) {
  auto s = db_.prepare("SELECT parent, entry_idx FROM lineage WHERE child = ? ORDER BY entry_idx, parent");
  s.bind(1, lot_id);
  std::vector<LineageEdge> out;
  while (s.step()) out.push_back({s.column_text(0), static_cast<std::uint64_t>(s.column_int(1))});
  return out;
}

std::vector<LotFlow> Store::lot_flows(const std::string& lot_id) {
  auto s = db_.prepare(
      "SELECT entry_idx, direction, dimension, amount FROM lot_flows WHERE lot_id = ? ORDER BY entry_idx, seq");
  s.bind(1, lot_id);
  std::vector<LotFlow> out;
  while (s.step())
    out.push_back({static_cast<std::uint64_t>(s.column_int(0)), s.column_text(1) == "in",
                   {dimension_from(s.column_text(2)), Decimal::parse(s.column_text(3), "amount")}});
  return out;
}

std::vector<LotEventRecord> Store::lot_events(const std::string& lot_id, const std::string& type) {
  auto s = db_.prepare(
      "SELECT le.entry_idx, e.event_id FROM lot_events le JOIN events e ON e.entry_idx = le.entry_idx "
      "WHERE le.lot_id = ? AND e.type = ? ORDER BY le.entry_idx");
  s.bind(1, lot_id).bind(2, type);
  std::vector<LotEventRecord> out;
  while (s.step()) out.push_back({static_cast<std::uint64_t>(s.column_int(0)), s.column_text(1)});
  return out;
}

namespace {

constexpr const char* kCertificateColumns =
    "SELECT c.number, c.issuer, c.kind, c.lot_id, coalesce(c.style, ''), c.dimension, c.amount, c.entry_idx, "
    "v.entry_idx FROM certificates c LEFT JOIN certificate_voids v ON v.number = c.number AND c.kind = 'issued' ";

CertificateRecord certificate_of(sql::Statement& s) {
  CertificateRecord r{s.column_text(0), s.column_text(1), s.column_text(2) == "received", s.column_text(3),
                      s.column_text(4), {dimension_from(s.column_text(5)), Decimal::parse(s.column_text(6), "amount")},
                      static_cast<std::uint64_t>(s.column_int(7)), std::nullopt};
  if (!s.is_null(8)) r.voided_entry = static_cast<std::uint64_t>(s.column_int(8));
  return r;
}

}  // namespace

std::optional<CertificateRecord> Store::issued_certificate(const std::string& number) {
  auto s = db_.prepare(std::string(kCertificateColumns) + "WHERE c.number = ? AND c.kind = 'issued'");
  s.bind(1, number);
  if (!s.step()) return std::nullopt;
  return certificate_of(s);
}

std::optional<CertificateRecord> Store::received_certificate(const std::string& issuer, const std::string& number) {
  auto s = db_.prepare(std::string(kCertificateColumns) +
                       "WHERE c.number = ? AND c.issuer = ? AND c.kind = 'received'");
  s.bind(1, number).bind(2, issuer);
  if (!s.step()) return std::nullopt;
  return certificate_of(s);
}

std::vector<CertificateRecord> Store::lot_certificates(const std::string& lot_id, bool received) {
  auto s = db_.prepare(std::string(kCertificateColumns) + "WHERE c.lot_id = ? AND c.kind = ? ORDER BY c.entry_idx");
  s.bind(1, lot_id).bind(2, received ? "received" : "issued");
  std::vector<CertificateRecord> out;
  while (s.step()) out.push_back(certificate_of(s));
  return out;
}

std::vector<CertificateRecord> Store::certificates_ignoring_case(const std::string& number) {
  // COLLATE NOCASE folds ASCII letters only, as the rule asks.
  auto s = db_.prepare(std::string(kCertificateColumns) + "WHERE c.number = ? COLLATE NOCASE ORDER BY c.entry_idx");
  s.bind(1, number);
  std::vector<CertificateRecord> out;
  while (s.step()) out.push_back(certificate_of(s));
  return out;
}

std::optional<CertificateRecord> Store::first_issued_by(const std::string& issuer) {
  auto s = db_.prepare(std::string(kCertificateColumns) +
                       "WHERE c.issuer = ? AND c.kind = 'issued' ORDER BY c.entry_idx LIMIT 1");
  s.bind(1, issuer);
  if (!s.step()) return std::nullopt;
  return certificate_of(s);
}

std::optional<std::string> Store::key_holder(const KeyRecord& key) {
  if (key.role == "log") return std::nullopt;
  const std::pair<std::string, std::uint64_t> id{key.key_id, key.added_entry};
  if (auto known = holders_.find(id); known != holders_.end()) return known->second;
  auto e = event_at(key.added_entry);
  auto h = e.find("holder");
  std::optional<std::string> holder;
  if (h != e.end() && h->is_string()) holder = h->get<std::string>();
  holders_.emplace(id, holder);
  return holder;
}
std::vector<BaseQuantity> Store::consumed(const std::string& lot_id) { return flows(lot_id, "out"); }

}  // namespace agtrace::store
