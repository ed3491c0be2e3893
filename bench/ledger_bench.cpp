// ledger_bench: how fast the ledger appends and audits, each figure beside a baseline
// measured in the same run on the same machine (issue 2 "Speed").
//
//   append   Ledger::append of N prepared events in one call (one BEGIN IMMEDIATE
//            transaction: group commit), against
//              - raw SQLite inserts of the same entry bytes into the same `entries`
//                table, one transaction, WAL, synchronous=FULL;
//              - OpenSSL Ed25519 signing on one core (EVP_DigestSign one-shot over the
//                very messages the ledger signed). Goal: append >= 0.7 x signing.
//   import   the same events as JSON lines through the CLI's import path
//            (cli::json_event_source: strict parse + schema, on every core) streamed
//            into Ledger::append.
//   verify   Ledger::verify of the whole log, in entries/s, against OpenSSL Ed25519
//            verification on one core over the same messages. Goal: >= 1.4 x one core.
//
// The events are a harvest season of Lucheng scallions: harvests, residue inspections
// and cold-chain shipments in turn, with Chinese text, 500-800 bytes each. The figures
// of `openssl speed -seconds 2 ed25519` (20-byte messages, user CPU time) are printed
// for reference when the binary exists. Nothing here asserts a time: it measures.
//
// Usage: ledger_bench [--events N] [--dir DIR] [--keep] [--rows FILE] [--no-openssl-speed]
//   --rows FILE appends one tab-separated row per figure (bench/README.md), which
//   bench/run gathers into the project's one benchmark table.
#include <fmt/format.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <sqlite3.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "ledger/cli/input.h"
#include "ledger/ledger.h"
#include "ledger/note/verifier_key.h"
#include "ledger/store/schema.h"
#include "ledger/util/error.h"

namespace agtrace::bench {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// CPU seconds used by this process so far, all threads together.
double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// CPU seconds of the calling thread alone.
double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// A rate measured two ways: by the wall clock (the figure) and by the CPU seconds the
// process used meanwhile (insensitive to other load on the machine).
struct Rate {
  double wall = 0;
  double cpu = 0;
};

// Times `count` operations done by `body`.
template <class Body>
Rate measure(double count, Body body) {
  double c0 = cpu_seconds();
  auto t0 = Clock::now();
  body();
  double wall = seconds_since(t0), cpu = cpu_seconds() - c0;
  return {count / wall, cpu > 0 ? count / cpu : 0};
}

struct Options {
  std::size_t events = 20000;
  std::string dir;
  std::string rows_file;
  bool keep = false;
  bool openssl_speed = true;
};

Options parse_args(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw std::invalid_argument(a + " needs a value");
      return argv[++i];
    };
    if (a == "--events") {
      o.events = std::stoul(value());
    } else if (a == "--dir") {
      o.dir = value();
    } else if (a == "--rows") {
      o.rows_file = value();
    } else if (a == "--keep") {
      o.keep = true;
    } else if (a == "--no-openssl-speed") {
      o.openssl_speed = false;
    } else if (a == "--help" || a == "-h") {
      std::cout << "usage: ledger_bench [--events N (default 20000)] [--dir DIR] [--keep] "
                   "[--rows FILE] [--no-openssl-speed]\n";
      std::exit(0);
    } else {
      throw std::invalid_argument("unknown argument " + a + " (see --help)");
    }
  }
  if (o.events < 3) throw std::invalid_argument("--events must be at least 3");
  return o;
}

// ---------------------------------------------------------------------------------------
// The season: master data, plantings, then harvest -> inspection -> shipping per lot.

constexpr int kPlots = 48;
constexpr std::int64_t kHarvestStart = 1663624800;  // 2022-09-20T06:00:00+08:00

