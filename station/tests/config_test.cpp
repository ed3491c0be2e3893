// station.json (station/config.h): "station.json validated by a JSON schema; errors name the
// field and the fix, Chinese first" (issue 15).
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <functional>

#include "labeler/testing/qr_decode.h"
#include "ledger/note/ed25519_key.h"
#include "ledger/util/error.h"
#include "station/config.h"
#include "station/tests/fixture.h"

using namespace agtrace;
using namespace agtrace::station;
using Json = nlohmann::json;

namespace {

struct Files {
  std::string dir = labeler::testing::scratch_dir("station-config");
  std::string key = dir + "/coop-station.key";
  Files() { note::SigningKey::generate("coop-station").save(key); }
  Json valid() const { return Json::parse(testing::config_json(key, testing::bag_template(), {9100, 9101})); }
  std::string path() const { return dir + "/station.json"; }
};

std::string refusal(const Json& doc, const Files& f) {
  try {
    parse_config(doc.dump(), f.path());
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::bad_input);
    return e.what();
  }
  FAIL("not refused: " << doc.dump());
  return "";
}

bool has(const std::string& s, const std::string& part) {
  if (s.find(part) != std::string::npos) return true;
  MESSAGE("\"" << part << "\" not in: " << s);
  return false;
}

}  // namespace

TEST_CASE("a valid station.json: enterprises with their key and approved templates, printers, limits") {
  Files f;
  StationConfig c = parse_config(f.valid().dump(), f.path());
  REQUIRE(c.enterprises.size() == 1);
  const Enterprise* e = c.enterprise("COOP");
  REQUIRE(e);
  CHECK(e->key->name() == "coop-station");
  REQUIRE(e->templates.count("XSS-1"));
  CHECK(e->templates.at("XSS-1").label.name == "lucheng-bag-60x40");
  CHECK(e->templates.at("XSS-1").label.file_sha256.size() == 64);
  CHECK(c.printers.size() == 2);
  const PrinterConfig* p = c.printer("包装线2号");
  REQUIRE(p);
  CHECK(p->url == "tcp://127.0.0.1:9101");
  CHECK(p->language == "zpl");
  CHECK(template_fits(e->templates.at("XSS-1").label, *p));
  p = nullptr;
  CHECK(c.confirm_above == 20);
  CHECK_FALSE(c.secure_cookies);
  CHECK(c.max_labels_per_job == 10000);  // the default
  CHECK(c.supervisor_reprint_above == 10);  // the default
  CHECK(c.signin_lockout_minutes == 15);     // the default
  Json doc = f.valid();
  doc["signin_lockout_minutes"] = 1;
  CHECK(parse_config(doc.dump(), f.path()).signin_lockout_minutes == 1);
  doc = f.valid();
  doc["supervisor_reprint_above"] = 0;
  CHECK(parse_config(doc.dump(), f.path()).supervisor_reprint_above == 0);  // every reprint needs a supervisor
  CHECK(e->certificate_template->name == "lucheng-certificate-100x70");  // the fixture names one
  doc = f.valid();
  doc["enterprises"][0].erase("certificate_template");
  CHECK_FALSE(parse_config(doc.dump(), f.path()).enterprises[0].certificate_template);  // optional
}

TEST_CASE("relative paths in station.json are relative to its folder") {
  Files f;
  Json doc = f.valid();
  doc["enterprises"][0]["station_key"] = "coop-station.key";
  CHECK(parse_config(doc.dump(), f.path()).enterprises[0].key_path == f.key);
}

