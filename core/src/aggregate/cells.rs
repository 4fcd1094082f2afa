//! Finished aggregates: every unit's own and rolled-up records per role, the
//! role totals, and the statistics of one cell.

use std::sync::Arc;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::layout::Layout;
use super::state::{AggregateState, RecordLayout};
use crate::error::{Error, Result};

/// Which people of a unit a cell covers.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// The unit's own people.
    Own,
    /// The unit and all its descendants.
    Rollup,
}

/// A role selection: one role or all roles together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RoleSel {
    /// One role, by index.
    Role(usize),
    /// Everyone.
    All,
}

/// A cell's item: a competence or an area, by index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Item {
    /// A competence.
    Competence(usize),
    /// An area (the sum over its competences).
    Area(usize),
}

/// Statistics of one cell (a group of people × one competence or area).
///
/// For a competence (people with a requirement on it, level > 0):
/// `people` = `rated` = those with a rating; `missing` = those without;
/// `meeting` = rated with level ≥ required; `coverage = meeting / rated`;
/// shortfall per person `max(0, required − level)`; `mean_shortfall =
/// shortfall / rated`, `mean_shortfall_below = shortfall / below`;
/// `weighted_need = Σ weight · shortfall`. A missing rating is never
/// counted as level 0.
///
/// For an area, the counts are over person–requirement pairs of its
/// competences (`rated`, `missing`, `meeting`, …), and `people` is the
/// number of distinct people rated on at least one of them (the size used
/// for small-group protection).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CellStats {
    /// Distinct people counted (size for small-group protection).
    pub people: u64,
    /// Rated person–requirement pairs (= `people` for a competence).
    pub rated: u64,
    /// Required but not rated.
    pub missing: u64,
    /// Rated at or above the requirement.
    pub meeting: u64,
    /// Rated below the requirement.
    pub below: u64,
    /// Σ max(0, required − level).
    pub shortfall: u64,
    /// Σ level of the rated.
    pub level_sum: u64,
    /// `meeting / rated`.
    pub coverage: Option<f64>,
    /// `shortfall / rated`.
    pub mean_shortfall: Option<f64>,
    /// `shortfall / below`.
    pub mean_shortfall_below: Option<f64>,
    /// Σ weight · gap, as Σ over weight classes of weight · integer gap sum.
    pub weighted_need: f64,
    /// Interpolated median level `m + (n_above − n_below) / (2 · n_equal)`.
    pub median_level: Option<f64>,
    /// `level_sum / rated`.
    pub mean_level: Option<f64>,
    /// Rated people per level, from the scale's lowest level to its highest.
    pub distribution: Vec<u64>,
}

impl CellStats {
    /// True when nobody in the group has a requirement (a structural zero).
    pub fn is_empty(&self) -> bool {
        self.rated == 0 && self.missing == 0
    }
}

/// The interpolated median of a histogram over levels `min..`
/// (`hist[i]` people at level `min + i`): `m + (n_above − n_below) /
/// (2 · n_equal)` where `m` is the level holding the ⌈n/2⌉-th observation
/// (REFERENCE §6) — [`crate::stats::interpolated_median_counts`] with
/// category width 1 and [`Middle::Lower`](crate::stats::Middle::Lower).
pub fn interpolated_median(hist: &[u64], min: i64) -> Option<f64> {
    crate::stats::interpolated_median_counts(hist, min as f64, 1.0, crate::stats::Middle::Lower)
}

/// Plans the record that is the sum of the records `srcs`: record `zero`
/// (zeros) when there is no source, the source itself when there is one (a
/// leaf's roll-up is its own record: shared, not copied), else a new sum
/// record `*next` whose sources are appended to `plan` (one list per new
/// record, its end in `ends`).
fn plan_sum(
    srcs: &[u32],
    zero: u32,
    next: &mut u32,
    plan: &mut Vec<u32>,
    ends: &mut Vec<u32>,
) -> u32 {
    match srcs {
        [] => zero,
        [only] => *only,
        _ => {
            plan.extend_from_slice(srcs);
            ends.push(plan.len() as u32);
            let idx = *next;
            *next += 1;
            idx
        }
    }
}

