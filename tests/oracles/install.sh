#!/usr/bin/env bash
# Installs an npm test oracle folder exactly as its package-lock.json pins it (`npm ci`):
# tests/oracles/ itself (GS1's digital-link.js, zpl-renderer-js) by default, or the folder
# given (tests/oracles/epcis: GS1's epcis2.js, DESIGN §7). Idempotent: does nothing when
# node_modules already matches the lock file. Called by scripts/install-deps.sh and by the
# tests that need the oracles.
#
#   tests/oracles/install.sh [FOLDER]
set -euo pipefail
cd "${1:-$(dirname "$0")}"
if ! command -v npm >/dev/null; then
  # Debian's nodejs ships npm separately (NodeSource's nodejs includes it).
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends nodejs npm >&2
fi
stamp=node_modules/.agtrace-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
# Two test processes may call this at once: one installs, the other waits.
exec 9>"${TMPDIR:-/tmp}/agtrace-oracles-$(pwd | sha256sum | cut -c1-12).lock"
flock 9
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
npm ci --no-audit --no-fund --loglevel=error >&2
npm ls --depth=0 >/dev/null  # every dependency resolved
echo "$want" > "$stamp"
