// Where several plots lie, in the words of their addresses: the label of a lot made from
// several harvests names their common township or village ("潞城区店上镇等 2 个地块") where
// the full list would not fit (the scan page lists every plot).
//
// Location codes are an administrative region (GB/T 2260, six digits: the county) plus a
// sequence (DESIGN §2), so the township and village are only in the address, written as
// Chinese addresses are: 省, 市, 区/县, 镇/乡/街道, 村/社区, then the rest
// ("潞城区店上镇熬脑村东坡" → 潞城区 · 店上镇 · 熬脑村 · 东坡). Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace agtrace::labeler {

// The administrative parts at the start of a Chinese address, largest first, each ending in
// its suffix (省 自治区 · 市 自治州 州 盟 地区 · 区 县 旗 · 镇 乡 街道 苏木 · 村 社区 嘎查), in
// that order; what follows the village (or the first text that is none of these) is left
// out. "潞城区合室乡合室村北坡" → {潞城区, 合室乡, 合室村}; "产业园" → {}.
std::vector<std::string> admin_parts(std::string_view address);

// The longest run of leading administrative parts every address shares, joined
// ("潞城区店上镇熬脑村东坡", "潞城区店上镇张家河村南" → "潞城区店上镇"), or nullopt when
// they share none or `addresses` is empty.
std::optional<std::string> common_area(const std::vector<std::string>& addresses);

// A label's origin for plots at `addresses` (one per plot, "" when a plot has none), with
// `first_name` the first plot's name: the address (else the name) for one plot; for
// several, their common area (else the first plot's address or name) and "等 N 个地块", or,
// when they share only a county or more, its townships ("潞城区店上镇、合室乡 2 个地块").
std::string origin_summary(const std::vector<std::string>& addresses, const std::string& first_name);

}  // namespace agtrace::labeler
