// A buyer receiving from growers outside the system (rules version 5, ledger/event/received_lot.h,
// docs/certificate.md "Buying from growers outside the system"): "From version 5,
// certificate_received may introduce the lot it names when the ledger does not know it: an
// external lot whose product and quantity are the certificate's; the buyer can then mix it and
// re-issue (样式二) as today. … 'no records' must never count as 质量安全控制符合要求 for a
// certificate of that lot or of lots made from it by a producer (样式一)." Under version 4 the
// unknown lot is refused as before; every refusal leaves the ledger as it was; verify, an EPCIS
// export and a bundle of the lot keep verifying.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "ledger/append.h"
#include "ledger/epcis/epcis_check.h"
#include "ledger/event/rules_version.h"
#include "ledger/i18n/messages.h"
#include "ledger/ledger.h"
#include "ledger/regulator/bundle.h"
#include "ledger/store/schema.h"
#include "ledger/store/store.h"
#include "ledger/testing/expect_error.h"
#include "ledger/testing/ledger_at_version.h"

using namespace agtrace;
using agtrace::testing::bad_input_message;
using agtrace::testing::contains;
using agtrace::testing::LedgerAtVersion;
using Json = nlohmann::json;
namespace fs = std::filesystem;

namespace {

// The grower XAX's paper certificate 纸-001 for 2000 kg, collected by BUY with lot `lot`.
Json paper(const std::string& lot, const std::string& id = "recv-1", const std::string& number = "纸-001") {
  return {{"type", "certificate_received"}, {"event_id", id}, {"event_time", "2022-10-06T07:00:00+08:00"},
          {"party", "BUY"}, {"number", number}, {"issuer", "XAX"}, {"issued_on", "2022-10-05"},
          {"lot", lot}, {"quantity", {{"value", "2000"}, {"unit", "KGM"}}}, {"product", "LCDC"}};
}

Json mix(const std::string& kg_from_paper) {
  return {{"type", "transformation"}, {"event_id", "mix"}, {"event_time", "2022-10-06T09:00:00+08:00"},
          {"party", "BUY"}, {"location", "B1"}, {"kind", "merge"},
          {"inputs", {{{"lot", "H1"}, {"quantity", {{"value", "100"}, {"unit", "KGM"}}}},
                      {{"lot", "XAX-1006"}, {"quantity", {{"value", kg_from_paper}, {"unit", "KGM"}}}}}},
          {"outputs", {{{"lot", "MIX-1"}, {"quantity", {{"value", "2100"}, {"unit", "KGM"}}}}}}};
}

Json certificate(const std::string& number, const std::string& style, const std::string& lot, const Json& bases) {
  Json c = {{"type", "certificate_issued"}, {"event_id", "c-" + number}, {"event_time", "2022-10-07T08:00:00+08:00"},
            {"number", number}, {"style", style}, {"issuer", "BUY"}, {"lot", lot},
            {"quantity", {{"value", "2100"}, {"unit", "KGM"}}}, {"product", "LCDC"}, {"origin", "B1"},
            {"bases", bases}};
  if (style == "buyer") c["parents"] = {{{"issuer", "SDD"}, {"number", "SDD-0001"}}, {{"issuer", "XAX"}, {"number", "纸-001"}}};
  return c;
}

std::string slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

}  // namespace

TEST_CASE("version 4: a collected certificate names only a lot the ledger knows, refused with the old message") {
  LedgerAtVersion L("v4", kRulesV4);
  // The message append always gave for an unknown lot (the catalogue's, ledger/i18n/messages.h).
  CHECK(contains(L.refused(paper("XAX-1006")),
                 "field lot: " + i18n::text(i18n::Lang::en, i18n::Msg::unknown_lot, "XAX-1006")));
  Ledger l(L.path, false);
  CHECK_FALSE(l.store().lot("XAX-1006"));
  CHECK_NOTHROW(l.verify(std::nullopt));
}

