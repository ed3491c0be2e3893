// The station's web UI files (station/assets/: HTML, CSS, JS, icons), embedded in the binary
// at build time by station/embed_assets.cmake: the UI needs no CDN, no internet and no files
// beside the program.
#pragma once

#include <string_view>
#include <vector>

namespace agtrace::station {

struct Asset {
  std::string_view path;          // URL path, e.g. "/app.js" ("/" for index.html)
  std::string_view content_type;  // e.g. "text/javascript; charset=utf-8"
  std::string_view bytes;
};

const std::vector<Asset>& embedded_assets();

}  // namespace agtrace::station
