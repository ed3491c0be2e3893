// DESIGN §4 "Serial commitment": a label job is one ledger entry committing to its
// serial set (count + RFC 6962 root over the sorted serials); verify checks the codes
// table against that root, so a serial added to or removed from a job is caught.
#include <doctest/doctest.h>

#include <algorithm>
#include <functional>

#include "ledger/audit_replay.h"
#include "ledger/json/jcs.h"
#include "ledger/ledger.h"
#include "ledger/merkle/merkle.h"
#include "ledger/testing/expect_error.h"
#include "ledger/testing/small_ledger.h"
#include "ledger/util/error.h"
#include "ledger/time/timestamp.h"

using namespace agtrace;

namespace {

// The season up to packed lot K1 and its certificate; a clerk key signs it and the label jobs
// (a co-op printing from its clerk's PC).
struct Fixture : testing::SmallLedger {
  explicit Fixture(bool certified = true) : SmallLedger("label-jobs", true, certified) {}

  void append(const std::string& event) {
    Ledger(path, true).append({parse_event(event, "test")}, clerk, {});
  }

  LabelJob job(std::string type, std::vector<std::string> serials) {
    return LabelJob{type, "K1", std::move(serials), "SDD", "B1", "box", "file", type == "labels_voided" ? "torn" : ""};
  }
};

}  // namespace

TEST_CASE("a label job commits to its serials and verify checks them") {
  Fixture f;
  Ledger l(f.path, true);
  std::vector<std::string> serials = {"0000000000001", "ZZZZZZZZZZZZY", "7K2M9Q4T8V1W3"};
  auto index = l.record_label_job(f.job("labels_issued", serials), f.clerk);
  auto event = l.entry(index).event;
  CHECK(event["count"] == 3);
  std::vector<std::string> sorted = serials;
  std::sort(sorted.begin(), sorted.end());
  CHECK(event["serial_root"] == hex_encode(serial_set_root(sorted)));

  // Issue 16, item 1: "never bare UTC beside local times" — the job is timed at its lot's own
  // offset (K1 was packed at +08:00), as trace rows and the scan page show it beside K1's events.
  const auto t = time::parse_rfc3339(event["event_time"].get<std::string>(), "event_time");
  CHECK(t.offset_minutes == 480);
  CHECK(event["event_time"].get<std::string>().ends_with("+08:00"));

  auto c = l.code("7K2M9Q4T8V1W3");
  REQUIRE(c);
  CHECK(c->lot == "K1");
  CHECK(c->issued_entry == index);
  CHECK_FALSE(l.code("7K2M9Q4T8V1W4"));

  // The serial proof reaches the job's serial_root.
  auto proof = l.serial_proof("7K2M9Q4T8V1W3");
  CHECK_NOTHROW(merkle::verify_inclusion(merkle::leaf_hash(as_bytes("7K2M9Q4T8V1W3")), proof.leaf_index,
                                         proof.count, proof.path,
                                         hash_from_hex(event["serial_root"].get<std::string>(), "root")));

  // A reused serial, more codes than packed units, a bad serial: refused, nothing written.
  auto before = l.size();
  CHECK_THROWS_AS(l.record_label_job(f.job("labels_issued", {"0000000000001"}), f.clerk), Error);
  CHECK_THROWS_AS(l.record_label_job(f.job("labels_issued", {"A000000000001", "A000000000002"}), f.clerk), Error);
  CHECK_THROWS_AS(l.record_label_job(f.job("labels_issued", {"lower-case-no"}), f.clerk), Error);
  CHECK(l.size() == before);

  // Void, then the code reports it; voiding again is refused.
  l.record_label_job(f.job("labels_voided", {"ZZZZZZZZZZZZY"}), f.clerk);
  CHECK(l.code("ZZZZZZZZZZZZY")->voided_entry);
  CHECK_THROWS_AS(l.record_label_job(f.job("labels_voided", {"ZZZZZZZZZZZZY"}), f.clerk), Error);
  l.record_label_job(f.job("labels_reprinted", {"0000000000001"}), f.clerk);
  CHECK(l.code("0000000000001")->reprints == 1);

  CHECK_NOTHROW(l.verify(std::nullopt));
}

TEST_CASE("verify catches a serial added to or removed from a job") {
  Fixture f;
  {
    Ledger l(f.path, true);
    l.record_label_job(f.job("labels_issued", {"0000000000001", "0000000000002"}), f.clerk);
  }
  auto tamper = [&](const char* sql) {
    Ledger l(f.path, true);
    l.database().exec("DROP TRIGGER IF EXISTS codes_no_delete; DROP TRIGGER IF EXISTS codes_no_update;");
    l.database().exec(sql);
  };
  SUBCASE("added") { tamper("INSERT INTO codes VALUES ('0000000000003', 'K1', (SELECT max(job_entry) FROM codes))"); }
  SUBCASE("removed") { tamper("DELETE FROM codes WHERE serial = '0000000000002'"); }
  SUBCASE("added without a job") { tamper("INSERT INTO codes VALUES ('0000000000009', 'K1', 3)"); }
  Ledger l(f.path, false);
  try {
    l.verify(std::nullopt);
    FAIL("verify passed a tampered codes table");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::verification);
    MESSAGE(std::string(e.what()));
  }
}

