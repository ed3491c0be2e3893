// Turning the bytes of an imported file into UTF-8 text.
//
// Files reach `agtrace-ledger import` from Excel and from older Chinese
// software, so they arrive either as UTF-8 (with or without the byte-order mark
// that Excel's "CSV UTF-8" writes) or as GB18030/GBK (Excel's plain "CSV" on a
// Chinese-locale Windows). The importer picks the decoding with `--encoding`
// (DESIGN §8); everything downstream works on UTF-8 only. Pure functions, no
// shared state; safe to call from any thread.
#pragma once

#include <string>
#include <string_view>

namespace agtrace::csv {

// Decodes `bytes` (the whole content of the file named `what`) from
// `encoding` into UTF-8 and returns the text without any byte-order mark.
//
// `encoding` is matched case-insensitively:
//   "utf-8" / "utf8" (the default) — strips one leading UTF-8 byte-order mark
//     (EF BB BF) and checks that the rest is well-formed UTF-8 as defined by
//     RFC 3629 §4 and Unicode 15.0 Table 3-7: overlong forms, surrogates
//     (U+D800..U+DFFF), code points above U+10FFFF and truncated sequences are
//     refused. The bytes are returned unchanged otherwise.
//   "gb18030", with "gbk" and "gb2312" as aliases (GB18030-2005 is a superset
//     of both) — converts with glibc iconv, then drops a leading U+FEFF.
//
// Nothing garbled is ever returned (issue 12): the ledger is append-only, so text
// decoded wrongly would stay wrong for ever. Throws agtrace::Error(bad_input) naming
// `what`, the 1-based line (counting 0x0A bytes from the start of the file) and the fix,
// when (the decoding refusals are i18n::Refusal, in Chinese and English: the clerk reads them
// in the language the import chose, issue 16):
//   - the encoding is none of the above (the message lists the accepted ones);
//   - UTF-8 is malformed: the message gives the line, the 0-based byte offset from the
//     start of the file and what is wrong, and says "add --encoding gb18030" when the
//     file has no UTF-8 byte-order mark and decodes as GB18030 in full, or says the file
//     is UTF-16 when it starts with a UTF-16 byte-order mark;
//   - GB18030 was asked for but the bytes are well-formed UTF-8 holding at least one
//     multi-byte character: the message names the first line with one, shows its text
//     read both ways, and says "drop --encoding gb18030". The rule: real GB18030 Chinese
//     text is almost never also well-formed UTF-8 (each lead byte would need exactly the
//     right count of 0x80-0xBF trail bytes, character after character), so such a file
//     is UTF-8. Pure ASCII is both and is accepted either way;
//   - GB18030 was asked for but the file starts with a UTF-8 byte-order mark;
//   - GB18030 is malformed or ends inside a character (line and byte offset);
//   - the decoded text holds U+FFFD, the replacement character an earlier conversion
//     left where it lost text (the line; export again from the original).
// Throws agtrace::Error(environment) if iconv cannot open the GB18030 converter
// (glibc's gconv modules are missing).
std::string decode_to_utf8(std::string_view bytes, std::string_view encoding,
                           std::string_view what);

// Checks a short text that is not a file (a key name typed on the command line or read
// from a .pub file): well-formed UTF-8 (as decode_to_utf8) without U+FFFD. Throws
// agtrace::Error(bad_input) naming `what` and the byte offset; when the bytes read as
// GB18030, the message says so (a Chinese-locale terminal) and how to fix it.
void check_utf8_text(std::string_view text, std::string_view what);

// Whether `encoding` (as given to decode_to_utf8) names UTF-8, the default.
bool is_utf8_encoding(std::string_view encoding);

}  // namespace agtrace::csv
