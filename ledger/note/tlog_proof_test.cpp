#include "ledger/note/tlog_proof.h"

#include <doctest/doctest.h>

#include "ledger/note/checkpoint.h"
#include "ledger/note/note_testing.h"
#include "ledger/util/error.h"

using namespace agtrace;
using namespace agtrace::note;
using namespace agtrace::note::testing;

namespace {

Hash hash_of(std::string_view b64) {
  Bytes b = base64_decode(b64, "hash");
  Hash h;
  std::copy(b.begin(), b.end(), h.begin());
  return h;
}

// The hash lines of the C2SP tlog-proof spec's example.
const char* const kSpecHashes[] = {
    "gSKyXoYZUgZ6jduWYrkDOARinOMGJveXjgMkBTcdPlQ=", "B95lDa8R83lS8n0eG+o0buTxRKQTYFi//1U8anccXmA=",
    "EKNzoDWG8LGC0Yp9o+sv3qllpMP9uHQ9B20KNL+Q1zs=", "RoopEkOdqkYqMB4MJXrbt/hMjOxsVn0IrWjpz1ZMMes=",
    "AHCioX9nLjsrse6YhjRRmk1WUEirVOLLRoOQ6vfO5vk="};
constexpr std::string_view kSpecExtra = "YWdlLXYxLjIuMS1kYXJ3aW4tYXJtNjQudGFyLmd6kYXJ3aW4tYXJ";

// The spec example's checkpoint, signed by a test key (the spec elides its signatures).
std::string spec_checkpoint_note() {
  Checkpoint c{
      "example.com/fancylog", 109482, hash_of("sFodV/vSp5O8n9a8QpW6PRY97tfOSW5bsc2Xl/EQi08="), {}};
  return sign_checkpoint(c, test_key("example.com/fancylog"));
}

// The error `f` throws, which must be an agtrace::Error.
template <typename F>
Error error_of(F f) {
  try {
    f();
  } catch (const Error& e) {
    return e;
  }
  FAIL("expected an agtrace::Error");
  return Error(ErrorKind::bad_input, "unreachable");
}

}  // namespace

TEST_CASE("the tlog-proof spec's example layout formats and parses back") {
  TlogProof proof;
  proof.extra = base64_decode(kSpecExtra, "extra");
  proof.index = 73894;
  for (const char* h : kSpecHashes) proof.hashes.push_back(hash_of(h));
  proof.checkpoint_note = spec_checkpoint_note();

  std::string expected =
      "c2sp.org/tlog-proof@v1\nextra " + std::string(kSpecExtra) + "\nindex 73894\n";
  for (const char* h : kSpecHashes) expected += std::string(h) + "\n";
  expected += "\n" + proof.checkpoint_note;

  CHECK(format_tlog_proof(proof) == expected);
  CHECK(parse_tlog_proof(expected) == proof);

  // The checkpoint travels verbatim and opens with the log's key.
  Checkpoint c = open_checkpoint(parse_tlog_proof(expected).checkpoint_note,
                                 verifier_key_of(test_key("example.com/fancylog")));
  CHECK(c.size == 109482);
}

TEST_CASE("a proof without extra data or hashes") {
  TlogProof proof{std::nullopt, 0, {}, spec_checkpoint_note()};
  std::string text = format_tlog_proof(proof);
  CHECK(text == "c2sp.org/tlog-proof@v1\nindex 0\n\n" + proof.checkpoint_note);
  CHECK(parse_tlog_proof(text) == proof);

  proof.index = 18446744073709551615u;
  proof.hashes.assign(kMaxTlogProofHashes, hash_of(kSpecHashes[0]));
  CHECK(parse_tlog_proof(format_tlog_proof(proof)) == proof);
}

