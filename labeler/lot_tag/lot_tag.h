// The lot tag (批次标签, docs/station.md "批次标签"): a tag for a pallet or a stack of cases of
// one packed lot, with the lot id as a Code 128 barcode (ISO/IEC 15417) that a barcode
// scanner types into the station's lot field, and the lot's product, packer, packing date
// and units in Chinese. It carries no trace code and is not recorded in the ledger: it only
// names a lot.
//
// Drawn once at the printer's resolution (Chinese text through pango with Noto CJK, bars on
// whole dots: every module the same width in dots, never anti-aliased), then written as PNG
// or, for thermal printers, as the same picture in ZPL II (^GFA with the compressed ASCII hex
// of the ZPL II Programming Guide) or TSPL (BITMAP), so that the printout is the preview.
// The Code 128 symbol comes from libzint (code set selection and the check character, as
// ISO/IEC 15417 §4 defines them), with a quiet zone of 10 modules on each side (§4.4.2).
#pragma once

#include <string>
#include <string_view>

namespace agtrace::labeler {

// What the tag says. `lot` is the barcode's data: printable ASCII (Code 128 code sets A/B/C),
// at most 48 characters; the rest is text as it should appear.
struct LotTag {
  std::string lot;
  std::string product;      // e.g. 潞城大葱
  std::string packer;       // e.g. 山西聪和农业科技有限公司
  std::string packed_date;  // e.g. 2022-10-10
  std::string units;        // e.g. 2000 件
};

// The tag on a `width_mm` × `height_mm` label at `dpi` (203, 300 or 600) in `format`: png,
// zpl or tspl; `copies` (1–99) identical tags (ZPL ^PQ, TSPL PRINT n; a PNG is one picture).
// The narrowest bar is the widest whole-dot module (at most 0.5 mm) whose symbol and quiet
// zones fit the width, never under 0.25 mm. Throws Error(bad_input), Chinese first, for a
// lot id that is not printable ASCII or longer than 48, a label under 50 × 30 mm or a lot id
// too long for the label's width (naming the width it needs), a bad dpi, format or copies.
std::string render_lot_tag(const LotTag& tag, std::string_view format, int dpi, double width_mm, double height_mm,
                           int copies = 1);

}  // namespace agtrace::labeler
