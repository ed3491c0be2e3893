#include "ledger/store/tip_check.h"

#include <fmt/format.h>

#include <algorithm>

#include "ledger/merkle/merkle.h"
#include "ledger/util/error.h"

namespace agtrace::store {
namespace {

[[noreturn]] void refuse(const std::string& what) {
  throw_verification(fmt::format("the ledger file does not agree with itself: {}. Nothing was written; run verify, "
                                 "and restore the file from a backup if it fails",
                                 what));
}

Hash hash_of_blob(std::span<const std::uint8_t> blob) { return merkle::leaf_hash(blob); }

}  // namespace

void check_tip(sql::Database& db, const Store& store) {
  auto s = db.prepare("SELECT count(*), coalesce(max(idx) + 1, 0) FROM entries");
  s.step();
  const auto count = static_cast<std::uint64_t>(s.column_int(0));
  const auto end = static_cast<std::uint64_t>(s.column_int(1));
  if (count != store.size() || end != store.size())
    refuse(fmt::format("the entries table holds {} rows up to index {}, but the Merkle tree has {} leaves", count,
                       end == 0 ? 0 : end - 1, store.size()));
  if (count == 0) return;
  auto last = db.prepare("SELECT entry, leaf_hash FROM entries WHERE idx = ?");
  last.bind(1, static_cast<std::int64_t>(count - 1));
  last.step();
  const Hash computed = hash_of_blob(last.column_blob(0));
  auto stored = last.column_blob(1);
  if (!std::equal(stored.begin(), stored.end(), computed.begin(), computed.end()) || computed != store.last_leaf_hash())
    refuse(fmt::format("entry {}'s bytes, its leaf_hash and the Merkle leaf differ", count - 1));
}

void check_written(sql::Database& db, std::uint64_t first, const std::vector<Hash>& leaf_hashes) {
  auto s = db.prepare("SELECT idx, entry FROM entries WHERE idx >= ? ORDER BY idx");
  s.bind(1, static_cast<std::int64_t>(first));
  std::uint64_t expected = first;
  for (const Hash& want : leaf_hashes) {
    if (!s.step() || static_cast<std::uint64_t>(s.column_int(0)) != expected)
      refuse(fmt::format("entry {} was written but is not stored", expected));
    if (hash_of_blob(s.column_blob(1)) != want)
      refuse(fmt::format("entry {} is stored with other bytes than were written", expected));
    ++expected;
  }
  if (s.step()) refuse(fmt::format("entry {} is stored, but this write ended at {}", s.column_int(0), expected - 1));
}

}  // namespace agtrace::store
