// Rules version 7 (docs/rules-versions.md "Version 7", docs/certificate.md "Paper certificates
// cover their produce") and the messages of session 9's certificate trial (issue 14):
//   "A buyer can issue a 样式一 (producer style) certificate in its own name for a lot that arrived
//   with a grower's paper certificate … a buyer who re-sells it must issue 样式二 listing the paper
//   certificate." — refused from version 7 naming `style`, with the parents to list; a ledger of
//   version 6 that holds such a certificate keeps verifying, and after `upgrade` the same append is
//   refused.
//   "Certificate numbers that differ only in letter case … In rules v7 refuse a number equal,
//   case-insensitively, to an existing one (issued or received), naming both."
//   A paper certificate's number is typed by a clerk and must be matchable: from version 7 no
//   full-width forms, spaces or the 已收取合格证 column's separators; Chinese characters stay.
//   "Forged paper certificates in the name of an issuer that issues in this ledger": from version 7
//   a certificate_received whose number is a certificate issued here, or whose issuer issues here,
//   is refused (it is no paper, or not genuine), and an issuer does not issue a number a buyer
//   recorded first as its paper; version 6 accepted all three.
//   "A re-issue's parent changes on the inspector's page": a parent resolves to the certificate it
//   named when the re-issue was appended, never to one issued later under the same number.
//   The 产地 hint names the nearest location above all of a lot's origins; lists in messages are
//   Chinese text (「A」、「B」), never JSON.
// Every refusal leaves the ledger as it was, in Chinese and in English.
#include <doctest/doctest.h>

#include "ledger/append.h"
#include "ledger/certificates.h"
#include "ledger/event/certificate_rules.h"
#include "ledger/event/rules_version.h"
#include "ledger/i18n/refusal.h"
#include "ledger/ledger.h"
#include "ledger/store/sqlite.h"
#include "ledger/testing/expect_error.h"
#include "ledger/testing/ledger_at_version.h"

using namespace agtrace;
using agtrace::testing::contains;
using agtrace::testing::LedgerAtVersion;
using Json = nlohmann::json;

