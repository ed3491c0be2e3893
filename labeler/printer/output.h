// Where a label job's bytes go (DESIGN §4 "Outputs", "Job order"): a file, a folder of
// one file per label, standard output, or a network printer on raw TCP (port 9100,
// "JetDirect" style: the bytes are the print job).
//
// An Output is opened (the folder created, the file created, the printer connected)
// before the job is recorded, so an unreachable printer fails with Error(environment)
// and nothing is recorded. Afterwards write_label() and finish() may fail with
// Error(environment); delivered() then tells how many labels, from the first, certainly
// reached the output, so the caller can void the rest:
//   file / stdout  labels whose bytes write(2) accepted (finish() fsyncs a file; if that
//                  fails, none count as delivered)
//   tcp            labels whose every byte the printer's TCP stack acknowledged
//                  (Linux TCP_INFO tcpi_bytes_acked, sampled while sending: after a
//                  reset the kernel no longer reports it), not merely queued locally. On
//                  the safe side: a label acknowledged in the last instant before the
//                  printer hung up may be counted undelivered (and voided), never the
//                  reverse.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace agtrace::labeler {

class Output {
 public:
  virtual ~Output() = default;
  // How the ledger names this output ("tcp://10.0.0.5:9100", "file:labels.zpl", …).
  virtual std::string describe() const = 0;
  // Bytes before the first label / after the last (format preamble, trailer).
  virtual void write_preamble(std::string_view bytes) = 0;
  // One label's bytes; for a folder, the whole file of label `index` (from 0).
  virtual void write_label(std::size_t index, std::string_view serial, std::string_view bytes) = 0;
  virtual void write_trailer(std::string_view bytes) = 0;
  // Flushes and waits until everything is delivered (bounded by the timeout).
  virtual void finish() = 0;
  // Labels certainly delivered, counted from the first.
  virtual std::size_t delivered() = 0;
  // Undoes the opening when the job fails before anything is sent: removes the file, or
  // the folder if opening created it; closes a printer connection unused.
  virtual void discard() = 0;
};

struct OutputSpec {
  std::string out;      // a file, a folder (existing, or ending in '/'), or "-" for stdout
  std::string printer;  // tcp://HOST:PORT (instead of out)
  std::chrono::milliseconds timeout{10000};  // connect, each send, and the final acknowledgement
};

// Opens the output for a job of labels in format `extension`. `file_per_label` formats
// (png, svg) need a folder, or a file or stdout when the job has one label; their
// files are named NNNNN-SERIAL.ext. A stream format given a folder writes
// FOLDER/`stem`.ext. Throws Error(bad_input) for a bad spec, Error(environment) when
// the output cannot be opened or the printer cannot be reached within the timeout.
std::unique_ptr<Output> open_output(const OutputSpec& spec, std::string_view extension, bool file_per_label,
                                    std::size_t count, std::string_view stem);

}  // namespace agtrace::labeler
