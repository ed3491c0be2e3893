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

#include <chrono>
#include <thread>

#include "ledger/ledger.h"
#include "ledger/note/ed25519_key.h"
#include "ledger/util/error.h"
#include "ledger/util/bytes.h"
#include "ledger/util/sha256.h"
#include "labeler/testing/qr_decode.h"
#include "station/config.h"
#include "station/server.h"
#include "station/state.h"
#include "station/tests/fake_printer.h"
#include "station/tests/fixture.h"

using namespace agtrace;
using namespace agtrace::station;
using Json = nlohmann::json;

namespace {

struct Running {
  testing::FakeZebra zebra;
  testing::StationFixture f;
  std::unique_ptr<StationServer> server;
  std::thread thread;
  int port = 0;

  explicit Running(const std::string& name) : f(name, {zebra.port()}) {
    {
      StationState s(f.state_path);
      s.add_account("op-07", "operator", "COOP", "4829");
      s.add_account("op-08", "operator", "COOP", "5555");
      s.add_account("clerk-01", "clerk", "COOP", "2468");
    }
    ServeOptions o;
    o.ledger_path = f.st.ledger_path;
    o.state_path = f.state_path;
    o.port = 0;
    server = std::make_unique<StationServer>(load_config(f.config_path), o);
    port = server->bind();
    thread = std::thread([this] { server->listen(); });
  }
  ~Running() {
    server->stop();
    thread.join();
  }
  httplib::Client client() const {
    httplib::Client c("127.0.0.1", port);
    c.set_read_timeout(30, 0);
    return c;
  }
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
    CHECK(error_of(res).find("账号或 PIN 不对") == 0);
  }
  auto fifth = attempt("0000");
  CHECK(fifth->status == 403);
  CHECK(error_of(fifth).find("账号已锁定") == 0);
  CHECK(attempt("4829")->status == 403);
  StationState(r.f.state_path).reset_pin("op-07", "4829");
  CHECK(attempt("4829")->status == 200);
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
  auto ok = post(r, "/api/jobs", Json{{"lot", r.f.lot}, {"count", 12}, {"printer", "包装线1号"}}.dump(), &a, a.csrf);
  REQUIRE_MESSAGE(ok->status == 202, ok->body);
  auto c = r.client();
  Json job;
  for (int i = 0; i < 300; ++i) {
    job = Json::parse(c.Get("/api/jobs", {{"Cookie", a.cookie}})->body)[0];
    if (job["state"] != "queued" && job["state"] != "sending") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  REQUIRE_MESSAGE(job["state"] == "failed", job.dump());
  std::string msg = job["message"];
  CHECK(msg.find("打印机缺纸") == 0);  // the printer's own words first
  CHECK(msg.find("打印中断：已确认 0 张，未确认 12 张，已作废 0 张") != std::string::npos);
  CHECK(msg.find("请查看打印机") != std::string::npos);  // and what to do with the uncertain labels
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
  CHECK(Json::parse(get(r.f.lot)->body)["lot"] == r.f.lot);
  auto unknown = get("LC-NOPE");
  CHECK(unknown->status == 400);
  CHECK(error_of(unknown).find("没有批次“LC-NOPE”") == 0);
  auto foreign = get("https://elsewhere.example/01/06901234567892/10/LC-ST-0001/21/0000000000010");
  CHECK(foreign->status == 400);
  auto preview = c.Get(("/api/preview.png?lot=" + r.f.lot).c_str(), {{"Cookie", a.cookie}});
  REQUIRE(preview->status == 200);
  CHECK(preview->get_header_value("Content-Type") == "image/png");
  CHECK(preview->body.substr(1, 3) == "PNG");
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
