// Maps CSV rows to events through schemas/csv-columns.json.
#include "ledger/import/csv_import.h"

#include <fmt/format.h>

#include <map>

#include "ledger/csv/csv_reader.h"
#include "ledger/csv/text_decoding.h"
#include "ledger/event/schema_validator.h"
#include "ledger/time/timestamp.h"
#include "ledger/util/error.h"

namespace agtrace {

namespace {

const nlohmann::json& layout() { return embedded_schema_json("csv-columns.json"); }

std::vector<std::string> split_list(const std::string& cell) {
  std::vector<std::string> out;
  std::string cur;
  auto flush = [&] {
    auto b = cur.find_first_not_of(' ');
    auto e = cur.find_last_not_of(' ');
    if (b != std::string::npos) out.push_back(cur.substr(b, e - b + 1));
    cur.clear();
  };
  for (std::size_t i = 0; i < cell.size(); ++i) {
    if (cell[i] == ';') {
      flush();
    } else if (cell.compare(i, 3, "；") == 0) {  // full-width semicolon from Chinese input
      flush();
      i += 2;
    } else {
      cur += cell[i];
    }
  }
  flush();
  return out;
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    auto p = s.find(sep, start);
    out.push_back(s.substr(start, p - start));
    if (p == std::string::npos) return out;
    start = p + 1;
  }
}

void set_path(nlohmann::json& obj, const std::string& path, nlohmann::json value) {
  nlohmann::json* node = &obj;
  for (const auto& part : split(path, '.')) node = &(*node)[part];
  *node = std::move(value);
}

std::string with_tz(const std::string& text, const std::optional<std::string>& tz,
                    const std::string& field) {
  return tz ? time::apply_default_offset(text, *tz, field) : text;
}

// Converts one cell by its kind. `row` gives access to helper columns.
nlohmann::json convert_cell(const std::string& cell, const nlohmann::json& spec,
                            const std::string& field,
                            const std::map<std::string, std::string>& row,
                            const std::optional<std::string>& tz) {
  std::string kind = spec.value("kind", "text");
  auto need = [&](const char* key) {
    std::string helper = spec[key];
    auto it = row.find(helper);
    if (it == row.end() || it->second.empty())
      throw_bad_input(fmt::format("field {}: needs the {} column filled in", field, helper));
    return it->second;
  };
  if (kind == "text") return cell;
  if (kind == "time") return with_tz(cell, tz, field);
  if (kind == "integer") {
    if (cell.empty() || cell.size() > 9 || cell.find_first_not_of("0123456789") != std::string::npos)
      throw_bad_input(fmt::format("field {}: \"{}\" is not a whole number", field, cell));
    return std::stoll(cell);
  }
  if (kind == "boolean") {
    if (cell == "是" || cell == "true" || cell == "yes" || cell == "1") return true;
    if (cell == "否" || cell == "false" || cell == "no" || cell == "0") return false;
    throw_bad_input(fmt::format("field {}: \"{}\" is not 是/否 (true/false)", field, cell));
  }
  if (kind == "list") return split_list(cell);
  nlohmann::json arr = nlohmann::json::array();
  for (const auto& item : split_list(cell)) {
    if (kind == "shipped_lots") {
      auto parts = split(item, '*');
      if (parts.size() == 1) {
        arr.push_back({{"lot", parts[0]}});
      } else if (parts.size() == 3) {
        arr.push_back({{"lot", parts[0]}, {"quantity", {{"value", parts[1]}, {"unit", parts[2]}}}});
      } else {
        throw_bad_input(fmt::format("field {}: \"{}\" is not LOT or LOT*QUANTITY*UNIT", field, item));
      }
    } else if (kind == "lot_quantities") {
      auto parts = split(item, '*');
      if (parts.size() != 2 && parts.size() != 3)
        throw_bad_input(fmt::format("field {}: \"{}\" is not LOT*QUANTITY or LOT*QUANTITY*GRADE", field, item));
      nlohmann::json o = {{"lot", parts[0]}, {"quantity", {{"value", parts[1]}, {"unit", need("unit_field")}}}};
      if (spec.contains("product_field")) {
        auto it = row.find(spec["product_field"].get<std::string>());
        if (it != row.end() && !it->second.empty()) o["product"] = it->second;
      }
      if (parts.size() == 3) o["grade"] = parts[2];
      arr.push_back(o);
    } else if (kind == "readings") {
      auto eq = item.rfind('=');
      if (eq == std::string::npos)
        throw_bad_input(fmt::format("field {}: \"{}\" is not TIME=DEGREES", field, item));
      arr.push_back({{"time", with_tz(item.substr(0, eq), tz, field)}, {"value", item.substr(eq + 1)}});
    } else if (kind == "items") {
      auto eq = item.find('=');
      auto parts = eq == std::string::npos ? std::vector<std::string>{} : split(item.substr(eq + 1), '|');
      if (parts.size() < 3 || parts.size() > 4)
        throw_bad_input(fmt::format("field {}: \"{}\" is not NAME=MEASURED|LIMIT[|UNIT]|RESULT", field, item));
      nlohmann::json o = {{"name", item.substr(0, eq)}, {"measured", parts[0]}, {"limit", parts[1]},
                          {"result", parts.back()}};
      if (parts.size() == 4) o["unit"] = parts[2];
      arr.push_back(o);
    } else {
      throw std::logic_error("csv-columns.json: unknown kind " + kind);
    }
  }
  return arr;
}

// Finds which header of `spec` the table has; returns its column or -1.
int column_of(const nlohmann::json& spec, const std::vector<std::string>& header) {
  for (const auto& name : spec["headers"])
    for (std::size_t c = 0; c < header.size(); ++c)
      if (header[c] == name.get<std::string>()) return static_cast<int>(c);
  return -1;
}

}  // namespace

