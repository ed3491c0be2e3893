// Output formats (DESIGN §4 "Outputs"): a LabelWriter turns one job's labels into bytes.
//
//   png   one PNG per label (8-bit palette: the static layer's colours and a grey ramp,
//         drawn at the template's dpi; the static layer drawn once per job; libpng with
//         fast zlib settings)
//   svg   one SVG per label (cairo; text as outlines, so no font is needed to view it)
//   pdf   one PDF for the job, one page per label, page size = label size (cairo)
//   zpl   ZPL II for Zebra printers: the static layer (all Chinese text included) as one
//         graphic stored once per job with ~DG and recalled in each label with ^XG; per
//         label the QR (^BQ, model 2, manual 8-bit byte mode, whole-dot modules) and the
//         per-label text in the printer's font, every field escaped with ^FH
//   tspl  TSPL/TSPL2 for TSC printers: per label the static layer as BITMAP, the QR as
//         QRCODE model 2 in manual byte mode, per-label text with TEXT, and PRINT 1,1
//
// begin(), label() and end() return the bytes to send in order; a file-per-label format
// returns one whole file from each label(). Writers are built after the painter has
// checked the content, so they fail only on resource exhaustion.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "labeler/render/painter.h"

namespace agtrace::labeler {

class LabelWriter {
 public:
  virtual ~LabelWriter() = default;
  virtual std::string_view extension() const = 0;
  // True for png and svg: each label is its own file.
  virtual bool file_per_label() const = 0;
  virtual std::string begin() { return {}; }
  virtual std::string label(const std::string& serial, const std::string& uri) = 0;
  virtual std::string end() { return {}; }
};

// The formats by name: png, svg, pdf, zpl, tspl. Throws Error(bad_input) for others.
// The painter must outlive the writer.
std::unique_ptr<LabelWriter> make_writer(std::string_view format, const LabelPainter& painter);

// ZPL ^FH field data: '^', '~', '_', control and non-ASCII bytes as _XX (hex), so that data
// can never end a field or start a command (ZPL II Programming Guide, ^FH).
std::string zpl_escape(std::string_view data);

// TSPL string data between double quotes: '"' as \["] (TSPL/TSPL2 manual, "TEXT");
// control bytes are dropped.
std::string tspl_quote(std::string_view data);

// PNG of a cairo RGB24 image surface via libpng: SUB filter, zlib level 1 with the Z_RLE
// strategy (fast; flat label colours compress well after SUB).
std::string encode_png(cairo_surface_t* surface, int dpi);

}  // namespace agtrace::labeler
