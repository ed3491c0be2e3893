// File, folder, stdout and raw-TCP outputs.
#include "labeler/printer/output.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <netinet/tcp.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <deque>
#include <filesystem>
#include <vector>

#include "labeler/printer/status.h"
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
      synced_ = false;
      throw_environment(fmt::format("saving {}: {}", path_, errno_text(errno)));
    }
  }
  std::size_t written() override { return written_; }
  std::size_t confirmed() override { return synced_ ? written_ : 0; }
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
  bool synced_ = true;  // false once fsync failed
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
  std::size_t written() override { return written_; }
  std::size_t confirmed() override { return written_; }
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
  TcpOutput(std::string host, std::string port, std::chrono::milliseconds timeout, PrinterLanguage language,
            std::size_t confirm_every)
      : host_(std::move(host)),
        port_(std::move(port)),
        timeout_(timeout),
        language_(language),
        parser_(language),
        every_(std::max<std::size_t>(confirm_every, 1)) {
    connect_with_timeout();
  }
  ~TcpOutput() override {
    if (fd_ < 0) return;
    if (!finished_) {
      // Abort (RST): bytes still queued here must not reach the printer after the job
      // voided the labels it never wrote.
      linger l{1, 0};
      ::setsockopt(fd_, SOL_SOCKET, SO_LINGER, &l, sizeof l);
    }
    ::close(fd_);
  }
  std::string describe() const override { return fmt::format("tcp://{}:{}", host_, port_); }

  void check_ready() override {
    try {
      query();
      await_all();
    } catch (const Error& e) {
      throw Error(e.kind(), fmt::format("{}; 未记录任何标签 / nothing was recorded", e.what()));
    }
  }
  void write_preamble(std::string_view b) override { send_all(b); }
  void write_label(std::size_t, std::string_view, std::string_view b) override {
    read_answers();
    // At most two batches ahead of the last answer.
    while (written_ - confirmed_ >= 2 * every_ && !pending_.empty()) await_one();
    send_all(b);
    ++written_;
    if (written_ % every_ == 0) query();
  }
  void write_trailer(std::string_view b) override { send_all(b); }
  void finish() override {
    if (pending_.empty() ? confirmed_ != written_ : pending_.back() != written_) query();
    await_all();
    ::shutdown(fd_, SHUT_WR);
    finished_ = true;
  }
  void discard() override {}  // the destructor closes the unused connection
  std::size_t written() override { return written_; }
  std::size_t confirmed() override { return confirmed_; }

 private:
  std::string host_, port_;
  std::chrono::milliseconds timeout_;
  PrinterLanguage language_;
  StatusParser parser_;
  std::size_t every_;
  int fd_ = -1;
  bool finished_ = false;
  std::size_t written_ = 0, confirmed_ = 0;
  std::deque<std::size_t> pending_;  // for each query awaiting its answer: labels written before it

  void query() {
    send_all(status_query(language_));
    pending_.push_back(written_);
  }

  // One answer: confirms the labels before its query, or stops the job with the fault.
  void take(const PrinterStatus& st) {
    if (pending_.empty())
      throw_environment(fmt::format("打印机发来了未询问的状态应答 / {} sent a status answer nobody asked for: {}",
                                    describe(), st.raw));
    std::size_t before = pending_.front();
    pending_.pop_front();
    if (!st.ready())
      throw_environment(before == 0 ? fmt::format("{} ({})", st.problem(), describe())
                                    : fmt::format("{} ({}, 第 {} 张标签后 / after label {})", st.problem(), describe(),
                                                  before, before));
    confirmed_ = std::max(confirmed_, before);
  }

  // Reads what has arrived without waiting. Returns false when the printer closed the
  // connection (nothing more will arrive).
  bool read_answers() {
    char buf[4096];
    for (;;) {
      ssize_t n = ::recv(fd_, buf, sizeof buf, MSG_DONTWAIT);
      if (n > 0) {
        for (const auto& st : parser_.feed(std::string_view(buf, static_cast<std::size_t>(n)))) take(st);
        continue;
      }
      if (n == 0) return false;
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) return true;
      return false;  // reset: the send side reports it
    }
  }

  [[noreturn]] void closed() {
    throw_environment(fmt::format("打印机断开了连接 / the printer closed the connection ({})", describe()));
  }

  // Waits until the oldest query is answered.
  void await_one() {
    std::size_t waiting = pending_.size();
    auto deadline = std::chrono::steady_clock::now() + timeout_;
    while (pending_.size() == waiting) {
      if (!read_answers()) {
        if (pending_.size() != waiting) break;
        closed();
      }
      if (pending_.size() != waiting) break;
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0)
        throw_environment(fmt::format(
            "打印机 {} 毫秒内没有应答状态查询，请检查是否缺纸、碳带用完或打印头未合上 / the printer did not answer "
            "the status query ({}) within {} ms: check for paper out, ribbon out or an open head, and that it "
            "takes {} ({})",
            timeout_.count(), language_ == PrinterLanguage::zpl ? "~HS" : "<ESC>!?", timeout_.count(),
            language_ == PrinterLanguage::zpl ? "ZPL" : "TSPL", describe()));
      pollfd p{fd_, POLLIN, 0};
      ::poll(&p, 1, static_cast<int>(std::min<long>(left.count(), 100)));
    }
  }

  void await_all() {
    while (!pending_.empty()) await_one();
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
    if (fd_ < 0)
      throw_environment(fmt::format("打印机连不上 / {}: printer unreachable ({}); nothing was recorded", describe(), last));
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }

  void send_all(std::string_view b) {
    auto deadline = std::chrono::steady_clock::now() + timeout_;
    while (!b.empty()) {
      ssize_t n = ::send(fd_, b.data(), b.size(), MSG_NOSIGNAL);
      if (n > 0) {
        b.remove_prefix(static_cast<std::size_t>(n));
        deadline = std::chrono::steady_clock::now() + timeout_;
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        // The printer is not reading: take its answers meanwhile, and give up after the timeout.
        if (!read_answers()) closed();
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0)
          throw_environment(fmt::format("打印机 {} 毫秒内没有接收数据 / the printer took no data for {} ms ({})",
                                        timeout_.count(), timeout_.count(), describe()));
        pollfd p{fd_, POLLOUT | POLLIN, 0};
        ::poll(&p, 1, static_cast<int>(std::min<long>(left.count(), 100)));
        continue;
      }
      int err = errno;
      read_answers();  // answers that arrived before the printer hung up still confirm
      if (err == EPIPE || err == ECONNRESET) closed();
      throw_environment(fmt::format("{}: {}", describe(), errno_text(err)));
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
    auto language = printer_language(extension);
    if (!language)
      throw_bad_input(fmt::format("--format {}: a network printer takes --format zpl (Zebra) or tspl (TSC), whose "
                                  "status queries confirm each label; write {} with --out instead",
                                  extension, extension));
    return std::make_unique<TcpOutput>(host, port, spec.timeout, *language, spec.confirm_every);
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
