// A scanned label judged against the code it carries (DESIGN §4 QR payload, §5): a genuine
// serial printed under another lot or GTIN is not that product's label. The verifier makes
// the same judgement of a scan; `agtrace-ledger show code` and `agtrace-labeler
// reprint`/`void` make it of the URL a handheld scanner types.
#pragma once

#include <optional>
#include <string>

#include "ledger/ledger.h"

namespace agtrace {

// For `given` — a SERIAL argument as typed: a bare serial, or a label's QR URL (GS1 Digital
// Link or /t/, already accepted by serial_from_scan) — and the code it names: what in the URL
// does not match the code's own lot (its id or GS1 lot code, DESIGN §4) and product GTIN, as
// a sentence naming both, or nullopt when it matches or `given` is a bare serial or a /t/ URL.
// Throws Error(bad_input) only if `given` is a URL that is no trace-code URL.
std::optional<std::string> scanned_label_mismatch(Ledger& ledger, const std::string& given, const CodeRecord& code);

}  // namespace agtrace
