// regulator_bench: how fast the regulator tools read the ledger (issue 5 "Speed"), each figure
// beside the same-run time to read and JSON-parse the same rows with a plain SQLite query.
//
//   export csv     the CSV derived file of N events, from their entries (derived.h), against
//                  SELECT entry FROM entries + nlohmann::json::parse of each row
//   export epcis   the same for the EPCIS 2.0 document
//   proofs         the bundle's inclusion proofs on their own, as export_bundle makes them for
//                  bundle format 4 (Ledger::inclusion_proofs, indices in order, each made a line
//                  of proofs.txt: index and base64 hashes; goal 100k/s, issue 17); for reference
//                  one Ledger::inclusion_proof per call made a C2SP tlog-proof (`proof inclusion`)
//   export bundle  the whole `export --format csv` bundle written to disk, proofs included
//   trace forward  regulator::trace over a lot with D descendants (10 splits of 1000 each),
//                  against reading and parsing the entries of every lot_events row of those lots
// Goal: within 3x of the plain read and parse (ratio >= 0.33 of its rate). The ledger is a
// harvest split into D lots, each then stored (one storage event per lot) until N events.
//
// Usage: regulator_bench [--events N] [--descendants D] [--dir DIR] [--keep] [--rows FILE]
#include <fmt/format.h>
#include <sqlite3.h>
#include <time.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "ledger/ledger.h"
#include "ledger/note/tlog_proof.h"
#include "ledger/note/verifier_key.h"
#include "ledger/regulator/bundle.h"
#include "ledger/regulator/derived.h"
#include "ledger/regulator/lineage.h"
#include "ledger/util/bytes.h"

namespace agtrace::bench {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

struct Options {
  std::size_t events = 100000;
  std::size_t descendants = 10000;
  std::string dir;
  bool keep = false;
  std::string rows_file;
};

double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

struct Timing {
  double wall = 0, cpu = 0;
};

template <class F>
Timing timed(F&& f) {
  auto t0 = Clock::now();
  double c0 = cpu_seconds();
  f();
  return {std::chrono::duration<double>(Clock::now() - t0).count(), cpu_seconds() - c0};
}

// A plain read and parse of the entries whose indices `sql` selects.
std::size_t read_and_parse(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr);
  std::size_t n = 0;
  while (sqlite3_step(st) == SQLITE_ROW) {
    auto* p = static_cast<const char*>(sqlite3_column_blob(st, 0));
    auto j = nlohmann::json::parse(p, p + sqlite3_column_bytes(st, 0));
    n += j.size();
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  return n;
}

nlohmann::json kg(const std::string& v) { return {{"value", v}, {"unit", "KGM"}}; }

void build(const std::string& path, const Options& o, note::SigningKey& log_key, note::SigningKey& clerk) {
  Ledger::create(path, "https://trace.example", log_key);
  Ledger l(path, true);
  nlohmann::json key = {{"type", "key_added"}, {"event_id", "k"}, {"event_time", "2022-01-01T00:00:00Z"},
                        {"name", clerk.name()}, {"vkey", note::verifier_key_of(clerk).to_string()}, {"role", "clerk"}};
  l.append({prepare_event(key, "key")}, log_key, {});
  std::vector<PreparedEvent> e;
  auto add = [&](nlohmann::json x) { e.push_back(prepare_event(std::move(x), "bench")); };
  const std::string t0 = "2022-01-01T00:00:00+08:00";
  add({{"type", "party"}, {"event_id", "p"}, {"event_time", t0}, {"party_id", "COOP"}, {"name", "山丹丹合作社"}, {"role", "cooperative"}});
  add({{"type", "location"}, {"event_id", "l"}, {"event_time", t0}, {"location_id", "BASE"}, {"name", "基地"}, {"kind", "base"}, {"owner", "COOP"}});
  add({{"type", "product"}, {"event_id", "pr"}, {"event_time", t0}, {"product_id", "SCALLION"}, {"name", "潞城大葱"},
       {"brand", {{"regional", "潞城大葱"}}}, {"gtin", "06901234000023"}});
  auto at = [](nlohmann::json x) {
    x["party"] = "COOP";
    x["location"] = "BASE";
    return x;
  };
  add(at({{"type", "planting"}, {"event_id", "plant"}, {"event_time", "2022-04-01T08:00:00+08:00"}, {"lot", "P"},
          {"product", "SCALLION"}, {"area_mu", "100"}}));
  add(at({{"type", "harvest"}, {"event_id", "harvest"}, {"event_time", "2022-10-01T08:00:00+08:00"}, {"lot", "H"},
          {"from_lot", "P"}, {"quantity", kg(std::to_string(o.descendants + 1000))}}));
  const std::size_t per_split = 1000;
  for (std::size_t s = 0; s * per_split < o.descendants; ++s) {
    nlohmann::json t = at({{"type", "transformation"}, {"event_id", fmt::format("split-{}", s)},
                           {"event_time", "2022-10-02T08:00:00+08:00"}, {"kind", "split"}});
    std::size_t outs = std::min(per_split, o.descendants - s * per_split);
    t["inputs"] = {{{"lot", "H"}, {"quantity", kg(std::to_string(outs))}}};
    t["outputs"] = nlohmann::json::array();
    for (std::size_t i = 0; i < outs; ++i)
      t["outputs"].push_back({{"lot", fmt::format("L{}-{}", s, i)}, {"quantity", kg("1")}});
    add(t);
  }
  for (std::size_t i = 0; e.size() < o.events; ++i) {
    std::size_t lot = i % o.descendants;
    add(at({{"type", "storage"}, {"event_id", fmt::format("store-{}", i)}, {"event_time", "2022-10-03T08:00:00+08:00"},
            {"lots", {fmt::format("L{}-{}", lot / per_split, lot % per_split)}}, {"start", "2022-10-03T08:00:00+08:00"},
            {"note", "冷库 2号 恒温储存"}}));
  }
  l.append(e, clerk, {});
  l.sign_checkpoint(log_key);
}

struct Row {
  std::string figure;
  double rate;
  std::string baseline;
  double baseline_rate;
  double cpu_ratio;
  std::string goal = ">= 0.33";
};

}  // namespace

