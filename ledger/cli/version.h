// What `--version` prints for each agtrace program (issue 13): the project version and the
// source revision it was built from (agtrace_version.h, written at build time by
// cmake/version.cmake), and the ledger formats this build reads and writes.
#pragma once

#include <string>

#include "agtrace_version.h"
#include "ledger/event/rules_version.h"
#include "ledger/store/schema.h"

namespace agtrace::cli {

// "agtrace-ledger 0.1.0 (revision b822c5b…)\nledger schema version 1, rules version 2".
inline std::string version_text(const std::string& program) {
  return program + " " AGTRACE_VERSION " (revision " AGTRACE_REVISION ")\nledger schema version " +
         std::to_string(store::kSchemaVersion) + ", rules version " + std::to_string(kCurrentRulesVersion);
}

}  // namespace agtrace::cli
