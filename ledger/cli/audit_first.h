// Commands that show or report what the ledger holds (show, log, trace, recall, export) answer
// from the file's derived tables and stored entries, which anyone with write access to the
// file can edit without a key: an edited lot_flows row would change a harvest's quantity on
// the clerk's screen, a deleted lineage row would drop lots from a recall report. So they run
// the full audit first (DESIGN §3), which proves every stored entry and derived row against
// the signed log, and show nothing when it fails.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "ledger/i18n/messages.h"
#include "ledger/ledger.h"

namespace agtrace::cli {

// Runs ledger.verify(saved_checkpoint) (the full audit; with a checkpoint saved earlier — a C2SP
// signed note's text — it also proves the log extends it, so a rolled-back file is refused). On a
// verification failure throws a verification Error (exit 1) whose message, in `lang`, names
// `command`, says that nothing was shown and why, and carries the audit's finding; other errors
// pass through.
void audit_first(Ledger& ledger, std::string_view command, i18n::Lang lang,
                 const std::optional<std::string>& saved_checkpoint = std::nullopt);

}  // namespace agtrace::cli
