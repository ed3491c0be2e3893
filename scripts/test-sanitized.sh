#!/usr/bin/env bash
# Builds everything with ASan + UBSan into build-asan/ and runs the whole suite under it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build-asan -G Ninja -DAGTRACE_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug \
  -DAGTRACE_WERROR="${AGTRACE_WERROR:-OFF}" >/dev/null
cmake --build build-asan
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export LSAN_OPTIONS="suppressions=$PWD/tests/sanitizers/lsan.supp"
ctest --test-dir build-asan --output-on-failure -j2
