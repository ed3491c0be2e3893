// Breadth-first walks over the derived lineage table, and their rendering.
#include "ledger/regulator/lineage.h"

#include <fmt/format.h>

#include <deque>
#include <functional>
#include <map>
#include <set>

#include "ledger/event/rule_words.h"
#include "ledger/i18n/refusal.h"
#include "ledger/import/yield_check.h"
#include "ledger/util/error.h"
#include "ledger/util/similar.h"

namespace agtrace::regulator {

namespace {

std::optional<std::string> lot_by_gs1_code(sql::Database& db, const std::string& code) {
  auto s = db.prepare("SELECT lot_id FROM lots WHERE gs1_code = ?");
  s.bind(1, code);
  if (!s.step()) return std::nullopt;
  return s.column_text(0);
}

TracedLot traced_lot(store::Store& store, const std::string& lot, int depth) {
  auto r = store.lot(lot);
  if (!r) throw_verification(fmt::format("lineage names lot \"{}\", which the lots table lacks; run verify", lot));
  return {r->lot, r->gs1_code, r->product, r->created_by, r->created_entry, r->external, depth};
}

// The lots one lineage step away from `lot`.
std::vector<std::pair<std::string, std::uint64_t>> neighbours(sql::Statement& s, const std::string& lot) {
  s.bind(1, lot);
  std::vector<std::pair<std::string, std::uint64_t>> out;
  while (s.step()) out.emplace_back(s.column_text(0), static_cast<std::uint64_t>(s.column_int(1)));
  s.reset();
  return out;
}

std::vector<std::string> closure(sql::Database& db, const std::vector<std::string>& lots, bool forward) {
  auto s = db.prepare(forward ? "SELECT child, entry_idx FROM lineage WHERE parent = ?"
                              : "SELECT parent, entry_idx FROM lineage WHERE child = ?");
  std::set<std::string> seen(lots.begin(), lots.end());
  std::deque<std::string> queue(lots.begin(), lots.end());
  while (!queue.empty()) {
    std::string lot = std::move(queue.front());
    queue.pop_front();
    for (auto& [next, entry] : neighbours(s, lot))
      if (seen.insert(next).second) queue.push_back(next);
  }
  return {seen.begin(), seen.end()};
}

std::string str(const nlohmann::json& e, const char* field) {
  auto it = e.find(field);
  return it != e.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

TraceStart resolve_trace_start(Ledger& ledger, const std::string& query) {
  if (ledger.store().lot(query)) return {query, query, std::nullopt};
  if (auto lot = lot_by_gs1_code(ledger.database(), query)) return {query, *lot, std::nullopt};
  if (auto code = ledger.code(query)) return {query, code->lot, code->serial};
  // The nearest lot ids (a misread O or l, spaces at the ends of a pasted id), as show lot names them.
  std::vector<std::string> known;
  for (auto k = ledger.database().prepare("SELECT lot_id FROM lots ORDER BY created_entry"); k.step();)
    known.push_back(k.column_text(0));
  const auto near = nearest_ids(query, known);
  i18n::refuse("", i18n::Msg::trace_start_unknown, query,
               near.empty() ? i18n::Words{}
                            : i18n::Words{fmt::format("是不是{}？", quoted_list(near).zh),
                                          fmt::format(" (did you mean {}?)", quoted_list(near).en)});
}

TraceResult trace(Ledger& ledger, const TraceStart& start, Direction direction,
                  std::optional<int> max_depth) {
  if (max_depth && *max_depth < 0)
    i18n::refuse("", i18n::Msg::trace_depth_negative, *max_depth);
  sql::Database& db = ledger.database();
  store::Store& store = ledger.store();
  auto snapshot = sql::Transaction::read(db);
  const bool forward = direction == Direction::forward;

  TraceResult r;
  r.start = start;
  r.direction = direction;
  r.max_depth = max_depth;

  auto step = db.prepare(forward ? "SELECT child, entry_idx FROM lineage WHERE parent = ? ORDER BY entry_idx, child"
                                 : "SELECT parent, entry_idx FROM lineage WHERE child = ? ORDER BY entry_idx, parent");
  std::set<std::string> seen{start.lot};
  r.lots.push_back(traced_lot(store, start.lot, 0));
  for (std::size_t i = 0; i < r.lots.size(); ++i) {
    const int depth = r.lots[i].depth;
    if (max_depth && depth >= *max_depth) continue;
    const std::string lot = r.lots[i].lot;
    for (auto& [next, entry] : neighbours(step, lot)) {
      r.edges.push_back(forward ? TracedEdge{lot, next, entry} : TracedEdge{next, lot, entry});
      if (seen.insert(next).second) r.lots.push_back(traced_lot(store, next, depth + 1));
    }
  }

  auto events = db.prepare(
      "SELECT le.entry_idx, le.role, e.type, e.event_id, e.event_time FROM lot_events le "
      "JOIN events e ON e.entry_idx = le.entry_idx WHERE le.lot_id = ? ORDER BY le.entry_idx, le.role");
  std::map<std::uint64_t, nlohmann::json> decoded;
  for (const auto& lot : r.lots) {
    events.bind(1, lot.lot);
    while (events.step()) {
      TracedEvent ev{lot.lot, static_cast<std::uint64_t>(events.column_int(0)), events.column_text(1),
                     events.column_text(2), events.column_text(3), events.column_text(4), nullptr};
      auto it = decoded.find(ev.entry);
      // The event as it stands: a corrected one's latest replacement (rules version 5).
      if (it == decoded.end()) it = decoded.emplace(ev.entry, store.event_at(ev.entry)).first;
      ev.event = it->second;
      for (const char* field : {"to_party", "party"})
        if (const auto id = ev.event.find(field); id != ev.event.end() && id->is_string() &&
                                                  !r.party_names.contains(id->get<std::string>()))
          if (const auto party = store.master("party", id->get<std::string>());
              party && party->contains("name") && (*party)["name"].is_string())
            r.party_names[id->get<std::string>()] = (*party)["name"].get<std::string>();
      r.events.push_back(std::move(ev));
    }
    events.reset();
  }

  auto codes = db.prepare(
      "SELECT c.serial, c.job_entry, EXISTS (SELECT 1 FROM code_events ce JOIN events e "
      "ON e.entry_idx = ce.entry_idx AND e.type = 'labels_voided' WHERE ce.serial = c.serial) "
      "FROM codes c WHERE c.lot_id = ? ORDER BY c.serial");
  auto add_codes_of = [&](const std::string& lot) {
    codes.bind(1, lot);
    while (codes.step())
      r.codes.push_back({codes.column_text(0), lot, static_cast<std::uint64_t>(codes.column_int(1)),
                         codes.column_int(2) != 0});
    codes.reset();
  };
  if (forward) {
    for (const auto& lot : r.lots) add_codes_of(lot.lot);
  } else if (start.serial) {
    auto c = ledger.code(*start.serial);
    r.codes.push_back({c->serial, c->lot, c->issued_entry, c->voided_entry.has_value()});
  } else {
    // Backward from a lot: its own codes (a packed lot's labels), not its ancestors'.
    add_codes_of(start.lot);
  }
  return r;
}

std::vector<std::string> descendants_of(sql::Database& db, const std::vector<std::string>& lots) {
  return closure(db, lots, true);
}

std::vector<std::string> ancestors_of(sql::Database& db, const std::vector<std::string>& lots) {
  return closure(db, lots, false);
}

namespace {

nlohmann::json plots_of(const TraceResult& r) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& e : r.events)
    if (e.type == "planting" && e.role == "created")
      out.push_back({{"lot", e.lot}, {"location", str(e.event, "location")}, {"party", str(e.event, "party")},
                     {"entry", e.entry}, {"event_id", e.event_id}, {"event_time", e.event_time},
                     {"area_mu", str(e.event, "area_mu")}});
  return out;
}

nlohmann::json applications_of(const TraceResult& r, bool pesticides_only) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& e : r.events) {
    if (e.type != "input_application") continue;
    if (pesticides_only && str(e.event, "input_kind") != "pesticide") continue;
    nlohmann::json a = {{"lot", e.lot}, {"entry", e.entry}, {"event_id", e.event_id},
                        {"event_time", e.event_time}, {"input_kind", str(e.event, "input_kind")},
                        {"input_name", str(e.event, "input_name")}, {"location", str(e.event, "location")}};
    if (e.role == "plot_input") a["applied_to_plot"] = true;  // rules version 7: to the plot, no lot named
    for (const char* f : {"registration_no", "dose", "pre_harvest_interval_days", "target"})
      if (e.event.contains(f)) a[f] = e.event[f];
    out.push_back(std::move(a));
  }
  return out;
}