TEST_CASE("each refusal names the file, the field and the fix, Chinese first") {
  Files f;
  struct Case {
    const char* what;
    std::function<void(Json&)> edit;
    std::vector<std::string> expect;
  };
  std::vector<Case> cases = {
      {"no printers", [](Json& d) { d.erase("printers"); }, {"配置不符合", "printers"}},
      {"a bad url", [](Json& d) { d["printers"][1]["url"] = "http://10.0.0.5"; }, {"printers[1].url"}},
      {"a language", [](Json& d) { d["printers"][0]["language"] = "epl"; }, {"printers[0].language"}},
      {"a dpi", [](Json& d) { d["printers"][0]["dpi"] = 250; }, {"printers[0].dpi"}},
      {"an unknown field", [](Json& d) { d["colour"] = "red"; }, {"colour"}},
      {"a negative reprint threshold", [](Json& d) { d["supervisor_reprint_above"] = -1; }, {"supervisor_reprint_above"}},
      {"a lockout of no time", [](Json& d) { d["signin_lockout_minutes"] = 0; }, {"signin_lockout_minutes"}},
      {"a lockout over a day", [](Json& d) { d["signin_lockout_minutes"] = 1441; }, {"signin_lockout_minutes"}},
      {"a port", [](Json& d) { d["printers"][0]["url"] = "tcp://10.0.0.5:99999"; },
       {"字段 printers[0].url：端口 99999 无效", "tcp://HOST:9100"}},
      {"a printer twice", [](Json& d) { d["printers"][1]["name"] = "包装线1号"; },
       {"字段 printers[1].name：打印机名称“包装线1号”重复", "give each printer its own name"}},
      {"a missing key",
       [&](Json& d) { d["enterprises"][0]["station_key"] = "nowhere.key"; },
       {"字段 enterprises[0].station_key：读不出工作站密钥", "agtrace-ledger key gen"}},
      {"a template that is no template",
       [&](Json& d) { d["enterprises"][0]["templates"][0]["template"] = f.key + ".pub"; },
       {"字段 enterprises[0].templates[0].template：标签模板", "is refused"}},
      {"a product approved twice",
       [](Json& d) { d["enterprises"][0]["templates"][1]["product"] = "SCALLION-06901234567892"; },
       {"字段 enterprises[0].templates[1].product：产品 SCALLION-06901234567892 已有批准的模板"}},
      {"a certificate template that is no template",
       [&](Json& d) { d["enterprises"][0]["certificate_template"] = testing::bag_template(); },
       {"字段 enterprises[0].certificate_template：合格证模板", "is refused"}},
      {"an enterprise twice",
       [](Json& d) { d["enterprises"].push_back(d["enterprises"][0]); },
       {"字段 enterprises[1].party：企业 COOP 写了两次"}},
  };
  for (const auto& c : cases) {
    CAPTURE(c.what);
    Json doc = f.valid();
    c.edit(doc);
    std::string msg = refusal(doc, f);
    CHECK(msg.find(f.path()) == 0);
    for (const auto& e : c.expect) CHECK(has(msg, e));
  }
}

TEST_CASE("station.json that is not JSON, or too deep, is refused before the schema") {
  Files f;
  try {
    parse_config("{\"printers\": [", f.path());
    FAIL("not refused");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::bad_input);
    CHECK(std::string(e.what()).find(f.path()) != std::string::npos);
  }
  CHECK_THROWS_AS(load_config(f.dir + "/missing.json"), Error);
}

TEST_CASE("clerk_key: optional; loaded when given; a key that cannot be loaded is refused naming the field") {
  Files f;
  Json doc = f.valid();
  CHECK_FALSE(parse_config(doc.dump(), f.path()).enterprises[0].clerk_key);
  doc["enterprises"][0]["clerk_key"] = f.key;
  auto c = parse_config(doc.dump(), f.path());
  REQUIRE(c.enterprises[0].clerk_key);
  CHECK(c.enterprises[0].clerk_key->name() == "coop-station");
  doc["enterprises"][0]["clerk_key"] = f.dir + "/missing.key";
  std::string why = refusal(doc, f);
  CHECK(has(why, "字段 enterprises[0].clerk_key：读不出文员密钥"));
  CHECK(has(why, "role clerk"));
}

