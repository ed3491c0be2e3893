// Rules versions (DESIGN §3 "Rules versions", docs/rules-versions.md): "each entry is judged
// by the rules in force at its index, and a log-key-signed entry written by `agtrace-ledger
// upgrade` marks where a new version starts. Every ledger ever written keeps verifying."
//
// A ledger of the code before versions has a log_init without rules_version; the helper
// below writes one exactly as that code did. (tests/ledger/old_ledger_test.cpp checks the
// real one, tests/fixtures/ledger-v1/, through the binary.)
#include <doctest/doctest.h>
#include <fmt/format.h>

#include "ledger/append.h"
#include "ledger/event/rules_version.h"
#include "ledger/json/jcs.h"
#include "ledger/ledger.h"
#include "ledger/merkle/merkle.h"
#include "ledger/store/schema.h"
#include "ledger/testing/expect_error.h"
#include "ledger/testing/ledger_at_version.h"
#include "ledger/time/timestamp.h"

using namespace agtrace;
using agtrace::testing::bad_input_message;
using agtrace::testing::contains;

namespace {

// GTIN-14s with a right check digit: seven leading zeros (no GTIN; refused from version 2
// on) and six (a GTIN-8, accepted by every version).
constexpr const char* kSevenZeros = "00000001234565";
constexpr const char* kGtin8 = "00000012345670";

// A scratch folder with a ledger whose log_init names no rules version (as every ledger
// written before versions), its log key and a registered clerk key; removed afterwards.
struct PreVersionsLedger {
  std::filesystem::path dir;
  std::string path;
  note::SigningKey log_key = note::SigningKey::generate("trace.example/log");
  note::SigningKey clerk = note::SigningKey::generate("clerk-1");

  explicit PreVersionsLedger(const std::string& name)
      : dir(std::filesystem::temp_directory_path() / ("agtrace-" + name + "-" + std::to_string(::getpid()))),
        path((dir / "ledger.db").string()) {
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    testing::create_ledger_file(path, log_key, std::nullopt);
    Ledger l(path, true);
    l.sign_checkpoint(log_key);
    l.append({parse_event(R"({"type":"key_added","event_id":"k1","event_time":"2022-01-01T00:00:00Z",)"
                          R"("name":"clerk-1","role":"clerk","vkey":")" +
                              note::verifier_key_of(clerk).to_string() + "\"}",
                          "test")},
             log_key, {});
  }
  ~PreVersionsLedger() { std::filesystem::remove_all(dir); }
};

PreparedEvent product(const std::string& id, const std::string& gtin) {
  return parse_event(fmt::format(R"({{"type":"product","event_id":"{}","event_time":"2022-01-02T00:00:00Z",)"
                                 R"("product_id":"{}","name":"潞城大葱","brand":{{"regional":"潞城大葱"}},"gtin":"{}"}})",
                                 "ev-" + id, id, gtin),
                     "test");
}

PreparedEvent rules_upgraded(const std::string& id, int version) {
  return parse_event(fmt::format(R"({{"type":"rules_upgraded","event_id":"{}","event_time":"2022-01-03T00:00:00Z",)"
                                 R"("rules_version":{},"reason":"test"}})",
                                 id, version),
                     "test");
}

// Signs `event` as the next entry with `key` and stores it the way an insider with the key
// and write access to the file could: past every append check.
void forge(const std::string& path, const nlohmann::json& event, const note::SigningKey& key) {
  std::uint64_t index;
  Hash prev;
  {
    Ledger l(path, false);
    index = l.size();
    prev = merkle::leaf_hash(as_bytes(encode_entry(l.entry(index - 1))));
  }
  Entry entry = sign_entry(index, prev, event, json::canonicalize(event), key);
  std::string leaf = encode_entry(entry);
  sql::Database db(path, sql::OpenMode::read_write);
  db.prepare("INSERT INTO entries (idx, entry, leaf_hash) VALUES (?, ?, ?)")
      .bind(1, static_cast<std::int64_t>(index))
      .bind_blob(2, as_bytes(leaf))
      .bind_blob(3, merkle::leaf_hash(as_bytes(leaf)))
      .run();
}

std::string verify_failure(const std::string& path) {
  Ledger l(path, false);
  try {
    l.verify(std::nullopt);
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::verification);
    return e.what();
  }
  FAIL("verify passed");
  return "";
}

}  // namespace

TEST_CASE("a ledger whose log_init names no version is at version 1; a new ledger starts at the current one") {
  PreVersionsLedger old("rv-old");
  CHECK(Ledger(old.path, false).rules_version() == kRulesV1);
  PreVersionsLedger fresh_dir("rv-new");
  std::string fresh = (fresh_dir.dir / "new.db").string();
  Ledger::create(fresh, "https://trace.example", fresh_dir.log_key);
  CHECK(Ledger(fresh, false).rules_version() == kCurrentRulesVersion);
}

