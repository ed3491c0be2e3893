// The clerk's upload: encoding, import, header templates (upload.h).
#include "station/upload.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "ledger/csv/csv_reader.h"
#include "ledger/csv/text_decoding.h"
#include "ledger/i18n/refusal.h"
#include "ledger/import/csv_import.h"
#include "ledger/util/error.h"

namespace agtrace::station {

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
  if (!batch.full_width_lines.empty())
    r.note = i18n::text(i18n::Lang::zh, i18n::Msg::note_full_width,
                        i18n::text(i18n::Lang::zh, i18n::Msg::where_line, file,
                                   fmt::format("{}", fmt::join(batch.full_width_lines, "、"))));
  AppendOptions a;
  a.continue_on_error = options.continue_on_error;
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
    if (!out.error.empty())
      r.refused.push_back({out.where, out.error});
    else if (out.duplicate)
      ++r.duplicates;
    else if (!rolled_back && out.index)
      ++r.recorded;
  }
  if (r.refused.empty())
    r.summary = r.duplicates
                    ? fmt::format("已记录 {} 条；另有 {} 条和账本里已有的记录完全相同，没有重复记录", r.recorded, r.duplicates)
                    : fmt::format("已记录全部 {} 条", r.recorded);
  else if (rolled_back)
    r.summary = fmt::format("{} 条中有 {} 条没有通过，整个文件都没有记录：请在 Excel 里改正下面这些行，再上传整个文件", r.rows,
                            r.refused.size());
  else
    r.summary = fmt::format("{} 条中有 {} 条没有通过，没有记录；其余 {} 条已记录：请只把改正后的这些行再上传", r.rows,
                            r.refused.size(), r.recorded);
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
