// Issue 5, "What it must show": a recall report on the season lists the right codes,
// shipments and recipients; afterwards an affected code's lot is under recall (the verifier's
// banner) and an unaffected one's is not.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "ledger/regulator/recall.h"
#include "ledger/event/rule_words.h"
#include "ledger/regulator/testing/season.h"
#include "ledger/util/error.h"

using namespace agtrace;
using namespace agtrace::regulator;

TEST_CASE("recalling HA2 and its descendants reaches M1 and K2, their codes, SH-1 and BUYER-1") {
  testing::Season s;
  Ledger l(s.path(), true);
  CHECK(key_holder(l, s.clerk()) == "COOP");
  auto event = recall_event(l, {"HA2", "residue of chlorpyrifos above MRL", true, "COOP", "recall-1", ""});
  auto out = l.append({event}, s.clerk(), {});
  auto report = recall_report(l, event.event, out.at(0).index);

  std::vector<std::string> lots;
  for (const auto& a : report.lots) lots.push_back(a.lot);
  CHECK(lots == std::vector<std::string>{"HA2", "K2", "M1"});
  std::vector<std::string> codes;
  for (const auto& c : report.codes) codes.push_back(c.serial);
  CHECK(codes == s.codes("K2"));
  REQUIRE(report.shipments.size() == 1);
  CHECK(report.shipments[0].event_id == "ship-SH-1");
  CHECK(report.shipments[0].shipment_no == "SH-1");
  REQUIRE(report.recipients.size() == 1);
  CHECK(report.recipients[0].party == "BUYER-1");
  CHECK(report.recipients[0].contact == "王经理");
  CHECK(report.recipients[0].phone == "+86 351 5550101");
  for (const auto& a : report.lots)
    if (a.lot == "K2") {
      CHECK(a.produced == std::vector<std::pair<std::string, std::string>>{{"10", "pieces"}});
      CHECK(a.shipped == std::vector<std::pair<std::string, std::string>>{{"10", "pieces"}});
    }

  auto csv = recall_report_csv(report);
  CHECK(csv.rfind("\xEF\xBB\xBF", 0) == 0);
  CHECK(csv.find("\r\n") != std::string::npos);
  CHECK(csv.find("王经理") != std::string::npos);
  auto j = recall_report_json(report);
  CHECK(j["code_count"] == 2);
  CHECK(recall_report_text(report, "codes.txt").find("trace codes: 2, listed in codes.txt") != std::string::npos);
  // Issue 16 (zh16g): the report and the CSV's words in Chinese for a Chinese reader.
  const std::string zh = recall_report_text(report, "codes.txt", agtrace::i18n::Lang::zh);
  CHECK(zh.find("追溯码：2 个，清单见 codes.txt") != std::string::npos);
  CHECK(zh.find("受影响的批次：") != std::string::npos);
  CHECK(zh.find("（北京时间") != std::string::npos);
  CHECK(zh.find("收货方：1 个") != std::string::npos);
  CHECK(zh.find("trace codes") == std::string::npos);
  const std::string zh_csv = recall_report_csv(report, agtrace::i18n::Lang::zh);
  CHECK(zh_csv.find(",有效,") != std::string::npos);
  CHECK(zh_csv.find("产量 10 件；已发出 10 件") != std::string::npos);
  CHECK(csv.find(",genuine,") != std::string::npos);

  // The banner: an affected code's lot is under recall from the recall entry on.
  auto k2 = recall_status(l.database(), "K2");
  REQUIRE(k2);
  CHECK(k2->recalled_lot == "HA2");
  CHECK(k2->event_id == "recall-1");
  CHECK(recall_status(l.database(), "HA2"));
  CHECK_FALSE(recall_status(l.database(), "K3"));
  CHECK_FALSE(recall_status(l.database(), "K1"));
  CHECK_FALSE(recall_status(l.database(), "HA"));

  // The recall is an ordinary entry: the audit replays it.
  CHECK_NOTHROW(l.verify(std::nullopt));
}

TEST_CASE("a recall without descendants covers the named lot only") {
  testing::Season s;
  Ledger l(s.path(), true);
  auto event = recall_event(l, {"K3", "label misprint", false, "COOP", "recall-K3", ""});
  auto out = l.append({event}, s.clerk(), {});
  auto report = recall_report(l, event.event, out.at(0).index);
  REQUIRE(report.lots.size() == 1);
  CHECK(report.codes.size() == 2);
  CHECK(report.recipients.at(0).party == "BUYER-2");
  CHECK(recall_status(l.database(), "K3"));
  CHECK_FALSE(recall_status(l.database(), "K2"));
  // Issue 16, item 1: a recall recorded now is timed in the lot's own offset (Beijing time for
  // this season), so that the report's "time:" reads beside the shipments' times, never as bare UTC.
  CHECK(event.event["event_time"].get<std::string>().ends_with("+08:00"));
  CHECK(recall_report_text(report, "").find(
            "time: " + agtrace::time_words(event.event["event_time"].get<std::string>(), agtrace::i18n::Lang::en) + "\n") !=
        std::string::npos);
  CHECK(recall_report_text(report, "").find("(Beijing time") != std::string::npos);
  CHECK_THROWS_AS(recall_event(l, {"NOPE", "x", false, "COOP", "", ""}), Error);
  CHECK_THROWS_AS(recall_event(l, {"K3", "x", false, "NOBODY", "", ""}), Error);
}

TEST_CASE("agtrace-ledger recall writes the report files and signs a checkpoint") {
  testing::Season s;
  std::string out, err;
  auto dir = s.dir() / "report";
  auto cmd = testing::ledger_binary() + " --ledger " + s.path() + " recall --key " + s.clerk_key_file() +
             " --log-key " + s.log_key_file() + " " + s.codes("K2")[0] +
             " --reason 'pesticide residue' --descendants --out " + dir.string();
  REQUIRE(testing::run(cmd, out, err) == 0);
  CHECK(out.find("BUYER-1") != std::string::npos);
  std::ifstream codes(dir / "codes.txt");
  std::stringstream ss;
  ss << codes.rdbuf();
  CHECK(ss.str() == s.codes("K2")[0] + "\n" + s.codes("K2")[1] + "\n");
  for (const char* f : {"recall.txt", "recall.json", "recall.csv"}) CHECK(std::filesystem::exists(dir / f));
  Ledger l(s.path(), false);
  CHECK(l.latest_checkpoint_parsed()->size == l.size());
  CHECK(testing::run(testing::ledger_binary() + " --ledger " + s.path() + " recall --key " + s.clerk_key_file() +
                         " K2",
                     out, err) == 2);  // no --reason
}
