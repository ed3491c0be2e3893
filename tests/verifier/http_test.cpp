// agtrace-verifier over real HTTP: the server process on a free loopback port, a raw
// client (bound to distinct 127.0.0.x addresses where clients must look distinct).
// Each case quotes the claim of DESIGN §5 / issue 4 it checks.
#include <doctest/doctest.h>
#include <fmt/format.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <chrono>
#include <thread>

#include "ledger/ledger.h"
#include "ledger/merkle/merkle.h"
#include "ledger/store/sqlite.h"
#include "ledger/note/checkpoint.h"
#include "ledger/note/tlog_proof.h"
#include "ledger/note/verifier_key.h"
#include "ledger/util/bytes.h"
#include "tests/verifier/fixture.h"

using namespace agtrace;
using namespace agtrace::test;

namespace {

struct World {
  TempDir dir{"verifier-http"};
  LuchengLedger ledger = build_lucheng_ledger(dir.path, 20);
};

World& world() {
  static World w;
  return w;
}

std::filesystem::path fresh_scans(const std::string& name) {
  auto p = world().dir.path / (name + ".scans");
  for (const char* s : {"", "-wal", "-shm"}) std::filesystem::remove(p.string() + s);
  return p;
}

const RequestOptions kJson = [] {
  RequestOptions o;
  o.headers["Accept"] = "application/json";
  return o;
}();

std::string dl(const std::string& lot_code, const std::string& serial) {
  return fmt::format("/01/{}/10/{}/21/{}", kGtin, lot_code, serial);
}

}  // namespace

TEST_CASE("scan page and JSON for a genuine code (Chinese by default, English on request)") {
  auto& w = world();
  VerifierProcess server(w.ledger, fresh_scans("genuine"));
  const std::string code = w.ledger.codes[0];

  auto page = http_request(server.port(), dl("LC22-K-0001", code));
  CHECK(page.status == 200);
  CHECK(page.header("content-type").find("text/html") == 0);
  CHECK(page.header("content-security-policy").find("default-src 'none'") != std::string::npos);
  CHECK(page.header("content-security-policy").find("script-src") == std::string::npos);
  CHECK(page.body.find("潞城大葱") != std::string::npos);
  CHECK(page.body.find("LC22-K-0001") != std::string::npos);
  CHECK(page.body.find("熬脑村1号地块") != std::string::npos);
  CHECK(page.body.find("山西聪和农业科技有限公司") != std::string::npos);
  CHECK(page.body.find("已遵守农药安全间隔期") != std::string::npos);
  CHECK(page.body.find("检测合格") != std::string::npos);
  CHECK(page.body.find("预冷") != std::string::npos);
  CHECK(page.body.find("发货运输") != std::string::npos);
  CHECK(page.body.find("以上记录均已签名存证") != std::string::npos);
  CHECK(page.body.find("<script") == std::string::npos);
  CHECK(page.body.find("http://") == std::string::npos);   // no external asset
  CHECK(page.body.find("https://") == std::string::npos);
  CHECK(page.body.size() < 30 * 1024);

  auto en = http_request(server.port(), "/t/" + code + "?lang=en");
  CHECK(en.status == 200);
  CHECK(en.body.find("Journey") != std::string::npos);
  CHECK(en.body.find("Pre-harvest interval respected") != std::string::npos);
  RequestOptions al;
  al.headers["Accept-Language"] = "en-GB,en;q=0.9";
  CHECK(http_request(server.port(), "/t/" + code, al).body.find("Verified against checkpoint of size") !=
        std::string::npos);
  // Chinese whenever the phone names zh at all, whatever q English has.
  for (const char* header : {"en-GB,en;q=0.9,zh;q=0.3", "en-US,en;q=0.9,zh-CN;q=0.8", "zh-TW"}) {
    CAPTURE(header);
    al.headers["Accept-Language"] = header;
    auto zh = http_request(server.port(), "/t/" + code, al).body;
    CHECK(zh.find("产品旅程") != std::string::npos);
    CHECK(zh.find("Journey") == std::string::npos);
  }

  auto json = http_request(server.port(), dl("LC22-K-0001", code), kJson);
  CHECK(json.status == 200);
  CHECK(json.header("content-type").find("application/json") == 0);
  auto j = nlohmann::json::parse(json.body);
  CHECK(j["serial"] == code);
  CHECK(j["status"] == "genuine");
  CHECK(j["lot"]["id"] == "LC22-K-0001");
  CHECK(j["product"]["name"] == "潞城大葱");
  CHECK(j["recalled"] == false);
  CHECK(j["timeline"].size() >= 9);

  auto api = http_request(server.port(), "/api/v1/codes/" + code);
  CHECK(api.status == 200);
  CHECK(nlohmann::json::parse(api.body)["serial"] == code);
  // HEAD answers like GET, without a body.
  RequestOptions head;
  head.method = "HEAD";
  auto h = http_request(server.port(), "/t/" + code, head);
  CHECK(h.status == 200);
  CHECK(h.body.empty());
}

TEST_CASE("a GET of the page counts one scan; HEAD, JSON and link-preview bots do not; warning past the threshold") {
  auto& w = world();
  VerifierProcess server(w.ledger, fresh_scans("count"), {"--warn-after", "3"});
  const std::string code = w.ledger.codes[1];
  auto count_of = [&] {
    auto j = nlohmann::json::parse(http_request(server.port(), "/api/v1/codes/" + code).body);
    return j["scans"]["count"].get<long>();
  };
  CHECK(count_of() == 0);
  auto first = http_request(server.port(), "/t/" + code);
  CHECK(first.body.find("这是该码的首次查询（") != std::string::npos);
  CHECK(first.body.find("该码已被查询") == std::string::npos);
  CHECK(count_of() == 1);

  RequestOptions head;
  head.method = "HEAD";
  http_request(server.port(), "/t/" + code, head);
  http_request(server.port(), "/t/" + code, kJson);
  RequestOptions bot;
  bot.headers["User-Agent"] = "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)";
  http_request(server.port(), "/t/" + code, bot);
  RequestOptions prefetch;
  prefetch.headers["Sec-Purpose"] = "prefetch";
  http_request(server.port(), "/t/" + code, prefetch);
  CHECK(count_of() == 1);

  // The same client again and again (no cookie kept, same address and user agent): one person.
  for (int n = 2; n <= 4; ++n) {
    auto p = http_request(server.port(), dl("LC22-K-0001", code));
    CHECK(p.body.find(fmt::format("该码已被查询 {} 次，都来自同一部手机", n)) != std::string::npos);
    CHECK(p.body.find("可能被复制") == std::string::npos);
  }
  // Other people (other addresses): past 3 of them, the warning.
  for (int n = 2; n <= 4; ++n) {
    RequestOptions other;
    other.bind_addr = fmt::format("127.0.0.{}", n);
    auto p = http_request(server.port(), "/t/" + code, other);
    CHECK(p.body.find(fmt::format("该码已被 {} 位不同的消费者查询（共 {} 次）", n, n + 3)) != std::string::npos);
    if (n <= 3) CHECK(p.body.find("可能被复制") == std::string::npos);
    if (n == 4) {
      CHECK(p.body.find("⚠ 此码已被 4 位不同的消费者查询，可能被复制") != std::string::npos);
      CHECK(p.body.find("警告：查询此码的消费者已超过 3 位，可能被复制") != std::string::npos);
      CHECK(p.body.find("class=\"alert\"") != std::string::npos);
    }
  }
}

TEST_CASE("counts survive a clean restart (SIGTERM commits the last batch)") {
  auto& w = world();
  auto scans = fresh_scans("restart");
  const std::string code = w.ledger.codes[2];
  {
    VerifierProcess server(w.ledger, scans);
    for (int i = 0; i < 3; ++i) CHECK(http_request(server.port(), "/t/" + code).status == 200);
    CHECK(server.stop() == 0);
  }
  VerifierProcess again(w.ledger, scans);
  auto p = http_request(again.port(), "/t/" + code);
  CHECK(p.body.find("该码已被查询 4 次") != std::string::npos);
}

