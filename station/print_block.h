// Why a packed lot cannot get labels at all, for the lot list of the print screen (issue 15
// trial, item 2: a recalled lot must not look like any other): a recall in force for the lot
// or a lot it was made from (ledger/lot_queries.h recalls_covering), its 承诺达标合格证
// invalidated (已失效: a recall or a failed inspection, ledger/certificates.h), or any other
// refusal of labeler::gather_label_facts (e.g. its latest inspection failed). Read-only; the
// print job itself is still checked by the ledger's rules when it is queued and when it sends.
#pragma once

#include <optional>
#include <string>

namespace agtrace {
class Ledger;
}

namespace agtrace::station {

struct PrintBlock {
  std::string code;    // "recalled", "invalidated" or "refused"
  std::string label;   // the short tag for the lot button, "中文 / English", e.g. "已召回 不可打印 / recalled: cannot print"
  std::string reason;  // what the ledger says, "中文 / English" where it has both (the recall's reason, the certificate's)
};

// The reason `lot` (a packed lot of this ledger) can get no labels now, or nullopt.
std::optional<PrintBlock> print_block(Ledger& ledger, const std::string& lot);

}  // namespace agtrace::station
