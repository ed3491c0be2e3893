// 承诺达标合格证 in the ledger (issue 14 item 1 and 2; ledger/event/certificate_rules.h): "Rules at
// append name the field: quantity; a basis without evidence; a failed inspection in the
// ancestry; a recalled lot; a re-issue missing a parent" — each refusal names its field and
// leaves the ledger as it was; the same rules judge every entry again in verify's replay, and
// a station key acts only for its holder.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include "ledger/epcis/epcis_check.h"
#include "ledger/epcis/epcis_export.h"
#include "ledger/json/jcs.h"
#include "ledger/ledger.h"
#include "ledger/merkle/merkle.h"
#include "ledger/store/entry.h"
#include "ledger/store/sqlite.h"
#include "ledger/store/store.h"
#include "ledger/testing/expect_error.h"
#include "ledger/testing/small_ledger.h"

using namespace agtrace;
using agtrace::testing::bad_input_message;
using agtrace::testing::contains;
using Json = nlohmann::json;

namespace {

// SmallLedger's co-op SDD (harvest H1, 100 kg; packed lot K1, 4 boxes of 5 kg), a laboratory
// LAB, a second grower G2 with harvest H2 (50 kg), a buyer BUY; an inspection of H1 by SDD
// itself (I-SELF) and one by LAB (I-LAB), both passed.
struct Season : testing::SmallLedger {
  explicit Season(const std::string& name) : SmallLedger("certificate-" + name, true, false) {
    ok_all({{{"type", "party"}, {"event_id", "p-lab"}, {"event_time", "2022-01-01T00:00:00Z"}, {"party_id", "LAB"},
        {"name", "检测站"}, {"role", "laboratory"}},
       {{"type", "party"}, {"event_id", "p-buy"}, {"event_time", "2022-01-01T00:00:00Z"}, {"party_id", "BUY"},
        {"name", "收购商"}, {"role", "buyer"}},
       {{"type", "party"}, {"event_id", "p-g2"}, {"event_time", "2022-01-01T00:00:00Z"}, {"party_id", "G2"},
        {"name", "种植户"}, {"role", "producer"}},
       {{"type", "planting"}, {"event_id", "e-p2"}, {"event_time", "2022-04-01T00:00:00+08:00"}, {"party", "G2"},
        {"location", "B1"}, {"lot", "P2"}, {"product", "LCDC"}, {"area_mu", "2"}},
       {{"type", "harvest"}, {"event_id", "e-h2"}, {"event_time", "2022-10-01T00:00:00+08:00"}, {"party", "G2"},
        {"location", "B1"}, {"lot", "H2"}, {"from_lot", "P2"}, {"quantity", {{"value", "50"}, {"unit", "KGM"}}}},
       inspection("I-SELF", "SDD", "H1", "pass"), inspection("I-LAB", "LAB", "H1", "pass")});
  }

  static Json inspection(const std::string& id, const std::string& party, const std::string& lot,
                         const std::string& result) {
    return {{"type", "inspection"}, {"event_id", id}, {"event_time", "2022-10-03T09:00:00+08:00"},
            {"party", party}, {"location", "B1"}, {"lots", {lot}}, {"report_no", "R-" + id}, {"result", result},
            {"items", {{{"name", "毒死蜱"}, {"measured", result == "pass" ? "0.01" : "0.09"}, {"limit", "0.02"},
                        {"result", result}}}}};
  }

  // A producer's certificate of SDD for `lot`, on one basis with its evidence.
  static Json certificate(const std::string& number, const std::string& lot, const std::string& kg,
                          const std::string& basis = "commissioned_test",
                          const std::vector<std::string>& evidence = {"I-LAB"}) {
    Json b = {{"basis", basis}};
    if (!evidence.empty()) b["evidence"] = evidence;
    return {{"type", "certificate_issued"}, {"event_id", "cert-" + number},
            {"event_time", "2022-10-05T08:00:00+08:00"}, {"number", number}, {"style", "producer"},
            {"issuer", "SDD"}, {"lot", lot}, {"quantity", {{"value", kg}, {"unit", "KGM"}}}, {"product", "LCDC"},
            {"origin", "B1"}, {"bases", {b}}};
  }

