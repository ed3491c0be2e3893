// How near a typed name is to the names a program knows, for "did you mean …?" hints:
// Levenshtein distance over Unicode code points (so 收获日其 is one edit from 收获日期),
// and lot ids compared after folding the characters people confuse on a sheet (O/0, I/l/1).
// Header-only, pure.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace agtrace {

// The code points of UTF-8 `s` (assumed valid: the inputs were decoded and checked).
inline std::u32string code_points(std::string_view s) {
  std::u32string out;
  for (std::size_t i = 0; i < s.size();) {
    auto b = static_cast<unsigned char>(s[i]);
    int n = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    char32_t c = n == 1 ? b : b & (0x7F >> n);
    for (int k = 1; k < n && i + k < s.size(); ++k) c = (c << 6) | (s[i + k] & 0x3F);
    out += c;
    i += n;
  }
  return out;
}

// Levenshtein distance (insert, delete, substitute: 1 each) between code-point strings.
inline std::size_t edit_distance(const std::u32string& a, const std::u32string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

// `id` upper-cased with the letters that look like digits folded into them (O → 0,
// I and L → 1): ST26-DLO1 and ST26-DL01 fold alike.
inline std::string fold_confusables(std::string_view id) {
  std::string out;
  for (char c : id) {
    char u = c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
    out += u == 'O' ? '0' : (u == 'I' || u == 'L') ? '1' : u;
  }
  return out;
}

// The ids of `known` nearest to the unknown id `typed`, at most `limit`: those that fold
// alike (fold_confusables) when there are any — a misread O or l is the likely slip, and a
// spelling neighbour beside it would only mislead — else those within two edits (one for ids
// of up to four characters) of it, nearer first; ties keep `known`'s order. Empty when none is near.
inline std::vector<std::string> nearest_ids(std::string_view typed, const std::vector<std::string>& known,
                                            std::size_t limit = 3) {
  const std::u32string t = code_points(fold_confusables(typed));
  const std::size_t reach = t.size() <= 4 ? 1 : 2;
  std::vector<std::pair<std::size_t, std::string>> near;
  for (const auto& k : known) {
    if (k == typed) continue;
    std::size_t d = edit_distance(t, code_points(fold_confusables(k)));
    if (d <= reach) near.emplace_back(d, k);
  }
  std::stable_sort(near.begin(), near.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  if (!near.empty() && near.front().first == 0) std::erase_if(near, [](const auto& n) { return n.first > 0; });
  std::vector<std::string> out;
  for (std::size_t i = 0; i < near.size() && i < limit; ++i) out.push_back(near[i].second);
  return out;
}

}  // namespace agtrace
