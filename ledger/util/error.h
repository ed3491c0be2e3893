// Errors, chosen by what the caller does next.
//
// Every failure agtrace reports is an agtrace::Error carrying one of three kinds.
// The kind alone decides the process exit status (DESIGN §8) and the HTTP status:
//   verification  (exit 1) — tampering, a bad signature, an inconsistent checkpoint,
//                            a code that is not genuine: alert a human.
//   bad_input     (exit 2) — fix the named field and try again; nothing was written.
//   environment   (exit 3) — printer unreachable, database busy or locked, disk full:
//                            try again later.
// Messages are written for the person who must act: the field, the value, the fix.
// Exceptions of other types are bugs; main() reports them and exits 70.
#pragma once

#include <stdexcept>
#include <string>

namespace agtrace {

enum class ErrorKind { verification = 1, bad_input = 2, environment = 3 };

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message)
      : std::runtime_error(message), kind_(kind) {}

  ErrorKind kind() const { return kind_; }
  // The process exit status for this error (DESIGN §8): 1, 2 or 3.
  int exit_status() const { return static_cast<int>(kind_); }

 private:
  ErrorKind kind_;
};

[[noreturn]] inline void throw_bad_input(const std::string& message) {
  throw Error(ErrorKind::bad_input, message);
}
[[noreturn]] inline void throw_verification(const std::string& message) {
  throw Error(ErrorKind::verification, message);
}
[[noreturn]] inline void throw_environment(const std::string& message) {
  throw Error(ErrorKind::environment, message);
}

}  // namespace agtrace
