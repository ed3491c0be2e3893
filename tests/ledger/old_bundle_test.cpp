// Old bundles stay valid, and a bundle's replay judges each entry by the rules version at its
// index — through the real binary, on bundles the code before bundle formats wrote
// (tests/fixtures/bundle-v1/, see its README) and on the ledger it wrote
// (tests/fixtures/ledger-v1/), and on bundles the code of bundle format 5 wrote
// (tests/fixtures/bundle-v5/).
//
// Claims checked (DESIGN §3 "Every ledger ever written keeps verifying"; docs/regulator.md
// "Bundle formats"):
//   "A manifest without bundle_format is format 1: verify-bundle regenerates its events.csv
//   in both layouts format 1 bundles were written in" — the fixture bundles (csv, jsonl,
//   epcis) verify, and an edited CSV cell (or EPCIS value) with the manifest's digest updated
//   still fails, naming the file; so does a bundle of today's layout without the member.
//   "export writes bundle_format 6" — and each format accepts only its own layouts (6: the event
//   type in Chinese as the last column of events.csv, checked against the signed entry like every
//   cell; 5: a superseded correction marked, else as 4; 4: the
//   proofs in one file, proofs.txt, the derived files as 3; 3: two more CSV columns, unit names
//   and corrections; 2: the offset columns; 1: without or with them; 1 to 3: one tlog-proof
//   file per entry); a newer format than this program reads, or a malformed one, fails naming
//   the member.
//   A bundle spanning an upgrade (version-1 entries, `upgrade`, version-2 entries) verifies in
//   every format; shared transformation ids join only the version-2 entries, in the ledger
//   and in the bundle; our transformation_id goes out as the EPCIS transformationID, and the
//   same EPCIS file without it (as the code before bundle formats wrote it) verifies as format 1.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "ledger/i18n/messages.h"
#include "ledger/json/jcs.h"
#include "ledger/regulator/derived.h"
#include "ledger/util/sha256.h"
#include "tests/support/ledger_fixture.h"

namespace at = agtrace::testing;
namespace fs = std::filesystem;

namespace {

bool has(const std::string& haystack, const std::string& needle) { return haystack.find(needle) != std::string::npos; }

const fs::path kFixtures = fs::path(AGTRACE_SOURCE_DIR) / "tests" / "fixtures";

std::string slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

void spill(const fs::path& p, const std::string& bytes) {
  std::ofstream f(p, std::ios::binary | std::ios::trunc);
  f << bytes;
}

std::string digest(const std::string& bytes) { return agtrace::hex_encode(agtrace::sha256(agtrace::as_bytes(bytes))); }

// Replaces the first `from` in bundle file `name` by `to`, and its digest in manifest.json:
// what someone who edits a bundle and covers it up does.
void edit(const fs::path& bundle, const std::string& name, const std::string& from, const std::string& to) {
  std::string bytes = slurp(bundle / name);
  const auto at = bytes.find(from);
  REQUIRE_MESSAGE(at != std::string::npos, from);
  const std::string before = digest(bytes);
  bytes.replace(at, from.size(), to);
  spill(bundle / name, bytes);
  std::string manifest = slurp(bundle / "manifest.json");
  const auto d = manifest.find(before);
  REQUIRE(d != std::string::npos);
  manifest.replace(d, before.size(), digest(bytes));
  spill(bundle / "manifest.json", manifest);
}

// A scratch folder holding a copy of the version-1 ledger (its keys 0600) and of the old
// bundles.
struct Old {
  at::TempDir dir{"agtrace-old-bundle"};

  Old() {
    for (const char* f : {"ledger.db", "log.key", "log.key.pub", "clerk.key", "clerk.key.pub"})
      fs::copy_file(kFixtures / "ledger-v1" / f, dir / f);
    for (const char* key : {"log.key", "clerk.key"})
      fs::permissions(dir / key, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace);
    fs::copy(kFixtures / "bundle-v1", dir / "old", fs::copy_options::recursive);
    fs::remove(dir / "old" / "README.md");
    fs::remove(dir / "old" / ".gitattributes");
  }

