// Certificate facts from the certificate's signed entry (certificate_from_ledger.h).
#include "labeler/certificate/certificate_from_ledger.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "ledger/certificates.h"
#include "ledger/event/odd_characters.h"
#include "ledger/i18n/refusal.h"
#include "ledger/store/sqlite.h"
#include "ledger/time/timestamp.h"
#include "ledger/util/error.h"

namespace agtrace::labeler {
namespace {

std::string str(const nlohmann::json& e, const char* field) {
  auto it = e.find(field);
  return it != e.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

CertificateFacts certificate_facts_from_ledger(Ledger& ledger, const std::string& number,
                                               const std::optional<TrustedCheckpoint>& trusted) {
  auto tx = sql::Transaction::snapshot(ledger.database());  // or the caller's, if one is open
  // A rolled-back or forked file first, named as such (the rollback guard every writer uses).
  if (trusted) check_extends(ledger, *trusted, GuardedAction::certificate_print);
  try {
    ledger.verify(trusted ? std::optional<std::string>(trusted->note) : std::nullopt);
  } catch (const Error& err) {
    if (err.kind() != ErrorKind::verification) throw;
    // The finding in each language (the audit's catalogue entries), not the English one in both.
    throw_verification(fmt::format("账本文件未通过校验，合格证未打印：{0}；请运行 `agtrace-ledger verify` 查明，并从备份恢复 / "
                                   "the ledger does not verify, so the certificate was not printed: {1}; run "
                                   "`agtrace-ledger verify` and restore the file from a backup",
                                   i18n::message_in(err, i18n::Lang::zh), i18n::message_in(err, i18n::Lang::en)));
  }
  return certificate_facts_from_verified_state(ledger, number);
}

CertificateFacts certificate_facts_from_verified_state(Ledger& ledger, const std::string& number) {
  const std::string base_url = ledger.info().base_url;
  auto tx = sql::Transaction::snapshot(ledger.database());  // or the caller's, if one is open
  store::Store& store = ledger.store();
  auto view = load_certificate(store, number);
  if (!view) {
    // Numbers are case-sensitive, as on the verifier's page: name the ones a wrong case may mean.
    // trust14h: a number pasted with a look-alike dash or an invisible character (U+2010, U+200B)
    // names that character, as the ledger's rules do (odd_characters.h), and the number it means.
    auto near = issued_numbers_ignoring_case(store, number);
    std::string zh_odd, en_odd;
    if (const auto odd = odd_character(number)) {
      zh_odd = odd->zh + "；";
      en_odd = odd->en + "; ";
      for (auto& meant : issued_numbers_ignoring_case(store, without_odd_characters(number)))
        if (std::find(near.begin(), near.end(), meant) == near.end()) near.push_back(std::move(meant));
    }
    const std::string zh_near =
        near.empty() ? std::string() : fmt::format("是不是 {}？", fmt::join(near, "、"));
    const std::string en_near = near.empty() ? std::string() : fmt::format("did you mean {}? ", fmt::join(near, ", "));
    throw_bad_input(fmt::format(
        "--number {0}：账本中没有开具编号为 {0} 的承诺达标合格证，{1}{2}请核对编号（编号区分大小写；"
        "`agtrace-ledger export --certificates` 列出所有合格证；收取的纸质合格证不在此打印） / --number {0}: no "
        "certificate_issued with this number in the ledger; {3}{4}check the number (letter case counts; "
        "`agtrace-ledger export --certificates` lists them)",
        number, zh_odd, zh_near, en_odd, en_near));
  }
  const auto& s = view->state;
  if (s.status == CertificateStatus::voided)
    throw_bad_input(fmt::format(
        "合格证 {0} 已作废（{1}，条目 {2}，原因：{3}），不能打印；请为该批次开具新的合格证 / certificate {0} was voided at "
        "{1} (entry {2}, reason: {3}): it is not printed; issue a new certificate for the lot",
        number, s.time, s.entry.value_or(0), s.reason));
  if (s.status == CertificateStatus::invalidated)
    throw_bad_input(fmt::format(
        "合格证 {0} 已失效（{1}：{2}），不能打印；该批次不得凭此合格证销售 / certificate {0} is invalidated since "
        "{3}: {2}; it is not printed, and the lot may not be sold with it",
        number,
        // A late spray's own time is before the certificate: the entry that recorded it, and when it was sprayed.
        s.applied_at.empty() ? fmt::format("{}，条目 {}", s.time, s.entry.value_or(0)) : certificate_state_when_zh(s),
        s.reason,
        s.applied_at.empty() ? fmt::format("{} (entry {})", s.time, s.entry.value_or(0)) : certificate_state_when_en(s)));

  const nlohmann::json& e = view->event;
  CertificateFacts f;
  f.number = number;
  f.style = str(e, "style") == "buyer" ? CertificateStyle::buyer_reissue : CertificateStyle::producer;
  f.issuer = view->issuer_name;
  f.issuer_contact = view->issuer_phone;
  // What the master data lacks for the printed fields, all at once.
  std::vector<std::string> lacks_zh, lacks_en;
  if (f.issuer.empty()) {
    lacks_zh.push_back(fmt::format("承诺主体 {} 的主体信息没有名称（name）", view->record.issuer));
    lacks_en.push_back(fmt::format("party {} has no name", view->record.issuer));
  }
  if (f.issuer_contact.empty()) {
    lacks_zh.push_back(fmt::format("承诺主体 {} 的主体信息没有电话（phone，联系方式：单位的对外电话，不是个人手机）",
                                   view->record.issuer));
    lacks_en.push_back(fmt::format("party {} has no phone (the certificate shows a public contact: the office "
                                   "line)", view->record.issuer));
  }
  if (view->product_name.empty()) {
    lacks_zh.push_back(fmt::format("产品 {} 的产品信息没有名称（name）", str(e, "product")));
    lacks_en.push_back(fmt::format("product {} has no name", str(e, "product")));
  }
  if (view->origin_name.empty() && view->origin_address.empty()) {
    lacks_zh.push_back(fmt::format("产地 {} 的地点信息没有名称和地址（name、address）", str(e, "origin")));
    lacks_en.push_back(fmt::format("location {} has no name or address", str(e, "origin")));
  }
  if (!lacks_zh.empty())
    throw_bad_input(fmt::format(
        "合格证 {0} 不能打印：{1}；请在主数据中补上（重新记录该主体、产品或地点）后再打印 / certificate {0} is not printed: {2}; "
        "record the master data again with them and print again",
        number, fmt::join(lacks_zh, "；"), fmt::join(lacks_en, "; ")));
  f.product = view->product_name;
  f.quantity_value = str(e["quantity"], "value");
  f.quantity_unit = view->quantity_unit_zh;
  f.quantity_weight = view->quantity_weight_zh;
  f.origin = certificate_origin_zh(*view);
  auto issued = time::parse_rfc3339(str(e, "event_time"), "event_time");
  issued.offset_minutes = 8 * 60;  // 开具日期 is the date in Beijing time
  issued.unknown_local_offset = false;
  f.issue_date = time::local_date(issued);
  for (const auto& b : e["bases"]) {
    const std::string basis = b["basis"];
    if (basis == "quality_control") f.bases.quality_control = true;
    if (basis == "self_tested") f.bases.self_test = true;
    if (basis == "commissioned_test") f.bases.commissioned_test = true;
  }
  f.url = base_url + "/c/" + number;
  if (e.contains("shipment")) {
    std::string vehicle = str(view->shipment, "vehicle"), waybill = str(view->shipment, "shipment_no");
    f.shipment = !vehicle.empty() ? (waybill.empty() ? vehicle : fmt::format("{}（运单 {}）", vehicle, waybill))
                 : !waybill.empty() ? "运单 " + waybill
                                    : str(e, "shipment");
  }
  // The same checks as a facts file gets (a blank name in master data, a bad URL).
  nlohmann::json doc = {{"number", f.number},
                        {"style", f.style == CertificateStyle::buyer_reissue ? "buyer_reissue" : "producer"},
                        {"issuer", f.issuer},
                        {"issuer_contact", f.issuer_contact},
                        {"product", f.product},
                        {"quantity", {{"value", f.quantity_value}, {"unit", f.quantity_unit}}},
                        {"origin", f.origin},
                        {"issue_date", f.issue_date},
                        {"bases",
                         {{"quality_control", f.bases.quality_control},
                          {"self_test", f.bases.self_test},
                          {"commissioned_test", f.bases.commissioned_test}}},
                        {"url", f.url}};
  if (f.shipment) doc["shipment"] = *f.shipment;
  if (!f.quantity_weight.empty()) doc["quantity"]["weight"] = f.quantity_weight;
  CertificateFacts checked = parse_certificate_facts(doc, number);
  for (const auto& x : view->evidence) {
    auto line = [&](i18n::Lang lang) {
      return i18n::text(lang, i18n::Msg::cert_evidence_signed, basis_zh(x.basis), str(x.event, "report_no"),
                        entry_signer_words(x.signer, lang));
    };
    checked.evidence.push_back(line(i18n::Lang::zh) + " / " + line(i18n::Lang::en));
  }
  return checked;
}

}  // namespace agtrace::labeler
