// Refusals in words for the operator (docs/station.md "拒绝打印的原因"). The ledger's and
// the labeler's messages name fields for a clerk or a script ("--count: lot X was packed
// into 2000 units …"); the operator on the packing floor gets, first, what happened and what
// to do in Chinese, then the original message for the supervisor.
#pragma once

#include <string>

namespace agtrace::station {

// `what` (an Error's message) for the operator. A recalled lot: recalled_for_operator's words
// alone, in both languages. Otherwise unchanged when it starts in Chinese already
// (the printer messages do); from its Chinese part on when it is a ledger rule's "field NAME:
// 中文… / English…" (rules version 4's label-job refusals); otherwise a Chinese sentence for the known refusals — packed
// count exceeded, no valid 承诺达标合格证, failed inspection, a lot of another
// enterprise, a revoked or unknown key, content that does not fit the template, a QR box too
// small for the printer — or a general one, followed by " / " and `what`.
// The labeler's advice for uncertain labels of an interrupted job names the station's 重印 /
// 作废 screen instead of its command-line verbs.
std::string for_operator(const std::string& what);

// for_operator(what) for a job that failed before any label was sent (nothing recorded): a
// printer out of paper also says 没有发出任何标签，装纸后可以重新打印 (no label went out, load
// labels and print again), in both languages.
std::string unsent_for_operator(const std::string& what);

// What the operator reads for a recalled lot (docs/station.md "拒绝打印的原因"): not the
// consumer's "请停止销售和食用" of the scan page nor the clerk's rule or event id, but what to do
// on the packing floor — do not print, put the goods aside (do not ship them), tell the
// supervisor — then the recall's reason (operator_reason) and its date "YYYY-MM-DD" when known
// (`reason`, `date` may be ""). "中文 / English".
std::string recalled_for_operator(const std::string& reason, const std::string& date);

// A recall's free-text reason without its clauses for consumers: clauses (ended by "，", "；"
// or "。") naming 停止销售, 食用, 退货, 退还 or 消费者 are dropped ("毒死蜱超标，请停止销售和食用，
// 凭包装退货" → "毒死蜱超标"); "" when nothing else is left.
std::string operator_reason(const std::string& reason);

}  // namespace agtrace::station
