// The regulator's verbs of agtrace-ledger (DESIGN §6, §8): trace, recall, export, audit
// verify-bundle and audit consistency. Each is a thin layer over the library: parse, call, render.
#include <fmt/format.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>

#include "ledger/certificates.h"
#include "ledger/checkpoint_guard.h"
#include "ledger/cli/audit_first.h"
#include "ledger/cli/command.h"
#include "ledger/ledger.h"
#include "ledger/signer_state.h"
#include "ledger/lot_queries.h"
#include "ledger/cli/input.h"
#include "ledger/cli/program.h"
#include "ledger/i18n/refusal.h"
#include "ledger/import/clerk_values.h"
#include "ledger/event/digital_link.h"
#include "ledger/event/rule_words.h"
#include "ledger/json/strict_parse.h"
#include "ledger/merkle/merkle.h"
#include "ledger/note/checkpoint.h"
#include "ledger/note/verifier_key.h"
#include "ledger/regulator/bundle.h"
#include "ledger/regulator/lineage.h"
#include "ledger/regulator/recall.h"
#include "ledger/time/timestamp.h"
#include "ledger/util/error.h"
#include "ledger/util/plural.h"
#include "ledger/util/printable.h"

namespace agtrace::cli {

namespace {

struct TraceOptions {
  std::string target;
  bool forward = false;
  bool backward = false;
  int depth = -1;
  bool json = false;
};

int run_trace(const TraceOptions& o) {
  if (o.forward == o.backward)
    i18n::refuse("", i18n::Msg::trace_direction_needed);
  Ledger ledger(ledger_path(), false);
  audit_first(ledger, "trace", reader_lang());
  // A partner's lot is kept under its URI (e.g. https://id.gs1.org/01/…/10/…): a recorded lot
  // of that name is the lot; any other URL is a scanned label, which names its serial.
  auto start = regulator::resolve_trace_start(
      ledger, ledger.store().lot(o.target) ? o.target : serial_from_scan(o.target, ledger.info().base_url, "LOT|SERIAL"));
  std::optional<int> depth;
  if (o.depth != -1) depth = o.depth;
  auto result = regulator::trace(ledger, start, o.forward ? regulator::Direction::forward
                                                          : regulator::Direction::backward, depth);
  if (o.json)
    std::cout << regulator::trace_json(result).dump(2) << "\n";
  else
    std::cout << escape_controls(regulator::trace_text(result, reader_lang()), true);  // stored text: no raw ESC
  return 0;
}

struct RecallOptions {
  std::string key_file, log_key_file, target, reason, party, out;
  bool descendants = false;
  bool json = false;
  bool csv = false;
};

// Writes `text` to `path` in full, replacing it. Throws Error(environment) on failure.
void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << text;
  f.close();
  if (!f) throw_environment(fmt::format("cannot write {}; check the directory and free space", path.string()));
}

// A file-name-safe form of an id.
std::string safe_name(const std::string& id) {
  std::string out;
  for (char c : id) out += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.') ? c : '_';
  return out;
}

int run_recall(const RecallOptions& o) {
  Ledger ledger(ledger_path(), true);
  auto key = note::SigningKey::load(o.key_file);
  std::optional<note::SigningKey> log_key;
  if (!o.log_key_file.empty()) {
    log_key = note::SigningKey::load(o.log_key_file);
    ledger.check_log_key(*log_key);  // before anything is written
  }
  audit_first(ledger, "recall", reader_lang());
  regulator::RecallRequest request;
  request.lot = regulator::resolve_trace_start(ledger, o.target).lot;
  request.reason = o.reason;
  request.descendants = o.descendants;
  request.party = o.party;
  if (request.party.empty()) request.party = regulator::key_holder(ledger, key).value_or("");
  // A recall in force that already covers all this one would: a second adds only a banner.
  for (const auto& r : recalls_covering(ledger, request.lot))
    if (!request.descendants || r.value("descendants", false)) {
      const std::string t = r.value("event_time", "");
      std::string zh_time = t, en_time = t;
      try {
        zh_time = time_words(t, i18n::Lang::zh), en_time = time_words(t, i18n::Lang::en);
      } catch (const Error&) {  // not RFC 3339 after all: as recorded
      }
      i18n::refuse("", i18n::Msg::recall_already, request.lot, r.value("event_id", ""), i18n::Words{zh_time, en_time},
                   r.value("reason", ""));
    }
  auto event = regulator::recall_event(ledger, request);
  // A rule's refusal (e.g. a key held by another party) once, in the reader's language, naming the option.
  event.lang = reader_lang();
  event.columns = {{"party", "--party"}, {"lots", event.lang == i18n::Lang::zh ? "批次号" : "LOT"}, {"reason", "--reason"}};
  auto outcome = ledger.append({event}, key, {});
  if (log_key) {
    sign_remembered(ledger, *log_key, o.log_key_file);
  } else {
    std::cerr << i18n::text(reader_lang(), i18n::Msg::recall_awaiting) << "\n";
  }
  auto report = regulator::recall_report(ledger, event.event, outcome.at(0).index);
  // The folder is named after the recall's event id, which a generated id already starts with
  // "recall-" (recall_event): not "recall-recall-…".
  const std::string id = safe_name(report.event_id);
  std::filesystem::path dir = !o.out.empty() ? o.out : id.starts_with("recall-") ? id : "recall-" + id;
  std::filesystem::create_directories(dir);
  std::string codes_file = (dir / "codes.txt").string();
  write_file(codes_file, regulator::recall_codes_list(report));
  const i18n::Lang lang = reader_lang();
  write_file(dir / "recall.txt", regulator::recall_report_text(report, codes_file, lang));
  write_file(dir / "recall.json", regulator::recall_report_json(report).dump(2) + "\n");
  write_file(dir / "recall.csv", regulator::recall_report_csv(report, lang));
  if (o.json)
    std::cout << regulator::recall_report_json(report).dump(2) << "\n";
  else if (o.csv)
    std::cout << regulator::recall_report_csv(report, lang);
  else
    std::cout << escape_controls(regulator::recall_report_text(report, codes_file, lang), true)
              << i18n::text(lang, i18n::Msg::recall_report_files, dir.string()) << "\n";
  return 0;
}

struct ExportOptions {
  std::string format, lot, product, party, from, to, entries, out, tz, checkpoint_file;
  bool json = false;
  bool certificates = false;
};

// The full audit an export runs first (audit_first). With --checkpoint (a checkpoint saved earlier,
// a C2SP signed note of a few hundred bytes) the file must extend it: a file rolled back to an
// older copy is refused first by the rollback guard (checkpoint_guard.h), naming 回滚, in the
// reader's language; nothing is exported.
void audit_export(Ledger& ledger, std::string_view command, const ExportOptions& o) {
  std::optional<std::string> saved;
  if (!o.checkpoint_file.empty()) {
    const TrustedCheckpoint trusted{read_input(o.checkpoint_file, 1 << 20), o.checkpoint_file, false};
    try {
      check_extends(ledger, trusted, GuardedAction::export_files);
    } catch (const i18n::Refusal& r) {
      throw i18n::Refusal(r.text(i18n::Lang::zh), r.text(i18n::Lang::en), r.text(reader_lang()), r.kind());
    }
    saved = trusted.note;
  }
  audit_first(ledger, command, reader_lang(), saved);
}

}  // namespace

