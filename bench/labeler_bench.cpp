// labeler_bench: how fast agtrace-labeler renders and records labels, each figure beside a
// baseline measured in the same run on the same machine (issue 3 "Speed").
//
//   png      labels/s of the PNG writer (box template, 100 × 70 mm at 300 dpi: the static
//            layer drawn once per job, per label a copy, the QR filled into the pixels,
//            the code drawn by pango, libpng at fast settings), one core, against
//            libqrencode's bare encoding rate for the same payloads. Goal: >= 200 labels/s.
//   zpl      labels/s of the ZPL writer (bag template, 203 dpi; per label the ^BQ field
//            and the code), against the same bare QR rate. Goal: >= 0.5 x that rate.
//   serials  1,000,000 serials allocated (OpenSSL RAND_bytes, Crockford base32) and
//            recorded as one labels_issued job (Ledger::record_label_job: entry, RFC 6962
//            root, indexed codes table), against allocation alone. Goal: < 10 s in all.
//
// Usage: labeler_bench [--labels N] [--serials N] [--rows FILE]
//   --rows FILE appends one tab-separated row per figure (bench/README.md columns).
#include <fmt/format.h>
#include <time.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "labeler/code/serial.h"
#include "labeler/qr/qr.h"
#include "labeler/render/painter.h"
#include "labeler/render/writer.h"
#include "labeler/tests/station.h"
#include "labeler/testing/fixtures.h"
#include "ledger/ledger.h"

using namespace agtrace;
using namespace agtrace::labeler;

namespace {

struct Rate {
  double wall = 0, cpu = 0;  // per second of wall-clock / of this process's CPU time
};

double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + ts.tv_nsec / 1e9;
}

// Runs `body(i)` for i in [0, n) and returns the rate in items per second.
template <typename F>
Rate measure(std::size_t n, F&& body) {
  auto w0 = std::chrono::steady_clock::now();
  double c0 = cpu_seconds();
  for (std::size_t i = 0; i < n; ++i) body(i);
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - w0).count();
  double cpu = cpu_seconds() - c0;
  return {n / wall, n / cpu};
}

struct Row {
  std::string figure;
  Rate value;
  std::string unit, baseline;
  Rate base;
  std::string goal;
};

std::string number(double v) { return v >= 100 ? fmt::format("{:.0f}", v) : fmt::format("{:.2f}", v); }
std::string ratio(double a, double b) { return a > 0 && b > 0 ? fmt::format("{:.3f}", a / b) : ""; }