namespace {

// Rules version 4 (certificate_rules.h): a lot is labelled only while it may be sold.
TEST_CASE("version 4: labels only for a lot with a valid 承诺达标合格证, never for a recalled or failed lot") {
  Fixture f(false);
  auto size = [&] { return Ledger(f.path, false).size(); };
  auto refused = [&](const std::string& type, const std::string& serial) {
    const auto before = size();
    std::string why = testing::bad_input_message([&] { Ledger(f.path, true).record_label_job(f.job(type, {serial}), f.clerk); });
    CHECK(size() == before);
    return why;
  };
  const std::string certificate =
      R"({"type":"certificate_issued","event_id":"c-NUM","event_time":"2022-10-02T01:00:00+08:00","number":"NUM","style":"producer","issuer":"SDD","lot":"K1","quantity":{"value":"4","unit":"H87"},"product":"LCDC","origin":"B1","bases":[{"basis":"quality_control"}]})";
  auto issue = [&](const std::string& number) {
    std::string event = certificate;
    for (auto at = event.find("NUM"); at != std::string::npos; at = event.find("NUM")) event.replace(at, 3, number);
    f.append(event);
  };

  std::string why = refused("labels_issued", "0000000000001");
  CHECK(testing::contains(why, "field lot: 批次「K1」（产品 LCDC）没有有效的承诺达标合格证，不能打印标签"));
  CHECK(testing::contains(why, "开具合格证"));
  // The CSV column and its value, in both languages (not the JSON field name).
  CHECK(testing::contains(why, "请在产品资料中填 需开具合格证=否"));
  CHECK(testing::contains(why, "需开具合格证 (certificate_required) 否"));
  CHECK_FALSE(testing::contains(why, "certificate_required=false"));
  issue("LC-0001");
  Ledger(f.path, true).record_label_job(f.job("labels_issued", {"0000000000001", "0000000000002"}), f.clerk);

  // A void leaves the lot without a valid certificate: no reprint; a code may still be voided.
  f.append(R"({"type":"certificate_voided","event_id":"v1","event_time":"2022-10-02T02:00:00+08:00","number":"LC-0001","reason":"数量写错"})");
  CHECK(testing::contains(refused("labels_reprinted", "0000000000001"), "没有有效的承诺达标合格证，不能补打标签"));
  Ledger(f.path, true).record_label_job(f.job("labels_voided", {"0000000000002"}), f.clerk);
  issue("LC-0002");
  Ledger(f.path, true).record_label_job(f.job("labels_reprinted", {"0000000000001"}), f.clerk);

  SUBCASE("a failed inspection of a lot it was made from invalidates the certificate") {
    f.append(R"({"type":"inspection","event_id":"i1","event_time":"2022-10-03T00:00:00+08:00","party":"SDD","location":"B1","lots":["H1"],"report_no":"JC-9","result":"fail","items":[{"name":"毒死蜱","measured":"0.5","limit":"0.02","unit":"mg/kg","result":"fail"}]})");
    why = refused("labels_issued", "0000000000003");
    CHECK(testing::contains(why, "批次「K1」的来源批次「H1」检测不合格（报告 JC-9），承诺达标合格证已失效，不能打印标签"));
  }
  SUBCASE("a recall of a lot it was made from") {
    f.append(R"({"type":"recall","event_id":"r1","event_time":"2022-10-03T00:00:00+08:00","party":"SDD","lots":["H1"],"reason":"农残超标","descendants":true})");
    CHECK(testing::contains(refused("labels_reprinted", "0000000000001"), "批次「K1」的来源批次「H1」已召回（事件 r1），不能再补打标签"));
    Ledger(f.path, true).record_label_job(f.job("labels_voided", {"0000000000001"}), f.clerk);
  }
  SUBCASE("a product that needs no certificate is labelled without one") {
    f.append(R"({"type":"certificate_voided","event_id":"v2","event_time":"2022-10-02T03:00:00+08:00","number":"LC-0002","reason":"误开"})");
    CHECK(testing::contains(refused("labels_issued", "0000000000003"), "没有有效的承诺达标合格证"));
    f.append(R"({"type":"product","event_id":"pr2","event_time":"2022-10-02T04:00:00Z","product_id":"LCDC","name":"潞城大葱","brand":{"regional":"潞城大葱"},"certificate_required":false})");
    Ledger(f.path, true).record_label_job(f.job("labels_issued", {"0000000000003"}), f.clerk);
  }
  Ledger l(f.path, true);
  l.sign_checkpoint(f.log_key);
  CHECK_NOTHROW(l.verify(std::nullopt));
}

// Writes a label-job entry for K1 with `serials` straight into the file — signed by the
// registered clerk key, with its serials in the codes tables and a correct chain, but never
// through record_label_job and its rules: what a clerk-key holder with write access could do.
std::uint64_t forge_job(const std::string& path, const note::SigningKey& clerk, const std::string& type,
                        std::vector<std::string> serials) {
  Ledger l(path, true);
  std::sort(serials.begin(), serials.end());
  nlohmann::json event = {{"type", type},         {"event_id", "forged-job"},
                          {"event_time", "2022-10-03T00:00:00+08:00"}, {"party", "SDD"},
                          {"location", "B1"},     {"lot", "K1"},
                          {"count", serials.size()}, {"serial_root", hex_encode(serial_set_root(serials))}};
  if (type == "labels_voided") event["reason"] = "torn";
  const std::uint64_t index = l.size();
  Entry e = sign_entry(index, l.store().last_leaf_hash(), event, json::canonicalize(event), clerk);
  std::string bytes = encode_entry(e);
  sql::Transaction tx(l.database());
  l.database().prepare("INSERT INTO entries (idx, entry, leaf_hash) VALUES (?, ?, ?)")
      .bind(1, static_cast<std::int64_t>(index)).bind_blob(2, as_bytes(bytes))
      .bind_blob(3, merkle::leaf_hash(as_bytes(bytes))).run();
  auto code = l.database().prepare(type == "labels_issued"
                                       ? "INSERT INTO codes (serial, lot_id, job_entry) VALUES (?1, 'K1', ?2)"
                                       : "INSERT INTO code_events (entry_idx, serial) VALUES (?2, ?1)");
  for (const auto& s : serials) code.bind(1, s).bind(2, static_cast<std::int64_t>(index)).run();
  tx.commit();
  return index;
}

}  // namespace

