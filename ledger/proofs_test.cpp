// The ledger's proofs from its stored interior nodes (merkle_nodes, read in one snapshot,
// nodes shared between neighbouring proofs reused: Ledger::inclusion_proofs) against RFC
// 9162 §2.1 computed from scratch over the entries' leaf hashes, on ledgers of random size
// grown in random batches, at random tree sizes, for indices in order, shuffled and repeated.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "ledger/ledger.h"
#include "ledger/merkle/merkle.h"
#include "ledger/testing/expect_error.h"
#include "ledger/testing/small_ledger.h"
#include "ledger/util/sha256.h"

using namespace agtrace;

namespace {

// RFC 9162 §2.1.1 MTH, §2.1.3.1 PATH and §2.1.4.1 PROOF, transcribed: every call rehashes
// the leaves it covers.
namespace ref {

using Leaves = std::span<const Hash>;

std::size_t split(std::size_t n) { return std::bit_floor(n - 1); }

Hash mth(Leaves d) {
  if (d.size() == 1) return d[0];
  const std::size_t k = split(d.size());
  return merkle::node_hash(mth(d.first(k)), mth(d.subspan(k)));
}

std::vector<Hash> path(std::size_t m, Leaves d) {
  if (d.size() == 1) return {};
  const std::size_t k = split(d.size());
  std::vector<Hash> out = m < k ? path(m, d.first(k)) : path(m - k, d.subspan(k));
  out.push_back(m < k ? mth(d.subspan(k)) : mth(d.first(k)));
  return out;
}

std::vector<Hash> subproof(std::size_t m, Leaves d, bool b) {
  if (m == d.size()) return b ? std::vector<Hash>{} : std::vector<Hash>{mth(d)};
  const std::size_t k = split(d.size());
  std::vector<Hash> out = m <= k ? subproof(m, d.first(k), b) : subproof(m - k, d.subspan(k), false);
  out.push_back(m <= k ? mth(d.subspan(k)) : mth(d.first(k)));
  return out;
}

}  // namespace ref

}  // namespace

TEST_CASE("stored-node proofs equal RFC 9162 from scratch on random ledgers") {
  std::mt19937_64 rng(20261207);
  for (int round = 0; round < 3; ++round) {
    testing::SmallLedger small(fmt::format("proofs-{}", round));
    Ledger l(small.path, true);
    // Grown in batches of random size, so that the stored nodes come from many appends.
    const std::uint64_t target = 40 + rng() % 160;
    int party = 0;
    while (l.size() < target) {
      std::vector<PreparedEvent> batch;
      for (std::uint64_t k = 1 + rng() % 40; k > 0; --k, ++party)
        batch.push_back(parse_event(fmt::format(R"({{"type":"party","event_id":"party-{0}","event_time":)"
                                                R"("2022-01-01T00:00:00Z","party_id":"P{0}","name":"合作社 {0}","role":"producer"}})",
                                                party),
                                    "test"));
      l.append(batch, small.clerk, {});
    }
    const std::uint64_t n = l.size();
    std::vector<Hash> leaves;
    for (std::uint64_t i = 0; i < n; ++i) leaves.push_back(merkle::leaf_hash(as_bytes(l.entry_bytes(i))));
    INFO("ledger of " << n << " entries");

    for (int t = 0; t < 6; ++t) {
      const std::uint64_t size = t == 0 ? n : 1 + rng() % n;
      const ref::Leaves tree = std::span<const Hash>(leaves).first(size);
      INFO("tree size " << size);
      CHECK(l.root(size) == ref::mth(tree));

      std::vector<std::uint64_t> indices;
      for (std::uint64_t i = 0; i < size; ++i) indices.push_back(i);
      if (t % 2 == 1) std::shuffle(indices.begin(), indices.end(), rng);
      indices.push_back(indices.front());  // repeated: the previous proof's nodes, or not
      indices.push_back(size - 1);
      const auto proofs = l.inclusion_proofs(indices, size);
      REQUIRE(proofs.size() == indices.size());
      for (std::size_t k = 0; k < indices.size(); ++k) {
        INFO("leaf " << indices[k]);
        const auto want = ref::path(indices[k], tree);
        CHECK(proofs[k] == want);
        CHECK(l.inclusion_proof(indices[k], size) == want);
        merkle::verify_inclusion(leaves[indices[k]], indices[k], size, proofs[k], ref::mth(tree));
      }

      const std::uint64_t old_size = 1 + rng() % size;
      INFO("consistency from " << old_size);
      CHECK(l.consistency_proof(old_size, size) ==
            (old_size == size ? std::vector<Hash>{} : ref::subproof(old_size, tree, true)));
    }

    // Bad input: named, whether the bad index comes first or after good ones.
    const std::vector<std::uint64_t> beyond{0, n};
    CHECK(testing::bad_input_message([&] { l.inclusion_proofs(beyond, n); }) ==
          fmt::format("leaf index {} is beyond tree size {}", n, n));
    CHECK(testing::bad_input_message([&] { l.inclusion_proofs(std::span(beyond).first(1), n + 1); }) ==
          fmt::format("tree size {} is beyond the log's {} entries", n + 1, n));
  }
}
