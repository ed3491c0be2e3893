// agtrace's ledger: an append-only, hash-chained, signed event log in one SQLite file,
// committed by an RFC 6962 / RFC 9162 Merkle tree and C2SP signed checkpoints
// (DESIGN §3, docs/ledger-format.md). This is the front door the CLI, the labeler and
// the verifier include.
//
// Writers: any number of processes may append at once; each append is one
// BEGIN IMMEDIATE transaction (all-or-nothing). Readers (the verifier) open the file
// read-only and see new entries as they commit. A Ledger object is used by one thread
// at a time.
//
// Errors are agtrace::Error: bad_input (exit 2) for events that break a schema or
// rule, naming the field; verification (exit 1) for a log that fails its audit;
// environment (exit 3) for a busy, locked or full database.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "ledger/event/column_names.h"
#include "ledger/note/checkpoint.h"
#include "ledger/note/ed25519_key.h"
#include "ledger/note/verifier_key.h"
#include "ledger/store/entry.h"
#include "ledger/store/sqlite.h"
#include "ledger/store/store.h"
#include "ledger/util/error.h"

namespace agtrace {

// Limits applied to one event's JSON text before anything else (DESIGN §3).
inline constexpr std::size_t kMaxEventBytes = 256 * 1024;
inline constexpr std::size_t kMaxEventStringBytes = 16 * 1024;

// An event that passed the checks that need no ledger: size limits, strict JSON, no
// floating-point numbers, the JSON Schema. `where` locates it for messages ("line 7").
struct PreparedEvent {
  std::string where;
  nlohmann::json event;
  std::string canonical;  // RFC 8785 bytes of `event`
  std::string error;      // non-empty when the event could not be prepared (bad input)
  // The source's names for the event's fields (a CSV row's column headers), so that a
  // refusal names the column the clerk typed into; empty for JSON input.
  ColumnNames columns;
  // The language of the clerk who wrote the source (i18n::choose_lang): the language of the
  // column names and catalogue messages in its refusal. Nullopt when no one chose one (a
  // library caller such as the station): the refusal reads as the error's what() — English,
  // or "中文 / English" where an operator meets it (ledger/i18n/refusal.h).
  std::optional<i18n::Lang> lang = std::nullopt;
};

// A source of prepared events for one append, called on the appending thread: returns
// the next event, or nullopt at the end. Lets parsing and schema validation of a bulk
// import run on other cores while the appending thread signs and stores.
using EventSource = std::function<std::optional<PreparedEvent>()>;

// Parses and checks one event's text. Throws Error(bad_input) naming `where` and the
// field.
PreparedEvent parse_event(std::string_view text, std::string where);
// The same checks for an event already parsed (e.g. built from a CSV row).
PreparedEvent prepare_event(nlohmann::json event, std::string where);

struct AppendOptions {
  // Record the good events and report each bad one, instead of all-or-nothing.
  bool continue_on_error = false;
  // The clock for the "no more than 5 minutes in the future" rule; 0 = system clock.
  std::int64_t now_unix_ms = 0;
};

// What became of one submitted event.
struct AppendOutcome {
  std::string where;                   // the event's place in the input ("FILE line N")
  std::string event_id;
  std::optional<std::uint64_t> index;  // entry index when recorded (or already recorded)
  bool duplicate = false;              // an identical event was already recorded: no-op
  std::string error;                   // non-empty when refused; without the `where` prefix
  std::string note;                    // a duplicate the user must know more about (a correction recorded
                                       // before and superseded since, or given another reason): what
                                       // stands and what to do, in the append's language
};

// Thrown by Ledger::append without continue_on_error when any event is refused; nothing
// was written. what() is the refusal itself ("WHERE: message") for a single event, else
// "N of M events refused; nothing was recorded:" and one "WHERE: message" line per
// refusal. outcomes() has every submitted event in order: the refused ones with their
// error, the others with neither error nor index (rolled back), unless they were already
// recorded before this append (duplicate, with their entry index).
class AppendRefused : public Error {
 public:
  AppendRefused(const std::string& message, std::vector<AppendOutcome> outcomes)
      : Error(ErrorKind::bad_input, message), outcomes_(std::move(outcomes)) {}
  const std::vector<AppendOutcome>& outcomes() const { return outcomes_; }

