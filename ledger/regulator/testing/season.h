// Test data for the regulator tools: one co-op's season with two splits and one merge
// (issue 5, "What it must show"), recorded through the library into a fresh ledger.
//
//   plot PLOT-A: planting PA ── pesticide (chlorpyrifos, PHI 7 d)
//   plot PLOT-B: planting PB ── fertiliser; pesticide (imidacloprid, PHI 14 d)
//   harvest  PA → HA 1000 kg            harvest PB → HB 800 kg
//   split 1  HA → HA1 500 kg, HA2 480 kg (20 kg loss)
//   split 2  HB → HB1 400 kg, HB2 400 kg
//   merge    HA2 + HB1 → M1 870 kg (scallion oil base)
//   packing  HA1 → K1 20 boxes; M1 → K2 10 boxes; HB2 → K3 10 boxes (5 kg each)
//   labels   K1: 3 codes; K2: 2 codes; K3: 2 codes, one of K3's voided
//   shipping K2 → BUYER-1 (shipment SH-1); K3 → BUYER-2 (shipment SH-2)
//   承诺达标合格证 LC-2022-0003 for K3 on shipment SH-2 (the product needs none; the co-op issues it)
//
// So a code of K2 traces back to both plots and both pesticides, a code of K1 only to PLOT-A;
// PA's descendants carry exactly the codes of K1 and K2, PB's those of K2 and K3.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "ledger/ledger.h"

namespace agtrace::testing {

class Season {
 public:
  // Builds the season in a fresh directory under the system temp dir (removed by the
  // destructor): ledger.db, log.key and clerk.key (with their .pub files; the clerk key is
  // registered with holder COOP), and a checkpoint over everything.
  Season();
  ~Season();
  Season(const Season&) = delete;
  Season& operator=(const Season&) = delete;

  const std::filesystem::path& dir() const { return dir_; }
  std::string path() const { return (dir_ / "ledger.db").string(); }
  std::string log_key_file() const { return (dir_ / "log.key").string(); }
  std::string clerk_key_file() const { return (dir_ / "clerk.key").string(); }
  const note::SigningKey& log_key() const { return log_key_; }
  const note::SigningKey& clerk() const { return clerk_; }

  // The trace codes issued for each packed lot (K1, K2, K3), sorted; and the voided one.
  const std::vector<std::string>& codes(const std::string& lot) const { return codes_.at(lot); }
  const std::string& voided_code() const { return voided_; }

 private:
  std::filesystem::path dir_;
  note::SigningKey log_key_;
  note::SigningKey clerk_;
  std::map<std::string, std::vector<std::string>> codes_;
  std::string voided_;
};

// Runs `command` through /bin/sh; returns its exit status, with stdout and stderr in `out`
// and `err`.
int run(const std::string& command, std::string& out, std::string& err);

// The agtrace-ledger binary of this build.
std::string ledger_binary();

}  // namespace agtrace::testing
