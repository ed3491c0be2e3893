#!/usr/bin/env bash
# Configures and builds agtrace into build/ (Release with debug info; warnings are
# errors when AGTRACE_WERROR=ON, as in CI).
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -G Ninja -DAGTRACE_WERROR="${AGTRACE_WERROR:-OFF}" >/dev/null
cmake --build build
