// Tests of ledger/merkle against outside truth and against a naive reference tree:
//   - the published RFC 6962 proof vectors (tests/vectors/rfc6962, from
//     transparency-dev/merkle), every file walked by one test;
//   - the published roots and proofs of transparency-dev/merkle's 8-leaf test tree;
//   - a reference tree transcribed from RFC 9162 §2.1 (MTH, PATH, PROOF), compared
//     with the real code on every size up to 130 and on random larger sizes;
//   - tampered proofs, broken preconditions, and O(log n) reads in huge trees.
#include "ledger/merkle/merkle.h"

#include <doctest/doctest.h>

#include <bit>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "ledger/util/error.h"
#include "ledger/util/sha256.h"

using namespace agtrace;
using namespace agtrace::merkle;

namespace {

// The naive reference tree: RFC 9162 §2.1.1, §2.1.3.1 and §2.1.4.1 transcribed
// literally, over a list of leaf hashes, recursion and all. Test-only: it hashes
// every leaf for every call.
namespace ref {

constexpr std::uint8_t kLeafPrefix[] = {0x00};
constexpr std::uint8_t kNodePrefix[] = {0x01};

using Leaves = std::span<const Hash>;

Hash leaf(std::span<const std::uint8_t> data) { return sha256({kLeafPrefix, data}); }
Hash node(const Hash& left, const Hash& right) { return sha256({kNodePrefix, left, right}); }

// The largest power of two smaller than n; requires n > 1.
std::size_t split(std::size_t n) { return std::bit_floor(n - 1); }

Hash mth(Leaves d) {
  if (d.empty()) return sha256(std::span<const std::uint8_t>{});
  if (d.size() == 1) return d[0];
  const std::size_t k = split(d.size());
  return node(mth(d.first(k)), mth(d.subspan(k)));
}

std::vector<Hash> path(std::size_t m, Leaves d) {
  if (d.size() == 1) return {};
  const std::size_t k = split(d.size());
  std::vector<Hash> out;
  if (m < k) {
    out = path(m, d.first(k));
    out.push_back(mth(d.subspan(k)));
  } else {
    out = path(m - k, d.subspan(k));
    out.push_back(mth(d.first(k)));
  }
  return out;
}

std::vector<Hash> subproof(std::size_t m, Leaves d, bool b) {
  if (m == d.size()) return b ? std::vector<Hash>{} : std::vector<Hash>{mth(d)};
  const std::size_t k = split(d.size());
  std::vector<Hash> out;
  if (m <= k) {
    out = subproof(m, d.first(k), b);
    out.push_back(mth(d.subspan(k)));
  } else {
    out = subproof(m - k, d.subspan(k), false);
    out.push_back(mth(d.first(k)));
  }
  return out;
}

std::vector<Hash> proof(std::size_t m, Leaves d) { return subproof(m, d, true); }

}  // namespace ref

// Perfect-node storage as the ledger keeps it: filled with what CompactRange::append
// reports, read back through a NodeReader that refuses any node not wholly inside
// the tree size it serves (so a proof that asks for an imperfect node fails).
class Store {
 public:
  void append(const Hash& leaf_hash) {
    leaves_.push_back(leaf_hash);
    for (const auto& [id, hash] : range_.append(leaf_hash))
      if (!nodes_.emplace(id, hash).second)
        throw std::logic_error("CompactRange::append reported a node twice");
  }

  NodeReader reader(std::uint64_t size) {
    return [this, size](NodeId id) {
      ++reads;
      if (id.level >= 64 || id.index >= (size >> id.level))
        throw std::logic_error("asked for a node outside the tree: level " +
                               std::to_string(id.level) + " index " + std::to_string(id.index) +
                               " in size " + std::to_string(size));
      const auto it = nodes_.find(id);
      if (it == nodes_.end()) throw std::logic_error("asked for a node never stored");
      return it->second;
    };
  }

