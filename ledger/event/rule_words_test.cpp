// Words of the messages in each language (rule_words.h): times at the event's own offset,
// labelled (issue 16: "times in the event's own offset or Beijing time, labelled, never bare UTC
// beside local times"), and units in words.
#include "ledger/event/rule_words.h"

#include <doctest/doctest.h>

#include "ledger/util/error.h"

using namespace agtrace;
using i18n::Lang;

TEST_CASE("time_words: the local time as written, its offset named; seconds only when not zero") {
  CHECK(time_words("2026-09-25T08:00:00+08:00", Lang::zh) == "2026-09-25 08:00（北京时间 +08:00）");
  CHECK(time_words("2026-09-25T08:00:00+08:00", Lang::en) == "2026-09-25 08:00 (Beijing time, +08:00)");
  CHECK(time_words("2026-09-25T12:30:15+09:00", Lang::zh) == "2026-09-25 12:30:15（当地时间 UTC+09:00）");
  CHECK(time_words("2026-09-25T06:05:00.250-05:30", Lang::en) == "2026-09-25 06:05:00.250 (UTC-05:30)");
  CHECK(time_words("2026-09-25T00:00:00Z", Lang::zh) == "2026-09-25 00:00（UTC 世界时）");
  CHECK(time_words("2026-09-25T00:00:00-00:00", Lang::en) == "2026-09-25 00:00 (UTC)");
  CHECK_THROWS_AS(time_words("2026-09-25 08:00", Lang::zh), Error);
}

TEST_CASE("unit_code_words and role_words: what people say, not the codes") {
  CHECK(unit_code_words("KGM").zh == "公斤");
  CHECK(unit_code_words("KGM").en == "kg");
  CHECK(unit_code_words("TNE").zh == "吨");
  CHECK(unit_code_words("H87").zh == "件");
  CHECK(unit_code_words("XYZ").zh == "XYZ");
  CHECK(role_words("station").zh == "工作站");
  CHECK(role_words("clerk").en == "clerk");
}
