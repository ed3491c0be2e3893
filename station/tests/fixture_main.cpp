// station_test_fixture NAME PORT... [--uncertified=LOT]...: builds a StationFixture (fixture.h) whose printers are
// on the given loopback ports, prints 2 labels of its lot to a ZPL file (so that a label's
// QR URL exists to scan), packs a lot of the same product that is then recalled (the lot
// list marks it), and writes one JSON object on standard output: the paths, the lot ids and
// that label's URL. For the browser test (station_browser_test.js).
//
// station_test_fixture --serve NAME IDLE_MINUTES: serves a RunningStation (fixture.h: its own fake
// Zebra, the accounts op-07 4829 …) with session_idle_minutes IDLE_MINUTES, prints its lot and
// "listening on http://127.0.0.1:PORT", then reads standard input, one command a line:
// "idle-skew MS" runs the sessions' idle clock MS ahead of the wall clock (as if nobody touched a
// screen for that long), "labels" prints how many labels the fake Zebra received. It ends at
// the end of its input. For the idle-timeout browser test (station_idle_browser_test.js).
#include <fmt/format.h>

#include <iostream>
#include <string>
#include <vector>

#include "labeler/job/job.h"
#include "labeler/template/content.h"
#include "ledger/ledger.h"
#include "ledger/note/ed25519_key.h"
#include "station/tests/fixture.h"

namespace {

int serve(const std::string& name, int idle_minutes) {
  using namespace agtrace::station::testing;
  RunningStation r(name, {100, [idle_minutes](RunningStation&, nlohmann::json& c) { c["session_idle_minutes"] = idle_minutes; }});
  std::cout << nlohmann::json{{"lot", r.f.lot}}.dump() << "\nlistening on http://127.0.0.1:" << r.port << std::endl;
  for (std::string command; std::getline(std::cin, command);) {
    if (command.rfind("idle-skew ", 0) == 0) r.session_skew_ms->store(std::stoll(command.substr(10)));
    else if (command == "labels") std::cout << "labels " << r.zebra.labels() << std::endl;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace agtrace;
  if (argc == 4 && std::string(argv[1]) == "--serve") {
    try {
      return serve(argv[2], std::stoi(argv[3]));
    } catch (const std::exception& e) {
      std::cerr << "station_test_fixture: " << e.what() << "\n";
      return 1;
    }
  }
  if (argc < 3) {
    std::cerr << "usage: station_test_fixture NAME PORT...\n";
    return 2;
  }
  std::vector<int> ports;
  std::vector<std::string> uncertified;  // --uncertified=LOT: a packed lot of 2000 units without a certificate
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i];
    if (a.rfind("--uncertified=", 0) == 0) uncertified.push_back(a.substr(14));
    else ports.push_back(std::stoi(a));
  }
  try {
    station::testing::StationFixture f(argv[1], ports);
    const std::string recalled = "LC-ST-RECALL";
    f.st.add_packed_lot(recalled, f.gtin, 50);
    {
      Ledger l(f.st.ledger_path, true);
      l.append({prepare_event({{"type", "recall"}, {"event_id", "recall-browser"},
                               {"event_time", labeler::testing::now_minus_days(1)}, {"lots", nlohmann::json::array({recalled})},
                               {"reason", "毒死蜱超标，请停止销售和食用，凭包装退货"}, {"party", "COOP"}},
                              "recall-browser")},
               note::SigningKey::load(f.st.clerk_key), {});
    }
    for (const auto& lot : uncertified) f.st.add_packed_lot(lot, f.gtin, 2000, false);
    Ledger ledger(f.st.ledger_path, true);
    labeler::JobOptions o;
    o.format = "zpl";
    o.output.out = f.st.dir + "/first-labels.zpl";
    auto t = labeler::load_template(station::testing::bag_template());
    auto r = labeler::print_labels(ledger, note::SigningKey::load(f.st.station_key), f.lot, 2, t, o);
    auto facts = labeler::gather_label_facts(ledger, f.lot);
    nlohmann::json out = {{"dir", f.st.dir},
                          {"ledger", f.st.ledger_path},
                          {"log_pubkey", f.st.log_key + ".pub"},
                          {"clerk_key", f.st.clerk_key},
                          {"config", f.config_path},
                          {"state", f.state_path},
                          {"lot", f.lot},
                          {"hostile_lot", f.hostile_lot},
                          {"recalled_lot", recalled},
                          {"hostile_name", station::testing::kHostileName},
                          {"label_url", labeler::trace_uri(facts, r.serials.front())},
                          {"template_sha256", t.file_sha256}};
    std::cout << out.dump() << std::endl;
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "station_test_fixture: " << e.what() << "\n";
    return 1;
  }
}