  std::span<const Hash> leaves(std::size_t size) const {
    return std::span<const Hash>(leaves_).first(size);
  }
  const std::map<NodeId, Hash>& nodes() const { return nodes_; }
  const CompactRange& range() const { return range_; }

  std::size_t reads = 0;

 private:
  std::vector<Hash> leaves_;
  std::map<NodeId, Hash> nodes_;
  CompactRange range_;
};

Bytes random_bytes(std::mt19937_64& rng) {
  Bytes b(rng() % 41);
  for (auto& byte : b) byte = static_cast<std::uint8_t>(rng());
  return b;
}

Store random_store(std::mt19937_64& rng, std::size_t size) {
  Store store;
  for (std::size_t i = 0; i < size; ++i) store.append(ref::leaf(random_bytes(rng)));
  return store;
}

// Runs `f`: nullopt if it returns, the message if it throws Error(verification).
// Any other exception fails the test.
template <class F>
std::optional<std::string> verification_failure(F&& f) {
  try {
    f();
    return std::nullopt;
  } catch (const Error& e) {
    CHECK_MESSAGE(e.kind() == ErrorKind::verification, e.what());
    return std::string(e.what());
  }
}

// The message of the Error(verification) that `f` throws, or "(verified)".
template <class F>
std::string failure_message(F&& f) {
  return verification_failure(f).value_or("(verified)");
}

// The message of the Error(bad_input) that `f` throws; fails the test otherwise.
template <class F>
std::string bad_input_message(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::bad_input);
    return e.what();
  }
  FAIL("no error thrown");
  return {};
}

// ---- The published vectors.

// The 8 leaves and the roots of the trees of 0..8 of them: transparency-dev/merkle
// testonly/constants.go (LeafInputs, RootHashes), the tree the vectors were made from.
const char* const kTestLeaves[] = {"",
                                   "00",
                                   "10",
                                   "2021",
                                   "3031",
                                   "40414243",
                                   "5051525354555657",
                                   "606162636465666768696a6b6c6d6e6f"};
const char* const kTestRoots[] = {
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
};

Store test_tree_store() {
  Store store;
  for (const char* leaf : kTestLeaves) store.append(leaf_hash(hex_decode(leaf, "test leaf")));
  return store;
}

std::filesystem::path vectors_dir() {
  return std::filesystem::path(AGTRACE_TEST_DATA) / "vectors" / "rfc6962";
}

// Every .json file under vectors_dir()/kind, in a stable order.
std::vector<std::filesystem::path> vector_files(const char* kind) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(vectors_dir() / kind))
    if (entry.is_regular_file() && entry.path().extension() == ".json")
      files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

nlohmann::json read_json(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error("cannot open " + file.string());
  return nlohmann::json::parse(in);
}

// A root or proof hash of a vector file as a Hash. The files write "don't care"
// roots as short strings ("don't care 1", 12 bytes) and garbage proof entries as
// empty strings; transparency-dev/merkle, which made them, compares roots and
// hashes proof entries as opaque bytes of any length. Our API holds only 32-byte
// hashes, so a value of another length is replaced by SHA-256("not a 32-byte hash: "
// || value): equal values stay equal and no stand-in equals a real hash, so each
// file keeps its outcome. `stand_ins` counts the replacements. (Leaf hashes are
// different: see the vector walk.)
Hash vector_hash(const nlohmann::json& value, int& stand_ins) {
  const Bytes bytes = base64_decode(value.get<std::string>(), "vector hash");
  Hash hash;
  if (bytes.size() == hash.size()) {
    std::copy(bytes.begin(), bytes.end(), hash.begin());
    return hash;
  }
  ++stand_ins;
  return sha256({as_bytes("not a 32-byte hash: "), bytes});
}

std::vector<Hash> vector_proof(const nlohmann::json& value, int& stand_ins) {
  std::vector<Hash> proof;
  if (!value.is_null())
    for (const auto& h : value) proof.push_back(vector_hash(h, stand_ins));
  return proof;
}

