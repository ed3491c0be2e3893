// Tests for text decoding (UTF-8, GB18030), the RFC 4180 reader and the
// spreadsheet-safe writer.
#include <doctest/doctest.h>

#include <functional>
#include <string>

#include "ledger/csv/csv_reader.h"
#include "ledger/csv/csv_writer.h"
#include "ledger/csv/text_decoding.h"
#include "ledger/testing/expect_error.h"
#include "ledger/util/error.h"

using namespace agtrace;
using namespace agtrace::csv;

namespace {

using testing::bad_input_message;
using testing::contains;

// "潞城大葱,熬脑村\n𠮷" in GB18030 (iconv -f utf-8 -t gb18030): two-byte
// characters, an ASCII comma and line feed, and a four-byte character.
const std::string kGb18030Sample =
    "\xC2\xBA\xB3\xC7\xB4\xF3\xB4\xD0,\xB0\xBE\xC4\xD4\xB4\xE5\n\x95\x34\xB2\x35";
const std::string kUtf8Sample = "潞城大葱,熬脑村\n𠮷";

}  // namespace

TEST_CASE("UTF-8: one leading byte-order mark is stripped, the text is kept as is") {
  CHECK(decode_to_utf8("\xEF\xBB\xBFlot,品名\r\n", "utf-8", "f.csv") == "lot,品名\r\n");
  CHECK(decode_to_utf8("lot,品名", "UTF8", "f.csv") == "lot,品名");
  CHECK(decode_to_utf8("\xEF\xBB\xBF\xEF\xBB\xBF"
                       "a",
                       "utf-8", "f.csv") ==
        "\xEF\xBB\xBF"
        "a");
  CHECK(decode_to_utf8("", "utf-8", "f.csv").empty());
  CHECK(decode_to_utf8("\xF0\x9F\x8C\xBD \xF4\x8F\xBF\xBF", "utf-8", "f.csv") ==
        "\xF0\x9F\x8C\xBD \xF4\x8F\xBF\xBF");  // U+1F33D and U+10FFFF are fine
}

TEST_CASE("UTF-8 validation refuses ill-formed sequences (Unicode Table 3-7)") {
  const char* bad[] = {
      "\xC0\xAF",          // overlong '/'
      "\xE0\x80\xAF",      // overlong, three bytes
      "\xF0\x80\x80\xAF",  // overlong, four bytes
      "\xED\xA0\x80",      // surrogate U+D800
      "\xF4\x90\x80\x80",  // U+110000
      "\x80",              // continuation without lead
      "\xE6\xBD",          // truncated at end of file
      "\xE6\x41\x9E",      // continuation byte missing
      "\xFF",              // never in UTF-8
  };
  for (const char* bytes : bad) {
    CAPTURE(bytes);
    CHECK_THROWS_AS(decode_to_utf8(bytes, "utf-8", "f.csv"), Error);
  }
}

TEST_CASE("UTF-8 errors name the file, byte offset and line") {
  const std::string msg = bad_input_message(
      [] { decode_to_utf8("\xEF\xBB\xBFlot,qty\nA1,\xC0\xAF\n", "utf-8", "in.csv"); });
  CHECK(contains(msg, "in.csv"));
  CHECK(contains(msg, "byte offset 14"));  // counted from the file start, BOM included
  CHECK(contains(msg, "line 2"));
  CHECK(contains(msg, "overlong"));
  CHECK(!contains(msg, "gb18030"));  // a file with a UTF-8 BOM is never GB18030
  // 0x80 cannot start a GB18030 character either, so no suggestion.
  CHECK(!contains(bad_input_message([] { decode_to_utf8("a\x80", "utf-8", "f.csv"); }), "gb18030"));
}

TEST_CASE("GB18030 bytes read as UTF-8 suggest --encoding gb18030") {
  const std::string msg =
      bad_input_message([] { decode_to_utf8(kGb18030Sample, "utf-8", "bases.csv"); });
  CHECK(contains(msg, "bases.csv"));
  CHECK(contains(msg, "line 1"));
  CHECK(contains(msg, "--encoding gb18030"));
}

TEST_CASE("UTF-16 files are recognised") {
  const std::string msg =
      bad_input_message([] { decode_to_utf8(std::string("\xFF\xFEl\0o\0", 6), "utf-8", "u.csv"); });
  CHECK(contains(msg, "UTF-16"));
}

