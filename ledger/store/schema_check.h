// The check that a ledger file's schema is exactly the one agtrace creates.
//
// Anyone with write access to the file can add a trigger that runs inside a writer's own
// transaction — deleting a recall entry as it is recorded, say — while the writer reports
// success; triggers run whatever `PRAGMA trusted_schema` says. So every write transaction
// starts with this check (after BEGIN IMMEDIATE, when nobody else can change the schema),
// and `verify` makes it too (docs/security.md).
#pragma once

#include "ledger/store/sqlite.h"

namespace agtrace::store {

// Throws Error(verification) naming the first object of the file's sqlite_master that is
// not in the schema of ledger/store/schema.h (a trigger, view, index or table, or one whose
// SQL differs), or an object of that schema that is missing. Tables of kAddedDerivedSchema
// may be missing from a file made before they existed; SQLite's own statistics tables
// (sqlite_stat1, sqlite_stat4: ANALYZE, PRAGMA optimize) are allowed.
void check_schema(sql::Database& db);

}  // namespace agtrace::store
