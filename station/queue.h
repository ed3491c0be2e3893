// The print queue (docs/station.md "打印队列"): one worker thread per configured printer
// sends that printer's queued jobs (state.h) in order, one at a time, through the labeler's
// own job code (labeler::print_labels: the same checks, print journal and ledger rules as
// `agtrace-labeler print`), signed with the station key of the job's enterprise and
// recording the operator's account and the template's SHA-256. A job is recorded in the
// ledger when it starts sending, never when queued; a queued job survives a restart and is
// sent after it. While a job sends, the printer monitor does not poll that printer.
#pragma once

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "station/config.h"
#include "station/printers.h"
#include "station/state.h"

namespace agtrace::station {

class PrintQueue {
 public:
  // Starts the workers; jobs queued before (a restart) are sent at once. The references
  // must outlive the queue.
  PrintQueue(const StationConfig& config, std::string ledger_path, StationState& state, PrinterMonitor& monitor);
  // Stops taking jobs and waits for the jobs being sent to end.
  ~PrintQueue();
  PrintQueue(const PrintQueue&) = delete;
  PrintQueue& operator=(const PrintQueue&) = delete;

  // A job was queued for `printer`: wake its worker.
  void wake();

  // The lock a worker holds while it sends to printer `name` (a configured printer): a
  // reprint sent from the reprint screen takes it too, so the two never interleave on one
  // printer. Never fails for a configured name.
  std::mutex& printer_lock(const std::string& name);

 private:
  const StationConfig& config_;
  std::string ledger_path_;
  StationState& state_;
  PrinterMonitor& monitor_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::map<std::string, std::unique_ptr<std::mutex>> printer_locks_;  // filled before the workers start
  std::vector<std::thread> threads_;

  void run(const PrinterConfig& printer);
  void send(const PrinterConfig& printer, const Job& job);
};

}  // namespace agtrace::station