  static Json void_of(const std::string& number) {
    return {{"type", "certificate_voided"}, {"event_id", "void-" + number}, {"event_time", "2022-10-05T09:00:00+08:00"},
            {"number", number}, {"reason", "数量写错"}};
  }

  std::uint64_t size() { return Ledger(path, false).size(); }

  // Appends `events` in one batch with the clerk's key.
  void ok_all(const std::vector<Json>& events) {
    std::vector<PreparedEvent> batch;
    for (const auto& e : events) batch.push_back(prepare_event(e, "test"));
    Ledger l(path, true);
    l.append(batch, clerk, {});
  }
  void ok(const Json& event) { ok_all({event}); }

  // The refusal of `event` signed by `key` (the clerk's by default), under a fresh event_id so
  // that the event-id rule does not answer first; checks nothing was written.
  std::string refused(Json event, const note::SigningKey* key = nullptr) {
    event["event_id"] = fmt::format("refused-{}", ++refusals_);
    const auto before = size();
    std::string why = bad_input_message([&] {
      Ledger l(path, true);
      l.append({prepare_event(event, "test")}, key ? *key : clerk, {});
    });
    CHECK(size() == before);
    return why;
  }

  void verify() {
    Ledger l(path, false);
    l.verify(std::nullopt);
  }

  // A key registered by the log key, with `holder` when not empty.
  note::SigningKey add_key(const std::string& name, const std::string& role, const std::string& holder) {
    auto k = note::SigningKey::generate(name);
    Json e = {{"type", "key_added"}, {"event_id", "key-" + name}, {"event_time", "2022-01-01T00:00:00Z"},
              {"name", name}, {"vkey", note::verifier_key_of(k).to_string()}, {"role", role}};
    if (!holder.empty()) e["holder"] = holder;
    Ledger l(path, true);
    l.append({prepare_event(e, "key")}, log_key, {});
    return k;
  }

 private:
  int refusals_ = 0;
};

}  // namespace

TEST_CASE("a producer's certificate with its evidence is recorded, and verify replays it") {
  Season s("accepted");
  s.ok(Season::certificate("LC-2022-0001", "H1", "60"));
  {
    Ledger l(s.path, false);
    store::Store st(l.database(), false);
    auto c = st.issued_certificate("LC-2022-0001");
    REQUIRE(c);
    CHECK(c->issuer == "SDD");
    CHECK(c->lot == "H1");
    CHECK(c->quantity.amount == Decimal::parse("60", "q"));
    CHECK(!c->voided_entry);
  }
  s.verify();
}

TEST_CASE("quantity: a lot's valid certificates sum to no more than the lot; a void frees its part") {
  Season s("quantity");
  s.ok(Season::certificate("LC-0001", "H1", "60"));
  std::string why = s.refused(Season::certificate("LC-0002", "H1", "50"));
  // Version 4: the 20 kg packed into K1 left H1 (K1's own certificates cover them).
  CHECK(contains(why, "field quantity: 批次「H1」共 100 公斤，其中 20 公斤 已转入其他批次"));  // the clerk's word for kg
  CHECK(contains(why, "lot \"H1\" holds 100 kg, of which 20 kg went into other lots"));
  CHECK(contains(why, "its valid certificates (LC-0001) already cover 60 kg; 50 kg more would exceed what is left"));
  s.ok(Season::certificate("LC-0004", "H1", "20"));  // 60 + 20 + 20 packed = 100
  CHECK(contains(s.refused(Season::certificate("LC-0005", "H1", "1")), "field quantity: 批次「H1」"));
  s.ok(Season::void_of("LC-0004"));
  s.ok(Season::void_of("LC-0001"));
  s.ok(Season::certificate("LC-0002", "H1", "50"));
  // A number is never reused, even after its void.
  CHECK(contains(s.refused(Season::certificate("LC-0001", "H1", "10")),
                 "field number: certificate LC-0001 was issued at entry"));
  CHECK(contains(s.refused(Season::void_of("LC-0001")), "field number: certificate LC-0001 was already voided"));
  CHECK(contains(s.refused(Season::void_of("LC-9999")), "field number: no certificate LC-9999 was issued"));
  // A planting lot has no quantity of its own.
  CHECK(contains(s.refused(Season::certificate("LC-0003", "P1", "1")), "field lot: lot \"P1\" has no quantity"));
  s.verify();
}

