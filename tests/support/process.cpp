// Child processes with posix_spawn and a poll loop; scratch directories; file helpers.
#include "tests/support/process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <mutex>
#include <stdexcept>

extern char** environ;

namespace agtrace::testing {

namespace {

[[noreturn]] void fail_errno(const std::string& what) {
  throw std::runtime_error(what + ": " + std::strerror(errno));
}

// A pipe whose ends are closed on exec, so that children started concurrently by other
// threads never inherit (and hold open) each other's pipes.
struct Pipe {
  int read = -1, write = -1;
  Pipe() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) fail_errno("pipe2");
    read = fds[0];
    write = fds[1];
  }
};

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

// Writing to a child that exited without reading its input must fail with EPIPE, not
// kill the test with SIGPIPE. Set once for the whole test process.
void ignore_sigpipe() {
  static std::once_flag once;
  std::call_once(once, [] { ::signal(SIGPIPE, SIG_IGN); });
}

std::vector<std::string> child_environment(const RunOptions& options) {
  auto name_of = [](std::string_view entry) { return entry.substr(0, entry.find('=')); };
  auto replaced = [&](std::string_view name) {
    for (const auto& u : options.unset_env)
      if (u == name) return true;
    for (const auto& [k, v] : options.env)
      if (k == name) return true;
    return false;
  };
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e)
    if (!replaced(name_of(*e))) env.emplace_back(*e);
  for (const auto& [k, v] : options.env) env.push_back(k + "=" + v);
  return env;
}

std::vector<char*> c_strings(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

std::string tail(const std::string& s, std::size_t n) {
  return s.size() <= n ? s : "…" + s.substr(s.size() - n);
}

}  // namespace

std::string ProcessResult::describe() const {
  std::string cmd;
  for (const auto& a : argv) cmd += (cmd.empty() ? "" : " ") + (a.size() > 120 ? a.substr(0, 120) + "…" : a);
  std::string how;
  if (timed_out)
    how = "timed out and was killed";
  else if (term_signal)
    how = "was killed by signal " + std::to_string(term_signal) + " (" + ::strsignal(term_signal) + ")";
  else
    how = "exited with status " + std::to_string(exit_code);
  return "`" + cmd + "` " + how + "\n--- stderr:\n" + tail(err, 3000) + "\n--- stdout:\n" +
         tail(out, 1500);
}

Process::Process(std::vector<std::string> argv, RunOptions options) : argv_(std::move(argv)) {
  if (argv_.empty()) throw std::runtime_error("Process: empty argv");
  ignore_sigpipe();

  Pipe out, err;
  std::optional<Pipe> in;
  int in_child = -1;
  if (options.stdin_data) {
    in.emplace();
    in_child = in->read;
  } else {
    in_child = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (in_child < 0) fail_errno("open /dev/null");
  }

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in_child, 0);
  posix_spawn_file_actions_adddup2(&actions, out.write, 1);
  posix_spawn_file_actions_adddup2(&actions, err.write, 2);
  std::string cwd = options.cwd.string();
  if (!cwd.empty()) posix_spawn_file_actions_addchdir_np(&actions, cwd.c_str());

  // The child starts with default signal dispositions and nothing blocked, whatever the
  // test process did (it ignores SIGPIPE, for one).
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t all, none;
  sigfillset(&all);
  sigemptyset(&none);
  posix_spawnattr_setsigdefault(&attr, &all);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);

  std::vector<std::string> args = argv_;
  std::vector<std::string> env = child_environment(options);
  auto c_args = c_strings(args);
  auto c_env = c_strings(env);
  bool search = argv_[0].find('/') == std::string::npos;
  int rc = search ? ::posix_spawnp(&pid_, c_args[0], &actions, &attr, c_args.data(), c_env.data())
                  : ::posix_spawn(&pid_, c_args[0], &actions, &attr, c_args.data(), c_env.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  close_fd(in_child);
  close_fd(out.write);
  close_fd(err.write);
  if (rc != 0) {
    if (in) close_fd(in->write);
    close_fd(out.read);
    close_fd(err.read);
    errno = rc;
    fail_errno("cannot start " + argv_[0]);
  }

  int in_fd = in ? in->write : -1;
  if (in_fd >= 0) ::fcntl(in_fd, F_SETFL, ::fcntl(in_fd, F_GETFL) | O_NONBLOCK);
  io_ = std::thread([this, in_fd, out_fd = out.read, err_fd = err.read,
                     data = options.stdin_data.value_or(""), timeout = options.timeout]() mutable {
    using clock = std::chrono::steady_clock;
    const auto deadline = clock::now() + timeout;
    std::size_t written = 0;
    if (in_fd >= 0 && data.empty()) close_fd(in_fd);
    char buf[65536];
    // After the timeout's SIGKILL, output is drained for a little longer, then abandoned
    // (a grandchild could hold the pipes open forever).
    auto give_up = deadline + std::chrono::seconds(10);
    while (out_fd >= 0 || err_fd >= 0) {
      enum Role { kOut, kErr, kIn };
      pollfd fds[3];
      Role roles[3];
      int n = 0;
      if (out_fd >= 0) fds[n] = {out_fd, POLLIN, 0}, roles[n++] = kOut;
      if (err_fd >= 0) fds[n] = {err_fd, POLLIN, 0}, roles[n++] = kErr;
      if (in_fd >= 0) fds[n] = {in_fd, POLLOUT, 0}, roles[n++] = kIn;
      auto until = timed_out_ ? give_up : deadline;
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - clock::now());
      int ready = ::poll(fds, static_cast<nfds_t>(n),
                         static_cast<int>(std::max<std::int64_t>(0, left.count())));
      if (ready < 0 && errno == EINTR) continue;
      if (ready == 0) {
        if (timed_out_) break;
        timed_out_ = true;
        ::kill(pid_, SIGKILL);  // not reaped yet, so pid_ is still this child
        continue;
      }
      for (int i = 0; i < n; ++i) {
        if (fds[i].revents == 0) continue;
        if (roles[i] == kIn) {
          ssize_t w = ::write(in_fd, data.data() + written, data.size() - written);
          if (w > 0) written += static_cast<std::size_t>(w);
          if ((w < 0 && errno != EAGAIN && errno != EINTR) || written == data.size()) close_fd(in_fd);
          continue;
        }
        int& fd = roles[i] == kOut ? out_fd : err_fd;
        std::string& sink = roles[i] == kOut ? out_ : err_;
        ssize_t r = ::read(fd, buf, sizeof buf);
        if (r > 0)
          sink.append(buf, static_cast<std::size_t>(r));
        else if (r == 0 || (errno != EINTR && errno != EAGAIN))
          close_fd(fd);
      }
    }
    close_fd(out_fd);
    close_fd(err_fd);
    close_fd(in_fd);
  });
}

