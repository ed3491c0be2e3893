// Two printer stations at once (issue 15, "two stations printing at once to two printers issue
// no duplicate code and lose none"): two agtrace-station processes, each with its own
// station.json, state file and printer (a fake Zebra on loopback), serve the same ledger file;
// an operator at each queues jobs for the same lot at the same time. Every label that reached a
// printer carries a distinct code, every code the ledger issued reached exactly one printer,
// and the ledger verifies.
#include <doctest/doctest.h>
#include <fmt/format.h>
#include <httplib.h>
#include <signal.h>

#include <chrono>
#include <fstream>
#include <regex>
#include <set>
#include <thread>

#include "labeler/testing/qr_decode.h"
#include "labeler/tests/station.h"
#include "ledger/ledger.h"
#include "station/state.h"
#include "station/tests/fake_printer.h"
#include "station/tests/fixture.h"

using namespace agtrace;
using Json = nlohmann::json;
using labeler::testing::shell_quote;

namespace {

// One `agtrace-station serve` process on a free loopback port, stopped (SIGTERM) at the end.
struct StationProcess {
  int pid = 0, port = 0;

  StationProcess(const std::string& ledger, const std::string& log_pubkey, const std::string& config,
                 const std::string& state, const std::string& log) {
    std::string cmd = fmt::format(
        "{} serve --ledger {} --log-pubkey {} --config {} --state {} --listen 127.0.0.1:0 > {} 2>&1 & echo $!",
        AGTRACE_STATION_BIN, shell_quote(ledger), shell_quote(log_pubkey), shell_quote(config), shell_quote(state),
        shell_quote(log));
    std::string out;
    REQUIRE(labeler::testing::run(cmd, &out) == 0);
    pid = std::stoi(out);
    const std::regex listening(R"(listening on http://127\.0\.0\.1:([0-9]+))");
    for (int i = 0; i < 300 && port == 0; ++i) {
      std::smatch m;
      std::string text = labeler::testing::read_file(log);
      if (std::regex_search(text, m, listening)) port = std::stoi(m[1]);
      else std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    REQUIRE_MESSAGE(port != 0, labeler::testing::read_file(log));
  }
  ~StationProcess() {
    ::kill(pid, SIGTERM);
    for (int i = 0; i < 100 && ::kill(pid, 0) == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
};

// An operator signed in at one station.
struct Operator {
  httplib::Client client;
  httplib::Headers headers;

  Operator(int port, const std::string& user, const std::string& pin) : client("127.0.0.1", port) {
    client.set_read_timeout(60, 0);
    auto res = client.Post("/api/signin", Json{{"user", user}, {"pin", pin}}.dump(), "application/json");
    REQUIRE(res);
    REQUIRE_MESSAGE(res->status == 200, res->body);
    std::string set = res->get_header_value("Set-Cookie");
    headers = {{"Cookie", set.substr(0, set.find(';'))}, {"X-CSRF-Token", Json::parse(res->body).at("csrf").get<std::string>()}};
  }
  Json get(const std::string& path) {
    auto res = client.Get(path.c_str(), headers);
    REQUIRE(res);
    REQUIRE_MESSAGE(res->status == 200, res->body);
    return Json::parse(res->body);
  }
  void await_ready() {
    for (int i = 0; i < 300; ++i) {
      if (get("/api/printers").at(0).value("ready", false)) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    FAIL("the printer never showed ready");
  }
  // Queues `jobs` jobs of `count` labels for `lot`, one after another as fast as the station takes them.
  void queue(const std::string& lot, int jobs, int count) {
    for (int i = 0; i < jobs; ++i) {
      auto res = client.Post("/api/jobs", headers,
                             Json{{"lot", lot}, {"printer", "包装线1号"}, {"count", count}}.dump(), "application/json");
      REQUIRE(res);
      REQUIRE_MESSAGE(res->status == 202, res->body);
    }
  }
  // Waits until no job is queued or sending; returns the jobs.
  Json settle() {
    for (int i = 0; i < 1200; ++i) {
      Json jobs = get("/api/jobs");
      bool busy = false;
      for (const auto& j : jobs) busy |= j["state"] == "queued" || j["state"] == "sending";
      if (!busy) return jobs;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    FAIL("jobs still running after 120 s");
    return {};
  }
};

// The serials in the QR codes of every label a fake Zebra received: the Digital Link's /21/ part
// of each ^BQ field (^FD<ec>M,B<4-digit length><data>).
std::vector<std::string> printed_serials(const std::string& zpl) {
  std::vector<std::string> out;
  const std::regex field(R"(\^BQN,2,[0-9]+\^FH\^FD[LMQH]M,B([0-9]{4}))");
  for (std::sregex_iterator it(zpl.begin(), zpl.end(), field), end; it != end; ++it) {
    std::string data = zpl.substr(static_cast<std::size_t>(it->position(0) + it->length(0)), std::stoul((*it)[1]));
    out.push_back(data.substr(data.rfind('/') + 1));
  }
  return out;
}

}  // namespace

TEST_CASE("two stations print the same lot at once on two printers: no code twice, none lost, the ledger verifies") {
  station::testing::FakeZebra zebra1, zebra2;
  station::testing::StationFixture f("two-stations", {zebra1.port()});
  const std::string config2 = f.st.dir + "/station2.json", state2 = f.st.dir + "/station2.db";
  std::ofstream(config2) << station::testing::config_json(f.st.station_key, station::testing::bag_template(), {zebra2.port()});
  station::StationState(f.state_path).add_account("op-07", "operator", "COOP", "4829");
  station::StationState(state2).add_account("op-08", "operator", "COOP", "5555");
  std::size_t entries_before = 0;
  {
    Ledger ledger(f.st.ledger_path, false);
    entries_before = ledger.size();
  }

  constexpr int kJobs = 5, kLabels = 20;
  {
    StationProcess one(f.st.ledger_path, f.st.log_key + ".pub", f.config_path, f.state_path, f.st.dir + "/station1.log");
    StationProcess two(f.st.ledger_path, f.st.log_key + ".pub", config2, state2, f.st.dir + "/station2.log");
    Operator a(one.port, "op-07", "4829"), b(two.port, "op-08", "5555");
    a.await_ready();
    b.await_ready();
    std::thread at_one([&] { a.queue(f.lot, kJobs, kLabels); });
    b.queue(f.lot, kJobs, kLabels);
    at_one.join();
    for (auto* op : {&a, &b}) {
      Json jobs = op->settle();
      std::size_t printed = 0;
      for (const auto& j : jobs) printed += j["state"] == "printed";
      CHECK_MESSAGE(printed == kJobs, jobs.dump());
    }
  }

  auto from1 = printed_serials(zebra1.received()), from2 = printed_serials(zebra2.received());
  CHECK(from1.size() == kJobs * kLabels);
  CHECK(from2.size() == kJobs * kLabels);
  std::set<std::string> distinct(from1.begin(), from1.end());
  distinct.insert(from2.begin(), from2.end());
  CHECK(distinct.size() == 2 * kJobs * kLabels);  // no code printed twice, on one printer or both

  Ledger ledger(f.st.ledger_path, false);
  CHECK(ledger.size() == entries_before + 2 * kJobs);  // one labels_issued entry per job
  for (const auto& serial : distinct) {
    auto code = ledger.code(serial);
    REQUIRE_MESSAGE(code, serial);  // every printed code was issued
    CHECK(code->lot == f.lot);
    CHECK_FALSE(code->voided_entry);
  }
  auto issued = ledger.database().prepare("SELECT count(*) FROM codes WHERE lot_id = ?");
  issued.bind(1, f.lot);
  REQUIRE(issued.step());
  CHECK(static_cast<std::size_t>(issued.column_int(0)) == distinct.size());  // none issued that no printer got
  CHECK(ledger.verify(std::nullopt).entries == ledger.size());  // throws if it does not verify
}
