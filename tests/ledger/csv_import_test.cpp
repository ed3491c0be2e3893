// CSV import as clerks' Excel writes it.
//
// Claims checked:
//   Issue 2, "CLI": "CSV import takes its columns from `schemas/csv-columns.json` (Chinese and
//   English headers per event type), handles a UTF-8 BOM, CRLF, quoted commas and newlines,
//   and GB18030 files from Chinese Excel when `--encoding gb18030` is given; times without an
//   offset need `--tz +08:00`."
//   DESIGN §8: "CSV import reads its column layout from one mapping file,
//   `schemas/csv-columns.json` (Chinese and English headers → event fields, per event type)".
//   DESIGN §2: event_time "RFC 3339 with an explicit UTC offset; a time without offset is
//   rejected; `-00:00` is kept as written".
//
// The headers are taken from schemas/csv-columns.json itself, so the test follows the file
// the importer reads; the recorded events are read back with `show N --json`.
#include <doctest/doctest.h>

#include <set>

#include "tests/support/ledger_fixture.h"

namespace at = agtrace::testing;

namespace {

const nlohmann::json& columns() {
  static const nlohmann::json j =
      nlohmann::json::parse(at::read_file(std::string(AGTRACE_SOURCE_DIR) + "/schemas/csv-columns.json"));
  return j;
}

// The header of `field` of event `type` in csv-columns.json: `which` 0 is the Chinese one,
// 1 the English one.
std::string header(const std::string& type, const std::string& field, int which = 0) {
  const auto& c = columns();
  if (field == "type") return c["type_column"][which];
  const auto& spec = c["events"][type].contains(field) ? c["events"][type][field] : c["common"][field];
  REQUIRE_MESSAGE(spec.is_object(), "csv-columns.json has no field " << field << " for " << type);
  return spec["headers"][which];
}

// A CSV line: fields joined by commas, CRLF at the end (fields are given already quoted
// where they need it).
std::string line(const std::vector<std::string>& fields) {
  std::string s;
  for (const auto& f : fields) s += (s.empty() ? "" : ",") + f;
  return s + "\r\n";
}

// Planting rows: the columns of a planting, in the file's language.
std::string planting_header(int which) {
  return line({header("planting", "type", which), header("planting", "event_id", which),
               header("planting", "event_time", which), header("planting", "party", which),
               header("planting", "location", which), header("planting", "lot", which),
               header("planting", "product", which), header("planting", "area_mu", which),
               header("planting", "note", which)});
}

// Harvest rows: the columns of a harvest in Chinese, then `extra` headers.
std::string harvest_header(const std::vector<std::string>& extra = {}) {
  std::vector<std::string> h = {header("harvest", "type"),           header("harvest", "event_id"),
                                header("harvest", "event_time"),     header("harvest", "party"),
                                header("harvest", "location"),       header("harvest", "lot"),
                                header("harvest", "from_lot"),       header("harvest", "quantity.value"),
                                header("harvest", "quantity.unit")};
  h.insert(h.end(), extra.begin(), extra.end());
  return line(h);
}

std::string planting_row(const std::string& id, const std::string& time, const std::string& lot,
                         const std::string& note) {
  return line({"planting", id, time, at::kParty, at::kPlot, lot, at::kProduct, "2.5", note});
}

// `import --format csv` with the messages in English (--lang en: Chinese headers would
// otherwise choose Chinese; clerk_zh_test checks the Chinese ones).
at::ProcessResult import(const at::TestLedger& L, const std::filesystem::path& file,
                         std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"import", "--lang", "en", "--key", L.clerk_key().string(), "--format", "csv"};
  args.insert(args.end(), extra.begin(), extra.end());
  args.push_back(file.string());
  return L.cli(args);
}

// The event of the entry whose event_id is `id`.
nlohmann::json event_by_id(const at::TestLedger& L, const std::string& id) {
  for (const auto& row : L.log())
    if (row["event_id"] == id) {
      auto shown = nlohmann::json::parse(L.must({"show", std::to_string(row["index"].get<int>()), "--json"}));
      return shown["entry"]["event"];
    }
  FAIL("no entry with event_id " << id);
  return {};
}

// How an English message names a column: by its Excel letter and header.
std::string col(const std::string& letter, const std::string& header) {
  return "column " + letter + " \"" + header + "\"";
}

std::string gb18030(const std::string& utf8) {
  at::RunOptions o;
  o.stdin_data = utf8;
  auto r = at::run({"iconv", "-f", "UTF-8", "-t", "GB18030"}, o);
  REQUIRE_MESSAGE(r.exited_with(0), r.describe());
  return r.out;
}

}  // namespace

TEST_CASE("Chinese headers, UTF-8 BOM, CRLF, quoted commas and quotes") {
  at::TestLedger L;
  auto csv = L.dir() / "种植记录.csv";
  const std::string bom = "\xEF\xBB\xBF";
  std::string text = bom + planting_header(0) +
                     planting_row("csv-1", "2024-03-02T08:00:00+08:00", "葱-2024-东1", "\"东地, 北块\"") +
                     planting_row("csv-2", "2024-03-02T09:00:00+08:00", "葱-2024-东2", "\"他说\"\"好\"\"\"") +
                     planting_row("csv-3", "2024-03-02T10:00:00-00:00", "葱 2024 东3", "");
  at::write_file(csv, text);
  auto r = import(L, csv, {"--log-key", L.log_key().string()});
  INFO(r.describe());
  REQUIRE(r.exited_with(0));

  auto e1 = event_by_id(L, "csv-1");
  CHECK(e1["type"] == "planting");
  CHECK(e1["lot"] == "葱-2024-东1");
  CHECK(e1["note"] == "东地, 北块");  // a line break in a cell is refused (a control character: clerk_trial16f_test)
  CHECK(e1["area_mu"] == "2.5");
  CHECK(e1["party"] == at::kParty);
  CHECK(e1["event_time"] == "2024-03-02T08:00:00+08:00");
  CHECK(event_by_id(L, "csv-2")["note"] == "他说\"好\"");
  auto e3 = event_by_id(L, "csv-3");
  CHECK(e3["lot"] == "葱 2024 东3");
  CHECK_FALSE(e3.contains("note"));               // an empty cell is an absent field
  CHECK(e3["event_time"] == "2024-03-02T10:00:00-00:00");  // kept as written
  // The lots exist under their Chinese names.
  CHECK(L.cli({"show", "lot", "葱-2024-东1"}).exited_with(0));
  CHECK(L.cli({"verify"}).exited_with(0));
}

