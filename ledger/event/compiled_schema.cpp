// A draft-07 schema compiled into plain nodes (compiled_schema.h): the keywords the event
// schemas use, each as valijson 1.0 checks it with strong types.
#include "ledger/event/compiled_schema.h"

#include <fmt/format.h>

#include <deque>
#include <map>
#include <optional>
#include <regex>
#include <stdexcept>
#include <string>
#include <vector>

#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/utils/utf8_utils.hpp>

#include "ledger/event/schema_pattern.h"
#include "ledger/event/schema_validator.h"

namespace agtrace {

namespace {

using nlohmann::json;

// Bits of the JSON types a "type" keyword allows.
enum TypeBit : unsigned {
  kNull = 1,
  kBoolean = 2,
  kObject = 4,
  kArray = 8,
  kString = 16,
  kInteger = 32,  // valijson strong types: is_number_integer (signed or unsigned)
  kNumber = 64,   // any number
};

unsigned type_bit(const std::string& name) {
  if (name == "null") return kNull;
  if (name == "boolean") return kBoolean;
  if (name == "object") return kObject;
  if (name == "array") return kArray;
  if (name == "string") return kString;
  if (name == "integer") return kInteger;
  if (name == "number") return kNumber;
  throw std::logic_error("CompiledSchema: unknown type " + name);
}

// Whether a value of this JSON type satisfies a "type" of these bits.
bool type_allows(unsigned bits, const json& v) {
  switch (v.type()) {
    case json::value_t::null: return bits & kNull;
    case json::value_t::boolean: return bits & kBoolean;
    case json::value_t::object: return bits & kObject;
    case json::value_t::array: return bits & kArray;
    case json::value_t::string: return bits & kString;
    case json::value_t::number_integer:
    case json::value_t::number_unsigned: return bits & (kInteger | kNumber);
    case json::value_t::number_float: return bits & kNumber;
    default: return false;
  }
}

// valijson's strong-typed equality (const, enum, uniqueItems).
bool valijson_equal(const json& a, const json& b) {
  if (a.is_string()) return b.is_string() && a.get_ref<const std::string&>() == b.get_ref<const std::string&>();
  return valijson::adapters::NlohmannJsonAdapter(a).equalTo(valijson::adapters::NlohmannJsonAdapter(b), true);
}

// A `pattern`: SchemaPattern where it compiles (the subset of ECMAScript the event schemas
// use), else std::regex as valijson runs it.
struct Pattern {
  std::unique_ptr<SchemaPattern> hand;
  std::unique_ptr<std::regex> regex;

  explicit Pattern(const std::string& p) {
    try {
      hand = std::make_unique<SchemaPattern>(p);
    } catch (const std::invalid_argument&) {
      regex = std::make_unique<std::regex>(p);
    }
  }
  bool search(const std::string& s) const { return hand ? hand->search(s) : std::regex_search(s, *regex); }
};

struct Node {
  bool never = false;     // the schema `false`
  unsigned types = 0;     // 0: any type
  std::vector<const Node*> all;  // allOf, and the target of a $ref
  const Node* if_ = nullptr;
  const Node* then_ = nullptr;
  const Node* else_ = nullptr;
  const json* constant = nullptr;
  const json* enumeration = nullptr;
  // objects
  std::map<std::string, const Node*, std::less<>> properties;
  const Node* additional = nullptr;  // null: any additional property is allowed
  std::vector<std::string> required;
  std::optional<std::uint64_t> min_properties, max_properties;
  const Node* property_names = nullptr;
  // arrays
  const Node* items = nullptr;
  std::optional<std::uint64_t> min_items, max_items;
  bool unique_items = false;
  // strings
  std::optional<std::uint64_t> min_length, max_length;
  std::vector<const Pattern*> patterns;
  // numbers
  std::optional<double> minimum, maximum;
};

std::string directory_of(const std::string& file) {
  auto slash = file.rfind('/');
  return slash == std::string::npos ? "" : file.substr(0, slash + 1);
}

// `ref`'s document part resolved against `file`, the embedded file it occurs in.
std::string resolve_file(const std::string& doc, const std::string& file) {
  std::vector<std::string> parts;
  std::string path = directory_of(file) + doc;
  std::size_t start = 0;
  while (start <= path.size()) {
    auto end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    std::string part = path.substr(start, end - start);
    if (part == "..") {
      if (parts.empty()) throw std::logic_error("CompiledSchema: $ref above schemas/: " + doc);
      parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    start = end + 1;
  }
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "/") + p;
  return out;
}

}  // namespace

struct CompiledSchema::Impl {
  std::deque<Node> nodes;
  std::map<std::string, const Node*> by_ref;  // "file#pointer" → its node
  std::map<std::string, Pattern> regexes;  // by pattern
  const Node* root = nullptr;

