// The job order of DESIGN §4: open, check the printer, journal, record, send; void what was
// never written, list what was not confirmed.
#include "labeler/job/job.h"

#include <fmt/format.h>

#include <map>

#include "labeler/code/serial.h"
#include "labeler/job/journal.h"
#include "labeler/render/painter.h"
#include "labeler/render/writer.h"
#include "labeler/template/content.h"
#include "ledger/ledger.h"
#include "ledger/util/crockford.h"
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

// Renders and sends every label; returns normally only when all were confirmed.
// `on_confirmed(k)` is called whenever the output's confirmed count grows.
void render_and_send(LabelWriter& writer, Output& out, const LabelPainter& painter,
                     const std::vector<std::string>& serials, const JobOptions& o,
                     const std::function<void(std::size_t)>& on_confirmed = {}) {
  std::size_t confirmed = 0;
  auto note = [&] {
    if (on_confirmed && out.confirmed() > confirmed) on_confirmed(confirmed = out.confirmed());
  };
  out.write_preamble(writer.begin());
  for (std::size_t i = 0; i < serials.size(); ++i) {
    std::string uri = trace_uri(painter.facts(), serials[i]);
    out.write_label(i, serials[i], writer.label(serials[i], uri));
    note();
    if (o.progress) o.progress(i + 1, serials.size());
  }
  out.write_trailer(writer.end());
  out.finish();
  note();
}

// Sample codes: 0000000000010, 0000000000020, … (64 bits, all but 12 of them zero):
// no job allocates them (allocate_serials draws 64 random bits), so none is genuine.
std::string sample_serial(std::size_t i) {
  std::uint8_t bytes[8] = {0, 0, 0, 0, 0, 0, static_cast<std::uint8_t>(i >> 4), static_cast<std::uint8_t>(i << 4)};
  return crockford_encode(bytes, 13);
}

// "S1 S2 … Sn", at most `max` of them, then "… (N more)".
std::string serial_list(const std::vector<std::string>& v, std::size_t begin, std::size_t end, std::size_t max = 200) {
  std::string out;
  for (std::size_t i = begin; i < end && i < begin + max; ++i) out += (i == begin ? "" : " ") + v[i];
  if (end - begin > max) out += fmt::format(" …（另 {} 个 / {} more: agtrace-labeler jobs --unfinished）",
                                            end - begin - max, end - begin - max);
  return out;
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
  // 1. Everything that can fail on content, before any side effect: first what the ledger
  //    checks (the key, the lot, its certificate, the packed count) — a lot the ledger refuses
  //    is named for that, not for a template field it lacks — then the template's content.
  //    A job that cannot be recorded leaves no file behind.
  LabelTemplate t = with_options(tmpl, o);
  LabelFacts facts = gather_label_facts(ledger, lot);
  JobResult r;
  r.serials = allocate_serials(count);
  LabelJob job;
  job.type = "labels_issued";
  job.lot = lot;
  job.serials = r.serials;
  job.party = o.party.empty() ? facts.packing_party : o.party;
  job.location = o.location.empty() ? facts.packing_location : o.location;
  job.template_name = t.name;
  job.template_sha256 = t.file_sha256;
  job.operator_id = o.operator_id;
  ledger.check_label_job(job, key);
  LabelPainter painter(t, facts, t.dpi);
  auto writer = make_writer(o.format, painter);
  // 3. Open the output and ask the printer whether it can print: an unreachable or unready
  //    printer stops here, nothing recorded.
  auto out = open_output(o.output, writer->extension(), writer->file_per_label(), count,
                         fmt::format("{}-{}", r.serials.front(), count));
  job.printer = out->describe();
  std::unique_ptr<PrintJournal> journal;
  std::int64_t jid = 0;
  // 4. Note the job in the journal, then record it; should the ledger refuse it after all
  //    (it changed since the check), remove what opening created.
  try {
    out->check_ready();
    if (!o.journal.empty()) {
      journal = std::make_unique<PrintJournal>(o.journal);
      jid = journal->begin(lot, job.printer, r.serials);
    }
    r.entry = ledger.record_label_job(job, key);
  } catch (...) {
    out->discard();
    if (journal) journal->finish(jid, 0, 0);
    throw;
  }
  if (journal) journal->recorded(jid, r.entry);
  if (o.recorded) o.recorded(r.entry);
  // 5. Send, journalling each confirmation; void what was never written.
  try {
    render_and_send(*writer, *out, painter, r.serials, o, [&](std::size_t k) {
      if (journal) journal->confirmed(jid, k);
    });
    r.confirmed = count;
  } catch (const std::exception& e) {
    std::size_t written = std::min(out->written(), count);
    r.confirmed = std::min(out->confirmed(), written);
    std::optional<std::uint64_t> void_entry;
    if (written < count) {
      LabelJob v = job;
      v.type = "labels_voided";
      v.serials.assign(r.serials.begin() + static_cast<std::ptrdiff_t>(written), r.serials.end());
      v.reason = fmt::format("not delivered to {}: {}", job.printer, e.what()).substr(0, 1000);
      void_entry = ledger.record_label_job(v, key);
    }
    if (journal) journal->finish(jid, r.confirmed, written);
    std::size_t uncertain = written - r.confirmed, voided = count - written;
    std::string msg = fmt::format(
        "{}\n打印中断：已确认 {} 张，未确认 {} 张，已作废 {} 张 / printing stopped: {} confirmed, {} uncertain, {} "
        "voided (job entry {}{})",
        e.what(), r.confirmed, uncertain, voided, r.confirmed, uncertain, voided, r.entry,
        void_entry ? fmt::format(", voided at entry {}", *void_entry) : "");
    if (uncertain)
      msg += fmt::format(
          "\n未确认的标签可能已打印：请查看打印机，打出的重印（reprint）或作废（void），没打出的作废 / uncertain "
          "labels may have printed: check the printer, then reprint or void each: {}",
          serial_list(r.serials, r.confirmed, written));
    if (voided)
      msg += "\n作废的码不会被认作真码；缺的标签请另起任务打印 / the voided codes never scan as genuine: print the "
             "missing labels with a new job";
    throw Error(ErrorKind::environment, msg);
  }
  if (journal) journal->finish(jid, count, count);
  return r;
}

