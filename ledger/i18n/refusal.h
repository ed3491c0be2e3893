// A refusal in both languages: how the append rules and the schema validator say "no"
// through the message catalogue (issue 16, item 1).
//
// A rule cannot know who reads its refusal — a clerk importing a Chinese sheet, an English
// script, a regulator's replay — so it renders both texts when it throws, and whoever
// catches it and knows the reader's language (the import and record paths: PreparedEvent's
// lang) takes that one with message_in(). Both texts keep the "field PATH: " prefix of every
// rule message (DESIGN §3), so that name_columns() can still name the CSV column a value
// came from.
//
// what() is the text for a reader whose language nobody chose (library callers, logs, the
// labeler and the station): English, or for a message an operator also meets at the printer
// station, "中文 / English" in one string (the operator messages' style).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "ledger/i18n/messages.h"
#include "ledger/util/error.h"

namespace agtrace::i18n {

// An argument that is written differently in each language: a unit (公斤 / kg), an event
// type (采收 / harvest), a list ("「A」、「B」" / "\"A\", \"B\"").
struct Words {
  std::string zh, en;
};

// An argument in `lang`: Words by language, anything else as it is.
template <typename T>
const T& pick(Lang, const T& arg) {
  return arg;
}
inline const std::string& pick(Lang lang, const Words& w) { return lang == Lang::zh ? w.zh : w.en; }

// Error(bad_input) carrying its message in Chinese and in English (or another kind: a failed
// check, ErrorKind::verification, said in both languages; see failure()).
class Refusal : public Error {
 public:
  // `zh`, `en`: the whole message in each language; `what` the text what() returns.
  Refusal(std::string zh, std::string en, const std::string& what, ErrorKind kind = ErrorKind::bad_input)
      : Error(kind, what), zh_(std::move(zh)), en_(std::move(en)) {}
  const std::string& text(Lang lang) const { return lang == Lang::zh ? zh_ : en_; }
  // The same refusal with "WHERE: " before each text and what() ("line 3: field …").
  Refusal placed(std::string_view where) const {
    return Refusal(fmt::format("{}: {}", where, zh_), fmt::format("{}: {}", where, en_),
                   fmt::format("{}: {}", where, what()), kind());
  }

 private:
  std::string zh_, en_;
};

// The message of `e` in `lang`: a Refusal's text in that language, any other error's what();
// what() when no language was chosen (nullopt).
inline std::string message_in(const Error& e, std::optional<Lang> lang) {
  if (const auto* r = dynamic_cast<const Refusal*>(&e); r && lang) return r->text(*lang);
  return e.what();
}

// The Refusal "field FIELD: TEXT" with catalogue message `id` and `args` (each picked for the
// language when it is Words) in both languages; what() is the English text. An empty `field`
// leaves the prefix out.
template <typename... Args>
Refusal refusal(std::string_view field, Msg id, const Args&... args) {
  auto in = [&](Lang lang) {
    std::string t = text(lang, id, pick(lang, args)...);
    return field.empty() ? t : fmt::format("field {}: {}", field, t);
  };
  std::string en = in(Lang::en);
  return Refusal(in(Lang::zh), en, en);
}

// Throws refusal(field, id, args…).
template <typename... Args>
[[noreturn]] void refuse(std::string_view field, Msg id, const Args&... args) {
  throw refusal(field, id, args...);
}

// Throws Error(verification) — a check that failed (exit 1, DESIGN §8), not a refused input — with
// catalogue message `id` in both languages; what() is the English text.
template <typename... Args>
[[noreturn]] void fail_check(Msg id, const Args&... args) {
  Refusal r = refusal("", id, args...);
  throw Refusal(r.text(Lang::zh), r.text(Lang::en), r.text(Lang::en), ErrorKind::verification);
}

// refuse(), but what() is "field FIELD: 中文 / English": for refusals an operator also meets at
// the printer station (certificates, label jobs), which has no language option.
template <typename... Args>
[[noreturn]] void refuse_zh_en(std::string_view field, Msg id, const Args&... args) {
  Refusal r = refusal(field, id, args...);
  throw Refusal(r.text(Lang::zh), r.text(Lang::en),
                fmt::format("{} / {}", r.text(Lang::zh), text(Lang::en, id, pick(Lang::en, args)...)));
}

}  // namespace agtrace::i18n
