// The ledger's checks of a correction that carries its replacement (correction_check.h).
#include "ledger/correction_check.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "ledger/event/certificate_lineage.h"
#include "ledger/event/correction.h"
#include "ledger/event/event_facts.h"
#include "ledger/event/quantity.h"
#include "ledger/event/rule_words.h"
#include "ledger/event/rules.h"
#include "ledger/event/rules_version.h"
#include "ledger/event/transformation_links.h"
#include "ledger/i18n/refusal.h"
#include "ledger/json/jcs.h"
#include "ledger/time/timestamp.h"
#include "ledger/util/error.h"
#include "ledger/util/sha256.h"

namespace agtrace::detail {

namespace {

using nlohmann::json;
using i18n::Msg;

// Rows of the corrections table for a look-ahead never get this index (entries do not reach it).
constexpr std::uint64_t kLookAheadIndex = std::uint64_t{1} << 62;

[[noreturn]] void refuse(const std::string& field, const std::string& why) {
  throw_bad_input(fmt::format("field {}: {}", field, why));
}

std::vector<std::string> column(sql::Database& db, const std::string& sql, std::uint64_t idx) {
  auto s = db.prepare(sql);
  s.bind(1, static_cast<std::int64_t>(idx));
  std::vector<std::string> out;
  while (s.step()) out.push_back(s.column_text(0));
  return out;
}

std::string quoted(const std::set<std::string>& lots, i18n::Lang lang) {
  std::vector<std::string> q;
  for (const auto& l : lots) q.push_back(lang == i18n::Lang::zh ? "「" + l + "」" : "\"" + l + "\"");
  if (q.empty()) return lang == i18n::Lang::zh ? "（无）" : "(none)";
  return fmt::format("{}", fmt::join(q, lang == i18n::Lang::zh ? "、" : ", "));
}

// The replacement names the lots the corrected entry (index `idx`) named, in each role.
void check_same_lots(store::Store& store, std::uint64_t idx, const json& r, const EventFacts& facts,
                     i18n::Lang lang) {
  auto& db = store.database();
  struct Role {
    std::set<std::string> recorded, replaced;
    std::string field;  // the replacement's field of the first lot that differs
  };
  Role created, used, taken;
  for (const auto& l : column(db, "SELECT lot_id FROM lots WHERE created_entry = ?", idx)) created.recorded.insert(l);
  for (const auto& l : column(db, "SELECT lot_id FROM lot_events WHERE entry_idx = ? AND role = 'subject'", idx))
    used.recorded.insert(l);
  for (const auto& l : column(db, "SELECT lot_id FROM lot_flows WHERE entry_idx = ? AND direction = 'out'", idx))
    taken.recorded.insert(l);
  auto note = [](Role& role, const std::string& lot, const std::string& field) {
    role.replaced.insert(lot);
    if (role.field.empty() && !role.recorded.count(lot)) role.field = field;
  };
  for (const auto& c : facts.creates) note(created, c.lot, c.field);
  for (const auto& u : facts.uses) note(used, u.lot, u.field);
  for (const auto& c : facts.consumes) note(taken, c.lot, c.field);
  for (Role* role : {&created, &used, &taken})
    if (role->recorded != role->replaced)
      refuse("replacement" + (role->field.empty() ? "" : "." + role->field),
             i18n::text(lang, Msg::correction_lots_changed, quoted(role->recorded, lang), quoted(role->replaced, lang)));
  for (const auto& c : facts.creates) {
    auto lot = store.lot(c.lot);
    auto product = product_of_new_lot(c, facts, store);
    if (lot && lot->product != product)
      refuse("replacement." + (c.product ? std::string("product") : c.field),
             i18n::text(lang, Msg::correction_product_changed, c.lot, lot->product.value_or("-"), product.value_or("-")));
  }
  // A shared transformation_id links lineage (transformation_links.h): it stays as recorded.
  auto s = db.prepare("SELECT key_id FROM events WHERE entry_idx = ?");
  s.bind(1, static_cast<std::int64_t>(idx));
  const std::string key_id = s.step() ? s.column_text(0) : "";
  auto recorded = column(db, "SELECT DISTINCT scope || char(10) || transformation_id FROM transformation_lots "
                             "WHERE entry_idx = ?", idx);
  auto m = transformation_membership(r, key_id, store.rules_version());
  const std::string replaced = m ? m->scope + "\n" + m->id : "";
  const std::string was = recorded.empty() ? "" : recorded.front();
  if (was != replaced)
    refuse("replacement.transformation_id",
           i18n::text(lang, Msg::correction_link_changed, was.substr(was.find('\n') + 1),
                      replaced.substr(replaced.find('\n') + 1)));
  // Rules version 7: an input applied to a plot with no lot reached the lots sown on that plot
  // (ledger/store/plot_inputs.cpp), and a correction does not move links: it stays on its plot.
  auto plot = column(db, "SELECT location_id FROM plot_events WHERE entry_idx = ? AND kind = 'input'", idx);
  if (!plot.empty() && r.value("location", "") != plot.front())
    refuse("replacement.location", i18n::text(lang, Msg::correction_plot_changed, plot.front(), r.value("location", "")));
}


// The base unit of `d` in the message's language.
std::string unit_word(Dimension d, i18n::Lang lang) {
  if (lang == i18n::Lang::en) return std::string(base_unit_name(d));
  return d == Dimension::mass ? "千克" : d == Dimension::volume ? "升" : "件";
}

// Lot `lot` still gives every later event what it took: walking its out-flows in entry order,
// the running total never exceeds what was made.
void check_balance(store::Store& store, const std::string& lot_id, const std::string& field, i18n::Lang lang) {
  auto lot = store.lot(lot_id);
  if (!lot || lot->external) return;
  auto made = store.produced(lot_id);
  if (made.empty()) return;  // a lot with no stated quantity (a planting)
  const Dimension dim = made.front().dimension;
  const auto pack = pack_size_of(store, lot->product);
  Decimal have;
  for (const auto& q : made)
    if (auto v = convert(q, dim, pack)) have = have + *v;
  auto s = store.database().prepare(
      "SELECT f.dimension, f.amount, f.entry_idx, e.event_id FROM lot_flows f JOIN events e ON e.entry_idx = f.entry_idx "
      "WHERE f.lot_id = ? AND f.direction = 'out' ORDER BY f.entry_idx, f.seq");
  s.bind(1, lot_id);
  Decimal taken;
  while (s.step()) {
    const std::string d = s.column_text(0);
    BaseQuantity q{d == "volume" ? Dimension::volume : d == "count" ? Dimension::count : Dimension::mass,
                   Decimal::parse(s.column_text(1), "amount")};
    if (auto v = convert(q, dim, pack)) taken = taken + *v;
    if (taken > have)
      refuse("replacement." + field,
             i18n::text(lang, Msg::correction_downstream_balance, lot_id, have.to_string(), unit_word(dim, lang),
                        s.column_text(3), s.column_int(2), taken.to_string()));
  }
}

// No valid 承诺达标合格证 of the lot, or of any lot made from it, covers more than was uncovered
// in it when it was issued, as the corrected quantities now say (the certified-stock model,
// ledger/event/certificate_lineage.h): a correction must not leave a certificate promising
// produce its lot never held uncovered.
void check_certificates(store::Store& store, const std::string& lot_id, const std::string& field, i18n::Lang lang) {
  auto below = store.database().prepare(
      "WITH RECURSIVE below(lot) AS (SELECT ?1 UNION SELECT l.child FROM lineage l JOIN below b ON l.parent = b.lot) "
      "SELECT lot FROM below");
  below.bind(1, lot_id);
  while (below.step()) {
    const std::string lot = below.column_text(0);
    auto over = over_certified(store, lot);
    if (!over) continue;
    const std::string unit = unit_word(over->dim, lang);
    refuse("replacement." + field,
           lang == i18n::Lang::en
               ? fmt::format("after this correction the 承诺达标合格证 {} of lot \"{}\" would promise {} {} more than "
                             "the lot held uncovered when it was issued; void it (certificate_voided) and issue a "
                             "right one, then correct",
                             over->number, lot, over->over.to_string(), unit)
               : fmt::format("更正后批次「{}」的承诺达标合格证 {} 会比开具时该批次未承诺的数量多承诺 {} {}；请先作废这张合格证、"
                             "按实际数量重新开具，再更正",
                             lot, over->number, over->over.to_string(), unit));
  }
}

// No later event of lot `lot_id` (created by entry `idx`) lies before its new creation time.
void check_later_times(store::Store& store, const std::string& lot_id, std::uint64_t idx, const time::Timestamp& t,
                       i18n::Lang lang) {
  auto s = store.database().prepare(
      "SELECT e.event_id, e.entry_idx, e.event_time FROM lot_events le JOIN events e ON e.entry_idx = le.entry_idx "
      "WHERE le.lot_id = ? AND le.entry_idx <> ? AND e.unix_ms < ? ORDER BY e.unix_ms, e.entry_idx LIMIT 1");
  s.bind(1, lot_id).bind(2, static_cast<std::int64_t>(idx)).bind(3, t.unix_ms);
  if (s.step())
    refuse("replacement.event_time", i18n::text(lang, Msg::correction_downstream_time, lot_id, t.text,
                                                s.column_text(0), s.column_int(1), s.column_text(2)));
}

// A packed lot keeps at least as many packs as it has live (issued, unvoided) labels (DESIGN §4).
void check_labels(store::Store& store, const json& r, i18n::Lang lang) {
  if (r["type"] != "packing") return;
  const std::string lot = r["lot"];
  const long long count = r["count"].get<long long>();
  auto s = store.database().prepare(
      "SELECT count(*), max(c.job_entry) FROM codes c WHERE c.lot_id = ?1 AND NOT EXISTS (SELECT 1 FROM code_events ce "
      "JOIN events e ON e.entry_idx = ce.entry_idx WHERE ce.serial = c.serial AND e.type = 'labels_voided')");
  s.bind(1, lot);
  if (!s.step() || s.column_int(0) <= count) return;
  const auto live = s.column_int(0);
  const auto job = s.column_int(1);
  auto id = store.database().prepare("SELECT event_id FROM events WHERE entry_idx = ?");
  id.bind(1, job);
  refuse("replacement.count", i18n::text(lang, Msg::correction_downstream_labels, lot, count, live,
                                         id.step() ? id.column_text(0) : std::string("?"), job));
}

// The derived rows of entry `idx` that the look-ahead changes, copied into temporary tables and
// put back afterwards. (Not a savepoint: the verifier's start-up replay writes its state without
// a journal, where nothing can be rolled back.)
class RowsOf {
 public:
  RowsOf(sql::Database& db, std::uint64_t idx) : db_(db), idx_(static_cast<std::int64_t>(idx)) {
    for (const auto& [table, column] : kTables) {
      db_.exec(fmt::format("CREATE TEMP TABLE IF NOT EXISTS undo_{0} AS SELECT * FROM main.{0} WHERE 0", table));
      db_.exec(fmt::format("DELETE FROM temp.undo_{}", table));
      db_.prepare(fmt::format("INSERT INTO temp.undo_{0} SELECT * FROM main.{0} WHERE {1} = ?", table, column))
          .bind(1, idx_).run();
    }
  }
  // Puts the copied rows back, and drops the look-ahead's row of the corrections table.
  void restore() {
    for (const auto& [table, column] : kTables) {
      db_.prepare(fmt::format("DELETE FROM main.{} WHERE {} = ?", table, column)).bind(1, idx_).run();
      db_.exec(fmt::format("INSERT INTO main.{0} SELECT * FROM temp.undo_{0}", table));
    }
    db_.prepare("DELETE FROM main.corrections WHERE entry_idx = ?")
        .bind(1, static_cast<std::int64_t>(kLookAheadIndex)).run();
  }

