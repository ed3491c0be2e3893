// The C2SP text formats (ledger/note): signed notes, checkpoint bodies, verifier keys, and
// signed checkpoints checked against a fixed log key.
//
// Properties: each strict parser accepts only its canonical text, so formatting what it
// returned gives back the input byte for byte; verify_note() and open_checkpoint() fail
// (as verification) on whatever parse_note() refuses; and a note that verifies no longer
// verifies once any byte of its text is changed.
#include <string>

#include "fuzz/fuzz_check.h"
#include "fuzz/seeds.h"
#include "ledger/note/checkpoint.h"
#include "ledger/note/signed_note.h"
#include "ledger/note/verifier_key.h"
#include "ledger/util/bytes.h"
#include "ledger/util/error.h"

using namespace agtrace;
using namespace agtrace::note;

namespace {

std::string format_note(const Note& note) {
  std::string out = note.text + "\n";
  for (const auto& sig : note.signatures) {
    Bytes data{static_cast<std::uint8_t>(sig.key_hash >> 24), static_cast<std::uint8_t>(sig.key_hash >> 16),
               static_cast<std::uint8_t>(sig.key_hash >> 8), static_cast<std::uint8_t>(sig.key_hash)};
    data.insert(data.end(), sig.sig.begin(), sig.sig.end());
    out += "\u2014 " + sig.name + " " + base64_encode(data) + "\n";
  }
  return out;
}

void check_note(std::string_view text) {
  const VerifierKey key = verifier_key_of(fuzz::seed_log_key());
  bool parsed = false;
  try {
    const Note note = parse_note(text);
    parsed = true;
    FUZZ_CHECK(!note.text.empty() && note.text.back() == '\n');
    FUZZ_CHECK(!note.signatures.empty() && note.signatures.size() <= kMaxNoteSignatures);
    FUZZ_CHECK(format_note(note) == text);
  } catch (const Error& e) {
    FUZZ_CHECK(e.kind() == ErrorKind::bad_input);
  }
  std::string body;
  try {
    body = verify_note(text, key);
  } catch (const Error& e) {
    FUZZ_CHECK(e.kind() == ErrorKind::verification);
    return;
  }
  FUZZ_CHECK(parsed);
  FUZZ_CHECK(text.substr(0, body.size()) == body);
  // Any change to the signed text breaks the signature.
  std::string forged(text);
  forged[body.size() / 2] ^= 0x01;
  try {
    verify_note(forged, key);
    FUZZ_CHECK(!"a note with a changed text still verifies");
  } catch (const Error& e) {
    FUZZ_CHECK(e.kind() == ErrorKind::verification);
  }
  try {
    const Checkpoint checkpoint = open_checkpoint(text, key);
    FUZZ_CHECK(checkpoint.origin == key.name);
    FUZZ_CHECK(format_checkpoint_body(checkpoint) == body);
  } catch (const Error& e) {
    FUZZ_CHECK(e.kind() == ErrorKind::verification);
  }
}

void check_checkpoint_body(std::string_view text) {
  Checkpoint checkpoint;
  try {
    checkpoint = parse_checkpoint_body(text);
  } catch (const Error& e) {
    FUZZ_CHECK(e.kind() == ErrorKind::bad_input);
    return;
  }
  FUZZ_CHECK(format_checkpoint_body(checkpoint) == text);
}

void check_verifier_key(std::string_view text) {
  VerifierKey key;
  try {
    key = parse_verifier_key(text);
  } catch (const Error& e) {
    FUZZ_CHECK(e.kind() == ErrorKind::bad_input);
    return;
  }
  FUZZ_CHECK(key.to_string() == text);
  FUZZ_CHECK(is_valid_key_name(key.name));
  FUZZ_CHECK(key.key_hash == ed25519_key_hash(key.name, key.public_key));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = fuzz::as_text(data, size);
  check_note(text);
  check_checkpoint_body(text);
  check_verifier_key(text);
  return 0;
}
