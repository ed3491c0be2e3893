// Where a label job's bytes go (DESIGN §4 "Outputs", "Job order"): a file, a folder of
// one file per label, standard output, or a network printer on raw TCP (port 9100,
// "JetDirect" style: the bytes are the print job).
//
// An Output is opened (the folder created, the file created, the printer connected)
// before the job is recorded, so an unreachable printer fails with Error(environment)
// and nothing is recorded; check_ready() then asks a printer whether it can print, still
// before recording. Afterwards write_label() and finish() may fail with
// Error(environment); two counts, from the first label, then tell the caller what to do:
//   written()    labels whose every byte was handed over (write(2) or send(2) accepted
//                it). A label not written cannot print — its print command (ZPL ^XZ,
//                TSPL PRINT) is its last byte — so the caller voids it.
//   confirmed()  labels certainly delivered:
//     file / stdout / folder  the written ones; a file whose fsync in finish() fails
//                  confirms none (its labels are written but uncertain)
//     tcp          labels before a status query (status.h) that the printer answered
//                  ready. One query goes after every `confirm_every` labels and one at
//                  the end; at most 2 × confirm_every labels are sent ahead of the last
//                  answer, so a printer that stops reading or answering leaves few
//                  labels uncertain. An answer reporting a fault (paper out, head open,
//                  pause, …) stops the job with that fault in the message.
//   Labels written but not confirmed are uncertain: they may have printed.
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
  // Flushes and waits until everything is confirmed (bounded by the timeout).
  virtual void finish() = 0;
  // Before the job is recorded: a printer must answer a status query and be ready.
  // Throws Error(environment) saying what is wrong and what to do, Chinese first ("打印机
  // 缺纸，请装纸 / printer out of paper: load labels; nothing was recorded"). Files: no-op.
  virtual void check_ready() {}
  // Labels whose every byte was handed over, counted from the first.
  virtual std::size_t written() = 0;
  // Labels certainly delivered (see above), counted from the first; never above written().
  virtual std::size_t confirmed() = 0;
  // Undoes the opening when the job fails before anything is sent: removes the file, or
  // the folder if opening created it; closes a printer connection unused.
  virtual void discard() = 0;
};

struct OutputSpec {
  std::string out;      // a file, a folder (existing, or ending in '/'), or "-" for stdout
  std::string printer;  // tcp://HOST:PORT (instead of out)
  std::chrono::milliseconds timeout{10000};  // connect, each send, each status answer
  std::size_t confirm_every = 50;            // labels between status queries (tcp)
};

// Opens the output for a job of labels in format `extension`. `file_per_label` formats
// (png, svg) need a folder, or a file or stdout when the job has one label; their
// files are named NNNNN-SERIAL.ext. A stream format given a folder writes
// FOLDER/`stem`.ext. Throws Error(bad_input) for a bad spec, Error(environment) when
// the output cannot be opened or the printer cannot be reached within the timeout. A
// printer takes only `extension` zpl or tspl (a status query needs the printer's
// language): other formats with --printer are bad input.
std::unique_ptr<Output> open_output(const OutputSpec& spec, std::string_view extension, bool file_per_label,
                                    std::size_t count, std::string_view stem);

}  // namespace agtrace::labeler
