// Prometheus text metrics (exposition format 0.0.4): requests by route and status, a
// request-latency histogram, scans counted, unknown codes, rate-limited requests.
// Route labels are fixed strings (never request data), so the series stay few.
// Thread-safe.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

namespace agtrace::verifier {

class Metrics {
 public:
  // Upper bounds of the latency buckets, in seconds.
  static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   0.5,   1,    2.5};

  void observe(std::string_view route, int status, double seconds);
  void unknown_code() { ++unknown_codes_; }
  void rate_limited() { ++rate_limited_; }
  void unverifiable() { ++unverifiable_; }

  // The exposition text; `scans`, the verified state's sizes and whether it is verified
  // (agtrace_verifier_verified 1, else 0: requests are refused) are sampled by the caller.
  std::string render(std::uint64_t scans, std::uint64_t ledger_size, std::uint64_t checkpoint_size,
                     bool verified) const;

 private:
  mutable std::mutex mu_;
  std::map<std::pair<std::string, int>, std::uint64_t> requests_;
  std::array<std::atomic<std::uint64_t>, kBuckets.size() + 1> buckets_{};
  std::atomic<std::uint64_t> count_{0};
  std::atomic<std::uint64_t> sum_us_{0};
  std::atomic<std::uint64_t> unknown_codes_{0};
  std::atomic<std::uint64_t> rate_limited_{0};
  std::atomic<std::uint64_t> unverifiable_{0};
};

}  // namespace agtrace::verifier
