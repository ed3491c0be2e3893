// Validates JSON against the schemas/ files with valijson, turning its error list into
// one message a clerk can act on.
#include "ledger/event/schema_validator.h"

#include <fmt/format.h>

#include <fmt/ranges.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <stdexcept>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include "ledger/event/compiled_schema.h"
#include "ledger/event/odd_characters.h"
#include "ledger/event/embedded_schemas.h"
#include "ledger/event/rule_words.h"
#include "ledger/event/schema_words.h"
#include "ledger/i18n/refusal.h"
#include "ledger/util/error.h"

namespace agtrace {

namespace {

// Maps a $ref document URI ("common.schema.json", "../common.schema.json",
// "events/harvest.schema.json") to the embedded file it names.
std::string normalise_schema_uri(std::string uri) {
  while (uri.rfind("../", 0) == 0) uri.erase(0, 3);
  while (uri.rfind("./", 0) == 0) uri.erase(0, 2);
  return uri;
}

const std::map<std::string, nlohmann::json, std::less<>>& parsed_schemas() {
  static const auto* files = [] {
    auto* m = new std::map<std::string, nlohmann::json, std::less<>>;
    for (const auto& f : embedded_schemas())
      (*m)[std::string(f.path)] = nlohmann::json::parse(f.text.begin(), f.text.end());
    return m;
  }();
  return *files;
}

const nlohmann::json* fetch_schema(const std::string& uri) {
  const auto& files = parsed_schemas();
  std::string path = normalise_schema_uri(uri);
  if (auto it = files.find(path); it != files.end()) return &it->second;
  // A nested file's relative $ref ("../common.schema.json") may arrive unresolved, or
  // resolved against its folder ("events/../common.schema.json").
  auto slash = path.rfind('/');
  if (slash != std::string::npos) {
    if (auto it = files.find(path.substr(slash + 1)); it != files.end()) return &it->second;
  }
  throw std::logic_error("schema $ref to unknown file: " + uri);
}

// valijson context elements look like "<root>", "[type]", "[2]"; split them into
// object keys and array indices ("quantity", "value" / "items", "[2]").
std::vector<std::string> path_elements(const std::vector<std::string>& context) {
  std::vector<std::string> out;
  for (const auto& element : context) {
    if (element == "<root>") continue;
    std::string inner = element;
    if (inner.size() >= 2 && inner.front() == '[' && inner.back() == ']') {
      inner = inner.substr(1, inner.size() - 2);
      bool index = !inner.empty() && inner.find_first_not_of("0123456789") == std::string::npos;
      if (index) {
        out.push_back("[" + inner + "]");
        continue;
      }
      if (inner.size() >= 2 && inner.front() == '"' && inner.back() == '"')
        inner = inner.substr(1, inner.size() - 2);
    }
    out.push_back(inner);
  }
  return out;
}

std::string join_path(const std::vector<std::string>& elements) {
  std::string path;
  for (const auto& e : elements) {
    if (!path.empty() && e.front() != '[') path += '.';
    path += e;
  }
  return path;
}

// Follows "$ref"s ("file#/definitions/x" or "#/definitions/x") from `node`, which lives
// in embedded file `file`.
const nlohmann::json* resolve_refs(const nlohmann::json* node, std::string& file) {
  for (int hops = 0; hops < 16 && node->is_object() && node->contains("$ref"); ++hops) {
    std::string ref = (*node)["$ref"].get<std::string>();
    auto hash = ref.find('#');
    std::string doc = hash == std::string::npos ? ref : ref.substr(0, hash);
    std::string pointer = hash == std::string::npos ? "" : ref.substr(hash + 1);
    if (!doc.empty()) file = normalise_schema_uri(doc);
    const nlohmann::json* root = fetch_schema(file);
    node = pointer.empty() ? root : &root->at(nlohmann::json::json_pointer(pointer));
  }
  return node;
}

// The subschema that governs `elements` of `doc`, following $refs, properties, items and
// the type dispatch of event.schema.json (allOf of if/then on "type"). Null if unknown.
const nlohmann::json* subschema_at(const nlohmann::json& doc, std::string file,
                                   const std::vector<std::string>& elements) {
  const nlohmann::json* node = resolve_refs(fetch_schema(file), file);
  if (node->contains("allOf") && doc.is_object() && doc.contains("type")) {
    for (const auto& branch : (*node)["allOf"]) {
      // Only branches of the form {"if": {"properties": {"type": …}}} dispatch on type.
      const nlohmann::json::json_pointer at("/if/properties/type");
      const auto* type = branch.contains(at) ? &branch[at] : nullptr;
      if (type && type->contains("const") && (*type)["const"] == doc["type"]) {
        node = resolve_refs(&branch["then"], file);
        break;
      }
    }
  }
  for (const auto& e : elements) {
    if (e.front() == '[') {
      if (!node->contains("items")) return nullptr;
      node = resolve_refs(&(*node)["items"], file);
    } else {
      if (!node->contains("properties") || !(*node)["properties"].contains(e)) return nullptr;
      node = resolve_refs(&(*node)["properties"][e], file);
    }
  }
  return node;
}

const nlohmann::json* value_at(const nlohmann::json& doc, const std::vector<std::string>& elements) {
  const nlohmann::json* v = &doc;
  for (const auto& e : elements) {
    if (e.front() == '[') {
      std::size_t i = std::stoul(e.substr(1));
      if (!v->is_array() || i >= v->size()) return nullptr;
      v = &(*v)[i];
    } else {
      if (!v->is_object() || !v->contains(e)) return nullptr;
      v = &(*v)[e];
    }
  }
  return v;
}

// The last 'quoted' word of a valijson message: the property it is about.
std::string quoted_name(const std::string& description) {
  auto b = description.rfind('\'');
  if (b == std::string::npos || b == 0) return "";
  auto a = description.rfind('\'', b - 1);
  return a == std::string::npos ? "" : description.substr(a + 1, b - a - 1);
}

// " when input_kind is \"pesticide\"" (in Chinese "（投入品类型为「农药」时）": the column and the word a
// clerk writes, rule_words.h) when the schema governing `elements` requires `name` only under its
// if/then (the properties' consts of the if), else nothing.
i18n::Words required_when(const nlohmann::json& doc, const std::string& root,
                          const std::vector<std::string>& elements, const std::string& name) {
  const nlohmann::json* schema = subschema_at(doc, root, elements);
  if (!schema || !schema->contains("if") || !schema->contains("then")) return {};
  const auto& then = (*schema)["then"];
  if (!then.contains("required") || std::find(then["required"].begin(), then["required"].end(), name) ==
                                         then["required"].end())
    return {};
  std::vector<std::string> en, zh;
  const nlohmann::json if_properties = (*schema)["if"].value("properties", nlohmann::json::object());
  for (const auto& [field, rule] : if_properties.items())
    if (rule.contains("const")) {
      en.push_back(fmt::format("{} is {}", field, rule["const"].dump()));
      const std::string type = doc.is_object() && doc.contains("type") && doc["type"].is_string() ? doc["type"].get<std::string>() : "";
      const std::string value = rule["const"].is_string() ? rule["const"].get<std::string>() : rule["const"].dump();
      zh.push_back(fmt::format("{}为「{}」", field_words(type, field).zh, value_words(type, field, value).zh));
    }
  if (en.empty()) return {};
  return {fmt::format("（{}时）", fmt::join(zh, "且")), fmt::format(" when {}", fmt::join(en, " and "))};
}

// What a clerk reads in Chinese for the keyword valijson names in `d` (its English
// description), with the bound from the governing `schema`; empty when there is no better word.
std::string keyword_zh(const std::string& d, const nlohmann::json* schema) {
  auto bound = [&](const char* key) { return schema && schema->contains(key) ? (*schema)[key].dump() : "?"; };
  if (d.rfind("Failed to match regex", 0) == 0) return "：格式不对";
  if (d.rfind("Expected number greater than or equal to", 0) == 0) return fmt::format("：最小是 {}", bound("minimum"));
  if (d.rfind("Expected number greater than", 0) == 0) return fmt::format("：要大于 {}", bound("exclusiveMinimum"));
  if (d.rfind("Expected number less than or equal to", 0) == 0) return fmt::format("：最大是 {}", bound("maximum"));
  if (d.rfind("Expected number less than", 0) == 0) return fmt::format("：要小于 {}", bound("exclusiveMaximum"));
  if (d.rfind("String should be no fewer than", 0) == 0)
    return bound("minLength") == "1" ? "：不能为空" : fmt::format("：至少 {} 个字符", bound("minLength"));
  if (d.rfind("String should be no more than", 0) == 0) return fmt::format("：最多 {} 个字符", bound("maxLength"));
  if (d.rfind("Array should contain no fewer than", 0) == 0) return fmt::format("：至少要有 {} 项", bound("minItems"));
  if (d.rfind("Array should contain no more than", 0) == 0) return fmt::format("：最多 {} 项", bound("maxItems"));
  if (d.rfind("Failed to match expected value set by 'const'", 0) == 0)
    return fmt::format("：只能是 {}", schema && schema->contains("const") ? (*schema)["const"].dump() : "?");
  return "";
}

// One sentence a clerk can act on, in both languages: the field, the value, what is allowed.
// Throws it as i18n::Refusal "WHAT: field PATH: …".
[[noreturn]] void refuse(const nlohmann::json& doc, const std::string& root, std::string_view what,
                         const valijson::ValidationResults::Error& error) {
  auto elements = path_elements(error.context);
  const bool typed = doc.is_object() && doc.contains("type") && doc["type"].is_string();
  const i18n::Words kind = typed ? i18n::Words{type_words(doc["type"].get<std::string>()).zh + "事件",
                                               doc["type"].get<std::string>() + " events"}
                                 : i18n::Words{"这份文件", "this document"};
  auto at = [&](const std::string& path, i18n::Msg id, const auto&... args) {
    return i18n::refusal(path, id, args...).placed(what);
  };
  const std::string& d = error.description;
  if (d.rfind("Missing required property", 0) == 0) {
    i18n::Words when = required_when(doc, root, elements, quoted_name(d));
    elements.push_back(quoted_name(d));
    // A paper certificate without a number has a documented placeholder (docs/certificate.md).
    if (typed && elements.size() == 1 && elements[0] == "number" && doc["type"] == "certificate_received")
      throw at("number", i18n::Msg::received_number_missing);
    throw at(join_path(elements), i18n::Msg::schema_missing, kind, when);
  }
  if (d.find("could not be validated using 'properties' or 'additionalProperties'") != std::string::npos) {
    elements.push_back(quoted_name(d));
    throw at(join_path(elements), i18n::Msg::schema_not_allowed, kind);
  }
  std::string where = elements.empty() ? "(document)" : join_path(elements);
  const nlohmann::json* value = value_at(doc, elements);
  std::string shown = value ? value->dump() : "";
  if (shown.size() > 80) shown = shown.substr(0, 77) + "...";
  // Chinese quotes the text itself: 「ST26 DL01」, not 「"ST26 DL01"」.
  std::string shown_zh = value && value->is_string() ? value->get<std::string>() : shown;
  if (shown_zh.size() > 80) {
    std::size_t cut = 77;  // not inside a UTF-8 character
    while (cut > 0 && (static_cast<unsigned char>(shown_zh[cut]) & 0xC0) == 0x80) --cut;
    shown_zh = shown_zh.substr(0, cut) + "…";
  }
  const nlohmann::json* schema = subschema_at(doc, root, elements);
  i18n::Words more;
  if (schema && schema->contains("enum")) {
    std::vector<std::string> options;
    for (const auto& o : (*schema)["enum"]) options.push_back(o.dump());
    more.en += fmt::format("; use one of {}", fmt::join(options, ", "));
    more.zh += fmt::format("；请填 {} 之一", fmt::join(options, "、"));
  } else if (schema && schema->contains("type") && value && d.find("type") != std::string::npos) {
    more.en += fmt::format("; expected a JSON {}", (*schema)["type"].dump());
    more.zh += fmt::format("：应为 JSON {}", (*schema)["type"].dump());
  } else {
    more.zh += keyword_zh(d, schema);
  }
  // A pattern refused a character that looks like an allowed one, or like nothing (‐ for -, a
  // zero-width space): name it, where it is and what to type, before the pattern's description.
  if (d.rfind("Failed to match regex", 0) == 0 && value && value->is_string())
    if (auto odd = odd_character(value->get<std::string>())) {
      more.zh += "：" + odd->zh;
      more.en += "; " + odd->en;
    }
  if (schema && schema->contains("description")) {
    more.en += fmt::format(" ({})", (*schema)["description"].get<std::string>());
    // The schemas are English; the clerk reads the catalogue's Chinese for the field (schema_words.h).
    const auto zh = description_zh(*schema);
    more.zh += fmt::format("（说明：{}）", zh ? std::string(*zh) : (*schema)["description"].get<std::string>());
  } else if (!value || !schema) {
    more.en += fmt::format(" ({})", d);
  }
  if (value) throw at(where, i18n::Msg::schema_value, i18n::Words{shown_zh, shown}, more);
  throw at(where, i18n::Msg::schema_invalid, d, more);
}

}  // namespace

const nlohmann::json& embedded_schema_json(std::string_view path) {
  const auto& files = parsed_schemas();
  auto it = files.find(path);
  if (it == files.end()) throw std::logic_error(fmt::format("no embedded schema {}", path));
  return it->second;
}

struct SchemaValidator::Impl {
  std::string root;
  nlohmann::json owned;  // the schema document when it is not an embedded file
  valijson::Schema schema;
  std::mutex mutex;  // valijson's validator keeps a regex cache; serialise its use.
  valijson::Validator validator{valijson::Validator::kStrongTypes};
};

SchemaValidator::SchemaValidator(std::string_view root) : impl_(std::make_unique<Impl>()) {
  impl_->root = std::string(root);
  valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
  valijson::adapters::NlohmannJsonAdapter adapter(embedded_schema_json(root));
  parser.populateSchema(adapter, impl_->schema, fetch_schema,
                        [](const nlohmann::json*) { /* owned by parsed_schemas() */ });
}

SchemaValidator::SchemaValidator(std::string_view root, const nlohmann::json& schema)
    : impl_(std::make_unique<Impl>()) {
  impl_->root = std::string(root);
  impl_->owned = schema;
  valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
  valijson::adapters::NlohmannJsonAdapter adapter(impl_->owned);
  parser.populateSchema(adapter, impl_->schema, fetch_schema,
                        [](const nlohmann::json*) { /* owned by parsed_schemas() */ });
}

SchemaValidator::~SchemaValidator() = default;
SchemaValidator::SchemaValidator(SchemaValidator&&) noexcept = default;
SchemaValidator& SchemaValidator::operator=(SchemaValidator&&) noexcept = default;

bool SchemaValidator::accepts(const nlohmann::json& doc) const {
  valijson::adapters::NlohmannJsonAdapter target(doc);
  std::lock_guard lock(impl_->mutex);
  return impl_->validator.validate(impl_->schema, target, nullptr);
}

void SchemaValidator::validate(const nlohmann::json& doc, std::string_view what) const {
  valijson::adapters::NlohmannJsonAdapter target(doc);
  valijson::ValidationResults results;
  {
    std::lock_guard lock(impl_->mutex);
    // First without collecting errors: valijson then stops at the first failing constraint
    // and builds no messages, which is most of its cost on a valid document (issue 17). Only a
    // document that fails is validated again, collecting every error for the message.
    if (impl_->validator.validate(impl_->schema, target, nullptr)) return;
    if (impl_->validator.validate(impl_->schema, target, &results))
      throw std::logic_error("schema validation gave two answers for one document");
  }
  // The deepest error is the most specific one ("value does not match pattern" at
  // quantity.value rather than "failed to validate against the 'then' schema").
  valijson::ValidationResults::Error best, error;
  std::size_t best_depth = 0;
  bool have = false;
  while (results.popError(error)) {
    if (!have || error.context.size() > best_depth) {
      best = error;
      best_depth = error.context.size();
      have = true;
    }
  }
  refuse(doc, impl_->root, what, best);
}

namespace {

// The event types whose schema event.schema.json delegates to whole, and the file of each:
// the root schema is an object with a "type" from the event_type enum, and an allOf of
// {"if": {"properties": {"type": {"const": T}}, "required": ["type"]}, "then": {"$ref": F}}.
// So an event of type T passes the root schema exactly when it passes F. Empty if the root
// schema has any other shape (then every event goes to the root validator).
const std::map<std::string, std::string>& delegated_event_schemas() {
  static const std::map<std::string, std::string> types = [] {
    std::map<std::string, std::string> out;
    try {
      const nlohmann::json& root = embedded_schema_json("event.schema.json");
      for (const auto& [key, value] : root.items())
        if (key != "$schema" && key != "$id" && key != "title" && key != "description" &&
            key != "type" && key != "required" && key != "properties" && key != "allOf")
          return out;
      if (root.at("type") != "object" || root.at("required") != nlohmann::json::array({"type"}) ||
          root.at("properties").size() != 1)
        return out;
      std::string ref = root.at("properties").at("type").at("$ref");
      auto hash = ref.find('#');
      const nlohmann::json& type_enum = embedded_schema_json(ref.substr(0, hash))
          .at(nlohmann::json::json_pointer(ref.substr(hash + 1))).at("enum");
      if (!type_enum.is_array()) return out;
      std::map<std::string, std::string> found;
      for (const auto& branch : root.at("allOf")) {
        const auto& cond = branch.at("if");
        if (branch.size() != 2 || branch.at("then").size() != 1 || cond.size() != 2 ||
            cond.at("required") != nlohmann::json::array({"type"}) ||
            cond.at("properties").size() != 1 || cond.at("properties").at("type").size() != 1)
          return out;
        std::string type = cond.at("properties").at("type").at("const");
        std::string file = branch.at("then").at("$ref");
        if (std::find(type_enum.begin(), type_enum.end(), type) == type_enum.end() ||
            file.find('#') != std::string::npos || !found.emplace(type, file).second)
          return out;
        embedded_schema_json(file);  // throws if there is no such file
      }
      out = std::move(found);
    } catch (const std::exception&) {
      out.clear();
    }
    return out;
  }();
  return types;
}

// The compiled check of each delegated type's file (compiled_schema.h), shared by all threads;
// null for a file that uses a keyword it does not implement (valijson checks that type).
const CompiledSchema* compiled_event_schema(const std::string& type) {
  static const auto* compiled = [] {
    auto* out = new std::map<std::string, std::unique_ptr<CompiledSchema>, std::less<>>;
    for (const auto& [t, file] : delegated_event_schemas()) {
      try {
        (*out)[t] = std::make_unique<CompiledSchema>(file);
      } catch (const std::logic_error&) {
        // valijson alone for this type
      }
    }
    return out;
  }();
  auto it = compiled->find(type);
  return it == compiled->end() ? nullptr : it->second.get();
}

}  // namespace

EventSchemaValidator::EventSchemaValidator() : root_("event.schema.json") {}

void EventSchemaValidator::validate(const nlohmann::json& event, std::string_view what) {
  if (auto t = event.find("type"); t != event.end() && t->is_string()) {
    const auto& delegated = delegated_event_schemas();
    if (auto file = delegated.find(t->get_ref<const std::string&>()); file != delegated.end()) {
      if (const CompiledSchema* compiled = compiled_event_schema(file->first)) {
        if (compiled->accepts(event)) return;
      } else {
        auto& typed = by_type_[file->first];
        if (!typed) typed = std::make_unique<SchemaValidator>(file->second);
        if (typed->accepts(event)) return;
      }
      // Fails here: the root validator gives its own verdict and message.
    }
  }
  root_.validate(event, what);
}

}  // namespace agtrace
