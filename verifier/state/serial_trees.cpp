// Serial trees of the verified state (serial_trees.h).
#include "verifier/state/serial_trees.h"

#include <fmt/format.h>

#include <algorithm>

#include "ledger/merkle/merkle.h"
#include "ledger/util/error.h"

namespace agtrace::verifier {

void record_serial_tree(sql::Database& db, std::uint64_t job_entry, const std::vector<std::string>& sorted) {
  const auto job = static_cast<std::int64_t>(job_entry);
  auto leaf = db.prepare("INSERT INTO serial_leaves (serial, job_entry, leaf_index, job_count) VALUES (?, ?, ?, ?)");
  auto node = db.prepare("INSERT INTO serial_nodes (job_entry, level, idx, hash) VALUES (?, ?, ?, ?)");
  merkle::CompactRange range;
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    leaf.bind(1, sorted[i]).bind(2, job).bind(3, static_cast<std::int64_t>(i))
        .bind(4, static_cast<std::int64_t>(sorted.size())).run();
    for (const auto& [id, hash] : range.append(merkle::leaf_hash(as_bytes(sorted[i]))))
      node.bind(1, job).bind(2, static_cast<std::int64_t>(id.level)).bind(3, static_cast<std::int64_t>(id.index))
          .bind_blob(4, hash).run();
  }
}

std::optional<SerialLeaf> serial_leaf(sql::Database& db, const std::string& serial) {
  auto s = db.prepare("SELECT job_entry, leaf_index, job_count FROM serial_leaves WHERE serial = ?");
  s.bind(1, serial);
  if (!s.step()) return std::nullopt;
  return SerialLeaf{static_cast<std::uint64_t>(s.column_int(0)), static_cast<std::uint64_t>(s.column_int(1)),
                    static_cast<std::uint64_t>(s.column_int(2))};
}

SerialProof serial_proof(sql::Database& db, const SerialLeaf& leaf) {
  // One read transaction for all the probes (each would otherwise lock and unlock the file),
  // or the caller's.
  auto snapshot = sql::Transaction::snapshot(db);
  auto s = db.prepare("SELECT hash FROM serial_nodes WHERE job_entry = ? AND level = ? AND idx = ?");
  merkle::NodeReader read = [&](merkle::NodeId id) {
    s.bind(1, static_cast<std::int64_t>(leaf.job_entry)).bind(2, static_cast<std::int64_t>(id.level))
        .bind(3, static_cast<std::int64_t>(id.index));
    if (!s.step())
      throw_verification(fmt::format("label job at entry {}: node (level {}, index {}) of its serial tree is missing "
                                     "from the verifier's state; restart the verifier to rebuild it",
                                     leaf.job_entry, id.level, id.index));
    auto b = s.column_blob(0);
    if (b.size() != 32)
      throw_verification(fmt::format("label job at entry {}: node (level {}, index {}) of its serial tree is not "
                                     "32 bytes; restart the verifier to rebuild it",
                                     leaf.job_entry, id.level, id.index));
    Hash h;
    std::copy(b.begin(), b.end(), h.begin());
    s.reset();
    return h;
  };
  return SerialProof{leaf.job_entry, leaf.leaf_index, leaf.count,
                     merkle::inclusion_proof(leaf.leaf_index, leaf.count, read)};
}

}  // namespace agtrace::verifier
