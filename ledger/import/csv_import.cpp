// Maps CSV rows to events through schemas/csv-columns.json.
#include "ledger/import/csv_import.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <map>

#include "ledger/csv/csv_reader.h"
#include "ledger/csv/text_decoding.h"
#include "ledger/event/embedded_schemas.h"
#include "ledger/event/schema_validator.h"
#include "ledger/import/clerk_values.h"
#include "ledger/time/timestamp.h"
#include "ledger/util/error.h"

namespace agtrace {

namespace {

// csv-columns.json in its own order (embedded_schema_json sorts keys): the order a clerk's
// sheet follows, and the order accepted values are listed in.
const nlohmann::ordered_json& layout() {
  static const nlohmann::ordered_json j = [] {
    for (const auto& f : embedded_schemas())
      if (f.path == "csv-columns.json") return nlohmann::ordered_json::parse(f.text);
    throw std::logic_error("csv-columns.json is not embedded");
  }();
  return j;
}

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
  if (tz) return time::apply_default_offset(text, *tz, "field " + field);
  if (time::is_local_date_time(text))
    throw_bad_input(fmt::format(
        "field {}: \"{}\" has no UTC offset; import with --tz +08:00 (Beijing time), or write "
        "the offset in the cell (2022-10-05T08:30:00+08:00)",
        field, text));
  return text;
}

// Converts one cell by its kind. `row` gives access to helper columns.
nlohmann::json convert_cell(const std::string& cell, const nlohmann::ordered_json& spec,
                            const std::string& field,
                            const std::map<std::string, std::string>& row,
                            const std::optional<std::string>& tz) {
  std::string kind = spec.value("kind", "text");
  auto need = [&](const char* key) {
    std::string helper = spec[key];
    auto it = row.find(helper);
    if (it == row.end() || it->second.empty())
      throw_bad_input(fmt::format("field {}: empty, but field {} needs it; fill it in", helper, field));
    return it->second;
  };
  if (kind == "text") return cell;
  if (kind == "decimal") {
    check_plain_number(cell, field);
    return cell;
  }
  if (kind == "gtin") {
    check_gtin_as_text(cell, field);
    return cell;
  }
  if (kind == "time") {
    check_not_excel_date(cell, field);
    return with_tz(cell, tz, field);
  }
  if (kind == "integer") {
    check_plain_number(cell, field);
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
      std::string result = spec.contains("values") ? translate_value(parts.back(), spec["values"], field)
                                                   : parts.back();
      nlohmann::json o = {{"name", item.substr(0, eq)}, {"measured", parts[0]}, {"limit", parts[1]},
                          {"result", result}};
      if (parts.size() == 4) o["unit"] = parts[2];
      arr.push_back(o);
    } else if (kind == "bases") {
      // 承诺达标合格证 bases: BASIS or BASIS=EVENT_ID|EVENT_ID (the evidence entries).
      auto eq = item.find('=');
      std::string basis = item.substr(0, eq);
      if (spec.contains("values")) basis = translate_value(basis, spec["values"], field);
      nlohmann::json o = {{"basis", basis}};
      if (eq != std::string::npos) {
        auto ids = split(item.substr(eq + 1), '|');
        for (const auto& id : ids)
          if (id.empty())
            throw_bad_input(fmt::format("field {}: \"{}\" is not BASIS or BASIS=EVENT_ID|EVENT_ID", field, item));
        o["evidence"] = ids;
      }
      arr.push_back(o);
    } else if (kind == "parents") {
      auto parts = split(item, '*');
      if (parts.size() != 2 || parts[0].empty() || parts[1].empty())
        throw_bad_input(fmt::format("field {}: \"{}\" is not ISSUER*NUMBER", field, item));
      arr.push_back({{"issuer", parts[0]}, {"number", parts[1]}});
    } else {
      throw std::logic_error("csv-columns.json: unknown kind " + kind);
    }
  }
  return arr;
}

// Finds which header of `spec` the table has; returns its column or -1.
int column_of(const nlohmann::ordered_json& spec, const std::vector<std::string>& header) {
  for (const auto& name : spec["headers"])
    for (std::size_t c = 0; c < header.size(); ++c)
      if (header[c] == name.get<std::string>()) return static_cast<int>(c);
  return -1;
}