TEST_CASE("GB18030 (and its aliases) converts to UTF-8") {
  CHECK(decode_to_utf8(kGb18030Sample, "gb18030", "f.csv") == kUtf8Sample);
  CHECK(decode_to_utf8(kGb18030Sample, "GBK", "f.csv") == kUtf8Sample);
  CHECK(decode_to_utf8(kGb18030Sample, "gb2312", "f.csv") == kUtf8Sample);
  // The GB18030 encoding of U+FEFF is dropped like a UTF-8 BOM.
  CHECK(decode_to_utf8("\x84\x31\x95\x33"
                       "a",
                       "gb18030", "f.csv") == "a");
}

TEST_CASE("GB18030 errors name the file, byte offset and line") {
  std::string msg = bad_input_message([] { decode_to_utf8("a,b\nc,\x80\n", "gb18030", "g.csv"); });
  CHECK(contains(msg, "g.csv"));
  CHECK(contains(msg, "byte offset 6"));
  CHECK(contains(msg, "line 2"));
  msg = bad_input_message([] { decode_to_utf8("a\n\xC2", "gb18030", "g.csv"); });
  CHECK(contains(msg, "ends inside a character"));
  CHECK(contains(msg, "line 2"));
  msg = bad_input_message([] {
    decode_to_utf8(
        "\xEF\xBB\xBF"
        "a",
        "gb18030", "g.csv");
  });
  CHECK(contains(msg, "drop --encoding gb18030"));
}

TEST_CASE("a UTF-8 file read as GB18030 that does not decode says it is UTF-8") {
  // "葱," in UTF-8 (E8 91 B1 2C): GB18030 reads E8 91 as one character, then B1 2C is none.
  const std::string msg = bad_input_message([] { decode_to_utf8("\xE8\x91\xB1,a\n", "gb18030", "u.csv"); });
  CHECK(contains(msg, "u.csv line 1"));
  CHECK(contains(msg, "the file is UTF-8, not GB18030"));
  CHECK(contains(msg, "drop --encoding gb18030"));
  CHECK(is_utf8_encoding("UTF-8"));
  CHECK(is_utf8_encoding("utf8"));
  CHECK_FALSE(is_utf8_encoding("gbk"));
}

TEST_CASE("a UTF-8 file that GB18030 would decode in full into mojibake is refused, naming the line") {
  // Issue 12: 潞城区店上镇 in UTF-8 is also valid GB18030, and reads as 娼炲煄鍖哄簵涓婇晣.
  const std::string bytes = "lot,village\nA1,ok\nA2,潞城区店上镇\n";
  const std::string msg = bad_input_message([&] { decode_to_utf8(bytes, "gb18030", "c.csv"); });
  CHECK(contains(msg, "c.csv line 3"));
  CHECK(contains(msg, "\"潞城区店上镇\""));
  CHECK(contains(msg, "\"娼炲煄鍖哄簵涓婇晣\""));
  CHECK(contains(msg, "drop --encoding gb18030"));
  for (const char* name : {"GBK", "gb2312"})
    CHECK(contains(bad_input_message([&] { decode_to_utf8(bytes, name, "c.csv"); }), "drop --encoding"));
}

TEST_CASE("a short GB18030 text that happens to be well-formed UTF-8 is the GB18030 the clerk named") {
  // 陆 (GB18030 C2 BD) reads as "½" in UTF-8, 太原 (CC AB D4 AD) as "̫ԭ": not Chinese, while
  // the GB18030 reading is, so --encoding gb18030 is believed, not refused.
  const std::string bytes = "name,contact,address\nTaiyuan Fresh,\xC2\xBD,\xCC\xAB\xD4\xAD\n";
  CHECK(decode_to_utf8(bytes, "gb18030", "f.csv") == "name,contact,address\nTaiyuan Fresh,陆,太原\n");
  // Chinese in its UTF-8 reading is still UTF-8, refused as GB18030.
  CHECK(contains(bad_input_message([&] { decode_to_utf8("a,\xC2\xBD,太原\n", "gb18030", "g.csv"); }),
                 "drop --encoding gb18030"));
}

TEST_CASE("pure ASCII is both UTF-8 and GB18030: accepted either way, unchanged") {
  const std::string ascii = "lot,qty\r\nA1,5\r\n";
  CHECK(decode_to_utf8(ascii, "gb18030", "a.csv") == ascii);
  CHECK(decode_to_utf8(ascii, "utf-8", "a.csv") == ascii);
}

