// Counted nouns for messages: "1 event", "2 events", "1 entry", "3 entries".
#pragma once

#include <fmt/format.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace agtrace {

// `n` followed by `one` when n is 1, else by `many`.
inline std::string counted(std::uint64_t n, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

}  // namespace agtrace