namespace {

Json harvest(const std::string& id, const std::string& lot, const std::string& kg, const std::string& time) {
  return {{"type", "harvest"}, {"event_id", id}, {"event_time", time}, {"party", "SDD"}, {"location", "B1"},
          {"lot", lot}, {"from_lot", "P1"}, {"quantity", {{"value", kg}, {"unit", "KGM"}}}};
}

Json packing(const std::string& id, const std::string& from, const std::string& kg, const std::string& lot,
             int boxes, const std::string& time) {
  return {{"type", "packing"}, {"event_id", id}, {"event_time", time}, {"party", "SDD"}, {"location", "B1"},
          {"input_lot", from}, {"input_quantity", {{"value", kg}, {"unit", "KGM"}}}, {"lot", lot}, {"count", boxes},
          {"pack_size", {{"value", "5"}, {"unit", "KGM"}}}};
}

Json boxes_certificate(const std::string& number, const std::string& lot, const std::string& boxes,
                       const std::string& time) {
  Json c = Season::certificate(number, lot, boxes, "quality_control", {});
  c["quantity"]["unit"] = "H87";
  c["event_time"] = time;
  return c;
}

}  // namespace

// Rules version 5 (docs/rules-versions.md "Version 5"): found by session 6's new-user trial — a
// harvest lot certified before packing, and the box lot packed from it certified again.
TEST_CASE("version 5: produce that arrives covered by its source lot's certificate is not certified again") {
  Season s("certified-once");
  s.ok_all({harvest("h3", "H3", "50", "2022-10-03T07:00:00+08:00"),
            Season::certificate("SDD-H3", "H3", "50", "quality_control", {}),  // 10-05 08:00: all of H3
            packing("k3", "H3", "10", "K3", 2, "2022-10-06T08:00:00+08:00")});
  std::string why = s.refused(boxes_certificate("LC-K3", "K3", "2", "2022-10-06T09:00:00+08:00"));
  CHECK(contains(why, "field quantity: 批次「K3」现有 2 件，其中 2 件已有承诺达标合格证（SDD-H3"));
  CHECK(contains(why, "请按样式二（收购者）开具"));
  CHECK(contains(why, "lot \"K3\" holds 2 pieces, of which 2 pieces are already covered by certificates SDD-H3"));
  // The packer restates the grower's certificate instead (样式二), naming it as collected.
  Json reissue = boxes_certificate("LC-K3", "K3", "2", "2022-10-06T09:00:00+08:00");
  reissue["style"] = "buyer";
  reissue["parents"] = {{{"issuer", "SDD"}, {"number", "SDD-H3"}}};
  s.ok(reissue);

  // Half certified before packing: what leaves a lot leaves uncertified first, so the first 25 kg
  // packed arrive uncovered and the box lot may certify them, not more.
  s.ok_all({harvest("h4", "H4", "50", "2022-10-03T07:00:00+08:00"),
            Season::certificate("SDD-H4", "H4", "25", "quality_control", {}),
            packing("k4", "H4", "50", "K4", 10, "2022-10-06T08:00:00+08:00")});
  CHECK(contains(s.refused(boxes_certificate("LC-K4", "K4", "6", "2022-10-06T09:00:00+08:00")),
                 "批次「K4」现有 10 件，其中 5 件已有承诺达标合格证（SDD-H4"));
  s.ok(boxes_certificate("LC-K4", "K4", "5", "2022-10-06T09:00:00+08:00"));
  // A void gives the produce back: with SDD-H4 voided, the other 5 boxes may be certified.
  s.ok(Season::void_of("SDD-H4"));
  s.ok(boxes_certificate("LC-K4b", "K4", "5", "2022-10-06T10:00:00+08:00"));
  s.verify();
}

