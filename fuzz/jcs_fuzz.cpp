// JCS canonicalization (ledger/json/jcs.h) of whatever parse_strict() accepts.
//
// Properties: the canonical bytes re-parse to a value equal to the original (numbers
// round-trip exactly through shortest_decimal), canonicalizing that value again gives the
// same bytes (canonical form is a fixed point).
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
