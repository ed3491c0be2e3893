#!/usr/bin/env bash
# The README's test command: install what is missing, build, run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
ctest --test-dir build --output-on-failure -j2
# The fuzz targets (clang, ASan + UBSan, build-fuzz/): a short fixed number of inputs each.
scripts/fuzz.sh --build-only
ctest --test-dir build-fuzz -L fuzz --output-on-failure -j2
