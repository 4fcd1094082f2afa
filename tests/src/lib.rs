//! Conformance tests: the shared vectors in `tests/vectors/` run against the
//! Rust core (see `tests/vectors.rs`).
