# kompetens — two commands on a fresh machine:
#   make demo   installs what it needs, builds, runs the demo and writes
#               its HTML report to target/report.html
#   make test   installs what it needs, runs every test (Rust, Python, WASM in Node)
SHELL := /bin/bash
.PHONY: demo test setup test-rust test-python test-wasm lint fmt schemas bench clean

demo:
	@bash scripts/setup.sh rust
	cargo run --quiet --release -p kompetens-cli -- demo
	cargo run --quiet --release -p kompetens-cli -- report --demo --out target/report.html

test: setup lint test-rust test-python test-wasm
	@echo "make test: all suites passed"

setup:
	@bash scripts/setup.sh all

lint:
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy -p kompetens --no-default-features --all-targets -- -D warnings

test-rust:
	bash scripts/test-rust.sh

test-python:
	bash scripts/test-python.sh

test-wasm:
	bash scripts/test-wasm.sh

fmt:
	cargo fmt --all

schemas:
	KOMPETENS_UPDATE_SCHEMAS=1 cargo test -p kompetens schema

bench:
	cargo bench -p kompetens-benches

clean:
	cargo clean
	rm -rf bindings-wasm/pkg bindings-wasm/pkg-full bindings-wasm/pkg-node node_modules
