// agtrace-ledger: the command line of the ledger (DESIGN §8). A thin dispatcher:
// argv → library call → output → exit status (0 ok, 1 verification failed, 2 bad
// usage or input, 3 environment; 70 an internal bug).
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <map>
#include <filesystem>
#include <functional>
#include <iostream>
#include <optional>
#include <utility>

#include "ledger/cli/audit_first.h"
#include "ledger/cli/command.h"
#include "ledger/cli/help_format.h"
#include "ledger/cli/input.h"
#include "ledger/cli/program.h"
#include "ledger/cli/version.h"
#include "ledger/csv/text_decoding.h"
#include "ledger/epcis/epcis_import.h"
#include "ledger/event/certificate_rules.h"
#include "ledger/event/correction.h"
#include "ledger/event/interval_breach.h"
#include "ledger/event/digital_link.h"
#include "ledger/event/quantity.h"
#include "ledger/json/strict_parse.h"
#include "ledger/event/gtin.h"
#include "ledger/event/rule_words.h"
#include "ledger/event/rules_version.h"
#include "ledger/event/shipping_rules.h"
#include "ledger/i18n/messages.h"
#include "ledger/i18n/refusal.h"
#include "ledger/import/clerk_values.h"
#include "ledger/import/csv_import.h"
#include "ledger/import/yield_check.h"
#include "ledger/event/column_names.h"
#include "ledger/ledger.h"
#include "ledger/certificates.h"
#include "ledger/checkpoint_guard.h"
#include "ledger/signer_state.h"
#include "ledger/lot_queries.h"
#include "ledger/scanned_label.h"
#include "ledger/merkle/merkle.h"
#include "ledger/note/tlog_proof.h"
#include "ledger/time/timestamp.h"
#include "ledger/util/error.h"
#include "ledger/util/printable.h"
#include "ledger/util/plural.h"
#include "ledger/util/similar.h"

namespace agtrace::cli {
namespace {

constexpr std::size_t kMaxInputBytes = 512u << 20;

struct Options {
  std::string ledger;
  bool json = false;
  // init
  std::string origin, base_url, log_key_out;
  // keys
  std::string name, out, key_file, log_key_file, pub_file, role = "clerk", holder, key_id, reason;
  std::string new_log_key_file;
  // record / import
  std::string input = "-", format, encoding = "utf-8", tz, type;
  std::string lang;  // --lang zh|en; empty: i18n::choose_lang decides
  std::string party, event_id;  // correct
  bool continue_on_error = false;
  bool allow_high_yield = false;  // import: record harvests beyond kMaxHarvestKgPerMu
  // queries
  std::string target, from, to, lot, checkpoint_file;
  std::uint64_t index = 0, size = 0, old_size = 0, new_size = 0;
};

// The ledger file named by --ledger or AGTRACE_LEDGER, which must exist unless `to_create` (init);
// refused in the reader's language otherwise.
void need_ledger(const Options& o, bool to_create = false) {
  if (o.ledger.empty()) i18n::refuse("", i18n::Msg::ledger_not_given);
  if (!to_create && o.ledger != ":memory:" && !std::filesystem::exists(o.ledger))
    i18n::refuse("", i18n::Msg::ledger_missing, o.ledger);
}

// Signs a checkpoint after an append when the log key was given; says so, or that the new
// entries await the checkpoint service, in `lang`.
void maybe_checkpoint(Ledger& ledger, const Options& o, i18n::Lang lang) {
  if (o.log_key_file.empty()) {
    std::cerr << i18n::text(lang, i18n::Msg::checkpoint_awaiting_after) << "\n";
    return;
  }
  auto log_key = note::SigningKey::load(o.log_key_file);
  sign_remembered(ledger, log_key, o.log_key_file);
  auto cp = ledger.latest_checkpoint_parsed();
  std::cerr << i18n::text(lang, i18n::Msg::checkpoint_signed_after, cp->size) << "\n";
}

// One submitted event as JSON: where it came from, its event_id and its outcome —
// "recorded" or "already recorded" (with its entry index), "refused" (with the error),
// or "not recorded" (a good event of an all-or-nothing batch that was refused).
nlohmann::json outcome_json(const AppendOutcome& r) {
  nlohmann::json j = {{"where", r.where}, {"event_id", r.event_id}};
  if (!r.error.empty()) {
    j["outcome"] = "refused";
    j["error"] = r.error;
  } else if (r.index) {
    j["outcome"] = r.duplicate ? "already recorded" : "recorded";
    j["index"] = *r.index;
    j["duplicate"] = r.duplicate;
    if (!r.note.empty()) j["note"] = r.note;
  } else {
    j["outcome"] = "not recorded";
  }
  return j;
}

void print_json(const std::vector<AppendOutcome>& outcomes) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& r : outcomes) out.push_back(outcome_json(r));
  std::cout << out.dump(2) << "\n";
}

// --lang, when given.
std::optional<i18n::Lang> lang_option(const Options& o) { return i18n::parse_lang(o.lang); }

// The line that reports an event already recorded, when a verb says it its own way.
using DuplicateLine = std::function<std::string(const AppendOutcome&)>;

// For an event already recorded at entry `index` that was corrected since (rules version 5): which
// correction is in force, with its quantity when it has one ("；现行以第 21 条更正为准：4200 公斤"), so
// that a clerk re-importing the old sheet is not left believing the old value counts. Empty when
// the entry was never corrected.
std::string in_force_note(Ledger& ledger, std::uint64_t index, i18n::Lang lang) {
  const auto corrections = ledger.store().corrections_of(index);
  if (corrections.empty()) return {};
  const nlohmann::json now = ledger.store().event_at(index);
  i18n::Words quantity;
  if (const auto q = now.find("quantity");
      q != now.end() && q->is_object() && q->contains("value") && q->contains("unit"))
    quantity = {fmt::format("：{} {}", (*q)["value"].get<std::string>(),
                            i18n::pick(i18n::Lang::zh, unit_code_words((*q)["unit"].get<std::string>()))),
                fmt::format(": {} {}", (*q)["value"].get<std::string>(),
                            i18n::pick(i18n::Lang::en, unit_code_words((*q)["unit"].get<std::string>())))};
  return i18n::text(lang, i18n::Msg::already_recorded_in_force, corrections.back(), i18n::pick(lang, quantity));
}

// Reports an append with --continue-on-error or without refusals: each event on stdout
// (or all as JSON), each refusal on stderr with its place, then a summary, in `lang`. An event
// already recorded and corrected since says which correction is in force (in_force_note).
int report_outcomes(Ledger& ledger, const std::vector<AppendOutcome>& outcomes, const Options& o, i18n::Lang lang,
                    const DuplicateLine& duplicate_line = {}) {
  using i18n::Msg;
  std::size_t refused = 0;
  for (const auto& r : outcomes) {
    if (!r.error.empty()) {
      ++refused;
      std::cerr << i18n::text(lang, Msg::refused_row, r.where, r.error) << "\n";
    } else if (o.json) {
      continue;
    } else if (r.duplicate && !r.note.empty()) {
      std::cout << r.where << (lang == i18n::Lang::zh ? " " : ": ") << r.note << "\n";
    } else if (r.duplicate) {
      std::cout << (duplicate_line ? duplicate_line(r)
                                   : i18n::text(lang, Msg::already_recorded_row, r.where, r.event_id, *r.index) +
                                         in_force_note(ledger, *r.index, lang))
                << "\n";
    } else {
      std::cout << i18n::text(lang, Msg::recorded_row, r.where, r.event_id, *r.index) << "\n";
    }
  }
  if (o.json) print_json(outcomes);
  const std::size_t total = outcomes.size();
  const char* events = total == 1 ? "event" : "events";
  if (refused == total && refused)
    std::cerr << i18n::text(lang, Msg::refused_all, refused, total, events) << "\n";
  else if (refused)
    std::cerr << i18n::text(lang, Msg::refused_some_recorded, refused, total, events, total - refused) << "\n";
  return refused ? 2 : 0;
}

// record and import: append all or nothing (or, with --continue-on-error, the good
// events), report every event, and sign a checkpoint when entries were added. Messages
// are in `lang`; an all-or-nothing refusal of more than one event lists every refused one.
int append_and_report(const EventSource& events, const Options& o, i18n::Lang lang,
                      const DuplicateLine& duplicate_line = {}) {
  need_ledger(o);
  Ledger ledger(o.ledger, true);
  auto key = note::SigningKey::load(o.key_file);
  // With --log-key the entries are signed into a checkpoint afterwards, and the log key signs
  // only a file that extends what it signed last: a rolled-back file is refused now, before
  // anything is written, not after (issue 14's last trial).
  if (!o.log_key_file.empty())
    if (auto remembered = remembered_checkpoint(o.log_key_file)) {
      try {
        check_extends(ledger, *remembered, GuardedAction::append);
      } catch (const i18n::Refusal& r) {
        throw i18n::Refusal(r.text(i18n::Lang::zh), r.text(i18n::Lang::en), r.text(lang), r.kind());
      }
    }
  AppendOptions options;
  options.continue_on_error = o.continue_on_error;
  auto size_before = ledger.size();
  std::vector<AppendOutcome> outcomes;
  try {
    outcomes = ledger.append(events, key, options);
  } catch (const AppendRefused& e) {
    if (o.json) print_json(e.outcomes());
    std::vector<std::string> lines;
    for (const auto& r : e.outcomes())
      if (!r.error.empty()) lines.push_back(fmt::format("{}{}{}", r.where, lang == i18n::Lang::zh ? " " : ": ", r.error));
    const std::size_t total = e.outcomes().size();
    if (total == 1) throw Error(ErrorKind::bad_input, lines.front());
    throw Error(ErrorKind::bad_input,
                fmt::format("{}\n  {}\n{}",
                            i18n::text(lang, i18n::Msg::refused_nothing_recorded, lines.size(), total, "events"),
                            fmt::join(lines, "\n  "), i18n::text(lang, i18n::Msg::fix_and_retry)));
  }
  int status = report_outcomes(ledger, outcomes, o, lang, duplicate_line);
  if (ledger.size() != size_before) maybe_checkpoint(ledger, o, lang);
  return status;
}

