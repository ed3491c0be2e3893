// The lot tag (lot_tag.h): one picture at the printer's resolution, written as PNG, ZPL or TSPL.
#include "labeler/lot_tag/lot_tag.h"

#include <cairo.h>
#include <fmt/format.h>
#include <pango/pangocairo.h>
#include <zint.h>

#include <cmath>
#include <memory>
#include <vector>

#include "labeler/render/layout.h"
#include "labeler/render/mono_bitmap.h"
#include "labeler/render/writer.h"
#include "ledger/util/error.h"

namespace agtrace::labeler {
namespace {

constexpr int kQuietModules = 10;          // ISO/IEC 15417 §4.4.2: at least 10 X on each side
constexpr double kMaxBarModuleMm = 0.5, kMinBarModuleMm = 0.25;
constexpr std::size_t kMaxLotChars = 48;
constexpr std::string_view kZplGraphic = "R:AGTLOT.GRF";

// The Code 128 symbol of `data` as module runs: true for a bar, one entry per module.
std::vector<bool> code128_modules(const std::string& data) {
  std::unique_ptr<zint_symbol, void (*)(zint_symbol*)> sym(ZBarcode_Create(), ZBarcode_Delete);
  if (!sym) throw std::bad_alloc();
  sym->symbology = BARCODE_CODE128;
  sym->show_hrt = 0;
  sym->input_mode = DATA_MODE;
  int rc = ZBarcode_Encode(sym.get(), reinterpret_cast<const unsigned char*>(data.data()), static_cast<int>(data.size()));
  if (rc >= ZINT_ERROR)
    throw_bad_input(fmt::format("批次号“{}”不能编成 Code 128 条码：{} / lot id \"{}\" cannot be encoded as Code 128: {}", data,
                                sym->errtxt, data, sym->errtxt));
  rc = ZBarcode_Buffer_Vector(sym.get(), 0);
  if (rc >= ZINT_ERROR) throw_environment(fmt::format("libzint: {}", sym->errtxt));
  // The vector's rectangles are the bars, in units of a fixed number of units per module.
  std::vector<bool> modules(static_cast<std::size_t>(sym->width), false);
  double unit = sym->vector->width / sym->width;
  for (const zint_vector_rect* r = sym->vector->rectangles; r; r = r->next) {
    long from = std::lround(r->x / unit), count = std::lround(r->width / unit);
    if (from < 0 || count <= 0 || from + count > sym->width || std::fabs(from * unit - r->x) > unit / 4)
      throw std::logic_error("libzint: a Code 128 bar off the module grid");
    for (long i = from; i < from + count; ++i) modules[static_cast<std::size_t>(i)] = true;
  }
  return modules;
}

// Draws `text` in one line at (x, y) within width `w`, at `size_px` or smaller until it fits
// (not under half); returns the height it took, in dots.
int draw_line(cairo_t* cr, PangoContext* pango, const std::string& text, double x, double y, double w, double size_px,
              bool bold, bool mono = false) {
  PangoLayout* layout = pango_layout_new(pango);
  PangoFontDescription* fd = pango_font_description_from_string(mono ? "Noto Sans Mono CJK SC" : "Noto Sans CJK SC");
  pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_text(layout, text.data(), static_cast<int>(text.size()));
  PangoRectangle logical;
  double size = size_px;
  for (;;) {
    pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
    pango_layout_set_font_description(layout, fd);
    pango_layout_get_pixel_extents(layout, nullptr, &logical);
    if (logical.width <= w || size <= size_px / 2) break;
    size *= 0.92;
  }
  pango_font_description_free(fd);
  if (logical.width > w) {
    g_object_unref(layout);
    throw_bad_input(fmt::format("标签太窄，放不下“{}” / the label is too narrow for \"{}\"", text, text));
  }
  cairo_move_to(cr, x, y);
  pango_cairo_show_layout(cr, layout);
  g_object_unref(layout);
  return logical.height;
}

struct Picture {
  cairo_surface_t* surface;
  ~Picture() { cairo_surface_destroy(surface); }
};

}  // namespace

std::string render_lot_tag(const LotTag& tag, std::string_view format, int dpi, double width_mm, double height_mm,
                           int copies) {
  if (format != "png" && format != "zpl" && format != "tspl")
    throw_bad_input(fmt::format("批次标签的格式只能是 png、zpl 或 tspl，不是“{}” / lot tag format: png, zpl or tspl, not \"{}\"",
                                format, format));
  if (dpi != 203 && dpi != 300 && dpi != 600)
    throw_bad_input(fmt::format("分辨率只能是 203、300 或 600 dpi，不是 {} / dpi: 203, 300 or 600, not {}", dpi, dpi));
  if (copies < 1 || copies > 99)
    throw_bad_input(fmt::format("份数须为 1 到 99，不是 {} / copies: 1 to 99, not {}", copies, copies));
  if (width_mm < 50 || height_mm < 30)
    throw_bad_input(fmt::format("批次标签至少 50×30 mm，这张是 {}×{} mm / a lot tag needs a label of at least 50×30 mm, "
                                "not {}×{} mm",
                                width_mm, height_mm, width_mm, height_mm));
  if (tag.lot.empty() || tag.lot.size() > kMaxLotChars ||
      tag.lot.find_first_not_of(" !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`"
                                "abcdefghijklmnopqrstuvwxyz{|}~") != std::string::npos)
    throw_bad_input(fmt::format("批次号“{}”须为 1 到 {} 个英文字母、数字或符号，才能印成条码 / lot id \"{}\": 1 to {} "
                                "printable ASCII characters for a Code 128 barcode",
                                tag.lot, kMaxLotChars, tag.lot, kMaxLotChars));

  const int width = static_cast<int>(std::lround(mm_to_dots(width_mm, dpi)));
  const int height = static_cast<int>(std::lround(mm_to_dots(height_mm, dpi)));
  std::vector<bool> modules = code128_modules(tag.lot);
  const int span = static_cast<int>(modules.size()) + 2 * kQuietModules;
  const int max_module = static_cast<int>(std::floor(mm_to_dots(kMaxBarModuleMm, dpi)));
  const int min_module = static_cast<int>(std::ceil(mm_to_dots(kMinBarModuleMm, dpi)));
  const int module = std::min(max_module, width / span);
  if (module < min_module)
    throw_bad_input(fmt::format("批次号“{}”的条码需要 {:.0f} mm 宽的标签，这张只有 {} mm，请换宽一些的标签或缩短批次号 / the "
                                "barcode of lot \"{}\" needs a label {:.0f} mm wide, not {} mm",
                                tag.lot, std::ceil(span * min_module * kMmPerInch / dpi), width_mm, tag.lot,
                                std::ceil(span * min_module * kMmPerInch / dpi), width_mm));

  Picture pic{cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height)};
  cairo_t* cr = cairo_create(pic.surface);
  PangoContext* pango = pango_font_map_create_context(pango_cairo_font_map_get_default());
  pango_context_set_language(pango, pango_language_from_string("zh-cn"));
  pango_cairo_update_context(cr, pango);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);
  cairo_set_source_rgb(cr, 0, 0, 0);

  const double margin = mm_to_dots(2.5, dpi), inner = width - 2 * margin;
  const double unit = height_mm / 70.0 * dpi / kMmPerInch;  // 1 mm on a 70 mm tall tag, scaled to this one
  try {
    double y = margin;
    int heading = draw_line(cr, pango, "批次标签 LOT", margin, y, inner, 3.2 * unit, false);
    y += heading;
    y += draw_line(cr, pango, tag.product, margin, y, inner, 7.5 * unit, true);
    if (!tag.packer.empty()) y += draw_line(cr, pango, "包装：" + tag.packer, margin, y, inner, 3.6 * unit, false);
    std::string when = tag.packed_date.empty() ? "" : "包装日期：" + tag.packed_date;
    if (!tag.units.empty()) when += (when.empty() ? "" : "　　") + std::string("件数：") + tag.units;
    if (!when.empty()) y += draw_line(cr, pango, when, margin, y, inner, 3.6 * unit, false);

    // The barcode and its lot id below, at the bottom; bars at least 8 mm tall.
    const double text_px = 5 * unit;
    const double text_top = height - margin - text_px * 1.45;
    const int bar_top = static_cast<int>(std::lround(y + mm_to_dots(1.5, dpi)));
    const int bar_bottom = static_cast<int>(std::lround(text_top - mm_to_dots(0.5, dpi)));
    if (bar_bottom - bar_top < mm_to_dots(8, dpi))
      throw_bad_input(fmt::format("标签太矮，条码放不下（至少 8 mm 高）：请用高一些的标签，这张是 {} mm / the label is too "
                                  "short for the barcode (8 mm at least): not {} mm",
                                  height_mm, height_mm));
    const int left = (width - span * module) / 2 + kQuietModules * module;
    cairo_set_antialias(cr, CAIRO_ANTIALIAS_NONE);
    for (std::size_t i = 0; i < modules.size(); ++i)
      if (modules[i]) cairo_rectangle(cr, left + static_cast<int>(i) * module, bar_top, module, bar_bottom - bar_top);
    cairo_fill(cr);
    cairo_set_antialias(cr, CAIRO_ANTIALIAS_DEFAULT);
    // The human-readable lot id, centred under the bars.
    PangoLayout* layout = pango_layout_new(pango);
    PangoFontDescription* fd = pango_font_description_from_string("Noto Sans Mono CJK SC");
    pango_font_description_set_weight(fd, PANGO_WEIGHT_BOLD);
    pango_font_description_set_absolute_size(fd, text_px * PANGO_SCALE);
    pango_layout_set_font_description(layout, fd);
    pango_font_description_free(fd);
    pango_layout_set_text(layout, tag.lot.data(), static_cast<int>(tag.lot.size()));
    pango_layout_set_width(layout, static_cast<int>(inner * PANGO_SCALE));
    pango_layout_set_alignment(layout, PANGO_ALIGN_CENTER);
    cairo_move_to(cr, margin, text_top);
    pango_cairo_show_layout(cr, layout);
    g_object_unref(layout);
  } catch (...) {
    g_object_unref(pango);
    cairo_destroy(cr);
    throw;
  }
  g_object_unref(pango);
  cairo_destroy(cr);
  cairo_surface_flush(pic.surface);

  if (format == "png") return encode_png(pic.surface, dpi);
  MonoBitmap b = threshold(pic.surface);
  if (format == "zpl") {
    std::size_t total = static_cast<std::size_t>(b.row_bytes) * b.height;
    return fmt::format("~DG{},{},{},{}\n^XA\n^PW{}\n^LL{}\n^LH0,0\n^FO0,0^XG{},1,1^FS\n^PQ{}\n^XZ\n", kZplGraphic, total,
                       b.row_bytes, zpl_compressed_hex(b), width, height, kZplGraphic, copies);
  }
  return fmt::format("SIZE {} mm,{} mm\r\nGAP 2 mm,0 mm\r\nDIRECTION 1,0\r\nREFERENCE 0,0\r\nOFFSET 0 mm\r\nCLS\r\n"
                     "BITMAP 0,0,{},{},0,{}\r\nPRINT 1,{}\r\n",
                     width_mm, height_mm, b.row_bytes, b.height, tspl_bitmap_bytes(b), copies);
}

}  // namespace agtrace::labeler
