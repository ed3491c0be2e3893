#!/usr/bin/env bash
# The permission model of docs/deploy.md "Users, groups and file modes", with real users
# (issue 13, "What it must show"): the writers (a clerk, a printer station and the
# checkpoint signer, three users of group `agtrace`) and the verifier (its own user, also
# in the group) share one ledger in a setgid folder, with exactly the documented modes, in
# both start orders:
#   1. the verifier opens the ledger first and creates its -wal and -shm files;
#   2. a writer holds the ledger open (it created -wal and -shm) when the verifier starts.
# Each time imports, a label job and a checkpoint succeed while the verifier runs, and the
# verifier serves the new entries; the labeler's print journal is shared the same way (a
# clerk's `jobs --unfinished` between two label jobs). A ledger made without group write (the old mode 0640)
# shows the failure this model prevents (a label job fails), with a message that says what to do.
#
# Needs root (it adds system users, removed again at the end); exits 77 (skipped) otherwise.
# Usage: permissions_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
BUILD=$1 SRC=$2
if [ "$(id -u)" != 0 ]; then echo "permissions_test: not root; skipped (it creates system users)"; exit 77; fi
for tool in useradd runuser setpriv curl sqlite3; do
  command -v "$tool" >/dev/null || { echo "permissions_test: $tool is missing: run scripts/install-deps.sh" >&2; exit 1; }
done

T=$(mktemp -d /tmp/agtrace-perm.XXXXXX)
chmod 0755 "$T"
TAG=$(printf '%04x' $((RANDOM % 65536)))
G=agt$TAG                      # the writers' group
CLERK=agt${TAG}c STATION=agt${TAG}s SIGNER=agt${TAG}k VERIFIER=agt${TAG}v
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  for u in "$CLERK" "$STATION" "$SIGNER" "$VERIFIER"; do userdel "$u" 2>/dev/null || true; done
  groupdel "$G" 2>/dev/null || true
  rm -rf "$T"
}
trap cleanup EXIT
fail() { echo "permissions_test: FAIL: $*" >&2; exit 1; }

# Users and groups as docs/deploy.md makes them.
groupadd --system "$G"
for u in "$CLERK" "$STATION" "$SIGNER"; do useradd --system --no-create-home --shell /usr/sbin/nologin --gid "$G" "$u"; done
useradd --system --no-create-home --shell /usr/sbin/nologin --user-group "$VERIFIER"
usermod -aG "$G" "$VERIFIER"

# The programs, installed into a prefix every user can run.
cmake --install "$BUILD" --prefix "$T/prefix" >/dev/null
BIN=$T/prefix/bin
LEDGER=$T/lib/agtrace/ledger.db
export AGTRACE_LEDGER=$LEDGER

# Folders and keys: the ledger folder is setgid, group-writable; each key readable by the
# one user whose program uses it.
install -d -m 0755 "$T/lib" "$T/etc"
install -d -o root -g "$G" -m 2770 "$T/lib/agtrace"
install -d -o "$VERIFIER" -g "$VERIFIER" -m 0750 "$T/lib/agtrace-verifier"
install -d -o root -g "$G" -m 0750 "$T/etc/agtrace"
install -d -o "$SIGNER" -g "$G" -m 0700 "$T/etc/agtrace/signer"
install -d -o "$CLERK" -g "$G" -m 0700 "$T/etc/agtrace/clerk"
install -d -o "$STATION" -g "$G" -m 0700 "$T/etc/agtrace/station"
cp -r "$SRC/examples" "$T/examples" && chmod -R a+rX "$T/examples"
as() { local u=$1; shift; runuser -u "$u" -- env AGTRACE_LEDGER="$LEDGER" sh -c 'umask 0007; exec "$@"' sh "$@"; }
L=$BIN/agtrace-ledger LB=$BIN/agtrace-labeler

as "$SIGNER" "$L" init --origin trace.lucheng.example/log --base-url https://trace.lucheng.example \
  --log-key-out "$T/etc/agtrace/signer/log.key" >/dev/null
