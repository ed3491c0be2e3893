// Per-client rate limit (DESIGN §5): a token bucket per client key (the socket's remote
// address, or the forwarded address from a trusted proxy; see client_key()). A client
// may send `rate` requests per second on average and a burst of `burst`; beyond that it
// gets 429. Thread-safe; memory is bounded by forgetting idle clients.
#pragma once

#include <array>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace agtrace::verifier {

class RateLimiter {
 public:
  // `rate` requests per second (0 = no limit), `burst` tokens at most (at least 1).
  RateLimiter(double rate, double burst);

  bool enabled() const { return rate_ > 0; }
  // Takes one token for `key` at `now_ns` (a monotonic clock); false when none is left.
  bool allow(const std::string& key, std::int64_t now_ns);

 private:
  struct Bucket {
    double tokens = 0;
    std::int64_t last_ns = 0;
  };
  struct Shard {
    std::mutex mu;
    std::unordered_map<std::string, Bucket> buckets;
  };
  static constexpr std::size_t kShards = 16;
  static constexpr std::size_t kMaxClientsPerShard = 16384;

  double rate_, burst_;
  std::array<Shard, kShards> shards_;
};

// Parses "--rate-limit N/s" (also "N"): requests per second; 0 turns the limit off.
// Throws Error(bad_input) naming the flag.
double parse_rate(const std::string& text);

}  // namespace agtrace::verifier
