//! Finished aggregates: every unit's own and rolled-up records per role, the
//! role totals, and the statistics of one cell.

use std::sync::Arc;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::layout::Layout;
use super::state::{AggregateState, RecordLayout};

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

/// Zero record shared by absent groups.
fn zero(len: usize) -> Vec<u64> {
    vec![0; len]
}

/// Finished aggregates (see [`AggregateState::finish`]).
#[derive(Debug, Clone)]
pub struct Aggregates {
    layout: Arc<Layout>,
    rec: RecordLayout,
    arena: Vec<u64>,
    /// per unit: (role key, record index); role key `n_roles` = all roles.
    own: Vec<Vec<(u32, u32)>>,
    rollup: Vec<Vec<(u32, u32)>>,
    /// per role key: record index of the total over all roots.
    totals: Vec<u32>,
}

impl AggregateState {
    /// Compute every unit's own and rolled-up records (for each role and
    /// for all roles), bottom-up over the tree, and the role totals.
    pub fn finish(&self) -> Aggregates {
        let layout = Arc::clone(&self.layout);
        let rec = self.rec;
        let len = rec.len();
        let n_units = layout.tree.len();
        let n_roles = layout.roles.len();
        let all = n_roles as u32;
        // record 0 = zeros
        let mut arena: Vec<u64> = zero(len);
        let push = |arena: &mut Vec<u64>, src: Option<&[u64]>| -> u32 {
            let idx = (arena.len() / len) as u32;
            match src {
                Some(s) => arena.extend_from_slice(s),
                None => arena.extend(std::iter::repeat_n(0, len)),
            }
            idx
        };
        let add = |arena: &mut Vec<u64>, dst: u32, src: u32| {
            let (d, s) = (dst as usize * len, src as usize * len);
            for i in 0..len {
                let v = arena[s + i];
                arena[d + i] += v;
            }
        };
        // Key sets first, so that the arena is allocated once.
        let slots = self.sorted_slots();
        let mut own_keys: Vec<Vec<u32>> = vec![Vec::new(); n_units];
        for &slot in &slots {
            let (u, r) = self.key(slot);
            own_keys[u].push(if n_roles == 0 { all } else { r as u32 });
        }
        if n_roles > 0 {
            for k in own_keys.iter_mut().filter(|k| !k.is_empty()) {
                k.push(all);
            }
        }
        let mut roll_keys: Vec<Vec<u32>> = vec![Vec::new(); n_units];
        for &u in layout.tree.preorder().iter().rev() {
            let u = u as usize;
            let mut keys = own_keys[u].clone();
            for &c in layout.tree.children(u) {
                keys.extend_from_slice(&roll_keys[c as usize]);
            }
            keys.sort_unstable();
            keys.dedup();
            roll_keys[u] = keys;
        }
        let n_records = 1
            + own_keys.iter().map(Vec::len).sum::<usize>()
            + roll_keys.iter().map(Vec::len).sum::<usize>()
            + n_roles
            + 1;
        arena.reserve_exact(n_records * len - arena.len());
        let mut own: Vec<Vec<(u32, u32)>> = vec![Vec::new(); n_units];
        for slot in slots {
            let (u, r) = self.key(slot);
            let key = if n_roles == 0 { all } else { r as u32 };
            let idx = push(&mut arena, Some(self.record(slot)));
            own[u].push((key, idx));
        }
        if n_roles > 0 {
            for list in own.iter_mut() {
                if list.is_empty() {
                    continue;
                }
                let idx = push(&mut arena, None);
                for &(_, src) in list.iter() {
                    add(&mut arena, idx, src);
                }
                list.push((all, idx));
            }
        }
        let mut rollup: Vec<Vec<(u32, u32)>> = vec![Vec::new(); n_units];
        for &u in layout.tree.preorder().iter().rev() {
            let u = u as usize;
            let keys = std::mem::take(&mut roll_keys[u]);
            let mut list = Vec::with_capacity(keys.len());
            for key in keys {
                let idx = push(&mut arena, None);
                if let Some(&(_, src)) = own[u].iter().find(|x| x.0 == key) {
                    add(&mut arena, idx, src);
                }
                for &c in layout.tree.children(u) {
                    if let Some(&(_, src)) = rollup[c as usize].iter().find(|x| x.0 == key) {
                        add(&mut arena, idx, src);
                    }
                }
                list.push((key, idx));
            }
            rollup[u] = list;
        }
        let mut totals = Vec::with_capacity(n_roles + 1);
        for key in 0..=all {
            let idx = push(&mut arena, None);
            for &root in layout.tree.roots() {
                if let Some(&(_, src)) = rollup[root as usize].iter().find(|x| x.0 == key) {
                    add(&mut arena, idx, src);
                }
            }
            totals.push(idx);
        }
        Aggregates {
            layout,
            rec,
            arena,
            own,
            rollup,
            totals,
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
        &self.arena[idx as usize * len..(idx as usize + 1) * len]
    }

    /// The record of a unit's own or rolled-up people of a role (zeros when
    /// nobody).
    pub fn record(&self, unit: usize, scope: Scope, role: RoleSel) -> &[u64] {
        let key = self.key(role);
        let list = match scope {
            Scope::Own => self.own.get(unit),
            Scope::Rollup => self.rollup.get(unit),
        };
        let idx = list
            .and_then(|l| l.iter().find(|x| x.0 == key))
            .map_or(0, |x| x.1);
        self.get(idx)
    }

    /// Whether a unit has anyone of a role in a scope.
    pub fn has(&self, unit: usize, scope: Scope, role: RoleSel) -> bool {
        let key = self.key(role);
        let list = match scope {
            Scope::Own => self.own.get(unit),
            Scope::Rollup => self.rollup.get(unit),
        };
        list.is_some_and(|l| l.iter().any(|x| x.0 == key))
    }

    /// The total over the whole organisation (all roots) for a role.
    pub fn total(&self, role: RoleSel) -> &[u64] {
        let key = self.key(role) as usize;
        self.get(self.totals.get(key).copied().unwrap_or(0))
    }

    /// Statistics of `item` in `record`.
    pub fn stats(&self, record: &[u64], item: Item) -> CellStats {
        stats(&self.layout, self.rec, record, item)
    }
}

/// Statistics of `item` in a record (see [`CellStats`]).
pub fn stats(layout: &Layout, rec: RecordLayout, record: &[u64], item: Item) -> CellStats {
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
    CellStats {
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
    }
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
    let mut below = 0u64;
    let mut missing = 0u64;
    // Σ gap per weight class (summed over the competences first, then
    // weighted: the same order for one competence and for an area).
    let mut shortfall = 0u64;
    let mut weighted_need = 0.0;
    let gaps_of = |k: usize| -> u64 {
        comps
            .iter()
            .map(|&c| record[rec.comp(c) + 3 * l + 1 + k])
            .sum()
    };
    for &c in comps {
        let o = rec.comp(c);
        for (i, h) in hist.iter_mut().enumerate() {
            *h += record[o + i];
            below += record[o + 2 * l + i];
        }
        missing += record[o + 3 * l];
    }
    for k in 0..rec.classes {
        let g = gaps_of(k);
        shortfall += g;
        weighted_need += layout.weights[k] * g as f64;
    }
    let rated: u64 = hist.iter().sum();
    let min = i64::from(layout.level_min);
    let level_sum: u64 = hist
        .iter()
        .enumerate()
        .map(|(i, &h)| h * (min as u64 + i as u64))
        .sum();
    let people = match item {
        Item::Competence(_) => rated,
        Item::Area(a) => record[rec.area(a)],
    };
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
        median_level: interpolated_median(hist, min),
        mean_level: ratio(level_sum, rated),
    }
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
}