int cmd_init(const Options& o) {
  need_ledger(o, true);
  const i18n::Lang lang = i18n::choose_lang(lang_option(o), false);
  if (std::filesystem::exists(o.ledger)) throw_bad_input(i18n::text(lang, i18n::Msg::init_exists, o.ledger));
  auto key = note::SigningKey::generate(o.origin);
  key.save(o.log_key_out);
  try {
    Ledger::create(o.ledger, o.base_url, key);
  } catch (...) {
    std::filesystem::remove(o.log_key_out);
    std::filesystem::remove(o.log_key_out + ".pub");
    throw;
  }
  std::cout << i18n::text(lang, i18n::Msg::init_created, o.ledger, o.origin, o.log_key_out) << "\n";
  return 0;
}

// A key name the clerk can use in place of `name`: spaces and '+' as '-' ("clerk wang" → clerk-wang).
std::string key_name_like(const std::string& name) {
  std::string out;
  for (const char c : name) {
    const bool gap = c == ' ' || c == '+' || c == '\t';
    if (!gap) out += c;
    else if (!out.empty() && out.back() != '-') out += '-';
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() ? "clerk-wang" : out;
}

int cmd_key_gen(const Options& o) {
  csv::check_utf8_text(o.name, "--name");
  if (o.name.empty() || o.name.find_first_of(" \t+") != std::string::npos) {
    const i18n::Msg why = o.name.empty()                              ? i18n::Msg::key_name_empty
                          : o.name.find_first_of(" \t") != std::string::npos ? i18n::Msg::key_name_space
                                                                      : i18n::Msg::key_name_plus;
    i18n::refuse("", i18n::Msg::key_gen_bad_name, o.name,
                 i18n::Words{i18n::text(i18n::Lang::zh, why), i18n::text(i18n::Lang::en, why)}, key_name_like(o.name));
  }
  for (const auto& file : {o.out, o.out + ".pub"})
    if (std::filesystem::exists(file)) i18n::refuse("", i18n::Msg::key_gen_exists, file);
  auto key = note::SigningKey::generate(o.name);
  key.save(o.out);
  const auto vkey = note::verifier_key_of(key);
  // Standard output is the .pub line, as scripts read it; what was done goes to standard error.
  std::cout << vkey.to_string() << "\n";
  std::cerr << i18n::text(i18n::choose_lang(lang_option(o), false), i18n::Msg::key_gen_written, o.out, vkey.key_id())
            << "\n";
  return 0;
}

nlohmann::json key_event(const std::string& type, const std::string& id) {
  return {{"type", type}, {"event_id", id}, {"event_time", time::format_utc(time::now_unix_ms())}};
}

// The ids of the parties whose name or contact person is `name` (a clerk types 王芳 for WANGF).
std::vector<std::string> parties_named(Ledger& ledger, const std::string& name) {
  std::vector<std::string> ids;
  for (auto s = ledger.database().prepare("SELECT id FROM master WHERE kind = 'party' ORDER BY id"); s.step();) {
    const auto party = ledger.store().master("party", s.column_text(0));
    if (party && (party->value("name", "") == name || party->value("contact", "") == name))
      ids.push_back(s.column_text(0));
  }
  return ids;
}

int key_add_in(const Options& o, i18n::Lang lang) {
  need_ledger(o);
  std::string line = read_input(o.pub_file, 4096);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  csv::check_utf8_text(line, o.pub_file);
  auto vkey = note::parse_verifier_key(line);
  auto e = key_event("key_added", "key-added-" + vkey.key_id());
  e["name"] = vkey.name;
  e["vkey"] = vkey.to_string();
  e["role"] = o.role;
  if (!o.holder.empty()) e["holder"] = o.holder;
  Ledger ledger(o.ledger, true);
  // From rules version 3 a station key acts only for its holder; one without is of no use.
  if (o.role == "station" && o.holder.empty() && ledger.rules_version() >= kRulesV3)
    i18n::refuse_zh_en("", i18n::Msg::key_add_needs_holder);
  if (auto existing = ledger.store().key(vkey.key_id())) {
    // trust14g: a holder is set when the key is registered and never changes (docs/security.md
    // "Keys with a holder"); a --holder that differs is refused rather than dropped.
    const auto recorded = ledger.store().key_holder(*existing);
    if (!o.holder.empty() && recorded != o.holder)
      i18n::refuse_zh_en("", i18n::Msg::key_add_holder_differs, o.pub_file, vkey.key_id(), existing->added_entry,
                         recorded ? i18n::Words{fmt::format("是「{}」", *recorded), fmt::format("holder \"{}\"", *recorded)}
                                  : i18n::Words{"未登记", "no holder"},
                         o.holder);
    if (existing->revoked_entry)
      i18n::refuse("", i18n::Msg::key_add_revoked, o.pub_file, vkey.key_id(), *existing->revoked_entry);
    if (existing->role != o.role)
      i18n::refuse("", i18n::Msg::key_add_role_kept, o.pub_file, vkey.key_id(), role_words(existing->role),
                   existing->added_entry, role_words(o.role));
    std::cout << i18n::text(lang, i18n::Msg::key_add_unchanged, vkey.key_id(), i18n::pick(lang, role_words(o.role)),
                            existing->added_entry)
              << "\n";
    return 0;
  }
  if (!o.holder.empty() && !ledger.store().has_master("party", o.holder)) {
    // A name where the id belongs (--holder 王芳): the party id of that name or contact person.
    if (const auto ids = parties_named(ledger, o.holder); !ids.empty())
      i18n::refuse_zh_en("", i18n::Msg::key_add_holder_is_name, o.holder, fmt::format("{}", fmt::join(ids, " / ")));
    i18n::refuse_zh_en("", i18n::Msg::key_add_holder_unknown, o.holder);
  }
  auto log_key = note::SigningKey::load(o.log_key_file);
  PreparedEvent p = prepare_event(e, "key add");
  p.lang = lang;
  p.columns = {{"vkey", "--pub " + o.pub_file}, {"name", "--pub " + o.pub_file}, {"holder", "--holder"}};
  auto out = ledger.append({std::move(p)}, log_key, {});
  std::cout << i18n::text(lang, i18n::Msg::key_added, vkey.key_id(), i18n::pick(lang, role_words(o.role)), *out[0].index)
            << "\n";
  if (o.role == "clerk" && o.holder.empty()) std::cerr << i18n::text(lang, i18n::Msg::key_add_no_holder_note) << "\n";
  sign_remembered(ledger, log_key, o.log_key_file);
  return 0;
}

// A holder typed in Chinese (--holder 王芳) is answered in Chinese, as a Chinese sheet is; --lang decides first.
int cmd_key_add(const Options& o) {
  const i18n::Lang lang = i18n::choose_lang(lang_option(o), i18n::has_chinese(o.holder));
  try {
    return key_add_in(o, lang);
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::bad_input || lang != i18n::Lang::zh) throw;
    std::cerr << i18n::text(lang, i18n::Msg::error_prefix) << i18n::message_in(e, lang) << "\n";
    return 2;
  }
}

int cmd_key_revoke(const Options& o) {
  need_ledger(o);
  auto e = key_event("key_revoked", fmt::format("key-revoked-{}-{}", o.key_id, time::now_unix_ms()));
  e["key_id"] = o.key_id;
  e["reason"] = o.reason;
  Ledger ledger(o.ledger, true);
  auto log_key = note::SigningKey::load(o.log_key_file);
  const i18n::Lang lang = i18n::choose_lang(lang_option(o), false);
  PreparedEvent p = prepare_event(e, "key revoke");
  p.lang = lang;
  p.columns = {{"key_id", "--key-id"}, {"reason", "--reason"}};
  auto out = ledger.append({std::move(p)}, log_key, {});
  std::cout << i18n::text(lang, i18n::Msg::key_revoked_done, o.key_id, *out[0].index) << "\n";
  sign_remembered(ledger, log_key, o.log_key_file);
  return 0;
}

// key list: every key the ledger registered, in order, with its role, holder and whether it was
// revoked, in the reader's language (--json: English keys).
int cmd_key_list(const Options& o) {
  need_ledger(o);
  const i18n::Lang lang = i18n::choose_lang(lang_option(o), false);
  Ledger ledger(o.ledger, false);
  nlohmann::json rows = nlohmann::json::array();
  for (auto s = ledger.database().prepare("SELECT key_id FROM keys ORDER BY added_entry, key_id"); s.step();) {
    const auto k = ledger.store().key(s.column_text(0));
    if (!k) continue;
    const auto holder = ledger.store().key_holder(*k);
    if (o.json) {
      rows.push_back({{"key_id", k->key_id}, {"role", k->role}, {"added_entry", k->added_entry},
                      {"holder", holder ? nlohmann::json(*holder) : nullptr},
                      {"revoked_entry", k->revoked_entry ? nlohmann::json(*k->revoked_entry) : nullptr}});
      continue;
    }
    std::cout << i18n::text(lang, i18n::Msg::key_list_row, k->key_id, i18n::pick(lang, role_words(k->role)),
                            k->added_entry)
              << (holder ? i18n::text(lang, i18n::Msg::key_list_holder, *holder) : "")
              << (k->revoked_entry ? i18n::text(lang, i18n::Msg::key_list_revoked, *k->revoked_entry) : "") << "\n";
  }
  if (o.json) std::cout << rows.dump(2) << "\n";
  return 0;
}

