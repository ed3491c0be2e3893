// Verifier test fixtures: a season's ledger, the server process, a raw HTTP client.
#include "tests/verifier/fixture.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <openssl/rand.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "ledger/event/lot_code.h"
#include "ledger/store/sqlite.h"
#include "ledger/util/crockford.h"

namespace agtrace::test {

namespace {

std::string key_added(const note::SigningKey& key, const char* role) {
  auto vkey = note::verifier_key_of(key);
  return nlohmann::json{{"type", "key_added"},
                        {"event_id", "key-added-" + vkey.key_id()},
                        {"event_time", "2022-03-01T08:00:00+08:00"},
                        {"name", vkey.name},
                        {"vkey", vkey.to_string()},
                        {"role", role}}
      .dump();
}

std::vector<PreparedEvent> parse_lines(const std::string& jsonl) {
  std::vector<PreparedEvent> out;
  std::istringstream in(jsonl);
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    out.push_back(parse_event(line, fmt::format("fixture line {}", n)));
  }
  return out;
}

// The season, as JSON lines (times in Beijing time, as a clerk would write them).
const char* kSeason = R"(
{"type":"party","event_id":"MD-P-001","event_time":"2022-03-01T09:00:00+08:00","party_id":"LCBRAND","name":"潞城区农产品区域公用品牌运营中心","role":"brand_owner"}
{"type":"party","event_id":"MD-P-002","event_time":"2022-03-01T09:00:00+08:00","party_id":"SDD","name":"潞城区山丹丹种植专业合作社","role":"cooperative","address":"潞城区店上镇熬脑村","admin_region":"140406"}
{"type":"party","event_id":"MD-P-003","event_time":"2022-03-01T09:00:00+08:00","party_id":"CH","name":"山西聪和农业科技有限公司","role":"processor"}
{"type":"party","event_id":"MD-P-005","event_time":"2022-03-01T09:00:00+08:00","party_id":"LAB","name":"长治市农产品质量安全检测站（示例）","role":"laboratory"}
{"type":"party","event_id":"MD-P-006","event_time":"2022-03-01T09:00:00+08:00","party_id":"COLD","name":"潞安冷链物流有限公司（示例）","role":"carrier"}
{"type":"party","event_id":"MD-P-007","event_time":"2022-03-01T09:00:00+08:00","party_id":"TY-BUYER","name":"太原示例生鲜超市有限公司","role":"buyer"}
{"type":"party","event_id":"MD-P-666","event_time":"2022-03-01T09:00:00+08:00","party_id":"EVIL","name":"<script>alert(1)</script>","role":"producer"}
{"type":"location","event_id":"MD-L-002","event_time":"2022-03-01T09:00:00+08:00","location_id":"140406-AN-P01","name":"熬脑村1号地块","kind":"plot","owner":"SDD","admin_region":"140406","address":"潞城区店上镇熬脑村东坡"}
{"type":"location","event_id":"MD-L-005","event_time":"2022-03-01T09:00:00+08:00","location_id":"140406-CH-PH01","name":"聪和分级包装车间","kind":"packing_house","owner":"CH"}
{"type":"location","event_id":"MD-L-006","event_time":"2022-03-01T09:00:00+08:00","location_id":"140406-CH-CS01","name":"聪和预冷保鲜库","kind":"cold_store","owner":"CH"}
{"type":"location","event_id":"MD-L-007","event_time":"2022-03-01T09:00:00+08:00","location_id":"140402-LAB-01","name":"检测站实验室","kind":"laboratory","owner":"LAB"}
{"type":"location","event_id":"MD-L-008","event_time":"2022-03-01T09:00:00+08:00","location_id":"140105-TY-DC01","name":"太原配送中心","kind":"warehouse","owner":"TY-BUYER"}
{"type":"product","event_id":"MD-G-001","event_time":"2022-03-01T09:00:00+08:00","product_id":"LCDC-CB","name":"潞城大葱","variety":"长白","class_code":"0109","gtin":"06901234567892","brand":{"regional":"潞城大葱","enterprise":"山丹丹"},"grade_standard":"NY/T 1835 大葱等级规格","standard":"NY/T 1835-2010","pack_size":{"value":"5","unit":"KGM"},"shelf_life_days":30,"storage_condition":"0～2℃冷藏，相对湿度85%～90%","owner":"SDD"}
{"type":"planting","event_id":"LC22-0001","event_time":"2022-04-12T08:00:00+08:00","party":"SDD","location":"140406-AN-P01","lot":"LC22-AN01","product":"LCDC-CB","variety":"长白","seed_lot":"SD-2022-031","area_mu":"40","method":"transplanting","sowing_date":"2022-04-12"}
{"type":"input_application","event_id":"LC22-0101","event_time":"2022-05-20T07:30:00+08:00","party":"SDD","location":"140406-AN-P01","lot":"LC22-AN01","input_kind":"fertilizer","input_name":"有机肥","dose":{"value":"200","unit":"kg/亩"}}
{"type":"input_application","event_id":"LC22-0103","event_time":"2022-08-20T16:00:00+08:00","party":"SDD","location":"140406-AN-P01","lot":"LC22-AN01","input_kind":"pesticide","input_name":"吡虫啉","registration_no":"PD20121234","dose":{"value":"20","unit":"g/亩"},"pre_harvest_interval_days":14,"target":"葱蓟马"}
{"type":"harvest","event_id":"LC22-0201","event_time":"2022-10-08T07:00:00+08:00","party":"SDD","location":"140406-AN-P01","lot":"LC22-AN01-H1","from_lot":"LC22-AN01","product":"LCDC-CB","quantity":{"value":"120000","unit":"KGM"}}
{"type":"inspection","event_id":"LC22-0301","event_time":"2022-10-08T15:00:00+08:00","party":"LAB","location":"140402-LAB-01","lots":["LC22-AN01-H1"],"lab":"长治市农产品质量安全检测站（示例）","report_no":"JC2022-10-0815","certificate_no":"HGZ-2022-0815","result":"pass","standard":"GB 2763-2021","items":[{"name":"吡虫啉","measured":"0.02","limit":"2","unit":"mg/kg","result":"pass"},{"name":"毒死蜱","measured":"0","limit":"0.02","unit":"mg/kg","result":"pass"}]}
{"type":"transformation","event_id":"LC22-0401","event_time":"2022-10-09T09:00:00+08:00","party":"CH","location":"140406-CH-PH01","kind":"grading","inputs":[{"lot":"LC22-AN01-H1","quantity":{"value":"120000","unit":"KGM"}}],"outputs":[{"lot":"LC22-AN01-T","product":"LCDC-CB","quantity":{"value":"70000","unit":"KGM"},"grade":"特级"},{"lot":"LC22-AN01-A","product":"LCDC-CB","quantity":{"value":"45000","unit":"KGM"},"grade":"一级"}],"loss":{"value":"5000","unit":"KGM"}}
{"type":"precooling","event_id":"LC22-0501","event_time":"2022-10-09T12:00:00+08:00","party":"CH","location":"140406-CH-CS01","lots":["LC22-AN01-T","LC22-AN01-A"],"start":"2022-10-09T12:00:00+08:00","end":"2022-10-10T06:00:00+08:00","target":{"min":"0","max":"2"},"readings":[{"time":"2022-10-09T12:00:00+08:00","value":"12.5"},{"time":"2022-10-09T18:00:00+08:00","value":"4.1"},{"time":"2022-10-10T00:00:00+08:00","value":"1.6"},{"time":"2022-10-10T06:00:00+08:00","value":"1.2"}]}
{"type":"packing","event_id":"LC22-0601","event_time":"2022-10-10T08:00:00+08:00","party":"CH","location":"140406-CH-PH01","input_lot":"LC22-AN01-T","input_quantity":{"value":"10100","unit":"KGM"},"lot":"LC22-K-0001","product":"LCDC-CB","count":2000,"pack_size":{"value":"5","unit":"KGM"},"loss":{"value":"100","unit":"KGM"}}
{"type":"packing","event_id":"LC22-0603","event_time":"2022-10-10T09:00:00+08:00","party":"CH","location":"140406-CH-PH01","input_lot":"LC22-AN01-T","input_quantity":{"value":"500","unit":"KGM"},"lot":"LC/22-K-9","product":"LCDC-CB","count":100,"pack_size":{"value":"5","unit":"KGM"}}
{"type":"packing","event_id":"LC22-0604","event_time":"2022-10-10T09:30:00+08:00","party":"CH","location":"140406-CH-PH01","input_lot":"LC22-AN01-A","input_quantity":{"value":"50","unit":"KGM"},"lot":"张家河 第1批","product":"LCDC-CB","count":10,"pack_size":{"value":"5","unit":"KGM"}}
{"type":"shipping","event_id":"LC22-0701","event_time":"2022-10-10T14:00:00+08:00","party":"CH","location":"140406-CH-CS01","lots":[{"lot":"LC22-K-0001"}],"to_party":"TY-BUYER","to_location":"140105-TY-DC01","carrier":"COLD","vehicle":"晋D·L2345","shipment_no":"YD2022101001","target":{"min":"0","max":"4"},"readings":[{"time":"2022-10-10T14:00:00+08:00","value":"1.5"},{"time":"2022-10-10T16:00:00+08:00","value":"2.1"},{"time":"2022-10-10T18:00:00+08:00","value":"2.4"}]}
{"type":"receiving","event_id":"LC22-0801","event_time":"2022-10-10T19:30:00+08:00","party":"TY-BUYER","location":"140105-TY-DC01","lots":[{"lot":"LC22-K-0001"}],"from_party":"CH","shipment_no":"YD2022101001","condition":"完好"}
{"type":"planting","event_id":"EV-0001","event_time":"2022-04-12T08:00:00+08:00","party":"EVIL","location":"140406-AN-P01","lot":"EVIL-P","product":"LCDC-CB","area_mu":"1"}
{"type":"harvest","event_id":"EV-0002","event_time":"2022-10-08T07:00:00+08:00","party":"EVIL","location":"140406-AN-P01","lot":"EVIL-H","from_lot":"EVIL-P","product":"LCDC-CB","quantity":{"value":"1000","unit":"KGM"}}
{"type":"packing","event_id":"EV-0003","event_time":"2022-10-10T08:00:00+08:00","party":"EVIL","location":"140406-CH-PH01","input_lot":"EVIL-H","input_quantity":{"value":"50","unit":"KGM"},"lot":"EVIL-K","product":"LCDC-CB","count":10,"pack_size":{"value":"5","unit":"KGM"}}
{"type":"party","event_id":"MD-P-004","event_time":"2022-03-01T09:00:00+08:00","party_id":"XAX","name":"潞城区鑫熬兴农业专业合作社","role":"cooperative","address":"潞城区店上镇张家河村","admin_region":"140406"}
{"type":"location","event_id":"MD-L-016","event_time":"2022-03-01T09:00:00+08:00","location_id":"140406-DS-A01","name":"店上镇大葱产区","kind":"base","owner":"SDD","admin_region":"140406","address":"潞城区店上镇熬脑村、张家河村"}
{"type":"location","event_id":"MD-L-003","event_time":"2022-03-01T09:00:00+08:00","location_id":"140406-AN-P02","name":"熬脑村2号地块","kind":"plot","owner":"SDD","admin_region":"140406","address":"潞城区店上镇熬脑村西沟","parent":"140406-DS-A01"}
{"type":"location","event_id":"MD-L-004","event_time":"2022-03-01T09:00:00+08:00","location_id":"140406-ZJH-P01","name":"张家河村1号地块","kind":"plot","owner":"XAX","admin_region":"140406","address":"潞城区店上镇张家河村南","parent":"140406-DS-A01"}
{"type":"planting","event_id":"MX-0001","event_time":"2022-04-13T08:30:00+08:00","party":"SDD","location":"140406-AN-P02","lot":"LC22-AN02","product":"LCDC-CB","area_mu":"35"}
{"type":"planting","event_id":"MX-0002","event_time":"2022-04-15T09:00:00+08:00","party":"XAX","location":"140406-ZJH-P01","lot":"LC22-ZJH01","product":"LCDC-CB","area_mu":"50"}
{"type":"harvest","event_id":"MX-0003","event_time":"2022-10-03T07:00:00+08:00","party":"SDD","location":"140406-AN-P02","lot":"LC22-AN02-H1","from_lot":"LC22-AN02","product":"LCDC-CB","quantity":{"value":"3000","unit":"KGM"}}
{"type":"harvest","event_id":"MX-0004","event_time":"2022-10-05T07:00:00+08:00","party":"XAX","location":"140406-ZJH-P01","lot":"LC22-ZJH01-H1","from_lot":"LC22-ZJH01","product":"LCDC-CB","quantity":{"value":"2000","unit":"KGM"}}
{"type":"transformation","event_id":"MX-0005","event_time":"2022-10-06T09:00:00+08:00","party":"CH","location":"140406-CH-PH01","kind":"merge","inputs":[{"lot":"LC22-AN02-H1","quantity":{"value":"3000","unit":"KGM"}},{"lot":"LC22-ZJH01-H1","quantity":{"value":"2000","unit":"KGM"}}],"outputs":[{"lot":"LC22-MIX-01","product":"LCDC-CB","quantity":{"value":"5000","unit":"KGM"}}]}
{"type":"packing","event_id":"MX-0006","event_time":"2022-10-06T14:00:00+08:00","party":"CH","location":"140406-CH-PH01","input_lot":"LC22-MIX-01","input_quantity":{"value":"5000","unit":"KGM"},"lot":"LC22-K-0005","product":"LCDC-CB","count":1000,"pack_size":{"value":"5","unit":"KGM"}}
)";