TEST_CASE("English headers from the same mapping, LF line ends, no BOM") {
  at::TestLedger L;
  auto csv = L.dir() / "plantings.csv";
  std::string text = planting_header(1) + planting_row("en-1", "2024-03-02T08:00:00+08:00", "PL-EN-1", "plain");
  for (auto p = text.find("\r\n"); p != std::string::npos; p = text.find("\r\n", p)) text.erase(p, 1);
  at::write_file(csv, text);
  auto r = import(L, csv);
  INFO(r.describe());
  REQUIRE(r.exited_with(0));
  CHECK(event_by_id(L, "en-1")["lot"] == "PL-EN-1");
}

TEST_CASE("a row after a quoted newline is reported by the row number Excel shows") {
  at::TestLedger L;
  auto csv = L.dir() / "plantings.csv";
  std::string text = planting_header(0) +
                     planting_row("csv-1", "2024-03-02T08:00:00+08:00", "PL-1", "\"two\r\nlines\"") +
                     planting_row("csv-2", "2024-03-02T08:00:00+08:00", "PL-2", "ok") +
                     line({"planting", "csv-3", "2024-03-02T08:00:00+08:00", at::kParty, at::kPlot, "PL-3",
                           at::kProduct, "2.5.1", "bad area"});
  at::write_file(csv, text);
  auto before = L.snapshot();
  auto r = import(L, csv);
  INFO(r.describe());
  CHECK(r.exited_with(2));
  CHECK(r.err.find("plantings.csv line 4") != std::string::npos);  // header 1, csv-1 2 (lines 2–3), csv-2 3
  CHECK(r.err.find("plantings.csv line 5") == std::string::npos);
  CHECK(r.err.find("area_mu") != std::string::npos);
  CHECK(L.snapshot() == before);
}

TEST_CASE("a GB18030 file from Chinese Excel imports with --encoding gb18030") {
  at::TestLedger L;
  auto csv = L.dir() / "gb.csv";
  // 𠮷 (U+20BB7) is outside GBK: GB18030 encodes it in four bytes.
  std::string utf8 = planting_header(0) +
                     planting_row("gb-1", "2024-03-02T08:00:00+08:00", "葱-国标-1", "\"备注, 𠮷\"");
  std::string bytes = gb18030(utf8);
  REQUIRE(bytes != utf8);
  at::write_file(csv, bytes);

  auto before = L.snapshot();
  auto plain = import(L, csv);
  INFO(plain.describe());
  CHECK(plain.exited_with(2));
  CHECK(plain.err.find("--encoding gb18030") != std::string::npos);  // the hint
  CHECK(L.snapshot() == before);

  auto r = import(L, csv, {"--encoding", "gb18030"});
  INFO(r.describe());
  REQUIRE(r.exited_with(0));
  auto e = event_by_id(L, "gb-1");
  CHECK(e["lot"] == "葱-国标-1");
  CHECK(e["note"] == "备注, 𠮷");
  CHECK(L.cli({"verify"}).exited_with(0));
}

TEST_CASE("times without a UTC offset are refused unless --tz gives one") {
  at::TestLedger L;
  auto csv = L.dir() / "times.csv";
  std::string text = planting_header(0) + planting_row("tz-1", "2024-03-02T08:00:00", "PL-1", "") +
                     planting_row("tz-2", "2024-03-02 09:30", "PL-2", "") +      // what Excel writes
                     planting_row("tz-3", "2024/3/2 10:00", "PL-3", "") +        // and in Chinese locales
                     planting_row("tz-4", "2024-03-02T11:00:00Z", "PL-4", "");   // has an offset already
  at::write_file(csv, text);

  auto before = L.snapshot();
  auto r = import(L, csv);
  INFO(r.describe());
  CHECK(r.exited_with(2));
  for (const char* where : {"times.csv line 2", "times.csv line 3", "times.csv line 4"}) {
    CAPTURE(where);
    CHECK(r.err.find(where) != std::string::npos);
  }
  CHECK(r.err.find("event_time") != std::string::npos);
  CHECK(r.err.find("times.csv line 5") == std::string::npos);
  CHECK(L.snapshot() == before);

  auto bad_tz = import(L, csv, {"--tz", "+25"});
  CHECK(bad_tz.exited_with(2));
  CHECK(bad_tz.err.find("--tz") != std::string::npos);
  CHECK(L.snapshot() == before);

  auto ok = import(L, csv, {"--tz", "+08:00"});
  INFO(ok.describe());
  REQUIRE(ok.exited_with(0));
  CHECK(event_by_id(L, "tz-1")["event_time"] == "2024-03-02T08:00:00+08:00");
  CHECK(event_by_id(L, "tz-2")["event_time"] == "2024-03-02T09:30:00+08:00");
  CHECK(event_by_id(L, "tz-3")["event_time"] == "2024-03-02T10:00:00+08:00");
  CHECK(event_by_id(L, "tz-4")["event_time"] == "2024-03-02T11:00:00Z");
}

TEST_CASE("a harvest CSV with Chinese headers builds nested quantities") {
  at::TestLedger L;
  REQUIRE(L.record({at::events::planting("plant-1", "PL-1", "2024-03-01T08:00:00+08:00")}).exited_with(0));
  auto csv = L.dir() / "harvest.csv";
  std::string text = harvest_header() +
                     line({"harvest", "h-1", "2024-05-01 06:00", at::kParty, at::kPlot, "H-1", "PL-1", "1250.5", "KGM"});
  at::write_file(csv, text);
  auto r = import(L, csv, {"--tz", "+08:00"});
  INFO(r.describe());
  REQUIRE(r.exited_with(0));
  auto e = event_by_id(L, "h-1");
  CHECK(e["quantity"] == nlohmann::json({{"value", "1250.5"}, {"unit", "KGM"}}));
  CHECK(e["from_lot"] == "PL-1");
}

TEST_CASE("a misspelled header is refused, naming the nearest known one; nothing is recorded") {
  at::TestLedger L;
  auto csv = L.dir() / "typo.csv";
  std::string good = header("planting", "area_mu");  // 面积（亩）
  std::string text = planting_header(0);
  auto at_header = text.find(good);
  REQUIRE(at_header != std::string::npos);
  text.replace(at_header, good.size(), "面积(亩)");  // half-width brackets, as typed by hand
  text += planting_row("typo-1", "2024-03-02T08:00:00+08:00", "PL-1", "");
  at::write_file(csv, text);
  auto before = L.snapshot();
  auto r = import(L, csv);
  INFO(r.describe());
  CHECK(r.exited_with(2));
  CHECK(r.err.find("typo.csv line 1") != std::string::npos);
  CHECK(r.err.find("\"面积(亩)\"") != std::string::npos);
  CHECK(r.err.find("did you mean \"" + good + "\"") != std::string::npos);
  CHECK(L.snapshot() == before);

  // A header far from every known one gets no suggestion, but is still refused.
  text = planting_header(0);
  text.replace(text.find(good), good.size(), "天气情况");
  text += planting_row("typo-1", "2024-03-02T08:00:00+08:00", "PL-1", "");
  at::write_file(csv, text);
  r = import(L, csv);
  CHECK(r.exited_with(2));
  CHECK(r.err.find(col("H", "天气情况") + ": not a column CSV import knows;") != std::string::npos);
  CHECK(L.snapshot() == before);
}

