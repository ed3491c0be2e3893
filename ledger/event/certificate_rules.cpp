// The 承诺达标合格证 append rules (certificate_rules.h).
#include "ledger/event/certificate_rules.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cstdint>
#include <limits>
#include <set>

#include "ledger/event/certificate_lineage.h"
#include "ledger/event/event_facts.h"
#include "ledger/event/interval_breach.h"
#include "ledger/event/received_lot.h"
#include "ledger/event/rule_words.h"
#include "ledger/event/rules.h"
#include "ledger/event/rules_version.h"
#include "ledger/i18n/refusal.h"
#include "ledger/util/error.h"

namespace agtrace {

namespace {

using json = nlohmann::json;

// `q` in `dim`; throws naming `field` when it cannot be expressed there.
Decimal in_dimension(const BaseQuantity& q, Dimension dim, const std::optional<BaseQuantity>& pack,
                     const std::string& field) {
  auto v = convert(q, dim, pack);
  if (!v) i18n::refuse(field, i18n::Msg::cert_units_incomparable, unit_words(q.dimension), unit_words(dim));
  return *v;
}

// A lot's certificates of one kind (voided ones not counted) plus `adding` stay within the
// lot's stated quantity.
void check_quantity(const json& e, LedgerState& state, bool received) {
  const std::string lot_id = e["lot"];
  auto lot = state.lot(lot_id);
  auto produced = state.produced(lot_id);
  if (produced.empty()) {
    if (received) return;  // a partner's lot with no stated quantity: nothing to compare with
    i18n::refuse("lot", i18n::Msg::cert_lot_no_quantity, lot_id, type_words(lot ? lot->created_by : "?"));
  }
  const Dimension dim = produced.front().dimension;
  const auto pack = pack_size_of(state, lot ? lot->product : std::nullopt);
  Decimal made, covered;
  for (const auto& q : produced) made = made + in_dimension(q, dim, pack, "lot");
  // Version 4: what went into other lots (packing, grading, a merge) has left this lot; their
  // own certificates cover it, so it is certified once.
  Decimal moved;
  if (!received && state.rules_version() >= kRulesV4)
    for (const auto& q : state.consumed(lot_id)) moved = moved + in_dimension(q, dim, pack, "lot");
  std::vector<std::string> others;
  for (const auto& c : state.lot_certificates(lot_id, received)) {
    if (c.voided_entry) continue;
    covered = covered + in_dimension(c.quantity, dim, pack, "quantity");
    others.push_back(c.number);
  }
  const Decimal want = in_dimension(to_base(e["quantity"], "quantity"), dim, pack, "quantity");
  const bool moved_out = moved.micros > 0 && covered + want + moved > made;
  if (!moved_out && covered + want <= made) return;
  // What covers the lot already: "有效的合格证（A、B）已覆盖 40 公斤", or that nothing does yet.
  const i18n::Words unit = unit_words(dim), list = plain_list(others);
  const i18n::Words kind = received ? i18n::Words{"已收取的", "received"} : i18n::Words{"有效的", "valid"};
  const i18n::Words covering =
      others.empty() ? i18n::Words{fmt::format("尚无{}合格证", kind.zh),
                                   fmt::format("no {} certificate covers any of it yet", kind.en)}
                     : i18n::Words{fmt::format("{}合格证（{}）{}覆盖 {} {}", moved_out ? "已开具的" : kind.zh, list.zh,
                                               moved_out ? "" : "已", covered.to_string(), unit.zh),
                                   fmt::format("its {} certificates ({}) already cover {} {}", kind.en, list.en,
                                               covered.to_string(), unit.en)};
  if (moved_out)
    i18n::refuse_zh_en("quantity", i18n::Msg::cert_quantity_moved, lot_id, made.to_string(), unit, moved.to_string(),
                       (made - moved).to_string(), covering, want.to_string());
  i18n::refuse("quantity", i18n::Msg::cert_quantity_over, lot_id, made.to_string(), unit, covering, want.to_string());
}

}  // namespace

i18n::Words made_from(const std::string& lot, const std::string& ancestor) {
  if (ancestor == lot) return {};
  return {fmt::format("的来源批次「{}」", ancestor), fmt::format(" is made from lot \"{}\", which", ancestor)};
}

namespace {

// No recall and no failed inspection anywhere in the ancestry.
void check_ancestry_clean(const std::string& lot_id, const std::vector<std::string>& ancestry, LedgerState& state) {
  for (const auto& a : ancestry) {
    auto recalls = state.lot_events(a, "recall");
    if (!recalls.empty())
      i18n::refuse("lot", i18n::Msg::cert_lot_recalled, lot_id, made_from(lot_id, a), recalls.front().event_id);
    for (const auto& r : state.lot_events(a, "inspection")) {
      json insp = state.event_at(r.entry);
      if (insp.value("result", "") == "fail")
        i18n::refuse("lot", i18n::Msg::cert_lot_failed, lot_id, made_from(lot_id, a), r.event_id,
                     insp.value("report_no", "?"));
    }
  }
}

// Version 8: no 质量安全控制符合要求 over a harvest of the ancestry inside a pre-harvest interval
// (a spray recorded late, interval_breach.h) — the breach version 7 kept out of the ledger by
// refusing the spray. Checked beside the failed inspection, before the quantities: the same
// certificate on a test basis is judged on its own.
void check_no_breach(const json& e, const std::vector<std::string>& ancestry, LedgerState& state,
                     const RuleOptions& options) {
  if (state.rules_version() < kRulesV8) return;
  for (std::size_t i = 0; i < e["bases"].size(); ++i) {
    if (e["bases"][i]["basis"] != "quality_control") continue;
    for (const auto& b : interval_breaches(ancestry, state))
      i18n::refuse_zh_en(fmt::format("bases[{}].basis", i), i18n::Msg::cert_basis_breach,
                         basis_words("quality_control"), b.harvest_lot, b.harvest_date, b.harvest_event_id,
                         b.application.event_id, entry_words(b.application_entry, options),
                         b.application.application_date, b.application.pre_harvest_interval_days,
                         b.application.safe_date);
  }
}

// A pesticide application on a harvested or later lot of the ancestry whose pre-harvest
// interval is still running at `t` (a planting lot's applications are judged at harvest, by
// rules.cpp), with the lot it was applied to; nullopt when none.
std::optional<std::pair<PesticideRecord, std::string>> running_interval(const time::Timestamp& t,
                                                                        const std::vector<std::string>& ancestry,
                                                                        LedgerState& state) {
  const std::string date = time::local_date(t);
  for (const auto& a : ancestry) {
    auto lot = state.lot(a);
    if (!lot || lot->created_by == "planting") continue;
    for (auto& p : state.pesticide_applications(a))
      if (time::compare_dates(p.application_date, date) <= 0 && time::compare_dates(date, p.safe_date) < 0)
        return std::pair{std::move(p), a};
  }
  return std::nullopt;
}

// Version 4: no certificate, whatever its basis, while a pre-harvest interval is running — a
// test may not cover the pesticide applied (a quick test of organophosphates says nothing of
// 咪鲜胺).
void check_no_running_interval(const time::Timestamp& t, const std::vector<std::string>& ancestry,
                               LedgerState& state) {
  if (state.rules_version() < kRulesV4) return;
  auto p = running_interval(t, ancestry, state);
  if (!p) return;
  i18n::refuse_zh_en("event_time", i18n::Msg::cert_interval_running, p->second, p->first.application_date,
                     p->first.event_id, p->first.pre_harvest_interval_days, p->first.safe_date, time::local_date(t));
}

// Each basis has the evidence it needs.
void check_bases(const json& e, const time::Timestamp& t, const std::vector<std::string>& ancestry,
                 LedgerState& state) {
  const std::string issuer = e["issuer"];
  const std::set<std::string> lots(ancestry.begin(), ancestry.end());
  std::set<std::string> ticked;
  for (std::size_t b = 0; b < e["bases"].size(); ++b) {
    const json& basis = e["bases"][b];
    const std::string kind = basis["basis"];
    const std::string field = fmt::format("bases[{}]", b);
    if (!ticked.insert(kind).second) i18n::refuse(field + ".basis", i18n::Msg::cert_basis_twice, basis_words(kind));
    const json evidence = basis.value("evidence", json::array());
    if (kind == "quality_control" && state.rules_version() < kRulesV4)
      if (auto p = running_interval(t, ancestry, state))
        i18n::refuse(field + ".basis", i18n::Msg::cert_basis_interval, basis_words(kind), p->first.event_id, p->second,
                     p->first.application_date, p->first.pre_harvest_interval_days, p->first.safe_date,
                     time::local_date(t));
    if (kind != "self_tested" && kind != "commissioned_test") continue;
    if (evidence.empty()) i18n::refuse(field + ".evidence", i18n::Msg::cert_no_evidence, basis_words(kind));
    for (std::size_t i = 0; i < evidence.size(); ++i) {
      const std::string id = evidence[i];
      const std::string where = fmt::format("{}.evidence[{}]", field, i);
      auto found = state.event_entry(id);
      if (!found) i18n::refuse(where, i18n::Msg::cert_evidence_unknown, id);
      if (found->second != "inspection")
        i18n::refuse(where, i18n::Msg::cert_evidence_not_inspection, id, type_words(found->second), basis_words(kind));
      json insp = state.event_at(found->first);
      bool on_ancestry = false;
      for (const auto& l : insp["lots"]) on_ancestry = on_ancestry || lots.count(l.get<std::string>());
      if (!on_ancestry)
        i18n::refuse(where, i18n::Msg::cert_evidence_other_lots, id,
                     quoted_list(insp["lots"].get<std::vector<std::string>>()), e["lot"].get<std::string>());
      if (insp["result"] != "pass") i18n::refuse(where, i18n::Msg::cert_evidence_failed, id);
      if (time::parse_rfc3339(insp["event_time"].get<std::string>(), "event_time").unix_ms > t.unix_ms)
        i18n::refuse(where, i18n::Msg::cert_evidence_later, id, insp["event_time"].get<std::string>(), t.text);
      const std::string by = insp["party"];
      if (kind == "self_tested" && by != issuer) i18n::refuse(where, i18n::Msg::cert_self_tested_other, id, by, issuer);
      if (kind == "commissioned_test") {
        if (by == issuer) i18n::refuse(where, i18n::Msg::cert_commissioned_self, id, issuer);
        auto lab = state.master("party", by);
        if (!lab || lab->value("role", "") != "laboratory")
          i18n::refuse(where, i18n::Msg::cert_commissioned_not_lab, id, by,
                       lab ? i18n::Words{lab->value("role", "?"), lab->value("role", "?")}
                           : i18n::Words{"未知", "unknown"});
      }
    }
  }
}

// The first path up the ancestry from `lot` (itself first) that meets no lot in `covered`,
// or an empty vector when every path meets one.
std::vector<std::string> uncovered_path(const std::string& lot, const std::set<std::string>& covered,
                                        LedgerState& state, std::set<std::string>& done) {
  if (covered.count(lot) || done.count(lot)) return {};
  auto parents = state.parent_lots(lot);
  if (parents.empty()) return {lot};
  for (const auto& p : parents) {
    auto path = uncovered_path(p, covered, state, done);
    if (!path.empty()) {
      path.insert(path.begin(), lot);
      return path;
    }
  }
  done.insert(lot);
  return {};
}

void check_parents(const json& e, const std::vector<std::string>& ancestry, LedgerState& state,
                   const RuleOptions& options) {
  const std::string style = e["style"];
  if (style == "producer") {
    if (e.contains("parents")) i18n::refuse("parents", i18n::Msg::cert_producer_parents);
    return;
  }
  const std::string lot_id = e["lot"];
  if (!e.contains("parents")) i18n::refuse("parents", i18n::Msg::cert_buyer_no_parents, lot_id);
  const std::set<std::string> lots(ancestry.begin(), ancestry.end());
  std::set<std::string> covered;
  for (std::size_t i = 0; i < e["parents"].size(); ++i) {
    const std::string issuer = e["parents"][i]["issuer"], number = e["parents"][i]["number"];
    const std::string field = fmt::format("parents[{}]", i);
    const std::optional<CertificateRecord> c =
        parent_certificate(state, issuer, number, std::numeric_limits<std::uint64_t>::max());
    if (!c) i18n::refuse(field, i18n::Msg::cert_parent_unknown, number, issuer);
    if (c->voided_entry)
      i18n::refuse(field, i18n::Msg::cert_parent_voided, number, entry_words(*c->voided_entry, options));
    if (!lots.count(c->lot)) i18n::refuse(field, i18n::Msg::cert_parent_other_lot, number, c->lot, lot_id);
    covered.insert(c->lot);
  }
  std::set<std::string> done;
  auto path = uncovered_path(lot_id, covered, state, done);
  if (path.empty()) return;
  // Name the input as the buyer knows it: the lot nearest the root of that path that is not a
  // planting (no certificate is issued for a field still growing).
  std::string input = path.back();
  for (auto it = path.rbegin(); it != path.rend(); ++it) {
    auto l = state.lot(*it);
    if (l && l->created_by != "planting") {
      input = *it;
      break;
    }
  }
  i18n::refuse("parents", i18n::Msg::cert_parent_missing, input, lot_id);
}

void check_shipment(const json& e, LedgerState& state) {
  if (!e.contains("shipment")) return;
  const std::string id = e["shipment"];
  auto found = state.event_entry(id);
  if (!found || found->second != "shipping") i18n::refuse("shipment", i18n::Msg::cert_shipment_unknown, id);
  for (const auto& r : state.lot_events(e["lot"], "shipping"))
    if (r.entry == found->first) return;
  i18n::refuse("shipment", i18n::Msg::cert_shipment_other_lot, id, e["lot"].get<std::string>());
}

// Version 7: no number that equals an earlier certificate's (issued or received) when letter
// case is ignored but not as written: SDD26-H01 and sdd26-h01 look like one certificate on paper
// and in /c/NUMBER. (An equal number is judged by the rules of each kind, as before.)
void check_number_case(const json& e, LedgerState& state, const RuleOptions& options) {
  if (state.rules_version() < kRulesV7) return;
  const std::string number = e["number"], issuer = e["issuer"];
  for (const auto& c : state.certificates_ignoring_case(number)) {
    if (c.number == number) continue;
    // trust14g — version 8: a paper number is its issuer's own; another issuer's paper may carry
    // it in any letter case, as it may carry it exactly (docs/certificate.md "Certificate numbers").
    if (state.rules_version() >= kRulesV8 && c.received && c.issuer != issuer) continue;
    const i18n::Words what = c.received ? i18n::Words{fmt::format("「{}」的纸质合格证（已收取）", c.issuer),
                                                      fmt::format("the collected paper certificate of \"{}\"", c.issuer)}
                                        : i18n::Words{"已开具的合格证", "the issued certificate"};
    i18n::refuse_zh_en("number", i18n::Msg::cert_number_case, number, c.number, what, entry_words(c.entry, options));
  }
}

// Version 7: a certificate_received is a paper certificate from outside this ledger. Its number
// is none issued here (letter case ignored), and its issuer is no party that issues here: such a
// party's certificates are all in the ledger, so a paper one not found there is not genuine
// (docs/certificate.md "Paper certificates of an issuer in this ledger").
void check_received_from_outside(const json& e, LedgerState& state, const RuleOptions& options) {
  if (state.rules_version() < kRulesV7) return;
  const std::string number = e["number"], issuer = e["issuer"];
  for (const auto& c : state.certificates_ignoring_case(number))
    if (!c.received)
      i18n::refuse_zh_en("number", i18n::Msg::received_issued_here, number, c.number, c.issuer,
                         entry_words(c.entry, options));
  if (auto first = state.first_issued_by(issuer))
    i18n::refuse_zh_en("number", i18n::Msg::received_issuer_issues_here, issuer, number, first->number,
                       entry_words(first->entry, options));
}

// Version 7: an issuer does not issue under a number a buyer recorded first as its paper
// certificate (letter case ignored): the paper and the ledger's certificate would be one number,
// and a re-issue naming it could not tell them apart.
void check_not_received_first(const json& e, LedgerState& state, const RuleOptions& options) {
  if (state.rules_version() < kRulesV7) return;
  const std::string number = e["number"], issuer = e["issuer"];
  for (const auto& c : state.certificates_ignoring_case(number))
    if (c.received && c.issuer == issuer)
      i18n::refuse_zh_en("number", i18n::Msg::cert_number_received_first, number, issuer, c.number,
                         entry_words(c.entry, options), state.event_at(c.entry).value("party", "?"));
}

// trust14g — version 8: a certificate covers some produce (a certificate of 0 kg would show as
// valid and let labels print); and a buyer does not collect a paper certificate from itself.
void check_v8_certificate(const json& e, LedgerState& state) {
  if (state.rules_version() < kRulesV8) return;
  if (to_base(e["quantity"], "quantity").amount.micros <= 0)
    i18n::refuse_zh_en("quantity", i18n::Msg::cert_quantity_zero, e["number"].get<std::string>());
  if (e["type"] == "certificate_received" && e["party"] == e["issuer"])
    i18n::refuse_zh_en("issuer", i18n::Msg::received_from_itself, e["number"].get<std::string>(),
                       e["party"].get<std::string>());
}

void check_issued(const json& e, const time::Timestamp& t, LedgerState& state, const RuleOptions& options) {
  const std::string number = e["number"], lot_id = e["lot"];
  if (auto c = state.issued_certificate(number))
    i18n::refuse("number", i18n::Msg::cert_number_reused, number, entry_words(c->entry, options),
                 c->voided_entry ? i18n::Words{"，之后已作废", " and voided since"} : i18n::Words{});
  check_not_received_first(e, state, options);
  check_number_case(e, state, options);
  check_v8_certificate(e, state);
  if (auto lot = state.lot(lot_id); lot && lot->product && *lot->product != e["product"])
    i18n::refuse("product", i18n::Msg::cert_product_differs, e["product"].get<std::string>(), lot_id, *lot->product);
  const auto ancestry = lot_ancestry(lot_id, state);
  check_ancestry_clean(lot_id, ancestry, state);
  check_no_breach(e, ancestry, state, options);  // version 8
  check_no_running_interval(t, ancestry, state);
  check_quantity(e, state, false);
  check_certified_once(e, state);
  check_origin(e, ancestry, state);
  check_bases(e, t, ancestry, state);
  check_quality_control_records(e, ancestry, state, options);  // versions 5 and 6, received_lot.h
  check_tests_cover_external(e, ancestry, state);     // version 6, received_lot.h
  check_parents(e, ancestry, state, options);
  check_shipment(e, state);
}

// Version 4: what a label job needs of its lot (certificate_rules.h).
void check_label_job(const json& e, LedgerState& state, const RuleOptions& options) {
  const std::string type = e["type"], lot_id = e["lot"];
  const bool reprint = type == "labels_reprinted";
  const i18n::Words verb = reprint ? i18n::Words{"补打", "reprinted"} : i18n::Words{"打印", "issued"};
  const auto ancestry = lot_ancestry(lot_id, state);
  for (const auto& a : ancestry) {
    auto recalls = state.lot_events(a, "recall");
    if (recalls.empty()) continue;
    i18n::refuse_zh_en("lot", i18n::Msg::label_lot_recalled, lot_id, made_from(lot_id, a), recalls.front().event_id,
                       verb);
  }
  auto lot = state.lot(lot_id);
  if (!lot || !lot->product) return;  // an unknown lot is refused by the label-job rules
  auto product = state.master("product", *lot->product);
  if (product && !product->value("certificate_required", true)) return;
  for (const auto& a : ancestry)
    for (const auto& r : state.lot_events(a, "inspection")) {
      json insp = state.event_at(r.entry);
      if (insp.value("result", "") != "fail") continue;
      i18n::refuse_zh_en("lot", i18n::Msg::label_lot_failed, lot_id, made_from(lot_id, a), r.event_id,
                         insp.value("report_no", "?"), verb);
    }
  // Version 8: a certificate ticking 质量安全控制符合要求 over a harvest inside a pre-harvest
  // interval (a spray recorded late) is 已失效, as after a failed inspection.
  const auto breaches = state.rules_version() >= kRulesV8 ? interval_breaches(ancestry, state)
                                                          : std::vector<IntervalBreach>{};
  std::optional<CertificateRecord> breached;
  for (const auto& c : state.lot_certificates(lot_id, false)) {
    if (c.voided_entry) continue;
    if (breaches.empty() || !ticks_quality_control(state.event_at(c.entry))) return;
    if (!breached) breached = c;
  }
  if (breached) {
    const auto& b = breaches.front();
    i18n::refuse_zh_en("lot", i18n::Msg::label_certificate_breach, lot_id, breached->number, b.harvest_lot,
                       b.harvest_date, b.application.event_id, entry_words(b.application_entry, options), verb);
  }
  i18n::refuse_zh_en("lot", i18n::Msg::label_no_certificate, lot_id, *lot->product, verb);
}

}  // namespace

std::optional<CertificateRecord> parent_certificate(LedgerState& state, const std::string& issuer,
                                                    const std::string& number, std::uint64_t before) {
  if (auto c = state.issued_certificate(number); c && c->issuer == issuer && c->entry < before) return c;
  if (auto c = state.received_certificate(issuer, number); c && c->entry < before) return c;
  return std::nullopt;
}

std::vector<std::string> lot_ancestry(const std::string& lot, LedgerState& state) {
  std::vector<std::string> out{lot};
  std::set<std::string> seen{lot};
  for (std::size_t i = 0; i < out.size(); ++i)
    for (auto& p : state.parent_lots(out[i]))
      if (seen.insert(p).second) out.push_back(std::move(p));
  return out;
}

void check_certificate_rules(const json& e, const time::Timestamp& t, LedgerState& state, const RuleOptions& options) {
  const std::string type = e["type"];
  if (type == "product" && e.contains("certificate_required") && state.rules_version() < kRulesV3)
    i18n::refuse("certificate_required", i18n::Msg::cert_required_needs_version, state.rules_version(), kRulesV3);
  for (const char* field : {"operator", "template_sha256"})
    if (e.contains(field) && state.rules_version() < kRulesV4)
      i18n::refuse(field, i18n::Msg::label_field_needs_version, state.rules_version(), field, kRulesV4);
  if ((type == "labels_issued" || type == "labels_reprinted") && state.rules_version() >= kRulesV4)
    return check_label_job(e, state, options);
  if (!is_certificate_event(type)) return;
  if (state.rules_version() < kRulesV3)
    i18n::refuse("type", i18n::Msg::cert_type_needs_version, type_words(type), kRulesV3, state.rules_version());
  if (type == "certificate_issued") {
    check_issued(e, t, state, options);
  } else if (type == "certificate_voided") {
    const std::string number = e["number"];
    auto c = state.issued_certificate(number);
    if (!c) {
      // A number typed in the wrong letter case: name the one issued (as the labeler does).
      for (const auto& near : state.certificates_ignoring_case(number))
        if (!near.received)
          i18n::refuse("number", i18n::Msg::cert_void_unknown_case, number, near.number, near.issuer);
      i18n::refuse("number", i18n::Msg::cert_void_unknown, number);
    }
    if (c->voided_entry)
      i18n::refuse("number", i18n::Msg::cert_void_twice, number, entry_words(*c->voided_entry, options));
  } else {
    const std::string number = e["number"], issuer = e["issuer"];
    if (auto c = state.received_certificate(issuer, number))
      i18n::refuse("number", i18n::Msg::cert_received_twice, number, issuer, entry_words(c->entry, options));
    check_received_from_outside(e, state, options);  // version 7
    check_number_case(e, state, options);  // version 7
    check_v8_certificate(e, state);  // version 8
    check_received_paper(e, t, state);  // version 6, received_lot.h
    check_received_lot(e, state, options);  // version 5, received_lot.h
    check_quantity(e, state, true);
  }
}

}  // namespace agtrace
