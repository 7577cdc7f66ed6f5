#!/usr/bin/env bash
# Installs what building and testing Quill needs on a fresh machine; skips what is there.
#   scripts/setup.sh          build tools (wasm target, cargo-leptos, wasm-bindgen, wasm-opt)
#   scripts/setup.sh --test   also Chromium, the Playwright packages and schemathesis
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# 0.3.10 builds on rustc 1.95 (0.3.11's lock file needs 1.96). It is the longest step of a
# cold set-up; at opt-level 1 it compiles in 690 s instead of 926 s (1,120 s CPU instead of
# 1,427) and builds Quill to the same WASM bytes in the same time (docs/measurements.md).
LEPTOS_VERSION=0.3.10
if ! cargo leptos --version 2>/dev/null | grep -q "$LEPTOS_VERSION"; then
  say "installing cargo-leptos $LEPTOS_VERSION"
  CARGO_PROFILE_RELEASE_OPT_LEVEL=1 cargo install --locked cargo-leptos --version "$LEPTOS_VERSION"
fi

# wasm-bindgen-cli must match the wasm-bindgen crate exactly. Not --locked: its lock file
# names a crate version the registry does not serve.
WB_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if ! wasm-bindgen --version 2>/dev/null | grep -q "$WB_VERSION"; then
  say "installing wasm-bindgen-cli $WB_VERSION"
  cargo install wasm-bindgen-cli --version "$WB_VERSION"
fi

# wasm-opt comes from the npm package binaryen (Debian's binaryen 108 breaks hydration), and
# Playwright from npm too; both live in end2end/node_modules.
if [ ! -x end2end/node_modules/.bin/wasm-opt ] || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
  say "installing the npm packages of end2end/"
  (cd end2end && npm ci --no-audit --no-fund)
fi

if [ "${1:-}" = "--test" ]; then
  if ! command -v chromium >/dev/null; then
    say "installing Chromium"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
  # Schemathesis (from PyPI) fuzzes the API from its OpenAPI document; feedparser reads the
  # Atom feeds (end2end/feeds/check_feeds.py).
  VENV=end2end/api/.venv
  if [ ! -x "$VENV/bin/schemathesis" ] || [ end2end/api/requirements.txt -nt "$VENV/installed" ]; then
    say "installing schemathesis into $VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check -r end2end/api/requirements.txt
    touch "$VENV/installed"
  fi
fi
say "ready"
