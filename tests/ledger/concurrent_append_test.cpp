// Concurrent writers on one ledger file.
//
// Claims checked:
//   ledger/ledger.h: "Writers: any number of processes may append at once; each append is one
//   BEGIN IMMEDIATE transaction (all-or-nothing)."
//   DESIGN §3 "Storage": "one writer at a time (`BEGIN IMMEDIATE`)"; "Checkpoints": "A new
//   checkpoint is never signed unless it is consistent with the previous one."
//   Issue 2, "What it must show": "A test in which two processes append 500 events each at
//   the same time: 1000 entries, `verify` passes."
//
// Two writers run side by side, each a sequence of `agtrace-ledger record` processes (one
// writer in batches of 20 events, the other in batches of 25), each signing a checkpoint
// when done, so that transactions and checkpoint signing of the two interleave.
#include <doctest/doctest.h>

#include <set>
#include <thread>

#include "tests/support/ledger_fixture.h"

namespace at = agtrace::testing;

namespace {

constexpr int kPerWriter = 500;

struct WriterResult {
  std::vector<at::ProcessResult> failures;  // record commands that did not exit 0
  int commands = 0;
};

// Records kPerWriter storage events about lot `lot`, `batch` per `record` command.
WriterResult write_all(const at::TestLedger& ledger, const std::string& name, const std::string& lot,
                       int batch) {
  WriterResult result;
  for (int first = 0; first < kPerWriter; first += batch) {
    std::vector<nlohmann::json> evs;
    for (int i = first; i < first + batch && i < kPerWriter; ++i) {
      // Distinct, increasing times so the events of one writer are in time order.
      char time[64];
      std::snprintf(time, sizeof time, "2024-05-01T%02d:%02d:%02d+08:00", 8 + i / 3600, (i / 60) % 60, i % 60);
      evs.push_back(at::events::storage(name + "-" + std::to_string(i), lot, time));
    }
    auto r = ledger.record(evs);
    ++result.commands;
    if (!r.exited_with(0)) result.failures.push_back(std::move(r));
  }
  return result;
}

}  // namespace

TEST_CASE("two processes appending 500 events each at once: 1000 entries, verify passes") {
  at::TestLedger ledger;
  // Two packed lots for the writers' storage events.
  REQUIRE(ledger
              .record({at::events::planting("plant", "PL-1", "2024-03-01T08:00:00+08:00"),
                       at::events::harvest("harvest", "H-1", "PL-1", "2024-04-20T08:00:00+08:00", "1000"),
                       at::events::packing("pack-a", "H-1", "PK-A", "2024-04-20T09:00:00+08:00", 50),
                       at::events::packing("pack-b", "H-1", "PK-B", "2024-04-20T09:30:00+08:00", 50)})
              .exited_with(0));
  const std::size_t before = ledger.size();
  auto saved = ledger.dir() / "saved.checkpoint";
  at::write_file(saved, ledger.checkpoint());

  WriterResult a, b;
  std::thread ta([&] { a = write_all(ledger, "writer-a", "PK-A", 20); });
  std::thread tb([&] { b = write_all(ledger, "writer-b", "PK-B", 25); });
  ta.join();
  tb.join();

  for (const auto& f : a.failures) FAIL_CHECK(f.describe());
  for (const auto& f : b.failures) FAIL_CHECK(f.describe());
  CHECK(a.commands == 25);
  CHECK(b.commands == 20);

  auto log = ledger.log();
  REQUIRE(log.size() == before + 2 * kPerWriter);

  // Every event exactly once, at the indexes after the setup, each writer's in its order.
  std::set<std::string> ids;
  std::vector<std::uint64_t> index_a, index_b;
  for (std::size_t i = before; i < log.size(); ++i) {
    const auto& row = log[i];
    CHECK(row["index"].get<std::uint64_t>() == i);
    std::string id = row["event_id"];
    CHECK(ids.insert(id).second);
    int n = std::stoi(id.substr(id.rfind('-') + 1));
    auto& mine = id.rfind("writer-a-", 0) == 0 ? index_a : index_b;
    CHECK(n == static_cast<int>(mine.size()));
    mine.push_back(i);
  }
  CHECK(index_a.size() == kPerWriter);
  CHECK(index_b.size() == kPerWriter);
  // The writers really did interleave: neither finished before the other started.
  CHECK(index_a.front() < index_b.back());
  CHECK(index_b.front() < index_a.back());

  auto verify = ledger.cli({"verify", "--json", "--checkpoint", saved.string()});
  INFO(verify.describe());
  REQUIRE(verify.exited_with(0));
  auto report = nlohmann::json::parse(verify.out);
  CHECK(report["entries"] == before + 2 * kPerWriter);
  // Every command signed a checkpoint at its end, and each one was consistent with the last.
  CHECK(report["latest_checkpoint_size"] == before + 2 * kPerWriter);
  CHECK(report["checkpoints"].get<int>() > 2);
}