LabelTemplate sample_template(LabelTemplate t) {
  TextElement mark;
  mark.part = "other";
  // Beside the QR code (drawn after the static layer, it would cover the mark), on its wider side.
  double left = t.qr.x_mm, right = t.width_mm - (t.qr.x_mm + t.qr.size_mm);
  mark.x_mm = left >= right ? 0 : t.qr.x_mm + t.qr.size_mm;
  mark.w_mm = std::max(left, right);
  mark.h_mm = t.height_mm * 0.2;
  mark.y_mm = (t.height_mm - mark.h_mm) / 2;
  mark.text = "样张 SAMPLE";
  mark.size_pt = mark.h_mm * 72 / 25.4 * 0.75;
  mark.min_size_pt = std::min(mark.size_pt, 4.0);
  mark.bold = true;
  mark.color = 0x000000;
  mark.align = Align::center;
  mark.valign = VAlign::middle;
  t.elements.push_back(mark);
  return t;
}

std::size_t print_samples(Ledger& ledger, const std::string& lot, std::size_t count, const LabelTemplate& tmpl,
                          const JobOptions& o) {
  if (count == 0 || count > 1000) throw_bad_input(fmt::format("--count {}: a dry run renders 1 to 1000 samples", count));
  LabelTemplate t = sample_template(with_options(tmpl, o));
  LabelFacts facts = gather_label_facts(ledger, lot);
  LabelPainter painter(t, facts, t.dpi);
  auto writer = make_writer(o.format, painter);
  std::vector<std::string> serials;
  for (std::size_t i = 1; i <= count; ++i) serials.push_back(sample_serial(i));
  auto out = open_output(o.output, writer->extension(), writer->file_per_label(), count, fmt::format("sample-{}", count));
  try {
    out->check_ready();
  } catch (...) {
    out->discard();
    throw;
  }
  render_and_send(*writer, *out, painter, serials, o);
  return out->confirmed();
}

std::vector<JobResult> reprint_labels(Ledger& ledger, const note::SigningKey& key,
                                      const std::vector<std::string>& serials, const LabelTemplate& tmpl,
                                      const JobOptions& o) {
  LabelTemplate t = with_options(tmpl, o);
  auto groups = by_lot(ledger, serials, "reprint");
  std::vector<JobResult> results;
  for (const auto& [lot, group] : groups) {
    LabelFacts facts = gather_label_facts(ledger, lot);
    LabelJob job;
    job.type = "labels_reprinted";
    job.lot = lot;
    job.serials = group;
    job.party = o.party.empty() ? facts.packing_party : o.party;
    job.location = o.location.empty() ? facts.packing_location : o.location;
    job.template_name = t.name;
    job.template_sha256 = t.file_sha256;
    job.operator_id = o.operator_id;
    job.reason = o.reason.empty() ? "reprint" : o.reason;
    ledger.check_label_job(job, key);  // before the template's content, as print_labels
    LabelPainter painter(t, facts, t.dpi);
    auto writer = make_writer(o.format, painter);
    auto out = open_output(o.output, writer->extension(), writer->file_per_label(), group.size(),
                           fmt::format("{}-reprint-{}", group.front(), group.size()));
    job.printer = out->describe();
    JobResult r;
    r.serials = group;
    try {
      out->check_ready();
      r.entry = ledger.record_label_job(job, key);
    } catch (...) {
      out->discard();
      throw;
    }
    try {
      render_and_send(*writer, *out, painter, group, o);
      r.confirmed = group.size();
    } catch (const std::exception& e) {
      throw Error(ErrorKind::environment,
                  fmt::format("{}\n重印中断：已确认 {} 张（共 {} 张）；这些码仍然有效，没有作废 / reprint stopped: {} of {} "
                              "confirmed (entry {}); the codes stay issued, none voided — reprint them again",
                              e.what(), out->confirmed(), group.size(), out->confirmed(), group.size(), r.entry));
    }
    results.push_back(std::move(r));
  }
  return results;
}

std::vector<std::uint64_t> void_labels(Ledger& ledger, const note::SigningKey& key,
                                       const std::vector<std::string>& serials, const std::string& reason,
                                       const std::string& party, const std::string& location,
                                       const std::string& operator_id) {
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
    job.operator_id = operator_id;
    entries.push_back(ledger.record_label_job(job, key));
  }
  return entries;
}

}  // namespace agtrace::labeler