// The 承诺达标合格证 of every lot the fixture labels (rules version 4 refuses labels without one).
const char* kCertificates = R"(
{"type":"certificate_issued","event_id":"CT-0001","event_time":"2022-10-10T10:00:00+08:00","number":"LC-2022-0001","style":"producer","issuer":"CH","lot":"LC22-K-0001","quantity":{"value":"2000","unit":"H87"},"product":"LCDC-CB","origin":"140406-AN-P01","bases":[{"basis":"commissioned_test","evidence":["LC22-0301"]}]}
{"type":"certificate_issued","event_id":"CT-0002","event_time":"2022-10-10T10:00:00+08:00","number":"LC-2022-0002","style":"producer","issuer":"CH","lot":"LC/22-K-9","quantity":{"value":"100","unit":"H87"},"product":"LCDC-CB","origin":"140406-AN-P01","bases":[{"basis":"quality_control"}]}
{"type":"certificate_issued","event_id":"CT-0003","event_time":"2022-10-10T10:00:00+08:00","number":"LC-2022-0003","style":"producer","issuer":"CH","lot":"张家河 第1批","quantity":{"value":"10","unit":"H87"},"product":"LCDC-CB","origin":"140406-AN-P01","bases":[{"basis":"quality_control"}]}
{"type":"certificate_issued","event_id":"CT-0004","event_time":"2022-10-10T10:00:00+08:00","number":"EVIL-0001","style":"producer","issuer":"EVIL","lot":"EVIL-K","quantity":{"value":"10","unit":"H87"},"product":"LCDC-CB","origin":"140406-AN-P01","bases":[{"basis":"quality_control"}]}
{"type":"certificate_issued","event_id":"CT-0005","event_time":"2022-10-07T10:00:00+08:00","number":"LC-2022-0005","style":"producer","issuer":"CH","lot":"LC22-K-0005","quantity":{"value":"1000","unit":"H87"},"product":"LCDC-CB","origin":"140406-DS-A01","bases":[{"basis":"quality_control"}]}
)";

