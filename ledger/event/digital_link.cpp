// GS1 Digital Link URIs for trace codes: build and parse.
#include "ledger/event/digital_link.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "ledger/event/gtin.h"
#include "ledger/event/lot_code.h"
#include "ledger/util/error.h"

namespace agtrace {
namespace {

bool unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_';
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// A base URL taken apart: scheme and host in lower case (with any port), and its path.
struct UrlBase {
  std::string origin;  // "https://trace.example:8443"
  std::string path;    // "" or "/base"
};

UrlBase split_base(std::string_view url) {
  const std::size_t authority = url.find("://") + 3;
  const std::size_t slash = std::min(url.find('/', authority), url.size());
  std::string origin = ascii_lower(url.substr(0, slash));
  // A port stays as written (digits have no case).
  return {std::move(origin), std::string(url.substr(slash))};
}

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    parts.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return parts;
}

}  // namespace

std::string gs1_percent_encode(std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(value.size() + 8);
  for (unsigned char c : value) {
    if (unreserved(c)) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

std::string percent_decode(std::string_view value, std::string_view field) {
  std::string out;
  out.reserve(value.size());
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (value[i] != '%') {
      out.push_back(value[i]);
      continue;
    }
    int hi = i + 1 < value.size() ? hex_value(value[i + 1]) : -1;
    int lo = i + 2 < value.size() ? hex_value(value[i + 2]) : -1;
    if (hi < 0 || lo < 0) throw_bad_input(fmt::format("{} \"{}\": malformed %-escape at offset {}", field, value, i));
    out.push_back(static_cast<char>(hi << 4 | lo));
    i += 2;
  }
  return out;
}

std::string digital_link_uri(std::string_view base_url, std::string_view gtin14,
                             std::string_view lot_code, std::string_view serial) {
  if (gtin14.size() != 14 || normalize_gtin14(gtin14, "gtin") != gtin14)
    throw_bad_input(fmt::format("gtin \"{}\": need a GTIN-14", gtin14));
  if (!is_gs1_safe(lot_code))
    throw_bad_input(fmt::format("lot code \"{}\": AI (10) takes 1-20 characters of GS1's 82-character set",
                                lot_code));
  if (!is_gs1_safe(serial))
    throw_bad_input(fmt::format("serial \"{}\": AI (21) takes 1-20 characters of GS1's 82-character set",
                                serial));
  return fmt::format("{}/01/{}/10/{}/21/{}", base_url, gtin14, gs1_percent_encode(lot_code),
                     gs1_percent_encode(serial));
}

std::string short_trace_uri(std::string_view base_url, std::string_view serial) {
  return fmt::format("{}/t/{}", base_url, gs1_percent_encode(serial));
}

ParsedTraceUri parse_trace_uri(std::string_view uri) {
  const std::size_t scheme_end = uri.find("://");
  const std::string scheme = scheme_end == std::string_view::npos ? "" : ascii_lower(uri.substr(0, scheme_end));
  if (scheme != "https" && scheme != "http")
    throw_bad_input(fmt::format("URI \"{}\": a trace code URI starts with https://", uri));
  std::size_t path_start = uri.find('/', scheme_end + 3);
  if (path_start == std::string_view::npos || uri.find_first_of("?#") != std::string_view::npos)
    throw_bad_input(fmt::format("URI \"{}\": no path, or a query or fragment", uri));
  auto parts = split_path(uri.substr(path_start + 1));
  std::size_t n = parts.size();
  ParsedTraceUri out;
  auto base_len = [&](std::size_t tail) {
    std::size_t len = uri.size();
    for (std::size_t i = 0; i < tail; ++i) len -= parts[n - 1 - i].size() + 1;
    return len;
  };
  if (n >= 6 && parts[n - 6] == "01" && parts[n - 4] == "10" && parts[n - 2] == "21") {
    out.base_url = std::string(uri.substr(0, base_len(6)));
    out.gtin14 = normalize_gtin14(parts[n - 5], "AI (01)");
    if (parts[n - 5].size() != 14) throw_bad_input(fmt::format("AI (01) \"{}\": need 14 digits", parts[n - 5]));
    out.lot_code = percent_decode(parts[n - 3], "AI (10)");
    out.serial = percent_decode(parts[n - 1], "AI (21)");
    if (!is_gs1_safe(*out.lot_code)) throw_bad_input(fmt::format("AI (10) \"{}\": outside GS1's set", *out.lot_code));
  } else if (n >= 2 && parts[n - 2] == "t") {
    out.base_url = std::string(uri.substr(0, base_len(2)));
    out.serial = percent_decode(parts[n - 1], "serial");
  } else {
    throw_bad_input(fmt::format("URI \"{}\": neither /01/…/10/…/21/… nor /t/…", uri));
  }
  if (!is_gs1_safe(out.serial)) throw_bad_input(fmt::format("serial \"{}\": outside GS1's set", out.serial));
  return out;
}

std::string serial_from_scan(std::string_view given, std::string_view base_url, std::string_view field) {
  if (given.find("://") == std::string_view::npos) return std::string(given);
  ParsedTraceUri parsed;
  try {
    parsed = parse_trace_uri(given);
  } catch (const Error& e) {
    throw_bad_input(fmt::format(
        "{} {}: 不是追溯码网址 / not a trace-code URL ({}); give the serial, or a URL "
        "{}/01/{{GTIN}}/10/{{lot}}/21/{{serial}} or {}/t/{{serial}}",
        field, given, e.what(), base_url, base_url));
  }
  const UrlBase got = split_base(parsed.base_url);
  const UrlBase want = split_base(base_url);
  if (got.origin != want.origin || got.path != want.path)
    throw_bad_input(fmt::format(
        "{} {}: 标签网址是 {}{}，不是本账本的 {}{} / the label is of {}{}, not of this ledger's "
        "{}{} (its --base-url): it was not printed from this ledger; check the label, or give its serial",
        field, given, got.origin, got.path, want.origin, want.path, got.origin, got.path, want.origin,
        want.path));
  return parsed.serial;
}

}  // namespace agtrace
