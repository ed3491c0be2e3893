// The verified state's serial trees (verifier/state/serial_trees.h): a code's proof read
// from the stored nodes is byte for byte the proof Ledger::serial_proof computes from the
// job's serials (DESIGN §4), for jobs of every shape of tree (perfect and not), and a
// missing node is refused, never papered over.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <chrono>
#include <thread>

#include "ledger/merkle/merkle.h"
#include "ledger/replay.h"
#include "ledger/store/schema.h"
#include "ledger/testing/small_ledger.h"
#include "ledger/util/error.h"
#include "verifier/state/serial_trees.h"
#include "verifier/state/verified_state.h"

using namespace agtrace;

namespace {

// The small season plus packed lot K2 of 400 boxes with its certificate, and issued jobs of these sizes.
constexpr int kJobSizes[] = {1, 2, 3, 4, 5, 7, 8, 9, 13, 16, 17, 31, 32, 33, 64, 100};

struct Jobs : testing::SmallLedger {
  std::vector<std::vector<std::string>> jobs;
  Jobs() : SmallLedger("serial-trees", true) {
    Ledger l(path, true);
    auto e = [](std::string s) { return parse_event(s, "test"); };
    l.append({e(R"({"type":"harvest","event_id":"h2","event_time":"2022-10-01T00:00:00+08:00","party":"SDD","location":"B1","lot":"H2","from_lot":"P1","quantity":{"value":"2000","unit":"KGM"}})"),
              e(R"({"type":"packing","event_id":"k2","event_time":"2022-10-02T00:00:00+08:00","party":"SDD","location":"B1","input_lot":"H2","input_quantity":{"value":"2000","unit":"KGM"},"lot":"K2","count":400,"pack_size":{"value":"5","unit":"KGM"}})"),
              e(R"({"type":"certificate_issued","event_id":"c2","event_time":"2022-10-02T01:00:00+08:00","number":"K2-CERT","style":"producer","issuer":"SDD","lot":"K2","quantity":{"value":"400","unit":"H87"},"product":"LCDC","origin":"B1","bases":[{"basis":"quality_control"}]})")},
             clerk, {});
    int next = 0;
    for (int n : kJobSizes) {
      LabelJob job{"labels_issued", "K2", {}, "SDD", "B1", "", "", ""};
      // Written in reverse so that the job sorts them.
      for (int i = n - 1; i >= 0; --i) job.serials.push_back(fmt::format("7K{:011}", next + i));
      next += n;
      l.record_label_job(job, clerk);
      std::sort(job.serials.begin(), job.serials.end());
      jobs.push_back(job.serials);
    }
    // A reprint is no issue: its serials get no tree of their own.
    l.record_label_job({"labels_reprinted", "K2", {jobs[3][1]}, "SDD", "B1", "", "", ""}, clerk);
  }
};

// Replays the ledger into a fresh state database holding the serial trees.
void replay_with_trees(const std::string& ledger_path, sql::Database& state) {
  state.exec(store::kPrimarySchema);
  state.exec(verifier::kSerialTreeSchema);
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

TEST_CASE("a stored serial tree gives the proof Ledger::serial_proof computes, for every code of every job") {
  Jobs f;
  sql::Database state((f.dir / "state.db").string(), sql::OpenMode::create);
  replay_with_trees(f.path, state);
  Ledger l(f.path, false);
  std::size_t checked = 0;
  for (const auto& job : f.jobs) {
    for (std::size_t i = 0; i < job.size(); ++i) {
      CAPTURE(job.size());
      CAPTURE(i);
      auto leaf = verifier::serial_leaf(state, job[i]);
      REQUIRE(leaf);
      SerialProof want = l.serial_proof(job[i]);
      CHECK(leaf->job_entry == want.job_entry);
      CHECK(leaf->leaf_index == i);
      CHECK(leaf->count == job.size());
      SerialProof got = verifier::serial_proof(state, *leaf);
      CHECK(got.job_entry == want.job_entry);
      CHECK(got.leaf_index == want.leaf_index);
      CHECK(got.count == want.count);
      CHECK(got.path == want.path);
      // And it reaches the job's serial_root.
      auto root = hash_from_hex(l.entry(want.job_entry).event["serial_root"].get<std::string>(), "root");
      CHECK_NOTHROW(merkle::verify_inclusion(merkle::leaf_hash(as_bytes(job[i])), got.leaf_index, got.count,
                                             got.path, root));
      ++checked;
    }
  }
  CHECK(checked == 345);
  // A serial no job issued has no leaf.
  CHECK_FALSE(verifier::serial_leaf(state, "7K99999999999"));
}

TEST_CASE("a serial tree with a node missing is refused with the job named") {
  Jobs f;
  sql::Database state((f.dir / "state.db").string(), sql::OpenMode::create);
  replay_with_trees(f.path, state);
  auto leaf = verifier::serial_leaf(state, f.jobs.back()[0]);
  REQUIRE(leaf);
  state.exec(fmt::format("DELETE FROM serial_nodes WHERE job_entry = {} AND level = 0 AND idx = 1", leaf->job_entry));
  try {
    verifier::serial_proof(state, *leaf);
    FAIL("a proof from a tree with a missing node");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::verification);
    CHECK(std::string(e.what()).find(fmt::format("label job at entry {}", leaf->job_entry)) != std::string::npos);
  }
}

TEST_CASE("the verifier's state keeps the serial trees of the jobs it replays, also those it follows later") {
  Jobs f;
  verifier::StateConfig config;
  config.ledger_path = f.path;
  config.state_path = (f.dir / "scans.verified").string();
  config.trust_path = (f.dir / "scans.trust").string();
  config.pinned_log_keys = {note::verifier_key_of(f.log_key)};
  config.poll_interval_ms = 20;
  verifier::VerifiedState state(config);
  state.start();
  auto wait_for = [&](std::uint64_t entries) {
    for (int i = 0; i < 1000; ++i) {
      auto h = state.health();
      if (h.status == verifier::StateStatus::verified && h.entries >= entries) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  };
  Ledger l(f.path, true);
  REQUIRE(wait_for(l.size()));
  std::string later = "7KZZZZZZZZZZ0";
  l.record_label_job({"labels_issued", "K2", {later, "7KZZZZZZZZZZ1", "7KZZZZZZZZZZ2"}, "SDD", "B1", "", "", ""},
                     f.clerk);
  REQUIRE(wait_for(l.size()));
  auto readers = state.readers();
  REQUIRE(readers);
  auto reader = readers->get();
  for (const std::string& serial : {f.jobs[5][3], later}) {
    auto leaf = verifier::serial_leaf(reader->database(), serial);
    REQUIRE(leaf);
    SerialProof want = l.serial_proof(serial);
    CHECK(verifier::serial_proof(reader->database(), *leaf).path == want.path);
  }
}
