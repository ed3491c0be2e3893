#include "ledger/util/utf8.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace agtrace;

namespace {

std::vector<Utf8Char> chars(std::string_view s) {
  std::vector<Utf8Char> out;
  for (Utf8Char c : Utf8Chars(s)) out.push_back(c);
  return out;
}

}  // namespace

TEST_CASE("Utf8Chars gives each character's code point, bytes and place, one to four bytes long") {
  const std::string text = "A合\u2010\u200B\U0001F96C";  // A, 合, a hyphen, a zero-width space, 🥬
  auto c = chars(text);
  REQUIRE(c.size() == 5);
  CHECK(c[0].code_point == U'A');
  CHECK(c[0].bytes == "A");
  CHECK(c[1].code_point == U'合');
  CHECK(c[1].bytes == "合");
  CHECK(c[2].code_point == 0x2010);
  CHECK(c[3].code_point == 0x200B);
  CHECK(c[3].position == 4);
  CHECK(c[4].code_point == 0x1F96C);
  CHECK(c[4].bytes.size() == 4);
  CHECK(chars("").empty());
}

TEST_CASE("Utf8Chars never reads beyond the text: a cut sequence gives the bytes it has") {
  auto c = chars("a\xE5\x90");  // 合 cut after two of its three bytes
  REQUIRE(c.size() == 2);
  CHECK(c[1].bytes == "\xE5\x90");
  CHECK(c[1].position == 2);
  auto stray = chars("\x80z");  // a stray continuation byte takes the next byte with it
  REQUIRE(stray.size() == 1);
  CHECK(stray[0].bytes.size() == 2);
}