// Hands the log over to a new log key (docs/ledger-format.md §2 "Rotating the log key"):
// one log_key_rotated entry signed by the current log key, then the first checkpoint
// signed by the new one (which shows the new key file works before anyone relies on it).
int cmd_key_rotate_log(const Options& o) {
  need_ledger(o);
  Ledger ledger(o.ledger, true);
  auto old_key = note::SigningKey::load(o.log_key_file);
  auto new_key = note::SigningKey::load(o.new_log_key_file);
  auto new_vkey = note::verifier_key_of(new_key);
  auto e = key_event("log_key_rotated", "log-key-rotated-" + new_vkey.key_id());
  e["log_key"] = new_vkey.to_string();
  e["reason"] = o.reason;
  auto out = ledger.append({prepare_event(e, "key rotate-log")}, old_key, {});
  std::cout << i18n::text(i18n::choose_lang(lang_option(o), false), i18n::Msg::key_log_rotated,
                          note::verifier_key_of(old_key).key_id(), new_vkey.key_id(), *out[0].index, o.new_log_key_file)
            << "\n";
  sign_remembered(ledger, new_key, o.new_log_key_file);
  return 0;
}

// Moves the ledger to the newest rules version this program knows (docs/rules-versions.md):
// one rules_upgraded entry signed by the log key, derived tables rebuilt, a checkpoint.
int cmd_upgrade(const Options& o) {
  need_ledger(o);
  Ledger ledger(o.ledger, true);
  auto log_key = note::SigningKey::load(o.log_key_file);
  std::string reason = o.reason.empty() ? fmt::format("upgrade to rules version {}", kCurrentRulesVersion) : o.reason;
  RulesUpgrade r = ledger.upgrade_rules(log_key, reason, signer_state_path(o.log_key_file));
  if (!r.entry) {
    std::cout << fmt::format("ledger {} is already at rules version {}, the newest this agtrace knows; nothing to do\n",
                             o.ledger, r.from);
    return 0;
  }
  auto cp = ledger.latest_checkpoint_parsed();
  std::cout << fmt::format(
      "upgraded ledger {} from rules version {} to {}: rules_upgraded is entry {}; derived tables rebuilt; "
      "checkpoint signed: tree size {}\nentries up to {} stay judged by version {}, every later one by version {} "
      "(docs/rules-versions.md)\n",
      o.ledger, r.from, r.to, *r.entry, cp ? cp->size : 0, *r.entry, r.from, r.to);
  return 0;
}

int cmd_record(const Options& o) {
  std::string name = o.input == "-" ? "stdin" : o.input;
  const i18n::Lang lang = i18n::choose_lang(lang_option(o), false);
  return append_and_report(
      json_event_source(decode_json_input(read_input(o.input, kMaxInputBytes), o.encoding, name), name, lang), o,
      lang);
}

std::map<std::string, std::string> field_labels(const std::string& type, i18n::Lang lang);

// correct EVENT-ID --file FIXED.json --reason TEXT: one correction entry carrying the fixed event
// (rules version 5; docs/clerk-import.md "更正记录"). A fixed event without event_id takes EVENT-ID.
int correct_in(const Options& o, const std::string& name, i18n::Lang lang) {
  nlohmann::json fixed = json::parse_strict(decode_json_input(read_input(o.input, kMaxInputBytes), o.encoding, name), {}, name);
  if (!fixed.is_object())
    throw_bad_input(fmt::format("{}: the fixed event must be one JSON object (the whole event as it should have "
                                "been recorded)",
                                name));
  if (!fixed.contains("event_id")) fixed["event_id"] = o.target;
  auto correction = correction_event(fixed, o.reason, time::now_unix_ms(),
                                     o.party.empty() ? std::nullopt : std::optional(o.party),
                                     o.event_id.empty() ? std::nullopt : std::optional(o.event_id));
  correction["corrected_event_id"] = o.target;
  // A refusal of the corrected event names the argument the clerk typed, as an import names a
  // column; one of a field of the fixed event names that field's column header, as the sheet has
  // it ("replacement.quantity.value" → 「数量」).
  const std::string fixed_type = fixed.contains("type") && fixed["type"].is_string() ? fixed["type"].get<std::string>() : "";
  auto columns_in = [&](i18n::Lang l) {
    ColumnNames out = {{"corrected_event_id", i18n::text(l, i18n::Msg::correct_event_id_argument, o.target)}};
    for (const auto& [path, header] : field_labels(fixed_type, l))
      out.emplace_back("replacement." + path, l == i18n::Lang::zh ? "「" + header + "」" : "\"" + header + "\"");
    return out;
  };
  PreparedEvent p = [&] {
    try {
      return prepare_event(std::move(correction), name);
    } catch (const i18n::Refusal& r) {
      const std::string en = name_columns(r.text(i18n::Lang::en), columns_in(i18n::Lang::en), i18n::Lang::en);
      throw i18n::Refusal(name_columns(r.text(i18n::Lang::zh), columns_in(i18n::Lang::zh), i18n::Lang::zh), en, en);
    }
  }();
  p.lang = lang;
  p.columns = columns_in(lang);
  // The same correction again writes nothing: say which entry already holds it.
  return append_and_report([p = std::optional(std::move(p))]() mutable { return std::exchange(p, std::nullopt); }, o,
                           lang, [&](const AppendOutcome& r) {
                             return i18n::text(lang, i18n::Msg::correction_recorded_before, o.target, *r.index,
                                               r.event_id);
                           });
}

// A clerk who writes the reason in Chinese reads the answer in Chinese (as an import's Chinese
// headers choose it), whatever the locale; --lang decides first.
int cmd_correct(const Options& o) {
  std::string name = o.input == "-" ? "stdin" : o.input;
  const i18n::Lang lang = i18n::choose_lang(lang_option(o), i18n::has_chinese(o.reason));
  try {
    return correct_in(o, name, lang);
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::bad_input || lang != i18n::Lang::zh) throw;
    std::cerr << i18n::text(lang, i18n::Msg::error_prefix) << i18n::message_in(e, lang) << "\n";
    return 2;
  }
}

// import --format csv: the clerk's file read in the clerk's language (import_csv), each harvest
// judged against its planted area (with --allow-high-yield: recorded, its entry saying the flag
// vouched for it), appended, the full-width digits it read said once.
int import_csv_file(const Options& o, const std::string& data, const std::optional<std::string>& tz) {
  CsvImportOptions options{o.encoding, tz, o.type.empty() ? std::nullopt : std::optional(o.type), lang_option(o)};
  CsvImport batch = import_csv(data, o.input, options);
  {
    need_ledger(o);
    Ledger ledger(o.ledger, false);
    if (!o.allow_high_yield) check_harvest_yields(batch.events, planting_areas(ledger));
    else confirm_harvest_yields(batch.events, planting_areas(ledger), {HighYieldOverride::cli_flag, ""});
  }
  if (!batch.full_width_lines.empty())
    std::cerr << i18n::text(batch.lang, i18n::Msg::note_full_width,
                            fmt::format("{}", fmt::join(batch.full_width_cells, batch.lang == i18n::Lang::zh ? "、" : "; ")))
              << "\n";
  try {
    return append_and_report(
        [&batch, i = std::size_t{0}]() mutable -> std::optional<PreparedEvent> {
          if (i == batch.events.size()) return std::nullopt;
          return std::move(batch.events[i++]);
        },
        o, batch.lang);
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::bad_input || batch.lang != i18n::Lang::zh) throw;
    std::cerr << i18n::text(batch.lang, i18n::Msg::error_prefix) << i18n::message_in(e, batch.lang) << "\n";
    return 2;
  }
}

// The format of an import without --format, from the file's name: .csv → csv, .jsonl → jsonl;
// anything else is refused in the reader's language.
std::string inferred_format(const Options& o) {
  std::string ext = std::filesystem::path(o.input).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (ext == ".csv") return "csv";
  if (ext == ".jsonl") return "jsonl";
  i18n::refuse("", i18n::Msg::import_format_unknown, o.input);
}

int cmd_import(Options o) {
  if (o.format.empty()) o.format = inferred_format(o);
  if (!o.tz.empty()) time::check_tz(o.tz);
  std::string data = read_input(o.input, kMaxInputBytes);
  std::optional<std::string> tz = o.tz.empty() ? std::nullopt : std::optional(o.tz);
  if (o.format == "csv") {
    try {
      return import_csv_file(o, data, tz);
    } catch (const CsvRefused& e) {
      std::cerr << i18n::text(e.lang(), i18n::Msg::error_prefix) << e.what() << "\n";
      return 2;
    }
  }
  const i18n::Lang lang = i18n::choose_lang(lang_option(o), false);
  if (o.format == "jsonl")
    return append_and_report(json_event_source(decode_json_input(data, o.encoding, o.input), o.input, lang), o, lang);
  if (o.format == "epcis") {
    need_ledger(o);
    std::string text = decode_json_input(data, o.encoding, o.input);
    std::vector<PreparedEvent> batch;
    {
      Ledger ledger(o.ledger, false);
      batch = epcis::events_from_epcis(text, o.input, ledger, note::SigningKey::load(o.key_file), std::nullopt);
    }
    for (auto& p : batch) p.lang = lang;
    return append_and_report(
        [&batch, i = std::size_t{0}]() mutable -> std::optional<PreparedEvent> {
          if (i == batch.size()) return std::nullopt;
          return std::move(batch[i++]);
        },
        o, lang);
  }
  throw_bad_input(fmt::format("--format {}: use csv, jsonl or epcis", o.format));
}

