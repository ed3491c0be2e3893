// Characters that look like others, or like nothing at all, in what a clerk typed: a dash that is
// not ASCII '-' (‐ – — −, often pasted from Word or a Chinese input method), a full-width form
// (２０２６, －), an invisible format or control character (a zero-width space copied with a web
// page). A certificate number, lot id or code holding one looks right on screen and on paper and
// matches nothing. Pure, thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "ledger/i18n/refusal.h"

namespace agtrace {

// True for a character nobody sees: a Unicode format character (Cf: U+00AD, U+200B–U+200F,
// U+2028–U+202E, U+2060–U+206F, U+FEFF, …) or a control character (C0, DEL, C1).
bool is_invisible_char(char32_t cp);

// True for a dash other than ASCII '-': U+2010–U+2015, U+2212, U+FE58, U+FE63.
bool is_dash_char(char32_t cp);

// The first look-alike or invisible character of UTF-8 `text`, named for a clerk, Chinese and
// English: where it is (the how-manieth character), its code point, a readable name and what to
// type instead — "第 5 个字符「‐」（U+2010 连字符）看起来像「-」，其实不是；请改用「-」", "第 3 个字符是看不见的
// 字符 U+200B（零宽空格）…；请删去". Dashes and full-width forms (U+FF01–FF5E) have a replacement;
// invisible characters are to be deleted. nullopt when there is none.
std::optional<i18n::Words> odd_character(std::string_view text);

// `text` as it was meant: each dash above as '-', each full-width form (U+FF01–FF5E) as its ASCII
// character, invisible characters left out ("LC‐2022​-0001" → "LC-2022-0001"); for a "did you mean".
std::string without_odd_characters(std::string_view text);

}  // namespace agtrace
