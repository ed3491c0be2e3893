// The verifier's router (verifier/http/router.h) on raw request targets.
//
// Properties: route_target() never throws; 414 exactly for targets over kMaxTargetBytes;
// a route that is not a 400 has no path segment that decodes to "." or ".."; a scan route
// carries a normalised serial and, via Digital Link, a GTIN-14 with a good check digit and
// a lot of 1 to 20 bytes; every decoded query value is free of control bytes. And the
// labeler and the verifier agree: a path that the labeler's parse_trace_uri() reads as a
// trace code with a serial routes to the scan page for that same serial, GTIN and lot.
#include <string>
#include <vector>

#include "fuzz/fuzz_check.h"
#include "ledger/event/digital_link.h"
#include "ledger/util/error.h"
#include "verifier/http/router.h"

using namespace agtrace;
using namespace agtrace::verifier;

namespace {

bool has_dot_segment(std::string_view path) {
  std::size_t start = 0;
  for (;;) {
    const std::size_t slash = path.find('/', start);
    const auto raw = path.substr(start, slash == std::string_view::npos ? path.npos : slash - start);
    const auto decoded = percent_decode(raw, false);
    if (decoded && (*decoded == "." || *decoded == "..")) return true;
    if (slash == std::string_view::npos) return false;
    start = slash + 1;
  }
}

bool control_free(std::string_view s) {
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7F) return false;
  return true;
}

// What the labeler reads as a trace-code URI (and so prints), the verifier must serve.
void check_labeler_agrees(std::string_view target, const Route& route) {
  if (target.size() > kMaxTargetBytes || target.find('?') != std::string_view::npos) return;
  ParsedTraceUri parsed;
  try {
    parsed = parse_trace_uri(std::string("https://trace.example") + std::string(target));
  } catch (const Error&) {
    return;
  }
  const auto serial = normalize_serial(parsed.serial);
  if (parsed.base_url != "https://trace.example" || !serial) return;
  FUZZ_CHECK(route.kind == RouteKind::scan);
  FUZZ_CHECK(route.serial == *serial);
  FUZZ_CHECK(route.gtin == parsed.gtin14);
  FUZZ_CHECK(route.lot == parsed.lot_code);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view target = fuzz::as_text(data, size);
  const Route route = route_target(target);
  FUZZ_CHECK(!route.label().empty());
  FUZZ_CHECK((route.kind == RouteKind::too_long) == (target.size() > kMaxTargetBytes));
  check_labeler_agrees(target, route);
  if (route.kind == RouteKind::bad_request) {
    FUZZ_CHECK(!route.reason.empty());
    return 0;
  }
  if (route.kind == RouteKind::too_long) return 0;
  FUZZ_CHECK(!target.empty() && target[0] == '/');
  const std::string_view path = target.substr(0, target.find('?'));
  FUZZ_CHECK(!has_dot_segment(path));
  for (const auto& [key, value] : route.query) FUZZ_CHECK(control_free(key) && control_free(value));
  if (route.kind == RouteKind::scan || route.kind == RouteKind::api_code) {
    FUZZ_CHECK(normalize_serial(route.serial) == route.serial);
  }
  if (route.gtin) {
    FUZZ_CHECK(route.kind == RouteKind::scan);
    FUZZ_CHECK(route.gtin->size() == 14 && gtin_check_digit_ok(*route.gtin));
  }
  if (route.kind == RouteKind::scan && route.lot) {
    FUZZ_CHECK(!route.lot->empty() && route.lot->size() <= 20);
  }

  return 0;
}
