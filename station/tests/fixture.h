// A printer station for station tests: a ledger with the labeler tests' co-op (station.h),
// a station key held by the co-op, a packed lot of 2000 units with a 承诺达标合格证 (rules
// version 4 refuses labels for a lot without one), a second product whose name is hostile
// HTML, and a station.json naming the example 60×40 mm bag template and printers on the
// given loopback ports. For tests only.
#pragma once

#include <httplib.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "labeler/tests/station.h"
#include "ledger/note/verifier_key.h"
#include "station/server.h"
#include "station/tests/fake_printer.h"

namespace agtrace::station::testing {

struct StationFixture {
  // `printer_ports`: one ZPL 203 dpi 60×40 mm printer per port, named 包装线1号, 包装线2号, ….
  StationFixture(const std::string& name, const std::vector<int>& printer_ports);

  labeler::testing::Station st;
  std::string config_path, state_path;
  std::string lot = "LC-ST-0001";                 // product SCALLION-06901234567892, 2000 units, certified
  std::string hostile_lot = "LC-ST-XSS";          // product XSS-1 named kHostileName, certified
  std::string gtin = "06901234567892";
  std::string config_text;
};

inline const std::string kHostileName = "<img src=x onerror=alert(1)>";

// The station.json text for `ports` (as StationFixture writes it).
std::string config_json(const std::string& key_path, const std::string& template_path, const std::vector<int>& ports);

// The example 60×40 mm bag template (examples/templates/lucheng-bag-60x40.json).
std::string bag_template();

// The fixture's log public key (its LOGKEY.pub), which the station pins (--log-pubkey).
note::VerifierKey log_pubkey(const StationFixture& f);

class RunningStation;

// How RunningStation starts.
struct RunningOptions {
  int replica_poll_ms = 100;  // how often the verified replica polls the ledger file by itself
  // Runs before the server starts: may add to the fixture's ledger (r.f) and change
  // station.json (`config`, r.f.config_text parsed), which is then written to r.f.config_path.
  std::function<void(RunningStation& r, nlohmann::json& config)> prepare{};
};

// A station served in-process on a free loopback port, as the HTTP tests run it: the fixture
// with one fake Zebra (包装线1号) and a second one idle for a test to configure (cert_zebra),
// the accounts op-07 (PIN 4829), op-08 (5555), clerk-01 (2468), sup-01 (7316) and sup-02
// (9051), all of COOP, and a verified replica of the ledger. Throws std::runtime_error when
// the server does not start or the ledger does not verify.
class RunningStation {
 public:
  explicit RunningStation(const std::string& name, RunningOptions options = {});
  ~RunningStation();
  RunningStation(const RunningStation&) = delete;
  RunningStation& operator=(const RunningStation&) = delete;

  FakeZebra zebra, cert_zebra;
  StationFixture f;
  // How far the sign-in lockouts' clock runs ahead of the wall clock (ServeOptions::lockout_clock):
  // a test waits out a lockout by moving it.
  std::shared_ptr<std::atomic<std::int64_t>> lockout_skew_ms = std::make_shared<std::atomic<std::int64_t>>(0);
  // How far the sessions' idle clock runs ahead of the wall clock (ServeOptions::session_clock).
  std::shared_ptr<std::atomic<std::int64_t>> session_skew_ms = std::make_shared<std::atomic<std::int64_t>>(0);
  std::unique_ptr<StationServer> server;
  std::thread thread;
  int port = 0;

  // A client of the server with a 30 s read timeout.
  httplib::Client client() const;
  std::uint64_t ledger_size() const;
  nlohmann::json event_at(std::uint64_t entry) const;
};

}  // namespace agtrace::station::testing
