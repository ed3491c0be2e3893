# Shared by the deployment tests. Source it after `set -euo pipefail`, with BUILD and SRC
# set and a `fail MESSAGE` function defined.
L=$BUILD/ledger/cli/agtrace-ledger LB=$BUILD/labeler/cli/agtrace-labeler V=$BUILD/verifier/agtrace-verifier
SEASON=$SRC/examples/lucheng-2022

# encoding_of FILE: the --encoding an example season file needs (one is saved as GB18030).
encoding_of() { case "$1" in *gb18030*) echo gb18030 ;; *) echo utf-8 ;; esac; }

# new_ledger DIR: a ledger at $AGTRACE_LEDGER with its log key DIR/log.key and a registered
# clerk key DIR/clerk.key.
new_ledger() {
  "$L" init --origin trace.lucheng.example/log --base-url https://trace.lucheng.example --log-key-out "$1/log.key" \
    >/dev/null
  "$L" key gen --name clerk-lucheng --out "$1/clerk.key" >/dev/null
  "$L" key add --log-key "$1/log.key" --pub "$1/clerk.key.pub" --role clerk >/dev/null
}

# import_season DIR FILE...: imports example season files with DIR/clerk.key.
import_season() {
  local dir=$1 f
  shift
  for f in "$@"; do
    "$L" import --key "$dir/clerk.key" --format csv --tz +08:00 --encoding "$(encoding_of "$f")" "$f" >/dev/null 2>&1 ||
      fail "import of $f failed"
  done
}

# listening_port LOG PID: waits (20 s at most) until LOG says "listening on
# http://127.0.0.1:PORT" and prints PORT; fails if process PID stops first.
listening_port() {
  local port
  for _ in $(seq 1 200); do
    port=$(sed -n 's#.*listening on http://127.0.0.1:\([0-9]*\).*#\1#p' "$1" | head -n 1)
    [ -n "$port" ] && { echo "$port"; return 0; }
    kill -0 "$2" 2>/dev/null || break
    sleep 0.1
  done
  cat "$1" >&2
  fail "the verifier did not start"
}
