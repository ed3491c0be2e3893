// Look-alike and invisible characters (odd_characters.h).
#include "ledger/event/odd_characters.h"

#include <fmt/format.h>

#include <cstdint>
#include <map>
#include <string>

#include "ledger/util/utf8.h"

namespace agtrace {

bool is_invisible_char(char32_t cp) {
  const bool format = cp == 0xAD || (cp >= 0x600 && cp <= 0x605) || cp == 0x61C || cp == 0x6DD || cp == 0x70F ||
                      cp == 0x180E || (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202E) ||
                      (cp >= 0x2060 && cp <= 0x206F) || cp == 0xFEFF || (cp >= 0xFFF9 && cp <= 0xFFFB) ||
                      cp == 0x110BD || (cp >= 0x1D173 && cp <= 0x1D17A) || (cp >= 0xE0000 && cp <= 0xE007F);
  const bool control = cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
  return format || control;
}

bool is_dash_char(char32_t cp) { return (cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212 || cp == 0xFE58 || cp == 0xFE63; }

namespace {

// Readable names of the characters people meet (Unicode's names in English).
const i18n::Words* name_of(char32_t cp) {
  static const std::map<char32_t, i18n::Words> names = {
      {0x2010, {"连字符", "HYPHEN"}},
      {0x2011, {"不换行连字符", "NON-BREAKING HYPHEN"}},
      {0x2012, {"数字连接号", "FIGURE DASH"}},
      {0x2013, {"短破折号", "EN DASH"}},
      {0x2014, {"长破折号", "EM DASH"}},
      {0x2015, {"水平线", "HORIZONTAL BAR"}},
      {0x2212, {"减号", "MINUS SIGN"}},
      {0xFE58, {"小长破折号", "SMALL EM DASH"}},
      {0xFE63, {"小连字符", "SMALL HYPHEN-MINUS"}},
      {0x00AD, {"软连字符", "SOFT HYPHEN"}},
      {0x200B, {"零宽空格", "ZERO WIDTH SPACE"}},
      {0x200C, {"零宽不连字", "ZERO WIDTH NON-JOINER"}},
      {0x200D, {"零宽连字", "ZERO WIDTH JOINER"}},
      {0x200E, {"从左到右标记", "LEFT-TO-RIGHT MARK"}},
      {0x200F, {"从右到左标记", "RIGHT-TO-LEFT MARK"}},
      {0x2060, {"字连接符", "WORD JOINER"}},
      {0xFEFF, {"零宽不换行空格（字节顺序标记）", "ZERO WIDTH NO-BREAK SPACE (byte order mark)"}},
  };
  auto it = names.find(cp);
  return it == names.end() ? nullptr : &it->second;
}

}  // namespace

std::optional<i18n::Words> odd_character(std::string_view text) {
  for (const Utf8Char c : Utf8Chars(text)) {
    const char32_t cp = c.code_point;
    const std::string code = fmt::format("U+{:04X}", static_cast<std::uint32_t>(cp));
    const i18n::Words* name = name_of(cp);
    if (is_invisible_char(cp)) {
      const i18n::Words kind = name ? *name
                               : cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) ? i18n::Words{"控制字符", "a control character"}
                                                                          : i18n::Words{"格式字符", "a format character"};
      return i18n::Words{i18n::text(i18n::Lang::zh, i18n::Msg::char_invisible, c.position, code, kind.zh),
                         i18n::text(i18n::Lang::en, i18n::Msg::char_invisible, c.position, code, kind.en)};
    }
    std::string instead;
    i18n::Words kind;
    if (is_dash_char(cp)) {
      instead = "-";
      kind = *name;
    } else if (cp >= 0xFF01 && cp <= 0xFF5E) {
      instead = std::string(1, static_cast<char>(cp - 0xFEE0));
      kind = {"全角字符", "FULLWIDTH form"};
    } else {
      continue;
    }
    const std::string ch(c.bytes);
    return i18n::Words{i18n::text(i18n::Lang::zh, i18n::Msg::char_lookalike, c.position, ch, code, kind.zh, instead),
                       i18n::text(i18n::Lang::en, i18n::Msg::char_lookalike, c.position, ch, code, kind.en, instead)};
  }
  return std::nullopt;
}

std::string without_odd_characters(std::string_view text) {
  std::string out;
  for (const Utf8Char c : Utf8Chars(text)) {
    const char32_t cp = c.code_point;
    if (is_invisible_char(cp)) continue;
    if (is_dash_char(cp)) out += '-';
    else if (cp >= 0xFF01 && cp <= 0xFF5E) out += static_cast<char>(cp - 0xFEE0);
    else out += c.bytes;
  }
  return out;
}

}  // namespace agtrace
