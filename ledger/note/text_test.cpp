#include "ledger/note/text.h"

#include <doctest/doctest.h>

#include "ledger/util/error.h"

using namespace agtrace;
using namespace agtrace::note;

TEST_CASE("note characters: valid UTF-8, no control character but newline (signed-note §Format)") {
  CHECK_NOTHROW(check_note_chars("plain\nlines\n", "t"));
  CHECK_NOTHROW(check_note_chars("— 追溯 😀 \x7f\n", "t"));  // DEL is not below U+0020
  struct Case {
    std::string what;
    std::string_view text;
  };
  const Case bad[] = {
      {"NUL", std::string_view("a\0b", 3)},
      {"tab", "a\tb"},
      {"carriage return", "a\r\n"},
      {"escape", "\x1b[31m"},
      {"lone continuation byte", "\x80"},
      {"overlong slash", "\xc0\xaf"},
      {"overlong 3-byte", "\xe0\x80\xaf"},
      {"UTF-16 surrogate", "\xed\xa0\x80"},
      {"above U+10FFFF", "\xf4\x90\x80\x80"},
      {"truncated em dash", "\xe2\x80"},
      {"0xff", "\xff"},
  };
  for (const Case& c : bad) {
    CAPTURE(c.what);
    CHECK_THROWS_AS(check_note_chars(c.text, "t"), Error);
  }
  CHECK_THROWS_WITH(check_note_chars("ab\x01", "note text"),
                    doctest::Contains("note text: control character U+0001 at byte offset 2"));
}

TEST_CASE("key names: non-empty, no Unicode space, no '+' (signed-note §Format)") {
  for (std::string good : {"PeterNeumann", "example.com/log42", "产地.example/日志", "a-b_c~d"}) {
    CAPTURE(good);
    CHECK(key_name_problem(good).empty());
  }
  struct Case {
    std::string name;
    const char* reason;
  };
  const Case bad[] = {
      {"", "empty"},          {"a b", "U+0020"},
      {"a\tb", "U+0009"},     {"a\u00a0b", "U+00A0"},  // no-break space
      {"a\u2003b", "U+2003"},                          // em space
      {"a\u3000b", "U+3000"},                          // ideographic space
      {"a\u2028b", "U+2028"},                          // line separator
      {"a+b", "'+'"},         {"a\x01", "control"},
      {"a\x7f", "control"},   {"a\xff", "invalid UTF-8"},
  };
  for (const Case& c : bad) {
    CAPTURE(c.name);
    CHECK(key_name_problem(c.name).find(c.reason) != std::string::npos);
  }
}

TEST_CASE("decimals: ASCII digits, no leading zero, 64 bits (tlog-checkpoint §Note text)") {
  CHECK(parse_decimal_u64("0", "t") == 0);
  CHECK(parse_decimal_u64("20852163", "t") == 20852163);
  CHECK(parse_decimal_u64("18446744073709551615", "t") == 18446744073709551615u);
  for (std::string bad :
       {"", "00", "01", "+1", "-1", " 1", "1 ", "1e3", "0x10", "１", "18446744073709551616",
        "99999999999999999999", "100000000000000000000"}) {
    CAPTURE(bad);
    CHECK_THROWS_AS(parse_decimal_u64(bad, "t"), Error);
  }
  CHECK_THROWS_WITH(parse_decimal_u64("007", "tree size"),
                    doctest::Contains("tree size: '007' has a leading zero"));
}

TEST_CASE("printable escapes what must not reach a terminal and cuts long text") {
  CHECK(printable("ok — 好") == "ok — 好");
  CHECK(printable("a\x1b[2Jb\\") == "a\\x1b[2Jb\\\\");
  CHECK(printable("\xff\xe2\x80") == "\\xff\\xe2\\x80");
  CHECK(printable(std::string(100, 'x'), 10) == std::string(10, 'x') + "…");
}