std::string rel(const std::filesystem::path& file) {
  return std::filesystem::relative(file, vectors_dir()).string();
}

// A tree of up to 2^64 - 1 leaves that all have the same hash: every perfect node
// at a level has the same hash, so proofs in trees too large to store can still be
// built and verified. Reads are counted.
struct UniformTree {
  UniformTree() {
    levels.push_back(leaf_hash(as_bytes("the same leaf")));
    for (int level = 1; level < 64; ++level)
      levels.push_back(node_hash(levels.back(), levels.back()));
  }
  NodeReader reader(std::uint64_t size) {
    return [this, size](NodeId id) {
      ++reads;
      if (id.level >= 64 || id.index >= (size >> id.level))
        throw std::logic_error("asked for a node outside the tree");
      return levels[id.level];
    };
  }
  std::vector<Hash> levels;
  std::size_t reads = 0;
};

}  // namespace

TEST_CASE("leaf, node and empty-tree hashes follow RFC 9162 §2.1.1") {
  CHECK(hex_encode(empty_root()) ==
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(hex_encode(leaf_hash({})) ==
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
  // NodeHashes()[1][0] of transparency-dev/merkle's test tree: leaves "" and 00.
  CHECK(hex_encode(node_hash(leaf_hash({}), leaf_hash(hex_decode("00", "t")))) ==
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125");
  std::mt19937_64 rng(0);
  for (int i = 0; i < 100; ++i) {
    const Bytes a = random_bytes(rng);
    const Bytes b = random_bytes(rng);
    CHECK(leaf_hash(a) == ref::leaf(a));
    CHECK(node_hash(leaf_hash(a), leaf_hash(b)) == ref::node(ref::leaf(a), ref::leaf(b)));
  }
}

TEST_CASE("the test tree's roots equal the published ones, from storage and from CompactRange") {
  Store store;
  CHECK(store.range().root() == hash_from_hex(kTestRoots[0], "root"));
  for (std::size_t size = 1; size <= 8; ++size) {
    CAPTURE(size);
    store.append(leaf_hash(hex_decode(kTestLeaves[size - 1], "test leaf")));
    CHECK(store.range().root() == hash_from_hex(kTestRoots[size], "root"));
  }
  for (std::size_t size = 0; size <= 8; ++size) {
    CAPTURE(size);
    CHECK(root(size, store.reader(size)) == hash_from_hex(kTestRoots[size], "root"));
  }
}

TEST_CASE("proofs built from the test tree equal the published happy-path vectors") {
  Store store = test_tree_store();
  int files = 0;
  int stand_ins = 0;
  for (const char* kind : {"inclusion", "consistency"}) {
    for (const auto& file : vector_files(kind)) {
      if (file.filename() != "happy-path.json") continue;
      INFO("vector file: ", rel(file));
      const auto v = read_json(file);
      REQUIRE(v["wantErr"] == false);
      if (v.contains("leafIdx")) {
        const auto index = v["leafIdx"].get<std::uint64_t>();
        const auto size = v["treeSize"].get<std::uint64_t>();
        CHECK(store.leaves(8)[index] == vector_hash(v["leafHash"], stand_ins));
        CHECK(root(size, store.reader(size)) == vector_hash(v["root"], stand_ins));
        CHECK(inclusion_proof(index, size, store.reader(size)) ==
              vector_proof(v["proof"], stand_ins));
      } else {
        const auto size1 = v["size1"].get<std::uint64_t>();
        const auto size2 = v["size2"].get<std::uint64_t>();
        CHECK(root(size1, store.reader(size1)) == vector_hash(v["root1"], stand_ins));
        CHECK(root(size2, store.reader(size2)) == vector_hash(v["root2"], stand_ins));
        CHECK(consistency_proof(size1, size2, store.reader(size2)) ==
              vector_proof(v["proof"], stand_ins));
      }
      ++files;
    }
  }
  CHECK(files == 10);
  CHECK(stand_ins == 0);
}

TEST_CASE("every published RFC 6962 proof vector verifies or fails exactly as its file says") {
  // Each file names the way it breaks a good proof (or "happy-path") and says in
  // wantErr whether verification must fail.
  int files = 0;
  int must_fail = 0;
  int stand_ins = 0;
  int short_leaf_hashes = 0;
  for (const auto& file : vector_files("inclusion")) {
    INFO("vector file: ", rel(file));
    const auto v = read_json(file);
    const bool want_err = v["wantErr"].get<bool>();
    // transparency-dev/merkle refuses a leaf hash that is not 32 bytes long before
    // anything else; our Hash type cannot hold one, so the walk refuses it here.
    const Bytes leaf_bytes = base64_decode(v["leafHash"].get<std::string>(), "leafHash");
    const Hash tree_root = vector_hash(v["root"], stand_ins);
    const std::vector<Hash> proof = vector_proof(v["proof"], stand_ins);
    std::optional<std::string> failure;
    if (leaf_bytes.size() != Hash().size()) {
      failure = "the leaf hash has " + std::to_string(leaf_bytes.size()) + " bytes, not 32";
      ++short_leaf_hashes;
    } else {
      Hash leaf;
      std::copy(leaf_bytes.begin(), leaf_bytes.end(), leaf.begin());
      failure = verification_failure([&] {
        verify_inclusion(leaf, v["leafIdx"].get<std::uint64_t>(),
                         v["treeSize"].get<std::uint64_t>(), proof, tree_root);
      });
    }
    if (want_err)
      CHECK_MESSAGE(failure.has_value(), "verified, but the file wants an error");
    else
      CHECK_MESSAGE(!failure.has_value(), "failed: ", failure.value_or(""));
    ++files;
    must_fail += want_err;
  }
  for (const auto& file : vector_files("consistency")) {
    INFO("vector file: ", rel(file));
    const auto v = read_json(file);
    const bool want_err = v["wantErr"].get<bool>();
    const Hash root1 = vector_hash(v["root1"], stand_ins);
    const Hash root2 = vector_hash(v["root2"], stand_ins);
    const std::vector<Hash> proof = vector_proof(v["proof"], stand_ins);
    const auto failure = verification_failure([&] {
      verify_consistency(v["size1"].get<std::uint64_t>(), v["size2"].get<std::uint64_t>(), proof,
                         root1, root2);
    });
    if (want_err)
      CHECK_MESSAGE(failure.has_value(), "verified, but the file wants an error");
    else
      CHECK_MESSAGE(!failure.has_value(), "failed: ", failure.value_or(""));
    ++files;
    must_fail += want_err;
  }
  MESSAGE(files, " vector files (", must_fail, " must fail); ", short_leaf_hashes,
          " refused for a leaf hash that is not 32 bytes, ", stand_ins,
          " other non-32-byte values stood in for");
  CHECK(files == 196);
  CHECK(must_fail == 184);
}

TEST_CASE("roots and proofs match the reference tree for every size up to 130") {
  std::mt19937_64 rng(6962);
  Store store = random_store(rng, 130);
  for (std::uint64_t n = 0; n <= 130; ++n) {
    CAPTURE(n);
    const auto leaves = store.leaves(n);
    const Hash want_root = ref::mth(leaves);
    REQUIRE(root(n, store.reader(n)) == want_root);
    for (std::uint64_t m = 0; m < n; ++m) {
      CAPTURE(m);
      const auto proof = inclusion_proof(m, n, store.reader(n));
      REQUIRE(proof == ref::path(m, leaves));
      REQUIRE_NOTHROW(verify_inclusion(leaves[m], m, n, proof, want_root));
    }
    for (std::uint64_t m = 1; m <= n; ++m) {
      CAPTURE(m);
      const auto proof = consistency_proof(m, n, store.reader(n));
      REQUIRE(proof == ref::proof(m, leaves));
      REQUIRE_NOTHROW(verify_consistency(m, n, proof, ref::mth(leaves.first(m)), want_root));
    }
  }
}

TEST_CASE("roots and proofs match the reference tree on random larger sizes") {
  std::mt19937_64 rng(9162);
  constexpr std::uint64_t kMax = 4200;
  Store store = random_store(rng, kMax);
  std::vector<std::uint64_t> sizes = {255, 256, 257, 1023, 1024, 1025, 4095, 4096, 4097};
  for (int i = 0; i < 40; ++i) sizes.push_back(131 + rng() % (kMax - 130));
  for (const std::uint64_t n : sizes) {
    CAPTURE(n);
    const auto leaves = store.leaves(n);
    const Hash want_root = ref::mth(leaves);
    REQUIRE(root(n, store.reader(n)) == want_root);
    for (const std::uint64_t m : {std::uint64_t{0}, n - 1, rng() % n, rng() % n}) {
      CAPTURE(m);
      const auto proof = inclusion_proof(m, n, store.reader(n));
      REQUIRE(proof == ref::path(m, leaves));
      REQUIRE_NOTHROW(verify_inclusion(leaves[m], m, n, proof, want_root));
    }
    for (const std::uint64_t m : {std::uint64_t{1}, n, 1 + rng() % n, 1 + rng() % n}) {
      CAPTURE(m);
      const auto proof = consistency_proof(m, n, store.reader(n));
      REQUIRE(proof == ref::proof(m, leaves));
      REQUIRE_NOTHROW(verify_consistency(m, n, proof, ref::mth(leaves.first(m)), want_root));
    }
  }
}

TEST_CASE("CompactRange reports exactly the perfect nodes, and reloads from them") {
  std::mt19937_64 rng(1);
  constexpr std::uint64_t kMax = 300;
  Store store;
  for (std::uint64_t n = 0; n < kMax; ++n) {
    CAPTURE(n);
    const Hash leaf = leaf_hash(random_bytes(rng));
    CompactRange reloaded(n, store.reader(n));
    REQUIRE(reloaded.size() == n);
    REQUIRE(reloaded.root() == store.range().root());
    const auto from_reloaded = reloaded.append(leaf);
    store.append(leaf);
    const auto leaves = store.leaves(n + 1);
    REQUIRE(store.range().size() == n + 1);
    REQUIRE(store.range().root() == ref::mth(leaves));
    REQUIRE(reloaded.root() == ref::mth(leaves));
    // The leaf itself, then one parent per trailing one bit of the old size.
    REQUIRE(from_reloaded.size() == 1 + static_cast<std::size_t>(std::countr_one(n)));
    REQUIRE(from_reloaded.front().first == NodeId{0, n});
    REQUIRE(from_reloaded.front().second == leaf);
    for (const auto& [id, hash] : from_reloaded) {
      const int level = id.level;
      const std::uint64_t index = id.index;
      CAPTURE(level);
      CAPTURE(index);
      const std::uint64_t begin = id.index << id.level;
      const std::uint64_t end = (id.index + 1) << id.level;
      REQUIRE(end == n + 1);
      REQUIRE(hash == ref::mth(leaves.subspan(begin, end - begin)));
      REQUIRE(store.nodes().at(id) == hash);
    }
  }
  // Every perfect node of the tree, and nothing else, was reported once.
  std::size_t perfect = 0;
  for (int level = 0; level < 64; ++level) perfect += kMax >> level;
  CHECK(store.nodes().size() == perfect);
}

TEST_CASE("tampered proofs, indices and sizes fail verification") {
  std::mt19937_64 rng(2);
  Store store = random_store(rng, 40);
  int failures = 0;
  const auto expect_failure = [&](auto&& f) {
    const auto failure = verification_failure(f);
    CHECK(failure.has_value());
    failures += failure.has_value();
  };
  for (std::uint64_t n = 1; n <= 40; ++n) {
    CAPTURE(n);
    const auto leaves = store.leaves(n);
    const Hash r = ref::mth(leaves);
    for (std::uint64_t m = 0; m < n; ++m) {
      CAPTURE(m);
      const auto proof = inclusion_proof(m, n, store.reader(n));
      for (std::size_t i = 0; i < proof.size(); ++i) {
        auto bad = proof;
        bad[i][i % 32] ^= 0x10;
        expect_failure([&] { verify_inclusion(leaves[m], m, n, bad, r); });
      }
      auto longer = proof;
      longer.push_back(r);
      expect_failure([&] { verify_inclusion(leaves[m], m, n, longer, r); });
      if (!proof.empty())
        expect_failure([&] {
          verify_inclusion(leaves[m], m, n, std::span(proof).first(proof.size() - 1), r);
        });
      if (n > 1) expect_failure([&] { verify_inclusion(leaves[m], (m + 1) % n, n, proof, r); });
    }
    for (std::uint64_t m = 1; m < n; ++m) {
      CAPTURE(m);
      const Hash r1 = ref::mth(leaves.first(m));
      const auto proof = consistency_proof(m, n, store.reader(n));
      for (std::size_t i = 0; i < proof.size(); ++i) {
        auto bad = proof;
        bad[i][i % 32] ^= 0x10;
        expect_failure([&] { verify_consistency(m, n, bad, r1, r); });
      }
      auto longer = proof;
      longer.push_back(r);
      expect_failure([&] { verify_consistency(m, n, longer, r1, r); });
      expect_failure(
          [&] { verify_consistency(m, n, std::span(proof).first(proof.size() - 1), r1, r); });
      expect_failure([&] { verify_consistency(m, n, proof, r, r1); });
      expect_failure([&] { verify_consistency(m + 1, n, proof, r1, r); });
    }
  }
  MESSAGE(failures, " tampered proofs refused");
}

TEST_CASE("verification failures say what is wrong") {
  Store store = test_tree_store();
  const Hash r8 = root(8, store.reader(8));
  const Hash r6 = root(6, store.reader(6));
  const auto incl = inclusion_proof(2, 8, store.reader(8));
  const auto cons = consistency_proof(6, 8, store.reader(8));
  const Hash leaf2 = store.leaves(8)[2];
  CHECK(failure_message([&] { verify_inclusion(leaf2, 12, 10, incl, r8); }) ==
        "leaf index 12 is beyond tree size 10");
  CHECK(failure_message([&] { verify_inclusion(leaf2, 2, 8, std::span(incl).first(2), r8); }) ==
        "the inclusion proof of leaf 2 in tree size 8 has 2 hashes; it must have exactly 3");
  auto longer = incl;
  longer.push_back(r8);
  CHECK(failure_message([&] { verify_inclusion(leaf2, 2, 8, longer, r8); }) ==
        "the inclusion proof of leaf 2 in tree size 8 has 4 hashes; it must have exactly 3");
  CHECK(failure_message([&] { verify_inclusion(leaf2, 2, 8, incl, r6); }) ==
        "the inclusion proof of leaf 2 in tree size 8 leads to root " + hex_encode(r8) +
            ", not the expected root " + hex_encode(r6));
  CHECK(failure_message([&] { verify_consistency(6, 8, {}, r6, r8); }) ==
        "the consistency proof from tree size 6 to 8 has 0 hashes; it must have exactly 3");
  CHECK(failure_message([&] {
          verify_consistency(6, 8, cons, r8, r8);
        }).starts_with("the consistency proof from tree size 6 to 8 (old tree) leads to root "));
  CHECK(failure_message([&] { verify_consistency(8, 6, {}, r8, r6); }) ==
        "old tree size 8 is beyond new tree size 6");
  CHECK(failure_message([&] {
          verify_consistency(0, 8, {}, empty_root(), r8);
        }).starts_with("a consistency proof from tree size 0 (to size 8) proves nothing"));
  CHECK(failure_message([&] {
          verify_consistency(8, 8, {}, r8, r6);
        }).starts_with("two trees of the same size 8 have different roots"));
  CHECK(failure_message([&] { verify_consistency(8, 8, cons, r8, r8); }) ==
        "the trees have the same size 8, so the consistency proof must be empty, but it has 3 "
        "hashes");
  CHECK_FALSE(verification_failure([&] { verify_consistency(8, 8, {}, r8, r8); }));
}

TEST_CASE("broken preconditions fail with bad_input naming the values") {
  Store store = test_tree_store();
  CHECK(bad_input_message([&] { inclusion_proof(12, 10, store.reader(8)); }) ==
        "leaf index 12 is beyond tree size 10");
  CHECK(bad_input_message([&] { inclusion_proof(0, 0, store.reader(8)); }) ==
        "leaf index 0 is beyond tree size 0");
  CHECK(bad_input_message([&] {
          consistency_proof(5, 3, store.reader(8));
        }).starts_with("old tree size 5 is beyond new tree size 3"));
  CHECK(bad_input_message([&] {
          consistency_proof(0, 3, store.reader(8));
        }).starts_with("no consistency proof exists from tree size 0 (to size 3)"));
  const ProofPlan plan = plan_inclusion(2, 8);
  CHECK(bad_input_message([&] { assemble_proof(plan, {}); }) ==
        "the proof plan has 3 nodes but 0 hashes were given");
  // Nothing was read before the checks failed.
  CHECK(store.reads == 0);
  CHECK(consistency_proof(8, 8, store.reader(8)).empty());
}

TEST_CASE("proofs in trees of up to 2^64 - 1 leaves read O(log n) perfect nodes and verify") {
  std::mt19937_64 rng(3);
  UniformTree tree;
  constexpr std::uint64_t kMaxSize = std::numeric_limits<std::uint64_t>::max();
  std::vector<std::uint64_t> sizes = {kMaxSize, kMaxSize - 1, std::uint64_t{1} << 63,
                                      (std::uint64_t{1} << 63) + 1,
                                      (std::uint64_t{1} << 40) + 12345};
  for (int i = 0; i < 30; ++i) sizes.push_back(1 + rng() % kMaxSize);
  for (const std::uint64_t n : sizes) {
    CAPTURE(n);
    tree.reads = 0;
    const Hash r = root(n, tree.reader(n));
    CHECK(tree.reads == static_cast<std::size_t>(std::popcount(n)));
    for (const std::uint64_t m : {std::uint64_t{0}, n - 1, rng() % n, rng() % n}) {
      CAPTURE(m);
      tree.reads = 0;
      const auto proof = inclusion_proof(m, n, tree.reader(n));
      CHECK(tree.reads <= 127);
      CHECK(proof.size() <= 64);
      CHECK_NOTHROW(verify_inclusion(tree.levels[0], m, n, proof, r));
    }
    for (const std::uint64_t m : {std::uint64_t{1}, n, 1 + rng() % n, 1 + rng() % n}) {
      CAPTURE(m);
      tree.reads = 0;
      const auto proof = consistency_proof(m, n, tree.reader(n));
      CHECK(tree.reads <= 127);
      CHECK(proof.size() <= 65);
      CHECK_NOTHROW(verify_consistency(m, n, proof, root(m, tree.reader(m)), r));
    }
  }
  CompactRange full(kMaxSize, tree.reader(kMaxSize));
  CHECK(full.root() == root(kMaxSize, tree.reader(kMaxSize)));
  CHECK(bad_input_message([&] {
          full.append(tree.levels[0]);
        }).starts_with("the tree already holds 18446744073709551615 leaves"));
}
