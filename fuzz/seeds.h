// The test log behind the signed seeds in fuzz/corpus/note and fuzz/corpus/tlog_proof,
// which fuzz/make_seeds.cpp writes: a fixed log key, and leaf i holding "fuzz leaf <i>".
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "ledger/note/ed25519_key.h"

namespace agtrace::fuzz {

// The log key "fuzz.example/log", whose RFC 8032 seed is the bytes 1, 2, …, 32.
inline const note::SigningKey& seed_log_key() {
  static const note::SigningKey key = [] {
    std::array<std::uint8_t, 32> seed{};
    for (std::size_t i = 0; i < seed.size(); ++i) seed[i] = static_cast<std::uint8_t>(i + 1);
    return note::SigningKey::from_seed("fuzz.example/log", seed);
  }();
  return key;
}

// The bytes of the test log's leaf `index`.
inline std::string seed_leaf(std::uint64_t index) { return "fuzz leaf " + std::to_string(index); }

}  // namespace agtrace::fuzz
