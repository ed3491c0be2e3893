// C2SP tlog-proof files (ledger/note/tlog_proof.h), checked as `agtrace-ledger` and an
// offline auditor check them: parse, open the checkpoint with the log key, verify the audit
// path (ledger/merkle) for the leaf at the proof's index.
//
// The seed corpus's proofs are for a test log whose leaf i is the bytes "fuzz leaf <i>",
// signed with the key of fuzz/seeds.h. Properties: the strict parser accepts only canonical
// text (format_tlog_proof() gives back the input); a proof that verifies for its leaf does
// not verify for another leaf, and no longer verifies once one of its hashes is changed.
#include <string>

#include "fuzz/fuzz_check.h"
#include "fuzz/seeds.h"
#include "ledger/merkle/merkle.h"
#include "ledger/note/checkpoint.h"
#include "ledger/note/tlog_proof.h"
#include "ledger/util/bytes.h"
#include "ledger/util/error.h"

using namespace agtrace;
using namespace agtrace::note;

namespace {

bool verifies(const Hash& leaf, const TlogProof& proof, const Checkpoint& checkpoint) {
  try {
    merkle::verify_inclusion(leaf, proof.index, checkpoint.size, proof.hashes, checkpoint.root);
    return true;
  } catch (const Error& e) {
    FUZZ_CHECK(e.kind() == ErrorKind::verification);
    return false;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = fuzz::as_text(data, size);
  TlogProof proof;
  try {
    proof = parse_tlog_proof(text);
  } catch (const Error& e) {
    FUZZ_CHECK(e.kind() == ErrorKind::bad_input);
    return 0;
  }
  FUZZ_CHECK(proof.hashes.size() <= kMaxTlogProofHashes);
  FUZZ_CHECK(format_tlog_proof(proof) == text);

  Checkpoint checkpoint;
  try {
    checkpoint = open_checkpoint(proof.checkpoint_note, verifier_key_of(fuzz::seed_log_key()));
  } catch (const Error& e) {
    FUZZ_CHECK(e.kind() == ErrorKind::verification);
    return 0;
  }
  const Hash leaf = merkle::leaf_hash(as_bytes(fuzz::seed_leaf(proof.index)));
  if (!verifies(leaf, proof, checkpoint)) return 0;
  const Hash other = merkle::leaf_hash(as_bytes(fuzz::seed_leaf(proof.index + 1)));
  FUZZ_CHECK(!verifies(other, proof, checkpoint));
  for (std::size_t i = 0; i < proof.hashes.size(); ++i) {
    TlogProof changed = proof;
    changed.hashes[i][i % 32] ^= 0x80;
    FUZZ_CHECK(!verifies(leaf, changed, checkpoint));
  }
  return 0;
}
