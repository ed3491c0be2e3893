// C2SP signed-note v1.0.0: signing, strict parsing and verification with one Ed25519 key.
//
//     note      = text "\n" 1*sig-line          ; text ends in "\n"; split at the last "\n\n"
//     sig-line  = "— " key-name " " base64(key-hash[4] || signature) "\n"
#include "ledger/note/signed_note.h"

#include <fmt/format.h>

#include "ledger/note/text.h"
#include "ledger/util/error.h"

namespace agtrace::note {

namespace {

constexpr std::string_view kSignaturePrefix = "\u2014 ";  // em dash, space

std::uint32_t load_be32(const std::uint8_t* p) {
  return std::uint32_t{p[0]} << 24 | std::uint32_t{p[1]} << 16 | std::uint32_t{p[2]} << 8 | p[3];
}

NoteSignature parse_signature_line(std::string_view line, std::size_t number) {
  auto where = [number] { return fmt::format("signed note: signature line {}", number); };
  if (!line.starts_with(kSignaturePrefix))
    throw_bad_input(fmt::format("{} does not start with an em dash (U+2014) and a space: '{}'",
                                where(), printable(line)));
  line.remove_prefix(kSignaturePrefix.size());
  auto space = line.find(' ');
  if (space == std::string_view::npos)
    throw_bad_input(
        fmt::format("{}: expected a key name, a space and a base64 signature", where()));
  std::string_view name = line.substr(0, space);
  check_key_name(name, where() + ": key name");
  Bytes data = base64_decode(line.substr(space + 1), where() + ": signature");
  if (data.size() < 5)
    throw_bad_input(
        fmt::format("{}: the signature decodes to {} bytes, fewer than a 4-byte key "
                    "hash and a signature",
                    where(), data.size()));
  return NoteSignature{std::string(name), load_be32(data.data()),
                       Bytes(data.begin() + 4, data.end())};
}

}  // namespace

std::string sign_note(std::string_view text, const SigningKey& key) {
  if (text.empty() || !text.ends_with('\n'))
    throw_bad_input("note text must be non-empty and end in a newline");
  check_note_chars(text, "note text");
  VerifierKey vkey = verifier_key_of(key);
  Bytes data{static_cast<std::uint8_t>(vkey.key_hash >> 24),
             static_cast<std::uint8_t>(vkey.key_hash >> 16),
             static_cast<std::uint8_t>(vkey.key_hash >> 8),
             static_cast<std::uint8_t>(vkey.key_hash)};
  Bytes sig = key.sign(as_bytes(text));
  data.insert(data.end(), sig.begin(), sig.end());
  std::string note =
      fmt::format("{}\n{}{} {}\n", text, kSignaturePrefix, vkey.name, base64_encode(data));
  if (note.size() > kMaxNoteBytes)
    throw_bad_input(
        fmt::format("note text of {} bytes makes a signed note larger than the "
                    "{}-byte limit",
                    text.size(), kMaxNoteBytes));
  return note;
}

Note parse_note(std::string_view note) {
  if (note.size() > kMaxNoteBytes)
    throw_bad_input(
        fmt::format("signed note: {} bytes is over the {}-byte limit", note.size(), kMaxNoteBytes));
  check_note_chars(note, "signed note");
  auto split = note.rfind("\n\n");
  if (split == std::string_view::npos)
    throw_bad_input("signed note: no blank line separates the text from the signatures");
  std::string_view sigs = note.substr(split + 2);
  if (sigs.empty()) throw_bad_input("signed note: no signature line follows the last blank line");
  if (!sigs.ends_with('\n'))
    throw_bad_input("signed note: the last signature line does not end in a newline");

  Note parsed{std::string(note.substr(0, split + 1)), {}};
  while (!sigs.empty()) {
    if (parsed.signatures.size() == kMaxNoteSignatures)
      throw_bad_input(fmt::format("signed note: more than {} signature lines", kMaxNoteSignatures));
    auto end = sigs.find('\n');
    parsed.signatures.push_back(
        parse_signature_line(sigs.substr(0, end), parsed.signatures.size() + 1));
    sigs.remove_prefix(end + 1);
  }
  return parsed;
}

std::string verify_note(std::string_view note, const VerifierKey& key) {
  Note parsed;
  try {
    parsed = parse_note(note);
  } catch (const Error& e) {
    throw_verification(fmt::format("malformed signed note, not verified: {}", e.what()));
  }
  bool found = false;
  std::string others;
  for (const NoteSignature& s : parsed.signatures) {
    if (s.name != key.name || s.key_hash != key.key_hash) {
      others += fmt::format("{}{}+{:08x}", others.empty() ? "" : ", ", s.name, s.key_hash);
      continue;
    }
    found = true;
    if (!ed25519_verify(key.public_key, as_bytes(parsed.text), s.sig))
      throw_verification(fmt::format(
          "signed note: the signature by {} does not verify: the text or the signature was "
          "altered, or another key with the same name and key hash signed it",
          key.key_id()));
  }
  if (!found)
    throw_verification(fmt::format("signed note has no signature by {} (it is signed by {})",
                                   key.key_id(), others));
  return parsed.text;
}

}  // namespace agtrace::note
