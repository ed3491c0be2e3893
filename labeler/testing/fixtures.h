// Shared fixtures for labeler tests: the sample lot facts of tests/labeler/facts.json and
// the shipped templates of examples/templates/. For tests only.
#pragma once

#include <string>

#include "labeler/template/content.h"
#include "labeler/template/template.h"

namespace agtrace::labeler::testing {

// tests/labeler/facts.json as LabelFacts.
LabelFacts sample_facts();
// examples/templates/NAME.json.
LabelTemplate shipped_template(const std::string& name);
// A template from JSON text (for tests that vary one thing).
LabelTemplate template_from_text(const std::string& json_text);
// A loopback TCP port nobody listens on (bound once by the kernel, then closed): a printer
// that does not answer.
int closed_loopback_port();

}  // namespace agtrace::labeler::testing
