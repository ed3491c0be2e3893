// GS1 AI (10) lot codes for lots whose ids fall outside GS1's character set.
#include "ledger/event/lot_code.h"

#include "ledger/util/crockford.h"
#include "ledger/util/sha256.h"

namespace agtrace {

bool is_gs1_safe(std::string_view s) {
  if (s.empty() || s.size() > 20) return false;
  // "." and ".." would be dot segments in the Digital Link path (see lot_code.h).
  if (s == "." || s == "..") return false;
  for (unsigned char c : s) {
    bool ok = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
              std::string_view("!\"%&'()*+,-./:;<=>?_").find(static_cast<char>(c)) !=
                  std::string_view::npos;
    if (!ok) return false;
  }
  return true;
}

std::string derived_lot_code(std::string_view lot_id, int extra) {
  Hash h = sha256(as_bytes(lot_id));
  return "Z" + crockford_encode(h, 12 + static_cast<std::size_t>(extra));
}

}  // namespace agtrace
