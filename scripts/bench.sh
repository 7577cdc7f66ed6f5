#!/usr/bin/env bash
# Benchmark: builds the release binary, seeds 10 users and 10,000 posts into a fresh SQLite
# database, serves Quill and hand-written axum handlers for the home, post and user pages
# (examples/bare.rs: a plain SqlitePool, its own SQL, the same visible content), and prints
# wrk's requests/s and p50/p99 latency at 64 connections for each page, each Quill page as a
# share of its reference, plus the server's peak RSS (over the pages, then with the login flood).
# Then the anonymous home page through nginx with deploy/nginx/quill.conf (HTTPS, the
# micro-cache) in front of the same Quill, beside Quill alone in the same run.
# It only prints figures; nothing is asserted.  Usage: scripts/bench.sh [seconds per URL]
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${1:-10}"
scripts/setup.sh
source scripts/env.sh
if ! command -v wrk >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi

cargo leptos build --release --precompress
cargo build --release --features ssr --example bare
TARGET_DIR=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
WORK=$(mktemp -d)
DB="sqlite://$WORK/bench.db?mode=rwc"
export SECRET_KEY=bench-secret-bench-secret-bench-secret RUST_LOG=warn
DATABASE_URL="$DB" "$TARGET_DIR/release/quill" seed --users 10 --posts 10000 --seed 1 | sed 's/^/  /'

PORT=3917; BARE_PORT=3918
# Every request comes from 127.0.0.1: the login throttles are opened wide, so that the flood
# below makes Quill hash passwords instead of answering 429.
THROTTLE_LOGIN_PER_CLIENT=100000000 THROTTLE_LOGIN_PER_ACCOUNT=100000000 \
DATABASE_URL="$DB" LEPTOS_SITE_ADDR="127.0.0.1:$PORT" LEPTOS_SITE_ROOT=target/site \
  "$TARGET_DIR/release/quill" serve >"$WORK/server.log" 2>&1 &
SERVER=$!
"$TARGET_DIR/release/examples/bare" "$DB" "127.0.0.1:$BARE_PORT" >"$WORK/bare.log" 2>&1 &
BARE=$!
source scripts/lib/nginx.sh
trap 'kill $SERVER $BARE 2>/dev/null || true; nginx_stop "$WORK/nginx"' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.1; done

HOME_HTML=$(curl -fs "http://127.0.0.1:$PORT/" -H 'Accept: text/html')
USER_NAME=$(python3 -c 'import re,sys; print(re.search(r"href=\"/user/([^\"]+)\"", sys.stdin.read()).group(1))' <<<"$HOME_HTML")
WASM=$(python3 -c 'import re,sys; print(re.search(r"/pkg/[^\"]+\.wasm", sys.stdin.read()).group(0))' <<<"$HOME_HTML")
POST_ID=$(python3 -c 'import re,sys; print(re.search(r"href=\"/post/(\d+)\"", sys.stdin.read()).group(1))' <<<"$HOME_HTML")

declare -A RPS
run() { # label url [wrk options]
  local out rps p50 p99
  out=$(wrk -t2 -c64 -d"${DURATION}s" --latency -H 'Accept: text/html' "${@:3}" "$2")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  RPS[$1]=$rps
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  printf '%-28s %12s %10s %10s\n' "$1" "$rps" "$p50" "$p99"
}

echo
echo "Quill $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $(nproc) cores, wrk -t2 -c64 -d${DURATION}s, SQLite, 10 users / 10,000 posts"
printf '%-28s %12s %10s %10s\n' "url" "requests/s" "p50" "p99"
run "home page 1" "http://127.0.0.1:$PORT/"
run "home page 1000" "http://127.0.0.1:$PORT/?page=1000"
run "post page" "http://127.0.0.1:$PORT/post/$POST_ID"
run "user page" "http://127.0.0.1:$PORT/user/$USER_NAME"
run "login page" "http://127.0.0.1:$PORT/login"
run "WASM (uncompressed)" "http://127.0.0.1:$PORT$WASM"
run "bare axum home page 1" "http://127.0.0.1:$BARE_PORT/"
run "bare axum home page 1000" "http://127.0.0.1:$BARE_PORT/?page=1000"
run "bare axum post page" "http://127.0.0.1:$BARE_PORT/post/$POST_ID"
run "bare axum user page" "http://127.0.0.1:$BARE_PORT/user/$USER_NAME"
share() { python3 -c "print(f'{100 * float(\"$1\") / float(\"$2\"):.0f}%')"; }
echo
echo "Quill as a share of the hand-written reference (requests/s)"
echo "  home page 1:    $(share "${RPS[home page 1]}" "${RPS[bare axum home page 1]}")"
echo "  home page 1000: $(share "${RPS[home page 1000]}" "${RPS[bare axum home page 1000]}")"
echo "  post page:      $(share "${RPS[post page]}" "${RPS[bare axum post page]}")"
echo "  user page:      $(share "${RPS[user page]}" "${RPS[bare axum user page]}")"
echo "Page 1000 as a share of page 1: Quill $(share "${RPS[home page 1000]}" "${RPS[home page 1]}"), reference $(share "${RPS[bare axum home page 1000]}" "${RPS[bare axum home page 1]}")"

