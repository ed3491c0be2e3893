// The append path: event-id rules, signer checks, domain rules, signed entries.
#include "ledger/append.h"
#include "ledger/audit_replay.h"
#include "ledger/store/schema_check.h"
#include "ledger/store/tip_check.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <map>

#include "ledger/chain_signer.h"
#include "ledger/correction_check.h"
#include "ledger/event/certificate_rules.h"
#include "ledger/event/correction.h"
#include "ledger/event/event_facts.h"
#include "ledger/event/received_lot.h"
#include "ledger/event/rule_words.h"
#include "ledger/event/rules_version.h"
#include "ledger/i18n/refusal.h"
#include "ledger/json/jcs.h"
#include "ledger/merkle/merkle.h"
#include "ledger/time/timestamp.h"
#include "ledger/util/error.h"
#include "ledger/util/plural.h"
#include "ledger/util/sha256.h"
#include "ledger/util/similar.h"

namespace agtrace::detail {

namespace {

// A rules version this program cannot judge: newer than it knows (docs/rules-versions.md).
void check_known_rules_version(const nlohmann::json& e) {
  auto v = e.find("rules_version");
  if (v == e.end() || v->get<int>() <= kCurrentRulesVersion) return;
  throw_bad_input(fmt::format("field rules_version: {} is newer than this agtrace knows (rules versions 1 to {}); "
                              "install the agtrace release that wrote it to judge its entries",
                              v->get<int>(), kCurrentRulesVersion));
}

// Type-specific checks on log-key entries, which the generic rules do not cover.
void check_key_event(const nlohmann::json& e, store::Store& store) {
  const std::string type = e["type"];
  if (type == "log_init") {
    if (store.size() != 0) throw_bad_input("field type: log_init may only be entry 0");
    check_known_rules_version(e);
  } else if (type == "rules_upgraded") {
    // DESIGN §3 "Rules versions": versions only go up, to one this program knows.
    const int to = e["rules_version"].get<int>();
    if (to <= store.rules_version())
      throw_bad_input(fmt::format("field rules_version: {} is not above the rules version in force ({}); a "
                                  "ledger is only upgraded to a newer version",
                                  to, store.rules_version()));
    check_known_rules_version(e);
  } else if (type == "key_added") {
    auto vkey = note::parse_verifier_key(e["vkey"].get<std::string>());
    if (vkey.name != e["name"].get<std::string>())
      i18n::refuse("name", i18n::Msg::key_name_differs, e["name"].get<std::string>(), vkey.name);
    if (auto existing = store.key(vkey.key_id()))
      i18n::refuse("vkey", i18n::Msg::key_already_registered, vkey.key_id(), existing->added_entry);
  } else if (type == "key_revoked") {
    auto k = store.key(e["key_id"].get<std::string>());
    if (!k) i18n::refuse("key_id", i18n::Msg::key_unknown, e["key_id"].get<std::string>());
    if (k->role == "log") i18n::refuse("key_id", i18n::Msg::key_log_not_revocable);
    if (k->revoked_entry) i18n::refuse("key_id", i18n::Msg::key_already_revoked, k->key_id, *k->revoked_entry);
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

// check_event but for the event-id rule.
void check_content(store::Store& store, const nlohmann::json& event, const RuleOptions& rules) {
  check_key_event(event, store);
  check_correction(store, event, rules);
  check_rules(event, with_received_lot(facts_of(event), event, store), store, rules);
}

}  // namespace

void check_event(store::Store& store, const nlohmann::json& event, const RuleOptions& rules) {
  const std::string& id = event["event_id"].get_ref<const std::string&>();
  if (auto seen = store.event_by_id(id))
    i18n::refuse("event_id", i18n::Msg::rule_event_id_recorded, id, seen->entry_idx);
  check_content(store, event, rules);
}

namespace {

// Whether entry `entry` was signed by a key registered with holder `holder`.
bool signed_by_holder(store::Store& store, std::uint64_t entry, const std::string& holder) {
  auto signer = store.database().prepare("SELECT key_id FROM events WHERE entry_idx = ?");
  signer.bind(1, static_cast<std::int64_t>(entry));
  if (!signer.step()) return false;
  auto k = store.key(signer.column_text(0));
  return k && store.key_holder(*k) == holder;
}

std::string string_field(const nlohmann::json& e, const char* field) {
  auto it = e.find(field);
  return it != e.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// trust14h — rules version 9: the field naming the party that acted, for the event types a party
// does (docs/rules-versions.md "Version 9", the table); nullptr for the others: master data (its
// own rule below), certificates, recalls and corrections (version 8's rules), external (a
// partner's EPCIS event names no party of this ledger) and the log key's entries.
const char* acting_party_field(const std::string& type) {
  if (type == "planting" || type == "input_application" || type == "harvest" || type == "packing" ||
      type == "transformation" || type == "precooling" || type == "storage" || type == "shipping" ||
      type == "receiving" || type == "inspection" || type == "labels_issued" || type == "labels_reprinted" ||
      type == "labels_voided")
    return "party";
  return nullptr;
}

// Version 9: `event` (of `type`; a correction's replacement when `prefix` is "replacement.")
// names its holder as the party that acted. An inspection says who tests and what to do instead.
void check_acting_party(const store::KeyRecord& key, const std::string& holder, const std::string& type,
                        const nlohmann::json& event, const std::string& prefix) {
  const char* field = acting_party_field(type);
  if (!field) return;
  const std::string party = string_field(event, field);
  if (party == holder) return;
  if (type == "inspection")
    i18n::refuse_zh_en(prefix + field, i18n::Msg::key_clerk_inspection_other, key.key_id, holder, party);
  i18n::refuse_zh_en(prefix + field, i18n::Msg::key_clerk_acts_for_other, key.key_id, holder, type_words(type),
                     prefix + field, party);
}

// Version 9: master data (party, location, product) is the holder's to record anew; a record of an
// id recorded before (which replaces it: the latest record is the one in force) only when a key of
// the same holder signed the record in force, or the record is the holder's own (party_id, or
// owner, the holder's in the record in force and in the new one).
void check_master_data(store::Store& store, const store::KeyRecord& key, const std::string& holder,
                       const nlohmann::json& event) {
  const auto defines = facts_of(event).defines;
  if (!defines) return;
  const std::string kind = defines->first, id = defines->second;
  auto before = store.master(kind, id);
  if (!before) return;
  auto own = [&](const nlohmann::json& e) { return string_field(e, kind == "party" ? "party_id" : "owner"); };
  if (own(*before) == holder && own(event) == holder) return;
  auto entry = store.event_entry(string_field(*before, "event_id"));
  if (entry && signed_by_holder(store, entry->first, holder)) return;
  const i18n::Words what =
      kind == "party"      ? i18n::Words{fmt::format("主体「{}」的信息", id), fmt::format("the party record \"{}\"", id)}
      : kind == "location" ? i18n::Words{fmt::format("地点「{}」的信息", id), fmt::format("the location record \"{}\"", id)}
                           : i18n::Words{fmt::format("产品「{}」的信息", id), fmt::format("the product record \"{}\"", id)};
  i18n::refuse_zh_en(kind + "_id", i18n::Msg::key_clerk_master_other, key.key_id, holder, what,
                     entry ? entry->first : 0);
}

// Version 9: whether `lot` is `holder`'s to recall: a lot on its lineage (the lot itself or a lot it
// was made from, lot_ancestry) was made by the holder (its creating event's party) or received by
// it (a receiving whose party, or a shipping whose to_party, is the holder). So a buyer recalls what
// it received and what it made from it; a grower recalls every lot made from its harvest, whoever
// made it.
bool holders_lot(store::Store& store, const std::string& lot, const std::string& holder) {
  for (const auto& l : lot_ancestry(lot, store)) {
    auto record = store.lot(l);
    if (!record) continue;
    // A partner's EPCIS event names no party of ours (and its entry is not read back).
    if (record->created_by != "external" && string_field(store.event_at(record->created_entry), "party") == holder)
      return true;
    for (const auto& r : store.lot_events(l, "receiving"))
      if (string_field(store.event_at(r.entry), "party") == holder) return true;
    for (const auto& s : store.lot_events(l, "shipping"))
      if (string_field(store.event_at(s.entry), "to_party") == holder) return true;
  }
  return false;
}

// Version 9: a recall by a key with a holder names only the holder's lots (holders_lot). The
// refusal says the lot is not the holder's, never whose it is. An unknown lot is left to the rules.
void check_recall_lots(store::Store& store, const store::KeyRecord& key, const std::string& holder,
                       const nlohmann::json& event) {
  const auto& lots = event["lots"];
  for (std::size_t i = 0; i < lots.size(); ++i) {
    const std::string lot = lots[i].is_object() ? string_field(lots[i], "lot") : lots[i].get<std::string>();
    if (!store.lot(lot) || holders_lot(store, lot, holder)) continue;
    i18n::refuse_zh_en(lots[i].is_object() ? fmt::format("lots[{}].lot", i) : fmt::format("lots[{}]", i),
                       i18n::Msg::key_clerk_recall_lot, key.key_id, holder, lot);
  }
}

// trust14g — rules version 8: a clerk key registered with a holder signs only for its holder (the
// station key's rule below, extended): a certificate it issues, voids or collects on paper, a
// recall, and a correction — whose own party is the holder, of an entry that a key of the same
// holder signed or whose party, as recorded and as replaced, is the holder (docs/security.md
// "Keys with a holder"). trust14h — version 9: and every fact it records names its holder as the
// party that acted (check_acting_party; a correction's replacement too, unless it keeps the party
// of the entry it corrects), master data only as check_master_data allows, and recalls only of
// the holder's lots (check_recall_lots). Nothing for a clerk key without a holder, nor before
// version 8.
void check_clerk_holder(store::Store& store, const store::KeyRecord& key, const nlohmann::json& event) {
  const std::string type = event["type"];
  const bool v9 = store.rules_version() >= kRulesV9;
  const bool v8_type = type == "certificate_issued" || type == "certificate_voided" ||
                       type == "certificate_received" || type == "recall" || type == "correction";
  if (!v8_type && !(v9 && (acting_party_field(type) || defines_master_data(type)))) return;
  const auto holder = store.key_holder(key);
  if (!holder) return;
  if (v9) {
    check_acting_party(key, *holder, type, event, "");
    if (defines_master_data(type)) check_master_data(store, key, *holder, event);
  }
  if (!v8_type) return;
  auto refuse = [&](const std::string& field, const std::string& owner, const i18n::Words& what) {
    if (owner == *holder) return;
    i18n::refuse_zh_en(field, i18n::Msg::key_clerk_other_holder, key.key_id, *holder, what);
  };
  if (type == "certificate_issued") {
    const std::string issuer = event["issuer"];
    refuse("issuer", issuer, {fmt::format("合格证的开具者是「{}」", issuer), fmt::format("the certificate's issuer is \"{}\"", issuer)});
  } else if (type == "certificate_voided") {
    const std::string number = event["number"];
    auto c = store.issued_certificate(number);
    if (!c) return;  // an unknown number is refused by the certificate rules
    refuse("number", c->issuer, {fmt::format("合格证 {} 是「{}」开具的", number, c->issuer),
                                 fmt::format("certificate {} was issued by \"{}\"", number, c->issuer)});
  } else if (type == "certificate_received" || type == "recall") {
    const std::string party = event["party"];
    refuse("party", party, type == "recall"
                               ? i18n::Words{fmt::format("召回主体是「{}」", party), fmt::format("the recall's party is \"{}\"", party)}
                               : i18n::Words{fmt::format("收取者是「{}」", party), fmt::format("the collecting buyer is \"{}\"", party)});
    if (type == "recall" && v9) check_recall_lots(store, key, *holder, event);
  } else {
    const std::string party = event["party"];
    refuse("party", party, {fmt::format("更正的主体是「{}」", party), fmt::format("the correction's party is \"{}\"", party)});
    const std::string id = event["corrected_event_id"];
    auto corrected = store.event_by_id(id);
    if (!corrected) return;  // an unknown event is refused by the correction rules
    const nlohmann::json current = store.event_at(corrected->entry_idx);
    const std::string was = current.value("party", "");
    const std::string now = event.contains("replacement") ? event["replacement"].value("party", "") : was;
    // Version 9: the replacement names the holder as the party that acted, or keeps the party of
    // the entry it corrects (a key fixes what it recorded before version 9).
    if (v9 && event.contains("replacement") && now != was)
      check_acting_party(key, *holder, corrected->type, event["replacement"], "replacement.");
    if (signed_by_holder(store, corrected->entry_idx, *holder)) return;
    if (was == *holder && now == *holder) return;
    const std::string owner = was != *holder ? was : now;
    i18n::refuse_zh_en("corrected_event_id", i18n::Msg::key_clerk_other_holder, key.key_id, *holder,
                       i18n::Words{fmt::format("事件 {} 是「{}」的，也不是「{}」的密钥记录的", id,
                                               owner.empty() ? "（无主体）" : owner, *holder),
                                   fmt::format("event {} is \"{}\"'s, and no key of \"{}\" recorded it", id,
                                               owner.empty() ? "(no party)" : owner, *holder)});
  }
}

}  // namespace

void check_station_holder(store::Store& store, const store::KeyRecord& key, const nlohmann::json& event) {
  if (key.role == "clerk" && store.rules_version() >= kRulesV8) return check_clerk_holder(store, key, event);
  if (key.role != "station" || store.rules_version() < kRulesV3) return;
  const std::string type = event["type"];
  const bool label_job = type == "labels_issued" || type == "labels_reprinted" || type == "labels_voided";
  if (!label_job && type != "certificate_issued" && type != "certificate_voided") return;
  const auto holder = store.key_holder(key);
  // The printer station's operator meets these too: what() is 中文 / English (refusal.h).
  if (!holder) i18n::refuse_zh_en("", i18n::Msg::key_station_no_holder, key.key_id);
  std::string field, owner;
  i18n::Words what;
  if (label_job) {
    const std::string lot_id = event["lot"];
    auto lot = store.lot(lot_id);
    field = "lot";
    if (lot && lot->created_by == "packing") owner = store.event_at(lot->created_entry).value("party", "");
    what = {fmt::format("批次「{}」是「{}」包装的", lot_id, owner), fmt::format("lot \"{}\" was packed by \"{}\"", lot_id, owner)};
    if (owner.empty())
      what = {fmt::format("批次「{}」不是哪家企业包装的", lot_id), fmt::format("lot \"{}\" was not packed by any party", lot_id)};
  } else if (type == "certificate_issued") {
    field = "issuer";
    owner = event["issuer"];
    what = {fmt::format("合格证的开具者是「{}」", owner), fmt::format("the certificate's issuer is \"{}\"", owner)};
  } else {
    field = "number";
    auto c = store.issued_certificate(event["number"]);
    if (!c) return;  // an unknown number is refused by the certificate rules
    owner = c->issuer;
    const std::string number = event["number"];
    what = {fmt::format("合格证 {} 是「{}」开具的", number, owner),
            fmt::format("certificate {} was issued by \"{}\"", number, owner)};
  }
  if (owner == *holder) return;
  i18n::refuse_zh_en(field, i18n::Msg::key_station_other_holder, key.key_id, *holder, what,
                     owner.empty() ? i18n::Words{"包装企业", "the packer"} : i18n::Words{owner, owner});
}

store::KeyRecord usable_key(store::Store& store, const note::SigningKey& signer) {
  auto vkey = note::verifier_key_of(signer);
  auto k = store.key(vkey.key_id());
  if (!k) i18n::refuse_zh_en("", i18n::Msg::key_not_registered, vkey.key_id());
  if (k->revoked_entry) i18n::refuse_zh_en("", i18n::Msg::key_revoked_sign, k->key_id, *k->revoked_entry);
  return *k;
}

namespace {

void check_role(const store::KeyRecord& k, const std::string& type) {
  if (role_may_sign(k.role, type)) return;
  if (is_log_key_event(type)) i18n::refuse_zh_en("", i18n::Msg::key_log_entries_only, type_words(type), k.key_id);
  if (k.role == "log")
    i18n::refuse_zh_en("", i18n::Msg::key_log_signs_keys_only, type_words(type),
                       role_may_sign("station", type) ? i18n::Words{"工作站或记录员", "station or clerk"}
                                                      : i18n::Words{"记录员", "clerk"});
  i18n::refuse_zh_en("", i18n::Msg::key_station_signs_labels, k.key_id, role_words(k.role), type_words(type));
}

// The duplicate and signer checks of append_one and the rules, then the event's derived
// rows as entry `index`. A duplicate writes nothing.
AppendOutcome admit(store::Store& store, const PreparedEvent& p, std::uint64_t index,
                    const std::string& key_id, const store::KeyRecord* key, const RuleOptions& rules) {
  const auto& e = p.event;
  AppendOutcome out{p.where, e["event_id"].get<std::string>(), std::nullopt, false, "", ""};
  Hash event_hash = sha256(as_bytes(p.canonical));
  // A correction whose replacement the ledger already holds is a re-capture too (rules v5).
  if (auto same = correction_already_recorded(store, e, rules.lang)) {
    out.index = same->index;
    out.duplicate = true;
    out.note = same->note;
    // The entry that holds it names it (a correction given its own --event-id may differ).
    out.event_id = store.recorded_event_at(same->index).value("event_id", out.event_id);
    return out;
  }
  if (auto seen = store.event_by_id(out.event_id)) {
    // A row of a sheet imported again after one of its events was corrected: the event as it
    // stands now, or as it was first recorded, is already in the log — nothing to do (the
    // correction stands; importing a file twice is harmless).
    const nlohmann::json original = store.recorded_event_at(seen->entry_idx);
    const bool as_recorded = sha256(as_bytes(agtrace::json::canonicalize(original))) == event_hash;
    const bool known = seen->event_hash == event_hash || as_recorded;
    // Any other row of an event corrected since (a superseded correction's content too is no
    // longer in force): refused, saying what the entry recorded, what stands and what the row says.
    const auto corrections = store.corrections_of(seen->entry_idx);
    if (!corrections.empty() && !known) {
      const auto shown = differing_values({original, store.event_at(seen->entry_idx), e}, rules.lang);
      throw_bad_input(fmt::format("field event_id: {}", i18n::text(rules.lang, i18n::Msg::event_row_not_current,
                                                                   out.event_id, seen->entry_idx, shown[0],
                                                                   corrections.back(), shown[1], shown[2])));
    }
    if (!known)
      throw_bad_input(fmt::format("field event_id: {}",
                                  store.rules_version() >= kRulesV5 && correctable_type(seen->type)
                                      ? i18n::text(rules.lang, i18n::Msg::event_changed_use_correction, out.event_id,
                                                   rules.lang == i18n::Lang::zh && !(rules.this_append &&
                                                                                     rules.this_append->count(seen->entry_idx))
                                                       ? fmt::format("第 {} 条", seen->entry_idx)
                                                       : entry_name(seen->entry_idx, rules))
                                      : i18n::text(rules.lang, i18n::Msg::rule_event_id_taken, out.event_id,
                                                   rules.lang == i18n::Lang::zh
                                                       ? entry_words(seen->entry_idx, rules).zh
                                                       : entry_name(seen->entry_idx, rules))));
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
  if (key) check_station_holder(store, *key, e);
  check_content(store, e, rules);  // the event id was looked up above
  store.apply_event(index, key_id, e, event_hash);
  out.index = index;
  return out;
}

// Stores a signed entry: its row in `entries` and the Merkle nodes its leaf completes.
void store_entry(store::Store& store, sql::Statement& insert_entry, const ChainSigner::Signed& s) {
  insert_entry.bind(1, static_cast<std::int64_t>(s.index))
      .bind_blob(2, as_bytes(s.leaf))
      .bind_blob(3, s.leaf_hash)
      .run();
  store.append_leaf(s.leaf_hash);
}

const std::string& type_of(const PreparedEvent& p) {
  static const std::string none;
  auto t = p.event.find("type");
  return t != p.event.end() && t->is_string() ? t->get_ref<const std::string&>() : none;
}

}  // namespace

AppendOutcome append_one(store::Store& store, sql::Statement& insert_entry, const PreparedEvent& p,
                         const note::SigningKey& signer, const store::KeyRecord* key,
                         const RuleOptions& rules) {
  const std::string key_id = note::verifier_key_of(signer).key_id();
  AppendOutcome out = admit(store, p, store.size(), key_id, key, rules);
  if (out.duplicate) return out;
  Entry entry{store.size(), store.last_leaf_hash(), key_id, {}, p.canonical, {}};
  entry.sig = signer.sign(as_bytes(entry_signing_bytes(entry)));
  ChainSigner::Signed s{entry.index, encode_entry(entry), {}};
  s.leaf_hash = merkle::leaf_hash(as_bytes(s.leaf));
  store_entry(store, insert_entry, s);
  return out;
}

std::vector<AppendOutcome> append_events(sql::Database& db, const EventSource& events,
                                         const note::SigningKey& signer,
                                         const AppendOptions& options, bool genesis, bool audit_first) {
  std::optional<PreparedEvent> current;
  return append_event_refs(
      db,
      [&]() -> const PreparedEvent* {
        current = events();
        return current ? &*current : nullptr;
      },
      signer, options, genesis, audit_first);
}

std::vector<AppendOutcome> append_event_refs(sql::Database& db, const EventRefSource& events,
                                             const note::SigningKey& signer, const AppendOptions& options,
                                             bool genesis, bool audit_first) {
  sql::Transaction tx(db);
  store::check_schema(db);
  store::Store store(db, false);
  store::check_tip(db, store);
  if (audit_first) audit_before_write(db);
  const std::uint64_t first_index = store.size();
  std::vector<Hash> written;  // leaf hashes, read back before the commit
  std::optional<store::KeyRecord> key;
  if (!genesis) key = usable_key(store, signer);
  RuleOptions rules{options.now_unix_ms ? options.now_unix_ms : time::now_unix_ms(), true, nullptr};
  auto insert_entry = db.prepare("INSERT INTO entries (idx, entry, leaf_hash) VALUES (?, ?, ?)");
  auto savepoint = db.prepare("SAVEPOINT event");
  auto release = db.prepare("RELEASE event");
  auto rollback = db.prepare("ROLLBACK TO event");

  // Event n+1 is checked and its derived rows written while entry n is being signed; the
  // entries rows and Merkle nodes follow as the signatures come in, all before the commit.
  const std::string key_id = note::verifier_key_of(signer).key_id();
  ChainSigner chain(signer, key_id, store.size(), store.last_leaf_hash());
  auto store_signed = [&](bool all) {
    for (const auto& s : chain.take(all)) {
      store_entry(store, insert_entry, s);
      written.push_back(s.leaf_hash);
    }
  };

  std::map<std::uint64_t, std::string> this_append;  // entries written so far, by index
  rules.this_append = &this_append;
  rules.all_or_nothing = !options.continue_on_error;
  // Lots of the ledger (this append's included) near an unknown one, for its refusal.
  rules.similar_lots = [&db](const std::string& typed) {
    std::vector<std::string> known;
    for (auto s = db.prepare("SELECT lot_id FROM lots ORDER BY created_entry"); s.step();)
      known.push_back(s.column_text(0));
    return nearest_ids(typed, known);
  };

  std::vector<AppendOutcome> outcomes;
  std::vector<std::string> errors;  // "WHERE: message", one per refused event
  auto refuse = [&](const PreparedEvent& p, const std::string& reason) {
    std::string why = name_columns(reason, p.columns, p.lang.value_or(i18n::Lang::en));
    std::string prefix = p.where + ": ";
    if (why.rfind(prefix, 0) == 0) why.erase(0, prefix.size());  // schema errors name their place
    std::string id = p.event.is_object() && p.event.contains("event_id") && p.event["event_id"].is_string()
                         ? p.event["event_id"].get<std::string>()
                         : "";
    outcomes.push_back({p.where, id, std::nullopt, false, why, ""});
    errors.push_back(prefix + why);
  };
  while (const PreparedEvent* next = events()) {
    const PreparedEvent& p = *next;
    if (!p.error.empty()) {
      refuse(p, p.error);
      continue;
    }
    // Key entries are checked against the log's size and keys as of their own index, and
    // the rules read master data back from its entry: these see every entry before them
    // stored, and are stored at once. So does a shipping (rules version 9, shipping_rules.h: it
    // reads the lot's earlier shippings, receivings, recalls and packing back).
    const std::string& type = type_of(p);
    const bool in_order = is_log_key_event(type) || defines_master_data(type) || is_certificate_event(type) ||
                          type == "labels_issued" || type == "labels_reprinted" || type == "labels_voided" ||
                          type == "correction" || type == "shipping";
    if (in_order) store_signed(true);
    savepoint.run();
    rules.lang = p.lang.value_or(i18n::Lang::en);
    const auto index = chain.next_index();
    std::optional<AppendOutcome> admitted;
    try {
      admitted = admit(store, p, index, key_id, key ? &*key : nullptr, rules);
    } catch (const Error& err) {
      if (err.kind() != ErrorKind::bad_input) throw;
      rollback.run();
      release.run();
      refuse(p, i18n::message_in(err, p.lang));
      continue;
    }
    release.run();
    if (!admitted->duplicate && chain.submit(p.canonical) != index)
      throw std::logic_error("signed entry out of order");
    if (!admitted->duplicate) this_append[index] = admitted->where;
    outcomes.push_back(std::move(*admitted));
    store_signed(in_order);
  }
  store_signed(true);
  if (!errors.empty() && !options.continue_on_error) {
    // Nothing is written: what this append recorded is rolled back with the transaction.
    for (auto& o : outcomes)
      if (o.index && this_append.count(*o.index)) o.index.reset();
    std::string message = outcomes.size() == 1
                              ? errors.front()
                              : fmt::format("{} of {} refused; nothing was recorded:\n  {}", errors.size(),
                                            counted(outcomes.size(), "event", "events"), fmt::join(errors, "\n  "));
    throw AppendRefused(message, std::move(outcomes));
  }
  store::check_written(db, first_index, written);
  tx.commit();
  return outcomes;
}
}  // namespace agtrace::detail