TEST_CASE("two columns for one field are refused") {
  at::TestLedger L;
  auto csv = L.dir() / "twice.csv";
  std::string text = planting_header(0);
  text.insert(text.size() - 2, "," + header("planting", "lot", 1));  // 种植批次 and lot
  text += line({"planting", "tw-1", "2024-03-02T08:00:00+08:00", at::kParty, at::kPlot, "PL-1", at::kProduct,
                "2.5", "", "PL-2"});
  at::write_file(csv, text);
  auto before = L.snapshot();
  auto r = import(L, csv);
  INFO(r.describe());
  CHECK(r.exited_with(2));
  CHECK(r.err.find("both give field lot") != std::string::npos);
  CHECK(L.snapshot() == before);
}

TEST_CASE("a filled cell the row's event type has no field for is refused, not dropped") {
  at::TestLedger L;
  REQUIRE(L.record({at::events::planting("plant-1", "PL-1", "2024-03-01T08:00:00+08:00")}).exited_with(0));
  // A harvest file with a 投入品名称 column (an input application's field).
  std::string extra = header("input_application", "input_name");
  auto csv = L.dir() / "harvest.csv";
  std::string head = harvest_header({extra});
  at::write_file(csv, head + line({"harvest", "h-1", "2024-05-01T06:00:00+08:00", at::kParty, at::kPlot, "H-1",
                                   "PL-1", "1250", "KGM", "有机肥"}));
  auto before = L.snapshot();
  auto r = import(L, csv);
  INFO(r.describe());
  CHECK(r.exited_with(2));
  CHECK(r.err.find("harvest.csv line 2: " + col("J", extra) + ": harvest events have no such field") !=
        std::string::npos);
  CHECK(L.snapshot() == before);

  // Left empty, the column is harmless.
  at::write_file(csv, head + line({"harvest", "h-1", "2024-05-01T06:00:00+08:00", at::kParty, at::kPlot, "H-1",
                                   "PL-1", "1250", "KGM", ""}));
  auto ok = import(L, csv);
  INFO(ok.describe());
  CHECK(ok.exited_with(0));
}

TEST_CASE("refusals name the clerk's column headers, and a missing offset suggests --tz +08:00") {
  at::TestLedger L;
  REQUIRE(L.record({at::events::planting("plant-1", "PL-1", "2024-03-01T08:00:00+08:00")}).exited_with(0));
  auto csv = L.dir() / "harvest.csv";
  std::string head = harvest_header();
  at::write_file(csv, head +
                          // a schema refusal: not a number
                          line({"harvest", "h-1", "2024-05-01T06:00:00+08:00", at::kParty, at::kPlot, "H-1", "PL-1",
                                "一千", "KGM"}) +
                          // a rule refusal at append: an unknown lot
                          line({"harvest", "h-2", "2024-05-01T06:00:00+08:00", at::kParty, at::kPlot, "H-2", "PL-9",
                                "100", "KGM"}) +
                          // a time as Excel writes it, and no --tz
                          line({"harvest", "h-3", "2024-05-01 06:00", at::kParty, at::kPlot, "H-3", "PL-1", "100",
                                "KGM"}));
  auto before = L.snapshot();
  auto r = import(L, csv);
  INFO(r.describe());
  CHECK(r.exited_with(2));
  CHECK(r.err.find("line 2: " + col("H", header("harvest", "quantity.value")) + " (field quantity.value)") !=
        std::string::npos);
  CHECK(r.err.find("line 3: " + col("G", header("harvest", "from_lot")) + " (field from_lot): unknown lot") !=
        std::string::npos);
  CHECK(r.err.find("line 4: " + col("C", header("harvest", "event_time")) + " (field event_time): \"2024-05-01 06:00\" "
                   "has no UTC offset; import with --tz +08:00") != std::string::npos);
  CHECK(L.snapshot() == before);
}

TEST_CASE("`columns TYPE --csv` gives an Excel template whose header imports; `columns` lists types and fields") {
  at::TestLedger L;
  REQUIRE(L.record({at::events::planting("plant-1", "PL-1", "2024-03-01T08:00:00+08:00")}).exited_with(0));
  auto types = L.must({"columns"});
  CHECK(types.find("harvest") != std::string::npos);
  CHECK(types.find("shipping") != std::string::npos);

  auto listing = L.must({"columns", "harvest"});
  CHECK(listing.find("* " + header("harvest", "lot") + " / lot → lot") != std::string::npos);
  CHECK(listing.find(header("harvest", "quantity.value")) != std::string::npos);
  auto as_json = nlohmann::json::parse(L.must({"columns", "harvest", "--json"}));
  REQUIRE(as_json.is_array());
  CHECK(as_json[0]["field"] == "type");

  // The template's header row, one row filled in the same column order, imports.
  std::string head = L.must({"columns", "harvest", "--csv"});
  CHECK(head.rfind("\xEF\xBB\xBF" + header("harvest", "type") + ",", 0) == 0);
  std::vector<std::string> row;
  for (const auto& c : as_json) {
    std::string f = c["field"];
    row.push_back(f == "type" ? "harvest" : f == "event_id" ? "h-tpl" : f == "event_time" ? "2024-05-01T06:00:00+08:00"
                  : f == "party" ? at::kParty : f == "location" ? at::kPlot : f == "lot" ? "H-TPL"
                  : f == "from_lot" ? "PL-1" : f == "quantity.value" ? "800" : f == "quantity.unit" ? "KGM" : "");
  }
  auto csv = L.dir() / "采收模板.csv";
  at::write_file(csv, head + line(row));
  auto r = import(L, csv);
  INFO(r.describe());
  CHECK(r.exited_with(0));
  CHECK(event_by_id(L, "h-tpl")["quantity"]["value"] == "800");

  auto bad = L.cli({"columns", "harvests"});
  CHECK(bad.exited_with(2));
  CHECK(bad.err.find("CSV import knows") != std::string::npos);
}