namespace {

// The area AREA above the grower's village HS and the co-op's base B1 (B1 recorded again with
// its parent: master data, the latest record counts).
std::vector<Json> villages() {
  auto loc = [](const std::string& id, const std::string& name, const std::string& parent) {
    Json l = {{"type", "location"}, {"event_id", "l-" + id}, {"event_time", "2022-01-02T00:00:00Z"},
              {"location_id", id}, {"name", name}, {"kind", "base"}, {"owner", "SDD"}};
    if (!parent.empty()) l["parent"] = parent;
    return l;
  };
  return {loc("AREA", "店上镇大葱产区", ""), loc("HS", "合室村", "AREA"), loc("B1", "基地", "AREA")};
}

// XAX's paper certificate `number` for 2000 kg of `lot`, written at 合室村, collected by BUY.
Json paper(const std::string& lot, const std::string& id, const std::string& number,
           const std::string& issuer = "XAX") {
  return {{"type", "certificate_received"}, {"event_id", id}, {"event_time", "2022-10-06T07:00:00+08:00"},
          {"party", "BUY"}, {"number", number}, {"issuer", issuer}, {"issued_on", "2022-10-05"},
          {"lot", lot}, {"quantity", {{"value", "2000"}, {"unit", "KGM"}}}, {"product", "LCDC"}, {"origin", "HS"}};
}

// A grower outside the system (a party, nothing else).
Json grower(const std::string& id) {
  return {{"type", "party"}, {"event_id", "p-" + id}, {"event_time", "2022-01-01T00:00:00Z"},
          {"party_id", id}, {"name", "种植户" + id}, {"role", "producer"}};
}

// BUY merges the co-op's H1 (100 kg, certified SDD-0001) with the bought-in lot into MIX-1.
Json mix() {
  return {{"type", "transformation"}, {"event_id", "mix"}, {"event_time", "2022-10-06T09:00:00+08:00"},
          {"party", "BUY"}, {"location", "B1"}, {"kind", "merge"},
          {"inputs", {{{"lot", "H1"}, {"quantity", {{"value", "100"}, {"unit", "KGM"}}}},
                      {{"lot", "XAX-1006"}, {"quantity", {{"value", "2000"}, {"unit", "KGM"}}}}}},
          {"outputs", {{{"lot", "MIX-1"}, {"quantity", {{"value", "2100"}, {"unit", "KGM"}}}}}}};
}

Json lab_test(const std::string& id, const std::string& lot, const std::string& time) {
  return {{"type", "inspection"}, {"event_id", id}, {"event_time", time}, {"party", "LAB"}, {"location", "B1"},
          {"lots", {lot}}, {"report_no", "R-" + id}, {"result", "pass"},
          {"items", {{{"name", "毒死蜱"}, {"measured", "0.01"}, {"limit", "0.02"}, {"result", "pass"}}}}};
}

// A certificate of `kg` of `lot` by `issuer` resting on the laboratory's test `evidence`.
Json certificate(const std::string& number, const std::string& style, const std::string& lot, const std::string& kg,
                 const std::string& evidence, const std::string& issuer = "BUY") {
  Json c = {{"type", "certificate_issued"}, {"event_id", "c-" + number}, {"event_time", "2022-10-07T10:00:00+08:00"},
            {"number", number}, {"style", style}, {"issuer", issuer}, {"lot", lot},
            {"quantity", {{"value", kg}, {"unit", "KGM"}}}, {"product", "LCDC"}, {"origin", "AREA"},
            {"bases", {{{"basis", "commissioned_test"}, {"evidence", {evidence}}}}}};
  if (style == "buyer") c["parents"] = {{{"issuer", "SDD"}, {"number", "SDD-0001"}}, {{"issuer", "XAX"}, {"number", "纸-001"}}};
  return c;
}

// The refusal of `e` in Chinese, then in English; checks that nothing was written.
std::string both(LedgerAtVersion& L, const Json& e) {
  const auto before = L.size();
  std::string out;
  for (auto lang : {i18n::Lang::zh, i18n::Lang::en}) {
    try {
      PreparedEvent p = prepare_event(e, "test");
      p.lang = lang;
      Ledger l(L.path, true);
      l.append({p}, L.clerk, {});
      FAIL("accepted: " << e.dump());
    } catch (const i18n::Refusal& r) {
      out += r.text(lang) + "\n";
    } catch (const Error& err) {  // append's refusal, in the language asked for
      CHECK(err.kind() == ErrorKind::bad_input);
      out += std::string(err.what()) + "\n";
    }
  }
  CHECK(L.size() == before);
  return out;
}

// A ledger at `version` with the paper certificate 纸-001 collected, the mix and its lab test.
void bought_and_mixed(LedgerAtVersion& L) {
  L.ok_all(villages());
  L.ok(paper("XAX-1006", "recv-1", "纸-001"));
  L.ok(mix());
  L.ok(lab_test("I-LAB-MIX", "MIX-1", "2022-10-07T07:30:00+08:00"));
}

}  // namespace

TEST_CASE("version 6: a buyer's 样式一 over a mix holding a grower's paper-covered produce was accepted; it keeps "
          "verifying after upgrade, and version 7 refuses the same append naming style") {
  LedgerAtVersion L("paper-style", kRulesV6);
  bought_and_mixed(L);
  // Version 6 counted only certificates issued in the ledger: the 2000 kg of the paper looked uncovered.
  L.ok(certificate("BUY-0001", "producer", "MIX-1", "2000", "I-LAB-MIX"));
  {
    Ledger l(L.path, true);
    CHECK_NOTHROW(l.verify(std::nullopt));
    RulesUpgrade up = l.upgrade_rules(L.log_key, "version 7");
    REQUIRE(up.entry);
    CHECK(up.to == kCurrentRulesVersion);
    CHECK_NOTHROW(l.verify(std::nullopt));  // the old certificate is judged by version 6, as written
  }
  L.ok(Json{{"type", "certificate_voided"}, {"event_id", "v-1"}, {"event_time", "2022-10-07T11:00:00+08:00"},
            {"number", "BUY-0001"}, {"reason", "应按样式二开具"}});
  Json again = certificate("BUY-0002", "producer", "MIX-1", "2000", "I-LAB-MIX");
  again["event_time"] = "2022-10-07T12:00:00+08:00";
  const std::string why = both(L, again);
  CHECK(contains(why, "field style: 批次「MIX-1」里有随「XAX」的纸质合格证 纸-001 收取的产品"));
  CHECK(contains(why, "请按样式二开具，列出 SDD*SDD-0001;XAX*纸-001（填在已收取合格证一栏）"));
  CHECK(contains(why, "field style: lot \"MIX-1\" holds produce collected with the paper certificate 纸-001 of \"XAX\""));
  // Any quantity: the mix is one batch, and a producer's promise covers only its own produce.
  again["quantity"]["value"] = "1";
  CHECK(contains(both(L, again), "field style: "));
  // The 样式二 the message asks for is accepted.
  Json reissue = certificate("BUY-0002", "buyer", "MIX-1", "2100", "I-LAB-MIX");
  reissue["event_time"] = "2022-10-07T12:00:00+08:00";
  L.ok(reissue);
  CHECK_NOTHROW(Ledger(L.path, false).verify(std::nullopt));
}

