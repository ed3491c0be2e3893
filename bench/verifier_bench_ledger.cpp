// Builds the large ledger that bench/verifier_bench.sh serves: a season of many small
// farms through the Ledger API — master data, then chains of planting, harvest, packing,
// the packed lot's 承诺达标合格证, storage observations and shipping, and
// two label jobs of 20 codes per 200 chains — until the log holds the
// asked number of entries (default 1,000,000), with a signed checkpoint at the end.
// Writes the ledger, a file of sample codes (one per line), the log's public key
// (OUT.ledger.pub) and the clerk's signing key (OUT.ledger.clerk.key). Not a test.
//
//   verifier_bench_ledger OUT.ledger CODES.txt [ENTRIES]
#include <fmt/format.h>
#include <openssl/rand.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "ledger/ledger.h"
#include "ledger/util/crockford.h"

using namespace agtrace;

namespace {

std::string serial() {
  std::uint8_t b[9] = {};
  RAND_bytes(b, 8);
  return crockford_encode(b, 13);
}

std::string ts(int day, int hour, int minute) {
  return fmt::format("2022-{:02}-{:02}T{:02}:{:02}:00+08:00", 4 + day / 28, 1 + day % 28, hour, minute);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: verifier_bench_ledger OUT.ledger CODES.txt [ENTRIES]\n";
    return 2;
  }
  std::string path = argv[1];
  std::uint64_t target = argc > 3 ? std::stoull(argv[3]) : 1'000'000;
  std::filesystem::remove(path);
  auto log_key = note::SigningKey::generate("bench.trace.example/log");
  auto clerk = note::SigningKey::generate("bench-clerk");
  Ledger::create(path, "https://bench.trace.example", log_key);
  // The log's public key, which the verifier pins (--log-pubkey OUT.ledger.pub).
  std::ofstream(path + ".pub") << note::verifier_key_of(log_key).to_string() << "\n";
  // The clerk's key, with which verifier_bench_probe appends label jobs to the ledger.
  std::filesystem::remove(path + ".clerk.key");
  std::filesystem::remove(path + ".clerk.key.pub");
  clerk.save(path + ".clerk.key");
  Ledger ledger(path, true);
  // A scratch file: durability does not matter here, and fsync would dominate the time; it is
  // built here, in thousands of appends, so the audit before each write is left out.
  ledger.database().exec("PRAGMA synchronous=OFF");
  ledger.audit_before_writing(false);
  auto vkey = note::verifier_key_of(clerk);
  ledger.append({prepare_event({{"type", "key_added"}, {"event_id", "key-" + vkey.key_id()},
                                {"event_time", "2022-03-01T08:00:00+08:00"}, {"name", vkey.name},
                                {"vkey", vkey.to_string()}, {"role", "clerk"}},
                               "key")},
                log_key, {});
  std::vector<PreparedEvent> master;
  auto add = [](std::vector<PreparedEvent>& v, nlohmann::json e) {
    v.push_back(prepare_event(std::move(e), "bench"));
  };
  add(master, {{"type", "party"}, {"event_id", "P-COOP"}, {"event_time", "2022-03-01T09:00:00+08:00"},
               {"party_id", "COOP"}, {"name", "潞城区示例种植专业合作社"}, {"role", "cooperative"}});
  add(master, {{"type", "party"}, {"event_id", "P-BUY"}, {"event_time", "2022-03-01T09:00:00+08:00"},
               {"party_id", "BUYER"}, {"name", "太原示例生鲜超市有限公司"}, {"role", "buyer"}});
  add(master, {{"type", "location"}, {"event_id", "L-PLOT"}, {"event_time", "2022-03-01T09:00:00+08:00"},
               {"location_id", "PLOT"}, {"name", "熬脑村1号地块"}, {"kind", "plot"}, {"owner", "COOP"}});
  add(master, {{"type", "location"}, {"event_id", "L-PACK"}, {"event_time", "2022-03-01T09:00:00+08:00"},
               {"location_id", "PACK"}, {"name", "包装车间"}, {"kind", "packing_house"}, {"owner", "COOP"}});
  add(master, {{"type", "product"}, {"event_id", "G-1"}, {"event_time", "2022-03-01T09:00:00+08:00"},
               {"product_id", "LCDC"}, {"name", "潞城大葱"}, {"gtin", "06901234567892"},
               {"brand", {{"regional", "潞城大葱"}}}, {"pack_size", {{"value", "5"}, {"unit", "KGM"}}}});
  ledger.append(master, clerk, {});

