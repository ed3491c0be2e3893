// Compares sqlite_master with the schema a fresh in-memory database gets from schema.h.
#include "ledger/store/schema_check.h"

#include <fmt/format.h>

#include <map>
#include <string>
#include <tuple>

#include "ledger/store/schema.h"
#include "ledger/util/error.h"

namespace agtrace::store {
namespace {

struct SchemaObject {
  std::string table;
  std::string sql;  // empty for SQLite's automatic indexes
  bool operator==(const SchemaObject&) const = default;
};

// By (type, name): SQLite keeps triggers apart from tables and indexes, so a trigger may
// share an index's name (an attacker's way to hide one behind a name-keyed comparison).
using Objects = std::map<std::pair<std::string, std::string>, SchemaObject>;

[[noreturn]] void refuse(const std::string& what);

Objects objects_of(sql::Database& db) {
  Objects out;
  auto s = db.prepare("SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_master");
  while (s.step()) {
    auto [it, fresh] = out.emplace(std::pair{s.column_text(0), s.column_text(1)}, SchemaObject{s.column_text(2), s.column_text(3)});
    if (!fresh) refuse(fmt::format("it holds two objects of type {} named \"{}\"", it->first.first, it->first.second));
  }
  return out;
}

const Objects& expected() {
  static const Objects objects = [] {
    sql::Database fresh(":memory:", sql::OpenMode::create);
    fresh.exec(kPrimarySchema);
    fresh.exec(kDerivedSchema);
    fresh.exec(kAddedDerivedSchema);
    return objects_of(fresh);
  }();
  return objects;
}

bool is_statistics_table(const std::pair<std::string, std::string>& key) {
  return key.first == "table" && (key.second == "sqlite_stat1" || key.second == "sqlite_stat4");
}

[[noreturn]] void refuse(const std::string& what) {
  throw_verification(fmt::format(
      "the ledger file's schema was changed: {}. agtrace never makes such a change; whoever made it can "
      "alter what is recorded, so nothing is written to this file. Restore it from a backup and run verify",
      what));
}

}  // namespace

void check_schema(sql::Database& db) {
  const auto& want = expected();
  const auto have = objects_of(db);
  for (const auto& [key, o] : have) {
    if (is_statistics_table(key)) continue;
    auto it = want.find(key);
    if (it == want.end()) refuse(fmt::format("it holds a {} \"{}\" on table {}", key.first, key.second, o.table));
    if (!(it->second == o))
      refuse(fmt::format("the {} \"{}\" is not defined as agtrace defines it", key.first, key.second));
  }
  for (const auto& [key, o] : want)
    if (!have.contains(key) && !is_added_derived_table(o.table))
      refuse(fmt::format("the {} \"{}\" is missing", key.first, key.second));
}

}  // namespace agtrace::store
