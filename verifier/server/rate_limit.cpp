// Token buckets, sharded by key.
#include "verifier/server/rate_limit.h"

#include <fmt/format.h>

#include <algorithm>
#include <functional>

#include "ledger/util/error.h"

namespace agtrace::verifier {

RateLimiter::RateLimiter(double rate, double burst) : rate_(rate), burst_(std::max(burst, 1.0)) {}

bool RateLimiter::allow(const std::string& key, std::int64_t now_ns) {
  if (!enabled()) return true;
  Shard& shard = shards_[std::hash<std::string>{}(key) % kShards];
  std::lock_guard lock(shard.mu);
  auto it = shard.buckets.find(key);
  if (it == shard.buckets.end()) {
    if (shard.buckets.size() >= kMaxClientsPerShard) {
      // Forget clients whose bucket has refilled: they are as if new.
      auto full_after = static_cast<std::int64_t>(burst_ / rate_ * 1e9);
      std::erase_if(shard.buckets, [&](const auto& kv) { return now_ns - kv.second.last_ns > full_after; });
    }
    it = shard.buckets.emplace(key, Bucket{burst_, now_ns}).first;
  }
  Bucket& b = it->second;
  b.tokens = std::min(burst_, b.tokens + static_cast<double>(now_ns - b.last_ns) * 1e-9 * rate_);
  b.last_ns = now_ns;
  if (b.tokens < 1.0) return false;
  b.tokens -= 1.0;
  return true;
}

double parse_rate(const std::string& text) {
  std::string s = text;
  if (s.ends_with("/s")) s.resize(s.size() - 2);
  std::size_t used = 0;
  double v = -1;
  try {
    v = std::stod(s, &used);
  } catch (...) {
    used = 0;
  }
  if (s.empty() || used != s.size() || !(v >= 0) || v > 1e6)
    throw_bad_input(fmt::format("--rate-limit \"{}\": give requests per second per client, e.g. 20/s (0 = off)", text));
  return v;
}

}  // namespace agtrace::verifier