namespace {

// A CSV of one event type from {field, cell} pairs: the header in Chinese, one row per
// `rows` entry (cells given in the fields' order).
std::string table(const std::string& type, const std::vector<std::string>& fields,
                  const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::string> head;
  for (const auto& f : fields) head.push_back(header(type, f));
  std::string text = line(head);
  for (const auto& r : rows) text += line(r);
  return text;
}

// The enum values of `field` (of event `type`) in the schemas: the field's own enum, an
// items column's item result, a bases column's basis, a quantity's or a shared unit column's unit.
std::set<std::string> schema_enum(const std::string& type, const std::string& field) {
  auto schema = [](const std::string& name) {
    return nlohmann::json::parse(at::read_file(std::string(AGTRACE_SOURCE_DIR) + "/schemas/" + name));
  };
  auto common = schema("common.schema.json")["definitions"];
  const auto props = schema("events/" + type + ".schema.json")["properties"];
  std::string top = field.substr(0, field.find('.'));
  nlohmann::json e;
  if (field == "unit" || field.ends_with(".unit"))
    e = common["unit"]["enum"];
  else if (props[top].contains("items") && props[top]["items"]["properties"].contains("basis"))
    e = props[top]["items"]["properties"]["basis"]["enum"];
  else if (props[top].contains("items"))
    e = props[top]["items"]["properties"]["result"]["enum"];
  else
    e = props[top]["enum"];
  REQUIRE_MESSAGE(e.is_array(), type << "." << field << " has no enum in the schemas");
  return e.get<std::set<std::string>>();
}

}  // namespace

TEST_CASE("the layout's Chinese values cover each enum column's schema values exactly, and every type") {
  std::set<std::string> types;
  for (const auto& [word, type] : columns()["type_values"].items()) types.insert(type);
  std::set<std::string> layout_types;
  for (const auto& [type, fields] : columns()["events"].items()) layout_types.insert(type);
  CHECK(types == layout_types);
  int columns_with_values = 0;
  for (const auto& [type, fields] : columns()["events"].items())
    for (const auto& [field, spec] : fields.items()) {
      if (!spec.contains("values")) continue;
      ++columns_with_values;
      std::set<std::string> mapped;
      for (const auto& [word, value] : spec["values"].items()) mapped.insert(value);
      CAPTURE(type);
      CAPTURE(field);
      CHECK(mapped == schema_enum(type, field));
    }
  CHECK(columns_with_values >= 10);
}

TEST_CASE("Chinese cell values (事件类型 采收, 角色 合作社, 投入品类型 肥料, 单位 千克) import as the schema's") {
  at::TestLedger L;
  REQUIRE(L.record({at::events::planting("plant-1", "PL-1", "2024-03-01T08:00:00+08:00")}).exited_with(0));
  auto parties = L.dir() / "主体.csv";
  at::write_file(parties, table("party", {"type", "event_id", "event_time", "party_id", "name", "role"},
                                {{"主体", "p-cn", "2024-03-01T09:00:00+08:00", "P-CN", "东坡合作社", "合作社"},
                                 {"party", "p-en", "2024-03-01T09:00:00+08:00", "P-EN", "Buyer", "buyer"}}));
  auto r = import(L, parties);
  INFO(r.describe());
  REQUIRE(r.exited_with(0));
  CHECK(event_by_id(L, "p-cn")["type"] == "party");
  CHECK(event_by_id(L, "p-cn")["role"] == "cooperative");
  CHECK(event_by_id(L, "p-en")["role"] == "buyer");  // English still works

  auto inputs = L.dir() / "施肥.csv";
  at::write_file(inputs, table("input_application",
                               {"type", "event_id", "event_time", "party", "location", "lot", "input_kind",
                                "input_name", "pre_harvest_interval_days"},
                               {{"施肥", "in-1", "2024-03-05T08:00:00+08:00", at::kParty, at::kPlot, "PL-1", "肥料",
                                 "有机肥", ""}}));
  r = import(L, inputs);
  INFO(r.describe());
  REQUIRE(r.exited_with(0));
  CHECK(event_by_id(L, "in-1")["input_kind"] == "fertilizer");

  auto harvests = L.dir() / "采收.csv";
  at::write_file(harvests, harvest_header() + line({"采收", "h-cn", "2024-05-01T06:00:00+08:00", at::kParty, at::kPlot,
                                                    "H-CN", "PL-1", "800", "千克"}));
  r = import(L, harvests);
  INFO(r.describe());
  REQUIRE(r.exited_with(0));
  CHECK(event_by_id(L, "h-cn")["type"] == "harvest");
  CHECK(event_by_id(L, "h-cn")["quantity"]["unit"] == "KGM");
}

TEST_CASE("a refused value lists the accepted ones in both languages; `columns` shows them") {
  at::TestLedger L;
  auto csv = L.dir() / "主体.csv";
  at::write_file(csv, table("party", {"type", "event_id", "event_time", "party_id", "name", "role"},
                            {{"主体", "p-1", "2024-03-01T09:00:00+08:00", "P-1", "老王", "农户"},
                             {"收割", "p-2", "2024-03-01T09:00:00+08:00", "P-2", "老李", "生产者"}}));
  auto before = L.snapshot();
  auto r = import(L, csv);
  INFO(r.describe());
  CHECK(r.exited_with(2));
  CHECK(r.err.find("line 2: " + col("F", header("party", "role")) + " (field role): \"农户\" is not an accepted value; "
                   "use one of 生产者 (producer), 合作社 (cooperative),") != std::string::npos);
  CHECK(r.err.find("line 3: " + col("A", header("party", "type")) + " (field type): \"收割\" is not an accepted value; "
                   "use one of 主体 (party),") != std::string::npos);
  CHECK(r.err.find("采收 (harvest)") != std::string::npos);
  CHECK(L.snapshot() == before);

  auto typed = import(L, csv, {"--type", "收割"});
  CHECK(typed.exited_with(2));
  CHECK(typed.err.find("--type 收割: not an event type CSV import knows; use one of 主体 (party),") != std::string::npos);

  auto listing = L.must({"columns", "inspection"});
  CHECK(listing.find("one of 合格 (pass), 不合格 (fail)") != std::string::npos);
  CHECK(listing.find("检测 or inspection") != std::string::npos);
  CHECK(L.must({"columns", "harvest"}).find("one of 千克 (KGM, 公斤, kg)") != std::string::npos);
}

