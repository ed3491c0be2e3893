// Writes the signed seeds of the fuzz corpora: checkpoints of the test log of fuzz/seeds.h
// and their bodies (fuzz/corpus/note) and tlog-proofs for some of its leaves (fuzz/corpus/tlog_proof).
// Deterministic (Ed25519 signatures are): rerunning rewrites the same files.
//
//   build-fuzz/fuzz/make_seeds fuzz/corpus
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "fuzz/seeds.h"
#include "ledger/merkle/merkle.h"
#include "ledger/note/checkpoint.h"
#include "ledger/note/signed_note.h"
#include "ledger/note/tlog_proof.h"
#include "ledger/note/verifier_key.h"
#include "ledger/util/bytes.h"

using namespace agtrace;

namespace {

void write(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: make_seeds CORPUS_DIR\n");
    return 2;
  }
  const std::filesystem::path out = argv[1];
  const auto& key = fuzz::seed_log_key();
  std::map<merkle::NodeId, Hash> nodes;
  merkle::CompactRange tree;
  for (std::uint64_t size : {1, 5, 8, 13}) {
    while (tree.size() < size)
      for (const auto& [id, hash] : tree.append(merkle::leaf_hash(as_bytes(fuzz::seed_leaf(tree.size())))))
        nodes[id] = hash;
    note::Checkpoint checkpoint{key.name(), size, tree.root(), {}};
    if (size == 13) checkpoint.extensions.push_back("fuzz extension line");
    const std::string signed_checkpoint = note::sign_checkpoint(checkpoint, key);
    write(out / "note" / ("checkpoint-" + std::to_string(size)), signed_checkpoint);
    write(out / "note" / ("checkpoint-body-" + std::to_string(size)), note::format_checkpoint_body(checkpoint));
    const auto read = [&](merkle::NodeId id) { return nodes.at(id); };
    for (std::uint64_t index : {std::uint64_t{0}, size / 2, size - 1}) {
      note::TlogProof proof{std::nullopt, index, merkle::inclusion_proof(index, size, read), signed_checkpoint};
      if (size == 8 && index == 4) proof.extra = Bytes{'f', 'u', 'z', 'z'};
      write(out / "tlog_proof" / ("proof-" + std::to_string(index) + "-of-" + std::to_string(size)),
            note::format_tlog_proof(proof));
    }
  }
  write(out / "note" / "verifier-key", note::verifier_key_of(key).to_string());
  write(out / "note" / "plain-note", note::sign_note("a plain note\n\nwith a blank line\n", key));
  return 0;
}
