// QR placement on whole printer dots.
#include "labeler/render/layout.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "ledger/util/error.h"

namespace agtrace::labeler {

int min_module_dots(int dpi) { return static_cast<int>(std::ceil(mm_to_dots(kMinModuleMm, dpi) - 1e-9)); }
int max_module_dots(int dpi) { return static_cast<int>(std::floor(mm_to_dots(kMaxModuleMm, dpi) + 1e-9)); }

double qr_box_needed_mm(int modules, int dpi) {
  return (modules + 2 * kQuietZoneModules) * min_module_dots(dpi) * kMmPerInch / dpi;
}

QrPlacement place_qr(double x_mm, double y_mm, double size_mm, int modules, int dpi) {
  int box = static_cast<int>(std::floor(mm_to_dots(size_mm, dpi) + 1e-9));
  int total = modules + 2 * kQuietZoneModules;
  int module = std::min(max_module_dots(dpi), box / total);
  if (module < min_module_dots(dpi)) {
    double need = qr_box_needed_mm(modules, dpi);
    throw_bad_input(fmt::format(
        "QR element: a {}-module symbol with its quiet zone needs a box of at least {:.1f} mm at {} dpi "
        "(modules of {} dots ≥ 0.396 mm); the template gives {} mm — enlarge size_mm or shorten the base URL",
        modules, need, dpi, min_module_dots(dpi), size_mm));
  }
  QrPlacement q;
  q.module = module;
  q.modules = modules;
  int x0 = static_cast<int>(std::lround(mm_to_dots(x_mm, dpi)));
  int y0 = static_cast<int>(std::lround(mm_to_dots(y_mm, dpi)));
  q.x = x0 + (box - q.side()) / 2;
  q.y = y0 + (box - q.side()) / 2;
  return q;
}

}  // namespace agtrace::labeler
