// The rollback guard: before a command writes to the ledger file, prints from it or exports it,
// the file must extend a checkpoint it cannot have forged — the one the log key signed last
// (LOGKEY.last-checkpoint, ledger/signer_state.h) or one saved earlier by an auditor or the
// checkpoint timer. An older copy of the file put in its place (restored, or by someone with
// write access) verifies on its own and still holds what was voided, recalled or invalidated
// since; the guard tells it from the ledger (RFC 9162 §2.1.4 consistency), so that nothing is
// written, printed or exported from it (docs/certificate.md "A rolled-back ledger file",
// docs/security.md). One check for every command that takes --log-key or --checkpoint.
#pragma once

#include <optional>
#include <string>

#include "ledger/ledger.h"

namespace agtrace {

// A checkpoint the ledger file must extend.
struct TrustedCheckpoint {
  std::string note;            // the signed checkpoint (C2SP signed note)
  std::string file;            // where it was read from
  bool signer_memory = false;  // LOGKEY.last-checkpoint (ledger/signer_state.h), not an auditor's copy
};

// The checkpoint the log key in `log_key_file` signed last (its memory, LOGKEY.last-checkpoint),
// or nullopt when it has none yet (a key that never signed, or a memory lost). Throws as
// load_signer_state.
std::optional<TrustedCheckpoint> remembered_checkpoint(const std::string& log_key_file);

// A checkpoint saved in `file` (--checkpoint: at most 64 KiB). Throws Error(bad_input) naming the
// file when it cannot be read.
TrustedCheckpoint saved_checkpoint_file(const std::string& file);

// What the command guarded would have done; the refusal says it was not done.
enum class GuardedAction { append, certificate_print, label_job, export_files };

// Throws i18n::Refusal of kind ErrorKind::verification (exit 1; Chinese and English, what()
// "中文 / English") unless `ledger`'s file extends `trusted`, and nothing else; reads only:
// - the file holds fewer entries than the checkpoint covers: 回滚 (an older copy);
// - its first entries are not those the checkpoint signed (a fork, or an edit): 分叉或改动;
// - the checkpoint is not signed by this log's key (another ledger, or a wrong file).
// Each names the checkpoint's file, says that `action` was not done and to restore the newest
// backup (docs/deploy.md). Cheap: the file's stored Merkle nodes give the root and the proof
// (O(log n) reads), so it runs before anything is written; the full audit that every writer,
// printer and export runs afterwards (Ledger::verify, audit_before_write) proves those nodes.
void check_extends(Ledger& ledger, const TrustedCheckpoint& trusted, GuardedAction action);

}  // namespace agtrace