TEST_CASE("version 7: which lots a paper certificate covers — the lot it came with and produce moved out of its "
          "covered part; the paper's own issuer is held to the quantity, not the style") {
  LedgerAtVersion L("paper-covers", kRulesV7);
  L.ok_all(villages());
  L.ok(paper("XAX-1006", "recv-1", "纸-001"));
  L.ok(lab_test("I-LAB-X", "XAX-1006", "2022-10-06T08:00:00+08:00"));
  // The received lot itself, as it is (no mixing, no repacking).
  CHECK(contains(both(L, certificate("BUY-0001", "producer", "XAX-1006", "100", "I-LAB-X")),
                 "field style: 批次「XAX-1006」里有随「XAX」的纸质合格证 纸-001 收取的产品"));
  // The grower that wrote the paper is not told to re-issue; its paper already covers all 2000 kg.
  const std::string own = both(L, certificate("XAX-0001", "producer", "XAX-1006", "100", "I-LAB-X", "XAX"));
  CHECK(contains(own, "field quantity: "));
  CHECK_FALSE(contains(own, "field style"));
  // Repacked: 500 kg of it in boxes arrive covered.
  L.ok(Json{{"type", "transformation"}, {"event_id", "split"}, {"event_time", "2022-10-06T09:00:00+08:00"},
            {"party", "BUY"}, {"location", "B1"}, {"kind", "split"},
            {"inputs", {{{"lot", "XAX-1006"}, {"quantity", {{"value", "500"}, {"unit", "KGM"}}}}}},
            {"outputs", {{{"lot", "XAX-1006-A"}, {"quantity", {{"value", "500"}, {"unit", "KGM"}}}}}}});
  L.ok(lab_test("I-LAB-A", "XAX-1006-A", "2022-10-06T10:00:00+08:00"));
  CHECK(contains(both(L, certificate("BUY-0001", "producer", "XAX-1006-A", "500", "I-LAB-A")),
                 "请按样式二开具，列出 XAX*纸-001"));
  // Another grower's paper of the same number is another certificate (as before), and its lot is covered too.
  L.ok(grower("YYG"));
  L.ok(paper("YY-1006", "recv-2", "纸-001", "YYG"));
  L.ok(lab_test("I-LAB-Y", "YY-1006", "2022-10-06T10:00:00+08:00"));
  CHECK(contains(both(L, certificate("BUY-0001", "producer", "YY-1006", "10", "I-LAB-Y")), "列出 YYG*纸-001"));
  // The co-op's own harvest H1, certified by itself and never bought in, is judged as before (its
  // 100 kg are covered by SDD-0001, so a second 样式一 is refused on quantity, not on style).
  const std::string h1 = both(L, certificate("SDD-0002", "producer", "H1", "10", "I-LAB-X", "SDD"));
  CHECK(contains(h1, "field quantity: "));
  CHECK_NOTHROW(Ledger(L.path, false).verify(std::nullopt));
}