TEST_CASE("version 5: the 产地 is where the lot grew, or a location above it") {
  Season s("origin");
  s.ok_all({Json{{"type", "location"}, {"event_id", "l-b2"}, {"event_time", "2022-01-01T00:00:00Z"},
                 {"location_id", "B2"}, {"name", "别的基地"}, {"kind", "base"}, {"owner", "SDD"}},
            Json{{"type", "location"}, {"event_id", "l-area"}, {"event_time", "2022-01-01T00:00:00Z"},
                 {"location_id", "AREA"}, {"name", "店上镇大葱产区"}, {"kind", "base"}, {"owner", "SDD"}}});
  Json c = boxes_certificate("LC-K1", "K1", "4", "2022-10-05T08:00:00+08:00");
  c["origin"] = "B2";
  std::string why = s.refused(c);
  CHECK(contains(why, "field origin: 产地「B2」不是批次「K1」的种植地"));
  CHECK(contains(why, "种在「B1」（基地）"));
  CHECK(contains(why, "origin \"B2\" is not where lot \"K1\" grew"));
  c["origin"] = "AREA";
  CHECK(contains(s.refused(c), "field origin: 产地「AREA」不是批次「K1」的种植地"));
  // Recorded as the base's parent (master data: the latest record counts), the area may be named.
  s.ok(Json{{"type", "location"}, {"event_id", "l-b1-again"}, {"event_time", "2022-01-02T00:00:00Z"},
            {"location_id", "B1"}, {"name", "基地"}, {"kind", "base"}, {"owner", "SDD"}, {"parent", "AREA"}});
  s.ok(c);
  s.verify();
}

TEST_CASE("a basis without its evidence is refused, naming the basis's field") {
  Season s("bases");
  CHECK(contains(s.refused(Season::certificate("LC-0001", "H1", "10", "self_tested", {})),
                 "field bases[0].evidence: 自行检测合格 (self_tested) needs the event_id"));
  CHECK(contains(s.refused(Season::certificate("LC-0001", "H1", "10", "self_tested", {"I-LAB"})),
                 "field bases[0].evidence[0]: inspection \"I-LAB\" was made by party \"LAB\", not by the issuer"));
  CHECK(contains(s.refused(Season::certificate("LC-0001", "H1", "10", "commissioned_test", {"I-SELF"})),
                 "was made by the issuer \"SDD\" itself"));
  CHECK(contains(s.refused(Season::certificate("LC-0001", "H1", "10", "commissioned_test", {"e2"})),
                 "field bases[0].evidence[0]: event \"e2\" is a harvest, not an inspection"));
  CHECK(contains(s.refused(Season::certificate("LC-0001", "H1", "10", "commissioned_test", {"nope"})),
                 "field bases[0].evidence[0]: no event \"nope\" is recorded"));
  // Another party that is no laboratory.
  s.ok(Season::inspection("I-G2", "G2", "H1", "pass"));
  CHECK(contains(s.refused(Season::certificate("LC-0001", "H1", "10", "commissioned_test", {"I-G2"})),
                 "whose role is producer, not laboratory"));
  // An inspection of another lot.
  s.ok(Season::inspection("I-H2", "LAB", "H2", "pass"));
  CHECK(contains(s.refused(Season::certificate("LC-0001", "H1", "10", "commissioned_test", {"I-H2"})),
                 "none of which is lot \"H1\" or a lot it was made from"));
  // The inspection of the harvest supports the packed lot made from it (by count, 4 boxes).
  Json packed = Season::certificate("LC-0001", "K1", "4", "self_tested", {"I-SELF"});
  packed["quantity"]["unit"] = "H87";
  s.ok(packed);
  s.verify();
}

