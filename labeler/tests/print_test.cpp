// agtrace-labeler end to end against a real ledger (issue 3, "What it must show"): codes
// decode to their Digital Links (zbar, ZXing, GS1's digital-link.js), lots with '/', '%',
// a space and Chinese round-trip, a printer receives exactly the ZPL, an unreachable
// printer records nothing, reprint and void are ledger entries, and verify catches serials
// added to or removed from a job's table.
// Issue 12, "printed means confirmed by the printer", against fake printers on loopback
// that answer ZPL ~HS and TSPL <ESC>!? as real ones do: a printer not ready before the job
// is refused with nothing recorded; one that hangs up after 30 KB, one that stops reading,
// one that runs out of paper mid-job — after each exactly the labels before its last ready
// answer count as printed, the never-sent ones are voided, the uncertain ones listed by
// serial, exit 3; a labeler killed mid-job is found by `jobs --unfinished`; --dry-run
// issues no code.
#include <doctest/doctest.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "ledger/event/digital_link.h"
#include "labeler/template/content.h"
#include "labeler/tests/station.h"
#include "labeler/testing/fixtures.h"
#include "labeler/testing/qr_decode.h"

using namespace agtrace;
using namespace agtrace::labeler;
using namespace agtrace::labeler::testing;
namespace fs = std::filesystem;

namespace {

const std::string kBox = std::string(AGTRACE_SOURCE_DIR) + "/examples/templates/lucheng-box-100x70.json";
const std::string kBag = std::string(AGTRACE_SOURCE_DIR) + "/examples/templates/lucheng-bag-60x40.json";

// Decodes every PNG in `dir` (name order) with both decoders; each must hold one QR and
// both must agree. Returns the payloads.
std::vector<std::string> decode_dir(const std::string& dir) {
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".png") files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  std::vector<std::string> out;
  for (const auto& f : files) {
    auto img = load_png(f);
    auto a = zbar_decode(img);
    auto b = zxing_decode(img);
    CAPTURE(f);
    REQUIRE(a.size() == 1);
    CHECK(a == b);
    out.push_back(a[0]);
  }
  return out;
}

std::vector<std::string> job_serials(Ledger& l, std::uint64_t entry) {
  auto s = l.database().prepare("SELECT serial FROM codes WHERE job_entry = ? ORDER BY serial");
  s.bind(1, static_cast<std::int64_t>(entry));
  std::vector<std::string> out;
  while (s.step()) out.push_back(s.column_text(0));
  return out;
}

std::uint64_t last_entry(Ledger& l) { return l.size() - 1; }

std::string lot_by_code(Ledger& l, const std::string& code) {
  auto s = l.database().prepare("SELECT lot_id FROM lots WHERE gs1_code = ?");
  s.bind(1, code);
  return s.step() ? s.column_text(0) : std::string();
}

// A printer on loopback raw TCP that answers status queries as a real one does: ZPL ~HS
// with the three <STX>…<ETX> strings of the ZPL II Programming Guide, TSPL <ESC>!? with
// its one status byte. It reads the job in order and answers each query when it reads
// it, so an answer follows every byte before its query.
struct FakeOptions {
  bool tspl = false;
  std::size_t close_after = SIZE_MAX;  // hang up after reading this many bytes
  std::size_t stop_after_queries = SIZE_MAX;  // answer this many queries, then never read again
  std::size_t fault_from = SIZE_MAX;  // queries from this one (0 = the ready check) report `fault`
  std::string fault = "paper out";  // "paper out", "paused", "head open"
  int rcvbuf = 0;
  bool silent = false;  // reads everything, answers nothing (a Zebra out of media stays silent)
};

class FakePrinter {
 public:
  explicit FakePrinter(FakeOptions o = {}) : o_(std::move(o)) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (o_.rcvbuf) ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &o_.rcvbuf, sizeof o_.rcvbuf);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    socklen_t len = sizeof a;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    REQUIRE(::listen(fd_, 1) == 0);
    thread_ = std::thread([this] { serve(); });
  }
  ~FakePrinter() {
    stop_ = true;
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    if (thread_.joinable()) thread_.join();
  }
  std::string url() const { return fmt::format("tcp://127.0.0.1:{}", port_); }
  std::string query() const { return o_.tspl ? "\x1B!?" : "~HS"; }
  // Everything read, once the connection is over (or the printer stopped reading).
  const std::string& received() {
    while (!done_) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    return received_;
  }
  // The bytes read when each query was answered ready (its end offset), in order.
  std::vector<std::size_t> ready_answers() {
    received();
    return ready_at_;
  }
  std::size_t queries_answered() const { return answered_; }
  bool done() const { return done_; }

 private:
  FakeOptions o_;
  int fd_ = -1, port_ = 0;
  std::thread thread_;
  std::string received_;
  std::vector<std::size_t> ready_at_;
  std::atomic<std::size_t> answered_{0};
  std::atomic<bool> done_{false}, stop_{false};

  std::string answer(bool fault) const {
    if (o_.tspl) {
      char b = !fault ? 0x00 : o_.fault == "paper out" ? 0x04 : o_.fault == "paused" ? 0x10 : 0x01;
      return std::string(1, b);
    }
    std::string s1 = fmt::format("030,{},{},0812,000,0,0,0,000,0,0,0", fault && o_.fault == "paper out" ? 1 : 0,
                                 fault && o_.fault == "paused" ? 1 : 0);
    std::string s2 = fmt::format("001,0,{},0,1,2,6,0,00000000,1,000", fault && o_.fault == "head open" ? 1 : 0);
    return "\x02" + s1 + "\x03\r\n\x02" + s2 + "\x03\r\n\x02" + "1234,0\x03\r\n";
  }

  void serve() {
    int c = ::accept(fd_, nullptr, nullptr);
    if (c < 0) {
      done_ = true;
      return;
    }
    std::string q = query();
    std::size_t scanned = 0;
    char buf[1024];
    bool reading = true;
    while (reading && received_.size() < o_.close_after) {
      ssize_t n = ::read(c, buf, std::min(sizeof buf, o_.close_after - received_.size()));
      if (n <= 0) break;
      received_.append(buf, static_cast<std::size_t>(n));
      for (std::size_t at; !o_.silent && (at = received_.find(q, scanned)) != std::string::npos;) {
        scanned = at + q.size();
        bool fault = answered_ >= o_.fault_from;
        std::string a = answer(fault);
        if (::write(c, a.data(), a.size()) != static_cast<ssize_t>(a.size())) break;
        if (!fault) ready_at_.push_back(scanned);
        if (++answered_ >= o_.stop_after_queries) {
          reading = false;
          break;
        }
      }
      if (received_.size() >= q.size()) scanned = std::max(scanned, received_.size() - q.size() + 1);
    }
    done_ = true;
    if (!reading) {  // a printer that hangs: connected, never reading again
      while (!stop_) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(300));  // its last answers reach the labeler
    }
    ::close(c);
  }
};

std::string oracles() {
  static const bool installed = run(std::string(AGTRACE_SOURCE_DIR) + "/tests/oracles/install.sh") == 0;
  REQUIRE(installed);
  return std::string(AGTRACE_SOURCE_DIR) + "/tests/oracles";
}

}  // namespace

