// Printer status polling (printers.h).
#include "station/printers.h"

#include <fmt/format.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "ledger/util/error.h"

namespace agtrace::station {
namespace {

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

labeler::PrinterStatus query_status(const std::string& url, labeler::PrinterLanguage language,
                                    std::chrono::milliseconds timeout) {
  constexpr std::string_view kScheme = "tcp://";
  if (url.rfind(kScheme, 0) != 0 || url.rfind(':') <= kScheme.size())
    throw_bad_input(fmt::format("{}: use tcp://HOST:PORT", url));
  std::string host = url.substr(kScheme.size(), url.rfind(':') - kScheme.size());
  std::string port = url.substr(url.rfind(':') + 1);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  if (int rc = ::getaddrinfo(host.c_str(), port.c_str(), &hints, &res); rc != 0)
    throw_environment(fmt::format("打印机地址无法解析 / {}: cannot resolve the host: {}", url, gai_strerror(rc)));
  auto deadline = std::chrono::steady_clock::now() + timeout;
  auto left_ms = [&] {
    return static_cast<int>(std::max<long>(
        0, std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count()));
  };
  Fd s;
  std::string last = "no address";
  for (addrinfo* ai = res; ai && s.fd < 0; ai = ai->ai_next) {
    int fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
    if (fd < 0) continue;
    int r = ::connect(fd, ai->ai_addr, ai->ai_addrlen);
    if (r != 0 && errno == EINPROGRESS) {
      pollfd p{fd, POLLOUT, 0};
      int err = 0;
      socklen_t len = sizeof err;
      if (::poll(&p, 1, left_ms()) == 1 && ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == 0) r = 0;
      else last = err ? std::strerror(err) : "no answer";
    } else if (r != 0) {
      last = std::strerror(errno);
    }
    if (r == 0) s.fd = fd;
    else ::close(fd);
  }
  ::freeaddrinfo(res);
  if (s.fd < 0) throw_environment(fmt::format("打印机连不上，请检查电源和网线 / printer unreachable ({}): {}", url, last));
  std::string_view q = labeler::status_query(language);
  if (::send(s.fd, q.data(), q.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(q.size()))
    throw_environment(fmt::format("打印机连不上，请检查电源和网线 / printer unreachable ({}): {}", url, std::strerror(errno)));
  labeler::StatusParser parser(language);
  char buf[1024];
  for (;;) {
    pollfd p{s.fd, POLLIN, 0};
    int ms = left_ms();
    if (ms <= 0 || ::poll(&p, 1, ms) != 1) break;
    ssize_t n = ::recv(s.fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    auto answers = parser.feed(std::string_view(buf, static_cast<std::size_t>(n)));
    if (!answers.empty()) return answers.front();
  }
  throw_environment(fmt::format(
      "打印机没有应答状态查询：请查看是否缺纸、碳带用完或打印头未合上 / the printer did not answer its status query "
      "({}): check for paper out, ribbon out or an open head",
      url));
}

PrinterView view_of(const std::string& name, const labeler::PrinterStatus& st, std::int64_t now) {
  PrinterView v;
  v.name = name;
  v.checked_ms = now;
  v.ready = st.ready();
  v.state = v.ready          ? "ready"
            : st.paper_out   ? "paper_out"
            : st.ribbon_out  ? "ribbon_out"
            : st.head_open   ? "head_open"
            : st.paused      ? "paused"
                             : "fault";
  v.text = v.ready ? "就绪 / ready" : st.problem();
  return v;
}

PrinterMonitor::PrinterMonitor(const std::vector<PrinterConfig>& printers) {
  for (const auto& p : printers) {
    Slot s;
    s.config = p;
    s.view.name = p.name;
    s.view.state = "unknown";
    s.view.text = "正在查询打印机状态 / asking the printer";
    slots_.emplace(p.name, std::move(s));
  }
  for (const auto& p : printers) threads_.emplace_back([this, name = p.name] { run(name); });
}

PrinterMonitor::~PrinterMonitor() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  for (auto& t : threads_) t.join();
}

std::vector<PrinterView> PrinterMonitor::snapshot() {
  std::lock_guard lock(mu_);
  std::vector<PrinterView> out;
  for (const auto& [name, s] : slots_) out.push_back(s.view);
  return out;
}

PrinterView PrinterMonitor::view(const std::string& name) {
  std::lock_guard lock(mu_);
  auto it = slots_.find(name);
  return it == slots_.end() ? PrinterView{} : it->second.view;
}

void PrinterMonitor::set_busy(const std::string& name, bool busy) {
  {
    std::lock_guard lock(mu_);
    auto it = slots_.find(name);
    if (it == slots_.end()) return;
    it->second.busy = busy;
    if (busy) {
      it->second.view.state = "printing";
      it->second.view.ready = true;  // more jobs may queue behind this one
      it->second.view.text = "打印中 / printing";
    } else {
      it->second.poke = true;
    }
  }
  cv_.notify_all();
}

void PrinterMonitor::run(const std::string& name) {
  using namespace std::chrono_literals;
  constexpr auto kFast = 2000ms, kSlowest = 30000ms;
  auto interval = kFast;
  std::unique_lock lock(mu_);
  while (!stop_) {
    Slot& slot = slots_.at(name);
    if (!slot.busy) {
      PrinterConfig c = slot.config;
      lock.unlock();
      PrinterView v;
      bool answered = false;
      try {
        auto lang = c.language == "zpl" ? labeler::PrinterLanguage::zpl : labeler::PrinterLanguage::tspl;
        v = view_of(c.name, query_status(c.url, lang, 3000ms), now_ms());
        answered = true;
      } catch (const Error& e) {
        v.name = c.name;
        v.checked_ms = now_ms();
        v.state = std::string(e.what()).find("连不上") != std::string::npos ? "unreachable" : "not_answering";
        v.text = e.what();
      }
      lock.lock();
      Slot& again = slots_.at(name);
      if (!again.busy) again.view = v;
      interval = answered ? kFast : std::min(interval * 2, std::chrono::milliseconds(kSlowest));
    }
    Slot& s = slots_.at(name);
    s.poke = false;
    cv_.wait_for(lock, interval, [&] { return stop_ || slots_.at(name).poke; });
  }
}

}  // namespace agtrace::station