TEST_CASE("a pesticide needs its pre-harvest interval, a fertiliser does not; the refusal names the condition") {
  at::TestLedger L;
  REQUIRE(L.record({at::events::planting("plant-1", "PL-1", "2024-03-01T08:00:00+08:00")}).exited_with(0));
  auto csv = L.dir() / "用药.csv";
  at::write_file(csv, table("input_application",
                            {"type", "event_id", "event_time", "party", "location", "lot", "input_kind",
                             "input_name", "registration_no", "pre_harvest_interval_days"},
                            {{"用药", "in-1", "2024-03-05T08:00:00+08:00", at::kParty, at::kPlot, "PL-1", "农药",
                              "吡虫啉", "PD20080001", ""},
                             {"施肥", "in-2", "2024-03-05T09:00:00+08:00", at::kParty, at::kPlot, "PL-1", "fertilizer",
                              "尿素", "", ""},
                             // No input_kind: the pesticide condition does not hold vacuously.
                             {"施肥", "in-3", "2024-03-05T10:00:00+08:00", at::kParty, at::kPlot, "PL-1", "", "尿素",
                              "", ""}}));
  auto before = L.snapshot();
  auto r = import(L, csv);
  INFO(r.describe());
  CHECK(r.exited_with(2));
  CHECK(r.err.find("line 2: " + col("J", header("input_application", "pre_harvest_interval_days")) +
                   " (field pre_harvest_interval_days): missing; it is required in input_application events "
                   "when input_kind is \"pesticide\"") != std::string::npos);
  CHECK(r.err.find("line 3") == std::string::npos);
  CHECK(r.err.find("line 4: " + col("G", header("input_application", "input_kind")) + " (field input_kind): missing") !=
        std::string::npos);
  CHECK(r.err.find("line 4: " + col("J", header("input_application", "pre_harvest_interval_days"))) == std::string::npos);
  CHECK(L.snapshot() == before);
}

TEST_CASE("Excel habits: spaces around cells are trimmed; thousands separators, GTINs as numbers and date numbers "
          "are refused with the fix") {
  at::TestLedger L;
  REQUIRE(L.record({at::events::planting("plant-1", "PL-1", "2024-03-01T08:00:00+08:00")}).exited_with(0));
  auto csv = L.dir() / "harvest.csv";
  at::write_file(csv, harvest_header() +
                          line({" harvest ", "h-1", "2024-05-01T06:00:00+08:00 ", at::kParty, at::kPlot, "H-1", "PL-1",
                                " 1000 ", "KGM"}));
  auto r = import(L, csv);
  INFO(r.describe());
  REQUIRE(r.exited_with(0));
  CHECK(event_by_id(L, "h-1")["quantity"]["value"] == "1000");
  CHECK(event_by_id(L, "h-1")["event_time"] == "2024-05-01T06:00:00+08:00");

  at::write_file(csv, harvest_header() +
                          line({"harvest", "h-2", "2024-05-01T06:00:00+08:00", at::kParty, at::kPlot, "H-2", "PL-1",
                                "\"1,000\"", "KGM"}) +
                          line({"harvest", "h-3", "2024-05-01T06:00:00+08:00", at::kParty, at::kPlot, "H-3", "PL-1",
                                "1 000", "KGM"}) +
                          line({"harvest", "h-4", "45413.25", at::kParty, at::kPlot, "H-4", "PL-1", "100", "KGM"}));
  auto before = L.snapshot();
  r = import(L, csv);
  INFO(r.describe());
  CHECK(r.exited_with(2));
  CHECK(r.err.find("line 2: " + col("H", header("harvest", "quantity.value")) +
                   " (field quantity.value): \"1,000\" has a thousands separator or spaces; remove them: write 1000") !=
        std::string::npos);
  CHECK(r.err.find("line 3: " + col("H", header("harvest", "quantity.value")) + " (field quantity.value): \"1 000\"") !=
        std::string::npos);
  CHECK(r.err.find("line 4: " + col("C", header("harvest", "event_time")) +
                   " (field event_time): \"45413.25\" is an Excel date number, not a time; format the column as a "
                   "date-time (yyyy-mm-dd hh:mm)") != std::string::npos);
  CHECK(L.snapshot() == before);

  // Unquoted, 1,000 is two cells.
  at::write_file(csv, harvest_header() + line({"harvest", "h-5", "2024-05-01T06:00:00+08:00", at::kParty, at::kPlot,
                                               "H-5", "PL-1", "1,000", "KGM"}));
  r = import(L, csv);
  CHECK(r.exited_with(2));
  CHECK(r.err.find("line 2: 10 cells, but the header has 9: a number with a thousands separator (1,500) splits a "
                   "cell; format the column as numbers without separators (1500) in Excel and save again") !=
        std::string::npos);

  auto products = L.dir() / "产品.csv";
  // (区域公用品牌: product events require it; a header without it is refused before any row.)
  at::write_file(products, table("product",
                                 {"type", "event_id", "event_time", "product_id", "name", "gtin", "owner", "brand.regional"},
                                 {{"产品", "pr-1", "2024-03-01T09:00:00+08:00", "PR-1", "大葱", "6901234567892",
                                   at::kParty, "章丘大葱"},
                                  {"产品", "pr-2", "2024-03-01T09:00:00+08:00", "PR-2", "大葱", "6.90123E+12",
                                   at::kParty, "章丘大葱"}}));
  r = import(L, products);
  INFO(r.describe());
  CHECK(r.exited_with(2));
  CHECK(r.err.find("line 2: column F \"GTIN\" (field gtin): \"6901234567892\" is not a 14-digit GTIN; Excel dropped the "
                   "leading 0: format the GTIN column as text") != std::string::npos);
  CHECK(r.err.find("line 3: column F \"GTIN\" (field gtin): \"6.90123E+12\" is not a 14-digit GTIN; Excel wrote it in "
                   "scientific notation, losing its last digits: format the GTIN column as text") != std::string::npos);
  // The fix of the clerk's own value, not another product's GTIN (zh16j).
  CHECK(r.err.find("format the GTIN column as text and type 06901234567892") != std::string::npos);
  CHECK(L.snapshot() == before);
}

TEST_CASE("a file with a header and no data rows is refused: the wrong sheet was exported") {
  at::TestLedger L;
  auto csv = L.dir() / "empty.csv";
  auto before = L.snapshot();
  for (const std::string& rest : {std::string(), std::string("\r\n\r\n"), std::string(",,,,,,,,\r\n")}) {
    at::write_file(csv, planting_header(0) + rest);
    auto r = import(L, csv);
    INFO(r.describe());
    CHECK(r.exited_with(2));
    CHECK(r.err.find("empty.csv: no data rows; nothing recorded") != std::string::npos);
  }
  CHECK(L.snapshot() == before);
}

