// Maps CSV rows to events through schemas/csv-columns.json.
#include "ledger/import/csv_import.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "ledger/csv/csv_reader.h"
#include "ledger/csv/text_decoding.h"
#include "ledger/event/correction.h"
#include "ledger/event/embedded_schemas.h"
#include "ledger/event/measured_value.h"
#include "ledger/event/schema_validator.h"
#include "ledger/i18n/refusal.h"
#include "ledger/import/clerk_values.h"
#include "ledger/time/timestamp.h"
#include "ledger/util/error.h"
#include "ledger/util/printable.h"
#include "ledger/util/similar.h"

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

// How a row's cells are read: the clerk's language, --tz, and what the row is.
// The problems of one row, each "field PATH: …" or "X 列「…」：…" in the clerk's language, so that
// every cell's problem is reported at once. refuse_if_any() throws them as one bad-input error:
// the first on the row's line, each further one on a line of its own, at most kMaxRowProblems
// (a row of wrong columns would otherwise fill the screen).
class RowProblems {
 public:
  static constexpr std::size_t kMaxRowProblems = 10;
  explicit RowProblems(i18n::Lang lang) : lang_(lang) {}
  void add(std::string problem) { problems_.push_back(std::move(problem)); }
  // A refusal caught while reading a cell; any other error is rethrown (call inside its catch).
  void add(const Error& err) {
    if (err.kind() != ErrorKind::bad_input) throw;
    problems_.push_back(i18n::message_in(err, lang_));
  }
  void refuse_if_any() const {
    if (problems_.empty()) return;
    const std::size_t listed = std::min(problems_.size(), kMaxRowProblems);
    std::string text = problems_.front();
    for (std::size_t i = 1; i < listed; ++i) text += "\n    " + problems_[i];
    if (problems_.size() > listed)
      text += "\n    " + i18n::text(lang_, i18n::Msg::row_more_problems, problems_.size() - listed);
    throw_bad_input(text);
  }

 private:
  i18n::Lang lang_;
  std::vector<std::string> problems_;
};

struct CellContext {
  i18n::Lang lang = i18n::Lang::en;
  const std::optional<std::string>* tz = nullptr;
  std::string type;          // the row's event type
  bool date_grain = false;   // a date alone may be its event_time
  std::function<std::string(const std::string&)> column;  // field → its column, for messages
};

std::string type_word(const std::string& type, i18n::Lang lang);

std::string with_tz(const std::string& cell, const CellContext& ctx, const std::string& field) {
  // A Chinese date with a time (2026年4月10日 08:00, 8时30分) is read as the same local time written 2026-04-10 08:00.
  const std::string text = clerk_date_time(cell, field, ctx.lang).value_or(cell);
  // The date part of a time (2026-02-30 08:00): a day that does not exist is said so, in the clerk's words.
  if (const auto end = text.find_first_of(" T", 4); end != std::string::npos) clerk_date(text.substr(0, end), field, ctx.lang);
  // Neither a time with or without its offset nor a Chinese date with a time (9/25/2026, 20261009,
  // 2026年10月9号, 下午3点, 10月9日): the forms that are read, in the clerk's language.
  if (!time::has_rfc3339_shape(text) && !time::is_local_date_time(text))
    throw_bad_input(fmt::format(
        "field {}: {}", field,
        i18n::text(ctx.lang, i18n::Msg::time_unreadable, cell,
                   ctx.date_grain && field == "event_time"
                       ? i18n::text(ctx.lang, i18n::Msg::time_date_only_allowed, type_word(ctx.type, ctx.lang))
                       : i18n::text(ctx.lang, i18n::Msg::time_date_only_elsewhere))));
  if (*ctx.tz) return time::apply_default_offset(text, **ctx.tz, "field " + field);
  if (time::is_local_date_time(text))
    throw_bad_input(fmt::format("field {}: {}", field,
                                i18n::text(ctx.lang, i18n::Msg::time_no_offset, cell,
                                           time::apply_default_offset(text, "+08:00", "field " + field))));
  return text;
}

// The word a clerk uses for event type `type` (采收 for harvest) in `lang`.
std::string type_word(const std::string& type, i18n::Lang lang) {
  if (lang == i18n::Lang::zh)
    for (const auto& [word, value] : layout()["type_values"].items())
      if (value == type) return word;
  return type;
}

// A time cell: an RFC 3339 time, an offset-less one with --tz, or a date alone where the
// event type's natural grain is a day.
std::string time_cell(const std::string& cell, const std::string& field, const CellContext& ctx) {
  check_not_excel_date(cell, field, ctx.lang);
  auto refuse = [&](const std::string& why) { throw_bad_input(fmt::format("field {}: {}", field, why)); };
  if (auto date = clerk_date(cell, field, ctx.lang)) {
    if (!ctx.date_grain || field != "event_time")
      refuse(i18n::text(ctx.lang, i18n::Msg::date_needs_time, cell, type_word(ctx.type, ctx.lang), *date + " 08:00"));
    if (!*ctx.tz) refuse(i18n::text(ctx.lang, i18n::Msg::date_no_tz, cell, *date + "T00:00:00+08:00"));
    return time::apply_default_offset(*date + "T00:00:00", **ctx.tz, "field " + field);
  }
  return with_tz(cell, ctx, field);
}

