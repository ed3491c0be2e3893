// Opening, appending to and checkpointing a ledger file.
#include "ledger/ledger.h"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <optional>
#include <regex>
#include <utility>

#include "ledger/event/event_facts.h"
#include "ledger/event/rules.h"
#include "ledger/event/rules_version.h"
#include "ledger/event/schema_validator.h"
#include "ledger/i18n/refusal.h"
#include "ledger/json/jcs.h"
#include "ledger/json/strict_parse.h"
#include "ledger/merkle/merkle.h"
#include "ledger/note/signed_note.h"
#include "ledger/store/schema.h"
#include "ledger/signer_state.h"
#include "ledger/store/schema_check.h"
#include "ledger/time/timestamp.h"
#include "ledger/util/error.h"
#include "ledger/util/sha256.h"
#include "ledger/append.h"

namespace agtrace {

namespace {

// One validator per thread: valijson's regex cache is not shared. An event is checked against
// its own type's schema first (EventSchemaValidator): the walk through the 27 types'
// conditions of event.schema.json was most of a prepared event's schema time (issue 17).
EventSchemaValidator& event_validator() {
  thread_local EventSchemaValidator validator;
  return validator;
}

EventSource vector_source(const std::vector<PreparedEvent>& events) {
  return [&events, i = std::size_t{0}]() mutable -> std::optional<PreparedEvent> {
    if (i == events.size()) return std::nullopt;
    return events[i++];
  };
}

void configure_writer(sql::Database& db) {
  db.exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=OFF;");
  // A bulk import is one transaction: a page cache that holds it (64 MiB) keeps SQLite from
  // spilling dirty pages into the WAL before the commit, which writes each page once.
  db.exec("PRAGMA cache_size=-65536;");
  // Each event of an append runs inside a SAVEPOINT; SQLite keeps the pages it may have to
  // restore in a sub-journal, which with temp_store=FILE spills to a temporary file and costs
  // three pwrite calls per page. It only serves ROLLBACK TO (crash recovery is the WAL's), so
  // memory is the right place for it.
  db.exec("PRAGMA temp_store=MEMORY;");
  // While the verifier keeps the ledger open, no writer closes last, so SQLite never deletes
  // the -wal: without a limit it keeps the size of the largest import for ever. With one,
  // each time a write starts the WAL over (after a checkpoint that copied all of it back),
  // SQLite truncates the file to 64 MiB (https://www.sqlite.org/pragma.html#pragma_journal_size_limit;
  // docs/deploy.md "Users, groups and file modes").
  db.exec("PRAGMA journal_size_limit=67108864;");
}

}  // namespace

PreparedEvent prepare_event(nlohmann::json event, std::string where) {
  json::reject_floats(event, where);
  if (!event.is_object()) throw_bad_input(fmt::format("{}: an event must be a JSON object", where));
  if (event.contains("event_time") && event["event_time"].is_string())
    time::parse_rfc3339(event["event_time"].get<std::string>(), fmt::format("{}: field event_time", where));
  event_validator().validate(event, where);
  std::string canonical = json::canonicalize(event);
  return {std::move(where), std::move(event), std::move(canonical), "", {}};
}

PreparedEvent parse_event(std::string_view text, std::string where) {
  json::Limits limits;
  limits.max_document_bytes = kMaxEventBytes;
  limits.max_string_bytes = kMaxEventStringBytes;
  nlohmann::json event = json::parse_strict(text, limits, where);
  return prepare_event(std::move(event), std::move(where));
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
  auto folder = std::filesystem::path(path).parent_path();
  if (!folder.empty() && !std::filesystem::is_directory(folder))
    throw_bad_input(fmt::format("ledger {}: the folder {} does not exist; create it first (mkdir -p {})", path,
                                folder.string(), folder.string()));
  // Build the file under a temporary name and rename it into place: never half-written.
  std::string tmp = fmt::format("{}.creating-{}", path, ::getpid());
  std::filesystem::remove(tmp);
  try {
    {
      sql::Database db(tmp, sql::OpenMode::create);
      configure_writer(db);
      db.exec(store::kPrimarySchema);
      db.exec(store::kDerivedSchema);
      db.exec(store::kAddedDerivedSchema);
      db.exec(fmt::format("PRAGMA user_version = {}", store::kSchemaVersion));
      auto vkey = note::verifier_key_of(log_key);
      nlohmann::json init = {{"type", "log_init"},
                             {"event_id", fmt::format("log-init-{}", vkey.key_id())},
                             {"event_time", time::format_utc(time::now_unix_ms())},
                             {"origin", log_key.name()},
                             {"base_url", base_url},
                             {"log_key", vkey.to_string()},
                             {"rules_version", kCurrentRulesVersion}};
      std::vector<PreparedEvent> genesis = {prepare_event(init, "log_init")};
      detail::append_events(db, vector_source(genesis), log_key, {}, true);
      db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    }
    // SQLite creates every file 0644 less the umask, and gives the -wal and -shm files the
    // ledger file's own mode whoever creates them: the ledger must be group-writable (0660
    // under umask 0007) for writers and the verifier of one group to share them
    // (docs/deploy.md "Users, groups and file modes").
    ::mode_t mask = ::umask(0);
    ::umask(mask);
    if (::chmod(tmp.c_str(), 0666 & ~mask) != 0)
      throw Error(ErrorKind::environment, fmt::format("ledger {}: cannot set its mode: {}", tmp, std::strerror(errno)));
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
  const std::int64_t schema_version = version.column_int(0);
  // Finished before configure_writer: SQLite will not switch a ledger in rollback-journal
  // mode (a restored backup) to WAL while a statement of this connection is still active.
  version.reset();
  if (schema_version > store::kSchemaVersion)
    throw_bad_input(fmt::format(
        "{} was written by a newer agtrace (ledger schema version {}); this program reads schema version {} "
        "and will not touch it: install the agtrace release that wrote it (see `--version`; docs/deploy.md "
        "\"Upgrades\")",
        path, schema_version, store::kSchemaVersion));
  if (schema_version != store::kSchemaVersion)
    throw_bad_input(fmt::format("{} is not an agtrace ledger (schema version {}, expected {})", path,
                                schema_version, store::kSchemaVersion));
  if (writable) {
    configure_writer(*db_);
    db_->exec(store::kAddedDerivedSchema);
  }
  reload_store();
  if (store_->rules_version() > kCurrentRulesVersion)
    throw_bad_input(fmt::format(
        "{} was moved to rules version {} by a newer agtrace; this program knows rules up to version {} and "
        "will not judge it: install the agtrace release that upgraded it (docs/deploy.md \"Upgrades\")",
        path, store_->rules_version(), kCurrentRulesVersion));
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
  // Cheap (one index lookup); the Store reloads only when another writer appended.
  auto s = db_->prepare("SELECT coalesce(max(idx) + 1, 0) FROM merkle_nodes WHERE level = 0");
  s.step();
  auto n = static_cast<std::uint64_t>(s.column_int(0));
  if (n != store_->size()) reload_store();
  return n;
}

std::vector<AppendOutcome> Ledger::append(const std::vector<PreparedEvent>& events,
                                          const note::SigningKey& signer,
                                          const AppendOptions& options) {
  if (!writable_) throw std::logic_error("append on a read-only ledger");
  // By reference: copying each event for an EventSource was 12 % of the appending thread.
  auto outcomes = detail::append_event_refs(
      *db_, [&events, i = std::size_t{0}]() mutable { return i == events.size() ? nullptr : &events[i++]; }, signer,
      options, false, audit_writes_);
  reload_store();
  return outcomes;
}

std::vector<AppendOutcome> Ledger::append(const EventSource& events, const note::SigningKey& signer,
                                          const AppendOptions& options) {
  if (!writable_) throw std::logic_error("append on a read-only ledger");
  auto outcomes = detail::append_events(*db_, events, signer, options, false, audit_writes_);
  reload_store();
  return outcomes;
}

note::VerifierKey Ledger::log_key_at(std::uint64_t size) {
  if (size == 0) return info().log_key;
  auto k = store_->log_key_at(size);
  if (!k) throw_verification(fmt::format("no log key is in force at size {}: the keys table is damaged", size));
  return note::parse_verifier_key(k->vkey);
}

note::Checkpoint Ledger::open_checkpoint(std::string_view signed_note) {
  std::uint64_t size = 0;
  try {
    size = note::parse_checkpoint_body(note::parse_note(signed_note).text).size;
  } catch (const Error& e) {
    throw_verification(fmt::format("not a checkpoint of this log: {}", e.what()));
  }
  return note::open_checkpoint(signed_note, log_key_at(std::min(size, this->size())));
}

void Ledger::check_log_key(const note::SigningKey& log_key) {
  reload_store();
  const note::VerifierKey in_force = log_key_at(store_->size());
  if (note::verifier_key_of(log_key) == in_force) return;
  auto given = note::verifier_key_of(log_key).key_id();
  auto was = store_->key(given);
  if (was && was->role == "log")
    i18n::refuse_zh_en("", i18n::Msg::key_rotated_log_key, given, was->revoked_entry.value_or(0), in_force.key_id());
  i18n::refuse_zh_en("", i18n::Msg::key_not_log_key, given, in_force.key_id());
}

std::string Ledger::sign_checkpoint(const note::SigningKey& log_key, const std::string& signer_state) {
  check_log_key(log_key);
  const std::optional<std::string> remembered =
      signer_state.empty() ? std::nullopt : load_signer_state(signer_state);
  const std::optional<std::string> latest = latest_checkpoint();
  auto entry_count = [&] {
    auto s = db_->prepare("SELECT count(*) FROM entries");  // not size(): that counts derived Merkle leaves
    s.step();
    return static_cast<std::uint64_t>(s.column_int(0));
  };
  // Nothing new: the latest stored checkpoint is the one this signer signed last, and it
  // covers every stored entry. (The audit timer audits the file; this is the common case.)
  if (remembered && latest && *remembered == *latest &&
      note::parse_checkpoint_body(note::parse_note(*latest).text).size == entry_count())
    return *latest;
  if (!signer_state.empty()) check_signer_state_writable(signer_state);
  // An entry written into the file by someone without a key (with its merkle_nodes rows)
  // must never be signed into a checkpoint: audit everything, then sign the audited tree.
  AuditReport audit;
  try {
    audit = verify(remembered ? remembered : latest);
  } catch (const Error& e) {
    if (!remembered || e.kind() != ErrorKind::verification) throw;
    i18n::fail_check(i18n::Msg::checkpoint_rolled_back, e.what(), signer_state);
  }
  if (note::verifier_key_of(log_key) != *audit.log_key)
    throw_bad_input(fmt::format("key {} is not this ledger's log key at size {} ({})",
                                note::verifier_key_of(log_key).key_id(), audit.entries,
                                audit.log_key->key_id()));
  std::string note_text;
  {
    sql::Transaction tx(*db_);
    store::check_schema(*db_);
    auto stored = db_->prepare("SELECT note FROM checkpoints WHERE size = ?");
    stored.bind(1, static_cast<std::int64_t>(audit.entries));
    if (stored.step()) {
      note_text = stored.column_text(0);
    } else {
      note_text = note::sign_checkpoint({info().origin, audit.entries, audit.root, {}}, log_key);
      db_->prepare("INSERT INTO checkpoints (size, note) VALUES (?, ?)")
          .bind(1, static_cast<std::int64_t>(audit.entries))
          .bind(2, note_text)
          .run();
    }
    // A note stored for this size since the audit's snapshot must commit to the audited
    // tree: it is returned and remembered only then.
    note::Checkpoint cp = note::open_checkpoint(note_text, *audit.log_key);
    if (cp.size != audit.entries || cp.root != audit.root)
      throw_verification(fmt::format("a checkpoint of size {} stored in the file does not commit to the tree just "
                                     "audited (another root); nothing was signed; run verify",
                                     audit.entries));
    tx.commit();
  }
  if (!signer_state.empty()) save_signer_state(signer_state, note_text);
  return note_text;
}

std::optional<std::string> Ledger::latest_checkpoint() {
  auto s = db_->prepare("SELECT note FROM checkpoints ORDER BY size DESC LIMIT 1");
  if (!s.step()) return std::nullopt;
  return s.column_text(0);
}

std::optional<note::Checkpoint> Ledger::latest_checkpoint_parsed() {
  auto s = db_->prepare("SELECT size, note FROM checkpoints ORDER BY size DESC LIMIT 1");
  if (!s.step()) return std::nullopt;
  return note::open_checkpoint(s.column_text(1), log_key_at(static_cast<std::uint64_t>(s.column_int(0))));
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
  auto snapshot = sql::Transaction::snapshot(*db_);  // one lock, not one per node
  std::uint64_t n = size();
  if (tree_size > n)
    throw_bad_input(fmt::format("tree size {} is beyond the log's {} entries", tree_size, n));
  return merkle::root(tree_size, store_->node_reader());
}

std::vector<Hash> Ledger::inclusion_proof(std::uint64_t index, std::uint64_t tree_size) {
  return std::move(inclusion_proofs(std::span(&index, 1), tree_size).front());
}

std::vector<std::vector<Hash>> Ledger::inclusion_proofs(std::span<const std::uint64_t> indices,
                                                        std::uint64_t tree_size) {
  auto snapshot = sql::Transaction::snapshot(*db_);  // one lock, not one per node
  std::uint64_t n = size();
  if (tree_size > n)
    throw_bad_input(fmt::format("tree size {} is beyond the log's {} entries", tree_size, n));
  const merkle::NodeReader read = store_->node_reader();
  // The nodes the previous proof read: neighbouring leaves share all but their lowest ones.
  std::vector<std::pair<merkle::NodeId, Hash>> previous, current;
  std::vector<Hash> hashes;
  std::vector<std::vector<Hash>> proofs;
  proofs.reserve(indices.size());
  for (std::uint64_t index : indices) {
    const merkle::ProofPlan plan = merkle::plan_inclusion(index, tree_size);
    hashes.clear();
    current.clear();
    for (const merkle::NodeId& id : plan.nodes) {
      auto seen = std::find_if(previous.begin(), previous.end(), [&](const auto& p) { return p.first == id; });
      hashes.push_back(seen != previous.end() ? seen->second : read(id));
      current.emplace_back(id, hashes.back());
    }
    proofs.push_back(merkle::assemble_proof(plan, hashes));
    previous.swap(current);
  }
  return proofs;
}

std::vector<Hash> Ledger::consistency_proof(std::uint64_t size1, std::uint64_t size2) {
  auto snapshot = sql::Transaction::snapshot(*db_);  // one lock, not one per node
  std::uint64_t n = size();
  if (size2 > n)
    throw_bad_input(fmt::format("tree size {} is beyond the log's {} entries", size2, n));
  return merkle::consistency_proof(size1, size2, store_->node_reader());
}

}  // namespace agtrace
