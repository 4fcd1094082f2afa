# Shared environment for the scripts; source it.
export KOMPETENS_CACHE="${KOMPETENS_CACHE:-$HOME/.cache/kompetens}"
export KOMPETENS_VENV="${KOMPETENS_VENV:-$KOMPETENS_CACHE/venv}"
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
# pyo3 test binaries have no rpath (TOOLCHAIN.md pitfall 4)
LIBDIR="$(python3 -c 'import sysconfig;print(sysconfig.get_config_var("LIBDIR") or "")' 2>/dev/null || true)"
export LD_LIBRARY_PATH="${LIBDIR}${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export WASM_BINDGEN_VERSION=0.2.130