  std::string file(const char* name) const { return (dir / name).string(); }
  at::ProcessResult cli(std::vector<std::string> args, at::RunOptions options = {}) const {
    args.insert(args.begin(), {at::ledger_binary(), "--ledger", file("ledger.db")});
    options.unset_env.push_back("AGTRACE_LEDGER");
    return at::run(std::move(args), std::move(options));
  }
  std::string must(std::vector<std::string> args, at::RunOptions options = {}) const {
    auto r = cli(std::move(args), std::move(options));
    INFO(r.describe());
    REQUIRE(r.exited_with(0));
    return r.out;
  }
  at::ProcessResult verify(const fs::path& bundle) const {
    return cli({"audit", "verify-bundle", bundle.string(), "--pubkey", file("log.key.pub")});
  }
  std::string must_verify(const fs::path& bundle) const {
    auto r = verify(bundle);
    INFO(bundle.string(), "\n", r.describe());
    CHECK(r.exited_with(0));
    return r.out;
  }
  void must_fail(const fs::path& bundle, const std::string& naming) const {
    auto r = verify(bundle);
    INFO(bundle.string(), "\n", r.describe());
    CHECK(r.exited_with(1));
    CHECK(has(r.err, naming));
  }
};

}  // namespace

TEST_CASE("bundles written before bundle formats verify as they are, and edits still fail") {
  Old L;
  const fs::path old = L.dir / "old";
  for (const char* f : {"csv", "jsonl", "epcis"}) {
    CAPTURE(f);
    CHECK_FALSE(has(slurp(old / f / "manifest.json"), "bundle_format"));
    CHECK(has(L.must_verify(old / f), "regenerated and identical (bundle format 1)"));
  }
  // The old layout: the header ends with "Signed by".
  const std::string csv = slurp(old / "csv" / "events.csv");
  CHECK(has(csv, "Input lots 投入批次,Signed by 签名密钥\r\n"));
  CHECK_FALSE(has(csv, "UTC offset"));

  // An edited cell with the manifest's digest updated: regenerated in either layout of
  // format 1, neither matches.
  fs::copy(old / "csv", L.dir / "edited-csv", fs::copy_options::recursive);
  edit(L.dir / "edited-csv", "events.csv", ",LC22-AN01-H1,", ",LC22-AN01-H9,");
  L.must_fail(L.dir / "edited-csv", "events.csv: differs from the file regenerated from entries.jsonl in the layout of bundle format 1");
  fs::copy(old / "epcis", L.dir / "edited-epcis", fs::copy_options::recursive);
  edit(L.dir / "edited-epcis", "epcis.jsonld", "\"quantity\":120000", "\"quantity\":125000");
  L.must_fail(L.dir / "edited-epcis", "epcis.jsonld: differs");
  // The old CSV with the newer columns' header but old rows is neither layout.
  fs::copy(old / "csv", L.dir / "half-csv", fs::copy_options::recursive);
  edit(L.dir / "half-csv", "events.csv", "Signed by 签名密钥\r\n", "Signed by 签名密钥,UTC offset 时区偏移,Local date 当地日期\r\n");
  L.must_fail(L.dir / "half-csv", "events.csv: differs");
}

// Bundles the code of bundle format 5 wrote (tests/fixtures/bundle-v5/, see its README): a
// pre-cooling corrected twice, so that the superseded correction is marked.
TEST_CASE("bundles written in bundle format 5 verify as they are, and edits still fail") {
  at::TempDir dir{"agtrace-bundle-v5"};
  fs::copy(kFixtures / "bundle-v5", dir.path(), fs::copy_options::recursive);
  const std::string pub = (kFixtures / "ledger-v5" / "log.key.pub").string();
  auto verify = [&](const fs::path& bundle) {
    at::RunOptions o;
    o.unset_env = {"AGTRACE_LEDGER"};
    return at::run({at::ledger_binary(), "audit", "verify-bundle", bundle.string(), "--pubkey", pub, "--lang", "en"}, o);
  };
  for (const char* f : {"csv", "epcis"}) {
    CAPTURE(f);
    CHECK(has(slurp(dir / f / "manifest.json"), ",\"bundle_format\":5,"));
    auto r = verify(dir / f);
    INFO(r.describe());
    CHECK(r.exited_with(0));
    CHECK(has(r.out, "regenerated and identical (bundle format 5)"));
  }
  // Format 5's layout: no Chinese column; the superseded correction 97 names 98.
  const std::string csv = slurp(dir / "csv" / "events.csv");
  CHECK(has(csv, ",Corrected by 已被更正（条目）\r\n"));
  CHECK_FALSE(has(csv, "事件类型（中文）"));
  CHECK(has(csv, ",97 | 98\r\n"));
  CHECK(has(csv, ",98\r\n"));

  // An edited cell (the code column, or a number in EPCIS), the manifest's digest updated: fails.
  edit(dir / "csv", "events.csv", ",precooling,", ",storage,");
  auto edited = verify(dir / "csv");
  CHECK(edited.exited_with(1));
  CHECK(has(edited.err, "events.csv: differs from the file regenerated from entries.jsonl in the layout of bundle format 5"));
  edit(dir / "epcis", "epcis.jsonld", "\"bizStep\":\"packing\"", "\"bizStep\":\"shipping\"");
  auto edited_epcis = verify(dir / "epcis");
  CHECK(edited_epcis.exited_with(1));
  CHECK(has(edited_epcis.err, "epcis.jsonld: differs"));
}

