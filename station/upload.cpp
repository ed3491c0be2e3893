// The clerk's upload: encoding, import, header templates (upload.h).
#include "station/upload.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <set>

#include "ledger/csv/csv_reader.h"
#include "ledger/csv/text_decoding.h"
#include "ledger/i18n/refusal.h"
#include "ledger/import/csv_import.h"
#include "ledger/import/yield_check.h"
#include "ledger/util/error.h"

namespace agtrace::station {
namespace {

// The column a CSV row wrote `field` in ("D 列「主体编号」"), else the field's name.
std::string column_of(const ColumnNames& columns, const std::string& field) {
  for (const auto& [f, ref] : columns)
    if (f == field) return ref;
  return field;
}

// The parties that hold `lot`: the party of its creating event and every party that recorded
// receiving it. Empty when the ledger has no such lot, or none of those events names a party.
std::set<std::string> lot_holders(Ledger& ledger, const std::string& lot) {
  std::set<std::string> out;
  auto s = ledger.database().prepare("SELECT created_entry FROM lots WHERE lot_id = ?");
  s.bind(1, lot);
  if (!s.step()) return out;
  out.insert(ledger.store().event_at(static_cast<std::uint64_t>(s.column_int(0))).value("party", ""));
  auto r = ledger.database().prepare(
      "SELECT le.entry_idx FROM lot_events le JOIN events e ON e.entry_idx = le.entry_idx AND e.type = 'receiving' "
      "WHERE le.lot_id = ?");
  r.bind(1, lot);
  while (r.step()) out.insert(ledger.store().event_at(static_cast<std::uint64_t>(r.column_int(0))).value("party", ""));
  out.erase("");  // a lot whose creating event names no party (an external one) has no holder to compare
  return out;
}

// Whether the ledger records a shipment of `lot` to `party` (a shipping event naming the lot, whose
// to_party is `party`).
bool shipped_to(Ledger& ledger, const std::string& lot, const std::string& party) {
  auto s = ledger.database().prepare(
      "SELECT le.entry_idx FROM lot_events le JOIN events e ON e.entry_idx = le.entry_idx AND e.type = 'shipping' "
      "WHERE le.lot_id = ?");
  s.bind(1, lot);
  while (s.step())
    if (ledger.store().event_at(static_cast<std::uint64_t>(s.column_int(0))).value("to_party", "") == party) return true;
  return false;
}

// The lots a shipping, receiving or certificate event names: {field, lot}.
std::vector<std::pair<std::string, std::string>> lots_named(const nlohmann::json& event) {
  std::vector<std::pair<std::string, std::string>> lots;
  for (const char* field : {"lot", "from_lot", "input_lot"})
    if (auto it = event.find(field); it != event.end() && it->is_string() && !it->get<std::string>().empty())
      lots.emplace_back(field, it->get<std::string>());
  for (const char* field : {"lots", "inputs"})
    if (auto it = event.find(field); it != event.end() && it->is_array()) {
      for (const auto& x : *it) {
        if (x.is_string())
          lots.emplace_back(field, x.get<std::string>());
        else if (x.is_object() && x.contains("lot") && x["lot"].is_string())
          lots.emplace_back(field, x["lot"].get<std::string>());
      }
    }
  return lots;
}

std::string party_name(Ledger& ledger, const std::string& party) {
  auto m = ledger.store().master("party", party);
  std::string name = m ? m->value("name", "") : "";
  return name.empty() ? party : name;
}

// "COOP-B（潞城二号合作社）", or the id alone when the ledger has no name for it.
std::string party_shown(Ledger& ledger, const std::string& party) {
  std::string name = party_name(ledger, party);
  return name == party ? party : fmt::format("{}（{}）", party, name);
}

}  // namespace

std::string clerk_scope_refusal(Ledger& ledger, const nlohmann::json& event, const ColumnNames& columns,
                                const std::string& enterprise, const std::string& enterprise_name,
                                const std::vector<std::string>& station_enterprises,
                                const std::set<std::string>& shipped_in_file) {
  const std::string only = fmt::format("本账号只能上传本单位（{}）的记录", enterprise_name);
  const std::string fix = "请删去这一行再上传，或请该单位的文员上传";
  auto other_enterprise = [&](const std::string& p) {
    return p != enterprise && std::find(station_enterprises.begin(), station_enterprises.end(), p) !=
                                  station_enterprises.end();
  };
  const std::string type = event.value("type", "");
  auto named = [&](const char* field) -> std::string {
    auto it = event.find(field);
    return it != event.end() && it->is_string() ? it->get<std::string>() : "";
  };
  for (const char* field : {"party", "issuer"}) {
    if (std::string_view(field) == "issuer" && type != "certificate_issued") continue;
    if (event.contains(field) && named(field) != enterprise)
      return fmt::format("{}：这一行写的是 {}，不是本单位。{}：{}", column_of(columns, field),
                         party_shown(ledger, named(field)), only, fix);
  }
  if (type == "party" && other_enterprise(named("party_id")))
    return fmt::format("{}：{} 是本工作站的另一个单位，它的主体资料由它自己的文员上传。{}：{}",
                       column_of(columns, "party_id"), party_shown(ledger, named("party_id")), only, fix);
  if ((type == "location" || type == "product") && other_enterprise(named("owner")))
    return fmt::format("{}：所属单位 {} 不是本单位。{}：{}", column_of(columns, "owner"),
                       party_shown(ledger, named("owner")), only, fix);
  if (type == "certificate_received") return "";
  for (const auto& [field, lot] : lots_named(event)) {
    auto holders = lot_holders(ledger, lot);
    if (holders.empty() || holders.count(enterprise)) continue;
    // Another party's lot, named without a word of whose it is (docs/station.md): a 收货 row
    // needs a shipment of it to this enterprise, recorded or earlier in the same file.
    if (type == "receiving") {
      if (shipped_in_file.count(lot) || shipped_to(ledger, lot, enterprise)) continue;
      return fmt::format("{}：账本里没有把批次 {} 发给本单位的发货记录，不能记收货。{}：请核对批次号；如果确实收到了这批货，"
                         "请发货方先记录发货（收货方写本单位），再上传这一行",
                         column_of(columns, field), lot, only);
    }
    return fmt::format("{}：批次 {} 不是本单位的批次。{}：{}", column_of(columns, field), lot, only, fix);
  }
  return "";
}

UploadEncoding detect_upload_encoding(std::string_view bytes, std::string_view file) {
  if (bytes.empty()) throw_bad_input(fmt::format("文件 {} 是空的，请重新从 Excel 导出 / {} is empty", file, file));
  UploadEncoding out;
  std::string text;
  try {
    text = csv::decode_to_utf8(bytes, "utf-8", file);
    out.encoding = "utf-8";
  } catch (const Error& utf8) {
    if (utf8.kind() != ErrorKind::bad_input) throw;
    try {
      text = csv::decode_to_utf8(bytes, "gb18030", file);
    } catch (const Error& gb) {
      if (gb.kind() != ErrorKind::bad_input) throw;
      throw_bad_input(fmt::format("文件 {} 既不是 UTF-8 也不是 GB18030 编码，工作站读不出它的文字：请在 Excel 里“另存为”"
                                  "“CSV UTF-8（逗号分隔）”后重新上传 / {} is neither UTF-8 nor GB18030: {}",
                                  file, file, utf8.what()));
    }
    out.encoding = "gb18030";
    out.needs_confirmation = true;
  }
  std::vector<csv::Row> rows;
  try {
    rows = csv::parse_csv(text, file);
  } catch (const Error& e) {
    throw_bad_input(fmt::format("文件 {} 不是正确的 CSV 表格：{} / {} is not a well-formed CSV file", file, e.what(), file));
  }
  for (std::size_t i = 0; i < rows.size() && out.preview.size() < kPreviewRows; ++i) out.preview.push_back(rows[i].fields);
  return out;
}

UploadResult import_upload(Ledger& ledger, const note::SigningKey& clerk_key, std::string_view bytes,
                           std::string_view file, const UploadOptions& options) {
  CsvImportOptions o{options.encoding, options.tz, std::nullopt, i18n::Lang::zh};
  CsvImport batch;
  try {
    batch = import_csv(bytes, file, o);
  } catch (const CsvRefused& e) {
    throw_bad_input(e.what());
  }
  UploadResult r;
  r.rows = batch.events.size();
  // Rows of another enterprise refuse the whole file (upload.h), before anything is signed; they
  // are refused as the import refuses a row, so that the other rows' problems are listed with
  // them in the same round, in file order.
  const std::string enterprise_name = party_name(ledger, options.enterprise);
  std::set<std::string> shipped_in_file;  // lots shipped to this enterprise by the rows above
  std::size_t not_ours = 0;
  for (auto& pe : batch.events) {
    if (!pe.error.empty()) continue;
    std::string why = clerk_scope_refusal(ledger, pe.event, pe.columns, options.enterprise, enterprise_name,
                                          options.station_enterprises, shipped_in_file);
    if (!why.empty()) {
      pe.error = why;
      ++not_ours;
      continue;
    }
    if (pe.event.value("type", "") == "shipping" && pe.event.value("to_party", "") == options.enterprise)
      for (const auto& named_lot : lots_named(pe.event)) shipped_in_file.insert(named_lot.second);
  }
  // The import's yield check (ledger/import/yield_check.h); what a supervisor confirmed passes,
  // its signed entry naming the supervisor (yield_override).
  std::set<std::string> high_yield;  // where the rows it refused are
  if (options.high_yield_confirmed_by.empty()) {
    std::vector<bool> refused_before;
    for (const auto& pe : batch.events) refused_before.push_back(!pe.error.empty());
    check_harvest_yields(batch.events, planting_areas(ledger), HighYieldOverride::station_supervisor);
    for (std::size_t i = 0; i < batch.events.size(); ++i)
      if (!refused_before[i] && !batch.events[i].error.empty()) high_yield.insert(batch.events[i].where);
  } else {
    r.high_yield_confirmed =
        confirm_harvest_yields(batch.events, planting_areas(ledger),
                               {HighYieldOverride::station_supervisor, options.high_yield_confirmed_by});
  }
  if (!batch.full_width_lines.empty())
    r.note = i18n::text(i18n::Lang::zh, i18n::Msg::note_full_width,
                        i18n::text(i18n::Lang::zh, i18n::Msg::where_line, file,
                                   fmt::format("{}", fmt::join(batch.full_width_lines, "、"))));
  AppendOptions a;
  a.continue_on_error = options.continue_on_error && !not_ours;  // another's row: the whole file or nothing
  a.now_unix_ms = options.now_unix_ms;
  std::vector<AppendOutcome> outcomes;
  bool rolled_back = false;
  try {
    outcomes = ledger.append(batch.events, clerk_key, a);
  } catch (const AppendRefused& e) {
    outcomes = e.outcomes();
    rolled_back = true;
  }
  for (const auto& out : outcomes) {
    if (!out.error.empty()) {
      r.refused.push_back({out.where, out.error});
      r.high_yield += high_yield.count(out.where);
    } else if (out.duplicate)
      ++r.duplicates;
    else if (!rolled_back && out.index)
      ++r.recorded;
  }
  if (not_ours)
    r.summary = fmt::format("{} 条中有 {} 条不是本单位的记录，整个文件都没有记录：本账号只能上传本单位（{}）的记录，"
                            "请删去这些行{}，再上传整个文件",
                            r.rows, not_ours, enterprise_name,
                            r.refused.size() > not_ours
                                ? fmt::format("，并在 Excel 里改正另外 {} 条有错的行", r.refused.size() - not_ours)
                                : "");
  else if (r.refused.empty())
    r.summary = r.duplicates
                    ? fmt::format("已记录 {} 条；另有 {} 条和账本里已有的记录完全相同，没有重复记录", r.recorded, r.duplicates)
                    : fmt::format("已记录全部 {} 条", r.recorded);
  else if (rolled_back)
    r.summary = fmt::format("{} 条中有 {} 条没有通过，整个文件都没有记录：请在 Excel 里改正下面这些行，再上传整个文件", r.rows,
                            r.refused.size());
  else if (!r.duplicates)
    r.summary = fmt::format("{} 条中有 {} 条没有通过，没有记录；其余 {} 条已记录：请只把改正后的这些行再上传", r.rows,
                            r.refused.size(), r.recorded);
  else  // rows recorded by an earlier upload: said so, not counted as "0 条已记录"
    r.summary = fmt::format("{} 条中有 {} 条没有通过，没有记录；{} 条这次已记录，{} 条以前已记录，没有变化：请只把改正后的"
                            "没有通过的行再上传",
                            r.rows, r.refused.size(), r.recorded, r.duplicates);
  if (r.high_yield_confirmed && !rolled_back)
    r.summary += fmt::format("（其中 {} 条采收量超过最高亩产（产品没有填写的按每亩 {} 千克），由主管 {} 确认无误）", r.high_yield_confirmed,
                             kMaxHarvestKgPerMu, options.high_yield_confirmed_by);
  if (r.high_yield)
    r.summary += fmt::format("。其中 {} 条的采收量超过最高亩产（产品没有填写的按每亩 {} 千克）：核对原始记录后确实无误的，请本企业主管在下面输入主管账号和 "
                             "PIN 确认，再导入整个文件",
                             r.high_yield, kMaxHarvestKgPerMu);
  return r;
}

std::string header_template_csv(const std::string& type) {
  std::vector<CsvColumn> cols;
  try {
    cols = csv_columns(type, i18n::Lang::en);
  } catch (const i18n::Refusal& e) {
    throw_bad_input(e.text(i18n::Lang::zh));
  }
  std::vector<std::string> headers;
  for (const auto& c : cols) headers.push_back(c.header);
  return "\xEF\xBB\xBF" + fmt::format("{}", fmt::join(headers, ",")) + "\r\n";
}

std::vector<std::pair<std::string, std::string>> template_types() {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& t : csv_event_types()) out.emplace_back(t, csv_type_word(t, i18n::Lang::zh));
  return out;
}

}  // namespace agtrace::station
