// Label jobs at the printer station (DESIGN §4 "Job order", §8 agtrace-labeler):
// print, reprint and void, each one ledger entry.
//
// print: check the template against the lot's facts (nothing may fail on content after
// this), allocate the serials, check the job against the ledger (Ledger::check_label_job:
// the key, the lot, the packed count — a job that cannot be recorded creates no output),
// open the output (connect to the printer) and ask the printer whether it is ready
// (Output::check_ready: paper, head, pause…), note the job in the print journal
// (journal.h), record the labels_issued job, then render and send, noting in the journal
// how far the printer has confirmed. A label counts as printed only once confirmed
// (output.h: a printer answered a status query sent after it). If sending fails after
// recording, the labels never written are voided in the same run (labels_voided, reason
// "not delivered: …"); labels written but not confirmed stay genuine and are listed by
// serial as uncertain — the operator looks at the printer and reprints or voids them —
// and the job fails with Error(environment) giving the confirmed, uncertain and voided
// counts. An unreachable or unready printer fails before anything is recorded. A printed
// label is never missing from the ledger.
//
// reprint: the same order with labels_reprinted and existing serials (no new codes);
// one job per lot. A failed reprint voids nothing: the codes stay issued and the
// operator tries again.
//
// void: one labels_voided entry per lot with the reason; voided codes are not genuine.
//
// samples (--dry-run): the job's labels rendered with sample codes, marked "样张 SAMPLE",
// from the ledger's facts for the lot, without issuing a code or writing to the ledger.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "labeler/printer/output.h"
#include "labeler/qr/qr.h"
#include "labeler/template/template.h"

namespace agtrace {
class Ledger;
namespace note {
class SigningKey;
}
}  // namespace agtrace

namespace agtrace::labeler {

struct JobOptions {
  std::string format = "pdf";      // png, svg, pdf, zpl, tspl
  OutputSpec output;
  std::optional<int> dpi;          // overrides the template's (203, 300 or 600)
  std::optional<EcLevel> ec;       // overrides the template's QR error correction
  std::string party, location;     // who and where; default: the lot's packing event
  std::string journal;             // print journal file (journal.h); empty: none
  std::string operator_id;         // the station account running the job (e.g. op-07), recorded as `operator`; "" for none
  std::string reason;              // reprint only: why, recorded as `reason` (at most 1000 bytes); "" records "reprint"
  // Called after each label with (done, total); e.g. a progress bar.
  std::function<void(std::size_t, std::size_t)> progress;
  // print_labels only: called with the labels_issued entry once it is recorded, before the
  // first label is sent (a caller keeps it when the output then fails); may be empty.
  std::function<void(std::uint64_t)> recorded{};
};

struct JobResult {
  std::uint64_t entry = 0;                  // the labels_issued / labels_reprinted entry
  std::vector<std::string> serials;         // in label order
  std::size_t confirmed = 0;                // labels confirmed by the output (output.h)
};

// Prints `count` new labels for packed lot `lot`. Throws Error(bad_input) (nothing
// recorded) for content, template or option problems; Error(environment) when the output
// fails — before recording (nothing recorded) or after (the message gives the confirmed,
// uncertain and voided counts, the uncertain serials and the void entry).
JobResult print_labels(Ledger& ledger, const note::SigningKey& key, const std::string& lot, std::size_t count,
                       const LabelTemplate& t, const JobOptions& options);

// Reprints existing serials (normalised first). Returns one result per lot, in the order
// the lots first appear.
std::vector<JobResult> reprint_labels(Ledger& ledger, const note::SigningKey& key,
                                      const std::vector<std::string>& serials, const LabelTemplate& t,
                                      const JobOptions& options);

// Renders `count` sample labels for packed lot `lot` (codes 0000000000010, …20, …, never
// genuine; the label marked 样张 SAMPLE) to the output, reading the ledger only. Returns
// the number confirmed by the output. Throws as print_labels before recording.
std::size_t print_samples(Ledger& ledger, const std::string& lot, std::size_t count, const LabelTemplate& t,
                          const JobOptions& options);

// Marks a template's labels as samples: "样张 SAMPLE" across the middle of the label beside
// the QR code, drawn over the other static elements (part of the static layer, so thermal
// printers get it as a graphic).
LabelTemplate sample_template(LabelTemplate t);

// Voids serials with `reason`; one entry per lot, recording `operator_id` as `operator`
// when not empty. Returns the entry indices.
std::vector<std::uint64_t> void_labels(Ledger& ledger, const note::SigningKey& key,
                                       const std::vector<std::string>& serials, const std::string& reason,
                                       const std::string& party, const std::string& location,
                                       const std::string& operator_id = "");

}  // namespace agtrace::labeler
