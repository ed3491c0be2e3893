#!/usr/bin/env bash
# bench/verifier_bench.sh: agtrace-verifier on a ledger of ENTRIES entries (default
# 1,000,000; built once by verifier_bench_ledger and kept under BUILD/bench-data/verifier/),
# in one run (issues 4 and 12 "Speed"):
#   - the start-up replay (every entry's chain, signature and rules into the verifier's own
#     state) in entries/s, against OpenSSL Ed25519 verification on one core over the same
#     ledger's signatures (goal >= 1.4; the replay may use every core), and the resident
#     memory afterwards (VmRSS, peak VmHWM; goal < 128 MB);
#   - the time from a label job's commit to its code being served (FRESH one-code jobs
#     appended to the running verifier's ledger, default 200; goal p99 < 1 s);
#   - requests/s and p99 latency of the JSON code lookup (/api/v1/codes/{serial}) and of
#     the counted scan page (/t/{serial}) under wrk, each against nginx on a static file
#     of the same size, as ratios (goals >= 0.5 and >= 0.25, p99 < 10 ms).
# Requests rotate over 1000 genuine codes (a wrk Lua script). Not a test: nothing asserts.
# The freshness jobs stay in the kept ledger (a few hundred entries per run).
#
# Usage: bench/verifier_bench.sh [--rows FILE] [--entries N] [--duration S] [--connections C] [--fresh N]
# Environment: AGTRACE_BENCH_BUILD (build directory, default <repo>/build-bench);
# VERIFIER_BENCH_DATA (where the ledger and scratch files go; default BUILD/bench-data/verifier).
# Needs wrk, nginx, curl (scripts/install-deps.sh).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${AGTRACE_BENCH_BUILD:-$root/build-bench}
rows=/dev/null
entries=1000000
duration=10
conns=64
fresh=200
while (($#)); do
  case $1 in
    --rows) rows=$2; shift 2 ;;
    --entries) entries=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --connections) conns=$2; shift 2 ;;
    --fresh) fresh=$2; shift 2 ;;
    -h|--help) sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "verifier_bench: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
for tool in wrk nginx curl; do
  command -v "$tool" >/dev/null || [[ -x /usr/sbin/$tool ]] ||
    { echo "verifier_bench: $tool is missing; run scripts/install-deps.sh" >&2; exit 3; }
done
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
verifier=$build/verifier/agtrace-verifier
generator=$build/bench/verifier_bench_ledger
probe=$build/bench/verifier_bench_probe
[[ -x $verifier && -x $generator && -x $probe ]] ||
  cmake --build "$build" --target agtrace-verifier verifier_bench_ledger verifier_bench_probe >&2

work=${VERIFIER_BENCH_DATA:-$build/bench-data/verifier}
mkdir -p "$work"
ledger=$work/ledger-$entries.db
codes=$work/codes-$entries.txt
log_pub=$ledger.pub  # the log's public key, pinned by the verifier
clerk_key=$ledger.clerk.key  # signs the freshness label jobs
if [[ ! -f $ledger || ! -f $log_pub || ! -f $clerk_key ]]; then
  echo "building a ledger of $entries entries (once; kept in $work)"
  "$generator" "$ledger.tmp" "$codes" "$entries"
  mv "$ledger.tmp.pub" "$log_pub"
  mv "$ledger.tmp.clerk.key.pub" "$clerk_key.pub"
  mv "$ledger.tmp.clerk.key" "$clerk_key"
  mv "$ledger.tmp" "$ledger"
fi

# The baseline of the start-up replay, before the verifier starts: Ed25519 verification on
# one core over the clerk's signatures in this very ledger.
read -r ed_wall ed_cpu < <("$probe" ed25519 "$ledger" "$clerk_key")

pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

rm -f "$work"/scans.db*
"$verifier" serve --ledger "$ledger" --scans "$work/scans.db" --log-pubkey "$log_pub" --listen 127.0.0.1:0 --threads 128 \
  >"$work/verifier.out" 2>"$work/verifier.err" &