TEST_CASE("version 7: a certificate number equal to an earlier one but for letter case is refused, naming both; "
          "version 6 accepted it") {
  LedgerAtVersion L6("case-v6", kRulesV6);
  L6.ok_all(villages());
  L6.ok(paper("XAX-1006", "recv-1", "sdd-0001"));  // SDD-0001 is the co-op's issued certificate
  CHECK_NOTHROW(Ledger(L6.path, false).verify(std::nullopt));

  LedgerAtVersion L("case-v7", kRulesV7);
  L.ok_all(villages());
  // Two papers of one grower whose numbers differ only in case.
  L.ok(paper("XAX-1005", "recv-0", "xax-2022-012"));
  const std::string received = both(L, paper("XAX-1006", "recv-1", "XAX-2022-012"));
  CHECK(contains(received, "field number: 合格证编号 XAX-2022-012 与「XAX」的纸质合格证（已收取） xax-2022-012（第 "));
  CHECK(contains(received, "只有字母大小写不同"));
  CHECK(contains(received, "differs from the collected paper certificate of \"XAX\" xax-2022-012 (entry "));
  L.ok(paper("XAX-1006", "recv-1", "XAX-2022-0012"));
  L.ok(lab_test("I-LAB-X", "XAX-1006", "2022-10-06T08:00:00+08:00"));
  // An issued number against a received one (the paper's number, typed in another case).
  Json issued = certificate("xax-2022-0012", "buyer", "XAX-1006", "2000", "I-LAB-X");
  issued["parents"] = {{{"issuer", "XAX"}, {"number", "XAX-2022-0012"}}};
  const std::string why = both(L, issued);
  CHECK(contains(why, "field number: 合格证编号 xax-2022-0012 与「XAX」的纸质合格证（已收取） XAX-2022-0012"));
  CHECK(contains(why, "the collected paper certificate of \"XAX\" XAX-2022-0012"));
  // The same number from another grower outside the ledger stays allowed (several growers may use one number).
  L.ok(grower("YYG"));
  Json same = paper("YY-1006", "recv-2", "XAX-2022-0012", "YYG");
  L.ok(same);
  CHECK_NOTHROW(Ledger(L.path, false).verify(std::nullopt));
}

TEST_CASE("version 7: a paper certificate's number is typed to be matched — Chinese characters as printed, no "
          "full-width forms, spaces or list separators") {
  LedgerAtVersion L6("typed-v6", kRulesV6);
  L6.ok_all(villages());
  L6.ok(paper("XAX-1006", "recv-1", "合室－２０２６－118"));  // version 6 took it as typed

  LedgerAtVersion L("typed-v7", kRulesV7);
  L.ok_all(villages());
  const std::string wide = both(L, paper("XAX-1006", "recv-1", "合室－２０２６－118"));
  CHECK(contains(wide, "field number: 合格证编号「合室－２０２６－118」里有全角字符"));
  CHECK(contains(wide, "请照纸面用半角字母数字填写：合室-2026-118"));
  CHECK(contains(wide, "type it with half-width letters and digits: 合室-2026-118"));
  CHECK(contains(both(L, paper("XAX-1006", "recv-1", "合室 2026")), "里有空格，"));
  CHECK(contains(both(L, paper("XAX-1006", "recv-1", "A*118")), "：A-118"));
  CHECK(contains(both(L, paper("XAX-1006", "recv-1", "A;118")), "（已收取合格证一栏的分隔符）"));
  L.ok(paper("XAX-1006", "recv-1", "合室-2026-118"));
  CHECK_NOTHROW(Ledger(L.path, false).verify(std::nullopt));
}

