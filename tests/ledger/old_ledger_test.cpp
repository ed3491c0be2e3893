// Old ledgers stay valid (issue 12, item 0), through the real binary on the ledger the code
// before rules versions wrote: tests/fixtures/ledger-v1/ (see its README).
//
// Claims checked (DESIGN §3 "Rules versions", docs/rules-versions.md):
//   "each entry is judged by the rules in force at its index, and a log-key-signed entry
//   written by `agtrace-ledger upgrade` marks where a new version starts. Every ledger ever
//   written keeps verifying."
//   The old ledger verifies against its season's checkpoint as it is, and still reads (show
//   lot, trace, export, audit verify-bundle); `upgrade` moves it from version 1 to the newest (3) and
//   signs a checkpoint; it verifies again; a second `upgrade` writes nothing; an event
//   version 1 accepted (a GTIN-14 with seven leading zeros) is refused after the upgrade;
//   a bundle exported after the upgrade carries the rules_upgraded entry and verifies.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "ledger/event/rules_version.h"
#include "tests/support/ledger_fixture.h"

namespace at = agtrace::testing;
namespace fs = std::filesystem;

namespace {

bool has(const std::string& haystack, const std::string& needle) { return haystack.find(needle) != std::string::npos; }

const fs::path kFixtures = fs::path(AGTRACE_SOURCE_DIR) / "tests" / "fixtures";

// From the fixture's README: a packed lot with labels, and a genuine code of it.
constexpr const char* kLot = "LC22-K-0001";
constexpr const char* kGenuineCode = "B72JV9RQ289EY";

// A copy of the fixture in a scratch folder: ledger.db, its keys (0600, as a key file must
// be; git does not keep the mode) and the season's checkpoints.
struct OldLedger {
  at::TempDir dir{"agtrace-old-ledger"};

  // `fixture`: a folder of tests/fixtures (ledger-v1, ledger-v3, ledger-v5, ledger-v8).
  explicit OldLedger(const char* fixture = "ledger-v1") {
    for (const char* f : {"ledger.db", "log.key", "log.key.pub", "log.key.last-checkpoint", "clerk.key",
                          "clerk.key.pub", "buyer.key", "buyer.key.pub", "checkpoint.txt", "regulator-checkpoint.txt"})
      if (fs::exists(kFixtures / fixture / f)) fs::copy_file(kFixtures / fixture / f, dir / f);
    for (const char* key : {"log.key", "log.key.last-checkpoint", "clerk.key", "buyer.key"})
      if (fs::exists(dir / key))
        fs::permissions(dir / key, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace);
  }

  fs::path db() const { return dir / "ledger.db"; }
  std::string file(const char* name) const { return (dir / name).string(); }

  at::ProcessResult cli(std::vector<std::string> args, at::RunOptions options = {}) const {
    args.insert(args.begin(), {at::ledger_binary(), "--ledger", db().string()});
    options.unset_env.push_back("AGTRACE_LEDGER");
    return at::run(std::move(args), std::move(options));
  }
  // As cli(), checking exit 0; returns standard output.
  std::string must(std::vector<std::string> args, at::RunOptions options = {}) const {
    auto r = cli(std::move(args), std::move(options));
    INFO(r.describe());
    REQUIRE(r.exited_with(0));
    return r.out;
  }
  std::size_t size() const { return nlohmann::json::parse(must({"log", "--json"})).size(); }
  // verify against the season's checkpoint and the regulator's earlier one: both must pass.
  std::string verify_saved() const {
    CHECK(has(must({"verify", "--checkpoint", file("regulator-checkpoint.txt")}),
              "OK: the log extends the saved checkpoint of size 31"));
    return must({"verify", "--checkpoint", file("checkpoint.txt")});
  }
};

nlohmann::json product(const std::string& id, const std::string& gtin) {
  return {{"type", "product"}, {"event_id", "ev-" + id}, {"event_time", "2024-01-02T08:00:00+08:00"},
          {"product_id", id}, {"name", "大葱"}, {"brand", {{"regional", "潞城大葱"}}}, {"gtin", gtin}};
}

at::ProcessResult record(const OldLedger& L, const std::string& key, const nlohmann::json& event) {
  at::RunOptions o;
  o.stdin_data = event.dump() + "\n";
  return L.cli({"record", "--key", key, "--log-key", L.file("log.key"), "-"}, o);
}

}  // namespace

TEST_CASE("the fixture is a ledger of the code before rules versions: its log_init names no rules version") {
  OldLedger L;
  auto entry0 = nlohmann::json::parse(L.must({"show", "0", "--json"}));
  CHECK(entry0["entry"]["event"]["type"] == "log_init");
  CHECK_FALSE(entry0["entry"]["event"].contains("rules_version"));
}

