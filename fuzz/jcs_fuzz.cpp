// JCS canonicalization (ledger/json/jcs.h) of whatever parse_strict() accepts.
//
// Properties: the canonical bytes re-parse to a value equal to the original (numbers
// round-trip exactly through shortest_decimal), canonicalizing that value again gives the
// same bytes (canonical form is a fixed point) — for every value whose floats are not
// integral beyond 2^53 (see has_unsafe_integral_float).
// A second mode reads 8 bytes as a binary64 and checks that shortest_decimal() reads back
// to the same number.
#include <cmath>
#include <cstring>
#include <string>

#include "fuzz/fuzz_check.h"
#include "ledger/json/jcs.h"
#include "ledger/json/strict_parse.h"
#include "ledger/util/error.h"

using namespace agtrace;

namespace {

void check_number(const std::uint8_t* data) {
  double value;
  std::memcpy(&value, data, sizeof value);
  std::string text;
  try {
    text = json::shortest_decimal(value);
  } catch (const Error&) {
    FUZZ_CHECK(!std::isfinite(value));
    return;
  }
  FUZZ_CHECK(std::isfinite(value));
  const double back = std::strtod(text.c_str(), nullptr);
  FUZZ_CHECK(back == value);
  // Shortest also means canonical: a second pass writes the same digits.
  FUZZ_CHECK(json::shortest_decimal(back) == text);
}

// True if `value` holds a float that ECMAScript writes as an integer literal beyond
// ±max_safe_integer (an integral magnitude in (2^53 - 1, 1e21), e.g. 1e20 is written
// "100000000000000000000"). parse_strict() refuses such literals by design, so canonical
// bytes of such a value do not re-parse; agtrace never canonicalizes one (events and EPCIS
// documents carry no floats once prepared).
bool has_unsafe_integral_float(const nlohmann::json& value) {
  if (value.is_number_float()) {
    const double v = std::fabs(value.get<double>());
    return v > static_cast<double>(json::max_safe_integer) && v < 1e21 && v == std::floor(v);
  }
  if (value.is_structured()) {
    for (const auto& child : value) {
      if (has_unsafe_integral_float(child)) return true;
    }
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 9 && data[0] == '#') {  // "#" + 8 bytes: the number mode
    check_number(data + 1);
    return 0;
  }
  nlohmann::json value;
  try {
    value = json::parse_strict(fuzz::as_text(data, size));
  } catch (const Error&) {
    return 0;
  }
  std::string canonical;
  try {
    canonical = json::canonicalize(value);
  } catch (const Error&) {
    // parse_strict() accepts only what JSON can express, all of which has canonical bytes.
    FUZZ_CHECK(!"canonicalize refused a value parse_strict accepted");
  }
  if (has_unsafe_integral_float(value)) return 0;
  nlohmann::json again;
  try {
    again = json::parse_strict(canonical);
  } catch (const Error& e) {
    std::fprintf(stderr, "canonical bytes do not re-parse: %s\n", e.what());
    FUZZ_CHECK(!"canonical bytes re-parse");
  }
  FUZZ_CHECK(again == value);
  FUZZ_CHECK(json::canonicalize(again) == canonical);
  return 0;
}
