#!/usr/bin/env bash
# Builds and runs the libFuzzer targets of fuzz/ (docs/security.md, "Fuzzing") with clang,
# AddressSanitizer and UndefinedBehaviorSanitizer, in build-fuzz/.
#
#   scripts/fuzz.sh                      every target for 60 seconds, one after another
#   scripts/fuzz.sh TARGET [SECONDS]     one target (jcs, event, router, ...; `all` for every one)
#   scripts/fuzz.sh --list               the targets
#   scripts/fuzz.sh --build-only         configure and build build-fuzz/ only
#   scripts/fuzz.sh --runs N [--build-dir DIR] TARGET
#                                        N inputs from a fixed seed, on a scratch corpus: the
#                                        short run that ctest (scripts/test.sh) does
#
# A timed run keeps the inputs that found new coverage in build-fuzz/corpus/TARGET (the
# checked-in seeds in fuzz/corpus/TARGET are only read). A crash stops the run and leaves its
# input in build-fuzz/crashes/TARGET/: fix the bug, add a unit test for it, and copy the
# input into fuzz/corpus/TARGET. Exit status: 0 no finding, non-zero otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
build="$root/build-fuzz"
runs=""
build_only=0
list=0
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --build-dir) build="$2"; shift 2 ;;
    --build-only) build_only=1; shift ;;
    --list) list=1; shift ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "fuzz.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    *) break ;;
  esac
done
target="${1:-all}"
seconds="${2:-60}"

targets=()
for f in fuzz/*_fuzz.cpp; do
  t="${f#fuzz/}"
  targets+=("${t%_fuzz.cpp}")
done
if [ "$list" = 1 ]; then
  printf '%s\n' "${targets[@]}"
  exit 0
fi

if [ "$target" = all ]; then
  selected=("${targets[@]}")
else
  [ -f "fuzz/${target}_fuzz.cpp" ] || { echo "fuzz.sh: no target '$target' (--list names them)" >&2; exit 2; }
  selected=("$target")
fi

if [ -z "$runs" ]; then
  cmake -S . -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DAGTRACE_FUZZ=ON \
    -DAGTRACE_WERROR="${AGTRACE_WERROR:-OFF}" >/dev/null
  cmake --build "$build" --target fuzz
fi
[ "$build_only" = 1 ] && exit 0


export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
for t in "${selected[@]}"; do
  # Inputs of up to 4 KiB, except the EPCIS documents the seeds show are larger.
  max_len=4096
  [ "$t" = epcis ] && max_len=8192
  crashes="$build/crashes/$t"
  mkdir -p "$crashes"
  if [ -n "$runs" ]; then
    work=$(mktemp -d "$build/fuzz-$t.XXXXXX")
    trap 'rm -rf "$work"' EXIT
    echo "fuzz.sh: $t, $runs inputs"
    "$build/fuzz/${t}_fuzz" -seed=1 -runs="$runs" -max_len="$max_len" -print_final_stats=1 \
      -artifact_prefix="$crashes/" "$work" "fuzz/corpus/$t"
    rm -rf "$work"
    trap - EXIT
  else
    mkdir -p "$build/corpus/$t"
    echo "fuzz.sh: $t, $seconds seconds"
    "$build/fuzz/${t}_fuzz" -max_total_time="$seconds" -max_len="$max_len" -print_final_stats=1 \
      -artifact_prefix="$crashes/" "$build/corpus/$t" "fuzz/corpus/$t"
  fi
done
