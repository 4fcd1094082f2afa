#!/usr/bin/env bash
# WASM: build the JS package `kompetens` (form and full browser builds, Node
# build), lint the binding for its real target in both feature sets, then
# run its tests in Node (node --test): shared vectors, README quickstart, API
# and error behaviour, survey/statistics/DSI/maturity functions, TypeScript
# declarations, size budgets (printed), the scoring micro-benchmark
# (printed), and the browser build in headless Chromium when Chromium is
# installed. Then the CLI's HTML report (cli/tests/report.test.mjs): the
# release CLI writes the demo report, headless Chromium renders it and keeps
# a screenshot in target/artifacts/report.png.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
cargo clippy --quiet -p kompetens-wasm --target wasm32-unknown-unknown -- -D warnings
cargo clippy --quiet -p kompetens-wasm --target wasm32-unknown-unknown --no-default-features -- -D warnings
bash bindings-wasm/build.sh
node --test bindings-wasm/tests/
node --test cli/tests/
