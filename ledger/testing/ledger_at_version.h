// A ledger at a chosen rules version for the core's unit tests (docs/rules-versions.md). For
// tests only.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "ledger/append.h"
#include "ledger/json/jcs.h"
#include "ledger/ledger.h"
#include "ledger/merkle/merkle.h"
#include "ledger/store/schema.h"
#include "ledger/testing/expect_error.h"

namespace agtrace::testing {

namespace fs = std::filesystem;
using Json = nlohmann::json;

// Creates a ledger file at `path` whose entry 0 (log_init, signed by `log_key`) names rules
// version `version`, or none at all (as every ledger written before versions) when nullopt; no
// checkpoint is signed.
inline void create_ledger_file(const std::string& path, const note::SigningKey& log_key, std::optional<int> version) {
  sql::Database db(path, sql::OpenMode::create);
  db.exec("PRAGMA journal_mode=WAL;");
  db.exec(store::kPrimarySchema);
  db.exec(store::kDerivedSchema);
  db.exec(fmt::format("PRAGMA user_version = {}", store::kSchemaVersion));
  auto vkey = note::verifier_key_of(log_key);
  Json init = {{"type", "log_init"},
               {"event_id", "log-init-" + vkey.key_id()},
               {"event_time", "2022-01-01T00:00:00Z"},
               {"origin", log_key.name()},
               {"base_url", "https://trace.example"},
               {"log_key", vkey.to_string()}};
  if (version) init["rules_version"] = *version;
  std::vector<PreparedEvent> genesis = {prepare_event(init, "log_init")};
  std::size_t next = 0;
  detail::append_events(
      db, [&]() -> std::optional<PreparedEvent> {
        if (next == genesis.size()) return std::nullopt;
        return genesis[next++];
      },
      log_key, {}, true);
}

// Signs `event` as the next entry of the ledger at `path` with `key` and stores it the way an
// insider with the key and write access to the file could: past every append check (so that
// verify's judgement of it can be tested).
inline void forge_entry(const std::string& path, const Json& event, const note::SigningKey& key) {
  std::uint64_t index;
  Hash prev;
  {
    Ledger l(path, false);
    index = l.size();
    prev = merkle::leaf_hash(as_bytes(encode_entry(l.entry(index - 1))));
  }
  Entry entry = sign_entry(index, prev, event, json::canonicalize(event), key);
  std::string leaf = encode_entry(entry);
  sql::Database db(path, sql::OpenMode::read_write);
  db.prepare("INSERT INTO entries (idx, entry, leaf_hash) VALUES (?, ?, ?)")
      .bind(1, static_cast<std::int64_t>(index))
      .bind_blob(2, as_bytes(leaf))
      .bind_blob(3, merkle::leaf_hash(as_bytes(leaf)))
      .run();
}

// A ledger whose entry 0 names rules version `version` (so that a rule and the version before
// it can be tried side by side), in a scratch folder: a clerk key, the buyer BUY, the grower XAX
// (outside the system: a party, nothing else), the laboratory LAB, the co-op SDD with its own
// harvest H1 (100 kg) and its certificate SDD-0001 (质量安全控制符合要求), base B1, product LCDC.
// Removed afterwards.
struct LedgerAtVersion {
  fs::path dir;
  std::string path;
  note::SigningKey log_key = note::SigningKey::generate("trace.example/log");
  note::SigningKey clerk = note::SigningKey::generate("clerk-1");

  LedgerAtVersion(const std::string& name, int version)
      : dir(fs::temp_directory_path() / ("agtrace-v" + std::to_string(version) + "-" + name + "-" + std::to_string(::getpid()))),
        path((dir / "ledger.db").string()) {
    fs::remove_all(dir);
    fs::create_directories(dir);
    create_ledger_file(path, log_key, version);
    Ledger l(path, true);
    l.append({prepare_event(Json{{"type", "key_added"}, {"event_id", "k1"}, {"event_time", "2022-01-01T00:00:00Z"},
                                 {"name", "clerk-1"}, {"role", "clerk"},
                                 {"vkey", note::verifier_key_of(clerk).to_string()}},
                            "test")},
             log_key, {});
    auto party = [](const std::string& id, const std::string& name, const std::string& role) {
      return Json{{"type", "party"}, {"event_id", "p-" + id}, {"event_time", "2022-01-01T00:00:00Z"},
                  {"party_id", id}, {"name", name}, {"role", role}};
    };
    ok_all({party("SDD", "山丹丹合作社", "cooperative"), party("BUY", "太原收购商", "buyer"),
            party("XAX", "合室村种植户", "producer"), party("LAB", "检测站", "laboratory"),
            Json{{"type", "location"}, {"event_id", "l"}, {"event_time", "2022-01-01T00:00:00Z"},
                 {"location_id", "B1"}, {"name", "基地"}, {"kind", "base"}, {"owner", "SDD"}},
            Json{{"type", "product"}, {"event_id", "pr"}, {"event_time", "2022-01-01T00:00:00Z"},
                 {"product_id", "LCDC"}, {"name", "潞城大葱"}, {"brand", {{"regional", "潞城大葱"}}}},
            Json{{"type", "planting"}, {"event_id", "e1"}, {"event_time", "2022-04-01T00:00:00+08:00"},
                 {"party", "SDD"}, {"location", "B1"}, {"lot", "P1"}, {"product", "LCDC"}, {"area_mu", "3"}},
            Json{{"type", "harvest"}, {"event_id", "e2"}, {"event_time", "2022-10-01T00:00:00+08:00"},
                 {"party", "SDD"}, {"location", "B1"}, {"lot", "H1"}, {"from_lot", "P1"},
                 {"quantity", {{"value", "100"}, {"unit", "KGM"}}}},
            Json{{"type", "certificate_issued"}, {"event_id", "c-h1"}, {"event_time", "2022-10-05T08:00:00+08:00"},
                 {"number", "SDD-0001"}, {"style", "producer"}, {"issuer", "SDD"}, {"lot", "H1"},
                 {"quantity", {{"value", "100"}, {"unit", "KGM"}}}, {"product", "LCDC"}, {"origin", "B1"},
                 {"bases", {{{"basis", "quality_control"}}}}}});
  }
  ~LedgerAtVersion() { fs::remove_all(dir); }

  std::uint64_t size() { return Ledger(path, false).size(); }
  void ok_all(const std::vector<Json>& events) {
    std::vector<PreparedEvent> batch;
    for (const auto& e : events) batch.push_back(prepare_event(e, "test"));
    Ledger l(path, true);
    l.append(batch, clerk, {});
  }
  void ok(const Json& e) { ok_all({e}); }
  // The refusal of `event`; checks that nothing was written.
  std::string refused(const Json& event) {
    const auto before = size();
    std::string why = bad_input_message([&] {
      Ledger l(path, true);
      l.append({prepare_event(event, "test")}, clerk, {});
    });
    CHECK(size() == before);
    return why;
  }
};

}  // namespace agtrace::testing