TEST_CASE("an old ledger verifies as it is and still reads: show lot, trace, export, audit verify-bundle") {
  OldLedger L;
  CHECK(has(L.verify_saved(), "OK: the log extends the saved checkpoint of size 83"));
  const std::string lot = kLot;
  CHECK(has(L.must({"show", "lot", lot}), "lot " + lot));
  CHECK(has(L.must({"show", "code", kGenuineCode}), "genuine"));
  CHECK(has(L.must({"trace", lot, "--backward"}), lot));
  for (const char* format : {"csv", "jsonl", "epcis"}) {
    auto out = L.dir / (std::string("bundle-") + format);
    L.must({"export", "--format", format, "--lot", lot, "--out", out.string()});
    auto check = L.cli({"audit", "verify-bundle", out.string(), "--pubkey", L.file("log.key.pub")});
    INFO(check.describe());
    CHECK(check.exited_with(0));
  }
}

TEST_CASE("upgrade: version 1 → 3, verify passes before and after, a second upgrade is a no-op, new entries judged by 3") {
  OldLedger L;
  L.verify_saved();

  // Under version 1 a GTIN-14 with seven leading zeros is accepted.
  const std::string clerk = L.file("clerk.key");
  {
    auto r = record(L, clerk, product("OLD-GTIN", "00000001234565"));
    INFO(r.describe());
    CHECK(r.exited_with(0));
  }

  // A wrong log key, or none: bad usage, nothing written.
  const auto before = L.size();
  {
    auto r = L.cli({"upgrade", "--log-key", clerk});
    INFO(r.describe());
    CHECK(r.exited_with(2));
    CHECK(has(r.err, "log key"));
    CHECK(L.size() == before);
    CHECK(L.cli({"upgrade"}).exited_with(2));
    CHECK(L.size() == before);
  }

  auto up = L.cli({"upgrade", "--log-key", L.file("log.key"), "--reason", "2027 season rules"});
  INFO(up.describe());
  REQUIRE(up.exited_with(0));
  const auto entry = before;  // the rules_upgraded entry is the next one
  CHECK(has(up.out, "from rules version 1 to " + std::to_string(agtrace::kCurrentRulesVersion)));
  CHECK(has(up.out, "rules_upgraded is entry " + std::to_string(entry)));
  CHECK(has(up.out, "checkpoint signed: tree size " + std::to_string(entry + 1)));
  CHECK(L.size() == entry + 1);
  auto shown = nlohmann::json::parse(L.must({"show", std::to_string(entry), "--json"}));
  CHECK(shown["entry"]["event"]["type"] == "rules_upgraded");
  CHECK(shown["entry"]["event"]["rules_version"] == agtrace::kCurrentRulesVersion);
  CHECK(shown["entry"]["event"]["reason"] == "2027 season rules");
  CHECK(shown["status"] == "in checkpoint of size " + std::to_string(entry + 1));

  // The whole log verifies again — the version 1 product included — and extends the season's checkpoint.
  CHECK(has(L.verify_saved(), "OK: the log extends the saved checkpoint of size 83"));

  // A second upgrade: says so, writes nothing.
  auto again = L.cli({"upgrade", "--log-key", L.file("log.key")});
  INFO(again.describe());
  CHECK(again.exited_with(0));
  CHECK(has(again.out, "already at rules version " + std::to_string(agtrace::kCurrentRulesVersion)));
  CHECK(L.size() == entry + 1);

  // Entries after the upgrade are judged by the current version (which keeps version 2's rules).
  auto refused = record(L, clerk, product("NEW-GTIN", "00000000000000"));
  INFO(refused.describe());
  CHECK(refused.exited_with(2));
  CHECK(has(refused.err, "field gtin"));
  CHECK(L.size() == entry + 1);
  CHECK(record(L, clerk, product("GTIN-8", "00000012345670")).exited_with(0));

  // A bundle exported now carries the rules_upgraded entry, and verifies.
  auto out = L.dir / "bundle";
  L.must({"export", "--format", "jsonl", "--out", out.string()});
  CHECK(has(at::read_file(out / "entries.jsonl"), "\"rules_upgraded\""));
  auto check = L.cli({"audit", "verify-bundle", out.string(), "--pubkey", L.file("log.key.pub")});
  INFO(check.describe());
  CHECK(check.exited_with(0));
  CHECK(has(L.verify_saved(), "OK"));
}

