// The full audit (DESIGN §3 "Audit"): replay every entry into a scratch database,
// checking chain, signatures, key validity and schemas on the way, then compare every
// derived table and check every checkpoint.
#include <fmt/format.h>

#include "ledger/event/event_facts.h"
#include "ledger/event/schema_validator.h"
#include "ledger/ledger.h"
#include "ledger/merkle/merkle.h"
#include "ledger/store/schema.h"
#include "ledger/util/error.h"

namespace agtrace {

namespace {

[[noreturn]] void bad_entry(std::uint64_t index, const std::string& why) {
  throw_verification(fmt::format("entry {}: {}", index, why));
}

// Checks entry `i`'s signer against the keys the replay has seen so far.
void check_signer(const Entry& e, std::uint64_t i, store::Store& replay) {
  const std::string type = e.event.value("type", "");
  note::PublicKey public_key;
  if (i == 0) {
    if (type != "log_init") bad_entry(0, "entry 0 is not a log_init event");
    auto vkey = note::parse_verifier_key(e.event.at("log_key").get<std::string>());
    if (vkey.key_id() != e.key_id) bad_entry(0, "log_init is not signed by the key it names");
    public_key = vkey.public_key;
  } else {
    auto k = replay.key(e.key_id);
    if (!k) bad_entry(i, fmt::format("signed by {}, which no earlier entry registered", e.key_id));
    if (k->revoked_entry && i > *k->revoked_entry)
      bad_entry(i, fmt::format("signed by {}, revoked at entry {}", e.key_id, *k->revoked_entry));
    bool log_event = is_log_key_event(type);
    if (log_event != (k->role == "log"))
      bad_entry(i, fmt::format("{} event signed by a {} key ({})", type, k->role, e.key_id));
    if (type == "log_init") bad_entry(i, "log_init after entry 0");
    public_key = note::parse_verifier_key(k->vkey).public_key;
  }
  if (!entry_signature_valid(e, public_key))
    bad_entry(i, fmt::format("signature by {} does not verify", e.key_id));
}

// Compares derived table `t` row by row between the ledger and the replay; names the
// entry of the first differing row.
void compare_table(sql::Database& ledger, sql::Database& replay, const store::DerivedTable& t) {
  std::string q = fmt::format("SELECT {}, * FROM {} ORDER BY {}", t.entry_expr, t.name, t.order_by);
  auto a = ledger.prepare(q);
  auto b = replay.prepare(q);
  for (;;) {
    bool ra = a.step(), rb = b.step();
    if (!ra && !rb) return;
    if (ra && rb && a.row_bytes() == b.row_bytes()) continue;
    std::int64_t ea = ra ? a.column_int(0) : INT64_MAX;
    std::int64_t eb = rb ? b.column_int(0) : INT64_MAX;
    throw_verification(fmt::format(
        "entry {}: derived table {} disagrees with the entries (a row was added, removed or "
        "changed); queries would lie",
        std::min(ea, eb), t.name));
  }
}

}  // namespace

AuditReport Ledger::verify(const std::optional<std::string>& saved_checkpoint) {
  AuditReport report;
  sql::Database scratch(":memory:", sql::OpenMode::create);
  scratch.exec(store::kPrimarySchema);
  store::Store replay(scratch, true);
  SchemaValidator validator("event.schema.json");

  // Read in one snapshot: a concurrent writer's new entries are simply not seen.
  auto snapshot = sql::Transaction::read(*db_);
  auto rows = db_->prepare("SELECT idx, entry, leaf_hash FROM entries ORDER BY idx");
  std::uint64_t expected = 0;
  std::uint64_t serials_seen = 0;
  while (rows.step()) {
    std::int64_t idx = rows.column_int(0);
    if (idx != static_cast<std::int64_t>(expected))
      bad_entry(expected, fmt::format("missing (the next stored entry has index {})", idx));
    auto blob = rows.column_blob(1);
    std::string leaf(reinterpret_cast<const char*>(blob.data()), blob.size());
    Entry e = decode_entry(leaf, expected);
    if (e.index != expected)
      bad_entry(expected, fmt::format("its index field says {}", e.index));
    if (e.prev != replay.last_leaf_hash())
      bad_entry(expected, "prev does not match the leaf hash of the entry before (the chain is broken)");
    Hash leaf_hash = merkle::leaf_hash(as_bytes(leaf));
    auto stored_hash = rows.column_blob(2);
    if (stored_hash.size() != 32 || !std::equal(leaf_hash.begin(), leaf_hash.end(), stored_hash.begin()))
      bad_entry(expected, "stored leaf_hash does not match the entry bytes");
    check_signer(e, expected, replay);
    try {
      validator.validate(e.event, fmt::format("entry {} event", expected));
    } catch (const Error& err) {
      bad_entry(expected, err.what());
    }
    replay.apply(e, leaf);
    const std::string type = e.event["type"];
    if (type == "labels_issued" || type == "labels_reprinted" || type == "labels_voided")
      check_label_jobs(*db_, expected, e.event, serials_seen);
    ++expected;
  }
  report.entries = expected;
  if (expected == 0) throw_verification("the ledger has no entries (entry 0 is missing)");

  for (const auto& t : store::derived_tables()) compare_table(*db_, scratch, t);
  auto stored = db_->prepare("SELECT (SELECT count(*) FROM codes) + (SELECT count(*) FROM code_events)");
  stored.step();
  if (static_cast<std::uint64_t>(stored.column_int(0)) != serials_seen)
    throw_verification(fmt::format(
        "the codes tables hold {} serials but the label-job entries commit to {}: a code was added "
        "without a job entry",
        stored.column_int(0), serials_seen));

  const auto& log_key = info().log_key;
  auto checkpoints = db_->prepare("SELECT size, note FROM checkpoints ORDER BY size");
  while (checkpoints.step()) {
    auto size = static_cast<std::uint64_t>(checkpoints.column_int(0));
    note::Checkpoint cp;
    try {
      cp = note::open_checkpoint(checkpoints.column_text(1), log_key);
    } catch (const Error& err) {
      throw_verification(fmt::format("stored checkpoint of size {}: {}", size, err.what()));
    }
    if (cp.size != size)
      throw_verification(fmt::format("stored checkpoint row {} holds a checkpoint of size {}", size, cp.size));
    if (size > report.entries)
      bad_entry(report.entries, fmt::format("missing: checkpoint of size {} covers entries up to {}",
                                            size, size - 1));
    if (merkle::root(size, replay.node_reader()) != cp.root)
      throw_verification(fmt::format(
          "entry {}: checkpoint of size {} has a root that the entries do not reproduce; an entry "
          "before index {} was changed",
          size - 1, size, size));
    ++report.checkpoints;
    report.latest_checkpoint_size = size;
  }

  if (saved_checkpoint) {
    note::Checkpoint saved;
    try {
      saved = note::open_checkpoint(*saved_checkpoint, log_key);
    } catch (const Error& err) {
      throw_verification(fmt::format("saved checkpoint: {} (was it signed by this log's key {}?)",
                                     err.what(), log_key.key_id()));
    }
    if (saved.size > report.entries)
      bad_entry(report.entries, fmt::format(
          "missing: the saved checkpoint covers {} entries but the log now has {}; entries were "
          "removed",
          saved.size, report.entries));
    if (saved.size > 0) {
      Hash now = merkle::root(report.entries, replay.node_reader());
      auto proof = merkle::consistency_proof(saved.size, report.entries, replay.node_reader());
      try {
        merkle::verify_consistency(saved.size, report.entries, proof, saved.root, now);
      } catch (const Error& err) {
        throw_verification(fmt::format(
            "the log is not consistent with the saved checkpoint of size {}: an entry before index "
            "{} was changed ({})",
            saved.size, saved.size, err.what()));
      }
    }
    report.saved_checkpoint_size = saved.size;
  }
  return report;
}

}  // namespace agtrace
