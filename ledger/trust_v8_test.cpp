// Rules version 8, trust14g (docs/rules-versions.md "Version 8", issue 14's trust trial as co-op
// clerk, buyer and market inspector):
//   "A clerk key registered with --holder TY-BUYER acted for any party: it voided the co-op's
//   certificate, issued a 样式一 in its name, and corrected the laboratory's failed inspection to 合格."
//   — from version 8 a key with a holder signs certificates, voids, collected papers, recalls and
//   corrections only for its holder; an inspection's result and measurements are never corrected.
//   "A certificate for quantity 0 is accepted … and unlocks label printing." — refused from version 8;
//   for every version a certificate of 0 does not let labels print.
//   "A buyer can record a paper certificate issued by itself." — refused from version 8.
//   "Paper numbers that look identical are accepted" — invisible characters, non-ASCII dashes and
//   characters unsafe on a form or in a link refused from version 8, naming them and the fix.
//   "The same paper number under another issuer: exact duplicate accepted but a case variant
//   refused" — from version 8 a paper number is its issuer's: another issuer's is accepted in any case.
//   "作废合格证 dsz-2026-0001 (wrong case) says only 账本里没有开具过…" — names DSZ-2026-0001.
// Every refusal leaves the ledger as it was, in Chinese and in English; a version-7 ledger keeps
// verifying and accepting what it accepted, also after upgrade.
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
using agtrace::testing::LedgerAtVersion;
using agtrace::testing::held_key;
using agtrace::testing::ok_with;
using agtrace::testing::refused_with;
using Json = nlohmann::json;

namespace {

Json void_of(const std::string& number, const std::string& id) {
  return {{"type", "certificate_voided"}, {"event_id", id}, {"event_time", "2022-10-06T08:00:00+08:00"},
          {"number", number}, {"reason", "作废"}};
}

Json issue(const std::string& number, const std::string& issuer, const std::string& lot, const std::string& kg,
           const std::string& unit = "KGM") {
  return {{"type", "certificate_issued"}, {"event_id", "c-" + number}, {"event_time", "2022-10-05T09:00:00+08:00"},
          {"number", number}, {"style", "producer"}, {"issuer", issuer}, {"lot", lot},
          {"quantity", {{"value", kg}, {"unit", unit}}}, {"product", "LCDC"}, {"origin", "B1"},
          {"bases", {{{"basis", "quality_control"}}}}};
}

Json inspection(const std::string& id, const std::string& result, const std::string& measured) {
  return {{"type", "inspection"}, {"event_id", id}, {"event_time", "2022-10-02T08:00:00+08:00"}, {"party", "LAB"},
          {"location", "B1"}, {"lots", {"H1"}}, {"report_no", "R-" + id}, {"result", result},
          {"items", {{{"name", "毒死蜱"}, {"measured", measured}, {"limit", "0.02"}, {"result", result}}}}};
}

Json correction(const std::string& id, const std::string& party, const Json& replacement) {
  return {{"type", "correction"}, {"event_id", id}, {"event_time", "2022-10-03T08:00:00+08:00"},
          {"corrected_event_id", replacement["event_id"]}, {"reason", "录错"}, {"party", party},
          {"replacement", replacement}};
}

// A paper certificate `number` of `issuer` for 500 kg of new lot `lot`, collected by `party` at B1.
Json paper(const std::string& id, const std::string& number, const std::string& issuer, const std::string& lot,
           const std::string& party = "BUY") {
  return {{"type", "certificate_received"}, {"event_id", id}, {"event_time", "2022-10-06T07:00:00+08:00"},
          {"party", party}, {"number", number}, {"issuer", issuer}, {"issued_on", "2022-10-05"},
          {"lot", lot}, {"quantity", {{"value", "500"}, {"unit", "KGM"}}}, {"product", "LCDC"}, {"origin", "B1"}};
}

Json recall(const std::string& id, const std::string& party) {
  return {{"type", "recall"}, {"event_id", id}, {"event_time", "2022-10-06T09:00:00+08:00"}, {"lots", {"H1"}},
          {"reason", "抽检不合格"}, {"party", party}};
}

}  // namespace

