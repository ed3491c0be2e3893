// Issue 5, "What it must show" (DESIGN §6): changing one byte in any file of an export bundle —
// and then fixing up the manifest — makes verify-bundle fail naming the file; the untouched
// bundle passes on a machine without the ledger file. Also: what a selection exports, CSV for
// Excel (BOM, CRLF), late-recorded events in a time window.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>
#include <tuple>

#include "ledger/json/jcs.h"
#include "ledger/regulator/bundle.h"
#include "ledger/regulator/testing/season.h"
#include "ledger/util/error.h"
#include "ledger/util/sha256.h"

using namespace agtrace;
using namespace agtrace::regulator;
namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

void spit(const fs::path& p, const std::string& s) {
  std::ofstream f(p, std::ios::binary | std::ios::trunc);
  f << s;
}

std::vector<std::string> files_of(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) out.push_back(fs::relative(e.path(), dir).generic_string());
  std::sort(out.begin(), out.end());
  return out;
}

// Rewrites the manifest's digest of `rel` to match the file as it now is.
void fix_manifest(const fs::path& dir, const std::string& rel) {
  auto m = nlohmann::json::parse(slurp(dir / "manifest.json"));
  m["files"][rel] = hex_encode(sha256(as_bytes(slurp(dir / rel))));
  spit(dir / "manifest.json", json::canonicalize(m));
}

std::string failure(const fs::path& dir, const note::VerifierKey& key) {
  try {
    verify_bundle(dir, key);
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::verification) return e.what();
    return std::string("wrong kind: ") + e.what();
  }
  return "";
}

std::set<std::uint64_t> selected_of(const fs::path& dir) {
  auto m = nlohmann::json::parse(slurp(dir / "manifest.json"));
  return m["selected"].get<std::set<std::uint64_t>>();
}

std::set<std::string> event_ids(Ledger& l, const std::set<std::uint64_t>& indices) {
  std::set<std::string> out;
  for (auto i : indices) out.insert(l.entry(i).event["event_id"].get<std::string>());
  return out;
}

}  // namespace

TEST_CASE("one byte changed in any file of a bundle, manifest fixed up: verify-bundle names the file") {
  testing::Season s;
  Ledger l(s.path(), false);
  const auto key = l.info().log_key;
  for (auto format : {ExportFormat::csv, ExportFormat::jsonl, ExportFormat::epcis}) {
    CAPTURE(format_name(format));
    Selection sel;
    sel.lot = "K2";
    fs::path dir = s.dir() / ("bundle-" + format_name(format));
    export_bundle(l, sel, format, dir);
    REQUIRE(failure(dir, key) == "");
    for (const auto& rel : files_of(dir)) {
      const std::string original = slurp(dir / rel);
      for (std::size_t at : {std::size_t{0}, original.size() / 2, original.size() - 2}) {
        CAPTURE(rel);
        CAPTURE(at);
        std::string changed = original;
        changed[at] = changed[at] == '7' ? '8' : '7';
        spit(dir / rel, changed);
        if (rel != "manifest.json") fix_manifest(dir, rel);
        std::string why = failure(dir, key);
        CHECK(why.find(rel) != std::string::npos);
        spit(dir / rel, original);
        if (rel != "manifest.json") fix_manifest(dir, rel);
      }
    }
    CHECK(failure(dir, key) == "");
    // A file added, a file removed.
    spit(dir / "extra.txt", "x");
    CHECK(failure(dir, key).find("extra.txt") != std::string::npos);
    fs::remove(dir / "extra.txt");
    auto saved = slurp(dir / "proofs.txt");
    fs::remove(dir / "proofs.txt");
    CHECK(failure(dir, key).find("proofs.txt") != std::string::npos);
    spit(dir / "proofs.txt", saved);
    CHECK(failure(dir, key) == "");
  }
}