TEST_CASE("U+FFFD in the decoded text is refused, naming the line, in either encoding") {
  std::string msg = bad_input_message([] { decode_to_utf8("a,b\nc,\xEF\xBF\xBD\n", "utf-8", "r.csv"); });
  CHECK(contains(msg, "r.csv line 2"));
  CHECK(contains(msg, "U+FFFD"));
  // The same after a BOM: the line is still counted from the file's start.
  msg = bad_input_message([] { decode_to_utf8("\xEF\xBB\xBF" "a\n\nx\xEF\xBF\xBD", "utf-8", "r.csv"); });
  CHECK(contains(msg, "r.csv line 3"));
  // GB18030 encodes U+FFFD as 84 31 A4 37.
  msg = bad_input_message([] { decode_to_utf8("\xC2\xBA\n\x84\x31\xA4\x37\n", "gb18030", "g.csv"); });
  CHECK(contains(msg, "g.csv line 2"));
  CHECK(contains(msg, "U+FFFD"));
}

TEST_CASE("GB18030 bytes read as UTF-8 name the line and say to add --encoding gb18030") {
  const std::string msg = bad_input_message([] { decode_to_utf8("lot\nA1\n" + kGb18030Sample, "utf-8", "g.csv"); });
  CHECK(contains(msg, "g.csv line 3"));
  CHECK(contains(msg, "add --encoding gb18030"));
}

TEST_CASE("check_utf8_text: short texts (key names) must be UTF-8 without U+FFFD") {
  check_utf8_text("clerk-潞城", "--name");
  std::string msg = bad_input_message([] { check_utf8_text("clerk-\xC2\xBA\xB3\xC7", "--name"); });
  CHECK(contains(msg, "--name"));
  CHECK(contains(msg, "GB18030"));
  CHECK(contains(msg, "UTF-8 locale"));
  msg = bad_input_message([] { check_utf8_text("clerk-\xEF\xBF\xBD", "--name"); });
  CHECK(contains(msg, "U+FFFD"));
  CHECK(contains(msg, "byte offset 6"));
}

TEST_CASE("unknown encodings are refused with the accepted list") {
  const std::string msg = bad_input_message([] { decode_to_utf8("a", "big5", "f.csv"); });
  CHECK(contains(msg, "'big5'"));
  CHECK(contains(msg, "gb18030"));
}

TEST_CASE("records split on LF and CRLF, blank lines are skipped, lines are counted") {
  const auto rows = parse_csv("a,b\r\n\r\nc,d\n\ne,f", "f.csv");
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].line == 1);
  CHECK(rows[0].fields == std::vector<std::string>{"a", "b"});
  CHECK(rows[1].line == 3);
  CHECK(rows[1].fields == std::vector<std::string>{"c", "d"});
  CHECK(rows[2].line == 5);
  CHECK(rows[2].fields == std::vector<std::string>{"e", "f"});
  CHECK(parse_csv("", "f.csv").empty());
  CHECK(parse_csv("\n\r\n", "f.csv").empty());
}

TEST_CASE("empty fields, trailing separators and spaces are kept") {
  const auto rows = parse_csv(",\n a ,\"\"\n,,\n", "f.csv");
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].fields == std::vector<std::string>{"", ""});
  CHECK(rows[1].fields == std::vector<std::string>{" a ", ""});
  CHECK(rows[2].fields == std::vector<std::string>{"", "", ""});
}

TEST_CASE("quoted fields hold commas, doubled quotes and line ends (RFC 4180 §2.6-2.7)") {
  const auto rows = parse_csv(
      "name,note\r\n"
      "\"潞城大葱, 一级\",\"said \"\"fresh\"\"\"\r\n"
      "\"two\r\nlines\",\"three\nmore\nlines\"\r\n"
      "last,\"\"\"\"",
      "f.csv");
  REQUIRE(rows.size() == 4);
  CHECK(rows[1].line == 2);
  CHECK(rows[1].fields == std::vector<std::string>{"潞城大葱, 一级", "said \"fresh\""});
  CHECK(rows[2].line == 3);
  CHECK(rows[2].fields == std::vector<std::string>{"two\r\nlines", "three\nmore\nlines"});
  CHECK(rows[3].line == 7);  // the record above spans lines 3 to 6
  CHECK(rows[3].fields == std::vector<std::string>{"last", "\""});
  // The row numbers Excel shows: a cell typed with Alt+Enter does not start a row.
  CHECK(rows[0].row == 1);
  CHECK(rows[1].row == 2);
  CHECK(rows[2].row == 3);
  CHECK(rows[3].row == 4);
}

