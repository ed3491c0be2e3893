#!/usr/bin/env bash
# Installs the npm test oracles of tests/oracles/ exactly as package-lock.json pins them
# (`npm ci`). Idempotent: does nothing when node_modules already matches the lock file.
# Called by scripts/install-deps.sh and by the tests that need the oracles.
set -euo pipefail
cd "$(dirname "$0")"
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
exec 9>"${TMPDIR:-/tmp}/agtrace-test-oracles.lock"
flock 9
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
npm ci --no-audit --no-fund --loglevel=error >&2
echo "$want" > "$stamp"
