// Label geometry in printer dots: millimetres at a resolution, and where the QR symbol
// goes. Pure arithmetic.
//
// QR modules fall on whole dots and stay within GS1's 0.396–0.990 mm X-dimension for
// QR Code in GS1 system applications (GS1 General Specifications §5.12.3, symbol
// specification table 1/2), with a 4-module quiet zone (ISO/IEC 18004 §9.1): at 203 dpi
// that is 4–7 dots, at 300 dpi 5–11, at 600 dpi 10–23.
#pragma once

namespace agtrace::labeler {

inline constexpr double kMmPerInch = 25.4;
inline constexpr double kMinModuleMm = 0.396;
inline constexpr double kMaxModuleMm = 0.990;
inline constexpr int kQuietZoneModules = 4;

inline double mm_to_dots(double mm, int dpi) { return mm * dpi / kMmPerInch; }

// Smallest and largest whole-dot module at `dpi` within GS1's limits.
int min_module_dots(int dpi);
int max_module_dots(int dpi);

// The side of the smallest square box (mm) that holds a symbol of `modules` modules with its
// quiet zone at the GS1 minimum module of `dpi` (what place_qr needs).
double qr_box_needed_mm(int modules, int dpi);

// Where a QR symbol of `modules` × `modules` sits: its top-left corner (excluding the
// quiet zone) and module size, in dots.
struct QrPlacement {
  int x = 0, y = 0;
  int module = 0;   // dots per module
  int modules = 0;  // symbol side in modules
  int side() const { return module * modules; }
};

// Places a symbol of `modules` modules in the square box (`x_mm`, `y_mm`, side `size_mm`)
// with the largest module that fits the symbol plus quiet zone, capped at the GS1
// maximum, centred in the box. Throws Error(bad_input) if even the GS1 minimum module
// does not fit: the message names the needed box size in mm.
QrPlacement place_qr(double x_mm, double y_mm, double size_mm, int modules, int dpi);

}  // namespace agtrace::labeler