std::uint64_t label(Ledger& ledger, const note::SigningKey& key, const std::string& type, const std::string& lot,
                    std::vector<std::string> serials, const std::string& reason = "") {
  LabelJob job;
  job.type = type;
  job.lot = lot;
  job.serials = std::move(serials);
  job.party = "CH";
  job.location = "140406-CH-PH01";
  job.reason = reason;
  return ledger.record_label_job(job, key);
}

}  // namespace

TempDir::TempDir(const std::string& name) {
  path = std::filesystem::path(AGTRACE_BINARY_DIR) / "test-tmp" / fmt::format("{}-{}", name, ::getpid());
  std::filesystem::remove_all(path);
  std::filesystem::create_directories(path);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path, ec);
}

std::string random_serial() {
  std::uint8_t bytes[9] = {};
  if (RAND_bytes(bytes, 8) != 1) throw std::runtime_error("RAND_bytes failed");
  return crockford_encode(bytes, 13);
}

LuchengLedger build_lucheng_ledger(const std::filesystem::path& dir, int codes) {
  LuchengLedger l;
  l.ledger_path = dir / "lucheng.ledger";
  l.log_key_path = dir / "log.key";
  l.clerk_key_path = dir / "clerk.key";
  auto log_key = note::SigningKey::generate("trace.lucheng.example/log");
  log_key.save(l.log_key_path);
  auto clerk = note::SigningKey::generate("clerk-chonghe");
  clerk.save(l.clerk_key_path);
  Ledger::create(l.ledger_path, "https://trace.lucheng.example", log_key);
  Ledger ledger(l.ledger_path, true);
  ledger.append(parse_lines(key_added(clerk, "clerk")), log_key, {});
  ledger.append(parse_lines(kSeason), clerk, {});
  ledger.append(parse_lines(kCertificates), clerk, {});

  for (int i = 0; i < codes; ++i) l.codes.push_back(random_serial());
  l.voided_code = random_serial();
  auto all = l.codes;
  all.push_back(l.voided_code);
  label(ledger, clerk, "labels_issued", "LC22-K-0001", all);
  label(ledger, clerk, "labels_voided", "LC22-K-0001", {l.voided_code}, "标签打印污损");
  l.slash_code = random_serial();
  label(ledger, clerk, "labels_issued", "LC/22-K-9", {l.slash_code});
  l.chinese_code = random_serial();
  label(ledger, clerk, "labels_issued", "张家河 第1批", {l.chinese_code});
  l.xss_code = random_serial();
  label(ledger, clerk, "labels_issued", "EVIL-K", {l.xss_code});
  l.mixed_code = random_serial();
  label(ledger, clerk, "labels_issued", "LC22-K-0005", {l.mixed_code});
  l.chinese_lot_gs1 = ledger.store().lot("张家河 第1批")->gs1_code;
  ledger.sign_checkpoint(log_key);
  return l;
}

