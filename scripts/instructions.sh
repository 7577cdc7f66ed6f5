#!/usr/bin/env bash
# Where a page's instructions go: machine instructions a request executes, counted by valgrind's
# callgrind, which counts the same whatever else the machine is doing (req/s here vary by 30%
# between runs of one build; these figures by well under 1%). It prints, per request:
#  - Quill's parts (examples/breakdown.rs `count`, in one process without sockets): the outer
#    layers, the layout alone (/about), the home page's reads alone, its cards and tag list
#    rendered alone, whole pages;
#  - whole pages over HTTP, Quill's server and the reference (examples/bare.rs) side by side,
#    each asked by curl one request after another, on the same database.
# Kernel time (system calls, task switches) is not counted: req/s ratios are still the
# benchmark's (scripts/bench.sh); this says which part of Quill's own work moved.
# Seeds 20 users and 10,000 posts of the blog corpus into a fresh SQLite database (or uses the
# one INSTRUCTIONS_DB names). It only prints figures.  Usage: scripts/instructions.sh
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
source scripts/env.sh
command -v valgrind >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq valgrind >/dev/null; }
cargo leptos build --release --precompress
cargo build --release --features ssr --example breakdown --example bare
TARGET_DIR=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
export RUST_LOG=error SECRET_KEY=instructions-secret-instructions-0123 LEPTOS_SITE_ROOT=target/site
WORK=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT
DB="${INSTRUCTIONS_DB:-}"
if [ -z "$DB" ]; then
  DB="sqlite://$WORK/instructions.db?mode=rwc"
  DATABASE_URL="$DB" "$TARGET_DIR/release/quill" seed --users 20 --posts 10000 --seed 1 --corpus "${BENCH_CORPUS:-blog}" | sed 's/^/  /'
fi
FEW=20 MANY=120
# collected FILE: the instructions callgrind counted, from its summary line.
collected() { awk '/^summary:/ {print $2}' "$1"; }
# part NAME: instructions of one request of that part, from two runs of different lengths.
part() {
  local n
  for n in $FEW $MANY; do
    valgrind --tool=callgrind --callgrind-out-file="$WORK/part-$1-$n" \
      "$TARGET_DIR/release/examples/breakdown" "$DB" count "$1" "$n" >/dev/null 2>"$WORK/part-$1-$n.log"
  done
  echo $(( ($(collected "$WORK/part-$1-$MANY") - $(collected "$WORK/part-$1-$FEW")) / (MANY - FEW) ))
}
echo "Quill $(git rev-parse --short HEAD 2>/dev/null || echo '?'), instructions a request (callgrind)"
printf '%-36s %12s\n' "part (examples/breakdown.rs count)" "instructions"
for name in healthz about reads cards tags home page1000 user tag post; do
  printf '%-36s %12s\n' "$name" "$(part "$name")"
done

# over_http NAME PORT COMMAND...: the server under callgrind; for each page, its counters
# zeroed, MANY requests one after another, then dumped.
declare -A HTTP
over_http() {
  local name=$1 port=$2 pid path i; shift 2
  valgrind --tool=callgrind --callgrind-out-file="$WORK/$name.out" "$@" >"$WORK/$name.log" 2>&1 &
  pid=$!
  for i in $(seq 1 600); do curl -fs "http://127.0.0.1:$port/" >/dev/null 2>&1 && break; sleep 0.2; done
  for path in "${PAGES[@]}"; do
    for i in $(seq 1 10); do curl -fs "http://127.0.0.1:$port$path" >/dev/null; done
    callgrind_control -z "$pid" >/dev/null
    for i in $(seq 1 $MANY); do curl -fs "http://127.0.0.1:$port$path" -H 'Accept: text/html' >/dev/null; done
    callgrind_control -d "$pid" >/dev/null
    HTTP[$name$path]=$(( $(collected "$(ls -t "$WORK/$name.out".* | head -1)") / MANY ))
  done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
PORT=3460
DATABASE_URL="$DB" LEPTOS_SITE_ADDR="127.0.0.1:$PORT" "$TARGET_DIR/release/quill" serve >"$WORK/probe.log" 2>&1 &
PROBE=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
HTML=$(curl -fs "http://127.0.0.1:$PORT/" -H 'Accept: text/html')
kill "$PROBE"; wait "$PROBE" 2>/dev/null || true
USER_NAME=$(python3 -c 'import re,sys; print(re.search(r"href=\"/user/([^\"]+)\"", sys.stdin.read()).group(1))' <<<"$HTML")
TAG=$(python3 -c 'import re,sys; print(re.search(r"href=\"/tag/([^\"]+)\"", sys.stdin.read()).group(1))' <<<"$HTML")
POST=$(python3 -c 'import re,sys; print(re.search(r"href=\"/post/(\d+)\"", sys.stdin.read()).group(1))' <<<"$HTML")
PAGES=(/ "/?page=1000" "/user/$USER_NAME" "/tag/$TAG" "/post/$POST")
export DATABASE_URL="$DB" LEPTOS_SITE_ADDR="127.0.0.1:$PORT"
over_http quill $PORT "$TARGET_DIR/release/quill" serve
over_http bare $((PORT + 1)) "$TARGET_DIR/release/examples/bare" "$DB" "127.0.0.1:$((PORT + 1))"
echo
printf '%-30s %12s %12s %7s\n' "page over HTTP" "Quill" "reference" "ratio"
for path in "${PAGES[@]}"; do
  q=${HTTP[quill$path]} b=${HTTP[bare$path]}
  printf '%-30s %12s %12s %7s\n' "$path" "$q" "$b" "$(python3 -c "print(f'{$q / $b:.2f}')")"
done
