#!/usr/bin/env bash
# Python: build the extension once (release) into the venv, then pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
source "$KOMPETENS_VENV/bin/activate"
maturin develop --release --quiet -m bindings-python/Cargo.toml
python -m pytest -q bindings-python/tests
