// The serial trees of the verified state (DESIGN §4 "Serial commitment"): for every
// labels_issued job, each serial's leaf index and every perfect subtree hash of the job's
// serial tree (RFC 9162 §2.1, the tree whose root is the entry's serial_root), written
// once while the replay copies the job's verified serials into the state. A code's
// inclusion proof then reads O(log n) rows, where Ledger::serial_proof reads and hashes
// every serial of the job (O(n)) on each lookup.
//
// The tables live in the verifier's own state file only; the ledger file's schema is not
// touched (docs/security.md, "The verifier's own state"). One thread per sql::Database, as
// sql::Database requires.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/ledger.h"
#include "ledger/store/sqlite.h"

namespace agtrace::verifier {

// The tables, created empty beside store::kPrimarySchema in a fresh state file.
inline constexpr std::string_view kSerialTreeSchema = R"sql(
-- Each issued serial's place in its job's serial tree; job_count repeats the job's count
-- so that a proof needs no second lookup.
CREATE TABLE serial_leaves (
  serial     TEXT PRIMARY KEY,
  job_entry  INTEGER NOT NULL,
  leaf_index INTEGER NOT NULL,   -- position among the job's serials sorted bytewise
  job_count  INTEGER NOT NULL
) WITHOUT ROWID;
-- Every perfect subtree of each job's serial tree: the 2^level leaves from idx << level.
CREATE TABLE serial_nodes (
  job_entry  INTEGER NOT NULL,
  level      INTEGER NOT NULL,
  idx        INTEGER NOT NULL,
  hash       BLOB NOT NULL,
  PRIMARY KEY (job_entry, level, idx)) WITHOUT ROWID;
)sql";

// Writes the serial tree of the labels_issued job at entry `job_entry`, whose serials are
// `sorted` (sorted bytewise, distinct, already checked against the entry's count and
// serial_root by the replay), into `db`, which holds kSerialTreeSchema. Runs inside the
// caller's transaction. Throws sql errors (Error(environment)) as sql::Database does.
void record_serial_tree(sql::Database& db, std::uint64_t job_entry, const std::vector<std::string>& sorted);

// Where an issued serial sits: its job and leaf index, and the job's size.
struct SerialLeaf {
  std::uint64_t job_entry = 0;
  std::uint64_t leaf_index = 0;
  std::uint64_t count = 0;
};

// The serial's place in its issuing job's tree, or nullopt when no labels_issued job of
// the state holds it. One indexed lookup.
std::optional<SerialLeaf> serial_leaf(sql::Database& db, const std::string& serial);

// The serial's inclusion proof in its job's serial tree (RFC 9162 §2.1.3.1), byte for
// byte what Ledger::serial_proof computes, from at most 2 * 64 stored nodes, read in one
// read transaction of its own (call it outside any transaction on `db`). Throws
// Error(verification) naming the job when a node the proof needs is missing.
SerialProof serial_proof(sql::Database& db, const SerialLeaf& leaf);

}  // namespace agtrace::verifier
