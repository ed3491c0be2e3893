// Label content (DESIGN §4 "Seven unified"): the values a template's placeholders take
// for one packed lot, and the expansion of a template's text with them.
//
// gather_label_facts() reads the ledger: the lot (its GS1-safe code, its product), the
// product's master data (name, variety, GTIN, brands, standards, storage; from rules
// version 5 its slogan and geographical indication, and for a processed food its SC licence
// number and ingredients: docs/templates.md), the packing event that created the lot (pack
// size, pack date — a processed food's 生产日期 —, packer and its address), the lot's lineage up to its
// plantings (origin: the plot's address; for a lot made from several plots their common
// township or village and "等 N 个地块", see area.h; producer: the first planting's), the grade a grading transformation gave the lot or its
// nearest graded ancestor (e.g. 特级; else the product's grade standard), and the latest
// inspection of the lot or an ancestor (result, report and 合格证 certificate numbers).
// Everything else is pure.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "labeler/template/template.h"

namespace agtrace {
class Ledger;
}

namespace agtrace::labeler {

// What the ledger says about a lot, as placeholder name → display text (Chinese where
// the label reads Chinese, e.g. inspection_result "合格").
struct LabelFacts {
  std::string base_url;                 // https://host[/path], no trailing slash
  std::string lot;                      // the lot id as recorded (may be Chinese)
  std::string lot_code;                 // its GS1-safe code, AI (10)
  std::optional<std::string> gtin14;    // validated GTIN-14 of the product, if any
  std::string packing_party;            // who packed the lot (party id): the job's default party
  std::string packing_location;         // where (location id): the job's default location
  std::string product_id;               // the lot's product (master data id)
  std::string product_owner;            // the product record's owner (party id), may be empty
  bool processed = false;               // the product record says processed (加工食品, GB 7718)
  double net_quantity = 0;              // one packed unit's net content in g (mass) or mL
                                        // (volume), from the packing; 0 for a count
  std::map<std::string, std::string> fields;
};

// Gathers the facts for `lot`. Throws Error(bad_input) if the lot is unknown, was not
// created by packing (labels go on packed lots), has no product, its product's GTIN has a
// wrong check digit, its latest inspection failed, or a recall covers it (the lot, or an
// ancestor recalled with its descendants; a recall withdrawn by a correction does not count).
LabelFacts gather_label_facts(Ledger& ledger, const std::string& lot);

// The QR payload for `serial`: the Digital Link when the product has a GTIN, else the
// /t/ form (DESIGN §4).
std::string trace_uri(const LabelFacts& facts, std::string_view serial);

// `text` with every {placeholder} replaced: per-label ones from `serial` and `uri`, the
// rest from `facts.fields`, then `values` (template values). Returns nullopt if a field
// has no value. "{{" and "}}" become literal braces.
std::optional<std::string> expand_text(std::string_view text, const LabelFacts& facts,
                                       const std::map<std::string, std::string>& values,
                                       std::string_view serial, std::string_view uri);

// Where the value of placeholder `name` comes from, for a refusal that tells the clerk what to
// fill in, in Chinese and in English: the record (product, party, packing, planting, …) and
// its field with the column header of the clerk's CSV (schemas/csv-columns.json), e.g. for
// {slogan}: "产品「LCXM-HG」资料的「宣传语」列（slogan）" / "product "LCXM-HG": field slogan
// (column 宣传语)". Pure; a name the ledger does not fill points to the template's values.
struct FieldSource {
  std::string zh, en;
};
FieldSource field_source(std::string_view name, const LabelFacts& facts);

// The placeholders a processed food's label must show (GB 7718-2011 4.1: 生产日期, 保质期,
// 食品生产许可证编号, 配料表): production_date, shelf_life, production_license_no, ingredients.
const std::vector<std::string>& processed_food_placeholders();

// For a processed product (facts.processed), checks that `t` shows every one of
// processed_food_placeholders() in a text element that is not optional; for any other
// product, that `t` does not print {production_date} (a processed-food template) in one.
// Throws Error(bad_input) naming the template, the product, the missing placeholders or the
// record's field `processed`, and the template to use, in Chinese then English.
void check_template_for_product(const LabelTemplate& t, const LabelFacts& facts);

// GB 7718-2011 4.1.5.4 表 3: the least height in mm of the characters of a prepackaged food's
// 净含量 for a net content of `quantity` g or mL (≤ 50: 2; ≤ 200: 3; ≤ 1000: 4; more: 6).
double net_content_min_height_mm(double quantity);

// A UN/ECE Rec 20 quantity for people: {"value":"5","unit":"KGM"} → "5 kg".
std::string display_quantity(std::string_view value, std::string_view unit);

}  // namespace agtrace::labeler
