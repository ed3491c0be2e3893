// The SQLite schema of a ledger file (documented in docs/ledger-format.md §4).
//
// Four tables hold what was accepted and can never be recomputed: `entries` (the signed
// log), `checkpoints` (every signed tree head), and `codes` / `code_events` (the serials
// of label jobs, which entries commit to by Merkle root). Triggers refuse UPDATE and DELETE
// on both — guard rails, not security: `verify` recomputes everything from the rows.
// Every other table is derived from the entries and is rebuilt by replay during
// verify and compared row by row; a mismatch is a verification failure.
#pragma once

#include <string_view>
#include <vector>

namespace agtrace::store {

inline constexpr int kSchemaVersion = 1;

// The accepted-data tables and their guard triggers.
inline constexpr std::string_view kPrimarySchema = R"sql(
CREATE TABLE entries (
  idx        INTEGER PRIMARY KEY,   -- entry index n, from 0
  entry      BLOB NOT NULL,         -- RFC 8785 bytes of {index, prev, key, event, sig}: leaf n
  leaf_hash  BLOB NOT NULL          -- SHA-256(0x00 || entry)
);
CREATE TABLE checkpoints (
  size       INTEGER PRIMARY KEY,   -- tree size the checkpoint commits to
  note       TEXT NOT NULL          -- C2SP signed note of the tlog-checkpoint body
);
-- Trace codes (DESIGN §4): the serials of each label job, committed by the job entry's
-- serial_root and count, and checked against them by verify.
CREATE TABLE codes (
  serial     TEXT PRIMARY KEY,      -- Crockford base32, 13 characters
  lot_id     TEXT NOT NULL,
  job_entry  INTEGER NOT NULL       -- the labels_issued entry
) WITHOUT ROWID;
CREATE INDEX codes_by_job ON codes (job_entry);
CREATE INDEX codes_by_lot ON codes (lot_id);
CREATE TABLE code_events (
  entry_idx  INTEGER NOT NULL,      -- a labels_reprinted or labels_voided entry
  serial     TEXT NOT NULL,
  PRIMARY KEY (entry_idx, serial)) WITHOUT ROWID;
CREATE INDEX code_events_by_serial ON code_events (serial);
CREATE TRIGGER codes_no_update BEFORE UPDATE ON codes
  BEGIN SELECT RAISE(ABORT, 'codes are append-only'); END;
CREATE TRIGGER codes_no_delete BEFORE DELETE ON codes
  BEGIN SELECT RAISE(ABORT, 'codes are append-only'); END;
CREATE TRIGGER code_events_no_update BEFORE UPDATE ON code_events
  BEGIN SELECT RAISE(ABORT, 'code events are append-only'); END;
CREATE TRIGGER code_events_no_delete BEFORE DELETE ON code_events
  BEGIN SELECT RAISE(ABORT, 'code events are append-only'); END;
CREATE TRIGGER entries_no_update BEFORE UPDATE ON entries
  BEGIN SELECT RAISE(ABORT, 'entries are append-only'); END;
CREATE TRIGGER entries_no_delete BEFORE DELETE ON entries
  BEGIN SELECT RAISE(ABORT, 'entries are append-only'); END;
CREATE TRIGGER checkpoints_no_update BEFORE UPDATE ON checkpoints
  BEGIN SELECT RAISE(ABORT, 'checkpoints are append-only'); END;
CREATE TRIGGER checkpoints_no_delete BEFORE DELETE ON checkpoints
  BEGIN SELECT RAISE(ABORT, 'checkpoints are append-only'); END;
)sql";

// Tables derived from the entries alone.
inline constexpr std::string_view kDerivedSchema = R"sql(
CREATE TABLE merkle_nodes (
  level INTEGER NOT NULL, idx INTEGER NOT NULL, hash BLOB NOT NULL,
  PRIMARY KEY (level, idx)) WITHOUT ROWID;
CREATE TABLE events (
  entry_idx  INTEGER PRIMARY KEY,
  event_id   TEXT NOT NULL UNIQUE,
  type       TEXT NOT NULL,
  event_time TEXT NOT NULL,          -- as written, RFC 3339 with offset
  unix_ms    INTEGER NOT NULL,       -- the same instant in UTC milliseconds
  key_id     TEXT NOT NULL,          -- signer, name+keyhash
  event_hash BLOB NOT NULL);         -- SHA-256 of the event's RFC 8785 bytes
