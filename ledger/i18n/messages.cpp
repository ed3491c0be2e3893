// The catalogue's rows: each message in Chinese, then English.
#include "ledger/i18n/messages.h"

#include <cstdlib>
#include <stdexcept>

namespace agtrace::i18n {

namespace {

using enum Msg;

// One row per Msg, in Msg order.
constexpr Message kMessages[] = {
    // A place and what is wrong there are joined by a space in Chinese ("采收.csv 第 3 行 I 列「单位」：…")
    // and by ": " in English ("采收.csv line 3: column I "单位" …").
    {where_line, 2, "{0} 第 {1} 行", "{0} line {1}"},
    {column_ref, 2, "{0} 列「{1}」", "column {0} \"{1}\""},
    {column_field, 2, "{0}", "{0} (field {1})"},
    {column_absent, 1, "「{0}」列（表中没有这一列）", "column \"{0}\" (not in the file)"},

    {refused_nothing_recorded, 3, "{1} 条中有 {0} 条没有通过，整个文件都没有记录：",
     "{0} of {1} {2} refused; nothing was recorded:"},
    {fix_and_retry, 0, "改正这些行后重新导入整个文件；或者加 --continue-on-error，先记录正确的行",
     "fix them and try again, or pass --continue-on-error to record the good ones"},
    {refused_row, 2, "未记录：{0} {1}", "refused: {0}: {1}"},
    {refused_some_recorded, 4,
     "{1} 条中有 {0} 条没有通过（上面标「未记录」的），其余 {3} 条已记录；改正未记录的行后，只导入这些行",
     "{0} of {1} {2} refused; the others were recorded ({3}, listed above as recorded)"},
    {refused_all, 3, "{1} 条中有 {0} 条没有通过；没有记录任何内容", "{0} of {1} {2} refused; nothing was recorded"},
    {recorded_row, 3, "{0}：已记录 {1}（第 {2} 条）", "{0}: recorded {1} as entry {2}"},
    {already_recorded_row, 3, "{0}：{1} 以前已记录（第 {2} 条），没有变化",
     "{0}: {1} already recorded at entry {2} (no change)"},
    {note_full_width, 1, "注意：{0} 的全角数字（如 １５００）已按半角数字读入",
     "note: full-width digits (such as １５００) on {0} were read as plain digits"},
    {error_prefix, 0, "错误：", "error: "},

    {header_problems, 3, "{0} 第 {1} 行（表头）有 {2} 处问题，整个文件都没有记录；改好表头后重新导入"
                         "（agtrace-ledger columns 事件类型 列出每种事件的列）：",
     "{0} line {1} (the header) has {2} problem(s); nothing was recorded; fix the header and import again "
     "(`agtrace-ledger columns TYPE` lists each event type's columns):"},
    {header_unknown, 1, "{0}：不认识这个表头；请改成 agtrace-ledger columns 列出的列名，或删除这一列",
     "{0}: not a column CSV import knows; rename it, or delete the column"},
    {header_did_you_mean, 2, "{0}：不认识这个表头，是不是「{1}」？请改成「{1}」",
     "{0}: not a column CSV import knows; did you mean \"{1}\"? rename it"},
    {header_not_needed, 1, "{0}：不需要这一列（导入会自己记下每一行的行号），请删除此列",
     "{0}: not needed (the import numbers the rows itself); delete the column"},
    {header_empty, 1, "{0}：表头是空的；填上列名，或删除这一列（连同下面的内容）",
     "{0}: the header cell is empty; name the column, or delete it"},
    {header_repeated, 2, "{0}：和 {1}重名；删除其中一列", "{0}: the same name as {1}; delete one of them"},
    {header_two_for_one, 3, "{0}和 {1}是同一项（{2}）；只留一列",
     "{0} and {1} both give field {2}; keep one"},
    {title_row, 3, "{0} 第 {1} 行像是表格标题（「{2}」），请删除，让表头在第一行",
     "{0} line {1} looks like the sheet's title (\"{2}\"); delete it so that the header is the first line"},
    {no_type_column, 1, "{0}：没有「事件类型」列；加上这一列，或导入时加 --type（如 --type 采收）",
     "{0}: no 事件类型/type column; add one or pass --type (e.g. --type harvest)"},
    {no_data_rows, 1, "{0}：只有表头，没有数据行，没有记录任何内容（是不是导出了别的工作表？）",
     "{0}: no data rows; nothing recorded (only a header: was the right sheet exported?)"},
    {type_option_unknown, 2, "--type {0}：不是导入认识的事件类型；请用 {1} 之一",
     "--type {0}: not an event type CSV import knows; use one of {1}"},

    {cell_not_accepted, 2, "「{0}」不是可选的值；请填 {1} 之一", "\"{0}\" is not an accepted value; use one of {1}"},
    {cell_thousands, 2, "「{0}」带有千位分隔符或空格；请去掉，写成 {1}",
     "\"{0}\" has a thousands separator or spaces; remove them: write {1}"},
    {cell_not_number, 1, "「{0}」不是数字；请只填数字，如 1250.5（最多 6 位小数）",
     "\"{0}\" is not a number; write a plain number such as 1250.5 (at most 6 decimal places)"},
    {cell_number_and_unit, 2, "数量和单位请分开填写：数量 {0}，单位 {1}",
     "write the quantity and its unit in separate cells: quantity {0}, unit {1}"},
    {cell_not_whole, 1, "「{0}」不是整数；请填整数，如 30", "\"{0}\" is not a whole number; write one such as 30"},
    {cell_not_boolean, 1, "「{0}」请填「是」或「否」", "\"{0}\" is not 是/否 (true/false)"},
    {cell_too_long, 2, "这一格有 {0} 字节，超过 {1} 字节的上限；请缩短",
     "the cell is {0} bytes long, over the limit of {1} bytes; shorten it"},
    {cell_no_field, 2, "{0}事件没有这一项，填的「{1}」会丢失；请清空这一格，或检查这一行的事件类型",
     "{0} events have no such field, so its value \"{1}\" would be lost; leave the cell empty, or check the "
     "row's event type"},
    {cell_helper_empty, 1, "{0} 是空的，但这一格要用到它；请填写",
     "{0} is empty, but this cell needs it; fill it in"},
    {cell_type_empty, 0, "事件类型是空的；请填写事件类型（如 采收），或导入时加 --type",
     "field type: empty; write the event type, or import with --type"},
    {cell_bad_item, 2, "「{0}」的写法不对；应写成 {1}", "\"{0}\" is not {1}"},
    {gtin_leading_zero, 1,
     "「{0}」不是 14 位的 GTIN：Excel 去掉了开头的 0；请把这一列设成「文本」格式，再填 14 位数字（如 06901234567892）",
     "\"{0}\" is not a 14-digit GTIN; Excel dropped the leading 0: format the GTIN column as text and type the 14 "
     "digits (e.g. 06901234567892)"},
    {gtin_scientific, 1,
     "「{0}」不是 14 位的 GTIN：Excel 把它写成了科学计数法；请把这一列设成「文本」格式，再填 14 位数字（如 06901234567892）",
     "\"{0}\" is not a 14-digit GTIN; Excel wrote it in scientific notation: format the GTIN column as text and "
     "type the 14 digits (e.g. 06901234567892)"},
    {excel_date_number, 1, "「{0}」是 Excel 的日期序号，不是时间；请把这一列设成日期时间格式（yyyy-mm-dd hh:mm）",
     "\"{0}\" is an Excel date number, not a time; format the column as a date-time (yyyy-mm-dd hh:mm)"},
    {time_no_offset, 1,
     "「{0}」没有时区；导入时加 --tz +08:00（北京时间），或写成 2022-10-05T08:30:00+08:00",
     "\"{0}\" has no UTC offset; import with --tz +08:00 (Beijing time), or write the offset in the cell "
     "(2022-10-05T08:30:00+08:00)"},
    {date_no_tz, 2, "「{0}」只有日期；导入时加 --tz +08:00（北京时间），它就记为当天 0 点（{1}）",
     "\"{0}\" is a date without a time; import with --tz +08:00 (Beijing time) and it is recorded as 00:00 that "
     "day ({1})"},
    {date_needs_time, 2,
     "「{0}」只有日期，但{1}事件要记到几点几分（只有种植、采收、包装可以只填日期）；请写成 2026-09-25 08:30",
     "\"{0}\" is a date without a time, but a {1} event needs its time of day (only planting, harvest and "
     "packing may give just a date); write it as 2026-09-25 08:30"},
    {date_invalid, 1, "「{0}」不是有效的日期；请写成 2026-09-25、2026/9/25 或 2026年9月25日",
     "\"{0}\" is not a valid date; write it as 2026-09-25, 2026/9/25 or 2026年9月25日"},
    {unit_jin, 1, "「{0}」：1 斤 = 0.5 千克，请换算成千克（如 300 斤填 150，单位 千克）",
     "\"{0}\": 1 斤 (jin) = 0.5 千克 (kg); convert to kilograms (300 斤 is 150 千克)"},
    {unit_box_in_pack_size, 1,
     "「{0}」是一件包装本身，不是每件装多少；这里填每件的重量或体积单位（千克、克、升……）",
     "\"{0}\" is the package itself, not what one package holds; give the weight or volume unit of one piece "
     "here (千克, 克, 升, …)"},
    {unit_unknown, 2, "「{0}」不是认识的单位；请填 {1} 之一", "\"{0}\" is not a unit CSV import knows; use one of {1}"},

    {row_repeats, 1, "与第 {0} 行完全相同（重复的行）；删除这一行",
     "repeats line {0} exactly (a duplicated row); delete it"},
    {event_id_reused, 2, "事件编号「{0}」第 {1} 行已经用过；每一行要有自己的事件编号",
     "event_id \"{0}\" is already used on line {1}; every row needs its own event_id"},
    {unknown_lot, 1, "没有批次「{0}」；先记录产生这个批次的事件",
     "unknown lot \"{0}\"; record the event that creates it first"},
    {unknown_lot_did_you_mean, 2, "没有批次「{0}」；是不是{1}？", "unknown lot \"{0}\"; did you mean {1}?"},

    // Corrections (issue 16 item 3).
    {event_changed_use_correction, 2,
     "事件编号「{0}」已经记录过（{1}），内容与这里不同；要更正那条记录，在这一行填上「更正原因」再导入"
     "（JSON 用 agtrace-ledger correct；见 docs/clerk-import.md「更正记录」）；要记录另一件事，换一个新的事件编号",
     "event_id \"{0}\" was already recorded ({1}) with other content; to correct that record, fill in 更正原因 "
     "(correction_reason) on this row and import it again (or use `agtrace-ledger correct`; docs/clerk-import.md, "
     "\"更正记录\"); for another event, use a new event_id"},
    {correction_before_v5, 2,
     "这个账本的规则版本是 {0}，带替代内容的更正从版本 {1} 起才有；请管理员先运行 agtrace-ledger upgrade"
     "（见 docs/rules-versions.md）",
     "this ledger's rules version is {0}; a correction that carries its replacement needs rules version {1}: ask "
     "the administrator to run `agtrace-ledger upgrade` first (docs/rules-versions.md)"},
    {correction_unknown_event, 1, "没有记录过事件编号「{0}」，无从更正；请核对事件编号（agtrace-ledger log 列出已记录的事件）",
     "no event \"{0}\" is recorded, so there is nothing to correct; check the event id (`agtrace-ledger log` "
     "lists the recorded events)"},
    {correction_not_correctable, 2,
     "事件「{0}」（{1}）不能这样更正：只有种植、投入品使用、采收、检测、加工、包装、预冷、贮藏、发货、收货记录可以更正"
     "（主体、地点、产品重新登记即可；标签、合格证先作废再重开；召回用不带替代内容的更正撤回）",
     "event \"{0}\" ({1}) cannot be corrected this way: only planting, input_application, harvest, inspection, "
     "transformation, packing, precooling, storage, shipping and receiving events can (record master data again to "
     "change it; void labels and certificates and issue new ones; withdraw a recall with a correction without a "
     "replacement)"},
    {correction_type_changed, 2, "事件类型不能更正：原记录是 {1}，这里是 {0}；请按原记录的类型填写",
     "the event type cannot be corrected: {1} was recorded, this says {0}; keep the recorded type"},
    {correction_id_changed, 2,
     "事件编号不能更改（已打印的二维码和单据带着它）：要更正的是「{1}」，替代内容写的是「{0}」；请用原事件编号",
     "the event id cannot be changed (printed codes and papers carry it): the correction is of \"{1}\" but its "
     "replacement says \"{0}\"; use the recorded event id"},
    {correction_lots_changed, 2,
     "批次编号不能更正（已打印的二维码带着它）：原记录为 {0}，这里为 {1}；请保留原批次编号（编号写错的，在备注中说明）",
     "lot ids cannot be changed (printed QR codes carry them): {0} was recorded, this says {1}; keep the recorded "
     "lot ids (if one was mistyped, say so in the note)"},
    {correction_product_changed, 3, "批次「{0}」的产品不能更正：原为「{1}」，这里为「{2}」；请保留原产品",
     "the product of lot \"{0}\" cannot be corrected: \"{1}\" was recorded, this says \"{2}\"; keep the "
     "recorded product"},
    {correction_link_changed, 2, "加工批号（transformation_id）不能更正：原为「{0}」，这里为「{1}」；请保留原来的",
     "the transformation_id cannot be corrected: \"{0}\" was recorded, this says \"{1}\"; keep the recorded one"},
    {correction_downstream_balance, 6,
     "更正后批次「{0}」只有 {1} {2}，但后来的事件「{3}」（条目 {4}）记录时已从它共用去 {5} {2}；"
     "先更正事件「{3}」，或核对这里的数量",
     "after this correction lot \"{0}\" would hold only {1} {2}, but the later event \"{3}\" (entry {4}) had "
     "taken {5} {2} from it in all; correct \"{3}\" first, or check this quantity"},
    {correction_downstream_time, 5,
     "更正后批次「{0}」到 {1} 才产生，但后来的事件「{2}」（条目 {3}）记在 {4}，会早于批次产生；"
     "先更正事件「{2}」的时间，或核对这里的时间",
     "after this correction lot \"{0}\" would exist only from {1}, but the later event \"{2}\" (entry {3}) is "
     "at {4}, before that; correct the time of \"{2}\" first, or check this time"},
    {correction_downstream_labels, 5,
     "更正后批次「{0}」只包装了 {1} 件，但标签任务「{3}」（条目 {4}）之后它有 {2} 张有效标签；"
     "先作废多余的标签，或核对这里的件数",
     "after this correction lot \"{0}\" would hold only {1} packs, but it has {2} live labels after the label job "
     "\"{3}\" (entry {4}); void the extra labels first, or check this count"},
};

constexpr std::string_view kNames[] = {
    "where_line", "column_ref", "column_field", "column_absent", "refused_nothing_recorded", "fix_and_retry", "refused_row",
    "refused_some_recorded", "refused_all", "recorded_row", "already_recorded_row", "note_full_width",
    "error_prefix", "header_problems", "header_unknown", "header_did_you_mean", "header_not_needed",
    "header_empty", "header_repeated", "header_two_for_one", "title_row", "no_type_column", "no_data_rows",
    "type_option_unknown", "cell_not_accepted", "cell_thousands", "cell_not_number", "cell_number_and_unit",
    "cell_not_whole", "cell_not_boolean", "cell_too_long", "cell_no_field", "cell_helper_empty",
    "cell_type_empty", "cell_bad_item", "gtin_leading_zero", "gtin_scientific", "excel_date_number",
    "time_no_offset", "date_no_tz", "date_needs_time", "date_invalid", "unit_jin", "unit_box_in_pack_size",
    "unit_unknown", "row_repeats", "event_id_reused", "unknown_lot", "unknown_lot_did_you_mean",
    // Corrections.
    "event_changed_use_correction", "correction_before_v5", "correction_unknown_event", "correction_not_correctable",
    "correction_type_changed", "correction_id_changed", "correction_lots_changed", "correction_product_changed",
    "correction_link_changed", "correction_downstream_balance", "correction_downstream_time",
    "correction_downstream_labels",
};

static_assert(std::size(kNames) == std::size(kMessages), "one name per catalogue row");

}  // namespace

const Message& message(Msg id) {
  auto i = static_cast<std::size_t>(id);
  if (i >= std::size(kMessages) || kMessages[i].id != id)
    throw std::logic_error(fmt::format("message catalogue: no row {} in place", i));
  return kMessages[i];
}

std::string_view catalogue_name(Msg id) {
  auto i = static_cast<std::size_t>(id);
  return i < std::size(kNames) ? kNames[i] : "?";
}

const Message* catalogue_begin() { return std::begin(kMessages); }
const Message* catalogue_end() { return std::end(kMessages); }

std::optional<Lang> parse_lang(std::string_view name) {
  if (name == "zh") return Lang::zh;
  if (name == "en") return Lang::en;
  return std::nullopt;
}

bool locale_is_chinese(std::string_view locale) {
  return locale == "zh" || locale.starts_with("zh_") || locale.starts_with("zh.") || locale.starts_with("zh-");
}

Lang choose_lang(std::optional<Lang> option, bool input_is_chinese) {
  if (option) return *option;
  for (const char* var : {"LC_ALL", "LC_MESSAGES", "LANG"}) {
    const char* v = std::getenv(var);
    if (v && *v) {
      if (locale_is_chinese(v)) return Lang::zh;
      break;  // the first one set decides the locale
    }
  }
  return input_is_chinese ? Lang::zh : Lang::en;
}

bool has_chinese(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    auto b = static_cast<unsigned char>(s[i]);
    int n = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    if (n == 3 && i + 2 < s.size()) {
      char32_t c = ((b & 0x0F) << 12) | ((s[i + 1] & 0x3F) << 6) | (s[i + 2] & 0x3F);
      if ((c >= 0x3400 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF)) return true;
    }
    i += n;
  }
  return false;
}

}  // namespace agtrace::i18n
