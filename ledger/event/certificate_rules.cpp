// The 承诺达标合格证 append rules (certificate_rules.h).
#include "ledger/event/certificate_rules.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <set>

#include "ledger/event/certificate_lineage.h"
#include "ledger/event/event_facts.h"
#include "ledger/event/received_lot.h"
#include "ledger/event/rules_version.h"
#include "ledger/util/error.h"

namespace agtrace {

namespace {

using json = nlohmann::json;

// The Chinese name of a basis, as printed on the certificate, for messages.
std::string basis_name(const std::string& basis) {
  if (basis == "self_tested") return "自行检测合格 (self_tested)";
  if (basis == "commissioned_test") return "委托检测合格 (commissioned_test)";
  return "质量安全控制符合要求 (quality_control)";
}

std::optional<BaseQuantity> pack_size_of(LedgerState& state, const std::optional<std::string>& product) {
  if (!product) return std::nullopt;
  auto p = state.master("product", *product);
  if (!p || !p->contains("pack_size")) return std::nullopt;
  return to_base((*p)["pack_size"], "pack_size");
}

// `q` in `dim`; throws naming `field` when it cannot be expressed there.
Decimal in_dimension(const BaseQuantity& q, Dimension dim, const std::optional<BaseQuantity>& pack,
                     const std::string& field) {
  auto v = convert(q, dim, pack);
  if (!v)
    throw_bad_input(fmt::format("field {}: cannot compare {} with the lot's {}; use the lot's kind of unit, or "
                                "give the product a pack_size so pieces (H87) convert to weight",
                                field, base_unit_name(q.dimension), base_unit_name(dim)));
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
    throw_bad_input(fmt::format("field lot: lot \"{}\" has no quantity of its own (it is a {} lot); issue the "
                                "certificate for the harvest or packed lot made from it",
                                lot_id, lot ? lot->created_by : std::string("?")));
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
  if (moved.micros > 0 && covered + want + moved > made)
    throw_bad_input(fmt::format(
        "field quantity: 批次「{}」共 {} {}，其中 {} {} 已转入其他批次（包装、分级或合并，由那些批次开具合格证），"
        "剩余 {} {}；已开具的合格证（{}）覆盖 {} {}，再开 {} {} 就超出了 / lot \"{}\" holds {} {}, of which {} {} "
        "went into other lots (packing, grading, merging: their certificates cover it) and its valid certificates "
        "({}) already cover {} {}; {} {} more would exceed what is left — issue for less, or issue it for the lots "
        "made from it",
        lot_id, made.to_string(), base_unit_name(dim), moved.to_string(), base_unit_name(dim),
        (made - moved).to_string(), base_unit_name(dim),
        others.empty() ? std::string("无") : fmt::format("{}", fmt::join(others, ", ")), covered.to_string(),
        base_unit_name(dim), want.to_string(), base_unit_name(dim), lot_id, made.to_string(), base_unit_name(dim),
        moved.to_string(), base_unit_name(dim),
        others.empty() ? std::string("none") : fmt::format("{}", fmt::join(others, ", ")), covered.to_string(),
        base_unit_name(dim), want.to_string(), base_unit_name(dim)));
  if (covered + want > made)
    throw_bad_input(fmt::format(
        "field quantity: lot \"{}\" holds {} {} and its {} certificates ({}) already cover {} {}; {} {} more "
        "would exceed the lot — issue for less, or void a wrong certificate first (certificate_voided)",
        lot_id, made.to_string(), base_unit_name(dim), received ? "received" : "valid",
        others.empty() ? std::string("none") : fmt::format("{}", fmt::join(others, ", ")), covered.to_string(),
        base_unit_name(dim), want.to_string(), base_unit_name(dim)));
}

// No recall and no failed inspection anywhere in the ancestry.
void check_ancestry_clean(const std::string& lot_id, const std::vector<std::string>& ancestry, LedgerState& state) {
  for (const auto& a : ancestry) {
    auto recalls = state.lot_events(a, "recall");
    if (!recalls.empty())
      throw_bad_input(fmt::format(
          "field lot: lot \"{}\"{} was recalled (event {}); a recalled lot gets no 承诺达标合格证", lot_id,
          a == lot_id ? std::string() : fmt::format(" is made from lot \"{}\", which", a), recalls.front().event_id));
    for (const auto& r : state.lot_events(a, "inspection")) {
      json insp = state.event_at(r.entry);
      if (insp.value("result", "") == "fail")
        throw_bad_input(fmt::format(
            "field lot: lot \"{}\"{} failed inspection {} (report {}); a lot with a failed inspection in its "
            "ancestry gets no 承诺达标合格证",
            lot_id, a == lot_id ? std::string() : fmt::format(" is made from lot \"{}\", which", a), r.event_id,
            insp.value("report_no", "?")));
    }
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
  throw_bad_input(fmt::format(
      "field event_time: 批次「{}」于 {} 施用的 {}（安全间隔期 {} 天）要到 {} 才过安全间隔期，此前不能开具承诺达标合格证，"
      "无论依据是检测还是质量控制；请 {} 起再开具 / pesticide application {} on lot \"{}\" ({}, {} days) makes it "
      "safe only from {}, after this certificate's date {}; no 承诺达标合格证 is issued while a pre-harvest interval "
      "is running, whatever the basis (a test may not cover that pesticide) — issue it from {} on",
      p->second, p->first.application_date, p->first.event_id, p->first.pre_harvest_interval_days,
      p->first.safe_date, p->first.safe_date, p->first.event_id, p->second, p->first.application_date,
      p->first.pre_harvest_interval_days, p->first.safe_date, time::local_date(t), p->first.safe_date));
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
    if (!ticked.insert(kind).second)
      throw_bad_input(fmt::format("field {}.basis: {} is ticked twice; tick each basis once", field, basis_name(kind)));
    const json evidence = basis.value("evidence", json::array());
    if (kind == "quality_control" && state.rules_version() < kRulesV4)
      if (auto p = running_interval(t, ancestry, state))
        throw_bad_input(fmt::format(
            "field {}.basis: {} is not met: pesticide application {} on lot \"{}\" ({}, {} days) makes it "
            "safe only from {}, after this certificate's date {}; issue it from {} on, or on another basis",
            field, basis_name(kind), p->first.event_id, p->second, p->first.application_date,
            p->first.pre_harvest_interval_days, p->first.safe_date, time::local_date(t), p->first.safe_date));
    if (kind != "self_tested" && kind != "commissioned_test") continue;
    if (evidence.empty())
      throw_bad_input(fmt::format("field {}.evidence: {} needs the event_id of the passed inspection that supports "
                                  "it; record the inspection first and name it here",
                                  field, basis_name(kind)));
    for (std::size_t i = 0; i < evidence.size(); ++i) {
      const std::string id = evidence[i];
      const std::string where = fmt::format("{}.evidence[{}]", field, i);
      auto found = state.event_entry(id);
      if (!found)
        throw_bad_input(fmt::format("field {}: no event \"{}\" is recorded; name a recorded inspection", where, id));
      if (found->second != "inspection")
        throw_bad_input(fmt::format("field {}: event \"{}\" is a {}, not an inspection; {} is supported by an "
                                    "inspection entry",
                                    where, id, found->second, basis_name(kind)));
      json insp = state.event_at(found->first);
      bool on_ancestry = false;
      for (const auto& l : insp["lots"]) on_ancestry = on_ancestry || lots.count(l.get<std::string>());
      if (!on_ancestry)
        throw_bad_input(fmt::format("field {}: inspection \"{}\" is of lots {}, none of which is lot \"{}\" or a lot "
                                    "it was made from; name an inspection of this lot or its ancestry",
                                    where, id, insp["lots"].dump(), e["lot"].get<std::string>()));
      if (insp["result"] != "pass")
        throw_bad_input(fmt::format("field {}: inspection \"{}\" did not pass", where, id));
      if (time::parse_rfc3339(insp["event_time"].get<std::string>(), "event_time").unix_ms > t.unix_ms)
        throw_bad_input(fmt::format("field {}: inspection \"{}\" ({}) is later than the certificate ({}); a "
                                    "certificate rests on inspections made before it",
                                    where, id, insp["event_time"].get<std::string>(), t.text));
      const std::string by = insp["party"];
      if (kind == "self_tested" && by != issuer)
        throw_bad_input(fmt::format("field {}: inspection \"{}\" was made by party \"{}\", not by the issuer \"{}\"; "
                                    "自行检测合格 rests on the issuer's own test — tick 委托检测合格 (commissioned_test) "
                                    "for another party's laboratory",
                                    where, id, by, issuer));
      if (kind == "commissioned_test") {
        if (by == issuer)
          throw_bad_input(fmt::format("field {}: inspection \"{}\" was made by the issuer \"{}\" itself; tick "
                                      "自行检测合格 (self_tested) for the issuer's own test",
                                      where, id, issuer));
        auto lab = state.master("party", by);
        if (!lab || lab->value("role", "") != "laboratory")
          throw_bad_input(fmt::format("field {}: inspection \"{}\" was made by party \"{}\", whose role is {}, not "
                                      "laboratory; 委托检测合格 rests on a test by a laboratory",
                                      where, id, by, lab ? lab->value("role", "?") : std::string("unknown")));
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

void check_parents(const json& e, const std::vector<std::string>& ancestry, LedgerState& state) {
  const std::string style = e["style"];
  if (style == "producer") {
    if (e.contains("parents"))
      throw_bad_input("field parents: a producer's certificate (style producer, 样式一) names no parent "
                      "certificates; a re-issue after mixing collected lots is style buyer (样式二)");
    return;
  }
  const std::string lot_id = e["lot"];
  if (!e.contains("parents"))
    throw_bad_input(fmt::format("field parents: a buyer's re-issue (style buyer, 样式二) names the certificate "
                                "collected for each input lot of \"{}\"; record paper ones with "
                                "certificate_received first",
                                lot_id));
  const std::set<std::string> lots(ancestry.begin(), ancestry.end());
  std::set<std::string> covered;
  for (std::size_t i = 0; i < e["parents"].size(); ++i) {
    const std::string issuer = e["parents"][i]["issuer"], number = e["parents"][i]["number"];
    const std::string field = fmt::format("parents[{}]", i);
    std::optional<CertificateRecord> c = state.issued_certificate(number);
    if (!c || c->issuer != issuer) c = state.received_certificate(issuer, number);
    if (!c)
      throw_bad_input(fmt::format("field {}: no certificate {} of issuer \"{}\" is in the ledger; record the "
                                  "collected certificate with certificate_received first",
                                  field, number, issuer));
    if (c->voided_entry)
      throw_bad_input(fmt::format("field {}: certificate {} was voided at entry {}; it supports no re-issue", field,
                                  number, *c->voided_entry));
    if (!lots.count(c->lot))
      throw_bad_input(fmt::format("field {}: certificate {} is for lot \"{}\", which is not lot \"{}\" or a lot it "
                                  "was made from",
                                  field, number, c->lot, lot_id));
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
  throw_bad_input(fmt::format(
      "field parents: no certificate is named for input lot \"{}\" of lot \"{}\"; a buyer's re-issue names the "
      "certificate collected for every input lot — record the grower's paper certificate with "
      "certificate_received (or name the certificate issued for it) and add it to parents",
      input, lot_id));
}

void check_shipment(const json& e, LedgerState& state) {
  if (!e.contains("shipment")) return;
  const std::string id = e["shipment"];
  auto found = state.event_entry(id);
  if (!found || found->second != "shipping")
    throw_bad_input(fmt::format("field shipment: \"{}\" is not a recorded shipping event; record the shipment "
                                "first, or leave the field out",
                                id));
  for (const auto& r : state.lot_events(e["lot"], "shipping"))
    if (r.entry == found->first) return;
  throw_bad_input(fmt::format("field shipment: shipping event \"{}\" does not carry lot \"{}\"", id,
                              e["lot"].get<std::string>()));
}

void check_issued(const json& e, const time::Timestamp& t, LedgerState& state) {
  const std::string number = e["number"], lot_id = e["lot"];
  if (auto c = state.issued_certificate(number))
    throw_bad_input(fmt::format("field number: certificate {} was issued at entry {}{}; a number is never reused — "
                                "give this certificate a new number",
                                number, c->entry, c->voided_entry ? " and voided since" : ""));
  if (auto lot = state.lot(lot_id); lot && lot->product && *lot->product != e["product"])
    throw_bad_input(fmt::format("field product: \"{}\" differs from lot \"{}\"'s product \"{}\"; name the lot's "
                                "product",
                                e["product"].get<std::string>(), lot_id, *lot->product));
  const auto ancestry = lot_ancestry(lot_id, state);
  check_ancestry_clean(lot_id, ancestry, state);
  check_no_running_interval(t, ancestry, state);
  check_quantity(e, state, false);
  check_certified_once(e, state);
  check_origin(e, ancestry, state);
  check_bases(e, t, ancestry, state);
  check_quality_control_records(e, ancestry, state);  // version 5, received_lot.h
  check_parents(e, ancestry, state);
  check_shipment(e, state);
}

// Version 4: what a label job needs of its lot (certificate_rules.h).
void check_label_job(const json& e, LedgerState& state) {
  const std::string type = e["type"], lot_id = e["lot"];
  const bool reprint = type == "labels_reprinted";
  const char* verb_zh = reprint ? "补打" : "打印";
  const char* verb_en = reprint ? "reprinted" : "issued";
  const auto ancestry = lot_ancestry(lot_id, state);
  for (const auto& a : ancestry) {
    auto recalls = state.lot_events(a, "recall");
    if (recalls.empty()) continue;
    throw_bad_input(fmt::format(
        "field lot: 批次「{}」{}已召回（事件 {}），不能再{}标签；召回批次的旧标签请作废 / lot \"{}\"{} was "
        "recalled (event {}); no labels are {} for a recalled lot — void its codes instead",
        lot_id, a == lot_id ? std::string() : fmt::format("的来源批次「{}」", a), recalls.front().event_id, verb_zh,
        lot_id, a == lot_id ? std::string() : fmt::format(" is made from lot \"{}\", which", a),
        recalls.front().event_id, verb_en));
  }
  auto lot = state.lot(lot_id);
  if (!lot || !lot->product) return;  // an unknown lot is refused by the label-job rules
  auto product = state.master("product", *lot->product);
  if (product && !product->value("certificate_required", true)) return;
  for (const auto& a : ancestry)
    for (const auto& r : state.lot_events(a, "inspection")) {
      json insp = state.event_at(r.entry);
      if (insp.value("result", "") != "fail") continue;
      throw_bad_input(fmt::format(
          "field lot: 批次「{}」{}检测不合格（报告 {}），承诺达标合格证已失效，不能{}标签 / lot \"{}\"{} failed "
          "inspection {} (report {}), so its 承诺达标合格证 is invalidated (已失效) and no labels are {}",
          lot_id, a == lot_id ? std::string() : fmt::format("的来源批次「{}」", a), insp.value("report_no", "?"),
          verb_zh, lot_id, a == lot_id ? std::string() : fmt::format(" is made from lot \"{}\", which", a),
          r.event_id, insp.value("report_no", "?"), verb_en));
    }
  for (const auto& c : state.lot_certificates(lot_id, false))
    if (!c.voided_entry) return;
  throw_bad_input(fmt::format(
      "field lot: 批次「{}」（产品 {}）没有有效的承诺达标合格证，不能{}标签；请先为该批次开具合格证（导入「开具合格证」"
      "一行，见 docs/certificate.md），不需要合格证的产品请在产品资料中填 certificate_required=false / lot \"{}\" "
      "(product {}) has no valid 承诺达标合格证 (commitment certificate), and from rules version 4 labels are {} "
      "only for a lot that holds one; issue it first (import a 开具合格证 row, docs/certificate.md), or record the "
      "product with certificate_required false if it needs none",
      lot_id, *lot->product, verb_zh, lot_id, *lot->product, verb_en));
}

}  // namespace

std::vector<std::string> lot_ancestry(const std::string& lot, LedgerState& state) {
  std::vector<std::string> out{lot};
  std::set<std::string> seen{lot};
  for (std::size_t i = 0; i < out.size(); ++i)
    for (auto& p : state.parent_lots(out[i]))
      if (seen.insert(p).second) out.push_back(std::move(p));
  return out;
}

void check_certificate_rules(const json& e, const time::Timestamp& t, LedgerState& state) {
  const std::string type = e["type"];
  if (type == "product" && e.contains("certificate_required") && state.rules_version() < kRulesV3)
    throw_bad_input(fmt::format(
        "field certificate_required: this ledger's rules version is {}, which has no 承诺达标合格证; leave the field "
        "out, or move the ledger to rules version {} with `agtrace-ledger upgrade --log-key LOGKEY` "
        "(docs/rules-versions.md)",
        state.rules_version(), kRulesV3));
  for (const char* field : {"operator", "template_sha256"})
    if (e.contains(field) && state.rules_version() < kRulesV4)
      throw_bad_input(fmt::format("field {}: this ledger's rules version is {}, which has no {} in label jobs; leave "
                                  "it out, or move the ledger to rules version {} with `agtrace-ledger upgrade "
                                  "--log-key LOGKEY` (docs/rules-versions.md)",
                                  field, state.rules_version(), field, kRulesV4));
  if ((type == "labels_issued" || type == "labels_reprinted") && state.rules_version() >= kRulesV4)
    return check_label_job(e, state);
  if (!is_certificate_event(type)) return;
  if (state.rules_version() < kRulesV3)
    throw_bad_input(fmt::format(
        "field type: {} needs rules version {}, and this ledger is at version {}; the log key holder moves it "
        "there with `agtrace-ledger upgrade --log-key LOGKEY` (docs/rules-versions.md)",
        type, kRulesV3, state.rules_version()));
  if (type == "certificate_issued") {
    check_issued(e, t, state);
  } else if (type == "certificate_voided") {
    const std::string number = e["number"];
    auto c = state.issued_certificate(number);
    if (!c)
      throw_bad_input(fmt::format("field number: no certificate {} was issued in this ledger; check the number on "
                                  "the certificate",
                                  number));
    if (c->voided_entry)
      throw_bad_input(fmt::format("field number: certificate {} was already voided at entry {}", number,
                                  *c->voided_entry));
  } else {
    const std::string number = e["number"], issuer = e["issuer"];
    if (auto c = state.received_certificate(issuer, number))
      throw_bad_input(fmt::format("field number: certificate {} of issuer \"{}\" was already recorded at entry {}",
                                  number, issuer, c->entry));
    check_received_lot(e, state);  // version 5, received_lot.h
    check_quantity(e, state, true);
  }
}

}  // namespace agtrace