// An export's --from / --to as RFC 3339 with an offset: as given when it has one; a date alone
// (YYYY-MM-DD) is that day's start (--from) or the next day's start (--to: the day is included)
// at --tz; a date and time without offset ("2026-12-06 08:00") is read at --tz as import reads
// it. Throws Error(bad_input) naming `flag` and the forms it takes, Chinese first.
std::string export_bound(const std::string& given, const std::string& tz, const char* flag, bool to) {
  // A date as Chinese sheets write it (2026年9月26日, 2026/9/26), with or without a time (2026年9月26日 8时30分).
  std::string text = given;
  if (auto date_time = clerk_date_time(given, flag, reader_lang()))
    text = *date_time;
  else if (auto date = clerk_date(given, flag, reader_lang()))
    text = *date;
  const bool date_only = text.size() == 10 && text[4] == '-' && text[7] == '-';
  if (!date_only && !time::is_local_date_time(text)) {
    try {
      return time::parse_rfc3339(text, flag).text;
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::bad_input) throw;
      i18n::refuse("", i18n::Msg::export_bound_unreadable, std::string(flag), text, std::string(e.what()));
    }
  }
  if (tz.empty())
    i18n::refuse("", i18n::Msg::export_bound_no_tz, std::string(flag), text,
                 !date_only ? i18n::Words{}
                 : to       ? i18n::Words{"（含当天）", " (the whole day included)"}
                            : i18n::Words{"（当天 0 点起）", " (from that day's 00:00)"},
                 text.substr(0, 10));
  time::check_tz(tz);
  if (!date_only) return time::apply_default_offset(text, tz, flag);
  time::parse_date(text, flag);  // names the flag when the date does not exist
  const std::string day = to ? time::add_days(text, 1) : text;
  return time::parse_rfc3339(day + "T00:00:00" + tz, flag).text;
}

