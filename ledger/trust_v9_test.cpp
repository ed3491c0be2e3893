// Rules version 9, trust14h (docs/rules-versions.md "Version 9", issue 14's trust trial as co-op
// clerk, buyer, laboratory and attacker):
//   "A buyer's clerk key (key_added with holder = the buyer) recorded an inspection with the
//   laboratory's party id (主体编号 = LAB) and result pass; that forged pass became the evidence of
//   a valid 委托检测合格 certificate" — from version 9 a key with a holder records an event whose
//   acting party is its holder only (the inspection's party, and every event type's acting-party
//   field), and changes master data only if it is its holder's or its holder's keys recorded it.
//   "A key with a holder can recall any lot" — from version 9 only a lot its holder made or
//   received, or one made from such a lot.
// Each refusal in append (Chinese and English, nothing written) and in verify of a ledger forged
// around append; the same shapes under version 8 keep verifying, also after the upgrade.
#include <doctest/doctest.h>

#include "ledger/append.h"
#include "ledger/certificates.h"
#include "ledger/event/rules_version.h"
#include "ledger/i18n/refusal.h"
#include "ledger/ledger.h"
#include "ledger/testing/expect_error.h"
#include "ledger/testing/ledger_at_version.h"

using namespace agtrace;
using agtrace::testing::contains;
using agtrace::testing::forge;
using agtrace::testing::held_key;
using agtrace::testing::LedgerAtVersion;
using agtrace::testing::ok_with;
using agtrace::testing::refused_with;
using Json = nlohmann::json;

namespace {

Json inspection(const std::string& id, const std::string& party, const std::string& lot = "H1",
                const std::string& result = "pass") {
  return {{"type", "inspection"}, {"event_id", id}, {"event_time", "2022-10-02T08:00:00+08:00"}, {"party", party},
          {"location", "B1"}, {"lots", {lot}}, {"lab", "检测站"}, {"report_no", "R-" + id}, {"result", result},
          {"items", {{{"name", "毒死蜱"}, {"measured", "0.01"}, {"limit", "0.02"}, {"result", result}}}}};
}

Json harvest(const std::string& id, const std::string& party, const std::string& lot) {
  return {{"type", "harvest"}, {"event_id", id}, {"event_time", "2022-10-02T07:00:00+08:00"}, {"party", party},
          {"location", "B1"}, {"lot", lot}, {"from_lot", "P1"}, {"quantity", {{"value", "100"}, {"unit", "KGM"}}}};
}

Json shipping(const std::string& id, const std::string& party, const std::string& lot, const std::string& to) {
  return {{"type", "shipping"}, {"event_id", id}, {"event_time", "2022-10-03T07:00:00+08:00"}, {"party", party},
          {"location", "B1"}, {"lots", {{{"lot", lot}}}}, {"to_party", to}};
}

Json receiving(const std::string& id, const std::string& party, const std::string& lot, const std::string& from) {
  return {{"type", "receiving"}, {"event_id", id}, {"event_time", "2022-10-03T10:00:00+08:00"}, {"party", party},
          {"location", "B1"}, {"lots", {{{"lot", lot}}}}, {"from_party", from}};
}

// `party` merges 50 kg of `input` into new lot `out`.
Json merge(const std::string& id, const std::string& party, const std::string& input, const std::string& out) {
  return {{"type", "transformation"}, {"event_id", id}, {"event_time", "2022-10-04T08:00:00+08:00"},
          {"party", party}, {"location", "B1"}, {"kind", "merge"},
          {"inputs", {{{"lot", input}, {"quantity", {{"value", "50"}, {"unit", "KGM"}}}}}},
          {"outputs", {{{"lot", out}, {"quantity", {{"value", "50"}, {"unit", "KGM"}}}}}}};
}

Json recall(const std::string& id, const std::string& party, const std::string& lot) {
  return {{"type", "recall"}, {"event_id", id}, {"event_time", "2022-10-06T09:00:00+08:00"}, {"lots", {lot}},
          {"reason", "抽检不合格"}, {"party", party}};
}

Json party(const std::string& id, const std::string& name, const std::string& phone) {
  return {{"type", "party"}, {"event_id", "p-" + id + "-" + phone}, {"event_time", "2022-02-01T00:00:00Z"},
          {"party_id", id}, {"name", name}, {"role", "cooperative"}, {"phone", phone}};
}

Json correction(const std::string& id, const std::string& party, const Json& replacement) {
  return {{"type", "correction"}, {"event_id", id}, {"event_time", "2022-10-03T08:00:00+08:00"},
          {"corrected_event_id", replacement["event_id"]}, {"reason", "录错"}, {"party", party},
          {"replacement", replacement}};
}

// verify's finding for the ledger at `path`, Chinese then English (the catalogue's audit_rules_refuse).
std::string verify_finding(const std::string& path) {
  try {
    Ledger(path, false).verify(std::nullopt);
  } catch (const i18n::Refusal& r) {
    CHECK(r.kind() == ErrorKind::verification);
    return r.text(i18n::Lang::zh) + "\n" + r.text(i18n::Lang::en);
  }
  FAIL("verify passed a forged entry");
  return "";
}

}  // namespace

