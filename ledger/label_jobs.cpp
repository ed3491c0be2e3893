// Label jobs (DESIGN §4 "Serial commitment"): one entry per job committing to its
// serial set by count and RFC 6962 root; the serials in the codes tables.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <set>

#include "ledger/append.h"
#include "ledger/audit_replay.h"
#include "ledger/event/rules_version.h"
#include "ledger/i18n/refusal.h"
#include "ledger/store/schema_check.h"
#include "ledger/store/tip_check.h"
#include "ledger/ledger.h"
#include "ledger/lot_queries.h"
#include "ledger/merkle/merkle.h"
#include "ledger/time/timestamp.h"
#include "ledger/util/error.h"

namespace agtrace {

namespace {

bool is_serial(const std::string& s) {
  static constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  return s.size() == 13 && std::all_of(s.begin(), s.end(), [](char c) {
           return kAlphabet.find(c) != std::string_view::npos;
         });
}

// trust14g: a certificate of 0 never satisfies "labels need the lot's certificate", whatever the
// ledger's rules version (rules version 8 refuses such a certificate; a ledger of an earlier
// version may hold one, and its page shows it as valid). Checked by the writers of label jobs
// (agtrace-labeler, the station), not by the replay: a job an earlier release printed on one
// stays in the log as it was. Throws Error(bad_input), 中文 / English, naming the lot.
void check_certificate_covers_some(store::Store& store, const LabelJob& job) {
  if (job.type == "labels_voided" || store.rules_version() < kRulesV4) return;
  auto lot = store.lot(job.lot);
  if (!lot || !lot->product) return;
  auto product = store.master("product", *lot->product);
  if (product && !product->value("certificate_required", true)) return;
  std::vector<std::string> zero;
  for (const auto& c : store.lot_certificates(job.lot, false)) {
    if (c.voided_entry) continue;
    if (c.quantity.amount.micros > 0) return;
    zero.push_back(c.number);
  }
  if (zero.empty()) return;  // no valid certificate at all: the ledger's rule (label_no_certificate) says so
  i18n::refuse_zh_en("lot", i18n::Msg::label_certificate_zero, job.lot, fmt::format("{}", fmt::join(zero, "、")),
                     job.type == "labels_reprinted" ? i18n::Words{"补打", "reprinted"} : i18n::Words{"打印", "issued"});
}

// Leaf hashes of the sorted serials: the serial tree of a job.
std::vector<Hash> serial_leaves(const std::vector<std::string>& sorted) {
  std::vector<Hash> leaves;
  leaves.reserve(sorted.size());
  for (const auto& s : sorted) leaves.push_back(merkle::leaf_hash(as_bytes(s)));
  return leaves;
}

// A job's serials, sorted: each a trace code, none twice.
void check_serial_set(const std::vector<std::string>& sorted) {
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    if (!is_serial(sorted[i]))
      throw_bad_input(fmt::format("serial \"{}\": a trace code is 13 Crockford base32 characters", sorted[i]));
    if (i > 0 && sorted[i] == sorted[i - 1])
      throw_bad_input(fmt::format("serial {} appears twice in the job", sorted[i]));
  }
}

Hash tree_root(const std::vector<Hash>& leaves) {
  merkle::CompactRange range;
  for (const auto& h : leaves) range.append(h);
  return range.root();
}

std::vector<std::string> job_serials(sql::Database& db, const std::string& type, std::uint64_t entry) {
  auto s = db.prepare(type == "labels_issued"
                          ? "SELECT serial FROM codes WHERE job_entry = ? ORDER BY serial"
                          : "SELECT serial FROM code_events WHERE entry_idx = ? ORDER BY serial");
  s.bind(1, static_cast<std::int64_t>(entry));
  std::vector<std::string> out;
  while (s.step()) out.push_back(s.column_text(0));
  return out;
}

}  // namespace

Hash serial_set_root(const std::vector<std::string>& sorted_serials) {
  return tree_root(serial_leaves(sorted_serials));
}

std::uint64_t Ledger::record_label_job(const LabelJob& job, const note::SigningKey& signer) {
  return write_label_job(job, signer, true);
}

void Ledger::check_label_job(const LabelJob& job, const note::SigningKey& signer) {
  write_label_job(job, signer, false);
}

