// Helpers of bench/verifier_bench.sh that need the ledger library. Not a test.
//
//   verifier_bench_probe ed25519 LEDGER CLERK.key
//     OpenSSL Ed25519 verifications per second on one core (one EVP context, as `openssl
//     speed`) over the very messages the clerk signed in LEDGER (its first 2000 such
//     entries), for 2 s. Prints "WALL_RATE CPU_RATE".
//   verifier_bench_probe fresh LEDGER CLERK.key HOST PORT N
//     N times: records a one-code label job on a packed lot of LEDGER that has no codes yet
//     (Ledger::record_label_job, committed), then asks the verifier on HOST:PORT for the
//     code (GET /api/v1/codes/{serial}, every 2 ms) until it answers 200. Prints one line
//     per job, "MS", the time from the commit's return to the first 200.
#include <fmt/format.h>
#include <httplib.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <time.h>

#include <chrono>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "ledger/ledger.h"
#include "ledger/store/entry.h"
#include "ledger/util/crockford.h"

using namespace agtrace;

namespace {

using Clock = std::chrono::steady_clock;

double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

int ed25519(const std::string& ledger_path, const std::string& key_path) {
  auto clerk = note::SigningKey::load(key_path);
  const auto& pub = clerk.public_key();
  const std::string key_id = note::verifier_key_of(clerk).key_id();
  std::vector<std::pair<std::string, Bytes>> items;  // signing bytes, signature
  {
    sql::Database db(ledger_path, sql::OpenMode::read_only);
    auto rows = db.prepare("SELECT idx, entry FROM entries ORDER BY idx");
    while (items.size() < 2000 && rows.step()) {
      auto b = rows.column_blob(1);
      Entry e = decode_entry(std::string_view(reinterpret_cast<const char*>(b.data()), b.size()),
                             static_cast<std::uint64_t>(rows.column_int(0)));
      if (e.key_id == key_id) items.emplace_back(entry_signing_bytes(e), e.sig);
    }
  }
  if (items.empty()) throw std::runtime_error("no entry of the ledger is signed by " + key_path);
  std::unique_ptr<EVP_PKEY, void (*)(EVP_PKEY*)> key(
      EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, pub.data(), pub.size()), EVP_PKEY_free);
  std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!key || !ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) != 1)
    throw std::runtime_error("OpenSSL: EVP_DigestVerifyInit");
  std::size_t count = 0;
  double c0 = cpu_seconds();
  auto t0 = Clock::now();
  double elapsed = 0;
  do {
    for (int b = 0; b < 64; ++b, ++count) {
      const auto& [m, sig] = items[count % items.size()];
      if (EVP_DigestVerify(ctx.get(), sig.data(), sig.size(), reinterpret_cast<const unsigned char*>(m.data()),
                           m.size()) != 1)
        throw std::runtime_error("OpenSSL: a stored signature did not verify");
    }
    elapsed = std::chrono::duration<double>(Clock::now() - t0).count();
  } while (elapsed < 2.0);
  std::cout << fmt::format("{:.0f} {:.0f}\n", static_cast<double>(count) / elapsed,
                           static_cast<double>(count) / (cpu_seconds() - c0));
  return 0;
}

int fresh(const std::string& ledger_path, const std::string& key_path, const std::string& host, int port, int n) {
  auto clerk = note::SigningKey::load(key_path);
  Ledger ledger(ledger_path, true);
  // What is measured is how soon the verifier serves a code, not the writer's audit of a
  // bench ledger of a million entries before each job.
  ledger.audit_before_writing(false);
  // Packed lots without codes: each takes as many one-code jobs as it has units.
  std::vector<std::string> lots;
  {
    auto s = ledger.database().prepare(
        "SELECT lot_id FROM lots l WHERE created_by = 'packing' AND "
        "NOT EXISTS (SELECT 1 FROM codes c WHERE c.lot_id = l.lot_id) ORDER BY created_entry LIMIT ?");
    s.bind(1, static_cast<std::int64_t>(n / 20 + 1));
    while (s.step()) lots.push_back(s.column_text(0));
  }
  if (lots.empty()) throw std::runtime_error("the ledger has no packed lot without codes");
  httplib::Client client(host, port);
  client.set_keep_alive(true);
  std::size_t lot = 0;
  int in_lot = 0;
  for (int i = 0; i < n; ++i) {
    // The bench ledger packs 20 units per lot: one job per unit, then the next lot.
    if (in_lot == 20) {
      if (++lot == lots.size()) throw std::runtime_error("ran out of packed lots without codes");
      in_lot = 0;
    }
    ++in_lot;
    std::uint8_t b[9] = {};
    RAND_bytes(b, 8);
    LabelJob job{"labels_issued", lots[lot], {crockford_encode(b, 13)}, "COOP", "PACK", "", "", ""};
    ledger.record_label_job(job, clerk);
    auto committed = Clock::now();
    const std::string path = "/api/v1/codes/" + job.serials[0];
    for (;;) {
      auto res = client.Get(path);
      if (res && res->status == 200) break;
      if (!res) throw std::runtime_error("the verifier did not answer: " + httplib::to_string(res.error()));
      if (res->status != 404 && res->status != 503)
        throw std::runtime_error(fmt::format("the verifier answered {} for {}", res->status, path));
      if (Clock::now() - committed > std::chrono::seconds(60))
        throw std::runtime_error("the code was not served 60 s after its commit: " + job.serials[0]);
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    std::cout << fmt::format("{:.3f}\n", std::chrono::duration<double, std::milli>(Clock::now() - committed).count())
              << std::flush;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    std::vector<std::string> a(argv + 1, argv + argc);
    if (a.size() == 3 && a[0] == "ed25519") return ed25519(a[1], a[2]);
    if (a.size() == 6 && a[0] == "fresh") return fresh(a[1], a[2], a[3], std::stoi(a[4]), std::stoi(a[5]));
    std::cerr << "usage: verifier_bench_probe ed25519 LEDGER CLERK.key\n"
                 "       verifier_bench_probe fresh LEDGER CLERK.key HOST PORT N\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "verifier_bench_probe: " << e.what() << "\n";
    return 1;
  }
}
