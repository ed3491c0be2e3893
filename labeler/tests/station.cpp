// The labeler's integration-test station (station.h).
#include "labeler/tests/station.h"

#include <fmt/format.h>

#include <algorithm>

#include "labeler/testing/qr_decode.h"
#include "ledger/note/verifier_key.h"

namespace agtrace::labeler::testing {
namespace {

void append(Ledger& l, const note::SigningKey& k, nlohmann::json e) {
  std::string id = e["event_id"];
  l.append({prepare_event(std::move(e), id)}, k, {});
}

CommandResult run_cmd(const std::string& cmd) {
  CommandResult r;
  r.status = run(cmd + " 2>&1", &r.out);
  return r;
}

}  // namespace

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += "'\\''";
    else out.push_back(c);
  }
  return out + "'";
}

std::string now_minus_days(int days) {
  // The day as Beijing sees it (UTC+8): between 16:00 and 24:00 UTC it is already tomorrow there,
  // and the station's screens count days in Beijing time.
  std::time_t t = std::time(nullptr) - static_cast<std::time_t>(days) * 86400 + 8 * 3600;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT08:00:00+08:00", &tm);
  return buf;
}

Station::Station(const std::string& name) {
  dir = scratch_dir("station-" + name);
  ledger_path = dir + "/ledger.db";
  log_key = dir + "/log.key";
  station_key = dir + "/station.key";
  auto log = note::SigningKey::generate("trace.lucheng.example/log");
  log.save(log_key);
  Ledger::create(ledger_path, "https://trace.lucheng.example", log);
  clerk_key = dir + "/clerk.key";
  auto station = note::SigningKey::generate("station-1");
  station.save(station_key);
  auto clerk = note::SigningKey::generate("clerk-1");
  clerk.save(clerk_key);
  Ledger l(ledger_path, true);
  append(l, log, {{"type", "key_added"}, {"event_id", "key-clerk-1"}, {"event_time", now_minus_days(300)},
                  {"name", "clerk-1"}, {"vkey", note::verifier_key_of(clerk).to_string()}, {"role", "clerk"}});
  std::string t = now_minus_days(299);
  append(l, clerk, {{"type", "party"}, {"event_id", "party-coop"}, {"event_time", t}, {"party_id", "COOP"},
                      {"name", "潞城区绿源大葱种植专业合作社"}, {"role", "cooperative"}, {"phone", "0355-6012345"}});
  // The station prints for the co-op that packs (rules version 3: a station key acts for its holder).
  append(l, log, {{"type", "key_added"}, {"event_id", "key-station-1"}, {"event_time", now_minus_days(300)},
                  {"name", "station-1"}, {"vkey", note::verifier_key_of(station).to_string()}, {"role", "station"},
                  {"holder", "COOP"}});
  append(l, clerk, {{"type", "location"}, {"event_id", "loc-plot"}, {"event_time", t}, {"location_id", "PLOT-1"},
                      {"name", "东邑村3号地块"}, {"kind", "plot"}, {"owner", "COOP"},
                      {"address", "山西省长治市潞城区店上镇东邑村"}});
  append(l, clerk, {{"type", "location"}, {"event_id", "loc-pack"}, {"event_time", t}, {"location_id", "PACK-1"},
                      {"name", "潞城区大葱分拣包装中心"}, {"kind", "packing_house"}, {"owner", "COOP"}});
}

