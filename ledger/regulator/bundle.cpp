// Writing export bundles, and checking them offline.
#include "ledger/regulator/bundle.h"

#include <fmt/format.h>

#include <deque>
#include <functional>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "ledger/event/correction.h"
#include "ledger/event/event_facts.h"
#include "ledger/event/transformation_links.h"
#include "ledger/i18n/refusal.h"
#include "ledger/json/jcs.h"
#include "ledger/json/strict_parse.h"
#include "ledger/merkle/merkle.h"
#include "ledger/note/checkpoint.h"
#include "ledger/note/signed_note.h"
#include "ledger/note/text.h"
#include "ledger/note/tlog_proof.h"
#include "ledger/regulator/lineage.h"
#include "ledger/time/timestamp.h"
#include "ledger/util/error.h"
#include "ledger/util/sha256.h"

namespace agtrace::regulator {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

std::string proof_name(std::uint64_t index) { return fmt::format("proofs/{}.tlog-proof", index); }
constexpr const char* kProofsFile = "proofs.txt";  // bundle format 4 on (bundle.h)

// The proofs.txt line of entry `index` with audit path `path` (bundle.h).
void append_proof_line(std::string& out, std::uint64_t index, const std::vector<Hash>& path) {
  out += std::to_string(index);
  for (const Hash& h : path) {
    out += ' ';
    out += base64_encode(h);
  }
  out += '\n';
}

// Checks proofs.txt (bundle format 4): line k proves entry `entries[k]` (leaf bytes
// `leaves[k]`) against the checkpoint of `size` and `root`. Throws Error(verification)
// naming the line.
void check_proofs_file(std::string_view text, const std::vector<Entry>& entries, const std::vector<std::string>& leaves,
                       std::uint64_t size, const Hash& root) {
  std::size_t k = 0;
  for (std::size_t at = 0; at < text.size(); ++k) {
    const std::size_t end = text.find('\n', at);
    const std::string where = fmt::format("{} line {}", kProofsFile, k + 1);
    if (end == std::string_view::npos) throw_verification(fmt::format("{}: not terminated by a newline", where));
    if (k == entries.size())
      throw_verification(fmt::format("{}: more proofs than entries.jsonl has entries ({})", where, entries.size()));
    std::string_view line = text.substr(at, end - at);
    at = end + 1;
    try {
      const std::size_t space = line.find(' ');
      const std::uint64_t index = note::parse_decimal_u64(line.substr(0, space), "the entry index");
      if (index != entries[k].index)
        throw_verification(fmt::format("index {} is not entry {} (line {} of entries.jsonl)", index, entries[k].index, k + 1));
      std::vector<Hash> path;
      for (std::size_t h = space; h != std::string_view::npos;) {
        const std::size_t next = line.find(' ', h + 1);
        if (path.size() == note::kMaxTlogProofHashes)
          throw_verification(fmt::format("more than {} proof hashes", note::kMaxTlogProofHashes));
        Bytes b = base64_decode(line.substr(h + 1, next == std::string_view::npos ? next : next - h - 1),
                                fmt::format("proof hash {}", path.size() + 1));
        if (b.size() != Hash{}.size())
          throw_verification(fmt::format("proof hash {} decodes to {} bytes; a SHA-256 hash is 32", path.size() + 1, b.size()));
        std::copy(b.begin(), b.end(), path.emplace_back().begin());
        h = next;
      }
      merkle::verify_inclusion(merkle::leaf_hash(as_bytes(leaves[k])), index, size, path, root);
    } catch (const Error& e) {
      throw_verification(fmt::format("{} (entry {}): {}", where, entries[k].index, e.what()));
    }
  }
  if (k < entries.size())
    throw_verification(fmt::format("{}: {} proofs for {} entries (entry {} has no inclusion proof)", kProofsFile, k,
                                   entries.size(), entries[k].index));
}

void write_file(const fs::path& path, const std::string& bytes) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  f.close();
  if (!f) throw_environment(fmt::format("cannot write {}; check the directory's permissions and free space", path.string()));
}

std::string read_file(const fs::path& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) i18n::fail_check(i18n::Msg::bundle_file_unreadable, path.filename().string());
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

json selection_json(const Selection& s) {
  json j = json::object();
  if (s.lot) j["lot"] = *s.lot;
  if (s.product) j["product"] = *s.product;
  if (s.party) j["party"] = *s.party;
  if (s.from) j["from"] = *s.from;
  if (s.to) j["to"] = *s.to;
  if (s.first_entry) j["first_entry"] = *s.first_entry;
  if (s.last_entry) j["last_entry"] = *s.last_entry;
  return j;
}

