#!/usr/bin/env bash
# The README's first command: the main job end to end on the shipped example season
# (examples/lucheng-2022). Installs what is missing, builds, then runs scripts/main-job.sh:
# ledger, keys and master data, the season's CSV files and a buyer's EPCIS document, labels
# (PNG, PDF, ZPL), a failed spot check and its recall, the verifier answering four scans
# (genuine, recalled, unknown), a regulator's bundle verified offline, a full audit, and the
# printer station printing to a stand-in Zebra.
# Everything goes to out/demo/.
#
#   scripts/demo.sh            stops the verifier and the printer station at the end
#   scripts/demo.sh --serve    leaves them running (their URLs are printed) to open in a browser
#
# Other arguments go to scripts/main-job.sh (see scripts/main-job.sh --help).
set -euo pipefail
cd "$(dirname "$0")/.."

printf '== 0. Install what is missing (Debian packages, test oracles) and build\n'
scripts/install-deps.sh
scripts/build.sh agtrace-ledger agtrace-labeler agtrace-verifier agtrace-station station_fake_printer
start=$(date +%s)
scripts/main-job.sh --out out/demo "$@"
printf 'The main job took %s s after the build.\n' "$(( $(date +%s) - start ))"
