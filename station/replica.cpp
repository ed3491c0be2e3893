// The station's verified replica (replica.h).
#include "station/replica.h"

#include <fmt/format.h>

#include <iostream>
#include <regex>
#include <thread>

#include "ledger/util/error.h"

namespace agtrace::station {
namespace {

verifier::StateConfig state_config(const ReplicaOptions& o) {
  verifier::StateConfig c;
  c.ledger_path = o.ledger_path;
  c.state_path = o.state_path + ".verified";
  c.trust_path = o.state_path + ".trust";
  c.pinned_log_keys = o.pinned_log_keys;
  c.poll_interval_ms = o.poll_interval_ms;
  c.recheck_on_change = true;  // an edited old entry fails closed at the next poll (replica.h)
  c.readers = o.readers;
  c.program = "agtrace-station";
  c.while_failed = "账本文件未通过校验，工作站不显示账本内容、不打印 / the ledger file does not verify: showing nothing "
                   "from it and printing nothing";
  c.repin_command = "agtrace-verifier repin --scans " + o.state_path;
  return c;
}

}  // namespace

ReplicaRead::ReplicaRead(std::shared_ptr<verifier::StateReaders> readers)
    : readers_(std::move(readers)), lease_(readers_->get()), snapshot_(sql::Transaction::read(lease_->database())) {}

Replica::Replica(ReplicaOptions options) : options_(std::move(options)), state_(state_config(options_)) {
  state_.start();
}

std::uint64_t Replica::file_entries() {
  std::lock_guard lock(file_mu_);
  try {
    if (!file_) file_ = std::make_unique<sql::Database>(options_.ledger_path, sql::OpenMode::read_only);
    auto s = file_->prepare("SELECT coalesce(max(idx) + 1, 0) FROM entries");
    s.step();
    return static_cast<std::uint64_t>(s.column_int(0));
  } catch (const Error&) {
    file_.reset();  // a replaced or missing file: the follower judges it; nothing to wait for here
    return 0;
  }
}

void Replica::writer_audit_failed(const std::string& detail) {
  std::cerr << "agtrace-station: a write was refused by the ledger writer's audit; the station shows nothing from "
               "the ledger and prints nothing until the ledger file is replaced by one that verifies (or a restart): "
            << detail << "\n";
  auto readers = state_.readers();
  std::lock_guard lock(audit_mu_);
  audit_failed_epoch_ = readers ? readers->epoch() : 0;
  audit_failed_ = true;
}

verifier::StateHealth Replica::health() const {
  verifier::StateHealth h = state_.health();
  auto readers = state_.readers();
  std::lock_guard lock(audit_mu_);
  if (!audit_failed_ || h.status == verifier::StateStatus::failed) return h;
  if (readers && readers->epoch() != audit_failed_epoch_) {
    audit_failed_ = false;  // another file verified from scratch since: the next write audits it again
    return h;
  }
  h.status = verifier::StateStatus::failed;
  h.reason = kWriterAuditReason;
  return h;
}

ReplicaRead Replica::read() {
  if (const verifier::StateHealth h = health(); h.status == verifier::StateStatus::failed)
    throw ReplicaUnavailable(unavailable_message(h), true);
  if (const verifier::StateHealth h = state_.health(); h.status == verifier::StateStatus::verified)
    if (const std::uint64_t n = file_entries(); n > h.entries) catch_up_to(n - 1, kReadCatchUp);
  auto readers = state_.readers();
  if (!readers) {
    verifier::StateHealth h = health();
    throw ReplicaUnavailable(unavailable_message(h), h.status == verifier::StateStatus::failed);
  }
  return ReplicaRead(std::move(readers));
}

bool Replica::catch_up_to(std::uint64_t entry, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  state_.poll_now();
  for (;;) {
    verifier::StateHealth h = state_.health();
    if (h.status == verifier::StateStatus::failed) return false;
    if (h.status == verifier::StateStatus::verified && h.entries > entry) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

bool Replica::wait_started(std::chrono::milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (state_.health().status == verifier::StateStatus::replaying) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

std::string unavailable_message(const verifier::StateHealth& h) {
  if (h.status == verifier::StateStatus::failed && h.reason == Replica::kWriterAuditReason)
    return "账本文件未通过校验：写入前检查发现账本文件被改动过（派生数据或表结构），没有写入任何内容。工作站暂停显示账本内容和"
           "打印，请联系管理员从备份恢复账本文件 / the ledger file does not verify: the check before writing found it "
           "edited (derived tables or schema), nothing was written; the station shows nothing from it and prints nothing "
           "until the administrator restores it from a backup (details in the station's log)";
  if (h.status == verifier::StateStatus::failed) {
    // The verifier's reason is English; an edited signed entry, the case an operator meets, in Chinese.
    static const std::regex edited(R"(^entry (\d+): its bytes in the ledger file changed after it was verified)");
    std::smatch m;
    const std::string zh = std::regex_search(h.reason, m, edited)
                               ? fmt::format("账本第 {} 条记录在校验之后被改动过", m[1].str())
                               : h.reason;
    return fmt::format("账本文件未通过校验，工作站暂停显示账本内容和打印，请联系管理员（原因：{}） / the ledger file does not "
                       "verify: the station shows nothing from it and prints nothing until it does; contact the "
                       "administrator ({})",
                       zh, h.reason);
  }
  return fmt::format("正在校验账本文件（已校验 {0} 条记录），请稍候再试 / verifying the ledger file ({0} entries so far): "
                     "try again in a moment",
                     h.entries);
}

}  // namespace agtrace::station
