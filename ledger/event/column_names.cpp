// Rewriting "field PATH" in messages to name the source's column.
#include "ledger/event/column_names.h"

namespace agtrace {

namespace {

// The column of `path` itself, or of its value when `path` is a quantity ("quantity" → the column of
// "quantity.value": a correction row's quantity is its 数量 column, not the 更正原因 column that holds
// the whole replacement); failing that, of the longest listed field that contains it; failing
// that, of the first listed field inside `path`.
const std::string* column_of(std::string_view path, const ColumnNames& columns) {
  auto within = [](std::string_view inner, std::string_view outer) {
    return inner.size() > outer.size() && inner.substr(0, outer.size()) == outer &&
           (inner[outer.size()] == '.' || inner[outer.size()] == '[');
  };
  for (const auto& [field, header] : columns)
    if (field == path) return &header;
  for (const auto& [field, header] : columns)
    if (field.size() == path.size() + 6 && within(field, path) && field.ends_with(".value")) return &header;
  const std::string* best = nullptr;
  std::size_t best_len = 0;
  for (const auto& [field, header] : columns)
    if ((path == field || within(path, field)) && field.size() > best_len) {
      best = &header;
      best_len = field.size();
    }
  if (best) return best;
  // A quantity is missing: name its value's column before its unit's.
  for (const auto& [field, header] : columns)
    if (field.size() == path.size() + 6 && within(field, path) && field.ends_with(".value")) return &header;
  for (const auto& [field, header] : columns)
    if (within(field, path)) return &header;
  return nullptr;
}

bool ends_path(char c) { return c == ':' || c == ' ' || c == ';' || c == ',' || c == ')'; }

}  // namespace

std::string name_columns(std::string_view message, const ColumnNames& columns, i18n::Lang lang) {
  static constexpr std::string_view kField = "field ";
  std::string out;
  std::size_t pos = 0;
  for (;;) {
    auto at = message.find(kField, pos);
    if (at == std::string_view::npos || columns.empty()) break;
    auto start = at + kField.size();
    auto end = start;
    while (end < message.size() && !ends_path(message[end])) ++end;
    const std::string* header = column_of(message.substr(start, end - start), columns);
    out.append(message.substr(pos, at - pos));
    pos = end;
    if (!header) {
      out.append(message.substr(at, end - at));
      continue;
    }
    out += i18n::text(lang, i18n::Msg::column_field, *header, message.substr(start, end - start));
    if (lang == i18n::Lang::zh && message.substr(end, 2) == ": ") {
      out += "：";
      pos = end + 2;
    }
  }
  out.append(message.substr(pos));
  return out;
}

}  // namespace agtrace
