// Measured values as laboratories write them (rules version 5, docs/rules-versions.md
// "Version 5"; schemas/events/inspection.schema.json items[].measured_qualifier).
//
// A residue report rarely gives a number for every item: most say 未检出 or ND (not detected:
// below the method's limit of detection, 检出限) or "<0.01" (below 0.01 of the unit, the limit of
// quantification), and a rapid test (速测, GB/T 5009.199 enzyme inhibition) gives an inhibition rate
// in percent (抑制率 35%). An inspection item records them so that their meaning is kept:
//
//   as written         measured   measured_qualifier   unit
//   未检出 / ND / N.D.  (absent)   not_detected         as given
//   <0.01 / ＜0.01      "0.01"     below                as given
//   35% / 35％          "35"       (absent)             "%"
//
// A value without a qualifier is the value itself, as before. A pass item with a limit must be
// within it: a value or bound above the limit is refused ("<0.05" cannot show a residue within
// 0.02); not detected is within any limit.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "ledger/event/ledger_state.h"

namespace agtrace {

// Refuses (Error(bad_input), Chinese first) an inspection item with a measured_qualifier under
// rules versions 1 to 4, which have none (naming items[i].measured_qualifier), and from version 5
// a not_detected item that carries a measured value (naming items[i].measured). Does nothing for
// other events.
void check_measured_values(const nlohmann::json& event, LedgerState& state);

// An item's measured value as a page or a report shows it: "未检出" / "not detected (ND)",
// "<0.01 mg/kg", "35%", "0.02 mg/kg"; Chinese when `zh`.
std::string measured_text(const nlohmann::json& item, bool zh);

// A cell a clerk copied from a lab report, read as the table above says: the decimal (none for
// not detected), the qualifier, and whether it was written in percent. Nullopt when the text is
// none of those forms (the caller names its column and the forms). Spaces around the text and
// between "<" and the number are ignored; full-width ＜ and ％ are read as < and %.
struct LabValue {
  std::optional<std::string> measured;   // a decimal string as written (the bound for below)
  std::optional<std::string> qualifier;  // "not_detected" or "below"
  bool percent = false;
};
std::optional<LabValue> parse_lab_value(std::string_view text);

}  // namespace agtrace