Selection selection_of(const json& j) {
  Selection s;
  if (!j.is_object()) throw_verification("manifest.json: selection is not an object");
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string& k = it.key();
    if ((k == "first_entry" || k == "last_entry") && it->is_number_unsigned())
      (k == "first_entry" ? s.first_entry : s.last_entry) = it->get<std::uint64_t>();
    else if (it->is_string() && (k == "lot" || k == "product" || k == "party" || k == "from" || k == "to"))
      (k == "lot" ? s.lot : k == "product" ? s.product : k == "party" ? s.party : k == "from" ? s.from : s.to) =
          it->get<std::string>();
    else
      throw_verification(fmt::format("manifest.json: selection member \"{}\" is not one this version writes", k));
  }
  return s;
}

// Whether event `e` names party `party` (as actor, sender, recipient, carrier, holder, owner).
bool names_party(const json& e, const std::string& party) {
  for (const auto& m : facts_of(e).mentions)
    if (m.kind == "party" && m.id == party) return true;
  return e.value("type", "") == "party" && e.value("party_id", "") == party;
}

// The manifest's bytes: RFC 8785 of its members. Format 1 manifests have no bundle_format.
std::string manifest_bytes(int bundle_format, const std::string& origin, const std::string& log_key,
                           std::uint64_t size, ExportFormat format, const json& selection,
                           const std::vector<std::uint64_t>& selected, const std::map<std::string, std::string>& files) {
  json m = {{"bundle", kBundleVersion},       {"origin", origin},       {"log_key", log_key},
            {"checkpoint_size", size},        {"format", format_name(format)}, {"selection", selection},
            {"selected", selected},           {"files", files}};
  if (bundle_format > kFirstBundleFormat) m["bundle_format"] = bundle_format;
  return agtrace::json::canonicalize(m);
}

std::string digest(const std::string& bytes) { return hex_encode(sha256(as_bytes(bytes))); }

}  // namespace

void parse_entry_range(const std::string& text, Selection& s) {
  auto dots = text.find("..");
  auto number = [&](std::string_view part) -> std::optional<std::uint64_t> {
    if (part.empty()) return std::nullopt;
    if (part.size() > 19 || part.find_first_not_of("0123456789") != std::string_view::npos)
      throw_bad_input(fmt::format("--entries \"{}\": give A..B with entry indices (both included), e.g. 120..480", text));
    return std::stoull(std::string(part));
  };
  if (dots == std::string::npos)
    throw_bad_input(fmt::format("--entries \"{}\": give A..B with entry indices (both included), e.g. 120..480", text));
  s.first_entry = number(std::string_view(text).substr(0, dots));
  s.last_entry = number(std::string_view(text).substr(dots + 2));
  if (s.first_entry && s.last_entry && *s.first_entry > *s.last_entry)
    throw_bad_input(fmt::format("--entries \"{}\": A must not be greater than B", text));
}