 private:
  std::vector<AppendOutcome> outcomes_;
};

// A label job (DESIGN §4 "Serial commitment"): one ledger entry of type labels_issued,
// labels_reprinted or labels_voided that commits to its serial set — the count and the
// RFC 6962 root over the sorted serials (leaf i = the i-th serial's ASCII bytes) —
// while the serials themselves go to the indexed codes table.
struct LabelJob {
  std::string type;                 // "labels_issued", "labels_reprinted" or "labels_voided"
  std::string lot;                  // the packed lot the labels are for
  std::vector<std::string> serials; // trace codes (Crockford base32), any order, no duplicates
  std::string party;                // who printed (party id)
  std::string location;             // where (location id)
  std::string template_name;        // optional: label template used
  std::string printer;              // optional: printer or output
  std::string reason;               // required for labels_voided
  // Added later (initialised, so the aggregate initialisations that predate them stay warning-free):
  std::string operator_id{};        // optional: the station account that ran it (a pseudonym, e.g. op-07)
  std::string template_sha256{};    // optional: SHA-256 (lower-case hex) of the template file's bytes
};

// A trace code (追溯码) as the ledger knows it.
struct CodeRecord {
  std::string serial;
  std::string lot;
  std::uint64_t issued_entry = 0;             // the labels_issued entry
  std::optional<std::uint64_t> voided_entry;  // the labels_voided entry, if voided
  std::uint64_t reprints = 0;
};

// Proof that `serial` belongs to a label job: its path in the job's serial tree, and the
// job entry (whose inclusion proof against a checkpoint completes the chain).
struct SerialProof {
  std::uint64_t job_entry = 0;
  std::uint64_t leaf_index = 0;  // position among the job's sorted serials
  std::uint64_t count = 0;       // serials in the job
  std::vector<Hash> path;        // RFC 9162 §2.1.3 inclusion path in the serial tree
};

// RFC 6962 root over serials sorted bytewise (leaf i = serial i's ASCII bytes).
Hash serial_set_root(const std::vector<std::string>& sorted_serials);

// The facts every ledger states in entry 0 (the log_init event).
struct LedgerInfo {
  std::string origin;    // the log's origin line, also the log key's name
  std::string base_url;  // public base URL printed in QR codes, no trailing slash
  note::VerifierKey log_key;  // entry 0's log key; after a rotation see Ledger::log_key_at
};

// What Ledger::upgrade_rules did.
struct RulesUpgrade {
  int from = 0;                        // the rules version in force before
  int to = 0;                          // the version in force now (== from when nothing was done)
  std::optional<std::uint64_t> entry;  // the rules_upgraded entry; nullopt when nothing was written
};

// What a successful audit covered.
struct AuditReport {
  std::uint64_t entries = 0;
  std::uint64_t checkpoints = 0;
  std::uint64_t latest_checkpoint_size = 0;  // entries beyond it await a checkpoint
  std::optional<std::uint64_t> saved_checkpoint_size;
  // RFC 9162 §2.1.1 root of the `entries` leaves, computed from the entries' own bytes
  // (not from the file's merkle_nodes), and the log key in force at that size.
  Hash root{};
  std::optional<note::VerifierKey> log_key;
};

class Ledger {
 public:
  // Creates a new ledger file at `path` whose entry 0 (log_init, signed by `log_key`)
  // names the origin (the key's name) and `base_url`, and signs its first checkpoint.
  // Throws bad_input if the file exists or the URL is not of the form
  // https://host[:port][/path] in lower case.
  static void create(const std::string& path, const std::string& base_url,
                     const note::SigningKey& log_key);

  // Opens an existing ledger, read-only unless `writable`.
  Ledger(const std::string& path, bool writable);
  ~Ledger();

  // Whether append, record_label_job and check_label_job audit the file first (default yes):
  // inside their write transaction, before any rule is checked or anything signed, they replay
  // every entry and compare every derived table (detail::audit_before_write), so that rules
  // never judge by a derived row that someone with write access to the file edited
  // (docs/security.md "Writers check the file before they sign"). The cost grows with the
  // ledger (about what `verify` takes); a benchmark that appends many times to a ledger it
  // built itself may turn it off. A ledger that does not verify is refused with
  // Error(verification), nothing written.
  void audit_before_writing(bool on) { audit_writes_ = on; }

  const LedgerInfo& info();
  std::uint64_t size();

  // Appends `events` signed by `signer` (a registered, unrevoked key; the log key for
  // log_init/key_added/key_revoked, another key for everything else) in one
  // transaction. Without continue_on_error, any refused event refuses them all and
  // throws AppendRefused (an Error(bad_input)) listing every refusal; nothing is written.
  std::vector<AppendOutcome> append(const std::vector<PreparedEvent>& events,
                                    const note::SigningKey& signer, const AppendOptions& options);
  // The same for a stream of events (group commit: still one transaction). Events whose
  // `error` is set count as refused.
  std::vector<AppendOutcome> append(const EventSource& events, const note::SigningKey& signer,
                                    const AppendOptions& options);

  // The log key that signs a checkpoint of `size` entries: entry 0's key until a
  // log_key_rotated entry at index r, then the key it names for every size above r
  // (docs/ledger-format.md §2). Throws Error(verification) if the keys table has none.
  note::VerifierKey log_key_at(std::uint64_t size);
  // Verifies a checkpoint of this log (a signed note) under the log key in force at its
  // size and returns it. Throws Error(verification) when the signature or body is bad.
  note::Checkpoint open_checkpoint(std::string_view signed_note);

