// The JSON Schema files of schemas/, compiled into the binaries.
//
// The files under schemas/ are the single source of truth for event, label-template and
// export shapes; the build embeds them verbatim (ledger/event/embed_schemas.cmake), so a
// binary validates against the schemas it was built with, wherever it runs.
#pragma once

#include <string_view>
#include <vector>

namespace agtrace {

struct EmbeddedSchema {
  std::string_view path;  // relative to schemas/, e.g. "events/harvest.schema.json"
  std::string_view text;  // the file's bytes (UTF-8 JSON)
};

// Every file under schemas/, sorted by path.
const std::vector<EmbeddedSchema>& embedded_schemas();

}  // namespace agtrace
