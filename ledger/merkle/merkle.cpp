// RFC 9162 §2.1 Merkle trees over perfect-subtree storage.
//
// The tree of n leaves (RFC 9162 §2.1.1) splits at the largest power of two below n,
// so its left parts are perfect subtrees and only the nodes on its right edge are
// imperfect. Proof planning rests on that shape. Walking up from leaf m, the path
// to m and the path to the last leaf n - 1 meet at level bit_width(m ^ (n - 1)):
//   - below that level, the sibling of each node on m's path is perfect, except the
//     one just below the meeting point, which holds leaf n - 1 and may be imperfect
//     (it is then folded from the perfect nodes covering its leaves);
//   - from that level up, m's path runs along the right edge, where a node that is a
//     left child has no right sibling (RFC 9162 then uses the child's hash as is),
//     and a right child's left sibling is perfect.
// A consistency proof from size1 to size2 is the part of the inclusion path of leaf
// size1 - 1 that lies above the largest perfect subtree ending at size1, preceded by
// that subtree unless it is the whole old tree (RFC 9162 §2.1.4.1).
#include "ledger/merkle/merkle.h"

#include <fmt/format.h>

#include <bit>
#include <limits>

#include "ledger/util/error.h"
#include "ledger/util/sha256.h"

namespace agtrace::merkle {

namespace {

constexpr std::uint8_t kLeafPrefix[] = {0x00};
constexpr std::uint8_t kNodePrefix[] = {0x01};

// Appends the perfect nodes covering `count` leaves from `begin`, left to right.
// Requires `begin` to be a multiple of the largest power of two in `count`, which
// makes each node start on a multiple of its own size.
void add_cover(std::uint64_t begin, std::uint64_t count, std::vector<NodeId>& out) {
  for (int level = static_cast<int>(std::bit_width(count)) - 1; level >= 0; --level) {
    if ((count >> level) & 1) {
      out.push_back({static_cast<std::uint8_t>(level), begin >> level});
      begin += std::uint64_t{1} << level;
    }
  }
}

// Appends to `plan` the siblings of leaf `leaf`'s path in the tree of `size` leaves
// at levels `from` and up (RFC 9162 PATH with its lowest `from` hashes left out).
// Requires leaf < size and, when leaf != size - 1, from < bit_width(leaf ^ (size - 1)).
void add_path(std::uint64_t leaf, std::uint64_t size, unsigned from, ProofPlan& plan) {
  const auto meet = static_cast<unsigned>(std::bit_width(leaf ^ (size - 1)));
  // Below the meeting point: perfect siblings, then the right sibling that holds
  // leaf size - 1, folded from the perfect nodes covering [begin, size).
  for (unsigned level = from; level + 1 < meet; ++level)
    plan.nodes.push_back({static_cast<std::uint8_t>(level), (leaf >> level) ^ 1});
  if (meet > from) {
    const unsigned level = meet - 1;
    const std::uint64_t begin = ((leaf >> level) + 1) << level;
    plan.fold_begin = plan.nodes.size();
    add_cover(begin, size - begin, plan.nodes);
    plan.fold_end = plan.nodes.size();
  }
  // Along the right edge: the left sibling of every right child.
  for (unsigned level = meet; level < 64; ++level)
    if ((leaf >> level) & 1)
      plan.nodes.push_back({static_cast<std::uint8_t>(level), (leaf >> level) - 1});
}

// The number of hashes an assembled proof of `plan` has.
std::size_t proof_size(const ProofPlan& plan) {
  const std::size_t folded = plan.fold_end - plan.fold_begin;
  return plan.nodes.size() - (folded > 1 ? folded - 1 : 0);
}

// Reads the hash of every node of `nodes` through `read`, in order.
std::vector<Hash> read_all(const std::vector<NodeId>& nodes, const NodeReader& read) {
  std::vector<Hash> hashes;
  hashes.reserve(nodes.size());
  for (const NodeId& id : nodes) hashes.push_back(read(id));
  return hashes;
}

// The MTH of adjacent perfect subtrees given left to right, each no larger than the
// one before it: the right edge folds into its left neighbours.
Hash fold_right_edge(std::span<const Hash> hashes) {
  Hash acc = hashes.back();
  for (std::size_t i = hashes.size() - 1; i-- > 0;) acc = node_hash(hashes[i], acc);
  return acc;
}

// Throws Error(verification): the proof `what` names has the wrong number of hashes.
[[noreturn]] void fail_length(std::string_view what, std::size_t got, std::size_t want) {
  throw_verification(fmt::format("{} has {} hashes; it must have exactly {}", what, got, want));
}

// Throws Error(verification) unless the root computed from the proof `what` names
// is the expected one.
void check_root(std::string_view what, const Hash& computed, const Hash& expected) {
  if (computed != expected)
    throw_verification(fmt::format("{} leads to root {}, not the expected root {}", what,
                                   hex_encode(computed), hex_encode(expected)));
}

}  // namespace

Hash leaf_hash(std::span<const std::uint8_t> leaf) { return sha256({kLeafPrefix, leaf}); }

Hash node_hash(const Hash& left, const Hash& right) { return sha256({kNodePrefix, left, right}); }

Hash empty_root() { return sha256(std::span<const std::uint8_t>{}); }

ProofPlan plan_inclusion(std::uint64_t index, std::uint64_t size) {
  if (index >= size)
    throw_bad_input(fmt::format("leaf index {} is beyond tree size {}", index, size));
  ProofPlan plan;
  add_path(index, size, 0, plan);
  return plan;
}

ProofPlan plan_consistency(std::uint64_t size1, std::uint64_t size2) {
  if (size1 > size2)
    throw_bad_input(fmt::format(
        "old tree size {} is beyond new tree size {}; a consistency proof runs from the "
        "smaller size to the larger",
        size1, size2));
  if (size1 == 0)
    throw_bad_input(fmt::format(
        "no consistency proof exists from tree size 0 (to size {}); an empty old tree is "
        "trivially consistent with any later one",
        size2));
  ProofPlan plan;
  if (size1 == size2) return plan;
  // The largest perfect subtree ending at size1 lies on the path of leaf size1 - 1 at
  // level `shift`; the client knows it already when it is the whole old tree.
  const auto shift = static_cast<unsigned>(std::countr_zero(size1));
  if (!std::has_single_bit(size1))
    plan.nodes.push_back({static_cast<std::uint8_t>(shift), (size1 >> shift) - 1});
  add_path(size1 - 1, size2, shift, plan);
  return plan;
}

std::vector<Hash> assemble_proof(const ProofPlan& plan, std::span<const Hash> node_hashes) {
  if (node_hashes.size() != plan.nodes.size())
    throw_bad_input(fmt::format("the proof plan has {} nodes but {} hashes were given",
                                plan.nodes.size(), node_hashes.size()));
  std::vector<Hash> proof;
  proof.reserve(proof_size(plan));
  for (std::size_t i = 0; i < node_hashes.size(); ++i) {
    if (i == plan.fold_begin && plan.fold_end > plan.fold_begin) {
      proof.push_back(
          fold_right_edge(node_hashes.subspan(plan.fold_begin, plan.fold_end - plan.fold_begin)));
      i = plan.fold_end - 1;
    } else {
      proof.push_back(node_hashes[i]);
    }
  }
  return proof;
}

Hash root(std::uint64_t size, const NodeReader& read) {
  if (size == 0) return empty_root();
  std::vector<NodeId> cover;
  add_cover(0, size, cover);
  return fold_right_edge(read_all(cover, read));
}

std::vector<Hash> inclusion_proof(std::uint64_t index, std::uint64_t size, const NodeReader& read) {
  const ProofPlan plan = plan_inclusion(index, size);
  return assemble_proof(plan, read_all(plan.nodes, read));
}

std::vector<Hash> consistency_proof(std::uint64_t size1, std::uint64_t size2,
                                    const NodeReader& read) {
  const ProofPlan plan = plan_consistency(size1, size2);
  return assemble_proof(plan, read_all(plan.nodes, read));
}

void verify_inclusion(const Hash& leaf_hash, std::uint64_t index, std::uint64_t size,
                      std::span<const Hash> proof, const Hash& root) {
  // RFC 9162 §2.1.3.2, step by step.
  if (index >= size)
    throw_verification(fmt::format("leaf index {} is beyond tree size {}", index, size));
  const auto what = fmt::format("the inclusion proof of leaf {} in tree size {}", index, size);
  const auto fail_size = [&] {
    fail_length(what, proof.size(), proof_size(plan_inclusion(index, size)));
  };
  std::uint64_t fn = index;
  std::uint64_t sn = size - 1;
  Hash r = leaf_hash;
  for (const Hash& p : proof) {
    if (sn == 0) fail_size();
    if ((fn & 1) || fn == sn) {
      r = node_hash(p, r);
      while (!(fn & 1) && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      r = node_hash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) fail_size();
  check_root(what, r, root);
}

void verify_consistency(std::uint64_t size1, std::uint64_t size2, std::span<const Hash> proof,
                        const Hash& root1, const Hash& root2) {
  if (size1 > size2)
    throw_verification(fmt::format("old tree size {} is beyond new tree size {}", size1, size2));
  if (size1 == 0)
    throw_verification(fmt::format(
        "a consistency proof from tree size 0 (to size {}) proves nothing and is refused; "
        "treat an empty old tree as trivially consistent instead",
        size2));
  if (size1 == size2) {
    if (!proof.empty())
      throw_verification(fmt::format(
          "the trees have the same size {}, so the consistency proof must be empty, but it "
          "has {} hashes",
          size1, proof.size()));
    if (root1 != root2)
      throw_verification(fmt::format("two trees of the same size {} have different roots {} and {}",
                                     size1, hex_encode(root1), hex_encode(root2)));
    return;
  }
  // RFC 9162 §2.1.4.2, step by step, for 0 < size1 < size2.
  const auto what = fmt::format("the consistency proof from tree size {} to {}", size1, size2);
  const auto fail_size = [&] {
    fail_length(what, proof.size(), proof_size(plan_consistency(size1, size2)));
  };
  // 1. An empty path fails.
  if (proof.empty()) fail_size();
  // 2. If size1 is a power of two, the path starts with root1.
  std::vector<Hash> path;
  path.reserve(proof.size() + 1);
  if (std::has_single_bit(size1)) path.push_back(root1);
  path.insert(path.end(), proof.begin(), proof.end());
  // 3., 4.
  std::uint64_t fn = size1 - 1;
  std::uint64_t sn = size2 - 1;
  while (fn & 1) {
    fn >>= 1;
    sn >>= 1;
  }
  // 5.
  Hash fr = path.front();
  Hash sr = path.front();
  // 6.
  for (std::size_t i = 1; i < path.size(); ++i) {
    const Hash& c = path[i];
    if (sn == 0) fail_size();
    if ((fn & 1) || fn == sn) {
      fr = node_hash(c, fr);
      sr = node_hash(c, sr);
      while (!(fn & 1) && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      sr = node_hash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  // 7.
  if (sn != 0) fail_size();
  check_root(what + " (old tree)", fr, root1);
  check_root(what + " (new tree)", sr, root2);
}

CompactRange::CompactRange(std::uint64_t size, const NodeReader& read) : size_(size) {
  std::vector<NodeId> cover;
  add_cover(0, size, cover);
  frontier_ = read_all(cover, read);
}

std::vector<std::pair<NodeId, Hash>> CompactRange::append(const Hash& leaf_hash) {
  if (size_ == std::numeric_limits<std::uint64_t>::max())
    throw_bad_input(fmt::format("the tree already holds {} leaves, the most it can", size_));
  std::vector<std::pair<NodeId, Hash>> completed{{NodeId{0, size_}, leaf_hash}};
  Hash acc = leaf_hash;
  // Each set low bit of the old size is a subtree of that size now completed by
  // its right sibling.
  for (unsigned level = 0; (size_ >> level) & 1; ++level) {
    acc = node_hash(frontier_.back(), acc);
    frontier_.pop_back();
    completed.push_back({NodeId{static_cast<std::uint8_t>(level + 1), size_ >> (level + 1)}, acc});
  }
  frontier_.push_back(acc);
  ++size_;
  return completed;
}

Hash CompactRange::root() const {
  return frontier_.empty() ? empty_root() : fold_right_edge(frontier_);
}

}  // namespace agtrace::merkle
