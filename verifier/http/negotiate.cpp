// Header-driven decisions: language, JSON, link previews, the rate-limit key.
#include "verifier/http/negotiate.h"

#include <algorithm>
#include <cctype>

namespace agtrace::verifier {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Calls f(item, q) for each "item;q=0.8" of a comma-separated header (RFC 9110 §12.4.2).
template <class F>
void for_each_weighted(std::string_view header, F f) {
  while (!header.empty()) {
    std::size_t comma = header.find(',');
    std::string_view part = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
    std::size_t semi = part.find(';');
    std::string item = lower(trim(part.substr(0, semi)));
    double q = 1.0;
    if (semi != std::string_view::npos) {
      std::string params = lower(part.substr(semi + 1));
      std::size_t at = params.find("q=");
      if (at != std::string::npos) {
        try {
          q = std::stod(params.substr(at + 2));
        } catch (...) {
          q = 0;
        }
      }
    }
    if (!item.empty()) f(item, q);
  }
}

}  // namespace

Lang choose_lang(std::optional<std::string_view> lang_param, std::string_view accept_language) {
  if (lang_param) {
    std::string p = lower(*lang_param);
    if (p.rfind("en", 0) == 0) return Lang::en;
    if (p.rfind("zh", 0) == 0) return Lang::zh;
  }
  double zh = -1, en = -1;
  for_each_weighted(accept_language, [&](const std::string& tag, double q) {
    if (tag.rfind("zh", 0) == 0) zh = std::max(zh, q);
    if (tag.rfind("en", 0) == 0) en = std::max(en, q);
  });
  // Chinese whenever the reader accepts it at all: the pages are written for Chinese readers
  // (DESIGN §5), and a phone set to English in China lists zh-CN after en-US.
  if (zh > 0) return Lang::zh;
  return en > 0 ? Lang::en : Lang::zh;
}

bool wants_json(std::string_view accept) {
  double json = -1, html = -1;
  for_each_weighted(accept, [&](const std::string& type, double q) {
    if (type == "application/json" || (type.size() > 5 && type.ends_with("+json"))) json = std::max(json, q);
    if (type == "text/html" || type == "application/xhtml+xml") html = std::max(html, q);
  });
  return json > 0 && json > html;
}

bool header_field_clean(std::string_view name, std::string_view value) {
  auto clean = [](std::string_view s, bool allow_tab) {
    for (unsigned char c : s)
      if ((c < 0x20 && !(allow_tab && c == '\t')) || c == 0x7f) return false;
    return true;
  };
  return clean(name, false) && clean(value, true);
}

bool is_preview_fetch(std::string_view user_agent, std::string_view purpose) {
  std::string p = lower(purpose);
  if (p.find("prefetch") != std::string::npos || p.find("preview") != std::string::npos) return true;
  static constexpr std::string_view kMarkers[] = {
      "bot",           "spider",   "crawl",     "slurp",    "preview",  "facebookexternalhit",
      "whatsapp",      "telegram", "discord",   "slack",    "skypeuri", "embedly",
      "bytespider",    "yisou",    "sogou",     "360spider", "headlesschrome-preview",
      "bitlybot",      "vkshare",  "pinterest", "quora link",
  };
  std::string ua = lower(user_agent);
  return std::any_of(std::begin(kMarkers), std::end(kMarkers),
                     [&](std::string_view m) { return ua.find(m) != std::string::npos; });
}

std::string client_key(std::string_view remote_addr, std::string_view x_forwarded_for,
                       std::string_view x_real_ip, const std::vector<std::string>& trusted) {
  auto is_trusted = [&](std::string_view a) {
    return std::find(trusted.begin(), trusted.end(), a) != trusted.end();
  };
  if (!is_trusted(remote_addr)) return std::string(remote_addr);
  std::string_view xff = trim(x_forwarded_for);
  while (!xff.empty()) {
    std::size_t comma = xff.rfind(',');
    std::string_view hop = trim(comma == std::string_view::npos ? xff : xff.substr(comma + 1));
    xff = comma == std::string_view::npos ? std::string_view{} : xff.substr(0, comma);
    if (hop.empty()) continue;
    if (!is_trusted(hop)) return std::string(hop.substr(0, 64));
  }
  std::string_view real = trim(x_real_ip);
  if (!real.empty()) return std::string(real.substr(0, 64));
  return std::string(remote_addr);
}

bool forwarded_https(std::string_view remote_addr, std::string_view x_forwarded_proto,
                     const std::vector<std::string>& trusted) {
  if (std::find(trusted.begin(), trusted.end(), remote_addr) == trusted.end()) return false;
  return lower(trim(x_forwarded_proto)) == "https";
}

bool wants_html(std::string_view accept) {
  double html = -1, text = -1;
  for_each_weighted(accept, [&](const std::string& type, double q) {
    if (type == "text/html" || type == "application/xhtml+xml") html = std::max(html, q);
    if (type == "text/plain") text = std::max(text, q);
  });
  return html > 0 && html > text;
}

}  // namespace agtrace::verifier
