//! Conformance tests: the shared vectors in `tests/vectors/` run against the
//! Rust core (see `tests/tests/vectors.rs`; the matcher is
//! `kompetens_cli::vectors`), and the README's Rust quickstart runs
//! as a doctest of this crate.

#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
mod readme {}