CREATE INDEX events_by_time ON events (unix_ms);
CREATE TABLE keys (
  key_id TEXT PRIMARY KEY, name TEXT NOT NULL, vkey TEXT NOT NULL, role TEXT NOT NULL,
  added_entry INTEGER NOT NULL, revoked_entry INTEGER);
CREATE TABLE master (
  kind TEXT NOT NULL, id TEXT NOT NULL, entry_idx INTEGER NOT NULL,
  PRIMARY KEY (kind, id)) WITHOUT ROWID;
CREATE TABLE lots (
  lot_id TEXT PRIMARY KEY, gs1_code TEXT NOT NULL UNIQUE, product_id TEXT,
  created_entry INTEGER NOT NULL, created_unix_ms INTEGER NOT NULL,
  created_by TEXT NOT NULL, external INTEGER NOT NULL);
CREATE TABLE lot_events (
  lot_id TEXT NOT NULL, entry_idx INTEGER NOT NULL, role TEXT NOT NULL,
  PRIMARY KEY (lot_id, entry_idx, role)) WITHOUT ROWID;
CREATE INDEX lot_events_by_entry ON lot_events (entry_idx);
CREATE TABLE lineage (
  parent TEXT NOT NULL, child TEXT NOT NULL, entry_idx INTEGER NOT NULL,
  PRIMARY KEY (parent, child, entry_idx)) WITHOUT ROWID;
CREATE INDEX lineage_by_child ON lineage (child, parent);
CREATE TABLE lot_flows (
  lot_id TEXT NOT NULL, entry_idx INTEGER NOT NULL, seq INTEGER NOT NULL,
  direction TEXT NOT NULL,           -- 'in' (made) or 'out' (consumed)
  dimension TEXT NOT NULL,           -- 'mass' (kg), 'volume' (L) or 'count' (pieces)
  amount TEXT NOT NULL,              -- exact decimal in the base unit
  PRIMARY KEY (lot_id, entry_idx, seq)) WITHOUT ROWID;
CREATE TABLE pesticide_applications (
  lot_id TEXT NOT NULL, entry_idx INTEGER NOT NULL, event_id TEXT NOT NULL,
  application_date TEXT NOT NULL, interval_days INTEGER NOT NULL, safe_date TEXT NOT NULL,
  PRIMARY KEY (lot_id, entry_idx)) WITHOUT ROWID;
CREATE TABLE harvests (
  from_lot TEXT NOT NULL, entry_idx INTEGER NOT NULL, event_id TEXT NOT NULL,
  harvest_date TEXT NOT NULL,
  PRIMARY KEY (from_lot, entry_idx)) WITHOUT ROWID;
)sql";

