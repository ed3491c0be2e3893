// The checkpoint signer's memory: the last checkpoint it signed, kept in a file of its own
// (next to the log key, where the service that holds the key keeps its state), outside the
// ledger file.
//
// Without it the signer trusts the ledger file to say what it signed before: someone with
// write access to the file (and no key) can cut the log back, let an honest clerk append,
// and have the signer sign a second, different tree of a size it already signed — the log
// key would equivocate. With it, `checkpoint --state FILE` signs only trees that extend the
// remembered one (RFC 9162 §2.1.4 consistency), checked by the full audit (docs/security.md).
#pragma once

#include <optional>
#include <string>

namespace agtrace {

// The signed note stored at `path`, or nullopt if there is no such file (a signer's first
// run). Throws Error(bad_input) if it exists but cannot be read or is over 64 KiB.
std::optional<std::string> load_signer_state(const std::string& path);

// Throws Error(bad_input) naming `path` when its folder does not exist or this user cannot
// create files in it: checked before anything is signed, so a signature is never left
// unremembered.
void check_signer_state_writable(const std::string& path);

// Where a signer keeps its memory unless told otherwise: beside its log key file
// (`LOGKEY.last-checkpoint`), so every command that signs with that key shares it.
inline std::string default_signer_state(const std::string& log_key_file) { return log_key_file + ".last-checkpoint"; }

// Replaces the file at `path` with `signed_note`, atomically (a temporary file in the same
// folder, fsync, rename, fsync of the folder; mode 0600). Throws Error(environment) when a
// step fails; the old file is then left as it was.
void save_signer_state(const std::string& path, const std::string& signed_note);

}  // namespace agtrace
