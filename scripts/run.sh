#!/usr/bin/env bash
# Builds Quill in release mode and serves it on http://127.0.0.1:3000 with the embedded
# SQLite database (quill.db in this folder). Nothing else to configure.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
source scripts/env.sh
exec cargo leptos serve --release --precompress
