#!/usr/bin/env bash
# The main job, end to end, on the example season (examples/lucheng-2022), with binaries
# already built: the clerk creates a ledger and imports the season, the printer station
# prints labels and 承诺达标合格证 (commitment certificates), a market spot check fails and the
# brand recalls the lot (its certificate is then 已失效 and no longer prints), the verifier
# answers four scans (genuine, recalled, voided, unknown) and the certificates' QR codes as
# a phone would see them, the regulator exports a bundle and verifies it offline, and the
# printer station starts on the ledger with a stand-in Zebra and prints 2 labels from its API.
# scripts/demo.sh runs this after installing and building; the end-to-end test (tests/e2e)
# runs it too and then checks its results in a browser.
#
#   scripts/main-job.sh [--out DIR] [--build DIR] [--serve] [--listen HOST:PORT]
#
#   --out DIR           where everything goes (default out/demo; emptied first)
#   --build DIR         the CMake build tree with the three programs (default build)
#   --serve             leave the verifier and the station running at the end (default: stop them)
#   --listen HOST:PORT  where the verifier listens (default 127.0.0.1:0, a free port)
#
# Exit status: 0 when every step did what it should; otherwise the failing step's status.
set -euo pipefail
cd "$(dirname "$0")/.."

OUT=out/demo BUILD=build SERVE=0 LISTEN=127.0.0.1:0
while [ $# -gt 0 ]; do
  case "$1" in
    --out) OUT=$2; shift 2 ;;
    --build) BUILD=$2; shift 2 ;;
    --serve) SERVE=1; shift ;;
    --listen) LISTEN=$2; shift 2 ;;
    -h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "main-job.sh: unknown argument \"$1\" (see --help)" >&2; exit 2 ;;
  esac
done
for tool in curl jq zbarimg; do
  command -v "$tool" >/dev/null || { echo "main-job.sh: $tool is missing: run scripts/install-deps.sh" >&2; exit 3; }
done
LEDGER_BIN=$BUILD/ledger/cli/agtrace-ledger
LABELER_BIN=$BUILD/labeler/cli/agtrace-labeler
VERIFIER_BIN=$BUILD/verifier/agtrace-verifier
STATION_BIN=$BUILD/station/agtrace-station
FAKE_PRINTER_BIN=$BUILD/station/tests/station_fake_printer
for b in "$LEDGER_BIN" "$LABELER_BIN" "$VERIFIER_BIN" "$STATION_BIN" "$FAKE_PRINTER_BIN"; do
  [ -x "$b" ] || { echo "main-job.sh: $b is not built: run scripts/build.sh" >&2; exit 3; }
done

# Empty --out only if this script made it (a mistyped --out must never wipe a folder).
if [ -e "$OUT" ] && [ -n "$(ls -A "$OUT" 2>/dev/null)" ] && [ ! -f "$OUT/.agtrace-main-job" ] && [ ! -f "$OUT/ledger.db" ]; then
  echo "main-job.sh: --out $OUT is not empty and was not made by main-job.sh; give a new or empty folder" >&2
  exit 2
fi
rm -rf "$OUT"
mkdir -p "$OUT"
touch "$OUT/.agtrace-main-job"
export AGTRACE_LEDGER="$OUT/ledger.db"
SEASON=examples/lucheng-2022
TEMPLATE=examples/templates/lucheng-box-100x70.json
CERT_TEMPLATE=examples/templates/lucheng-certificate-100x70.json
CLERK=(--key "$OUT/clerk.key" --log-key "$OUT/log.key")
STATION=(--key "$OUT/station.key" --log-key "$OUT/log.key")
ledger() { "$LEDGER_BIN" "$@"; }
labeler() { "$LABELER_BIN" "$@" --quiet; }
step() { printf '\n== %s\n' "$*"; }
import_csv() {  # FILE: imports one clerk CSV file, prints how many events it recorded
  local encoding=utf-8
  case "$1" in *gb18030*) encoding=gb18030 ;; esac
  printf '%s: ' "$(basename "$1")"
  ledger import "${CLERK[@]}" --format csv --encoding "$encoding" --tz +08:00 "$1" 2>/dev/null |
    wc -l | xargs printf '%s events recorded\n'
}

VERIFIER_PID= STATION_PID= PRINTER_PID=
stop_services() {  # the verifier, the station and its stand-in printer, whichever were started
  for pid in "$STATION_PID" "$PRINTER_PID" "$VERIFIER_PID"; do
    [ -n "$pid" ] || continue
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  VERIFIER_PID= STATION_PID= PRINTER_PID=
}
trap stop_services EXIT

