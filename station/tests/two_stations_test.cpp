// Two printer stations at once (issue 15, "two stations printing at once to two printers issue
// no duplicate code and lose none"): two agtrace-station processes, each with its own
// station.json, state file and printer (a fake Zebra on loopback), serve the same ledger file;
// an operator at each queues jobs for the same lot at the same time. Every label that reached a
// printer carries a distinct code, every code the ledger issued reached exactly one printer,
// and the ledger verifies. And one station killed (SIGKILL) while it sends to a printer that
// stopped reading: after a restart it lists exactly the codes issued but not confirmed printed.
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

// One `agtrace-station serve` process on a free loopback port, stopped (SIGTERM) at the end
// (or killed earlier by kill9()).
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
    if (pid == 0) return;
    ::kill(pid, SIGTERM);
    for (int i = 0; i < 100 && ::kill(pid, 0) == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  // Kills it with SIGKILL, as a power cut or the OOM killer would: nothing of it runs after.
  void kill9() {
    ::kill(pid, SIGKILL);
    for (int i = 0; i < 100 && ::kill(pid, 0) == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    pid = 0;
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
  httplib::Result post(const std::string& path, const Json& body) {
    return client.Post(path.c_str(), headers, body.dump(), "application/json");
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
    const auto at = static_cast<std::size_t>(it->position(0) + it->length(0)), length = std::stoul((*it)[1]);
    if (at + length > zpl.size()) break;  // cut off: the printer stopped reading inside it
    std::string data = zpl.substr(at, length);
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

TEST_CASE("a station killed mid-send to a printer that stopped reading: after restart every code is confirmed, listed or voided") {
  station::testing::FakeZebra zebra;
  zebra.set_stop_reading_after(60);  // the printer hangs after its 60th label: reads and answers nothing more
  station::testing::StationFixture f("killed-station", {zebra.port()});
  station::StationState(f.state_path).add_account("op-07", "operator", "COOP", "4829");
  station::StationState(f.state_path).add_account("sup-01", "supervisor", "COOP", "7316");
  const std::string log = f.st.dir + "/station.log";
  Json job;
  {
    StationProcess station(f.st.ledger_path, f.st.log_key + ".pub", f.config_path, f.state_path, log);
    Operator a(station.port, "op-07", "4829");
    a.await_ready();
    auto res = a.post("/api/jobs", {{"lot", f.lot}, {"count", 100}, {"printer", "包装线1号"}, {"confirmed", true}});
    REQUIRE(res);
    REQUIRE_MESSAGE(res->status == 202, res->body);
    // Killed while the job is sending and the printer has stopped reading (the station waits for
    // a status answer that never comes).
    for (int i = 0; i < 300 && !zebra.stalled(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    REQUIRE(zebra.stalled());
    job = a.get("/api/jobs").at(0);
    REQUIRE_MESSAGE(job["state"] == "sending", job.dump());
    station.kill9();
  }
  std::vector<std::string> received;  // per connection: the job's bytes are never cut by a status poll
  for (const auto& stream : zebra.streams())
    for (auto& serial : printed_serials(stream)) received.push_back(std::move(serial));
  const std::set<std::string> reached(received.begin(), received.end());
  CHECK(reached.size() == received.size());  // no code sent twice
  CHECK(received.size() >= 59);  // the 60th may be cut off inside its QR field

  StationProcess again(f.st.ledger_path, f.st.log_key + ".pub", f.config_path, f.state_path, log + ".2");
  Operator a(again.port, "op-07", "4829");
  // The job recorded when it started sending: the ledger's codes of the lot are its 100.
  std::set<std::string> issued;
  {
    Ledger ledger(f.st.ledger_path, false);
    auto s = ledger.database().prepare("SELECT serial FROM codes WHERE lot_id = ?");
    s.bind(1, f.lot);
    while (s.step()) issued.insert(s.column_text(0));
  }
  REQUIRE(issued.size() == 100);
  for (const auto& serial : reached) CHECK_MESSAGE(issued.count(serial), serial);  // nothing printed that was not issued
  // The interrupted job, shown after the restart with its unconfirmed codes: exactly the issued
  // codes not confirmed printed. Each code is confirmed or listed, never both, never neither, and
  // every confirmed one reached the printer.
  Json shown = a.get("/api/jobs").at(0);
  CHECK(shown["id"] == job["id"]);
  CHECK(shown["state"] == "failed");
  Json u = a.get("/api/uncertain");
  REQUIRE(u.size() == 1);
  CHECK(u[0]["station_job"] == job["id"]);
  CHECK(u[0]["voided"] == 0);
  const auto listed = u[0]["unconfirmed"].get<std::vector<std::string>>();
  const std::set<std::string> uncertain(listed.begin(), listed.end());
  CHECK(uncertain.size() == listed.size());
  const auto confirmed = u[0]["confirmed"].get<std::size_t>();
  CHECK(confirmed + uncertain.size() == issued.size());
  CHECK(confirmed <= 60);  // no answer came after the 60th label
  for (const auto& serial : issued)
    if (!uncertain.count(serial)) CHECK_MESSAGE(reached.count(serial), serial << " confirmed but never received");
  for (const auto& serial : uncertain) CHECK(issued.count(serial));
  CHECK(shown["uncertain"] == uncertain.size());

  // The operator reprints two of them on a printer that reads again, and a supervisor voids the rest.
  zebra.set_stop_reading_after(SIZE_MAX);
  a.await_ready();
  const std::size_t connections = zebra.streams().size();
  const std::vector<std::string> two(listed.begin(), listed.begin() + 2);
  auto re = a.post("/api/reprint", {{"codes", two}, {"reason", "断电后重印"}, {"printer", "包装线1号"}});
  REQUIRE(re);
  REQUIRE_MESSAGE(re->status == 200, re->body);
  std::vector<std::string> reprinted;
  for (std::size_t i = connections; i < zebra.streams().size(); ++i)
    for (auto& serial : printed_serials(zebra.streams()[i])) reprinted.push_back(std::move(serial));
  CHECK(reprinted == two);
  auto voided = a.post("/api/void", {{"journal_job", u[0]["journal_job"]}, {"reason", "断电，不知道打出来没有"},
                                     {"supervisor", "sup-01"}, {"supervisor_pin", "7316"}});
  REQUIRE(voided);
  REQUIRE_MESSAGE(voided->status == 200, voided->body);
  CHECK(Json::parse(voided->body)["voided"] == listed.size() - 2);
  CHECK(a.get("/api/uncertain").empty());
  Ledger ledger(f.st.ledger_path, false);
  for (const auto& serial : issued)
    CHECK(ledger.code(serial)->voided_entry.has_value() == (uncertain.count(serial) && serial != two[0] && serial != two[1]));
  ledger.verify(std::nullopt);
}