/// Finished aggregates (see [`AggregateState::finish`]).
#[derive(Debug, Clone)]
pub struct Aggregates {
    layout: Arc<Layout>,
    rec: RecordLayout,
    /// Records `0..n_head`: the state's records (own records of unit ×
    /// role), by slot: records `0..n_head_a` in `head`, the rest in
    /// `head2` (copied by two threads).
    head: Vec<u64>,
    head2: Vec<u64>,
    n_head_a: usize,
    /// Records from `n_head` on: record `n_head` is zeros, then sums of
    /// records before them.
    tail: Vec<u64>,
    n_head: usize,
    /// `own[own_at[u]..own_at[u + 1]]`: unit `u`'s own records as (role
    /// key, record index); role key `n_roles` = all roles.
    own_at: Vec<u32>,
    own: Vec<(u32, u32)>,
    /// `rollup[roll_at[u].0..roll_at[u].1]`: unit `u`'s rolled-up records.
    roll_at: Vec<(u32, u32)>,
    rollup: Vec<(u32, u32)>,
    /// per role key: record index of the total over all roots.
    totals: Vec<u32>,
}

impl AggregateState {
    /// Compute every unit's own and rolled-up records (for each role and
    /// for all roles), bottom-up over the tree, and the role totals.
    ///
    /// The record indices are planned first (flat lists, no allocation per
    /// unit); then the state's records are copied (a record keeps its
    /// slot's number) and the sums computed.
    pub fn finish(&self) -> Aggregates {
        self.finish_with(None)
    }

    /// [`Self::finish`], taking the state: its records become the own
    /// records of the roll-up as they are, without being copied.
    pub fn into_aggregates(mut self) -> Aggregates {
        let counts = std::mem::take(&mut self.counts);
        self.finish_with(Some(counts))
    }

