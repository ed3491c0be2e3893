// Administrative parts of Chinese addresses, and what several plots have in common.
#include "labeler/template/area.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace agtrace::labeler {

namespace {

// A suffix that ends an administrative part, and the levels it may stand for (1 province,
// 2 prefecture, 3 county, 4 township, 5 village). 市 is a prefecture, or a county-level
// city after one. Lone 州 and 盟 are left out: they occur inside names (杭州市).
struct Suffix {
  std::string_view text;
  int min_level, max_level;
};
constexpr std::array<Suffix, 15> kSuffixes = {{{"自治区", 1, 1},
                                                {"省", 1, 1},
                                                {"自治州", 2, 2},
                                                {"地区", 2, 2},
                                                {"市", 2, 3},
                                                {"区", 3, 3},
                                                {"县", 3, 3},
                                                {"旗", 3, 3},
                                                {"街道", 4, 4},
                                                {"苏木", 4, 4},
                                                {"镇", 4, 4},
                                                {"乡", 4, 4},
                                                {"社区", 5, 5},
                                                {"嘎查", 5, 5},
                                                {"村", 5, 5}}};

std::size_t utf8_length(unsigned char lead) {
  return lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
}

}  // namespace

std::vector<std::string> admin_parts(std::string_view address) {
  std::vector<std::string> parts;
  int level = 0;
  std::size_t start = 0;
  while (start < address.size() && level < 5) {
    // The earliest suffix of a lower level than the last part's, after at least one character.
    bool found = false;
    for (std::size_t i = start + utf8_length(static_cast<unsigned char>(address[start]));
         i < address.size() && !found; i += utf8_length(static_cast<unsigned char>(address[i]))) {
      for (const auto& s : kSuffixes) {
        if (s.max_level <= level || address.substr(i, s.text.size()) != s.text) continue;
        std::size_t end = i + s.text.size();
        parts.emplace_back(address.substr(start, end - start));
        level = std::max(s.min_level, level + 1);
        start = end;
        found = true;
        break;
      }
    }
    if (!found) break;
  }
  return parts;
}

std::optional<std::string> common_area(const std::vector<std::string>& addresses) {
  if (addresses.empty()) return std::nullopt;
  std::vector<std::string> common = admin_parts(addresses.front());
  for (const auto& a : addresses) {
    auto parts = admin_parts(a);
    auto mismatch = std::mismatch(common.begin(), common.end(), parts.begin(), parts.end());
    common.erase(mismatch.first, common.end());
  }
  if (common.empty()) return std::nullopt;
  std::string out;
  for (const auto& p : common) out += p;
  return out;
}

namespace {

// The townships of plots whose common area is a county or larger ("潞城区" for 店上镇 and
// 合室乡), "店上镇、合室乡", when every address names one and there are at most three;
// nullopt otherwise ("潞城区等 2 个地块" says too little, a long list does not fit).
std::optional<std::string> townships_below(const std::vector<std::string>& addresses, std::size_t common_parts) {
  std::vector<std::string> towns;
  for (const auto& a : addresses) {
    auto parts = admin_parts(a);
    if (parts.size() <= common_parts) return std::nullopt;
    const std::string& town = parts[common_parts];
    bool township = false;
    for (std::string_view suffix : {"街道", "苏木", "镇", "乡"})
      township = township || (town.size() > suffix.size() && town.ends_with(suffix));
    if (!township) return std::nullopt;
    if (std::find(towns.begin(), towns.end(), town) == towns.end()) towns.push_back(town);
  }
  if (towns.size() < 2 || towns.size() > 3) return std::nullopt;
  std::string out = towns.front();
  for (std::size_t i = 1; i < towns.size(); ++i) out += "、" + towns[i];
  return out;
}

}  // namespace

std::string origin_summary(const std::vector<std::string>& addresses, const std::string& first_name) {
  if (addresses.empty()) return "";
  std::string first = addresses.front().empty() ? first_name : addresses.front();
  if (addresses.size() == 1) return first;
  auto common = common_area(addresses);
  if (common) {
    if (auto towns = townships_below(addresses, admin_parts(*common).size()))
      return fmt::format("{}{} {} 个地块", *common, *towns, addresses.size());
  }
  return fmt::format("{}等 {} 个地块", common.value_or(first), addresses.size());
}

}  // namespace agtrace::labeler