TEST_CASE("upgrade on a ledger of this release: already current, nothing written; --help") {
  at::TestLedger L;
  auto before = L.snapshot();
  auto r = L.cli({"upgrade", "--log-key", L.log_key().string()});
  INFO(r.describe());
  CHECK(r.exited_with(0));
  CHECK(has(r.out, "already at rules version " + std::to_string(agtrace::kCurrentRulesVersion)));
  CHECK(L.snapshot() == before);
  auto help = L.cli({"upgrade", "--help"});
  CHECK(help.exited_with(0));
  CHECK(has(help.out, "--log-key"));
  CHECK(has(help.out, "--reason"));
}

// tests/fixtures/ledger-v3 (see its README): written at rules version 3 by the code of
// session 5, with certificates, and a label job for LC22-K-0002 printed after the lot's only
// certificate was voided — allowed then, refused from version 4.
TEST_CASE("a ledger of rules version 3 verifies as it is, upgrades to the newest, and verifies again") {
  OldLedger L("ledger-v3");
  auto entry0 = nlohmann::json::parse(L.must({"show", "0", "--json"}));
  CHECK(entry0["entry"]["event"]["rules_version"] == 3);
  auto job = nlohmann::json::parse(L.must({"show", "93", "--json"}));
  CHECK(job["entry"]["event"]["type"] == "labels_issued");
  CHECK(job["entry"]["event"]["lot"] == "LC22-K-0002");
  CHECK(has(L.must({"verify", "--checkpoint", L.file("checkpoint.txt")}),
            "OK: the log extends the saved checkpoint of size 94"));
  CHECK(has(L.must({"show", "code", "70XCY27B8A730"}), "genuine"));

  auto up = L.cli({"upgrade", "--log-key", L.file("log.key"), "--reason", "labels need certificates"});
  INFO(up.describe());
  REQUIRE(up.exited_with(0));
  CHECK(has(up.out, "from rules version 3 to " + std::to_string(agtrace::kCurrentRulesVersion)));
  CHECK(has(L.must({"verify", "--checkpoint", L.file("checkpoint.txt")}),
            "OK: the log extends the saved checkpoint of size 94"));
  CHECK(has(L.must({"verify", "--checkpoint", L.file("regulator-checkpoint.txt")}),
            "OK: the log extends the saved checkpoint of size 32"));
  auto out = L.dir / "bundle";
  L.must({"export", "--format", "jsonl", "--lot", "LC22-K-0002", "--out", out.string()});
  auto check = L.cli({"audit", "verify-bundle", out.string(), "--pubkey", L.file("log.key.pub")});
  INFO(check.describe());
  CHECK(check.exited_with(0));
}