    /// [`Self::finish`]; the state's records are `owned` when given (taken
    /// from the state), else `self.counts` (copied).
    fn finish_with(&self, owned: Option<Vec<u64>>) -> Aggregates {
        let layout = Arc::clone(&self.layout);
        let rec = self.rec;
        let len = rec.len();
        let n_units = layout.tree.len();
        let n_roles = layout.roles.len();
        let all = n_roles as u32;
        // Record s < n_head = the state's record of slot s; `zero` = zeros.
        // The slots sorted by key: unit by unit, roles in order.
        let slots = self.sorted_slots();
        let n_head = slots.len();
        let zero = n_head as u32;
        let mut next = zero + 1;
        // Sources of every sum record, in record order.
        let mut plan: Vec<u32> = Vec::new();
        let mut ends: Vec<u32> = Vec::new();
        let mut srcs: Vec<u32> = Vec::new();
        let mut own_at: Vec<u32> = Vec::with_capacity(n_units + 1);
        let mut own: Vec<(u32, u32)> =
            Vec::with_capacity(slots.len() + if n_roles > 0 { n_units } else { 0 });
        let mut p = 0;
        for u in 0..n_units {
            own_at.push(own.len() as u32);
            let start = own.len();
            while let Some(&slot) = slots.get(p) {
                let (su, r) = self.key(slot);
                if su != u {
                    break;
                }
                let key = if n_roles == 0 { all } else { r as u32 };
                own.push((key, slot as u32));
                p += 1;
            }
            if n_roles > 0 && own.len() > start {
                srcs.clear();
                srcs.extend(own[start..].iter().map(|x| x.1));
                let idx = plan_sum(&srcs, zero, &mut next, &mut plan, &mut ends);
                own.push((all, idx));
            }
        }
        own_at.push(own.len() as u32);
        let own_of = |u: usize| &own[own_at[u] as usize..own_at[u + 1] as usize];
        let mut roll_at: Vec<(u32, u32)> = vec![(0, 0); n_units];
        let mut rollup: Vec<(u32, u32)> = Vec::with_capacity(own.len());
        let mut keys: Vec<u32> = Vec::new();
        for &u in layout.tree.preorder().iter().rev() {
            let u = u as usize;
            let children = layout.tree.children(u);
            keys.clear();
            keys.extend(own_of(u).iter().map(|x| x.0));
            for &c in children {
                let (a, b) = roll_at[c as usize];
                keys.extend(rollup[a as usize..b as usize].iter().map(|x| x.0));
            }
            keys.sort_unstable();
            keys.dedup();
            let start = rollup.len();
            for &key in &keys {
                srcs.clear();
                if let Some(&(_, src)) = own_of(u).iter().find(|x| x.0 == key) {
                    srcs.push(src);
                }
                for &c in children {
                    let (a, b) = roll_at[c as usize];
                    if let Some(&(_, src)) =
                        rollup[a as usize..b as usize].iter().find(|x| x.0 == key)
                    {
                        srcs.push(src);
                    }
                }
                let idx = plan_sum(&srcs, zero, &mut next, &mut plan, &mut ends);
                rollup.push((key, idx));
            }
            roll_at[u] = (start as u32, rollup.len() as u32);
        }
        let mut totals = Vec::with_capacity(n_roles + 1);
        for key in 0..=all {
            srcs.clear();
            for &root in layout.tree.roots() {
                let (a, b) = roll_at[root as usize];
                if let Some(&(_, src)) = rollup[a as usize..b as usize].iter().find(|x| x.0 == key)
                {
                    srcs.push(src);
                }
            }
            totals.push(plan_sum(&srcs, zero, &mut next, &mut plan, &mut ends));
        }
        // The records, in two passes: (1) each state record is copied and
        // added to the sums it is a source of (read once, while in the
        // cache); (2) the sums that are sources of other sums are added
        // to them, in record order (a source comes before its sum). The
        // same integers as summing in any other order. (On two threads,
        // one copying and one summing, it was no faster.)
        let n_tail = next as usize - n_head;
        // Per state record, the tail records (sums) it is a source of.
        let mut at = vec![0u32; n_head + 1];
        for &src in &plan {
            if let Some(x) = at.get_mut(src as usize + 1) {
                *x += 1;
            }
        }
        for i in 0..n_head {
            at[i + 1] += at[i];
        }
        let mut sums_of = vec![0u32; at[n_head] as usize];
        {
            let mut fill = at.clone();
            let mut from = 0;
            for (k, &end) in ends.iter().enumerate() {
                for &src in &plan[from..end as usize] {
                    if (src as usize) < n_head {
                        let f = &mut fill[src as usize];
                        sums_of[*f as usize] = 1 + k as u32;
                        *f += 1;
                    }
                }
                from = end as usize;
            }
        }
        // Tail record 0 is the zeros, 1 + k the k-th sum.
        let mut tail: Vec<u64> = vec![0; n_tail * len];
        // Records taken from the state are used as they are (when they
        // are the slots' records exactly).
        let owned = owned.filter(|c| c.len() == n_head * len);
        let copy = HeadCopy {
            len,
            counts: owned.as_deref().unwrap_or(&self.counts),
            at: &at,
            sums_of: &sums_of,
            copy: owned.is_none(),
        };
        let (mut head, head2, n_head_a) = copy.run(n_head, &mut tail);
        if let Some(owned) = owned {
            head = owned;
        }
        let mut from = 0;
        for (k, &end) in ends.iter().enumerate() {
            let t = (1 + k) * len;
            let (done, new) = tail.split_at_mut(t);
            let new = &mut new[..len];
            for &src in &plan[from..end as usize] {
                let src = src as usize;
                if src > n_head {
                    let s = (src - n_head) * len;
                    for (d, x) in new.iter_mut().zip(&done[s..s + len]) {
                        *d += x;
                    }
                }
            }
            from = end as usize;
        }
        Aggregates {
            layout,
            rec,
            head,
            head2,
            n_head_a,
            tail,
            n_head,
            own_at,
            own,
            roll_at,
            rollup,
            totals,
        }
    }
}