TEST_CASE("Excel row numbers count blank lines but not line ends inside quoted cells") {
  const auto rows = parse_csv("a,b\n\n\"x\ny\",1\nc,d\n", "f.csv");
  REQUIRE(rows.size() == 3);
  CHECK(rows[1].row == 3);   // Excel shows the blank line as row 2
  CHECK(rows[2].row == 4);
  CHECK(rows[2].line == 5);  // physical line
}

TEST_CASE("malformed CSV is refused naming the file and line") {
  std::string msg = bad_input_message([] { parse_csv("a,b\nc,\"open\nd,e\n", "f.csv"); });
  CHECK(contains(msg, "f.csv: line 2: field 2"));
  CHECK(contains(msg, "never closed"));

  msg = bad_input_message([] { parse_csv("a,b\n\"x\ny\",z\nc,d\"e\n", "f.csv"); });
  CHECK(contains(msg, "f.csv: line 4: field 2"));
  CHECK(contains(msg, "inside an unquoted field"));

  msg = bad_input_message([] { parse_csv("a,b\n\"c\"x,d\n", "f.csv"); });
  CHECK(contains(msg, "f.csv: line 2: field 1"));
  CHECK(contains(msg, "unexpected 'x' after the closing quote"));

  msg = bad_input_message([] { parse_csv("a,\"b\" \n", "f.csv"); });
  CHECK(contains(msg, "line 1: field 2: unexpected ' ' after the closing quote"));

  msg = bad_input_message([] { parse_csv("a,b\rc,d\r", "f.csv"); });
  CHECK(contains(msg, "line 1: field 2"));
  CHECK(contains(msg, "carriage return"));
}

TEST_CASE("field size and column count are limited") {
  const Limits small{8, 3};
  CHECK(parse_csv("12345678,\"1234567\"\"\"\n", "f.csv", small).size() == 1);
  std::string msg = bad_input_message([&] { parse_csv("a\n123456789\n", "f.csv", small); });
  CHECK(contains(msg, "f.csv: line 2: field 1 is longer than 8 bytes"));
  msg = bad_input_message([&] { parse_csv("a\n\"12345\n6789\"\n", "f.csv", small); });
  CHECK(contains(msg, "line 2: field 1 is longer than 8 bytes"));
  CHECK(parse_csv("a,b,c\n", "f.csv", small).size() == 1);
  msg = bad_input_message([&] { parse_csv("a,b,c\n1,2,3,\n", "f.csv", small); });
  CHECK(contains(msg, "f.csv: line 2: more than 3 fields"));

  const Limits defaults;
  CHECK(defaults.max_field_bytes == 65536);
  CHECK(defaults.max_columns == 256);
  const std::string big(65537, 'x');
  CHECK_THROWS_AS(parse_csv(big, "f.csv"), Error);
  CHECK(parse_csv(big.substr(1), "f.csv")[0].fields[0].size() == 65536);
}

TEST_CASE("tables trim header names and drop Excel's blank rows") {
  const Table t = parse_table("\n 批次号\xE3\x80\x80, qty\t\r\nL1,5\r\n,\r\nL2,\"7\"\r\n", "f.csv");
  CHECK(t.header == std::vector<std::string>{"批次号", "qty"});
  CHECK(t.header_line == 2);
  REQUIRE(t.rows.size() == 2);
  CHECK(t.rows[0].line == 3);
  CHECK(t.rows[0].fields == std::vector<std::string>{"L1", "5"});
  CHECK(t.rows[1].line == 5);
  CHECK(t.rows[1].fields == std::vector<std::string>{"L2", "7"});
}

TEST_CASE("tables refuse bad headers and ragged rows") {
  std::string msg = bad_input_message([] { parse_table("\r\n\n", "t.csv"); });
  CHECK(contains(msg, "t.csv: the file is empty"));
  msg = bad_input_message([] { parse_table("lot, ,qty\n", "t.csv"); });
  CHECK(contains(msg, "t.csv: line 1: header column 2 has no name"));
  msg = bad_input_message([] { parse_table("lot,qty, lot \n", "t.csv"); });
  CHECK(contains(msg, "t.csv: line 1: header columns 1 and 3 are both named 'lot'"));
  msg = bad_input_message([] { parse_table("lot,qty\nL1,5\nL2,5,kg\n", "t.csv"); });
  CHECK(contains(msg, "t.csv: line 3: 3 fields, but the header on line 1 has 2"));
  msg = bad_input_message([] { parse_table("lot,qty\nL1\n", "t.csv"); });
  CHECK(contains(msg, "line 2: 1 fields, but the header on line 1 has 2"));
  CHECK_FALSE(contains(msg, "thousands separator"));
}

