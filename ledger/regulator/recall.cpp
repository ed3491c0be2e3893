// Recall events, recall reports and recall status.
#include "ledger/regulator/recall.h"
#include "ledger/i18n/refusal.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <map>
#include <set>

#include "ledger/csv/csv_writer.h"
#include "ledger/event/rule_words.h"
#include "ledger/i18n/refusal.h"
#include "ledger/lot_queries.h"
#include "ledger/event/quantity.h"
#include "ledger/note/verifier_key.h"
#include "ledger/regulator/lineage.h"
#include "ledger/time/timestamp.h"
#include "ledger/util/error.h"

namespace agtrace::regulator {

namespace {

std::string str(const nlohmann::json& e, const char* field) {
  auto it = e.find(field);
  return it != e.end() && it->is_string() ? it->get<std::string>() : std::string();
}

nlohmann::json event_at(sql::Database& db, std::uint64_t index) {
  auto s = db.prepare("SELECT entry FROM entries WHERE idx = ?");
  s.bind(1, static_cast<std::int64_t>(index));
  if (!s.step()) throw_verification(fmt::format("entry {} is missing; run verify", index));
  auto blob = s.column_blob(0);
  return decode_entry(std::string(reinterpret_cast<const char*>(blob.data()), blob.size()), index).event;
}

// Sums quantities per unit, in first-seen order.
void add_quantity(std::vector<std::pair<std::string, std::string>>& totals, const std::string& value,
                  const std::string& unit) {
  for (auto& [amount, u] : totals)
    if (u == unit) {
      amount = (Decimal::parse(amount, "amount") + Decimal::parse(value, "amount")).to_string();
      return;
    }
  totals.emplace_back(value, unit);
}

// "1500 kg + 20 pieces" — in `lang` the units in words ("1500 公斤 + 20 件").
std::string join_quantities(const std::vector<std::pair<std::string, std::string>>& q, i18n::Lang lang) {
  std::string out;
  for (const auto& [amount, unit] : q) {
    // The base units' names (base_unit_name): kg, L, pieces.
    i18n::Words words{unit, unit};
    for (Dimension d : {Dimension::mass, Dimension::volume, Dimension::count})
      if (unit == base_unit_name(d)) words = unit_words(d);
    out += (out.empty() ? "" : " + ") + amount + " " + i18n::pick(lang, words);
  }
  return out.empty() ? "-" : out;
}

// An event time as a regulator reads it (time_words); as recorded when it is not RFC 3339.
std::string when(const std::string& t, i18n::Lang lang) {
  try {
    return time_words(t, lang);
  } catch (const Error&) {
    return t;
  }
}

}  // namespace

std::optional<std::string> key_holder(Ledger& ledger, const note::SigningKey& key) {
  auto k = ledger.store().key(note::verifier_key_of(key).key_id());
  if (!k || k->role == "log") return std::nullopt;
  auto e = ledger.store().event_at(k->added_entry);
  if (!e.contains("holder")) return std::nullopt;
  return e["holder"].get<std::string>();
}

PreparedEvent recall_event(Ledger& ledger, const RecallRequest& r) {
  if (!ledger.store().lot(r.lot))
    throw_bad_input(fmt::format("LOT \"{}\": no such lot is recorded; give a lot id (see `agtrace-ledger trace`)", r.lot));
  if (r.party.empty()) {
    // Say exactly what to add: the party that recorded the lot, when its creating event names one.
    const auto lot = ledger.store().lot(r.lot);
    const auto made_by = ledger.store().event_at(lot->created_entry);
    if (made_by.contains("party") && made_by["party"].is_string())
      i18n::refuse_zh_en("", i18n::Msg::recall_add_party, made_by["party"].get<std::string>(), r.lot);
    i18n::refuse_zh_en("", i18n::Msg::recall_needs_party);
  }
  if (!ledger.store().has_master("party", r.party))
    i18n::refuse_zh_en("", i18n::Msg::recall_party_unknown, r.party);
  std::int64_t now = time::now_unix_ms();
  nlohmann::json e = {{"type", "recall"},
                      {"event_id", r.event_id.empty() ? fmt::format("recall-{}-{}", r.lot, now) : r.event_id},
                      {"event_time", r.event_time.empty() ? time_at_lot(ledger, r.lot, now) : r.event_time},
                      {"lots", nlohmann::json::array({r.lot})},
                      {"reason", r.reason},
                      {"party", r.party}};
  if (r.descendants) e["descendants"] = true;
  try {
    return prepare_event(std::move(e), "recall");
  } catch (const Error& err) {
    if (err.kind() == ErrorKind::bad_input && r.reason.empty())
      throw_bad_input("--reason: say why the lot is recalled (it is shown to consumers and buyers)");
    throw;
  }
}

RecallReport recall_report(Ledger& ledger, const nlohmann::json& ev, std::optional<std::uint64_t> entry) {
  sql::Database& db = ledger.database();
  store::Store& store = ledger.store();
  auto snapshot = sql::Transaction::read(db);
  RecallReport r;
  r.event_id = str(ev, "event_id");
  r.entry = entry;
  r.event_time = str(ev, "event_time");
  r.reason = str(ev, "reason");
  r.party = str(ev, "party");
  if (const auto party = store.master("party", r.party); party && party->contains("name") && (*party)["name"].is_string())
    r.party_name = (*party)["name"].get<std::string>();
  r.descendants = ev.value("descendants", false);
  for (const auto& l : ev["lots"]) r.recalled_lots.push_back(l.get<std::string>());

  std::vector<std::string> affected = r.descendants ? descendants_of(db, r.recalled_lots) : r.recalled_lots;
  std::sort(affected.begin(), affected.end());
  affected.erase(std::unique(affected.begin(), affected.end()), affected.end());
  std::set<std::string> affected_set(affected.begin(), affected.end());

  auto flows = db.prepare("SELECT dimension, amount FROM lot_flows WHERE lot_id = ? AND direction = 'in' "
                          "ORDER BY entry_idx, seq");
  auto codes = db.prepare(
      "SELECT c.serial, EXISTS (SELECT 1 FROM code_events ce JOIN events e ON e.entry_idx = ce.entry_idx "
      "AND e.type = 'labels_voided' WHERE ce.serial = c.serial) FROM codes c WHERE c.lot_id = ? ORDER BY c.serial");
  auto shipping = db.prepare(
      "SELECT DISTINCT le.entry_idx FROM lot_events le JOIN events e ON e.entry_idx = le.entry_idx "
      "WHERE le.lot_id = ? AND e.type = 'shipping'");
  std::set<std::uint64_t> shipment_entries;
  std::map<std::string, std::size_t> lot_index;
  for (const auto& lot : affected) {
    auto rec = store.lot(lot);
    if (!rec) throw_bad_input(fmt::format("lots: unknown lot \"{}\"", lot));
    AffectedLot a{lot, rec->gs1_code, rec->product, rec->created_by, {}, {}, nullptr};
    if (rec->created_by == "packing") a.packing = store.event_at(rec->created_entry);  // corrected facts
    flows.bind(1, lot);
    while (flows.step()) {
      std::string dim = flows.column_text(0);
      Dimension d = dim == "mass" ? Dimension::mass : dim == "volume" ? Dimension::volume : Dimension::count;
      add_quantity(a.produced, flows.column_text(1), std::string(base_unit_name(d)));
    }
    flows.reset();
    codes.bind(1, lot);
    while (codes.step()) r.codes.push_back({codes.column_text(0), lot, codes.column_int(1) != 0});
    codes.reset();
    shipping.bind(1, lot);
    while (shipping.step()) shipment_entries.insert(static_cast<std::uint64_t>(shipping.column_int(0)));
    shipping.reset();
    lot_index[lot] = r.lots.size();
    r.lots.push_back(std::move(a));
  }
  std::sort(r.codes.begin(), r.codes.end(), [](const auto& a, const auto& b) { return a.serial < b.serial; });

  std::map<std::string, Recipient> recipients;
  for (std::uint64_t idx : shipment_entries) {
    auto s = ledger.store().event_at(idx);  // corrected facts (rules version 5)
    Shipment sh{idx, str(s, "event_id"), str(s, "event_time"), str(s, "shipment_no"), str(s, "party"),
                str(s, "to_party"), str(s, "to_location"), str(s, "carrier"), nlohmann::json::array()};
    for (const auto& item : s["lots"]) {
      std::string lot = item["lot"];
      if (!affected_set.count(lot)) continue;
      sh.lots.push_back(item);
      if (item.contains("quantity")) {  // in the base units of `produced` (5000 KGM → 5000 kg)
        BaseQuantity q = to_base(item["quantity"], "quantity");
        add_quantity(r.lots[lot_index[lot]].shipped, q.amount.to_string(), std::string(base_unit_name(q.dimension)));
      }
    }
    auto& who = recipients[sh.to_party];
    if (who.party.empty()) {
      who.party = sh.to_party;
      if (auto m = store.master("party", sh.to_party)) {
        who.name = str(*m, "name");
        who.contact = str(*m, "contact");
        who.phone = str(*m, "phone");
        who.address = str(*m, "address");
      }
    }
    who.shipments.push_back(sh.event_id);
    r.shipments.push_back(std::move(sh));
  }
  for (auto& [id, who] : recipients) r.recipients.push_back(std::move(who));
  return r;
}

nlohmann::json recall_report_json(const RecallReport& r) {
  auto quantities = [](const std::vector<std::pair<std::string, std::string>>& q) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& [amount, unit] : q) out.push_back({{"amount", amount}, {"unit", unit}});
    return out;
  };
  nlohmann::json j = {{"event_id", r.event_id},
                      {"entry", r.entry ? nlohmann::json(*r.entry) : nlohmann::json(nullptr)},
                      {"event_time", r.event_time},
                      {"reason", r.reason},
                      {"party", r.party},
                      {"recalled_lots", r.recalled_lots},
                      {"descendants", r.descendants},
                      {"lots", nlohmann::json::array()},
                      {"code_count", r.codes.size()},
                      {"codes", nlohmann::json::array()},
                      {"shipments", nlohmann::json::array()},
                      {"recipients", nlohmann::json::array()}};
  for (const auto& l : r.lots) {
    nlohmann::json lot = {{"lot", l.lot}, {"gs1_lot_code", l.gs1_code},
                          {"product", l.product ? nlohmann::json(*l.product) : nlohmann::json(nullptr)},
                          {"created_by", l.created_by}, {"produced", quantities(l.produced)},
                          {"shipped", quantities(l.shipped)}};
    if (l.packing.is_object()) {  // the packing's own members, as recorded (units as UN/ECE codes)
      lot["packing"] = nlohmann::json::object();
      for (const char* member : {"input_lot", "input_quantity", "count", "pack_size", "loss"})
        if (l.packing.contains(member)) lot["packing"][member] = l.packing[member];
    }
    j["lots"].push_back(std::move(lot));
  }
  for (const auto& c : r.codes)
    j["codes"].push_back({{"serial", c.serial}, {"lot", c.lot}, {"status", c.voided ? "voided" : "genuine"}});
  for (const auto& s : r.shipments)
    j["shipments"].push_back({{"entry", s.entry}, {"event_id", s.event_id}, {"event_time", s.event_time},
                              {"shipment_no", s.shipment_no}, {"from_party", s.from_party},
                              {"to_party", s.to_party}, {"to_location", s.to_location},
                              {"carrier", s.carrier}, {"lots", s.lots}});
  for (const auto& p : r.recipients)
    j["recipients"].push_back({{"party", p.party}, {"name", p.name}, {"contact", p.contact}, {"phone", p.phone},
                               {"address", p.address}, {"shipments", p.shipments}});
  return j;
}

