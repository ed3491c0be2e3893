// A fake Zebra for station tests (fake_printer.h).
#include "station/tests/fake_printer.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <stdexcept>

namespace agtrace::station::testing {

FakeZebra::FakeZebra(const std::string& host, int port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  if (port < 0 || port > 65535 || ::inet_pton(AF_INET, host.c_str(), &a.sin_addr) != 1)
    throw std::runtime_error(fmt::format("fake printer: {}:{} is not an IPv4 address and port", host, port));
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(fd_, 16) != 0) {
    ::close(fd_);
    throw std::runtime_error(fmt::format("fake printer: cannot listen on {}:{}", host, port));
  }
  socklen_t len = sizeof a;
  ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
  port_ = ntohs(a.sin_port);
  accept_ = std::thread([this] {
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 100) != 1) continue;
      int c = ::accept(fd_, nullptr, nullptr);
      if (c < 0) continue;
      std::lock_guard lock(mu_);
      streams_.emplace_back();
      conns_.emplace_back([this, c, slot = streams_.size() - 1] { serve(c, slot); });
    }
  });
}

FakeZebra::~FakeZebra() {
  stop_ = true;
  accept_.join();
  ::close(fd_);
  std::lock_guard lock(mu_);
  for (auto& t : conns_) t.join();
}

void FakeZebra::set_status_file(const std::string& path) {
  std::lock_guard lock(mu_);
  status_file_ = path;
}

void FakeZebra::read_status_file() {
  std::string path;
  {
    std::lock_guard lock(mu_);
    path = status_file_;
  }
  if (path.empty()) return;
  std::ifstream f(path);
  std::string word;
  if (!(f >> word)) return;
  // The file names the whole state: one fault at a time, or none.
  if (word != "paper-out" && word != "ribbon-out" && word != "ready") return;
  paper_out_ = word == "paper-out";
  ribbon_out_ = word == "ribbon-out";
}

std::string FakeZebra::received() {
  std::lock_guard lock(mu_);
  return received_;
}

std::size_t FakeZebra::received_size() {
  std::lock_guard lock(mu_);
  return received_.size();
}

std::string FakeZebra::received_since(std::size_t offset) {
  std::lock_guard lock(mu_);
  return offset >= received_.size() ? std::string() : received_.substr(offset);
}

namespace {

// How many times `mark` occurs in `text` before offset `end`.
std::size_t count_before(const std::string& text, const std::string& mark, std::size_t end) {
  std::size_t n = 0;
  for (std::size_t at = 0; (at = text.find(mark, at)) != std::string::npos && at < end; at += mark.size()) ++n;
  return n;
}

}  // namespace

std::size_t FakeZebra::labels() {
  std::string all = received();
  return count_before(all, label_mark(), all.size());
}

std::vector<std::string> FakeZebra::streams() {
  std::lock_guard lock(mu_);
  return streams_;
}

void FakeZebra::serve(int c, std::size_t slot) {
  const std::string query = tspl_ ? "\x1B!?" : "~HS", mark = label_mark();
  std::string mine;
  std::size_t scanned = 0;
  char buf[4096];
  while (!stop_) {
    pollfd p{c, POLLIN, 0};
    if (::poll(&p, 1, 100) != 1) continue;
    ssize_t n = ::read(c, buf, sizeof buf);
    if (n <= 0) break;
    mine.append(buf, static_cast<std::size_t>(n));
    {
      std::lock_guard lock(mu_);
      received_.append(buf, static_cast<std::size_t>(n));
      streams_[slot].append(buf, static_cast<std::size_t>(n));
    }
    bool hang = false;
    for (std::size_t at; (at = mine.find(query, scanned)) != std::string::npos;) {
      scanned = at + query.size();
      const std::size_t labels_before = count_before(mine, mark, at);
      if (labels_before >= stop_reading_after_) {
        hang = true;
        break;
      }
      read_status_file();
      bool out = paper_out_ || labels_before >= paper_out_after_;
      std::string a;
      if (tspl_) {
        a.push_back(static_cast<char>((out ? 0x04 : 0) | (ribbon_out_ ? 0x08 : 0)));
      } else {
        std::string s1 = fmt::format("030,{},0,0812,000,0,0,0,000,0,0,0", out ? 1 : 0);
        std::string s2 = fmt::format("001,0,0,{},1,2,6,0,00000000,1,000", ribbon_out_ ? 1 : 0);
        a = "\x02" + s1 + "\x03\r\n\x02" + s2 + "\x03\r\n\x02" + "1234,0\x03\r\n";
      }
      if (::write(c, a.data(), a.size()) != static_cast<ssize_t>(a.size())) break;
    }
    if (hang || count_before(mine, mark, mine.size()) >= stop_reading_after_) {
      stalled_ = true;  // reads and answers nothing more; the connection stays open
      while (!stop_) std::this_thread::sleep_for(std::chrono::milliseconds(20));
      break;
    }
    if (mine.size() >= query.size()) scanned = std::max(scanned, mine.size() - query.size() + 1);
  }
  ::close(c);
}

}  // namespace agtrace::station::testing
