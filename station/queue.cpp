// Per-printer workers that send queued jobs (queue.h).
#include "station/queue.h"

#include <fmt/format.h>

#include <chrono>
#include <iostream>

#include "labeler/job/job.h"
#include "labeler/job/journal.h"
#include "ledger/ledger.h"
#include "ledger/util/error.h"
#include "station/messages.h"

namespace agtrace::station {
namespace {

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

PrintQueue::PrintQueue(const StationConfig& config, std::string ledger_path, StationState& state,
                       PrinterMonitor& monitor, QueueHooks hooks)
    : config_(config), ledger_path_(std::move(ledger_path)), state_(state), monitor_(monitor), hooks_(std::move(hooks)) {
  for (const auto& p : config_.printers) printer_locks_.emplace(p.name, std::make_unique<std::mutex>());
  for (const auto& p : config_.printers) threads_.emplace_back([this, &p] { run(p); });
}

PrintQueue::~PrintQueue() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  for (auto& t : threads_) t.join();
}

void PrintQueue::wake() {
  cv_.notify_all();
}

std::mutex& PrintQueue::printer_lock(const std::string& name) { return *printer_locks_.at(name); }

void PrintQueue::run(const PrinterConfig& printer) {
  for (;;) {
    {
      std::unique_lock lock(mu_);
      if (stop_) return;
    }
    std::optional<Job> job;
    try {
      job = state_.start_next(printer.name, now_ms());
    } catch (const std::exception& e) {
      std::cerr << "agtrace-station: the state file: " << e.what() << "\n";
    }
    if (job) {
      std::lock_guard sending(printer_lock(printer.name));
      monitor_.set_busy(printer.name, true);
      send(printer, *job);
      monitor_.set_busy(printer.name, false);
      continue;
    }
    std::unique_lock lock(mu_);
    if (stop_) return;
    cv_.wait_for(lock, std::chrono::seconds(1));
  }
}

void PrintQueue::send(const PrinterConfig& printer, const Job& job) {
  std::optional<std::uint64_t> entry;
  std::size_t confirmed = 0;
  try {
    const Enterprise* e = config_.enterprise(job.enterprise);
    if (!e || !e->templates.count(job.product))
      throw_bad_input(fmt::format("企业 {} 的产品 {} 已不在工作站配置中，任务未发送 / enterprise {} or its product {} is no "
                                  "longer in station.json; nothing was sent",
                                  job.enterprise, job.product, job.enterprise, job.product));
    if (hooks_.before_send) hooks_.before_send();
    labeler::JobOptions o;
    o.format = printer.language;
    o.output.printer = printer.url;
    o.output.timeout = std::chrono::milliseconds(10000);
    o.dpi = printer.dpi;
    o.journal = labeler::PrintJournal::default_path(ledger_path_);
    o.operator_id = job.account;
    o.recorded = [this, &entry, &job](std::uint64_t e) {  // kept when the printer then fails, or the station dies
      entry = e;
      state_.record_entry(job.id, e);
      if (hooks_.recorded) hooks_.recorded(e);
    };
    Ledger ledger(ledger_path_, true);
    auto r = labeler::print_labels(ledger, *e->key, job.lot, job.count, e->templates.at(job.product).label, o);
    entry = r.entry;
    confirmed = r.confirmed;
    if (hooks_.settled) hooks_.settled(r.entry);
    state_.finish_job(job.id, "printed", entry, confirmed, "", now_ms());
  } catch (const std::exception& ex) {
    std::cerr << fmt::format("agtrace-station: job {} ({} labels for lot {} on {}) failed: {}\n", job.id, job.count,
                             job.lot, printer.name, ex.what());
    const auto* err = dynamic_cast<const Error*>(&ex);
    const bool unverified = err && err->kind() == ErrorKind::verification && hooks_.refused_unverified;
    try {
      if (entry && hooks_.settled) hooks_.settled(*entry);
      state_.finish_job(job.id, "failed", entry, confirmed,
                        unverified ? hooks_.refused_unverified(ex.what())
                        : entry    ? for_operator(ex.what())
                                   : unsent_for_operator(ex.what()),
                        now_ms());
    } catch (const std::exception& e2) {
      std::cerr << "agtrace-station: the state file: " << e2.what() << "\n";
    }
  }
}

}  // namespace agtrace::station
