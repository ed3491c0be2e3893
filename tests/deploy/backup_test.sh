#!/usr/bin/env bash
# agtrace-ledger backup and the restore of docs/deploy.md "Backup and restore" (issue 13,
# "What it must show"):
#   - while the verifier holds the ledger open, committed entries sit in the -wal, not yet
#     in ledger.db (a plain `cp ledger.db` misses them: the test checks that it does, so it
#     cannot pass without a WAL tail to copy);
#   - `backup --out` holds every committed entry, verifies, and says so; the file is 0640
#     under umask 0022; it refuses an existing file, a missing folder, a folder this user
#     cannot write and a damaged ledger (exit 2 / 1, nothing written);
#   - the documented restore (stop, move the backup in, remove the old -wal/-shm, start,
#     re-pin the backup's checkpoint because the verifier had verified more) brings the
#     verifier back to answering from the restored file.
# Usage: backup_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
BUILD=$1 SRC=$2
fail() { echo "backup_test: FAIL: $*" >&2; exit 1; }
T=$(mktemp -d /tmp/agtrace-backup.XXXXXX)
VPID=
trap '[ -n "$VPID" ] && kill "$VPID" 2>/dev/null; wait 2>/dev/null; rm -rf "$T"' EXIT
. "$(dirname "$0")/lib.sh"
export AGTRACE_LEDGER=$T/ledger.db
entries_of() { "$L" --ledger "$1" verify --json | sed -n 's/.*"entries": \([0-9]*\).*/\1/p'; }

new_ledger "$T"
import_season "$T" "$SEASON"/0[1-3]-*.csv
"$L" key gen --name station-conghe --out "$T/station.key" >/dev/null
"$L" key add --log-key "$T/log.key" --pub "$T/station.key.pub" --role station --holder CH >/dev/null
"$L" checkpoint --log-key "$T/log.key" >/dev/null

start_verifier() {
  : >"$T/verifier.log"
  "$V" serve --ledger "$AGTRACE_LEDGER" --scans "$T/scans.db" --log-pubkey "$T/log.key.pub" --listen 127.0.0.1:0 \
    >>"$T/verifier.log" 2>&1 &
  VPID=$!
  VPORT=$(listening_port "$T/verifier.log" "$VPID")
}
stop_verifier() { kill "$VPID"; wait "$VPID" || fail "the verifier did not stop cleanly"; VPID=; }
health() { curl -s -o "$T/health" -w '%{http_code}' "http://127.0.0.1:$VPORT/healthz"; }
wait_health() {  # STATUS TEXT: until /healthz answers STATUS with a body containing TEXT
  for _ in $(seq 1 300); do
    [ "$(health)" = "$1" ] && grep -q "$2" "$T/health" && return 0
    sleep 0.1
  done
  fail "/healthz says $(health) \"$(cat "$T/health")\", not $1 \"$2\""
}

start_verifier
wait_health 200 "ok"
# The season, a label job and a checkpoint, committed while the verifier holds the ledger
# open: SQLite cannot fold the -wal back into ledger.db after the writers close.
import_season "$T" "$SEASON"/0[4-9]-*.csv "$SEASON"/1[01]-*.csv "$SEASON"/12-certificates.csv  # certificates before labels
"$LB" print --key "$T/station.key" --lot LC22-K-0001 --count 2 \
  --template "$SRC/examples/templates/lucheng-box-100x70.json" --format png --out "$T/labels/" --quiet 2>"$T/print.err"
grep -q "部署了检查点服务的（docs/deploy.md），几分钟内会自动签署" "$T/print.err" ||
  fail "the label job's note: $(cat "$T/print.err")"
"$L" checkpoint --log-key "$T/log.key" > "$T/checkpoint.txt"
LIVE=$(sed -n 2p "$T/checkpoint.txt")
wait_health 200 "ok $LIVE entries"
[ -s "$AGTRACE_LEDGER-wal" ] || fail "no WAL tail: the test would not show what a backup must copy"
cp "$AGTRACE_LEDGER" "$T/plain-copy.db"
PLAIN=$(entries_of "$T/plain-copy.db")
[ "$PLAIN" -lt "$LIVE" ] || fail "cp ledger.db has all $LIVE entries: nothing is in the WAL, the test proves nothing"

# The backup: every committed entry, verified.
out=$(umask 0022; "$L" backup --out "$T/backup.db") || fail "backup exited $?"
echo "$out" | grep -q "backup $T/backup.db: $LIVE entries verified; its latest checkpoint covers $LIVE entries" ||
  fail "backup said: $out"
[ "$(entries_of "$T/backup.db")" = "$LIVE" ] || fail "the backup has $(entries_of "$T/backup.db") entries, not $LIVE"
[ ! -e "$T/backup.db-wal" ] && [ -z "$(ls "$T" | grep partial || true)" ] || fail "backup left files behind"
# It holds names and phone numbers: 0640 under umask 0022, not the umask's 0644.
[ "$(stat -c %a "$T/backup.db")" = 640 ] || fail "the backup is $(stat -c %a "$T/backup.db"), not 640, under umask 0022"

