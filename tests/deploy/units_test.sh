#!/usr/bin/env bash
# The systemd units of deploy/systemd pass `systemd-analyze verify` with no warning at all
# (an unknown key or a misplaced directive is only a warning to systemd, an error here).
# The programs' path /usr/local/bin is pointed at this build's programs so that the check of
# each ExecStart= binary means something; nothing is started (these machines do not run
# systemd as PID 1). Also: every OnFailure= names the shipped alert unit, every timer has
# its service, and no unit but the signer's names the log key.
# Usage: units_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
BUILD=$1 SRC=$2
fail() { echo "units_test: FAIL: $*" >&2; exit 1; }
command -v systemd-analyze >/dev/null || fail "systemd-analyze is missing: run scripts/install-deps.sh (package systemd)"
T=$(mktemp -d /tmp/agtrace-units.XXXXXX)
trap 'rm -rf "$T"' EXIT
for f in "$SRC"/deploy/systemd/*; do
  sed -e "s#/usr/local/bin/agtrace-ledger#$BUILD/ledger/cli/agtrace-ledger#g" \
      -e "s#/usr/local/bin/agtrace-labeler#$BUILD/labeler/cli/agtrace-labeler#g" \
      -e "s#/usr/local/bin/agtrace-verifier#$BUILD/verifier/agtrace-verifier#g" \
      -e "s#/usr/local/bin/agtrace-station#$BUILD/station/agtrace-station#g" "$f" > "$T/$(basename "$f")"
done
grep -q /usr/local/bin "$T"/* && fail "a unit runs a program other than the four agtrace programs from /usr/local/bin"
cd "$T"
if ! systemd-analyze verify ./*.service ./*.timer >"$T/out" 2>&1 || [ -s "$T/out" ]; then
  cat "$T/out" >&2; fail "systemd-analyze verify"
fi
for t in *.timer; do [ -f "${t%.timer}.service" ] || fail "$t has no ${t%.timer}.service"; done
for u in agtrace-verifier agtrace-checkpoint agtrace-backup agtrace-audit; do
  grep -q '^OnFailure=agtrace-alert@%n.service$' "$u.service" || fail "$u.service raises no alert on failure"
done
for u in *.service; do
  case "$u" in agtrace-checkpoint.service|agtrace-backup.service) continue ;; esac
  ! grep -q 'log\.key\b[^.]' "$u" || fail "$u names the log key; only the signer's units may"
done
echo "units_test: OK"
