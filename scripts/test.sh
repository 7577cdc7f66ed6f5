#!/usr/bin/env bash
# Every test Quill has: formatting, clippy, unit and integration tests on SQLite and
# PostgreSQL, then the release build in Chromium through Playwright, JavaScript on and off,
# its Atom feeds read by feedparser, the API fuzzed by schemathesis on SQLite and PostgreSQL,
# and the release tarball deployed behind nginx with TLS (scripts/production-test.sh).
#
# PostgreSQL: QUILL_TEST_POSTGRES (default postgres://postgres@127.0.0.1:5432/postgres) names a
# server where test databases may be created. If it cannot be reached the PostgreSQL tests are
# skipped with a loud warning, except under CI=true, where that is a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
source scripts/env.sh

# Each step is headed with the time since the start, so a slow step shows in any log.
step() { printf '\n\033[1;34m==> [%4ss] %s\033[0m\n' "$SECONDS" "$*"; }

step "cargo fmt --check (the workspace)"
cargo fmt --all --check

# The workspace: the root package (web and app) with its server feature, the domain and the
# model crates with theirs (they have no features; `ssr` names the root package's).
step "cargo clippy (the workspace's server code and tests)"
cargo clippy --workspace --all-targets --features ssr -- -D warnings

step "cargo clippy (browser bundle)"
cargo clippy --lib --features hydrate --target wasm32-unknown-unknown -- -D warnings

PG_URL="${QUILL_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432/postgres}"
if psql "$PG_URL" -Atqc 'SELECT 1' >/dev/null 2>&1; then
  export QUILL_TEST_POSTGRES="$PG_URL"
  # Test databases of earlier runs.
  psql "$PG_URL" -Atqc "SELECT datname FROM pg_database WHERE datname LIKE 'quill_t_%'" |
    while read -r db; do psql "$PG_URL" -qc "DROP DATABASE IF EXISTS \"$db\"" >/dev/null 2>&1 || true; done
else
  printf '\n\033[1;31m!!! PostgreSQL is not reachable at %s: its tests are SKIPPED !!!\033[0m\n' "$PG_URL"
  if [ "${CI:-}" = "true" ]; then
    echo "CI=true: PostgreSQL is required here. Failing." >&2
    exit 1
  fi
  export QUILL_TEST_POSTGRES=""
fi

step "unit and integration tests (SQLite${QUILL_TEST_POSTGRES:+ and PostgreSQL})"
# Tests run in parallel (the route list that once made renders hang is generated once per
# process, see DESIGN.md); the timeout still turns a hang into a failure. `--tests`: the unit and
# integration tests, without a debug build of examples/bare.rs (clippy above checked it; the
# benchmark builds it for release) and without doctests (the crate has none).
timeout 1200 cargo test --workspace --features ssr --tests

step "release build (cargo leptos build --release)"
cargo leptos build --release --precompress

TARGET_DIR=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
QUILL="$TARGET_DIR/release/quill"
WORK=$(mktemp -d)
export SECRET_KEY=e2e-secret-e2e-secret-e2e-secret-42 RUST_LOG=warn
PIDS=()
trap 'for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done' EXIT

# serve NAME DATABASE_URL: the release build on a free port (in $PORT), logging to $WORK/NAME.log.
# Every browser test and every fuzzed request comes from 127.0.0.1: the login, registration and
# reset throttles (tested by the integration tests) are opened wide for these runs.
serve() {
  PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  THROTTLE_LOGIN_PER_CLIENT=1000000 THROTTLE_LOGIN_PER_ACCOUNT=1000000 \
    THROTTLE_REGISTER_PER_CLIENT=1000000 THROTTLE_RESET_PER_CLIENT=1000000 \
    THROTTLE_RESET_PER_ADDRESS=1000000 \
  DATABASE_URL="$2" MAIL_DIR="$WORK/$1-mail" PUBLIC_URL="http://127.0.0.1:$PORT" \
    LEPTOS_SITE_ADDR="127.0.0.1:$PORT" LEPTOS_SITE_ROOT="target/site" \
    "$QUILL" serve >"$WORK/$1.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 100); do
    curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  cat "$WORK/$1.log"
  return 1
}

