// RFC 9162 proof verification (ledger/merkle/merkle.h) on trees built from the input and on
// raw, hostile proofs.
//
// Mode 0 (inclusion) and 1 (consistency) build a tree of up to 300 leaves, check that
// CompactRange and root() agree with RFC 9162's recursive definition of MTH, make a proof,
// check that it verifies, and then check that it no longer verifies once the input's
// chosen change is applied: another leaf, another index, one bit of a proof hash or a root
// flipped, a hash dropped or added. Mode 2 hands arbitrary indices, sizes and hashes to the
// verifiers and planners, which must refuse them with agtrace::Error and nothing else.
#include <map>
#include <string>
#include <vector>

#include "fuzz/fuzz_check.h"
#include "ledger/merkle/merkle.h"
#include "ledger/util/bytes.h"
#include "ledger/util/error.h"

using namespace agtrace;
using namespace agtrace::merkle;

namespace {

Hash leaf_of(std::uint64_t i, std::uint8_t salt) {
  const std::string data = "leaf " + std::to_string(i) + " " + std::to_string(salt);
  return leaf_hash(as_bytes(data));
}

// A tree kept as storage keeps it: every perfect node that CompactRange::append reports.
struct Tree {
  std::vector<Hash> leaves;
  std::map<NodeId, Hash> nodes;