Process::~Process() {
  if (!reaped_) kill(SIGKILL);
  try {
    wait();
  } catch (const std::exception& e) {
    std::cerr << "Process: " << e.what() << "\n";  // a destructor must not throw
  }
}

bool Process::running() const {
  if (reaped_) return false;
  siginfo_t info{};
  if (::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT) != 0) return false;
  return info.si_pid == 0;
}

void Process::kill(int signal) {
  if (!reaped_) ::kill(pid_, signal);
}

ProcessResult Process::wait() {
  if (io_.joinable()) io_.join();
  ProcessResult r;
  r.argv = argv_;
  if (reaped_) return r;
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0) {
    if (errno != EINTR) fail_errno("waitpid");
  }
  reaped_ = true;
  if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) r.term_signal = WTERMSIG(status);
  r.timed_out = timed_out_;
  r.out = std::move(out_);
  r.err = std::move(err_);
  return r;
}

ProcessResult run(std::vector<std::string> argv, RunOptions options) {
  return Process(std::move(argv), std::move(options)).wait();
}

TempDir::TempDir(std::string_view prefix) {
  const char* base = std::getenv("TMPDIR");
  std::string tmpl = std::string(base && *base ? base : "/tmp") + "/" + std::string(prefix) + "-XXXXXX";
  if (!::mkdtemp(tmpl.data())) fail_errno("mkdtemp " + tmpl);
  path_ = tmpl;
}

TempDir::~TempDir() {
  if (std::getenv("AGTRACE_KEEP_TEST_DIRS")) {
    std::cerr << "kept test directory " << path_ << "\n";
    return;
  }
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

void write_file(const std::filesystem::path& path, std::string_view bytes, int mode) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) fail_errno("open " + path.string());
  std::size_t done = 0;
  while (done < bytes.size()) {
    ssize_t w = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) {
      ::close(fd);
      fail_errno("write " + path.string());
    }
    done += static_cast<std::size_t>(w);
  }
  if (::fchmod(fd, static_cast<mode_t>(mode)) != 0 || ::close(fd) != 0)
    fail_errno("fchmod/close " + path.string());
}

std::string read_file(const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) fail_errno("open " + path.string());
  std::string data;
  char buf[65536];
  for (;;) {
    ssize_t r = ::read(fd, buf, sizeof buf);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) {
      ::close(fd);
      fail_errno("read " + path.string());
    }
    if (r == 0) break;
    data.append(buf, static_cast<std::size_t>(r));
  }
  ::close(fd);
  return data;
}

}  // namespace agtrace::testing
