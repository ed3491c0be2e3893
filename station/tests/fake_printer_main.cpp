// station_fake_printer [--out FILE]: the station tests' fake Zebra (fake_printer.h) as a
// program of its own, for the main job (scripts/main-job.sh starts the station with it) and
// for trying the station without a printer. Listens on a free loopback port, prints
// "listening on tcp://127.0.0.1:PORT" on standard output, answers ~HS as a ready Zebra, and
// on SIGTERM or SIGINT writes every byte it received (ZPL) to FILE and exits 0.
#include <signal.h>

#include <cstring>
#include <fstream>
#include <iostream>

#include "station/tests/fake_printer.h"

int main(int argc, char** argv) {
  std::string out;
  if (argc == 3 && std::strcmp(argv[1], "--out") == 0) {
    out = argv[2];
  } else if (argc != 1) {
    std::cerr << "usage: station_fake_printer [--out FILE]\n";
    return 2;
  }
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);  // before the printer's threads start: they inherit it
  try {
    agtrace::station::testing::FakeZebra zebra;
    std::cout << "listening on tcp://127.0.0.1:" << zebra.port() << std::endl;
    int sig = 0;
    sigwait(&stop, &sig);
    if (!out.empty()) {
      std::ofstream f(out, std::ios::binary);
      f << zebra.received();
      if (!f.flush()) {
        std::cerr << "station_fake_printer: cannot write " << out << "\n";
        return 1;
      }
    }
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "station_fake_printer: " << e.what() << "\n";
    return 1;
  }
}