namespace {

// Runs a CSV import that must be refused as bad input (exit 2) before anything is written:
// the ledger's bytes and entries are unchanged. Returns its standard error.
std::string refused_import(const at::TestLedger& L, const std::filesystem::path& csv,
                           std::vector<std::string> extra = {}) {
  auto before = L.snapshot();
  auto bytes = L.file_bytes();
  auto r = import(L, csv, extra);
  INFO(r.describe());
  CHECK(r.exited_with(2));
  CHECK(L.file_bytes() == bytes);
  CHECK(L.snapshot() == before);
  return r.err;
}

}  // namespace

TEST_CASE("a UTF-8 file imported with --encoding gb18030 or gbk is refused as UTF-8, naming its first Chinese line") {
  at::TestLedger L;
  auto csv = L.dir() / "utf8.csv";
  // Issue 12: English headers and Chinese data. 潞城区店上镇 in UTF-8 decodes in full as
  // GB18030 (to 娼炲煄鍖哄簵涓婇晣), so only the encoding rule can catch it.
  at::write_file(csv, planting_header(1) +
                          planting_row("u-1", "2024-03-02T08:00:00+08:00", "PL-1", "plain") +
                          planting_row("u-2", "2024-03-02T08:00:00+08:00", "PL-2", "潞城区店上镇"));
  for (const char* encoding : {"gb18030", "gbk", "GB2312"}) {
    std::string err = refused_import(L, csv, {"--encoding", encoding});
    CHECK(err.find("utf8.csv line 3: the file is UTF-8, not GB18030") != std::string::npos);
    CHECK(err.find("\"潞城区店上镇\"") != std::string::npos);
    CHECK(err.find("\"娼炲煄鍖哄簵涓婇晣\"") != std::string::npos);
    CHECK(err.find("drop --encoding gb18030") != std::string::npos);
  }
  // Chinese headers (an odd byte count that GB18030 cannot even decode) are named the same way.
  at::write_file(csv, planting_header(0) + planting_row("u-1", "2024-03-02T08:00:00+08:00", "PL-1", "东地"));
  std::string err = refused_import(L, csv, {"--encoding", "gb18030"});
  CHECK(err.find("utf8.csv line 1: the file is UTF-8, not GB18030") != std::string::npos);
  // Imported as what it is, it records the text as written.
  auto ok = import(L, csv);
  INFO(ok.describe());
  REQUIRE(ok.exited_with(0));
  CHECK(event_by_id(L, "u-1")["note"] == "东地");
}

TEST_CASE("a pure-ASCII file imports with or without --encoding gb18030") {
  at::TestLedger L;
  auto csv = L.dir() / "ascii.csv";
  at::write_file(csv, planting_header(1) + planting_row("a-1", "2024-03-02T08:00:00+08:00", "PL-A1", "plain"));
  auto r = import(L, csv, {"--encoding", "gb18030"});
  INFO(r.describe());
  REQUIRE(r.exited_with(0));
  CHECK(event_by_id(L, "a-1")["lot"] == "PL-A1");
}

TEST_CASE("a GB18030 file imported as UTF-8 is refused, naming its first bad line and --encoding gb18030") {
  at::TestLedger L;
  auto csv = L.dir() / "gb.csv";
  at::write_file(csv, gb18030(planting_header(1) + planting_row("g-1", "2024-03-02T08:00:00+08:00", "PL-1", "plain") +
                              planting_row("g-2", "2024-03-02T08:00:00+08:00", "PL-2", "潞城区店上镇")));
  std::string err = refused_import(L, csv);
  CHECK(err.find("gb.csv line 3: invalid UTF-8") != std::string::npos);
  CHECK(err.find("add --encoding gb18030") != std::string::npos);
}

TEST_CASE("a CSV file holding U+FFFD is refused, naming the line, in either encoding") {
  at::TestLedger L;
  auto csv = L.dir() / "lossy.csv";
  std::string text = planting_header(0) + planting_row("r-1", "2024-03-02T08:00:00+08:00", "PL-1", "东地") +
                     planting_row("r-2", "2024-03-02T08:00:00+08:00", "PL-2", "店\xEF\xBF\xBD镇");
  at::write_file(csv, text);
  std::string err = refused_import(L, csv);
  CHECK(err.find("lossy.csv line 3: holds U+FFFD") != std::string::npos);
  CHECK(err.find("export the file again from the original") != std::string::npos);
  at::write_file(csv, gb18030(text));
  err = refused_import(L, csv, {"--encoding", "gb18030"});
  CHECK(err.find("lossy.csv line 3: holds U+FFFD") != std::string::npos);
}

TEST_CASE("a missing nested quantity and an unreadable time name their columns too") {
  at::TestLedger L;
  REQUIRE(L.record({at::events::planting("plant-1", "PL-1", "2024-03-01T08:00:00+08:00")}).exited_with(0));
  auto csv = L.dir() / "harvest.csv";
  at::write_file(csv, harvest_header() +
                          line({"harvest", "h-1", "2024-05-01T06:00:00+08:00", at::kParty, at::kPlot, "H-1", "PL-1",
                                "", ""}) +
                          line({"harvest", "h-2", "5/1/2024 6:00", at::kParty, at::kPlot, "H-2", "PL-1", "100", "KGM"}));
  auto r = import(L, csv, {"--tz", "+08:00"});
  INFO(r.describe());
  CHECK(r.exited_with(2));
  CHECK(r.err.find("line 2: " + col("H", header("harvest", "quantity.value")) + " (field quantity)") != std::string::npos);
  CHECK(r.err.find("line 3: " + col("C", header("harvest", "event_time")) + " (field event_time)") != std::string::npos);
}

