// Tests for RFC 8785 canonicalization: the published vectors (tests/vectors/jcs, from the
// RFC's author), the Appendix B number table, and the rules the vectors leave implicit.
#include "ledger/json/jcs.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include "ledger/json/strict_parse.h"
#include "ledger/util/bytes.h"
#include "ledger/util/error.h"

using namespace agtrace;
using agtrace::json::canonicalize;
using agtrace::json::shortest_decimal;

namespace {

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE_MESSAGE(in, "cannot open " << path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

double from_bits(std::uint64_t bits) { return std::bit_cast<double>(bits); }

}  // namespace

TEST_CASE("every RFC 8785 test vector canonicalizes byte for byte") {
  const auto dir = std::filesystem::path(AGTRACE_TEST_DATA) / "vectors" / "jcs";
  std::vector<std::filesystem::path> inputs;
  for (const auto& entry : std::filesystem::directory_iterator(dir / "input")) {
    inputs.push_back(entry.path());
  }
  std::sort(inputs.begin(), inputs.end());
  REQUIRE(inputs.size() == 6);
  for (const auto& input : inputs) {
    const std::string name = input.filename().string();
    INFO("vector ", name);
    const std::string canonical = canonicalize(json::parse_strict(read_file(input), {}, name));
    CHECK(canonical == read_file(dir / "output" / name));
    // canonicalize_append writes the same bytes after what the buffer holds.
    std::string appended = "prefix,";
    agtrace::json::canonicalize_append(json::parse_strict(read_file(input), {}, name), appended);
    CHECK(appended == "prefix," + canonical);
    std::string hex = read_file(dir / "outhex" / (input.stem().string() + ".txt"));
    std::erase_if(hex, [](char c) { return c == ' ' || c == '\n' || c == '\r'; });
    CHECK(hex_decode(hex, "outhex") == Bytes(canonical.begin(), canonical.end()));
  }
}

TEST_CASE("members are sorted by UTF-16 code units, not UTF-8 bytes (RFC 8785 §3.2.3)") {
  // U+1F600 is the surrogate pair D83D DE00 in UTF-16, so it sorts before U+E000 and U+FFFF,
  // although its UTF-8 lead byte F0 sorts after their EE and EF.
  const nlohmann::json v = {{"\uFFFF", 4}, {"\U0001F600", 2}, {"\uE000", 3}, {"a", 1},
                            {"\uD7FF", 5}, {"", 0},           {"aa", 6}};
  CHECK(canonicalize(v) ==
        "{\"\":0,\"a\":1,\"aa\":6,\"\uD7FF\":5,\"\U0001F600\":2,\"\uE000\":3,\"\uFFFF\":4}");
  // Sorting is by code units, not by any locale (the french.json vector covers accents).
  CHECK(canonicalize({{"b", 1}, {"B", 2}, {"a", 3}}) == R"({"B":2,"a":3,"b":1})");
}

TEST_CASE("strings carry only the escapes RFC 8785 §3.2.2.2 requires") {
  CHECK(canonicalize("\"\\/\b\f\n\r\t") == R"("\"\\/\b\f\n\r\t")");
  CHECK(canonicalize(std::string("\x00\x01\x1f", 3)) == R"("\u0000\u0001\u001f")");
  CHECK(canonicalize("\x7f\u00e9\u2028\U0001F602") == "\"\x7f\u00e9\u2028\U0001F602\"");
  CHECK(canonicalize("</script>") == "\"</script>\"");
}

TEST_CASE("numbers are written as ECMAScript writes them (RFC 8785 §3.2.2.3, Appendix B)") {
  const std::pair<std::uint64_t, const char*> appendix_b[] = {
      {0x0000000000000000, "0"},
      {0x8000000000000000, "0"},
      {0x0000000000000001, "5e-324"},
      {0x8000000000000001, "-5e-324"},
      {0x7fefffffffffffff, "1.7976931348623157e+308"},
      {0xffefffffffffffff, "-1.7976931348623157e+308"},
      {0x4340000000000000, "9007199254740992"},
      {0xc340000000000000, "-9007199254740992"},
      {0x4430000000000000, "295147905179352830000"},
      {0x44b52d02c7e14af5, "9.999999999999997e+22"},
      {0x44b52d02c7e14af6, "1e+23"},
      {0x44b52d02c7e14af7, "1.0000000000000001e+23"},
      {0x444b1ae4d6e2ef4e, "999999999999999700000"},
      {0x444b1ae4d6e2ef4f, "999999999999999900000"},
      {0x444b1ae4d6e2ef50, "1e+21"},
      {0x3eb0c6f7a0b5ed8c, "9.999999999999997e-7"},
      {0x3eb0c6f7a0b5ed8d, "0.000001"},
      {0x41b3de4355555553, "333333333.3333332"},
      {0x41b3de4355555554, "333333333.33333325"},
      {0x41b3de4355555555, "333333333.3333333"},
      {0x41b3de4355555556, "333333333.3333334"},
      {0x41b3de4355555557, "333333333.33333343"},
      {0xbecbf647612f3696, "-0.0000033333333333333333"},
      {0x43143ff3c1cb0959, "1424953923781206.2"},
  };
  for (const auto& [bits, text] : appendix_b) {
    INFO("bits ", bits);
    CHECK(shortest_decimal(from_bits(bits)) == text);
    CHECK(canonicalize(from_bits(bits)) == text);
  }
  CHECK(shortest_decimal(1e21) == "1e+21");
  CHECK(shortest_decimal(1e20) == "100000000000000000000");
  CHECK(shortest_decimal(1e-7) == "1e-7");
  CHECK(shortest_decimal(1e-6) == "0.000001");
  CHECK(shortest_decimal(1.5e-7) == "1.5e-7");
  CHECK(shortest_decimal(5e-324) == "5e-324");
  CHECK(shortest_decimal(-0.0) == "0");
  CHECK(shortest_decimal(0.1 + 0.2) == "0.30000000000000004");
  CHECK(shortest_decimal(123456789012345680000.0) == "123456789012345680000");
  CHECK(shortest_decimal(12.5) == "12.5");
  CHECK(shortest_decimal(-12.5) == "-12.5");
  CHECK(shortest_decimal(100) == "100");
  CHECK(shortest_decimal(1e300) == "1e+300");
  CHECK(shortest_decimal(0.5) == "0.5");
  // Parsed floats canonicalize the same way, whatever their spelling.
  CHECK(canonicalize(json::parse_strict("[1.0, 1E2, 0.000001e0, -0.0, 12.50]")) ==
        "[1,100,0.000001,0,12.5]");
}

TEST_CASE("NaN, infinities and non-JSON values are refused") {
  for (double bad :
       {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity(),
        -std::numeric_limits<double>::infinity()}) {
    CHECK_THROWS_AS(shortest_decimal(bad), Error);
    try {
      canonicalize({{"x", bad}});
      FAIL("non-finite number canonicalized");
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::bad_input);
      CHECK(std::string(e.what()).find("has no JSON form") != std::string::npos);
    }
  }
  CHECK_THROWS_AS(canonicalize(nlohmann::json::binary({1, 2})), Error);
  CHECK_THROWS_AS(canonicalize(nlohmann::json(nlohmann::json::value_t::discarded)), Error);
  CHECK_THROWS_AS(canonicalize("\xff"), Error);
  CHECK_THROWS_AS(canonicalize({{"\xed\xa0\x80", 1}}), Error);  // an encoded surrogate
}

