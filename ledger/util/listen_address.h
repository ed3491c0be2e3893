// The `--listen HOST:PORT` option of the programs that serve HTTP (agtrace-verifier,
// agtrace-station).
#pragma once

#include <string>

namespace agtrace {

struct ListenAddress {
  std::string host;  // an IPv4 address, a name, or an IPv6 address without its brackets
  int port = 0;      // 0..65535; 0 lets the kernel choose
};

// Parses "HOST:PORT" or "[V6]:PORT". Throws Error(bad_input) naming --listen and showing
// `example` (e.g. "127.0.0.1:8080"), Chinese first, when the host is missing or the port is
// not a number from 0 to 65535.
ListenAddress parse_listen(const std::string& text, const std::string& example);

}  // namespace agtrace