 private:
  static constexpr std::pair<const char*, const char*> kTables[] = {
      {"events", "entry_idx"},   {"lots", "created_entry"},         {"lot_flows", "entry_idx"},
      {"harvests", "entry_idx"}, {"pesticide_applications", "entry_idx"}};
  sql::Database& db_;
  std::int64_t idx_;
};

// The look-ahead of check_correction; the caller restores `rows`.
void look_ahead(store::Store& store, std::uint64_t idx, const json& r, const EventFacts& facts, const RuleOptions& rules,
                RowsOf& rows) {
  auto& db = store.database();
  // The replacement is judged as if it stood in the corrected entry's place: without that
  // entry's quantities, dates and lots (which it creates anew).
  for (const char* table : {"lot_flows", "harvests", "pesticide_applications"})
    db.prepare(fmt::format("DELETE FROM {} WHERE entry_idx = ?", table)).bind(1, static_cast<std::int64_t>(idx)).run();
  db.prepare("DELETE FROM lots WHERE created_entry = ?").bind(1, static_cast<std::int64_t>(idx)).run();
  try {
    check_rules(r, facts, store, rules);
  } catch (const Error& err) {
    if (err.kind() != ErrorKind::bad_input) throw;
    std::string why = err.what();
    throw_bad_input(why.rfind("field ", 0) == 0 ? "field replacement." + why.substr(6) : "field replacement: " + why);
  }
  rows.restore();
  // Then the later events, against the ledger as the correction leaves it.
  store.apply_replacement(idx, kLookAheadIndex, r);
  std::map<std::string, std::string> field_of;  // lot → the replacement's field that sets its amount
  for (const auto& c : facts.creates)
    if (c.quantity)
      field_of.emplace(c.lot, r["type"] == "packing" ? std::string("count")
                              : c.field.ends_with("lot") ? c.field.substr(0, c.field.size() - 3) + "quantity"
                                                         : c.field);
  for (const auto& c : facts.consumes) field_of.emplace(c.lot, c.field);
  for (const auto& [lot, field] : field_of) check_balance(store, lot, field, rules.lang);
  for (const auto& [lot, field] : field_of) check_certificates(store, lot, field, rules.lang);
  const auto t = time::parse_rfc3339(r["event_time"].get<std::string>(), "replacement.event_time");
  for (const auto& c : facts.creates) check_later_times(store, c.lot, idx, t, rules.lang);
  check_labels(store, r, rules.lang);
}

}  // namespace

std::optional<RecordedCorrection> correction_already_recorded(store::Store& store, const json& event,
                                                              i18n::Lang lang) {
  if (!is_replacing_correction(event) || !event["corrected_event_id"].is_string() || store.rules_version() < kRulesV5)
    return std::nullopt;
  const std::string id = event["corrected_event_id"];
  auto corrected = store.event_by_id(id);
  if (!corrected) return std::nullopt;
  const json& replacement = event["replacement"];
  const Hash wanted = sha256(as_bytes(agtrace::json::canonicalize(replacement)));
  const json reason = event.value("reason", json());
  auto corrections = store.corrections_of(corrected->entry_idx);
  const std::uint64_t in_force = corrections.empty() ? corrected->entry_idx : corrections.back();
  const bool current = corrected->event_hash == wanted;
  // The same correction (same replacement and reason), recorded before: the latest such.
  for (auto k = corrections.rbegin(); k != corrections.rend(); ++k) {
    const json before = store.recorded_event_at(*k);
    if (before.value("reason", json()) != reason ||
        sha256(as_bytes(agtrace::json::canonicalize(before.value("replacement", json::object())))) != wanted)
      continue;
    if (current) return RecordedCorrection{in_force, ""};
    const auto shown = differing_values({store.event_at(corrected->entry_idx), replacement}, lang);
    return RecordedCorrection{*k, i18n::text(lang, Msg::correction_superseded_again, id, *k, in_force, shown[0], shown[1])};
  }
  if (!current) return std::nullopt;
  if (corrections.empty()) return RecordedCorrection{in_force, ""};
  const json standing = store.recorded_event_at(in_force);
  return RecordedCorrection{in_force, i18n::text(lang, Msg::correction_reason_differs, id, in_force,
                                                 standing.value("event_id", ""), standing.value("reason", ""),
                                                 reason.is_string() ? reason.get<std::string>() : reason.dump())};
}

namespace {

// The dotted paths of the leaf fields where `a` and `b` differ.
void differing_paths(const json& a, const json& b, const std::string& path, std::set<std::string>& out) {
  if (a.is_object() && b.is_object()) {
    // JSON Pointer steps (RFC 6901): "~" and "/" escaped.
    auto step = [&](std::string k) {
      for (std::size_t i = 0; (i = k.find_first_of("~/", i)) != std::string::npos; i += 2)
        k.replace(i, 1, k[i] == '~' ? "~0" : "~1");
      return path + "/" + k;
    };
    for (const auto& [k, v] : a.items()) differing_paths(v, b.contains(k) ? b[k] : json(), step(k), out);
    for (const auto& [k, v] : b.items())
      if (!a.contains(k)) differing_paths(json(), v, step(k), out);
  } else if (a != b) {
    out.insert(path);
  }
}

}  // namespace

std::vector<std::string> differing_values(const std::vector<json>& versions, i18n::Lang lang) {
  std::set<std::string> paths;
  for (std::size_t i = 1; i < versions.size(); ++i) differing_paths(versions[0], versions[i], "", paths);
  std::vector<std::string> out;
  for (const auto& v : versions) {
    std::vector<std::string> parts;
    for (const auto& p : paths) {
      const json::json_pointer ptr(p);
      std::string value = !v.contains(ptr)          ? (lang == i18n::Lang::zh ? "（无）" : "(none)")
                          : v.at(ptr).is_string() ? v.at(ptr).get<std::string>()
                                                  : v.at(ptr).dump();
      std::string dotted = p.substr(1);
      std::replace(dotted.begin(), dotted.end(), '/', '.');
      parts.push_back(paths.size() == 1 ? value : dotted + " " + value);
    }
    out.push_back(fmt::format("{}", fmt::join(parts, lang == i18n::Lang::zh ? "，" : ", ")));
  }
  return out;
}

void check_correction(store::Store& store, const json& e, const RuleOptions& rules) {
  if (!is_replacing_correction(e)) return;
  const i18n::Lang lang = rules.lang;
  if (store.rules_version() < kRulesV5)
    refuse("replacement", i18n::text(lang, Msg::correction_before_v5, store.rules_version(), kRulesV5));
  const std::string id = e["corrected_event_id"];
  const json& r = e["replacement"];
  auto corrected = store.event_by_id(id);
  if (!corrected) refuse("corrected_event_id", i18n::text(lang, Msg::correction_unknown_event, id));
  if (corrected->type == "certificate_issued" || corrected->type == "certificate_voided") {
    const i18n::Words type = type_words(corrected->type), at = entry_words(corrected->entry_idx, rules);
    refuse("corrected_event_id",
           i18n::text(lang, Msg::correction_of_certificate, id,
                      lang == i18n::Lang::zh ? fmt::format("{}，{}", type.zh, at.zh) : fmt::format("{}, {}", type.en, at.en),
                      store.event_at(corrected->entry_idx).value("number", "")));
  }
  if (corrected->type == "certificate_received")
    refuse("corrected_event_id", i18n::text(lang, Msg::correction_of_received, id,
                                            store.event_at(corrected->entry_idx).value("number", "")));
  if (!correctable_type(corrected->type))
    refuse("corrected_event_id", i18n::text(lang, Msg::correction_not_correctable, id, i18n::pick(lang, type_words(corrected->type))));
  // trust14g — rules version 8: an inspection's result and measurements are the laboratory's
  // finding; a re-test is a new inspection (docs/rules-versions.md "Version 8").
  if (corrected->type == "inspection" && store.rules_version() >= kRulesV8) {
    const json was = store.event_at(corrected->entry_idx);
    for (const char* field : {"result", "items"})
      if (r.value(field, json()) != was.value(field, json()))
        throw i18n::refusal(std::string("replacement.") + field, Msg::correction_of_inspection_result, id,
                            was.value("result", "?"), r.value("result", "?"));
  }
  if (r["type"] != corrected->type)
    refuse("replacement.type", i18n::text(lang, Msg::correction_type_changed, r["type"].get<std::string>(), corrected->type));
  if (r["event_id"] != id)
    refuse("replacement.event_id", i18n::text(lang, Msg::correction_id_changed, r["event_id"].get<std::string>(), id));
  const EventFacts facts = facts_of(r);
  check_same_lots(store, corrected->entry_idx, r, facts, lang);
  RowsOf rows(store.database(), corrected->entry_idx);
  try {
    look_ahead(store, corrected->entry_idx, r, facts, rules, rows);
  } catch (...) {
    rows.restore();
    throw;
  }
  rows.restore();
}

}  // namespace agtrace::detail
