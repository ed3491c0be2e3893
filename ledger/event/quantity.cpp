// Exact decimal arithmetic and UN/ECE Rec 20 unit conversion for conservation checks.
#include "ledger/event/quantity.h"

#include <fmt/format.h>

#include "ledger/util/error.h"

namespace agtrace {

namespace {
constexpr Int128 kScale = 1'000'000;
}

Decimal Decimal::parse(std::string_view text, std::string_view field) {
  auto fail = [&] {
    throw_bad_input(fmt::format(
        "field {}: \"{}\" is not a decimal number; write it as a string such as \"12.5\" "
        "(at most 15 integer and 6 fraction digits)",
        field, text));
  };
  std::string_view s = text;
  bool negative = !s.empty() && s.front() == '-';
  if (negative) s.remove_prefix(1);
  auto dot = s.find('.');
  std::string_view whole = s.substr(0, dot);
  std::string_view frac = dot == std::string_view::npos ? "" : s.substr(dot + 1);
  if (whole.empty() || whole.size() > 15 || frac.size() > 6 ||
      (dot != std::string_view::npos && frac.empty()))
    fail();
  Int128 v = 0;
  for (char c : whole) {
    if (c < '0' || c > '9') fail();
    v = v * 10 + (c - '0');
  }
  Int128 f = 0;
  for (std::size_t i = 0; i < 6; ++i) {
    char c = i < frac.size() ? frac[i] : '0';
    if (c < '0' || c > '9') fail();
    f = f * 10 + (c - '0');
  }
  Decimal d{v * kScale + f};
  if (negative) d.micros = -d.micros;
  return d;
}

std::string Decimal::to_string() const {
  Int128 v = micros < 0 ? -micros : micros;
  auto whole = static_cast<unsigned long long>(v / kScale);
  auto frac = static_cast<unsigned long long>(v % kScale);
  std::string out = (micros < 0 ? "-" : "") + std::to_string(whole);
  if (frac != 0) {
    std::string f = fmt::format("{:06d}", frac);
    while (f.back() == '0') f.pop_back();
    out += "." + f;
  }
  return out;
}

BaseQuantity to_base(const nlohmann::json& quantity, std::string_view field) {
  std::string unit = quantity.at("unit").get<std::string>();
  Decimal value = Decimal::parse(quantity.at("value").get<std::string>(),
                                 fmt::format("{}.value", field));
  if (unit == "KGM") return {Dimension::mass, value};
  if (unit == "GRM") return {Dimension::mass, {value.micros / 1000}};
  if (unit == "TNE") return {Dimension::mass, {value.micros * 1000}};
  if (unit == "LTR") return {Dimension::volume, value};
  if (unit == "MLT") return {Dimension::volume, {value.micros / 1000}};
  if (unit == "H87") return {Dimension::count, value};
  throw_bad_input(fmt::format("field {}.unit: unknown unit \"{}\"; use KGM, GRM, TNE, LTR, MLT or H87",
                              field, unit));
}

std::optional<Decimal> convert(const BaseQuantity& q, Dimension target,
                               const std::optional<BaseQuantity>& pack_size) {
  if (q.dimension == target) return q.amount;
  if (!pack_size) return std::nullopt;
  if (q.dimension == Dimension::count && pack_size->dimension == target)
    return Decimal{q.amount.micros * pack_size->amount.micros / kScale};
  if (target == Dimension::count && q.dimension == pack_size->dimension &&
      pack_size->amount.micros > 0)
    return Decimal{q.amount.micros * kScale / pack_size->amount.micros};
  return std::nullopt;
}

std::string_view base_unit_name(Dimension d) {
  switch (d) {
    case Dimension::mass: return "kg";
    case Dimension::volume: return "L";
    case Dimension::count: return "pieces";
  }
  return "?";
}

}  // namespace agtrace
