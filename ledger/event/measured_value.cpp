// Measured values as laboratories write them (measured_value.h).
#include "ledger/event/measured_value.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <regex>

#include "ledger/event/rules_version.h"
#include "ledger/util/error.h"

namespace agtrace {

namespace {

std::string str(const nlohmann::json& e, const char* field) {
  auto it = e.find(field);
  return it != e.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool strip_prefix(std::string_view& s, std::string_view p) {
  if (s.substr(0, p.size()) != p) return false;
  s.remove_prefix(p.size());
  return true;
}

bool strip_suffix(std::string_view& s, std::string_view p) {
  if (s.size() < p.size() || s.substr(s.size() - p.size()) != p) return false;
  s.remove_suffix(p.size());
  return true;
}

// The schema's decimal (common.schema.json): at most 15 integer and 6 fraction digits.
bool is_decimal(std::string_view s) {
  static const std::regex re("(0|[1-9][0-9]{0,14})(\\.[0-9]{1,6})?");
  return s.size() <= 22 && std::regex_match(s.begin(), s.end(), re);
}

}  // namespace

void check_measured_values(const nlohmann::json& e, LedgerState& state) {
  if (e["type"] != "inspection") return;
  for (std::size_t i = 0; i < e["items"].size(); ++i) {
    const auto& item = e["items"][i];
    if (!item.contains("measured_qualifier")) continue;
    if (state.rules_version() >= kRulesV5) {
      if (item["measured_qualifier"] == "not_detected" && item.contains("measured"))
        throw_bad_input(fmt::format(
            "field items[{}].measured: {} 为未检出（not_detected），没有测定值；请删去 measured（检出限可写在 note 中）/ {} is "
            "not detected (not_detected), which has no measured value; leave measured out (put the limit of detection "
            "in note)",
            i, item["name"].get<std::string>(), item["name"].get<std::string>()));
      continue;
    }
    throw_bad_input(fmt::format(
          "field items[{}].measured_qualifier: 该账本的规则版本为 {}，还不能记录「未检出」或「<检出值」；请写实测数值，或由日志密钥"
          "持有人用 `agtrace-ledger upgrade --log-key LOGKEY` 升级到规则版本 {} / this ledger's rules version is {}, which "
          "records no 未检出 (ND) or \"<value\"; write the measured number, or move the ledger to rules version {} with "
          "`agtrace-ledger upgrade --log-key LOGKEY` (docs/rules-versions.md)",
          i, state.rules_version(), kRulesV5, state.rules_version(), kRulesV5));
  }
}

std::string measured_text(const nlohmann::json& item, bool zh) {
  const std::string qualifier = str(item, "measured_qualifier"), unit = str(item, "unit");
  if (qualifier == "not_detected") return zh ? "未检出" : "not detected (ND)";
  std::string v = (qualifier == "below" ? "<" : "") + str(item, "measured");
  if (unit == "%") return v + "%";
  return unit.empty() ? v : v + " " + unit;
}

std::optional<LabValue> parse_lab_value(std::string_view text) {
  std::string_view s = trim(text);
  std::string upper(s);
  std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
  if (s == "未检出" || upper == "ND" || upper == "N.D." || upper == "N.D") return LabValue{std::nullopt, "not_detected", false};
  LabValue v;
  if (strip_prefix(s, "<") || strip_prefix(s, "＜")) {
    v.qualifier = "below";
    s = trim(s);
  }
  if (strip_suffix(s, "%") || strip_suffix(s, "％")) {
    v.percent = true;
    s = trim(s);
  }
  if (!is_decimal(s)) return std::nullopt;
  v.measured = std::string(s);
  return v;
}

}  // namespace agtrace
