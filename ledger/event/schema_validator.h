// JSON Schema (draft-07) validation of documents against the embedded schemas/ files.
//
// Thread safety: a SchemaValidator may be shared read-only after construction, but
// validate() reuses a regex cache and must not be called from two threads at once;
// give each thread its own validator.
//
// Callers must bound a document's size and string lengths before validating it
// (json::parse_strict does): valijson runs `pattern` through std::regex, which
// recurses per character and overflows the stack on long strings (DESIGN §3).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace agtrace {

class SchemaValidator {
 public:
  // Compiles schema `root` (a path under schemas/, e.g. "event.schema.json"), resolving
  // "$ref"s to other embedded schema files. Throws std::logic_error if the schema is
  // missing or malformed (a build defect, not bad input).
  explicit SchemaValidator(std::string_view root);
  // The same for `schema`, a variant of embedded file `root` (e.g. rewritten around a
  // valijson limit); messages describe fields as for `root`.
  SchemaValidator(std::string_view root, const nlohmann::json& schema);
  ~SchemaValidator();
  SchemaValidator(SchemaValidator&&) noexcept;
  SchemaValidator& operator=(SchemaValidator&&) noexcept;

  // Validates `doc`. On failure throws agtrace::Error(bad_input) whose message names
  // `what` (e.g. "line 3"), the most specific failing field as a JSON path
  // (e.g. "quantity.value") and what the schema requires there.
  void validate(const nlohmann::json& doc, std::string_view what) const;
  // Whether `doc` passes, without a message: valijson stops at the first failing constraint
  // and builds no error text, so this is cheaper than validate() on a document that fails.
  bool accepts(const nlohmann::json& doc) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Validates events as SchemaValidator("event.schema.json") does, with the same verdict and
// message, faster: an event of a type the root schema delegates whole to one file
// (schemas/events/T.schema.json, through its allOf of if/then on "type") is first checked
// against that file alone, without the walk through the other types' conditions; only one
// that fails there, or of any other type, goes to the root validator, whose verdict and
// message are then the ones given. Used by append (prepare_event) and by the replay. Not
// thread-safe: one per thread. Throws as SchemaValidator::validate.
class EventSchemaValidator {
 public:
  EventSchemaValidator();
  void validate(const nlohmann::json& event, std::string_view what);

 private:
  SchemaValidator root_;
  std::map<std::string, std::unique_ptr<SchemaValidator>, std::less<>> by_type_;
};

// The parsed text of an embedded schema file (e.g. "label-template.schema.json").
// Throws std::logic_error if there is no such file.
const nlohmann::json& embedded_schema_json(std::string_view path);

}  // namespace agtrace