namespace {

Json place(const std::string& id, const std::string& name, const std::string& kind, const std::string& parent) {
  Json l = {{"type", "location"}, {"event_id", "l-" + id}, {"event_time", "2022-01-02T00:00:00Z"},
            {"location_id", id}, {"name", name}, {"kind", kind}, {"owner", "SDD"}};
  if (!parent.empty()) l["parent"] = parent;
  return l;
}

// The co-op's planting and harvest of `kg` at `plot`: lots P-`id` and H-`id`.
std::vector<Json> grown(const std::string& id, const std::string& plot, const std::string& kg) {
  return {Json{{"type", "planting"}, {"event_id", "pl-" + id}, {"event_time", "2022-04-01T00:00:00+08:00"},
               {"party", "SDD"}, {"location", plot}, {"lot", "P-" + id}, {"product", "LCDC"}, {"area_mu", "1"}},
          Json{{"type", "harvest"}, {"event_id", "h-" + id}, {"event_time", "2022-10-01T00:00:00+08:00"},
               {"party", "SDD"}, {"location", plot}, {"lot", "H-" + id}, {"from_lot", "P-" + id},
               {"quantity", {{"value", kg}, {"unit", "KGM"}}}}};
}

Json merge(const std::string& id, const std::vector<std::string>& lots, const std::string& out) {
  Json inputs = Json::array();
  for (const auto& l : lots) inputs.push_back({{"lot", l}, {"quantity", {{"value", "10"}, {"unit", "KGM"}}}});
  return {{"type", "transformation"}, {"event_id", id}, {"event_time", "2022-10-02T00:00:00+08:00"},
          {"party", "SDD"}, {"location", "B1"}, {"kind", "merge"}, {"inputs", inputs},
          {"outputs", {{{"lot", out}, {"quantity", {{"value", std::to_string(10 * lots.size())}, {"unit", "KGM"}}}}}}};
}

}  // namespace

TEST_CASE("the 产地 hint names the nearest location above all of a lot's origins (their lowest common ancestor)") {
  LedgerAtVersion L("origin-lca", kRulesV7);
  // 店上镇 TOWN above the villages 熬脑村 AN and 张家河村 ZJH, each with a plot.
  L.ok_all({place("TOWN", "店上镇", "base", ""), place("AN", "熬脑村", "base", "TOWN"),
            place("ZJH", "张家河村", "base", "TOWN"), place("AN-P1", "熬脑村1号地块", "plot", "AN"),
            place("ZJH-P1", "张家河1号地块", "plot", "ZJH")});
  auto a = grown("A", "AN-P1", "100"), z = grown("Z", "ZJH-P1", "100");
  L.ok_all({a[0], a[1], z[0], z[1], merge("m-1", {"H-A", "H-Z"}, "MIX-AZ"), merge("m-2", {"H-A", "H1"}, "MIX-AB")});
  auto qc = [](const std::string& number, const std::string& lot, const std::string& origin) {
    return Json{{"type", "certificate_issued"}, {"event_id", "c-" + number}, {"event_time", "2022-10-07T10:00:00+08:00"},
                {"number", number}, {"style", "producer"}, {"issuer", "SDD"}, {"lot", lot},
                {"quantity", {{"value", "10"}, {"unit", "KGM"}}}, {"product", "LCDC"}, {"origin", origin},
                {"bases", {{{"basis", "quality_control"}}}}};
  };
  // The plot of one village for a mix of two: the hint names 店上镇, above both, not a parent of one plot.
  const std::string why = both(L, qc("SDD-0101", "MIX-AZ", "AN-P1"));
  CHECK(contains(why, "field origin: 产地「AN-P1」不是批次「MIX-AZ」的种植地：它来自批次「H-Z」，种在「ZJH-P1」（张家河1号地块）"));
  CHECK(contains(why, "这个批次的产地有「AN-P1（熬脑村1号地块）」、「ZJH-P1（张家河1号地块）」，同时覆盖它们的最近地点是「TOWN」（店上镇）：产地请写「TOWN」"));
  CHECK(contains(why, "the nearest location above all of them is \"TOWN\" (店上镇): name \"TOWN\""));
  // A village is not above the other village's plot either; the hint is the same.
  CHECK(contains(both(L, qc("SDD-0101", "MIX-AZ", "AN")), "产地请写「TOWN」"));
  // One origin: that place or a location above it, as before.
  CHECK(contains(both(L, qc("SDD-0101", "H-Z", "AN-P1")), "产地请写「ZJH-P1」或它的上级地点「ZJH」「TOWN」"));
  // No recorded location above both (B1 has no parent here): record an area first.
  CHECK(contains(both(L, qc("SDD-0101", "MIX-AB", "AN-P1")), "记录里没有一个地点同时在它们之上"));
  L.ok(qc("SDD-0101", "MIX-AZ", "TOWN"));
}

