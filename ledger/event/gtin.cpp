// GS1 modulo-10 check digit, weights 3 and 1 from the right.
#include "ledger/event/gtin.h"

#include <fmt/format.h>

#include "ledger/util/error.h"

namespace agtrace {

char gtin_check_digit(std::string_view digits) {
  int sum = 0;
  int weight = 3;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    sum += (*it - '0') * weight;
    weight = 4 - weight;
  }
  return static_cast<char>('0' + (10 - sum % 10) % 10);
}

std::string normalize_gtin14(std::string_view gtin, std::string_view field) {
  bool digits = !gtin.empty() && gtin.find_first_not_of("0123456789") == std::string_view::npos;
  std::size_t n = gtin.size();
  if (!digits || (n != 8 && n != 12 && n != 13 && n != 14))
    throw_bad_input(fmt::format("{} \"{}\": a GTIN is 8, 12, 13 or 14 digits", field, gtin));
  char expected = gtin_check_digit(gtin.substr(0, n - 1));
  if (gtin.back() != expected)
    throw_bad_input(fmt::format(
        "{} \"{}\": wrong GTIN check digit {} (GS1 General Specifications §7.9.1 gives {}); "
        "correct the product's gtin",
        field, gtin, gtin.back(), expected));
  return std::string(14 - n, '0') + std::string(gtin);
}

}  // namespace agtrace
