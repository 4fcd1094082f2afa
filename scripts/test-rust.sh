#!/usr/bin/env bash
# Rust: unit, property, doc and conformance tests (shared vectors).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
cargo test --workspace --all-targets
cargo test --workspace --doc
