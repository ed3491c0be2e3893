// Status answers (status.h): the ZPL II Programming Guide's ~HS strings and the TSPL
// <ESC>!? byte, field by field; a stream split anywhere gives the same answers; bytes that
// are not an answer are refused.
#include <doctest/doctest.h>

#include <string>

#include "labeler/printer/status.h"
#include "ledger/util/error.h"

using namespace agtrace;
using namespace agtrace::labeler;

namespace {

// A ~HS answer as the guide lays it out: <STX>string<ETX><CR><LF>, three times.
std::string hs(const std::string& s1, const std::string& s2, const std::string& s3 = "1234,0") {
  return "\x02" + s1 + "\x03\r\n\x02" + s2 + "\x03\r\n\x02" + s3 + "\x03\r\n";
}
const std::string kReady1 = "030,0,0,0812,000,0,0,0,000,0,0,0";
const std::string kReady2 = "001,0,0,0,1,2,6,0,00000000,1,000";

}  // namespace

TEST_CASE("ZPL ~HS: a ready printer, and each flag of strings 1 and 2 at its documented position") {
  auto ok = parse_zpl_host_status(hs(kReady1, kReady2));
  CHECK(ok.ready());
  CHECK(ok.problem().empty());
  // b paper out, c pause (string 1)
  auto paper = parse_zpl_host_status(hs("030,1,0,0812,000,0,0,0,000,0,0,0", kReady2));
  CHECK(paper.paper_out);
  CHECK_FALSE(paper.ready());
  CHECK(paper.problem().find("打印机缺纸") == 0);
  CHECK(paper.problem().find("装纸") != std::string::npos);
  auto paused = parse_zpl_host_status(hs("030,0,1,0812,000,0,0,0,000,0,0,0", kReady2));
  CHECK(paused.paused);
  CHECK(paused.problem().find("取消暂停") != std::string::npos);
  // o head up, p ribbon out (string 2)
  auto head = parse_zpl_host_status(hs(kReady1, "001,0,1,0,1,2,6,0,00000000,1,000"));
  CHECK(head.head_open);
  CHECK(head.problem().find("合上打印头") != std::string::npos);
  auto ribbon = parse_zpl_host_status(hs(kReady1, "001,0,0,1,1,2,6,0,00000000,1,000"));
  CHECK(ribbon.ribbon_out);
  CHECK_FALSE(ribbon.ready());
  // j corrupt RAM, k under, l over temperature; eee formats, f buffer full (a warning only)
  auto hot = parse_zpl_host_status(hs("030,0,0,0812,012,1,0,0,000,0,0,1", "001,0,0,0,1,2,6,0,00000007,1,000"));
  CHECK(hot.over_temperature);
  CHECK_FALSE(hot.under_temperature);
  CHECK(hot.formats_in_buffer == 12);
  CHECK(hot.buffer_full);
  CHECK(hot.labels_remaining == 7);
  CHECK_FALSE(hot.ready());
  auto full = parse_zpl_host_status(hs("030,0,0,0812,012,1,0,0,000,0,0,0", kReady2));
  CHECK(full.ready());
  // The communication settings field (aaa) is not a fault however it reads.
  CHECK(parse_zpl_host_status(hs("255,0,0,0812,000,0,0,0,000,0,0,0", kReady2)).ready());
}

TEST_CASE("ZPL ~HS: answers split anywhere in a stream parse the same; CR LF between answers belong to none") {
  std::string stream = hs(kReady1, kReady2) + hs("030,1,0,0812,000,0,0,0,000,0,0,0", kReady2) + hs(kReady1, kReady2);
  for (std::size_t cut = 0; cut <= stream.size(); ++cut) {
    StatusParser p(PrinterLanguage::zpl);
    auto a = p.feed(stream.substr(0, cut));
    auto b = p.feed(stream.substr(cut));
    a.insert(a.end(), b.begin(), b.end());
    CAPTURE(cut);
    REQUIRE(a.size() == 3);
    CHECK(a[0].ready());
    CHECK(a[1].paper_out);
    CHECK(a[2].ready());
  }
}

TEST_CASE("ZPL ~HS: bytes that are not an answer are refused, naming what is wrong") {
  auto refused = [](const std::string& answer, const std::string& why) {
    try {
      parse_zpl_host_status(answer);
      FAIL("parsed: " << answer);
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::environment);
      CHECK_MESSAGE(std::string(e.what()).find(why) != std::string::npos, e.what());
      CHECK(std::string(e.what()).find("打印机的状态应答无法识别") == 0);
    }
  };
  refused("OK\r\n", "does not start with <STX>");
  refused("\x02" + kReady1 + "\x03\r\n", "1 strings instead of 3");
  refused(hs("030,0", kReady2), "string 1 has 2 fields");
  refused(hs(kReady1, "001,0"), "string 2 has 2 fields");
  refused(hs("030,x,0,0812,000,0,0,0,000,0,0,0", kReady2), "string 1 field 2 is \"x\"");
  StatusParser p(PrinterLanguage::zpl);
  CHECK_THROWS_AS(p.feed(std::string(5000, 'A')), Error);
}

TEST_CASE("TSPL <ESC>!?: one byte per answer, each bit its documented fault; printing alone is ready") {
  CHECK(status_query(PrinterLanguage::tspl) == "\x1B!?");
  CHECK(status_query(PrinterLanguage::zpl) == "~HS");
  CHECK(decode_tspl_status(0x00).ready());
  CHECK(decode_tspl_status(0x20).ready());
  CHECK(decode_tspl_status(0x20).printing);
  CHECK(decode_tspl_status(0x01).head_open);
  CHECK(decode_tspl_status(0x02).paper_jam);
  CHECK(decode_tspl_status(0x04).paper_out);
  CHECK(decode_tspl_status(0x08).ribbon_out);
  CHECK(decode_tspl_status(0x10).paused);
  CHECK(decode_tspl_status(0x40).cover_open);
  CHECK(decode_tspl_status(0x80).over_temperature);
  for (unsigned b : {0x01u, 0x02u, 0x04u, 0x08u, 0x10u, 0x40u, 0x80u, 0x25u}) {
    CAPTURE(b);
    CHECK_FALSE(decode_tspl_status(static_cast<unsigned char>(b)).ready());
  }
  auto both = decode_tspl_status(0x05);  // out of paper and head opened
  CHECK(both.problem().find("装纸") != std::string::npos);
  CHECK(both.problem().find("合上打印头") != std::string::npos);
  StatusParser p(PrinterLanguage::tspl);
  auto answers = p.feed(std::string("\x00\x04\x20", 3));
  REQUIRE(answers.size() == 3);
  CHECK(answers[0].ready());
  CHECK(answers[1].paper_out);
  CHECK(answers[2].ready());
  CHECK(printer_language("zpl") == PrinterLanguage::zpl);
  CHECK(printer_language("tspl") == PrinterLanguage::tspl);
  CHECK_FALSE(printer_language("pdf"));
}
