#!/usr/bin/env bash
# The main job end to end on the shipped example season (examples/lucheng-2022):
# install what is missing, build, create a ledger, register keys and master data,
# import a clerk's season of CSV files, keep a regulator's checkpoint, verify the
# whole log and prove it only grew since that checkpoint. Everything goes to out/demo/.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
scripts/build.sh

OUT=out/demo
rm -rf "$OUT"
mkdir -p "$OUT"
LEDGER_BIN=build/ledger/cli/agtrace-ledger
export AGTRACE_LEDGER="$OUT/ledger.db"
SEASON=examples/lucheng-2022
ledger() { "$LEDGER_BIN" "$@"; }
step() { printf '\n== %s\n' "$*"; }

step "1. Create the ledger; its log key signs key entries and checkpoints"
ledger init --origin trace.lucheng.example/log --base-url https://trace.lucheng.example \
  --log-key-out "$OUT/log.key"

step "2. A clerk key for the co-op's data clerk, registered by the log key"
ledger key gen --name clerk-lucheng --out "$OUT/clerk.key"
ledger key add --log-key "$OUT/log.key" --pub "$OUT/clerk.key.pub" --role clerk

step "3. Master data: parties, locations, products (CSV with Chinese headers)"
for f in "$SEASON"/0[1-3]-*.csv; do
  ledger import --key "$OUT/clerk.key" --log-key "$OUT/log.key" --format csv "$f" | tail -n 1
done

step "4. The regulator saves today's checkpoint"
cp <(ledger checkpoint --log-key "$OUT/log.key") "$OUT/regulator-checkpoint.txt"
cat "$OUT/regulator-checkpoint.txt"

step "5. The season: planting, inputs (a GB18030 file from Excel), harvest, inspection, grading, pre-cooling, packing, shipping, receiving"
for f in "$SEASON"/0[4-9]-*.csv "$SEASON"/1[0-9]-*.csv; do
  encoding=utf-8
  case "$f" in *gb18030*) encoding=gb18030 ;; esac
  printf '%s: ' "$(basename "$f")"
  ledger import --key "$OUT/clerk.key" --log-key "$OUT/log.key" --format csv \
    --encoding "$encoding" --tz +08:00 "$f" 2>/dev/null | wc -l | xargs printf '%s events recorded\n'
done

step "6. What the ledger knows about one packed lot"
ledger show lot LC22-K-0001

step "7. A lot named in Chinese gets a GS1-safe lot code for its QR codes"
ledger show lot "张家河钢葱 第1批"

step "8. Full audit, and proof that the log only grew since the regulator's checkpoint"
ledger verify --checkpoint "$OUT/regulator-checkpoint.txt"

step "9. The latest signed checkpoint (C2SP tlog-checkpoint)"
ledger checkpoint --log-key "$OUT/log.key"

printf '\nDone. Ledger: %s — try: %s log --ledger %s\n' "$AGTRACE_LEDGER" "$LEDGER_BIN" "$AGTRACE_LEDGER"
