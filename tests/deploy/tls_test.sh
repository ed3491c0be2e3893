#!/usr/bin/env bash
# The shipped nginx site (deploy/nginx/agtrace-verifier.conf) over TLS, with a self-signed
# certificate, on loopback (issue 13, "What it must show"):
#   - `nginx -t` passes on the site exactly as shipped (certificates in agtrace-tls/);
#   - a scan page is served over https with HSTS; http redirects to https (301);
#   - /metrics is served to this host (127.0.0.1) only: from 127.0.0.2, /metrics,
#     /metrics/, /metrics?x, /%6Detrics, /METRICS and //metrics are all refused, and the
#     metrics text never comes back.
# Usage: tls_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
BUILD=$1 SRC=$2
fail() { echo "tls_test: FAIL: $*" >&2; exit 1; }
for tool in /usr/sbin/nginx openssl curl; do
  command -v "$tool" >/dev/null || fail "$tool is missing: run scripts/install-deps.sh"
done
T=$(mktemp -d /tmp/agtrace-tls.XXXXXX)
VPID= NPID=
trap '[ -n "$NPID" ] && kill "$NPID" 2>/dev/null; [ -n "$VPID" ] && kill "$VPID" 2>/dev/null; wait 2>/dev/null; rm -rf "$T"' EXIT
free_port() {  # a loopback port nothing listens on now
  local p
  while :; do
    p=$((20000 + RANDOM % 40000))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
}
. "$(dirname "$0")/lib.sh"
export AGTRACE_LEDGER=$T/ledger.db

# A small ledger and its verifier.
"$L" init --origin trace.lucheng.example/log --base-url https://trace.lucheng.example --log-key-out "$T/log.key" >/dev/null
: >"$T/verifier.log"
"$V" serve --ledger "$AGTRACE_LEDGER" --scans "$T/scans.db" --log-pubkey "$T/log.key.pub" --listen 127.0.0.1:0 \
  --trusted-proxy 127.0.0.1 >>"$T/verifier.log" 2>&1 &
VPID=$!
VPORT=$(listening_port "$T/verifier.log" "$VPID")

# The self-signed certificate of docs/deploy.md "TLS" (a test machine's), where the site looks.
N=$T/nginx
mkdir -p "$N/agtrace-tls" "$N/tmp" "$N/acme"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 -subj "/CN=trace.lucheng.example" \
  -addext "subjectAltName=DNS:trace.lucheng.example" \
  -keyout "$N/agtrace-tls/privkey.pem" -out "$N/agtrace-tls/fullchain.pem" 2>/dev/null
conf() {  # SITE_FILE: a minimal nginx.conf around the site
  cat <<EOF
$( [ "$(id -u)" = 0 ] && echo "user root;" )
worker_processes 1;
daemon off;
pid $N/nginx.pid;
error_log $N/error.log info;
events { worker_connections 256; }
http {
  access_log $N/access.log;
  client_body_temp_path $N/tmp/body;
  proxy_temp_path $N/tmp/proxy;
  fastcgi_temp_path $N/tmp/fastcgi;
  uwsgi_temp_path $N/tmp/uwsgi;
  scgi_temp_path $N/tmp/scgi;
  include $1;
}
EOF
}

# nginx -t on the site exactly as shipped.
conf "$SRC/deploy/nginx/agtrace-verifier.conf" > "$N/shipped.conf"
/usr/sbin/nginx -t -p "$N" -c "$N/shipped.conf" -e "$N/error.log" 2>"$T/nginx-t.log" ||
  { cat "$T/nginx-t.log" >&2; fail "nginx -t fails on deploy/nginx/agtrace-verifier.conf"; }

