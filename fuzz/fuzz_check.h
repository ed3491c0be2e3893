// Shared helpers for the libFuzzer targets in fuzz/ (docs/security.md, "Fuzzing").
//
// A target feeds one input to a parser and then checks properties of what came back.
// Refusing input with agtrace::Error is the parsers' documented way to say no, so the
// targets catch that type only: any other exception (std::out_of_range, a nlohmann
// exception, std::logic_error) escapes to libFuzzer, which reports it as a crash, as
// main() would report it as a bug (exit 70). A broken property aborts with a message
// through FUZZ_CHECK.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace agtrace::fuzz {

// The fuzzer's bytes as text.
inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Reports a broken property and aborts, which libFuzzer records as a crash with the input.
[[noreturn]] inline void property_failed(const char* file, int line, const char* what) {
  std::fprintf(stderr, "%s:%d: property broken: %s\n", file, line, what);
  std::abort();
}

// Consumes bytes from the front of the input: small integers and flags for choosing
// modes, with the rest left as the text under test. Reads past the end give zeros.
class Reader {
 public:
  Reader(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  std::uint8_t byte() { return pos_ < size_ ? data_[pos_++] : 0; }
  std::uint16_t u16() {
    const std::uint16_t high = byte();
    return static_cast<std::uint16_t>(high << 8 | byte());
  }
  std::uint64_t u64() {
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v = v << 8 | byte();
    return v;
  }
  std::string_view rest() const { return {reinterpret_cast<const char*>(data_) + pos_, size_ - pos_}; }
  std::size_t remaining() const { return size_ - pos_; }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t pos_ = 0;
};

}  // namespace agtrace::fuzz

// Aborts (a libFuzzer crash) unless `cond` holds.
#define FUZZ_CHECK(cond) \
  ((cond) ? (void)0 : ::agtrace::fuzz::property_failed(__FILE__, __LINE__, #cond))
