// Every field of every CSV event type has a column a clerk can name (issue 16: a refusal names the
// column the clerk sees — "B 列「事件编号」" — never a schema field only, so no field may be missing
// from schemas/csv-columns.json). The walk goes over each type's schema, so a field added to a
// schema without its column fails here.
#include <doctest/doctest.h>

#include <fmt/format.h>

#include <map>
#include <string>
#include <string_view>

#include "ledger/event/schema_validator.h"
#include "ledger/i18n/messages.h"
#include "ledger/import/csv_import.h"

using namespace agtrace;

namespace {

// Fields with no column of their own, and why a clerk still reads a column's name for them.
const std::map<std::string, std::string> kNoColumn = {
    {"correction.replacement", "the whole correction row is the replacement; its cells name their own columns and "
                               "the 更正原因 column names the whole (csv_import.cpp)"},
    {"correction.corrective_event_ids", "written only by EPCIS import (errorDeclaration), never from a sheet"},
    {"certificate_issued.operator", "written only by the printer station (its signed-in account), never from a sheet"},
    {"certificate_voided.operator", "written only by the printer station (its signed-in account), never from a sheet"},
    {"harvest.yield_override", "written by the import itself (--allow-high-yield) or the printer station's upload "
                               "(a supervisor's confirmation), never from a sheet (ledger/import/yield_check.h)"},
};

// Headers that are the international code itself, which Chinese sheets write as it is.
bool international_code(const std::string& header) { return header == "GLN" || header == "GTIN"; }

}  // namespace

TEST_CASE("every schema field of every CSV event type has a column with a Chinese header") {
  int fields = 0;
  for (const auto& type : csv_event_types()) {
    const auto columns = csv_columns(type, i18n::Lang::zh);
    const auto& schema = embedded_schema_json(fmt::format("events/{}.schema.json", type));
    for (const auto& [field, spec] : schema["properties"].items()) {
      if (field == "type") continue;  // the 事件类型 column
      INFO(type << "." << field);
      ++fields;
      if (kNoColumn.count(type + "." + field)) continue;
      bool found = false;
      for (const auto& c : columns)
        // A column that fills several fields lists them: "quantity.unit, loss.unit".
        for (std::string_view rest = c.field; !rest.empty();) {
          const auto comma = rest.find(", ");
          const std::string_view f = rest.substr(0, comma);
          rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 2);
          if (f != field && !f.starts_with(field + ".")) continue;
          found = true;
          CHECK_MESSAGE((i18n::has_chinese(c.header) || international_code(c.header)), c.field << " → " << c.header);
        }
      CHECK(found);
    }
  }
  CHECK(fields > 100);
  // The exceptions are real fields: an exception left behind by a renamed field fails too.
  for (const auto& [path, why] : kNoColumn) {
    INFO(path);
    const auto dot = path.find('.');
    CHECK(embedded_schema_json(fmt::format("events/{}.schema.json", path.substr(0, dot)))["properties"].contains(
        path.substr(dot + 1)));
  }
}