std::uint64_t Ledger::write_label_job(const LabelJob& job, const note::SigningKey& signer, bool commit) {
  if (job.type != "labels_issued" && job.type != "labels_reprinted" && job.type != "labels_voided")
    throw std::logic_error("record_label_job: bad job type " + job.type);
  if (job.serials.empty()) throw_bad_input("a label job needs at least one serial");
  std::vector<std::string> sorted = job.serials;
  std::sort(sorted.begin(), sorted.end());
  check_serial_set(sorted);
  Hash root = serial_set_root(sorted);
  std::int64_t now = time::now_unix_ms();
  nlohmann::json e = {{"type", job.type},
                      {"event_id", fmt::format("{}-{}-{}", job.type, now, hex_encode(root).substr(0, 16))},
                      {"event_time", time_at_lot(*this, job.lot, now)},
                      {"party", job.party},
                      {"location", job.location},
                      {"lot", job.lot},
                      {"count", sorted.size()},
                      {"serial_root", hex_encode(root)}};
  if (!job.template_name.empty()) e["template"] = job.template_name;
  if (!job.printer.empty()) e["printer"] = job.printer;
  if (!job.reason.empty()) e["reason"] = job.reason;
  // Fields of rules version 4: a ledger not yet upgraded gets the job without them.
  if (rules_version() >= kRulesV4) {
    if (!job.operator_id.empty()) e["operator"] = job.operator_id;
    if (!job.template_sha256.empty() && job.type != "labels_voided") e["template_sha256"] = job.template_sha256;
  }
  PreparedEvent prepared = prepare_event(std::move(e), job.type);

  sql::Transaction tx(*db_);
  store::check_schema(*db_);
  store::Store store(*db_, false);
  store::check_tip(*db_, store);
  if (audit_writes_) detail::audit_before_write(*db_);
  auto key = detail::usable_key(store, signer);
  detail::check_label_job_rules(*db_, store, job.type, job.lot, sorted);
  check_certificate_covers_some(store, job);

  auto insert_entry = db_->prepare("INSERT INTO entries (idx, entry, leaf_hash) VALUES (?, ?, ?)");
  RuleOptions rules{now, true, nullptr};
  AppendOutcome out = detail::append_one(store, insert_entry, prepared, signer, &key, rules);
  detail::insert_job_serials(*db_, job.type, job.lot, *out.index, sorted);
  store::check_written(*db_, *out.index, {store.last_leaf_hash()});
  if (!commit) return *out.index;  // a dry run: the transaction rolls back
  tx.commit();
  reload_store();
  return *out.index;
}

namespace detail {

void check_label_job_rules(sql::Database& db, store::Store& store, const std::string& type, const std::string& lot_id,
                           const std::vector<std::string>& sorted) {
  check_serial_set(sorted);
  auto lot = store.lot(lot_id);
  if (!lot) throw_bad_input(fmt::format("--lot {}: unknown lot", lot_id));
  if (type == "labels_issued") {
    if (lot->created_by != "packing")
      throw_bad_input(fmt::format("--lot {}: labels are issued for packed lots (created by a packing "
                                  "event), not a {} lot",
                                  lot_id, lot->created_by));
    auto exists = db.prepare("SELECT 1 FROM codes WHERE serial = ?");
    for (const auto& s : sorted) {
      exists.bind(1, s);
      if (exists.step())
        throw_bad_input(fmt::format("serial {} was issued before; a trace code is never reused", s));
      exists.reset();
    }
    // No more live codes than packed units: extra codes would let copies pass as genuine. A
    // voided code (a torn label) no longer counts, so its box can get a new label.
    auto issued = db.prepare(
        "SELECT count(*) FROM codes c WHERE c.lot_id = ? AND NOT EXISTS (SELECT 1 FROM code_events ce JOIN events e "
        "ON e.entry_idx = ce.entry_idx AND e.type = 'labels_voided' WHERE ce.serial = c.serial)");
    issued.bind(1, lot_id);
    issued.step();
    auto already = static_cast<std::uint64_t>(issued.column_int(0));
    Decimal units;
    for (const auto& q : store.produced(lot_id))
      if (q.dimension == Dimension::count) units = units + q.amount;
    auto limit = static_cast<std::uint64_t>(units.micros / 1'000'000);
    if (already + sorted.size() > limit)
      throw_bad_input(fmt::format("--count: lot {} was packed into {} units and already has {} live codes "
                                  "(voided ones not counted); {} more would exceed the packed count — to replace a "
                                  "spoiled label, void its code first (agtrace-labeler void)",
                                  lot_id, limit, already, sorted.size()));
  } else {
    auto find = db.prepare("SELECT lot_id FROM codes WHERE serial = ?");
    auto voided = db.prepare(
        "SELECT ce.entry_idx FROM code_events ce JOIN events e ON e.entry_idx = ce.entry_idx "
        "WHERE ce.serial = ? AND e.type = 'labels_voided'");
    for (const auto& s : sorted) {
      find.bind(1, s);
      if (!find.step()) throw_bad_input(fmt::format("serial {}: no label job issued this code", s));
      if (find.column_text(0) != lot_id)
        throw_bad_input(fmt::format("serial {} belongs to lot {}, not {}", s, find.column_text(0), lot_id));
      find.reset();
      voided.bind(1, s);
      if (voided.step())
        throw_bad_input(fmt::format("serial {} was voided at entry {}", s, voided.column_int(0)));
      voided.reset();
    }
  }
}

void insert_job_serials(sql::Database& db, const std::string& type, const std::string& lot, std::uint64_t index,
                        const std::vector<std::string>& sorted) {
  const auto idx = static_cast<std::int64_t>(index);
  if (type == "labels_issued") {
    auto insert = db.prepare("INSERT INTO codes (serial, lot_id, job_entry) VALUES (?, ?, ?)");
    for (const auto& s : sorted) insert.bind(1, s).bind(2, lot).bind(3, idx).run();
  } else {
    auto insert = db.prepare("INSERT INTO code_events (entry_idx, serial) VALUES (?, ?)");
    for (const auto& s : sorted) insert.bind(1, idx).bind(2, s).run();
  }
}

}  // namespace detail

