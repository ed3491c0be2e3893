// Issue 16's clerk trial of a millet season (ship16), through the real binary: what leaves a lot,
// and a crop's own yield bound.
//
// Claims checked (docs/rules-versions.md "Version 9", docs/clerk-import.md):
//   - a shipping of a lot recalled earlier in the log (a recall covering it by lineage too) is
//     refused, naming the 批次 column, the recall's time and entry, in Chinese and in English;
//     with 召回品去向 退回 it is recorded;
//   - the shipments of a lot stay within what it holds, refused in the packing balance's words;
//     `show lot` shows 已发出 beside 已用去;
//   - a product's 最高亩产（千克） is the import's yield bound for its harvests; --allow-high-yield
//     still records one that passes it.
// Every refusal exits 2 and leaves the ledger byte for byte the same (csv_refused).
#include <doctest/doctest.h>

#include "tests/support/trial.h"

namespace at = agtrace::testing;
using at::csv_refused;
using at::has;
using at::HarvestSeason;

namespace {

constexpr const char* kShipHeader = "事件类型,事件编号,时间,主体编号,地点编号,批次,收货方,召回品去向\r\n";

std::string ship(const std::string& id, const std::string& time, const std::string& lots,
                 const std::string& recalled_goods = "") {
  return "发货," + id + "," + time + "," + at::kParty + "," + at::kPlot + "," + lots + "," + at::kParty + "," +
         recalled_goods + "\r\n";
}

}  // namespace

TEST_CASE("a lot recalled three minutes earlier is not shipped; 召回品去向 退回 records its return") {
  HarvestSeason s(std::vector<nlohmann::json>{at::events::packing("pack-1", "H-1", "K-1", "2026-09-26T08:00:00+08:00", 50)});
  auto recall = s.L.write_file("recall.csv", "事件类型,事件编号,时间,主体编号,批次,召回原因,包含下游批次\r\n"
                                             "召回,R-1,2026-12-08T06:09:00+08:00," + std::string(at::kParty) +
                                                 ",H-1,农残超标,是\r\n");
  auto recorded = s.L.import_csv(recall);
  INFO(recorded.describe());
  REQUIRE(recorded.exited_with(0));
  const auto entry = std::to_string(at::index_of(s.L, "R-1"));
  auto csv = s.L.write_file("ship.csv", std::string(kShipHeader) + ship("S-1", "2026-12-08T06:12:00+08:00", "K-1*50*箱"));
  csv_refused(s.L, csv,
              {"ship.csv 第 2 行 F 列「批次」", "批次「K-1」的来源批次「H-1」已于 2026-12-08 06:09（北京时间 +08:00）召回（第 " +
                                                   entry + " 条记录，事件 R-1），不能发货",
               "「召回品去向」一栏填「退回」或「销毁」"},
              {"ship.csv line 2", "lot \"K-1\" is made from lot \"H-1\", which was recalled at 2026-12-08 06:09",
               "(entry " + entry + ", event R-1) and cannot be shipped"});
  auto back = s.L.write_file("back.csv",
                             std::string(kShipHeader) + ship("S-2", "2026-12-08T06:30:00+08:00", "K-1*50*箱", "退回"));
  auto ok = s.L.import_csv(back);
  INFO(ok.describe());
  CHECK(ok.exited_with(0));
  auto verify = s.L.cli({"verify"});
  INFO(verify.describe());
  CHECK(verify.exited_with(0));
}

TEST_CASE("shipments never exceed what the lot holds (9000 for 900); show lot shows 已发出") {
  HarvestSeason s;  // H-1: 1500 kg
  auto first = s.L.write_file("first.csv", std::string(kShipHeader) +
                                               ship("S-1", "2026-09-26T08:00:00+08:00", "H-1*1000*公斤") +
                                               ship("S-2", "2026-09-26T09:00:00+08:00", "H-1*0.4*吨"));
  auto ok = s.L.import_csv(first);
  INFO(ok.describe());
  REQUIRE(ok.exited_with(0));
  auto typo = s.L.write_file("typo.csv", std::string(kShipHeader) + ship("S-3", "2026-09-26T10:00:00+08:00", "H-1*9000*公斤"));
  csv_refused(s.L, typo, {"typo.csv 第 2 行 F 列「批次」", "批次「H-1」只剩 100 公斤（共 1500 公斤），不够 9000 公斤"},
              {"typo.csv line 2", "lot \"H-1\" has only 100 kg left (of 1500 kg made); it cannot give 9000 kg"});
  auto lot = s.L.cli({"show", "lot", "H-1", "--lang", "zh"});
  INFO(lot.describe());
  CHECK(has(lot.out, "数量：产出 1500 公斤，后续事件已用去 0 公斤，已发出 1400 公斤"));
  auto en = s.L.cli({"show", "lot", "H-1", "--json"});
  CHECK(has(en.out, "\"shipped\": \"1400\""));
}

TEST_CASE("a product's 最高亩产 is its harvests' yield bound; --allow-high-yield records one beyond it") {
  HarvestSeason s;  // PL-1: 2.5 mu of SCALLION
  auto product = s.L.write_file("product.csv", "事件类型,事件编号,时间,产品编号,产品名称,区域公用品牌,包装规格,包装单位,最高亩产（千克）\r\n"
                                               "产品,PR-2,2026-01-02T08:00:00+08:00," + std::string(at::kProduct) +
                                                   ",大葱,章丘大葱,5,千克,400\r\n");
  auto ok = s.L.import_csv(product);
  INFO(ok.describe());
  REQUIRE(ok.exited_with(0));
  // 1500 kg from 2.5 mu is 600 kg per mu: far below 30000, but beyond the product's 400.
  auto csv = s.L.write_file("h.csv", "事件类型,事件编号,时间,主体编号,地点编号,采收批次,种植批次,数量,单位\r\n"
                                     "采收,H-2,2026-09-27T08:00:00+08:00," + std::string(at::kParty) + "," + at::kPlot +
                                         ",H-2,PL-1,1500,千克\r\n");
  csv_refused(s.L, csv, {"h.csv 第 2 行 H 列「数量」", "合每亩 600 千克，超过产品「SCALLION」的最高亩产（每亩 400 千克）",
                         "--allow-high-yield"},
              {"h.csv line 2", "600 kg per mu, beyond the most product \"SCALLION\" yields (400 kg per mu"});
  auto sure = s.L.import_csv(csv, {"--allow-high-yield"});
  INFO(sure.describe());
  CHECK(sure.exited_with(0));
}