// RFC 3339 in China Standard Time for Unix time `t`.
std::string cst(std::int64_t t) {
  std::time_t local = static_cast<std::time_t>(t + 8 * 3600);
  std::tm tm{};
  gmtime_r(&local, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S+08:00", &tm);
  return buf;
}

const char* const kVillages[] = {"熬脑", "张家河", "合室"};
const char* const kVillageIds[] = {"aonao", "zhangjiahe", "heshi"};

std::string plot_id(int p) { return fmt::format("plot-{}-{:02}", kVillageIds[p % 3], p / 3 + 1); }
std::string planting_lot(int p) { return fmt::format("LC22-PL-{:03}", p); }

std::vector<nlohmann::json> master_data() {
  const std::string t = cst(1646100000);  // 2022-03-01
  std::vector<nlohmann::json> v;
  auto party = [&](const char* id, const char* name, const char* role, const char* address) {
    v.push_back({{"type", "party"}, {"event_id", fmt::format("party-{}", id)}, {"event_time", t},
                 {"party_id", id}, {"name", name}, {"role", role}, {"address", address},
                 {"admin_region", "140406"}, {"contact", "王建国"}, {"phone", "0355-6021234"}});
  };
  party("sdd", "潞城区山丹丹农业专业合作社", "cooperative", "山西省长治市潞城区店上镇熬脑村");
  party("conghe", "长治市聪和农业开发有限公司", "producer", "山西省长治市潞城区合室乡合室村");
  party("xinaoxing", "潞城区鑫熬兴农产品加工有限公司", "processor", "山西省长治市潞城区店上镇");
  party("lab-cz", "长治市农产品质量安全检验检测中心", "laboratory", "山西省长治市潞州区英雄南路");
  party("carrier-sd", "山西顺达冷链物流有限公司", "carrier", "山西省太原市小店区");
  party("buyer-ty", "太原市河西农产品批发市场", "buyer", "山西省太原市万柏林区");
  party("buyer-bj", "北京新发地农产品批发市场", "buyer", "北京市丰台区新发地");

  auto location = [&](const std::string& id, const std::string& name, const char* kind,
                      const char* owner, std::optional<std::string> parent) {
    nlohmann::json l = {{"type", "location"}, {"event_id", "location-" + id}, {"event_time", t},
                        {"location_id", id}, {"name", name}, {"kind", kind}, {"owner", owner},
                        {"admin_region", "140406"}};
    if (parent) l["parent"] = *parent;
    v.push_back(l);
  };
  for (int b = 0; b < 3; ++b)
    location(fmt::format("base-{}", kVillageIds[b]), fmt::format("{}村潞城大葱种植基地", kVillages[b]),
             "base", "sdd", std::nullopt);
  for (int p = 0; p < kPlots; ++p)
    location(plot_id(p), fmt::format("{}村{}号地块", kVillages[p % 3], p / 3 + 1), "plot", "sdd",
             fmt::format("base-{}", kVillageIds[p % 3]));
  location("cs-lucheng", "潞城区店上镇冷链预冷库", "cold_store", "sdd", std::nullopt);
  location("loc-lab-cz", "长治市农产品检测中心实验室", "laboratory", "lab-cz", std::nullopt);
  location("mkt-ty", "河西农产品批发市场蔬菜交易区", "market", "buyer-ty", std::nullopt);
  location("mkt-bj", "新发地市场大葱交易大厅", "market", "buyer-bj", std::nullopt);

  v.push_back({{"type", "product"}, {"event_id", "product-lc-dacong-changbai"}, {"event_time", t},
               {"product_id", "lc-dacong-changbai"}, {"name", "潞城大葱（长白）"}, {"variety", "长白"},
               {"brand", {{"regional", "潞城大葱"}}}, {"owner", "sdd"},
               {"storage_condition", "0～4℃冷藏，避免挤压"}});
  return v;
}

std::vector<nlohmann::json> plantings() {
  std::vector<nlohmann::json> v;
  for (int p = 0; p < kPlots; ++p)
    v.push_back({{"type", "planting"}, {"event_id", fmt::format("LC22-PL-EV-{:03}", p)},
                 {"event_time", cst(1649980800 + p * 3600)},  // from 2022-04-15
                 {"party", "sdd"}, {"location", plot_id(p)}, {"lot", planting_lot(p)},
                 {"product", "lc-dacong-changbai"}, {"variety", "长白"}, {"area_mu", "3.5"},
                 {"method", "transplanting"}, {"note", "春季移栽，株距5厘米，行距80厘米"}});
  return v;
}

// Event `i` of the timed batch: group i/3 harvests a lot, inspects it and ships it.
nlohmann::json season_event(std::size_t i) {
  const std::size_t k = i / 3;
  const int plot = static_cast<int>(k % kPlots);
  const std::int64_t t = kHarvestStart + static_cast<std::int64_t>(k) * 60;
  const std::string lot = fmt::format("LC22-SDD-H{:06}", k);
  switch (i % 3) {
    case 0:
      return {{"type", "harvest"}, {"event_id", fmt::format("LC22-HV-{:06}", k)},
              {"event_time", cst(t)}, {"party", "sdd"}, {"location", plot_id(plot)}, {"lot", lot},
              {"from_lot", planting_lot(plot)}, {"product", "lc-dacong-changbai"},
              {"quantity", {{"value", fmt::format("{}.5", 900 + k % 600)}, {"unit", "KGM"}}},
              {"note", fmt::format("{}村{}号地块机械采收，葱白长度45厘米以上，去除黄叶、泥土后统一"
                                   "扎捆，每捆10公斤，当日运往店上镇冷链预冷库。天气晴，气温12℃，"
                                   "采收人员12人，负责人王建国。",
                                   kVillages[plot % 3], plot / 3 + 1)}};
    case 1:
      return {{"type", "inspection"}, {"event_id", fmt::format("LC22-IN-{:06}", k)},
              {"event_time", cst(t + 2 * 3600)}, {"party", "lab-cz"}, {"location", "loc-lab-cz"},
              {"lots", {lot}}, {"lab", "长治市农产品质量安全检验检测中心"},
              {"report_no", fmt::format("长农检(2022)第{:06}号", k)},
              {"certificate_no", fmt::format("潞合证2022-{:06}", k)}, {"result", "pass"},
              {"standard", "GB 2763-2021 食品安全国家标准 食品中农药最大残留限量"},
              {"items",
               {{{"name", "毒死蜱"}, {"measured", "0.004"}, {"limit", "0.02"}, {"unit", "mg/kg"}, {"result", "pass"}},
                {{"name", "腐霉利"}, {"measured", "0.01"}, {"limit", "0.2"}, {"unit", "mg/kg"}, {"result", "pass"}},
                {{"name", "噻虫嗪"}, {"measured", "0.02"}, {"limit", "0.5"}, {"unit", "mg/kg"}, {"result", "pass"}},
                {{"name", "氯氰菊酯"}, {"measured", "0.008"}, {"limit", "0.5"}, {"unit", "mg/kg"}, {"result", "pass"}}}},
              {"note", "快速检测与实验室复检一致，样品按NY/T 789抽取，保存于4℃样品库。"}};
    default: {
      const bool beijing = k % 2 == 1;
      nlohmann::json readings = nlohmann::json::array();
      for (int r = 0; r < 4; ++r)
        readings.push_back({{"time", cst(t + 86400 + r * 7200)}, {"value", fmt::format("{}.{}", 1 + r % 3, r)}});
      return {{"type", "shipping"}, {"event_id", fmt::format("LC22-SH-{:06}", k)},
              {"event_time", cst(t + 86400)}, {"party", "sdd"}, {"location", "cs-lucheng"},
              {"lots", {{{"lot", lot}, {"quantity", {{"value", "800"}, {"unit", "KGM"}}}}}},
              {"to_party", beijing ? "buyer-bj" : "buyer-ty"},
              {"to_location", beijing ? "mkt-bj" : "mkt-ty"},
              {"to_address", beijing ? "北京市丰台区新发地农产品批发市场大葱交易大厅12号摊位"
                                     : "山西省太原市万柏林区河西农产品批发市场蔬菜交易区3排7号"},
              {"carrier", "carrier-sd"}, {"vehicle", fmt::format("晋D·{:05}", 10000 + k % 90000)},
              {"shipment_no", fmt::format("SD-2022-{:06}", k)},
              {"target", {{"min", "0"}, {"max", "4"}}}, {"readings", readings},
              {"note", "冷藏车全程0～4℃，装车前预冷12小时。"}};
    }
  }
}

// ---------------------------------------------------------------------------------------
// OpenSSL baselines on one core.

[[noreturn]] void openssl_failed(const char* what) {
  ERR_print_errors_fp(stderr);
  throw std::runtime_error(std::string("OpenSSL: ") + what);
}

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct CtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using CtxPtr = std::unique_ptr<EVP_MD_CTX, CtxFree>;

constexpr double kBaselineSeconds = 2.0;

// Ed25519 signatures per second over `messages` (cycled), as `openssl speed` measures:
// one context initialised once, EVP_DigestSign one-shot per message.
Rate sign_rate(const std::vector<std::string>& messages) {
  PkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
  CtxPtr ctx(EVP_MD_CTX_new());
  if (!key || !ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) != 1)
    openssl_failed("EVP_DigestSignInit");
  unsigned char sig[64];
  std::size_t count = 0;
  double c0 = cpu_seconds();
  auto t0 = Clock::now();
  double elapsed = 0;
  do {
    for (int b = 0; b < 64; ++b, ++count) {
      const auto& m = messages[count % messages.size()];
      std::size_t len = sizeof sig;
      if (EVP_DigestSign(ctx.get(), sig, &len, reinterpret_cast<const unsigned char*>(m.data()),
                         m.size()) != 1)
        openssl_failed("EVP_DigestSign");
    }
    elapsed = seconds_since(t0);
  } while (elapsed < kBaselineSeconds);
  double cpu = cpu_seconds() - c0;
  return {static_cast<double>(count) / elapsed, static_cast<double>(count) / cpu};
}