TEST_CASE("质量安全控制符合要求: no pesticide inside its pre-harvest interval on a harvested lot of the ancestry") {
  Season s("quality-control");
  s.ok(Json{{"type", "input_application"}, {"event_id", "spray"}, {"event_time", "2022-10-02T08:00:00+08:00"},
            {"party", "SDD"}, {"location", "B1"}, {"lot", "H1"}, {"input_kind", "pesticide"},
            {"input_name", "保鲜处理剂"}, {"registration_no", "PD20200001"},
            {"pre_harvest_interval_days", 7}});
  Json qc = Season::certificate("LC-0001", "H1", "10", "quality_control", {});
  CHECK(contains(s.refused(qc), "field event_time: 批次「H1」于 2022-10-02 施用的 spray（安全间隔期 7 天）要到 2022-10-09 "
                                "才过安全间隔期，此前不能开具承诺达标合格证"));
  // Version 4: a test does not lift the interval either (it may not cover that pesticide).
  Json tested = Season::certificate("LC-0001", "H1", "10", "commissioned_test", {"I-LAB"});
  CHECK(contains(s.refused(tested), "pesticide application spray on lot \"H1\" (2022-10-02, 7 days) makes it safe "
                                    "only from 2022-10-09, after this certificate's date 2022-10-05"));
  qc["event_time"] = "2022-10-09T08:00:00+08:00";
  s.ok(qc);
  s.verify();
}

TEST_CASE("a failed inspection or a recall in the ancestry refuses the certificate, naming field lot") {
  Season s("ancestry");
  s.ok(Season::inspection("I-FAIL", "LAB", "H1", "fail"));
  Json packed = Season::certificate("LC-0001", "K1", "4", "commissioned_test", {"I-LAB"});
  packed["quantity"]["unit"] = "H87";
  CHECK(contains(s.refused(packed),
                 "field lot: lot \"K1\" is made from lot \"H1\", which failed inspection I-FAIL (report R-I-FAIL)"));
  Season r("recall");
  r.ok(Json{{"type", "recall"}, {"event_id", "rc"}, {"event_time", "2022-10-04T08:00:00+08:00"}, {"lots", {"K1"}},
            {"reason", "抽检不合格"}, {"party", "SDD"}});
  CHECK(contains(r.refused(packed), "field lot: lot \"K1\" was recalled (event rc)"));
}

TEST_CASE("a buyer's re-issue after mixing names a certificate for every input lot") {
  Season s("buyer");
  s.ok_all({Season::certificate("LC-0001", "H1", "60"),
       Json{{"type", "transformation"}, {"event_id", "mix"}, {"event_time", "2022-10-06T08:00:00+08:00"},
            {"party", "BUY"}, {"location", "B1"}, {"kind", "merge"},
            {"inputs", {{{"lot", "H1"}, {"quantity", {{"value", "30"}, {"unit", "KGM"}}}},
                        {{"lot", "H2"}, {"quantity", {{"value", "50"}, {"unit", "KGM"}}}}}},
            {"outputs", {{{"lot", "M1"}, {"quantity", {{"value", "80"}, {"unit", "KGM"}}}}}}}});
  Json reissue = Season::certificate("BUY-0001", "M1", "80", "quality_control", {});
  reissue["issuer"] = "BUY";
  reissue["style"] = "buyer";
  reissue["event_time"] = "2022-10-07T08:00:00+08:00";
  CHECK(contains(s.refused(reissue), "field parents: a buyer's re-issue (style buyer, 样式二) names the certificate"));
  reissue["parents"] = {{{"issuer", "SDD"}, {"number", "LC-0001"}}};
  CHECK(contains(s.refused(reissue), "field parents: no certificate is named for input lot \"H2\" of lot \"M1\""));
  reissue["parents"].push_back({{"issuer", "G2"}, {"number", "纸-001"}});
  CHECK(contains(s.refused(reissue), "field parents[1]: no certificate 纸-001 of issuer \"G2\" is in the ledger"));
  // The grower's paper certificate, collected by the buyer.
  Json paper = {{"type", "certificate_received"}, {"event_id", "recv-1"}, {"event_time", "2022-10-06T07:00:00+08:00"},
                {"party", "BUY"}, {"number", "纸-001"}, {"issuer", "G2"}, {"issued_on", "2022-10-05"},
                {"lot", "H2"}, {"quantity", {{"value", "50"}, {"unit", "KGM"}}},
                {"photo_sha256", std::string(64, 'a')}};
  s.ok(paper);
  CHECK(contains(s.refused(paper), "field number: certificate 纸-001 of issuer \"G2\" was already recorded"));
  s.ok(reissue);
  // A producer's certificate names no parents.
  Json producer = Season::certificate("LC-0002", "K1", "4");
  producer["quantity"]["unit"] = "H87";
  producer["parents"] = {{{"issuer", "G2"}, {"number", "纸-001"}}};
  CHECK(contains(s.refused(producer), "field parents: a producer's certificate (style producer, 样式一) names no parent"));
  s.verify();
}

