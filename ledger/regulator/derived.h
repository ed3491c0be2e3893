// The derived files of an export bundle (DESIGN §6), computed from the bundle's entries
// alone — so that `audit verify-bundle` can regenerate them without the ledger and compare
// byte for byte.
//
//   events.csv    one row per selected event, sorted by UTC event time then entry index, with
//                 FSMA 204-style key data elements (traceability lot code, product, quantity
//                 and unit, location, date, reference document, source, destination); UTF-8
//                 with BOM and CRLF (csv_writer.h), bilingual headers
//   events.jsonl  the selected events, one RFC 8785 line each (LF), by entry index
//   epcis.jsonld  a GS1 EPCIS 2.0 EPCISDocument of the selected events (epcis_export.h)
//
// Bundle formats: the layout of the derived files changes only by format, so that every bundle
// ever exported keeps verifying (DESIGN §3, docs/regulator.md "Bundle formats"). The manifest
// names the format it was written in (member bundle_format; a manifest without it is format 1);
// `audit verify-bundle` regenerates the derived file in that format's layout:
//   format 1  written before bundles named a format: events.csv without the columns "UTC
//             offset" and "Local date" (as the code before those columns wrote it), or with
//             them (as the code from then until format 2 wrote it) — verify-bundle regenerates
//             both and either must match byte for byte; epcis.jsonld without our
//             transformation events' transformationID
//   format 2  events.csv with both columns; epcis.jsonld writes transformationID
//   format 3  events.csv ends with two more columns for a clerk reading it in Excel: "Unit name
//             单位名称" (公斤, 吨, 件 … beside the UN/ECE code) and "Corrected by 已被更正（条目）"
//             (the entries of the bundle's corrections that replaced this row's event, so
//             that its figures are not added up twice with the correction's row)
//   format 4  the derived files as format 3; the inclusion proofs are lines of one file,
//             proofs.txt, instead of one C2SP tlog-proof file each (bundle.h)
//   format 5  as format 4, but a correction replaced by a later correction of the same event is
//             itself marked: its events.csv row's "Corrected by" names the later corrections
//             (only the event's last correction has the column empty), and in epcis.jsonld the
//             later correction's errorDeclaration is on the corrective event of the one it
//             replaced (that event again, under its eventID), not on the original a second time
//             — so that exactly one row and one event of each corrected event are in force
//   format 6  as format 5, and events.csv ends with one more column for a regulator reading it in
//             Excel: "Event type (Chinese) 事件类型（中文）", the "Event type" code in the words a
//             clerk writes in the 事件类型 column (harvest → 采收, packing → 包装); the code
//             column stays as it was, for programs
//
// Lot identities (product, GS1-safe lot code) are replayed from the lot-creating entries the
// bundle carries; the lot code is the DESIGN §4 code without collision lengthening (which
// depends on lots outside the bundle). Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ledger/store/entry.h"

namespace agtrace::regulator {

enum class ExportFormat { csv, jsonl, epcis };

// The bundle format export writes (above), and the oldest one verify-bundle reads.
inline constexpr int kBundleFormat = 6;
inline constexpr int kFirstBundleFormat = 1;

// One layout a bundle format's derived files may have been written in.
struct DerivedLayout {
  bool offset_columns = true;      // events.csv ends with "UTC offset" and "Local date"
  bool transformation_ids = true;  // epcis.jsonld writes our transformation_id as transformationID
  bool clerk_columns = true;       // events.csv ends with "Unit name" and "Corrected by" (format 3)
  bool superseded_corrections = true;  // a correction replaced by a later one is marked (format 5)
  bool chinese_type_column = true;     // events.csv ends with "Event type (Chinese)" (format 6)
};

// The layouts of bundle format `bundle_format` (kFirstBundleFormat..kBundleFormat), the
// layout export writes first; format 1 has two (see above). Throws std::out_of_range for
// another number (callers check the range first).
std::vector<DerivedLayout> layouts_of(int bundle_format);

// "csv", "jsonl", "epcis"; and back (throws Error(bad_input) naming --format).
std::string format_name(ExportFormat f);
ExportFormat parse_format(const std::string& name);
// The derived file's name in the bundle: "events.csv", "events.jsonl" or "epcis.jsonld".
std::string derived_file_name(ExportFormat f);

// Event types that are never rows (master data, keys, log_init, rules_upgraded): they travel
// as support.
bool is_support_type(const std::string& type);

// The lots an event names (creates, uses, consumes, introduces), sorted and unique.
// (A correction that carries its replacement names the replacement's lots.)
std::vector<std::string> lots_named(const nlohmann::json& event);
// The product of each lot the entries create, as the ledger infers it (rules.h
// product_of_new_lot) from the creating entries the bundle holds.
std::map<std::string, std::string> lot_products(const std::vector<Entry>& entries);

// The derived file for `entries` (ascending index, entry 0 among them), of which the events
// at `selected` indices are exported, in `layout` (by default the current format's). The EPCIS
// document's creationDate is the latest event time among the selected events, in UTC (the
// document is a function of its contents).
std::string derived_file(const std::vector<Entry>& entries, const std::vector<std::uint64_t>& selected,
                         ExportFormat format, const DerivedLayout& layout = {});

}  // namespace agtrace::regulator
