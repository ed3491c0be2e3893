// Rules version 8 (docs/rules-versions.md "Version 8", docs/certificate.md "A spray recorded
// late"), from session 10's co-op / buyer / inspector trial of issue 14:
//   "A true spray recorded late cannot be recorded. An input_application whose time puts an
//   already-recorded harvest inside its 安全间隔期 is refused at append … The fact is true and must
//   be recordable (a clerk learns of it late; refusing it hides exactly the fact that should
//   invalidate certificates)."
// Version 7 keeps refusing it (a ledger of version 7 verifies as before); version 8 records it,
// and every certificate ticking 质量安全控制符合要求 over the harvest shows 已失效 naming the
// spray's entry, a new such certificate is refused, and a label job does not count one.
#include <doctest/doctest.h>

#include "ledger/append.h"
#include "ledger/certificates.h"
#include "ledger/event/rules_version.h"
#include "ledger/ledger.h"
#include "ledger/store/sqlite.h"
#include "ledger/testing/expect_error.h"
#include "ledger/testing/ledger_at_version.h"

using namespace agtrace;
using agtrace::testing::contains;
using agtrace::testing::LedgerAtVersion;
using Json = nlohmann::json;

namespace {

// 咪鲜胺 on planting P1 on 2022-09-28, 7 days: harvest from 2022-10-05 on, so H1 (harvested
// 2022-10-01, certified SDD-0001 on 质量安全控制符合要求 by LedgerAtVersion) was inside it.
Json late_spray() {
  return {{"type", "input_application"}, {"event_id", "spray-0928"}, {"event_time", "2022-09-28T08:00:00+08:00"},
          {"party", "SDD"}, {"location", "B1"}, {"lot", "P1"}, {"input_kind", "pesticide"},
          {"input_name", "咪鲜胺"}, {"registration_no", "PD20070001"}, {"pre_harvest_interval_days", 7}};
}

Json certificate(const std::string& number, const std::string& lot, const Json& quantity, const Json& bases,
                 const std::string& time) {
  return {{"type", "certificate_issued"}, {"event_id", "c-" + number}, {"event_time", time}, {"number", number},
          {"style", "producer"}, {"issuer", "SDD"}, {"lot", lot}, {"quantity", quantity}, {"product", "LCDC"},
          {"origin", "B1"}, {"bases", bases}};
}

const Json kQualityControl = Json::array({{{"basis", "quality_control"}}});

CertificateState state_of(const std::string& path, const std::string& number) {
  Ledger l(path, false);
  auto tx = sql::Transaction::snapshot(l.database());
  auto c = l.store().issued_certificate(number);
  REQUIRE(c);
  return certificate_state(l.store(), *c);
}

std::uint64_t entry_of(const std::string& path, const std::string& event_id) {
  Ledger l(path, false);
  auto found = l.store().event_entry(event_id);
  REQUIRE(found);
  return found->first;
}

}  // namespace

TEST_CASE("version 7: a spray recorded after a harvest inside its interval is refused; after upgrade it is recorded") {
  LedgerAtVersion L("late-spray-v7", kRulesV7);
  const std::string why = L.refused(late_spray());
  CHECK(contains(why, "field event_time"));
  CHECK(contains(why, "inside this application's pre-harvest interval"));
  CHECK(state_of(L.path, "SDD-0001").status == CertificateStatus::valid);
  {
    Ledger l(L.path, true);
    CHECK_NOTHROW(l.verify(std::nullopt));
    RulesUpgrade up = l.upgrade_rules(L.log_key, "version 8");
    REQUIRE(up.entry);
    CHECK(up.from == kRulesV7);
    CHECK(up.to == kCurrentRulesVersion);  // the newest: 8 or later
    CHECK_NOTHROW(l.verify(std::nullopt));  // the earlier entries are judged by version 7, as written
  }
  L.ok(late_spray());
  const auto s = state_of(L.path, "SDD-0001");
  CHECK(s.status == CertificateStatus::invalidated);
  CHECK(s.entry == entry_of(L.path, "spray-0928"));
  CHECK(Ledger(L.path, false).verify(std::nullopt).entries == L.size());
}

