#!/usr/bin/env bash
# Idempotent set-up for a fresh Debian machine with rustup, Python 3.11 and
# Node 20 (see ../shared/TOOLCHAIN.md). Installs only what is missing.
#   scripts/setup.sh rust   Rust only (for `make demo`)
#   scripts/setup.sh all    everything `make test` needs
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
what="${1:-all}"

if ! command -v cargo >/dev/null; then
  echo "cargo not found: install Rust with rustup first" >&2; exit 1
fi
[ "$what" = rust ] && exit 0

# Headless Chromium for the browser tests (Debian package; as root)
if ! command -v chromium >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "note: chromium missing and not root: browser tests will be skipped" >&2
  fi
fi
# Rust target for WebAssembly
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi
# wasm-bindgen CLI, pinned to the crate version (no --locked: TOOLCHAIN pitfall 2)
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi
# Node packages (binaryen's wasm-opt, playwright-core, typescript)
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
# Python virtual environment outside the clone, reused between runs
req=bindings-python/requirements-test.txt
stamp="$KOMPETENS_VENV/.req-$(sha256sum "$req" | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  python3 -m venv "$KOMPETENS_VENV"
  "$KOMPETENS_VENV/bin/pip" install --quiet --upgrade pip
  "$KOMPETENS_VENV/bin/pip" install --quiet -r "$req"
  touch "$stamp"
fi
