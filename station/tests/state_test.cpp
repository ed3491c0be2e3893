// The station's state file (station/state.h) and PINs (station/pin.h): "PINs stored with a
// slow salted KDF, lockout after 5 wrong tries, sessions with an idle timeout, a CSRF token"
// (issue 15 item 1); jobs queued per printer survive a restart.
#include <doctest/doctest.h>

#include <filesystem>
#include <functional>

#include "labeler/testing/qr_decode.h"
#include "ledger/store/sqlite.h"
#include "ledger/util/error.h"
#include "station/messages.h"
#include "station/pin.h"
#include "station/state.h"

using namespace agtrace;
using namespace agtrace::station;

namespace {

std::string fresh_state(const std::string& name) {
  std::string dir = labeler::testing::scratch_dir("station-state-" + name);
  return dir + "/station.db";
}

std::string refusal(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::bad_input);
    return e.what();
  }
  FAIL("not refused");
  return "";
}

}  // namespace

TEST_CASE("a PIN is kept as PBKDF2-HMAC-SHA256 with a random salt and checked against it") {
  PinHash a = hash_pin("482915"), b = hash_pin("482915");
  CHECK(a.iterations >= 200000);
  CHECK(a.salt.size() == 16);
  CHECK(a.hash.size() == 32);
  CHECK(a.salt != b.salt);  // random salt: the same PIN hashes differently
  CHECK(a.hash != b.hash);
  CHECK(pin_matches("482915", a));
  CHECK_FALSE(pin_matches("482916", a));
  CHECK_FALSE(pin_matches("", a));
  // A low iteration count still checks (the count is stored with each hash).
  PinHash quick = hash_pin("1234", 1000);
  CHECK(pin_matches("1234", quick));
  CHECK_FALSE(pin_matches("1234", {quick.salt, 1001, quick.hash}));
}

TEST_CASE("a PIN is 4 to 12 digits") {
  for (std::string bad : {"123", "1234567890123", "12a4", "12 34", ""})
    CHECK(refusal([&] { check_pin_format(bad); }).find("PIN 须为 4 到 12 位数字") != std::string::npos);
  check_pin_format("0000");
  check_pin_format("123456789012");
}

TEST_CASE("accounts are pseudonyms with a role; add, disable, reset-pin refuse bad input naming the field") {
  StationState s(fresh_state("accounts"));
  s.add_account("op-07", "operator", "COOP", "4829");
  auto a = s.account("op-07");
  REQUIRE(a);
  CHECK(a->role == "operator");
  CHECK(a->enterprise == "COOP");
  CHECK(refusal([&] { s.add_account("op-07", "operator", "COOP", "1111"); }).find("--id op-07：账号已存在") == 0);
  CHECK(refusal([&] { s.add_account("Zhang San", "operator", "COOP", "1111"); }).find("--id Zhang San：账号是化名") == 0);
  CHECK(refusal([&] { s.add_account("op-08", "boss", "COOP", "1111"); }).find("--role boss") == 0);
  CHECK(refusal([&] { s.add_account("op-08", "operator", "COOP", "12"); }).find("PIN") == 0);
  CHECK_FALSE(s.account("op-08"));  // nothing written by the refusals
  CHECK(refusal([&] { s.disable_account("op-99"); }).find("--id op-99：没有这个账号") == 0);
  CHECK(refusal([&] { s.reset_pin("op-99", "1234"); }).find("--id op-99：没有这个账号") == 0);
}

TEST_CASE("five wrong PINs in a row lock the account; a supervisor's reset-pin unlocks it") {
  StationState s(fresh_state("lockout"));
  s.add_account("op-07", "operator", "COOP", "4829");
  CHECK(s.sign_in("op-07", "4829").outcome == SignInOutcome::ok);
  for (int i = 1; i <= 4; ++i) {
    auto r = s.sign_in("op-07", "0000");
    CHECK(r.outcome == SignInOutcome::wrong);
    CHECK(r.tries_left == kMaxWrongPins - i);
  }
  CHECK(s.sign_in("op-07", "0000").outcome == SignInOutcome::locked);  // the fifth
  CHECK(s.sign_in("op-07", "4829").outcome == SignInOutcome::locked);  // the right PIN no longer helps
  CHECK(s.account("op-07")->locked);
  s.reset_pin("op-07", "7391");
  CHECK_FALSE(s.account("op-07")->locked);
  CHECK(s.sign_in("op-07", "4829").outcome == SignInOutcome::wrong);
  CHECK(s.sign_in("op-07", "7391").outcome == SignInOutcome::ok);
}

