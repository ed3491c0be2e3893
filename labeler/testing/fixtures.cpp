// Loading test fixtures from the source tree.
#include "labeler/testing/fixtures.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "labeler/testing/qr_decode.h"
#include "ledger/json/strict_parse.h"

namespace agtrace::labeler::testing {

LabelFacts sample_facts() {
  auto j = json::parse_strict(read_file(std::string(AGTRACE_FIXTURE_DIR) + "/facts.json"));
  LabelFacts f;
  f.base_url = j.at("base_url").get<std::string>();
  f.lot = j.at("lot").get<std::string>();
  f.lot_code = j.at("lot_code").get<std::string>();
  f.gtin14 = j.at("gtin14").get<std::string>();
  for (const auto& [k, v] : j.at("fields").items()) f.fields[k] = v.get<std::string>();
  return f;
}

LabelTemplate shipped_template(const std::string& name) {
  return load_template(std::string(AGTRACE_EXAMPLES_DIR) + "/templates/" + name + ".json");
}

LabelTemplate template_from_text(const std::string& json_text) {
  return parse_template(json::parse_strict(json_text), "test template");
}

int closed_loopback_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

}  // namespace agtrace::labeler::testing