step "1. Create the ledger; its log key signs key entries and checkpoints"
ledger init --origin trace.lucheng.example/log --base-url https://trace.lucheng.example \
  --log-key-out "$OUT/log.key"

step "2. A clerk key for the co-op's data clerk, registered by the log key"
ledger key gen --name clerk-lucheng --out "$OUT/clerk.key"
ledger key add --log-key "$OUT/log.key" --pub "$OUT/clerk.key.pub" --role clerk

step "3. Master data: parties, locations, products (CSV with Chinese headers)"
for f in "$SEASON"/0[1-3]-*.csv; do import_csv "$f"; done

step "4. The regulator saves today's checkpoint"
ledger checkpoint --log-key "$OUT/log.key" > "$OUT/regulator-checkpoint.txt"
cat "$OUT/regulator-checkpoint.txt"

step "5. The season: planting, inputs (a GB18030 file from Excel), harvest, inspection, grading, pre-cooling, packing, shipping, 承诺达标合格证 (certificates), receiving"
for f in "$SEASON"/0[4-9]-*.csv "$SEASON"/1[0-2]-*.csv; do import_csv "$f"; done

step "6. The Taiyuan buyer's receiving, sent as GS1 EPCIS 2.0 from its own system; it names our lot LC22-K-0003 by GTIN and lot code, so it joins that lot"
ledger import "${CLERK[@]}" --format epcis "$SEASON"/13-buyer-receiving.epcis.jsonld 2>/dev/null
ledger show lot LC22-K-0003 | tail -n 2

step "7. What the ledger knows about one packed lot, and a lot named in Chinese (its GS1-safe lot code goes into QR codes)"
ledger show lot LC22-K-0001
ledger show lot "张家河钢葱 第1批" | head -n 3

