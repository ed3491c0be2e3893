// An independent drawing of a TSPL job, for tests (no open TSPL renderer exists): each
// BITMAP command drawn as the TSPL/TSPL2 Programming Manual defines it (mode 0, OVERWRITE;
// a set bit is white) and each QRCODE command (model 2, manual byte mode "B") drawn by
// ZXing-C++'s own QR encoder at the command's position and cell width, so that zbar can
// judge whether the printed QR decodes, and the picture can be compared with our PNG.
#pragma once

#include <string>
#include <vector>

#include "labeler/testing/qr_decode.h"

namespace agtrace::labeler::testing {

struct TsplLabel {
  GrayImage image;                   // width × height dots, white background
  std::vector<std::string> qr_data;  // the payload of each QRCODE command, in order
  int prints = 0;                    // PRINT commands seen
};

// Draws the first label of `tspl` (commands up to and including its first PRINT) on a
// width × height dot canvas. Throws std::runtime_error on a command it cannot read.
TsplLabel render_tspl(const std::string& tspl, int width, int height);

}  // namespace agtrace::labeler::testing