TEST_CASE("200 concurrent scans of one code add exactly 200") {
  auto& w = world();
  auto scans = fresh_scans("concurrent");
  const std::string code = w.ledger.codes[3];
  VerifierProcess server(w.ledger, scans);
  std::atomic<int> ok{0};
  std::vector<std::thread> clients;
  for (int i = 0; i < 200; ++i)
    clients.emplace_back([&] {
      if (http_request(server.port(), "/t/" + code).status == 200) ++ok;
    });
  for (auto& t : clients) t.join();
  CHECK(ok == 200);
  auto j = nlohmann::json::parse(http_request(server.port(), "/api/v1/codes/" + code).body);
  CHECK(j["scans"]["count"] == 200);
  CHECK(server.stop() == 0);
  VerifierProcess again(w.ledger, scans);
  auto k = nlohmann::json::parse(http_request(again.port(), "/api/v1/codes/" + code).body);
  CHECK(k["scans"]["count"] == 200);
}

TEST_CASE("unknown, voided and malformed codes get 404 / 400 / 414") {
  auto& w = world();
  VerifierProcess server(w.ledger, fresh_scans("bad"));
  auto unknown = http_request(server.port(), "/t/" + random_serial());
  CHECK(unknown.status == 404);
  CHECK(unknown.body.find("<h1 class=\"bad\">未找到该追溯码</h1>") != std::string::npos);
  auto voided = http_request(server.port(), dl("LC22-K-0001", w.ledger.voided_code));
  CHECK(voided.status == 404);
  CHECK(voided.body.find("<h1 class=\"bad\">未找到该追溯码</h1>") != std::string::npos);
  CHECK(http_request(server.port(), "/api/v1/codes/" + w.ledger.voided_code).status == 404);
  // A genuine serial under another lot or another GTIN is not this product.
  CHECK(http_request(server.port(), dl("LC22-K-0002", w.ledger.codes[0])).status == 404);
  CHECK(http_request(server.port(), fmt::format("/01/00012345600012/10/LC22-K-0001/21/{}", w.ledger.codes[0])).status ==
        404);
  // Bad GTIN check digit.
  auto bad_gtin = http_request(server.port(), fmt::format("/01/06901234567893/10/LC22-K-0001/21/{}", w.ledger.codes[0]));
  CHECK(bad_gtin.status == 400);
  CHECK(bad_gtin.body.find("check digit") != std::string::npos);
  // Wrong path order.
  CHECK(http_request(server.port(), fmt::format("/01/{}/21/{}/10/LC22-K-0001", kGtin, w.ledger.codes[0])).status == 400);
  CHECK(http_request(server.port(), fmt::format("/10/LC22-K-0001/01/{}/21/{}", kGtin, w.ledger.codes[0])).status == 400);
  // Not a serial at all.
  CHECK(http_request(server.port(), "/t/not-a-code").status == 400);
  // Overlong target: 414 from our own limit, and from the library's beyond it.
  CHECK(http_request(server.port(), "/t/" + std::string(3000, 'A')).status == 414);
  CHECK(http_request(server.port(), "/t/" + std::string(9000, 'A')).status == 414);
  // Other methods: 405 with Allow.
  RequestOptions post;
  post.method = "POST";
  post.headers["Content-Length"] = "0";
  auto p = http_request(server.port(), "/t/" + w.ledger.codes[0], post);
  CHECK(p.status == 405);
  CHECK(p.header("allow") == "GET, HEAD");
  RequestOptions del;
  del.method = "DELETE";
  CHECK(http_request(server.port(), "/api/v1/codes/" + w.ledger.codes[0], del).status == 405);
  CHECK(http_request(server.port(), "/nothing/here").status == 404);
}

TEST_CASE("an encoded '/' in a lot stays in the lot; Chinese lots resolve by id and by GS1 code") {
  auto& w = world();
  VerifierProcess server(w.ledger, fresh_scans("slash"));
  auto page = http_request(server.port(), dl("LC%2F22-K-9", w.ledger.slash_code));
  CHECK(page.status == 200);
  CHECK(page.body.find("LC/22-K-9") != std::string::npos);
  auto lot = http_request(server.port(), "/api/v1/lots/LC%2F22-K-9");
  REQUIRE(lot.status == 200);
  auto j = nlohmann::json::parse(lot.body);
  CHECK(j["lot"] == "LC/22-K-9");
  CHECK(j["parents"] == nlohmann::json::array({"LC22-AN01-T"}));
  CHECK(j["ancestors"].size() == 3);
  // Unencoded, the '/' splits the path: no such route.
  CHECK(http_request(server.port(), dl("LC/22-K-9", w.ledger.slash_code)).status == 400);

  auto by_code = http_request(server.port(), "/api/v1/lots/" + w.ledger.chinese_lot_gs1);
  REQUIRE(by_code.status == 200);
  CHECK(nlohmann::json::parse(by_code.body)["lot"] == "张家河 第1批");
  auto by_id = http_request(server.port(), "/api/v1/lots/%E5%BC%A0%E5%AE%B6%E6%B2%B3%20%E7%AC%AC1%E6%89%B9");
  REQUIRE(by_id.status == 200);
  CHECK(nlohmann::json::parse(by_id.body)["gs1_lot_code"] == w.ledger.chinese_lot_gs1);
  CHECK(http_request(server.port(), dl(w.ledger.chinese_lot_gs1, w.ledger.chinese_code)).status == 200);
  auto lot_events = nlohmann::json::parse(http_request(server.port(), "/api/v1/lots/LC22-AN01-H1").body);
  CHECK(lot_events["events"].size() >= 3);
  CHECK(lot_events["children"] == nlohmann::json::array({"LC22-AN01-A", "LC22-AN01-T"}));
  CHECK(http_request(server.port(), "/api/v1/lots/NO-SUCH-LOT").status == 404);
}

