// Tests for the Store's reading of recorded events (store.h): the rules read the same entries
// back for entry after entry, and a Store keeps the last ones decoded — but never past a change
// of the stored bytes.
#include "ledger/store/store.h"

#include <doctest/doctest.h>

#include "ledger/json/jcs.h"
#include "ledger/store/entry.h"
#include "ledger/store/schema.h"
#include "ledger/store/sqlite.h"

using namespace agtrace;

namespace {

std::string signed_bytes(const nlohmann::json& event) {
  static const note::SigningKey clerk = note::SigningKey::generate("clerk");
  return encode_entry(sign_entry(3, Hash{}, event, json::canonicalize(event), clerk));
}

}  // namespace

TEST_CASE("an entry read back again is decoded again once its stored bytes change") {
  sql::Database db("", sql::OpenMode::create);
  db.exec(store::kPrimarySchema);
  store::Store store(db, true);
  const nlohmann::json first = {{"type", "product"}, {"event_id", "G-1"}, {"product_id", "LCDC"}, {"name", "潞城大葱"}};
  nlohmann::json second = first;
  second["name"] = "潞城小葱";
  db.prepare("INSERT INTO entries (idx, entry, leaf_hash) VALUES (3, ?, zeroblob(32))").bind_blob(1, as_bytes(signed_bytes(first))).run();
  CHECK(store.recorded_event_at(3) == first);
  CHECK(store.recorded_event_at(3) == first);  // as kept
  // A rolled-back append, or another writer, leaves other bytes under the same index.
  db.exec("DROP TRIGGER entries_no_update");
  db.prepare("UPDATE entries SET entry = ? WHERE idx = 3").bind_blob(1, as_bytes(signed_bytes(second))).run();
  CHECK(store.recorded_event_at(3) == second);
  // And bytes that no longer decode are refused as before, not answered from what was kept.
  db.exec("UPDATE entries SET entry = CAST('{}' AS BLOB) WHERE idx = 3");
  CHECK_THROWS(store.recorded_event_at(3));
}
