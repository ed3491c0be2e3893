// Counters and a histogram, rendered as Prometheus text.
#include "verifier/server/metrics.h"

#include <fmt/format.h>

#include <algorithm>

namespace agtrace::verifier {

void Metrics::observe(std::string_view route, int status, double seconds) {
  {
    std::lock_guard lock(mu_);
    ++requests_[{std::string(route), status}];
  }
  std::size_t i = 0;
  while (i < kBuckets.size() && seconds > kBuckets[i]) ++i;
  ++buckets_[i];
  ++count_;
  sum_us_ += static_cast<std::uint64_t>(seconds * 1e6);
}

std::string Metrics::render(const MetricsSample& s) {
  double checkpoint_age = 0;
  {
    std::lock_guard lock(mu_);
    auto now = std::chrono::steady_clock::now();
    if (s.checkpoint_size != checkpoint_seen_) {
      checkpoint_seen_ = s.checkpoint_size;
      checkpoint_seen_at_ = now;
    }
    checkpoint_age = std::chrono::duration<double>(now - checkpoint_seen_at_).count();
  }
  std::string out;
  out += "# HELP agtrace_http_requests_total HTTP requests by route and status.\n"
         "# TYPE agtrace_http_requests_total counter\n";
  {
    std::lock_guard lock(mu_);
    for (const auto& [key, n] : requests_)
      out += fmt::format("agtrace_http_requests_total{{route=\"{}\",status=\"{}\"}} {}\n", key.first, key.second, n);
  }
  out += "# HELP agtrace_http_request_duration_seconds Time to handle a request (before writing).\n"
         "# TYPE agtrace_http_request_duration_seconds histogram\n";
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    cumulative += buckets_[i].load();
    out += fmt::format("agtrace_http_request_duration_seconds_bucket{{le=\"{}\"}} {}\n", kBuckets[i], cumulative);
  }
  cumulative += buckets_[kBuckets.size()].load();
  out += fmt::format("agtrace_http_request_duration_seconds_bucket{{le=\"+Inf\"}} {}\n", cumulative);
  out += fmt::format("agtrace_http_request_duration_seconds_sum {:.6f}\n", static_cast<double>(sum_us_.load()) / 1e6);
  out += fmt::format("agtrace_http_request_duration_seconds_count {}\n", count_.load());
  out += fmt::format(
      "# HELP agtrace_scans_total Scans of genuine codes counted.\n# TYPE agtrace_scans_total counter\n"
      "agtrace_scans_total {}\n"
      "# HELP agtrace_unknown_codes_total Lookups of unknown or voided codes.\n"
      "# TYPE agtrace_unknown_codes_total counter\nagtrace_unknown_codes_total {}\n"
      "# HELP agtrace_rate_limited_total Requests refused with 429.\n"
      "# TYPE agtrace_rate_limited_total counter\nagtrace_rate_limited_total {}\n"
      "# HELP agtrace_unverifiable_total Requests refused with 503 because the ledger is not verified.\n"
      "# TYPE agtrace_unverifiable_total counter\nagtrace_unverifiable_total {}\n"
      "# HELP agtrace_verifier_verified 1 while the verifier answers from a verified state, 0 while it "
      "replays or refuses (see /healthz).\n"
      "# TYPE agtrace_verifier_verified gauge\nagtrace_verifier_verified {}\n"
      "# HELP agtrace_ledger_entries Entries verified.\n# TYPE agtrace_ledger_entries gauge\n"
      "agtrace_ledger_entries {}\n"
      "# HELP agtrace_checkpoint_size Size of the latest verified checkpoint.\n"
      "# TYPE agtrace_checkpoint_size gauge\nagtrace_checkpoint_size {}\n",
      s.scans, unknown_codes_.load(), rate_limited_.load(), unverifiable_.load(), s.verified ? 1 : 0, s.ledger_size,
      s.checkpoint_size);
  out += fmt::format(
      "# HELP agtrace_last_verified_entry Index of the last ledger entry verified (-1: none yet).\n"
      "# TYPE agtrace_last_verified_entry gauge\nagtrace_last_verified_entry {}\n"
      "# HELP agtrace_entries_awaiting_checkpoint Verified entries after the latest checkpoint.\n"
      "# TYPE agtrace_entries_awaiting_checkpoint gauge\nagtrace_entries_awaiting_checkpoint {}\n"
      "# HELP agtrace_checkpoint_age_seconds Seconds since this verifier first saw the latest checkpoint "
      "(since its start for the first one); with entries awaiting checkpoint, a growing value means the "
      "checkpoint timer is not running.\n"
      "# TYPE agtrace_checkpoint_age_seconds gauge\nagtrace_checkpoint_age_seconds {:.0f}\n"
      "# HELP agtrace_scan_commit_failures_total Failed commits of scan counts to the scans file.\n"
      "# TYPE agtrace_scan_commit_failures_total counter\nagtrace_scan_commit_failures_total {}\n"
      "# HELP agtrace_scan_commit_failing 1 while scan counts cannot be committed (/healthz answers 503).\n"
      "# TYPE agtrace_scan_commit_failing gauge\nagtrace_scan_commit_failing {}\n",
      static_cast<std::int64_t>(s.ledger_size) - 1, s.ledger_size - std::min(s.checkpoint_size, s.ledger_size),
      checkpoint_age, s.scan_commit_failures, s.scan_commit_failing ? 1 : 0);
  return out;
}

}  // namespace agtrace::verifier
