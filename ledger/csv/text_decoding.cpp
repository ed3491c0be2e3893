// Byte-to-UTF-8 decoding for imported files: a strict UTF-8 validator
// (RFC 3629 §4, Unicode 15.0 Table 3-7) and GB18030 conversion through glibc
// iconv.
#include "ledger/csv/text_decoding.h"

#include <fmt/format.h>
#include <iconv.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "ledger/i18n/refusal.h"
#include "ledger/util/error.h"

namespace agtrace::csv {

namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";  // U+FFFD
constexpr std::string_view kEncodingHint =
    "accepted encodings: utf-8 (the default), gb18030 (also gbk, gb2312)";

struct Utf8Fault {
  std::size_t offset;
  std::string reason;
};

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
    return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  });
  return out;
}

// The 1-based line holding byte `offset`. In both UTF-8 and GB18030 the byte
// 0x0A only ever stands for a line feed, so counting it is exact.
std::size_t line_of(std::string_view bytes, std::size_t offset) {
  return 1 + static_cast<std::size_t>(std::count(
                 bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
}

// Checks `text` against Unicode 15.0 Table 3-7 (well-formed UTF-8 byte
// sequences); returns the first fault, offsets relative to `text`.
std::optional<Utf8Fault> find_utf8_fault(std::string_view text) {
  const auto byte = [&](std::size_t i) { return static_cast<std::uint8_t>(text[i]); };
  std::size_t i = 0;
  while (i < text.size()) {
    const std::uint8_t lead = byte(i);
    if (lead < 0x80) {
      ++i;
      continue;
    }
    std::size_t length = 0;
    std::uint8_t second_min = 0x80;
    std::uint8_t second_max = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      if (lead == 0xE0) second_min = 0xA0;  // below: overlong
      if (lead == 0xED) second_max = 0x9F;  // above: surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      if (lead == 0xF0) second_min = 0x90;  // below: overlong
      if (lead == 0xF4) second_max = 0x8F;  // above: beyond U+10FFFF
    } else if (lead >= 0x80 && lead <= 0xBF) {
      return Utf8Fault{i, fmt::format("continuation byte 0x{:02X} without a lead byte", lead)};
    } else if (lead == 0xC0 || lead == 0xC1) {
      return Utf8Fault{i, fmt::format("byte 0x{:02X} starts an overlong encoding", lead)};
    } else {
      return Utf8Fault{i, fmt::format("byte 0x{:02X} never occurs in UTF-8", lead)};
    }
    if (i + 1 < text.size()) {
      const std::uint8_t second = byte(i + 1);
      if (second >= 0x80 && second <= 0xBF && (second < second_min || second > second_max)) {
        const char* what = lead == 0xED   ? "a UTF-16 surrogate (U+D800..U+DFFF)"
                           : lead == 0xF4 ? "a code point beyond U+10FFFF"
                                          : "an overlong encoding";
        return Utf8Fault{i, fmt::format("bytes 0x{:02X} 0x{:02X} start {}", lead, second, what)};
      }
    }
    for (std::size_t k = 1; k < length; ++k) {
      if (i + k >= text.size()) {
        return Utf8Fault{i, fmt::format("the file ends inside a {}-byte sequence", length)};
      }
      const std::uint8_t next = byte(i + k);
      if (next < 0x80 || next > 0xBF) {
        return Utf8Fault{i + k, fmt::format("byte 0x{:02X} where a continuation byte of the "
                                            "{}-byte sequence at offset {} was expected",
                                            next, length, i)};
      }
    }
    i += length;
  }
  return std::nullopt;
}

// The offset of the first U+FFFD (EF BF BD) in well-formed UTF-8 `text`, if any.
std::optional<std::size_t> find_replacement_character(std::string_view text) {
  const std::size_t at = text.find(kReplacementCharacter);
  return at == std::string_view::npos ? std::nullopt : std::optional(at);
}

// Refuses decoded `text` that holds U+FFFD: an earlier conversion lost characters there,
// and the ledger would keep the loss for ever.
void check_no_replacement_character(std::string_view text, std::string_view what) {
  if (const auto at = find_replacement_character(text)) {
    // The text around it on its line, so that the clerk finds the cell: up to 8 characters either side.
    std::size_t from = text.rfind('\n', *at);
    from = from == std::string_view::npos ? 0 : from + 1;
    std::size_t to = text.find_first_of("\r\n", *at);
    to = to == std::string_view::npos ? text.size() : to;
    std::size_t begin = *at, end = *at + kReplacementCharacter.size();
    for (int n = 0; n < 8 && begin > from; ++n)
      do --begin; while (begin > from && (static_cast<unsigned char>(text[begin]) & 0xC0) == 0x80);
    for (int n = 0; n < 8 && end < to; ++n)
      do ++end; while (end < to && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80);
    i18n::refuse_zh_en("", i18n::Msg::encoding_lost_characters, std::string(what), line_of(text, *at),
                 std::string(text.substr(begin, end - begin)));
  }
}

class IconvHandle {
 public:
  IconvHandle(const char* to, const char* from) : cd_(iconv_open(to, from)) {
    if (cd_ == reinterpret_cast<iconv_t>(-1)) {
      throw_environment(
          fmt::format("cannot open the iconv converter from {} to {} (errno {}); are glibc's gconv "
                      "modules installed?",
                      from, to, errno));
    }
  }
  ~IconvHandle() { iconv_close(cd_); }
  IconvHandle(const IconvHandle&) = delete;
  IconvHandle& operator=(const IconvHandle&) = delete;
  iconv_t get() const { return cd_; }

 private:
  iconv_t cd_;
};

struct Gb18030Result {
  std::string text;
  std::optional<std::size_t> bad_offset;  // set when conversion failed there
  bool truncated = false;                 // input ended inside a character
};

Gb18030Result convert_gb18030(std::string_view bytes) {
  IconvHandle cd("UTF-8", "GB18030");
  Gb18030Result result;
  // GB18030 characters take 1, 2 or 4 bytes and become 1 to 4 UTF-8 bytes:
  // twice the input plus slack always suffices, but E2BIG is handled anyway.
  result.text.resize(bytes.size() * 2 + 16);
  // iconv's interface takes char** but does not write through the input.
  char* in = const_cast<char*>(bytes.data());
  std::size_t in_left = bytes.size();
  std::size_t produced = 0;
  while (in_left > 0) {
    char* out = result.text.data() + produced;
    std::size_t out_left = result.text.size() - produced;
    const std::size_t rc = iconv(cd.get(), &in, &in_left, &out, &out_left);
    produced = result.text.size() - out_left;
    if (rc != static_cast<std::size_t>(-1)) break;
    if (errno == E2BIG) {
      result.text.resize(result.text.size() * 2);
      continue;
    }
    result.bad_offset = bytes.size() - in_left;
    result.truncated = errno == EINVAL;
    break;
  }
  result.text.resize(produced);
  return result;
}

std::string decode_utf8(std::string_view bytes, std::string_view what) {
  const std::size_t skip = bytes.starts_with(kUtf8Bom) ? kUtf8Bom.size() : 0;
  const std::string_view text = bytes.substr(skip);
  const std::optional<Utf8Fault> fault = find_utf8_fault(text);
  if (!fault) {
    check_no_replacement_character(text, what);
    return std::string(text);
  }

  const std::size_t offset = skip + fault->offset;
  const std::size_t line = line_of(bytes, offset);
  if (bytes.starts_with("\xFF\xFE") || bytes.starts_with("\xFE\xFF"))
    i18n::refuse("", i18n::Msg::encoding_utf16_not_utf8, what, line, offset, fault->reason);
  // Bytes that read as GB18030: a Chinese sheet saved as Excel's plain CSV. Whoever reads this
  // refusal when no language was chosen (what()) reads Chinese: both languages, Chinese first.
  if (skip == 0 && !convert_gb18030(bytes).bad_offset)
    i18n::refuse_zh_en("", i18n::Msg::encoding_gb18030_not_utf8, what, line, offset, fault->reason);
  i18n::refuse("", i18n::Msg::encoding_invalid_utf8, what, line, offset, fault->reason);
}

// Whether every non-ASCII character of well-formed UTF-8 `text` is Chinese writing: a CJK
// ideograph (U+3400-U+4DBF, U+4E00-U+9FFF, U+F900-U+FAFF, U+20000-U+2FFFF), CJK punctuation
// (U+3000-U+303F) or a full-width form (U+FF00-U+FFEF). Text that holds none is not.
bool all_chinese(std::string_view text) {
  bool any = false;
  for (std::size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    if (lead < 0x80) {
      ++i;
      continue;
    }
    const std::size_t n = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
    std::uint32_t cp = lead & (n == 4 ? 0x07 : n == 3 ? 0x0F : 0x1F);
    for (std::size_t k = 1; k < n && i + k < text.size(); ++k) cp = (cp << 6) | (text[i + k] & 0x3F);
    i += n;
    const bool chinese = (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
                         (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x2FFFF) ||
                         (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFF00 && cp <= 0xFFEF);
    if (!chinese) return false;
    any = true;
  }
  return any;
}

// Refuses `bytes` named as GB18030 that are well-formed UTF-8 holding a multi-byte
// character and that read as Chinese in UTF-8. Pure ASCII reads the same either way and
// passes. Real GB18030 Chinese text of more than a few characters is almost never
// well-formed UTF-8 as well: a GB18030 character's lead byte (0x81-0xFE) would have to be a
// UTF-8 lead byte followed by exactly the right number of 0x80-0xBF trail bytes, again and
// again. So such a file is UTF-8, and reading it as GB18030 would store mojibake
// (潞城区店上镇 as 娼炲煄鍖哄簵涓婇晣) in a log that can never be corrected in place. A short
// GB18030 text can happen to be well-formed UTF-8 (陆 is C2 BD, "½" in UTF-8; 太原 reads as
// "̫ԭ"): when its UTF-8 reading is not all Chinese but its GB18030 reading is, it is the
// GB18030 the clerk named, and passes.
void check_not_utf8(std::string_view bytes, std::string_view what) {
  if (find_utf8_fault(bytes)) return;
  const auto first = std::find_if(bytes.begin(), bytes.end(),
                                  [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
  if (first == bytes.end()) return;
  if (!all_chinese(bytes)) {
    const Gb18030Result as_named = convert_gb18030(bytes);
    if (!as_named.bad_offset && all_chinese(as_named.text)) return;
  }
  // The run of non-ASCII characters starting there, at most 12 characters, read both ways.
  const std::size_t start = static_cast<std::size_t>(first - bytes.begin());
  std::size_t end = start;
  for (int chars = 0; end < bytes.size() && chars < 12; ++chars) {
    const auto lead = static_cast<unsigned char>(bytes[end]);
    if (lead < 0x80) break;
    end += lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
  }
  const std::string_view run = bytes.substr(start, end - start);
  const Gb18030Result misread = convert_gb18030(run);
  const i18n::Words as_gb18030 =
      misread.bad_offset ? i18n::Words{}
                         : i18n::Words{fmt::format("，按 GB18030 读是「{}」", misread.text),
                                       fmt::format(", as GB18030 \"{}\"", misread.text)};
  i18n::refuse("", i18n::Msg::encoding_utf8_not_gb18030, what, line_of(bytes, start), run, as_gb18030);
}

std::string decode_gb18030(std::string_view bytes, std::string_view what) {
  if (bytes.starts_with(kUtf8Bom)) i18n::refuse("", i18n::Msg::encoding_bom_not_gb18030, what);
  check_not_utf8(bytes, what);
  Gb18030Result result = convert_gb18030(bytes);
  if (result.bad_offset) {
    const std::size_t offset = *result.bad_offset;
    if (result.truncated) {
      i18n::refuse("", i18n::Msg::gb18030_truncated, what, line_of(bytes, offset), offset);
    }
    // Not UTF-8 either (check_not_utf8 passed): the bytes are neither encoding.
    i18n::refuse("", i18n::Msg::gb18030_invalid, what, line_of(bytes, offset), offset,
                 static_cast<unsigned>(static_cast<std::uint8_t>(bytes[offset])));
  }
  if (std::string_view(result.text).starts_with(kUtf8Bom)) {
    result.text.erase(0, kUtf8Bom.size());
  }
  check_no_replacement_character(result.text, what);
  return std::move(result.text);
}

}  // namespace

void check_utf8_text(std::string_view text, std::string_view what) {
  if (const std::optional<Utf8Fault> fault = find_utf8_fault(text)) {
    throw_bad_input(fmt::format(
        "{}: invalid UTF-8 at byte offset {}: {}{}", what, fault->offset, fault->reason,
        convert_gb18030(text).bad_offset
            ? ""
            : "; it looks like GB18030/GBK, as a Chinese-locale terminal or editor writes it: "
              "type it again with a UTF-8 locale (e.g. LANG=zh_CN.UTF-8)"));
  }
  if (const auto at = find_replacement_character(text)) {
    throw_bad_input(fmt::format(
        "{}: holds U+FFFD (\"{}\") at byte offset {}, the replacement character a failed "
        "conversion leaves where it lost text; type it again",
        what, kReplacementCharacter, *at));
  }
}

bool is_utf8_encoding(std::string_view encoding) {
  const std::string name = ascii_lower(encoding);
  return name == "utf-8" || name == "utf8";
}

std::string decode_to_utf8(std::string_view bytes, std::string_view encoding,
                           std::string_view what) {
  const std::string name = ascii_lower(encoding);
  if (is_utf8_encoding(name)) return decode_utf8(bytes, what);
  if (name == "gb18030" || name == "gbk" || name == "gb2312") return decode_gb18030(bytes, what);
  throw_bad_input(fmt::format("{}: unknown encoding '{}'; {}", what, encoding, kEncodingHint));
}

}  // namespace agtrace::csv
