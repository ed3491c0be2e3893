// Decimal quantities with UN/ECE Recommendation 20 units, for the conservation rules
// of DESIGN §2 (outputs ≤ inputs − stated loss, after unit conversion by pack size).
//
// Values are exact: a decimal string of at most 15 integer and 6 fraction digits is
// held as an integer count of millionths (micro-units), never as a double.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace agtrace {

// 128-bit arithmetic, so that sums of 15-digit quantities times 10^6 cannot overflow.
__extension__ typedef __int128 Int128;

// An exact non-negative or negative decimal, in millionths.
struct Decimal {
  Int128 micros = 0;

  // Parses "12.5", "-3", "0.000001" (at most 6 fraction digits). Throws
  // agtrace::Error(bad_input) naming `field` on anything else.
  static Decimal parse(std::string_view text, std::string_view field);
  // Shortest decimal string: "12.5", "3", "-0.25".
  std::string to_string() const;

  friend auto operator<=>(const Decimal&, const Decimal&) = default;
  Decimal operator+(Decimal o) const { return {micros + o.micros}; }
  Decimal operator-(Decimal o) const { return {micros - o.micros}; }
};

// What a unit measures. Counts (H87, pieces) convert to mass or volume only through
// a pack size.
enum class Dimension { mass, volume, count };

// A quantity in its dimension's base unit: kilograms (KGM), litres (LTR) or pieces (H87).
struct BaseQuantity {
  Dimension dimension = Dimension::mass;
  Decimal amount;
};

// Converts {"value": "...", "unit": "KGM"} (a schema-valid quantity) to its base unit.
// Throws agtrace::Error(bad_input) naming `field` for an unknown unit.
BaseQuantity to_base(const nlohmann::json& quantity, std::string_view field);

// Expresses `q` in `target`'s dimension: pieces become kilograms or litres through
// `pack_size` (the base quantity of one piece). Returns nullopt when that is impossible
// (different dimensions and no pack size to bridge them).
std::optional<Decimal> convert(const BaseQuantity& q, Dimension target,
                               const std::optional<BaseQuantity>& pack_size);

// "kg", "L" or "pieces": for messages.
std::string_view base_unit_name(Dimension d);

}  // namespace agtrace
