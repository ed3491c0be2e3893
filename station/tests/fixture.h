// A printer station for station tests: a ledger with the labeler tests' co-op (station.h),
// a station key held by the co-op, a packed lot of 2000 units with a 承诺达标合格证 (rules
// version 4 refuses labels for a lot without one), a second product whose name is hostile
// HTML, and a station.json naming the example 60×40 mm bag template and printers on the
// given loopback ports. For tests only.
#pragma once

#include <string>
#include <vector>

#include "labeler/tests/station.h"
#include "ledger/note/verifier_key.h"

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

}  // namespace agtrace::station::testing
