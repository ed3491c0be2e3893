#!/usr/bin/env bash
# Installs everything agtrace needs to build and test on Debian 12, from Debian's
# packages (and, for the test oracles, the npm registry). Idempotent; run as root.
set -euo pipefail

# Build: compiler, CMake, and the libraries DESIGN names.
BUILD_PACKAGES=(
  g++ cmake ninja-build pkg-config git
  libsqlite3-dev libssl-dev libfmt-dev nlohmann-json3-dev libvalijson-dev libcli11-dev
  doctest-dev libqrencode-dev libzint-dev libcpp-httplib-dev
  libcairo2-dev libpango1.0-dev libpng-dev zlib1g-dev fonts-noto-cjk
)
# Tests and tools: the sqlite3 shell (tamper tests).
TEST_PACKAGES=(
  sqlite3
  nginx chromium wrk curl fonts-noto-cjk  # verifier: nginx front, headless-browser check, HTTP benchmark
  clang libclang-rt-14-dev  # fuzz/: clang 14 and its libFuzzer, ASan and UBSan runtimes
  libzbar-dev libzxing-dev zbar-tools librsvg2-bin poppler-utils
  jq  # scripts/main-job.sh: the consumer's view of a scan, from the verifier's JSON
  systemd openssl  # tests/deploy: systemd-analyze verify of the units; a self-signed TLS certificate
)

missing=()
for p in "${BUILD_PACKAGES[@]}" "${TEST_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
"$(dirname "$0")/../tests/oracles/install.sh"
"$(dirname "$0")/../tests/oracles/install.sh" "$(dirname "$0")/../tests/oracles/epcis"