ExportReport export_bundle(Ledger& ledger, const Selection& sel, ExportFormat format, const fs::path& out) {
  if (fs::exists(out) && (!fs::is_directory(out) || !fs::is_empty(out)))
    throw_bad_input(fmt::format("--out {}: exists and is not an empty directory; choose a new one", out.string()));
  auto note_text = ledger.latest_checkpoint();
  if (!note_text) throw_bad_input("the ledger has no checkpoint; run `agtrace-ledger checkpoint --log-key LOGKEY` first");
  const LedgerInfo info = ledger.info();
  const note::Checkpoint cp = ledger.open_checkpoint(*note_text);
  const std::uint64_t n = cp.size;
  sql::Database& db = ledger.database();
  store::Store& store = ledger.store();
  auto snapshot = sql::Transaction::read(db);

  std::optional<std::int64_t> from, to;
  if (sel.from) from = time::parse_rfc3339(*sel.from, "--from").unix_ms;
  if (sel.to) to = time::parse_rfc3339(*sel.to, "--to").unix_ms;
  if (from && to && *from >= *to) throw_bad_input("--from must be earlier than --to");

  // Entries about the lots a lot or product selection names.
  std::optional<std::set<std::uint64_t>> about;
  // `keep` judges each entry found (a lot selection leaves out its siblings' events).
  auto entries_of_lots = [&](const std::vector<std::string>& lots,
                             const std::function<bool(std::uint64_t)>& keep = {}) {
    std::set<std::uint64_t> out_set;
    auto s = db.prepare("SELECT entry_idx FROM lot_events WHERE lot_id = ?");
    for (const auto& lot : lots) {
      s.bind(1, lot);
      while (s.step()) out_set.insert(static_cast<std::uint64_t>(s.column_int(0)));
      s.reset();
    }
    if (keep) std::erase_if(out_set, [&](std::uint64_t i) { return !keep(i); });
    // Rules version 5: a correction carrying its replacement is about the lots the event it
    // corrects is about.
    std::set<std::uint64_t> corrections;
    for (auto i : out_set)
      for (auto c : store.corrections_of(i)) corrections.insert(c);
    out_set.insert(corrections.begin(), corrections.end());
    return out_set;
  };
  Selection recorded = sel;
  if (sel.lot) {
    auto start = resolve_trace_start(ledger, *sel.lot);
    recorded.lot = start.lot;
    auto lots = ancestors_of(db, {start.lot});
    auto below = descendants_of(db, {start.lot});
    lots.insert(lots.end(), below.begin(), below.end());
    // The lot's lineage is the lot, its ancestors and its descendants — not its siblings. An event
    // about an ancestor that made only lots outside the lineage (the harvest of a sibling lot from
    // the same planting, a sibling's grading or packing) is about a sibling: left out, with its
    // corrections. Events that made a lot of the lineage (a split that made this lot and a
    // sibling) stay.
    const std::set<std::string> lineage(lots.begin(), lots.end());
    // The parts of one transformation recorded under a shared transformation id
    // (transformation_lots) are one event: a part is kept when any part made a lot of the lineage.
    // A file older than rules version 2 that was never opened for writing has no
    // transformation_lots table, and no shared transformation ids.
    auto made = db.prepare("SELECT lot_id FROM lot_events WHERE entry_idx = ? AND role = 'created'");
    const bool has_parts =
        db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'transformation_lots'").step();
    auto made_by_parts = db.prepare(
        has_parts ? "SELECT b.lot_id FROM transformation_lots a JOIN transformation_lots b ON a.scope = b.scope AND "
                    "a.transformation_id = b.transformation_id WHERE a.entry_idx = ? AND b.side = 'output'"
                  : "SELECT lot_id FROM lot_events WHERE entry_idx = ? AND 0");
    auto makes_lineage_lot = [&](sql::Statement& q, std::uint64_t i, bool& any) {
      q.bind(1, static_cast<std::int64_t>(i));
      bool ours = false;
      while (q.step()) {
        any = true;
        ours = ours || lineage.count(q.column_text(0)) > 0;
      }
      q.reset();
      return ours;
    };
    about = entries_of_lots(lots, [&](std::uint64_t i) {
      bool any = false;
      if (makes_lineage_lot(made, i, any)) return true;
      bool part_any = false;
      return !any || makes_lineage_lot(made_by_parts, i, part_any);
    });
  }
  if (sel.product) {
    if (!store.has_master("product", *sel.product))
      throw_bad_input(fmt::format("--product \"{}\": no such product is recorded", *sel.product));
    std::vector<std::string> lots;
    auto s = db.prepare("SELECT lot_id FROM lots WHERE product_id = ?");
    s.bind(1, *sel.product);
    while (s.step()) lots.push_back(s.column_text(0));
    auto set = entries_of_lots(lots);
    if (about) {
      std::set<std::uint64_t> both;
      for (auto i : set)
        if (about->count(i)) both.insert(i);
      about = both;
    } else {
      about = set;
    }
  }
  if (sel.party && !store.has_master("party", *sel.party))
    throw_bad_input(fmt::format("--party \"{}\": no such party is recorded", *sel.party));

  ExportReport report;
  report.checkpoint_size = n;
  // Each entry read once: its leaf bytes (for entries.jsonl and its proof) and its parse.
  std::map<std::uint64_t, std::pair<std::string, Entry>> decoded;
  auto entry_at = [&](std::uint64_t i) -> const Entry& {
    auto it = decoded.find(i);
    if (it == decoded.end()) {
      std::string bytes = ledger.entry_bytes(i);
      Entry e = decode_entry(bytes, i);
      it = decoded.emplace(i, std::pair(std::move(bytes), std::move(e))).first;
    }
    return it->second.second;
  };

  std::vector<std::uint64_t> selected;
  std::optional<std::uint64_t> first_past_window;
  auto rows = db.prepare("SELECT entry_idx, type, unix_ms FROM events ORDER BY entry_idx");
  while (rows.step()) {
    auto idx = static_cast<std::uint64_t>(rows.column_int(0));
    std::string type = rows.column_text(1);
    std::int64_t ms = rows.column_int(2);
    if (is_support_type(type)) continue;
    if (to && ms >= *to && !first_past_window) first_past_window = idx;
    if (from && ms < *from) continue;
    if (to && ms >= *to) continue;
    if (sel.first_entry && idx < *sel.first_entry) continue;
    if (sel.last_entry && idx > *sel.last_entry) continue;
    if (about && !about->count(idx)) continue;
    if (idx >= n) {
      if (!sel.party || names_party(ledger.entry(idx).event, *sel.party)) ++report.awaiting_checkpoint;
      continue;
    }
    if (sel.party && !names_party(entry_at(idx).event, *sel.party)) continue;
    selected.push_back(idx);
    if (first_past_window && idx > *first_past_window) report.late.push_back(idx);
  }
  rows.reset();

  // The support entries: see bundle.h.
  std::set<std::uint64_t> in_bundle;
  std::deque<std::uint64_t> work;
  auto add = [&](std::optional<std::uint64_t> i) {
    if (i && *i < n && in_bundle.insert(*i).second) work.push_back(*i);
  };
  std::map<std::pair<std::string, std::string>, std::optional<std::uint64_t>> master_cache;
  auto master_select = db.prepare("SELECT entry_idx FROM master WHERE kind = ? AND id = ?");
  auto master_lookup = [&](const std::string& kind, const std::string& id) -> std::optional<std::uint64_t> {
    auto& s = master_select;
    s.bind(1, kind).bind(2, id);
    if (!s.step()) {
      s.reset();
      return std::nullopt;
    }
    auto latest = static_cast<std::uint64_t>(s.column_int(0));
    s.reset();
    if (latest < n) return latest;
    // The latest version is newer than the checkpoint: find the one the checkpoint covers.
    auto older = db.prepare("SELECT entry_idx FROM events WHERE type = ? AND entry_idx < ? ORDER BY entry_idx DESC");
    older.bind(1, kind).bind(2, static_cast<std::int64_t>(n));
    while (older.step()) {
      auto i = static_cast<std::uint64_t>(older.column_int(0));
      if (entry_at(i).event.value(kind + "_id", "") == id) return i;
    }
    return std::nullopt;
  };
  auto master_entry = [&](const std::string& kind, const std::string& id) {
    auto key = std::make_pair(kind, id);
    auto it = master_cache.find(key);
    if (it == master_cache.end()) it = master_cache.emplace(key, master_lookup(kind, id)).first;
    return it->second;
  };
  auto created_entry = [&](const std::string& lot) -> std::optional<std::uint64_t> {
    auto r = store.lot(lot);
    if (!r) return std::nullopt;
    if (r->product) add(master_entry("product", *r->product));
    return r->created_entry;
  };
  auto event_entry = [&](const std::string& id) -> std::optional<std::uint64_t> {
    auto e = store.event_by_id(id);
    return e ? std::optional(e->entry_idx) : std::nullopt;
  };
  auto lots_of_entry = db.prepare("SELECT DISTINCT lot_id FROM lot_events WHERE entry_idx = ?");
  std::set<std::uint64_t> chosen(selected.begin(), selected.end());
  add(0);
  // Every log key rotation: an auditor holding entry 0's key follows them to the key
  // that signed the checkpoint. Every rules upgrade: a replay of the bundle knows which
  // rules version judges each of its entries (docs/rules-versions.md).
  auto rotations = db.prepare(
      "SELECT entry_idx FROM events WHERE type IN ('log_key_rotated', 'rules_upgraded') ORDER BY entry_idx");
  while (rotations.step()) add(static_cast<std::uint64_t>(rotations.column_int(0)));
  for (auto i : selected) add(i);
  while (!work.empty()) {
    std::uint64_t i = work.front();
    work.pop_front();
    const Entry& e = entry_at(i);
    EventFacts f = facts_of(e.event);
    for (const auto& m : f.mentions) add(master_entry(m.kind, m.id));
    // Every correction of a selected event, and of the event a correction corrects: the bundle
    // carries them, so that a row whose figures a later correction replaced is marked as such
    // in events.csv ("Corrected by", bundle format 5: a superseded correction's too).
    auto corrections_of = [&](std::optional<std::uint64_t> corrected) {
      if (corrected)
        for (auto c : store.corrections_of(*corrected)) add(c);
    };
    if (e.event.value("type", "") == "correction") {
      const auto corrected = event_entry(e.event["corrected_event_id"]);
      add(corrected);
      corrections_of(corrected);
      if (e.event.contains("replacement_event_id")) add(event_entry(e.event["replacement_event_id"]));
    }
    if (chosen.count(i)) {
      corrections_of(i);
      lots_of_entry.bind(1, static_cast<std::int64_t>(i));
      std::vector<std::string> lots;
      while (lots_of_entry.step()) lots.push_back(lots_of_entry.column_text(0));
      lots_of_entry.reset();
      for (const auto& lot : lots) add(created_entry(lot));
    }
    for (const auto& c : f.creates) {
      if (c.product) continue;
      for (const auto& [parent, child] : f.lineage)
        if (child == c.lot) add(created_entry(parent));
    }
    if (i != 0) {
      auto k = store.key(e.key_id);
      if (k) {
        add(k->added_entry);
        if (k->revoked_entry) add(*k->revoked_entry);
      }
    }
  }

  // Write the files.
  fs::create_directories(out);
  std::map<std::string, std::string> files;
  std::vector<Entry> entries;
  std::string lines;
  entries.reserve(in_bundle.size());
  for (auto i : in_bundle) {
    entry_at(i);
    auto& [bytes, entry] = decoded.at(i);
    lines += bytes;
    lines += '\n';
    entries.push_back(std::move(entry));  // not read through entry_at again
  }
  decoded.clear();
  write_file(out / "entries.jsonl", lines);
  files["entries.jsonl"] = digest(lines);
  write_file(out / "checkpoint.txt", *note_text);
  files["checkpoint.txt"] = digest(*note_text);
  // In index order, so that each proof reads only the few stored nodes the one before did not.
  const std::vector<std::uint64_t> proved(in_bundle.begin(), in_bundle.end());
  const auto paths = ledger.inclusion_proofs(proved, n);
  std::string proofs;
  for (std::size_t k = 0; k < proved.size(); ++k) append_proof_line(proofs, proved[k], paths[k]);
  write_file(out / kProofsFile, proofs);
  files[kProofsFile] = digest(proofs);
  std::string derived = derived_file(entries, selected, format);
  write_file(out / derived_file_name(format), derived);
  files[derived_file_name(format)] = digest(derived);
  write_file(out / "manifest.json", manifest_bytes(kBundleFormat, info.origin, info.log_key.to_string(), n, format,
                                                  selection_json(recorded), selected, files));
  report.selected = selected.size();
  report.entries = in_bundle.size();
  return report;
}

