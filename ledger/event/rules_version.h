// Rules versions (DESIGN §3 "Rules versions", docs/rules-versions.md): the ledger's rules and
// schemas change only additively and by version, and each entry is judged by the version in
// force at its index, so every ledger ever written keeps verifying.
//
// The version in force at entry 0 is the `rules_version` that entry 0's log_init names (1
// when it names none: every ledger written before versions existed). A `rules_upgraded`
// entry (signed by the log key, written by `agtrace-ledger upgrade`) is itself judged by
// the version before it, and sets the version for every entry after it.
#pragma once

namespace agtrace {

// Version 1: the rules of every ledger written before rules versions existed.
inline constexpr int kRulesV1 = 1;
// Version 2 (issue 12, "Trust"): the rules added with the verifier's own replay; see
// docs/rules-versions.md for the list.
inline constexpr int kRulesV2 = 2;
// Version 3 (issue 14, 承诺达标合格证): certificate events and their rules, the product field
// certificate_required, and the station key's holder rule; see docs/rules-versions.md.
inline constexpr int kRulesV3 = 3;
// Version 4 (issue 14 item 3): a label job issues or reprints labels only for a lot that is not
// recalled and, when its product requires one, holds a valid 承诺达标合格证; see
// docs/rules-versions.md.
inline constexpr int kRulesV4 = 4;
// Version 5 (session 7: issue 14's certificate facts counted across the lineage, the printed
// origin, lots received from growers outside the ledger); see docs/rules-versions.md.
inline constexpr int kRulesV5 = 5;
// Version 6 (session 8: issue 14's paper certificates): a collected certificate's 产地 and its
// dates, and what a certificate over bought-in lots may rest on; see docs/rules-versions.md.
inline constexpr int kRulesV6 = 6;
// Version 7 (session 9: issue 14's certificate trial): no producer's certificate over produce
// collected with another issuer's paper certificate, and certificate numbers unique ignoring
// letter case; and (issue 16) input applications to a plot before sowing (底肥, soil treatment),
// carried by the plot's later plantings; see docs/rules-versions.md.
inline constexpr int kRulesV7 = 7;
// Version 8 (session 10, branch cert14f: issue 14's certificate trial): a pesticide application
// recorded late, whose pre-harvest interval holds an already recorded harvest, is recorded (the
// fact is true) and makes the 质量安全控制符合要求 certificates over that harvest 已失效;
// and (branch corr16, issue 16's clerk trials) a lot is taken from only in the kind of unit it
// was made in, unless packed (a lot harvested in 箱 is not packed by the kilo); see
// docs/rules-versions.md.
// And (trust14g, issue 14's trust trial) a clerk key with a holder signs certificates, voids,
// corrections and recalls only for its holder; an inspection's result is never corrected; a
// certificate covers more than 0; a buyer collects no paper certificate of its own; paper
// certificate numbers hold no look-alike or URL characters.
inline constexpr int kRulesV8 = 8;
// Version 9 (session 12, branch trust14h: issue 14's trust trial, who may state a fact for whom):
// a clerk key with a holder records an event whose acting party (an inspection's party, a
// harvest's, a shipping's, …) is its holder only, changes only master data that is its holder's
// or that its holder's keys recorded, and recalls only a lot its holder made or received or one
// made from such a lot; and (branch ship16, issue 16's clerk trial) no shipping of a recalled lot
// after its recall unless its goods are returned or destroyed, and a lot's shipments within what
// it holds; see docs/rules-versions.md.
inline constexpr int kRulesV9 = 9;
// The version `init` writes into a new ledger and `upgrade` moves an older ledger to.
inline constexpr int kCurrentRulesVersion = kRulesV9;

}  // namespace agtrace
