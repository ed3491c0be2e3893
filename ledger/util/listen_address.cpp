// --listen HOST:PORT (listen_address.h).
#include "ledger/util/listen_address.h"

#include <fmt/format.h>

#include "ledger/util/error.h"

namespace agtrace {

ListenAddress parse_listen(const std::string& text, const std::string& example) {
  std::size_t colon = text.rfind(':');
  std::string host = colon == std::string::npos ? "" : text.substr(0, colon);
  std::string port = colon == std::string::npos ? "" : text.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  bool digits = !port.empty() && port.size() <= 5 && port.find_first_not_of("0123456789") == std::string::npos;
  if (host.empty() || !digits || std::stoi(port) > 65535)
    throw_bad_input(fmt::format("--listen \"{}\"：请写成 地址:端口，如 {} / give HOST:PORT, e.g. {}", text, example, example));
  return {host, std::stoi(port)};
}

}  // namespace agtrace
