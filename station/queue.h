// The print queue (docs/station.md "打印队列"): one worker thread per configured printer
// sends that printer's queued jobs (state.h) in order, one at a time, through the labeler's
// own job code (labeler::print_labels: the same checks, print journal and ledger rules as
// `agtrace-labeler print`), signed with the station key of the job's enterprise and
// recording the operator's account and the template's SHA-256. A job is recorded in the
// ledger when it starts sending, never when queued; a queued job survives a restart and is
// sent after it. While a job sends, the printer monitor does not poll that printer.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
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

// What the station does around each job (both optional).
struct QueueHooks {
  // Before a job is sent: throws to fail it unsent with what() as its message (the verified
  // replica is not readable: the ledger file does not verify).
  std::function<void()> before_send;
  // Once a job's entry is in the ledger (its index): the replica polls for it.
  std::function<void(std::uint64_t entry)> recorded;
  // Before a job that recorded entry `entry` is shown ended (printed or failed): waits for
  // the replica to hold it, so that a screen refreshed on "printed" counts its labels.
  std::function<void(std::uint64_t entry)> settled;
  // The ledger refused the job's write as not verifying (ErrorKind::verification, e.g. the
  // writer's audit before signing): given the English detail, returns the operator's message
  // the job ends with (the station fails closed: Replica::writer_audit_failed).
  std::function<std::string(const std::string& detail)> refused_unverified;
};

class PrintQueue {
 public:
  // Starts the workers; jobs queued before (a restart) are sent at once. The references
  // must outlive the queue.
  PrintQueue(const StationConfig& config, std::string ledger_path, StationState& state, PrinterMonitor& monitor,
             QueueHooks hooks = {});
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
  QueueHooks hooks_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::map<std::string, std::unique_ptr<std::mutex>> printer_locks_;  // filled before the workers start
  std::vector<std::thread> threads_;

  void run(const PrinterConfig& printer);
  void send(const PrinterConfig& printer, const Job& job);
};

}  // namespace agtrace::station
