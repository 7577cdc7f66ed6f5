#!/usr/bin/env bash
# Benchmark: builds the release binary, seeds 20 users and 10,000 posts shaped like real blogs
# (`quill seed --corpus blog`: Markdown posts of a few thousand characters, some of tens of
# thousands, comments, likes and follows; BENCH_CORPUS=short for the tests' ~450-character
# posts) into a fresh SQLite database, serves Quill and hand-written axum handlers for the
# home, post, user and tag pages (examples/bare.rs: a plain pool, its own SQL, the same
# visible content), and prints wrk's requests/s and p50/p99 latency at 64 connections for
# each page, each Quill page as a share of its reference, plus the server's peak RSS (over the
# pages, then with the login flood). Then the same pages on PostgreSQL (Quill and the
# reference on one database seeded the same way; BENCH_POSTGRES names the server), search
# over 100,000 short posts on both, and the anonymous home page through nginx with
# deploy/nginx/quill.conf (HTTPS, the micro-cache) in front of the same Quill.
# It only prints figures; nothing is asserted.  Usage: scripts/bench.sh [seconds per URL]
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${1:-10}"
CORPUS="${BENCH_CORPUS:-blog}"
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
BENCH_POSTGRES="${BENCH_POSTGRES:-postgres://postgres@127.0.0.1:5432/postgres}"
SERVER=""; BARE=""; SEARCH=""; PG_DB=""
source scripts/lib/nginx.sh
trap 'kill $SERVER $BARE $SEARCH 2>/dev/null || true; nginx_stop "$WORK/nginx"; [ -z "$PG_DB" ] || psql "$BENCH_POSTGRES" -qc "DROP DATABASE IF EXISTS $PG_DB" >/dev/null 2>&1' EXIT

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
share() { python3 -c "print(f'{100 * float(\"$1\") / float(\"$2\"):.0f}%')"; }
wait_for() { for _ in $(seq 1 100); do curl -fs "$1/healthz" >/dev/null 2>&1 && return 0; sleep 0.1; done; }

# seed LABEL DATABASE_URL: the corpus, its size said; sets LONGEST (the longest post's id).
seed() {
  local out
  out=$(RUST_LOG=error DATABASE_URL="$2" "$TARGET_DIR/release/quill" seed --users 20 --posts 10000 --seed 1 --corpus "$CORPUS")
  sed 's/^/  /' <<<"$out"
  LONGEST=$(grep -o 'longest post: [0-9]*' <<<"$out" | grep -o '[0-9]*$' || true)
}

# pages LABEL DATABASE_URL QUILL_PORT BARE_PORT: Quill and the reference on one database.
pages() {
  local url="http://127.0.0.1:$3" bare="http://127.0.0.1:$4" html user tag post cookie
  # Every request comes from 127.0.0.1: the login throttles are opened wide, so that the
  # flood below makes Quill hash passwords instead of answering 429.
  THROTTLE_LOGIN_PER_CLIENT=100000000 THROTTLE_LOGIN_PER_ACCOUNT=100000000 \
  DATABASE_URL="$2" LEPTOS_SITE_ADDR="127.0.0.1:$3" LEPTOS_SITE_ROOT=target/site \
    "$TARGET_DIR/release/quill" serve >"$WORK/server-$3.log" 2>&1 &
  SERVER=$!
  "$TARGET_DIR/release/examples/bare" "$2" "127.0.0.1:$4" >"$WORK/bare-$4.log" 2>&1 &
  BARE=$!
  wait_for "$url"
  for _ in $(seq 1 100); do curl -fs "$bare/" >/dev/null 2>&1 && break; sleep 0.1; done
  html=$(curl -fs "$url/" -H 'Accept: text/html')
  user=$(python3 -c 'import re,sys; print(re.search(r"href=\"/user/([^\"]+)\"", sys.stdin.read()).group(1))' <<<"$html")
  tag=$(python3 -c 'import re,sys; print(re.search(r"href=\"/tag/([^\"]+)\"", sys.stdin.read()).group(1))' <<<"$html")
  post=${LONGEST:-$(python3 -c 'import re,sys; print(re.search(r"href=\"/post/(\d+)\"", sys.stdin.read()).group(1))' <<<"$html")}
  WASM=$(python3 -c 'import re,sys; print(re.search(r"/pkg/[^\"]+\.wasm", sys.stdin.read()).group(0))' <<<"$html")
  # A demo user's session, for the page only a signed-in reader has.
  cookie=$(curl -s -o /dev/null -D - "$url/_fn/login" -H 'Accept: application/json' \
    --data-urlencode "email=${user,,}@example.com" --data-urlencode "password=quill-demo-password" |
    awk 'tolower($1)=="set-cookie:" {split($2, c, ";"); print c[1]; exit}')
  echo
  echo "Quill $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $(nproc) cores, wrk -t2 -c64 -d${DURATION}s, $1, the $CORPUS corpus"
  printf '%-28s %12s %10s %10s\n' "url" "requests/s" "p50" "p99"
  run "home page 1" "$url/"
  run "home page 1000" "$url/?page=1000"
  run "post page ($post)" "$url/post/$post"
  RPS[post page]=${RPS[post page ($post)]}
  run "user page" "$url/user/$user"
  run "tag page" "$url/tag/$tag"
  run "liked page" "$url/user/$user/liked"
  run "following page" "$url/following" -H "Cookie: $cookie"
  run "reference home page 1" "$bare/"
  run "reference home page 1000" "$bare/?page=1000"
  run "reference post page" "$bare/post/$post"
  run "reference user page" "$bare/user/$user"
  run "reference tag page" "$bare/tag/$tag"
  echo
  echo "Quill as a share of the hand-written reference (requests/s), $1"
  for page in "home page 1" "home page 1000" "post page" "user page" "tag page"; do
    printf '  %-16s %s\n' "$page:" "$(share "${RPS[$page]}" "${RPS[reference $page]}")"
  done
  echo "Page 1000 as a share of page 1: Quill $(share "${RPS[home page 1000]}" "${RPS[home page 1]}"), reference $(share "${RPS[reference home page 1000]}" "${RPS[reference home page 1]}")"
}

