// serial_from_scan (issue 12, "A scanned label is a serial"): what a handheld scanner types
// from a label — the full QR URL — names the same serial as the serial itself, when the
// URL is of this ledger's base URL (GS1 Digital Link 1.x; RFC 3986 §3.1 and §3.2.2 for case).
#include <doctest/doctest.h>

#include <string>

#include "ledger/event/digital_link.h"
#include "ledger/testing/expect_error.h"
#include "ledger/util/error.h"

using namespace agtrace;
using testing::bad_input_message;
using testing::contains;

namespace {
constexpr const char* kBase = "https://trace.lucheng.example";
constexpr const char* kSerial = "ABCDEFGH12340";
}  // namespace

TEST_CASE("a serial is itself; a Digital Link or /t/ URL of this ledger gives its serial") {
  CHECK(serial_from_scan(kSerial, kBase, "SERIAL") == kSerial);
  CHECK(serial_from_scan("abcd-efgh-1234-0", kBase, "SERIAL") == "abcd-efgh-1234-0");  // normalised later
  const std::string dl = digital_link_uri(kBase, "06901234567892", "LC/2022%A", kSerial);
  CHECK(contains(dl, "/10/LC%2F2022%25A/"));
  CHECK(serial_from_scan(dl, kBase, "SERIAL") == kSerial);
  CHECK(serial_from_scan(short_trace_uri(kBase, kSerial), kBase, "SERIAL") == kSerial);
  // A base URL with a path: the prefix must match as well.
  CHECK(serial_from_scan("https://x.example/base/t/ABCDEFGH12340", "https://x.example/base", "SERIAL") == kSerial);
}

TEST_CASE("scheme and host compare case-insensitively (RFC 3986), the path exactly") {
  CHECK(serial_from_scan("HTTPS://TRACE.Lucheng.EXAMPLE/t/ABCDEFGH12340", kBase, "SERIAL") == kSerial);
  CHECK(serial_from_scan("Https://trace.lucheng.example/01/06901234567892/10/A1/21/ABCDEFGH12340", kBase,
                         "SERIAL") == kSerial);
  const std::string msg = bad_input_message(
      [] { serial_from_scan("https://x.example/BASE/t/ABCDEFGH12340", "https://x.example/base", "SERIAL"); });
  CHECK(contains(msg, "https://x.example/BASE"));
  CHECK(contains(msg, "https://x.example/base"));
}

TEST_CASE("a URL of another host, scheme or port is refused naming it and the expected base") {
  std::string msg = bad_input_message(
      [] { serial_from_scan("https://fake-trace.example/t/ABCDEFGH12340", kBase, "SERIAL"); });
  CHECK(contains(msg, "SERIAL https://fake-trace.example/t/ABCDEFGH12340"));
  CHECK(contains(msg, "the label is of https://fake-trace.example, not of this ledger's https://trace.lucheng.example"));
  msg = bad_input_message([] { serial_from_scan("http://trace.lucheng.example/t/ABCDEFGH12340", kBase, "SERIAL"); });
  CHECK(contains(msg, "the label is of http://trace.lucheng.example,"));
  msg = bad_input_message([] { serial_from_scan("https://trace.lucheng.example:8443/t/ABCDEFGH12340", kBase, "S"); });
  CHECK(contains(msg, "https://trace.lucheng.example:8443"));
  // Not a trace-code URL at all.
  msg = bad_input_message([] { serial_from_scan("https://trace.lucheng.example/about", kBase, "SERIAL"); });
  CHECK(contains(msg, "not a trace-code URL"));
  CHECK(contains(msg, "https://trace.lucheng.example/t/{serial}"));
  msg = bad_input_message([] { serial_from_scan("ftp://trace.lucheng.example/t/ABCDEFGH12340", kBase, "SERIAL"); });
  CHECK(contains(msg, "not a trace-code URL"));
}