TEST_CASE("print: 20 PNG labels, each QR the Digital Link of a distinct recorded serial; GS1's digital-link.js accepts them") {
  Station st("print-png");
  st.add_packed_lot("LC-2026-1120-01");
  std::string out = st.dir + "/png/";
  auto r = st.labeler({"print", "--key", st.station_key, "--log-key", st.log_key, "--lot", "LC-2026-1120-01",
                       "--count", "20", "--template", kBox, "--format", "png", "--out", out});
  REQUIRE_MESSAGE(r.status == 0, r.out);
  auto uris = decode_dir(out);
  REQUIRE(uris.size() == 20);
  Ledger l = st.open();
  auto serials = job_serials(l, last_entry(l));
  REQUIRE(serials.size() == 20);
  std::set<std::string> seen;
  std::string lines;
  for (const auto& uri : uris) {
    auto p = parse_trace_uri(uri);
    CHECK(uri == fmt::format("https://trace.lucheng.example/01/06901234567892/10/LC-2026-1120-01/21/{}", p.serial));
    CHECK(std::binary_search(serials.begin(), serials.end(), p.serial));
    CHECK(seen.insert(p.serial).second);
    auto code = l.code(p.serial);
    REQUIRE(code);
    CHECK(code->lot == "LC-2026-1120-01");
    lines += uri + "\n";
  }
  std::string dl_out;
  std::string file = st.dir + "/uris.txt";
  { std::ofstream(file) << lines; }
  CHECK(run(fmt::format("node {}/digital_link_check.js < {}", oracles(), file), &dl_out) == 0);
  CHECK(std::count(dl_out.begin(), dl_out.end(), '\n') == 20);
  CHECK(dl_out.find("\"valid\":false") == std::string::npos);
  auto v = st.ledger_cli({"verify"});
  CHECK_MESSAGE(v.status == 0, v.out);
}

TEST_CASE("a product GTIN with a wrong check digit is refused with exit 2, nothing recorded") {
  // The ledger refuses the product, so no lot of it can reach the printer (the labeler's own
  // check, normalize_gtin14, is unit-tested in code_test).
  Station st("bad-gtin");
  std::uint64_t before = st.open().size();
  const std::string file = st.dir + "/bad-product.json";
  std::ofstream(file) << R"({"type":"product","event_id":"p-bad","event_time":"2024-01-01T08:00:00+08:00",)"
                         R"("product_id":"BAD","name":"大葱","brand":{"regional":"潞城大葱"},"gtin":"06901234567893"})";
  auto r = st.ledger_cli({"record", "--key", st.clerk_key, file});
  CHECK_MESSAGE(r.status == 2, r.out);
  CHECK(r.out.find("check digit") != std::string::npos);
  CHECK(st.open().size() == before);
  std::string dl_out;
  CHECK(run(fmt::format("echo https://trace.lucheng.example/01/06901234567893/10/A/21/B | node {}/digital_link_check.js",
                        oracles()), &dl_out) == 1);
}

TEST_CASE("lots named with '/', '%', a space and Chinese round-trip: QR → decode → parse → map back") {
  Station st("roundtrip");
  const std::vector<std::string> lots = {"LC/2026/07", "LC%07", "LC 2026 07", "潞城大葱-东邑-07", "潞城 大葱/07%"};
  for (const auto& lot : lots) st.add_packed_lot(lot);
  st.add_packed_lot("无码批次", "");  // product without GTIN: the /t/ form
  for (const auto& lot : lots) {
    std::string out = st.dir + "/" + std::to_string(std::hash<std::string>{}(lot)) + "/";
    auto r = st.labeler({"print", "--key", st.station_key, "--lot", lot, "--count", "2", "--template", kBag,
                         "--format", "png", "--out", out});
    REQUIRE_MESSAGE(r.status == 0, r.out);
    Ledger l = st.open();
    for (const auto& uri : decode_dir(out)) {
      CAPTURE(uri);
      auto p = parse_trace_uri(uri);
      REQUIRE(p.lot_code);
      CHECK(lot_by_code(l, *p.lot_code) == lot);
      CHECK(l.code(p.serial)->lot == lot);
      if (lot == "LC/2026/07") CHECK(uri.find("/10/LC%2F2026%2F07/21/") != std::string::npos);
      if (lot == "LC%07") CHECK(uri.find("/10/LC%2507/21/") != std::string::npos);
      for (unsigned char c : uri) CHECK((c > 0x20 && c < 0x7f));
    }
  }
  auto r = st.labeler({"print", "--key", st.station_key, "--lot", "无码批次", "--count", "1", "--template", kBag,
                       "--format", "png", "--out", st.dir + "/nogtin/"});
  REQUIRE_MESSAGE(r.status == 0, r.out);
  auto uris = decode_dir(st.dir + "/nogtin/");
  REQUIRE(uris.size() == 1);
  CHECK(std::regex_match(uris[0], std::regex(R"(https://trace\.lucheng\.example/t/[0-9A-HJKMNP-TV-Z]{13})")));
  CHECK(st.open().code(parse_trace_uri(uris[0]).serial)->lot == "无码批次");
}

TEST_CASE("a TCP listener standing in for a printer receives exactly the bytes of the ZPL output") {
  Station st("tcp");
  st.add_packed_lot("LC-TCP");
  FakePrinter printer;
  auto r = st.labeler({"print", "--key", st.station_key, "--lot", "LC-TCP", "--count", "25", "--template", kBag,
                       "--format", "zpl", "--printer", printer.url(), "--confirm-every", "10"});
  REQUIRE_MESSAGE(r.status == 0, r.out);
  CHECK(r.out.find("已打印 25 张，打印机已确认 / printed 25 labels for lot LC-TCP") != std::string::npos);
  std::string received = printer.received();
  // The ready check, after labels 10 and 20, and at the end; the rest is the job's ZPL.
  CHECK(printer.queries_answered() == 4);
  for (std::size_t q; (q = received.find("~HS")) != std::string::npos;) received.erase(q, 3);
  Ledger l = st.open();
  std::uint64_t job = last_entry(l);
  CHECK(l.entry(job).event["type"] == "labels_issued");
  CHECK(l.entry(job).event["printer"] == printer.url());
  // The same serials rendered to a file (a reprint renders them identically).
  std::vector<std::string> serials;
  std::regex serial_re(R"(/21/([0-9A-Z]{13})\^FS)");
  for (auto it = std::sregex_iterator(received.begin(), received.end(), serial_re); it != std::sregex_iterator(); ++it)
    serials.push_back((*it)[1]);
  REQUIRE(serials.size() == 25);
  std::vector<std::string> sorted = serials;
  std::sort(sorted.begin(), sorted.end());
  CHECK(sorted == job_serials(l, job));
  std::vector<std::string> args = {"reprint", "--key", st.station_key, "--template", kBag, "--format", "zpl",
                                   "--out", st.dir + "/same.zpl"};
  args.insert(args.end(), serials.begin(), serials.end());
  auto rr = st.labeler(args);
  REQUIRE_MESSAGE(rr.status == 0, rr.out);
  CHECK(read_file(st.dir + "/same.zpl") == received);
}

TEST_CASE("an unreachable printer exits 3 and records nothing") {
  Station st("unreachable");
  st.add_packed_lot("LC-NOPE");
  std::uint64_t before = st.open().size();
  auto r = st.labeler({"print", "--key", st.station_key, "--lot", "LC-NOPE", "--count", "5", "--template", kBag,
                       "--format", "zpl", "--printer", fmt::format("tcp://127.0.0.1:{}", closed_loopback_port()),
                       "--timeout-ms", "2000"});
  CHECK(r.status == 3);
  CHECK(r.out.find("unreachable") != std::string::npos);
  CHECK(st.open().size() == before);
}