// docs/regulator.md "Bundle formats", format 4: "proofs.txt: one line per line of
// entries.jsonl, in its order: the entry's index, then its audit path in base64".
TEST_CASE("bundle format 4: proofs.txt proves each entry of entries.jsonl in order, line by line") {
  testing::Season s;
  Ledger l(s.path(), false);
  const auto key = l.info().log_key;
  fs::path dir = s.dir() / "bundle";
  export_bundle(l, Selection{}, ExportFormat::jsonl, dir);
  REQUIRE(failure(dir, key) == "");
  const std::string proofs = slurp(dir / "proofs.txt"), entries = slurp(dir / "entries.jsonl");
  std::vector<std::string> lines;
  for (std::size_t at = 0; at < proofs.size();) {
    auto end = proofs.find('\n', at);
    lines.push_back(proofs.substr(at, end - at));
    at = end + 1;
  }
  // One line per entry; line k is "INDEX HASH…" of the k-th entry, and checks against the
  // checkpoint as a C2SP tlog-proof of the same path would.
  REQUIRE(lines.size() == static_cast<std::size_t>(std::count(entries.begin(), entries.end(), '\n')));
  REQUIRE(lines.size() >= 3);
  const auto cp = l.open_checkpoint(slurp(dir / "checkpoint.txt"));
  for (std::size_t k = 0; k < lines.size(); ++k) {
    std::istringstream words(lines[k]);
    std::uint64_t index = 0;
    words >> index;
    std::size_t line_at = 0;
    for (std::size_t j = 0; j < k; ++j) line_at = entries.find('\n', line_at) + 1;
    CHECK(nlohmann::json::parse(entries.substr(line_at, entries.find('\n', line_at) - line_at))["index"] == index);
    CHECK(l.inclusion_proof(index, cp.size) == [&] {
      std::vector<Hash> path;
      std::string h;
      while (words >> h) {
        auto b = base64_decode(h, "hash");
        std::copy(b.begin(), b.end(), path.emplace_back().begin());
      }
      return path;
    }());
  }

  // Broken on purpose: each fails naming proofs.txt and the line.
  auto joined = [](const std::vector<std::string>& ls) {
    std::string out;
    for (const auto& x : ls) out += x + "\n";
    return out;
  };
  auto swapped = lines;
  std::swap(swapped[1], swapped[2]);
  auto dropped = lines;
  dropped.pop_back();
  auto extra = lines;
  extra.push_back(lines.back());
  auto other_path = lines;  // line 2 with line 3's hashes
  other_path[1] = lines[1].substr(0, lines[1].find(' ')) + lines[2].substr(lines[2].find(' '));
  auto short_hash = lines;
  short_hash[0] += " AAAA";
  for (const auto& [name, text, naming] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"lines out of order", joined(swapped), "proofs.txt line 2 (entry "},
           {"a line missing", joined(dropped), "has no inclusion proof"},
           {"a line too many", joined(extra), "more proofs than entries.jsonl has entries"},
           {"another entry's path", joined(other_path), "proofs.txt line 2 (entry "},
           {"a hash of 3 bytes", joined(short_hash), "proofs.txt line 1 (entry 0): proof hash"},
           {"no final newline", proofs.substr(0, proofs.size() - 1), "not terminated by a newline"},
           {"CRLF", joined(lines).insert(lines[0].size(), "\r"), "proofs.txt line 1"}}) {
    CAPTURE(name);
    spit(dir / "proofs.txt", text);
    fix_manifest(dir, "proofs.txt");
    const std::string why = failure(dir, key);
    CHECK(why.find(naming) != std::string::npos);
    CHECK(why.rfind("proofs.txt", 0) == 0);
  }
  spit(dir / "proofs.txt", proofs);
  fix_manifest(dir, "proofs.txt");
  CHECK(failure(dir, key) == "");
}