nlohmann::json shipments_of(const TraceResult& r) {
  nlohmann::json out = nlohmann::json::array();
  std::set<std::uint64_t> seen;
  for (const auto& e : r.events) {
    if (e.type != "shipping" || !seen.insert(e.entry).second) continue;
    nlohmann::json s = {{"entry", e.entry}, {"event_id", e.event_id}, {"event_time", e.event_time},
                        {"from_party", str(e.event, "party")}, {"to_party", str(e.event, "to_party")},
                        {"lots", e.event["lots"]}};
    for (const char* f : {"to_location", "to_address", "carrier", "vehicle", "shipment_no"})
      if (e.event.contains(f)) s[f] = e.event[f];
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace

nlohmann::json trace_json(const TraceResult& r) {
  nlohmann::json j;
  j["query"] = r.start.query;
  j["start_lot"] = r.start.lot;
  if (r.start.serial) j["serial"] = *r.start.serial;
  j["direction"] = r.direction == Direction::forward ? "forward" : "backward";
  j["depth"] = r.max_depth ? nlohmann::json(*r.max_depth) : nlohmann::json(nullptr);
  j["lots"] = nlohmann::json::array();
  for (const auto& l : r.lots)
    j["lots"].push_back({{"lot", l.lot}, {"gs1_lot_code", l.gs1_code},
                         {"product", l.product ? nlohmann::json(*l.product) : nlohmann::json(nullptr)},
                         {"created_by", l.created_by}, {"created_entry", l.created_entry},
                         {"external", l.external}, {"depth", l.depth}});
  j["edges"] = nlohmann::json::array();
  for (const auto& e : r.edges) j["edges"].push_back({{"parent", e.parent}, {"child", e.child}, {"entry", e.entry}});
  j["events"] = nlohmann::json::array();
  for (const auto& e : r.events)
    j["events"].push_back({{"lot", e.lot}, {"entry", e.entry}, {"role", e.role}, {"type", e.type},
                           {"event_id", e.event_id}, {"event_time", e.event_time}, {"event", e.event}});
  j["codes"] = nlohmann::json::array();
  for (const auto& c : r.codes)
    j["codes"].push_back({{"serial", c.serial}, {"lot", c.lot}, {"issued_entry", c.issued_entry},
                          {"status", c.voided ? "voided" : "genuine"}});
  j["plots"] = plots_of(r);
  j["input_applications"] = applications_of(r, false);
  j["pesticide_applications"] = applications_of(r, true);
  j["shipments"] = shipments_of(r);
  return j;
}

std::string packing_words(const nlohmann::json& packing, i18n::Lang lang) {
  // "200 公斤" / "200 kg": a quantity member in words.
  auto quantity = [&](const char* member) -> std::string {
    auto it = packing.find(member);
    if (it == packing.end() || !it->is_object()) return "-";
    return str(*it, "value") + " " + i18n::pick(lang, unit_code_words(str(*it, "unit")));
  };
  auto count = packing.find("count");
  const std::string pieces = count != packing.end() && count->is_number_integer()
                                 ? std::to_string(count->get<long long>()) + " " + i18n::pick(lang, unit_code_words("H87"))
                                 : "-";
  std::string out = i18n::text(lang, i18n::Msg::packing_quantities, quantity("input_quantity"), pieces, quantity("pack_size"));
  if (packing.contains("loss")) out += i18n::text(lang, i18n::Msg::packing_loss, quantity("loss"));
  return out;
}

std::string trace_text(const TraceResult& r, i18n::Lang lang) {
  using i18n::Msg;
  auto say = [lang](Msg id, const auto&... args) { return i18n::text(lang, id, args...); };
  // A time as a regulator reads it: at the event's own offset, labelled (北京时间 +08:00).
  auto when = [lang](const std::string& t) {
    try {
      return time_words(t, lang);
    } catch (const Error&) {
      return t;  // not RFC 3339 after all: as recorded
    }
  };
  // A planting, harvest or packing entered as a date alone: the date (event_time_words).
  auto when_event = [lang](const std::string& t, const std::string& type) {
    try {
      return event_time_words(t, type, lang);
    } catch (const Error&) {
      return t;
    }
  };
  // A party by id and name, as its record names it.
  auto party = [&](const std::string& id) {
    const auto name = r.party_names.find(id);
    return name == r.party_names.end() ? id : say(Msg::party_named, id, name->second);
  };
  auto word = [lang](const i18n::Words& w) { return i18n::pick(lang, w); };
  const bool forward = r.direction == Direction::forward;
  std::string out =
      say(forward ? Msg::trace_heading_forward : Msg::trace_heading_backward,
          r.start.serial ? say(Msg::trace_start_code, *r.start.serial, r.start.lot) : say(Msg::trace_start_lot, r.start.lot),
          r.max_depth ? say(Msg::trace_depth, *r.max_depth) : say(Msg::trace_whole)) +
      "\n";
  std::map<std::string, std::vector<const TracedEvent*>> by_lot;
  for (const auto& e : r.events) by_lot[e.lot].push_back(&e);
  std::map<std::string, std::vector<std::pair<std::string, std::uint64_t>>> next;
  for (const auto& e : r.edges)
    next[forward ? e.parent : e.child].emplace_back(forward ? e.child : e.parent, e.entry);
  std::map<std::string, const TracedLot*> lots;
  for (const auto& l : r.lots) lots[l.lot] = &l;

  std::set<std::string> printed;
  // Depth-first rendering of the breadth-first result; a lot reached twice (a merge seen
  // backward, a split seen forward) is printed in full once and referred to after.
  std::function<void(const std::string&, int, std::uint64_t)> print = [&](const std::string& lot, int indent,
                                                                           std::uint64_t via) {
    const TracedLot& l = *lots.at(lot);
    std::string pad(static_cast<std::size_t>(indent) * 2, ' ');
    std::string arrow = indent == 0 ? "" : (forward ? "→ " : "← ");
    std::string how = indent == 0 ? "" : say(Msg::trace_via, via);
    if (!printed.insert(lot).second) {
      out += pad + arrow + say(Msg::trace_lot_again, lot, how) + "\n";
      return;
    }
    out += pad + arrow +
           say(Msg::trace_lot, l.lot, l.gs1_code, l.product.value_or("-"), word(type_words(l.created_by)), l.created_entry,
               l.external ? say(Msg::trace_external) : std::string()) +
           how + "\n";
    for (const TracedEvent* e : by_lot[lot]) {
      std::string detail;
      if (e->type == "planting") detail = say(Msg::trace_plot, str(e->event, "location"));
      else if (e->type == "input_application")
        detail = fmt::format(" {} {} {}{}{}", word(value_words("input_application", "input_kind", str(e->event, "input_kind"))),
                             str(e->event, "input_name"), str(e->event, "registration_no"),
                             e->event.contains("pre_harvest_interval_days")
                                 ? say(Msg::trace_phi, e->event["pre_harvest_interval_days"].get<int>())
                                 : "",
                             // Rules version 7: applied to this lot's plot with no lot named.
                             e->role == "plot_input" ? say(Msg::trace_plot_input, str(e->event, "location")) : "");
      else if (e->type == "shipping")
        detail = say(Msg::trace_shipped_to, party(str(e->event, "to_party"))) +
                 (e->event.contains("shipment_no") ? say(Msg::trace_shipment_no, str(e->event, "shipment_no")) : "");
      else if (e->type == "harvest" && e->event.contains("quantity") && e->event["quantity"].is_object()) {
        detail = fmt::format(" {} {}", str(e->event["quantity"], "value"),
                             word(unit_code_words(str(e->event["quantity"], "unit"))));
        // Beyond the import's yield check: who vouched for it (yield_check.h).
        if (const auto& y = e->event.value("yield_override", nlohmann::json()); y.is_object())
          detail += (lang == i18n::Lang::zh ? "，" : "; ") +
                    (y.contains("supervisor") ? say(Msg::show_lot_yield_supervisor, kMaxHarvestKgPerMu, str(y, "supervisor"))
                                              : say(Msg::show_lot_yield_flag, kMaxHarvestKgPerMu));
      } else if (e->type == "packing")
        detail = " " + packing_words(e->event, lang);
      else if (e->type == "inspection")
        detail = say(Msg::trace_inspection, word(value_words("inspection", "result", str(e->event, "result"))),
                     str(e->event, "report_no"));
      out += fmt::format("{}    {:>6}  {}  {:<18} {}{}\n", pad, e->entry, when_event(e->event_time, e->type),
                         lang == i18n::Lang::zh ? word(type_words(e->type)) : e->type, e->event_id, detail);
    }
    for (const auto& [n, entry] : next[lot]) print(n, indent + 1, entry);
  };
  print(r.start.lot, 0, 0);

  nlohmann::json j = trace_json(r);
  if (!forward) {
    out += say(Msg::trace_plots, j["plots"].size()) + "\n";
    for (const auto& p : j["plots"])
      out += say(Msg::trace_plot_row, p["location"].get<std::string>(), p["lot"].get<std::string>(),
                 party(p["party"].get<std::string>()), p["entry"].get<std::uint64_t>()) +
             "\n";
    out += say(Msg::trace_pesticides, j["pesticide_applications"].size()) + "\n";
    for (const auto& a : j["pesticide_applications"])
      out += say(Msg::trace_pesticide_row, when(a["event_time"].get<std::string>()), a["input_name"].get<std::string>(),
                 a["lot"].get<std::string>(), a["location"].get<std::string>(), a["entry"].get<std::uint64_t>()) +
             "\n";
  } else {
    out += say(Msg::trace_shipments, j["shipments"].size()) + "\n";
    for (const auto& s : j["shipments"])
      out += say(Msg::trace_shipment_row, when(s["event_time"].get<std::string>()), s["event_id"].get<std::string>(),
                 party(s["to_party"].get<std::string>()), s["entry"].get<std::uint64_t>()) +
             "\n";
  }
  std::size_t voided = 0;
  for (const auto& c : r.codes) voided += c.voided;
  out += say(Msg::trace_codes, r.codes.size(), voided ? say(Msg::trace_codes_voided, voided) : std::string()) + "\n";
  for (const auto& c : r.codes)
    out += say(Msg::trace_code_row, c.serial, c.lot, c.voided ? say(Msg::trace_code_voided) : std::string()) + "\n";
  return out;
}

}  // namespace agtrace::regulator