namespace {

// A count for a message: the number alone in Chinese (the text says 个/条), counted in English ("14 events").
std::string how_many(std::size_t n, const char* one, const char* many, i18n::Lang lang) {
  return lang == i18n::Lang::zh ? std::to_string(n) : counted(n, one, many);
}

// `export --certificates`: the certificate register (开具记录) as certificates.csv in --out.
int run_certificate_register(const ExportOptions& o) {
  if (!o.format.empty() || !o.lot.empty() || !o.product.empty() || !o.entries.empty())
    throw_bad_input(i18n::text(reader_lang(), i18n::Msg::export_certificates_only));
  std::optional<std::int64_t> from, to;
  if (!o.from.empty()) from = time::parse_rfc3339(export_bound(o.from, o.tz, "--from", false), "--from").unix_ms;
  if (!o.to.empty()) to = time::parse_rfc3339(export_bound(o.to, o.tz, "--to", true), "--to").unix_ms;
  Ledger ledger(ledger_path(), false);
  // The register is what an inspector holds the co-op to: from an edited or rolled-back file it
  // would list voided certificates as 有效, so it is written only from a ledger that verifies.
  audit_export(ledger, "export --certificates", o);
  std::string text;
  {
    auto tx = sql::Transaction::read(ledger.database());
    text = certificate_register_csv(ledger.store(), from, to, o.party);
  }
  std::filesystem::create_directories(o.out);
  write_file(std::filesystem::path(o.out) / "certificates.csv", text);
  std::cout << i18n::text(reader_lang(), i18n::Msg::export_certificates_written,
                          (std::filesystem::path(o.out) / "certificates.csv").string())
            << "\n";
  return 0;
}

int run_export(const ExportOptions& o) {
  if (o.certificates) return run_certificate_register(o);
  const i18n::Lang lang = reader_lang();
  if (o.format.empty()) throw_bad_input(i18n::text(lang, i18n::Msg::export_no_format));
  regulator::Selection sel;
  if (!o.lot.empty()) sel.lot = o.lot;
  if (!o.product.empty()) sel.product = o.product;
  if (!o.party.empty()) sel.party = o.party;
  if (!o.from.empty()) sel.from = export_bound(o.from, o.tz, "--from", false);
  if (!o.to.empty()) sel.to = export_bound(o.to, o.tz, "--to", true);
  if (!o.entries.empty()) regulator::parse_entry_range(o.entries, sel);
  if (std::error_code ec; std::filesystem::exists(o.out, ec) &&
                          !(std::filesystem::is_directory(o.out, ec) && std::filesystem::is_empty(o.out, ec)))
    i18n::refuse("", i18n::Msg::export_out_not_empty, o.out);
  Ledger ledger(ledger_path(), false);
  audit_export(ledger, "export", o);
  auto r = regulator::export_bundle(ledger, sel, regulator::parse_format(o.format), o.out);
  if (o.json) {
    std::cout << nlohmann::json{{"out", o.out}, {"checkpoint_size", r.checkpoint_size}, {"selected", r.selected},
                                {"entries", r.entries}, {"awaiting_checkpoint", r.awaiting_checkpoint},
                                {"late", r.late}}.dump(2)
              << "\n";
  } else {
    std::cout << i18n::text(lang, i18n::Msg::export_written, how_many(r.selected, "event", "events", lang),
                            how_many(r.entries, "entry", "entries", lang), o.out, r.checkpoint_size)
              << "\n";
  }
  if (r.awaiting_checkpoint)
    std::cerr << i18n::text(lang, i18n::Msg::export_awaiting, r.awaiting_checkpoint) << "\n";
  if (!r.late.empty())
    std::cerr << i18n::text(lang, i18n::Msg::export_late, how_many(r.late.size(), "event", "events", lang), r.late.front()) << "\n";
  return 0;
}

struct VerifyBundleOptions {
  std::string dir, pubkey;
  bool json = false;
};

int run_verify_bundle(const VerifyBundleOptions& o) {
  if (o.pubkey.empty()) i18n::refuse("", i18n::Msg::bundle_needs_pubkey);
  std::string line = read_input(o.pubkey, 4096);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  auto key = note::parse_verifier_key(line);
  try {
    auto c = regulator::verify_bundle(o.dir, key);
    if (o.json)
      std::cout << nlohmann::json{{"ok", true}, {"origin", c.origin}, {"checkpoint_size", c.checkpoint_size},
                                  {"entries", c.entries}, {"selected", c.selected}, {"files", c.files},
                                  {"bundle_format", c.bundle_format}}.dump(2)
                << "\n";
    else
      std::cout << i18n::text(reader_lang(), i18n::Msg::bundle_ok, how_many(c.files, "file", "files", reader_lang()),
                              how_many(c.entries, "entry", "entries", reader_lang()),
                              how_many(c.selected, "event", "events", reader_lang()), c.checkpoint_size, c.origin,
                              c.bundle_format)
                << "\n";
    return 0;
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::verification) throw;
    // JSON keeps the English (a stable machine-readable text); the person reads their language.
    if (o.json) std::cout << nlohmann::json{{"ok", false}, {"error", e.what()}}.dump(2) << "\n";
    std::cerr << i18n::text(reader_lang(), i18n::Msg::bundle_failed, i18n::message_in(e, reader_lang())) << "\n";
    return 1;
  }
}

