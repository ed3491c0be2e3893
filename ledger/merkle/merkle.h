// Merkle tree hashing, proofs and their verification: RFC 9162 §2.1 (the tree of
// RFC 6962 §2.1), SHA-256, leaf prefix 0x00, node prefix 0x01.
//
// Pure: nothing here touches storage. A tree is seen only through the hashes of its
// PERFECT subtrees (NodeId below), which storage saves as leaves are appended
// (CompactRange::append says which) and hands back through a NodeReader. Building a
// proof takes three steps, kept apart as in transparency-dev/merkle:
//   1. plan_inclusion / plan_consistency work out from the indices alone which
//      perfect nodes the proof needs (O(log n) of them, never a walk over leaves);
//   2. the caller's NodeReader fetches their hashes;
//   3. assemble_proof combines them into the proof RFC 9162 defines.
// inclusion_proof, consistency_proof and root do all three.
//
// Errors: a precondition broken by the caller (an index beyond the tree, sizes out of
// order) throws agtrace::Error(bad_input) naming the values; a proof that does not
// verify throws agtrace::Error(verification) saying what is wrong. Whatever a
// NodeReader throws passes through unchanged.
//
// Thread safety: the free functions hold no state; a CompactRange is not safe to use
// from two threads at once.
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <utility>
#include <vector>

#include "ledger/util/bytes.h"

namespace agtrace::merkle {

// SHA-256(0x00 || leaf): the hash of one leaf's bytes (RFC 9162 §2.1.1).
Hash leaf_hash(std::span<const std::uint8_t> leaf);

// SHA-256(0x01 || left || right): the hash of an interior node (RFC 9162 §2.1.1).
Hash node_hash(const Hash& left, const Hash& right);

// SHA-256 of no bytes: the root of the empty tree, MTH({}) (RFC 9162 §2.1.1).
Hash empty_root();

// A perfect subtree: the 2^level leaves [index << level, (index + 1) << level).
// Level 0 is a single leaf, whose hash is that leaf's leaf_hash. Levels run 0..63.
struct NodeId {
  std::uint8_t level = 0;
  std::uint64_t index = 0;

  friend auto operator<=>(const NodeId&, const NodeId&) = default;
};

// Returns the hash of a perfect subtree that storage holds. It is only ever asked
// for nodes that lie wholly inside the tree size the caller passed. It may throw
// (e.g. agtrace::Error(environment) when the database is busy); that error passes
// through the function that called it.
using NodeReader = std::function<Hash(NodeId)>;

// Which perfect nodes a proof needs and how they make it. Each proof hash is one
// node of `nodes`, in order, except that the nodes [fold_begin, fold_end) make a
// single proof hash together: they lie side by side, left to right, and cover the
// sibling on the tree's right edge that may be imperfect, whose RFC 9162 MTH they
// fold into (a range of one node is that node). The range is empty when the proof
// needs no such sibling.
struct ProofPlan {
  std::vector<NodeId> nodes;
  std::size_t fold_begin = 0;
  std::size_t fold_end = 0;
};

// The plan for the inclusion proof of leaf `index` in the tree of `size` leaves
// (RFC 9162 §2.1.3.1, PATH(index, D[size])). Requires index < size; otherwise throws
// Error(bad_input), e.g. "leaf index 12 is beyond tree size 10".
ProofPlan plan_inclusion(std::uint64_t index, std::uint64_t size);

// The plan for the consistency proof between the trees of `size1` and `size2` leaves
// (RFC 9162 §2.1.4.1, PROOF(size1, D[size2])); empty when the sizes are equal.
// Requires 0 < size1 <= size2; otherwise throws Error(bad_input). A proof from size 0
// proves nothing and the published vectors reject it: a caller holding an empty
// old tree treats it as trivially consistent instead of asking for a proof.
ProofPlan plan_consistency(std::uint64_t size1, std::uint64_t size2);

// Combines the hashes of plan.nodes (node_hashes[i] is the hash of plan.nodes[i])
// into the proof hashes, lowest level first, as RFC 9162 orders them. Requires
// node_hashes.size() == plan.nodes.size(); otherwise throws Error(bad_input).
std::vector<Hash> assemble_proof(const ProofPlan& plan, std::span<const Hash> node_hashes);

// The root of the tree of `size` leaves, MTH(D[size]) (RFC 9162 §2.1.1): empty_root()
// for size 0, otherwise folded from the popcount(size) perfect nodes that cover it,
// read through `read`.
Hash root(std::uint64_t size, const NodeReader& read);

// The inclusion proof of leaf `index` in the tree of `size` leaves: its audit path,
// lowest level first (RFC 9162 §2.1.3.1). Requires index < size; otherwise throws
// Error(bad_input). Reads at most 2 * 64 perfect nodes.
std::vector<Hash> inclusion_proof(std::uint64_t index, std::uint64_t size, const NodeReader& read);

// The consistency proof between the trees of `size1` and `size2` leaves (RFC 9162
// §2.1.4.1); empty when the sizes are equal. Requires 0 < size1 <= size2; otherwise
// throws Error(bad_input). Reads at most 2 * 64 perfect nodes.
std::vector<Hash> consistency_proof(std::uint64_t size1, std::uint64_t size2,
                                    const NodeReader& read);

// Checks that `proof` shows the leaf with hash `leaf_hash` at `index` in the tree of
// `size` leaves whose root is `root`, by the algorithm of RFC 9162 §2.1.3.2. Returns
// normally when it does; otherwise throws Error(verification) saying what is wrong
// (index beyond the size, proof too long or too short, root mismatch).
void verify_inclusion(const Hash& leaf_hash, std::uint64_t index, std::uint64_t size,
                      std::span<const Hash> proof, const Hash& root);

// Checks that `proof` shows the tree of `size2` leaves with root `root2` to extend
// the tree of `size1` leaves with root `root1`. Equal sizes need an empty proof and
// equal roots; otherwise 0 < size1 < size2 and RFC 9162 §2.1.4.2's algorithm
// decides. Returns normally when the proof holds; otherwise throws
// Error(verification) saying what is wrong. size1 == 0 always fails, as the
// published vectors require: callers treat an empty old tree as trivially
// consistent before calling.
void verify_consistency(std::uint64_t size1, std::uint64_t size2, std::span<const Hash> proof,
                        const Hash& root1, const Hash& root2);

// The right edge of a growing tree: the hashes of the perfect subtrees that cover
// leaves [0, size()), largest first, one per set bit of size(). Appending a leaf
// merges it with the trailing subtrees it completes. This is what the writer keeps
// to compute roots and to learn which perfect nodes to store.
class CompactRange {
 public:
  // The empty tree.
  CompactRange() = default;

  // The tree of `size` leaves, loaded from the popcount(size) stored perfect nodes
  // that cover it, read through `read`.
  CompactRange(std::uint64_t size, const NodeReader& read);

  // Appends the leaf whose leaf_hash is `leaf_hash` and returns every perfect node
  // this completes, lowest first: the leaf itself at level 0, then each new parent.
  // Storage saves all of them. Throws Error(bad_input) if the tree already holds
  // 2^64 - 1 leaves.
  std::vector<std::pair<NodeId, Hash>> append(const Hash& leaf_hash);

  // MTH(D[size()]): empty_root() for the empty tree.
  Hash root() const;

  // The number of leaves.
  std::uint64_t size() const { return size_; }

 private:
  std::uint64_t size_ = 0;
  std::vector<Hash> frontier_;  // one hash per set bit of size_, highest bit first
};

}  // namespace agtrace::merkle
