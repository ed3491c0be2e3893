// Issue 5, "What it must show": on a season with two splits and one merge, a backward trace
// from one trace code reaches the right plots and pesticide applications, and a forward trace
// from one plot's planting lot reaches exactly the right trace codes. --depth 1 is one step.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "ledger/i18n/refusal.h"
#include "ledger/regulator/lineage.h"
#include "ledger/regulator/testing/season.h"
#include "ledger/util/error.h"

using namespace agtrace;
using namespace agtrace::regulator;

namespace {

std::set<std::string> lots_of(const TraceResult& r) {
  std::set<std::string> out;
  for (const auto& l : r.lots) out.insert(l.lot);
  return out;
}

std::set<std::string> codes_of(const TraceResult& r) {
  std::set<std::string> out;
  for (const auto& c : r.codes) out.insert(c.serial);
  return out;
}

std::set<std::string> strings(const nlohmann::json& list, const char* field) {
  std::set<std::string> out;
  for (const auto& x : list) out.insert(x[field].get<std::string>());
  return out;
}

}  // namespace

TEST_CASE("backward trace from a trace code reaches the plots and pesticide applications") {
  testing::Season s;
  Ledger l(s.path(), false);

  auto from_k2 = trace(l, resolve_trace_start(l, s.codes("K2")[0]), Direction::backward, std::nullopt);
  CHECK(from_k2.start.serial == s.codes("K2")[0]);
  CHECK(from_k2.start.lot == "K2");
  CHECK(lots_of(from_k2) == std::set<std::string>{"K2", "M1", "HA2", "HB1", "HA", "HB", "PA", "PB"});
  auto j = trace_json(from_k2);
  CHECK(strings(j["plots"], "location") == std::set<std::string>{"PLOT-A", "PLOT-B"});
  CHECK(strings(j["pesticide_applications"], "event_id") == std::set<std::string>{"spray-PA-0001", "spray-PB-0003"});
  CHECK(strings(j["input_applications"], "event_id") ==
        std::set<std::string>{"spray-PA-0001", "feed-PB-0002", "spray-PB-0003"});
  CHECK(codes_of(from_k2) == std::set<std::string>{s.codes("K2")[0]});

  // K1 was packed from one half of PA's harvest alone: PLOT-B is not in its past.
  auto from_k1 = trace(l, resolve_trace_start(l, s.codes("K1")[2]), Direction::backward, std::nullopt);
  CHECK(lots_of(from_k1) == std::set<std::string>{"K1", "HA1", "HA", "PA"});
  auto j1 = trace_json(from_k1);
  CHECK(strings(j1["plots"], "location") == std::set<std::string>{"PLOT-A"});
  CHECK(strings(j1["pesticide_applications"], "event_id") == std::set<std::string>{"spray-PA-0001"});
  CHECK(trace_text(from_k1).find("chlorpyrifos") != std::string::npos);
  // Issue 16 (zh16g): in Chinese for a Chinese reader, times labelled at the event's own offset.
  const std::string zh = trace_text(from_k1, i18n::Lang::zh);
  CHECK(zh.starts_with("来源追溯：从追溯码 " + s.codes("K1")[2] + "（批次 K1） 起（全部来龙去脉）\n"));
  CHECK(zh.find("地块：1 个\n  PLOT-A（种植批次 PA，") != std::string::npos);
  CHECK(zh.find("农药使用：1 次") != std::string::npos);
  CHECK(zh.find("（北京时间 +08:00）") != std::string::npos);
  CHECK(zh.find("chlorpyrifos") != std::string::npos);
  for (const char* english : {"trace", "plots:", "lot ", "created by", "entry "})
    CHECK_MESSAGE(zh.find(english) == std::string::npos, english);
  CHECK(trace_text(from_k1).find("(Beijing time, +08:00)") != std::string::npos);
  CHECK_THROWS_WITH_AS(resolve_trace_start(l, "NOPE-1"), doctest::Contains("NOPE-1"), i18n::Refusal);
  try {
    resolve_trace_start(l, "NOPE-1");
  } catch (const i18n::Refusal& r) {
    CHECK(r.text(i18n::Lang::zh).find("账本里没有批次、GS1 批次码或追溯码") != std::string::npos);
  }
}

