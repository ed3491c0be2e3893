// The season of season.h, recorded event by event.
#include "ledger/regulator/testing/season.h"

#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "ledger/note/verifier_key.h"

namespace agtrace::testing {

namespace {

std::filesystem::path fresh_dir() {
  static std::atomic<int> n{0};
  auto dir = std::filesystem::temp_directory_path() /
             fmt::format("agtrace-season-{}-{}", ::getpid(), n++);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

nlohmann::json ev(const std::string& type, const std::string& id, const std::string& time) {
  return {{"type", type}, {"event_id", id}, {"event_time", time}};
}

nlohmann::json kg(const std::string& v) { return {{"value", v}, {"unit", "KGM"}}; }

std::vector<std::string> serials(const std::string& prefix, int n) {
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) out.push_back(fmt::format("{}{:0>{}}", prefix, i + 1, 13 - prefix.size()));
  return out;
}

}  // namespace

Season::Season()
    : dir_(fresh_dir()),
      log_key_(note::SigningKey::generate("trace.example/log")),
      clerk_(note::SigningKey::generate("clerk-li")) {
  log_key_.save(log_key_file());
  clerk_.save(clerk_key_file());
  Ledger::create(path(), "https://trace.example", log_key_);
  Ledger l(path(), true);

  // Master data first, by a set-up key; then the clerk, who acts for COOP.
  auto setup = note::SigningKey::generate("setup");
  auto register_key = [&](const note::SigningKey& k, const char* holder) {
    auto key = ev("key_added", "key-" + k.name(), "2022-01-01T00:00:00Z");
    key["name"] = k.name();
    key["vkey"] = note::verifier_key_of(k).to_string();
    key["role"] = "clerk";
    if (holder) key["holder"] = holder;
    l.append({prepare_event(key, "key")}, log_key_, {});
  };
  register_key(setup, nullptr);

  std::vector<nlohmann::json> e;
  auto party = [&](const std::string& id, const std::string& name, const std::string& role) {
    auto p = ev("party", "party-" + id, "2022-01-01T00:00:00+08:00");
    p["party_id"] = id;
    p["name"] = name;
    p["role"] = role;
    return p;
  };
  e.push_back(party("COOP", "山丹丹合作社", "cooperative"));
  auto b1 = party("BUYER-1", "太原鲜菜批发", "buyer");
  b1["contact"] = "王经理";
  b1["phone"] = "+86 351 5550101";
  b1["address"] = "山西省太原市小店区1号";
  e.push_back(b1);
  auto b2 = party("BUYER-2", "长治超市", "buyer");
  b2["contact"] = "赵主管";
  b2["phone"] = "+86 355 5550202";
  e.push_back(b2);
  auto loc = [&](const std::string& id, const std::string& name, const std::string& kind) {
    auto p = ev("location", "location-" + id, "2022-01-01T00:00:00+08:00");
    p["location_id"] = id;
    p["name"] = name;
    p["kind"] = kind;
    p["owner"] = "COOP";
    return p;
  };
  e.push_back(loc("PLOT-A", "东岭地块", "plot"));
  e.push_back(loc("PLOT-B", "西沟地块", "plot"));
  auto base = loc("BASE", "合作社分拣中心", "packing_house");
  base["gln"] = "6901234000017";
  e.push_back(base);
  auto product = ev("product", "product-SCALLION", "2022-01-01T00:00:00+08:00");
  product["product_id"] = "SCALLION";
  product["name"] = "潞城大葱";
  product["brand"] = {{"regional", "潞城大葱"}};
  product["gtin"] = "06901234000023";
  product["pack_size"] = kg("5");
  // No 承诺达标合格证 needed (rules version 4 then labels its lots without one): the exports
  // under test are about lineage, not certificates.
  product["certificate_required"] = false;
  e.push_back(product);
  {
    std::vector<PreparedEvent> master;
    for (auto& x : e) master.push_back(prepare_event(x, x["event_id"].get<std::string>()));
    l.append(master, setup, {});
    e.clear();
    register_key(clerk_, "COOP");
  }

  auto at = [](nlohmann::json x, const std::string& location) {
    x["party"] = "COOP";
    x["location"] = location;
    return x;
  };
  for (auto [lot, plot] : {std::pair{"PA", "PLOT-A"}, std::pair{"PB", "PLOT-B"}}) {
    auto p = at(ev("planting", std::string("plant-") + lot, "2022-04-01T08:00:00+08:00"), plot);
    p["lot"] = lot;
    p["product"] = "SCALLION";
    p["area_mu"] = "3.5";
    e.push_back(p);
  }
  auto apply = [&](const std::string& id, const std::string& lot, const std::string& plot,
                   const std::string& kind, const std::string& name, int days) {
    auto a = at(ev("input_application", id, "2022-08-01T07:00:00+08:00"), plot);
    a["lot"] = lot;
    a["input_kind"] = kind;
    a["input_name"] = name;
    if (kind == "pesticide") {
      a["registration_no"] = "PD20" + id.substr(id.size() - 4);
      a["pre_harvest_interval_days"] = days;
    }
    e.push_back(a);
  };
  apply("spray-PA-0001", "PA", "PLOT-A", "pesticide", "毒死蜱 chlorpyrifos", 7);
  apply("feed-PB-0002", "PB", "PLOT-B", "fertilizer", "复合肥", 0);
  apply("spray-PB-0003", "PB", "PLOT-B", "pesticide", "吡虫啉 imidacloprid", 14);

  auto harvest = [&](const std::string& lot, const std::string& from, const std::string& plot, const std::string& q) {
    auto h = at(ev("harvest", "harvest-" + lot, "2022-10-01T09:00:00+08:00"), plot);
    h["lot"] = lot;
    h["from_lot"] = from;
    h["quantity"] = kg(q);
    e.push_back(h);
  };
  harvest("HA", "PA", "PLOT-A", "1000");
  harvest("HB", "PB", "PLOT-B", "800");

  auto transform = [&](const std::string& id, const std::string& kind, const std::string& time,
                       std::vector<std::pair<std::string, std::string>> in,
                       std::vector<std::pair<std::string, std::string>> out, const char* loss) {
    auto t = at(ev("transformation", id, time), "BASE");
    t["kind"] = kind;
    t["inputs"] = nlohmann::json::array();
    for (auto& [lot, q] : in) t["inputs"].push_back({{"lot", lot}, {"quantity", kg(q)}});
    t["outputs"] = nlohmann::json::array();
    for (auto& [lot, q] : out) t["outputs"].push_back({{"lot", lot}, {"quantity", kg(q)}});
    if (loss) t["loss"] = kg(loss);
    e.push_back(t);
  };
  transform("split-HA", "split", "2022-10-02T08:00:00+08:00", {{"HA", "1000"}}, {{"HA1", "500"}, {"HA2", "480"}}, "20");
  transform("grade-HB", "grading", "2022-10-02T09:00:00+08:00", {{"HB", "800"}}, {{"HB1", "400"}, {"HB2", "400"}}, nullptr);
  transform("merge-M1", "merge", "2022-10-03T08:00:00+08:00", {{"HA2", "480"}, {"HB1", "400"}}, {{"M1", "870"}}, "10");

  auto pack = [&](const std::string& lot, const std::string& from, int boxes) {
    auto p = at(ev("packing", "pack-" + lot, "2022-10-04T08:00:00+08:00"), "BASE");
    p["input_lot"] = from;
    p["input_quantity"] = kg(std::to_string(boxes * 5));
    p["lot"] = lot;
    p["count"] = boxes;
    p["pack_size"] = kg("5");
    e.push_back(p);
  };
  pack("K1", "HA1", 20);
  pack("K2", "M1", 10);
  pack("K3", "HB2", 10);

  auto ship = [&](const std::string& id, const std::string& lot, const std::string& to, const std::string& no) {
    auto s = at(ev("shipping", id, "2022-10-05T06:00:00+08:00"), "BASE");
    s["lots"] = nlohmann::json::array({{{"lot", lot}, {"quantity", {{"value", "10"}, {"unit", "H87"}}}}});
    s["to_party"] = to;
    s["shipment_no"] = no;
    s["carrier"] = "COOP";
    e.push_back(s);
  };
  ship("ship-SH-1", "K2", "BUYER-1", "SH-1");
  ship("ship-SH-2", "K3", "BUYER-2", "SH-2");
  // 一车一证: the co-op's 承诺达标合格证 for the 10 boxes of K3 on shipment SH-2.
  auto certificate = ev("certificate_issued", "certificate-K3", "2022-10-05T06:30:00+08:00");
  certificate["number"] = "LC-2022-0003";
  certificate["style"] = "producer";
  certificate["issuer"] = "COOP";
  certificate["lot"] = "K3";
  certificate["quantity"] = {{"value", "10"}, {"unit", "H87"}};
  certificate["product"] = "SCALLION";
  certificate["origin"] = "PLOT-B";
  certificate["shipment"] = "ship-SH-2";
  certificate["bases"] = nlohmann::json::array({{{"basis", "quality_control"}}});
  e.push_back(certificate);

  std::vector<PreparedEvent> prepared;
  for (auto& x : e) prepared.push_back(prepare_event(x, x["event_id"].get<std::string>()));
  l.append(prepared, clerk_, {});

  codes_["K1"] = serials("A1", 3);
  codes_["K2"] = serials("B2", 2);
  codes_["K3"] = serials("C3", 2);
  for (const auto& [lot, s] : codes_)
    l.record_label_job({"labels_issued", lot, s, "COOP", "BASE", "box", "file", ""}, clerk_);
  voided_ = codes_["K3"].back();
  l.record_label_job({"labels_voided", "K3", {voided_}, "COOP", "BASE", "box", "file", "torn"}, clerk_);
  l.sign_checkpoint(log_key_);
}

Season::~Season() {
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

int run(const std::string& command, std::string& out, std::string& err) {
  static std::atomic<int> n{0};
  auto base = std::filesystem::temp_directory_path() / fmt::format("agtrace-run-{}-{}", ::getpid(), n++);
  std::string o = base.string() + ".out", e = base.string() + ".err";
  int status = std::system(fmt::format("{} >'{}' 2>'{}' </dev/null", command, o, e).c_str());
  auto slurp = [](const std::string& p) {
    std::ifstream f(p, std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
  };
  out = slurp(o);
  err = slurp(e);
  std::filesystem::remove(o);
  std::filesystem::remove(e);
  if (status == -1 || !WIFEXITED(status)) throw std::runtime_error("could not run: " + command);
  return WEXITSTATUS(status);
}

std::string ledger_binary() { return std::string(AGTRACE_BINARY_DIR) + "/ledger/cli/agtrace-ledger"; }

}  // namespace agtrace::testing
