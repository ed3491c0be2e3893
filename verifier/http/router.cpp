// Routing on the raw request target: split first, decode each segment after.
#include "verifier/http/router.h"

#include <cstdint>
#include <vector>

namespace agtrace::verifier {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    std::uint32_t cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
    for (std::size_t k = 1; k < n; ++k) {
      auto d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (d & 0x3F);
    }
    static constexpr std::uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += n;
  }
  return true;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (;;) {
    std::size_t p = s.find(sep, start);
    out.push_back(s.substr(start, p == std::string_view::npos ? std::string_view::npos : p - start));
    if (p == std::string_view::npos) return out;
    start = p + 1;
  }
}

Route bad(std::string reason) {
  Route r;
  r.kind = RouteKind::bad_request;
  r.reason = std::move(reason);
  return r;
}

// GS1 Digital Link: /01/{gtin}[/10/{lot}]/21/{serial}, qualifiers in this order only.
Route route_digital_link(const std::vector<std::string>& seg, Route r) {
  if (seg.size() != 4 && seg.size() != 6) {
    if (seg.size() >= 2 && seg.size() % 2 == 0)
      return bad("a Digital Link for a trace code is /01/{GTIN}/10/{lot}/21/{serial}");
    return bad("a Digital Link has the form /01/{GTIN}/10/{lot}/21/{serial}");
  }
  const std::string& gtin = seg[1];
  if (gtin.find_first_not_of("0123456789") != std::string::npos ||
      (gtin.size() != 8 && gtin.size() != 12 && gtin.size() != 13 && gtin.size() != 14))
    return bad("GTIN must be 8, 12, 13 or 14 digits");
  if (!gtin_check_digit_ok(gtin)) return bad("GTIN check digit is wrong");
  r.gtin = std::string(14 - gtin.size(), '0') + gtin;
  std::size_t serial_at = 3;
  if (seg.size() == 6) {
    if (seg[2] != "10" || seg[4] != "21")
      return bad("Digital Link qualifiers must come in the order /01/…/10/{lot}/21/{serial}");
    if (seg[3].empty() || seg[3].size() > 20) return bad("AI (10) lot must be 1 to 20 characters");
    r.lot = seg[3];
    serial_at = 5;
  } else if (seg[2] != "21") {
    return bad("Digital Link qualifiers must come in the order /01/…/10/{lot}/21/{serial}");
  }
  auto serial = normalize_serial(seg[serial_at]);
  if (!serial) return bad("AI (21) is not a trace code (13 characters of Crockford base32)");
  r.kind = RouteKind::scan;
  r.serial = *serial;
  return r;
}

}  // namespace

std::string_view Route::label() const {
  switch (kind) {
    case RouteKind::scan: return "scan";
    case RouteKind::certificate: return "certificate";
    case RouteKind::api_code: return "api_code";
    case RouteKind::api_lot: return "api_lot";
    case RouteKind::proof_inclusion: return "proof_inclusion";
    case RouteKind::proof_consistency: return "proof_consistency";
    case RouteKind::checkpoint: return "checkpoint";
    case RouteKind::healthz: return "healthz";
    case RouteKind::metrics: return "metrics";
    case RouteKind::robots: return "robots";
    case RouteKind::home: return "home";
    case RouteKind::not_found: return "not_found";
    case RouteKind::bad_request: return "bad_request";
    case RouteKind::too_long: return "too_long";
  }
  return "unknown";
}

std::optional<std::string> percent_decode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%') {
      if (i + 2 >= s.size()) return std::nullopt;
      int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  for (unsigned char c : out)
    if (c < 0x20 || c == 0x7F) return std::nullopt;
  if (!valid_utf8(out)) return std::nullopt;
  return out;
}

bool gtin_check_digit_ok(std::string_view d) {
  if (d.size() < 2) return false;
  int sum = 0;
  // Weights 3,1,3,1,… from the digit left of the check digit, going left.
  for (std::size_t k = 0; k + 1 < d.size(); ++k) {
    int digit = d[d.size() - 2 - k] - '0';
    sum += digit * (k % 2 == 0 ? 3 : 1);
  }
  return (10 - sum % 10) % 10 == d.back() - '0';
}

std::optional<std::string> normalize_serial(std::string_view s) {
  static constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  std::string out;
  for (char c : s) {
    if (c == '-') continue;
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c == 'I' || c == 'L') c = '1';
    if (c == 'O') c = '0';
    if (kAlphabet.find(c) == std::string_view::npos) return std::nullopt;
    out.push_back(c);
    if (out.size() > 13) return std::nullopt;
  }
  if (out.size() != 13) return std::nullopt;
  return out;
}

