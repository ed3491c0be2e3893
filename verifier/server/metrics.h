// Prometheus text metrics (exposition format 0.0.4): requests by route and status, a
// request-latency histogram, scans counted, unknown codes, rate-limited requests.
// Route labels are fixed strings (never request data), so the series stay few.
// Thread-safe.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

namespace agtrace::verifier {

// What the caller samples for one rendering of /metrics.
struct MetricsSample {
  std::uint64_t scans = 0;                    // scans counted since start
  std::uint64_t ledger_size = 0;              // entries verified (the last verified entry is this - 1)
  std::uint64_t checkpoint_size = 0;          // size of the latest verified checkpoint
  bool verified = false;                      // answering from a verified state
  std::uint64_t scan_commit_failures = 0;     // failed commits of scan counts since start
  bool scan_commit_failing = false;           // the last commit of scan counts failed
};

class Metrics {
 public:
  // Upper bounds of the latency buckets, in seconds.
  static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   0.5,   1,    2.5};

  void observe(std::string_view route, int status, double seconds);
  void unknown_code() { ++unknown_codes_; }
  void rate_limited() { ++rate_limited_; }
  void unverifiable() { ++unverifiable_; }

  // The exposition text of `s` and of what this object counted. It also notes when the
  // checkpoint size last changed: agtrace_checkpoint_age_seconds is the time since this
  // process first saw the current latest checkpoint (since its start for the first one).
  std::string render(const MetricsSample& s);

 private:
  mutable std::mutex mu_;
  std::map<std::pair<std::string, int>, std::uint64_t> requests_;
  std::array<std::atomic<std::uint64_t>, kBuckets.size() + 1> buckets_{};
  std::atomic<std::uint64_t> count_{0};
  std::atomic<std::uint64_t> sum_us_{0};
  std::atomic<std::uint64_t> unknown_codes_{0};
  std::atomic<std::uint64_t> rate_limited_{0};
  std::atomic<std::uint64_t> unverifiable_{0};
  std::uint64_t checkpoint_seen_ = 0;  // under mu_
  std::chrono::steady_clock::time_point checkpoint_seen_at_ = std::chrono::steady_clock::now();  // under mu_
};

}  // namespace agtrace::verifier