/// Phase (1) of the roll-up: the state's records copied into the head and
/// added to the sums (tail records) they are sources of.
struct HeadCopy<'a> {
    /// Counters per record.
    len: usize,
    /// The state's records, by slot.
    counts: &'a [u64],
    /// `sums_of[at[s]..at[s + 1]]`: the tail records state record `s` is
    /// a source of.
    at: &'a [u32],
    sums_of: &'a [u32],
    /// Whether the records are copied (else only summed, the head left
    /// empty).
    copy: bool,
}

/// Counters of the state's records from which the roll-up copies them on
/// two threads.
#[cfg(not(target_family = "wasm"))]
const FINISH_PARALLEL_MIN: usize = 1 << 18;

impl HeadCopy<'_> {
    /// Copy the `n_head` state records and add them to the sums in `tail`
    /// (zeros on entry): on two threads over halves of the records where
    /// threads exist (the second half's additions are made into its own
    /// records, added to `tail` after; the same integers). Returns the
    /// head as two vectors and the number of records in the first (when
    /// not copying: two empty vectors and `n_head`).
    fn run(&self, n_head: usize, tail: &mut [u64]) -> (Vec<u64>, Vec<u64>, usize) {
        let len = self.len;
        #[cfg(not(target_family = "wasm"))]
        {
            let threads = std::thread::available_parallelism().map_or(1, |t| t.get());
            if threads > 1 && n_head >= 2 && n_head * len >= FINISH_PARALLEL_MIN {
                let m = n_head / 2;
                // The tail records the second half adds to, numbered in
                // order of first use.
                let mut local = vec![u32::MAX; tail.len() / len.max(1)];
                let mut touched: Vec<u32> = Vec::new();
                let second = self
                    .sums_of
                    .get(self.at[m] as usize..self.at[n_head] as usize)
                    .unwrap_or(&[]);
                for &t in second {
                    if let Some(x) = local.get_mut(t as usize) {
                        if *x == u32::MAX {
                            *x = touched.len() as u32;
                            touched.push(t);
                        }
                    }
                }
                let room = |n: usize| if self.copy { n * len } else { 0 };
                let mut head_a: Vec<u64> = Vec::with_capacity(room(m));
                let mut head_b: Vec<u64> = Vec::with_capacity(room(n_head - m));
                let mut part: Vec<u64> = vec![0; touched.len() * len];
                std::thread::scope(|scope| {
                    let (head_b, part, local) = (&mut head_b, &mut part, &local);
                    let h = scope.spawn(move || {
                        self.copy(m..n_head, head_b, part, |t| local[t as usize] as usize)
                    });
                    self.copy(0..m, &mut head_a, tail, |t| t as usize);
                    if let Err(e) = h.join() {
                        std::panic::resume_unwind(e);
                    }
                });
                for (k, &t) in touched.iter().enumerate() {
                    let t = t as usize * len;
                    if let (Some(d), Some(x)) =
                        (tail.get_mut(t..t + len), part.get(k * len..(k + 1) * len))
                    {
                        for (d, x) in d.iter_mut().zip(x) {
                            *d += x;
                        }
                    }
                }
                if self.copy {
                    return (head_a, head_b, m);
                }
                return (head_a, head_b, n_head);
            }
        }
        let mut head = Vec::with_capacity(if self.copy { n_head * len } else { 0 });
        self.copy(0..n_head, &mut head, tail, |t| t as usize);
        (head, Vec::new(), n_head)
    }

    /// Append the state records `range` to `head` and add each to the
    /// sums it is a source of: tail record `t` is record `index(t)` of
    /// `sums`.
    fn copy(
        &self,
        range: std::ops::Range<usize>,
        head: &mut Vec<u64>,
        sums: &mut [u64],
        index: impl Fn(u32) -> usize,
    ) {
        let len = self.len;
        for s in range {
            let r = self.counts.get(s * len..(s + 1) * len).unwrap_or(&[]);
            if self.copy {
                head.extend_from_slice(r);
            }
            let (a, b) = (self.at[s] as usize, self.at[s + 1] as usize);
            for &t in self.sums_of.get(a..b).unwrap_or(&[]) {
                let t = index(t) * len;
                if let Some(d) = sums.get_mut(t..t + len) {
                    for (d, x) in d.iter_mut().zip(r) {
                        *d += x;
                    }
                }
            }
        }
    }
}