  NodeReader reader() const {
    return [this](NodeId id) { return nodes.at(id); };
  }
  // MTH(D[begin:end]) as RFC 9162 §2.1.1 defines it: split at the largest power of two
  // smaller than the size.
  Hash mth(std::size_t begin, std::size_t end) const {
    if (end - begin == 1) return leaves[begin];
    std::size_t k = 1;
    while (k * 2 < end - begin) k *= 2;
    return node_hash(mth(begin, begin + k), mth(begin + k, end));
  }
};

Tree build(std::size_t size, std::uint8_t salt) {
  Tree tree;
  CompactRange range;
  for (std::size_t i = 0; i < size; ++i) {
    tree.leaves.push_back(leaf_of(i, salt));
    for (const auto& [id, hash] : range.append(tree.leaves.back())) tree.nodes[id] = hash;
  }
  FUZZ_CHECK(range.size() == size);
  FUZZ_CHECK(range.root() == tree.mth(0, size));
  FUZZ_CHECK(root(size, tree.reader()) == range.root());
  return tree;
}

template <typename F>
bool verifies(F&& verify) {
  try {
    verify();
    return true;
  } catch (const Error& e) {
    FUZZ_CHECK(e.kind() == ErrorKind::verification);
    return false;
  }
}

void flip_bit(Hash& h, std::uint8_t bit) { h[(bit / 8) % h.size()] ^= static_cast<std::uint8_t>(1u << (bit % 8)); }

void check_inclusion(fuzz::Reader& in) {
  const std::size_t size = 1 + in.u16() % 300;
  const std::uint64_t index = in.u16() % size;
  const Tree tree = build(size, in.byte());
  const Hash root_hash = tree.mth(0, size);
  std::vector<Hash> proof = inclusion_proof(index, size, tree.reader());
  const Hash& leaf = tree.leaves[index];
  FUZZ_CHECK(verifies([&] { verify_inclusion(leaf, index, size, proof, root_hash); }));

  const std::uint8_t change = in.byte();
  const std::uint8_t arg = in.byte();
  switch (change % 6) {
    case 0: {  // another leaf's hash
      const Hash other = leaf_of(size + arg, 0xFF);
      FUZZ_CHECK(!verifies([&] { verify_inclusion(other, index, size, proof, root_hash); }));
      break;
    }
    case 1: {  // another index in the same tree
      const std::uint64_t other = (index + 1 + arg) % size;
      if (other != index)
        FUZZ_CHECK(!verifies([&] { verify_inclusion(leaf, other, size, proof, root_hash); }));
      break;
    }
    case 2: {  // one bit of one proof hash
      if (proof.empty()) break;
      flip_bit(proof[arg % proof.size()], in.byte());
      FUZZ_CHECK(!verifies([&] { verify_inclusion(leaf, index, size, proof, root_hash); }));
      break;
    }
    case 3: {  // one bit of the root
      Hash other = root_hash;
      flip_bit(other, arg);
      FUZZ_CHECK(!verifies([&] { verify_inclusion(leaf, index, size, proof, other); }));
      break;
    }
    case 4: {  // a hash added
      proof.push_back(leaf_of(arg, 0xFE));
      FUZZ_CHECK(!verifies([&] { verify_inclusion(leaf, index, size, proof, root_hash); }));
      break;
    }
    default: {  // a hash dropped
      if (proof.empty()) break;
      proof.erase(proof.begin() + arg % proof.size());
      FUZZ_CHECK(!verifies([&] { verify_inclusion(leaf, index, size, proof, root_hash); }));
      break;
    }
  }
}

void check_consistency(fuzz::Reader& in) {
  const std::size_t size2 = 1 + in.u16() % 300;
  const std::size_t size1 = 1 + in.u16() % size2;
  const Tree tree = build(size2, in.byte());
  const Hash root1 = tree.mth(0, size1);
  const Hash root2 = tree.mth(0, size2);
  std::vector<Hash> proof = consistency_proof(size1, size2, tree.reader());
  FUZZ_CHECK(proof.empty() == (size1 == size2));
  FUZZ_CHECK(verifies([&] { verify_consistency(size1, size2, proof, root1, root2); }));

  const std::uint8_t change = in.byte();
  const std::uint8_t arg = in.byte();
  switch (change % 5) {
    case 0: {  // one bit of one proof hash
      if (proof.empty()) break;
      flip_bit(proof[arg % proof.size()], in.byte());
      break;
    }
    case 1: {  // one bit of the old root
      Hash other = root1;
      flip_bit(other, arg);
      FUZZ_CHECK(!verifies([&] { verify_consistency(size1, size2, proof, other, root2); }));
      return;
    }
    case 2: {  // one bit of the new root
      Hash other = root2;
      flip_bit(other, arg);
      FUZZ_CHECK(!verifies([&] { verify_consistency(size1, size2, proof, root1, other); }));
      return;
    }
    case 3:  // a hash added
      proof.push_back(leaf_of(arg, 0xFE));
      break;
    default:  // a hash dropped
      if (proof.empty()) return;
      proof.erase(proof.begin() + arg % proof.size());
      break;
  }
  if (change % 5 == 0 && proof.empty()) return;
  FUZZ_CHECK(!verifies([&] { verify_consistency(size1, size2, proof, root1, root2); }));
}

// Arbitrary numbers and hashes: only agtrace::Error may come out, and no proof of more than
// 64 hashes per side may come from a plan.
void check_raw(fuzz::Reader& in) {
  const std::uint64_t a = in.u64();
  const std::uint64_t b = in.u64();
  Hash root1{}, root2{};
  for (auto& byte : root1) byte = in.byte();
  for (auto& byte : root2) byte = in.byte();
  std::vector<Hash> proof;
  while (in.remaining() >= 32 && proof.size() < 80) {
    Hash& h = proof.emplace_back();
    for (auto& byte : h) byte = in.byte();
  }
  verifies([&] { verify_inclusion(root1, a, b, proof, root2); });
  verifies([&] { verify_consistency(a, b, proof, root1, root2); });
  try {
    const ProofPlan plan = plan_inclusion(a, b);
    FUZZ_CHECK(plan.nodes.size() <= 128 && plan.fold_begin <= plan.fold_end && plan.fold_end <= plan.nodes.size());
  } catch (const Error& e) {
    FUZZ_CHECK(e.kind() == ErrorKind::bad_input && a >= b);
  }
  try {
    const ProofPlan plan = plan_consistency(a, b);
    FUZZ_CHECK(plan.nodes.size() <= 128 && plan.fold_begin <= plan.fold_end && plan.fold_end <= plan.nodes.size());
  } catch (const Error& e) {
    FUZZ_CHECK(e.kind() == ErrorKind::bad_input && (a == 0 || a > b));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::Reader in(data, size);
  switch (in.byte() % 3) {
    case 0: check_inclusion(in); break;
    case 1: check_consistency(in); break;
    default: check_raw(in); break;
  }
  return 0;
}
