#include "ledger/note/signed_note.h"

#include <doctest/doctest.h>

#include "ledger/note/note_testing.h"
#include "ledger/util/error.h"

using namespace agtrace;
using namespace agtrace::note;
using namespace agtrace::note::testing;

namespace {

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

std::string repeat(std::string_view s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

const std::string kPeterNote = std::string(kPeterText) + "\n" + std::string(kPeterSig);

}  // namespace

// x/mod/sumdb/note TestSign: Ed25519 is deterministic, so signing the example text with the
// example key must reproduce the published note byte for byte.
TEST_CASE("sign_note reproduces x/mod/sumdb/note's signed example exactly") {
  SigningKey peter = signing_key_from_go(kPeterSignerKey);
  CHECK(sign_note(kPeterText, peter) == kPeterNote);
  CHECK(verify_note(kPeterNote, parse_verifier_key(kPeterVerifierKey)) == kPeterText);
}

TEST_CASE("parse_note reads the C2SP signed-note spec's example") {
  const std::string note =
      "Ognuno sta solo sul cuor della terra\n"
      "trafitto da un raggio di sole:\n"
      "\n"
      "ed è subito sera.\n"
      "\n"
      "— quasimodo.example/salvatore "
      "NnugSzTjtVAewIS+Z/iJhUPeFDkO/"
      "5QQ2i5ddnGITLlC+EhfLW9oJKONrMouFSQU0xMcXxj99ihAQwaqP3ZekRwNtIc=\n";
  Note parsed = parse_note(note);
  // The text keeps its own blank line; the last blank line separates the signatures.
  CHECK(parsed.text ==
        "Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned è subito "
        "sera.\n");
  REQUIRE(parsed.signatures.size() == 1);
  CHECK(parsed.signatures[0].name == "quasimodo.example/salvatore");
  CHECK(parsed.signatures[0].key_hash == 0x367ba04b);
  CHECK(parsed.signatures[0].sig.size() == 64);
}

// x/mod/sumdb/note TestOpen, with agtrace's one-key verify_note.
TEST_CASE("verify_note checks the signature of the given key and ignores the others") {
  VerifierKey peter = parse_verifier_key(kPeterVerifierKey);
  VerifierKey enoch = parse_verifier_key(kEnochVerifierKey);
  const std::string both =
      std::string(kPeterText) + "\n" + std::string(kPeterSig) + std::string(kEnochSig);
  CHECK(verify_note(both, peter) == kPeterText);
  CHECK(verify_note(both, enoch) == kPeterText);

  Note parsed = parse_note(both);
  REQUIRE(parsed.signatures.size() == 2);
  CHECK(parsed.signatures[0].name == "PeterNeumann");
  CHECK(parsed.signatures[0].key_hash == 0xc74f20a3);
  CHECK(parsed.signatures[1].name == "EnochRoot");
  CHECK(parsed.signatures[1].key_hash == 0xaf0cfe78);

  // Repeated signatures, and a bad signature by a key we were not asked about, are fine.
  std::string enoch_sig(kEnochSig);
  std::string enoch_abcd = enoch_sig.substr(0, 60) + "ABCD" + enoch_sig.substr(60);
  std::string noisy =
      std::string(kPeterText) + "\n" + repeat(kPeterSig, 2) + repeat(kEnochSig, 2) + enoch_abcd;
  CHECK(verify_note(noisy, peter) == kPeterText);
  CHECK_THROWS_WITH_AS(verify_note(noisy, enoch), doctest::Contains("does not verify"), Error);
}

TEST_CASE("verify_note failures are verification errors that say why") {
  VerifierKey peter = parse_verifier_key(kPeterVerifierKey);

  SUBCASE("no signature by the key") {
    Error e =
        error_of([&] { verify_note(kPeterNote, verifier_key_of(test_key("example.com/log"))); });
    CHECK(e.kind() == ErrorKind::verification);
    CHECK(std::string(e.what()).find("no signature by example.com/log+") != std::string::npos);
    CHECK(std::string(e.what()).find("signed by PeterNeumann+c74f20a3") != std::string::npos);
  }
  SUBCASE("same name, another key: a different key hash, so no signature by it") {
    VerifierKey impostor = verifier_key_of(test_key("PeterNeumann"));
    CHECK_THROWS_WITH(verify_note(kPeterNote, impostor),
                      doctest::Contains("no signature by PeterNeumann+"));
  }
  SUBCASE("same name and key hash, another public key: the signature does not verify") {
    VerifierKey collision = peter;
    collision.public_key = test_key("x").public_key();
    Error e = error_of([&] { verify_note(kPeterNote, collision); });
    CHECK(e.kind() == ErrorKind::verification);
    CHECK(std::string(e.what()).find("signature by PeterNeumann+c74f20a3 does not verify") !=
          std::string::npos);
  }
  SUBCASE("tampered text") {
    std::string tampered = kPeterNote;
    tampered[3] = 'Y';
    Error e = error_of([&] { verify_note(tampered, peter); });
    CHECK(e.kind() == ErrorKind::verification);
    CHECK(std::string(e.what()).find("does not verify") != std::string::npos);
  }
  SUBCASE("tampered signature (x/mod's 'invalid signature' case)") {
    std::string sig(kPeterSig);
    std::string bad = std::string(kPeterText) + "\n" + sig.substr(0, 60) + "ABCD" + sig.substr(60);
    CHECK_THROWS_WITH(verify_note(bad, peter), doctest::Contains("does not verify"));
  }
  SUBCASE("a good and a bad signature by the same key: the whole note is rejected") {
    std::string sig(kPeterSig);
    std::string bad = kPeterNote + sig.substr(0, 60) + "ABCD" + sig.substr(60);
    CHECK_THROWS_WITH(verify_note(bad, peter), doctest::Contains("does not verify"));
  }
  SUBCASE("malformed") {
    Error e = error_of([&] { verify_note(kPeterText, peter); });
    CHECK(e.kind() == ErrorKind::verification);
    CHECK(std::string(e.what()).starts_with("malformed signed note, not verified: "));
  }
}

TEST_CASE("parse_note refuses malformed notes (signed-note §Format)") {
  const std::string text(kPeterText);
  const std::string sig(kPeterSig);
  const std::string b64 = sig.substr(sig.find(' ', 4) + 1);  // base64 and "\n"
  struct Case {
    std::string what;
    std::string note;
    const char* message;
  };
  const Case bad[] = {
      // x/mod/sumdb/note TestOpen's bad messages.
      {"text only", text, "no blank line"},
      {"no signature line", text + "\n", "no signature line"},
      {"last line without newline", text + "\n" + sig.substr(0, sig.size() - 1),
       "does not end in a newline"},
      {"control character", "\x01" + text + "\n" + sig, "control character U+0001"},
      {"invalid UTF-8", "\xff" + text + "\n" + sig, "invalid UTF-8"},
      {"space in name", text + "\n— Bad Name " + b64, "signature line 1: signature: base64"},
      {"not a signature line", text + "\n" + sig + "Unexpected line.\n",
       "signature line 2 does not start with an em dash"},
      // More of §Format.
      {"hyphen instead of em dash", text + "\n- PeterNeumann " + b64,
       "does not start with an em dash"},
      {"en dash", text + "\n\u2013 PeterNeumann " + b64, "does not start with an em dash"},
      {"em dash without space", text + "\n—PeterNeumann " + b64, "does not start with an em dash"},
      {"no space after name", text + "\n— PeterNeumann\n",
       "expected a key name, a space and a base64 signature"},
      {"two spaces", text + "\n— PeterNeumann  " + b64, "signature line 1: signature: base64"},
      {"'+' in name", text + "\n— Peter+Neumann " + b64, "'+'"},
      {"empty name", text + "\n—  " + b64, "it is empty"},
      {"empty signature", text + "\n— PeterNeumann \n", "decodes to 0 bytes"},
      {"4-byte signature", text + "\n— PeterNeumann AAAAAA==\n", "decodes to 4 bytes"},
      {"unpadded base64", text + "\n— PeterNeumann " + b64.substr(0, b64.size() - 2) + "\n",
       "base64"},
      {"non-canonical base64", text + "\n— PeterNeumann " + b64.substr(0, b64.size() - 3) + "N=\n",
       "non-canonical"},
      {"CRLF", text + "\r\n" + sig, "control character U+000D"},
      {"blank line after signatures", text + "\n" + sig + "\n", "no signature line"},
      {"101 signatures", text + "\n" + repeat(sig, 101), "more than 100 signature lines"},
      {"over 1 MiB", std::string(kMaxNoteBytes + 1, 'a'), "over the 1048576-byte limit"},
  };
  for (const Case& c : bad) {
    CAPTURE(c.what);
    Error e = error_of([&] { parse_note(c.note); });
    CHECK(e.kind() == ErrorKind::bad_input);
    CHECK_MESSAGE(std::string(e.what()).find(c.message) != std::string::npos,
                  std::string(e.what()));
  }
  CHECK(parse_note(text + "\n" + repeat(sig, 100)).signatures.size() == 100);
}

TEST_CASE("sign_note round-trips texts with blank lines and Unicode, and refuses bad texts") {
  SigningKey key = test_key("example.com/notes");
  VerifierKey vkey = verifier_key_of(key);
  for (std::string text : {"\n", "a\n\nb\n", "a\n\n\n", "产地: 山东寿光\n— not a signature\n"}) {
    CAPTURE(text);
    std::string note = sign_note(text, key);
    CHECK(verify_note(note, vkey) == text);
    CHECK(parse_note(note).text == text);
  }
  for (std::string bad : {"", "abc", "tab\there\n", "cr\r\n", "\xff\n"}) {
    CAPTURE(bad);
    CHECK_THROWS_AS(sign_note(bad, key), Error);
  }
  CHECK_THROWS_WITH(sign_note(std::string(kMaxNoteBytes, 'a') + "\n", key),
                    doctest::Contains("larger than the 1048576-byte limit"));
}
