// Headless Chromium (Debian `chromium`) with the flags of DESIGN §7, for the browser
// tests: a phone-sized 360×740 viewport at scale 1, zh-CN, no background networking, a
// virtual-time budget of 3 s for the page to settle. For tests only.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "tests/support/process.h"

namespace agtrace::testing {

inline constexpr const char* kChromium = "/usr/bin/chromium";

// Runs Chromium on `url` with its own `profile` folder and the `extra` flags
// ("--dump-dom", "--screenshot=FILE", a different "--window-size=W,H" …), killed after
// 120 s (a liveness bound). Check the result's exit status; `out` holds the dumped DOM.
ProcessResult headless_chromium(const std::filesystem::path& profile, const std::vector<std::string>& extra,
                                const std::string& url);

}  // namespace agtrace::testing
