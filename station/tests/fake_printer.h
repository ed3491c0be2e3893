// A Zebra on loopback raw TCP for station tests: answers every ~HS with the three
// <STX>…<ETX> strings of the ZPL II Programming Guide (paper out or paused when switched
// so), on any number of connections (the station's status polls and its jobs), and keeps
// every byte of every connection. Switched to TSPL (set_tspl) it is a TSC instead: it answers
// every <ESC>!? with the one status byte of the TSPL/TSPL2 Programming Manual. For tests only.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace agtrace::station::testing {

class FakeZebra {
 public:
  // Listens on IPv4 address `host` (dotted quad) and `port` (0: a free one). Throws
  // std::runtime_error when the address is not one or cannot be bound.
  explicit FakeZebra(const std::string& host = "127.0.0.1", int port = 0);
  ~FakeZebra();
  int port() const { return port_; }
  void set_paper_out(bool v) { paper_out_ = v; }
  void set_ribbon_out(bool v) { ribbon_out_ = v; }
  // Read on every ~HS: a file whose first word is "paper-out", "ribbon-out" or "ready" sets
  // the answer (anything else, or no file, leaves it as it was). For trying the station by hand.
  void set_status_file(const std::string& path);
  // From the moment a connection has sent `n` labels, its status answers say paper out (a
  // roll running out in the middle of a job).
  void set_paper_out_after(std::size_t n) { paper_out_after_ = n; }
  // Speaks TSPL: answers <ESC>!? (0x00 ready, bit 2 paper out, bit 3 ribbon out) instead of ~HS,
  // and counts a label per PRINT command. Set before the station connects.
  void set_tspl(bool v) { tspl_ = v; }
  // From the moment a connection has received `n` labels, it reads nothing more and answers no
  // query (a printer that hangs mid-job); it stays open until the printer is destroyed.
  void set_stop_reading_after(std::size_t n) { stop_reading_after_ = n; }
  // Whether a connection stopped reading so (set_stop_reading_after).
  bool stalled() const { return stalled_; }
  // Everything received on all connections, status queries included.
  std::string received();
  // Labels received: ZPL ^BQ (QR code) fields, or TSPL PRINT commands.
  std::size_t labels();
  // What each connection received, in the order they were accepted (a job's bytes on their own,
  // never cut by another connection's status queries).
  std::vector<std::string> streams();
  // How many bytes were received so far, and those from byte `offset` on (cheap: for
  // polling while a job runs).
  std::size_t received_size();
  std::string received_since(std::size_t offset);

 private:
  int fd_ = -1, port_ = 0;
  std::atomic<bool> stop_{false}, paper_out_{false}, ribbon_out_{false}, tspl_{false}, stalled_{false};
  std::atomic<std::size_t> stop_reading_after_{SIZE_MAX};
  std::string status_file_;  // under mu_
  std::atomic<std::size_t> paper_out_after_{SIZE_MAX};
  std::mutex mu_;
  std::string received_;
  std::vector<std::string> streams_;  // under mu_
  std::thread accept_;
  std::vector<std::thread> conns_;
  void serve(int c, std::size_t slot);
  void read_status_file();
  std::string label_mark() const { return tspl_ ? "PRINT " : "^BQ"; }
};

}  // namespace agtrace::station::testing
