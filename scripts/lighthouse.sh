#!/usr/bin/env bash
# Lighthouse (mobile, its default simulated throttling) on the home page, a post and the login
# page of the release build, in Debian's Chromium: prints each category's score and the paint
# timings. It only prints figures; nothing is asserted.  Usage: scripts/lighthouse.sh
# Lighthouse comes from npm (pinned) into end2end/lighthouse/, outside the test packages.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
source scripts/env.sh
LH_VERSION=12.8.2
LH_DIR=end2end/lighthouse
if [ ! -x "$LH_DIR/node_modules/.bin/lighthouse" ] ||
  ! grep -q "\"version\": \"$LH_VERSION\"" "$LH_DIR/node_modules/lighthouse/package.json"; then
  mkdir -p "$LH_DIR"
  npm install --prefix "$LH_DIR" --no-audit --no-fund --no-save "lighthouse@$LH_VERSION" >/dev/null
fi

cargo leptos build --release --precompress
TARGET_DIR=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
WORK=$(mktemp -d)
DB="sqlite://$WORK/lh.db?mode=rwc"
export SECRET_KEY=lighthouse-secret-lighthouse-secret RUST_LOG=warn
DATABASE_URL="$DB" "$TARGET_DIR/release/quill" seed --users 10 --posts 200 --seed 1 >/dev/null
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
DATABASE_URL="$DB" LEPTOS_SITE_ADDR="127.0.0.1:$PORT" LEPTOS_SITE_ROOT=target/site \
  "$TARGET_DIR/release/quill" serve >"$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
POST=$(curl -fs "http://127.0.0.1:$PORT/" | grep -o 'href="/post/[0-9]*"' | head -1 | cut -d'"' -f2)

echo
echo "Lighthouse $LH_VERSION, mobile, Quill $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $(nproc) cores"
printf '%-12s %5s %5s %5s %5s %8s %8s %8s %6s\n' page perf a11y best seo FCP LCP TBT CLS
for path in / "$POST" /login; do
  out="$WORK/lh.json"
  CHROME_PATH=/usr/bin/chromium timeout 180 "$LH_DIR/node_modules/.bin/lighthouse" \
    "http://127.0.0.1:$PORT$path" --quiet --output=json --output-path="$out" \
    --only-categories=performance,accessibility,best-practices,seo \
    --chrome-flags="--no-sandbox --headless --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run" \
    >/dev/null 2>&1
  python3 - "$path" "$out" <<'PY'
import json, sys
report = json.load(open(sys.argv[2]))
score = {k: round(v["score"] * 100) for k, v in report["categories"].items()}
audit = report["audits"]
print(f'{sys.argv[1]:12s} {score["performance"]:5d} {score["accessibility"]:5d} '
      f'{score["best-practices"]:5d} {score["seo"]:5d} '
      f'{audit["first-contentful-paint"]["displayValue"]:>8s} '
      f'{audit["largest-contentful-paint"]["displayValue"]:>8s} '
      f'{audit["total-blocking-time"]["displayValue"]:>8s} '
      f'{audit["cumulative-layout-shift"]["displayValue"]:>6s}')
PY
done
