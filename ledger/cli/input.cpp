// One JSON event or JSON lines, from a file or standard input, prepared in parallel.
#include "ledger/cli/input.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <exception>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <filesystem>
#include <sstream>
#include <thread>
#include <vector>

#include "ledger/csv/text_decoding.h"
#include "ledger/i18n/refusal.h"
#include "ledger/util/error.h"
#include "ledger/util/read_file.h"

namespace agtrace::cli {

namespace {

struct Line {
  std::size_t number;  // 1-based line number in the input
  std::string_view text;
};

// Non-blank lines of `text`, with their numbers (CR of CRLF removed).
std::vector<Line> split_lines(std::string_view text) {
  std::vector<Line> lines;
  std::size_t start = 0, number = 1;
  while (start <= text.size()) {
    auto end = text.find('\n', start);
    std::string_view line = text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") != std::string_view::npos) lines.push_back({number, line});
    if (end == std::string_view::npos) break;
    start = end + 1;
    ++number;
  }
  return lines;
}

// Workers prepare lines i ≡ t (mod T); the consumer takes slot after slot in order.
class ParallelPreparer {
 public:
  ParallelPreparer(std::string text, std::string name, i18n::Lang lang)
      : text_(std::move(text)), name_(std::move(name)), lang_(lang) {
    lines_ = split_lines(text_);
    // A document that does not fit on its first line is one pretty-printed event.
    if (lines_.size() > 1) {
      auto first = lines_.front().text;
      if (first[first.find_last_not_of(" \t")] != '}') lines_ = {{1, text_}};
    }
    single_ = lines_.size() == 1;
    slots_.resize(lines_.size());
    std::size_t threads = lines_.size() < 64 ? 1 : std::max(1u, std::thread::hardware_concurrency());
    for (std::size_t t = 0; t < threads; ++t) workers_.emplace_back([this, t, threads] { work(t, threads); });
  }

  ~ParallelPreparer() {
    cancelled_ = true;
    for (auto& w : workers_) w.join();
  }

  std::optional<PreparedEvent> next() {
    if (next_ == slots_.size()) return std::nullopt;
    std::unique_lock lock(mutex_);
    ready_.wait(lock, [&] { return slots_[next_].done; });
    Slot& slot = slots_[next_++];
    if (slot.failure) std::rethrow_exception(slot.failure);
    return std::move(slot.event);
  }

 private:
  struct Slot {
    bool done = false;
    PreparedEvent event;
    std::exception_ptr failure;  // a bug (not bad input) in a worker
  };

  void work(std::size_t first, std::size_t step) {
    for (std::size_t i = first; i < lines_.size() && !cancelled_; i += step) {
      PreparedEvent event;
      std::exception_ptr failure;
      std::string where = single_ ? name_ : i18n::text(lang_, i18n::Msg::where_line, name_, lines_[i].number);
      try {
        event = parse_event(lines_[i].text, where);
        event.lang = lang_;
      } catch (const Error& e) {
        if (e.kind() == ErrorKind::bad_input) {
          event.where = where;
          event.lang = lang_;
          event.error = i18n::message_in(e, lang_);
        } else {
          failure = std::current_exception();
        }
      } catch (...) {
        failure = std::current_exception();
      }
      {
        std::lock_guard lock(mutex_);
        slots_[i].event = std::move(event);
        slots_[i].failure = failure;
        slots_[i].done = true;
      }
      ready_.notify_all();
    }
  }

  std::string text_;
  std::string name_;
  i18n::Lang lang_;
  std::vector<Line> lines_;
  bool single_ = false;
  std::vector<Slot> slots_;
  std::size_t next_ = 0;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::atomic<bool> cancelled_{false};
  std::vector<std::thread> workers_;
};

}  // namespace

std::string read_input(const std::string& path, std::size_t max_bytes) {
  if (path != "-") {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec) && !ec) i18n::refuse("", i18n::Msg::file_missing, path);
    return read_file(path, max_bytes);
  }
  std::ostringstream ss;
  ss << std::cin.rdbuf();
  std::string data = ss.str();
  if (data.size() > max_bytes)
    throw_bad_input(fmt::format("standard input: {} bytes is over the limit of {} bytes; split the file",
                                data.size(), max_bytes));
  return data;
}

std::string decode_json_input(std::string_view bytes, std::string_view encoding, std::string_view name) {
  std::string text = csv::decode_to_utf8(bytes, encoding, name);
  // Outside strings a backslash is not JSON at all, so every backslash starts an escape.
  for (std::size_t i = text.find('\\'); i != std::string::npos; i = text.find('\\', i + 2)) {
    if (i + 6 > text.size() || text[i + 1] != 'u') continue;
    std::string hex = text.substr(i + 2, 4);
    for (char& c : hex) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
    if (hex != "FFFD") continue;
    throw_bad_input(fmt::format(
        "{} line {}: holds \"{}\", an escaped U+FFFD: the replacement character an earlier "
        "conversion left where it lost text; nothing was recorded: write the text as it should be "
        "and try again",
        name, 1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(i), '\n'),
        text.substr(i, 6)));
  }
  return text;
}

EventSource json_event_source(std::string text, std::string name, i18n::Lang lang) {
  auto preparer = std::make_shared<ParallelPreparer>(std::move(text), std::move(name), lang);
  return [preparer] { return preparer->next(); };
}

}  // namespace agtrace::cli
