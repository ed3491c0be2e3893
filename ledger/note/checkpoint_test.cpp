#include "ledger/note/checkpoint.h"

#include <doctest/doctest.h>

#include "ledger/note/note_testing.h"
#include "ledger/note/signed_note.h"
#include "ledger/util/error.h"

using namespace agtrace;
using namespace agtrace::note;
using namespace agtrace::note::testing;

namespace {

// The example of C2SP tlog-checkpoint v1.0.0.
constexpr std::string_view kSpecBody =
    "example.com/behind-the-sofa\n"
    "20852163\n"
    "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
constexpr std::string_view kSpecSignature =
    "— example.com/behind-the-sofa "
    "Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/"
    "Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n";

Hash spec_root() {
  Bytes b = base64_decode("CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=", "root");
  Hash h;
  std::copy(b.begin(), b.end(), h.begin());
  return h;
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

TEST_CASE("the tlog-checkpoint spec's example parses and formats back byte for byte") {
  Checkpoint c = parse_checkpoint_body(kSpecBody);
  CHECK(c.origin == "example.com/behind-the-sofa");
  CHECK(c.size == 20852163);
  CHECK(c.root == spec_root());
  CHECK(c.extensions.empty());
  CHECK(format_checkpoint_body(c) == kSpecBody);

  Note note = parse_note(std::string(kSpecBody) + "\n" + std::string(kSpecSignature));
  CHECK(note.text == kSpecBody);
  REQUIRE(note.signatures.size() == 1);
  CHECK(note.signatures[0].name == "example.com/behind-the-sofa");
  CHECK(note.signatures[0].key_hash == 0x033de0ae);
  CHECK(note.signatures[0].sig.size() == 64);
}

TEST_CASE("checkpoints with extension lines and extreme sizes round-trip") {
  Checkpoint c{"example.com/log", 0, Hash{}, {}};
  CHECK(format_checkpoint_body(c) ==
        "example.com/log\n0\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n");
  CHECK(parse_checkpoint_body(format_checkpoint_body(c)) == c);
  c.size = 18446744073709551615u;
  c.root = spec_root();
  c.extensions = {"ext one", "— ext two, Unicode 追溯"};
  std::string body = format_checkpoint_body(c);
  CHECK(body.ends_with("\next one\n— ext two, Unicode 追溯\n"));
  CHECK(parse_checkpoint_body(body) == c);
}

TEST_CASE("parse_checkpoint_body is strict (tlog-checkpoint §Note text)") {
  const std::string origin = "example.com/behind-the-sofa\n";
  const std::string root = "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
  struct Case {
    std::string what;
    std::string body;
    const char* message;
  };
  const Case bad[] = {
      {"empty", "", "checkpoint: empty"},
      {"no final newline", origin + "1\n" + root.substr(0, root.size() - 1),
       "does not end in a newline"},
      {"two lines", origin + "1\n", "2 lines"},
      {"empty origin", "\n1\n" + root, "line 1 is empty"},
      {"leading zero", origin + "01\n" + root, "leading zero"},
      {"plus sign", origin + "+1\n" + root, "not an ASCII decimal"},
      {"minus sign", origin + "-1\n" + root, "not an ASCII decimal"},
      {"space before size", origin + " 1\n" + root, "not an ASCII decimal"},
      {"space after size", origin + "1 \n" + root, "not an ASCII decimal"},
      {"size over 64 bits", origin + "18446744073709551616\n" + root, "does not fit in 64 bits"},
      {"hex size", origin + "0x10\n" + root, "not an ASCII decimal"},
      {"31-byte root", origin + "1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxqw==\n",
       "decodes to 31 bytes"},
      {"33-byte root", origin + "1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2IA\n",
       "decodes to 33 bytes"},
      {"unpadded root", origin + "1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I\n",
       "root hash (line 3): base64"},
      {"non-canonical root", origin + "1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2J=\n",
       "non-canonical"},
      {"hex root", origin + "1\n" + std::string(64, 'a') + "\n", "root hash (line 3)"},
      {"empty extension line", origin + "1\n" + root + "\next\n", "line 4 is empty"},
      {"trailing blank line", origin + "1\n" + root + "\n", "line 4 is empty"},
      {"CRLF", "example.com/behind-the-sofa\r\n1\r\n" + root, "control character U+000D"},
      {"control character in origin", "exa\x1bmple\n1\n" + root, "control character U+001B"},
      {"invalid UTF-8 in origin", "exa\xc0\xafmple\n1\n" + root, "invalid UTF-8"},
  };
  for (const Case& c : bad) {
    CAPTURE(c.what);
    Error e = error_of([&] { parse_checkpoint_body(c.body); });
    CHECK(e.kind() == ErrorKind::bad_input);
    CHECK_MESSAGE(std::string(e.what()).find(c.message) != std::string::npos,
                  std::string(e.what()));
  }
  // The spec only recommends key-name rules for origins; clients must accept any origin.
  CHECK(parse_checkpoint_body("my log + more\n1\n" + root).origin == "my log + more");
}

TEST_CASE("format_checkpoint_body refuses lines that would break the format") {
  CHECK_THROWS_WITH_AS(format_checkpoint_body({"", 1, Hash{}, {}}),
                       doctest::Contains("origin is empty"), Error);
  CHECK_THROWS_WITH_AS(format_checkpoint_body({"a\nb", 1, Hash{}, {}}),
                       doctest::Contains("origin contains a newline"), Error);
  CHECK_THROWS_WITH_AS(format_checkpoint_body({"a\tb", 1, Hash{}, {}}),
                       doctest::Contains("control character"), Error);
  CHECK_THROWS_WITH_AS(format_checkpoint_body({"a", 1, Hash{}, {"x", ""}}),
                       doctest::Contains("extension line 2 is empty"), Error);
  CHECK_THROWS_WITH_AS(format_checkpoint_body({"a", 1, Hash{}, {"x\ny"}}),
                       doctest::Contains("extension line 1 contains a newline"), Error);
}

TEST_CASE("sign_checkpoint and open_checkpoint round-trip with the log key") {
  SigningKey log_key = test_key("example.com/behind-the-sofa");
  VerifierKey vkey = verifier_key_of(log_key);
  Checkpoint c{"example.com/behind-the-sofa", 20852163, spec_root(), {}};
  std::string signed_note = sign_checkpoint(c, log_key);
  CHECK(signed_note.starts_with(std::string(kSpecBody) + "\n— example.com/behind-the-sofa "));
  CHECK(open_checkpoint(signed_note, vkey) == c);
  CHECK(sign_checkpoint(c, log_key) == signed_note);  // deterministic

  c.extensions = {"extension"};
  CHECK(open_checkpoint(sign_checkpoint(c, log_key), vkey) == c);
}

TEST_CASE("sign_checkpoint refuses a key that is not the origin's") {
  Checkpoint c{"example.com/log", 1, Hash{}, {}};
  Error e = error_of([&] { sign_checkpoint(c, test_key("example.com/station-1")); });
  CHECK(e.kind() == ErrorKind::bad_input);
  CHECK(std::string(e.what()).find("not the log key's name 'example.com/station-1'") !=
        std::string::npos);
}

TEST_CASE("open_checkpoint refusals are verification errors") {
  SigningKey log_key = test_key("example.com/log");
  VerifierKey vkey = verifier_key_of(log_key);
  Checkpoint c{"example.com/log", 10, spec_root(), {}};
  const std::string good = sign_checkpoint(c, log_key);

  struct Case {
    std::string what;
    std::string note;
    const char* message;
  };
  std::string tampered_size = good;
  tampered_size.replace(tampered_size.find("\n10\n"), 4, "\n11\n");
  const Case bad[] = {
      {"tampered tree size", tampered_size, "does not verify"},
      {"signed by another log's key",
       sign_checkpoint({"example.com/other", 10, spec_root(), {}}, test_key("example.com/other")),
       "no signature by example.com/log+"},
      {"a same-named key that is not the log key",
       sign_checkpoint(c, SigningKey::generate("example.com/log")),
       "no signature by example.com/log+"},
      {"another origin, signed by the log key",
       sign_note("example.com/other\n10\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n", log_key),
       "checkpoint origin 'example.com/other' is not the log key's name 'example.com/log'"},
      {"a signed note that is not a checkpoint", sign_note("hello\n", log_key),
       "not a valid checkpoint"},
      {"a signed body with a leading-zero size",
       sign_note("example.com/log\n010\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n", log_key),
       "leading zero"},
      {"not a note", std::string(kSpecBody), "malformed signed note"},
  };
  for (const Case& k : bad) {
    CAPTURE(k.what);
    Error e = error_of([&] { open_checkpoint(k.note, vkey); });
    CHECK(e.kind() == ErrorKind::verification);
    CHECK_MESSAGE(std::string(e.what()).find(k.message) != std::string::npos,
                  std::string(e.what()));
  }
}
