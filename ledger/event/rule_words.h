// The words the rule and schema refusals put into catalogue messages (ledger/i18n/refusal.h),
// in the clerk's language: units as people say them (公斤, not kg or KGM), event types as a
// clerk types them in the 事件类型 column (采收, not harvest), the certificate bases as printed
// on the certificate, lists joined as each language joins them. Pure functions; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "ledger/event/quantity.h"
#include "ledger/i18n/refusal.h"

namespace agtrace {

// The base unit of `d`: 公斤 / kg, 升 / L, 件 / pieces.
i18n::Words unit_words(Dimension d);

// Event type `type` as a clerk writes it: the first Chinese word of csv-columns.json's
// type_values for it (采收 / harvest); for the types no CSV row writes (log_init, key_added,
// labels_issued, external, …) a fixed Chinese word (建立账本, 登记密钥, 打印标签, 外部事件); the type
// itself in both for any other.
i18n::Words type_words(const std::string& type);

// A master-data kind ("party", "location", "product"): 主体 / party, 地点 / location, 产品 / product.
i18n::Words kind_words(const std::string& kind);
// A location record's `kind` (schemas/events/location.schema.json): 基地 / base, 地块 / plot, …
i18n::Words location_kind_words(const std::string& kind);

// A certificate basis as printed: 自行检测合格 / 自行检测合格 (self_tested).
i18n::Words basis_words(const std::string& basis);

// A UN/ECE Recommendation 20 unit code in words: KGM → 公斤 / kg, TNE → 吨 / t, GRM → 克 / g,
// LTR → 升 / L, MLT → 毫升 / mL, H87 → 件 / pieces; any other code as it is in both.
i18n::Words unit_code_words(const std::string& code);

// Field `field` (a dotted path: input_kind, quantity.unit) of event type `type` as the CSV import
// names it (schemas/csv-columns.json): its Chinese and English header (投入品类型 / input_kind); the
// field itself in both when no column of that type holds it.
i18n::Words field_words(const std::string& type, const std::string& field);

// A value of field `field` of event type `type` as a clerk writes it: the first Chinese word of the
// column's "values" that maps to it (input_kind "fertilizer" → 肥料 / fertilizer); the value itself in
// both when the column has no such word.
i18n::Words value_words(const std::string& type, const std::string& field, const std::string& value);

// A key's role: clerk → 记录员 / clerk, station → 工作站 / station, log → 日志 / log.
i18n::Words role_words(const std::string& role);

// An RFC 3339 event_time as people read it, at the event's own offset, labelled (issue 16):
// "2026-09-25T08:00:00+08:00" → "2026-09-25 08:00（北京时间 +08:00）" / "2026-09-25 08:00 (Beijing time,
// +08:00)"; another offset "（当地时间 UTC+09:00）"; Z, +00:00 and -00:00 "（UTC 世界时）". Seconds (and a
// fraction) are shown when not zero. Throws Error(bad_input) naming event_time when `text` is not RFC 3339 with an offset.
std::string time_words(const std::string& text, i18n::Lang lang);

// time_words for the event_time of an event of `type`, except that a planting, harvest or packing
// (the types whose time may be a date alone, csv-columns.json's date_grain_types) at exactly
// 00:00:00 of its own offset is shown as its date: "2026-09-25（只记了日期）" / "2026-09-25 (date only)".
// That is how import records a date-only cell (00:00 local, docs/clerk-import.md「只写日期」); no
// field says so (the schemas are unchanged), and a real midnight harvest typed as 00:00 reads the same.
std::string event_time_words(const std::string& text, const std::string& type, i18n::Lang lang);

// `items` quoted and joined: 「A」、「B」 / "A", "B"; `none` when there are none.
i18n::Words quoted_list(const std::vector<std::string>& items, const i18n::Words& none = {"无", "none"});

// `items` joined unquoted: A、B / A, B; `none` when there are none.
i18n::Words plain_list(const std::vector<std::string>& items, const i18n::Words& none = {"无", "none"});

}  // namespace agtrace
