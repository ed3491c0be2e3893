// Trace codes: GTIN check digits (GS1 GenSpecs §7.9.1), serials (DESIGN §4), and GS1
// Digital Link URIs with percent-encoding (GS1 Digital Link §5.3).
#include <doctest/doctest.h>

#include <set>

#include "ledger/event/digital_link.h"
#include "ledger/event/gtin.h"
#include "labeler/code/serial.h"
#include "ledger/util/error.h"

using namespace agtrace;
using namespace agtrace::labeler;

TEST_CASE("GTIN check digits follow GS1's mod-10 rule") {
  // Published examples: GTIN-13 4006381333931 (GS1 check digit calculator), GTIN-12 036000291452.
  CHECK(gtin_check_digit("400638133393") == '1');
  CHECK(gtin_check_digit("03600029145") == '2');
  CHECK(normalize_gtin14("4006381333931", "gtin") == "04006381333931");
  CHECK(normalize_gtin14("036000291452", "gtin") == "00036000291452");
  CHECK(normalize_gtin14("96385074", "gtin") == "00000096385074");
}

TEST_CASE("a GTIN with a wrong check digit is refused as bad input, naming the right digit") {
  try {
    normalize_gtin14("06901234567893", "product gtin");
    FAIL("accepted");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::bad_input);
    CHECK(std::string(e.what()).find("gives 2") != std::string::npos);
  }
  CHECK_THROWS_AS(normalize_gtin14("123", "gtin"), Error);
  CHECK_THROWS_AS(normalize_gtin14("0690123456789X", "gtin"), Error);
}

TEST_CASE("serials: 13 Crockford characters, 64 random bits, distinct") {
  auto s = allocate_serials(10000);
  CHECK(s.size() == 10000);
  std::set<std::string> unique(s.begin(), s.end());
  CHECK(unique.size() == s.size());
  for (const auto& x : s) {
    REQUIRE(x.size() == kSerialChars);
    CHECK(is_serial(x));
  }
  // Every character position takes many values (a constant would mean a broken RNG).
  std::set<char> first;
  for (const auto& x : s) first.insert(x[0]);
  CHECK(first.size() == 32);
  std::set<char> last;
  for (const auto& x : s) last.insert(x.back());
  CHECK(last.size() == 16);  // 4 bits + a zero pad bit
}

TEST_CASE("serials as people type them are normalised") {
  CHECK(normalize_serial("abcd-efgh-0o1l0", "SERIAL") == "ABCDEFGH00110");
  CHECK_THROWS_AS(normalize_serial("ABCDEFGH0011U", "SERIAL"), Error);
  CHECK_THROWS_AS(normalize_serial("ABC", "SERIAL"), Error);
  CHECK_FALSE(is_serial("ABCDEFGH00111"));  // last character carries an odd pad bit
}

TEST_CASE("GS1 percent-encoding keeps unreserved characters and encodes the rest of the 82-set") {
  CHECK(gs1_percent_encode("AB-12._x") == "AB-12._x");
  CHECK(gs1_percent_encode("LC/2022") == "LC%2F2022");
  CHECK(gs1_percent_encode("50%") == "50%25");
  CHECK(gs1_percent_encode("!\"%&'()*+,/:;<=>?") ==
        "%21%22%25%26%27%28%29%2A%2B%2C%2F%3A%3B%3C%3D%3E%3F");
  CHECK(percent_decode("LC%2F2022%25", "x") == "LC/2022%");
  CHECK_THROWS_AS(percent_decode("%2", "x"), Error);
  CHECK_THROWS_AS(percent_decode("%G1", "x"), Error);
}

TEST_CASE("Digital Link URIs are built in lower-case https and parse back to the same parts") {
  std::string uri = digital_link_uri("https://trace.lucheng.example", "06901234567892", "LC/2022%A", "ABCDEFGH12340");
  CHECK(uri == "https://trace.lucheng.example/01/06901234567892/10/LC%2F2022%25A/21/ABCDEFGH12340");
  auto p = parse_trace_uri(uri);
  CHECK(p.base_url == "https://trace.lucheng.example");
  CHECK(*p.gtin14 == "06901234567892");
  CHECK(*p.lot_code == "LC/2022%A");
  CHECK(p.serial == "ABCDEFGH12340");

  auto s = parse_trace_uri(short_trace_uri("https://x.example/base", "ABCDEFGH12340"));
  CHECK(s.base_url == "https://x.example/base");
  CHECK_FALSE(s.gtin14);
  CHECK(s.serial == "ABCDEFGH12340");

  CHECK_THROWS_AS(digital_link_uri("https://x.example", "06901234567893", "A", "B"), Error);
  CHECK_THROWS_AS(digital_link_uri("https://x.example", "06901234567892", "批次 1", "B"), Error);
  CHECK_THROWS_AS(parse_trace_uri("ftp://x.example/t/ABC"), Error);
  CHECK_THROWS_AS(parse_trace_uri("x.example/t/ABC"), Error);
  // http (a base URL Ledger::create allows) and any case of the scheme (RFC 3986 §3.1) parse.
  CHECK(parse_trace_uri("HTTP://x.example/t/ABC").base_url == "HTTP://x.example");
  CHECK_THROWS_AS(parse_trace_uri("https://x.example/q/ABC"), Error);
}

// Found by fuzz/router_fuzz.cpp: the labeler built (and read back) Digital Links whose lot
// was the dot segment "." or "..", which a phone's browser removes from the path and the
// verifier refuses.
TEST_CASE("no Digital Link carries a dot segment as its lot or serial") {
  CHECK_THROWS_AS(digital_link_uri("https://x.example", "06901234567892", ".", "ABCDEFGH12340"), Error);
  CHECK_THROWS_AS(digital_link_uri("https://x.example", "06901234567892", "..", "ABCDEFGH12340"), Error);
  CHECK_THROWS_AS(parse_trace_uri("https://x.example/01/06901234567892/10/./21/ABCDEFGH12340"), Error);
  CHECK_THROWS_AS(parse_trace_uri("https://x.example/01/06901234567892/10/%2E%2E/21/ABCDEFGH12340"), Error);
  CHECK_THROWS_AS(parse_trace_uri("https://x.example/t/%2E"), Error);
  CHECK(parse_trace_uri("https://x.example/01/06901234567892/10/.../21/ABCDEFGH12340").lot_code == "...");
}