TEST_CASE("version 8: a clerk key with a holder signs certificates, voids, papers, recalls and corrections only for "
          "its holder") {
  LedgerAtVersion L("holder", kRulesV8);
  auto buyer = held_key(L, "clerk-buy", "BUY");
  L.ok(inspection("I-LAB", "fail", "0.09"));  // the laboratory's finding, recorded by the co-op's clerk

  std::string why = refused_with(L, buyer, void_of("SDD-0001", "v-1"));
  CHECK(contains(why, "field number: 记录员密钥 clerk-buy+"));
  CHECK(contains(why, "的持有主体是「BUY」，但合格证 SDD-0001 是「SDD」开具的；从规则第 8 版起"));
  CHECK(contains(why, "field number: clerk key clerk-buy+"));
  CHECK(contains(why, "is held by \"BUY\", but certificate SDD-0001 was issued by \"SDD\""));

  why = refused_with(L, buyer, issue("SDD-0002", "SDD", "H1", "10"));
  CHECK(contains(why, "field issuer: 记录员密钥"));
  CHECK(contains(why, "合格证的开具者是「SDD」"));
  CHECK(contains(why, "sign with that party's own key, or with a clerk key that names no holder"));

  CHECK(contains(refused_with(L, buyer, paper("recv-1", "纸-001", "XAX", "XAX-1", "SDD")),
                 "field party: 记录员密钥"));
  CHECK(contains(refused_with(L, buyer, recall("r-1", "SDD")), "召回主体是「SDD」"));

  // The laboratory's inspection, recorded by a key without a holder: neither BUY's nor signed by BUY's key.
  Json fixed = inspection("I-LAB", "fail", "0.09");
  fixed["report_no"] = "R-I-LAB-2";
  why = refused_with(L, buyer, correction("corr-1", "BUY", fixed));
  CHECK(contains(why, "field corrected_event_id: 记录员密钥"));
  CHECK(contains(why, "事件 I-LAB 是「LAB」的，也不是「BUY」的密钥记录的"));
  CHECK(contains(why, "event I-LAB is \"LAB\"'s, and no key of \"BUY\" recorded it"));
  CHECK(contains(refused_with(L, buyer, correction("corr-2", "LAB", fixed)), "更正的主体是「LAB」"));

  // What the holder's own key recorded, it corrects; the holder's own recall and paper are its to sign.
  ok_with(L, buyer, inspection("I-BUY", "pass", "0.01"));
  Json own = inspection("I-BUY", "pass", "0.01");
  own["report_no"] = "R-BUY-7";
  ok_with(L, buyer, correction("corr-3", "BUY", own));
  ok_with(L, buyer, paper("recv-2", "纸-002", "XAX", "XAX-2"));
  ok_with(L, buyer, recall("r-2", "BUY"));
  // A key without a holder still acts for any party.
  L.ok(void_of("SDD-0001", "v-2"));
  CHECK_NOTHROW(Ledger(L.path, false).verify(std::nullopt));
}

