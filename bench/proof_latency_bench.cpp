// proof_latency_bench: an entry's inclusion proof against the size of the log (issue 17, item 4:
// "proof latency at 10k vs 10M leaves on a synthetic tree, growth <= 2x").
//
// Two synthetic logs, of --small (default 10,000) and --big (default 10,000,000) leaves, are
// written as the ledger stores its tree: every perfect node a leaf completes
// (merkle::CompactRange::append, as Store::append_leaf) in a merkle_nodes table made by the
// ledger's own schema (store::kDerivedSchema); leaf i's entry is its 8 bytes big-endian. Each
// file is built once and kept under --dir (default build-bench/bench-data/proof_latency; the
// big one is about 1 GB). Then, for leaves drawn at random from each log, in the same run: one
// inclusion proof (merkle::inclusion_proof over the stored nodes with the very query
// Store::node_reader runs, in one read snapshot per proof, as Ledger::inclusion_proof does) —
// proofs per second, the big log's rate against the small one's. Every proof is checked
// against the root (merkle::verify_inclusion, outside the timing). A proof reads O(log n)
// nodes, 14 at 10k leaves and 24 at 10M, so the goal is a ratio >= 0.5. Not a test: nothing
// asserts a time. --mmap BYTES reads the files through SQLite's memory map (PRAGMA mmap_size)
// instead of its page cache and read calls, to show what that changes; default 0, as a ledger.
// --cache-mib N gives each reader a page cache of N MiB (default 2, SQLite's default and the
// verifier's). --layout stores the same nodes otherwise, to show what a file format change
// would buy (the ledger's is `ledger`): `rowid`, one integer key (level << 56 | index) in a
// rowid table, in the same order; `inorder`, one integer key that is the node's in-order
// position ((index << (level + 1)) + 2^level - 1), so that a subtree's nodes are neighbours.
//
// Usage: proof_latency_bench [--small N] [--big N] [--seconds S] [--mmap BYTES] [--cache-mib N]
//                            [--layout ledger|rowid|inorder] [--dir DIR] [--rows FILE]
#include <fmt/format.h>
#include <time.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "ledger/merkle/merkle.h"
#include "ledger/store/schema.h"
#include "ledger/store/sqlite.h"
#include "ledger/util/bytes.h"

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

Hash leaf_of(std::uint64_t i) {
  std::uint8_t bytes[8];
  for (int b = 0; b < 8; ++b) bytes[b] = static_cast<std::uint8_t>(i >> (56 - 8 * b));
  return merkle::leaf_hash(std::span<const std::uint8_t>(bytes, 8));
}

enum class Layout { ledger, rowid, inorder };

// The one integer key of node `id` in `layout` (rowid, inorder).
std::int64_t key_of(Layout layout, merkle::NodeId id) {
  if (layout == Layout::rowid) return static_cast<std::int64_t>((std::uint64_t{id.level} << 56) | id.index);
  return static_cast<std::int64_t>((id.index << (id.level + 1)) + (std::uint64_t{1} << id.level) - 1);
}

// Writes every stored node of the tree of `size` leaves into a new file `path`.
void build_tree(const std::string& path, std::uint64_t size, Layout layout) {
  sql::Database db(path, sql::OpenMode::create, 30000, "synthetic tree");
  db.exec("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-262144;");
  if (layout == Layout::ledger) db.exec(store::kDerivedSchema);
  else db.exec("CREATE TABLE nodes (id INTEGER PRIMARY KEY, hash BLOB NOT NULL);");
  sql::Transaction tx(db);
  auto insert = layout == Layout::ledger ? db.prepare("INSERT INTO merkle_nodes (level, idx, hash) VALUES (?, ?, ?)")
                                         : db.prepare("INSERT INTO nodes (id, hash) VALUES (?, ?)");
  merkle::CompactRange range;
  for (std::uint64_t i = 0; i < size; ++i)
    for (const auto& [id, hash] : range.append(leaf_of(i))) {
      if (layout == Layout::ledger)
        insert.bind(1, static_cast<std::int64_t>(id.level)).bind(2, static_cast<std::int64_t>(id.index)).bind_blob(3, hash).run();
      else
        insert.bind(1, key_of(layout, id)).bind_blob(2, hash).run();
    }
  tx.commit();
}

struct Tree {
  std::uint64_t size;
  sql::Database db;
  Hash root{};
  merkle::NodeReader read;

  Tree(const std::string& path, std::uint64_t n, std::uint64_t mmap_bytes, std::uint64_t cache_mib, Layout layout)
      : size(n), db(path, sql::OpenMode::read_only, 30000, "synthetic tree") {
    db.exec(fmt::format("PRAGMA cache_size = -{}", cache_mib * 1024));  // default 2 MiB, as a ledger reader has
    db.exec(fmt::format("PRAGMA mmap_size = {}", mmap_bytes));
    read = [this, layout](merkle::NodeId id) {
      auto s = layout == Layout::ledger ? db.prepare("SELECT hash FROM merkle_nodes WHERE level = ? AND idx = ?")
                                        : db.prepare("SELECT hash FROM nodes WHERE id = ?");
      if (layout == Layout::ledger)
        s.bind(1, static_cast<std::int64_t>(id.level)).bind(2, static_cast<std::int64_t>(id.index));
      else
        s.bind(1, key_of(layout, id));
      if (!s.step()) throw std::runtime_error(fmt::format("node ({}, {}) missing", id.level, id.index));
      Hash h{};
      auto blob = s.column_blob(0);
      std::copy(blob.begin(), blob.end(), h.begin());
      return h;
    };
    auto tx = sql::Transaction::read(db);
    root = merkle::root(size, read);
  }
};