// The clerk's reference for CSV files: the types, a type's columns, or its header row. TYPE
// may be the word a clerk types in the 事件类型 column (开具合格证); the text is Chinese for it,
// for --lang zh or a Chinese locale. The JSON and the --csv header row are the same in both.
int cmd_columns(const Options& o, bool csv_header) {
  const i18n::Lang lang = i18n::choose_lang(lang_option(o), i18n::has_chinese(o.type));
  try {
    if (o.type.empty()) {
      std::vector<std::string> zh;
      for (const auto& type : csv_event_types()) zh.push_back(fmt::format("{} ({})", csv_type_word(type, i18n::Lang::zh), type));
      std::cout << i18n::text(lang, i18n::Msg::columns_types,
                              i18n::pick(lang, i18n::Words{fmt::format("{}", fmt::join(zh, "、")),
                                                           fmt::format("{}", fmt::join(csv_event_types(), ", "))}))
                << "\n";
      return 0;
    }
    auto cols = csv_columns(o.type, o.json || csv_header ? i18n::Lang::en : lang);
    if (csv_header) {
      std::vector<std::string> headers;
      for (const auto& c : cols) headers.push_back(c.header);
      // A byte-order mark, so that Excel opens the Chinese headers as UTF-8; CRLF as Excel writes.
      std::cout << "\xEF\xBB\xBF" << fmt::format("{}", fmt::join(headers, ",")) << "\r\n";
      return 0;
    }
    if (o.json) {
      nlohmann::json j = nlohmann::json::array();
      for (const auto& c : cols)
        j.push_back({{"header", c.header}, {"english", c.english}, {"field", c.field}, {"format", c.format},
                     {"required", c.required}});
      std::cout << j.dump(2) << "\n";
      return 0;
    }
    std::cout << i18n::text(lang, i18n::Msg::columns_heading, csv_type_word(csv_event_type(o.type), lang)) << "\n";
    for (const auto& c : cols)
      std::cout << fmt::format("  {} {} / {} → {}: {}\n", c.required ? "*" : " ", c.header, c.english, c.field, c.format);
    return 0;
  } catch (const i18n::Refusal& e) {
    std::cerr << i18n::text(lang, i18n::Msg::error_prefix) << e.text(lang) << "\n";
    return 2;
  }
}

// "in checkpoint of size N" or "awaiting checkpoint" for entry `index`, in `lang` (English in JSON).
std::string checkpoint_status(Ledger& ledger, std::uint64_t index, i18n::Lang lang = i18n::Lang::en) {
  auto cp = ledger.latest_checkpoint_parsed();
  if (cp && index < cp->size) return i18n::text(lang, i18n::Msg::show_in_checkpoint, cp->size);
  return i18n::text(lang, i18n::Msg::show_awaiting_checkpoint);
}

// shown_time for the event_time of an event of `type`: in Chinese a date-only planting, harvest or
// packing as its date (event_time_words).
std::string shown_event_time(const std::string& text, const std::string& type, i18n::Lang lang) {
  return lang == i18n::Lang::zh ? event_time_words(text, type, lang) : text;
}

// The mark after an entry not yet under a signed checkpoint, in `log` and `show lot`.
std::string awaiting_mark(i18n::Lang lang) {
  return lang == i18n::Lang::zh ? "  （" + i18n::text(lang, i18n::Msg::show_awaiting_checkpoint) + "）"
                                : "  (awaiting checkpoint)";
}

// An event time for `show`: in Chinese at its own offset, labelled (2026-09-25 08:00（北京时间 +08:00）); in
// English the RFC 3339 text as recorded, which carries its offset (scripts read these rows).
std::string shown_time(const std::string& text, i18n::Lang lang) {
  return lang == i18n::Lang::zh ? time_words(text, lang) : text;
}

// "RECALLED by EVENT at TIME: REASON" lines, one per recall in force, in `lang`.
std::string recall_lines(const std::vector<nlohmann::json>& recalls, i18n::Lang lang = i18n::Lang::en) {
  std::string out;
  for (const auto& r : recalls)
    out += i18n::text(lang, i18n::Msg::show_lot_recalled, escape_controls(r.value("event_id", "")),
                      shown_time(r.value("event_time", ""), lang), escape_controls(r.value("reason", ""))) +
           "\n";
  return out;
}

// Field path (quantity.value) → its column's header in `lang` (数量), from the CSV layout of event
// type `type`; empty for a type CSV import does not know (key_added, labels_issued).
std::map<std::string, std::string> field_labels(const std::string& type, i18n::Lang lang) {
  std::map<std::string, std::string> out;
  std::vector<CsvColumn> columns;
  try {
    columns = csv_columns(type, lang);
  } catch (const Error&) {
    return out;
  }
  for (const auto& c : columns)  // a shared column serves "loss.unit, quantity.unit"
    for (std::size_t at = 0; at <= c.field.size();) {
      const std::size_t comma = std::min(c.field.find(',', at), c.field.size());
      out.emplace(trim_cell(c.field.substr(at, comma - at)), lang == i18n::Lang::zh ? c.header : c.english);
      at = comma + 1;
    }
  return out;
}

// Field path (quantity.value) → the place of its column in the CSV header of event type `type`
// (事件类型 0, 事件编号 1, …): show N lists a clerk's fields as the sheet has them. Empty for a
// type CSV import does not know.
std::map<std::string, std::size_t> field_order(const std::string& type) {
  std::map<std::string, std::size_t> out;
  std::vector<CsvColumn> columns;
  try {
    columns = csv_columns(type, i18n::Lang::zh);
  } catch (const Error&) {
    return out;
  }
  for (std::size_t i = 0; i < columns.size(); ++i)
    for (std::size_t at = 0; at <= columns[i].field.size();) {
      const std::size_t comma = std::min(columns[i].field.find(',', at), columns[i].field.size());
      out.emplace(trim_cell(columns[i].field.substr(at, comma - at)), i);
      at = comma + 1;
    }
  return out;
}

// An event's fields as (dotted path, value in words) lines, in the order recorded: objects are
// walked (quantity.value, quantity.unit), a list of plain values is joined with 、, a list of
// objects is shown as compact JSON; types, unit codes and times are given as a clerk reads them.
std::vector<std::pair<std::string, std::string>> entry_lines(const nlohmann::json& object, const std::string& prefix) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [name, v] : object.items()) {
    const std::string path = prefix + name;
    if (v.is_object()) {
      auto inner = entry_lines(v, path + ".");
      out.insert(out.end(), inner.begin(), inner.end());
      continue;
    }
    std::string words;
    if (v.is_string()) {
      words = v.get<std::string>();
      if (name == "type") words = i18n::pick(i18n::Lang::zh, type_words(words));
      if (name == "unit") words = i18n::pick(i18n::Lang::zh, unit_code_words(words));
      if (name.ends_with("time")) {
        try {
          // The event's own time: a date-only planting, harvest or packing as its date.
          words = path == "event_time" ? event_time_words(words, object.value("type", ""), i18n::Lang::zh)
                                       : time_words(words, i18n::Lang::zh);
        } catch (const Error&) {  // not a time after all: as recorded
        }
      }
    } else if (v.is_array() && std::all_of(v.begin(), v.end(), [](const auto& x) { return x.is_primitive(); })) {
      std::vector<std::string> items;
      for (const auto& x : v) items.push_back(x.is_string() ? x.get<std::string>() : x.dump());
      words = fmt::format("{}", fmt::join(items, "、"));
    } else {
      words = v.dump();
    }
    out.emplace_back(path, std::move(words));
  }
  return out;
}

