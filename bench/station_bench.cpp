// The printer station's speed (issue 15, "Speed"): from pressing Print (POST /api/jobs) to the
// first label's bytes at a fake Zebra on loopback, for a 100-label ZPL job, p50 and p99, beside
// the same-run baseline of the CLI's path for the same job (labeler::print_labels to the same
// printer, as `agtrace-labeler print --printer tcp://…` does); and the UI's first load in bytes
// and whether a repeated load is answered from the browser's cache (ETag → 304).
//
// Both paths sign and record the job in the same ledger (the writer's audit included), so the
// ledger grows alike under both; the runs alternate station, CLI, station, … so that neither
// gets the smaller file. Nothing here asserts a time.
//
// Usage: station_bench [--runs N] [--labels N] [--rows FILE]
#include <fmt/format.h>
#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <thread>

#include "labeler/job/job.h"
#include "labeler/job/journal.h"
#include "labeler/template/content.h"
#include "ledger/ledger.h"
#include "ledger/note/ed25519_key.h"
#include "station/assets.h"
#include "station/config.h"
#include "station/server.h"
#include "station/state.h"
#include "station/tests/fake_printer.h"
#include "station/tests/fixture.h"

namespace {

using namespace agtrace;
using Clock = std::chrono::steady_clock;
using Json = nlohmann::json;

// Waits until the printer has received a label (a ^BQ field) after byte `offset`; the time
// it took from `start`, in ms. Polls every 100 µs; gives up after 60 s.
double first_label_ms(station::testing::FakeZebra& zebra, std::size_t offset, Clock::time_point start) {
  std::size_t seen = offset;
  while (Clock::now() - start < std::chrono::seconds(60)) {
    if (zebra.received_size() > seen) {
      std::string fresh = zebra.received_since(offset);
      if (fresh.find("^BQ") != std::string::npos)
        return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
      seen = offset + fresh.size();
    }
    std::this_thread::sleep_for(std::chrono::microseconds(100));
  }
  throw std::runtime_error("no label reached the printer within 60 s");
}

// Waits until the printer has received `labels` more ^BQ fields after `offset` (the job ended).
void wait_labels(station::testing::FakeZebra& zebra, std::size_t offset, std::size_t labels) {
  auto start = Clock::now();
  while (Clock::now() - start < std::chrono::seconds(120)) {
    std::string fresh = zebra.received_since(offset);
    std::size_t n = 0;
    for (auto p = fresh.find("^BQ"); p != std::string::npos; p = fresh.find("^BQ", p + 3)) ++n;
    if (n >= labels) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  throw std::runtime_error("the job did not finish within 120 s");
}

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  std::size_t i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t runs = 15, labels = 100;
  std::string rows_file;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw std::runtime_error(a + " needs a value");
      return argv[++i];
    };
    if (a == "--runs") runs = std::stoul(value());
    else if (a == "--labels") labels = std::stoul(value());
    else if (a == "--rows") rows_file = value();
    else {
      std::cerr << "usage: station_bench [--runs N] [--labels N] [--rows FILE]\n";
      return 2;
    }
  }
  try {
    station::testing::FakeZebra zebra;
    station::testing::StationFixture f("bench-station", {zebra.port()});
    const std::string lot = "LC-BENCH-0001";
    f.st.add_packed_lot(lot, f.gtin, static_cast<long>((2 * runs + 2) * labels));
    {
      station::StationState s(f.state_path);
      s.add_account("op-01", "operator", "COOP", "2468");
    }
    station::ServeOptions o;
    o.ledger_path = f.st.ledger_path;
    o.state_path = f.state_path;
    o.log_pubkeys = {station::testing::log_pubkey(f)};
    o.port = 0;
    station::StationServer server(station::load_config(f.config_path), o);
    server.wait_ledger(std::chrono::seconds(600));  // the verified replica's start-up replay
    int port = server.bind();
    std::thread serving([&] { server.listen(); });
    struct Stop {  // on every way out, an exception included
      station::StationServer& server;
      std::thread& serving;
      ~Stop() {
        server.stop();
        serving.join();
      }
    } stop{server, serving};

    httplib::Client c("127.0.0.1", port);
    c.set_read_timeout(60, 0);
    // The UI's first load: the page and everything it loads; then a repeated load with the ETags.
    std::size_t first_load = 0, cached = 0, assets = 0;
    for (const auto& asset : station::embedded_assets()) {
      std::string path(asset.path);
      auto res = c.Get(path.c_str());
      if (!res || res->status != 200) throw std::runtime_error(fmt::format("GET {} failed", path));
      first_load += res->body.size();
      ++assets;
      std::string etag = res->get_header_value("ETag");
      if (etag.empty()) continue;
      auto again = c.Get(path.c_str(), {{"If-None-Match", etag}});
      if (again && again->status == 304) ++cached;
    }
    auto signin = c.Post("/api/signin", Json{{"user", "op-01"}, {"pin", "2468"}}.dump(), "application/json");
    if (!signin || signin->status != 200) throw std::runtime_error("sign-in failed");
    std::string set = signin->get_header_value("Set-Cookie");
    httplib::Headers headers = {{"Cookie", set.substr(0, set.find(';'))},
                                {"X-CSRF-Token", Json::parse(signin->body).at("csrf").get<std::string>()}};
    // The printer must be ready (the monitor's first answer) before Print is allowed.
    for (int i = 0; i < 600; ++i) {
      auto p = c.Get("/api/printers", headers);
      if (p && p->status == 200 && Json::parse(p->body).at(0).value("ready", false)) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }

    Ledger ledger(f.st.ledger_path, true);
    auto key = note::SigningKey::load(f.st.station_key);
    auto t = labeler::load_template(station::testing::bag_template());
    labeler::JobOptions cli;
    cli.format = "zpl";
    cli.output.printer = fmt::format("tcp://127.0.0.1:{}", zebra.port());
    cli.journal = labeler::PrintJournal::default_path(f.st.ledger_path);  // as agtrace-labeler print does

    std::vector<double> station_ms, cli_ms, answer_ms;
    for (std::size_t run = 0; run <= runs; ++run) {  // run 0 warms both paths up, not counted
      std::size_t offset = zebra.received_size();
      auto start = Clock::now();
      auto res = c.Post("/api/jobs", headers,
                        Json{{"lot", lot}, {"printer", "包装线1号"}, {"count", labels}, {"confirmed", true}}.dump(),
                        "application/json");
      if (!res || res->status != 202) throw std::runtime_error("the station refused the job: " + (res ? res->body : ""));
      if (run > 0) answer_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
      double ms = first_label_ms(zebra, offset, start);
      wait_labels(zebra, offset, labels);
      if (run > 0) station_ms.push_back(ms);

      offset = zebra.received_size();
      start = Clock::now();
      double first = 0;
      std::string watch_error;
      std::thread watch([&] {
        try {
          first = first_label_ms(zebra, offset, start);
        } catch (const std::exception& e) {
          watch_error = e.what();
        }
      });
      try {
        labeler::print_labels(ledger, key, lot, labels, t, cli);
      } catch (...) {
        watch.join();
        throw;
      }
      watch.join();
      if (!watch_error.empty()) throw std::runtime_error(watch_error);
      if (run > 0) cli_ms.push_back(first);
    }

    double s50 = percentile(station_ms, 0.5), s99 = percentile(station_ms, 0.99);
    double c50 = percentile(cli_ms, 0.5), c99 = percentile(cli_ms, 0.99);
    std::cout << fmt::format("Print → first label at the printer, {} labels, {} runs each (p99 of {} runs is their maximum):\n",
                             labels, runs, runs);
    std::cout << fmt::format("  station p50 {:.1f} ms, p99 {:.1f} ms;  CLI path p50 {:.1f} ms, p99 {:.1f} ms\n", s50, s99,
                             c50, c99);
    std::cout << fmt::format("  of which the station's answer to the POST (its checks, the job queued): p50 {:.1f} ms\n",
                             percentile(answer_ms, 0.5));
    std::cout << fmt::format("UI first load {} bytes in {} requests; {} of {} answered 304 on a repeated load\n",
                             first_load, assets, cached, assets);
    if (!rows_file.empty()) {
      std::ofstream out(rows_file, std::ios::app);
      // Ratios of rates (1/latency): the CLI's time over the station's; goal "within 1.5×" = 0.67.
      out << fmt::format("station Print→first label, p50 ({} labels)\t{:.1f}\tms\tCLI print_labels, p50\t{:.1f}\t{:.3f}\t>= 0.67\t\n",
                         labels, s50, c50, c50 / s50);
      out << fmt::format("station Print→first label, p99 ({} labels)\t{:.1f}\tms\tCLI print_labels, p99\t{:.1f}\t{:.3f}\t>= 0.67\t\n",
                         labels, s99, c99, c99 / s99);
      // The goal: under 200 KB; the baseline is the 200 KB budget itself.
      out << fmt::format("station UI first load\t{}\tbytes\tbudget\t{}\t{:.3f}\t>= 1\t\n", first_load, 200 * 1024,
                         200.0 * 1024 / static_cast<double>(first_load));
      out << fmt::format("station UI repeated load answered 304\t{}\tassets\tall assets\t{}\t{:.3f}\t>= 1\t\n", cached,
                         assets, static_cast<double>(cached) / static_cast<double>(assets));
    }
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "station_bench: " << e.what() << "\n";
    return 1;
  }
}
