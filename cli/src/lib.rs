//! The `kompetens` command-line tool as a library: the subcommands
//! ([`commands`]), the shared-vector runner ([`vectors`], also used by the
//! conformance tests), the HTML report ([`report`]), plain-text tables
//! ([`table`]) and the CLI error
//! ([`error`]).
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

pub mod commands;
pub mod error;
pub mod report;
pub mod table;
pub mod vectors;