// Today's CSV with its last `cells` cells of every line dropped (no cell of this export holds a
// comma or quote at its end).
std::string cut_cells(const std::string& csv, int cells) {
  std::string cut;
  for (std::size_t at = 0; at < csv.size();) {
    auto end = csv.find("\r\n", at);
    std::string line = csv.substr(at, end - at);
    for (int i = 0; i < cells; ++i) line.erase(line.rfind(','));
    cut += line + "\r\n";
    at = end + 2;
  }
  return cut;
}

// Bundle `dir` (format 4) with its proofs.txt split into one C2SP tlog-proof file per entry,
// proofs/N.tlog-proof (c2sp.org/tlog-proof: header, "index N", the hashes, an empty line, the
// checkpoint), and the manifest's file list to match: the proofs as formats 1 to 3 wrote them.
void with_proof_files(const fs::path& dir) {
  const std::string lines = slurp(dir / "proofs.txt"), checkpoint = slurp(dir / "checkpoint.txt");
  auto m = nlohmann::json::parse(slurp(dir / "manifest.json"));
  m["files"].erase("proofs.txt");
  fs::remove(dir / "proofs.txt");
  fs::create_directories(dir / "proofs");
  for (std::size_t at = 0; at < lines.size();) {
    const auto end = lines.find('\n', at);
    std::istringstream words(lines.substr(at, end - at));
    at = end + 1;
    std::string index, hash;
    words >> index;
    std::string proof = "c2sp.org/tlog-proof@v1\nindex " + index + "\n";
    while (words >> hash) proof += hash + "\n";
    proof += "\n" + checkpoint;
    spill(dir / "proofs" / (index + ".tlog-proof"), proof);
    m["files"]["proofs/" + index + ".tlog-proof"] = digest(proof);
  }
  spill(dir / "manifest.json", agtrace::json::canonicalize(m));
}

// A copy of bundle `from` whose events.csv is `csv` and whose manifest names bundle format
// `format` (no member for 1), digests fixed up: what an export of that format wrote.
void as_format(const fs::path& from, const fs::path& to, const std::string& csv, int format) {
  fs::copy(from, to, fs::copy_options::recursive);
  if (format < 4) with_proof_files(to);
  edit(to, "events.csv", slurp(from / "events.csv"), csv);
  std::string m = slurp(to / "manifest.json");
  const std::string now = ",\"bundle_format\":" + std::to_string(agtrace::regulator::kBundleFormat);
  m.replace(m.find(now), now.size(), format == 1 ? "" : ",\"bundle_format\":" + std::to_string(format));
  spill(to / "manifest.json", m);
}