// show N: the entry as stored in the file, with a heading in `lang` (its type as a clerk writes it,
// its time at its own offset, its quantity in words), then the event itself: in Chinese one labelled
// line per field, in English as JSON.
// `corrections` are the entries that corrected it, `later` (for a correction) the later corrections
// of the same event that replaced it; the last of either is the one in force.
void print_entry(Ledger& ledger, const Entry& e, const std::vector<std::uint64_t>& corrections,
                 const std::vector<std::uint64_t>& later, i18n::Lang lang) {
  using i18n::Msg;
  const std::string type = e.event.value("type", "");
  std::cout << i18n::text(lang, Msg::show_entry_heading, e.index, i18n::pick(lang, type_words(type)),
                          checkpoint_status(ledger, e.index, lang))
            << "\n"
            << i18n::text(lang, Msg::show_entry_signed, e.key_id) << "\n";
  if (e.event.contains("event_time") && e.event["event_time"].is_string())
    std::cout << i18n::text(lang, Msg::show_entry_time,
                            event_time_words(e.event["event_time"].get<std::string>(), type, lang))
              << "\n";
  const auto& q = e.event.value("quantity", nlohmann::json());
  if (q.is_object() && q.contains("value") && q.contains("unit") && q["unit"].is_string())
    std::cout << i18n::text(lang, Msg::show_entry_quantity, q["value"].get<std::string>(),
                            i18n::pick(lang, unit_code_words(q["unit"].get<std::string>())))
              << "\n";
  // One correction: it is the one in force, said once. Several: all of them, then the one in force.
  if (corrections.size() == 1)
    std::cout << i18n::text(lang, Msg::show_entry_corrected, corrections.front()) << "\n";
  else if (!corrections.empty())
    std::cout << i18n::text(lang, Msg::show_entry_corrected_many,
                            fmt::format("{}", fmt::join(corrections, lang == i18n::Lang::zh ? "、" : ", entry ")))
              << "\n"
              << i18n::text(lang, Msg::show_entry_correction_in_force, corrections.back()) << "\n";
  if (!later.empty()) {
    std::cout << i18n::text(lang, Msg::show_entry_correction_superseded, later.front()) << "\n";
    if (later.size() > 1) std::cout << i18n::text(lang, Msg::show_entry_correction_in_force, later.back()) << "\n";
  }
  if (lang == i18n::Lang::en) {
    std::cout << i18n::text(lang, Msg::show_entry_event) << "\n" << e.event.dump(2) << "\n";
    return;
  }
  // In Chinese: one line per field, named by its CSV column (schemas/csv-columns.json), the raw JSON
  // with --json.
  std::cout << i18n::text(lang, Msg::show_entry_fields) << "\n";
  const auto labels = field_labels(type, lang);
  // In the order of the type's CSV header (a correction's replacement after the correction's own
  // fields, in the order of its type's header); a field no column holds after those, as recorded.
  auto lines = entry_lines(e.event, "");
  const auto order = field_order(type);
  const auto replacement_order =
      e.event.contains("replacement") && e.event["replacement"].is_object()
          ? field_order(e.event["replacement"].value("type", ""))
          : std::map<std::string, std::size_t>{};
  auto place = [&](const std::string& path) {
    const bool replaced = path.starts_with("replacement.");
    const auto& in = replaced ? replacement_order : order;
    const auto it = in.find(replaced ? path.substr(12) : path);
    return std::pair{replaced ? 1 : 0, it == in.end() ? in.size() : it->second};
  };
  std::stable_sort(lines.begin(), lines.end(), [&](const auto& a, const auto& b) { return place(a.first) < place(b.first); });
  for (auto [path, value] : lines) {
    // An enum value in the word a clerk writes in its column (input_kind fertilizer → 肥料).
    if (path.starts_with("replacement."))
      value = value_words(e.event["replacement"].value("type", ""), path.substr(12), value).zh;
    else
      value = value_words(type, path, value).zh;
    std::string label = path;
    if (path.starts_with("replacement.")) {
      const auto inner = field_labels(e.event["replacement"].value("type", ""), lang);
      if (auto it = inner.find(path.substr(12)); it != inner.end()) label = "更正后" + it->second;
    } else if (auto it = labels.find(path); it != labels.end()) {
      label = it->second;
    }
    // Stored text as it is, but a control character (an ESC could rewrite the screen) as \u001b.
    std::cout << i18n::text(lang, Msg::show_entry_field, label, escape_controls(value)) << "\n";
  }
  std::cout << i18n::text(lang, Msg::show_entry_json_hint, e.index) << "\n";
}

// A lot's product as `show lot` names it: its id with its name from the product record
// ("SCALLION（大葱）" / "SCALLION (大葱)"); "-" for a lot without a product.
std::string product_words(Ledger& ledger, const std::optional<std::string>& product, i18n::Lang lang) {
  if (!product) return "-";
  const auto record = ledger.store().master("product", *product);
  if (!record || !record->contains("name") || !(*record)["name"].is_string()) return escape_controls(*product);
  return escape_controls(fmt::format(fmt::runtime(lang == i18n::Lang::zh ? "{}（{}）" : "{} ({})"), *product,
                                     (*record)["name"].get<std::string>()));
}