// A message as the ledger signed it, with its signature and the signer's public key.
struct Signed {
  std::string message;
  Bytes sig;
  note::PublicKey public_key;
};

// Ed25519 verifications per second over `items` (cycled), one context initialised once.
Rate verify_rate(const std::vector<Signed>& items) {
  PkeyPtr key(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, items[0].public_key.data(),
                                          items[0].public_key.size()));
  CtxPtr ctx(EVP_MD_CTX_new());
  if (!key || !ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) != 1)
    openssl_failed("EVP_DigestVerifyInit");
  std::size_t count = 0;
  double c0 = cpu_seconds();
  auto t0 = Clock::now();
  double elapsed = 0;
  do {
    for (int b = 0; b < 64; ++b, ++count) {
      const auto& s = items[count % items.size()];
      if (EVP_DigestVerify(ctx.get(), s.sig.data(), s.sig.size(),
                           reinterpret_cast<const unsigned char*>(s.message.data()),
                           s.message.size()) != 1)
        openssl_failed("EVP_DigestVerify (a stored signature did not verify)");
    }
    elapsed = seconds_since(t0);
  } while (elapsed < kBaselineSeconds);
  double cpu = cpu_seconds() - c0;
  return {static_cast<double>(count) / elapsed, static_cast<double>(count) / cpu};
}