TEST_CASE("integers print exactly") {
  CHECK(canonicalize(nlohmann::json(std::numeric_limits<std::int64_t>::min())) ==
        "-9223372036854775808");
  CHECK(canonicalize(nlohmann::json(std::numeric_limits<std::uint64_t>::max())) ==
        "18446744073709551615");
  CHECK(canonicalize(json::parse_strict("[0, -0, 9007199254740991, -9007199254740991]")) ==
        "[0,0,9007199254740991,-9007199254740991]");
}

TEST_CASE("canonicalize handles any depth without recursion") {
  nlohmann::json root = nlohmann::json::array();
  nlohmann::json* innermost = &root;
  constexpr int depth = 200'000;
  for (int i = 1; i < depth; ++i) {
    innermost->push_back(nlohmann::json::object());
    innermost = &innermost->back();
    (*innermost)["k"] = nlohmann::json::array();
    innermost = &(*innermost)["k"];
  }
  const std::string canonical = canonicalize(root);
  CHECK(canonical.size() == 2 + 8 * std::size_t{depth - 1});  // [ {"k":[ ... ]} ]
  CHECK(canonical.starts_with("[{\"k\":[{\"k\":["));
  CHECK(canonical.ends_with("]}]}]"));
}

TEST_CASE("whitespace goes and nesting is kept") {
  CHECK(canonicalize(json::parse_strict(" { \"b\" : [ 1 , { } , [ ] ] , \"a\" : null } ")) ==
        R"({"a":null,"b":[1,{},[]]})");
  CHECK(canonicalize(nlohmann::json::object()) == "{}");
  CHECK(canonicalize(nlohmann::json::array()) == "[]");
  CHECK(canonicalize(nullptr) == "null");
  CHECK(canonicalize(true) == "true");
}
