// Operator-facing wording of refusals (messages.h).
#include "station/messages.h"

#include <algorithm>
#include <array>
#include <utility>

namespace agtrace::station {
namespace {

bool has(const std::string& s, const char* needle) { return s.find(needle) != std::string::npos; }

}  // namespace

std::string for_operator(const std::string& what_given) {
  // The labeler's interrupted-job advice names its command-line verbs in the Chinese half;
  // at the station they are the 重印 / 作废 screen's buttons.
  std::string what = what_given;
  static const std::string cli_advice = "打出的重印（reprint）或作废（void），没打出的作废";
  if (auto at = what.find(cli_advice); at != std::string::npos)
    what.replace(at, cli_advice.size(), "打出来的可以重印或作废，没打出来的请作废（都在“重印/作废”页）");
  // A message that opens with a CJK character (UTF-8 lead byte 0xE3–0xE9) is Chinese-first
  // already, also after the ledger rules' "field NAME: " (the operator does not need the field).
  auto cjk_at = [&](std::size_t i) {
    if (i >= what.size()) return false;
    auto c = static_cast<unsigned char>(what[i]);
    return c >= 0xE3 && c <= 0xE9;
  };
  // A recalled lot: what to do on the floor, whatever words the ledger used (clerk's or English).
  // Both languages in the operator's words: the ledger's (its event id, the consumer's sentence
  // of the recall's reason) stays out of both (the station's log has it).
  if (has(what, "已召回") || has(what, "recalled")) return recalled_for_operator("", "");
  if (cjk_at(0)) return what;
  if (what.rfind("field ", 0) == 0)
    if (auto colon = what.find(": "); colon != std::string::npos && cjk_at(colon + 2)) return what.substr(colon + 2);
  static const std::array<std::pair<const char*, const char*>, 10> known = {{
      {"packed into", "这个批次的标签数量已够：再打会超过包装件数。撕坏的标签请先作废再补打"},
      {"ertificate", "这个批次还没有有效的承诺达标合格证，请先开具合格证再打印标签"},
      {"did not pass", "这个批次检测不合格，不能打印标签，请联系主管"},
      {"failed inspection", "这个批次或它的来源批次检测不合格，合格证已失效，不能打印标签，请联系主管"},
      {"latest inspection", "这个批次检测不合格，不能打印标签，请联系主管"},
      {"holder", "本企业的工作站只能为本企业包装的批次打印标签，请选本企业的批次"},
      {"revoked", "本企业的工作站密钥已被吊销，请联系系统管理员"},
      {"not registered", "本企业的工作站密钥未在账本中登记，请联系系统管理员"},
      {"does not fit", "标签模板放不下这个批次的内容（如产品名称太长），请主管调整模板或改正主数据"},
      {"needs a box of at least", "标签模板的二维码太小，这台打印机印不出能扫的二维码，没有打印任何标签：请主管放大模板的二维码或换一台打印机"},
  }};
  for (const auto& [needle, zh] : known)
    if (has(what, needle)) return std::string(zh) + " / " + what;
  return "账本拒绝了这个打印任务，没有打印任何标签，请把下面的原因告诉主管 / " + what;
}

std::string unsent_for_operator(const std::string& what) {
  std::string said = for_operator(what);
  if (!has(said, "缺纸")) return said;
  auto split = said.find(" / ");
  if (split == std::string::npos) return said + "：没有发出任何标签，装纸后可以重新打印";
  return said.substr(0, split) + "。没有发出任何标签，装纸后可以重新打印 / " + said.substr(split + 3) +
         ". No label was sent: load labels and print again";
}

std::string operator_reason(const std::string& reason) {
  // Clauses end at "，", "；" or "。" (UTF-8); a clause telling consumers what to do is dropped.
  static const std::array<const char*, 3> ends = {"，", "；", "。"};
  static const std::array<const char*, 5> consumer = {"停止销售", "食用", "退货", "消费者", "退还"};
  std::string out, clause, sep;
  auto flush = [&](const std::string& end) {
    bool for_consumer = std::any_of(consumer.begin(), consumer.end(), [&](const char* w) { return has(clause, w); });
    if (!clause.empty() && !for_consumer) {
      out += sep + clause;
      sep = end == "。" ? "；" : end;
    }
    clause.clear();
  };
  for (std::size_t i = 0; i < reason.size();) {
    auto end = std::find_if(ends.begin(), ends.end(), [&](const char* e) { return reason.compare(i, 3, e) == 0; });
    if (end != ends.end()) {
      flush(*end);
      i += 3;
    } else {
      clause += reason[i++];
    }
  }
  flush("");
  return out;
}

std::string recalled_for_operator(const std::string& reason, const std::string& date) {
  std::string zh = "这个批次已召回：不要打印标签，把这批货单独放好、不要发出，并马上告诉主管";
  std::string en = "this lot is recalled: do not print labels; put the goods aside, do not ship them, and tell the "
                   "supervisor now";
  const std::string why = operator_reason(reason);
  if (!why.empty()) {
    zh += "。召回原因：" + why;
    en += ". Reason: " + why;
  }
  if (!date.empty()) {
    zh += "（" + date + " 召回）";
    en += " (recalled " + date + ")";
  }
  return zh + " / " + en;
}

}  // namespace agtrace::station
