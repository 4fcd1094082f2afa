#!/usr/bin/env bash
# Build the JS package `kompetens` (bindings-wasm/):
#   pkg/       wasm-bindgen --target web    (browsers and bundlers, ESM)
#   pkg-node/  wasm-bindgen --target nodejs (CommonJS; node/index.mjs re-exports it as ESM)
# each .wasm shrunk with npm's wasm-opt -Oz (Debian's binaryen is too old:
# TOOLCHAIN.md pitfall 8). Prints the sizes: raw, after wasm-opt, gzipped.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
cd "$root"
export PATH="$root/node_modules/.bin:$HOME/.cargo/bin:$PATH"

want=0.2.130
have="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')"
if [ "$have" != "$want" ]; then
  echo "wasm-bindgen $want needed (found ${have:-none}): cargo install wasm-bindgen-cli --version $want" >&2
  exit 1
fi
if [ ! -x "$root/node_modules/.bin/wasm-opt" ]; then
  echo "npm's wasm-opt not found: run npm ci in $root" >&2
  exit 1
fi

cargo build --quiet -p kompetens-wasm --target wasm32-unknown-unknown --profile release-wasm
raw="${CARGO_TARGET_DIR:-$root/target}/wasm32-unknown-unknown/release-wasm/kompetens_wasm.wasm"

rm -rf "$here/pkg" "$here/pkg-node"
wasm-bindgen --target web --out-dir "$here/pkg" "$raw"
wasm-bindgen --target nodejs --out-dir "$here/pkg-node" "$raw"
# wasm-bindgen's nodejs output is CommonJS (TOOLCHAIN.md pitfall 7)
echo '{"type":"commonjs"}' > "$here/pkg-node/package.json"

size() { stat -c %s "$1"; }
gz() { gzip -9 -c "$1" | wc -c; }
bindgen_size="$(size "$here/pkg/kompetens_wasm_bg.wasm")"
for dir in pkg pkg-node; do
  wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    -o "$here/$dir/kompetens_wasm_bg.wasm" "$here/$dir/kompetens_wasm_bg.wasm"
done
final="$here/pkg/kompetens_wasm_bg.wasm"
printf 'kompetens wasm: cargo %d B, wasm-bindgen %d B, wasm-opt -Oz %d B, gzipped %d B\n' \
  "$(size "$raw")" "$bindgen_size" "$(size "$final")" "$(gz "$final")"

# Inside bindings-wasm/, `import "kompetens"` resolves by package self-reference
# (package.json "name" + "exports"); elsewhere in the repository (benches,
# examples) through this link.
if [ -d "$root/node_modules" ] && [ ! -e "$root/node_modules/kompetens" ]; then
  ln -s ../bindings-wasm "$root/node_modules/kompetens"
fi