PORT=3917; BARE_PORT=3918
seed "SQLite" "$DB"
pages "SQLite" "$DB" $PORT $BARE_PORT
run "WASM (uncompressed)" "http://127.0.0.1:$PORT$WASM"

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

stop_pages() {
  kill $SERVER $BARE 2>/dev/null || true
  wait $SERVER $BARE 2>/dev/null || true
  SERVER=""; BARE=""
}
stop_pages

# The same pages on PostgreSQL: a database of its own, seeded the same way.
if command -v psql >/dev/null && psql "$BENCH_POSTGRES" -qAtc 'SELECT 1' >/dev/null 2>&1; then
  PG_DB="quill_bench_$$"
  psql "$BENCH_POSTGRES" -qc "CREATE DATABASE $PG_DB" >/dev/null
  seed "PostgreSQL" "${BENCH_POSTGRES%/*}/$PG_DB"
  pages "PostgreSQL" "${BENCH_POSTGRES%/*}/$PG_DB" 3921 3922
  stop_pages
  psql "$BENCH_POSTGRES" -qc "DROP DATABASE $PG_DB" >/dev/null
  PG_DB=""
else
  echo "no PostgreSQL at $BENCH_POSTGRES: pages measured on SQLite only"
fi

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
search_phase() { # label database-url port
  local url="http://127.0.0.1:$3" found
  RUST_LOG=error DATABASE_URL="$2" "$TARGET_DIR/release/quill" seed --users 20 --posts 100000 --seed 2 --corpus short | sed 's/^/  /'
  DATABASE_URL="$2" LEPTOS_SITE_ADDR="127.0.0.1:$3" LEPTOS_SITE_ROOT=target/site \
    "$TARGET_DIR/release/quill" serve >"$WORK/search-$3.log" 2>&1 &
  SEARCH=$!
  wait_for "$url"
  echo
  echo "Search over 100,000 short posts ($1), one connection"
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
if command -v psql >/dev/null && psql "$BENCH_POSTGRES" -qAtc 'SELECT 1' >/dev/null 2>&1; then
  PG_DB="quill_bench_$$"
  psql "$BENCH_POSTGRES" -qc "CREATE DATABASE $PG_DB" >/dev/null
  search_phase "PostgreSQL tsvector + GIN" "${BENCH_POSTGRES%/*}/$PG_DB" 3920
  psql "$BENCH_POSTGRES" -qc "DROP DATABASE $PG_DB" >/dev/null
  PG_DB=""
else
  echo "no PostgreSQL at $BENCH_POSTGRES: search measured on SQLite only"
fi

