// C2SP tlog-proof text: formatting and strict parsing.
//
//     proof = "c2sp.org/tlog-proof@v1\n" ["extra " base64 "\n"] "index " decimal "\n"
//             *(base64(hash[32]) "\n") "\n" signed-checkpoint
#include "ledger/note/tlog_proof.h"

#include <fmt/format.h>

#include "ledger/note/checkpoint.h"
#include "ledger/note/text.h"
#include "ledger/util/error.h"

namespace agtrace::note {

namespace {

constexpr std::string_view kExtraPrefix = "extra ";
constexpr std::string_view kIndexPrefix = "index ";

// Checks that `note` is a well-formed signed checkpoint, without verifying its signatures.
void check_checkpoint_note(std::string_view note) {
  try {
    parse_checkpoint_body(parse_note(note).text);
  } catch (const Error& e) {
    throw_bad_input(fmt::format("tlog-proof: the checkpoint is malformed: {}", e.what()));
  }
}

// Reads the proof's lines one at a time.
class LineReader {
 public:
  explicit LineReader(std::string_view text) : rest_(text) {}

  // The next line without its newline. Throws Error(bad_input) if no newline ends it.
  std::string_view next() {
    ++number_;
    auto end = rest_.find('\n');
    if (end == std::string_view::npos)
      throw_bad_input(
          fmt::format("tlog-proof: line {} is missing or does not end in a newline", number_));
    std::string_view line = rest_.substr(0, end);
    rest_.remove_prefix(end + 1);
    return line;
  }
  std::size_t number() const { return number_; }
  std::string_view rest() const { return rest_; }

 private:
  std::string_view rest_;
  std::size_t number_ = 0;
};

}  // namespace

std::string format_tlog_proof(const TlogProof& proof) {
  if (proof.extra && proof.extra->empty())
    throw_bad_input("tlog-proof: extra data is empty; leave it out instead");
  if (proof.hashes.size() > kMaxTlogProofHashes)
    throw_bad_input(fmt::format("tlog-proof: {} hashes, more than an inclusion proof can have ({})",
                                proof.hashes.size(), kMaxTlogProofHashes));
  check_checkpoint_note(proof.checkpoint_note);
  std::string text = fmt::format("{}\n", kTlogProofHeader);
  if (proof.extra) text += fmt::format("{}{}\n", kExtraPrefix, base64_encode(*proof.extra));
  text += fmt::format("{}{}\n", kIndexPrefix, proof.index);
  for (const Hash& h : proof.hashes) text += base64_encode(h) + "\n";
  text += "\n";
  text += proof.checkpoint_note;
  return text;
}

TlogProof parse_tlog_proof(std::string_view text) {
  if (text.size() > kMaxTlogProofBytes)
    throw_bad_input(fmt::format("tlog-proof: {} bytes is over the {}-byte limit", text.size(),
                                kMaxTlogProofBytes));
  LineReader lines(text);
  if (lines.next() != kTlogProofHeader)
    throw_bad_input(fmt::format("tlog-proof: the first line must be {}", kTlogProofHeader));

  TlogProof proof;
  std::string_view line = lines.next();
  if (line.starts_with(kExtraPrefix)) {
    proof.extra = base64_decode(line.substr(kExtraPrefix.size()), "tlog-proof: extra (line 2)");
    if (proof.extra->empty()) throw_bad_input("tlog-proof: extra (line 2) is empty");
    line = lines.next();
  }
  if (!line.starts_with(kIndexPrefix))
    throw_bad_input(fmt::format("tlog-proof: line {} must be 'index N'{}", lines.number(),
                                proof.extra ? "" : " (or 'extra DATA' before it)"));
  proof.index = parse_decimal_u64(line.substr(kIndexPrefix.size()),
                                  fmt::format("tlog-proof: index (line {})", lines.number()));

  while (!(line = lines.next()).empty()) {
    if (proof.hashes.size() == kMaxTlogProofHashes)
      throw_bad_input(fmt::format("tlog-proof: more than {} proof hashes (line {})",
                                  kMaxTlogProofHashes, lines.number()));
    std::string what = fmt::format("tlog-proof: proof hash (line {})", lines.number());
    Bytes h = base64_decode(line, what);
    if (h.size() != Hash{}.size())
      throw_bad_input(fmt::format("{} decodes to {} bytes; a SHA-256 hash is 32", what, h.size()));
    std::copy(h.begin(), h.end(), proof.hashes.emplace_back().begin());
  }
  proof.checkpoint_note = lines.rest();
  check_checkpoint_note(proof.checkpoint_note);
  return proof;
}

}  // namespace agtrace::note