// show N | lot LOT | code SERIAL. The text is in the chosen language (--lang, a zh_* locale, or a lot
// named in Chinese); the JSON keeps its English keys and values.
int cmd_show(const Options& o, const std::vector<std::string>& args) {
  using i18n::Msg;
  need_ledger(o);
  const i18n::Lang lang =
      i18n::choose_lang(lang_option(o), !args.empty() && i18n::has_chinese(args.back()));
  Ledger ledger(o.ledger, false);
  cli::audit_first(ledger, "show", lang);
  if (args.size() == 1) {
    if (args[0].empty() || args[0].size() > 19 || args[0].find_first_not_of("0123456789") != std::string::npos)
      throw_bad_input(i18n::text(lang, Msg::show_entry_bad_index, args[0]));
    std::uint64_t index = std::stoull(args[0]);
    if (index >= ledger.size()) throw_bad_input(i18n::text(lang, Msg::show_entry_missing, index, ledger.size()));
    Entry e = ledger.entry(index);
    // Rules version 5: the entries that corrected this one (its event as recorded is shown).
    const auto corrections = ledger.store().corrections_of(index);
    // A correction with a replacement: the later corrections of the same event, which replaced it.
    const auto later = ledger.store().later_corrections(index).value_or(std::vector<std::uint64_t>{});
    if (o.json) {
      nlohmann::json j = nlohmann::json::parse(encode_entry(e));
      nlohmann::json out = {{"entry", j}, {"status", checkpoint_status(ledger, index)}};
      if (!corrections.empty()) {
        out["corrected_by"] = corrections;
        out["in_force"] = corrections.back();
      }
      if (!later.empty()) {
        out["superseded_by"] = later.front();
        out["in_force"] = later.back();
      }
      std::cout << out.dump(2) << "\n";
    } else {
      // Read straight from the file: a changed file shows the change; only verify checks it.
      print_entry(ledger, e, corrections, later, lang);
    }
    return 0;
  }
  if (args.size() == 2 && args[0] == "lot") {
    auto lot = ledger.store().lot(args[1]);
    if (!lot) {
      // The nearest known lot ids, as an import suggests them (a misread O or l first).
      std::vector<std::string> known;
      for (auto k = ledger.database().prepare("SELECT lot_id FROM lots ORDER BY created_entry"); k.step();)
        known.push_back(k.column_text(0));
      const auto near = nearest_ids(args[1], known);
      const i18n::Words did_you_mean =
          near.empty() ? i18n::Words{}
                       : i18n::Words{fmt::format("是不是{}？", quoted_list(near).zh),
                                     fmt::format("; did you mean {}?", quoted_list(near).en)};
      throw_bad_input(i18n::text(lang, Msg::show_lot_unknown, args[1], i18n::pick(lang, did_you_mean)));
    }
    auto s = ledger.database().prepare(
        "SELECT le.entry_idx, le.role, e.type, e.event_id, e.event_time FROM lot_events le "
        "JOIN events e ON e.entry_idx = le.entry_idx WHERE le.lot_id = ? ORDER BY e.unix_ms, le.entry_idx");
    s.bind(1, args[1]);
    nlohmann::json events = nlohmann::json::array();
    while (s.step()) {
      nlohmann::json e = {{"index", s.column_int(0)}, {"role", s.column_text(1)}, {"type", s.column_text(2)},
                          {"event_id", s.column_text(3)}, {"event_time", s.column_text(4)}};
      // Rules version 7: an input applied to this lot's plot with no lot named (before or after sowing).
      if (e["role"] == "plot_input")
        e["plot"] = ledger.store().event_at(static_cast<std::uint64_t>(s.column_int(0)))["location"];
      // A harvest recorded beyond the import's yield check says who vouched for it (yield_check.h).
      if (e["type"] == "harvest")
        if (auto h = ledger.store().event_at(static_cast<std::uint64_t>(s.column_int(0))); h.contains("yield_override"))
          e["yield_override"] = h["yield_override"];
      // Rules version 5: the times above are the corrected ones; say which entries corrected them.
      // The last one is in force; each earlier one was superseded by the next.
      const auto corrections = ledger.store().corrections_of(static_cast<std::uint64_t>(s.column_int(0)));
      for (std::size_t k = 0; k < corrections.size(); ++k) {
        auto correction = ledger.store().recorded_event_at(corrections[k]);
        e["corrected_by"].push_back({{"index", corrections[k]}, {"event_id", correction["event_id"]},
                                     {"event_time", correction["event_time"]}, {"reason", correction["reason"]},
                                     {"in_force", k + 1 == corrections.size()}});
      }
      events.push_back(std::move(e));
    }
    auto recalls = recalls_covering(ledger, lot->lot);
    // Rules version 8: harvests on the lot's lineage inside a pre-harvest interval (a spray recorded
    // late), listed as its recalls are.
    nlohmann::json breaches = nlohmann::json::array();
    std::string breach_lines;
    for (const auto& b : interval_breaches(lot_ancestry(lot->lot, ledger.store()), ledger.store())) {
      breaches.push_back({{"harvest_lot", b.harvest_lot}, {"harvest_event_id", b.harvest_event_id},
                          {"harvest_date", b.harvest_date}, {"application_event_id", b.application.event_id},
                          {"application_entry", b.application_entry},
                          {"application_date", b.application.application_date},
                          {"pre_harvest_interval_days", b.application.pre_harvest_interval_days},
                          {"safe_date", b.application.safe_date}});
      breach_lines += i18n::text(lang, Msg::show_lot_breach, b.harvest_lot, b.harvest_date, b.application.event_id,
                                 b.application_entry, b.application.application_date,
                                 b.application.pre_harvest_interval_days, b.application.safe_date) +
                      "\n";
    }
    // The certificates of the lot and of the lots it was made from, with their status; when one became
    // 已失效 through a spray recorded late, the spray's time is 用药时间 and the entry that recorded it
    // says when (certificate_state_when_zh): the spray itself is before the certificate (cert14h).
    nlohmann::json certificates = nlohmann::json::array();
    std::string certificate_lines;
    // A file from before certificates (the table was added after schema 1; an old ledger opened
    // read-only) holds none.
    const bool has_certificates =
        ledger.database().prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'certificates'").step();
    if (has_certificates) {
      for (const auto& [record, state] : lineage_certificates(ledger.store(), lot->lot)) {
        if (record.received) continue;
        nlohmann::json c = {{"number", record.number}, {"lot", record.lot},
                            {"status", certificate_status_en(state.status)}};
        if (state.entry)
          c.update({{"entry", *state.entry}, {"event_id", state.event_id}, {"time", state.time},
                    {"reason", state.reason}});
        if (!state.applied_at.empty()) c["applied_at"] = state.applied_at;
        certificates.push_back(std::move(c));
        const std::string number = escape_controls(record.number), of = escape_controls(record.lot);
        if (state.status == CertificateStatus::valid) {
          certificate_lines += i18n::text(lang, Msg::show_lot_certificate_valid, number, of) + "\n";
          continue;
        }
        const std::string when =
            state.applied_at.empty()
                ? (lang == i18n::Lang::zh ? fmt::format("{}，第 {} 条记录", shown_time(state.time, lang), state.entry.value_or(0))
                                          : fmt::format("{}, entry {}", shown_time(state.time, lang), state.entry.value_or(0)))
                : (lang == i18n::Lang::zh ? certificate_state_when_zh(state) : certificate_state_when_en(state));
        certificate_lines += i18n::text(lang, Msg::show_lot_certificate_status, number, of,
                                        lang == i18n::Lang::zh ? certificate_status_zh(state.status)
                                                               : certificate_status_en(state.status),
                                        when, escape_controls(state.reason)) +
                             "\n";
      }
    }
    // What the lot was made with, what later events took from it and what was shipped out of it
    // (rules version 9's count: not what a receiver shipped on, shipping_rules.h), in base units
    // (kg, L, pieces), as the quantity rules count them — corrected quantities included.
    struct Amounts {
      Decimal made, taken, shipped;
    };
    std::map<std::string, Amounts> amounts;  // by base unit name: kg, L, pieces
    std::map<std::string, Dimension> dimension_of;
    auto add = [&](const BaseQuantity& q, Decimal Amounts::*to) {
      const std::string unit(base_unit_name(q.dimension));
      dimension_of[unit] = q.dimension;
      amounts[unit].*to = amounts[unit].*to + q.amount;
    };
    for (const auto& q : ledger.store().produced(lot->lot)) add(q, &Amounts::made);
    for (const auto& q : ledger.store().consumed(lot->lot)) add(q, &Amounts::taken);
    for (const auto& s : lot_shipments(lot->lot, ledger.store()))
      if (s.quantity && !s.onward) add(*s.quantity, &Amounts::shipped);
    nlohmann::json quantity = nlohmann::json::array();
    std::string quantity_line;
    for (const auto& [unit, a] : amounts) {
      quantity.push_back({{"unit", unit}, {"made", a.made.to_string()}, {"taken", a.taken.to_string()},
                          {"shipped", a.shipped.to_string()}});
      const std::string unit_text = i18n::pick(lang, unit_words(dimension_of[unit]));
      quantity_line += i18n::text(lang, Msg::show_lot_quantity, a.made.to_string(), unit_text, a.taken.to_string()) +
                       i18n::text(lang, Msg::show_lot_shipped, a.shipped.to_string(), unit_text) + "\n";
    }
    if (o.json) {
      nlohmann::json out = {{"lot", lot->lot}, {"gs1_lot_code", lot->gs1_code},
                            {"product", lot->product ? nlohmann::json(*lot->product) : nullptr},
                            {"created_entry", lot->created_entry}, {"created_by", lot->created_by},
                            {"external", lot->external}, {"quantity", quantity}, {"recalls", recalls},
                            {"events", events}};
      if (!breaches.empty()) out["interval_breaches"] = breaches;
      if (!certificates.empty()) out["certificates"] = certificates;
      std::cout << out.dump(2) << "\n";
    } else {
      // Stored text goes out with its control characters escaped (escape_controls): lot ids, event
      // ids, plots and reasons of entries written before CSV import refused them.
      std::cout << i18n::text(lang, Msg::show_lot_heading, escape_controls(lot->lot), lot->gs1_code) << "\n"
                << i18n::text(lang, Msg::show_lot_product, product_words(ledger, lot->product, lang)) << "\n"
                << i18n::text(lang, Msg::show_lot_created, i18n::pick(lang, type_words(lot->created_by)),
                              lot->created_entry)
                << "\n"
                << quantity_line << recall_lines(recalls, lang) << breach_lines << certificate_lines
                << i18n::text(lang, Msg::show_lot_events) << "\n";
      // Entries not yet under a signed checkpoint are marked as `log` marks them (the guide's 等待检查点).
      const auto cp = ledger.latest_checkpoint_parsed();
      const std::uint64_t checkpointed = cp ? cp->size : 0;
      for (const auto& e : events) {
        const std::string type = e["type"].get<std::string>();
        const auto index = e["index"].get<std::uint64_t>();
        std::cout << fmt::format("  {:>6}  {}  {:<18} {}{}{}\n", index,
                                 shown_event_time(e["event_time"].get<std::string>(), type, lang),
                                 i18n::pick(lang, type_words(type)), escape_controls(e["event_id"].get<std::string>()),
                                 e.contains("plot") ? " " + i18n::text(lang, Msg::show_lot_plot_input,
                                                                       escape_controls(e["plot"].get<std::string>()))
                                                    : std::string(),
                                 index >= checkpointed ? awaiting_mark(lang) : std::string());
        if (e.contains("yield_override")) {
          const auto& y = e["yield_override"];
          std::cout << "          "
                    << (y.contains("supervisor")
                            ? i18n::text(lang, Msg::show_lot_yield_supervisor, kMaxHarvestKgPerMu,
                                         escape_controls(y["supervisor"].get<std::string>()))
                            : i18n::text(lang, Msg::show_lot_yield_flag, kMaxHarvestKgPerMu))
                    << "\n";
        }
        const auto corrected_by = e.value("corrected_by", nlohmann::json::array());
        for (std::size_t k = 0; k < corrected_by.size(); ++k) {
          const auto& c = corrected_by[k];
          std::cout << "          "
                    << (k + 1 == corrected_by.size()
                            ? i18n::text(lang, Msg::show_lot_correction_in_force)
                            : i18n::text(lang, Msg::show_lot_correction_superseded,
                                         corrected_by[k + 1]["index"].get<std::uint64_t>()))
                    << i18n::text(lang, Msg::show_lot_event_corrected, c["index"].get<std::uint64_t>(),
                                  escape_controls(c["event_id"].get<std::string>()),
                                  shown_time(c["event_time"].get<std::string>(), lang),
                                  escape_controls(c["reason"].get<std::string>()), e["index"].get<std::int64_t>())
                    << "\n";
        }
      }
    }
    return 0;
  }
  if (args.size() == 2 && args[0] == "code") {
    const std::string serial = serial_from_scan(args[1], ledger.info().base_url, "SERIAL");
    auto c = ledger.code(serial);
    if (!c) {
      std::cerr << fmt::format("NOT GENUINE: no label job issued trace code {}\n", serial);
      return 1;
    }
    if (auto wrong = scanned_label_mismatch(ledger, args[1], *c)) {
      std::cerr << fmt::format("NOT GENUINE: {}\n", *wrong);
      return 1;
    }
    std::string status = c->voided_entry ? fmt::format("voided at entry {}", *c->voided_entry) : "genuine";
    auto recalls = recalls_covering(ledger, c->lot);
    auto proof = ledger.serial_proof(c->serial);
    if (o.json) {
      nlohmann::json path = nlohmann::json::array();
      for (const auto& h : proof.path) path.push_back(base64_encode(h));
      std::cout << nlohmann::json{{"serial", c->serial}, {"lot", c->lot}, {"issued_entry", c->issued_entry},
                                  {"voided_entry", c->voided_entry ? nlohmann::json(*c->voided_entry) : nullptr},
                                  {"reprints", c->reprints}, {"status", status}, {"recalls", recalls},
                                  {"job_status", checkpoint_status(ledger, c->issued_entry)},
                                  {"serial_proof", {{"leaf_index", proof.leaf_index}, {"count", proof.count}, {"path", path}}}}
                       .dump(2) << "\n";
    } else {
      std::cout << fmt::format("trace code {}: {}\nlot: {}\nissued by label job at entry {} ({})\nreprints: {}\n{}",
                               c->serial, status + (recalls.empty() || c->voided_entry ? "" : ", RECALLED"),
                               escape_controls(c->lot),
                               c->issued_entry, checkpoint_status(ledger, c->issued_entry), c->reprints,
                               recall_lines(recalls));
    }
    return c->voided_entry ? 1 : 0;
  }
  throw_bad_input("usage: agtrace-ledger show ENTRY | show lot LOT | show code SERIAL");
}