impl Aggregates {
    /// The layout.
    pub fn layout(&self) -> &Arc<Layout> {
        &self.layout
    }

    /// The record layout.
    pub fn record_layout(&self) -> RecordLayout {
        self.rec
    }

    fn key(&self, role: RoleSel) -> u32 {
        match role {
            RoleSel::All => self.layout.roles.len() as u32,
            RoleSel::Role(r) => r as u32,
        }
    }

    fn get(&self, idx: u32) -> &[u64] {
        let len = self.rec.len();
        let idx = idx as usize;
        let (arena, i) = if idx < self.n_head_a {
            (&self.head, idx)
        } else if idx < self.n_head {
            (&self.head2, idx - self.n_head_a)
        } else {
            (&self.tail, idx - self.n_head)
        };
        arena.get(i * len..(i + 1) * len).unwrap_or(&[])
    }

    /// The (role key, record index) list of a unit in a scope.
    fn list(&self, unit: usize, scope: Scope) -> &[(u32, u32)] {
        let range = match scope {
            Scope::Own => match (self.own_at.get(unit), self.own_at.get(unit + 1)) {
                (Some(&a), Some(&b)) => Some((a, b)),
                _ => None,
            },
            Scope::Rollup => self.roll_at.get(unit).copied(),
        };
        let list = match scope {
            Scope::Own => &self.own,
            Scope::Rollup => &self.rollup,
        };
        range
            .and_then(|(a, b)| list.get(a as usize..b as usize))
            .unwrap_or(&[])
    }

    /// The record of a unit's own or rolled-up people of a role (zeros when
    /// nobody).
    pub fn record(&self, unit: usize, scope: Scope, role: RoleSel) -> &[u64] {
        let key = self.key(role);
        let idx = self
            .list(unit, scope)
            .iter()
            .find(|x| x.0 == key)
            .map_or(self.n_head as u32, |x| x.1);
        self.get(idx)
    }

    /// Whether a unit has anyone of a role in a scope.
    pub fn has(&self, unit: usize, scope: Scope, role: RoleSel) -> bool {
        let key = self.key(role);
        self.list(unit, scope).iter().any(|x| x.0 == key)
    }

    /// The total over the whole organisation (all roots) for a role.
    pub fn total(&self, role: RoleSel) -> &[u64] {
        let key = self.key(role) as usize;
        self.get(self.totals.get(key).copied().unwrap_or(self.n_head as u32))
    }

    /// Statistics of `item` in `record` (see [`stats`]).
    pub fn stats(&self, record: &[u64], item: Item) -> Result<CellStats> {
        stats(&self.layout, self.rec, record, item)
    }
}

/// Statistics of `item` in a record (see [`CellStats`]). A record of
/// another length, or a competence or area the layout does not have, is an
/// `invalid_value` error.
pub fn stats(layout: &Layout, rec: RecordLayout, record: &[u64], item: Item) -> Result<CellStats> {
    if record.len() != rec.len() {
        return Err(Error::invalid(
            "record",
            format!(
                "{} counters, the layout's records have {}",
                record.len(),
                rec.len()
            ),
        ));
    }
    let known = match item {
        Item::Competence(c) => c < rec.competences,
        Item::Area(a) => a < rec.areas,
    };
    if !known {
        return Err(Error::invalid(
            "item",
            format!("{item:?} is not in the layout"),
        ));
    }
    let members;
    let comps: &[usize] = match item {
        Item::Competence(ref c) => std::slice::from_ref(c),
        Item::Area(a) => {
            members = layout.area_members(a);
            &members
        }
    };
    let mut hist = vec![0u64; rec.levels];
    let n = numbers(layout, rec, record, comps, item, &mut hist);
    Ok(CellStats {
        people: n.people,
        rated: n.rated,
        missing: n.missing,
        meeting: n.meeting,
        below: n.below,
        shortfall: n.shortfall,
        level_sum: n.level_sum,
        coverage: n.coverage,
        mean_shortfall: n.mean_shortfall,
        mean_shortfall_below: n.mean_shortfall_below,
        weighted_need: n.weighted_need,
        median_level: n.median_level,
        mean_level: n.mean_level,
        distribution: hist,
    })
}

