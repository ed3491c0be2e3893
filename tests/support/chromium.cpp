// Headless Chromium for the browser tests (chromium.h).
#include "tests/support/chromium.h"

namespace agtrace::testing {

ProcessResult headless_chromium(const std::filesystem::path& profile, const std::vector<std::string>& extra,
                                const std::string& url) {
  std::vector<std::string> argv = {kChromium,
                                   "--headless",
                                   "--no-sandbox",
                                   "--disable-gpu",
                                   "--no-first-run",
                                   "--disable-background-networking",
                                   "--disable-component-update",
                                   "--disable-sync",
                                   "--user-data-dir=" + profile.string(),
                                   "--window-size=360,740",
                                   "--hide-scrollbars",
                                   "--force-device-scale-factor=1",
                                   "--lang=zh-CN",
                                   "--accept-lang=zh-CN,zh",
                                   "--virtual-time-budget=3000"};
  argv.insert(argv.end(), extra.begin(), extra.end());  // a later --window-size wins
  argv.push_back(url);
  RunOptions o;
  o.timeout = std::chrono::seconds(120);
  return run(argv, o);
}

}  // namespace agtrace::testing
