// cairo + pango drawing of labels; text fitting.
#include "labeler/render/painter.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>

#include "ledger/util/error.h"

namespace agtrace::labeler {
namespace {

constexpr double kPtPerInch = 72.0;
constexpr double kFitStepPt = 0.25;

void set_rgb(cairo_t* cr, Rgb c) {
  cairo_set_source_rgb(cr, ((c >> 16) & 255) / 255.0, ((c >> 8) & 255) / 255.0, (c & 255) / 255.0);
}

std::string element_where(const LabelTemplate& t, const TextElement& e) {
  for (std::size_t i = 0; i < t.elements.size(); ++i)
    if (std::get_if<TextElement>(&t.elements[i]) == &e) return fmt::format("{}: elements[{}]", t.name, i);
  return t.name;
}

}  // namespace

std::string LabelPainter::missing_fields_message(const TextElement& x, const std::string& where) const {
  std::vector<std::string> names, zh, en;
  for (const auto& name : placeholders_in(x.text, where)) {
    if (is_per_label_placeholder(name) || t_.values.count(name)) continue;
    auto f = facts_.fields.find(name);
    if (f != facts_.fields.end() && !f->second.empty()) continue;
    if (std::find(names.begin(), names.end(), name) != names.end()) continue;
    names.push_back(name);
    FieldSource source = field_source(name, facts_);
    zh.push_back(fmt::format("{{{}}} 请填写{}", name, source.zh));
    en.push_back(fmt::format("for {{{}}} fill in {}", name, source.en));
  }
  return fmt::format(
      "{0}（{1} 部分）：批次「{2}」没有「{3}」要印的值：{4}；或把该元素标为 optional（docs/templates.md）/ {0} ({1} "
      "part): lot \"{2}\" has no value for \"{3}\": {5}; or mark the element optional (docs/templates.md)",
      where, x.part, facts_.lot, x.text, fmt::join(zh, "；"), fmt::join(en, "; "));
}

LabelPainter::LabelPainter(const LabelTemplate& t, const LabelFacts& facts, int dpi,
                           std::optional<std::size_t> qr_payload_bytes)
    : t_(t), facts_(facts), dpi_(dpi) {
  check_template_for_product(t_, facts_);
  width_ = static_cast<int>(std::lround(mm_to_dots(t_.width_mm, dpi_)));
  height_ = static_cast<int>(std::lround(mm_to_dots(t_.height_mm, dpi_)));

  pango_ = pango_font_map_create_context(pango_cairo_font_map_get_default());
  pango_context_set_language(pango_, pango_language_from_string("zh-cn"));
  cairo_font_options_t* fo = cairo_font_options_create();
  cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
  pango_cairo_context_set_font_options(pango_, fo);
  cairo_font_options_destroy(fo);

  // The QR symbol: same payload length for every label of the job, hence same version.
  std::size_t payload = qr_payload_bytes ? *qr_payload_bytes : trace_uri(facts_, std::string(13, '0')).size();
  int version = qr_version_for(payload, t_.qr.ec);
  qr_ = place_qr(t_.qr.x_mm, t_.qr.y_mm, t_.qr.size_mm, 17 + 4 * version, dpi_);

  // Text: expand and fit static text now; size per-label text for the widest serial.
  static_.reserve(t_.elements.size());
  std::vector<std::string> missing;  // every element without its value, said at once
  for (const auto& el : t_.elements) {
    if (const auto* x = std::get_if<TextElement>(&el)) {
      std::string where = element_where(t_, *x);
      if (x->per_label) {
        std::string widest(13, 'W');
        auto sample = expand_text(x->text, facts_, t_.values, widest, trace_uri(facts_, widest));
        if (!sample) {
          if (!x->optional) missing.push_back(missing_fields_message(*x, where));
          continue;
        }
        PlacedText p = fit(*x, *sample, where);
        p.text = x->text;
        per_label_.push_back(std::move(p));
      } else {
        auto text = expand_text(x->text, facts_, t_.values, "", "");
        if (!text) {
          if (!x->optional) missing.push_back(missing_fields_message(*x, where));
          continue;
        }
        static_.push_back(fit(*x, *text, where));
        order_.push_back({&el, static_cast<int>(static_.size() - 1)});
      }
    } else if (!std::holds_alternative<QrElement>(el)) {
      order_.push_back({&el, -1});
    }
  }
  if (!missing.empty()) throw_bad_input(fmt::format("{}", fmt::join(missing, "\n")));
  if (facts_.processed && facts_.net_quantity > 0) check_net_content_height();
}

void LabelPainter::check_net_content_height() const {
  const double need_mm = net_content_min_height_mm(facts_.net_quantity);
  for (const auto& p : static_) {
    if (p.element->text.find("{net_content}") == std::string::npos) continue;
    // The figures' printed height: the ink of "0123456789" at the fitted size.
    PangoLayout* layout = make_layout(p, "0123456789");
    PangoRectangle ink;
    pango_layout_get_pixel_extents(layout, &ink, nullptr);
    g_object_unref(layout);
    const double have_mm = ink.height * 25.4 / dpi_;
    if (have_mm + 1e-9 >= need_mm) continue;
    const double need_pt = p.size_px * kPtPerInch / dpi_ * need_mm / have_mm;
    throw_bad_input(fmt::format(
        "{0}：净含量 {1} 的数字高 {2:.1f} mm，低于 GB 7718-2011 4.1.5.4 表 3 对该净含量要求的 {3:g} mm；请把该元素的 size_pt "
        "和 min_size_pt 加大到至少 {4:.1f} pt（docs/templates.md）/ {0}: the figures of the net content {1} are {2:.1f} mm "
        "high, below the {3:g} mm GB 7718-2011 4.1.5.4 table 3 requires for it; raise the element's size_pt and "
        "min_size_pt to at least {4:.1f} pt (docs/templates.md)",
        element_where(t_, *p.element), facts_.fields.at("net_content"), have_mm, need_mm, std::ceil(need_pt * 10) / 10));
  }
}

LabelPainter::~LabelPainter() {
  if (pango_) g_object_unref(pango_);
}

PangoLayout* LabelPainter::make_layout(const PlacedText& p, const std::string& text) const {
  PangoLayout* layout = pango_layout_new(pango_);
  PangoFontDescription* fd = pango_font_description_from_string(
      p.element->font.empty() ? t_.font.c_str() : p.element->font.c_str());
  pango_font_description_set_weight(fd, p.element->bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_font_description_set_absolute_size(fd, p.size_px * PANGO_SCALE);
  pango_layout_set_font_description(layout, fd);
  pango_font_description_free(fd);
  pango_layout_set_width(layout, p.w * PANGO_SCALE);
  pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment(layout, p.element->align == Align::center  ? PANGO_ALIGN_CENTER
                                     : p.element->align == Align::right ? PANGO_ALIGN_RIGHT
                                                                        : PANGO_ALIGN_LEFT);
  if (p.element->letter_spacing_pt > 0) {
    PangoAttrList* attrs = pango_attr_list_new();
    double px = p.element->letter_spacing_pt * dpi_ / kPtPerInch;
    pango_attr_list_insert(attrs, pango_attr_letter_spacing_new(static_cast<int>(px * PANGO_SCALE)));
    pango_layout_set_attributes(layout, attrs);
    pango_attr_list_unref(attrs);
  }
  pango_layout_set_text(layout, text.data(), static_cast<int>(text.size()));
  return layout;
}

void LabelPainter::layout_origin(const PlacedText& p, PangoLayout* layout, double& x, double& y) const {
  PangoRectangle logical;
  pango_layout_get_pixel_extents(layout, nullptr, &logical);
  x = p.x;
  y = p.y;
  if (p.element->valign == VAlign::middle) y += (p.h - logical.height) / 2.0;
  if (p.element->valign == VAlign::bottom) y += p.h - logical.height;
}

PlacedText LabelPainter::fit(const TextElement& e, const std::string& text, std::string_view where) const {
  PlacedText p;
  p.element = &e;
  p.text = text;
  p.x = static_cast<int>(std::lround(mm_to_dots(e.x_mm, dpi_)));
  p.y = static_cast<int>(std::lround(mm_to_dots(e.y_mm, dpi_)));
  p.w = static_cast<int>(std::floor(mm_to_dots(e.w_mm, dpi_)));
  p.h = static_cast<int>(std::floor(mm_to_dots(e.h_mm, dpi_)));
  for (double pt = e.size_pt; pt >= e.min_size_pt - 1e-9; pt -= kFitStepPt) {
    p.size_px = pt * dpi_ / kPtPerInch;
    PangoLayout* layout = make_layout(p, text);
    PangoRectangle logical;
    pango_layout_get_pixel_extents(layout, nullptr, &logical);
    int lines = pango_layout_get_line_count(layout);
    // A single word wider than the box is broken by WORD_CHAR; the width cannot exceed it.
    bool fits = lines <= e.max_lines && logical.height <= p.h && logical.width <= p.w;
    g_object_unref(layout);
    if (fits) return p;
  }
  throw_bad_input(fmt::format(
      "{} ({} part): \"{}\" does not fit in {}×{} mm ({} line(s)) even at the minimum {} pt; shorten the value, "
      "or enlarge the box or lower min_size_pt in the template",
      where, e.part, text, e.w_mm, e.h_mm, e.max_lines, e.min_size_pt));
}

void LabelPainter::draw_text(cairo_t* cr, const PlacedText& p, const std::string& text) const {
  PangoLayout* layout = make_layout(p, text);
  pango_cairo_update_context(cr, pango_);
  pango_layout_context_changed(layout);
  double x, y;
  layout_origin(p, layout, x, y);
  set_rgb(cr, p.element->color);
  cairo_move_to(cr, x, y);
  pango_cairo_show_layout(cr, layout);
  g_object_unref(layout);
}

std::string LabelPainter::expand(const PlacedText& p, const std::string& serial, const std::string& uri) const {
  return expand_text(p.text, facts_, t_.values, serial, uri).value_or(std::string());
}

void LabelPainter::paint_static(cairo_t* cr) const {
  set_rgb(cr, t_.background);
  cairo_rectangle(cr, 0, 0, width_, height_);
  cairo_fill(cr);
  for (const auto& item : order_) {
    if (item.text >= 0) {
      draw_text(cr, static_[static_cast<std::size_t>(item.text)], static_[static_cast<std::size_t>(item.text)].text);
    } else if (const auto* r = std::get_if<RectElement>(item.element)) {
      double x = mm_to_dots(r->x_mm, dpi_), y = mm_to_dots(r->y_mm, dpi_);
      double w = mm_to_dots(r->w_mm, dpi_), h = mm_to_dots(r->h_mm, dpi_);
      double rad = std::min(mm_to_dots(r->radius_mm, dpi_), std::min(w, h) / 2);
      cairo_new_path(cr);
      if (rad > 0) {
        cairo_arc(cr, x + w - rad, y + rad, rad, -M_PI / 2, 0);
        cairo_arc(cr, x + w - rad, y + h - rad, rad, 0, M_PI / 2);
        cairo_arc(cr, x + rad, y + h - rad, rad, M_PI / 2, M_PI);
        cairo_arc(cr, x + rad, y + rad, rad, M_PI, 3 * M_PI / 2);
        cairo_close_path(cr);
      } else {
        cairo_rectangle(cr, x, y, w, h);
      }
      if (r->fill) {
        set_rgb(cr, *r->fill);
        if (r->stroke) cairo_fill_preserve(cr); else cairo_fill(cr);
      }
      if (r->stroke) {
        set_rgb(cr, *r->stroke);
        cairo_set_line_width(cr, mm_to_dots(r->stroke_mm, dpi_));
        cairo_stroke(cr);
      }
    } else if (const auto* l = std::get_if<LineElement>(item.element)) {
      set_rgb(cr, l->color);
      cairo_set_line_width(cr, mm_to_dots(l->width_mm, dpi_));
      cairo_move_to(cr, mm_to_dots(l->x1_mm, dpi_), mm_to_dots(l->y1_mm, dpi_));
      cairo_line_to(cr, mm_to_dots(l->x2_mm, dpi_), mm_to_dots(l->y2_mm, dpi_));
      cairo_stroke(cr);
    }
  }
  // The QR's light square: symbol plus quiet zone, whatever lies beneath.
  int quiet = kQuietZoneModules * qr_.module;
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_rectangle(cr, qr_.x - quiet, qr_.y - quiet, qr_.side() + 2 * quiet, qr_.side() + 2 * quiet);
  cairo_fill(cr);
}

void LabelPainter::paint_qr(cairo_t* cr, const QrMatrix& m) const {
  cairo_set_source_rgb(cr, 0, 0, 0);
  cairo_new_path(cr);
  for (int y = 0; y < m.size; ++y) {
    int x = 0;
    while (x < m.size) {
      if (!m.at(x, y)) {
        ++x;
        continue;
      }
      int run = x;
      while (run < m.size && m.at(run, y)) ++run;
      cairo_rectangle(cr, qr_.x + x * qr_.module, qr_.y + y * qr_.module, (run - x) * qr_.module, qr_.module);
      x = run;
    }
  }
  cairo_fill(cr);
}

void LabelPainter::paint_per_label_text(cairo_t* cr, const std::string& serial, const std::string& uri) const {
  for (const auto& p : per_label_) draw_text(cr, p, expand(p, serial, uri));
}

void LabelPainter::paint_label(cairo_t* cr, const std::string& serial, const std::string& uri,
                               const QrMatrix& m) const {
  paint_static(cr);
  paint_qr(cr, m);
  paint_per_label_text(cr, serial, uri);
}

}  // namespace agtrace::labeler