# The same site on loopback ports, in front of the verifier.
HTTP_PORT=$(free_port) HTTPS_PORT=$(free_port)
sed -e '/listen \[::\]/d' -e "s/listen 80;/listen 127.0.0.1:$HTTP_PORT;/" \
  -e "s/listen 443 ssl http2;/listen 127.0.0.1:$HTTPS_PORT ssl http2;/" \
  -e "s/server 127.0.0.1:8080;/server 127.0.0.1:$VPORT;/" -e "s#root /var/www/letsencrypt;#root $N/acme;#" \
  "$SRC/deploy/nginx/agtrace-verifier.conf" > "$N/site.conf"
grep -q "listen 127.0.0.1:$HTTPS_PORT ssl http2;" "$N/site.conf" || fail "the site has no 'listen 443 ssl http2;' to rewrite"
conf "$N/site.conf" > "$N/nginx.conf"
/usr/sbin/nginx -p "$N" -c "$N/nginx.conf" -e "$N/error.log" &
NPID=$!
for _ in $(seq 1 100); do
  curl -s -o /dev/null --cacert "$N/agtrace-tls/fullchain.pem" --resolve "trace.lucheng.example:$HTTPS_PORT:127.0.0.1" \
    "https://trace.lucheng.example:$HTTPS_PORT/robots.txt" && break
  sleep 0.1
done
https() {  # [curl options…] PATH: status code, headers in $T/h, body in $T/b
  local path=${*: -1}
  curl -s --path-as-is --cacert "$N/agtrace-tls/fullchain.pem" --resolve "trace.lucheng.example:$HTTPS_PORT:127.0.0.1" \
    -D "$T/h" -o "$T/b" -w '%{http_code}' "${@:1:$#-1}" "https://trace.lucheng.example:$HTTPS_PORT$path"
}

# The verifier's pages over TLS (the certificate verifies against itself), with HSTS.
for _ in $(seq 1 100); do [ "$(https /healthz)" = 200 ] && break; sleep 0.1; done
[ "$(https /healthz)" = 200 ] || fail "https /healthz: $(cat "$T/b")"
grep -qi '^strict-transport-security: max-age=63072000' "$T/h" || fail "no HSTS header: $(cat "$T/h")"
[ "$(https /robots.txt)" = 200 ] && grep -q "Disallow: /" "$T/b" || fail "https /robots.txt"
[ "$(https -X POST /healthz)" = 405 ] || fail "a POST over https was not refused"

# Plain http: redirected to https, the path and query kept.
code=$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' -H 'Host: trace.lucheng.example' \
  "http://127.0.0.1:$HTTP_PORT/t/0000000000000?lang=en")
[ "$code" = "301 https://trace.lucheng.example/t/0000000000000?lang=en" ] || fail "http is not redirected to https: $code"
# The ACME challenge folder stays on http for certbot's renewals.
mkdir -p "$N/acme/.well-known/acme-challenge" && echo token-1 > "$N/acme/.well-known/acme-challenge/t1"
[ "$(curl -s -H 'Host: trace.lucheng.example' "http://127.0.0.1:$HTTP_PORT/.well-known/acme-challenge/t1")" = token-1 ] ||
  fail "the ACME challenge is not served over http"

# /metrics: this host only, and every other spelling refused to everyone.
[ "$(https /metrics)" = 200 ] && grep -q '^agtrace_verifier_' "$T/b" || fail "/metrics from 127.0.0.1: $(head -c 300 "$T/b")"
for path in /metrics /metrics/ '/metrics?x' /%6Detrics /%6detrics /METRICS /Metrics/ //metrics /t/../metrics; do
  status=$(https --interface 127.0.0.2 "$path")
  [ "$status" = 403 ] || [ "$status" = 404 ] || fail "$path from 127.0.0.2 answered $status"
  ! grep -q 'agtrace_verifier_' "$T/b" || fail "$path from 127.0.0.2 served the metrics"
done
# The variants are refused even to this host (only the exact /metrics is private-but-open).
[ "$(https /metrics/)" = 404 ] || fail "/metrics/ from 127.0.0.1 was not refused"
echo "tls_test: OK"
