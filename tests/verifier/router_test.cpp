// Routing on raw request targets, percent-decoding, GTIN check digits, serials, and the
// header decisions (language, JSON, link previews, rate-limit keys). Pure functions.
#include <doctest/doctest.h>

#include "verifier/http/negotiate.h"
#include "verifier/http/router.h"
#include "verifier/server/rate_limit.h"

using namespace agtrace::verifier;

TEST_CASE("Digital Link: /01/{gtin}/10/{lot}/21/{serial}, qualifiers in order") {
  auto r = route_target("/01/06901234567892/10/LC22-K-0001/21/0123456789ABC?lang=en");
  REQUIRE(r.kind == RouteKind::scan);
  CHECK(*r.gtin == "06901234567892");
  CHECK(*r.lot == "LC22-K-0001");
  CHECK(r.serial == "0123456789ABC");
  CHECK(r.query.at("lang") == "en");
  // Without a lot; GTIN-13 padded to 14.
  auto s = route_target("/01/6901234567892/21/0123456789ABC");
  REQUIRE(s.kind == RouteKind::scan);
  CHECK(*s.gtin == "06901234567892");
  CHECK_FALSE(s.lot);
  CHECK(route_target("/01/06901234567893/10/L/21/0123456789ABC").kind == RouteKind::bad_request);
  CHECK(route_target("/01/06901234567892/21/0123456789ABC/10/L").kind == RouteKind::bad_request);
  CHECK(route_target("/10/L/01/06901234567892/21/0123456789ABC").kind == RouteKind::bad_request);
  CHECK(route_target("/01/0690123456789X/10/L/21/0123456789ABC").kind == RouteKind::bad_request);
  CHECK(route_target("/01/06901234567892/10/L").kind == RouteKind::bad_request);
  CHECK(route_target("/01/06901234567892/10/L/21/TOO-SHORT").kind == RouteKind::bad_request);
}

TEST_CASE("an encoded / inside a lot stays inside the lot; other escapes decode per segment") {
  auto r = route_target("/01/06901234567892/10/LC%2F22-K-9/21/0123456789ABC");
  REQUIRE(r.kind == RouteKind::scan);
  CHECK(*r.lot == "LC/22-K-9");
  auto unencoded = route_target("/01/06901234567892/10/LC/22-K-9/21/0123456789ABC");
  CHECK(unencoded.kind == RouteKind::bad_request);
  auto lot = route_target("/api/v1/lots/%E5%BC%A0%E5%AE%B6%E6%B2%B3%20%E7%AC%AC1%E6%89%B9");
  REQUIRE(lot.kind == RouteKind::api_lot);
  CHECK(*lot.lot == "张家河 第1批");
  CHECK(*route_target("/api/v1/lots/A%25B").lot == "A%B");
  CHECK(*route_target("/api/v1/lots/A+B").lot == "A+B");  // '+' is a space only in queries
  CHECK(route_target("/api/v1/proof/inclusion?q=a+b%21").query.at("q") == "a b!");
}

TEST_CASE("dot segments, bad escapes, NUL and invalid UTF-8 are refused") {
  for (const char* t : {"/../etc/passwd", "/t/..", "/%2e%2e/x", "/api/v1/lots/%2E%2E", "/api/v1/lots/.",
                        "/t/%zz", "/t/%4", "/t/%00", "/api/v1/lots/%FF", "/api/v1/lots/%C0%AF", "//x",
                        "relative", "", "/t/x#frag"}) {
    INFO(t);
    CHECK(route_target(t).kind == RouteKind::bad_request);
  }
  CHECK(route_target("/api/v1/lots/..%2fetc").kind == RouteKind::api_lot);  // one segment, "../etc" as a lot name
}

TEST_CASE("header fields with NUL, CR, LF or DEL are unclean; HTAB in a value is fine") {
  CHECK(header_field_clean("Accept-Language", "zh-CN,zh;q=0.9\ten"));
  CHECK_FALSE(header_field_clean("X-A", std::string_view("a\0b", 3)));
  CHECK_FALSE(header_field_clean("X-A", "a\rb"));
  CHECK_FALSE(header_field_clean("X-A", "a\nb"));
  CHECK_FALSE(header_field_clean("X-A", "a\x7f"));
  CHECK_FALSE(header_field_clean("X\tA", "a"));
  CHECK(header_field_clean("User-Agent", "Mozilla/5.0 MicroMessenger/8.0 微信"));
}

