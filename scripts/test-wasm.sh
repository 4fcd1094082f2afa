#!/usr/bin/env bash
# WASM: build the wasm package for Node and the browser, then node --test.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
bash bindings-wasm/build.sh
node --test bindings-wasm/tests/