TEST_CASE("a sign-in lockout ends by itself after its time, doubling in a row; an unlock ends it at once and is recorded") {
  StationState s(fresh_state("timed-lockout"));
  s.add_account("op-07", "operator", "COOP", "4829");
  const LockoutPolicy policy{.first_ms = 60000, .max_ms = 180000};
  CHECK(policy.length_ms(1) == 60000);
  CHECK(policy.length_ms(2) == 120000);
  CHECK(policy.length_ms(3) == 180000);  // capped
  CHECK(policy.length_ms(40) == 180000);
  std::int64_t t = 1'000'000'000'000;
  for (int i = 1; i < kMaxWrongPins; ++i) CHECK(s.sign_in("op-07", "0000", t, policy).outcome == SignInOutcome::wrong);
  auto locked = s.sign_in("op-07", "0000", t, policy);
  CHECK(locked.outcome == SignInOutcome::locked);
  CHECK(locked.locked_until_ms == t + 60000);
  CHECK(s.sign_in("op-07", "4829", t + 59999, policy).outcome == SignInOutcome::locked);
  CHECK(s.sign_in("op-07", "4829", t + 59999, policy).locked_until_ms == t + 60000);
  CHECK(s.account("op-07", t + 59999)->locked);
  CHECK_FALSE(s.account("op-07", t + 60000)->locked);
  // Waited out: the count starts again, and the next lockout in a row lasts twice as long.
  t += 60000;
  for (int i = 1; i < kMaxWrongPins; ++i) CHECK(s.sign_in("op-07", "0000", t, policy).tries_left == kMaxWrongPins - i);
  CHECK(s.sign_in("op-07", "0000", t, policy).locked_until_ms == t + 120000);
  // A right PIN after the lock ends the row: the next lockout is the first again.
  t += 120000;
  CHECK(s.sign_in("op-07", "4829", t, policy).outcome == SignInOutcome::ok);
  for (int i = 1; i < kMaxWrongPins; ++i) (void)s.sign_in("op-07", "0000", t, policy);
  CHECK(s.sign_in("op-07", "0000", t, policy).locked_until_ms == t + 60000);
  // A supervisor's unlock ends it at once, keeps the PIN, and is recorded; with a new PIN, the PIN changes.
  CHECK_FALSE(s.last_unlock("op-07"));
  s.unlock("op-07", "sup-01", t + 1);
  CHECK_FALSE(s.account("op-07", t + 1)->locked);
  CHECK(s.last_unlock("op-07") == std::pair<std::string, std::int64_t>{"sup-01", t + 1});
  CHECK(s.sign_in("op-07", "4829", t + 2, policy).outcome == SignInOutcome::ok);
  s.unlock("op-07", "sup-02", t + 3, "6060");
  CHECK(s.sign_in("op-07", "4829", t + 4, policy).outcome == SignInOutcome::wrong);
  CHECK(s.sign_in("op-07", "6060", t + 5, policy).outcome == SignInOutcome::ok);
  CHECK(s.last_unlock("op-07")->first == "sup-02");
  CHECK(refusal([&] { s.unlock("op-99", "sup-01", t); }).find("--id op-99：没有这个账号") == 0);
  CHECK(refusal([&] { s.unlock("op-07", "sup-01", t, "12"); }).find("PIN 须为 4 到 12 位数字") != std::string::npos);
  // accounts(): the enterprise's, with both locks.
  s.add_account("op-08", "operator", "OTHER", "5555");
  for (int i = 0; i < kMaxWrongPins; ++i) (void)s.approve("op-07", "op-08", "0000", t);
  auto list = s.accounts("COOP", t);
  REQUIRE(list.size() == 1);
  CHECK(list[0].id == "op-07");
  CHECK(list[0].approvals_locked);
  CHECK_FALSE(list[0].locked);
  s.unlock("op-07", "sup-01", t);
  CHECK_FALSE(s.accounts("COOP", t)[0].approvals_locked);
}

