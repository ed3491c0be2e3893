// The station's 承诺达标合格证 screen and the clerk's upload over HTTP, in-process (issue 15
// items 6 and 7; station/certificates.h, station/upload.h): the evidence and the bases it
// supports, issuing with the station key and the operator's account in the signed entry, printing
// on a label printer, voiding with a supervisor's PIN; a clerk's GB18030 file with a bad row is
// refused naming line, column letter and header with nothing recorded, a good one recorded; a
// file over 10 MB refused before it is read. Every new POST: session, CSRF token and role.
#include <doctest/doctest.h>
#include <fmt/format.h>
#include <httplib.h>

#include <arpa/inet.h>
#include <iconv.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "ledger/certificates.h"
#include "ledger/ledger.h"
#include "ledger/note/ed25519_key.h"
#include "station/config.h"
#include "station/server.h"
#include "station/state.h"
#include "station/tests/fake_printer.h"
#include "station/tests/fixture.h"
#include "station/upload.h"

using namespace agtrace;
using namespace agtrace::station;
using Json = nlohmann::json;

namespace {

const std::string kUncertified = "LC-ST-0002";  // packed from HV-2 (inspection-2 by COOP), no certificate

// The shared in-process station (fixture.h) whose config adds a 100×70 mm certificate printer
// (合格证打印机, the second fake Zebra) and the co-op's clerk key, with a packed lot that has no
// certificate (kUncertified).
struct Running : testing::RunningStation {
  explicit Running(const std::string& name)
      : testing::RunningStation(name, {100, [](testing::RunningStation& r, Json& c) {
                                         r.f.st.add_packed_lot(kUncertified, r.f.gtin, 2000, false);
                                         c["enterprises"][0]["clerk_key"] = r.f.st.clerk_key;
                                         c["printers"].push_back({{"name", "合格证打印机"},
                                                                  {"url", fmt::format("tcp://127.0.0.1:{}", r.cert_zebra.port())},
                                                                  {"language", "zpl"},
                                                                  {"dpi", 203},
                                                                  {"label", {{"width_mm", 100}, {"height_mm", 70}}}});
                                       }}) {}
};

struct Signed {
  std::string cookie, csrf;
};

Signed sign_in(const testing::RunningStation& r, const std::string& user, const std::string& pin) {
  auto res = r.client().Post("/api/signin", Json{{"user", user}, {"pin", pin}}.dump(), "application/json");
  REQUIRE(res);
  REQUIRE_MESSAGE(res->status == 200, res->body);
  std::string set = res->get_header_value("Set-Cookie");
  return {set.substr(0, set.find(';')), Json::parse(res->body).at("csrf").get<std::string>()};
}

httplib::Result post(const testing::RunningStation& r, const std::string& path, const std::string& body, const Signed* who,
                     const std::string& csrf, const std::string& type = "application/json") {
  httplib::Headers h;
  if (who) h.emplace("Cookie", who->cookie);
  if (!csrf.empty()) h.emplace("X-CSRF-Token", csrf);
  return r.client().Post(path.c_str(), h, body, type.c_str());
}

httplib::Result get(const testing::RunningStation& r, const std::string& path, const Signed& who) {
  return r.client().Get(path.c_str(), {{"Cookie", who.cookie}});
}

std::string error_of(const httplib::Result& res) { return Json::parse(res->body).value("error", ""); }

void await_ready(const Running& r, const Signed& s, const std::string& printer) {
  for (int i = 0; i < 100; ++i) {
    auto res = get(r, "/api/printers", s);
    if (res && res->status == 200)
      for (const auto& p : Json::parse(res->body))
        if (p["name"] == printer && p.value("ready", false)) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  FAIL("the printer never showed ready");
}

std::string raw_exchange(int port, const std::string& request) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
  ::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
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

std::string to_gb18030(const std::string& utf8) {
  iconv_t cd = iconv_open("GB18030", "UTF-8");
  REQUIRE(cd != reinterpret_cast<iconv_t>(-1));
  std::string out(utf8.size() * 2 + 16, '\0');
  char* in = const_cast<char*>(utf8.data());
  char* o = out.data();
  std::size_t in_left = utf8.size(), out_left = out.size();
  REQUIRE(iconv(cd, &in, &in_left, &o, &out_left) != static_cast<std::size_t>(-1));
  iconv_close(cd);
  out.resize(out.size() - out_left);
  return out;
}

// Two harvests of the fixture's planting PL-1; `bad_quantity` replaces the second row's 数量.
std::string harvest_csv(const std::string& prefix, const std::string& bad_quantity = "") {
  std::string t = labeler::testing::now_minus_days(5);
  return "事件类型,事件编号,时间,主体编号,地点编号,采收批次,种植批次,产品编号,数量,单位\r\n" +
         fmt::format("采收,{0}-1,{1},COOP,PLOT-1,{0}-H1,PL-1,SCALLION-06901234567892,500,千克\r\n", prefix, t) +
         fmt::format("采收,{0}-2,{1},COOP,PLOT-1,{0}-H2,PL-1,SCALLION-06901234567892,{2},千克\r\n", prefix, t,
                     bad_quantity.empty() ? "300" : bad_quantity);
}

// A second enterprise of the station, COOP-B (潞城二号合作社), with its planting PL-B on the ledger.
void add_coop_b(testing::RunningStation& r, Json& c) {
  auto clerk = note::SigningKey::load(r.f.st.clerk_key);
  Ledger l(r.f.st.ledger_path, true);
  auto add = [&](Json e) {
    std::string id = e["event_id"];
    l.append({prepare_event(std::move(e), id)}, clerk, {});
  };
  add({{"type", "party"}, {"event_id", "party-coop-b"}, {"event_time", labeler::testing::now_minus_days(299)},
       {"party_id", "COOP-B"}, {"name", "潞城二号合作社"}, {"role", "cooperative"}});
  add({{"type", "planting"}, {"event_id", "planting-PL-B"}, {"event_time", labeler::testing::now_minus_days(200)},
       {"party", "COOP-B"}, {"location", "PLOT-1"}, {"lot", "PL-B"}, {"product", "SCALLION-06901234567892"},
       {"area_mu", "1.5"}});
  const std::string key_b = r.f.st.dir + "/coop-b-station.key";
  note::SigningKey::generate("coop-b-station").save(key_b);
  Json b = c["enterprises"][0];
  b["party"] = "COOP-B";
  b["station_key"] = key_b;
  b.erase("clerk_key");
  c["enterprises"].push_back(b);
}

struct TwoEnterprises : testing::RunningStation {
  explicit TwoEnterprises(const std::string& name)
      : testing::RunningStation(name, {100, [](testing::RunningStation& r, Json& c) {
                                         c["enterprises"][0]["clerk_key"] = r.f.st.clerk_key;
                                         add_coop_b(r, c);
                                       }}) {}
};

std::string upload_csv(const std::vector<std::string>& rows) {
  std::string out;
  for (const auto& row : rows) out += row + "\r\n";
  return out;
}

}  // namespace

TEST_CASE("a clerk uploads only their own enterprise's records: a row of another is refused by row and column, all or nothing") {
  TwoEnterprises r("upload-scope");
  auto clerk = [&] {
    auto res = r.client().Post("/api/signin", Json{{"user", "clerk-01"}, {"pin", "2468"}}.dump(), "application/json");
    REQUIRE(res->status == 200);
    std::string set = res->get_header_value("Set-Cookie");
    return Signed{set.substr(0, set.find(';')), Json::parse(res->body).at("csrf").get<std::string>()};
  }();
  auto upload = [&](const std::string& csv, bool continue_on_error) {
    httplib::Headers h{{"Cookie", clerk.cookie}, {"X-CSRF-Token", clerk.csrf}};
    return r.client().Post(continue_on_error ? "/api/upload?name=s.csv&encoding=utf-8&continue_on_error=1"
                                             : "/api/upload?name=s.csv&encoding=utf-8",
                           h, csv, "text/csv");
  };
  const std::string t = labeler::testing::now_minus_days(5);
  const std::string header = "事件类型,事件编号,时间,主体编号,地点编号,采收批次,种植批次,产品编号,数量,单位";
  const std::string own = fmt::format("采收,S-1,{},COOP,PLOT-1,S-H1,PL-1,SCALLION-06901234567892,500,千克", t);
  const auto size0 = r.ledger_size();
  for (bool continue_on_error : {false, true}) {
    // Row 3 names COOP-B as its party (D 列「主体编号」).
    auto res = upload(upload_csv({header, own,
                                  fmt::format("采收,S-2,{},COOP-B,PLOT-1,S-H2,PL-B,SCALLION-06901234567892,300,千克", t)}),
                      continue_on_error);
    REQUIRE(res->status == 422);
    Json j = Json::parse(res->body);
    CHECK(j["recorded"] == 0);
    REQUIRE(j["refused"].size() == 1);
    CHECK(j["refused"][0]["where"].get<std::string>().find("s.csv 第 3 行") != std::string::npos);
    const std::string why = j["refused"][0]["error"];
    CHECK_MESSAGE(why.rfind("D 列「主体编号」：这一行写的是 COOP-B（潞城二号合作社），不是本单位", 0) == 0, why);
    CHECK(why.find("本账号只能上传本单位（潞城区绿源大葱种植专业合作社）的记录") != std::string::npos);
    CHECK(j["summary"].get<std::string>().find("整个文件都没有记录") != std::string::npos);
    CHECK(r.ledger_size() == size0);
  }
  // Row 2 is the co-op's own, but its 种植批次 PL-B is COOP-B's lot (G 列).
  auto lot = upload(upload_csv({header, fmt::format("采收,S-3,{},COOP,PLOT-1,S-H3,PL-B,SCALLION-06901234567892,300,千克", t),
                                own}),
                    true);
  REQUIRE(lot->status == 422);
  Json j = Json::parse(lot->body);
  REQUIRE(j["refused"].size() == 1);
  CHECK(j["refused"][0]["where"].get<std::string>().find("第 2 行") != std::string::npos);
  CHECK_MESSAGE(j["refused"][0]["error"].get<std::string>().rfind(
                    "G 列「种植批次」：批次 PL-B 不是本单位的批次。本账号只能上传本单位", 0) == 0,
                j["refused"][0]["error"]);
  // Never a word of whose another party's lot is.
  CHECK(j["refused"][0]["error"].get<std::string>().find("COOP-B") == std::string::npos);
  CHECK(r.ledger_size() == size0);
  // Master data of the other enterprise of this station.
  auto party = upload(upload_csv({"事件类型,事件编号,时间,主体编号,名称,角色",
                                  fmt::format("主体,P-B,{},COOP-B,潞城二号合作社（改名）,合作社", t)}),
                      false);
  REQUIRE(party->status == 422);
  const std::string master = Json::parse(party->body)["refused"][0]["error"];
  CHECK_MESSAGE(master.rfind("D 列「主体编号」：COOP-B（潞城二号合作社） 是本工作站的另一个单位", 0) == 0, master);
  CHECK(r.ledger_size() == size0);
  // A row of another enterprise hides nothing else: the other rows' problems are listed in the
  // same round, beside it in line order, and still nothing is recorded (with continue-on-error too).
  for (bool continue_on_error : {false, true}) {
    auto mixed = upload(upload_csv({header, own,
                                    fmt::format("采收,S-2,{},COOP-B,PLOT-1,S-H2,PL-B,SCALLION-06901234567892,300,千克", t),
                                    fmt::format("采收,S-4,{},COOP,PLOT-1,S-H4,PL-1,SCALLION-06901234567892,三百,千克", t),
                                    fmt::format("采收,S-5,{},COOP,PLOT-1,S-H5,PL-1,SCALLION-06901234567892,abc,千克", t)}),
                        continue_on_error);
    REQUIRE(mixed->status == 422);
    Json m = Json::parse(mixed->body);
    CHECK(m["recorded"] == 0);
    REQUIRE_MESSAGE(m["refused"].size() == 3, m.dump());
    CHECK(m["refused"][0]["where"].get<std::string>().find("第 3 行") != std::string::npos);
    CHECK(m["refused"][0]["error"].get<std::string>().rfind("D 列「主体编号」：这一行写的是 COOP-B", 0) == 0);
    CHECK(m["refused"][1]["where"].get<std::string>().find("第 4 行") != std::string::npos);
    CHECK_MESSAGE(m["refused"][1]["error"].get<std::string>().find("I 列") != std::string::npos, m["refused"][1]);
    CHECK(m["refused"][2]["where"].get<std::string>().find("第 5 行") != std::string::npos);
    const std::string summary = m["summary"];
    CHECK_MESSAGE(summary.rfind("4 条中有 1 条不是本单位的记录，整个文件都没有记录", 0) == 0, summary);
    CHECK(summary.find("另外 2 条有错的行") != std::string::npos);
    CHECK(r.ledger_size() == size0);
  }
  // The co-op's own rows alone are recorded.
  auto ok = upload(upload_csv({header, own}), false);
  REQUIRE_MESSAGE(ok->status == 200, ok->body);
  CHECK(r.ledger_size() == size0 + 1);
}

TEST_CASE("a clerk's 收货 row of another party's lot needs a shipment of it to the clerk's enterprise") {
  // COOP-B's lots PL-B (never shipped) and PL-B2 (shipped to COOP on the ledger).
  testing::RunningStation r("upload-receiving", {100, [](testing::RunningStation& s, Json& c) {
                                                   c["enterprises"][0]["clerk_key"] = s.f.st.clerk_key;
                                                   add_coop_b(s, c);
                                                   auto clerk = note::SigningKey::load(s.f.st.clerk_key);
                                                   Ledger l(s.f.st.ledger_path, true);
                                                   for (Json e : {Json{{"type", "planting"},
                                                                       {"event_id", "planting-PL-B2"},
                                                                       {"event_time", labeler::testing::now_minus_days(150)},
                                                                       {"party", "COOP-B"},
                                                                       {"location", "PLOT-1"},
                                                                       {"lot", "PL-B2"},
                                                                       {"product", "SCALLION-06901234567892"},
                                                                       {"area_mu", "1"}},
                                                                  Json{{"type", "shipping"},
                                                                       {"event_id", "shipping-PL-B2"},
                                                                       {"event_time", labeler::testing::now_minus_days(20)},
                                                                       {"party", "COOP-B"},
                                                                       {"location", "PLOT-1"},
                                                                       {"lots", Json::array({Json{{"lot", "PL-B2"}}})},
                                                                       {"to_party", "COOP"}}}) {
                                                     std::string id = e["event_id"];
                                                     l.append({prepare_event(std::move(e), id)}, clerk, {});
                                                   }
                                                 }});
  auto res0 = r.client().Post("/api/signin", Json{{"user", "clerk-01"}, {"pin", "2468"}}.dump(), "application/json");
  REQUIRE(res0->status == 200);
  std::string set = res0->get_header_value("Set-Cookie");
  httplib::Headers h{{"Cookie", set.substr(0, set.find(';'))},
                     {"X-CSRF-Token", Json::parse(res0->body).at("csrf").get<std::string>()}};
  auto upload = [&](const std::vector<std::string>& rows) {
    return r.client().Post("/api/upload?name=r.csv&encoding=utf-8&continue_on_error=1", h, upload_csv(rows), "text/csv");
  };
  const std::string t = labeler::testing::now_minus_days(2);
  const std::string header = "事件类型,事件编号,时间,主体编号,地点编号,批次,发货方,运单号,到货状况";
  const std::string inspection_header =
      "事件类型,事件编号,时间,主体编号,地点编号,批次,检测机构,检测报告编号,合格证编号,检测结果,检测标准,检测项目,备注";
  const auto size0 = r.ledger_size();
  // PL-B was never shipped to COOP: refused by row and column, without naming its holder.
  auto res = upload({header, fmt::format("收货,R-1,{},COOP,PLOT-1,PL-B*10*箱,COOP-B,YD-1,完好", t)});
  REQUIRE_MESSAGE(res->status == 422, res->body);
  Json j = Json::parse(res->body);
  REQUIRE(j["refused"].size() == 1);
  CHECK(j["refused"][0]["where"].get<std::string>().find("r.csv 第 2 行") != std::string::npos);
  const std::string why = j["refused"][0]["error"];
  CHECK_MESSAGE(why.rfind("F 列「批次」：账本里没有把批次 PL-B 发给本单位的发货记录，不能记收货", 0) == 0, why);
  CHECK(why.find("潞城二号合作社") == std::string::npos);
  CHECK(r.ledger_size() == size0);
  // So an inspection of PL-B by COOP stays out of scope.
  auto insp = upload({inspection_header, fmt::format("检测,R-2,{},COOP,PLOT-1,PL-B,某检测站,ZJ-1,,fail,GB 2763-2021,"
                                                     "毒死蜱=0.09|0.02|mg/kg|fail,自检",
                                                     t)});
  REQUIRE_MESSAGE(insp->status == 422, insp->body);
  CHECK_MESSAGE(Json::parse(insp->body)["refused"][0]["error"].get<std::string>().rfind(
                    "F 列「批次」：批次 PL-B 不是本单位的批次", 0) == 0,
                insp->body);
  CHECK(r.ledger_size() == size0);
  // PL-B2 was shipped to COOP: its 收货 is recorded.
  auto ok = upload({header, fmt::format("收货,R-3,{},COOP,PLOT-1,PL-B2*10*箱,COOP-B,YD-2,完好", t)});
  REQUIRE_MESSAGE(ok->status == 200, ok->body);
  CHECK(r.ledger_size() == size0 + 1);
}

TEST_CASE("the certificate screen shows the lot's evidence and offers only the bases it supports") {
  Running r("cert-offer");
  Signed op = sign_in(r, "op-07", "4829");
  auto res = get(r, "/api/cert/offer?q=" + kUncertified, op);
  REQUIRE_MESSAGE(res->status == 200, res->body);
  Json o = Json::parse(res->body);
  CHECK(o["lot"] == kUncertified);
  CHECK(o["origin"] == "PLOT-1");
  CHECK(o["blocked"] == "");
  REQUIRE(o["inspections"].size() == 1);
  CHECK(o["inspections"][0]["event_id"] == "inspection-2");
  CHECK(o["inspections"][0]["by"] == "self");
  CHECK(o["certificates"].empty());
  CHECK(o["stock"]["uncertified_kg"] == "10000");  // 2000 boxes of 5 kg (the product's pack size)
  // Every quantity as a certificate prints it: boxes, with what they weigh.
  CHECK(o["stock"]["uncertified_text"] == "2000 箱（共 10000 公斤）");
  CHECK(o["stock"]["made_text"] == "2000 箱（共 10000 公斤）");
  // Only printers loaded with the certificate's labels are offered for it.
  CHECK(o["certificate_size"] == "100×70 mm");
  CHECK(o["certificate_printers"] == Json::array({"合格证打印机"}));
  std::map<std::string, Json> bases;
  for (const auto& b : o["bases"]) bases[b["basis"]] = b;
  CHECK(bases["self_tested"]["supported"] == true);
  CHECK(bases["self_tested"]["evidence"] == Json::array({"inspection-2"}));
  // The evidence as the operator knows it: report number, who tested, the day, the result.
  REQUIRE(bases["self_tested"]["evidence_detail"].size() == 1);
  const Json& ev = bases["self_tested"]["evidence_detail"][0];
  CHECK(ev["report_no"] == o["inspections"][0]["report_no"]);
  CHECK(ev["report_no"].get<std::string>().find("JC-2026-") == 0);
  CHECK(ev["by"] == "self");
  CHECK(ev["result"] == "pass");
  CHECK(ev["date"] == o["inspections"][0]["time"].get<std::string>().substr(0, 10));
  CHECK(ev["date"].get<std::string>().size() == 10);
  CHECK(bases["commissioned_test"]["evidence_detail"].empty());
  CHECK(bases["quality_control"]["supported"] == true);
  CHECK(bases["commissioned_test"]["supported"] == false);
  CHECK(bases["commissioned_test"]["reason"].get<std::string>().find("检测机构") != std::string::npos);
  // The certified lot: its certificate listed, nothing left to certify.
  Json full = Json::parse(get(r, "/api/cert/offer?q=" + r.f.lot, op)->body);
  CHECK(full["certificates"][0]["number"] == "HG1404062026-0001");
  CHECK(full["blocked"].get<std::string>().find("已全部有合格证") != std::string::npos);
  // Not a lot of this ledger: Chinese first.
  auto none = get(r, "/api/cert/offer?q=NO-SUCH-LOT", op);
  CHECK(none->status == 404);
  CHECK(error_of(none).find("本企业没有包装过批次“NO-SUCH-LOT”") == 0);
  // The harvest lot HV-2 exists but was not packed: answered as unknown too, and not issuable.
  auto harvest = get(r, "/api/cert/offer?q=HV-2", op);
  CHECK(harvest->status == 404);
  auto issue = post(r, "/api/cert/issue", Json{{"lot", "HV-2"}, {"quantity", "10"}, {"bases", {"self_tested"}}}.dump(), &op, op.csrf);
  CHECK(issue->status == 400);
  CHECK(error_of(issue).find("本企业没有包装过批次“HV-2”") == 0);
}

TEST_CASE("a lot that failed inspection: the certificate screen names the report, laboratory and day, not an event id") {
  Running r("cert-failed");
  {
    Ledger l(r.f.st.ledger_path, true);
    l.append({prepare_event({{"type", "inspection"}, {"event_id", "LC22-0306"}, {"event_time", labeler::testing::now_minus_days(2)},
                             {"party", "COOP"}, {"location", "PLOT-1"}, {"lots", Json::array({kUncertified})}, {"lab", "潞城检测站"},
                             {"report_no", "JC-2026-0306"}, {"result", "fail"},
                             {"items", {{{"name", "毒死蜱"}, {"measured", "0.09"}, {"limit", "0.02"}, {"unit", "mg/kg"},
                                         {"result", "fail"}}}}},
                            "LC22-0306")},
             note::SigningKey::load(r.f.st.clerk_key), {});
  }
  Signed op = sign_in(r, "op-07", "4829");
  auto res = get(r, "/api/cert/offer?q=" + kUncertified, op);
  REQUIRE_MESSAGE(res->status == 200, res->body);
  const std::string blocked = Json::parse(res->body)["blocked"];
  CHECK_MESSAGE(blocked.rfind(fmt::format("批次 {} 检测不合格（报告 JC-2026-0306，潞城检测站，{}），不能开具合格证，请联系主管 / ",
                                          kUncertified, labeler::testing::now_minus_days(2).substr(0, 10)),
                              0) == 0,
                blocked);
  CHECK(blocked.find("LC22-0306") == std::string::npos);
}

TEST_CASE("issue, print and void a certificate: station key, operator in the entry, supervisor for the void") {
  Running r("cert-issue");
  Signed op = sign_in(r, "op-07", "4829");
  const auto size0 = r.ledger_size();
  // Refusals change nothing: an unsupported basis, no basis, a bad quantity, more than the lot.
  auto lab = post(r, "/api/cert/issue", Json{{"lot", kUncertified}, {"quantity", "500"}, {"bases", {"commissioned_test"}}}.dump(), &op, op.csrf);
  CHECK(lab->status == 400);
  CHECK(error_of(lab).find("不能勾“委托检测合格”") == 0);
  auto nobasis = post(r, "/api/cert/issue", Json{{"lot", kUncertified}, {"quantity", "500"}, {"bases", Json::array()}}.dump(), &op, op.csrf);
  CHECK(error_of(nobasis).find("请至少勾选一项开具依据") == 0);
  auto badqty = post(r, "/api/cert/issue", Json{{"lot", kUncertified}, {"quantity", "五百"}, {"bases", {"self_tested"}}}.dump(), &op, op.csrf);
  CHECK(error_of(badqty).find("数量“五百”不对") == 0);
  auto over = post(r, "/api/cert/issue", Json{{"lot", kUncertified}, {"quantity", "20000"}, {"bases", {"self_tested"}}}.dump(), &op, op.csrf);
  CHECK(over->status == 400);
  CHECK(static_cast<unsigned char>(error_of(over)[0]) >= 0xE3);  // the ledger's rule, in Chinese
  CHECK(r.ledger_size() == size0);

  auto ok = post(r, "/api/cert/issue",
                 Json{{"lot", kUncertified}, {"quantity", "4000"}, {"bases", {"self_tested", "quality_control"}}}.dump(), &op, op.csrf);
  REQUIRE_MESSAGE(ok->status == 200, ok->body);
  Json issued = Json::parse(ok->body);
  const std::string number = issued["number"];
  CHECK(number.rfind("COOP-", 0) == 0);
  CHECK(issued["url"] == "https://trace.lucheng.example/c/" + number);
  Json e = r.event_at(issued["entry"].get<std::uint64_t>());
  CHECK(e["type"] == "certificate_issued");
  CHECK(e["operator"] == "op-07");
  CHECK(e["issuer"] == "COOP");
  CHECK(e["quantity"] == Json{{"value", "4000"}, {"unit", "KGM"}});
  CHECK(e["bases"][0] == Json{{"basis", "self_tested"}, {"evidence", {"inspection-2"}}});
  {
    Ledger l(r.f.st.ledger_path, false);
    auto entry = l.entry(issued["entry"].get<std::uint64_t>());
    CHECK(entry.key_id == note::verifier_key_of(note::SigningKey::load(r.f.st.station_key)).key_id());
  }
  Json after = Json::parse(get(r, "/api/cert/offer?q=" + kUncertified, op)->body);
  CHECK(after["stock"]["uncertified_kg"] == "6000");
  CHECK(after["stock"]["uncertified_text"] == "1200 箱（共 6000 公斤）");
  CHECK(after["certificates"][0]["number"] == number);
  CHECK(after["certificates"][0]["quantity_text"] == "4000 公斤");  // issued in kg, printed in kg

  // Print: the 60×40 label printer is refused by size; the certificate printer gets it.
  auto small = post(r, "/api/cert/print", Json{{"number", number}, {"printer", "包装线1号"}}.dump(), &op, op.csrf);
  CHECK(small->status == 400);
  CHECK(error_of(small).find("合格证是 100×70 mm") != std::string::npos);
  await_ready(r, op, "合格证打印机");
  auto printed = post(r, "/api/cert/print", Json{{"number", number}, {"printer", "合格证打印机"}}.dump(), &op, op.csrf);
  REQUIRE_MESSAGE(printed->status == 200, printed->body);
  for (int i = 0; i < 50 && r.cert_zebra.labels() == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  CHECK(r.cert_zebra.labels() == 1);
  CHECK(r.cert_zebra.received().find("/c/" + number) != std::string::npos);

  // Void: a supervisor's PIN on the same screen, always.
  const auto size1 = r.ledger_size();
  auto nosup = post(r, "/api/cert/void", Json{{"number", number}, {"reason", "数量写错"}}.dump(), &op, op.csrf);
  CHECK(nosup->status == 403);
  CHECK(Json::parse(nosup->body).value("supervisor", false));
  auto byop = post(r, "/api/cert/void",
                   Json{{"number", number}, {"reason", "数量写错"}, {"supervisor", "op-08"}, {"supervisor_pin", "5555"}}.dump(), &op, op.csrf);
  CHECK(byop->status == 403);
  CHECK(error_of(byop).find("不是主管账号") != std::string::npos);
  CHECK(r.ledger_size() == size1);
  auto voided = post(r, "/api/cert/void",
                     Json{{"number", number}, {"reason", "数量写错"}, {"supervisor", "sup-01"}, {"supervisor_pin", "7316"}}.dump(), &op, op.csrf);
  REQUIRE_MESSAGE(voided->status == 200, voided->body);
  Json v = r.event_at(Json::parse(voided->body)["entry"].get<std::uint64_t>());
  CHECK(v["type"] == "certificate_voided");
  CHECK(v["operator"] == "op-07");
  CHECK(v["reason"].get<std::string>().find("主管 sup-01 批准") != std::string::npos);
  {
    Ledger l(r.f.st.ledger_path, false);
    auto view = load_certificate(l.store(), number);
    REQUIRE(view);
    CHECK(view->state.status == CertificateStatus::voided);
  }
  auto again = post(r, "/api/cert/print", Json{{"number", number}, {"printer", "合格证打印机"}}.dump(), &op, op.csrf);
  CHECK(again->status == 400);
  CHECK(error_of(again).find("作废") != std::string::npos);
  auto twice = post(r, "/api/cert/void",
                    Json{{"number", number}, {"reason", "再作废"}, {"supervisor", "sup-01"}, {"supervisor_pin", "7316"}}.dump(), &op, op.csrf);
  CHECK(twice->status == 409);
}

TEST_CASE("every new POST needs a session, its CSRF token and the right role") {
  Running r("cert-upload-guard");
  Signed op = sign_in(r, "op-07", "4829"), clerk = sign_in(r, "clerk-01", "2468");
  const std::string issue = Json{{"lot", kUncertified}, {"quantity", "10"}, {"bases", {"self_tested"}}}.dump();
  const auto size0 = r.ledger_size();
  for (const char* path : {"/api/cert/issue", "/api/cert/print", "/api/cert/void"}) {
    CHECK(post(r, path, issue, nullptr, "")->status == 401);
    CHECK(post(r, path, issue, &op, "")->status == 403);
    CHECK(post(r, path, issue, &op, clerk.csrf)->status == 403);  // another user's token
    auto by_clerk = post(r, path, issue, &clerk, clerk.csrf);
    CHECK(by_clerk->status == 403);
    CHECK(error_of(by_clerk).find("文员账号不能") == 0);
  }
  const std::string csv = harvest_csv("G");
  CHECK(post(r, "/api/upload?name=a.csv&encoding=utf-8", csv, nullptr, "", "text/csv")->status == 401);
  CHECK(post(r, "/api/upload?name=a.csv&encoding=utf-8", csv, &clerk, "", "text/csv")->status == 403);
  CHECK(post(r, "/api/upload?name=a.csv&encoding=utf-8", csv, &clerk, op.csrf, "text/csv")->status == 403);
  auto by_op = post(r, "/api/upload?name=a.csv&encoding=utf-8", csv, &op, op.csrf, "text/csv");
  CHECK(by_op->status == 403);
  CHECK(error_of(by_op).find("只有文员账号可以上传") == 0);
  auto as_json = post(r, "/api/upload?name=a.csv&encoding=utf-8", csv, &clerk, clerk.csrf, "application/json");
  CHECK(as_json->status == 415);
  CHECK(r.ledger_size() == size0);
}

TEST_CASE("a clerk's GB18030 file with one bad row: line, column and header in Chinese, nothing recorded; then recorded") {
  Running r("upload-gb");
  Signed clerk = sign_in(r, "clerk-01", "2468");
  const std::string bad = to_gb18030(harvest_csv("UP", "三百"));
  auto check = post(r, "/api/upload?name=采收.csv&step=check", bad, &clerk, clerk.csrf, "text/csv");
  REQUIRE_MESSAGE(check->status == 200, check->body);
  Json c = Json::parse(check->body);
  CHECK(c["encoding"] == "gb18030");
  CHECK(c["needs_confirmation"] == true);
  CHECK(c["preview"][0][0] == "事件类型");
  CHECK(c["preview"][2][8] == "三百");
  // Imported as UTF-8 though it is GB18030: refused (the clerk must confirm the preview).
  auto wrong = post(r, "/api/upload?name=采收.csv&encoding=utf-8", bad, &clerk, clerk.csrf, "text/csv");
  CHECK(wrong->status == 400);
  const auto size0 = r.ledger_size();
  auto res = post(r, "/api/upload?name=采收.csv&encoding=gb18030", bad, &clerk, clerk.csrf, "text/csv");
  REQUIRE(res->status == 422);
  Json j = Json::parse(res->body);
  CHECK(j["recorded"] == 0);
  REQUIRE(j["refused"].size() == 1);
  CHECK(j["refused"][0]["where"].get<std::string>().find("第 3 行") != std::string::npos);
  const std::string why = j["refused"][0]["error"];
  CHECK(why.find("I 列") != std::string::npos);
  CHECK(why.find("数量") != std::string::npos);
  CHECK(j["summary"].get<std::string>().find("整个文件都没有记录") != std::string::npos);
  CHECK(r.ledger_size() == size0);
  CHECK(j["ledger_size"] == size0);

  const std::string good = to_gb18030(harvest_csv("UP"));
  auto ok = post(r, "/api/upload?name=采收.csv&encoding=gb18030", good, &clerk, clerk.csrf, "text/csv");
  REQUIRE_MESSAGE(ok->status == 200, ok->body);
  CHECK(Json::parse(ok->body)["recorded"] == 2);
  CHECK(r.ledger_size() == size0 + 2);
  {
    Ledger l(r.f.st.ledger_path, false);
    auto entry = l.entry(size0);
    CHECK(entry.key_id == note::verifier_key_of(note::SigningKey::load(r.f.st.clerk_key)).key_id());
  }
  // The same file again: identical events are no-ops.
  auto same = post(r, "/api/upload?name=采收.csv&encoding=gb18030", good, &clerk, clerk.csrf, "text/csv");
  CHECK(Json::parse(same->body)["duplicates"] == 2);
  CHECK(r.ledger_size() == size0 + 2);
  // Continue-on-error, when the clerk chooses it: the good row recorded, the bad one listed.
  auto part = post(r, "/api/upload?name=b.csv&encoding=utf-8&continue_on_error=1", harvest_csv("CE", "三百"), &clerk,
                   clerk.csrf, "text/csv");
  REQUIRE(part->status == 422);
  CHECK(Json::parse(part->body)["recorded"] == 1);
  CHECK(r.ledger_size() == size0 + 3);
  // The same file again: the row recorded before is said to be recorded already, not "其余 0 条已记录".
  auto again = post(r, "/api/upload?name=b.csv&encoding=utf-8&continue_on_error=1", harvest_csv("CE", "三百"), &clerk,
                    clerk.csrf, "text/csv");
  REQUIRE(again->status == 422);
  CHECK(Json::parse(again->body)["duplicates"] == 1);
  CHECK(Json::parse(again->body)["summary"] ==
        "2 条中有 1 条没有通过，没有记录；0 条这次已记录，1 条以前已记录，没有变化：请只把改正后的没有通过的行再上传");
  CHECK(r.ledger_size() == size0 + 3);
}

TEST_CASE("an upload over 10 MB is refused before it is read; a file neither UTF-8 nor GB18030 before parsing") {
  Running r("upload-limits");
  Signed clerk = sign_in(r, "clerk-01", "2468");
  std::string huge = raw_exchange(r.port, fmt::format("POST /api/upload?name=big.csv HTTP/1.1\r\nHost: station\r\nCookie: "
                                                      "{}\r\nX-CSRF-Token: {}\r\nContent-Type: text/csv\r\nContent-Length: "
                                                      "{}\r\n\r\n",
                                                      clerk.cookie, clerk.csrf, kMaxUploadBytes + 1) +
                                              std::string(4096, 'x'));
  CHECK(huge.rfind("HTTP/1.1 413", 0) == 0);
  CHECK(huge.find("文件太大：一次最多上传 10 MB") != std::string::npos);
  // Just under the limit is read (and refused for what it holds, not for its size).
  std::string body(kMaxUploadBytes - 10, 'a');
  auto near = post(r, "/api/upload?name=big.csv&step=check", body, &clerk, clerk.csrf, "text/csv");
  CHECK(near->status != 413);
  auto garbage = post(r, "/api/upload?name=x.csv&step=check", std::string("\xff\xfe\x00\x81\x30", 5), &clerk, clerk.csrf, "text/csv");
  CHECK(garbage->status == 400);
  CHECK(error_of(garbage).find("既不是 UTF-8 也不是 GB18030") != std::string::npos);
}

TEST_CASE("Excel header templates per event type: UTF-8 with BOM, CRLF, the Chinese headers") {
  Running r("upload-templates");
  Signed clerk = sign_in(r, "clerk-01", "2468");
  Json types = Json::parse(get(r, "/api/upload/types", clerk)->body);
  bool harvest = false;
  for (const auto& t : types) harvest = harvest || (t["type"] == "harvest" && t["name"] == "采收");
  CHECK(harvest);
  auto t = get(r, "/api/upload/template.csv?type=harvest", clerk);
  REQUIRE(t->status == 200);
  CHECK(t->get_header_value("Content-Type").rfind("text/csv", 0) == 0);
  CHECK(t->body.rfind("\xEF\xBB\xBF事件类型,", 0) == 0);
  CHECK(t->body.find("采收批次") != std::string::npos);
  CHECK(t->body.substr(t->body.size() - 2) == "\r\n");
  CHECK(t->body == header_template_csv("采收"));
  auto unknown = get(r, "/api/upload/template.csv?type=nothing", clerk);
  CHECK(unknown->status == 400);
}

// Issue 15 item 7 with zh16f: the clerk's upload runs `agtrace-ledger import`'s yield check
// (ledger/import/yield_check.h, the same code): a harvest beyond 30000 kg per mu is refused by
// row and column in Chinese, nothing recorded; a supervisor of the enterprise — not the clerk,
// not a wrong PIN — confirms it on the clerk's screen, and the file is recorded.
TEST_CASE("a harvest beyond 30000 kg per mu is refused on upload by row and column; a supervisor, not a clerk, confirms it") {
  Running r("upload-high-yield");
  const Signed clerk = sign_in(r, "clerk-01", "2468");
  auto upload = [&](const std::string& csv, const httplib::Headers& extra = {}) {
    httplib::Headers h{{"Cookie", clerk.cookie}, {"X-CSRF-Token", clerk.csrf}};
    h.insert(extra.begin(), extra.end());
    return r.client().Post("/api/upload?name=采收.csv&encoding=utf-8", h, csv, "text/csv");
  };
  const std::string t = labeler::testing::now_minus_days(5);
  // PL-1 was planted on 2.5 mu: 500 吨 is 200000 kg per mu (吨 typed for 千克).
  const std::string csv =
      upload_csv({"事件类型,事件编号,时间,主体编号,地点编号,采收批次,种植批次,产品编号,数量,单位",
                  fmt::format("采收,Y-1,{},COOP,PLOT-1,Y-H1,PL-1,SCALLION-06901234567892,500,千克", t),
                  fmt::format("采收,Y-2,{},COOP,PLOT-1,Y-H2,PL-1,SCALLION-06901234567892,500,吨", t)});
  const auto size0 = r.ledger_size();
  auto refused = upload(csv);
  REQUIRE(refused->status == 422);
  Json j = Json::parse(refused->body);
  CHECK(j["recorded"] == 0);
  CHECK(j["high_yield"] == 1);
  REQUIRE(j["refused"].size() == 1);
  CHECK(j["refused"][0]["where"].get<std::string>().find("采收.csv 第 3 行") != std::string::npos);
  const std::string why = j["refused"][0]["error"];
  CHECK_MESSAGE(why.rfind("I 列「数量」：采收 500 吨，而种植批次「PL-1」只种了 2.5 亩：合每亩 200000 千克，超过任何作物一次采收的产量"
                          "（每亩 30000 千克）",
                          0) == 0,
                why);
  CHECK(why.find("请本企业主管在下面输入主管账号和 PIN 确认") != std::string::npos);
  CHECK(why.find("--allow-high-yield") == std::string::npos);  // no command line at the station
  CHECK(j["summary"].get<std::string>().find("整个文件都没有记录") != std::string::npos);
  CHECK(j["summary"].get<std::string>().find("请本企业主管") != std::string::npos);
  CHECK(r.ledger_size() == size0);

  // Not a supervisor (the clerk's own account), a wrong PIN, a PIN missing: refused, nothing recorded.
  auto by_clerk = upload(csv, {{"X-Supervisor", "clerk-01"}, {"X-Supervisor-PIN", "2468"}});
  CHECK(by_clerk->status == 403);
  CHECK(error_of(by_clerk).find("clerk-01 不是主管账号") == 0);
  auto wrong = upload(csv, {{"X-Supervisor", "sup-01"}, {"X-Supervisor-PIN", "0000"}});
  CHECK(wrong->status == 403);
  CHECK(error_of(wrong).find("主管账号或 PIN 不对，没有作任何处理") == 0);
  CHECK(Json::parse(wrong->body)["supervisor"] == true);
  auto half = upload(csv, {{"X-Supervisor", "sup-01"}});
  CHECK(half->status == 403);
  CHECK(error_of(half).find("两项都要填") != std::string::npos);
  CHECK(r.ledger_size() == size0);

  // The supervisor confirms: both rows recorded, the confirmation said.
  auto confirmed = upload(csv, {{"X-Supervisor", "sup-01"}, {"X-Supervisor-PIN", "7316"}});
  REQUIRE_MESSAGE(confirmed->status == 200, confirmed->body);
  Json ok = Json::parse(confirmed->body);
  CHECK(ok["recorded"] == 2);
  CHECK(ok["high_yield"] == 0);
  CHECK(ok["high_yield_confirmed"] == 1);
  CHECK(ok["high_yield_confirmed_by"] == "sup-01");
  CHECK_MESSAGE(ok["summary"].get<std::string>().find("由主管 sup-01 确认无误") != std::string::npos, ok["summary"]);
  CHECK(r.ledger_size() == size0 + 2);
  // The signed entry of the harvest beyond the bound says a supervisor vouched for it, by account;
  // the plausible one says nothing.
  CHECK_FALSE(r.event_at(size0).contains("yield_override"));
  CHECK(r.event_at(size0 + 1)["event_id"] == "Y-2");
  CHECK(r.event_at(size0 + 1)["yield_override"] == Json{{"confirmed_by", "station_supervisor"}, {"supervisor", "sup-01"}});
  Ledger(r.f.st.ledger_path, false).verify(std::nullopt);
}

TEST_CASE("the print screen says a certificate is needed only when the product needs one, as the ledger's rule") {
  // MILLET-1: a product that needs no 承诺达标合格证 (certificate_required 否), packed as LC-MILLET.
  testing::RunningStation r("cert-not-required", {100, [](testing::RunningStation& s, Json& c) {
                                                    s.f.st.add_packed_lot(kUncertified, s.f.gtin, 2000, false);
                                                    auto clerk = note::SigningKey::load(s.f.st.clerk_key);
                                                    Ledger l(s.f.st.ledger_path, true);
                                                    for (Json e : {Json{{"type", "product"},
                                                                        {"event_id", "product-millet"},
                                                                        {"event_time", labeler::testing::now_minus_days(298)},
                                                                        {"product_id", "MILLET-1"},
                                                                        {"name", "潞城小米"},
                                                                        {"variety", "晋谷21号"},
                                                                        {"brand", {{"regional", "潞城小米"}, {"enterprise", "潞宝绿源农业"}}},
                                                                        {"grade_standard", "一级"},
                                                                        {"standard", "GB/T 11766-2008"},
                                                                        {"pack_size", {{"value", "5"}, {"unit", "KGM"}}},
                                                                        {"storage_condition", "阴凉干燥处"},
                                                                        {"certificate_required", false},
                                                                        {"owner", "COOP"}},
                                                                   Json{{"type", "packing"},
                                                                        {"event_id", "packing-millet"},
                                                                        {"event_time", labeler::testing::now_minus_days(7)},
                                                                        {"party", "COOP"},
                                                                        {"location", "PACK-1"},
                                                                        {"input_lot", "HV-1"},
                                                                        {"input_quantity", {{"value", "50"}, {"unit", "KGM"}}},
                                                                        {"lot", "LC-MILLET"},
                                                                        {"product", "MILLET-1"},
                                                                        {"count", 10},
                                                                        {"pack_size", {{"value", "5000"}, {"unit", "GRM"}}}}}) {
                                                      std::string id = e["event_id"];
                                                      l.append({prepare_event(std::move(e), id)}, clerk, {});
                                                    }
                                                    c["enterprises"][0]["templates"].push_back(
                                                        {{"product", "MILLET-1"}, {"template", testing::bag_template()}});
                                                  }});
  auto res0 = r.client().Post("/api/signin", Json{{"user", "op-07"}, {"pin", "4829"}}.dump(), "application/json");
  REQUIRE(res0->status == 200);
  std::string set = res0->get_header_value("Set-Cookie");
  Signed op{set.substr(0, set.find(';')), Json::parse(res0->body).at("csrf").get<std::string>()};
  httplib::Headers h{{"Cookie", op.cookie}};
  auto millet = r.client().Get("/api/lot?q=LC-MILLET", h);
  REQUIRE_MESSAGE(millet->status == 200, millet->body);
  CHECK(Json::parse(millet->body)["certificate_required"] == false);
  CHECK(Json::parse(millet->body)["certificates"].empty());
  auto scallion = r.client().Get(("/api/lot?q=" + kUncertified).c_str(), h);
  REQUIRE(scallion->status == 200);
  CHECK(Json::parse(scallion->body)["certificate_required"] == true);
  // The ledger agrees: the millet prints without a certificate.
  h.emplace("X-CSRF-Token", op.csrf);
  auto job = r.client().Post("/api/jobs", h, Json{{"lot", "LC-MILLET"}, {"count", 1}, {"printer", "包装线1号"}}.dump(),
                             "application/json");
  CHECK_MESSAGE(job->status == 202, job->body);
}

TEST_CASE("another enterprise's certificate is unknown (404) to PDF and print alike; a quantity may be a JSON number") {
  // COOP-B shares the station without a certificate template of its own.
  testing::RunningStation r("cert-other", {100, [](testing::RunningStation& rs, Json& c) {
                                             rs.f.st.add_packed_lot(kUncertified, rs.f.gtin, 2000, false);
                                             c["enterprises"][0]["clerk_key"] = rs.f.st.clerk_key;
                                             c["printers"].push_back({{"name", "合格证打印机"},
                                                                      {"url", fmt::format("tcp://127.0.0.1:{}", rs.cert_zebra.port())},
                                                                      {"language", "zpl"},
                                                                      {"dpi", 203},
                                                                      {"label", {{"width_mm", 100}, {"height_mm", 70}}}});
                                             add_coop_b(rs, c);
                                             c["enterprises"][1].erase("certificate_template");
                                           }});
  Signed op = sign_in(r, "op-07", "4829");
  // 10 as a JSON number is the same quantity as "10".
  auto issued = post(r, "/api/cert/issue", Json{{"lot", kUncertified}, {"quantity", 10}, {"bases", {"self_tested"}}}.dump(), &op, op.csrf);
  REQUIRE_MESSAGE(issued->status == 200, issued->body);
  const std::string number = Json::parse(issued->body)["number"];
  CHECK(r.event_at(Json::parse(issued->body)["entry"].get<std::uint64_t>())["quantity"] == Json{{"value", "10"}, {"unit", "KGM"}});
  auto half = post(r, "/api/cert/issue", Json{{"lot", kUncertified}, {"quantity", 2.5}, {"bases", {"self_tested"}}}.dump(), &op, op.csrf);
  REQUIRE_MESSAGE(half->status == 200, half->body);
  CHECK(r.event_at(Json::parse(half->body)["entry"].get<std::uint64_t>())["quantity"]["value"] == "2.5");
  const auto size0 = r.ledger_size();
  auto negative = post(r, "/api/cert/issue", Json{{"lot", kUncertified}, {"quantity", -3}, {"bases", {"self_tested"}}}.dump(), &op, op.csrf);
  CHECK(negative->status == 400);
  CHECK(error_of(negative).find("缺少字段") == std::string::npos);  // the quantity is there; it is wrong
  CHECK(r.ledger_size() == size0);

  StationState(r.f.state_path).add_account("op-b1", "operator", "COOP-B", "1357");
  Signed other = sign_in(r, "op-b1", "1357");
  for (const std::string& n : {number, std::string("COOP-NO-SUCH")}) {
    auto pdf = get(r, "/api/certificate.pdf?number=" + n, other);
    CHECK_MESSAGE(pdf->status == 404, pdf->body);
    CHECK(error_of(pdf).find("本企业没有编号为“" + n + "”的合格证") == 0);
    auto print = post(r, "/api/cert/print", Json{{"number", n}, {"printer", "合格证打印机"}}.dump(), &other, other.csrf);
    CHECK_MESSAGE(print->status == 404, print->body);
    CHECK(error_of(print).find("本企业没有编号为“" + n + "”的合格证") == 0);
  }
  CHECK(r.cert_zebra.labels() == 0);
  // With a clerk key, the clerk's screen has no reason to refuse uploads.
  Signed clerk = sign_in(r, "clerk-01", "2468");
  CHECK(Json::parse(get(r, "/api/me", clerk)->body)["upload_refused"].is_null());
  // The issuer's own PDF still opens.
  auto own = get(r, "/api/certificate.pdf?number=" + number, op);
  CHECK(own->status == 200);
  CHECK(own->body.rfind("%PDF-", 0) == 0);
}