TEST_CASE("a list in a refusal is Chinese text, never JSON: an inspection of other lots named as evidence") {
  LedgerAtVersion L("lists", kRulesV7);
  L.ok_all(villages());
  L.ok_all(grown("A", "B1", "100"));
  L.ok(paper("XAX-1006", "recv-1", "纸-001"));
  L.ok(lab_test("I-LAB-X", "XAX-1006", "2022-10-06T08:00:00+08:00"));
  Json c = certificate("SDD-0002", "producer", "H-A", "1", "I-LAB-X", "SDD");
  c["origin"] = "B1";
  const std::string why = both(L, c);
  CHECK(contains(why, "检测「I-LAB-X」检的是批次「XAX-1006」，不是批次「H-A」"));
  CHECK(contains(why, "inspection \"I-LAB-X\" is of lots \"XAX-1006\", none of which"));
  CHECK_FALSE(contains(why, "[\""));
}

namespace {

// XAX issues `number` for `kg` of the bought-in lot XAX-1006, on the laboratory's test I-LAB-X.
Json by_grower(const std::string& number, const std::string& kg) {
  Json c = certificate(number, "producer", "XAX-1006", kg, "I-LAB-X", "XAX");
  c["event_id"] = "c-xax-" + number;
  return c;
}

}  // namespace

TEST_CASE("version 7: a paper certificate in the name of an issuer that issues in this ledger is refused — its "
          "number issued here, its issuer issuing here, or issued here after a buyer recorded it; version 6 "
          "accepted them") {
  LedgerAtVersion L6("forged-v6", kRulesV6);
  L6.ok_all(villages());
  L6.ok(paper("XAX-1006", "recv-1", "SDD-0001", "SDD"));  // a "paper copy" of the co-op's own certificate
  L6.ok(paper("XAX-1007", "recv-2", "SDD-FAKE5", "SDD"));  // a number the co-op never issued
  L6.ok(paper("XAX-1008", "recv-3", "XAX-2022-012"));
  L6.ok(lab_test("I-LAB-X", "XAX-1006", "2022-10-06T08:00:00+08:00"));
  L6.ok(by_grower("XAX-2022-012", "10"));  // the grower issues the number the buyer recorded first
  CHECK_NOTHROW(Ledger(L6.path, false).verify(std::nullopt));

  LedgerAtVersion L("forged-v7", kRulesV7);
  L.ok_all(villages());
  // (a) the number of a certificate issued here, as written or in another case, from any issuer.
  for (const auto& [number, issuer] : std::vector<std::pair<std::string, std::string>>{
           {"SDD-0001", "SDD"}, {"sdd-0001", "SDD"}, {"SDD-0001", "XAX"}}) {
    const std::string why = both(L, paper("XAX-1006", "recv-1", number, issuer));
    CHECK(contains(why, "field number: 合格证 " + number + " 是本系统开具的（编号 SDD-0001，开具主体「SDD」，第 "));
    CHECK(contains(why, "不用登记收取；开具样式二时在「已收取合格证」里直接写 SDD*SDD-0001"));
    CHECK(contains(why, "field number: certificate " + number + " was issued in this ledger (number SDD-0001, by "
                        "\"SDD\", entry "));
    CHECK(contains(why, "list it in the parents column (已收取合格证) as SDD*SDD-0001"));
  }
  // (b) any other number of an issuer that issues here.
  const std::string forged = both(L, paper("XAX-1006", "recv-1", "SDD-FAKE5", "SDD"));
  CHECK(contains(forged, "field number: 主体「SDD」在本系统开具合格证（第一张是 SDD-0001，第 "));
  CHECK(contains(forged, "编号 SDD-FAKE5 不在账本里：请核对编号"));
  CHECK(contains(forged, "纸质证可能是伪造的"));
  CHECK(contains(forged, "field number: party \"SDD\" issues its certificates in this ledger (the first is "
                         "SDD-0001, entry "));
  CHECK(contains(forged, "number SDD-FAKE5 is not: check the number"));
  // A voided certificate is still the issuer's: its paper copy is refused by (a).
  L.ok(Json{{"type", "certificate_voided"}, {"event_id", "v-1"}, {"event_time", "2022-10-05T09:00:00+08:00"},
            {"number", "SDD-0001"}, {"reason", "打印错误"}});
  CHECK(contains(both(L, paper("XAX-1006", "recv-1", "SDD-0001", "SDD")), "是本系统开具的（编号 SDD-0001"));
  // (c) a grower outside the ledger so far issues a number the buyer recorded first as its paper.
  L.ok(paper("XAX-1006", "recv-1", "XAX-2022-012"));
  L.ok(lab_test("I-LAB-X", "XAX-1006", "2022-10-06T08:00:00+08:00"));
  const auto at = Ledger(L.path, false).store().received_certificate("XAX", "XAX-2022-012")->entry;
  for (const std::string number : {"XAX-2022-012", "xax-2022-012"}) {
    const std::string why = both(L, by_grower(number, "10"));
    CHECK(contains(why, "field number: 合格证编号 " + number + " 已由「BUY」作为「XAX」的纸质合格证 XAX-2022-012 登记收取（第 " +
                            std::to_string(at) + " 条记录）；编号不能重复使用，请换一个编号开具"));
    CHECK(contains(why, "was recorded by \"BUY\" as the collected paper certificate XAX-2022-012 of \"XAX\" (entry " +
                            std::to_string(at) + ")"));
  }
  // Another number is the grower's to issue; from then on its papers are refused by (b).
  // (Here of the co-op's H1, uncovered since SDD-0001 was voided.)
  Json own = by_grower("XAX-2022-013", "10");
  own["lot"] = "H1";
  own["bases"] = {{{"basis", "quality_control"}}};
  L.ok(own);
  CHECK(contains(both(L, paper("XAX-1009", "recv-4", "XAX-2022-014")), "主体「XAX」在本系统开具合格证"));
  CHECK_NOTHROW(Ledger(L.path, false).verify(std::nullopt));
}

