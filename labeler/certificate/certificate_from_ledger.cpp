// Certificate facts from the certificate's signed entry (certificate_from_ledger.h).
#include "labeler/certificate/certificate_from_ledger.h"

#include <fmt/format.h>

#include "ledger/certificates.h"
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

CertificateFacts certificate_facts_from_ledger(Ledger& ledger, const std::string& number) {
  auto tx = sql::Transaction::snapshot(ledger.database());  // or the caller's, if one is open
  try {
    ledger.verify(std::nullopt);
  } catch (const Error& err) {
    if (err.kind() != ErrorKind::verification) throw;
    throw_verification(fmt::format("账本文件未通过校验，合格证未打印：{0}；请运行 `agtrace-ledger verify` 查明，并从备份恢复 / "
                                   "the ledger does not verify, so the certificate was not printed: {0}; run "
                                   "`agtrace-ledger verify` and restore the file from a backup",
                                   err.what()));
  }
  return certificate_facts_from_verified_state(ledger, number);
}

CertificateFacts certificate_facts_from_verified_state(Ledger& ledger, const std::string& number) {
  const std::string base_url = ledger.info().base_url;
  auto tx = sql::Transaction::snapshot(ledger.database());  // or the caller's, if one is open
  store::Store& store = ledger.store();
  auto view = load_certificate(store, number);
  if (!view)
    throw_bad_input(fmt::format(
        "--number {0}：账本中没有开具编号为 {0} 的承诺达标合格证，请核对编号（收取的纸质合格证不在此打印）/ --number {0}: no "
        "certificate_issued with this number in the ledger; check the number (`agtrace-ledger export --certificates` "
        "lists them)",
        number));
  const auto& s = view->state;
  if (s.status == CertificateStatus::voided)
    throw_bad_input(fmt::format(
        "合格证 {0} 已作废（{1}，条目 {2}，原因：{3}），不能打印；请为该批次开具新的合格证 / certificate {0} was voided at "
        "{1} (entry {2}, reason: {3}): it is not printed; issue a new certificate for the lot",
        number, s.time, s.entry.value_or(0), s.reason));
  if (s.status == CertificateStatus::invalidated)
    throw_bad_input(fmt::format(
        "合格证 {0} 已失效（{1}，条目 {2}：{3}），不能打印；该批次不得凭此合格证销售 / certificate {0} is invalidated since "
        "{1} (entry {2}: {3}): it is not printed, and the lot may not be sold with it",
        number, s.time, s.entry.value_or(0), s.reason));

  const nlohmann::json& e = view->event;
  CertificateFacts f;
  f.number = number;
  f.style = str(e, "style") == "buyer" ? CertificateStyle::buyer_reissue : CertificateStyle::producer;
  f.issuer = view->issuer_name;
  f.issuer_contact = view->issuer_phone;
  if (f.issuer_contact.empty())
    throw_bad_input(fmt::format(
        "承诺主体 {0} 的主体信息没有电话（联系方式），合格证不能缺少联系方式；请在主体信息中登记单位的对外电话后再打印 / party "
        "{0} has no phone in its master data: the certificate must show a public contact; record the party's office "
        "phone (a party event with phone) and print again",
        view->record.issuer));
  f.product = view->product_name;
  f.quantity_value = str(e["quantity"], "value");
  f.quantity_unit = view->quantity_unit_zh;
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
  return parse_certificate_facts(doc, number);
}

}  // namespace agtrace::labeler