install -m 0644 "$T/etc/agtrace/signer/log.key.pub" "$T/etc/agtrace/log.key.pub"
as "$CLERK" "$L" key gen --name clerk-lucheng --out "$T/etc/agtrace/clerk/clerk.key" >/dev/null
as "$STATION" "$L" key gen --name station-conghe --out "$T/etc/agtrace/station/station.key" >/dev/null
cp "$T/etc/agtrace/clerk/clerk.key.pub" "$T/etc/agtrace/station/station.key.pub" "$T/" && chmod 0644 "$T"/*.pub
as "$SIGNER" "$L" key add --log-key "$T/etc/agtrace/signer/log.key" --pub "$T/clerk.key.pub" --role clerk >/dev/null
[ "$(stat -c %a "$LEDGER")" = 660 ] || fail "init made the ledger $(stat -c %a "$LEDGER"), not 660, under umask 0007"
[ "$(stat -c %G "$LEDGER")" = "$G" ] || fail "the ledger's group is $(stat -c %G "$LEDGER"), not $G"

SEASON=$T/examples/lucheng-2022
import() { as "$CLERK" "$L" import --key "$T/etc/agtrace/clerk/clerk.key" --format csv --tz +08:00 \
  --encoding "$(case "$1" in *gb18030*) echo gb18030 ;; *) echo utf-8 ;; esac)" "$1" >/dev/null; }
checkpoint() { as "$SIGNER" "$L" checkpoint --log-key "$T/etc/agtrace/signer/log.key" > "$T/checkpoint.txt"; }
label() {  # LOT DIR: a label job by the station's user
  as "$STATION" mkdir -p "$T/lib/agtrace/labels-$2"
  as "$STATION" "$LB" print --key "$T/etc/agtrace/station/station.key" --lot "$1" --count 2 \
    --template "$T/examples/templates/lucheng-box-100x70.json" --format png --out "$T/lib/agtrace/labels-$2/" --quiet
}
size_of_checkpoint() { sed -n 2p "$T/checkpoint.txt"; }

VPID= VPORT=
start_verifier() {  # NAME
  local log=$T/verifier-$1.log
  : >"$log"   # before the background job's own redirection, which may come later
  rm -f "$T/lib/agtrace-verifier"/scans.db*
  # setpriv execs (runuser would stay as the parent): $! is the verifier itself.
  setpriv --reuid "$VERIFIER" --regid "$VERIFIER" --init-groups -- sh -c 'umask 0027; exec "$@"' sh "$BIN/agtrace-verifier" serve --ledger "$LEDGER" \
    --scans "$T/lib/agtrace-verifier/scans.db" --log-pubkey "$T/etc/agtrace/log.key.pub" --listen 127.0.0.1:0 \
    >"$log" 2>&1 9>&- &
  VPID=$!
  PIDS+=("$VPID")
  for _ in $(seq 1 200); do
    VPORT=$(sed -n 's#.*listening on http://127.0.0.1:\([0-9]*\).*#\1#p' "$log" | head -n 1)
    [ -n "$VPORT" ] && break
    kill -0 "$VPID" 2>/dev/null || { cat "$log" >&2; fail "the verifier ($1) stopped"; }
    sleep 0.1
  done
  [ -n "$VPORT" ] || fail "the verifier ($1) did not say where it listens"
}
stop_verifier() { kill "$VPID"; wait "$VPID" || fail "the verifier did not stop cleanly"; }
wait_served() {  # N: until /healthz says "ok N entries"
  local got=
  for _ in $(seq 1 300); do
    got=$(curl -s "http://127.0.0.1:$VPORT/healthz" || true)
    [ "$got" = "ok $1 entries" ] && return 0
    sleep 0.1
  done
  fail "the verifier says \"$got\", not \"ok $1 entries\""
}
scan_first() {  # DIR: the verifier answers the first printed code as genuine
  local png serial
  png=$(ls "$T/lib/agtrace/labels-$1"/*.png | head -n 1)
  serial=$(basename "$png" .png); serial=${serial#*-}
  curl -s -H 'Accept: application/json' "http://127.0.0.1:$VPORT/t/$serial" | grep -q '"status":"genuine"' ||
    fail "the verifier does not answer code $serial of the label job $1 as genuine"
}
expect_modes() {  # the -wal and -shm files: the ledger's mode and group, whoever made them
  for f in "$LEDGER-wal" "$LEDGER-shm"; do
    [ -e "$f" ] || fail "$f does not exist while the verifier runs"
    [ "$(stat -c '%a %G' "$f")" = "660 $G" ] || fail "$f is $(stat -c '%a %U:%G' "$f"), not 660 group $G"
  done
}

# --- Order 1: the verifier starts first and creates -wal and -shm.
for f in "$SEASON"/0[1-3]-*.csv; do import "$f"; done
as "$SIGNER" "$L" key add --log-key "$T/etc/agtrace/signer/log.key" --pub "$T/station.key.pub" --role station --holder CH >/dev/null
checkpoint
[ ! -e "$LEDGER-shm" ] || fail "a writer left $LEDGER-shm behind (the verifier would not be first)"
start_verifier first
wait_served "$(size_of_checkpoint)"
[ "$(stat -c %U "$LEDGER-shm")" = "$VERIFIER" ] || fail "the verifier did not create $LEDGER-shm"
expect_modes
# The packed lots' 承诺达标合格证 come before their labels (rules version 4).
for f in "$SEASON"/0[4-9]-*.csv "$SEASON"/1[01]-*.csv "$SEASON"/12-certificates.csv; do import "$f"; done
label LC22-K-0001 first
# The labeler's print journal beside the ledger is made like the ledger (0660, the writers'
# group): a clerk's `jobs --unfinished`, opening it after the station closed it, creates its
# -wal/-shm with the journal's mode, and the station's next job can still write them.
J=$LEDGER.print-journal
[ "$(stat -c '%a %G' "$J")" = "660 $G" ] || fail "the station made $J $(stat -c '%a %U:%G' "$J"), not 660 group $G"
as "$CLERK" "$LB" jobs --unfinished >/dev/null
[ "$(stat -c %U "$J-shm" 2>/dev/null)" = "$CLERK" ] ||
  fail "the clerk's jobs --unfinished did not create $J-shm: this check would prove nothing"
label LC22-K-0001 first-again || fail "the station's label job failed after a clerk read the print journal"
checkpoint
wait_served "$(size_of_checkpoint)"
scan_first first
stop_verifier

# The verifier, read-only, cannot fold the WAL back when it closes last; the next writer
# to close last does, and removes -wal and -shm (the verifier's files: same group).
as "$CLERK" sqlite3 "$LEDGER" "SELECT count(*) FROM entries" >/dev/null
[ ! -e "$LEDGER-wal" ] && [ ! -e "$LEDGER-shm" ] || fail "a writer closing last did not remove the verifier's -wal/-shm"

# --- Order 2: a writer holds the ledger open (it made -wal and -shm) when the verifier starts.
rm -f "$T/hold"; mkfifo "$T/hold"; chmod 0666 "$T/hold"
runuser -u "$CLERK" -- sh -c 'umask 0007; (echo "SELECT count(*) FROM sqlite_master;"; cat "$2") | sqlite3 "$1" >/dev/null' \
  sh "$LEDGER" "$T/hold" &
HOLDER=$!
PIDS+=("$HOLDER")
exec 9>"$T/hold"
for _ in $(seq 1 100); do [ -e "$LEDGER-shm" ] && break; sleep 0.1; done
[ "$(stat -c %U "$LEDGER-shm")" = "$CLERK" ] || fail "the writer did not create $LEDGER-shm"
start_verifier second
wait_served "$(size_of_checkpoint)"
expect_modes
for f in "$SEASON"/12-receiving.csv "$SEASON"/12-taiyuan-mix.csv; do import "$f"; done
label LC22-K-0003 second
checkpoint
wait_served "$(size_of_checkpoint)"
scan_first second
exec 9>&-
wait "$HOLDER"
# The writer has gone; the verifier still runs and still shares -wal and -shm with writers.
import "$SEASON/14-market-inspection.csv"
checkpoint
wait_served "$(size_of_checkpoint)"
stop_verifier

# --- The failure the model prevents: a ledger without group write (0640). The verifier,
# first again, makes -wal/-shm 0640 as well; the station's label job fails and says why.
as "$CLERK" sqlite3 "$LEDGER" "SELECT count(*) FROM entries" >/dev/null
[ ! -e "$LEDGER-shm" ] || fail "-shm is still there: the verifier would not create it"
chmod 0640 "$LEDGER"
start_verifier readonly
wait_served "$(size_of_checkpoint)"
if out=$(label LC22-K-0001 readonly 2>&1); then
  fail "a label job in a 0640 ledger whose -shm the verifier made succeeded: the test proves nothing"
fi
echo "$out" | grep -q 'retrying will not help' || fail "the readonly failure does not say what to do: $out"
echo "$out" | grep -q "ledger.db-shm 0640 $VERIFIER:$G" || fail "the readonly failure does not name the -shm file's mode and owner: $out"
stop_verifier
echo "permissions_test: OK (verifier first, writer first, and the 0640 failure explained)"