TEST_CASE("version 7: a clerk key with a holder voided another party's certificate; the ledger keeps verifying, and "
          "after upgrade the same is refused") {
  LedgerAtVersion L("holder-v7", kRulesV7);
  auto buyer = held_key(L, "clerk-buy", "BUY");
  L.ok(issue("SDD-0002", "SDD", "H1", "0"));  // version 7 accepted a certificate of 0
  ok_with(L, buyer, void_of("SDD-0002", "v-1"));
  Ledger l(L.path, true);
  CHECK_NOTHROW(l.verify(std::nullopt));
  REQUIRE(l.upgrade_rules(L.log_key, "version 8").to == kCurrentRulesVersion);  // the newest: 8 or later
  CHECK_NOTHROW(l.verify(std::nullopt));  // the old void is judged by version 7, as written
  // The register names who signed the issue and the void: the key and its holder.
  const std::string clerk = note::verifier_key_of(L.clerk).key_id(), held = note::verifier_key_of(buyer).key_id();
  auto v = load_certificate(l.store(), "SDD-0002");
  REQUIRE(v);
  CHECK(v->issued_by.key_id == clerk);
  CHECK(v->issued_by.holder.empty());
  REQUIRE(v->voided_by);
  CHECK(v->voided_by->key_id == held);
  CHECK(v->voided_by->holder == "BUY");
  const std::string csv = certificate_register_csv(l.store(), std::nullopt, std::nullopt, "");
  // (trust14h: then 检测记录签名, empty for a certificate ticking only 质量安全控制符合要求)
  CHECK(contains(csv, ",条目,签名密钥,密钥持有主体,作废签名密钥,作废密钥持有主体,检测记录签名\r\n"));
  CHECK(contains(csv, "," + clerk + ",," + held + ",BUY,\r\n"));
  CHECK(contains(refused_with(L, buyer, void_of("SDD-0001", "v-2")), "但合格证 SDD-0001 是「SDD」开具的"));
}

TEST_CASE("version 8: an inspection's result and measurements are never corrected (version 7 corrected them)") {
  for (int version : {kRulesV7, kRulesV8}) {
    CAPTURE(version);
    LedgerAtVersion L("inspection-result", version);
    L.ok(inspection("I-LAB", "fail", "0.09"));
    Json pass = inspection("I-LAB", "pass", "0.01");
    Json report = inspection("I-LAB", "fail", "0.09");
    report["report_no"] = "R-2026-118";
    if (version == kRulesV7) {
      L.ok(correction("corr-1", "LAB", pass));
      // And a passed result corrected to a failure invalidates the certificates before it, from the
      // correction's entry (tests/ledger/correction_test.cpp shows version 8's new inspection instead).
      L.ok(inspection("I-OK", "pass", "0.01"));
      Json failed = inspection("I-OK", "fail", "0.09");
      L.ok(correction("corr-2", "LAB", failed));
      Ledger l(L.path, false);
      auto v = load_certificate(l.store(), "SDD-0001");
      REQUIRE(v);
      CHECK(v->state.status == CertificateStatus::invalidated);
      CHECK(contains(v->state.reason, "检测不合格（报告 R-I-OK），第"));
      CHECK(contains(v->state.reason, "更正为不合格"));
      CHECK_NOTHROW(l.verify(std::nullopt));
      continue;
    }
    std::string why = refused_with(L, L.clerk, correction("corr-1", "LAB", pass));
    CHECK(contains(why, "field replacement.result: 事件「I-LAB」：检测结果不能更正：请重新抽样检测，记录新的检测"));
    CHECK(contains(why, "field replacement.result: event \"I-LAB\": an inspection's result is never corrected"));
    Json measured = inspection("I-LAB", "fail", "0.08");
    CHECK(contains(refused_with(L, L.clerk, correction("corr-2", "LAB", measured)),
                   "field replacement.items: 事件「I-LAB」：检测结果不能更正"));
    // Its other fields are corrected as before.
    L.ok(correction("corr-3", "LAB", report));
    CHECK_NOTHROW(Ledger(L.path, false).verify(std::nullopt));
  }
}

