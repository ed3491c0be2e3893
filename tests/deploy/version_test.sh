#!/usr/bin/env bash
# --version on every program (issue 13): the project version of CMakeLists.txt, the source
# revision (git's, when the source is a checkout) and the ledger formats; a ledger of the
# previous release (tests/fixtures/ledger-v1) still opens and verifies; a ledger marked
# with a newer schema version is refused with exit 2, a message naming both versions, and
# nothing written.
# Usage: version_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
BUILD=$1 SRC=$2
fail() { echo "version_test: FAIL: $*" >&2; exit 1; }
T=$(mktemp -d /tmp/agtrace-version.XXXXXX)
trap 'rm -rf "$T"' EXIT
VERSION=$(sed -n 's/^project(agtrace VERSION \([0-9.]*\).*/\1/p' "$SRC/CMakeLists.txt")
[ -n "$VERSION" ] || fail "no project version in CMakeLists.txt"
# The revision the build recorded (cmake/version.cmake; not `git rev-parse HEAD` now, which
# moves with every commit made since the build). From a checkout it is git's commit id.
REV=$(sed -n 's/^#define AGTRACE_REVISION "\(.*\)"$/\1/p' "$BUILD/generated/agtrace_version.h")
[ -n "$REV" ] || fail "$BUILD/generated/agtrace_version.h names no revision"
if [ -d "$SRC/.git" ] || [ -f "$SRC/.git" ]; then
  echo "$REV" | grep -Eq '^(.+-g)?[0-9a-f]{12}(-dirty)?$' || fail "a build from a git checkout recorded revision \"$REV\""
fi

for p in ledger/cli/agtrace-ledger labeler/cli/agtrace-labeler verifier/agtrace-verifier; do
  name=$(basename "$p")
  out=$("$BUILD/$p" --version) || fail "$name --version exited $?"
  echo "$out" | head -n 1 | grep -q "^$name $VERSION (revision " || fail "$name --version says: $out"
  echo "$out" | head -n 1 | grep -qF "(revision $REV" || fail "$name --version does not name revision $REV: $out"
  echo "$out" | grep -q "ledger schema version 1, rules version [0-9]" || fail "$name --version names no formats: $out"
done

L=$BUILD/ledger/cli/agtrace-ledger
cp "$SRC"/tests/fixtures/ledger-v1/{ledger.db,regulator-checkpoint.txt} "$T/"
"$L" --ledger "$T/ledger.db" verify --checkpoint "$T/regulator-checkpoint.txt" >/dev/null ||
  fail "the previous release's ledger (tests/fixtures/ledger-v1) does not verify"

sqlite3 "$T/ledger.db" "PRAGMA user_version = 2"
before=$(sha256sum "$T/ledger.db")
for verb in "verify" "show 0" "checkpoint --log-key $SRC/tests/fixtures/ledger-v1/log.key"; do
  set +e
  # shellcheck disable=SC2086
  msg=$("$L" --ledger "$T/ledger.db" $verb 2>&1 >/dev/null)
  rc=$?
  set -e
  [ "$rc" = 2 ] || fail "$verb on a schema-2 ledger exited $rc, not 2: $msg"
  echo "$msg" | grep -q "newer agtrace (ledger schema version 2); this program reads schema version 1" ||
    fail "$verb: the refusal does not name both versions: $msg"
done
[ "$(sha256sum "$T/ledger.db")" = "$before" ] || fail "the refused ledger was changed"
echo "version_test: OK"