TEST_CASE("a station key issues certificates and prints labels only for its holder") {
  Season s("station");
  auto sdd = s.add_key("station-sdd", "station", "SDD");
  auto buy = s.add_key("station-buy", "station", "BUY");
  auto bare = s.add_key("station-bare", "station", "");
  {
    Ledger l(s.path, true);
    l.append({prepare_event(Season::certificate("LC-0001", "H1", "10"), "t")}, sdd, {});
  }
  Json other = Season::certificate("LC-0002", "H1", "10");
  // Chinese first, then English (the station's operator meets it too; issue 16).
  const std::string held = s.refused(other, &buy);
  CHECK(contains(held, "field issuer: 工作站密钥 " + note::verifier_key_of(buy).key_id() + " 属于「BUY」"));
  CHECK(contains(held, " / station key " + note::verifier_key_of(buy).key_id() + " is held by \"BUY\""));
  CHECK(contains(s.refused(other, &bare), "names no holder"));
  CHECK(contains(s.refused(Season::void_of("LC-0001"), &buy), "field number: 工作站密钥"));
  // A station key may not record what a clerk records.
  Json paper = {{"type", "certificate_received"}, {"event_id", "recv"}, {"event_time", "2022-10-06T07:00:00+08:00"},
                {"party", "SDD"}, {"number", "X-1"}, {"issuer", "G2"}, {"lot", "H2"},
                {"quantity", {{"value", "5"}, {"unit", "KGM"}}}};
  CHECK(contains(s.refused(paper, &sdd), "record certificate_received events with a clerk key"));

  // Label jobs: K1 was packed by SDD, and holds a certificate (rules version 4).
  Json k1 = Season::certificate("LC-0003", "K1", "4");
  k1["quantity"]["unit"] = "H87";
  {
    Ledger l(s.path, true);
    l.append({prepare_event(k1, "t")}, sdd, {});
  }
  auto job = [](const std::string& serial) {
    return LabelJob{"labels_issued", "K1", {serial}, "SDD", "B1", "", "", ""};
  };
  const auto before = s.size();
  CHECK(contains(bad_input_message([&] { Ledger(s.path, true).record_label_job(job("0000000000001"), buy); }),
                 "field lot: 工作站密钥 " + note::verifier_key_of(buy).key_id() +
                     " 属于「BUY」，但批次「K1」是「SDD」包装的；"));
  CHECK(contains(bad_input_message([&] { Ledger(s.path, true).record_label_job(job("0000000000001"), bare); }),
                 "names no holder"));
  CHECK(s.size() == before);
  Ledger(s.path, true).record_label_job(job("0000000000002"), sdd);
  s.verify();
}