TEST_CASE("a certificate of 0: refused from version 8; under version 7 accepted, and it never lets labels print") {
  LedgerAtVersion L8("zero", kRulesV8);
  std::string why = refused_with(L8, L8.clerk, issue("SDD-0009", "SDD", "H1", "0"));
  CHECK(contains(why, "field quantity: 合格证 SDD-0009 的数量是 0"));
  CHECK(contains(why, "field quantity: certificate SDD-0009 covers a quantity of 0"));
  CHECK(contains(refused_with(L8, L8.clerk, [] {
                   Json p = paper("recv-0", "纸-000", "XAX", "XAX-0");
                   p["quantity"]["value"] = "0";
                   return p;
                 }()),
                 "field quantity: 合格证 纸-000 的数量是 0"));

  LedgerAtVersion L("zero-v7", kRulesV7);
  // A second harvest, not yet certified, packed into K1.
  L.ok(Json{{"type", "harvest"}, {"event_id", "h2"}, {"event_time", "2022-10-02T07:00:00+08:00"}, {"party", "SDD"},
            {"location", "B1"}, {"lot", "H2"}, {"from_lot", "P1"}, {"quantity", {{"value", "100"}, {"unit", "KGM"}}}});
  L.ok(Json{{"type", "packing"}, {"event_id", "pack-1"}, {"event_time", "2022-10-02T08:00:00+08:00"},
            {"party", "SDD"}, {"location", "B1"}, {"input_lot", "H2"}, {"input_quantity", {{"value", "50"}, {"unit", "KGM"}}},
            {"lot", "K1"}, {"product", "LCDC"}, {"count", 10}, {"pack_size", {{"value", "5"}, {"unit", "KGM"}}}});
  LabelJob job{"labels_issued", "K1", {"0000000000001"}, "SDD", "B1", "", "", ""};
  // No certificate: the ledger's rule (version 4).
  CHECK(contains(agtrace::testing::bad_input_message([&] { Ledger(L.path, true).check_label_job(job, L.clerk); }),
                 "has no valid 承诺达标合格证"));
  L.ok(issue("SDD-0009", "SDD", "K1", "0", "H87"));
  const auto before = L.size();
  why = agtrace::testing::bad_input_message([&] { Ledger(L.path, true).record_label_job(job, L.clerk); });
  CHECK(contains(why, "field lot: 批次「K1」的承诺达标合格证（SDD-0009）数量为 0，不承诺任何产品，不能据此打印标签"));
  CHECK(contains(why, "lot \"K1\"'s 承诺达标合格证 (SDD-0009) covers 0, which promises nothing, so no labels are issued"));
  CHECK(L.size() == before);
  // A certificate that covers some of it lets the labels print.
  L.ok(issue("SDD-0010", "SDD", "K1", "1", "H87"));
  CHECK_NOTHROW(Ledger(L.path, true).record_label_job(job, L.clerk));
  CHECK_NOTHROW(Ledger(L.path, false).verify(std::nullopt));
}

TEST_CASE("version 8: a buyer does not collect its own certificate on paper (version 7 accepted it)") {
  LedgerAtVersion L7("self-paper-v7", kRulesV7);
  L7.ok(paper("recv-1", "纸-001", "BUY", "BUY-1"));
  LedgerAtVersion L("self-paper", kRulesV8);
  std::string why = refused_with(L, L.clerk, paper("recv-1", "纸-001", "BUY", "BUY-1"));
  CHECK(contains(why, "field issuer: 合格证 纸-001 的开具主体就是收取者「BUY」：自己开的合格证不能登记为收取的纸质合格证"));
  CHECK(contains(why, "field issuer: certificate 纸-001 names the collecting buyer \"BUY\" as its issuer"));
}