TEST_CASE("wrong supervisor PINs on an operator's screen lock that operator's approvals, never the supervisor") {
  StationState s(fresh_state("approval"));
  s.add_account("op-07", "operator", "COOP", "4829");
  s.add_account("op-08", "operator", "COOP", "5555");
  s.add_account("sup-01", "supervisor", "COOP", "7316");
  for (int i = 1; i <= 4; ++i) {
    auto r = s.approve("op-07", i == 2 ? "sup-unknown" : "sup-01", "0000");
    CHECK(r.outcome == ApprovalOutcome::wrong);
    CHECK(r.tries_left == kMaxWrongPins - i);
  }
  CHECK(s.approve("op-07", "sup-01", "0000").outcome == ApprovalOutcome::requester_locked);  // the fifth
  CHECK(s.approve("op-07", "sup-01", "7316").outcome == ApprovalOutcome::requester_locked);  // not even checked now
  CHECK_FALSE(s.account("sup-01")->locked);
  CHECK(s.account("sup-01")->failed == 0);
  CHECK(s.sign_in("sup-01", "7316").outcome == SignInOutcome::ok);
  CHECK(s.sign_in("op-07", "4829").outcome == SignInOutcome::ok);  // op-07 still signs in
  auto ok = s.approve("op-08", "sup-01", "7316");                    // and sup-01 approves elsewhere
  CHECK(ok.outcome == ApprovalOutcome::ok);
  CHECK(ok.account.id == "sup-01");
  // A right PIN clears op-08's count.
  for (int i = 0; i < 4; ++i) CHECK(s.approve("op-08", "sup-01", "1111").outcome == ApprovalOutcome::wrong);
  CHECK(s.approve("op-08", "sup-01", "7316").outcome == ApprovalOutcome::ok);
  CHECK(s.approve("op-08", "sup-01", "1111").tries_left == kMaxWrongPins - 1);
  // reset-pin of op-07 unlocks its approvals.
  s.reset_pin("op-07", "4829");
  CHECK(s.approve("op-07", "sup-01", "7316").outcome == ApprovalOutcome::ok);
  // A stranger's five wrong sign-ins lock sup-01's sign-in, not its approvals; disabled, it approves nothing.
  for (int i = 0; i < kMaxWrongPins; ++i) (void)s.sign_in("sup-01", "0000");
  auto locked = s.sign_in("sup-01", "7316");
  CHECK(locked.outcome == SignInOutcome::locked);
  CHECK(locked.account.role == "supervisor");
  CHECK(s.approve("op-07", "sup-01", "7316").outcome == ApprovalOutcome::ok);
  s.reset_pin("sup-01", "7316");
  s.disable_account("sup-01");
  CHECK(s.approve("op-07", "sup-01", "7316").outcome == ApprovalOutcome::disabled);
}

TEST_CASE("a right PIN clears the count of wrong ones; unknown and disabled accounts never sign in") {
  StationState s(fresh_state("count"));
  s.add_account("op-07", "operator", "COOP", "4829");
  for (int i = 0; i < 4; ++i) CHECK(s.sign_in("op-07", "0000").outcome == SignInOutcome::wrong);
  CHECK(s.sign_in("op-07", "4829").outcome == SignInOutcome::ok);
  CHECK(s.sign_in("op-07", "0000").tries_left == kMaxWrongPins - 1);
  CHECK(s.sign_in("nobody", "4829").outcome == SignInOutcome::wrong);
  s.disable_account("op-07");
  CHECK(s.sign_in("op-07", "4829").outcome == SignInOutcome::disabled);
}

