#!/usr/bin/env bash
# Builds the release and packs what a server needs into dist/quill-VERSION-ARCH-linux.tar.gz:
#
#   quill/quill          the program (server, CLI, migrations built in)
#   quill/hash.txt       the content hashes of the built files, read beside the program
#   quill/site/          the site folder: pkg/ (CSS, JS, WASM with .br/.gz beside each), icons
#   quill/deploy/        the nginx site, the systemd unit, an example configuration, the guide
#   quill/README.md
#
# Unpacked anywhere (deploy/README.md: /opt/quill), it runs with environment variables alone:
# no Cargo.toml, no Leptos.toml. Usage: scripts/dist.sh [OUT_DIR]   (default dist/)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT="${1:-dist}"
scripts/setup.sh
source scripts/env.sh

cargo leptos build --release --precompress
TARGET_DIR=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
VERSION=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["packages"][0]["version"])')
NAME="quill-$VERSION-$(uname -m)-linux"

STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
mkdir -p "$STAGE/quill/site/pkg"
install -m 755 "$TARGET_DIR/release/quill" "$STAGE/quill/quill"
install -m 644 "$TARGET_DIR/release/hash.txt" "$STAGE/quill/hash.txt"
# The site's own files, and of pkg/ only the files of this build (the names in hash.txt).
find target/site -maxdepth 1 -type f -exec cp {} "$STAGE/quill/site/" \;
while read -r kind hash; do
  kind=${kind%:}
  case "$kind" in
    css | js) ext=$kind ;;
    wasm) ext=wasm ;;
    *) continue ;;
  esac
  for file in target/site/pkg/quill."$hash".$ext target/site/pkg/quill."$hash".$ext.{br,gz}; do
    [ -f "$file" ] && cp "$file" "$STAGE/quill/site/pkg/"
  done
done <"$TARGET_DIR/release/hash.txt"
for ext in css js wasm; do
  if ! ls "$STAGE"/quill/site/pkg/quill.*."$ext" >/dev/null 2>&1; then
    echo "dist: no hashed .$ext in target/site/pkg for $(cat "$TARGET_DIR/release/hash.txt")" >&2
    exit 1
  fi
done
cp -r deploy "$STAGE/quill/deploy"
cp README.md "$STAGE/quill/README.md"

mkdir -p "$OUT"
tar -C "$STAGE" -czf "$OUT/$NAME.tar.gz" quill
echo "$OUT/$NAME.tar.gz"