TEST_CASE("version 9: a key with a holder records a fact only as its holder's — the laboratory's pass is the "
          "laboratory's to record, or the co-op clerk's") {
  LedgerAtVersion L("acting", kRulesV9);
  auto buyer = held_key(L, "clerk-buy", "BUY");
  auto lab = held_key(L, "clerk-lab", "LAB");

  // The trial's forged pass: the buyer's key names the laboratory as the party that tested.
  std::string why = refused_with(L, buyer, inspection("I-FORGED", "LAB"));
  CHECK(contains(why, "field party: 这条检测记录由记录员密钥 clerk-buy+"));
  CHECK(contains(why, "（持有主体「BUY」）签名，检测主体（party）却是「LAB」"));
  CHECK(contains(why, "请由检测机构「LAB」用自己的密钥记录它的检测结果，或由合作社不带持有主体的记录员密钥导入检测机构出具的报告"));
  CHECK(contains(why, "field party: this inspection is signed by clerk key clerk-buy+"));
  CHECK(contains(why, "the laboratory \"LAB\" records its own results with its own key, or the co-op's clerk key "
                      "without a holder imports the laboratory's report"));
  // A forged fail is refused alike: the co-op's certificate stays valid.
  CHECK(contains(refused_with(L, buyer, inspection("I-FAIL", "LAB", "H1", "fail")), "检测主体（party）却是「LAB」"));
  {
    Ledger l(L.path, false);
    REQUIRE(load_certificate(l.store(), "SDD-0001"));
    CHECK(load_certificate(l.store(), "SDD-0001")->state.status == CertificateStatus::valid);
  }
  // The laboratory's own key, and the co-op's clerk key without a holder, record the laboratory's results;
  // the buyer records its own rapid test.
  ok_with(L, lab, inspection("I-LAB", "LAB"));
  L.ok(inspection("I-IMPORTED", "LAB"));
  ok_with(L, buyer, inspection("I-BUY", "BUY"));

  // Every other event type's acting party: the harvest's, the shipper's, the receiver's, …
  why = refused_with(L, buyer, harvest("h-forged", "SDD", "H9"));
  CHECK(contains(why, "field party: 记录员密钥 clerk-buy+"));
  CHECK(contains(why, "的持有主体是「BUY」，这条采收记录的 party 却是「SDD」：从规则第 9 版起"));
  CHECK(contains(why, "but this harvest names \"SDD\" as its party: from rules version 9"));
  CHECK(contains(refused_with(L, buyer, shipping("s-forged", "SDD", "H1", "BUY")), "这条发货记录的 party 却是「SDD」"));
  CHECK(contains(refused_with(L, buyer, receiving("r-forged", "XAX", "H1", "SDD")), "这条收货记录的 party 却是「XAX」"));
  ok_with(L, buyer, receiving("r-own", "BUY", "H1", "SDD"));

  // A correction's replacement may not move the buyer's own fact to the laboratory (version 8's
  // signer rule allowed it), but fixes its other fields.
  Json moved = inspection("I-BUY", "LAB");
  why = refused_with(L, buyer, correction("corr-1", "BUY", moved));
  CHECK(contains(why, "field replacement.party: 这条检测记录由记录员密钥 clerk-buy+"));
  Json fixed = inspection("I-BUY", "BUY");
  fixed["report_no"] = "R-BUY-2";
  ok_with(L, buyer, correction("corr-2", "BUY", fixed));
  CHECK_NOTHROW(Ledger(L.path, false).verify(std::nullopt));
}