TEST_CASE("parse_tlog_proof is strict (tlog-proof §Format)") {
  const std::string note = spec_checkpoint_note();
  const std::string h = std::string(kSpecHashes[0]) + "\n";
  const std::string head = "c2sp.org/tlog-proof@v1\n";
  std::string many_hashes;
  for (int i = 0; i < 65; ++i) many_hashes += h;
  std::string unsigned_body = note.substr(0, note.find("\n\n") + 1);
  struct Case {
    std::string what;
    std::string text;
    const char* message;
  };
  const Case bad[] = {
      {"empty", "", "line 1 is missing"},
      {"other version", "c2sp.org/tlog-proof@v2\nindex 0\n\n" + note,
       "first line must be c2sp.org/tlog-proof@v1"},
      {"header with trailing space", "c2sp.org/tlog-proof@v1 \nindex 0\n\n" + note,
       "first line must be"},
      {"no index line", head + h + "\n" + note,
       "line 2 must be 'index N' (or 'extra DATA' before it)"},
      {"index after hashes", head + h + "index 0\n\n" + note, "line 2 must be 'index N'"},
      {"extra after index", head + "index 0\nextra AAAA\n\n" + note, "proof hash (line 3)"},
      {"empty extra", head + "extra \nindex 0\n\n" + note, "extra (line 2) is empty"},
      {"bad extra base64", head + "extra !!!!\nindex 0\n\n" + note,
       "extra (line 2): invalid base64"},
      {"extra without space", head + "extra\nindex 0\n\n" + note, "must be 'index N'"},
      {"index without number", head + "index \n\n" + note,
       "index (line 2): expected a decimal number"},
      {"index with leading zero", head + "index 05\n\n" + note, "leading zero"},
      {"negative index", head + "index -5\n\n" + note, "not an ASCII decimal"},
      {"two spaces", head + "index  5\n\n" + note, "not an ASCII decimal"},
      {"index over 64 bits", head + "index 18446744073709551616\n\n" + note,
       "does not fit in 64 bits"},
      {"31-byte hash", head + "index 0\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxqw==\n\n" + note,
       "proof hash (line 3) decodes to 31 bytes"},
      {"non-canonical hash",
       head + "index 0\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2J=\n\n" + note, "non-canonical"},
      {"65 hashes", head + "index 0\n" + many_hashes + "\n" + note,
       "more than 64 proof hashes (line 67)"},
      {"no empty line", head + "index 0\n" + h, "line 4 is missing"},
      {"no checkpoint", head + "index 0\n" + h + "\n", "checkpoint is malformed"},
      {"unsigned checkpoint", head + "index 0\n\n" + unsigned_body,
       "checkpoint is malformed: signed note: no blank line"},
      {"signed note that is not a checkpoint",
       head + "index 0\n\n" + sign_note("hello\n", test_key("k")),
       "checkpoint is malformed: checkpoint:"},
      {"spec example with elided signatures",
       head + "index "
              "0\n\nexample.com/fancylog\n109482\nsFodV/vSp5O8n9a8QpW6PRY97tfOSW5bsc2Xl/"
              "EQi08=\n\n— example.com/fancylog hI2DJw[...]1roloI=\n",
       "checkpoint is malformed"},
      {"CRLF", "c2sp.org/tlog-proof@v1\r\nindex 0\r\n\r\n" + note, "first line must be"},
      {"over the size limit", head + "extra " + std::string(kMaxTlogProofBytes, 'A') + "\n",
       "over the"},
  };
  for (const Case& c : bad) {
    CAPTURE(c.what);
    Error e = error_of([&] { parse_tlog_proof(c.text); });
    CHECK(e.kind() == ErrorKind::bad_input);
    CHECK_MESSAGE(std::string(e.what()).find(c.message) != std::string::npos,
                  std::string(e.what()));
  }
}

TEST_CASE("format_tlog_proof refuses what it could not write correctly") {
  const std::string note = spec_checkpoint_note();
  CHECK_THROWS_WITH_AS(format_tlog_proof({Bytes{}, 0, {}, note}),
                       doctest::Contains("extra data is empty"), Error);
  CHECK_THROWS_WITH_AS(format_tlog_proof({std::nullopt, 0, std::vector<Hash>(65), note}),
                       doctest::Contains("65 hashes"), Error);
  CHECK_THROWS_WITH_AS(format_tlog_proof({std::nullopt, 0, {}, "not a note\n"}),
                       doctest::Contains("checkpoint is malformed"), Error);
}