struct ConsistencyOptions {
  std::string old_checkpoint, new_checkpoint, proof;
  std::vector<std::string> pubkeys;
  bool json = false;
};

// A signed checkpoint from `path`, opened with the first of `keys` that signed it.
std::pair<note::Checkpoint, std::string> open_saved_checkpoint(const std::string& path, const char* option,
                                                                const std::vector<note::VerifierKey>& keys) {
  std::string text = read_input(path, 64 * 1024);
  std::string why;
  for (const auto& key : keys) {
    try {
      return {note::open_checkpoint(text, key), key.key_id()};
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::verification) throw;
      why = e.what();
    }
  }
  i18n::fail_check(i18n::Msg::consistency_unsigned, std::string(option), path, why);
}

// audit consistency: two saved checkpoints, a consistency proof fetched from anywhere (the
// verifier's /api/v1/proof/consistency?old=A&new=B, or `agtrace-ledger proof consistency A B`),
// and the log's public key(s) — no database. RFC 9162 §2.1.4.2 decides. Every verdict and
// refusal is in the reader's language (--lang, a zh_* locale; English otherwise); roots are
// shown in base64, as the checkpoints write them.
int run_audit_consistency(const ConsistencyOptions& o) {
  using i18n::Msg;
  const i18n::Lang lang = reader_lang();
  std::vector<note::VerifierKey> keys;
  for (const auto& file : o.pubkeys) {
    std::string line = read_input(file, 4096);
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
    keys.push_back(note::parse_verifier_key(line));
  }
  try {
    auto [old_cp, old_key] = open_saved_checkpoint(o.old_checkpoint, "--old", keys);
    auto [new_cp, new_key] = open_saved_checkpoint(o.new_checkpoint, "--new", keys);
    if (old_cp.origin != new_cp.origin) i18n::fail_check(Msg::consistency_other_log, old_cp.origin, new_cp.origin);
    if (old_cp.size > new_cp.size) i18n::refuse("", Msg::consistency_swapped, old_cp.size, new_cp.size);
    auto proof = json::parse_strict(read_input(o.proof, 1 << 20), {}, "--proof " + o.proof);
    auto size_of = [&](const char* key) -> std::uint64_t {
      if (!proof.is_object() || !proof.contains(key) || !proof[key].is_number_unsigned())
        i18n::refuse("", Msg::consistency_proof_field, o.proof, std::string(key));
      return proof[key].get<std::uint64_t>();
    };
    if (size_of("old_size") != old_cp.size || size_of("new_size") != new_cp.size)
      i18n::refuse("", Msg::consistency_proof_sizes, o.proof, size_of("old_size"), size_of("new_size"), old_cp.size,
                   new_cp.size);
    if (!proof.contains("hashes") || !proof["hashes"].is_array())
      i18n::refuse("", Msg::consistency_proof_no_hashes, o.proof);
    std::vector<Hash> hashes;
    for (const auto& h : proof["hashes"]) {
      Bytes bytes;
      try {
        if (!h.is_string()) throw_bad_input("not a string");
        bytes = base64_decode(h.get<std::string>(), "--proof hash");
      } catch (const Error& e) {
        if (e.kind() != ErrorKind::bad_input) throw;
        i18n::refuse("", Msg::consistency_proof_hash_text, o.proof);
      }
      if (bytes.size() != 32) i18n::refuse("", Msg::consistency_proof_hash_size, o.proof, bytes.size());
      Hash x{};
      std::copy(bytes.begin(), bytes.end(), x.begin());
      hashes.push_back(x);
    }
    // DESIGN §3: an old size-0 checkpoint is trivially consistent (RFC 9162 has no proof from 0).
    if (old_cp.size > 0) {
      try {
        merkle::verify_consistency(old_cp.size, new_cp.size, hashes, old_cp.root, new_cp.root);
      } catch (const Error& e) {
        if (e.kind() != ErrorKind::verification) throw;
        // The library's finding names hex roots; the reader compares the checkpoints' base64.
        i18n::fail_check(Msg::consistency_roots, hashes.size(), old_cp.size, base64_encode(old_cp.root),
                         new_cp.size, base64_encode(new_cp.root));
      }
    }
    if (o.json)
      std::cout << nlohmann::json{{"ok", true}, {"origin", old_cp.origin}, {"old_size", old_cp.size},
                                  {"new_size", new_cp.size}, {"old_key", old_key}, {"new_key", new_key}}.dump(2)
                << "\n";
    else
      std::cout << i18n::text(lang, Msg::consistency_ok, new_cp.size, new_cp.origin, old_cp.size,
                              how_many(hashes.size(), "hash", "hashes", lang),
                              new_key == old_key ? old_key
                                                 : old_key + (lang == i18n::Lang::zh ? "、" : " and ") + new_key)
                << "\n";
    return 0;
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::verification) throw;
    // JSON keeps the English (a stable machine-readable text); the person reads their language.
    if (o.json) std::cout << nlohmann::json{{"ok", false}, {"error", e.what()}}.dump(2) << "\n";
    std::cerr << i18n::text(lang, Msg::consistency_failed, i18n::message_in(e, lang)) << "\n";
    return 1;
  }
}

}  // namespace