// log [--lot LOT] [--from T] [--to T] [--tz +08:00]: the entries in order. --lot takes the
// corrections of the lot's events too; --from/--to take a date or local time with --tz as export
// does. The text is in the chosen language (event types in the clerk's words, times labelled at
// their own offset in Chinese), each corrected entry marked with the entries that corrected it and
// each correction with a replacement as in force or replaced by a later one (as show marks it);
// the JSON keeps its English keys and values.
int cmd_log(const Options& o) {
  need_ledger(o);
  const i18n::Lang lang = i18n::choose_lang(lang_option(o), i18n::has_chinese(o.lot));
  Ledger ledger(o.ledger, false);
  cli::audit_first(ledger, "log", lang);
  std::string sql = "SELECT e.entry_idx, e.event_time, e.type, e.event_id, e.key_id FROM events e";
  std::vector<std::string> where;
  if (!o.lot.empty())
    where.push_back(
        "(e.entry_idx IN (SELECT entry_idx FROM lot_events WHERE lot_id = ?3) OR e.entry_idx IN (SELECT c.entry_idx "
        "FROM corrections c JOIN lot_events le ON le.entry_idx = c.corrected_entry WHERE le.lot_id = ?3))");
  if (!o.from.empty()) where.push_back("e.unix_ms >= ?1");
  if (!o.to.empty()) where.push_back("e.unix_ms < ?2");
  if (!where.empty()) sql += " WHERE " + fmt::format("{}", fmt::join(where, " AND "));
  sql += " ORDER BY e.entry_idx";
  auto s = ledger.database().prepare(sql);
  if (!o.from.empty()) s.bind(1, time::parse_rfc3339(export_bound(o.from, o.tz, "--from", false), "--from").unix_ms);
  if (!o.to.empty()) s.bind(2, time::parse_rfc3339(export_bound(o.to, o.tz, "--to", true), "--to").unix_ms);
  if (!o.lot.empty()) s.bind(3, o.lot);
  auto cp = ledger.latest_checkpoint_parsed();
  std::uint64_t checkpointed = cp ? cp->size : 0;
  nlohmann::json rows = nlohmann::json::array();
  while (s.step()) {
    auto idx = static_cast<std::uint64_t>(s.column_int(0));
    if (o.json) {
      rows.push_back({{"index", idx}, {"event_time", s.column_text(1)}, {"type", s.column_text(2)},
                      {"event_id", s.column_text(3)}, {"key", s.column_text(4)},
                      {"checkpointed", idx < checkpointed}});
      continue;
    }
    const std::string type = s.column_text(2);
    std::string marks;
    const auto corrections = ledger.store().corrections_of(idx);
    if (!corrections.empty())
      marks += "  " + i18n::text(lang, i18n::Msg::log_corrected_by,
                                 fmt::format("{}", fmt::join(corrections, lang == i18n::Lang::zh ? "、" : ", ")));
    // A correction: in force, or replaced by a later correction of the same event (as show marks it).
    if (type == "correction")
      if (const auto later = ledger.store().later_corrections(idx)) {
        std::string mark = later->empty() ? i18n::text(lang, i18n::Msg::show_lot_correction_in_force)
                                          : i18n::text(lang, i18n::Msg::show_lot_correction_superseded, later->front());
        while (!mark.empty() && mark.back() == ' ') mark.pop_back();  // the English mark is a prefix in show
        marks += "  " + mark;
      }
    if (idx >= checkpointed) marks += awaiting_mark(lang);
    if (lang == i18n::Lang::zh)
      std::cout << fmt::format("{:>6}  {}  {}  {}{}\n", idx, shown_event_time(s.column_text(1), type, lang),
                               i18n::pick(lang, type_words(type)), escape_controls(s.column_text(3)), marks);
    else
      std::cout << fmt::format("{:>6}  {:<25}  {:<18} {}{}\n", idx, escape_controls(s.column_text(1)), type,
                               escape_controls(s.column_text(3)), marks);
  }
  if (o.json) std::cout << rows.dump(2) << "\n";
  return 0;
}

// What an audit's finding (its English words, which name the entry, table or checkpoint) means for
// a reader of Chinese: the kind of damage, said before the finding itself.
i18n::Msg verify_finding_kind(std::string_view finding) {
  using i18n::Msg;
  auto has = [&](std::string_view w) { return finding.find(w) != std::string_view::npos; };
  if (has("saved checkpoint")) return Msg::verify_why_saved_checkpoint;
  if (has("signature")) return Msg::verify_why_signature;
  if (has("chain is broken") || has("prev does not match")) return Msg::verify_why_chain;
  if (has("derived table") || has("codes table") || has("does not agree with itself")) return Msg::verify_why_derived;
  if (has("checkpoint")) return Msg::verify_why_checkpoint;
  if (has("damaged") || has("missing") || has("schema")) return Msg::verify_why_damaged;
  return Msg::verify_why_other;
}

int cmd_verify(const Options& o) {
  need_ledger(o);
  const i18n::Lang lang = i18n::choose_lang(lang_option(o), false);
  std::optional<std::string> saved;
  if (!o.checkpoint_file.empty()) saved = read_input(o.checkpoint_file, 1 << 20);
  Ledger ledger(o.ledger, false);
  try {
    AuditReport r = ledger.verify(saved);
    if (o.json) {
      nlohmann::json j = {{"ok", true}, {"entries", r.entries}, {"checkpoints", r.checkpoints},
                          {"latest_checkpoint_size", r.latest_checkpoint_size}};
      if (r.saved_checkpoint_size) j["consistent_with_saved_checkpoint_size"] = *r.saved_checkpoint_size;
      std::cout << j.dump(2) << "\n";
    } else {
      const bool zh = lang == i18n::Lang::zh;
      std::cout << i18n::text(lang, i18n::Msg::verify_ok,
                              zh ? std::to_string(r.entries) : counted(r.entries, "entry", "entries"),
                              zh ? std::to_string(r.checkpoints) : counted(r.checkpoints, "checkpoint", "checkpoints"),
                              zh ? std::to_string(r.latest_checkpoint_size)
                                 : counted(r.latest_checkpoint_size, "entry", "entries"),
                              r.entries - r.latest_checkpoint_size)
                << "\n";
      if (r.saved_checkpoint_size) std::cout << i18n::text(lang, i18n::Msg::verify_ok_saved, *r.saved_checkpoint_size) << "\n";
    }
    return 0;
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::verification) throw;
    if (o.json) std::cout << nlohmann::json{{"ok", false}, {"error", e.what()}}.dump(2) << "\n";
    // The finding in the reader's language where the audit said it through the catalogue (its
    // English what() still tells the kind of damage).
    std::cerr << i18n::text(lang, i18n::Msg::verify_failed_explained, i18n::message_in(e, lang),
                            i18n::text(lang, verify_finding_kind(e.what())))
              << "\n"
              << i18n::text(lang, i18n::Msg::verify_next) << "\n";
    return 1;
  }
}

int cmd_checkpoint(const Options& o) {
  need_ledger(o);
  Ledger ledger(o.ledger, true);
  std::cout << sign_remembered(ledger, note::SigningKey::load(o.log_key_file), o.log_key_file);
  return 0;
}

int cmd_proof_inclusion(const Options& o) {
  need_ledger(o);
  Ledger ledger(o.ledger, false);
  std::string note_text;
  if (o.size) {
    auto s = ledger.database().prepare("SELECT note FROM checkpoints WHERE size = ?");
    s.bind(1, static_cast<std::int64_t>(o.size));
    if (!s.step())
      throw_bad_input(fmt::format("--size {}: no checkpoint of that size; see `agtrace-ledger log` or omit --size", o.size));
    note_text = s.column_text(0);
  } else {
    auto latest = ledger.latest_checkpoint();
    if (!latest) throw_bad_input("the ledger has no checkpoint yet; run `agtrace-ledger checkpoint`");
    note_text = *latest;
  }
  auto cp = ledger.open_checkpoint(note_text);
  if (o.index >= cp.size)
    throw_bad_input(fmt::format("INDEX {}: entry is not yet in the checkpoint of size {} (awaiting checkpoint)",
                                o.index, cp.size));
  note::TlogProof proof{std::nullopt, o.index, ledger.inclusion_proof(o.index, cp.size), note_text};
  std::cout << note::format_tlog_proof(proof);
  return 0;
}

int cmd_proof_consistency(const Options& o) {
  need_ledger(o);
  Ledger ledger(o.ledger, false);
  if (o.old_size == 0 || o.old_size > o.new_size)
    throw_bad_input(fmt::format("OLD {} NEW {}: need 0 < OLD <= NEW", o.old_size, o.new_size));
  auto hashes = ledger.consistency_proof(o.old_size, o.new_size);
  nlohmann::json j = {{"old_size", o.old_size}, {"new_size", o.new_size},
                      {"old_root", base64_encode(ledger.root(o.old_size))},
                      {"new_root", base64_encode(ledger.root(o.new_size))},
                      {"hashes", nlohmann::json::array()}};
  for (const auto& h : hashes) j["hashes"].push_back(base64_encode(h));
  std::cout << j.dump(2) << "\n";
  return 0;
}

Options options;

}  // namespace

const std::string& ledger_path() {
  need_ledger(options);
  return options.ledger;
}

i18n::Lang reader_lang() { return i18n::choose_lang(lang_option(options), false); }

}  // namespace agtrace::cli

