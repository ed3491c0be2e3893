// One ledger event's text through the ledger's front door, parse_event() (ledger/ledger.h):
// parse_strict with the event limits, no floats, an RFC 3339 event_time, the JSON Schema
// (ledger/event/schema_validator.h), then RFC 8785 bytes.
//
// Properties: an accepted event's canonical bytes are its canonicalize() value, and they are
// accepted again as an event with the same canonical bytes (what the ledger signs is what
// it would accept on re-import).
#include <string>

#include "fuzz/fuzz_check.h"
#include "ledger/json/jcs.h"
#include "ledger/ledger.h"
#include "ledger/util/error.h"

using namespace agtrace;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  PreparedEvent event;
  try {
    event = parse_event(fuzz::as_text(data, size), "fuzz");
  } catch (const Error& e) {
    FUZZ_CHECK(e.kind() == ErrorKind::bad_input);
    return 0;
  }
  FUZZ_CHECK(event.error.empty());
  FUZZ_CHECK(event.event.is_object());
  FUZZ_CHECK(event.canonical == json::canonicalize(event.event));
  PreparedEvent again;
  try {
    again = parse_event(event.canonical, "fuzz (canonical)");
  } catch (const Error& e) {
    std::fprintf(stderr, "canonical event refused: %s\n", e.what());
    FUZZ_CHECK(!"an accepted event's canonical bytes are accepted");
  }
  FUZZ_CHECK(again.canonical == event.canonical);
  return 0;
}