std::string recall_report_text(const RecallReport& r, const std::string& codes_file, i18n::Lang lang) {
  using i18n::Msg;
  auto say = [lang](Msg id, const auto&... args) { return i18n::text(lang, id, args...); };
  std::string out = say(Msg::recall_heading, r.event_id, r.entry ? say(Msg::recall_entry, *r.entry) : say(Msg::recall_not_recorded)) + "\n";
  // A party by id and name (the recipients' names are in the report; the recalling party's too).
  auto party = [&](const std::string& id) {
    if (id == r.party && !r.party_name.empty()) return say(Msg::party_named, id, r.party_name);
    for (const auto& p : r.recipients)
      if (p.party == id && !p.name.empty()) return say(Msg::party_named, id, p.name);
    return id;
  };
  out += say(Msg::recall_fields, when(r.event_time, lang), party(r.party), r.reason,
             fmt::format("{}", fmt::join(r.recalled_lots, lang == i18n::Lang::zh ? "、" : ", ")),
             r.descendants ? say(Msg::recall_descendants) : std::string()) +
         "\n";
  out += say(Msg::recall_lots, r.lots.size()) + "\n";
  for (const auto& l : r.lots)
    out += say(Msg::recall_lot_row, l.lot, l.gs1_code, l.product.value_or("-"), i18n::pick(lang, type_words(l.created_by)),
               join_quantities(l.produced, lang), join_quantities(l.shipped, lang)) +
           "\n" +
           (l.packing.is_object() ? say(Msg::recall_lot_packing, str(l.packing, "input_lot"), packing_words(l.packing, lang)) + "\n"
                                  : std::string());
  std::size_t voided = 0;
  for (const auto& c : r.codes) voided += c.voided;
  out += say(Msg::recall_codes, r.codes.size(), voided ? say(Msg::recall_codes_voided, voided) : std::string(),
             codes_file.empty() ? std::string() : say(Msg::recall_codes_listed, codes_file)) +
         "\n";
  out += say(Msg::trace_shipments, r.shipments.size()) + "\n";
  for (const auto& s : r.shipments) {
    std::string lots;
    for (const auto& item : s.lots)
      lots += (lots.empty() ? "" : lang == i18n::Lang::zh ? "、" : ", ") + item["lot"].get<std::string>() +
              (item.contains("quantity") ? " " + item["quantity"]["value"].get<std::string>() + " " +
                                               i18n::pick(lang, unit_code_words(item["quantity"]["unit"].get<std::string>()))
                                         : "");
    out += say(Msg::recall_shipment_row, when(s.event_time, lang), s.event_id,
               s.shipment_no.empty() ? std::string() : " (" + s.shipment_no + ")", party(s.to_party), lots) +
           "\n";
  }
  out += say(Msg::recall_recipients, r.recipients.size()) + "\n";
  for (const auto& p : r.recipients)
    out += say(Msg::recall_recipient_row, p.party, p.name, p.contact.empty() ? "-" : p.contact, p.phone, p.address) + "\n";
  return out;
}

