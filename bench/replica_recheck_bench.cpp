// The recheck a printer station's verified replica makes on every change of the ledger file
// (verifier/state/verified_state.h, StateConfig::recheck_on_change; docs/station.md "账本副本"):
// on a ledger of `--entries` entries (default 100,000, built once by verifier_bench_ledger and
// kept under BUILD/bench-data/replica_recheck/), a VerifiedState as the station runs it (poll
// every 100 ms, recheck on change) verifies the file, then the file's modification time is
// touched `--changes` times (default 10): each touch is a change with no new entry, so what
// the follower spends on it is the recheck alone. Figures: the recheck's CPU seconds per change
// (the process's CPU less its idle polling; the median), against the same run's floor — one
// plain read of the file's entries in index order, which any recheck of every entry must make;
// and the wall-clock time from an edit of an early entry (entry 10, one byte) to the replica's
// failed state, which is what an operator waits for (a poll, the recheck, on a loaded machine
// the share of a core the follower gets). Not a test: nothing asserts.
//
//   replica_recheck_bench [--rows FILE] [--entries N] [--changes K]
#include <fmt/format.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "ledger/note/verifier_key.h"
#include "ledger/store/sqlite.h"
#include "verifier/state/verified_state.h"

using namespace agtrace;
namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// Waits until the process has used less than 2 ms of CPU over 400 ms (the follower is back to
// polling).
void wait_quiet() {
  for (;;) {
    const double c0 = cpu_seconds();
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    if (cpu_seconds() - c0 < 0.002) return;
  }
}

// One plain read of every entry of `ledger` in index order on a connection of its own: the
// floor of any recheck of every entry. CPU seconds.
double floor_read(const std::string& ledger) {
  sql::Database db(ledger, sql::OpenMode::read_only);
  const double c0 = cpu_seconds();
  auto rows = db.prepare("SELECT idx, entry FROM entries ORDER BY idx");
  std::size_t bytes = 0;
  while (rows.step()) bytes += rows.column_blob(1).size();
  if (bytes == 0) throw std::runtime_error("the ledger has no entries");
  return cpu_seconds() - c0;
}

