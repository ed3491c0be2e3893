// agtrace-station's HTTP service in-process (station/server.h), the hostile suite of issue 15:
// "a POST without the CSRF token, without a session, or with another user's session is
// refused; bodies over a limit refused with a clear message"; sign-in and lockout over HTTP;
// a job queued through the API prints on a fake Zebra through the labeler's job code and
// records the operator and the template's SHA-256 in its signed entry.
#include <doctest/doctest.h>
#include <fmt/format.h>
#include <httplib.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <ctime>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <thread>

#include "ledger/event/digital_link.h"
#include "ledger/ledger.h"
#include "ledger/note/ed25519_key.h"
#include "ledger/util/error.h"
#include "ledger/util/bytes.h"
#include "ledger/util/sha256.h"
#include "labeler/testing/qr_decode.h"
#include "labeler/testing/tspl_render.h"
#include "station/config.h"
#include "station/history.h"
#include "station/lots.h"
#include "station/messages.h"
#include "station/server.h"
#include "station/state.h"
#include "station/template_check.h"
#include "station/tests/fake_printer.h"
#include "station/tests/fixture.h"

using namespace agtrace;
using namespace agtrace::station;
using Json = nlohmann::json;

namespace {

// The shared in-process station (fixture.h); Running(name, poll_ms) as these tests write it.
struct Running : testing::RunningStation {
  explicit Running(const std::string& name, int replica_poll_ms = 100)
      : testing::RunningStation(name, {replica_poll_ms, {}}) {}
  Running(const std::string& name, testing::RunningOptions options) : testing::RunningStation(name, std::move(options)) {}
};

struct Signed {
  std::string cookie, csrf;
};

Signed sign_in(const Running& r, const std::string& user, const std::string& pin) {
  auto c = r.client();
  auto res = c.Post("/api/signin", Json{{"user", user}, {"pin", pin}}.dump(), "application/json");
  REQUIRE(res);
  REQUIRE_MESSAGE(res->status == 200, res->body);
  std::string set = res->get_header_value("Set-Cookie");
  CHECK(set.find("HttpOnly") != std::string::npos);
  CHECK(set.find("SameSite=Strict") != std::string::npos);
  CHECK(set.find("Path=/") != std::string::npos);
  return {set.substr(0, set.find(';')), Json::parse(res->body).at("csrf").get<std::string>()};
}

httplib::Result post(const Running& r, const std::string& path, const std::string& body, const Signed* who,
                     const std::string& csrf) {
  auto c = r.client();
  httplib::Headers h;
  if (who) h.emplace("Cookie", who->cookie);
  if (!csrf.empty()) h.emplace("X-CSRF-Token", csrf);
  return c.Post(path.c_str(), h, body, "application/json");
}

std::string query_escape(const std::string& s) {
  std::string out;
  for (unsigned char ch : s) {
    if (std::isalnum(ch) || ch == '-' || ch == '_' || ch == '.') out.push_back(static_cast<char>(ch));
    else out += fmt::format("%{:02X}", ch);
  }
  return out;
}

// Sends `request` on a fresh connection and returns what the server answers within 5 s.
std::string raw_exchange(int port, const std::string& request) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
  REQUIRE(::send(fd, request.data(), request.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(request.size()));
  std::string out;
  char buf[4096];
  for (;;) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 5000) != 1) break;
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
    if (out.find("\r\n\r\n") != std::string::npos && out.find("}") != std::string::npos) break;
  }
  ::close(fd);
  return out;
}

std::string error_of(const httplib::Result& res) { return Json::parse(res->body).value("error", ""); }

