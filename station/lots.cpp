// Ledger reads for the print screen (lots.h).
#include "station/lots.h"

#include <fmt/format.h>

#include <cctype>

#include "labeler/job/job.h"
#include "labeler/render/painter.h"
#include "labeler/render/writer.h"
#include "labeler/template/content.h"
#include "ledger/event/digital_link.h"
#include "ledger/event/rules_version.h"
#include "ledger/scanned_label.h"
#include "ledger/ledger.h"
#include "ledger/util/error.h"

namespace agtrace::station {
namespace {

std::uint64_t live_codes(Ledger& ledger, const std::string& lot) {
  auto s = ledger.database().prepare(
      "SELECT count(*) FROM codes c WHERE c.lot_id = ? AND NOT EXISTS (SELECT 1 FROM code_events ce JOIN events e "
      "ON e.entry_idx = ce.entry_idx AND e.type = 'labels_voided' WHERE ce.serial = c.serial)");
  s.bind(1, lot);
  s.step();
  return static_cast<std::uint64_t>(s.column_int(0));
}

std::optional<LotSummary> summary_at(Ledger& ledger, const std::string& lot, std::uint64_t created_entry) {
  auto e = ledger.store().event_at(created_entry);
  if (e.value("type", "") != "packing") return std::nullopt;
  LotSummary s;
  s.lot = lot;
  s.product = e.value("product", "");
  s.packer = e.value("party", "");
  s.packed_time = e.value("event_time", "");
  if (e.contains("count") && e["count"].is_number_unsigned()) s.packed_units = e["count"].get<std::uint64_t>();
  s.live_codes = live_codes(ledger, lot);
  return s;
}

std::optional<std::string> lot_by_code(Ledger& ledger, const std::string& code) {
  auto s = ledger.database().prepare("SELECT lot_id FROM lots WHERE gs1_code = ?");
  s.bind(1, code);
  if (s.step()) return s.column_text(0);
  return std::nullopt;
}

}  // namespace

ProductSummary product_summary(Ledger& ledger, const std::string& product) {
  ProductSummary p{product, ""};
  if (auto m = ledger.store().master("product", product)) p.name = m->value("name", "");
  return p;
}

bool certificate_required(Ledger& ledger, const std::string& product) {
  if (ledger.store().rules_version() < kRulesV4) return false;
  auto m = ledger.store().master("product", product);
  return !m || m->value("certificate_required", true);
}

std::optional<LotSummary> lot_summary(Ledger& ledger, const std::string& lot) {
  auto s = ledger.database().prepare("SELECT created_entry FROM lots WHERE lot_id = ? AND created_by = 'packing'");
  s.bind(1, lot);
  if (!s.step()) return std::nullopt;
  return summary_at(ledger, lot, static_cast<std::uint64_t>(s.column_int(0)));
}

std::vector<LotSummary> packed_lots(Ledger& ledger, const std::string& enterprise, const std::string& product,
                                    std::size_t limit) {
  auto s = ledger.database().prepare(
      "SELECT lot_id, created_entry FROM lots WHERE product_id = ? AND created_by = 'packing' "
      "ORDER BY created_unix_ms DESC, created_entry DESC");
  s.bind(1, product);
  std::vector<LotSummary> out;
  while (out.size() < limit && s.step()) {
    auto l = summary_at(ledger, s.column_text(0), static_cast<std::uint64_t>(s.column_int(1)));
    if (l && l->packer == enterprise) out.push_back(std::move(*l));
  }
  return out;
}

std::string resolve_lot_field(Ledger& ledger, const std::string& given_raw, const std::string& enterprise) {
  std::string given = given_raw;
  while (!given.empty() && (given.back() == '\r' || given.back() == '\n' || given.back() == ' ')) given.pop_back();
  while (!given.empty() && given.front() == ' ') given.erase(0, 1);
  if (given.empty()) throw_bad_input("请输入或扫描批次号 / type or scan a lot id or a label");
  if (given.find("://") != std::string::npos) {
    // Another site's QR code (another host than this ledger's base URL): not one of ours at all.
    auto host_of = [](std::string_view url) {
      std::string_view rest = url.substr(url.find("://") + 3);
      std::string host(rest.substr(0, rest.find('/')));
      for (char& ch : host) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      return host;
    };
    const std::string base = ledger.info().base_url;
    if (base.find("://") != std::string::npos && host_of(given) != host_of(base))
      throw LotFieldRefused(404, "这不是本系统的标签（二维码的网址不是本系统的），没有选择批次。请输入批次号，或扫描本系统打印的标签 / "
                                 "this is not a label of this system (its QR code's address is another site's); no "
                                 "lot was chosen. Type the lot id, or scan a label this system printed");
    std::string serial = serial_from_scan(given, base, "批次 / lot");
    auto code = ledger.code(serial);
    auto lot = code ? lot_summary(ledger, code->lot) : std::nullopt;
    if (!lot || lot->packer != enterprise)
      throw LotFieldRefused(404, fmt::format("标签上的追溯码 {0} 不是本企业发放的，这张标签可能是假冒的；没有选择批次。请把标签"
                                             "交给主管，或输入批次号 / the label's code {0} was not issued by your "
                                             "enterprise: the label may be counterfeit; no lot was chosen. Give it to "
                                             "the supervisor, or type the lot id",
                                             serial));
    if (code->voided_entry)
      throw LotFieldRefused(400, fmt::format("标签上的追溯码 {0} 已作废，这张标签不应还在箱上；没有选择批次。请把标签交给主管 / "
                                             "the label's code {0} was voided: the label should not be on a box; no lot "
                                             "was chosen. Give it to the supervisor",
                                             serial));
    if (auto wrong = scanned_label_mismatch(ledger, given, *code))
      throw LotFieldRefused(400, fmt::format("扫描的标签上的批次或产品与追溯码 {} 不符，这不是该箱的标签，没有选择批次 / {}; "
                                             "no lot was chosen",
                                             serial, *wrong));
    return code->lot;
  }
  if (ledger.store().lot(given)) return given;
  if (auto lot = lot_by_code(ledger, given)) return *lot;
  auto other_case = ledger.database().prepare("SELECT lot_id FROM lots WHERE lot_id = ? COLLATE NOCASE ORDER BY lot_id");
  other_case.bind(1, given);
  while (other_case.step()) {
    const std::string lot = other_case.column_text(0);
    if (auto l = lot_summary(ledger, lot); l && l->packer == enterprise)
      throw LotFieldRefused(404, fmt::format("没有批次“{0}”，本企业有批次“{1}”（批次号区分大小写），请输入“{1}” / no lot "
                                             "\"{0}\": your enterprise has lot \"{1}\" (lot ids are case-sensitive); "
                                             "type \"{1}\"",
                                             given.substr(0, 100), lot));
  }
  throw_bad_input(fmt::format("没有批次“{}”，请核对批次号 / no lot \"{}\": check the lot id", given.substr(0, 100),
                              given.substr(0, 100)));
}

std::string preview_png(Ledger& ledger, const std::string& lot, const labeler::LabelTemplate& tmpl, int dpi) {
  labeler::LabelTemplate t = labeler::sample_template(tmpl);
  labeler::LabelFacts facts = labeler::gather_label_facts(ledger, lot);
  labeler::LabelPainter painter(t, facts, dpi);
  auto writer = labeler::make_writer("png", painter);
  const std::string serial = "0000000000010";  // a sample code: never allocated (labeler/job/job.cpp)
  writer->begin();
  return writer->label(serial, labeler::trace_uri(facts, serial));
}

}  // namespace agtrace::station