step "browser tests against the release build"
# Demo posts for the pagination walk: more than five pages.
DATABASE_URL="sqlite://$WORK/e2e.db?mode=rwc" "$QUILL" seed --users 3 --posts 57 --seed 7
serve e2e "sqlite://$WORK/e2e.db?mode=rwc"
(cd end2end && QUILL_E2E_URL="http://127.0.0.1:$PORT" QUILL_E2E_MAIL_DIR="$WORK/e2e-mail" npx playwright test) || {
  echo "--- server log ---"; tail -n 50 "$WORK/e2e.log"; exit 1; }

step "the Atom feeds, read by feedparser"
# The same server, with the browser tests' posts: the site's feed, a demo author's, #rust's.
FEED_USER=$(python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT username FROM users WHERE post_count > 0 ORDER BY id LIMIT 1").fetchone()[0])' "$WORK/e2e.db")
end2end/api/.venv/bin/python end2end/feeds/check_feeds.py "http://127.0.0.1:$PORT" "$FEED_USER" rust

# fuzz NAME DATABASE_URL: schemathesis against a fresh Quill with a few demo users and posts,
# every phase (examples, coverage, fuzzing, stateful) and every check, from the server's own
# OpenAPI document. Its token is an administrator's, made anew by the CLI whenever the fuzzer
# has deleted or changed the last one (end2end/api/hooks.py).
fuzz() {
  echo "API fuzzing with schemathesis on $1"
  DATABASE_URL="$2" "$QUILL" seed --users 3 --posts 30 --seed 11
  serve "fuzz-$1" "$2"
  mkdir -p "$WORK/fuzz-$1"
  (cd "$WORK/fuzz-$1" &&
    DATABASE_URL="$2" QUILL_FUZZ_CREATE_ADMIN="$QUILL create-user --admin" QUILL_FUZZ_ROOT="$ROOT" \
    SCHEMATHESIS_HOOKS="$ROOT/end2end/api/hooks.py" \
    timeout 900 "$ROOT/end2end/api/.venv/bin/schemathesis" \
      --config-file "$ROOT/end2end/api/schemathesis.toml" run \
      "http://127.0.0.1:$PORT/api/v1/openapi.json") || {
    echo "--- server log ---"; tail -n 50 "$WORK/fuzz-$1.log"; return 1; }
}

# background NAME COMMAND...: runs a step in a subshell of its own (its servers stopped when it
# ends), its output in $WORK/NAME.out; `finish` waits for each and shows its output in order.
# The fuzzers and the production test are mostly waiting on each other's round trips (one
# Python client each, one request at a time): side by side they take the time of the longest.
JOBS=()
background() {
  local name=$1; shift
  (
    PIDS=()
    trap 'for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done' EXIT
    started=$SECONDS
    "$@"
    echo "($name: $((SECONDS - started)) s)"
  ) >"$WORK/$name.out" 2>&1 &
  JOBS+=("$name:$!")
}
finish() {
  local failed=0 job name pid
  for job in "${JOBS[@]}"; do
    name=${job%%:*}; pid=${job##*:}
    if wait "$pid"; then status=passed; else status=FAILED; failed=1; fi
    step "$name: $status"
    cat "$WORK/$name.out"
  done
  return "$failed"
}

ROOT=$(pwd)
step "side by side: API fuzzing (SQLite${QUILL_TEST_POSTGRES:+, PostgreSQL}) and the production test"
background "fuzz-sqlite" fuzz SQLite "sqlite://$WORK/fuzz.db?mode=rwc"
if [ -n "$QUILL_TEST_POSTGRES" ]; then
  FUZZ_DB="quill_t_fuzz_$$"
  psql "$QUILL_TEST_POSTGRES" -qc "CREATE DATABASE $FUZZ_DB" >/dev/null
  background "fuzz-postgresql" fuzz PostgreSQL "${QUILL_TEST_POSTGRES%/*}/$FUZZ_DB"
fi
# The release tarball behind nginx with TLS, two instances on PostgreSQL.
background "production" scripts/production-test.sh
finish
echo "all tests passed in ${SECONDS}s"
