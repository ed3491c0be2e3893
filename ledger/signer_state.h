// The checkpoint signer's memory: the last checkpoint a log key signed, kept beside the key
// file (`LOGKEY.last-checkpoint`, mode 0600), outside the ledger file. One file per key, used
// by every command that signs with it, so two memories can never disagree.
//
// Without it the signer trusts the ledger file to say what it signed before: someone with
// write access to the file (and no key) can cut the log back, let an honest clerk append,
// and have the signer sign a second, different tree of a size it already signed — the log
// key would equivocate. With it, a checkpoint is signed only for a tree that extends the
// remembered one (RFC 9162 §2.1.4 consistency), checked by the full audit (docs/security.md).
#pragma once

#include <optional>
#include <string>

#include "ledger/note/ed25519_key.h"

namespace agtrace {

class Ledger;

// The signed note stored at `path`, or nullopt if there is no such file (a signer's first
// run). Throws Error(bad_input) naming the file and the fix if it exists but this user
// cannot read it (another user's, e.g. root's) or it is over 64 KiB.
std::optional<std::string> load_signer_state(const std::string& path);

// Throws Error(bad_input) naming `path` when its folder does not exist or this user cannot
// create files in it: checked before anything is signed, so a signature is never left
// unremembered.
void check_signer_state_writable(const std::string& path);

// Where the signer keeps its memory: beside its log key file (`LOGKEY.last-checkpoint`).
inline std::string signer_state_path(const std::string& log_key_file) { return log_key_file + ".last-checkpoint"; }

// Signs a checkpoint of `ledger` with `log_key` (loaded from `log_key_file`) and the memory
// beside that file (Ledger::sign_checkpoint), and returns the note. When the memory is
// missing although the ledger already holds a checkpoint beyond its first entry, first says
// so on standard error (Chinese, then English): the memory was lost, or this is another copy
// of the key; it starts again from this ledger's audited state, which is right only if the
// ledger was not restored or replaced meanwhile. Throws as Ledger::sign_checkpoint.
std::string sign_remembered(Ledger& ledger, const note::SigningKey& log_key, const std::string& log_key_file);

// Replaces the file at `path` with `signed_note`, atomically (a temporary file in the same
// folder, fsync, rename, fsync of the folder; mode 0600). Throws Error(environment) when a
// step fails; the old file is then left as it was.
void save_signer_state(const std::string& path, const std::string& signed_note);

}  // namespace agtrace
