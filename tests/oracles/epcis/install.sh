#!/usr/bin/env bash
# Installs the EPCIS test oracle (GS1's npm epcis2.js, DESIGN §7) exactly as
# package-lock.json pins it (`npm ci`) into tests/oracles/epcis/node_modules. Idempotent: does
# nothing when node_modules already matches the lock file. Called by scripts/install-deps.sh.
# package.json's "overrides" entry maps epcis2.js's placeholder dependency `fs@0.0.1-security`,
# which some registries do not serve, to a small package that epcis2.js never loads.
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v npm >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends nodejs npm >&2
fi
stamp=node_modules/.agtrace-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
exec 9>"${TMPDIR:-/tmp}/agtrace-epcis-oracle.lock"
flock 9
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
npm ci --no-audit --no-fund --loglevel=error >&2
node -e "require('epcis2.js')"
echo "$want" > "$stamp"