void touch(const std::string& path) {
  if (::utimensat(AT_FDCWD, path.c_str(), nullptr, 0) != 0) throw std::runtime_error("cannot touch " + path);
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t entries = 100000, changes = 10;
  std::string rows_file;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw std::runtime_error(a + " needs a value");
      return argv[++i];
    };
    if (a == "--rows") rows_file = value();
    else if (a == "--entries") entries = std::stoul(value());
    else if (a == "--changes") changes = std::max<std::size_t>(1, std::stoul(value()));
    else {
      std::cerr << "usage: replica_recheck_bench [--rows FILE] [--entries N] [--changes K]\n";
      return 2;
    }
  }
  try {
    const fs::path self = fs::canonical("/proc/self/exe").parent_path();
    const fs::path work = self.parent_path() / "bench-data" / "replica_recheck";
    fs::create_directories(work);
    const std::string kept = (work / fmt::format("ledger-{}.db", entries)).string();
    if (!fs::exists(kept) || !fs::exists(kept + ".pub")) {
      std::cout << "building a ledger of " << entries << " entries (once; kept in " << work.string() << ")" << std::endl;
      const std::string cmd = fmt::format("'{}' '{}' '{}' {} >&2", (self / "verifier_bench_ledger").string(), kept,
                                          (work / fmt::format("codes-{}.txt", entries)).string(), entries);
      if (std::system(cmd.c_str()) != 0) throw std::runtime_error("verifier_bench_ledger failed");
    }
    // A copy to edit; the state beside it, new each run.
    const std::string ledger = (work / "run.db").string(), state = (work / "run.scans").string();
    for (const char* suffix : {"", "-wal", "-shm", ".verified", ".verified-wal", ".verified-shm", ".trust"}) {
      fs::remove(ledger + suffix);
      fs::remove(state + suffix);
    }
    fs::copy_file(kept, ledger);
    std::string pub;
    std::getline(std::ifstream(kept + ".pub"), pub);

    verifier::StateConfig c;
    c.ledger_path = ledger;
    c.state_path = state + ".verified";
    c.trust_path = state + ".trust";
    c.pinned_log_keys = {note::parse_verifier_key(pub)};
    c.poll_interval_ms = 100;
    c.recheck_on_change = true;
    c.program = "replica_recheck_bench";
    verifier::VerifiedState v(c);
    const auto started = Clock::now();
    v.start();
    while (v.health().status == verifier::StateStatus::replaying) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    if (v.health().status != verifier::StateStatus::verified) throw std::runtime_error("the ledger did not verify");
    const std::uint64_t n = v.health().entries;
    std::cout << fmt::format("verified {} entries in {:.1f} s", n, since(started)) << std::endl;
    wait_quiet();

    // Idle polling, to subtract.
    double c0 = cpu_seconds();
    auto t0 = Clock::now();
    std::this_thread::sleep_for(std::chrono::seconds(2));
    const double idle_rate = (cpu_seconds() - c0) / since(t0);

    std::vector<double> cpu;
    for (std::size_t k = 0; k < changes; ++k) {
      c0 = cpu_seconds();
      t0 = Clock::now();
      touch(ledger);
      wait_quiet();
      const double used = cpu_seconds() - c0 - idle_rate * since(t0);
      cpu.push_back(used);
      std::cout << fmt::format("change {}: recheck {:.3f} s CPU", k + 1, used) << std::endl;
    }
    if (v.health().status != verifier::StateStatus::verified) throw std::runtime_error("the untouched ledger stopped verifying");
    std::sort(cpu.begin(), cpu.end());
    const double cpu_med = cpu[cpu.size() / 2];
    const double floor = floor_read(ledger);

    // An edit of an early entry: one byte of entry 10 ('1' to '9' at its first 1), in place.
    {
      sql::Database db(ledger, sql::OpenMode::read_write);
      db.exec("DROP TRIGGER IF EXISTS entries_no_update");
      c0 = cpu_seconds();
      t0 = Clock::now();
      db.exec("UPDATE entries SET entry = CAST(substr(CAST(entry AS TEXT), 1, instr(CAST(entry AS TEXT), '1') - 1) || "
              "'9' || substr(CAST(entry AS TEXT), instr(CAST(entry AS TEXT), '1') + 1) AS BLOB) WHERE idx = 10");
    }
    while (v.health().status == verifier::StateStatus::verified && since(t0) < 120)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    const double detect = since(t0);
    const auto h = v.health();
    if (h.status != verifier::StateStatus::failed) throw std::runtime_error("the edited entry was not caught");
    std::cout << fmt::format("edit of entry 10 caught in {:.3f} s: {}", detect, h.reason) << std::endl;

    const double per100k = 100000.0 / static_cast<double>(n);
    std::cout << fmt::format("{} entries; recheck per change (median of {}): {:.3f} s CPU ({:.3f} s per 100k); a plain "
                             "read of the entries {:.3f} s CPU; load {}",
                             n, changes, cpu_med, cpu_med * per100k, floor,
                             [] {
                               std::string l;
                               std::getline(std::ifstream("/proc/loadavg"), l);
                               return l;
                             }())
              << std::endl;
    if (!rows_file.empty()) {
      std::ofstream rows(rows_file, std::ios::app);
      rows << fmt::format("recheck per change, {} entries (CPU)\t{:.3f}\ts\tplain read of the entries\t{:.3f}\t{:.2f}\t\t\n",
                          n, cpu_med, floor, floor / cpu_med);
      rows << fmt::format("edit of entry 10 to fail-closed, {} entries (wall)\t{:.3f}\ts\t\t\t\t\t\n", n, detect);
    }
  } catch (const std::exception& e) {
    std::cerr << "replica_recheck_bench: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