TEST_CASE("export writes bundle format 6; manifests of formats 5, 4, 3, 2 and 1 over their layouts verify; formats are checked") {
  Old L;
  const fs::path now = L.dir / "now";
  L.must({"export", "--format", "csv", "--out", now.string()});
  const std::string manifest = slurp(now / "manifest.json");
  CHECK(has(manifest, ",\"bundle_format\":6,"));
  CHECK(fs::exists(now / "proofs.txt"));
  CHECK_FALSE(fs::exists(now / "proofs"));
  const std::string csv = slurp(now / "events.csv");
  CHECK(has(csv, "Signed by 签名密钥,UTC offset 时区偏移,Local date 当地日期,Unit name 单位名称,Corrected by 已被更正（条目）,"
                 "Event type (Chinese) 事件类型（中文）\r\n"));
  CHECK(has(csv, ",公斤,,采收\r\n"));  // the harvest's KGM in words, its type in Chinese
  CHECK(has(L.must_verify(now), "regenerated and identical (bundle format 6)"));

  // Format 5 wrote the file without the last column; so did 4 for a ledger without corrections
  // of corrections (5 marks a superseded correction; tests/ledger/correction_test.cpp tells the
  // two apart).
  const std::string five = cut_cells(csv, 1);
  as_format(now, L.dir / "five", five, 5);
  CHECK(has(L.must_verify(L.dir / "five"), "(bundle format 5)"));
  as_format(now, L.dir / "four", five, 4);
  CHECK(has(L.must_verify(L.dir / "four"), "(bundle format 4)"));
  // Format 3 wrote the same derived file, and one tlog-proof file per entry.
  as_format(now, L.dir / "three", five, 3);
  CHECK(has(L.must_verify(L.dir / "three"), "(bundle format 3)"));
  // Each format keeps its proofs its own way: format 4 with per-entry files, 3 with proofs.txt.
  as_format(now, L.dir / "four-with-files", five, 4);
  with_proof_files(L.dir / "four-with-files");
  L.must_fail(L.dir / "four-with-files", "proofs.txt: missing (the entries have no inclusion proofs)");
  {
    const fs::path both = L.dir / "four-and-files";
    as_format(now, both, five, 4);
    fs::copy(L.dir / "three" / "proofs", both / "proofs", fs::copy_options::recursive);
    auto m = nlohmann::json::parse(slurp(both / "manifest.json"));
    for (const auto& e : fs::directory_iterator(both / "proofs"))
      m["files"]["proofs/" + e.path().filename().string()] = digest(slurp(e.path()));
    spill(both / "manifest.json", agtrace::json::canonicalize(m));
    L.must_fail(both, "a bundle of format 4 keeps its proofs in proofs.txt");
  }
  as_format(now, L.dir / "three-with-one-file", five, 4);
  {
    std::string m = slurp(L.dir / "three-with-one-file" / "manifest.json");
    m.replace(m.find("\"bundle_format\":4"), std::string("\"bundle_format\":4").size(), "\"bundle_format\":3");
    spill(L.dir / "three-with-one-file" / "manifest.json", m);
  }
  L.must_fail(L.dir / "three-with-one-file", "(entry 0 has no inclusion proof)");

  // Format 2 wrote the CSV without the last three columns; format 1 without five, or three
  // (before and after the offset columns, with no bundle_format member).
  as_format(now, L.dir / "two", cut_cells(csv, 3), 2);
  CHECK(has(L.must_verify(L.dir / "two"), "(bundle format 2)"));
  as_format(now, L.dir / "between", cut_cells(csv, 3), 1);
  CHECK(has(L.must_verify(L.dir / "between"), "(bundle format 1)"));
  CHECK(cut_cells(csv, 5) == slurp(L.dir / "old" / "csv" / "events.csv"));  // the old layout exactly

  // Each format has its own layouts only: 6's CSV under 5, 5's under 6, 3's under 2, 2's under 3 and 4.
  as_format(now, L.dir / "six-as-five", csv, 5);
  L.must_fail(L.dir / "six-as-five", "events.csv: differs from the file regenerated from entries.jsonl in the layout of bundle format 5");
  as_format(now, L.dir / "five-as-six", five, 6);
  L.must_fail(L.dir / "five-as-six", "events.csv: differs from the file regenerated from entries.jsonl in the layout of bundle format 6");
  as_format(now, L.dir / "three-as-two", five, 2);
  L.must_fail(L.dir / "three-as-two", "events.csv: differs from the file regenerated from entries.jsonl in the layout of bundle format 2");
  as_format(now, L.dir / "cut", cut_cells(csv, 3), 3);
  L.must_fail(L.dir / "cut", "events.csv: differs from the file regenerated from entries.jsonl in the layout of bundle format 3");
  as_format(now, L.dir / "cut-four", cut_cells(csv, 3), 4);
  L.must_fail(L.dir / "cut-four", "events.csv: differs from the file regenerated from entries.jsonl in the layout of bundle format 4");

  // A format newer than this program reads, or a malformed one: exit 1 naming the member.
  for (const auto& [to, naming] : std::vector<std::pair<std::string, std::string>>{
           {"7", "bundle_format 7 is newer than this agtrace-ledger reads (formats 1 to 6)"},
           {"1", "member \"bundle_format\" is missing or malformed"},
           {"\"4\"", "member \"bundle_format\" is missing or malformed"},
           {"-4", "member \"bundle_format\" is missing or malformed"}}) {
    CAPTURE(to);
    fs::remove_all(L.dir / "bad");
    fs::copy(now, L.dir / "bad", fs::copy_options::recursive);
    std::string m = manifest;
    m.replace(m.find("\"bundle_format\":6"), std::string("\"bundle_format\":6").size(), "\"bundle_format\":" + to);
    spill(L.dir / "bad" / "manifest.json", m);
    L.must_fail(L.dir / "bad", "manifest.json: " + naming);
  }
}