// The label-job rules live in the shared replay (detail::check_label_job_rules), so verify
// enforces what record_label_job enforces even for an entry that never went through it.
TEST_CASE("verify names a signed label job that breaks the label-job rules") {
  Fixture f;
  std::uint64_t forged = 0;
  std::string rule;
  SUBCASE("more live codes than the lot's packed count (4 boxes)") {
    forged = forge_job(f.path, f.clerk, "labels_issued",
                       {"0000000000001", "0000000000002", "0000000000003", "0000000000004", "0000000000005"});
    rule = "would exceed the packed count";
  }
  SUBCASE("version 4: a job for a lot without a 承诺达标合格证") {
    Ledger(f.path, true).append({parse_event(R"({"type":"certificate_voided","event_id":"v1","event_time":"2022-10-02T02:00:00+08:00","number":"K1-CERT","reason":"误开"})", "test")}, f.clerk, {});
    forged = forge_job(f.path, f.clerk, "labels_issued", {"0000000000001"});
    rule = "没有有效的承诺达标合格证";
  }
  SUBCASE("a void of a code no job issued") {
    forged = forge_job(f.path, f.clerk, "labels_voided", {"0000000000007"});
    rule = "serial 0000000000007: no label job issued this code";
  }
  Ledger l(f.path, false);
  try {
    l.verify(std::nullopt);
    FAIL("verify passed a forged label job");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::verification);
    std::string what = e.what();
    INFO(what);
    CHECK(what.find("entry " + std::to_string(forged) + ": signed, but the ledger's rules refuse it") !=
          std::string::npos);
    CHECK(what.find(rule) != std::string::npos);
  }
}