TEST_CASE("version 9: a key with a holder records new master data, and changes only its holder's own or what its "
          "holder's keys recorded") {
  LedgerAtVersion L("master", kRulesV9);
  auto buyer = held_key(L, "clerk-buy", "BUY");
  // The co-op's phone is what its certificates print as 联系方式.
  std::string why = refused_with(L, buyer, party("SDD", "山丹丹合作社", "0355-0000000"));
  CHECK(contains(why, "field party_id: 记录员密钥 clerk-buy+"));
  CHECK(contains(why, "主体「SDD」的信息已经登记过（第 "));
  CHECK(contains(why, "不是「BUY」的密钥登记的，也不是「BUY」自己的"));
  CHECK(contains(why, "the party record \"SDD\" was recorded already (entry "));
  CHECK(contains(refused_with(L, buyer, Json{{"type", "location"}, {"event_id", "l-b1"},
                                             {"event_time", "2022-02-01T00:00:00Z"}, {"location_id", "B1"},
                                             {"name", "基地（买方改）"}, {"kind", "base"}, {"owner", "BUY"}}),
                 "field location_id: 记录员密钥"));
  // A grower the buyer buys from: new, then changed by the key that recorded it; its own record too.
  ok_with(L, buyer, party("HS-WANG", "王", "0355-1111111"));
  ok_with(L, buyer, party("HS-WANG", "王", "0355-2222222"));
  ok_with(L, buyer, party("BUY", "太原收购商", "0351-3333333"));
  // The co-op's clerk, without a holder, changes what the buyer's key recorded.
  L.ok(party("HS-WANG", "王", "0355-4444444"));
  // … after which the buyer's key no longer may (the record in force is not its holder's).
  CHECK(contains(refused_with(L, buyer, party("HS-WANG", "王", "0355-5555555")), "主体「HS-WANG」的信息已经登记过"));
  CHECK_NOTHROW(Ledger(L.path, false).verify(std::nullopt));
}

TEST_CASE("version 9: a key with a holder recalls only a lot its holder made or received, or one made from it; "
          "the grower recalls the buyer's lot made from its harvest") {
  LedgerAtVersion L("recall", kRulesV9);
  auto buyer = held_key(L, "clerk-buy", "BUY");
  auto coop = held_key(L, "clerk-sdd", "SDD");
  auto grower = held_key(L, "clerk-xax", "XAX");
  L.ok(harvest("h2", "SDD", "H2"));
  L.ok(harvest("h3", "SDD", "H3"));
  // The buyer receives H1 and mixes 50 kg of it into its own lot M1.
  ok_with(L, buyer, receiving("recv-h1", "BUY", "H1", "SDD"));
  ok_with(L, buyer, merge("mix-1", "BUY", "H1", "M1"));

  // The co-op's H2 is not the buyer's: refused, naming the field and never the owner.
  std::string why = refused_with(L, buyer, recall("rc-1", "BUY", "H2"));
  CHECK(contains(why, "field lots[0]: 记录员密钥 clerk-buy+"));
  CHECK(contains(why, "批次「H2」不是「BUY」生产或收到的批次，也不是用这样的批次加工、包装出来的"));
  CHECK(contains(why, "lot \"H2\" is not one \"BUY\" made or received, nor made from such a lot"));
  CHECK_FALSE(contains(why, "SDD"));
  CHECK_FALSE(contains(why, "山丹丹"));
  // Another grower may not recall the buyer's mix (nothing on its lineage is XAX's).
  CHECK(contains(refused_with(L, grower, recall("rc-2", "XAX", "M1")), "批次「M1」不是「XAX」生产或收到的批次"));

  // Shipped to the buyer (the co-op's clerk records the shipment): the buyer's to recall.
  L.ok(shipping("ship-h2", "SDD", "H2", "BUY"));
  ok_with(L, buyer, recall("rc-3", "BUY", "H2"));
  // The buyer's own mix, and what it received.
  ok_with(L, buyer, recall("rc-4", "BUY", "M1"));
  ok_with(L, buyer, recall("rc-5", "BUY", "H1"));
  // The grower recalls the buyer's lot made from its harvest (the contaminated input's downstream lot),
  // and its own harvest.
  ok_with(L, coop, recall("rc-6", "SDD", "M1"));
  ok_with(L, coop, recall("rc-7", "SDD", "H3"));
  // A lot brought in on the buyer's own paper certificate is the buyer's.
  ok_with(L, buyer,
          Json{{"type", "certificate_received"}, {"event_id", "paper-1"}, {"event_time", "2022-10-06T07:00:00+08:00"},
               {"party", "BUY"}, {"number", "纸-001"}, {"issuer", "XAX"}, {"issued_on", "2022-10-05"}, {"lot", "XAX-1"},
               {"quantity", {{"value", "500"}, {"unit", "KGM"}}}, {"product", "LCDC"}, {"origin", "B1"}});
  ok_with(L, buyer, recall("rc-8", "BUY", "XAX-1"));
  CHECK(contains(refused_with(L, coop, recall("rc-9", "SDD", "XAX-1")), "批次「XAX-1」不是「SDD」生产或收到的批次"));
  CHECK_NOTHROW(Ledger(L.path, false).verify(std::nullopt));
}