// Bundle format 6 (zh16i): a regulator reading events.csv in Excel sees each event type in
// Chinese, in the last column, while "Event type" keeps its code for programs.
TEST_CASE("events.csv says each event type in Chinese from the signed entry; an edited Chinese cell fails verify-bundle") {
  Old L;
  const fs::path now = L.dir / "now";
  L.must({"export", "--format", "csv", "--out", now.string()});
  const std::string csv = slurp(now / "events.csv");
  // Each row: its code in "Event type" (column 4), its words last.
  std::map<std::string, std::string> words;  // code → Chinese, over every row
  for (std::size_t at = csv.find("\r\n") + 2; at < csv.size();) {
    const auto end = csv.find("\r\n", at);
    const std::string line = csv.substr(at, end - at);
    at = end + 2;
    std::size_t cell = 0;
    for (int i = 0; i < 3; ++i) cell = line.find(',', cell) + 1;
    const std::string code = line.substr(cell, line.find(',', cell) - cell);
    const std::string chinese = line.substr(line.rfind(',') + 1);
    CHECK_MESSAGE((!words.count(code) || words[code] == chinese), code);
    words[code] = chinese;
  }
  CHECK(words["planting"] == "种植");
  CHECK(words["harvest"] == "采收");
  CHECK(words["packing"] == "包装");
  CHECK(words["inspection"] == "检测");
  CHECK(words["shipping"] == "发货");
  CHECK(words["external"] == "外部事件");  // the buyer's EPCIS receiving
  for (const auto& [code, chinese] : words) CHECK_MESSAGE(agtrace::i18n::has_chinese(chinese), code);

  // Nothing between the signed entries and the regulator's screen may change what a row says: a
  // Chinese cell edited, with the manifest's digest fixed up, fails naming the file.
  fs::copy(now, L.dir / "edited", fs::copy_options::recursive);
  edit(L.dir / "edited", "events.csv", ",采收\r\n", ",包装\r\n");
  L.must_fail(L.dir / "edited", "events.csv: differs from the file regenerated from entries.jsonl in the layout of bundle format 6");
}

