// station_fake_printer [--listen HOST:PORT] [--out FILE] [--status-file FILE]: the station
// tests' fake Zebra (fake_printer.h) as a program of its own, for the main job
// (scripts/main-job.sh starts the station with it) and for trying the station without a
// printer (docs/station.md "不接打印机试用"). Listens on HOST:PORT (default 127.0.0.1:0, a free
// port), prints "listening on tcp://HOST:PORT" on standard output, and answers ~HS as a ready
// Zebra — or as out of paper or out of ribbon while the first word of the status file is
// "paper-out" or "ribbon-out" (read on every ~HS; "ready" again to clear). Every byte it
// received (ZPL) is written to FILE whenever a job has come in and stayed quiet for 0.2 s,
// and once more on SIGTERM or SIGINT, when it exits 0. Bad arguments: usage, exit 2.
#include <signal.h>

#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <stdexcept>
#include <string>

#include "station/tests/fake_printer.h"

namespace {

int usage(const std::string& why) {
  std::cerr << "station_fake_printer: " << why
            << "\nusage: station_fake_printer [--listen HOST:PORT] [--out FILE] [--status-file FILE]\n";
  return 2;
}

// FILE gets `bytes` whole or not at all (written beside it, then renamed).
bool write_whole(const std::string& path, const std::string& bytes) {
  std::string tmp = path + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    f << bytes;
    if (!f.flush()) return false;
  }
  return std::rename(tmp.c_str(), path.c_str()) == 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string out, status_file, host = "127.0.0.1";
  int port = 0;
  for (int i = 1; i < argc; i += 2) {
    std::string opt = argv[i];
    if (i + 1 >= argc) return usage(opt + " needs a value");
    std::string value = argv[i + 1];
    if (opt == "--out") {
      out = value;
    } else if (opt == "--status-file") {
      status_file = value;
    } else if (opt == "--listen") {
      auto colon = value.rfind(':');
      std::size_t used = 0;
      try {
        if (colon == std::string::npos) throw std::invalid_argument("no port");
        port = std::stoi(value.substr(colon + 1), &used);
      } catch (const std::exception&) {
        return usage("--listen " + value + ": expected HOST:PORT such as 127.0.0.1:9100");
      }
      if (used != value.size() - colon - 1 || port < 0 || port > 65535)
        return usage("--listen " + value + ": expected HOST:PORT such as 127.0.0.1:9100");
      host = value.substr(0, colon);
    } else {
      return usage("unknown option " + opt);
    }
  }
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);  // before the printer's threads start: they inherit it
  try {
    agtrace::station::testing::FakeZebra zebra(host, port);
    if (!status_file.empty()) zebra.set_status_file(status_file);
    std::cout << "listening on tcp://" << host << ":" << zebra.port() << std::endl;
    std::size_t written = 0, seen = 0;
    auto save = [&]() {
      if (out.empty()) return true;
      std::string all = zebra.received();
      written = all.size();
      if (write_whole(out, all)) return true;
      std::cerr << "station_fake_printer: cannot write " << out << "\n";
      return false;
    };
    if (!save()) return 1;
    const timespec tick{0, 200'000'000};
    for (;;) {
      if (sigtimedwait(&stop, nullptr, &tick) > 0) return save() ? 0 : 1;
      std::size_t now = zebra.received_size();
      if (now == seen && now != written && !save()) return 1;  // quiet for a tick after new bytes: a job is in
      seen = now;
    }
  } catch (const std::exception& e) {
    std::cerr << "station_fake_printer: " << e.what() << "\n";
    return 1;
  }
}