TEST_CASE("version 9: entries that break these rules, signed and written around append, fail verify at their "
          "index, naming the field") {
  struct Case {
    const char* name;
    Json event;
    std::string zh, en;
  };
  const std::vector<Case> cases = {
      {"inspection", inspection("I-FORGED", "LAB"), "field party: 这条检测记录由记录员密钥 clerk-buy+",
       "field party: this inspection is signed by clerk key clerk-buy+"},
      {"recall", recall("rc-forged", "BUY", "H1"), "field lots[0]: 记录员密钥 clerk-buy+",
       "field lots[0]: clerk key clerk-buy+"},
      {"master", party("SDD", "山丹丹合作社", "0355-0000000"), "field party_id: 记录员密钥 clerk-buy+",
       "field party_id: clerk key clerk-buy+"},
      {"harvest", harvest("h-forged", "SDD", "H9"), "field party: 记录员密钥 clerk-buy+",
       "field party: clerk key clerk-buy+"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    LedgerAtVersion L(std::string("forged-") + c.name, kRulesV9);
    auto buyer = held_key(L, "clerk-buy", "BUY");
    const auto index = L.size();
    forge(L.path, c.event, buyer);
    const std::string finding = verify_finding(L.path);
    INFO(finding);
    CHECK(contains(finding, "第 " + std::to_string(index) + " 条记录：签名没有问题，但账本的规则不接受它：" + c.zh));
    CHECK(contains(finding, "entry " + std::to_string(index) + ": signed, but the ledger's rules refuse it: " + c.en));
  }
}

TEST_CASE("version 8: a key with a holder recorded the laboratory's pass, recalled the co-op's lot and changed its "
          "phone; the ledger keeps verifying across the upgrade, after which the same is refused") {
  LedgerAtVersion L("v8-shapes", kRulesV8);
  auto buyer = held_key(L, "clerk-buy", "BUY");
  L.ok(harvest("h2", "SDD", "H2"));
  ok_with(L, buyer, inspection("I-FORGED", "LAB"));
  ok_with(L, buyer, harvest("h-forged", "SDD", "H9"));
  ok_with(L, buyer, recall("rc-1", "BUY", "H2"));
  ok_with(L, buyer, party("SDD", "山丹丹合作社", "0355-0000000"));
  // Version 8's signer rule: the buyer's own inspection moved to the laboratory.
  ok_with(L, buyer, inspection("I-BUY", "BUY"));
  ok_with(L, buyer, correction("corr-1", "BUY", inspection("I-BUY", "LAB")));
  Ledger l(L.path, true);
  CHECK_NOTHROW(l.verify(std::nullopt));
  REQUIRE(l.upgrade_rules(L.log_key, "version 9").to == kCurrentRulesVersion);  // the newest: 9 or later
  CHECK_NOTHROW(l.verify(std::nullopt));  // the version-8 entries are judged by version 8, as written
  CHECK(contains(refused_with(L, buyer, inspection("I-FORGED-2", "LAB")), "检测主体（party）却是「LAB」"));
  CHECK(contains(refused_with(L, buyer, recall("rc-2", "BUY", "H1")), "field lots[0]"));
  // (The co-op's record in force is now the one the buyer's key signed under version 8, which it may
  // change again; the laboratory's is not.)
  CHECK(contains(refused_with(L, buyer, party("LAB", "检测站", "0355-9999999")), "field party_id"));
  // A key fixes what it recorded before version 9 without changing who acted.
  Json report = inspection("I-FORGED", "LAB");
  report["report_no"] = "R-2022-118";
  ok_with(L, buyer, correction("corr-2", "BUY", report));
  CHECK_NOTHROW(Ledger(L.path, false).verify(std::nullopt));
}
