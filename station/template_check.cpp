// Approved templates against the printers they may use (template_check.h).
#include "station/template_check.h"

#include <fmt/format.h>

#include <cmath>

#include "labeler/qr/qr.h"
#include "labeler/render/layout.h"
#include "labeler/template/content.h"
#include "ledger/ledger.h"
#include "ledger/util/error.h"
#include "station/lots.h"

namespace agtrace::station {

std::string template_printer_refusal(Ledger& ledger, const StationConfig& config) {
  for (const auto& e : config.enterprises)
    for (const auto& [product, t] : e.templates) {
      auto lots = packed_lots(ledger, e.party, product, 1);
      if (lots.empty()) continue;
      labeler::LabelFacts facts;
      try {
        facts = labeler::gather_label_facts(ledger, lots.front().lot);
      } catch (const Error& err) {
        if (err.kind() != ErrorKind::bad_input) throw;
        continue;  // a recalled or refused lot: the print screen says why, not the start
      }
      const std::size_t payload = labeler::trace_uri(facts, std::string(13, '0')).size();
      const int modules = 17 + 4 * labeler::qr_version_for(payload, t.label.qr.ec);
      for (const auto& p : config.printers) {
        if (!template_fits(t.label, p)) continue;
        try {
          (void)labeler::place_qr(t.label.qr.x_mm, t.label.qr.y_mm, t.label.qr.size_mm, modules, p.dpi);
        } catch (const Error& err) {
          if (err.kind() != ErrorKind::bad_input) throw;
          const double need = labeler::qr_box_needed_mm(modules, p.dpi);
          return fmt::format(
              "标签模板 {0}（企业 {1} 的产品 {2}）在打印机“{3}”（{4} dpi）上印不出能扫的二维码：这台打印机上二维码连同四周留白至少要 "
              "{5:.1f} 毫米见方，模板只给了 {6:.1f} 毫米，用它打印的每个任务都会失败。请主管把模板的二维码（qr 的 size_mm）"
              "放大到 {7} 毫米以上，或给这台打印机换 300 dpi 的打印头，或缩短核验网址；改好模板后重新批准"
              "（agtrace-station template approve），再启动工作站 / label template {0} (enterprise {1}, product {2}) cannot "
              "print a scannable QR code on printer \"{3}\" ({4} dpi): the code with its quiet zone needs {5:.1f} mm, the "
              "template gives {6:.1f} mm; enlarge the template's qr size_mm to {7} mm or more, use a 300-dpi printer, or "
              "shorten the base URL",
              t.path, e.party, product, p.name, p.dpi, need, t.label.qr.size_mm, std::ceil(need * 10) / 10);
        }
      }
    }
  return "";
}

}  // namespace agtrace::station