TEST_CASE("version 5: a collected certificate brings in its lot; the buyer mixes it and re-issues (样式二)") {
  LedgerAtVersion L("v5", kRulesV5);
  // Without a product the lot's product would be unknown.
  Json no_product = paper("XAX-1006");
  no_product.erase("product");
  CHECK(contains(L.refused(no_product), "field product: 批次「XAX-1006」不在账本中"));
  L.ok(paper("XAX-1006"));
  {
    Ledger l(L.path, false);
    auto lot = l.store().lot("XAX-1006");
    REQUIRE(lot);
    CHECK(lot->external);
    CHECK(lot->created_by == "certificate_received");
    CHECK(lot->product == "LCDC");
    auto made = l.store().produced("XAX-1006");
    REQUIRE(made.size() == 1);
    CHECK(made[0].amount == Decimal::parse("2000", "q"));
    auto c = l.store().received_certificate("XAX", "纸-001");
    REQUIRE(c);
    CHECK(c->lot == "XAX-1006");
  }
  // One lot per collected certificate.
  CHECK(contains(L.refused(paper("XAX-1006", "recv-2", "纸-002")),
                 "field lot: 批次「XAX-1006」已由条目"));
  // 样式一 on 质量安全控制符合要求 would rest on no records: refused for the lot itself, and below
  // for the lots made from it.
  const Json qc = {{{"basis", "quality_control"}}};
  Json own = certificate("BUY-0001", "producer", "XAX-1006", qc);
  own["quantity"]["value"] = "10";
  CHECK(contains(L.refused(own), "lot \"XAX-1006\" is an external lot (brought in by the certificate_received"));
  // The lot gives out no more than the certificate says.
  CHECK(contains(L.refused(mix("2001")), "field inputs[1].quantity: lot \"XAX-1006\" has only 2000 kg left"));
  L.ok(mix("2000"));
  // (A producer's certificate of the mix covers only its 2000 kg that no certificate covers yet.)
  Json mixed = certificate("BUY-0001", "producer", "MIX-1", qc);
  mixed["quantity"]["value"] = "2000";
  CHECK(contains(L.refused(mixed), "field bases[0].basis: 批次「MIX-1」的来源批次「XAX-1006」是外来批次"));
  // 样式二 rests on the collected certificates.
  Json reissue = certificate("BUY-0001", "buyer", "MIX-1", qc);
  reissue["parents"].erase(1);
  CHECK(contains(L.refused(reissue), "field parents: no certificate is named for input lot \"XAX-1006\""));
  L.ok(certificate("BUY-0001", "buyer", "MIX-1", qc));
  // A test of the lot supports a producer's certificate as before.
  L.ok(Json{{"type", "inspection"}, {"event_id", "I-LAB"}, {"event_time", "2022-10-07T09:00:00+08:00"},
            {"party", "LAB"}, {"location", "B1"}, {"lots", {"XAX-1006"}}, {"report_no", "R-1"}, {"result", "pass"},
            {"items", {{{"name", "毒死蜱"}, {"measured", "0.01"}, {"limit", "0.02"}, {"result", "pass"}}}}});
  Json tested = certificate("BUY-0002", "producer", "MIX-1",
                            {{{"basis", "commissioned_test"}, {"evidence", {"I-LAB"}}}});
  tested["event_time"] = "2022-10-07T10:00:00+08:00";
  tested["quantity"]["value"] = "2000";
  CHECK(contains(L.refused(tested), "field quantity"));  // the buyer's re-issue covers the whole mix already
  L.ok(Json{{"type", "certificate_voided"}, {"event_id", "v1"}, {"event_time", "2022-10-07T09:30:00+08:00"},
            {"number", "BUY-0001"}, {"reason", "改为委托检测"}});
  L.ok(tested);

  Ledger l(L.path, true);
  l.sign_checkpoint(L.log_key);
  CHECK_NOTHROW(l.verify(std::nullopt));
  // A bundle of the mix (with its lineage: the received lot) and an EPCIS export verify offline.
  for (auto format : {regulator::ExportFormat::epcis, regulator::ExportFormat::csv}) {
    fs::path out = L.dir / fmt::format("bundle-{}", static_cast<int>(format));
    regulator::Selection sel;
    sel.lot = "MIX-1";
    regulator::export_bundle(l, sel, format, out);
    CHECK_NOTHROW(regulator::verify_bundle(out, l.info().log_key));
    if (format != regulator::ExportFormat::epcis) continue;
    const Json doc = Json::parse(slurp(out / "epcis.jsonld"));
    CHECK_NOTHROW(epcis::check_document(doc));
    bool received = false;
    for (const auto& e : doc["epcisBody"]["eventList"])
      received = received || e.value("bizStep", "") == "urn:agtrace:bizstep:certificate_received";
    CHECK(received);
  }
}