TEST_CASE("other routes; unknown paths; overlong targets") {
  CHECK(route_target("/").kind == RouteKind::home);
  CHECK(route_target("/checkpoint").kind == RouteKind::checkpoint);
  CHECK(route_target("/checkpoint/").kind == RouteKind::checkpoint);
  CHECK(route_target("/healthz").kind == RouteKind::healthz);
  CHECK(route_target("/metrics").kind == RouteKind::metrics);
  CHECK(route_target("/robots.txt").kind == RouteKind::robots);
  auto inc = route_target("/api/v1/proof/inclusion?index=12");
  CHECK(inc.kind == RouteKind::proof_inclusion);
  CHECK(inc.query.at("index") == "12");
  CHECK(route_target("/api/v1/proof/consistency?old=1&new=2").kind == RouteKind::proof_consistency);
  CHECK(route_target("/api/v1/codes/0123456789abc").serial == "0123456789ABC");
  CHECK(route_target("/api/v2/codes/0123456789ABC").kind == RouteKind::not_found);
  CHECK(route_target("/favicon.ico").kind == RouteKind::not_found);
  CHECK(route_target("/t/" + std::string(kMaxTargetBytes, 'A')).kind == RouteKind::too_long);
  CHECK(route_target("/t/0123456789ABC").label() == "scan");
}

TEST_CASE("GTIN check digits (GS1 mod 10)") {
  CHECK(gtin_check_digit_ok("06901234567892"));
  CHECK(gtin_check_digit_ok("06901234567908"));
  CHECK(gtin_check_digit_ok("4006381333931"));   // GTIN-13
  CHECK(gtin_check_digit_ok("96385074"));        // GTIN-8
  CHECK_FALSE(gtin_check_digit_ok("06901234567891"));
  CHECK_FALSE(gtin_check_digit_ok("4006381333932"));
}

TEST_CASE("serials: Crockford base32, case-insensitive, I/L read as 1, O as 0, hyphens ignored") {
  CHECK(*normalize_serial("0123456789abc") == "0123456789ABC");
  CHECK(*normalize_serial("O123-4567-89ABC") == "0123456789ABC");
  CHECK(*normalize_serial("Il23456789ABC") == "1123456789ABC");
  CHECK_FALSE(normalize_serial("0123456789AB"));
  CHECK_FALSE(normalize_serial("0123456789ABCD"));
  CHECK_FALSE(normalize_serial("0123456789ABU"));
  CHECK_FALSE(normalize_serial("0123456789AB!"));
  CHECK(*parse_index("0") == 0);
  CHECK(*parse_index("12") == 12);
  CHECK_FALSE(parse_index("012"));
  CHECK_FALSE(parse_index("-1"));
  CHECK_FALSE(parse_index("1e3"));
  CHECK_FALSE(parse_index("9999999999999999999"));
}

TEST_CASE("language: ?lang wins, then Accept-Language q-values, Chinese by default") {
  CHECK(choose_lang(std::nullopt, "") == Lang::zh);
  CHECK(choose_lang(std::nullopt, "en-US,en;q=0.9") == Lang::en);
  CHECK(choose_lang(std::nullopt, "zh-CN,zh;q=0.9,en;q=0.8") == Lang::zh);
  CHECK(choose_lang(std::nullopt, "en;q=0.5,zh;q=0.8") == Lang::zh);
  CHECK(choose_lang(std::nullopt, "fr") == Lang::zh);
  // zh named anywhere (q > 0) wins over a higher English q; zh;q=0 means "not Chinese".
  CHECK(choose_lang(std::nullopt, "en-US,en;q=0.9,zh-CN;q=0.8") == Lang::zh);
  CHECK(choose_lang(std::nullopt, "en-GB,en;q=0.9,zh;q=0.3") == Lang::zh);
  CHECK(choose_lang(std::nullopt, "en-US,zh;q=0") == Lang::en);
  CHECK(choose_lang(std::nullopt, "en-US") == Lang::en);
  CHECK(choose_lang("en", "zh-CN") == Lang::en);
  CHECK(choose_lang("zh", "en") == Lang::zh);
}