namespace {

// The serials of the labels in a printer's byte stream, in label order, and where each
// label's print command ends (ZPL ^XZ, TSPL PRINT).
struct StreamLabels {
  std::vector<std::string> serials;
  std::vector<std::size_t> ends;
};
StreamLabels labels_in(const std::string& received, bool tspl) {
  StreamLabels out;
  static const std::regex serial_re(R"(/21/([0-9A-Z]{13}))");
  for (auto it = std::sregex_iterator(received.begin(), received.end(), serial_re); it != std::sregex_iterator(); ++it)
    out.serials.push_back((*it)[1]);
  std::string end = tspl ? "PRINT 1,1\r\n" : "^XZ\n";
  for (std::size_t p = received.find(end); p != std::string::npos; p = received.find(end, p + 1))
    out.ends.push_back(p + end.size());
  return out;
}

std::vector<std::string> split_words(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

// The labels_issued entry of the last job, found from the end of the log.
std::uint64_t last_job(Ledger& l) {
  for (std::uint64_t e = l.size(); e-- > 0;)
    if (l.entry(e).event["type"] == "labels_issued") return e;
  FAIL("no label job");
  return 0;
}

struct Stopped {
  std::size_t confirmed = 0, uncertain = 0, voided = 0;
  std::vector<std::string> uncertain_serials;
  std::uint64_t job = 0;
};

// A job stopped mid-way: exit 3; the message counts confirmed, uncertain and voided (Chinese
// first); exactly the labels before the printer's last ready answer are confirmed; the
// never-written ones are voided in the ledger; the uncertain ones are listed by serial and
// stay genuine; `jobs --unfinished` lists them too; the ledger verifies.
Stopped check_stopped(const Station& st, const CommandResult& r, FakePrinter& printer, std::size_t count, bool tspl) {
  Stopped o;
  CHECK_MESSAGE(r.status == 3, r.out);
  std::smatch m;
  REQUIRE_MESSAGE(std::regex_search(r.out, m, std::regex(R"(printing stopped: (\d+) confirmed, (\d+) uncertain, (\d+) voided)")),
                  r.out);
  o.confirmed = std::stoul(m[1]);
  o.uncertain = std::stoul(m[2]);
  o.voided = std::stoul(m[3]);
  CHECK(r.out.find(fmt::format("打印中断：已确认 {} 张，未确认 {} 张，已作废 {} 张", o.confirmed, o.uncertain, o.voided)) !=
        std::string::npos);
  CHECK(o.confirmed + o.uncertain + o.voided == count);
  if (o.uncertain) {
    std::smatch u;
    REQUIRE(std::regex_search(r.out, u, std::regex(R"(reprint or void each: ([0-9A-Z ]+))")));
    o.uncertain_serials = split_words(u[1]);
    CHECK(o.uncertain_serials.size() == std::min<std::size_t>(o.uncertain, 200));
  }
  const std::string& received = printer.received();
  auto stream = labels_in(received, tspl);
  // Exactly the labels wholly before the last ready answer are confirmed.
  auto ready = printer.ready_answers();
  REQUIRE(!ready.empty());
  std::size_t before_last_answer = 0;
  while (before_last_answer < stream.ends.size() && stream.ends[before_last_answer] <= ready.back()) ++before_last_answer;
  CHECK(o.confirmed == before_last_answer);
  Ledger l = st.open();
  o.job = last_job(l);
  CHECK(l.entry(o.job).event["count"] == count);
  auto serials = job_serials(l, o.job);
  std::set<std::string> confirmed(stream.serials.begin(), stream.serials.begin() + static_cast<std::ptrdiff_t>(o.confirmed));
  std::set<std::string> genuine, voided;
  for (const auto& s : serials) (l.code(s)->voided_entry ? voided : genuine).insert(s);
  CHECK(voided.size() == o.voided);
  CHECK(genuine.size() == o.confirmed + o.uncertain);
  for (const auto& s : confirmed) CHECK(genuine.count(s) == 1);
  for (const auto& s : o.uncertain_serials) {
    CHECK(genuine.count(s) == 1);
    CHECK(confirmed.count(s) == 0);
  }
  // A voided label never reached the printer whole: its print command was never sent.
  std::string end = tspl ? "PRINT 1,1\r\n" : "^XZ\n";
  for (const auto& s : voided) {
    auto at = received.find("/21/" + s);
    if (at != std::string::npos) CHECK(received.find(end, at) == std::string::npos);
  }
  if (o.voided) {
    auto void_entry = l.entry(l.size() - 1).event;
    CHECK(void_entry["type"] == "labels_voided");
    CHECK(void_entry["count"] == o.voided);
  }
  auto jobs = st.labeler({"jobs", "--unfinished", "--json"});
  REQUIRE_MESSAGE(jobs.status == 0, jobs.out);
  auto listed = nlohmann::json::parse(jobs.out);
  if (o.uncertain) {
    REQUIRE(listed.size() == 1);
    CHECK(listed[0]["entry"] == o.job);
    CHECK(listed[0]["state"] == "stopped");
    CHECK(listed[0]["confirmed"] == o.confirmed);
    CHECK(listed[0]["unconfirmed"].size() == o.uncertain);
  } else {
    CHECK(listed.empty());
  }
  auto v = st.ledger_cli({"verify"});
  CHECK_MESSAGE(v.status == 0, v.out);
  MESSAGE(fmt::format("{} confirmed, {} uncertain, {} voided", o.confirmed, o.uncertain, o.voided));
  return o;
}

}  // namespace

TEST_CASE("a printer that hangs up after 30 KB: only labels it confirmed count, the unsent are voided, exit 3") {
  Station st("hangup");
  st.add_packed_lot("LC-HALF");
  constexpr std::size_t kCount = 300;
  FakePrinter printer({.close_after = 30000, .rcvbuf = 4096});
  auto r = st.labeler({"print", "--key", st.station_key, "--lot", "LC-HALF", "--count", std::to_string(kCount),
                       "--template", kBag, "--format", "zpl", "--printer", printer.url(), "--timeout-ms", "3000",
                       "--confirm-every", "5"});
  auto o = check_stopped(st, r, printer, kCount, false);
  CHECK(printer.received().size() == 30000);
  CHECK(o.confirmed > 0);
  CHECK(o.confirmed < labels_in(printer.received(), false).ends.size() + 1);
  CHECK(o.voided > 0);
  CHECK(r.out.find("打印机断开了连接") != std::string::npos);
}

TEST_CASE("a printer that never reads after the ready check: nothing confirmed, the unwritten voided, exit 3") {
  Station st("never-reads");
  st.add_packed_lot("LC-DEAF");
  constexpr std::size_t kCount = 400;
  FakePrinter printer({.stop_after_queries = 1, .rcvbuf = 4096});
  auto r = st.labeler({"print", "--key", st.station_key, "--lot", "LC-DEAF", "--count", std::to_string(kCount),
                       "--template", kBag, "--format", "zpl", "--printer", printer.url(), "--timeout-ms", "1500",
                       "--confirm-every", "10"});
  auto o = check_stopped(st, r, printer, kCount, false);
  CHECK(o.confirmed == 0);
  CHECK(o.uncertain <= 20);  // at most two batches ahead of the last answer
  CHECK(o.voided >= kCount - 20);
}

TEST_CASE("a printer not ready before the job (paper out, paused, head open) is refused: exit 3, nothing recorded") {
  Station st("not-ready");
  st.add_packed_lot("LC-NR");
  std::uint64_t before = st.open().size();
  struct Case {
    bool tspl;
    std::string fault, fix;
  };
  for (const Case& c : {Case{false, "paper out", "装纸"}, Case{false, "paused", "取消暂停"}, Case{false, "head open", "合上打印头"},
                        Case{true, "paper out", "装纸"}, Case{true, "head open", "合上打印头"}}) {
    CAPTURE(c.fault);
    CAPTURE(c.tspl);
    FakePrinter printer({.tspl = c.tspl, .fault_from = 0, .fault = c.fault});
    auto r = st.labeler({"print", "--key", st.station_key, "--lot", "LC-NR", "--count", "5", "--template", kBag,
                         "--format", c.tspl ? "tspl" : "zpl", "--printer", printer.url(), "--timeout-ms", "2000"});
    CHECK_MESSAGE(r.status == 3, r.out);
    CHECK(r.out.find(c.fix) != std::string::npos);
    CHECK(r.out.find("未记录任何标签 / nothing was recorded") != std::string::npos);
    CHECK(printer.received() == printer.query());  // no label was sent
  }
  {
    FakePrinter silent({.silent = true});
    auto r = st.labeler({"print", "--key", st.station_key, "--lot", "LC-NR", "--count", "5", "--template", kBag,
                         "--format", "zpl", "--printer", silent.url(), "--timeout-ms", "500"});
    CHECK_MESSAGE(r.status == 3, r.out);
    CHECK(r.out.find("打印机 500 毫秒内没有应答状态查询，请检查是否缺纸、碳带用完或打印头未合上") != std::string::npos);
    CHECK(r.out.find("nothing was recorded") != std::string::npos);
  }
  CHECK(st.open().size() == before);
  auto jobs = st.labeler({"jobs", "--unfinished"});
  CHECK(jobs.out.find("没有未完成的打印任务") != std::string::npos);
}

TEST_CASE("paper out mid-job stops it: the labels before the last ready answer count, the rest uncertain or voided") {
  for (bool tspl : {false, true}) {
    CAPTURE(tspl);
    Station st(tspl ? "paper-out-tspl" : "paper-out-zpl");
    st.add_packed_lot("LC-PO");
    constexpr std::size_t kCount = 100;
    // Ready check, after label 5, after label 10: ready; after label 15: out of paper.
    FakePrinter printer({.tspl = tspl, .fault_from = 3});
    auto r = st.labeler({"print", "--key", st.station_key, "--lot", "LC-PO", "--count", std::to_string(kCount),
                         "--template", kBag, "--format", tspl ? "tspl" : "zpl", "--printer", printer.url(),
                         "--timeout-ms", "3000", "--confirm-every", "5"});
    auto o = check_stopped(st, r, printer, kCount, tspl);
    CHECK(o.confirmed == 10);
    CHECK(o.uncertain >= 5);
    CHECK(r.out.find("打印机缺纸，请装纸") != std::string::npos);
  }
}

TEST_CASE("a job killed mid-way is found by jobs --unfinished with its entry, lot and unconfirmed serials") {
  Station st("crash");
  st.add_packed_lot("LC-CRASH");
  constexpr std::size_t kCount = 200;
  // Ready check and the first two batches answered; then the printer hangs and the labeler waits.
  FakePrinter printer({.stop_after_queries = 3, .rcvbuf = 4096});
  std::string cmd = fmt::format("exec {} --ledger {} print --key {} --lot LC-CRASH --count {} --template {} --format zpl "
                                "--printer {} --timeout-ms 60000 --confirm-every 10 --quiet > {}/crash.out 2>&1",
                                AGTRACE_LABELER_BIN, shell_quote(st.ledger_path), shell_quote(st.station_key), kCount,
                                shell_quote(kBag), printer.url(), st.dir);
  pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  // Wait until the printer stopped reading and the journal holds the confirmed batches.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!printer.done() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  REQUIRE(printer.done());
  std::string journal = st.ledger_path + ".print-journal";
  std::string confirmed;
  while (confirmed != "20\n" && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    confirmed.clear();
    run("sqlite3 " + shell_quote(journal) + " 'SELECT confirmed FROM print_jobs' 2>/dev/null", &confirmed);
  }
  CHECK(confirmed == "20\n");
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  CHECK(WIFSIGNALED(status));
  auto stream = labels_in(printer.received(), false);
  REQUIRE(stream.serials.size() >= 20);
  Ledger l = st.open();
  std::uint64_t job = last_job(l);
  auto serials = job_serials(l, job);
  REQUIRE(serials.size() == kCount);
  for (const auto& s : serials) CHECK_FALSE(l.code(s)->voided_entry);  // nobody voided anything
  // The labels after the last answered batch (label 20) are unconfirmed.
  std::set<std::string> expected(serials.begin(), serials.end());
  for (std::size_t i = 0; i < 20; ++i) expected.erase(stream.serials[i]);
  auto json = st.labeler({"jobs", "--unfinished", "--json"});
  REQUIRE_MESSAGE(json.status == 0, json.out);
  auto listed = nlohmann::json::parse(json.out);
  REQUIRE(listed.size() == 1);
  CHECK(listed[0]["entry"] == job);
  CHECK(listed[0]["lot"] == "LC-CRASH");
  CHECK(listed[0]["state"] == "interrupted");
  CHECK(listed[0]["confirmed"] == 20);
  auto unconfirmed = listed[0]["unconfirmed"].get<std::vector<std::string>>();
  CHECK(std::set<std::string>(unconfirmed.begin(), unconfirmed.end()) == expected);
  CHECK(unconfirmed.size() == kCount - 20);
  if (stream.serials.size() > 20) CHECK(unconfirmed.front() == stream.serials[20]);  // in label order
  auto text = st.labeler({"jobs", "--unfinished"});
  CHECK(text.out.find(fmt::format("任务 entry {}  批次 LC-CRASH", job)) != std::string::npos);
  CHECK(text.out.find("interrupted") != std::string::npos);
  CHECK(text.out.find(unconfirmed.back()) != std::string::npos);
  // The next print says so; once the operator voided them, the job is no longer listed.
  auto next = st.labeler({"print", "--key", st.station_key, "--lot", "LC-CRASH", "--count", "1", "--template", kBag,
                          "--format", "zpl", "--out", st.dir + "/next.zpl"});
  CHECK_MESSAGE(next.status == 0, next.out);
  CHECK(next.out.find("jobs --unfinished") != std::string::npos);
  std::vector<std::string> args = {"void", "--key", st.station_key, "--reason", "打印中断，未打出"};
  args.insert(args.end(), unconfirmed.begin(), unconfirmed.end());
  auto v = st.labeler(args);
  REQUIRE_MESSAGE(v.status == 0, v.out);
  auto after = st.labeler({"jobs", "--unfinished", "--json"});
  CHECK(nlohmann::json::parse(after.out).empty());
  CHECK(st.ledger_cli({"verify"}).status == 0);
}

TEST_CASE("a journal left unfinished before its entry was written: found by its serials, or dropped if never recorded") {
  Station st("journal-left");
  st.add_packed_lot("LC-JL");
  auto r = st.labeler({"print", "--key", st.station_key, "--lot", "LC-JL", "--count", "3", "--template", kBag,
                       "--format", "zpl", "--out", st.dir + "/jl.zpl"});
  REQUIRE_MESSAGE(r.status == 0, r.out);
  std::string journal = shell_quote(st.ledger_path + ".print-journal");
  CHECK(nlohmann::json::parse(st.labeler({"jobs", "--unfinished", "--json"}).out).empty());
  // As if the power went off after "started" and the ledger's commit, before "recorded":
  // and a second job cut off before the ledger recorded it (its serials were never issued).
  std::string sql =
      "UPDATE print_jobs SET entry = NULL, confirmed = 1, finished = NULL, written = NULL; "
      "INSERT INTO print_jobs (started, lot, printer, serials, count) VALUES "
      "('2026-01-01T00:00:00Z', 'LC-JL', 'tcp://10.0.0.9:9100', 'AAAAAAAAAAAA0\nBBBBBBBBBBBB0\n', 2);";
  REQUIRE(run("sqlite3 " + journal + " " + shell_quote(sql)) == 0);
  auto listed = nlohmann::json::parse(st.labeler({"jobs", "--unfinished", "--json"}).out);
  REQUIRE(listed.size() == 1);
  Ledger l = st.open();
  std::uint64_t job = last_job(l);
  CHECK(listed[0]["entry"] == job);
  CHECK(listed[0]["state"] == "interrupted");
  CHECK(listed[0]["confirmed"] == 1);
  CHECK(listed[0]["unconfirmed"].size() == 2);
  auto serials = job_serials(l, job);
  for (const auto& s : listed[0]["unconfirmed"]) CHECK(std::binary_search(serials.begin(), serials.end(), s.get<std::string>()));
  // A reprint deals with an unconfirmed code as a void does.
  auto re = st.labeler({"reprint", "--key", st.station_key, "--template", kBag, "--format", "zpl", "--out",
                        st.dir + "/re.zpl", listed[0]["unconfirmed"][0].get<std::string>()});
  REQUIRE_MESSAGE(re.status == 0, re.out);
  auto after = nlohmann::json::parse(st.labeler({"jobs", "--unfinished", "--json"}).out);
  REQUIRE(after.size() == 1);
  CHECK(after[0]["unconfirmed"].size() == 1);
}

TEST_CASE("--dry-run renders samples marked 样张 SAMPLE: no code issued, the ledger unchanged") {
  Station st("dry-run");
  st.add_packed_lot("LC-DRY");
  std::uint64_t before = st.open().size();
  std::string out = st.dir + "/samples/";
  auto r = st.labeler({"print", "--dry-run", "--lot", "LC-DRY", "--count", "2", "--template", kBag, "--format", "png",
                       "--out", out});
  REQUIRE_MESSAGE(r.status == 0, r.out);
  CHECK(r.out.find("样张") != std::string::npos);
  CHECK(st.open().size() == before);
  auto uris = decode_dir(out);
  REQUIRE(uris.size() == 2);
  Ledger l = st.open();
  for (const auto& uri : uris) CHECK_FALSE(l.code(parse_trace_uri(uri).serial));  // not a trace code
  CHECK(parse_trace_uri(uris[0]).serial == "0000000000010");
  // The mark is drawn: the sample differs from the same label without it.
  auto plain = st.labeler({"print", "--key", st.station_key, "--lot", "LC-DRY", "--count", "1", "--template", kBag,
                           "--format", "zpl", "--out", st.dir + "/real.zpl"});
  REQUIRE(plain.status == 0);
  auto dry_zpl = st.labeler({"print", "--dry-run", "--lot", "LC-DRY", "--count", "1", "--template", kBag, "--format",
                             "zpl", "--out", st.dir + "/dry.zpl"});
  REQUIRE(dry_zpl.status == 0);
  auto graphic = [](const std::string& zpl) { return zpl.substr(0, zpl.find("^XA")); };
  CHECK(graphic(read_file(st.dir + "/dry.zpl")) != graphic(read_file(st.dir + "/real.zpl")));
  CHECK(st.open().size() == before + 1);  // only the real print
}

TEST_CASE("--ledger may follow the verb, as people type it") {
  Station st("ledger-after-verb");
  st.add_packed_lot("LC-AFTER");
  std::string out;
  int status = run(std::string(AGTRACE_LABELER_BIN) + " print --dry-run --lot LC-AFTER --count 1 --template " +
                       shell_quote(kBag) + " --format zpl --out " + shell_quote(st.dir + "/after.zpl") + " --ledger " +
                       shell_quote(st.ledger_path) + " 2>&1",
                   &out);
  CHECK_MESSAGE(status == 0, out);
}

TEST_CASE("reprint and void are ledger entries; a voided code cannot be reprinted") {
  Station st("reprint");
  st.add_packed_lot("LC-RE");
  auto r = st.labeler({"print", "--key", st.station_key, "--lot", "LC-RE", "--count", "3", "--template", kBag,
                       "--format", "tspl", "--out", st.dir + "/a.tspl"});
  REQUIRE_MESSAGE(r.status == 0, r.out);
  Ledger l0 = st.open();
  auto serials = job_serials(l0, last_entry(l0));
  REQUIRE(serials.size() == 3);
  std::string tspl = read_file(st.dir + "/a.tspl");
  std::size_t prints = 0;
  for (std::size_t p = tspl.find("PRINT 1,1\r\n"); p != std::string::npos; p = tspl.find("PRINT 1,1\r\n", p + 1)) ++prints;
  CHECK(prints == 3);
  auto rp = st.labeler({"reprint", "--key", st.station_key, "--template", kBag, "--format", "pdf", "--out",
                        st.dir + "/re.pdf", serials[0], serials[1]});
  REQUIRE_MESSAGE(rp.status == 0, rp.out);
  auto vd = st.labeler({"void", "--key", st.station_key, "--log-key", st.log_key, serials[1], "--reason", "torn on the line"});
  REQUIRE_MESSAGE(vd.status == 0, vd.out);
  Ledger l = st.open();
  CHECK(l.code(serials[0])->reprints == 1);
  CHECK_FALSE(l.code(serials[0])->voided_entry);
  CHECK(l.code(serials[1])->voided_entry);
  CHECK(l.entry(*l.code(serials[1])->voided_entry).event["reason"] == "torn on the line");
  auto again = st.labeler({"reprint", "--key", st.station_key, "--template", kBag, "--format", "pdf", "--out",
                           st.dir + "/re2.pdf", serials[1]});
  CHECK(again.status == 2);
  CHECK(st.labeler({"void", "--key", st.station_key, "ABCDEFGHJK000", "--reason", "x"}).status == 2);
  auto v = st.ledger_cli({"verify"});
  CHECK_MESSAGE(v.status == 0, v.out);
}

TEST_CASE("verify catches a serial added to, or removed from, a job's table") {
  Station st("tamper");
  st.add_packed_lot("LC-TAMPER");
  auto r = st.labeler({"print", "--key", st.station_key, "--lot", "LC-TAMPER", "--count", "4", "--template", kBag,
                       "--format", "zpl", "--out", st.dir + "/t.zpl"});
  REQUIRE_MESSAGE(r.status == 0, r.out);
  std::uint64_t job;
  std::vector<std::string> serials;
  {
    Ledger l = st.open();
    job = last_entry(l);
    serials = job_serials(l, job);
  }
  REQUIRE(st.ledger_cli({"verify"}).status == 0);
  std::string backup = st.dir + "/backup.db";
  fs::copy_file(st.ledger_path, backup);

  auto added = st.sqlite(fmt::format("INSERT INTO codes (serial, lot_id, job_entry) VALUES ('ZZZZZZZZZZZZ0', 'LC-TAMPER', {});", job));
  REQUIRE_MESSAGE(added.status == 0, added.out);
  auto v1 = st.ledger_cli({"verify"});
  CHECK(v1.status == 1);

  fs::copy_file(backup, st.ledger_path, fs::copy_options::overwrite_existing);
  REQUIRE(st.ledger_cli({"verify"}).status == 0);
  auto removed = st.sqlite(fmt::format("DROP TRIGGER codes_no_delete; DELETE FROM codes WHERE serial = '{}';", serials[2]));
  REQUIRE_MESSAGE(removed.status == 0, removed.out);
  auto v2 = st.ledger_cli({"verify"});
  CHECK(v2.status == 1);
}

TEST_CASE("labels go on packed lots only; unknown lots and bad options exit 2 with nothing recorded") {
  Station st("refusals");
  st.add_packed_lot("LC-OK");
  std::uint64_t before = st.open().size();
  CHECK(st.labeler({"print", "--key", st.station_key, "--lot", "HV-1", "--count", "1", "--template", kBag,
                    "--format", "zpl", "--out", st.dir + "/x.zpl"}).status == 2);
  CHECK(st.labeler({"print", "--key", st.station_key, "--lot", "NO-SUCH", "--count", "1", "--template", kBag,
                    "--format", "zpl", "--out", st.dir + "/x.zpl"}).status == 2);
  CHECK(st.labeler({"print", "--key", st.station_key, "--lot", "LC-OK", "--count", "2", "--template", kBag,
                    "--format", "png", "--out", st.dir + "/one.png"}).status == 2);
  CHECK(st.labeler({"print", "--key", st.station_key, "--lot", "LC-OK", "--count", "1", "--template", kBag,
                    "--format", "bmp", "--out", st.dir + "/x.bmp"}).status == 2);
  // A network printer takes ZPL or TSPL (their status queries confirm labels); the batch
  // size is 1 or more; only a dry run prints without the station's key.
  auto pdf = st.labeler({"print", "--key", st.station_key, "--lot", "LC-OK", "--count", "1", "--template", kBag,
                         "--format", "pdf", "--printer", fmt::format("tcp://127.0.0.1:{}", closed_loopback_port())});
  CHECK(pdf.status == 2);
  CHECK(pdf.out.find("--format pdf: a network printer takes --format zpl (Zebra) or tspl (TSC)") != std::string::npos);
  CHECK(st.labeler({"print", "--key", st.station_key, "--lot", "LC-OK", "--count", "1", "--template", kBag,
                    "--format", "zpl", "--out", st.dir + "/x.zpl", "--confirm-every", "0"}).status == 2);
  auto keyless = st.labeler({"print", "--lot", "LC-OK", "--count", "1", "--template", kBag, "--format", "zpl",
                             "--out", st.dir + "/x.zpl"});
  CHECK(keyless.status == 2);
  CHECK(keyless.out.find("--key KEYFILE") != std::string::npos);
  CHECK_FALSE(fs::exists(st.dir + "/x.zpl"));
  CHECK(st.open().size() == before);
}

TEST_CASE("a print the ledger refuses creates no output file or folder") {
  Station st("refused-no-output");
  st.add_packed_lot("LC-FEW", "06901234567892", 10);
  const std::string stranger = st.dir + "/stranger.key";
  REQUIRE(st.ledger_cli({"key", "gen", "--name", "stranger", "--out", stranger}).status == 0);
  struct Case {
    std::string key, count, format, out;
  };
  for (const Case& c : {Case{st.station_key, "500", "zpl", st.dir + "/over.zpl"},
                        Case{st.station_key, "500", "pdf", st.dir + "/overdir/"},
                        Case{st.station_key, "500", "png", st.dir + "/overpng"},
                        Case{stranger, "1", "zpl", st.dir + "/stranger.zpl"}}) {
    CAPTURE(c.out);
    auto r = st.labeler({"print", "--key", c.key, "--lot", "LC-FEW", "--count", c.count, "--template", kBag,
                         "--format", c.format, "--out", c.out});
    CHECK_MESSAGE(r.status == 2, r.out);
    CHECK_FALSE(fs::exists(fs::path(c.out).lexically_normal()));
  }
  CHECK(st.labeler({"print", "--key", st.station_key, "--lot", "LC-FEW", "--count", "10", "--template", kBag,
                    "--format", "zpl", "--out", st.dir + "/ok.zpl"}).status == 0);
}

TEST_CASE("--out creates the output folder itself, never a missing parent") {
  Station st("out-parents");
  st.add_packed_lot("LC-OUT");
  std::uint64_t before = st.open().size();
  for (const std::string& out : {st.dir + "/missing/x/", st.dir + "/missing/x.zpl"}) {
    auto r = st.labeler({"print", "--key", st.station_key, "--lot", "LC-OUT", "--count", "1", "--template", kBag,
                         "--format", "zpl", "--out", out});
    CHECK_MESSAGE(r.status == 2, r.out);
    CHECK(r.out.find("--out") != std::string::npos);
    CHECK(r.out.find("create the parent folder") != std::string::npos);
  }
  CHECK_FALSE(fs::exists(st.dir + "/missing"));
  CHECK(st.open().size() == before);
  auto r = st.labeler({"print", "--key", st.station_key, "--lot", "LC-OUT", "--count", "2", "--template", kBag,
                       "--format", "png", "--out", st.dir + "/labels"});
  CHECK_MESSAGE(r.status == 0, r.out);
  CHECK(fs::is_directory(st.dir + "/labels"));
}

TEST_CASE("both shipped templates print the example season's packed lots, with the grade given at grading") {
  Station st("example-season");
  const std::string season = std::string(AGTRACE_SOURCE_DIR) + "/examples/lucheng-2022";
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(season))
    if (e.path().extension() == ".csv") files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    auto r = st.ledger_cli({"import", "--key", st.clerk_key, "--format", "csv", "--tz", "+08:00", "--encoding",
                            f.find("gb18030") != std::string::npos ? "gb18030" : "utf-8", f});
    REQUIRE_MESSAGE(r.status == 0, f, "\n", r.out);
  }
  {
    Ledger l = st.open();
    auto facts = gather_label_facts(l, "LC22-K-0001");
    CHECK(facts.fields["grade"] == "特级");
    CHECK(facts.fields["inspection_result"] == "合格");
  }
  // The season's lots were packed by CH: its station prints them (rules version 3, a station key
  // acts for its holder).
  const std::string ch_key = st.dir + "/station-ch.key";
  REQUIRE(st.ledger_cli({"key", "gen", "--name", "station-ch", "--out", ch_key}).status == 0);
  auto added = st.ledger_cli({"key", "add", "--log-key", st.log_key, "--pub", ch_key + ".pub", "--role", "station",
                              "--holder", "CH"});
  REQUIRE_MESSAGE(added.status == 0, added.out);
  for (const auto& tpl : {kBox, kBag})
    for (const std::string lot : {"LC22-K-0001", "LC22-K-0002"}) {
      auto r = st.labeler({"print", "--key", ch_key, "--lot", lot, "--count", "2", "--template", tpl,
                           "--format", "png", "--out", st.dir + "/" + lot + fs::path(tpl).stem().string() + "/"});
      CHECK_MESSAGE(r.status == 0, tpl, " ", lot, "\n", r.out);
    }
}