// `openssl speed -seconds 2 ed25519`: {sign/s, verify/s}, or nullopt if unavailable.
std::optional<std::pair<double, double>> openssl_speed() {
  if (std::system("command -v openssl >/dev/null 2>&1") != 0) return std::nullopt;
  std::unique_ptr<FILE, int (*)(FILE*)> p(popen("openssl speed -seconds 2 ed25519 2>/dev/null", "r"),
                                          pclose);
  if (!p) return std::nullopt;
  char line[512];
  std::optional<std::pair<double, double>> result;
  while (std::fgets(line, sizeof line, p.get())) {
    std::string s = line;
    if (s.find("EdDSA (Ed25519)") == std::string::npos) continue;
    // " 253 bits EdDSA (Ed25519)   0.0000s   0.0001s  25000.0   9000.0"
    std::istringstream in(s.substr(s.find(')') + 1));
    std::string sign_time, verify_time;
    double sign = 0, verify = 0;
    if (in >> sign_time >> verify_time >> sign >> verify) result = {sign, verify};
  }
  return result;
}

// ---------------------------------------------------------------------------------------
// Raw SQLite: the same entry bytes, the same table, one transaction.

void sqlite_check(sqlite3* db, int rc, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
    throw std::runtime_error(fmt::format("SQLite {}: {}", what, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
}

struct StoredEntry {
  std::string bytes;
  std::string leaf_hash;
};

// The stored entries of the ledger at `path` from index `from` on.
std::vector<StoredEntry> read_entries(const std::string& path, std::uint64_t from) {
  sqlite3* db = nullptr;
  sqlite_check(db, sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), "open");
  sqlite3_stmt* s = nullptr;
  sqlite_check(db, sqlite3_prepare_v2(db, "SELECT entry, leaf_hash FROM entries WHERE idx >= ? ORDER BY idx",
                                      -1, &s, nullptr), "prepare");
  sqlite3_bind_int64(s, 1, static_cast<sqlite3_int64>(from));
  std::vector<StoredEntry> out;
  while (sqlite3_step(s) == SQLITE_ROW) {
    auto blob = [&](int c) {
      return std::string(static_cast<const char*>(sqlite3_column_blob(s, c)),
                         static_cast<std::size_t>(sqlite3_column_bytes(s, c)));
    };
    out.push_back({blob(0), blob(1)});
  }
  sqlite3_finalize(s);
  sqlite3_close(db);
  return out;
}

// Inserts per second of `entries` into a fresh file at `path`: the ledger's own
// `entries` table, WAL, synchronous=FULL, one BEGIN IMMEDIATE transaction.
Rate raw_sqlite_rate(const std::string& path, const std::vector<StoredEntry>& entries) {
  sqlite3* db = nullptr;
  sqlite_check(db, sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr),
               "open");
  auto exec = [&](const std::string& sql) {
    sqlite_check(db, sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), sql.c_str());
  };
  exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;");
  exec(std::string(store::kPrimarySchema));
  sqlite3_stmt* s = nullptr;
  sqlite_check(db, sqlite3_prepare_v2(db, "INSERT INTO entries (idx, entry, leaf_hash) VALUES (?, ?, ?)",
                                      -1, &s, nullptr), "prepare");
  Rate rate = measure(static_cast<double>(entries.size()), [&] {
    exec("BEGIN IMMEDIATE");
    for (std::size_t i = 0; i < entries.size(); ++i) {
      sqlite3_bind_int64(s, 1, static_cast<sqlite3_int64>(i));
      sqlite3_bind_blob64(s, 2, entries[i].bytes.data(), entries[i].bytes.size(), SQLITE_STATIC);
      sqlite3_bind_blob64(s, 3, entries[i].leaf_hash.data(), entries[i].leaf_hash.size(), SQLITE_STATIC);
      sqlite_check(db, sqlite3_step(s), "insert");
      sqlite3_reset(s);
    }
    exec("COMMIT");
  });
  sqlite3_finalize(s);
  sqlite3_close(db);
  return rate;
}