// Proofs of random leaves of `tree` for at least `seconds`; each checked against the root.
Rate proof_rate(Tree& tree, double seconds, std::mt19937_64& rng) {
  std::uint64_t n = 0;
  double timed_cpu = 0, timed_wall = 0;
  do {
    const std::uint64_t leaf = rng() % tree.size;
    const double c0 = cpu_seconds();
    const auto t0 = Clock::now();
    std::vector<Hash> proof;
    {
      auto tx = sql::Transaction::read(tree.db);
      proof = merkle::inclusion_proof(leaf, tree.size, tree.read);
    }
    timed_wall += std::chrono::duration<double>(Clock::now() - t0).count();
    timed_cpu += cpu_seconds() - c0;
    merkle::verify_inclusion(leaf_of(leaf), leaf, tree.size, proof, tree.root);
    ++n;
  } while (timed_wall < seconds || n < 100);
  return {static_cast<double>(n) / timed_wall, static_cast<double>(n) / timed_cpu};
}

}  // namespace

int main(int argc, char** argv) {
  std::uint64_t small = 10'000, big = 10'000'000;
  double seconds = 1.0;
  std::uint64_t mmap_bytes = 0, cache_mib = 2;
  Layout layout = Layout::ledger;
  std::string layout_name = "ledger";
  std::string dir_arg, rows_file;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&] { return i + 1 < argc ? std::string(argv[++i]) : std::string(); };
    if (a == "--small") small = std::stoull(value());
    else if (a == "--big") big = std::stoull(value());
    else if (a == "--seconds") seconds = std::stod(value());
    else if (a == "--mmap") mmap_bytes = std::stoull(value());
    else if (a == "--cache-mib") cache_mib = std::stoull(value());
    else if (a == "--layout") layout_name = value();
    else if (a == "--dir") dir_arg = value();
    else if (a == "--rows") rows_file = value();
    else {
      std::cerr << "usage: proof_latency_bench [--small N] [--big N] [--seconds S] [--mmap BYTES] [--cache-mib N] "
                   "[--layout ledger|rowid|inorder] [--dir DIR] [--rows FILE]\n";
      return 2;
    }
  }
  if (layout_name == "rowid") layout = Layout::rowid;
  else if (layout_name == "inorder") layout = Layout::inorder;
  else if (layout_name != "ledger") {
    std::cerr << "proof_latency_bench: --layout \"" << layout_name << "\": use ledger, rowid or inorder\n";
    return 2;
  }
  if (small == 0 || big == 0) {
    std::cerr << "proof_latency_bench: --small and --big: give at least 1 leaf per log\n";
    return 2;
  }
  try {
    fs::path dir = dir_arg.empty() ? fs::path(argv[0]).parent_path().parent_path() / "bench-data" / "proof_latency"
                                   : fs::path(dir_arg);
    fs::create_directories(dir);
    auto file_of = [&](std::uint64_t n) {
      const std::string path =
          (dir / (layout == Layout::ledger ? fmt::format("tree-{}.db", n) : fmt::format("tree-{}-{}.db", n, layout_name))).string();
      if (!fs::exists(path)) {
        std::cout << fmt::format("building a synthetic tree of {} leaves (once; kept in {})\n", n, dir.string());
        const auto t0 = Clock::now();
        fs::remove(path + ".tmp");
        build_tree(path + ".tmp", n, layout);
        fs::rename(path + ".tmp", path);
        std::cout << fmt::format("built in {:.1f} s\n", std::chrono::duration<double>(Clock::now() - t0).count());
      }
      return path;
    };
    Tree small_tree(file_of(small), small, mmap_bytes, cache_mib, layout),
        big_tree(file_of(big), big, mmap_bytes, cache_mib, layout);
    std::mt19937_64 rng(17);
    proof_rate(small_tree, seconds / 4, rng);  // warm both page caches alike
    proof_rate(big_tree, seconds / 4, rng);
    const Rate r_small = proof_rate(small_tree, seconds, rng), r_big = proof_rate(big_tree, seconds, rng);
    std::string variant;
    if (layout != Layout::ledger) variant += fmt::format(", layout {}", layout_name);
    if (cache_mib != 2) variant += fmt::format(", cache {} MiB", cache_mib);
    if (mmap_bytes != 0) variant += fmt::format(", mmap {} B", mmap_bytes);
    const std::string figure = fmt::format("inclusion proof, synthetic log of {} leaves{}", big, variant);
    const std::string baseline = fmt::format("same, log of {} leaves", small);
    const double ratio = r_big.wall / r_small.wall, cpu_ratio = r_big.cpu / r_small.cpu;
    std::cout << fmt::format("\n{:<52} {:>10}  {:<32} {:>10}  {:>6}  {:>9}\n", "figure", "proofs/s", "same-run baseline",
                             "proofs/s", "ratio", "CPU ratio");
    std::cout << fmt::format("{:<52} {:>10.0f}  {:<32} {:>10.0f}  {:>6.3f}  {:>9.3f}\n", figure, r_big.wall, baseline,
                             r_small.wall, ratio, cpu_ratio);
    std::cout << fmt::format("one proof: {:.1f} us ({} leaves), {:.1f} us ({} leaves): growth {:.2f}x (goal <= 2x)\n",
                             1e6 / r_small.wall, small, 1e6 / r_big.wall, big, r_small.wall / r_big.wall);
    if (!rows_file.empty()) {
      std::ofstream out(rows_file, std::ios::app);
      out << fmt::format("{}\t{:.0f}\t/s\t{}\t{:.0f}\t{:.3f}\t>= 0.50\t{:.3f}\n", figure, r_big.wall, baseline,
                         r_small.wall, ratio, cpu_ratio);
    }
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "proof_latency_bench: " << e.what() << "\n";
    return 1;
  }
}
