// The domain rules checked on every append (DESIGN §2), after schema validation:
// named parties, locations and products exist; created lots are new; used lots exist
// and were created no later than the event; harvest falls on or after every pesticide
// application's date plus its pre-harvest interval; transformations and packing
// conserve quantity; no lot gives out more than it holds; no event time lies more than
// five minutes in the future.
//
// Because every created lot must be new, lineage can only point from older lots to
// newer ones: cycles are impossible by construction.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <vector>
#include <string>

#include <nlohmann/json.hpp>

#include "ledger/i18n/messages.h"
#include "ledger/i18n/refusal.h"
#include "ledger/event/event_facts.h"
#include "ledger/event/ledger_state.h"

namespace agtrace {

struct RuleOptions {
  std::int64_t now_unix_ms = 0;  // the clock; events later than now + 5 min are refused
  bool check_clock = true;       // off when replaying old entries in an audit
  // The entries appended so far by the current append, by index → their place in its
  // input ("FILE line 2"). An all-or-nothing append that fails rolls them back, so a
  // refusal names them by that place, never by an entry number. Null: none.
  const std::map<std::uint64_t, std::string>* this_append = nullptr;
  // Whether the current append records nothing when one event is refused (no
  // --continue-on-error): then an entry of this_append is named as not recorded.
  bool all_or_nothing = true;
  // The language of the messages the correction checks (ledger/correction_check.h) write; the
  // rules' own refusals carry both languages (i18n::Refusal) and need none.
  i18n::Lang lang = i18n::Lang::en;
  // The known lot ids nearest to an unknown one, best first (e.g. ST26-DL01 for ST26-DLO1),
  // for the "unknown lot" refusal. Null: no suggestions.
  std::function<std::vector<std::string>(const std::string&)> similar_lots = nullptr;
};

// How a refusal names entry `index`: "entry 33", or for an entry of the current append
// "FILE line 2, earlier in this import".
std::string entry_name(std::uint64_t index, const RuleOptions& options);
// entry_name in both languages: "第 33 条记录" / "entry 33"; for an entry of the current append
// "FILE 第 2 行（本文件中，尚未记录）" / "FILE line 2 (earlier in this file, not recorded)" when
// the append is all or nothing (a refused file records none of it), else "本次导入前面的 FILE
// 第 2 行" / "FILE line 2, earlier in this import" (the place is in the clerk's language already).
i18n::Words entry_words(std::uint64_t index, const RuleOptions& options);

// Throws i18n::Refusal (an agtrace::Error(bad_input), in Chinese and English) naming the
// offending field, its value and the fix.
void check_rules(const nlohmann::json& event, const EventFacts& facts, LedgerState& state,
                 const RuleOptions& options);

// The product of a lot about to be created: the one the event names, else the product
// shared by all the lots it is made from (nullopt if none or if they differ).
std::optional<std::string> product_of_new_lot(const LotCreation& creation,
                                              const EventFacts& facts, LedgerState& state);

}  // namespace agtrace