TEST_CASE("JSON when asked for: browsers get HTML") {
  CHECK(wants_json("application/json"));
  CHECK(wants_json("application/ld+json"));
  CHECK_FALSE(wants_json("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"));
  CHECK_FALSE(wants_json("*/*"));
  CHECK_FALSE(wants_json(""));
  CHECK(wants_json("text/html;q=0.5, application/json"));
}

TEST_CASE("link previews and prefetches are not scans; WeChat's browser is") {
  CHECK(is_preview_fetch("facebookexternalhit/1.1", ""));
  CHECK(is_preview_fetch("Mozilla/5.0 (compatible; Googlebot/2.1)", ""));
  CHECK(is_preview_fetch("TelegramBot (like TwitterBot)", ""));
  CHECK(is_preview_fetch("WhatsApp/2.23", ""));
  CHECK(is_preview_fetch("Mozilla/5.0", "prefetch;prerender"));
  CHECK_FALSE(is_preview_fetch(
      "Mozilla/5.0 (Linux; Android 12) AppleWebKit/537.36 Chrome/107 Mobile Safari/537.36 MicroMessenger/8.0.33", ""));
  CHECK_FALSE(is_preview_fetch("Mozilla/5.0 (iPhone; CPU iPhone OS 16_0 like Mac OS X) AppleWebKit/605.1.15", ""));
}

TEST_CASE("rate-limit key: the socket address, forwarded headers from trusted proxies only") {
  std::vector<std::string> trusted = {"127.0.0.1"};
  CHECK(client_key("10.1.2.3", "1.2.3.4", "5.6.7.8", trusted) == "10.1.2.3");
  CHECK(client_key("127.0.0.1", "1.2.3.4", "", trusted) == "1.2.3.4");
  CHECK(client_key("127.0.0.1", "6.6.6.6, 1.2.3.4", "", trusted) == "1.2.3.4");  // right-most untrusted hop
  CHECK(client_key("127.0.0.1", "1.2.3.4, 127.0.0.1", "", trusted) == "1.2.3.4");
  CHECK(client_key("127.0.0.1", "", "5.6.7.8", trusted) == "5.6.7.8");
  CHECK(client_key("127.0.0.1", "", "", trusted) == "127.0.0.1");
  CHECK(client_key("127.0.0.1", "1.2.3.4", "", {}) == "127.0.0.1");
}

TEST_CASE("token bucket: burst, refill, separate clients; --rate-limit parsing") {
  RateLimiter off(0, 0);
  CHECK(off.allow("a", 0));
  RateLimiter rl(2, 2);
  std::int64_t t = 1'000'000'000;
  CHECK(rl.allow("a", t));
  CHECK(rl.allow("a", t));
  CHECK_FALSE(rl.allow("a", t));
  CHECK(rl.allow("b", t));
  CHECK(rl.allow("a", t + 500'000'000));  // one token after half a second at 2/s
  CHECK_FALSE(rl.allow("a", t + 500'000'000));
  CHECK(parse_rate("20/s") == 20);
  CHECK(parse_rate("0") == 0);
  CHECK(parse_rate("0.5/s") == 0.5);
  CHECK_THROWS(parse_rate("fast"));
  CHECK_THROWS(parse_rate("-1/s"));
  CHECK_THROWS(parse_rate("10/m"));
}

TEST_CASE("/c/{number}: a certificate page; the number decoded, 1 to 64 bytes") {
  auto r = route_target("/c/LC-2022-0001?lang=en");
  CHECK(r.kind == RouteKind::certificate);
  CHECK(r.certificate == "LC-2022-0001");
  CHECK(r.label() == "certificate");
  CHECK(route_target("/c/%E7%BA%B8-001").certificate == "纸-001");
  CHECK(route_target("/c/" + std::string(65, 'A')).kind == RouteKind::bad_request);
  CHECK(route_target("/c/LC-1/x").kind == RouteKind::not_found);
  CHECK(route_target("/c/..").kind == RouteKind::bad_request);
}
