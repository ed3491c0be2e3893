// Issue 14's trust trial (trust14h, rules version 9), end to end through `agtrace-ledger` as the
// co-op's clerk, the buyer and the grower met it:
//   - the buyer's clerk key (key add --holder BUY) imported a sheet row 检测 with 主体编号 = LAB and
//     result pass, and a 委托检测合格 certificate rested on it — refused, naming the column and what to
//     do; the laboratory's own key records it;
//   - the buyer's key recalled the co-op's lot — refused, naming the lot and not its owner;
//   - the grower recalls the buyer's lot made from its harvest — recorded.
#include <doctest/doctest.h>

#include <filesystem>

#include "tests/support/ledger_fixture.h"

namespace at = agtrace::testing;
namespace ev = agtrace::testing::events;

namespace {

bool has(const std::string& haystack, const std::string& needle) { return haystack.find(needle) != std::string::npos; }

const at::RunOptions kZh = at::in_locale("zh_CN.UTF-8");

nlohmann::json party(const std::string& id, const std::string& name, const std::string& role) {
  return {{"type", "party"}, {"event_id", "p-" + id}, {"event_time", "2026-01-02T08:00:00+08:00"},
          {"party_id", id}, {"name", name}, {"role", role}};
}

// Generates key `name` and registers it as a clerk key held by `holder`; returns the key file.
std::filesystem::path held_key(const at::TestLedger& L, const std::string& name, const std::string& holder) {
  const auto key = L.dir() / (name + ".key");
  L.must({"key", "gen", "--name", name, "--out", key.string()});
  L.must({"key", "add", "--log-key", L.log_key().string(), "--pub", key.string() + ".pub", "--role", "clerk",
          "--holder", holder});
  return key;
}

// `record --key KEY -` of `events`, in a Chinese locale.
at::ProcessResult record_with(const at::TestLedger& L, const std::filesystem::path& key,
                              const std::vector<nlohmann::json>& events) {
  at::RunOptions o = kZh;
  o.stdin_data = ev::jsonl(events);
  return L.cli({"record", "--key", key.string(), "-"}, o);
}

}  // namespace

