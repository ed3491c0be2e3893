// The rollback guard (checkpoint_guard.h).
#include "ledger/checkpoint_guard.h"

#include <fmt/format.h>

#include <stdexcept>

#include "ledger/i18n/refusal.h"
#include "ledger/merkle/merkle.h"
#include "ledger/note/checkpoint.h"
#include "ledger/note/signed_note.h"
#include "ledger/signer_state.h"
#include "ledger/store/sqlite.h"
#include "ledger/util/error.h"
#include "ledger/util/read_file.h"

namespace agtrace {
namespace {

i18n::Msg not_done_message(GuardedAction action) {
  switch (action) {
    case GuardedAction::append: return i18n::Msg::checkpoint_guard_nothing_written;
    case GuardedAction::certificate_print: return i18n::Msg::checkpoint_guard_not_printed;
    case GuardedAction::label_job: return i18n::Msg::checkpoint_guard_labels;
    case GuardedAction::export_files: return i18n::Msg::checkpoint_guard_not_exported;
  }
  throw std::logic_error("unknown guarded action");
}

// A catalogue message without arguments, in both languages.
i18n::Words words(i18n::Msg id) { return {i18n::text(i18n::Lang::zh, id), i18n::text(i18n::Lang::en, id)}; }

// Throws the refusal `id` (args) as a failed check (exit 1), what() "中文 / English": the labeler
// and the station show what() as it is, the ledger's commands in the reader's language.
template <typename... Args>
[[noreturn]] void fail(i18n::Msg id, const Args&... args) {
  i18n::Refusal r = i18n::refusal("", id, args...);
  const std::string zh = r.text(i18n::Lang::zh), en = r.text(i18n::Lang::en);
  throw i18n::Refusal(zh, en, zh + " / " + en, ErrorKind::verification);
}

}  // namespace

std::optional<TrustedCheckpoint> remembered_checkpoint(const std::string& log_key_file) {
  const std::string memory = signer_state_path(log_key_file);
  if (auto note = load_signer_state(memory)) return TrustedCheckpoint{*note, memory, true};
  return std::nullopt;
}

TrustedCheckpoint saved_checkpoint_file(const std::string& file) {
  return {read_file(file, 64 * 1024, "--checkpoint "), file, false};
}

void check_extends(Ledger& ledger, const TrustedCheckpoint& trusted, GuardedAction action) {
  auto snapshot = sql::Transaction::snapshot(ledger.database());  // or the caller's, if one is open
  const i18n::Words which = trusted.signer_memory
                                ? i18n::Words{i18n::text(i18n::Lang::zh, i18n::Msg::checkpoint_guard_memory, trusted.file),
                                              i18n::text(i18n::Lang::en, i18n::Msg::checkpoint_guard_memory, trusted.file)}
                                : i18n::Words{i18n::text(i18n::Lang::zh, i18n::Msg::checkpoint_guard_saved, trusted.file),
                                              i18n::text(i18n::Lang::en, i18n::Msg::checkpoint_guard_saved, trusted.file)};
  const i18n::Words not_done = words(not_done_message(action));
  const std::uint64_t size = ledger.size();
  // The size first: a checkpoint beyond the file may be signed by a log key the file never saw
  // rotated in, so its signature cannot be checked here; the file is older either way.
  std::uint64_t covered = 0;
  try {
    covered = note::parse_checkpoint_body(note::parse_note(trusted.note).text).size;
  } catch (const Error& e) {
    fail(i18n::Msg::checkpoint_guard_other_log, which, i18n::Words{e.what(), e.what()}, not_done);
  }
  if (covered > size) fail(i18n::Msg::checkpoint_guard_rolled_back, which, covered, size, not_done);
  note::Checkpoint cp;
  try {
    cp = ledger.open_checkpoint(trusted.note);
  } catch (const Error& e) {
    fail(i18n::Msg::checkpoint_guard_other_log, which, i18n::Words{e.what(), e.what()}, not_done);
  }
  bool extends = false;
  if (cp.size == 0) {
    extends = cp.root == merkle::empty_root();  // every log extends the empty tree, whose root is this
  } else {
    try {
      merkle::verify_consistency(cp.size, size, ledger.consistency_proof(cp.size, size), cp.root, ledger.root(size));
      extends = true;
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::verification) throw;
    }
  }
  if (!extends) fail(i18n::Msg::checkpoint_guard_forked, which, cp.size, not_done);
}

}  // namespace agtrace