TEST_CASE("a clerk-only co-op (clerk_key without station_key or templates) is refused in Chinese, saying what to do") {
  Files f;
  for (const char* missing : {"station_key", "templates"}) {
    Json doc = f.valid();
    doc["enterprises"][0]["clerk_key"] = f.key;
    doc["enterprises"][0].erase(missing);
    std::string why = refusal(doc, f);
    CHECK(has(why, fmt::format("字段 enterprises[0].{}：企业 COOP 只写了文员密钥 clerk_key，还缺 {}。", missing, missing)));
    CHECK(has(why, "agtrace-ledger import"));
    CHECK_FALSE(has(why, "不符合 schemas"));
  }
  // Without clerk_key the schema's refusal stays.
  Json doc = f.valid();
  doc["enterprises"][0].erase("station_key");
  CHECK(has(refusal(doc, f), "不符合 schemas/station-config.schema.json"));
}

TEST_CASE("clerk_key: its enterprise is its holder, so one clerk key listed for two enterprises is refused") {
  Files f;
  Json doc = f.valid();
  const std::string other = f.dir + "/coop-b-clerk.key";
  note::SigningKey::generate("coop-b-clerk").save(other);
  doc["enterprises"][0]["clerk_key"] = f.key;
  Json b = doc["enterprises"][0];
  b["party"] = "COOP-B";
  b["clerk_key"] = other;
  doc["enterprises"].push_back(b);
  StationConfig c = parse_config(doc.dump(), f.path());
  REQUIRE(c.enterprises.size() == 2);
  CHECK(c.enterprise("COOP-B")->clerk_key->name() == "coop-b-clerk");
  doc["enterprises"][1]["clerk_key"] = f.key;
  std::string why = refusal(doc, f);
  CHECK(has(why, "字段 enterprises[1].clerk_key：文员密钥"));
  CHECK(has(why, "已经是 COOP 的文员密钥"));
  CHECK(has(why, "each enterprise a clerk key of its own"));
}

TEST_CASE("a template pinned by its SHA-256: the same file starts; a changed one is refused naming both hashes") {
  Files f;
  Json doc = f.valid();
  StationConfig unpinned = parse_config(doc.dump(), f.path());
  const std::string path = unpinned.enterprises[0].templates.at("XSS-1").path;
  const std::string sha = unpinned.enterprises[0].templates.at("XSS-1").label.file_sha256;
  // Not pinned: still starts, and the station lists it to warn of.
  CHECK(unpinned.enterprises[0].templates.at("XSS-1").pinned_sha256.empty());
  CHECK(unpinned_templates(unpinned).size() == doc["enterprises"][0]["templates"].size());
  // Pinned to the file's hash: starts, and is no longer listed.
  Json pinned = doc;
  std::size_t k = 0;
  while (pinned["enterprises"][0]["templates"][k]["product"] != "XSS-1") ++k;
  pinned["enterprises"][0]["templates"][k]["sha256"] = sha;
  StationConfig c = parse_config(pinned.dump(), f.path());
  CHECK(c.enterprises[0].templates.at("XSS-1").pinned_sha256 == sha);
  CHECK(unpinned_templates(c).size() == doc["enterprises"][0]["templates"].size() - 1);
  // Pinned to another hash (the file changed since it was approved): refused, Chinese first.
  const std::string approved(64, 'a');
  pinned["enterprises"][0]["templates"][k]["sha256"] = approved;
  std::string msg = refusal(pinned, f);
  CHECK(has(msg, fmt::format("字段 enterprises[0].templates[{}].sha256：产品 XSS-1 的标签模板 {} 和主管批准的不一样了", k, path)));
  CHECK(has(msg, "批准时的 SHA-256 是 " + approved + "，现在文件的是 " + sha));
  CHECK(has(msg, "agtrace-station template approve --template " + path));
  // Not a SHA-256 at all: the schema names the field.
  pinned["enterprises"][0]["templates"][k]["sha256"] = "ABC";
  CHECK(has(refusal(pinned, f), "sha256"));
}