TEST_CASE("version 8: the late spray is recorded and invalidates the 质量安全控制符合要求 certificates over the harvest") {
  LedgerAtVersion L("late-spray-v8", kRulesV8);
  // A second pick H2 from P1, packed into 10 boxes BX2 with its own certificate, before the spray is known.
  L.ok_all({Json{{"type", "harvest"}, {"event_id", "h2"}, {"event_time", "2022-10-02T00:00:00+08:00"}, {"party", "SDD"},
                 {"location", "B1"}, {"lot", "H2"}, {"from_lot", "P1"}, {"quantity", {{"value", "50"}, {"unit", "KGM"}}}},
            Json{{"type", "packing"}, {"event_id", "pk2"}, {"event_time", "2022-10-02T10:00:00+08:00"}, {"party", "SDD"},
                 {"location", "B1"}, {"input_lot", "H2"}, {"input_quantity", {{"value", "50"}, {"unit", "KGM"}}},
                 {"lot", "BX2"}, {"count", 10}, {"pack_size", {{"value", "5"}, {"unit", "KGM"}}}},
            certificate("SDD-0002", "BX2", {{"value", "10"}, {"unit", "H87"}}, kQualityControl,
                        "2022-10-05T09:00:00+08:00")});
  REQUIRE(state_of(L.path, "SDD-0002").status == CertificateStatus::valid);
  LabelJob job{"labels_issued", "BX2", {"0000000000001"}, "SDD", "B1", "box", "file", ""};
  CHECK_NOTHROW(Ledger(L.path, true).check_label_job(job, L.clerk));

  L.ok(late_spray());  // version 7 refused this
  const auto spray = entry_of(L.path, "spray-0928");

  // Both certificates over P1's harvests are 已失效 from the spray's entry, naming it.
  for (const char* number : {"SDD-0001", "SDD-0002"}) {
    INFO(number);
    const auto s = state_of(L.path, number);
    CHECK(s.status == CertificateStatus::invalidated);
    CHECK(s.entry == spray);
    CHECK(s.event_id == "spray-0928");
    CHECK(contains(s.reason, "安全间隔期内用药"));
    CHECK(contains(s.reason, "第 " + std::to_string(spray) + " 条 spray-0928"));
    CHECK(contains(s.reason, "咪鲜胺"));
    // cert14h: the spray is before the certificate; it is 用药时间, not the time it became 已失效. The log
    // signs no time of recording, so the entry (after the certificate's) says when.
    CHECK(s.applied_at == "2022-09-28T08:00:00+08:00");
    CHECK(s.time.empty());
    // trust14h: the reason names the spray's entry; when it is the entry that made the breach, the
    // time says it once: "用药时间 T，在本证之后登记".
    CHECK(s.applied_entry == spray);
    CHECK(certificate_state_when_zh(s) == "用药时间 2022-09-28T08:00:00+08:00，在本证之后登记");
    CHECK(certificate_state_when_en(s) == "sprayed 2022-09-28T08:00:00+08:00, recorded after this certificate");
  }
  CHECK(contains(state_of(L.path, "SDD-0002").reason, "批次 H2 于 2022-10-02 采收"));

  // The register an inspector exports says so.
  {
    Ledger l(L.path, false);
    auto tx = sql::Transaction::snapshot(l.database());
    const std::string csv = certificate_register_csv(l.store(), std::nullopt, std::nullopt, "");
    CHECK(contains(csv, "SDD-0002"));
    CHECK(contains(csv, "已失效"));
    CHECK(contains(csv, "安全间隔期内用药（第 " + std::to_string(spray) + " 条 spray-0928"));
    // 状态时间: not the spray's time as if it were when the certificate became 已失效.
    CHECK(contains(csv, ",用药时间 2022-09-28T08:00:00+08:00，在本证之后登记,"));
  }

  // A new 质量安全控制符合要求 certificate over either harvest is refused, naming the basis and the spray.
  Json again = certificate("SDD-0003", "BX2", {{"value", "10"}, {"unit", "H87"}}, kQualityControl,
                           "2022-10-07T09:00:00+08:00");
  const std::string why = L.refused(again);
  CHECK(contains(why, "field bases[0].basis"));
  CHECK(contains(why, "spray-0928"));
  CHECK(contains(why, "lot \"H2\" was harvested on 2022-10-02"));
  CHECK(contains(why, "entry " + std::to_string(spray)));

  // The label job no longer finds a valid certificate for BX2, and says which one is 已失效 and why.
  try {
    Ledger(L.path, true).check_label_job(job, L.clerk);
    FAIL("label job accepted");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::bad_input);
    CHECK(contains(e.what(), "field lot"));
    CHECK(contains(e.what(), "SDD-0002 已失效"));
    CHECK(contains(e.what(), "spray-0928"));
  }

  // The clerk voids SDD-0001 and certifies H1 again on the laboratory's test, which covers the pesticide.
  L.ok_all({Json{{"type", "certificate_voided"}, {"event_id", "v-1"}, {"event_time", "2022-10-06T08:00:00+08:00"},
                 {"number", "SDD-0001"}, {"reason", "安全间隔期内采收，改按检测开具"}},
            Json{{"type", "inspection"}, {"event_id", "i-lab"}, {"event_time", "2022-10-06T09:00:00+08:00"},
                 {"party", "LAB"}, {"location", "B1"}, {"lots", {"H1"}}, {"report_no", "R-1006"}, {"result", "pass"},
                 {"items", {{{"name", "咪鲜胺"}, {"measured", "0.05"}, {"limit", "0.1"}, {"result", "pass"}}}}},
            certificate("SDD-0004", "H1", {{"value", "100"}, {"unit", "KGM"}},
                        Json::array({{{"basis", "commissioned_test"}, {"evidence", {"i-lab"}}}}),
                        "2022-10-07T10:00:00+08:00")});
  CHECK(state_of(L.path, "SDD-0004").status == CertificateStatus::valid);  // a test basis is judged on its own
  CHECK(state_of(L.path, "SDD-0001").status == CertificateStatus::voided);
  // verify replays every rule and derived row: the ledger with the breach is consistent.
  CHECK(Ledger(L.path, false).verify(std::nullopt).entries == L.size());
}