// docs/security.md "Writers check the file before they sign": someone with write access to the
// ledger file forges a certificates row, or deletes a void's row, so that the rules — which read
// the derived tables — would let a label job for an uncertified lot be signed. Every writer
// audits the file inside its write transaction first, so the job is refused and nothing is
// signed.
TEST_CASE("a writer refuses a file whose derived tables were edited, before any rule, and signs nothing") {
  auto refused_as_unverified = [](Ledger& l, const std::function<void()>& write) {
    const auto before = l.size();
    try {
      write();
      FAIL("the writer signed on an edited file");
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::verification);
      CHECK(testing::contains(e.what(), "账本文件未通过校验，未写入任何内容"));
      CHECK(testing::contains(e.what(), "the ledger file does not verify, so nothing was written"));
      CHECK(testing::contains(e.what(), "derived table certificate"));
    }
    CHECK(l.size() == before);
  };
  SUBCASE("a forged certificate row for an uncertified lot") {
    Fixture f(false);
    Ledger l(f.path, true);
    CHECK(testing::contains(testing::bad_input_message([&] {
                              l.record_label_job(f.job("labels_issued", {"0000000000001"}), f.clerk);
                            }),
                            "field lot"));
    l.database().exec(
        "INSERT INTO certificates VALUES (999, 'issued', 'FORGED-1', 'SDD', 'K1', 'producer', 'count', '4')");
    refused_as_unverified(l, [&] { l.record_label_job(f.job("labels_issued", {"0000000000001"}), f.clerk); });
    refused_as_unverified(l, [&] { l.check_label_job(f.job("labels_issued", {"0000000000001"}), f.clerk); });
  }
  SUBCASE("a void's row deleted, so that a voided certificate looks valid") {
    Fixture f(true);
    f.append(R"({"type":"certificate_voided","event_id":"v1","event_time":"2022-10-03T00:00:00+08:00","number":"K1-CERT","reason":"数量写错"})");
    Ledger l(f.path, true);
    l.database().exec("DELETE FROM certificate_voids");
    refused_as_unverified(l, [&] { l.record_label_job(f.job("labels_issued", {"0000000000001"}), f.clerk); });
    // Every write, not only label jobs: a clerk's next import is refused too.
    refused_as_unverified(l, [&] {
      l.append({parse_event(R"({"type":"party","event_id":"p2","event_time":"2022-01-01T00:00:00Z","party_id":"X","name":"某","role":"buyer"})",
                            "test")},
               f.clerk, {});
    });
  }
}

// audit_replay.h "Incremental within a process": the next write replays only the entries since
// the last write's audit, and still refuses every edit a full audit refuses.
TEST_CASE("a writer's audit within a process replays only new entries and keeps every check") {
  auto party = [](int i) {
    return parse_event(R"({"type":"party","event_id":"inc-)" + std::to_string(i) +
                           R"(","event_time":"2022-01-01T00:00:00Z","party_id":"INC)" + std::to_string(i) +
                           R"(","name":"某","role":"buyer"})",
                       "test");
  };
  auto refused = [](Ledger& l, const std::function<void()>& write, const std::string& why) {
    const auto before = l.size();
    try {
      write();
      FAIL("the writer signed on an edited file");
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::verification);
      CHECK(testing::contains(e.what(), "账本文件未通过校验，未写入任何内容"));
      CHECK_MESSAGE(testing::contains(e.what(), why), std::string(e.what()));
    }
    CHECK(l.size() == before);
  };
  Fixture f(true);
  Ledger l(f.path, true);
  l.append({party(1)}, f.clerk, {});
  l.append({party(2)}, f.clerk, {});
  CHECK(detail::last_write_audit().incremental);
  CHECK(detail::last_write_audit().replayed == 1);  // party 1's entry, nothing before it again
  l.record_label_job(f.job("labels_issued", {"0000000000001", "0000000000002"}), f.clerk);
  CHECK(detail::last_write_audit().incremental);
  CHECK(detail::last_write_audit().replayed == 1);
  l.verify(std::nullopt);  // what the incremental audits let through, the full audit passes
  const auto next = [&] { l.append({party(3)}, f.clerk, {}); };
  // A careful attacker puts the guard trigger back exactly as it was (the schema check passes).
  const std::string unguarded = "DROP TRIGGER entries_no_update;";
  const std::string guarded =
      "CREATE TRIGGER entries_no_update BEFORE UPDATE ON entries\n"
      "  BEGIN SELECT RAISE(ABORT, 'entries are append-only'); END;";
  SUBCASE("an entry verified by an earlier write, its bytes edited") {
    l.database().exec(unguarded + "UPDATE entries SET entry = entry || x'20' WHERE idx = 1;" + guarded);
    refused(l, next, "entry 1: ");
  }
  SUBCASE("an entry's stored leaf hash edited") {
    l.database().exec(unguarded + "UPDATE entries SET leaf_hash = zeroblob(32) WHERE idx = 2;" + guarded);
    refused(l, next, "entry 2: ");
  }
  SUBCASE("the file replaced by another ledger that verifies: the full audit, not a refusal") {
    Fixture other(true);  // the same path, a new ledger: its own writes are audited afresh, and pass
    Ledger again(other.path, true);
    const auto before = again.size();
    again.append({party(4)}, other.clerk, {});
    CHECK(detail::last_write_audit().incremental);
    CHECK(again.size() == before + 1);
    again.verify(std::nullopt);
  }
  SUBCASE("a derived row of an old entry edited") {
    l.database().exec("DELETE FROM master WHERE id = 'INC1'");
    refused(l, next, "derived table master");
  }
  SUBCASE("codes added without a job") {
    l.database().exec("INSERT INTO codes VALUES ('0000000000003', 'K1', 0)");
    refused(l, next, "a code was added without a job entry");
  }
}