// ---------------------------------------------------------------------------------------
// Output.

struct Row {
  std::string figure;
  Rate value;
  std::string unit;
  std::string baseline;
  Rate baseline_value;  // wall 0: no baseline; cpu 0: CPU time unknown
  std::string goal;     // ">= 0.70" (on the ratio), or empty
};

std::string number(double v) { return v >= 100 ? fmt::format("{:.0f}", v) : fmt::format("{:.1f}", v); }

std::string ratio(double a, double b) { return a > 0 && b > 0 ? fmt::format("{:.3f}", a / b) : ""; }

// The baseline's rate as shown: by the wall clock, or per CPU second where only that is known.
double shown(const Rate& r) { return r.wall > 0 ? r.wall : r.cpu; }

std::string verdict(const Row& r) {
  if (r.goal.empty() || r.baseline_value.wall <= 0) return "";
  double want = std::stod(r.goal.substr(r.goal.find(' ') + 1));
  return fmt::format("{}  {}", r.goal, r.value.wall / r.baseline_value.wall >= want ? "met" : "NOT met");
}

void print_table(const std::vector<Row>& rows) {
  const char* const layout = "{:<48} {:>10}  {:<48} {:>10}  {:>7}  {:<17}  {:>9}\n";
  std::cout << "\n" << fmt::format(fmt::runtime(layout), "figure", "value", "same-run baseline", "value",
                                   "ratio", "goal (ratio)", "CPU ratio");
  std::string last;
  for (const auto& r : rows) {
    bool same = r.figure == last;
    last = r.figure;
    std::cout << fmt::format(fmt::runtime(layout), same ? "" : r.figure,
                             same ? "" : number(r.value.wall) + " " + r.unit, r.baseline,
                             shown(r.baseline_value) > 0 ? number(shown(r.baseline_value)) + " " + r.unit : "",
                             ratio(r.value.wall, r.baseline_value.wall), verdict(r),
                             ratio(r.value.cpu, r.baseline_value.cpu));
  }
  std::cout << "(ratio: of wall-clock rates, what the goals are about. CPU ratio: of rates per CPU "
               "second of this process, all threads counted; it does not move with other load on "
               "the machine, and for a figure that uses several cores it is work per core.)\n";
}

