// A code's proof against the size of its label job (issue 12 "Speed": a code's proofs
// must not cost time in proportion to its label job's size). One ledger with two
// labels_issued jobs, of --small (default 1,000) and --big (default 1,000,000) codes, is
// replayed into a state file the way agtrace-verifier serve builds its own (Replay with
// each job's serial tree, verifier/state/serial_trees.h); then, for codes drawn at random
// from each job, in the same run:
//   - the verifier's lookup (serial_leaf + serial_proof from the stored tree), per second;
//     the big job's rate against the small job's: ratio ~1 means the cost does not grow
//     with the job (it grows as log n: 10 stored nodes for 1,000 codes, 20 for 1,000,000);
//   - for reference, Ledger::serial_proof, which reads and hashes the whole job per lookup.
// The ledger and state are built once and kept under --dir (default
// build-bench/bench-data/serial_proof). Not a test: nothing asserts a time.
//
// Usage: serial_proof_bench [--small N] [--big N] [--seconds S] [--dir DIR] [--rows FILE]
#include <fmt/format.h>
#include <time.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "ledger/ledger.h"
#include "ledger/replay.h"
#include "ledger/store/schema.h"
#include "verifier/state/serial_trees.h"

namespace fs = std::filesystem;
using namespace agtrace;

namespace {

using Clock = std::chrono::steady_clock;

double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

struct Rate {
  double wall = 0, cpu = 0;
};

// Runs `one(i)` for at least `seconds` (and at least `min_calls` times).
template <typename F>
Rate rate_of(double seconds, int min_calls, F&& one) {
  std::uint64_t n = 0;
  double c0 = cpu_seconds();
  auto t0 = Clock::now();
  double elapsed = 0;
  do {
    one(n++);
    elapsed = std::chrono::duration<double>(Clock::now() - t0).count();
  } while (elapsed < seconds || n < static_cast<std::uint64_t>(min_calls));
  return {static_cast<double>(n) / elapsed, static_cast<double>(n) / (cpu_seconds() - c0)};
}

std::string serial_of(std::uint64_t i) { return fmt::format("7K{:011}", i); }

// The ledger: master data, one packed lot of small + big units, then the two jobs.
void build_ledger(const std::string& path, std::uint64_t small, std::uint64_t big) {
  auto log_key = note::SigningKey::generate("bench.trace.example/log");
  auto clerk = note::SigningKey::generate("bench-clerk");
  Ledger::create(path, "https://bench.trace.example", log_key);
  Ledger l(path, true);
  l.database().exec("PRAGMA synchronous=OFF");  // a scratch file
  l.audit_before_writing(false);                 // built here, job after job
  auto vkey = note::verifier_key_of(clerk);
  l.append({prepare_event({{"type", "key_added"}, {"event_id", "k1"}, {"event_time", "2022-03-01T08:00:00+08:00"},
                           {"name", vkey.name}, {"vkey", vkey.to_string()}, {"role", "clerk"}},
                          "bench")},
           log_key, {});
  const std::uint64_t units = small + big;
  const std::string kg = std::to_string(units * 5);
  std::vector<nlohmann::json> season = {
      {{"type", "party"}, {"event_id", "p"}, {"event_time", "2022-03-01T09:00:00+08:00"}, {"party_id", "COOP"},
       {"name", "潞城区示例种植专业合作社"}, {"role", "cooperative"}},
      {{"type", "location"}, {"event_id", "l1"}, {"event_time", "2022-03-01T09:00:00+08:00"}, {"location_id", "PLOT"},
       {"name", "熬脑村1号地块"}, {"kind", "plot"}, {"owner", "COOP"}},
      {{"type", "location"}, {"event_id", "l2"}, {"event_time", "2022-03-01T09:00:00+08:00"}, {"location_id", "PACK"},
       {"name", "包装车间"}, {"kind", "packing_house"}, {"owner", "COOP"}},
      {{"type", "product"}, {"event_id", "g"}, {"event_time", "2022-03-01T09:00:00+08:00"}, {"product_id", "LCDC"},
       {"name", "潞城大葱"}, {"brand", {{"regional", "潞城大葱"}}}},
      {{"type", "planting"}, {"event_id", "e1"}, {"event_time", "2022-04-01T08:00:00+08:00"}, {"party", "COOP"},
       {"location", "PLOT"}, {"lot", "P1"}, {"product", "LCDC"}, {"area_mu", "2000"}},
      {{"type", "harvest"}, {"event_id", "e2"}, {"event_time", "2022-10-01T08:00:00+08:00"}, {"party", "COOP"},
       {"location", "PLOT"}, {"lot", "H1"}, {"from_lot", "P1"}, {"quantity", {{"value", kg}, {"unit", "KGM"}}}},
      {{"type", "packing"}, {"event_id", "e3"}, {"event_time", "2022-10-02T08:00:00+08:00"}, {"party", "COOP"},
       {"location", "PACK"}, {"input_lot", "H1"}, {"input_quantity", {{"value", kg}, {"unit", "KGM"}}},
       {"lot", "K1"}, {"product", "LCDC"}, {"count", units}, {"pack_size", {{"value", "5"}, {"unit", "KGM"}}}},
      {{"type", "certificate_issued"}, {"event_id", "c1"}, {"event_time", "2022-10-02T09:00:00+08:00"},
       {"number", "K1-CERT"}, {"style", "producer"}, {"issuer", "COOP"}, {"lot", "K1"}, {"product", "LCDC"},
       {"quantity", {{"value", std::to_string(units)}, {"unit", "H87"}}}, {"origin", "PLOT"},
       {"bases", {{{"basis", "quality_control"}}}}}};
  std::vector<PreparedEvent> prepared;
  for (auto& e : season) prepared.push_back(prepare_event(std::move(e), "bench"));
  l.append(prepared, clerk, {});
  std::uint64_t next = 0;
  for (std::uint64_t n : {small, big}) {
    LabelJob job{"labels_issued", "K1", {}, "COOP", "PACK", "", "", ""};
    for (std::uint64_t i = 0; i < n; ++i) job.serials.push_back(serial_of(next++));
    l.record_label_job(job, clerk);
  }
}

// The state, as the verifier builds it (verified_state.cpp: no journal during the replay).
void build_state(const std::string& ledger_path, const std::string& state_path) {
  sql::Database state(state_path, sql::OpenMode::create);
  state.exec("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;");
  state.exec(store::kPrimarySchema);
  state.exec(verifier::kSerialTreeSchema);
  state.exec(fmt::format("PRAGMA user_version = {}", store::kSchemaVersion));
  ReplayOptions options;
  options.keep_all_entries = true;
  options.on_label_job = [&state](std::uint64_t index, const std::string& type, const std::vector<std::string>& s) {
    if (type == "labels_issued") verifier::record_serial_tree(state, index, s);
  };
  Replay replay(state, options);
  sql::Database source(ledger_path, sql::OpenMode::read_only);
  auto tx = sql::Transaction::read(source);
  replay.run(source);
}

}  // namespace