Rate bare_qr(const std::vector<std::string>& uris, EcLevel ec, std::size_t n) {
  std::size_t sink = 0;
  Rate r = measure(n, [&](std::size_t i) { sink += encode_qr(uris[i % uris.size()], ec).dark.size(); });
  if (sink == 0) std::cerr << "";
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t labels = 600, serial_count = 1000000;
  std::string rows_file;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&] { return i + 1 < argc ? std::string(argv[++i]) : std::string(); };
    if (a == "--labels") labels = std::stoul(value());
    else if (a == "--serials") serial_count = std::stoul(value());
    else if (a == "--rows") rows_file = value();
    else {
      std::cerr << "usage: labeler_bench [--labels N] [--serials N] [--rows FILE]\n";
      return 2;
    }
  }
  std::vector<Row> rows;
  LabelFacts facts = testing::sample_facts();

  // PNG: box template at 300 dpi.
  {
    LabelTemplate t = testing::shipped_template("lucheng-box-100x70");
    LabelPainter painter(t, facts, 300);
    auto w = make_writer("png", painter);
    auto serials = allocate_serials(labels);
    std::vector<std::string> uris;
    for (const auto& s : serials) uris.push_back(trace_uri(facts, s));
    std::size_t bytes = 0;
    w->label(serials[0], uris[0]);  // warm the font caches
    Rate png = measure(labels, [&](std::size_t i) { bytes += w->label(serials[i], uris[i]).size(); });
    Rate qr = bare_qr(uris, t.qr.ec, labels * 50);
    rows.push_back({"PNG labels, 100x70 mm at 300 dpi, one core", png, "labels/s",
                    "libqrencode bare encode, same payloads", qr, ""});
    std::cerr << fmt::format("png: {:.0f} labels/s ({:.0f} KiB per label); goal >= 200 labels/s: {}\n", png.wall,
                             bytes / 1024.0 / labels, png.wall >= 200 ? "met" : "NOT met");
  }
  // ZPL: bag template at 203 dpi.
  {
    LabelTemplate t = testing::shipped_template("lucheng-bag-60x40");
    LabelPainter painter(t, facts, 203);
    auto w = make_writer("zpl", painter);
    std::size_t n = labels * 100;
    auto serials = allocate_serials(n);
    std::vector<std::string> uris;
    for (const auto& s : serials) uris.push_back(trace_uri(facts, s));
    std::size_t bytes = w->begin().size();
    Rate zpl = measure(n, [&](std::size_t i) { bytes += w->label(serials[i], uris[i]).size(); });
    Rate qr = bare_qr(uris, t.qr.ec, n);
    rows.push_back({"ZPL labels, 60x40 mm at 203 dpi, one core", zpl, "labels/s",
                    "libqrencode bare encode, same payloads", qr, ">= 0.5"});
  }
  // Serials: allocate and record one job of serial_count codes.
  if (serial_count > 0) {
    testing::Station st("bench");
    st.add_packed_lot("LC-BENCH", "06901234567892", static_cast<long>(serial_count));
    auto key = note::SigningKey::load(st.station_key);
    Ledger ledger(st.ledger_path, true);
    std::vector<std::string> serials;
    auto w0 = std::chrono::steady_clock::now();
    double c0 = cpu_seconds();
    serials = allocate_serials(serial_count);
    double alloc_wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - w0).count();
    double alloc_cpu = cpu_seconds() - c0;
    LabelJob job;
    job.type = "labels_issued";
    job.lot = "LC-BENCH";
    job.serials = std::move(serials);
    job.party = "COOP";
    job.location = "PACK-1";
    job.template_name = "bench";
    ledger.record_label_job(job, key);
    double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - w0).count();
    double cpu = cpu_seconds() - c0;
    Rate total{serial_count / wall, serial_count / cpu};
    Rate alloc{serial_count / alloc_wall, serial_count / alloc_cpu};
    rows.push_back({fmt::format("{} serials allocated + recorded", serial_count), total, "serials/s",
                    "allocation alone (RAND_bytes + base32)", alloc, ""});
    std::cerr << fmt::format("serials: {} allocated and recorded in {:.2f} s (allocation {:.2f} s); goal < 10 s: {}\n",
                             serial_count, wall, alloc_wall, wall < 10 ? "met" : "NOT met");
  }

  const char* layout = "{:<46} {:>11}  {:<40} {:>11}  {:>7}  {:<8} {:>9}\n";
  std::cout << fmt::format(fmt::runtime(layout), "figure", "value", "same-run baseline", "value", "ratio", "goal",
                           "CPU ratio");
  for (const auto& r : rows)
    std::cout << fmt::format(fmt::runtime(layout), r.figure, number(r.value.wall) + " " + r.unit, r.baseline,
                             number(r.base.wall), ratio(r.value.wall, r.base.wall), r.goal,
                             ratio(r.value.cpu, r.base.cpu));
  if (!rows_file.empty()) {
    std::ofstream out(rows_file, std::ios::app);
    for (const auto& r : rows)
      out << fmt::format("{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\n", r.figure, number(r.value.wall), r.unit, r.baseline,
                         number(r.base.wall), ratio(r.value.wall, r.base.wall), r.goal, ratio(r.value.cpu, r.base.cpu));
  }
  return 0;
}
