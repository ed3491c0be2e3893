// The job order of DESIGN §4: open, record, send; void what was not delivered.
#include "labeler/job/job.h"

#include <fmt/format.h>

#include <map>

#include "labeler/code/serial.h"
#include "labeler/render/painter.h"
#include "labeler/render/writer.h"
#include "labeler/template/content.h"
#include "ledger/ledger.h"
#include "ledger/util/error.h"

namespace agtrace::labeler {
namespace {

LabelTemplate with_options(LabelTemplate t, const JobOptions& o) {
  if (o.dpi) {
    if (*o.dpi != 203 && *o.dpi != 300 && *o.dpi != 600)
      throw_bad_input(fmt::format("--dpi {}: thermal printers print at 203, 300 or 600 dpi", *o.dpi));
    t.dpi = *o.dpi;
  }
  if (o.ec) {
    t.qr.ec = *o.ec;
    for (auto& e : t.elements)
      if (auto* q = std::get_if<QrElement>(&e)) q->ec = *o.ec;
  }
  return t;
}

// Renders and sends every label; returns normally only when all were delivered.
void render_and_send(LabelWriter& writer, Output& out, const LabelPainter& painter,
                     const std::vector<std::string>& serials, const JobOptions& o) {
  out.write_preamble(writer.begin());
  for (std::size_t i = 0; i < serials.size(); ++i) {
    std::string uri = trace_uri(painter.facts(), serials[i]);
    out.write_label(i, serials[i], writer.label(serials[i], uri));
    if (o.progress) o.progress(i + 1, serials.size());
  }
  out.write_trailer(writer.end());
  out.finish();
}

std::string lot_of(Ledger& ledger, const std::string& serial, std::string_view verb) {
  auto code = ledger.code(serial);
  if (!code) throw_bad_input(fmt::format("SERIAL {}: no label job issued this code; nothing to {}", serial, verb));
  if (code->voided_entry)
    throw_bad_input(fmt::format("SERIAL {}: voided at entry {}; a voided code is not genuine and is not {}",
                                serial, *code->voided_entry, verb == "void" ? "voided again" : "reprinted"));
  return code->lot;
}

// Serials grouped by lot, lots in order of first appearance.
std::vector<std::pair<std::string, std::vector<std::string>>> by_lot(Ledger& ledger,
                                                                      const std::vector<std::string>& serials,
                                                                      std::string_view verb) {
  std::vector<std::pair<std::string, std::vector<std::string>>> groups;
  std::map<std::string, std::size_t> index;
  std::map<std::string, bool> seen;
  for (const auto& raw : serials) {
    std::string s = normalize_serial(raw, "SERIAL");
    if (seen[s]) throw_bad_input(fmt::format("SERIAL {} is given twice", s));
    seen[s] = true;
    std::string lot = lot_of(ledger, s, verb);
    auto [it, fresh] = index.emplace(lot, groups.size());
    if (fresh) groups.push_back({lot, {}});
    groups[it->second].second.push_back(s);
  }
  return groups;
}

}  // namespace

JobResult print_labels(Ledger& ledger, const note::SigningKey& key, const std::string& lot, std::size_t count,
                       const LabelTemplate& tmpl, const JobOptions& o) {
  if (count == 0 || count > 10000000) throw_bad_input(fmt::format("--count {}: print 1 to 10000000 labels", count));
  // 1. Everything that can fail on content, before any side effect.
  LabelTemplate t = with_options(tmpl, o);
  LabelFacts facts = gather_label_facts(ledger, lot);
  LabelPainter painter(t, facts, t.dpi);
  auto writer = make_writer(o.format, painter);
  JobResult r;
  r.serials = allocate_serials(count);
  LabelJob job;
  job.type = "labels_issued";
  job.lot = lot;
  job.serials = r.serials;
  job.party = o.party.empty() ? facts.packing_party : o.party;
  job.location = o.location.empty() ? facts.packing_location : o.location;
  job.template_name = t.name;
  // 2. Everything the ledger checks (the key, the lot, the packed count), before the output
  //    is created: a job that cannot be recorded leaves no file behind.
  ledger.check_label_job(job, key);
  // 3. Open the output: an unreachable printer stops here, nothing recorded.
  auto out = open_output(o.output, writer->extension(), writer->file_per_label(), count,
                         fmt::format("{}-{}", r.serials.front(), count));
  // 4. Record the job; should the ledger refuse it after all (it changed since the check),
  //    remove what opening created.
  job.printer = out->describe();
  try {
    r.entry = ledger.record_label_job(job, key);
  } catch (...) {
    out->discard();
    throw;
  }
  // 5. Send; void what was not delivered.
  try {
    render_and_send(*writer, *out, painter, r.serials, o);
    r.delivered = count;
  } catch (const std::exception& e) {
    r.delivered = std::min(out->delivered(), count);
    LabelJob v = job;
    v.type = "labels_voided";
    v.serials.assign(r.serials.begin() + static_cast<std::ptrdiff_t>(r.delivered), r.serials.end());
    v.reason = fmt::format("not delivered to {}: {}", job.printer, e.what()).substr(0, 1000);
    r.void_entry = ledger.record_label_job(v, key);
    throw Error(ErrorKind::environment,
                fmt::format("{}; {} of {} labels were delivered (job entry {}); the other {} codes were voided "
                            "(entry {}) — print them again with a new job",
                            e.what(), r.delivered, count, r.entry, v.serials.size(), *r.void_entry));
  }
  return r;
}

std::vector<JobResult> reprint_labels(Ledger& ledger, const note::SigningKey& key,
                                      const std::vector<std::string>& serials, const LabelTemplate& tmpl,
                                      const JobOptions& o) {
  LabelTemplate t = with_options(tmpl, o);
  auto groups = by_lot(ledger, serials, "reprint");
  std::vector<JobResult> results;
  for (const auto& [lot, group] : groups) {
    LabelFacts facts = gather_label_facts(ledger, lot);
    LabelPainter painter(t, facts, t.dpi);
    auto writer = make_writer(o.format, painter);
    LabelJob job;
    job.type = "labels_reprinted";
    job.lot = lot;
    job.serials = group;
    job.party = o.party.empty() ? facts.packing_party : o.party;
    job.location = o.location.empty() ? facts.packing_location : o.location;
    job.template_name = t.name;
    job.reason = "reprint";
    ledger.check_label_job(job, key);
    auto out = open_output(o.output, writer->extension(), writer->file_per_label(), group.size(),
                           fmt::format("{}-reprint-{}", group.front(), group.size()));
    job.printer = out->describe();
    JobResult r;
    r.serials = group;
    try {
      r.entry = ledger.record_label_job(job, key);
    } catch (...) {
      out->discard();
      throw;
    }
    try {
      render_and_send(*writer, *out, painter, group, o);
      r.delivered = group.size();
    } catch (const std::exception& e) {
      throw Error(ErrorKind::environment,
                  fmt::format("{}; {} of {} reprints were delivered (entry {}); the codes stay issued — "
                              "reprint them again",
                              e.what(), out->delivered(), group.size(), r.entry));
    }
    results.push_back(std::move(r));
  }
  return results;
}

std::vector<std::uint64_t> void_labels(Ledger& ledger, const note::SigningKey& key,
                                       const std::vector<std::string>& serials, const std::string& reason,
                                       const std::string& party, const std::string& location) {
  if (reason.empty()) throw_bad_input("--reason: say why the labels are voided (e.g. \"torn on the line\")");
  auto groups = by_lot(ledger, serials, "void");
  std::vector<std::uint64_t> entries;
  for (const auto& [lot, group] : groups) {
    LabelJob job;
    job.type = "labels_voided";
    job.lot = lot;
    job.serials = group;
    job.party = party;
    job.location = location;
    if (job.party.empty() || job.location.empty()) {
      auto s = ledger.database().prepare(
          "SELECT e.entry_idx FROM lot_events le JOIN events e ON e.entry_idx = le.entry_idx "
          "WHERE le.lot_id = ? AND e.type = 'packing' ORDER BY e.entry_idx LIMIT 1");
      s.bind(1, lot);
      if (s.step()) {
        auto ev = ledger.store().event_at(static_cast<std::uint64_t>(s.column_int(0)));
        if (job.party.empty()) job.party = ev.value("party", "");
        if (job.location.empty()) job.location = ev.value("location", "");
      }
    }
    job.reason = reason;
    entries.push_back(ledger.record_label_job(job, key));
  }
  return entries;
}

}  // namespace agtrace::labeler