TEST_CASE("the untouched bundle passes without the ledger file; an edited one exits 1 naming the file") {
  testing::Season s;
  fs::path dir = s.dir() / "bundle";
  std::string out, err;
  REQUIRE(testing::run(testing::ledger_binary() + " --ledger " + s.path() + " export --format csv --lot PA --out " +
                           dir.string(),
                       out, err) == 0);
  fs::path pub = s.dir() / "log.key.pub";
  fs::path elsewhere = fs::temp_directory_path() / ("agtrace-bundle-copy-" + std::to_string(::getpid()));
  fs::remove_all(elsewhere);
  fs::create_directories(elsewhere);
  fs::copy(dir, elsewhere / "bundle", fs::copy_options::recursive);
  fs::copy_file(pub, elsewhere / "log.pub");
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(s.path() + suffix);
  REQUIRE_FALSE(fs::exists(s.path()));
  const std::string verify = testing::ledger_binary() + " audit verify-bundle " + (elsewhere / "bundle").string() +
                             " --pubkey " + (elsewhere / "log.pub").string();
  CHECK(testing::run(verify, out, err) == 0);
  CAPTURE(err);
  CHECK(out.find("OK") == 0);

  auto csv = slurp(elsewhere / "bundle" / "events.csv");
  CHECK(csv.rfind("\xEF\xBB\xBF", 0) == 0);
  CHECK(csv.find("\r\n") != std::string::npos);
  CHECK(csv.find("潞城大葱") != std::string::npos);
  auto row = csv.find("harvest-HA");
  CHECK(row != std::string::npos);
  std::string edited = csv;
  edited[row] = 'H';
  spit(elsewhere / "bundle" / "events.csv", edited);
  fix_manifest(elsewhere / "bundle", "events.csv");
  CHECK(testing::run(verify, out, err) == 1);
  CHECK(err.find("events.csv") != std::string::npos);
  fs::remove_all(elsewhere);
}

TEST_CASE("selections: a lot with its lineage, a product, a party, a time window, an entry range") {
  testing::Season s;
  Ledger l(s.path(), true);
  int n = 0;
  auto export_ids = [&](Selection sel) {
    fs::path dir = s.dir() / ("sel-" + std::to_string(n++));
    export_bundle(l, sel, ExportFormat::jsonl, dir);
    CHECK(failure(dir, l.info().log_key) == "");
    return event_ids(l, selected_of(dir));
  };
  Selection k1;
  k1.lot = "K1";
  auto ids = export_ids(k1);
  CHECK(ids.count("plant-PA"));
  CHECK(ids.count("spray-PA-0001"));
  CHECK(ids.count("split-HA"));
  CHECK_FALSE(ids.count("plant-PB"));
  CHECK_FALSE(ids.count("ship-SH-2"));
  Selection buyer;
  buyer.party = "BUYER-2";
  CHECK(export_ids(buyer) == std::set<std::string>{"ship-SH-2"});

  // A late-recorded event: inside an old window, recorded after the window closed.
  auto late = nlohmann::json{{"type", "inspection"}, {"event_id", "late-inspection"},
                             {"event_time", "2022-10-03T10:00:00+08:00"}, {"party", "COOP"}, {"location", "BASE"},
                             {"lots", {"M1"}}, {"report_no", "R-9"}, {"result", "pass"},
                             {"items", {{{"name", "chlorpyrifos"}, {"measured", "0.01"}, {"result", "pass"}}}}};
  l.append({prepare_event(late, "late")}, s.clerk(), {});
  l.sign_checkpoint(s.log_key());
  Selection window;
  window.from = "2022-10-02T00:00:00+08:00";
  window.to = "2022-10-04T00:00:00+08:00";
  auto r = export_bundle(l, window, ExportFormat::csv, s.dir() / "window");
  CHECK(r.selected == 4);  // split-HA, grade-HB, merge-M1, late-inspection
  REQUIRE(r.late.size() == 1);
  CHECK(l.entry(r.late[0]).event["event_id"] == "late-inspection");
  Selection range;
  parse_entry_range(std::to_string(r.late[0]) + "..", range);
  CHECK(export_ids(range) == std::set<std::string>{"late-inspection"});
  Selection bad;
  CHECK_THROWS_AS(parse_entry_range("9..3", bad), Error);
  CHECK_THROWS_AS(export_bundle(l, window, ExportFormat::csv, s.dir() / "window"), Error);  // not empty
}