int run(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&] { return i + 1 < argc ? std::string(argv[++i]) : std::string(); };
    if (a == "--events") o.events = std::stoul(value());
    else if (a == "--descendants") o.descendants = std::stoul(value());
    else if (a == "--dir") o.dir = value();
    else if (a == "--keep") o.keep = true;
    else if (a == "--rows") o.rows_file = value();
    else {
      std::cerr << "usage: regulator_bench [--events N] [--descendants D] [--dir DIR] [--keep] [--rows FILE]\n";
      return 2;
    }
  }
  fs::path dir = o.dir.empty() ? fs::temp_directory_path() / fmt::format("agtrace-regulator-bench-{}", ::getpid()) : fs::path(o.dir);
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string path = (dir / "ledger.db").string();
  auto log_key = note::SigningKey::generate("trace.example/log");
  auto clerk = note::SigningKey::generate("clerk");
  std::cout << fmt::format("building a ledger of {} events, a harvest split into {} lots ...\n", o.events, o.descendants);
  auto built = timed([&] { build(path, o, log_key, clerk); });
  std::cout << fmt::format("built in {:.1f} s\n", built.wall);

  Ledger l(path, false);
  const std::uint64_t n = l.size();
  std::vector<Entry> entries;
  std::vector<std::uint64_t> selected;
  for (std::uint64_t i = 0; i < n; ++i) {
    entries.push_back(l.entry(i));
    if (!regulator::is_support_type(entries.back().event["type"])) selected.push_back(i);
  }
  std::vector<Row> rows;
  auto baseline = timed([&] { read_and_parse(path, "SELECT entry FROM entries ORDER BY idx"); });
  const double rows_n = static_cast<double>(n);
  for (auto f : {regulator::ExportFormat::csv, regulator::ExportFormat::epcis}) {
    std::string out;
    auto t = timed([&] { out = regulator::derived_file(entries, selected, f); });
    rows.push_back({fmt::format("export {} ({} events)", regulator::format_name(f), selected.size()), rows_n / t.wall,
                    "SQLite read + JSON parse of the entries", rows_n / baseline.wall, baseline.cpu / t.cpu});
  }
  auto note_text = *l.latest_checkpoint();
  // As export_bundle makes them: Ledger::inclusion_proofs over the entries in index order, each
  // a line of proofs.txt (bundle.h).
  std::vector<std::uint64_t> all(n);
  for (std::uint64_t i = 0; i < n; ++i) all[i] = i;
  std::size_t proofs_bytes = 0;
  auto proofs = timed([&] {
    auto paths = l.inclusion_proofs(all, n);
    std::string text;
    for (std::uint64_t i = 0; i < n; ++i) {
      text += std::to_string(i);
      for (const auto& h : paths[i]) text += ' ' + base64_encode(h);
      text += '\n';
    }
    proofs_bytes = text.size();
  });
  rows.push_back({fmt::format("bundle proofs ({} proofs, {:.1f} MB of proofs.txt)", n, proofs_bytes / 1e6),
                  rows_n / proofs.wall, "", 0, 0});
  // One proof per call (`agtrace-ledger proof inclusion`, the verifier), for reference.
  auto single = timed([&] {
    for (std::uint64_t i = 0; i < n; ++i) note::format_tlog_proof({std::nullopt, i, l.inclusion_proof(i, n), note_text});
  });
  rows.push_back({fmt::format("ref: one proof per call ({} tlog-proofs)", n), rows_n / single.wall, "", 0, 0});
  auto whole = timed([&] { regulator::export_bundle(l, {}, regulator::ExportFormat::csv, dir / "bundle"); });
  rows.push_back({"export bundle csv (to disk, proofs included)", rows_n / whole.wall,
                  "SQLite read + JSON parse of the entries", rows_n / baseline.wall, baseline.cpu / whole.cpu});

  auto start = regulator::resolve_trace_start(l, "H");
  regulator::TraceResult r;
  auto trace = timed([&] { r = regulator::trace(l, start, regulator::Direction::forward, std::nullopt); });
  auto trace_base = timed([&] {
    read_and_parse(path, "SELECT e.entry FROM lot_events le JOIN entries e ON e.idx = le.entry_idx WHERE le.lot_id = 'H' "
                         "OR le.lot_id IN (SELECT child FROM lineage WHERE parent = 'H')");
  });
  const double lots = static_cast<double>(r.lots.size());
  rows.push_back({fmt::format("trace forward ({} lots, {} events)", r.lots.size(), r.events.size()), lots / trace.wall,
                  "SQLite read + JSON parse of their events", lots / trace_base.wall, trace_base.cpu / trace.cpu});

  std::cout << fmt::format("\n{:<52} {:>12}  {:<42} {:>12}  {:>6}  {:>9}\n", "figure", "rows/s", "same-run baseline",
                           "rows/s", "ratio", "CPU ratio");
  std::ofstream rows_out;
  if (!o.rows_file.empty()) rows_out.open(o.rows_file, std::ios::app);
  for (const auto& row : rows) {
    std::string ratio = row.baseline_rate > 0 ? fmt::format("{:.2f}", row.rate / row.baseline_rate) : "";
    std::string cpu = row.baseline_rate > 0 ? fmt::format("{:.2f}", row.cpu_ratio) : "";
    std::cout << fmt::format("{:<52} {:>12.0f}  {:<42} {:>12}  {:>6}  {:>9}\n", row.figure, row.rate, row.baseline,
                             row.baseline_rate > 0 ? fmt::format("{:.0f}", row.baseline_rate) : "", ratio, cpu);
    if (rows_out)
      rows_out << fmt::format("{}\t{:.0f}\t/s\t{}\t{}\t{}\t{}\t{}\n", row.figure, row.rate, row.baseline,
                              row.baseline_rate > 0 ? fmt::format("{:.0f}", row.baseline_rate) : "", ratio,
                              row.baseline_rate > 0 ? row.goal : "", cpu);
  }
  std::cout << "(goal: within 3x of the plain read and parse, i.e. ratio >= 0.33)\n";
  if (!o.keep) fs::remove_all(dir);
  return 0;
}

}  // namespace agtrace::bench

int main(int argc, char** argv) { return agtrace::bench::run(argc, argv); }
