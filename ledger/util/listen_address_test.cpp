// parse_listen (listen_address.h): the forms --listen takes, and the refusals.
#include <doctest/doctest.h>

#include "ledger/util/error.h"
#include "ledger/util/listen_address.h"

using namespace agtrace;

TEST_CASE("--listen: HOST:PORT and [V6]:PORT; anything else refused naming the option and an example") {
  auto a = parse_listen("127.0.0.1:8080", "127.0.0.1:8080");
  CHECK(a.host == "127.0.0.1");
  CHECK(a.port == 8080);
  auto v6 = parse_listen("[::1]:0", "127.0.0.1:8080");
  CHECK(v6.host == "::1");
  CHECK(v6.port == 0);
  for (const char* bad : {"nowhere", "127.0.0.1:", ":8080", "127.0.0.1:65536", "127.0.0.1:80a", "127.0.0.1:123456"}) {
    CAPTURE(bad);
    try {
      parse_listen(bad, "127.0.0.1:8090");
      FAIL("accepted");
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::bad_input);
      const std::string what = e.what();
      CHECK(what.find(std::string("--listen \"") + bad + "\"：请写成 地址:端口，如 127.0.0.1:8090") == 0);
      CHECK(what.find("give HOST:PORT, e.g. 127.0.0.1:8090") != std::string::npos);
    }
  }
}