/// The numbers of a [`CellStats`] without its distribution.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Numbers {
    pub people: u64,
    pub rated: u64,
    pub missing: u64,
    pub meeting: u64,
    pub below: u64,
    pub shortfall: u64,
    pub level_sum: u64,
    pub coverage: Option<f64>,
    pub mean_shortfall: Option<f64>,
    pub mean_shortfall_below: Option<f64>,
    pub weighted_need: f64,
    pub median_level: Option<f64>,
    pub mean_level: Option<f64>,
}

/// The statistics of `item` (whose competences are `comps`) in a record,
/// the distribution written into `hist` (`rec.levels` zeros on entry):
/// the one computation behind [`stats`] and the columnar publication.
pub(crate) fn numbers(
    layout: &Layout,
    rec: RecordLayout,
    record: &[u64],
    comps: &[usize],
    item: Item,
    hist: &mut [u64],
) -> Numbers {
    let l = rec.levels;
    let stride = rec.stride();
    let mut below = 0u64;
    let mut missing = 0u64;
    // A competence's block: level histogram `[0, l)`, below the
    // requirement `[2l, 3l)`, missing `3l`, Σ gap per weight class
    // `3l + 1 + k`.
    let block = |c: usize| -> &[u64] {
        let o = rec.comp(c);
        record.get(o..o + stride).unwrap_or(&[])
    };
    for &c in comps {
        let b = block(c);
        if let (Some(h), Some(bl)) = (b.get(..l), b.get(2 * l..3 * l)) {
            for ((x, &a), &y) in hist.iter_mut().zip(h).zip(bl) {
                *x += a;
                below += y;
            }
        }
        missing += b.get(3 * l).copied().unwrap_or(0);
    }
    // Σ gap per weight class (summed over the competences first, then
    // weighted: the same order for one competence and for an area).
    let mut shortfall = 0u64;
    let mut weighted_need = 0.0;
    for (k, &w) in layout.weights.iter().enumerate().take(rec.classes) {
        let g: u64 = comps
            .iter()
            .map(|&c| block(c).get(3 * l + 1 + k).copied().unwrap_or(0))
            .sum();
        shortfall += g;
        weighted_need += w * g as f64;
    }
    let rated: u64 = hist.iter().sum();
    let people = match item {
        Item::Competence(_) => rated,
        Item::Area(a) => record.get(rec.area(a)).copied().unwrap_or(0),
    };
    let sums = Sums {
        people,
        missing,
        below,
        shortfall,
        weighted_need,
    };
    sums.numbers(hist, rated, i64::from(layout.level_min))
}

/// A cell's sums besides its level distribution, from which [`numbers`]
/// and [`numbers_one`] derive its numbers the same way.
struct Sums {
    people: u64,
    missing: u64,
    below: u64,
    shortfall: u64,
    weighted_need: f64,
}

impl Sums {
    /// The cell's numbers, with its distribution `hist` (levels from
    /// `min`) whose total is `rated`.
    fn numbers(self, hist: &[u64], rated: u64, min: i64) -> Numbers {
        let Sums {
            people,
            missing,
            below,
            shortfall,
            weighted_need,
        } = self;
        let level_sum: u64 = hist
            .iter()
            .enumerate()
            .map(|(i, &h)| h * (min as u64 + i as u64))
            .sum();
        let meeting = rated - below;
        let ratio = |a: u64, b: u64| (b > 0).then(|| a as f64 / b as f64);
        Numbers {
            people,
            rated,
            missing,
            meeting,
            below,
            shortfall,
            level_sum,
            coverage: ratio(meeting, rated),
            mean_shortfall: ratio(shortfall, rated),
            mean_shortfall_below: ratio(shortfall, below),
            weighted_need,
            median_level: median_of(hist, rated, min),
            mean_level: ratio(level_sum, rated),
        }
    }
}

