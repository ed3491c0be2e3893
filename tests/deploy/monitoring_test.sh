#!/usr/bin/env bash
# Monitoring (issue 13, docs/deploy.md "Logs, monitoring, alerts"):
#   - /metrics has the last verified entry, the entries awaiting checkpoint, the checkpoint's
#     age and the scan-count commit failures;
#   - while scan counts cannot be committed (here: the verifier's file-size limit lowered to
#     1 byte with prlimit, so every write fails with EFBIG as on a full disk), /healthz
#     answers 503 and says so, the pages are still served, and the error is logged once,
#     not once per retry (every 50 ms); when writes work again it logs that, /healthz is 200
#     again and every pending count is committed.
# Usage: monitoring_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
BUILD=$1 SRC=$2
fail() { echo "monitoring_test: FAIL: $*" >&2; exit 1; }
command -v prlimit >/dev/null || fail "prlimit is missing (util-linux)"
T=$(mktemp -d /tmp/agtrace-monitoring.XXXXXX)
VPID=
trap '[ -n "$VPID" ] && kill "$VPID" 2>/dev/null; wait 2>/dev/null; rm -rf "$T"' EXIT
. "$(dirname "$0")/lib.sh"
export AGTRACE_LEDGER=$T/ledger.db

new_ledger "$T"
import_season "$T" "$SEASON"/0[1-3]-*.csv
"$L" key gen --name station-conghe --out "$T/station.key" >/dev/null
"$L" key add --log-key "$T/log.key" --pub "$T/station.key.pub" --role station --holder CH >/dev/null
import_season "$T" "$SEASON"/0[4-9]-*.csv "$SEASON"/1[01]-*.csv "$SEASON"/12-certificates.csv  # certificates before labels
"$LB" print --key "$T/station.key" --lot LC22-K-0001 --count 1 \
  --template "$SRC/examples/templates/lucheng-box-100x70.json" --format png --out "$T/labels/" --quiet 2>/dev/null
"$L" checkpoint --log-key "$T/log.key" > "$T/checkpoint.txt"
SIZE=$(sed -n 2p "$T/checkpoint.txt")
SERIAL=$(ls "$T/labels" | sed -n 's/^[0-9]*-\(.*\)\.png$/\1/p' | head -n 1)

: >"$T/verifier.log"
# SIGXFSZ ignored (inherited through exec): a write over the limit then fails with EFBIG
# instead of killing the process. The log goes through a pipe, which the limit does not
# cover (the journal's, under systemd).
(trap '' XFSZ; exec "$V" serve --ledger "$AGTRACE_LEDGER" --scans "$T/scans.db" --log-pubkey "$T/log.key.pub" \
  --listen 127.0.0.1:0) > >(cat >>"$T/verifier.log") 2>&1 &
VPID=$!
VPORT=$(listening_port "$T/verifier.log" "$VPID")
get() { curl -s -o "$T/body" -w '%{http_code}' "http://127.0.0.1:$VPORT$1"; }
metric() { get /metrics >/dev/null; sed -n "s/^$1 //p" "$T/body"; }
wait_health() {  # STATUS TEXT
  for _ in $(seq 1 300); do
    [ "$(get /healthz)" = "$1" ] && grep -q "$2" "$T/body" && return 0
    sleep 0.1
  done
  fail "/healthz says $(get /healthz) \"$(cat "$T/body")\", not $1 \"$2\""
}
wait_health 200 "ok $SIZE entries"

# Gauges of the verified state.
[ "$(metric agtrace_last_verified_entry)" = $((SIZE - 1)) ] || fail "agtrace_last_verified_entry is $(metric agtrace_last_verified_entry), not $((SIZE - 1))"
[ "$(metric agtrace_entries_awaiting_checkpoint)" = 0 ] || fail "entries awaiting checkpoint after a checkpoint"
[ "$(metric agtrace_scan_commit_failing)" = 0 ] && [ "$(metric agtrace_scan_commit_failures_total)" = 0 ] ||
  fail "scan commits failing at start"
sleep 2
age=$(metric agtrace_checkpoint_age_seconds)
[ "$age" -ge 2 ] || fail "agtrace_checkpoint_age_seconds is $age after 2 s"
import_season "$T" "$SEASON/12-receiving.csv"       # no checkpoint: entries await one
for _ in $(seq 1 100); do [ "$(metric agtrace_entries_awaiting_checkpoint)" != 0 ] && break; sleep 0.1; done
awaiting=$(metric agtrace_entries_awaiting_checkpoint)
[ "$awaiting" -gt 0 ] || fail "no entries awaiting checkpoint after an import without one"
[ "$(metric agtrace_checkpoint_age_seconds)" -ge "$age" ] || fail "the checkpoint's age went back without a checkpoint"
"$L" checkpoint --log-key "$T/log.key" > "$T/checkpoint.txt"
SIZE=$(sed -n 2p "$T/checkpoint.txt")
wait_health 200 "ok $SIZE entries"
for _ in $(seq 1 100); do [ "$(metric agtrace_entries_awaiting_checkpoint)" = 0 ] && break; sleep 0.1; done
[ "$(metric agtrace_entries_awaiting_checkpoint)" = 0 ] ||
  fail "entries still awaiting after the checkpoint: $(grep -E '^agtrace_(ledger_entries|checkpoint_size|entries_awaiting)' "$T/body")"
[ "$(metric agtrace_checkpoint_age_seconds)" -lt 2 ] || fail "the checkpoint's age did not restart at the new checkpoint"

# Scans commit; then the scans file cannot be written ("disk full").
[ "$(get "/t/$SERIAL")" = 200 ] || fail "scan page"
prlimit --pid "$VPID" --fsize=1:unlimited
for i in $(seq 1 5); do [ "$(get "/t/$SERIAL")" = 200 ] || fail "scan page $i while counts cannot be committed"; done
wait_health 503 "scan counts cannot be committed"
sleep 2                                    # ~40 more failed attempts, one every 50 ms
[ "$(get "/t/$SERIAL")" = 200 ] || fail "the scan page is not served while counts cannot be committed"
[ "$(metric agtrace_scan_commit_failing)" = 1 ] || fail "agtrace_scan_commit_failing is not 1"
failures=$(metric agtrace_scan_commit_failures_total)
[ "$failures" -ge 10 ] || fail "only $failures failed commits in 2 s: the test did not make commits fail every time"
lines=$(grep -c "committing scan counts" "$T/verifier.log" || true)
[ "$lines" = 1 ] || { cat "$T/verifier.log" >&2; fail "$failures failures logged in $lines lines, not 1"; }

# Writes work again: logged once, /healthz 200, every scan committed.
prlimit --pid "$VPID" --fsize=unlimited:unlimited
wait_health 200 "ok $SIZE entries"
grep -q "committing scan counts works again, after $failures\|committing scan counts works again, after [0-9]* failed" "$T/verifier.log" ||
  fail "recovery not logged: $(cat "$T/verifier.log")"
[ "$(metric agtrace_scan_commit_failing)" = 0 ] || fail "agtrace_scan_commit_failing stays 1"
kill "$VPID"; wait "$VPID" || fail "the verifier did not stop cleanly"; VPID=
[ "$(sqlite3 "$T/scans.db" "SELECT count FROM scans WHERE serial = '$SERIAL'")" = 7 ] ||
  fail "the scans file has $(sqlite3 "$T/scans.db" "SELECT count FROM scans WHERE serial = '$SERIAL'") scans, not 7"
echo "monitoring_test: OK"