// Waits until the printer answered a status poll (the panel shows ready).
void await_ready(const Running& r, const Signed& s) {
  auto c = r.client();
  for (int i = 0; i < 100; ++i) {
    auto res = c.Get("/api/printers", {{"Cookie", s.cookie}});
    if (res && res->status == 200 && Json::parse(res->body)[0].value("ready", false)) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  FAIL("the printer never showed ready");
}

// Queues a job of `count` labels, waits for it to end and returns it.
Json print_job(const Running& r, const Signed& a, std::size_t count) {
  auto ok = post(r, "/api/jobs", Json{{"lot", r.f.lot}, {"count", count}, {"printer", "包装线1号"}}.dump(), &a, a.csrf);
  REQUIRE_MESSAGE(ok->status == 202, ok->body);
  auto c = r.client();
  Json job;
  for (int i = 0; i < 300; ++i) {
    job = Json::parse(c.Get("/api/jobs", {{"Cookie", a.cookie}})->body)[0];
    if (job["state"] != "queued" && job["state"] != "sending") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return job;
}

// The serials of the lot's codes, in serial order.
std::vector<std::string> lot_serials(const Running& r) {
  Ledger ledger(r.f.st.ledger_path, false);
  auto s = ledger.database().prepare("SELECT serial FROM codes WHERE lot_id = ? ORDER BY serial");
  s.bind(1, r.f.lot);
  std::vector<std::string> out;
  while (s.step()) out.push_back(s.column_text(0));
  return out;
}

Json event_at(const Running& r, std::uint64_t entry) {
  Ledger ledger(r.f.st.ledger_path, false);
  return ledger.store().event_at(entry);
}

std::size_t entry_count(const Running& r) {
  Ledger ledger(r.f.st.ledger_path, false);
  return ledger.size();
}

}  // namespace

TEST_CASE("state-changing requests need a session and its CSRF token; another user's session is refused") {
  Running r("http-csrf");
  Signed a = sign_in(r, "op-07", "4829"), b = sign_in(r, "op-08", "5555");
  const std::string job = Json{{"lot", r.f.lot}, {"count", 1}, {"printer", "包装线1号"}}.dump();
  auto none = post(r, "/api/jobs", job, nullptr, "");
  CHECK(none->status == 401);
  CHECK(error_of(none).find("请先登录") == 0);
  auto forged = post(r, "/api/jobs", job, nullptr, a.csrf);  // a token without its session
  CHECK(forged->status == 401);
  auto no_csrf = post(r, "/api/jobs", job, &a, "");
  CHECK(no_csrf->status == 403);
  CHECK(error_of(no_csrf).find("安全令牌") != std::string::npos);
  auto other = post(r, "/api/jobs", job, &a, b.csrf);  // op-07's cookie with op-08's token
  CHECK(other->status == 403);
  auto wrong = post(r, "/api/jobs", job, &a, std::string(64, 'a'));
  CHECK(wrong->status == 403);
  // Nothing was queued by any of them.
  auto c = r.client();
  auto jobs = c.Get("/api/jobs", {{"Cookie", a.cookie}});
  CHECK(Json::parse(jobs->body).empty());
  // Signing out ends the session: its cookie and token no longer work.
  CHECK(post(r, "/api/signout", "{}", &b, b.csrf)->status == 200);
  CHECK(post(r, "/api/jobs/cancel", "{\"id\": 1}", &b, b.csrf)->status == 401);
  CHECK(c.Get("/api/me", {{"Cookie", b.cookie}})->status == 401);
}

TEST_CASE("a screen's polls do not keep a session alive: it times out unless the user does something") {
  Running r("http-idle");
  Signed polled = sign_in(r, "op-07", "4829"), used = sign_in(r, "op-08", "5555");
  auto c = r.client();
  const httplib::Headers poll_a{{"Cookie", polled.cookie}, {"X-Station-Poll", "1"}};
  const httplib::Headers poll_b{{"Cookie", used.cookie}, {"X-Station-Poll", "1"}};
  // Polls every 5 minutes (the screens poll every 2 s) up to 15 minutes: still signed in...
  for (int minute = 5; minute <= 15; minute += 5) {
    r.session_skew_ms->store(std::int64_t{minute} * 60 * 1000 - 1000);
    for (const char* path : {"/api/jobs", "/api/printers", "/api/me", "/api/uncertain"}) {
      CHECK(c.Get(path, poll_a)->status == 200);
      CHECK(c.Get(path, poll_b)->status == 200);
    }
    if (minute == 10) {  // ...op-08 does something at 10 minutes (a tab opened: a GET without the poll header)
      CHECK(c.Get("/api/products", {{"Cookie", used.cookie}})->status == 200);
      CHECK(post(r, "/api/lot-tag", "{}", &used, used.csrf)->status != 401);
    }
  }
  // ...and past the 15-minute idle timeout the polls alone got answer 401; the one who acted is on.
  r.session_skew_ms->store(std::int64_t{15} * 60 * 1000 + 1000);
  auto timed_out = c.Get("/api/jobs", poll_a);
  CHECK(timed_out->status == 401);
  CHECK(error_of(timed_out).find("登录已超时") != std::string::npos);
  CHECK(c.Get("/api/jobs", poll_b)->status == 200);
  CHECK(c.Get("/api/me", {{"Cookie", polled.cookie}})->status == 401);  // gone for good
}

TEST_CASE("a malformed JSON body is a bad request in the screen's words, not a refusal by the ledger") {
  Running r("http-bad-json");
  Signed a = sign_in(r, "op-07", "4829");
  for (const char* body : {"{\"lot\": ", "[1, 2]", "{\"lot\": \"x\",}"}) {
    CAPTURE(body);
    auto res = post(r, "/api/jobs", body, &a, a.csrf);
    CHECK(res->status == 400);
    CHECK(error_of(res).rfind("请求格式不对", 0) == 0);
    CHECK(error_of(res).find("账本拒绝") == std::string::npos);
  }
}

TEST_CASE("bodies over the limit, other content types and other methods are refused with a clear message") {
  Running r("http-limits");
  Signed a = sign_in(r, "op-07", "4829");
  auto big = post(r, "/api/jobs", std::string(kMaxBodyBytes + 1, ' '), &a, a.csrf);
  REQUIRE(big);
  CHECK(big->status == 413);
  CHECK(error_of(big).find("请求内容太大，最多 16384 字节") == 0);
  // A 10 MB body announced: answered 413 from the headers alone, before the body is read.
  std::string huge = raw_exchange(r.port, "POST /api/signin HTTP/1.1\r\nHost: station\r\nContent-Type: "
                                          "application/json\r\nContent-Length: 10485760\r\n\r\n" +
                                              std::string(4096, 'x'));
  CHECK(huge.rfind("HTTP/1.1 413", 0) == 0);
  CHECK(huge.find("请求内容太大") != std::string::npos);
  // A chunked body (no length to check first): refused with 411, never taken for a sign-in.
  std::string chunked = raw_exchange(r.port, "POST /api/signin HTTP/1.1\r\nHost: station\r\nContent-Type: "
                                             "application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                                             "2\r\n{}\r\n0\r\n\r\n");
  CHECK(chunked.rfind("HTTP/1.1 411", 0) == 0);
  CHECK(chunked.find("不接受分块传输") != std::string::npos);
  std::string garbled = raw_exchange(r.port, "POST /api/signin HTTP/1.1\r\nHost: station\r\nContent-Type: "
                                             "application/json\r\nContent-Length: 12abc\r\n\r\n{}");
  CHECK(garbled.rfind("HTTP/1.1 400", 0) == 0);
  auto c = r.client();
  auto form = c.Post("/api/signin", "user=op-07&pin=4829", "application/x-www-form-urlencoded");
  CHECK(form->status == 415);
  auto del = c.Delete("/api/jobs");
  CHECK(del->status == 405);
  auto bad = post(r, "/api/jobs", "{\"lot\": ", &a, a.csrf);
  CHECK(bad->status == 400);
  auto dup = post(r, "/api/signin", "{\"user\": \"op-07\", \"user\": \"op-08\", \"pin\": \"4829\"}", nullptr, "");
  CHECK(dup->status == 400);
  // The session survived: the refusals changed nothing.
  CHECK(c.Get("/api/me", {{"Cookie", a.cookie}})->status == 200);
}

TEST_CASE("the UI and API carry a strict CSP; names are data, never markup") {
  Running r("http-csp");
  auto c = r.client();
  auto page = c.Get("/");
  REQUIRE(page->status == 200);
  std::string csp = page->get_header_value("Content-Security-Policy");
  CHECK(csp.find("script-src 'self'") != std::string::npos);
  CHECK(csp.find("unsafe-inline") == std::string::npos);
  CHECK(page->get_header_value("X-Frame-Options") == "DENY");
  CHECK(page->body.find("<script>") == std::string::npos);  // no inline script
  auto js = c.Get("/app.js");
  CHECK(js->get_header_value("Content-Type").find("text/javascript") == 0);
  CHECK(js->body.find("innerHTML") == std::string::npos);
  // A repeated load is answered from the browser's cache.
  auto again = c.Get("/app.js", {{"If-None-Match", js->get_header_value("ETag")}});
  CHECK(again->status == 304);
  Signed a = sign_in(r, "op-07", "4829");
  auto lot = c.Get(("/api/lot?q=" + r.f.hostile_lot).c_str(), {{"Cookie", a.cookie}});
  REQUIRE(lot->status == 200);
  CHECK(lot->get_header_value("Content-Type").find("application/json") == 0);
  CHECK(Json::parse(lot->body)["product_name"] == testing::kHostileName);
}

TEST_CASE("sign-in over HTTP: five wrong PINs lock the account, in Chinese first") {
  Running r("http-lockout");
  auto c = r.client();
  auto attempt = [&](const std::string& pin) {
    return c.Post("/api/signin", Json{{"user", "op-07"}, {"pin", pin}}.dump(), "application/json");
  };
  for (int i = 0; i < 4; ++i) {
    auto res = attempt("0000");
    CHECK(res->status == 401);
    CHECK(error_of(res).find(fmt::format("账号或 PIN 不对；再错 {} 次账号会被锁定", 4 - i)) == 0);
    CHECK(Json::parse(res->body)["tries_left"] == 4 - i);
  }
  auto fifth = attempt("0000");
  CHECK(fifth->status == 403);
  CHECK(error_of(fifth).find("账号已锁定") == 0);
  // An operator is sent to a supervisor or the administrator's command.
  CHECK(error_of(fifth).find("急用请找本企业主管在“账号”屏幕解锁或重置 PIN，或请系统管理员运行 agtrace-station user unlock "
                             "--id op-07 / ") != std::string::npos);
  CHECK(attempt("4829")->status == 403);
  StationState(r.f.state_path).reset_pin("op-07", "4829");
  CHECK(attempt("4829")->status == 200);
}

// Beijing time of Unix ms `ms` as the messages write it, computed apart from the server's code.
std::string beijing(std::int64_t ms) {
  std::time_t t = static_cast<std::time_t>(ms / 1000 + 8 * 3600);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
  return buf;
}
// …and as the Chinese half writes it: 2026年12月7日 11:32.
std::string beijing_zh(std::int64_t ms) {
  std::time_t t = static_cast<std::time_t>(ms / 1000 + 8 * 3600);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return fmt::format("{}年{}月{}日 {:02}:{:02}", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min);
}

TEST_CASE("a sign-in lockout is temporary (15 minutes, doubling), says until when in Beijing time, and a supervisor unlocks it") {
  Running r("http-timed-lockout");
  StationState(r.f.state_path).add_account("op-x1", "operator", "OTHER", "1357");  // another enterprise's account
  auto c = r.client();
  auto attempt = [&](const std::string& user, const std::string& pin) {
    return c.Post("/api/signin", Json{{"user", user}, {"pin", pin}}.dump(), "application/json");
  };
  auto lock = [&](const std::string& user) {
    for (int i = 0; i < kMaxWrongPins - 1; ++i) REQUIRE(attempt(user, "0000")->status == 401);
    auto fifth = attempt(user, "0000");
    REQUIRE(fifth->status == 403);
    return Json::parse(fifth->body);
  };
  // Anyone on the LAN can lock a supervisor: the lock ends by itself.
  std::int64_t before = wall_clock_ms() + r.lockout_skew_ms->load();
  Json sup = lock("sup-01");
  std::int64_t until = sup["locked_until_ms"].get<std::int64_t>();
  CHECK(until >= before + 15 * 60 * 1000);
  CHECK(until <= wall_clock_ms() + 15 * 60 * 1000 + 1000);
  // A supervisor (maybe the only one) is not sent to "a supervisor": the administrator's command,
  // and its approvals still work.
  CHECK(sup["error"].get<std::string>().find(
            fmt::format("账号已锁定：PIN 连续输错 5 次，到北京时间 {} 自动解锁；急用请系统管理员在工作站电脑上运行 "
                        "agtrace-station user unlock --id sup-01（或请本企业另一位主管在“账号”屏幕解锁）；锁定期间本账号仍可在"
                        "操作员屏幕上批准作废和重印 / account locked after 5 wrong PINs until {} Beijing time",
                        beijing_zh(until), beijing(until))) == 0);
  CHECK(sup["error"].get<std::string>().find("找本企业主管") == std::string::npos);
  CHECK(attempt("sup-01", "7316")->status == 403);  // the right PIN waits too
  r.lockout_skew_ms->store(15 * 60 * 1000 + 1000);  // waited out
  Signed s1 = sign_in(r, "sup-01", "7316");
  // Locked again in a row after the wait: twice as long.
  r.lockout_skew_ms->store(0);
  lock("sup-02");
  r.lockout_skew_ms->store(15 * 60 * 1000 + 1000);
  Json again = lock("sup-02");
  CHECK(again["locked_until_ms"].get<std::int64_t>() >= wall_clock_ms() + r.lockout_skew_ms->load() + 30 * 60 * 1000 - 1000);

  // op-07 locked: an operator can neither see the accounts nor unlock; the supervisor can.
  lock("op-07");
  Signed op = sign_in(r, "op-08", "5555");
  auto op_list = c.Get("/api/accounts", {{"Cookie", op.cookie}});
  CHECK(op_list->status == 403);
  CHECK(error_of(op_list).find("只有主管能查看和解锁账号") == 0);
  auto op_unlock = post(r, "/api/accounts/unlock", Json{{"id", "op-07"}}.dump(), &op, op.csrf);
  CHECK(op_unlock->status == 403);
  CHECK(error_of(op_unlock).find("只有主管能查看和解锁账号") == 0);
  CHECK(attempt("op-07", "4829")->status == 403);
  auto no_csrf = post(r, "/api/accounts/unlock", Json{{"id", "op-07"}}.dump(), &s1, "");
  CHECK(no_csrf->status == 403);
  CHECK(attempt("op-07", "4829")->status == 403);

  auto list = c.Get("/api/accounts", {{"Cookie", s1.cookie}});
  REQUIRE(list->status == 200);
  Json accounts = Json::parse(list->body)["accounts"];
  std::map<std::string, Json> by_id;
  for (const auto& a : accounts) by_id[a["id"].get<std::string>()] = a;
  CHECK(by_id.count("op-x1") == 0);  // only the enterprise's own
  REQUIRE(by_id.count("op-07"));
  CHECK(by_id["op-07"]["locked"] == true);
  CHECK(by_id["op-07"]["locked_until"].get<std::string>().size() == 16);
  CHECK(std::regex_match(by_id["op-07"]["locked_until_zh"].get<std::string>(),
                         std::regex("\\d{4}年\\d{1,2}月\\d{1,2}日 \\d\\d:\\d\\d")));
  CHECK(by_id["op-08"]["locked"] == false);
  CHECK(by_id["sup-02"]["locked"] == true);

  auto foreign = post(r, "/api/accounts/unlock", Json{{"id", "op-x1"}}.dump(), &s1, s1.csrf);
  CHECK(foreign->status == 404);
  auto unknown = post(r, "/api/accounts/unlock", Json{{"id", "op-99"}}.dump(), &s1, s1.csrf);
  CHECK(unknown->status == 404);
  CHECK(error_of(foreign) == fmt::format("本企业没有账号“op-x1” / your enterprise has no account \"op-x1\""));
  auto bad_pin = post(r, "/api/accounts/unlock", Json{{"id", "op-07"}, {"new_pin", "12ab"}}.dump(), &s1, s1.csrf);
  CHECK(bad_pin->status == 400);
  CHECK(error_of(bad_pin).find("新 PIN 须为 4 到 12 位数字，请重新输入；没有作任何处理") == 0);
  CHECK(attempt("op-07", "4829")->status == 403);  // nothing done by the refusals

  auto ok = post(r, "/api/accounts/unlock", Json{{"id", "op-07"}}.dump(), &s1, s1.csrf);
  REQUIRE_MESSAGE(ok->status == 200, ok->body);
  CHECK(Json::parse(ok->body)["message"].get<std::string>().find("已解锁账号 op-07（由 sup-01 解锁）") == 0);
  sign_in(r, "op-07", "4829");  // its own PIN still works
  CHECK(StationState(r.f.state_path).last_unlock("op-07")->first == "sup-01");  // in the station's state, not the ledger
  // A new PIN with the unlock.
  auto reset = post(r, "/api/accounts/unlock", Json{{"id", "sup-02"}, {"new_pin", "8642"}}.dump(), &s1, s1.csrf);
  REQUIRE_MESSAGE(reset->status == 200, reset->body);
  CHECK(Json::parse(reset->body)["pin_reset"] == true);
  CHECK(attempt("sup-02", "9051")->status == 401);
  sign_in(r, "sup-02", "8642");
  auto after = Json::parse(c.Get("/api/accounts", {{"Cookie", s1.cookie}})->body)["accounts"];
  for (const auto& a : after) {
    CHECK(a["locked"] == false);
    if (a["id"] == "op-07") CHECK(a["last_unlock"]["by"] == "sup-01");
  }
}

TEST_CASE("a job through the API prints on the printer and records operator and template_sha256") {
  Running r("http-print");
  Signed a = sign_in(r, "op-07", "4829");
  await_ready(r, a);
  auto c = r.client();
  // Refusals, in the operator's words, before anything is queued.
  auto too_many = post(r, "/api/jobs", Json{{"lot", r.f.lot}, {"count", 2001}, {"printer", "包装线1号"}, {"confirmed", true}}.dump(), &a, a.csrf);
  CHECK(too_many->status == 400);
  CHECK(error_of(too_many).find("这个批次包装了 2000 件") == 0);
  auto unconfirmed = post(r, "/api/jobs", Json{{"lot", r.f.lot}, {"count", 21}, {"printer", "包装线1号"}}.dump(), &a, a.csrf);
  CHECK(unconfirmed->status == 409);
  CHECK(Json::parse(unconfirmed->body)["confirm"] == true);
  auto unfit = post(r, "/api/jobs", Json{{"lot", r.f.hostile_lot}, {"count", 1}, {"printer", "包装线1号"}}.dump(), &a, a.csrf);
  CHECK(unfit->status == 400);
  CHECK(error_of(unfit).find("标签模板放不下") == 0);
  auto clerk = sign_in(r, "clerk-01", "2468");
  auto by_clerk = post(r, "/api/jobs", Json{{"lot", r.f.lot}, {"count", 1}, {"printer", "包装线1号"}}.dump(), &clerk, clerk.csrf);
  CHECK(by_clerk->status == 403);
  // The job itself.
  auto ok = post(r, "/api/jobs", Json{{"lot", r.f.lot}, {"count", 12}, {"printer", "包装线1号"}}.dump(), &a, a.csrf);
  REQUIRE_MESSAGE(ok->status == 202, ok->body);
  std::int64_t id = Json::parse(ok->body)["id"];
  Json job;
  for (int i = 0; i < 300; ++i) {
    job = Json::parse(c.Get("/api/jobs", {{"Cookie", a.cookie}})->body)[0];
    if (job["state"] != "queued" && job["state"] != "sending") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  CHECK(job["id"] == id);
  REQUIRE_MESSAGE(job["state"] == "printed", job.dump());
  CHECK(job["confirmed"] == 12);
  CHECK(r.zebra.labels() == 12);
  Ledger ledger(r.f.st.ledger_path, false);
  auto event = ledger.store().event_at(job["entry"].get<std::uint64_t>());
  CHECK(event["type"] == "labels_issued");
  CHECK(event["count"] == 12);
  CHECK(event["operator"] == "op-07");
  std::string bytes = labeler::testing::read_file(testing::bag_template());
  CHECK(event["template_sha256"] ==
        hex_encode(sha256(std::span(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()))));
  ledger.verify(std::nullopt);  // the new fields verify
  // The lot now counts the 12 live codes.
  auto lot = Json::parse(c.Get(("/api/lot?q=" + r.f.lot).c_str(), {{"Cookie", a.cookie}})->body);
  CHECK(lot["live_codes"] == 12);
  CHECK(lot["unlabelled"] == 2000 - 12);
}

TEST_CASE("paper running out mid-job: the job fails showing what was confirmed and which labels are uncertain") {
  Running r("http-midjob");
  Signed a = sign_in(r, "op-07", "4829");
  await_ready(r, a);
  r.zebra.set_paper_out_after(5);  // this roll holds 5 labels
  Json job = print_job(r, a, 12);
  REQUIRE_MESSAGE(job["state"] == "failed", job.dump());
  std::string msg = job["message"];
  CHECK(msg.find("打印机缺纸") == 0);  // the printer's own words first
  CHECK(msg.find("打印中断：已确认 0 张，未确认 12 张，已作废 0 张") != std::string::npos);
  CHECK(msg.find("请查看打印机") != std::string::npos);  // and what to do with the uncertain labels
  CHECK(job["entry"].is_number_unsigned());  // the failed job keeps its labels_issued entry
  // The job was recorded before sending; its uncertain labels stay genuine (trust issue): the
  // ledger has the 12 codes, none voided (every label was sent).
  Ledger ledger(r.f.st.ledger_path, false);
  auto s = ledger.database().prepare("SELECT count(*) FROM codes WHERE lot_id = ?");
  s.bind(1, r.f.lot);
  s.step();
  CHECK(s.column_int(0) == 12);
  CHECK(msg.find("job entry") != std::string::npos);
}

TEST_CASE("a lot field takes a lot id, a GS1 lot code or a label's URL; a foreign label is refused in Chinese") {
  Running r("http-lot");
  Signed a = sign_in(r, "op-07", "4829");
  auto c = r.client();
  auto get = [&](const std::string& q) {
    return c.Get(("/api/lot?q=" + query_escape(q)).c_str(), {{"Cookie", a.cookie}});
  };
  Json lot = Json::parse(get(r.f.lot)->body);
  CHECK(lot["lot"] == r.f.lot);
  // Its 承诺达标合格证 and their status (the fixture's, issued a week ago).
  REQUIRE(lot["certificates"].size() == 1);
  CHECK(lot["certificates"][0]["number"] == "HG1404062026-0001");
  CHECK(lot["certificates"][0]["status"] == "valid");
  CHECK(lot["certificates"][0]["status_text"] == "有效 / valid");
  // It prints as a PDF from the station (the enterprise's certificate template); only with a session.
  auto pdf = c.Get("/api/certificate.pdf?number=HG1404062026-0001", {{"Cookie", a.cookie}});
  REQUIRE_MESSAGE(pdf->status == 200, pdf->body);
  CHECK(pdf->get_header_value("Content-Type") == "application/pdf");
  CHECK(pdf->body.rfind("%PDF-", 0) == 0);
  CHECK(c.Get("/api/certificate.pdf?number=HG1404062026-0001")->status == 401);
  auto unknown_cert = c.Get("/api/certificate.pdf?number=HG-NOPE", {{"Cookie", a.cookie}});
  CHECK(unknown_cert->status == 404);
  CHECK(error_of(unknown_cert).find("本企业没有编号为“HG-NOPE”的合格证") == 0);
  {  // The co-op's clerk voids it: the lot field shows it voided, with the reason.
    Ledger ledger(r.f.st.ledger_path, true);
    ledger.append({prepare_event({{"type", "certificate_voided"}, {"event_id", "cert-void-1"},
                                  {"event_time", labeler::testing::now_minus_days(1)}, {"number", "HG1404062026-0001"},
                                  {"reason", "数量写错"}},
                                 "cert-void-1")},
                  note::SigningKey::load(r.f.st.clerk_key), {});
  }
  lot = Json::parse(get(r.f.lot)->body);
  CHECK(lot["certificates"][0]["status_text"] == "已作废 / voided");
  CHECK(lot["certificates"][0]["reason"] == "数量写错");
  auto voided_pdf = c.Get("/api/certificate.pdf?number=HG1404062026-0001", {{"Cookie", a.cookie}});
  CHECK(voided_pdf->status == 400);
  CHECK(error_of(voided_pdf).find("已作废") != std::string::npos);
  auto unknown = get("LC-NOPE");
  CHECK(unknown->status == 404);
  CHECK(error_of(unknown).find("本企业没有包装过批次“LC-NOPE”") == 0);
  auto foreign = get("https://elsewhere.example/01/06901234567892/10/LC-ST-0001/21/0000000000010");
  CHECK(foreign->status == 404);
  CHECK(error_of(foreign).rfind("这不是本系统的标签", 0) == 0);
  auto preview = c.Get(("/api/preview.png?lot=" + r.f.lot).c_str(), {{"Cookie", a.cookie}});
  REQUIRE(preview->status == 200);
  CHECK(preview->get_header_value("Content-Type") == "image/png");
  CHECK(preview->body.substr(1, 3) == "PNG");
}

// The attacker trial: a scanned label URL selected a lot by its serial alone. Now, as the
// 重印/作废 screen: only a live code of this enterprise whose lot and GTIN are the URL's; the
// print screen's and the 合格证 screen's lot fields alike. A lot id in other letter case is
// answered with the lot it means.
TEST_CASE("a scanned label selects a lot only when its code is this enterprise's and its lot matches; case is suggested") {
  Running r("http-lot-scan");
  Signed a = sign_in(r, "op-07", "4829");
  await_ready(r, a);
  Json job = print_job(r, a, 2);
  REQUIRE_MESSAGE(job["state"] == "printed", job.dump());
  auto c = r.client();
  auto get = [&](const std::string& path, const std::string& q) {
    auto res = c.Get((path + query_escape(q)).c_str(), {{"Cookie", a.cookie}});
    REQUIRE(res);
    return res;
  };
  const std::string base = Ledger(r.f.st.ledger_path, false).info().base_url;
  const std::string serial = lot_serials(r).at(0);
  for (const std::string path : {"/api/lot?q=", "/api/cert/offer?q="}) {
    INFO(path);
    auto good = get(path, digital_link_uri(base, r.f.gtin, r.f.lot, serial));
    REQUIRE_MESSAGE(good->status == 200, good->body);
    // A genuine code under another lot id: not this box's label.
    auto other_lot = get(path, digital_link_uri(base, r.f.gtin, r.f.hostile_lot, serial));
    CHECK(other_lot->status == 400);
    CHECK(error_of(other_lot).find(fmt::format("扫描的标签上的批次或产品与追溯码 {} 不符，这不是该箱的标签，没有选择批次", serial)) ==
          0);
    CHECK(Json::parse(other_lot->body).value("lot", "") == "");
    // Never-issued serials: possibly counterfeit, whatever lot the URL names.
    for (const std::string fake : {"7Q2M9K4X8ZD3R", "XXXXXXXXXXXXX"}) {
      auto res = get(path, digital_link_uri(base, r.f.gtin, r.f.lot, fake));
      CHECK(res->status == 404);
      CHECK(error_of(res).find(fmt::format("标签上的追溯码 {} 不是本企业发放的，这张标签可能是假冒的；没有选择批次", fake)) == 0);
    }
    // Lot ids are case-sensitive: the enterprise's lot in its own case is suggested.
    std::string lower = r.f.lot;
    for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    auto cased = get(path, lower);
    CHECK(cased->status == 404);
    CHECK(error_of(cased).find(fmt::format("没有批次“{}”，本企业有批次“{}”（批次号区分大小写）", lower, r.f.lot)) == 0);
  }
  CHECK(r.zebra.labels() == 2);
}

TEST_CASE("label jobs carry operator and template_sha256 additively: bad values are refused naming the field") {
  testing::StationFixture f("fields", {9});
  auto key = note::SigningKey::load(f.st.station_key);
  Ledger ledger(f.st.ledger_path, true);
  auto facts_party = "COOP", facts_location = "PACK-1";
  LabelJob job;
  job.type = "labels_issued";
  job.lot = f.lot;
  job.party = facts_party;
  job.location = facts_location;
  job.serials = {"0000000000020"};
  job.operator_id = "Zhang San";
  std::string msg;
  try {
    ledger.record_label_job(job, key);
  } catch (const Error& e) {
    msg = e.what();
  }
  CHECK(msg.find("operator") != std::string::npos);
  job.operator_id = "op-07";
  job.template_sha256 = "ABC";
  msg.clear();
  try {
    ledger.record_label_job(job, key);
  } catch (const Error& e) {
    msg = e.what();
  }
  CHECK(msg.find("template_sha256") != std::string::npos);
  // Without them (as every job before them), and with them: both verify.
  job.operator_id.clear();
  job.template_sha256.clear();
  auto plain = ledger.record_label_job(job, key);
  CHECK_FALSE(ledger.store().event_at(plain).contains("operator"));
  job.serials = {"0000000000030"};
  job.operator_id = "op-07";
  job.template_sha256 = std::string(64, 'a');
  auto full = ledger.record_label_job(job, key);
  CHECK(ledger.store().event_at(full)["template_sha256"] == std::string(64, 'a'));
  ledger.verify(std::nullopt);
}

TEST_CASE("reprint: a reason is required, more than supervisor_reprint_above codes need a supervisor's PIN") {
  Running r("http-reprint");
  Signed a = sign_in(r, "op-07", "4829");
  await_ready(r, a);
  REQUIRE(print_job(r, a, 12)["state"] == "printed");
  auto serials = lot_serials(r);
  REQUIRE(serials.size() == 12);
  const std::size_t before = r.zebra.labels();
  auto reprint = [&](Json body, const Signed& who, const std::string& csrf) {
    body["printer"] = "包装线1号";
    return post(r, "/api/reprint", body.dump(), &who, csrf);
  };
  // Refused, nothing printed or recorded: no CSRF token, no reason, no codes, an unknown code.
  const auto entries = entry_count(r);
  CHECK(reprint({{"codes", Json::array({serials[0]})}, {"reason", "撕坏"}}, a, "")->status == 403);
  auto no_reason = reprint({{"codes", Json::array({serials[0]})}, {"reason", "  "}}, a, a.csrf);
  CHECK(no_reason->status == 400);
  CHECK(error_of(no_reason).find("请选择或填写重印原因") == 0);
  auto no_codes = reprint({{"codes", Json::array()}, {"reason", "撕坏"}}, a, a.csrf);
  CHECK(no_codes->status == 400);
  CHECK(error_of(no_codes).find("请扫描标签二维码") == 0);
  auto unknown = reprint({{"codes", Json::array({"0000000000990"})}, {"reason", "撕坏"}}, a, a.csrf);
  CHECK(unknown->status == 404);
  CHECK(error_of(unknown).find("本企业没有发放过追溯码 0000000000990") == 0);
  auto clerk = sign_in(r, "clerk-01", "2468");
  CHECK(reprint({{"codes", Json::array({serials[0]})}, {"reason", "撕坏"}}, clerk, clerk.csrf)->status == 403);
  // Eleven codes (above the default 10) without a supervisor: refused, asking for one.
  Json eleven = Json::array();
  for (std::size_t i = 0; i < 11; ++i) eleven.push_back(serials[i]);
  auto unauthorised = reprint({{"codes", eleven}, {"reason", "整卷受潮"}}, a, a.csrf);
  CHECK(unauthorised->status == 403);
  CHECK(Json::parse(unauthorised->body)["supervisor"] == true);
  CHECK(error_of(unauthorised).find("重印 11 张（超过 10 张）需要主管") == 0);
  // An operator's own PIN is not a supervisor's.
  auto own = reprint({{"codes", eleven}, {"reason", "整卷受潮"}, {"supervisor", "op-07"}, {"supervisor_pin", "4829"}}, a,
                     a.csrf);
  CHECK(own->status == 403);
  CHECK(error_of(own).find("op-07 不是主管账号") == 0);
  CHECK(entry_count(r) == entries);
  CHECK(r.zebra.labels() == before);
  // One torn label, scanned from its QR code: reprinted, recorded with the operator and the reason.
  Ledger ledger(r.f.st.ledger_path, false);
  std::string url = digital_link_uri(ledger.info().base_url, r.f.gtin, r.f.lot, serials[3]);
  auto one = reprint({{"codes", Json::array({url})}, {"reason", "标签撕坏"}}, a, a.csrf);
  REQUIRE_MESSAGE(one->status == 200, one->body);
  CHECK(Json::parse(one->body)["reprinted"] == 1);
  CHECK(r.zebra.labels() == before + 1);
  Json ev = event_at(r, Json::parse(one->body)["entries"][0].get<std::uint64_t>());
  CHECK(ev["type"] == "labels_reprinted");
  CHECK(ev["operator"] == "op-07");
  CHECK(ev["reason"] == "重印：标签撕坏");
  // Eleven with the supervisor's PIN on the same screen: the reason names the supervisor.
  auto approved = reprint({{"codes", eleven}, {"reason", "整卷受潮"}, {"supervisor", "sup-01"}, {"supervisor_pin", "7316"}},
                          a, a.csrf);
  REQUIRE_MESSAGE(approved->status == 200, approved->body);
  CHECK(r.zebra.labels() == before + 12);
  ev = event_at(r, Json::parse(approved->body)["entries"][0].get<std::uint64_t>());
  CHECK(ev["operator"] == "op-07");
  CHECK(ev["count"] == 11);
  CHECK(ev["reason"] == "重印：整卷受潮（主管 sup-01 批准）");
  Ledger(r.f.st.ledger_path, false).verify(std::nullopt);
}

TEST_CASE("void: always a supervisor's PIN; wrong ones lock the asking operator's approvals, never the supervisor; the code then answers voided") {
  Running r("http-void");
  Signed a = sign_in(r, "op-07", "4829");
  await_ready(r, a);
  REQUIRE(print_job(r, a, 3)["state"] == "printed");
  auto serials = lot_serials(r);
  REQUIRE(serials.size() == 3);
  auto void_ = [&](Json body, const std::string& csrf) { return post(r, "/api/void", body.dump(), &a, csrf); };
  auto voided = [&](const std::string& serial) {
    Ledger ledger(r.f.st.ledger_path, false);
    return ledger.code(serial)->voided_entry.has_value();
  };
  CHECK(void_({{"codes", Json::array({serials[0]})}, {"reason", "贴错"}, {"supervisor", "sup-01"}, {"supervisor_pin", "7316"}}, "")
            ->status == 403);
  auto no_sup = void_({{"codes", Json::array({serials[0]})}, {"reason", "贴错"}}, a.csrf);
  CHECK(no_sup->status == 403);
  CHECK(error_of(no_sup).find("作废需要主管在本屏幕输入主管账号和 PIN") == 0);
  auto no_reason = void_({{"codes", Json::array({serials[0]})}, {"supervisor", "sup-01"}, {"supervisor_pin", "7316"}}, a.csrf);
  CHECK(no_reason->status == 400);
  CHECK(error_of(no_reason).find("请选择或填写作废原因") == 0);
  auto own = void_({{"codes", Json::array({serials[0]})}, {"reason", "贴错"}, {"supervisor", "op-07"}, {"supervisor_pin", "4829"}}, a.csrf);
  CHECK(own->status == 403);
  CHECK(error_of(own).find("op-07 不是主管账号") == 0);
  // Wrong supervisor PINs typed on op-07's screen count against op-07's approvals, never
  // against sup-01: an operator cannot lock a supervisor out (issue 15 trial, item 4).
  auto bad_pin = [&](const std::string& sup) {
    return void_({{"codes", Json::array({serials[0]})}, {"reason", "贴错"}, {"supervisor", sup}, {"supervisor_pin", "0000"}},
                 a.csrf);
  };
  for (int i = 0; i < 4; ++i) {
    auto wrong = bad_pin(i % 2 ? "sup-01" : "sup-nobody");  // an unknown id counts the same
    CHECK(wrong->status == 403);
    CHECK(error_of(wrong).find("主管账号或 PIN 不对") == 0);
    CHECK(Json::parse(wrong->body)["tries_left"] == 4 - i);
  }
  auto fifth = bad_pin("sup-01");
  CHECK(fifth->status == 403);
  CHECK(error_of(fifth).find("主管 PIN 在本账号（op-07）的屏幕上连续输错 5 次，本账号已不能请主管批准") == 0);
  CHECK_FALSE(StationState(r.f.state_path).account("sup-01")->locked);
  CHECK(StationState(r.f.state_path).account("sup-01")->failed == 0);
  // op-07's approvals are locked now: even the right PIN is not checked, nothing is done.
  auto locked = void_({{"codes", Json::array({serials[0]})}, {"reason", "贴错"}, {"supervisor", "sup-01"}, {"supervisor_pin", "7316"}},
                      a.csrf);
  CHECK(locked->status == 403);
  CHECK(Json::parse(locked->body)["locked"] == true);
  CHECK_FALSE(StationState(r.f.state_path).account("op-07")->locked);  // op-07 still signs in and prints
  CHECK_FALSE(voided(serials[0]));
  // sup-01 still signs in, and approves on another operator's screen.
  sign_in(r, "sup-01", "7316");
  Signed b = sign_in(r, "op-08", "5555");
  auto on_b = post(r, "/api/void",
                   Json{{"codes", Json::array({serials[2]})}, {"reason", "多打了"}, {"supervisor", "sup-01"}, {"supervisor_pin", "7316"}}.dump(),
                   &b, b.csrf);
  REQUIRE_MESSAGE(on_b->status == 200, on_b->body);
  // A right PIN clears the count: op-08 gets 5 tries again after it.
  for (int i = 0; i < 4; ++i)
    CHECK(post(r, "/api/void",
               Json{{"codes", Json::array({serials[1]})}, {"reason", "贴错"}, {"supervisor", "sup-01"}, {"supervisor_pin", "1111"}}.dump(),
               &b, b.csrf)->status == 403);
  auto fifth_b = post(r, "/api/void",
                     Json{{"codes", Json::array({serials[1]})}, {"reason", "贴错"}, {"supervisor", "sup-02"}, {"supervisor_pin", "1111"}}.dump(),
                     &b, b.csrf);
  CHECK(Json::parse(fifth_b->body).value("locked", false));
  // A supervisor whose sign-in a stranger locked still approves (only with the right PIN).
  {
    StationState st(r.f.state_path);
    for (int i = 0; i < kMaxWrongPins; ++i) (void)st.sign_in("sup-02", "0000");
    REQUIRE(st.account("sup-02")->locked);
    st.reset_pin("op-07", "4829");  // the administrator unlocks op-07's approvals (and ends its sessions)
  }
  a = sign_in(r, "op-07", "4829");
  auto sup_wrong = void_({{"codes", Json::array({serials[0]})}, {"reason", "贴错"}, {"supervisor", "sup-02"}, {"supervisor_pin", "1111"}},
                         a.csrf);
  CHECK(sup_wrong->status == 403);
  CHECK(error_of(sup_wrong).find("主管账号或 PIN 不对") == 0);
  CHECK_FALSE(voided(serials[0]));
  // The locked supervisor authorises it: voided, recorded with the operator and the supervisor.
  auto ok = void_({{"codes", Json::array({serials[0]})}, {"reason", "贴错"}, {"supervisor", "sup-02"}, {"supervisor_pin", "9051"}}, a.csrf);
  REQUIRE_MESSAGE(ok->status == 200, ok->body);
  CHECK(voided(serials[0]));
  CHECK_FALSE(voided(serials[1]));
  CHECK(voided(serials[2]));
  Json ev = event_at(r, Json::parse(ok->body)["entries"][0].get<std::uint64_t>());
  CHECK(ev["type"] == "labels_voided");
  CHECK(ev["operator"] == "op-07");
  CHECK(ev["reason"] == "作废：贴错（主管 sup-02 批准）");
  CHECK(StationState(r.f.state_path).account("sup-02")->locked);  // its sign-in stays locked
  // A voided code is neither reprinted nor voided again.
  auto again = post(r, "/api/reprint", Json{{"codes", Json::array({serials[0]})}, {"reason", "撕坏"}, {"printer", "包装线1号"}}.dump(), &a, a.csrf);
  CHECK(again->status == 400);
  CHECK(error_of(again).find("已作废") != std::string::npos);
  Ledger(r.f.st.ledger_path, false).verify(std::nullopt);
}

TEST_CASE("a job that failed midway lists its uncertain labels; one request voids them all") {
  Running r("http-uncertain");
  Signed a = sign_in(r, "op-07", "4829");
  await_ready(r, a);
  r.zebra.set_paper_out_after(5);
  Json failed = print_job(r, a, 12);
  REQUIRE(failed["state"] == "failed");
  auto c = r.client();
  Json u = Json::parse(c.Get("/api/uncertain", {{"Cookie", a.cookie}})->body);
  REQUIRE(u.size() == 1);
  CHECK(u[0]["lot"] == r.f.lot);
  CHECK(u[0]["unconfirmed"].size() == 12);
  CHECK(u[0]["confirmed"] == 0);
  CHECK(u[0]["voided"] == 0);
  CHECK(u[0]["station_job"] == failed["id"]);  // the job the operator saw fail
  CHECK(u[0]["printer"] == "包装线1号");  // by its configured name, not its tcp:// address
  CHECK(c.Get("/api/uncertain")->status == 401);
  // The job list says how many of a failed job's labels are still uncertain (the screen's
  // 处理不确定的标签 until then, 后来已处理 after).
  auto uncertain_left = [&] {
    for (const auto& j : Json::parse(c.Get("/api/jobs", {{"Cookie", a.cookie}})->body))
      if (j["id"] == failed["id"]) return j["uncertain"];
    return Json();
  };
  CHECK(uncertain_left() == 12);
  std::int64_t jj = u[0]["journal_job"];
  auto no_sup = post(r, "/api/void", Json{{"journal_job", jj}, {"reason", "打印机缺纸，没打出来"}}.dump(), &a, a.csrf);
  CHECK(no_sup->status == 403);
  auto ok = post(r, "/api/void",
                 Json{{"journal_job", jj}, {"reason", "打印机缺纸，没打出来"}, {"supervisor", "sup-01"}, {"supervisor_pin", "7316"}}
                     .dump(),
                 &a, a.csrf);
  REQUIRE_MESSAGE(ok->status == 200, ok->body);
  CHECK(Json::parse(ok->body)["voided"] == 12);
  CHECK(Json::parse(c.Get("/api/uncertain", {{"Cookie", a.cookie}})->body).empty());
  CHECK(uncertain_left() == 0);
  auto twice = post(r, "/api/void",
                    Json{{"journal_job", jj}, {"reason", "缺纸"}, {"supervisor", "sup-01"}, {"supervisor_pin", "7316"}}.dump(),
                    &a, a.csrf);
  CHECK(twice->status == 409);
  Ledger ledger(r.f.st.ledger_path, false);
  for (const auto& serial : u[0]["unconfirmed"]) CHECK(ledger.code(serial.get<std::string>())->voided_entry.has_value());
}

TEST_CASE("history, a job's codes and the end of shift: searched by lot, serial, operator and day; refused without a session") {
  Running r("http-history");
  Signed a = sign_in(r, "op-07", "4829"), b = sign_in(r, "op-08", "5555");
  await_ready(r, a);
  Json job_a = print_job(r, a, 3);
  REQUIRE(job_a["state"] == "printed");
  Json job_b = print_job(r, b, 2);
  REQUIRE(job_b["state"] == "printed");
  auto c = r.client();
  auto get = [&](const std::string& path, const Signed* who) {
    httplib::Headers h;
    if (who) h.emplace("Cookie", who->cookie);
    return c.Get(path.c_str(), h);
  };
  auto ids = [](const httplib::Result& res) {
    std::vector<std::int64_t> out;
    for (const auto& j : Json::parse(res->body)) out.push_back(j["id"].get<std::int64_t>());
    return out;
  };
  const std::int64_t ja = job_a["id"], jb = job_b["id"];
  // Without a session, or with a forged cookie: nothing is answered.
  for (const char* path : {"/api/history", "/api/shift", "/api/job/codes?id=1"}) {
    CHECK(get(path, nullptr)->status == 401);
    Signed forged{"agtrace_station=" + std::string(64, 'a'), ""};
    CHECK(get(path, &forged)->status == 401);
  }
  // History by lot, operator, serial (typed, or a label's URL as a scanner types it) and day.
  CHECK(ids(get("/api/history", &a)) == std::vector<std::int64_t>{jb, ja});
  CHECK(ids(get("/api/history?lot=" + r.f.lot, &a)) == std::vector<std::int64_t>{jb, ja});
  CHECK(ids(get("/api/history?operator=op-08", &a)) == std::vector<std::int64_t>{jb});
  CHECK(ids(get("/api/history?operator=op-08&lot=" + r.f.lot, &b)) == std::vector<std::int64_t>{jb});
  CHECK(get("/api/history?lot=" + r.f.hostile_lot, &a)->body == "[]");
  auto codes_a = Json::parse(get(fmt::format("/api/job/codes?id={}", ja), &a)->body);
  REQUIRE(codes_a["codes"].size() == 3);
  CHECK(codes_a["job"]["lot"] == r.f.lot);
  std::string serial_a = codes_a["codes"][1]["serial"];
  CHECK(codes_a["codes"][1]["voided"] == false);
  CHECK(ids(get("/api/history?serial=" + serial_a, &a)) == std::vector<std::int64_t>{ja});
  std::string url_a = digital_link_uri(Ledger(r.f.st.ledger_path, false).info().base_url, r.f.gtin, r.f.lot, serial_a);
  CHECK(ids(get("/api/history?serial=" + query_escape(url_a), &a)) == std::vector<std::int64_t>{ja});
  std::string today = china_date(std::chrono::duration_cast<std::chrono::milliseconds>(
                                     std::chrono::system_clock::now().time_since_epoch()).count());
  CHECK(ids(get("/api/history?date=" + today, &a)).size() == 2);
  CHECK(get("/api/history?date=2020-01-01", &a)->body == "[]");
  // Refusals name the field and the fix, Chinese first.
  auto bad_date = get("/api/history?date=2026-13-01", &a);
  CHECK(bad_date->status == 400);
  CHECK(error_of(bad_date).find("日期 date：“2026-13-01”不是日期，请写成 2026-12-07") == 0);
  auto bad_serial = get("/api/history?serial=0000000000990", &a);
  CHECK(bad_serial->status == 404);
  CHECK(error_of(bad_serial).find("本企业没有发放过追溯码 0000000000990") == 0);
  CHECK(get("/api/history?lot=LC-NOPE", &a)->status == 404);
  CHECK(get("/api/job/codes?id=x1", &a)->status == 400);
  CHECK(get("/api/job/codes?id=", &a)->status == 400);
  auto missing = get("/api/job/codes?id=999", &a);
  CHECK(missing->status == 404);
  CHECK(error_of(missing).find("本企业没有任务 999") == 0);
  // A voided code shows voided among its job's codes; a hostile reason is recorded as it was typed.
  auto voided = post(r, "/api/void",
                     Json{{"codes", Json::array({serial_a})}, {"reason", "贴错"}, {"supervisor", "sup-01"}, {"supervisor_pin", "7316"}}.dump(),
                     &a, a.csrf);
  REQUIRE_MESSAGE(voided->status == 200, voided->body);
  codes_a = Json::parse(get(fmt::format("/api/job/codes?id={}", ja), &a)->body);
  CHECK(codes_a["codes"][1]["voided"] == true);
  CHECK(codes_a["codes"][0]["voided"] == false);
  {
    Ledger ledger(r.f.st.ledger_path, false);
    CHECK(voided_codes(ledger, job_a["entry"].get<std::uint64_t>()) == 1);
    CHECK(voided_codes(ledger, job_b["entry"].get<std::uint64_t>()) == 0);
  }
  auto codes_b = Json::parse(get(fmt::format("/api/job/codes?id={}", jb), &b)->body);
  auto reprinted = post(r, "/api/reprint",
                        Json{{"codes", Json::array({codes_b["codes"][0]["serial"]})}, {"reason", testing::kHostileName},
                             {"printer", "包装线1号"}}.dump(),
                        &b, b.csrf);
  REQUIRE_MESSAGE(reprinted->status == 200, reprinted->body);
  CHECK(reprinted->get_header_value("Content-Type").find("application/json") == 0);
  CHECK(event_at(r, Json::parse(reprinted->body)["entries"][0].get<std::uint64_t>())["reason"] ==
        "重印：" + testing::kHostileName);
  CHECK(Json::parse(get(fmt::format("/api/job/codes?id={}", jb), &b)->body)["codes"][0]["reprints"] == 1);
  // End of shift, today: per operator from the signed entries, and the lot against its packed units.
  auto shift = get("/api/shift", &a);
  REQUIRE_MESSAGE(shift->status == 200, shift->body);
  Json s = Json::parse(shift->body);
  CHECK(s["date"] == today);
  REQUIRE(s["operators"].size() == 2);
  CHECK(s["operators"][0] == Json{{"account", "op-07"}, {"jobs", 1}, {"labels", 3}, {"reprints", 0}, {"voids", 1}, {"certificates", 0}});
  CHECK(s["operators"][1] == Json{{"account", "op-08"}, {"jobs", 1}, {"labels", 2}, {"reprints", 1}, {"voids", 0}, {"certificates", 0}});
  REQUIRE(s["lots"].size() == 1);
  CHECK(s["lots"][0] == Json{{"lot", r.f.lot}, {"product", "SCALLION-06901234567892"}, {"product_name", "潞城大葱（鲜葱）"}, {"labelled_today", 5},
                             {"packed_units", 2000}, {"live_codes", 4}, {"blocked", nullptr}, {"unit", "箱"}, {"unit_en", "cases"}});
  CHECK(Json::parse(get("/api/shift?date=" + today, &b)->body) == s);
  // Seven days ago the co-op issued a certificate from the command line: no operator recorded.
  std::string week_ago = china_date(std::chrono::duration_cast<std::chrono::milliseconds>(
                                        (std::chrono::system_clock::now() - std::chrono::hours(24 * 7)).time_since_epoch())
                                        .count());
  Json old = Json::parse(get("/api/shift?date=" + week_ago, &a)->body);
  CHECK(old["operators"] == Json::array({Json{{"account", ""}, {"jobs", 0}, {"labels", 0}, {"reprints", 0}, {"voids", 0},
                                              {"certificates", 1}}}));
  CHECK(old["lots"].empty());
  auto bad_shift = get("/api/shift?date=07/12/2026", &a);
  CHECK(bad_shift->status == 400);
  CHECK(error_of(bad_shift).find("日期 date") == 0);
}

TEST_CASE("days are China Standard Time calendar days") {
  // 2026-12-07 00:00 +08:00 is 2026-12-06T16:00Z = 1796572800000 ms.
  auto [from, to] = china_day_ms("2026-12-07", "date");
  CHECK(from == 1796572800000);
  CHECK(to - from == 86400000);
  CHECK(china_date(from) == "2026-12-07");
  CHECK(china_date(from - 1) == "2026-12-06");
  CHECK(china_date(to - 1) == "2026-12-07");
  for (const char* bad : {"", "2026-02-30", "2026-1-07", "2026-12-07x", "1999-12-31", "２０２６-12-07"})
    CHECK_THROWS_AS(china_day_ms(bad, "date"), Error);
}

TEST_CASE("lot tag: the lot's Code 128 tag goes to the printer at once; nothing recorded; refusals") {
  Running r("http-lot-tag");
  Signed a = sign_in(r, "op-07", "4829");
  await_ready(r, a);
  const auto entries = entry_count(r);
  auto tag = [&](Json body, const Signed& who, const std::string& csrf) {
    body["printer"] = "包装线1号";
    return post(r, "/api/lot-tag", body.dump(), &who, csrf);
  };
  CHECK(tag({{"lot", r.f.lot}}, a, "")->status == 403);  // no CSRF token
  auto clerk = sign_in(r, "clerk-01", "2468");
  CHECK(tag({{"lot", r.f.lot}}, clerk, clerk.csrf)->status == 403);
  auto zero = tag({{"lot", r.f.lot}, {"copies", 0}}, a, a.csrf);
  CHECK(zero->status == 400);
  CHECK(error_of(zero).find("份数须为 1 到 99") == 0);
  auto unknown = tag({{"lot", "NO-SUCH-LOT"}}, a, a.csrf);
  CHECK(unknown->status == 404);  // as another enterprise's lot
  const std::size_t before = r.zebra.received_size();
  auto ok = tag({{"lot", r.f.lot}, {"copies", 2}}, a, a.csrf);
  REQUIRE(ok);
  REQUIRE_MESSAGE(ok->status == 200, ok->body);
  CHECK(Json::parse(ok->body)["copies"] == 2);
  std::string sent = r.zebra.received_since(before);
  CHECK(sent.find("~DGR:AGTLOT.GRF,") != std::string::npos);
  CHECK(sent.find("^XGR:AGTLOT.GRF,1,1^FS\n^PQ2\n^XZ") != std::string::npos);
  CHECK(entry_count(r) == entries);  // a tag names a lot; the ledger does not change
}

// A packed lot of another enterprise (OTHER) in the same ledger, from the fixture's harvest.
static void add_foreign_lot(const Running& r, const std::string& lot) {
  Ledger l(r.f.st.ledger_path, true);
  auto clerk = note::SigningKey::load(r.f.st.clerk_key);
  std::string t = labeler::testing::now_minus_days(5);
  l.append({prepare_event({{"type", "party"}, {"event_id", "party-other"}, {"event_time", t}, {"party_id", "OTHER"},
                           {"name", "别的合作社"}, {"role", "cooperative"}},
                          "party-other")},
           clerk, {});
  l.append({prepare_event({{"type", "packing"}, {"event_id", "packing-other"}, {"event_time", t}, {"party", "OTHER"},
                           {"location", "PACK-1"}, {"input_lot", "HV-1"}, {"input_quantity", {{"value", "10"}, {"unit", "KGM"}}},
                           {"lot", lot}, {"product", "SCALLION-06901234567892"}, {"count", 2},
                           {"pack_size", {{"value", "5000"}, {"unit", "GRM"}}}},
                          "packing-other")},
           clerk, {});
}

TEST_CASE("print quantity: 0, a decimal, text, over the lot and over the limit are refused, naming the fix") {
  Running r("http-count");
  Signed a = sign_in(r, "op-07", "4829");
  await_ready(r, a);
  auto job = [&](Json count) {
    return post(r, "/api/jobs", Json{{"lot", r.f.lot}, {"count", count}, {"printer", "包装线1号"}, {"confirmed", true}}.dump(), &a,
                a.csrf);
  };
  for (Json bad : {Json(1.5), Json(1.0), Json("1.5"), Json("12")}) {
    auto res = job(bad);
    CHECK_MESSAGE(res->status == 400, bad.dump());
    CHECK_MESSAGE(error_of(res).find("数量须为整数张数（如 12）") == 0, error_of(res));
  }
  CHECK(error_of(job(0)).find("数量须为 1 到 10000 张") == 0);
  CHECK(error_of(job(-3)).find("数量须为 1 到 10000 张") == 0);
  CHECK(error_of(job(10001)).find("数量须为 1 到 10000 张") == 0);
  CHECK(error_of(job(2001)).find("这个批次包装了 2000 件") == 0);
  CHECK(Json::parse(r.client().Get("/api/jobs", {{"Cookie", a.cookie}})->body).empty());  // nothing queued
}

TEST_CASE("the end of shift marks a lot recalled after it was labelled; the enterprise by its name") {
  Running r("http-shift-recall");
  Signed a = sign_in(r, "op-07", "4829");
  auto c = r.client();
  Json me = Json::parse(c.Get("/api/me", {{"Cookie", a.cookie}})->body);
  CHECK(me["enterprise"] == "COOP");
  CHECK(me["enterprise_name"] == "潞城区绿源大葱种植专业合作社");
  await_ready(r, a);
  REQUIRE(print_job(r, a, 2)["state"] == "printed");
  auto shift_lot = [&]() {
    Json s = Json::parse(c.Get("/api/shift", {{"Cookie", a.cookie}})->body);
    CHECK(s["enterprise_name"] == "潞城区绿源大葱种植专业合作社");
    for (const auto& l : s["lots"])
      if (l["lot"] == r.f.lot) return l;
    FAIL("the labelled lot is not on the shift report: " << s.dump());
    return Json();
  };
  CHECK(shift_lot()["blocked"].is_null());
  {
    Ledger l(r.f.st.ledger_path, true);
    l.append({prepare_event({{"type", "recall"}, {"event_id", "recall-shift"}, {"event_time", labeler::testing::now_minus_days(1)},
                             {"lots", Json::array({r.f.lot})}, {"reason", "毒死蜱超标"}, {"party", "COOP"}},
                            "recall-shift")},
             note::SigningKey::load(r.f.st.clerk_key), {});
  }
  Json lot;
  for (int i = 0; i < 100; ++i) {  // the replica follows the file within its poll
    lot = shift_lot();
    if (!lot["blocked"].is_null()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  REQUIRE_FALSE(lot["blocked"].is_null());
  CHECK(lot["blocked"]["code"] == "recalled");
  CHECK(lot["blocked"]["reason"].get<std::string>().rfind("这个批次已召回：不要打印标签，把这批货单独放好、不要发出，并马上告诉主管。召回原因：毒死蜱超标", 0) == 0);
  CHECK(lot["labelled_today"] == 2);
}

TEST_CASE("the lot list marks a recalled lot and a lot whose certificate is invalidated, with the reason") {
  Running r("http-blocked");
  r.f.st.add_packed_lot("LC-ST-RC", r.f.gtin, 100);
  r.f.st.add_packed_lot("LC-ST-FAIL", r.f.gtin, 100);
  {
    Ledger l(r.f.st.ledger_path, true);
    auto clerk = note::SigningKey::load(r.f.st.clerk_key);
    l.append({prepare_event({{"type", "recall"}, {"event_id", "recall-rc"}, {"event_time", labeler::testing::now_minus_days(1)},
                             {"lots", Json::array({"LC-ST-RC"})}, {"reason", "毒死蜱超标，请停止销售和食用，凭包装退货"},
                             {"party", "COOP"}},
                            "recall-rc")},
             clerk, {});
  }
  Signed a = sign_in(r, "op-07", "4829");
  auto c = r.client();
  Json lots = Json::parse(c.Get("/api/lots?product=SCALLION-06901234567892", {{"Cookie", a.cookie}})->body);
  std::map<std::string, Json> by_lot;
  for (const auto& l : lots) by_lot[l["lot"]] = l;
  REQUIRE(by_lot.count("LC-ST-RC"));
  CHECK(by_lot["LC-ST-RC"]["blocked"]["code"] == "recalled");
  CHECK(by_lot["LC-ST-RC"]["blocked"]["label"].get<std::string>().find("已召回 不可打印") == 0);
  // The operator's wording (what to do on the floor), not the consumer's nor the clerk's, with the
  // recall's day rather than its event id.
  CHECK(by_lot["LC-ST-RC"]["blocked"]["reason"].get<std::string>().rfind(
            fmt::format("这个批次已召回：不要打印标签，把这批货单独放好、不要发出，并马上告诉主管。召回原因：毒死蜱超标（{} 召回） / "
                        "this lot is recalled: do not print labels; put the goods aside",
                        labeler::testing::now_minus_days(1).substr(0, 10)),
            0) == 0);
  CHECK(by_lot["LC-ST-RC"]["blocked"]["reason"].get<std::string>().find("recall-rc") == std::string::npos);
  CHECK(by_lot["LC-ST-RC"]["blocked"]["reason"].get<std::string>().find("退货") == std::string::npos);
  CHECK(by_lot[r.f.lot]["blocked"].is_null());
  CHECK(by_lot["LC-ST-FAIL"]["blocked"].is_null());
  Json one = Json::parse(c.Get("/api/lot?q=LC-ST-RC", {{"Cookie", a.cookie}})->body);
  CHECK(one["blocked"]["code"] == "recalled");
  // The server refuses it too, in the operator's words.
  await_ready(r, a);
  auto job = post(r, "/api/jobs", Json{{"lot", "LC-ST-RC"}, {"count", 1}, {"printer", "包装线1号"}}.dump(), &a, a.csrf);
  CHECK(job->status == 400);
  CHECK_MESSAGE(error_of(job).rfind("这个批次已召回：不要打印标签，把这批货单独放好、不要发出，并马上告诉主管 / ", 0) == 0,
                error_of(job));
  // An inspection of LC-ST-FAIL that failed: its certificate is invalidated (已失效), the lot marked.
  {
    Ledger l(r.f.st.ledger_path, true);
    l.append({prepare_event({{"type", "inspection"}, {"event_id", "inspection-fail"},
                             {"event_time", labeler::testing::now_minus_days(1)}, {"party", "COOP"}, {"location", "PACK-1"},
                             {"lots", Json::array({"LC-ST-FAIL"})}, {"report_no", "JC-2026-9001"}, {"result", "fail"},
                             {"items", {{{"name", "毒死蜱"}, {"measured", "0.09"}, {"limit", "0.05"}, {"unit", "mg/kg"},
                                         {"result", "fail"}}}}},
                            "inspection-fail")},
             note::SigningKey::load(r.f.st.clerk_key), {});
  }
  one = Json::parse(c.Get("/api/lot?q=LC-ST-FAIL", {{"Cookie", a.cookie}})->body);
  CHECK(one["blocked"]["code"] == "invalidated");
  CHECK(one["blocked"]["label"].get<std::string>().find("合格证已失效 不可打印") == 0);
  CHECK(one["blocked"]["reason"].get<std::string>().find("JC-2026-9001") != std::string::npos);
  bool invalidated = false;
  for (const auto& cert : one["certificates"]) invalidated |= cert["status"] == "invalidated";
  CHECK(invalidated);
}

TEST_CASE("a code is checked when it is added to the reprint/void list: never issued, voided, another enterprise's") {
  Running r("http-code");
  Signed a = sign_in(r, "op-07", "4829");
  await_ready(r, a);
  REQUIRE(print_job(r, a, 2)["state"] == "printed");
  auto serials = lot_serials(r);
  auto c = r.client();
  auto check = [&](const std::string& q) { return c.Get(("/api/code?q=" + query_escape(q)).c_str(), {{"Cookie", a.cookie}}); };
  auto good = check(serials[0]);
  REQUIRE_MESSAGE(good->status == 200, good->body);
  CHECK(Json::parse(good->body)["serial"] == serials[0]);
  CHECK(Json::parse(good->body)["lot"] == r.f.lot);
  auto never = check("0000000000990");
  CHECK(never->status == 404);
  CHECK(error_of(never).find("本企业没有发放过追溯码 0000000000990") == 0);
  auto junk = check("hello");
  CHECK(junk->status == 400);
  CHECK(error_of(junk).find("“hello”不是本系统的追溯码或标签网址") == 0);
  REQUIRE(post(r, "/api/void",
               Json{{"codes", Json::array({serials[1]})}, {"reason", "贴错"}, {"supervisor", "sup-01"}, {"supervisor_pin", "7316"}}.dump(),
               &a, a.csrf)->status == 200);
  auto voided = check(serials[1]);
  CHECK(voided->status == 400);
  CHECK(error_of(voided).find(fmt::format("追溯码 {} 已作废", serials[1])) == 0);
  CHECK(c.Get(("/api/code?q=" + serials[0]).c_str())->status == 401);
}

TEST_CASE("another enterprise's lot, job or code answers exactly as an unknown one") {
  Running r("http-foreign");
  add_foreign_lot(r, "LC-OTHER-1");
  Signed a = sign_in(r, "op-07", "4829");
  await_ready(r, a);
  auto c = r.client();
  auto get = [&](const std::string& path) { return c.Get(path.c_str(), {{"Cookie", a.cookie}}); };
  auto same = [](const httplib::Result& x, const httplib::Result& y, const std::string& xs, const std::string& ys) {
    CHECK(x->status == 404);
    CHECK(x->status == y->status);
    std::string ex = error_of(x), ey = error_of(y);
    for (std::size_t at; (at = ey.find(ys)) != std::string::npos;) ey.replace(at, ys.size(), xs);
    CHECK(ex == ey);  // the same words but for the id given
  };
  same(get("/api/lot?q=LC-OTHER-1"), get("/api/lot?q=LC-NOPE-1"), "LC-OTHER-1", "LC-NOPE-1");
  same(get("/api/preview.png?lot=LC-OTHER-1"), get("/api/preview.png?lot=LC-NOPE-1"), "LC-OTHER-1", "LC-NOPE-1");
  same(get("/api/history?lot=LC-OTHER-1"), get("/api/history?lot=LC-NOPE-1"), "LC-OTHER-1", "LC-NOPE-1");
  auto job = [&](const std::string& lot) {
    return post(r, "/api/jobs", Json{{"lot", lot}, {"count", 1}, {"printer", "包装线1号"}}.dump(), &a, a.csrf);
  };
  same(job("LC-OTHER-1"), job("LC-NOPE-1"), "LC-OTHER-1", "LC-NOPE-1");
  // A job of another enterprise (queued at this station by its operator): as an unknown job.
  std::int64_t foreign_job;
  {
    StationState st(r.f.state_path);
    Job j;
    j.printer = "包装线2号-none";  // no worker sends it
    j.lot = "LC-OTHER-1";
    j.product = "SCALLION-06901234567892";
    j.count = 1;
    j.account = "op-other";
    j.enterprise = "OTHER";
    foreign_job = st.queue_job(j, 0);
  }
  std::string fj = std::to_string(foreign_job), uj = std::to_string(foreign_job + 1000);
  same(get("/api/job/codes?id=" + fj), get("/api/job/codes?id=" + uj), fj, uj);
  auto cancel = [&](std::int64_t id) { return post(r, "/api/jobs/cancel", Json{{"id", id}}.dump(), &a, a.csrf); };
  same(cancel(foreign_job), cancel(foreign_job + 1000), fj, uj);
  CHECK(StationState(r.f.state_path).job(foreign_job)->state == "queued");
}

// docs/security.md "The station's screens read a verified replica": "What a person sees as
// verified must come from verified, signed entries. Think as an attacker with write access to
// the database file."
TEST_CASE("forged derived rows in the ledger file change nothing the station shows; its own print is counted at once") {
  // The replica polls by itself only once a minute here: only the station's own triggers (after
  // its write; when a screen finds the file ahead of the replica) can make the next screen
  // count the job.
  Running r("http-forged", 60000);
  Signed a = sign_in(r, "op-07", "4829");
  await_ready(r, a);
  auto c = r.client();
  auto lot_screen = [&] {
    auto res = c.Get(("/api/lot?q=" + r.f.lot).c_str(), {{"Cookie", a.cookie}});
    REQUIRE(res);
    REQUIRE_MESSAGE(res->status == 200, res->body);
    return Json::parse(res->body);
  };
  Json job = print_job(r, a, 3);
  REQUIRE_MESSAGE(job["state"] == "printed", job.dump());
  Json before = lot_screen();
  CHECK(before["live_codes"] == 3);
  CHECK(before["unlabelled"] == 2000 - 3);
  CHECK(before["product"] == "SCALLION-06901234567892");

  // The attacker edits derived tables (never a signed entry): the lot now points at the
  // hostile lot's packing of 20 units of another product, and its codes are gone.
  auto forged = r.f.st.sqlite(
      "DROP TRIGGER codes_no_delete;"
      "UPDATE lots SET created_entry = (SELECT entry_idx FROM events WHERE event_id = 'packing-xss') "
      "WHERE lot_id = '" + r.f.lot + "';"
      "DELETE FROM codes WHERE lot_id = '" + r.f.lot + "';");
  REQUIRE_MESSAGE(forged.status == 0, forged.out);
  {  // what a screen reading the ledger file would now show
    Ledger file(r.f.st.ledger_path, false);
    auto seen = lot_summary(file, r.f.lot);
    REQUIRE(seen);
    CHECK(seen->packed_units == 20);
    CHECK(seen->live_codes == 0);
    CHECK(seen->product == "XSS-1");
  }
  // The station shows the verified values: on the lot screen, in the lot list, in the shift
  // report, and its print check counts from them.
  Json after = lot_screen();
  CHECK(after["packed_units"] == 2000);
  CHECK(after["live_codes"] == 3);
  CHECK(after["unlabelled"] == 2000 - 3);
  CHECK(after["product"] == "SCALLION-06901234567892");
  Json list = Json::parse(c.Get("/api/lots?product=SCALLION-06901234567892", {{"Cookie", a.cookie}})->body);
  REQUIRE(list.size() == 1);
  CHECK(list[0]["lot"] == r.f.lot);
  CHECK(list[0]["packed_units"] == 2000);
  CHECK(list[0]["live_codes"] == 3);
  CHECK(Json::parse(c.Get("/api/lots?product=XSS-1", {{"Cookie", a.cookie}})->body).size() == 1);
  Json shift = Json::parse(c.Get("/api/shift", {{"Cookie", a.cookie}})->body);
  REQUIRE(shift["lots"].size() == 1);
  CHECK(shift["lots"][0]["packed_units"] == 2000);
  CHECK(shift["lots"][0]["live_codes"] == 3);
  auto too_many = post(r, "/api/jobs", Json{{"lot", r.f.lot}, {"count", 1998}, {"printer", "包装线1号"}, {"confirmed", true}}.dump(),
                       &a, a.csrf);
  CHECK(too_many->status == 400);
  CHECK(error_of(too_many).find("这个批次包装了 2000 件，已有 3 个有效追溯码") == 0);
}

TEST_CASE("a ledger file whose signed entries changed: every screen says so in Chinese and nothing prints") {
  Running r("http-failed");
  Signed a = sign_in(r, "op-07", "4829");
  auto c = r.client();
  CHECK(Json::parse(c.Get("/api/me", {{"Cookie", a.cookie}})->body)["ledger"]["status"] == "verified");
  auto edited = r.f.st.sqlite(
      "DROP TRIGGER entries_no_update;"
      "UPDATE entries SET entry = entry || x'20' WHERE idx = (SELECT max(idx) FROM entries);");
  REQUIRE_MESSAGE(edited.status == 0, edited.out);
  Json me;
  for (int i = 0; i < 200; ++i) {
    me = Json::parse(c.Get("/api/me", {{"Cookie", a.cookie}})->body);
    if (me["ledger"]["status"] != "verified") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  REQUIRE(me["ledger"]["status"] == "failed");
  CHECK(me["ledger"]["message"].get<std::string>().find("账本文件未通过校验") == 0);
  const std::vector<std::string> screens = {"/api/lots?product=SCALLION-06901234567892", "/api/lot?q=" + r.f.lot,
                                            "/api/preview.png?lot=" + r.f.lot, "/api/shift",
                                            "/api/history?lot=" + r.f.lot, "/api/products", "/api/uncertain",
                                            "/api/certificate.pdf?number=HG1404062026-0001"};
  for (const std::string& path : screens) {
    auto res = c.Get(path.c_str(), {{"Cookie", a.cookie}});
    REQUIRE(res);
    INFO(path, " ", res->body);
    CHECK(res->status == 503);
    CHECK(Json::parse(res->body)["ledger"] == "failed");
    std::string e = error_of(res);
    CHECK(e.find("账本文件未通过校验") == 0);
    CHECK(e.find("请联系管理员") != std::string::npos);
  }
  auto print = post(r, "/api/jobs", Json{{"lot", r.f.lot}, {"count", 1}, {"printer", "包装线1号"}}.dump(), &a, a.csrf);
  CHECK(print->status == 503);
  CHECK(error_of(print).find("账本文件未通过校验") == 0);
  CHECK(StationState(r.f.state_path).recent_jobs("COOP", 10).empty());
  auto reprint = post(r, "/api/reprint", Json{{"codes", {"0000000000010"}}, {"reason", "标签撕坏"}, {"printer", "包装线1号"}}.dump(),
                      &a, a.csrf);
  CHECK(reprint->status == 503);
  CHECK(r.zebra.labels() == 0);
}

// The attacker trial: an OLD signed entry (not the last, which every poll compares) rewritten
// under a running station, e.g. a count "150000" made "950000". The replica compares every
// verified entry whenever the file changes, so the next screen within the poll interval fails
// closed — before, only the five-minute recheck or a restart noticed.
TEST_CASE("an old signed entry edited while the station runs: the next screens answer 503 with the Chinese banner") {
  Running r("http-old-entry");
  Signed a = sign_in(r, "op-07", "4829");
  await_ready(r, a);
  auto c = r.client();
  Json job = print_job(r, a, 2);  // the station's own appends keep it verified
  REQUIRE_MESSAGE(job["state"] == "printed", job.dump());
  CHECK(Json::parse(c.Get("/api/me", {{"Cookie", a.cookie}})->body)["ledger"]["status"] == "verified");
  const std::size_t n = entry_count(r);
  REQUIRE(n > 4);
  const std::size_t old = n / 2;
  // One byte of the entry's signed text changed in place ('1' → '9' at its first digit 1).
  auto edited = r.f.st.sqlite(fmt::format(
      "DROP TRIGGER entries_no_update;"
      "UPDATE entries SET entry = CAST(substr(CAST(entry AS TEXT), 1, instr(CAST(entry AS TEXT), '1') - 1) || '9' || "
      "substr(CAST(entry AS TEXT), instr(CAST(entry AS TEXT), '1') + 1) AS BLOB) WHERE idx = {0};"
      "SELECT CASE WHEN instr(CAST(entry AS TEXT), '9') > 0 THEN 'edited' END FROM entries WHERE idx = {0};",
      old));
  REQUIRE_MESSAGE(edited.status == 0, edited.out);
  REQUIRE(edited.out.find("edited") != std::string::npos);
  CHECK(entry_count(r) == n);  // nothing appended: only the old entry's bytes differ
  // Within one second (ten polls of 100 ms) the lot screen refuses.
  int status = 0;
  std::string error;
  for (int i = 0; i < 20; ++i) {
    auto lot = c.Get(("/api/lot?q=" + r.f.lot).c_str(), {{"Cookie", a.cookie}});
    REQUIRE(lot);
    status = lot->status;
    if (status != 200) {
      error = error_of(lot);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  CHECK(status == 503);
  CHECK(error.find("账本文件未通过校验") == 0);
  CHECK(error.find(fmt::format("entry {}:", old)) != std::string::npos);
  // The reason in Chinese too (the verifier's English only in the English half).
  CHECK_MESSAGE(error.find(fmt::format("（原因：账本第 {} 条记录在校验之后被改动过）", old)) != std::string::npos, error);
  Json me = Json::parse(c.Get("/api/me", {{"Cookie", a.cookie}})->body);
  CHECK(me["ledger"]["status"] == "failed");
  // The top bar still names the enterprise by its name, as last read verified.
  CHECK(me["enterprise_name"] == "潞城区绿源大葱种植专业合作社");
  CHECK(me["ledger"]["message"].get<std::string>().find("账本文件未通过校验") == 0);
  auto print = post(r, "/api/jobs", Json{{"lot", r.f.lot}, {"count", 1}, {"printer", "包装线1号"}}.dump(), &a, a.csrf);
  CHECK(print->status == 503);
  CHECK(r.zebra.labels() == 2);
}

// The recheck compares the file's tree head with the verified one (verified_state.h), and
// checks signatures only for new entries: an edit of an EARLY entry made together with an
// append by another program (a clerk's import) must still fail the station closed, naming the
// entry, whichever of the two the replica sees first.
TEST_CASE("an early signed entry edited right after another program's append: the station fails closed, naming it") {
  Running r("http-early-entry");
  Signed a = sign_in(r, "op-07", "4829");
  await_ready(r, a);
  auto c = r.client();
  Json job = print_job(r, a, 1);
  REQUIRE_MESSAGE(job["state"] == "printed", job.dump());
  const std::size_t n = entry_count(r);
  {
    auto clerk = note::SigningKey::load(r.f.st.clerk_key);
    Ledger l(r.f.st.ledger_path, true);
    l.append({prepare_event({{"type", "party"}, {"event_id", "party-shop-9"}, {"event_time", "2026-01-05T09:00:00+08:00"},
                             {"party_id", "SHOP-9"}, {"name", "潞城示例超市"}, {"role", "buyer"}},
                            "party-shop-9")},
             clerk, {});
  }
  auto edited = r.f.st.sqlite(
      "DROP TRIGGER entries_no_update;"
      "UPDATE entries SET entry = CAST(substr(CAST(entry AS TEXT), 1, instr(CAST(entry AS TEXT), '1') - 1) || '9' || "
      "substr(CAST(entry AS TEXT), instr(CAST(entry AS TEXT), '1') + 1) AS BLOB) WHERE idx = 1;"
      "SELECT count(*) FROM entries;");
  REQUIRE_MESSAGE(edited.status == 0, edited.out);
  CHECK(edited.out.find(std::to_string(n + 1)) != std::string::npos);  // the append is in the file
  int status = 0;
  std::string error;
  for (int i = 0; i < 40 && status != 503; ++i) {
    auto lot = c.Get(("/api/lot?q=" + r.f.lot).c_str(), {{"Cookie", a.cookie}});
    REQUIRE(lot);
    status = lot->status;
    if (status == 503) error = error_of(lot);
    else std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  CHECK(status == 503);
  CHECK(error.find("账本文件未通过校验") == 0);
  CHECK_MESSAGE(error.find("entry 1:") != std::string::npos, error);
  Json me = Json::parse(c.Get("/api/me", {{"Cookie", a.cookie}})->body);
  CHECK(me["ledger"]["status"] == "failed");
  auto print = post(r, "/api/jobs", Json{{"lot", r.f.lot}, {"count", 1}, {"printer", "包装线1号"}}.dump(), &a, a.csrf);
  CHECK(print->status == 503);
  CHECK(r.zebra.labels() == 1);
}

// The attacker trial: a derived row edited (the replica, which reads only signed entries, still
// verifies), so the job's write is refused by the ledger writer's audit before signing. The
// station then fails closed as for a failed replica, and the operator's words in Chinese mode
// are Chinese only: the audit's English detail goes to the log.
TEST_CASE("a print refused by the writer's audit (an edited derived row): the station fails closed, in Chinese only") {
  Running r("http-audit-refused");
  Signed a = sign_in(r, "op-07", "4829");
  await_ready(r, a);
  auto c = r.client();
  Json first = print_job(r, a, 2);
  REQUIRE_MESSAGE(first["state"] == "printed", first.dump());
  auto forged = r.f.st.sqlite("DROP TRIGGER codes_no_delete; DELETE FROM codes WHERE lot_id = '" + r.f.lot + "';");
  REQUIRE_MESSAGE(forged.status == 0, forged.out);
  CHECK(Json::parse(c.Get("/api/me", {{"Cookie", a.cookie}})->body)["ledger"]["status"] == "verified");
  const std::size_t before = entry_count(r);
  // The check before queueing meets the edited file (its dropped trigger): refused at once.
  auto refused = post(r, "/api/jobs", Json{{"lot", r.f.lot}, {"count", 1}, {"printer", "包装线1号"}}.dump(), &a, a.csrf);
  CHECK(refused->status == 503);
  const std::string message = error_of(refused);
  INFO(message);
  CHECK(message.find("账本文件未通过校验") == 0);
  const std::string zh = message.substr(0, message.find(" / "));
  CHECK_FALSE(std::regex_search(zh, std::regex("[A-Za-z]")));  // what the zh screen shows
  CHECK(message.find("codes_no_delete") == std::string::npos);  // the audit's detail: in the log only
  CHECK(entry_count(r) == before);
  CHECK(r.zebra.labels() == 2);
  Json me = Json::parse(c.Get("/api/me", {{"Cookie", a.cookie}})->body);
  CHECK(me["ledger"]["status"] == "failed");
  CHECK(me["ledger"]["message"] == message);
  auto lot = c.Get(("/api/lot?q=" + r.f.lot).c_str(), {{"Cookie", a.cookie}});
  CHECK(lot->status == 503);
  CHECK(error_of(lot) == message);
  auto print = post(r, "/api/jobs", Json{{"lot", r.f.lot}, {"count", 1}, {"printer", "包装线1号"}}.dump(), &a, a.csrf);
  CHECK(print->status == 503);
  CHECK(error_of(print) == message);
}

// Issue 15: "two stations printing at once to two printers issue no duplicate code and lose
// none". Two station servers (each its own state file, replica and fake Zebra) on one ledger file.
TEST_CASE("two stations printing at once to one ledger: no duplicate code, none lost, each screen counts both") {
  Running one("http-two-stations");
  testing::FakeZebra zebra2;
  const std::string config2 = one.f.st.dir + "/station2.json", state2 = one.f.st.dir + "/station2.db";
  std::ofstream(config2) << testing::config_json(one.f.st.station_key, testing::bag_template(), {zebra2.port()});
  StationState(state2).add_account("op-09", "operator", "COOP", "6170");
  ServeOptions o;
  o.ledger_path = one.f.st.ledger_path;
  o.state_path = state2;
  o.log_pubkeys = {testing::log_pubkey(one.f)};
  o.port = 0;
  StationServer two(load_config(config2), o);
  REQUIRE(two.wait_ledger(std::chrono::seconds(60)));
  const int port2 = two.bind();
  std::thread serving([&] { two.listen(); });
  struct Stop {
    StationServer& s;
    std::thread& t;
    ~Stop() {
      s.stop();
      t.join();
    }
  } stop{two, serving};
  auto client2 = [&] {
    httplib::Client c("127.0.0.1", port2);
    c.set_read_timeout(30, 0);
    return c;
  };
  Signed a = sign_in(one, "op-07", "4829");
  await_ready(one, a);
  Signed b;
  {
    auto res = client2().Post("/api/signin", Json{{"user", "op-09"}, {"pin", "6170"}}.dump(), "application/json");
    REQUIRE(res);
    REQUIRE_MESSAGE(res->status == 200, res->body);
    std::string set = res->get_header_value("Set-Cookie");
    b = {set.substr(0, set.find(';')), Json::parse(res->body).at("csrf").get<std::string>()};
  }
  for (int i = 0; i < 100; ++i) {
    auto res = client2().Get("/api/printers", {{"Cookie", b.cookie}});
    if (res && res->status == 200 && Json::parse(res->body)[0].value("ready", false)) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  constexpr int kJobs = 3, kLabels = 15;
  std::thread second([&] {
    for (int i = 0; i < kJobs; ++i) {
      httplib::Headers h{{"Cookie", b.cookie}, {"X-CSRF-Token", b.csrf}};
      auto res = client2().Post("/api/jobs", h, Json{{"lot", one.f.lot}, {"count", kLabels}, {"printer", "包装线1号"}}.dump(),
                                "application/json");
      CHECK((res && res->status == 202));
    }
  });
  for (int i = 0; i < kJobs; ++i) {
    auto res = post(one, "/api/jobs", Json{{"lot", one.f.lot}, {"count", kLabels}, {"printer", "包装线1号"}}.dump(), &a, a.csrf);
    CHECK(res->status == 202);
  }
  second.join();
  auto all_ended = [&](httplib::Client c, const Signed& s) {
    Json jobs = Json::parse(c.Get("/api/jobs", {{"Cookie", s.cookie}})->body);
    std::size_t printed = 0;
    for (const auto& j : jobs) {
      if (j["state"] == "queued" || j["state"] == "sending") return false;
      printed += j["state"] == "printed";
    }
    CHECK(printed == kJobs);
    return true;
  };
  bool done = false;
  for (int i = 0; i < 600 && !done; ++i) {
    done = all_ended(one.client(), a) && all_ended(client2(), b);
    if (!done) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  REQUIRE(done);
  // Every label each printer received carries a code the ledger issued, once.
  std::set<std::string> printed;
  std::size_t sent = 0;
  for (const std::string& bytes : {one.zebra.received(), zebra2.received()}) {
    static const std::regex serial("/21/([0-9A-Z]{13})");
    for (auto it = std::sregex_iterator(bytes.begin(), bytes.end(), serial); it != std::sregex_iterator(); ++it) {
      printed.insert((*it)[1].str());
      ++sent;
    }
  }
  const std::vector<std::string> issued = lot_serials(one);
  CHECK(sent == 2 * kJobs * kLabels);
  CHECK(printed.size() == sent);
  CHECK(std::vector<std::string>(printed.begin(), printed.end()) == issued);
  Ledger(one.f.st.ledger_path, false).verify(std::nullopt);
  // Each station's replica counts the other's labels too (by its own poll).
  for (auto [port, s] : {std::pair{one.port, a}, std::pair{port2, b}}) {
    httplib::Client c("127.0.0.1", port);
    Json lot;
    for (int i = 0; i < 100; ++i) {
      lot = Json::parse(c.Get(("/api/lot?q=" + one.f.lot).c_str(), {{"Cookie", s.cookie}})->body);
      if (lot["live_codes"] == issued.size()) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    CHECK(lot["live_codes"] == issued.size());
  }
}

TEST_CASE("a template whose QR is too small for a printer it may use refuses the start, naming template, printer, sizes and fix") {
  Running r("http-template-printer");
  Ledger ledger(r.f.st.ledger_path, false);
  CHECK(template_printer_refusal(ledger, parse_config(r.f.config_text, r.f.config_path)) == "");
  // The bag template with its QR box shrunk to 15 mm: too small at 203 dpi for the lot's URL.
  Json t = Json::parse(labeler::testing::read_file(testing::bag_template()));
  for (auto& el : t["elements"])
    if (el["type"] == "qr") el["size_mm"] = 15;
  const std::string small = r.f.st.dir + "/small-qr.json";
  std::ofstream(small) << t.dump();
  Json c = Json::parse(r.f.config_text);
  c["enterprises"][0]["templates"][0]["template"] = small;
  const std::string why = template_printer_refusal(ledger, parse_config(c.dump(), r.f.config_path));
  CHECK_MESSAGE(why.rfind(fmt::format("标签模板 {}（企业 COOP 的产品 SCALLION-06901234567892）在打印机“包装线1号”（203 dpi）上印不出能扫的二维码",
                                      small),
                          0) == 0,
                why);
  CHECK(std::regex_search(why, std::regex("至少要 [0-9]+\\.[0-9] 毫米见方，模板只给了 15\\.0 毫米")));
  CHECK(why.find("qr 的 size_mm") != std::string::npos);
  // The server refuses to start with it, before listening.
  ServeOptions o;
  o.ledger_path = r.f.st.ledger_path;
  o.state_path = r.f.st.dir + "/other-state.db";
  o.log_pubkeys = {testing::log_pubkey(r.f)};
  CHECK_THROWS_WITH_AS(StationServer(parse_config(c.dump(), r.f.config_path), o), doctest::Contains("印不出能扫的二维码"),
                       Error);
  // At print time, the labeler's English refusal reaches the operator in Chinese.
  CHECK(for_operator("QR element: a 37-module symbol with its quiet zone needs a box of at least 22.5 mm at 203 dpi")
            .rfind("标签模板的二维码太小，这台打印机印不出能扫的二维码", 0) == 0);
}

TEST_CASE("the 账号 screen: a supervisor disables and enables an account of their enterprise, never their own") {
  Running r("http-enable");
  Signed sup = sign_in(r, "sup-01", "7316"), op = sign_in(r, "op-07", "4829");
  auto c = r.client();
  auto set = [&](const Signed& who, const std::string& id, bool enabled) {
    return post(r, "/api/accounts/enable", Json{{"id", id}, {"enabled", enabled}}.dump(), &who, who.csrf);
  };
  CHECK(set(op, "op-08", false)->status == 403);  // operators cannot
  auto off = set(sup, "op-07", false);
  REQUIRE_MESSAGE(off->status == 200, off->body);
  CHECK(Json::parse(off->body)["message"].get<std::string>().rfind("已停用账号 op-07", 0) == 0);
  // Its session ended, and its open screen is told why (停用, ask a supervisor), not "sign in first".
  auto me = c.Get("/api/me", {{"Cookie", op.cookie}});
  CHECK(me->status == 401);
  CHECK(Json::parse(me->body).value("disabled", false));
  CHECK_MESSAGE(error_of(me).rfind("账号 op-07 已停用", 0) == 0, me->body);
  CHECK(error_of(me).find("主管") != std::string::npos);
  auto job = post(r, "/api/jobs", Json{{"lot", r.f.lot}, {"count", 1}, {"printer", "包装线1号"}}.dump(), &op, op.csrf);
  CHECK(job->status == 401);
  CHECK(error_of(job).rfind("账号 op-07 已停用", 0) == 0);
  auto refused = c.Post("/api/signin", Json{{"user", "op-07"}, {"pin", "4829"}}.dump(), "application/json");
  CHECK(refused->status != 200);
  auto on = set(sup, "op-07", true);
  REQUIRE_MESSAGE(on->status == 200, on->body);
  CHECK(Json::parse(on->body)["message"].get<std::string>().rfind("已启用账号 op-07", 0) == 0);
  // Enabled again, the old session stays ended (a plain 401); the same PIN signs in again.
  auto stale = c.Get("/api/me", {{"Cookie", op.cookie}});
  CHECK(stale->status == 401);
  CHECK_FALSE(Json::parse(stale->body).value("disabled", false));
  sign_in(r, "op-07", "4829");
  auto self = set(sup, "sup-01", false);
  CHECK(self->status == 400);
  CHECK(error_of(self).rfind("不能停用自己正在用的账号", 0) == 0);
  CHECK(set(sup, "op-nobody", true)->status == 404);
  CHECK(post(r, "/api/accounts/enable", Json{{"id", "op-07"}}.dump(), &sup, sup.csrf)->status == 400);
}

TEST_CASE("a clerk of an enterprise without clerk_key is told at sign-in that uploads cannot work") {
  Running r("http-no-clerk-key");  // the fixture's station.json has no clerk_key
  Signed clerk = sign_in(r, "clerk-01", "2468"), op = sign_in(r, "op-07", "4829");
  auto c = r.client();
  Json me = Json::parse(c.Get("/api/me", {{"Cookie", clerk.cookie}})->body);
  REQUIRE(me["upload_refused"].is_string());
  CHECK(me["upload_refused"].get<std::string>().rfind("本工作站还没有给本单位（潞城区绿源大葱种植专业合作社）配置文员密钥，上传都会被拒绝", 0) == 0);
  CHECK(Json::parse(c.Get("/api/me", {{"Cookie", op.cookie}})->body)["upload_refused"].is_null());  // not a clerk
  // What the screen says is what an upload would answer.
  httplib::Headers h{{"Cookie", clerk.cookie}, {"X-CSRF-Token", clerk.csrf}};
  auto up = c.Post("/api/upload?name=a.csv&step=check", h, "事件类型\r\n", "text/csv");
  CHECK(up->status == 409);
  CHECK(error_of(up) == me["upload_refused"].get<std::string>());
}

namespace {

// The labels of one TSPL job as the TSC received them, in order: each drawn as the TSPL manual
// defines its commands (labeler/testing/tspl_render.h) on the 60×40 mm label at 203 dpi, and
// its QR code read back by zbar. CHECKs that zbar reads exactly what the QRCODE command carries.
std::vector<std::string> tspl_qr_codes(const std::string& stream) {
  static const std::regex bitmap(R"(CLS\r\nBITMAP \d+,\d+,(\d+),(\d+),0,)");
  const int width = static_cast<int>(std::lround(60 * 203 / 25.4)), height = static_cast<int>(std::lround(40 * 203 / 25.4));
  std::vector<std::string> out;
  for (std::size_t at = 0; (at = stream.find("CLS\r\nBITMAP ", at)) != std::string::npos;) {
    std::smatch m;
    const std::string head = stream.substr(at, 64);
    REQUIRE(std::regex_search(head, m, bitmap, std::regex_constants::match_continuous));
    const std::size_t data_end = at + static_cast<std::size_t>(m.length(0)) + std::stoul(m[1]) * std::stoul(m[2]);
    std::size_t end = stream.find("PRINT 1,1\r\n", data_end);
    REQUIRE(end != std::string::npos);
    end += 11;
    auto label = labeler::testing::render_tspl(stream.substr(at, end - at), width, height);
    REQUIRE(label.qr_data.size() == 1);
    auto read = labeler::testing::zbar_decode(label.image);
    CHECK(read == std::vector<std::string>{label.qr_data[0]});
    out.push_back(read.empty() ? std::string() : read[0]);
    at = end;
  }
  return out;
}

// The serial of each trace URL.
std::vector<std::string> serials_of(const std::vector<std::string>& urls) {
  std::vector<std::string> out;
  for (const auto& u : urls) out.push_back(parse_trace_uri(u).serial);
  return out;
}

// The job `id` as /api/jobs shows it to `who`, or null.
Json job_seen(const Running& r, const Signed& who, const Json& id) {
  auto res = r.client().Get("/api/jobs", {{"Cookie", who.cookie}, {"X-Station-Poll", "1"}});
  REQUIRE(res);
  REQUIRE(res->status == 200);
  for (const auto& j : Json::parse(res->body))
    if (j["id"] == id) return j;
  return nullptr;
}

// Waits until printer 包装线1号 shows `state` (ready, paper_out …) to `who`; returns its view.
Json await_printer(const Running& r, const Signed& who, const std::string& state) {
  Json p;
  for (int i = 0; i < 150; ++i) {
    p = Json::parse(r.client().Get("/api/printers", {{"Cookie", who.cookie}})->body)[0];
    if (p["state"] == state) return p;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  FAIL("the printer stayed " << p.dump());
  return p;
}

// A station whose printer 包装线1号 is a TSC (TSPL) instead of a Zebra.
testing::RunningOptions tspl_printer() {
  return {100, [](testing::RunningStation& r, Json& c) {
            r.zebra.set_tspl(true);
            c["printers"][0]["language"] = "tspl";
          }};
}

}  // namespace

TEST_CASE("a TSPL printer end to end: the TSC's labels decode to the job's genuine codes; paper out mid-job, then reprint and void") {
  Running r("http-tspl", tspl_printer());
  Signed a = sign_in(r, "op-07", "4829");
  CHECK(await_printer(r, a, "ready")["text"].get<std::string>().find("就绪") != std::string::npos);
  // The roll holds 55 labels: the status query after label 50 (confirm_every) answers ready, the
  // one after label 60 paper out.
  r.zebra.set_paper_out_after(55);
  auto ok = post(r, "/api/jobs", Json{{"lot", r.f.lot}, {"count", 60}, {"printer", "包装线1号"}, {"confirmed", true}}.dump(), &a, a.csrf);
  REQUIRE_MESSAGE(ok->status == 202, ok->body);
  const Json id = Json::parse(ok->body)["id"];
  Json job;
  for (int i = 0; i < 600 && (job = job_seen(r, a, id))["state"] != "failed" && job["state"] != "printed"; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  REQUIRE_MESSAGE(job["state"] == "failed", job.dump());
  const std::string msg = job["message"];
  CHECK(msg.find("打印机缺纸") == 0);
  CHECK(msg.find("已确认 50 张，未确认 10 张") != std::string::npos);
  CHECK(job["uncertain"] == 10);
  // The TSC received the 60 labels in TSPL; each QR code, drawn and read back, is a Digital Link
  // of a distinct code of this job, live in the ledger.
  std::string stream;
  for (const auto& st : r.zebra.streams())
    if (st.find("PRINT 1,1") != std::string::npos) stream = st;
  CHECK(stream.find("SIZE 60 mm,40 mm") != std::string::npos);
  CHECK(stream.find("^XA") == std::string::npos);  // not a line of ZPL
  const auto printed = serials_of(tspl_qr_codes(stream));
  REQUIRE(printed.size() == 60);
  const auto issued = lot_serials(r);
  CHECK(std::set<std::string>(printed.begin(), printed.end()) == std::set<std::string>(issued.begin(), issued.end()));
  Ledger ledger(r.f.st.ledger_path, false);
  for (const auto& serial : printed) {
    auto c = ledger.code(serial);
    REQUIRE(c);
    CHECK(c->issued_entry == job["entry"].get<std::uint64_t>());
    CHECK_FALSE(c->voided_entry);
  }
  // The panel says 缺纸 while the roll is out; the labels after the last ready answer are listed.
  r.zebra.set_paper_out(true);
  CHECK(await_printer(r, a, "paper_out")["text"].get<std::string>().find("缺纸") != std::string::npos);
  Json u = Json::parse(r.client().Get("/api/uncertain", {{"Cookie", a.cookie}})->body);
  REQUIRE(u.size() == 1);
  CHECK(u[0]["station_job"] == id);
  CHECK(u[0]["confirmed"] == 50);
  const auto unconfirmed = u[0]["unconfirmed"].get<std::vector<std::string>>();
  CHECK(unconfirmed == std::vector<std::string>(printed.begin() + 50, printed.end()));
  // Paper back: three of them reprinted (the TSC gets exactly those), the other seven voided.
  r.zebra.set_paper_out(false);
  r.zebra.set_paper_out_after(SIZE_MAX);
  await_printer(r, a, "ready");
  const std::size_t streams_before = r.zebra.streams().size();
  const std::vector<std::string> again(unconfirmed.begin(), unconfirmed.begin() + 3);
  auto re = post(r, "/api/reprint", Json{{"codes", again}, {"reason", "缺纸，没打出来"}, {"printer", "包装线1号"}}.dump(), &a, a.csrf);
  REQUIRE_MESSAGE(re->status == 200, re->body);
  std::vector<std::string> reprinted;
  for (std::size_t i = streams_before; i < r.zebra.streams().size(); ++i)
    for (const auto& s : serials_of(tspl_qr_codes(r.zebra.streams()[i]))) reprinted.push_back(s);
  CHECK(reprinted == again);
  u = Json::parse(r.client().Get("/api/uncertain", {{"Cookie", a.cookie}})->body);
  REQUIRE(u.size() == 1);
  CHECK(u[0]["unconfirmed"].size() == 7);
  auto voided = post(r, "/api/void",
                     Json{{"journal_job", u[0]["journal_job"]}, {"reason", "缺纸，没打出来"}, {"supervisor", "sup-01"},
                          {"supervisor_pin", "7316"}}.dump(),
                     &a, a.csrf);
  REQUIRE_MESSAGE(voided->status == 200, voided->body);
  CHECK(Json::parse(voided->body)["voided"] == 7);
  CHECK(Json::parse(r.client().Get("/api/uncertain", {{"Cookie", a.cookie}})->body).empty());
  CHECK(job_seen(r, a, id)["uncertain"] == 0);
  Ledger after(r.f.st.ledger_path, false);
  for (std::size_t i = 0; i < printed.size(); ++i)
    CHECK(after.code(printed[i])->voided_entry.has_value() == (i >= 53));
  after.verify(std::nullopt);
}

TEST_CASE("two tabs watching one job see the same progress and end; both reprinting its uncertain labels prints them once") {
  Running r("http-two-tabs");
  Signed tab1 = sign_in(r, "op-07", "4829"), tab2 = sign_in(r, "op-07", "4829");
  await_ready(r, tab1);
  r.zebra.set_paper_out_after(55);
  auto ok = post(r, "/api/jobs", Json{{"lot", r.f.lot}, {"count", 60}, {"printer", "包装线1号"}, {"confirmed", true}}.dump(), &tab1, tab1.csrf);
  REQUIRE_MESSAGE(ok->status == 202, ok->body);
  const Json id = Json::parse(ok->body)["id"];
  // Both tabs poll as the screens do; each sees the job move forward only, never a state the
  // other did not pass through, and both see the same end.
  const std::vector<std::string> order = {"queued", "sending", "failed"};
  auto rank = [&](const Json& j) { return std::find(order.begin(), order.end(), j["state"].get<std::string>()) - order.begin(); };
  std::vector<Json> seen1, seen2;
  for (int i = 0; i < 600; ++i) {
    seen1.push_back(job_seen(r, tab1, id));
    seen2.push_back(job_seen(r, tab2, id));
    if (seen1.back()["state"] == "failed" && seen2.back()["state"] == "failed") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  for (const auto* seen : {&seen1, &seen2})
    for (std::size_t i = 0; i < seen->size(); ++i) {
      REQUIRE_MESSAGE(rank((*seen)[i]) < 3, (*seen)[i].dump());
      if (i) CHECK(rank((*seen)[i]) >= rank((*seen)[i - 1]));
    }
  REQUIRE(seen1.back()["state"] == "failed");
  CHECK(seen1.back() == seen2.back());  // the same end, field for field
  CHECK(seen2.back()["uncertain"] == 10);
  // Paper back: both tabs press 重印 for the job's uncertain labels at the same moment.
  r.zebra.set_paper_out_after(SIZE_MAX);
  await_ready(r, tab1);
  const Json journal = Json::parse(r.client().Get("/api/uncertain", {{"Cookie", tab2.cookie}})->body)[0]["journal_job"];
  const std::size_t labels_before = r.zebra.labels();
  std::pair<int, std::string> res1, res2;  // status and body
  {
    auto press = [&](const Signed& tab, std::pair<int, std::string>& out) {
      auto res = post(r, "/api/reprint", Json{{"journal_job", journal}, {"reason", "缺纸"}, {"printer", "包装线1号"}}.dump(), &tab, tab.csrf);
      if (res) out = {res->status, res->body};
    };
    std::thread t1(press, std::cref(tab1), std::ref(res1)), t2(press, std::cref(tab2), std::ref(res2));
    t1.join();
    t2.join();
  }
  INFO(res1.second << "\n" << res2.second);
  CHECK(std::multiset<int>{res1.first, res2.first} == std::multiset<int>{200, 409});
  CHECK(r.zebra.labels() == labels_before + 10);  // printed once
  // A third press, after both: nothing left to reprint.
  auto third = post(r, "/api/reprint", Json{{"journal_job", journal}, {"reason", "缺纸"}, {"printer", "包装线1号"}}.dump(), &tab2, tab2.csrf);
  CHECK(third->status == 409);
  CHECK(error_of(third).find("这个任务已没有未确认的标签") == 0);
  CHECK(job_seen(r, tab1, id)["uncertain"] == 0);
  CHECK(job_seen(r, tab2, id) == job_seen(r, tab1, id));
  CHECK(r.zebra.labels() == labels_before + 10);
}
