// What the station reads from the ledger for the print screen (docs/station.md "打印标签"):
// an enterprise's products and packed lots with their packed units and live codes, a typed
// or scanned lot field resolved to a lot, and the preview of a lot's label. Read-only: every
// function takes a Ledger opened by the caller (one per thread).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "labeler/template/template.h"
#include "ledger/util/error.h"

namespace agtrace {
class Ledger;
}

namespace agtrace::station {

struct ProductSummary {
  std::string id, name;   // name from the product's master data ("" when it has none)
};

struct LotSummary {
  std::string lot, product, packer;
  std::string packed_time;        // the packing event's time, as written
  std::uint64_t packed_units = 0; // units the packing event made
  std::uint64_t live_codes = 0;   // codes issued and not voided
  // Units not yet labelled (packed − live codes, never below 0).
  std::uint64_t unlabelled() const { return live_codes >= packed_units ? 0 : packed_units - live_codes; }
};

// The product's master data name, "" when unknown.
ProductSummary product_summary(Ledger& ledger, const std::string& product);

// Whether labels of `product`'s lots need the lot's own valid 承诺达标合格证 (rules version 4
// on: the product's certificate_required, default yes; processed food such as millet says no).
bool certificate_required(Ledger& ledger, const std::string& product);

// The packed lot `lot`; nullopt when there is no such lot or it was not made by packing.
std::optional<LotSummary> lot_summary(Ledger& ledger, const std::string& lot);

// Packed lots of `product` packed by `enterprise`, newest first, at most `limit`.
std::vector<LotSummary> packed_lots(Ledger& ledger, const std::string& enterprise, const std::string& product,
                                    std::size_t limit);

// A lot field's input that names no lot in a way the operator must be told as it is, not
// as "no such lot" (resolve_lot_field): `status` is the HTTP status to answer with (404: an
// unknown code or lot; 400: a label that is not its box's). what(): Chinese first.
class LotFieldRefused : public Error {
 public:
  LotFieldRefused(int status, const std::string& message) : Error(ErrorKind::bad_input, message), status_(status) {}
  int status() const { return status_; }

 private:
  int status_;
};

// The lot named by what an operator typed or a scanner typed into the lot field: a lot id,
// a GS1 lot code, or a label's QR URL (GS1 Digital Link or /t/ form, of this ledger's base
// URL). A URL names its code's lot only when its serial is a live code of a lot `enterprise`
// packed and the URL's lot and GTIN are the code's (ledger/scanned_label.h), as the 重印/作废
// screen checks a scan; otherwise LotFieldRefused: an unknown code (or another enterprise's,
// worded alike) may be a counterfeit label, a voided one should not be on a box, a mismatch
// is not this box's label. A lot id typed in other letter case than `enterprise`'s lot:
// LotFieldRefused suggesting it (lot ids are case-sensitive). Throws Error(bad_input),
// Chinese first, when it names no lot of this ledger.
std::string resolve_lot_field(Ledger& ledger, const std::string& given, const std::string& enterprise);

// A PNG of `lot`'s label drawn by the labeler's own painter from template `t` with a sample
// code (0000000000010, never genuine) and marked 样张 SAMPLE, at `dpi`. Throws as
// labeler::gather_label_facts (recalled lot, failed inspection …) and LabelPainter.
std::string preview_png(Ledger& ledger, const std::string& lot, const labeler::LabelTemplate& t, int dpi);

}  // namespace agtrace::station