TEST_CASE("a voided code frees its box: a new label may replace it, but no more codes than boxes") {
  Station st("replace");
  st.add_packed_lot("LC-TWO", "06901234567892", 2);
  auto print = [&](const std::string& out) {
    return st.labeler({"print", "--key", st.station_key, "--lot", "LC-TWO", "--count", "1", "--template", kBag,
                       "--format", "zpl", "--out", st.dir + "/" + out});
  };
  REQUIRE(print("1.zpl").status == 0);
  REQUIRE(print("2.zpl").status == 0);
  auto full = print("3.zpl");
  CHECK(full.status == 2);
  CHECK(full.out.find("void its code first") != std::string::npos);
  Ledger l = st.open();
  auto torn = job_serials(l, last_entry(l)).at(0);
  REQUIRE(st.labeler({"void", "--key", st.station_key, torn, "--reason", "torn on the line"}).status == 0);
  auto replacement = print("4.zpl");
  CHECK_MESSAGE(replacement.status == 0, replacement.out);
  CHECK(print("5.zpl").status == 2);
}

TEST_CASE("a recalled lot gets no labels, nor does a lot made from a lot recalled with its descendants") {
  Station st("recalled");
  st.add_packed_lot("LC-RC1");
  st.add_packed_lot("LC-RC2");
  auto recall = st.ledger_cli({"recall", "--key", st.clerk_key, "LC-RC1", "--party", "COOP", "--reason",
                               "毒死蜱超标", "--out", st.dir + "/recall-1"});
  REQUIRE_MESSAGE(recall.status == 0, recall.out);
  // HV-2 is LC-RC2's harvest lot: recalled with its descendants, LC-RC2 is covered too.
  auto upstream = st.ledger_cli({"recall", "--key", st.clerk_key, "HV-2", "--descendants", "--party", "COOP",
                                 "--reason", "毒死蜱超标", "--out", st.dir + "/recall-2"});
  REQUIRE_MESSAGE(upstream.status == 0, upstream.out);
  auto before = st.open().size();
  for (const char* lot : {"LC-RC1", "LC-RC2"}) {
    auto r = st.labeler({"print", "--key", st.station_key, "--lot", lot, "--count", "1", "--template", kBag,
                         "--format", "zpl", "--out", st.dir + "/" + lot + ".zpl"});
    CAPTURE(lot);
    CHECK(r.status == 2);
    CHECK(r.out.find("under recall") != std::string::npos);
    CHECK(r.out.find("毒死蜱超标") != std::string::npos);
    // Chinese first, for the operator.
    CHECK(r.out.find(std::string("批次「") + lot + "」已召回") < r.out.find("under recall"));
  }
  CHECK(st.open().size() == before);
}