  // Signs a checkpoint with the log key in force and stores it. The log key signs only
  // what it has checked: unless the tree has not grown since the latest stored checkpoint
  // (then that one is returned), the whole ledger is audited first, as verify() does
  // against the latest stored checkpoint, and the checkpoint names the audited size and
  // the root computed from the entries' bytes — never the file's merkle_nodes, which
  // anyone with write access to the file could have edited (docs/security.md). Throws
  // Error(bad_input) if `log_key` is not the log key in force, Error(verification) as
  // verify() does; nothing is signed then.
  // With `signer_state` (a file of the signer's own, ledger/signer_state.h) the audit
  // proves the log extends the checkpoint remembered there — not merely the latest one the
  // file stores — and the new checkpoint is remembered; a rolled-back or forked ledger is
  // then refused with Error(verification) rather than signed.
  std::string sign_checkpoint(const note::SigningKey& log_key, const std::string& signer_state = "");
  // Throws Error(bad_input) unless `log_key` is the log key in force now. Commands that
  // sign a checkpoint after appending call this first, so a wrong key writes nothing.
  void check_log_key(const note::SigningKey& log_key);
  // The latest stored checkpoint (signed note), if any.
  std::optional<std::string> latest_checkpoint();
  std::optional<note::Checkpoint> latest_checkpoint_parsed();

  Entry entry(std::uint64_t index);
  std::string entry_bytes(std::uint64_t index);

  // RFC 9162 §2.1.1 root of the first `size` leaves; proofs of §2.1.3 and §2.1.4.
  // Throw bad_input when the indices are outside the log.
  Hash root(std::uint64_t size);
  // Each reads O(log n) stored interior nodes (merkle_nodes) in one read snapshot.
  std::vector<Hash> inclusion_proof(std::uint64_t index, std::uint64_t size);
  std::vector<Hash> consistency_proof(std::uint64_t size1, std::uint64_t size2);
  // The inclusion proofs of the leaves `indices`, in the order given, in the tree of
  // `size` leaves (RFC 9162 §2.1.3.1), all from one read snapshot: each reads only the
  // stored nodes the proof before it did not (for sorted indices about two per proof, at
  // most 2 * 64). Throws bad_input as inclusion_proof does, for the first bad index.
  std::vector<std::vector<Hash>> inclusion_proofs(std::span<const std::uint64_t> indices, std::uint64_t size);

  // The full audit of DESIGN §3: recomputes the chain, every signature and key's
  // validity by entry index, every event's schema, every derived table (by replay),
  // every stored checkpoint's signature and root; and, given a regulator's saved
  // checkpoint (signed note), proves the current log extends it. Throws
  // Error(verification) naming the first bad entry.
  AuditReport verify(const std::optional<std::string>& saved_checkpoint);

  // The rules version (ledger/event/rules_version.h) in force for the next entry.
  int rules_version();
  // Moves the ledger to kCurrentRulesVersion (DESIGN §3 "Rules versions",
  // docs/rules-versions.md). When it is older: verifies the whole ledger first (a damaged
  // one is never rebuilt over; throws Error(verification) as verify() does), then in one
  // transaction appends a rules_upgraded entry signed by `log_key` naming the new version
  // and `reason`, and rebuilds every derived table by applying every entry again; then
  // signs a checkpoint. When it is current already, writes nothing. Throws
  // Error(bad_input), writing nothing, if `log_key` is not the log key in force.
  RulesUpgrade upgrade_rules(const note::SigningKey& log_key, const std::string& reason,
                            const std::string& signer_state = "");

  // Records a label job as one entry signed by `signer` (a station or clerk key).
  // labels_issued serials must never have been issued before; reprinted and voided
  // serials must be issued codes of `lot`, and not voided already. Returns the entry
  // index. Throws Error(bad_input) naming the serial or field; nothing is written then.
  std::uint64_t record_label_job(const LabelJob& job, const note::SigningKey& signer);
  // Throws exactly as record_label_job would for `job` now (the signer's key, the lot,
  // the serials, the packed count, the event's rules), and writes nothing: a dry run in
  // a rolled-back transaction. The labeler calls it before opening an output, so a job
  // that cannot be recorded leaves no file behind.
  void check_label_job(const LabelJob& job, const note::SigningKey& signer);
  // The code, or nullopt if no label job issued it.
  std::optional<CodeRecord> code(const std::string& serial);
  // Throws Error(bad_input) if the code was never issued.
  SerialProof serial_proof(const std::string& serial);

  store::Store& store() { return *store_; }
  sql::Database& database() { return *db_; }

 private:
  std::unique_ptr<sql::Database> db_;
  std::unique_ptr<store::Store> store_;
  std::optional<LedgerInfo> info_;
  bool writable_;
  bool audit_writes_ = true;

  void reload_store();
  // record_label_job's checks and writes; committed only when `commit`.
  std::uint64_t write_label_job(const LabelJob& job, const note::SigningKey& signer, bool commit);
};

}  // namespace agtrace
