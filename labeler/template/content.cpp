// Placeholder expansion, Digital Link choice, where each field's value comes from, and the
// processed-food check: pure functions over LabelFacts.
#include "labeler/template/content.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <stdexcept>

#include "ledger/event/digital_link.h"
#include "ledger/event/embedded_schemas.h"
#include "ledger/util/error.h"

namespace agtrace::labeler {

std::string trace_uri(const LabelFacts& facts, std::string_view serial) {
  if (facts.gtin14) return digital_link_uri(facts.base_url, *facts.gtin14, facts.lot_code, serial);
  return short_trace_uri(facts.base_url, serial);
}

std::optional<std::string> expand_text(std::string_view text, const LabelFacts& facts,
                                       const std::map<std::string, std::string>& values,
                                       std::string_view serial, std::string_view uri) {
  std::string out;
  out.reserve(text.size() + 32);
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if ((c == '{' || c == '}') && i + 1 < text.size() && text[i + 1] == c) {
      out.push_back(c);
      ++i;
      continue;
    }
    if (c != '{') {
      out.push_back(c);
      continue;
    }
    std::size_t close = text.find('}', i);
    std::string name(text.substr(i + 1, close - i - 1));
    i = close;
    if (name == "serial") {
      out += serial;
    } else if (name == "uri") {
      out += uri;
    } else if (auto f = facts.fields.find(name); f != facts.fields.end() && !f->second.empty()) {
      out += f->second;
    } else if (auto v = values.find(name); v != values.end()) {
      out += v->second;
    } else {
      return std::nullopt;
    }
  }
  return out;
}

std::string display_quantity(std::string_view value, std::string_view unit) {
  static const std::map<std::string_view, std::string_view> units = {
      {"KGM", "kg"}, {"GRM", "g"}, {"TNE", "t"}, {"LTR", "L"}, {"MLT", "mL"}, {"H87", "件"}};
  auto it = units.find(unit);
  std::string u = it == units.end() ? std::string(unit) : std::string(it->second);
  return std::string(value) + (unit == "H87" ? "" : " ") + u;
}

}  // namespace agtrace::labeler

