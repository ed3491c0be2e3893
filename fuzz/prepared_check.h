// The property every importer's output must have (fuzz/csv_import_fuzz.cpp,
// fuzz/epcis_fuzz.cpp): a PreparedEvent is either refused with a message, or it carries
// the RFC 8785 bytes of its event and those bytes pass the ledger's JSON front door,
// parse_event(), unchanged — an importer never prepares an event the ledger would refuse
// as JSON.
#pragma once

#include <cstdio>
#include <vector>

#include "fuzz/fuzz_check.h"
#include "ledger/json/jcs.h"
#include "ledger/ledger.h"
#include "ledger/util/error.h"

namespace agtrace::fuzz {

inline void check_prepared(const std::vector<PreparedEvent>& events) {
  for (const PreparedEvent& event : events) {
    FUZZ_CHECK(!event.where.empty());
    if (!event.error.empty()) continue;
    FUZZ_CHECK(event.event.is_object());
    FUZZ_CHECK(event.canonical == json::canonicalize(event.event));
    try {
      FUZZ_CHECK(parse_event(event.canonical, event.where).canonical == event.canonical);
    } catch (const Error& e) {
      std::fprintf(stderr, "prepared event refused by parse_event: %s\n", e.what());
      FUZZ_CHECK(!"a prepared event passes parse_event");
    }
  }
}

}  // namespace agtrace::fuzz