TEST_CASE("version 8: paper numbers with invisible characters, other dashes or link characters are refused, naming "
          "them and the number to type") {
  LedgerAtVersion L7("lookalike-v7", kRulesV7);
  L7.ok(paper("recv-1", "合室\u2010" "2026\u2010" "118", "XAX", "XAX-1"));  // version 7 took it as written
  LedgerAtVersion L("lookalike", kRulesV8);
  L.ok(paper("recv-0", "合室-2026-118", "XAX", "XAX-0"));
  struct Case {
    std::string number, zh, en, fixed;
  };
  const std::vector<Case> cases = {
      {"合室\u2010" "2026\u2010" "118", "非半角的连字符「\u2010」（U+2010）", "the dash \"\u2010\" (U+2010), which is not ASCII '-'",
       "如 合室-2026-118"},
      {"合室-2026-118\u200b", "看不见的字符 U+200B", "the invisible character U+200B", "如 合室-2026-118"},
      {"\ufeff合室-2026-118", "看不见的字符 U+FEFF", "the invisible character U+FEFF", "如 合室-2026-118"},
      {"合室\u2212" "118", "（U+2212）", "(U+2212)", "如 合室-118"},
      {"<img/src=x/onerror=alert(1)>", "「<」", "\"<\"", "如 img-src=x-onerror=alert(1)"},
      {"../../api/v1/x", "「/」", "\"/\"", "如 ..-..-api-v1-x"},
      {"a?b#c%2F", "「#」、「%」、「?」", "\"#\", \"%\", \"?\"", "如 abc2F"},
      {"A&B'1\"", "「&」", "\"'\"", "如 AB1"},
  };
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const auto& c = cases[i];
    CAPTURE(c.number);
    const std::string why = refused_with(L, L.clerk, paper("recv-x" + std::to_string(i), c.number, "XAX", "XAX-9"));
    CHECK(contains(why, "field number: 合格证编号「" + c.number + "」里有"));
    CHECK(contains(why, c.zh));
    CHECK(contains(why, c.en));
    CHECK(contains(why, c.fixed));
  }
}

TEST_CASE("version 8: a paper number is its issuer's — another issuer's in another letter case is accepted, as an "
          "exact one was; the same issuer's case variant is refused (version 7 refused across issuers)") {
  auto grower = [](const std::string& id) {
    return Json{{"type", "party"}, {"event_id", "p-" + id}, {"event_time", "2022-01-01T00:00:00Z"},
                {"party_id", id}, {"name", "种植户" + id}, {"role", "producer"}};
  };
  LedgerAtVersion L7("paper-case-v7", kRulesV7);
  L7.ok(grower("XBX"));
  L7.ok(paper("recv-1", "hs-118", "XAX", "XAX-1"));
  L7.ok(grower("XCX"));
  L7.ok(paper("recv-2", "hs-118", "XBX", "XBX-1"));  // the exact number under another issuer: accepted
  const std::string v7 = L7.refused(paper("recv-3", "HS-118", "XCX", "XCX-1"));
  CHECK(contains(v7, "field number: "));
  CHECK(contains(v7, "certificate number HS-118 differs from the collected paper certificate of \"XAX\""));

  LedgerAtVersion L("paper-case", kRulesV8);
  L.ok(grower("XBX"));
  L.ok(paper("recv-1", "hs-118", "XAX", "XAX-1"));
  L.ok(paper("recv-2", "HS-118", "XBX", "XBX-1"));  // another issuer's number, in another case: accepted
  // The same issuer's number in another letter case is one number: refused.
  CHECK(contains(refused_with(L, L.clerk, paper("recv-3", "Hs-118", "XAX", "XAX-2")),
                 "field number: 合格证编号 Hs-118 与「XAX」的纸质合格证（已收取） hs-118"));
  CHECK_NOTHROW(Ledger(L.path, false).verify(std::nullopt));
}

TEST_CASE("voiding a number typed in the wrong letter case names the certificate issued (every version)") {
  for (int version : {kRulesV7, kRulesV8}) {
    LedgerAtVersion L("void-case", version);
    const std::string why = refused_with(L, L.clerk, void_of("sdd-0001", "v-1"));
    CHECK(contains(why, "field number: 账本里没有开具过编号为 sdd-0001 的合格证；「SDD」开具的 SDD-0001 只差字母大小写，"
                        "如果作废的是这张，请照原样写 SDD-0001"));
    CHECK(contains(why, "\"SDD\" issued SDD-0001, which differs only in letter case"));
    CHECK(contains(refused_with(L, L.clerk, void_of("SDD-0404", "v-2")), "请核对合格证上的编号"));
  }
}