std::vector<Command> add_regulator_commands(CLI::App& app, i18n::Lang help_lang) {
  std::vector<Command> commands;
  auto help = [help_lang](i18n::Msg id) { return i18n::text(help_lang, id); };
  using M = i18n::Msg;

  auto t = std::make_shared<TraceOptions>();
  auto* trace = app.add_subcommand("trace", help(M::help_trace));
  trace->add_option("LOT|SERIAL", t->target, help(M::help_trace_target))->required();
  trace->add_flag("--forward", t->forward, help(M::help_trace_forward));
  trace->add_flag("--backward", t->backward, help(M::help_trace_backward));
  trace->add_option("--depth", t->depth, help(M::help_trace_depth));
  trace->add_flag("--json", t->json, help(M::help_json));
  commands.push_back({trace, [t] { return run_trace(*t); }});

  auto r = std::make_shared<RecallOptions>();
  auto* recall = app.add_subcommand("recall", help(M::help_recall));
  recall->add_option("--key", r->key_file, help(M::help_key_file))->required();
  recall->add_option("--log-key", r->log_key_file, help(M::help_log_key_checkpoint));
  // The positional's name is what usage lines and "missing" errors show: the clerk's word in Chinese.
  recall->add_option(help_lang == i18n::Lang::zh ? "批次号" : "LOT", r->target, help(M::help_recall_lot))->required();
  recall->add_option("--reason", r->reason, help(M::help_recall_reason))->required();
  recall->add_flag("--descendants", r->descendants, help(M::help_recall_descendants));
  recall->add_option("--party", r->party, help(M::help_recall_party));
  recall->add_option("--out", r->out, help(M::help_recall_out));
  recall->add_flag("--json", r->json, help(M::help_recall_json));
  recall->add_flag("--csv", r->csv, help(M::help_recall_csv));
  commands.push_back({recall, [r] { return run_recall(*r); }});

  auto x = std::make_shared<ExportOptions>();
  auto* exp = app.add_subcommand("export", help(M::help_export));
  exp->add_option("--format", x->format, help(M::help_export_format))->transform(format_option(help_lang));
  exp->add_flag("--certificates", x->certificates, help(M::help_export_certificates));
  exp->add_option("--lot", x->lot, help(M::help_export_lot));
  exp->add_option("--product", x->product, help(M::help_export_product));
  exp->add_option("--party", x->party, help(M::help_export_party));
  exp->add_option("--from", x->from, help(M::help_export_from));
  exp->add_option("--to", x->to, help(M::help_export_to));
  exp->add_option("--tz", x->tz, help(M::help_export_tz))->transform(tz_option(help_lang));
  exp->add_option("--entries", x->entries, help(M::help_export_entries));
  exp->add_option("--out", x->out, help(M::help_export_out))->required();
  exp->add_option("--checkpoint", x->checkpoint_file, help(M::help_export_checkpoint));
  exp->add_flag("--json", x->json, help(M::help_export_json));
  commands.push_back({exp, [x] { return run_export(*x); }});

  auto v = std::make_shared<VerifyBundleOptions>();
  auto* audit = app.add_subcommand("audit", help(M::help_audit));
  audit->require_subcommand(1);
  auto* verify_bundle = audit->add_subcommand("verify-bundle", help(M::help_audit_verify_bundle));
  verify_bundle->add_option("DIR", v->dir, help(M::help_bundle_dir))->required();
  // Checked by run_verify_bundle, whose refusal says what the key is and where it comes from.
  verify_bundle->add_option("--pubkey", v->pubkey, help(M::help_bundle_pubkey));
  verify_bundle->add_flag("--json", v->json, help(M::help_json));
  commands.push_back({verify_bundle, [v] { return run_verify_bundle(*v); }});

  auto c = std::make_shared<ConsistencyOptions>();
  auto* consistency = audit->add_subcommand("consistency", help(M::help_audit_consistency));
  consistency->add_option("--old", c->old_checkpoint, help(M::help_consistency_old))->required();
  consistency->add_option("--new", c->new_checkpoint, help(M::help_consistency_new))->required();
  consistency->add_option("--proof", c->proof, help(M::help_consistency_proof))->required();
  consistency->add_option("--pubkey", c->pubkeys,
                          help(M::help_consistency_pubkey))
      ->required();
  consistency->add_flag("--json", c->json, help(M::help_json));
  commands.push_back({consistency, [c] { return run_audit_consistency(*c); }});

  return commands;
}

}  // namespace agtrace::cli