namespace agtrace::labeler {
namespace {

// The clerk's column header of `field` of event type `type` (schemas/csv-columns.json), or
// the field itself when the layout has no column for it.
std::string column_header(std::string_view type, std::string_view field) {
  static const nlohmann::json layout = [] {
    for (const auto& f : embedded_schemas())
      if (f.path == "csv-columns.json") return nlohmann::json::parse(f.text);
    throw std::logic_error("csv-columns.json is not embedded");
  }();
  const auto& events = layout.at("events");
  auto t = events.find(std::string(type));
  if (t == events.end()) return std::string(field);
  auto c = t->find(std::string(field));
  if (c == t->end() || !c->contains("headers")) return std::string(field);
  return c->at("headers").at(0).get<std::string>();
}

FieldSource product_field(const LabelFacts& f, std::string_view field, std::string_view note_zh = {},
                          std::string_view note_en = {}) {
  std::string header = column_header("product", field);
  return {fmt::format("产品「{}」资料的「{}」列（{}）{}", f.product_id, header, field, note_zh),
          fmt::format("product \"{}\": field {} (column {}){}", f.product_id, field, header, note_en)};
}

FieldSource party_field(std::string_view party, std::string_view who_zh, std::string_view who_en,
                        std::string_view field) {
  std::string header = column_header("party", field);
  if (party.empty())
    return {fmt::format("{}（未记录）的主体资料「{}」列（{}）", who_zh, header, field),
            fmt::format("the {} (not recorded): party field {} (column {})", who_en, field, header)};
  return {fmt::format("{}「{}」的主体资料「{}」列（{}）", who_zh, party, header, field),
          fmt::format("the {} \"{}\": party field {} (column {})", who_en, party, field, header)};
}

}  // namespace

FieldSource field_source(std::string_view name, const LabelFacts& f) {
  static const std::map<std::string_view, std::string_view> product_fields = {
      {"product", "name"},
      {"variety", "variety"},
      {"brand_regional", "brand.regional"},
      {"brand_enterprise", "brand.enterprise"},
      {"standard", "standard"},
      {"storage", "storage_condition"},
      {"class_code", "class_code"},
      {"shelf_life", "shelf_life_days"},
      {"gtin", "gtin"},
      {"slogan", "slogan"},
      {"production_license_no", "production_license_no"},
      {"ingredients", "ingredients"}};
  if (auto it = product_fields.find(name); it != product_fields.end()) return product_field(f, it->second);
  if (name == "gi_name" || name == "gi_registration_no")
    return product_field(f, name == "gi_name" ? "geographical_indication.name" : "geographical_indication.registration_no",
                         "——只有登记的地理标志农产品才填；不是的，请换用不印“地理标志农产品”的模板",
                         " — only a registered geographical-indication product (地理标志农产品) has it; for any "
                         "other product use a template that does not print 地理标志农产品");
  if (name == "production_date")
    return product_field(f, "processed",
                         "——生产日期只印在加工食品上；该产品若是加工食品，请填“是”，鲜活农产品请印 {pack_date}（包装日期）",
                         " — a production date (生产日期) is printed only for a processed food; set it to true if "
                         "the product is one, else print {pack_date} (the packing date)");
  if (name == "hotline") {
    FieldSource s = party_field(f.product_owner, "产品所属主体", "product's owner", "phone");
    s.zh += "，或模板 values 的 hotline";
    s.en += ", or the template's values.hotline";
    return s;
  }
  if (name == "packer" || name == "packer_address")
    return party_field(f.packing_party, "包装主体", "packer", name == "packer" ? "name" : "address");
  if (name == "producer")
    return party_field(f.product_owner, "种植记录的主体或产品所属主体", "planting's party or the product's owner",
                       "name");
  if (name == "origin")
    return {fmt::format("批次「{}」来源的种植记录（planting）所在地块的地点资料「{}」列（address）", f.lot,
                        column_header("location", "address")),
            fmt::format("the plot of lot \"{}\"'s planting: location field address (column {})", f.lot,
                        column_header("location", "address"))};
  if (name == "grade")
    return {fmt::format("批次「{}」或其来源批次的分级记录（transformation 的产出等级）", f.lot),
            fmt::format("a grading transformation giving lot \"{}\" or a lot it was made from a grade", f.lot)};
  if (name == "inspection_result" || name == "report_no" || name == "inspection_date")
    return {fmt::format("批次「{}」或其来源批次的检测记录（inspection）", f.lot),
            fmt::format("an inspection of lot \"{}\" or of a lot it was made from", f.lot)};
  if (name == "certificate_no")
    return {fmt::format("批次「{}」的承诺达标合格证（certificate_issued，docs/certificate.md）", f.lot),
            fmt::format("a 承诺达标合格证 (certificate_issued, docs/certificate.md) for lot \"{}\"", f.lot)};
  if (name == "pack_date" || name == "net_content")
    return {fmt::format("批次「{}」的包装记录（packing）", f.lot),
            fmt::format("the packing event of lot \"{}\"", f.lot)};
  return {fmt::format("模板 values 的 {}", name), fmt::format("the template's values.{}", name)};
}

double net_content_min_height_mm(double q) {
  if (q <= 50) return 2;
  if (q <= 200) return 3;
  if (q <= 1000) return 4;
  return 6;
}

const std::vector<std::string>& processed_food_placeholders() {
  static const std::vector<std::string> names = {"production_date", "shelf_life", "production_license_no",
                                                 "ingredients"};
  return names;
}

void check_template_for_product(const LabelTemplate& t, const LabelFacts& f) {
  auto shown = [&](const std::string& name) {
    return std::any_of(t.elements.begin(), t.elements.end(), [&](const Element& e) {
      const auto* x = std::get_if<TextElement>(&e);
      return x && !x->optional && x->text.find("{" + name + "}") != std::string::npos;
    });
  };
  if (!f.processed) {
    if (!shown("production_date")) return;
    std::string header = column_header("product", "processed");
    throw_bad_input(fmt::format(
        "模板 {0} 是加工食品的模板（印生产日期 {{production_date}}），产品「{1}」的资料没有标为加工食品（「{2}」列，processed）；"
        "鲜活农产品请换用鲜活农产品模板，如 examples/templates/lucheng-box-100x70.json；若它是加工食品，请在产品资料的"
        "「{2}」列填“是”后重新导入（docs/templates.md）/ template {0} is for processed foods (it prints "
        "{{production_date}}), and product \"{1}\"'s record does not say processed (column {2}, field processed); for "
        "fresh produce use a fresh-produce template such as examples/templates/lucheng-box-100x70.json, or if it is a "
        "processed food set processed to true in its record (docs/templates.md)",
        t.name, f.product_id, header));
  }
  std::vector<std::string> missing;
  for (const auto& name : processed_food_placeholders())
    if (!shown(name)) missing.push_back("{" + name + "}");
  if (missing.empty()) return;
  throw_bad_input(fmt::format(
      "模板 {0} 不能用于产品「{1}」：该产品是加工食品（预包装食品），标签须标示生产日期、保质期、食品生产许可证编号和配料表"
      "（GB 7718-2011 4.1），模板缺少 {2}（须在非 optional 的文字元素中）；请换用加工食品模板，如 "
      "examples/templates/lucheng-scallion-oil-80x60.json（docs/templates.md）/ template {0} cannot label product "
      "\"{1}\": the product is a processed, prepackaged food, whose label must show its production date, shelf life, "
      "SC licence number and ingredients (GB 7718-2011 4.1), and the template lacks {2} (in a text element that is "
      "not optional); use a processed-food template such as examples/templates/lucheng-scallion-oil-80x60.json "
      "(docs/templates.md)",
      t.name, f.product_id, fmt::join(missing, ", ")));
}

}  // namespace agtrace::labeler