TEST_CASE("an ungraded lot's label carries no grade, not the product's grade standard") {
  Station st("ungraded");
  st.add_packed_lot("LC-UG");
  Ledger l = st.open();
  auto facts = gather_label_facts(l, "LC-UG");
  CHECK(facts.fields["grade"].empty());
  // Both shipped templates leave their optional grade element out, and print.
  for (const auto& tpl : {kBox, kBag}) {
    auto r = st.labeler({"print", "--key", st.station_key, "--lot", "LC-UG", "--count", "1", "--template", tpl,
                         "--format", "pdf", "--out", st.dir + "/ug-" + fs::path(tpl).stem().string() + ".pdf"});
    CHECK_MESSAGE(r.status == 0, r.out);
  }
}

TEST_CASE("a lot whose latest inspection failed gets no labels: the refusal is Chinese first, nothing recorded") {
  Station st("failed");
  st.add_packed_lot("LC-FAIL");
  const std::string file = st.dir + "/fail.json";
  std::ofstream(file) << nlohmann::json{{"type", "inspection"}, {"event_id", "spot-fail"}, {"event_time", now_minus_days(1)},
                                        {"party", "COOP"}, {"location", "PACK-1"}, {"lots", {"LC-FAIL"}},
                                        {"report_no", "SC-0009"}, {"result", "fail"},
                                        {"items", {{{"name", "毒死蜱"}, {"measured", "0.09"}, {"limit", "0.02"},
                                                    {"unit", "mg/kg"}, {"result", "fail"}}}}}
                             .dump();
  auto rec = st.ledger_cli({"record", "--key", st.clerk_key, file});
  REQUIRE_MESSAGE(rec.status == 0, rec.out);
  const auto before = st.open().size();
  auto r = st.labeler({"print", "--key", st.station_key, "--lot", "LC-FAIL", "--count", "1", "--template", kBag,
                       "--format", "zpl", "--out", st.dir + "/fail.zpl"});
  CHECK(r.status == 2);
  const auto zh = r.out.find("批次「LC-FAIL」最近一次检测不合格（报告 SC-0009），不能打印标签");
  CHECK(zh != std::string::npos);
  CHECK(zh < r.out.find("the latest inspection (report SC-0009) failed"));
  CHECK(st.open().size() == before);
}

