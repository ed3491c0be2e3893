// A clerk's CSV file through events_from_csv() (ledger/import/csv_import.h), as
// `agtrace-ledger import --format csv --tz +08:00` reads it: UTF-8 when the bytes are UTF-8,
// else GB18030.
//
// Property (fuzz/prepared_check.h): every event the importer prepares passes the ledger's
// JSON front door unchanged; a bad row is refused with a message, never by a crash.
#include <optional>
#include <string>

#include "fuzz/fuzz_check.h"
#include "fuzz/prepared_check.h"
#include "ledger/import/csv_import.h"
#include "ledger/util/error.h"

using namespace agtrace;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes = fuzz::as_text(data, size);
  const std::optional<std::string> tz = "+08:00";
  for (const char* encoding : {"utf-8", "gb18030"}) {
    try {
      fuzz::check_prepared(events_from_csv(bytes, "fuzz.csv", encoding, tz, std::nullopt));
      return 0;
    } catch (const Error& e) {
      FUZZ_CHECK(e.kind() == ErrorKind::bad_input);
    }
  }
  return 0;
}
