// A JSON Schema (draft-07) check compiled once into a tree of plain C++ nodes: the fast
// path of EventSchemaValidator (issue 17). It answers only "does the document pass?", and
// only for schemas made of the keywords it implements; the message for a document that
// fails comes from SchemaValidator (valijson), which EventSchemaValidator asks whenever this
// says no. So its one duty is never to accept a document valijson would refuse:
// compiled_schema_test compares the two on every valid event of the fixtures and on many
// thousands of mutations of them.
//
// Each keyword follows valijson 1.0 with strong types (the version Debian 12 ships):
// string lengths are valijson's own UTF-8 count (utils::u8_strlen), numbers are compared as
// valijson's adapter converts them (asDouble), const, enum and uniqueItems use its adapter's
// equality, and `pattern` is std::regex_search's verdict: SchemaPattern (schema_pattern.h, a
// matcher for the subset of ECMAScript the schemas use) or, for other syntax, std::regex,
// compiled once per distinct pattern instead of being looked up per string.
//
// Thread safety: accepts() is const and keeps no state; one CompiledSchema may be shared.
#pragma once

#include <memory>
#include <string_view>

#include <nlohmann/json.hpp>

namespace agtrace {

class CompiledSchema {
 public:
  // Compiles embedded schema file `root` (e.g. "events/harvest.schema.json"), following
  // "$ref"s into other embedded files. Throws std::logic_error if the schema uses a keyword
  // or a form of one this check does not implement (then use SchemaValidator alone).
  explicit CompiledSchema(std::string_view root);
  ~CompiledSchema();
  CompiledSchema(CompiledSchema&&) noexcept;
  CompiledSchema& operator=(CompiledSchema&&) noexcept;

  // Whether `doc` passes the schema. Callers must bound string lengths first, as for
  // SchemaValidator (std::regex recurses per character).
  bool accepts(const nlohmann::json& doc) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace agtrace
