// ZPL ~HS and TSPL <ESC>!? answers (status.h has both formats).
#include "labeler/printer/status.h"

#include <fmt/format.h>

#include "ledger/util/error.h"

namespace agtrace::labeler {
namespace {

constexpr char kStx = '\x02', kEtx = '\x03';

// The bytes of an answer as printable text for a message: control bytes as <STX>, <ETX>,
// \xNN; at most 200 characters.
std::string printable(std::string_view b) {
  std::string out;
  for (unsigned char c : b.substr(0, 200)) {
    if (c == kStx) out += "<STX>";
    else if (c == kEtx) out += "<ETX>";
    else if (c == '\r') out += "<CR>";
    else if (c == '\n') out += "<LF>";
    else if (c < 0x20 || c >= 0x7f) out += fmt::format("\\x{:02X}", c);
    else out.push_back(static_cast<char>(c));
  }
  if (b.size() > 200) out += "…";
  return out;
}

[[noreturn]] void bad_answer(std::string_view answer, std::string_view why) {
  throw_environment(fmt::format("打印机的状态应答无法识别 / the printer's status answer is not a ZPL ~HS answer "
                                "({}): \"{}\"; check that the printer speaks ZPL II", why, printable(answer)));
}

std::vector<std::string_view> split_fields(std::string_view s) {
  std::vector<std::string_view> out;
  for (;;) {
    auto comma = s.find(',');
    out.push_back(s.substr(0, comma));
    if (comma == std::string_view::npos) return out;
    s.remove_prefix(comma + 1);
  }
}

long number(std::string_view answer, std::string_view field, int string_no, std::size_t index) {
  if (field.empty() || field.size() > 9 || field.find_first_not_of("0123456789") != std::string_view::npos)
    bad_answer(answer, fmt::format("string {} field {} is \"{}\", not a number", string_no, index + 1, field));
  long v = 0;
  for (char c : field) v = v * 10 + (c - '0');
  return v;
}

}  // namespace

std::optional<PrinterLanguage> printer_language(std::string_view format) {
  if (format == "zpl") return PrinterLanguage::zpl;
  if (format == "tspl") return PrinterLanguage::tspl;
  return std::nullopt;
}

std::string_view status_query(PrinterLanguage language) {
  return language == PrinterLanguage::zpl ? std::string_view("~HS") : std::string_view("\x1B!?");
}

bool PrinterStatus::ready() const {
  return !(paper_out || paused || head_open || ribbon_out || paper_jam || cover_open || over_temperature ||
           under_temperature || corrupt_ram);
}

std::string PrinterStatus::problem() const {
  std::vector<std::string> parts;
  if (paper_out) parts.push_back("打印机缺纸，请装纸 / printer out of paper: load labels");
  if (paper_jam) parts.push_back("打印机卡纸，请清除卡纸 / paper jam: clear the jammed labels");
  if (head_open) parts.push_back("打印头未合上，请合上打印头 / print head open: close the print head");
  if (cover_open) parts.push_back("机盖打开，请合上机盖 / cover open: close the cover");
  if (ribbon_out) parts.push_back("碳带用完，请换碳带 / ribbon out: load a new ribbon");
  if (paused) parts.push_back("打印机已暂停，请按暂停键取消暂停 / printer paused: press PAUSE to resume");
  if (over_temperature) parts.push_back("打印机温度过高，请稍候再试 / printer over temperature: let it cool down");
  if (under_temperature) parts.push_back("打印机温度过低，请稍候再试 / printer under temperature: let it warm up");
  if (corrupt_ram) parts.push_back("打印机配置丢失，请检查设置 / printer configuration lost: check its settings");
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "; ") + p;
  return out;
}

PrinterStatus parse_zpl_host_status(std::string_view answer) {
  std::vector<std::string_view> strings;
  std::string_view rest = answer;
  while (!rest.empty()) {
    char c = rest.front();
    if (c == '\r' || c == '\n') {
      rest.remove_prefix(1);
      continue;
    }
    if (c != kStx) bad_answer(answer, "a string does not start with <STX>");
    auto etx = rest.find(kEtx);
    if (etx == std::string_view::npos) bad_answer(answer, "a string does not end with <ETX>");
    strings.push_back(rest.substr(1, etx - 1));
    rest.remove_prefix(etx + 1);
  }
  if (strings.size() != 3) bad_answer(answer, fmt::format("{} strings instead of 3", strings.size()));
  auto s1 = split_fields(strings[0]);
  auto s2 = split_fields(strings[1]);
  // String 1 has 12 fields (aaa … l), string 2 has 11 (mmm … www); older firmware may
  // send fewer trailing ones, so only the fields read here are required.
  if (s1.size() < 8) bad_answer(answer, fmt::format("string 1 has {} fields, not 12", s1.size()));
  if (s2.size() < 4) bad_answer(answer, fmt::format("string 2 has {} fields, not 11", s2.size()));
  auto f1 = [&](std::size_t i) { return number(answer, s1[i], 1, i); };
  auto f2 = [&](std::size_t i) { return number(answer, s2[i], 2, i); };
  PrinterStatus st;
  st.raw = std::string(answer);
  st.paper_out = f1(1) == 1;
  st.paused = f1(2) == 1;
  st.formats_in_buffer = static_cast<int>(f1(4));
  st.buffer_full = f1(5) == 1;
  if (s1.size() >= 12) {
    st.corrupt_ram = f1(9) == 1;
    st.under_temperature = f1(10) == 1;
    st.over_temperature = f1(11) == 1;
  }
  st.head_open = f2(2) == 1;
  st.ribbon_out = f2(3) == 1;
  if (s2.size() >= 9) st.labels_remaining = f2(8);
  return st;
}

PrinterStatus decode_tspl_status(unsigned char b) {
  PrinterStatus st;
  st.raw = fmt::format("0x{:02X}", b);
  st.head_open = b & 0x01;
  st.paper_jam = b & 0x02;
  st.paper_out = b & 0x04;
  st.ribbon_out = b & 0x08;
  st.paused = b & 0x10;
  st.printing = b & 0x20;
  st.cover_open = b & 0x40;
  st.over_temperature = b & 0x80;
  return st;
}

std::vector<PrinterStatus> StatusParser::feed(std::string_view bytes) {
  std::vector<PrinterStatus> out;
  if (language_ == PrinterLanguage::tspl) {
    for (unsigned char c : bytes) out.push_back(decode_tspl_status(c));
    return out;
  }
  pending_.append(bytes);
  // An answer is complete at its third <ETX>; CR LF after it belong to no answer.
  for (;;) {
    std::size_t start = pending_.find_first_not_of("\r\n");
    if (start == std::string::npos) {
      pending_.clear();
      break;
    }
    std::size_t pos = start;
    int etx = 0;
    while (etx < 3) {
      pos = pending_.find(kEtx, pos);
      if (pos == std::string::npos) break;
      ++pos;
      ++etx;
    }
    if (etx < 3) {
      pending_.erase(0, start);
      if (pending_.size() > 4096) bad_answer(pending_, "more than 4096 bytes without three <ETX>");
      break;
    }
    out.push_back(parse_zpl_host_status(std::string_view(pending_).substr(start, pos - start)));
    pending_.erase(0, pos);
  }
  return out;
}

}  // namespace agtrace::labeler
