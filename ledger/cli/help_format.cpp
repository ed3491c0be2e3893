// CLI11's help frame in Chinese: a CLI::Formatter whose labels and group headings are Chinese.
#include "ledger/cli/help_format.h"

#include <memory>
#include <string>
#include <string_view>
#include <utility>

namespace agtrace::cli {
namespace {

// CLI11's frame words and type names (CLI/TypeTools.hpp) → the Chinese a clerk reads.
constexpr std::pair<std::string_view, std::string_view> kWords[] = {
    {"Usage", "用法"},         {"OPTIONS", "选项"},        {"SUBCOMMAND", "子命令"},  {"SUBCOMMANDS", "子命令"},
    {"Positionals", "位置参数"}, {"REQUIRED", "必填"},       {"Env", "环境变量"},       {"Needs", "需要"},
    {"Excludes", "不能同用"},   {"TEXT", "文本"},           {"INT", "整数"},           {"UINT", "非负整数"},
    {"FLOAT", "数字"},          {"BOOLEAN", "是否"},        {"CHAR", "字符"},          {"ENUM", "枚举"},
};

// Group headings CLI11 prints verbatim (App's default option group and subcommand group).
std::string group_word(const std::string& group) {
  if (group == "Options") return "选项";
  if (group == "Subcommands") return "子命令";
  return group;
}

// The columns `text` takes on a terminal: a CJK character (three UTF-8 bytes) takes two, as CLI11's
// byte-counting padding does not know.
std::size_t display_width(std::string_view text) {
  std::size_t width = 0;
  for (std::size_t i = 0; i < text.size();) {
    const auto b = static_cast<unsigned char>(text[i]);
    const std::size_t n = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    width += n >= 3 ? 2 : 1;
    i += n;
  }
  return width;
}

// CLI::detail::format_help with the name padded by display width, so that the descriptions line up
// under Chinese names (--origin 文本 必填).
std::string format_help(const std::string& name, const std::string& description, std::size_t wid) {
  std::string out = "  " + name;
  const std::size_t width = display_width(out);
  out += std::string(width < wid ? wid - width : 0, ' ');
  if (!description.empty()) {
    if (width >= wid) out += "\n" + std::string(wid, ' ');
    for (const char c : description) {
      out += c;
      if (c == '\n') out += std::string(wid, ' ');
    }
  }
  return out + "\n";
}

class ChineseHelp : public CLI::Formatter {
 public:
  ChineseHelp() {
    for (const auto& [en, zh] : kWords) label(std::string(en), std::string(zh));
  }

  std::string make_group(std::string group, bool is_positional, std::vector<const CLI::Option*> opts) const override {
    return Formatter::make_group(group_word(group), is_positional, std::move(opts));
  }

  // The subcommands' heading is their group's name, printed by the base class as "\nGROUP:\n".
  std::string make_subcommands(const CLI::App* app, CLI::AppFormatMode mode) const override {
    return CLI::detail::find_and_replace(Formatter::make_subcommands(app, mode), "\nSubcommands:\n", "\n子命令:\n");
  }

  std::string make_option(const CLI::Option* opt, bool is_positional) const override {
    return format_help(make_option_name(opt, is_positional) + make_option_opts(opt), make_option_desc(opt),
                       get_column_width());
  }

  std::string make_subcommand(const CLI::App* sub) const override {
    return format_help(sub->get_display_name(true), sub->get_description(), get_column_width());
  }

  // A type name with a validator's description ("TEXT:{zh,en}", "UINT:INT in [1 - 300]") is no label
  // of its own: its leading word is.
  std::string make_option_opts(const CLI::Option* opt) const override {
    std::string out = Formatter::make_option_opts(opt);
    for (const auto& [en, zh] : kWords) {
      const std::string from = " " + std::string(en) + ":";
      if (out.starts_with(from)) return " " + std::string(zh) + ":" + out.substr(from.size());
    }
    return out;
  }
};

}  // namespace

i18n::Lang help_language(int argc, char** argv, bool look_for_lang) {
  std::optional<i18n::Lang> given;
  for (int i = 1; look_for_lang && i < argc; ++i) {
    const std::string_view a = argv[i];
    if (a == "--lang" && i + 1 < argc) given = i18n::parse_lang(argv[i + 1]);
    if (a.starts_with("--lang=")) given = i18n::parse_lang(a.substr(7));
  }
  return i18n::choose_lang(given, false);
}

void use_help_language(CLI::App& app, i18n::Lang lang) {
  if (lang != i18n::Lang::zh) return;
  app.formatter(std::make_shared<ChineseHelp>());
  app.set_help_flag("-h,--help", "显示这份帮助并退出");
}

}  // namespace agtrace::cli
