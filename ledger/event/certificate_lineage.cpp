// The certificate rules along the lineage (certificate_lineage.h).
#include "ledger/event/certificate_lineage.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <limits>
#include <map>
#include <set>

#include "ledger/event/rule_words.h"
#include "ledger/event/rules_version.h"
#include "ledger/i18n/refusal.h"
#include "ledger/util/error.h"

namespace agtrace {

namespace {

using json = nlohmann::json;

// a × b / c, rounded up (a share counts whole millionths, never less than it is). Saturates
// instead of overflowing.
Decimal scale_up(Decimal a, Decimal b, Decimal c) {
  if (c.micros <= 0 || a.micros <= 0 || b.micros <= 0) return {};
  constexpr Int128 kMax = std::numeric_limits<Int128>::max() / 4;
  if (a.micros > kMax / b.micros) return {kMax};
  const Int128 p = a.micros * b.micros;
  return {(p + c.micros - 1) / c.micros};
}

// A lot's stock of produce as the certified-stock model of certificate_lineage.h follows it,
// in the lot's own kind of unit (that of what made it).
struct Stock {
  bool known = false;  // the lot has a stated quantity (something made it)
  Dimension dim = Dimension::mass;
  Decimal made, uncertified, certified;
  std::map<std::uint64_t, Decimal> taken_at, certified_out_at;  // by entry
  std::set<std::string> numbers;  // the certificates whose produce is (or was) in it
  // Rules version 7, only when CertifiedStock counts collected (paper) certificates: the part of
  // `certified` that a paper covers, by entry what left of it, the papers (issuer, number) whose
  // produce is (or was) in it, and the buyers who collected them (what a buyer takes out of the
  // lot is the produce it bought, so it leaves the paper-covered part first).
  Decimal paper;
  std::map<std::uint64_t, Decimal> paper_out_at;
  std::set<std::pair<std::string, std::string>> papers;
  std::set<std::string> paper_buyers;
  std::optional<OverCertified> over;  // the first certificate that covered more than was uncovered
};

class CertifiedStock {
 public:
  // `with_paper`: count collected certificates (certificate_received) as covering their lot's
  // stock too (rules version 7); otherwise only certificates issued in this ledger count.
  explicit CertifiedStock(LedgerState& state, bool with_paper = false) : state_(state), with_paper_(with_paper) {}

  // The lot's stock after every entry so far.
  const Stock& of(const std::string& lot_id) {
    if (auto it = stocks_.find(lot_id); it != stocks_.end()) return it->second;
    Stock s;
    const auto pack = pack_of(lot_id);
    struct Step {
      std::uint64_t entry;
      int kind;  // 0 made, 1 certificate, 2 taken (one entry is one of them for a lot)
      Decimal amount;
      std::string number;
      std::string paper_issuer;  // a collected certificate's issuer; empty for one issued here
      std::string paper_buyer;   // the party that collected it
    };
    std::vector<Step> steps;
    const auto flows = state_.lot_flows(lot_id);
    for (const auto& f : flows)
      if (f.made) {
        s.known = true;
        s.dim = f.quantity.dimension;
        break;
      }
    for (const auto& f : flows)
      if (auto v = convert(f.quantity, s.dim, pack)) steps.push_back({f.entry, f.made ? 0 : 2, *v, {}, {}, {}});
    for (const auto& c : state_.lot_certificates(lot_id, false))
      if (!c.voided_entry)
        if (auto v = convert(c.quantity, s.dim, pack)) steps.push_back({c.entry, 1, *v, c.number, {}, {}});
    if (with_paper_)
      for (const auto& c : state_.lot_certificates(lot_id, true))
        if (auto v = convert(c.quantity, s.dim, pack))
          steps.push_back({c.entry, 1, *v, c.number, c.issuer, state_.event_at(c.entry).value("party", "")});
    std::stable_sort(steps.begin(), steps.end(), [](const Step& a, const Step& b) { return a.entry < b.entry; });
    for (const auto& step : steps) {
      if (step.kind == 0) {
        s.made = s.made + step.amount;
        const auto [arrived, arrived_paper] = certified_arriving(lot_id, step.entry, step.amount, s);
        s.certified = s.certified + arrived;
        s.paper = s.paper + arrived_paper;
        s.uncertified = s.uncertified + (step.amount - arrived);
      } else if (step.kind == 1) {
        if (step.amount > s.uncertified && !s.over)
          s.over = OverCertified{step.number, step.amount - s.uncertified, s.dim};
        const Decimal covered = std::min(step.amount, s.uncertified);
        s.uncertified = s.uncertified - covered;
        s.certified = s.certified + covered;
        s.numbers.insert(step.number);
        if (!step.paper_issuer.empty()) {
          s.paper = s.paper + covered;
          s.papers.emplace(step.paper_issuer, step.number);
          s.paper_buyers.insert(step.paper_buyer);
        }
      } else {
        // The paper's buyer takes the produce it bought (the paper-covered part) first; anything
        // else leaves uncertified first, then certified, of which the paper-covered part last.
        Decimal from_paper;
        if (s.paper.micros > 0 && s.paper_buyers.count(state_.event_at(step.entry).value("party", "")))
          from_paper = std::min(step.amount, s.paper);
        const Decimal rest = step.amount - from_paper;
        const Decimal from_uncertified = std::min(rest, s.uncertified);
        const Decimal from_certified = std::min(rest - from_uncertified, s.certified - from_paper);
        const Decimal not_paper = s.certified - s.paper;
        const Decimal more_paper = from_certified > not_paper ? from_certified - not_paper : Decimal{};
        s.uncertified = s.uncertified - from_uncertified;
        s.certified = s.certified - from_paper - from_certified;
        s.paper = s.paper - from_paper - more_paper;
        s.taken_at[step.entry] = s.taken_at[step.entry] + step.amount;
        s.certified_out_at[step.entry] = s.certified_out_at[step.entry] + from_paper + from_certified;
        s.paper_out_at[step.entry] = s.paper_out_at[step.entry] + from_paper + more_paper;
      }
    }
    return stocks_.emplace(lot_id, std::move(s)).first->second;
  }

