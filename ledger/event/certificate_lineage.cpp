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
  std::optional<OverCertified> over;  // the first certificate that covered more than was uncovered
};

class CertifiedStock {
 public:
  explicit CertifiedStock(LedgerState& state) : state_(state) {}

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
      if (auto v = convert(f.quantity, s.dim, pack)) steps.push_back({f.entry, f.made ? 0 : 2, *v, {}});
    for (const auto& c : state_.lot_certificates(lot_id, false))
      if (!c.voided_entry)
        if (auto v = convert(c.quantity, s.dim, pack)) steps.push_back({c.entry, 1, *v, c.number});
    std::stable_sort(steps.begin(), steps.end(), [](const Step& a, const Step& b) { return a.entry < b.entry; });
    for (const auto& step : steps) {
      if (step.kind == 0) {
        s.made = s.made + step.amount;
        const Decimal arrived = certified_arriving(lot_id, step.entry, step.amount, s.numbers);
        s.certified = s.certified + arrived;
        s.uncertified = s.uncertified + (step.amount - arrived);
      } else if (step.kind == 1) {
        if (step.amount > s.uncertified && !s.over)
          s.over = OverCertified{step.number, step.amount - s.uncertified, s.dim};
        const Decimal covered = std::min(step.amount, s.uncertified);
        s.uncertified = s.uncertified - covered;
        s.certified = s.certified + covered;
        s.numbers.insert(step.number);
      } else {
        const Decimal from_uncertified = std::min(step.amount, s.uncertified);
        const Decimal from_certified = std::min(step.amount - from_uncertified, s.certified);
        s.uncertified = s.uncertified - from_uncertified;
        s.certified = s.certified - from_certified;
        s.taken_at[step.entry] = s.taken_at[step.entry] + step.amount;
        s.certified_out_at[step.entry] = s.certified_out_at[step.entry] + from_certified;
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
  std::map<std::string, Stock> stocks_;

  // Of `made` put into `lot_id` at `entry`, the part that arrived certified: the certified share
  // of what the entry took from the lot's parents. Their certificates go to `numbers`.
  Decimal certified_arriving(const std::string& lot_id, std::uint64_t entry, Decimal made,
                             std::set<std::string>& numbers) {
    Decimal taken, certified;
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
      if (c.micros > 0) numbers.insert(p.numbers.begin(), p.numbers.end());
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
    const Decimal arrived = one_unit ? scale_up(made, certified, taken) : scale_up(made, largest_num, largest_den);
    return std::min(arrived, made);
  }
};

}  // namespace

void check_certified_once(const json& e, LedgerState& state) {
  if (state.rules_version() < kRulesV5 || e["style"] != "producer") return;
  const std::string lot_id = e["lot"];
  CertifiedStock stocks(state);
  const Stock& stock = stocks.of(lot_id);
  if (!stock.known) return;  // check_quantity refuses a lot without a quantity of its own
  const auto want = convert(to_base(e["quantity"], "quantity"), stock.dim, stocks.pack_of(lot_id));
  if (!want || *want <= stock.uncertified) return;  // check_quantity names a unit that does not fit
  const Decimal now = stock.uncertified + stock.certified;
  const std::string list = stock.numbers.empty() ? std::string("—") : fmt::format("{}", fmt::join(stock.numbers, ", "));
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

i18n::Words or_above(const std::vector<std::string>& chain) {
  const std::vector<std::string> above(chain.begin() + 1, chain.end());
  if (above.empty()) return {};
  return {fmt::format("或它的上级地点「{}」", fmt::join(above, "」「")),
          fmt::format(" or a location above it ({})", fmt::join(above, ", "))};
}

}  // namespace

void check_origin(const json& e, const std::vector<std::string>& ancestry, LedgerState& state) {
  if (state.rules_version() < kRulesV5) return;
  const std::string origin = e["origin"], lot_id = e["lot"];
  std::set<std::string> checked;
  for (const auto& a : ancestry) {
    auto lot = state.lot(a);
    if (!lot || (lot->created_by != "planting" && lot->created_by != "harvest")) continue;
    const std::string grew = state.event_at(lot->created_entry).value("location", "");
    if (grew.empty() || !checked.insert(grew).second) continue;
    auto [under, chain] = chain_to(grew, origin, state);
    if (under) continue;
    auto place = state.master("location", grew);
    const std::string name = place ? place->value("name", grew) : grew;
    i18n::refuse_zh_en("origin", i18n::Msg::cert_origin_elsewhere, origin, lot_id, a, grew, name, or_above(chain));
  }
  // Version 6: the 产地 written on the paper certificates collected with lots of the ancestry.
  if (state.rules_version() < kRulesV6) return;
  for (const auto& a : ancestry)
    for (const auto& c : state.lot_certificates(a, true)) {
      const json paper = state.event_at(c.entry);
      const std::string written = paper.value("origin", "");
      if (written.empty()) continue;
      auto [under, chain] = chain_to(written, origin, state);
      if (under) continue;
      i18n::refuse_zh_en("origin", i18n::Msg::cert_origin_paper, origin, lot_id, a, c.number, c.issuer, written,
                         or_above(chain));
    }
}

}  // namespace agtrace
