// Label template loading: strict JSON, the embedded schema, then layout checks.
#include "labeler/template/template.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <set>

#include "ledger/event/schema_validator.h"
#include "ledger/json/strict_parse.h"
#include "ledger/util/bytes.h"
#include "ledger/util/read_file.h"
#include "ledger/util/sha256.h"
#include "ledger/util/error.h"

namespace agtrace::labeler {
namespace {

constexpr std::size_t kMaxTemplateBytes = 64 * 1024;

const std::set<std::string, std::less<>>& known_placeholders() {
  static const std::set<std::string, std::less<>> names = {
      "brand_regional", "brand_enterprise", "product",     "variety",           "grade",
      "net_content",    "pack_date",        "origin",      "producer",          "packer",
      "standard",       "inspection_result", "certificate_no", "report_no",      "inspection_date",
      "storage",        "shelf_life",       "lot",         "lot_code",          "gtin",
      "class_code",     "slogan",           "shop",        "hotline",           "serial",
      "uri",            "gi_name",          "gi_registration_no",                 "production_date",
      "production_license_no",              "ingredients", "packer_address"};
  return names;
}

Rgb parse_color(const nlohmann::json& j) {
  return static_cast<Rgb>(std::stoul(j.get<std::string>().substr(1), nullptr, 16));
}

double num(const nlohmann::json& obj, const char* key, double fallback) {
  auto it = obj.find(key);
  return it == obj.end() ? fallback : it->get<double>();
}

}  // namespace

const std::vector<std::string>& seven_unified_parts() {
  static const std::vector<std::string> parts = {"brand",        "packaging", "standard",   "quality",
                                                 "distribution", "marketing", "after_sales"};
  return parts;
}

bool is_known_placeholder(std::string_view name) {
  return known_placeholders().count(name) > 0 ||
         (name.size() > 2 && name.substr(0, 2) == "x_");
}

bool is_per_label_placeholder(std::string_view name) { return name == "serial" || name == "uri"; }

std::vector<std::string> placeholders_in(std::string_view text, std::string_view where) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '{' && i + 1 < text.size() && text[i + 1] == '{') {
      ++i;
    } else if (text[i] == '}' && i + 1 < text.size() && text[i + 1] == '}') {
      ++i;
    } else if (text[i] == '{') {
      std::size_t close = text.find('}', i);
      if (close == std::string_view::npos)
        throw_bad_input(fmt::format("{}: unclosed '{{' in \"{}\"; write {{{{ for a literal brace", where, text));
      out.emplace_back(text.substr(i + 1, close - i - 1));
      i = close;
    } else if (text[i] == '}') {
      throw_bad_input(fmt::format("{}: stray '}}' in \"{}\"; write }}}} for a literal brace", where, text));
    }
  }
  return out;
}

