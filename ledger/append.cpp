// The append path: event-id rules, signer checks, domain rules, signed entries.
#include "ledger/append.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "ledger/event/event_facts.h"
#include "ledger/json/jcs.h"
#include "ledger/merkle/merkle.h"
#include "ledger/time/timestamp.h"
#include "ledger/util/error.h"
#include "ledger/util/plural.h"
#include "ledger/util/sha256.h"

namespace agtrace::detail {

namespace {

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
      throw_bad_input("field key_id: the log key cannot be revoked; replace it with `agtrace-ledger key "
                      "rotate-log` (docs/ledger-format.md §2)");
    if (k->revoked_entry)
      throw_bad_input(fmt::format("field key_id: key {} was already revoked at entry {}", k->key_id,
                                  *k->revoked_entry));
  } else if (type == "log_key_rotated") {
    auto vkey = note::parse_verifier_key(e["log_key"].get<std::string>());
    // Every log key is named after the origin (entry 0's key is, by log_init).
    auto current = store.log_key_at(store.size());
    const std::string origin = current ? current->name : "";
    if (vkey.name != origin)
      throw_bad_input(fmt::format(
          "field log_key: the new log key is named \"{}\" but a log key must be named after the log's "
          "origin; generate it with `agtrace-ledger key gen --name {}`",
          vkey.name, origin));
    if (auto existing = store.key(vkey.key_id()))
      throw_bad_input(fmt::format("field log_key: key {} is already registered (entry {}); rotate to a new key",
                                  vkey.key_id(), existing->added_entry));
  }
}

}  // namespace

void check_event(store::Store& store, const nlohmann::json& event, const RuleOptions& rules) {
  const std::string& id = event["event_id"].get_ref<const std::string&>();
  if (auto seen = store.event_by_id(id))
    throw_bad_input(fmt::format("field event_id: \"{}\" was already recorded at entry {}", id, seen->entry_idx));
  check_key_event(event, store);
  check_rules(event, facts_of(event), store, rules);
}

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

namespace {

void check_role(const store::KeyRecord& k, const std::string& type) {
  if (role_may_sign(k.role, type)) return;
  if (is_log_key_event(type))
    throw_bad_input(fmt::format("{} entries must be signed by the log key, not {}", type, k.key_id));
  if (k.role == "log")
    throw_bad_input(fmt::format(
        "the log key signs only key entries and checkpoints; sign {} events with a clerk key "
        "(agtrace-ledger key gen / key add --role clerk)",
        type));
  throw_bad_input(fmt::format(
      "key {} is a {} key, which signs only label jobs (print, reprint, void); record {} events with a "
      "clerk key (key add --role clerk)",
      k.key_id, k.role, type));
}
}  // namespace

AppendOutcome append_one(store::Store& store, sql::Statement& insert_entry, const PreparedEvent& p,
                         const note::SigningKey& signer, const store::KeyRecord* key,
                         const RuleOptions& rules) {
  const auto& e = p.event;
  AppendOutcome out{p.where, e["event_id"].get<std::string>(), std::nullopt, false, ""};
  Hash event_hash = sha256(as_bytes(p.canonical));
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
  if (key && key->role == "log") {
    // A log_key_rotated earlier in this append retired the signer from the next entry on.
    auto now = store.key(key->key_id);
    if (now && now->revoked_entry)
      throw_bad_input(fmt::format("key {} was rotated out at entry {}; sign with the new log key",
                                  key->key_id, *now->revoked_entry));
  }
  if (key) check_role(*key, e["type"]);
  check_event(store, e, rules);

  Entry entry = sign_entry(store.size(), store.last_leaf_hash(), e, p.canonical, signer);
  std::string leaf = encode_entry(entry);
  insert_entry.bind(1, static_cast<std::int64_t>(entry.index))
      .bind_blob(2, as_bytes(leaf))
      .bind_blob(3, merkle::leaf_hash(as_bytes(leaf)))
      .run();
  store.apply(entry, leaf);
  out.index = entry.index;
  return out;
}

std::vector<AppendOutcome> append_events(sql::Database& db, const EventSource& events,
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
  auto refuse = [&](const PreparedEvent& p, const std::string& reason) {
    std::string why = name_columns(reason, p.columns);
    std::string id = p.event.is_object() && p.event.contains("event_id") && p.event["event_id"].is_string()
                         ? p.event["event_id"].get<std::string>()
                         : "";
    outcomes.push_back({p.where, id, std::nullopt, false, why});
    errors.push_back(why.rfind(p.where, 0) == 0 ? why : fmt::format("{}: {}", p.where, why));
  };
  while (auto next = events()) {
    const PreparedEvent& p = *next;
    if (!p.error.empty()) {
      refuse(p, p.error);
      continue;
    }
    db.exec("SAVEPOINT event");
    // A refusal rolls back this event's rows; the Store's in-memory tip must follow.
    auto size_before = store.size();
    try {
      outcomes.push_back(append_one(store, insert_entry, p, signer, key ? &*key : nullptr, rules));
      db.exec("RELEASE event");
    } catch (const Error& err) {
      if (err.kind() != ErrorKind::bad_input) throw;
      db.exec("ROLLBACK TO event; RELEASE event");
      if (store.size() != size_before) throw std::logic_error("store advanced on a refused event");
      refuse(p, err.what());
    }
  }
  if (!errors.empty() && !options.continue_on_error) {
    std::string msg = fmt::format(
        "{} of {} refused; nothing was recorded (fix them, or pass --continue-on-error to "
        "record the good ones):\n  {}",
        errors.size(), counted(outcomes.size(), "event", "events"), fmt::join(errors, "\n  "));
    throw_bad_input(msg);
  }
  tx.commit();
  return outcomes;
}
}  // namespace agtrace::detail
