#!/usr/bin/env bash
# Build the JS package `kompetens` (bindings-wasm/), two builds of the crate:
#   form  (cargo --no-default-features): competence model (DigComp 2.2 built
#         in, profiles, assessments, gap reports) and survey scoring — what a
#         self-assessment web form needs
#   full  (cargo default features): everything: also DigComp 3.0 built in,
#         statistics, CSV import, DSI, digital maturity, gap aggregation
# into three folders:
#   pkg/       form, wasm-bindgen --target web    (browsers and bundlers: `kompetens`)
#   pkg-full/  full, wasm-bindgen --target web    (browsers and bundlers: `kompetens/full`)
#   pkg-node/  full, wasm-bindgen --target nodejs (CommonJS; node/index.mjs re-exports it as ESM)
# each .wasm shrunk with npm's wasm-opt (Debian's binaryen is too old:
# TOOLCHAIN.md pitfall 8) at -Os: the gzipped size is what is sent, and -Os
# output gzips smaller than -Oz output here (form build 186.5 vs 187.8 KB,
# full 508.3 vs 512.8 KB, though -Oz is smaller raw). The Node build gets the
# same flags as the full build: they are the same module.
# Prints the sizes of each build: raw (cargo), after wasm-bindgen,
# after wasm-opt, gzipped (gzip -9; tests/size.test.mjs measures with zlib,
# a few hundred bytes more, and checks the budgets).
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

out="${CARGO_TARGET_DIR:-$root/target}/wasm32-unknown-unknown/release-wasm"
stage="${CARGO_TARGET_DIR:-$root/target}/kompetens-js"
mkdir -p "$stage"
# cargo keeps the artefacts of both feature sets, so rebuilding is incremental
cargo build --quiet -p kompetens-wasm --target wasm32-unknown-unknown --profile release-wasm --no-default-features
cp "$out/kompetens_wasm.wasm" "$stage/form.wasm"
cargo build --quiet -p kompetens-wasm --target wasm32-unknown-unknown --profile release-wasm
cp "$out/kompetens_wasm.wasm" "$stage/full.wasm"

size() { stat -c %s "$1"; }
gz() { gzip -9 -c "$1" | wc -c; }
# --low-memory-unused: Rust's wasm32 layout puts the stack first, growing
# down from 1 MiB, so the lowest 1 KiB of memory is never addressed (only a
# stack overflow would reach it); binaryen may then fold pointer offsets
# into loads and stores (form build −1.9 KB gzipped). --converge repeats the
# passes while they still shrink the module (−0.4 KB). The producers and
# target_features sections are informational only (−0.2 KB).
shrink() {
  wasm-opt "$2" --low-memory-unused --converge --strip-producers --strip-target-features \
    --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue -o "$1" "$1"
}

rm -rf "$here/pkg" "$here/pkg-full" "$here/pkg-node"
wasm-bindgen --target web --out-dir "$here/pkg" "$stage/form.wasm" --out-name kompetens_wasm
wasm-bindgen --target web --out-dir "$here/pkg-full" "$stage/full.wasm" --out-name kompetens_wasm
wasm-bindgen --target nodejs --out-dir "$here/pkg-node" "$stage/full.wasm" --out-name kompetens_wasm
# wasm-bindgen's nodejs output is CommonJS (TOOLCHAIN.md pitfall 7)
echo '{"type":"commonjs"}' > "$here/pkg-node/package.json"

for build in form:pkg:-Os full:pkg-full:-Os; do
  IFS=: read -r name folder level <<<"$build"
  dir="$here/$folder"
  bindgen_size="$(size "$dir/kompetens_wasm_bg.wasm")"
  shrink "$dir/kompetens_wasm_bg.wasm" "$level"
  printf 'kompetens wasm (%s build): cargo %d B, wasm-bindgen %d B, wasm-opt %s %d B, gzipped %d B\n' \
    "$name" "$(size "$stage/$name.wasm")" "$bindgen_size" "$level" "$(size "$dir/kompetens_wasm_bg.wasm")" \
    "$(gz "$dir/kompetens_wasm_bg.wasm")"
done
shrink "$here/pkg-node/kompetens_wasm_bg.wasm" -Os

# Inside bindings-wasm/, `import "kompetens"` resolves by package self-reference
# (package.json "name" + "exports"); elsewhere in the repository (benches,
# examples) through this link.
if [ -d "$root/node_modules" ] && [ ! -e "$root/node_modules/kompetens" ]; then
  ln -s ../bindings-wasm "$root/node_modules/kompetens"
fi