  const Node* compile(const json& schema, const std::string& file);
  const Node* compile_ref(const std::string& ref, const std::string& file);
  bool ok(const Node& n, const json& v) const;
};

const Node* CompiledSchema::Impl::compile_ref(const std::string& ref, const std::string& file) {
  auto hash = ref.find('#');
  const std::string doc = hash == std::string::npos ? ref : ref.substr(0, hash);
  const std::string pointer = hash == std::string::npos ? "" : ref.substr(hash + 1);
  const std::string target = doc.empty() ? file : resolve_file(doc, file);
  const std::string key = target + "#" + pointer;
  if (auto it = by_ref.find(key); it != by_ref.end()) return it->second;
  const json& document = embedded_schema_json(target);  // throws if there is no such file
  const json& at = pointer.empty() ? document : document.at(json::json_pointer(pointer));
  // A placeholder first: the target may refer back to itself (an event inside a correction).
  Node& placeholder = nodes.emplace_back();
  by_ref[key] = &placeholder;
  placeholder.all.push_back(compile(at, target));
  return &placeholder;
}

const Node* CompiledSchema::Impl::compile(const json& s, const std::string& file) {
  Node& n = nodes.emplace_back();
  if (s.is_boolean()) {
    n.never = !s.get<bool>();
    return &n;
  }
  if (!s.is_object()) throw std::logic_error("CompiledSchema: a schema is not an object in " + file);
  auto count = [&](const char* key) -> std::uint64_t {
    const json& v = s.at(key);
    if (!v.is_number_unsigned()) throw std::logic_error(fmt::format("CompiledSchema: {} is not a count in {}", key, file));
    return v.get<std::uint64_t>();
  };
  auto number = [&](const char* key) -> double {
    const json& v = s.at(key);
    if (!v.is_number()) throw std::logic_error(fmt::format("CompiledSchema: {} is not a number in {}", key, file));
    return v.get<double>();
  };
  for (const auto& [key, value] : s.items()) {
    if (key == "$schema" || key == "$id" || key == "title" || key == "description" || key == "$comment" ||
        key == "definitions") {
      continue;  // annotations; definitions are compiled where a $ref names them
    } else if (key == "$ref") {
      n.all.push_back(compile_ref(value.get<std::string>(), file));
    } else if (key == "type") {
      if (value.is_string()) {
        n.types |= type_bit(value.get<std::string>());
      } else {
        for (const auto& t : value) n.types |= type_bit(t.get<std::string>());
        if (n.types == 0) n.never = true;
      }
    } else if (key == "allOf") {
      for (const auto& sub : value) n.all.push_back(compile(sub, file));
    } else if (key == "if") {
      n.if_ = compile(value, file);
    } else if (key == "then") {
      n.then_ = compile(value, file);
    } else if (key == "else") {
      n.else_ = compile(value, file);
    } else if (key == "const") {
      n.constant = &value;
    } else if (key == "enum") {
      if (!value.is_array()) throw std::logic_error("CompiledSchema: enum is not an array in " + file);
      n.enumeration = &value;
    } else if (key == "properties") {
      for (const auto& [name, sub] : value.items()) n.properties[name] = compile(sub, file);
    } else if (key == "additionalProperties") {
      if (!(value.is_boolean() && value.get<bool>())) n.additional = compile(value, file);
    } else if (key == "required") {
      for (const auto& name : value) n.required.push_back(name.get<std::string>());
    } else if (key == "minProperties") {
      n.min_properties = count("minProperties");
    } else if (key == "maxProperties") {
      n.max_properties = count("maxProperties");
    } else if (key == "propertyNames") {
      n.property_names = compile(value, file);
    } else if (key == "items") {
      if (value.is_array()) throw std::logic_error("CompiledSchema: items as an array (tuple) in " + file);
      n.items = compile(value, file);
    } else if (key == "minItems") {
      n.min_items = count("minItems");
    } else if (key == "maxItems") {
      n.max_items = count("maxItems");
    } else if (key == "uniqueItems") {
      n.unique_items = value.get<bool>();
    } else if (key == "minLength") {
      n.min_length = count("minLength");
    } else if (key == "maxLength") {
      n.max_length = count("maxLength");
    } else if (key == "pattern") {
      const std::string& p = value.get_ref<const std::string&>();
      auto it = regexes.find(p);
      if (it == regexes.end()) it = regexes.try_emplace(p, p).first;
      n.patterns.push_back(&it->second);
    } else if (key == "minimum") {
      n.minimum = number("minimum");
    } else if (key == "maximum") {
      n.maximum = number("maximum");
    } else {
      throw std::logic_error(fmt::format("CompiledSchema: keyword {} is outside the compiled draft-07 subset ({}); that schema stays on valijson", key, file));
    }
  }
  if ((n.then_ || n.else_) && !n.if_)
    throw std::logic_error("CompiledSchema: then or else without if in " + file);
  return &n;
}

bool CompiledSchema::Impl::ok(const Node& n, const json& v) const {
  if (n.never) return false;
  if (n.types != 0 && !type_allows(n.types, v)) return false;
  for (const Node* sub : n.all)
    if (!ok(*sub, v)) return false;
  if (n.constant && !valijson_equal(*n.constant, v)) return false;
  if (n.enumeration) {
    bool found = false;
    for (const auto& option : *n.enumeration)
      if (valijson_equal(option, v)) {
        found = true;
        break;
      }
    if (!found) return false;
  }
  switch (v.type()) {
    case json::value_t::object: {
      const std::uint64_t size = v.size();
      if (n.min_properties && size < *n.min_properties) return false;
      if (n.max_properties && size > *n.max_properties) return false;
      for (const auto& name : n.required)
        if (!v.contains(name)) return false;
      if (!n.properties.empty() || n.additional || n.property_names) {
        for (const auto& [name, member] : v.items()) {
          if (n.property_names && !ok(*n.property_names, json(name))) return false;
          if (auto p = n.properties.find(name); p != n.properties.end()) {
            if (!ok(*p->second, member)) return false;
          } else if (n.additional && !ok(*n.additional, member)) {
            return false;
          }
        }
      }
      break;
    }
    case json::value_t::array: {
      const std::uint64_t size = v.size();
      if (n.min_items && size < *n.min_items) return false;
      if (n.max_items && size > *n.max_items) return false;
      if (n.items)
        for (const auto& item : v)
          if (!ok(*n.items, item)) return false;
      if (n.unique_items)
        for (std::size_t i = 0; i + 1 < v.size(); ++i)
          for (std::size_t j = i + 1; j < v.size(); ++j)
            if (valijson_equal(v[i], v[j])) return false;
      break;
    }
    case json::value_t::string: {
      const std::string& s = v.get_ref<const std::string&>();
      if (n.min_length || n.max_length) {
        const std::uint64_t length = valijson::utils::u8_strlen(s.c_str());
        if (n.min_length && length < *n.min_length) return false;
        if (n.max_length && length > *n.max_length) return false;
      }
      for (const Pattern* re : n.patterns)
        if (!re->search(s)) return false;
      break;
    }
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
      if (n.minimum || n.maximum) {
        const double d = valijson::adapters::NlohmannJsonAdapter(v).asDouble();
        if (n.minimum && d < *n.minimum) return false;
        if (n.maximum && d > *n.maximum) return false;
      }
      break;
    default:
      break;
  }
  if (n.if_) {
    if (ok(*n.if_, v)) {
      if (n.then_ && !ok(*n.then_, v)) return false;
    } else if (n.else_ && !ok(*n.else_, v)) {
      return false;
    }
  }
  return true;
}

CompiledSchema::CompiledSchema(std::string_view root) : impl_(std::make_unique<Impl>()) {
  impl_->root = impl_->compile_ref(std::string(root), "");
}

CompiledSchema::~CompiledSchema() = default;
CompiledSchema::CompiledSchema(CompiledSchema&&) noexcept = default;
CompiledSchema& CompiledSchema::operator=(CompiledSchema&&) noexcept = default;

bool CompiledSchema::accepts(const json& doc) const { return impl_->ok(*impl_->root, doc); }

}  // namespace agtrace