vpid=$!
pids+=("$vpid")
for _ in $(seq 100); do grep -q listening "$work/verifier.out" 2>/dev/null && break; sleep 0.1; done
vport=$(grep -o '127.0.0.1:[0-9]*' "$work/verifier.out" | cut -d: -f2)
[[ -n $vport ]] || { echo "verifier did not start: $(cat "$work/verifier.err")" >&2; exit 3; }
# The start-up replay ends when the verifier logs "verified N entries (checkpoint size C)
# in S s; serving" (its own clock, from the replay's start); its CPU seconds so far, all
# threads, come from /proc/PID/stat (utime + stime, in clock ticks).
for _ in $(seq 72000); do
  grep -q "verified .* entries" "$work/verifier.err" 2>/dev/null && break
  kill -0 "$vpid" 2>/dev/null || { echo "verifier stopped: $(cat "$work/verifier.err")" >&2; exit 3; }
  grep -q "refusing" "$work/verifier.err" && { echo "verifier refused the ledger: $(cat "$work/verifier.err")" >&2; exit 3; }
  sleep 0.05
done
cpu_ticks=$(awk '{print $14 + $15}' "/proc/$vpid/stat")
line=$(grep -m1 "verified .* entries" "$work/verifier.err") || { echo "verifier did not verify the ledger" >&2; exit 3; }
echo "$line" >&2
replayed=$(sed -E 's/.*verified ([0-9]+) entries.*/\1/' <<<"$line")
replay_s=$(sed -E 's/.* in ([0-9.]+) s;.*/\1/' <<<"$line")
rss_start=$(awk '/VmRSS/ {print $2}' "/proc/$vpid/status")
hwm_start=$(awk '/VmHWM/ {print $2}' "/proc/$vpid/status")
[[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$vport/healthz") == 200 ]] ||
  { echo "verifier logged its replay but /healthz is not 200" >&2; exit 3; }

# Commit to served: one-code label jobs appended to the ledger the verifier follows.
"$probe" fresh "$ledger" "$clerk_key" 127.0.0.1 "$vport" "$fresh" >"$work/fresh.txt"
read -r fresh_p50 fresh_p99 fresh_max < <(sort -n "$work/fresh.txt" | awk '{ v[NR] = $1 }
  END { i50 = int(NR * 0.50 + 0.999); i99 = int(NR * 0.99 + 0.999); print v[i50], v[i99], v[NR] }')

# The paths wrk rotates over.
head -n 1000 "$codes" >"$work/sample.txt"
code=$(head -n 1 "$work/sample.txt")
lua() {  # lua PREFIX: a wrk script cycling PREFIX{serial} over the sample
  {
    echo "local paths = {}"
    while read -r s; do echo "paths[#paths + 1] = \"$1$s\""; done <"$work/sample.txt"
    echo 'local i = 0'
    echo 'request = function() i = i % #paths + 1; return wrk.format("GET", paths[i]) end'
  } >"$work/$2.lua"
}
lua /api/v1/codes/ codes
lua /t/ scan

json_size=$(curl -s "http://127.0.0.1:$vport/api/v1/codes/$code" | wc -c)
html_size=$(curl -s "http://127.0.0.1:$vport/t/$code" | wc -c)
mkdir -p "$work/static" "$work/nginx/tmp"
head -c "$json_size" /dev/zero | tr '\0' 'j' >"$work/static/code.json"
head -c "$html_size" /dev/zero | tr '\0' 'h' >"$work/static/page.html"
nport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$work/nginx/nginx.conf" <<EOF
$( ((EUID == 0)) && echo "user root;" )
worker_processes auto;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/nginx/tmp/body; proxy_temp_path $work/nginx/tmp/proxy;
  fastcgi_temp_path $work/nginx/tmp/fastcgi; uwsgi_temp_path $work/nginx/tmp/uwsgi; scgi_temp_path $work/nginx/tmp/scgi;
  types { text/html html; application/json json; }
  keepalive_requests 100000;
  server { listen 127.0.0.1:$nport; root $work/static; }
}
EOF
"$nginx_bin" -p "$work/nginx" -c "$work/nginx/nginx.conf" -e "$work/nginx/error.log" &
pids+=("$!")
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$nport/code.json" >/dev/null && break; sleep 0.1; done

# run NAME URL [SCRIPT]: prints "req/s p99-ms"
run() {
  local out
  out=$(wrk -t2 -c"$conns" -d"${duration}s" --latency ${3:+-s "$3"} "$2")
  echo "$out" >"$work/wrk-$1.txt"
  local rps p99
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {v = $2; u = v; gsub(/[0-9.]/, "", u); sub(/[a-z]+$/, "", v);
        if (u == "us") v /= 1000; else if (u == "s") v *= 1000; printf "%.3f", v}' <<<"$out")
  local errors
  errors=$(awk '/Non-2xx|Socket errors/' <<<"$out")
  [[ -z $errors ]] || echo "  $1: $errors" >&2
  echo "$rps $p99"
}

echo "verifier on :$vport (ledger $entries entries), nginx on :$nport; wrk -t2 -c$conns -d${duration}s"
read -r n_json n_json_p99 < <(run nginx-json "http://127.0.0.1:$nport/code.json")
read -r v_json v_json_p99 < <(run verifier-json "http://127.0.0.1:$vport/" "$work/codes.lua")
read -r n_html n_html_p99 < <(run nginx-html "http://127.0.0.1:$nport/page.html")
read -r v_html v_html_p99 < <(run verifier-scan "http://127.0.0.1:$vport/" "$work/scan.lua")
rss=$(awk '/VmRSS/ {print $2}' "/proc/$vpid/status")
hwm=$(awk '/VmHWM/ {print $2}' "/proc/$vpid/status")

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
tck=$(getconf CLK_TCK)
replay_rate=$(awk -v n="$replayed" -v s="$replay_s" 'BEGIN { printf "%.0f", n / s }')
replay_cpu_rate=$(awk -v n="$replayed" -v t="$cpu_ticks" -v hz="$tck" 'BEGIN { printf "%.0f", n / (t / hz) }')
echo "start-up replay: $replayed entries in $replay_s s ($replay_rate entries/s; $(awk -v t="$cpu_ticks" -v hz="$tck" \
  'BEGIN { printf "%.1f", t / hz }') CPU s in the verifier so far, $replay_cpu_rate entries per CPU s);" \
  "Ed25519 verify on one core: $ed_wall/s ($ed_cpu per CPU s); ratio $(ratio "$replay_rate" "$ed_wall") (goal >= 1.40)"
echo "verifier RSS after start-up: $(mb "$rss_start") MB (peak $(mb "$hwm_start") MB); goal < 128 MB"
echo "commit to served ($fresh one-code label jobs): p50 $fresh_p50 ms, p99 $fresh_p99 ms, max $fresh_max ms; goal p99 < 1000 ms"
printf '%-40s %10s req/s  p99 %8s ms   (nginx, %s bytes: %10s req/s, p99 %s ms)  ratio %s\n' \
  "JSON code lookup" "$v_json" "$v_json_p99" "$json_size" "$n_json" "$n_json_p99" "$(ratio "$v_json" "$n_json")" \
  "counted scan page" "$v_html" "$v_html_p99" "$html_size" "$n_html" "$n_html_p99" "$(ratio "$v_html" "$n_html")"
echo "verifier RSS after wrk: $(mb "$rss") MB (peak $(mb "$hwm") MB); goal < 128 MB"
echo "goals: JSON >= 0.50 x nginx, scan page >= 0.25 x nginx, p99 < 10 ms at $conns connections"
{
  printf 'start-up replay, %s entries\t%s\t/s\tEd25519 verify, 1 core (EVP, same ledger)\t%s\t%s\t>= 1.40\t%s\n' \
    "$replayed" "$replay_rate" "$ed_wall" "$(ratio "$replay_rate" "$ed_wall")" "$(ratio "$replay_cpu_rate" "$ed_cpu")"
  printf 'verifier RSS after start-up (goal < 128)\t%s\tMB\tpeak (VmHWM)\t%s\t\t\t\n' "$(mb "$rss_start")" "$(mb "$hwm_start")"
  printf 'commit to served p99, %s jobs (goal < 1000)\t%s\tms\tp50\t%s\t\t\t\n' "$fresh" "$fresh_p99" "$fresh_p50"
  printf 'JSON code lookup, %s conns\t%s\t/s\tnginx static file (%s B)\t%s\t%s\t>= 0.50\t\n' \
    "$conns" "$v_json" "$json_size" "$n_json" "$(ratio "$v_json" "$n_json")"
  printf 'JSON code lookup p99 (goal < 10 ms)\t%s\tms\tnginx static file p99\t%s\t\t\t\n' "$v_json_p99" "$n_json_p99"
  printf 'counted scan page, %s conns\t%s\t/s\tnginx static file (%s B)\t%s\t%s\t>= 0.25\t\n' \
    "$conns" "$v_html" "$html_size" "$n_html" "$(ratio "$v_html" "$n_html")"
  printf 'scan page p99 (goal < 10 ms)\t%s\tms\tnginx static file p99\t%s\t\t\t\n' "$v_html_p99" "$n_html_p99"
  printf 'verifier RSS after wrk, %s entries (goal < 128)\t%s\tMB\tpeak (VmHWM)\t%s\t\t\t\n' "$entries" "$(mb "$rss")" "$(mb "$hwm")"
} >>"$rows"