TEST_CASE("a disabled account's session is refused and says why; enabled again, it stays ended") {
  StationState s(fresh_state("disabled-session"));
  s.add_account("op-07", "operator", "COOP", "4829");
  Session one = s.create_session(*s.account("op-07"), 1000);
  CHECK_FALSE(s.disabled_session(one.token));
  s.disable_account("op-07");
  CHECK_FALSE(s.session(one.token, 1001, 60000, true));
  CHECK(s.disabled_session(one.token) == "op-07");
  CHECK(s.disabled_session(one.token) == "op-07");  // asking twice still knows
  s.enable_account("op-07");
  CHECK_FALSE(s.session(one.token, 1002, 60000, true));
  CHECK_FALSE(s.disabled_session(one.token));
}

TEST_CASE("sessions: a random token kept hashed, a CSRF token each, ended by idleness, sign-out and lockout") {
  std::string path = fresh_state("sessions");
  StationState s(path);
  s.add_account("op-07", "operator", "COOP", "4829");
  s.add_account("op-08", "operator", "COOP", "5555");
  auto a = *s.account("op-07");
  Session one = s.create_session(a, 1000), two = s.create_session(a, 1000);
  CHECK(one.token.size() == 64);
  CHECK(one.token != two.token);
  CHECK(one.csrf != two.csrf);
  CHECK(one.csrf != one.token);
  auto found = s.session(one.token, 1000 + 60000, 15 * 60000, true);
  REQUIRE(found);
  CHECK(found->account.id == "op-07");
  CHECK(found->csrf == one.csrf);
  CHECK_FALSE(s.session(std::string(64, '0'), 1000, 15 * 60000, true));
  // Idle beyond the timeout (counted from the last use): gone for good.
  CHECK(s.session(one.token, 61000 + 15 * 60000 - 1, 15 * 60000, true));
  CHECK_FALSE(s.session(one.token, 61000 + 2 * 15 * 60000, 15 * 60000, true));
  CHECK_FALSE(s.session(one.token, 61001, 15 * 60000, true));
  s.end_session(two.token);
  CHECK_FALSE(s.session(two.token, 1000, 15 * 60000, true));
  // A lockout ends the account's sessions.
  Session three = s.create_session(a, 1000);
  for (int i = 0; i < kMaxWrongPins; ++i) s.sign_in("op-07", "0000");
  CHECK_FALSE(s.session(three.token, 1000, 15 * 60000, true));
  // The token itself is not in the file, only its digest.
  Session four = s.create_session(*s.account("op-08"), 1000);
  StationState again(path);
  CHECK(again.session(four.token, 2000, 15 * 60000, true));
}

TEST_CASE("jobs are queued per printer in order, survive a restart, and one left sending is marked failed") {
  std::string path = fresh_state("jobs");
  {
    StationState s(path);
    Job j;
    j.lot = "LC-1";
    j.product = "P";
    j.account = "op-07";
    j.enterprise = "COOP";
    j.count = 12;
    j.printer = "line-1";
    auto first = s.queue_job(j, 1);
    j.printer = "line-2";
    s.queue_job(j, 2);
    j.printer = "line-1";
    j.count = 5;
    auto third = s.queue_job(j, 3);
    auto started = s.start_next("line-1", 10);
    REQUIRE(started);
    CHECK(started->id == first);
    CHECK(started->state == "sending");
    CHECK_FALSE(s.cancel_job(first, "COOP", 11));   // sending: too late
    CHECK_FALSE(s.cancel_job(third, "OTHER", 11));  // not theirs
    CHECK(s.recent_jobs("COOP", 10).size() == 3);
    CHECK(s.recent_jobs("OTHER", 10).empty());
    j.printer = "line-3";
    s.queue_job(j, 4);
    auto recorded = s.start_next("line-3", 12);  // gets its ledger entry, then the station stops
    REQUIRE(recorded);
    s.record_entry(recorded->id, 77);
  }  // the station stops while job 1 (nothing recorded yet) and job 4 (recorded) are sending
  StationState s(path);
  CHECK(s.recover(20) == 2);
  auto jobs = s.recent_jobs("COOP", 10);
  CHECK(jobs.back().state == "failed");
  CHECK_FALSE(jobs.back().entry);
  // Nothing recorded: said plainly, never sending the operator to a command line.
  CHECK(jobs.back().message.find("没有发出标签，也没有记入账本，请重新打印") != std::string::npos);
  CHECK(jobs.back().message.find("agtrace-labeler") == std::string::npos);
  auto second = s.job(jobs.front().id);
  REQUIRE(second);
  CHECK(second->state == "failed");
  CHECK(second->entry == 77u);
  CHECK(second->message.find("已记入账本") != std::string::npos);
  CHECK(second->message.find("处理不确定的标签") != std::string::npos);
  CHECK(second->message.find("agtrace-labeler") == std::string::npos);
  auto next = s.start_next("line-1", 21);
  REQUIRE(next);
  CHECK(next->count == 5);  // the queued job survived
  s.finish_job(next->id, "printed", 42, 5, "", 22);
  CHECK(s.job(next->id)->entry == 42u);
  CHECK_FALSE(s.start_next("line-1", 23));
  auto other = s.start_next("line-2", 23);
  REQUIRE(other);
  CHECK(s.cancel_job(s.queue_job(*other, 24), "COOP", 25));
}

