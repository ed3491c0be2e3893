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
  std::string type;
  std::string table;
  std::string sql;  // empty for SQLite's automatic indexes
  bool operator==(const SchemaObject&) const = default;
};

std::map<std::string, SchemaObject> objects_of(sql::Database& db) {
  std::map<std::string, SchemaObject> out;
  auto s = db.prepare("SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_master");
  while (s.step()) out[s.column_text(1)] = {s.column_text(0), s.column_text(2), s.column_text(3)};
  return out;
}

const std::map<std::string, SchemaObject>& expected() {
  static const std::map<std::string, SchemaObject> objects = [] {
    sql::Database fresh(":memory:", sql::OpenMode::create);
    fresh.exec(kPrimarySchema);
    fresh.exec(kDerivedSchema);
    fresh.exec(kAddedDerivedSchema);
    return objects_of(fresh);
  }();
  return objects;
}

bool is_statistics_table(const std::string& name, const SchemaObject& o) {
  return o.type == "table" && (name == "sqlite_stat1" || name == "sqlite_stat4");
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
  for (const auto& [name, o] : have) {
    if (is_statistics_table(name, o)) continue;
    auto it = want.find(name);
    if (it == want.end()) refuse(fmt::format("it holds a {} \"{}\" on table {}", o.type, name, o.table));
    if (!(it->second == o)) refuse(fmt::format("the {} \"{}\" is not defined as agtrace defines it", o.type, name));
  }
  for (const auto& [name, o] : want)
    if (!have.contains(name) && !is_added_derived_table(o.table))
      refuse(fmt::format("the {} \"{}\" is missing", o.type, name));
}

}  // namespace agtrace::store
