// Routing on the RAW request target (DESIGN §5): the path is split on '/' before any
// percent-decoding, so an encoded '/' (%2F) inside a GS1 lot code stays inside the lot.
// Each segment is then decoded on its own; a segment that decodes to "." or "..", to a
// NUL byte or to invalid UTF-8 is refused, so no route ever sees a path traversal.
//
// Routes (GS1 Digital Link 1.x for the scan URL; the rest is agtrace's own API):
//   /01/{gtin}/10/{lot}/21/{serial}  /01/{gtin}/21/{serial}  /t/{serial}   scan page or JSON
//   /c/{number}                      承诺达标合格证 page or JSON (docs/certificate.md)
//   /api/v1/codes/{serial}  /api/v1/lots/{lot}
//   /api/v1/proof/inclusion?index=N  /api/v1/proof/consistency?old=A&new=B
//   /checkpoint  /healthz  /metrics  /robots.txt  /
//
// Pure and thread-safe: no I/O, no state.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace agtrace::verifier {

// Longest request target (path and query) the verifier answers; longer gets 414.
inline constexpr std::size_t kMaxTargetBytes = 2048;

enum class RouteKind {
  scan,               // Digital Link or /t/{serial}
  certificate,        // /c/{number}
  api_code,           // /api/v1/codes/{serial}
  api_lot,            // /api/v1/lots/{lot}
  proof_inclusion,    // /api/v1/proof/inclusion
  proof_consistency,  // /api/v1/proof/consistency
  checkpoint,
  healthz,
  metrics,
  robots,
  home,
  not_found,    // well-formed target that names no route: 404
  bad_request,  // malformed target: 400 (reason says why)
  too_long,     // target beyond kMaxTargetBytes: 414
};

struct Route {
  RouteKind kind = RouteKind::not_found;
  std::string serial;                 // scan, api_code: normalised serial (see normalize_serial)
  std::optional<std::string> gtin;    // scan via Digital Link: GTIN-14 (check digit verified)
  std::optional<std::string> lot;     // scan via Digital Link (GS1 lot code); api_lot (id or code)
  std::string certificate;            // certificate: the number as decoded (1 to 64 bytes)
  std::map<std::string, std::string> query;  // decoded query parameters (first value wins)
  std::string reason;                 // for bad_request: what is wrong, for the person
  // A short, fixed label for metrics ("scan", "api_code", ...): never request data.
  std::string_view label() const;
};

// Routes the raw request target of a GET or HEAD request. Never throws.
Route route_target(std::string_view target);

// Percent-decodes one path segment or query component (RFC 3986 §2.1). '+' becomes a
// space only when `plus_is_space` (query strings). Returns nullopt on a malformed escape,
// a decoded NUL or control byte, or invalid UTF-8.
std::optional<std::string> percent_decode(std::string_view s, bool plus_is_space);

// True if `digits` is a GTIN-8/12/13/14 whose last digit is the GS1 mod-10 check digit.
bool gtin_check_digit_ok(std::string_view digits);

// A trace code as a person or scanner may give it, in canonical form: Crockford base32
// read case-insensitively, with I and L read as 1 and O as 0, hyphens ignored; exactly 13
// symbols. Returns nullopt when it cannot be a serial.
std::optional<std::string> normalize_serial(std::string_view s);

// Parses a decimal without sign or leading zero within 63 bits.
std::optional<std::uint64_t> parse_index(std::string_view s);

}  // namespace agtrace::verifier
