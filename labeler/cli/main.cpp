// agtrace-labeler: the printer station's command line (DESIGN §8). A thin dispatcher:
// argv → labeler library → exit status (0 ok, 1 verification failed, 2 bad usage or
// input, 3 environment: printer unreachable, database busy; 70 an internal bug).
#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <iostream>

#include "labeler/certificate/certificate_from_ledger.h"
#include "labeler/certificate/certificate_render.h"
#include "labeler/job/job.h"
#include "labeler/job/journal.h"
#include "labeler/render/painter.h"
#include "labeler/render/writer.h"
#include "labeler/template/content.h"
#include "ledger/cli/help_format.h"
#include "ledger/i18n/messages.h"
#include "ledger/cli/program.h"
#include "ledger/cli/version.h"
#include "ledger/event/digital_link.h"
#include "ledger/json/strict_parse.h"
#include "ledger/ledger.h"
#include "ledger/checkpoint_guard.h"
#include "ledger/signer_state.h"
#include "ledger/scanned_label.h"
#include "ledger/util/crockford.h"
#include "ledger/util/error.h"
#include "ledger/util/plural.h"
#include "ledger/util/read_file.h"

namespace agtrace::labeler::cli {
namespace {

struct Options {
  std::string ledger, key_file, log_key_file, lot, template_file, format = "pdf", out, printer, party, location;
  std::string reason, ec, facts_file, journal, number, checkpoint_file;
  std::size_t count = 0;
  std::size_t confirm_every = 50;
  int dpi = 0;
  int timeout_ms = 10000;
  bool quiet = false, dry_run = false, unfinished = false, json = false;
  std::vector<std::string> serials;
};

void need_ledger(const Options& o) {
  if (o.ledger.empty()) throw_bad_input("no ledger file: pass --ledger FILE or set AGTRACE_LEDGER");
}

// A progress bar on stderr, only when stderr is a terminal and the job has run > 1 s.
class ProgressBar {
 public:
  explicit ProgressBar(bool enabled) : enabled_(enabled && ::isatty(STDERR_FILENO)) {}
  ~ProgressBar() {
    if (drawn_) std::cerr << "\n";
  }
  void operator()(std::size_t done, std::size_t total) {
    if (!enabled_) return;
    auto now = std::chrono::steady_clock::now();
    if (now - start_ < std::chrono::seconds(1)) return;
    if (done != total && now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    constexpr int kWidth = 30;
    int filled = static_cast<int>(kWidth * done / total);
    double secs = std::chrono::duration<double>(now - start_).count();
    std::cerr << fmt::format("\r[{}{}] {}/{} labels  {:.0f}/s ", std::string(static_cast<std::size_t>(filled), '#'),
                             std::string(static_cast<std::size_t>(kWidth - filled), ' '), done, total, done / secs)
              << std::flush;
    drawn_ = true;
  }

 private:
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now(), last_{};
};

JobOptions job_options(const Options& o) {
  JobOptions j;
  j.format = o.format;
  j.output.out = o.out;
  j.output.printer = o.printer;
  j.output.timeout = std::chrono::milliseconds(o.timeout_ms);
  j.output.confirm_every = o.confirm_every;
  j.journal = o.journal.empty() ? PrintJournal::default_path(o.ledger) : o.journal;
  if (o.dpi) j.dpi = o.dpi;
  if (!o.ec.empty()) j.ec = parse_ec_level(o.ec, "--ec");
  j.party = o.party;
  j.location = o.location;
  return j;
}

void maybe_checkpoint(Ledger& ledger, const Options& o) {
  if (o.log_key_file.empty()) {
    std::cerr << "注意：本次记录还在等待检查点；部署了检查点服务的（docs/deploy.md），几分钟内会自动签署；没有部署的，请日志密钥"
                 "持有人运行 agtrace-ledger checkpoint --log-key 日志密钥文件（见 docs/clerk-import.md「检查点」）/ note: the "
                 "job's entry awaits a checkpoint; where the checkpoint service is deployed (docs/deploy.md \"Timers\") "
                 "it signs one within minutes, otherwise the log key's holder signs one with `agtrace-ledger checkpoint "
                 "--log-key LOGKEY`\n";
    return;
  }
  sign_remembered(ledger, note::SigningKey::load(o.log_key_file), o.log_key_file);
}

// Before a job is recorded and signed into a checkpoint with --log-key: the file must extend the
// checkpoint the log key signed last (checkpoint_guard.h), so a rolled-back file is refused as 回滚
// with nothing printed or recorded — not after the job's entry was written.
void check_not_rolled_back(Ledger& ledger, const Options& o) {
  if (o.log_key_file.empty()) return;
  if (auto remembered = remembered_checkpoint(o.log_key_file))
    check_extends(ledger, *remembered, GuardedAction::label_job);
}

// A dry run: sample labels from the ledger's facts, no code issued, nothing written.
int cmd_dry_run(const Options& o) {
  LabelTemplate t = load_template(o.template_file);
  Ledger ledger(o.ledger, false);
  std::size_t n = print_samples(ledger, o.lot, o.count, t, job_options(o));
  std::cerr << fmt::format("已输出 {} 张样张（印有“样张 SAMPLE”，不是追溯码，账本未改动）/ rendered {} (sample codes, "
                           "not trace codes; nothing was recorded)\n",
                           n, counted(n, "sample label", "sample labels"));
  return 0;
}

int cmd_print(const Options& o) {
  need_ledger(o);
  if (o.dry_run) return cmd_dry_run(o);
  if (o.key_file.empty()) throw_bad_input("--key KEYFILE: a print issues codes and needs the station's key (or --dry-run for samples)");
  LabelTemplate t = load_template(o.template_file);
  auto key = note::SigningKey::load(o.key_file);
  Ledger ledger(o.ledger, true);
  ProgressBar bar(!o.quiet);
  JobOptions j = job_options(o);
  j.progress = [&](std::size_t d, std::size_t n) { bar(d, n); };
  if (auto open = unfinished_jobs(j.journal, ledger); !open.empty())
    std::cerr << fmt::format("注意：有 {} 个打印任务的标签尚未确认，请处理 / note: {} with unconfirmed labels: "
                             "agtrace-labeler jobs --unfinished\n",
                             open.size(), counted(open.size(), "print job", "print jobs"));
  check_not_rolled_back(ledger, o);
  auto size_before = ledger.size();
  try {
    JobResult r = print_labels(ledger, key, o.lot, o.count, t, j);
    std::cerr << fmt::format("已打印 {} 张{} / printed {} for lot {} (entry {})\n", r.serials.size(),
                             o.printer.empty() ? "" : "，打印机已确认", counted(r.serials.size(), "label", "labels"),
                             o.lot, r.entry);
  } catch (const Error&) {
    // A job that failed after recording (its unsent labels voided) is checkpointed too.
    if (ledger.size() != size_before) maybe_checkpoint(ledger, o);
    throw;
  }
  maybe_checkpoint(ledger, o);
  return 0;
}

// Jobs in the print journal with unconfirmed labels (text or JSON on stdout).
int cmd_jobs(const Options& o) {
  need_ledger(o);
  std::string path = o.journal.empty() ? PrintJournal::default_path(o.ledger) : o.journal;
  Ledger ledger(o.ledger, false);
  auto jobs = unfinished_jobs(path, ledger);
  if (o.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& j : jobs)
      out.push_back({{"entry", j.entry ? nlohmann::json(*j.entry) : nlohmann::json()},
                     {"lot", j.lot},
                     {"printer", j.printer},
                     {"started", j.started},
                     {"state", j.interrupted ? "interrupted" : "stopped"},
                     {"count", j.count},
                     {"confirmed", j.confirmed},
                     {"unconfirmed", j.unconfirmed}});
    std::cout << out.dump(2) << "\n";
    return 0;
  }
  if (jobs.empty()) {
    std::cout << "没有未完成的打印任务 / no unfinished print jobs\n";
    return 0;
  }
  for (const auto& j : jobs) {
    std::cout << fmt::format("任务 entry {}  批次 {}  打印机 {}  开始于 {}\n", j.entry ? std::to_string(*j.entry) : "?",
                             j.lot, j.printer, j.started);
    std::cout << fmt::format("  {} / {}: {} of {} labels confirmed\n",
                             j.interrupted ? "打印中断（程序未正常结束）" : "打印出错停止",
                             j.interrupted ? "interrupted (the labeler did not finish)" : "stopped on an error",
                             j.confirmed, j.count);
    std::cout << fmt::format("  未确认 {} 张 / unconfirmed ({}):", j.unconfirmed.size(), j.unconfirmed.size());
    for (const auto& s : j.unconfirmed) std::cout << " " << s;
    std::cout << "\n";
  }
  std::cout << "请查看打印机：打出的标签用 reprint 重印或保留，没打出的用 void 作废 / check the printer: reprint the "
               "labels that came out spoiled, void the codes whose labels did not come out\n";
  return 0;
}

// The serials given, each a serial or the URL its QR code holds (serial_from_scan).
// The serials the operator typed or scanned. A scanned label must be the label of its own
// code: a genuine serial copied onto another lot's or product's label is refused, so that
// scanning a copy can never void or reprint a real box's code.
std::vector<std::string> given_serials(Ledger& ledger, const Options& o) {
  std::vector<std::string> out;
  for (const auto& s : o.serials) {
    std::string serial = serial_from_scan(s, ledger.info().base_url, "SERIAL");
    if (auto code = ledger.code(serial))
      if (auto wrong = scanned_label_mismatch(ledger, s, *code))
        throw_bad_input(fmt::format("SERIAL {}：标签上的批次或产品与追溯码不符，这不是该箱的标签，未作任何处理 / {}: this is not "
                                    "that box's label (a copy?); nothing was done — check the box, and give the serial "
                                    "printed under the QR code",
                                    s, *wrong));
    out.push_back(std::move(serial));
  }
  return out;
}

int cmd_reprint(const Options& o) {
  need_ledger(o);
  LabelTemplate t = load_template(o.template_file);
  auto key = note::SigningKey::load(o.key_file);
  Ledger ledger(o.ledger, true);
  ProgressBar bar(!o.quiet);
  JobOptions j = job_options(o);
  j.progress = [&](std::size_t d, std::size_t n) { bar(d, n); };
  check_not_rolled_back(ledger, o);
  for (const auto& r : reprint_labels(ledger, key, given_serials(ledger, o), t, j))
    std::cerr << fmt::format("reprinted {} (entry {})\n", counted(r.serials.size(), "label", "labels"), r.entry);
  maybe_checkpoint(ledger, o);
  return 0;
}

int cmd_void(const Options& o) {
  need_ledger(o);
  auto key = note::SigningKey::load(o.key_file);
  Ledger ledger(o.ledger, true);
  check_not_rolled_back(ledger, o);
  for (auto entry : void_labels(ledger, key, given_serials(ledger, o), o.reason, o.party, o.location))
    std::cerr << fmt::format("voided (entry {})\n", entry);
  maybe_checkpoint(ledger, o);
  return 0;
}

// Renders sample labels from a facts file, without a ledger: for template design.
int cmd_preview(const Options& o) {
  LabelTemplate t = load_template(o.template_file);
  std::string text = read_file(o.facts_file, 1 << 20, "--facts ");
  auto j = json::parse_strict(text, {}, o.facts_file);
  LabelFacts f;
  f.base_url = j.at("base_url").get<std::string>();
  f.lot = j.at("lot").get<std::string>();
  f.lot_code = j.at("lot_code").get<std::string>();
  if (j.contains("gtin14")) f.gtin14 = j["gtin14"].get<std::string>();
  for (const auto& [k, v] : j.at("fields").items()) f.fields[k] = v.get<std::string>();
  f.product_id = j.value("product_id", "");
  f.processed = j.value("processed", false);  // a processed food's template (docs/templates.md)
  if (o.dpi) t.dpi = o.dpi;
  LabelPainter painter(t, f, t.dpi);
  auto writer = make_writer(o.format, painter);
  std::size_t n = o.count ? o.count : 1;
  auto out = open_output({o.out, "", std::chrono::milliseconds(o.timeout_ms), o.confirm_every}, writer->extension(),
                         writer->file_per_label(), n, "preview");
  out->write_preamble(writer->begin());
  for (std::size_t i = 0; i < n; ++i) {
    // Preview codes count up from zero: never genuine (no job issued them).
    std::uint8_t bytes[8] = {0, 0, 0, 0, 0, 0, static_cast<std::uint8_t>(i >> 4), static_cast<std::uint8_t>(i << 4)};
    std::string serial = crockford_encode(bytes, 13);
    out->write_label(i, serial, writer->label(serial, trace_uri(f, serial)));
  }
  out->write_trailer(writer->end());
  out->finish();
  return 0;
}

// The checkpoint the ledger file must extend before a certificate is printed from it (a
// rolled-back copy would print a voided or invalidated certificate as valid): --checkpoint FILE
// (a checkpoint saved earlier, e.g. by the checkpoint timer or an auditor), else the one the log
// key signed last, kept beside it (--log-key: LOGKEY.last-checkpoint, ledger/signer_state.h — the
// memory that makes print's checkpoint refuse a rolled-back or forked file); nullopt with
// neither, or when the log key has no memory yet (said on standard error).
std::optional<TrustedCheckpoint> trusted_checkpoint(const Options& o) {
  if (!o.checkpoint_file.empty()) return saved_checkpoint_file(o.checkpoint_file);
  if (o.log_key_file.empty()) return std::nullopt;
  if (auto remembered = remembered_checkpoint(o.log_key_file)) return remembered;
  std::cerr << fmt::format("注意：日志密钥旁没有它上次签署的检查点（{0}），无法确认账本没有被回滚；请用 --checkpoint "
                           "给出保存的检查点 / note: no checkpoint remembered beside the log key ({0}), so a rolled-back "
                           "ledger cannot be told; give a saved checkpoint with --checkpoint\n",
                           signer_state_path(o.log_key_file));
  return std::nullopt;
}

// The facts of the certificate to print: its signed entry (--number, with --ledger) or a
// facts file (--facts), exactly one of them.
CertificateFacts certificate_facts(const Options& o) {
  if (o.number.empty() == o.facts_file.empty())
    throw_bad_input("--number 或 --facts：请给出合格证编号（从账本打印）或合格证信息文件，二者选一 / give --number NUMBER "
                    "(print the certificate issued in the ledger) or --facts FILE, exactly one of them");
  if (o.facts_file.empty()) {
    if (o.ledger.empty())
      throw_bad_input("--number 需要账本：请加 --ledger FILE 或设置 AGTRACE_LEDGER / --number needs the ledger: pass "
                      "--ledger FILE or set AGTRACE_LEDGER");
    Ledger ledger(o.ledger, false);
    return certificate_facts_from_ledger(ledger, o.number, trusted_checkpoint(o));
  }
  return load_certificate_facts(o.facts_file);
}

// Renders one 承诺达标合格证 from its ledger entry or a facts file (docs/certificate.md).
// Everything is checked and drawn before the output is opened: a voided or invalidated
// certificate, bad facts or a bad template leave no file.
int cmd_certificate(const Options& o) {
  CertificateTemplate t = load_certificate_template(o.template_file);
  CertificateFacts f = certificate_facts(o);
  RenderedCertificate r = render_certificate(t, f, o.format, o.dpi);
  auto out = open_output({o.out, "", std::chrono::milliseconds(o.timeout_ms), 1}, r.extension, r.extension == "png",
                         1, "certificate-" + f.number);
  try {
    out->write_preamble("");
    out->write_label(0, f.number, r.bytes);
    out->write_trailer("");
    out->finish();
  } catch (...) {
    out->discard();
    throw;
  }
  if (o.out != "-")
    std::cerr << fmt::format("已输出承诺达标合格证 {}（{}，二维码：{}）/ rendered certificate {} ({}) to {}\n", f.number,
                             o.format, f.url, f.number, o.format, out->describe());
  // trust14h: who vouched for each test the certificate rests on — the key that recorded it and
  // the party it is held for — for whoever hands the certificate over.
  for (const auto& line : f.evidence) std::cerr << "  " << line << "\n";
  return 0;
}

void output_options(CLI::App* c, Options& o, agtrace::i18n::Lang lang) {
  using M = agtrace::i18n::Msg;
  auto help = [lang](M id) { return agtrace::i18n::text(lang, id); };
  c->add_option("--template", o.template_file, help(M::help_labeler_template))->required();
  c->add_option("--format", o.format, help(M::help_labeler_format))
      ->check(CLI::IsMember({"png", "svg", "pdf", "zpl", "tspl"}));
  c->add_option("--out", o.out, help(M::help_labeler_out));
  c->add_option("--printer", o.printer, help(M::help_labeler_printer));
  c->add_option("--timeout-ms", o.timeout_ms, help(M::help_labeler_timeout))->check(CLI::Range(100, 600000));
  c->add_option("--confirm-every", o.confirm_every, help(M::help_labeler_confirm_every))
      ->check(CLI::Range(std::size_t{1}, std::size_t{100000}));
  c->add_option("--dpi", o.dpi, help(M::help_labeler_dpi));
  c->add_option("--ec", o.ec, help(M::help_labeler_ec));
  c->add_flag("--quiet", o.quiet, help(M::help_labeler_quiet));
}

}  // namespace
}  // namespace agtrace::labeler::cli

