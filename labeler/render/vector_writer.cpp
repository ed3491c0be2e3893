// SVG and PDF output through cairo's vector surfaces.
#include <cairo-pdf.h>
#include <cairo-svg.h>

#include "labeler/render/layout.h"
#include "labeler/render/writer.h"

namespace agtrace::labeler {
namespace {

cairo_status_t append_stream(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

double points(double mm) { return mm * 72.0 / kMmPerInch; }

void draw(cairo_surface_t* s, const LabelPainter& p, const std::string& serial, const std::string& uri) {
  cairo_t* cr = cairo_create(s);
  cairo_scale(cr, 72.0 / p.dpi(), 72.0 / p.dpi());
  p.paint_label(cr, serial, uri, encode_qr(uri, p.ec()));
  cairo_show_page(cr);
  cairo_destroy(cr);
}

class SvgWriter final : public LabelWriter {
 public:
  explicit SvgWriter(const LabelPainter& p) : p_(p) {}
  std::string_view extension() const override { return "svg"; }
  bool file_per_label() const override { return true; }
  std::string label(const std::string& serial, const std::string& uri) override {
    std::string out;
    const auto& t = p_.label_template();
    cairo_surface_t* s =
        cairo_svg_surface_create_for_stream(append_stream, &out, points(t.width_mm), points(t.height_mm));
    cairo_svg_surface_restrict_to_version(s, CAIRO_SVG_VERSION_1_1);
    draw(s, p_, serial, uri);
    cairo_surface_finish(s);
    cairo_surface_destroy(s);
    return out;
  }

 private:
  const LabelPainter& p_;
};

class PdfWriter final : public LabelWriter {
 public:
  explicit PdfWriter(const LabelPainter& p) : p_(p) {}
  ~PdfWriter() override {
    if (surface_) cairo_surface_destroy(surface_);
  }
  std::string_view extension() const override { return "pdf"; }
  bool file_per_label() const override { return false; }
  std::string begin() override {
    const auto& t = p_.label_template();
    surface_ = cairo_pdf_surface_create_for_stream(append_stream, &buffer_, points(t.width_mm), points(t.height_mm));
    cairo_pdf_surface_set_metadata(surface_, CAIRO_PDF_METADATA_TITLE, ("agtrace labels: " + p_.facts().lot).c_str());
    cairo_pdf_surface_set_metadata(surface_, CAIRO_PDF_METADATA_CREATOR, "agtrace-labeler");
    return take();
  }
  std::string label(const std::string& serial, const std::string& uri) override {
    draw(surface_, p_, serial, uri);
    return take();
  }
  std::string end() override {
    cairo_surface_finish(surface_);
    cairo_surface_destroy(surface_);
    surface_ = nullptr;
    return take();
  }

 private:
  const LabelPainter& p_;
  cairo_surface_t* surface_ = nullptr;
  std::string buffer_;

  std::string take() {
    std::string out;
    out.swap(buffer_);
    return out;
  }
};

}  // namespace

std::unique_ptr<LabelWriter> make_svg_writer(const LabelPainter& p) { return std::make_unique<SvgWriter>(p); }
std::unique_ptr<LabelWriter> make_pdf_writer(const LabelPainter& p) { return std::make_unique<PdfWriter>(p); }

}  // namespace agtrace::labeler
