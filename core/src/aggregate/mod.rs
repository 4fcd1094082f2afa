//! Gap aggregation at scale: organisation roll-up, small-group protection
//! that survives differencing, wave comparison and training demand.
//!
//! The definitions are those of the individual gap report ([`crate::gap`]):
//! for a group of people × one competence, the people counted are those
//! with a requirement on it (required level > 0) and a rating; those with a
//! requirement and no rating are `missing` (never level 0); `meeting` =
//! rated people at or above the requirement; coverage = meeting / people;
//! shortfall per person = max(0, required − level); weighted need = Σ
//! weight · shortfall. See [`CellStats`].
//!
//! Pipeline:
//!
//! 1. [`OrgTree`] + competences (+ roles and their requirements) → an
//!    [`Layout`] shared by everyone who aggregates;
//! 2. [`AggregateState::update`] with [`Batch`]es of `ndarray` matrices
//!    (levels as `i8`, `-1` = missing) — one pass, integer counters per
//!    (unit, role); states over any partition [`AggregateState::merge`] into
//!    bit-identical results, and travel as compact bytes
//!    ([`AggregateState::to_bytes`]) or JSON;
//! 3. [`AggregateState::finish`] rolls the tree up bottom-up into
//!    [`Aggregates`];
//! 4. [`publish`] makes the protected long table ([`Row`]s) with primary
//!    and secondary suppression or roll-up into parents, ranked top needs,
//!    and its own audit ([`publish_columns`]: the same table column by
//!    column, without a `String` per key); [`audit_rows`] audits any set of published rows
//!    (see [`disclosure`] for exactly what the audit proves).
//!
//! ```
//! use std::sync::Arc;
//! use ndarray::array;
//! use kompetens::aggregate::{AggregateState, Batch, Layout, OrgTree, PublishOptions, publish};
//! let tree = OrgTree::from_parents(&[-1, 0, 0], Some(vec!["org".into(), "a".into(), "b".into()]))?;
//! let layout = Arc::new(Layout::new(tree, vec!["1.1".into()], 0, 8)?);
//! let mut state = AggregateState::new(layout);
//! let levels = array![[2i8], [4], [-1], [5], [3], [1]];
//! let required = array![[3i8], [3], [3], [3], [3], [3]];
//! let units = array![1u32, 1, 1, 2, 2, 2];
//! state.update(&Batch { levels: levels.view(), units: units.view(), roles: None,
//!                       required: Some(required.view()) })?;
//! let agg = state.finish();
//! let opts = PublishOptions { min_group: 2, ..PublishOptions::default() };
//! let table = publish(&agg, &opts)?;
//! // org, rolled up: 5 rated (one missing), 3 meet level 3: coverage 0.6.
//! let row = table.rows.iter().find(|r| r.unit.as_deref() == Some("org")
//!     && r.scope == Some(kompetens::aggregate::Scope::Rollup)).unwrap(); // ok: doc example
//! assert_eq!((row.people, row.missing, row.meeting), (Some(5), Some(1), Some(3)));
//! assert_eq!(row.coverage, Some(0.6));
//! assert!(table.audit.clean);
//! # Ok::<(), kompetens::Error>(())
//! ```

pub mod cells;
pub mod codec;
pub mod demand;
pub mod disclosure;
pub mod json;
pub mod layout;
pub mod publish;
pub mod state;
pub mod tree;
pub mod waves;

pub use cells::{interpolated_median, Aggregates, CellStats, Item, RoleSel, Scope};
pub use codec::{SlotJson, StateJson};
pub use demand::{
    demand_list, demand_list_with, plan, recommend, Activity, DemandLine, DemandUnit, PlanLine,
    Recommendation,
};
pub use disclosure::{Method, Reason};
pub use layout::Layout;
pub use publish::{
    audit_rows, named_top_needs, publish, publish_columns, AuditFinding, AuditReport,
    ColumnarPublication, IndexedTopNeed, Publication, PublishOptions, Row, Suppression, Table,
    TableColumns, TopNeed,
};
pub use state::{AggregateState, Batch, RecordLayout};
pub use tree::{OrgTree, TreeSpec, UnitSpec};
pub use waves::{
    compare_waves, publish_waves, PersonChange, Wave, WaveCell, WaveComparison, WavePublication,
};

#[cfg(test)]
mod tests;
