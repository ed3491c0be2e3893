// Tests for the one-pass reader of canonical JSON: what it takes is exactly what parse_strict()
// accepts and canonicalize() writes back byte for byte (canonical_parse.h), on the RFC 8785
// vectors, on each form RFC 8785 fixes, and on many thousands of edited texts.
#include "ledger/json/canonical_parse.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "ledger/json/jcs.h"
#include "ledger/json/strict_parse.h"
#include "ledger/util/error.h"

using namespace agtrace;
using agtrace::json::canonicalize;
using agtrace::json::Limits;
using agtrace::json::parse_canonical;
using agtrace::json::parse_strict;

namespace {

// Same value and, all the way down, the same JSON types (nlohmann's == calls 1 and 1u equal).
bool same(const nlohmann::json& a, const nlohmann::json& b) {
  if (a.type() != b.type()) return false;
  if (a.is_object()) {
    if (a.size() != b.size()) return false;
    for (auto ia = a.begin(), ib = b.begin(); ia != a.end(); ++ia, ++ib)
      if (ia.key() != ib.key() || !same(*ia, *ib)) return false;
    return true;
  }
  if (a.is_array()) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
      if (!same(a[i], b[i])) return false;
    return true;
  }
  return a == b;
}

// What canonical_parse.h promises for `text`: if parse_canonical takes it, parse_strict accepts
// it with the same value and types, and canonicalize gives `text` back. Returns whether it was
// taken.
bool check_promise(const std::string& text, const Limits& limits = {}) {
  auto fast = parse_canonical(text, limits);
  if (!fast) return false;
  nlohmann::json strict;
  try {
    strict = parse_strict(text, limits);
  } catch (const Error& e) {
    FAIL_CHECK("parse_canonical took what parse_strict refuses: " << text.substr(0, 200) << " — " << e.what());
    return true;
  }
  CHECK_MESSAGE(same(*fast, strict), text.substr(0, 200));
  CHECK_MESSAGE(canonicalize(*fast) == text, text.substr(0, 200));
  return true;
}

bool taken(const std::string& text, const Limits& limits = {}) { return check_promise(text, limits); }

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE_MESSAGE(in, "cannot open " << path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Canonical texts to edit: the RFC 8785 vectors' outputs and documents shaped like agtrace
// entries (Chinese text, nested arrays of objects, every escape, integers at the edges).
std::vector<std::string> seeds() {
  std::vector<std::string> out;
  for (const auto& f : std::filesystem::directory_iterator(std::filesystem::path(AGTRACE_TEST_DATA) / "vectors" / "jcs" / "output")) {
    std::string text = read_file(f.path());
    while (!text.empty() && text.back() == '\n') text.pop_back();
    out.push_back(text);
  }
  nlohmann::json event = {
      {"type", "harvest"},
      {"event_id", "6f1c2a3e-0b7d-4f5e-9a21-3c4d5e6f7a8b"},
      {"event_time", "2026-06-01T08:30:00+08:00"},
      {"from_lot", "PL-2"},
      {"quantity", {{"value", "1000"}, {"unit", "公斤"}}},
      {"note", "鲁城大葱 \"一等\"\\ tab\there\nline\x01\x1f\x7f end"},
      {"items", nlohmann::json::array({{{"index", 1}, {"ok", true}}, {{"index", -2}, {"ok", false}}, nullptr})},
      {"counts", {0, 1, -1, 9007199254740991, -9007199254740991, 12345}},
      {"empty", {{"o", nlohmann::json::object()}, {"a", nlohmann::json::array()}, {"s", ""}}},
      {"\xef\xbc\xa1", 1},        // U+FF21, after the surrogate pair below in UTF-16 order
      {"\xf0\x9f\x98\x80", 2},    // U+1F600
      {"z\xc3\xa9", 3},
  };
  out.push_back(canonicalize(event));
  nlohmann::json entry = {{"event", event}, {"index", 14}, {"key", "clerk+1a2b3c4d"},
                          {"prev", std::string(64, 'a')}, {"sig", "AAEC/+8="}};
  out.push_back(canonicalize(entry));
  return out;
}

}  // namespace

