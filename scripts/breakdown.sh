#!/usr/bin/env bash
# Where a page's time goes (examples/breakdown.rs), for the build at hand: seeds 20 users and
# 10,000 posts of the blog corpus into a fresh SQLite database (or the database BREAKDOWN_DB
# names, seeded already), builds the release site and the example, and prints, per request,
# the outer layers, the site's layers, the layout, the home page's data reads and whole pages.
# It only prints figures.  Usage: scripts/breakdown.sh [seconds per part, default 5]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH="${1:-5}"
scripts/setup.sh
source scripts/env.sh
cargo leptos build --release --precompress
cargo build --release --features ssr --example breakdown
TARGET_DIR=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
export RUST_LOG=warn SECRET_KEY=breakdown-secret-breakdown-secret-0123
DB="${BREAKDOWN_DB:-}"
if [ -z "$DB" ]; then
  WORK=$(mktemp -d)
  trap 'rm -rf "$WORK"' EXIT
  DB="sqlite://$WORK/breakdown.db?mode=rwc"
  RUST_LOG=error DATABASE_URL="$DB" "$TARGET_DIR/release/quill" seed --users 20 --posts 10000 --seed 1 --corpus "${BENCH_CORPUS:-blog}" | sed 's/^/  /'
fi
QUILL_COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo '?') LEPTOS_SITE_ROOT=target/site \
  "$TARGET_DIR/release/examples/breakdown" "$DB" "$SECONDS_EACH"
