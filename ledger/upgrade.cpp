// Upgrading a ledger to the current rules version (DESIGN §3 "Rules versions",
// docs/rules-versions.md): one rules_upgraded entry signed by the log key, and every
// derived table rebuilt from the entries in the same transaction, since a newer version
// may compute derived rows differently from the entry where it starts.
#include <fmt/format.h>

#include "ledger/append.h"
#include "ledger/event/rules_version.h"
#include "ledger/ledger.h"
#include "ledger/merkle/merkle.h"
#include "ledger/store/schema.h"
#include "ledger/store/schema_check.h"
#include "ledger/time/timestamp.h"

namespace agtrace {

namespace {

// Drops every derived table and fills it again by applying every entry in order, as
// `verify` replays them (the entries were judged when they were appended). Creates the
// derived tables of this program's schema, so a table added since the file was written
// exists afterwards. Inside the caller's write transaction; no Store may be open on `db`.
void rebuild_derived_tables(sql::Database& db) {
  for (const auto& t : store::derived_tables()) db.exec(fmt::format("DROP TABLE IF EXISTS {}", t.name));
  store::Store store(db, true);
  auto rows = db.prepare("SELECT idx, entry FROM entries ORDER BY idx");
  while (rows.step()) {
    auto index = static_cast<std::uint64_t>(rows.column_int(0));
    auto blob = rows.column_blob(1);
    std::string leaf(reinterpret_cast<const char*>(blob.data()), blob.size());
    store.apply(decode_entry(leaf, index), merkle::leaf_hash(as_bytes(leaf)));
  }
}

}  // namespace

int Ledger::rules_version() {
  size();  // reloads the Store if another writer appended
  return store_->rules_version();
}

RulesUpgrade Ledger::upgrade_rules(const note::SigningKey& log_key, const std::string& reason,
                                  const std::string& signer_state) {
  if (!writable_) throw std::logic_error("upgrade_rules on a read-only ledger");
  check_log_key(log_key);
  const int before = rules_version();
  if (before >= kCurrentRulesVersion) return {before, before, std::nullopt};
  verify(std::nullopt);

  nlohmann::json e = {{"type", "rules_upgraded"},
                      {"event_id", fmt::format("rules-upgraded-{}", kCurrentRulesVersion)},
                      {"event_time", time::format_utc(time::now_unix_ms())},
                      {"rules_version", kCurrentRulesVersion},
                      {"reason", reason}};
  PreparedEvent prepared = prepare_event(std::move(e), "upgrade");

  RulesUpgrade done;
  store_.reset();  // its statements must not hold the tables the rebuild drops
  try {
    sql::Transaction tx(*db_);
    store::check_schema(*db_);
    {
      store::Store store(*db_, false);
      done.from = store.rules_version();
      if (done.from >= kCurrentRulesVersion) {  // another process upgraded meanwhile
        reload_store();
        return {done.from, done.from, std::nullopt};
      }
      auto key = detail::usable_key(store, log_key);
      auto insert_entry = db_->prepare("INSERT INTO entries (idx, entry, leaf_hash) VALUES (?, ?, ?)");
      RuleOptions rules{time::now_unix_ms(), true, nullptr};
      done.entry = detail::append_one(store, insert_entry, prepared, log_key, &key, rules).index;
    }
    rebuild_derived_tables(*db_);
    tx.commit();
  } catch (...) {
    reload_store();
    throw;
  }
  reload_store();
  done.to = store_->rules_version();
  sign_checkpoint(log_key, signer_state);
  return done;
}

}  // namespace agtrace
