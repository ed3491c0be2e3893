// File, folder, stdout and raw-TCP outputs.
#include "labeler/printer/output.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <linux/tcp.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <thread>
#include <vector>

#include "ledger/util/error.h"

namespace agtrace::labeler {
namespace {

namespace fs = std::filesystem;

std::string errno_text(int e) { return std::strerror(e); }

// Writes all of `bytes` to `fd`; throws Error(environment) naming `what`.
void write_all(int fd, std::string_view bytes, const std::string& what) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_environment(fmt::format("writing {}: {}", what, errno_text(errno)));
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

class StreamOutput final : public Output {
 public:
  // `created_dir`: the folder opening created for this file (removed by discard()).
  StreamOutput(int fd, std::string path, bool owns, fs::path created_dir = {})
      : fd_(fd), path_(std::move(path)), owns_(owns), created_dir_(std::move(created_dir)) {}
  ~StreamOutput() override {
    if (owns_ && fd_ >= 0) ::close(fd_);
  }
  std::string describe() const override { return owns_ ? "file:" + path_ : "stdout"; }
  void write_preamble(std::string_view b) override { write_all(fd_, b, describe()); }
  void write_label(std::size_t, std::string_view, std::string_view b) override {
    write_all(fd_, b, describe());
    ++written_;
  }
  void write_trailer(std::string_view b) override { write_all(fd_, b, describe()); }
  void finish() override {
    if (!owns_) return;
    int fd = fd_;
    fd_ = -1;
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
      written_ = 0;
      throw_environment(fmt::format("saving {}: {}", path_, errno_text(errno)));
    }
  }
  std::size_t delivered() override { return written_; }
  void discard() override {
    if (!owns_ || fd_ < 0) return;
    ::close(fd_);
    fd_ = -1;
    ::unlink(path_.c_str());
    std::error_code ignored;
    if (!created_dir_.empty()) fs::remove(created_dir_, ignored);
  }

 private:
  int fd_;
  std::string path_;
  bool owns_;
  fs::path created_dir_;
  std::size_t written_ = 0;
};

class FolderOutput final : public Output {
 public:
  FolderOutput(fs::path dir, std::string ext, bool created)
      : dir_(std::move(dir)), ext_(std::move(ext)), created_(created) {}
  std::string describe() const override { return "folder:" + dir_.string(); }
  void write_preamble(std::string_view) override {}
  void write_label(std::size_t index, std::string_view serial, std::string_view b) override {
    fs::path path = dir_ / fmt::format("{:05}-{}.{}", index + 1, serial, ext_);
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) throw_environment(fmt::format("creating {}: {}", path.string(), errno_text(errno)));
    try {
      write_all(fd, b, path.string());
    } catch (...) {
      ::close(fd);
      throw;
    }
    if (::close(fd) != 0) throw_environment(fmt::format("saving {}: {}", path.string(), errno_text(errno)));
    ++written_;
  }
  void write_trailer(std::string_view) override {}
  void finish() override {}
  std::size_t delivered() override { return written_; }
  void discard() override {
    std::error_code ec;
    if (created_ && written_ == 0) fs::remove(dir_, ec);  // only while empty
  }

 private:
  fs::path dir_;
  std::string ext_;
  bool created_;
  std::size_t written_ = 0;
};

class TcpOutput final : public Output {
 public:
  TcpOutput(std::string host, std::string port, std::chrono::milliseconds timeout)
      : host_(std::move(host)), port_(std::move(port)), timeout_(timeout) {
    connect_with_timeout();
  }
  ~TcpOutput() override {
    if (fd_ < 0) return;
    if (!finished_) {
      // Abort (RST): bytes still queued here must not reach the printer after the job
      // counted them undelivered and voided their codes.
      linger l{1, 0};
      ::setsockopt(fd_, SOL_SOCKET, SO_LINGER, &l, sizeof l);
    }
    ::close(fd_);
  }
  std::string describe() const override { return fmt::format("tcp://{}:{}", host_, port_); }
  void write_preamble(std::string_view b) override { send_all(b); }
  void write_label(std::size_t, std::string_view, std::string_view b) override {
    send_all(b);
    ends_.push_back(sent_);
  }
  void write_trailer(std::string_view b) override { send_all(b); }
  void finish() override {
    // The job is delivered when the printer has acknowledged every byte.
    auto deadline = std::chrono::steady_clock::now() + timeout_;
    while (acked() < sent_) {
      check_socket_error();
      if (std::chrono::steady_clock::now() > deadline)
        throw_environment(fmt::format("{}: the printer acknowledged {} of {} bytes within {} ms", describe(),
                                      acked(), sent_, timeout_.count()));
      std::this_thread::sleep_for(std::chrono::microseconds(500));
    }
    ::shutdown(fd_, SHUT_WR);
    finished_ = true;
  }
  void discard() override {}  // the destructor closes the unused connection
  std::size_t delivered() override {
    std::uint64_t a = acked();
    std::size_t n = 0;
    while (n < ends_.size() && ends_[n] <= a) ++n;
    return n;
  }

