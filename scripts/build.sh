#!/usr/bin/env bash
# Configures and builds agtrace into build/ (Release with debug info; warnings are
# errors when AGTRACE_WERROR=ON, as in CI). With target names, builds only those
# (scripts/demo.sh builds just the three programs); without, everything.
#
#   scripts/build.sh [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -G Ninja -DAGTRACE_WERROR="${AGTRACE_WERROR:-OFF}" >/dev/null
targets=()
for t in "$@"; do targets+=(--target "$t"); done
cmake --build build -j "$(nproc)" "${targets[@]}"
