// Reading a file the user named on the command line (an input, a template, a facts file,
// a saved checkpoint, a .pub key) with the refusals a user can act on.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace agtrace {

// The bytes of `path`, at most `max_bytes`. `what` names where the path came from, e.g.
// "--template " (or "" when the path itself is the argument); every message starts with
// `what` and the path. Throws Error(bad_input) when the path is a folder ("is a folder,
// not a file"), cannot be opened (no such file, no permission) or is longer than
// `max_bytes`; Error(environment) when reading fails (an I/O error).
std::string read_file(const std::string& path, std::size_t max_bytes, std::string_view what = "");

}  // namespace agtrace