 private:
  std::string host_, port_;
  std::chrono::milliseconds timeout_;
  int fd_ = -1;
  std::uint64_t sent_ = 0;
  std::uint64_t acked_max_ = 0;
  bool finished_ = false;
  std::vector<std::uint64_t> ends_;  // byte offset after each label

  std::uint64_t acked() {
    tcp_info info{};
    socklen_t len = sizeof info;
    if (::getsockopt(fd_, IPPROTO_TCP, TCP_INFO, &info, &len) == 0 &&
        len >= offsetof(tcp_info, tcpi_bytes_acked) + sizeof info.tcpi_bytes_acked)
      acked_max_ = std::max<std::uint64_t>(acked_max_, info.tcpi_bytes_acked);
    return acked_max_;
  }

  void check_socket_error() {
    int err = 0;
    socklen_t len = sizeof err;
    ::getsockopt(fd_, SOL_SOCKET, SO_ERROR, &err, &len);
    if (err) throw_environment(fmt::format("{}: {}", describe(), errno_text(err)));
    char c;
    ssize_t n = ::recv(fd_, &c, 1, MSG_DONTWAIT | MSG_PEEK);
    if (n == 0 && acked() < sent_)
      throw_environment(fmt::format("{}: the printer closed the connection after {} of {} bytes", describe(),
                                    acked(), sent_));
  }

  void connect_with_timeout() {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* res = nullptr;
    int rc = ::getaddrinfo(host_.c_str(), port_.c_str(), &hints, &res);
    if (rc != 0) throw_environment(fmt::format("{}: cannot resolve host: {}", describe(), gai_strerror(rc)));
    std::string last = "no address";
    for (addrinfo* ai = res; ai; ai = ai->ai_next) {
      int fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
      if (fd < 0) continue;
      int r = ::connect(fd, ai->ai_addr, ai->ai_addrlen);
      if (r != 0 && errno == EINPROGRESS) {
        pollfd p{fd, POLLOUT, 0};
        int pr = ::poll(&p, 1, static_cast<int>(timeout_.count()));
        int err = 0;
        socklen_t len = sizeof err;
        if (pr == 1 && ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == 0) r = 0;
        else last = pr == 0 ? fmt::format("no answer within {} ms", timeout_.count()) : errno_text(err ? err : errno);
      } else if (r != 0) {
        last = errno_text(errno);
      }
      if (r == 0) {
        fd_ = fd;
        break;
      }
      ::close(fd);
    }
    ::freeaddrinfo(res);
    if (fd_ < 0) throw_environment(fmt::format("{}: printer unreachable ({}); nothing was recorded", describe(), last));
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }

  void send_all(std::string_view b) {
    while (!b.empty()) {
      ssize_t n = ::send(fd_, b.data(), b.size(), MSG_NOSIGNAL);
      if (n > 0) {
        b.remove_prefix(static_cast<std::size_t>(n));
        sent_ += static_cast<std::uint64_t>(n);
        acked();
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        // Wait in short slices, sampling the acknowledged count: after a reset the kernel
        // no longer reports it, so the last sample is what counts as delivered.
        auto deadline = std::chrono::steady_clock::now() + timeout_;
        for (;;) {
          pollfd p{fd_, POLLOUT, 0};
          int pr = ::poll(&p, 1, 1);
          acked();
          if (pr < 0 && errno != EINTR) throw_environment(fmt::format("{}: {}", describe(), errno_text(errno)));
          if (pr > 0 && (p.revents & (POLLERR | POLLHUP))) check_socket_error();
          if (pr > 0) break;
          if (std::chrono::steady_clock::now() > deadline)
            throw_environment(fmt::format("{}: the printer took no data for {} ms", describe(), timeout_.count()));
        }
        continue;
      }
      throw_environment(fmt::format("{}: {}", describe(), errno_text(errno)));
    }
  }
};

