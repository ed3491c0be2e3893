// The issue-16 trials' shared season, runs and refusal check, judged with doctest.
#include "tests/support/trial.h"

#include <doctest/doctest.h>

namespace agtrace::testing {

bool has(const std::string& haystack, const std::string& needle) { return haystack.find(needle) != std::string::npos; }

ProcessResult run(const TestLedger& L, std::vector<std::string> args, const std::string& lang_env) {
  return L.cli(std::move(args), in_locale(lang_env));
}

std::uint64_t index_of(const TestLedger& L, const std::string& event_id) {
  for (const auto& row : L.log())
    if (row["event_id"] == event_id) return row["index"];
  FAIL("no entry " << event_id);
  return 0;
}

HarvestSeason::HarvestSeason(const std::vector<nlohmann::json>& more) {
  std::vector<nlohmann::json> events = {events::planting("plant-1", "PL-1", "2026-04-20T08:00:00+08:00"),
                                        events::harvest("H-1", "H-1", "PL-1", "2026-09-25T08:00:00+08:00", "1500")};
  events.insert(events.end(), more.begin(), more.end());
  REQUIRE(L.record(events).exited_with(0));
}

void csv_refused(const TestLedger& L, const std::filesystem::path& csv, const std::vector<std::string>& zh,
                 const std::vector<std::string>& en, const std::vector<std::string>& extra) {
  const auto before = L.file_bytes();
  auto r = L.import_csv(csv, extra);
  INFO(r.describe());
  CHECK(r.exited_with(2));
  for (const auto& w : zh) CHECK_MESSAGE(has(r.err, w), w);
  auto with_en = extra;
  with_en.insert(with_en.begin(), {"--lang", "en"});
  auto e = L.import_csv(csv, with_en);
  INFO(e.describe());
  CHECK(e.exited_with(2));
  for (const auto& w : en) CHECK_MESSAGE(has(e.err, w), w);
  CHECK_FALSE(has(e.err, "错误："));
  CHECK(L.file_bytes() == before);
}

}  // namespace agtrace::testing
