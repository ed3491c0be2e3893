// agtrace-station's command line (station/main.cpp) and agtrace-labeler's template_sha256:
// bad input exits 2 naming the field, Chinese first, with nothing written.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>

#include "labeler/template/template.h"
#include "labeler/testing/qr_decode.h"
#include "ledger/ledger.h"
#include "labeler/tests/station.h"
#include "station/state.h"
#include "station/tests/fixture.h"

using namespace agtrace;
using labeler::testing::shell_quote;

namespace {

struct Outcome {
  int status = -1;
  std::string out;
};

Outcome run_station_bin(const std::string& bin, const std::vector<std::string>& args, const std::string& stdin_text = "") {
  std::string cmd = bin;
  for (const auto& a : args) cmd += " " + shell_quote(a);
  cmd = "printf %s " + shell_quote(stdin_text) + " | " + cmd + " 2>&1";
  Outcome o;
  o.status = labeler::testing::run(cmd, &o.out);
  return o;
}

Outcome run_station(const std::vector<std::string>& args, const std::string& stdin_text = "") {
  return run_station_bin(AGTRACE_STATION_BIN, args, stdin_text);
}

}  // namespace

TEST_CASE("user add, disable, reset-pin and unlock: the PIN from standard input; bad input exits 2 with nothing written") {
  std::string dir = labeler::testing::scratch_dir("station-cli-users");
  std::string state = dir + "/station.db";
  auto bad_id = run_station({"user", "add", "--state", state, "--id", "Wang Wei", "--role", "operator", "--enterprise", "COOP"}, "4829\n");
  CHECK(bad_id.status == 2);
  CHECK(bad_id.out.find("--id Wang Wei：账号是化名") != std::string::npos);
  auto bad_role = run_station({"user", "add", "--state", state, "--id", "op-07", "--role", "boss", "--enterprise", "COOP"}, "4829\n");
  CHECK(bad_role.status == 2);
  CHECK(bad_role.out.find("--role boss：角色只能是") != std::string::npos);
  auto bad_pin = run_station({"user", "add", "--state", state, "--id", "op-07", "--role", "operator", "--enterprise", "COOP"}, "12\n");
  CHECK(bad_pin.status == 2);
  CHECK(bad_pin.out.find("PIN 须为 4 到 12 位数字") != std::string::npos);
  auto no_pin = run_station({"user", "add", "--state", state, "--id", "op-07", "--role", "operator", "--enterprise", "COOP"}, "");
  CHECK(no_pin.status == 2);
  CHECK(no_pin.out.find("没有读到 PIN") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(state));  // nothing written by any refusal
  auto missing = run_station({"user", "reset-pin", "--state", state, "--id", "op-07"}, "1234\n");
  CHECK(missing.status == 2);
  CHECK(missing.out.find("没有这个文件") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(state));

  auto ok = run_station({"user", "add", "--state", state, "--id", "op-07", "--role", "operator", "--enterprise", "COOP"}, "4829\n");
  CHECK_MESSAGE(ok.status == 0, ok.out);
  CHECK(ok.out.find("已添加账号 op-07") != std::string::npos);
  {
    station::StationState s(state);
    for (int i = 0; i < station::kMaxWrongPins; ++i) s.sign_in("op-07", "0000");
    CHECK(s.account("op-07")->locked);
  }
  auto reset = run_station({"user", "reset-pin", "--state", state, "--id", "op-07"}, "7391\n");
  CHECK_MESSAGE(reset.status == 0, reset.out);
  {
    station::StationState s(state);
    CHECK(s.sign_in("op-07", "7391").outcome == station::SignInOutcome::ok);
  }
  // user unlock: the lock ends at once, the PIN stays, and who unlocked is kept in the state file.
  {
    station::StationState s(state);
    for (int i = 0; i < station::kMaxWrongPins; ++i) s.sign_in("op-07", "0000");
    CHECK(s.sign_in("op-07", "7391").outcome == station::SignInOutcome::locked);
  }
  auto unlock = run_station({"user", "unlock", "--state", state, "--id", "op-07"});
  CHECK_MESSAGE(unlock.status == 0, unlock.out);
  CHECK(unlock.out.find("已解锁账号 op-07（PIN 不变）") != std::string::npos);
  {
    station::StationState s(state);
    CHECK(s.sign_in("op-07", "7391").outcome == station::SignInOutcome::ok);
    REQUIRE(s.last_unlock("op-07"));
    CHECK(s.last_unlock("op-07")->first == "user unlock");
  }
  // The sign-in lock message names `agtrace-station user unlock --id …`: `user --help` lists it.
  auto help = run_station({"user", "--help"});
  CHECK(help.status == 0);
  CHECK(help.out.find("\n  unlock ") != std::string::npos);
  CHECK(help.out.find("\n  reset-pin ") != std::string::npos);
  auto unlock_unknown = run_station({"user", "unlock", "--state", state, "--id", "op-99"});
  CHECK(unlock_unknown.status == 2);
  CHECK(unlock_unknown.out.find("--id op-99：没有这个账号") != std::string::npos);
  CHECK(run_station({"user", "disable", "--state", state, "--id", "op-07"}).status == 0);
  CHECK(station::StationState(state).sign_in("op-07", "7391").outcome == station::SignInOutcome::disabled);
  auto unknown = run_station({"user", "disable", "--state", state, "--id", "op-99"});
  CHECK(unknown.status == 2);
  CHECK(unknown.out.find("--id op-99：没有这个账号") != std::string::npos);
}