TEST_CASE("trust trial: the buyer's forged LAB pass and its recall of the co-op's lot are refused; the grower "
          "recalls the buyer's lot made from its harvest") {
  at::TestLedger L;
  REQUIRE(L.record({party("BUY", "太原收购商", "buyer"), party("LAB", "长治市农产品质量安全检测站", "laboratory"),
                    ev::planting("plant-1", "PL-1", "2026-04-20T08:00:00+08:00"),
                    ev::harvest("H-1", "H-1", "PL-1", "2026-09-25T08:00:00+08:00", "1000"),
                    ev::harvest("H-2", "H-2", "PL-1", "2026-09-26T08:00:00+08:00", "500")})
              .exited_with(0));
  const auto buyer = held_key(L, "clerk-buy", "BUY");
  const auto lab = held_key(L, "clerk-lab", "LAB");
  const auto coop = held_key(L, "clerk-coop", at::kParty);

  // 1. The buyer's key imports the laboratory's pass for the co-op's lot, as the trial did.
  const std::string row = std::string("检测,JC-FORGED,2026-09-27T15:00:00+08:00,LAB,") + at::kPlot +
                          ",H-1,长治市农产品质量安全检测站,JC2026-0927,pass,毒死蜱=0.01|0.02|mg/kg|pass\n";
  const auto sheet = L.write_file("检测.csv", "事件类型,事件编号,时间,主体编号,地点编号,批次,检测机构,检测报告编号,检测结果,检测项目\n" + row);
  const auto before = L.snapshot();
  auto forged = L.cli({"import", "--key", buyer.string(), "--format", "csv", sheet.string()}, kZh);
  INFO(forged.describe());
  CHECK(forged.exited_with(2));
  CHECK(has(forged.err, "主体编号"));
  CHECK(has(forged.err, "这条检测记录由记录员密钥 clerk-buy+"));
  CHECK(has(forged.err, "检测主体（party）却是「LAB」"));
  CHECK(has(forged.err, "请由检测机构「LAB」用自己的密钥记录它的检测结果，或由合作社不带持有主体的记录员密钥导入检测机构出具的报告"));
  CHECK(L.snapshot() == before);
  // So no 委托检测合格 certificate can rest on it: the evidence does not exist.
  auto cert = record_with(L, L.clerk_key(),
                          {{{"type", "certificate_issued"}, {"event_id", "cert-1"}, {"event_time", "2026-09-28T08:00:00+08:00"},
                            {"number", "COOP-2026-0001"}, {"style", "producer"}, {"issuer", at::kParty}, {"lot", "H-1"},
                            {"quantity", {{"value", "1000"}, {"unit", "KGM"}}}, {"product", at::kProduct},
                            {"origin", at::kPlot}, {"bases", {{{"basis", "commissioned_test"}, {"evidence", {"JC-FORGED"}}}}}}});
  CHECK(cert.exited_with(2));
  CHECK(L.snapshot() == before);
  // The laboratory's own key records its result; then the certificate rests on it.
  auto own = L.cli({"import", "--key", lab.string(), "--format", "csv", sheet.string()}, kZh);
  INFO(own.describe());
  REQUIRE(own.exited_with(0));
  // (the co-op's clerk signs the certificate: its key names no holder)
  L.must({"record", "--key", L.clerk_key().string(), "-"},
         [] {
           at::RunOptions o = kZh;
           o.stdin_data = ev::jsonl(
               {{{"type", "certificate_issued"}, {"event_id", "cert-1"}, {"event_time", "2026-09-28T08:00:00+08:00"},
                 {"number", "COOP-2026-0001"}, {"style", "producer"}, {"issuer", at::kParty}, {"lot", "H-1"},
                 {"quantity", {{"value", "1000"}, {"unit", "KGM"}}}, {"product", at::kProduct}, {"origin", at::kPlot},
                 {"bases", {{{"basis", "commissioned_test"}, {"evidence", {"JC-FORGED"}}}}}}});
           return o;
         }());
  // The register names who recorded the evidence: the laboratory's key and its name.
  L.must({"export", "--certificates", "--out", (L.dir() / "reg").string()});
  const std::string reg = at::read_file(L.dir() / "reg" / "certificates.csv");
  CHECK(has(reg, ",检测记录签名\r\n"));
  CHECK(has(reg, "JC2026-0927：" + at::key_id_of(lab.string() + ".pub") + "（持有主体 长治市农产品质量安全检测站（LAB））"));

  // 2. The buyer's key recalls the co-op's lot it never received: refused, the owner not named.
  const auto before_recall = L.snapshot();
  auto recall = L.cli({"recall", "H-2", "--key", buyer.string(), "--party", "BUY", "--reason", "抽检不合格"}, kZh);
  INFO(recall.describe());
  CHECK(recall.exited_with(2));
  CHECK(has(recall.err, "批次「H-2」不是「BUY」生产或收到的批次，也不是用这样的批次加工、包装出来的"));
  CHECK_FALSE(has(recall.err, at::kParty));
  CHECK(L.snapshot() == before_recall);

  // 3. The buyer receives H-1 and packs part of it; the grower recalls the buyer's packed lot (the
  //    contaminated input's downstream lot).
  REQUIRE(record_with(L, buyer,
                      {{{"type", "receiving"}, {"event_id", "recv-1"}, {"event_time", "2026-09-29T08:00:00+08:00"},
                        {"party", "BUY"}, {"location", at::kColdStore}, {"lots", {{{"lot", "H-1"}}}},
                        {"from_party", at::kParty}},
                       [] {
                         auto p = ev::packing("pack-buy-1", "H-1", "BUY-K1", "2026-09-29T10:00:00+08:00", 20);
                         p["party"] = "BUY";
                         return p;
                       }(),
                       [] {
                         auto p = ev::packing("pack-buy-2", "H-1", "BUY-K2", "2026-09-29T11:00:00+08:00", 20);
                         p["party"] = "BUY";
                         return p;
                       }()})
              .exited_with(0));
  auto grower_recall = L.cli({"recall", "BUY-K1", "--key", coop.string(), "--party", at::kParty, "--reason",
                              "自检发现 H-1 农残超标", "--out", (L.dir() / "recall-out").string()},
                             kZh);
  INFO(grower_recall.describe());
  CHECK(grower_recall.exited_with(0));
  // And the buyer recalls what it packed.
  CHECK(L.cli({"recall", "BUY-K2", "--key", buyer.string(), "--party", "BUY", "--reason", "同上", "--out",
               (L.dir() / "recall-buy").string()},
              kZh)
            .exited_with(0));
  CHECK(L.cli({"verify"}).exited_with(0));
}