// The columns of bench/README.md: figure, value, unit, baseline, baseline value, ratio,
// goal, CPU ratio.
void write_rows(const std::string& file, const std::vector<Row>& rows) {
  std::ofstream out(file, std::ios::app);
  if (!out) throw std::runtime_error("cannot write " + file);
  for (const auto& r : rows)
    out << fmt::format("{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\n", r.figure, number(r.value.wall), r.unit,
                       r.baseline, shown(r.baseline_value) > 0 ? number(shown(r.baseline_value)) : "",
                       ratio(r.value.wall, r.baseline_value.wall), r.goal,
                       ratio(r.value.cpu, r.baseline_value.cpu));
}

std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
  return "unknown CPU";
}

std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string a, b, c;
  in >> a >> b >> c;
  return a + " " + b + " " + c;
}

// ---------------------------------------------------------------------------------------

struct Season {
  std::string template_path;
  std::uint64_t setup_entries = 0;
  note::SigningKey log_key;
  note::SigningKey clerk;
};

// A ledger with its log key, a registered clerk key, master data and plantings.
Season make_template(const fs::path& dir) {
  Season s{(dir / "template.ledger").string(), 0,
           note::SigningKey::generate("bench.trace.lucheng.example/log"),
           note::SigningKey::generate("clerk-sdd-bench")};
  Ledger::create(s.template_path, "https://trace.lucheng.example", s.log_key);
  Ledger ledger(s.template_path, true);
  auto vkey = note::verifier_key_of(s.clerk);
  nlohmann::json add = {{"type", "key_added"}, {"event_id", "key-added-" + vkey.key_id()},
                        {"event_time", cst(1646000000)}, {"name", vkey.name},
                        {"vkey", vkey.to_string()}, {"role", "clerk"}};
  ledger.append({prepare_event(add, "key_added")}, s.log_key, {});
  std::vector<PreparedEvent> setup;
  for (auto& e : master_data()) setup.push_back(prepare_event(e, "master"));
  for (auto& e : plantings()) setup.push_back(prepare_event(e, "planting"));
  ledger.append(setup, s.clerk, {});
  s.setup_entries = ledger.size();
  return s;
}

