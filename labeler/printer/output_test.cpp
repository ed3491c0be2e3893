// Outputs (DESIGN §4 "Outputs", "Job order"): folders name files by label, stream formats
// need a folder or one file, printer URLs are tcp://HOST:PORT, and a label is confirmed
// only once the printer answered a status query sent after it.
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "labeler/printer/output.h"
#include "ledger/util/error.h"

using namespace agtrace;
using namespace agtrace::labeler;
namespace fs = std::filesystem;

namespace {

fs::path fresh(const std::string& name) {
  fs::path p = fs::temp_directory_path() / ("agtrace-output-test-" + std::to_string(::getpid())) / name;
  fs::remove_all(p);
  fs::create_directories(p.parent_path());
  return p;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("a folder gets one file per label, named by position and serial") {
  fs::path dir = fresh("folder");
  auto out = open_output({dir.string() + "/", "", {}}, "png", true, 2, "x");
  out->write_preamble("");
  out->write_label(0, "AAAAAAAAAAAA0", "one");
  out->write_label(1, "BBBBBBBBBBBB0", "two");
  out->finish();
  CHECK(out->written() == 2);
  CHECK(out->confirmed() == 2);
  CHECK(slurp(dir / "00001-AAAAAAAAAAAA0.png") == "one");
  CHECK(slurp(dir / "00002-BBBBBBBBBBBB0.png") == "two");
}

TEST_CASE("several PNG labels into a new path without '/' or .png go into a folder of that name") {
  fs::path dir = fresh("labels");
  auto out = open_output({dir.string(), "", {}}, "png", true, 2, "x");
  out->write_label(0, "AAAAAAAAAAAA0", "one");
  out->finish();
  CHECK(slurp(dir / "00001-AAAAAAAAAAAA0.png") == "one");
}

TEST_CASE("a stream format writes one file; into a folder it is named by the job") {
  fs::path file = fresh("one.zpl");
  auto out = open_output({file.string(), "", {}}, "zpl", false, 3, "x");
  out->write_preamble("P");
  out->write_label(0, "S", "A");
  out->write_trailer("T");
  out->finish();
  CHECK(slurp(file) == "PAT");
  fs::path dir = fresh("dir");
  fs::create_directories(dir);
  auto out2 = open_output({dir.string(), "", {}}, "pdf", false, 3, "JOB-3");
  out2->write_label(0, "S", "%PDF");
  out2->finish();
  CHECK(slurp(dir / "JOB-3.pdf") == "%PDF");
}

TEST_CASE("bad output specs are bad input") {
  CHECK_THROWS_AS(open_output({"", "", {}}, "zpl", false, 1, "x"), Error);
  CHECK_THROWS_AS(open_output({"a", "tcp://h:9100", {}}, "zpl", false, 1, "x"), Error);
  CHECK_THROWS_AS(open_output({"", "lpd://h", {}}, "zpl", false, 1, "x"), Error);
  CHECK_THROWS_AS(open_output({"", "tcp://h:port", {}}, "zpl", false, 1, "x"), Error);
  CHECK_THROWS_AS(open_output({fresh("x.png").string(), "", {}}, "png", true, 2, "x"), Error);
  CHECK_THROWS_AS(open_output({"-", "", {}}, "svg", true, 2, "x"), Error);
  // A path in no existing folder is the operator's to fix: bad input (exit 2), not the machine's.
  try {
    open_output({"/proc/no/such/dir/x.zpl", "", {}}, "zpl", false, 1, "x");
    FAIL("opened");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::bad_input);
    CHECK(std::string(e.what()).find("create the parent folder") != std::string::npos);
  }
}

TEST_CASE("only the output folder itself is created, never a missing parent") {
  fs::path parent = fresh("missing-parent");
  for (const std::string& out : {(parent / "x").string() + "/", (parent / "x").string(), (parent / "x.pdf").string()}) {
    CAPTURE(out);
    try {
      open_output({out, "", {}}, out.ends_with(".pdf") ? "pdf" : "png", true, 2, "x");
      FAIL("opened");
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::bad_input);
      CHECK(std::string(e.what()).find("--out " + out + ": the folder " + parent.string() + " does not exist") !=
            std::string::npos);
    }
  }
  CHECK_FALSE(fs::exists(parent));
  fs::create_directories(parent);
  auto out = open_output({(parent / "x").string() + "/", "", {}}, "pdf", false, 1, "JOB");
  CHECK(fs::is_directory(parent / "x"));
}

