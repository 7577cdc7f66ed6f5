#!/usr/bin/env bash
# Quill deployed as deploy/README.md describes, tested on loopback: the release tarball
# (scripts/dist.sh) unpacked and run from elsewhere, two instances on one fresh PostgreSQL
# database, Debian's nginx in front with deploy/nginx/quill.conf (ports and paths substituted,
# nothing else changed) and a self-signed certificate. scripts/production_test.py drives it
# and prints a summary. Run by `make test`.
#
# nginx is installed from Debian's packages if missing; if that is impossible, or PostgreSQL
# cannot be reached, the test says so loudly and, under CI=true, fails.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/nginx.sh

loud() { printf '\n\033[1;31m!!! %s !!!\033[0m\n' "$*" >&2; }
skip() {
  loud "$1: the production test is SKIPPED"
  if [ "${CI:-}" = "true" ]; then echo "CI=true: it is required here. Failing." >&2; exit 1; fi
  exit 0
}

ensure_nginx || skip "nginx is not available"
PG_URL="${QUILL_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432/postgres}"
psql "$PG_URL" -Atqc 'SELECT 1' >/dev/null 2>&1 || skip "PostgreSQL is not reachable at $PG_URL"

WORK=$(mktemp -d)
DB="quill_t_prod_$$"
cleanup() {
  nginx_stop "$WORK/nginx"
  psql "$PG_URL" -qc "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1 || true
}
trap cleanup EXIT

echo "[production] building the release tarball"
TARBALL=$(scripts/dist.sh "$WORK/dist" | tail -n 1)
mkdir -p "$WORK/opt"
tar -C "$WORK/opt" -xzf "$TARBALL"
APP="$WORK/opt/quill"

if command -v systemd-analyze >/dev/null; then
  # The units as shipped, with only the program's path changed to the unpacked one.
  sed "s|/opt/quill/quill|$APP/quill|" "$APP/deploy/systemd/quill.service" >"$WORK/quill.service"
  cp "$APP/deploy/systemd/quill.socket" "$WORK/quill.socket"
  out=$(systemd-analyze verify "$WORK/quill.socket" "$WORK/quill.service" 2>&1 | grep -v "User=\|Group=\|quill.env" || true)
  if [ -n "$out" ]; then echo "$out"; loud "systemd-analyze verify: deploy/systemd/quill.socket, quill.service"; exit 1; fi
  echo "[production] systemd-analyze verify: deploy/systemd/quill.socket and quill.service are valid"
fi

psql "$PG_URL" -qc "CREATE DATABASE $DB" >/dev/null
PORT_A=$(free_port)
PORT_B=$(free_port)
mkdir -p "$WORK/nginx"
nginx_start "$WORK/nginx" "$APP/site" "127.0.0.1:$PORT_A" "127.0.0.1:$PORT_B"
echo "[production] nginx on https://127.0.0.1:$NGINX_HTTPS and http://127.0.0.1:$NGINX_HTTP"

PT_QUILL="$APP/quill" PT_WORK="$WORK" PT_DATABASE_URL="${PG_URL%/*}/$DB" \
  PT_HTTP_PORT="$NGINX_HTTP" PT_HTTPS_PORT="$NGINX_HTTPS" PT_CA="$NGINX_CERT" \
  PT_PORT_A="$PORT_A" PT_PORT_B="$PORT_B" \
  timeout 600 python3 scripts/production_test.py || {
    echo "--- nginx error log ---"; tail -n 30 "$WORK/nginx/error.log"; exit 1; }
