// Who scanned a code, as far as the copy warning needs to know (DESIGN §5, docs/scan-page.md
// "How scans are counted"): the scan count says how often a code was checked; the copy
// warning counts DISTINCT clients, so that one shopper refreshing the page never sets it off.
//
// A client is known by a first-party cookie holding a random id (128 bits from OpenSSL's
// CSPRNG, 32 lower-case hex digits), set on the first scan; a client that sends no cookie
// back (cookies off, a fresh in-app browser) is known by its address and user agent
// instead. Neither is stored as such: the scans file keeps only a keyed SHA-256 of them
// (ScanStore), under a secret of its own. Pure and thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace agtrace::verifier {

// The cookie's name.
inline constexpr std::string_view kClientCookie = "agtrace_client";
// How long a browser keeps it: two years, in seconds.
inline constexpr long kClientCookieMaxAge = 2L * 365 * 24 * 3600;

// What the verifier knows about the client of one counted scan.
struct ScanClient {
  std::optional<std::string> cookie;  // the id its cookie sent back, if well-formed
  std::string issued;                 // the id set by this response when no cookie came, else ""
  std::string address;                // the client's address (a trusted proxy's forwarded one)
  std::string user_agent;
};

// The client of a counted scan: the id its cookie sent back, or else a new id to set
// (`issued`), with its address (see client_key() in verifier/http/negotiate.h) and user agent.
ScanClient scan_client(std::string_view cookie_header, std::string address, std::string user_agent);

// The id in a Cookie header value ("a=1; agtrace_client=…"), or nullopt when there is
// none or it is not 32 lower-case hex digits (then a new one is issued).
std::optional<std::string> client_cookie(std::string_view cookie_header);

// A new random id (32 lower-case hex digits). Throws std::runtime_error if the CSPRNG fails.
std::string new_client_id();

// The Set-Cookie value for `id`: Path=/, Max-Age two years, HttpOnly, SameSite=Lax, and
// Secure when the page was served over https (RFC 6265 §4.1; a Secure cookie sent over
// plain http would never come back).
std::string client_cookie_header(std::string_view id, bool secure);

}  // namespace agtrace::verifier
