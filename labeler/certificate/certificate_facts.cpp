// Certificate facts: the embedded schema, then the checks a schema cannot express.
#include "labeler/certificate/certificate_facts.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <map>

#include "ledger/event/schema_validator.h"
#include "ledger/json/strict_parse.h"
#include "ledger/util/error.h"

namespace agtrace::labeler {
namespace {

constexpr std::size_t kMaxFactsBytes = 1 << 20;

// The Chinese name of each field, for messages ("issue_date（开具日期）").
const std::map<std::string, std::string, std::less<>>& field_names() {
  static const std::map<std::string, std::string, std::less<>> names = {
      {"number", "合格证编号"},        {"style", "开具方式"},         {"issuer", "承诺主体"},
      {"issuer_contact", "联系方式"},  {"product", "产品名称"},       {"quantity", "数量（重量）"},
      {"origin", "产地"},              {"issue_date", "开具日期"},    {"bases", "承诺依据"},
      {"url", "合格证网址"},           {"shipment", "运输车辆"}};
  return names;
}

[[noreturn]] void refuse(std::string_view what, std::string_view field, const std::string& zh, const std::string& en) {
  auto it = field_names().find(field);
  std::string name = it == field_names().end() ? std::string(field) : fmt::format("{}（{}）", field, it->second);
  throw_bad_input(fmt::format("合格证信息 {}：字段 {} {} / certificate facts {}: field {}: {}", what, name, zh, what,
                              field, en));
}

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

}  // namespace

bool is_certificate_unit(std::string_view unit) {
  static const std::array<std::string_view, 20> units = {"公斤", "千克", "克", "吨", "斤", "升",  "毫升",
                                                         "件",   "箱",   "袋", "筐", "盒", "捆", "把",
                                                         "头",   "只",   "羽", "枚", "尾", "条"};
  return std::find(units.begin(), units.end(), unit) != units.end();
}

std::optional<std::string> certificate_unit_for_rec20(std::string_view code) {
  static const std::map<std::string_view, std::string_view> units = {
      {"KGM", "公斤"}, {"GRM", "克"}, {"TNE", "吨"}, {"LTR", "升"}, {"MLT", "毫升"}, {"H87", "件"}};
  auto it = units.find(code);
  if (it == units.end()) return std::nullopt;
  return std::string(it->second);
}

std::string certificate_quantity_text(const CertificateFacts& f) {
  if (!f.quantity_weight.empty()) return fmt::format("{} {}（共 {}）", f.quantity_value, f.quantity_unit, f.quantity_weight);
  return fmt::format("{} {}", f.quantity_value, f.quantity_unit);
}

std::string certificate_date_text(const CertificateFacts& f) {
  int y = std::stoi(f.issue_date.substr(0, 4));
  int m = std::stoi(f.issue_date.substr(5, 2));
  int d = std::stoi(f.issue_date.substr(8, 2));
  return fmt::format("{}年{}月{}日", y, m, d);
}

CertificateFacts parse_certificate_facts(const nlohmann::json& doc, std::string_view what) {
  static const SchemaValidator validator("certificate-facts.schema.json");
  // Every field the decree needs that is missing or blank, said at once (the schema's validator
  // stops at the first).
  if (doc.is_object()) {
    std::vector<std::string> zh, en;
    for (const char* field : {"number", "style", "issuer", "issuer_contact", "product", "quantity", "origin",
                              "issue_date", "bases", "url"}) {
      auto it = doc.find(field);
      if (it != doc.end() && !(it->is_string() && it->get<std::string>().empty())) continue;
      zh.push_back(fmt::format("{}（{}）", field, field_names().at(field)));
      en.push_back(field);
    }
    if (zh.size() > 1)
      throw_bad_input(fmt::format("合格证信息 {}：缺少字段 {}，请一并补上 / certificate facts {}: fields missing or empty: {}",
                                  what, fmt::join(zh, "、"), what, fmt::join(en, ", ")));
  }
  try {
    validator.validate(doc, what);
  } catch (const Error& e) {
    // The validator's message names the field in English; say first, in Chinese, which one.
    std::string msg = e.what();
    std::string zh = "有字段不符合要求";
    for (const auto& [field, name] : field_names()) {
      std::size_t at = msg.find("field " + field);
      if (at == std::string::npos) continue;
      char next = at + 6 + field.size() < msg.size() ? msg[at + 6 + field.size()] : ':';
      if (next == '_' || (next >= 'a' && next <= 'z')) continue;  // issuer is not issuer_contact
      bool missing = msg.find(": missing", at) != std::string::npos;
      zh = missing ? fmt::format("缺少字段 {}（{}）", field, name) : fmt::format("字段 {}（{}）不符合要求", field, name);
      break;
    }
    if (msg.find("not allowed in") != std::string::npos)
      zh = "有不认识的字段（请对照 schemas/certificate-facts.schema.json 检查拼写）";
    throw_bad_input(fmt::format("合格证信息 {}：{} / certificate facts {}", what, zh, msg));
  }

  CertificateFacts f;
  f.number = doc.at("number").get<std::string>();
  f.style = doc.at("style").get<std::string>() == "buyer_reissue" ? CertificateStyle::buyer_reissue
                                                                  : CertificateStyle::producer;
  f.issuer = doc.at("issuer").get<std::string>();
  f.issuer_contact = doc.at("issuer_contact").get<std::string>();
  f.product = doc.at("product").get<std::string>();
  f.quantity_value = doc.at("quantity").at("value").get<std::string>();
  f.quantity_unit = doc.at("quantity").at("unit").get<std::string>();
  f.quantity_weight = doc.at("quantity").value("weight", "");
  f.origin = doc.at("origin").get<std::string>();
  f.issue_date = doc.at("issue_date").get<std::string>();
  const auto& bases = doc.at("bases");
  f.bases.quality_control = bases.at("quality_control").get<bool>();
  f.bases.self_test = bases.at("self_test").get<bool>();
  f.bases.commissioned_test = bases.at("commissioned_test").get<bool>();
  f.url = doc.at("url").get<std::string>();
  if (doc.contains("shipment")) f.shipment = doc["shipment"].get<std::string>();

  const std::pair<std::string_view, const std::string*> texts[] = {
      {"issuer", &f.issuer}, {"issuer_contact", &f.issuer_contact}, {"product", &f.product}, {"origin", &f.origin}};
  for (const auto& [field, text] : texts)
    if (text->find_first_not_of(" \u3000") == std::string::npos || text->find_first_of("\r\n\t") != std::string::npos)
      refuse(what, field, "为空白或含换行、制表符，请填写一行文字",
             fmt::format("\"{}\" is blank or holds a line break or tab; give one line of text", *text));
  if (f.quantity_value.find_first_not_of("0.") == std::string::npos)
    refuse(what, "quantity", "数量必须大于 0", fmt::format("value \"{}\" must be above zero", f.quantity_value));
  int y = std::stoi(f.issue_date.substr(0, 4));
  int m = std::stoi(f.issue_date.substr(5, 2));
  int d = std::stoi(f.issue_date.substr(8, 2));
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 2019 || m < 1 || m > 12 || d < 1 || d > kDays[m - 1] + (m == 2 && leap(y) ? 1 : 0))
    refuse(what, "issue_date", fmt::format("“{}”不是有效日期（写作 2026-03-12）", f.issue_date),
           fmt::format("\"{}\" is not a calendar date from 2019 on; write YYYY-MM-DD, e.g. 2026-03-12", f.issue_date));
  if (!f.bases.any())
    refuse(what, "bases", "至少勾选一项承诺依据（质量安全控制符合要求、自行检测合格或委托检测合格）",
           "tick at least one basis: quality_control, self_test or commissioned_test");
  std::string tail = "/c/" + f.number;
  if (f.url.size() <= tail.size() || f.url.compare(f.url.size() - tail.size(), tail.size(), tail) != 0)
    refuse(what, "url", fmt::format("应以 {} 结尾（本合格证的页面）", tail),
           fmt::format("\"{}\" must be the certificate's own page, ending in {}", f.url, tail));
  return f;
}

CertificateFacts load_certificate_facts(const std::string& path) {
  json::Limits limits;
  limits.max_document_bytes = kMaxFactsBytes;
  limits.max_string_bytes = 1024;
  limits.max_depth = 4;
  return parse_certificate_facts(json::parse_strict_file(path, limits, "--facts "), path);
}

}  // namespace agtrace::labeler
