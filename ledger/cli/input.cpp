// One JSON event or JSON lines, from a file or standard input.
#include "ledger/cli/input.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <future>
#include <optional>
#include <thread>
#include <iostream>
#include <iterator>
#include <sstream>

#include "ledger/util/error.h"

namespace agtrace::cli {

std::string read_input(const std::string& path, std::size_t max_bytes) {
  std::string data;
  if (path == "-") {
    std::ostringstream ss;
    ss << std::cin.rdbuf();
    data = ss.str();
  } else {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw_bad_input(fmt::format("{}: cannot open the file", path));
    data.assign(std::istreambuf_iterator<char>(in), {});
  }
  if (data.size() > max_bytes)
    throw_bad_input(fmt::format("{}: {} bytes is over the limit of {} bytes; split the file", path,
                                data.size(), max_bytes));
  return data;
}

std::vector<PreparedEvent> events_from_json_text(const std::string& text, const std::string& name,
                                                 std::vector<std::string>& errors) {
  std::vector<PreparedEvent> events;
  std::vector<std::pair<std::size_t, std::string>> lines;
  std::size_t start = 0, number = 1;
  while (start <= text.size()) {
    auto end = text.find('\n', start);
    std::string line = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") != std::string::npos) lines.emplace_back(number, line);
    if (end == std::string::npos) break;
    start = end + 1;
    ++number;
  }
  // A document that does not fit on its first line is one pretty-printed event.
  bool single = lines.size() == 1;
  if (lines.size() > 1) {
    const std::string& first = lines.front().second;
    auto last = first.find_last_not_of(" \t");
    single = first[last] != '}';
  }
  if (single) {
    try {
      events.push_back(parse_event(text, name));
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::bad_input) throw;
      errors.push_back(e.what());
    }
    return events;
  }
  // Parsing and schema validation need no ledger: spread them over the cores, then
  // keep the file's order.
  std::vector<std::optional<PreparedEvent>> prepared(lines.size());
  std::vector<std::string> line_errors(lines.size());
  auto work = [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      try {
        prepared[i] = parse_event(lines[i].second, fmt::format("{} line {}", name, lines[i].first));
      } catch (const Error& e) {
        if (e.kind() != ErrorKind::bad_input) throw;
        line_errors[i] = e.what();
      }
    }
  };
  std::size_t threads = lines.size() < 1000 ? 1 : std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::future<void>> parts;
  for (std::size_t t = 0; t < threads; ++t)
    parts.push_back(std::async(std::launch::async, work, lines.size() * t / threads,
                               lines.size() * (t + 1) / threads));
  for (auto& part : parts) part.get();
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (prepared[i]) events.push_back(std::move(*prepared[i]));
    if (!line_errors[i].empty()) errors.push_back(line_errors[i]);
  }
  return events;
}

}  // namespace agtrace::cli
