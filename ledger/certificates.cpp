// Certificate views from a Store (certificates.h).
#include "ledger/certificates.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <map>

#include "ledger/csv/csv_writer.h"
#include "ledger/event/certificate_rules.h"
#include "ledger/event/interval_breach.h"
#include "ledger/time/timestamp.h"

namespace agtrace {

namespace {

std::string str(const nlohmann::json& e, const char* field) {
  auto it = e.find(field);
  return it != e.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string master_field(store::Store& store, const char* kind, const std::string& id, const char* field) {
  auto m = store.master(kind, id);
  return m ? str(*m, field) : std::string();
}

}  // namespace

const char* certificate_status_zh(CertificateStatus s) {
  switch (s) {
    case CertificateStatus::valid: return "有效";
    case CertificateStatus::voided: return "已作废";
    case CertificateStatus::invalidated: return "已失效";
  }
  return "";
}

const char* certificate_status_en(CertificateStatus s) {
  switch (s) {
    case CertificateStatus::valid: return "valid";
    case CertificateStatus::voided: return "voided";
    case CertificateStatus::invalidated: return "invalidated";
  }
  return "";
}

const char* basis_zh(const std::string& basis) {
  if (basis == "self_tested") return "自行检测合格";
  if (basis == "commissioned_test") return "委托检测合格";
  return "质量安全控制符合要求";
}

std::string certificate_unit_zh(store::Store& store, const std::string& lot, const std::string& unit) {
  if (unit == "H87") {
    auto l = store.lot(lot);
    return l && l->created_by == "packing" ? "箱" : "件";
  }
  static const std::map<std::string, std::string, std::less<>> units = {
      {"KGM", "公斤"}, {"TNE", "吨"}, {"GRM", "克"}, {"LTR", "升"}, {"MLT", "毫升"}};
  auto it = units.find(unit);
  return it == units.end() ? unit : it->second;
}

std::string certificate_unit_en(const std::string& unit_zh) {
  static const std::map<std::string, std::string, std::less<>> glosses = {
      {"公斤", "kg"}, {"吨", "t"}, {"克", "g"}, {"升", "L"}, {"毫升", "mL"}, {"箱", "cases"}, {"件", "pieces"}};
  auto it = glosses.find(unit_zh);
  return it == glosses.end() ? unit_zh : it->second;
}

std::string certificate_weight_zh(store::Store& store, const std::string& lot, const nlohmann::json& quantity) {
  if (str(quantity, "unit") != "H87") return {};
  auto l = store.lot(lot);
  auto pack = pack_size_of(store, l ? l->product : std::nullopt);
  if (!pack || pack->dimension == Dimension::count) return {};
  auto total = convert(to_base(quantity, "quantity"), pack->dimension, pack);
  if (!total) return {};
  return fmt::format("{} {}", total->to_string(), pack->dimension == Dimension::mass ? "公斤" : "升");
}

namespace {

// 产地 as printed, from the location's address and name (certificate_origin_zh).
std::string origin_text(const std::string& address, const std::string& name) {
  if (address.empty()) return name;
  if (address.find(name) != std::string::npos) return address;
  return address + "（" + name + "）";
}

}  // namespace

std::string certificate_origin_zh(const CertificateView& v) {
  return origin_text(v.origin_address, v.origin_name.empty() ? str(v.event, "origin") : v.origin_name);
}

CertificateState certificate_state(store::Store& store, const CertificateRecord& c) {
  CertificateState s;
  if (c.voided_entry) {
    auto e = store.event_at(*c.voided_entry);
    return {CertificateStatus::voided, c.voided_entry, str(e, "event_id"), str(e, "event_time"), str(e, "reason"), "",
            std::nullopt};
  }
  // The earliest recall or failed inspection on the ancestry after the certificate. An inspection
  // counts from the entry that made it a failure: its own, or the correction that changed a passed
  // result to a failed one (which may come after a certificate that rested on the passed result).
  for (const auto& lot : lot_ancestry(c.lot, store)) {
    for (const char* type : {"recall", "inspection"})
      for (const auto& r : store.lot_events(lot, type)) {
        auto e = store.event_at(r.entry);  // as corrected
        std::string reason;
        std::uint64_t from = r.entry;
        if (std::string(type) == "recall") {
          reason = fmt::format("召回：{}", str(e, "reason"));
        } else if (str(e, "result") == "fail") {
          reason = fmt::format("检测不合格（报告 {}）", str(e, "report_no"));
          if (str(store.recorded_event_at(r.entry), "result") != "fail")
            for (auto k : store.corrections_of(r.entry))
              if (str(store.recorded_event_at(k).value("replacement", nlohmann::json::object()), "result") == "fail") {
                from = k;
                reason += fmt::format("，第 {} 条更正为不合格", k);
                break;
              }
        } else {
          continue;
        }
        if (from <= c.entry || (s.entry && *s.entry <= from)) continue;
        if (lot != c.lot) reason += fmt::format("，来源批次 {}", lot);
        s = {CertificateStatus::invalidated, from, str(e, "event_id"), str(e, "event_time"), reason, "", std::nullopt};
      }
  }
  // Rules version 8 (interval_breach.h): 质量安全控制符合要求 is not met once a harvest of the
  // ancestry lies inside a pre-harvest interval — a spray recorded late. It counts from the entry
  // that made the breach: the later of the application and the harvest, or a correction of either.
  if (c.received || !ticks_quality_control(store.event_at(c.entry))) return s;
  for (const auto& b : interval_breaches(lot_ancestry(c.lot, store), store)) {
    std::uint64_t from = std::max(b.application_entry, b.harvest_entry);
    for (auto k : store.corrections_of(b.application_entry)) from = std::max(from, k);
    for (auto k : store.corrections_of(b.harvest_entry)) from = std::max(from, k);
    if (from <= c.entry || (s.entry && *s.entry <= from)) continue;
    const auto spray = store.event_at(b.application_entry);
    // A correction records its own time (when it was made); an application or harvest entry only
    // the time of the spray or the harvest, which is before the certificate.
    const bool corrected = from != b.application_entry && from != b.harvest_entry;
    std::string reason = fmt::format("安全间隔期内用药（第 {} 条 {}：{} {} 施药，安全间隔期 {} 天，{} 起才能采收；批次 {} 于 {} 采收）",
                                     b.application_entry, b.application.event_id, b.application.application_date,
                                     str(spray, "input_name"), b.application.pre_harvest_interval_days,
                                     b.application.safe_date, b.harvest_lot, b.harvest_date);
    s = {CertificateStatus::invalidated, from, b.application.event_id,
         corrected ? str(store.recorded_event_at(from), "event_time") : std::string(), reason,
         str(spray, "event_time"), b.application_entry};
  }
  return s;
}

std::string certificate_state_when_zh(const CertificateState& s) {
  if (s.applied_at.empty()) return s.time;
  if (s.applied_entry && s.applied_entry == s.entry) return fmt::format("用药时间 {}，在本证之后登记", s.applied_at);
  return fmt::format("{}第 {} 条记录登记（用药时间 {}）", s.time.empty() ? "" : s.time + "，", s.entry.value_or(0),
                     s.applied_at);
}

std::string certificate_state_when_en(const CertificateState& s) {
  if (s.applied_at.empty()) return s.time;
  if (s.applied_entry && s.applied_entry == s.entry)
    return fmt::format("sprayed {}, recorded after this certificate", s.applied_at);
  return fmt::format("{}entry {} recorded it (sprayed {})", s.time.empty() ? "" : s.time + ", ", s.entry.value_or(0),
                     s.applied_at);
}

EntrySigner entry_signer(store::Store& store, std::uint64_t entry) {
  auto s = store.database().prepare("SELECT key_id FROM events WHERE entry_idx = ?");
  s.bind(1, static_cast<std::int64_t>(entry));
  if (!s.step()) return {};
  EntrySigner out{s.column_text(0), "", ""};
  if (auto k = store.key(out.key_id)) out.holder = store.key_holder(*k).value_or("");
  if (!out.holder.empty()) out.holder_name = master_field(store, "party", out.holder, "name");
  return out;
}

std::string entry_signer_words(const EntrySigner& s, i18n::Lang lang) {
  const std::string party = s.holder_name.empty() ? s.holder
                            : lang == i18n::Lang::zh ? fmt::format("{}（{}）", s.holder_name, s.holder)
                                                     : fmt::format("{} ({})", s.holder_name, s.holder);
  const std::string holder = s.holder.empty() ? i18n::text(lang, i18n::Msg::key_no_holder_words)
                                              : i18n::text(lang, i18n::Msg::key_holder_words, party);
  return lang == i18n::Lang::zh ? fmt::format("{}（{}）", s.key_id, holder) : fmt::format("{} ({})", s.key_id, holder);
}

std::optional<CertificateView> load_certificate(store::Store& store, const std::string& number) {
  auto c = store.issued_certificate(number);
  if (!c) return std::nullopt;
  CertificateView v;
  v.record = *c;
  v.issued_by = entry_signer(store, c->entry);
  if (c->voided_entry) v.voided_by = entry_signer(store, *c->voided_entry);
  v.event = store.event_at(c->entry);
  v.state = certificate_state(store, *c);
  v.issuer_name = master_field(store, "party", c->issuer, "name");
  v.issuer_phone = master_field(store, "party", c->issuer, "phone");
  v.product_name = master_field(store, "product", str(v.event, "product"), "name");
  v.origin_name = master_field(store, "location", str(v.event, "origin"), "name");
  v.origin_address = master_field(store, "location", str(v.event, "origin"), "address");
  v.quantity_unit_zh = certificate_unit_zh(store, c->lot, str(v.event["quantity"], "unit"));
  v.quantity_weight_zh = certificate_weight_zh(store, c->lot, v.event["quantity"]);
  if (v.event.contains("shipment"))
    if (auto ship = store.event_entry(str(v.event, "shipment"))) v.shipment = store.event_at(ship->first);
  for (const auto& basis : v.event["bases"])
    for (const auto& id : basis.value("evidence", nlohmann::json::array())) {
      auto found = store.event_entry(id.get<std::string>());
      if (!found) continue;
      auto e = store.event_at(found->first);
      v.evidence.push_back({basis["basis"], found->first, e, master_field(store, "party", str(e, "party"), "name"),
                            entry_signer(store, found->first)});
    }
  for (const auto& lot : lot_ancestry(c->lot, store))
    for (const auto& p : store.pesticide_applications(lot)) {
      std::string name;
      if (auto found = store.event_entry(p.event_id)) name = str(store.event_at(found->first), "input_name");
      v.inputs.push_back({lot, p, name});
    }
  for (const auto& p : v.event.value("parents", nlohmann::json::array())) {
    CertificateParent parent;
    parent.issuer = p["issuer"];
    parent.issuer_name = master_field(store, "party", p["issuer"], "name");
    parent.number = p["number"];
    parent.record = parent_certificate(store, parent.issuer, parent.number, c->entry);
    if (parent.record) {
      parent.own_page = !parent.record->received || !store.issued_certificate(parent.number);
      const auto e = store.event_at(parent.record->entry);
      parent.quantity = e["quantity"];
      parent.quantity_unit_zh = certificate_unit_zh(store, parent.record->lot, str(e["quantity"], "unit"));
      if (parent.record->received) {
        parent.issued_on = str(e, "issued_on");
        parent.received_at = str(e, "event_time");
      } else {
        auto issued = time::parse_rfc3339(str(e, "event_time"), "event_time");
        issued.offset_minutes = 8 * 60;  // 开具日期 is printed as the date in Beijing time
        issued.unknown_local_offset = false;
        parent.issued_on = time::local_date(issued);
      }
    }
    v.parents.push_back(std::move(parent));
  }
  return v;
}

std::vector<ReceivedCertificateView> load_received_certificates(store::Store& store, const std::string& number) {
  auto rows = store.database().prepare(
      "SELECT issuer FROM certificates WHERE kind = 'received' AND number = ?1 ORDER BY entry_idx");
  rows.bind(1, number);
  std::vector<std::string> issuers;
  while (rows.step()) issuers.push_back(rows.column_text(0));
  std::vector<ReceivedCertificateView> out;
  for (const auto& issuer : issuers) {
    auto c = store.received_certificate(issuer, number);
    if (!c) continue;
    ReceivedCertificateView v;
    v.record = *c;
    v.event = store.event_at(c->entry);
    v.issuer_name = master_field(store, "party", issuer, "name");
    v.buyer_name = master_field(store, "party", str(v.event, "party"), "name");
    v.product_name = master_field(store, "product", str(v.event, "product"), "name");
    if (const std::string origin = str(v.event, "origin"); !origin.empty()) {
      auto place = store.master("location", origin);
      v.origin_text = origin_text(place ? str(*place, "address") : std::string(),
                                  place && !str(*place, "name").empty() ? str(*place, "name") : origin);
    }
    v.quantity_unit_zh = certificate_unit_zh(store, c->lot, str(v.event["quantity"], "unit"));
    out.push_back(std::move(v));
  }
  return out;
}

std::vector<std::string> issued_numbers_ignoring_case(store::Store& store, const std::string& number) {
  auto rows = store.database().prepare(
      "SELECT DISTINCT number FROM certificates WHERE kind = 'issued' AND number = ?1 COLLATE NOCASE ORDER BY number");
  rows.bind(1, number);
  std::vector<std::string> out;
  while (rows.step()) out.push_back(rows.column_text(0));
  return out;
}

std::vector<std::pair<CertificateRecord, CertificateState>> lineage_certificates(store::Store& store,
                                                                                const std::string& lot) {
  std::vector<std::pair<CertificateRecord, CertificateState>> out;
  for (const auto& l : lot_ancestry(lot, store))
    for (auto& c : store.lot_certificates(l, false)) {
      auto s = certificate_state(store, c);
      out.emplace_back(std::move(c), std::move(s));
    }
  return out;
}

std::string certificate_register_csv(store::Store& store, std::optional<std::int64_t> from_unix_ms,
                                     std::optional<std::int64_t> to_unix_ms, const std::string& party) {
  csv::CsvWriter out;
  out.write_row({"合格证编号", "类别", "样式", "承诺主体编号", "承诺主体", "收取方", "批次", "产品", "数量", "单位", "产地",
                 "开具依据", "检测报告", "已收取合格证", "开具时间", "状态", "状态原因", "状态时间", "条目",
                 "签名密钥", "密钥持有主体", "作废签名密钥", "作废密钥持有主体", "检测记录签名"});
  auto rows = store.database().prepare(
      "SELECT c.entry_idx, c.kind, c.number, c.issuer FROM certificates c JOIN events e ON e.entry_idx = c.entry_idx "
      "WHERE (?1 IS NULL OR e.unix_ms >= ?1) AND (?2 IS NULL OR e.unix_ms < ?2) ORDER BY c.issuer, c.entry_idx");
  if (from_unix_ms) rows.bind(1, *from_unix_ms);
  else rows.bind_null(1);
  if (to_unix_ms) rows.bind(2, *to_unix_ms);
  else rows.bind_null(2);
  while (rows.step()) {
    const bool received = rows.column_text(1) == "received";
    const std::string number = rows.column_text(2), issuer = rows.column_text(3);
    auto c = received ? store.received_certificate(issuer, number) : store.issued_certificate(number);
    if (!c) continue;
    auto e = store.event_at(c->entry);
    if (!party.empty() && issuer != party && str(e, "party") != party) continue;
    std::string bases, reports, parents, evidence_signers;
    for (const auto& b : e.value("bases", nlohmann::json::array())) {
      bases += (bases.empty() ? "" : "；") + std::string(basis_zh(b["basis"]));
      for (const auto& id : b.value("evidence", nlohmann::json::array()))
        if (auto found = store.event_entry(id.get<std::string>()); found && found->second == "inspection") {
          const std::string report = str(store.event_at(found->first), "report_no");
          reports += (reports.empty() ? "" : "；") + report;
          // trust14h: who recorded each result — "R-118：clerk-buy+…（持有主体 太原收购商（BUY））".
          evidence_signers += (evidence_signers.empty() ? "" : "；") + report + "：" +
                              entry_signer_words(entry_signer(store, found->first), i18n::Lang::zh);
        }
    }
    for (const auto& p : e.value("parents", nlohmann::json::array())) {
      parents += (parents.empty() ? "" : "；") + str(p, "issuer") + "*" + str(p, "number");
      // A parent resolves as it did when the re-issue was appended. When the name now means another
      // certificate too (before rules version 7 an issuer could later issue a collected paper's
      // number), the cell says which one: the row of that entry.
      auto then = parent_certificate(store, str(p, "issuer"), str(p, "number"), c->entry);
      auto now = parent_certificate(store, str(p, "issuer"), str(p, "number"), UINT64_MAX);
      if (then && now && then->entry != now->entry)
        parents += fmt::format("（{}第 {} 条）", then->received ? "纸质，" : "", then->entry);
    }
    const std::string origin = str(e, "origin");
    auto place = store.master("location", origin);
    const std::string style = str(e, "style") == "buyer" ? "样式二" : str(e, "style") == "producer" ? "样式一" : "";
    // A collected paper certificate is not ours to call valid: the register says what the verifier's
    // page says of it (纸质合格证（收购登记）, no badge) — the buyer's copy of a paper whose original governs.
    auto state = certificate_state(store, *c);
    const std::string status = received ? "纸质（收购者登记）" : certificate_status_zh(state.status);
    const std::string status_reason = received ? "非本系统开具，以纸质原件为准" : state.reason;
    const EntrySigner signer = entry_signer(store, c->entry);
    const EntrySigner voider = c->voided_entry ? entry_signer(store, *c->voided_entry) : EntrySigner{};
    out.write_row({number, received ? "收取" : "开具", style, issuer, master_field(store, "party", issuer, "name"),
                   received ? master_field(store, "party", str(e, "party"), "name") : std::string(), c->lot,
                   master_field(store, "product", str(e, "product"), "name"), str(e["quantity"], "value"),
                   certificate_unit_zh(store, c->lot, str(e["quantity"], "unit")),
                   origin.empty() ? std::string()
                                  : origin_text(place ? str(*place, "address") : std::string(),
                                                place && !str(*place, "name").empty() ? str(*place, "name") : origin),
                   bases, reports, parents,
                   received && e.contains("issued_on") ? str(e, "issued_on") : str(e, "event_time"),
                   status, status_reason, received ? std::string() : certificate_state_when_zh(state),
                   std::to_string(c->entry),
                   signer.key_id, signer.holder, voider.key_id, voider.holder, evidence_signers});
  }
  return out.text();
}

}  // namespace agtrace
