#!/usr/bin/env bash
# bench/verify_memory_bench.sh: the peak memory (max RSS, from /usr/bin/time) of a full audit,
# `agtrace-ledger verify`, against the size of the ledger (issue 17, item 4: < 1 GB at
# 1,000,000 entries). Two ledgers, of SMALL (default 100,000) and BIG (default 1,000,000)
# entries, are built once by verifier_bench_ledger (a season of many small farms; written with
# the audit before writing off, as a benchmark that builds its own ledger may) and kept under
# BUILD/bench-data/verify_memory/; each is verified once. Rows: BIG's peak against the 1 GB
# limit (ratio = limit / peak, goal >= 1), and SMALL's peak with the growth per entry between
# the two, so a run at smaller sizes on a busy machine still says where 1,000,000 lands. Not a
# test: nothing asserts.
#
# Usage: bench/verify_memory_bench.sh [--rows FILE] [--small N] [--big N]
# Environment: AGTRACE_BENCH_BUILD (build directory, default <repo>/build-bench).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${AGTRACE_BENCH_BUILD:-$root/build-bench}
rows=/dev/null
small=100000
big=1000000
while (($#)); do
  case $1 in
    --rows) rows=$2; shift 2 ;;
    --small) small=$2; shift 2 ;;
    --big) big=$2; shift 2 ;;
    -h|--help) sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "verify_memory_bench: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ $small =~ ^[1-9][0-9]*$ && $big =~ ^[1-9][0-9]*$ && $small -lt $big ]] ||
  { echo "verify_memory_bench: --small and --big: whole numbers, small below big" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "verify_memory_bench: /usr/bin/time is missing (Debian package time)" >&2; exit 3; }
ledger_cli=$build/ledger/cli/agtrace-ledger
generator=$build/bench/verifier_bench_ledger
[[ -x $ledger_cli && -x $generator ]] || cmake --build "$build" --target agtrace-ledger verifier_bench_ledger >&2

work=$build/bench-data/verify_memory
mkdir -p "$work"

# peak_kb N: builds the ledger of N entries if it is not kept yet, verifies it, prints
# "max-RSS-KiB seconds".
peak_kb() {
  local n=$1 ledger=$work/ledger-$1.db
  if [[ ! -f $ledger ]]; then
    echo "building a ledger of $n entries (once; kept in $work)" >&2
    rm -f "$ledger.tmp"*
    "$generator" "$ledger.tmp" "$work/codes-$n.txt" "$n" >&2
    mv "$ledger.tmp" "$ledger"
    rm -f "$ledger.tmp".*
  fi
  local out=$work/time-$n.txt
  /usr/bin/time -f '%M %e' -o "$out" "$ledger_cli" verify --ledger "$ledger" >"$work/verify-$n.out"
  cat "$out"
}

read -r small_kb small_s < <(peak_kb "$small")
read -r big_kb big_s < <(peak_kb "$big")
small_mb=$(awk -v k="$small_kb" 'BEGIN { printf "%.1f", k / 1024 }')
big_mb=$(awk -v k="$big_kb" 'BEGIN { printf "%.1f", k / 1024 }')
ratio=$(awk -v k="$big_kb" 'BEGIN { printf "%.2f", 1048576 / k }')
per_entry=$(awk -v a="$small_kb" -v b="$big_kb" -v m="$small" -v n="$big" 'BEGIN { printf "%.0f", (b - a) * 1024 / (n - m) }')
echo "verify: $small entries in $small_s s, max RSS $small_mb MB; $big entries in $big_s s, max RSS $big_mb MB;" \
  "growth $per_entry bytes per entry; load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%s\t%s\tMB\t%s\t%s\t%s\t%s\t\n' "ledger verify, max RSS, $big entries" "$big_mb" "limit 1 GB (ratio: limit / peak)" \
  1024 "$ratio" ">= 1.00" >>"$rows"
printf '%s\t%s\tMB\t\t\t\t\t\n' "ledger verify, max RSS, $small entries (+$per_entry B/entry to $big)" "$small_mb" >>"$rows"