/// [`numbers`] of one competence `c` (the same arithmetic, in the same
/// order, on the competence's block directly), the distribution written
/// into `hist` (`rec.levels` long; overwritten); `None` when the record
/// or `hist` does not fit the layout.
pub(crate) fn numbers_one(
    layout: &Layout,
    rec: RecordLayout,
    record: &[u64],
    c: usize,
    hist: &mut [u64],
) -> Option<Numbers> {
    let l = rec.levels;
    let o = rec.comp(c);
    let b = record.get(o..o + rec.stride())?;
    if hist.len() != l || c >= rec.competences {
        return None;
    }
    let (h, rest) = b.split_at(l);
    let (_, rest) = rest.split_at(l);
    let (bl, rest) = rest.split_at(l);
    let (&missing, gaps) = rest.split_first()?;
    hist.copy_from_slice(h);
    let below: u64 = bl.iter().sum();
    let mut shortfall = 0u64;
    let mut weighted_need = 0.0;
    for (&w, &g) in layout.weights.iter().take(rec.classes).zip(gaps) {
        shortfall += g;
        weighted_need += w * g as f64;
    }
    let rated: u64 = h.iter().sum();
    let sums = Sums {
        people: rated,
        missing,
        below,
        shortfall,
        weighted_need,
    };
    Some(sums.numbers(h, rated, i64::from(layout.level_min)))
}