TEST_CASE("a re-issue's parent is the certificate it named when appended: a version 6 ledger where the grower "
          "later issued the collected paper's number keeps verifying and shows the paper") {
  LedgerAtVersion L("parent-then", kRulesV6);
  L.ok_all(villages());
  L.ok(paper("XAX-1006", "recv-1", "XAX-0098"));
  L.ok(lab_test("I-LAB-X", "XAX-1006", "2022-10-06T08:00:00+08:00"));
  Json reissue = certificate("BUY-0012", "buyer", "XAX-1006", "1000", "I-LAB-X");
  reissue["parents"] = {{{"issuer", "XAX"}, {"number", "XAX-0098"}}};
  L.ok(reissue);
  L.ok(by_grower("XAX-0098", "500"));  // version 6 let the grower issue the paper's number afterwards
  Ledger l(L.path, false);
  CHECK_NOTHROW(l.verify(std::nullopt));
  auto& store = l.store();
  const auto paper_entry = store.received_certificate("XAX", "XAX-0098")->entry;
  const auto later = store.issued_certificate("XAX-0098")->entry;
  auto view = load_certificate(store, "BUY-0012");
  REQUIRE(view);
  REQUIRE(view->parents.size() == 1);
  REQUIRE(view->parents[0].record);
  CHECK(view->parents[0].record->received);
  CHECK(view->parents[0].record->entry == paper_entry);
  CHECK(view->parents[0].record->entry < view->record.entry);
  CHECK(view->parents[0].received_at == "2022-10-06T07:00:00+08:00");
  CHECK_FALSE(view->parents[0].own_page);  // /c/XAX-0098 shows the later certificate: the page links no parent there
  CHECK(later > view->record.entry);
  // The register says which certificate the name meant.
  const std::string reg = certificate_register_csv(store, std::nullopt, std::nullopt, "");
  CHECK(contains(reg, "XAX*XAX-0098（纸质，第 " + std::to_string(paper_entry) + " 条）"));
  // The rule resolves the same way at any later point.
  CHECK(parent_certificate(store, "XAX", "XAX-0098", view->record.entry)->entry == paper_entry);
  CHECK(parent_certificate(store, "XAX", "XAX-0098", UINT64_MAX)->entry == later);
}

