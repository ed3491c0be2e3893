// Certificate template loading (schema, then the decree's checks) and its expansion into a
// plain label layout for one certificate.
#include "labeler/certificate/certificate_template.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <optional>
#include <set>

#include "ledger/event/schema_validator.h"
#include "ledger/json/strict_parse.h"
#include "ledger/util/error.h"

namespace agtrace::labeler {
namespace {


const std::set<std::string, std::less<>>& placeholders() {
  static const std::set<std::string, std::less<>> names = {
      "number", "style", "promise", "issuer", "contact", "product", "quantity", "origin", "issue_date", "shipment",
      "url"};
  return names;
}

// The fields the decree asks every certificate to show, with their Chinese names.
const std::vector<std::pair<std::string, std::string>>& required_fields() {
  static const std::vector<std::pair<std::string, std::string>> fields = {
      {"promise", "承诺内容"}, {"number", "合格证编号"},   {"product", "产品名称"}, {"quantity", "数量（重量）"},
      {"origin", "产地"},      {"issuer", "承诺主体"},     {"contact", "联系方式"}, {"issue_date", "开具日期"}};
  return fields;
}

bool no_per_label(std::string_view) { return false; }

[[noreturn]] void refuse_template(std::string_view what, const std::string& zh, const std::string& en) {
  throw_bad_input(fmt::format("合格证模板 {}：{} / certificate template {}: {}", what, zh, what, en));
}

Basis parse_basis(const std::string& s) {
  if (s == "self_test") return Basis::self_test;
  if (s == "commissioned_test") return Basis::commissioned_test;
  return Basis::quality_control;
}

const char* basis_name(Basis b) {
  switch (b) {
    case Basis::quality_control: return "quality_control（质量安全控制符合要求）";
    case Basis::self_test: return "self_test（自行检测合格）";
    case Basis::commissioned_test: return "commissioned_test（委托检测合格）";
  }
  return "";
}

bool ticked(const CertificateBases& b, Basis basis) {
  switch (basis) {
    case Basis::quality_control: return b.quality_control;
    case Basis::self_test: return b.self_test;
    case Basis::commissioned_test: return b.commissioned_test;
  }
  return false;
}

Rgb parse_color(const nlohmann::json& j) {
  return static_cast<Rgb>(std::stoul(j.get<std::string>().substr(1), nullptr, 16));
}

}  // namespace

bool is_certificate_placeholder(std::string_view name) { return placeholders().count(name) > 0; }

CertificateTemplate parse_certificate_template(const nlohmann::json& doc, std::string_view what) {
  static const SchemaValidator validator("certificate-template.schema.json");
  try {
    validator.validate(doc, what);
  } catch (const Error& e) {
    throw_bad_input(fmt::format("合格证模板 {} 不符合 schemas/certificate-template.schema.json / certificate template {}",
                                what, e.what()));
  }
  auto refuse = [&](const std::string& zh, const std::string& en) { refuse_template(what, zh, en); };

  CertificateTemplate t;
  t.name = doc.at("name").get<std::string>();
  t.width_mm = doc.at("width_mm").get<double>();
  t.height_mm = doc.at("height_mm").get<double>();
  t.dpi = doc.at("dpi").get<int>();
  if (doc.contains("font")) t.font = doc["font"].get<std::string>();
  if (doc.contains("background")) t.background = parse_color(doc["background"]);
  t.promise_producer = doc.at("promise").at("producer").get<std::string>();
  t.promise_buyer_reissue = doc.at("promise").at("buyer_reissue").get<std::string>();

  // parse_element() checks placement against a label of the template's size.
  LabelTemplate page;
  page.width_mm = t.width_mm;
  page.height_mm = t.height_mm;
  ElementRules rules{is_certificate_placeholder, no_per_label};

  int qr_count = 0;
  std::set<std::string> shown;
  std::vector<int> boxes(3, 0);
  std::optional<std::size_t> title;  // index of the largest title text
  bool scan_hint = false;
  const auto& elements = doc.at("elements");
  for (std::size_t i = 0; i < elements.size(); ++i) {
    const auto& e = elements[i];
    std::string where = fmt::format("{}: elements[{}]", what, i);
    if (e.at("type") == "checkbox") {
      CheckboxElement c;
      c.basis = parse_basis(e.at("basis").get<std::string>());
      c.x_mm = e.at("x_mm").get<double>();
      c.y_mm = e.at("y_mm").get<double>();
      c.size_mm = e.at("size_mm").get<double>();
      c.stroke_mm = e.value("stroke_mm", 0.3);
      if (e.contains("color")) c.color = parse_color(e["color"]);
      if (c.x_mm + c.size_mm > t.width_mm || c.y_mm + c.size_mm > t.height_mm)
        refuse(fmt::format("elements[{}] 勾选框超出 {}×{} mm 页面", i, t.width_mm, t.height_mm),
               fmt::format("elements[{}] (checkbox) reaches outside the {}×{} mm page", i, t.width_mm, t.height_mm));
      ++boxes[static_cast<std::size_t>(c.basis)];
      t.elements.emplace_back(c);
      continue;
    }
    Element el;
    try {
      el = parse_element(e, page, where, rules);
    } catch (const Error& err) {
      throw_bad_input(fmt::format("合格证模板 {}：elements[{}] 有误 / certificate template {}", what, i, err.what()));
    }
    if (std::holds_alternative<QrElement>(el)) ++qr_count;
    if (const auto* x = std::get_if<TextElement>(&el)) {
      for (const auto& p : placeholders_in(x->text, where)) {
        if (!x->optional) shown.insert(p);
        if (p == "shipment" && !x->optional)
          refuse(fmt::format("elements[{}] 显示 {{shipment}}（运输车辆），只有一车一证才有，须标为 optional", i),
                 fmt::format("elements[{}] shows {{shipment}}, which only a vehicle load has: mark it \"optional\": "
                             "true",
                             i));
      }
      if (x->text.find(kScanHint) != std::string::npos) scan_hint = true;
    }
    if (const auto* x = std::get_if<TextElement>(&el);
        x && !x->optional && x->text.find(kCertificateTitle) != std::string::npos &&
        (!title || x->size_pt > std::get<TextElement>(t.elements[*title]).size_pt))
      title = t.elements.size();
    std::visit([&](auto& v) { t.elements.emplace_back(v); }, el);
  }

  if (qr_count != 1)
    refuse(fmt::format("须有且只有一个二维码（qr）元素，现有 {} 个", qr_count),
           fmt::format("a certificate carries exactly one QR element; found {}", qr_count));
  if (!scan_hint)
    refuse(fmt::format("缺少“{}”字样（放在二维码旁）", kScanHint),
           fmt::format("no text element says {} (scan to view); put it beside the QR code", kScanHint));
  if (!title)
    refuse_template(what, fmt::format("缺少标题“{}”", kCertificateTitle),
           fmt::format("no text element shows the title {} (the decree asks for it, prominent)", kCertificateTitle));
  const auto& head = std::get<TextElement>(t.elements[*title]);
  for (const auto& el : t.elements)
    if (const auto* x = std::get_if<TextElement>(&el); x && x != &head && x->size_pt > head.size_pt)
      refuse(fmt::format("标题“{}”须醒目：其字号 {} pt 小于“{}”的 {} pt", kCertificateTitle, head.size_pt, x->text,
                         x->size_pt),
             fmt::format("the title {} must be prominent: its size_pt {} is below the {} of \"{}\"; make the title "
                         "the largest text",
                         kCertificateTitle, head.size_pt, x->size_pt, x->text));
  std::vector<std::string> missing;
  for (const auto& [field, zh] : required_fields())
    if (!shown.count(field)) missing.push_back(fmt::format("{{{}}}（{}）", field, zh));
  if (!missing.empty())
    refuse(fmt::format("缺少必须显示的字段 {}（须在非 optional 的文字元素中）", fmt::join(missing, "、")),
           fmt::format("the decree's fields must be shown by text elements that are not optional; missing {}",
                       fmt::join(missing, ", ")));
  for (Basis b : {Basis::quality_control, Basis::self_test, Basis::commissioned_test}) {
    int n = boxes[static_cast<std::size_t>(b)];
    if (n != 1)
      refuse(fmt::format("承诺依据 {} 须有且只有一个勾选框（checkbox），现有 {} 个", basis_name(b), n),
             fmt::format("basis {} needs exactly one checkbox element; found {}", basis_name(b), n));
  }
  return t;
}

CertificateTemplate load_certificate_template(const std::string& path) {
  return parse_certificate_template(json::parse_strict_file(path, template_limits(), "--template "), path);
}

LabelFacts certificate_label_facts(const CertificateTemplate& t, const CertificateFacts& f) {
  LabelFacts out;
  out.base_url = f.url.substr(0, f.url.rfind("/c/"));
  out.lot = fmt::format("{} {}", kCertificateTitle, f.number);
  out.lot_code = f.number;
  bool buyer = f.style == CertificateStyle::buyer_reissue;
  out.fields = {{"number", f.number},
                {"style", buyer ? "收购者开具" : "生产者开具"},
                {"promise", buyer ? t.promise_buyer_reissue : t.promise_producer},
                {"issuer", f.issuer},
                {"contact", f.issuer_contact},
                {"product", f.product},
                {"quantity", certificate_quantity_text(f)},
                {"origin", f.origin},
                {"issue_date", certificate_date_text(f)},
                {"url", f.url}};
  if (f.shipment) out.fields["shipment"] = *f.shipment;
  return out;
}

LabelTemplate certificate_layout(const CertificateTemplate& t, const CertificateFacts& f) {
  LabelTemplate out;
  out.name = t.name;
  out.width_mm = t.width_mm;
  out.height_mm = t.height_mm;
  out.dpi = t.dpi;
  out.font = t.font;
  out.background = t.background;
  for (const auto& el : t.elements) {
    if (const auto* c = std::get_if<CheckboxElement>(&el)) {
      RectElement box;
      box.x_mm = c->x_mm;
      box.y_mm = c->y_mm;
      box.w_mm = box.h_mm = c->size_mm;
      box.stroke = c->color;
      box.stroke_mm = c->stroke_mm;
      out.elements.emplace_back(box);
      if (ticked(f.bases, c->basis)) {
        // A tick of two strokes, heavier than the box so that it reads at 203 dpi.
        double s = c->size_mm, w = std::max(0.35, s * 0.16);
        LineElement a{c->x_mm + 0.18 * s, c->y_mm + 0.50 * s, c->x_mm + 0.42 * s, c->y_mm + 0.76 * s, w, c->color};
        LineElement b{c->x_mm + 0.38 * s, c->y_mm + 0.78 * s, c->x_mm + 0.84 * s, c->y_mm + 0.20 * s, w, c->color};
        out.elements.emplace_back(a);
        out.elements.emplace_back(b);
      }
      continue;
    }
    std::visit(
        [&](const auto& v) {
          using T = std::decay_t<decltype(v)>;
          if constexpr (!std::is_same_v<T, CheckboxElement>) out.elements.emplace_back(v);
          if constexpr (std::is_same_v<T, QrElement>) out.qr = v;
        },
        el);
  }
  return out;
}

}  // namespace agtrace::labeler
