// Tests for the strict JSON front door: each refusal DESIGN §3 promises, the message it gives,
// and what is still accepted next to each limit.
#include "ledger/json/strict_parse.h"

#include <doctest/doctest.h>

#include "ledger/util/error.h"

using namespace agtrace;
using agtrace::json::Limits;
using agtrace::json::parse_strict;

namespace {

// The message of the Error(bad_input) that parse_strict() throws for `text`; fails the test
// (and returns "") if it accepts the text or throws anything else.
std::string refusal(std::string_view text, const Limits& limits = {},
                    std::string_view what = "JSON") {
  try {
    parse_strict(text, limits, what);
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::bad_input);
    return e.what();
  }
  FAIL_CHECK(("parse_strict accepted: " + std::string(text.substr(0, 80))));
  return "";
}

bool contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace

TEST_CASE("an ordinary document parses, integers as integers and fractions as floats") {
  const auto v = parse_strict(R"({"lot": "A-1", "count": 12, "delta": -3, "mass": 12.5,
                                  "tags": [true, false, null], "nested": {"x": []}})");
  CHECK(v["lot"] == "A-1");
  CHECK(v["count"].is_number_unsigned());
  CHECK(v["count"] == 12);
  CHECK(v["delta"].is_number_integer());
  CHECK(v["delta"] == -3);
  CHECK(v["mass"].is_number_float());
  CHECK(v["mass"] == 12.5);
  CHECK(v["tags"] == nlohmann::json::array({true, false, nullptr}));
  CHECK(v["nested"]["x"].empty());
  CHECK(parse_strict("\"scalar\"") == "scalar");
  CHECK(parse_strict(" 7 ") == 7);
}

TEST_CASE("duplicate member names are refused, naming the path") {
  const auto message = refusal(R"({"items": [1, 2, {"value": 1, "value": 2}]})", {}, "event");
  CHECK(contains(message, "event.items[2].value"));
  CHECK(contains(message, "appears twice"));
  CHECK(contains(refusal(R"({"a": 1, "a": 1})"), "JSON.a:"));
  // Member names that are not identifiers are quoted.
  CHECK(contains(refusal(R"({"a b": {"x": [{"y": 1, "y": 2}]}})"), R"(JSON["a b"].x[0].y)"));
  // Equal after unescaping is equal.
  CHECK(contains(refusal(R"({"k": 1, "\u006b": 2})"), "JSON.k:"));
  // The same name in different objects is fine.
  CHECK(parse_strict(R"([{"a": 1}, {"a": 2, "b": {"a": 3}}])").size() == 2);
}

