// The catalogue's rows: each message in Chinese, then English.
#include "ledger/i18n/messages.h"

#include <cctype>
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
    {note_full_width, 1, "注意：{0}中的全角数字和字母已按半角读入",
     "note: full-width digits and letters in {0} were read as plain ones"},
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
     "「{0}」不是 14 位的 GTIN：Excel 去掉了开头的 0；请把这一列设成「文本」格式，再填 0{0}",
     "\"{0}\" is not a 14-digit GTIN; Excel dropped the leading 0: format the GTIN column as text and type 0{0}"},
    {gtin_scientific, 1,
     "「{0}」不是 14 位的 GTIN：Excel 把它写成了科学计数法，后面几位已经丢了；请把这一列设成「文本」格式，再照产品包装上的条码填全 14 位数字（前面的 0 也要）",
     "\"{0}\" is not a 14-digit GTIN; Excel wrote it in scientific notation, losing its last digits: format the GTIN "
     "column as text and type the 14 digits from the product's barcode (leading 0 included)"},
    {excel_date_number, 1, "「{0}」是 Excel 的日期序号，不是时间；请把这一列设成日期时间格式（yyyy-mm-dd hh:mm）",
     "\"{0}\" is an Excel date number, not a time; format the column as a date-time (yyyy-mm-dd hh:mm)"},
    {time_no_offset, 2,
     "「{0}」没有时区；导入时加 --tz +08:00（北京时间），或写成 {1}",
     "\"{0}\" has no UTC offset; import with --tz +08:00 (Beijing time), or write the offset in the cell ({1})"},
    {date_no_tz, 2, "「{0}」只有日期；导入时加 --tz +08:00（北京时间），它就记为当天 0 点（{1}）",
     "\"{0}\" is a date without a time; import with --tz +08:00 (Beijing time) and it is recorded as 00:00 that "
     "day ({1})"},
    {date_needs_time, 3,
     "「{0}」只有日期，但{1}事件要记到几点几分（只有种植、采收、包装可以只填日期）；请写成 {2}（改成实际的时间）",
     "\"{0}\" is a date without a time, but a {1} event needs its time of day (only planting, harvest and "
     "packing may give just a date); write it as {2} (with the real time)"},
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
    {unknown_lot, 1,
     "账本里还没有批次「{0}」：可能是产生它的事件还没有记录——请先导入产生它的表（种植、采收、包装或加工），"
     "或把各行按时间先后排列",
     "unknown lot \"{0}\": the event that creates it may not be recorded yet — import the sheet that creates it "
     "(planting, harvest, packing or processing) first, or put the rows in time order"},
    {unknown_lot_did_you_mean, 2,
     "账本里还没有批次「{0}」：可能是产生它的事件还没有记录——请先导入产生它的表（种植、采收、包装或加工），"
     "或把各行按时间先后排列；如果是批次编号写错了，账本里相近的有{1}",
     "unknown lot \"{0}\": the event that creates it may not be recorded yet — import the sheet that creates it "
     "(planting, harvest, packing or processing) first, or put the rows in time order; if the lot id is mistyped, "
     "the nearest recorded ones are {1}"},

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
     "更正后批次「{0}」只有 {1} {2}，但后来的事件「{3}」（第 {4} 条）记录时已从它共用去 {5} {2}；"
     "先更正事件「{3}」，或核对这里的数量",
     "after this correction lot \"{0}\" would hold only {1} {2}, but the later event \"{3}\" (entry {4}) had "
     "taken {5} {2} from it in all; correct \"{3}\" first, or check this quantity"},
    {correction_downstream_time, 5,
     "更正后批次「{0}」到 {1} 才产生，但后来的事件「{2}」（第 {3} 条）记在 {4}，会早于批次产生；"
     "先更正事件「{2}」的时间，或核对这里的时间",
     "after this correction lot \"{0}\" would exist only from {1}, but the later event \"{2}\" (entry {3}) is "
     "at {4}, before that; correct the time of \"{2}\" first, or check this time"},
    {correction_downstream_labels, 5,
     "更正后批次「{0}」只包装了 {1} 件，但标签任务「{3}」（第 {4} 条）之后它有 {2} 张有效标签；"
     "先作废多余的标签，或核对这里的件数",
     "after this correction lot \"{0}\" would hold only {1} packs, but it has {2} live labels after the label job "
     "\"{3}\" (entry {4}); void the extra labels first, or check this count"},
    // The append rules and the schema refusals (issue 16, item 1): the text after "field PATH: ",
    // which name_columns turns into the clerk's column. Quantities in the clerk's units (公斤),
    // times as the events wrote them (their own offset).
    {rule_units_incomparable, 2, "{0}和{1}无法相比；请用同一类单位，或在产品表里给产品填上「包装规格」「包装单位」（每件多少千克），件数才能换算成重量",
     "cannot compare {0} with {1}; use the same kind of unit, or give the product a pack_size so pieces (H87) "
     "convert to weight"},
    {rule_future_time, 2, "「{0}」比现在（{1}）晚 5 分钟以上；请检查日期和时区（北京时间是 +08:00）",
     "{0} is more than 5 minutes in the future (now {1}); check the date and the UTC offset"},
    {rule_unknown_master, 2, "没有{0}「{1}」；请检查编号是否写错，或先记录这个{0}（事件类型为「{0}」的一行）",
     "unknown {0} \"{1}\"; record the {0} first"},
    {rule_no_such_event, 1, "没有记录过事件「{0}」；请先记录替代的事件，并填写已记录的事件编号",
     "no event \"{0}\" is recorded; record the replacement first, and name an event that exists"},
    {rule_lot_created_twice, 1, "批次「{0}」在这一行里产生了两次；每个新批次只写一次",
     "lot \"{0}\" is created twice in this event"},
    {rule_lot_exists, 3, "批次「{0}」已经有了（产生它的是{1}事件：{2}）；新批次要用新的批次号",
     "lot \"{0}\" already exists (created by the {1} at {2}); a new lot needs a new id"},
    {rule_lot_in_and_out, 1, "批次「{0}」不能既是投入又是产出", "lot \"{0}\" cannot be both input and output"},
    {rule_before_lot, 5, "「{0}」早于批次「{1}」产生的时间（{4}的{2}事件，{3}）；一个批次的事件要在它产生之后，请核对时间",
     "{0} is before lot \"{1}\" existed (its {2} at {3}, {4}); events of a lot must follow its creation"},
    {rule_harvest_in_interval, 6,
     "{0} 采收还在安全间隔期内：批次「{2}」{3} 施药（{1}），安全间隔期 {4} 天，{5} 起才能采收；请核对采收日期和施药记录",
     "harvest on {0} is inside the pre-harvest interval of pesticide application {1} on lot \"{2}\" (applied {3}, "
     "{4} days: harvest from {5} on)"},
    {rule_spray_after_harvest, 5, "批次「{0}」已在 {1} 采收（{2}），在这次施药（{4} 起 {3} 天）的安全间隔期内；请核对施药日期",
     "lot \"{0}\" was already harvested on {1} (event {2}), inside this application's pre-harvest interval ({3} "
     "days from {4})"},
    {rule_gtin_check_digit, 3, "「{0}」的校验位不对（按 GS1 规则应为 {1}，不是 {2}）；请从中国物品编码中心的注册信息重新抄写 GTIN",
     "\"{0}\" has a wrong check digit (GS1 mod 10 gives {1}, not {2}); copy the GTIN again from the GS1 China "
     "registration"},
    {rule_gtin_zeros, 2,
     "「{0}」开头有 {1} 个 0，但写成 14 位的 GTIN 开头最多 6 个 0（GTIN-8 有 6 个）；请从中国物品编码中心的注册信息抄写完整的 "
     "GTIN，产品没有 GTIN 就空着",
     "\"{0}\" starts with {1} zeros, but a GTIN has at most six when written as 14 digits (a GTIN-8 has six); copy "
     "the full GTIN from the GS1 China registration, or leave gtin out if the product has none"},
    {rule_gtin_taken, 2, "「{0}」已经是产品「{1}」的 GTIN；每个产品要有自己的 GTIN",
     "\"{0}\" is already the GTIN of product \"{1}\"; each product needs its own GTIN"},
    {rule_item_over_limit, 3, "{0} 检测值 {1} 超过限量 {2}，却写了合格；请改为不合格（整个检测结果也改为不合格）",
     "{0} measured {1} is over its limit {2}, but the item says pass; mark it fail (and the inspection's result "
     "fail)"},
    {rule_failed_item_passes, 0, "写了合格，但有一项不合格；有不合格项的检测结果是不合格",
     "pass, but an item failed; an inspection with a failed item fails"},
    {rule_harvest_product, 3, "「{0}」和批次「{1}」种的产品（「{2}」）不一样；请填种的产品，或空着这一格",
     "\"{0}\" differs from the product planted on lot \"{1}\" (\"{2}\"); name the planted product, or leave the "
     "field out"},
    {rule_transformation_id_version, 2,
     "账本的规则版本是 {0}，不按编号关联加工；请空着这一格，或请日志密钥持有人把账本升级到规则版本 {1}（docs/rules-versions.md）",
     "this ledger's rules version is {0}, which does not link transformations by id; leave the field out, or move "
     "the ledger to rules version {1} (docs/rules-versions.md)"},
    {rule_not_conserved, 4, "产出 {0} {3} 超过了投入 {1} {3} 减去损耗 {2} {3}；数量要对得上，请改正数量或填写损耗",
     "{0} {3} out exceeds {1} {3} in minus {2} {3} stated loss; quantities must be conserved (correct the "
     "quantities or state the loss)"},
    {rule_lot_short, 5, "批次「{0}」只剩 {1} {4}（共 {2} {4}），不够 {3} {4}；请改正数量，或检查批次号",
     "lot \"{0}\" has only {1} {4} left (of {2} {4} made); it cannot give {3} {4}"},
    {rule_event_id_taken, 2,
     "事件编号「{0}」已经记录过（{1}），内容不同；新的事件请用新的事件编号。这类记录不能更正：合格证开错了请作废后用新编号重开，"
     "其他记录请记录新的事件说明",
     "\"{0}\" was already recorded at {1} with other content; use a new event_id. This kind of record cannot be "
     "corrected: void a wrong certificate and issue a new one under a new number, or record a new event"},
    {rule_event_id_recorded, 2, "事件编号「{0}」已经记录过（第 {1} 条）；请用新的事件编号",
     "\"{0}\" was already recorded at entry {1}"},
    {cert_units_incomparable, 2,
     "{0}无法和批次的{1}相比；请用批次的那一类单位，或在产品资料中填每件规格（pack_size），件数才能换算成重量",
     "cannot compare {0} with the lot's {1}; use the lot's kind of unit, or give the product a pack_size so pieces "
     "(H87) convert to weight"},
    {cert_lot_no_quantity, 2, "批次「{0}」本身没有数量（是{1}批次）；请为由它产生的采收或包装批次开具合格证",
     "lot \"{0}\" has no quantity of its own (it is a {1} lot); issue the certificate for the harvest or packed lot "
     "made from it"},
    {cert_quantity_moved, 7,
     "批次「{0}」共 {1} {2}，其中 {3} {2} 已转入其他批次（包装、分级或合并，由那些批次开具合格证），剩余 {4} {2}；"
     "{5}，再开 {6} {2} 就超出了；请减少数量，或为由它产生的批次开具",
     "lot \"{0}\" holds {1} {2}, of which {3} {2} went into other lots (packing, grading, merging: their "
     "certificates cover it) and {5}; {6} {2} more would exceed what is left ({4} {2}) — issue for less, or issue "
     "it for the lots made from it"},
    {cert_quantity_over, 5,
     "批次「{0}」共 {1} {2}，{3}，再开 {4} {2} 就超出了批次的数量；请减少数量，或先作废开错的合格证（作废合格证）",
     "lot \"{0}\" holds {1} {2} and {3}; {4} {2} more would exceed the lot — issue for less, or void a wrong "
     "certificate first (certificate_voided)"},
    {cert_lot_recalled, 3, "批次「{0}」{1}已召回（事件 {2}）；召回的批次不能开具承诺达标合格证",
     "lot \"{0}\"{1} was recalled (event {2}); a recalled lot gets no 承诺达标合格证"},
    {cert_lot_failed, 4, "批次「{0}」{1}检测不合格（{2}，报告 {3}）；检测不合格的批次和由它产生的批次都不能开具承诺达标合格证",
     "lot \"{0}\"{1} failed inspection {2} (report {3}); a lot with a failed inspection in its ancestry gets no "
     "承诺达标合格证"},
    {cert_interval_running, 6,
     "批次「{0}」于 {1} 施用的 {2}（安全间隔期 {3} 天）要到 {4} 才过安全间隔期，此前不能开具承诺达标合格证，"
     "无论依据是检测还是质量控制；请 {4} 起再开具",
     "pesticide application {2} on lot \"{0}\" ({1}, {3} days) makes it safe only from {4}, after this "
     "certificate's date {5}; no 承诺达标合格证 is issued while a pre-harvest interval is running, whatever the basis "
     "(a test may not cover that pesticide) — issue it from {4} on"},
    {cert_basis_twice, 1, "{0}勾选了两次；每种依据只写一次", "{0} is ticked twice; tick each basis once"},
    {cert_basis_interval, 7,
     "{0}不成立：批次「{2}」于 {3} 施用的 {1}（安全间隔期 {4} 天）要到 {5} 才过安全间隔期，晚于合格证日期 {6}；请 {5} "
     "起再开具，或改用其他依据",
     "{0} is not met: pesticide application {1} on lot \"{2}\" ({3}, {4} days) makes it safe only from {5}, after "
     "this certificate's date {6}; issue it from {5} on, or on another basis"},
    {cert_no_evidence, 1, "{0}要写明作为依据的合格检测（写成 {0}=检测的事件编号）；请先记录检测，再填在这里",
     "{0} needs the event_id of the passed inspection that supports it; record the inspection first and name it "
     "here"},
    {cert_evidence_unknown, 1, "没有记录过事件「{0}」；请填已记录的检测的事件编号",
     "no event \"{0}\" is recorded; name a recorded inspection"},
    {cert_evidence_not_inspection, 3, "事件「{0}」是{1}，不是检测；{2}要以检测记录为依据",
     "event \"{0}\" is a {1}, not an inspection; {2} is supported by an inspection entry"},
    {cert_evidence_other_lots, 3, "检测「{0}」检的是批次{1}，不是批次「{2}」，也不是它的来源批次；请填这个批次或其来源批次的检测",
     "inspection \"{0}\" is of lots {1}, none of which is lot \"{2}\" or a lot it was made from; name an inspection "
     "of this lot or its ancestry"},
    {cert_evidence_failed, 1, "检测「{0}」不合格，不能作为合格证的依据", "inspection \"{0}\" did not pass"},
    {cert_evidence_later, 3, "检测「{0}」（{1}）晚于合格证（{2}）；合格证只能以开具前做的检测为依据",
     "inspection \"{0}\" ({1}) is later than the certificate ({2}); a certificate rests on inspections made before "
     "it"},
    {cert_self_tested_other, 3,
     "检测「{0}」是主体「{1}」做的，不是开具人「{2}」自己做的；自行检测合格要以开具人自己的检测为依据——别的单位的实验室做的请写委托检测合格",
     "inspection \"{0}\" was made by party \"{1}\", not by the issuer \"{2}\"; 自行检测合格 rests on the issuer's own "
     "test — tick 委托检测合格 (commissioned_test) for another party's laboratory"},
    {cert_commissioned_self, 2, "检测「{0}」是开具人「{1}」自己做的；自己做的检测请写自行检测合格",
     "inspection \"{0}\" was made by the issuer \"{1}\" itself; tick 自行检测合格 (self_tested) for the issuer's own "
     "test"},
    {cert_commissioned_not_lab, 3,
     "检测「{0}」是主体「{1}」做的，它的角色是 {2}，不是检测机构（laboratory）；委托检测合格要以检测机构的检测为依据",
     "inspection \"{0}\" was made by party \"{1}\", whose role is {2}, not laboratory; 委托检测合格 rests on a test by "
     "a laboratory"},
    {cert_producer_parents, 0, "生产者自己开具的合格证（样式一）不填已收取合格证；收购后混合批次再开具的是样式二",
     "a producer's certificate (style producer, 样式一) names no parent certificates; a re-issue after mixing "
     "collected lots is style buyer (样式二)"},
    {cert_buyer_no_parents, 1,
     "收购者再开具的合格证（样式二）要写明批次「{0}」的每个来源批次收取的合格证（已收取合格证，写成 开具主体*合格证编号）；"
     "纸质合格证请先以「收取合格证」记录",
     "a buyer's re-issue (style buyer, 样式二) names the certificate collected for each input lot of \"{0}\"; record "
     "paper ones with certificate_received first"},
    {cert_parent_unknown, 2, "账本里没有开具主体「{1}」的合格证 {0}；请先以「收取合格证」记录收取的合格证",
     "no certificate {0} of issuer \"{1}\" is in the ledger; record the collected certificate with "
     "certificate_received first"},
    {cert_parent_voided, 2, "合格证 {0} 已作废（{1}）；不能作为再开具的依据",
     "certificate {0} was voided at {1}; it supports no re-issue"},
    {cert_parent_other_lot, 3, "合格证 {0} 是批次「{1}」的，不是批次「{2}」或它的来源批次的；请填来源批次的合格证",
     "certificate {0} is for lot \"{1}\", which is not lot \"{2}\" or a lot it was made from"},
    {cert_parent_missing, 2,
     "批次「{1}」的来源批次「{0}」没有写明合格证；收购者再开具要写明每个来源批次收取的合格证——请以「收取合格证」记录种植者的纸质合格证"
     "（或填为它开具的合格证），再加到「已收取合格证」（写成 开具主体*合格证编号，多项用 ; 分隔）",
     "no certificate is named for input lot \"{0}\" of lot \"{1}\"; a buyer's re-issue names the certificate "
     "collected for every input lot — record the grower's paper certificate with certificate_received (or name the "
     "certificate issued for it) and add it to parents (已收取合格证: ISSUER*NUMBER, separated by ;)"},
    {cert_shipment_unknown, 1, "「{0}」不是已记录的发货事件；请先记录发货，或空着这一格",
     "\"{0}\" is not a recorded shipping event; record the shipment first, or leave the field out"},
    {cert_shipment_other_lot, 2, "发货「{0}」没有运批次「{1}」；请填运这个批次的发货事件编号，或空着这一格",
     "shipping event \"{0}\" does not carry lot \"{1}\""},
    {cert_number_reused, 3, "合格证编号 {0} 已经用过（{1}{2}）；编号不能重复使用——请给这张合格证一个新编号",
     "certificate {0} was issued at {1}{2}; a number is never reused — give this certificate a new number"},
    {cert_product_differs, 3, "「{0}」和批次「{1}」的产品「{2}」不一样；请填这个批次的产品",
     "\"{0}\" differs from lot \"{1}\"'s product \"{2}\"; name the lot's product"},
    {cert_void_unknown, 1, "账本里没有开具过编号为 {0} 的合格证；请核对合格证上的编号",
     "no certificate {0} was issued in this ledger; check the number on the certificate"},
    {cert_void_twice, 2, "合格证 {0} 已经作废过（{1}），不用再作废",
     "certificate {0} was already voided at {1}"},
    {cert_received_twice, 3, "开具主体「{1}」的合格证 {0} 已经记录过（{2}），不用再记录",
     "certificate {0} of issuer \"{1}\" was already recorded at {2}"},
    {cert_required_needs_version, 2,
     "账本的规则版本是 {0}，还没有承诺达标合格证；请空着这一格，或由日志密钥持有人用 `agtrace-ledger upgrade --log-key LOGKEY` "
     "把账本升级到规则版本 {1}（docs/rules-versions.md）",
     "this ledger's rules version is {0}, which has no 承诺达标合格证; leave the field out, or move the ledger to "
     "rules version {1} with `agtrace-ledger upgrade --log-key LOGKEY` (docs/rules-versions.md)"},
    {label_field_needs_version, 3,
     "账本的规则版本是 {0}，标签任务还没有 {1} 这一项；请去掉它，或由日志密钥持有人用 `agtrace-ledger upgrade --log-key LOGKEY` "
     "把账本升级到规则版本 {2}（docs/rules-versions.md）",
     "this ledger's rules version is {0}, which has no {1} in label jobs; leave it out, or move the ledger to rules "
     "version {2} with `agtrace-ledger upgrade --log-key LOGKEY` (docs/rules-versions.md)"},
    {cert_type_needs_version, 3,
     "{0}要规则版本 {1}，账本现在是版本 {2}；请日志密钥持有人用 `agtrace-ledger upgrade --log-key LOGKEY` 升级"
     "（docs/rules-versions.md）",
     "{0} needs rules version {1}, and this ledger is at version {2}; the log key holder moves it there with "
     "`agtrace-ledger upgrade --log-key LOGKEY` (docs/rules-versions.md)"},
    {label_lot_recalled, 4, "批次「{0}」{1}已召回（事件 {2}），不能再{3}标签；召回批次的旧标签请作废",
     "lot \"{0}\"{1} was recalled (event {2}); no labels are {3} for a recalled lot — void its codes instead"},
    {label_lot_failed, 5, "批次「{0}」{1}检测不合格（报告 {3}），承诺达标合格证已失效，不能{4}标签",
     "lot \"{0}\"{1} failed inspection {2} (report {3}), so its 承诺达标合格证 is invalidated (已失效) and no labels "
     "are {4}"},
    {label_no_certificate, 3,
     "批次「{0}」（产品 {1}）没有有效的承诺达标合格证，不能{2}标签；请先为该批次开具合格证（导入「开具合格证」一行，见 "
     "docs/certificate.md），不需要合格证的产品，请在产品资料中填 需开具合格证=否",
     "lot \"{0}\" (product {1}) has no valid 承诺达标合格证 (commitment certificate), and from rules version 4 labels "
     "are {2} only for a lot that holds one; issue it first (import a 开具合格证 row, docs/certificate.md), or record "
     "the product again with 需开具合格证 (certificate_required) 否 if it needs none"},
    {schema_missing, 2, "缺少这一项；{0}必须填写{1}", "missing; it is required in {0}{1}"},
    {schema_not_allowed, 1, "{0}没有这一项（请对照 schemas/ 检查拼写）",
     "not allowed in {0} (check its spelling against schemas/)"},
    {schema_value, 2, "「{0}」不符合要求{1}", "value {0} is not allowed{1}"},
    {schema_invalid, 2, "不符合要求：{0}{1}", "{0}{1}"},

    // `agtrace-ledger columns` (issue 16, item 1): how each cell is written.
    {columns_types, 1,
     "CSV 导入认识这些事件类型（事件类型一列填中文或英文都可以）：\n  {0}\n`agtrace-ledger columns 事件类型`（如 columns 采收）列出一种事件的列；加 --csv "
     "只输出表头行，可作为 Excel 模板",
     "CSV import knows these event types: {0}\n`agtrace-ledger columns TYPE` lists a type's columns; add --csv for "
     "its header row"},
    {columns_heading, 1, "{0}事件的 CSV 列（表头用中文或英文都可以；* 为必填）：",
     "{0} events, CSV columns (Chinese or English header; * required):"},
    {columns_type_unknown, 2, "「{0}」不是 CSV 导入认识的事件类型；请用 {1} 之一", "TYPE {0}: CSV import knows {1}"},
    {format_items_values, 1, "名称=检测值|限量|单位|结果（单位可省），多项用 ; 分隔，结果填 {0} 之一",
     "NAME=MEASURED|LIMIT|UNIT|RESULT (UNIT optional), separated by ;, RESULT one of {0}"},
    {format_bases, 1, "依据 或 依据=检测的事件编号|检测的事件编号（作为依据的检测），多项用 ; 分隔，依据填 {0} 之一",
     "BASIS or BASIS=EVENT_ID|EVENT_ID (the inspections that support it), separated by ;, BASIS one of {0}"},
    {format_parents, 0, "开具主体*合格证编号（收取的合格证），多项用 ; 分隔",
     "ISSUER*NUMBER (the collected certificates), separated by ;"},
    {format_pack_unit, 1, "每件装的量的单位，填 {0} 之一（件、个、箱是件数，不是每件的重量，不能填在这里）",
     "the unit of what one piece holds, one of {0} (件, 个 and 箱 count pieces, they are not a piece's weight)"},
    {format_unit, 1, "{0} 之一；斤要换算（1 斤 = 0.5 千克）", "one of {0}; 斤 must be converted (1 斤 = 0.5 千克)"},
    {format_values, 1, "{0} 之一", "one of {0}"},
    {format_text, 0, "文字", "text"},
    {format_decimal, 0, "数字，如 1250.5（不要写成 1,250）", "a decimal number such as 1250.5 (no 1,250)"},
    {format_gtin, 0, "14 位数字，如 06901234567892（把 Excel 的这一列设成文本格式）",
     "14 digits such as 06901234567892 (format the Excel column as text)"},
    {format_integer, 0, "整数", "whole number"},
    {format_boolean, 0, "是 或 否", "是 or 否"},
    {format_time, 0, "2022-10-05 08:30（导入时加 --tz +08:00），或 2022-10-05T08:30:00+08:00",
     "2022-10-05T08:30:00+08:00 (2022-10-05 08:30 with --tz +08:00)"},
    {format_date, 0, "日期：2026-09-25、2026/9/25 或 2026年9月25日", "a date: 2026-09-25, 2026/9/25 or 2026年9月25日"},
    {format_list, 0, "多项用 ; 或 ； 分隔", "items separated by ; or ；"},
    {format_shipped_lots, 0, "批次 或 批次*数量*单位，多项用 ; 分隔", "LOT or LOT*QUANTITY*UNIT, separated by ;"},
    {format_lot_quantities, 1, "批次*数量 或 批次*数量*等级，多项用 ; 分隔（单位填在「{0}」列）",
     "LOT*QUANTITY or LOT*QUANTITY*GRADE, separated by ; (the unit in column {0})"},
    {format_readings, 0, "时间=温度（摄氏度），多项用 ; 分隔", "TIME=DEGREES_C, separated by ;"},
    {format_items, 0, "名称=检测值|限量|单位|结果（单位可省），多项用 ; 分隔",
     "NAME=MEASURED|LIMIT|UNIT|RESULT (UNIT optional), separated by ;"},
    {format_helper, 2, "「{1}」列的{0}", "{0} of column {1}"},
    {format_helper_values, 2, "{0}：{1} 之一", "{0}: one of {1}"},

    // Rules version 5 (certificate_lineage.cpp).
    {cert_certified_twice, 7,
     "批次「{0}」现有 {1} {2}，其中 {3} {2}已有承诺达标合格证（{4}：开给它的，或随产品从它的来源批次转入的），未承诺的只剩 {5} {2}，"
     "本证 {6} {2}会让同一批产品重复开具。如果这是收购后重新包装或混装，请按样式二（收购者）开具，把 {4} 列为已收取的合格证；"
     "如果先开的证开早了，请先作废它",
     "lot \"{0}\" holds {1} {2}, of which {3} {2} are already covered by certificates {4} (issued for it, or arrived with "
     "produce from the lots it was made from); only {5} {2} are uncovered, so {6} {2} would certify the same produce "
     "twice. A re-pack or mix of collected lots is re-issued as style buyer (样式二) naming {4} as parents; a "
     "certificate issued too early is voided first (certificate_voided)"},
    {cert_origin_elsewhere, 6,
     "产地「{0}」不是批次「{1}」的种植地：它来自批次「{2}」，种在「{3}」（{4}）；{5}",
     "origin \"{0}\" is not where lot \"{1}\" grew: it comes from lot \"{2}\", grown at \"{3}\" ({4}); {5}"},

    // show: times at the event's own offset, labelled; +08:00 is Beijing time.
    {time_at_offset, 2, "{0}（北京时间 {1}）", "{0} (Beijing time, {1})"},
    {time_at_utc_offset, 2, "{0}（当地时间 UTC{1}）", "{0} (UTC{1})"},
    {time_utc, 1, "{0}（UTC 世界时）", "{0} (UTC)"},
    {show_in_checkpoint, 1, "已纳入检查点（账本共 {0} 条）", "in checkpoint of size {0}"},
    {show_awaiting_checkpoint, 0, "等待检查点", "awaiting checkpoint"},
    {show_entry_heading, 3, "第 {0} 条 — {1} — {2}", "entry {0} — {1} — {2}"},
    {show_entry_signed, 1,
     "签名密钥 {0}（显示前已核验整个账本）",
     "signed by {0} (the whole ledger was verified before showing it)"},
    {show_entry_time, 1, "时间：{0}", "time: {0}"},
    {show_entry_corrected, 1, "已被第 {0} 条更正（以那里的替代记录为准）",
     "corrected by entry {0} (the replacement there is what counts)"},
    {show_entry_quantity, 2, "数量：{0} {1}", "quantity: {0} {1}"},
    {show_entry_event, 0, "记录内容（JSON，字段名为英文）：", "the event as recorded (JSON):"},
    {show_lot_heading, 2, "批次 {0}（GS1 批次码 {1}）", "lot {0} (GS1 lot code {1})"},
    {show_lot_product, 1, "产品：{0}", "product: {0}"},
    {show_lot_created, 2, "由{0}事件创建（第 {1} 条）", "created by {0} at entry {1}"},
    {show_lot_quantity, 3, "数量：产出 {0} {1}，后续事件已用去 {2} {1}", "quantity: {0} {1} made, {2} {1} taken by later events"},
    {show_lot_recalled, 3, "已召回：召回事件 {0}，{1}：{2}", "RECALLED by {0} at {1}: {2}"},
    {show_lot_events, 0, "事件：", "events:"},
    {show_lot_event_corrected, 5,
     "已被第 {0} 条更正（{1}，{2}）：{3} — `agtrace-ledger show {0}` 显示更正后的内容，`show {4}` 显示原记录",
     "corrected by entry {0} ({1}, {2}): {3} — `agtrace-ledger show {0}` shows the fix, `show {4}` the original"},
    {show_lot_unknown, 2, "账本里没有批次「{0}」；{1}请核对批次编号（区分大小写，字母 O 和数字 0 不同）",
     "LOT: unknown lot \"{0}\"{1}"},
    {show_entry_bad_index, 1, "ENTRY「{0}」：请写条目序号（整数），或 `show lot 批次编号`",
     "ENTRY \"{0}\": give an entry index (a whole number) or `lot LOT`"},

    // Keys and signers.
    {key_not_registered, 1,
     "密钥 {0} 没有在这个账本登记；请管理员用日志密钥登记它的公钥（agtrace-ledger key add --pub 密钥文件.pub），"
     "或换用已登记的密钥",
     "key {0} is not registered in this ledger; register its .pub with `agtrace-ledger key add`"},
    {key_revoked_sign, 2,
     "密钥 {0} 已在第 {1} 条吊销，不能再签名；请用现行的密钥（新密钥用 agtrace-ledger key gen 生成，再由管理员 key add 登记）",
     "key {0} was revoked at entry {1}; sign with a current key"},
    {key_log_entries_only, 2, "{0}记录必须用日志密钥签名，不能用 {1}", "{0} entries must be signed by the log key, not {1}"},
    {key_log_signs_keys_only, 2,
     "日志密钥只签名密钥记录和检查点；{0}事件请用{1}密钥签名（agtrace-ledger key gen 生成，key add 登记）",
     "the log key signs only key entries and checkpoints; sign {0} events with a {1} key "
     "(agtrace-ledger key gen / key add)"},
    {key_station_signs_labels, 3,
     "密钥 {0} 是{1}密钥，只能签名标签作业（打印、补打、作废）和持有主体的合格证（开具、作废）；{2}事件请用记录员密钥记录"
     "（key add --role clerk）",
     "key {0} is a {1} key, which signs only label jobs (print, reprint, void) and its holder's certificates "
     "(certificate_issued, certificate_voided); record {2} events with a clerk key (key add --role clerk)"},
    {key_station_no_holder, 1,
     "工作站密钥 {0} 没有写明持有主体；从规则第 3 版起，工作站密钥只能为持有主体的批次打印标签、开具合格证。请用 "
     "`agtrace-ledger key add --role station --holder 主体编号` 重新登记工作站的密钥（并吊销这一把），或改用记录员密钥",
     "station key {0} names no holder, and from rules version 3 a station key prints labels and issues "
     "certificates only for its holder's lots; register the station's key again with `agtrace-ledger key add "
     "--role station --holder PARTY` (and revoke this one), or sign with a clerk key"},
    {key_station_other_holder, 4,
     "工作站密钥 {0} 属于「{1}」，但{2}；工作站密钥只能为持有主体的批次操作 — 请用「{3}」的工作站，或用记录员密钥",
     "station key {0} is held by \"{1}\", but {2}; a station key acts only for its holder's lots — use the "
     "station of \"{3}\", or a clerk key"},
    {key_already_registered, 2, "密钥 {0} 已经登记过（第 {1} 条）", "key {0} is already registered (entry {1})"},
    {key_name_differs, 2, "「{0}」与公钥行（vkey）里的名字「{1}」不同", "\"{0}\" differs from the name in vkey (\"{1}\")"},
    {key_unknown, 1, "账本里没有密钥 {0}；请核对密钥编号（名字+编号，如 clerk-aonao+1a2b3c4d；agtrace-ledger key list "
                     "列出已登记的密钥）",
     "unknown key {0}"},
    {key_log_not_revocable, 0, "日志密钥不能吊销；要更换它，用 `agtrace-ledger key rotate-log`（docs/ledger-format.md §2）",
     "the log key cannot be revoked; replace it with `agtrace-ledger key rotate-log` (docs/ledger-format.md §2)"},
    {key_already_revoked, 2, "密钥 {0} 已在第 {1} 条吊销过了，不需要再吊销", "key {0} was already revoked at entry {1}"},
    {key_not_log_key, 2, "密钥 {0} 不是这个账本的日志密钥（现行日志密钥是 {1}）；请用账本创建（init）或更换（key rotate-log）"
                         "时写出的日志密钥文件",
     "key {0} is not this ledger's log key ({1})"},
    {key_rotated_log_key, 3, "密钥 {0} 是旧的日志密钥，在第 {1} 条更换日志密钥时已停用；请用现行的日志密钥 {2}",
     "key {0} was revoked at entry {1} when the log key was rotated; sign with the current log key {2}"},
    {key_add_needs_holder, 0,
     "--holder：工作站密钥要写明持有主体（--holder 主体编号，如 --holder CH），它只能为该主体包装的批次打印标签、开具合格证",
     "--holder: a station key acts only for its holder's lots (rules version 3); name the enterprise, e.g. --holder CH"},
    {key_add_revoked, 3,
     "{0}：密钥 {1} 已在第 {2} 条吊销，吊销的密钥不能恢复；请生成新密钥（agtrace-ledger key gen）再登记新的",
     "{0}: key {1} was revoked at entry {2}, and a revoked key stays revoked; generate a new key "
     "(agtrace-ledger key gen) and add that"},
    {key_add_role_kept, 5,
     "{0}：密钥 {1} 已登记为{2}密钥（第 {3} 条），密钥的角色不能改；请为{4}角色另生成一把密钥",
     "{0}: key {1} is already registered as a {2} key (entry {3}); a key keeps its role: generate a new key for "
     "the {4} role"},
    {key_add_unchanged, 3, "{0}（{1}）已在第 {2} 条登记过，没有变化", "{0} ({1}) is already registered at entry {2} (no change)"},
    {key_added, 3, "已登记 {0}（{1}），第 {2} 条", "registered {0} ({1}) as entry {2}"},
    {key_revoked_done, 2, "已吊销 {0}，第 {1} 条", "revoked {0} at entry {1}"},
    {key_file_missing, 2, "打不开密钥文件 {0}（{1}）：请检查路径；密钥文件由 agtrace-ledger key gen 生成，权限应为 0600",
     "cannot open key file {0}: {1}"},
    {key_file_mode, 2,
     "密钥文件 {0} 的权限是 {1}：同组或其他用户可以读写它，而私钥必须只有本人可读。请运行 `chmod 600 {0}`"
     "（如果别人可能已复制它，请换一把新密钥并吊销这把）",
     "key file {0} has mode {1}: group or others may read or write it, and a private key must be private. Run "
     "`chmod 600 {0}` (and replace the key if others may have copied it)"},
    {key_file_encrypted, 1,
     "密钥文件 {0} 设有密码（已加密）；agtrace 不读口令，读的是未加密、权限为 0600 的 PKCS#8 密钥：请用 "
     "`openssl pkey -in {0} -out 新文件` 输入口令解密后使用新文件",
     "key file {0} is encrypted; agtrace reads unencrypted PKCS#8 keys kept private by mode 0600 (decrypt it with "
     "`openssl pkey -in {0} -out NEWFILE`)"},
    {key_file_not_pem, 2, "密钥文件 {0} 不是 PKCS#8 PEM 私钥：它必须以 {1} 开头（密钥用 `agtrace-ledger key gen` 生成）；"
                          "是不是把 .pub 公钥文件当成了私钥？",
     "key file {0} is not a PKCS#8 PEM private key: it must begin with {1} (make keys with `agtrace-ledger key gen`)"},
    {key_file_damaged, 1, "密钥文件 {0} 的 PEM 内容损坏或不完整；请从备份恢复，或生成新密钥",
     "key file {0}: the PEM block is damaged or incomplete"},
    {key_file_not_ed25519, 2, "密钥文件 {0} 是 {1} 密钥；agtrace 的密钥是 Ed25519（用 agtrace-ledger key gen 生成）",
     "key file {0} holds a {1} key; agtrace keys are Ed25519"},
    {key_pub_missing, 2,
     "缺少 {0}：它是 {1} 的公钥（agtrace-ledger key gen 写出的一行），必须放在私钥旁边；请从生成密钥的地方拷回来",
     "{0} is missing: the public half of {1} (its verifier-key line, written by `agtrace-ledger key gen`) must sit "
     "next to it"},
    {key_pub_mismatch, 3, "{0} 与 {1} 不配对：它是另一把密钥（{2}）的公钥；请放回与这把私钥一起生成的 .pub 文件",
     "{0} does not match {1}: it holds the public key of another key ({2}). Put back the .pub file that was made "
     "with this key"},
    {key_list_row, 3, "{0}  {1}密钥，第 {2} 条登记", "{0}  {1} key, added at entry {2}"},
    {key_list_holder, 1, "，持有主体 {0}", ", holder {0}"},
    {key_list_revoked, 1, "，第 {0} 条已吊销（不能再签名）", ", revoked at entry {0} (signs nothing more)"},
    {correct_event_id_argument, 1, "要更正的事件编号（EVENT-ID）「{0}」", "argument EVENT-ID \"{0}\""},

    // --help.
    {help_lang, 0, "zh 或 en：消息的语言（导入、记录、更正、columns、show、key）；默认：区域设置为 zh_* 或 CSV 表头是中文时用中文，否则英文；写在命令前后都可以",
     "zh or en: the language of messages (import, record, correct, columns, show, key; default: Chinese when the locale is zh_* or a CSV file's headers are Chinese, else English); before or after the verb"},
    {help_key_file, 0, "签名密钥文件（已登记的记录员或工作站密钥）",
     "signing key file"},
    {help_log_key_checkpoint, 0, "日志密钥：记录后签署检查点（部署了检查点服务的可以不写）",
     "log key: sign a checkpoint afterwards"},
    {help_json, 0, "以 JSON 输出（键名为英文）",
     "JSON output"},
    {help_encoding, 0, "utf-8（默认）或 gb18030（中文 Windows 常用的编码）",
     "utf-8 (default) or gb18030 (Excel on Chinese Windows)"},
    {help_import, 0, "批量导入事件（一个事务：全部记录或全部不记录）；CSV 的列见 agtrace-ledger columns 事件类型，说明见 docs/clerk-import.md",
     "import events in bulk (one transaction)"},
    {help_import_format, 0, "csv、jsonl 或 epcis（GS1 EPCIS 2.0 JSON-LD），大小写都可以；不写时按文件名：.csv 是 csv，.jsonl 是 jsonl",
     "csv, jsonl or epcis (GS1 EPCIS 2.0 JSON-LD), either case; without it, from the file name: .csv, .jsonl"},
    {help_import_tz, 0, "时间里没写时区时用的 UTC 偏移，如 +08:00（北京时间，也可以写 +8）",
     "UTC offset for times written without one, e.g. +08:00 (or +8)"},
    {help_import_type, 0, "CSV 没有「事件类型」列时，每一行的事件类型（如 采收）",
     "event type of every row when the CSV has no 事件类型/type column"},
    {help_import_continue, 0, "先记录正确的行，逐行报告有问题的行（退出码 2 表示有行没有记录）",
     "record the good rows, report each bad one"},
    {help_import_json, 0, "以 JSON 输出每一行的结果（键名为英文）",
     "print outcomes as JSON"},
    {help_import_file, 0, "要导入的文件",
     "the file"},
    {help_correct, 0, "更正已记录的事件：一条更正记录，带着改好的整条事件，事件编号不变（规则第 5 版；事件编号和批次编号不能改；见 docs/clerk-import.md「更正记录」）。"
     "表格导入的记录不用这个命令，最简单：把改好的那一行在表格最后加一列「更正原因」写上原因，再用 agtrace-ledger import 导入；"
     "这个命令用于 JSON 文件",
     "correct a recorded event: one entry carrying the whole fixed event under the same event id (rules version 5; event and lot ids cannot change; docs/clerk-import.md). "
     "For a row imported from a sheet, simpler: import the fixed row again with a 更正原因 (reason) column; this command takes a JSON file"},
    {help_correct_event_id, 0, "要更正的那条记录的事件编号",
     "the event_id of the recorded event to correct"},
    {help_correct_file, 0, "改好的事件（JSON，整条事件，照它本该记录的样子），或 - 表示标准输入",
     "the fixed event (JSON, the whole event as it should have been), or -"},
    {help_correct_reason, 0, "更正原因，如 数量录入错误：1500 写成了 15000",
     "why, e.g. 数量录入错误：1500 写成了 15000"},
    {help_correct_key, 0, "签名密钥文件（已登记的记录员密钥）",
     "signing key file (a registered clerk key)"},
    {help_correct_party, 0, "记录这次更正的主体编号（默认：改好的事件里的主体）",
     "the party recording the correction (default: the fixed event's party)"},
    {help_correct_own_id, 0, "更正记录自己的事件编号（默认：事件编号.corr- 加改好内容的摘要）",
     "the correction's own event id (default: EVENT-ID.corr-… from the fixed event's digest)"},
    {help_correct_json, 0, "以 JSON 输出结果（键名为英文）",
     "print the outcome as JSON"},
    {help_columns, 0, "某种事件的 CSV 列（做 Excel 表用）；不写事件类型时列出所有类型",
     "the CSV columns of an event type (for Excel); without TYPE, the types"},
    {help_columns_type, 0, "事件类型，如 采收 或 harvest",
     "event type, e.g. harvest"},
    {help_columns_csv, 0, "只输出表头一行（UTF-8 带 BOM），做 Excel 模板用",
     "print just the header row, UTF-8 with BOM, for an Excel template"},
    {help_show, 0, "查看一条记录（show 序号）、一个批次（show lot 批次编号）或一个追溯码（show code 追溯码；不是真码时退出码 1）",
     "show an entry (show N), a lot (show lot LOT) or a trace code (show code SERIAL; exit 1 if not genuine)"},
    {help_show_what, 0, "序号 | lot 批次编号 | code 追溯码（或它的二维码网址）",
     "ENTRY | lot LOT | code SERIAL (or the URL of its QR code)"},

    // Rules version 6 (received_lot.cpp, certificate_lineage.cpp): paper certificates.
    {received_origin_needs_version, 2,
     "账本的规则版本是 {0}，收取合格证还没有「产地」这一项；请空着这一格，或由日志密钥持有人用 `agtrace-ledger upgrade --log-key "
     "LOGKEY` 把账本升级到规则版本 {1}（docs/rules-versions.md）",
     "this ledger's rules version is {0}, which has no origin (产地) on a collected certificate; leave it out, or move "
     "the ledger to rules version {1} with `agtrace-ledger upgrade --log-key LOGKEY` (docs/rules-versions.md)"},
    {received_origin_missing, 2,
     "批次「{0}」不在账本中，收取合格证 {1} 将它登记为外来批次，请填写纸质合格证上的产地（先把该村或基地记录为地点）；"
     "用它开具的合格证要按这个产地核对",
     "lot \"{0}\" is not in the ledger, so certificate {1} brings it in as an external lot: give the origin (产地) "
     "written on the paper certificate (record that village or base as a location first); certificates of lots made "
     "from it are checked against it"},
    {received_issued_after, 3,
     "开具日期 {0} 晚于收取合格证的日期 {1}（时间 {2}）；收到的合格证不会在收货之后才开具——请核对纸质合格证上的开具日期和这一行的时间",
     "issued_on {0} is after the day the certificate was received, {1} ({2}); a certificate is issued before it is "
     "collected — check the date written on the paper and this row's time"},
    {received_placeholder_form, 1,
     "「{0}」：没有编号的纸质合格证请登记为 无编号-开具日期-序号（如 无编号-20261205-1），并把这个编号写在纸质合格证上一并保存",
     "\"{0}\": a paper certificate without a number is recorded as 无编号-YYYYMMDD-N (e.g. 无编号-20261205-1), its "
     "开具日期 and a sequence number, and that number is written on the paper when it is filed"},
    {received_placeholder_date, 3,
     "「{0}」中的日期 {1} 与开具日期（{2}）不一致；没有编号的合格证按纸上的开具日期编号，两处要一致",
     "\"{0}\" names the date {1}, but issued_on is {2}; a certificate without a number is numbered by the 开具日期 "
     "written on it, so the two agree"},
    {received_number_missing, 0,
     "缺少合格证编号；纸质合格证上没有编号的，请填 无编号-开具日期-序号（如 无编号-20261205-1），同时填写开具日期，"
     "并把这个编号写在纸质合格证上一并保存（docs/certificate.md）",
     "missing; a paper certificate without a number is recorded as 无编号-YYYYMMDD-N (e.g. 无编号-20261205-1) with "
     "its 开具日期 (issued_on), and that number is written on the paper when it is filed (docs/certificate.md)"},
    {cert_origin_paper, 7,
     "产地「{0}」不是批次「{1}」的产地：它的来源批次「{2}」随开具主体「{4}」的纸质合格证 {3} 收取，纸上的产地是「{5}」；{6}",
     "origin \"{0}\" is not where lot \"{1}\" grew: lot \"{2}\" came with the paper certificate {3} of \"{4}\", whose "
     "origin is \"{5}\"; {6}"},
    {cert_buyer_quality_control, 3,
     "批次「{0}」{1}是收购来的外来批次（由{2}带入），账本中没有它的种植、用药和检测记录；收取了合格证也不能证明收购者自己"
     "「质量安全控制符合要求」。请对混装或分装后的批次做检测，依据改为自行检测合格（自己检测）或委托检测合格（检测机构检测）",
     "lot \"{0}\"{1} is a bought-in external lot (brought in at {2}): the ledger holds no planting, inputs or tests of it, "
     "and collected certificates are no proof of the buyer's own 质量安全控制符合要求 (quality_control); test the "
     "mixed or repacked lot and tick 自行检测合格 (self_tested, your own test) or 委托检测合格 (commissioned_test, "
     "a laboratory's)"},
    {cert_test_misses_external, 3,
     "作为{0}依据的检测都没有检测批次「{1}」中的外来批次「{2}」；检测只能证明被检测的批次。请检测混装或分装后的批次"
     "（或每个收购来的批次），再以那次检测为依据",
     "none of the inspections named for {0} tested the external lot \"{2}\" that lot \"{1}\" holds; a test "
     "speaks only for the lot it tested — test the mixed or repacked lot (or each bought-in lot) and name that "
     "inspection"},

    {encoding_gb18030_not_utf8, 4,
     "文件 {0} 第 {1} 行不是 UTF-8 编码，整个文件都没有记录：Excel 另存的中文 CSV 多是 GB18030，"
     "请加 --encoding gb18030 后重新导入",
     "{0} line {1}: invalid UTF-8 at byte offset {2}: {3}; nothing was recorded; the file is GB18030/GBK "
     "(Excel's plain \"CSV\" on Chinese Windows): add --encoding gb18030"},
    {encoding_utf16_not_utf8, 4,
     "文件 {0} 第 {1} 行不是 UTF-8 编码，整个文件都没有记录：这是 UTF-16 文件（Excel 的「Unicode 文本」），"
     "请在 Excel 里另存为「CSV UTF-8（逗号分隔）」后重新导入",
     "{0} line {1}: invalid UTF-8 at byte offset {2}: {3}; nothing was recorded; the file is UTF-16 (Excel's "
     "\"Unicode text\"): save it as \"CSV UTF-8\" instead"},
    {encoding_invalid_utf8, 4,
     "文件 {0} 第 {1} 行不是 UTF-8 编码，整个文件都没有记录：请在 Excel 里另存为"
     "「CSV UTF-8（逗号分隔）」后重新导入",
     "{0} line {1}: invalid UTF-8 at byte offset {2}: {3}; nothing was recorded"},
    {encoding_utf8_not_gb18030, 4,
     "文件 {0} 第 {1} 行是 UTF-8 编码，不是 GB18030（按 UTF-8 读是「{2}」{3}），整个文件都没有记录：请去掉 "
     "--encoding gb18030 后重新导入",
     "{0} line {1}: the file is UTF-8, not GB18030 (it reads as UTF-8 \"{2}\"{3}); nothing was recorded: drop "
     "--encoding gb18030"},
    {encoding_bom_not_gb18030, 1,
     "文件 {0} 以 UTF-8 的字节顺序标记开头，是 UTF-8 编码，不是 GB18030：请去掉 --encoding gb18030 后重新导入",
     "{0}: starts with a UTF-8 byte-order mark, so it is UTF-8, not GB18030: drop --encoding gb18030"},
    {cell_number_only, 2, "{0}列只填数字：{1}", "column \"{0}\" takes the number alone: {1}"},
    {header_missing_required, 3, "表头缺少{1}事件必填的列「{0}」，请在表头加上这一列并逐行填写",
     "the header lacks the column \"{0}\" (field {2}) that {1} events require; add it and fill it in on each row"},
    {log_corrected_by, 1, "已被第 {0} 条更正", "corrected by entry {0}"},

    {cert_origin_fix_one, 2, "产地请写「{0}」{1}；要写一个产区，先在地点记录里把该产区设为这些地块、基地或村的上级地点",
     "name \"{0}\"{1} — to name a production area, record it first as the parent of those plots, bases or villages"},
    {cert_origin_fix_common, 3, "这个批次的产地有{0}，同时覆盖它们的最近地点是「{1}」（{2}）：产地请写「{1}」",
     "this lot's origins are {0}, and the nearest location above all of them is \"{1}\" ({2}): name \"{1}\""},
    {cert_origin_fix_none, 1,
     "这个批次的产地有{0}，记录里没有一个地点同时在它们之上：先在地点记录里把一个产区设为它们的上级地点，产地再写这个产区",
     "this lot's origins are {0}, and no recorded location lies above all of them: record a production area as "
     "their parent first, then name it"},
    {cert_producer_over_paper, 3,
     "批次「{0}」里有随{1} 收取的产品：纸质合格证已经承诺了这些产品，收购后再销售（原样、分装或混装）不能以自己的名义按样式一"
     "（生产者）开具；请按样式二开具，列出 {2}（填在已收取合格证一栏）",
     "lot \"{0}\" holds produce collected with {1}, which already promises it; selling it on (as it is, repacked or "
     "mixed) takes no producer's certificate (样式一, style producer) in your own name — issue style buyer (样式二) "
     "listing {2} (parents, column 已收取合格证)"},
    {cert_number_case, 4,
     "合格证编号 {0} 与{2} {1}（{3}）只有字母大小写不同，扫码和核对纸面时分不清；如果是同一张合格证，请照原样写 {1}；"
     "如果是另一张，请换一个编号",
     "certificate number {0} differs from {2} {1} ({3}) only in letter case, which nobody can tell apart on paper or "
     "in a scanned link; if it is that certificate, write {1}; otherwise choose another number"},
    {received_number_unmatchable, 3,
     "合格证编号「{0}」里有{1}，登记后和纸面、已收取合格证一栏对不上；请照纸面用半角字母数字填写：{2}",
     "certificate number \"{0}\" holds {1}, so it cannot be matched with the paper and the parents column "
     "(已收取合格证); type it with half-width letters and digits: {2}"},
    {correction_of_certificate, 3,
     "事件「{0}」（{1}，合格证 {2}）：合格证不能更正：请作废这张合格证（作废合格证）后重新开具新编号的合格证",
     "event \"{0}\" ({1}, certificate {2}): a certificate is never corrected: void it (certificate_voided) and "
     "issue a new certificate under a new number"},
    {correction_of_received, 2,
     "事件「{0}」（收取合格证，编号 {1}）：收取的合格证照纸面登记，不能更正；纸质原件为准，请保存原件并告诉账本管理员"
     "（日志密钥持有人）登记错在哪里",
     "event \"{0}\" (certificate_received, number {1}): a collected certificate is recorded as the paper says and "
     "is never corrected; the paper original governs — keep it and tell the log key holder what was recorded wrong"},
    {received_issued_here, 4,
     "合格证 {0} 是本系统开具的（编号 {1}，开具主体「{2}」，{3}），不用登记收取；开具样式二时在「已收取合格证」里直接写 "
     "{2}*{1}",
     "certificate {0} was issued in this ledger (number {1}, by \"{2}\", {3}), so it is no paper certificate and is "
     "not recorded as collected; when you issue style buyer (样式二), list it in the parents column (已收取合格证) as "
     "{2}*{1}"},
    {received_issuer_issues_here, 4,
     "主体「{0}」在本系统开具合格证（第一张是 {2}，{3}），它开的合格证都在账本里；编号 {1} 不在账本里：请核对编号（照纸面填写，"
     "本系统开具的合格证在「已收取合格证」里直接写 {0}*编号，不用登记收取）；纸质证可能是伪造的，请暂扣货物并告诉开具主体核实",
     "party \"{0}\" issues its certificates in this ledger (the first is {2}, {3}), so all of them are in it, and "
     "number {1} is not: check the number (a certificate issued here is listed in the parents column as {0}*NUMBER, "
     "not recorded as collected); the paper may be forged — hold the goods and ask the issuer"},
    {received_lot_no_product, 2,
     "批次「{0}」不在账本中，收取合格证 {1} 将它登记为外来批次，须填写合格证上的产品（产品编号，先登记产品）",
     "lot \"{0}\" is not in the ledger, so certificate {1} brings it in as an external lot, whose product is the "
     "certificate's: give product (产品编号, recorded as a product first)"},
    {received_lot_taken, 2,
     "批次「{0}」已由{1}收取的另一张合格证登记；每张收取的合格证登记自己的批次，请为这张合格证的货物用新的批次编号（例如「{0}-2」）",
     "lot \"{0}\" was brought in by another collected certificate at {1}; each collected certificate brings in its "
     "own lot — name a new lot for this one's produce (e.g. \"{0}-2\")"},
    {checkpoint_signed_after, 1, "已签署检查点：账本共 {0} 条", "checkpoint signed: tree size {0}"},
    {checkpoint_awaiting_after, 0,
     "注意：新记录还在等待检查点。部署了检查点服务的（docs/deploy.md），几分钟内会自动签署；没有部署的（按本手册建的账本就没有），"
     "请日志密钥持有人运行 agtrace-ledger checkpoint --log-key 日志密钥文件 签署（见 docs/clerk-import.md「检查点」）",
     "note: the new entries await a checkpoint; where the checkpoint service is deployed (docs/deploy.md \"Timers\") "
     "it signs one within minutes, otherwise the log key's holder signs one with `agtrace-ledger checkpoint --log-key "
     "LOGKEY`"},
    {cert_number_received_first, 5,
     "合格证编号 {0} 已由「{4}」作为「{1}」的纸质合格证 {2} 登记收取（{3}）；编号不能重复使用，请换一个编号开具；如果那张纸质证"
     "不是你们开的，它可能是伪造的，请告诉账本管理员（日志密钥持有人）和收购者「{4}」",
     "certificate number {0} was recorded by \"{4}\" as the collected paper certificate {2} of \"{1}\" ({3}); a number "
     "is never reused: issue this one under another number, and if you did not issue that paper, it may be forged — "
     "tell the log key holder and the buyer \"{4}\""},
    // Rules version 7: inputs applied to a plot before sowing.
    {plot_input_needs_version, 2,
     "缺少：账本的规则版本是 {0}，投入品使用必须填写种植批次；要记录播种前施在地块上的底肥、土壤处理或除草剂（只填地块、不填批次），"
     "请由日志密钥持有人用 `agtrace-ledger upgrade --log-key LOGKEY` 把账本升级到规则版本 {1}（docs/rules-versions.md）",
     "missing: this ledger's rules version is {0}, where an input application names the planting lot it treated; "
     "to record an application to a plot before sowing (basal fertiliser, soil treatment, herbicide) without a lot, "
     "move the ledger to rules version {1} with `agtrace-ledger upgrade --log-key LOGKEY` (docs/rules-versions.md)"},
    {plot_input_not_plot, 2,
     "没有填写，而地点「{0}」是{1}，不是地块；施在已播种作物上的，请填写种植批次；播种前施在地块上的（底肥、土壤处理、除草剂），"
     "批次空着，地点填写该地块的编号（地块要先登记为类型「地块」的地点）",
     "missing, and location \"{0}\" is a {1}, not a plot; give the planting lot the input was applied to, or, for an "
     "application to a plot before sowing (basal fertiliser, soil treatment, herbicide), leave the lot out and name "
     "the plot as the location (recorded as a location of kind plot)"},
    {show_lot_plot_input, 1, "（施于地块「{0}」，未填种植批次）", "(applied to plot \"{0}\", no planting lot given)"},
    {correction_plot_changed, 2,
     "施在地块「{0}」上、未填种植批次的投入品，更正时地块不能改成「{1}」（这块地上的种植批次已算上了它）；施错了地块，请在正确的地块另记一条",
     "an input applied to plot \"{0}\" with no lot cannot be moved to \"{1}\" by a correction (the lots sown on "
     "that plot carry it); record the application on the right plot as a new event"},
    {help_program, 0,
     "agtrace-ledger：农产品追溯账本。种植、用药、采收、检测、包装、发货等记录从表格导入，每条都签名，记下后不能修改或删除"
     "（写错了用更正记录改）；可以查询、追溯、召回，导出给监管部门和收购方核查。（所用标准：GS1 EPCIS 2.0 事件、"
     "RFC 9162 证明、C2SP 检查点）",
     "agtrace-ledger: the signed, hash-chained traceability ledger (GS1 EPCIS events, RFC 9162 Merkle proofs, C2SP "
     "checkpoints)"},
    {help_version, 0, "显示版本、修订号和账本格式", "print the version, revision and ledger formats"},
    {help_ledger, 0, "账本文件（SQLite）；写在子命令前后都可以",
     "ledger file (SQLite)"},
    {help_init, 0, "新建账本和它的日志密钥", "create a ledger and its log key"},
    {help_init_origin, 0, "日志来源名，也是日志密钥的名字（如 trace.lucheng.example/log）",
     "log origin, also the log key's name (e.g. trace.lucheng.example/log)"},
    {help_init_base_url, 0, "印在二维码里的公开网址，如 https://trace.lucheng.example",
     "public base URL printed in QR codes, e.g. https://trace.lucheng.example"},
    {help_init_log_key_out, 0, "日志密钥写到哪个文件（PKCS#8 PEM，权限 0600），公钥写到同名 .pub 文件",
     "where to write the log key (PKCS#8 PEM, mode 0600) and its .pub"},
    {help_key, 0, "生成、登记和吊销签名密钥", "generate, register and revoke signing keys"},
    {help_key_gen, 0, "生成新的 Ed25519 密钥：密钥文件（权限 0600）和 密钥文件.pub（公钥行）",
     "write a new Ed25519 key: KEYFILE (0600) and KEYFILE.pub (verifier key line)"},
    {help_key_gen_name, 0, "密钥名：不含空格和 +（如 clerk-aonao）", "key name: no spaces, no '+' (e.g. clerk-aonao)"},
    {help_key_gen_out, 0, "要写的密钥文件", "KEYFILE to write"},
    {help_log_key_file, 0, "日志密钥文件", "the log key file"},
    {help_key_add, 0, "登记一个公钥（一条由日志密钥签名的记录）", "register a public key (an entry signed by the log key)"},
    {help_key_add_pub, 0, "要登记的 密钥文件.pub", "the KEYFILE.pub to register"},
    {help_key_add_role, 0, "角色：clerk（也可写 文员、记录员）或 station（也可写 打印站、打码工作站）",
     "clerk or station (or the Chinese words 文员, 记录员, 打印站)"},
    {help_key_add_holder, 0, "密钥持有者的主体编号", "party id of the key's holder"},
    {help_key_list, 0, "列出已登记的密钥：角色、持有者、登记和吊销的记录",
     "list the registered keys: role, holder, added and revoked entries"},
    {help_key_revoke, 0, "从下一条记录起吊销一个密钥（一条由日志密钥签名的记录）",
     "revoke a key from the next entry on (an entry signed by the log key)"},
    {help_key_revoke_key_id, 0, "要吊销的密钥编号（名字+编号）", "name+keyhash of the key to revoke"},
    {help_key_revoke_reason, 0, "吊销原因", "why"},
    {help_key_rotate_log, 0, "更换日志密钥：由现在的日志密钥签名一条记录指明新密钥，之后的密钥记录和检查点都由新密钥签名",
     "replace the log key: an entry signed by the current log key names the new one, which signs every later key "
     "entry and checkpoint"},
    {help_key_rotate_current, 0, "现在的日志密钥文件", "the current log key file"},
    {help_key_rotate_new, 0, "新的日志密钥文件（agtrace-ledger key gen --name 日志来源名）",
     "the new log key file (agtrace-ledger key gen --name ORIGIN)"},
    {help_key_rotate_reason, 0, "原因（如 定期更换、怀疑泄露）", "why (e.g. scheduled rotation, suspected compromise)"},
    {help_log, 0, "按顺序列出记录", "list entries"},
    {help_log_from, 0, "事件时间从何时起：带时区的时间，或日期（加 --tz）", "from event time (RFC 3339 with offset, or a date with --tz)"},
    {help_log_to, 0, "事件时间到何时前：带时区的时间，或日期（加 --tz，含当天）",
     "before event time (RFC 3339 with offset, or a date with --tz: that day included)"},
    {help_log_tz, 0, "--from/--to 没写时区时用的时区，如 +08:00（只写日期时指整天）",
     "UTC offset for a --from/--to written without one (a date alone: its whole day), e.g. +08:00"},
    {help_log_lot, 0, "只列这个批次的记录（连同更正）", "only entries about this lot"},
    {help_export, 0, "导出数据包：原始记录、它们对同一个签名检查点的包含证明（proofs.txt）、导出文件和 SHA-256 清单"
                     "（用 `audit verify-bundle` 核验）",
     "write an export bundle: raw entries, their inclusion proofs (proofs.txt) against one signed checkpoint, the "
     "derived file and a manifest of SHA-256 digests (check it with `audit verify-bundle`)"},
    {help_export_format, 0, "csv（Excel，FSMA 204 式）、jsonl 或 epcis（GS1 EPCIS 2.0 JSON-LD）",
     "csv (Excel, FSMA 204-style), jsonl or epcis (GS1 EPCIS 2.0 JSON-LD)"},
    {help_export_certificates, 0, "导出承诺达标合格证开具记录 certificates.csv：开具、收取、作废，按开具主体（配合 --from/--to、--party）",
     "the 承诺达标合格证 register (开具记录) as certificates.csv: issued, received, voided, by issuer (with "
     "--from/--to, --party)"},
    {help_export_lot, 0, "一个批次及其全部来源和去向", "a lot with its whole lineage"},
    {help_export_product, 0, "某个产品各批次的事件", "events about lots of a product"},
    {help_export_party, 0, "某个主体参与的事件", "events a party takes part in"},
    {help_export_from, 0, "事件时间从何时起：带时区的时间，或日期 YYYY-MM-DD（当天 0 点起）或 \"YYYY-MM-DD HH:MM\"（加 --tz）",
     "event time from: RFC 3339 with offset, or a date YYYY-MM-DD (its 00:00) or \"YYYY-MM-DD HH:MM\" with --tz"},
    {help_export_to, 0, "事件时间到何时前：带时区的时间，或日期 YYYY-MM-DD（含当天）或 \"YYYY-MM-DD HH:MM\"（加 --tz）",
     "event time before: RFC 3339 with offset, or a date YYYY-MM-DD (the day included) or \"YYYY-MM-DD HH:MM\" with "
     "--tz"},
    {help_export_tz, 0, "--from/--to 没写时区时用的时区，如 +08:00", "UTC offset for a --from/--to written without one, e.g. +08:00"},
    {help_export_entries, 0, "记录序号范围 A..B（含两端）", "entry index range A..B (both included)"},
    {help_export_out, 0, "数据包的文件夹（新的或空的）", "the bundle's directory (new or empty)"},
    {help_export_json, 0, "以 JSON 输出摘要（键名为英文）", "print the summary as JSON"},
    {init_exists, 1, "账本 {0} 已经存在，没有改动它；请换一个路径", "ledger {0} already exists; choose another path"},
    {init_created, 3,
     "已新建账本 {0}（日志来源 {1}）\n日志密钥：{2}（只让检查点签署程序读取，另存一份离线备份；见 docs/clerk-import.md"
     "「账本和密钥」；公钥 {2}.pub）",
     "created ledger {0} (origin {1})\nlog key: {2} (readable by the checkpoint signer only, with an offline copy; "
     "docs/deploy.md \"The ledger and the keys\"; public half {2}.pub)"},
    {key_gen_written, 2,
     "已生成密钥 {1}：私钥 {0}（权限 0600，只给持有者），公钥 {0}.pub；请把 {0}.pub 交给管理员，用 `agtrace-ledger key add --pub "
     "{0}.pub` 登记后再使用",
     "wrote key {1}: {0} (mode 0600, for its holder only) and {0}.pub; register it with `agtrace-ledger key add "
     "--pub {0}.pub` (the log key's holder) before signing with it"},
    {key_log_rotated, 4, "日志密钥 {0} 已在第 {2} 条换成 {1}；从现在起所有检查点都用 {3} 签署",
     "log key {0} replaced by {1} at entry {2}; sign every checkpoint from now on with {3}"},
    {export_written, 4, "已导出 {0} 个事件（连同核验用的记录共 {1} 条）到 {2}，以账本共 {3} 条的检查点证明",
     "exported {0} ({1} with what checks them) to {2}, proved against the checkpoint of size {3}"},
    {export_awaiting, 1,
     "警告：有 {0} 条符合条件的记录还在等待检查点，没有放进数据包。要放进去：请日志密钥持有人签署检查点 "
     "`agtrace-ledger checkpoint --log-key 日志密钥文件`（部署了检查点服务的，几分钟内会自动签署，见 docs/clerk-import.md「检查点」），"
     "然后换一个 --out 文件夹重新导出",
     "warning: {0} matching entries await a checkpoint and are not in the bundle. To include them, have the log key "
     "holder sign one with `agtrace-ledger checkpoint --log-key LOGKEY` (where the checkpoint service runs it signs "
     "one within minutes, docs/deploy.md \"Timers\"), then export again to a new --out"},
    {export_late, 2,
     "注意：这个时间段有 {0} 个事件是补录的（在时间段结束后的记录之后才记录），如第 {1} 条；以前导出的这个时间段缺少它们——要拿到"
     "上次检查以来记录的全部内容，请用 export --entries A..B",
     "note: {0} of this window were recorded late (after an entry past the window's end), e.g. entry {1}; a "
     "copy of this window exported earlier lacks them — export --entries A..B to get everything recorded since an "
     "audit"},
    {export_no_format, 0, "--format：请写 csv、jsonl 或 epcis（导出合格证开具记录请用 --certificates）",
     "--format: give csv, jsonl or epcis (or --certificates for the certificate register)"},
    {export_certificates_only, 0,
     "--certificates 只按 --from/--to 和 --party 导出合格证开具记录；请去掉 --format、--lot、--product 和 --entries",
     "--certificates writes the certificate register for --from/--to and --party only; leave out --format, --lot, "
     "--product and --entries"},
    {export_certificates_written, 1, "合格证开具记录已写入 {0}", "certificate register written to {0}"},
    {show_entry_fields, 0, "记录内容：", "the event:"},
    {show_entry_field, 2, "  {0}：{1}", "  {0}: {1}"},
    {show_entry_json_hint, 1, "（原始记录：agtrace-ledger show {0} --json）", "(as stored: agtrace-ledger show {0} --json)"},
    {show_entry_missing, 2, "没有第 {0} 条记录：账本共 {1} 条，序号从 0 起；用 agtrace-ledger log 查看各条的序号",
     "entry {0} does not exist (the log has {1} entries)"},
    {date_not_exist, 4, "「{0}」这一天不存在：{1} 年 {2} 月只有 {3} 天；请对照原始记录改正日期",
     "\"{0}\": that day does not exist ({1}-{2:02} has {3} days); check the date against the paper record"},
    {encoding_lost_characters, 3,
     "文件 {0} 第 {1} 行有乱码「\xEF\xBF\xBD」（{2}）：以前另存或转换编码时这里丢了字，整个文件都没有记录；请从原始表格重新另存为"
     "「CSV UTF-8（逗号分隔）」，或把这一行的乱码改回原来的字，再重新导入",
     "{0} line {1}: holds U+FFFD (\"\xEF\xBF\xBD\", in \"{2}\"), the replacement character an earlier conversion "
     "left where it lost text; nothing was recorded: export the file again from the original (in Excel: Save As "
     "\"CSV UTF-8\") or type that text again, and import again"},
    {unit_jin_amount, 3, "{0} {1} = {2} 千克，请填 {2}，单位 千克（1 斤 = 0.5 千克）",
     "{0} {1} = {2} kg: write {2} with the unit 千克 (kg) (1 jin = 0.5 kg)"},
    {correction_recorded_before, 3,
     "对 {0} 的这项更正以前已记录（第 {1} 条，更正编号 {2}），这次没有写入任何内容",
     "this correction of {0} is already recorded (entry {1}, correction {2}); nothing was written"},
    {verifier_listening, 1, "开始服务 {0}", "listening on {0}"},
    {verifier_stopped, 0, "已停止；扫码次数已保存", "stopped; scan counts committed"},
    {verifier_no_ledger, 0, "serve：没有账本文件；请加 --ledger 文件（写在 serve 前后都可以）或设置 AGTRACE_LEDGER",
     "serve: no ledger file: pass --ledger FILE (before or after `serve`) or set AGTRACE_LEDGER"},
    {verifier_pubkey_unreadable, 1,
     "--log-pubkey {0}：读不到这个文件；请给出 `agtrace-ledger init --log-key-out 日志密钥` 写出的 日志密钥.pub 文件",
     "--log-pubkey {0}: cannot read it; give the LOGKEY.pub file that `agtrace-ledger init --log-key-out LOGKEY` "
     "wrote"},
    {verifier_pubkey_bad, 2, "--log-pubkey {0}：不是公钥行（名字+编号+base64）：{1}；请给出日志密钥的 .pub 文件",
     "--log-pubkey {0}: not a verifier key line (name+keyid+base64): {1}"},
    {verifier_cannot_bind, 1, "--listen {0}：无法监听（端口已被占用，或不是本机的地址）；请换一个端口或地址",
     "--listen {0}: cannot bind (in use, or not an address of this host)"},
    {audit_first_failed, 2,
     "{0}：账本核验没有通过（有人改过账本文件，或文件已损坏），这里显示的内容不可信，所以什么也没有显示；"
     "请把账本交给日志密钥持有人运行 agtrace-ledger verify 查明，从备份恢复。核验结果：{1}",
     "{0}: the ledger does not verify (the file was edited or is damaged), so what it would show cannot be "
     "trusted; nothing was shown. Give it to the log key holder to run agtrace-ledger verify and restore from "
     "a backup. The audit found: {1}"},
    {correction_superseded_again, 5,
     "对 {0} 的这项更正以前已记录（第 {1} 条）；之后第 {2} 条又更正为 {3}，现在以 {3} 为准；没有再记录。"
     "如果确实要改回 {4}，请写新的更正原因",
     "this correction of {0} was already recorded (entry {1}); entry {2} later corrected it to {3}, which is in force "
     "now; nothing was recorded. To change it back to {4}, give a new reason"},
    {correction_reason_differs, 5,
     "对 {0} 的这项更正以前已记录（第 {1} 条，更正编号 {2}），更正原因是「{3}」；这次写的原因「{4}」不同，没有记录，"
     "更正仍以第 {1} 条的原因为准",
     "this correction of {0} is already recorded (entry {1}, correction {2}) with reason \"{3}\"; the reason given "
     "now (\"{4}\") differs and was not recorded: the correction stands with its first reason"},
    {event_row_not_current, 6,
     "事件编号「{0}」：第 {1} 条记录的是 {2}，第 {3} 条更正为 {4}；这一行写的是 {5}；要改，请填写更正原因",
     "event_id \"{0}\": entry {1} recorded {2}, entry {3} corrected it to {4}; this row says {5}; to change it, fill in "
     "更正原因"},
    {show_lot_correction_in_force, 0, "【现行】", "[in force] "},
    {show_lot_correction_superseded, 1, "【已被第 {0} 条取代】", "[superseded by entry {0}] "},
    {cli_required, 1, "缺少 {0}：这个选项必须写（用 --help 查看用法）",
     "{0} is required; run with --help for more information"},
    {cli_subcommand_required, 0, "缺少子命令：请在命令后写要做的事（用 --help 查看有哪些子命令）",
     "a subcommand is required; run with --help to see them"},
    {cli_not_in_set, 3, "{0} 不能是「{1}」，只能是 {2}", "{0}: {1} is not one of {2}"},
    {cli_unknown_option, 1, "没有选项 {0}：请检查拼写（用 --help 查看这个命令有哪些选项）",
     "unknown option {0}; check the spelling (run with --help to see the options)"},
    {cli_extra_argument, 1,
     "多出来的参数：{0}；这个命令用不到它（是不是多写了一个文件名？带空格的值要加英文引号，如 \"clerk wang\"）",
     "The following arguments were not expected: {0} (a second file name? a value with spaces needs quotes); run "
     "with --help for more information"},
    {cli_needs_value, 1, "{0} 后面要写一个值（用 --help 查看用法）", "{0} needs a value; run with --help for more information"},
    {cli_other, 1, "命令行有误（{0}）；用 --help 查看用法", "{0}; run with --help for more information"},
    {cli_format_values, 1, "--format 不能是「{0}」，只能是 csv、jsonl 或 epcis（大小写都可以）",
     "--format: {0} is not csv, jsonl or epcis (either case)"},
    {cli_role_values, 1, "--role 不能是「{0}」，只能是 clerk（文员、记录员）或 station（打印站、打码工作站）",
     "--role: {0} is not clerk (文员, 记录员) or station (打印站)"},
    {cli_tz_values, 1,
     "--tz 不能是「{0}」：请写成 +08:00（北京时间），或只写整点 +8；西边的时区写 -05:00，协调世界时写 Z",
     "--tz: '{0}' is not a UTC offset; write ±HH:MM such as +08:00 (China Standard Time), a whole hour such as +8, "
     "or Z"},
    {import_format_unknown, 1,
     "没有写 --format，从文件名「{0}」也看不出格式：表格文件请加 --format csv（或把文件存成 .csv），"
     "也可以是 --format jsonl 或 --format epcis",
     "no --format, and the file name \"{0}\" does not tell: add --format csv (or name the file .csv), --format jsonl "
     "or --format epcis"},
    {file_missing, 1, "找不到文件「{0}」：请检查文件名和它所在的文件夹（也可以把文件拖进终端窗口，得到完整路径）",
     "{0}: cannot open the file: no such file; check the file name and its folder"},
    {key_gen_exists, 1, "「{0}」已经存在：agtrace 从不覆盖密钥文件；请换一个 --out 文件名，或先把旧密钥移走",
     "{0} already exists; agtrace never overwrites a key file: choose another name, or move the old key away first"},
    {key_gen_bad_name, 3, "--name「{0}」不能用作密钥名：{1}；可以写成 {2}",
     "--name '{0}' is not a valid key name: {1}; write e.g. {2}"},
    {key_name_space, 0, "密钥名里不能有空格", "key names have no spaces"},
    {key_name_plus, 0, "密钥名里不能有 +", "key names have no '+'"},
    {key_name_empty, 0, "密钥名不能是空的", "key names are not empty"},
    {export_out_not_empty, 1, "--out {0} 已经存在，而且不是空文件夹：数据包要写进新的或空的文件夹，请换一个名字",
     "--out {0}: exists and is not an empty directory; choose a new one"},
    {verify_ok, 4,
     "通过：共 {0} 条记录——哈希链、签名、密钥有效期、格式和派生表都已核验；核验了 {1} 个检查点，最新的覆盖 {2} 条（{3} 条等待检查点）",
     "OK: {0} — hash chain, signatures, key validity, schemas and derived tables verified; {1} verified, the latest "
     "covers {2} ({3} awaiting checkpoint)"},
    {verify_ok_saved, 1, "通过：账本是保存的检查点（{0} 条）的延续（一致性证明已核验）",
     "OK: the log extends the saved checkpoint of size {0} (consistency proof verified)"},
    {verify_failed, 1, "核验失败：{0}", "FAILED: {0}"},
    {verify_next, 0,
     "下一步：见 docs/clerk-import.md「核验不通过时」（正在使用的账本：先停止写入，把账本文件和它的 -wal/-shm 文件复制一份留作证据）",
     "what to do next: docs/deploy.md \"When verify fails\" (on a live ledger: stop writing and keep a copy of it and "
     "its -wal/-shm as evidence first)"},
    {help_upgrade, 0,
     "把账本升级到这个 agtrace 知道的最新规则版本（一条由日志密钥签名的记录；之后的记录按新规则检查，之前的不变）；"
     "先核验，再重建派生表，签署检查点；账本已是最新时什么也不做",
     "move the ledger to the newest rules version (an entry signed by the log key; later entries are judged by the "
     "new rules, earlier ones keep theirs); verifies first, rebuilds the derived tables, signs a checkpoint; does "
     "nothing when the ledger is current"},
    {help_record, 0, "记录一个事件（JSON）或多个事件（JSON lines，每行一个）", "record one event (JSON) or many (JSON lines)"},
    {help_verify, 0, "全面核验账本；有问题时指出第一条出错的记录（退出码 1）", "full audit; names the first bad entry (exit 1)"},
    {help_checkpoint, 0, "给账本的当前状态签署并打印一个检查点（要日志密钥）；导出只包含检查点覆盖的记录",
     "sign and print a checkpoint of the current tree"},
    {help_proof, 0, "RFC 9162 证明（包含证明、一致性证明）", "RFC 9162 proofs"},
    {help_proof_inclusion, 0, "第 INDEX 条记录在最新检查点里的包含证明（C2SP tlog-proof）",
     "C2SP tlog-proof of entry INDEX against the latest checkpoint"},
    {help_proof_consistency, 0, "两个账本大小之间的一致性证明（JSON）", "consistency proof between tree sizes (JSON)"},
    {help_trace, 0, "追溯一个批次：经过加工、包装和标签的来龙去脉（--depth 1：上一步、下一步，欧盟 178/2002 第 18 条）",
     "walk a lot's lineage through transformations, packing and label jobs (--depth 1: one step up / one step down, "
     "EU 178/2002 Art. 18)"},
    {help_recall, 0, "召回一个批次（记录持续的「已召回」状态）并写召回报告：受影响的批次、追溯码、发货、收货方和数量",
     "record a recall (persistent disposition \"recalled\") and write the recall report: affected lots, trace codes, "
     "shipments, recipients, quantities"},
    {help_audit, 0, "监管部门的离线核查（不需要账本）", "offline checks for regulators"},
    {help_audit_verify_bundle, 0,
     "不用账本核查一个导出的数据包：签名、证明、检查点，并重新生成每个派生文件加以比较（不符时退出码 1，指出出错的文件）",
     "check an export bundle without the ledger: signatures, proofs, checkpoint, and every derived file regenerated "
     "and compared (exit 1 naming the file at fault)"},
    {help_audit_consistency, 0,
     "不用账本核查后保存的检查点是先保存的检查点的延续：一致性证明（核验服务的 /api/v1/proof/consistency?old=A&new=B）"
     "和日志公钥（不是延续时退出码 1）",
     "check, without the ledger, that a later saved checkpoint extends an earlier one: a consistency proof (the "
     "verifier's /api/v1/proof/consistency?old=A&new=B) and the log's public key(s) (exit 1 if not)"},
    {help_backup, 0, "给正在使用的账本做一份一致的备份（包括还在 -wal 里的记录），写之前全面核验；从不覆盖已有文件",
     "a consistent copy of the live ledger (with the entries still in its -wal), audited in full before it is "
     "written; never replaces FILE"},
    {time_invalid, 2, "「{0}」里的时间不存在（小时 0–23，分钟 0–59）；请写成 {1} 08:30 这样",
     "\"{0}\" holds no real time of day (hours 0-23, minutes 0-59); write it as {1} 08:30"},
    {unknown_lot_full_width, 2, "没有批次「{0}」：批次编号里有全角字母或数字，请改成半角 {1}（切换到英文输入法再打）",
     "unknown lot \"{0}\": it holds full-width characters; write it in half-width: {1}"},
    // Integrator, session 10: export checks a saved checkpoint.
    {help_export_checkpoint, 0,
     "以前保存的检查点文件：导出前证明账本是它的延续（账本文件被换成旧的副本时拒绝导出）",
     "a checkpoint saved earlier: before exporting, prove the log extends it (refuses a file rolled back to an "
     "older copy)"},
    // Branch cert14f (rules version 8: a spray recorded late, interval_breach.h).
    {cert_basis_breach, 9,
     "{0}不成立：批次「{1}」于 {2} 采收（{3}），在施药 {4}（{5}，{6} 施药，安全间隔期 {7} 天，{8} 起才能采收）的安全间隔期内；"
     "由它产生的产品不能按质量安全控制符合要求开具承诺达标合格证；请按检测合格开具（自行检测合格或委托检测合格，检测项目要包括这种农药）",
     "{0} is not met: lot \"{1}\" was harvested on {2} ({3}) inside the pre-harvest interval of pesticide "
     "application {4} ({5}: applied {6}, {7} days, harvest from {8} on); produce from it gets no certificate on "
     "quality control — issue it on a test basis (self_tested or commissioned_test) that covers this pesticide"},
    {label_certificate_breach, 7,
     "批次「{0}」的承诺达标合格证 {1} 已失效：来源批次「{2}」于 {3} 采收，在施药 {4}（{5}）的安全间隔期内，"
     "质量安全控制符合要求不成立，不能{6}标签；请按检测合格为该批次开具新的合格证",
     "the 承诺达标合格证 {1} of lot \"{0}\" is invalidated (已失效): lot \"{2}\" it comes from was harvested on {3} "
     "inside the pre-harvest interval of pesticide application {4} ({5}), so its basis quality_control is not met "
     "and no labels are {6}; issue a new certificate for the lot on a test basis"},
    {show_lot_breach, 7,
     "安全间隔期内采收：批次「{0}」{1} 采收，在施药 {2}（第 {3} 条，{4} 施药，安全间隔期 {5} 天，{6} 起才能采收）的安全间隔期内",
     "HARVESTED INSIDE A PRE-HARVEST INTERVAL: lot \"{0}\" harvested {1}, inside the interval of pesticide application "
     "{2} (entry {3}: applied {4}, {5} days, harvest from {6} on)"},
    // Issue 16 (zh16f).
    {rows_field_count, 2, "文件 {0} 有 {1} 行的格子数和表头不一样，整个文件都没有记录；改好这些行后重新另存、重新导入：",
     "{0}: {1} rows have another number of cells than the header; nothing was recorded; fix them, save and import "
     "again:"},
    {row_field_count, 3, "{0}：有 {1} 个格子，表头有 {2} 个；请在 Excel 里打开这个文件检查这一行（多出或少了的逗号），改好后重新另存",
     "{0}: {1} cells, but the header has {2}; open the file in Excel and check this row (a comma too many or too "
     "few), then save it again"},
    {row_field_count_split, 3,
     "{0}：有 {1} 个格子，表头只有 {2} 个：多半是数字带了千位分隔符（1,500），逗号把一个格子分成了两个；请在 Excel 里把这一列"
     "设成不带千位分隔符的数字（写成 1500），重新另存",
     "{0}: {1} cells, but the header has {2}: a number with a thousands separator (1,500) splits a cell; format "
     "the column as numbers without separators (1500) in Excel and save again"},
    {cell_control_chars, 1,
     "格子里有看不见的控制字符（「{0}」，\\u000a 是换行，\\u0009 是制表符，\\u001b 是 Esc）：账本不收控制字符，免得查看记录时"
     "打乱屏幕；请在 Excel 里删掉它们（格子里的换行是 Alt+回车 打出来的，改成空格或分号），重新另存",
     "the cell holds control characters (\"{0}\"; \\u000a is a line break, \\u0009 a tab, \\u001b Esc): the "
     "ledger takes none, so that no record can disturb a screen that shows it; delete them in Excel (a line "
     "break in a cell is typed with Alt+Enter: use a space or ';'), then save again"},
    {lot_id_odd_spaces, 2,
     "批次编号里有{0}：看起来一样、空格不同的编号是两个不同的批次，标签和单据上也分不出来；请写成「{1}」",
     "the lot id holds {0}: ids that look alike but differ in their spaces are different lots, and a label "
     "cannot tell them apart; write \"{1}\""},
    {lot_id_ideographic_space, 0, "全角空格", "a full-width space (U+3000)"},
    {lot_id_nbsp, 0, "不间断空格（从网页或 Word 复制来的）", "a no-break space (U+00A0, copied from a web page or Word)"},
    {lot_id_double_space, 0, "连续的两个空格", "two spaces in a row"},
    {harvest_yield_implausible, 5,
     "采收 {0}，而种植批次「{1}」只种了 {2} 亩：合每亩 {3} 千克，超过任何作物一次采收的产量（每亩 {4} 千克）；请核对数量、"
     "单位（吨还是千克）和种植面积；确实无误时，导入时加 --allow-high-yield",
     "a harvest of {0} from planting lot \"{1}\" of {2} mu is {3} kg per mu, beyond what any crop yields in one "
     "harvest ({4} kg per mu); check the quantity, the unit (t or kg) and the planted area; if it is right after "
     "all, import with --allow-high-yield"},
    {help_import_allow_high_yield, 0,
     "采收数量超过产品的最高亩产（没有填写的按每亩 30000 千克）时也记录（默认拒绝：多半是单位或面积写错了；见 "
     "docs/clerk-import.md「单位和数字」）",
     "record harvests of more than the product's max_yield_kg_per_mu (without one, 30000 kg per mu) too (refused by "
     "default: most likely a wrong unit or area; docs/clerk-import.md)"},
    {verify_failed_explained, 2, "核验失败：{1}（查到的问题：{0}）", "FAILED: {0} — {1}"},
    {verify_why_signature, 0, "有一条记录的签名对不上：记录的内容或签名在签名之后被改过",
     "an entry's signature does not verify"},
    {verify_why_chain, 0, "记录之间的哈希链断了：有记录被改过、删除或换了位置",
     "the hash chain of the entries is broken"},
    {verify_why_derived, 0, "账本文件里的索引表和签名的记录对不上：有人绕过 agtrace 直接改了数据库",
     "a derived table disagrees with the signed entries"},
    {verify_why_checkpoint, 0, "检查点和记录对不上：检查点签署之后，它覆盖的记录被改过",
     "a checkpoint does not match the entries"},
    {verify_why_saved_checkpoint, 0, "账本和你保存的检查点不一致：保存检查点之后，账本里以前的记录被改写过（或这不是同一个账本）",
     "the ledger is not consistent with the saved checkpoint"},
    {verify_why_damaged, 0, "账本文件损坏或不完整：请从备份恢复", "the ledger file is damaged or incomplete"},
    {verify_why_other, 0, "账本文件有不该有的改动", "the ledger file holds a change it should not"},
    {trace_start_unknown, 2,
     "账本里没有批次、GS1 批次码或追溯码「{0}」；{1}请核对拼写（区分大小写，字母 O 和数字 0 不同；agtrace-ledger log 列出所有记录）",
     "LOT|SERIAL \"{0}\": no lot, GS1 lot code or trace code of that name is recorded{1}; check the spelling "
     "(`agtrace-ledger log --json` lists events, `show code SERIAL` checks a code)"},
    // trust14g (issue 14's trust trial, rules version 8):
    {key_clerk_other_holder, 3,
     "记录员密钥 {0} 的持有主体是「{1}」，但{2}；从规则第 8 版起，登记了持有主体的密钥只能为持有主体签名 — 请用该主体"
     "自己的密钥，或用不带持有主体的记录员密钥",
     "clerk key {0} is held by \"{1}\", but {2}; from rules version 8 a key registered with a holder signs only for "
     "its holder — sign with that party's own key, or with a clerk key that names no holder"},
    {correction_of_inspection_result, 3,
     "事件「{0}」：检测结果不能更正：请重新抽样检测，记录新的检测（新的事件编号）；原检测（{1}）留在账本里（更正里写的是 {2}）",
     "event \"{0}\": an inspection's result is never corrected: sample again and record the re-test as a new "
     "inspection (a new event id); the recorded one ({1}) stays (the correction says {2})"},
    {received_number_lookalike, 3,
     "合格证编号「{0}」里有{1}：纸面上看不出或不能放进扫码链接，登记后会和看起来一样的编号混淆；请照纸面用半角字符填写，如 {2}",
     "certificate number \"{0}\" holds {1}, which cannot be seen on paper or put in a scanned link, so it would pass "
     "for a number that looks the same; type it as printed with ASCII characters, e.g. {2}"},
    {cert_quantity_zero, 1,
     "合格证 {0} 的数量是 0：合格证要写明它承诺的数量（大于 0）；请填写实际开具的数量",
     "certificate {0} covers a quantity of 0: a certificate states the quantity it promises (more than 0); write the "
     "quantity it really covers"},
    {received_from_itself, 2,
     "合格证 {0} 的开具主体就是收取者「{1}」：自己开的合格证不能登记为收取的纸质合格证；请填写开具这张纸质合格证的种植户或企业",
     "certificate {0} names the collecting buyer \"{1}\" as its issuer: a buyer does not collect its own "
     "certificate; write the grower or firm that issued the paper"},
    {cert_void_unknown_case, 3,
     "账本里没有开具过编号为 {0} 的合格证；「{2}」开具的 {1} 只差字母大小写，如果作废的是这张，请照原样写 {1}",
     "no certificate {0} was issued in this ledger; \"{2}\" issued {1}, which differs only in letter case — if "
     "that is the one to void, write {1}"},
    {label_certificate_zero, 3,
     "批次「{0}」的承诺达标合格证（{1}）数量为 0，不承诺任何产品，不能据此{2}标签；请作废它，按实际数量重新开具",
     "lot \"{0}\"'s 承诺达标合格证 ({1}) covers 0, which promises nothing, so no labels are {2} on it; void it and "
     "issue one for the real quantity"},
    {key_add_holder_differs, 5,
     "{0}：密钥 {1} 已在第 {2} 条登记，持有主体{3}；持有主体登记后不能更改或补登（没有写入任何记录）。要让一把记录员密钥只为"
     "「{4}」签名，请用 agtrace-ledger key gen 生成新密钥，用 key add --holder {4} 登记，再用 key revoke 吊销旧的",
     "{0}: key {1} was registered at entry {2} with {3}; a key's holder is set when it is registered and never "
     "changes (nothing was recorded). For a key that signs only for \"{4}\", generate a new key (agtrace-ledger key "
     "gen), add it with --holder {4}, and revoke the old one (key revoke)"},
    {key_add_holder_unknown, 1,
     "--holder {0}：账本里还没有主体「{0}」。请先用不带 --holder 的记录员密钥导入主体（如 01-parties.csv），再登记这把"
     "密钥（见 docs/clerk-import.md「准备」）；持有主体只能在登记时写，以后不能补登，所以不要先不带 --holder 登记这把密钥",
     "--holder {0}: the ledger has no party \"{0}\" yet; import the parties first with a clerk key that names no "
     "holder (e.g. 01-parties.csv), then add this key (README \"Using the ledger\"); a holder can never be added later, "
     "so do not register this key without --holder first"},
    {recall_needs_party, 0,
     "--party：请写明召回主体（已登记的主体编号，如 --party LQHZ）；这把记录员密钥没有登记持有主体，不能代为确定",
     "--party: name the party that recalls (a recorded party id, e.g. --party LQHZ); this clerk key names no "
     "holder to stand for it"},
    // Issue 16 (zh16g).
    {time_unreadable, 2, "「{0}」不是能读懂的时间；请写成 2026年9月25日 8:30、2026-09-25 08:30 或 2026/9/25 8:30（导入时加 --tz +08:00，即北京时间；用 24 小时制，下午3点写 15:00），或带时区的 2026-09-25T08:30:00+08:00；{1}",
     "\"{0}\" is not a date-time this import understands; write 2026-09-25 08:30, 2026/9/25 8:30 or 2026年9月25日 8:30 (importing with --tz +08:00, Beijing time; a 24-hour clock: 3 pm is 15:00), or 2026-09-25T08:30:00+08:00 with its offset; {1}"},
    {time_date_only_allowed, 1, "{0}事件也可以只填日期（如 2026年9月25日，导入时加 --tz +08:00，记为当天 0 点）",
     "a {0} event may also give just its date (2026-09-25 or 2026年9月25日, with --tz +08:00: 00:00 that day)"},
    {time_date_only_elsewhere, 0, "只有种植、采收、包装可以只填日期（如 2026年9月25日）",
     "only planting, harvest and packing may give just a date (2026-09-25)"},
    {trace_direction_needed, 0, "trace：请在 --forward（去向：用它做成的批次、发货、追溯码）和 --backward（来源：原料批次、地块、用过的投入品）中选一个",
     "trace: give exactly one of --forward (where it went) or --backward (where it came from)"},
    {trace_depth_negative, 1, "--depth {0}：请写 1 或更大的数（1 = 上一步或下一步），不写就是全部来龙去脉",
     "--depth {0}: give 1 or more (1 = one step), or omit it for the whole lineage"},
    {trace_heading_forward, 2, "去向追溯：从{0} 起{1}",
     "Forward trace from {0}{1}"},
    {trace_heading_backward, 2, "来源追溯：从{0} 起{1}",
     "Backward trace from {0}{1}"},
    {trace_start_lot, 1, "批次 {0}",
     "lot {0}"},
    {trace_start_code, 2, "追溯码 {0}（批次 {1}）",
     "trace code {0} on lot {1}"},
    {trace_depth, 1, "（{0} 步以内）",
     " (depth {0})"},
    {trace_whole, 0, "（全部来龙去脉）",
     " (whole lineage)"},
    {trace_via, 1, "，经第 {0} 条",
     " via entry {0}"},
    {trace_lot_again, 2, "批次 {0}{1}（见上）",
     "lot {0}{1} (shown above)"},
    {trace_lot, 6, "批次 {0} [{1}] 产品 {2}，由第 {4} 条{3}事件产生{5}",
     "lot {0} [{1}] product {2}, created by {3} at entry {4}{5}"},
    {trace_external, 0, "（外来批次）",
     " (external)"},
    {trace_plot, 1, " 地块 {0}",
     " plot {0}"},
    {trace_phi, 1, " 安全间隔期 {0} 天",
     " PHI {0} d"},
    {trace_plot_input, 1, "（施于地块 {0}，未写批次）",
     " (plot {0}, no lot given)"},
    {trace_shipped_to, 1, " 发往 {0}",
     " to {0}"},
    {trace_shipment_no, 1, " 运单号 {0}",
     " shipment {0}"},
    {trace_inspection, 2, " {0} 报告 {1}",
     " {0} report {1}"},
    {trace_plots, 1, "地块：{0} 个",
     "plots: {0}"},
    {trace_plot_row, 4, "  {0}（种植批次 {1}，主体 {2}，第 {3} 条）",
     "  {0} (planting lot {1}, party {2}, entry {3})"},
    {trace_pesticides, 1, "农药使用：{0} 次",
     "pesticide applications: {0}"},
    {trace_pesticide_row, 5, "  {0} {1}，批次 {2}，地点 {3}（第 {4} 条）",
     "  {0} {1} on lot {2} at {3} (entry {4})"},
    {trace_shipments, 1, "发货：{0} 次",
     "shipments: {0}"},
    {trace_shipment_row, 4, "  {0} {1} 发往 {2}（第 {3} 条）",
     "  {0} {1} to {2} (entry {3})"},
    {trace_codes, 2, "追溯码：{0} 个{1}",
     "trace codes: {0}{1}"},
    {trace_codes_voided, 1, "（{0} 个已作废）",
     " ({0} voided)"},
    {trace_code_row, 3, "  {0} 批次 {1}{2}",
     "  {0} lot {1}{2}"},
    {trace_code_voided, 0, "（已作废）",
     " (voided)"},
    {recall_heading, 2, "召回 {0}{1}",
     "RECALL {0}{1}"},
    {recall_entry, 1, "（第 {0} 条）",
     " (entry {0})"},
    {recall_not_recorded, 0, "（未记录）",
     " (not recorded)"},
    {recall_fields, 5, "时间：{0}\n召回方：{1}\n原因：{2}\n召回批次：{3}{4}",
     "time: {0}\nby: {1}\nreason: {2}\nrecalled: {3}{4}"},
    {recall_descendants, 0, "，以及用它做成的所有批次",
     " and every lot made from it"},
    {recall_lots, 1, "受影响的批次：{0} 个",
     "affected lots: {0}"},
    {recall_lot_row, 6, "  {0} [{1}] 产品 {2}，{3}；产量 {4}；已发出 {5}",
     "  {0} [{1}] product {2}, {3}; made {4}; shipped {5}"},
    {recall_codes, 3, "追溯码：{0} 个{1}{2}",
     "trace codes: {0}{1}{2}"},
    {recall_codes_voided, 1, "（{0} 个已作废）",
     " ({0} already voided)"},
    {recall_codes_listed, 1, "，清单见 {0}",
     ", listed in {0}"},
    {recall_shipment_row, 5, "  {0} {1}{2} 发往 {3}：{4}",
     "  {0} {1}{2} → {3}: {4}"},
    {recall_recipients, 1, "收货方：{0} 个",
     "recipients: {0}"},
    {recall_recipient_row, 5, "  {0} {1}：联系人 {2} {3} {4}",
     "  {0} {1} — contact {2} {3} {4}"},
    {recall_report_files, 1, "报告：{0}（recall.txt 文字报告、recall.json、recall.csv 表格、codes.txt 追溯码清单）",
     "report: {0} (recall.txt, recall.json, recall.csv, codes.txt)"},
    {recall_already, 4, "LOT {0}：已在召回中（{1}，{2}，原因：{3}），这次没有记录；要改那次召回，请记录对它的更正（docs/clerk-import.md「更正记录」）",
     "LOT {0}: already under recall by {1} at {2} ({3}); to change that recall, record a correction of it"},
    {recall_csv_made, 2, "产量 {0}；已发出 {1}",
     "made {0}; shipped {1}"},
    {recall_csv_genuine, 0, "有效",
     "genuine"},
    {recall_csv_voided, 0, "已作废",
     "voided"},
    {recall_awaiting, 0, "注意：召回记录还在等待检查点。部署了检查点服务的（docs/deploy.md），几分钟内会自动签署；没有部署的，请日志密钥持有人运行 agtrace-ledger checkpoint --log-key 日志密钥文件（见 docs/clerk-import.md「检查点」）",
     "note: the recall awaits a checkpoint; where the checkpoint service is deployed (docs/deploy.md \"Timers\") it signs one within minutes, otherwise the log key's holder signs one with `agtrace-ledger checkpoint --log-key LOGKEY`"},
    {help_upgrade_log_key, 0, "日志密钥文件",
     "the log key file"},
    {help_upgrade_reason, 0, "原因，写进这条记录（默认「upgrade to rules version N」）",
     "why, recorded in the entry (default: \"upgrade to rules version N\")"},
    {help_record_continue, 0, "记录正确的事件，报告有错的（退出码 2 表示有被拒绝的）",
     "record the good events, report the bad"},
    {help_record_json, 0, "以 JSON 输出每个事件的结果（键名为英文）",
     "print outcomes as JSON"},
    {help_record_file, 0, "事件文件（JSON），或 - 表示标准输入",
     "event file, or - for standard input"},
    {help_verify_checkpoint, 0, "以前保存的检查点：证明账本是它的延续",
     "a checkpoint saved earlier: prove the log extends it"},
    {help_checkpoint_log_key, 0, "日志密钥文件；签署程序在它旁边记住上次签的检查点（日志密钥文件.last-checkpoint），只签是它延续的账本",
     "the log key file; the signer remembers the last checkpoint it signed beside it (LOGKEY.last-checkpoint) and signs only a ledger that extends it"},
    {help_proof_index, 0, "记录的序号（从 0 起）",
     "entry index"},
    {help_proof_size, 0, "用账本大小为这个数的已存检查点",
     "use the stored checkpoint of this size"},
    {help_proof_old, 0, "先前的账本大小（条数）",
     "old tree size"},
    {help_proof_new, 0, "后来的账本大小（条数）",
     "new tree size"},
    {help_trace_target, 0, "批次编号、GS1 批次码或追溯码（也可以是它的二维码网址）",
     "a lot id, GS1 lot code or trace code (or the URL of its QR code)"},
    {help_trace_forward, 0, "查去向：用它做成的批次、发货、追溯码",
     "where it went: lots made from it, shipments, trace codes"},
    {help_trace_backward, 0, "查来源：原料批次、地块、用过的投入品",
     "where it came from: source lots, plots, inputs applied"},
    {help_trace_depth, 0, "最多查 N 步（默认：全部来龙去脉）",
     "at most N lineage steps (default: the whole lineage)"},
    {help_recall_lot, 0, "要召回的批次（批次编号、GS1 批次码，或它的一个追溯码）",
     "the lot to recall (lot id, GS1 lot code, or a trace code of it)"},
    {help_recall_reason, 0, "召回原因（买家和扫码页面都能看到）",
     "why (shown to buyers and on the scan page)"},
    {help_recall_descendants, 0, "同时召回用它做成的所有批次",
     "also recall every lot made from it"},
    {help_recall_party, 0, "召回方（主体编号；默认：签名密钥的持有主体）",
     "party that recalls (default: the signing key's holder)"},
    {help_recall_out, 0, "放报告文件的文件夹（默认：recall-事件编号）",
     "directory for the report files (default: recall-EVENTID)"},
    {help_recall_json, 0, "以 JSON 输出报告（键名为英文）",
     "print the report as JSON"},
    {help_recall_csv, 0, "以 CSV 表格输出报告",
     "print the report as CSV"},
    {help_bundle_dir, 0, "数据包所在的文件夹",
     "the bundle's directory"},
    {help_bundle_pubkey, 0, "日志公钥文件（必须写：建账本时和 log.key 一起生成的 log.key.pub）",
     "the log's public key (required: LOGKEY.pub, a C2SP verifier key)"},
    {help_consistency_old, 0, "先保存的检查点（签名文本）",
     "the earlier saved checkpoint (signed note)"},
    {help_consistency_new, 0, "后保存的检查点（签名文本）",
     "the later saved checkpoint (signed note)"},
    {help_consistency_proof, 0, "两个检查点大小之间的一致性证明（JSON）",
     "the consistency proof between their sizes (JSON)"},
    {help_consistency_pubkey, 0, "日志公钥文件（日志密钥.pub）；换过日志密钥的，每把都给一次",
     "the log's public key (LOGKEY.pub); repeat it for every key of a rotation chain"},
    {help_backup_out, 0, "要新建的备份文件（不能已经存在）",
     "the backup file to create (must not exist)"},
    {bundle_ok, 6, "通过：{0} 个文件；{1} 条记录（其中导出的事件 {2} 个）的签名有效，并已证明在 {4} 的检查点（账本共 {3} 条）里；派生文件和清单重新生成后完全一致（数据包格式 {5}）",
     "OK: {0}; {1} ({2} exported) signed and proved in the checkpoint of size {3} of {4}; derived file and manifest regenerated and identical (bundle format {5})"},
    {bundle_failed, 1, "核验失败：{0}\n这个数据包不可信：请向出具它的单位要一份新的导出，不要使用这份数据",
     "FAILED: {0}"},
    {failed_prefix, 0, "核验失败：",
     "FAILED: "},
    {bundle_file_unreadable, 1, "{0}：读不出来（文件缺失、是文件夹或没有读取权限）",
     "{0}: cannot be read"},
    {bundle_file_changed, 1, "{0}：SHA-256 和 manifest.json 里记的不同（文件被改过）",
     "{0}: its SHA-256 differs from the one in manifest.json (the file was changed)"},
    {bundle_file_missing, 1, "{0}：manifest.json 列出了它，但数据包里没有",
     "{0}: listed in manifest.json but missing"},
    {bundle_file_unlisted, 1, "{0}：manifest.json 里没有它（数据包里多了文件）",
     "{0}: is not listed in manifest.json"},
    {bundle_derived_edited, 2, "{0}：和按 entries.jsonl 重新生成的文件（数据包格式 {1}）不同（被改过）",
     "{0}: differs from the file regenerated from entries.jsonl in the layout of bundle format {1} (it was edited)"},
    {bundle_manifest_edited, 0, "manifest.json：和按数据包重新生成的清单不同（被改过）",
     "manifest.json: differs from the manifest regenerated from the bundle (it was edited)"},
    {bundle_signature_bad, 2, "{0}：{1} 的签名核验不通过（内容被改过）",
     "{0}: signature by {1} does not verify"},
    {checkpoint_rolled_back, 2, "账本和这把日志密钥上次签署的检查点（记在 {1}）对不上：账本被回退或分叉过，再签会让同一把密钥签出两棵不同的树。什么也没有签；请从最新的备份恢复账本（见 docs/clerk-import.md「核验不通过时」）。核验结果：{0}",
     "{0} — checked against the checkpoint this log key signed last (kept in {1}): the ledger was rolled back or forked since, and signing it would give two different trees under one key. Nothing was signed; restore the ledger from the latest backup (docs/deploy.md)"},
    {gb18030_invalid, 4, "文件 {0} 第 {1} 行有 GB18030 里没有的字节（字节位置 {2}：0x{3:02X}），整个文件都没有记录；这个文件可能不是 GB18030/GBK 编码：请在 Excel 里另存为「CSV UTF-8（逗号分隔）」，导入时不加 --encoding",
     "{0} line {1}: invalid GB18030 at byte offset {2}: byte 0x{3:02X} does not start a valid character; nothing was recorded: is the file really GB18030/GBK? Save it from Excel as \"CSV UTF-8\" and import it without --encoding"},
    {gb18030_truncated, 3, "文件 {0} 第 {1} 行：文件在一个字的中间断了（从第 {2} 个字节起），整个文件都没有记录；文件是不是没有复制完整？请从原始表格重新另存",
     "{0} line {1}: invalid GB18030: the file ends inside a character that starts at byte offset {2}; nothing was recorded: was the file cut short?"},
    {csv_quote_unquoted, 3, "文件 {0} 第 {1} 行第 {2} 格：格里有英文双引号 \"，但整格没有用双引号括起来；请把整格写在一对双引号里，格里的每个 \" 写成 \"\"（用 Excel 另存为 CSV 会自动这样写）",
     "{0}: line {1}: field {2}: '\"' inside an unquoted field; enclose the whole field in double quotes and write each '\"' in it as '\"\"' (RFC 4180 §2.5-2.7)"},
    {help_labeler_program, 0, "agtrace-labeler：为包装好的批次打印「七统一」标签，每张带唯一的二维码追溯码（GS1 Digital Link），并把每次打印记入账本",
     "agtrace-labeler: prints seven-unified (七统一) labels with unique QR trace codes (GS1 Digital Link) for packed lots, and records every label job in the ledger"},
    {help_labeler_print, 0, "为一个包装批次新分配 N 个追溯码并打印标签。用打印机（--printer）时，打印机要先回答状态查询、处于就绪状态才记录；只有打印机确认的标签才算打印了。中途出错退出码 3：没发出的标签作废，未确认的列为不确定（重打或作废），见 jobs --unfinished",
     "allocate N new trace codes for a packed lot and print their labels. A printer (--printer) must answer a status query and be ready before anything is recorded; a label counts as printed only when the printer confirmed it. Exit 3 after an error mid-job: the labels never sent are voided, the unconfirmed ones listed as uncertain (reprint or void them); see `jobs --unfinished`"},
    {help_labeler_print_key, 0, "工作站签名密钥（已在账本登记）；--dry-run 不用",
     "station signing key (registered in the ledger); not for --dry-run"},
    {help_labeler_dry_run, 0, "打印标着「样张 SAMPLE」、用样例码的样张：不分配追溯码，不动账本",
     "render sample labels marked 样张 SAMPLE with sample codes: no code issued, the ledger untouched"},
    {help_labeler_journal, 0, "打印日志（SQLite），记着正在进行的打印任务；默认 账本文件.print-journal",
     "print journal (SQLite) of running jobs; default LEDGER.print-journal"},
    {help_labeler_lot, 0, "包装批次",
     "the packed lot"},
    {help_labeler_count, 0, "标签张数，1 到 10000000",
     "number of labels, 1 to 10000000"},
    {help_labeler_party_default, 0, "谁打印（主体编号）；默认：包装这个批次的主体",
     "who prints (party id); default: the lot's packer"},
    {help_labeler_location_default, 0, "在哪里（地点编号）；默认：这个批次的包装地点",
     "where (location id); default: the lot's packing location"},
    {help_labeler_template, 0, "标签模板（JSON，见 docs/templates.md）",
     "label template (JSON, schemas/label-template.schema.json)"},
    {help_labeler_format, 0, "png、svg、pdf（默认）、zpl 或 tspl",
     "png, svg, pdf (the default), zpl or tspl"},
    {help_labeler_out, 0, "输出到一个文件（已有的会被覆盖）、一个文件夹（png/svg 每张标签一个文件；文件夹会新建，它的上级文件夹要已存在），或 - 表示标准输出",
     "a file (an existing one is overwritten), a folder (one file per label for png/svg; the folder itself is created, its parent must exist), or - for standard output"},
    {help_labeler_printer, 0, "网络打印机（原始 TCP）：tcp://地址:9100（配合 --format zpl 或 tspl）",
     "network printer, raw TCP: tcp://HOST:9100 (--format zpl or tspl)"},
    {help_labeler_timeout, 0, "打印机连接、发送、回答状态的超时（毫秒）",
     "printer connect/send/status-answer timeout (ms)"},
    {help_labeler_confirm_every, 0, "每打 N 张和打完时向打印机查询状态（ZPL ~HS、TSPL <ESC>!?）；只有查询回答之前的标签算打印了（默认 50）",
     "printer: ask its status (ZPL ~HS, TSPL <ESC>!?) after every N labels and at the end; only labels before an answer count as printed (default 50)"},
    {help_labeler_dpi, 0, "改用这个分辨率（不用模板里的）：203、300 或 600",
     "override the template's resolution: 203, 300 or 600"},
    {help_labeler_ec, 0, "二维码纠错等级 L、M（默认）、Q 或 H",
     "QR error correction L, M (default), Q or H"},
    {help_labeler_quiet, 0, "不显示进度条",
     "no progress bar"},
    {help_labeler_reprint, 0, "重新打印已有的追溯码（不分配新码）",
     "print existing trace codes again (no new codes)"},
    {help_labeler_station_key, 0, "工作站签名密钥",
     "station signing key"},
    {help_labeler_serials, 0, "追溯码，或它们二维码里的网址（扫码枪输入的样子）",
     "trace codes, or the URLs their QR codes hold (as a scanner types them)"},
    {help_labeler_party, 0, "谁打印（主体编号）",
     "who prints (party id)"},
    {help_labeler_location, 0, "在哪里（地点编号）",
     "where (location id)"},
    {help_labeler_void, 0, "登记打坏的标签：它们的追溯码从此不再有效",
     "record spoiled labels: their codes are no longer genuine"},
    {help_labeler_void_reason, 0, "原因（如「在产线上撕坏了」）",
     "why (e.g. \"torn on the line\")"},
    {help_labeler_void_party, 0, "谁（主体编号）；默认：包装这个批次的主体",
     "who (party id); default: the lot's packer"},
    {help_labeler_jobs, 0, "列出打印日志里标签没有全部确认的打印任务（因死机、停电中断，或因出错停止）",
     "print jobs from the print journal whose labels are not all confirmed (interrupted by a crash or power cut, or stopped on an error)"},
    {help_labeler_unfinished, 0, "逐个列出这些任务：记录序号、批次、打印机和未确认的追溯码",
     "list each such job: entry, lot, printer and unconfirmed serials"},
    {help_labeler_json, 0, "以 JSON 输出到标准输出（键名为英文）",
     "JSON on standard output"},
    {help_labeler_preview, 0, "不用账本，按一个事实文件打印样张（设计模板用；码不是真的）",
     "render sample labels from a facts file, without a ledger (template design; the codes are not genuine)"},
    {help_labeler_facts, 0, "事实文件，JSON：base_url、lot、lot_code、gtin14、product_id、processed、fields{{}}",
     "JSON: base_url, lot, lot_code, gtin14, product_id, processed, fields{{}}"},
    {help_labeler_sample_count, 0, "样张张数（默认 1）",
     "number of sample labels (default 1)"},
    {help_labeler_certificate, 0, "按事实打印一张承诺达标合格证：100×70 毫米热敏标签（png、pdf、zpl、tspl）或整车用的 A5 纸（a5），取自账本里签了名的记录（--number）或事实文件（--facts）；二维码指向合格证的页面。不记录任何东西。见 docs/certificate.md",
     "render a 承诺达标合格证 (commitment certificate) from its facts: a 100×70 mm thermal label (png, pdf, zpl, tspl) or an A5 sheet for a vehicle load (a5), from its signed ledger entry (--number) or a facts file (--facts); its QR code leads to the certificate's page. Nothing is recorded. See docs/certificate.md"},
    {help_labeler_cert_number, 0, "合格证编号：按 --ledger 里它的开具合格证记录打印（已作废、已失效的拒绝打印）",
     "the certificate's number: print it from its certificate_issued entry in --ledger (refused when it is voided 已作废 or invalidated 已失效)"},
    {help_labeler_cert_facts, 0, "代替 --number：合格证的事实，JSON（schemas/certificate-facts.schema.json），设计模板用",
     "instead of --number: the certificate's facts, JSON (schemas/certificate-facts.schema.json), for template design"},
    {help_labeler_cert_template, 0, "合格证模板，JSON（schemas/certificate-template.schema.json），如 examples/templates/lucheng-certificate-100x70.json 或 lucheng-certificate-a5.json",
     "certificate template, JSON (schemas/certificate-template.schema.json), e.g. examples/templates/lucheng-certificate-100x70.json or lucheng-certificate-a5.json"},
    {help_labeler_cert_format, 0, "png、pdf（默认）、zpl、tspl，或 a5（PDF；要用 A5 模板）",
     "png, pdf (the default), zpl, tspl, or a5 (PDF; needs an A5 template)"},
    {help_labeler_cert_out, 0, "输出到一个文件（已有的会被覆盖）、一个文件夹，或 - 表示标准输出",
     "a file (an existing one is overwritten), a folder, or - for standard output"},
    {help_labeler_footer, 0, "全局选项：--ledger 账本文件（或环境变量 AGTRACE_LEDGER），账本文件（SQLite），写在子命令前后都可以。",
     "Global: --ledger FILE (or AGTRACE_LEDGER), the ledger file (SQLite), before or after the verb."},
    // corr16 (issue 16 trial: corrections of corrections, units a lot never had).
    {show_entry_correction_in_force, 1, "现行：第 {0} 条（以它的替代记录为准）",
     "in force: entry {0} (its replacement is what counts)"},
    {show_entry_correction_superseded, 1, "这条更正已被第 {0} 条取代，以第 {0} 条为准",
     "this correction was replaced by entry {0}; entry {0} is what counts"},
    {rule_lot_unit_never, 3,
     "批次「{0}」是按{1}记的，这里写的是{2}，无法对账；请用{1}填写这一格（{2}和{1}不能互相换算）",
     "lot \"{0}\" is counted in {1}, not {2}; give this quantity in {1} ({2} and {1} are not interchangeable for it)"},
    // zh16h (issue 16, the clerk's path).
    {rule_packing_counted_input, 4,
     "投入批次「{0}」是按件数记的（第 {2} 条{1}记录的单位是 箱、件 这样的件数，不是重量），而包装是把称过重量的产品分装成一件件，"
     "要知道投入了多少公斤，件数和公斤无法相比。请二选一：① 把第 {2} 条{1}更正为称得的重量——在{1}表那一行把「数量」改成公斤数、"
     "「单位」填 千克，加一列「更正原因」写明原因再导入，然后这一行的「投入数量」「投入单位」按公斤填；② 如果{1}时的一箱就是包装后的"
     "一件，就按件包装：在产品表里给{3}填上「包装规格」「包装单位」（每件多少千克）重新导入产品，这一行的「投入数量」填箱数、"
     "「投入单位」填 箱，「件数」和箱数一样",
     "input lot \"{0}\" is counted in pieces (entry {2}, a {1}, gives it in pieces such as boxes, not a weight), and a "
     "packing turns a weighed amount into pieces, so pieces cannot be compared with its kilograms. Either correct entry "
     "{2} to the weighed quantity in kg (a correction with a reason), then give input_quantity in kg; or, if each box "
     "is one packed piece, pack by count: give {3} a pack_size (the weight of one piece), record the product again, and "
     "give input_quantity as the number of boxes, with count the same"},
    {key_add_holder_is_name, 2,
     "--holder {0}：--holder 要写主体编号，不是名称；账本里名称为「{0}」的主体编号是 {1}：请写 --holder {1}"
     "（没有写入任何记录；持有主体只能在登记时写，以后不能补登或更改，所以不要先不带 --holder 登记这把密钥）",
     "--holder {0}: --holder takes a party id, not a name; the party named \"{0}\" has id {1}: write --holder {1} "
     "(nothing was recorded; a key's holder is set when the key is registered and can never be added or changed later, "
     "so do not register this key without --holder first)"},
    {key_add_no_holder_note, 0,
     "注意：这把记录员密钥没有登记持有主体，可以为任何主体签名（召回时要写 --party 主体编号）；持有主体以后不能补登。"
     "要一把只为一个主体签名的密钥，请用 agtrace-ledger key gen 生成新密钥，用 key add --holder 主体编号 登记"
     "（主体要先导入），再用 key revoke 吊销不用的这把",
     "note: this clerk key names no holder, so it signs for any party (a recall then needs --party PARTY); a holder can "
     "never be added later. For a key that signs only for one party, generate a new key (agtrace-ledger key gen), add "
     "it with key add --holder PARTY (the party recorded first), and revoke the one you do not use (key revoke)"},
    {recall_add_party, 2,
     "这把记录员密钥没有登记持有主体，召回要写明是哪个主体召回：在命令里加上 --party {0}（批次「{1}」是主体 {0} 记录的；"
     "由别的主体召回时，写它的主体编号）",
     "this clerk key names no holder, so say which party recalls: add --party {0} to the command (lot \"{1}\" was "
     "recorded by party {0}; for another party, give its id)"},
    {bundle_needs_pubkey, 0,
     "缺少 --pubkey：核验数据包要用账本日志密钥的公钥文件（建账本时和 log.key 一起生成的 log.key.pub，向账本管理员要），"
     "如 agtrace-ledger audit verify-bundle 导出 --pubkey log.key.pub",
     "--pubkey is required: a bundle is checked against the log's public key (log.key.pub, made with log.key when the "
     "ledger was created; ask the ledger's keeper), e.g. agtrace-ledger audit verify-bundle DIR --pubkey log.key.pub"},
    {audit_derived_table, 2,
     "第 {0} 条记录：账本文件里的索引表 {1} 和签名的记录对不上（有一行被加上、删掉或改过），按它查询会得到错误的结果",
     "entry {0}: derived table {1} disagrees with the entries (a row was added, removed or changed); queries would lie"},
    {audit_sqlite_damaged, 1,
     "账本文件（SQLite）损坏了（完整性检查：{0}）；请从备份恢复，或用 REINDEX 重建索引后再核验",
     "the SQLite file is damaged (PRAGMA integrity_check: {0}); restore it from a backup or rebuild its indexes with "
     "REINDEX and verify again"},
    {audit_codes_count, 2,
     "追溯码表里有 {0} 个追溯码，而签名的标签作业记录只有 {1} 个：有追溯码不是通过标签作业加进去的",
     "the codes tables hold {0} serials but the label-job entries commit to {1}: a code was added without a job entry"},
    {audit_no_entries, 0, "账本里没有任何记录（缺少第 0 条）", "the ledger has no entries (entry 0 is missing)"},
    {audit_signature, 2, "第 {0} 条记录：密钥 {1} 的签名对不上", "entry {0}: signature by {1} does not verify"},
    {audit_chain_broken, 1, "第 {0} 条记录：和前一条记录的哈希链接不上（哈希链断了）",
     "entry {0}: prev does not match the leaf hash of the entry before (the chain is broken)"},
    {audit_leaf_hash, 1, "第 {0} 条记录：存放的哈希值和记录的内容对不上",
     "entry {0}: stored leaf_hash does not match the entry bytes"},
    {audit_entry_missing, 2, "第 {0} 条记录不见了（下一条存放的是第 {1} 条）",
     "entry {0}: missing (the next stored entry has index {1})"},
    {audit_checkpoint_root, 2,
     "第 {0} 条记录：共 {1} 条的检查点和记录算出的根哈希对不上；第 {1} 条以前有记录被改过",
     "entry {0}: checkpoint of size {1} has a root that the entries do not reproduce; an entry before index {1} was "
     "changed"},
    {row_more_problems, 1, "这一行另有 {0} 处问题没有列出；改好上面的再导入会一并提示",
     "{0} more problems in this row are not listed; fix these and import again to see them"},
    {recall_party_unknown, 1,
     "--party {0}：账本里没有主体「{0}」；请写已登记的主体编号（主体表的「主体编号」一列），或先导入这个主体",
     "--party \"{0}\": unknown party; record it first"},
    {ledger_not_given, 0,
     "没有指定账本文件：请加 --ledger 账本文件，或设置环境变量 AGTRACE_LEDGER（docs/clerk-import.md「准备」第 1 步）",
     "no ledger file: pass --ledger FILE or set AGTRACE_LEDGER"},
    {ledger_missing, 1,
     "账本文件 {0} 不存在：请检查 --ledger 或 AGTRACE_LEDGER 写的路径和文件名；还没有建账本的，由管理员运行 agtrace-ledger init 新建",
     "ledger {0} does not exist; create it with `agtrace-ledger init` or set --ledger / AGTRACE_LEDGER"},
    // cert14h (issue 14, the last trial): the rollback guard, look-alike characters, show lot.
    {checkpoint_guard_memory, 1, "日志密钥上次签署的检查点（保存在「{0}」）", "the checkpoint this log key signed last (kept in {0})"},
    {checkpoint_guard_saved, 1, "保存的检查点「{0}」", "the saved checkpoint {0}"},
    {checkpoint_guard_nothing_written, 0, "什么也没有写入", "nothing was written"},
    {checkpoint_guard_not_printed, 0, "合格证未打印", "the certificate was not printed"},
    {checkpoint_guard_labels, 0, "没有打印标签，也没有记录", "no label was printed or recorded"},
    {checkpoint_guard_not_exported, 0, "什么也没有导出", "nothing was exported"},
    {checkpoint_guard_rolled_back, 4,
     "账本被回滚：{0}已经覆盖 {1} 条记录，账本文件却只有 {2} 条——文件比上次签署的检查点旧，是换上的旧副本，之后记录的作废、召回和更正可能都不在里面。"
     "{3}；请从最新的备份恢复账本（docs/deploy.md）后再操作",
     "the ledger was rolled back: {0} covers {1} entries, but the file holds only {2} — it is older than the last "
     "signed checkpoint (an older copy put in its place), and voids, recalls or corrections recorded since may be "
     "missing from it. {3}; restore the ledger from the latest backup (docs/deploy.md) and try again"},
    {checkpoint_guard_forked, 3,
     "账本不是{0}的延续：前 {1} 条记录和检查点签署的不同——账本被回滚到旧副本后又写入了别的记录（分叉），或被改动过。"
     "{2}；请从最新的备份恢复账本（docs/deploy.md），并请日志密钥持有人运行 agtrace-ledger verify 查明",
     "the ledger does not extend {0}: its first {1} entries differ from those the checkpoint signed — it was rolled "
     "back to an older copy and written to since (a fork), or edited. {2}; restore the ledger from the latest backup "
     "(docs/deploy.md) and have the log key holder run agtrace-ledger verify"},
    {checkpoint_guard_other_log, 3,
     "{0}不是这个账本的检查点（{1}）：账本文件被换成了另一个账本，或给错了检查点文件。{2}；请核对账本文件和检查点文件",
     "{0} is not a checkpoint of this ledger ({1}): the ledger file was replaced by another ledger, or the checkpoint "
     "file is wrong. {2}; check both files"},
    {char_lookalike, 5, "第 {0} 个字符「{1}」（{2} {3}）看起来像「{4}」，其实不是；请改用「{4}」",
     "character {0} \"{1}\" ({2} {3}) looks like \"{4}\" but is not; type \"{4}\" instead"},
    {char_invisible, 3, "第 {0} 个字符是看不见的字符 {1}（{2}），屏幕上和纸上都看不出来；请删去（把整格删掉重新输入最稳妥）",
     "character {0} is the invisible {1} ({2}), which neither the screen nor the paper shows; delete it (retyping the "
     "whole value is surest)"},
    {show_lot_certificate_valid, 2, "承诺达标合格证 {0}（批次「{1}」）：有效", "commitment certificate {0} (lot \"{1}\"): valid"},
    {show_lot_certificate_status, 5, "承诺达标合格证 {0}（批次「{1}」）：{2}（{3}：{4}）",
     "commitment certificate {0} (lot \"{1}\"): {2} ({3}: {4})"},
    // station11 (issue 15: the station's upload runs import's yield check).
    {harvest_yield_implausible_supervisor, 5,
     "采收 {0}，而种植批次「{1}」只种了 {2} 亩：合每亩 {3} 千克，超过任何作物一次采收的产量（每亩 {4} 千克）；请核对数量、"
     "单位（吨还是千克）和种植面积；确实无误时，请本企业主管在下面输入主管账号和 PIN 确认后再导入",
     "a harvest of {0} from planting lot \"{1}\" of {2} mu is {3} kg per mu, beyond what any crop yields in one "
     "harvest ({4} kg per mu); check the quantity, the unit (t or kg) and the planted area; if it is right after "
     "all, a supervisor of your enterprise confirms it below with their account and PIN, then import"},
    // zh16i (issue 16: what the regulator reads).
    {packing_quantities, 3, "投入 {0} → 产出 {1} × 每件 {2}", "input {0} → {1} × {2} each"},
    {packing_loss, 1, "，损耗 {0}", ", loss {0}"},
    {recall_lot_packing, 2, "    包装自批次 {0}：{1}", "    packed from lot {0}: {1}"},
    {recall_csv_packing, 1, "；包装：{0}", "; packing: {0}"},
    {recall_csv_kind_recall, 0, "召回", "recall"},
    {recall_csv_kind_lot, 0, "批次", "lot"},
    {recall_csv_kind_trace_code, 0, "追溯码", "trace code"},
    {recall_csv_kind_shipment, 0, "发货", "shipment"},
    {recall_csv_kind_recipient, 0, "收货方", "recipient"},
    // trust14h
    {key_clerk_acts_for_other, 5,
     "记录员密钥 {0} 的持有主体是「{1}」，这条{2}记录的 {3} 却是「{4}」：从规则第 9 版起，登记了持有主体的密钥只记录持有主体"
     "自己做的事 — 请让「{4}」用自己的密钥记录，或用不带持有主体的记录员密钥（如合作社的记录员）记录",
     "clerk key {0} is held by \"{1}\", but this {2} names \"{4}\" as its {3}: from rules version 9 a key registered "
     "with a holder records only what its holder did — have \"{4}\" record it with its own key, or record it with a "
     "clerk key that names no holder (such as the co-op's clerk)"},
    {key_clerk_inspection_other, 3,
     "这条检测记录由记录员密钥 {0}（持有主体「{1}」）签名，检测主体（party）却是「{2}」：从规则第 9 版起，登记了持有主体的密钥"
     "不能替别人记录检测结果 — 请由检测机构「{2}」用自己的密钥记录它的检测结果，或由合作社不带持有主体的记录员密钥导入检测"
     "机构出具的报告；「{1}」自己做的检测，检测主体写「{1}」",
     "this inspection is signed by clerk key {0}, held by \"{1}\", but names \"{2}\" as the party that tested: from "
     "rules version 9 a key registered with a holder does not record another party's test results — the laboratory "
     "\"{2}\" records its own results with its own key, or the co-op's clerk key without a holder imports the "
     "laboratory's report; a test \"{1}\" made itself names \"{1}\" as its party"},
    {key_clerk_recall_lot, 3,
     "记录员密钥 {0} 的持有主体是「{1}」，批次「{2}」不是「{1}」生产或收到的批次，也不是用这样的批次加工、包装出来的：从规则"
     "第 9 版起，登记了持有主体的密钥只召回持有主体自己的批次 — 请由生产该批次的企业用自己的密钥召回，或用不带持有主体的记录员"
     "密钥（如合作社的记录员）召回",
     "clerk key {0} is held by \"{1}\", and lot \"{2}\" is not one \"{1}\" made or received, nor made from such a "
     "lot: from rules version 9 a key registered with a holder recalls only its holder's lots — have the enterprise "
     "that made the lot recall it with its own key, or recall it with a clerk key that names no holder (such as the "
     "co-op's clerk)"},
    {key_clerk_master_other, 4,
     "记录员密钥 {0} 的持有主体是「{1}」，{2}已经登记过（第 {3} 条），不是「{1}」的密钥登记的，也不是「{1}」自己的：从规则"
     "第 9 版起，登记了持有主体的密钥可以登记新的主数据，但只能修改持有主体自己的、或持有主体的密钥登记的主数据 — 请由该主体用"
     "自己的密钥修改，或用不带持有主体的记录员密钥修改",
     "clerk key {0} is held by \"{1}\", and {2} was recorded already (entry {3}), neither by a key of \"{1}\" nor as "
     "\"{1}\"'s own: from rules version 9 a key registered with a holder records new master data, but changes only "
     "its holder's own or what its holder's keys recorded — have that party change it with its own key, or change it "
     "with a clerk key that names no holder"},
    {audit_rules_refuse, 2, "第 {0} 条记录：签名没有问题，但账本的规则不接受它：{1}",
     "entry {0}: signed, but the ledger's rules refuse it: {1}"},
    {cert_evidence_signed, 3, "依据「{0}」的检测：报告 {1}，记录签名 {2}", "basis {0}: inspection report {1}, recorded with key {2}"},
    {key_holder_words, 1, "持有主体 {0}", "held by {0}"},
    {key_no_holder_words, 0, "未登记持有主体", "no holder"},
    // station13
    {show_lot_yield_supervisor, 2, "采收量超过每亩 {0} 千克的核对上限，由主管 {1} 在打印工作站确认无误后记录",
     "harvest beyond the yield check ({0} kg per mu), recorded after supervisor {1} confirmed it at the printer station"},
    {show_lot_yield_flag, 1, "采收量超过每亩 {0} 千克的核对上限，由导入人加 --allow-high-yield 确认后记录",
     "harvest beyond the yield check ({0} kg per mu), recorded because the importer passed --allow-high-yield"},
    // ship16 (issue 16: what leaves a lot; a crop's own yield bound).
    {ship_lot_recalled, 5,
     "批次「{0}」{1}已于 {2}召回（{3}，事件 {4}），不能发货；退回或送去销毁召回的货物时，请在「召回品去向」一栏填「退回」或"
     "「销毁」（字段 recalled_goods）",
     "lot \"{0}\"{1} was recalled at {2} ({3}, event {4}) and cannot be shipped; to send recalled goods back or to "
     "destruction, fill 召回品去向 (field recalled_goods) with return or destruction"},
    {ship_recalled_goods_not_recalled, 1,
     "「召回品去向」只用于已召回的批次，批次「{0}」没有召回；请清空这一格",
     "recalled_goods is only for recalled lots, and lot \"{0}\" is not recalled; leave it empty"},
    {ship_recalled_goods_needs_version, 2,
     "本账本的规则版本是 {0}，发货记录还没有「召回品去向」；请清空这一格，或先用 `agtrace-ledger upgrade --log-key LOGKEY` "
     "把账本升到规则版本 {1}（docs/rules-versions.md）",
     "this ledger's rules version is {0}, whose shipping records have no recalled_goods; leave it out, or move the "
     "ledger to rules version {1} with `agtrace-ledger upgrade --log-key LOGKEY` (docs/rules-versions.md)"},
    {show_lot_shipped, 2, "，已发出 {0} {1}", ", {0} {1} shipped"},
    {harvest_yield_over_product, 6,
     "采收 {0}，而种植批次「{1}」只种了 {2} 亩：合每亩 {3} 千克，超过产品「{5}」的最高亩产（每亩 {4} 千克）；请核对数量、"
     "单位（吨还是千克）和种植面积；确实无误时，导入时加 --allow-high-yield",
     "a harvest of {0} from planting lot \"{1}\" of {2} mu is {3} kg per mu, beyond the most product \"{5}\" yields "
     "({4} kg per mu, its max_yield_kg_per_mu); check the quantity, the unit (t or kg) and the planted area; if it is "
     "right after all, import with --allow-high-yield"},
    {harvest_yield_over_product_supervisor, 6,
     "采收 {0}，而种植批次「{1}」只种了 {2} 亩：合每亩 {3} 千克，超过产品「{5}」的最高亩产（每亩 {4} 千克）；请核对数量、"
     "单位（吨还是千克）和种植面积；确实无误时，请本企业主管在下面输入主管账号和 PIN 确认后再导入",
     "a harvest of {0} from planting lot \"{1}\" of {2} mu is {3} kg per mu, beyond the most product \"{5}\" yields "
     "({4} kg per mu, its max_yield_kg_per_mu); check the quantity, the unit (t or kg) and the planted area; if it is "
     "right after all, a supervisor of your enterprise confirms it below with their account and PIN, then import"},
    // zh16j: audit consistency, backup, the audit's saved checkpoint, export bounds, the verifier.
    {consistency_ok, 5,
     "一致：{1} 大小为 {0} 的检查点延续了大小为 {2} 的检查点（RFC 9162 一致性证明，{3} 个哈希；签名密钥 {4}）："
     "两者之间账本没有被改写",
     "OK: the checkpoint of size {0} of {1} extends the one of size {2} (RFC 9162 consistency proof, {3}; signed "
     "by {4}): the log was not rewritten between them"},
    {consistency_failed, 1, "不一致：{0}", "FAILED: {0}"},
    {consistency_unsigned, 3,
     "{0} {1}：给出的日志公钥都没有签过这个检查点；换过日志密钥的，请用 --pubkey 给出每一把公钥（每把写一次 --pubkey）",
     "{0} {1}: signed by none of the given log keys ({2}); give every key of the log's rotation chain with --pubkey"},
    {consistency_other_log, 2, "--old 是账本「{0}」的检查点，--new 是账本「{1}」的：不是同一个账本",
     "--old is a checkpoint of {0}, --new of {1}: two different logs"},
    {consistency_swapped, 2,
     "--old 的大小是 {0}，--new 的大小是 {1}：--old 要写先保存的（较小的）检查点，请把两个文件对调",
     "--old has size {0}, --new size {1}: give the older (smaller) checkpoint as --old"},
    {consistency_proof_sizes, 5,
     "--proof {0} 是大小 {1} 到 {2} 之间的证明，而两个检查点的大小是 {3} 和 {4}；请从核验服务取 "
     "/api/v1/proof/consistency?old={3}&new={4}",
     "--proof {0} is between sizes {1} and {2}, the checkpoints are of sizes {3} and {4}; fetch "
     "/api/v1/proof/consistency?old={3}&new={4}"},
    {consistency_proof_field, 2,
     "--proof {0}：没有 {1}（应是核验服务 /api/v1/proof/consistency?old=A&new=B 给出的 JSON，含 old_size、new_size 和 "
     "hashes）",
     "--proof {0}: no {1} (a JSON object with old_size, new_size and hashes, as the verifier's "
     "/api/v1/proof/consistency?old=A&new=B answers)"},
    {consistency_proof_no_hashes, 1, "--proof {0}：没有 hashes 数组（哈希列表）", "--proof {0}: no hashes array"},
    {consistency_proof_hash_text, 1, "--proof {0}：有一个哈希不是 base64 文字",
     "--proof {0}: a hash that is not a base64 string"},
    {consistency_proof_hash_size, 2, "--proof {0}：有一个哈希是 {1} 字节，应为 32 字节",
     "--proof {0}: a hash of {1} bytes, not 32"},
    {consistency_roots, 5,
     "这份一致性证明（{0} 个哈希）不能从大小为 {1} 的检查点（根 {2}）推出大小为 {3} 的检查点（根 {4}）："
     "两者之间账本被改写过，或者证明是伪造的、不完整的",
     "the consistency proof ({0} hash(es)) does not lead from the checkpoint of size {1} (root {2}) to the one of "
     "size {3} (root {4}): the log was rewritten between them, or the proof is forged or incomplete"},
    {csv_empty_file, 1, "{0}：文件是空的，连表头都没有；请在 Excel 里确认选对了工作表、有表头行，再另存为 CSV",
     "{0}: the file is empty; expected a header row naming the columns"},
    {backup_done, 4, "已备份到 {0}：{1} 条记录全部核验通过；最新的检查点包括 {2} 条{3}",
     "backup {0}: {1} verified; its latest checkpoint covers {2}{3}"},
    {backup_awaiting_count, 1, "（{0} 条等待检查点）", " ({0} awaiting checkpoint)"},
    {backup_awaiting, 1,
     "注意：有 {0} 条还没有签署检查点；备份里有账本最新签署的检查点时才能用来恢复：请在 agtrace-ledger checkpoint "
     "之后马上备份（docs/deploy.md「Backup and restore」）",
     "note: {0} not yet under a signed checkpoint; this backup is good for a restore only while it holds the "
     "ledger's latest signed checkpoint: take backups right after `agtrace-ledger checkpoint` (docs/deploy.md "
     "\"Backup and restore\")"},
    {backup_failed, 2,
     "核验失败：{0} 的副本核验不通过，没有写出备份：{1}\n请对账本运行 agtrace-ledger verify，"
     "并照 docs/clerk-import.md「核验不通过时」处理",
     "FAILED: the copy of {0} does not verify, so no backup was written: {1}\nrun `agtrace-ledger verify` on the "
     "ledger and see docs/deploy.md \"When verify fails\""},
    {audit_saved_unsigned, 2,
     "保存的检查点打不开：它不是这个账本的日志密钥 {1} 签的，或者文件被改过",
     "saved checkpoint: {0} (was it signed by this log's key {1}?)"},
    {audit_saved_covers_more, 2,
     "第 {0} 条缺失：保存的检查点包括 {1} 条，而账本现在只有 {0} 条；有记录被删除了",
     "entry {0}: missing: the saved checkpoint covers {1} entries but the log now has {0}; entries were removed"},
    {audit_saved_inconsistent, 2,
     "账本与保存的大小为 {0} 的检查点（根 {1}）不一致：前 {0} 条里有记录被改过",
     "the log is not consistent with the saved checkpoint of size {0} (root {1}): an entry before index {0} was "
     "changed"},
    {audit_saved_empty_root, 2,
     "保存的大小为 0 的检查点的根是 {0}，而空账本的根是 {1}（RFC 9162 §2.1.1）：它不是这个账本的检查点",
     "the saved checkpoint of size 0 has root {0}, but the empty tree's root is {1} (RFC 9162 §2.1.1); it is not "
     "a checkpoint of this log"},
    {export_bound_unreadable, 3,
     "{0}：读不懂「{1}」；请写日期 2026-12-06 或日期加时间 \"2026-12-06 08:00\"（都要加 --tz +08:00），或带时区的时间 "
     "2026-12-06T08:00:00+08:00",
     "{0}: cannot read \"{1}\" ({2}); give a date 2026-12-06 or \"2026-12-06 08:00\" with --tz +08:00, or an RFC "
     "3339 time with its offset such as 2026-12-06T08:00:00+08:00"},
    {export_bound_no_tz, 4,
     "{0}：「{1}」没有时区；加 --tz +08:00 按北京时间{2}，或写完整时间，例如 {3}T00:00:00+08:00",
     "{0}: \"{1}\" has no UTC offset; add --tz +08:00 to read it as local time{2}, or give an RFC 3339 time with "
     "its offset, e.g. {3}T00:00:00+08:00"},
    {verifier_serving, 3, "已核验 {0} 条记录（检查点大小 {1}），用时 {2} 秒；开始服务",
     "verified {0} entries (checkpoint size {1}) in {2} s; serving"},
    {already_recorded_in_force, 2, "；现行以第 {0} 条更正为准{1}", "; the correction at entry {0} is in force{1}"},
    {show_entry_corrected_many, 1, "已被第 {0} 条更正", "corrected by entry {0}"},
    {time_date_only, 1, "{0}（只记了日期）", "{0} (date only)"},
    {party_named, 2, "{0}（{1}）", "{0} ({1})"},
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
    // The append rules and the schema refusals.
    "rule_units_incomparable", "rule_future_time", "rule_unknown_master", "rule_no_such_event",
    "rule_lot_created_twice", "rule_lot_exists", "rule_lot_in_and_out", "rule_before_lot",
    "rule_harvest_in_interval", "rule_spray_after_harvest", "rule_gtin_check_digit", "rule_gtin_zeros",
    "rule_gtin_taken", "rule_item_over_limit", "rule_failed_item_passes", "rule_harvest_product",
    "rule_transformation_id_version", "rule_not_conserved", "rule_lot_short", "rule_event_id_taken",
    "rule_event_id_recorded", "cert_units_incomparable", "cert_lot_no_quantity", "cert_quantity_moved",
    "cert_quantity_over", "cert_lot_recalled", "cert_lot_failed", "cert_interval_running", "cert_basis_twice",
    "cert_basis_interval", "cert_no_evidence", "cert_evidence_unknown", "cert_evidence_not_inspection",
    "cert_evidence_other_lots", "cert_evidence_failed", "cert_evidence_later", "cert_self_tested_other",
    "cert_commissioned_self", "cert_commissioned_not_lab", "cert_producer_parents", "cert_buyer_no_parents",
    "cert_parent_unknown", "cert_parent_voided", "cert_parent_other_lot", "cert_parent_missing",
    "cert_shipment_unknown", "cert_shipment_other_lot", "cert_number_reused", "cert_product_differs",
    "cert_void_unknown", "cert_void_twice", "cert_received_twice", "cert_required_needs_version",
    "label_field_needs_version", "cert_type_needs_version", "label_lot_recalled", "label_lot_failed",
    "label_no_certificate", "schema_missing", "schema_not_allowed", "schema_value", "schema_invalid",
    "columns_types", "columns_heading", "columns_type_unknown", "format_items_values", "format_bases", "format_parents",
    "format_pack_unit", "format_unit", "format_values", "format_text", "format_decimal", "format_gtin",
    "format_integer", "format_boolean", "format_time", "format_date", "format_list", "format_shipped_lots",
    "format_lot_quantities", "format_readings", "format_items", "format_helper", "format_helper_values",
    "cert_certified_twice", "cert_origin_elsewhere",
    // show; keys and signers.
    "time_at_offset", "time_at_utc_offset", "time_utc", "show_in_checkpoint", "show_awaiting_checkpoint",
    "show_entry_heading", "show_entry_signed", "show_entry_time", "show_entry_corrected", "show_entry_quantity",
    "show_entry_event", "show_lot_heading", "show_lot_product", "show_lot_created", "show_lot_quantity",
    "show_lot_recalled", "show_lot_events", "show_lot_event_corrected", "show_lot_unknown",
    "show_entry_bad_index", "key_not_registered", "key_revoked_sign", "key_log_entries_only",
    "key_log_signs_keys_only", "key_station_signs_labels", "key_station_no_holder", "key_station_other_holder",
    "key_already_registered", "key_name_differs", "key_unknown", "key_log_not_revocable", "key_already_revoked",
    "key_not_log_key", "key_rotated_log_key", "key_add_needs_holder", "key_add_revoked", "key_add_role_kept",
    "key_add_unchanged", "key_added", "key_revoked_done", "key_file_missing", "key_file_mode",
    "key_file_encrypted", "key_file_not_pem", "key_file_damaged", "key_file_not_ed25519", "key_pub_missing",
    "key_pub_mismatch", "key_list_row", "key_list_holder", "key_list_revoked", "correct_event_id_argument",
    "help_lang", "help_key_file", "help_log_key_checkpoint", "help_json", "help_encoding", "help_import",
    "help_import_format", "help_import_tz", "help_import_type", "help_import_continue", "help_import_json",
    "help_import_file", "help_correct", "help_correct_event_id", "help_correct_file", "help_correct_reason",
    "help_correct_key", "help_correct_party", "help_correct_own_id", "help_correct_json", "help_columns",
    "help_columns_type", "help_columns_csv", "help_show", "help_show_what",

    "received_origin_needs_version", "received_origin_missing", "received_issued_after", "received_placeholder_form",
    "received_placeholder_date", "received_number_missing", "cert_origin_paper", "cert_buyer_quality_control",
    "cert_test_misses_external",
    "encoding_gb18030_not_utf8", "encoding_utf16_not_utf8", "encoding_invalid_utf8", "encoding_utf8_not_gb18030",
    "encoding_bom_not_gb18030", "cell_number_only", "header_missing_required", "log_corrected_by",
    "cert_origin_fix_one", "cert_origin_fix_common", "cert_origin_fix_none", "cert_producer_over_paper",
    "cert_number_case", "received_number_unmatchable", "correction_of_certificate", "correction_of_received",
    "received_issued_here", "received_issuer_issues_here", "received_lot_no_product", "received_lot_taken",
    "checkpoint_signed_after", "checkpoint_awaiting_after", "cert_number_received_first",
    "plot_input_needs_version", "plot_input_not_plot", "show_lot_plot_input", "correction_plot_changed",
    "help_program", "help_version", "help_ledger", "help_init", "help_init_origin", "help_init_base_url",
    "help_init_log_key_out", "help_key", "help_key_gen", "help_key_gen_name", "help_key_gen_out", "help_log_key_file",
    "help_key_add", "help_key_add_pub", "help_key_add_role", "help_key_add_holder", "help_key_list", "help_key_revoke",
    "help_key_revoke_key_id", "help_key_revoke_reason", "help_key_rotate_log", "help_key_rotate_current",
    "help_key_rotate_new", "help_key_rotate_reason", "help_log", "help_log_from", "help_log_to", "help_log_tz",
    "help_log_lot", "help_export", "help_export_format", "help_export_certificates", "help_export_lot",
    "help_export_product", "help_export_party", "help_export_from", "help_export_to", "help_export_tz",
    "help_export_entries", "help_export_out", "help_export_json", "init_exists", "init_created", "key_gen_written",
    "key_log_rotated", "export_written", "export_awaiting", "export_late", "export_no_format",
    "export_certificates_only", "export_certificates_written", "show_entry_fields", "show_entry_field",
    "show_entry_json_hint", "show_entry_missing", "date_not_exist", "encoding_lost_characters", "unit_jin_amount",
    "correction_recorded_before", "verifier_listening", "verifier_stopped", "verifier_no_ledger",
    "verifier_pubkey_unreadable", "verifier_pubkey_bad", "verifier_cannot_bind", "audit_first_failed",
    "correction_superseded_again", "correction_reason_differs", "event_row_not_current",
    "show_lot_correction_in_force", "show_lot_correction_superseded",
    "cli_required", "cli_subcommand_required", "cli_not_in_set", "cli_unknown_option", "cli_extra_argument",
    "cli_needs_value", "cli_other", "cli_format_values", "cli_role_values", "cli_tz_values", "import_format_unknown",
    "file_missing", "key_gen_exists", "key_gen_bad_name", "key_name_space", "key_name_plus", "key_name_empty",
    "export_out_not_empty", "verify_ok", "verify_ok_saved", "verify_failed", "verify_next",
    "help_upgrade", "help_record", "help_verify", "help_checkpoint", "help_proof", "help_proof_inclusion",
    "help_proof_consistency", "help_trace", "help_recall", "help_audit", "help_audit_verify_bundle",
    "help_audit_consistency", "help_backup", "time_invalid", "unknown_lot_full_width",
    "help_export_checkpoint",
    // Branch cert14f.
    "cert_basis_breach", "label_certificate_breach", "show_lot_breach",
    // Issue 16 (zh16f).
    "rows_field_count", "row_field_count", "row_field_count_split", "cell_control_chars", "lot_id_odd_spaces",
    "lot_id_ideographic_space", "lot_id_nbsp", "lot_id_double_space", "harvest_yield_implausible",
    "help_import_allow_high_yield", "verify_failed_explained", "verify_why_signature", "verify_why_chain",
    "verify_why_derived", "verify_why_checkpoint", "verify_why_saved_checkpoint", "verify_why_damaged",
    "verify_why_other", "trace_start_unknown",
    // trust14g
    "key_clerk_other_holder", "correction_of_inspection_result", "received_number_lookalike", "cert_quantity_zero",
    "received_from_itself", "cert_void_unknown_case", "label_certificate_zero", "key_add_holder_differs",
    "key_add_holder_unknown", "recall_needs_party",
    // Issue 16 (zh16g).
    "time_unreadable", "time_date_only_allowed", "time_date_only_elsewhere", "trace_direction_needed",
    "trace_depth_negative", "trace_heading_forward", "trace_heading_backward", "trace_start_lot",
    "trace_start_code", "trace_depth", "trace_whole", "trace_via", "trace_lot_again", "trace_lot", "trace_external",
    "trace_plot", "trace_phi", "trace_plot_input", "trace_shipped_to", "trace_shipment_no", "trace_inspection",
    "trace_plots", "trace_plot_row", "trace_pesticides", "trace_pesticide_row", "trace_shipments",
    "trace_shipment_row", "trace_codes", "trace_codes_voided", "trace_code_row", "trace_code_voided",
    "recall_heading", "recall_entry", "recall_not_recorded", "recall_fields", "recall_descendants", "recall_lots",
    "recall_lot_row", "recall_codes", "recall_codes_voided", "recall_codes_listed", "recall_shipment_row",
    "recall_recipients", "recall_recipient_row", "recall_report_files", "recall_already", "recall_csv_made",
    "recall_csv_genuine", "recall_csv_voided", "recall_awaiting", "help_upgrade_log_key", "help_upgrade_reason",
    "help_record_continue", "help_record_json", "help_record_file", "help_verify_checkpoint",
    "help_checkpoint_log_key", "help_proof_index", "help_proof_size", "help_proof_old", "help_proof_new",
    "help_trace_target", "help_trace_forward", "help_trace_backward", "help_trace_depth", "help_recall_lot",
    "help_recall_reason", "help_recall_descendants", "help_recall_party", "help_recall_out", "help_recall_json",
    "help_recall_csv", "help_bundle_dir", "help_bundle_pubkey", "help_consistency_old", "help_consistency_new",
    "help_consistency_proof", "help_consistency_pubkey", "help_backup_out", "bundle_ok", "bundle_failed",
    "failed_prefix", "bundle_file_unreadable", "bundle_file_changed", "bundle_file_missing", "bundle_file_unlisted",
    "bundle_derived_edited", "bundle_manifest_edited", "bundle_signature_bad", "checkpoint_rolled_back",
    "gb18030_invalid", "gb18030_truncated", "csv_quote_unquoted",
    "help_labeler_program", "help_labeler_print", "help_labeler_print_key", "help_labeler_dry_run",
    "help_labeler_journal", "help_labeler_lot", "help_labeler_count", "help_labeler_party_default",
    "help_labeler_location_default", "help_labeler_template", "help_labeler_format", "help_labeler_out",
    "help_labeler_printer", "help_labeler_timeout", "help_labeler_confirm_every", "help_labeler_dpi",
    "help_labeler_ec", "help_labeler_quiet", "help_labeler_reprint", "help_labeler_station_key",
    "help_labeler_serials", "help_labeler_party", "help_labeler_location", "help_labeler_void",
    "help_labeler_void_reason", "help_labeler_void_party", "help_labeler_jobs", "help_labeler_unfinished",
    "help_labeler_json", "help_labeler_preview", "help_labeler_facts", "help_labeler_sample_count",
    "help_labeler_certificate", "help_labeler_cert_number", "help_labeler_cert_facts", "help_labeler_cert_template",
    "help_labeler_cert_format", "help_labeler_cert_out", "help_labeler_footer",
    // corr16
    "show_entry_correction_in_force", "show_entry_correction_superseded", "rule_lot_unit_never",
    // zh16h
    "rule_packing_counted_input", "key_add_holder_is_name", "key_add_no_holder_note", "recall_add_party",
    "bundle_needs_pubkey", "audit_derived_table", "audit_sqlite_damaged", "audit_codes_count", "audit_no_entries",
    "audit_signature", "audit_chain_broken", "audit_leaf_hash", "audit_entry_missing", "audit_checkpoint_root",
    "row_more_problems", "recall_party_unknown", "ledger_not_given", "ledger_missing",
    // cert14h
    "checkpoint_guard_memory", "checkpoint_guard_saved", "checkpoint_guard_nothing_written",
    "checkpoint_guard_not_printed", "checkpoint_guard_labels", "checkpoint_guard_not_exported",
    "checkpoint_guard_rolled_back", "checkpoint_guard_forked", "checkpoint_guard_other_log",
    "char_lookalike", "char_invisible", "show_lot_certificate_valid", "show_lot_certificate_status",
    // station11
    "harvest_yield_implausible_supervisor",
    // zh16i
    "packing_quantities", "packing_loss", "recall_lot_packing", "recall_csv_packing", "recall_csv_kind_recall",
    "recall_csv_kind_lot", "recall_csv_kind_trace_code", "recall_csv_kind_shipment", "recall_csv_kind_recipient",
    // trust14h
    "key_clerk_acts_for_other", "key_clerk_inspection_other", "key_clerk_recall_lot", "key_clerk_master_other",
    "audit_rules_refuse", "cert_evidence_signed", "key_holder_words", "key_no_holder_words",
    // station13
    "show_lot_yield_supervisor", "show_lot_yield_flag",
    // ship16
    "ship_lot_recalled", "ship_recalled_goods_not_recalled", "ship_recalled_goods_needs_version", "show_lot_shipped",
    "harvest_yield_over_product", "harvest_yield_over_product_supervisor",
    // zh16j
    "consistency_ok", "consistency_failed", "consistency_unsigned", "consistency_other_log", "consistency_swapped", "consistency_proof_sizes", "consistency_proof_field", "consistency_proof_no_hashes", "consistency_proof_hash_text", "consistency_proof_hash_size", "consistency_roots", "csv_empty_file", "backup_done", "backup_awaiting_count", "backup_awaiting", "backup_failed", "audit_saved_unsigned", "audit_saved_covers_more", "audit_saved_inconsistent", "audit_saved_empty_root", "export_bound_unreadable", "export_bound_no_tz", "verifier_serving", "already_recorded_in_force", "show_entry_corrected_many", "time_date_only", "party_named",
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

bool starts_chinese(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) {
      if (std::isalpha(b)) return false;
      ++i;
      continue;
    }
    const std::size_t n = b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    if (has_chinese(s.substr(i, n))) return true;
    // Other non-ASCII (「, ：, a full-width form): not a letter; read on.
    i += n;
  }
  return false;
}

}  // namespace agtrace::i18n