Element parse_element(const nlohmann::json& e, const LabelTemplate& t, const std::string& where,
                      const ElementRules& rules) {
  std::string type = e.at("type").get<std::string>();
  auto inside = [&](double x, double y, double w, double h) {
    constexpr double kSlack = 1e-6;
    if (x + w > t.width_mm + kSlack || y + h > t.height_mm + kSlack)
      throw_bad_input(fmt::format("{} ({}): reaches {:.1f}×{:.1f} mm, outside the {}×{} mm label", where, type, x + w,
                                  y + h, t.width_mm, t.height_mm));
  };
  if (type == "rect") {
    RectElement r;
    r.x_mm = e["x_mm"].get<double>();
    r.y_mm = e["y_mm"].get<double>();
    r.w_mm = e["w_mm"].get<double>();
    r.h_mm = e["h_mm"].get<double>();
    r.radius_mm = num(e, "radius_mm", 0);
    if (e.contains("fill")) r.fill = parse_color(e["fill"]);
    if (e.contains("stroke")) r.stroke = parse_color(e["stroke"]);
    r.stroke_mm = num(e, "stroke_mm", 0.3);
    if (!r.fill && !r.stroke) throw_bad_input(fmt::format("{} (rect): give fill, stroke or both", where));
    inside(r.x_mm, r.y_mm, r.w_mm, r.h_mm);
    return r;
  }
  if (type == "line") {
    LineElement l;
    l.x1_mm = e["x1_mm"].get<double>();
    l.y1_mm = e["y1_mm"].get<double>();
    l.x2_mm = e["x2_mm"].get<double>();
    l.y2_mm = e["y2_mm"].get<double>();
    l.width_mm = num(e, "width_mm", 0.3);
    if (e.contains("color")) l.color = parse_color(e["color"]);
    inside(std::max(l.x1_mm, l.x2_mm), std::max(l.y1_mm, l.y2_mm), 0, 0);
    return l;
  }
  if (type == "text") {
    TextElement x;
    x.part = e.value("part", "other");
    x.x_mm = e["x_mm"].get<double>();
    x.y_mm = e["y_mm"].get<double>();
    x.w_mm = e["w_mm"].get<double>();
    x.h_mm = e["h_mm"].get<double>();
    x.text = e["text"].get<std::string>();
    x.size_pt = e["size_pt"].get<double>();
    x.min_size_pt = num(e, "min_size_pt", x.size_pt);
    if (x.min_size_pt > x.size_pt)
      throw_bad_input(fmt::format("{}: min_size_pt {} is larger than size_pt {}", where, x.min_size_pt, x.size_pt));
    x.font = e.value("font", "");
    x.bold = e.value("bold", false);
    if (e.contains("color")) x.color = parse_color(e["color"]);
    std::string align = e.value("align", "left");
    x.align = align == "center" ? Align::center : align == "right" ? Align::right : Align::left;
    std::string valign = e.value("valign", "top");
    x.valign = valign == "middle" ? VAlign::middle : valign == "bottom" ? VAlign::bottom : VAlign::top;
    x.max_lines = e.value("max_lines", 1);
    x.letter_spacing_pt = num(e, "letter_spacing_pt", 0);
    x.optional = e.value("optional", false);
    auto names = placeholders_in(x.text, where);
    // 地理标志农产品 is printed only for a product whose record says it is one: the words go
    // with the record's {gi_name} or {gi_registration_no}, which only such a product has.
    if (x.text.find("地理标志") != std::string::npos &&
        std::none_of(names.begin(), names.end(), [](const std::string& n) { return n.substr(0, 3) == "gi_"; }))
      throw_bad_input(fmt::format(
          "{0}：“地理标志”只能和 {{gi_name}} 或 {{gi_registration_no}} 印在同一文字元素里，这样只有产品资料登记了地理标志"
          "的产品才印（docs/templates.md）/ {0}: \"地理标志\" (geographical indication) may only stand in a text "
          "element with {{gi_name}} or {{gi_registration_no}}, so that only a product whose record has a "
          "geographical_indication prints it (docs/templates.md): \"{1}\"",
          where, x.text));
    for (const auto& p : names) {
      if (!rules.known(p))
        throw_bad_input(fmt::format("{}: unknown placeholder {{{}}} in \"{}\"", where, p, x.text));
      if (rules.per_label(p)) x.per_label = true;
      if (p.substr(0, 2) == "x_" && !t.values.count(p))
        throw_bad_input(fmt::format("{}: {{{}}} has no entry in the template's values", where, p));
    }
    if (x.per_label) {
      for (unsigned char c : x.text)
        if (c < 0x20 || c > 0x7e)
          throw_bad_input(fmt::format(
              "{}: text with {{serial}} or {{uri}} must be ASCII (thermal printers draw it in their own "
              "font, which has no Chinese); put \"{}\" in two elements: the Chinese one without the placeholder",
              where, x.text));
    }
    inside(x.x_mm, x.y_mm, x.w_mm, x.h_mm);
    return x;
  }
  QrElement q;  // the schema admits no other type
  q.x_mm = e["x_mm"].get<double>();
  q.y_mm = e["y_mm"].get<double>();
  q.size_mm = e["size_mm"].get<double>();
  if (e.contains("ec")) q.ec = parse_ec_level(e["ec"].get<std::string>(), where + ".ec");
  inside(q.x_mm, q.y_mm, q.size_mm, q.size_mm);
  return q;
}

