// Rewriting "field PATH" in messages to name the source's column.
#include "ledger/event/column_names.h"

namespace agtrace {

namespace {

// The column of the longest listed field that is `path` or contains it.
const std::string* column_of(std::string_view path, const ColumnNames& columns) {
  const std::string* best = nullptr;
  std::size_t best_len = 0;
  for (const auto& [field, header] : columns) {
    bool inside = path.size() > field.size() && path.substr(0, field.size()) == field &&
                  (path[field.size()] == '.' || path[field.size()] == '[');
    if ((path == field || inside) && field.size() > best_len) {
      best = &header;
      best_len = field.size();
    }
  }
  return best;
}

bool ends_path(char c) { return c == ':' || c == ' ' || c == ';' || c == ',' || c == ')'; }

}  // namespace

std::string name_columns(std::string_view message, const ColumnNames& columns) {
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
    if (header) out += "column " + *header + " (";
    out.append(message.substr(at, end - at));
    if (header) out += ")";
    pos = end;
  }
  out.append(message.substr(pos));
  return out;
}

}  // namespace agtrace
