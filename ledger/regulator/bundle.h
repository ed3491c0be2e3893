// Export bundles (DESIGN §6): what a regulator takes away, and can later prove was what the
// ledger held.
//
// A bundle is a directory:
//   manifest.json        RFC 8785 JSON: bundle version, bundle format (derived.h: the
//                        layout of the derived file; absent in format 1), origin, log key,
//                        checkpoint size, format, selection, the selected entry indices, and the SHA-256 (hex)
//                        of every other file — nothing that the rest of the bundle does not
//                        determine, so that it too is regenerated and compared
//   checkpoint.txt       the one signed checkpoint (C2SP tlog-checkpoint) every proof uses
//   entries.jsonl        the raw entries (their leaf bytes), one per line, by index
//   proofs.txt           (bundle format 4 on) the inclusion proof of every entry against
//                        checkpoint.txt, one line per line of entries.jsonl, in its order:
//                        the entry's index, then its RFC 9162 §2.1.3 audit path (leaf's
//                        sibling first), each hash in base64, separated by single spaces, LF
//                        ("17 gSKyXoYZ…= B95lDa8R…=\n"): one file written and hashed instead
//                        of one per entry (docs/design-changes.md)
//   proofs/N.tlog-proof  (bundle formats 1 to 3) C2SP tlog-proof of entry N against
//                        checkpoint.txt; verify_bundle still reads these
//   events.csv | events.jsonl | epcis.jsonld   the derived file (derived.h)
// Besides the selected events, entries.jsonl carries what checking and reading them needs:
// entry 0 (log_init), the key entries of every signer, the master data they name, the
// entries that created their lots (and the lots those came from, while a product is not
// named), and the events corrections correct.
//
// verify_bundle checks a bundle offline, with only the log's public key: the file set and
// digests, the checkpoint's signature, each entry's canonical form and signature (signers
// judged by the bundle's key entries, by entry index), each inclusion proof, and then
// regenerates the derived file (in the layout of the manifest's bundle format) and the
// manifest from the entries and compares them byte for byte — an edited file with an edited
// manifest still fails, naming the file.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "ledger/ledger.h"
#include "ledger/regulator/derived.h"

namespace agtrace::regulator {

inline constexpr const char* kBundleVersion = "agtrace-export-bundle/v1";

// Which events to export; the filters that are set all apply (AND). None: every event.
struct Selection {
  std::optional<std::string> lot;      // the lot with its whole lineage (ancestors, descendants)
  std::optional<std::string> product;  // events about lots of this product
  std::optional<std::string> party;    // events this party takes part in (party, to/from, carrier, holder)
  std::optional<std::string> from;     // event time >= from (RFC 3339)
  std::optional<std::string> to;       // event time < to (RFC 3339)
  std::optional<std::uint64_t> first_entry;  // entry index >= first_entry
  std::optional<std::uint64_t> last_entry;   // entry index <= last_entry
};

// Parses "A..B" (both inclusive; either side may be empty) into first/last entry. Throws
// Error(bad_input) naming --entries.
void parse_entry_range(const std::string& text, Selection& selection);

struct ExportReport {
  std::uint64_t checkpoint_size = 0;
  std::size_t selected = 0;        // events exported
  std::size_t entries = 0;         // entries in the bundle (selected + support)
  std::size_t awaiting_checkpoint = 0;  // matching entries left out: newer than the checkpoint
  // Time windows only: selected events recorded after the first entry whose event time is at
  // or past the window's end — a window exported before they were recorded lacked them.
  std::vector<std::uint64_t> late;
};

// Writes the bundle of `selection` into directory `out` (created; must be empty or absent),
// in bundle format kBundleFormat, against the ledger's latest checkpoint. Throws
// Error(bad_input) for a bad selection, an unknown lot, product or party, a non-empty `out`,
// or a ledger without a checkpoint; Error(environment) when a file cannot be written.
ExportReport export_bundle(Ledger& ledger, const Selection& selection, ExportFormat format,
                           const std::filesystem::path& out);

struct BundleCheck {
  std::string origin;
  std::uint64_t checkpoint_size = 0;
  std::size_t entries = 0;
  std::size_t selected = 0;
  std::size_t files = 0;
  int bundle_format = kFirstBundleFormat;  // the manifest's (derived.h)
};

// Checks the bundle in `dir` offline against the log's verifier key (a C2SP vkey line).
// Throws Error(verification) naming the first file at fault (and the line or entry in it),
// also for a bundle_format newer than kBundleFormat;
// Error(bad_input) if `dir` is not a directory.
BundleCheck verify_bundle(const std::filesystem::path& dir, const note::VerifierKey& log_key);

}  // namespace agtrace::regulator
