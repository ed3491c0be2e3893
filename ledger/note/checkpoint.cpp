// C2SP tlog-checkpoint v1.0.0 bodies, and their signing and opening as signed notes.
//
//     body = origin "\n" size "\n" base64(root) "\n" *(extension "\n")
#include "ledger/note/checkpoint.h"

#include <fmt/format.h>

#include "ledger/note/signed_note.h"
#include "ledger/note/text.h"
#include "ledger/util/error.h"

namespace agtrace::note {

namespace {

void check_line(std::string_view line, std::string_view what) {
  if (line.empty()) throw_bad_input(fmt::format("checkpoint: {} is empty", what));
  if (line.find('\n') != std::string_view::npos)
    throw_bad_input(fmt::format("checkpoint: {} contains a newline", what));
  check_note_chars(line, fmt::format("checkpoint: {}", what));
}

}  // namespace

std::string format_checkpoint_body(const Checkpoint& checkpoint) {
  check_line(checkpoint.origin, "origin");
  std::string body = fmt::format("{}\n{}\n{}\n", checkpoint.origin, checkpoint.size,
                                 base64_encode(checkpoint.root));
  for (std::size_t i = 0; i < checkpoint.extensions.size(); ++i) {
    check_line(checkpoint.extensions[i], fmt::format("extension line {}", i + 1));
    body += checkpoint.extensions[i];
    body += '\n';
  }
  return body;
}

Checkpoint parse_checkpoint_body(std::string_view body) {
  if (body.empty()) throw_bad_input("checkpoint: empty; expected origin, tree size and root hash");
  check_note_chars(body, "checkpoint");
  if (!body.ends_with('\n')) throw_bad_input("checkpoint: the last line does not end in a newline");
  std::vector<std::string_view> lines;
  for (std::string_view rest = body; !rest.empty();) {
    auto end = rest.find('\n');
    std::string_view line = rest.substr(0, end);
    if (line.empty())
      throw_bad_input(
          fmt::format("checkpoint: line {} is empty (no line may be)", lines.size() + 1));
    lines.push_back(line);
    rest.remove_prefix(end + 1);
  }
  if (lines.size() < 3)
    throw_bad_input(fmt::format("checkpoint: {} lines, but origin, tree size and root hash need 3",
                                lines.size()));
  Checkpoint checkpoint;
  checkpoint.origin = lines[0];
  checkpoint.size = parse_decimal_u64(lines[1], "checkpoint: tree size (line 2)");
  Bytes root = base64_decode(lines[2], "checkpoint: root hash (line 3)");
  if (root.size() != checkpoint.root.size())
    throw_bad_input(fmt::format(
        "checkpoint: root hash (line 3) decodes to {} bytes; a SHA-256 hash is 32", root.size()));
  std::copy(root.begin(), root.end(), checkpoint.root.begin());
  checkpoint.extensions.assign(lines.begin() + 3, lines.end());
  return checkpoint;
}

std::string sign_checkpoint(const Checkpoint& checkpoint, const SigningKey& log_key) {
  if (log_key.name() != checkpoint.origin)
    throw_bad_input(
        fmt::format("checkpoint origin '{}' is not the log key's name '{}': only the "
                    "log key signs this log's checkpoints",
                    printable(checkpoint.origin), log_key.name()));
  return sign_note(format_checkpoint_body(checkpoint), log_key);
}

Checkpoint open_checkpoint(std::string_view signed_note, const VerifierKey& log_key) {
  std::string body = verify_note(signed_note, log_key);
  Checkpoint checkpoint;
  try {
    checkpoint = parse_checkpoint_body(body);
  } catch (const Error& e) {
    throw_verification(
        fmt::format("signed by {} but not a valid checkpoint: {}", log_key.key_id(), e.what()));
  }
  if (checkpoint.origin != log_key.name)
    throw_verification(
        fmt::format("checkpoint origin '{}' is not the log key's name '{}': it is "
                    "a checkpoint of another log",
                    printable(checkpoint.origin), log_key.name));
  return checkpoint;
}

}  // namespace agtrace::note