TEST_CASE("show code and show lot say RECALLED for a recalled lot's codes") {
  Station st("show-recalled");
  st.add_packed_lot("LC-SR");
  auto p = st.labeler({"print", "--key", st.station_key, "--lot", "LC-SR", "--count", "1", "--template", kBag,
                       "--format", "zpl", "--out", st.dir + "/sr.zpl"});
  REQUIRE_MESSAGE(p.status == 0, p.out);
  Ledger l = st.open();
  auto serial = job_serials(l, last_entry(l)).at(0);
  REQUIRE(st.ledger_cli({"recall", "--key", st.clerk_key, "LC-SR", "--party", "COOP", "--reason", "抽检不合格",
                         "--out", st.dir + "/recall"}).status == 0);
  auto code = st.ledger_cli({"show", "code", serial});
  CHECK(code.out.find("genuine, RECALLED") != std::string::npos);
  CHECK(code.out.find("抽检不合格") != std::string::npos);
  auto lot = st.ledger_cli({"show", "lot", "LC-SR"});
  CHECK(lot.out.find("RECALLED by") != std::string::npos);
}

TEST_CASE("recalling a lot already under recall is refused; widening a recall to descendants is not") {
  Station st("recall-twice");
  st.add_packed_lot("LC-RT");
  auto recall = [&](const std::vector<std::string>& extra) {
    std::vector<std::string> args = {"recall", "--key", st.clerk_key, "--party", "COOP", "--reason", "抽检不合格",
                                     "--out", st.dir + "/recall-" + std::to_string(st.open().size())};
    args.insert(args.end(), extra.begin(), extra.end());
    return st.ledger_cli(args);
  };
  REQUIRE(recall({"HV-1"}).status == 0);
  auto again = recall({"HV-1"});
  CHECK(again.status == 2);
  CHECK(again.out.find("already under recall") != std::string::npos);
  CHECK(recall({"HV-1", "--descendants"}).status == 0);  // now LC-RT is covered as well
  CHECK(recall({"LC-RT"}).status == 2);
}