TEST_CASE("verify catches a changed certificate row and a signed certificate the rules refuse") {
  Season s("tamper");
  s.ok(Season::certificate("LC-0001", "H1", "60"));
  const auto issued = s.size() - 1;
  {
    sql::Database db(s.path, sql::OpenMode::read_write);
    db.exec("UPDATE certificates SET amount = '6' WHERE number = 'LC-0001'");
  }
  try {
    s.verify();
    FAIL("verify passed");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::verification);
    CHECK(contains(e.what(), fmt::format("entry {}: derived table certificates disagrees", issued)));
  }
  {
    sql::Database db(s.path, sql::OpenMode::read_write);
    db.exec("UPDATE certificates SET amount = '60' WHERE number = 'LC-0001'");
  }
  s.verify();

  // An insider with the clerk's key and write access signs a second certificate past append.
  std::uint64_t index;
  Hash prev;
  {
    Ledger l(s.path, false);
    index = l.size();
    prev = merkle::leaf_hash(as_bytes(encode_entry(l.entry(index - 1))));
  }
  Json over = Season::certificate("LC-0002", "H1", "50");
  Entry entry = sign_entry(index, prev, over, json::canonicalize(over), s.clerk);
  std::string leaf = encode_entry(entry);
  {
    sql::Database db(s.path, sql::OpenMode::read_write);
    db.prepare("INSERT INTO entries (idx, entry, leaf_hash) VALUES (?, ?, ?)")
        .bind(1, static_cast<std::int64_t>(index))
        .bind_blob(2, as_bytes(leaf))
        .bind_blob(3, merkle::leaf_hash(as_bytes(leaf)))
        .run();
  }
  try {
    s.verify();
    FAIL("verify passed");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::verification);
    CHECK(contains(e.what(), fmt::format("entry {}: signed, but the ledger's rules refuse it: field quantity", index)));
  }
}

TEST_CASE("EPCIS: a certificate is an ObjectEvent whose certificationInfo is its page, valid under GS1's EPCIS 2.0 schema") {
  epcis::ExportContext ctx;
  ctx.base_url = "https://trace.example";
  ctx.master = [](const std::string&, const std::string&) -> const nlohmann::json* { return nullptr; };
  ctx.lot = [](const std::string& lot) { return std::pair<std::optional<std::string>, std::string>{std::nullopt, lot}; };
  ctx.event = [](const std::string&) { return std::optional<Json>{}; };
  Json issued = Season::certificate("LC-2022-0001", "H1", "60");
  Json received = {{"type", "certificate_received"}, {"event_id", "recv-1"}, {"event_time", "2022-10-06T07:00:00+08:00"},
                   {"party", "BUY"}, {"number", "纸-001"}, {"issuer", "G2"}, {"lot", "H2"},
                   {"quantity", {{"value", "50"}, {"unit", "KGM"}}}, {"origin", "HS-V01"}};
  std::vector<Json> events;
  for (const auto& e : {issued, received, Season::void_of("LC-2022-0001")}) {
    auto x = epcis::to_epcis_event(e, ctx);
    REQUIRE(x);
    CHECK((*x)["type"] == "ObjectEvent");
    CHECK((*x)["bizStep"] == "urn:agtrace:bizstep:" + e["type"].get<std::string>());
    events.push_back(*x);
  }
  CHECK(events[0]["certificationInfo"] == "https://trace.example/c/LC-2022-0001");
  CHECK(events[0]["agtrace:event"]["bases"][0]["basis"] == "commissioned_test");
  CHECK(events[0]["quantityList"][0]["quantity"] == 60);
  CHECK_FALSE(events[1].contains("certificationInfo"));  // a paper certificate has no page of ours
  // The 产地 written on the paper (rules version 6) as the location's URI; an issued certificate's
  // origin stays in agtrace:event only, as before.
  CHECK(events[1]["agtrace:certificate"]["origin"].get<std::string>().ends_with("HS-V01"));
  CHECK_FALSE(events[0]["agtrace:certificate"].contains("origin"));
  CHECK(events[2]["certificationInfo"] == "https://trace.example/c/LC-2022-0001");
  Json doc = epcis::epcis_document(events, "2022-10-07T00:00:00Z");
  CHECK_NOTHROW(epcis::check_document(doc));
  for (std::size_t i = 0; i < events.size(); ++i)
    CHECK_NOTHROW(epcis::check_event_rules(doc, doc["epcisBody"]["eventList"][i], fmt::format("eventList[{}]", i)));
}