step "8. 聪和's printer station gets its own key (holder CH) and prints 4 labels for lot LC22-K-0001 as PNG; one tears, so its code is voided (by scanning the torn label) and a replacement printed; then the 4 live codes again as PDF (office printer) and ZPL (Zebra); 2 for LC22-K-0003"
ledger key gen --name station-conghe --out "$OUT/station.key" >/dev/null
ledger key add --log-key "$OUT/log.key" --pub "$OUT/station.key.pub" --role station --holder CH
mkdir -p "$OUT/labels/voided"
labeler print "${STATION[@]}" --lot LC22-K-0001 --count 4 --template "$TEMPLATE" --format png --out "$OUT/labels/LC22-K-0001-png/"
# The last label tore as it was stuck on: the operator scans it (the QR code's full URL is
# accepted as the serial), voids its code and prints one new label for that box.
TORN_PNG=$(ls "$OUT"/labels/LC22-K-0001-png/*.png | tail -n 1)
"$LABELER_BIN" void "${STATION[@]}" "$(zbarimg -q --raw "$TORN_PNG" | head -n 1)" --reason "标签粘贴时撕破 torn while applied"
mv "$TORN_PNG" "$OUT/labels/voided/"
labeler print "${STATION[@]}" --lot LC22-K-0001 --count 1 --template "$TEMPLATE" --format png --out "$OUT/labels/LC22-K-0001-png/"
# The PNG files are named NNNNN-SERIAL.png; reprint issues no new codes.
mapfile -t SERIALS < <(ls "$OUT/labels/LC22-K-0001-png/" | sed -n 's/^[0-9]*-\(.*\)\.png$/\1/p')
labeler reprint "${STATION[@]}" "${SERIALS[@]}" --template "$TEMPLATE" --format pdf --out "$OUT/labels/LC22-K-0001.pdf"
labeler reprint "${STATION[@]}" "${SERIALS[@]}" --template "$TEMPLATE" --format zpl --out "$OUT/labels/LC22-K-0001.zpl"
labeler print "${STATION[@]}" --lot LC22-K-0003 --count 2 --template "$TEMPLATE" --format png --out "$OUT/labels/LC22-K-0003-png/"
(cd "$OUT/labels" && ls -1 LC22-K-0001.pdf LC22-K-0001.zpl LC22-K-0001-png/* LC22-K-0003-png/* voided/* | sed "s#^#  $OUT/labels/#")

step "8b. The station prints the 承诺达标合格证 that travel with the loads, from their signed entries: LC-2022-0002 (LC22-K-0001, 委托检测合格) and LC-2022-0004 (LC22-K-0003); the Taiyuan buyer prints its re-issue TY-2022-0001 the same way (it mixed 3000 kg of LC22-K-0001 with 2000 kg of 鑫熬兴's 钢葱, whose paper certificate it collected)"
mkdir -p "$OUT/certificates"
for number in LC-2022-0002 LC-2022-0004 TY-2022-0001; do
  "$LABELER_BIN" certificate --number "$number" --template "$CERT_TEMPLATE" --format png \
    --out "$OUT/certificates/certificate-$number.png"
done

step "8c. 样张 (sample labels: no code issued, nothing recorded) of each product of the season with its own template (docs/templates.md): 潞城大葱 with its 地理标志, dryland tomato, and the processed red millet and scallion oil with 生产日期, 保质期, 生产许可证编号 and 配料 — each product's words from its own record"
mkdir -p "$OUT/samples"
for sample in LC22-K-0001:lucheng-scallion-box-100x70 LC22-K-0101:lucheng-tomato-box-100x70 \
              LC22-XM-K01:lucheng-millet-bag-80x70 LC22-OIL-K01:lucheng-scallion-oil-80x60; do
  labeler print --dry-run --lot "${sample%%:*}" --count 1 --template "examples/templates/${sample#*:}.json" \
    --format png --out "$OUT/samples/${sample#*:}/" 2>/dev/null
  ls -1 "$OUT/samples/${sample#*:}/"*.png | sed 's#^#  #'
done

step "9. A market spot check in Taiyuan fails (chlorpyrifos over the limit) on lot LC22-K-0003"
import_csv "$SEASON"/14-market-inspection.csv
ledger show lot LC22-K-0003 | tail -n 4

step "10. The brand recalls the harvest lot LC22-K-0003 came from, with everything made from it"
ledger recall "${CLERK[@]}" LC22-HS01-H1 --descendants --party LCBRAND --out "$OUT/recall" \
  --reason "市场抽检毒死蜱超标（报告 TY-JC2022-1014-07），请停止销售和食用，凭包装退货" 2>/dev/null
echo "  report files: $(cd "$OUT/recall" && echo *)"
# The recalled lot's certificate is now 已失效: the station refuses to print it again (exit 2).
if "$LABELER_BIN" certificate --number LC-2022-0004 --template "$CERT_TEMPLATE" --format png \
     --out "$OUT/certificates/reprint-LC-2022-0004.png" 2> "$OUT/certificates/reprint-refused.txt"; then
  echo "main-job.sh: the invalidated certificate LC-2022-0004 was printed again" >&2
  exit 1
else
  status=$?
  [ "$status" = 2 ] || { cat "$OUT/certificates/reprint-refused.txt" >&2; exit "$status"; }
fi
echo "  certificate LC-2022-0004 no longer prints: $(cat "$OUT/certificates/reprint-refused.txt")"

step "11. Start the verifier (the service behind the QR code) on $LISTEN"
# The verifier pins the log's public key (never read from the ledger it checks) and answers
# from its own replay of the ledger: /healthz says 200 once that replay is verified.
rm -f "$OUT"/scans.db.verified* "$OUT"/scans.db.trust*
"$VERIFIER_BIN" serve --ledger "$AGTRACE_LEDGER" --scans "$OUT/scans.db" --log-pubkey "$OUT/log.key.pub" \
  --listen "$LISTEN" > "$OUT/verifier.log" 2>&1 &
VERIFIER_PID=$!
BASE=
for _ in $(seq 1 100); do
  BASE=$(sed -n 's#.*listening on \(http://[^ ]*\).*#\1#p' "$OUT/verifier.log" | head -n 1)
  [ -n "$BASE" ] && break
  kill -0 "$VERIFIER_PID" 2>/dev/null || { cat "$OUT/verifier.log" >&2; exit 3; }
  sleep 0.1
done
[ -n "$BASE" ] || { echo "main-job.sh: the verifier did not say where it listens" >&2; cat "$OUT/verifier.log" >&2; exit 3; }
case "$BASE" in http://0.0.0.0:*) BASE=http://127.0.0.1:${BASE##*:} ;; esac
for _ in $(seq 1 300); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/healthz")" = 200 ] && break
  kill -0 "$VERIFIER_PID" 2>/dev/null || { cat "$OUT/verifier.log" >&2; exit 3; }
  sleep 0.1
done
[ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/healthz")" = 200 ] ||
  { echo "main-job.sh: the verifier did not verify the ledger: $(curl -s "$BASE/healthz")" >&2; exit 3; }
echo "  $BASE (pid $VERIFIER_PID)"
echo "$BASE" > "$OUT/verifier.url"

# A printed label's QR code, read from its PNG as a phone would; its https://trace.lucheng.example
# prefix becomes the local verifier's address.
qr_of() { zbarimg -q --raw "$1" 2>/dev/null | head -n 1; }
local_url() { printf '%s%s' "$BASE" "${1#https://trace.lucheng.example}"; }
GENUINE_QR=$(qr_of "$(ls "$OUT"/labels/LC22-K-0001-png/*.png | head -n 1)")
RECALLED_QR=$(qr_of "$(ls "$OUT"/labels/LC22-K-0003-png/*.png | head -n 1)")
VOIDED_QR=$(qr_of "$(ls "$OUT"/labels/voided/*.png | head -n 1)")
UNKNOWN_QR="${GENUINE_QR%/21/*}/21/7Q2M9K4X8ZD3R"   # a made-up serial: no label carries it
[ -n "$GENUINE_QR" ] && [ -n "$RECALLED_QR" ] && [ -n "$VOIDED_QR" ] ||
  { echo "main-job.sh: zbarimg read no QR code from the labels" >&2; exit 1; }
printf 'genuine %s\nrecalled %s\nvoided %s\nunknown %s\n' "$GENUINE_QR" "$RECALLED_QR" "$VOIDED_QR" "$UNKNOWN_QR" \
  > "$OUT/scanned-codes.txt"

# What a consumer sees, as text: the scan page's facts from the JSON answer of the same URL.
consumer_view() {
  curl -sS -H 'Accept: application/json' "$1" | jq -r '
    if .error then "  ✗ \(.error) (HTTP \(.status)) — the page warns of a counterfeit and says where to report it"
    else
      (if .status == "genuine" then "  ✓ 正品追溯码 genuine code \(.serial)" else "  ✗ code \(.serial): \(.status)" end),
      (if .recalled then "  ⚠ 本批次产品已召回 RECALLED — \(.recalls | map(.reason) | join("; "))" else empty end),
      "  \(.product.name) \(.product.variety // "")   brand \(.product.brand.regional) · \(.product.brand.enterprise)   lot \(.lot.id)",
      "  origin \(.origin)   producer \(.producer)",
      "  harvested \(.harvest_date // "-")   packed \(.pack_date // "-")",
      "  journey (\(.timeline | length) events): \(.timeline | map(.type) | reduce .[] as $t ([]; if .[-1] == $t then . else . + [$t] end) | join(" → "))",
      "  scanned \(.scans.count) time(s) before"
    end'
}
scan() {  # NAME QR: prints what a consumer sees for QR, and the URL to open in a browser
  local url
  url=$(local_url "$2")
  printf '\n-- %s code\n  QR code:  %s\n' "$1" "$2"
  consumer_view "$url"
  curl -sS -o /dev/null "$url"   # the browser's GET of the scan page, which counts as a scan
  printf '  open in a browser: %s\n' "$url"
}

step "12. Four scans, as a consumer's phone sees them: genuine, recalled, the torn label's voided code, and a code no label carries"
scan genuine "$GENUINE_QR"
scan recalled "$RECALLED_QR"
scan voided "$VOIDED_QR"
scan unknown "$UNKNOWN_QR"

# A certificate's QR code leads to its page: what a market inspector sees, as text.
certificate_view() {
  curl -sS -H 'Accept: application/json' "$1" | jq -r '
    if .error then "  ✗ \(.error) (HTTP \(.status))"
    else
      "  \(.title) \(.number): \(.status.status_zh) \(.status.status)\(if .status.reason then " — " + .status.reason else "" end)",
      "  \(.issuer.name) (\(.issuer.phone))   \(.product.name // .product) \(.quantity.value) \(.quantity.unit)   lot \(.lot)",
      "  basis: \(.bases | map(.name + (if (.evidence | length) > 0 then " (" + (.evidence | map(.report_no) | join(", ")) + ")" else "" end)) | join("; "))",
      (if (.parents | length) > 0 then "  collected: \(.parents | map("\(.issuer_name) \(.number) (\(.kind))") | join("; "))" else empty end)
    end'
}
scan_certificate() {  # PNG: the printed certificate's QR code, asked of the verifier
  local qr url
  qr=$(qr_of "$1")
  [ -n "$qr" ] || { echo "main-job.sh: zbarimg read no QR code from $1" >&2; exit 1; }
  url=$(local_url "$qr")
  printf '\n-- certificate %s\n  QR code:  %s\n' "$(basename "$1")" "$qr"
  certificate_view "$url"
  printf '  open in a browser: %s\n' "$url"
}
step "12b. The printed certificates, scanned as a market inspector would: valid, 已失效 after the recall, and the buyer's re-issue"
scan_certificate "$OUT/certificates/certificate-LC-2022-0002.png"
scan_certificate "$OUT/certificates/certificate-LC-2022-0004.png"
scan_certificate "$OUT/certificates/certificate-TY-2022-0001.png"

step "13. The regulator exports the recalled lot's whole lineage as a bundle (CSV for Excel, raw entries, proofs), and the certificate register"
ledger checkpoint --log-key "$OUT/log.key" >/dev/null
ledger export --format csv --lot LC22-HS01-H1 --out "$OUT/bundle"
# ... and the 承诺达标合格证 register (开具记录) of the season, for Excel: the recalled lot's one 已失效.
ledger export --certificates --from 2022-01-01T00:00:00+08:00 --to 2023-01-01T00:00:00+08:00 --out "$OUT/register"

step "14. ... and verifies the bundle offline, with nothing but the log's public key"
ledger audit verify-bundle "$OUT/bundle" --pubkey "$OUT/log.key.pub"

step "15. Full audit, and proof that the log only grew since the regulator's checkpoint of step 4"
ledger verify --checkpoint "$OUT/regulator-checkpoint.txt"

step "16. The printer station (agtrace-station, docs/station.md) starts on this ledger for 聪和 (CH) with its station key, a stand-in Zebra on loopback and operator op-01; op-01 signs in, sees the lots to label, prints 2 labels for LC22-K-0002 and the pallet's lot tag"
# The stand-in answers ~HS as a ready Zebra and keeps what it receives (station/tests/fake_printer.h).
STATION_DIR="$OUT/station"
mkdir -p "$STATION_DIR"
"$FAKE_PRINTER_BIN" --out "$STATION_DIR/printer-received.zpl" > "$STATION_DIR/printer.log" 2>&1 &
PRINTER_PID=$!
PRINTER_URL=
for _ in $(seq 1 100); do
  PRINTER_URL=$(sed -n 's#^listening on \(tcp://.*\)#\1#p' "$STATION_DIR/printer.log" | head -n 1)
  [ -n "$PRINTER_URL" ] && break
  sleep 0.1
done
[ -n "$PRINTER_URL" ] || { echo "main-job.sh: the stand-in printer did not start" >&2; cat "$STATION_DIR/printer.log" >&2; exit 3; }
TEMPLATES="$PWD/examples/templates"
jq -n --arg key "$(realpath "$OUT/station.key")" --arg t "$TEMPLATES" --arg printer "$PRINTER_URL" '{
  enterprises: [{party: "CH", station_key: $key,
                 certificate_template: ($t + "/lucheng-certificate-100x70.json"),
                 templates: [{product: "LCDC-CB", template: ($t + "/lucheng-scallion-box-100x70.json")},
                             {product: "LCTOM-HD", template: ($t + "/lucheng-tomato-box-100x70.json")},
                             {product: "LCDC-OIL", template: ($t + "/lucheng-scallion-oil-80x60.json")}]}],
  printers: [{name: "包装线1号（演示）", url: $printer, language: "zpl", dpi: 300,
              label: {width_mm: 100, height_mm: 70}}],
  confirm_above: 100, session_idle_minutes: 15, secure_cookies: false}' > "$STATION_DIR/station.json"
STATION_STATE=(--state "$STATION_DIR/station.db")
echo 2468 | "$STATION_BIN" user add "${STATION_STATE[@]}" --id op-01 --role operator --enterprise CH \
  --config "$STATION_DIR/station.json" > /dev/null 2>&1
"$STATION_BIN" serve --ledger "$AGTRACE_LEDGER" --log-pubkey "$OUT/log.key.pub" --config "$STATION_DIR/station.json" \
  "${STATION_STATE[@]}" --listen 127.0.0.1:0 > "$STATION_DIR/station.log" 2>&1 &
STATION_PID=$!
STATION_URL=
for _ in $(seq 1 100); do
  STATION_URL=$(sed -n 's#.*listening on \(http://[^ ]*\).*#\1#p' "$STATION_DIR/station.log" | head -n 1)
  [ -n "$STATION_URL" ] && break
  kill -0 "$STATION_PID" 2>/dev/null || { cat "$STATION_DIR/station.log" >&2; exit 3; }
  sleep 0.1
done
[ -n "$STATION_URL" ] || { echo "main-job.sh: the station did not say where it listens" >&2; cat "$STATION_DIR/station.log" >&2; exit 3; }
echo "$STATION_URL" > "$OUT/station.url"
# What the operator's browser does, with curl: sign in (session cookie + CSRF token), list the
# lots of 潞城大葱 to label, wait for the printer to report ready, print 2 labels.
JAR="$STATION_DIR/cookies.txt"
api() { curl -sS -b "$JAR" -c "$JAR" "$@"; }
CSRF=$(api -H 'Content-Type: application/json' -d '{"user":"op-01","pin":"2468"}' "$STATION_URL/api/signin" | jq -r .csrf)
[ -n "$CSRF" ] && [ "$CSRF" != null ] || { echo "main-job.sh: op-01 could not sign in at the station" >&2; exit 1; }
api "$STATION_URL/api/lots?product=LCDC-CB" |
  jq -r '.[] | "  \(.lot)  packed \(.packed_units) units, \(.live_codes) live codes, \(.packed_units - .live_codes) to label"'
PRINTER_NAME="包装线1号（演示）"
for _ in $(seq 1 100); do
  api "$STATION_URL/api/printers" | jq -e --arg n "$PRINTER_NAME" '.[] | select(.name == $n) | .ready' >/dev/null && break
  sleep 0.1
done
JOB=$(api -H 'Content-Type: application/json' -H "X-CSRF-Token: $CSRF" \
  -d "$(jq -n --arg p "$PRINTER_NAME" '{lot: "LC22-K-0002", printer: $p, count: 2}')" "$STATION_URL/api/jobs")
JOB_ID=$(jq -r '.id // .job // empty' <<<"$JOB")
[ -n "$JOB_ID" ] || { echo "main-job.sh: the station refused the print job: $JOB" >&2; exit 1; }
STATE=
for _ in $(seq 1 300); do
  STATE=$(api "$STATION_URL/api/jobs" | jq -r --argjson id "$JOB_ID" '.[] | select(.id == $id) | .state')
  case "$STATE" in printed|failed|cancelled) break ;; esac
  sleep 0.1
done
[ "$STATE" = printed ] || { echo "main-job.sh: the station's job $JOB_ID ended as \"$STATE\"" >&2; exit 1; }
echo "  job $JOB_ID: 2 labels printed to $PRINTER_NAME ($PRINTER_URL)"
# The pallet's lot tag (批次标签): the lot id as Code 128, for the lot field's scanner.
TAG=$(api -H 'Content-Type: application/json' -H "X-CSRF-Token: $CSRF" \
  -d "$(jq -n --arg p "$PRINTER_NAME" '{lot: "LC22-K-0002", printer: $p, copies: 1}')" "$STATION_URL/api/lot-tag")
jq -e '.lot == "LC22-K-0002"' <<<"$TAG" >/dev/null || { echo "main-job.sh: the station refused the lot tag: $TAG" >&2; exit 1; }
echo "  lot tag (批次标签, Code 128) for LC22-K-0002 printed to $PRINTER_NAME"
echo "  open $STATION_URL/ in a browser and sign in as op-01 with PIN 2468"

if [ "$SERVE" = 1 ]; then
  trap - EXIT
  printf '\nDone. The verifier keeps running at %s (pid %s), the printer station at %s (pid %s; op-01, PIN 2468) with\n' \
    "$BASE" "$VERIFIER_PID" "$STATION_URL" "$STATION_PID"
  printf 'its stand-in printer (pid %s); stop them with: kill %s %s %s\n' "$PRINTER_PID" "$STATION_PID" "$PRINTER_PID" "$VERIFIER_PID"
  printf 'Open the four scans above in a browser, or the JSON API: %s/api/v1/...\n' "$BASE"
else
  stop_services
  printf '\nDone. Everything is in %s/ (ledger.db, labels/, certificates/, recall/, bundle/, register/); the verifier and the station were stopped — run with --serve to keep them.\n' "$OUT"
fi
