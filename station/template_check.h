// The start-up check of each approved label template against each printer it may print on
// (docs/station.md "模板和打印机"; issue 15, fifth trial): a template whose QR box is too small
// for a scannable symbol at a printer's resolution would fail every print on it, so the
// station refuses to start instead, naming template, printer, both sizes and the fix.
#pragma once

#include <string>

#include "station/config.h"

namespace agtrace {
class Ledger;
}

namespace agtrace::station {

// Why `config` cannot start on `ledger`, Chinese first, or "". For every enterprise, every
// approved template and every printer loaded with labels of its size (template_fits): the QR
// symbol of the product's newest packed lot (its payload length as labeler::trace_uri makes it;
// products with no packed lot yet, or whose newest lot the ledger refuses, are not checked)
// must fit the template's QR box with the GS1 minimum module at the printer's dpi
// (labeler::place_qr). Reads the ledger; throws only as its reads do.
std::string template_printer_refusal(Ledger& ledger, const StationConfig& config);

}  // namespace agtrace::station
