// Rendering one 承诺达标合格证 (docs/certificate.md): a template and a certificate's facts
// to the bytes of one file, through the label painter and writers (render/), so that a
// certificate prints as labels do — Chinese text as graphics on thermal printers (ZPL
// ~DG/^XG, TSPL BITMAP), the QR code as the printer's own QR command in 8-bit byte mode
// on whole-dot modules with a 4-module quiet zone (DESIGN §4), holding the certificate's
// page URL ({base_url}/c/{number}).
//
// Formats:
//   png   one PNG at the resolution
//   pdf   one page of the template's size (vector; cairo)
//   zpl   ZPL II, one label (^XA … ^XZ)
//   tspl  TSPL/TSPL2, one label (PRINT 1,1)
//   a5    a PDF of an A5 sheet (一车一证, the certificate that travels with a vehicle
//         load): the template must be A5, 148 × 210 mm portrait or 210 × 148 landscape
#pragma once

#include <string>
#include <string_view>

#include "labeler/certificate/certificate_facts.h"
#include "labeler/certificate/certificate_template.h"

namespace agtrace::labeler {

struct RenderedCertificate {
  std::string extension;  // png, pdf, zpl, tspl
  std::string bytes;
};

// Renders `f` with `t` at `dpi` dots per inch (203, 300 or 600; 0 for the template's).
// Throws Error(bad_input) for an unknown format, a5 with a template that is not A5,
// a bad dpi, text that does not fit its box even at its minimum size (naming the element
// and the value), or a URL too long for a QR code that fits its box. Nothing is written
// anywhere: the caller writes the bytes.
RenderedCertificate render_certificate(const CertificateTemplate& t, const CertificateFacts& f,
                                       std::string_view format, int dpi = 0);

}  // namespace agtrace::labeler
