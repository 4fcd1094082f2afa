//! Gap aggregation at scale (placeholder docs, expanded below).

pub mod disclosure;
pub mod layout;
pub mod state;
pub mod tree;