TEST_CASE("nesting deeper than max_depth is refused, however deep") {
  auto nested = [](std::size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); };
  CHECK(parse_strict(nested(64)).is_array());
  const auto message = refusal(nested(65));
  CHECK(contains(message, "deeper than 64 levels"));
  CHECK(contains(message, "JSON[0][0]"));
  // Refused at the 65th bracket, without recursing on the C stack: 10,000 and 500,000 levels.
  CHECK(contains(refusal(nested(10'000)), "deeper than 64 levels"));
  CHECK(contains(refusal(nested(500'000)), "deeper than 64 levels"));
  std::string objects;
  for (int i = 0; i < 10'000; ++i) objects += R"({"a":)";
  CHECK(contains(refusal(objects), "deeper than 64 levels"));
  CHECK(contains(refusal(nested(4), Limits{.max_depth = 3}), "deeper than 3 levels"));
}

TEST_CASE("integer literals beyond ±(2^53-1) are refused; floats are kept for the caller") {
  CHECK(parse_strict("9007199254740991") == 9007199254740991);
  CHECK(parse_strict("-9007199254740991") == -9007199254740991);
  const auto message = refusal(R"({"qty": 9007199254740992})", {}, "event");
  CHECK(contains(message, "event.qty"));
  CHECK(contains(message, "9007199254740992 is outside"));
  CHECK(contains(refusal("[-9007199254740992]"), "JSON[0]"));
  // Beyond 64 bits nlohmann would make these floats; the token text gives them away.
  CHECK(contains(refusal("18446744073709551616"), "18446744073709551616 is outside"));
  CHECK(contains(refusal("-9223372036854775809"), "is outside"));
  // So long that even a double overflows.
  CHECK(contains(refusal("[" + std::string(400, '9') + "]"), "JSON[0]: the integer 999"));
  // With a fraction or exponent it is a float: accepted here, judged by the caller.
  CHECK(parse_strict("9007199254740992.0").is_number_float());
  CHECK(parse_strict("1e300").is_number_float());
  CHECK(contains(refusal("1e400"), "number overflow"));
}

TEST_CASE("oversized strings, member names and documents are refused") {
  const std::string megabyte(1 << 20, 'x');
  const std::string document = "{\"note\": \"" + megabyte + "\"}";
  // With default limits the document itself is too long, refused before parsing.
  CHECK(contains(refusal(document), "JSON is 1048588 bytes long, over the limit of 1048576 bytes"));
  // Given room for the document, the string is refused.
  const Limits roomy{.max_document_bytes = 2 << 20};
  CHECK(contains(refusal(document, roomy, "event"),
                 "event.note: the string is 1048576 bytes long, over the limit of 16384 bytes"));
  CHECK(contains(refusal("{\"" + megabyte + "\": 1}", roomy),
                 "JSON: a member name is 1048576 bytes long"));
  // At the limit is fine; the limit counts bytes after unescaping.
  CHECK(parse_strict("\"" + std::string(16 * 1024, 'x') + "\"")
            .get_ref<const std::string&>()
            .size() == 16 * 1024);
  CHECK(parse_strict(R"("\u00e9\u00e9")", Limits{.max_string_bytes = 4}) == "\u00e9\u00e9");
  CHECK(contains(refusal(R"("\u00e9\u00e9\u00e9")", Limits{.max_string_bytes = 4}), "6 bytes"));
  CHECK(contains(refusal("[1, 2]", Limits{.max_document_bytes = 5}), "is 6 bytes long"));
}

TEST_CASE("malformed JSON is refused with line and column") {
  const auto message = refusal("{\n  \"a\": 1,\n  \"b\": tru\n}", {}, "request");
  CHECK(contains(message, "request: not valid JSON at line 3, column"));
  CHECK(contains(message, "invalid literal"));
  CHECK(contains(refusal("[1, 2,]"), "line 1, column 7"));
  CHECK(contains(refusal("{\"a\": {\"b\": [1 2]}}"), "(inside JSON.a.b)"));
  CHECK(contains(refusal(""), "line 1, column 1"));
  CHECK(contains(refusal("{} {}"), "line 1, column 4"));
  CHECK(contains(refusal("{\"a\": 01}"), "not valid JSON"));
  CHECK(contains(refusal("[NaN]"), "not valid JSON"));
  CHECK(contains(refusal("{'a': 1}"), "not valid JSON"));
  CHECK(contains(refusal("[1] // comment"), "not valid JSON"));
}

TEST_CASE("invalid UTF-8 and lone surrogate escapes are refused") {
  CHECK(contains(refusal("\"\xff\""), "ill-formed UTF-8"));
  CHECK(contains(refusal("\"\xc0\xaf\""), "ill-formed UTF-8"));               // overlong '/'
  CHECK(contains(refusal("\"\xed\xa0\x80\""), "ill-formed UTF-8"));           // encoded surrogate
  CHECK(contains(refusal("\"\xe2\x82\""), "ill-formed UTF-8"));               // truncated
  CHECK(contains(refusal("{\"\xf5\x80\x80\x80\": 1}"), "ill-formed UTF-8"));  // beyond U+10FFFF
  CHECK(contains(refusal(R"("\ud800")"), "surrogate"));
  CHECK(contains(refusal(R"("\udc00\ud800")"), "surrogate"));
  CHECK(contains(refusal(R"("\ud800x")"), "surrogate"));
  // Raw control characters must be escaped.
  CHECK(contains(refusal("\"a\tb\""), "not valid JSON"));
  // The message quotes hostile bytes as \xHH, never raw.
  CHECK(contains(refusal("\"\xff\""), "\\xff"));
  CHECK(parse_strict(R"("\ud83d\ude02")") == "\U0001F602");
  CHECK(parse_strict("\"\xf0\x9f\x98\x82\"") == "\U0001F602");
}

TEST_CASE("float_paths and reject_floats name every number with a fraction or exponent") {
  const auto v = parse_strict(R"({"items": [{"value": 12.5}, {"value": "12.5"}, {"value": 3e2}],
                                  "count": 3, "a b": 0.1})");
  CHECK(json::float_paths(v, "event") == std::vector<std::string>{R"(event["a b"])",
                                                                  "event.items[0].value",
                                                                  "event.items[2].value"});
  CHECK(json::float_paths(parse_strict(R"({"count": 3, "lot": "7"})")).empty());
  try {
    json::reject_floats(v, "event");
    FAIL("floats accepted");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::bad_input);
    CHECK(std::string(e.what()) ==
          R"(event["a b"] (and 2 more): numbers with a fraction or exponent are not accepted )"
          R"(here; use a decimal string such as "12.5")");
  }
  CHECK_NOTHROW(json::reject_floats(parse_strict("[1, \"2.5\"]")));
}
