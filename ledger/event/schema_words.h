// Chinese for the schemas' descriptions (issue 16, item 4): the JSON schemas stay English and
// change only additively (DESIGN §3), so what a clerk reads of a field's description in a
// schema refusal ("…（说明：…）") comes from this table, keyed by the schema file and the JSON
// pointer of the described subschema ("common.schema.json", "/definitions/decimal").
// schema_words_test walks every event schema and checks that each description has a row here,
// so a new field cannot reach a clerk in English only. Pure; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace agtrace {

// The Chinese description of the subschema at `pointer` in embedded schema `file`; nullopt when
// the table has none.
std::optional<std::string_view> description_zh(std::string_view file, std::string_view pointer);

// The Chinese description of `subschema` (a node of an embedded event schema, compared by
// address): the row of the file and pointer it sits at; nullopt when it is no embedded schema's
// node or has no row.
std::optional<std::string_view> description_zh(const nlohmann::json& subschema);

}  // namespace agtrace
