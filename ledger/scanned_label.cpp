// A scanned label's lot and GTIN against its code's own (ledger/scanned_label.h).
#include "ledger/scanned_label.h"

#include <fmt/format.h>

#include "ledger/event/digital_link.h"
#include "ledger/event/gtin.h"

namespace agtrace {

std::optional<std::string> scanned_label_mismatch(Ledger& ledger, const std::string& given, const CodeRecord& code) {
  if (given.find("://") == std::string::npos) return std::nullopt;
  const ParsedTraceUri scanned = parse_trace_uri(given);  // serial_from_scan accepted it
  const auto lot = ledger.store().lot(code.lot);
  if (!lot)
    return fmt::format("trace code {} names lot {}, which the ledger does not know (run agtrace-ledger verify)",
                       code.serial, code.lot);
  if (scanned.lot_code && *scanned.lot_code != lot->gs1_code && *scanned.lot_code != code.lot)
    return fmt::format("trace code {} belongs to lot {} (GS1 lot code {}), but the label says lot {}", code.serial,
                       code.lot, lot->gs1_code, *scanned.lot_code);
  if (scanned.gtin14) {
    auto product = lot->product ? ledger.store().master("product", *lot->product) : std::nullopt;
    std::string gtin = product && product->contains("gtin") ? normalize_gtin14((*product)["gtin"].get<std::string>(), "gtin") : "";
    if (gtin != *scanned.gtin14)
      return fmt::format("trace code {} is of product {} (GTIN {}), but the label says GTIN {}", code.serial,
                         lot->product.value_or("-"), gtin.empty() ? "none" : gtin, *scanned.gtin14);
  }
  return std::nullopt;
}

}  // namespace agtrace