std::optional<std::uint64_t> parse_index(std::string_view s) {
  if (s.empty() || s.size() > 18 || s.find_first_not_of("0123456789") != std::string_view::npos)
    return std::nullopt;
  if (s.size() > 1 && s[0] == '0') return std::nullopt;
  std::uint64_t v = 0;
  for (char c : s) v = v * 10 + static_cast<std::uint64_t>(c - '0');
  return v;
}

Route route_target(std::string_view target) {
  Route r;
  if (target.size() > kMaxTargetBytes) {
    r.kind = RouteKind::too_long;
    return r;
  }
  if (target.empty() || target[0] != '/') return bad("the request target must start with /");
  std::size_t q = target.find('?');
  std::string_view path = target.substr(0, q);
  std::string_view query = q == std::string_view::npos ? std::string_view{} : target.substr(q + 1);
  if (path.find('#') != std::string_view::npos || query.find('#') != std::string_view::npos)
    return bad("a request target carries no fragment");

  if (!query.empty()) {
    for (std::string_view pair : split(query, '&')) {
      if (pair.empty()) continue;
      std::size_t eq = pair.find('=');
      auto key = percent_decode(pair.substr(0, eq), true);
      auto value = percent_decode(eq == std::string_view::npos ? "" : pair.substr(eq + 1), true);
      if (!key || !value) return bad("malformed percent-encoding in the query");
      r.query.emplace(std::move(*key), std::move(*value));
    }
  }

  std::vector<std::string> seg;
  auto raw = split(path.substr(1), '/');
  for (std::size_t i = 0; i < raw.size(); ++i) {
    // A single trailing slash ("/checkpoint/") is tolerated; empty inner segments are not.
    if (raw[i].empty() && i + 1 == raw.size() && i > 0) break;
    auto d = percent_decode(raw[i], false);
    if (!d) return bad("malformed percent-encoding in the path");
    if (*d == "." || *d == "..") return bad("dot segments are not allowed");
    if (raw[i].empty() && raw.size() > 1) return bad("empty path segment");
    seg.push_back(std::move(*d));
  }
  if (seg.size() == 1 && seg[0].empty()) {
    r.kind = RouteKind::home;
    return r;
  }

  const std::string& first = seg[0];
  if (first == "01") return route_digital_link(seg, std::move(r));
  if (first == "10" || first == "21" || first == "22")
    return bad("a Digital Link starts with the primary key /01/{GTIN}");
  if (first == "t" && seg.size() == 2) {
    auto serial = normalize_serial(seg[1]);
    if (!serial) return bad("not a trace code (13 characters of Crockford base32)");
    r.kind = RouteKind::scan;
    r.serial = *serial;
    return r;
  }
  if (first == "c" && seg.size() == 2) {
    if (seg[1].empty() || seg[1].size() > 64) return bad("a certificate number is 1 to 64 characters");
    r.kind = RouteKind::certificate;
    r.certificate = seg[1];
    return r;
  }
  if (seg.size() == 1) {
    if (first == "checkpoint") r.kind = RouteKind::checkpoint;
    else if (first == "healthz") r.kind = RouteKind::healthz;
    else if (first == "metrics") r.kind = RouteKind::metrics;
    else if (first == "robots.txt") r.kind = RouteKind::robots;
    return r;
  }
  if (first == "api" && seg.size() >= 3 && seg[1] == "v1") {
    if (seg.size() == 4 && seg[2] == "codes") {
      auto serial = normalize_serial(seg[3]);
      if (!serial) return bad("not a trace code (13 characters of Crockford base32)");
      r.kind = RouteKind::api_code;
      r.serial = *serial;
    } else if (seg.size() == 4 && seg[2] == "lots") {
      if (seg[3].empty() || seg[3].size() > 256) return bad("lot must be 1 to 256 bytes");
      r.kind = RouteKind::api_lot;
      r.lot = seg[3];
    } else if (seg.size() == 4 && seg[2] == "proof" && seg[3] == "inclusion") {
      r.kind = RouteKind::proof_inclusion;
    } else if (seg.size() == 4 && seg[2] == "proof" && seg[3] == "consistency") {
      r.kind = RouteKind::proof_consistency;
    }
  }
  return r;
}

}  // namespace agtrace::verifier