BundleCheck verify_bundle(const fs::path& dir, const note::VerifierKey& log_key) {
  if (!fs::is_directory(dir)) throw_bad_input(fmt::format("{}: not a directory; give the bundle's directory", dir.string()));

  // The manifest and the file set.
  std::string manifest_text = read_file(dir / "manifest.json");
  json m;
  try {
    agtrace::json::Limits limits;
    limits.max_document_bytes = 256u << 20;
    m = agtrace::json::parse_strict(manifest_text, limits, "manifest");
  } catch (const Error& e) {
    throw_verification(fmt::format("manifest.json: {}", e.what()));
  }
  auto need = [&](const char* field, bool ok) {
    if (!ok) throw_verification(fmt::format("manifest.json: member \"{}\" is missing or malformed", field));
  };
  need("bundle", m.is_object() && m.value("bundle", "") == kBundleVersion);
  for (const char* f : {"origin", "log_key", "format"}) need(f, m.contains(f) && m[f].is_string());
  need("checkpoint_size", m.contains("checkpoint_size") && m["checkpoint_size"].is_number_unsigned());
  need("selection", m.contains("selection") && m["selection"].is_object());
  need("selected", m.contains("selected") && m["selected"].is_array());
  need("files", m.contains("files") && m["files"].is_object());
  // The bundle format (derived.h): absent in format 1; a newer one than this program knows
  // cannot be regenerated.
  int bundle_format = kFirstBundleFormat;
  if (m.contains("bundle_format")) {
    const json& f = m["bundle_format"];
    need("bundle_format", f.is_number_unsigned() && f.get<std::uint64_t>() > kFirstBundleFormat);
    if (f.get<std::uint64_t>() > kBundleFormat)
      throw_verification(fmt::format("manifest.json: bundle_format {} is newer than this agtrace-ledger reads "
                                     "(formats {} to {}); check the bundle with a newer release",
                                     f.get<std::uint64_t>(), kFirstBundleFormat, kBundleFormat));
    bundle_format = f.get<int>();
  }
  ExportFormat format;
  try {
    format = parse_format(m["format"]);
  } catch (const Error&) {
    throw_verification("manifest.json: format is not csv, jsonl or epcis");
  }
  if (m["log_key"] != log_key.to_string() || m["origin"] != log_key.name)
    throw_verification(fmt::format("manifest.json: the bundle names log key {} of {}, not the given key {}",
                                   m["log_key"].get<std::string>(), m["origin"].get<std::string>(), log_key.key_id()));

  std::map<std::string, std::string> listed;
  for (auto it = m["files"].begin(); it != m["files"].end(); ++it) {
    if (!it->is_string()) throw_verification(fmt::format("manifest.json: digest of {} is not a string", it.key()));
    listed[it.key()] = it->get<std::string>();
  }
  std::set<std::string> present;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    std::string rel = fs::relative(e.path(), dir).generic_string();
    if (e.is_directory() && rel == "proofs") continue;
    if (!e.is_regular_file() || e.is_symlink()) throw_verification(fmt::format("{}: not a regular file", rel));
    if (rel != "manifest.json") present.insert(rel);
  }
  for (const auto& rel : present)
    if (!listed.count(rel)) i18n::fail_check(i18n::Msg::bundle_file_unlisted, rel);
  std::map<std::string, std::string> bytes;
  for (const auto& [rel, hex] : listed) {
    if (!present.count(rel)) i18n::fail_check(i18n::Msg::bundle_file_missing, rel);
    bytes[rel] = read_file(dir / rel);
    if (digest(bytes[rel]) != hex)
      i18n::fail_check(i18n::Msg::bundle_file_changed, rel);
  }

  // The checkpoint.
  if (!bytes.count("checkpoint.txt")) throw_verification("checkpoint.txt: missing");
  const std::string& note_text = bytes["checkpoint.txt"];
  // Its signature is checked once the entries have said which log key is in force at its
  // size (the bundle carries every log_key_rotated entry); until then only its body is read.
  note::Checkpoint cp;
  try {
    cp = note::parse_checkpoint_body(note::parse_note(note_text).text);
  } catch (const Error& e) {
    throw_verification(fmt::format("checkpoint.txt: {}", e.what()));
  }
  if (cp.size != m["checkpoint_size"].get<std::uint64_t>())
    throw_verification(fmt::format("manifest.json: checkpoint_size {} but checkpoint.txt is of size {}",
                                   m["checkpoint_size"].get<std::uint64_t>(), cp.size));

  // The entries: canonical, in order, inside the checkpoint, signed by a valid key.
  if (!bytes.count("entries.jsonl")) throw_verification("entries.jsonl: missing");
  const std::string& lines = bytes["entries.jsonl"];
  std::vector<Entry> entries;
  std::vector<std::string> leaves;
  struct Key {
    note::PublicKey public_key;
    std::string role;
    std::uint64_t added;
    std::optional<std::uint64_t> revoked;
  };
  std::map<std::string, Key> keys;
  note::VerifierKey current_log = log_key;  // entry 0's, then each log_key_rotated's
  std::size_t line_no = 0;
  for (std::size_t at = 0; at < lines.size();) {
    auto end = lines.find('\n', at);
    ++line_no;
    if (end == std::string::npos) throw_verification(fmt::format("entries.jsonl line {}: not terminated by a newline", line_no));
    std::string leaf = lines.substr(at, end - at);
    at = end + 1;
    std::string where = fmt::format("entries.jsonl line {}", line_no);
    Entry e;
    try {
      auto j = agtrace::json::parse_strict(leaf, {kMaxEventBytes * 2, kMaxEventStringBytes, 64}, where);
      if (!j.is_object() || !j.contains("index") || !j["index"].is_number_unsigned())
        throw_bad_input("not an agtrace entry");
      e = decode_entry(leaf, j["index"].get<std::uint64_t>());
    } catch (const Error& err) {
      throw_verification(fmt::format("{}: {}", where, err.what()));
    }
    where += fmt::format(" (entry {})", e.index);
    if (!entries.empty() && e.index <= entries.back().index)
      throw_verification(fmt::format("{}: entries are not in ascending index order", where));
    if (e.index >= cp.size)
      throw_verification(fmt::format("{}: beyond checkpoint.txt's tree size {}", where, cp.size));
    const std::string type = e.event.value("type", "");
    note::PublicKey signer{};
    if (e.index == 0) {
      if (type != "log_init" || e.event.value("log_key", "") != log_key.to_string() || e.key_id != log_key.key_id())
        throw_verification(fmt::format("{}: entry 0 is not this log's log_init signed by {}", where, log_key.key_id()));
      signer = log_key.public_key;
    } else {
      if (entries.empty()) throw_verification("entries.jsonl: entry 0 (log_init) is missing");
      bool log_event = is_log_key_event(type);
      if (log_event) {
        if (e.key_id != current_log.key_id())
          throw_verification(fmt::format("{}: {} entry not signed by the log key in force ({})", where, type,
                                         current_log.key_id()));
        signer = current_log.public_key;
      } else {
        auto k = keys.find(e.key_id);
        if (k == keys.end())
          throw_verification(fmt::format("{}: signed by {}, which no key entry in the bundle registers", where, e.key_id));
        if (!role_may_sign(k->second.role, type) || e.index <= k->second.added ||
            (k->second.revoked && e.index > *k->second.revoked))
          throw_verification(fmt::format("{}: key {} ({}) was not valid for a {} event at entry {}", where, e.key_id,
                                         k->second.role, type, e.index));
        signer = k->second.public_key;
      }
    }
    if (!entry_signature_valid(e, signer))
      i18n::fail_check(i18n::Msg::bundle_signature_bad, where, e.key_id);
    if (type == "key_added") {
      auto vkey = note::parse_verifier_key(e.event["vkey"].get<std::string>());
      keys[vkey.key_id()] = {vkey.public_key, e.event.value("role", ""), e.index, std::nullopt};
    } else if (type == "key_revoked") {
      auto k = keys.find(e.event.value("key_id", ""));
      if (k != keys.end()) k->second.revoked = e.index;
    } else if (type == "log_key_rotated") {
      current_log = note::parse_verifier_key(e.event["log_key"].get<std::string>());
    }
    entries.push_back(std::move(e));
    leaves.push_back(std::move(leaf));
  }
  if (entries.empty() || entries.front().index != 0) throw_verification("entries.jsonl: entry 0 (log_init) is missing");
  try {
    note::open_checkpoint(note_text, current_log);
  } catch (const Error& e) {
    throw_verification(fmt::format("checkpoint.txt: {} (it must be signed by the log key in force at its size, {})",
                                   e.what(), current_log.key_id()));
  }

  // The proofs: one file from format 4 on, one file per entry before.
  std::set<std::string> proof_files;
  if (bundle_format >= 4) {
    if (!bytes.count(kProofsFile)) throw_verification(fmt::format("{}: missing (the entries have no inclusion proofs)", kProofsFile));
    proof_files.insert(kProofsFile);
    check_proofs_file(bytes[kProofsFile], entries, leaves, cp.size, cp.root);
  }
  for (std::size_t i = 0; i < entries.size() && bundle_format < 4; ++i) {
    std::string name = proof_name(entries[i].index);
    proof_files.insert(name);
    if (!bytes.count(name)) throw_verification(fmt::format("{}: missing (entry {} has no inclusion proof)", name, entries[i].index));
    try {
      auto p = note::parse_tlog_proof(bytes[name]);
      if (p.index != entries[i].index) throw_verification(fmt::format("index {} is not entry {}", p.index, entries[i].index));
      if (p.checkpoint_note != note_text) throw_verification("its checkpoint is not checkpoint.txt");
      merkle::verify_inclusion(merkle::leaf_hash(as_bytes(leaves[i])), p.index, cp.size, p.hashes, cp.root);
    } catch (const Error& e) {
      throw_verification(fmt::format("{}: {}", name, e.what()));
    }
  }
  for (const auto& [rel, hex] : listed)
    if (rel.rfind("proofs", 0) == 0 && !proof_files.count(rel))
      throw_verification(fmt::format("{}: {}", rel, bundle_format >= 4 ? fmt::format("a bundle of format {} keeps its proofs in {}", bundle_format, kProofsFile)
                                                                       : std::string("proves no entry of entries.jsonl")));

  // The selection, as far as it can be checked without the ledger.
  std::vector<std::uint64_t> selected;
  std::map<std::uint64_t, const Entry*> by_index;
  for (const auto& e : entries) by_index[e.index] = &e;
  Selection sel = selection_of(m["selection"]);
  for (const auto& v : m["selected"]) {
    if (!v.is_number_unsigned() || !by_index.count(v.get<std::uint64_t>()))
      throw_verification(fmt::format("manifest.json: selected entry {} is not in entries.jsonl", v.dump()));
    std::uint64_t i = v.get<std::uint64_t>();
    if (!selected.empty() && i <= selected.back()) throw_verification("manifest.json: selected is not in ascending order");
    const json& ev = by_index[i]->event;
    auto t = time::parse_rfc3339(ev.value("event_time", ""), "event_time").unix_ms;
    bool ok = !is_support_type(ev.value("type", "")) && (!sel.first_entry || i >= *sel.first_entry) &&
              (!sel.last_entry || i <= *sel.last_entry) &&
              (!sel.from || t >= time::parse_rfc3339(*sel.from, "from").unix_ms) &&
              (!sel.to || t < time::parse_rfc3339(*sel.to, "to").unix_ms) && (!sel.party || names_party(ev, *sel.party));
    if (!ok) throw_verification(fmt::format("manifest.json: selected entry {} does not match the selection", i));
    selected.push_back(i);
  }

  // A lot selection holds events about the lot's lineage; a product selection, events
  // about lots of the product — both as the bundle's own entries tell.
  if (sel.lot || sel.product) {
    std::set<std::string> lineage_lots;
    if (sel.lot) {
      std::multimap<std::string, std::string> up, down;
      LineageReplay lineage;  // the derived table's edges, as the bundle's entries make them
      for (const auto& e : entries)
        for (const auto& [parent, child] : lineage.add(e.index, e.key_id, e.event)) {
          up.emplace(child, parent);
          down.emplace(parent, child);
        }
      for (const auto* graph : {&up, &down}) {
        std::deque<std::string> queue{*sel.lot};
        lineage_lots.insert(*sel.lot);
        std::set<std::string> seen{*sel.lot};
        while (!queue.empty()) {
          auto [b, e] = graph->equal_range(queue.front());
          queue.pop_front();
          for (auto it = b; it != e; ++it)
            if (seen.insert(it->second).second) {
              lineage_lots.insert(it->second);
              queue.push_back(it->second);
            }
        }
      }
    }
    auto products = lot_products(entries);
    // Rules version 7: an input applied to a plot before sowing names no lot; it is about the
    // lots the bundle's plantings sowed on that plot (which season it reached needs the ledger).
    std::multimap<std::string, std::string> sown_on;  // location → planting lot
    for (const auto& e : entries)
      if (e.event.value("type", "") == "planting")
        sown_on.emplace(e.event.value("location", ""), e.event.value("lot", ""));
    for (auto i : selected) {
      bool lot_ok = !sel.lot, product_ok = !sel.product;
      const json& ev = by_index[i]->event;
      const json& subject = is_replacing_correction(ev) ? ev["replacement"] : ev;
      auto named = lots_named(ev);
      if (subject.value("type", "") == "input_application" && !subject.contains("lot"))
        for (auto [b, e] = sown_on.equal_range(subject.value("location", "")); b != e; ++b) named.push_back(b->second);
      for (const auto& lot : named) {
        lot_ok = lot_ok || lineage_lots.count(lot);
        auto p = products.find(lot);
        product_ok = product_ok || (p != products.end() && p->second == *sel.product);
      }
      if (!lot_ok || !product_ok)
        throw_verification(fmt::format("manifest.json: selected entry {} does not match the selection", i));
    }
  }

  // Regenerate the derived file and the manifest; compare byte for byte.
  const std::string derived_name = derived_file_name(format);
  for (const auto& [rel, hex] : listed)
    if (rel != "entries.jsonl" && rel != "checkpoint.txt" && !proof_files.count(rel) && rel != derived_name)
      throw_verification(fmt::format("{}: not a file a {} bundle holds", rel, format_name(format)));
  if (!bytes.count(derived_name)) throw_verification(fmt::format("{}: missing", derived_name));
  bool regenerated = false;
  for (const auto& layout : layouts_of(bundle_format))
    if (!regenerated) regenerated = derived_file(entries, selected, format, layout) == bytes[derived_name];
  if (!regenerated)
    i18n::fail_check(i18n::Msg::bundle_derived_edited, derived_name, bundle_format);
  std::string manifest =
      manifest_bytes(bundle_format, m["origin"], m["log_key"], cp.size, format, selection_json(sel), selected, listed);
  if (manifest != manifest_text)
    i18n::fail_check(i18n::Msg::bundle_manifest_edited);

  return {log_key.name, cp.size, entries.size(), selected.size(), listed.size() + 1, bundle_format};
}

}  // namespace agtrace::regulator
