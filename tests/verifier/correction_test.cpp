// The verifier shows corrected facts (issue 16 item 3; rules version 5): after a correction of
// the harvest LC22-0201 (time and quantity), the scan page and its JSON of a code packed from
// that harvest show the corrected time and quantity, say the record was corrected and why, and
// the harvest still counts (its date is the harvest date on the page) — answered from the
// verifier's own replay, which applies the correction exactly as the writer did.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "ledger/event/correction.h"
#include "ledger/time/timestamp.h"
#include "tests/verifier/fixture.h"

using namespace agtrace::test;

TEST_CASE("a correction of a harvest shows on the scan page and in its JSON, from the verifier's own replay") {
  TempDir dir{"verifier-correction"};
  LuchengLedger l = build_lucheng_ledger(dir.path, 4);
  const nlohmann::json fixed = {{"type", "harvest"},
                                {"event_id", "LC22-0201"},
                                {"event_time", "2022-10-08T06:30:00+08:00"},
                                {"party", "SDD"},
                                {"location", "140406-AN-P01"},
                                {"lot", "LC22-AN01-H1"},
                                {"from_lot", "LC22-AN01"},
                                {"product", "LCDC-CB"},
                                {"quantity", {{"value", "121000"}, {"unit", "KGM"}}}};
  auto correction = agtrace::correction_event(fixed, "地磅读数记错", agtrace::time::now_unix_ms(), std::nullopt, "LC22-0201-fix");
  append_events(l, correction.dump() + "\n", true);

  VerifierProcess server(l, dir.path / "scans.db");
  const std::string target = fmt::format("/01/{}/10/LC22-K-0001/21/{}", kGtin, l.codes[0]);
  RequestOptions json;
  json.headers["Accept"] = "application/json";
  auto r = http_request(server.port(), target, json);
  REQUIRE(r.status == 200);
  auto view = nlohmann::json::parse(r.body);
  nlohmann::json harvest;
  for (const auto& item : view["timeline"])
    if (item["event_id"] == "LC22-0201") harvest = item;
  REQUIRE(harvest.is_object());
  CHECK(harvest["event_time"] == "2022-10-08T06:30:00+08:00");
  CHECK(harvest["event"]["quantity"]["value"] == "121000");
  REQUIRE(harvest.contains("corrected"));
  CHECK(harvest["corrected"]["replaced"] == true);
  CHECK(harvest["corrected"]["reason"] == "地磅读数记错");

  auto page = http_request(server.port(), target);
  REQUIRE(page.status == 200);
  CHECK(page.body.find("此记录已更正") != std::string::npos);
  CHECK(page.body.find("地磅读数记错") != std::string::npos);
  CHECK(page.body.find("06:30") != std::string::npos);
  CHECK(page.body.find("2022-10-08") != std::string::npos);  // the harvest still dates the lot
}
