#include "ledger/util/printable.h"

#include <doctest/doctest.h>

using namespace agtrace;

TEST_CASE("escape_controls writes C0, DEL and C1 controls as \\u00XX and keeps everything else") {
  CHECK(escape_controls("\x1b[2J葱") == "\\u001b[2J葱");
  CHECK(escape_controls("a\nb\tc\r") == "a\\u000ab\\u0009c\\u000d");
  CHECK(escape_controls("x\x7fy") == "x\\u007fy");
  CHECK(escape_controls("\xC2\x9B" "31m") == "\\u009b31m");  // CSI as a C1 control
  CHECK(escape_controls("潞城大葱 LC22-0201 \\ é") == "潞城大葱 LC22-0201 \\ é");  // é is C3 A9
  CHECK(escape_controls("\xC2\xA0") == "\xC2\xA0");                              // NBSP is no control
  CHECK(escape_controls("a\x1b[0m\nb\r\n", true) == "a\\u001b[0m\nb\\u000d\n");        // a report's lines stay
}

TEST_CASE("has_control_chars finds C0, DEL and C1 controls only") {
  CHECK(has_control_chars("a\x1b"));
  CHECK(has_control_chars("a\nb"));
  CHECK(has_control_chars("\x7f"));
  CHECK(has_control_chars("\xC2\x85"));
  CHECK_FALSE(has_control_chars("潞城大葱 1500 千克"));
  CHECK_FALSE(has_control_chars("\xC2\xA0\xE3\x80\x80"));
}
