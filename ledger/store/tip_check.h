// Checks a writer makes inside its own write transaction, so that what it reports as
// recorded is what the file holds (docs/security.md, the attacker trials of session 5).
//
// Everything a writer derives its next entry from — the index, the previous entry's leaf
// hash — it reads through the Store, that is from `merkle_nodes`, a derived table anyone
// with write access to the file can edit: a forged leaf row made an honest void land at an
// index that can never verify. These checks tie the Store to the `entries` rows.
#pragma once

#include <cstdint>
#include <vector>

#include "ledger/store/sqlite.h"
#include "ledger/store/store.h"
#include "ledger/util/bytes.h"

namespace agtrace::store {

// Throws Error(verification) unless `entries` holds exactly the indices 0..size-1 of the
// Store (count and largest index) and the last entry's stored bytes hash (RFC 9162 §2.1.1
// leaf hash) to both its leaf_hash column and the Store's last leaf.
void check_tip(sql::Database& db, const Store& store);

// Throws Error(verification) unless `entries` from index `first` on holds exactly
// `leaf_hashes`, in order and nothing after, each the leaf hash of its stored bytes: the
// read-back before a writer commits and reports the indices.
void check_written(sql::Database& db, std::uint64_t first, const std::vector<Hash>& leaf_hashes);

}  // namespace agtrace::store