// tests/fixtures/ledger-v4 (see its README): written at rules version 4 by the code of session
// 6, with what version 5 refuses — SDD-2022-0101 certified a harvest lot before 聪和 packed
// from it and LC-2022-0011 certified the boxes again; LC-2022-0012 names 熬脑村1号地块 as the
// 产地 of 张家河 scallions. The old entries keep verifying; after the upgrade the same facts
// are refused for new certificates.
TEST_CASE("a ledger of rules version 4 verifies as it is, upgrades, and version 5 refuses what 4 let through") {
  OldLedger L("ledger-v4");
  auto entry0 = nlohmann::json::parse(L.must({"show", "0", "--json"}));
  CHECK(entry0["entry"]["event"]["rules_version"] == 4);
  auto twice = nlohmann::json::parse(L.must({"show", "95", "--json"}));
  CHECK(twice["entry"]["event"]["number"] == "LC-2022-0011");
  CHECK(has(L.must({"verify", "--checkpoint", L.file("checkpoint.txt")}),
            "OK: the log extends the saved checkpoint of size 98"));
  CHECK(has(L.must({"show", "code", "MC9VQZD6VF6B8"}), "genuine"));

  auto up = L.cli({"upgrade", "--log-key", L.file("log.key"), "--reason", "certified once, origin checked"});
  INFO(up.describe());
  REQUIRE(up.exited_with(0));
  CHECK(has(up.out, "from rules version 4 to " + std::to_string(agtrace::kCurrentRulesVersion)));
  CHECK(has(L.must({"verify", "--checkpoint", L.file("checkpoint.txt")}),
            "OK: the log extends the saved checkpoint of size 98"));
  CHECK(has(L.must({"verify", "--checkpoint", L.file("regulator-checkpoint.txt")}),
            "OK: the log extends the saved checkpoint of size 32"));
  auto out = L.dir / "bundle";
  L.must({"export", "--format", "jsonl", "--lot", "LC22-K-0201", "--out", out.string()});
  auto check = L.cli({"audit", "verify-bundle", out.string(), "--pubkey", L.file("log.key.pub")});
  INFO(check.describe());
  CHECK(check.exited_with(0));

  // The same facts, new lots, under version 5.
  auto csv = L.dir / "v5.csv";
  auto import = [&](const std::string& text) {
    std::ofstream(csv) << text;
    return L.cli({"import", "--key", L.file("clerk.key"), "--format", "csv", "--tz", "+08:00", csv.string()});
  };
  const std::string packing_header = "事件类型,事件编号,时间,主体编号,地点编号,投入批次,投入数量,投入单位,包装批次,产品编号,件数,每件规格,规格单位\n";
  auto packed = import(packing_header +
                       "packing,V5-1,2022-10-13T08:00:00+08:00,CH,140406-CH-PH01,LC22-AN02-H1,500,KGM,LC22-K-0202,LCDC-CB,100,5,KGM\n"
                       "packing,V5-2,2022-10-13T09:00:00+08:00,CH,140406-CH-PH01,张家河钢葱 第1批,500,KGM,LC22-K-0302,LCDC-GC,100,5,KGM\n");
  INFO(packed.describe());
  REQUIRE(packed.exited_with(0));
  const auto before = L.size();
  const std::string cert_header = "事件类型,事件编号,时间,合格证编号,样式,承诺主体,批次,数量,单位,产品编号,产地,开具依据\n";
  auto again = import(cert_header +
                      "开具合格证,V5-3,2022-10-13T10:00:00+08:00,LC-2022-0031,生产者,CH,LC22-K-0202,100,件,LCDC-CB,140406-AN-P02,质量安全控制符合要求\n");
  CHECK(again.exited_with(2));
  CHECK(has(again.err, "批次「LC22-K-0202」现有 100 件，其中 100 件已有承诺达标合格证（SDD-2022-0101"));
  auto elsewhere = import(cert_header +
                          "开具合格证,V5-4,2022-10-13T10:00:00+08:00,LC-2022-0032,生产者,CH,LC22-K-0302,100,件,LCDC-GC,140406-AN-P01,质量安全控制符合要求\n");
  CHECK(elsewhere.exited_with(2));
  CHECK(has(elsewhere.err, "产地「140406-AN-P01」不是批次「LC22-K-0302」的种植地"));
  CHECK(L.size() == before);
  auto right = import(cert_header +
                      "开具合格证,V5-4,2022-10-13T10:00:00+08:00,LC-2022-0032,生产者,CH,LC22-K-0302,100,件,LCDC-GC,140406-ZJH-P01,质量安全控制符合要求\n");
  INFO(right.describe());
  CHECK(right.exited_with(0));
  L.must({"verify"});
}

// tests/fixtures/ledger-v5 (see its README): written at rules version 5 by the code of session
// 8's start, with what version 5 added — a correction, a buyer's certificate_received, product
// label fields, a station job with its operator and template digest. It verifies as it is,
// reads the corrected facts, exports a bundle that verifies, and upgrades to rules version 6
// (paper certificates' 产地 and dates), verifying again after.
TEST_CASE("a ledger of rules version 5 verifies as it is, reads its correction, exports, and upgrades") {
  OldLedger L("ledger-v5");
  auto entry0 = nlohmann::json::parse(L.must({"show", "0", "--json"}));
  CHECK(entry0["entry"]["event"]["rules_version"] == 5);
  auto correction = nlohmann::json::parse(L.must({"show", "97", "--json"}));
  CHECK(correction["entry"]["event"]["type"] == "correction");
  auto received = nlohmann::json::parse(L.must({"show", "83", "--json"}));
  CHECK(received["entry"]["event"]["type"] == "certificate_received");
  auto job = nlohmann::json::parse(L.must({"show", "96", "--json"}));
  CHECK(job["entry"]["event"]["operator"] == "op-01");
  CHECK(has(L.must({"verify", "--checkpoint", L.file("regulator-checkpoint.txt")}),
            "OK: the log extends the saved checkpoint of size 33"));
  CHECK(has(L.must({"verify", "--checkpoint", L.file("checkpoint.txt")}),
            "OK: the log extends the saved checkpoint of size 98"));
  CHECK(has(L.must({"show", "code", "A6CE7Q44TCHFA"}), "genuine"));
  // The lot's view names the correction of its pre-cooling, with its reason.
  auto lot = nlohmann::json::parse(L.must({"show", "lot", "LC22-AN01-T", "--json"}));
  bool corrected = false;
  for (const auto& e : lot["events"])
    if (e.value("event_id", "") == "LC22-0501" && e.contains("corrected_by"))
      corrected = e["corrected_by"][0]["index"] == 97 &&
                  has(e["corrected_by"][0]["reason"].get<std::string>(), "4.3 写成了 4.1");
  CHECK(corrected);

  auto out = L.dir / "bundle";
  L.must({"export", "--format", "jsonl", "--lot", "LC22-K-0001", "--out", out.string()});
  auto check = L.cli({"audit", "verify-bundle", out.string(), "--pubkey", L.file("log.key.pub")});
  INFO(check.describe());
  CHECK(check.exited_with(0));

  auto up = L.cli({"upgrade", "--log-key", L.file("log.key"), "--reason", "the newest rules"});
  INFO(up.describe());
  REQUIRE(up.exited_with(0));
  CHECK(has(up.out, "from rules version 5 to " + std::to_string(agtrace::kCurrentRulesVersion)));
  CHECK(has(L.must({"verify", "--checkpoint", L.file("checkpoint.txt")}),
            "OK: the log extends the saved checkpoint of size 98"));
}