TEST_CASE("serve and user add --config refuse a bad station.json with exit 2, naming the field; no state file") {
  station::testing::StationFixture f("cli-config", {9});
  std::string bad = f.st.dir + "/bad.json";
  {
    auto doc = nlohmann::json::parse(f.config_text);
    doc["printers"][0]["language"] = "epl";
    std::ofstream(bad) << doc.dump();
  }
  std::string state = f.st.dir + "/never.db";
  auto serve = run_station({"serve", "--ledger", f.st.ledger_path, "--config", bad, "--state", state, "--listen", "127.0.0.1:0"});
  CHECK(serve.status == 2);
  CHECK(serve.out.find("printers[0].language") != std::string::npos);
  auto other = run_station({"user", "add", "--state", state, "--id", "op-07", "--role", "operator", "--enterprise", "ELSEWHERE",
                        "--config", f.config_path},
                       "4829\n");
  CHECK(other.status == 2);
  CHECK(other.out.find("--enterprise ELSEWHERE：") != std::string::npos);
  auto listen = run_station({"serve", "--ledger", f.st.ledger_path, "--config", f.config_path, "--state", state, "--listen", "nowhere"});
  CHECK(listen.status == 2);
  CHECK(listen.out.find("--listen \"nowhere\"") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(state));
}

TEST_CASE("user add --role clerk warns, Chinese first, when station.json has no clerk key for the enterprise") {
  station::testing::StationFixture f("cli-clerk-key", {9});
  std::string state = f.st.dir + "/station.db";
  auto clerk = run_station({"user", "add", "--state", state, "--id", "clerk-01", "--role", "clerk", "--enterprise", "COOP",
                            "--config", f.config_path},
                           "2468\n");
  CHECK_MESSAGE(clerk.status == 0, clerk.out);  // the account is added; the warning says how to make it work
  const auto warning = clerk.out.find("注意：" + f.config_path + " 里 COOP 没有文员密钥（clerk_key），文员 clerk-01 的上传都会被拒绝");
  CHECK_MESSAGE(warning != std::string::npos, clerk.out);
  CHECK(clerk.out.find("key add --role clerk") != std::string::npos);
  CHECK(warning < clerk.out.find("warning: COOP has no clerk_key"));
  CHECK(station::StationState(state).account("clerk-01")->role == "clerk");
  // An operator needs no clerk key; with one configured, a clerk gets no warning.
  auto op = run_station({"user", "add", "--state", state, "--id", "op-07", "--role", "operator", "--enterprise", "COOP",
                         "--config", f.config_path},
                        "4829\n");
  CHECK(op.status == 0);
  CHECK(op.out.find("clerk_key") == std::string::npos);
  auto doc = nlohmann::json::parse(f.config_text);
  doc["enterprises"][0]["clerk_key"] = f.st.clerk_key;
  std::ofstream(f.config_path) << doc.dump();
  auto configured = run_station({"user", "add", "--state", state, "--id", "clerk-02", "--role", "clerk", "--enterprise",
                                 "COOP", "--config", f.config_path},
                                "2468\n");
  CHECK_MESSAGE(configured.status == 0, configured.out);
  CHECK(configured.out.find("clerk_key") == std::string::npos);
}

