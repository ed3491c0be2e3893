// A printer station's ledger for labeler integration tests: a fresh ledger file with its
// log key, a registered station key (label jobs) and clerk key (everything else), master data (a co-op, its plot and packing house, a
// product with and one without a GTIN), and packed lots made on demand through planting,
// harvest, inspection and packing. The labeler and ledger binaries are run as child
// processes, the way a station's script runs them. For tests only.
#pragma once

#include <string>
#include <vector>

#include "ledger/ledger.h"

namespace agtrace::labeler::testing {

struct CommandResult {
  int status = -1;
  std::string out;  // standard output and standard error
};

// 08:00 Beijing time on the day `days` days before today, e.g. "2026-08-26T08:00:00+08:00":
// event times relative to today that the "not in the future" rule accepts.
std::string now_minus_days(int days);

class Station {
 public:
  explicit Station(const std::string& name);

  std::string dir, ledger_path, log_key, station_key, clerk_key;

  // Records planting → harvest → inspection → packing for packed lot `lot` (any name) of
  // the product with `gtin` ("" for none; a new product per distinct GTIN): 10 t packed
  // into `units` units; then, when `certified`, the lot's 承诺达标合格证 HG1404062026-NNNN
  // (自行检测合格 on the inspection), without which rules version 4 refuses its labels.
  void add_packed_lot(const std::string& lot, const std::string& gtin = "06901234567892", long units = 2000,
                      bool certified = true);

  // Runs agtrace-labeler / agtrace-ledger with --ledger; `args` are shell-quoted here.
  CommandResult labeler(const std::vector<std::string>& args) const;
  CommandResult ledger_cli(const std::vector<std::string>& args) const;
  // Runs the sqlite3 shell on the ledger file.
  CommandResult sqlite(const std::string& sql) const;

  Ledger open() const { return Ledger(ledger_path, false); }

 private:
  int counter_ = 0;
  std::vector<std::string> products_;
};

std::string shell_quote(const std::string& s);

}  // namespace agtrace::labeler::testing
