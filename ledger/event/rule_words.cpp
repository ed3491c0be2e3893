// Words of the rule refusals in each language (rule_words.h).
#include "ledger/event/rule_words.h"

#include <nlohmann/json.hpp>

#include "ledger/event/embedded_schemas.h"
#include "ledger/time/timestamp.h"

namespace agtrace {

i18n::Words unit_words(Dimension d) {
  switch (d) {
    case Dimension::mass: return {"公斤", "kg"};
    case Dimension::volume: return {"升", "L"};
    case Dimension::count: return {"件", "pieces"};
  }
  return {"?", "?"};
}

i18n::Words type_words(const std::string& type) {
  // csv-columns.json in its own order (embedded_schema_json sorts keys): each type's usual
  // word comes first there (用药 before 施肥).
  static const std::vector<std::pair<std::string, std::string>> words = [] {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& f : embedded_schemas()) {
      if (f.path != "csv-columns.json") continue;
      const auto layout = nlohmann::ordered_json::parse(f.text);
      for (const auto& [word, value] : layout["type_values"].items()) out.emplace_back(word, value.get<std::string>());
    }
    return out;
  }();
  for (const auto& [word, value] : words)
    if (value == type) return {word, type};
  // The types no CSV row writes (the log's own entries, labels, partners' EPCIS events).
  static const std::pair<const char*, const char*> others[] = {
      {"log_init", "建立账本"},         {"key_added", "登记密钥"},      {"key_revoked", "吊销密钥"},
      {"log_key_rotated", "更换账本密钥"}, {"rules_upgraded", "升级规则"}, {"labels_issued", "打印标签"},
      {"labels_reprinted", "补打标签"},   {"labels_voided", "作废标签"},   {"external", "外部事件"}};
  for (const auto& [value, word] : others)
    if (value == type) return {word, type};
  return {type, type};
}

namespace {

// The column spec of `field` in event type `type` (csv-columns.json's events, then common), or nullptr.
const nlohmann::ordered_json* column_spec(const std::string& type, const std::string& field) {
  static const nlohmann::ordered_json layout = [] {
    for (const auto& f : embedded_schemas())
      if (f.path == "csv-columns.json") return nlohmann::ordered_json::parse(f.text);
    return nlohmann::ordered_json::object();
  }();
  if (layout.contains("events") && layout["events"].contains(type) && layout["events"][type].contains(field))
    return &layout["events"][type][field];
  if (layout.contains("common") && layout["common"].contains(field)) return &layout["common"][field];
  return nullptr;
}

}  // namespace

i18n::Words field_words(const std::string& type, const std::string& field) {
  const auto* spec = column_spec(type, field);
  if (!spec || !spec->contains("headers") || (*spec)["headers"].size() < 2) return {field, field};
  return {(*spec)["headers"][0].get<std::string>(), field};
}

i18n::Words value_words(const std::string& type, const std::string& field, const std::string& value) {
  const auto* spec = column_spec(type, field);
  if (spec && spec->contains("values"))
    for (const auto& [word, v] : (*spec)["values"].items())
      if (v.is_string() && v.get<std::string>() == value) return {word, value};
  return {value, value};
}

i18n::Words kind_words(const std::string& kind) {
  if (kind == "party") return {"主体", "party"};
  if (kind == "location") return {"地点", "location"};
  if (kind == "product") return {"产品", "product"};
  return {kind, kind};
}

i18n::Words location_kind_words(const std::string& kind) {
  // The Chinese words are the CSV import's values for the 类型 column (schemas/csv-columns.json).
  static const std::pair<const char*, const char*> kWords[] = {
      {"base", "基地"},        {"plot", "地块"},           {"cold_store", "冷库"}, {"warehouse", "仓库"},
      {"processing_line", "加工线"}, {"packing_house", "包装车间"}, {"market", "市场"}, {"laboratory", "实验室"}};
  for (const auto& [en, zh] : kWords)
    if (kind == en) return {zh, en};
  return {kind, kind};
}

i18n::Words basis_words(const std::string& basis) {
  if (basis == "self_tested") return {"自行检测合格", "自行检测合格 (self_tested)"};
  if (basis == "commissioned_test") return {"委托检测合格", "委托检测合格 (commissioned_test)"};
  return {"质量安全控制符合要求", "质量安全控制符合要求 (quality_control)"};
}

i18n::Words unit_code_words(const std::string& code) {
  if (code == "KGM") return {"公斤", "kg"};
  if (code == "TNE") return {"吨", "t"};
  if (code == "GRM") return {"克", "g"};
  if (code == "LTR") return {"升", "L"};
  if (code == "MLT") return {"毫升", "mL"};
  if (code == "H87") return {"件", "pieces"};
  return {code, code};
}

i18n::Words role_words(const std::string& role) {
  if (role == "clerk") return {"记录员", "clerk"};
  if (role == "station") return {"工作站", "station"};
  if (role == "log") return {"日志", "log"};
  return {role, role};
}

std::string time_words(const std::string& text, i18n::Lang lang) {
  const time::Timestamp t = time::parse_rfc3339(text, "event_time");
  // YYYY-MM-DDTHH:MM:SS… as written: the local date and time at the event's own offset.
  const bool zulu = text.back() == 'Z' || text.back() == 'z';
  const std::size_t offset_at = text.size() - (zulu ? 1 : 6);
  std::string local = text.substr(0, 10) + " " + text.substr(11, 5);
  // ":SS" and any fraction, unless the seconds are a plain ":00".
  if (const std::string seconds = text.substr(16, offset_at - 16); seconds != ":00") local += seconds;
  if (t.offset_minutes == 0) return i18n::text(lang, i18n::Msg::time_utc, local);
  const std::string offset = text.substr(offset_at);
  return i18n::text(lang, t.offset_minutes == 480 ? i18n::Msg::time_at_offset : i18n::Msg::time_at_utc_offset, local,
                    offset);
}

std::string event_time_words(const std::string& text, const std::string& type, i18n::Lang lang) {
  const std::string words = time_words(text, lang);  // checks `text` is RFC 3339 with an offset
  const bool date_grain = type == "planting" || type == "harvest" || type == "packing";
  const bool zulu = text.back() == 'Z' || text.back() == 'z';
  if (date_grain && text.substr(10, text.size() - (zulu ? 1 : 6) - 10) == "T00:00:00")
    return i18n::text(lang, i18n::Msg::time_date_only, text.substr(0, 10));
  return words;
}

i18n::Words quoted_list(const std::vector<std::string>& items, const i18n::Words& none) {
  if (items.empty()) return none;
  i18n::Words out;
  for (const auto& i : items) {
    out.zh += (out.zh.empty() ? "" : "、") + ("「" + i + "」");
    out.en += (out.en.empty() ? "" : ", ") + ("\"" + i + "\"");
  }
  return out;
}

i18n::Words plain_list(const std::vector<std::string>& items, const i18n::Words& none) {
  if (items.empty()) return none;
  i18n::Words out;
  for (const auto& i : items) {
    out.zh += (out.zh.empty() ? "" : "、") + i;
    out.en += (out.en.empty() ? "" : ", ") + i;
  }
  return out;
}

}  // namespace agtrace
