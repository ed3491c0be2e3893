// agtrace-labeler end to end against a real ledger (issue 3, "What it must show"): codes
// decode to their Digital Links (zbar, ZXing, GS1's digital-link.js), lots with '/', '%',
// a space and Chinese round-trip, a TCP listener receives exactly the ZPL, an unreachable
// printer records nothing, a printer that hangs up leaves the unsent serials voided,
// reprint and void are ledger entries, and verify catches serials added to or removed
// from a job's table.
#include <doctest/doctest.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <thread>

#include "labeler/code/digital_link.h"
#include "labeler/template/content.h"
#include "labeler/tests/station.h"
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

// A loopback listener standing in for a printer on raw TCP.
class Listener {
 public:
  // Accepts one connection; reads until EOF, or until `stop_after` bytes and then closes.
  explicit Listener(std::size_t stop_after = SIZE_MAX, int rcvbuf = 0) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (rcvbuf) ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    socklen_t len = sizeof a;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    REQUIRE(::listen(fd_, 1) == 0);
    thread_ = std::thread([this, stop_after] {
      int c = ::accept(fd_, nullptr, nullptr);
      if (c < 0) return;
      char buf[1024];
      while (received_.size() < stop_after) {
        ssize_t n = ::read(c, buf, std::min(sizeof buf, stop_after - received_.size()));
        if (n <= 0) break;
        received_.append(buf, static_cast<std::size_t>(n));
      }
      // What this end's TCP stack acknowledged but the "printer" never read.
      int inq = 0;
      ::ioctl(c, FIONREAD, &inq);
      unread_ = static_cast<std::size_t>(inq);
      ::close(c);
    });
  }
  ~Listener() {
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    if (thread_.joinable()) thread_.join();
  }
  std::string url() const { return fmt::format("tcp://127.0.0.1:{}", port_); }
  const std::string& received() {
    if (thread_.joinable()) thread_.join();
    return received_;
  }
  // Bytes acknowledged but left unread when the listener closed.
  std::size_t unread() {
    received();
    return unread_;
  }

 private:
  int fd_ = -1;
  int port_ = 0;
  std::thread thread_;
  std::string received_;
  std::size_t unread_ = 0;
};

// A port with nobody listening.
int closed_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

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
  Listener printer;
  auto r = st.labeler({"print", "--key", st.station_key, "--lot", "LC-TCP", "--count", "25", "--template", kBag,
                       "--format", "zpl", "--printer", printer.url()});
  REQUIRE_MESSAGE(r.status == 0, r.out);
  std::string received = printer.received();
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
                       "--format", "zpl", "--printer", fmt::format("tcp://127.0.0.1:{}", closed_port()),
                       "--timeout-ms", "2000"});
  CHECK(r.status == 3);
  CHECK(r.out.find("unreachable") != std::string::npos);
  CHECK(st.open().size() == before);
}

