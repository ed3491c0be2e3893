// Opening, appending to and checkpointing a ledger file.
#include "ledger/ledger.h"

#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <regex>

#include "ledger/event/event_facts.h"
#include "ledger/event/rules.h"
#include "ledger/event/schema_validator.h"
#include "ledger/json/jcs.h"
#include "ledger/json/strict_parse.h"
#include "ledger/merkle/merkle.h"
#include "ledger/store/schema.h"
#include "ledger/time/timestamp.h"
#include "ledger/util/error.h"
#include "ledger/util/sha256.h"

namespace agtrace {

namespace {

const SchemaValidator& event_validator() {
  static const SchemaValidator validator("event.schema.json");
  return validator;
}

void configure_writer(sql::Database& db) {
  db.exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=OFF;");
}

// Type-specific checks on key entries, which the generic rules do not cover.
void check_key_event(const nlohmann::json& e, store::Store& store) {
  const std::string type = e["type"];
  if (type == "log_init") {
    if (store.size() != 0) throw_bad_input("field type: log_init may only be entry 0");
  } else if (type == "key_added") {
    auto vkey = note::parse_verifier_key(e["vkey"].get<std::string>());
    if (vkey.name != e["name"].get<std::string>())
      throw_bad_input(fmt::format("field name: \"{}\" differs from the name in vkey (\"{}\")",
                                  e["name"].get<std::string>(), vkey.name));
    if (auto existing = store.key(vkey.key_id()))
      throw_bad_input(fmt::format("field vkey: key {} is already registered (entry {})",
                                  vkey.key_id(), existing->added_entry));
  } else if (type == "key_revoked") {
    auto k = store.key(e["key_id"].get<std::string>());
    if (!k) throw_bad_input(fmt::format("field key_id: unknown key {}", e["key_id"].get<std::string>()));
    if (k->role == "log")
      throw_bad_input("field key_id: the log key cannot be revoked by an entry; see docs/security.md "
                      "on rotating the log key");
    if (k->revoked_entry)
      throw_bad_input(fmt::format("field key_id: key {} was already revoked at entry {}", k->key_id,
                                  *k->revoked_entry));
  }
}

// The signer's registered key record, checked for use on the next entry.
store::KeyRecord usable_key(store::Store& store, const note::SigningKey& signer) {
  auto vkey = note::verifier_key_of(signer);
  auto k = store.key(vkey.key_id());
  if (!k)
    throw_bad_input(fmt::format(
        "key {} is not registered in this ledger; register its .pub with `agtrace-ledger key add`",
        vkey.key_id()));
  if (k->revoked_entry)
    throw_bad_input(fmt::format("key {} was revoked at entry {}; sign with a current key",
                                k->key_id, *k->revoked_entry));
  return *k;
}

void check_role(const store::KeyRecord& k, const std::string& type) {
  bool log_event = is_log_key_event(type);
  if (log_event && k.role != "log")
    throw_bad_input(fmt::format("{} entries must be signed by the log key, not {}", type, k.key_id));
  if (!log_event && k.role == "log")
    throw_bad_input(fmt::format(
        "the log key signs only key entries and checkpoints; sign {} events with a clerk or "
        "station key (agtrace-ledger key gen / key add)",
        type));
}

// Appends one prepared event inside the caller's transaction. Returns the outcome;
// throws Error(bad_input) if the event is refused.
AppendOutcome append_one(sql::Database& db, store::Store& store, sql::Statement& insert_entry,
                         const PreparedEvent& p, const note::SigningKey& signer,
                         const store::KeyRecord* key, const RuleOptions& rules) {
  const auto& e = p.event;
  AppendOutcome out{p.where, e["event_id"].get<std::string>(), std::nullopt, false, ""};
  Hash event_hash = sha256(as_bytes(json::canonicalize(e)));
  if (auto seen = store.event_by_id(out.event_id)) {
    if (seen->event_hash != event_hash)
      throw_bad_input(fmt::format(
          "field event_id: \"{}\" was already recorded at entry {} with other content; use a new "
          "event_id, or record a correction",
          out.event_id, seen->entry_idx));
    out.index = seen->entry_idx;
    out.duplicate = true;
    return out;
  }
  const std::string type = e["type"];
  if (key) check_role(*key, type);
  check_key_event(e, store);
  check_rules(e, facts_of(e), store, rules);

  Entry entry = sign_entry(store.size(), store.last_leaf_hash(), e, signer);
  std::string leaf = encode_entry(entry);
  insert_entry.bind(1, static_cast<std::int64_t>(entry.index))
      .bind_blob(2, as_bytes(leaf))
      .bind_blob(3, merkle::leaf_hash(as_bytes(leaf)))
      .run();
  store.apply(entry, leaf);
  (void)db;
  out.index = entry.index;
  return out;
}

std::vector<AppendOutcome> append_events(sql::Database& db, const std::vector<PreparedEvent>& events,
                                         const note::SigningKey& signer,
                                         const AppendOptions& options, bool genesis) {
  sql::Transaction tx(db);
  store::Store store(db, false);
  std::optional<store::KeyRecord> key;
  if (!genesis) key = usable_key(store, signer);
  RuleOptions rules{options.now_unix_ms ? options.now_unix_ms : time::now_unix_ms(), true};
  auto insert_entry = db.prepare("INSERT INTO entries (idx, entry, leaf_hash) VALUES (?, ?, ?)");

  std::vector<AppendOutcome> outcomes;
  std::vector<std::string> errors;
  for (const auto& p : events) {
    db.exec("SAVEPOINT event");
    // A refusal rolls back this event's rows; the Store's in-memory tip must follow.
    auto size_before = store.size();
    try {
      outcomes.push_back(append_one(db, store, insert_entry, p, signer, key ? &*key : nullptr, rules));
      db.exec("RELEASE event");
    } catch (const Error& err) {
      if (err.kind() != ErrorKind::bad_input) throw;
      db.exec("ROLLBACK TO event; RELEASE event");
      if (store.size() != size_before) throw std::logic_error("store advanced on a refused event");
      std::string id = p.event.contains("event_id") ? p.event["event_id"].get<std::string>() : "";
      outcomes.push_back({p.where, id, std::nullopt, false, err.what()});
      errors.push_back(fmt::format("{}: {}", p.where, err.what()));
    }
  }
  if (!errors.empty() && !options.continue_on_error) {
    std::string msg = fmt::format("{} of {} events refused; nothing was recorded:\n  {}",
                                  errors.size(), events.size(), fmt::join(errors, "\n  "));
    throw_bad_input(msg);
  }
  tx.commit();
  return outcomes;
}

}  // namespace

PreparedEvent prepare_event(nlohmann::json event, std::string where) {
  json::reject_floats(event, where);
  if (!event.is_object()) throw_bad_input(fmt::format("{}: an event must be a JSON object", where));
  if (event.contains("event_time") && event["event_time"].is_string())
    time::parse_rfc3339(event["event_time"].get<std::string>(), fmt::format("{}: field event_time", where));
  event_validator().validate(event, where);
  return {std::move(where), std::move(event)};
}

PreparedEvent parse_event(std::string_view text, std::string where) {
  json::Limits limits;
  limits.max_document_bytes = kMaxEventBytes;
  limits.max_string_bytes = kMaxEventStringBytes;
  return prepare_event(json::parse_strict(text, limits, where), std::move(where));
}

void Ledger::create(const std::string& path, const std::string& base_url,
                    const note::SigningKey& log_key) {
  static const std::regex url(R"(^https?://[a-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~-]+)*$)");
  if (!std::regex_match(base_url, url))
    throw_bad_input(fmt::format(
        "--base-url \"{}\": give the public URL that QR codes will carry, lower-case scheme and "
        "host, no trailing slash, e.g. https://trace.lucheng.example",
        base_url));
  if (std::filesystem::exists(path))
    throw_bad_input(fmt::format("ledger {} already exists; choose another path", path));
  // Build the file under a temporary name and rename it into place: never half-written.
  std::string tmp = fmt::format("{}.creating-{}", path, ::getpid());
  std::filesystem::remove(tmp);
  try {
    {
      sql::Database db(tmp, sql::OpenMode::create);
      configure_writer(db);
      db.exec(store::kPrimarySchema);
      db.exec(store::kDerivedSchema);
      db.exec(fmt::format("PRAGMA user_version = {}", store::kSchemaVersion));
      auto vkey = note::verifier_key_of(log_key);
      nlohmann::json init = {{"type", "log_init"},
                             {"event_id", fmt::format("log-init-{}", vkey.key_id())},
                             {"event_time", time::format_utc(time::now_unix_ms())},
                             {"origin", log_key.name()},
                             {"base_url", base_url},
                             {"log_key", vkey.to_string()}};
      append_events(db, {prepare_event(init, "log_init")}, log_key, {}, true);
      db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    }
    std::filesystem::rename(tmp, path);
    for (const char* suffix : {"-wal", "-shm"}) std::filesystem::remove(tmp + suffix);
  } catch (...) {
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(tmp + suffix);
    throw;
  }
  Ledger ledger(path, true);
  ledger.sign_checkpoint(log_key);
}

Ledger::Ledger(const std::string& path, bool writable) : writable_(writable) {
  db_ = std::make_unique<sql::Database>(path, writable ? sql::OpenMode::read_write
                                                       : sql::OpenMode::read_only);
  auto version = db_->prepare("PRAGMA user_version");
  version.step();
  if (version.column_int(0) != store::kSchemaVersion)
    throw_bad_input(fmt::format("{} is not an agtrace ledger (schema version {}, expected {})", path,
                                version.column_int(0), store::kSchemaVersion));
  if (writable) configure_writer(*db_);
  reload_store();
}

Ledger::~Ledger() = default;

void Ledger::reload_store() { store_ = std::make_unique<store::Store>(*db_, false); }

const LedgerInfo& Ledger::info() {
  if (!info_) {
    Entry e0 = entry(0);
    if (e0.event.value("type", "") != "log_init")
      throw_verification("entry 0: not a log_init event; this file is not a valid agtrace ledger");
    info_ = LedgerInfo{e0.event["origin"], e0.event["base_url"],
                       note::parse_verifier_key(e0.event["log_key"].get<std::string>())};
  }
  return *info_;
}

std::uint64_t Ledger::size() {
  reload_store();
  return store_->size();
}

std::vector<AppendOutcome> Ledger::append(const std::vector<PreparedEvent>& events,
                                          const note::SigningKey& signer,
                                          const AppendOptions& options) {
  if (!writable_) throw std::logic_error("append on a read-only ledger");
  auto outcomes = append_events(*db_, events, signer, options, false);
  reload_store();
  return outcomes;
}

std::string Ledger::sign_checkpoint(const note::SigningKey& log_key) {
  if (note::verifier_key_of(log_key) != info().log_key)
    throw_bad_input(fmt::format("key {} is not this ledger's log key ({})",
                                note::verifier_key_of(log_key).key_id(), info().log_key.key_id()));
  sql::Transaction tx(*db_);
  reload_store();
  std::uint64_t size = store_->size();
  Hash root = merkle::root(size, store_->node_reader());
  if (auto previous = latest_checkpoint_parsed()) {
    if (previous->size == size) return *latest_checkpoint();
    auto proof = merkle::consistency_proof(previous->size, size, store_->node_reader());
    merkle::verify_consistency(previous->size, size, proof, previous->root, root);
  }
  std::string note_text = note::sign_checkpoint({info().origin, size, root, {}}, log_key);
  db_->prepare("INSERT INTO checkpoints (size, note) VALUES (?, ?)")
      .bind(1, static_cast<std::int64_t>(size))
      .bind(2, note_text)
      .run();
  tx.commit();
  return note_text;
}

std::optional<std::string> Ledger::latest_checkpoint() {
  auto s = db_->prepare("SELECT note FROM checkpoints ORDER BY size DESC LIMIT 1");
  if (!s.step()) return std::nullopt;
  return s.column_text(0);
}

std::optional<note::Checkpoint> Ledger::latest_checkpoint_parsed() {
  auto text = latest_checkpoint();
  if (!text) return std::nullopt;
  return note::open_checkpoint(*text, info().log_key);
}

std::string Ledger::entry_bytes(std::uint64_t index) {
  auto s = db_->prepare("SELECT entry FROM entries WHERE idx = ?");
  s.bind(1, static_cast<std::int64_t>(index));
  if (!s.step()) throw_bad_input(fmt::format("entry {} does not exist (the log has {} entries)", index, size()));
  auto blob = s.column_blob(0);
  return std::string(reinterpret_cast<const char*>(blob.data()), blob.size());
}

Entry Ledger::entry(std::uint64_t index) { return decode_entry(entry_bytes(index), index); }

Hash Ledger::root(std::uint64_t tree_size) {
  std::uint64_t n = size();
  if (tree_size > n)
    throw_bad_input(fmt::format("tree size {} is beyond the log's {} entries", tree_size, n));
  return merkle::root(tree_size, store_->node_reader());
}

std::vector<Hash> Ledger::inclusion_proof(std::uint64_t index, std::uint64_t tree_size) {
  std::uint64_t n = size();
  if (tree_size > n)
    throw_bad_input(fmt::format("tree size {} is beyond the log's {} entries", tree_size, n));
  return merkle::inclusion_proof(index, tree_size, store_->node_reader());
}

std::vector<Hash> Ledger::consistency_proof(std::uint64_t size1, std::uint64_t size2) {
  std::uint64_t n = size();
  if (size2 > n)
    throw_bad_input(fmt::format("tree size {} is beyond the log's {} entries", size2, n));
  return merkle::consistency_proof(size1, size2, store_->node_reader());
}

}  // namespace agtrace
