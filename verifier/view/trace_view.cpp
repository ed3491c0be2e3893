// Reading a code's or a lot's story out of the ledger's derived tables.
#include "verifier/view/trace_view.h"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "ledger/certificates.h"
#include "ledger/store/sqlite.h"
#include "ledger/time/timestamp.h"
#include "ledger/util/error.h"

namespace agtrace::verifier {

namespace {

std::string str(const nlohmann::json& e, const char* field) {
  auto it = e.find(field);
  return it != e.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string master_name(Ledger& ledger, const char* kind, const std::string& id) {
  if (id.empty()) return "";
  auto m = ledger.store().master(kind, id);
  return m ? str(*m, "name") : id;
}

std::optional<ProductInfo> load_product(Ledger& ledger, const std::optional<std::string>& id) {
  if (!id) return std::nullopt;
  auto m = ledger.store().master("product", *id);
  if (!m) return std::nullopt;
  ProductInfo p;
  p.id = *id;
  p.name = str(*m, "name");
  p.variety = str(*m, "variety");
  p.gtin = str(*m, "gtin");
  if (m->contains("brand")) {
    p.brand_regional = str((*m)["brand"], "regional");
    p.brand_enterprise = str((*m)["brand"], "enterprise");
  }
  p.grade_standard = str(*m, "grade_standard");
  p.standard = str(*m, "standard");
  p.storage_condition = str(*m, "storage_condition");
  p.owner_name = master_name(ledger, "party", str(*m, "owner"));
  if (m->contains("pack_size")) p.pack_size = (*m)["pack_size"];
  if (m->contains("shelf_life_days") && (*m)["shelf_life_days"].is_number_integer())
    p.shelf_life_days = (*m)["shelf_life_days"].get<int>();
  p.slogan = str(*m, "slogan");
  if (m->contains("geographical_indication") && (*m)["geographical_indication"].is_object()) {
    p.gi_name = str((*m)["geographical_indication"], "name");
    p.gi_registration_no = str((*m)["geographical_indication"], "registration_no");
  }
  p.processed = m->value("processed", false) == true;
  p.production_license_no = str(*m, "production_license_no");
  p.ingredients = str(*m, "ingredients");
  return p;
}

// The lot and its ancestors (nearest first, as far as the lineage goes).
std::vector<std::string> ancestors_of(Ledger& ledger, const std::string& lot) {
  auto s = ledger.database().prepare(
      "WITH RECURSIVE anc(lot, depth) AS (SELECT ?1, 0 UNION "
      "SELECT l.parent, anc.depth + 1 FROM lineage l JOIN anc ON l.child = anc.lot WHERE anc.depth < 64) "
      "SELECT lot, min(depth) AS d FROM anc GROUP BY lot ORDER BY d, lot");
  s.bind(1, lot);
  std::vector<std::string> out;
  while (s.step()) out.push_back(s.column_text(0));
  return out;
}

std::vector<std::string> lineage_step(Ledger& ledger, const std::string& lot, bool up) {
  auto s = ledger.database().prepare(up ? "SELECT DISTINCT parent FROM lineage WHERE child = ? ORDER BY parent"
                                        : "SELECT DISTINCT child FROM lineage WHERE parent = ? ORDER BY child");
  s.bind(1, lot);
  std::vector<std::string> out;
  while (s.step()) out.push_back(s.column_text(0));
  return out;
}

TimelineItem make_item(Ledger& ledger, std::uint64_t entry, const std::string& lot,
                       std::uint64_t checkpoint_size,
                       const std::map<std::string, Correction>& corrections) {
  TimelineItem t;
  t.entry = entry;
  t.event = ledger.store().event_at(entry);
  t.type = str(t.event, "type");
  t.event_id = str(t.event, "event_id");
  t.time = str(t.event, "event_time");
  t.unix_ms = time::parse_rfc3339(t.time, "event_time").unix_ms;
  t.lot = lot;
  t.party_name = master_name(ledger, "party", str(t.event, "party"));
  t.location_name = master_name(ledger, "location", str(t.event, "location"));
  if (t.type == "shipping") {
    t.counterpart_name = master_name(ledger, "party", str(t.event, "to_party"));
    std::string to_location = master_name(ledger, "location", str(t.event, "to_location"));
    if (!to_location.empty()) t.counterpart_name += " · " + to_location;
    t.carrier_name = master_name(ledger, "party", str(t.event, "carrier"));
  } else if (t.type == "receiving") {
    t.counterpart_name = master_name(ledger, "party", str(t.event, "from_party"));
  }
  t.checkpointed = entry < checkpoint_size;
  if (auto c = corrections.find(t.event_id); c != corrections.end()) t.corrected = c->second;
  return t;
}

// The lots an event creates (harvest, packing, transformation outputs).
std::vector<std::string> lots_made(const nlohmann::json& e) {
  std::string type = str(e, "type");
  if (type == "harvest" || type == "packing" || type == "planting") return {str(e, "lot")};
  std::vector<std::string> out;
  if (type == "transformation")
    for (const auto& o : e.value("outputs", nlohmann::json::array())) out.push_back(str(o, "lot"));
  return out;
}

// Recall events that name `lot` itself, or an ancestor of it with descendants:true.
std::vector<Recall> recalls_for(const std::vector<TimelineItem>& items, const std::string& lot) {
  std::vector<Recall> out;
  std::set<std::uint64_t> seen;
  for (const auto& t : items) {
    if (t.type != "recall" || t.corrected || !seen.insert(t.entry).second) continue;
    bool direct = false, via_ancestor = false;
    for (const auto& named : t.event.value("lots", nlohmann::json::array())) {
      std::string n = named.is_string() ? named.get<std::string>() : "";
      if (n == lot) direct = true;
    }
    if (!direct && t.event.value("descendants", false)) via_ancestor = true;
    if (!direct && !via_ancestor) continue;
    out.push_back({t.entry, t.lot, str(t.event, "reason"), t.time, via_ancestor});
  }
  return out;
}

// Adds the plot a planting names to the view's origins (once per plot) and its party to
// the producers (once per name).
void add_origin(Ledger& ledger, CodeView& v, const TimelineItem& planting) {
  std::string id = str(planting.event, "location");
  if (!planting.party_name.empty() &&
      std::find(v.producers.begin(), v.producers.end(), planting.party_name) == v.producers.end())
    v.producers.push_back(planting.party_name);
  if (std::any_of(v.origins.begin(), v.origins.end(), [&](const Origin& o) { return o.location_id == id; }))
    return;
  Origin o;
  o.location_id = id;
  o.name = planting.location_name;
  o.producer = planting.party_name;
  if (auto loc = ledger.store().master("location", id)) o.address = str(*loc, "address");
  v.origins.push_back(std::move(o));
}

}  // namespace

std::string Origin::display() const {
  return address.empty() || address == name ? name : name + "（" + address + "）";
}

std::uint64_t log_size(Ledger& ledger) {
  auto s = ledger.database().prepare("SELECT coalesce(max(idx) + 1, 0) FROM entries");
  s.step();
  return static_cast<std::uint64_t>(s.column_int(0));
}

std::optional<CheckpointInfo> LedgerCache::checkpoint(Ledger& ledger) {
  auto s = ledger.database().prepare("SELECT size, note FROM checkpoints ORDER BY size DESC LIMIT 1");
  if (!s.step()) return std::nullopt;
  auto size = static_cast<std::uint64_t>(s.column_int(0));
  {
    std::lock_guard lock(mu_);
    if (checkpoint_ && checkpoint_->size == size) return checkpoint_;
  }
  CheckpointInfo info;
  info.size = size;
  info.note = s.column_text(1);
  info.parsed = ledger.open_checkpoint(info.note);
  if (info.parsed.size != size)
    throw_verification(fmt::format("checkpoint row of size {} holds a note of size {}", size, info.parsed.size));
  std::lock_guard lock(mu_);
  if (!checkpoint_ || checkpoint_->size < size) checkpoint_ = info;
  return info;
}

std::map<std::string, Correction> LedgerCache::corrections(Ledger& ledger, std::uint64_t size) {
  std::lock_guard lock(mu_);
  if (corrections_scanned_ < size) {
    auto s = ledger.database().prepare(
        "SELECT entry_idx FROM events WHERE entry_idx >= ? AND entry_idx < ? AND type = 'correction' "
        "ORDER BY entry_idx");
    s.bind(1, static_cast<std::int64_t>(corrections_scanned_)).bind(2, static_cast<std::int64_t>(size));
    while (s.step()) {
      auto idx = static_cast<std::uint64_t>(s.column_int(0));
      auto e = ledger.store().event_at(idx);
      corrections_.insert_or_assign(str(e, "corrected_event_id"),
                                    Correction{idx, str(e, "reason"), str(e, "replacement_event_id"),
                                               e.contains("replacement")});
    }
    corrections_scanned_ = size;
  }
  return corrections_;
}

std::optional<CodeView> load_code_view(Ledger& ledger, LedgerCache& cache, const std::string& serial) {
  auto tx = sql::Transaction::snapshot(ledger.database());  // or the caller's
  auto code = ledger.code(serial);
  if (!code) return std::nullopt;
  CodeView v;
  v.serial = code->serial;
  v.lot = code->lot;
  v.issued_entry = code->issued_entry;
  v.voided_entry = code->voided_entry;
  v.reprints = code->reprints;
  v.log_size = log_size(ledger);
  v.checkpoint = cache.checkpoint(ledger);
  std::uint64_t cp_size = v.checkpoint ? v.checkpoint->size : 0;
  auto corrections = cache.corrections(ledger, v.log_size);

  auto lot = ledger.store().lot(v.lot);
  if (lot) v.gs1_lot_code = lot->gs1_code;
  v.lineage = ancestors_of(ledger, v.lot);

  // Events about the lineage, once each; label jobs only the one that issued this code.
  auto s = ledger.database().prepare(
      "SELECT le.entry_idx, le.lot_id, e.type FROM lot_events le JOIN events e ON e.entry_idx = le.entry_idx "
      "WHERE le.lot_id = ?1 AND (e.type NOT LIKE 'labels\\_%' ESCAPE '\\' OR le.entry_idx = ?2) "
      "ORDER BY e.unix_ms, le.entry_idx");
  std::set<std::uint64_t> seen;
  std::optional<std::string> product_id = lot ? lot->product : std::nullopt;
  for (const auto& l : v.lineage) {
    s.bind(1, l).bind(2, static_cast<std::int64_t>(v.issued_entry));
    std::vector<std::uint64_t> entries;
    while (s.step()) {
      auto idx = static_cast<std::uint64_t>(s.column_int(0));
      if (seen.insert(idx).second) entries.push_back(idx);
    }
    s.reset();
    for (auto idx : entries) {
      auto item = make_item(ledger, idx, l, cp_size, corrections);
      // An ancestor's events that made OTHER lots (a sibling's packing, say) are not part
      // of this code's journey; observations of the ancestor are.
      auto made = lots_made(item.event);
      bool relevant = made.empty() || std::any_of(made.begin(), made.end(), [&](const std::string& m) {
        return std::find(v.lineage.begin(), v.lineage.end(), m) != v.lineage.end();
      });
      if (relevant) v.timeline.push_back(std::move(item));
    }
    if (!product_id) {
      auto r = ledger.store().lot(l);
      if (r && r->product) product_id = r->product;
    }
  }
  std::stable_sort(v.timeline.begin(), v.timeline.end(), [](const auto& a, const auto& b) {
    return a.unix_ms != b.unix_ms ? a.unix_ms < b.unix_ms : a.entry < b.entry;
  });
  v.product = load_product(ledger, product_id);
  v.recalls = recalls_for(v.timeline, v.lot);
  v.interval_breaches = interval_breaches(v.lineage, ledger.store());

  v.all_checkpointed = v.issued_entry < cp_size;
  for (auto& t : v.timeline) {
    if (!t.checkpointed) v.all_checkpointed = false;
    if (t.corrected && !t.corrected->replaced) continue;
    auto ltime = time::parse_rfc3339(t.time, "event_time");
    if (t.type == "planting") {
      add_origin(ledger, v, t);
    } else if (t.type == "harvest") {
      std::string date = time::local_date(ltime);
      if (v.harvest_first.empty() || time::compare_dates(date, v.harvest_first) < 0) v.harvest_first = date;
      if (v.harvest_last.empty() || time::compare_dates(date, v.harvest_last) > 0) v.harvest_last = date;
      // The applications on or before the harvest day; one applied after it (for a later pick)
      // does not judge this harvest (the predicate of ledger/event/interval_breach.h).
      auto pesticides = ledger.store().pesticide_applications(str(t.event, "from_lot"));
      for (const auto& p : pesticides)
        if (time::compare_dates(p.application_date, date) <= 0 &&
            (!t.pesticide_safe_date || time::compare_dates(p.safe_date, *t.pesticide_safe_date) > 0))
          t.pesticide_safe_date = p.safe_date;
      if (t.pesticide_safe_date) t.interval_respected = time::compare_dates(date, *t.pesticide_safe_date) >= 0;
    } else if (t.type == "packing" && str(t.event, "lot") == v.lot) {
      v.pack_date = time::local_date(ltime);
    } else if (t.type == "inspection") {
      v.inspection = t;
    }
  }
  v.harvest_date = v.harvest_first;
  if (!v.origins.empty()) {
    v.origin = v.origins.front().display();
    v.producer = v.origins.front().producer;
  }
  if (v.producer.empty() && !v.timeline.empty()) v.producer = v.timeline.front().party_name;
  // The lot's own certificates; only when it has none, those of the lots it was made from —
  // and of those not a 一车一证 naming a shipment, which covers that load, not this box.
  auto lineage = lineage_certificates(ledger.store(), v.lot);
  const bool own = std::any_of(lineage.begin(), lineage.end(), [&](const auto& cs) {
    return cs.first.lot == v.lot && cs.second.status != CertificateStatus::voided;
  });
  for (auto& [c, state] : lineage) {
    if (state.status == CertificateStatus::voided) continue;
    if (c.lot != v.lot && (own || ledger.store().event_at(c.entry).contains("shipment"))) continue;
    CertificateSummary sum{c.number, c.lot, "", {}, certificate_status_en(state.status)};
    if (auto party = ledger.store().master("party", c.issuer)) sum.issuer_name = party->value("name", c.issuer);
    const nlohmann::json issued = ledger.store().event_at(c.entry);
    for (const auto& b : issued["bases"]) sum.bases.push_back(b["basis"]);
    v.certificates.push_back(std::move(sum));
  }
  return v;
}

std::optional<LotView> load_lot_view(Ledger& ledger, LedgerCache& cache, const std::string& lot_or_code) {
  auto tx = sql::Transaction::snapshot(ledger.database());  // or the caller's
  auto record = ledger.store().lot(lot_or_code);
  if (!record) {
    auto s = ledger.database().prepare("SELECT lot_id FROM lots WHERE gs1_code = ?");
    s.bind(1, lot_or_code);
    if (!s.step()) return std::nullopt;
    record = ledger.store().lot(s.column_text(0));
    if (!record) return std::nullopt;
  }
  LotView v;
  v.record = *record;
  v.checkpoint = cache.checkpoint(ledger);
  std::uint64_t cp_size = v.checkpoint ? v.checkpoint->size : 0;
  auto corrections = cache.corrections(ledger, log_size(ledger));
  v.parents = lineage_step(ledger, record->lot, true);
  v.children = lineage_step(ledger, record->lot, false);
  v.ancestors = ancestors_of(ledger, record->lot);
  v.ancestors.erase(v.ancestors.begin());  // itself
  v.product = load_product(ledger, record->product);
  auto s = ledger.database().prepare(
      "SELECT DISTINCT le.entry_idx FROM lot_events le WHERE le.lot_id = ? ORDER BY le.entry_idx");
  s.bind(1, record->lot);
  while (s.step())
    v.events.push_back(make_item(ledger, static_cast<std::uint64_t>(s.column_int(0)), record->lot, cp_size, corrections));
  // Recalls: about this lot, or about an ancestor with descendants:true.
  std::vector<TimelineItem> candidates = v.events;
  auto r = ledger.database().prepare(
      "SELECT le.entry_idx FROM lot_events le JOIN events e ON e.entry_idx = le.entry_idx "
      "WHERE le.lot_id = ? AND e.type = 'recall'");
  for (const auto& a : v.ancestors) {
    r.bind(1, a);
    std::vector<std::uint64_t> idx;
    while (r.step()) idx.push_back(static_cast<std::uint64_t>(r.column_int(0)));
    r.reset();
    for (auto i : idx) candidates.push_back(make_item(ledger, i, a, cp_size, corrections));
  }
  v.recalls = recalls_for(candidates, record->lot);
  return v;
}

}  // namespace agtrace::verifier