std::optional<CodeRecord> Ledger::code(const std::string& serial) {
  auto s = db_->prepare("SELECT lot_id, job_entry FROM codes WHERE serial = ?");
  s.bind(1, serial);
  if (!s.step()) return std::nullopt;
  CodeRecord r{serial, s.column_text(0), static_cast<std::uint64_t>(s.column_int(1)), std::nullopt, 0};
  auto events = db_->prepare(
      "SELECT ce.entry_idx, e.type FROM code_events ce JOIN events e ON e.entry_idx = ce.entry_idx "
      "WHERE ce.serial = ? ORDER BY ce.entry_idx");
  events.bind(1, serial);
  while (events.step()) {
    if (events.column_text(1) == "labels_voided") {
      if (!r.voided_entry) r.voided_entry = static_cast<std::uint64_t>(events.column_int(0));
    } else {
      ++r.reprints;
    }
  }
  return r;
}

SerialProof Ledger::serial_proof(const std::string& serial) {
  auto c = code(serial);
  if (!c) throw_bad_input(fmt::format("serial {}: no label job issued this code", serial));
  auto sorted = job_serials(*db_, "labels_issued", c->issued_entry);
  auto it = std::lower_bound(sorted.begin(), sorted.end(), serial);
  SerialProof p{c->issued_entry, static_cast<std::uint64_t>(it - sorted.begin()), sorted.size(), {}};
  auto leaves = serial_leaves(sorted);
  // Perfect subtrees of the serial tree, computed from the leaves.
  merkle::NodeReader read = [&](merkle::NodeId id) {
    std::uint64_t first = id.index << id.level, n = std::uint64_t{1} << id.level;
    std::vector<Hash> level(leaves.begin() + first, leaves.begin() + first + n);
    while (level.size() > 1) {
      for (std::size_t i = 0; i < level.size() / 2; ++i) level[i] = merkle::node_hash(level[2 * i], level[2 * i + 1]);
      level.resize(level.size() / 2);
    }
    return level[0];
  };
  p.path = merkle::inclusion_proof(p.leaf_index, p.count, read);
  return p;
}

namespace detail {

std::vector<std::string> stored_job_serials(sql::Database& db, std::uint64_t index, const nlohmann::json& event) {
  const std::string type = event["type"];
  auto serials = job_serials(db, type, index);
  if (serials.size() != event["count"].get<std::uint64_t>())
    throw_verification(fmt::format("entry {}: the {} job commits to {} serials but the codes table holds {}",
                                   index, type, event["count"].get<std::uint64_t>(), serials.size()));
  if (hex_encode(serial_set_root(serials)) != event["serial_root"].get<std::string>())
    throw_verification(fmt::format(
        "entry {}: the serials stored for this {} job do not match its serial_root (a code was "
        "added, removed or changed)",
        index, type));
  if (type == "labels_issued") {
    auto lots = db.prepare("SELECT count(*) FROM codes WHERE job_entry = ? AND lot_id <> ?");
    lots.bind(1, static_cast<std::int64_t>(index)).bind(2, event["lot"].get<std::string>());
    lots.step();
    if (lots.column_int(0) != 0)
      throw_verification(fmt::format("entry {}: codes of this job are bound to another lot", index));
  }
  return serials;
}

}  // namespace detail

}  // namespace agtrace