// An --out that cannot be created: the operator's to fix (exit 2) when the path is wrong
// (no such folder, not writable, a file where a folder should be); the machine's (exit 3)
// otherwise (disk full, I/O error).
[[noreturn]] void fail_out(const std::string& out, std::string_view what, int err) {
  switch (err) {
    case ENOENT:
    case ENOTDIR:
    case EISDIR:
    case EEXIST:
    case EACCES:
    case EPERM:
    case EROFS:
    case ENAMETOOLONG:
      throw_bad_input(fmt::format("--out {}: {}: {}; give a path in a folder that exists and that you may write to",
                                  out, what, errno_text(err)));
    default:
      throw_environment(fmt::format("--out {}: {}: {}", out, what, errno_text(err)));
  }
}

}  // namespace

std::unique_ptr<Output> open_output(const OutputSpec& spec, std::string_view extension, bool file_per_label,
                                    std::size_t count, std::string_view stem) {
  if (spec.out.empty() == spec.printer.empty())
    throw_bad_input("give either --out PATH (a file, a folder or - for stdout) or --printer tcp://HOST:PORT");
  if (!spec.printer.empty()) {
    constexpr std::string_view kScheme = "tcp://";
    std::string_view rest = spec.printer;
    if (rest.substr(0, kScheme.size()) != kScheme)
      throw_bad_input(fmt::format("--printer {}: use tcp://HOST:PORT (raw TCP, usually port 9100)", spec.printer));
    rest.remove_prefix(kScheme.size());
    std::string host, port = "9100";
    if (!rest.empty() && rest.front() == '[') {
      auto close = rest.find(']');
      if (close == std::string_view::npos) throw_bad_input(fmt::format("--printer {}: unclosed '['", spec.printer));
      host = std::string(rest.substr(1, close - 1));
      rest.remove_prefix(close + 1);
      if (!rest.empty() && rest.front() == ':') port = std::string(rest.substr(1));
    } else {
      auto colon = rest.rfind(':');
      host = std::string(rest.substr(0, colon));
      if (colon != std::string_view::npos) port = std::string(rest.substr(colon + 1));
    }
    if (host.empty() || port.empty() || port.find_first_not_of("0123456789") != std::string::npos || port.size() > 5)
      throw_bad_input(fmt::format("--printer {}: use tcp://HOST:PORT", spec.printer));
    return std::make_unique<TcpOutput>(host, port, spec.timeout);
  }
  if (spec.out == "-") {
    if (file_per_label && count > 1)
      throw_bad_input(fmt::format("--out -: {} makes one file per label; give a folder for {} labels", extension, count));
    return std::make_unique<StreamOutput>(STDOUT_FILENO, "-", false);
  }
  fs::path path(spec.out);
  std::error_code ec;
  // A folder: one that exists, a path ending in '/', or — for one file per label and several
  // labels — any path not named like a single file of this format.
  bool is_dir = fs::is_directory(path, ec) || spec.out.back() == '/' ||
                (file_per_label && count > 1 && path.extension() != fmt::format(".{}", extension));
  // Only the last component is ever created (the output folder or file); a missing parent
  // is the operator's to create, so a typo cannot scatter folders over the filesystem.
  fs::path last = path.lexically_normal();
  if (!last.has_filename()) last = last.parent_path();  // "dir/" names dir
  fs::path parent = last.has_relative_path() ? last.parent_path() : last;
  if (parent.empty()) parent = ".";
  if (!fs::is_directory(parent, ec))
    throw_bad_input(fmt::format("--out {}: the folder {} does not exist; create the parent folder first",
                                spec.out, parent.string()));
  fs::path created_dir;  // the folder opening created, if any
  if (is_dir) {
    bool created = !fs::is_directory(path, ec) && fs::create_directory(path, ec);
    if (ec) fail_out(spec.out, "cannot create the folder", ec.value());
    if (file_per_label) return std::make_unique<FolderOutput>(path, std::string(extension), created);
    if (created) created_dir = path;
    path /= fmt::format("{}.{}", stem, extension);
  } else if (file_per_label && count > 1) {
    throw_bad_input(fmt::format("--out {}: {} makes one file per label; give a folder (not a .{} file) for {} labels",
                                spec.out, extension, extension, count));
  }
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    int err = errno;
    std::error_code ignored;
    if (!created_dir.empty()) fs::remove(created_dir, ignored);
    fail_out(path.string(), "cannot create the file", err);
  }
  return std::make_unique<StreamOutput>(fd, path.string(), true, created_dir);
}

}  // namespace agtrace::labeler
