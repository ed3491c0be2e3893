// ZPL II and TSPL output: the static layer as a 1-bit graphic, QR and per-label text as
// printer commands.
#include <fmt/format.h>

#include <cmath>

#include "labeler/render/mono_bitmap.h"
#include "labeler/render/writer.h"
#include "ledger/util/error.h"

namespace agtrace::labeler {
namespace {

constexpr std::string_view kZplGraphic = "R:AGTLABEL.GRF";

MonoBitmap static_layer(const LabelPainter& p) {
  cairo_surface_t* s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, p.width(), p.height());
  cairo_t* cr = cairo_create(s);
  p.paint_static(cr);
  cairo_destroy(cr);
  MonoBitmap b = threshold(s);
  cairo_surface_destroy(s);
  return b;
}

char zpl_justify(Align a) { return a == Align::center ? 'C' : a == Align::right ? 'R' : 'L'; }

class ZplWriter final : public LabelWriter {
 public:
  explicit ZplWriter(const LabelPainter& p) : p_(p) {
    // Everything that is the same for each label of the job, formatted once.
    head_ = fmt::format("^XA\n^PW{}\n^LL{}\n^LH0,0\n^FO0,0^XG{},1,1^FS\n", p.width(), p.height(), kZplGraphic);
    const QrPlacement& q = p.qr();
    qr_prefix_ = fmt::format("^FO{},{}^BQN,2,{}^FH^FD{}M,B", q.x, q.y, q.module, ec_letter(p.ec()));
  }
  std::string_view extension() const override { return "zpl"; }
  bool file_per_label() const override { return false; }

  std::string begin() override {
    MonoBitmap b = static_layer(p_);
    std::size_t total = static_cast<std::size_t>(b.row_bytes) * b.height;
    return fmt::format("~DG{},{},{},{}\n", kZplGraphic, total, b.row_bytes, zpl_compressed_hex(b));
  }

  std::string label(const std::string& serial, const std::string& uri) override {
    std::string out = head_;
    out += qr_prefix_;
    out += fmt::format("{:04}", uri.size());
    out += zpl_escape(uri);
    out += "^FS\n";
    for (const auto& t : p_.per_label_texts()) {
      int h = static_cast<int>(std::lround(t.size_px));
      out += fmt::format("^FO{},{}^A0N,{},{}^FB{},{},0,{}^FH^FD", t.x, t.y, h, h, t.w, t.element->max_lines,
                         zpl_justify(t.element->align));
      out += zpl_escape(p_.expand(t, serial, uri));
      out += "^FS\n";
    }
    out += "^PQ1\n^XZ\n";
    return out;
  }

 private:
  const LabelPainter& p_;
  std::string head_, qr_prefix_;
};

class TsplWriter final : public LabelWriter {
 public:
  explicit TsplWriter(const LabelPainter& p) : p_(p) {
    MonoBitmap b = static_layer(p);
    const auto& t = p.label_template();
    head_ = fmt::format("CLS\r\nBITMAP 0,0,{},{},0,", b.row_bytes, b.height);
    head_ += tspl_bitmap_bytes(b);
    head_ += "\r\n";
    const QrPlacement& q = p.qr();
    qr_prefix_ = fmt::format("QRCODE {},{},{},{},M,0,M2,S7,\"B", q.x, q.y, ec_letter(p.ec()), q.module);
    setup_ = fmt::format("SIZE {} mm,{} mm\r\nGAP 2 mm,0 mm\r\nDIRECTION 1,0\r\nREFERENCE 0,0\r\nOFFSET 0 mm\r\n",
                         t.width_mm, t.height_mm);
  }
  std::string_view extension() const override { return "tspl"; }
  bool file_per_label() const override { return false; }
  std::string begin() override { return setup_; }

  std::string label(const std::string& serial, const std::string& uri) override {
    std::string out = head_;
    out += qr_prefix_;
    out += fmt::format("{:04}", uri.size());
    out += tspl_quote(uri);
    out += "\"\r\n";
    for (const auto& t : p_.per_label_texts()) {
      // Font "0" is scalable: x/y multiplication give its size in points.
      int pt = std::max(1, static_cast<int>(std::lround(t.size_px * 72.0 / p_.dpi())));
      int align = t.element->align == Align::center ? 2 : t.element->align == Align::right ? 3 : 1;
      int x = align == 2 ? t.x + t.w / 2 : align == 3 ? t.x + t.w : t.x;
      out += fmt::format("TEXT {},{},\"0\",0,{},{},{},\"{}\"\r\n", x, t.y, pt, pt, align,
                         tspl_quote(p_.expand(t, serial, uri)));
    }
    out += "PRINT 1,1\r\n";
    return out;
  }

 private:
  const LabelPainter& p_;
  std::string setup_, head_, qr_prefix_;
};

}  // namespace

std::string zpl_escape(std::string_view data) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(data.size() + 8);
  for (unsigned char c : data) {
    if (c == '^' || c == '~' || c == '_' || c < 0x20 || c >= 0x7f) {
      out.push_back('_');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out;
}

std::string tspl_quote(std::string_view data) {
  std::string out;
  out.reserve(data.size());
  for (unsigned char c : data) {
    if (c == '"') out += "\\[\"]";
    else if (c >= 0x20) out.push_back(static_cast<char>(c));
  }
  return out;
}

std::unique_ptr<LabelWriter> make_png_writer(const LabelPainter& p);
std::unique_ptr<LabelWriter> make_svg_writer(const LabelPainter& p);
std::unique_ptr<LabelWriter> make_pdf_writer(const LabelPainter& p);

std::unique_ptr<LabelWriter> make_writer(std::string_view format, const LabelPainter& painter) {
  if (format == "png") return make_png_writer(painter);
  if (format == "svg") return make_svg_writer(painter);
  if (format == "pdf") return make_pdf_writer(painter);
  if (format == "zpl") return std::make_unique<ZplWriter>(painter);
  if (format == "tspl") return std::make_unique<TsplWriter>(painter);
  throw_bad_input(fmt::format("--format {}: use png, svg, pdf, zpl or tspl", format));
}

}  // namespace agtrace::labeler