TEST_CASE("agtrace-labeler print records the template file's SHA-256 in the job") {
  station::testing::StationFixture f("cli-labeler", {9});
  auto r = f.st.labeler({"print", "--key", f.st.station_key, "--lot", f.lot, "--count", "2", "--template",
                         station::testing::bag_template(), "--format", "zpl", "--out", f.st.dir + "/two.zpl", "--quiet"});
  REQUIRE_MESSAGE(r.status == 0, r.out);
  std::string digest;
  labeler::testing::run("sha256sum " + shell_quote(station::testing::bag_template()) + " | cut -c1-64", &digest);
  while (!digest.empty() && digest.back() == '\n') digest.pop_back();
  REQUIRE(digest.size() == 64);
  Ledger ledger(f.st.ledger_path, false);
  auto event = ledger.store().event_at(ledger.size() - 1);
  CHECK(event["type"] == "labels_issued");
  CHECK(event["template_sha256"] == digest);
  CHECK_FALSE(event.contains("operator"));  // the CLI runs without a station account
}

namespace {

// Sends `bytes` to 127.0.0.1:`port` and returns what comes back within 2 s (up to `want` bytes).
std::string exchange(int port, const std::string& bytes, std::size_t want) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string got;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
      ::write(fd, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size())) {
    char buf[512];
    pollfd p{fd, POLLIN, 0};
    while (got.size() < want && ::poll(&p, 1, 2000) == 1) {
      ssize_t n = ::read(fd, buf, sizeof buf);
      if (n <= 0) break;
      got.append(buf, static_cast<std::size_t>(n));
    }
  }
  ::close(fd);
  return got;
}

std::string slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), {});
}

}  // namespace

TEST_CASE("station_fake_printer: --listen, paper and ribbon switched by --status-file while it runs, --out after each job") {
  std::string dir = labeler::testing::scratch_dir("station-fake-printer");
  const std::string status = dir + "/status", out = dir + "/received.zpl";
  std::ofstream(status) << "ready\n";
  // It stops by itself (timeout's SIGTERM) after the checks below.
  FILE* p = ::popen(fmt::format("timeout 6 {} --listen 127.0.0.1:0 --status-file {} --out {}", AGTRACE_FAKE_PRINTER_BIN,
                                shell_quote(status), shell_quote(out))
                        .c_str(),
                    "r");
  REQUIRE(p != nullptr);
  char line[128] = {};
  REQUIRE(std::fgets(line, sizeof line, p) != nullptr);
  int port = 0;
  REQUIRE(std::sscanf(line, "listening on tcp://127.0.0.1:%d", &port) == 1);
  CHECK(port > 0);
  // ~HS: string 1's second field is paper out, string 2's fourth ribbon out.
  auto hs = [&] { return exchange(port, "~HS", 80); };
  CHECK(hs().find("\x02" "030,0,0,") == 0);
  std::ofstream(status) << "paper-out\n";
  CHECK(hs().find("\x02" "030,1,0,") == 0);
  std::ofstream(status) << "ribbon-out\n";
  std::string ribbon = hs();
  CHECK(ribbon.find("\x02" "030,0,0,") == 0);
  CHECK(ribbon.find("\x02" "001,0,0,1,") != std::string::npos);
  std::ofstream(status) << "ready\n";
  CHECK(hs().find("\x02" "001,0,0,0,") != std::string::npos);
  // A job is in the --out file while the printer still runs.
  (void)exchange(port, "^XA^FO10,10^BQN,2,4^FDQA,https://t.example/01/1^FS^XZ", 0);
  bool flushed = false;
  for (int i = 0; i < 30 && !flushed; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    flushed = slurp(out).find("^BQN,2,4") != std::string::npos;
  }
  CHECK(flushed);
  CHECK(::pclose(p) != -1);
  // Bad arguments: usage and exit 2.
  auto bad = run_station_bin(AGTRACE_FAKE_PRINTER_BIN, {"--listen", "127.0.0.1"});
  CHECK(bad.status == 2);
  CHECK(bad.out.find("--listen 127.0.0.1: expected HOST:PORT") != std::string::npos);
  CHECK(run_station_bin(AGTRACE_FAKE_PRINTER_BIN, {"--paper"}).status == 2);
  CHECK(run_station_bin(AGTRACE_FAKE_PRINTER_BIN, {"--listen", "no-such-host:9100"}).status == 1);
}

