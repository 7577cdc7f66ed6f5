# Sourced by the other scripts: puts wasm-opt (npm's binaryen) on PATH so cargo-leptos
# does not try to download it.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$ROOT/end2end/node_modules/.bin:$HOME/.cargo/bin:$PATH"