int main(int argc, char** argv) {
  using namespace agtrace::labeler::cli;
  Options o;
  // --help in Chinese under a zh_* locale: the frame (用法、选项、子命令) and every description.
  const agtrace::i18n::Lang help_lang = agtrace::cli::help_language(argc, argv, false);
  using M = agtrace::i18n::Msg;
  auto help = [help_lang](M id) { return agtrace::i18n::text(help_lang, id); };
  CLI::App app{help(M::help_labeler_program)};
  // The frame before the subcommands.
  agtrace::cli::use_help_language(app, help_lang);
  app.require_subcommand(1);
  // `--ledger` may come before or after the subcommand (`verify --ledger FILE`).
  app.fallthrough();
  app.set_version_flag("--version", agtrace::cli::version_text("agtrace-labeler"),
                       help(M::help_version));
  app.add_option("--ledger", o.ledger, help(M::help_ledger))->envname("AGTRACE_LEDGER");

  auto* print = app.add_subcommand("print", help(M::help_labeler_print));
  print->add_option("--key", o.key_file, help(M::help_labeler_print_key));
  print->add_flag("--dry-run", o.dry_run, help(M::help_labeler_dry_run));
  print->add_option("--journal", o.journal, help(M::help_labeler_journal));
  print->add_option("--log-key", o.log_key_file, help(M::help_log_key_checkpoint));
  print->add_option("--lot", o.lot, help(M::help_labeler_lot))->required();
  print->add_option("--count", o.count, help(M::help_labeler_count))
      ->required()
      ->check(CLI::Range(std::size_t{1}, std::size_t{10000000}));
  print->add_option("--party", o.party, help(M::help_labeler_party_default));
  print->add_option("--location", o.location, help(M::help_labeler_location_default));
  output_options(print, o, help_lang);

  auto* reprint = app.add_subcommand("reprint", help(M::help_labeler_reprint));
  reprint->add_option("--key", o.key_file, help(M::help_labeler_station_key))->required();
  reprint->add_option("--log-key", o.log_key_file, help(M::help_log_key_checkpoint));
  reprint->add_option("SERIAL", o.serials, help(M::help_labeler_serials))->required();
  reprint->add_option("--party", o.party, help(M::help_labeler_party));
  reprint->add_option("--location", o.location, help(M::help_labeler_location));
  output_options(reprint, o, help_lang);

  auto* voidc = app.add_subcommand("void", help(M::help_labeler_void));
  voidc->add_option("--key", o.key_file, help(M::help_labeler_station_key))->required();
  voidc->add_option("--log-key", o.log_key_file, help(M::help_log_key_checkpoint));
  voidc->add_option("SERIAL", o.serials, help(M::help_labeler_serials))->required();
  voidc->add_option("--reason", o.reason, help(M::help_labeler_void_reason))->required();
  voidc->add_option("--party", o.party, help(M::help_labeler_void_party));
  voidc->add_option("--location", o.location, help(M::help_labeler_location_default));

  auto* jobs = app.add_subcommand("jobs", help(M::help_labeler_jobs));
  jobs->add_flag("--unfinished", o.unfinished, help(M::help_labeler_unfinished))->required();
  jobs->add_flag("--json", o.json, help(M::help_labeler_json));
  jobs->add_option("--journal", o.journal, help(M::help_labeler_journal));

  auto* preview = app.add_subcommand("preview", help(M::help_labeler_preview));
  preview->add_option("--facts", o.facts_file, help(M::help_labeler_facts))->required();
  preview->add_option("--count", o.count, help(M::help_labeler_sample_count))
      ->check(CLI::Range(std::size_t{1}, std::size_t{1000}));
  output_options(preview, o, help_lang);

  auto* certificate = app.add_subcommand("certificate", help(M::help_labeler_certificate));
  certificate->add_option("--number", o.number, help(M::help_labeler_cert_number));
  certificate->add_option("--facts", o.facts_file, help(M::help_labeler_cert_facts));
  certificate->add_option("--template", o.template_file, help(M::help_labeler_cert_template))->required();
  certificate->add_option("--format", o.format, help(M::help_labeler_cert_format))
      ->check(CLI::IsMember({"png", "pdf", "zpl", "tspl", "a5"}));
  certificate->add_option("--log-key", o.log_key_file,
                          "log key: with --number, refuse a ledger that does not extend the checkpoint this key signed "
                          "last (LOGKEY.last-checkpoint; a rolled-back or forked file); nothing is signed");
  certificate->add_option("--checkpoint", o.checkpoint_file,
                          "with --number, a saved checkpoint (signed note) the ledger must extend, instead of the log "
                          "key's memory");
  certificate->add_option("--dpi", o.dpi, help(M::help_labeler_dpi));
  certificate->add_option("--out", o.out, help(M::help_labeler_cert_out))->required();

  // A verb's --help lists only its own options; say where the ledger comes from (global, before or
  // after the verb), since every verb but preview reads it.
  for (auto* verb : app.get_subcommands([](CLI::App*) { return true; }))
    if (verb != preview)
      verb->footer(help(M::help_labeler_footer));
  return agtrace::cli::run_program(
      app, argc, argv,
      [&] {
        agtrace::cli::check_log_key_option(o.ledger, o.log_key_file);
        if (*print) return cmd_print(o);
        if (*reprint) return cmd_reprint(o);
        if (*voidc) return cmd_void(o);
        if (*jobs) return cmd_jobs(o);
        if (*preview) return cmd_preview(o);
        if (*certificate) return cmd_certificate(o);
        return 2;
      },
      // trust14h: under a Chinese locale the prefix is 错误： / 核验失败： and a refusal is said in Chinese
      // (it was "error: " or "FAILED: " before a Chinese message); otherwise as before, "中文 / English".
      [help_lang]() -> std::optional<agtrace::i18n::Lang> {
        if (help_lang == agtrace::i18n::Lang::zh) return help_lang;
        return std::nullopt;
      });
}
