// Label content (DESIGN §4 "Seven unified"): the values a template's placeholders take
// for one packed lot, and the expansion of a template's text with them.
//
// gather_label_facts() reads the ledger: the lot (its GS1-safe code, its product), the
// product's master data (name, variety, GTIN, brands, standards, storage), the packing
// event that created the lot (pack size, pack date, packer), the lot's lineage up to its
// plantings (origin: the plot's address; for a lot made from several plots their common
// township or village and "等 N 个地块", see area.h; producer: the first planting's), the grade a grading transformation gave the lot or its
// nearest graded ancestor (e.g. 特级; else the product's grade standard), and the latest
// inspection of the lot or an ancestor (result, report and 合格证 certificate numbers).
// Everything else is pure.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "labeler/template/template.h"

namespace agtrace {
class Ledger;
}

namespace agtrace::labeler {

// What the ledger says about a lot, as placeholder name → display text (Chinese where
// the label reads Chinese, e.g. inspection_result "合格").
struct LabelFacts {
  std::string base_url;                 // https://host[/path], no trailing slash
  std::string lot;                      // the lot id as recorded (may be Chinese)
  std::string lot_code;                 // its GS1-safe code, AI (10)
  std::optional<std::string> gtin14;    // validated GTIN-14 of the product, if any
  std::string packing_party;            // who packed the lot (party id): the job's default party
  std::string packing_location;         // where (location id): the job's default location
  std::map<std::string, std::string> fields;
};

// Gathers the facts for `lot`. Throws Error(bad_input) if the lot is unknown, was not
// created by packing (labels go on packed lots), has no product, its product's GTIN has a
// wrong check digit, its latest inspection failed, or a recall covers it (the lot, or an
// ancestor recalled with its descendants; a recall withdrawn by a correction does not count).
LabelFacts gather_label_facts(Ledger& ledger, const std::string& lot);

// The QR payload for `serial`: the Digital Link when the product has a GTIN, else the
// /t/ form (DESIGN §4).
std::string trace_uri(const LabelFacts& facts, std::string_view serial);

// `text` with every {placeholder} replaced: per-label ones from `serial` and `uri`, the
// rest from `facts.fields`, then `values` (template values). Returns nullopt if a field
// has no value. "{{" and "}}" become literal braces.
std::optional<std::string> expand_text(std::string_view text, const LabelFacts& facts,
                                       const std::map<std::string, std::string>& values,
                                       std::string_view serial, std::string_view uri);

// A UN/ECE Rec 20 quantity for people: {"value":"5","unit":"KGM"} → "5 kg".
std::string display_quantity(std::string_view value, std::string_view unit);

}  // namespace agtrace::labeler