TEST_CASE("derived files: each entry judged by the rules version at its index; each bundle format's layouts") {
  // A bundle's entries as a ledger of version 1 upgraded to 2 holds them: a transformation
  // with a transformation_id under each version (version 1 refuses one on append; the replay
  // must still not judge entry 1 by the version of entry 2).
  auto entry = [](std::uint64_t index, nlohmann::json event) {
    Entry e;
    e.index = index;
    e.key_id = "clerk+00000000";
    e.event_canonical = json::canonicalize(event);
    e.event = std::move(event);
    return e;
  };
  auto part = [](const std::string& id, const std::string& in, const std::string& out) {
    return nlohmann::json{{"type", "transformation"}, {"event_id", id}, {"event_time", "2022-10-05T08:30:00+08:00"},
                          {"party", "CH"}, {"location", "L"}, {"kind", "grading"}, {"transformation_id", "ZH-1"},
                          {"inputs", {{{"lot", in}, {"quantity", {{"value", "10"}, {"unit", "KGM"}}}}}},
                          {"outputs", {{{"lot", out}, {"quantity", {{"value", "9"}, {"unit", "KGM"}}}}}}};
  };
  std::vector<Entry> entries = {
      entry(0, {{"type", "log_init"}, {"event_id", "init"}, {"event_time", "2022-01-01T00:00:00Z"},
                {"base_url", "https://trace.example"}}),
      entry(1, part("t-v1", "A", "B")),
      entry(2, {{"type", "rules_upgraded"}, {"event_id", "up"}, {"event_time", "2022-06-01T00:00:00Z"}, {"rules_version", 2}}),
      entry(3, part("t-v2", "C", "D"))};
  auto doc = nlohmann::json::parse(derived_file(entries, {1, 3}, ExportFormat::epcis));
  const auto& list = doc["epcisBody"]["eventList"];
  REQUIRE(list.size() == 2);
  CHECK_FALSE(list[0].contains("transformationID"));
  CHECK(list[1]["transformationID"] == "https://trace.example/party/CH/transformation/ZH-1");

  // Format 2: one layout, today's; format 1: the CSV without and with the offset columns,
  // never a transformationID.
  REQUIRE(layouts_of(kBundleFormat).size() == 1);
  CHECK(derived_file(entries, {1, 3}, ExportFormat::csv, layouts_of(kBundleFormat)[0]) ==
        derived_file(entries, {1, 3}, ExportFormat::csv));
  const auto v1 = layouts_of(kFirstBundleFormat);
  REQUIRE(v1.size() == 2);
  const std::string without = derived_file(entries, {1, 3}, ExportFormat::csv, v1[0]);
  const std::string with = derived_file(entries, {1, 3}, ExportFormat::csv, v1[1]);
  CHECK(without.find("Signed by 签名密钥\r\n") != std::string::npos);
  CHECK(with.find("Signed by 签名密钥,UTC offset 时区偏移,Local date 当地日期\r\n") != std::string::npos);
  CHECK(with.find(",'+08:00,2022-10-05\r\n") != std::string::npos);
  CHECK(without.find("+08:00,2022-10-05\r\n") == std::string::npos);
  for (const auto& layout : v1)
    CHECK(derived_file(entries, {1, 3}, ExportFormat::epcis, layout).find("transformationID") == std::string::npos);
  CHECK_THROWS_AS(layouts_of(kBundleFormat + 1), std::out_of_range);
}

TEST_CASE("a certificate in a bundle: exported with its lot, verified offline; its quantity changed is caught") {
  testing::Season s;
  Ledger l(s.path(), false);
  const auto key = l.info().log_key;
  Selection sel;
  sel.lot = "K3";
  fs::path dir = s.dir() / "bundle-certificate";
  export_bundle(l, sel, ExportFormat::jsonl, dir);
  REQUIRE(failure(dir, key) == "");
  const std::string entries = slurp(dir / "entries.jsonl");
  REQUIRE(entries.find("\"certificate_issued\"") != std::string::npos);
  REQUIRE(slurp(dir / "events.jsonl").find("LC-2022-0003") != std::string::npos);
  // The quantity on the certificate, 10 boxes, made 100 in the entry and the derived file alike.
  for (const char* rel : {"entries.jsonl", "events.jsonl"}) {
    std::string text = slurp(dir / rel);
    const std::string from = R"("quantity":{"unit":"H87","value":"10"})";
    auto at = text.find(from, text.find("LC-2022-0003") - std::min<std::size_t>(text.find("LC-2022-0003"), 400));
    REQUIRE(at != std::string::npos);
    text.replace(at, from.size(), R"("quantity":{"unit":"H87","value":"100"})");
    spit(dir / rel, text);
    fix_manifest(dir, rel);
  }
  std::string why = failure(dir, key);
  CHECK(why.find("entries.jsonl") != std::string::npos);
}