// Derived tables added after schema version 1, as `CREATE … IF NOT EXISTS`: part of every new
// file, and created in an older file when it is first opened for writing. Their rows come only
// from entries judged under rules version 2 or later (docs/rules-versions.md), so an older file
// that lacks one holds, correctly, no rows of it; `verify` reads a missing one as empty.
//
// transformation_lots: the lots each transformation with a shared transformation id took in and
// gave out (event/transformation_links.h), by scope ('party:{id}' or 'key:{key id}') and id.
// certificates / certificate_voids (rules version 3): the 承诺达标合格证 issued and received,
// and the voids (docs/certificate.md).
// corrections (rules version 5): each correction that carries a replacement, and the entry it
// corrects; the corrected entry's derived rows are its latest replacement's (Store::apply_event).
// plot_events (rules version 7): the input applications to a plot before sowing and the plantings,
// by location, from which a planting lot's plot inputs are found (ledger/store/plot_inputs.cpp).
inline constexpr std::string_view kAddedDerivedSchema = R"sql(
CREATE TABLE IF NOT EXISTS transformation_lots (
  scope TEXT NOT NULL, transformation_id TEXT NOT NULL,
  side TEXT NOT NULL,                -- 'input' or 'output'
  lot_id TEXT NOT NULL, entry_idx INTEGER NOT NULL,
  PRIMARY KEY (scope, transformation_id, entry_idx, side, lot_id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS certificates (
  entry_idx INTEGER PRIMARY KEY,     -- the certificate_issued or certificate_received entry
  kind TEXT NOT NULL,                -- 'issued' or 'received'
  number TEXT NOT NULL, issuer TEXT NOT NULL, lot_id TEXT NOT NULL,
  style TEXT,                        -- 'producer' or 'buyer'; NULL for a received one
  dimension TEXT NOT NULL, amount TEXT NOT NULL);  -- the quantity in its base unit
CREATE INDEX IF NOT EXISTS certificates_by_number ON certificates (number, issuer);
CREATE INDEX IF NOT EXISTS certificates_by_lot ON certificates (lot_id, kind);
CREATE TABLE IF NOT EXISTS certificate_voids (
  entry_idx INTEGER PRIMARY KEY,     -- the certificate_voided entry
  number TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS corrections (
  entry_idx INTEGER PRIMARY KEY,     -- the correction entry (one with a replacement)
  corrected_entry INTEGER NOT NULL); -- the entry whose event it replaces
CREATE INDEX IF NOT EXISTS corrections_by_corrected ON corrections (corrected_entry, entry_idx);
CREATE TABLE IF NOT EXISTS plot_events (
  location_id TEXT NOT NULL,         -- the plot (or, for a planting, wherever it was sown)
  entry_idx INTEGER NOT NULL,        -- the entry
  kind TEXT NOT NULL,                -- 'input': an input_application to the plot (no lot); 'planting'
  PRIMARY KEY (location_id, entry_idx)) WITHOUT ROWID;
)sql";

// Indexes that a replay's own database (the audit's scratch, the verifier's state file) has
// beyond the ledger file's, for rule queries that the file's indexes do not serve: without
// them each such query scans a whole table, once per entry, and the replay grows with the
// square of the ledger (issue 17). certificates by number ignoring case: every certificate_issued
// asks for the numbers that differ only in case (certificate_rules.cpp); plot_events by kind:
// every planting asks for the inputs to its plot, every lot-less application for the plantings
// (plot_inputs.cpp), whose harvest check also joins lots by created_entry. Not part of the file
// format: the audit compares derived tables row by row, never their indexes.
inline constexpr std::string_view kReplayIndexSchema = R"sql(
CREATE INDEX replay_certificates_by_number_nocase ON certificates (number COLLATE NOCASE);
CREATE INDEX replay_plot_events_by_kind ON plot_events (location_id, kind);
CREATE INDEX replay_lots_by_created_entry ON lots (created_entry);
)sql";

// Whether derived table `name` is one of kAddedDerivedSchema (which an older file may lack).
inline bool is_added_derived_table(std::string_view name) {
  return name == "transformation_lots" || name == "certificates" || name == "certificate_voids" ||
         name == "corrections" || name == "plot_events";
}

// A derived table, an SQL expression giving the entry a row came from, and an ORDER BY
// that sorts by that entry first: comparing the file's rows with the replay's in this
// order, the first differing pair names the first bad entry even when a change moves a
// row elsewhere in the table. (A Merkle node belongs to the last leaf it covers.)
struct DerivedTable {
  std::string_view name;
  std::string_view order_by;
  std::string_view entry_expr;
};

inline const std::vector<DerivedTable>& derived_tables() {
  static const std::vector<DerivedTable> tables = {
      {"merkle_nodes", "((idx + 1) << level) - 1, level, idx", "((idx + 1) << level) - 1"},
      {"events", "entry_idx", "entry_idx"},
      {"keys", "added_entry, key_id", "added_entry"},
      {"master", "entry_idx, kind, id", "entry_idx"},
      {"lots", "created_entry, lot_id", "created_entry"},
      {"lot_events", "entry_idx, lot_id, role", "entry_idx"},
      {"lineage", "entry_idx, parent, child", "entry_idx"},
      {"lot_flows", "entry_idx, lot_id, seq", "entry_idx"},
      {"pesticide_applications", "entry_idx, lot_id", "entry_idx"},
      {"harvests", "entry_idx, from_lot", "entry_idx"},
      {"transformation_lots", "entry_idx, scope, transformation_id, side, lot_id", "entry_idx"},
      {"certificates", "entry_idx", "entry_idx"},
      {"certificate_voids", "entry_idx", "entry_idx"},
      {"corrections", "entry_idx", "entry_idx"},
      {"plot_events", "entry_idx, location_id", "entry_idx"},
  };
  return tables;
}

}  // namespace agtrace::store
