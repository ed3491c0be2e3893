// The station's 承诺达标合格证 screen: evidence, offer, issue and void (certificates.h).
#include "station/certificates.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "ledger/certificates.h"
#include "ledger/event/certificate_lineage.h"
#include "ledger/event/certificate_rules.h"
#include "ledger/event/quantity.h"
#include "ledger/time/timestamp.h"
#include "ledger/util/error.h"
#include "station/history.h"
#include "station/lots.h"

namespace agtrace::station {
namespace {

using Json = nlohmann::json;
constexpr int kBeijing = 480;  // UTC+08:00, minutes

std::string str(const Json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

std::string party_name(store::Store& s, const std::string& party) {
  auto p = s.master("party", party);
  return p ? str(*p, "name") : "";
}

// The location every planting and harvest of the ancestry grew at or under (the nearest such
// location up the `parent` chain of the first one), "" when the ancestry grew nowhere recorded
// or has no common location; the problem is said in `problem`.
std::string common_origin(store::Store& s, const std::vector<std::string>& ancestry, std::string& problem) {
  std::vector<std::vector<std::string>> chains;
  std::set<std::string> seen;
  for (const auto& a : ancestry) {
    auto lot = s.lot(a);
    if (!lot || (lot->created_by != "planting" && lot->created_by != "harvest")) continue;
    std::string grew = str(s.event_at(lot->created_entry), "location");
    if (grew.empty() || !seen.insert(grew).second) continue;
    std::vector<std::string> chain{grew};
    for (int step = 0; step < 64; ++step) {
      auto loc = s.master("location", chain.back());
      if (!loc || !loc->contains("parent")) break;
      chain.push_back((*loc)["parent"].get<std::string>());
    }
    chains.push_back(std::move(chain));
  }
  if (chains.empty()) {
    problem = "账本里没有这个批次的种植或采收记录，无法确定产地：请文员开具（导入时写明产地） / the lot's ancestry records no "
              "planting or harvest: the station cannot tell its origin; the clerk issues this certificate by import";
    return "";
  }
  for (const auto& candidate : chains.front()) {
    bool everywhere = true;
    for (const auto& c : chains) everywhere = everywhere && std::find(c.begin(), c.end(), candidate) != c.end();
    if (everywhere) return candidate;
  }
  problem = "这个批次来自几个产地，它们没有共同的上级地点：请文员在地点主数据里给它们登记上级地点（上级地点编号），或由文员开具 / "
            "the lot grew in places with no common parent location: record a parent for them, or the clerk issues it";
  return "";
}

// Why the lot can take no certificate at all: a recall or a failed inspection in its ancestry.
std::string blocked_by(store::Store& s, const std::string& lot, const std::vector<std::string>& ancestry) {
  for (const auto& a : ancestry) {
    auto recalls = s.lot_events(a, "recall");
    std::string from = a == lot ? "" : fmt::format("的来源批次 {}", a);
    // What the operator can check on paper — the day, the report number, the laboratory — not event ids.
    auto day = [](const Json& e) { return str(e, "event_time").substr(0, 10); };
    if (!recalls.empty()) {
      Json e = s.event_at(recalls.front().entry);
      return fmt::format("批次 {}{} 已于 {} 被召回，不能开具合格证，请联系主管 / lot {} or a lot it was made from was "
                         "recalled on {}: no certificate",
                         lot, from, day(e), lot, day(e));
    }
    for (const auto& r : s.lot_events(a, "inspection")) {
      Json e = s.event_at(r.entry);
      if (str(e, "result") != "fail") continue;
      std::string lab = str(e, "lab").empty() ? "" : "，" + str(e, "lab");
      return fmt::format("批次 {}{} 检测不合格（报告 {}{}，{}），不能开具合格证，请联系主管 / lot {} or a lot it was made "
                         "from failed inspection (report {}, {}): no certificate",
                         lot, from, str(e, "report_no"), lab, day(e), lot, str(e, "report_no"), day(e));
    }
  }
  return "";
}

const std::vector<std::string>& basis_order() {
  static const std::vector<std::string> order{"quality_control", "self_tested", "commissioned_test"};
  return order;
}

// Decimal text of `q` in kg when it converts, else "".
std::string kg_of(Decimal amount, Dimension dim, const std::optional<BaseQuantity>& pack) {
  if (dim == Dimension::mass) return amount.to_string();
  auto kg = convert(BaseQuantity{dim, amount}, Dimension::mass, pack);
  return kg ? kg->to_string() : "";
}

// The UN/ECE Rec 20 code of a base unit.
std::string rec20_of(Dimension d) { return d == Dimension::mass ? "KGM" : d == Dimension::volume ? "LTR" : "H87"; }

// `amount` of `dim` for `lot` as a certificate prints a quantity: "2000 箱（共 10000 公斤）" for a
// count of packages whose product has a pack size in weight or volume, else "10000 公斤" (ledger/
// certificates.h certificate_unit_zh, certificate_weight_zh).
std::string quantity_zh(store::Store& s, const std::string& lot, Decimal amount, Dimension dim,
                        const std::optional<BaseQuantity>& pack) {
  std::string text = fmt::format("{} {}", amount.to_string(), certificate_unit_zh(s, lot, rec20_of(dim)));
  if (dim == Dimension::count && pack && pack->dimension != Dimension::count)
    if (auto total = convert(BaseQuantity{dim, amount}, pack->dimension, pack))
      text += fmt::format("（共 {} {}）", total->to_string(), pack->dimension == Dimension::mass ? "公斤" : "升");
  return text;
}

}  // namespace

Json certificate_offer(Ledger& ledger, const std::string& enterprise, const std::string& lot_id, std::int64_t now_ms) {
  auto packed = lot_summary(ledger, lot_id);
  if (!packed || packed->packer != enterprise)  // another enterprise's lot: as an unknown one
    throw_bad_input(fmt::format("本企业没有包装过批次“{}”：工作站只为本企业包装的批次开具合格证 / your enterprise packed no "
                                "lot \"{}\"",
                                lot_id, lot_id));
  store::Store& s = ledger.store();
  const auto ancestry = lot_ancestry(lot_id, s);
  const std::string today = time::local_date(time::parse_rfc3339(time::format_at_offset(now_ms, kBeijing), "now"));

  Json out;
  out["lot"] = lot_id;
  out["product"] = packed->product;
  out["product_name"] = product_summary(ledger, packed->product).name;
  std::string origin_problem;
  std::string origin = common_origin(s, ancestry, origin_problem);
  out["origin"] = origin;
  auto loc = origin.empty() ? std::nullopt : s.master("location", origin);
  out["origin_name"] = loc ? str(*loc, "name") : "";
  out["origin_problem"] = origin_problem;

  // Inspections of the ancestry: who tested, and what each basis may name.
  Json inspections = Json::array();
  std::vector<std::string> self_ok, lab_ok;
  std::map<std::string, Json> evidence_of;  // event id → what the operator recognises of it
  for (const auto& a : ancestry)
    for (const auto& r : s.lot_events(a, "inspection")) {
      Json insp = s.event_at(r.entry);
      const std::string by = str(insp, "party");
      auto p = s.master("party", by);
      const std::string kind = by == enterprise ? "self" : (p && str(*p, "role") == "laboratory" ? "lab" : "other");
      bool before = false;
      try {
        before = time::parse_rfc3339(str(insp, "event_time"), "event_time").unix_ms <= now_ms;
      } catch (const Error&) {
      }
      if (str(insp, "result") == "pass" && before) {
        if (kind == "self" && std::find(self_ok.begin(), self_ok.end(), r.event_id) == self_ok.end()) self_ok.push_back(r.event_id);
        if (kind == "lab" && std::find(lab_ok.begin(), lab_ok.end(), r.event_id) == lab_ok.end()) lab_ok.push_back(r.event_id);
      }
      Json row = {{"event_id", r.event_id}, {"time", str(insp, "event_time")}, {"date", str(insp, "event_time").substr(0, 10)},
                  {"lot", a}, {"party", by}, {"party_name", p ? str(*p, "name") : ""}, {"by", kind},
                  {"result", str(insp, "result")}, {"report_no", str(insp, "report_no")}};
      evidence_of.emplace(r.event_id, row);
      inspections.push_back(std::move(row));
    }
  out["inspections"] = inspections;

  // Pesticide applications with their pre-harvest intervals.
  Json inputs = Json::array();
  std::string running;
  for (const auto& a : ancestry) {
    auto l = s.lot(a);
    for (const auto& p : s.pesticide_applications(a)) {
      std::string name;
      if (auto found = s.event_entry(p.event_id)) name = str(s.event_at(found->first), "input_name");
      bool run = l && l->created_by != "planting" && time::compare_dates(p.application_date, today) <= 0 &&
                 time::compare_dates(today, p.safe_date) < 0;
      if (run && running.empty())
        running = fmt::format("批次 {} 在 {} 施用的 {}（{}）安全间隔期 {} 天，{} 才到期，今天不能开具合格证 / a pre-harvest "
                              "interval runs until {}: no certificate today",
                              a, p.application_date, name, p.event_id, p.pre_harvest_interval_days, p.safe_date, p.safe_date);
      inputs.push_back({{"event_id", p.event_id}, {"lot", a}, {"input_name", name},
                        {"application_date", p.application_date}, {"pre_harvest_interval_days", p.pre_harvest_interval_days},
                        {"safe_date", p.safe_date}, {"running", run}});
    }
  }
  out["inputs"] = inputs;

  auto pack = pack_size_of(s, packed->product);
  auto pack_of_lot = [&](const std::string& l) {
    auto found = s.lot(l);
    return pack_size_of(s, found ? found->product : std::optional<std::string>());
  };
  Json certs = Json::array();
  for (const auto& [record, st] : lineage_certificates(s, lot_id))
    certs.push_back({{"number", record.number}, {"issuer", record.issuer}, {"lot", record.lot},
                     {"received", record.received}, {"quantity", record.quantity.amount.to_string()},
                     {"quantity_text", quantity_zh(s, record.lot, record.quantity.amount, record.quantity.dimension,
                                                   pack_of_lot(record.lot))},
                     {"unit", certificate_unit_zh(s, record.lot, rec20_of(record.quantity.dimension))},
                     {"status", certificate_status_en(st.status)},
                     {"status_text", fmt::format("{} / {}", certificate_status_zh(st.status), certificate_status_en(st.status))},
                     {"reason", st.reason}});
  out["certificates"] = certs;

  CertifiedStockView stock = certified_stock(s, lot_id);
  out["stock"] = {{"known", stock.known},
                  {"made_text", quantity_zh(s, lot_id, stock.made, stock.dim, pack)},
                  {"uncertified_text", quantity_zh(s, lot_id, stock.uncertified, stock.dim, pack)},
                  {"unit", stock.dim == Dimension::mass ? "公斤" : stock.dim == Dimension::volume ? "升" : "件"},
                  {"made", stock.made.to_string()},
                  {"certified", stock.certified.to_string()},
                  {"uncertified", stock.uncertified.to_string()},
                  {"uncertified_kg", kg_of(stock.uncertified, stock.dim, pack)}};

  Json shipments = Json::array();
  for (const auto& r : s.lot_events(lot_id, "shipping")) {
    Json e = s.event_at(r.entry);
    shipments.push_back({{"event_id", r.event_id}, {"time", str(e, "event_time")}, {"to_party", str(e, "to_party")},
                         {"to_party_name", party_name(s, str(e, "to_party"))}});
  }
  out["shipments"] = shipments;

  std::string blocked = blocked_by(s, lot_id, ancestry);
  if (blocked.empty()) blocked = running;
  if (blocked.empty() && stock.known && stock.uncertified.micros <= 0)
    blocked = fmt::format("批次 {} 的产品已全部有合格证，不需要再开具 / every kilogram of lot {} is certified already", lot_id,
                          lot_id);
  out["blocked"] = blocked;

  Json bases = Json::array();
  for (const auto& b : basis_order()) {
    Json j = {{"basis", b}, {"name", basis_zh(b)}, {"evidence", Json::array()}, {"evidence_detail", Json::array()},
              {"reason", ""}};
    if (b == "self_tested") {
      j["evidence"] = self_ok;
      if (self_ok.empty())
        j["reason"] = "没有本企业自己做的合格检测记录（请先记录检测，结果为合格） / no passed inspection by your enterprise";
    } else if (b == "commissioned_test") {
      j["evidence"] = lab_ok;
      if (lab_ok.empty())
        j["reason"] = "没有检测机构（主体类型为检测机构）的合格检测记录 / no passed inspection by a laboratory";
    } else {
      bool external = false;
      for (const auto& a : ancestry)
        if (auto l = s.lot(a); l && l->external) external = true;
      if (external)
        j["reason"] = "批次来自系统外收购的产品，账本里没有它的生产记录，不能勾“质量安全控制符合要求”；请勾检测合格 / the lot "
                      "holds produce bought from outside the ledger: tick a test instead";
    }
    for (const auto& id : j["evidence"]) j["evidence_detail"].push_back(evidence_of.at(id.get<std::string>()));
    if (!blocked.empty() && j["reason"] == "") j["reason"] = blocked;
    j["supported"] = j["reason"] == "";
    bases.push_back(j);
  }
  out["bases"] = bases;
  return out;
}

std::string next_certificate_number(Ledger& ledger, const std::string& enterprise, std::int64_t now_ms) {
  std::string prefix;
  for (char c : enterprise)
    if ((std::isalnum(static_cast<unsigned char>(c)) || c == '-') && prefix.size() < 20)
      prefix.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  if (prefix.empty())
    throw_bad_input(fmt::format("企业编号 {} 里没有英文字母或数字，工作站编不出合格证编号，请文员开具 / party id {} keeps no "
                                "ASCII letter or digit for a certificate number",
                                enterprise, enterprise));
  std::string day = china_date(now_ms);
  day.erase(std::remove(day.begin(), day.end(), '-'), day.end());
  for (int n = 1; n < 100000; ++n) {
    std::string number = fmt::format("{}-{}-{:03d}", prefix, day, n);
    if (!ledger.store().issued_certificate(number)) return number;
  }
  throw_bad_input("今天的合格证编号已用完 / no certificate number left today");
}

namespace {

// The ledger's refusal of a station append, Chinese first (the rules' "field X: 中文 / English").
[[noreturn]] void rethrow_refusal(const AppendRefused& e) {
  for (const auto& o : e.outcomes())
    if (!o.error.empty()) throw_bad_input(o.error);
  throw_bad_input(e.what());
}

std::uint64_t append_one(Ledger& ledger, const note::SigningKey& key, Json event, const std::string& where,
                         std::int64_t now_ms) {
  PreparedEvent p = prepare_event(std::move(event), where);
  if (!p.error.empty()) throw_bad_input(p.error);
  p.lang = i18n::Lang::zh;
  AppendOptions o;
  o.now_unix_ms = now_ms;
  try {
    auto out = ledger.append({p}, key, o);
    return *out.at(0).index;
  } catch (const AppendRefused& e) {
    rethrow_refusal(e);
  }
}

}  // namespace

IssuedCertificate issue_certificate(Ledger& ledger, const note::SigningKey& key, const std::string& enterprise,
                                    const CertificateRequest& r, std::int64_t now_ms) {
  Json offer = certificate_offer(ledger, enterprise, r.lot, now_ms);
  if (!offer["blocked"].get<std::string>().empty()) throw_bad_input(offer["blocked"].get<std::string>());
  if (offer["origin"].get<std::string>().empty()) throw_bad_input(offer["origin_problem"].get<std::string>());
  if (r.bases.empty())
    throw_bad_input("请至少勾选一项开具依据 / bases: tick at least one basis the evidence supports");
  Decimal kg;
  try {
    kg = Decimal::parse(r.quantity_kg, "quantity");
  } catch (const Error&) {
    kg.micros = -1;
  }
  if (kg.micros <= 0)
    throw_bad_input(fmt::format("数量“{}”不对：请填公斤数，如 500 或 12.5（最多 6 位小数） / quantity: kilograms, e.g. 500 or "
                                "12.5",
                                r.quantity_kg));
  Json bases = Json::array();
  std::set<std::string> seen;
  for (const auto& b : r.bases) {
    const Json* offered = nullptr;
    for (const auto& o : offer["bases"])
      if (o["basis"] == b) offered = &o;
    if (!offered)
      throw_bad_input(fmt::format("没有这种开具依据“{}” / bases: unknown basis \"{}\"", b, b));
    if (!seen.insert(b).second) continue;
    if (!(*offered)["supported"].get<bool>())
      throw_bad_input(fmt::format("不能勾“{}”：{}", (*offered)["name"].get<std::string>(),
                                  (*offered)["reason"].get<std::string>()));
    Json basis = {{"basis", b}};
    if (!(*offered)["evidence"].empty()) basis["evidence"] = (*offered)["evidence"];
    bases.push_back(basis);
  }
  if (!r.shipment.empty()) {
    bool found = false;
    for (const auto& sh : offer["shipments"]) found = found || sh["event_id"] == r.shipment;
    if (!found)
      throw_bad_input(fmt::format("发货记录“{}”不是这个批次的发货，请从列表里选 / shipment \"{}\" does not carry lot {}",
                                  r.shipment, r.shipment, r.lot));
  }
  IssuedCertificate out;
  out.number = next_certificate_number(ledger, enterprise, now_ms);
  Json e = {{"type", "certificate_issued"},
            {"event_id", "station-cert-" + out.number},
            {"event_time", time::format_at_offset(now_ms - now_ms % 1000, kBeijing)},
            {"number", out.number},
            {"style", "producer"},
            {"issuer", enterprise},
            {"lot", r.lot},
            {"quantity", {{"value", kg.to_string()}, {"unit", "KGM"}}},
            {"product", offer["product"]},
            {"origin", offer["origin"]},
            {"bases", bases}};
  if (!r.shipment.empty()) e["shipment"] = r.shipment;
  if (!r.operator_id.empty()) e["operator"] = r.operator_id;
  out.entry = append_one(ledger, key, std::move(e), "合格证 " + out.number, now_ms);
  return out;
}

std::uint64_t void_certificate(Ledger& ledger, const note::SigningKey& key, const std::string& enterprise,
                               const std::string& number, const std::string& reason, const std::string& operator_id,
                               std::int64_t now_ms) {
  auto c = number.empty() ? std::nullopt : ledger.store().issued_certificate(number);
  if (!c || c->issuer != enterprise)
    throw_bad_input(fmt::format("本企业没有编号为“{}”的合格证 / your enterprise issued no certificate \"{}\"", number, number));
  if (c->voided_entry)
    throw_bad_input(fmt::format("合格证 {} 已经作废了（条目 {}），不用再作废 / certificate {} was voided at entry {}", number,
                                *c->voided_entry, number, *c->voided_entry));
  if (reason.empty() || reason.size() > 1000)
    throw_bad_input("请写明作废原因（最多约 300 个汉字） / reason: say why the certificate is voided");
  Json e = {{"type", "certificate_voided"},
            {"event_id", "station-void-" + number},
            {"event_time", time::format_at_offset(now_ms - now_ms % 1000, kBeijing)},
            {"number", number},
            {"reason", reason}};
  if (!operator_id.empty()) e["operator"] = operator_id;
  return append_one(ledger, key, std::move(e), "作废合格证 " + number, now_ms);
}

}  // namespace agtrace::station