TEST_CASE("a producer named <script>alert(1)</script> is shown as text") {
  auto& w = world();
  VerifierProcess server(w.ledger, fresh_scans("xss"));
  auto page = http_request(server.port(), "/t/" + w.ledger.xss_code);
  CHECK(page.status == 200);
  CHECK(page.body.find("<script>") == std::string::npos);
  CHECK(page.body.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
}

TEST_CASE("a path with .. never reaches the file system") {
  auto& w = world();
  VerifierProcess server(w.ledger, fresh_scans("dots"));
  for (std::string target : {"/../../../etc/passwd", "/t/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd",
                             "/api/v1/lots/..%2f..%2fetc%2fpasswd", "/api/v1/lots/%2E%2E", "/t/%00"}) {
    auto r = http_request(server.port(), target);
    INFO(target);
    CHECK((r.status == 400 || r.status == 404));
    CHECK(r.body.find("root:") == std::string::npos);
  }
}

TEST_CASE("the rate limit answers 429 to one flooding client while another is served") {
  auto& w = world();
  VerifierProcess server(w.ledger, fresh_scans("rate"), {"--rate-limit", "1/s"});
  int limited = 0;
  RequestOptions flood;
  flood.bind_addr = "127.0.0.2";
  for (int i = 0; i < 30; ++i)
    if (http_request(server.port(), "/healthz", flood).status == 429) ++limited;
  CHECK(limited >= 20);
  auto r = http_request(server.port(), "/healthz", flood);
  CHECK(r.status == 429);
  CHECK(r.header("retry-after") == "1");
  RequestOptions other;
  other.bind_addr = "127.0.0.3";
  CHECK(http_request(server.port(), "/t/" + w.ledger.codes[4], other).status == 200);
  // Forwarded headers from an untrusted peer do not change its key.
  flood.headers["X-Forwarded-For"] = "203.0.113.9";
  CHECK(http_request(server.port(), "/healthz", flood).status == 429);
}

TEST_CASE("forwarded headers are honoured from the trusted proxy only") {
  auto& w = world();
  VerifierProcess server(w.ledger, fresh_scans("proxy"), {"--rate-limit", "1/s", "--trusted-proxy", "127.0.0.5"});
  RequestOptions a;
  a.bind_addr = "127.0.0.5";
  a.headers["X-Forwarded-For"] = "198.51.100.1";
  int limited = 0;
  for (int i = 0; i < 10; ++i)
    if (http_request(server.port(), "/healthz", a).status == 429) ++limited;
  CHECK(limited >= 5);
  // Another client behind the same proxy has its own bucket.
  a.headers["X-Forwarded-For"] = "198.51.100.2";
  CHECK(http_request(server.port(), "/healthz", a).status == 200);
}

TEST_CASE("the inclusion proof served for a code verifies against /checkpoint with the log's public key") {
  auto& w = world();
  VerifierProcess server(w.ledger, fresh_scans("proof"));
  const std::string code = w.ledger.codes[5];
  auto j = nlohmann::json::parse(http_request(server.port(), "/api/v1/codes/" + code).body);

  std::ifstream pub(w.ledger.log_key_path.string() + ".pub");
  std::string line;
  std::getline(pub, line);
  auto log_key = note::parse_verifier_key(line);

  auto cp_resp = http_request(server.port(), "/checkpoint");
  REQUIRE(cp_resp.status == 200);
  CHECK(cp_resp.header("content-type").find("text/plain") == 0);
  auto checkpoint = note::open_checkpoint(cp_resp.body, log_key);

  auto proof_resp = http_request(server.port(), j["inclusion_proof_url"].get<std::string>());
  REQUIRE(proof_resp.status == 200);
  auto proof = note::parse_tlog_proof(proof_resp.body);
  CHECK(proof.index == j["issued_entry"].get<std::uint64_t>());
  CHECK(proof.checkpoint_note == cp_resp.body);
  auto proof_cp = note::open_checkpoint(proof.checkpoint_note, log_key);

  // Leaf: the job entry's bytes; the entry commits to the serial set by its root.
  std::string entry_bytes = j["job_entry"];
  merkle::verify_inclusion(merkle::leaf_hash(as_bytes(entry_bytes)), proof.index, proof_cp.size, proof.hashes,
                           checkpoint.root);
  auto entry = decode_entry(entry_bytes, proof.index);
  CHECK(entry.event["type"] == "labels_issued");
  std::vector<Hash> path;
  for (const auto& h : j["serial_proof"]["path"]) {
    auto b = base64_decode(h.get<std::string>(), "path");
    Hash hh{};
    std::copy(b.begin(), b.end(), hh.begin());
    path.push_back(hh);
  }
  merkle::verify_inclusion(merkle::leaf_hash(as_bytes(code)), j["serial_proof"]["leaf_index"],
                           j["serial_proof"]["count"], path,
                           hash_from_hex(entry.event["serial_root"].get<std::string>(), "serial_root"));
  // A tampered proof fails.
  proof.hashes[0][0] ^= 1;
  CHECK_THROWS(merkle::verify_inclusion(merkle::leaf_hash(as_bytes(entry_bytes)), proof.index, proof_cp.size,
                                        proof.hashes, checkpoint.root));

  auto cons = http_request(server.port(), fmt::format("/api/v1/proof/consistency?old=3&new={}", checkpoint.size));
  REQUIRE(cons.status == 200);
  auto c = nlohmann::json::parse(cons.body);
  std::vector<Hash> hashes;
  for (const auto& h : c["hashes"]) {
    auto b = base64_decode(h.get<std::string>(), "hash");
    Hash hh{};
    std::copy(b.begin(), b.end(), hh.begin());
    hashes.push_back(hh);
  }
  auto old_root = base64_decode(c["old_root"].get<std::string>(), "old_root");
  Hash r1{};
  std::copy(old_root.begin(), old_root.end(), r1.begin());
  merkle::verify_consistency(3, checkpoint.size, hashes, r1, checkpoint.root);
  CHECK(http_request(server.port(), "/api/v1/proof/consistency?old=0&new=3").status == 400);
  auto beyond = http_request(server.port(), "/api/v1/proof/inclusion?index=99999");
  CHECK(beyond.status == 404);
  CHECK(beyond.body.find("does not exist") != std::string::npos);
  CHECK(http_request(server.port(), "/api/v1/proof/inclusion?index=x").status == 400);
}

TEST_CASE("new entries are seen without a restart: awaiting checkpoint, then a recall banner") {
  TempDir dir("verifier-live");
  auto l = build_lucheng_ledger(dir.path, 3);
  VerifierProcess server(l, dir.path / "scans.db");
  const std::string code = l.codes[0];
  auto before = http_request(server.port(), "/t/" + code);
  CHECK(before.body.find("已召回") == std::string::npos);
  CHECK(before.body.find("以上记录均已签名存证") != std::string::npos);

  append_events(l,
                R"({"type":"storage","event_id":"LC22-0901","event_time":"2022-10-11T08:00:00+08:00","party":"TY-BUYER","location":"140105-TY-DC01","lots":["LC22-K-0001"],"start":"2022-10-11T08:00:00+08:00","target":{"min":"0","max":"2"},"readings":[{"time":"2022-10-11T08:00:00+08:00","value":"1.0"}]})",
                false);
  REQUIRE(server.wait_synced(l));
  auto pending = http_request(server.port(), "/t/" + code);
  CHECK(pending.body.find("冷藏储存") != std::string::npos);
  CHECK(pending.body.find("待签名存证") != std::string::npos);

  append_events(l,
                R"({"type":"recall","event_id":"RC-2022-01","event_time":"2022-10-12T10:00:00+08:00","party":"CH","lots":["LC22-AN01-H1"],"reason":"抽检发现农药残留超标","descendants":true})",
                true);
  REQUIRE(server.wait_synced(l));
  auto recalled = http_request(server.port(), "/t/" + code);
  CHECK(recalled.status == 200);
  CHECK(recalled.body.find("本批次产品已召回") != std::string::npos);
  CHECK(recalled.body.find("抽检发现农药残留超标") != std::string::npos);
  CHECK(recalled.body.find("以上记录均已签名存证") != std::string::npos);
  auto j = nlohmann::json::parse(http_request(server.port(), "/api/v1/codes/" + code).body);
  CHECK(j["recalled"] == true);
  CHECK(j["recalls"][0]["via_ancestor"] == true);
  // The lot API says the same for the packed lot.
  auto lot = nlohmann::json::parse(http_request(server.port(), "/api/v1/lots/LC22-K-0001").body);
  CHECK(lot["recalled"] == true);
}

TEST_CASE("checkpoint, healthz and metrics") {
  auto& w = world();
  VerifierProcess server(w.ledger, fresh_scans("metrics"));
  http_request(server.port(), "/t/" + w.ledger.codes[6]);
  http_request(server.port(), "/t/" + random_serial());
  auto h = http_request(server.port(), "/healthz");
  CHECK(h.status == 200);
  CHECK(h.body.rfind("ok ", 0) == 0);
  auto m = http_request(server.port(), "/metrics");
  CHECK(m.status == 200);
  CHECK(m.body.find("agtrace_http_requests_total{route=\"scan\",status=\"200\"} 1") != std::string::npos);
  CHECK(m.body.find("agtrace_http_requests_total{route=\"scan\",status=\"404\"} 1") != std::string::npos);
  CHECK(m.body.find("agtrace_http_request_duration_seconds_bucket{le=\"+Inf\"}") != std::string::npos);
  CHECK(m.body.find("agtrace_scans_total 1") != std::string::npos);
  CHECK(m.body.find("agtrace_unknown_codes_total 1") != std::string::npos);
  auto cp = http_request(server.port(), "/checkpoint");
  CHECK(cp.body.rfind("trace.lucheng.example/log\n", 0) == 0);
}

TEST_CASE("the verifier opens the ledger read-only and no private key") {
  auto& w = world();
  VerifierProcess server(w.ledger, fresh_scans("readonly"));
  http_request(server.port(), "/t/" + w.ledger.codes[7]);
  bool ledger_open = false;
  for (const auto& fd : std::filesystem::directory_iterator(fmt::format("/proc/{}/fd", server.pid()))) {
    std::error_code ec;
    auto target = std::filesystem::read_symlink(fd.path(), ec).string();
    CHECK(target.find(".key") == std::string::npos);
    if (target == w.ledger.ledger_path.string()) {
      ledger_open = true;
      std::ifstream info(fmt::format("/proc/{}/fdinfo/{}", server.pid(), fd.path().filename().string()));
      std::string line;
      while (std::getline(info, line))
        if (line.rfind("flags:", 0) == 0) CHECK((std::stol(line.substr(6), nullptr, 8) & 3) == 0);  // O_RDONLY
    }
  }
  CHECK(ledger_open);
  // --scans pointing at the ledger is refused (exit 2), never written.
  CHECK_THROWS(VerifierProcess(w.ledger, w.ledger.ledger_path));
}

TEST_CASE("a code added to the codes table behind the log: the verifier vouches for no code (503), never 正品") {
  TempDir dir("forged-code");
  auto l = build_lucheng_ledger(dir.path, 3);
  std::uint64_t job;
  {
    Ledger ledger(l.ledger_path.string(), false);
    job = ledger.code(l.codes[0])->issued_entry;
  }
  const std::string forged = "ZZZZZZZZZZZZ0";
  {
    sql::Database db(l.ledger_path.string(), sql::OpenMode::read_write);
    db.prepare("INSERT INTO codes (serial, lot_id, job_entry) VALUES (?, 'LC22-K-0001', ?)")
        .bind(1, forged)
        .bind(2, static_cast<std::int64_t>(job))
        .run();
  }
  // The job's serials no longer reproduce its signed serial_root: the replay refuses the
  // entry, and the verifier fails closed (DESIGN §5) rather than show a partial history.
  VerifierProcess server(l, dir.path / "scans.db", {}, false);
  HttpResponse health;
  for (int i = 0; i < 400 && health.body.rfind("unverifiable", 0) != 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    health = http_request(server.port(), "/healthz");
  }
  CHECK(health.status == 503);
  CHECK(health.body.find(fmt::format("entry {}: the labels_issued job commits to", job)) != std::string::npos);
  auto page = http_request(server.port(), "/t/" + forged);
  CHECK(page.status == 503);
  CHECK(page.body.find("正品") == std::string::npos);
  CHECK(page.body.find("暂时无法核验") != std::string::npos);
  CHECK(http_request(server.port(), "/api/v1/codes/" + forged).status == 503);
  CHECK(http_request(server.port(), "/t/" + l.codes[0]).status == 503);
}

namespace {

// The cookie a response sets ("agtrace_client=…"), without its attributes.
std::string cookie_of(const HttpResponse& r) {
  std::string c = r.header("set-cookie");
  return c.substr(0, c.find(';'));
}

long clients_of(int port, const std::string& code) {
  auto j = nlohmann::json::parse(http_request(port, "/api/v1/codes/" + code).body);
  return j["scans"]["clients"].get<long>();
}

}  // namespace

TEST_CASE("copy warning: one shopper's 10 refreshes (same cookie) never set it off; N+1 distinct clients do") {
  auto& w = world();
  VerifierProcess server(w.ledger, fresh_scans("clients"), {"--warn-after", "3"});
  const std::string code = w.ledger.codes[6];

  auto first = http_request(server.port(), "/t/" + code);
  std::string set_cookie = first.header("set-cookie");
  CHECK(set_cookie.find("agtrace_client=") == 0);
  CHECK(set_cookie.find("; Path=/") != std::string::npos);
  CHECK(set_cookie.find("; Max-Age=63072000") != std::string::npos);
  CHECK(set_cookie.find("; HttpOnly") != std::string::npos);
  CHECK(set_cookie.find("; SameSite=Lax") != std::string::npos);
  CHECK(set_cookie.find("Secure") == std::string::npos);  // plain http here
  RequestOptions shopper;
  shopper.headers["Cookie"] = "lang=zh; " + cookie_of(first);
  for (int i = 0; i < 10; ++i) {
    shopper.bind_addr = fmt::format("127.0.0.{}", 10 + i);  // on the move: the cookie still says who it is
    auto p = http_request(server.port(), "/t/" + code, shopper);
    CHECK(p.header("set-cookie").empty());  // it has one
    CHECK(p.body.find("可能被复制") == std::string::npos);
  }
  auto last = http_request(server.port(), "/t/" + code, shopper);
  CHECK(last.body.find("该码已被查询 12 次，都来自同一部手机") != std::string::npos);
  CHECK(last.body.find("同一部手机反复打开只算一位消费者") != std::string::npos);
  CHECK(clients_of(server.port(), code) == 1);

  // Three more people, each with a cookie of their own: 4 > 3.
  for (int n = 2; n <= 4; ++n) {
    RequestOptions person;
    person.headers["Cookie"] = fmt::format("agtrace_client={:032x}", n);
    auto p = http_request(server.port(), "/t/" + code, person);
    CHECK((p.body.find("可能被复制") != std::string::npos) == (n == 4));
  }
  CHECK(clients_of(server.port(), code) == 4);
  auto warned = http_request(server.port(), "/t/" + code, shopper);
  CHECK(warned.body.find("该码已被 4 位不同的消费者查询（共 16 次）") != std::string::npos);
  CHECK(warned.body.find("⚠ 此码已被 4 位不同的消费者查询，可能被复制") != std::string::npos);

  // English says how it counts too.
  auto en = http_request(server.port(), "/t/" + code + "?lang=en", shopper);
  CHECK(en.body.find("checked by 4 different people (17 checks in all)") != std::string::npos);
  CHECK(en.body.find("counts as the same person") != std::string::npos);
}

TEST_CASE("a client that sends no cookie back is known by its address and user agent") {
  auto& w = world();
  VerifierProcess server(w.ledger, fresh_scans("fallback"), {"--warn-after", "3"});
  const std::string code = w.ledger.codes[7];
  RequestOptions phone;
  phone.headers["User-Agent"] = "Mozilla/5.0 (Linux; Android 12) MicroMessenger/8.0.30";
  for (int i = 0; i < 6; ++i) {
    auto p = http_request(server.port(), "/t/" + code, phone);
    CHECK(!p.header("set-cookie").empty());  // offered every time, never returned
    CHECK(p.body.find("可能被复制") == std::string::npos);
  }
  CHECK(clients_of(server.port(), code) == 1);
  RequestOptions other_phone = phone;
  other_phone.headers["User-Agent"] = "Mozilla/5.0 (iPhone; CPU iPhone OS 16_0) MicroMessenger/8.0.30";
  http_request(server.port(), "/t/" + code, other_phone);
  CHECK(clients_of(server.port(), code) == 2);
  RequestOptions elsewhere = phone;
  elsewhere.bind_addr = "127.0.0.9";
  http_request(server.port(), "/t/" + code, elsewhere);
  CHECK(clients_of(server.port(), code) == 3);
  // The phone that first came without a cookie now sends the one it was given: still one client.
  auto given = http_request(server.port(), "/t/" + code, phone);
  RequestOptions with_cookie = phone;
  with_cookie.headers["Cookie"] = cookie_of(given);
  with_cookie.bind_addr = "127.0.0.10";
  http_request(server.port(), "/t/" + code, with_cookie);
  CHECK(clients_of(server.port(), code) == 3);
  // A malformed cookie is no cookie.
  RequestOptions forged = phone;
  forged.headers["Cookie"] = "agtrace_client=<script>";
  CHECK(!http_request(server.port(), "/t/" + code, forged).header("set-cookie").empty());
  CHECK(clients_of(server.port(), code) == 3);
}

TEST_CASE("the cookie is Secure when the trusted proxy says the page went out over https, only then") {
  auto& w = world();
  VerifierProcess server(w.ledger, fresh_scans("secure"), {"--trusted-proxy", "127.0.0.5"});
  RequestOptions via_nginx;
  via_nginx.bind_addr = "127.0.0.5";
  via_nginx.headers["X-Forwarded-For"] = "198.51.100.1";
  via_nginx.headers["X-Forwarded-Proto"] = "https";
  CHECK(http_request(server.port(), "/t/" + w.ledger.codes[8], via_nginx).header("set-cookie").find("; Secure") !=
        std::string::npos);
  RequestOptions direct;
  direct.headers["X-Forwarded-Proto"] = "https";  // not from the proxy: ignored
  CHECK(http_request(server.port(), "/t/" + w.ledger.codes[8], direct).header("set-cookie").find("Secure") ==
        std::string::npos);
}

TEST_CASE("a lot packed from two harvests of two plots: every plot, village and the harvest date range") {
  auto& w = world();
  VerifierProcess server(w.ledger, fresh_scans("origins"));
  const std::string url = dl("LC22-K-0005", w.ledger.mixed_code);
  auto zh = http_request(server.port(), url);
  REQUIRE(zh.status == 200);
  CHECK(zh.body.find("<dt>产地（2 个地块）</dt><dd>熬脑村2号地块（潞城区店上镇熬脑村西沟）<br>"
                     "张家河村1号地块（潞城区店上镇张家河村南）</dd>") != std::string::npos);
  CHECK(zh.body.find("<dd>潞城区山丹丹种植专业合作社、潞城区鑫熬兴农业专业合作社</dd>") != std::string::npos);
  CHECK(zh.body.find("<dt>采收日期</dt><dd>2022-10-03 至 2022-10-05</dd>") != std::string::npos);

  auto en = http_request(server.port(), url + "?lang=en");
  CHECK(en.body.find("<dt>Origin (2 plots)</dt>") != std::string::npos);
  CHECK(en.body.find("张家河村1号地块（潞城区店上镇张家河村南）") != std::string::npos);
  CHECK(en.body.find("<dt>Harvested</dt><dd>2022-10-03 to 2022-10-05</dd>") != std::string::npos);

  auto j = nlohmann::json::parse(http_request(server.port(), url, kJson).body);
  REQUIRE(j["origins"].size() == 2);
  CHECK(j["origins"][0] == nlohmann::json{{"location", "140406-AN-P02"}, {"name", "熬脑村2号地块"},
                                          {"address", "潞城区店上镇熬脑村西沟"},
                                          {"producer", "潞城区山丹丹种植专业合作社"}});
  CHECK(j["origins"][1]["address"] == "潞城区店上镇张家河村南");
  CHECK(j["origins"][1]["producer"] == "潞城区鑫熬兴农业专业合作社");
  CHECK(j["producers"] == nlohmann::json{"潞城区山丹丹种植专业合作社", "潞城区鑫熬兴农业专业合作社"});
  CHECK(j["harvest_dates"] == nlohmann::json{{"first", "2022-10-03"}, {"last", "2022-10-05"}});
  // The single fields keep their meaning: the first plot, the first harvest.
  CHECK(j["origin"] == "熬脑村2号地块（潞城区店上镇熬脑村西沟）");
  CHECK(j["producer"] == "潞城区山丹丹种植专业合作社");
  CHECK(j["harvest_date"] == "2022-10-03");

  // A lot from one plot is shown as before.
  auto one = http_request(server.port(), dl("LC22-K-0001", w.ledger.codes[9]));
  CHECK(one.body.find("<dt>产地</dt><dd>熬脑村1号地块（潞城区店上镇熬脑村东坡）</dd>") != std::string::npos);
  CHECK(one.body.find("<dt>生产者</dt><dd>潞城区山丹丹种植专业合作社</dd>") != std::string::npos);
  CHECK(one.body.find("<dt>采收日期</dt><dd>2022-10-08</dd>") != std::string::npos);
  CHECK(one.body.find("个地块") == std::string::npos);
  auto k = nlohmann::json::parse(http_request(server.port(), "/api/v1/codes/" + w.ledger.codes[9]).body);
  CHECK(k["origins"].size() == 1);
  CHECK(k["origin"] == "熬脑村1号地块（潞城区店上镇熬脑村东坡）");
  CHECK(k["harvest_dates"] == nlohmann::json{{"first", "2022-10-08"}, {"last", "2022-10-08"}});
}

TEST_CASE("the proof opens as a page in a browser (no download), as inline text for tools; both the same proof") {
  auto& w = world();
  VerifierProcess server(w.ledger, fresh_scans("proof-page"));
  const std::string code = w.ledger.codes[10];
  auto scan = http_request(server.port(), "/t/" + code);
  auto j = nlohmann::json::parse(http_request(server.port(), "/api/v1/codes/" + code).body);
  const std::string url = j["inclusion_proof_url"];
  CHECK(scan.body.find("href=\"" + url + "\">查看核验证明</a>") != std::string::npos);

  RequestOptions browser;
  browser.headers["Accept"] = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
  auto page = http_request(server.port(), url, browser);
  REQUIRE(page.status == 200);
  CHECK(page.header("content-type").find("text/html") == 0);
  CHECK(page.header("content-disposition").find("attachment") == std::string::npos);
  CHECK(page.header("content-security-policy").find("default-src 'none'") != std::string::npos);
  CHECK(page.body.find("核验证明") != std::string::npos);
  CHECK(page.body.find("<script") == std::string::npos);

  auto text = http_request(server.port(), url);
  REQUIRE(text.status == 200);
  CHECK(text.header("content-type").find("text/plain") == 0);
  CHECK(text.header("content-disposition").find("inline") == 0);
  // The page's <pre> holds the proof text itself, only HTML-escaped.
  auto a = page.body.find("<pre>"), b = page.body.find("</pre>");
  REQUIRE(a != std::string::npos);
  REQUIRE(b != std::string::npos);
  std::string shown = page.body.substr(a + 5, b - a - 5);
  for (auto [from, to] : {std::pair{"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}, {"&amp;", "&"}})
    for (std::size_t at = shown.find(from); at != std::string::npos; at = shown.find(from, at + 1))
      shown.replace(at, std::string_view(from).size(), to);
  CHECK(shown == text.body);
  CHECK(note::parse_tlog_proof(shown).index == j["issued_entry"].get<std::uint64_t>());
  // A browser asking for the text gets the text.
  auto raw = http_request(server.port(), url + "&format=text", browser);
  CHECK(raw.header("content-type").find("text/plain") == 0);
  CHECK(raw.body == text.body);
}

TEST_CASE("a certificate's page and JSON come from the verified state; the scan page links it; unknown is 404") {
  TempDir dir("verifier-certificate");
  auto l = build_lucheng_ledger(dir.path, 3);  // LC22-K-0001 holds LC-2022-0001 (委托检测合格)
  // A certificate of the graded lot LC22-K-0001 was packed from: the box shows its own only.
  append_events(l,
                R"({"type":"certificate_issued","event_id":"CERT-T","event_time":"2022-10-10T11:00:00+08:00","number":"LC-2022-0101","style":"producer","issuer":"CH","lot":"LC22-AN01-T","quantity":{"value":"1000","unit":"KGM"},"product":"LCDC-CB","origin":"140406-AN-P01","bases":[{"basis":"commissioned_test","evidence":["LC22-0301"]}]})",
                true);
  {
    // Rows behind the log in the ledger file's derived table: the verifier never reads them.
    sql::Database db(l.ledger_path.string(), sql::OpenMode::read_write);
    db.exec("CREATE TABLE kept AS SELECT * FROM certificates; DELETE FROM certificates");
  }
  VerifierProcess server(l, dir.path / "scans.db");
  auto page = http_request(server.port(), "/c/LC-2022-0001");
  CHECK(page.status == 200);
  for (const char* want : {"承诺达标合格证", "✓ 有效", "LC-2022-0001", "☑ 委托检测合格", "☐ 自行检测合格",
                           "JC2022-10-0815", "吡虫啉", "安全间隔期", "山西聪和农业科技有限公司",
                           "本合格证已签名存证", "/api/v1/proof/inclusion?index="}) {
    CAPTURE(want);
    CHECK(page.body.find(want) != std::string::npos);
  }
  // An inspector's phone set to English: the printed words first, the English after them.
  auto en = http_request(server.port(), "/c/LC-2022-0001?lang=en");
  // 箱 are cases (a packed lot's packages), not pieces (cert14h).
  CHECK(en.body.find("2000 箱（共 10000 公斤） (2000 cases, 10000 kg in all)") != std::string::npos);
  CHECK(en.body.find("pcs") == std::string::npos);
  CHECK(page.body.find("2000 箱（共 10000 公斤）") != std::string::npos);  // a count of boxes with its weight
  CHECK(en.body.find("the farm produce I sell was produced without banned pesticides") != std::string::npos);
  auto j = nlohmann::json::parse(http_request(server.port(), "/c/LC-2022-0001", kJson).body);
  CHECK(j["status"]["status"] == "valid");
  CHECK(j["issuer"]["id"] == "CH");
  CHECK(j["bases"][0]["evidence"][0]["report_no"] == "JC2022-10-0815");
  // trust14h: who recorded the evidence — the fixture's clerk key, which names no holder.
  const std::string evidence_key = j["bases"][0]["evidence"][0]["signed_by"]["key_id"];
  CHECK(!evidence_key.empty());
  CHECK(j["bases"][0]["evidence"][0]["signed_by"]["holder"].is_null());
  CHECK(page.body.find("记录签名：" + evidence_key + "（未登记持有主体）") != std::string::npos);
  CHECK(j["inputs"][0]["pre_harvest_interval_days"].is_number());
  CHECK(j["verification"] == "verified against checkpoint");

  auto scan = http_request(server.port(), "/t/" + l.codes[0]);
  CHECK_MESSAGE(scan.body.find("<a href=\"/c/LC-2022-0001\">LC-2022-0001</a> · 委托检测合格") != std::string::npos,
                scan.body);
  // trust14h: the inspection's own certificate_no is the laboratory's, not a 承诺达标合格证 number.
  CHECK(scan.body.find("检测机构证书号：HGZ-2022-0815") != std::string::npos);
  CHECK(scan.body.find("合格证编号：HGZ") == std::string::npos);
  auto code = nlohmann::json::parse(http_request(server.port(), "/api/v1/codes/" + l.codes[0]).body);
  CHECK(code["certificates"][0]["number"] == "LC-2022-0001");
  CHECK(code["certificates"].size() == 1);
  CHECK(scan.body.find("LC-2022-0101") == std::string::npos);

  auto unknown = http_request(server.port(), "/c/LC-2022-9999");
  CHECK(unknown.status == 404);
  CHECK(unknown.body.find("未找到该承诺达标合格证") != std::string::npos);
  CHECK(unknown.body.find("谨防假冒") != std::string::npos);
  CHECK(http_request(server.port(), "/c/LC-2022-9999", kJson).status == 404);
  {
    sql::Database db(l.ledger_path.string(), sql::OpenMode::read_write);
    db.exec("INSERT INTO certificates SELECT * FROM kept; DROP TABLE kept");
  }

  // A later recall of the harvest it was made from: 已失效, with the reason.
  append_events(l,
                R"({"type":"recall","event_id":"RC-1","event_time":"2022-10-12T10:00:00+08:00","party":"CH","lots":["LC22-AN01-H1"],"reason":"抽检发现农药残留超标","descendants":true})",
                true);
  REQUIRE(server.wait_synced(l));
  auto invalid = http_request(server.port(), "/c/LC-2022-0001");
  CHECK(invalid.status == 200);
  CHECK(invalid.body.find("此合格证已失效") != std::string::npos);
  CHECK(invalid.body.find("抽检发现农药残留超标") != std::string::npos);
  auto ji = nlohmann::json::parse(http_request(server.port(), "/c/LC-2022-0001", kJson).body);
  CHECK(ji["status"]["status"] == "invalidated");
  CHECK(ji["status"]["event_id"] == "RC-1");
}

// trust14g (issue 14's trust trial): the inspector sees who signed a certificate and its void —
// the key and the party it is held for.
TEST_CASE("a certificate's page names the key that issued it and the key that voided it, with its holder") {
  TempDir dir("verifier-certificate-signer");
  auto l = build_lucheng_ledger(dir.path, 3);
  append_events(l,
                R"({"type":"certificate_issued","event_id":"CERT-S","event_time":"2022-10-10T11:00:00+08:00","number":"LC-2022-0102","style":"producer","issuer":"CH","lot":"LC22-AN01-T","quantity":{"value":"1000","unit":"KGM"},"product":"LCDC-CB","origin":"140406-AN-P01","bases":[{"basis":"commissioned_test","evidence":["LC22-0301"]}]})",
                true);
  auto ch = note::SigningKey::generate("clerk-ch");
  {
    Ledger ledger(l.ledger_path, true);
    auto log_key = note::SigningKey::load(l.log_key_path);
    ledger.append({prepare_event(nlohmann::json{{"type", "key_added"}, {"event_id", "k-clerk-ch"},
                                                {"event_time", "2022-10-10T12:00:00+08:00"}, {"name", "clerk-ch"},
                                                {"role", "clerk"}, {"holder", "CH"},
                                                {"vkey", note::verifier_key_of(ch).to_string()}},
                                 "test")},
                  log_key, {});
    ledger.append({prepare_event(nlohmann::json{{"type", "certificate_voided"}, {"event_id", "VOID-S"},
                                                {"event_time", "2022-10-10T12:30:00+08:00"}, {"number", "LC-2022-0102"},
                                                {"reason", "数量开错"}},
                                 "test")},
                  ch, {});
    ledger.sign_checkpoint(log_key);
  }
  VerifierProcess server(l, dir.path / "scans.db");
  auto j = nlohmann::json::parse(http_request(server.port(), "/c/LC-2022-0102", kJson).body);
  const std::string issuer_key = j["signed_by"]["key_id"];
  CHECK(!issuer_key.empty());
  CHECK(j["signed_by"]["holder"].is_null());
  CHECK(j["status"]["voided_by"]["key_id"] == note::verifier_key_of(ch).key_id());
  CHECK(j["status"]["voided_by"]["holder"] == "CH");
  auto page = http_request(server.port(), "/c/LC-2022-0102");
  CHECK(page.body.find("开具签名") != std::string::npos);
  CHECK(page.body.find(issuer_key + "（未登记持有主体）") != std::string::npos);
  // trust14h: with the holder's name.
  CHECK(page.body.find("作废签名：" + note::verifier_key_of(ch).key_id() + "（持有主体 山西聪和农业科技有限公司（CH））") !=
        std::string::npos);
  CHECK(j["status"]["voided_by"]["holder_name"] == "山西聪和农业科技有限公司");
  // cert14h: for an English reader the banner's signer line is Chinese first with its gloss, as every
  // other line of the page (it was English only).
  auto en = http_request(server.port(), "/c/LC-2022-0102?lang=en").body;
  CHECK(en.find("作废签名： <span class=\"en\" lang=\"en\">Voided with key:</span> " + note::verifier_key_of(ch).key_id() +
                "（持有主体 山西聪和农业科技有限公司（CH）） (held by 山西聪和农业科技有限公司 (CH))") != std::string::npos);
  CHECK(en.find("作废时间： <span class=\"en\" lang=\"en\">Voided:</span>") != std::string::npos);
  CHECK(en.find(issuer_key + "（未登记持有主体） (no holder)") != std::string::npos);
}

TEST_CASE("a buyer's re-issue shows the dates and quantities of the paper certificates it rests on") {
  TempDir dir("verifier-reissue");
  auto l = build_lucheng_ledger(dir.path, 1);
  // Two growers outside the system (rules version 5: each paper certificate brings in its lot; version
  // 6: with the 产地 written on it), mixed by the buyer, tested by it, and re-issued (样式二).
  append_events(l, R"(
{"type":"location","event_id":"T-L1","event_time":"2022-03-01T09:00:00+08:00","location_id":"140406-DS-A01","name":"店上镇大葱产区","kind":"base","owner":"SDD","address":"潞城区店上镇熬脑村、张家河村"}
{"type":"location","event_id":"T-L2","event_time":"2022-03-01T09:00:00+08:00","location_id":"140406-ZJH-V01","name":"张家河村","kind":"base","owner":"XAX","address":"潞城区店上镇张家河村","parent":"140406-DS-A01"}
{"type":"location","event_id":"T-L3","event_time":"2022-03-01T09:00:00+08:00","location_id":"140406-AN-V01","name":"熬脑村","kind":"base","owner":"SDD","address":"潞城区店上镇熬脑村","parent":"140406-DS-A01"}
{"type":"certificate_received","event_id":"TY-R1","event_time":"2022-10-11T06:00:00+08:00","party":"TY-BUYER","number":"合室-118","issuer":"XAX","issued_on":"2022-10-09","lot":"XAX-1009","quantity":{"value":"800","unit":"KGM"},"product":"LCDC-CB","origin":"140406-ZJH-V01"}
{"type":"certificate_received","event_id":"TY-R2","event_time":"2022-10-11T06:10:00+08:00","party":"TY-BUYER","number":"0046","issuer":"SDD","lot":"SDD-1010","quantity":{"value":"1200","unit":"KGM"},"product":"LCDC-CB","origin":"140406-AN-V01"}
{"type":"transformation","event_id":"TY-M1","event_time":"2022-10-11T08:00:00+08:00","party":"TY-BUYER","location":"140105-TY-DC01","kind":"merge","inputs":[{"lot":"XAX-1009","quantity":{"value":"800","unit":"KGM"}},{"lot":"SDD-1010","quantity":{"value":"1200","unit":"KGM"}}],"outputs":[{"lot":"TY-MIX-9","product":"LCDC-CB","quantity":{"value":"2000","unit":"KGM"}}]}
{"type":"inspection","event_id":"TY-Q1","event_time":"2022-10-11T08:30:00+08:00","party":"TY-BUYER","location":"140105-TY-DC01","lots":["TY-MIX-9"],"report_no":"TY-KJ-1011","result":"pass","items":[{"name":"有机磷类（酶抑制率）","measured":"12","limit":"50","unit":"%","result":"pass"}]}
{"type":"certificate_issued","event_id":"TY-C1","event_time":"2022-10-11T09:00:00+08:00","number":"TY-2022-0009","style":"buyer","issuer":"TY-BUYER","lot":"TY-MIX-9","quantity":{"value":"2000","unit":"KGM"},"product":"LCDC-CB","origin":"140406-DS-A01","bases":[{"basis":"self_tested","evidence":["TY-Q1"]}],"parents":[{"issuer":"XAX","number":"合室-118"},{"issuer":"SDD","number":"0046"}]}
)",
                true);
  VerifierProcess server(l, dir.path / "scans.db");
  auto page = http_request(server.port(), "/c/TY-2022-0009");
  REQUIRE(page.status == 200);
  const auto collected = page.body.find("已收取的合格证");
  REQUIRE(collected != std::string::npos);
  const std::string parents = page.body.substr(collected);
  for (const char* want : {"合室-118", "开具日期", "2022-10-09", "800 公斤", "收取时间", "2022-10-11 06:00", "0046",
                           "1200 公斤", "纸面未登记"}) {
    CAPTURE(want);
    CHECK(parents.find(want) != std::string::npos);
  }
  // Each paper parent links to its own page (what the buyer recorded of it).
  CHECK(parents.find("<a href=\"/c/合室-118\">合室-118</a>") != std::string::npos);
  CHECK(parents.find("<a href=\"/c/0046\">0046</a>") != std::string::npos);
  auto j = nlohmann::json::parse(http_request(server.port(), "/c/TY-2022-0009", kJson).body);
  CHECK(j["parents"][0]["issued_on"] == "2022-10-09");
  CHECK(j["parents"][0]["quantity"] == nlohmann::json({{"value", "800"}, {"unit", "KGM"}}));
  CHECK(j["parents"][0]["received_at"] == "2022-10-11T06:00:00+08:00");
  CHECK(j["parents"][1]["issued_on"] == "");

  // The paper certificate's own number: a page that says what it is — collected and recorded by the
  // buyer, not issued here — never the counterfeit warning (docs/certificate.md "The verifier").
  auto paper = http_request(server.port(), "/c/0046");
  REQUIRE(paper.status == 200);
  for (const char* want : {"收购者登记的纸质合格证", "不是在本追溯系统中开具的", "以纸质原件为准", "收取者", "登记时间",
                           "2022-10-11 06:10", "SDD-1010", "1200 公斤", "熬脑村", "纸面未登记"}) {
    CAPTURE(want);
    CHECK(paper.body.find(want) != std::string::npos);
  }
  CHECK(paper.body.find("谨防假冒") == std::string::npos);
  CHECK(paper.body.find("✓ 有效") == std::string::npos);  // no validity of ours
  CHECK(paper.body.find("承诺达标合格证</h1>") == std::string::npos);
  auto pj = nlohmann::json::parse(http_request(server.port(), "/c/0046", kJson).body);
  CHECK(pj["kind"] == "received");
  REQUIRE(pj["received"].size() == 1);
  CHECK(pj["received"][0]["party"] == "TY-BUYER");
  CHECK(pj["received"][0]["lot"] == "SDD-1010");
  CHECK(pj["received"][0]["origin"] == "140406-AN-V01");
  CHECK(pj["received"][0]["recorded_at"] == "2022-10-11T06:10:00+08:00");
  // In English too.
  auto en = http_request(server.port(), "/c/0046?lang=en");
  CHECK(en.body.find("A paper certificate recorded by a buyer") != std::string::npos);
  CHECK(en.body.find("not a certificate issued in this traceability system") != std::string::npos);
}

TEST_CASE("a certificate number in the wrong letter case: 404 with the numbers it may mean, never another certificate") {
  auto& w = world();
  VerifierProcess server(w.ledger, fresh_scans("certificate-case"));
  auto page = http_request(server.port(), "/c/lc-2022-0001");
  CHECK(page.status == 404);
  CHECK(page.body.find("<a href=\"/c/LC-2022-0001\">LC-2022-0001</a>") != std::string::npos);
  CHECK(page.body.find("区分大小写") != std::string::npos);
  CHECK(page.body.find("承诺达标合格证</h1>") == std::string::npos);  // not the certificate's own page
  auto j = http_request(server.port(), "/c/lc-2022-0001", kJson);
  CHECK(j.status == 404);
  CHECK(nlohmann::json::parse(j.body)["did_you_mean"] == nlohmann::json::array({"LC-2022-0001"}));
  // A number nothing resembles keeps the counterfeit warning.
  auto none = http_request(server.port(), "/c/lc-2022-9999");
  CHECK(none.status == 404);
  CHECK(none.body.find("谨防假冒") != std::string::npos);
  CHECK(none.body.find("href=\"/c/") == std::string::npos);
}

TEST_CASE("the scan page shows measured values as the lab wrote them: 未检出, <0.01 mg/kg, 35%") {
  TempDir dir("verifier-measured");
  auto l = build_lucheng_ledger(dir.path, 1);
  append_events(l, R"(
{"type":"inspection","event_id":"QT-1","event_time":"2022-10-10T10:30:00+08:00","party":"LAB","location":"140402-LAB-01","lots":["LC22-K-0001"],"lab":"长治市农产品质量安全检测站（示例）","report_no":"QT-2022-1010","result":"pass","items":[{"name":"毒死蜱","measured_qualifier":"not_detected","limit":"0.02","unit":"mg/kg","result":"pass"},{"name":"腐霉利","measured":"0.01","measured_qualifier":"below","limit":"0.2","unit":"mg/kg","result":"pass"},{"name":"酶抑制率","measured":"35","limit":"50","unit":"%","result":"pass"}]}
)",
                true);
  VerifierProcess server(l, dir.path / "scans.db");
  auto page = http_request(server.port(), "/t/" + l.codes[0]);
  REQUIRE(page.status == 200);
  for (const char* want : {"毒死蜱：未检出（限量 0.02） 合格", "腐霉利：&lt;0.01 mg/kg（限量 0.2） 合格", "酶抑制率：35%（限量 50） 合格"}) {
    CAPTURE(want);
    CHECK_MESSAGE(page.body.find(want) != std::string::npos, page.body.substr(0, 200));
  }
  auto en = http_request(server.port(), "/t/" + l.codes[0] + "?lang=en");
  CHECK(en.body.find("毒死蜱: not detected (ND) (limit 0.02) pass") != std::string::npos);
}

// Issue 14, session 10's trial: "The certificate page follows Accept-Language: an en-US phone gets
// an English certificate. A 承诺达标合格证 is a Chinese legal form: the certificate page must always
// show the title, promise, bases and field names in Chinese; with an English preference add English
// glosses beside/below them, never replace."
TEST_CASE("the certificate page is Chinese for every reader; an English preference adds glosses, never replaces") {
  TempDir dir("verifier-certificate-zh");
  auto l = build_lucheng_ledger(dir.path, 3);  // LC22-K-0001 holds LC-2022-0001 (委托检测合格)
  VerifierProcess server(l, dir.path / "scans.db");
  const std::vector<std::string> chinese = {
      "<h1>承诺达标合格证</h1>", "我承诺销售的农产品未使用禁用农药、兽药及其他化合物，且使用的常规农药、兽药残留不超标。",
      "开具依据", "☑ 委托检测合格", "☐ 质量安全控制符合要求", "☐ 自行检测合格", "产品名称", "数量（重量）", "产地",
      "承诺主体", "开具日期", "合格证编号", "2000 箱（共 10000 公斤）"};
  RequestOptions en_us;
  en_us.headers["Accept-Language"] = "en-US,en;q=0.9";
  RequestOptions none;
  for (const auto& [what, body] :
       std::vector<std::pair<std::string, std::string>>{
           {"no Accept-Language", http_request(server.port(), "/c/LC-2022-0001", none).body},
           {"en-US", http_request(server.port(), "/c/LC-2022-0001", en_us).body},
           {"?lang=en", http_request(server.port(), "/c/LC-2022-0001?lang=en").body}}) {
    CAPTURE(what);
    CHECK(body.find("<html lang=\"zh-CN\">") != std::string::npos);
    for (const auto& want : chinese) {
      CAPTURE(want);
      CHECK(body.find(want) != std::string::npos);
    }
    CHECK(body.size() < 30 * 1024);
  }
  // The English reader's glosses, beside the Chinese words and below the promise.
  const auto en = http_request(server.port(), "/c/LC-2022-0001", en_us).body;
  for (const char* want :
       {"产品名称 <span class=\"en\" lang=\"en\">Product</span>",
        "开具依据 <span class=\"en\" lang=\"en\">Basis</span>",
        "☑ 委托检测合格 <span class=\"en\" lang=\"en\">tested by a laboratory, passed</span>",
        "<p class=\"en\" lang=\"en\">I promise that the farm produce I sell was produced without banned pesticides",
        "Commitment certificate (China, MARA decree 2025 No. 4)"}) {
    CAPTURE(want);
    CHECK(en.find(want) != std::string::npos);
  }
  // A Chinese reader sees no English gloss at all.
  const auto zh = http_request(server.port(), "/c/LC-2022-0001", none).body;
  CHECK(zh.find("class=\"en\"") == std::string::npos);
  CHECK(zh.find("I promise") == std::string::npos);
}

// Issue 14, session 10's trial: "A true spray recorded late cannot be recorded." Under rules
// version 8 it is recorded, and the 质量安全控制符合要求 certificate over the harvest shows 已失效
// with the reason on its page, as after a failed inspection; the scan page shows the breach.
TEST_CASE("a spray recorded late: the 质量安全控制符合要求 certificate over the harvest is 已失效; the scan page shows the breach") {
  TempDir dir("verifier-late-spray");
  auto l = build_lucheng_ledger(dir.path, 3);
  // A certificate on 质量安全控制符合要求 of the graded lot LC22-K-0001 was packed from (harvest
  // LC22-AN01-H1 of 2022-10-08), then a spray on its planting on 2022-10-01 (10 days) comes to light.
  append_events(l,
                R"({"type":"certificate_issued","event_id":"CERT-QC","event_time":"2022-10-10T11:00:00+08:00","number":"LC-2022-0102","style":"producer","issuer":"CH","lot":"LC22-AN01-T","quantity":{"value":"1000","unit":"KGM"},"product":"LCDC-CB","origin":"140406-AN-P01","bases":[{"basis":"quality_control"}]})",
                true);
  VerifierProcess server(l, dir.path / "scans.db");
  CHECK(http_request(server.port(), "/c/LC-2022-0102").body.find("✓ 有效") != std::string::npos);
  append_events(l,
                R"({"type":"input_application","event_id":"LC22-0199","event_time":"2022-10-01T16:00:00+08:00","party":"SDD","location":"140406-AN-P01","lot":"LC22-AN01","input_kind":"pesticide","input_name":"毒死蜱","registration_no":"PD20150001","dose":{"value":"50","unit":"mL/亩"},"pre_harvest_interval_days":10,"target":"葱地种蝇"})",
                true);
  REQUIRE(server.wait_synced(l));
  auto page = http_request(server.port(), "/c/LC-2022-0102");
  CHECK(page.status == 200);
  for (const char* want : {"此合格证已失效", "安全间隔期内用药", "LC22-0199", "毒死蜱", "批次 LC22-AN01-H1 于 2022-10-08 采收"}) {
    CAPTURE(want);
    CHECK(page.body.find(want) != std::string::npos);
  }
  // cert14h: the spray (2022-10-01) is before the certificate (2022-10-10): it is shown as 用药时间, and
  // the certificate became 已失效 when the spray's entry was recorded, after the certificate's — never
  // "invalidated at" a time before it existed.
  CHECK(page.body.find("用药时间： 2022-10-01 16:00") != std::string::npos);
  CHECK(page.body.find("失效时间： 第 ") != std::string::npos);
  CHECK(page.body.find(" 条记录登记了这次用药，在本证（第 ") != std::string::npos);
  CHECK(page.body.find("失效时间： 2022-10-01") == std::string::npos);
  auto j = nlohmann::json::parse(http_request(server.port(), "/c/LC-2022-0102", kJson).body);
  CHECK(j["status"]["status"] == "invalidated");
  CHECK(j["status"]["event_id"] == "LC22-0199");
  CHECK(j["status"]["applied_at"] == "2022-10-01T16:00:00+08:00");
  CHECK(j["status"]["time"] == "");
  CHECK(j["status"]["entry"].get<std::uint64_t>() > j["entry"].get<std::uint64_t>());
  // The laboratory's certificate of the box lot is judged on its test, and stays valid.
  CHECK(http_request(server.port(), "/c/LC-2022-0001").body.find("✓ 有效") != std::string::npos);
  // The scan page: the breach beside the inspection result, and ✗ on the harvest in the journey.
  auto scan = http_request(server.port(), "/t/" + l.codes[0]).body;
  CHECK(scan.find("未满足：批次 LC22-AN01-H1 于 2022-10-08 采收，在 2022-10-01 施药（安全间隔期 10 天，2022-10-11 起才能采收）的安全间隔期内") !=
        std::string::npos);
  CHECK(scan.find("未满足农药安全间隔期（安全采收日 2022-10-11）") != std::string::npos);
}
