//! Conformance tests: the shared vectors in `tests/vectors/` run against the
//! Rust core (see `tests/vectors.rs`), and the README's Rust quickstart runs
//! as a doctest of this crate.

#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
mod readme {}
