// Running programs from tests, and scratch directories that clean up after themselves.
//
// Integration tests drive the real binaries (agtrace-ledger, agtrace-labeler, …) as child
// processes, the way a clerk's script or a regulator would: arguments in, exit status,
// standard output and standard error out. run() does that in one call; Process starts a
// program and hands back control, for tests that must kill it midway or run several at
// once.
//
// Children are started with posix_spawn, so these helpers may be used from several threads
// at once (each Process from one thread). Their standard output and error are drained by a
// thread of the Process as they are written, so a chatty child never blocks on a full pipe.
// Every child is killed after its timeout (SIGKILL), so a hung program fails its test
// instead of hanging ctest.
//
// Failures to start a program (no such file, no more processes) throw std::runtime_error;
// how the program ended is never an exception — the test judges the ProcessResult.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace agtrace::testing {

struct RunOptions {
  // Bytes for the child's standard input; nullopt connects it to /dev/null.
  std::optional<std::string> stdin_data;
  // Variables set (or replaced) in the child's environment; the rest is inherited.
  std::vector<std::pair<std::string, std::string>> env;
  // Variables removed from the child's environment (e.g. AGTRACE_LEDGER).
  std::vector<std::string> unset_env;
  // Working directory of the child; empty inherits the test's.
  std::filesystem::path cwd;
  // The child is killed with SIGKILL when it runs longer than this.
  std::chrono::milliseconds timeout{std::chrono::seconds(60)};
};

// How a child ended and what it wrote.
struct ProcessResult {
  std::vector<std::string> argv;
  int exit_code = -1;      // the exit status if the child exited normally, else -1
  int term_signal = 0;     // the signal that ended it (e.g. SIGSEGV, SIGKILL), else 0
  bool timed_out = false;  // it ran past RunOptions::timeout and was killed
  std::string out;         // everything written to standard output
  std::string err;         // everything written to standard error

  // True if the child exited normally with status `code`.
  bool exited_with(int code) const { return term_signal == 0 && exit_code == code; }
  // One paragraph for a failure message: the command, how it ended, and the tail of its
  // standard error and output.
  std::string describe() const;
};

// A running child process. Construction starts it; wait() collects it. The destructor
// kills (SIGKILL) and reaps a child that is still running, so a failing test leaves no
// stray process behind.
class Process {
 public:
  // Starts argv[0] (a path; PATH is searched when it has no '/') with the arguments
  // argv[1..]. Throws std::runtime_error if argv is empty or the program cannot start.
  explicit Process(std::vector<std::string> argv, RunOptions options = {});
  ~Process();
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  pid_t pid() const { return pid_; }
  // True while the child has not ended. Never reaps it: pid() stays valid until wait().
  bool running() const;
  // Sends `signal` to the child (a no-op once it has been reaped by wait()).
  void kill(int signal);
  // Waits until the child ends (or its timeout kills it) and its output is drained, reaps
  // it and returns what happened. Call at most once.
  ProcessResult wait();

 private:
  std::vector<std::string> argv_;
  pid_t pid_ = -1;
  bool reaped_ = false;
  bool timed_out_ = false;
  std::string out_, err_;
  std::thread io_;
};

// Runs a program to completion: Process(argv, options).wait().
ProcessResult run(std::vector<std::string> argv, RunOptions options = {});

// A fresh directory under $TMPDIR (or /tmp), removed with everything in it when the
// TempDir is destroyed — unless AGTRACE_KEEP_TEST_DIRS is set in the environment, in
// which case it is kept and its path printed, for post-mortems. Throws std::runtime_error
// if the directory cannot be created.
class TempDir {
 public:
  explicit TempDir(std::string_view prefix = "agtrace-test");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(std::string_view name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

// Writes `bytes` to `path` (replacing it), then sets its permission bits to `mode`.
// Throws std::runtime_error on failure.
void write_file(const std::filesystem::path& path, std::string_view bytes, int mode = 0644);
// The whole content of `path`. Throws std::runtime_error if it cannot be read.
std::string read_file(const std::filesystem::path& path);

}  // namespace agtrace::testing