TEST_CASE("a lot packed from two harvests of two plots: the label names their common township and \"等 2 个地块\"") {
  Station st("two-plots");
  st.add_packed_lot("LC-ONE");  // one plot: PLOT-1 in 东邑村; also registers the product
  const std::string product = "SCALLION-06901234567892";
  const std::string jsonl = fmt::format(
      R"({{"type":"location","event_id":"loc-area","event_time":"{0}","location_id":"AREA-1","name":"店上镇大葱产区","kind":"base","owner":"COOP","address":"山西省长治市潞城区店上镇"}}
{{"type":"location","event_id":"loc-plot-1-in-area","event_time":"{0}","location_id":"PLOT-1","name":"东邑村3号地块","kind":"plot","owner":"COOP","address":"山西省长治市潞城区店上镇东邑村","parent":"AREA-1"}}
{{"type":"location","event_id":"loc-plot-2","event_time":"{0}","location_id":"PLOT-2","name":"张家河村1号地块","kind":"plot","owner":"COOP","address":"山西省长治市潞城区店上镇张家河村南","parent":"AREA-1"}}
{{"type":"planting","event_id":"planting-A","event_time":"{0}","party":"COOP","location":"PLOT-1","lot":"PL-A","product":"{3}","area_mu":"2"}}
{{"type":"planting","event_id":"planting-B","event_time":"{0}","party":"COOP","location":"PLOT-2","lot":"PL-B","product":"{3}","area_mu":"2"}}
{{"type":"harvest","event_id":"harvest-A","event_time":"{1}","party":"COOP","location":"PLOT-1","lot":"HV-A","from_lot":"PL-A","product":"{3}","quantity":{{"value":"3000","unit":"KGM"}}}}
{{"type":"harvest","event_id":"harvest-B","event_time":"{1}","party":"COOP","location":"PLOT-2","lot":"HV-B","from_lot":"PL-B","product":"{3}","quantity":{{"value":"2000","unit":"KGM"}}}}
{{"type":"transformation","event_id":"merge-AB","event_time":"{2}","party":"COOP","location":"PACK-1","kind":"merge","inputs":[{{"lot":"HV-A","quantity":{{"value":"3000","unit":"KGM"}}}},{{"lot":"HV-B","quantity":{{"value":"2000","unit":"KGM"}}}}],"outputs":[{{"lot":"MIX-AB","product":"{3}","quantity":{{"value":"5000","unit":"KGM"}}}}]}}
{{"type":"inspection","event_id":"inspection-mix","event_time":"{2}","party":"COOP","location":"PACK-1","lots":["MIX-AB"],"report_no":"JC-MIX-1","certificate_no":"HG-MIX-1","result":"pass","items":[{{"name":"毒死蜱","measured":"0.01","limit":"0.05","unit":"mg/kg","result":"pass"}}]}}
{{"type":"packing","event_id":"packing-mix","event_time":"{2}","party":"COOP","location":"PACK-1","input_lot":"MIX-AB","input_quantity":{{"value":"5000","unit":"KGM"}},"lot":"LC-MIX","product":"{3}","count":1000,"pack_size":{{"value":"5","unit":"KGM"}}}}
{{"type":"certificate_issued","event_id":"certificate-mix","event_time":"{2}","number":"HG-MIX-1","style":"producer","issuer":"COOP","lot":"LC-MIX","quantity":{{"value":"1000","unit":"H87"}},"product":"{3}","origin":"AREA-1","bases":[{{"basis":"self_tested","evidence":["inspection-mix"]}}]}}
)",
      now_minus_days(200), now_minus_days(12), now_minus_days(9), product);
  const std::string file = st.dir + "/two-plots.jsonl";
  std::ofstream(file) << jsonl;
  auto rec = st.ledger_cli({"record", "--key", st.clerk_key, file});
  REQUIRE_MESSAGE(rec.status == 0, rec.out);

  Ledger l = st.open();
  LabelTemplate box = load_template(kBox);
  std::string origin_text;
  for (const auto& e : box.elements)
    if (auto* t = std::get_if<TextElement>(&e); t && t->text.find("{origin}") != std::string::npos) origin_text = t->text;
  REQUIRE(!origin_text.empty());
  auto facts = gather_label_facts(l, "LC-MIX");
  CHECK(facts.fields["origin"] == "山西省长治市潞城区店上镇等 2 个地块");
  CHECK(expand_text(origin_text, facts, box.values, "", "") == "产地：山西省长治市潞城区店上镇等 2 个地块");
  // A lot from one plot keeps the plot's address.
  CHECK(gather_label_facts(l, "LC-ONE").fields["origin"] == "山西省长治市潞城区店上镇东邑村");
  // The summary fits both shipped templates.
  for (const auto& tpl : {kBox, kBag}) {
    auto r = st.labeler({"print", "--key", st.station_key, "--lot", "LC-MIX", "--count", "1", "--template", tpl,
                         "--format", "png", "--out", st.dir + "/mix-" + fs::path(tpl).stem().string() + "/"});
    CHECK_MESSAGE(r.status == 0, tpl, "\n", r.out);
  }
}

