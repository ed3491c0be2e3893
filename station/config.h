// station.json: what one printer station serves (docs/station.md "station.json").
//
// Several enterprises share a station. Each names its station key (the key_added holder is
// the enterprise's party id: the ledger lets that key label only lots the enterprise
// packed) and, per product, the one label template a supervisor approved; operators never
// choose a template. Printers are named raw-TCP printers (tcp://HOST:PORT, ZPL or TSPL) with
// the resolution and the size of the labels loaded in them.
//
// load_config() reads the file strictly (json::parse_strict), validates it against the
// embedded schemas/station-config.schema.json, then checks what a schema cannot: unique
// names, every key file and template loads (paths relative to the folder of station.json),
// every template pinned by a `sha256` still has that SHA-256, no product approved twice for one enterprise, no clerk key listed for two enterprises. Every refusal is Error(bad_input), Chinese
// first, naming the field (e.g. `printers[1].url`) and the fix. Pure but for reading the
// files it names; the result is read-only and may be shared between threads.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "labeler/certificate/certificate_template.h"
#include "labeler/template/template.h"
#include "ledger/note/ed25519_key.h"

namespace agtrace::station {

// One approved template: the loaded template (with its file's SHA-256) and its path.
struct ApprovedTemplate {
  std::string product;
  std::string path;  // as resolved against the folder of station.json
  labeler::LabelTemplate label;
  // The SHA-256 station.json pins it to (templates[].sha256; label.file_sha256 equals it), or
  // "" when station.json pins none (docs/station.md "批准模板").
  std::string pinned_sha256{};
};

struct Enterprise {
  std::string party;                                 // party id, holder of the station key
  std::string key_path;
  std::shared_ptr<const note::SigningKey> key;
  std::map<std::string, ApprovedTemplate> templates;  // by product id
  // The co-op's clerk key that signs its clerks' uploads (optional: nullptr, uploads refused).
  // This enterprise is its holder: its clerks upload only its own records (upload.h
  // clerk_scope_refusal), and no other enterprise may list the same key.
  std::string clerk_key_path{};
  std::shared_ptr<const note::SigningKey> clerk_key{};
  // The 承诺达标合格证 template its certificates print with (optional: nullopt, none printed).
  std::string certificate_template_path{};
  std::shared_ptr<const labeler::CertificateTemplate> certificate_template{};
};

struct PrinterConfig {
  std::string name;      // shown to operators; unique
  std::string url;       // tcp://HOST:PORT
  std::string language;  // "zpl" or "tspl": also the job's output format
  int dpi = 203;
  int label_width_mm = 0, label_height_mm = 0;
};

struct StationConfig {
  std::vector<Enterprise> enterprises;
  std::vector<PrinterConfig> printers;
  std::size_t confirm_above = 100;        // jobs of more labels ask the operator to confirm
  std::size_t max_labels_per_job = 10000;
  std::size_t supervisor_reprint_above = 10;  // reprints of more labels at once need a supervisor's PIN; voids always do
  int session_idle_minutes = 15;
  // 5 wrong sign-in PINs lock the account this long, doubled for each lockout in a row (at
  // most 24 hours; state.h LockoutPolicy); a supervisor may unlock it sooner.
  int signin_lockout_minutes = 15;
  bool secure_cookies = true;

  // The enterprise with party id `party`, or nullptr.
  const Enterprise* enterprise(const std::string& party) const;
  // The printer named `name`, or nullptr.
  const PrinterConfig* printer(const std::string& name) const;
};

// Parses station.json text; `path` names the file in messages and its folder resolves the
// relative paths inside. Throws Error(bad_input) as described above.
StationConfig parse_config(const std::string& text, const std::string& path);

// Reads and parses the file at `path` (at most 1 MiB).
StationConfig load_config(const std::string& path);

// The approved templates station.json does not pin by SHA-256, as "PARTY/PRODUCT (path)"; the
// station warns of them at start.
std::vector<std::string> unpinned_templates(const StationConfig& c);

// Whether a template of `t`'s size fits the labels loaded in `p` (within 0.5 mm each way).
bool template_fits(const labeler::LabelTemplate& t, const PrinterConfig& p);

}  // namespace agtrace::station