TEST_CASE("user enable: a disabled account signs in again; reset-pin on a disabled one says it stays disabled and how to enable") {
  std::string dir = labeler::testing::scratch_dir("station-cli-enable");
  std::string state = dir + "/station.db";
  REQUIRE(run_station({"user", "add", "--state", state, "--id", "op-07", "--role", "operator", "--enterprise", "COOP"}, "4829\n")
              .status == 0);
  REQUIRE(run_station({"user", "disable", "--state", state, "--id", "op-07"}).status == 0);
  auto reset = run_station({"user", "reset-pin", "--state", state, "--id", "op-07"}, "7391\n");
  CHECK_MESSAGE(reset.status == 0, reset.out);
  CHECK(reset.out.find("已重置账号 op-07 的 PIN，但它仍是停用的，还不能登录") == 0);
  CHECK(reset.out.find(fmt::format("agtrace-station user enable --state {} --id op-07", state)) != std::string::npos);
  CHECK(station::StationState(state).sign_in("op-07", "7391").outcome == station::SignInOutcome::disabled);
  auto enable = run_station({"user", "enable", "--state", state, "--id", "op-07"});
  CHECK_MESSAGE(enable.status == 0, enable.out);
  CHECK(enable.out.find("已重新启用账号 op-07") == 0);
  CHECK(station::StationState(state).sign_in("op-07", "7391").outcome == station::SignInOutcome::ok);
  auto unknown = run_station({"user", "enable", "--state", state, "--id", "op-99"});
  CHECK(unknown.status == 2);
  CHECK(unknown.out.find("--id op-99：没有这个账号") != std::string::npos);
  // user --help under a Chinese locale: the verbs in Chinese.
  auto help = run_station_bin(std::string("LC_ALL=zh_CN.UTF-8 ") + AGTRACE_STATION_BIN, {"user", "--help"});
  CHECK(help.status == 0);
  CHECK_MESSAGE(help.out.find("重新启用停用的账号") != std::string::npos, help.out);
  CHECK(help.out.find("停用账号并结束它的登录") != std::string::npos);
  CHECK(help.out.find("disable an account") == std::string::npos);
}

TEST_CASE("template approve prints the template's SHA-256 as the line station.json pins it with") {
  const std::string t = station::testing::bag_template();
  auto ok = run_station({"template", "approve", "--template", t});
  CHECK_MESSAGE(ok.status == 0, ok.out);
  const std::string sha = labeler::load_template(t).file_sha256;
  CHECK(ok.out.find(fmt::format("\"sha256\": \"{}\"\n", sha)) != std::string::npos);
  CHECK(ok.out.find("检查通过，SHA-256 是 " + sha) != std::string::npos);
  auto bad = run_station({"template", "approve", "--template", t + ".missing"});
  CHECK(bad.status == 2);
}