// Unicode code points of UTF-8 `s` (already validated by decode_to_utf8).
std::u32string code_points(const std::string& s) {
  std::u32string out;
  for (std::size_t i = 0; i < s.size();) {
    auto b = static_cast<unsigned char>(s[i]);
    int n = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    char32_t c = n == 1 ? b : b & (0x7F >> n);
    for (int k = 1; k < n && i + k < s.size(); ++k) c = (c << 6) | (s[i + k] & 0x3F);
    out += c;
    i += n;
  }
  return out;
}

// Levenshtein distance in code points, so 收获日其 is one edit from 收获日期.
std::size_t edit_distance(const std::u32string& a, const std::u32string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

// Every header the layout knows, in layout order.
std::vector<std::string> known_headers() {
  std::vector<std::string> out;
  const auto& map = layout();
  auto add = [&](const nlohmann::ordered_json& names) {
    for (const auto& n : names)
      if (std::find(out.begin(), out.end(), n.get<std::string>()) == out.end()) out.push_back(n);
  };
  add(map["type_column"]);
  for (const auto& [name, spec] : map["common"].items()) add(spec["headers"]);
  for (const auto& [type, fields] : map["events"].items())
    for (const auto& [name, spec] : fields.items()) add(spec["headers"]);
  return out;
}

// Refuses a header the layout does not know (a typo would otherwise drop the column's
// values silently), suggesting the nearest known one.
void check_headers(const csv::Table& table, std::string_view file) {
  static const std::vector<std::string> known = known_headers();
  for (std::size_t c = 0; c < table.header.size(); ++c) {
    const std::string& h = table.header[c];
    if (std::find(known.begin(), known.end(), h) != known.end()) continue;
    auto typed = code_points(h);
    const std::string* nearest = nullptr;
    std::size_t best = std::max<std::size_t>(2, typed.size() / 3) + 1;  // suggest within this many edits
    for (const auto& k : known) {
      auto d = edit_distance(typed, code_points(k));
      if (d < best) {
        best = d;
        nearest = &k;
      }
    }
    throw_bad_input(fmt::format(
        "{} line {}: column {} \"{}\" is not a column CSV import knows{}; rename it, or delete the "
        "column (schemas/csv-columns.json lists the columns of each event type)",
        file, table.header_line, c + 1, h,
        nearest ? fmt::format(" — did you mean \"{}\"?", *nearest) : ""));
  }
}

// The column each field of `group` reads, refusing a table with two columns for one
// field (say 数量 and quantity): one of them would be ignored.
void check_one_column_per_field(const nlohmann::ordered_json& group, const csv::Table& table,
                                std::string_view file) {
  for (const auto& [name, spec] : group.items()) {
    std::vector<std::string> found;
    for (const auto& h : spec["headers"])
      if (std::find(table.header.begin(), table.header.end(), h.get<std::string>()) != table.header.end())
        found.push_back(h);
    if (found.size() > 1)
      throw_bad_input(fmt::format("{} line {}: columns \"{}\" and \"{}\" both give field {}; keep one",
                                  file, table.header_line, found[0], found[1], name));
  }
}

// The event type a row's type cell (or --type) names: the schema's name, or a Chinese one of
// the layout's type_values.
std::string event_type(const std::string& cell, const std::string& field) {
  const auto& map = layout();
  if (map["events"].contains(cell)) return cell;
  return translate_value(cell, map["type_values"], field);
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
  std::optional<std::string> given_type;
  if (default_type) {
    try {
      given_type = event_type(trim_cell(*default_type), "type");
    } catch (const Error&) {
      throw_bad_input(fmt::format("--type {}: not an event type CSV import knows; use one of {}", *default_type,
                                  accepted_values(map["type_values"])));
    }
  }

  check_headers(table, file);
  check_one_column_per_field(map["common"], table, file);
  for (const auto& [type, fields] : map["events"].items()) check_one_column_per_field(fields, table, file);
  if (table.rows.empty())
    throw_bad_input(fmt::format(
        "{}: no data rows; nothing recorded (only a header: was the right sheet exported?)", file));

  std::vector<PreparedEvent> events;
  for (const auto& row : table.rows) {
    std::string where = fmt::format("{} line {}", file, row.line);
    ColumnNames columns;
    if (type_col >= 0) columns.emplace_back("type", table.header[type_col]);
    try {
      std::vector<std::string> cell_of;  // the row's cells, trimmed
      for (const auto& f : row.fields) cell_of.push_back(trim_cell(f));
      std::string type = type_col >= 0 && !cell_of[type_col].empty() ? event_type(cell_of[type_col], "type")
                                                                      : given_type.value_or("");
      if (type.empty()) throw_bad_input("field type: empty; write the event type, or import with --type");
      const auto& fields = map["events"][type];
      const auto& allowed =
          embedded_schema_json(fmt::format("events/{}.schema.json", type))["properties"];
      auto is_field = [&](const std::string& name, const nlohmann::ordered_json& spec) {
        return spec.value("kind", "") == "helper" || allowed.contains(split(name, '.').front());
      };
      // Cells by field name (helpers included), for kinds that combine columns.
      std::map<std::string, std::string> cells;
      std::vector<bool> used(table.header.size(), false);
      if (type_col >= 0) used[type_col] = true;
      for (const auto* group : {&map["common"], &fields})
        for (const auto& [name, spec] : group->items()) {
          if (!is_field(name, spec)) continue;  // e.g. party on master data
          int c = column_of(spec, table.header);
          columns.emplace_back(name, c >= 0 ? table.header[c] : spec["headers"][0].get<std::string>());
          if (c < 0) continue;
          used[c] = true;
          if (cell_of[c].empty()) continue;
          // The limit parse_event applies to JSON strings, before the schema's patterns
          // (std::regex overflows the stack on long strings).
          if (cell_of[c].size() > kMaxEventStringBytes)
            throw_bad_input(fmt::format("field {}: the cell is {} bytes long, over the limit of {} bytes; shorten it",
                                        name, cell_of[c].size(), kMaxEventStringBytes));
          // An items column's values apply to each item's result (convert_cell).
          bool translates = spec.contains("values") && spec.value("kind", "") != "items" &&
                            spec.value("kind", "") != "bases";
          cells[name] = translates ? translate_value(cell_of[c], spec["values"], name) : cell_of[c];
        }
      // A filled cell no field of this event type reads would be lost without a word.
      for (std::size_t c = 0; c < used.size(); ++c)
        if (!used[c] && !cell_of[c].empty())
          throw_bad_input(fmt::format(
              "column {} \"{}\": {} events have no such field, so its value \"{}\" would be lost; "
              "leave the cell empty, or check the row's event type",
              c + 1, table.header[c], type, cell_of[c]));
      nlohmann::json event = {{"type", type}};
      for (const auto* group : {&map["common"], &fields})
        for (const auto& [name, spec] : group->items()) {
          if (spec.value("kind", "") == "helper" || !is_field(name, spec)) continue;
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
      events.back().columns = std::move(columns);
    } catch (const Error& err) {
      if (err.kind() != ErrorKind::bad_input) throw;
      std::string msg = err.what();
      PreparedEvent bad;
      bad.where = where;
      bad.columns = std::move(columns);  // append names them in the message
      bad.error = msg.rfind(where, 0) == 0 ? msg : fmt::format("{}: {}", where, msg);
      events.push_back(std::move(bad));
    }
  }
  return events;
}

namespace {

// How the cell of field `name` (of `group`, an event type's layout) is written (the
// kinds of csv-columns.json's $comment).
std::string format_of(const std::string& name, const nlohmann::ordered_json& group) {
  const auto& spec = group[name];
  auto header = [&](const std::string& field) { return group[field]["headers"][0].get<std::string>(); };
  std::string kind = spec.value("kind", "text");
  if (kind == "items" && spec.contains("values"))
    return fmt::format("NAME=MEASURED|LIMIT|UNIT|RESULT (UNIT optional), separated by ;, RESULT one of {}",
                       accepted_values(spec["values"]));
  if (kind == "bases")
    return fmt::format("BASIS or BASIS=EVENT_ID|EVENT_ID (the inspections that support it), separated by ;, BASIS one "
                       "of {}",
                       accepted_values(spec["values"]));
  if (kind == "parents") return "ISSUER*NUMBER (the collected certificates), separated by ;";
  if (spec.contains("values") && kind != "helper") return "one of " + accepted_values(spec["values"]);
  if (kind == "text") return "text";
  if (kind == "decimal") return "a decimal number such as 1250.5 (no 1,250)";
  if (kind == "gtin") return "14 digits such as 06901234567892 (format the Excel column as text)";
  if (kind == "integer") return "whole number";
  if (kind == "boolean") return "是 or 否";
  if (kind == "time") return "2022-10-05T08:30:00+08:00 (2022-10-05 08:30 with --tz +08:00)";
  if (kind == "list") return "items separated by ; or ；";
  if (kind == "shipped_lots") return "LOT or LOT*QUANTITY*UNIT, separated by ;";
  if (kind == "lot_quantities")
    return fmt::format("LOT*QUANTITY or LOT*QUANTITY*GRADE, separated by ; (the unit in column {})",
                       header(spec["unit_field"]));
  if (kind == "readings") return "TIME=DEGREES_C, separated by ;";
  if (kind == "items") return "NAME=MEASURED|LIMIT|UNIT|RESULT (UNIT optional), separated by ;";
  if (kind == "helper") {
    std::vector<std::string> users;
    for (const auto& [other, o] : group.items())
      if (o.value("unit_field", "") == name || o.value("product_field", "") == name) users.push_back(header(other));
    std::string of = fmt::format("{} of column {}", spec["headers"][1].get<std::string>(), fmt::join(users, " and "));
    return spec.contains("values") ? of + ": one of " + accepted_values(spec["values"]) : of;
  }
  return kind;
}

}  // namespace

std::vector<std::string> csv_event_types() {
  std::vector<std::string> out;
  for (const auto& [type, fields] : layout()["events"].items()) out.push_back(type);
  return out;
}

std::vector<CsvColumn> csv_columns(const std::string& type) {
  const auto& map = layout();
  if (!map["events"].contains(type))
    throw_bad_input(fmt::format("TYPE {}: CSV import knows {}", type, fmt::join(csv_event_types(), ", ")));
  const auto& schema = embedded_schema_json(fmt::format("events/{}.schema.json", type));
  const auto& allowed = schema["properties"];
  auto required = [&](const std::string& field) {
    std::string top = split(field, '.').front();
    for (const auto& r : schema["required"])
      if (r == top) return true;
    return false;
  };
  const auto& fields = map["events"][type];
  std::string chinese_type;
  for (const auto& [word, value] : map["type_values"].items())
    if (value == type && chinese_type.empty()) chinese_type = word;
  std::vector<CsvColumn> out = {{map["type_column"][0], map["type_column"][1], "type",
                                 fmt::format("{} or {} (or import --type {})", chinese_type, type, type), true}};
  auto add = [&](const std::string& name, const nlohmann::ordered_json& spec, const nlohmann::ordered_json& group) {
    bool helper = spec.value("kind", "") == "helper";
    if (!helper && !allowed.contains(split(name, '.').front())) return;
    CsvColumn c{spec["headers"][0], spec["headers"][1], name, format_of(name, group), !helper && required(name)};
    // One column may serve two fields (单位: the loss's unit and the lots' unit).
    for (auto& seen : out)
      if (seen.header == c.header) {
        seen.field += ", " + c.field;
        if (!seen.format.ends_with(c.format)) seen.format += "; " + c.format;  // the same choices once
        seen.required = seen.required || c.required;
        return;
      }
    out.push_back(std::move(c));
  };
  const auto& common = map["common"];
  for (const auto& [name, spec] : map["common"].items())
    if (name != "note") add(name, spec, common);
  for (const auto& [name, spec] : map["events"][type].items()) add(name, spec, fields);
  if (map["common"].contains("note")) add("note", map["common"]["note"], common);  // remarks last, as sheets have them
  return out;
}

}  // namespace agtrace
