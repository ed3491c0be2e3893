// The scan client's cookie: parsing, minting, the Set-Cookie value.
#include "verifier/scans/client_id.h"

#include <fmt/format.h>
#include <openssl/rand.h>

#include <array>
#include <stdexcept>

namespace agtrace::verifier {

namespace {

bool well_formed(std::string_view id) {
  if (id.size() != 32) return false;
  for (char c : id)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::optional<std::string> client_cookie(std::string_view header) {
  // RFC 6265 §4.2: "name=value" pairs separated by "; ". A comma is taken as a separator
  // too (some clients join repeated Cookie headers with it; our value never holds one).
  while (!header.empty()) {
    std::size_t end = header.find_first_of(";,");
    std::string_view pair = trim(header.substr(0, end));
    header = end == std::string_view::npos ? std::string_view{} : header.substr(end + 1);
    std::size_t eq = pair.find('=');
    if (eq == std::string_view::npos || trim(pair.substr(0, eq)) != kClientCookie) continue;
    std::string_view value = trim(pair.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
    if (well_formed(value)) return std::string(value);
  }
  return std::nullopt;
}

ScanClient scan_client(std::string_view cookie_header, std::string address, std::string user_agent) {
  ScanClient c;
  c.cookie = client_cookie(cookie_header);
  if (!c.cookie) c.issued = new_client_id();
  c.address = std::move(address);
  c.user_agent = std::move(user_agent);
  return c;
}

std::string new_client_id() {
  std::array<unsigned char, 16> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1)
    throw std::runtime_error("RAND_bytes failed: no random client id");
  std::string out;
  for (unsigned char b : bytes) out += fmt::format("{:02x}", b);
  return out;
}

std::string client_cookie_header(std::string_view id, bool secure) {
  return fmt::format("{}={}; Path=/; Max-Age={}; HttpOnly; SameSite=Lax{}", kClientCookie, id, kClientCookieMaxAge,
                     secure ? "; Secure" : "");
}

}  // namespace agtrace::verifier