TEST_CASE("a row split by an unquoted thousands separator says so") {
  std::string msg = bad_input_message([] { parse_table("lot,qty,unit\nL1,1,000,KGM\n", "t.csv"); });
  CHECK(contains(msg, "t.csv: line 2: 4 fields, but the header on line 1 has 3; a number with a thousands "
                      "separator (1,000) splits a cell: format the column without separators"));
  msg = bad_input_message([] { parse_table("lot,qty,unit\nL1,12,500.5,KGM\n", "t.csv"); });
  CHECK(contains(msg, "thousands separator"));
  msg = bad_input_message([] { parse_table("lot,qty,unit\nL1,5,kg,x\n", "t.csv"); });
  CHECK_FALSE(contains(msg, "thousands separator"));
}

TEST_CASE("the writer emits a BOM and CRLF and quotes only when needed") {
  CsvWriter w;
  w.write_row({"批次", "数量"});
  w.write_row({"a,b", "say \"hi\"", "two\nlines", " lead", "trail\t", "plain"});
  w.write_row({""});
  w.write_row({"", ""});
  CHECK(w.text() ==
        "\xEF\xBB\xBF"
        "批次,数量\r\n"
        "\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\" lead\",\"trail\t\",plain\r\n"
        "\"\"\r\n"
        ",\r\n");

  CsvWriter bare(false);
  bare.write_row(std::vector<std::string>{"x"});
  CHECK(bare.text() == "x\r\n");
  CHECK(CsvWriter(false).text().empty());
  CHECK_THROWS_AS(bare.write_row(std::vector<std::string>{}), std::invalid_argument);
}

TEST_CASE("the writer defuses spreadsheet formulas but not plain numbers (OWASP CSV Injection)") {
  CHECK(format_field("=SUM(A1:A9)") == "'=SUM(A1:A9)");
  CHECK(format_field("+86 351 1234567") == "'+86 351 1234567");
  CHECK(format_field("-2+3") == "'-2+3");
  CHECK(format_field("@cmd") == "'@cmd");
  CHECK(format_field("\tx") == "'\tx");
  CHECK(format_field("\r=1") == "\"'\r=1\"");
  CHECK(format_field("=HYPERLINK(\"http://x\",\"y\")") ==
        "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
  CHECK(format_field("-") == "'-");
  CHECK(format_field("-.5") == "'-.5");
  CHECK(format_field("-1e5") == "'-1e5");
  CHECK(format_field("-3.") == "'-3.");
  CHECK(format_field("-3.5") == "-3.5");
  CHECK(format_field("+12") == "+12");
  CHECK(format_field("-0") == "-0");
  CHECK(format_field("12.50") == "12.50");
  CHECK(format_field("a=b") == "a=b");
}

TEST_CASE("writer output reads back through decode_to_utf8 and parse_table") {
  const std::vector<std::vector<std::string>> rows = {
      {"批次号", "品名", "备注", "数量"},
      {"LC-2022-001", "潞城大葱", "熬脑村, 一级", "-3.5"},
      {"LC-2022-002", "say \"fresh\"", "line one\r\nline two", ""},
      {"LC-2022-003", " padded ", "x\ny", "0"},
  };
  CsvWriter w;
  for (const auto& row : rows) w.write_row(row);
  const Table t = parse_table(decode_to_utf8(w.text(), "utf-8", "export.csv"), "export.csv");
  CHECK(t.header == rows[0]);
  REQUIRE(t.rows.size() == 3);
  for (std::size_t i = 0; i < 3; ++i) CHECK(t.rows[i].fields == rows[i + 1]);
  CHECK(t.rows[1].line == 3);
  CHECK(t.rows[2].line == 5);

  CsvWriter defused;
  defused.write_row({"note"});
  defused.write_row({"=1+1"});
  const Table d = parse_table(decode_to_utf8(defused.text(), "utf-8", "d.csv"), "d.csv");
  CHECK(d.rows[0].fields[0] == "'=1+1");
}