// tests/fixtures/ledger-v8 (see its README): written at rules version 8 by the code of session
// 12's start, with entries a later version refuses — the Taiyuan buyer's clerk key (holder
// TY-BUYER) recording a pass in the laboratory TY-LAB's name, and recalling 聪和's lot it never
// held — and a pesticide application recorded late that makes certificate LC-2022-0003 已失效.
// They are judged by version 8, so the ledger verifies as it is, reads them, exports a bundle
// that verifies, and upgrades to the newest version, verifying again after.
TEST_CASE("a ledger of rules version 8 verifies as it is, reads what version 8 accepted, and upgrades") {
  OldLedger L("ledger-v8");
  auto entry0 = nlohmann::json::parse(L.must({"show", "0", "--json"}));
  CHECK(entry0["entry"]["event"]["rules_version"] == 8);
  auto forged = nlohmann::json::parse(L.must({"show", "98", "--json"}));
  CHECK(forged["entry"]["event"]["party"] == "TY-LAB");
  auto recall = nlohmann::json::parse(L.must({"show", "100", "--json"}));
  CHECK(recall["entry"]["event"]["type"] == "recall");
  CHECK(has(L.must({"verify", "--checkpoint", L.file("regulator-checkpoint.txt")}),
            "OK: the log extends the saved checkpoint of size 33"));
  CHECK(has(L.must({"verify", "--checkpoint", L.file("checkpoint.txt")}),
            "OK: the log extends the saved checkpoint of size 101"));
  CHECK(has(L.must({"show", "code", "FHMJ3QDN1PGSJ"}), "genuine"));
  CHECK(has(L.must({"show", "code", "9KH21795842VE"}), "RECALLED"));
  // The late spray (entry 99) invalidates the 质量安全控制符合要求 certificate over its harvest.
  auto lot = L.must({"show", "lot", "LC22-K-0002"});
  CHECK(has(lot, "LC-2022-0003"));
  CHECK(has(lot, "第 99 条"));

  auto out = L.dir / "bundle";
  L.must({"export", "--format", "jsonl", "--lot", "LC22-K-0002", "--out", out.string()});
  auto check = L.cli({"audit", "verify-bundle", out.string(), "--pubkey", L.file("log.key.pub")});
  INFO(check.describe());
  CHECK(check.exited_with(0));

  auto up = L.cli({"upgrade", "--log-key", L.file("log.key"), "--reason", "the newest rules"});
  INFO(up.describe());
  REQUIRE(up.exited_with(0));
  CHECK(has(up.out, "from rules version 8 to " + std::to_string(agtrace::kCurrentRulesVersion)));
  CHECK(has(L.must({"verify", "--checkpoint", L.file("checkpoint.txt")}),
            "OK: the log extends the saved checkpoint of size 101"));

  // After the upgrade (version 9), the buyer's key can no longer record a pass in TY-LAB's name:
  // the same event, with a new event_id, is refused and nothing is written.
  auto event = nlohmann::json::parse(std::ifstream(kFixtures / "ledger-v8" / "buyer-inspection.json"));
  event["event_id"] = "TY22-0202";
  const auto before = L.size();
  at::RunOptions o;
  o.stdin_data = event.dump() + "\n";
  auto refused = L.cli({"record", "--key", L.file("buyer.key"), "-"}, o);
  INFO(refused.describe());
  CHECK(refused.exited_with(2));
  CHECK(has(refused.err, "TY-LAB"));
  CHECK(L.size() == before);
  CHECK(has(L.must({"verify"}), "OK"));
}