TEST_CASE("a printer that closes halfway leaves the unsent serials voided, the delivered ones issued") {
  Station st("halfway");
  st.add_packed_lot("LC-HALF");
  constexpr std::size_t kCount = 400;
  Listener printer(30000, 4096);
  auto r = st.labeler({"print", "--key", st.station_key, "--lot", "LC-HALF", "--count", std::to_string(kCount),
                       "--template", kBag, "--format", "zpl", "--printer", printer.url(), "--timeout-ms", "3000"});
  CHECK_MESSAGE(r.status == 3, r.out);
  std::string received = printer.received();
  CHECK(received.size() == 30000);
  Ledger l = st.open();
  std::uint64_t void_entry = last_entry(l);
  auto ev = l.entry(void_entry).event;
  REQUIRE(ev["type"] == "labels_voided");
  std::uint64_t job = void_entry - 1;
  CHECK(l.entry(job).event["type"] == "labels_issued");
  CHECK(l.entry(job).event["count"] == kCount);
  // Labels wholly received are not voided; everything never received is.
  std::set<std::string> whole;
  std::regex label_re(R"(\^XA[\s\S]*?/21/([0-9A-Z]{13})\^FS[\s\S]*?\^XZ)");
  for (auto it = std::sregex_iterator(received.begin(), received.end(), label_re); it != std::sregex_iterator(); ++it)
    whole.insert((*it)[1]);
  CHECK(!whole.empty());
  // The labeler counts a label delivered once the printer's TCP stack acknowledged all of
  // it (sampled while sending; the last labels acknowledged just before the hang-up may
  // be voided too: the safe side). The listener's stack acknowledged what it read plus
  // what it left unread; labels of this job all have the same length, so the number of
  // labels wholly acknowledged is known, and everything beyond must be voided.
  std::size_t preamble = received.find("^XA");
  std::size_t second = received.find("^XA", preamble + 1);
  REQUIRE(second != std::string::npos);
  std::size_t label_bytes = second - preamble;
  std::size_t acked = received.size() + printer.unread();
  std::size_t acked_labels = (acked - preamble) / label_bytes;
  std::size_t voided = 0, received_but_voided = 0;
  for (const auto& s : job_serials(l, job)) {
    auto c = l.code(s);
    if (whole.count(s) && c->voided_entry) ++received_but_voided;
    if (c->voided_entry) ++voided;
  }
  CHECK(voided == ev["count"].get<std::size_t>());
  CHECK(kCount - voided <= acked_labels);  // nothing unacknowledged counted delivered
  CHECK(received_but_voided <= 8);
  MESSAGE(fmt::format("{} labels wholly received, {} acknowledged, {} voided ({} of them received)", whole.size(),
                      acked_labels, voided, received_but_voided));
  auto v = st.ledger_cli({"verify"});
  CHECK_MESSAGE(v.status == 0, v.out);
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
  for (const auto& tpl : {kBox, kBag})
    for (const std::string lot : {"LC22-K-0001", "LC22-K-0002"}) {
      auto r = st.labeler({"print", "--key", st.station_key, "--lot", lot, "--count", "2", "--template", tpl,
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
      R"({{"type":"location","event_id":"loc-plot-2","event_time":"{0}","location_id":"PLOT-2","name":"张家河村1号地块","kind":"plot","owner":"COOP","address":"山西省长治市潞城区店上镇张家河村南"}}
{{"type":"planting","event_id":"planting-A","event_time":"{0}","party":"COOP","location":"PLOT-1","lot":"PL-A","product":"{3}","area_mu":"2"}}
{{"type":"planting","event_id":"planting-B","event_time":"{0}","party":"COOP","location":"PLOT-2","lot":"PL-B","product":"{3}","area_mu":"2"}}
{{"type":"harvest","event_id":"harvest-A","event_time":"{1}","party":"COOP","location":"PLOT-1","lot":"HV-A","from_lot":"PL-A","product":"{3}","quantity":{{"value":"3000","unit":"KGM"}}}}
{{"type":"harvest","event_id":"harvest-B","event_time":"{1}","party":"COOP","location":"PLOT-2","lot":"HV-B","from_lot":"PL-B","product":"{3}","quantity":{{"value":"2000","unit":"KGM"}}}}
{{"type":"transformation","event_id":"merge-AB","event_time":"{2}","party":"COOP","location":"PACK-1","kind":"merge","inputs":[{{"lot":"HV-A","quantity":{{"value":"3000","unit":"KGM"}}}},{{"lot":"HV-B","quantity":{{"value":"2000","unit":"KGM"}}}}],"outputs":[{{"lot":"MIX-AB","product":"{3}","quantity":{{"value":"5000","unit":"KGM"}}}}]}}
{{"type":"inspection","event_id":"inspection-mix","event_time":"{2}","party":"COOP","location":"PACK-1","lots":["MIX-AB"],"report_no":"JC-MIX-1","certificate_no":"HG-MIX-1","result":"pass","items":[{{"name":"毒死蜱","measured":"0.01","limit":"0.05","unit":"mg/kg","result":"pass"}}]}}
{{"type":"packing","event_id":"packing-mix","event_time":"{2}","party":"COOP","location":"PACK-1","input_lot":"MIX-AB","input_quantity":{{"value":"5000","unit":"KGM"}},"lot":"LC-MIX","product":"{3}","count":1000,"pack_size":{{"value":"5","unit":"KGM"}}}}
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