TEST_CASE("承诺达标合格证 from CSV: Chinese headers and values, bases with their evidence, a void; a wrong basis names its column") {
  at::TestLedger L;
  REQUIRE(L.record({at::events::planting("plant-1", "PL-1", "2024-03-01T08:00:00+08:00")}).exited_with(0));
  REQUIRE(L.record({nlohmann::json{{"type", "harvest"}, {"event_id", "h-1"}, {"event_time", "2024-05-01T06:00:00+08:00"},
                                   {"party", at::kParty}, {"location", at::kPlot}, {"lot", "H-1"}, {"from_lot", "PL-1"},
                                   {"quantity", {{"value", "1000"}, {"unit", "KGM"}}}},
                    nlohmann::json{{"type", "inspection"}, {"event_id", "insp-1"}, {"event_time", "2024-05-01T09:00:00+08:00"},
                                   {"party", at::kParty}, {"location", at::kPlot}, {"lots", {"H-1"}},
                                   {"report_no", "ZJ-001"}, {"result", "pass"},
                                   {"items", {{{"name", "毒死蜱"}, {"measured", "0"}, {"limit", "0.02"}, {"result", "pass"}}}}}})
              .exited_with(0));
  const std::string t = "certificate_issued";
  auto head = line({header(t, "type"), header(t, "event_id"), header(t, "event_time"), header(t, "number"),
                    header(t, "style"), header(t, "issuer"), header(t, "lot"), header(t, "quantity.value"),
                    header(t, "quantity.unit"), header(t, "product"), header(t, "origin"), header(t, "bases"),
                    header("certificate_voided", "reason")});
  CHECK(head.find("合格证编号") != std::string::npos);
  CHECK(head.find("开具依据") != std::string::npos);
  auto csv = L.dir() / "合格证.csv";
  at::write_file(csv, head +
                          line({"开具合格证", "c-1", "2024-05-02 08:00", "LC-2024-0001", "生产者", at::kParty, "H-1", "500",
                                "千克", at::kProduct, at::kPlot, "自行检测合格=insp-1；质量安全控制符合要求", ""}) +
                          line({"作废合格证", "v-1", "2024-05-02 09:00", "LC-2024-0001", "", "", "", "", "", "", "", "",
                                "数量写错"}));
  auto r = import(L, csv, {"--tz", "+08:00"});
  INFO(r.describe());
  REQUIRE(r.exited_with(0));
  auto c = event_by_id(L, "c-1");
  CHECK(c["type"] == "certificate_issued");
  CHECK(c["style"] == "producer");
  CHECK(c["quantity"] == nlohmann::json({{"value", "500"}, {"unit", "KGM"}}));
  CHECK(c["bases"] == nlohmann::json::parse(R"([{"basis":"self_tested","evidence":["insp-1"]},{"basis":"quality_control"}])"));
  auto v = event_by_id(L, "v-1");
  CHECK(v["type"] == "certificate_voided");
  CHECK(v["reason"] == "数量写错");

  // The register an inspector asks for: the voided certificate listed with its status.
  auto reg = L.cli({"export", "--certificates", "--from", "2024-05-01T00:00:00+08:00", "--out", (L.dir() / "reg").string()});
  INFO(reg.describe());
  REQUIRE(reg.exited_with(0));
  const std::string register_csv = at::read_file(L.dir() / "reg" / "certificates.csv");
  CHECK(register_csv.rfind("\xEF\xBB\xBF合格证编号,类别,样式,承诺主体编号", 0) == 0);
  CHECK(register_csv.find("LC-2024-0001,开具,样式一," + std::string(at::kParty)) != std::string::npos);
  CHECK(register_csv.find("自行检测合格；质量安全控制符合要求,ZJ-001,,") != std::string::npos);  // its report
  CHECK(register_csv.find(",500,公斤,") != std::string::npos);  // the unit as the certificate prints it
  CHECK(register_csv.find("已作废,数量写错,2024-05-02T09:00:00+08:00") != std::string::npos);
  auto none = L.cli({"export", "--certificates", "--to", "2024-05-01T00:00:00+08:00", "--out", (L.dir() / "reg2").string()});
  REQUIRE(none.exited_with(0));
  CHECK(at::read_file(L.dir() / "reg2" / "certificates.csv").find("LC-2024-0001") == std::string::npos);
  CHECK(L.cli({"export", "--certificates", "--format", "csv", "--out", (L.dir() / "reg3").string()}).exited_with(2));

  auto bad = L.dir() / "bad.csv";
  at::write_file(bad, head + line({"开具合格证", "c-2", "2024-05-02 10:00", "LC-2024-0002", "生产者", at::kParty, "H-1", "10",
                                   "千克", at::kProduct, at::kPlot, "检测合格", ""}));
  const auto before = L.snapshot();
  auto refused = import(L, bad, {"--tz", "+08:00"});
  INFO(refused.describe());
  CHECK(refused.exited_with(2));
  CHECK(refused.err.find("开具依据") != std::string::npos);
  CHECK(refused.err.find("委托检测合格") != std::string::npos);
  CHECK(L.snapshot() == before);
}