std::vector<PreparedEvent> events_from_csv(std::string_view bytes, std::string_view file,
                            std::string_view encoding,
                            const std::optional<std::string>& default_tz,
                            const std::optional<std::string>& default_type) {
  std::string text = csv::decode_to_utf8(bytes, encoding, file);
  csv::Table table = csv::parse_table(text, file);
  const auto& map = layout();
  int type_col = column_of({{"headers", map["type_column"]}}, table.header);
  if (type_col < 0 && !default_type)
    throw_bad_input(fmt::format(
        "{}: no 事件类型/type column; add one or pass --type (e.g. --type harvest)", file));
  if (default_type && !map["events"].contains(*default_type))
    throw_bad_input(fmt::format("--type {}: CSV import supports {}", *default_type,
                                [&] {
                                  std::string s;
                                  for (auto& [k, v] : map["events"].items()) s += (s.empty() ? "" : ", ") + k;
                                  return s;
                                }()));

  std::vector<PreparedEvent> events;
  for (const auto& row : table.rows) {
    std::string where = fmt::format("{} line {}", file, row.line);
    try {
      std::string type = type_col >= 0 && !row.fields[type_col].empty() ? row.fields[type_col]
                                                                          : default_type.value_or("");
      if (!map["events"].contains(type))
        throw_bad_input(fmt::format("field type: \"{}\" is not an event type CSV import knows", type));
      const auto& fields = map["events"][type];
      // Cells by field name (helpers included), for kinds that combine columns.
      std::map<std::string, std::string> cells;
      for (const auto* group : {&map["common"], &fields})
        for (const auto& [name, spec] : group->items()) {
          int c = column_of(spec, table.header);
          if (c < 0 || row.fields[c].empty()) continue;
          // The limit parse_event applies to JSON strings, before the schema's patterns
          // (std::regex overflows the stack on long strings).
          if (row.fields[c].size() > kMaxEventStringBytes)
            throw_bad_input(fmt::format("field {}: the cell is {} bytes long, over the limit of {} bytes; shorten it",
                                        name, row.fields[c].size(), kMaxEventStringBytes));
          cells[name] = row.fields[c];
        }
      const auto& allowed =
          embedded_schema_json(fmt::format("events/{}.schema.json", type))["properties"];
      nlohmann::json event = {{"type", type}};
      for (const auto* group : {&map["common"], &fields})
        for (const auto& [name, spec] : group->items()) {
          if (spec.value("kind", "") == "helper") continue;
          if (!allowed.contains(split(name, '.').front())) continue;  // e.g. party on master data
          auto it = cells.find(name);
          if (it == cells.end()) continue;
          set_path(event, name, convert_cell(it->second, spec, name, cells, default_tz));
        }
      // A unit column shared by several quantities (e.g. the loss's) says nothing on its
      // own: drop {"unit": ...} objects whose value cell was left empty.
      for (auto it = event.begin(); it != event.end();) {
        if (it->is_object() && it->size() == 1 && it->contains("unit"))
          it = event.erase(it);
        else
          ++it;
      }
      events.push_back(prepare_event(std::move(event), where));
    } catch (const Error& err) {
      if (err.kind() != ErrorKind::bad_input) throw;
      std::string msg = err.what();
      PreparedEvent bad;
      bad.where = where;
      bad.error = msg.rfind(where, 0) == 0 ? msg : fmt::format("{}: {}", where, msg);
      events.push_back(std::move(bad));
    }
  }
  return events;
}

}  // namespace agtrace
