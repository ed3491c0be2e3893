// Certificate views from a Store (certificates.h).
#include "ledger/certificates.h"

#include <fmt/format.h>

#include "ledger/event/certificate_rules.h"

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

CertificateState certificate_state(store::Store& store, const CertificateRecord& c) {
  CertificateState s;
  if (c.voided_entry) {
    auto e = store.event_at(*c.voided_entry);
    return {CertificateStatus::voided, c.voided_entry, str(e, "event_id"), str(e, "event_time"), str(e, "reason")};
  }
  // The earliest recall or failed inspection on the ancestry after the certificate.
  for (const auto& lot : lot_ancestry(c.lot, store)) {
    for (const char* type : {"recall", "inspection"})
      for (const auto& r : store.lot_events(lot, type)) {
        if (r.entry <= c.entry || (s.entry && *s.entry <= r.entry)) continue;
        auto e = store.event_at(r.entry);
        std::string reason;
        if (std::string(type) == "recall") {
          reason = fmt::format("召回：{}", str(e, "reason"));
        } else if (str(e, "result") == "fail") {
          reason = fmt::format("检测不合格（报告 {}）", str(e, "report_no"));
        } else {
          continue;
        }
        if (lot != c.lot) reason += fmt::format("，来源批次 {}", lot);
        s = {CertificateStatus::invalidated, r.entry, str(e, "event_id"), str(e, "event_time"), reason};
      }
  }
  return s;
}

std::optional<CertificateView> load_certificate(store::Store& store, const std::string& number) {
  auto c = store.issued_certificate(number);
  if (!c) return std::nullopt;
  CertificateView v;
  v.record = *c;
  v.event = store.event_at(c->entry);
  v.state = certificate_state(store, *c);
  v.issuer_name = master_field(store, "party", c->issuer, "name");
  v.issuer_phone = master_field(store, "party", c->issuer, "phone");
  v.product_name = master_field(store, "product", str(v.event, "product"), "name");
  v.origin_name = master_field(store, "location", str(v.event, "origin"), "name");
  v.origin_address = master_field(store, "location", str(v.event, "origin"), "address");
  for (const auto& basis : v.event["bases"])
    for (const auto& id : basis.value("evidence", nlohmann::json::array())) {
      auto found = store.event_entry(id.get<std::string>());
      if (!found) continue;
      auto e = store.event_at(found->first);
      v.evidence.push_back({basis["basis"], found->first, e, master_field(store, "party", str(e, "party"), "name")});
    }
  for (const auto& lot : lot_ancestry(c->lot, store))
    for (const auto& p : store.pesticide_applications(lot)) {
      std::string name;
      if (auto found = store.event_entry(p.event_id)) name = str(store.event_at(found->first), "input_name");
      v.inputs.push_back({lot, p, name});
    }
  for (const auto& p : v.event.value("parents", nlohmann::json::array())) {
    CertificateParent parent{p["issuer"], master_field(store, "party", p["issuer"], "name"), p["number"], std::nullopt};
    parent.record = store.issued_certificate(parent.number);
    if (!parent.record || parent.record->issuer != parent.issuer)
      parent.record = store.received_certificate(parent.issuer, parent.number);
    v.parents.push_back(std::move(parent));
  }
  return v;
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

}  // namespace agtrace