  // The pack size of the lot's product (pieces to weight), if its record gives one.
  std::optional<BaseQuantity> pack_of(const std::string& lot_id) {
    auto lot = state_.lot(lot_id);
    return pack_size_of(state_, lot ? lot->product : std::nullopt);
  }

 private:
  LedgerState& state_;
  bool with_paper_ = false;
  std::map<std::string, Stock> stocks_;

  // Of `made` put into `lot_id` at `entry`, the part that arrived certified, and of that the part
  // a paper covers: the certified (paper-covered) share of what the entry took from the lot's
  // parents. Their certificates go to `into`'s numbers, their papers and buyers with the
  // paper-covered produce.
  std::pair<Decimal, Decimal> certified_arriving(const std::string& lot_id, std::uint64_t entry, Decimal made,
                                                 Stock& into) {
    Decimal taken, certified, paper;
    std::optional<Dimension> dim;
    bool one_unit = true;
    Decimal largest_num, largest_den;  // the largest share, when the inputs' units differ
    std::set<std::string> seen;
    for (const auto& link : state_.parent_edges(lot_id)) {
      if (link.entry != entry || !seen.insert(link.lot).second) continue;
      const Stock& p = of(link.lot);
      auto t = p.taken_at.find(entry);
      if (t == p.taken_at.end() || t->second.micros == 0) continue;
      const Decimal c = p.certified_out_at.at(entry);
      if (c.micros > 0) into.numbers.insert(p.numbers.begin(), p.numbers.end());
      if (auto po = p.paper_out_at.find(entry); po != p.paper_out_at.end() && po->second.micros > 0) {
        paper = paper + po->second;
        into.papers.insert(p.papers.begin(), p.papers.end());
        into.paper_buyers.insert(p.paper_buyers.begin(), p.paper_buyers.end());
      }
      if (dim && *dim != p.dim) one_unit = false;
      dim = p.dim;
      taken = taken + t->second;
      certified = certified + c;
      // c / taken > largest_num / largest_den (compared in floating point: only which is larger matters)
      if (largest_den.micros == 0 || static_cast<long double>(c.micros) * static_cast<long double>(largest_den.micros) >
                                         static_cast<long double>(largest_num.micros) *
                                             static_cast<long double>(t->second.micros)) {
        largest_num = c;
        largest_den = t->second;
      }
    }
    if (taken.micros == 0 || certified.micros == 0) return {};
    const Decimal arrived =
        std::min(one_unit ? scale_up(made, certified, taken) : scale_up(made, largest_num, largest_den), made);
    // The paper-covered share (units that differ: all that arrived certified, which counts more).
    const Decimal arrived_paper =
        paper.micros == 0 ? Decimal{} : std::min(one_unit ? scale_up(made, paper, taken) : arrived, arrived);
    return {arrived, arrived_paper};
  }
};

}  // namespace

namespace {

// The certificates a buyer's re-issue (样式二) of `lot` lists, as ISSUER*NUMBER, in the order
// met: the collected certificates of the lot itself, then up each path of its ancestry the
// certificates (issued and not voided, or collected) of the first lot that has any — what
// check_parents asks a 样式二 to name.
std::vector<std::string> parents_to_list(const std::string& lot, LedgerState& state) {
  std::vector<std::string> out;
  auto add = [&out](const CertificateRecord& c) {
    std::string p = c.issuer + "*" + c.number;
    if (std::find(out.begin(), out.end(), p) == out.end()) out.push_back(std::move(p));
  };
  for (const auto& c : state.lot_certificates(lot, true)) add(c);
  std::set<std::string> seen{lot};
  std::vector<std::string> todo = state.parent_lots(lot);
  for (std::size_t i = 0; i < todo.size(); ++i) {
    const std::string at = todo[i];
    if (!seen.insert(at).second) continue;
    bool covered = false;
    for (const auto& c : state.lot_certificates(at, false))
      if (!c.voided_entry) {
        add(c);
        covered = true;
      }
    for (const auto& c : state.lot_certificates(at, true)) {
      add(c);
      covered = true;
    }
    if (!covered)
      for (auto& p : state.parent_lots(at)) todo.push_back(std::move(p));
  }
  return out;
}

// Version 7: a producer's certificate (样式一) of a lot holding produce collected with another
// issuer's paper certificate is refused naming `style`, with the parents a 样式二 lists
// (docs/certificate.md "Paper certificates cover their produce").
void check_not_over_paper(const json& e, const Stock& stock, LedgerState& state) {
  const std::string issuer = e["issuer"], lot_id = e["lot"];
  std::vector<std::pair<std::string, std::string>> foreign;
  for (const auto& p : stock.papers)
    if (p.first != issuer) foreign.push_back(p);
  if (foreign.empty() || stock.paper.micros <= 0) return;
  std::vector<std::string> zh, en;
  for (const auto& [by, number] : foreign) {
    zh.push_back(fmt::format("「{}」的纸质合格证 {}", by, number));
    en.push_back(fmt::format("the paper certificate {} of \"{}\"", number, by));
  }
  i18n::refuse_zh_en("style", i18n::Msg::cert_producer_over_paper, lot_id,
                     i18n::Words{fmt::format("{}", fmt::join(zh, "、")), fmt::format("{}", fmt::join(en, ", "))},
                     fmt::format("{}", fmt::join(parents_to_list(lot_id, state), ";")));
}

}  // namespace

void check_certified_once(const json& e, LedgerState& state) {
  if (state.rules_version() < kRulesV5 || e["style"] != "producer") return;
  const std::string lot_id = e["lot"];
  const bool with_paper = state.rules_version() >= kRulesV7;
  CertifiedStock stocks(state, with_paper);
  const Stock& stock = stocks.of(lot_id);
  if (!stock.known) return;  // check_quantity refuses a lot without a quantity of its own
  if (with_paper) check_not_over_paper(e, stock, state);
  const auto want = convert(to_base(e["quantity"], "quantity"), stock.dim, stocks.pack_of(lot_id));
  if (!want || *want <= stock.uncertified) return;  // check_quantity names a unit that does not fit
  const Decimal now = stock.uncertified + stock.certified;
  const i18n::Words list = plain_list({stock.numbers.begin(), stock.numbers.end()}, {"—", "—"});
  i18n::refuse_zh_en("quantity", i18n::Msg::cert_certified_twice, lot_id, now.to_string(), unit_words(stock.dim),
                     stock.certified.to_string(), list, stock.uncertified.to_string(), want->to_string());
}

std::optional<OverCertified> over_certified(LedgerState& state, const std::string& lot_id) {
  CertifiedStock stocks(state);
  return stocks.of(lot_id).over;
}

CertifiedStockView certified_stock(LedgerState& state, const std::string& lot_id) {
  CertifiedStock stocks(state);
  const Stock& s = stocks.of(lot_id);
  return {s.known, s.dim, s.made, s.certified, s.uncertified, {s.numbers.begin(), s.numbers.end()}};
}

namespace {

// `from` and the locations above it (the location records' `parent` chain), `from` first, up
// to and including `origin` when the chain meets it; whether it met it. (A chain is at most as
// long as the locations are many; the bound only guards against a cycle of parents.)
std::pair<bool, std::vector<std::string>> chain_to(const std::string& from, const std::string& origin,
                                                   LedgerState& state) {
  std::string at = from;
  std::vector<std::string> chain{from};
  bool under = at == origin;
  for (int step = 0; !under && step < 64; ++step) {
    auto loc = state.master("location", at);
    if (!loc || !loc->contains("parent")) break;
    at = (*loc)["parent"].get<std::string>();
    chain.push_back(at);
    under = at == origin;
  }
  return {under, std::move(chain)};
}

std::string location_name(const std::string& id, LedgerState& state) {
  auto place = state.master("location", id);
  return place ? place->value("name", id) : id;
}

// How a refusal of `origin` says what to write instead, given `all`, every origin of the lot
// (where its lots grew, and the 产地 on the paper certificates its lots came with), in the order
// found: with one origin, that origin or a location above it; with several, the nearest
// location above all of them (their lowest common ancestor through the `parent` chains), or,
// when none lies above all, that a production area must be recorded as their parent first.
i18n::Words origin_fix(const std::vector<std::string>& all, LedgerState& state) {
  if (all.size() == 1) {
    const auto chain = chain_to(all.front(), "", state).second;
    const std::vector<std::string> above(chain.begin() + 1, chain.end());
    const i18n::Words or_above =
        above.empty() ? i18n::Words{}
                      : i18n::Words{fmt::format("或它的上级地点「{}」", fmt::join(above, "」「")),
                                    fmt::format(" or a location above it ({})", fmt::join(above, ", "))};
    return {i18n::text(i18n::Lang::zh, i18n::Msg::cert_origin_fix_one, all.front(), or_above.zh),
            i18n::text(i18n::Lang::en, i18n::Msg::cert_origin_fix_one, all.front(), or_above.en)};
  }
  std::vector<std::string> named;
  for (const auto& id : all) named.push_back(fmt::format("{}（{}）", id, location_name(id, state)));
  const i18n::Words listed = quoted_list(named);
  // The first location of the first origin's chain that every other origin's chain holds.
  std::vector<std::set<std::string>> chains;
  for (std::size_t i = 1; i < all.size(); ++i) {
    const auto c = chain_to(all[i], "", state).second;
    chains.emplace_back(c.begin(), c.end());
  }
  for (const auto& candidate : chain_to(all.front(), "", state).second) {
    bool common = true;
    for (const auto& c : chains) common = common && c.count(candidate);
    if (!common) continue;
    const std::string name = location_name(candidate, state);
    return {i18n::text(i18n::Lang::zh, i18n::Msg::cert_origin_fix_common, listed.zh, candidate, name),
            i18n::text(i18n::Lang::en, i18n::Msg::cert_origin_fix_common, listed.en, candidate, name)};
  }
  return {i18n::text(i18n::Lang::zh, i18n::Msg::cert_origin_fix_none, listed.zh),
          i18n::text(i18n::Lang::en, i18n::Msg::cert_origin_fix_none, listed.en)};
}

}  // namespace

void check_origin(const json& e, const std::vector<std::string>& ancestry, LedgerState& state) {
  if (state.rules_version() < kRulesV5) return;
  const std::string origin = e["origin"], lot_id = e["lot"];
  // Every origin of the lot, first where its lots grew, then (version 6) the 产地 written on the
  // paper certificates collected with lots of the ancestry; the first one `origin` does not
  // cover is refused, with origin_fix over all of them.
  struct Origin {
    std::string location, lot;
    std::optional<CertificateRecord> paper;
  };
  std::vector<Origin> origins;
  std::set<std::string> seen;
  for (const auto& a : ancestry) {
    auto lot = state.lot(a);
    if (!lot || (lot->created_by != "planting" && lot->created_by != "harvest")) continue;
    const std::string grew = state.event_at(lot->created_entry).value("location", "");
    if (grew.empty() || !seen.insert(grew).second) continue;
    origins.push_back({grew, a, std::nullopt});
  }
  if (state.rules_version() >= kRulesV6)
    for (const auto& a : ancestry)
      for (const auto& c : state.lot_certificates(a, true)) {
        const std::string written = state.event_at(c.entry).value("origin", "");
        if (written.empty()) continue;
        if (!seen.insert(written).second) continue;
        origins.push_back({written, a, c});
      }
  for (const auto& o : origins) {
    if (chain_to(o.location, origin, state).first) continue;
    std::vector<std::string> all;
    for (const auto& each : origins) all.push_back(each.location);
    const i18n::Words fix = origin_fix(all, state);
    if (!o.paper)
      i18n::refuse_zh_en("origin", i18n::Msg::cert_origin_elsewhere, origin, lot_id, o.lot, o.location,
                         location_name(o.location, state), fix);
    i18n::refuse_zh_en("origin", i18n::Msg::cert_origin_paper, origin, lot_id, o.lot, o.paper->number,
                       o.paper->issuer, o.location, fix);
  }
}

}  // namespace agtrace
