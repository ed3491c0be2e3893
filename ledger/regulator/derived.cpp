// Derived bundle files from entries: CSV with FSMA 204-style KDEs, JSON lines, EPCIS.
#include "ledger/regulator/derived.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cstdlib>
#include <iterator>
#include <map>
#include <set>
#include <stdexcept>

#include "ledger/csv/csv_writer.h"
#include "ledger/epcis/epcis_export.h"
#include "ledger/event/correction.h"
#include "ledger/event/event_facts.h"
#include "ledger/event/lot_code.h"
#include "ledger/event/received_lot.h"
#include "ledger/event/rules_version.h"
#include "ledger/event/rule_words.h"
#include "ledger/event/rules.h"
#include "ledger/json/jcs.h"
#include "ledger/time/timestamp.h"
#include "ledger/util/error.h"

namespace agtrace::regulator {

namespace {

using json = nlohmann::json;

std::string str(const json& e, const char* field) {
  auto it = e.find(field);
  return it != e.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// What the bundle's entries say about master data, lots and events. The rules version is
// replayed entry by entry (docs/rules-versions.md): rules_version_at(i) is the version in
// force at entry i, set by the last log_init or rules_upgraded entry up to it; while the
// constructor replays an entry, rules_version() answers for that entry, and afterwards for an
// entry after the bundle's last.
class BundleState final : public LedgerState {
 public:
  explicit BundleState(const std::vector<Entry>& entries) {
    for (const auto& e : entries) {
      const std::string type = str(e.event, "type");
      if (type == "log_init") base_url_ = str(e.event, "base_url");
      if (type == "log_init" || type == "rules_upgraded") {  // in force from this entry on, as in the store
        rules_version_ = e.event.value("rules_version", kRulesV1);
        versions_[e.index] = rules_version_;
      }
      events_[str(e.event, "event_id")] = &e.event;
      by_index_[e.index] = &e.event;
      event_entries_[str(e.event, "event_id")] = {e.index, type};
      EventFacts f = with_received_lot(facts_of(e.event), e.event, *this);  // as the store applies it
      for (const auto& [parent, child] : f.lineage) parents_[child].push_back(parent);
      if (f.defines) master_[*f.defines] = &e.event;
      for (const auto& c : f.creates) {
        LotRecord r;
        r.lot = c.lot;
        r.product = product_of_new_lot(c, f, *this);
        r.created_entry = e.index;
        r.created_by = type;
        r.external = c.external;
        lots_[c.lot] = std::move(r);
      }
    }
  }

  const std::string& base_url() const { return base_url_; }
  std::optional<json> master_of(const std::string& kind, const std::string& id) const {
    const json* m = master_ref(kind, id);
    if (!m) return std::nullopt;
    return *m;
  }
  // The master data's event in the bundle's entries, or nullptr.
  const json* master_ref(const std::string& kind, const std::string& id) const {
    auto it = master_.find({kind, id});
    return it == master_.end() ? nullptr : it->second;
  }
  std::optional<json> event_of(const std::string& id) const {
    auto it = events_.find(id);
    if (it == events_.end()) return std::nullopt;
    return *it->second;
  }
  std::optional<std::string> product_of(const std::string& lot) const {
    auto it = lots_.find(lot);
    return it == lots_.end() ? std::nullopt : it->second.product;
  }
  int rules_version_at(std::uint64_t index) const {
    auto it = versions_.upper_bound(index);
    return it == versions_.begin() ? kRulesV1 : std::prev(it)->second;
  }

  std::optional<LotRecord> lot(const std::string& lot_id) override {
    auto it = lots_.find(lot_id);
    if (it == lots_.end()) return std::nullopt;
    return it->second;
  }
  bool has_event(const std::string& event_id) override { return events_.count(event_id) != 0; }
  bool has_master(const std::string& kind, const std::string& id) override { return master_.count({kind, id}) != 0; }
  std::optional<json> master(const std::string& kind, const std::string& id) override { return master_of(kind, id); }
  std::optional<std::string> product_with_gtin(const std::string& gtin) override {
    for (const auto& [key, e] : master_)
      if (key.first == "product" && str(*e, "gtin") == gtin) return key.second;
    return std::nullopt;
  }
  std::vector<PesticideRecord> pesticide_applications(const std::string&) override { return {}; }
  std::vector<HarvestRecord> harvests_from(const std::string&) override { return {}; }
  std::vector<std::string> plot_lots_reached(const std::string&, std::int64_t, const std::string&) override {
    return {};
  }
  std::vector<BaseQuantity> produced(const std::string&) override { return {}; }
  std::vector<BaseQuantity> consumed(const std::string&) override { return {}; }
  int rules_version() override { return rules_version_; }
  json event_at(std::uint64_t index) override {
    auto it = by_index_.find(index);
    if (it == by_index_.end()) throw_verification(fmt::format("entry {} is not in the bundle", index));
    return *it->second;
  }
  std::optional<std::pair<std::uint64_t, std::string>> event_entry(const std::string& event_id) override {
    auto it = event_entries_.find(event_id);
    if (it == event_entries_.end()) return std::nullopt;
    return it->second;
  }
  std::vector<std::string> parent_lots(const std::string& lot_id) override {
    auto it = parents_.find(lot_id);
    return it == parents_.end() ? std::vector<std::string>{} : it->second;
  }
  // Bundles are checked by their signatures and derived files, not by the append rules: the
  // certificate questions below are never asked of a bundle.
  std::vector<LotEventRecord> lot_events(const std::string&, const std::string&) override { return {}; }
  std::optional<CertificateRecord> issued_certificate(const std::string&) override { return std::nullopt; }
  std::optional<CertificateRecord> received_certificate(const std::string&, const std::string&) override {
    return std::nullopt;
  }
  std::vector<CertificateRecord> lot_certificates(const std::string&, bool) override { return {}; }
  std::vector<CertificateRecord> certificates_ignoring_case(const std::string&) override { return {}; }
  std::optional<CertificateRecord> first_issued_by(const std::string&) override { return std::nullopt; }
  std::vector<LineageEdge> parent_edges(const std::string&) override { return {}; }
  std::vector<LotFlow> lot_flows(const std::string&) override { return {}; }

 private:
  std::map<std::uint64_t, const json*> by_index_;
  std::map<std::string, std::pair<std::uint64_t, std::string>> event_entries_;
  std::map<std::string, std::vector<std::string>> parents_;
  std::string base_url_;
  int rules_version_ = kRulesV1;
  std::map<std::uint64_t, int> versions_;  // first entry index → version in force from there
  std::map<std::string, const json*> events_;
  std::map<std::pair<std::string, std::string>, const json*> master_;
  std::map<std::string, LotRecord> lots_;
};

std::string lot_code(const std::string& lot) { return is_gs1_safe(lot) ? lot : derived_lot_code(lot, 0); }

epcis::ExportContext context_of(const BundleState& state) {
  epcis::ExportContext ctx;
  ctx.base_url = state.base_url();
  ctx.master = [&state](const std::string& kind, const std::string& id) { return state.master_ref(kind, id); };
  ctx.lot = [&state](const std::string& lot) {
    return std::pair<std::optional<std::string>, std::string>{state.product_of(lot), lot_code(lot)};
  };
  ctx.event = [&state](const std::string& id) { return state.event_of(id); };
  return ctx;
}

// A sortable UTC time: always with milliseconds, "2022-10-05T00:30:00.000Z".
std::string sortable_utc(const std::string& event_time) {
  std::string t = time::format_utc(time::parse_rfc3339(event_time, "event_time").unix_ms);
  if (t.size() == 20) t.insert(19, ".000");
  return t;
}

std::string cte_of(const json& e) {
  const std::string type = str(e, "type");
  static const std::map<std::string, std::string> names = {
      {"planting", "Growing 种植"},          {"input_application", "Input application 投入品使用"},
      {"harvest", "Harvesting 采收"},        {"inspection", "Inspection 检测"},
      {"transformation", "Transformation 加工"}, {"packing", "Initial packing 包装"},
      {"labels_issued", "Labelling 赋码"},   {"labels_reprinted", "Label reprint 补打"},
      {"labels_voided", "Label void 作废"},  {"storage", "Storage 储存"},
      {"precooling", "Cooling 预冷"},        {"shipping", "Shipping 发货"},
      {"receiving", "Receiving 收货"},       {"correction", "Correction 更正"},
      {"recall", "Recall 召回"}};
  if (type == "external") return "Partner event 外部事件 " + str(e["epcis"], "type");
  auto it = names.find(type);
  return it == names.end() ? type : it->second;
}

// Bundle format 6: event type `type` in Chinese, as a clerk writes it in the 事件类型 column (the
// words of rule_words.h type_words when format 6 was made). Kept here, not read from
// csv-columns.json: a bundle's derived file is regenerated byte for byte by every later release,
// so its words never change with the import's. A type without a word stays as it is.
std::string type_in_chinese(const std::string& type) {
  static const std::map<std::string, std::string> words = {
      {"planting", "种植"},           {"input_application", "投入品使用"}, {"harvest", "采收"},
      {"inspection", "检测"},         {"transformation", "加工"},         {"packing", "包装"},
      {"precooling", "预冷"},         {"storage", "贮藏"},               {"shipping", "发货"},
      {"receiving", "收货"},          {"recall", "召回"},                 {"correction", "更正"},
      {"certificate_issued", "开具合格证"}, {"certificate_voided", "作废合格证"},
      {"certificate_received", "收取合格证"}, {"labels_issued", "打印标签"}, {"labels_reprinted", "补打标签"},
      {"labels_voided", "作废标签"},  {"external", "外部事件"}};
  auto it = words.find(type);
  return it == words.end() ? type : it->second;
}

struct Row {
  std::string utc;
  std::uint64_t index = 0;
  std::vector<std::string> fields;
};

std::string joined(const std::vector<std::string>& v) { return fmt::format("{}", fmt::join(v, " | ")); }

// The units in words (公斤, 吨, 件), "" where the code is empty.
std::vector<std::string> unit_names(const std::vector<std::string>& codes) {
  std::vector<std::string> out;
  for (const auto& c : codes) out.push_back(c.empty() ? "" : unit_code_words(c).zh);
  return out;
}

// Entries of the bundle's corrections (rules version 5) by the event id they correct, ascending.
using Corrections = std::map<std::string, std::vector<std::uint64_t>>;

// "17" (or "17 | 23"): the bundle's correction entries that replaced the event of `entry`
// after it — for an original event all of them, for a correction (bundle format 5) the later
// corrections of the same event; "" if none (a correction before format 5: always "").
std::string corrected_by(const Entry& entry, const Corrections& corrections, bool superseded_corrections) {
  const bool correction = entry.event.value("type", "") == "correction";
  if (correction && !(superseded_corrections && is_replacing_correction(entry.event))) return "";
  auto it = corrections.find(str(entry.event, correction ? "corrected_event_id" : "event_id"));
  if (it == corrections.end()) return "";
  std::vector<std::string> indices;
  for (auto i : it->second)
    if (i > entry.index) indices.push_back(std::to_string(i));
  return joined(indices);
}

Row csv_row(const Entry& entry, BundleState& state, const Corrections& corrections, const DerivedLayout& layout) {
  if (is_replacing_correction(entry.event)) {
    // Rules version 5: the row of a correction that carries its replacement holds the corrected
    // facts (the replacement's lots, quantities, place and time), named as the correction.
    Entry replacement = entry;
    replacement.event = entry.event["replacement"];
    Row r = csv_row(replacement, state, {}, layout);
    r.fields[25] = corrected_by(entry, corrections, layout.superseded_corrections);  // "Corrected by"
    r.fields[3] = "correction";
    r.fields[26] = type_in_chinese("correction");  // "Event type (Chinese)"
    r.fields[4] = "Correction 更正: " + r.fields[4];
    r.fields[5] = str(entry.event, "event_id");
    r.fields[17] = joined({"corrects " + str(entry.event, "corrected_event_id"), str(entry.event, "reason")}) +
                   (r.fields[17].empty() ? "" : " | " + r.fields[17]);
    return r;
  }
  const json& e = entry.event;
  const std::string type = str(e, "type");
  std::vector<std::string> lots, quantities, units, inputs, refs;
  std::string source, destination, location = str(e, "location");
  auto add_lot = [&](const std::string& lot, const json* q) {
    lots.push_back(lot);
    quantities.push_back(q && q->is_object() ? str(*q, "value") : "");
    units.push_back(q && q->is_object() ? str(*q, "unit") : "");
  };
  auto add_list = [&](const json& list) {
    for (const auto& item : list)
      if (item.is_string()) add_lot(item, nullptr);
      else add_lot(item["lot"], item.contains("quantity") ? &item["quantity"] : nullptr);
  };
  if (type == "planting" || (type == "input_application" && e.contains("lot"))) add_lot(e["lot"], nullptr);
  else if (type == "harvest") { add_lot(e["lot"], &e["quantity"]); inputs.push_back(e["from_lot"]); }
  else if (type == "packing") {
    json count = {{"value", std::to_string(e["count"].get<long long>())}, {"unit", "H87"}};
    add_lot(e["lot"], &count);
    inputs.push_back(e["input_lot"]);
  } else if (type == "transformation") {
    for (const auto& o : e["outputs"]) add_lot(o["lot"], &o["quantity"]);
    for (const auto& i : e["inputs"]) inputs.push_back(fmt::format("{} {} {}", str(i, "lot"), str(i["quantity"], "value"), str(i["quantity"], "unit")));
  } else if (type == "labels_issued" || type == "labels_reprinted" || type == "labels_voided") {
    json count = {{"value", std::to_string(e["count"].get<long long>())}, {"unit", "H87"}};
    add_lot(e["lot"], &count);
    refs.push_back("serial_root " + str(e, "serial_root"));
  } else if (e.contains("lots")) {
    add_list(e["lots"]);
  }
  if (type == "input_application") {
    refs.push_back(str(e, "input_name"));
    if (e.contains("registration_no")) refs.push_back(str(e, "registration_no"));
  }
  if (type == "inspection") {
    refs.push_back("report " + str(e, "report_no"));
    if (e.contains("certificate_no")) refs.push_back("certificate " + str(e, "certificate_no"));
    refs.push_back(str(e, "result"));
  }
  if (type == "shipping" || type == "receiving")
    if (e.contains("shipment_no")) refs.push_back(str(e, "shipment_no"));
  if (type == "shipping") {
    source = str(e, "party");
    destination = str(e, "to_party") + (e.contains("to_location") ? " @ " + str(e, "to_location") : "");
  } else if (type == "receiving") {
    source = str(e, "from_party");
    destination = str(e, "party");
  } else {
    source = str(e, "party");
  }
  if (type == "correction") refs.push_back("corrects " + str(e, "corrected_event_id"));
  if (type == "recall" || type == "correction" || type == "labels_voided") refs.push_back(str(e, "reason"));
  if (type == "external") {
    const json& x = e["epcis"];
    EventFacts f = facts_of(e);
    for (const auto& m : f.uses) add_lot(m.lot, nullptr);  // ours, by own_lots
    for (const auto& m : f.introduces) add_lot(m.lot, nullptr);
    for (const auto& [parent, child] : f.lineage) inputs.push_back(parent);
    std::sort(inputs.begin(), inputs.end());
    inputs.erase(std::unique(inputs.begin(), inputs.end()), inputs.end());
    if (x.contains("bizTransactionList"))
      for (const auto& b : x["bizTransactionList"]) refs.push_back(str(b, "bizTransaction"));
    if (x.contains("bizLocation")) location = str(x["bizLocation"], "id");
    else if (x.contains("readPoint")) location = str(x["readPoint"], "id");
    if (x.contains("sourceList"))
      for (const auto& s : x["sourceList"]) source += (source.empty() ? "" : " | ") + str(s, "source");
    if (x.contains("destinationList"))
      for (const auto& d : x["destinationList"]) destination += (destination.empty() ? "" : " | ") + str(d, "destination");
  }

  std::vector<std::string> codes, products, names, gtins;
  for (const auto& lot : lots) {
    codes.push_back(lot_code(lot));
    auto product = state.product_of(lot);
    products.push_back(product.value_or(""));
    auto p = product ? state.master_of("product", *product) : std::nullopt;
    names.push_back(p ? str(*p, "name") : "");
    gtins.push_back(p ? str(*p, "gtin") : "");
  }
  auto dedupe = [](std::vector<std::string> v) {
    std::vector<std::string> out;
    for (auto& x : v)
      if (std::find(out.begin(), out.end(), x) == out.end()) out.push_back(std::move(x));
    return out;
  };
  auto loc = location.empty() ? std::nullopt : state.master_of("location", location);
  auto t = time::parse_rfc3339(str(e, "event_time"), "event_time");
  // The offset the event was written with — a partner's EPCIS eventTimeZoneOffset, else the
  // event_time's own ("Z" as +00:00, "-00:00" kept) — and the calendar date there.
  std::string offset = t.unknown_local_offset ? "-00:00" : fmt::format("{}{:02}:{:02}", t.offset_minutes < 0 ? '-' : '+',
                                                                          std::abs(t.offset_minutes) / 60,
                                                                          std::abs(t.offset_minutes) % 60);
  time::Timestamp local = t;
  // (Import checks eventTimeZoneOffset; an external event recorded by hand may carry anything,
  // and then its event_time's offset stands.)
  const std::string written = type == "external" ? str(e["epcis"], "eventTimeZoneOffset") : "";
  auto digit = [&](std::size_t i) { return written[i] >= '0' && written[i] <= '9'; };
  if (written.size() == 6 && (written[0] == '+' || written[0] == '-') && digit(1) && digit(2) && written[3] == ':' &&
      digit(4) && digit(5)) {
    offset = written;
    const int minutes = std::stoi(written.substr(1, 2)) * 60 + std::stoi(written.substr(4, 2));
    local.offset_minutes = written[0] == '-' ? -minutes : minutes;
    local.unknown_local_offset = written == "-00:00";
  }
  return {sortable_utc(str(e, "event_time")),
          entry.index,
          {std::to_string(entry.index), sortable_utc(str(e, "event_time")), str(e, "event_time"), type, cte_of(e),
           str(e, "event_id"), joined(lots), joined(codes), joined(dedupe(products)), joined(dedupe(names)),
           joined(dedupe(gtins)), joined(quantities), joined(units), location, loc ? str(*loc, "name") : "",
           loc ? str(*loc, "gln") : "", time::local_date(t), joined(refs), source, destination, joined(inputs),
           entry.key_id, offset, time::local_date(local), joined(unit_names(units)),
           corrected_by(entry, corrections, layout.superseded_corrections), type_in_chinese(type)}};
}

std::string csv_file(const std::vector<const Entry*>& rows, BundleState& state, const DerivedLayout& layout,
                     const Corrections& corrections) {
  std::vector<Row> out;
  for (const Entry* e : rows) {
    out.push_back(csv_row(*e, state, corrections, layout));
    if (!layout.chinese_type_column) out.back().fields.pop_back();
    if (!layout.clerk_columns) out.back().fields.resize(out.back().fields.size() - 2);
    if (!layout.offset_columns) out.back().fields.resize(out.back().fields.size() - 2);
  }
  std::sort(out.begin(), out.end(), [](const Row& a, const Row& b) {
    return a.utc != b.utc ? a.utc < b.utc : a.index < b.index;
  });
  csv::CsvWriter w;
  std::vector<std::string> header = {"Entry 条目", "Event time UTC 事件时间(UTC)", "Event time 事件时间", "Event type 事件类型",
               "Critical tracking event 关键追踪事件", "Event ID 事件编号", "Traceability lot code 追溯批次码",
               "GS1 lot code GS1批次码", "Product 产品", "Product name 产品名称", "GTIN", "Quantity 数量",
               "Unit 单位", "Location 地点", "Location name 地点名称", "GLN", "Date 日期",
               "Reference document 参考文件", "Source 来源", "Destination 去向", "Input lots 投入批次",
               "Signed by 签名密钥"};
  if (layout.offset_columns) header.insert(header.end(), {"UTC offset 时区偏移", "Local date 当地日期"});
  if (layout.clerk_columns) header.insert(header.end(), {"Unit name 单位名称", "Corrected by 已被更正（条目）"});
  if (layout.chinese_type_column) header.push_back("Event type (Chinese) 事件类型（中文）");
  w.write_row(header);
  for (const auto& r : out) w.write_row(r.fields);
  return w.text();
}

}  // namespace

std::vector<DerivedLayout> layouts_of(int bundle_format) {
  switch (bundle_format) {
    case 1: return {{false, false, false, false, false}, {true, false, false, false, false}};
    case 2: return {{true, true, false, false, false}};
    case 3:
    case 4: return {{true, true, true, false, false}};  // 4 changed where the proofs go, not the derived files
    case 5: return {{true, true, true, true, false}};
    case 6: return {{true, true, true, true, true}};
  }
  throw std::out_of_range(fmt::format("bundle format {}", bundle_format));
}

std::string format_name(ExportFormat f) {
  switch (f) {
    case ExportFormat::csv: return "csv";
    case ExportFormat::jsonl: return "jsonl";
    case ExportFormat::epcis: return "epcis";
  }
  return "";
}

ExportFormat parse_format(const std::string& name) {
  if (name == "csv") return ExportFormat::csv;
  if (name == "jsonl") return ExportFormat::jsonl;
  if (name == "epcis") return ExportFormat::epcis;
  throw_bad_input(fmt::format("--format \"{}\": use csv, jsonl or epcis", name));
}

std::string derived_file_name(ExportFormat f) {
  switch (f) {
    case ExportFormat::csv: return "events.csv";
    case ExportFormat::jsonl: return "events.jsonl";
    case ExportFormat::epcis: return "epcis.jsonld";
  }
  return "";
}

std::vector<std::string> lots_named(const nlohmann::json& event) {
  // A correction carrying its replacement (rules version 5) names the replacement's lots.
  EventFacts f = facts_of(is_replacing_correction(event) ? event["replacement"] : event);
  std::set<std::string> lots;
  for (const auto& c : f.creates) lots.insert(c.lot);
  for (const auto& u : f.uses) lots.insert(u.lot);
  for (const auto& c : f.consumes) lots.insert(c.lot);
  for (const auto& m : f.introduces) lots.insert(m.lot);
  return {lots.begin(), lots.end()};
}

std::map<std::string, std::string> lot_products(const std::vector<Entry>& entries) {
  std::map<std::string, std::string> out;
  BundleState state(entries);
  for (const auto& e : entries) {
    for (const auto& c : facts_of(e.event).creates)
      if (auto p = state.product_of(c.lot)) out[c.lot] = *p;
    if (e.event.value("type", "") == "certificate_received")  // a lot it brought in (rules version 5)
      if (auto p = state.product_of(e.event["lot"])) out[e.event["lot"]] = *p;
  }
  return out;
}

bool is_support_type(const std::string& type) {
  return type == "log_init" || type == "key_added" || type == "key_revoked" || type == "log_key_rotated" ||
         type == "rules_upgraded" || type == "party" ||
         type == "location" || type == "product";
}

std::string derived_file(const std::vector<Entry>& entries, const std::vector<std::uint64_t>& selected,
                         ExportFormat format, const DerivedLayout& layout) {
  BundleState state(entries);
  std::set<std::uint64_t> wanted(selected.begin(), selected.end());
  std::vector<const Entry*> rows;
  for (const auto& e : entries)
    if (wanted.count(e.index)) rows.push_back(&e);
  switch (format) {
    case ExportFormat::csv: {
      Corrections corrections;
      for (const auto& e : entries)
        if (is_replacing_correction(e.event)) corrections[str(e.event, "corrected_event_id")].push_back(e.index);
      return csv_file(rows, state, layout, corrections);
    }
    case ExportFormat::jsonl: {
      std::string out;
      for (const Entry* e : rows) out += e->event_canonical + "\n";
      return out;
    }
    case ExportFormat::epcis: {
      auto ctx = context_of(state);
      // Bundle format 5: each replacing correction's predecessor, the latest earlier replacing
      // correction of the same event (by entry index), whose corrective event it declares erroneous.
      std::map<std::string, const json*> superseded;  // correction event id → the one it replaced
      if (layout.superseded_corrections) {
        std::map<std::string, const json*> last_of;  // corrected event id → its latest correction so far
        for (const auto& e : entries)
          if (is_replacing_correction(e.event)) {
            const json*& last = last_of[str(e.event, "corrected_event_id")];
            if (last) superseded[str(e.event, "event_id")] = last;
            last = &e.event;
          }
        ctx.superseded_correction = [&superseded](const json& correction) -> const json* {
          auto it = superseded.find(str(correction, "event_id"));
          return it == superseded.end() ? nullptr : it->second;
        };
      }
      std::int64_t latest = 0;
      for (const Entry* e : rows)
        latest = std::max(latest, time::parse_rfc3339(str(e->event, "event_time"), "event_time").unix_ms);
      const std::string created = time::format_utc(latest);
      std::vector<json> events;
      std::vector<std::map<std::string, std::string>> prefixes;
      std::vector<const std::string*> canonical;  // the entry's own RFC 8785 bytes where agtrace:event is its event
      for (const Entry* e : rows) {
        // Our transformation_id means "one transformation" from rules version 2 on
        // (transformation_links.h): judged by the version in force at the entry.
        ctx.transformation_ids = layout.transformation_ids && state.rules_version_at(e->index) >= kRulesV2;
        for (auto& x : epcis::to_epcis_events(e->event, ctx)) {
          auto member = x.find("agtrace:event");
          canonical.push_back(member != x.end() && *member == e->event ? &e->event_canonical : nullptr);
          events.push_back(std::move(x));
          prefixes.push_back(epcis::context_prefixes_of(e->event));
        }
      }
      return epcis::canonical_epcis_document(std::move(events), prefixes, created, canonical) + "\n";
    }
  }
  return "";
}

}  // namespace agtrace::regulator