// Issue 12, "A scanned label is a serial": a handheld scanner types the QR code's URL, and
// every command that takes a serial takes that URL too — of this ledger's base URL only.
TEST_CASE("reprint, void, show code and trace take the scanned QR URL; a label of another host is refused") {
  Station st("scanned");
  st.add_packed_lot("LC-SCAN");
  auto p = st.labeler({"print", "--key", st.station_key, "--lot", "LC-SCAN", "--count", "4", "--template", kBag,
                       "--format", "png", "--out", st.dir + "/scan/"});
  REQUIRE_MESSAGE(p.status == 0, p.out);
  Ledger l0 = st.open();
  auto serials = job_serials(l0, last_entry(l0));
  REQUIRE(serials.size() == 4);
  const std::string base = l0.info().base_url;
  const std::string gtin = "06901234567892";
  auto dl = [&](const std::string& serial) { return digital_link_uri(base, gtin, "LC-SCAN", serial); };
  // What the labels' QR codes hold is what a scanner types.
  for (const auto& uri : decode_dir(st.dir + "/scan/"))
    CHECK(std::find_if(serials.begin(), serials.end(), [&](const std::string& s) { return uri == dl(s); }) !=
          serials.end());

  // reprint: a Digital Link, and the /t/ form with the scheme and host in capitals.
  const std::string upper_t = "HTTPS://TRACE.LUCHENG.EXAMPLE/t/" + serials[1];
  auto rp = st.labeler({"reprint", "--key", st.station_key, "--template", kBag, "--format", "pdf", "--out",
                        st.dir + "/re.pdf", dl(serials[0]), upper_t});
  REQUIRE_MESSAGE(rp.status == 0, rp.out);
  // void: a Digital Link.
  auto vd = st.labeler({"void", "--key", st.station_key, dl(serials[2]), "--reason", "torn on the line"});
  REQUIRE_MESSAGE(vd.status == 0, vd.out);
  {
    Ledger l = st.open();
    CHECK(l.code(serials[0])->reprints == 1);
    CHECK(l.code(serials[1])->reprints == 1);
    CHECK(l.code(serials[2])->voided_entry);
    CHECK_FALSE(l.code(serials[3])->voided_entry);
  }

  // show code and trace: the same serial whether typed or scanned.
  auto shown = st.ledger_cli({"show", "code", dl(serials[3])});
  CHECK_MESSAGE(shown.status == 0, shown.out);
  CHECK(shown.out.find("trace code " + serials[3] + ": genuine") != std::string::npos);
  auto shown_t = st.ledger_cli({"show", "code", "https://trace.lucheng.example/t/" + serials[3]});
  CHECK(shown_t.out == shown.out);
  // As the verifier judges a scan: a genuine serial on a label of another lot or GTIN is not genuine.
  auto other_lot = st.ledger_cli({"show", "code", digital_link_uri(base, gtin, "LC-OTHER", serials[3])});
  CHECK(other_lot.status == 1);
  CHECK(other_lot.out.find("NOT GENUINE: trace code " + serials[3] + " belongs to lot LC-SCAN") != std::string::npos);
  auto other_gtin = st.ledger_cli({"show", "code", digital_link_uri(base, "06901234567885", "LC-SCAN", serials[3])});
  CHECK(other_gtin.status == 1);
  CHECK(other_gtin.out.find("but the label says GTIN 06901234567885") != std::string::npos);
  auto traced = st.ledger_cli({"trace", dl(serials[3]), "--backward", "--json"});
  REQUIRE_MESSAGE(traced.status == 0, traced.out);
  auto j = nlohmann::json::parse(traced.out.substr(traced.out.find('{')));
  CHECK(j["serial"] == serials[3]);
  CHECK(j["start_lot"] == "LC-SCAN");

  // A label of another host (or scheme) is refused, naming it and this ledger's, with nothing recorded.
  const std::size_t size = st.open().size();
  const std::string fake = "https://fake-trace.example/01/" + gtin + "/10/LC-SCAN/21/" + serials[3];
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"reprint", "--key", st.station_key, "--template", kBag, "--format", "pdf", "--out", st.dir + "/f.pdf", fake},
           {"void", "--key", st.station_key, fake, "--reason", "x"},
           {"void", "--key", st.station_key, "http://trace.lucheng.example/t/" + serials[3], "--reason", "x"}}) {
    auto r = st.labeler(args);
    INFO(r.out);
    CHECK(r.status == 2);
    CHECK(r.out.find("not of this ledger's https://trace.lucheng.example") != std::string::npos);
    const bool foreign_host = std::find(args.begin(), args.end(), fake) != args.end();
    CHECK(r.out.find(foreign_host ? "the label is of https://fake-trace.example,"
                                  : "the label is of http://trace.lucheng.example,") != std::string::npos);
  }
  CHECK_FALSE(std::filesystem::exists(st.dir + "/f.pdf"));
  // A genuine serial on a label of another lot or GTIN (a copy) voids and reprints nothing.
  for (const auto& copy : {digital_link_uri(base, gtin, "LC-OTHER", serials[3]),
                           digital_link_uri(base, "06901234567885", "LC-SCAN", serials[3])})
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"reprint", "--key", st.station_key, "--template", kBag, "--format", "pdf", "--out", st.dir + "/c.pdf", copy},
             {"void", "--key", st.station_key, copy, "--reason", "x"}}) {
      auto r = st.labeler(args);
      INFO(r.out);
      CHECK(r.status == 2);
      CHECK(r.out.find("这不是该箱的标签") != std::string::npos);
      CHECK(r.out.find("trace code " + serials[3]) != std::string::npos);
    }
  CHECK_FALSE(std::filesystem::exists(st.dir + "/c.pdf"));
  for (const auto& args : std::vector<std::vector<std::string>>{{"show", "code", fake},
                                                                {"trace", fake, "--forward"}}) {
    auto r = st.ledger_cli(args);
    INFO(r.out);
    CHECK(r.status == 2);
    CHECK(r.out.find("the label is of https://fake-trace.example, not of this ledger's https://trace.lucheng.example") !=
          std::string::npos);
  }
  Ledger l = st.open();
  CHECK(l.size() == size);
  CHECK_FALSE(l.code(serials[3])->voided_entry);
}

TEST_CASE("a lot without its 承诺达标合格证: print names the missing certificate, not a template field; nothing written") {
  Station st("no-certificate");
  st.add_packed_lot("LC-NOCERT", "06901234567892", 2000, false);
  const auto before = st.open().size();
  const std::string out = st.dir + "/no-certificate/";
  auto r = st.labeler({"print", "--key", st.station_key, "--lot", "LC-NOCERT", "--count", "2", "--template", kBox,
                       "--format", "png", "--out", out});
  CHECK(r.status == 2);
  CHECK_MESSAGE(r.out.find("批次「LC-NOCERT」（产品 SCALLION-06901234567892）没有有效的承诺达标合格证，不能打印标签") !=
                    std::string::npos,
                r.out);
  CHECK(r.out.find("has no value for") == std::string::npos);
  CHECK(st.open().size() == before);
  CHECK(!fs::exists(out));
}