int main(int argc, char** argv) {
  using namespace agtrace::cli;
  Options& o = options;
  // --help of the clerk's verbs in the language messages use (--lang, a zh_* locale): it is built
  // before the command line is parsed, so --lang is looked up in argv here.
  const agtrace::i18n::Lang help_lang = help_language(argc, argv);
  auto help = [help_lang](agtrace::i18n::Msg id) { return agtrace::i18n::text(help_lang, id); };
  using M = agtrace::i18n::Msg;
  CLI::App app{help(M::help_program)};
  use_help_language(app, help_lang);  // before the subcommands: they copy it
  app.require_subcommand(1);
  // `--ledger` may come before or after the subcommand (`verify --ledger FILE`).
  app.fallthrough();
  app.set_version_flag("--version", version_text("agtrace-ledger"), help(M::help_version));
  app.add_option("--ledger", o.ledger, help(M::help_ledger))->envname("AGTRACE_LEDGER");
  app.add_option("--lang", o.lang, help(M::help_lang))
      ->check(CLI::IsMember({"zh", "en"}));
  std::vector<std::string> show_args;

  auto* init = app.add_subcommand("init", help(M::help_init));
  init->add_option("--origin", o.origin, help(M::help_init_origin))->required();
  init->add_option("--base-url", o.base_url, help(M::help_init_base_url))->required();
  init->add_option("--log-key-out", o.log_key_out, help(M::help_init_log_key_out))->required();

  auto* key = app.add_subcommand("key", help(M::help_key));
  key->require_subcommand(1);
  auto* key_gen = key->add_subcommand("gen", help(M::help_key_gen));
  key_gen->add_option("--name", o.name, help(M::help_key_gen_name))->required();
  key_gen->add_option("--out", o.out, help(M::help_key_gen_out))->required();
  auto* key_add = key->add_subcommand("add", help(M::help_key_add));
  key_add->add_option("--log-key", o.log_key_file, help(M::help_log_key_file))->required();
  key_add->add_option("--pub", o.pub_file, help(M::help_key_add_pub))->required();
  key_add->add_option("--role", o.role, help(M::help_key_add_role))->transform(role_option(help_lang));
  key_add->add_option("--holder", o.holder, help(M::help_key_add_holder));
  auto* key_list = key->add_subcommand("list", help(M::help_key_list));
  key_list->add_flag("--json", o.json, help(M::help_json));
  auto* key_revoke = key->add_subcommand("revoke", help(M::help_key_revoke));
  key_revoke->add_option("--log-key", o.log_key_file, help(M::help_log_key_file))->required();
  key_revoke->add_option("--key-id", o.key_id, help(M::help_key_revoke_key_id))->required();
  key_revoke->add_option("--reason", o.reason, help(M::help_key_revoke_reason))->required();
  auto* key_rotate_log = key->add_subcommand("rotate-log", help(M::help_key_rotate_log));
  key_rotate_log->add_option("--log-key", o.log_key_file, help(M::help_key_rotate_current))->required();
  key_rotate_log->add_option("--new-log-key", o.new_log_key_file, help(M::help_key_rotate_new))->required();
  key_rotate_log->add_option("--reason", o.reason, help(M::help_key_rotate_reason))->required();

  auto* upgrade = app.add_subcommand("upgrade", help(M::help_upgrade));
  upgrade->add_option("--log-key", o.log_key_file, help(M::help_upgrade_log_key))->required();
  upgrade->add_option("--reason", o.reason, help(M::help_upgrade_reason));

  auto* record = app.add_subcommand("record", help(M::help_record));
  record->add_option("--key", o.key_file, help(M::help_key_file))->required();
  record->add_option("--log-key", o.log_key_file, help(M::help_log_key_checkpoint));
  record->add_flag("--continue-on-error", o.continue_on_error, help(M::help_record_continue));
  record->add_flag("--json", o.json, help(M::help_record_json));
  record->add_option("--encoding", o.encoding, help(M::help_encoding));
  record->add_option("FILE", o.input, help(M::help_record_file));

  auto* correct = app.add_subcommand("correct", help(M::help_correct));
  correct->add_option("EVENT-ID", o.target, help(M::help_correct_event_id))->required();
  correct->add_option("--file", o.input, help(M::help_correct_file))->required();
  correct->add_option("--reason", o.reason, help(M::help_correct_reason))->required();
  correct->add_option("--key", o.key_file, help(M::help_correct_key))->required();
  correct->add_option("--log-key", o.log_key_file, help(M::help_log_key_checkpoint));
  correct->add_option("--party", o.party, help(M::help_correct_party));
  correct->add_option("--event-id", o.event_id, help(M::help_correct_own_id));
  correct->add_option("--encoding", o.encoding, help(M::help_encoding));
  correct->add_flag("--json", o.json, help(M::help_correct_json));

  auto* import = app.add_subcommand("import", help(M::help_import));
  import->add_option("--key", o.key_file, help(M::help_key_file))->required();
  import->add_option("--log-key", o.log_key_file, help(M::help_log_key_checkpoint));
  import->add_option("--format", o.format, help(M::help_import_format))->transform(format_option(help_lang));
  import->add_option("--encoding", o.encoding, help(M::help_encoding));
  import->add_option("--tz", o.tz, help(M::help_import_tz))->transform(tz_option(help_lang));
  import->add_option("--type", o.type, help(M::help_import_type));
  import->add_flag("--continue-on-error", o.continue_on_error, help(M::help_import_continue));
  import->add_flag("--allow-high-yield", o.allow_high_yield, help(M::help_import_allow_high_yield));
  import->add_flag("--json", o.json, help(M::help_import_json));
  import->add_option("FILE", o.input, help(M::help_import_file))->required();

  bool columns_csv = false;
  auto* columns = app.add_subcommand("columns", help(M::help_columns));
  columns->add_option("TYPE", o.type, help(M::help_columns_type));
  columns->add_flag("--csv", columns_csv, help(M::help_columns_csv));
  columns->add_flag("--json", o.json, help(M::help_json));

  auto* show = app.add_subcommand("show", help(M::help_show));
  show->add_option("what", show_args, help(M::help_show_what))->required();
  show->add_flag("--json", o.json, help(M::help_json));

  auto* log = app.add_subcommand("log", help(M::help_log));
  log->add_option("--from", o.from, help(M::help_log_from));
  log->add_option("--to", o.to, help(M::help_log_to));
  log->add_option("--tz", o.tz, help(M::help_log_tz))->transform(tz_option(help_lang));
  log->add_option("--lot", o.lot, help(M::help_log_lot));
  log->add_flag("--json", o.json, help(M::help_json));

  auto* verify = app.add_subcommand("verify", help(M::help_verify));
  verify->add_option("--checkpoint", o.checkpoint_file, help(M::help_verify_checkpoint));
  verify->add_flag("--json", o.json, help(M::help_json));

  auto* checkpoint = app.add_subcommand("checkpoint", help(M::help_checkpoint));
  checkpoint->add_option("--log-key", o.log_key_file, help(M::help_checkpoint_log_key))->required();

  auto* proof = app.add_subcommand("proof", help(M::help_proof));
  proof->require_subcommand(1);
  auto* inclusion = proof->add_subcommand("inclusion", help(M::help_proof_inclusion));
  inclusion->add_option("INDEX", o.index, help(M::help_proof_index))->required();
  inclusion->add_option("--size", o.size, help(M::help_proof_size));
  auto* consistency = proof->add_subcommand("consistency", help(M::help_proof_consistency));
  consistency->add_option("OLD", o.old_size, help(M::help_proof_old))->required();
  consistency->add_option("NEW", o.new_size, help(M::help_proof_new))->required();

  std::vector<Command> more = add_regulator_commands(app, help_lang);
  more.push_back(add_backup_command(app, help_lang));

  return agtrace::cli::run_program(app, argc, argv, [&] {
    if (!*init) agtrace::cli::check_log_key_option(o.ledger, o.log_key_file);
    if (*init) return cmd_init(o);
    if (*key_gen) return cmd_key_gen(o);
    if (*key_add) return cmd_key_add(o);
    if (*key_revoke) return cmd_key_revoke(o);
    if (*key_list) return cmd_key_list(o);
    if (*key_rotate_log) return cmd_key_rotate_log(o);
    if (*upgrade) return cmd_upgrade(o);
    if (*record) return cmd_record(o);
    if (*correct) return cmd_correct(o);
    if (*import) return cmd_import(o);
    if (*columns) return cmd_columns(o, columns_csv);
    if (*show) return cmd_show(o, show_args);
    if (*log) return cmd_log(o);
    if (*verify) return cmd_verify(o);
    if (*checkpoint) return cmd_checkpoint(o);
    if (*inclusion) return cmd_proof_inclusion(o);
    if (*consistency) return cmd_proof_consistency(o);
    for (const auto& c : more)
      if (c.subcommand->parsed()) return c.run();
    return 2;
  }, [&]() -> std::optional<agtrace::i18n::Lang> {
    // A language chosen (--lang, a zh_* locale): one. Else what() — English, or 中文 / English for the
    // refusals an operator also meets (refusal.h).
    const auto chosen = agtrace::i18n::choose_lang(agtrace::i18n::parse_lang(o.lang), false);
    if (agtrace::i18n::parse_lang(o.lang) || chosen == agtrace::i18n::Lang::zh) return chosen;
    // An import of a sheet with Chinese headers answers in Chinese (as its rows' refusals do),
    // also when it is refused before the file is read: a key, --log-key, the ledger.
    if (*import && o.input != "-" && (o.format == "csv" || o.input.ends_with(".csv") || o.input.ends_with(".CSV"))) {
      try {
        if (agtrace::csv_headers_chinese(agtrace::cli::read_input(o.input, agtrace::cli::kMaxInputBytes), o.encoding))
          return agtrace::i18n::Lang::zh;
      } catch (const agtrace::Error&) {  // unreadable: the refusal says so in English
      }
    }
    return std::nullopt;
  });
}
