#!/usr/bin/env bash
# Builds everything with ASan + UBSan into build-asan/ and runs the suite under it (any
# sanitizer report fails its test; leaks are suppressed only for the process-lifetime caches
# of fontconfig, glib and pango: tests/sanitizers/lsan.supp). CI runs it after
# scripts/test.sh. Left out here, to keep CI within its time: the tests labelled `tamper`
# (the verifier's tamper matrix) and `browser` (headless Chromium, the e2e main job); every
# unit test runs. scripts/test.sh runs them all without sanitizers.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build-asan -G Ninja -DAGTRACE_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug -DAGTRACE_BENCH=OFF \
  -DAGTRACE_WERROR="${AGTRACE_WERROR:-OFF}" >/dev/null
cmake --build build-asan -j "$(nproc)"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export LSAN_OPTIONS="suppressions=$PWD/tests/sanitizers/lsan.supp:print_suppressions=0"
ctest --test-dir build-asan --output-on-failure -j2 -LE 'tamper|browser'