TEST_CASE("backward trace from a packed lot reports that lot's own trace codes, not others'") {
  testing::Season s;
  Ledger l(s.path(), false);
  auto from_k2 = trace(l, resolve_trace_start(l, "K2"), Direction::backward, std::nullopt);
  CHECK(!from_k2.start.serial);
  const auto& k2 = s.codes("K2");
  CHECK(codes_of(from_k2) == std::set<std::string>(k2.begin(), k2.end()));
  for (const auto& c : from_k2.codes) CHECK(c.lot == "K2");
  CHECK(trace_text(from_k2).find(fmt::format("trace codes: {}", k2.size())) != std::string::npos);
  CHECK(trace_json(from_k2)["codes"].size() == k2.size());
  // A lot without labels has none; its ancestors' codes never count.
  CHECK(trace(l, resolve_trace_start(l, "M1"), Direction::backward, std::nullopt).codes.empty());
  // K3 holds the voided code: it is reported, marked voided.
  auto from_k3 = trace(l, resolve_trace_start(l, "K3"), Direction::backward, std::nullopt);
  CHECK(codes_of(from_k3).count(s.voided_code()) == 1);
  for (const auto& c : from_k3.codes) CHECK(c.voided == (c.serial == s.voided_code()));
}

TEST_CASE("forward trace from a planting lot reaches exactly the right trace codes") {
  testing::Season s;
  Ledger l(s.path(), false);

  auto from_pa = trace(l, resolve_trace_start(l, "PA"), Direction::forward, std::nullopt);
  CHECK(lots_of(from_pa) == std::set<std::string>{"PA", "HA", "HA1", "HA2", "M1", "K1", "K2"});
  std::set<std::string> want;
  for (const char* lot : {"K1", "K2"})
    for (const auto& c : s.codes(lot)) want.insert(c);
  CHECK(codes_of(from_pa) == want);
  CHECK(strings(trace_json(from_pa)["shipments"], "to_party") == std::set<std::string>{"BUYER-1"});

  auto from_pb = trace(l, resolve_trace_start(l, "PB"), Direction::forward, std::nullopt);
  std::set<std::string> want_b;
  for (const char* lot : {"K2", "K3"})
    for (const auto& c : s.codes(lot)) want_b.insert(c);
  CHECK(codes_of(from_pb) == want_b);
  for (const auto& c : from_pb.codes) CHECK(c.voided == (c.serial == s.voided_code()));
}

TEST_CASE("--depth 1 is one step up or down (EU 178/2002 Art. 18)") {
  testing::Season s;
  Ledger l(s.path(), false);
  auto up = trace(l, resolve_trace_start(l, "M1"), Direction::backward, 1);
  CHECK(lots_of(up) == std::set<std::string>{"M1", "HA2", "HB1"});
  auto down = trace(l, resolve_trace_start(l, "HA"), Direction::forward, 1);
  CHECK(lots_of(down) == std::set<std::string>{"HA", "HA1", "HA2"});
  CHECK(down.codes.empty());
  auto zero = trace(l, resolve_trace_start(l, "HA"), Direction::forward, 0);
  CHECK(lots_of(zero) == std::set<std::string>{"HA"});
  CHECK_THROWS_AS(trace(l, resolve_trace_start(l, "HA"), Direction::forward, -1), Error);
}

TEST_CASE("an unknown lot or code is bad input naming LOT|SERIAL") {
  testing::Season s;
  Ledger l(s.path(), false);
  try {
    resolve_trace_start(l, "NO-SUCH-LOT");
    FAIL("resolved an unknown lot");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::bad_input);
    CHECK(std::string(e.what()).find("LOT|SERIAL") != std::string::npos);
  }
}

TEST_CASE("agtrace-ledger trace: text and JSON") {
  testing::Season s;
  std::string out, err;
  auto cmd = testing::ledger_binary() + " --ledger " + s.path() + " trace ";
  REQUIRE(testing::run(cmd + s.codes("K2")[1] + " --backward --json", out, err) == 0);
  auto j = nlohmann::json::parse(out);
  CHECK(j["start_lot"] == "K2");
  CHECK(strings(j["plots"], "location") == std::set<std::string>{"PLOT-A", "PLOT-B"});
  REQUIRE(testing::run(cmd + "PA --forward", out, err) == 0);
  CHECK(out.find(s.codes("K1")[0]) != std::string::npos);
  CHECK(out.find(s.codes("K3")[0]) == std::string::npos);
  CHECK(testing::run(cmd + "PA", out, err) == 2);  // neither --forward nor --backward
  CHECK(testing::run(cmd + "NOPE --forward", out, err) == 2);
  CHECK(err.find("LOT|SERIAL") != std::string::npos);
}