TEST_CASE("a file that is not a station state file is refused") {
  std::string dir = labeler::testing::scratch_dir("station-state-foreign");
  std::string path = dir + "/ledger.db";
  {
    StationState s(path);  // creates
  }
  std::string other = dir + "/other.db";
  {
    std::filesystem::copy_file(path, other);
    sql::Database db(other, sql::OpenMode::read_write);
    db.exec("DROP TABLE station_meta");
  }
  CHECK(refusal([&] { StationState s(other); }).find("这不是工作站的状态文件") != std::string::npos);
}

TEST_CASE("refusals for the operator: Chinese first, the ledger rule's field name dropped, the original kept") {
  using agtrace::station::for_operator;
  const std::string rule =
      "field lot: 批次「K1」（产品 LCDC）没有有效的承诺达标合格证，不能打印标签 / lot \"K1\" (product LCDC) has no valid "
      "承诺达标合格证 (commitment certificate)";
  CHECK(for_operator(rule) == rule.substr(std::string("field lot: ").size()));
  CHECK(for_operator("打印机缺纸 / printer out of paper") == "打印机缺纸 / printer out of paper");
  const std::string holder = "field lot: station key k is held by \"BUY\", but lot \"K1\" was packed by \"SDD\"; a station key acts only for its holder's lots";
  CHECK(for_operator(holder) == "本企业的工作站只能为本企业包装的批次打印标签，请选本企业的批次 / " + holder);
  CHECK(for_operator("something new").rfind("账本拒绝了这个打印任务", 0) == 0);
  // A recalled lot, in the clerk's words of the ledger's catalogue or in English: the operator's.
  const std::string recalled = "field lot: 批次「K1」已召回（事件 R1），不能再打印标签；召回批次的旧标签请作废 / lot \"K1\" was recalled";
  CHECK(for_operator(recalled) == agtrace::station::recalled_for_operator("", ""));
  // In English too: no event id, no CLI wording.
  const std::string english = for_operator("lot \"K1\" was recalled (event R1): stop selling and eating it");
  CHECK(english.rfind("这个批次已召回：不要打印标签", 0) == 0);
  CHECK(english.find(" / this lot is recalled: do not print labels") != std::string::npos);
  CHECK(english.find("R1") == std::string::npos);
  CHECK(english.find("eating") == std::string::npos);
  // An interrupted job's advice in the station's words: no command-line verbs in the Chinese half.
  const std::string stopped = "打印机缺纸，请装纸 / printer out of paper\n未确认的标签可能已打印：请查看打印机，打出的重印（reprint）或作废（void），"
                              "没打出的作废 / uncertain labels may have printed: check the printer, then reprint or void each: A";
  const std::string said = for_operator(stopped);
  CHECK(said.find("请查看打印机，打出来的可以重印或作废，没打出来的请作废（都在“重印/作废”页） / uncertain labels") != std::string::npos);
  CHECK(said.find("（reprint）") == std::string::npos);
  CHECK(for_operator("field x:").rfind("账本拒绝了这个打印任务", 0) == 0);
  // Paper out before any label was sent: nothing went out, and what to do.
  using agtrace::station::unsent_for_operator;
  CHECK(unsent_for_operator("打印机缺纸，请装纸 / printer out of paper: load labels") ==
        "打印机缺纸，请装纸。没有发出任何标签，装纸后可以重新打印 / printer out of paper: load labels. No label was sent: "
        "load labels and print again");
  CHECK(unsent_for_operator("打印头未合上 / head open") == "打印头未合上 / head open");
  // A recall's reason for the operator: the consumer's clauses dropped, the date instead of the event id.
  using agtrace::station::operator_reason;
  using agtrace::station::recalled_for_operator;
  CHECK(operator_reason("毒死蜱超标，请停止销售和食用，凭包装退货") == "毒死蜱超标");
  CHECK(operator_reason("检出毒死蜱；超标 3 倍。消费者请勿食用") == "检出毒死蜱；超标 3 倍");
  CHECK(operator_reason("请停止销售和食用") == "");
  CHECK(operator_reason("毒死蜱超标") == "毒死蜱超标");
  const std::string r = recalled_for_operator("毒死蜱超标，请停止销售和食用，凭包装退货", "2026-12-06");
  CHECK(r.rfind("这个批次已召回：不要打印标签，把这批货单独放好、不要发出，并马上告诉主管。召回原因：毒死蜱超标（2026-12-06 召回） / ",
                0) == 0);
  CHECK(r.find("退货") == std::string::npos);
  CHECK(recalled_for_operator("请停止销售和食用", "").find("召回原因") == std::string::npos);
}

