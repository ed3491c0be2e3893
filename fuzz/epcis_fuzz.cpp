// A partner's GS1 EPCIS 2.0 document through events_from_epcis() (ledger/epcis).
//
// The ledger is stood in for by a lookup that "knows" every eventID of even length, so
// that errorDeclarations on known events become corrections, and by a correction party.
// Property (fuzz/prepared_check.h): every event the importer prepares passes the ledger's
// JSON front door unchanged; a bad document or event is refused with a message, never by
// a crash.
#include <optional>
#include <string>

#include "fuzz/fuzz_check.h"
#include "fuzz/prepared_check.h"
#include "ledger/epcis/epcis_import.h"
#include "ledger/util/error.h"

using namespace agtrace;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  epcis::ImportOptions options;
  options.recorded_event = [](const std::string& id) -> std::optional<nlohmann::json> {
    if (id.size() % 2 != 0) return std::nullopt;
    return nlohmann::json{{"type", "harvest"}, {"event_id", id}};
  };
  options.correction_party = "fuzz-party";
  try {
    fuzz::check_prepared(epcis::events_from_epcis(fuzz::as_text(data, size), "fuzz.jsonld", options));
  } catch (const Error& e) {
    FUZZ_CHECK(e.kind() == ErrorKind::bad_input);
  }
  return 0;
}
