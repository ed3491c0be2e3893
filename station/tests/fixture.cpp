// The station tests' fixture (fixture.h).
#include "station/tests/fixture.h"

#include <fmt/format.h>

#include <chrono>
#include <fstream>
#include <stdexcept>

#include "ledger/note/ed25519_key.h"
#include "station/config.h"
#include "station/state.h"

namespace agtrace::station::testing {
namespace {

void append(Ledger& l, const note::SigningKey& k, nlohmann::json e) {
  std::string id = e["event_id"];
  l.append({prepare_event(std::move(e), id)}, k, {});
}

// A producer's certificate for `lot` (packed from harvest HV-`n`, inspected by the co-op itself).
nlohmann::json certificate(const std::string& number, const std::string& lot, const std::string& product, int n) {
  return {{"type", "certificate_issued"},
          {"event_id", "cert-" + number},
          {"event_time", labeler::testing::now_minus_days(7)},
          {"number", number},
          {"style", "producer"},
          {"issuer", "COOP"},
          {"lot", lot},
          {"quantity", {{"value", "5000"}, {"unit", "KGM"}}},
          {"product", product},
          {"origin", "PLOT-1"},
          {"bases", {{{"basis", "self_tested"}, {"evidence", {fmt::format("inspection-{}", n)}}}}}};
}

}  // namespace

note::VerifierKey log_pubkey(const StationFixture& f) {
  std::ifstream in(f.st.log_key + ".pub");
  std::string line;
  std::getline(in, line);
  return note::parse_verifier_key(line);
}

std::string bag_template() { return std::string(AGTRACE_SOURCE_DIR) + "/examples/templates/lucheng-bag-60x40.json"; }

std::string config_json(const std::string& key_path, const std::string& template_path, const std::vector<int>& ports) {
  nlohmann::json printers = nlohmann::json::array();
  for (std::size_t i = 0; i < ports.size(); ++i)
    printers.push_back({{"name", fmt::format("包装线{}号", i + 1)},
                        {"url", fmt::format("tcp://127.0.0.1:{}", ports[i])},
                        {"language", "zpl"},
                        {"dpi", 203},
                        {"label", {{"width_mm", 60}, {"height_mm", 40}}}});
  nlohmann::json c = {
      {"enterprises",
       {{{"party", "COOP"},
         {"station_key", key_path},
         {"certificate_template", std::string(AGTRACE_SOURCE_DIR) + "/examples/templates/lucheng-certificate-100x70.json"},
         {"templates",
          {{{"product", "SCALLION-06901234567892"}, {"template", template_path}},
           {{"product", "XSS-1"}, {"template", template_path}}}}}}},
      {"printers", printers},
      {"confirm_above", 20},
      {"session_idle_minutes", 15},
      {"secure_cookies", false}};
  return c.dump(2);
}

StationFixture::StationFixture(const std::string& name, const std::vector<int>& printer_ports) : st(name) {
  st.add_packed_lot(lot, gtin, 2000);  // planting PL-1 … inspection-1, packing-1, certificate HG1404062026-0001
  auto clerk = note::SigningKey::load(st.clerk_key);
  {
    Ledger l(st.ledger_path, true);
    append(l, clerk, {{"type", "product"}, {"event_id", "product-xss"}, {"event_time", labeler::testing::now_minus_days(298)},
                      {"product_id", "XSS-1"}, {"name", kHostileName}, {"variety", kHostileName},
                      {"brand", {{"regional", "潞城大葱"}, {"enterprise", "潞宝绿源农业"}}}, {"grade_standard", "一级"},
                      {"standard", "NY/T 1835-2010"}, {"pack_size", {{"value", "5"}, {"unit", "KGM"}}},
                      {"storage_condition", "0～2 ℃ 冷藏"}, {"owner", "COOP"}});
    std::string t = labeler::testing::now_minus_days(8);
    append(l, clerk, {{"type", "packing"}, {"event_id", "packing-xss"}, {"event_time", t}, {"party", "COOP"},
                      {"location", "PACK-1"}, {"input_lot", "HV-1"},
                      {"input_quantity", {{"value", "100"}, {"unit", "KGM"}}}, {"lot", hostile_lot},
                      {"product", "XSS-1"}, {"count", 20}, {"pack_size", {{"value", "5000"}, {"unit", "GRM"}}}});
    auto cert = certificate("LC-ST-XSS", hostile_lot, "XSS-1", 1);
    cert["quantity"] = {{"value", "100"}, {"unit", "KGM"}};
    append(l, clerk, cert);
  }
  config_path = st.dir + "/station.json";
  state_path = st.dir + "/station.db";
  config_text = config_json(st.station_key, bag_template(), printer_ports);
  std::ofstream(config_path) << config_text;
}

RunningStation::RunningStation(const std::string& name, RunningOptions options) : f(name, {zebra.port()}) {
  if (options.prepare) {
    nlohmann::json c = nlohmann::json::parse(f.config_text);
    options.prepare(*this, c);
    f.config_text = c.dump(2);
    std::ofstream(f.config_path) << f.config_text;
  }
  {
    StationState s(f.state_path);
    s.add_account("op-07", "operator", "COOP", "4829");
    s.add_account("op-08", "operator", "COOP", "5555");
    s.add_account("clerk-01", "clerk", "COOP", "2468");
    s.add_account("sup-01", "supervisor", "COOP", "7316");
    s.add_account("sup-02", "supervisor", "COOP", "9051");
  }
  ServeOptions o;
  o.ledger_path = f.st.ledger_path;
  o.state_path = f.state_path;
  o.log_pubkeys = {log_pubkey(f)};
  o.replica_poll_ms = options.replica_poll_ms;
  o.port = 0;
  o.lockout_clock = [skew = lockout_skew_ms] { return wall_clock_ms() + skew->load(); };
  o.session_clock = [skew = session_skew_ms] { return wall_clock_ms() + skew->load(); };
  server = std::make_unique<StationServer>(load_config(f.config_path), o);
  if (!server->wait_ledger(std::chrono::seconds(60))) throw std::runtime_error("the station's replica did not catch up");
  if (server->ledger_health().status != verifier::StateStatus::verified)
    throw std::runtime_error("the ledger does not verify: " + server->ledger_health().reason);
  port = server->bind();
  thread = std::thread([this] { server->listen(); });
}

RunningStation::~RunningStation() {
  server->stop();
  thread.join();
}

httplib::Client RunningStation::client() const {
  httplib::Client c("127.0.0.1", port);
  c.set_read_timeout(30, 0);
  return c;
}

std::uint64_t RunningStation::ledger_size() const { return Ledger(f.st.ledger_path, false).size(); }

nlohmann::json RunningStation::event_at(std::uint64_t entry) const {
  Ledger l(f.st.ledger_path, false);
  return l.store().event_at(entry);
}

}  // namespace agtrace::station::testing
