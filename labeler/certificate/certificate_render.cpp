// One certificate through the label painter and writers.
#include "labeler/certificate/certificate_render.h"

#include <fmt/format.h>

#include <cmath>
#include <optional>

#include "labeler/render/painter.h"
#include "labeler/render/writer.h"
#include "ledger/util/error.h"

namespace agtrace::labeler {
namespace {

bool is_a5(const CertificateTemplate& t) {
  auto near = [](double a, double b) { return std::fabs(a - b) < 0.5; };
  return (near(t.width_mm, 148) && near(t.height_mm, 210)) || (near(t.width_mm, 210) && near(t.height_mm, 148));
}

}  // namespace

RenderedCertificate render_certificate(const CertificateTemplate& t, const CertificateFacts& f,
                                       std::string_view format, int dpi) {
  if (format != "png" && format != "pdf" && format != "zpl" && format != "tspl" && format != "a5")
    throw_bad_input(fmt::format("--format {}：格式不支持，请用 png、pdf、zpl、tspl 或 a5 / --format {}: use png, pdf, "
                                "zpl, tspl or a5",
                                format, format));
  if (format == "a5" && !is_a5(t))
    throw_bad_input(fmt::format("--format a5 需要 A5 模板（148×210 mm），模板 {} 是 {}×{} mm / --format a5 needs an A5 "
                                "template (148 × 210 mm, e.g. lucheng-certificate-a5.json); {} is {} × {} mm",
                                t.name, t.width_mm, t.height_mm, t.name, t.width_mm, t.height_mm));
  if (dpi != 0 && dpi != 203 && dpi != 300 && dpi != 600)
    throw_bad_input(fmt::format("--dpi {}：请用 203、300 或 600 / --dpi {}: use 203, 300 or 600", dpi, dpi));
  LabelTemplate layout = certificate_layout(t, f);
  if (dpi) layout.dpi = dpi;
  std::optional<LabelPainter> painter;
  try {
    painter.emplace(layout, certificate_label_facts(t, f), layout.dpi, f.url.size());
  } catch (const Error& e) {
    // The painter words its refusals for the template designer, in English: say first,
    // in Chinese, what the operator can change.
    std::string msg = e.what();
    std::string zh = msg.find("does not fit") != std::string::npos
                         ? "有文字放不下（请缩短该字段，或在模板中加大文字框、调低 min_size_pt）"
                         : msg.find("QR") != std::string::npos
                               ? "二维码放不下（网址太长或模板的二维码框太小）"
                               : "无法排版";
    throw_bad_input(fmt::format("合格证 {} 按模板 {} 排版时{} / certificate {}: {}", f.number, t.name, zh, f.number, msg));
  }
  auto writer = make_writer(format == "a5" ? "pdf" : format, *painter);
  RenderedCertificate out;
  out.extension = std::string(writer->extension());
  out.bytes = writer->begin();
  out.bytes += writer->label(f.number, f.url);
  out.bytes += writer->end();
  return out;
}

}  // namespace agtrace::labeler
