// The printer status panel (station/printers.h): "a live status panel (ZPL ~HS, TSPL
// <ESC>!?), polled with back-off: ready, paused, paper out, ribbon out, head open, not
// answering" (issue 15 item 3), against fake printers on loopback.
#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <functional>
#include <thread>

#include "ledger/util/error.h"
#include "labeler/testing/fixtures.h"
#include "station/printers.h"
#include "station/tests/fake_printer.h"

using namespace agtrace;
using namespace agtrace::station;
using namespace std::chrono_literals;

namespace {

// A TSC printer that answers each <ESC>!? with `status` — or, when silent, never.
class FakeTsc {
 public:
  FakeTsc(unsigned char status, bool silent) : status_(status), silent_(silent) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    REQUIRE(::listen(fd_, 4) == 0);
    socklen_t len = sizeof a;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this] {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 5000) != 1) return;
      int c = ::accept(fd_, nullptr, nullptr);
      char buf[16];
      ssize_t n = ::read(c, buf, sizeof buf);
      if (n == 3 && std::string(buf, 3) == "\x1B!?" && !silent_) {
        if (::write(c, &status_, 1) != 1) {}
      }
      while (!stop_) std::this_thread::sleep_for(20ms);
      ::close(c);
    });
  }
  ~FakeTsc() {
    stop_ = true;
    thread_.join();
    ::close(fd_);
  }
  std::string url() const { return "tcp://127.0.0.1:" + std::to_string(port_); }

 private:
  unsigned char status_;
  bool silent_;
  int fd_ = -1, port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

std::string environment_error(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::environment);
    return e.what();
  }
  FAIL("no error");
  return "";
}

}  // namespace

TEST_CASE("a TSPL printer's <ESC>!? byte becomes the panel's state, Chinese first") {
  struct Case {
    unsigned char byte;
    const char* state;
    const char* zh;
  };
  for (const Case& c : {Case{0x00, "ready", "就绪"}, Case{0x20, "ready", "就绪"}, Case{0x04, "paper_out", "缺纸"},
                        Case{0x08, "ribbon_out", "碳带用完"}, Case{0x01, "head_open", "打印头未合上"},
                        Case{0x10, "paused", "暂停"}, Case{0x02, "fault", "卡纸"}}) {
    CAPTURE(int(c.byte));
    FakeTsc printer(c.byte, false);
    auto status = query_status(printer.url(), labeler::PrinterLanguage::tspl, 3000ms);
    PrinterView v = view_of("包装线2号", status, 1);
    CHECK(v.state == std::string(c.state));
    CHECK(v.ready == (std::string(c.state) == "ready"));
    CHECK(v.text.find(c.zh) != std::string::npos);
  }
}

TEST_CASE("a silent printer is 'not answering', an absent one 'unreachable'") {
  FakeTsc silent(0x04, true);
  auto msg = environment_error([&] { query_status(silent.url(), labeler::PrinterLanguage::tspl, 500ms); });
  CHECK(msg.find("打印机没有应答状态查询") == 0);
  msg = environment_error([&] {
    query_status("tcp://127.0.0.1:" + std::to_string(labeler::testing::closed_loopback_port()), labeler::PrinterLanguage::zpl, 500ms);
  });
  CHECK(msg.find("打印机连不上") == 0);
}

TEST_CASE("the monitor polls a Zebra's ~HS: ready, then paper out within a poll, and printing while busy") {
  testing::FakeZebra zebra;
  PrinterConfig p;
  p.name = "包装线1号";
  p.url = "tcp://127.0.0.1:" + std::to_string(zebra.port());
  p.language = "zpl";
  PrinterMonitor m({p});
  auto await_state = [&](const std::string& want) {
    for (int i = 0; i < 100; ++i) {
      if (m.view(p.name).state == want) return true;
      std::this_thread::sleep_for(100ms);
    }
    MESSAGE("state stayed " << m.view(p.name).state);
    return false;
  };
  CHECK(await_state("ready"));
  zebra.set_paper_out(true);
  CHECK(await_state("paper_out"));
  CHECK(m.view(p.name).text.find("打印机缺纸") == 0);
  CHECK_FALSE(m.view(p.name).ready);
  m.set_busy(p.name, true);
  CHECK(m.view(p.name).state == "printing");
  zebra.set_paper_out(false);
  m.set_busy(p.name, false);  // asked again at once
  CHECK(await_state("ready"));
}
