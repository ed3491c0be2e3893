// A small ledger for the core's unit tests: a fresh file in a scratch folder, its log key,
// one registered clerk key ("clerk-1"), master data (co-op SDD, base B1, product LCDC) and
// planting lot P1; with `packed`, also harvest H1 (100 kg) and packed lot K1 (4 boxes of
// 5 kg); with `certified` too (the default when packed), K1's 承诺达标合格证 K1-CERT
// (质量安全控制符合要求), without which rules version 4 refuses K1's labels. Removed again when the object goes. For tests only.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <string>

#include "ledger/ledger.h"

namespace agtrace::testing {

struct SmallLedger {
  std::filesystem::path dir;
  std::string path;
  note::SigningKey log_key = note::SigningKey::generate("trace.example/log");
  note::SigningKey clerk = note::SigningKey::generate("clerk-1");

  // `name` keeps the scratch folders of concurrently running tests apart.
  explicit SmallLedger(const std::string& name, bool packed = false, bool certified = true)
      : dir(std::filesystem::temp_directory_path() / ("agtrace-" + name + "-" + std::to_string(::getpid()))),
        path((dir / "ledger.db").string()) {
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    Ledger::create(path, "https://trace.example", log_key);
    Ledger l(path, true);
    auto e = [](std::string s) { return parse_event(s, "test"); };
    l.append({e(R"({"type":"key_added","event_id":"k1","event_time":"2022-01-01T00:00:00Z","name":"clerk-1","vkey":")" +
                note::verifier_key_of(clerk).to_string() + R"(","role":"clerk"})")},
             log_key, {});
    std::vector<PreparedEvent> season = {
        e(R"({"type":"party","event_id":"p","event_time":"2022-01-01T00:00:00Z","party_id":"SDD","name":"山丹丹","role":"cooperative"})"),
        e(R"({"type":"location","event_id":"l","event_time":"2022-01-01T00:00:00Z","location_id":"B1","name":"基地","kind":"base","owner":"SDD"})"),
        e(R"({"type":"product","event_id":"pr","event_time":"2022-01-01T00:00:00Z","product_id":"LCDC","name":"潞城大葱","brand":{"regional":"潞城大葱"}})"),
        e(R"({"type":"planting","event_id":"e1","event_time":"2022-04-01T00:00:00+08:00","party":"SDD","location":"B1","lot":"P1","product":"LCDC","area_mu":"3"})")};
    if (packed) {
      season.push_back(e(R"({"type":"harvest","event_id":"e2","event_time":"2022-10-01T00:00:00+08:00","party":"SDD","location":"B1","lot":"H1","from_lot":"P1","quantity":{"value":"100","unit":"KGM"}})"));
      season.push_back(e(R"({"type":"packing","event_id":"e3","event_time":"2022-10-02T00:00:00+08:00","party":"SDD","location":"B1","input_lot":"H1","input_quantity":{"value":"20","unit":"KGM"},"lot":"K1","count":4,"pack_size":{"value":"5","unit":"KGM"}})"));
      if (certified)
        season.push_back(e(R"({"type":"certificate_issued","event_id":"c1","event_time":"2022-10-02T01:00:00+08:00","number":"K1-CERT","style":"producer","issuer":"SDD","lot":"K1","quantity":{"value":"4","unit":"H87"},"product":"LCDC","origin":"B1","bases":[{"basis":"quality_control"}]})"));
    }
    l.append(season, clerk, {});
  }
  ~SmallLedger() { std::filesystem::remove_all(dir); }
  SmallLedger(const SmallLedger&) = delete;
  SmallLedger& operator=(const SmallLedger&) = delete;
};

}  // namespace agtrace::testing
