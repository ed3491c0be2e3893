// Printer status queries and their answers: what makes a label "confirmed" (DESIGN §4
// "Job order", docs/printer-station.md).
//
// A raw-TCP printer reads the job as one byte stream, in order. A status query sent after
// a label's bytes can only be answered once the printer has read those bytes, so an answer
// proves that everything before its query reached the printer — and the answer says
// whether the printer was ready to print it. Two languages:
//
//   ZPL II  ~HS, Host Status Return (ZPL II Programming Guide, "~HS"). The answer is three
//           strings, each <STX>…<ETX><CR><LF>:
//             1  aaa,b,c,dddd,eee,f,g,h,iii,j,k,l   b paper out, c pause, dddd label length
//                (dots), eee formats in the receive buffer, f buffer full, g communications
//                diagnostic mode, h partial format, iii unused, j corrupt RAM, k under
//                temperature, l over temperature
//             2  mmm,n,o,p,q,r,s,t,uuuuuuuu,v,www   o head up, p ribbon out, q thermal
//                transfer, r print mode, s print width mode, t label waiting, uuuuuuuu
//                labels remaining in batch, v format while printing, www graphic images
//             3  xxxx,y                             password, static RAM installed
//           Zebra documents that a printer with its media out, ribbon out or head open may
//           not answer at all: no answer within the timeout is reported as such.
//   TSPL    <ESC>!? (TSC TSPL/TSPL2 Programming Manual, "Status polling commands"): one
//           byte, 0x00 ready; bit 0 head opened, 1 paper jam, 2 out of paper, 3 out of
//           ribbon, 4 pause, 5 printing, 6 cover opened, 7 environment temperature over
//           range. Printing (bit 5) alone is ready.
//
// Pure: no sockets here (output.cpp sends the queries and feeds the answers in).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace agtrace::labeler {

enum class PrinterLanguage { zpl, tspl };

// The language of a printer output format: "zpl" or "tspl"; nullopt for formats that have
// no status query (png, svg, pdf).
std::optional<PrinterLanguage> printer_language(std::string_view format);

// The query's bytes: "~HS" or "\x1B!?".
std::string_view status_query(PrinterLanguage language);

// One answer, with every flag the answer carries. Flags a language does not report stay
// false.
struct PrinterStatus {
  bool paper_out = false;        // ZPL b / TSPL bit 2            缺纸
  bool paused = false;           // ZPL c / TSPL bit 4            暂停
  bool head_open = false;        // ZPL o (head up) / TSPL bit 0  打印头未合上
  bool ribbon_out = false;       // ZPL p / TSPL bit 3            碳带用完
  bool paper_jam = false;        // TSPL bit 1                    卡纸
  bool cover_open = false;       // TSPL bit 6                    机盖打开
  bool over_temperature = false; // ZPL l / TSPL bit 7            温度过高
  bool under_temperature = false;// ZPL k                         温度过低
  bool corrupt_ram = false;      // ZPL j: configuration lost     配置丢失
  bool buffer_full = false;      // ZPL f: a warning, not a fault
  bool printing = false;         // TSPL bit 5: not a fault
  int formats_in_buffer = 0;     // ZPL eee
  long labels_remaining = 0;     // ZPL uuuuuuuu
  std::string raw;               // the answer as received, for messages

  // No fault: paper, head, ribbon, pause, jam, cover, temperature and RAM all fine.
  bool ready() const;
  // What is wrong and what to do, Chinese first, then English, e.g. "打印机缺纸，请装纸 /
  // printer out of paper: load labels"; several faults joined by "; ". Empty when ready().
  std::string problem() const;
};

// Parses a stream of answers incrementally. feed() takes whatever bytes arrived and
// returns the answers they completed, in order; a partial answer waits for more bytes.
// Throws Error(environment) naming the bytes when an answer cannot be a status answer
// (a ZPL string that is not STX…ETX with the documented fields).
class StatusParser {
 public:
  explicit StatusParser(PrinterLanguage language) : language_(language) {}
  std::vector<PrinterStatus> feed(std::string_view bytes);

 private:
  PrinterLanguage language_;
  std::string pending_;                // ZPL bytes not yet making a whole answer
};

// Parses one whole ZPL ~HS answer (three STX…ETX strings, CR LF between and after).
// Throws Error(environment) when it is not one.
PrinterStatus parse_zpl_host_status(std::string_view answer);

// Decodes one TSPL <ESC>!? status byte.
PrinterStatus decode_tspl_status(unsigned char byte);

}  // namespace agtrace::labeler