TEST_CASE("canonical texts without fractions are taken, with the value parse_strict gives") {
  int vectors_taken = 0;
  for (const auto& text : seeds()) {
    CAPTURE(text.substr(0, 80));
    if (taken(text)) ++vectors_taken;
    else CHECK_FALSE(json::float_paths(parse_strict(text)).empty());  // canonical, but with a fraction
  }
  CHECK(vectors_taken >= 5);
  CHECK(taken(R"({"a":{"b":[1,[2,[]],{}]},"c":null})"));
  CHECK(taken("\"\\u0000\\u001f\\b\\f\\n\\r\\t\\\"\\\\\x7f/\""));
  CHECK(taken("[9007199254740991,-9007199254740991,0,-1]"));
  CHECK(taken("true"));
  CHECK(taken("[]"));
  // Non-negative integers are number_unsigned and negative ones number_integer, as parse_strict gives them.
  auto v = parse_canonical("[1,-1,0]");
  REQUIRE(v);
  CHECK((*v)[0].is_number_unsigned());
  CHECK((*v)[1].is_number_integer());
  CHECK((*v)[2].is_number_unsigned());
}

TEST_CASE("each form RFC 8785 does not write is left to the full path") {
  // Whitespace, anywhere.
  CHECK_FALSE(taken(R"({"a":1 })"));
  CHECK_FALSE(taken(R"({ "a":1})"));
  CHECK_FALSE(taken(R"({"a": 1})"));
  CHECK_FALSE(taken("[1,\n2]"));
  CHECK_FALSE(taken(" 1"));
  CHECK_FALSE(taken("1 "));
  // Members out of order, or twice (§3.2.3); UTF-16 order, not UTF-8 byte order.
  CHECK_FALSE(taken(R"({"b":1,"a":2})"));
  CHECK_FALSE(taken(R"({"a":1,"a":1})"));
  CHECK(taken("{\"\xf0\x9f\x98\x80\":1,\"\xef\xbc\xa1\":2}"));        // U+1F600 (D83D DE00) before U+FF21
  CHECK_FALSE(taken("{\"\xef\xbc\xa1\":1,\"\xf0\x9f\x98\x80\":2}"));  // UTF-8 byte order, not UTF-16's
  CHECK(taken("{\"a\":1,\"\xef\xbc\xa1\":2}"));
  // Escapes other than the ones §3.2.2.2 writes.
  CHECK_FALSE(taken(R"("\/")"));
  CHECK_FALSE(taken(R"("\u0041")"));
  CHECK_FALSE(taken(R"("\u001F")"));
  CHECK_FALSE(taken(R"("\u000a")"));
  CHECK_FALSE(taken(R"("\u0009")"));
  CHECK_FALSE(taken(R"("\u00e9")"));
  CHECK_FALSE(taken(R"("\ud83d\ude00")"));
  CHECK_FALSE(taken(R"("\u00")"));
  CHECK_FALSE(taken(R"("\x")"));
  // Raw control characters, and text that is not UTF-8 (overlong, surrogate, cut, beyond U+10FFFF).
  CHECK_FALSE(taken("\"a\tb\""));
  CHECK_FALSE(taken("\"\x01\""));
  CHECK_FALSE(taken("\"\xc0\xaf\""));
  CHECK_FALSE(taken("\"\xed\xa0\x80\""));
  CHECK_FALSE(taken("\"\xe9\x9b\""));
  CHECK_FALSE(taken("\"\xf4\x90\x80\x80\""));
  CHECK_FALSE(taken("\"\xff\""));
  // Numbers: leading zeros, -0, a plus, fractions and exponents (left to the full path even when
  // canonical), beyond 2^53-1.
  CHECK_FALSE(taken("01"));
  CHECK_FALSE(taken("-0"));
  CHECK_FALSE(taken("+1"));
  CHECK_FALSE(taken("1.5"));
  CHECK_FALSE(taken("1e3"));
  CHECK_FALSE(taken("1E3"));
  CHECK_FALSE(taken("9007199254740992"));
  CHECK_FALSE(taken("-9007199254740992"));
  CHECK_FALSE(taken("12345678901234567890"));
  CHECK_FALSE(taken("-"));
  // Not JSON at all, cut, or followed by more; a byte order mark.
  CHECK_FALSE(taken(""));
  CHECK_FALSE(taken("{"));
  CHECK_FALSE(taken(R"({"a":1)"));
  CHECK_FALSE(taken(R"({"a":1,})"));
  CHECK_FALSE(taken("[1,]"));
  CHECK_FALSE(taken("[1]]"));
  CHECK_FALSE(taken("tru"));
  CHECK_FALSE(taken("nul"));
  CHECK_FALSE(taken("True"));
  CHECK_FALSE(taken(R"({a:1})"));
  CHECK_FALSE(taken("\xef\xbb\xbf{}"));
  CHECK_FALSE(taken(R"("abc)"));
}

TEST_CASE("the limits parse_strict enforces are kept, with room to spare") {
  Limits limits;
  limits.max_string_bytes = 8;
  CHECK(taken(R"("12345678")", limits));
  CHECK_FALSE(taken(R"("123456789")", limits));
  CHECK_FALSE(taken(R"({"123456789":1})", limits));
  CHECK(taken(R"("\n\n\n\n\n\n\n\n")", limits));  // counted after unescaping
  CHECK_FALSE(taken(R"("\n\n\n\n\n\n\n\n\n")", limits));

  limits = {};
  limits.max_document_bytes = 10;
  CHECK(taken("[1,2,3,45]", limits));
  CHECK_FALSE(taken("[1,2,3,456]", limits));

  limits = {};
  limits.max_depth = 4;
  CHECK(taken("[[[1]]]", limits));
  CHECK_FALSE(taken("[[[[1]]]]", limits));  // parse_strict takes depth 4; the full path decides
  CHECK(parse_strict("[[[[1]]]]", limits) != nullptr);
  // However deep the limit, no deeper than 64 levels (the parser recurses).
  limits.max_depth = 1000;
  CHECK(taken(std::string(64, '[') + std::string(64, ']'), limits));
  CHECK_FALSE(taken(std::string(65, '[') + std::string(65, ']'), limits));
}

TEST_CASE("edited canonical texts: whatever is taken, parse_strict and canonicalize agree with") {
  // Edits at random places: a byte replaced by one that matters to JSON or UTF-8, inserted,
  // deleted, two bytes swapped, or an escape spelled another way.
  static const std::vector<std::string> pieces = {
      " ", "\n", ",", ":", "\"", "\\", "{", "}", "[", "]", "0", "1", "9", "-", ".", "e", "E", "+",
      "\\u0041", "\\u000a", "\\u001f", "\\u001F", "\\/", "\\n", "\\t", "\x7f", "\x01", "\xc3", "\xa9",
      "\xef\xbc\xa1", "\xf0\x9f\x98\x80", "\xed\xa0\x80", "\xff", "null", "true", "a", "z", "A",
      "9007199254740991", "9007199254740992"};
  std::mt19937 rng(8785);
  int kept = 0, left = 0;
  for (const auto& seed : seeds()) {
    for (int round = 0; round < 3000; ++round) {
      std::string text = seed;
      const int edits = 1 + static_cast<int>(rng() % 3);
      for (int k = 0; k < edits && !text.empty(); ++k) {
        const std::size_t at = rng() % text.size();
        const std::string& piece = pieces[rng() % pieces.size()];
        switch (rng() % 4) {
          case 0: text.replace(at, 1, piece); break;
          case 1: text.insert(at, piece); break;
          case 2: text.erase(at, 1 + rng() % 3); break;
          default: std::swap(text[at], text[rng() % text.size()]); break;
        }
      }
      CAPTURE(text);
      if (check_promise(text)) ++kept;
      else ++left;
    }
  }
  // Both outcomes were exercised many times (most edits break canonical form; some keep it,
  // e.g. a digit or letter replaced by another).
  CHECK(kept > 1000);
  CHECK(left > 10000);
}