/// [`interpolated_median`] of a histogram whose total `n` is known, with
/// the same arithmetic (category width 1, the lower middle) without the
/// iterator plumbing.
fn median_of(hist: &[u64], n: u64, min: i64) -> Option<f64> {
    if n == 0 {
        return None;
    }
    let rank = n.div_ceil(2);
    let mut below = 0u64;
    for (i, &equal) in hist.iter().enumerate() {
        if equal == 0 {
            continue;
        }
        if below + equal >= rank {
            let above = n - below - equal;
            let m = min as f64 + i as f64 * 1.0;
            return Some(m + 1.0 * (above as f64 - below as f64) / (2.0 * equal as f64));
        }
        below += equal;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interpolated_median_matches_reference() {
        // REFERENCE §6: 2×1, 9×4, 10×5 → 4.444444; [1,3,3,3,4,5] → 3.166667.
        let h = [0, 2, 0, 0, 9, 10];
        assert!((interpolated_median(&h, 0).unwrap() - 4.444_444_444).abs() < 1e-6);
        let h = [0, 1, 0, 3, 1, 1];
        assert!((interpolated_median(&h, 0).unwrap() - 3.166_666_667).abs() < 1e-6);
        // [1,1,2,2] → 1.5 from either middle category.
        assert_eq!(interpolated_median(&[0, 2, 2], 0), Some(1.5));
        assert_eq!(interpolated_median(&[0, 0], 0), None);
        // {1, 4}: the 1st of 2 observations is at level 1 →
        // 1 + (1 − 0)/(2·1) = 1.5 (Python's median_grouped, which takes
        // the 2nd, gives 3.5).
        assert_eq!(interpolated_median(&[0, 1, 0, 0, 1], 0), Some(1.5));
    }

    #[test]
    fn large_rollups_are_subtree_sums_taken_or_copied() {
        use super::super::layout::Layout;
        use super::super::state::Batch;
        use super::super::tree::OrgTree;
        use ndarray::{Array1, Array2};
        // 600 units in a ternary tree, 2 roles, 21 competences: enough
        // counters for the two-thread copy. Every rolled-up record must be
        // the sum of the own records of its subtree (summed here, unit by
        // unit), whether the state is copied (`finish`) or taken
        // (`into_aggregates`).
        let (n_units, n_c, n_people) = (600usize, 21usize, 9000usize);
        let parents: Vec<i64> = (0..n_units as i64)
            .map(|u| (u - 1).div_euclid(3).max(-1))
            .collect();
        let tree = OrgTree::from_parents(&parents, None).unwrap();
        let comps: Vec<String> = (0..n_c).map(|c| format!("c{c}")).collect();
        let layout = Arc::new(
            Layout::new(tree, comps, 0, 8)
                .unwrap()
                .with_roles(vec!["a".into(), "b".into()])
                .unwrap(),
        );
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = |n: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % n
        };
        let lv: Vec<i8> = (0..n_people * n_c).map(|_| next(10) as i8 - 1).collect();
        let rq: Vec<i8> = (0..n_people * n_c).map(|_| next(9) as i8).collect();
        // Units 0..540 have people (the last 60 leaves have none).
        let units: Vec<u32> = (0..n_people).map(|_| next(540) as u32).collect();
        let roles: Vec<u32> = (0..n_people).map(|_| next(2) as u32).collect();
        let (lv, rq) = (
            Array2::from_shape_vec((n_people, n_c), lv).unwrap(),
            Array2::from_shape_vec((n_people, n_c), rq).unwrap(),
        );
        let (units, roles) = (Array1::from(units), Array1::from(roles));
        let mut state = AggregateState::new(Arc::clone(&layout));
        state
            .update(&Batch {
                levels: lv.view(),
                units: units.view(),
                roles: Some(roles.view()),
                required: Some(rq.view()),
            })
            .unwrap();
        let copied = state.finish();
        let taken = state.clone().into_aggregates();
        let sels = [RoleSel::Role(0), RoleSel::Role(1), RoleSel::All];
        for agg in [&copied, &taken] {
            for &sel in &sels {
                let mut total = vec![0u64; copied.record_layout().len()];
                for (u, &parent) in parents.iter().enumerate() {
                    let mut sum = vec![0u64; total.len()];
                    let mut stack = vec![u];
                    while let Some(v) = stack.pop() {
                        for (a, b) in sum.iter_mut().zip(agg.record(v, Scope::Own, sel)) {
                            *a += b;
                        }
                        stack.extend(layout.tree.children(v).iter().map(|&c| c as usize));
                    }
                    assert_eq!(agg.record(u, Scope::Rollup, sel), &sum[..], "{u} {sel:?}");
                    assert_eq!(
                        agg.record(u, Scope::Own, sel),
                        copied.record(u, Scope::Own, sel)
                    );
                    if parent < 0 {
                        for (a, b) in total.iter_mut().zip(&sum) {
                            *a += b;
                        }
                    }
                }
                assert_eq!(agg.total(sel), &total[..]);
            }
        }
        // The own records of a role are the state's (people counted per
        // unit and role here).
        let per = copied.record_layout().persons_rated();
        for u in 0..n_units {
            for r in 0..2u32 {
                let n = (0..n_people)
                    .filter(|&p| units[p] as usize == u && roles[p] == r)
                    .filter(|&p| (0..n_c).any(|c| lv[[p, c]] >= 0 && rq[[p, c]] > 0))
                    .count() as u64;
                let got = copied.record(u, Scope::Own, RoleSel::Role(r as usize))[per];
                assert_eq!(got, n, "unit {u} role {r}");
            }
        }
    }

    #[test]
    fn median_of_is_interpolated_median_bit_for_bit() {
        // Every histogram over 4 levels with counts 0..=5, at two minima.
        for code in 0..6u32.pow(4) {
            let h: Vec<u64> = (0..4).map(|i| u64::from(code / 6u32.pow(i) % 6)).collect();
            let n = h.iter().sum();
            for min in [-1i64, 0, 1] {
                let a = interpolated_median(&h, min).map(f64::to_bits);
                let b = median_of(&h, n, min).map(f64::to_bits);
                assert_eq!(a, b, "{h:?} {min}");
            }
        }
    }
}