std::size_t count_recorded(const std::vector<AppendOutcome>& out) {
  std::size_t n = 0;
  for (const auto& r : out)
    if (r.error.empty() && !r.duplicate) ++n;
  return n;
}

int run(const Options& o) {
  fs::path dir;
  if (o.dir.empty()) {
    std::string tmpl = (fs::temp_directory_path() / "agtrace-bench-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
    dir = tmpl;
  } else {
    dir = o.dir;
    fs::create_directories(dir);
    for (const char* f : {"template.ledger", "append.ledger", "import.ledger", "raw.sqlite"})
      for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(dir / (std::string(f) + suffix));
  }

  std::cout << fmt::format("agtrace ledger benchmark: {} events; {} ({} CPUs online); load {}; scratch {}\n",
                           o.events, cpu_model(), std::thread::hardware_concurrency(), load_average(),
                           dir.string());

  // Setup, untimed: the same starting ledger for the append and the import runs.
  Season season = make_template(dir);
  const std::string append_path = (dir / "append.ledger").string();
  const std::string import_path = (dir / "import.ledger").string();
  fs::copy_file(season.template_path, append_path);
  fs::copy_file(season.template_path, import_path);

  std::string jsonl;
  std::size_t event_bytes = 0;
  std::vector<PreparedEvent> prepared;
  for (std::size_t i = 0; i < o.events; ++i) {
    nlohmann::json e = season_event(i);
    std::string line = e.dump();
    event_bytes += line.size();
    jsonl += line;
    jsonl += '\n';
    prepared.push_back(prepare_event(std::move(e), fmt::format("event {}", i)));
  }

  // (a) append: Ledger::append of N prepared events, one transaction, as users see it: with the
  // audit before writing on (the default; one audit of the ledger before the N events, here of
  // the template's few entries — it grows with the ledger, about what verify takes).
  const double n = static_cast<double>(o.events);
  Rate append;
  double append_thread_cpu = 0;  // CPU seconds of the appending thread (this one)
  {
    Ledger ledger(append_path, true);
    std::vector<AppendOutcome> out;
    const double main0 = thread_cpu_seconds();
    append = measure(n, [&] { out = ledger.append(prepared, season.clerk, {}); });
    append_thread_cpu = thread_cpu_seconds() - main0;
    if (count_recorded(out) != o.events) throw std::runtime_error("append: not every event was recorded");
    std::cout << fmt::format("append: {} events in {:.2f} s ({:.2f} CPU s: {:.2f} on the appending thread, {:.2f} on "
                             "the signing thread)\n",
                             o.events, n / append.wall, n / append.cpu, append_thread_cpu,
                             n / append.cpu - append_thread_cpu);
    ledger.sign_checkpoint(season.log_key);
  }

  // (a') import: JSON lines -> strict parse + schema -> Ledger::append.
  Rate import;
  {
    Ledger ledger(import_path, true);
    std::vector<AppendOutcome> out;
    import = measure(n, [&] {
      out = ledger.append(cli::json_event_source(jsonl, "season.jsonl"), season.clerk, {});
    });
    if (count_recorded(out) != o.events) throw std::runtime_error("import: not every event was recorded");
    std::cout << fmt::format("import: {} events ({:.1f} MB of JSON lines) in {:.2f} s ({:.2f} CPU s)\n",
                             o.events, static_cast<double>(jsonl.size()) / 1e6, n / import.wall,
                             n / import.cpu);
  }

  // The entries exactly as stored, and the messages their signatures cover.
  auto stored = read_entries(append_path, season.setup_entries);
  std::vector<Signed> signed_messages;
  std::vector<std::string> messages;
  std::size_t entry_bytes = 0, message_bytes = 0;
  for (std::size_t i = 0; i < stored.size(); ++i) {
    entry_bytes += stored[i].bytes.size();
    Entry e = decode_entry(stored[i].bytes, season.setup_entries + i);
    messages.push_back(entry_signing_bytes(e));
    message_bytes += messages.back().size();
    signed_messages.push_back({messages.back(), e.sig, season.clerk.public_key()});
  }
  const double n_stored = static_cast<double>(stored.size());
  std::cout << fmt::format("sizes: event JSON {:.0f} B, stored entry {:.0f} B, signed message {:.0f} B (means)\n",
                           static_cast<double>(event_bytes) / n, static_cast<double>(entry_bytes) / n_stored,
                           static_cast<double>(message_bytes) / n_stored);

  Rate raw = raw_sqlite_rate((dir / "raw.sqlite").string(), stored);
  Rate sign = sign_rate(messages);

  // (b) verify: the whole log (setup entries and checkpoints included), one snapshot.
  Rate verify;
  {
    Ledger ledger(append_path, false);
    AuditReport report;
    double c0 = cpu_seconds();
    auto t0 = Clock::now();
    report = ledger.verify(std::nullopt);
    double wall = seconds_since(t0), cpu = cpu_seconds() - c0;
    const double entries = static_cast<double>(report.entries);
    verify = {entries / wall, entries / cpu};
    std::cout << fmt::format("verify: {} entries, {} checkpoints in {:.2f} s ({:.2f} CPU s: {:.2f} cores busy)\n",
                             report.entries, report.checkpoints, wall, cpu, cpu / wall);
  }
  Rate verify_one_core = verify_rate(signed_messages);

  std::optional<std::pair<double, double>> speed;
  if (o.openssl_speed) speed = openssl_speed();

  const std::string sign_label = "Ed25519 sign, 1 core (EVP, same messages)";
  const std::string verify_label = "Ed25519 verify, 1 core (EVP, same messages)";
  const std::string raw_label = "raw SQLite insert, same bytes (WAL, FULL, 1 tx)";
  const std::string append_figure = "ledger append (Ledger::append, 1 tx, audit on)";
  const std::string import_figure = "ledger import (JSONL parse+schema+append, audit on)";
  const std::string verify_figure = "ledger verify (Ledger::verify)";
  std::vector<Row> rows;
  rows.push_back({append_figure, append, "/s", sign_label, sign, ">= 0.70"});
  rows.push_back({append_figure, append, "/s", raw_label, raw, ""});
  // Both threads of an append work at once, so on two free cores its wall-clock rate is at most
  // that of the busier one alone: a figure other load does not move (rates per CPU second).
  const double busiest = std::max(append_thread_cpu, n / append.cpu - append_thread_cpu);
  rows.push_back({"ledger append, its busier thread alone (CPU)", {n / busiest, n / busiest}, "/s",
                  "Ed25519 sign, 1 core (per CPU second)", {sign.cpu, sign.cpu}, ""});
  if (speed)
    rows.push_back({append_figure, append, "/s", "ref: openssl speed ed25519 sign (CPU, 20 B)",
                    {0, speed->first}, ""});
  rows.push_back({import_figure, import, "/s", sign_label, sign, ">= 0.70"});
  rows.push_back({import_figure, import, "/s", raw_label, raw, ""});
  rows.push_back({verify_figure, verify, "/s", verify_label, verify_one_core, ">= 1.40"});
  if (speed)
    rows.push_back({verify_figure, verify, "/s", "ref: openssl speed ed25519 verify (CPU, 20 B)",
                    {0, speed->second}, ""});
  print_table(rows);
  if (!speed && o.openssl_speed) std::cout << "(openssl speed: the openssl binary was not found)\n";
  std::cout << fmt::format("load average at the end: {}\n", load_average());
  if (!o.rows_file.empty()) write_rows(o.rows_file, rows);

  if (!o.keep && o.dir.empty()) fs::remove_all(dir);
  return 0;
}

}  // namespace
}  // namespace agtrace::bench

int main(int argc, char** argv) {
  try {
    return agtrace::bench::run(agtrace::bench::parse_args(argc, argv));
  } catch (const std::exception& e) {
    std::cerr << "ledger_bench: " << e.what() << "\n";
    return 1;
  }
}