int main(int argc, char** argv) {
  std::uint64_t small = 1000, big = 1'000'000;
  double seconds = 1.0;
  std::string dir_arg, rows_file;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&] { return i + 1 < argc ? std::string(argv[++i]) : std::string(); };
    if (a == "--small") small = std::stoull(value());
    else if (a == "--big") big = std::stoull(value());
    else if (a == "--seconds") seconds = std::stod(value());
    else if (a == "--dir") dir_arg = value();
    else if (a == "--rows") rows_file = value();
    else {
      std::cerr << "usage: serial_proof_bench [--small N] [--big N] [--seconds S] [--dir DIR] [--rows FILE]\n";
      return 2;
    }
  }
  if (small == 0 || big == 0) {
    std::cerr << "serial_proof_bench: --small and --big: give at least 1 code per job\n";
    return 2;
  }
  try {
    fs::path dir = dir_arg.empty() ? fs::path(argv[0]).parent_path().parent_path() / "bench-data" / "serial_proof"
                                   : fs::path(dir_arg);
    fs::create_directories(dir);
    const std::string ledger_path = (dir / fmt::format("ledger-{}-{}.db", small, big)).string();
    const std::string state_path = (dir / fmt::format("state-{}-{}.db", small, big)).string();
    if (!fs::exists(ledger_path) || !fs::exists(state_path)) {
      std::cout << fmt::format("building a ledger with label jobs of {} and {} codes (once; kept in {})\n", small,
                               big, dir.string());
      fs::remove(ledger_path);
      fs::remove(state_path);
      auto t0 = Clock::now();
      build_ledger(ledger_path + ".tmp", small, big);
      auto t1 = Clock::now();
      build_state(ledger_path + ".tmp", state_path + ".tmp");
      auto t2 = Clock::now();
      std::cout << fmt::format("ledger {:.1f} s; replay into the state with serial trees {:.1f} s\n",
                               std::chrono::duration<double>(t1 - t0).count(),
                               std::chrono::duration<double>(t2 - t1).count());
      fs::rename(ledger_path + ".tmp", ledger_path);
      fs::rename(state_path + ".tmp", state_path);
    }
    Ledger state(state_path, false);
    state.database().exec("PRAGMA cache_size = -2048");  // as each of the verifier's readers
    std::mt19937_64 rng(12);
    auto lookup_rate = [&](std::uint64_t first, std::uint64_t n) {
      return rate_of(seconds, 1, [&](std::uint64_t) {
        auto leaf = verifier::serial_leaf(state.database(), serial_of(first + rng() % n));
        if (!leaf) throw std::runtime_error("a code of the job is missing from the state");
        if (verifier::serial_proof(state.database(), *leaf).count != n) throw std::runtime_error("wrong job size");
      });
    };
    auto full_rate = [&](std::uint64_t first, std::uint64_t n) {
      return rate_of(seconds, 3, [&](std::uint64_t) {
        if (state.serial_proof(serial_of(first + rng() % n)).count != n) throw std::runtime_error("wrong job size");
      });
    };
    Rate tree_small = lookup_rate(0, small), tree_big = lookup_rate(small, big);
    Rate full_small = full_rate(0, small), full_big = full_rate(small, big);

    struct Row {
      std::string figure;
      Rate value;
      std::string baseline;
      Rate base;
      std::string goal;
    };
    const std::string small_label = fmt::format("same, job of {} codes", small);
    std::vector<Row> rows = {
        {fmt::format("code proof from the state's tree, job of {} codes", big), tree_big, small_label, tree_small,
         ">= 0.50"},
        {fmt::format("ref: Ledger::serial_proof (reads the job), {} codes", big), full_big, small_label, full_small,
         ""},
    };
    std::cout << fmt::format("\n{:<58} {:>12}  {:<30} {:>12}  {:>6}  {:>9}\n", "figure", "lookups/s",
                             "same-run baseline", "lookups/s", "ratio", "CPU ratio");
    std::ofstream out;
    if (!rows_file.empty()) out.open(rows_file, std::ios::app);
    for (const auto& r : rows) {
      const double ratio = r.value.wall / r.base.wall, cpu_ratio = r.value.cpu / r.base.cpu;
      std::cout << fmt::format("{:<58} {:>12.1f}  {:<30} {:>12.1f}  {:>6.3f}  {:>9.3f}\n", r.figure, r.value.wall,
                               r.baseline, r.base.wall, ratio, cpu_ratio);
      if (out)
        out << fmt::format("{}\t{:.1f}\t/s\t{}\t{:.1f}\t{:.3f}\t{}\t{:.3f}\n", r.figure, r.value.wall, r.baseline,
                           r.base.wall, ratio, r.goal, cpu_ratio);
    }
    std::cout << fmt::format("one lookup: {:.1f} us ({} codes), {:.1f} us ({} codes); Ledger::serial_proof: "
                             "{:.1f} ms ({} codes)\n",
                             1e6 / tree_small.wall, small, 1e6 / tree_big.wall, big, 1e3 / full_big.wall, big);
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "serial_proof_bench: " << e.what() << "\n";
    return 1;
  }
}
