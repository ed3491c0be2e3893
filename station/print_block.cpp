// Why a lot cannot get labels (print_block.h).
#include "station/print_block.h"

#include <algorithm>

#include "labeler/template/content.h"
#include "ledger/certificates.h"
#include "ledger/ledger.h"
#include "ledger/lot_queries.h"
#include "ledger/util/error.h"
#include "station/messages.h"

namespace agtrace::station {

std::optional<PrintBlock> print_block(Ledger& ledger, const std::string& lot) {
  auto recalls = recalls_covering(ledger, lot);
  if (!recalls.empty()) {
    const auto& r = recalls.front();
    std::string reason = r.value("reason", ""), when = r.value("event_time", "");
    // The day as the recall wrote it (event_time "YYYY-MM-DDThh:mm:ss±hh:mm").
    return PrintBlock{"recalled", "已召回 不可打印 / recalled: cannot print",
                      recalled_for_operator(reason, when.size() >= 10 ? when.substr(0, 10) : "")};
  }
  auto certs = lineage_certificates(ledger.store(), lot);
  bool valid = std::any_of(certs.begin(), certs.end(),
                           [](const auto& c) { return c.second.status == CertificateStatus::valid; });
  if (!valid)
    for (const auto& [record, st] : certs)
      if (st.status == CertificateStatus::invalidated)
        return PrintBlock{"invalidated", "合格证已失效 不可打印 / certificate invalidated: cannot print",
                          "合格证 " + record.number + "：" + st.reason + " / certificate " + record.number + ": " + st.reason};
  try {
    (void)labeler::gather_label_facts(ledger, lot);
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::bad_input) throw;
    return PrintBlock{"refused", "不可打印 / cannot print", for_operator(e.what())};
  }
  return std::nullopt;
}

}  // namespace agtrace::station
