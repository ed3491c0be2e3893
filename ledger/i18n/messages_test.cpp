// The message catalogue: complete, both languages, arguments in range; the language choice.
#include "ledger/i18n/messages.h"

#include <doctest/doctest.h>

#include <cstdlib>
#include <set>

using namespace agtrace::i18n;

namespace {

// The argument indices "{N}" (and "{N:…}") a text uses.
std::set<int> placeholders(std::string_view text) {
  std::set<int> out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '{') continue;
    if (i + 1 < text.size() && text[i + 1] == '{') {
      ++i;
      continue;
    }
    std::size_t j = i + 1;
    int n = 0;
    while (j < text.size() && text[j] >= '0' && text[j] <= '9') n = n * 10 + (text[j++] - '0');
    REQUIRE_MESSAGE(j > i + 1, "\"" << text << "\": every argument names its position ({0}, {1}, …)");
    out.insert(n);
  }
  return out;
}

// Sets an environment variable for one test and restores it after.
class EnvVar {
 public:
  EnvVar(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value) setenv(name, value, 1); else unsetenv(name);
  }
  ~EnvVar() {
    if (old_) setenv(name_, old_->c_str(), 1); else unsetenv(name_);
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

}  // namespace

TEST_CASE("every message has both texts, Chinese in the Chinese one, and only the arguments it declares") {
  int row = 0;
  for (const Message* m = catalogue_begin(); m != catalogue_end(); ++m, ++row) {
    INFO(catalogue_name(m->id));
    CHECK(static_cast<int>(m->id) == row);  // rows in Msg order: message() finds them by position
    CHECK(&message(m->id) == m);
    CHECK_FALSE(m->zh.empty());
    CHECK_FALSE(m->en.empty());
    // Chinese in the Chinese text, unless it is arguments only (column_field drops the field path), with
    // at most spaces, the full-width colon and parentheses between them (show_entry_field: "  {0}：{1}";
    // party_named: "{0}（{1}）").
    std::string words(m->zh);
    for (int n = 0; n < m->args; ++n)
      for (std::string arg = "{" + std::to_string(n) + "}"; words.find(arg) != std::string::npos;)
        words.erase(words.find(arg), arg.size());
    for (std::string_view gap : {" ", "：", "（", "）"})
      while (words.find(gap) != std::string::npos) words.erase(words.find(gap), gap.size());
    CHECK((words.empty() || has_chinese(m->zh)));
    for (std::string_view t : {m->zh, m->en})
      for (int n : placeholders(t)) CHECK(n < m->args);
    // The English text uses every argument; Chinese may leave out an English-only one.
    CHECK(placeholders(m->en).size() == static_cast<std::size_t>(m->args));
  }
  CHECK(row > 40);
}

TEST_CASE("text() fills the arguments in each language's order and refuses a wrong count") {
  CHECK(text(Lang::zh, Msg::where_line, "采收.csv", 12) == "采收.csv 第 12 行");
  CHECK(text(Lang::en, Msg::where_line, "采收.csv", 12) == "采收.csv line 12");
  CHECK(text(Lang::zh, Msg::column_ref, "K", "面积（亩）") == "K 列「面积（亩）」");
  CHECK(text(Lang::en, Msg::column_ref, "K", "面积（亩）") == "column K \"面积（亩）\"");
  CHECK(text(Lang::zh, Msg::cell_number_and_unit, "1500", "千克") == "数量和单位请分开填写：数量 1500，单位 千克");
  CHECK_THROWS_AS(text(Lang::zh, Msg::where_line, "x"), std::logic_error);
}

TEST_CASE("the language: --lang, then a Chinese locale, then Chinese input, else English") {
  EnvVar all("LC_ALL", nullptr), messages("LC_MESSAGES", nullptr);
  {
    EnvVar lang("LANG", "en_US.UTF-8");
    CHECK(choose_lang(std::nullopt, true) == Lang::zh);   // an English server locale does not outvote the sheet
    CHECK(choose_lang(std::nullopt, false) == Lang::en);
    CHECK(choose_lang(Lang::en, true) == Lang::en);       // --lang en
  }
  {
    EnvVar lang("LANG", "zh_CN.UTF-8");
    CHECK(choose_lang(std::nullopt, false) == Lang::zh);
    CHECK(choose_lang(Lang::en, false) == Lang::en);
  }
  {
    EnvVar lang("LANG", "zh_CN.UTF-8"), lc_all("LC_ALL", "C");
    CHECK(choose_lang(std::nullopt, false) == Lang::en);  // LC_ALL, set, decides before LANG
  }
  CHECK(parse_lang("zh") == Lang::zh);
  CHECK(parse_lang("en") == Lang::en);
  CHECK_FALSE(parse_lang("fr"));
  CHECK(locale_is_chinese("zh_CN.GB18030"));
  CHECK(locale_is_chinese("zh_TW.UTF-8"));
  CHECK_FALSE(locale_is_chinese("C.UTF-8"));
  CHECK(has_chinese("面积(亩)"));
  CHECK_FALSE(has_chinese("area_mu （）"));
}