# Bad usage: an existing file is never replaced; a missing folder; nothing written.
before=$(sha256sum "$T/backup.db")
set +e
msg=$("$L" backup --out "$T/backup.db" 2>&1); rc=$?
set -e
[ "$rc" = 2 ] && echo "$msg" | grep -q "the file exists; a backup never replaces a file" || fail "existing --out: $rc $msg"
[ "$(sha256sum "$T/backup.db")" = "$before" ] || fail "backup replaced an existing file"
set +e
msg=$("$L" backup --out "$T/no/such/folder/b.db" 2>&1); rc=$?
set -e
[ "$rc" = 2 ] && echo "$msg" | grep -q "does not exist; create it first" || fail "missing folder: $rc $msg"
# A folder this user cannot write (read-only), or cannot even look into: exit 2, a message
# naming --out and what to do, nothing written. As root (who may write anywhere) as nobody.
chmod 0711 "$T"
install -d -m 0555 "$T/read-only" && install -d -m 0000 "$T/sealed"
as_user() { if [ "$(id -u)" = 0 ]; then setpriv --reuid nobody --regid nogroup --clear-groups -- "$@"; else "$@"; fi; }
for target in "$T/read-only/b.db" "$T/sealed/b.db"; do
  set +e
  msg=$(as_user "$L" --ledger "$AGTRACE_LEDGER" backup --out "$target" 2>&1); rc=$?
  set -e
  [ "$rc" = 2 ] && echo "$msg" | grep -q "^error: --out $target: this user (.*) cannot write there" &&
    echo "$msg" | grep -q "nothing was written" || fail "unwritable --out $target: $rc $msg"
  [ -z "$(ls -A "$T/read-only")" ] && [ -z "$(ls "$T" | grep partial || true)" ] || fail "unwritable --out: files written"
done
chmod 0700 "$T"

# A damaged ledger is not backed up: its copy fails the audit (exit 1), no file is left.
cp "$T/backup.db" "$T/damaged.db"
sqlite3 "$T/damaged.db" "DROP TRIGGER entries_no_update; UPDATE entries SET entry = CAST(replace(CAST(entry AS TEXT), '潞城', '假冒') AS BLOB) WHERE idx = (SELECT max(idx) FROM entries WHERE CAST(entry AS TEXT) LIKE '%潞城%')"
[ "$(sqlite3 "$T/damaged.db" "SELECT count(*) FROM entries WHERE CAST(entry AS TEXT) LIKE '%假冒%'")" = 1 ] || fail "the damage did not take"
set +e
msg=$("$L" --ledger "$T/damaged.db" backup --out "$T/damaged-backup.db" 2>&1); rc=$?
set -e
[ "$rc" = 1 ] && echo "$msg" | grep -q "does not verify, so no backup was written" || fail "damaged ledger: $rc $msg"
[ ! -e "$T/damaged-backup.db" ] && [ -z "$(ls "$T" | grep partial || true)" ] || fail "a damaged ledger's backup was written"
# show runs the full audit first: on the damaged ledger it shows nothing and says why (exit 1).
set +e
shown=$("$L" --ledger "$T/damaged.db" show 1 2>"$T/show.err"); rc=$?
set -e
[ "$rc" = 1 ] && [ -z "$shown" ] && grep -q "show: the ledger does not verify" "$T/show.err" ||
  fail "show of a damaged ledger: exit $rc, printed: $shown $(cat "$T/show.err")"
# verify on it fails and names the next step: docs/deploy.md "When verify fails".
set +e
msg=$("$L" --ledger "$T/damaged.db" verify 2>&1); rc=$?
set -e
[ "$rc" = 1 ] && echo "$msg" | grep -q '^FAILED: ' && echo "$msg" | grep -q 'docs/deploy.md "When verify fails"' ||
  fail "verify of a damaged ledger does not point to what to do: $rc $msg"

# Life goes on after the backup: more entries, another checkpoint, served.
import_season "$T" "$SEASON"/12-receiving.csv "$SEASON"/12-taiyuan-mix.csv
"$L" checkpoint --log-key "$T/log.key" > "$T/checkpoint2.txt"
wait_health 200 "ok $(sed -n 2p "$T/checkpoint2.txt") entries"

# The restore of docs/deploy.md: stop the verifier (and every writer), move the backup into
# place, remove the old file's -wal and -shm (they belong to the file that was replaced),
# start the verifier. It verified more than the backup holds, so it refuses until the
# operator re-pins the backup's checkpoint.
stop_verifier
install -m 0660 "$T/backup.db" "$AGTRACE_LEDGER.restoring"
mv -f "$AGTRACE_LEDGER.restoring" "$AGTRACE_LEDGER"
rm -f "$AGTRACE_LEDGER-wal" "$AGTRACE_LEDGER-shm"
start_verifier
wait_health 503 "rolled back"
"$V" repin --scans "$T/scans.db" --size "$LIVE" --reason "restored the backup of the test" >/dev/null
wait_health 200 "ok $LIVE entries"
serial=$(ls "$T/labels" | sed -n 's/^[0-9]*-\(.*\)\.png$/\1/p' | head -n 1)
curl -s -H 'Accept: application/json' "http://127.0.0.1:$VPORT/t/$serial" | grep -q '"status":"genuine"' ||
  fail "the restored verifier does not answer code $serial"
# Writers carry on from the restored file.
"$L" import --key "$T/clerk.key" --format csv --tz +08:00 "$SEASON/12-receiving.csv" >/dev/null 2>"$T/import.err" ||
  fail "an import into the restored ledger failed"
# A clerk imports without the log key: the note (Chinese: the file's headers are) says the checkpoint service signs the new
# entries; only where none is deployed does the log key's holder (never the clerk) sign one (docs/clerk-import.md「检查点」).
grep -q "部署了检查点服务的（docs/deploy.md），几分钟内会自动签署" "$T/import.err" && grep -q "请日志密钥持有人运行" "$T/import.err" ||
  fail "the import's note: $(cat "$T/import.err")"
"$L" verify >/dev/null || fail "the restored ledger does not verify after a new import"
stop_verifier
echo "backup_test: OK"
