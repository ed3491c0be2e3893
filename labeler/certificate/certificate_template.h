// Certificate templates: the layout of a printed 承诺达标合格证, as JSON validated against
// schemas/certificate-template.schema.json (docs/certificate.md "Layout").
//
// A certificate template holds the rect, line, text and QR elements of label templates
// (template.h), plus one checkbox per basis (承诺依据), and the promise wording of each
// style. For one certificate it becomes a plain LabelTemplate — checkboxes turned into a
// square and, when ticked, a tick of two strokes — and LabelFacts whose fields are the
// certificate's placeholders, so the label painter and writers draw it (PNG, PDF, ZPL,
// TSPL), and the QR code holds the certificate's page URL.
//
// Checks beyond the schema (each a bad_input naming the template and the element):
//   - exactly one QR element, and a text element with 扫码查看 (the decree allows a QR
//     code if the certificate is recognisable; the words tell a buyer to scan it);
//   - a text element with the title 承诺达标合格证 whose size is at least every other
//     text's (the decree asks for the words to be prominent);
//   - the text shows every field the decree lists: {promise} {number} {product}
//     {quantity} {origin} {issuer} {contact} {issue_date};
//   - one checkbox for each of the three bases;
//   - {shipment}, which only a vehicle load has, only in optional elements;
//   - placeholders known, elements inside the page.
#pragma once

#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "labeler/certificate/certificate_facts.h"
#include "labeler/template/content.h"
#include "labeler/template/template.h"

namespace agtrace::labeler {

// The title every certificate carries (第二条; the decree's name for it).
inline constexpr std::string_view kCertificateTitle = "承诺达标合格证";
// The words beside its QR code.
inline constexpr std::string_view kScanHint = "扫码查看";

enum class Basis { quality_control, self_test, commissioned_test };

// A basis's tick box: a square of side size_mm at (x_mm, y_mm).
struct CheckboxElement {
  Basis basis = Basis::quality_control;
  double x_mm = 0, y_mm = 0, size_mm = 3;
  double stroke_mm = 0.3;
  Rgb color = 0x000000;
};

using CertificateElement = std::variant<RectElement, LineElement, TextElement, QrElement, CheckboxElement>;

struct CertificateTemplate {
  std::string name;
  double width_mm = 0, height_mm = 0;
  int dpi = 300;
  std::string font = "Noto Sans CJK SC";
  Rgb background = 0xFFFFFF;
  std::string promise_producer;       // {promise} for CertificateStyle::producer
  std::string promise_buyer_reissue;  // {promise} for CertificateStyle::buyer_reissue
  std::vector<CertificateElement> elements;  // in drawing order
};

// Placeholders a certificate template may use.
bool is_certificate_placeholder(std::string_view name);

// Builds a template from parsed JSON: schema, then the checks above. `what` names the
// file in messages. Throws Error(bad_input).
CertificateTemplate parse_certificate_template(const nlohmann::json& doc, std::string_view what);

// Reads (64 KiB at most), strictly parses and checks a template file. Throws
// Error(bad_input) naming the file.
CertificateTemplate load_certificate_template(const std::string& path);

// The certificate's placeholder values ({number} → f.number, {promise} → the style's
// wording from `t`, {quantity} → "1200 公斤", {issue_date} → "2026年3月12日", …) as
// LabelFacts (lot = the number, for messages); {shipment} is absent when f has none.
LabelFacts certificate_label_facts(const CertificateTemplate& t, const CertificateFacts& f);

// The plain label layout of `t` for `f`: checkboxes as squares, ticked ones with a tick.
LabelTemplate certificate_layout(const CertificateTemplate& t, const CertificateFacts& f);

}  // namespace agtrace::labeler