void add_recalled_lot(LuchengLedger& l) {
  Ledger ledger(l.ledger_path, true);
  auto clerk = note::SigningKey::load(l.clerk_key_path);
  ledger.append(parse_lines(R"(
{"type":"harvest","event_id":"LC22-0202","event_time":"2022-10-20T07:00:00+08:00","party":"SDD","location":"140406-AN-P01","lot":"LC22-AN01-H2","from_lot":"LC22-AN01","product":"LCDC-CB","quantity":{"value":"1000","unit":"KGM"}}
{"type":"packing","event_id":"LC22-0605","event_time":"2022-10-21T08:00:00+08:00","party":"CH","location":"140406-CH-PH01","input_lot":"LC22-AN01-H2","input_quantity":{"value":"100","unit":"KGM"},"lot":"LC22-K-R1","product":"LCDC-CB","count":20,"pack_size":{"value":"5","unit":"KGM"}}
{"type":"certificate_issued","event_id":"CT-0006","event_time":"2022-10-21T09:00:00+08:00","number":"LC-2022-0006","style":"producer","issuer":"CH","lot":"LC22-K-R1","quantity":{"value":"20","unit":"H87"},"product":"LCDC-CB","origin":"140406-AN-P01","bases":[{"basis":"quality_control"}]}
)"),
                clerk, {});
  l.recalled_code = random_serial();
  label(ledger, clerk, "labels_issued", "LC22-K-R1", {l.recalled_code, random_serial()});
  ledger.append(parse_lines(R"(
{"type":"recall","event_id":"LC22-0901","event_time":"2022-10-25T10:00:00+08:00","party":"LCBRAND","lots":["LC22-AN01-H2"],"reason":"抽检农残超标（示例）","descendants":true}
)"),
                clerk, {});
  ledger.sign_checkpoint(note::SigningKey::load(l.log_key_path));
}

