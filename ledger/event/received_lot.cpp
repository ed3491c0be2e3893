// Lots received with a grower's paper certificate (received_lot.h; rules version 5).
#include "ledger/event/received_lot.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <regex>
#include <set>
#include <string_view>

#include "ledger/event/certificate_rules.h"
#include "ledger/event/odd_characters.h"
#include "ledger/event/rule_words.h"
#include "ledger/event/rules.h"
#include "ledger/event/rules_version.h"
#include "ledger/i18n/refusal.h"
#include "ledger/util/error.h"
#include "ledger/util/utf8.h"

namespace agtrace {

namespace {

bool is_received(const nlohmann::json& e) { return e["type"] == "certificate_received"; }

// Version 7: a paper certificate's number as a clerk must type it to be matched — with the
// paper, in the 已收取合格证 column (ISSUER*NUMBER;…) and in /c/NUMBER: the characters printed
// on the paper, Chinese ones included, but no full-width letters, digits or signs (U+FF01–FF5E,
// typed by a Chinese input method: "２０２６" looks like "2026" and is not), no space (U+0020 or
// the ideographic U+3000), and not '*' or ';' (the column's separators). Returns what is wrong
// and the number with full-width forms made half-width, spaces removed and '*' ';' as '-';
// nullopt when the number is fine.
std::optional<std::pair<i18n::Words, std::string>> unmatchable(const std::string& number) {
  std::string fixed;
  std::set<std::string> zh, en;
  for (const Utf8Char c : Utf8Chars(number)) {
    const std::string ch(c.bytes);
    const char32_t cp = c.code_point;
    if (ch == " " || cp == 0x3000) {
      zh.insert("空格");
      en.insert("a space");
    } else if (cp >= 0xFF01 && cp <= 0xFF5E) {
      const char half = static_cast<char>(cp - 0xFEE0);
      zh.insert(fmt::format("全角字符「{}」", ch));
      en.insert(fmt::format("the full-width \"{}\"", ch));
      fixed += half == '*' || half == ';' ? '-' : half;
    } else if (ch == "*" || ch == ";") {
      zh.insert(fmt::format("「{}」（已收取合格证一栏的分隔符）", ch));
      en.insert(fmt::format("\"{}\" (a separator of the parents column)", ch));
      fixed += '-';
    } else {
      fixed += ch;
    }
  }
  if (zh.empty()) return std::nullopt;
  return std::pair{i18n::Words{fmt::format("{}", fmt::join(zh, "、")), fmt::format("{}", fmt::join(en, ", "))}, fixed};
}

// trust14g — version 8: what else in a paper certificate's number would make two numbers look alike
// or break its link: invisible and format characters (Unicode Cf, e.g. U+200B–U+200F, U+2060–U+206F,
// U+FEFF, U+00AD; and the line and paragraph separators), dashes other than ASCII '-' (U+2010–U+2015,
// U+2212, U+FE58, U+FE63), and characters that have no safe place on a form or in a URL path
// segment (< > " ' \ / ? # % & and control characters). Returns what is wrong and the number with
// the dashes, '/' and '\' as '-' and the rest left out; nullopt when the number is fine.
std::optional<std::pair<i18n::Words, std::string>> lookalike(const std::string& number) {
  std::string fixed;
  std::set<std::string> zh, en;
  for (const Utf8Char c : Utf8Chars(number)) {
    const std::string ch(c.bytes);
    const char32_t cp = c.code_point;
    const std::string code = fmt::format("U+{:04X}", static_cast<std::uint32_t>(cp));
    if (is_invisible_char(cp)) {
      zh.insert(fmt::format("看不见的字符 {}", code));
      en.insert(fmt::format("the invisible character {}", code));
    } else if (is_dash_char(cp)) {
      zh.insert(fmt::format("非半角的连字符「{}」（{}）", ch, code));
      en.insert(fmt::format("the dash \"{}\" ({}), which is not ASCII '-'", ch, code));
      fixed += '-';
    } else if (ch.size() == 1 && std::string_view("<>\"'\\/?#%&").find(ch[0]) != std::string_view::npos) {
      zh.insert(fmt::format("「{}」", ch));
      en.insert(fmt::format("\"{}\"", ch));
      if (ch == "/" || ch == "\\") fixed += '-';
    } else {
      fixed += ch;
    }
  }
  if (zh.empty()) return std::nullopt;
  return std::pair{i18n::Words{fmt::format("{}", fmt::join(zh, "、")), fmt::format("{}", fmt::join(en, ", "))}, fixed};
}

}  // namespace

bool introduces_received_lot(const nlohmann::json& e, LedgerState& state) {
  return is_received(e) && state.rules_version() >= kRulesV5 && !state.lot(e["lot"].get<std::string>());
}

EventFacts with_received_lot(EventFacts facts, const nlohmann::json& e, LedgerState& state) {
  if (!introduces_received_lot(e, state)) return facts;
  const std::string lot = e["lot"];
  std::erase_if(facts.uses, [&](const LotMention& m) { return m.lot == lot; });
  std::optional<std::string> product;
  if (e.contains("product")) product = e["product"].get<std::string>();
  LotCreation made{lot, "lot", product, e["quantity"]};
  made.external = true;
  facts.creates.push_back(std::move(made));
  return facts;
}

void check_received_lot(const nlohmann::json& e, LedgerState& state, const RuleOptions& options) {
  if (!is_received(e) || state.rules_version() < kRulesV5) return;
  const std::string lot_id = e["lot"], number = e["number"];
  auto lot = state.lot(lot_id);
  if (!lot) {
    if (!e.contains("product")) i18n::refuse("product", i18n::Msg::received_lot_no_product, lot_id, number);
    return;
  }
  if (lot->external && lot->created_by == "certificate_received")
    i18n::refuse("lot", i18n::Msg::received_lot_taken, lot_id, entry_words(lot->created_entry, options));
}

void check_received_paper(const nlohmann::json& e, const time::Timestamp& t, LedgerState& state) {
  if (!is_received(e)) return;
  if (state.rules_version() < kRulesV6) {
    if (e.contains("origin")) i18n::refuse("origin", i18n::Msg::received_origin_needs_version, state.rules_version(), kRulesV6);
    return;
  }
  const std::string number = e["number"], lot_id = e["lot"];
  if (state.rules_version() >= kRulesV7)
    if (auto bad = unmatchable(number))
      i18n::refuse("number", i18n::Msg::received_number_unmatchable, number, bad->first, bad->second);
  if (state.rules_version() >= kRulesV8)  // trust14g
    if (auto bad = lookalike(number))
      i18n::refuse_zh_en("number", i18n::Msg::received_number_lookalike, number, bad->first,
                         bad->second.empty() ? i18n::Words{"（空）", "(empty)"} : i18n::Words{bad->second, bad->second});
  const std::string issued_on = e.value("issued_on", "");
  const std::string received_on = time::local_date(t);
  if (!issued_on.empty() && time::compare_dates(issued_on, received_on) > 0)
    i18n::refuse("issued_on", i18n::Msg::received_issued_after, issued_on, received_on, e["event_time"].get<std::string>());
  // 无编号-YYYYMMDD-N: a paper certificate that carries no number (docs/certificate.md).
  static const std::string kNoNumber = "无编号";
  if (number.rfind(kNoNumber, 0) == 0) {
    static const std::regex form("^无编号-([0-9]{4})([0-9]{2})([0-9]{2})-[1-9][0-9]{0,3}$");
    std::smatch m;
    if (!std::regex_match(number, m, form)) i18n::refuse("number", i18n::Msg::received_placeholder_form, number);
    const std::string date = fmt::format("{}-{}-{}", m[1].str(), m[2].str(), m[3].str());
    if (date != issued_on)
      i18n::refuse(issued_on.empty() ? "issued_on" : "number", i18n::Msg::received_placeholder_date, number, date,
                   issued_on.empty() ? i18n::Words{"未填", "not given"} : i18n::Words{issued_on, issued_on});
  }
  if (!e.contains("origin") && introduces_received_lot(e, state))
    i18n::refuse("origin", i18n::Msg::received_origin_missing, lot_id, number);
}

void check_tests_cover_external(const nlohmann::json& e, const std::vector<std::string>& ancestry,
                                LedgerState& state) {
  if (state.rules_version() < kRulesV6) return;
  std::vector<std::string> external;
  for (const auto& a : ancestry)
    if (auto lot = state.lot(a); lot && lot->external) external.push_back(a);
  if (external.empty()) return;
  const auto& bases = e["bases"];
  for (std::size_t b = 0; b < bases.size(); ++b) {
    const std::string kind = bases[b]["basis"];
    if (kind != "self_tested" && kind != "commissioned_test") continue;
    std::set<std::string> tested;  // the inspected lots and every lot they were made from
    for (const auto& id : bases[b].value("evidence", nlohmann::json::array())) {
      auto found = state.event_entry(id.get<std::string>());
      if (!found) continue;  // check_bases refuses it
      const nlohmann::json inspection = state.event_at(found->first);
      for (const auto& l : inspection["lots"])
        for (auto& a : lot_ancestry(l.get<std::string>(), state)) tested.insert(std::move(a));
    }
    for (const auto& x : external)
      if (!tested.count(x))
        i18n::refuse(fmt::format("bases[{}].evidence", b), i18n::Msg::cert_test_misses_external, basis_words(kind),
                     e["lot"].get<std::string>(), x);
  }
}

void check_quality_control_records(const nlohmann::json& e, const std::vector<std::string>& ancestry,
                                   LedgerState& state, const RuleOptions& options) {
  if (state.rules_version() < kRulesV5) return;
  const bool buyer = e.value("style", "") != "producer";
  if (buyer && state.rules_version() < kRulesV6) return;
  const auto& bases = e["bases"];
  for (std::size_t b = 0; b < bases.size(); ++b) {
    if (bases[b]["basis"] != "quality_control") continue;
    for (const auto& a : ancestry) {
      auto lot = state.lot(a);
      if (!lot || !lot->external) continue;
      const std::string lot_id = e["lot"];
      if (buyer)
        i18n::refuse(fmt::format("bases[{}].basis", b), i18n::Msg::cert_buyer_quality_control, lot_id,
                     a == lot_id ? i18n::Words{}
                                 : i18n::Words{fmt::format("的来源批次「{}」", a),
                                               fmt::format(" is made from lot \"{}\", which", a)},
                     entry_words(lot->created_entry, options));
      const std::string via_zh = a == lot_id ? std::string() : fmt::format("的来源批次「{}」", a);
      const std::string via_en = a == lot_id ? std::string() : fmt::format(" is made from lot \"{}\", which", a);
      const i18n::Words at = entry_words(lot->created_entry, options);
      // Until version 6 a buyer's re-issue (样式二) was the other way out; from version 6 it needs a test too.
      const bool reissue_ok = state.rules_version() < kRulesV6;
      throw_bad_input(fmt::format(
          "field bases[{}].basis: 批次「{}」{}是外来批次（{}的{}），账本中没有它的种植、用药和检测记录；没有记录不能证明"
          "质量安全控制符合要求。请改依据检测结果（自行检测合格 / 委托检测合格，先记录该批次的检测）{} / lot \"{}\"{} is "
          "an external lot (brought in by the {} at {}): the ledger holds no planting, inputs or tests of it, and no "
          "records are no proof of 质量安全控制符合要求 (quality_control); tick a test basis (self_tested / "
          "commissioned_test, with the lot's inspection){}",
          b, lot_id, via_zh, at.zh, type_words(lot->created_by).zh,
          reissue_ok ? "，或以收购者身份（样式二）凭收取的合格证开具" : "", lot_id, via_en, lot->created_by, at.en,
          reissue_ok ? ", or issue as the buyer (style buyer, 样式二) on the collected certificates" : ""));
    }
  }
}

}  // namespace agtrace
