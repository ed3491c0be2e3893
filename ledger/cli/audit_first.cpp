// The full audit before a command shows what the ledger holds.
#include "ledger/cli/audit_first.h"

#include <optional>
#include <string>

#include "ledger/i18n/refusal.h"
#include "ledger/util/error.h"

namespace agtrace::cli {

void audit_first(Ledger& ledger, std::string_view command, i18n::Lang lang,
                 const std::optional<std::string>& saved_checkpoint) {
  try {
    ledger.verify(saved_checkpoint);
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::verification) throw;
    throw_verification(i18n::text(lang, i18n::Msg::audit_first_failed, std::string(command), i18n::message_in(e, lang)));
  }
}

}  // namespace agtrace::cli
