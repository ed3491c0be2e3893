// Ledger reads for the print screen (lots.h).
#include "station/lots.h"

#include <fmt/format.h>

#include "labeler/job/job.h"
#include "labeler/render/painter.h"
#include "labeler/render/writer.h"
#include "labeler/template/content.h"
#include "ledger/event/digital_link.h"
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

std::string resolve_lot_field(Ledger& ledger, const std::string& given_raw) {
  std::string given = given_raw;
  while (!given.empty() && (given.back() == '\r' || given.back() == '\n' || given.back() == ' ')) given.pop_back();
  while (!given.empty() && given.front() == ' ') given.erase(0, 1);
  if (given.empty()) throw_bad_input("请输入或扫描批次号 / type or scan a lot id or a label");
  if (given.find("://") != std::string::npos) {
    std::string serial = serial_from_scan(given, ledger.info().base_url, "批次 / lot");
    if (auto code = ledger.code(serial)) return code->lot;
    ParsedTraceUri uri = parse_trace_uri(given);
    if (uri.lot_code)
      if (auto lot = lot_by_code(ledger, *uri.lot_code)) return *lot;
    throw_bad_input(fmt::format("这个标签的追溯码 {} 不在本账本中，找不到批次；请扫描本站打印的标签或输入批次号 / the label's "
                                "code {} is not in this ledger: scan a label this station printed, or type the lot id",
                                serial, serial));
  }
  if (ledger.store().lot(given)) return given;
  if (auto lot = lot_by_code(ledger, given)) return *lot;
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
