// doctest helpers for the core's unit tests: the message of an expected agtrace::Error.
#pragma once

#include <doctest/doctest.h>

#include <functional>
#include <string>

#include "ledger/util/error.h"

namespace agtrace::testing {

// The message of the bad_input error `f` throws; fails the test otherwise.
inline std::string bad_input_message(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::bad_input);
    return e.what();
  }
  FAIL("no agtrace::Error was thrown");
  return {};
}

inline bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace agtrace::testing