TEST_CASE("a TCP printer: every byte arrives, and a label is confirmed only by an answer to a later ~HS") {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  REQUIRE(::listen(fd, 1) == 0);
  std::string got;
  std::vector<std::size_t> answered_at;  // bytes received when each query was answered
  std::thread t([&] {
    int c = ::accept(fd, nullptr, nullptr);
    char buf[4096];
    ssize_t n;
    std::size_t scanned = 0;
    while ((n = ::read(c, buf, sizeof buf)) > 0) {
      got.append(buf, static_cast<std::size_t>(n));
      for (std::size_t q; (q = got.find("~HS", scanned)) != std::string::npos; scanned = q + 3) {
        answered_at.push_back(q + 3);
        std::string answer = "\x02" "030,0,0,0812,000,0,0,0,000,0,0,0\x03\r\n\x02" "001,0,0,0,1,2,6,0,00000000,1,000\x03\r\n\x02" "1234,0\x03\r\n";
        REQUIRE(::write(c, answer.data(), answer.size()) == static_cast<ssize_t>(answer.size()));
      }
      if (got.size() >= 3) scanned = std::max(scanned, got.size() - 2);
    }
    ::close(c);
  });
  std::string url = "tcp://127.0.0.1:" + std::to_string(ntohs(a.sin_port));
  {
    auto out = open_output({"", url, std::chrono::milliseconds(5000), 30}, "zpl", false, 100, "x");
    CHECK(out->describe() == url);
    out->check_ready();
    CHECK(out->confirmed() == 0);
    out->write_preamble("~DG");
    std::string label(5000, 'L');
    for (std::size_t i = 0; i < 100; ++i) {
      out->write_label(i, "S", label);
      CHECK(out->written() == i + 1);
      CHECK(out->confirmed() <= out->written());
      CHECK(out->written() - out->confirmed() <= 60);  // at most two batches ahead of the last answer
    }
    out->write_trailer("");
    out->finish();
    CHECK(out->confirmed() == 100);
  }
  t.join();
  ::close(fd);
  // The ready check, after labels 30, 60 and 90, and at the end.
  CHECK(answered_at.size() == 5);
  CHECK(got.size() == 5 * 3 + 3 + 100 * 5000);
}

TEST_CASE("a network printer takes ZPL or TSPL only: their status queries confirm the labels") {
  try {
    open_output({"", "tcp://127.0.0.1:9", {}}, "pdf", false, 1, "x");
    FAIL("opened");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::bad_input);
    CHECK(std::string(e.what()).find("--format pdf") != std::string::npos);
  }
}

TEST_CASE("discard() removes what opening created, and nothing else") {
  fs::path file = fresh("discard.zpl");
  open_output({file.string(), "", {}}, "zpl", false, 1, "x")->discard();
  CHECK_FALSE(fs::exists(file));
  fs::path dir = fresh("discard-dir");
  open_output({dir.string() + "/", "", {}}, "pdf", false, 1, "JOB")->discard();
  CHECK_FALSE(fs::exists(dir));
  open_output({dir.string() + "/", "", {}}, "png", true, 2, "JOB")->discard();
  CHECK_FALSE(fs::exists(dir));
  fs::create_directories(dir);
  open_output({dir.string() + "/", "", {}}, "pdf", false, 1, "JOB")->discard();
  CHECK(fs::is_directory(dir));
  CHECK(fs::is_empty(dir));
}
