// A fresh ledger through the agtrace-ledger binary; event builders; the sqlite3 shell.
#include "tests/support/ledger_fixture.h"

#include <fstream>
#include <stdexcept>

namespace agtrace::testing {

namespace {

ProcessResult must_succeed(ProcessResult r) {
  if (!r.exited_with(0)) throw std::runtime_error("a test setup step failed: " + r.describe());
  return r;
}

std::string trim_newlines(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

}  // namespace

const std::string& ledger_binary() {
  static const std::string path = AGTRACE_LEDGER_BIN;
  return path;
}

TestLedger::TestLedger() {
  must({"init", "--origin", "test.agtrace.example/log", "--base-url", "https://trace.agtrace.example",
        "--log-key-out", log_key().string()});
  must_succeed(run({ledger_binary(), "key", "gen", "--name", "clerk-test", "--out", clerk_key().string()}));
  must({"key", "add", "--log-key", log_key().string(), "--pub", clerk_key().string() + ".pub"});
  const std::string t = "2024-01-02T08:00:00+08:00";
  std::vector<nlohmann::json> master = {
      {{"type", "party"}, {"event_id", "md-party"}, {"event_time", t}, {"party_id", kParty},
       {"name", "章丘大葱专业合作社"}, {"role", "cooperative"}},
      {{"type", "location"}, {"event_id", "md-plot"}, {"event_time", t}, {"location_id", kPlot},
       {"name", "东地一号地块"}, {"kind", "plot"}, {"owner", kParty}},
      {{"type", "location"}, {"event_id", "md-cold"}, {"event_time", t}, {"location_id", kColdStore},
       {"name", "冷库"}, {"kind", "cold_store"}, {"owner", kParty}},
      {{"type", "product"}, {"event_id", "md-product"}, {"event_time", t}, {"product_id", kProduct},
       {"name", "大葱"}, {"brand", {{"regional", "章丘大葱"}}}, {"pack_size", {{"value", "5"}, {"unit", "KGM"}}}},
  };
  must_succeed(record(master));
}

ProcessResult TestLedger::cli(std::vector<std::string> args, RunOptions options) const {
  args.insert(args.begin(), {ledger_binary(), "--ledger", path().string()});
  options.unset_env.push_back("AGTRACE_LEDGER");
  return run(std::move(args), std::move(options));
}

std::string TestLedger::must(std::vector<std::string> args, RunOptions options) const {
  return must_succeed(cli(std::move(args), std::move(options))).out;
}

RunOptions in_locale(const std::string& lang_env) {
  RunOptions o;
  o.env = {{"LANG", lang_env}};
  o.unset_env = {"LC_ALL", "LC_MESSAGES", "AGTRACE_LEDGER"};
  return o;
}

std::filesystem::path TestLedger::write_file(const std::string& name, const std::string& text) const {
  std::filesystem::path p = dir_ / name;
  std::ofstream(p, std::ios::binary) << text;
  return p;
}

ProcessResult TestLedger::import_csv(const std::filesystem::path& file, std::vector<std::string> extra,
                                     RunOptions options) const {
  std::vector<std::string> args = {"import", "--key", clerk_key().string(), "--format", "csv"};
  args.insert(args.end(), extra.begin(), extra.end());
  args.push_back(file.string());
  return cli(std::move(args), std::move(options));
}

ProcessResult TestLedger::record(const std::vector<nlohmann::json>& evs, bool sign_checkpoint) const {
  return record_text(events::jsonl(evs), sign_checkpoint);
}

ProcessResult TestLedger::record_text(const std::string& text, bool sign_checkpoint) const {
  std::vector<std::string> args = {"record", "--key", clerk_key().string()};
  if (sign_checkpoint) args.insert(args.end(), {"--log-key", log_key().string()});
  args.push_back("-");
  RunOptions options;
  options.stdin_data = text;
  return cli(std::move(args), std::move(options));
}

nlohmann::json TestLedger::log() const { return nlohmann::json::parse(must({"log", "--json"})); }

std::string TestLedger::checkpoint() const { return must({"checkpoint", "--log-key", log_key().string()}); }

std::filesystem::path TestLedger::add_key(const std::string& name, const std::string& role) const {
  auto key = dir_ / (name + ".key");
  must_succeed(run({ledger_binary(), "key", "gen", "--name", name, "--out", key.string()}));
  std::vector<std::string> args = {"key", "add", "--log-key", log_key().string(), "--pub", key.string() + ".pub",
                                   "--role", role};
  if (role == "station") args.insert(args.end(), {"--holder", kParty});  // a station key acts for its holder
  must(args);
  return key;
}

TestLedger::Snapshot TestLedger::snapshot() const {
  auto verify = cli({"verify", "--json"});
  return {must({"log", "--json"}), std::to_string(verify.exit_code) + " " + verify.out};
}

std::string TestLedger::file_bytes() const {
  std::string bytes = read_file(path());
  std::filesystem::path wal = path().string() + "-wal";
  if (std::filesystem::exists(wal)) bytes += read_file(wal);
  return bytes;
}

std::string key_id_of(const std::filesystem::path& pub_file) {
  std::string line = trim_newlines(read_file(pub_file));
  auto second_plus = line.find('+', line.find('+') + 1);
  return line.substr(0, second_plus);
}

void copy_ledger(const std::filesystem::path& from, const std::filesystem::path& to) {
  namespace fs = std::filesystem;
  fs::copy_file(from, to, fs::copy_options::overwrite_existing);
  fs::path wal = from.string() + "-wal";
  if (fs::exists(wal)) fs::copy_file(wal, to.string() + "-wal", fs::copy_options::overwrite_existing);
}

std::string sqlite3(const std::filesystem::path& db, const std::string& sql) {
  RunOptions options;
  options.stdin_data = sql;
  return must_succeed(run({"sqlite3", "-bail", db.string()}, std::move(options))).out;
}

namespace events {

namespace {
nlohmann::json base(const char* type, const std::string& id, const std::string& time,
                    const char* location = kPlot) {
  return {{"type", type}, {"event_id", id}, {"event_time", time}, {"party", kParty}, {"location", location}};
}
}  // namespace

nlohmann::json planting(const std::string& id, const std::string& lot, const std::string& time) {
  auto e = base("planting", id, time);
  e["lot"] = lot;
  e["product"] = kProduct;
  e["area_mu"] = "2.5";
  return e;
}

nlohmann::json pesticide(const std::string& id, const std::string& lot, const std::string& time, int days) {
  auto e = base("input_application", id, time);
  e["lot"] = lot;
  e["input_kind"] = "pesticide";
  e["input_name"] = "吡虫啉";
  e["registration_no"] = "PD20080001";
  e["pre_harvest_interval_days"] = days;
  return e;
}

nlohmann::json harvest(const std::string& id, const std::string& lot, const std::string& from_lot,
                       const std::string& time, const std::string& kg) {
  auto e = base("harvest", id, time);
  e["lot"] = lot;
  e["from_lot"] = from_lot;
  e["quantity"] = {{"value", kg}, {"unit", "KGM"}};
  return e;
}

nlohmann::json inspection(const std::string& id, const std::string& lot, const std::string& time) {
  auto e = base("inspection", id, time);
  e["lots"] = {lot};
  e["report_no"] = "R-" + id;
  e["result"] = "pass";
  e["items"] = {{{"name", "毒死蜱"}, {"measured", "0.01"}, {"limit", "0.02"}, {"result", "pass"}}};
  return e;
}

nlohmann::json packing(const std::string& id, const std::string& input_lot, const std::string& lot,
                       const std::string& time, int boxes) {
  auto e = base("packing", id, time);
  e["input_lot"] = input_lot;
  e["input_quantity"] = {{"value", std::to_string(boxes * 5)}, {"unit", "KGM"}};
  e["lot"] = lot;
  e["product"] = kProduct;
  e["count"] = boxes;
  e["pack_size"] = {{"value", "5"}, {"unit", "KGM"}};
  return e;
}

nlohmann::json storage(const std::string& id, const std::string& lot, const std::string& time) {
  auto e = base("storage", id, time, kColdStore);
  e["lots"] = {lot};
  e["start"] = time;
  e["target"] = {{"min", "0"}, {"max", "2"}};
  return e;
}

std::string jsonl(const std::vector<nlohmann::json>& evs) {
  std::string text;
  for (const auto& e : evs) text += e.dump() + "\n";
  return text;
}

}  // namespace events

}  // namespace agtrace::testing
