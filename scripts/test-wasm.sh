#!/usr/bin/env bash
# WASM: build the JS package `kompetens` (browser + Node builds), lint the
# binding for its real target, then run its tests in Node (node --test):
# shared vectors, README quickstart, API and error behaviour, TypeScript
# declarations, size budget, and the browser build in headless Chromium
# when Chromium is installed.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
cargo clippy --quiet -p kompetens-wasm --target wasm32-unknown-unknown -- -D warnings
bash bindings-wasm/build.sh
node --test bindings-wasm/tests/