std::string recall_report_csv(const RecallReport& r, i18n::Lang lang) {
  using i18n::Msg;
  csv::CsvWriter w;
  // The kind in Chinese goes last, so that scripts reading the columns by position keep working.
  auto zh = [](Msg kind) { return i18n::text(i18n::Lang::zh, kind); };
  w.write_row({"kind 类别", "id 编号", "lot 批次", "detail 详情", "quantity 数量", "party 主体", "contact 联系人",
               "phone 电话", "address 地址", "kind (Chinese) 类别（中文）", "time 时间"});
  // The time (last, after the columns scripts read by position): of the recall and of each shipment,
  // at the event's own offset, labelled.
  w.write_row({"recall", r.event_id, fmt::format("{}", fmt::join(r.recalled_lots, "|")), r.reason, "", r.party, "", "", "",
               zh(Msg::recall_csv_kind_recall), when(r.event_time, lang)});
  for (const auto& l : r.lots)
    w.write_row({"lot", l.gs1_code, l.lot, i18n::pick(lang, type_words(l.created_by)) + (l.product ? " " + *l.product : ""),
                 i18n::text(lang, Msg::recall_csv_made, join_quantities(l.produced, lang), join_quantities(l.shipped, lang)) +
                     (l.packing.is_object() ? i18n::text(lang, Msg::recall_csv_packing, packing_words(l.packing, lang)) : ""),
                 "", "", "", "", zh(Msg::recall_csv_kind_lot), ""});
  for (const auto& c : r.codes)
    w.write_row({"trace_code", c.serial, c.lot, i18n::text(lang, c.voided ? Msg::recall_csv_voided : Msg::recall_csv_genuine),
                 "", "", "", "", "", zh(Msg::recall_csv_kind_trace_code), ""});
  for (const auto& s : r.shipments)
    for (const auto& item : s.lots)
      w.write_row({"shipment", s.event_id, item["lot"].get<std::string>(), s.shipment_no,
                   item.contains("quantity") ? item["quantity"]["value"].get<std::string>() + " " +
                                                   i18n::pick(lang, unit_code_words(item["quantity"]["unit"].get<std::string>()))
                                             : "",
                   s.to_party, "", "", "", zh(Msg::recall_csv_kind_shipment), when(s.event_time, lang)});
  for (const auto& p : r.recipients)
    w.write_row({"recipient", p.party, "", p.name, "", p.party, p.contact, p.phone, p.address,
                 zh(Msg::recall_csv_kind_recipient), ""});
  return w.text();
}

std::string recall_codes_list(const RecallReport& r) {
  std::string out;
  for (const auto& c : r.codes) out += c.serial + "\n";
  return out;
}

std::optional<RecallStatus> recall_status(sql::Database& db, const std::string& lot) {
  auto snapshot = sql::Transaction::read(db);
  auto recalls = db.prepare(
      "SELECT e.entry_idx FROM lot_events le JOIN events e ON e.entry_idx = le.entry_idx "
      "WHERE le.lot_id = ? AND e.type = 'recall' ORDER BY e.entry_idx");
  std::optional<RecallStatus> best;
  for (const auto& candidate : ancestors_of(db, {lot})) {
    recalls.bind(1, candidate);
    while (recalls.step()) {
      auto idx = static_cast<std::uint64_t>(recalls.column_int(0));
      if (best && best->entry <= idx) break;
      auto e = event_at(db, idx);
      if (candidate != lot && !e.value("descendants", false)) continue;
      best = RecallStatus{candidate, idx, str(e, "event_id"), str(e, "event_time"), str(e, "reason")};
      break;
    }
    recalls.reset();
  }
  return best;
}

}  // namespace agtrace::regulator