void Station::add_packed_lot(const std::string& lot, const std::string& gtin, long units, bool certified) {
  auto key = note::SigningKey::load(clerk_key);
  Ledger l(ledger_path, true);
  std::string product = gtin.empty() ? "SCALLION-LOOSE" : "SCALLION-" + gtin;
  int n = ++counter_;
  if (std::find(products_.begin(), products_.end(), product) == products_.end()) {
    products_.push_back(product);
    nlohmann::json p = {{"type", "product"}, {"event_id", "product-" + product}, {"event_time", now_minus_days(298)},
                        {"product_id", product}, {"name", "潞城大葱（鲜葱）"}, {"variety", "潞城本地大葱"},
                        {"brand", {{"regional", "潞城大葱"}, {"enterprise", "潞宝绿源农业"}}},
                        {"grade_standard", "一级"}, {"standard", "NY/T 1835-2010"},
                        {"pack_size", {{"value", "5"}, {"unit", "KGM"}}},
                        {"storage_condition", "0～2 ℃ 冷藏，避光防潮"}, {"owner", "COOP"}};
    if (!gtin.empty()) p["gtin"] = gtin;
    append(l, key, p);
  }
  std::string plant = fmt::format("PL-{}", n), harvest = fmt::format("HV-{}", n);
  append(l, key, {{"type", "planting"}, {"event_id", "planting-" + plant}, {"event_time", now_minus_days(200)},
                  {"party", "COOP"}, {"location", "PLOT-1"}, {"lot", plant}, {"product", product}, {"area_mu", "2.5"}});
  append(l, key, {{"type", "harvest"}, {"event_id", "harvest-" + harvest}, {"event_time", now_minus_days(12)},
                  {"party", "COOP"}, {"location", "PLOT-1"}, {"lot", harvest}, {"from_lot", plant},
                  {"product", product}, {"quantity", {{"value", "20000"}, {"unit", "KGM"}}}});
  append(l, key, {{"type", "inspection"}, {"event_id", fmt::format("inspection-{}", n)},
                  {"event_time", now_minus_days(10)}, {"party", "COOP"}, {"location", "PACK-1"},
                  {"lots", {harvest}}, {"report_no", fmt::format("JC-2026-{:04}", n)}, {"result", "pass"},
                  {"certificate_no", fmt::format("HG1404062026-{:04}", n)},
                  {"items", {{{"name", "毒死蜱"}, {"measured", "0.01"}, {"limit", "0.05"}, {"unit", "mg/kg"},
                              {"result", "pass"}}}}});
  append(l, key, {{"type", "packing"}, {"event_id", fmt::format("packing-{}", n)}, {"event_time", now_minus_days(8)},
                  {"party", "COOP"}, {"location", "PACK-1"}, {"input_lot", harvest},
                  {"input_quantity", {{"value", "10000"}, {"unit", "KGM"}}}, {"lot", lot}, {"product", product},
                  {"count", units}, {"pack_size", {{"value", fmt::format("{}", 10000000 / units)}, {"unit", "GRM"}}}});
  if (!certified) return;
  append(l, key, {{"type", "certificate_issued"}, {"event_id", fmt::format("certificate-{}", n)},
                  {"event_time", now_minus_days(8)}, {"number", fmt::format("HG1404062026-{:04}", n)},
                  {"style", "producer"}, {"issuer", "COOP"}, {"lot", lot}, {"product", product},
                  {"quantity", {{"value", fmt::format("{}", units)}, {"unit", "H87"}}}, {"origin", "PLOT-1"},
                  {"bases", {{{"basis", "self_tested"}, {"evidence", nlohmann::json::array({fmt::format("inspection-{}", n)})}}}}});
}

CommandResult Station::labeler(const std::vector<std::string>& args) const {
  std::string cmd = std::string(AGTRACE_LABELER_BIN) + " --ledger " + shell_quote(ledger_path);
  for (const auto& a : args) cmd += " " + shell_quote(a);
  return run_cmd(cmd);
}

CommandResult Station::ledger_cli(const std::vector<std::string>& args) const {
  std::string cmd = std::string(AGTRACE_LEDGER_BIN) + " --ledger " + shell_quote(ledger_path);
  for (const auto& a : args) cmd += " " + shell_quote(a);
  return run_cmd(cmd);
}

CommandResult Station::sqlite(const std::string& sql) const {
  return run_cmd("sqlite3 " + shell_quote(ledger_path) + " " + shell_quote(sql));
}

}  // namespace agtrace::labeler::testing