TEST_CASE("a bundle spanning an upgrade: entries judged by the rules version at their index") {
  Old L;
  const std::string clerk = L.file("clerk.key"), log_key = L.file("log.key");
  auto record = [&](const std::vector<nlohmann::json>& events) {
    at::RunOptions o;
    o.stdin_data = at::events::jsonl(events);
    L.must({"record", "--key", clerk, "--log-key", log_key, "-"}, o);
  };
  // A partner's TransformationEvent with a transformationID, as a document to import.
  auto partner = [&](const std::string& n, const std::string& in, const std::string& out) {
    nlohmann::json doc = {
        {"@context", {"https://ref.gs1.org/standards/epcis/epcis-context.jsonld"}},
        {"type", "EPCISDocument"},
        {"schemaVersion", "2.0"},
        {"creationDate", "2023-10-03T00:00:00Z"},
        {"epcisBody",
         {{"eventList",
           {{{"type", "TransformationEvent"},
             {"eventID", "urn:uuid:5a1e0000-0000-4000-8000-00000000000" + n},
             {"eventTime", "2023-10-0" + n + "T08:00:00+08:00"},
             {"eventTimeZoneOffset", "+08:00"},
             {"transformationID", "urn:uuid:7f000000-0000-4000-8000-000000000001"},
             {"inputQuantityList", {{{"epcClass", "urn:epc:class:lgtin:4012345.012345." + in}, {"quantity", 10}, {"uom", "KGM"}}}},
             {"outputQuantityList", {{{"epcClass", "urn:epc:class:lgtin:4012345.012345." + out}, {"quantity", 9}, {"uom", "KGM"}}}}}}}}}};
    const fs::path f = L.dir / ("partner-" + n + ".jsonld");
    spill(f, doc.dump());
    L.must({"import", "--key", clerk, "--log-key", log_key, "--format", "epcis", f.string()});
  };
  auto harvest = [](const std::string& id, const std::string& lot, const std::string& time) {
    return nlohmann::json{{"type", "harvest"},   {"event_id", id},         {"event_time", time},
                          {"party", "SDD"},      {"location", "140406-AN-P01"}, {"from_lot", "LC22-AN01"},
                          {"lot", lot},          {"product", "LCDC-CB"},   {"quantity", {{"value", "1000"}, {"unit", "KGM"}}}};
  };
  auto grading = [](const std::string& id, const std::string& in, const std::string& out, const std::string& time) {
    return nlohmann::json{{"type", "transformation"},
                          {"event_id", id},
                          {"event_time", time},
                          {"party", "CH"},
                          {"location", "140406-CH-PH01"},
                          {"kind", "grading"},
                          {"transformation_id", "ZH-2023-1"},
                          {"inputs", {{{"lot", in}, {"quantity", {{"value", "1000"}, {"unit", "KGM"}}}}}},
                          {"outputs", {{{"lot", out}, {"product", "LCDC-CB"}, {"quantity", {{"value", "900"}, {"unit", "KGM"}}}}}}};
  };

  // Version 1: two harvests, and a partner's transformation with an id.
  record({harvest("V1-H-A", "V1-HA", "2023-10-01T07:00:00+08:00"), harvest("V1-H-B", "V1-HB", "2023-10-01T08:00:00+08:00")});
  partner("1", "P1", "P2");
  L.must({"upgrade", "--log-key", log_key, "--reason", "2023 season rules"});
  // Version 2: the partner's second part under the same id and key, and our two parts of one
  // grading.
  partner("2", "P3", "P4");
  record({grading("V2-G-A", "V1-HA", "V2-GA", "2023-10-05T09:00:00+08:00"),
          grading("V2-G-B", "V1-HB", "V2-GB", "2023-10-05T10:00:00+08:00")});
  L.must({"checkpoint", "--log-key", log_key});

  // The partner's version-1 part joins nothing; ours join each other. (The partner's lots are
  // kept under their GS1 Digital Link.)
  const std::string p4 = "https://id.gs1.org/01/04012345123456/10/P4";
  const std::string up_p4 = L.must({"trace", p4, "--backward", "--json"});
  CHECK(has(up_p4, "/10/P3"));
  CHECK_FALSE(has(up_p4, "/10/P1"));
  CHECK(has(L.must({"trace", "V2-GB", "--backward", "--json"}), "V1-HA"));

  for (const char* format : {"csv", "jsonl", "epcis"}) {
    CAPTURE(format);
    for (const std::string& lot : {std::string("V2-GB"), p4}) {
      CAPTURE(lot);
      const fs::path out = L.dir / (std::string("span-") + format + (lot[0] == 'V' ? "-ours" : "-partner"));
      L.must({"export", "--format", format, "--lot", lot, "--out", out.string()});
      L.must_verify(out);
      const std::string entries = slurp(out / "entries.jsonl");
      CHECK(has(entries, "\"rules_upgraded\""));
      if (lot[0] == 'V') {
        CHECK(has(entries, "\"V1-H-A\""));  // through the shared id
      } else {
        CHECK_FALSE(has(entries, "5a1e0000-0000-4000-8000-000000000001"));  // version 1: not joined
      }
    }
    const fs::path all = L.dir / (std::string("span-all-") + format);
    L.must({"export", "--format", format, "--out", all.string()});
    L.must_verify(all);
  }
  // Our transformation_id goes out as the transformationID, under the recording party.
  const std::string epcis = slurp(L.dir / "span-epcis-ours" / "epcis.jsonld");
  const std::string tid = "\"transformationID\":\"https://trace.lucheng.example/party/CH/transformation/ZH-2023-1\"";
  CHECK(epcis.find(tid) != epcis.rfind(tid));  // both parts

  // The code before bundle formats wrote this EPCIS file without the transformationIDs and
  // without bundle_format: as format 1 it still verifies; with the member kept it does not.
  const fs::path before = L.dir / "span-epcis-before";
  fs::copy(L.dir / "span-epcis-ours", before, fs::copy_options::recursive);
  std::string without = epcis;
  for (auto at = without.find("," + tid); at != std::string::npos; at = without.find("," + tid))
    without.erase(at, tid.size() + 1);
  edit(before, "epcis.jsonld", epcis, without);
  L.must_fail(before, "epcis.jsonld: differs from the file regenerated from entries.jsonl in the layout of bundle format 6");
  with_proof_files(before);
  {
    std::string m = slurp(before / "manifest.json");
    m.erase(m.find(",\"bundle_format\":6"), std::string(",\"bundle_format\":6").size());
    spill(before / "manifest.json", m);
  }
  CHECK(has(L.must_verify(before), "(bundle format 1)"));
}