  std::ofstream codes(argv[2]);
  auto start = std::chrono::steady_clock::now();
  std::uint64_t chain = 0;
  while (ledger.store().size() < target) {
    std::vector<PreparedEvent> batch;
    std::vector<std::string> packed;
    for (int k = 0; k < 200; ++k, ++chain) {
      std::string p = fmt::format("B{}-P", chain), h = fmt::format("B{}-H", chain), kk = fmt::format("B{}-K", chain);
      int day = static_cast<int>(chain % 150);
      add(batch, {{"type", "planting"}, {"event_id", p}, {"event_time", ts(day, 8, 0)}, {"party", "COOP"},
                  {"location", "PLOT"}, {"lot", p}, {"product", "LCDC"}, {"area_mu", "2"}});
      add(batch, {{"type", "harvest"}, {"event_id", h}, {"event_time", ts(day + 20, 8, 0)}, {"party", "COOP"},
                  {"location", "PLOT"}, {"lot", h}, {"from_lot", p}, {"quantity", {{"value", "500"}, {"unit", "KGM"}}}});
      add(batch, {{"type", "packing"}, {"event_id", kk}, {"event_time", ts(day + 21, 8, 0)}, {"party", "COOP"},
                  {"location", "PACK"}, {"input_lot", h}, {"input_quantity", {{"value", "100"}, {"unit", "KGM"}}},
                  {"lot", kk}, {"product", "LCDC"}, {"count", 20}, {"pack_size", {{"value", "5"}, {"unit", "KGM"}}}});
      add(batch, {{"type", "certificate_issued"}, {"event_id", kk + "-C"}, {"event_time", ts(day + 21, 9, 0)},
                  {"number", kk + "-C"}, {"style", "producer"}, {"issuer", "COOP"}, {"lot", kk}, {"product", "LCDC"},
                  {"quantity", {{"value", "20"}, {"unit", "H87"}}}, {"origin", "PLOT"},
                  {"bases", {{{"basis", "quality_control"}}}}});
      for (int s = 0; s < 5; ++s)
        add(batch, {{"type", "storage"}, {"event_id", fmt::format("B{}-S{}", chain, s)},
                    {"event_time", ts(day + 21, 10 + s, 0)}, {"party", "COOP"}, {"location", "PACK"},
                    {"lots", {kk}}, {"start", ts(day + 21, 10 + s, 0)},
                    {"target", {{"min", "0"}, {"max", "2"}}},
                    {"readings", {{{"time", ts(day + 21, 10 + s, 0)}, {"value", "1.5"}}}}});
      add(batch, {{"type", "shipping"}, {"event_id", fmt::format("B{}-SH", chain)}, {"event_time", ts(day + 21, 18, 0)},
                  {"party", "COOP"}, {"location", "PACK"}, {"lots", {{{"lot", kk}}}}, {"to_party", "BUYER"}});
      packed.push_back(kk);
    }
    ledger.append(batch, clerk, {});
    // Two label jobs per batch: Ledger::record_label_job opens a Store, whose constructor
    // counts every leaf (O(entries)), so one job per packed lot would take hours at 1M.
    for (std::size_t j = 0; j < 2; ++j) {
      const auto& kk = packed[j * 100];
      LabelJob job;
      job.type = "labels_issued";
      job.lot = kk;
      job.party = "COOP";
      job.location = "PACK";
      for (int i = 0; i < 20; ++i) job.serials.push_back(serial());
      ledger.record_label_job(job, clerk);
      for (const auto& s : job.serials) codes << s << "\n";
    }
    auto secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::cerr << fmt::format("\r{} entries, {:.0f} s", ledger.store().size(), secs) << std::flush;
  }
  ledger.sign_checkpoint(log_key);
  std::cerr << fmt::format("\ndone: {} entries\n", ledger.store().size());
  return 0;
}
