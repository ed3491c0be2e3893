// Drawing a label with cairo and pango (Noto Sans CJK for Chinese), in printer dots.
//
// A LabelPainter is built once per job from a template and a lot's facts. Building it
// expands every static text, fits it to its box (shrinking from size_pt towards
// min_size_pt in 0.25 pt steps; refusing with bad_input, never clipping, when even the
// minimum does not fit), sizes per-label text for the widest serial, and places the QR
// symbol for the job's payload length (every payload of a job has the same length, so
// the same QR version). Drawing then cannot fail on content.
//
// Coordinates: one unit = one dot at the painter's dpi; vector surfaces (PDF, SVG) are
// scaled by 72/dpi before drawing. Not thread-safe: one painter per thread.
#pragma once

#include <cairo.h>
#include <pango/pangocairo.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "labeler/qr/qr.h"
#include "labeler/render/layout.h"
#include "labeler/template/content.h"
#include "labeler/template/template.h"

namespace agtrace::labeler {

// A text element ready to draw, its box in dots and fitted font size in dots.
struct PlacedText {
  const TextElement* element = nullptr;
  std::string text;  // final text (static), or the pattern with {serial}/{uri} (per label)
  double size_px = 0;
  int x = 0, y = 0, w = 0, h = 0;
};

class LabelPainter {
 public:
  // Throws Error(bad_input) naming the element when a field has no value (and the element
  // is not optional: the message names the record and field to fill in), text does not fit,
  // or the QR does not fit its box; and when the lot's product is a processed food and the
  // template does not show its production date, shelf life, SC licence number and
  // ingredients (check_template_for_product), or shows its 净含量 in figures lower than GB
  // 7718-2011 4.1.5.4 table 3 requires (2 to 6 mm, by the net content). The QR symbol is
  // sized for a trace URI of `facts` unless `qr_payload_bytes` gives the length of every
  // payload the painter will draw (a certificate's page URL:
  // labeler/certificate/certificate_render.h).
  LabelPainter(const LabelTemplate& t, const LabelFacts& facts, int dpi,
               std::optional<std::size_t> qr_payload_bytes = std::nullopt);
  ~LabelPainter();
  LabelPainter(const LabelPainter&) = delete;
  LabelPainter& operator=(const LabelPainter&) = delete;

  int width() const { return width_; }
  int height() const { return height_; }
  int dpi() const { return dpi_; }
  const LabelTemplate& label_template() const { return t_; }
  const LabelFacts& facts() const { return facts_; }
  const QrPlacement& qr() const { return qr_; }
  EcLevel ec() const { return t_.qr.ec; }
  const std::vector<PlacedText>& per_label_texts() const { return per_label_; }
  // The text elements that are the same on every label of the job, expanded and fitted, in
  // template order (optional elements without a value are left out).
  const std::vector<PlacedText>& static_texts() const { return static_; }

  // The text a per-label element shows for one label.
  std::string expand(const PlacedText& p, const std::string& serial, const std::string& uri) const;

  // Background, rectangles, lines, static text and the QR's light square (symbol plus
  // quiet zone).
  void paint_static(cairo_t* cr) const;
  // The QR symbol's dark modules as filled rectangles (black).
  void paint_qr(cairo_t* cr, const QrMatrix& m) const;
  // Per-label text for one label.
  void paint_per_label_text(cairo_t* cr, const std::string& serial, const std::string& uri) const;
  // A whole label: static, QR and per-label text.
  void paint_label(cairo_t* cr, const std::string& serial, const std::string& uri, const QrMatrix& m) const;

  // A pango layout for `p` showing `text` at its fitted size, positioned by the caller
  // with layout_origin(). Owned by the caller (g_object_unref).
  PangoLayout* make_layout(const PlacedText& p, const std::string& text) const;
  // Where to put the layout's top-left corner so that it sits in p's box as aligned.
  void layout_origin(const PlacedText& p, PangoLayout* layout, double& x, double& y) const;

 private:
  LabelTemplate t_;
  LabelFacts facts_;
  int dpi_;
  int width_, height_;
  QrPlacement qr_;
  PangoContext* pango_ = nullptr;
  struct StaticItem {
    const Element* element = nullptr;
    int text = -1;  // index into static_ for text elements
  };
  std::vector<PlacedText> static_;
  std::vector<PlacedText> per_label_;
  std::vector<StaticItem> order_;  // static drawing order (rect, line, text)

  PlacedText fit(const TextElement& e, const std::string& text, std::string_view where) const;
  // The refusal for element `x` whose fields have no value: for each, the record and field
  // to fill in (field_source), Chinese then English.
  std::string missing_fields_message(const TextElement& x, const std::string& where) const;
  // A processed food's 净含量: the figures of each text element showing {net_content}, at
  // their fitted size, are at least as high as GB 7718-2011 4.1.5.4 table 3 requires.
  void check_net_content_height() const;
  void draw_text(cairo_t* cr, const PlacedText& p, const std::string& text) const;
};

}  // namespace agtrace::labeler