LabelTemplate parse_template(const nlohmann::json& doc, std::string_view what) {
  // Before the schema, whose refusal would only say the name is not allowed: a template is
  // for any product of its kind, so the product's own words come from the product's record.
  if (doc.is_object() && doc.contains("values") && doc["values"].is_object() && doc["values"].contains("slogan"))
    throw_bad_input(fmt::format(
        "{0}: values.slogan：宣传语属于产品，模板不再带宣传语（否则会印到别的产品上）；请删去 values.slogan，把宣传语填在"
        "产品资料的「宣传语」列（slogan，规则版本 5），模板用 {{slogan}} 印它（docs/templates.md）/ {0}: values.slogan: "
        "a slogan belongs to the product, not to the template (which would print it on every product); delete "
        "values.slogan and record the slogan in the product's record (field slogan, column 宣传语, rules version 5), "
        "which the template prints with {{slogan}} (docs/templates.md)",
        what));
  static const SchemaValidator validator("label-template.schema.json");
  validator.validate(doc, what);

  LabelTemplate t;
  t.name = doc.at("name").get<std::string>();
  t.width_mm = doc.at("width_mm").get<double>();
  t.height_mm = doc.at("height_mm").get<double>();
  t.dpi = doc.at("dpi").get<int>();
  if (doc.contains("font")) t.font = doc["font"].get<std::string>();
  if (doc.contains("background")) t.background = parse_color(doc["background"]);
  if (doc.contains("values"))
    for (const auto& [k, v] : doc["values"].items()) t.values[k] = v.get<std::string>();

  ElementRules rules{is_known_placeholder, is_per_label_placeholder};
  std::set<std::string> parts;
  int qr_count = 0;
  const auto& elements = doc.at("elements");
  for (std::size_t i = 0; i < elements.size(); ++i) {
    Element el = parse_element(elements[i], t, fmt::format("{}: elements[{}]", what, i), rules);
    if (const auto* x = std::get_if<TextElement>(&el)) parts.insert(x->part);
    if (const auto* q = std::get_if<QrElement>(&el)) {
      t.qr = *q;
      ++qr_count;
    }
    t.elements.push_back(std::move(el));
  }
  if (qr_count != 1)
    throw_bad_input(fmt::format("{}: a label carries exactly one QR element; found {}", what, qr_count));
  std::vector<std::string> missing;
  for (const auto& p : seven_unified_parts())
    if (!parts.count(p)) missing.push_back(p);
  if (!missing.empty())
    throw_bad_input(fmt::format("{}: the seven unified parts need a text element each; missing part {}", what,
                                fmt::join(missing, ", ")));
  bool has_code = std::any_of(t.elements.begin(), t.elements.end(), [](const Element& e) {
    const auto* x = std::get_if<TextElement>(&e);
    return x && x->text.find("{serial}") != std::string::npos;
  });
  if (!has_code)
    throw_bad_input(fmt::format("{}: no text element shows {{serial}}, the human-readable trace code", what));
  return t;
}

json::Limits template_limits() {
  json::Limits limits;
  limits.max_document_bytes = kMaxTemplateBytes;
  limits.max_string_bytes = 2048;
  limits.max_depth = 8;
  return limits;
}

LabelTemplate load_template(const std::string& path) {
  // One read: the bytes parsed are the bytes whose digest a label job records.
  std::string bytes = read_file(path, template_limits().max_document_bytes, "--template ");
  LabelTemplate t = parse_template(json::parse_strict(bytes, template_limits(), path), path);
  Hash digest = sha256(std::span(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
  t.file_sha256 = hex_encode(digest);
  return t;
}

}  // namespace agtrace::labeler
