//! Benchmarks of kompetens live in `benches/`; see the README there.
//!
//! This library holds what the benchmark binaries share.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::sync::Arc;

use kompetens::aggregate::{Layout, OrgTree};

/// The input `benches/side_by_side_aggregate.py` writes for the Rust
/// contender: raw little-endian files in one directory.
#[derive(Debug, Clone)]
pub struct RawAggregateInput {
    /// `levels.i8`: people × competences, row major, `-1` = missing.
    pub levels: Vec<i8>,
    /// `required.i8`: people × competences, row major, `0` = none.
    pub required: Vec<i8>,
    /// `units.u32`: each person's unit index.
    pub units: Vec<u32>,
    /// `parents.json`: each unit's parent index (`-1` for roots).
    pub parents: Vec<i64>,
    /// `weights.json`: a weight per competence.
    pub weights: Vec<f64>,
}

impl RawAggregateInput {
    /// Read the files of `dir` (panics with the file name when one is
    /// missing or malformed: a benchmark, not a library entry point).
    pub fn read(dir: &Path) -> RawAggregateInput {
        let bytes = |name: &str| std::fs::read(dir.join(name)).expect(name);
        let json = |name: &str| std::fs::read_to_string(dir.join(name)).expect(name);
        RawAggregateInput {
            levels: bytes("levels.i8").into_iter().map(|b| b as i8).collect(),
            required: bytes("required.i8").into_iter().map(|b| b as i8).collect(),
            units: bytes("units.u32")
                .chunks_exact(4)
                .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                .collect(),
            parents: serde_json::from_str(&json("parents.json")).expect("parents.json"),
            weights: serde_json::from_str(&json("weights.json")).expect("weights.json"),
        }
    }

    /// The layout the script's contenders share: the tree of `parents`,
    /// competences `"0"`, `"1"`, … (`n_c` of them), levels 0–8 and the
    /// competence weights.
    pub fn layout(&self, n_c: usize) -> Arc<Layout> {
        let tree = OrgTree::from_parents(&self.parents, None).unwrap();
        let comps: Vec<String> = (0..n_c).map(|c| c.to_string()).collect();
        Arc::new(
            Layout::new(tree, comps, 0, 8)
                .unwrap()
                .with_competence_weights(&self.weights)
                .unwrap(),
        )
    }
}