# Hashing cannot starve readers: the anonymous home page alone, then while 32 clients post
# wrong passwords to the login form (argon2id for each, HASHING_CONCURRENCY at once, the rest
# queued or answered 503), in the same run.
cat >"$WORK/login.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Accept"] = "application/json"
wrk.body = "email=nobody%40example.com&password=wrong-password-1"
local statuses = {}
response = function(status) statuses[status] = (statuses[status] or 0) + 1 end
LUA
echo
echo "Home page p99, quiet and under a flood of wrong logins (32 connections)"
printf '%-28s %12s %10s %10s\n' "url" "requests/s" "p50" "p99"
run "home page 1, quiet" "http://127.0.0.1:$PORT/"
BEFORE_FLOOD=$(awk '/VmHWM/ {print $2, $3}' /proc/$SERVER/status)
wrk -t1 -c32 -d"$((DURATION + 4))s" -s "$WORK/login.lua" "http://127.0.0.1:$PORT/_fn/login" >"$WORK/flood.txt" 2>&1 &
FLOOD=$!
sleep 2
run "home page 1, login flood" "http://127.0.0.1:$PORT/"
wait $FLOOD || true
echo "the flood: $(awk '/Requests\/sec/ {print $2}' "$WORK/flood.txt") logins/s answered ($(awk '/Non-2xx/ {print $5}' "$WORK/flood.txt") not 2xx: wrong password or busy)"
echo "Quill peak RSS: $BEFORE_FLOOD over the pages, $(awk '/VmHWM/ {print $2, $3}' /proc/$SERVER/status) with the flood"

# Search over 100,000 posts, on SQLite and then on PostgreSQL (when one answers at
# $BENCH_POSTGRES): one client at a time (the time one search takes), a word in most posts,
# three words together, a word in none, and the home page of the same Quill as the
# reference; then 64 connections on the common word. The seed ends with ANALYZE on PostgreSQL.
one() { # label url: wrk with one connection
  local out
  out=$(wrk -t1 -c1 -d"${DURATION}s" --latency -H 'Accept: text/html' "$2")
  printf '%-28s %12s %10s %10s\n' "$1" "$(awk '/Requests\/sec/ {print $2}' <<<"$out")" \
    "$(awk '$1=="50%" {print $2}' <<<"$out")" "$(awk '$1=="99%" {print $2}' <<<"$out")"
}
SEARCH=""
trap 'kill $SERVER $BARE $SEARCH 2>/dev/null || true; nginx_stop "$WORK/nginx"; [ -z "${PG_DB:-}" ] || psql "$BENCH_POSTGRES" -qc "DROP DATABASE IF EXISTS $PG_DB" >/dev/null 2>&1' EXIT
search_phase() { # label database-url port
  local url="http://127.0.0.1:$3" found
  DATABASE_URL="$2" "$TARGET_DIR/release/quill" seed --users 20 --posts 100000 --seed 2 | sed 's/^/  /'
  DATABASE_URL="$2" LEPTOS_SITE_ADDR="127.0.0.1:$3" LEPTOS_SITE_ROOT=target/site \
    "$TARGET_DIR/release/quill" serve >"$WORK/search-$3.log" 2>&1 &
  SEARCH=$!
  for _ in $(seq 1 100); do curl -fs "$url/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
  echo
  echo "Search over 100,000 posts ($1), one connection"
  printf '%-28s %12s %10s %10s\n' "url" "requests/s" "p50" "p99"
  found=$(curl -fs "$url/search?q=garden" | grep -o '[0-9,]* posts found' | head -1)
  one "search: garden ($found)" "$url/search?q=garden"
  found=$(curl -fs "$url/search?q=bread+winter+shed" | grep -o '[0-9,]* posts\? found' | head -1)
  one "search: 3 words ($found)" "$url/search?q=bread+winter+shed"
  one "search: no match" "$url/search?q=zebra"
  one "home page (reference)" "$url/"
  printf '%-28s %12s %10s %10s\n' "url (64 connections)" "requests/s" "p50" "p99"
  run "search: garden" "$url/search?q=garden"
  kill "$SEARCH" 2>/dev/null || true
  wait "$SEARCH" 2>/dev/null || true
  SEARCH=""
}
search_phase "SQLite FTS5" "sqlite://$WORK/search.db?mode=rwc" 3919
BENCH_POSTGRES="${BENCH_POSTGRES:-postgres://postgres@127.0.0.1:5432/postgres}"
if command -v psql >/dev/null && psql "$BENCH_POSTGRES" -qAtc 'SELECT 1' >/dev/null 2>&1; then
  PG_DB="quill_bench_$$"
  psql "$BENCH_POSTGRES" -qc "CREATE DATABASE $PG_DB" >/dev/null
  search_phase "PostgreSQL tsvector + GIN" "${BENCH_POSTGRES%/*}/$PG_DB" 3920
  psql "$BENCH_POSTGRES" -qc "DROP DATABASE $PG_DB" >/dev/null
  PG_DB=""
else
  echo "no PostgreSQL at $BENCH_POSTGRES: search measured on SQLite only"
fi

if ensure_nginx; then
  mkdir -p "$WORK/nginx"
  # Both upstream entries name the one Quill: the same server as above, behind nginx.
  nginx_start "$WORK/nginx" "$(pwd)/target/site" "127.0.0.1:$PORT" "127.0.0.1:$PORT"
  echo
  echo "Anonymous home page: Quill alone, and through nginx (HTTPS, keepalive, 1 s micro-cache)"
  printf '%-28s %12s %10s %10s\n' "url" "requests/s" "p50" "p99"
  run "Quill alone" "http://127.0.0.1:$PORT/"
  renders() { curl -fs "http://127.0.0.1:$PORT/metrics" | awk '/^quill_page_render_seconds_count\{route="\/"\}/ {print $2}'; }
  before=$(renders)
  run "nginx + micro-cache" "https://127.0.0.1:$NGINX_HTTPS/" -H "Host: blog.example.org"
  echo "home pages Quill rendered during the nginx run: $(python3 -c "print(int(float('${renders_after:=$(renders)}') - float('$before')))")"
else
  echo "nginx is not available: no figures through nginx"
fi