TEST_CASE("version 2: a GTIN-14 with seven leading zeros is refused; version 1 accepted it and still verifies it") {
  PreVersionsLedger L("rv-gtin");
  {
    Ledger l(L.path, true);
    l.append({product("OLD", kSevenZeros)}, L.clerk, {});  // version 1: accepted
    CHECK_NOTHROW(l.verify(std::nullopt));
    RulesUpgrade up = l.upgrade_rules(L.log_key, "test");
    CHECK(up.from == 1);
    CHECK(up.to == kCurrentRulesVersion);
    REQUIRE(up.entry);
    CHECK(*up.entry == l.size() - 1);
    CHECK(l.rules_version() == kCurrentRulesVersion);
    CHECK(l.entry(*up.entry).event["type"] == "rules_upgraded");
    // The version 1 entry before the upgrade keeps verifying.
    CHECK_NOTHROW(l.verify(std::nullopt));

    auto size = l.size();
    std::string why = bad_input_message([&] { l.append({product("NEW", kSevenZeros)}, L.clerk, {}); });
    CHECK(contains(why, "field gtin"));
    CHECK(contains(why, "starts with 7 zeros"));
    CHECK(contains(why, "leave gtin out"));
    CHECK(l.size() == size);
    // A GTIN-8 written as 14 digits has six zeros: fine under version 2.
    CHECK_NOTHROW(l.append({product("G8", kGtin8)}, L.clerk, {}));
  }
  // verify judges an entry after the upgrade by version 2: the same product, forged past
  // append, fails there although version 1 accepted it before the upgrade.
  forge(L.path, product("FORGED", "00000000000000").event, L.clerk);
  std::string why = verify_failure(L.path);
  CHECK(contains(why, "the ledger's rules refuse it"));
  CHECK(contains(why, "field gtin"));
}

TEST_CASE("a new ledger refuses the GTIN from its first product") {
  PreVersionsLedger dir("rv-fresh");
  std::string path = (dir.dir / "new.db").string();
  Ledger::create(path, "https://trace.example", dir.log_key);
  Ledger l(path, true);
  l.append({parse_event(R"({"type":"key_added","event_id":"k1","event_time":"2022-01-01T00:00:00Z",)"
                        R"("name":"clerk-1","role":"clerk","vkey":")" +
                            note::verifier_key_of(dir.clerk).to_string() + "\"}",
                        "test")},
           dir.log_key, {});
  CHECK(contains(bad_input_message([&] { l.append({product("NEW", kSevenZeros)}, dir.clerk, {}); }), "field gtin"));
}

TEST_CASE("upgrade: a current ledger is left alone; a damaged one is not rebuilt over; only the log key upgrades") {
  PreVersionsLedger L("rv-upgrade");
  {
    Ledger l(L.path, true);
    auto size = l.size();
    auto why = bad_input_message([&] { l.upgrade_rules(L.clerk, "test"); });
    CHECK(contains(why, "not this ledger's log key"));
    CHECK(l.size() == size);
    CHECK(l.rules_version() == 1);
  }
  {
    // A derived row changed behind the log: the upgrade refuses as verify does, and writes nothing.
    sql::Database db(L.path, sql::OpenMode::read_write);
    db.exec("UPDATE keys SET role = 'station' WHERE name = 'clerk-1'");
  }
  {
    Ledger l(L.path, true);
    auto size = l.size();
    try {
      l.upgrade_rules(L.log_key, "test");
      FAIL("upgrade passed on a damaged ledger");
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::verification);
      CHECK(contains(e.what(), "derived table keys"));
    }
    CHECK(l.size() == size);
  }
  {
    sql::Database db(L.path, sql::OpenMode::read_write);
    db.exec("UPDATE keys SET role = 'clerk' WHERE name = 'clerk-1'");
  }
  Ledger l(L.path, true);
  RulesUpgrade first = l.upgrade_rules(L.log_key, "test");
  REQUIRE(first.entry);
  auto size = l.size();
  auto checkpoint = l.latest_checkpoint_parsed();
  REQUIRE(checkpoint);
  CHECK(checkpoint->size == size);  // the upgrade signed a checkpoint covering its entry
  RulesUpgrade again = l.upgrade_rules(L.log_key, "test");
  CHECK_FALSE(again.entry);
  CHECK(again.from == kCurrentRulesVersion);
  CHECK(again.to == kCurrentRulesVersion);
  CHECK(l.size() == size);
}