// cert14h (issue 14's last trial): docs/certificate.md's table "What a buyer's 样式二 may tick" read as if a
// mix holding any lot with a collected paper certificate could never tick 质量安全控制符合要求. The rule is
// about records, not paper: it refuses only when the mix holds an external lot — one the paper brought in
// (its grower keeps no records here) or a partner's EPCIS lot. A paper collected for a lot whose grower
// records its planting and harvest in this ledger leaves that lot's records in the ancestry, and the
// buyer's 样式二 may tick 质量安全控制符合要求 over it, judged as a producer's would be.
TEST_CASE("a buyer's 样式二 may tick 质量安全控制符合要求 over a mix holding a paper-certified lot whose grower keeps "
          "records here; not over a lot the paper brought in") {
  LedgerAtVersion L("qc-recorded-paper", kCurrentRulesVersion);
  L.ok_all(villages());
  // XAX records its growing here (planting and harvest at 合室村) but gave the buyer a paper certificate.
  L.ok_all({Json{{"type", "planting"}, {"event_id", "x-plant"}, {"event_time", "2022-04-01T00:00:00+08:00"},
                 {"party", "XAX"}, {"location", "HS"}, {"lot", "XP1"}, {"product", "LCDC"}, {"area_mu", "5"}},
            Json{{"type", "harvest"}, {"event_id", "x-harvest"}, {"event_time", "2022-10-04T08:00:00+08:00"},
                 {"party", "XAX"}, {"location", "HS"}, {"lot", "XH1"}, {"from_lot", "XP1"},
                 {"quantity", {{"value", "2000"}, {"unit", "KGM"}}}}});
  L.ok(paper("XH1", "recv-1", "纸-001"));
  L.ok(Json{{"type", "transformation"}, {"event_id", "mix"}, {"event_time", "2022-10-06T09:00:00+08:00"},
            {"party", "BUY"}, {"location", "B1"}, {"kind", "merge"},
            {"inputs", {{{"lot", "H1"}, {"quantity", {{"value", "100"}, {"unit", "KGM"}}}},
                        {{"lot", "XH1"}, {"quantity", {{"value", "2000"}, {"unit", "KGM"}}}}}},
            {"outputs", {{{"lot", "MIX-1"}, {"quantity", {{"value", "2100"}, {"unit", "KGM"}}}}}}});
  Json qc = certificate("BUY-0001", "buyer", "MIX-1", "2100", "");
  qc["bases"] = Json::array({{{"basis", "quality_control"}}});
  L.ok(qc);  // accepted: every lot of the mix has its records here
  {
    Ledger l(L.path, false);
    auto tx = sql::Transaction::snapshot(l.database());
    auto c = l.store().issued_certificate("BUY-0001");
    REQUIRE(c);
    CHECK(certificate_state(l.store(), *c).status == CertificateStatus::valid);
  }

  // The same mix with a lot the paper brought in (XAX-1006: no planting, no harvest here) is refused,
  // naming the basis, as the table's second row says.
  L.ok(paper("XAX-1006", "recv-2", "纸-002"));
  L.ok(Json{{"type", "transformation"}, {"event_id", "mix-2"}, {"event_time", "2022-10-06T10:00:00+08:00"},
            {"party", "BUY"}, {"location", "B1"}, {"kind", "merge"},
            {"inputs", {{{"lot", "XAX-1006"}, {"quantity", {{"value", "2000"}, {"unit", "KGM"}}}}}},
            {"outputs", {{{"lot", "MIX-2"}, {"quantity", {{"value", "2000"}, {"unit", "KGM"}}}}}}});
  Json external = certificate("BUY-0002", "buyer", "MIX-2", "2000", "");
  external["bases"] = Json::array({{{"basis", "quality_control"}}});
  external["parents"] = Json::array({{{"issuer", "XAX"}, {"number", "纸-002"}}});
  const std::string why = both(L, external);
  CHECK(contains(why, "field bases[0].basis: "));
  CHECK(contains(why, "XAX-1006"));
  CHECK_NOTHROW(Ledger(L.path, false).verify(std::nullopt));
}
