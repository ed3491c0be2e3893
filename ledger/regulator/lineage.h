// Lineage: where a lot came from and where it went (DESIGN §6 `trace`; EU 178/2002 Art. 18
// "one step back, one step forward").
//
// A lot's parents are the lots it was made from — a harvest's planting lot, a packing's input
// lot, a transformation's inputs (grading, processing, splits and merges), a partner's
// TransformationEvent inputs — as the derived `lineage(parent, child, entry_idx)` table records
// them. Trace codes hang below their packed lot through label jobs. A trace walks that graph
// breadth first from one lot (or from the lot of one trace code), backward to the plots and
// every input applied there, or forward to every lot, shipment and trace code made from it.
// The graph has no cycles: our own events only create new lots, and partner events that would
// close a cycle are refused at append.
//
// Reads only; works on a Ledger opened read-only. One thread at a time (as Ledger).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ledger/i18n/messages.h"
#include "ledger/ledger.h"

namespace agtrace::regulator {

enum class Direction { backward, forward };

// What the user asked to trace, resolved: a lot id, a GS1 lot code (DESIGN §4) or a trace
// code (serial), in that order of preference.
struct TraceStart {
  std::string query;                  // as given
  std::string lot;                    // the lot the walk starts from
  std::optional<std::string> serial;  // set when `query` was a trace code
};

// Resolves `query`. Throws i18n::Refusal (bad_input, Chinese and English) naming LOT|SERIAL when
// it is none of the three.
TraceStart resolve_trace_start(Ledger& ledger, const std::string& query);

struct TracedLot {
  std::string lot;
  std::string gs1_code;
  std::optional<std::string> product;
  std::string created_by;  // type of the creating event ("planting", "packing", "external", ...)
  std::uint64_t created_entry = 0;
  bool external = false;   // introduced by a partner's EPCIS event
  int depth = 0;           // lineage steps from the start lot (0 for the start)
};

struct TracedEdge {
  std::string parent;
  std::string child;
  std::uint64_t entry = 0;  // the event that made `child` from `parent`
};

// One event of a reached lot. `role` is "created" (the event made the lot), "subject", or
// "plot_input" (rules version 7: an input applied to the lot's plot with no lot named).
struct TracedEvent {
  std::string lot;
  std::uint64_t entry = 0;
  std::string role;
  std::string type;
  std::string event_id;
  std::string event_time;   // as written
  nlohmann::json event;     // the recorded event
};

struct TracedCode {
  std::string serial;
  std::string lot;
  std::uint64_t issued_entry = 0;
  bool voided = false;
};

struct TraceResult {
  TraceStart start;
  Direction direction = Direction::backward;
  std::optional<int> max_depth;     // nullopt: the whole lineage
  std::vector<TracedLot> lots;      // breadth-first order, the start lot first
  std::vector<TracedEdge> edges;    // every lineage edge walked, in walk order
  std::vector<TracedEvent> events;  // every event of every reached lot, by lot then entry
  // Forward: every trace code of every reached lot. Backward from a trace code: that code;
  // backward from a lot: the start lot's own codes.
  std::vector<TracedCode> codes;
  // The name of every party a traced event names (shipping's to_party, a plot's party), by id,
  // from the party records: the text shows "TYMALL（太原某某超市）", not the id alone.
  std::map<std::string, std::string> party_names;
};

// Walks the lineage from `start` in `direction`, at most `max_depth` steps (nullopt: all;
// 1: one step up or down). Throws i18n::Refusal (bad_input) if max_depth is negative.
TraceResult trace(Ledger& ledger, const TraceStart& start, Direction direction,
                  std::optional<int> max_depth);

// Every lot reachable from `lots` (included) following lineage forward: the lots made from
// them. Sorted. Used by recall and export.
std::vector<std::string> descendants_of(sql::Database& db, const std::vector<std::string>& lots);
// Every lot `lots` were made from, and `lots` themselves. Sorted.
std::vector<std::string> ancestors_of(sql::Database& db, const std::vector<std::string>& lots);

// The trace as JSON: {"query", "start_lot", "serial"?, "direction", "depth", "lots": [...],
// "edges": [...], "events": [...], "codes": [...], "plots": [...],
// "pesticide_applications": [...], "shipments": [...]}.
nlohmann::json trace_json(const TraceResult& result);
// The trace for a person: the lots as an indented tree with their key events; origins
// (plots, pesticide applications with their pre-harvest intervals) for a backward trace;
// shipments and trace codes for a forward one. In `lang` (ledger/i18n): words, event types and
// times as a regulator reads them (time_words: at the event's own offset, labelled); ids as recorded.
std::string trace_text(const TraceResult& result, i18n::Lang lang = i18n::Lang::en);

// A packing event's quantities (schemas/events/packing.schema.json) as a regulator reads them, in
// `lang` with the units in words: "投入 200 公斤 → 产出 40 件 × 每件 5 公斤，损耗 2 公斤" / "input 200 kg → 40
// pieces × 5 kg each, loss 2 kg" (the loss only when recorded). Members missing from `packing` are
// left out of the words as "-".
std::string packing_words(const nlohmann::json& packing, i18n::Lang lang);

}  // namespace agtrace::regulator