TEST_CASE("upgrade rebuilds the derived tables from the entries") {
  PreVersionsLedger L("rv-rebuild");
  Ledger l(L.path, true);
  l.append({product("OLD", kSevenZeros)}, L.clerk, {});
  auto rows = [&] {
    auto s = l.database().prepare("SELECT count(*) FROM master");
    s.step();
    return s.column_int(0);
  };
  auto before = rows();
  l.upgrade_rules(L.log_key, "test");
  CHECK(rows() == before);
  CHECK(l.store().master("product", "OLD"));
  auto s = l.database().prepare("SELECT type FROM events ORDER BY entry_idx DESC LIMIT 1");
  REQUIRE(s.step());
  CHECK(s.column_text(0) == "rules_upgraded");
  CHECK_NOTHROW(l.verify(std::nullopt));
}

TEST_CASE("rules_upgraded: only the log key signs it; only upward, to a version this program knows") {
  PreVersionsLedger L("rv-entry");
  Ledger l(L.path, true);
  CHECK(contains(bad_input_message([&] { l.append({rules_upgraded("r1", 2)}, L.clerk, {}); }),
                 "must be signed by the log key"));
  CHECK(contains(bad_input_message([&] { l.append({rules_upgraded("r1", kCurrentRulesVersion + 1)}, L.log_key, {}); }),
                 fmt::format("field rules_version: {} is newer than this agtrace knows", kCurrentRulesVersion + 1)));
  CHECK(contains(bad_input_message([&] { l.append({rules_upgraded("r1", 1)}, L.log_key, {}); }),
                 "field rules_version"));  // the schema: versions start at 1, an upgrade goes to 2 or more
  CHECK(l.rules_version() == 1);
  l.append({rules_upgraded("r1", 2)}, L.log_key, {});
  CHECK(l.rules_version() == 2);
  CHECK(contains(bad_input_message([&] { l.append({rules_upgraded("r2", 2)}, L.log_key, {}); }),
                 "field rules_version: 2 is not above the rules version in force (2)"));
  l.sign_checkpoint(L.log_key);
  CHECK_NOTHROW(l.verify(std::nullopt));
}

TEST_CASE("verify: a rules_upgraded entry naming a version this program does not know fails at its index") {
  PreVersionsLedger L("rv-forged-upgrade");
  const int unknown = kCurrentRulesVersion + 1;
  forge(L.path, rules_upgraded("r-next", unknown).event, L.log_key);
  std::string why = verify_failure(L.path);
  CHECK(contains(why, "entry 2"));
  CHECK(contains(why, fmt::format("rules_version: {} is newer than this agtrace knows", unknown)));
}

TEST_CASE("version 3: a ledger at version 2 refuses certificates and certificate_required until upgraded") {
  PreVersionsLedger L("rv-certificate");
  Ledger l(L.path, true);
  l.append({rules_upgraded("r2", kRulesV2)}, L.log_key, {});
  auto e = [](const std::string& s) { return parse_event(s, "test"); };
  l.append({e(R"({"type":"party","event_id":"p","event_time":"2022-01-01T00:00:00Z","party_id":"SDD","name":"山丹丹","role":"cooperative"})"),
            e(R"({"type":"location","event_id":"l","event_time":"2022-01-01T00:00:00Z","location_id":"B1","name":"基地","kind":"base","owner":"SDD"})"),
            product("LCDC", kGtin8),
            e(R"({"type":"planting","event_id":"e1","event_time":"2022-04-01T00:00:00+08:00","party":"SDD","location":"B1","lot":"P1","product":"LCDC","area_mu":"3"})"),
            e(R"({"type":"harvest","event_id":"e2","event_time":"2022-10-01T00:00:00+08:00","party":"SDD","location":"B1","lot":"H1","from_lot":"P1","quantity":{"value":"100","unit":"KGM"}})")},
           L.clerk, {});
  const std::string certificate =
      R"({"type":"certificate_issued","event_id":"c1","event_time":"2022-10-02T00:00:00+08:00","number":"LC-0001",)"
      R"("style":"producer","issuer":"SDD","lot":"H1","quantity":{"value":"10","unit":"KGM"},"product":"LCDC",)"
      R"("origin":"B1","bases":[{"basis":"quality_control"}]})";
  const std::string required =
      R"({"type":"product","event_id":"pr2","event_time":"2022-01-02T00:00:00Z","product_id":"MILLET","name":"红小米",)"
      R"("brand":{"regional":"潞城"},"certificate_required":false})";
  auto size = l.size();
  std::string why = bad_input_message([&] { l.append({e(certificate)}, L.clerk, {}); });
  CHECK(contains(why, "field type: certificate_issued needs rules version 3, and this ledger is at version 2"));
  CHECK(contains(why, "agtrace-ledger upgrade --log-key"));
  CHECK(contains(bad_input_message([&] { l.append({e(required)}, L.clerk, {}); }), "field certificate_required"));
  CHECK(l.size() == size);
  l.sign_checkpoint(L.log_key);
  CHECK_NOTHROW(l.verify(std::nullopt));  // version 2 entries verify as they are

  RulesUpgrade up = l.upgrade_rules(L.log_key, "certificates");
  CHECK(up.from == kRulesV2);
  CHECK(up.to == kCurrentRulesVersion);
  l.append({e(certificate), e(required)}, L.clerk, {});
  CHECK(l.store().issued_certificate("LC-0001"));
  CHECK_NOTHROW(l.verify(std::nullopt));
}

