// Label templates (DESIGN §4 "Seven unified"): JSON files validated against
// schemas/label-template.schema.json. A template places rectangles, lines, text and one
// QR code on a label of width_mm × height_mm printed at dpi dots per inch. Text holds
// {placeholders}: the seven unified parts filled from the ledger (content.h), and
// {serial} / {uri}, which change per label.
//
// Checks beyond the schema (each a bad_input naming the element): unknown placeholders;
// exactly one QR element; elements inside the label; the text elements covering all
// seven parts (brand, packaging, standard, quality, distribution, marketing,
// after_sales); per-label text ASCII apart from its placeholders (thermal printers draw
// it with their own font, which has no Chinese); "地理标志" only in an element that names
// {gi_name} or {gi_registration_no}, and no values.slogan — a template serves every product
// of its kind, the product's own words come from its record (docs/templates.md).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "labeler/qr/qr.h"
#include "ledger/json/strict_parse.h"

namespace agtrace::labeler {

// A colour as 0xRRGGBB (sRGB).
using Rgb = std::uint32_t;

struct RectElement {
  double x_mm = 0, y_mm = 0, w_mm = 0, h_mm = 0, radius_mm = 0;
  std::optional<Rgb> fill, stroke;
  double stroke_mm = 0.3;
};

struct LineElement {
  double x1_mm = 0, y1_mm = 0, x2_mm = 0, y2_mm = 0, width_mm = 0.3;
  Rgb color = 0x000000;
};

enum class Align { left, center, right };
enum class VAlign { top, middle, bottom };

struct TextElement {
  std::string part;  // one of the seven unified parts, "trace" or "other"
  double x_mm = 0, y_mm = 0, w_mm = 0, h_mm = 0;
  std::string text;  // with {placeholders}
  std::string font;  // empty: the template's font
  double size_pt = 10, min_size_pt = 10;
  bool bold = false;
  Rgb color = 0x000000;
  Align align = Align::left;
  VAlign valign = VAlign::top;
  int max_lines = 1;
  double letter_spacing_pt = 0;
  bool optional = false;
  bool per_label = false;  // names {serial} or {uri}
};

struct QrElement {
  double x_mm = 0, y_mm = 0, size_mm = 20;
  EcLevel ec = EcLevel::M;
};

using Element = std::variant<RectElement, LineElement, TextElement, QrElement>;

struct LabelTemplate {
  std::string name;
  double width_mm = 0, height_mm = 0;
  int dpi = 300;
  std::string font = "Noto Sans CJK SC";
  Rgb background = 0xFFFFFF;
  std::map<std::string, std::string> values;  // shop, hotline, x_…
  std::vector<Element> elements;              // in drawing order
  QrElement qr;                               // the one QR element (also in elements)
  std::string file_sha256;                    // SHA-256 (lower-case hex) of the file load_template read; "" otherwise
};

// The seven unified parts (七统一), in the order a label reads.
const std::vector<std::string>& seven_unified_parts();

// Placeholders a template may use. Per-label ones: serial, uri.
bool is_known_placeholder(std::string_view name);
bool is_per_label_placeholder(std::string_view name);

// The placeholder names in `text` ("{a} x {b}" → a, b). "{{" and "}}" stand for
// literal braces. Throws Error(bad_input) naming `where` on an unclosed brace.
std::vector<std::string> placeholders_in(std::string_view text, std::string_view where);

// Which placeholders a kind of template knows, and which of them change per label.
struct ElementRules {
  bool (*known)(std::string_view name) = nullptr;
  bool (*per_label)(std::string_view name) = nullptr;
};

// One schema-valid rect, line, text or qr element (JSON) of template `t` (its size and
// values already set), checked to lie inside the label, with its text's placeholders
// known to `rules`. `where` names the element in messages. Throws Error(bad_input).
Element parse_element(const nlohmann::json& e, const LabelTemplate& t, const std::string& where,
                      const ElementRules& rules);

// Builds a template from parsed JSON: schema validation, then the checks above. `what`
// names the file in messages. Throws Error(bad_input).
LabelTemplate parse_template(const nlohmann::json& doc, std::string_view what);

// The strict-parse limits of a template file (label or certificate): 64 KiB, strings of 2 KiB,
// nesting 8 deep.
json::Limits template_limits();

// Reads, strictly parses (template_limits()) and checks a template file; file_sha256 is the
// digest of the bytes read (a label job records it). Throws
// Error(bad_input) naming the file.
LabelTemplate load_template(const std::string& path);

}  // namespace agtrace::labeler
