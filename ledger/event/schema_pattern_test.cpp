// SchemaPattern against std::regex_search on every `pattern` of the embedded schemas and on
// random, edited and real strings.
#include "ledger/event/schema_pattern.h"

#include <doctest/doctest.h>

#include <optional>
#include <random>
#include <regex>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ledger/event/embedded_schemas.h"
#include "ledger/event/schema_validator.h"

using namespace agtrace;
using nlohmann::json;

namespace {

void collect(const json& node, std::set<std::string>& patterns, std::set<std::string>& strings) {
  if (node.is_object()) {
    for (const auto& [k, v] : node.items()) {
      if (k == "pattern" && v.is_string()) patterns.insert(v.get<std::string>());
      collect(v, patterns, strings);
    }
  } else if (node.is_array()) {
    for (const auto& v : node) collect(v, patterns, strings);
  } else if (node.is_string()) {
    strings.insert(node.get<std::string>());
  }
}

}  // namespace

TEST_CASE("SchemaPattern gives std::regex_search's verdict on the schemas' patterns") {
  std::set<std::string> patterns, seen;
  for (const auto& f : embedded_schemas()) collect(embedded_schema_json(f.path), patterns, seen);
  REQUIRE(patterns.size() >= 30);

  // Strings that match some pattern: from the schemas' own examples and consts, and ones
  // made to match (each pattern's text with its syntax taken out is often close to a match).
  std::vector<std::string> corpus(seen.begin(), seen.end());
  for (const char* s : {"2022-10-05T08:30:00+08:00", "2022-10-05T08:30:00.123456789Z", "2022-10-05t08:30:00z",
                        "2022-10-05", "1200.5", "0", "0.123456", "12,5", "-3.5", "1200.5 千克", "3 吨", "07 毫升",
                        "LC22-K-0001", "clerk-lucheng+471f9f4a", "clerk-lucheng+471f9f4a+AQ2AQhyhbGdl3iYW2kZ/r8wi==",
                        "https://id.gs1.org/01/06901234567892/10/LC22-K", "https://trace.example/c/abc",
                        "http://a.b:8080/x/y", "tcp://10.0.0.7:9100", "+08:00", "-14:00", "14:00", "#A0b1C2",
                        "SC12345678901234", "91140406MA0K1A2B3C", "140406", "x_abc_1", "hotline", "1.2.3", "a-b-c",
                        "DELETE", "ADD", "OBSERVE", "/path", "0355-5550101", "(0355) 555 0101", "ab", "A"})
    corpus.push_back(s);
  for (const auto& p : patterns) {
    std::string stripped;
    for (char c : p)
      if (std::string_view("^$()[]{}|?*+\\").find(c) == std::string_view::npos) stripped += c;
    corpus.push_back(stripped);
  }
  // Edits of each: bytes the classes of the patterns care about, at either end or inside.
  const std::vector<std::string> bits = {" ", "\t", "\n", "\x7f", "\x1f", std::string(1, '\0'), "é", "中", "0",
                                         "9", "a", "Z", "f", "g", "-", "+", ".", "/", ":", "_", "~", "=", "#",
                                         "?", "\xff", "\x80"};
  std::mt19937 rng(1207);
  const std::size_t base = corpus.size();
  for (std::size_t i = 0; i < base; ++i) {
    for (int r = 0; r < 6; ++r) {
      std::string s = corpus[i];
      const std::string& b = bits[rng() % bits.size()];
      const std::size_t at = s.empty() ? 0 : rng() % (s.size() + 1);
      switch (rng() % 3) {
        case 0: s.insert(at, b); break;
        case 1: if (at < s.size()) s.erase(at, 1); break;
        default: if (at < s.size()) s[at] = b[0]; break;
      }
      corpus.push_back(s);
    }
  }
  // Random strings over the same bytes and the ASCII range.
  for (int r = 0; r < 3000; ++r) {
    std::string s;
    for (unsigned n = rng() % 24; n > 0; --n)
      s += rng() % 2 ? bits[rng() % bits.size()] : std::string(1, static_cast<char>(0x20 + rng() % 0x5f));
    corpus.push_back(s);
  }

  std::size_t compiled = 0, matches = 0, checks = 0;
  for (const auto& p : patterns) {
    CAPTURE(p);
    const std::regex re(p);
    std::optional<SchemaPattern> hand;
    try {
      hand.emplace(p);
    } catch (const std::invalid_argument&) {
      continue;  // outside the subset: std::regex checks it
    }
    ++compiled;
    for (const auto& s : corpus) {
      const bool want = std::regex_search(s, re);
      matches += want;
      ++checks;
      if (hand->search(s) != want) {
        CAPTURE(s);
        CHECK(hand->search(s) == want);
      }
    }
  }
  // Every pattern of the event schemas is in the subset; only EPCIS's lookaheads are not.
  CHECK(compiled + 2 >= patterns.size());
  CHECK(matches > 1000);
  CHECK(checks - matches > 100000);
}

TEST_CASE("SchemaPattern refuses syntax outside its subset and matches inside a string") {
  for (const char* p : {"^(?!x)", "a.b", "(a)\\1", "a+?", "[]", "[z-a]", "(a|)*", "\\w", "a{2,1}", "(", ")"}) {
    CAPTURE(p);
    CHECK_THROWS_AS(SchemaPattern{p}, std::invalid_argument);
  }
  CHECK(SchemaPattern("b+c").search("aabbcd"));  // unanchored: any substring
  CHECK_FALSE(SchemaPattern("^b+c").search("aabbcd"));
  CHECK(SchemaPattern("^(0|[1-9][0-9]{0,2})$").search("120"));
  CHECK_FALSE(SchemaPattern("^(0|[1-9][0-9]{0,2})$").search("0120"));
  CHECK(SchemaPattern("x|^a$").search("a"));
}