TEST_CASE("version 4: a label job needs the lot's 承诺达标合格证; jobs printed under version 3 keep verifying") {
  PreVersionsLedger L("rv-label-certificate");
  Ledger l(L.path, true);
  l.append({rules_upgraded("r3", kRulesV3)}, L.log_key, {});
  auto e = [](const std::string& s) { return parse_event(s, "test"); };
  l.append({e(R"({"type":"party","event_id":"p","event_time":"2022-01-01T00:00:00Z","party_id":"SDD","name":"山丹丹","role":"cooperative"})"),
            e(R"({"type":"location","event_id":"l","event_time":"2022-01-01T00:00:00Z","location_id":"B1","name":"基地","kind":"base","owner":"SDD"})"),
            product("LCDC", kGtin8),
            e(R"({"type":"planting","event_id":"e1","event_time":"2022-04-01T00:00:00+08:00","party":"SDD","location":"B1","lot":"P1","product":"LCDC","area_mu":"3"})"),
            e(R"({"type":"harvest","event_id":"e2","event_time":"2022-10-01T00:00:00+08:00","party":"SDD","location":"B1","lot":"H1","from_lot":"P1","quantity":{"value":"100","unit":"KGM"}})"),
            e(R"({"type":"packing","event_id":"e3","event_time":"2022-10-02T00:00:00+08:00","party":"SDD","location":"B1","input_lot":"H1","input_quantity":{"value":"20","unit":"KGM"},"lot":"K1","count":4,"pack_size":{"value":"5","unit":"KGM"}})")},
           L.clerk, {});
  auto job = [](const std::string& serial) {
    LabelJob j{"labels_issued", "K1", {serial}, "SDD", "B1", "", "", ""};
    j.operator_id = "op-07";
    j.template_sha256 = std::string(64, 'a');
    return j;
  };
  // Version 3: no certificate asked for, and the version 4 fields are left out.
  auto v3_job = l.entry(l.record_label_job(job("0000000000001"), L.clerk)).event;
  CHECK_FALSE(v3_job.contains("operator"));
  CHECK_FALSE(v3_job.contains("template_sha256"));
  {
    nlohmann::json forged = v3_job;
    forged["event_id"] = "forged";
    forged["operator"] = "op-07";
    CHECK(contains(bad_input_message([&] { l.append({prepare_event(forged, "t")}, L.clerk, {}); }),
                   "field operator: this ledger's rules version is 3"));
  }

  // A certificate naming the station operator (issue 15 item 6) is refused the same way.
  CHECK(contains(bad_input_message([&] {
                   l.append({e(R"({"type":"certificate_issued","event_id":"c0","event_time":"2022-10-02T01:00:00+08:00","number":"LC-0000","style":"producer","issuer":"SDD","lot":"K1","quantity":{"value":"4","unit":"H87"},"product":"LCDC","origin":"B1","bases":[{"basis":"quality_control"}],"operator":"op-07"})")},
                            L.clerk, {});
                 }),
                 "field operator: this ledger's rules version is 3"));

  RulesUpgrade up = l.upgrade_rules(L.log_key, "labels need certificates");
  CHECK(up.to == kCurrentRulesVersion);  // version 4 or later
  const auto size = l.size();
  std::string why = bad_input_message([&] { l.record_label_job(job("0000000000002"), L.clerk); });
  CHECK(contains(why, "field lot: 批次「K1」（产品 LCDC）没有有效的承诺达标合格证，不能打印标签"));
  CHECK(contains(why, "from rules version 4"));
  CHECK(l.size() == size);
  l.append({e(R"({"type":"certificate_issued","event_id":"c1","event_time":"2022-10-02T01:00:00+08:00","number":"LC-0001","style":"producer","issuer":"SDD","lot":"K1","quantity":{"value":"4","unit":"H87"},"product":"LCDC","origin":"B1","bases":[{"basis":"quality_control"}],"operator":"op-07"})")},
           L.clerk, {});
  CHECK(l.entry(l.size() - 1).event["operator"] == "op-07");
  auto v4_job = l.entry(l.record_label_job(job("0000000000002"), L.clerk)).event;
  CHECK(v4_job["operator"] == "op-07");
  CHECK(v4_job["template_sha256"] == std::string(64, 'a'));
  l.sign_checkpoint(L.log_key);
  CHECK_NOTHROW(l.verify(std::nullopt));  // the version 3 job without a certificate included
}
