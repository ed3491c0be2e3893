// The labeler's trace-code parsers (labeler/code): parse_trace_uri() on a scanned payload,
// normalize_serial() and normalize_gtin14() on what a person types.
//
// Properties: a parsed Digital Link is rebuilt by digital_link_uri() (or short_trace_uri())
// into a URI without dot segments that parses to the same parts; a normalised serial is a serial and normalises
// to itself; a normalised GTIN is 14 digits, normalises to itself and has a good check digit.
#include <string>

#include "fuzz/fuzz_check.h"
#include "ledger/event/digital_link.h"
#include "ledger/event/gtin.h"
#include "labeler/code/serial.h"
#include "ledger/util/error.h"

using namespace agtrace;
using namespace agtrace::labeler;

namespace {

// True if `uri` has a path segment "." or ".." that URI resolution (RFC 3986 §5.2.4) and
// every browser would remove, so that a phone would open another address than the label's.
bool has_dot_segment(std::string_view uri) {
  for (std::size_t start = 0;;) {
    const std::size_t slash = uri.find('/', start);
    const auto segment = uri.substr(start, slash == std::string_view::npos ? uri.npos : slash - start);
    if (segment == "." || segment == ".." || segment == "%2E" || segment == "%2E%2E") return true;
    if (slash == std::string_view::npos) return false;
    start = slash + 1;
  }
}

void check_uri(std::string_view uri) {
  ParsedTraceUri parsed;
  try {
    parsed = parse_trace_uri(uri);
  } catch (const Error& e) {
    FUZZ_CHECK(e.kind() == ErrorKind::bad_input);
    return;
  }
  FUZZ_CHECK(parsed.gtin14.has_value() == parsed.lot_code.has_value());
  std::string rebuilt;
  if (parsed.gtin14) {
    FUZZ_CHECK(parsed.gtin14->size() == 14);
    rebuilt = digital_link_uri(parsed.base_url, *parsed.gtin14, *parsed.lot_code, parsed.serial);
  } else {
    rebuilt = short_trace_uri(parsed.base_url, parsed.serial);
  }
  FUZZ_CHECK(!has_dot_segment(std::string_view(rebuilt).substr(parsed.base_url.size())));
  const ParsedTraceUri again = parse_trace_uri(rebuilt);
  FUZZ_CHECK(again.base_url == parsed.base_url);
  FUZZ_CHECK(again.gtin14 == parsed.gtin14);
  FUZZ_CHECK(again.lot_code == parsed.lot_code);
  FUZZ_CHECK(again.serial == parsed.serial);
}

void check_serial(std::string_view text) {
  std::string serial;
  try {
    serial = normalize_serial(text, "serial");
  } catch (const Error& e) {
    FUZZ_CHECK(e.kind() == ErrorKind::bad_input);
    return;
  }
  FUZZ_CHECK(is_serial(serial));
  FUZZ_CHECK(normalize_serial(serial, "serial") == serial);
}

void check_gtin(std::string_view text) {
  std::string gtin;
  try {
    gtin = normalize_gtin14(text, "gtin");
  } catch (const Error& e) {
    FUZZ_CHECK(e.kind() == ErrorKind::bad_input);
    return;
  }
  FUZZ_CHECK(gtin.size() == 14);
  FUZZ_CHECK(gtin.find_first_not_of("0123456789") == std::string::npos);
  FUZZ_CHECK(normalize_gtin14(gtin, "gtin") == gtin);
  FUZZ_CHECK(gtin_check_digit(std::string_view(gtin).substr(0, 13)) == gtin[13]);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = fuzz::as_text(data, size);
  check_uri(text);
  check_serial(text);
  check_gtin(text);
  return 0;
}
