// Placeholder expansion and Digital Link choice: pure functions over LabelFacts.
#include "labeler/template/content.h"

#include "ledger/event/digital_link.h"

namespace agtrace::labeler {

std::string trace_uri(const LabelFacts& facts, std::string_view serial) {
  if (facts.gtin14) return digital_link_uri(facts.base_url, *facts.gtin14, facts.lot_code, serial);
  return short_trace_uri(facts.base_url, serial);
}

std::optional<std::string> expand_text(std::string_view text, const LabelFacts& facts,
                                       const std::map<std::string, std::string>& values,
                                       std::string_view serial, std::string_view uri) {
  std::string out;
  out.reserve(text.size() + 32);
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if ((c == '{' || c == '}') && i + 1 < text.size() && text[i + 1] == c) {
      out.push_back(c);
      ++i;
      continue;
    }
    if (c != '{') {
      out.push_back(c);
      continue;
    }
    std::size_t close = text.find('}', i);
    std::string name(text.substr(i + 1, close - i - 1));
    i = close;
    if (name == "serial") {
      out += serial;
    } else if (name == "uri") {
      out += uri;
    } else if (auto f = facts.fields.find(name); f != facts.fields.end() && !f->second.empty()) {
      out += f->second;
    } else if (auto v = values.find(name); v != values.end()) {
      out += v->second;
    } else {
      return std::nullopt;
    }
  }
  return out;
}

std::string display_quantity(std::string_view value, std::string_view unit) {
  static const std::map<std::string_view, std::string_view> units = {
      {"KGM", "kg"}, {"GRM", "g"}, {"TNE", "t"}, {"LTR", "L"}, {"MLT", "mL"}, {"H87", "件"}};
  auto it = units.find(unit);
  std::string u = it == units.end() ? std::string(unit) : std::string(it->second);
  return std::string(value) + (unit == "H87" ? "" : " ") + u;
}

}  // namespace agtrace::labeler