// An item of a list cell in the wrong form.
[[noreturn]] void bad_item(const std::string& field, const std::string& item, std::string_view form,
                           const CellContext& ctx) {
  throw_bad_input(fmt::format("field {}: {}", field, i18n::text(ctx.lang, i18n::Msg::cell_bad_item, item, form)));
}

// Converts one cell by its kind. `row` gives access to helper columns.
nlohmann::json convert_cell(const std::string& cell, const nlohmann::ordered_json& spec,
                            const std::string& field,
                            const std::map<std::string, std::string>& row, const CellContext& ctx) {
  std::string kind = spec.value("kind", "text");
  auto need = [&](const char* key) {
    std::string helper = spec[key];
    auto it = row.find(helper);
    if (it == row.end() || it->second.empty())
      throw_bad_input(fmt::format("field {}: {}", field,
                                  i18n::text(ctx.lang, i18n::Msg::cell_helper_empty, ctx.column(helper))));
    return it->second;
  };
  if (kind == "text") return cell;
  if (kind == "decimal") {
    // A number whose unit has a column of its own (quantity.value beside quantity.unit), or one
    // whose unit the header fixes (面积（亩）): a unit typed in the cell is answered accordingly.
    const std::string stem = field.ends_with(".value") ? field.substr(0, field.size() - 6) : "";
    const bool unit_column = !stem.empty() && layout()["events"].contains(ctx.type) &&
                             layout()["events"][ctx.type].contains(stem + ".unit");
    check_number(cell, field, ctx.lang,
                 unit_column ? std::nullopt
                             : std::optional(spec["headers"][ctx.lang == i18n::Lang::zh ? 0 : 1].get<std::string>()));
    return cell;
  }
  if (kind == "gtin") {
    check_gtin_as_text(cell, field, ctx.lang);
    return cell;
  }
  if (kind == "time") return time_cell(cell, field, ctx);
  if (kind == "date") {
    if (auto date = clerk_date(cell, field, ctx.lang)) return *date;
    throw_bad_input(fmt::format("field {}: {}", field, i18n::text(ctx.lang, i18n::Msg::date_invalid, cell)));
  }
  if (kind == "integer") {
    check_plain_number(cell, field, ctx.lang);
    if (cell.empty() || cell.size() > 9 || cell.find_first_not_of("0123456789") != std::string::npos)
      throw_bad_input(fmt::format("field {}: {}", field, i18n::text(ctx.lang, i18n::Msg::cell_not_whole, cell)));
    return std::stoll(cell);
  }
  if (kind == "boolean") {
    if (cell == "是" || cell == "true" || cell == "yes" || cell == "1") return true;
    if (cell == "否" || cell == "false" || cell == "no" || cell == "0") return false;
    throw_bad_input(fmt::format("field {}: {}", field, i18n::text(ctx.lang, i18n::Msg::cell_not_boolean, cell)));
  }
  if (kind == "list") return split_list(cell);
  nlohmann::json arr = nlohmann::json::array();
  for (const auto& item : split_list(cell)) {
    if (kind == "shipped_lots") {
      auto parts = split(item, '*');
      if (parts.size() == 1) {
        arr.push_back({{"lot", parts[0]}});
      } else if (parts.size() == 3) {
        // A lot list holds a count of boxes as often as a weight: 箱 and 件 are pieces here.
        check_number(parts[1], field, ctx.lang);
        arr.push_back({{"lot", parts[0]},
                       {"quantity",
                        {{"value", parts[1]}, {"unit", unit_code(trim_cell(parts[2]), false, field, ctx.lang, parts[1])}}}});
      } else {
        bad_item(field, item, "LOT or LOT*QUANTITY*UNIT (LC22-K-0001*200*箱)", ctx);
      }
    } else if (kind == "lot_quantities") {
      auto parts = split(item, '*');
      if (parts.size() != 2 && parts.size() != 3) bad_item(field, item, "LOT*QUANTITY or LOT*QUANTITY*GRADE", ctx);
      check_number(parts[1], field, ctx.lang);
      nlohmann::json o = {{"lot", parts[0]}, {"quantity", {{"value", parts[1]}, {"unit", need("unit_field")}}}};
      if (spec.contains("product_field")) {
        auto it = row.find(spec["product_field"].get<std::string>());
        if (it != row.end() && !it->second.empty()) o["product"] = it->second;
      }
      if (parts.size() == 3) o["grade"] = parts[2];
      arr.push_back(o);
    } else if (kind == "readings") {
      auto eq = item.rfind('=');
      if (eq == std::string::npos) bad_item(field, item, "TIME=DEGREES", ctx);
      arr.push_back({{"time", with_tz(item.substr(0, eq), ctx, field)}, {"value", item.substr(eq + 1)}});
    } else if (kind == "items") {
      auto eq = item.find('=');
      auto parts = eq == std::string::npos ? std::vector<std::string>{} : split(item.substr(eq + 1), '|');
      if (parts.size() < 3 || parts.size() > 4) bad_item(field, item, "NAME=MEASURED|LIMIT[|UNIT]|RESULT", ctx);
      std::string result = spec.contains("values") ? translate_value(parts.back(), spec["values"], field, ctx.lang)
                                                   : parts.back();
      // Values as labs write them (ledger/event/measured_value.h): 未检出 / ND, <0.01, 35%.
      constexpr std::string_view kForms =
          "NAME=MEASURED|LIMIT[|UNIT]|RESULT, MEASURED a number, 未检出 (ND), <0.01 or 35% (抑制率) — "
          "毒死蜱=未检出|0.02|mg/kg|合格";
      auto measured = parse_lab_value(parts[0]);
      auto limit = parse_lab_value(parts[1]);
      if (!measured || !limit || limit->qualifier || !limit->measured) bad_item(field, item, kForms, ctx);
      nlohmann::json o = {{"name", item.substr(0, eq)}, {"limit", *limit->measured}, {"result", result}};
      if (measured->measured) o["measured"] = *measured->measured;
      if (measured->qualifier) o["measured_qualifier"] = *measured->qualifier;
      const bool percent = measured->percent || limit->percent;
      if (parts.size() == 4) o["unit"] = parts[2];
      if (percent && parts.size() == 4 && parts[2] != "%" && parts[2] != "％") bad_item(field, item, kForms, ctx);
      if (percent) o["unit"] = "%";
      arr.push_back(o);
    } else if (kind == "bases") {
      // 承诺达标合格证 bases: BASIS or BASIS=EVENT_ID|EVENT_ID (the evidence entries).
      auto eq = item.find('=');
      std::string basis = item.substr(0, eq);
      if (spec.contains("values")) basis = translate_value(basis, spec["values"], field, ctx.lang);
      nlohmann::json o = {{"basis", basis}};
      if (eq != std::string::npos) {
        auto ids = split(item.substr(eq + 1), '|');
        for (const auto& id : ids)
          if (id.empty()) bad_item(field, item, "BASIS or BASIS=EVENT_ID|EVENT_ID", ctx);
        o["evidence"] = ids;
      }
      arr.push_back(o);
    } else if (kind == "parents") {
      auto parts = split(item, '*');
      if (parts.size() != 2 || parts[0].empty() || parts[1].empty()) bad_item(field, item, "ISSUER*NUMBER", ctx);
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

// Every header the layout knows, in layout order.
std::vector<std::string> known_headers() {
  std::vector<std::string> out;
  const auto& map = layout();
  auto add = [&](const nlohmann::ordered_json& names) {
    for (const auto& n : names)
      if (std::find(out.begin(), out.end(), n.get<std::string>()) == out.end()) out.push_back(n);
  };
  add(map["type_column"]);
  add(map["correction_column"]);
  for (const auto& [name, spec] : map["common"].items()) add(spec["headers"]);
  for (const auto& [type, fields] : map["events"].items())
    for (const auto& [name, spec] : fields.items()) add(spec["headers"]);
  return out;
}

bool is_known_header(const std::string& h) {
  static const std::vector<std::string> known = known_headers();
  return std::find(known.begin(), known.end(), h) != known.end();
}

// What to tell the clerk about header `h` the layout does not know, at column `ref`: the
// header it stands for by meaning (header_synonyms), "not needed", the nearest by spelling,
// or just that it is unknown.
std::string unknown_header(const std::string& h, const std::string& ref, i18n::Lang lang) {
  static const std::vector<std::string> known = known_headers();
  const auto& synonyms = layout()["header_synonyms"];
  if (auto it = synonyms.find(h); it != synonyms.end()) {
    std::string means = *it;
    return means.empty() ? i18n::text(lang, i18n::Msg::header_not_needed, ref)
                         : i18n::text(lang, i18n::Msg::header_did_you_mean, ref, means);
  }
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
  return nearest ? i18n::text(lang, i18n::Msg::header_did_you_mean, ref, *nearest)
                 : i18n::text(lang, i18n::Msg::header_unknown, ref);
}

// Every problem of the header record `header` (names trimmed), at once: unknown, empty and
// repeated names, and two columns for one field (say 数量 and quantity: one would be ignored).
std::vector<std::string> header_problems(const std::vector<std::string>& header, i18n::Lang lang) {
  auto ref = [&](std::size_t c) {
    return i18n::text(lang, i18n::Msg::column_ref, excel_column(c), escape_controls(header[c]));
  };
  std::vector<std::string> out;
  for (std::size_t c = 0; c < header.size(); ++c) {
    const std::string& h = header[c];
    auto earlier = std::find(header.begin(), header.begin() + static_cast<std::ptrdiff_t>(c), h);
    if (h.empty())
      out.push_back(i18n::text(lang, i18n::Msg::header_empty,
                               lang == i18n::Lang::zh ? excel_column(c) + " 列" : "column " + excel_column(c)));
    else if (earlier != header.begin() + static_cast<std::ptrdiff_t>(c))
      out.push_back(i18n::text(lang, i18n::Msg::header_repeated, ref(c), ref(static_cast<std::size_t>(earlier - header.begin()))));
    else if (!is_known_header(h))
      out.push_back(unknown_header(h, ref(c), lang));
  }
  const auto& map = layout();
  std::set<std::string> reported;  // a pair of columns once, though several types share the field
  auto two_for_one = [&](const nlohmann::ordered_json& group) {
    for (const auto& [name, spec] : group.items()) {
      std::vector<std::size_t> found;
      for (const auto& h : spec["headers"])
        for (std::size_t c = 0; c < header.size(); ++c)
          if (header[c] == h.get<std::string>()) found.push_back(c);
      // Two columns of one name are reported as repeated above.
      if (found.size() > 1 && header[found[0]] != header[found[1]] &&
          reported.insert(header[found[0]] + "\n" + header[found[1]]).second)
        out.push_back(i18n::text(lang, i18n::Msg::header_two_for_one, ref(found[0]), ref(found[1]), name));
    }
  };
  two_for_one(map["common"]);
  for (const auto& [type, fields] : map["events"].items()) two_for_one(fields);
  return out;
}

// The event type a row's type cell (or --type) names: the schema's name, or a Chinese one of
// the layout's type_values.
std::string event_type(const std::string& cell, const std::string& field, i18n::Lang lang) {
  const auto& map = layout();
  if (map["events"].contains(cell)) return cell;
  return translate_value(cell, map["type_values"], field, lang);
}

// Whether the column `spec` holds a unit (its values are the unit words).
bool is_unit_column(const nlohmann::ordered_json& spec) {
  if (!spec.contains("values")) return false;
  for (const auto& [word, value] : spec["values"].items())
    if (value == "KGM") return true;
  return false;
}

// The kinds whose cells are numbers, dates or lot lists with quantities: full-width digits
// in them are read as plain digits.
bool has_numbers(const std::string& kind) {
  return kind == "decimal" || kind == "integer" || kind == "time" || kind == "date" || kind == "shipped_lots" ||
         kind == "lot_quantities" || kind == "readings";
}

// Whether the field `name` of kind `kind` holds lot ids: a lot column (批次, 种植批次, 投入批次) or a
// list of lots, with or without quantities.
bool holds_lot_ids(const std::string& name, const std::string& kind) {
  return name == "lot" || name == "from_lot" || name == "input_lot" || kind == "list" || kind == "lot_quantities" ||
         kind == "shipped_lots";
}

// Refuses a lot id in `cell` (a lot column, or each LOT[*QTY…] item of a list) that holds spaces a
// reader cannot see: a full-width or no-break space, or two spaces in a row (one plain space
// between words is a name like 张家河钢葱 第1批, DESIGN §4). Names the id as it should be written.
void check_lot_spaces(const std::string& cell, const std::string& name, const std::string& kind, i18n::Lang lang) {
  constexpr std::string_view kIdeographic = "\xE3\x80\x80", kNbsp = "\xC2\xA0";
  const bool list = name != "lot" && name != "from_lot" && name != "input_lot";
  for (std::string lot : list ? split_list(cell) : std::vector<std::string>{cell}) {
    if (kind != "list") lot = lot.substr(0, lot.find('*'));
    std::optional<i18n::Msg> what;
    if (lot.find(kIdeographic) != std::string::npos) what = i18n::Msg::lot_id_ideographic_space;
    else if (lot.find(kNbsp) != std::string::npos) what = i18n::Msg::lot_id_nbsp;
    else if (lot.find("  ") != std::string::npos) what = i18n::Msg::lot_id_double_space;
    if (!what) continue;
    std::string plain;  // every run of spaces as one plain space
    for (std::size_t i = 0; i < lot.size();) {
      std::size_t n = lot[i] == ' ' ? 1 : lot.compare(i, 3, kIdeographic) == 0 ? 3 : lot.compare(i, 2, kNbsp) == 0 ? 2 : 0;
      if (n == 0) {
        plain += lot[i++];
        continue;
      }
      if (!plain.empty() && plain.back() != ' ') plain += ' ';
      i += n;
    }
    while (!plain.empty() && plain.back() == ' ') plain.pop_back();
    throw_bad_input(fmt::format("field {}: {}", name, i18n::text(lang, i18n::Msg::lot_id_odd_spaces, i18n::text(lang, *what), plain)));
  }
}

// The non-empty cells of a record, trimmed.
std::size_t filled_cells(const csv::Row& r) {
  return static_cast<std::size_t>(
      std::count_if(r.fields.begin(), r.fields.end(), [](const std::string& f) { return !trim_cell(f).empty(); }));
}

// Whether the first two non-empty records (the header, or a title row and the header) hold Chinese.
bool first_records_chinese(const std::vector<csv::Row>& records) {
  bool chinese = false;
  for (std::size_t i = 0; i < records.size() && i < 2; ++i)
    for (const auto& f : records[i].fields) chinese = chinese || i18n::has_chinese(f);
  return chinese;
}

}  // namespace

bool csv_headers_chinese(std::string_view bytes, std::string_view encoding) {
  std::string text;
  try {
    text = csv::decode_to_utf8(bytes, encoding, "");
  } catch (const Error&) {
    return false;
  }
  try {
    auto records = csv::parse_csv(text, "");
    std::erase_if(records, [](const csv::Row& r) { return filled_cells(r) == 0; });
    return first_records_chinese(records);
  } catch (const Error&) {
    return i18n::has_chinese(text.substr(0, text.find('\n')));
  }
}

CsvImport import_csv(std::string_view bytes, std::string_view file, const CsvImportOptions& options) {
  std::string text = csv::decode_to_utf8(bytes, options.encoding, file);
  const auto& map = layout();
  CsvImport out;

  // The header (and a title row above it), judged before the table is taken apart.
  std::vector<csv::Row> records;
  try {
    records = csv::parse_csv(text, file);
  } catch (const i18n::Refusal& r) {
    // A file that cannot be taken apart ('"' inside an unquoted cell): in Chinese when its first
    // line (the headers) holds Chinese, as every other refusal of the file.
    const i18n::Lang lang = i18n::choose_lang(options.lang, i18n::has_chinese(text.substr(0, text.find('\n'))));
    throw CsvRefused(r.text(lang), lang);
  }
  std::erase_if(records, [](const csv::Row& r) { return filled_cells(r) == 0; });
  const i18n::Lang lang = out.lang = i18n::choose_lang(options.lang, first_records_chinese(records));
  if (records.size() >= 2 && filled_cells(records[0]) == 1 && filled_cells(records[1]) >= 2) {
    std::string title;
    for (const auto& f : records[0].fields)
      if (!trim_cell(f).empty()) title = trim_cell(f);
    if (!is_known_header(title))
      throw CsvRefused(i18n::text(lang, i18n::Msg::title_row, file, records[0].row, title), lang);
  }
  if (!records.empty()) {
    std::vector<std::string> header;
    for (const auto& f : records[0].fields) header.push_back(trim_cell(f));
    auto problems = header_problems(header, lang);
    if (!problems.empty())
      throw CsvRefused(fmt::format("{}\n  {}",
                                   i18n::text(lang, i18n::Msg::header_problems, file, records[0].row, problems.size()),
                                   fmt::join(problems, "\n  ")),
                       lang);
    // A row with more or fewer cells than the header (parse_table would refuse it in English):
    // every such row at once, by the row number Excel shows.
    std::vector<std::string> uneven;
    for (std::size_t i = 1; i < records.size(); ++i)
      if (records[i].fields.size() != header.size())
        uneven.push_back(i18n::text(lang,
                                    records[i].fields.size() > header.size() && csv::has_split_number(records[i])
                                        ? i18n::Msg::row_field_count_split
                                        : i18n::Msg::row_field_count,
                                    i18n::text(lang, i18n::Msg::where_line, file, records[i].row),
                                    records[i].fields.size(), header.size()));
    if (!uneven.empty())
      throw CsvRefused(fmt::format("{}\n  {}", i18n::text(lang, i18n::Msg::rows_field_count, file, uneven.size()),
                                   fmt::join(uneven, "\n  ")),
                       lang);
  }
  csv::Table table = csv::parse_table(text, file);

  int type_col = column_of({{"headers", map["type_column"]}}, table.header);
  if (type_col < 0 && !options.default_type) throw CsvRefused(i18n::text(lang, i18n::Msg::no_type_column, file), lang);
  std::optional<std::string> given_type;
  if (options.default_type) {
    try {
      given_type = event_type(trim_cell(*options.default_type), "type", lang);
    } catch (const Error&) {
      throw CsvRefused(i18n::text(lang, i18n::Msg::type_option_unknown, *options.default_type,
                                  accepted_values(map["type_values"])),
                       lang);
    }
  }
  if (table.rows.empty()) throw CsvRefused(i18n::text(lang, i18n::Msg::no_data_rows, file), lang);
  // A column every row of a type must fill, missing from the header: said once, as a header
  // problem, rather than once per row (a row's event is built from its cells alone, so no row
  // of that type could be recorded).
  {
    std::set<std::string> types;
    if (given_type) types.insert(*given_type);
    for (const auto& row : table.rows) {
      if (type_col < 0 || static_cast<std::size_t>(type_col) >= row.fields.size()) continue;
      const std::string cell = trim_cell(row.fields[static_cast<std::size_t>(type_col)]);
      if (cell.empty()) continue;
      try {
        types.insert(event_type(cell, "type", lang));
      } catch (const Error&) {
        // an unknown type is refused on its own row
      }
    }
    std::vector<std::string> missing;
    std::set<std::string> said;
    for (const auto& type : types)
      for (const auto& c : csv_columns(type, lang)) {
        if (!c.required || c.field == "type") continue;
        if (std::find(table.header.begin(), table.header.end(), c.header) != table.header.end() ||
            std::find(table.header.begin(), table.header.end(), c.english) != table.header.end())
          continue;
        if (!said.insert(c.header).second) continue;
        missing.push_back(i18n::text(lang, i18n::Msg::header_missing_required, lang == i18n::Lang::zh ? c.header : c.english,
                                     type_word(type, lang), c.field));
      }
    if (!missing.empty())
      throw CsvRefused(fmt::format("{}\n  {}",
                                   i18n::text(lang, i18n::Msg::header_problems, file, table.header_row, missing.size()),
                                   fmt::join(missing, "\n  ")),
                       lang);
  }

  auto ref = [&](int c) {
    return i18n::text(lang, i18n::Msg::column_ref, excel_column(static_cast<std::size_t>(c)), table.header[c]);
  };
  const int id_col = column_of(map["common"]["event_id"], table.header);
  // 更正原因: a filled cell makes the row a correction of the event recorded with its event_id.
  const int correction_col = column_of({{"headers", map["correction_column"]}}, table.header);
  // Rows by the number Excel shows (csv::Row::row), not the file's line: a cell typed with
  // Alt+Enter spans lines of the file but is one row.
  std::map<std::string, std::size_t> row_lines;  // a row's cells → its first row
  std::map<std::string, std::size_t> id_lines;   // an event_id → its first row
  std::set<std::size_t> full_width;
  std::vector<std::string> full_width_cells;
  for (const auto& row : table.rows) {
    std::string where = i18n::text(lang, i18n::Msg::where_line, file, row.row);
    ColumnNames columns;
    if (type_col >= 0) columns.emplace_back("type", ref(type_col));
    try {
      std::vector<std::string> cell_of;  // the row's cells, trimmed
      for (const auto& f : row.fields) cell_of.push_back(trim_cell(f));
      // Every cell's problem is reported at once (a bad date is not hidden behind a control
      // character in another cell): each is noted, and the row is refused after its last cell.
      RowProblems problems(lang);
      std::set<std::size_t> bad_cells;
      // A control character (a line break typed with Alt+Enter, a tab, an ESC) would be printed
      // by show and log; none is recorded.
      for (std::size_t c = 0; c < cell_of.size(); ++c)
        if (has_control_chars(cell_of[c])) {
          problems.add(fmt::format("{}{}{}", ref(static_cast<int>(c)), lang == i18n::Lang::zh ? "：" : ": ",
                                   i18n::text(lang, i18n::Msg::cell_control_chars, escape_controls(cell_of[c]))));
          bad_cells.insert(c);
        }
      // A row pasted twice (a new row that kept an earlier row's event_id is refused below,
      // once its columns are named).
      std::string key = fmt::format("{}", fmt::join(cell_of, "\x1f"));
      if (auto [it, fresh] = row_lines.emplace(key, row.row); !fresh)
        throw_bad_input(i18n::text(lang, i18n::Msg::row_repeats, it->second));
      std::string type;
      try {
        type = type_col >= 0 && !cell_of[type_col].empty() ? event_type(cell_of[type_col], "type", lang)
                                                           : given_type.value_or("");
        if (type.empty()) throw_bad_input(i18n::text(lang, i18n::Msg::cell_type_empty));
      } catch (const Error& err) {
        problems.add(err);  // no other cell can be read without the row's type
        problems.refuse_if_any();
      }
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
      const bool corrects = type != "correction" && correction_col >= 0 && !cell_of[correction_col].empty();
      if (type != "correction" && correction_col >= 0) used[correction_col] = true;
      // The number a unit column goes with: the X.value cell beside X.unit, in half-width digits.
      auto amount_of = [&](const std::string& unit_field, const nlohmann::ordered_json& group) -> std::optional<std::string> {
        if (!unit_field.ends_with(".unit")) return std::nullopt;
        const std::string value_field = unit_field.substr(0, unit_field.size() - 5) + ".value";
        const int c = group.contains(value_field) ? column_of(group[value_field], table.header) : -1;
        if (c < 0) return std::nullopt;
        bool changed = false;
        return ascii_digits(cell_of[c], changed);
      };
      for (const auto* group : {&map["common"], &fields})
        for (const auto& [name, spec] : group->items()) {
          if (!is_field(name, spec)) continue;  // e.g. party on master data
          int c = column_of(spec, table.header);
          columns.emplace_back(name, c >= 0 ? ref(c)
                                            : i18n::text(lang, i18n::Msg::column_absent,
                                                         spec["headers"][lang == i18n::Lang::zh ? 0 : 1].get<std::string>()));
          if (c < 0) continue;
          used[c] = true;
          if (cell_of[c].empty() || bad_cells.count(static_cast<std::size_t>(c))) continue;
          try {
            // The limit parse_event applies to JSON strings, before the schema's patterns
            // (std::regex overflows the stack on long strings).
            if (cell_of[c].size() > kMaxEventStringBytes)
              throw_bad_input(fmt::format("field {}: {}", name, i18n::text(lang, i18n::Msg::cell_too_long,
                                                                           cell_of[c].size(), kMaxEventStringBytes)));
            std::string kind = spec.value("kind", "text");
            if (holds_lot_ids(name, kind)) check_lot_spaces(cell_of[c], name, kind, lang);
            std::string cell = cell_of[c];
            if (has_numbers(kind) || is_unit_column(spec)) {
              bool changed = false;
              cell = ascii_digits(cell, changed, is_unit_column(spec));  // ｋｇ in a unit cell
              if (changed) {
                full_width.insert(row.row);
                // The cell as the clerk sees it: row, Excel letter and header, the value as typed.
                full_width_cells.push_back(fmt::format(fmt::runtime(lang == i18n::Lang::zh ? "{} {}「{}」" : "{}, {} (\"{}\")"),
                                                       where, ref(c), cell_of[c]));
              }
            }
            // An items column's values apply to each item's result (convert_cell).
            if (is_unit_column(spec))
              cell = unit_code(cell, name.ends_with("pack_size.unit"), name, lang, amount_of(name, *group));
            else if (spec.contains("values") && kind != "items" && kind != "bases")
              cell = translate_value(cell, spec["values"], name, lang);
            cells[name] = cell;
          } catch (const Error& err) {
            problems.add(err);
          }
        }
      if (id_col >= 0 && !cell_of[id_col].empty())
        if (auto [it, fresh] = id_lines.emplace(cell_of[id_col], row.row); !fresh)
          problems.add(fmt::format("field event_id: {}", i18n::text(lang, i18n::Msg::event_id_reused,
                                                                    cell_of[id_col], it->second)));
      // A filled cell no field of this event type reads would be lost without a word.
      for (std::size_t c = 0; c < used.size(); ++c)
        if (!used[c] && !cell_of[c].empty())
          problems.add(fmt::format("{}{}{}", ref(static_cast<int>(c)), lang == i18n::Lang::zh ? "：" : ": ",
                                   i18n::text(lang, i18n::Msg::cell_no_field, type_word(type, lang), cell_of[c])));
      CellContext ctx{lang, &options.default_tz, type, false, {}};
      for (const auto& t : map["date_grain_types"]) ctx.date_grain = ctx.date_grain || t == type;
      ctx.column = [&](const std::string& field) {
        for (const auto& [f, name] : columns)
          if (f == field) return name;
        return field;
      };
      nlohmann::json event = {{"type", type}};
      for (const auto* group : {&map["common"], &fields})
        for (const auto& [name, spec] : group->items()) {
          if (spec.value("kind", "") == "helper" || !is_field(name, spec)) continue;
          auto it = cells.find(name);
          if (it == cells.end()) continue;
          try {
            set_path(event, name, convert_cell(it->second, spec, name, cells, ctx));
          } catch (const Error& err) {
            problems.add(err);
          }
        }
      problems.refuse_if_any();
      // A unit column shared by several quantities (e.g. the loss's) says nothing on its
      // own: drop {"unit": ...} objects whose value cell was left empty.
      for (auto it = event.begin(); it != event.end();) {
        if (it->is_object() && it->size() == 1 && it->contains("unit"))
          it = event.erase(it);
        else
          ++it;
      }
      if (corrects) {
        // The row is the whole event as it should have been (docs/clerk-import.md "更正记录"):
        // a refusal of the replacement's field names the row's column.
        ColumnNames within;
        for (const auto& [field, name] : columns) within.emplace_back("replacement." + field, name);
        columns.insert(columns.end(), within.begin(), within.end());
        columns.emplace_back("reason", ref(correction_col));
        // The corrected event is the row's own event id; the replacement as a whole (e.g. a ledger
        // whose rules cannot take corrections yet, or a certificate, which is never corrected) is
        // what the 更正原因 cell asked for.
        if (id_col >= 0) columns.emplace_back("corrected_event_id", ref(id_col));
        columns.emplace_back("replacement", ref(correction_col));
        event = correction_event(event, cell_of[correction_col], time::now_unix_ms());
      }
      out.events.push_back(prepare_event(std::move(event), where));
      out.events.back().columns = std::move(columns);
      out.events.back().lang = lang;
    } catch (const Error& err) {
      if (err.kind() != ErrorKind::bad_input) throw;
      std::string msg = i18n::message_in(err, lang);  // a rule's or the schema's refusal, in the clerk's language
      PreparedEvent bad;
      bad.where = where;
      bad.columns = std::move(columns);  // append names them in the message
      bad.lang = lang;
      bad.error = msg.rfind(where, 0) == 0 ? msg : fmt::format("{}: {}", where, msg);
      out.events.push_back(std::move(bad));
    }
  }
  out.full_width_lines.assign(full_width.begin(), full_width.end());
  out.full_width_cells = std::move(full_width_cells);
  return out;
}

std::vector<PreparedEvent> events_from_csv(std::string_view bytes, std::string_view file,
                            std::string_view encoding,
                            const std::optional<std::string>& default_tz,
                            const std::optional<std::string>& default_type) {
  CsvImportOptions options{std::string(encoding), default_tz, default_type, std::nullopt};
  return import_csv(bytes, file, options).events;
}

namespace {

// How the cell of field `name` (of `group`, an event type's layout) is written (the
// kinds of csv-columns.json's $comment), in `lang`.
std::string format_of(const std::string& name, const nlohmann::ordered_json& group, i18n::Lang lang) {
  using i18n::Msg;
  const auto& spec = group[name];
  auto header = [&](const std::string& field) { return group[field]["headers"][0].get<std::string>(); };
  auto say = [&](Msg id, const auto&... args) { return i18n::text(lang, id, args...); };
  std::string kind = spec.value("kind", "text");
  if (kind == "items" && spec.contains("values")) return say(Msg::format_items_values, accepted_values(spec["values"]));
  if (kind == "bases") return say(Msg::format_bases, accepted_values(spec["values"]));
  if (kind == "parents") return say(Msg::format_parents);
  if (is_unit_column(spec) && kind != "helper")
    return name.ends_with("pack_size.unit") ? say(Msg::format_pack_unit, accepted_units(lang, true))
                                            : say(Msg::format_unit, accepted_units(lang));
  if (spec.contains("values") && kind != "helper") return say(Msg::format_values, accepted_values(spec["values"]));
  if (kind == "text") return say(Msg::format_text);
  if (kind == "decimal") return say(Msg::format_decimal);
  if (kind == "gtin") return say(Msg::format_gtin);
  if (kind == "integer") return say(Msg::format_integer);
  if (kind == "boolean") return say(Msg::format_boolean);
  if (kind == "time") return say(Msg::format_time);
  if (kind == "date") return say(Msg::format_date);
  if (kind == "list") return say(Msg::format_list);
  if (kind == "shipped_lots") return say(Msg::format_shipped_lots);
  if (kind == "lot_quantities") return say(Msg::format_lot_quantities, header(spec["unit_field"]));
  if (kind == "readings") return say(Msg::format_readings);
  if (kind == "items") return say(Msg::format_items);
  if (kind == "helper") {
    std::vector<std::string> users;
    for (const auto& [other, o] : group.items())
      if (o.value("unit_field", "") == name || o.value("product_field", "") == name) users.push_back(header(other));
    std::string of = say(Msg::format_helper, spec["headers"][lang == i18n::Lang::zh ? 0 : 1].get<std::string>(),
                         fmt::format("{}", fmt::join(users, lang == i18n::Lang::zh ? "」和「" : " and ")));
    if (is_unit_column(spec)) return say(Msg::format_helper_values, of, accepted_units(lang));
    return spec.contains("values") ? say(Msg::format_helper_values, of, accepted_values(spec["values"])) : of;
  }
  return kind;
}

}  // namespace

std::vector<std::string> csv_event_types() {
  std::vector<std::string> out;
  for (const auto& [type, fields] : layout()["events"].items()) out.push_back(type);
  return out;
}

std::string csv_type_word(const std::string& type, i18n::Lang lang) { return type_word(type, lang); }

std::string csv_event_type(const std::string& word) {
  const auto& map = layout();
  if (map["events"].contains(word)) return word;
  for (const auto& [w, type] : map["type_values"].items())
    if (w == word && map["events"].contains(type.get<std::string>())) return type;
  std::vector<std::string> zh, en;
  for (const auto& type : csv_event_types()) {
    en.push_back(type);
    zh.push_back(fmt::format("{} ({})", type_word(type, i18n::Lang::zh), type));
  }
  i18n::refuse("", i18n::Msg::columns_type_unknown, word,
               i18n::Words{fmt::format("{}", fmt::join(zh, "、")), fmt::format("{}", fmt::join(en, ", "))});
}

std::vector<CsvColumn> csv_columns(const std::string& word, i18n::Lang lang) {
  const auto& map = layout();
  const std::string type = csv_event_type(word);
  const auto& schema = embedded_schema_json(fmt::format("events/{}.schema.json", type));
  const auto& allowed = schema["properties"];
  // Required as the schema has it: the top-level name in its "required", and a member of an
  // object (brand.enterprise) in that object's own "required" too (brand needs only regional).
  auto required = [&](const std::string& field) {
    const auto path = split(field, '.');
    auto listed = [](const nlohmann::json& object, const std::string& name) {
      if (!object.contains("required")) return false;
      for (const auto& r : object["required"])
        if (r == name) return true;
      return false;
    };
    if (!listed(schema, path.front())) return false;
    if (path.size() < 2 || !allowed.contains(path.front())) return true;
    const auto& object = allowed[path.front()];
    return !object.contains("properties") || listed(object, path[1]);
  };
  const auto& fields = map["events"][type];
  std::string chinese_type;
  for (const auto& [word, value] : map["type_values"].items())
    if (value == type && chinese_type.empty()) chinese_type = word;
  std::vector<CsvColumn> out = {{map["type_column"][0], map["type_column"][1], "type",
                                 lang == i18n::Lang::zh
                                     ? fmt::format("{} 或 {}（或导入时加 --type {}）", chinese_type, type, chinese_type)
                                     : fmt::format("{} or {} (or import --type {})", chinese_type, type, type),
                                 true}};
  auto add = [&](const std::string& name, const nlohmann::ordered_json& spec, const nlohmann::ordered_json& group) {
    bool helper = spec.value("kind", "") == "helper";
    if (!helper && !allowed.contains(split(name, '.').front())) return;
    CsvColumn c{spec["headers"][0], spec["headers"][1], name, format_of(name, group, lang), !helper && required(name)};
    // One column may serve two fields (单位: the loss's unit and the lots' unit).
    for (auto& seen : out)
      if (seen.header == c.header) {
        seen.field += ", " + c.field;
        // The same choices once: "「投入批次」…列的单位：千克…之一" then "千克…之一；斤要换算" reads as
        // "「投入批次」…列的单位：千克…之一；斤要换算".
        std::size_t overlap = 0;
        for (std::size_t k = std::min(seen.format.size(), c.format.size()); k >= 10 && !overlap; --k)
          if (seen.format.ends_with(std::string_view(c.format).substr(0, k))) overlap = k;
        if (overlap) seen.format += c.format.substr(overlap);
        else if (!seen.format.ends_with(c.format)) seen.format += "; " + c.format;
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