TEST_CASE("history: jobs found by lot, account, a serial's job entry and day, only the enterprise's own") {
  StationState s(fresh_state("history"));
  Job j;
  j.product = "P";
  j.printer = "line-1";
  j.count = 3;
  auto add = [&](const std::string& lot, const std::string& account, const std::string& enterprise, std::int64_t at) {
    j.lot = lot;
    j.account = account;
    j.enterprise = enterprise;
    return s.queue_job(j, at);
  };
  auto a = add("LC-1", "op-07", "COOP", 1000);
  auto b = add("LC-2", "op-07", "COOP", 2000);
  auto c = add("LC-1", "op-08", "COOP", 3000);
  add("LC-1", "op-07", "OTHER", 3500);
  s.finish_job(b, "printed", 77, 3, "", 2500);
  auto ids = [](const std::vector<Job>& jobs) {
    std::vector<std::int64_t> out;
    for (const auto& x : jobs) out.push_back(x.id);
    return out;
  };
  CHECK(ids(s.find_jobs("COOP", {}, 10)) == std::vector<std::int64_t>{c, b, a});
  CHECK(ids(s.find_jobs("COOP", {.lot = "LC-1"}, 10)) == std::vector<std::int64_t>{c, a});
  CHECK(ids(s.find_jobs("COOP", {.account = "op-07"}, 10)) == std::vector<std::int64_t>{b, a});
  CHECK(ids(s.find_jobs("COOP", {.lot = "LC-1", .account = "op-08"}, 10)) == std::vector<std::int64_t>{c});
  CHECK(ids(s.find_jobs("COOP", {.entry = 77}, 10)) == std::vector<std::int64_t>{b});
  CHECK(s.find_jobs("COOP", {.entry = 78}, 10).empty());
  CHECK(ids(s.find_jobs("COOP", {.from_ms = 1500, .to_ms = 3000}, 10)) == std::vector<std::int64_t>{b});
  CHECK(ids(s.find_jobs("COOP", {}, 1)) == std::vector<std::int64_t>{c});
  CHECK(s.find_jobs("NOBODY", {}, 10).empty());
}
