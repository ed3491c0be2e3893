// A fake Zebra for station tests (fake_printer.h).
#include "station/tests/fake_printer.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

namespace agtrace::station::testing {

FakeZebra::FakeZebra() {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(fd_, 16) != 0)
    throw std::runtime_error("fake printer: cannot listen");
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
      conns_.emplace_back([this, c] { serve(c); });
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

std::size_t FakeZebra::labels() {
  std::string all = received();
  std::size_t n = 0;
  for (std::size_t at = 0; (at = all.find("^BQ", at)) != std::string::npos; at += 3) ++n;
  return n;
}

void FakeZebra::serve(int c) {
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
    }
    for (std::size_t at; (at = mine.find("~HS", scanned)) != std::string::npos;) {
      scanned = at + 3;
      std::size_t labels_before = 0;
      for (std::size_t q = 0; (q = mine.find("^BQ", q)) != std::string::npos && q < at; q += 3) ++labels_before;
      bool out = paper_out_ || labels_before >= paper_out_after_;
      std::string s1 = fmt::format("030,{},0,0812,000,0,0,0,000,0,0,0", out ? 1 : 0);
      std::string a = "\x02" + s1 + "\x03\r\n\x02" + "001,0,0,0,1,2,6,0,00000000,1,000\x03\r\n\x02" + "1234,0\x03\r\n";
      if (::write(c, a.data(), a.size()) != static_cast<ssize_t>(a.size())) break;
    }
    if (mine.size() >= 3) scanned = std::max(scanned, mine.size() - 2);
  }
  ::close(c);
}

}  // namespace agtrace::station::testing