TEST_CASE("收取合格证 from CSV (rules versions 5 and 6): the buyer's rows of docs/certificate.md bring in the growers' "
          "lots, with the 产地 on the paper") {
  // The rows a buyer types, as docs/certificate.md "Buying from growers outside the system" shows them.
  const std::string doc = at::read_file(std::string(AGTRACE_SOURCE_DIR) + "/docs/certificate.md");
  const auto section = doc.find("### Buying from growers outside the system");
  REQUIRE(section != std::string::npos);
  const auto fence = doc.find("```csv\n", section);
  REQUIRE(fence != std::string::npos);
  const std::string rows = doc.substr(fence + 7, doc.find("```", fence + 7) - fence - 7);
  at::TestLedger L;
  auto party = [](const std::string& id, const std::string& role) {
    return nlohmann::json{{"type", "party"}, {"event_id", "p-" + id}, {"event_time", "2026-01-01T00:00:00+08:00"},
                          {"party_id", id}, {"name", id}, {"role", role}};
  };
  auto village = [](const std::string& id, const std::string& name) {
    return nlohmann::json{{"type", "location"}, {"event_id", "l-" + id}, {"event_time", "2026-01-01T00:00:00+08:00"},
                          {"location_id", id}, {"name", name}, {"kind", "base"}, {"owner", "TY-BUYER"}};
  };
  REQUIRE(L.record({party("TY-BUYER", "buyer"), party("HS-WANG", "producer"), party("ZJH-LI", "producer"),
                    village("140406-HS-V01", "合室村"), village("140406-ZJH-V01", "张家河村"),
                    nlohmann::json{{"type", "product"}, {"event_id", "pr-gc"}, {"event_time", "2026-01-01T00:00:00+08:00"},
                                   {"product_id", "LCDC-GC"}, {"name", "潞城大葱（钢葱）"},
                                   {"brand", {{"regional", "潞城大葱"}}}}})
              .exited_with(0));
  auto csv = L.dir() / "收取.csv";
  at::write_file(csv, rows);
  auto r = import(L, csv, {});
  INFO(r.describe());
  REQUIRE(r.exited_with(0));
  auto shown = L.cli({"show", "lot", "HS-WANG-1205", "--json"});
  INFO(shown.describe());
  REQUIRE(shown.exited_with(0));
  const auto lot = nlohmann::json::parse(shown.out);
  CHECK(lot["external"] == true);
  CHECK(lot["product"] == "LCDC-GC");
  CHECK(L.cli({"verify"}).exited_with(0));
  // trust14h: the merge row the section shows next (样式二's mix) imports as written, with its 单位;
  // without 单位 it is refused naming the column, and nothing is recorded.
  {
    const auto merge_fence = doc.find("```csv\n", fence + 7);
    REQUIRE(merge_fence != std::string::npos);
    const std::string merge = doc.substr(merge_fence + 7, doc.find("```", merge_fence + 7) - merge_fence - 7);
    REQUIRE(merge.find(",单位,") != std::string::npos);
    REQUIRE(L.record({village("140105-TY-DC01", "太原收购点")}).exited_with(0));
    auto no_unit = L.dir() / "merge-no-unit.csv";
    std::string without = merge;
    without.replace(without.find(",千克,"), 8, ",,");
    at::write_file(no_unit, without);
    const auto before_merge = L.snapshot();
    auto refused_merge = import(L, no_unit, {});
    INFO(refused_merge.describe());
    CHECK(refused_merge.exited_with(2));
    CHECK(refused_merge.err.find("单位") != std::string::npos);
    CHECK(L.snapshot() == before_merge);
    auto merge_csv = L.dir() / "merge.csv";
    at::write_file(merge_csv, merge);
    auto merged = import(L, merge_csv, {});
    INFO(merged.describe());
    REQUIRE(merged.exited_with(0));
    const auto mix = nlohmann::json::parse(L.must({"show", "lot", "TY26-MIX-01", "--json"}));
    CHECK(mix["product"] == "LCDC-GC");
  }
  // The paper without a number, under its placeholder; the register shows both with their 产地.
  REQUIRE(L.cli({"export", "--certificates", "--out", (L.dir() / "reg").string()}).exited_with(0));
  const std::string reg = at::read_file(L.dir() / "reg" / "certificates.csv");
  CHECK(reg.find("无编号-20261205-1") != std::string::npos);
  CHECK(reg.find("合室村") != std::string::npos);
  // A paper dated after it was received, and one without 产地 for a new lot, are refused naming the column.
  const std::string header = rows.substr(0, rows.find('\n') + 1);
  for (const auto& [bad, column] :
       std::vector<std::pair<std::string, std::string>>{
           {"收取合格证,TY26-0110,2026-12-06T07:00:00+08:00,TY-BUYER,合室-2026-130,HS-WANG,2026-12-07,HS-WANG-1207,10,千克,LCDC-GC,140406-HS-V01\n",
            "开具日期"},
           {"收取合格证,TY26-0111,2026-12-06T07:00:00+08:00,TY-BUYER,合室-2026-131,HS-WANG,2026-12-05,HS-WANG-1208,10,千克,LCDC-GC,\n",
            "产地"},
           {"收取合格证,TY26-0112,2026-12-06T07:00:00+08:00,TY-BUYER,,HS-WANG,2026-12-05,HS-WANG-1209,10,千克,LCDC-GC,140406-HS-V01\n",
            "无编号-YYYYMMDD-N"}}) {
    auto file = L.dir() / "bad-received.csv";
    at::write_file(file, header + bad);
    const auto snapshot = L.snapshot();
    auto r = import(L, file, {});
    INFO(r.describe());
    CHECK(r.exited_with(2));
    CHECK(r.err.find(column) != std::string::npos);
    CHECK(L.snapshot() == snapshot);
  }
  // A second certificate for the same lot is refused, naming the column; nothing is recorded.
  auto again = L.dir() / "again.csv";
  at::write_file(again, rows.substr(0, rows.find('\n') + 1) +
                            "收取合格证,TY26-0103,2026-12-06T06:20:00+08:00,TY-BUYER,0047,ZJH-LI,2026-12-05,ZJH-LI-1205,"
                            "100,千克,LCDC-GC,140406-ZJH-V01\n");
  const auto before = L.snapshot();
  auto refused = import(L, again, {});
  INFO(refused.describe());
  CHECK(refused.exited_with(2));
  CHECK(refused.err.find("批次") != std::string::npos);
  CHECK(refused.err.find("ZJH-LI-1205-2") != std::string::npos);
  CHECK(L.snapshot() == before);
}

TEST_CASE("检测项目 as labs write them (rules version 5): 未检出, ND, <0.01 and 抑制率 35% keep their meaning") {
  at::TestLedger L;
  REQUIRE(L.record({at::events::planting("plant-1", "PL-1", "2024-03-01T08:00:00+08:00")}).exited_with(0));
  const std::string t = "inspection";
  auto head = line({header(t, "type"), header(t, "event_id"), header(t, "event_time"), header(t, "party"),
                    header(t, "location"), header(t, "lots"), header(t, "report_no"), header(t, "result"),
                    header(t, "items")});
  auto csv = L.dir() / "检测.csv";
  at::write_file(csv, head + line({"检测", "insp-1", "2024-05-01 09:00", at::kParty, at::kPlot, "PL-1", "ZJ-001", "合格",
                                   "毒死蜱=未检出|0.02|mg/kg|合格；氯氰菊酯=ND|0.5|mg/kg|合格；吡虫啉=<0.01|2|mg/kg|合格；"
                                   "有机磷和氨基甲酸酯类（酶抑制率）=35%|50%|合格"}));
  auto r = import(L, csv, {"--tz", "+08:00"});
  INFO(r.describe());
  REQUIRE(r.exited_with(0));
  auto e = event_by_id(L, "insp-1");
  CHECK(e["items"][0] == nlohmann::json::parse(
                             R"({"name":"毒死蜱","measured_qualifier":"not_detected","limit":"0.02","unit":"mg/kg","result":"pass"})"));
  CHECK(e["items"][1]["measured_qualifier"] == "not_detected");
  CHECK(e["items"][2] == nlohmann::json::parse(
                             R"({"name":"吡虫啉","measured":"0.01","measured_qualifier":"below","limit":"2","unit":"mg/kg","result":"pass"})"));
  CHECK(e["items"][3] == nlohmann::json::parse(
                             R"({"name":"有机磷和氨基甲酸酯类（酶抑制率）","measured":"35","limit":"50","unit":"%","result":"pass"})"));

  // A value no lab writes is refused naming the column and the forms; nothing is recorded.
  auto bad = L.dir() / "bad.csv";
  at::write_file(bad, head + line({"检测", "insp-2", "2024-05-01 10:00", at::kParty, at::kPlot, "PL-1", "ZJ-002", "合格",
                                   "毒死蜱=微量|0.02|mg/kg|合格"}));
  const auto before = L.snapshot();
  auto refused = import(L, bad, {"--tz", "+08:00"});
  INFO(refused.describe());
  CHECK(refused.exited_with(2));
  CHECK(refused.err.find("检测项目") != std::string::npos);
  CHECK(refused.err.find("未检出 (ND), <0.01 or 35%") != std::string::npos);
  CHECK(L.snapshot() == before);
}
