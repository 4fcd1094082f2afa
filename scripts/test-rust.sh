#!/usr/bin/env bash
# Rust: unit, property, doc and conformance tests (shared vectors).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
# benches are compiled by clippy (--all-targets) and run by `make bench`, not here
cargo test --workspace --lib --bins --tests --examples
cargo test --workspace --doc
