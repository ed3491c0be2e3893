// Live printer status for the station's panel (docs/station.md "打印机状态"): each configured
// printer is asked its status (ZPL ~HS, TSPL <ESC>!?; labeler/printer/status.h) on its own
// short connection, every 2 s while it answers, backing off to every 30 s while it does not.
// A printer that is sending a job is not polled (a raw-TCP printer serves one connection at
// a time; the job's own status queries confirm its labels): it shows as 打印中 (printing).
//
// The panel is advice: Print is enabled only when the chosen printer is ready, and the job
// itself asks the printer again before anything is recorded (labeler/job/job.h).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "labeler/printer/status.h"
#include "station/config.h"

namespace agtrace::station {

// What the panel shows for one printer.
struct PrinterView {
  std::string name;
  std::string state;      // ready, printing, paper_out, ribbon_out, head_open, paused, fault,
                          // not_answering, unreachable, unknown (not asked yet)
  bool ready = false;     // Print may be pressed
  std::string text;       // Chinese first, then English, e.g. "打印机缺纸，请装纸 / printer out of paper: load labels"
  std::int64_t checked_ms = 0;  // when it last answered or failed (Unix ms)
};

// Asks the printer at `url` (tcp://HOST:PORT) its status once: connects, sends the query of
// `language`, reads one answer. Throws Error(environment), Chinese first, when it cannot be
// reached ("连不上") or does not answer within `timeout` ("没有应答"); Error(bad_input) for a
// malformed url.
labeler::PrinterStatus query_status(const std::string& url, labeler::PrinterLanguage language,
                                    std::chrono::milliseconds timeout);

// The panel's view of an answer.
PrinterView view_of(const std::string& name, const labeler::PrinterStatus& status, std::int64_t now_ms);

// Polls every configured printer on threads of its own until destroyed.
class PrinterMonitor {
 public:
  explicit PrinterMonitor(const std::vector<PrinterConfig>& printers);
  ~PrinterMonitor();
  PrinterMonitor(const PrinterMonitor&) = delete;
  PrinterMonitor& operator=(const PrinterMonitor&) = delete;

  std::vector<PrinterView> snapshot();
  PrinterView view(const std::string& name);
  // A job is sending to `name` (true) or has stopped (false): no polling meanwhile; at the
  // end the printer is asked again at once.
  void set_busy(const std::string& name, bool busy);

 private:
  struct Slot {
    PrinterConfig config;
    PrinterView view;
    bool busy = false;
    bool poke = false;
  };
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::map<std::string, Slot> slots_;
  std::vector<std::thread> threads_;

  void run(const std::string& name);
};

}  // namespace agtrace::station