void append_events(const LuchengLedger& l, const std::string& jsonl, bool checkpoint) {
  Ledger ledger(l.ledger_path, true);
  auto clerk = note::SigningKey::load(l.clerk_key_path);
  ledger.append(parse_lines(jsonl), clerk, {});
  if (checkpoint) ledger.sign_checkpoint(note::SigningKey::load(l.log_key_path));
}

VerifierProcess::VerifierProcess(const LuchengLedger& l, const std::filesystem::path& scans,
                                 std::vector<std::string> extra, bool wait_verified) {
  std::vector<std::string> args = {std::string(AGTRACE_BINARY_DIR) + "/verifier/agtrace-verifier",
                                   "serve",
                                   "--ledger",
                                   l.ledger_path.string(),
                                   "--scans",
                                   scans.string(),
                                   "--log-pubkey",
                                   l.log_pub_path().string(),
                                   "--listen",
                                   "127.0.0.1:0"};
  args.insert(args.end(), extra.begin(), extra.end());
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error("pipe");
  pid_ = fork();
  if (pid_ == 0) {
    dup2(fds[1], 1);
    close(fds[0]);
    close(fds[1]);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(fds[1]);
  out_fd_ = fds[0];
  std::string out;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (out.find('\n') == std::string::npos) {
    pollfd p{out_fd_, POLLIN, 0};
    if (std::chrono::steady_clock::now() > deadline || poll(&p, 1, 200) < 0)
      throw std::runtime_error("agtrace-verifier did not start: " + out);
    if (p.revents & (POLLIN | POLLHUP)) {
      char buf[256];
      ssize_t n = read(out_fd_, buf, sizeof buf);
      if (n <= 0) throw std::runtime_error("agtrace-verifier exited at start: " + out);
      out.append(buf, static_cast<std::size_t>(n));
    }
  }
  port_ = static_cast<int>(number_after(out, "127.0.0.1:"));
  if (port_ <= 0) throw std::runtime_error("no port in: " + out);
  if (wait_verified && !wait_health(200, 60000))
    throw std::runtime_error("agtrace-verifier did not verify the ledger: " + http_request(port_, "/healthz").body);
}

bool VerifierProcess::wait_synced(const LuchengLedger& l, int timeout_ms) const {
  long entries = 0, checkpoint = 0;
  {
    sql::Database db(l.ledger_path.string(), sql::OpenMode::read_only);
    auto s = db.prepare("SELECT (SELECT count(*) FROM entries), (SELECT coalesce(max(size), 0) FROM checkpoints)");
    s.step();
    entries = static_cast<long>(s.column_int(0));
    checkpoint = static_cast<long>(s.column_int(1));
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    auto m = http_request(port_, "/metrics").body;
    if (number_after(m, "\nagtrace_ledger_entries ") == entries &&
        number_after(m, "\nagtrace_checkpoint_size ") == checkpoint &&
        number_after(m, "\nagtrace_verifier_verified ") == 1)
      return true;
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

bool VerifierProcess::wait_health(int status, int timeout_ms) const {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    if (http_request(port_, "/healthz").status == status) return true;
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

int VerifierProcess::stop() {
  if (pid_ <= 0) return 0;
  kill(pid_, SIGTERM);
  int status = 0;
  for (int i = 0; i < 150; ++i) {
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  kill(pid_, SIGKILL);
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return -1;
}

VerifierProcess::~VerifierProcess() {
  stop();
  if (out_fd_ >= 0) close(out_fd_);
}

long VerifierProcess::rss_kib() const {
  std::ifstream in(fmt::format("/proc/{}/status", pid_));
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0) return number_after(line, "VmRSS:");
  return -1;
}

std::string HttpResponse::header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? "" : it->second;
}

int connect_to(int port, const std::string& bind_addr) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in local{};
  local.sin_family = AF_INET;
  inet_pton(AF_INET, bind_addr.c_str(), &local.sin_addr);
  if (bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0) {
    close(fd);
    throw std::runtime_error("cannot bind client to " + bind_addr);
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    throw std::runtime_error(fmt::format("cannot connect to port {}", port));
  }
  return fd;
}

HttpResponse http_request(int port, const std::string& target, const RequestOptions& o) {
  int fd = connect_to(port, o.bind_addr);
  timeval tv{o.timeout_ms / 1000, (o.timeout_ms % 1000) * 1000};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  std::string req = fmt::format("{} {} HTTP/1.1\r\nHost: trace.lucheng.example\r\nConnection: close\r\n", o.method, target);
  for (const auto& [k, v] : o.headers) req += k + ": " + v + "\r\n";
  req += "\r\n";
  send(fd, req.data(), req.size(), MSG_NOSIGNAL);
  std::string raw;
  char buf[16384];
  for (;;) {
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    raw.append(buf, static_cast<std::size_t>(n));
  }
  close(fd);
  HttpResponse r;
  std::size_t end = raw.find("\r\n\r\n");
  if (raw.rfind("HTTP/1.", 0) != 0 || end == std::string::npos) return r;
  r.status = std::stoi(raw.substr(9, 3));
  std::istringstream head(raw.substr(0, end));
  std::string line;
  std::getline(head, line);
  while (std::getline(head, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string name = line.substr(0, colon);
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    r.headers[name] = value;
  }
  r.body = raw.substr(end + 4);
  return r;
}

long number_after(const std::string& text, const std::string& prefix) {
  auto at = text.find(prefix);
  if (at == std::string::npos) return -1;
  at += prefix.size();
  while (at < text.size() && (text[at] == ' ' || text[at] == '\t')) ++at;
  std::size_t end = at;
  while (end < text.size() && std::isdigit(static_cast<unsigned char>(text[end]))) ++end;
  return end == at ? -1 : std::stol(text.substr(at, end - at));
}

int free_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  close(fd);
  return ntohs(a.sin_port);
}

namespace {
std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}
}  // namespace

Nginx::Nginx(const std::filesystem::path& prefix, int upstream_port) : prefix_(prefix) {
  const char* binary = "/usr/sbin/nginx";
  if (access(binary, X_OK) != 0)
    throw std::runtime_error("nginx is not installed: run scripts/install-deps.sh (Debian nginx)");
  std::string site = slurp(std::filesystem::path(AGTRACE_SOURCE_DIR) / "deploy/nginx/agtrace-verifier.conf");
  if (site.find("listen 80;") == std::string::npos || site.find("listen 443 ssl http2;") == std::string::npos ||
      site.find("server 127.0.0.1:8080;") == std::string::npos)
    throw std::runtime_error("deploy/nginx/agtrace-verifier.conf no longer has 'listen 80;', 'listen 443 ssl http2;' "
                             "and 'server 127.0.0.1:8080;' for the test to rewrite");
  // The TLS server, served here over plain HTTP (its limits and locations are what this
  // suite tests; tests/deploy/tls_test.sh tests it over TLS): no IPv6, no ssl_ lines.
  port_ = free_port();
  site = std::regex_replace(site, std::regex(R"(\n\s*listen \[::\]:(80|443 ssl http2);)"), "");
  site = std::regex_replace(site, std::regex(R"(\n\s*ssl_[a-z_]+ [^\n]*;)"), "");
  site = std::regex_replace(site, std::regex(R"(listen 80;)"), fmt::format("listen 127.0.0.1:{};", free_port()));
  site = std::regex_replace(site, std::regex(R"(listen 443 ssl http2;)"), fmt::format("listen 127.0.0.1:{};", port_));
  site = std::regex_replace(site, std::regex(R"(server 127\.0\.0\.1:8080;)"),
                            fmt::format("server 127.0.0.1:{};", upstream_port));
  std::filesystem::create_directories(prefix_ / "tmp");
  std::filesystem::create_directories(prefix_ / "static");
  std::string p = prefix_.string();
  std::ofstream(prefix_ / "nginx.conf") << fmt::format(
      "{}worker_processes 1;\ndaemon off;\npid {}/nginx.pid;\nerror_log {}/error.log info;\n"
      "events {{ worker_connections 1024; }}\n"
      "http {{\n  access_log {}/access.log;\n  client_body_temp_path {}/tmp/body;\n"
      "  proxy_temp_path {}/tmp/proxy;\n  fastcgi_temp_path {}/tmp/fastcgi;\n  uwsgi_temp_path {}/tmp/uwsgi;\n"
      "  scgi_temp_path {}/tmp/scgi;\n  types {{ text/plain txt; }}\n{}\n"
      "  server {{ listen 127.0.0.1:{}; location / {{ root {}/static; }} }}\n}}\n",
      geteuid() == 0 ? "user root;\n" : "", p, p, p, p, p, p, p, p, site, free_port(), p);
  pid_ = fork();
  if (pid_ == 0) {
    int devnull = open("/dev/null", O_WRONLY);
    dup2(devnull, 1);
    dup2(devnull, 2);
    execl(binary, binary, "-p", p.c_str(), "-c", (p + "/nginx.conf").c_str(), "-e", (p + "/error.log").c_str(),
          static_cast<char*>(nullptr));
    _exit(127);
  }
  for (int i = 0; i < 100; ++i) {
    try {
      close(connect_to(port_));
      return;
    } catch (const std::runtime_error&) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
  throw std::runtime_error("nginx did not start: " + slurp(prefix_ / "error.log"));
}

Nginx::~Nginx() {
  kill(pid_, SIGTERM);
  int status;
  waitpid(pid_, &status, 0);
}

std::string send_huge(int port, const std::string& head, std::size_t total, char filler) {
  int fd = connect_to(port);
  timeval tv{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  send(fd, head.data(), head.size(), MSG_NOSIGNAL);
  std::string chunk(1 << 16, filler);
  std::size_t sent = head.size();
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (sent < total && std::chrono::steady_clock::now() < deadline) {
    ssize_t n = send(fd, chunk.data(), std::min(chunk.size(), total - sent), MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<std::size_t>(n);
  }
  std::string response;
  char buf[4096];
  for (;;) {
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    response.append(buf, static_cast<std::size_t>(n));
    if (response.size() > 65536) break;
  }
  close(fd);
  return response;
}

std::map<std::string, long> scan_counts(const std::filesystem::path& scans) {
  sql::Database db(scans.string(), sql::OpenMode::read_only);
  auto s = db.prepare("SELECT serial, count FROM scans");
  std::map<std::string, long> out;
  while (s.step()) out[s.column_text(0)] = static_cast<long>(s.column_int(1));
  return out;
}

}  // namespace agtrace::test
