// station.json: strict parse, schema, then the checks a schema cannot make.
#include "station/config.h"

#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <set>

#include "ledger/event/schema_validator.h"
#include "ledger/json/strict_parse.h"
#include "ledger/note/verifier_key.h"
#include "ledger/util/error.h"
#include "ledger/util/read_file.h"

namespace agtrace::station {
namespace {

[[noreturn]] void refuse(const std::string& path, const std::string& field, const std::string& zh,
                         const std::string& en) {
  throw_bad_input(fmt::format("{} 字段 {}：{} / {}: field {}: {}", path, field, zh, path, field, en));
}

std::string resolve(const std::string& config_path, const std::string& p) {
  std::filesystem::path given(p);
  if (given.is_absolute()) return p;
  return (std::filesystem::path(config_path).parent_path() / given).lexically_normal().string();
}

}  // namespace

const Enterprise* StationConfig::enterprise(const std::string& party) const {
  for (const auto& e : enterprises)
    if (e.party == party) return &e;
  return nullptr;
}

const PrinterConfig* StationConfig::printer(const std::string& name) const {
  for (const auto& p : printers)
    if (p.name == name) return &p;
  return nullptr;
}

std::vector<std::string> unpinned_templates(const StationConfig& c) {
  std::vector<std::string> out;
  for (const auto& e : c.enterprises)
    for (const auto& [product, t] : e.templates)
      if (t.pinned_sha256.empty()) out.push_back(fmt::format("{}/{} ({})", e.party, product, t.path));
  return out;
}

bool template_fits(const labeler::LabelTemplate& t, const PrinterConfig& p) {
  return std::fabs(t.width_mm - p.label_width_mm) <= 0.5 && std::fabs(t.height_mm - p.label_height_mm) <= 0.5;
}

StationConfig parse_config(const std::string& text, const std::string& path) {
  json::Limits limits;
  limits.max_document_bytes = 1 << 20;
  limits.max_string_bytes = 4096;
  limits.max_depth = 8;
  nlohmann::json doc = json::parse_strict(text, limits, path);
  // An enterprise listed only for its clerk (clerk_key without station_key or templates):
  // explained in the clerk's terms before the schema's generic "required" (docs/station.md
  // "只上传记录的企业").
  if (doc.is_object() && doc.contains("enterprises") && doc["enterprises"].is_array())
    for (std::size_t i = 0; i < doc["enterprises"].size(); ++i) {
      const auto& e = doc["enterprises"][i];
      if (!e.is_object() || !e.contains("clerk_key")) continue;
      for (const char* need : {"station_key", "templates"})
        if (!e.contains(need))
          refuse(path, fmt::format("enterprises[{}].{}", i, need),
                 fmt::format("企业 {} 只写了文员密钥 clerk_key，还缺 {}。工作站上的每个企业都要有自己的工作站密钥和至少一个标签模板"
                             "（操作员为它打印标签、开合格证都用它）；只上传记录、不打印的合作社请由文员在电脑上用 "
                             "agtrace-ledger import 导入，或给它生成工作站密钥（agtrace-ledger key gen）并在账本登记后写上 "
                             "station_key 和 templates",
                             e.value("party", "?"), need),
                 fmt::format("enterprise {} has a clerk_key but no {}: every enterprise of a station needs its own "
                             "station key and at least one label template; a co-op that only uploads records imports "
                             "them with agtrace-ledger import instead",
                             e.value("party", "?"), need));
    }
  static const SchemaValidator validator("station-config.schema.json");
  try {
    validator.validate(doc, path);
  } catch (const Error& e) {
    throw_bad_input(fmt::format("{} 配置不符合 schemas/station-config.schema.json，请按下面说明改正该字段 / {}; see "
                                "docs/station.md \"station.json\"",
                                path, e.what()));
  }

  StationConfig c;
  c.confirm_above = doc.value("confirm_above", std::size_t{100});
  c.max_labels_per_job = doc.value("max_labels_per_job", std::size_t{10000});
  c.supervisor_reprint_above = doc.value("supervisor_reprint_above", std::size_t{10});
  c.session_idle_minutes = doc.value("session_idle_minutes", 15);
  c.signin_lockout_minutes = doc.value("signin_lockout_minutes", 15);
  c.secure_cookies = doc.value("secure_cookies", true);

  std::set<std::string> parties;
  std::map<std::string, std::string> clerk_key_holders;  // the clerk key's id → the enterprise holding it
  const auto& enterprises = doc.at("enterprises");
  for (std::size_t i = 0; i < enterprises.size(); ++i) {
    const auto& j = enterprises[i];
    Enterprise e;
    e.party = j.at("party").get<std::string>();
    std::string field = fmt::format("enterprises[{}]", i);
    if (!parties.insert(e.party).second)
      refuse(path, field + ".party", fmt::format("企业 {} 写了两次，每个企业只写一项", e.party),
             fmt::format("enterprise {} is listed twice; list each enterprise once", e.party));
    e.key_path = resolve(path, j.at("station_key").get<std::string>());
    try {
      e.key = std::make_shared<const note::SigningKey>(note::SigningKey::load(e.key_path));
    } catch (const Error& err) {
      refuse(path, field + ".station_key",
             fmt::format("读不出工作站密钥 {}，请给出 agtrace-ledger key gen 生成的密钥文件（权限 0600）", e.key_path),
             fmt::format("cannot load the station key {}: {}; give the key file `agtrace-ledger key gen` wrote (mode "
                         "0600), registered with role station and holder {}",
                         e.key_path, err.what(), e.party));
    }
    if (j.contains("clerk_key")) {
      e.clerk_key_path = resolve(path, j.at("clerk_key").get<std::string>());
      try {
        e.clerk_key = std::make_shared<const note::SigningKey>(note::SigningKey::load(e.clerk_key_path));
      } catch (const Error& err) {
        refuse(path, field + ".clerk_key",
               fmt::format("读不出文员密钥 {}，请给出 agtrace-ledger key gen 生成的密钥文件（权限 0600）", e.clerk_key_path),
               fmt::format("cannot load the clerk key {}: {}; give the key file `agtrace-ledger key gen` wrote (mode "
                           "0600), registered with role clerk",
                           e.clerk_key_path, err.what()));
      }
      // The enterprise is the clerk key's holder: the station signs with it only that
      // enterprise's records (upload.h clerk_scope_refusal), so one key cannot serve two.
      std::string id = note::verifier_key_of(*e.clerk_key).key_id();
      if (auto [it, fresh] = clerk_key_holders.emplace(id, e.party); !fresh)
        refuse(path, field + ".clerk_key",
               fmt::format("文员密钥 {} 已经是 {} 的文员密钥；每个单位要用自己的文员密钥（agtrace-ledger key gen 生成，"
                           "key add --role clerk 登记），否则它的文员能替别的单位上传记录",
                           e.clerk_key_path, it->second),
               fmt::format("the clerk key {} is {}'s clerk key already; give each enterprise a clerk key of its own "
                           "(`agtrace-ledger key gen`, registered with `key add --role clerk`)",
                           e.clerk_key_path, it->second));
    }
    if (j.contains("certificate_template")) {
      e.certificate_template_path = resolve(path, j.at("certificate_template").get<std::string>());
      try {
        e.certificate_template = std::make_shared<const labeler::CertificateTemplate>(
            labeler::load_certificate_template(e.certificate_template_path));
      } catch (const Error& err) {
        refuse(path, field + ".certificate_template",
               fmt::format("合格证模板 {} 有误，请改正模板文件或换一个", e.certificate_template_path),
               fmt::format("the certificate template {} is refused: {}", e.certificate_template_path, err.what()));
      }
    }
    const auto& templates = j.at("templates");
    for (std::size_t k = 0; k < templates.size(); ++k) {
      std::string tfield = fmt::format("{}.templates[{}]", field, k);
      ApprovedTemplate t;
      t.product = templates[k].at("product").get<std::string>();
      t.path = resolve(path, templates[k].at("template").get<std::string>());
      if (e.templates.count(t.product))
        refuse(path, tfield + ".product",
               fmt::format("产品 {} 已有批准的模板，每个产品只能批准一个模板", t.product),
               fmt::format("product {} has an approved template already; approve one template per product", t.product));
      try {
        t.label = labeler::load_template(t.path);
      } catch (const Error& err) {
        refuse(path, tfield + ".template", fmt::format("标签模板 {} 有误，请改正模板文件或换一个", t.path),
               fmt::format("the label template {} is refused: {}", t.path, err.what()));
      }
      if (templates[k].contains("sha256")) {
        t.pinned_sha256 = templates[k].at("sha256").get<std::string>();
        if (t.pinned_sha256 != t.label.file_sha256)
          refuse(path, tfield + ".sha256",
                 fmt::format("产品 {} 的标签模板 {} 和主管批准的不一样了：批准时的 SHA-256 是 {}，现在文件的是 {}。"
                             "工作站不用没批准过的模板打印，没有启动。请把批准过的模板文件放回原处；如果这次改动是有意的，"
                             "请主管看过新模板的打印样张后运行 agtrace-station template approve --template {}，"
                             "把它给出的 sha256 写进这一项，再启动工作站",
                             t.product, t.path, t.pinned_sha256, t.label.file_sha256, t.path),
                 fmt::format("the label template {} of product {} is not the one approved: approved SHA-256 {}, the "
                             "file's now {}; put the approved file back, or have a supervisor approve the new one "
                             "(`agtrace-station template approve --template {}`) and write its sha256 here",
                             t.path, t.product, t.pinned_sha256, t.label.file_sha256, t.path));
      }
      e.templates.emplace(t.product, std::move(t));
    }
    c.enterprises.push_back(std::move(e));
  }

  std::set<std::string> names;
  const auto& printers = doc.at("printers");
  for (std::size_t i = 0; i < printers.size(); ++i) {
    const auto& j = printers[i];
    PrinterConfig p;
    p.name = j.at("name").get<std::string>();
    p.url = j.at("url").get<std::string>();
    p.language = j.at("language").get<std::string>();
    p.dpi = j.at("dpi").get<int>();
    p.label_width_mm = j.at("label").at("width_mm").get<int>();
    p.label_height_mm = j.at("label").at("height_mm").get<int>();
    std::string field = fmt::format("printers[{}]", i);
    if (!names.insert(p.name).second)
      refuse(path, field + ".name", fmt::format("打印机名称“{}”重复，请给每台打印机起不同的名字", p.name),
             fmt::format("printer name \"{}\" is used twice; give each printer its own name", p.name));
    int port = std::stoi(p.url.substr(p.url.rfind(':') + 1));
    if (port < 1 || port > 65535)
      refuse(path, field + ".url", fmt::format("端口 {} 无效，网络打印机一般是 tcp://地址:9100", port),
             fmt::format("port {} is out of range; a network printer is usually tcp://HOST:9100", port));
    c.printers.push_back(std::move(p));
  }
  return c;
}

StationConfig load_config(const std::string& path) {
  return parse_config(read_file(path, 1 << 20, "--config "), path);
}

}  // namespace agtrace::station
